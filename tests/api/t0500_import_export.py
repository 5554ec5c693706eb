"""t0500: member import (CSV in three encodings, .xlsx) and export (CSV, .xlsx), round trips, CLI."""

import csv
import datetime
import io
import os
import random
import re
import unittest
import zipfile
from xml.sax.saxutils import escape

from harness import (ServerTest, Server, DEMO_SEED, make_id_card, unique_birth, add_years)

HEADERS = ["姓名", "性别", "民族", "出生日期", "身份证号", "学历", "手机号", "籍贯", "人员类别", "党员状态",
           "入党时间", "转正时间", "所在党组织", "工作单位", "职务"]
FIELDS = ["name", "gender", "ethnicity", "birth_date", "id_card", "education", "phone", "native_place",
          "category", "status", "joined_on", "full_member_on", "org_id", "work_unit", "job", "remarks"]

_row_n = [0]


def import_row(org_text="", **over):
    """One valid import row keyed by header, with the JSON values it should become under '_expect'."""
    _row_n[0] += 1
    gender = over.pop("gender", random.choice(["male", "female"]))
    birth = unique_birth()
    joined = add_years(birth, 30)
    full = add_years(joined, 1)
    idc = make_id_card(birth, gender, region="310104")
    row = {
        "姓名": "导入党员%d" % _row_n[0],
        "性别": "男" if gender == "male" else "女",
        "民族": "汉族",
        "出生日期": birth.isoformat(),
        "身份证号": idc,
        "学历": "本科",
        "手机号": "137%08d" % _row_n[0],
        "籍贯": "上海徐汇",
        "人员类别": "在职",
        "党员状态": "正式党员",
        "入党时间": "%d/%d/%d" % (joined.year, joined.month, joined.day),
        "转正时间": "%d年%d月%d日" % (full.year, full.month, full.day),
        "所在党组织": org_text,
        "工作单位": "导入单位",
        "职务": "职员",
    }
    row.update(over)
    row["_expect"] = {"name": row["姓名"], "gender": gender, "ethnicity": "01", "birth_date": birth.isoformat(),
                      "id_card": idc, "education": "21", "phone": row["手机号"], "native_place": "上海徐汇",
                      "category": "in_service", "status": "full", "joined_on": joined.isoformat(),
                      "full_member_on": full.isoformat(), "work_unit": "导入单位", "job": "职员"}
    return row


def to_csv(rows, headers=None, extra_cols=None):
    headers = list(headers or HEADERS) + list(extra_cols or [])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow([r.get(h, "") for h in headers])
    return out.getvalue()


def xlsx_bytes(rows, shared=False, date_cols=(), sheet_name="党员"):
    """A minimal .xlsx written by hand: a zip of XML parts. Strings are inline (t="inlineStr") or in
    sharedStrings.xml (t="s"); values in date_cols (header names) given as datetime.date become date
    serial numbers with a date style (numFmtId 14)."""
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    strings, index = [], {}

    def sidx(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    sheet_rows = []
    for rn, r in enumerate(rows, start=1):
        cells = []
        for ci, v in enumerate(r):
            ref = "%s%d" % (col(ci), rn)
            if v is None or v == "":
                continue
            if isinstance(v, datetime.date):
                serial = (v - datetime.date(1899, 12, 30)).days
                cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, serial))
            elif isinstance(v, (int, float)):
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif shared:
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sidx(str(v))))
            else:
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(str(v))))
        sheet_rows.append('<row r="%d">%s</row>' % (rn, "".join(cells)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if shared else "")
            + '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook %s %s><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>'
            % (ns, rns, escape(sheet_name)),
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            + ('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
            + '</Relationships>',
        "xl/styles.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet %s><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>' % ns,
        "xl/worksheets/sheet1.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, "".join(sheet_rows)),
    }
    if shared:
        parts["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst %s count="%d" uniqueCount="%d">%s</sst>'
            % (ns, len(strings), len(strings), "".join("<si><t>%s</t></si>" % escape(s) for s in strings)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return buf.getvalue()


def xlsx_rows(data):
    """Reads back the first sheet of an .xlsx (inline or shared strings) as lists of cell texts."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        sst = z.read("xl/sharedStrings.xml").decode()
        for si in re.findall(r"<si>(.*?)</si>", sst, re.S):
            shared.append("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
    sheet = next(n for n in names if n.startswith("xl/worksheets/sheet"))
    xml = z.read(sheet).decode()
    rows = []
    for row in re.findall(r"<row[^>]*>(.*?)</row>", xml, re.S):
        cells = []
        for attrs, inner in re.findall(r"<c([^>]*?)(?:/>|>(.*?)</c>)", row, re.S):
            t = re.search(r't="(\w+)"', attrs)
            t = t.group(1) if t else ""
            if t == "s":
                cells.append(shared[int(re.search(r"<v>(.*?)</v>", inner).group(1))])
            elif t == "inlineStr" or t == "str":
                m = re.findall(r"<t[^>]*>(.*?)</t>", inner, re.S) or re.findall(r"<v>(.*?)</v>", inner)
                cells.append("".join(m))
            else:
                m = re.search(r"<v>(.*?)</v>", inner or "")
                cells.append(m.group(1) if m else "")
        rows.append(cells)
    return rows


class ImportCase(ServerTest):

    def import_file(self, data, client=None, **params):
        return (client or self.admin).post("/members/import", raw=data, params=params,
                                           content_type="application/octet-stream")

    def check_imported(self, rows):
        for r in rows:
            exp = r["_expect"]
            found = self.assertStatus(self.admin.get("/members", {"id_card": exp["id_card"]}), 200)
            self.assertEqual(len(found["items"]), 1, "not imported: %s" % exp["name"])
            got = self.assertStatus(self.admin.get("/members/%d" % found["items"][0]["id"], {"reveal": 1}), 200)
            for k, v in exp.items():
                self.assertEqual(got[k], v, "%s: %s" % (exp["name"], k))


class T0500Import(ImportCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        st, b, _ = admin.post("/orgs", {"parent_id": 1, "name": "导入测试党委", "type": "party_committee",
                                        "field": "organ"})
        cls.committee = b
        st, b1, _ = admin.post("/orgs", {"parent_id": b["id"], "name": "导入测试第一党支部", "type": "branch",
                                         "field": "organ"})
        st, b2, _ = admin.post("/orgs", {"parent_id": b["id"], "name": "导入测试第二党支部", "type": "branch",
                                         "field": "organ"})
        cls.b1, cls.b2 = b1, b2

    def test_a_utf8_csv_with_shuffled_columns_imports_and_reports_unknown_columns(self):
        rows = [import_row("导入测试第一党支部"), import_row("示例省交通运输厅厅直机关党委/导入测试党委/导入测试第二党支部"), import_row("")]
        headers = HEADERS[:]
        random.Random(3).shuffle(headers)
        data = to_csv(rows, headers, extra_cols=["爱好"]).encode("utf-8")
        n = self.member_count()
        rep = self.assertStatus(self.import_file(data, org=self.b1["id"], filename="members.csv"), 200)
        self.assertEqual(rep["total_rows"], 3)
        self.assertEqual(rep["valid_rows"], 3)
        self.assertEqual(rep["imported"], 3)
        self.assertFalse(rep["dry_run"])
        self.assertEqual(rep["errors"], [])
        self.assertEqual(rep["unknown_columns"], ["爱好"])
        self.assertEqual(self.member_count(), n + 3)
        rows[0]["_expect"]["org_id"] = self.b1["id"]
        rows[1]["_expect"]["org_id"] = self.b2["id"]
        rows[2]["_expect"]["org_id"] = self.b1["id"]   # the default organisation
        self.check_imported(rows)
        # history and audit rows name the import
        found = self.assertStatus(self.admin.get("/members", {"id_card": rows[0]["_expect"]["id_card"]}), 200)
        mid = found["items"][0]["id"]
        hist = self.assertStatus(self.admin.get("/members/%d/history" % mid), 200)["items"]
        self.assertEqual([h["action"] for h in hist], ["imported"])
        # the audit trail records the import: a row for the member, or one row for the batch naming its ids
        aud = self.assertStatus(self.admin.get("/audit", {"action": "member.import"}), 200)["items"]
        self.assertTrue(any(a["entity_id"] == mid or
                            (isinstance(a["after"], dict) and a["after"].get("first_id", 0) <= mid <= a["after"].get("last_id", 0))
                            for a in aud), aud)

    def test_a_utf8_csv_with_a_bom_imports(self):
        rows = [import_row("导入测试第一党支部") for _ in range(2)]
        data = b"\xef\xbb\xbf" + to_csv(rows).encode("utf-8")
        rep = self.assertStatus(self.import_file(data, filename="bom.csv"), 200)
        self.assertEqual((rep["total_rows"], rep["imported"], rep["unknown_columns"]), (2, 2, []))
        for r in rows:
            r["_expect"]["org_id"] = self.b1["id"]
        self.check_imported(rows)

    def test_a_gb18030_csv_imports(self):
        rows = [import_row("导入测试第二党支部", 籍贯="云南昆明"), import_row("导入测试第二党支部")]
        rows[0]["_expect"]["native_place"] = "云南昆明"
        rows[1]["姓名"] = "欧阳䶮"      # a character outside GBK, inside GB18030
        rows[1]["_expect"]["name"] = "欧阳䶮"
        data = to_csv(rows).encode("gb18030")
        self.assertRaises(UnicodeDecodeError, data.decode, "utf-8")
        rep = self.assertStatus(self.import_file(data, filename="gbk.csv"), 200)
        self.assertEqual((rep["total_rows"], rep["imported"]), (2, 2), rep)
        for r in rows:
            r["_expect"]["org_id"] = self.b2["id"]
        self.check_imported(rows)

    def test_a_file_with_one_bad_row_answers_422_and_writes_nothing(self):
        rows = [import_row("导入测试第一党支部") for _ in range(4)]
        bad = rows[2]["身份证号"]
        rows[2]["身份证号"] = bad[:-1] + ("1" if bad[-1] != "1" else "2")
        data = to_csv(rows).encode("utf-8")
        n, n_audit = self.member_count(), self.audit_count()
        err = self.assertError(self.import_file(data, filename="bad.csv"), 422, "import_invalid")
        rep = err["report"]
        self.assertEqual(rep["total_rows"], 4)
        self.assertEqual(rep["valid_rows"], 3)
        self.assertEqual(len(rep["errors"]), 1, rep)
        e = rep["errors"][0]
        self.assertEqual(e["line"], 4)          # header is line 1: the third data row is line 4
        self.assertEqual(e["column"], "身份证号")
        self.assertIn("校验位", e["message"])
        self.assertEqual(self.member_count(), n)
        self.assertEqual(self.audit_count(), n_audit)
        for r in rows:
            if r is not rows[2]:
                got = self.assertStatus(self.admin.get("/members", {"id_card": r["_expect"]["id_card"]}), 200)
                self.assertEqual(got["total"], 0)
        # skip_invalid=1 writes the good rows
        rep = self.assertStatus(self.import_file(data, filename="bad.csv", skip_invalid=1), 200)
        self.assertEqual((rep["total_rows"], rep["valid_rows"], rep["imported"]), (4, 3, 3))
        self.assertEqual(len(rep["errors"]), 1)
        self.assertEqual(self.member_count(), n + 3)

    def test_several_bad_rows_are_each_reported_with_line_and_column(self):
        rows = [import_row("导入测试第一党支部") for _ in range(5)]
        rows[0]["手机号"] = "12345"
        rows[1]["民族"] = "火星族"
        rows[3]["所在党组织"] = "不存在的党支部"
        rows[4]["人员类别"] = "宇航员"
        n = self.member_count()
        err = self.assertError(self.import_file(to_csv(rows).encode()), 422, "import_invalid")
        got = sorted((e["line"], e["column"]) for e in err["report"]["errors"])
        self.assertEqual(got, [(2, "手机号"), (3, "民族"), (5, "所在党组织"), (6, "人员类别")])
        for e in err["report"]["errors"]:
            self.assertTrue(e["message"])
        self.assertEqual(self.member_count(), n)

    def test_dry_run_writes_nothing(self):
        rows = [import_row("导入测试第一党支部") for _ in range(3)]
        n, n_audit = self.member_count(), self.audit_count()
        rep = self.assertStatus(self.import_file(to_csv(rows).encode(), dry_run=1), 200)
        self.assertTrue(rep["dry_run"])
        self.assertEqual((rep["total_rows"], rep["valid_rows"], rep["imported"]), (3, 3, 0))
        self.assertEqual(self.member_count(), n)
        self.assertEqual(self.audit_count(), n_audit)

    def test_a_duplicate_identity_number_within_the_file_is_reported(self):
        rows = [import_row("导入测试第一党支部") for _ in range(3)]
        rows[2]["身份证号"] = rows[0]["身份证号"]
        rows[2]["出生日期"] = rows[0]["出生日期"]
        rows[2]["性别"] = rows[0]["性别"]
        rows[2]["入党时间"] = rows[0]["入党时间"]
        rows[2]["转正时间"] = rows[0]["转正时间"]
        n = self.member_count()
        err = self.assertError(self.import_file(to_csv(rows).encode()), 422, "import_invalid")
        errs = err["report"]["errors"]
        self.assertEqual([(e["line"], e["column"]) for e in errs], [(4, "身份证号")])
        self.assertIn("2", errs[0]["message"])
        self.assertEqual(self.member_count(), n)

    def test_an_identity_number_already_in_the_database_is_reported(self):
        m, body = self.create_member(self.b1["id"])
        row = import_row("导入测试第一党支部")
        row["身份证号"] = body["id_card"]
        row["出生日期"] = body["birth_date"]
        row["性别"] = "男" if body["gender"] == "male" else "女"
        row["入党时间"] = body["joined_on"]
        row["转正时间"] = body["full_member_on"]
        err = self.assertError(self.import_file(to_csv([row]).encode()), 422, "import_invalid")
        self.assertEqual([(e["line"], e["column"]) for e in err["report"]["errors"]], [(2, "身份证号")])

    def test_missing_required_columns_and_empty_files_answer_422(self):
        n = self.member_count()
        rows = [import_row("导入测试第一党支部")]
        headers = [h for h in HEADERS if h != "身份证号"]
        err = self.assertError(self.import_file(to_csv(rows, headers).encode()), 422, "import_invalid")
        self.assertIn("身份证号", err["message"])
        self.assertError(self.import_file(b""), 422, "import_invalid")
        self.assertError(self.import_file(b"\xef\xbb\xbf"), 422, "import_invalid")
        self.assertEqual(self.member_count(), n)

    def test_import_into_an_organisation_outside_the_scope_is_refused(self):
        rows = [import_row("")]
        n = self.member_count()
        self.assertError(self.import_file(to_csv(rows).encode(), org=999999), 404, "not_found")
        self.assertError(self.import_file(to_csv(rows).encode(), org="x"), 400, "invalid_parameter")
        self.assertEqual(self.member_count(), n)

    def test_an_xlsx_with_inline_strings_and_date_cells_imports(self):
        rows = [import_row("导入测试第一党支部") for _ in range(2)]
        table = [HEADERS]
        for r in rows:
            line = [r[h] for h in HEADERS]
            line[HEADERS.index("出生日期")] = datetime.date.fromisoformat(r["_expect"]["birth_date"])
            line[HEADERS.index("入党时间")] = datetime.date.fromisoformat(r["_expect"]["joined_on"])
            table.append(line)
        data = xlsx_bytes(table, shared=False)
        rep = self.assertStatus(self.import_file(data, filename="inline.xlsx"), 200)
        self.assertEqual((rep["total_rows"], rep["imported"], rep["errors"]), (2, 2, []), rep)
        for r in rows:
            r["_expect"]["org_id"] = self.b1["id"]
        self.check_imported(rows)

    def test_an_xlsx_with_shared_strings_imports(self):
        rows = [import_row("导入测试第二党支部") for _ in range(3)]
        table = [HEADERS + ["备注"]]
        for r in rows:
            line = [r[h] for h in HEADERS] + ["共享字符串"]
            line[HEADERS.index("转正时间")] = datetime.date.fromisoformat(r["_expect"]["full_member_on"])
            table.append(line)
            r["_expect"]["remarks"] = "共享字符串"
            r["_expect"]["org_id"] = self.b2["id"]
        data = xlsx_bytes(table, shared=True)
        rep = self.assertStatus(self.import_file(data, filename="shared.xlsx"), 200)
        self.assertEqual((rep["total_rows"], rep["imported"], rep["errors"]), (3, 3, []), rep)
        self.check_imported(rows)

    def test_an_xlsx_with_a_bad_row_reports_it(self):
        rows = [import_row("导入测试第二党支部") for _ in range(2)]
        rows[1]["党员状态"] = "群众"
        table = [HEADERS] + [[r[h] for h in HEADERS] for r in rows]
        n = self.member_count()
        err = self.assertError(self.import_file(xlsx_bytes(table, shared=True)), 422, "import_invalid")
        self.assertEqual([(e["line"], e["column"]) for e in err["report"]["errors"]], [(3, "党员状态")])
        self.assertEqual(self.member_count(), n)

    def test_a_broken_file_is_refused_cleanly(self):
        n = self.member_count()
        for data in (b"PK\x03\x04garbage", xlsx_bytes([["x"]])[:200], b"\x00\x01\x02\xff\xfe" * 100):
            st, body, _ = self.import_file(data)
            self.assertIn(st, (400, 422), body)
        self.assertEqual(self.member_count(), n)
        self.assertStatus(self.admin.get("/health"), 200)

    def test_an_upload_over_20_mib_answers_413(self):
        n = self.member_count()
        data = to_csv([]).encode() + (b"x" * 1000 + b"\r\n") * (21 * 1024)
        self.assertError(self.import_file(data), 413, "payload_too_large")
        self.assertEqual(self.member_count(), n)


class T0510Export(ImportCase):

    def test_csv_export_is_a_masked_attachment(self):
        st, data, hdrs = self.admin.get("/members/export", {"format": "csv", "org": 101})
        self.assertEqual(st, 200, data)
        self.assertTrue(hdrs["Content-Type"].startswith("text/csv"), hdrs["Content-Type"])
        self.assertRegex(hdrs["Content-Disposition"], r'^attachment; filename="members[^"]*\.csv"$')
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0][:15], HEADERS)
        total = self.member_count(org=101)
        self.assertEqual(len(rows) - 1, total)
        idx, pidx = rows[0].index("身份证号"), rows[0].index("手机号")
        for r in rows[1:]:
            self.assertRegex(r[idx], r"^\d{6}\*{8}\d{3}[\dX]$")
            if r[pidx]:
                self.assertRegex(r[pidx], r"^\d{3}\*{4}\d{4}$")
        aud = self.assertStatus(self.admin.get("/audit", {"action": "member.export"}), 200)
        self.assertFalse(aud["items"][0]["after"]["reveal"])

    def test_xlsx_export_is_a_masked_workbook(self):
        st, data, hdrs = self.admin.get("/members/export", {"format": "xlsx", "org": 101})
        self.assertEqual(st, 200, data)
        self.assertEqual(hdrs["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertRegex(hdrs["Content-Disposition"], r'^attachment; filename="members[^"]*\.xlsx"$')
        rows = xlsx_rows(data)
        self.assertEqual(rows[0][:15], HEADERS)
        self.assertEqual(len(rows) - 1, self.member_count(org=101))
        idx = rows[0].index("身份证号")
        for r in rows[1:]:
            self.assertRegex(r[idx], r"^\d{6}\*{8}\d{3}[\dX]$")

    def test_a_secretary_exports_their_subtree_masked(self):
        st, data, hdrs = self.secretary.get("/members/export", {"format": "csv"})
        self.assertEqual(st, 200)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(len(rows) - 1, self.member_count(self.secretary))
        self.assertError(self.secretary.get("/members/export", {"reveal": 1}), 403, "forbidden")
        self.assertError(self.admin.get("/members/export", {"format": "pdf"}), 400, "invalid_parameter")

    def test_export_with_reveal_imports_into_a_fresh_server_unchanged(self):
        org = 101      # a committee with several branches in the demo tree
        # a member with awkward text among them
        self.create_member(104, name="\u3000导出·测试", remarks="逗号,引号\"和换行\n都在", work_unit="单位,有限公司")
        st, data, hdrs = self.admin.get("/members/export", {"format": "csv", "org": org, "reveal": 1})
        self.assertEqual(st, 200, data)
        aud = self.assertStatus(self.admin.get("/audit", {"action": "member.export"}), 200)
        self.assertTrue(aud["items"][0]["after"]["reveal"])
        source = [self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
                  for m in self.admin.all_items("/members", {"org": org})]
        self.assertIn("*", self.admin.all_items("/members", {"org": org})[0]["id_card"])
        for m in source:
            self.assertNotIn("*", m["id_card"])
        self.round_trip(source, data, "export.csv", org)

    def test_xlsx_export_with_reveal_imports_into_a_fresh_server_unchanged(self):
        org = 108
        st, data, hdrs = self.admin.get("/members/export", {"format": "xlsx", "org": org, "reveal": 1})
        self.assertEqual(st, 200, data)
        source = [self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
                  for m in self.admin.all_items("/members", {"org": org})]
        self.round_trip(source, data, "export.xlsx", org)

    def round_trip(self, source, data, filename, org):
        """Imports `data` into a fresh server with the same demo tree, after removing the demo's own copies
        of those members there, and compares every field."""
        other = Server()
        other.start()
        try:
            c = other.client("admin")
            for m in source:
                st, body, _ = c.get("/members/%d" % m["id"])
                if st == 200 and body["org_id"] == m["org_id"]:
                    self.assertEqual(c.delete("/members/%d" % m["id"])[0], 204)
            st, rep, _ = c.post("/members/import", raw=data, params={"filename": filename})
            self.assertEqual(st, 200, rep)
            self.assertEqual(rep["imported"], len(source), rep)
            for m in source:
                st, found, _ = c.get("/members", {"id_card": m["id_card"]})
                self.assertEqual(found["total"], 1, m["name"])
                got = c.get("/members/%d" % found["items"][0]["id"], {"reveal": 1})[1]
                for k in FIELDS:
                    self.assertEqual(got[k], m[k], "%s: %s" % (m["name"], k))
        finally:
            code, err = other.stop()
            other.cleanup()
        self.assertEqual(code, 0, err[-5000:])


class T0520CliImportExport(ImportCase):
    """`dangjian export members -o` and `dangjian import members` with their exit codes."""

    start_server = False

    def test_cli_export_then_import_into_a_fresh_database_round_trips(self):
        out = os.path.join(self.server.dir, "out.csv")
        r = self.server.cli("export", "members", "--org", "101", "--format", "csv", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        with open(out, "rb") as f:
            data = f.read()
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertGreater(len(rows), 1)
        idx = rows[0].index("身份证号")
        self.assertNotIn("*", "".join(r[idx] for r in rows[1:]))   # the operator's export is unmasked
        # xlsx too
        outx = os.path.join(self.server.dir, "out.xlsx")
        r = self.server.cli("export", "members", "--org", "101", "--format", "xlsx", "-o", outx)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(xlsx_rows(open(outx, "rb").read())), len(rows))

        # the demo with another seed has the same tree and other members
        other = Server(seed=DEMO_SEED + 1)
        try:
            ids = {r[idx] for r in rows[1:]}
            count = lambda: int(other.sql("SELECT COUNT(*) FROM members")[0][0])
            n_before = count()
            r = other.cli("import", "members", out, "--dry-run")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(b"(dry run)", r.stdout)
            self.assertEqual(count(), n_before)
            r = other.cli("import", "members", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(("%d imported" % len(ids)).encode(), r.stdout)
            self.assertEqual(count(), n_before + len(ids))
            # importing the same file again finds every number already there: exit 1, nothing written
            r = other.cli("import", "members", out)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(len([l for l in r.stderr.decode().splitlines() if l.startswith(out + ":")]), len(ids))
            self.assertEqual(count(), n_before + len(ids))
            # an export of the new database has the same rows, field by field
            out2 = os.path.join(self.server.dir, "out2.csv")
            r = other.cli("export", "members", "--org", "101", "--format", "csv", "-o", out2)
            self.assertEqual(r.returncode, 0, r.stderr)
            rows2 = list(csv.reader(io.StringIO(open(out2, "rb").read().decode("utf-8-sig"))))
            self.assertEqual(rows2[0], rows[0])
            key = lambda r: r[idx]
            self.assertEqual(sorted([r for r in rows2[1:] if r[idx] in ids], key=key), sorted(rows[1:], key=key))
            r = other.cli("audit", "verify")
            self.assertEqual(r.returncode, 0, r.stderr)
        finally:
            other.cleanup()

    def test_a_bulk_cli_import_into_an_empty_database(self):
        """A file of 256 KiB or more loads in bulk. Into an empty members table a number repeated
        within the file is still reported; a second import of the file finds every number stored;
        the figures agree with the rows; and SQLite is in WAL mode again whether the load committed
        or not (alone on the database it writes through a rollback journal)."""
        s = Server(demo=False)
        try:
            r = s.cli("init", "--org-name", "中共批量导入测试委员会")
            self.assertEqual(r.returncode, 0, r.stderr)
            password = re.search(r"(?<![\w@#%+=_-])([A-Za-z0-9@#%+=_-]{16})(?![\w@#%+=_-])",
                                 r.stdout.decode()).group(1)
            # Two organisations, row by row in turn: a history row on another member would show.
            s.start()
            admin = s.client("admin", password)
            branch = self.assertStatus(admin.post("/orgs", {"parent_id": admin.user["org_id"], "name": "批量导入测试支部",
                                                            "type": "branch", "field": "organ"}), 201)
            s.stop()
            orgs = ("中共批量导入测试委员会", "批量导入测试支部")
            rows = [import_row(orgs[i % 2]) for i in range(2050)]   # batches of 100 and a rest
            dup = dict(rows[10], 姓名="重复者")
            path = os.path.join(s.dir, "bulk.csv")
            with open(path, "wb") as f:
                f.write(to_csv(rows + [dup]).encode())
            self.assertGreaterEqual(os.path.getsize(path), 256 * 1024)   # the bulk path
            count = lambda: int(s.sql("SELECT COUNT(*) FROM members")[0][0])
            journal = lambda: s.sql("PRAGMA journal_mode")[0][0]

            r = s.cli("import", "members", path)
            self.assertEqual(r.returncode, 1, r.stderr)
            lines = [l for l in r.stderr.decode().splitlines() if l.startswith(path + ":")]
            self.assertEqual(len(lines), 1, r.stderr.decode()[-2000:])
            self.assertTrue(lines[0].startswith(path + ":2052: 身份证号"), lines)
            self.assertIn("第12行", lines[0])
            self.assertEqual(count(), 0)
            if not s.backend.pg:
                self.assertEqual(journal(), "wal")

            with open(path, "wb") as f:
                f.write(to_csv(rows).encode())
            # Alone on a SQLite database the load says it writes through a rollback journal.
            r = s.cli("import", "members", path, env={"DJ_LOG_QUIET": "0"})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(b"2050 imported", r.stdout)
            self.assertEqual(b"rollback journal" in r.stderr, not s.backend.pg, r.stderr[-2000:])
            self.assertEqual(count(), 2050)
            self.assertEqual(int(s.sql("SELECT COUNT(*) FROM member_history h JOIN members m ON m.id = h.member_id"
                                       " AND h.to_org_id = m.org_id WHERE h.action = 'imported'")[0][0]), 2050)
            if not s.backend.pg:
                self.assertEqual(journal(), "wal")
            r = s.cli("check")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

            # With a server up, even one that has answered nothing yet (its workers have no
            # connection), the load keeps the WAL so that the server can go on reading.
            s.start()
            rows2 = [import_row(orgs[i % 3 // 2]) for i in range(2000)]
            with open(path, "wb") as f:
                f.write(to_csv(rows2).encode())
            r = s.cli("import", "members", path, env={"DJ_LOG_QUIET": "0"})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn(b"rollback journal", r.stderr)
            self.assertEqual(count(), 4050)
            if not s.backend.pg:
                self.assertEqual(journal(), "wal")
            r = s.cli("check")   # the second load's sums added to the first's figures
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(int(s.sql("SELECT COUNT(*) FROM members WHERE org_id = ?", (branch["id"],))[0][0]),
                             1025 + 666)
            c = s.client("admin", password)
            got = self.assertStatus(c.get("/members", {"q": "导入党员"}), 200)
            self.assertEqual(got["total"], 4050)
            for row in (rows[0], rows[1234], rows[-1], rows2[-1]):   # each number with its own row
                exp = row["_expect"]
                found = self.assertStatus(c.get("/members", {"id_card": exp["id_card"]}), 200)["items"]
                self.assertEqual([m["name"] for m in found], [exp["name"]])
                got = self.assertStatus(c.get("/members/%d" % found[0]["id"], {"reveal": 1}), 200)
                self.assertEqual((got["id_card"], got["phone"]), (exp["id_card"], exp["phone"]))

            r = s.cli("import", "members", path)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(len([l for l in r.stderr.decode().splitlines() if l.startswith(path + ":")]), 2000)
            self.assertEqual(count(), 4050)
        finally:
            code, err = s.stop()
            s.cleanup()
        self.assertEqual(code, 0, err[-3000:])

    def test_cli_import_of_an_invalid_file_exits_1_with_one_line_per_bad_row(self):
        rows = [import_row("") for _ in range(4)]
        rows[1]["手机号"] = "123"
        rows[3]["身份证号"] = "110105199901011234"
        path = os.path.join(self.server.dir, "bad.csv")
        with open(path, "wb") as f:
            f.write(to_csv(rows, extra_cols=["爱好"]).encode())
        n = int(self.server.sql("SELECT COUNT(*) FROM members")[0][0])
        r = self.server.cli("import", "members", path, "--org", "2")
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = [l for l in r.stderr.decode().splitlines() if l.startswith(path + ":") and "unknown column" not in l]
        self.assertEqual(len(lines), 2, r.stderr.decode())
        self.assertTrue(lines[0].startswith(path + ":3: 手机号"), lines)
        self.assertTrue(lines[1].startswith(path + ":5: 身份证号"), lines)
        self.assertIn("爱好", r.stderr.decode())
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM members")[0][0]), n)
        r = self.server.cli("import", "members", path, "--org", "2", "--skip-invalid")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM members")[0][0]), n + 2)

    def test_cli_import_and_export_usage_errors_exit_2(self):
        d = self.server.dir
        for args in (["import"], ["import", "members"], ["import", "people", "x.csv"],
                     ["import", "members", "a.csv", "b.csv"], ["import", "members", "a.csv", "--org", "x"],
                     ["import", "members", "a.csv", "--bogus"],
                     ["export"], ["export", "members", "--format", "csv"],
                     ["export", "members", "-o", os.path.join(d, "x.csv")],
                     ["export", "members", "--format", "pdf", "-o", os.path.join(d, "x.pdf")],
                     ["export", "members", "--format", "csv", "-o", os.path.join(d, "x.csv"), "--org", "0"]):
            with self.subTest(args=args):
                r = self.server.cli(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertTrue(r.stderr)

    def test_cli_import_of_a_missing_file_exits_1(self):
        r = self.server.cli("import", "members", os.path.join(self.server.dir, "nope.csv"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertTrue(r.stderr.startswith(b"error: "), r.stderr)


if __name__ == "__main__":
    unittest.main()
