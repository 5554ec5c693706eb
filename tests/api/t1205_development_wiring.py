"""t1205: the development rules the HTTP layer wires from core: the DEV-32 warning from an expected
leaving date at step 13, the body that acts on each step (DEV-03) in steps and in the rules, the
higher committee's steps, only branches take cases (DEV-11), moving an open case to another branch
before approval (DEV-16) with its audit row, and introducers under 留党察看 refused (DEV-21)."""

import unittest

from dev_util import DevTest, ROOT, TIMELINE, applicant_body

BRANCH = 2          # 厅机关第一党支部: the demo secretary's branch
BRANCH_B = 6        # 厅机关第三党支部
GENERAL = 29        # 省水运局党总支 (general branch)
OTHER = 5           # 厅机关第二党支部


class T1205DevelopmentWiring(DevTest):

    branches = (BRANCH, BRANCH_B)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # log every client in now: a login is audited, and refusals compare audit counts
        for name in ("secretary", "auditor", "member"):
            cls.as_user(name)

    # ---- DEV-32: leaving within 3 months of the pre-review ---------------------------------------

    def test_a_candidate_leaving_within_three_months_of_the_pre_review_is_warned_about(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 12)
        # only step 13 takes the date
        self.assertRefused(lambda: self.post_step(a, 13, "2024-06-10", leaving_on="not a date"), 422,
                           "validation_failed", field="leaving_on")
        b = self.create(applicant_body(BRANCH))
        self.advance(b, 11)
        self.assertRefused(lambda: self.post_step(b, 12, "2024-06-01", leaving_on="2024-07-01"), 422,
                           "validation_failed", field="leaving_on")
        got = self.record(a, 13, "2024-06-10", leaving_on="2024-09-10")      # exactly 3 months: warned
        self.assertEqual([w["rule"] for w in got["warnings"]], ["DEV-32"])
        self.assertIn("2024-09-10", got["warnings"][0]["message"])
        self.assertEqual([w["rule"] for w in got["step"]["warnings"]], ["DEV-32"])
        self.assertEqual(got["applicant"]["warnings_list"][-1]["rule"], "DEV-32")
        got = self.record(b, 12, "2024-06-01", leaving_on=None)
        got = self.record(b, 13, "2024-06-10", leaving_on="2024-09-11")      # a day beyond: no warning
        self.assertEqual(got["warnings"], [])
        c = self.create(applicant_body(BRANCH))
        self.advance(c, 12)
        self.assertEqual(self.record(c, 13, "2024-06-10")["warnings"], [])   # no date: nothing to say

    # ---- DEV-03: who acts on each step ------------------------------------------------------------

    def test_each_step_names_the_body_that_acts_on_it(self):
        a = self.create(applicant_body(BRANCH))
        got = self.advance(a, 4)
        steps = self.get(a["id"])["steps"]
        self.assertEqual([(s["step"], s["body"]) for s in steps],
                         [(1, "person"), (2, "branch"), (3, "branch_committee"), (4, "higher_committee")])
        self.assertEqual([s["body_label"] for s in steps], ["本人", "党支部", "支部委员会", "上级党委"])
        self.assertEqual((got["step"]["body"], got["step"]["body_label"]), ("higher_committee", "上级党委"))
        rules = self.assertStatus(self.secretary.get("/development/rules"), 200)
        self.assertEqual([s["step"] for s in rules["steps"]], list(range(1, 26)))
        by = {s["step"]: s for s in rules["steps"]}
        self.assertEqual([s for s in by if by[s]["committee"]], [4, 8, 13, 17, 18, 24])
        self.assertEqual((by[15]["body"], by[15]["body_label"], by[15]["vote"]), ("branch_meeting", "支部党员大会", True))
        self.assertEqual((by[18]["body"], by[18]["filing"]), ("upper_department", True))
        self.assertEqual((by[11]["body"], by[16]["body"]), ("higher_org", "higher_org"))
        self.assertEqual([s for s in by if by[s]["periodic"]], [6, 21])
        self.assertEqual(by[7]["name"], "确定发展对象")
        self.assertTrue(all(s["stage_name"] and s["actor"] for s in rules["steps"]))

    def test_only_staff_record_the_higher_committees_steps(self):
        sec = self.secretary
        a = self.create(applicant_body(BRANCH), client=sec)
        self.advance(a, 3)
        self.assertRefused(lambda: self.post_step(a, 4, "2023-04-20", client=sec), 403, "forbidden")
        self.record(a, 4, "2023-04-20")
        self.record(a, 5, "2023-04-25", client=sec)

    def test_a_case_is_opened_only_in_a_branch(self):
        for org in (ROOT, GENERAL):
            with self.subTest(org=org):
                self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(org)), 422,
                                   "validation_failed", field="org_id")

    # ---- DEV-16: moving an open case ----------------------------------------------------------------

    def move(self, case, org_id, on, client=None, **over):
        body = {"org_id": org_id, "on": on, "reason": "工作单位调动"}
        body.update(over)
        return (client or self.admin).post("/applicants/%d/move" % case["id"], {k: v for k, v in body.items()
                                                                               if v is not None})

    def test_an_activist_moves_to_another_branch_and_training_time_counts_on(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 6, timeline=TIMELINE[:6])                        # up to the first 考察, 2023-09-30
        moved = self.assertStatus(self.move(a, BRANCH_B, "2023-10-15"), 200)
        self.assertEqual((moved["org_id"], moved["stage"], moved["status"], moved["step"]), (BRANCH_B, "activist", "open", 6))
        self.assertEqual(moved["activist_on"], "2023-04-10")
        self.assertEqual([s["step"] for s in moved["steps"]], [1, 2, 3, 4, 5, 6])
        self.assertNotIn(a["id"], [x["id"] for x in self.admin.all_items("/applicants", {"org": BRANCH})])
        self.assertIn(a["id"], [x["id"] for x in self.admin.all_items("/applicants", {"org": BRANCH_B})])
        # the new branch goes on: the year as activist counts from step 3 in the old branch (DEV-20)
        self.record(moved, 6, "2024-03-25")
        got = self.record(moved, 7, "2024-04-10")
        self.assertEqual((got["applicant"]["stage"], got["applicant"]["org_id"]), ("candidate", BRANCH_B))
        # steps naming people now want the new branch's members
        mem_old = self.members[BRANCH]
        self.record(moved, 8, "2024-04-15")
        self.assertRefused(lambda: self.post_step(moved, 9, "2024-04-20", people=[
            {"role": "introducer", "member_id": mem_old[1]}, {"role": "introducer", "member_id": mem_old[2]}]),
            422, "rule_violation", rule="DEV-21")
        self.record(moved, 9, "2024-04-20")
        # the move is in the audit trail with before and after
        rows = self.assertStatus(self.admin.get("/audit", {"entity": "applicant", "entity_id": a["id"],
                                                           "action": "applicant.move"}), 200)["items"]
        self.assertEqual(len(rows), 1)
        before, after = rows[0]["before"], rows[0]["after"]
        self.assertEqual(before["org_id"], BRANCH)
        self.assertEqual((after["from_org_id"], after["to_org_id"], after["moved_on"], after["reason"]),
                         (BRANCH, BRANCH_B, "2023-10-15", "工作单位调动"))
        self.assertEqual(after["applicant"]["org_id"], BRANCH_B)
        self.assertTrue(after["from_org_name"] and after["to_org_name"])

    def test_bad_moves_are_refused_and_nothing_is_written(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 3)                                                  # last step 2023-04-10
        for over, field in (({"org_id": BRANCH}, "org_id"),                 # the same branch
                            ({"org_id": GENERAL}, "org_id"),                # not a branch (DEV-11)
                            ({"org_id": ROOT}, "org_id"),
                            ({"org_id": None}, "org_id"),
                            ({"on": "2023-04-09"}, "on"),                   # before the latest step
                            ({"on": "2026-11-21"}, "on"),                   # after today
                            ({"on": None}, "on"),
                            ({"reason": ""}, "reason"),
                            ({"reason": None}, "reason")):
            with self.subTest(over=over):
                self.assertRefused(lambda: self.move(a, **dict({"org_id": BRANCH_B, "on": "2023-05-01"},
                                                               **over)), 422, "validation_failed", field=field)
        self.assertRefused(lambda: self.move(a, BRANCH_B, "2023-05-01", bogus=1), 400, "unknown_field")
        self.assertRefused(lambda: self.move(a, 99999999, "2023-05-01"), 404)
        # a secretary reaches neither a branch outside their own nor a case outside it
        self.assertRefused(lambda: self.move(a, OTHER, "2023-05-01", client=self.secretary), 404)
        other = self.create(applicant_body(BRANCH_B))
        self.assertRefused(lambda: self.move(other, BRANCH, "2023-05-01", client=self.secretary), 404)
        self.assertRefused(lambda: self.move(a, BRANCH_B, "2023-05-01", client=self.as_user("member")), 403)
        self.assertRefused(lambda: self.move(a, BRANCH_B, "2023-05-01", client=self.auditor), 403)
        # the move on the latest step's own date is fine
        self.assertEqual(self.assertStatus(self.move(a, BRANCH_B, "2023-04-10"), 200)["org_id"], BRANCH_B)

    def test_an_approved_or_closed_case_does_not_move(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 17)
        err = self.assertRefused(lambda: self.move(a, BRANCH_B, "2024-08-01"), 422, "rule_violation", rule="DEV-16",
                                 field="org_id")
        self.assertIn("组织关系转接", err["message"])
        b = self.create(applicant_body(BRANCH))
        self.assertStatus(self.admin.post("/applicants/%d/stop" % b["id"], {"on": "2023-03-10", "reason": "本人撤回申请"}), 200)
        self.assertRefused(lambda: self.move(b, BRANCH_B, "2023-04-01"), 409, "case_closed")


if __name__ == "__main__":
    unittest.main()
