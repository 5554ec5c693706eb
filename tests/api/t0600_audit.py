"""t0600: the audit trail: every change writes a row, filters, verification, tampering is found."""

import datetime
import os
import sqlite3
import unittest

from harness import ServerTest, member_payload, PG_URL


class T0600Audit(ServerTest):

    def newest(self, **params):
        body = self.assertStatus(self.auditor.get("/audit", dict(params, per_page=5)), 200)
        return body["items"]

    def test_every_change_writes_an_audit_row(self):
        self.admin, self.auditor    # log in first: logins are audited too
        n = self.audit_count()
        st, org, _ = self.admin.post("/orgs", {"parent_id": 1, "name": "审计党支部", "type": "branch", "field": "organ"})
        self.assertEqual(st, 201)
        row = self.newest()[0]
        self.assertEqual((row["action"], row["entity"], row["entity_id"], row["actor"]), ("org.create", "org", org["id"], "admin"))
        self.assertIsNone(row["before"])
        self.assertEqual(row["after"]["name"], "审计党支部")
        self.assertEqual(self.audit_count(), n + 1)

        m, body = self.create_member(org["id"])
        row = self.newest()[0]
        self.assertEqual((row["action"], row["entity"], row["entity_id"]), ("member.create", "member", m["id"]))
        self.assertEqual(row["after"]["name"], body["name"])
        # numbers in the trail are masked
        self.assertNotIn(body["id_card"], str(row))
        self.assertNotIn(body["phone"], str(row))

        self.assertStatus(self.admin.patch("/members/%d" % m["id"], {"job": "审计后职务"}), 200)
        row = self.newest()[0]
        self.assertEqual((row["action"], row["entity_id"]), ("member.update", m["id"]))
        self.assertEqual(row["before"]["job"], body["job"])
        self.assertEqual(row["after"]["job"], "审计后职务")

        self.assertStatus(self.admin.patch("/orgs/%d" % org["id"], {"remarks": "改备注"}), 200)
        row = self.newest()[0]
        self.assertEqual((row["action"], row["entity_id"]), ("org.update", org["id"]))
        self.assertEqual(row["before"]["remarks"], "")
        self.assertEqual(row["after"]["remarks"], "改备注")

        self.assertStatus(self.admin.put("/orgs/%d/committee" % org["id"],
                                         {"members": [{"member_id": m["id"], "role": "secretary"}]}), 200)
        self.assertEqual(self.newest()[0]["action"], "org.committee")

        self.assertEqual(self.admin.delete("/members/%d" % m["id"])[0], 204)
        row = self.newest()[0]
        self.assertEqual((row["action"], row["entity_id"]), ("member.delete", m["id"]))
        self.assertIsNone(row["after"])
        self.assertEqual(row["before"]["name"], body["name"])

        self.assertEqual(self.admin.delete("/orgs/%d" % org["id"])[0], 204)
        self.assertEqual(self.newest()[0]["action"], "org.delete")
        self.assertEqual(self.audit_count(), n + 7)

    def test_reads_write_no_audit_rows_but_reveals_do(self):
        self.admin, self.auditor
        n = self.audit_count()
        self.admin.get("/members")
        self.admin.get("/orgs")
        self.admin.get("/members/1")
        self.auditor.get("/audit")
        self.assertEqual(self.audit_count(), n)
        self.admin.get("/members/1", {"reveal": 1})
        self.assertEqual(self.audit_count(), n + 1)

    def test_the_list_is_newest_first_and_filters_work(self):
        self.create_member(2)
        items = self.assertStatus(self.auditor.get("/audit", {"per_page": 200}), 200)["items"]
        ids = [x["id"] for x in items]
        self.assertEqual(ids, sorted(ids, reverse=True))
        for x in items:
            self.assertRegex(x["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertRegex(x["hash"], r"^[0-9a-f]{64}$")
        rows = self.assertStatus(self.auditor.get("/audit", {"actor": "admin", "entity": "member",
                                                             "per_page": 200}), 200)["items"]
        self.assertTrue(rows)
        for x in rows:
            self.assertEqual((x["actor"], x["entity"]), ("admin", "member"))
        rows = self.assertStatus(self.auditor.get("/audit", {"action": "session.login", "per_page": 200}), 200)["items"]
        self.assertTrue(rows)
        self.assertTrue(all(x["action"] == "session.login" for x in rows))
        today = datetime.datetime.now(datetime.timezone.utc).date()
        lo, hi = (today - datetime.timedelta(days=1)).isoformat(), (today + datetime.timedelta(days=1)).isoformat()
        self.assertGreater(self.assertStatus(self.auditor.get("/audit", {"from": lo, "to": hi}), 200)["total"], 0)
        self.assertEqual(self.assertStatus(self.auditor.get("/audit", {"from": "2000-01-01", "to": "2000-01-02"}),
                                           200)["total"], 0)
        for bad in ({"from": "yesterday"}, {"to": "2026-13-01"}, {"entity_id": "x"}, {"page": 0},
                    {"per_page": 201}):
            with self.subTest(params=bad):
                self.assertError(self.auditor.get("/audit", bad), 400, "invalid_parameter")

    def test_verify_answers_ok_with_the_row_count(self):
        self.auditor
        v = self.assertStatus(self.auditor.get("/audit/verify"), 200)
        self.assertEqual(v, {"ok": True, "rows": self.audit_count()})
        self.assertStatus(self.admin.get("/audit/verify"), 200)
        self.assertError(self.secretary.get("/audit/verify"), 403, "forbidden")


@unittest.skipIf(PG_URL, "tampering is done on the SQLite file")
class T0610AuditTamper(ServerTest):
    """Changes made through the API, then the server is stopped and copies of the database are
    tampered with in three ways; `dangjian audit verify` must find each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        for i in range(3):
            body = member_payload(2)
            st, got, _ = admin.post("/members", body)
            assert st == 201, got
            admin.patch("/members/%d" % got["id"], {"job": "第%d次修改" % i})
        code, err = cls.server.stop()
        cls.stop_code, cls.stop_err = code, err

    def copy_db(self, name):
        dst = os.path.join(self.server.dir, name)
        src = sqlite3.connect(self.server.db)
        out = sqlite3.connect(dst)
        src.backup(out)
        src.close()
        out.close()
        return dst

    def verify(self, db):
        from harness import run_cli
        return run_cli("audit", "verify", "--db", db, "--key-file", self.server.backend.key_file)

    def rows(self, db, sql, params=()):
        con = sqlite3.connect(db)
        try:
            r = con.execute(sql, params).fetchall()
            con.commit()
            return r
        finally:
            con.close()

    def test_the_server_stopped_cleanly(self):
        self.assertEqual(self.stop_code, 0, self.stop_err[-5000:])

    def test_an_untouched_trail_verifies(self):
        r = self.server.cli("audit", "verify")
        self.assertEqual(r.returncode, 0, r.stderr)
        n = self.rows(self.server.db, "SELECT COUNT(*) FROM audit_log")[0][0]
        self.assertIn(str(n).encode(), r.stdout)
        r = self.server.cli("check")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_changed_row_is_found_and_named(self):
        db = self.copy_db("changed.db")
        rid = self.rows(db, "SELECT id FROM audit_log WHERE action = 'member.update' ORDER BY id LIMIT 1")[0][0]
        self.rows(db, "UPDATE audit_log SET after = replace(after, '第0次修改', '第9次修改') WHERE id = ?", (rid,))
        self.assertIn("第9次修改", self.rows(db, "SELECT after FROM audit_log WHERE id = ?", (rid,))[0][0])
        r = self.verify(db)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn(str(rid).encode(), r.stderr)
        self.assertIn(("row %d" % rid).encode(), r.stderr)

    def test_a_changed_actor_is_found(self):
        db = self.copy_db("actor.db")
        rid = self.rows(db, "SELECT id FROM audit_log WHERE actor = 'admin' ORDER BY id LIMIT 1")[0][0]
        self.rows(db, "UPDATE audit_log SET actor = 'secretary' WHERE id = ?", (rid,))
        r = self.verify(db)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(("row %d" % rid).encode(), r.stderr)

    def test_a_deleted_last_row_is_found(self):
        db = self.copy_db("deleted.db")
        last = self.rows(db, "SELECT MAX(id) FROM audit_log")[0][0]
        self.rows(db, "DELETE FROM audit_log WHERE id = ?", (last,))
        r = self.verify(db)
        self.assertNotEqual(r.returncode, 0, "deleting the last audit row went unnoticed: %r" % r.stdout)
        self.assertTrue(r.stderr.startswith(b"error: "), r.stderr)

    def test_a_deleted_middle_row_is_found(self):
        db = self.copy_db("gap.db")
        mid = self.rows(db, "SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3")[0][0]
        self.rows(db, "DELETE FROM audit_log WHERE id = ?", (mid,))
        r = self.verify(db)
        self.assertNotEqual(r.returncode, 0)
        self.assertTrue(r.stderr.startswith(b"error: "), r.stderr)

    def test_a_forged_row_is_found(self):
        db = self.copy_db("forged.db")
        last = self.rows(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")[0]
        self.rows(db, "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, before, after, "
                      "prev_hash, hash) VALUES (?, '2026-01-01T00:00:00Z', 1, 'admin', 'member.delete', 'member', 5, "
                      "NULL, NULL, ?, ?)", (last[0] + 1, last[1], "ab" * 32))
        r = self.verify(db)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(("row %d" % (last[0] + 1)).encode(), r.stderr)

    def test_a_forged_row_copied_from_another_row_is_found(self):
        db = self.copy_db("forged2.db")
        # replay a genuine row in the middle: same content, same hashes, new id
        rows = self.rows(db, "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash "
                             "FROM audit_log ORDER BY id")
        last = rows[-1]
        self.rows(db, "INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?,?,?)", (last[0] + 1,) + tuple(last[1:]))
        r = self.verify(db)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(("row %d" % (last[0] + 1)).encode(), r.stderr)

    def test_a_tampered_trail_is_reported_by_the_api(self):
        from harness import Server
        db = self.copy_db("api.db")
        rid = self.rows(db, "SELECT id FROM audit_log WHERE action = 'member.create' ORDER BY id LIMIT 1")[0][0]
        self.rows(db, "UPDATE audit_log SET after = '{}' WHERE id = ?", (rid,))
        s = Server(demo=False)
        try:
            s.backend.url = db
            s.backend.key_file = self.server.backend.key_file
            s.start()
            v = self.assertStatus(s.client("auditor").get("/audit/verify"), 200)
            self.assertFalse(v["ok"])
            self.assertEqual(v["first_bad_id"], rid)
            self.assertTrue(v["reason"])
        finally:
            code, err = s.stop()
            s.cleanup()
        self.assertEqual(code, 0, err[-3000:])


if __name__ == "__main__":
    unittest.main()
