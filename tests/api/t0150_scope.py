"""t0150: scope and roles: a secretary sees only their branch subtree, an auditor only the audit trail."""

import unittest

from harness import ServerTest


class T0150Scope(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        sec = cls.as_user("secretary")
        cls.sec_org = sec.user["org_id"]
        st, body, _ = admin.get("/orgs/%d" % cls.sec_org)
        cls.sec_path = body["path"]
        st, body, _ = admin.get("/orgs")
        cls.all_orgs = body["items"]
        cls.inside_ids = {o["id"] for o in cls.all_orgs if o["path"].startswith(cls.sec_path)}
        cls.outside = [o for o in cls.all_orgs if not o["path"].startswith(cls.sec_path)]
        # an outside organisation with members, and one of its members
        cls.outside_org = next(o for o in cls.outside if o["member_count"] > 0 and o["id"] != 1)
        st, body, _ = admin.get("/members", {"org": cls.outside_org["id"], "per_page": 1})
        cls.outside_member = body["items"][0]

    def test_the_secretary_sees_only_their_branch_subtree_of_organisations(self):
        items = self.orgs(self.secretary)
        ids = {o["id"] for o in items}
        self.assertEqual(ids, self.inside_ids)
        self.assertEqual(items[0]["id"], self.sec_org)
        self.assertGreater(len(self.all_orgs), len(items))
        for o in items:
            self.assertTrue(o["path"].startswith(self.sec_path), o)

    def test_the_secretary_lists_only_members_of_their_subtree(self):
        items = self.secretary.all_items("/members")
        org_ids = {m["org_id"] for m in items}
        self.assertTrue(items)
        self.assertTrue(org_ids <= self.inside_ids, org_ids - self.inside_ids)
        st, body, _ = self.secretary.get("/members", {"per_page": 1})
        self.assertEqual(body["total"], len(items))
        sec_org = self.assertStatus(self.admin.get("/orgs/%d" % self.sec_org), 200)
        self.assertEqual(body["total"], sec_org["subtree_member_count"])

    def test_an_organisation_outside_the_subtree_answers_404(self):
        for o in (self.outside_org, self.outside[0]):
            self.assertError(self.secretary.get("/orgs/%d" % o["id"]), 404, "not_found")
            self.assertError(self.secretary.get("/orgs/%d/children" % o["id"]), 404, "not_found")
        # a missing organisation answers the same
        self.assertError(self.secretary.get("/orgs/999999"), 404, "not_found")

    def test_a_member_outside_the_subtree_answers_404(self):
        mid = self.outside_member["id"]
        self.assertError(self.secretary.get("/members/%d" % mid), 404, "not_found")
        self.assertError(self.secretary.get("/members/%d/history" % mid), 404, "not_found")
        self.assertError(self.secretary.get("/members/999999"), 404, "not_found")

    def test_listing_members_of_an_outside_organisation_answers_404(self):
        self.assertError(self.secretary.get("/members", {"org": self.outside_org["id"]}), 404, "not_found")
        self.assertError(self.secretary.get("/members", {"org": 1}), 404, "not_found")
        self.assertError(self.secretary.get("/members/export", {"org": self.outside_org["id"]}), 404)

    def test_patching_an_outside_member_answers_404_and_changes_nothing(self):
        mid = self.outside_member["id"]
        before = self.assertStatus(self.admin.get("/members/%d" % mid), 200)
        n_audit = self.audit_count()
        self.assertError(self.secretary.patch("/members/%d" % mid, {"job": "被越权修改"}), 404, "not_found")
        self.assertError(self.secretary.patch("/members/%d" % mid, {"org_id": self.sec_org}), 404, "not_found")
        self.assertEqual(self.assertStatus(self.admin.get("/members/%d" % mid), 200), before)
        self.assertEqual(self.audit_count(), n_audit)

    def test_the_secretary_cannot_move_a_member_out_of_their_subtree(self):
        st, body, _ = self.secretary.get("/members", {"per_page": 1})
        m = body["items"][0]
        self.assertError(self.secretary.patch("/members/%d" % m["id"], {"org_id": self.outside_org["id"]}),
                         422, "validation_failed", field="org_id")
        self.assertEqual(self.assertStatus(self.admin.get("/members/%d" % m["id"]), 200)["org_id"], m["org_id"])

    def test_the_secretary_cannot_create_a_member_outside_their_subtree(self):
        from harness import member_payload
        n = self.member_count()
        self.assertError(self.secretary.post("/members", member_payload(self.outside_org["id"])),
                         422, "validation_failed", field="org_id")
        self.assertEqual(self.member_count(), n)

    def test_the_secretary_can_read_but_not_write_organisations(self):
        self.assertStatus(self.secretary.get("/orgs/%d" % self.sec_org), 200)
        self.assertError(self.secretary.post("/orgs", {"parent_id": self.sec_org, "name": "越权党小组",
                                                       "type": "party_group", "field": "organ"}), 403, "forbidden")
        self.assertError(self.secretary.patch("/orgs/%d" % self.sec_org, {"remarks": "x"}), 403, "forbidden")
        self.assertError(self.secretary.delete("/orgs/%d" % self.sec_org), 403, "forbidden")

    def test_the_secretary_may_not_manage_users_or_read_the_audit_trail(self):
        self.assertError(self.secretary.get("/users"), 403, "forbidden")
        self.assertError(self.secretary.get("/audit"), 403, "forbidden")
        self.assertError(self.secretary.post("/members/import", raw=b"x"), 403, "forbidden")

    def test_the_auditor_reads_the_audit_trail(self):
        body = self.assertStatus(self.auditor.get("/audit"), 200)
        self.assertIn("items", body)
        self.assertGreater(body["total"], 0)
        row = body["items"][0]
        for k in ("id", "at", "actor_id", "actor", "action", "entity", "entity_id", "before", "after", "hash"):
            self.assertIn(k, row)
        v = self.assertStatus(self.auditor.get("/audit/verify"), 200)
        self.assertTrue(v["ok"], v)

    def test_the_auditor_may_not_read_members_or_organisations(self):
        self.assertError(self.auditor.get("/members"), 403, "forbidden")
        self.assertError(self.auditor.get("/members/%d" % self.outside_member["id"]), 403, "forbidden")
        self.assertError(self.auditor.get("/orgs"), 403, "forbidden")
        self.assertError(self.auditor.get("/users"), 403, "forbidden")
        self.assertError(self.auditor.get("/members/export"), 403, "forbidden")
        self.assertError(self.auditor.post("/members", {"name": "x"}), 403, "forbidden")

    def test_the_admin_sees_the_whole_tree(self):
        self.assertEqual(self.all_orgs[0]["id"], 1)
        self.assertEqual(self.member_count(), 300)
        self.assertStatus(self.admin.get("/orgs/%d" % self.outside_org["id"]), 200)


if __name__ == "__main__":
    unittest.main()
