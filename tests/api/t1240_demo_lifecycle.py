"""t1240: the member lifecycle in the department-sized demo (`dangjian demo`, 3,000 members): 124 members
developed in the demo year across many branches, cases at every stage with overdue ones, transfers in every
state, mobile, lost and departed members, figures that count the new members, and the same data for the
same seed."""

import os
import tempfile
import unittest

from harness import Server, ServerTest, run_cli

TODAY = "2026-11-20"
YEAR = 2026
MEMBERS = 3000


class T1240DemoLifecycle(ServerTest):
    server_env = {"DJ_TODAY": TODAY}

    @classmethod
    def setUpClass(cls):
        # ServerTest's demo has 300 members and no lifecycle data: build the department-sized one
        unittest.TestCase.setUpClass()
        cls.server = Server(env=cls.server_env, members=MEMBERS)
        cls.addClassCleanup(cls._finish_server)
        cls.server.start()
        cls._clients = {}

    def cases(self, **params):
        return self.admin.all_items("/applicants", dict({"org": 1}, **params))

    def test_124_members_developed_in_the_year_over_many_branches(self):
        body = self.assertStatus(self.admin.get("/development/plans", {"org": 1, "year": YEAR}), 200)
        root = next(i for i in body["items"] if i["org_id"] == 1)
        self.assertEqual(root["developed"], 124)
        branches = [i for i in body["items"] if i["org_type"] == "branch" and i["developed"] > 0]
        self.assertGreaterEqual(len(branches), 30)
        self.assertEqual(sum(i["developed"] for i in branches), 124)
        # none last year counts in this year; the completed cases were approved the year before
        last = self.assertStatus(self.admin.get("/development/plans", {"org": 1, "year": YEAR - 1}), 200)
        self.assertGreater(next(i for i in last["items"] if i["org_id"] == 1)["developed"], 0)

    def test_each_approved_case_has_its_member_record(self):
        approved = [a for a in self.cases() if a["approved_on"]]
        in_year = [a for a in approved if a["approved_on"].startswith(str(YEAR))]
        self.assertEqual(len(in_year), 124)
        for a in approved[::9]:
            self.assertTrue(a["member_id"], a)
            m = self.assertStatus(self.admin.get("/members/%d" % a["member_id"]), 200)
            self.assertEqual(m["name"], a["name"])
            self.assertEqual(m["joined_on"], a["admitted_on"])
            self.assertEqual(m["org_id"], a["org_id"])
            if a["stage"] == "full":
                self.assertEqual((m["status"], m["full_member_on"]), ("full", a["full_on"]))
            else:
                self.assertEqual(m["status"], "probationary")

    def test_cases_at_every_stage(self):
        by_stage = {}
        for a in self.cases():
            by_stage.setdefault(a["stage"], []).append(a)
        for stage in ("applicant", "activist", "candidate", "probationary", "full"):
            self.assertIn(stage, by_stage)
        self.assertGreaterEqual(len(by_stage["applicant"]), 10)
        self.assertGreaterEqual(len(by_stage["activist"]), 20)
        self.assertGreaterEqual(len(by_stage["candidate"]), 10)
        self.assertGreaterEqual(len(by_stage["probationary"]), 124)
        self.assertTrue(all(a["status"] == "completed" and a["step"] == 25 for a in by_stage["full"]))
        self.assertTrue(all(a["status"] == "open" for s in ("applicant", "activist", "candidate", "probationary")
                            for a in by_stage[s]))
        t = self.assertStatus(self.admin.get("/applicants", {"org": 1, "stage": "probationary"}), 200)["total"]
        self.assertEqual(t, len(by_stage["probationary"]))

    def test_overdue_talk_approval_and_full_membership(self):
        body = self.assertStatus(self.admin.get("/development/due", {"org": 1, "month": TODAY[:7]}), 200)
        steps = {a["next"]["step"] for a in body["overdue"]}
        self.assertIn(2, steps)     # DEV-12: no talk within a month of the application
        self.assertTrue({16, 17} & steps)   # DEV-35: branch meeting over 3 months ago, not approved
        self.assertIn(22, steps)    # DEV-41: probation over, 转正 not discussed
        for a in body["overdue"]:
            self.assertTrue(a["next"]["overdue"], a)
            self.assertLess(a["next"]["due_on"], TODAY)

    def test_a_case_in_full(self):
        a = next(a for a in self.cases(stage="full"))
        full = self.assertStatus(self.admin.get("/applicants/%d" % a["id"]), 200)
        steps = [s["step"] for s in full["steps"]]
        self.assertEqual(sorted(set(steps)), list(range(1, 26)))
        self.assertEqual(steps, sorted(steps))
        meeting = next(s for s in full["steps"] if s["step"] == 15)
        self.assertTrue(meeting["vote"]["passed"])
        self.assertEqual(len([p for s in full["steps"] if s["step"] == 9 for p in s["people"]
                              if p["role"] == "introducer"]), 2)

    def test_transfers_in_every_state(self):
        items = self.admin.all_items("/transfers", {"org": 1})
        pairs = {(t["kind"], t["state"]) for t in items}
        for want in [("in_system", "requested"), ("in_system", "sending_approved"), ("in_system", "completed"),
                     ("in_system", "returned"), ("in_system", "cancelled"), ("outbound", "requested"),
                     ("outbound", "letter_issued"), ("outbound", "completed"), ("outbound", "returned"),
                     ("inbound", "registered")]:
            self.assertIn(want, pairs)
        expired = self.admin.all_items("/transfers", {"org": 1, "expired": 1})
        self.assertEqual([t["state"] for t in expired], ["letter_issued"])
        issued = [t for t in items if t["state"] == "letter_issued"]
        self.assertEqual(len(issued), 2)
        for t in issued:
            self.assertRegex(t["letter_no"], r"^\d{4}-\d{6}$")
            self.assertTrue(t["dues_paid_to"])
        # the letter of an issued transfer renders
        st, raw, _ = self.admin.get("/transfers/%d/letter.pdf" % issued[0]["id"])
        self.assertEqual(st, 200)
        self.assertTrue(raw.startswith(b"%PDF-"))

    def test_completed_transfers_moved_or_transferred_the_member(self):
        items = self.admin.all_items("/transfers", {"org": 1, "state": "completed"})
        moved = next(t for t in items if t["kind"] == "in_system")
        m = self.assertStatus(self.admin.get("/members/%d" % moved["member_id"]), 200)
        self.assertEqual(m["org_id"], moved["to_org_id"])
        out = next(t for t in items if t["kind"] == "outbound")
        m = self.assertStatus(self.admin.get("/members/%d" % out["member_id"]), 200)
        self.assertEqual(m["state"], "transferred")
        self.assertTrue(out["receipt_on"])

    def test_mobile_lost_and_left_members(self):
        mob = self.admin.all_items("/mobile-members", {"org": 1})
        self.assertGreaterEqual(sum(1 for m in mob if m["state"] == "out"), 3)
        self.assertGreaterEqual(sum(1 for m in mob if m["state"] == "returned"), 2)
        for m in mob:
            if m["state"] == "out":
                self.assertTrue(self.assertStatus(self.admin.get("/members/%d" % m["member_id"]), 200)["mobile"])
        lost = self.admin.all_items("/members", {"org": 1, "state": "lost"})
        self.assertEqual(len(lost), 2)
        left = self.admin.all_items("/members", {"org": 1, "state": "left"})
        self.assertEqual([m["state_code"] for m in left], ["death"])

    def test_figures_count_the_new_members(self):
        stats = self.assertStatus(self.admin.get("/orgs/1/stats"), 200)
        listed = self.assertStatus(self.admin.get("/members", {"org": 1, "per_page": 1}), 200)["total"]
        # 3,000 generated + 124 this year + those approved last year, less the outbound transfer and the exit
        approved = sum(1 for a in self.cases() if a["approved_on"])
        self.assertEqual(listed, MEMBERS + approved - 2)
        self.assertEqual(stats["members"], listed)
        probationary = next(r["n"] for r in stats["by_status"] if r["key"] == "probationary")
        self.assertGreaterEqual(probationary, 124)
        r = self.server.cli("check")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_same_seed_same_data(self):
        other = Server(env=self.server_env, members=MEMBERS)
        try:
            q = ("SELECT a.name, a.birth_date, a.stage, a.status, a.step, a.applied_on, a.approved_on,"
                 " (SELECT COUNT(*) FROM dev_steps s WHERE s.applicant_id = a.id) FROM applicants a ORDER BY a.id")
            self.assertEqual(self.server.sql(q), other.sql(q))
            q = "SELECT kind, state, letter_no, requested_on, member_id FROM transfers ORDER BY id"
            self.assertEqual(self.server.sql(q), other.sql(q))
        finally:
            other.cleanup()


class T1240DemoEarlyInYear(unittest.TestCase):
    def test_124_developed_even_on_the_second_of_january(self):
        with tempfile.TemporaryDirectory() as d:
            r = run_cli("demo", "--db", os.path.join(d, "x.db"), env={"DJ_TODAY": "2027-01-02"})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("(124 developed in 2027)", r.stdout.decode())

    def test_small_demo_has_no_lifecycle_data(self):
        with tempfile.TemporaryDirectory() as d:
            r = run_cli("demo", "--db", os.path.join(d, "x.db"), "--members", "300")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("demo lifecycle", r.stdout.decode())


if __name__ == "__main__":
    unittest.main()
