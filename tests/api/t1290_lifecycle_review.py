"""t1290: a security and correctness review of the member-lifecycle endpoints (development cases,
transfers, mobile members, member states, sanctions): scope (another unit's records answer 404 and
nothing changes), roles (member, auditor, secretary), bad input (a clear error, nothing changed),
audit rows of every change, and masking of identity and phone numbers. The tests named after a
finding failed before its fix:
  - an inbound letter registered with a number in our own format (YYYY-NNNNNN) blocked every
    introduction letter after it (409 duplicate_letter_no on each sending approval);
  - the receiving side (even a branch secretary there) could cancel a transfer the sending committee
    had approved, bypassing the return with a reason;
  - a mobile member's contact (a phone number) was shown and audited unmasked to every reader."""

import datetime
import unittest

from dev_util import applicant_body
from harness import ServerTest, mask_id, member_payload

TODAY = datetime.date(2026, 11, 20)
PASSWORD = "Review@2026a"


def d(days_ago):
    return (TODAY - datetime.timedelta(days=days_ago)).isoformat()


class ReviewTest(ServerTest):
    """Two units A and B with two branches each; an org_admin of each unit, a secretary of a B branch,
    and in unit B one record of every kind (case, transfers, letter, mobile record, sanction, lost member)."""

    server_env = {"DJ_TODAY": TODAY.isoformat()}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        st, body, _ = admin.get("/orgs")
        assert st == 200, body
        orgs = body["items"]
        units = [o for o in orgs if o["type"] == "party_committee" and o["parent_id"] == orgs[0]["id"]
                 and len([b for b in orgs if b["parent_id"] == o["id"] and b["type"] == "branch"]) >= 2]
        cls.unit_a, cls.unit_b = units[0], units[1]
        cls.a1, cls.a2 = [b for b in orgs if b["parent_id"] == cls.unit_a["id"] and b["type"] == "branch"][:2]
        cls.b1, cls.b2 = [b for b in orgs if b["parent_id"] == cls.unit_b["id"] and b["type"] == "branch"][:2]
        for name, role, org in (("rev_a", "org_admin", cls.unit_a), ("rev_b", "org_admin", cls.unit_b),
                                ("rev_sec_b", "secretary", cls.b1)):
            st, u, _ = admin.post("/users", {"username": name, "display_name": name, "password": PASSWORD,
                                             "role": role, "org_id": org["id"]})
            assert st == 201, u
        cls.staff_a = cls.server.client("rev_a", PASSWORD)
        cls.staff_b = cls.server.client("rev_b", PASSWORD)
        cls.sec_b = cls.server.client("rev_sec_b", PASSWORD)
        for name in ("secretary", "member", "auditor"):
            cls.as_user(name)

        def ok(resp):
            st, body, _ = resp
            assert st in (200, 201), body
            return body

        cls.bodies = {}
        cls.ms = []
        for _ in range(5):
            p = member_payload(cls.b1["id"])
            m = ok(admin.post("/members", p))
            cls.bodies[m["id"]] = p
            cls.ms.append(m)
        m1, m2, m3, m4, m5 = cls.ms
        cls.case_body = applicant_body(cls.b1["id"], applied_on=d(300))
        cls.case = ok(admin.post("/applicants", cls.case_body))
        cls.x_in = ok(admin.post("/transfers", {"kind": "in_system", "member_id": m1["id"], "to_org_id": cls.b2["id"],
                                                "reason": "工作调动"}))
        x_out = ok(admin.post("/transfers", {"kind": "outbound", "member_id": m2["id"], "to_text": "外省某县委组织部",
                                              "reason": "工作调动"}))
        cls.x_out = ok(admin.post("/transfers/%d/approve" % x_out["id"], {"side": "sending"}))
        cls.mob = ok(admin.post("/mobile-members", {"member_id": m3["id"], "out_on": d(100), "destination": "广东省深圳市",
                                                    "contact": "13812345678", "reason": "外出务工"}))
        cls.san = ok(admin.post("/members/%d/sanctions" % m4["id"], {"type": "warning", "decided_on": d(50),
                                                                     "basis": "违反工作纪律"}))
        ok(admin.post("/members/%d/lost" % m5["id"], {"last_contact_on": d(250), "situation": "address_unknown"}))

    # -- helpers --
    def snapshot(self):
        """Every lifecycle table and the audit trail: what a refused request must leave as it was."""
        out = {}
        for t in ("applicants", "dev_steps", "dev_plans", "members", "member_history", "transfers",
                  "mobile_members", "sanctions", "letter_seq"):
            out[t] = sorted(tuple(str(v) for v in r) for r in self.server.sql("SELECT * FROM %s" % t))
        out["audit"] = self.audit_count()
        return out

    def assertRefusedAll(self, calls):
        """calls: [(label, client, method, path, body, status)]; each refused with that status, nothing changed."""
        before = self.snapshot()
        for label, c, method, path, body, status in calls:
            with self.subTest(label):
                st, got, _ = c.request(method, path, body=body)
                self.assertEqual(st, status, "%s %s %s: %.300r" % (label, method, path, got))
                self.assertIsInstance(got, dict, got)
                self.assertTrue(got["error"]["message"])
        self.assertEqual(self.snapshot(), before, "a refused request changed something")

    def new_member(self, org):
        m, _ = self.create_member(org["id"])
        return m

    def last_audit(self, n=1):
        rows = self.server.sql("SELECT action, entity, entity_id, COALESCE(before, ''), COALESCE(after, '')"
                               " FROM audit_log ORDER BY id DESC LIMIT %d" % n)
        return [[str(v) for v in r] for r in reversed(rows)]


class T1290Scope(ReviewTest):

    def test_another_units_records_answer_404_to_an_org_admin_and_nothing_changes(self):
        m1, m2, m3, m4, m5 = [m["id"] for m in self.ms]
        c, case, xin, xout = self.staff_a, self.case["id"], self.x_in["id"], self.x_out["id"]
        calls = [
            ("case", c, "GET", "/applicants/%d" % case, None, 404),
            ("case revealed", c, "GET", "/applicants/%d?reveal=1" % case, None, 404),
            ("cases of B", c, "GET", "/applicants?org=%d" % self.unit_b["id"], None, 404),
            ("step", c, "POST", "/applicants/%d/steps" % case, {"step": 2, "on": d(290),
                                                                 "people": [{"role": "talker", "name": "张三"}]}, 404),
            ("stop", c, "POST", "/applicants/%d/stop" % case, {"on": d(10), "reason": "本人放弃"}, 404),
            ("move", c, "POST", "/applicants/%d/move" % case, {"org_id": self.a1["id"], "on": d(10), "reason": "调动"}, 404),
            ("transfer", c, "GET", "/transfers/%d" % xin, None, 404),
            ("transfers of B", c, "GET", "/transfers?org=%d" % self.unit_b["id"], None, 404),
            ("letter", c, "GET", "/transfers/%d/letter.pdf" % xout, None, 404),
            ("approve", c, "POST", "/transfers/%d/approve" % xin, {"side": "sending"}, 404),
            ("return", c, "POST", "/transfers/%d/return" % xin, {"side": "sending", "reason": "材料不全"}, 404),
            ("cancel", c, "POST", "/transfers/%d/cancel" % xin, None, 404),
            ("attach", c, "POST", "/transfers/%d/attach" % xout, {"member_id": m2}, 404),
            ("receipt by letter number", c, "POST", "/transfers/receipt", {"letter_no": self.x_out["letter_no"]}, 404),
            ("request for B member", c, "POST", "/transfers", {"kind": "in_system", "member_id": m3,
                                                              "to_org_id": self.a1["id"], "reason": "调动"}, 404),
            ("request into B", c, "POST", "/transfers", {"kind": "in_system", "member_id": self.new_member(self.a1)["id"],
                                                        "to_org_id": self.b1["id"], "reason": "调动"}, 404),
            ("inbound into B", c, "POST", "/transfers", {"kind": "inbound", "letter_no": "外-1", "from_text": "外省",
                                                        "to_org_id": self.b1["id"], "letter_on": d(5)}, 404),
            ("mobile", c, "GET", "/mobile-members/%d" % self.mob["id"], None, 404),
            ("mobiles of B", c, "GET", "/mobile-members?org=%d" % self.unit_b["id"], None, 404),
            ("mobile patch", c, "PATCH", "/mobile-members/%d" % self.mob["id"], {"destination": "上海"}, 404),
            ("mobile return", c, "POST", "/mobile-members/%d/return" % self.mob["id"], {}, 404),
            ("mobile for B member", c, "POST", "/mobile-members", {"member_id": m1, "out_on": d(3),
                                                                   "destination": "上海", "reason": "务工"}, 404),
            ("sanctions of member", c, "GET", "/members/%d/sanctions" % m4, None, 404),
            ("sanctions of B", c, "GET", "/sanctions?org=%d" % self.unit_b["id"], None, 404),
            ("sanction", c, "POST", "/members/%d/sanctions" % m4, {"type": "warning", "decided_on": d(5),
                                                                   "basis": "x"}, 404),
            ("sanction end", c, "POST", "/members/%d/sanctions/%d/end" % (m4, self.san["id"]),
             {"on": d(1), "outcome": "restored"}, 404),
            ("states", c, "GET", "/members/%d/states" % m5, None, 404),
            ("lost", c, "POST", "/members/%d/lost" % m1, {"last_contact_on": d(10), "situation": "other"}, 404),
            ("suspend", c, "POST", "/members/%d/suspend" % m5, {"on": d(1)}, 404),
            ("restore", c, "POST", "/members/%d/restore" % m5, {"on": d(1)}, 404),
            ("exit", c, "POST", "/members/%d/exit" % m1, {"reason": "death", "on": d(3), "approved_on": d(2)}, 404),
            ("due", c, "GET", "/development/due?org=%d" % self.unit_b["id"], None, 404),
            ("dormant", c, "GET", "/development/dormant?org=%d" % self.unit_b["id"], None, 404),
            ("plans", c, "GET", "/development/plans?org=%d" % self.unit_b["id"], None, 404),
            ("plan set", c, "PUT", "/development/plans", {"org_id": self.unit_b["id"], "year": 2026, "quota": 3}, 422),
        ]
        self.assertRefusedAll(calls)
        # the people on a step and the branch a case moves to are looked up in scope too
        own = self.assertStatus(self.staff_a.post("/applicants", applicant_body(self.a1["id"], applied_on=d(200))), 201)
        self.assertRefusedAll([
            ("talker from B", self.staff_a, "POST", "/applicants/%d/steps" % own["id"],
             {"step": 2, "on": d(190), "people": [{"role": "talker", "member_id": m1}]}, 422),
            ("move into B", self.staff_a, "POST", "/applicants/%d/move" % own["id"],
             {"org_id": self.b2["id"], "on": d(1), "reason": "调动"}, 404),
        ])
        # destinations: staff only get branches of their subtree
        got = self.assertStatus(self.staff_a.get("/transfers/destinations", {"q": self.unit_b["name"]}), 200)
        self.assertEqual(got["items"], [])
        got = self.assertStatus(self.staff_a.get("/transfers/destinations"), 200)
        self.assertTrue(got["items"])
        self.assertTrue(all(i["path_name"].find(self.unit_a["name"]) >= 0 for i in got["items"]), got)
        # a member filter names nothing outside: the list stays empty
        got = self.assertStatus(self.staff_a.get("/transfers", {"member_id": m1}), 200)
        self.assertEqual((got["items"], got["total"]), ([], 0))

    def test_another_branchs_secretary_gets_404_for_the_records_and_403_for_committee_actions(self):
        m1, m2, m3, m4, m5 = [m["id"] for m in self.ms]
        s = self.secretary       # the demo secretary's branch is under the root, not in unit B
        self.assertRefusedAll([
            ("case", s, "GET", "/applicants/%d" % self.case["id"], None, 404),
            ("step", s, "POST", "/applicants/%d/steps" % self.case["id"],
             {"step": 2, "on": d(290), "people": [{"role": "talker", "name": "张三"}]}, 404),
            ("transfer", s, "GET", "/transfers/%d" % self.x_in["id"], None, 404),
            ("cancel", s, "POST", "/transfers/%d/cancel" % self.x_in["id"], None, 404),
            ("letter", s, "GET", "/transfers/%d/letter.pdf" % self.x_out["id"], None, 404),
            ("mobile", s, "GET", "/mobile-members/%d" % self.mob["id"], None, 404),
            ("lost", s, "POST", "/members/%d/lost" % m1, {"last_contact_on": d(10), "situation": "other"}, 404),
            ("states", s, "GET", "/members/%d/states" % m5, None, 404),
            ("sanctions", s, "GET", "/members/%d/sanctions" % m4, None, 404),
            # the committee's actions are refused by role before anything else
            ("approve", s, "POST", "/transfers/%d/approve" % self.x_in["id"], {"side": "sending"}, 403),
            ("receipt", s, "POST", "/transfers/receipt", {"letter_no": self.x_out["letter_no"]}, 403),
            ("suspend", s, "POST", "/members/%d/suspend" % m5, {"on": d(1)}, 403),
            ("sanction", s, "POST", "/members/%d/sanctions" % m4, {"type": "warning", "decided_on": d(5),
                                                                   "basis": "x"}, 403),
            ("plan", s, "PUT", "/development/plans", {"org_id": self.b1["id"], "year": 2026, "quota": 1}, 403),
        ])


class T1290Roles(ReviewTest):

    def test_the_auditor_reads_the_audit_trail_and_nothing_of_the_lifecycle(self):
        a = self.auditor
        m1, m4 = self.ms[0]["id"], self.ms[3]["id"]
        calls = [(p, a, "GET", p, None, 403) for p in (
            "/applicants", "/applicants/%d" % self.case["id"], "/transfers", "/transfers/%d" % self.x_in["id"],
            "/transfers/%d/letter.pdf" % self.x_out["id"], "/transfers/destinations", "/mobile-members",
            "/mobile-members/%d" % self.mob["id"], "/sanctions", "/members/%d/sanctions" % m4,
            "/members/%d/states" % m1, "/development/due", "/development/dormant", "/development/plans")]
        calls += [(p, a, "POST", p, b, 403) for p, b in (
            ("/applicants", self.case_body), ("/transfers", {"kind": "in_system", "member_id": m1}),
            ("/transfers/%d/cancel" % self.x_in["id"], None), ("/mobile-members", {"member_id": m1}),
            ("/members/%d/lost" % m1, {}), ("/members/%d/sanctions" % m4, {}))]
        self.assertRefusedAll(calls)
        self.assertStatus(a.get("/audit", {"per_page": 1}), 200)

    def test_a_member_only_requests_reads_and_cancels_their_own_transfer(self):
        me = self.as_user("member")
        mine = me.user["member_id"]
        other = self.ms[0]["id"]
        self.assertRefusedAll([
            ("cases", me, "GET", "/applicants", None, 403),
            ("mobile list", me, "GET", "/mobile-members", None, 403),
            ("sanctions", me, "GET", "/sanctions", None, 403),
            ("another's transfer", me, "GET", "/transfers/%d" % self.x_in["id"], None, 404),
            ("another's letter", me, "GET", "/transfers/%d/letter.pdf" % self.x_out["id"], None, 404),
            ("another's cancel", me, "POST", "/transfers/%d/cancel" % self.x_in["id"], None, 404),
            ("request for another", me, "POST", "/transfers", {"kind": "in_system", "member_id": other,
                                                              "to_org_id": self.a1["id"], "reason": "调动"}, 404),
            ("inbound letter", me, "POST", "/transfers", {"kind": "inbound", "letter_no": "M-1", "from_text": "外省",
                                                         "to_org_id": self.a1["id"], "letter_on": d(3)}, 403),
            ("approve", me, "POST", "/transfers/%d/approve" % self.x_in["id"], {"side": "sending"}, 403),
            ("another's states", me, "GET", "/members/%d/states" % other, None, 404),
            ("lost", me, "POST", "/members/%d/lost" % mine, {"last_contact_on": d(3), "situation": "other"}, 403),
        ])
        # the own list ignores filters naming others
        got = self.assertStatus(me.get("/transfers", {"member_id": other, "org": self.unit_b["id"]}), 200)
        self.assertEqual(got["total"], 0)
        self.assertStatus(me.get("/members/%d/states" % mine), 200)
        t = self.assertStatus(me.post("/transfers", {"kind": "in_system", "member_id": mine, "to_org_id": self.a1["id"],
                                                     "reason": "工作调动"}), 201)
        self.assertEqual(self.assertStatus(me.get("/transfers"), 200)["total"], 1)
        c = self.assertStatus(me.post("/transfers/%d/cancel" % t["id"]), 200)
        self.assertEqual(c["state"], "cancelled")

    def test_a_secretary_may_not_record_the_higher_committees_steps(self):
        # a case in the secretary's own branch, up to step 3 (steps 4 and 8 are the committee's)
        sec = self.secretary
        branch = sec.user["org_id"]
        full = [m["id"] for m in self.admin.all_items("/members", {"org": branch}) if m["status"] == "full"]
        case = self.assertStatus(sec.post("/applicants", applicant_body(branch, applied_on=d(200))), 201)
        self.assertStatus(sec.post("/applicants/%d/steps" % case["id"], {
            "step": 2, "on": d(195), "people": [{"role": "talker", "member_id": full[0]}]}), 201)
        self.assertStatus(sec.post("/applicants/%d/steps" % case["id"], {"step": 3, "on": d(190)}), 201)
        self.assertRefusedAll([("step 4 (备案)", sec, "POST", "/applicants/%d/steps" % case["id"],
                                {"step": 4, "on": d(185)}, 403)])
        self.assertStatus(self.admin.post("/applicants/%d/steps" % case["id"], {"step": 4, "on": d(185)}), 201)


class T1290Findings(ReviewTest):

    def test_an_inbound_letter_with_a_number_in_our_format_does_not_block_issuing_letters(self):
        """Finding: the sequence's next number, registered as an inbound letter, made every sending approval 409."""
        admin = self.admin
        year = TODAY.year
        issued = [r[0] for r in self.server.sql("SELECT letter_no FROM transfers WHERE letter_no LIKE ?", ("%d-%%" % year,))]
        last = max(int(n.split("-")[1]) for n in issued)
        taken = ["%d-%06d" % (year, last + 1), "%d-%06d" % (year, last + 2)]
        for no in taken:
            self.assertStatus(self.staff_b.post("/transfers", {"kind": "inbound", "letter_no": no, "from_text": "外省某党委",
                                                               "to_org_id": self.b2["id"], "letter_on": d(10)}), 201)
        m = self.new_member(self.b1)
        t = self.assertStatus(admin.post("/transfers", {"kind": "outbound", "member_id": m["id"], "to_text": "外省",
                                                        "reason": "随迁"}), 201)
        got = self.assertStatus(admin.post("/transfers/%d/approve" % t["id"], {"side": "sending"}), 200)
        self.assertEqual(got["state"], "letter_issued")
        self.assertEqual(got["letter_no"], "%d-%06d" % (year, last + 3))
        # the receipt by number finds the issued letter, not the inbound one
        r = self.assertStatus(admin.post("/transfers/receipt", {"letter_no": got["letter_no"], "on": d(0)}), 200)
        self.assertEqual((r["id"], r["state"]), (t["id"], "completed"))

    def test_the_receiving_side_cannot_cancel_a_transfer_it_may_only_return_it(self):
        """Finding: staff of the receiving side (even a branch secretary) could cancel the sender's approved transfer."""
        m = self.new_member(self.a1)
        # across units the request is the admin's (staff send within their subtree) or the member's own
        t = self.assertStatus(self.admin.post("/transfers", {"kind": "in_system", "member_id": m["id"],
                                                             "to_org_id": self.b1["id"], "reason": "调动"}), 201)
        self.assertStatus(self.staff_a.post("/transfers/%d/approve" % t["id"], {"side": "sending"}), 200)
        self.assertStatus(self.sec_b.get("/transfers/%d" % t["id"]), 200)      # the receiving branch sees it
        self.assertRefusedAll([
            ("receiving secretary", self.sec_b, "POST", "/transfers/%d/cancel" % t["id"], None, 403),
            ("receiving committee", self.staff_b, "POST", "/transfers/%d/cancel" % t["id"], None, 403),
        ])
        back = self.assertStatus(self.staff_b.post("/transfers/%d/return" % t["id"],
                                                   {"side": "receiving", "reason": "本支部不接收"}), 200)
        self.assertEqual((back["state"], back["returned_side"]), ("returned", "receiving"))
        # the sending side still cancels its own request
        t2 = self.assertStatus(self.admin.post("/transfers", {"kind": "in_system", "member_id": m["id"],
                                                              "to_org_id": self.b1["id"], "reason": "调动"}), 201)
        self.assertEqual(self.assertStatus(self.staff_a.post("/transfers/%d/cancel" % t2["id"]), 200)["state"],
                         "cancelled")
        # an inbound letter is cancelled by the branch's side that registered it
        t3 = self.assertStatus(self.staff_b.post("/transfers", {"kind": "inbound", "letter_no": "外-撤销-1",
                                                                "from_text": "外省", "to_org_id": self.b1["id"],
                                                                "letter_on": d(2)}), 201)
        self.assertEqual(self.assertStatus(self.sec_b.post("/transfers/%d/cancel" % t3["id"]), 200)["state"],
                         "cancelled")

    def test_a_mobile_members_contact_is_masked_unless_revealed_with_permission(self):
        """Finding: the contact (a phone number) was in plain in every reply, list and audit row."""
        rid = self.mob["id"]
        self.assertEqual(self.mob["contact"], "138****5678")
        got = self.assertStatus(self.staff_b.get("/mobile-members/%d" % rid), 200)
        self.assertEqual(got["contact"], "138****5678")
        items = self.assertStatus(self.sec_b.get("/mobile-members"), 200)["items"]
        self.assertEqual([x["contact"] for x in items if x["id"] == rid], ["138****5678"])
        self.assertNotIn("13812345678", str(self.server.sql("SELECT before, after FROM audit_log")))
        # revealing needs the permission and is audited
        self.assertRefusedAll([("secretary reveal", self.sec_b, "GET", "/mobile-members/%d?reveal=1" % rid, None, 403)])
        n = self.audit_count()
        got = self.assertStatus(self.staff_b.get("/mobile-members/%d" % rid, {"reveal": 1}), 200)
        self.assertEqual(got["contact"], "13812345678")
        self.assertEqual(self.audit_count(), n + 1)
        self.assertEqual(self.last_audit()[0][:3], ["mobile.reveal", "mobile_member", str(rid)])
        # a form sending back the masked text keeps the number; a new number replaces it
        u = self.assertStatus(self.staff_b.patch("/mobile-members/%d" % rid, {"contact": "138****5678",
                                                                              "destination": "广东省广州市"}), 200)
        self.assertEqual(u["contact"], "138****5678")
        # (the number is sealed at rest since 0010: revealing shows what is stored)
        revealed = lambda: self.assertStatus(self.staff_b.get("/mobile-members/%d" % rid, {"reveal": 1}), 200)["contact"]
        self.assertEqual(revealed(), "13812345678")
        u = self.assertStatus(self.staff_b.patch("/mobile-members/%d" % rid, {"contact": "13900001234"}), 200)
        self.assertEqual(u["contact"], "139****1234")
        self.assertEqual(revealed(), "13900001234")
        # text without a number is shown as it is
        u = self.assertStatus(self.staff_b.patch("/mobile-members/%d" % rid, {"contact": "微信联系"}), 200)
        self.assertEqual(u["contact"], "微信联系")


class T1290Masking(ReviewTest):

    def test_identity_and_phone_numbers_are_masked_in_every_lifecycle_reply_and_audit_row(self):
        idc, phone = self.case_body["id_card"], self.case_body["phone"]
        plain = [idc, phone] + [self.bodies[m["id"]]["id_card"] for m in self.ms] + \
            [self.bodies[m["id"]]["phone"] for m in self.ms]
        replies = [
            self.admin.get("/applicants/%d" % self.case["id"]), self.admin.get("/applicants", {"org": self.b1["id"]}),
            self.admin.get("/development/due", {"org": self.unit_b["id"]}),
            self.admin.get("/transfers", {"org": self.unit_b["id"]}), self.admin.get("/transfers/%d" % self.x_out["id"]),
            self.admin.get("/mobile-members", {"org": self.unit_b["id"]}), self.admin.get("/sanctions"),
            self.admin.get("/members/%d/states" % self.ms[4]["id"]),
            self.admin.post("/members/%d/restore" % self.ms[4]["id"], {"on": d(1), "basis": "已取得联系"}),
        ]
        for st, body, _ in replies:
            self.assertIn(st, (200, 201), body)
            text = str(body)
            for p in plain:
                self.assertNotIn(p, text)
        case = self.assertStatus(self.admin.get("/applicants/%d" % self.case["id"]), 200)
        self.assertEqual(case["id_card"], mask_id(idc))
        audit = str(self.server.sql("SELECT before, after FROM audit_log"))
        for p in plain:
            self.assertNotIn(p, audit)
        # the letter is printed by a secretary too (no reveal permission): it is built from the masked record
        st, pdf, hdrs = self.sec_b.get("/transfers/%d/letter.pdf" % self.x_out["id"])
        self.assertEqual(st, 200)
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_revealing_an_applicants_numbers_needs_the_permission_and_is_audited(self):
        self.assertRefusedAll([("secretary", self.sec_b, "GET", "/applicants/%d?reveal=1" % self.case["id"], None, 403)])
        n = self.audit_count()
        got = self.assertStatus(self.staff_b.get("/applicants/%d" % self.case["id"], {"reveal": 1}), 200)
        self.assertEqual((got["id_card"], got["phone"]), (self.case_body["id_card"], self.case_body["phone"]))
        self.assertEqual(self.audit_count(), n + 1)
        self.assertEqual(self.last_audit()[0][:3], ["applicant.reveal", "applicant", str(self.case["id"])])


class T1290BadInput(ReviewTest):

    def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(self):
        a = self.admin
        case, m1, m4 = self.case["id"], self.ms[0]["id"], self.ms[3]["id"]
        rid, xin = self.mob["id"], self.x_in["id"]
        steps = "/applicants/%d/steps" % case
        big = "字" * 2001
        cases = [
            # unknown fields: 400 unknown_field, also inside nested objects
            ("applicant unknown", "POST", "/applicants", dict(self.case_body, extra=1), 400, "unknown_field", None),
            ("vote unknown", "POST", steps, {"step": 15, "on": d(1), "vote": {"expected": 5, "maybe": 1}}, 400,
             "unknown_field", None),
            ("person unknown", "POST", steps, {"step": 2, "on": d(290), "people": [{"role": "talker", "age": 3}]}, 400,
             "unknown_field", None),
            ("mobile patch state", "PATCH", "/mobile-members/%d" % rid, {"state": "returned"}, 400, "unknown_field", None),
            ("cancel body", "POST", "/transfers/%d/cancel" % xin, {"why": "x"}, 400, "unknown_field", None),
            # wrong JSON types: 422 naming the field
            ("step as text", "POST", steps, {"step": "2", "on": d(290)}, 422, None, "step"),
            ("vote as list", "POST", steps, {"step": 15, "on": d(1), "vote": [1, 2]}, 422, None, "vote"),
            ("people as text", "POST", steps, {"step": 2, "on": d(290), "people": "张三"}, 422, None, "people"),
            ("member_id as text", "POST", "/transfers", {"kind": "in_system", "member_id": str(m1)}, 422, None, "member_id"),
            ("cross_province as 1", "POST", "/transfers", {"kind": "outbound", "member_id": m1, "cross_province": 1}, 422,
             None, "cross_province"),
            ("period as text", "POST", "/members/%d/sanctions" % m4, {"type": "probation", "decided_on": d(5),
                                                                      "basis": "x", "period_months": "12"}, 422, None,
             "period_months"),
            ("quota as text", "PUT", "/development/plans", {"org_id": self.b1["id"], "year": 2026, "quota": "3"}, 422,
             None, "quota"),
            # absurd dates
            ("2026-02-30", "POST", "/members/%d/sanctions" % m4, {"type": "warning", "decided_on": "2026-02-30",
                                                                  "basis": "x"}, 422, None, "decided_on"),
            ("year 0001", "POST", "/applicants", dict(self.case_body, applied_on="0001-01-01"), 422, None, "applied_on"),
            ("far future step", "POST", steps, {"step": 2, "on": "9999-12-31",
                                               "people": [{"role": "talker", "name": "张三"}]}, 422, None, "on"),
            ("far future letter", "POST", "/transfers", {"kind": "inbound", "letter_no": "F-1", "from_text": "外省",
                                                         "to_org_id": self.b1["id"], "letter_on": "9999-12-31"}, 422, None,
             "letter_on"),
            ("far future return", "POST", "/mobile-members/%d/return" % rid, {"on": "9999-12-31"}, 422, None, "on"),
            ("far future approval", "POST", "/members/%d/sanctions" % m4, {"type": "warning", "decided_on": d(5),
                                                                           "basis": "x", "approved_on": "9999-01-01"},
             422, None, "approved_on"),
            ("far future lost", "POST", "/members/%d/lost" % m1, {"last_contact_on": "9999-01-01", "situation": "other"},
             422, None, "last_contact_on"),
            ("dues month 13", "POST", "/transfers", {"kind": "inbound", "letter_no": "F-2", "from_text": "外省",
                                                     "to_org_id": self.b1["id"], "letter_on": d(3),
                                                     "dues_paid_to": "2026-13"}, 422, None, "dues_paid_to"),
            # over the documented limits
            ("summary 2001", "POST", steps, {"step": 6, "on": d(1), "summary": big}, 422, None, "summary"),
            ("letter number 41", "POST", "/transfers", {"kind": "inbound", "letter_no": "x" * 41, "from_text": "外省",
                                                        "to_org_id": self.b1["id"], "letter_on": d(3)}, 422, None,
             "letter_no"),
            ("basis 1001", "POST", "/members/%d/sanctions" % m4, {"type": "warning", "decided_on": d(5),
                                                                  "basis": "x" * 1001}, 422, None, "basis"),
            ("destination 101", "PATCH", "/mobile-members/%d" % rid, {"destination": "x" * 101}, 422, None,
             "destination"),
            ("reason 501", "POST", "/applicants/%d/stop" % case, {"on": d(1), "reason": "x" * 501}, 422, None, "reason"),
            # negative and huge numbers
            ("vote negative", "POST", steps, {"step": 15, "on": d(1), "vote": {"expected": -5}}, 422, None, "vote"),
            ("vote huge", "POST", steps, {"step": 15, "on": d(1), "vote": {"yes": 2 ** 62}}, 422, None, "vote"),
            ("training negative", "POST", steps, {"step": 11, "on": d(1), "training": {"days": -1, "hours": 2}}, 422,
             None, "training"),
            ("extension huge", "POST", steps, {"step": 23, "on": d(1), "extension_months": 10 ** 12}, 422, None,
             "extension_months"),
            ("period negative", "POST", "/members/%d/sanctions" % m4, {"type": "probation", "decided_on": d(5),
                                                                       "basis": "x", "period_months": -12}, 422, None,
             "period_months"),
            ("period huge", "POST", "/members/%d/sanctions" % m4, {"type": "probation", "decided_on": d(5),
                                                                   "basis": "x", "period_months": 2 ** 40}, 422, None,
             "period_months"),
            ("quota negative", "PUT", "/development/plans", {"org_id": self.b1["id"], "year": 2026, "quota": -1}, 422,
             None, "quota"),
            ("quota huge", "PUT", "/development/plans", {"org_id": self.b1["id"], "year": 2026, "quota": 2 ** 40}, 422,
             None, "quota"),
            ("year zero", "PUT", "/development/plans", {"org_id": self.b1["id"], "year": 0, "quota": 1}, 422, None,
             "year"),
            # ids that do not exist
            ("no case", "POST", "/applicants/99999999/steps", {"step": 2}, 404, None, None),
            ("no member on step", "POST", steps, {"step": 2, "on": d(290),
                                                  "people": [{"role": "talker", "member_id": 99999999}]}, 422, None,
             "people"),
            ("no approver", "POST", steps, {"step": 4, "on": d(290), "approver_org_id": 99999999}, 422, None,
             "approver_org_id"),
            ("no meeting", "POST", steps, {"step": 2, "on": d(290), "meeting_id": 99999999}, 422, None, "meeting_id"),
            ("no transfer", "POST", "/transfers/99999999/approve", {"side": "sending"}, 404, None, None),
            ("no letter", "POST", "/transfers/receipt", {"letter_no": "2026-999999"}, 404, "unknown_letter", None),
            ("no mobile", "POST", "/mobile-members/99999999/return", {}, 404, None, None),
            ("no sanction", "POST", "/members/%d/sanctions/99999999/end" % m4, {"on": d(1), "outcome": "restored"},
             404, None, None),
            ("no member", "POST", "/members/99999999/exit", {"reason": "death", "on": d(1)}, 404, None, None),
            ("no inflow org", "PATCH", "/mobile-members/%d" % rid, {"inflow_org_id": 99999999}, 422, None,
             "inflow_org_id"),
        ]
        before = self.snapshot()
        for label, method, path, body, status, code, field in cases:
            with self.subTest(label):
                err = self.assertError(a.request(method, path, body=body), status, code, field)
                self.assertRegex(err["message"], "[\u4e00-\u9fff]", "a Chinese message")
                self.assertRegex(err["code"], "^[a-z_]+$")
        # invalid UTF-8 and bodies that are not objects
        for path in ("/applicants", "/transfers", "/mobile-members", "/transfers/receipt", steps):
            with self.subTest(path):
                self.assertError(a.request("POST", path, raw=b'{"name":"\xff\xfe"}', content_type="application/json"),
                                 400, "invalid_utf8")
                self.assertError(a.request("POST", path, raw=b'[1]', content_type="application/json"), 400,
                                 "invalid_json")
        # page and per_page limits on every list
        for path in ("/applicants", "/transfers", "/mobile-members", "/sanctions"):
            for params in ({"per_page": 0}, {"per_page": 201}, {"page": 0}, {"page": 10 ** 7}, {"org": "x"}):
                with self.subTest(path=path, params=params):
                    self.assertError(a.get(path, params), 400, "invalid_parameter")
        for path, params in (("/development/due", {"month": "2026-13"}), ("/development/due", {"month": "0001-01"}),
                             ("/development/dormant", {"years": 0}), ("/development/plans", {"year": 10 ** 5}),
                             ("/transfers", {"box": "sideways"}), ("/applicants", {"status": "x"}),
                             ("/transfers/destinations", {"q": "x" * 200})):
            with self.subTest(path=path, params=params):
                self.assertError(a.get(path, params), 400, "invalid_parameter")
        self.assertEqual(self.snapshot(), before, "a refused request changed something")
        self.assertStatus(a.get("/health"), 200)


class T1290Audit(ReviewTest):

    def test_every_lifecycle_change_writes_its_audit_row(self):
        a, sb = self.admin, self.staff_b
        m = self.new_member(self.b1)
        actions = []

        def change(call, *expect):
            n = self.audit_count()
            resp = call()
            self.assertIn(resp[0], (200, 201), resp[1])
            rows = self.last_audit(self.audit_count() - n)
            self.assertEqual([r[0] for r in rows], list(expect))
            actions.extend(expect)
            return resp[1]

        case = change(lambda: sb.post("/applicants", applicant_body(self.b1["id"], applied_on=d(200))), "applicant.create")
        change(lambda: sb.post("/applicants/%d/stop" % case["id"], {"on": d(1), "reason": "本人撤回申请"}), "applicant.stop")
        case = change(lambda: sb.post("/applicants", applicant_body(self.b1["id"], applied_on=d(200))), "applicant.create")
        change(lambda: sb.post("/applicants/%d/steps" % case["id"], {"step": 2, "on": d(190), "people": [
            {"role": "talker", "member_id": m["id"]}]}), "applicant.step")
        change(lambda: sb.post("/applicants/%d/move" % case["id"], {"org_id": self.b2["id"], "on": d(1), "reason": "工作调动"}),
               "applicant.move")
        change(lambda: sb.put("/development/plans", {"org_id": self.b1["id"], "year": 2026, "quota": 2}), "dev_plan.set")
        t = change(lambda: sb.post("/transfers", {"kind": "in_system", "member_id": m["id"], "to_org_id": self.b2["id"],
                                          "reason": "调动"}), "transfer.request")
        change(lambda: sb.post("/transfers/%d/approve" % t["id"], {"side": "sending"}), "transfer.approve")
        change(lambda: sb.get("/transfers/%d/letter.pdf" % t["id"]), "transfer.letter")
        change(lambda: sb.post("/transfers/%d/return" % t["id"], {"side": "receiving", "reason": "不接收"}), "transfer.return")
        mob = change(lambda: sb.post("/mobile-members", {"member_id": m["id"], "out_on": d(30), "destination": "上海",
                                                 "reason": "务工"}), "mobile.create")
        change(lambda: sb.patch("/mobile-members/%d" % mob["id"], {"destination": "苏州"}), "mobile.update")
        change(lambda: sb.post("/mobile-members/%d/return" % mob["id"], {"on": d(1)}), "mobile.return")
        change(lambda: sb.post("/members/%d/lost" % m["id"], {"last_contact_on": d(20), "situation": "other"}), "member.lost")
        change(lambda: sb.post("/members/%d/restore" % m["id"], {"on": d(1), "basis": "已联系上"}), "member.restore")
        s = change(lambda: sb.post("/members/%d/sanctions" % m["id"], {"type": "probation", "period_months": 12,
                                                               "decided_on": d(10), "basis": "违纪"}),
                   "sanction.create")
        change(lambda: sb.post("/members/%d/sanctions/%d/end" % (m["id"], s["id"]), {
            "on": d(1), "outcome": "expelled", "approved_on": d(1)}), "member.exit", "sanction.end")
        # the trail the auditor reads holds each row, and it still verifies
        got = self.assertStatus(self.auditor.get("/audit", {"per_page": 200}), 200)["items"]
        self.assertEqual([x["action"] for x in reversed(got[:len(actions)])], actions)
        r = self.server.cli("audit", "verify")
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
