"""t0200: the organisation tree: create, nesting rules, names, move, delete, committee, warnings."""

import itertools
import unittest

from harness import ServerTest

_n = itertools.count(1)


def path_ids(path):
    """The ids along a materialised path ('/1/5/12/', whatever the padding)."""
    return [int(x) for x in path.strip("/").split("/")]


class T0200Orgs(ServerTest):

    def create(self, parent_id, type_, name=None, field="organ", expect=201, **extra):
        body = {"parent_id": parent_id, "name": name or "测试组织%d" % next(_n), "type": type_, "field": field}
        body.update(extra)
        st, got, _ = self.admin.post("/orgs", body)
        self.assertEqual(st, expect, got)
        return got

    def committee(self):
        return self.create(1, "party_committee")

    def test_an_admin_creates_a_branch_under_a_committee(self):
        c = self.committee()
        self.assertEqual(c["parent_id"], 1)
        self.assertEqual(path_ids(c["path"]), [1, c["id"]])
        b = self.create(c["id"], "branch", name="测试第一党支部", elected_on="2025-03-01", term_years=3,
                        remarks="备注", sort_order=2)
        self.assertEqual(b["parent_id"], c["id"])
        self.assertEqual(b["type"], "branch")
        self.assertEqual(b["type_label"], "党支部")
        self.assertEqual(b["field"], "organ")
        self.assertEqual(path_ids(b["path"]), [1, c["id"], b["id"]])
        self.assertTrue(b["path"].startswith(c["path"]))
        self.assertEqual(b["elected_on"], "2025-03-01")
        self.assertEqual(b["term_years"], 3)
        self.assertEqual(b["term_due_on"], "2028-03-01")
        self.assertEqual(b["remarks"], "备注")
        self.assertEqual(b["sort_order"], 2)
        self.assertEqual(b["member_count"], 0)
        self.assertEqual(b["committee"], [])
        for k in ("secretary_id", "secretary_name", "full_count", "probationary_count",
                  "subtree_member_count", "children_count", "warnings", "field_label"):
            self.assertIn(k, b)
        got = self.assertStatus(self.admin.get("/orgs/%d" % b["id"]), 200)
        self.assertEqual(got["name"], "测试第一党支部")
        kids = self.assertStatus(self.admin.get("/orgs/%d/children" % c["id"]), 200)
        self.assertEqual([o["id"] for o in kids["items"]], [b["id"]])
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % c["id"]), 200)["children_count"], 1)
        # the list has parents before children
        ids = [o["id"] for o in self.orgs()]
        self.assertLess(ids.index(c["id"]), ids.index(b["id"]))

    def test_a_party_group_may_sit_only_under_a_branch(self):
        c = self.committee()
        b = self.create(c["id"], "branch")
        g = self.create(b["id"], "party_group")
        self.assertEqual(g["parent_id"], b["id"])
        n = len(self.orgs())
        self.assertError(self.admin.post("/orgs", {"parent_id": c["id"], "name": "错位党小组", "type": "party_group",
                                                   "field": "organ"}), 422, "validation_failed", field="parent_id")
        self.assertError(self.admin.post("/orgs", {"parent_id": g["id"], "name": "党小组下的党小组",
                                                   "type": "party_group", "field": "organ"}),
                         422, "validation_failed", field="parent_id")
        self.assertError(self.admin.post("/orgs", {"parent_id": g["id"], "name": "党小组下的支部",
                                                   "type": "branch", "field": "organ"}),
                         422, "validation_failed", field="parent_id")
        self.assertEqual(len(self.orgs()), n)

    def test_creating_an_organisation_checks_its_fields(self):
        n = len(self.orgs())
        bad = [
            ({"parent_id": 1, "name": "", "type": "branch", "field": "organ"}, "name"),
            ({"parent_id": 1, "name": "无类型", "field": "organ"}, "type"),
            ({"parent_id": 1, "name": "类型错", "type": "club", "field": "organ"}, "type"),
            ({"parent_id": 1, "name": "领域错", "type": "branch", "field": "space"}, "field"),
            ({"parent_id": 1, "name": "届期错", "type": "branch", "field": "organ", "term_years": 9}, "term_years"),
            ({"parent_id": 1, "name": "日期错", "type": "branch", "field": "organ", "elected_on": "2025-02-30"},
             "elected_on"),
            ({"parent_id": 1, "name": "未来换届", "type": "branch", "field": "organ", "elected_on": "2999-01-01"},
             "elected_on"),
            ({"parent_id": 999999, "name": "无上级", "type": "branch", "field": "organ"}, "parent_id"),
            ({"parent_id": "1", "name": "上级类型错", "type": "branch", "field": "organ"}, "parent_id"),
            ({"name": "缺上级", "type": "branch", "field": "organ"}, "parent_id"),
        ]
        for body, field in bad:
            with self.subTest(field=field, body=body):
                self.assertError(self.admin.post("/orgs", body), 422, "validation_failed", field=field)
        self.assertError(self.admin.post("/orgs", {"parent_id": 1, "name": "x", "type": "branch", "field": "organ",
                                                   "colour": "red"}), 400, "unknown_field")
        self.assertEqual(len(self.orgs()), n)

    def test_a_duplicate_sibling_name_answers_409_conflict(self):
        c = self.committee()
        self.create(c["id"], "branch", name="同名党支部")
        n = len(self.orgs())
        self.assertError(self.admin.post("/orgs", {"parent_id": c["id"], "name": "同名党支部", "type": "branch",
                                                   "field": "organ"}), 409, "conflict")
        # full-width spaces around the name are normalised away, so this is the same name
        self.assertError(self.admin.post("/orgs", {"parent_id": c["id"], "name": "\u3000同名党支部 ", "type": "branch",
                                                   "field": "organ"}), 409, "conflict")
        self.assertEqual(len(self.orgs()), n)
        # the same name under another parent is fine
        c2 = self.committee()
        self.create(c2["id"], "branch", name="同名党支部")
        # renaming onto a sibling's name conflicts too
        other = self.create(c["id"], "branch", name="另一党支部")
        self.assertError(self.admin.patch("/orgs/%d" % other["id"], {"name": "同名党支部"}), 409, "conflict")
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % other["id"]), 200)["name"], "另一党支部")

    def test_moving_a_branch_moves_its_subtree(self):
        c1, c2 = self.committee(), self.committee()
        b = self.create(c1["id"], "branch")
        g = self.create(b["id"], "party_group")
        m, _ = self.create_member(b["id"])
        moved = self.assertStatus(self.admin.patch("/orgs/%d" % b["id"], {"parent_id": c2["id"]}), 200)
        self.assertEqual(moved["parent_id"], c2["id"])
        self.assertEqual(path_ids(moved["path"]), [1, c2["id"], b["id"]])
        g2 = self.assertStatus(self.admin.get("/orgs/%d" % g["id"]), 200)
        self.assertEqual(path_ids(g2["path"]), [1, c2["id"], b["id"], g["id"]])
        kids1 = self.assertStatus(self.admin.get("/orgs/%d/children" % c1["id"]), 200)["items"]
        kids2 = self.assertStatus(self.admin.get("/orgs/%d/children" % c2["id"]), 200)["items"]
        self.assertEqual(kids1, [])
        self.assertEqual([o["id"] for o in kids2], [b["id"]])
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % c1["id"]), 200)["subtree_member_count"], 0)
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % c2["id"]), 200)["subtree_member_count"], 1)
        # the member moved with it: listing the new committee's subtree finds them
        lst = self.assertStatus(self.admin.get("/members", {"org": c2["id"]}), 200)
        self.assertEqual([x["id"] for x in lst["items"]], [m["id"]])
        self.assertEqual(self.assertStatus(self.admin.get("/members", {"org": c1["id"]}), 200)["total"], 0)
        rows = self.assertStatus(self.admin.get("/audit", {"action": "org.move", "entity_id": b["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)

    def test_moving_an_organisation_under_itself_or_a_descendant_answers_409_org_cycle(self):
        # committees may nest, so only the cycle is wrong here
        c = self.committee()
        c2 = self.create(c["id"], "party_committee")
        c3 = self.create(c2["id"], "party_committee")
        before = [self.assertStatus(self.admin.get("/orgs/%d" % x["id"]), 200) for x in (c, c2, c3)]
        n_audit = self.audit_count()
        self.assertError(self.admin.patch("/orgs/%d" % c["id"], {"parent_id": c3["id"]}), 409, "org_cycle")
        self.assertError(self.admin.patch("/orgs/%d" % c["id"], {"parent_id": c2["id"]}), 409, "org_cycle")
        self.assertError(self.admin.patch("/orgs/%d" % c2["id"], {"parent_id": c2["id"]}), 409, "org_cycle")
        self.assertEqual([self.assertStatus(self.admin.get("/orgs/%d" % x["id"]), 200) for x in (c, c2, c3)], before)
        self.assertEqual(self.audit_count(), n_audit)
        # moving the grandchild up is fine
        got = self.assertStatus(self.admin.patch("/orgs/%d" % c3["id"], {"parent_id": c["id"]}), 200)
        self.assertEqual(path_ids(got["path"]), [1, c["id"], c3["id"]])

    def test_patch_changes_only_the_fields_sent(self):
        c = self.committee()
        b = self.create(c["id"], "branch", remarks="原备注", sort_order=5, elected_on="2024-05-01")
        got = self.assertStatus(self.admin.patch("/orgs/%d" % b["id"], {"remarks": "新备注"}), 200)
        self.assertEqual(got["remarks"], "新备注")
        for k in ("name", "type", "field", "elected_on", "sort_order", "parent_id", "path"):
            self.assertEqual(got[k], b[k], k)
        self.assertError(self.admin.patch("/orgs/%d" % b["id"], {"type": "party_group"}), 422, field="type")
        self.assertError(self.admin.patch("/orgs/%d" % b["id"], {"sort_order": "x"}), 422, field="sort_order")
        self.assertError(self.admin.patch("/orgs/%d" % b["id"], {"nope": 1}), 400, "unknown_field")
        self.assertError(self.admin.patch("/orgs/999999", {"remarks": "x"}), 404, "not_found")

    def test_deleting_an_organisation_with_members_or_children_answers_409_org_not_empty(self):
        c = self.committee()
        b = self.create(c["id"], "branch")
        self.assertError(self.admin.delete("/orgs/%d" % c["id"]), 409, "org_not_empty")
        m, _ = self.create_member(b["id"])
        self.assertError(self.admin.delete("/orgs/%d" % b["id"]), 409, "org_not_empty")
        self.assertStatus(self.admin.get("/orgs/%d" % b["id"]), 200)
        self.assertStatus(self.admin.get("/orgs/%d" % c["id"]), 200)
        # empty it, then both go
        self.assertEqual(self.admin.delete("/members/%d" % m["id"])[0], 204)
        st, body, _ = self.admin.delete("/orgs/%d" % b["id"])
        self.assertEqual(st, 204, body)
        self.assertEqual(body, b"")
        self.assertError(self.admin.get("/orgs/%d" % b["id"]), 404, "not_found")
        self.assertEqual(self.admin.delete("/orgs/%d" % c["id"])[0], 204)
        self.assertError(self.admin.delete("/orgs/%d" % c["id"]), 404, "not_found")

    def test_a_demo_organisation_with_members_cannot_be_deleted(self):
        self.assertError(self.admin.delete("/orgs/2"), 409, "org_not_empty")

    def test_the_committee_takes_at_most_one_secretary(self):
        c = self.committee()
        b = self.create(c["id"], "branch")
        ms = [self.create_member(b["id"])[0] for _ in range(3)]
        self.assertError(self.admin.put("/orgs/%d/committee" % b["id"], {"members": [
            {"member_id": ms[0]["id"], "role": "secretary"}, {"member_id": ms[1]["id"], "role": "secretary"}]}),
            422, "validation_failed", field="members")
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % b["id"]), 200)["committee"], [])
        got = self.assertStatus(self.admin.put("/orgs/%d/committee" % b["id"], {"members": [
            {"member_id": ms[0]["id"], "role": "secretary"}, {"member_id": ms[1]["id"], "role": "deputy_secretary"}]}),
            200)
        self.assertEqual(got["secretary_id"], ms[0]["id"])
        self.assertEqual(got["secretary_name"], ms[0]["name"])
        self.assertEqual([(x["member_id"], x["role"]) for x in got["committee"]],
                         [(ms[0]["id"], "secretary"), (ms[1]["id"], "deputy_secretary")])
        for x in got["committee"]:
            self.assertTrue(x["role_label"])
            self.assertTrue(x["name"])
        self.assertError(self.admin.put("/orgs/%d/committee" % b["id"], {"members": [
            {"member_id": ms[2]["id"], "role": "chairman"}]}), 422, "validation_failed")
        self.assertError(self.admin.put("/orgs/%d/committee" % b["id"], {"members": [
            {"member_id": ms[2]["id"], "role": "member"}, {"member_id": ms[2]["id"], "role": "member"}]}), 422)
        self.assertError(self.admin.put("/orgs/%d/committee" % b["id"], {"members": "x"}), 422, field="members")
        self.assertError(self.admin.put("/orgs/%d/committee" % b["id"], {"members": [
            {"member_id": ms[2]["id"], "role": "member", "extra": 1}]}), 400, "unknown_field")
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % b["id"]), 200)["committee"],
                         got["committee"])

    def test_a_committee_member_from_another_organisation_answers_422(self):
        c = self.committee()
        b1 = self.create(c["id"], "branch")
        b2 = self.create(c["id"], "branch")
        m1, _ = self.create_member(b1["id"])
        m2, _ = self.create_member(b2["id"])
        self.assertError(self.admin.put("/orgs/%d/committee" % b1["id"], {"members": [
            {"member_id": m1["id"], "role": "secretary"}, {"member_id": m2["id"], "role": "member"}]}),
            422, "validation_failed", field="members")
        self.assertError(self.admin.put("/orgs/%d/committee" % b1["id"], {"members": [
            {"member_id": 999999, "role": "member"}]}), 422, "validation_failed", field="members")
        self.assertEqual(self.assertStatus(self.admin.get("/orgs/%d" % b1["id"]), 200)["committee"], [])

    def test_a_committee_of_more_than_seven_answers_422(self):
        c = self.committee()
        b = self.create(c["id"], "branch")
        ms = [self.create_member(b["id"])[0] for _ in range(8)]
        self.assertError(self.admin.put("/orgs/%d/committee" % b["id"], {"members": [
            {"member_id": m["id"], "role": "member"} for m in ms]}), 422, "validation_failed", field="members")

    def test_a_branch_with_fewer_than_three_full_members_has_the_org01_warning(self):
        c = self.committee()
        b = self.create(c["id"], "branch")
        codes = [w["code"] for w in b["warnings"]]
        self.assertIn("ORG-01", codes)
        for _ in range(3):
            self.create_member(b["id"])
        got = self.assertStatus(self.admin.get("/orgs/%d" % b["id"]), 200)
        self.assertEqual(got["full_count"], 3)
        self.assertNotIn("ORG-01", [w["code"] for w in got["warnings"]])
        for w in got["warnings"]:
            self.assertTrue(w["message"])
        # the demo tree has small branches flagged in the list as well
        flagged = [o for o in self.orgs() if any(w["code"] == "ORG-01" for w in o["warnings"])]
        self.assertTrue(flagged)
        for o in flagged:
            self.assertLess(o["full_count"], 3)

    def test_creating_an_organisation_writes_an_audit_row(self):
        b = self.create(1, "branch", name="审计测试党支部")
        rows = self.assertStatus(self.admin.get("/audit", {"action": "org.create", "entity_id": b["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)
        self.assertEqual(rows["items"][0]["after"]["name"], "审计测试党支部")
        self.assertEqual(rows["items"][0]["actor"], "admin")


if __name__ == "__main__":
    unittest.main()
