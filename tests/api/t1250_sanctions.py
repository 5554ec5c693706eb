"""t1250: disciplinary sanctions (党纪处分, RULES.md 6.1): recording the five sanctions with their effect
periods (DISC-02), the refusals (DISC-03, DISC-05, the 留党察看 lengths, dates), Party posts ending,
开除党籍 making the member leave as an exit does, ending a 留党察看 with restoration (only once the
period is over) or expulsion, the subtree list of sanctions in effect, roles, the audit trail, and
introducers under 留党察看 refused at step 9 (DEV-21). Refusals change nothing."""

import datetime
import unittest

from dev_util import DevTest, ROOT, applicant_body

BRANCH = 2          # 厅机关第一党支部: the demo secretary's branch
OTHER = 5           # 厅机关第二党支部: outside the secretary's scope
TODAY = datetime.date(2026, 11, 20)


class T1250Sanctions(DevTest):

    branches = (BRANCH,)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # log every client in now: a login is audited, and refusals compare audit counts
        for name in ("secretary", "auditor", "member"):
            cls.as_user(name)

    # ---- helpers ---------------------------------------------------------------------------------

    def member(self, org=BRANCH, **over):
        m, _ = self.create_member(org, **over)
        return m

    def body(self, **over):
        b = {"type": "warning", "decided_on": "2026-01-10", "basis": "违反工作纪律，支部大会决定（党纪字〔2026〕1号）",
             "decided_by": "厅机关第一党支部党员大会", "approved_by": "厅直机关党委", "approved_on": "2026-01-10"}
        b.update(over)
        return {k: v for k, v in b.items() if v is not None}

    def sanction(self, mid, client=None, **over):
        st, got, _ = (client or self.admin).post("/members/%d/sanctions" % mid, self.body(**over))
        self.assertEqual(st, 201, "record sanction: %.800r" % (got,))
        return got

    def sanctions_of(self, mid, client=None):
        return self.assertStatus((client or self.admin).get("/members/%d/sanctions" % mid), 200)["items"]

    def snap(self, mid):
        tables = {}
        for t in ("sanctions", "members", "member_states", "org_committee", "mobile_members", "member_history"):
            tables[t] = sorted(tuple(str(v) for v in r) for r in self.server.sql("SELECT * FROM %s" % t))
        tables["audit"] = self.audit_count()
        return tables

    def refused(self, resp_fn, status, code=None, field=None, rule=None, mid=None):
        before = self.snap(mid)
        err = self.assertError(resp_fn(), status, code, field=field)
        if rule:
            self.assertEqual(err.get("rule"), rule, err)
            self.assertTrue(err["message"].startswith("[%s]" % rule), err)
        self.assertEqual(self.snap(mid), before, "a refused request changed something")
        return err

    def end(self, mid, sid, client=None, **body):
        return (client or self.admin).post("/members/%d/sanctions/%d/end" % (mid, sid), body)

    # ---- the five sanctions and their periods ------------------------------------------------------

    def test_each_sanction_is_recorded_with_its_effect_period(self):
        m = self.member()
        w = self.sanction(m["id"], decided_on="2024-03-01", approved_on="2024-03-01")
        self.assertEqual((w["type"], w["type_label"], w["member_id"], w["member_name"], w["org_id"]),
                         ("warning", "警告", m["id"], m["name"], BRANCH))
        self.assertEqual((w["decided_on"], w["effect_end"], w["in_effect"], w["period_months"]),
                         ("2024-03-01", "2025-03-01", False, None))                      # DISC-02: 12 months
        self.assertEqual((w["basis"], w["decided_by"], w["approved_by"], w["approved_on"]),
                         (self.body()["basis"], "厅机关第一党支部党员大会", "厅直机关党委", "2024-03-01"))
        self.assertEqual((w["outcome"], w["ended_on"], w["rights_suspended"]), (None, None, False))
        s = self.sanction(m["id"], type="serious_warning", decided_on="2025-09-01", approved_on="2025-09-01")
        self.assertEqual((s["type_label"], s["effect_end"], s["in_effect"]), ("严重警告", "2027-03-01", True))
        p = self.sanction(m["id"], type="probation", period_months=24, decided_on="2026-01-31",
                          approved_on="2026-02-01")
        self.assertEqual((p["type_label"], p["period_months"], p["effect_end"], p["in_effect"], p["rights_suspended"]),
                         ("留党察看", 24, "2028-01-31", True, True))
        items = self.sanctions_of(m["id"])
        self.assertEqual([x["id"] for x in items], [w["id"], s["id"], p["id"]])         # oldest first
        # a sanction is no state change: the member stays on the roll
        got = self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
        self.assertEqual(got["state"], "active")
        rows = self.assertStatus(self.admin.get("/audit", {"entity": "sanction", "entity_id": p["id"]}), 200)["items"]
        self.assertEqual([r["action"] for r in rows], ["sanction.create"])
        self.assertEqual(rows[0]["after"]["sanction"]["type"], "probation")
        # the secretary reads the branch's sanctions but records none
        self.assertEqual(len(self.sanctions_of(m["id"], client=self.secretary)), 3)
        self.refused(lambda: self.secretary.post("/members/%d/sanctions" % m["id"], self.body()), 403, mid=m["id"])
        for c in (self.auditor, self.as_user("member")):
            self.assertError(c.get("/members/%d/sanctions" % m["id"]), 403)
            self.assertError(c.get("/sanctions"), 403)

    def test_the_subtree_list_shows_end_dates_and_what_is_in_effect_today(self):
        a, b = self.member(), self.member(OTHER)
        old = self.sanction(a["id"], decided_on="2024-03-01", approved_on="2024-03-01")
        cur = self.sanction(a["id"], type="serious_warning", decided_on="2026-02-01", approved_on="2026-02-01")
        far = self.sanction(b["id"], decided_on="2026-03-01", approved_on="2026-03-01")
        ids = lambda c, **p: [x["id"] for x in c.all_items("/sanctions", p)]
        self.assertTrue({old["id"], cur["id"], far["id"]} <= set(ids(self.admin, org=ROOT)))
        active = ids(self.admin, org=ROOT, active=1)
        self.assertIn(cur["id"], active)
        self.assertIn(far["id"], active)
        self.assertNotIn(old["id"], active)
        self.assertEqual(set(ids(self.admin, org=BRANCH)) & {old["id"], cur["id"], far["id"]}, {old["id"], cur["id"]})
        # the secretary's default is their branch; another branch is out of reach
        self.assertIn(cur["id"], ids(self.secretary))
        self.assertNotIn(far["id"], ids(self.secretary))
        self.assertError(self.secretary.get("/sanctions", {"org": OTHER}), 404)
        self.assertError(self.secretary.get("/members/%d/sanctions" % b["id"]), 404)
        row = next(x for x in self.admin.all_items("/sanctions", {"org": BRANCH, "active": 1}) if x["id"] == cur["id"])
        self.assertEqual((row["member_name"], row["org_name"], row["effect_end"], row["in_effect"]),
                         (a["name"], a["org_name"], "2027-08-01", True))
        page = self.assertStatus(self.admin.get("/sanctions", {"org": ROOT, "per_page": 1}), 200)
        self.assertEqual((len(page["items"]), page["per_page"]), (1, 1))
        self.assertGreaterEqual(page["total"], 3)

    # ---- refusals ----------------------------------------------------------------------------------

    def test_bad_sanctions_are_refused_and_nothing_is_written(self):
        m = self.member()
        mid = m["id"]
        post = lambda **over: self.admin.post("/members/%d/sanctions" % mid, self.body(**over))
        for over, field in (({"type": None}, "type"), ({"type": "demotion"}, "type"),
                            ({"decided_on": None}, "decided_on"), ({"decided_on": "2026-11-21"}, "decided_on"),
                            ({"decided_on": "1990-01-01", "approved_on": None}, "decided_on"),   # before joining
                            ({"basis": ""}, "basis"), ({"basis": None}, "basis"),
                            ({"type": "probation"}, "period_months"),
                            ({"type": "probation", "period_months": 18}, "period_months"),
                            ({"period_months": 12}, "period_months"),
                            ({"approved_on": "2026-01-09"}, "approved_on"),
                            ({"approved_on": "2026-11-21"}, "approved_on")):
            with self.subTest(over=over):
                self.refused(lambda: post(**over), 422, "validation_failed", field=field, mid=mid)
        self.refused(lambda: post(bogus=1), 400, "unknown_field", mid=mid)
        self.refused(lambda: self.admin.post("/members/99999999/sanctions", self.body()), 404, mid=mid)
        # DISC-05: a probationary member gets criticism, an extended probation or cancellation instead
        prob = self.member(status="probationary", full_member_on=None)
        self.refused(lambda: self.admin.post("/members/%d/sanctions" % prob["id"], self.body()), 422,
                     "rule_violation", field="type", rule="DISC-05", mid=mid)
        # DISC-03: removal from Party posts for someone without one is a serious warning instead
        self.refused(lambda: post(type="removal_from_post"), 422, "rule_violation", field="type", rule="DISC-03",
                     mid=mid)
        # a member who left is no longer given sanctions
        gone = self.member()
        self.assertStatus(self.admin.post("/members/%d/exit" % gone["id"], {"reason": "death", "on": "2026-01-05"}), 200)
        self.refused(lambda: self.admin.post("/members/%d/sanctions" % gone["id"], self.body()), 409, "member_state",
                     mid=mid)

    def test_removal_from_post_and_probation_end_the_members_party_posts(self):
        m = self.member()
        org = self.assertStatus(self.admin.get("/orgs/%d" % BRANCH), 200)
        keep = [{"member_id": c["member_id"], "role": c["role"]} for c in org["committee"]]
        self.assertStatus(self.admin.put("/orgs/%d/committee" % BRANCH,
                                         {"members": keep + [{"member_id": m["id"], "role": "publicity"}]}), 200)
        s = self.sanction(m["id"], type="removal_from_post", decided_on="2026-03-01", approved_on="2026-03-01")
        self.assertEqual((s["type_label"], s["effect_end"]), ("撤销党内职务", "2028-03-01"))
        org = self.assertStatus(self.admin.get("/orgs/%d" % BRANCH), 200)
        self.assertNotIn(m["id"], [c["member_id"] for c in org["committee"]])
        self.assertEqual(len(org["committee"]), len(keep))
        rows = self.assertStatus(self.admin.get("/audit", {"entity": "sanction", "entity_id": s["id"]}), 200)["items"]
        self.assertEqual(rows[0]["after"]["posts_ended"], 1)
        # with no post left, a second removal is refused (DISC-03)
        self.refused(lambda: self.admin.post("/members/%d/sanctions" % m["id"], self.body(type="removal_from_post")),
                     422, "rule_violation", rule="DISC-03", mid=m["id"])

    # ---- expulsion -----------------------------------------------------------------------------

    def test_expulsion_makes_the_member_leave_and_closes_open_records(self):
        m = self.member()
        mob = self.assertStatus(self.admin.post("/mobile-members", {
            "member_id": m["id"], "out_on": "2026-01-02", "destination": "广东省深圳市", "reason": "外出务工",
            "inflow_text": "深圳市某街道党工委"}), 201)
        n = self.member_count(org=BRANCH)
        # DISC-04 / EXIT-01: an expulsion needs the higher approval
        self.refused(lambda: self.admin.post("/members/%d/sanctions" % m["id"], self.body(
            type="expulsion", approved_on=None)), 422, field="approved_on", mid=m["id"])
        s = self.sanction(m["id"], type="expulsion", decided_on="2026-03-01", approved_on="2026-03-05",
                          approved_by="县纪委")
        self.assertEqual((s["type_label"], s["effect_end"], s["in_effect"], s["readmission_from"]),
                         ("开除党籍", None, True, "2031-03-01"))
        got = self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
        self.assertEqual((got["state"], got["state_code"], got["state_on"]), ("left", "expelled", "2026-03-01"))
        self.assertEqual(self.member_count(org=BRANCH), n - 1)
        states = self.assertStatus(self.admin.get("/members/%d/states" % m["id"]), 200)["items"]
        self.assertEqual((states[-1]["to"], states[-1]["code"], states[-1]["approved_by"], states[-1]["approved_on"]),
                         ("left", "expelled", "县纪委", "2026-03-05"))
        back = self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)
        self.assertEqual((back["state"], back["returned_on"]), ("returned", "2026-03-01"))
        actions = [r["action"] for r in self.assertStatus(self.admin.get("/audit", {"per_page": 10}), 200)["items"]]
        self.assertEqual(actions[:3], ["sanction.create", "member.exit", "mobile.return"])
        # no further sanction for someone who left
        self.refused(lambda: self.admin.post("/members/%d/sanctions" % m["id"], self.body()), 409, "member_state",
                     mid=m["id"])

    # ---- ending a 留党察看 -----------------------------------------------------------------------

    def test_a_probation_ends_with_restoration_once_the_period_is_over(self):
        m = self.member()
        p = self.sanction(m["id"], type="probation", period_months=12, decided_on="2025-06-01",
                          approved_on="2025-06-01")
        self.assertEqual((p["effect_end"], p["in_effect"]), ("2026-06-01", False))
        err = self.refused(lambda: self.end(m["id"], p["id"], outcome="restored", on="2026-05-31"), 422,
                           "rule_violation", field="on", rule="DISC-02", mid=m["id"])
        self.assertIn("2026-06-01", err["message"])
        for body, field in (({"on": "2026-06-01"}, "outcome"), ({"outcome": "forgiven", "on": "2026-06-01"}, "outcome"),
                            ({"outcome": "restored"}, "on"), ({"outcome": "restored", "on": "2026-11-21"}, "on"),
                            ({"outcome": "restored", "on": "2025-05-31"}, "on")):
            with self.subTest(body=body):
                self.refused(lambda: self.end(m["id"], p["id"], **body), 422, field=field, mid=m["id"])
        self.refused(lambda: self.end(m["id"], p["id"], client=self.secretary, outcome="restored", on="2026-06-01"),
                     403, mid=m["id"])
        self.refused(lambda: self.end(m["id"], 99999999, outcome="restored", on="2026-06-01"), 404, mid=m["id"])
        got = self.assertStatus(self.end(m["id"], p["id"], outcome="restored", on="2026-06-01"), 200)
        self.assertEqual((got["outcome"], got["outcome_label"], got["ended_on"], got["post_bar_end"]),
                         ("restored", "期满恢复党员权利", "2026-06-01", "2028-06-01"))   # DISC-02: 24 months without a post
        self.refused(lambda: self.end(m["id"], p["id"], outcome="restored", on="2026-06-02"), 409, "sanction_ended",
                     mid=m["id"])
        w = self.sanction(m["id"])
        self.refused(lambda: self.end(m["id"], w["id"], outcome="restored", on="2026-06-02"), 409, "sanction_type",
                     mid=m["id"])
        other = self.member()
        self.refused(lambda: self.end(other["id"], p["id"], outcome="restored", on="2026-06-02"), 404, mid=m["id"])
        rows = self.assertStatus(self.admin.get("/audit", {"entity": "sanction", "entity_id": p["id"]}), 200)["items"]
        self.assertEqual([r["action"] for r in rows], ["sanction.end", "sanction.create"])
        self.assertEqual((rows[0]["before"]["outcome"], rows[0]["after"]["sanction"]["outcome"]), (None, "restored"))

    def test_a_probation_may_end_in_expulsion_during_the_period(self):
        m = self.member()
        p = self.sanction(m["id"], type="probation", period_months=24, decided_on="2025-06-01",
                          approved_on="2025-06-01")
        self.assertTrue(p["rights_suspended"])
        self.refused(lambda: self.end(m["id"], p["id"], outcome="expelled", on="2026-10-01"), 422, field="approved_on",
                     mid=m["id"])
        got = self.assertStatus(self.end(m["id"], p["id"], outcome="expelled", on="2026-10-01", approved_on="2026-10-08",
                                         approved_by="县纪委", basis="留党察看期间再次违纪"), 200)
        self.assertEqual((got["outcome"], got["ended_on"], got["in_effect"], got["rights_suspended"],
                          got["readmission_from"]), ("expelled", "2026-10-01", False, False, "2031-10-01"))
        mem = self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
        self.assertEqual((mem["state"], mem["state_code"]), ("left", "expelled"))
        states = self.assertStatus(self.admin.get("/members/%d/states" % m["id"]), 200)["items"]
        self.assertEqual((states[-1]["code"], states[-1]["basis"], states[-1]["on"]),
                         ("expelled", "留党察看期间再次违纪", "2026-10-01"))

    # ---- DEV-21: introducers under 留党察看 ------------------------------------------------------

    def test_an_introducer_under_probation_on_the_step_date_is_refused(self):
        intro = self.member()
        mem = self.members[BRANCH]
        a = self.create(applicant_body(BRANCH))
        self.advance(a, 8)                                               # step 8 on 2024-04-15
        p = self.sanction(intro["id"], type="probation", period_months=12, decided_on="2024-01-10",
                          approved_on="2024-01-10")
        people = [{"role": "introducer", "member_id": intro["id"]}, {"role": "introducer", "member_id": mem[2]}]
        err = self.assertRefused(lambda: self.post_step(a, 9, "2024-04-20", people=people), 422, "rule_violation",
                                 rule="DEV-21", field="people")
        self.assertIn("留党察看", err["message"])
        # after the period the rights are back (restoration recorded on the last day of it)
        self.assertStatus(self.end(intro["id"], p["id"], outcome="restored", on="2025-01-10"), 200)
        self.assertRefused(lambda: self.post_step(a, 9, "2025-01-09", people=people), 422, "rule_violation",
                           rule="DEV-21")
        got = self.record(a, 9, "2025-01-10", people=people)
        self.assertEqual(sorted(p["member_id"] for p in got["step"]["people"]), sorted([intro["id"], mem[2]]))


if __name__ == "__main__":
    unittest.main()
