"""t1200: member development (发展党员, RULES.md section 1): a case from application to full membership
through the 25 steps, the member record made at approval (step 17) and made full at step 24, each rule
refusal with its rule id and nothing written, warnings, failed votes, extension and cancellation,
stopping a case, scope and roles, and the board's due/overdue, dormant, plans and rules answers."""

import unittest

from dev_util import DevTest, ROOT, TIMELINE, TODAY, applicant_body
from harness import mask_id, member_payload

BRANCH = 2          # 厅机关第一党支部: the demo secretary's branch
BRANCH_B = 6        # 厅机关第三党支部
GENERAL = 29        # 省水运局党总支 (general branch)
UNDER_GENERAL = 30  # 省水运局机关党支部, a branch under it
OTHER = 5           # 厅机关第二党支部: another secretary's branch


class T1200Development(DevTest):

    branches = (BRANCH, BRANCH_B, UNDER_GENERAL, OTHER)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        body = member_payload(BRANCH, status="probationary", full_member_on=None)
        st, m, _ = admin.post("/members", body)
        assert st == 201, m
        cls.probationary = m["id"]
        st, u, _ = admin.post("/users", {"username": "sec_other", "display_name": "第二支部书记",
                                         "password": "Dev@2026xy", "role": "secretary", "org_id": OTHER})
        assert st == 201, u

    # ---- the whole case ------------------------------------------------------------------------

    def test_a_case_runs_from_application_to_full_membership_through_the_25_steps(self):
        n_members = self.member_count()
        body = applicant_body(BRANCH)
        a = self.create(body)
        self.assertEqual((a["stage"], a["status"], a["step"], a["rule_version"]), ("applicant", "open", 1, "2014"))
        self.assertEqual(a["step_name"], "递交入党申请书")
        self.assertEqual(a["applied_on"], "2023-03-01")
        self.assertEqual(a["id_card"], mask_id(body["id_card"]))
        self.assertEqual(a["phone"], body["phone"][:3] + "****" + body["phone"][-4:])
        self.assertEqual(a["org_id"], BRANCH)
        self.assertIsNone(a["member_id"])
        self.assertEqual(len(a["steps"]), 1)
        self.assertEqual(a["steps"][0]["step"], 1)
        self.assertEqual(a["next"]["step"], 2)
        self.assertEqual(a["next"]["due_on"], "2023-04-01")        # DEV-12: one month
        self.assertTrue(a["next"]["overdue"])
        self.assertEqual(a["warnings"], 0)

        got = self.advance(a, 3, after=1)
        self.assertEqual((got["applicant"]["stage"], got["applicant"]["activist_on"]), ("activist", "2023-04-10"))
        got = self.advance(a, 7, after=3)
        self.assertEqual((got["applicant"]["stage"], got["applicant"]["candidate_on"]), ("candidate", "2024-04-10"))
        self.assertEqual(got["step"]["step"], 7)
        got = self.advance(a, 14, after=7)
        self.assertEqual(got["applicant"]["stage"], "candidate")
        got = self.advance(a, 15, after=14)
        vote = got["step"]["vote"]
        self.assertEqual((vote["quorum"], vote["passed"], got["step"]["result"]), (True, True, "pass"))
        self.assertEqual(self.member_count(), n_members)
        got = self.advance(a, 17, after=15)
        ap = got["applicant"]
        self.assertEqual((ap["stage"], ap["approved_on"], ap["admitted_on"], ap["probation_end"]),
                         ("probationary", "2024-07-10", "2024-06-20", "2025-06-20"))
        self.assertIsNotNone(ap["member_id"])
        self.assertEqual(got["step"]["approver_org_id"], ROOT)
        self.assertTrue(got["step"]["approver_org_name"])
        # the member record: 预备党员 of the branch, joined on the step-15 meeting date (DEV-45)
        self.assertEqual(self.member_count(), n_members + 1)
        m = self.assertStatus(self.admin.get("/members/%d" % ap["member_id"]), 200)
        self.assertEqual((m["status"], m["joined_on"], m["full_member_on"], m["org_id"], m["name"], m["id_card"]),
                         ("probationary", "2024-06-20", None, BRANCH, body["name"], mask_id(body["id_card"])))
        m = self.assertStatus(self.admin.get("/members/%d" % ap["member_id"], {"reveal": 1}), 200)
        self.assertEqual((m["id_card"], m["phone"]), (body["id_card"], body["phone"]))
        again = self.assertStatus(self.admin.get("/applicants/%d" % a["id"], {"reveal": 1}), 200)
        self.assertEqual((again["id_card"], again["phone"]), (body["id_card"], body["phone"]))
        hist = self.assertStatus(self.admin.get("/members/%d/history" % ap["member_id"]), 200)["items"]
        created = [h for h in hist if h["action"] == "created"]
        self.assertEqual(len(created), 1, hist)
        self.assertIn("发展案例%d" % a["id"], created[0]["detail"])

        got = self.advance(a, 23, after=17)
        self.assertEqual(got["step"]["outcome"], "full")
        self.assertEqual(got["applicant"]["stage"], "probationary")
        m = self.assertStatus(self.admin.get("/members/%d" % ap["member_id"]), 200)
        self.assertEqual(m["status"], "probationary")
        got = self.advance(a, 24, after=23)
        self.assertEqual((got["applicant"]["stage"], got["applicant"]["full_on"]), ("full", "2025-06-20"))
        m = self.assertStatus(self.admin.get("/members/%d" % ap["member_id"]), 200)
        self.assertEqual((m["status"], m["full_member_on"]), ("full", "2025-06-20"))    # probation end (DEV-45)
        got = self.advance(a, 25, after=24)
        final = self.get(a["id"])
        self.assertEqual((final["status"], final["stage"], final["step"]), ("completed", "full", 25))
        self.assertIsNone(final["next"])
        self.assertEqual([s["step"] for s in final["steps"]], [s for s, _ in TIMELINE])
        self.assertEqual([s["on"] for s in final["steps"]], [d for _, d in TIMELINE])
        self.assertEqual(final["steps"][1]["people"][0]["member_id"], self.members[BRANCH][0])
        self.assertTrue(final["steps"][1]["people"][0]["name"])
        self.assertEqual(final["steps"][11]["training"], {"days": 3, "hours": 24})
        self.assertEqual(final["warnings_list"], [])
        # every step left its audit row, and a closed case takes no more steps
        rows = self.server.sql("SELECT action FROM audit_log WHERE entity = 'applicant' AND entity_id = ?"
                               " AND action <> 'applicant.reveal'", (a["id"],))
        self.assertEqual(sorted(r[0] for r in rows), sorted(["applicant.create"] + ["applicant.step"] * (len(TIMELINE) - 1)))
        self.assertRefused(lambda: self.post_step(a, 25, "2025-08-01"), 409, "case_closed")
        # the list shows the case
        listed = self.admin.all_items("/applicants", {"org": BRANCH, "status": "completed"})
        self.assertIn(a["id"], [x["id"] for x in listed])
        row = next(x for x in listed if x["id"] == a["id"])
        self.assertNotIn("steps", row)
        self.assertEqual((row["stage_label"], row["status"]), ("正式党员", "completed"))

    # ---- creating a case ------------------------------------------------------------------------

    def test_an_applicant_must_be_18_on_the_application_date(self):
        import datetime
        birth = datetime.date(2006, 5, 20)
        err = self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(BRANCH, "2024-05-19", birth=birth)),
                                 422, "rule_violation", rule="DEV-10")
        self.assertIn("2024-05-20", err["message"])
        a = self.create(applicant_body(BRANCH, "2024-05-20", birth=birth))
        self.assertEqual(a["applied_on"], "2024-05-20")

    def test_bad_applicant_fields_are_refused_and_nothing_is_written(self):
        self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(BRANCH, "2026-11-21")), 422,
                           "validation_failed", field="applied_on")
        body = applicant_body(BRANCH)
        body["id_card"] = body["id_card"][:-1] + ("0" if body["id_card"][-1] != "0" else "1")
        self.assertRefused(lambda: self.admin.post("/applicants", body), 422, "validation_failed", field="id_card")
        self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(BRANCH, name="")), 422,
                           "validation_failed", field="name")
        self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(ROOT)), 422, "validation_failed",
                           field="org_id")                                           # a committee, not a branch
        self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(BRANCH, rule_version="2020")), 422,
                           "validation_failed", field="rule_version")
        self.assertRefused(lambda: self.admin.post("/applicants", applicant_body(BRANCH, status="full")), 400,
                           "unknown_field")
        self.assertRefused(lambda: self.secretary.post("/applicants", applicant_body(OTHER)), 422,
                           "validation_failed", field="org_id")                      # outside the secretary's scope

    def test_an_identity_number_of_a_member_or_an_open_case_is_a_duplicate(self):
        st, m, _ = self.admin.get("/members/%d" % self.members[BRANCH][0], params={"reveal": 1})
        self.assertEqual(st, 200, m)
        body = applicant_body(BRANCH, birth=None)
        body.update(id_card=m["id_card"], birth_date=m["birth_date"], gender=m["gender"])
        self.assertRefused(lambda: self.admin.post("/applicants", body), 409, "duplicate_id_card")
        first = applicant_body(BRANCH)
        self.create(first)
        again = dict(first, name="另一人")
        self.assertRefused(lambda: self.admin.post("/applicants", again), 409, "duplicate_id_card")

    def test_the_rule_version_follows_the_application_date_unless_given(self):
        a = self.create(applicant_body(BRANCH, "2026-06-01", rule_version=None))
        self.assertEqual(a["rule_version"], "2026")
        b = self.create(applicant_body(BRANCH, "2026-05-17", rule_version=None))
        self.assertEqual(b["rule_version"], "2014")
        c = self.create(applicant_body(BRANCH, "2026-06-01", rule_version="2014"))
        self.assertEqual(c["rule_version"], "2014")
        self.assertEqual(self.get(a["id"])["steps"][0]["rule_version"], "2026")

    # ---- rule refusals: 422 rule_violation with the rule id, nothing written ----------------------

    def test_steps_go_in_order_and_dates_do_not_go_back_or_beyond_today(self):
        a = self.create(applicant_body(BRANCH))
        self.assertRefused(lambda: self.post_step(a, 3, "2023-04-10"), 422, "rule_violation", rule="DEV-01")
        self.assertRefused(lambda: self.post_step(a, 2, "2023-02-28"), 422, "rule_violation", field="on")
        self.assertRefused(lambda: self.post_step(a, 2, "2026-11-21"), 422, field="on")
        self.assertRefused(lambda: self.post_step(a, 2, "2023-03-20", people=[]), 422, field="people")
        self.assertRefused(lambda: self.post_step(a, 2, "2023-03-20", bogus=1), 400, "unknown_field")
        self.record(a, 2, "2023-03-20")
        self.assertRefused(lambda: self.post_step(a, 2, "2023-03-21"), 422, "rule_violation", rule="DEV-01")

    def test_a_late_talk_is_accepted_with_a_dev12_warning(self):
        a = self.create(applicant_body(BRANCH))
        got = self.record(a, 2, "2023-04-05")                   # applied 2023-03-01: due 2023-04-01
        self.assertEqual([w["rule"] for w in got["warnings"]], ["DEV-12"])
        self.assertEqual([w["rule"] for w in got["step"]["warnings"]], ["DEV-12"])
        self.assertEqual(got["applicant"]["warnings"], 1)
        self.assertEqual(got["applicant"]["warnings_list"][0]["step"], 2)
        self.assertEqual(got["applicant"]["warnings_list"][0]["rule"], "DEV-12")
        self.assertTrue(got["applicant"]["warnings_list"][0]["message"])

    def test_training_contacts_are_one_or_two_full_members_of_the_branch(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 4, after=1)
        mem = self.members[BRANCH]
        c = lambda mid: {"role": "contact", "member_id": mid}
        for people in ([], [c(mem[0]), c(mem[1]), c(mem[2])], [c(self.probationary)], [c(self.members[OTHER][0])],
                       [{"role": "contact", "name": "外单位人员"}]):
            with self.subTest(people=people):
                self.assertRefused(lambda: self.post_step(a, 5, "2023-04-25", people=people), 422, "rule_violation",
                                   rule="DEV-14", field="people")
        got = self.record(a, 5, "2023-04-25", people=[c(mem[0])])
        self.assertEqual([p["role"] for p in got["step"]["people"]], ["contact"])

    def test_a_candidate_is_named_only_a_full_year_after_the_activist_decision(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 6)
        err = self.assertRefused(lambda: self.post_step(a, 7, "2024-04-09"), 422, "rule_violation", rule="DEV-20",
                                 field="on")
        self.assertIn("2024-04-10", err["message"])
        self.record(a, 7, "2024-04-10")

    def test_a_candidate_needs_an_assessment_at_least_every_six_months(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 5)
        self.record(a, 6, "2023-09-30")
        # 2023-09-30 .. 2024-04-10 is more than 6 months without a 考察 record
        self.assertRefused(lambda: self.post_step(a, 7, "2024-04-10"), 422, "rule_violation", rule="DEV-15")

    def test_exactly_two_introducers_who_are_full_members_of_the_branch(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 8)
        mem = self.members[BRANCH]
        i = lambda mid: {"role": "introducer", "member_id": mid}
        for people in ([i(mem[0])], [i(mem[0]), i(mem[1]), i(mem[2])], [i(mem[0]), i(self.probationary)],
                       [i(mem[0]), i(self.members[OTHER][0])]):
            with self.subTest(people=people):
                self.assertRefused(lambda: self.post_step(a, 9, "2024-04-20", people=people), 422, "rule_violation",
                                   rule="DEV-21", field="people")
        self.record(a, 9, "2024-04-20")

    def test_a_political_review_needs_a_conclusion_and_a_failed_one_stops_the_case(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 9)
        self.assertRefused(lambda: self.post_step(a, 10, "2024-05-10", summary=""), 422, "rule_violation",
                           rule="DEV-22")
        self.assertRefused(lambda: self.post_step(a, 10, "2024-05-10", result=None), 422, "validation_failed",
                           field="result")
        got = self.record(a, 10, "2024-05-10", result="fail", summary="政治审查不合格")
        self.assertEqual((got["applicant"]["status"], got["step"]["result"]), ("stopped", "fail"))
        self.assertTrue(got["applicant"]["stop_reason"])
        self.assertRefused(lambda: self.post_step(a, 11, "2024-05-20"), 409, "case_closed")

    def test_training_of_less_than_three_days_and_24_hours_needs_a_justification(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 10)
        err = self.assertRefused(lambda: self.post_step(a, 11, "2024-05-20", training={"days": 2, "hours": 20}), 422,
                                 "rule_violation", rule="DEV-23", field="training")
        self.assertIn("training", err["fields"])
        got = self.record(a, 11, "2024-05-20", training={"days": 1, "hours": 8}, justification="因公外派，经党委同意补训")
        self.assertEqual([w["rule"] for w in got["warnings"]], ["DEV-23"])
        self.assertEqual(got["step"]["justification"], "因公外派，经党委同意补训")
        # (3 days, 0 hours) and (1 day, 24 hours) are each enough
        b = self.create(applicant_body(BRANCH))
        self.advance(b, 10)
        self.assertEqual(self.record(b, 11, "2024-05-20", training={"days": 1, "hours": 24})["warnings"], [])

    def test_votes_must_add_up_and_not_exceed_the_branchs_full_members(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 14)
        n = self.full_members(BRANCH)
        bad = [{"expected": n, "present": n, "yes": n, "no": 1, "abstain": 0, "written_yes": 0},
               {"expected": n, "present": n + 1, "yes": 1, "no": 0, "abstain": 0, "written_yes": 0},
               {"expected": n + 1, "present": n + 1, "yes": n + 1, "no": 0, "abstain": 0, "written_yes": 0}]
        for vote in bad:
            with self.subTest(vote=vote):
                self.assertRefused(lambda: self.post_step(a, 15, "2024-06-20", vote=vote), 422, "rule_violation",
                                   rule="DEV-30", field="vote")
        self.assertRefused(lambda: self.post_step(a, 15, "2024-06-20", vote=None), 422, "validation_failed",
                           field="vote")

    def test_a_failed_admission_vote_is_recorded_and_the_case_stays(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 14)
        n = self.full_members(BRANCH)
        half = n // 2
        got = self.record(a, 15, "2024-06-20", vote={"expected": n, "present": n, "yes": half, "no": n - half,
                                                      "abstain": 0, "written_yes": 0})
        self.assertEqual((got["step"]["result"], got["step"]["vote"]["passed"], got["step"]["vote"]["quorum"]),
                         ("fail", False, True))
        self.assertTrue(got["step"]["vote"]["reason"])
        ap = got["applicant"]
        self.assertEqual((ap["status"], ap["stage"], ap["admitted_on"]), ("open", "candidate", None))
        self.assertEqual(ap["next"]["step"], 15)
        # without a quorum: recorded as failed too
        got = self.record(a, 15, "2024-06-21", vote={"expected": n, "present": n // 2, "yes": n // 2, "no": 0,
                                                      "abstain": 0, "written_yes": 0})
        self.assertEqual((got["step"]["result"], got["step"]["vote"]["quorum"]), ("fail", False))
        # a later vote with written opinions passes (DEV-30: yes + written yes > expected / 2)
        present = n // 2 + 1
        got = self.record(a, 15, "2024-06-25", vote={"expected": n, "present": present, "yes": present - 1, "no": 1,
                                                      "abstain": 0, "written_yes": n - present})
        self.assertEqual(got["step"]["result"], "pass", got["step"]["vote"])
        self.record(a, 16, "2024-07-01")
        got = self.record(a, 17, "2024-07-10")
        self.assertEqual(got["applicant"]["admitted_on"], "2024-06-25")
        m = self.assertStatus(self.admin.get("/members/%d" % got["applicant"]["member_id"]), 200)
        self.assertEqual(m["joined_on"], "2024-06-25")

    def test_a_general_branch_may_not_approve(self):
        a = self.create(applicant_body(UNDER_GENERAL))
        self.advance(a, 12)
        for approver in (GENERAL, UNDER_GENERAL, BRANCH_B):
            with self.subTest(approver=approver):
                self.assertRefused(lambda: self.post_step(a, 13, "2024-06-10", approver_org_id=approver), 422,
                                   "rule_violation", rule="DEV-33", field="approver_org_id")
        self.assertRefused(lambda: self.post_step(a, 13, "2024-06-10", approver_org_id=99999999), 422,
                           "validation_failed", field="approver_org_id")
        self.record(a, 13, "2024-06-10", approver_org_id=ROOT)
        self.advance(a, 16, after=13)
        self.assertRefused(lambda: self.post_step(a, 17, "2024-07-10", approver_org_id=GENERAL), 422,
                           "rule_violation", rule="DEV-33")

    def test_approval_is_due_within_three_months_and_refused_after_six(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 16)                                       # branch meeting 2024-06-20
        err = self.assertRefused(lambda: self.post_step(a, 17, "2024-12-21"), 422, "rule_violation", rule="DEV-35",
                                 field="on")
        self.assertIn("2024-12-20", err["message"])
        got = self.record(a, 17, "2024-09-25")                   # later than 2024-09-20: a warning
        self.assertEqual([w["rule"] for w in got["warnings"]], ["DEV-35"])
        self.assertEqual(got["applicant"]["stage"], "probationary")

    def test_full_membership_is_discussed_only_after_the_probation(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 21)
        self.record(a, 22, "2025-06-10")
        self.assertRefused(lambda: self.post_step(a, 23, "2025-06-19"), 422, "rule_violation", rule="DEV-41")
        self.record(a, 23, "2025-06-20")                         # admitted 2024-06-20: one year

    def test_probation_is_extended_once_by_six_to_twelve_months(self):
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 22)
        for months in (5, 13):
            with self.subTest(months=months):
                self.assertRefused(lambda: self.post_step(a, 23, "2025-06-25", outcome="extend",
                                                          extension_months=months),
                                   422, "rule_violation", rule="DEV-42", field="extension_months")
        got = self.record(a, 23, "2025-06-25", outcome="extend", extension_months=6)
        self.assertEqual(got["step"]["extension_months"], 6)
        got = self.record(a, 24, "2025-07-10")
        ap = got["applicant"]
        self.assertEqual((ap["extensions"], ap["probation_end"], ap["stage"], ap["status"]),
                         (1, "2025-12-20", "probationary", "open"))
        m = self.assertStatus(self.admin.get("/members/%d" % ap["member_id"]), 200)
        self.assertEqual(m["status"], "probationary")
        self.assertEqual(ap["step"], 21)                          # steps 21-23 repeat
        self.assertEqual(ap["next"]["step"], 22)                  # today is past the new end: apply
        self.record(a, 21, "2025-10-01")
        self.record(a, 22, "2025-12-20")
        self.assertRefused(lambda: self.post_step(a, 23, "2025-12-22", outcome="extend", extension_months=6), 422,
                           "rule_violation", rule="DEV-42", field="outcome")
        self.record(a, 23, "2025-12-22")
        got = self.record(a, 24, "2026-01-10")
        self.assertEqual(got["applicant"]["full_on"], "2025-12-20")
        m = self.assertStatus(self.admin.get("/members/%d" % ap["member_id"]), 200)
        self.assertEqual((m["status"], m["full_member_on"]), ("full", "2025-12-20"))

    def test_a_cancelled_probation_makes_the_member_leave(self):
        a = self.create(applicant_body(BRANCH))
        got = self.advance(a, 22)
        mid = got["applicant"]["member_id"]
        self.assertRefused(lambda: self.admin.post("/applicants/%d/stop" % a["id"],
                                                   {"on": "2025-06-21", "reason": "本人要求"}), 409, "case_admitted")
        n = self.member_count()
        self.record(a, 23, "2025-06-25", outcome="cancel")
        got = self.record(a, 24, "2025-07-10", summary="同意取消其预备党员资格")
        self.assertEqual((got["applicant"]["status"], got["applicant"]["member_id"]), ("cancelled", mid))
        self.assertTrue(got["applicant"]["stop_reason"])
        self.assertEqual(self.member_count(), n - 1)
        row = self.server.sql("SELECT state, state_code FROM members WHERE id = ?", (mid,))
        self.assertEqual([str(v) for v in row[0]], ["left", "probation_cancelled"])
        self.assertRefused(lambda: self.post_step(a, 25, "2025-07-20"), 409, "case_closed")

    def test_the_2026_rules_want_publicity_before_naming_a_candidate(self):
        timeline = [(s, d) for s, d in TIMELINE if s < 7]
        a = self.create(applicant_body(BRANCH, rule_version="2026"))
        self.advance(a, 6, timeline=timeline)
        self.assertRefused(lambda: self.post_step(a, 7, "2024-04-10"), 422, "rule_violation", rule="DEV-50",
                           field="publicity")
        self.record(a, 6, "2024-09-20")
        # National Day 2024: 27 Sep, 29 Sep, 30 Sep, 8 Oct are only 4 working days to 8 Oct
        self.assertRefused(lambda: self.post_step(a, 7, "2024-10-10", publicity={"from": "2024-09-27",
                                                                                 "to": "2024-10-08"}),
                           422, "rule_violation", rule="DEV-50")
        got = self.record(a, 7, "2024-10-10", publicity={"from": "2024-09-27", "to": "2024-10-09"})
        self.assertEqual(got["step"]["publicity"]["working_days"], 5)
        self.assertEqual(got["step"]["rule_version"], "2026")

    # ---- stopping a case -----------------------------------------------------------------------

    def test_an_open_case_is_stopped_with_a_reason(self):
        a = self.create(applicant_body(BRANCH))
        self.record(a, 2, "2023-03-20")
        stop = lambda body: self.admin.post("/applicants/%d/stop" % a["id"], body)
        self.assertRefused(lambda: stop({"on": "2023-03-25"}), 422, field="reason")
        self.assertRefused(lambda: stop({"on": "2023-03-19", "reason": "本人撤回申请"}), 422, field="on")
        self.assertRefused(lambda: stop({"on": "2026-11-21", "reason": "本人撤回申请"}), 422, field="on")
        got = self.assertStatus(stop({"on": "2023-03-25", "reason": "本人撤回申请"}), 200)
        self.assertEqual((got["status"], got["stop_reason"], got["next"]), ("stopped", "本人撤回申请", None))
        self.assertRefused(lambda: self.post_step(a, 3, "2023-04-10"), 409, "case_closed")
        self.assertRefused(lambda: stop({"on": "2023-03-26", "reason": "再次"}), 409, "case_closed")
        listed = self.admin.all_items("/applicants", {"org": BRANCH, "status": "stopped"})
        self.assertIn(a["id"], [x["id"] for x in listed])

    # ---- scope and roles -----------------------------------------------------------------------

    def test_the_secretary_records_branch_steps_but_not_the_committees(self):
        sec = self.secretary
        a = self.create(applicant_body(BRANCH), client=sec)
        self.record(a, 2, "2023-03-20", client=sec)
        self.record(a, 3, "2023-04-10", client=sec)
        self.assertRefused(lambda: self.post_step(a, 4, "2023-04-20", client=sec), 403, "forbidden")
        self.record(a, 4, "2023-04-20")
        self.assertEqual(self.get(a["id"], client=sec)["step"], 4)

    def test_another_branchs_secretary_gets_404(self):
        a = self.create(applicant_body(BRANCH))
        other = self.as_user_pw("sec_other", "Dev@2026xy")
        self.assertRefused(lambda: other.get("/applicants/%d" % a["id"]), 404, "not_found")
        self.assertRefused(lambda: self.post_step(a, 2, "2023-03-20", client=other), 404, "not_found")
        self.assertRefused(lambda: other.post("/applicants/%d/stop" % a["id"], {"on": "2023-03-20", "reason": "x"}),
                           404, "not_found")
        self.assertRefused(lambda: other.get("/applicants", {"org": BRANCH}), 404, "not_found")
        mine = other.all_items("/applicants")
        self.assertTrue(all(x["org_id"] == OTHER for x in mine), mine)
        # the demo secretary's list holds only their branch's cases
        self.assertTrue(all(x["org_id"] == BRANCH for x in self.secretary.all_items("/applicants")))

    def test_members_and_auditors_may_not_see_development(self):
        member = self.as_user("member")
        for c in (member, self.auditor):
            self.assertRefused(lambda: c.get("/applicants"), 403, "forbidden")
            self.assertRefused(lambda: c.post("/applicants", applicant_body(BRANCH)), 403, "forbidden")
            self.assertRefused(lambda: c.get("/development/due"), 403, "forbidden")

    def as_user_pw(self, name, password):
        c = self._clients.get(name)
        if c is None:
            c = self.server.client(name, password)
            self._clients[name] = c
        return c

    # ---- the board -----------------------------------------------------------------------------

    def test_due_and_overdue_steps_by_month_and_in_the_alerts(self):
        soon = self.create(applicant_body(BRANCH, "2026-11-05"))        # talk due 2026-12-05
        late = self.create(applicant_body(BRANCH, "2026-10-10"))        # talk due 2026-11-10: overdue
        now = self.create(applicant_body(BRANCH, "2026-10-25"))         # talk due 2026-11-25: this month
        d = self.assertStatus(self.admin.get("/development/due", {"org": BRANCH}), 200)
        self.assertEqual(d["month"], "2026-11")
        due = [x["id"] for x in d["due"]]
        over = [x["id"] for x in d["overdue"]]
        self.assertIn(now["id"], due)
        self.assertIn(late["id"], over)
        self.assertNotIn(soon["id"], due + over)
        self.assertNotIn(late["id"], due)
        row = next(x for x in d["overdue"] if x["id"] == late["id"])
        self.assertEqual((row["next"]["step"], row["next"]["due_on"], row["next"]["overdue"], row["next"]["rule"]),
                         (2, "2026-11-10", True, "DEV-12"))
        d = self.assertStatus(self.secretary.get("/development/due", {"month": "2026-12"}), 200)
        self.assertIn(soon["id"], [x["id"] for x in d["due"]])
        self.assertError(self.admin.get("/development/due", {"month": "2026-13"}), 400, "invalid_parameter")
        self.assertError(self.as_user_pw("sec_other", "Dev@2026xy").get("/development/due", {"org": BRANCH}), 404)
        alerts = self.assertStatus(self.admin.get("/alerts", {"org": BRANCH}), 200)["items"]
        overdue = [x for x in alerts if x["kind"] == "development_overdue"]
        self.assertIn("#/development/applicants/%d" % late["id"], [x["link"] for x in overdue])
        self.assertTrue(all(x["severity"] == "high" for x in overdue))
        due_alerts = [x for x in alerts if x["kind"] == "development_due"]
        self.assertIn("#/development/applicants/%d" % now["id"], [x["link"] for x in due_alerts])
        self.assertTrue(all(x["severity"] == "medium" for x in due_alerts))
        counts = self.assertStatus(self.admin.get("/alerts", {"org": BRANCH}), 200)["counts"]
        self.assertEqual(counts["development_overdue"], len(overdue))

    def test_branches_without_a_member_developed_in_three_years_are_dormant(self):
        a = self.create(applicant_body(BRANCH_B))
        self.advance(a, 17)                                              # approved 2024-07-10
        d = self.assertStatus(self.admin.get("/development/dormant", {"org": ROOT}), 200)
        self.assertEqual((d["years"], d["since"]), (3, "2023-11-21"))
        ids = [x["org_id"] for x in d["items"]]
        self.assertNotIn(BRANCH_B, ids)
        self.assertIn(UNDER_GENERAL, ids)
        self.assertNotIn(GENERAL, ids)                                   # branches only
        self.assertIsNone(next(x for x in d["items"] if x["org_id"] == UNDER_GENERAL)["last_developed_on"])
        d = self.assertStatus(self.admin.get("/development/dormant", {"org": ROOT, "years": 2}), 200)
        self.assertEqual(d["since"], "2024-11-21")
        row = next(x for x in d["items"] if x["org_id"] == BRANCH_B)
        self.assertEqual(row["last_developed_on"], "2024-07-10")
        alerts = self.assertStatus(self.admin.get("/alerts", {"org": UNDER_GENERAL}), 200)["items"]
        dormant = [x for x in alerts if x["kind"] == "dormant_org"]
        self.assertEqual([(x["org_id"], x["severity"]) for x in dormant], [(UNDER_GENERAL, "low")])

    def test_plans_show_quota_and_progress(self):
        a = self.create(applicant_body(BRANCH_B, "2023-03-01"))
        self.advance(a, 17)                                              # developed in 2024
        self.create(applicant_body(BRANCH_B, "2024-02-01"))              # an open applicant
        before = self.snapshot()
        self.assertError(self.secretary.put("/development/plans", {"org_id": BRANCH, "year": 2024, "quota": 2}), 403)
        self.assertError(self.admin.put("/development/plans", {"org_id": BRANCH_B, "year": 2024, "quota": -1}), 422,
                         field="quota")
        self.assertEqual(self.snapshot(), before)
        got = self.assertStatus(self.admin.put("/development/plans", {"org_id": BRANCH_B, "year": 2024, "quota": 2}), 200)
        self.assertEqual((got["org_id"], got["year"], got["quota"]), (BRANCH_B, 2024, 2))
        self.assertEqual(self.audit_count(), before["audit"] + 1)
        p = self.assertStatus(self.admin.get("/development/plans", {"org": ROOT, "year": 2024}), 200)
        self.assertEqual(p["year"], 2024)
        row = next(x for x in p["items"] if x["org_id"] == BRANCH_B)
        self.assertEqual(row["quota"], 2)
        self.assertGreaterEqual(row["developed"], 1)
        self.assertGreaterEqual(row["applicants"], 1)
        top = next(x for x in p["items"] if x["org_id"] == ROOT)
        self.assertGreaterEqual(top["developed"], row["developed"])
        self.assertIsNone(top["quota"])
        p = self.assertStatus(self.admin.get("/development/plans", {"org": ROOT, "year": 2023}), 200)
        row = next(x for x in p["items"] if x["org_id"] == BRANCH_B)
        self.assertEqual((row["quota"], row["developed"]), (None, 0))

    def test_the_rules_of_both_versions_are_published(self):
        r = self.assertStatus(self.secretary.get("/development/rules"), 200)
        self.assertEqual(r["default_version"], "2026")                  # today is after 2026-05-18
        v14, v26 = r["versions"]["2014"], r["versions"]["2026"]
        self.assertEqual((v14["activist_months"], v14["probation_months"], v14["min_age"]), (12, 12, 18))
        self.assertEqual((v14["extension_min"], v14["extension_max"]), (6, 12))
        self.assertEqual(v14["publicity_steps"], [])
        self.assertEqual(v26["publicity_steps"], [7])
        self.assertEqual(v26["oath_deadline_months"], 1)
        self.assertTrue(all(i["rule"] and i["label"] for i in r["items"]))


class T1201DevelopmentSettings(DevTest):
    """The dev_rules and dev_rule_version settings change the numbers the checks use."""

    server_env = {"DJ_TODAY": TODAY, "DJ_DEV_RULES": "2014.activist_months=6", "DJ_DEV_RULE_VERSION": "2014"}
    branches = (BRANCH,)

    def test_the_settings_change_the_rules(self):
        r = self.assertStatus(self.admin.get("/development/rules"), 200)
        self.assertEqual((r["default_version"], r["versions"]["2014"]["activist_months"],
                          r["versions"]["2026"]["activist_months"]), ("2014", 6, 12))
        a = self.create(applicant_body(BRANCH, "2025-01-06", rule_version=None))
        self.assertEqual(a["rule_version"], "2014")
        timeline = [(1, "2025-01-06"), (2, "2025-01-20"), (3, "2025-02-10"), (4, "2025-02-20"), (5, "2025-02-25"),
                    (6, "2025-06-30")]
        self.advance(a, 6, after=1, timeline=timeline)
        self.assertRefused(lambda: self.post_step(a, 7, "2025-08-09"), 422, "rule_violation", rule="DEV-20")
        self.record(a, 7, "2025-08-10")                                 # 6 months after 2025-02-10


if __name__ == "__main__":
    unittest.main()
