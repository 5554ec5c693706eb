"""t0400: validation of member data: every rejected request leaves the database unchanged."""

import datetime
import json
import unittest

from harness import ServerTest, member_payload, make_id_card, id_check_char, add_years

SQL_NASTY = ["'; DROP TABLE members; --", "%", "_", "\\", "' OR '1'='1", "\" OR \"\"=\"", "%25", "*", "/*", "--",
             "1;SELECT 1", "\u0000", "'", "%_%"]


class T0400Validation(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        st, b, _ = admin.post("/orgs", {"parent_id": 1, "name": "校验测试党支部", "type": "branch",
                                        "field": "organ"})
        cls.org = b["id"]

    def snapshot(self):
        """What a rejected request must not change: member count, the test branch's members, the audit trail."""
        return (self.member_count(), [m for m in self.admin.all_items("/members", {"org": self.org})],
                self.audit_count())

    def rejected(self, body, status, code, field=None, message=None, method="POST", path="/members"):
        before = self.snapshot()
        resp = self.admin.request(method, path, body=body)
        err = self.assertError(resp, status, code, field=field, message=message)
        self.assertEqual(self.snapshot(), before, "a rejected request changed something")
        return err

    def test_a_wrong_check_digit_is_refused_with_its_message(self):
        body = member_payload(self.org)
        good = body["id_card"]
        wrong = "0" if good[-1] != "0" else "1"
        body["id_card"] = good[:-1] + wrong
        err = self.rejected(body, 422, "validation_failed", "id_card", "身份证号校验位错误")
        self.assertEqual(err["message"], "身份证号校验位错误")

    def test_an_identity_number_not_matching_the_birth_date_is_refused(self):
        body = member_payload(self.org)
        d = datetime.date.fromisoformat(body["birth_date"]) + datetime.timedelta(days=1)
        body["birth_date"] = d.isoformat()
        body["joined_on"] = add_years(d, 25).isoformat()
        self.rejected(body, 422, "validation_failed", "id_card", "身份证号与出生日期不一致")

    def test_an_identity_number_not_matching_the_gender_is_refused(self):
        body = member_payload(self.org, gender="male")
        body["gender"] = "female"
        self.rejected(body, 422, "validation_failed", "id_card", "身份证号与性别不一致")

    def test_joining_before_18_is_refused(self):
        birth = datetime.date(2000, 3, 15)
        body = member_payload(self.org, birth=birth)
        body["joined_on"] = "2018-03-14"
        body["full_member_on"] = "2019-03-14"
        self.rejected(body, 422, "validation_failed", "joined_on", "入党时须年满18周岁")
        body["joined_on"] = "2018-03-15"
        body["full_member_on"] = "2019-03-15"
        self.assertStatus(self.admin.post("/members", body), 201)

    def test_a_full_member_without_full_member_on_is_refused(self):
        body = member_payload(self.org)
        body["full_member_on"] = None
        self.rejected(body, 422, "validation_failed", "full_member_on", "正式党员须填写转正时间")
        del body["full_member_on"]
        self.rejected(body, 422, "validation_failed", "full_member_on", "正式党员须填写转正时间")

    def test_full_member_on_before_joined_on_is_refused(self):
        body = member_payload(self.org)
        body["full_member_on"] = body["joined_on"]
        self.rejected(body, 422, "validation_failed", "full_member_on", "转正时间须晚于入党时间")

    def test_a_probationary_member_with_full_member_on_is_refused(self):
        body = member_payload(self.org, status="probationary")
        self.rejected(body, 422, "validation_failed", "full_member_on")

    def test_a_bad_phone_number_is_refused(self):
        for phone in ("12345", "1381234567", "138123456789", "23812345678", "1381234567a", "１３８１２３４５６７８"):
            with self.subTest(phone=phone):
                self.rejected(member_payload(self.org, phone=phone), 422, "validation_failed", "phone",
                              "手机号格式不正确")

    def test_unknown_ethnicity_or_education_codes_are_refused(self):
        self.rejected(member_payload(self.org, ethnicity="99"), 422, "validation_failed", "ethnicity", "民族代码无效")
        self.rejected(member_payload(self.org, ethnicity="汉族"), 422, "validation_failed", "ethnicity")
        self.rejected(member_payload(self.org, education="99"), 422, "validation_failed", "education", "学历代码无效")
        self.rejected(member_payload(self.org, education="x"), 422, "validation_failed", "education", "学历代码无效")

    def test_a_birth_date_in_the_future_is_refused(self):
        birth = datetime.date.today() + datetime.timedelta(days=400)
        body = member_payload(self.org, birth=birth)
        body["joined_on"] = "2020-01-01"
        body["full_member_on"] = "2021-01-01"
        self.rejected(body, 422, "validation_failed", "birth_date", "出生日期不能晚于今天")

    def test_an_empty_name_and_a_missing_organisation_are_refused(self):
        self.rejected(member_payload(self.org, name=""), 422, "validation_failed", "name", "姓名不能为空")
        self.rejected(member_payload(self.org, name="\u3000 "), 422, "validation_failed", "name", "姓名不能为空")
        self.rejected(member_payload(999999), 422, "validation_failed", "org_id", "所在党组织不存在")

    def test_every_bad_field_is_named_at_once(self):
        body = member_payload(self.org, phone="1", ethnicity="99", education="99", name="")
        err = self.rejected(body, 422, "validation_failed")
        for f in ("phone", "ethnicity", "education", "name"):
            self.assertIn(f, err["fields"])

    def test_wrong_json_types_answer_422_naming_the_field(self):
        cases = [("org_id", "1"), ("org_id", 1.5), ("name", 123), ("name", ["x"]), ("gender", 1),
                 ("gender", "unknown"), ("birth_date", 19800101), ("birth_date", "1980/01/01x"),
                 ("id_card", 110105198001010011), ("phone", 13800138000), ("status", True),
                 ("category", {"a": 1}), ("joined_on", "yesterday"), ("remarks", 5), ("ethnicity", 1),
                 ("education", 21), ("birth_date", "1980-02-30")]
        for field, value in cases:
            with self.subTest(field=field, value=value):
                body = member_payload(self.org)
                body[field] = value
                self.rejected(body, 422, "validation_failed", field)

    def test_wrong_types_in_a_patch_answer_422_and_change_nothing(self):
        m, _ = self.create_member(self.org)
        for field, value in (("job", 1), ("org_id", "x"), ("status", "member"), ("joined_on", 2020)):
            with self.subTest(field=field):
                self.rejected({field: value}, 422, "validation_failed", field, method="PATCH",
                              path="/members/%d" % m["id"])
        self.rejected({"phone": "123"}, 422, "validation_failed", "phone", method="PATCH", path="/members/%d" % m["id"])

    def test_an_unknown_field_answers_400_unknown_field(self):
        body = member_payload(self.org)
        body["nickname"] = "小张"
        err = self.rejected(body, 400, "unknown_field")
        self.assertIn("nickname", err["message"])
        body = member_payload(self.org)
        body["id"] = 5
        self.rejected(body, 400, "unknown_field")

    def test_malformed_json_answers_400_invalid_json(self):
        for raw in (b"{", b"{\"name\":}", b"[1,2]", b"\"text\"", b"nul", b"{\"a\":1}}", b"{'name':'x'}",
                    b"{\"name\":\"a\",\"name\":\"b\"}"):
            with self.subTest(raw=raw):
                before = self.snapshot()
                self.assertError(self.admin.post("/members", raw=raw, content_type="application/json"), 400,
                                 "invalid_json")
                self.assertEqual(self.snapshot(), before)

    def test_invalid_utf8_in_the_body_answers_400_invalid_utf8(self):
        body = json.dumps(member_payload(self.org), ensure_ascii=False).encode()
        for bad in (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe4\xb8"):
            raw = body.replace("测试单位".encode(), b"x" + bad + b"y")
            with self.subTest(bad=bad):
                before = self.snapshot()
                self.assertError(self.admin.post("/members", raw=raw, content_type="application/json"), 400,
                                 "invalid_utf8")
                self.assertEqual(self.snapshot(), before)

    def test_a_body_over_one_mebibyte_answers_413(self):
        body = member_payload(self.org)
        body["remarks"] = "x" * (1 << 20)
        before = self.snapshot()
        self.assertError(self.admin.post("/members", body), 413, "payload_too_large")
        self.assertEqual(self.snapshot(), before)
        # the server still serves
        self.assertStatus(self.admin.get("/health"), 200)

    def test_overlong_text_fields_are_refused(self):
        self.rejected(member_payload(self.org, name="张" * 51), 422, "validation_failed", "name")
        self.rejected(member_payload(self.org, remarks="备" * 501), 422, "validation_failed", "remarks")
        self.rejected(member_payload(self.org, job="a\u0001b"), 422, "validation_failed", "job")

    def test_sql_metacharacters_in_a_name_are_stored_literally(self):
        for name in ("'; DROP TABLE members; --", "100%", "张_三", "O'Brien", "a\\b", "%"):
            with self.subTest(name=name):
                m, _ = self.create_member(self.org, name=name)
                self.assertEqual(m["name"], name)
                got = self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
                self.assertEqual(got["name"], name)
                found = self.assertStatus(self.admin.get("/members", {"q": name, "org": self.org}), 200)
                self.assertIn(m["id"], [x["id"] for x in found["items"]])
                # q matches literally: every hit really contains the text
                for x in found["items"]:
                    self.assertIn(name, x["name"])
        self.assertGreaterEqual(self.member_count(), 300)

    def test_like_wildcards_in_q_match_only_themselves(self):
        m, _ = self.create_member(self.org, name="百分之%号")
        n, _ = self.create_member(self.org, name="下划_线")
        got = self.assertStatus(self.admin.get("/members", {"q": "%"}), 200)
        self.assertTrue(all("%" in x["name"] for x in got["items"]), got["items"])
        self.assertIn(m["id"], [x["id"] for x in got["items"]])
        got = self.assertStatus(self.admin.get("/members", {"q": "_"}), 200)
        self.assertTrue(all("_" in x["name"] for x in got["items"]), got["items"])
        self.assertIn(n["id"], [x["id"] for x in got["items"]])

    def test_sql_metacharacters_in_every_query_parameter_cause_no_error_and_no_change(self):
        before = self.snapshot()
        params = ["org", "q", "status", "category", "gender", "id_card", "page", "per_page", "after", "reveal"]
        for value in SQL_NASTY:
            for p in params:
                with self.subTest(param=p, value=value):
                    st, body, _ = self.admin.get("/members", {p: value})
                    self.assertIn(st, (200, 400, 404), body)
                    if st != 200:
                        self.assertIn(body["error"]["code"], ("invalid_parameter", "invalid_utf8", "not_found"))
            for path, ps in (("/audit", ["action", "entity", "entity_id", "actor", "from", "to", "page"]),
                             ("/users", ["org", "page", "per_page"]),
                             ("/members/export", ["org", "format", "q"])):
                for p in ps:
                    with self.subTest(path=path, param=p, value=value):
                        st, body, _ = self.admin.get(path, {p: value})
                        self.assertIn(st, (200, 400, 404), body)
            st, body, _ = self.admin.get("/members", {"q": value})
            self.assertEqual(st, 200, body)
        self.assertEqual(self.snapshot()[:2], before[:2])
        self.assertStatus(self.admin.get("/health"), 200)

    def test_names_with_full_width_spaces_are_normalised(self):
        m, _ = self.create_member(self.org, name="\u3000王\u3000小明\u3000 ")
        self.assertEqual(m["name"].strip("\u3000 "), m["name"])
        self.assertFalse(m["name"].startswith("\u3000"))
        self.assertFalse(m["name"].endswith("\u3000"))
        self.assertTrue(m["name"].startswith("王"), m["name"])
        found = self.assertStatus(self.admin.get("/members", {"q": "\u3000王\u3000小明", "org": self.org}), 200)
        self.assertEqual([x["id"] for x in found["items"]], [m["id"]])

    def test_a_15_digit_identity_number_is_stored_as_18_digits(self):
        birth = datetime.date(1965, 4, 3)
        body = member_payload(self.org, birth=birth)
        fifteen = "110105" + birth.strftime("%y%m%d") + "123"
        eighteen17 = "110105" + birth.strftime("%Y%m%d") + "123"
        body["id_card"] = fifteen
        body["gender"] = "male"
        st, m, _ = self.admin.post("/members", body)
        if st == 201:
            full = self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
            self.assertEqual(full["id_card"], eighteen17 + id_check_char(eighteen17))
        else:
            self.assertError((st, m, None), 422, "validation_failed", "id_card")


if __name__ == "__main__":
    unittest.main()
