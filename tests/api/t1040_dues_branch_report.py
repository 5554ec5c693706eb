"""Party dues: a branch reports its month up to the committee (DUES-13) and its part of the
ledger closes, while the rest of the committee's ledger stays open."""
import unittest

from dues_util import DuesTest


class T1040DuesBranchReport(DuesTest):

    def pay(self, client, row, expect):
        st, body, _ = client.post("/dues/payments", {"member_id": row["member_id"], "month": self.cur,
                                                      "amount_fen": row["amount_fen"], "method": "cash"})
        self.assertEqual(st, expect, body)
        return body

    def test_a_branch_reports_its_month_and_its_part_of_the_ledger_closes(self):
        sec = self.secretary
        branch = sec.user["org_id"]
        code = int(self.cur.replace("-", ""))
        mine = self.regular_unpaid(2, org=branch, client=sec)
        self.pay(sec, mine[0], 201)
        got = self.assertStatus(sec.post("/dues/months/%d/%d/report" % (branch, code), {}), 200)
        self.assertEqual((got["status"], got["paid_count"]), ("reported", self.summary(org=branch)["paid_count"]))
        self.assertEqual(self.ledger(sec, org=branch, month=self.cur, per_page=1)["month_status"], "reported")
        # nothing more is recorded in the reported branch, and nothing changes when it is refused
        before = self.snapshot()
        err = self.pay(sec, mine[1], 422)
        self.assertIn("month", err["error"]["fields"])
        self.assertUnchanged(before)
        # reporting twice is refused
        self.assertError(sec.post("/dues/months/%d/%d/report" % (branch, code), {}), 409, "month_reported")
        # other branches of the committee's ledger still take payments
        others = [r for r in self.regular_unpaid(3, org=1) if r["org_id"] != branch]
        self.pay(self.admin, others[0], 201)
        # the committee's own ledger month is still open
        self.assertEqual(self.ledger(org=1, month=self.cur, per_page=1)["month_status"], "open")


if __name__ == "__main__":
    unittest.main()


class T1041RetiredBase(DuesTest):
    """DUES-04: a retired member's base is the basic pension by default (setting dues_retired_base)."""

    def test_a_retired_members_base_is_the_basic_pension(self):
        row = self.regular_unpaid(1)[0]
        path = "/members/%d/dues-standard" % row["member_id"]
        got = self.assertStatus(self.admin.put(path, {"category": "retired", "pension_basic_fen": 400000,
                                                      "pension_total_fen": 600000}), 200)
        # basic 4000 yuan: 5 per mille, 20.00 yuan; the total (6000) would have been 10 per mille
        self.assertEqual((got["base_fen"], got["rate_per_mille"], got["amount_fen"]), (400000, 5, 2000))
        before = self.snapshot()
        self.assertError(self.admin.put(path, {"category": "retired", "pension_basic_fen": 700000,
                                               "pension_total_fen": 600000}), 422, "validation_failed")
        self.assertError(self.admin.put(path, {"category": "in_service", "pension_basic_fen": 1,
                                               "pension_total_fen": 2}), 422, "validation_failed")
        self.assertUnchanged(before)
