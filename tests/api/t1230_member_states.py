"""t1230: member states (RULES.md 4.3, 6.3): lost contact, suspension after 6 months (LOST-01) and
restoration, leaving the Party with each reason's approval rule (EXIT-01), removal 2 years after a
suspension, leaving as final (EXIT-03), the state history, the member list's state filter, the figures
(only active and lost members count) and the lost_suspend alert. Refusals change nothing."""

import datetime
import unittest

from harness import ServerTest, add_years
from meeting_util import server_today


def add_months(d, n):
    """RULES.md C-01: same day n months later, clamped to the month's end."""
    import calendar
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


class T1230MemberStates(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = server_today()
        admin = cls.as_user("admin")
        st, body, _ = admin.get("/orgs")
        assert st == 200, body
        cls.root = body["items"][0]
        cls.branch = cls.as_user("secretary").user["org_id"]
        # log every client in now: a login is audited, and the tests count audit rows
        for name in ("secretary", "auditor", "member"):
            cls.as_user(name)

    def new_member(self, **over):
        m, _ = self.create_member(self.branch, **over)
        return m

    def member(self, mid):
        return self.assertStatus(self.admin.get("/members/%d" % mid), 200)

    def figures(self):
        """(members in the default list, the root's subtree figure, the branch's figure)."""
        root = self.assertStatus(self.admin.get("/orgs/%d/stats" % self.root["id"]), 200)["members"]
        branch = self.assertStatus(self.admin.get("/orgs/%d/stats" % self.branch), 200)["members"]
        return self.member_count(), root, branch

    def snapshot(self, mid):
        m = self.member(mid)
        states = self.assertStatus(self.admin.get("/members/%d/states" % mid), 200)["items"]
        return m, states, self.figures(), self.audit_count()

    def assertRefused(self, resp, status, code=None, field=None, mid=None, before=None, rule=None):
        err = self.assertError(resp, status, code, field)
        if rule:
            self.assertEqual(err.get("rule"), rule, err)
            self.assertTrue(err["message"].startswith("[%s]" % rule), err)
        if before is not None:
            self.assertEqual(self.snapshot(mid), before)
        return err

    def post(self, mid, what, body, client=None):
        return (client or self.admin).post("/members/%d/%s" % (mid, what), body)

    # ---- lost, suspended, restored ------------------------------------------------------------

    def test_a_lost_member_is_suspended_only_after_six_months_and_restored(self):
        m = self.new_member()
        figures = self.figures()
        contact = add_months(self.today, -8)
        before = self.snapshot(m["id"])
        self.assertRefused(self.post(m["id"], "lost", {"situation": "work_away"}), 422, field="last_contact_on",
                           mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "lost", {"last_contact_on": contact.isoformat(), "situation": "moon"}), 422,
                           field="situation", mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "lost", {"last_contact_on": (self.today + datetime.timedelta(days=1)).isoformat(),
                                                        "situation": "work_away"}), 422, field="last_contact_on",
                           mid=m["id"], before=before)
        # suspension needs the lost state first
        self.assertRefused(self.post(m["id"], "suspend", {"on": self.today.isoformat()}), 409, "member_state",
                           mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "lost", {"last_contact_on": contact.isoformat(), "situation": "work_away"},
                                     self.auditor), 403, mid=m["id"], before=before)

        got = self.assertStatus(self.post(m["id"], "lost", {"last_contact_on": contact.isoformat(),
                                                             "situation": "work_away", "note": "多次电话未接通"},
                                          self.secretary), 200)
        self.assertEqual((got["state"], got["state_label"], got["state_on"], got["state_code"]),
                         ("lost", "失联", contact.isoformat(), "work_away"))
        # lost members are still counted
        self.assertEqual(self.figures(), figures)
        self.assertIn(m["id"], [x["id"] for x in self.admin.all_items("/members", {"org": self.branch})])
        # the alert: lost for 6 months, suspension due
        alerts = self.assertStatus(self.admin.get("/alerts", {"kind": "lost_suspend"}), 200)
        mine = [a for a in alerts["items"] if a["link"] == "#/members/%d" % m["id"]]
        self.assertEqual(len(mine), 1, alerts["items"])
        self.assertEqual((mine[0]["severity"], mine[0]["due_on"]), ("high", add_months(contact, 6).isoformat()))
        self.assertIn(m["name"], mine[0]["subject"])
        self.assertGreaterEqual(alerts["counts"]["lost_suspend"], 1)

        # LOST-01: not before six months since the last contact
        before = self.snapshot(m["id"])
        early = add_months(contact, 6) - datetime.timedelta(days=1)
        self.assertRefused(self.post(m["id"], "suspend", {"on": early.isoformat(), "basis": "支部决定"}), 422,
                           "rule_violation", field="on", mid=m["id"], before=before, rule="LOST-01")
        self.assertRefused(self.post(m["id"], "suspend", {"on": add_months(contact, 6).isoformat()}, self.secretary), 403,
                           mid=m["id"], before=before)
        on = add_months(contact, 6)
        got = self.assertStatus(self.post(m["id"], "suspend", {"on": on.isoformat(), "basis": "支部委员会决定停止党籍"}), 200)
        self.assertEqual((got["state"], got["state_label"], got["state_on"]), ("suspended", "停止党籍", on.isoformat()))
        # a suspended member is not counted, and not listed unless asked for
        n, root, branch = figures
        self.assertEqual(self.figures(), (n - 1, root - 1, branch - 1))
        self.assertNotIn(m["id"], [x["id"] for x in self.admin.all_items("/members", {"org": self.branch})])
        self.assertIn(m["id"], [x["id"] for x in self.admin.all_items("/members", {"org": self.branch, "state": "suspended"})])
        self.assertIn(m["id"], [x["id"] for x in self.admin.all_items("/members", {"org": self.branch, "state": "all"})])
        alerts = self.assertStatus(self.admin.get("/alerts", {"kind": "lost_suspend"}), 200)
        self.assertNotIn("#/members/%d" % m["id"], [a["link"] for a in alerts["items"]])

        # restoration (LOST-03) brings the member back into the figures
        before = self.snapshot(m["id"])
        self.assertRefused(self.post(m["id"], "restore", {"on": (on - datetime.timedelta(days=1)).isoformat()}), 422,
                           field="on", mid=m["id"], before=before)
        got = self.assertStatus(self.post(m["id"], "restore", {"on": self.today.isoformat(), "basis": "本人申请，县委组织部批准"}), 200)
        self.assertEqual((got["state"], got["state_label"]), ("active", "正常"))
        self.assertEqual(self.figures(), figures)
        states = self.assertStatus(self.admin.get("/members/%d/states" % m["id"]), 200)["items"]
        self.assertEqual([(s["from"], s["to"]) for s in states],
                         [("active", "lost"), ("lost", "suspended"), ("suspended", "active")])
        self.assertEqual((states[0]["code"], states[0]["on"], states[0]["basis"]), ("work_away", contact.isoformat(), "多次电话未接通"))
        self.assertEqual((states[1]["on"], states[1]["basis"], states[1]["created_by"]),
                         (on.isoformat(), "支部委员会决定停止党籍", "admin"))
        actions = [a["action"] for a in self.assertStatus(self.admin.get("/audit", {
            "entity": "member", "entity_id": m["id"], "per_page": 50}), 200)["items"]]
        for a in ("member.lost", "member.suspend", "member.restore"):
            self.assertIn(a, actions)

    def test_contact_regained_restores_a_lost_member(self):
        m = self.new_member()
        self.assertStatus(self.post(m["id"], "lost", {"last_contact_on": (self.today - datetime.timedelta(days=40)).isoformat(),
                                                       "situation": "address_unknown"}), 200)
        before = self.snapshot(m["id"])
        self.assertRefused(self.post(m["id"], "lost", {"last_contact_on": self.today.isoformat(), "situation": "other"}),
                           409, "member_state", mid=m["id"], before=before)
        got = self.assertStatus(self.post(m["id"], "restore", {"on": self.today.isoformat(), "basis": "已取得联系"}), 200)
        self.assertEqual(got["state"], "active")

    # ---- leaving the party ----------------------------------------------------------------------

    def test_each_exit_reason_follows_its_approval_rule(self):
        today = self.today.isoformat()
        ok_without_approval = ("death", "withdrew")
        need_approval = ("expelled", "removed_unqualified", "persuaded_left", "removed_refused")
        for reason in ok_without_approval:
            m = self.new_member()
            got = self.assertStatus(self.post(m["id"], "exit", {"reason": reason, "on": today, "basis": "支部大会"}), 200)
            self.assertEqual((got["state"], got["state_label"], got["state_code"], got["state_on"]),
                             ("left", "已出党", reason, today))
        for reason in need_approval:
            m = self.new_member()
            before = self.snapshot(m["id"])
            self.assertRefused(self.post(m["id"], "exit", {"reason": reason, "on": today}), 422, field="approved_on",
                               mid=m["id"], before=before)
            self.assertRefused(self.post(m["id"], "exit", {"reason": reason, "on": today,
                                                           "approved_on": (self.today - datetime.timedelta(days=1)).isoformat()}),
                               422, field="approved_on", mid=m["id"], before=before)
            got = self.assertStatus(self.post(m["id"], "exit", {"reason": reason, "on": today, "basis": "支部大会决议",
                                                                "approved_by": "上级党委", "approved_on": today}), 200)
            self.assertEqual((got["state"], got["state_code"]), ("left", reason))
            states = self.assertStatus(self.admin.get("/members/%d/states" % m["id"]), 200)["items"]
            self.assertEqual((states[-1]["approved_by"], states[-1]["approved_on"], states[-1]["code"]),
                             ("上级党委", today, reason))

        # probation_cancelled only for probationary members (EXIT-01)
        full = self.new_member()
        before = self.snapshot(full["id"])
        self.assertRefused(self.post(full["id"], "exit", {"reason": "probation_cancelled", "on": today,
                                                          "approved_on": today}),
                           422, "rule_violation", field="reason", mid=full["id"], before=before, rule="EXIT-01")
        joined = self.today - datetime.timedelta(days=100)
        prob = self.new_member(status="probationary", joined_on=joined.isoformat(), full_member_on=None,
                               birth=datetime.date(1990, 5, 5))
        got = self.assertStatus(self.post(prob["id"], "exit", {"reason": "probation_cancelled", "on": today,
                                                                "approved_on": today}), 200)
        self.assertEqual((got["state"], got["state_code"]), ("left", "probation_cancelled"))

        # unknown reason, missing date, a date before joining, a secretary
        m = self.new_member()
        before = self.snapshot(m["id"])
        self.assertRefused(self.post(m["id"], "exit", {"reason": "retired", "on": today}), 422, field="reason",
                           mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "exit", {"reason": "death"}), 422, field="on", mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "exit", {"reason": "death", "on": "1960-01-01"}), 422, field="on",
                           mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "exit", {"reason": "death", "on": today}, self.secretary), 403,
                           mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "exit", {"reason": "death", "on": today, "colour": "red"}), 400,
                           "unknown_field", mid=m["id"], before=before)

    def test_leaving_is_final_and_takes_the_member_out_of_the_figures(self):
        m = self.new_member()
        figures = self.figures()
        got = self.assertStatus(self.post(m["id"], "exit", {"reason": "withdrew", "on": self.today.isoformat()}), 200)
        self.assertEqual(got["state"], "left")
        n, root, branch = figures
        self.assertEqual(self.figures(), (n - 1, root - 1, branch - 1))
        self.assertNotIn(m["id"], [x["id"] for x in self.admin.all_items("/members", {"org": self.branch})])
        self.assertIn(m["id"], [x["id"] for x in self.admin.all_items("/members", {"org": self.branch, "state": "left"})])
        self.assertEqual(self.member(m["id"])["state"], "left")      # the record stays readable
        before = self.snapshot(m["id"])
        for what, body in (("exit", {"reason": "death", "on": self.today.isoformat()}),
                           ("restore", {"on": self.today.isoformat()}),
                           ("lost", {"last_contact_on": self.today.isoformat(), "situation": "other"}),
                           ("suspend", {"on": self.today.isoformat()})):
            self.assertRefused(self.post(m["id"], what, body), 409, "member_state", mid=m["id"], before=before)
        self.assertError(self.admin.get("/members", {"state": "gone"}), 400, "invalid_parameter")

    def test_removal_after_suspension_waits_two_years(self):
        today = self.today
        early = self.new_member(birth=datetime.date(1970, 3, 3))
        late = self.new_member(birth=datetime.date(1970, 4, 4))
        # suspended one year ago: removal refused; suspended two years ago: allowed (LOST-01)
        for m, suspended in ((early, add_years(today, -1)), (late, add_years(today, -2))):
            contact = add_months(suspended, -7)
            self.assertStatus(self.post(m["id"], "lost", {"last_contact_on": contact.isoformat(), "situation": "no_transfer"}), 200)
            self.assertStatus(self.post(m["id"], "suspend", {"on": suspended.isoformat()}), 200)
        body = {"reason": "removed_self_lapse", "on": today.isoformat(), "approved_by": "上级党委",
                "approved_on": today.isoformat(), "basis": "停止党籍满两年仍无法取得联系"}
        before = self.snapshot(early["id"])
        self.assertRefused(self.post(early["id"], "exit", body), 422, "rule_violation", field="on", mid=early["id"],
                           before=before, rule="LOST-01")
        figures = self.figures()
        got = self.assertStatus(self.post(late["id"], "exit", body), 200)
        self.assertEqual((got["state"], got["state_code"]), ("left", "removed_self_lapse"))
        self.assertEqual(self.figures(), figures)   # already out of the figures while suspended

    def test_a_transferred_member_cannot_be_restored(self):
        m = self.new_member()
        t = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": m["id"], "to_text": "外省"}), 201)
        t = self.assertStatus(self.admin.post("/transfers/%d/approve" % t["id"], {"side": "sending"}), 200)
        self.assertStatus(self.admin.post("/transfers/receipt", {"letter_no": t["letter_no"]}), 200)
        before = self.snapshot(m["id"])
        self.assertRefused(self.post(m["id"], "restore", {"on": self.today.isoformat()}), 409, "member_state",
                           mid=m["id"], before=before)
        self.assertRefused(self.post(m["id"], "exit", {"reason": "death", "on": self.today.isoformat()}), 409,
                           "member_state", mid=m["id"], before=before)

    def test_states_are_read_within_scope_and_by_the_member_themself(self):
        me = self.as_user("member")
        mid = me.user["member_id"]
        self.assertEqual(self.assertStatus(me.get("/members/%d/states" % mid), 200)["items"], [])
        got = self.assertStatus(me.get("/members/%d" % mid), 200)
        for k in ("state", "state_label", "state_on", "state_code", "mobile"):
            self.assertIn(k, got)
        self.assertEqual((got["state"], got["mobile"]), ("active", False))
        other = self.new_member()
        self.assertError(me.get("/members/%d/states" % other["id"]), 404)
        self.assertError(me.post("/members/%d/lost" % mid, {"last_contact_on": self.today.isoformat(),
                                                            "situation": "other"}), 403)
        self.assertError(self.auditor.get("/members/%d/states" % mid), 403)
        self.assertError(self.admin.get("/members/99999999/states"), 404)
        self.assertError(self.admin.post("/members/99999999/exit", {"reason": "death", "on": self.today.isoformat()}), 404)
        # every member in a list carries its state
        items = self.assertStatus(self.admin.get("/members", {"per_page": 5}), 200)["items"]
        self.assertTrue(all(x["state"] in ("active", "lost") for x in items))

    # ---- open records end with the membership ------------------------------------------------------

    def audit_rows(self, action, entity, entity_id):
        got = self.assertStatus(self.admin.get("/audit", {"action": action, "entity": entity,
                                                          "entity_id": entity_id}), 200)
        return got["items"]

    def go_out(self, mid, out_on):
        return self.assertStatus(self.admin.post("/mobile-members", {
            "member_id": mid, "out_on": out_on.isoformat(), "destination": "广东省深圳市",
            "contact": "微信联系", "reason": "外出务工"}), 201)

    def other_branch(self):
        items = self.assertStatus(self.admin.get("/transfers/destinations"), 200)["items"]
        return next(x["id"] for x in items if x["id"] != self.branch)

    def test_leaving_cancels_the_open_transfer_and_closes_the_mobile_record(self):
        today = self.today.isoformat()
        # an in-system request still waiting, and an outbound letter already issued and travelling
        waiting, issued = self.new_member(), self.new_member()
        t1 = self.assertStatus(self.admin.post("/transfers", {"kind": "in_system", "member_id": waiting["id"],
                                                              "to_org_id": self.other_branch(), "reason": "工作调动"}), 201)
        t2 = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": issued["id"],
                                                              "to_text": "外省某党委", "reason": "工作调动"}), 201)
        t2 = self.assertStatus(self.admin.post("/transfers/%d/approve" % t2["id"], {"side": "sending"}), 200)
        self.assertEqual(t2["state"], "letter_issued")
        mob = self.go_out(waiting["id"], self.today - datetime.timedelta(days=30))
        self.assertTrue(self.member(waiting["id"])["mobile"])

        audits = self.audit_count()
        got = self.assertStatus(self.post(waiting["id"], "exit", {"reason": "death", "on": today}), 200)
        self.assertEqual((got["state"], got["mobile"]), ("left", False))
        # member.exit, transfer.cancel and mobile.return, in the same request
        self.assertEqual(self.audit_count(), audits + 3)
        t = self.assertStatus(self.admin.get("/transfers/%d" % t1["id"]), 200)
        self.assertEqual((t["state"], t["return_reason"]), ("cancelled", "党员已出党，转接自动撤销"))
        m = self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)
        self.assertEqual((m["state"], m["returned_on"]), ("returned", today))
        rows = self.audit_rows("transfer.cancel", "transfer", t1["id"])
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual((rows[0]["after"]["state"], rows[0]["after"]["return_reason"]),
                         ("cancelled", "党员已出党，转接自动撤销"))
        self.assertEqual(rows[0]["before"]["state"], "requested")
        rows = self.audit_rows("mobile.return", "mobile_member", mob["id"])
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual((rows[0]["after"]["state"], rows[0]["after"]["note"]), ("returned", "党员已出党，流动党员登记自动结束"))
        self.assertEqual(rows[0]["before"]["state"], "out")
        # the member can be registered again by nobody: the records stay closed
        self.assertError(self.admin.post("/mobile-members/%d/return" % mob["id"], {}), 409, "mobile_returned")

        # an issued letter is withdrawn too; the receipt can then no longer be recorded
        self.assertStatus(self.post(issued["id"], "exit", {"reason": "withdrew", "on": today}), 200)
        t = self.assertStatus(self.admin.get("/transfers/%d" % t2["id"]), 200)
        self.assertEqual((t["state"], t["return_reason"]), ("cancelled", "党员已出党，转接自动撤销"))
        self.assertError(self.admin.post("/transfers/receipt", {"letter_no": t2["letter_no"]}), 409)

    def test_a_refused_exit_leaves_the_open_records_alone(self):
        m = self.new_member()
        t = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": m["id"],
                                                             "to_text": "外省某党委"}), 201)
        mob = self.go_out(m["id"], self.today - datetime.timedelta(days=10))
        audits = self.audit_count()
        self.assertError(self.post(m["id"], "exit", {"reason": "expelled", "on": self.today.isoformat()}), 422)
        self.assertEqual(self.audit_count(), audits)
        self.assertEqual(self.assertStatus(self.admin.get("/transfers/%d" % t["id"]), 200)["state"], "requested")
        self.assertEqual(self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)["state"], "out")

    def test_suspension_cancels_the_open_transfer_and_closes_the_mobile_record(self):
        m = self.new_member()
        out_on = add_months(self.today, -10)
        contact = add_months(self.today, -8)
        mob = self.go_out(m["id"], out_on)
        t = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": m["id"],
                                                             "to_text": "外省某党委"}), 201)
        self.assertStatus(self.post(m["id"], "lost", {"last_contact_on": contact.isoformat(), "situation": "work_away"}), 200)
        # lost contact alone closes nothing: the member may come back
        self.assertEqual(self.assertStatus(self.admin.get("/transfers/%d" % t["id"]), 200)["state"], "requested")
        self.assertEqual(self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)["state"], "out")
        on = add_months(contact, 6)
        audits = self.audit_count()
        self.assertStatus(self.post(m["id"], "suspend", {"on": on.isoformat(), "basis": "支部委员会决定"}), 200)
        self.assertEqual(self.audit_count(), audits + 3)
        got = self.assertStatus(self.admin.get("/transfers/%d" % t["id"]), 200)
        self.assertEqual((got["state"], got["return_reason"]), ("cancelled", "党员已停止党籍，转接自动撤销"))
        got = self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)
        self.assertEqual((got["state"], got["returned_on"]), ("returned", on.isoformat()))
        self.assertFalse(self.member(m["id"])["mobile"])

    def test_a_receipt_closes_the_mobile_record_of_the_member_transferred_out(self):
        m = self.new_member()
        mob = self.go_out(m["id"], self.today - datetime.timedelta(days=60))
        t = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": m["id"],
                                                             "to_text": "外省某党委"}), 201)
        t = self.assertStatus(self.admin.post("/transfers/%d/approve" % t["id"], {"side": "sending"}), 200)
        audits = self.audit_count()
        got = self.assertStatus(self.admin.post("/transfers/receipt", {"letter_no": t["letter_no"],
                                                                       "on": self.today.isoformat()}), 200)
        # the transfer being completed is not cancelled
        self.assertEqual((got["state"], got["return_reason"]), ("completed", None))
        self.assertEqual(self.member(m["id"])["state"], "transferred")
        # transfer.receipt, mobile.return, member.transfer_out (t1295)
        self.assertEqual(self.audit_count(), audits + 3)
        got = self.assertStatus(self.admin.get("/mobile-members/%d" % mob["id"]), 200)
        self.assertEqual((got["state"], got["returned_on"]), ("returned", self.today.isoformat()))
        rows = self.audit_rows("mobile.return", "mobile_member", mob["id"])
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["after"]["note"], "党员组织关系已转出，流动党员登记自动结束")


if __name__ == "__main__":
    unittest.main()
