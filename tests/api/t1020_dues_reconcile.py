"""t1020: reconciling a bank statement (CSV in UTF-8 and GB18030, .xlsx) with a month's dues ledger:
preview writes nothing, apply records the matched rows once, applying again changes nothing."""

import csv
import io
import unittest

from harness import make_id_card, unique_birth
from dues_util import DuesTest, today, yuan
from t0500_import_export import xlsx_bytes

HEAD = ["交易流水号", "身份证号", "姓名", "金额", "交易日期"]


def csv_text(rows, head=HEAD):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(head)
    w.writerows(rows)
    return out.getvalue()


class T1020DuesReconcile(DuesTest):

    def reconcile(self, data, client=None, **params):
        params.setdefault("org", 1)
        params.setdefault("month", self.cur)
        return (client or self.admin).post("/dues/reconcile", raw=data, params=params,
                                           content_type="application/octet-stream")

    def statement(self, tag):
        """Five rows: by identity number, by name, a duplicate reference, an unknown person, an amount below
        the standard. Returns (rows, the two members that should match, the under-paying member)."""
        rows, _ = self.ledger_rows(org=1, month=self.cur)
        name_count = {}
        for r in rows:
            name_count[r["name"]] = name_count.get(r["name"], 0) + 1
        dup_names = {n for n, c in name_count.items() if c > 1}
        a, b, c = self.regular_unpaid(3, exclude_names=dup_names)
        idc = self.assertStatus(self.admin.get("/members/%d" % a["member_id"], {"reveal": 1}), 200)["id_card"]
        self.assertNotIn("*", idc)
        idc_c = self.assertStatus(self.admin.get("/members/%d" % c["member_id"], {"reveal": 1}), 200)["id_card"]
        stranger = make_id_card(unique_birth(), "female", region="440305")
        day = today().isoformat()
        table = [
            ["%s-001" % tag, idc, "", yuan(a["amount_fen"]), day],
            ["%s-002" % tag, "", b["name"], yuan(b["amount_fen"]), day],
            ["%s-001" % tag, idc, "", yuan(a["amount_fen"]), day],
            ["%s-003" % tag, stranger, "路人甲", "50.00", day],
            ["%s-004" % tag, idc_c, "", yuan(c["amount_fen"] - 1), day],
        ]
        return table, (a, b), c

    def run_statement(self, encode, tag):
        table, (a, b), c = self.statement(tag)
        data = encode(table)
        s0 = self.snapshot()
        # preview: nothing written
        rep = self.assertStatus(self.reconcile(data), 200)
        self.assertEqual(rep["rows"], 5)
        self.assertIs(rep["preview"], True)
        self.assertEqual(rep["applied"], 0)
        self.assertEqual(sorted((m["member_id"], m["amount_fen"], m["reference"]) for m in rep["matched"]),
                         sorted([(a["member_id"], a["amount_fen"], "%s-001" % tag),
                                 (b["member_id"], b["amount_fen"], "%s-002" % tag)]))
        self.assertEqual({m["line"] for m in rep["matched"]}, {2, 3})
        self.assertEqual([(d["line"], d["reference"]) for d in rep["duplicates"]], [(4, "%s-001" % tag)])
        self.assertEqual([u["line"] for u in rep["unknown"]], [5])
        self.assertTrue(rep["unknown"][0]["reason"])
        self.assertEqual([(m["line"], m["member_id"], m["amount_fen"], m["standard_fen"]) for m in rep["amount_mismatch"]],
                         [(6, c["member_id"], c["amount_fen"] - 1, c["amount_fen"])])
        self.assertEqual(rep["already_applied"], [])
        missing = {m["member_id"] for m in rep["missing"]}
        self.assertFalse(missing & {a["member_id"], b["member_id"], c["member_id"]})
        self.assertEqual(len(missing), s0["summary"]["due_count"] - s0["summary"]["paid_count"] - 3)
        self.assertUnchanged(s0, "a preview writes nothing")
        # apply: the two matched rows become bank payments
        rep = self.assertStatus(self.reconcile(data, apply=1), 200)
        self.assertIs(rep["preview"], False)
        self.assertEqual(rep["applied"], 2)
        s1 = self.snapshot()
        self.assertEqual(s1["summary"]["paid_count"], s0["summary"]["paid_count"] + 2)
        self.assertEqual(s1["summary"]["paid_fen"], s0["summary"]["paid_fen"] + a["amount_fen"] + b["amount_fen"])
        self.assertEqual(s1["counts"]["dues_payments"], s0["counts"]["dues_payments"] + 2)
        for who, ref in ((a, "%s-001" % tag), (b, "%s-002" % tag)):
            p = self.member_dues(who["member_id"])["payments"][0]
            self.assertEqual((p["month"], p["method"], p["reference"], p["amount_fen"], p["paid_on"]),
                             (self.cur, "bank", ref, who["amount_fen"], today().isoformat()))
        self.assertEqual(self.member_dues(c["member_id"])["paid_up_to"], c["paid_up_to"], "the short row is not paid")
        # apply again: every row already applied, nothing written
        rep = self.assertStatus(self.reconcile(data, apply=1), 200)
        self.assertEqual(rep["applied"], 0)
        self.assertEqual(rep["matched"], [])
        self.assertEqual(sorted(x["member_id"] for x in rep["already_applied"]), sorted([a["member_id"], b["member_id"]]))
        self.assertEqual(len(rep["duplicates"]), 1)
        self.assertEqual(len(rep["amount_mismatch"]), 1)
        self.assertUnchanged(s1, "the same statement applied twice")

    def test_a_utf8_csv_statement(self):
        self.run_statement(lambda t: csv_text(t).encode("utf-8"), "U8")

    def test_a_utf8_csv_statement_with_a_bom(self):
        self.run_statement(lambda t: b"\xef\xbb\xbf" + csv_text(t).encode("utf-8"), "BOM")

    def test_a_gb18030_csv_statement(self):
        self.run_statement(lambda t: csv_text(t).encode("gb18030"), "GB")

    def test_an_xlsx_statement(self):
        self.run_statement(lambda t: xlsx_bytes([HEAD] + t, shared=True, sheet_name="对账单"), "XL")

    def test_a_secretary_reconciles_within_their_subtree_only(self):
        sec = self.secretary
        subtree = self.org_path_ids()[sec.user["org_id"]]
        outside = next(o["id"] for o in self.orgs() if o["id"] not in subtree)
        data = csv_text([["S-1", "", "某某", "10.00", today().isoformat()]]).encode()
        before = self.snapshot()
        self.assertError(self.reconcile(data, client=sec, org=outside, apply=1), 404, "not_found")
        self.assertError(self.reconcile(data, client=self.auditor, apply=1), 403, "forbidden")
        self.assertUnchanged(before)
        # a member of another branch named in the secretary's statement is unknown there
        other = next(r for r in self.ledger_rows(org=1, month=self.cur, filter="unpaid")[0]
                     if r["org_id"] not in subtree)
        data = csv_text([["S-2", "", other["name"], yuan(other["amount_fen"]), today().isoformat()]]).encode()
        rep = self.assertStatus(self.reconcile(data, client=sec, org=sec.user["org_id"], apply=1), 200)
        self.assertEqual((rep["applied"], len(rep["unknown"])), (0, 1))
        self.assertUnchanged(before)

    def test_missing_columns_answer_422_import_invalid(self):
        before = self.snapshot()
        day = today().isoformat()
        for head in (["身份证号", "姓名", "金额", "交易日期"], ["交易流水号", "身份证号", "姓名", "交易日期"],
                     ["交易流水号", "金额", "交易日期"]):
            with self.subTest(head=head):
                data = csv_text([["X-1", "", "某某", "10.00", day][:len(head)]], head=head).encode()
                self.assertError(self.reconcile(data, apply=1), 422, "import_invalid")
        self.assertError(self.reconcile(xlsx_bytes([["交易流水号", "姓名"], ["X-2", "某某"]]), apply=1), 422,
                         "import_invalid")
        self.assertError(self.reconcile(b"", apply=1), 422, "import_invalid")
        self.assertUnchanged(before)

    def test_a_file_in_an_unreadable_encoding_answers_422(self):
        before = self.snapshot()
        good = csv_text([["E-1", "", "某某", "10.00", today().isoformat()]])
        for data in (b"\xef\xbb\xbf" + good.encode("gb18030"),            # a BOM promising UTF-8, then GB18030
                     good.encode("utf-16"),                                # UTF-16 with its BOM
                     good.encode("utf-8") + b"\x00\xff\xfe",               # NUL and stray bytes
                     good.encode("utf-8")[:-3] + b"\x81",                  # a truncated GB18030 sequence
                     b"PK\x03\x04garbage"):
            with self.subTest(data=data[:12]):
                self.assertError(self.reconcile(data, apply=1), 422, "import_invalid")
        self.assertUnchanged(before)

    def test_bad_reconcile_parameters_answer_400(self):
        data = csv_text([["P-1", "", "某某", "10.00", today().isoformat()]]).encode()
        for params in ({"month": "2026-13"}, {"org": "x"}):
            with self.subTest(params=params):
                self.assertError(self.reconcile(data, **params), 400, "invalid_parameter")


if __name__ == "__main__":
    unittest.main()
