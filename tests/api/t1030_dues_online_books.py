"""t1030: online dues payment (网上缴费, the simulated provider and its signed notification), the yearly
publicity list (公示, DUES-15), the remittance summary (上解, DUES-13/08) and dues spending (DUES-14)."""

import datetime
import hashlib
import hmac
import io
import re
import unittest
import zipfile

from harness import Client
from dues_util import DuesTest, month_add, today


def has_sm3():
    try:
        hashlib.new("sm3")
        return True
    except (ValueError, TypeError):
        return False


class T1030DuesOnline(DuesTest):

    def provider_key(self):
        """The simulated provider's key: HMAC-SM3 of its label with the session key of the key file."""
        text = open(self.server.backend.key_file).read()
        session = bytes.fromhex(re.search(r"^session=([0-9a-f]{64})$", text, re.M).group(1))
        return hmac.new(session, b"dangjian payment provider: simulated", "sm3").digest()

    def signature(self, order_id, ref, amount):
        return hmac.new(self.provider_key(), ("%d|%s|%d" % (order_id, ref, amount)).encode(), "sm3").hexdigest()

    def test_a_member_pays_the_current_month_online_once(self):
        mem = self.as_user("member")
        own = self.member_login_id
        me = self.assertStatus(mem.get("/dues/me"), 200)
        std = me["standard"]["amount_fen"]
        self.assertNotEqual(me["paid_up_to"], self.cur, "the demo leaves the current month unpaid")
        s0 = self.snapshot()
        o = self.assertStatus(mem.post("/dues/online/orders", {"months": [self.cur]}), 201)
        self.assertEqual((o["status"], o["amount_fen"], o["provider"]), ("pending", std, "simulated"))
        self.assertIn(self.cur, o["months"] if isinstance(o["months"], list) else o["months"].split(","))
        self.assertIsInstance(o["order_id"], int)
        self.assertEqual(self.summary(), s0["summary"], "an order pays nothing yet")
        # the provider pays
        r = self.assertStatus(mem.post("/dues/online/orders/%d/simulate-pay" % o["order_id"]), 200)
        self.assertEqual((r["order_id"], r["status"], r["applied"]), (o["order_id"], "paid", 1))
        s1 = self.snapshot()
        self.assertEqual(s1["summary"]["paid_count"], s0["summary"]["paid_count"] + 1)
        self.assertEqual(s1["summary"]["paid_fen"], s0["summary"]["paid_fen"] + std)
        d = self.assertStatus(mem.get("/dues/me"), 200)
        self.assertEqual(d["paid_up_to"], self.cur)
        p = d["payments"][0]
        self.assertEqual((p["month"], p["method"], p["amount_fen"], p["member_id"]), (self.cur, "online", std, own))
        # a repeated notification applies nothing
        r2 = self.assertStatus(mem.post("/dues/online/orders/%d/simulate-pay" % o["order_id"]), 200)
        self.assertEqual((r2["status"], r2["applied"]), ("paid", 0))
        self.assertUnchanged(s1)
        # a notification with a wrong signature is refused, without a session too
        anon = Client(self.server.base)
        ref = r.get("provider_ref") or "SIM%010d" % o["order_id"]
        for sig in ("0" * 64, "x", ""):
            with self.subTest(sig=sig):
                self.assertError(anon.post("/dues/online/notify", {"order_id": o["order_id"], "provider_ref": ref,
                                                                   "amount_fen": std, "signature": sig}), 403)
        self.assertUnchanged(s1)
        # ordering a month already paid cannot be paid twice
        if not has_sm3():
            self.skipTest("hashlib has no SM3 here: the correctly signed repeat notification is not tested")
        body = {"order_id": o["order_id"], "provider_ref": ref, "amount_fen": std,
                "signature": self.signature(o["order_id"], ref, std)}
        n = self.assertStatus(anon.post("/dues/online/notify", body), 200)
        self.assertEqual((n["order_id"], n["status"], n["applied"]), (o["order_id"], "paid", 0))
        self.assertUnchanged(s1)
        # a signed notification whose amount differs from the order: 422
        body = {"order_id": o["order_id"], "provider_ref": ref, "amount_fen": std + 1,
                "signature": self.signature(o["order_id"], ref, std + 1)}
        self.assertError(anon.post("/dues/online/notify", body), 422)
        self.assertUnchanged(s1)

    def test_a_signed_notification_pays_a_pending_order(self):
        if not has_sm3():
            self.skipTest("hashlib has no SM3 here: the provider's signature cannot be computed")
        # another member: a member login of their own
        rows = self.regular_unpaid(1)
        mid = rows[0]["member_id"]
        st, u, _ = self.admin.post("/users", {"username": "payer1", "display_name": "缴费党员", "role": "member",
                                              "org_id": rows[0]["org_id"], "member_id": mid,
                                              "password": "Pay@2026x"})
        if st != 201:
            self.skipTest("cannot create a member login here: %s %r" % (st, u))
        c = self.server.client("payer1", "Pay@2026x")
        # the test that changes nothing uses the snapshot after the login (logins are audited)
        o = self.assertStatus(c.post("/dues/online/orders", {"months": [self.cur]}), 201)
        s0 = self.snapshot()
        anon = Client(self.server.base)
        ref = "WX%d" % o["order_id"]
        body = {"order_id": o["order_id"], "provider_ref": ref, "amount_fen": o["amount_fen"],
                "signature": self.signature(o["order_id"], ref, o["amount_fen"])}
        n = self.assertStatus(anon.post("/dues/online/notify", body), 200)
        self.assertEqual((n["status"], n["applied"]), ("paid", 1))
        s1 = self.snapshot()
        self.assertEqual(s1["summary"]["paid_count"], s0["summary"]["paid_count"] + 1)
        self.assertEqual(self.assertStatus(anon.post("/dues/online/notify", body), 200)["applied"], 0)
        self.assertUnchanged(s1)
        # the same order paid by another transaction: refused
        other = dict(body, provider_ref="WX-OTHER", signature=self.signature(o["order_id"], "WX-OTHER", o["amount_fen"]))
        st, b, _ = anon.post("/dues/online/notify", other)
        self.assertIn(st, (409, 422), b)
        self.assertUnchanged(s1)

    def test_an_order_for_a_month_whose_ledger_is_not_open_answers_422(self):
        mem = self.as_user("member")
        before = self.snapshot()
        for months in ([month_add(self.cur, 1)], [month_add(self.cur, 2)], [self.cur, month_add(self.cur, 1)]):
            with self.subTest(months=months):
                self.assertError(mem.post("/dues/online/orders", {"months": months}), 422, field="months")
        # beyond the prepayment limit (the error names the month)
        self.assertError(mem.post("/dues/online/orders", {"months": [month_add(self.cur, 5)]}), 422,
                         "validation_failed")
        prev = month_add(self.cur, -1)
        if prev[:4] == self.cur[:4]:
            self.assertError(mem.post("/dues/online/orders", {"months": [prev]}), 422, field="months")  # settled
        for bad in ([], ["2026-13"], "2026-01", [self.cur] * 13, [1]):
            with self.subTest(bad=bad):
                self.assertError(mem.post("/dues/online/orders", {"months": bad}), 422, field="months")
        self.assertUnchanged(before)

    def test_orders_are_for_members_with_a_record_and_their_own(self):
        before = self.snapshot()
        self.assertError(self.admin.post("/dues/online/orders", {"months": [self.cur]}), 404)
        self.assertError(self.auditor.post("/dues/online/orders", {"months": [self.cur]}), 403, "forbidden")
        self.assertError(Client(self.server.base).post("/dues/online/orders", {"months": [self.cur]}), 401)
        self.assertError(self.as_user("member").post("/dues/online/orders/99999999/simulate-pay"), 404)
        self.assertError(Client(self.server.base).post("/dues/online/notify",
                                                       {"order_id": 99999999, "provider_ref": "X",
                                                        "amount_fen": 1, "signature": "0" * 64}), 403)
        self.assertUnchanged(before)


class T1030DuesBooks(DuesTest):

    def remittance(self, **params):
        params.setdefault("org", 1)
        params.setdefault("year", self.cur[:4])
        return self.assertStatus(self.admin.get("/dues/remittance", params), 200)

    def test_the_publicity_list_as_xlsx(self):
        rows, _ = self.ledger_rows(org=2, month=self.cur)
        n_audit = self.audit_count()
        st, data, h = self.admin.get("/dues/publicity", {"org": 2, "year": self.cur[:4], "format": "xlsx"})
        self.assertEqual(st, 200, data)
        self.assertEqual(h["Content-Type"].split(";")[0],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn(".xlsx", h.get("Content-Disposition", ""))
        z = zipfile.ZipFile(io.BytesIO(data))
        self.assertIsNone(z.testzip())
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        self.assertIn("党费收缴情况公示", xml)
        self.assertIn(rows[0]["name"], xml)
        self.assertIn(rows[0]["org_name"], xml)
        self.assertEqual(self.audit_count(), n_audit + 1, "audited")
        # the default format is xlsx too
        st, data2, h = self.secretary.get("/dues/publicity")
        self.assertEqual(st, 200, data2)
        self.assertTrue(data2.startswith(b"PK"))

    def test_the_publicity_list_as_pdf(self):
        st, data, h = self.admin.get("/dues/publicity", {"org": 1, "year": self.cur[:4], "format": "pdf"})
        self.assertEqual(st, 200, data)
        self.assertEqual(h["Content-Type"].split(";")[0], "application/pdf")
        self.assertTrue(data.startswith(b"%PDF"), data[:20])
        self.assertIn(b"%%EOF", data[-1024:])

    def test_publicity_permissions_and_parameters(self):
        n_audit = self.audit_count()
        self.assertError(self.auditor.get("/dues/publicity", {"format": "pdf"}), 403, "forbidden")
        self.assertError(self.admin.get("/dues/publicity", {"format": "docx"}), 400, "invalid_parameter")
        self.assertError(self.admin.get("/dues/publicity", {"year": "20x6"}), 400, "invalid_parameter")
        self.assertError(self.admin.get("/dues/publicity", {"org": 99999999}), 404, "not_found")
        subtree = self.org_path_ids()[self.secretary.user["org_id"]]
        other = next(o["id"] for o in self.orgs() if o["id"] not in subtree)
        self.assertError(self.secretary.get("/dues/publicity", {"org": other}), 404, "not_found")
        self.assertEqual(self.audit_count(), n_audit)

    def test_a_member_sees_the_publicity_list_of_their_own_branch_only(self):
        # DUES-15: the list is published to the branch's members
        member = self.as_user("member")
        own = self.assertStatus(self.admin.get("/members/%d" % member.user["member_id"]), 200)["org_id"]
        st, data, h = member.get("/dues/publicity", {"format": "xlsx"})
        self.assertEqual(st, 200)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        self.assertIn("党费收缴情况公示", sheet)
        other = next(o["id"] for o in self.orgs() if o["id"] not in (own, member.user["org_id"]))
        self.assertError(member.get("/dues/publicity", {"org": other}), 404, "not_found")

    def test_the_remittance_adds_up(self):
        r = self.remittance()
        self.assertEqual((r["org_id"], r["year"], r["share_per_mille"]), (1, int(self.cur[:4]), 200))
        self.assertEqual([m["month"] for m in r["by_month"]], ["%s-%02d" % (self.cur[:4], k) for k in range(1, 13)])
        self.assertEqual(r["collected_fen"], sum(m["collected_fen"] for m in r["by_month"]))
        self.assertGreater(r["collected_fen"], 0)
        for share in (200, 0, 1000, 333, 1):
            with self.subTest(share=share):
                x = self.remittance(share_per_mille=share)
                base = x["collected_fen"] - x["central_remit_fen"]
                self.assertEqual(x["remit_fen"], (2 * base * share + 1000) // 2000)   # rounded half up
                self.assertEqual(x["retained_fen"],
                                 x["collected_fen"] - x["central_remit_fen"] - x["remit_fen"] - x["spent_fen"])
        self.assertLessEqual(sum(o["collected_fen"] for o in r["by_org"]), r["collected_fen"])
        # the months agree with the ledgers
        for m in r["by_month"]:
            if m["month"] > self.cur:
                self.assertEqual((m["collected_fen"], m["paid_count"]), (0, 0))
            elif m["month"] < self.cur:
                s = self.summary(month=m["month"])
                self.assertEqual((m["collected_fen"], m["paid_count"]), (s["paid_fen"], s["paid_count"]))
        for params in ({"share_per_mille": 1001}, {"share_per_mille": -1}, {"year": "abc"}):
            with self.subTest(params=params):
                self.assertError(self.admin.get("/dues/remittance", params), 400, "invalid_parameter")
        self.assertError(self.auditor.get("/dues/remittance"), 403, "forbidden")

    def test_a_payment_counts_in_the_remittance_of_its_month(self):
        r0 = self.remittance()
        a = self.regular_unpaid(1)[0]
        self.assertStatus(self.admin.post("/dues/payments", {"member_id": a["member_id"], "month": self.cur,
                                                             "amount_fen": a["amount_fen"], "method": "bank"}), 201)
        r1 = self.remittance()
        self.assertEqual(r1["collected_fen"], r0["collected_fen"] + a["amount_fen"])
        k = int(self.cur[5:]) - 1
        self.assertEqual(r1["by_month"][k]["collected_fen"], r0["by_month"][k]["collected_fen"] + a["amount_fen"])
        self.assertEqual(r1["by_month"][k]["paid_count"], r0["by_month"][k]["paid_count"] + 1)

    def test_spending_is_recorded_and_counted_in_the_remittance(self):
        r0 = self.remittance()
        l0 = self.assertStatus(self.admin.get("/dues/spending", {"org": 1, "year": self.cur[:4]}), 200)
        body = {"org_id": 1, "spent_on": today().isoformat(), "category": "training", "amount_fen": 123456,
                "description": "党员集中培训教材", "approved_by": "机关党委", "approval_doc": "机党〔2026〕1号"}
        s = self.assertStatus(self.admin.post("/dues/spending", body), 201)
        for k, v in body.items():
            self.assertEqual(s[k], v, k)
        self.assertEqual(s["category_label"], "培训党员")
        self.assertIsInstance(s["id"], int)
        l1 = self.assertStatus(self.admin.get("/dues/spending", {"org": 1, "year": self.cur[:4]}), 200)
        self.assertIn(s["id"], [x["id"] for x in l1["items"]])
        self.assertEqual(l1["total_fen"], l0["total_fen"] + 123456)
        self.assertEqual(l1["total_fen"], sum(x["amount_fen"] for x in l1["items"]))
        got = next(x for x in l1["items"] if x["id"] == s["id"])
        self.assertEqual(got["created_by"], "admin")
        r1 = self.remittance()
        self.assertEqual(r1["spent_fen"], r0["spent_fen"] + 123456)
        self.assertEqual(r1["retained_fen"], r0["retained_fen"] - 123456)
        self.assertEqual(r1["collected_fen"], r0["collected_fen"])

    def test_invalid_spending_answers_422_and_changes_nothing(self):
        base = {"org_id": 1, "spent_on": today().isoformat(), "category": "hardship", "amount_fen": 5000,
                "description": "补助生活困难党员", "approved_by": "机关党委"}
        tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
        before = self.snapshot()
        r0 = self.remittance()
        for over, field in (({"description": None}, "description"), ({"description": ""}, "description"),
                            ({"spent_on": tomorrow}, "spent_on"), ({"spent_on": None}, "spent_on"),
                            ({"category": "banquet"}, "category"), ({"category": None}, "category"),
                            ({"amount_fen": 0}, "amount_fen"), ({"amount_fen": -5}, "amount_fen"),
                            ({"approved_by": None}, "approved_by"), ({"org_id": None}, "org_id")):
            body = dict(base)
            body.update(over)
            body = {k: v for k, v in body.items() if v is not None}
            with self.subTest(over=over):
                self.assertError(self.admin.post("/dues/spending", body), 422, field=field)
        self.assertError(self.admin.post("/dues/spending", dict(base, org_id=99999999)), 404, "not_found")
        self.assertError(self.secretary.post("/dues/spending", base), 403, "forbidden")
        self.assertError(self.admin.post("/dues/spending", dict(base, extra=1)), 400, "unknown_field")
        self.assertUnchanged(before)
        self.assertEqual(self.remittance()["spent_fen"], r0["spent_fen"])


if __name__ == "__main__":
    unittest.main()
