"""t0105: several servers on one database (as behind a load balancer) agree on sessions.

On SQLite every request reads its session from the database, so a change made through one server
holds on the other at once. On PostgreSQL each server keeps valid sessions in memory and drops them
when the database notifies it (migration 0011's triggers, a LISTEN connection per server), within
milliseconds; a server that missed the notification would go on answering 200 for up to a minute,
which `refused` (polling for NOTIFY_WAIT seconds) catches."""

import itertools
import os
import signal
import time
import unittest

from harness import PG_URL, ServerTest, finish_server

_n = itertools.count(1)


class T0105SessionsAcrossServers(ServerTest):

    # info lines on (make test runs servers quiet): the listeners' state is read from the log
    server_env = {"DJ_LOG_QUIET": "0"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.server.twin().start()
        cls.addClassCleanup(cls._finish_other)
        if PG_URL:  # both servers keep sessions in memory from here on
            cls.wait_listening()

    @classmethod
    def wait_listening(cls, timeout=30.0):
        """On PostgreSQL: until both servers' listeners are up (after a test took them down,
        the servers reconnect after a second or more)."""
        deadline = time.monotonic() + timeout
        for s in (cls.server, cls.other):
            while True:
                log = s.stderr_text()
                if log.count("listening on dangjian_auth") > log.count("listener lost its link"):
                    break
                if time.monotonic() > deadline:
                    raise AssertionError("a server is not listening:\n%s" % log[-4000:])
                time.sleep(0.05)

    @classmethod
    def _finish_other(cls):
        finish_server(cls.other)

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

    def test_a_user_disabled_directly_in_the_database_is_refused_by_both_servers(self):
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(c)
        self.warm(b)
        self.server.sql("UPDATE users SET disabled = 1 WHERE id = ?", (u["id"],))
        self.assertError(self.refused(c), 401, "session_expired")
        self.assertError(self.refused(b), 401, "unauthorized")

    def test_an_organisation_moved_on_one_server_gives_the_other_servers_sessions_its_new_scope(self):
        parents = []
        for i in range(2):
            st, org, _ = self.admin.post("/orgs", {"parent_id": 1, "name": "移动测试%d" % next(_n),
                                                   "type": "general_branch", "field": "organ"})
            self.assertEqual(st, 201, org)
            parents.append(org)
        st, branch, _ = self.admin.post("/orgs", {"parent_id": parents[0]["id"], "name": "移动支部%d" % next(_n),
                                                  "type": "branch", "field": "organ"})
        self.assertEqual(st, 201, branch)
        _, c = self.new_user(org_id=branch["id"])
        b = c.on(self.other)
        self.warm(b)
        self.assertStatus(b.get("/orgs/%d" % branch["id"]), 200)
        self.assertStatus(self.admin.patch("/orgs/%d" % branch["id"], {"parent_id": parents[1]["id"]}), 200)
        # the user's scope is the branch's subtree wherever it now is: reading it works on the
        # other server only if that server knows the new path
        deadline = time.monotonic() + self.NOTIFY_WAIT
        while True:
            st, body, _ = b.get("/orgs/%d" % branch["id"])
            if st == 200 and body.get("parent_id") == parents[1]["id"]:
                break
            self.assertLess(time.monotonic(), deadline, "the other server still scopes by the old path: %s %r"
                            % (st, body))
            time.sleep(0.02)

    @unittest.skipUnless(PG_URL, "PostgreSQL only: SQLite servers keep no sessions in memory")
    def test_a_postgresql_server_answers_from_memory_until_the_database_notifies_it(self):
        # Triggers do not fire in replica mode: the change reaches no server's memory, which
        # shows the sessions are served from there. A NOTIFY, as the triggers send, ends that.
        self.wait_listening()
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        self.server.sql("SET session_replication_role = replica; UPDATE users SET role = 'auditor' WHERE id = %d;"
                        " RESET session_replication_role" % u["id"])
        self.assertEqual(self.assertStatus(b.get("/session"), 200)["user"]["role"], "org_admin")
        self.server.sql("NOTIFY dangjian_auth, '*'")
        self.assertError(self.refused(b, "/users"), 403, "forbidden")
        self.assertEqual(self.assertStatus(b.get("/session"), 200)["user"]["role"], "auditor")

    @unittest.skipUnless(PG_URL, "PostgreSQL only: SQLite servers keep no sessions in memory")
    def test_a_listener_that_hears_nothing_more_turns_the_memory_off(self):
        # A link that dies without closing (a firewall dropping it, a frozen database host)
        # delivers no notification and no error. Freezing the listeners' database processes
        # does that; the servers must stop trusting what they hold within seconds, not a minute.
        self.wait_listening()
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        pids = [int(r[0]) for r in self.server.sql(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'dangjian-listen'"
            " AND datname = current_database()")]
        self.assertEqual(len(pids), 2)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            self.server.sql("DELETE FROM sessions WHERE user_id = ?", (u["id"],))
            self.assertError(self.refused(b), 401, "unauthorized")
        finally:
            for pid in pids:
                os.kill(pid, signal.SIGCONT)
        self.wait_listening()

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
        self.wait_listening()
        lost = [s.stderr_text().count("listener lost its link") for s in (self.server, self.other)]
        listeners = ("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'dangjian-listen'"
                     " AND datname = current_database()")
        self.assertEqual(int(self.server.sql(listeners)[0][0]), 2)
        self.server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = 'dangjian-listen' AND datname = current_database()")
        # what changes while nobody listens is not missed: the cache is off until the link is back
        self.server.sql("DELETE FROM sessions WHERE user_id = ?", (u["id"],))
        self.assertError(self.refused(b), 401, "unauthorized")
        for s, n in zip((self.server, self.other), lost):
            s.wait_log("listener lost its link", count=n + 1)
        self.wait_listening()
        self.assertEqual(int(self.server.sql(listeners)[0][0]), 2)
        # and once listening again, the notifications end sessions as before
        u, c = self.new_user()
        b = c.on(self.other)
        self.warm(b)
        self.server.sql("DELETE FROM sessions WHERE user_id = ?", (u["id"],))
        self.assertError(self.refused(b), 401, "unauthorized")


if __name__ == "__main__":
    unittest.main()
