"""t1220: mobile members (流动党员, RULES.md 4.2, MOB-01/MOB-03): registering an outflow with its inflow
organisation, the conflicts (already out, certificate number in use), edits while out, the return, and
the list seen from both the outflow and the inflow side. Refusals change nothing."""

import datetime
import unittest

from harness import ServerTest
from meeting_util import server_today

PASSWORD = "Mobile@2026a"


class T1220Mobile(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        cls.today = server_today()
        st, body, _ = admin.get("/orgs")
        assert st == 200, body
        orgs = body["items"]
        root = orgs[0]
        units = [o for o in orgs if o["type"] == "party_committee" and o["parent_id"] == root["id"]
                 and any(b["parent_id"] == o["id"] and b["type"] == "branch" for b in orgs)]
        assert len(units) >= 3, "the demo needs three units with branches"
        cls.unit_a, cls.unit_b, cls.unit_c = units[:3]
        cls.branch_a = next(b for b in orgs if b["parent_id"] == cls.unit_a["id"] and b["type"] == "branch")
        cls.branch_b = next(b for b in orgs if b["parent_id"] == cls.unit_b["id"] and b["type"] == "branch")
        for name, unit in (("mob_a", cls.unit_a), ("mob_b", cls.unit_b), ("mob_c", cls.unit_c)):
            st, u, _ = admin.post("/users", {"username": name, "display_name": name, "password": PASSWORD,
                                             "role": "org_admin", "org_id": unit["id"]})
            assert st == 201, u
        cls.staff_a = cls.server.client("mob_a", PASSWORD)
        cls.staff_b = cls.server.client("mob_b", PASSWORD)
        cls.staff_c = cls.server.client("mob_c", PASSWORD)
        # log every client in now: a login is audited, and the tests count audit rows
        for name in ("secretary", "auditor", "member"):
            cls.as_user(name)

    _cert = iter(range(1000, 100000))

    def body(self, mid, **over):
        b = {"member_id": mid, "out_on": (self.today - datetime.timedelta(days=200)).isoformat(),
             "destination": "广东省深圳市", "contact": "13800001111", "reason": "外出务工",
             "certificate_no": "流动证%d" % next(self._cert), "inflow_org_id": self.branch_b["id"],
             "inflow_text": None, "expected_return": (self.today + datetime.timedelta(days=100)).isoformat()}
        b.update(over)
        return {k: v for k, v in b.items() if v is not None}

    def new_member(self, org_id=None):
        m, _ = self.create_member(org_id or self.branch_a["id"])
        return m

    def snapshot(self, rid=None, mid=None):
        rec = self.assertStatus(self.admin.get("/mobile-members/%d" % rid), 200) if rid else None
        mem = self.assertStatus(self.admin.get("/members/%d" % mid), 200) if mid else None
        total = self.assertStatus(self.admin.get("/mobile-members", {"per_page": 1}), 200)["total"]
        return rec, mem, total, self.audit_count()

    def assertRefused(self, resp, status, code=None, field=None, before=None, rid=None, mid=None):
        self.assertError(resp, status, code, field)
        if before is not None:
            self.assertEqual(self.snapshot(rid, mid), before)

    def test_an_outflow_is_registered_edited_and_closed_on_return(self):
        m = self.new_member()
        self.assertFalse(self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)["mobile"])
        body = self.body(m["id"])
        r = self.assertStatus(self.staff_a.post("/mobile-members", body), 201)
        self.assertEqual((r["member_id"], r["member_name"], r["org_id"], r["org_name"], r["state"]),
                         (m["id"], m["name"], self.branch_a["id"], self.branch_a["name"], "out"))
        self.assertEqual((r["out_on"], r["destination"], r["reason"], r["certificate_no"], r["contact"]),
                         (body["out_on"], "广东省深圳市", "外出务工", body["certificate_no"], "138****1111"))  # masked (t1290)
        self.assertEqual((r["inflow_org_id"], r["inflow_org_name"]), (self.branch_b["id"], self.branch_b["name"]))
        self.assertEqual((r["expected_return"], r["returned_on"]), (body["expected_return"], None))
        got = self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
        self.assertTrue(got["mobile"])
        self.assertEqual(got["state"], "active")   # a mobile member is still counted where the relation is

        # edits while out
        before = self.snapshot(r["id"], m["id"])
        self.assertRefused(self.staff_a.patch("/mobile-members/%d" % r["id"], {
            "expected_return": (self.today - datetime.timedelta(days=300)).isoformat()}), 422, field="expected_return",
            before=before, rid=r["id"], mid=m["id"])
        self.assertRefused(self.staff_a.patch("/mobile-members/%d" % r["id"], {"destination": ""}), 422,
                           field="destination", before=before, rid=r["id"], mid=m["id"])
        self.assertRefused(self.staff_a.patch("/mobile-members/%d" % r["id"], {"out_on": "2020-01-01"}), 400,
                           "unknown_field", before=before, rid=r["id"], mid=m["id"])
        self.assertRefused(self.staff_a.patch("/mobile-members/%d" % r["id"], {"inflow_org_id": 99999999}), 422,
                           field="inflow_org_id", before=before, rid=r["id"], mid=m["id"])
        self.assertRefused(self.staff_c.patch("/mobile-members/%d" % r["id"], {"destination": "上海"}), 404,
                           before=before, rid=r["id"], mid=m["id"])
        u = self.assertStatus(self.staff_a.patch("/mobile-members/%d" % r["id"], {
            "destination": "浙江省杭州市", "contact": "13900002222", "inflow_org_id": None, "inflow_text": "杭州市某街道党工委"}), 200)
        self.assertEqual((u["destination"], u["contact"], u["inflow_org_id"], u["inflow_text"]),
                         ("浙江省杭州市", "139****2222", None, "杭州市某街道党工委"))
        self.assertEqual(u["certificate_no"], body["certificate_no"])

        # return
        before = self.snapshot(r["id"], m["id"])
        self.assertRefused(self.staff_a.post("/mobile-members/%d/return" % r["id"], {
            "on": (self.today + datetime.timedelta(days=1)).isoformat()}), 422, field="on",
            before=before, rid=r["id"], mid=m["id"])
        self.assertRefused(self.staff_a.post("/mobile-members/%d/return" % r["id"], {
            "on": (self.today - datetime.timedelta(days=300)).isoformat()}), 422, field="on",
            before=before, rid=r["id"], mid=m["id"])
        back = self.assertStatus(self.staff_a.post("/mobile-members/%d/return" % r["id"], {
            "on": (self.today - datetime.timedelta(days=2)).isoformat()}), 200)
        self.assertEqual((back["state"], back["returned_on"]), ("returned", (self.today - datetime.timedelta(days=2)).isoformat()))
        self.assertFalse(self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)["mobile"])
        before = self.snapshot(r["id"], m["id"])
        self.assertRefused(self.staff_a.post("/mobile-members/%d/return" % r["id"], {}), 409,
                           before=before, rid=r["id"], mid=m["id"])
        self.assertRefused(self.staff_a.patch("/mobile-members/%d" % r["id"], {"destination": "上海"}), 409,
                           before=before, rid=r["id"], mid=m["id"])
        actions = [a["action"] for a in self.assertStatus(self.admin.get("/audit", {
            "entity": "mobile_member", "entity_id": r["id"], "per_page": 50}), 200)["items"]]
        self.assertEqual(list(reversed(actions)), ["mobile.create", "mobile.update", "mobile.return"])
        # once back, the member may go out again
        again = self.assertStatus(self.staff_a.post("/mobile-members", self.body(m["id"])), 201)
        self.assertEqual(again["state"], "out")

    def test_conflicts_and_invalid_registrations_are_refused(self):
        m = self.new_member()
        r = self.assertStatus(self.admin.post("/mobile-members", self.body(m["id"])), 201)
        before = self.snapshot(r["id"], m["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(m["id"])), 409, "mobile_open",
                           before=before, rid=r["id"], mid=m["id"])
        other = self.new_member()
        before = self.snapshot(r["id"], other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"], certificate_no=r["certificate_no"])),
                           409, "duplicate_certificate", before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"], out_on=(
            self.today + datetime.timedelta(days=1)).isoformat())), 422, field="out_on", before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"], out_on="1980-01-01")), 422,
                           field="out_on", before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"], destination="")), 422,
                           field="destination", before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"], reason="")), 422,
                           field="reason", before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"], expected_return=(
            self.today - datetime.timedelta(days=300)).isoformat())), 422, field="expected_return",
            before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.admin.post("/mobile-members", {"out_on": self.today.isoformat()}), 422,
                           field="member_id", before=before, rid=r["id"], mid=other["id"])
        # outside the caller's subtree; a role that may not write
        self.assertRefused(self.staff_b.post("/mobile-members", self.body(other["id"])), 404,
                           before=before, rid=r["id"], mid=other["id"])
        self.assertRefused(self.as_user("member").post("/mobile-members", self.body(other["id"])), 403,
                           before=before, rid=r["id"], mid=other["id"])
        # a member who is no longer counted (left) cannot be registered
        self.assertStatus(self.admin.post("/members/%d/exit" % other["id"], {
            "reason": "death", "on": self.today.isoformat()}), 200)
        before = self.snapshot(r["id"], other["id"])
        self.assertRefused(self.admin.post("/mobile-members", self.body(other["id"])), 422, field="member_id",
                           before=before, rid=r["id"], mid=other["id"])

    def test_an_inflow_organisation_in_the_system_needs_the_activity_certificate(self):
        # MOB-03: the inflow organisation registers the member with the 流动党员活动证
        m = self.new_member()
        before = self.snapshot(mid=m["id"])
        err = self.assertError(self.admin.post("/mobile-members", self.body(m["id"], certificate_no=None)), 422,
                               "rule_violation", field="certificate_no")
        self.assertEqual(err.get("rule"), "MOB-03", err)
        self.assertTrue(err["message"].startswith("[MOB-03]"), err)
        self.assertEqual(self.snapshot(mid=m["id"]), before)
        self.assertError(self.admin.post("/mobile-members", self.body(m["id"], certificate_no="")), 422,
                         "rule_violation", field="certificate_no")
        # a malformed number is a plain field error
        self.assertError(self.admin.post("/mobile-members", self.body(m["id"], certificate_no=" 流动证1 ")), 422,
                         "validation_failed", field="certificate_no")
        self.assertEqual(self.snapshot(mid=m["id"]), before)
        # outside the system (inflow_text only), no certificate is needed
        r = self.assertStatus(self.admin.post("/mobile-members", self.body(
            m["id"], certificate_no=None, inflow_org_id=None, inflow_text="外省某街道党工委")), 201)
        self.assertIsNone(r["certificate_no"])
        # naming an in-system inflow organisation later needs the number too, sent with it or already kept
        before = self.snapshot(r["id"], m["id"])
        err = self.assertError(self.admin.patch("/mobile-members/%d" % r["id"], {"inflow_org_id": self.branch_b["id"]}),
                               422, "rule_violation", field="certificate_no")
        self.assertEqual(err.get("rule"), "MOB-03", err)
        self.assertEqual(self.snapshot(r["id"], m["id"]), before)
        cert = "流动证%d" % next(self._cert)
        u = self.assertStatus(self.admin.patch("/mobile-members/%d" % r["id"], {
            "inflow_org_id": self.branch_b["id"], "certificate_no": cert}), 200)
        self.assertEqual((u["inflow_org_id"], u["certificate_no"]), (self.branch_b["id"], cert))
        # the number cannot be taken away while the in-system organisation is named
        before = self.snapshot(r["id"], m["id"])
        self.assertError(self.admin.patch("/mobile-members/%d" % r["id"], {"certificate_no": None}), 422,
                         "rule_violation", field="certificate_no")
        self.assertEqual(self.snapshot(r["id"], m["id"]), before)
        # nor reused from another record
        other = self.new_member()
        o = self.assertStatus(self.admin.post("/mobile-members", self.body(other["id"])), 201)
        before = self.snapshot(r["id"], m["id"])
        self.assertError(self.admin.patch("/mobile-members/%d" % r["id"], {"certificate_no": o["certificate_no"]}), 409,
                         "duplicate_certificate")
        self.assertEqual(self.snapshot(r["id"], m["id"]), before)
        # dropping both is allowed
        u = self.assertStatus(self.admin.patch("/mobile-members/%d" % r["id"], {
            "inflow_org_id": None, "certificate_no": None, "inflow_text": "外省某街道党工委"}), 200)
        self.assertEqual((u["inflow_org_id"], u["certificate_no"]), (None, None))

    def test_both_the_outflow_and_the_inflow_side_see_the_record(self):
        m = self.new_member()
        r = self.assertStatus(self.admin.post("/mobile-members", self.body(m["id"])), 201)
        ids = lambda c, **p: [x["id"] for x in c.all_items("/mobile-members", p)]
        self.assertIn(r["id"], ids(self.staff_a))                   # 流出地
        self.assertIn(r["id"], ids(self.staff_b))                   # 流入地
        self.assertNotIn(r["id"], ids(self.staff_c))
        self.assertIn(r["id"], ids(self.admin, org=self.branch_b["id"]))
        self.assertIn(r["id"], ids(self.admin, state="out"))
        self.assertNotIn(r["id"], ids(self.admin, state="returned"))
        got = self.assertStatus(self.staff_b.get("/mobile-members/%d" % r["id"]), 200)
        self.assertEqual(got["member_name"], m["name"])
        self.assertError(self.staff_c.get("/mobile-members/%d" % r["id"]), 404)
        self.assertError(self.admin.get("/mobile-members", {"state": "away"}), 400, "invalid_parameter")
        self.assertError(self.staff_c.get("/mobile-members", {"org": self.unit_a["id"]}), 404)
        self.assertError(self.auditor.get("/mobile-members"), 403)
        self.assertStatus(self.admin.post("/mobile-members/%d/return" % r["id"], {}), 200)
        self.assertIn(r["id"], ids(self.staff_b, state="returned"))


if __name__ == "__main__":
    unittest.main()
