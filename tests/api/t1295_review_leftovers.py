"""t1295: the review's leftovers. A mobile member's contact is sealed at rest (0010): new records,
rows still plain from before (read, sealed by the next write, sealed when the server starts);
absurd dates are refused (an expected return years away, a publicity period from 1800); a duplicate
identity number names no record id; attaching an inbound letter to a transferred member (and the
receipt that transferred them) writes a member.* audit row; a secretary's committee step answers 403
before the body is looked at."""

import datetime
import re

from dev_util import DevTest, TODAY, applicant_body
from harness import member_payload

BRANCH = 2          # 厅机关第一党支部: the demo secretary's branch
BRANCH_B = 6        # 厅机关第三党支部: outside the secretary's scope
PHONE = "13712345678"
TODAY_D = datetime.date.fromisoformat(TODAY)


def d(days_ago):
    return (TODAY_D - datetime.timedelta(days=days_ago)).isoformat()


class LeftoverTest(DevTest):

    branches = (BRANCH,)

    def mobile_body(self, mid, **over):
        b = {"member_id": mid, "out_on": d(200), "destination": "广东省深圳市", "contact": PHONE,
             "reason": "外出务工", "expected_return": d(-100)}
        b.update(over)
        return {k: v for k, v in b.items() if v is not None}

    def new_member(self, org_id=BRANCH):
        m, body = self.create_member(org_id)
        type(self).id_cards = getattr(type(self), "id_cards", {})
        self.id_cards[m["id"]] = body["id_card"]
        return m

    def raw_mobile_row(self, rid):
        """Every column of the record as text, the way a copy of the database shows it."""
        rows = self.server.sql("SELECT * FROM mobile_members WHERE id = ?", (rid,))
        self.assertEqual(len(rows), 1)
        return " | ".join("" if v is None else str(v) for v in rows[0])

    def mobile_snapshot(self):
        rows = self.server.sql("SELECT * FROM mobile_members ORDER BY id")
        return [[str(v) for v in r] for r in rows], self.audit_count()

    def plant_plain(self, rid, contact):
        """A row as written before 0010 (or by an older server): the plain number, nothing sealed."""
        self.server.sql("UPDATE mobile_members SET contact = ?, contact_enc = NULL, contact_masked = NULL"
                        " WHERE id = ?", (contact, rid))

    def reveal(self, rid):
        return self.assertStatus(self.admin.get("/mobile-members/%d" % rid, {"reveal": 1}), 200)["contact"]


class T1295MobileContact(LeftoverTest):

    def test_a_new_mobile_records_contact_is_sealed_in_the_database_and_shown_masked(self):
        m = self.new_member()
        r = self.assertStatus(self.admin.post("/mobile-members", self.mobile_body(m["id"])), 201)
        self.assertEqual(r["contact"], "137****5678")
        raw = self.raw_mobile_row(r["id"])
        self.assertNotIn(PHONE, raw)
        self.assertNotIn("12345678", raw)
        self.assertIn("137****5678", raw)                      # the masked copy for lists
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM mobile_members WHERE id = ? AND contact = ''",
                                             (r["id"],))[0][0]), 1)
        self.assertNotIn(PHONE, str(self.server.sql("SELECT before, after FROM audit_log")))
        # the API is unchanged: masked in lists and reads, the number with ?reveal=1
        items = self.admin.all_items("/mobile-members", {"org": BRANCH})
        self.assertEqual([x["contact"] for x in items if x["id"] == r["id"]], ["137****5678"])
        self.assertEqual(self.assertStatus(self.admin.get("/mobile-members/%d" % r["id"]), 200)["contact"],
                         "137****5678")
        self.assertEqual(self.reveal(r["id"]), PHONE)
        # a PATCH sending the masked text back keeps the number, still sealed
        u = self.assertStatus(self.admin.patch("/mobile-members/%d" % r["id"],
                                               {"contact": "137****5678", "destination": "广东省广州市"}), 200)
        self.assertEqual(u["contact"], "137****5678")
        self.assertEqual(self.reveal(r["id"]), PHONE)
        self.assertNotIn(PHONE, self.raw_mobile_row(r["id"]))
        # no contact: nothing sealed, null in replies
        m2 = self.new_member()
        body = self.mobile_body(m2["id"])
        del body["contact"]
        r2 = self.assertStatus(self.admin.post("/mobile-members", body), 201)
        self.assertIsNone(r2["contact"])
        self.assertIsNone(self.reveal(r2["id"]))

    def test_a_plain_contact_from_before_0010_is_read_and_sealed_by_the_next_write(self):
        m = self.new_member()
        r = self.assertStatus(self.admin.post("/mobile-members", self.mobile_body(m["id"], contact="微信 abc")), 201)
        self.plant_plain(r["id"], "13955556666")
        self.assertIn("13955556666", self.raw_mobile_row(r["id"]))
        self.assertEqual(self.assertStatus(self.admin.get("/mobile-members/%d" % r["id"]), 200)["contact"],
                         "139****6666")
        items = self.admin.all_items("/mobile-members", {"org": BRANCH})
        self.assertEqual([x["contact"] for x in items if x["id"] == r["id"]], ["139****6666"])
        self.assertEqual(self.reveal(r["id"]), "13955556666")
        # the next write of the record seals it, the number kept
        self.assertStatus(self.admin.patch("/mobile-members/%d" % r["id"], {"destination": "浙江省杭州市"}), 200)
        self.assertNotIn("13955556666", self.raw_mobile_row(r["id"]))
        self.assertEqual(self.reveal(r["id"]), "13955556666")
        # so does the return, which writes the record too
        self.plant_plain(r["id"], "13955557777")
        self.assertStatus(self.admin.post("/mobile-members/%d/return" % r["id"], {"on": d(1)}), 200)
        self.assertNotIn("13955557777", self.raw_mobile_row(r["id"]))
        self.assertEqual(self.reveal(r["id"]), "13955557777")


class T1295MobileContactAtStart(LeftoverTest):

    def test_plain_contacts_left_from_before_0010_are_sealed_when_the_server_starts(self):
        rids = []
        for phone in ("13811110001", "13811110002"):
            m = self.new_member()
            r = self.assertStatus(self.admin.post("/mobile-members", self.mobile_body(m["id"])), 201)
            self.plant_plain(r["id"], phone)
            rids.append(r["id"])
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM mobile_members WHERE contact <> ''")[0][0]), 2)
        code, err = self.server.stop()
        self.assertEqual(code, 0, err[-2000:])
        self.server.start()
        type(self)._clients = {}
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM mobile_members WHERE contact <> ''")[0][0]), 0)
        for rid, phone in zip(rids, ("13811110001", "13811110002")):
            self.assertNotIn(phone, self.raw_mobile_row(rid))
            self.assertIn(phone[:3] + "****" + phone[-4:], self.raw_mobile_row(rid))
            self.assertEqual(self.reveal(rid), phone)
        # and once only: a second start changes nothing
        before = self.server.sql("SELECT id, contact_enc FROM mobile_members ORDER BY id")
        self.server.stop()
        self.server.start()
        type(self)._clients = {}
        self.assertEqual(self.server.sql("SELECT id, contact_enc FROM mobile_members ORDER BY id"), before)


class T1295Bounds(LeftoverTest):

    def test_an_expected_return_more_than_five_years_after_going_out_is_refused(self):
        m = self.new_member()
        before = self.mobile_snapshot()
        for bad in ("9999-12-31", (datetime.date.fromisoformat(d(200)).replace(
                year=datetime.date.fromisoformat(d(200)).year + 5) + datetime.timedelta(days=1)).isoformat()):
            self.assertError(self.admin.post("/mobile-members", self.mobile_body(m["id"], expected_return=bad)),
                             422, "validation_failed", field="expected_return", message="预计返回日期不能晚于外出日期后5年")
            self.assertEqual(self.mobile_snapshot(), before)
        limit = datetime.date.fromisoformat(d(200))
        limit = limit.replace(year=limit.year + 5).isoformat()
        r = self.assertStatus(self.admin.post("/mobile-members", self.mobile_body(m["id"], expected_return=limit)), 201)
        before = self.mobile_snapshot()
        self.assertError(self.admin.patch("/mobile-members/%d" % r["id"], {"expected_return": "9999-12-31"}),
                         422, field="expected_return", message="预计返回日期不能晚于外出日期后5年")
        self.assertEqual(self.mobile_snapshot(), before)

    def test_a_date_before_the_founding_of_the_party_is_refused(self):
        m = self.new_member()
        before = self.mobile_snapshot()
        self.assertError(self.admin.post("/mobile-members", self.mobile_body(m["id"], out_on="1800-01-01",
                                                                             expected_return=None)),
                         422, field="out_on", message="外出日期不能早于1921年7月1日")
        self.assertEqual(self.mobile_snapshot(), before)

    def test_a_publicity_period_starting_in_1800_or_before_the_application_is_refused(self):
        a = self.create(applicant_body(BRANCH, applied_on="2023-03-01"))
        for pub, msg in (({"from": "1800-01-02", "to": "2023-03-10"}, "公示开始日期不能早于1921年7月1日"),
                         ({"from": "2023-02-28", "to": "2023-03-10"},
                          "公示开始日期不能早于递交入党申请书的日期2023-03-01")):
            err = self.assertRefused(lambda: self.post_step(a, 2, "2023-03-20", publicity=pub), 422,
                                     "validation_failed", field="publicity")
            self.assertEqual(err["fields"]["publicity"], msg)
        got = self.record(a, 2, "2023-03-20", publicity={"from": "2023-03-01", "to": "2023-03-10"})
        self.assertEqual(got["applicant"]["step"], 2)


class T1295Messages(LeftoverTest):

    def assertNoId(self, err):
        self.assertIsNone(re.search(r"\d", err["message"]), err)

    def test_a_duplicate_identity_number_names_no_record_id_and_keeps_its_code(self):
        # a member outside the secretary's branch, and an open case there
        outside, body = self.create_member(BRANCH_B)
        same = {k: body[k] for k in ("id_card", "birth_date", "gender")}
        err = self.assertError(self.secretary.post("/members", member_payload(BRANCH, **same)),
                               409, "duplicate_id_card")
        self.assertEqual(err["message"], "该身份证号已登记为党员")
        self.assertNoId(err)
        err = self.assertError(self.admin.post("/members", member_payload(BRANCH, **same)),
                               409, "duplicate_id_card")
        self.assertEqual(err["message"], "该身份证号已登记为党员")
        # the same number on an existing member through PATCH
        mine, _ = self.create_member(BRANCH)
        err = self.assertError(self.admin.patch("/members/%d" % mine["id"], same),
                               409, "duplicate_id_card")
        self.assertNoId(err)
        # development cases: a member's number, another branch's open case
        err = self.assertRefused(lambda: self.secretary.post("/applicants", applicant_body(BRANCH, **same)),
                                 409, "duplicate_id_card")
        self.assertEqual(err["message"], "该身份证号已登记为党员")
        case_body = applicant_body(BRANCH_B)
        case = self.create(case_body)
        same = {k: case_body[k] for k in ("id_card", "birth_date", "gender")}
        err = self.assertRefused(lambda: self.secretary.post("/applicants", applicant_body(BRANCH, **same)),
                                 409, "duplicate_id_card")
        self.assertEqual(err["message"], "该身份证号已有进行中的发展记录")
        self.assertNotIn(str(case["id"]), err["message"])
        self.assertNoId(err)


class T1295Transfers(LeftoverTest):

    def member_audits(self, mid):
        got = self.assertStatus(self.admin.get("/audit", {"entity": "member", "entity_id": mid, "per_page": 100}), 200)
        return list(reversed(got["items"]))

    def test_a_transferred_member_attached_to_an_inbound_letter_gets_member_audit_rows_and_history(self):
        m = self.new_member()
        out = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": m["id"],
                                                               "to_text": "外省某党委"}), 201)
        out = self.assertStatus(self.admin.post("/transfers/%d/approve" % out["id"], {"side": "sending"}), 200)
        n = len(self.member_audits(m["id"]))
        self.assertStatus(self.admin.post("/transfers/receipt", {"letter_no": out["letter_no"]}), 200)
        rows = self.member_audits(m["id"])
        self.assertEqual(len(rows), n + 1)
        self.assertEqual(rows[-1]["action"], "member.transfer_out")
        self.assertEqual((rows[-1]["before"]["state"], rows[-1]["after"]["state"]), ("active", "transferred"))

        t = self.assertStatus(self.admin.post("/transfers", {
            "kind": "inbound", "letter_no": "回转-1295", "from_text": "外省某县委组织部", "to_org_id": BRANCH_B,
            "letter_on": d(5), "valid_until": d(-85)}), 201)
        audits = self.audit_count()
        done = self.assertStatus(self.admin.post("/transfers/%d/attach" % t["id"], {"member_id": m["id"]}), 200)
        self.assertEqual((done["state"], done["member_id"]), ("completed", m["id"]))
        self.assertEqual(self.audit_count(), audits + 2)       # member.transfer_in, transfer.attach
        rows = self.member_audits(m["id"])
        self.assertEqual(rows[-1]["action"], "member.transfer_in")
        b, a = rows[-1]["before"], rows[-1]["after"]
        self.assertEqual((b["state"], b["org_id"]), ("transferred", BRANCH))
        self.assertEqual((a["state"], a["org_id"]), ("active", BRANCH_B))
        self.assertNotIn(self.id_cards[m["id"]], str(rows[-1]))
        # the history has the move and the state change, the states their event
        hist = self.assertStatus(self.admin.get("/members/%d/history" % m["id"]), 200)["items"]
        actions = [h["action"] for h in hist]
        self.assertIn("moved", actions)
        self.assertGreaterEqual(actions.count("state"), 2)      # out (receipt) and back in
        states = self.assertStatus(self.admin.get("/members/%d/states" % m["id"]), 200)["items"]
        self.assertEqual([(s["from"], s["to"]) for s in states][-2:], [("active", "transferred"), ("transferred", "active")])

        # an active member moved in by a letter is audited too; the new-member path stays member.create
        m2 = self.new_member()
        t2 = self.assertStatus(self.admin.post("/transfers", {
            "kind": "inbound", "letter_no": "回转-1295b", "from_text": "外省", "to_org_id": BRANCH_B,
            "letter_on": d(5)}), 201)
        self.assertStatus(self.admin.post("/transfers/%d/attach" % t2["id"], {"member_id": m2["id"]}), 200)
        rows = self.member_audits(m2["id"])
        self.assertEqual(rows[-1]["action"], "member.transfer_in")
        self.assertEqual((rows[-1]["before"]["org_id"], rows[-1]["after"]["org_id"]), (BRANCH, BRANCH_B))


class T1295CommitteeStep(LeftoverTest):

    def test_a_secretarys_committee_step_answers_403_before_the_body_is_validated(self):
        sec = self.secretary
        a = self.create(applicant_body(BRANCH), client=sec)
        self.record(a, 2, "2023-03-20", client=sec)
        self.record(a, 3, "2023-04-10", client=sec)
        url = "/applicants/%d/steps" % a["id"]
        for body in ({"step": 4, "on": "not-a-date"}, {"step": 4}, {"step": 4, "on": "2023-04-20", "bogus": 1},
                     {"step": 4, "on": "2023-04-20", "publicity": {"from": "1800-01-01"}},
                     {"step": 17, "vote": "x"}):
            self.assertRefused(lambda: sec.post(url, body), 403, "forbidden")
        # a branch step with a bad body is still validated for the secretary
        self.assertRefused(lambda: sec.post(url, {"step": 5, "on": "not-a-date"}), 422, field="on")
        self.assertRefused(lambda: sec.post(url, {"step": "four", "on": "2023-04-20"}), 422, field="step")
        # staff get the validation answer for the same committee step
        self.assertRefused(lambda: self.admin.post(url, {"step": 4, "on": "not-a-date"}), 422, field="on")
        self.record(a, 4, "2023-04-20")
