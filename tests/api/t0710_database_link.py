"""t0710: the link to PostgreSQL breaks (a restart, a failover, a killed session): reads are
answered on a new connection, a write answers 503 with a clear message and writes nothing, and the
next request works. One worker thread, so the connection killed is the one the next request uses."""

import unittest

from harness import PG_URL, ServerTest, member_payload

KILL = ("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE application_name = 'dangjian' AND datname = current_database()")


@unittest.skipUnless(PG_URL, "PostgreSQL only: an SQLite database has no link to lose")
class T0710DatabaseLink(ServerTest):

    server_env = {"DJ_THREADS": "1"}

    def kill_links(self):
        self.assertGreaterEqual(int(self.server.sql(KILL)[0][0]), 1)

    def test_a_read_after_the_link_broke_is_answered_on_a_new_connection(self):
        before = self.assertStatus(self.admin.get("/members", {"per_page": 5}), 200)
        self.kill_links()
        after = self.assertStatus(self.admin.get("/members", {"per_page": 5}), 200)
        self.assertEqual(after["total"], before["total"])
        self.assertEqual([m["id"] for m in after["items"]], [m["id"] for m in before["items"]])
        self.assertIn("reading again on a new connection", self.server.stderr_text())

    def test_a_reveal_after_the_link_broke_is_answered_and_audited_once(self):
        m = self.assertStatus(self.admin.get("/members", {"per_page": 1}), 200)["items"][0]
        def reveals():
            return self.assertStatus(self.admin.get("/audit", {"action": "member.reveal", "entity_id": m["id"]}),
                                     200)["total"]
        n = reveals()
        self.kill_links()
        got = self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
        self.assertNotIn("*", got["id_card"])
        self.assertEqual(reveals(), n + 1)

    def test_a_write_after_the_link_broke_answers_503_writes_nothing_and_the_next_one_works(self):
        n = self.member_count()
        audit = self.audit_count()
        body = member_payload(101)
        self.assertStatus(self.admin.get("/session"), 200)
        self.kill_links()
        err = self.assertError(self.admin.post("/members", body), 503, "service_unavailable")
        self.assertEqual(err["message"], "数据库连接中断")
        self.assertEqual(self.member_count(), n)
        self.assertEqual(self.audit_count(), audit)
        created = self.assertStatus(self.admin.post("/members", body), 201)
        self.assertEqual(created["name"], body["name"])
        self.assertEqual(self.member_count(), n + 1)

    def test_a_broken_link_during_a_read_does_not_stop_the_server(self):
        self.assertStatus(self.admin.get("/orgs"), 200)
        for _ in range(3):
            self.kill_links()
            self.assertStatus(self.admin.get("/orgs"), 200)
        self.assertStatus(self.admin.get("/health"), 200)


if __name__ == "__main__":
    unittest.main()
