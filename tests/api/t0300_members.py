"""t0300: members: create, masking and reveal, duplicates, search, paging, change, move, delete."""

import unittest

from harness import ServerTest, member_payload, mask_id, mask_phone


class T0300Members(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        st, b, _ = admin.post("/orgs", {"parent_id": 1, "name": "党员测试党委", "type": "party_committee",
                                        "field": "organ"})
        cls.committee = b
        st, b1, _ = admin.post("/orgs", {"parent_id": cls.committee["id"], "name": "党员测试第一党支部",
                                         "type": "branch", "field": "organ"})
        st, b2, _ = admin.post("/orgs", {"parent_id": cls.committee["id"], "name": "党员测试第二党支部",
                                         "type": "branch", "field": "organ"})
        cls.b1, cls.b2 = b1["id"], b2["id"]
        cls.sec_org = cls.as_user("secretary").user["org_id"]

    def test_creating_a_valid_member_answers_201_with_masked_numbers(self):
        body = member_payload(self.b1, name="张三丰", phone="13812345678", remarks="新建")
        st, m, _ = self.admin.post("/members", body)
        self.assertEqual(st, 201, m)
        self.assertIsInstance(m["id"], int)
        self.assertEqual(m["id_card"], mask_id(body["id_card"]))
        self.assertRegex(m["id_card"], r"^\d{6}\*{8}\d{3}[\dX]$")
        self.assertEqual(m["phone"], "138****5678")
        for k in ("org_id", "name", "gender", "ethnicity", "birth_date", "education", "native_place", "category",
                  "status", "joined_on", "full_member_on", "work_unit", "job", "remarks"):
            self.assertEqual(m[k], body[k], k)
        self.assertEqual(m["org_name"], "党员测试第一党支部")
        self.assertEqual(m["ethnicity_name"], "汉族")
        self.assertEqual(m["education_name"], "大学本科毕业")
        self.assertEqual(m["status_label"], "正式党员")
        self.assertEqual(m["category_label"], "在职")
        self.assertIsInstance(m["age"], int)
        self.assertRegex(m["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertRegex(m["updated_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        got = self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
        self.assertEqual(got, m)
        # the list is masked too
        lst = self.assertStatus(self.admin.get("/members", {"q": "张三丰"}), 200)
        self.assertEqual([x["id_card"] for x in lst["items"]], [m["id_card"]])
        self.assertEqual([x["phone"] for x in lst["items"]], ["138****5678"])
        hist = self.assertStatus(self.admin.get("/members/%d/history" % m["id"]), 200)["items"]
        self.assertEqual([h["action"] for h in hist], ["created"])
        self.assertEqual(hist[0]["to_org"], "党员测试第一党支部")
        self.assertEqual(hist[0]["actor"], "admin")

    def test_a_lower_case_x_in_the_identity_number_is_stored_upper_case(self):
        body = member_payload(self.b1)
        # force a check character of X by trying sequences
        import datetime
        from harness import make_id_card
        birth = datetime.date.fromisoformat(body["birth_date"])
        for seq in range(500):
            idc = make_id_card(birth, "male", seq=seq)
            if idc.endswith("X"):
                break
        body["id_card"] = idc.lower()
        m = self.assertStatus(self.admin.post("/members", body), 201)
        self.assertTrue(m["id_card"].endswith("X"), m["id_card"])
        full = self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
        self.assertEqual(full["id_card"], idc)

    def test_reveal_as_admin_shows_the_full_numbers_and_is_audited(self):
        m, body = self.create_member(self.b1)
        got = self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
        self.assertEqual(got["id_card"], body["id_card"])
        self.assertEqual(got["phone"], body["phone"])
        rows = self.assertStatus(self.admin.get("/audit", {"action": "member.reveal", "entity_id": m["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)
        self.assertEqual(rows["items"][0]["actor"], "admin")
        self.assertEqual(rows["items"][0]["entity"], "member")
        # without reveal nothing more is audited
        self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)
        rows = self.assertStatus(self.admin.get("/audit", {"action": "member.reveal", "entity_id": m["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)

    def test_reveal_by_a_secretary_answers_403(self):
        m, _ = self.create_member(self.sec_org)
        n_audit = self.audit_count()
        self.assertError(self.secretary.get("/members/%d" % m["id"], {"reveal": 1}), 403, "forbidden")
        self.assertError(self.secretary.get("/members/export", {"reveal": 1}), 403, "forbidden")
        self.assertEqual(self.audit_count(), n_audit)
        got = self.assertStatus(self.secretary.get("/members/%d" % m["id"]), 200)
        self.assertIn("*", got["id_card"])

    def test_a_duplicate_identity_number_answers_409_duplicate_id_card(self):
        m, body = self.create_member(self.b1)
        n = self.member_count()
        dup = member_payload(self.b2)
        for k in ("id_card", "birth_date", "gender"):
            dup[k] = body[k]
        self.assertError(self.admin.post("/members", dup), 409, "duplicate_id_card")
        # a lower-case x or 15-digit form of the same number does not slip through either
        self.assertEqual(self.member_count(), n)
        # nor can another member be changed to it
        other, _ = self.create_member(self.b2)
        self.assertError(self.admin.patch("/members/%d" % other["id"], {"id_card": body["id_card"],
                                                                         "birth_date": body["birth_date"],
                                                                         "gender": body["gender"]}),
                         409, "duplicate_id_card")

    def test_search_by_name_substring(self):
        a, _ = self.create_member(self.b2, name="欧阳检索甲")
        b, _ = self.create_member(self.b2, name="检索乙")
        self.create_member(self.b2, name="无关丙")
        got = self.assertStatus(self.admin.get("/members", {"q": "检索"}), 200)
        self.assertEqual({x["id"] for x in got["items"]}, {a["id"], b["id"]})
        self.assertEqual(got["total"], 2)
        got = self.assertStatus(self.admin.get("/members", {"q": "阳检"}), 200)
        self.assertEqual([x["id"] for x in got["items"]], [a["id"]])
        got = self.assertStatus(self.admin.get("/members", {"q": "不存在的名字"}), 200)
        self.assertEqual(got["items"], [])
        self.assertEqual(got["total"], 0)

    def test_search_by_exact_identity_number(self):
        m, body = self.create_member(self.b2)
        got = self.assertStatus(self.admin.get("/members", {"id_card": body["id_card"]}), 200)
        self.assertEqual([x["id"] for x in got["items"]], [m["id"]])
        self.assertEqual(got["total"], 1)
        # a valid number nobody has finds nothing
        other = member_payload(self.b2)["id_card"]
        got = self.assertStatus(self.admin.get("/members", {"id_card": other}), 200)
        self.assertEqual(got["items"], [])
        # a part of a number is not a search
        self.assertError(self.admin.get("/members", {"id_card": body["id_card"][:10]}), 400, "invalid_parameter")

    def test_status_category_and_gender_filters(self):
        st, c, _ = self.admin.post("/orgs", {"parent_id": self.committee["id"], "name": "过滤测试党支部",
                                             "type": "branch", "field": "organ"})
        org = c["id"]
        full, _ = self.create_member(org)
        prob, _ = self.create_member(org, status="probationary", full_member_on=None, gender="female",
                                     category="retired")
        got = self.assertStatus(self.admin.get("/members", {"org": org, "status": "probationary"}), 200)
        self.assertEqual([x["id"] for x in got["items"]], [prob["id"]])
        got = self.assertStatus(self.admin.get("/members", {"org": org, "status": "full"}), 200)
        self.assertEqual([x["id"] for x in got["items"]], [full["id"]])
        got = self.assertStatus(self.admin.get("/members", {"org": org, "category": "retired"}), 200)
        self.assertEqual([x["id"] for x in got["items"]], [prob["id"]])
        got = self.assertStatus(self.admin.get("/members", {"org": org, "gender": "female"}), 200)
        self.assertEqual([x["id"] for x in got["items"]], [prob["id"]])
        got = self.assertStatus(self.admin.get("/members", {"org": org, "category": "student"}), 200)
        self.assertEqual(got["total"], 0)
        for k in ("status", "category", "gender"):
            self.assertError(self.admin.get("/members", {k: "bogus"}), 400, "invalid_parameter")
        # every demo member reported under a status filter has that status
        for s in ("full", "probationary"):
            for x in self.admin.all_items("/members", {"status": s}):
                self.assertEqual(x["status"], s)

    def test_the_org_filter_includes_the_subtree(self):
        m1, _ = self.create_member(self.b1)
        got = self.assertStatus(self.admin.get("/members", {"org": self.committee["id"], "per_page": 200}), 200)
        self.assertIn(m1["id"], [x["id"] for x in got["items"]])
        got = self.assertStatus(self.admin.get("/members", {"org": self.b2, "per_page": 200}), 200)
        self.assertNotIn(m1["id"], [x["id"] for x in got["items"]])
        self.assertError(self.admin.get("/members", {"org": 999999}), 404, "not_found")

    def test_paging_gives_totals_and_an_empty_page_past_the_end(self):
        total = self.member_count()
        self.assertGreaterEqual(total, 300)
        p1 = self.assertStatus(self.admin.get("/members", {"per_page": 7}), 200)
        self.assertEqual((p1["page"], p1["per_page"], p1["total"], len(p1["items"])), (1, 7, total, 7))
        p2 = self.assertStatus(self.admin.get("/members", {"per_page": 7, "page": 2}), 200)
        self.assertEqual(len(p2["items"]), 7)
        self.assertFalse({x["id"] for x in p1["items"]} & {x["id"] for x in p2["items"]})
        d = self.assertStatus(self.admin.get("/members"), 200)
        self.assertEqual((d["page"], d["per_page"], len(d["items"])), (1, 20, 20))
        last = (total + 199) // 200
        lp = self.assertStatus(self.admin.get("/members", {"per_page": 200, "page": last}), 200)
        self.assertEqual(len(lp["items"]), total - 200 * (last - 1))
        past = self.assertStatus(self.admin.get("/members", {"per_page": 200, "page": last + 1}), 200)
        self.assertEqual(past["items"], [])
        self.assertEqual(past["total"], total)
        far = self.assertStatus(self.admin.get("/members", {"page": 1000000}), 200)
        self.assertEqual(far["items"], [])
        self.assertEqual(far["page"], 1000000)
        # all pages together are every member exactly once
        seen = []
        for p in range(1, last + 1):
            seen += [x["id"] for x in self.assertStatus(self.admin.get("/members", {"per_page": 200, "page": p}),
                                                        200)["items"]]
        self.assertEqual(len(seen), total)
        self.assertEqual(len(set(seen)), total)

    def test_an_organisations_pages_match_the_general_listing(self):
        # org=<root> takes the one-statement path (page and total together); no org takes the general one.
        root = self.admin.user["org_id"]
        total = self.member_count()
        for params in ({"per_page": 7}, {"per_page": 7, "page": 3}, {"per_page": 200, "status": "probationary"}):
            a = self.assertStatus(self.admin.get("/members", dict(params, org=root)), 200)
            b = self.assertStatus(self.admin.get("/members", params), 200)
            self.assertEqual(a["total"], b["total"], params)
            self.assertEqual(a["items"], b["items"], params)
        self.assertEqual(self.member_count(org=root), total)
        full = self.member_count(org=root, status="full")
        self.assertEqual(full + self.member_count(org=root, status="probationary"), total)
        self.assertGreater(full, 0)
        # past the end: no rows, the total all the same
        past = self.assertStatus(self.admin.get("/members", {"org": root, "per_page": 200,
                                                               "page": total // 200 + 2}), 200)
        self.assertEqual((past["items"], past["total"]), ([], total))
        # an empty branch: total 0; a branch out of the secretary's reach: 404
        st, empty, _ = self.admin.post("/orgs", {"parent_id": self.committee["id"], "name": "空党支部",
                                                  "type": "branch", "field": "organ"})
        self.assertEqual(st, 201, empty)
        got = self.assertStatus(self.admin.get("/members", {"org": empty["id"]}), 200)
        self.assertEqual((got["items"], got["total"]), ([], 0))
        self.assertError(self.secretary.get("/members", {"org": self.b1}), 404, "not_found")
        # a member who leaves drops out of the organisation's page and its total at once
        m, _ = self.create_member(self.b2)
        before = self.assertStatus(self.admin.get("/members", {"org": self.b2, "per_page": 200}), 200)
        self.assertIn(m["id"], [x["id"] for x in before["items"]])
        self.assertStatus(self.admin.delete("/members/%d" % m["id"]), 204)
        after = self.assertStatus(self.admin.get("/members", {"org": self.b2, "per_page": 200}), 200)
        self.assertNotIn(m["id"], [x["id"] for x in after["items"]])
        self.assertEqual(after["total"], before["total"] - 1)

    def test_absurd_paging_parameters_answer_400_invalid_parameter(self):
        for params in ({"per_page": 201}, {"per_page": 0}, {"per_page": -1}, {"page": 0}, {"page": "abc"},
                       {"page": 1000001}, {"page": "1.5"}, {"page": "1e3"}, {"page": "99999999999999999999999"},
                       {"per_page": "20x"}, {"after": "-1"}, {"after": "x"}, {"org": "abc"}):
            with self.subTest(params=params):
                self.assertError(self.admin.get("/members", params), 400, "invalid_parameter")
        self.assertStatus(self.admin.get("/members", {"per_page": 200}), 200)
        self.assertStatus(self.admin.get("/members", {"per_page": 1}), 200)

    def keyset_walk(self, first_after):
        total = self.member_count()
        ids, after = [], first_after
        while True:
            params = {"per_page": 50, "after": after}
            if after:
                params["page"] = 3    # ignored with after
            body = self.assertStatus(self.admin.get("/members", params), 200)
            self.assertEqual(body["total"], total)
            if not body["items"]:
                break
            ids += [x["id"] for x in body["items"]]
            after = body["items"][-1]["id"]
            if len(ids) > total + 50:
                self.fail("keyset paging does not end")
        return total, ids

    def test_keyset_paging_with_after_walks_every_member_by_id(self):
        # member 1 exists in the demo data: the walk after it finds everyone else, in id order
        self.assertStatus(self.admin.get("/members/1"), 200)
        total, ids = self.keyset_walk(1)
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), len(ids))
        self.assertEqual(len(ids), total - 1)
        self.assertNotIn(1, ids)
        body = self.assertStatus(self.admin.get("/members", {"after": max(ids)}), 200)
        self.assertEqual(body["items"], [])

    def test_keyset_paging_can_start_at_the_beginning_with_after_0(self):
        # a keyset walk has to start somewhere: after=0 (no id is 0) is the first page in id order
        total, ids = self.keyset_walk(0)
        self.assertEqual(ids[:50], sorted(ids[:50]), "after=0 does not answer the first page in id order")
        self.assertEqual(len(ids), total)
        self.assertEqual(len(set(ids)), total)

    def test_patch_changes_only_the_fields_sent(self):
        m, body = self.create_member(self.b1, job="科员", work_unit="甲单位", remarks="原备注")
        before = self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
        got = self.assertStatus(self.admin.patch("/members/%d" % m["id"], {"job": "副科长"}), 200)
        self.assertEqual(got["job"], "副科长")
        after = self.assertStatus(self.admin.get("/members/%d" % m["id"], {"reveal": 1}), 200)
        for k in before:
            if k not in ("job", "updated_at"):
                self.assertEqual(after[k], before[k], k)
        self.assertIn("*", got["id_card"])
        # status change to probationary needs full_member_on removed; the history records status changes
        got = self.assertStatus(self.admin.patch("/members/%d" % m["id"],
                                                 {"status": "probationary", "full_member_on": None}), 200)
        self.assertEqual(got["status"], "probationary")
        self.assertIsNone(got["full_member_on"])
        hist = self.assertStatus(self.admin.get("/members/%d/history" % m["id"]), 200)["items"]
        self.assertIn("status", [h["action"] for h in hist])
        rows = self.assertStatus(self.admin.get("/audit", {"action": "member.update", "entity_id": m["id"]}), 200)
        self.assertEqual(len(rows["items"]), 2)
        self.assertEqual(rows["items"][-1]["before"]["job"], "科员")
        self.assertEqual(rows["items"][-1]["after"]["job"], "副科长")
        # the audit row keeps numbers masked
        self.assertIn("*", rows["items"][-1]["after"]["id_card"])

    def test_a_secretary_edits_a_member_of_their_branch(self):
        m, _ = self.create_member(self.sec_org)
        got = self.assertStatus(self.secretary.patch("/members/%d" % m["id"], {"native_place": "湖南长沙"}), 200)
        self.assertEqual(got["native_place"], "湖南长沙")

    def test_patching_org_id_moves_the_member_and_records_it(self):
        m, _ = self.create_member(self.b1)
        got = self.assertStatus(self.admin.patch("/members/%d" % m["id"], {"org_id": self.b2}), 200)
        self.assertEqual(got["org_id"], self.b2)
        self.assertEqual(got["org_name"], "党员测试第二党支部")
        hist = self.assertStatus(self.admin.get("/members/%d/history" % m["id"]), 200)["items"]
        moved = [h for h in hist if h["action"] == "moved"]
        self.assertEqual(len(moved), 1, hist)
        self.assertEqual(moved[0]["from_org"], "党员测试第一党支部")
        self.assertEqual(moved[0]["to_org"], "党员测试第二党支部")
        self.assertEqual(moved[0]["actor"], "admin")
        rows = self.assertStatus(self.admin.get("/audit", {"action": "member.move", "entity_id": m["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)
        ids1 = [x["id"] for x in self.admin.all_items("/members", {"org": self.b1})]
        ids2 = [x["id"] for x in self.admin.all_items("/members", {"org": self.b2})]
        self.assertNotIn(m["id"], ids1)
        self.assertIn(m["id"], ids2)
        self.assertError(self.admin.patch("/members/%d" % m["id"], {"org_id": 999999}), 422, field="org_id",
                         message="所在党组织不存在")

    def test_delete_by_an_admin_answers_204(self):
        m, _ = self.create_member(self.b1)
        n = self.member_count()
        st, body, _ = self.admin.delete("/members/%d" % m["id"])
        self.assertEqual(st, 204, body)
        self.assertError(self.admin.get("/members/%d" % m["id"]), 404, "not_found")
        self.assertEqual(self.member_count(), n - 1)
        rows = self.assertStatus(self.admin.get("/audit", {"action": "member.delete", "entity_id": m["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)
        self.assertError(self.admin.delete("/members/%d" % m["id"]), 404, "not_found")

    def test_delete_by_a_secretary_answers_403(self):
        m, _ = self.create_member(self.sec_org)
        self.assertError(self.secretary.delete("/members/%d" % m["id"]), 403, "forbidden")
        self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)

    def test_the_list_is_ordered_by_organisation_then_name(self):
        items = self.admin.all_items("/members", {"org": self.committee["id"]})
        st, body, _ = self.admin.get("/members", {"org": self.committee["id"], "per_page": 200})
        listed = body["items"]
        by_org = {}
        for x in listed:
            by_org.setdefault(x["org_id"], []).append(x["name"])
        # organisations come in runs
        runs = [x["org_id"] for i, x in enumerate(listed) if i == 0 or listed[i - 1]["org_id"] != x["org_id"]]
        self.assertEqual(len(runs), len(set(runs)), runs)
        self.assertEqual(len(items), body["total"])


if __name__ == "__main__":
    unittest.main()
