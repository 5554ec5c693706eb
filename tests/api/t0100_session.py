"""t0100: sessions: login, lockout, CSRF, logout, idle expiry, own password."""

import unittest

from harness import ServerTest, DEMO_PASSWORD


class T0100Session(ServerTest):

    def new_user(self, username, role="org_admin", org_id=1, password="Lock@2026x"):
        st, body, _ = self.admin.post("/users", {"username": username, "display_name": "测试" + username,
                                                 "password": password, "role": role, "org_id": org_id})
        self.assertEqual(st, 201, body)
        return body

    def test_health_answers_without_a_session(self):
        c = self.server.client()
        body = self.assertStatus(c.get("/health"), 200)
        self.assertEqual(body, {"status": "ok"})

    def test_api_without_a_session_answers_401_unauthorized(self):
        c = self.server.client()
        for path in ("/session", "/orgs", "/members", "/meta", "/audit", "/users", "/orgs/1", "/members/1"):
            self.assertError(c.get(path), 401, "unauthorized")
        self.assertError(c.post("/members", {"name": "x"}), 401, "unauthorized")

    def test_login_with_the_right_password_sets_an_httponly_strict_cookie(self):
        c = self.server.client()
        st, body, hdrs = c.login("admin")
        self.assertEqual(body["user"]["username"], "admin")
        self.assertEqual(body["user"]["role"], "admin")
        self.assertEqual(body["user"]["org_id"], 1)
        for k in ("id", "display_name", "org_name", "member_id", "permissions"):
            self.assertIn(k, body["user"])
        self.assertIn("member_read", body["user"]["permissions"])
        self.assertTrue(body["csrf_token"])
        cookie = hdrs.get("Set-Cookie")
        self.assertIsNotNone(cookie)
        self.assertTrue(cookie.startswith("dj_session="), cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertIn("Path=/", cookie)
        # GET /session tells who is logged in and gives the same CSRF token
        cur = self.assertStatus(c.get("/session"), 200)
        self.assertEqual(cur["user"]["username"], "admin")
        self.assertEqual(cur["csrf_token"], body["csrf_token"])

    def test_login_with_a_wrong_password_answers_401_login_failed(self):
        self.new_user("wrongpw")
        c = self.server.client()
        st, body, hdrs = c.login("wrongpw", "Nope@2026x", expect=None)
        self.assertError((st, body, hdrs), 401, "login_failed")
        self.assertIsNone(hdrs.get("Set-Cookie"))
        self.assertError(c.get("/orgs"), 401, "unauthorized")

    def test_login_of_an_unknown_user_answers_401_login_failed(self):
        c = self.server.client()
        self.assertError(c.login("nobody_here", DEMO_PASSWORD, expect=None), 401, "login_failed")

    def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(self):
        u = self.new_user("locktest")
        c = self.server.client()
        for i in range(4):
            self.assertError(c.login("locktest", "Wrong@2026-%d" % i, expect=None), 401, "login_failed")
        self.assertError(c.login("locktest", "Wrong@2026-5", expect=None), 429, "account_locked")
        self.assertError(c.login("locktest", "Lock@2026x", expect=None), 429, "account_locked")
        self.assertIsNone(c.cookie_value())
        st, rows, _ = self.admin.get("/audit", {"action": "user.lock", "entity": "user", "entity_id": u["id"]})
        self.assertEqual(st, 200, rows)
        self.assertEqual(len(rows["items"]), 1, rows)
        self.assertEqual(rows["items"][0]["action"], "user.lock")
        # the user record shows the lock; an admin can unlock it
        got = self.assertStatus(self.admin.get("/users/%d" % u["id"]), 200)
        self.assertTrue(got["locked_until"])
        self.assertStatus(self.admin.patch("/users/%d" % u["id"], {"unlock": True}), 200)
        c.login("locktest", "Lock@2026x")

    def test_a_write_without_the_csrf_token_answers_403_and_changes_nothing(self):
        c = self.server.client("admin")
        good = c.csrf
        other = self.as_user("secretary").csrf
        before = self.orgs()
        n_audit = self.audit_count()
        body = {"parent_id": 1, "name": "CSRF测试党支部", "type": "branch", "field": "organ"}
        c.csrf = None
        self.assertError(c.post("/orgs", body), 403, "csrf_failed")
        c.csrf = "0" * 64
        self.assertError(c.post("/orgs", body), 403, "csrf_failed")
        c.csrf = good[:-1]
        self.assertError(c.post("/orgs", body), 403, "csrf_failed")
        # a token of another session is wrong too
        c.csrf = other
        self.assertError(c.patch("/orgs/2", {"remarks": "x"}), 403, "csrf_failed")
        self.assertError(c.delete("/session"), 403, "csrf_failed")
        self.assertEqual(self.orgs(), before)
        self.assertEqual(self.audit_count(), n_audit)
        c.csrf = good
        self.assertStatus(c.get("/session"), 200)

    def test_logout_invalidates_the_cookie(self):
        c = self.server.client("admin")
        token = c.cookie_value()
        self.assertTrue(token)
        st, body, hdrs = c.delete("/session")
        self.assertEqual(st, 204, body)
        self.assertError(c.get("/session"), 401, "unauthorized")
        # replaying the old cookie does not bring the session back
        c.set_cookie(token)
        self.assertError(c.get("/orgs"), 401, "unauthorized")
        self.assertError(c.post("/orgs", {"parent_id": 1, "name": "x", "type": "branch"}), 401)

    def test_an_invalid_cookie_answers_401(self):
        c = self.server.client()
        for v in ("x", "0" * 64, "g" * 64, "'; DROP TABLE sessions; --"):
            c.set_cookie(v)
            self.assertError(c.get("/session"), 401, "unauthorized")

    def test_changing_ones_own_password_checks_the_policy_and_the_old_password(self):
        self.new_user("pwchange", password="Start@2026x")
        c = self.server.client("pwchange", "Start@2026x")
        self.assertError(c.post("/session/password", {"old_password": "Bad@2026xx", "new_password": "Next@2026x"}),
                         422, "validation_failed", field="old_password")
        self.assertError(c.post("/session/password", {"old_password": "Start@2026x", "new_password": "short"}),
                         422, "validation_failed", field="new_password")
        self.assertError(c.post("/session/password", {"old_password": "Start@2026x", "new_password": "password"}),
                         422, "validation_failed", field="new_password")
        self.assertError(c.post("/session/password", {"old_password": "Start@2026x", "bogus": 1}),
                         400, "unknown_field")
        st, body, _ = c.post("/session/password", {"old_password": "Start@2026x", "new_password": "Next@2026x"})
        self.assertEqual(st, 204, body)
        self.assertError(self.server.client().login("pwchange", "Start@2026x", expect=None), 401, "login_failed")
        self.server.client("pwchange", "Next@2026x")

    def test_login_with_missing_fields_or_wrong_types_is_refused(self):
        c = self.server.client()
        self.assertError(c.post("/session", {"username": "admin"}), 401, "login_failed")
        self.assertError(c.post("/session", {"username": "admin", "password": 12345}), 422, field="password")
        self.assertError(c.post("/session", {"username": "admin", "password": DEMO_PASSWORD, "x": 1}),
                         400, "unknown_field")
        self.assertError(c.post("/session", raw=b"{", content_type="application/json"), 400, "invalid_json")


class T0110SessionIdleExpiry(ServerTest):
    """Sessions expire after session_idle_minutes idle: the session row's last_seen is moved back
    two minutes directly in the database (instead of waiting) with the setting at 1 minute."""

    server_env = {"DJ_SESSION_IDLE_MINUTES": "1"}

    def test_a_session_idle_longer_than_the_setting_answers_401_session_expired(self):
        c = self.server.client("admin")
        self.assertStatus(c.get("/session"), 200)
        fresh = self.server.client("secretary")
        self.server.sql("UPDATE sessions SET last_seen = last_seen - 120, created_at = created_at - 120 "
                        "WHERE user_id = (SELECT id FROM users WHERE username = 'admin')")
        # the console tells "your session timed out" apart from "you never logged in"
        self.assertError(self.refused(c), 401, "session_expired")
        # and it stays gone: the expired session was removed
        self.assertError(c.get("/orgs"), 401, "unauthorized")
        # a session used within the minute is still valid
        self.assertStatus(fresh.get("/session"), 200)
        c.login("admin")
        self.assertStatus(c.get("/session"), 200)

    def test_a_session_idle_for_less_than_the_setting_stays_valid(self):
        c = self.server.client("auditor")
        self.server.sql("UPDATE sessions SET last_seen = last_seen - 50 "
                        "WHERE user_id = (SELECT id FROM users WHERE username = 'auditor')")
        self.assertStatus(c.get("/session"), 200)


class T0101SessionToday(ServerTest):
    """The session replies carry the server's calendar day, which the console's date fields default to."""

    server_env = {"DJ_TODAY": "2026-11-20"}

    def test_login_and_session_replies_give_the_servers_today(self):
        c = self.server.client()
        st, body, _ = c.post("/session", {"username": "admin", "password": "Demo@2026"}, csrf=False)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["today"], "2026-11-20")
        self.assertEqual(self.assertStatus(c.get("/session"), 200)["today"], "2026-11-20")


if __name__ == "__main__":
    unittest.main()
