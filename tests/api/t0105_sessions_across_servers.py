"""t0105: several servers on one database (as behind a load balancer) agree on sessions.

On SQLite every request reads its session from the database, so a change made through one server
holds on the other at once. On PostgreSQL each server keeps valid sessions in memory and drops them
when the database notifies it (migration 0011's triggers, a LISTEN connection per server), within
milliseconds; a server that missed the notification would go on answering 200 for up to a minute,
which `refused` (polling for NOTIFY_WAIT seconds) catches."""

import itertools
import time
import unittest

from harness import PG_URL, ServerTest

_n = itertools.count(1)


class T0105SessionsAcrossServers(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.server.twin().start()
        cls.addClassCleanup(cls._finish_other)

    @classmethod
    def _finish_other(cls):
        code, err = cls.other.stop()
        try:
            if code != 0:
                raise AssertionError("second server exited with %s after SIGTERM; stderr:\n%s" % (code, err[-20000:]))
            if "ERROR: AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err:
                raise AssertionError("sanitizer report in the second server's stderr:\n%s" % err[-20000:])
        finally:
            cls.other.cleanup()

    def new_user(self, role="org_admin", org_id=1):
        body = {"username": "multi%d" % next(_n), "display_name": "两台服务器", "password": "Good@2026x",
                "role": role, "org_id": org_id}
        st, u, _ = self.admin.post("/users", body)
        self.assertEqual(st, 201, u)
        return u, self.server.client(body["username"], "Good@2026x")

    def warm(self, client):
        """The session answered (and, on PostgreSQL, kept) by the other server."""
        for _ in range(3):
            body = self.assertStatus(client.get("/session"), 200)
        return body

    def test_a_logout_on_one_server_ends_the_session_on_the_other(self):
        _, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        token = c.cookie_value()
        st, body, _ = c.delete("/session")
        self.assertEqual(st, 204, body)
        # the reply clears the browser's cookie; a copy of it sent to the other server is refused
        b.set_cookie(token)
        self.assertError(self.refused(b), 401, "unauthorized")
        self.assertError(b.get("/orgs"), 401, "unauthorized")

    def test_disabling_a_user_on_one_server_ends_their_session_on_the_other(self):
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        self.assertStatus(self.admin.patch("/users/%d" % u["id"], {"disabled": True}), 200)
        self.assertError(self.refused(b, "/members"), 401, "unauthorized")

    def test_a_role_changed_on_one_server_holds_on_the_other(self):
        u, c = self.new_user()
        b = c.on(self.other)
        self.assertStatus(b.get("/users", {"per_page": 1}), 200)
        self.assertStatus(self.admin.patch("/users/%d" % u["id"], {"role": "auditor"}), 200)
        # an auditor reads the audit trail, not the user accounts
        self.assertError(self.refused(b, "/users"), 403, "forbidden")
        self.assertEqual(self.assertStatus(b.get("/session"), 200)["user"]["role"], "auditor")

    def test_an_organisation_renamed_on_one_server_is_named_so_in_the_other_servers_session(self):
        st, org, _ = self.admin.post("/orgs", {"parent_id": 1, "name": "改名前党支部%d" % next(_n),
                                         "type": "branch", "field": "organ"})
        self.assertEqual(st, 201, org)
        _, c = self.new_user(org_id=org["id"])
        b = c.on(self.other)
        self.assertEqual(self.warm(b)["user"]["org_name"], org["name"])
        new_name = "改名后党支部%d" % next(_n)
        self.assertStatus(self.admin.patch("/orgs/%d" % org["id"], {"name": new_name}), 200)
        deadline = time.monotonic() + self.NOTIFY_WAIT
        while self.assertStatus(b.get("/session"), 200)["user"]["org_name"] != new_name:
            self.assertLess(time.monotonic(), deadline, "the other server still names the old organisation")
            time.sleep(0.02)

    def test_sessions_deleted_directly_in_the_database_end_on_both_servers(self):
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(c)
        self.warm(b)
        self.server.sql("DELETE FROM sessions WHERE user_id = ?", (u["id"],))
        self.assertError(self.refused(c), 401, "unauthorized")
        self.assertError(self.refused(b), 401, "unauthorized")

    @unittest.skipUnless(PG_URL, "PostgreSQL only: SQLite servers keep no sessions in memory")
    def test_a_server_whose_listener_lost_its_link_reconnects_and_serves_no_ended_session(self):
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        listeners = ("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'dangjian-listen'"
                     " AND datname = current_database()")
        self.assertEqual(int(self.server.sql(listeners)[0][0]), 2)
        self.server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = 'dangjian-listen' AND datname = current_database()")
        # what changes while nobody listens is not missed: the cache is off until the link is back
        self.server.sql("DELETE FROM sessions WHERE user_id = ?", (u["id"],))
        self.assertError(self.refused(b), 401, "unauthorized")
        deadline = time.monotonic() + self.NOTIFY_WAIT
        while int(self.server.sql(listeners)[0][0]) != 2:
            self.assertLess(time.monotonic(), deadline, "the listeners did not come back")
            time.sleep(0.1)
        # and once listening again, the notifications end sessions as before
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        self.server.sql("DELETE FROM sessions WHERE user_id = ?", (u["id"],))
        self.assertError(self.refused(b), 401, "unauthorized")


if __name__ == "__main__":
    unittest.main()
