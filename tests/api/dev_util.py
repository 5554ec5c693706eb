"""
dev_util.py: what the member-development tests (t1200) share: a server whose "today" is fixed,
a valid applicant body, the standard dates of a case that runs from application (step 1) to
full membership (step 25) under the 2014 rules, the body each step needs, and a snapshot of the
development tables to prove that a refused request changed nothing.

Not a test file (run.py only collects t*.py).
"""

import datetime

from harness import ServerTest, make_id_card, member_payload

TODAY = "2026-11-20"
ROOT = 1            # 示例省交通运输厅厅直机关党委 (party committee, the root of the demo tree)

# One date per record, in order; 6 and 21 are periodic (two records each).
TIMELINE = [
    (1, "2023-03-01"), (2, "2023-03-20"), (3, "2023-04-10"), (4, "2023-04-20"), (5, "2023-04-25"),
    (6, "2023-09-30"), (6, "2024-03-25"), (7, "2024-04-10"), (8, "2024-04-15"), (9, "2024-04-20"),
    (10, "2024-05-10"), (11, "2024-05-20"), (12, "2024-06-01"), (13, "2024-06-10"), (14, "2024-06-15"),
    (15, "2024-06-20"), (16, "2024-07-01"), (17, "2024-07-10"), (18, "2024-07-15"), (19, "2024-07-20"),
    (20, "2024-07-25"), (21, "2024-12-20"), (21, "2025-05-20"), (22, "2025-06-20"), (23, "2025-06-25"),
    (24, "2025-07-10"), (25, "2025-07-20"),
]

_n = [0]


def applicant_body(org_id, applied_on="2023-03-01", birth=None, gender="male", **over):
    """A valid POST /applicants body; keyword arguments override fields."""
    _n[0] += 1
    birth = birth or datetime.date(1995, 1, 1) + datetime.timedelta(days=37 * _n[0])
    body = {
        "org_id": org_id,
        "name": "申请人%d" % _n[0],
        "gender": gender,
        "ethnicity": "01",
        "birth_date": birth.isoformat(),
        "id_card": make_id_card(birth, gender, seq=400 + _n[0]),
        "education": "21",
        "phone": "137%08d" % (5000 + _n[0]),
        "native_place": "北京东城",
        "category": "in_service",
        "work_unit": "测试单位",
        "job": "职员",
        "applied_on": applied_on,
        "rule_version": "2014",
    }
    body.update(over)
    return body


class DevTest(ServerTest):
    """A ServerTest with today fixed at TODAY, and full members in the branches the tests use."""

    server_env = {"DJ_TODAY": TODAY}
    branches = ()            # branch ids that need full members (cls.members[branch] = [ids])

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        cls.members = {}
        for b in cls.branches:
            mem = [m for m in admin.all_items("/members", {"org": b}) if m["org_id"] == b and m["status"] == "full"]
            while len(mem) < 4:
                st, m, _ = admin.post("/members", member_payload(b))
                assert st == 201, m
                mem.append(m)
            cls.members[b] = [m["id"] for m in mem]

    # ---- requests ----------------------------------------------------------------------------

    def create(self, body, client=None):
        st, got, _ = (client or self.admin).post("/applicants", body)
        self.assertEqual(st, 201, "create applicant: %.800r" % (got,))
        return got

    def step_body(self, aid_org, step, on, **over):
        """The body step `step` needs in the case's branch `aid_org`."""
        mem = self.members.get(aid_org, [])
        body = {"step": step, "on": on}
        if step == 2:
            body["people"] = [{"role": "talker", "member_id": mem[0]}]
        elif step == 5:
            body["people"] = [{"role": "contact", "member_id": mem[1]}, {"role": "contact", "member_id": mem[2]}]
        elif step in (6, 21):
            body["summary"] = "考察情况良好"
        elif step == 9:
            body["people"] = [{"role": "introducer", "member_id": mem[1]},
                              {"role": "introducer", "member_id": mem[2]}]
        elif step == 10:
            body.update(result="pass", summary="政治审查合格")
        elif step == 11:
            body["training"] = {"days": 3, "hours": 24}
        elif step in (13, 17, 24):
            body.update(result="pass", approver_org_id=ROOT)
        elif step in (15, 23):
            n = self.full_members(aid_org)
            body["vote"] = {"expected": n, "present": n, "yes": n, "no": 0, "abstain": 0, "written_yes": 0}
            if step == 23:
                body["outcome"] = "full"
        elif step == 16:
            body["people"] = [{"role": "talker", "name": "组织员李明"}]
        body.update(over)
        return body

    def full_members(self, org_id):
        """Full members of the organisation now (the most a vote may expect, DEV-30)."""
        st, o, _ = self.admin.get("/orgs/%d" % org_id)
        self.assertEqual(st, 200, o)
        return o["full_count"]

    def post_step(self, case, step, on, client=None, **over):
        return (client or self.admin).post("/applicants/%d/steps" % case["id"],
                                           self.step_body(case["org_id"], step, on, **over))

    def record(self, case, step, on, client=None, **over):
        """Records a step that must be accepted; returns the reply {applicant, step, warnings}."""
        st, got, _ = self.post_step(case, step, on, client=client, **over)
        self.assertEqual(st, 201, "step %d on %s: %.900r" % (step, on, got))
        return got

    def advance(self, case, upto, after=1, timeline=TIMELINE):
        """Records every timeline record with after < step <= upto (step 1 is the creation); returns the last reply."""
        got = None
        for step, on in timeline:
            if after < step <= upto:
                got = self.record(case, step, on)
        return got

    def get(self, case_id, client=None):
        return self.assertStatus((client or self.admin).get("/applicants/%d" % case_id), 200)

    # ---- nothing changed ---------------------------------------------------------------------

    def snapshot(self):
        out = {}
        for t in ("applicants", "dev_steps", "dev_step_people", "dev_plans", "members", "member_history"):
            out[t] = sorted(tuple(str(v) for v in r) for r in self.server.sql("SELECT * FROM %s" % t))
        out["audit"] = self.audit_count()
        return out

    def assertRefused(self, resp_fn, status, code=None, rule=None, field=None):
        """Calls resp_fn() and checks the error and that no table changed."""
        before = self.snapshot()
        err = self.assertError(resp_fn(), status, code, field=field)
        if rule:
            self.assertEqual(err.get("rule"), rule, err)
            self.assertTrue(err["message"].startswith("[%s]" % rule), err)
        self.assertEqual(self.snapshot(), before, "a refused request changed something")
        return err
