"""t0350: subtree figures stay right while the server keeps rendered replies: every change, by the
server or by another connection, shows in the next reply; a cached reply never crosses scopes."""

import unittest

from harness import ServerTest

# The server has a worker per core and each keeps its own replies: ask often enough to meet both.
ASKS = 8


class T0350StatsCache(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        st, c, _ = admin.post("/orgs", {"parent_id": 1, "name": "统计缓存测试党委", "type": "party_committee",
                                        "field": "organ"})
        st, b, _ = admin.post("/orgs", {"parent_id": c["id"], "name": "统计缓存测试党支部", "type": "branch",
                                        "field": "organ"})
        cls.committee, cls.branch = c["id"], b["id"]

    def figures(self, org, client=None):
        """The figures as every worker answers them; they must all agree."""
        seen = []
        for _ in range(ASKS):
            seen.append(self.assertStatus((client or self.admin).get("/orgs/%d/stats" % org), 200))
        for s in seen[1:]:
            self.assertEqual(s, seen[0])
        return seen[0]

    def test_a_new_member_shows_at_once_in_every_subtree(self):
        before = {o: self.figures(o)["members"] for o in (1, self.committee, self.branch)}
        self.create_member(self.branch)
        after = {o: self.figures(o)["members"] for o in (1, self.committee, self.branch)}
        self.assertEqual(after, {o: n + 1 for o, n in before.items()})

    def test_a_member_who_leaves_drops_out_of_the_figures_at_once(self):
        m, _ = self.create_member(self.branch)
        before = self.figures(self.branch)["members"]
        self.assertStatus(self.admin.post("/members/%d/exit" % m["id"],
                                          {"reason": "death", "on": "2026-01-05", "basis": "死亡证明"}), 200)
        self.assertEqual(self.figures(self.branch)["members"], before - 1)

    def test_a_change_committed_by_another_connection_shows_in_the_next_reply(self):
        self.create_member(self.branch)
        gender = {x["key"]: x["n"] for x in self.figures(self.branch)["by_gender"]}
        key = next(iter(gender))
        self.server.sql("UPDATE org_stats SET n = n + 5 WHERE org_id = ? AND dim = 'gender' AND key = ?",
                        (self.branch, key))
        now = {x["key"]: x["n"] for x in self.figures(self.branch)["by_gender"]}
        self.assertEqual(now[key], gender[key] + 5)
        self.server.sql("UPDATE org_stats SET n = n - 5 WHERE org_id = ? AND dim = 'gender' AND key = ?",
                        (self.branch, key))
        now = {x["key"]: x["n"] for x in self.figures(self.branch)["by_gender"]}
        self.assertEqual(now[key], gender[key])

    def test_a_reply_kept_for_the_whole_tree_is_never_given_outside_the_scope(self):
        own = self.secretary.user["org_id"]  # logged in first: a login is a write, which would empty the cache
        self.figures(1)
        for _ in range(ASKS):
            self.assertError(self.secretary.get("/orgs/1/stats"), 404, "not_found")
        self.assertEqual(self.figures(own, self.secretary), self.figures(own))


if __name__ == "__main__":
    unittest.main()
