"""t1210: transfers of organisational relations (组织关系转接, RULES.md 4.1): in-system requests and the
two approvals that move the member, returns and cancellations, the guards (pending, member state, own
organisation, not a branch, scope, roles), self-service, outbound letters with number, validity, dues
month and receipt, expired letters, inbound letters attached to a member, and the letter as a PDF.
Every refusal is checked to change nothing: the transfer, the member and the audit trail."""

import datetime
import re
import unittest

from harness import ServerTest, member_payload
from meeting_util import server_today

LETTER_NO = re.compile(r"^\d{4}-\d{6}$")
PASSWORD = "Xfer@2026a"


class TransferTest(ServerTest):
    """Shared set-up: two units (party committees) with branches, and an org_admin for each unit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        cls.today = server_today()
        st, body, _ = admin.get("/orgs")
        assert st == 200, body
        orgs = body["items"]
        cls.orgs_by_id = {o["id"]: o for o in orgs}
        root = orgs[0]
        units = [o for o in orgs if o["type"] == "party_committee" and o["parent_id"] == root["id"]
                 and len([b for b in orgs if b["parent_id"] == o["id"] and b["type"] == "branch"]) >= 2]
        assert len(units) >= 2, "the demo needs two units with branches"
        cls.unit_a, cls.unit_b = units[0], units[1]
        cls.branch_a, cls.branch_a2 = [b for b in orgs if b["parent_id"] == cls.unit_a["id"] and b["type"] == "branch"][:2]
        cls.branch_b = next(b for b in orgs if b["parent_id"] == cls.unit_b["id"] and b["type"] == "branch")
        cls.root = root
        for name, unit in (("xfer_a", cls.unit_a), ("xfer_b", cls.unit_b)):
            st, u, _ = admin.post("/users", {"username": name, "display_name": name, "password": PASSWORD,
                                             "role": "org_admin", "org_id": unit["id"]})
            assert st == 201, u
        cls.staff_a = cls.server.client("xfer_a", PASSWORD)
        cls.staff_b = cls.server.client("xfer_b", PASSWORD)
        # log every client in now: a login is audited, and the tests count audit rows
        for name in ("secretary", "auditor", "member"):
            cls.as_user(name)

    # -- helpers --
    def new_member(self, org_id=None, **over):
        m, _ = self.create_member(org_id or self.branch_a["id"], **over)
        return m

    def member(self, mid, client=None):
        return self.assertStatus((client or self.admin).get("/members/%d" % mid), 200)

    def transfer(self, tid, client=None):
        return self.assertStatus((client or self.admin).get("/transfers/%d" % tid), 200)

    def request(self, mid, to_org=None, client=None, **over):
        body = {"kind": "in_system", "member_id": mid, "to_org_id": to_org or self.branch_b["id"],
                "reason": "工作调动"}
        body.update(over)
        return (client or self.admin).post("/transfers", body)

    def requested(self, mid, to_org=None, client=None, **over):
        t = self.assertStatus(self.request(mid, to_org, client, **over), 201)
        self.assertEqual(t["state"], "requested")
        return t

    def approve(self, tid, side, client=None, **over):
        body = {"side": side}
        body.update(over)
        return (client or self.admin).post("/transfers/%d/approve" % tid, body)

    def snapshot(self, mid=None, tid=None):
        """What a refused request must leave as it was."""
        return (self.member(mid) if mid else None, self.transfer(tid) if tid else None, self.audit_count(),
                self.assertStatus(self.admin.get("/transfers", {"per_page": 1}), 200)["total"])

    def assertUnchanged(self, before, mid=None, tid=None):
        self.assertEqual(self.snapshot(mid, tid), before)

    def assertRefused(self, resp, status, code=None, field=None, mid=None, tid=None, before=None):
        err = self.assertError(resp, status, code, field)
        if before is not None:
            self.assertUnchanged(before, mid, tid)
        return err

    def audit_actions(self, tid):
        body = self.assertStatus(self.admin.get("/audit", {"entity": "transfer", "entity_id": tid,
                                                           "per_page": 100}), 200)
        return [a["action"] for a in reversed(body["items"])]


class T1210InSystem(TransferTest):

    def test_an_in_system_transfer_moves_the_member_after_both_approvals(self):
        m = self.new_member()
        a = self.branch_a["id"]
        # a committee post in the old branch, which must end with the move
        st, org, _ = self.admin.get("/orgs/%d" % a)
        committee = [{"member_id": x["member_id"], "role": x["role"]} for x in org.get("committee", [])][:5]
        committee.append({"member_id": m["id"], "role": "publicity" if all(x["role"] != "publicity" for x in committee)
                          else "member"})
        self.assertStatus(self.admin.put("/orgs/%d/committee" % a, {"members": committee}), 200)

        t = self.requested(m["id"])
        self.assertEqual((t["kind"], t["member_id"], t["member_name"]), ("in_system", m["id"], m["name"]))
        self.assertEqual((t["from_org_id"], t["to_org_id"]), (a, self.branch_b["id"]))
        self.assertEqual(t["from_org_name"], self.branch_a["name"])
        self.assertEqual(t["to_org_name"], self.branch_b["name"])
        self.assertEqual(t["requested_on"], self.today.isoformat())
        self.assertEqual(t["requested_by"], "admin")
        self.assertEqual(t["state_label"], "已申请")
        self.assertIsNone(t["letter_no"])

        # the receiving side cannot go first; the receiving unit cannot approve for the sender
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.approve(t["id"], "receiving"), 409, "transfer_state", before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.approve(t["id"], "sending", self.staff_b), 403, before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.approve(t["id"], "sending", self.secretary), 403, before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.approve(t["id"], "upward"), 422, field="side", before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.approve(t["id"], "sending", on=(self.today + datetime.timedelta(days=1)).isoformat()),
                           422, field="on", before=before, mid=m["id"], tid=t["id"])

        t = self.assertStatus(self.approve(t["id"], "sending", self.staff_a), 200)
        self.assertEqual(t["state"], "sending_approved")
        self.assertEqual((t["sending_on"], t["sending_by"]), (self.today.isoformat(), "xfer_a"))
        self.assertRegex(t["letter_no"], LETTER_NO)
        self.assertTrue(t["letter_no"].startswith("%d-" % self.today.year))
        self.assertEqual(t["letter_on"], self.today.isoformat())
        self.assertEqual(t["valid_until"], (self.today + datetime.timedelta(days=90)).isoformat())
        self.assertFalse(t["expired"])
        self.assertEqual(self.member(m["id"])["org_id"], a)   # the sender stays responsible until received

        # sending twice, or the sender approving the receiving side, is refused
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.approve(t["id"], "sending"), 409, "transfer_state", before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.approve(t["id"], "receiving", self.staff_a), 403, before=before, mid=m["id"], tid=t["id"])

        t = self.assertStatus(self.approve(t["id"], "receiving", self.staff_b), 200)
        self.assertEqual(t["state"], "completed")
        self.assertEqual(t["state_label"], "已完成")
        self.assertEqual((t["receiving_on"], t["receiving_by"], t["completed_on"]),
                         (self.today.isoformat(), "xfer_b", self.today.isoformat()))

        got = self.member(m["id"])
        self.assertEqual((got["org_id"], got["org_name"], got["state"]), (self.branch_b["id"], self.branch_b["name"], "active"))
        hist = self.assertStatus(self.admin.get("/members/%d/history" % m["id"]), 200)["items"]
        moved = [h for h in hist if h["action"] == "moved"]
        self.assertEqual(len(moved), 1, hist)
        self.assertEqual((moved[0]["from_org"], moved[0]["to_org"]), (self.branch_a["name"], self.branch_b["name"]))
        self.assertIn(t["letter_no"], moved[0]["detail"])
        self.assertIn("转接", moved[0]["detail"])
        org = self.assertStatus(self.admin.get("/orgs/%d" % a), 200)
        self.assertNotIn(m["id"], [x["member_id"] for x in org["committee"]])
        self.assertEqual(self.audit_actions(t["id"]), ["transfer.request", "transfer.approve", "transfer.complete"])
        # the member's own audit trail records the move, before and after
        rows = self.assertStatus(self.admin.get("/audit", {"entity": "member", "entity_id": m["id"],
                                                           "per_page": 100}), 200)["items"]
        moves = [r for r in rows if r["action"] == "member.transfer_in"]
        self.assertEqual(len(moves), 1, [r["action"] for r in rows])
        self.assertIn(self.branch_a["name"], str(moves[0]["before"]))
        self.assertIn(self.branch_b["name"], str(moves[0]["after"]))
        # the sending unit no longer sees the member; the receiving unit does
        self.assertError(self.staff_a.get("/members/%d" % m["id"]), 404)
        self.assertEqual(self.member(m["id"], self.staff_b)["id"], m["id"])
        # completed is final
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/cancel" % t["id"]), 409, "transfer_state",
                           before=before, mid=m["id"], tid=t["id"])

    def test_either_side_returns_a_transfer_with_a_reason(self):
        m = self.new_member()
        t = self.requested(m["id"])
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/return" % t["id"], {"side": "sending"}), 422, field="reason",
                           before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/return" % t["id"], {"side": "sending", "reason": "  "}), 422,
                           field="reason", before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.staff_b.post("/transfers/%d/return" % t["id"], {"side": "sending", "reason": "不同意"}),
                           403, before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.secretary.post("/transfers/%d/return" % t["id"], {"side": "sending", "reason": "x"}),
                           403, before=before, mid=m["id"], tid=t["id"])
        r = self.assertStatus(self.staff_a.post("/transfers/%d/return" % t["id"],
                                                {"side": "sending", "reason": "材料不全，请补充"}), 200)
        self.assertEqual((r["state"], r["state_label"], r["return_reason"], r["returned_side"], r["returned_by"]),
                         ("returned", "已退回", "材料不全，请补充", "sending", "xfer_a"))
        self.assertEqual(self.member(m["id"])["org_id"], self.branch_a["id"])
        self.assertIn("transfer.return", self.audit_actions(t["id"]))

        # a returned transfer is closed: a new request is possible and may be returned by the receiver
        t2 = self.requested(m["id"])
        self.assertStatus(self.approve(t2["id"], "sending"), 200)
        r = self.assertStatus(self.staff_b.post("/transfers/%d/return" % t2["id"],
                                                {"side": "receiving", "reason": "接收单位无此岗位"}), 200)
        self.assertEqual((r["state"], r["returned_side"], r["returned_by"]), ("returned", "receiving", "xfer_b"))
        self.assertEqual(self.member(m["id"])["org_id"], self.branch_a["id"])
        # returned is final
        before = self.snapshot(m["id"], t2["id"])
        self.assertRefused(self.approve(t2["id"], "receiving", self.staff_b), 409, "transfer_state",
                           before=before, mid=m["id"], tid=t2["id"])

    def test_a_transfer_is_cancelled_before_completion(self):
        m = self.new_member()
        t = self.requested(m["id"])
        self.assertStatus(self.approve(t["id"], "sending"), 200)
        c = self.assertStatus(self.admin.post("/transfers/%d/cancel" % t["id"]), 200)
        self.assertEqual((c["state"], c["state_label"]), ("cancelled", "已撤销"))
        self.assertEqual(self.member(m["id"])["org_id"], self.branch_a["id"])
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/cancel" % t["id"]), 409, "transfer_state",
                           before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.approve(t["id"], "receiving"), 409, "transfer_state", before=before, mid=m["id"], tid=t["id"])
        self.assertEqual(self.audit_actions(t["id"]), ["transfer.request", "transfer.approve", "transfer.cancel"])

    def test_requests_that_break_a_rule_are_refused_and_change_nothing(self):
        m = self.new_member()
        other = self.new_member(self.branch_b["id"])
        before = self.snapshot(m["id"])
        # own organisation; not a branch (a committee, a party group); missing destination; unknown kind
        self.assertRefused(self.request(m["id"], self.branch_a["id"]), 422, field="to_org_id", before=before, mid=m["id"])
        self.assertRefused(self.request(m["id"], self.unit_b["id"]), 422, field="to_org_id", before=before, mid=m["id"])
        group = next((o for o in self.orgs_by_id.values() if o["type"] == "party_group"), None)
        if group:
            self.assertRefused(self.request(m["id"], group["id"]), 422, field="to_org_id", before=before, mid=m["id"])
        self.assertRefused(self.admin.post("/transfers", {"kind": "in_system", "member_id": m["id"]}), 422,
                           field="to_org_id", before=before, mid=m["id"])
        self.assertRefused(self.admin.post("/transfers", {"kind": "sideways", "member_id": m["id"]}), 422,
                           field="kind", before=before, mid=m["id"])
        self.assertRefused(self.admin.post("/transfers", {"kind": "in_system", "member_id": m["id"], "colour": 1}), 400,
                           "unknown_field", before=before, mid=m["id"])
        self.assertRefused(self.request(m["id"], requested_on=(self.today + datetime.timedelta(days=3)).isoformat()),
                           422, field="requested_on", before=before, mid=m["id"])
        # a staff member's destination outside their subtree is not theirs to see
        self.assertRefused(self.request(m["id"], self.branch_b["id"], self.staff_a), 404, before=before, mid=m["id"])
        # a member outside the caller's subtree
        self.assertRefused(self.request(other["id"], self.branch_a["id"], self.staff_a), 404, before=before, mid=m["id"])
        # the unit's staff may send within their unit
        t = self.requested(m["id"], self.branch_a2["id"], self.staff_a)
        # another open transfer
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.request(m["id"]), 409, "transfer_pending", before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.request(m["id"], kind="outbound", to_text="外省某党委"), 409, "transfer_pending",
                           before=before, mid=m["id"], tid=t["id"])
        self.assertStatus(self.admin.post("/transfers/%d/cancel" % t["id"]), 200)

        # a member who is 失联 may not transfer
        lost = self.new_member()
        self.assertStatus(self.admin.post("/members/%d/lost" % lost["id"], {
            "last_contact_on": (self.today - datetime.timedelta(days=30)).isoformat(), "situation": "address_unknown"}), 200)
        before = self.snapshot(lost["id"])
        self.assertRefused(self.request(lost["id"]), 409, "member_state", before=before, mid=lost["id"])
        self.assertRefused(self.request(lost["id"], kind="outbound", to_text="外省某党委"), 409, "member_state",
                           before=before, mid=lost["id"])

    def test_a_secretary_may_request_but_not_approve(self):
        sec_branch = self.secretary.user["org_id"]
        m = self.new_member(sec_branch)
        # the secretary's subtree is the branch: another branch is outside it (404)
        before = self.snapshot(m["id"])
        self.assertRefused(self.request(m["id"], self.branch_b["id"], self.secretary), 404, before=before, mid=m["id"])
        t = self.assertStatus(self.secretary.post("/transfers", {"kind": "outbound", "member_id": m["id"],
                                                                 "to_text": "外省某党委"}), 201)
        self.assertEqual(t["requested_by"], "secretary")
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.approve(t["id"], "sending", self.secretary), 403, before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.secretary.post("/transfers/receipt", {"letter_no": "2026-000001"}), 403,
                           before=before, mid=m["id"], tid=t["id"])
        # the secretary sees the transfer in the branch's outgoing box and may cancel it
        box = self.assertStatus(self.secretary.get("/transfers", {"box": "outgoing"}), 200)
        self.assertIn(t["id"], [x["id"] for x in box["items"]])
        self.assertStatus(self.secretary.post("/transfers/%d/cancel" % t["id"]), 200)

    def test_boxes_filters_and_scope_of_the_list(self):
        m = self.new_member()
        t = self.requested(m["id"])
        out_a = self.assertStatus(self.staff_a.get("/transfers", {"box": "outgoing", "per_page": 200}), 200)
        in_a = self.assertStatus(self.staff_a.get("/transfers", {"box": "incoming", "per_page": 200}), 200)
        in_b = self.assertStatus(self.staff_b.get("/transfers", {"box": "incoming", "per_page": 200}), 200)
        out_b = self.assertStatus(self.staff_b.get("/transfers", {"box": "outgoing", "per_page": 200}), 200)
        self.assertIn(t["id"], [x["id"] for x in out_a["items"]])
        self.assertNotIn(t["id"], [x["id"] for x in in_a["items"]])
        self.assertIn(t["id"], [x["id"] for x in in_b["items"]])
        self.assertNotIn(t["id"], [x["id"] for x in out_b["items"]])
        mine = self.assertStatus(self.admin.get("/transfers", {"member_id": m["id"]}), 200)
        self.assertEqual([x["id"] for x in mine["items"]], [t["id"]])
        self.assertEqual(mine["total"], 1)
        st = self.assertStatus(self.admin.get("/transfers", {"state": "requested", "kind": "in_system", "per_page": 200}), 200)
        self.assertTrue(all(x["state"] == "requested" and x["kind"] == "in_system" for x in st["items"]))
        self.assertIn(t["id"], [x["id"] for x in st["items"]])
        self.assertError(self.admin.get("/transfers", {"state": "lost"}), 400, "invalid_parameter")
        self.assertError(self.admin.get("/transfers", {"box": "sideways"}), 400, "invalid_parameter")
        self.assertError(self.staff_a.get("/transfers", {"org": self.unit_b["id"]}), 404)
        self.assertError(self.auditor.get("/transfers"), 403)
        self.assertStatus(self.admin.post("/transfers/%d/cancel" % t["id"]), 200)
        self.assertError(self.admin.get("/transfers/999999"), 404)

    def test_destinations_lists_branches_with_their_path(self):
        got = self.assertStatus(self.admin.get("/transfers/destinations", {"q": self.branch_b["name"]}), 200)
        self.assertIn(self.branch_b["id"], [x["id"] for x in got["items"]])
        x = next(x for x in got["items"] if x["id"] == self.branch_b["id"])
        self.assertEqual(x["name"], self.branch_b["name"])
        self.assertIn(self.unit_b["name"], x["path_name"])
        allb = self.assertStatus(self.admin.get("/transfers/destinations"), 200)["items"]
        self.assertLessEqual(len(allb), 20)
        self.assertTrue(all(self.orgs_by_id[x["id"]]["type"] == "branch" for x in allb))
        # a unit's staff see only their own branches
        mine = self.assertStatus(self.staff_a.get("/transfers/destinations", {"q": self.branch_b["name"]}), 200)
        self.assertEqual(mine["items"], [])


class T1210SelfService(TransferTest):

    def test_a_member_requests_a_transfer_of_their_own_record(self):
        me = self.as_user("member")
        mid = me.user["member_id"]
        self.assertTrue(mid)
        other = self.new_member(self.secretary.user["org_id"])
        dest = self.assertStatus(me.get("/transfers/destinations", {"q": self.branch_b["name"]}), 200)["items"]
        self.assertIn(self.branch_b["id"], [x["id"] for x in dest])
        before = self.snapshot(mid)
        self.assertRefused(self.request(other["id"], client=me), 404, before=before, mid=mid)
        self.assertRefused(self.request(mid, self.unit_b["id"], client=me), 422, field="to_org_id", before=before, mid=mid)
        self.assertRefused(me.post("/transfers", {"kind": "inbound", "letter_no": "X-1", "from_text": "外省",
                                                  "to_org_id": self.branch_b["id"], "letter_on": self.today.isoformat()}),
                           403, before=before, mid=mid)
        t = self.requested(mid, client=me)
        self.assertEqual((t["requested_by"], t["member_id"], t["to_org_id"]), ("member", mid, self.branch_b["id"]))
        # the member sees their own transfers only, and cannot act for an organisation
        mine = self.assertStatus(me.get("/transfers"), 200)
        self.assertEqual([x["member_id"] for x in mine["items"]], [mid] * len(mine["items"]))
        self.assertIn(t["id"], [x["id"] for x in mine["items"]])
        self.assertEqual(self.assertStatus(me.get("/transfers/%d" % t["id"]), 200)["id"], t["id"])
        t_other = self.requested(other["id"])
        self.assertError(me.get("/transfers/%d" % t_other["id"]), 404)
        self.assertError(me.post("/transfers/%d/cancel" % t_other["id"]), 404)
        before = self.snapshot(mid, t["id"])
        self.assertRefused(self.approve(t["id"], "sending", me), 403, before=before, mid=mid, tid=t["id"])
        # and withdraws the request
        c = self.assertStatus(me.post("/transfers/%d/cancel" % t["id"]), 200)
        self.assertEqual(c["state"], "cancelled")
        self.assertStatus(self.admin.post("/transfers/%d/cancel" % t_other["id"]), 200)


class T1210Outbound(TransferTest):

    def paid_member(self):
        """A demo member of branch A with dues payments, and the last month paid."""
        for m in self.admin.all_items("/members", {"org": self.branch_a["id"]}):
            d = self.assertStatus(self.admin.get("/members/%d/dues" % m["id"]), 200)
            months = [p["month"] for p in d["payments"]]
            st, pend, _ = self.admin.get("/transfers", {"member_id": m["id"]})
            if months and m["org_id"] == self.branch_a["id"] and not pend["items"]:
                return m, max(months)
        self.skipTest("no member with dues payments in the demo branch")

    def outbound(self, mid, **over):
        body = {"kind": "outbound", "member_id": mid, "to_text": "外省某县委组织部", "reason": "工作调动至外省"}
        body.update(over)
        return self.admin.post("/transfers", body)

    def test_an_outbound_letter_is_issued_printed_and_completed_by_its_receipt(self):
        m, last_paid = self.paid_member()
        t = self.assertStatus(self.outbound(m["id"]), 201)
        self.assertEqual((t["kind"], t["state"], t["to_text"], t["to_org_id"], t["cross_province"]),
                         ("outbound", "requested", "外省某县委组织部", None, False))
        # no letter before the sending approval
        self.assertError(self.admin.get("/transfers/%d/letter.pdf" % t["id"]), 409)
        # outbound has no receiving side here
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.approve(t["id"], "receiving"), 409, before=before, mid=m["id"], tid=t["id"])
        t = self.assertStatus(self.approve(t["id"], "sending", self.staff_a), 200)
        self.assertEqual((t["state"], t["state_label"]), ("letter_issued", "已开具介绍信"))
        self.assertRegex(t["letter_no"], LETTER_NO)
        self.assertEqual(t["letter_on"], self.today.isoformat())
        self.assertEqual(t["valid_until"], (self.today + datetime.timedelta(days=90)).isoformat())
        self.assertEqual(t["dues_paid_to"], last_paid)
        self.assertFalse(t["expired"])

        # the letter: a PDF of more than 1 KB
        st, pdf, hdrs = self.admin.get("/transfers/%d/letter.pdf" % t["id"])
        self.assertEqual(st, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("application/pdf"), hdrs["Content-Type"])
        self.assertIn("filename=", hdrs.get("Content-Disposition", ""))
        self.assertIn(t["letter_no"], hdrs.get("Content-Disposition", ""))
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:20])
        self.assertGreater(len(pdf), 1024)
        self.assertIn("transfer.letter", self.audit_actions(t["id"]))

        # the member is still counted until the receipt comes back
        total = self.member_count()
        stats = self.assertStatus(self.admin.get("/orgs/%d/stats" % self.root["id"]), 200)["members"]

        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.admin.post("/transfers/receipt", {"letter_no": "1999-000001"}), 404, "unknown_letter",
                           before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.admin.post("/transfers/receipt", {}), 422, field="letter_no",
                           before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.staff_b.post("/transfers/receipt", {"letter_no": t["letter_no"]}), 404, "unknown_letter",
                           before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.admin.post("/transfers/receipt", {"letter_no": t["letter_no"],
                                                                  "on": (self.today - datetime.timedelta(days=1)).isoformat()}),
                           422, field="on", before=before, mid=m["id"], tid=t["id"])

        r = self.assertStatus(self.admin.post("/transfers/receipt", {"letter_no": t["letter_no"], "note": "回执已收到"}), 200)
        self.assertEqual((r["id"], r["state"], r["receipt_on"], r["receipt_note"], r["completed_on"]),
                         (t["id"], "completed", self.today.isoformat(), "回执已收到", self.today.isoformat()))
        got = self.member(m["id"])
        self.assertEqual((got["state"], got["state_label"], got["state_on"]), ("transferred", "已转出", self.today.isoformat()))
        # no longer counted: the default list, the figures
        self.assertEqual(self.member_count(), total - 1)
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d/stats" % self.root["id"]), 200)["members"], stats - 1)
        listed = self.assertStatus(self.admin.get("/members", {"q": m["name"], "per_page": 200}), 200)["items"]
        self.assertNotIn(m["id"], [x["id"] for x in listed])
        listed = self.assertStatus(self.admin.get("/members", {"q": m["name"], "state": "transferred"}), 200)["items"]
        self.assertIn(m["id"], [x["id"] for x in listed])
        states = self.assertStatus(self.admin.get("/members/%d/states" % m["id"]), 200)["items"]
        self.assertEqual([(s["from"], s["to"]) for s in states], [("active", "transferred")])
        self.assertIn(t["letter_no"], states[0]["basis"])
        self.assertEqual(self.audit_actions(t["id"])[-1], "transfer.receipt")
        # a second receipt, and a new transfer of a transferred member, are refused
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.admin.post("/transfers/receipt", {"letter_no": t["letter_no"]}), 409,
                           before=before, mid=m["id"], tid=t["id"])
        self.assertRefused(self.outbound(m["id"]), 409, "member_state", before=before, mid=m["id"], tid=t["id"])
        # the letter can still be printed
        st, pdf, _ = self.admin.get("/transfers/%d/letter.pdf" % t["id"])
        self.assertEqual(st, 200)
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_an_outbound_request_needs_a_destination(self):
        m = self.new_member()
        before = self.snapshot(m["id"])
        self.assertRefused(self.outbound(m["id"], to_text=""), 422, field="to_text", before=before, mid=m["id"])
        self.assertRefused(self.outbound(m["id"], to_text="外" * 101), 422, field="to_text", before=before, mid=m["id"])

    def test_letters_past_their_validity_are_listed_as_expired_and_alerted(self):
        m = self.new_member()
        asked = self.today - datetime.timedelta(days=120)
        t = self.assertStatus(self.outbound(m["id"], requested_on=asked.isoformat()), 201)
        self.assertEqual(t["requested_on"], asked.isoformat())
        before = self.snapshot(m["id"], t["id"])
        self.assertRefused(self.approve(t["id"], "sending", on=(asked - datetime.timedelta(days=1)).isoformat()), 422,
                           field="on", before=before, mid=m["id"], tid=t["id"])
        issued = self.today - datetime.timedelta(days=100)
        t = self.assertStatus(self.approve(t["id"], "sending", on=issued.isoformat()), 200)
        self.assertEqual(t["letter_on"], issued.isoformat())
        self.assertTrue(t["letter_no"].startswith("%d-" % issued.year))
        self.assertEqual(t["valid_until"], (issued + datetime.timedelta(days=90)).isoformat())
        self.assertTrue(t["expired"])
        fresh = self.assertStatus(self.outbound(self.new_member()["id"]), 201)
        fresh = self.assertStatus(self.approve(fresh["id"], "sending"), 200)
        self.assertFalse(fresh["expired"])
        exp = self.assertStatus(self.admin.get("/transfers", {"expired": 1, "per_page": 200}), 200)["items"]
        self.assertIn(t["id"], [x["id"] for x in exp])
        self.assertNotIn(fresh["id"], [x["id"] for x in exp])
        self.assertTrue(all(x["expired"] for x in exp))
        alerts = self.assertStatus(self.admin.get("/alerts", {"kind": "letter_expired"}), 200)
        mine = [a for a in alerts["items"] if a["link"] == "#/transfers/%d" % t["id"]]
        self.assertEqual(len(mine), 1, alerts["items"])
        self.assertEqual((mine[0]["kind"], mine[0]["severity"], mine[0]["due_on"]),
                         ("letter_expired", "medium", t["valid_until"]))
        self.assertIn(t["letter_no"], mine[0]["subject"])
        self.assertGreaterEqual(alerts["counts"]["letter_expired"], 1)
        self.assertNotIn("#/transfers/%d" % fresh["id"], [a["link"] for a in alerts["items"]])
        # past the validity by more than receipt_days (30): the receipt is overdue, the alert high
        old = self.assertStatus(self.outbound(self.new_member()["id"],
                                              requested_on=(self.today - datetime.timedelta(days=140)).isoformat()), 201)
        old = self.assertStatus(self.approve(old["id"], "sending",
                                             on=(self.today - datetime.timedelta(days=121)).isoformat()), 200)
        alerts = self.assertStatus(self.admin.get("/alerts", {"kind": "letter_expired"}), 200)
        late = [a for a in alerts["items"] if a["link"] == "#/transfers/%d" % old["id"]]
        self.assertEqual([a["severity"] for a in late], ["high"], alerts["items"])
        self.assertIn("逾期", late[0]["subject"])
        self.assertNotIn("逾期", mine[0]["subject"])
        # a late receipt still completes the transfer, and the alert goes away
        self.assertStatus(self.admin.post("/transfers/receipt", {"letter_no": t["letter_no"]}), 200)
        alerts = self.assertStatus(self.admin.get("/alerts", {"kind": "letter_expired"}), 200)
        self.assertNotIn("#/transfers/%d" % t["id"], [a["link"] for a in alerts["items"]])

    def test_an_in_system_letter_can_be_printed_after_the_sending_approval(self):
        m = self.new_member()
        t = self.requested(m["id"])
        t = self.assertStatus(self.approve(t["id"], "sending"), 200)
        st, pdf, hdrs = self.admin.get("/transfers/%d/letter.pdf" % t["id"])
        self.assertEqual(st, 200, pdf[:300])
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 1024)
        self.assertStatus(self.admin.post("/transfers/%d/cancel" % t["id"]), 200)


class T1210CrossProvince(TransferTest):
    server_env = {"DJ_LETTER_VALIDITY_CROSS_PROVINCE_DAYS": "180", "DJ_LETTER_VALIDITY_DAYS": "60"}

    def test_the_validity_follows_the_settings_and_the_cross_province_switch(self):
        near = self.new_member()
        far = self.new_member()
        t1 = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": near["id"],
                                                              "to_text": "本省某市委组织部"}), 201)
        t2 = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": far["id"],
                                                              "to_text": "外省某市委组织部", "cross_province": True}), 201)
        self.assertTrue(t2["cross_province"])
        t1 = self.assertStatus(self.approve(t1["id"], "sending"), 200)
        t2 = self.assertStatus(self.approve(t2["id"], "sending"), 200)
        self.assertEqual(t1["valid_until"], (self.today + datetime.timedelta(days=60)).isoformat())
        self.assertEqual(t2["valid_until"], (self.today + datetime.timedelta(days=180)).isoformat())
        # letter numbers run in sequence within the year
        n1, n2 = int(t1["letter_no"][5:]), int(t2["letter_no"][5:])
        self.assertEqual(n2, n1 + 1)


class T1210Inbound(TransferTest):

    def inbound(self, letter_no, **over):
        body = {"kind": "inbound", "letter_no": letter_no, "from_text": "外省某县委组织部",
                "to_org_id": self.branch_b["id"], "letter_on": (self.today - datetime.timedelta(days=5)).isoformat(),
                "valid_until": (self.today + datetime.timedelta(days=85)).isoformat(), "dues_paid_to": "2026-03"}
        body.update(over)
        return self.admin.post("/transfers", body)

    def test_an_inbound_letter_is_registered_and_a_new_member_record_created(self):
        t = self.assertStatus(self.inbound("外组转〔2026〕第0015号"), 201)
        self.assertEqual((t["kind"], t["state"], t["state_label"], t["member_id"], t["to_org_id"]),
                         ("inbound", "registered", "已登记来信", None, self.branch_b["id"]))
        self.assertEqual((t["letter_no"], t["from_text"], t["dues_paid_to"]), ("外组转〔2026〕第0015号", "外省某县委组织部", "2026-03"))
        self.assertFalse(t["expired"])
        before = self.snapshot(None, t["id"])
        self.assertRefused(self.inbound("外组转〔2026〕第0015号"), 409, "duplicate_letter_no", before=before, tid=t["id"])
        self.assertRefused(self.inbound("X", dues_paid_to="2026-13"), 422, field="dues_paid_to", before=before, tid=t["id"])
        self.assertRefused(self.inbound(""), 422, field="letter_no", before=before, tid=t["id"])
        self.assertRefused(self.inbound("Y", to_org_id=self.unit_b["id"]), 422, field="to_org_id", before=before, tid=t["id"])
        self.assertRefused(self.staff_a.post("/transfers", {"kind": "inbound", "letter_no": "Z", "from_text": "外省",
                                                            "to_org_id": self.branch_b["id"],
                                                            "letter_on": self.today.isoformat()}),
                           404, before=before, tid=t["id"])
        self.assertRefused(self.secretary.post("/transfers", {"kind": "inbound", "letter_no": "Z", "from_text": "外省",
                                                              "to_org_id": self.branch_b["id"],
                                                              "letter_on": self.today.isoformat()}),
                           403, before=before, tid=t["id"])

        total = self.member_count()
        body = member_payload(self.branch_b["id"])
        body.pop("org_id")
        bad = dict(body, id_card="110105199001011234")
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t["id"], {"member": bad}), 422, field="id_card",
                           before=before, tid=t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t["id"], {}), 422, before=before, tid=t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t["id"], {"member": body, "member_id": 1}), 422,
                           before=before, tid=t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t["id"],
                                           {"member": dict(body, org_id=self.branch_a["id"])}), 422,
                           before=before, tid=t["id"])
        self.assertRefused(self.staff_a.post("/transfers/%d/attach" % t["id"], {"member": body}), 404,
                           before=before, tid=t["id"])
        self.assertEqual(self.member_count(), total)

        done = self.assertStatus(self.staff_b.post("/transfers/%d/attach" % t["id"], {"member": body}), 200)
        self.assertEqual(done["state"], "completed")
        self.assertEqual(done["completed_on"], self.today.isoformat())
        self.assertTrue(done["member_id"])
        got = self.member(done["member_id"])
        self.assertEqual((got["name"], got["org_id"], got["state"]), (body["name"], self.branch_b["id"], "active"))
        self.assertEqual(done["member_name"], body["name"])
        self.assertEqual(self.member_count(), total + 1)
        hist = self.assertStatus(self.admin.get("/members/%d/history" % got["id"]), 200)["items"]
        self.assertIn("外组转〔2026〕第0015号", hist[0]["detail"])
        self.assertEqual(self.audit_actions(t["id"]), ["transfer.register", "transfer.attach"])
        before = self.snapshot(got["id"], t["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t["id"], {"member_id": got["id"]}), 409,
                           "transfer_state", before=before, mid=got["id"], tid=t["id"])

    def test_an_inbound_letter_is_attached_to_an_existing_member(self):
        # a member who once transferred out comes back: active again, in the receiving branch
        m = self.new_member()
        out = self.assertStatus(self.admin.post("/transfers", {"kind": "outbound", "member_id": m["id"],
                                                               "to_text": "外省某党委"}), 201)
        out = self.assertStatus(self.approve(out["id"], "sending"), 200)
        self.assertStatus(self.admin.post("/transfers/receipt", {"letter_no": out["letter_no"]}), 200)
        self.assertEqual(self.member(m["id"])["state"], "transferred")
        total = self.member_count()
        t = self.assertStatus(self.inbound("回转-0001"), 201)
        done = self.assertStatus(self.admin.post("/transfers/%d/attach" % t["id"], {"member_id": m["id"]}), 200)
        self.assertEqual((done["state"], done["member_id"]), ("completed", m["id"]))
        got = self.member(m["id"])
        self.assertEqual((got["state"], got["org_id"]), ("active", self.branch_b["id"]))
        self.assertEqual(self.member_count(), total + 1)

        # an active member of another branch is moved in
        m2 = self.new_member()
        t2 = self.assertStatus(self.inbound("回转-0002"), 201)
        self.assertStatus(self.admin.post("/transfers/%d/attach" % t2["id"], {"member_id": m2["id"]}), 200)
        self.assertEqual(self.member(m2["id"])["org_id"], self.branch_b["id"])

        # a lost member, a member with an open transfer, an unknown member are refused
        lost = self.new_member()
        self.assertStatus(self.admin.post("/members/%d/lost" % lost["id"], {
            "last_contact_on": (self.today - datetime.timedelta(days=10)).isoformat(), "situation": "other"}), 200)
        t3 = self.assertStatus(self.inbound("回转-0003"), 201)
        before = self.snapshot(lost["id"], t3["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t3["id"], {"member_id": lost["id"]}), 409,
                           "member_state", before=before, mid=lost["id"], tid=t3["id"])
        busy = self.new_member()
        self.requested(busy["id"])
        before = self.snapshot(busy["id"], t3["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t3["id"], {"member_id": busy["id"]}), 409,
                           "transfer_pending", before=before, mid=busy["id"], tid=t3["id"])
        self.assertRefused(self.admin.post("/transfers/%d/attach" % t3["id"], {"member_id": 99999999}), 404,
                           before=before, mid=busy["id"], tid=t3["id"])
        # an inbound letter can be cancelled while registered
        self.assertEqual(self.assertStatus(self.admin.post("/transfers/%d/cancel" % t3["id"]), 200)["state"], "cancelled")


if __name__ == "__main__":
    unittest.main()
