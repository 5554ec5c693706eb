"""t0800: user accounts: password policy, roles, scope, disabling."""

import itertools
import unittest

from harness import ServerTest

_n = itertools.count(1)


class T0800Users(ServerTest):

    def user_body(self, **over):
        b = {"username": "user%d" % next(_n), "display_name": "测试用户", "password": "Good@2026x",
             "role": "org_admin", "org_id": 1}
        b.update(over)
        return b

    def user_count(self):
        return self.assertStatus(self.admin.get("/users", {"per_page": 1}), 200)["total"]

    def test_an_admin_creates_an_org_admin_who_can_log_in(self):
        body = self.user_body(org_id=101)
        st, u, _ = self.admin.post("/users", body)
        self.assertEqual(st, 201, u)
        self.assertEqual((u["username"], u["role"], u["org_id"], u["disabled"]), (body["username"], "org_admin", 101, False))
        self.assertNotIn("password", u)
        self.assertNotIn("password_hash", u)
        for k in ("id", "display_name", "org_name", "member_id", "permissions", "locked_until", "created_at"):
            self.assertIn(k, u)
        c = self.server.client(body["username"], "Good@2026x")
        self.assertEqual(c.user["role"], "org_admin")
        # the org_admin works in their subtree only
        self.assertEqual(self.orgs(c)[0]["id"], 101)
        self.assertError(c.get("/orgs/2"), 404, "not_found")
        self.assertStatus(c.post("/orgs", {"parent_id": 101, "name": "新设党支部", "type": "branch", "field": "organ"}), 201)
        rows = self.assertStatus(self.admin.get("/audit", {"action": "user.create", "entity_id": u["id"]}), 200)
        self.assertEqual(len(rows["items"]), 1)
        self.assertNotIn("Good@2026x", str(rows))
        got = self.assertStatus(self.admin.get("/users/%d" % u["id"]), 200)
        self.assertEqual(got["username"], body["username"])
        lst = self.admin.all_items("/users")
        self.assertIn(u["id"], [x["id"] for x in lst])

    def test_the_password_policy_is_enforced(self):
        n = self.user_count()
        for pw in ("short", "Sh0rt!", "password", "passwordpassword", "PASSWORD123", "12345678", "abcdefgh1"):
            with self.subTest(pw=pw):
                self.assertError(self.admin.post("/users", self.user_body(password=pw)), 422, "validation_failed",
                                 field="password")
        self.assertError(self.admin.post("/users", self.user_body(password=None)), 422, field="password")
        self.assertEqual(self.user_count(), n)
        # three classes of eight characters pass
        for pw in ("abcdEFG1", "abcdefg!1", "ABCDEFG!1"):
            with self.subTest(pw=pw):
                self.assertStatus(self.admin.post("/users", self.user_body(password=pw)), 201)

    def test_bad_user_fields_are_refused(self):
        n = self.user_count()
        for body, field in ((self.user_body(username="ab"), "username"), (self.user_body(username="有中文"), "username"),
                            (self.user_body(username="a b c"), "username"), (self.user_body(role="king"), "role"),
                            (self.user_body(org_id=999999), "org_id"), (self.user_body(display_name=""), "display_name"),
                            (self.user_body(role="member"), "member_id"), (self.user_body(member_id=999999), "member_id")):
            with self.subTest(body=body):
                self.assertError(self.admin.post("/users", body), 422, "validation_failed", field=field)
        self.assertError(self.admin.post("/users", dict(self.user_body(), superuser=True)), 400, "unknown_field")
        self.assertEqual(self.user_count(), n)

    def test_a_duplicate_username_answers_409(self):
        body = self.user_body()
        self.assertStatus(self.admin.post("/users", body), 201)
        n = self.user_count()
        self.assertError(self.admin.post("/users", dict(body, display_name="另一个")), 409)
        self.assertEqual(self.user_count(), n)

    def test_an_org_admin_cannot_create_an_admin(self):
        body = self.user_body(org_id=101)
        self.assertStatus(self.admin.post("/users", body), 201)
        c = self.server.client(body["username"], "Good@2026x")
        n = self.user_count()
        self.assertError(c.post("/users", self.user_body(role="admin", org_id=101)), 422, "validation_failed", field="role")
        self.assertEqual(self.user_count(), n)
        # nor promote anyone to admin, nor touch an admin
        st, sub, _ = c.post("/users", self.user_body(role="secretary", org_id=102))
        self.assertEqual(st, 201, sub)
        self.assertError(c.patch("/users/%d" % sub["id"], {"role": "admin"}), 422, field="role")
        self.assertEqual(self.assertStatus(self.admin.get("/users/%d" % sub["id"]), 200)["role"], "secretary")
        self.assertError(c.patch("/users/1", {"display_name": "x"}), 404)
        # nor create users outside their subtree
        self.assertError(c.post("/users", self.user_body(role="secretary", org_id=2)), 422, field="org_id")
        # nor change their own role
        self.assertError(c.patch("/users/%d" % c.user["id"], {"role": "secretary"}), 403, "forbidden")

    def test_disabling_a_user_ends_their_session_and_login(self):
        body = self.user_body(role="secretary", org_id=2)
        st, u, _ = self.admin.post("/users", body)
        self.assertEqual(st, 201, u)
        c = self.server.client(body["username"], "Good@2026x")
        self.assertStatus(c.get("/members", {"per_page": 1}), 200)
        got = self.assertStatus(self.admin.patch("/users/%d" % u["id"], {"disabled": True}), 200)
        self.assertTrue(got["disabled"])
        self.assertError(c.get("/members", {"per_page": 1}), 401, "unauthorized")
        st, resp, _ = self.server.client().login(body["username"], "Good@2026x", expect=None)
        self.assertIn(st, (401, 403), resp)
        self.assertIsNone(self.server.client().cookie_value())
        # enabled again, they can log in
        self.assertStatus(self.admin.patch("/users/%d" % u["id"], {"disabled": False}), 200)
        self.server.client(body["username"], "Good@2026x")

    def test_a_password_reset_ends_existing_sessions(self):
        body = self.user_body()
        st, u, _ = self.admin.post("/users", body)
        c = self.server.client(body["username"], "Good@2026x")
        self.assertError(self.admin.patch("/users/%d" % u["id"], {"password": "weak"}), 422, field="password")
        self.assertStatus(c.get("/session"), 200)
        self.assertStatus(self.admin.patch("/users/%d" % u["id"], {"password": "Reset@2026y"}), 200)
        self.assertError(c.get("/session"), 401, "unauthorized")
        self.server.client(body["username"], "Reset@2026y")

    def test_an_admin_cannot_disable_themselves(self):
        self.assertError(self.admin.patch("/users/%d" % self.admin.user["id"], {"disabled": True}), 403, "forbidden")
        self.assertStatus(self.admin.get("/session"), 200)

    def test_a_member_user_reads_only_their_own_record(self):
        st, lst, _ = self.admin.get("/members", {"org": 2, "per_page": 2})
        own, other = lst["items"][0], lst["items"][1]
        body = self.user_body(role="member", org_id=2, member_id=own["id"])
        self.assertStatus(self.admin.post("/users", body), 201)
        c = self.server.client(body["username"], "Good@2026x")
        got = self.assertStatus(c.get("/members/%d" % own["id"]), 200)
        self.assertEqual(got["name"], own["name"])
        self.assertIn("*", got["id_card"])
        self.assertError(c.get("/members/%d" % other["id"]), 404, "not_found")
        self.assertError(c.get("/members"), 403, "forbidden")
        self.assertError(c.get("/members/%d" % own["id"], {"reveal": 1}), 403, "forbidden")
        self.assertError(c.patch("/members/%d" % own["id"], {"job": "x"}), 403, "forbidden")
        self.assertStatus(c.get("/meta"), 200)

    def test_the_meta_code_lists_are_there(self):
        meta = self.assertStatus(self.admin.get("/meta"), 200)
        for k in ("ethnicity", "education", "gender", "category", "status", "org_type", "org_field",
                  "committee_role", "user_role"):
            self.assertTrue(meta[k], k)
        self.assertIn({"code": "01", "name": "汉族"}, meta["ethnicity"])
        self.assertIn("21", [e["code"] for e in meta["education"]])
        self.assertIn({"value": "male", "label": "男"}, meta["gender"])
        self.assertEqual(len(meta["ethnicity"]), 56)


if __name__ == "__main__":
    unittest.main()
