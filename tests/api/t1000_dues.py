"""t1000: party dues (党费): the calculator (DUES-02/04/05/12), each member's standard (DUES-07), who may
read whose dues, and the monthly ledger."""

import datetime
import unittest

from harness import Client
from dues_util import DuesTest, month_add, today


class T1000DuesCalculator(DuesTest):

    def calc(self, client=None, **params):
        return (client or self.admin).get("/dues/calculate", params)

    def test_in_service_rates_apply_to_the_whole_base_with_cliffs_at_each_band(self):
        # DUES-02 vectors (yuan -> yuan), as fen
        for base, amount, rate in ((250000, 1250, 5), (300000, 1500, 5), (300001, 3000, 10), (450000, 4500, 10),
                                   (500000, 5000, 10), (500001, 7500, 15), (800000, 12000, 15),
                                   (1000000, 15000, 15), (1000001, 20000, 20), (1234567, 24691, 20),
                                   (333333, 3333, 10), (0, 0, 5)):
            with self.subTest(base=base):
                b = self.assertStatus(self.calc(category="in_service", base_fen=base), 200)
                self.assertEqual(b["category"], "in_service")
                self.assertEqual(b["base_fen"], base)
                self.assertEqual(b["rate_per_mille"], rate)
                self.assertEqual(b["amount_fen"], amount)

    def test_annual_salary_and_self_employed_use_the_in_service_rates(self):
        # DUES-03
        for cat in ("annual_salary", "self_employed"):
            for base, amount, rate in ((300000, 1500, 5), (300001, 3000, 10), (1000001, 20000, 20)):
                with self.subTest(cat=cat, base=base):
                    b = self.assertStatus(self.calc(category=cat, base_fen=base), 200)
                    self.assertEqual((b["category"], b["rate_per_mille"], b["amount_fen"]), (cat, rate, amount))

    def test_retired_rates_are_half_and_one_percent(self):
        # DUES-04 vectors
        for base, amount, rate in ((400000, 2000, 5), (500000, 2500, 5), (500001, 5000, 10), (650000, 6500, 10)):
            with self.subTest(base=base):
                b = self.assertStatus(self.calc(category="retired", base_fen=base), 200)
                self.assertEqual((b["rate_per_mille"], b["amount_fen"]), (rate, amount))

    def test_amounts_round_half_up_to_the_fen(self):
        # DUES-12: round_half_up(base * per_mille / 1000)
        for base, amount in ((100, 1), (99, 0), (300, 2), (290, 1), (101, 1), (299999, 1500), (299899, 1499)):
            with self.subTest(base=base):
                b = self.assertStatus(self.calc(category="in_service", base_fen=base), 200)
                self.assertEqual(b["amount_fen"], amount)

    def test_fixed_amount_categories_answer_20_fen_and_a_null_rate(self):
        # DUES-05: farmers' default 0.20 yuan; students, unemployed, relief, minimum allowance 0.20 yuan
        for cat in ("student", "farmer", "unemployed", "relief", "minimum_allowance"):
            for params in ({}, {"base_fen": 800000}):
                with self.subTest(cat=cat, params=params):
                    b = self.assertStatus(self.calc(category=cat, **params), 200)
                    self.assertEqual(b["category"], cat)
                    self.assertEqual(b["amount_fen"], 20)
                    self.assertIn("rate_per_mille", b)
                    self.assertIsNone(b["rate_per_mille"])

    def test_bad_input_answers_400_invalid_parameter(self):
        for params in ({"category": "in_service", "base_fen": -1}, {"category": "in_service", "base_fen": "abc"},
                       {"category": "in_service", "base_fen": "1.5"}, {"category": "in_service", "base_fen": "1e5"},
                       {"category": "in_service", "base_fen": 100000001},
                       {"category": "in_service", "base_fen": "99999999999999999999999"},
                       {"category": "in_service"}, {"category": "retired"}, {"category": "in_service", "base_fen": ""},
                       {"category": "soldier", "base_fen": 300000}, {"category": "", "base_fen": 300000},
                       {"base_fen": 300000}, {}, {"category": "student", "base_fen": -5}):
            with self.subTest(params=params):
                self.assertError(self.calc(**params), 400, "invalid_parameter")
        # the largest base accepted still answers
        b = self.assertStatus(self.calc(category="in_service", base_fen=100000000), 200)
        self.assertEqual(b["amount_fen"], 2000000)

    def test_any_logged_in_user_may_calculate_and_nobody_without_a_session(self):
        for user in ("admin", "secretary", "auditor", "member"):
            with self.subTest(user=user):
                b = self.assertStatus(self.calc(self.as_user(user), category="in_service", base_fen=300000), 200)
                self.assertEqual(b["amount_fen"], 1500)
        self.assertError(self.calc(Client(self.server.base), category="in_service", base_fen=300000),
                         401, "unauthorized")


class T1000DuesStandards(DuesTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sec_org = cls.as_user("secretary").user["org_id"]

    def sec_subtree(self):
        return self.org_path_ids()[self.sec_org]

    def pick(self, inside):
        """A member with a standard: a new one in the secretary's branch (the demo branch is small), or a
        demo member outside the secretary's subtree."""
        if inside:
            m, _ = self.create_member(self.sec_org)
            self.assertStatus(self.admin.put("/members/%d/dues-standard" % m["id"],
                                             {"category": "in_service", "base_fen": 300000}), 200)
            self._used.add(m["id"])
            return {"member_id": m["id"], "org_id": m["org_id"]}
        subtree = self.sec_subtree()
        rows, _ = self.ledger_rows(month=self.cur)
        for r in rows:
            if r["member_id"] in self._used or (r["org_id"] in subtree) != inside:
                continue
            self._used.add(r["member_id"])
            return r
        self.fail("no member to use")

    def test_setting_a_standard_calculates_the_amount_and_shows_it_in_the_member_dues(self):
        r = self.pick(inside=True)
        mid = r["member_id"]
        old = self.member_dues(mid)
        n_audit = self.audit_count()
        s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid,
                                             {"category": "in_service", "base_fen": 450000}), 200)
        self.assertEqual(s["member_id"], mid)
        self.assertEqual((s["category"], s["base_fen"], s["rate_per_mille"], s["amount_fen"]),
                         ("in_service", 450000, 10, 4500))
        self.assertEqual(s["category_label"], "在职")
        self.assertEqual(s["effective_month"], self.cur)   # defaults to the current month
        self.assertIsInstance(s["id"], int)
        self.assertEqual(self.audit_count(), n_audit + 1)
        got = self.member_dues(mid)
        self.assertEqual(got["standard"]["reduction_reason"], "")
        self.assertEqual(got["standard"]["created_by"], "admin")
        self.assertRegex(got["standard"]["created_at"] or "", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(got["standard"]["amount_fen"], 4500)
        self.assertEqual(got["standard"]["id"], s["id"])
        months = [h["effective_month"] for h in got["history"]]
        self.assertIn(self.cur, months)
        replaced = old["standard"] and old["standard"]["effective_month"] == self.cur
        self.assertEqual(len(got["history"]), len(old["history"]) + (0 if replaced else 1))
        # the ledger of the month now expects the new amount
        rows, _ = self.ledger_rows(org=r["org_id"], month=self.cur)
        self.assertEqual([x["amount_fen"] for x in rows if x["member_id"] == mid], [4500])
        # an amount equal to the calculated one is accepted; a retired standard from next month too
        s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid,
                                             {"category": "in_service", "base_fen": 450000, "amount_fen": 4500}), 200)
        self.assertEqual(s["amount_fen"], 4500)
        nxt = month_add(self.cur, 1)
        s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid,
                                             {"category": "retired", "base_fen": 500001, "effective_month": nxt}), 200)
        self.assertEqual((s["amount_fen"], s["rate_per_mille"], s["effective_month"]), (5000, 10, nxt))
        got = self.member_dues(mid)
        self.assertEqual(got["standard"]["amount_fen"], 4500, "the current month keeps the current standard")
        self.assertEqual(got["history"][0]["effective_month"], nxt)

    def test_the_reply_to_setting_a_standard_is_the_standard_as_stored(self):
        # docs/api.md: PUT answers "200 standard", the object GET /members/{id}/dues shows as "standard"
        mid = self.pick(inside=True)["member_id"]
        for body in ({"category": "in_service", "base_fen": 612300},
                     {"category": "in_service", "base_fen": 612300, "reduction_reason": "生活困难",
                      "approved_by": "支部委员会", "approved_on": today().isoformat(), "amount_fen": 500}):
            with self.subTest(body=body):
                s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid, body), 200)
                self.assertEqual(s, self.member_dues(mid)["standard"])

    def test_a_fixed_category_standard_has_a_null_rate(self):
        mid = self.pick(inside=True)["member_id"]
        s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid, {"category": "student"}), 200)
        self.assertEqual((s["amount_fen"], s["rate_per_mille"]), (20, None))
        self.assertEqual(self.member_dues(mid)["standard"]["amount_fen"], 20)

    def test_an_amount_that_differs_from_the_standard_without_a_reduction_answers_422(self):
        mid = self.pick(inside=True)["member_id"]
        before = self.snapshot()
        for amount in (4400, 4501, 0):
            with self.subTest(amount=amount):
                self.assertError(self.admin.put("/members/%d/dues-standard" % mid,
                                                {"category": "in_service", "base_fen": 450000, "amount_fen": amount}),
                                 422, "validation_failed", field="amount_fen")
        self.assertUnchanged(before)

    def test_a_reduction_needs_reason_approver_date_and_amount(self):
        mid = self.pick(inside=True)["member_id"]
        full = {"category": "in_service", "base_fen": 450000, "reduction_reason": "因病生活困难",
                "approved_by": "厅直机关党委", "approved_on": (today() - datetime.timedelta(days=3)).isoformat(),
                "amount_fen": 1000}
        before = self.snapshot()
        for missing in ("approved_by", "approved_on", "amount_fen"):
            body = dict(full)
            del body[missing]
            with self.subTest(missing=missing):
                self.assertError(self.admin.put("/members/%d/dues-standard" % mid, body), 422, "validation_failed",
                                 field=missing)
            if missing == "approved_by":
                body[missing] = ""
                with self.subTest(empty=missing):
                    self.assertError(self.admin.put("/members/%d/dues-standard" % mid, body), 422,
                                     "validation_failed", field=missing)
        # the reduced_or_exempt category is by approval only
        self.assertError(self.admin.put("/members/%d/dues-standard" % mid, {"category": "reduced_or_exempt"}),
                         422, "validation_failed", field="reduction_reason")
        # bad values
        for body, field in (({"category": "soldier", "base_fen": 1}, "category"),
                            ({"base_fen": 300000}, "category"),
                            ({"category": "in_service", "base_fen": -1}, "base_fen"),
                            ({"category": "in_service", "base_fen": "300000"}, "base_fen"),
                            ({"category": "in_service", "base_fen": 300000, "effective_month": "2026-13"},
                             "effective_month")):
            with self.subTest(body=body):
                self.assertError(self.admin.put("/members/%d/dues-standard" % mid, body), 422, field=field)
        self.assertError(self.admin.put("/members/%d/dues-standard" % mid, dict(full, bogus=1)), 400, "unknown_field")
        self.assertUnchanged(before)
        # complete: accepted with the approved amount and no rate
        s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid, full), 200)
        self.assertEqual((s["amount_fen"], s["rate_per_mille"]), (1000, None))
        self.assertEqual((s["reduction_reason"], s["approved_by"], s["approved_on"]),
                         (full["reduction_reason"], full["approved_by"], full["approved_on"]))
        self.assertEqual(self.member_dues(mid)["standard"]["amount_fen"], 1000)
        # exemption: nothing to pay
        s = self.assertStatus(self.admin.put("/members/%d/dues-standard" % mid,
                                             dict(full, category="reduced_or_exempt", base_fen=0, amount_fen=0)), 200)
        self.assertEqual((s["category"], s["amount_fen"]), ("reduced_or_exempt", 0))

    def test_a_secretary_sets_standards_in_their_subtree_only(self):
        inside = self.pick(inside=True)["member_id"]
        outside = self.pick(inside=False)["member_id"]
        before = self.snapshot()
        self.assertError(self.secretary.put("/members/%d/dues-standard" % outside,
                                            {"category": "in_service", "base_fen": 300000}), 404, "not_found")
        self.assertError(self.secretary.get("/members/%d/dues" % outside), 404, "not_found")
        self.assertError(self.admin.put("/members/99999999/dues-standard",
                                        {"category": "in_service", "base_fen": 300000}), 404, "not_found")
        self.assertError(self.as_user("member").put("/members/%d/dues-standard" % self.member_login_id,
                                                    {"category": "in_service", "base_fen": 300000}), 403, "forbidden")
        self.assertError(self.auditor.put("/members/%d/dues-standard" % inside,
                                          {"category": "in_service", "base_fen": 300000}), 403, "forbidden")
        self.assertUnchanged(before)
        s = self.assertStatus(self.secretary.put("/members/%d/dues-standard" % inside,
                                                 {"category": "retired", "base_fen": 500000}), 200)
        self.assertEqual(s["amount_fen"], 2500)
        got = self.member_dues(inside, self.secretary)["standard"]
        self.assertEqual(got["amount_fen"], 2500)
        self.assertEqual(got["created_by"], "secretary")


class T1000DuesOwnRecord(DuesTest):

    def test_a_member_reads_their_own_dues_and_nobody_elses(self):
        mem = self.as_user("member")
        own = self.member_login_id
        me = self.assertStatus(mem.get("/dues/me"), 200)
        self.assertEqual(me["member_id"], own)
        for k in ("standard", "history", "payments", "paid_up_to", "unpaid_months", "arrears_level"):
            self.assertIn(k, me)
        self.assertIsNotNone(me["standard"])
        self.assertIn(me["arrears_level"], ("none", "warn", "alert", "lapse_case"))
        by_id = self.assertStatus(mem.get("/members/%d/dues" % own), 200)
        self.assertEqual(by_id, me)
        self.assertEqual(self.member_dues(own), me)   # what the admin sees
        # the payments are the member's and newest first; paid_up_to is the latest month paid
        months = [p["month"] for p in me["payments"]]
        self.assertEqual(months, sorted(months, reverse=True))
        self.assertTrue(all(p["member_id"] == own for p in me["payments"]))
        self.assertEqual(me["paid_up_to"], months[0] if months else None)
        rows, _ = self.ledger_rows(month=self.cur)
        others = [r["member_id"] for r in rows if r["member_id"] != own][:3]
        for other in others + [99999999]:
            with self.subTest(other=other):
                self.assertError(mem.get("/members/%d/dues" % other), 404, "not_found")
        # nor the ledgers and lists of others (the publicity list of their own branch they may
        # read, DUES-15: t1030 tests that)
        for path in ("/dues/ledger", "/dues/arrears", "/dues/remittance", "/dues/spending"):
            with self.subTest(path=path):
                self.assertError(mem.get(path), 403, "forbidden")

    def test_dues_me_without_a_member_record_answers_404(self):
        self.assertError(self.admin.get("/dues/me"), 404)
        self.assertError(Client(self.server.base).get("/dues/me"), 401, "unauthorized")

    def test_the_member_dues_agree_with_the_ledger(self):
        rows, _ = self.ledger_rows(month=month_add(self.cur, -1))
        if not rows:
            self.skipTest("no earlier month this year (January)")
        for r in rows[:15]:
            d = self.member_dues(r["member_id"])
            paid = {p["month"]: p for p in d["payments"]}
            prev = month_add(self.cur, -1)
            self.assertEqual(r["paid"], prev in paid)
            if r["paid"]:
                self.assertEqual(r["paid_fen"], paid[prev]["amount_fen"])
            self.assertEqual(r["paid_up_to"], d["paid_up_to"])


class T1000DuesLedger(DuesTest):

    def check_partition(self, org, month, client=None):
        allr, first = self.ledger_rows(client, org=org, month=month)
        paid, pf = self.ledger_rows(client, org=org, month=month, filter="paid")
        unpaid, uf = self.ledger_rows(client, org=org, month=month, filter="unpaid")
        s = first["summary"]
        self.assertEqual(s, pf["summary"], "the summary does not depend on the filter")
        self.assertEqual(s, uf["summary"])
        self.assertEqual(first["total"], s["due_count"])
        self.assertEqual(len(allr), s["due_count"])
        self.assertEqual(len(paid), s["paid_count"])
        self.assertEqual(pf["total"], s["paid_count"])
        self.assertEqual(len(unpaid), s["due_count"] - s["paid_count"])
        self.assertEqual(uf["total"], s["due_count"] - s["paid_count"])
        ids = [r["member_id"] for r in allr]
        self.assertEqual(len(ids), len(set(ids)))
        pid, uid = {r["member_id"] for r in paid}, {r["member_id"] for r in unpaid}
        self.assertFalse(pid & uid)
        self.assertEqual(pid | uid, set(ids))
        self.assertTrue(all(r["paid"] and r["paid_fen"] >= r["amount_fen"] and r["paid_on"] and r["method"]
                            for r in paid))
        self.assertTrue(all(not r["paid"] and r["paid_fen"] == 0 and r["paid_on"] is None for r in unpaid))
        self.assertEqual(sum(r["amount_fen"] for r in allr), s["due_fen"])
        self.assertEqual(sum(r["paid_fen"] for r in allr), s["paid_fen"])
        return allr, first

    def test_the_current_month_is_open_and_its_summary_adds_up(self):
        rows, first = self.check_partition(1, self.cur)
        self.assertEqual(first["month"], self.cur)
        self.assertEqual(first["month_status"], "open")
        self.assertGreaterEqual(first["summary"]["due_count"], 290)
        # without month= the ledger is the current month's, of the user's organisation
        d = self.ledger(per_page=1)
        self.assertEqual((d["month"], d["summary"]), (self.cur, first["summary"]))
        for r in rows[:5]:
            for k in ("member_id", "name", "org_id", "org_name", "amount_fen", "paid_fen", "paid", "paid_on",
                      "method", "paid_up_to"):
                self.assertIn(k, r)

    def test_an_earlier_month_is_settled_and_mostly_paid(self):
        prev = month_add(self.cur, -1)
        if prev[:4] != self.cur[:4]:
            self.skipTest("the demo opens ledgers from January only")
        rows, first = self.check_partition(1, prev)
        self.assertEqual(first["month_status"], "settled")
        s = first["summary"]
        self.assertGreater(s["paid_count"], s["due_count"] * 9 // 10)
        self.assertLess(s["paid_count"], s["due_count"], "about one member in sixty stopped paying")
        # a month with no ledger has none
        d = self.ledger(month=month_add(self.cur, 2), per_page=1)
        self.assertIsNone(d["month_status"])

    def test_a_branch_ledger_is_the_part_of_its_subtree(self):
        sec = self.secretary
        sec_org = sec.user["org_id"]
        rows, first = self.check_partition(sec_org, self.cur, client=sec)
        self.assertEqual(first["month_status"], "open", "the branch is covered by the committee's ledger")
        subtree = self.org_path_ids()[sec_org]
        self.assertTrue(rows)
        self.assertTrue(all(r["org_id"] in subtree for r in rows))
        d = self.ledger(sec, per_page=1)
        self.assertEqual(d["summary"], first["summary"], "a secretary's default is their own organisation")
        whole, _ = self.ledger_rows(org=1, month=self.cur)
        self.assertEqual(len([r for r in whole if r["org_id"] in subtree]), len(rows))
        # another branch is out of scope
        other = next(o for o in self.orgs() if o["id"] not in subtree)
        self.assertError(sec.get("/dues/ledger", {"org": other["id"]}), 404, "not_found")
        self.assertError(sec.get("/dues/arrears", {"org": other["id"]}), 404, "not_found")

    def test_bad_ledger_parameters_answer_400_and_other_roles_403(self):
        for params in ({"filter": "bogus"}, {"month": "2026-13"}, {"month": "abc"}, {"org": "x"},
                       {"per_page": 0}, {"page": 0}):
            with self.subTest(params=params):
                self.assertError(self.admin.get("/dues/ledger", params), 400, "invalid_parameter")
        self.assertError(self.admin.get("/dues/ledger", {"org": 99999999}), 404, "not_found")
        self.assertError(self.auditor.get("/dues/ledger"), 403, "forbidden")
        self.assertError(Client(self.server.base).get("/dues/ledger"), 401, "unauthorized")


if __name__ == "__main__":
    unittest.main()
