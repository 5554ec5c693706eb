"""
dues_util.py: what the party dues tests (t1000..t1030) share: today's month as the server sees it,
month arithmetic, a snapshot of every dues table to prove a rejected write changed nothing, and an
independent implementation of the DUES-11 arrears rule to check the server against.

Not a test file (run.py only collects t*.py).
"""

import datetime
import os

from harness import ServerTest


def today():
    """The server's "today": DJ_TODAY when the environment fixes it, else the date in China (UTC+8)."""
    fixed = os.environ.get("DJ_TODAY")
    if fixed:
        return datetime.date.fromisoformat(fixed)
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def month_add(month, n):
    """"YYYY-MM" n months later (n may be negative)."""
    y, m = int(month[:4]), int(month[5:7])
    i = y * 12 + (m - 1) + n
    return "%04d-%02d" % (i // 12, i % 12 + 1)


def month_range(first, last):
    """Every month from first to last inclusive."""
    out, m = [], first
    while m <= last:
        out.append(m)
        m = month_add(m, 1)
    return out


def current_month():
    return today().strftime("%Y-%m")


def yuan(fen):
    """Fen as the yuan text a bank statement uses: 3572 -> "35.72"."""
    return "%d.%02d" % (fen // 100, fen % 100)


def expected_arrears(first_month, paid_months, current, warn=3, alert=5, lapse=6):
    """DUES-11 from RULES.md, written independently of the server: months owed are first_month up to
    the month before the current one; the level comes from the longest unpaid run (six unpaid months
    in a row stay a lapse case after a later month is paid). Returns (unpaid, consecutive, level)."""
    paid = set(paid_months)
    unpaid = run = longest = 0
    for m in month_range(first_month, month_add(current, -1)) if first_month < current else []:
        if m in paid:
            run = 0
            continue
        unpaid += 1
        run += 1
        longest = max(longest, run)
    level = ("lapse_case" if longest >= lapse else "alert" if longest >= alert
             else "warn" if longest >= warn else "none")
    return unpaid, run, level


DUES_TABLES = ("dues_standards", "dues_months", "dues_payments", "dues_spending", "dues_orders", "audit_log")


class DuesTest(ServerTest):
    """A ServerTest with dues helpers. cls.cur is the current month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cur = current_month()
        cls._used = set()
        # the self-service login's member record: left alone by tests that do not mean to use it
        cls.member_login_id = cls.as_user("member").user["member_id"]
        for u in ("admin", "secretary", "auditor"):   # logins are audited: log in before any snapshot
            cls.as_user(u)
        cls._used.add(cls.member_login_id)

    # -- reading ----------------------------------------------------------------
    def ledger(self, client=None, **params):
        """GET /dues/ledger; the whole reply."""
        return self.assertStatus((client or self.admin).get("/dues/ledger", params), 200)

    def ledger_rows(self, client=None, **params):
        """Every row of the ledger (page by page) and the reply of the first page."""
        p = dict(params, per_page=200)
        rows, page, first = [], 1, None
        while True:
            p["page"] = page
            b = self.ledger(client, **p)
            first = first or b
            if not b["items"]:
                return rows, first
            rows += b["items"]
            page += 1

    def summary(self, org=1, month=None):
        return self.ledger(org=org, month=month or self.cur, per_page=1)["summary"]

    def member_dues(self, member_id, client=None):
        return self.assertStatus((client or self.admin).get("/members/%d/dues" % member_id), 200)

    def snapshot(self, org=1, month=None):
        """Everything a dues write could change: row counts of the dues tables and the audit trail,
        the month's ledger summary and status, and the payments table's contents."""
        counts = {t: int(self.server.sql("SELECT COUNT(*) FROM %s" % t)[0][0]) for t in DUES_TABLES}
        b = self.ledger(org=org, month=month or self.cur, per_page=1)
        pays = self.server.sql("SELECT id, member_id, month, amount_fen, reference FROM dues_payments ORDER BY id")
        months = self.server.sql("SELECT org_id, month, status FROM dues_months ORDER BY org_id, month")
        return {"counts": counts, "summary": b["summary"], "status": b["month_status"],
                "payments": [[str(x) for x in r] for r in pays], "months": [[str(x) for x in r] for r in months]}

    def assertUnchanged(self, before, msg=None):
        after = self.snapshot()
        self.assertEqual(after["counts"], before["counts"], msg)
        self.assertEqual(after["summary"], before["summary"], msg)
        self.assertEqual(after["status"], before["status"], msg)
        self.assertEqual(after["payments"], before["payments"], msg)
        self.assertEqual(after["months"], before["months"], msg)

    # -- choosing members -----------------------------------------------------------
    def regular_unpaid(self, n=1, org=1, client=None, exclude_names=None):
        """n members of org's subtree who are due the current month, have not paid it, paid last month
        as usual (not in arrears) and were not used by another test of this class."""
        rows, _ = self.ledger_rows(client, org=org, month=self.cur, filter="unpaid")
        prev = month_add(self.cur, -1)
        out = []
        if org == 1:
            rows = rows[::-1]   # leave the first branches (the secretary's) to tests that ask for them
        for r in rows:
            if r["member_id"] in self._used or r["paid"]:
                continue
            if r["paid_up_to"] not in (prev, None):
                continue
            if exclude_names and r["name"] in exclude_names:
                continue
            out.append(r)
            self._used.add(r["member_id"])
            if len(out) == n:
                return out
        self.fail("fewer than %d unpaid regular members in org %s" % (n, org))

    def org_path_ids(self, client=None):
        """{org id: set of ids in its subtree}, from GET /orgs."""
        orgs = self.orgs(client)
        kids = {}
        for o in orgs:
            kids.setdefault(o.get("parent_id"), []).append(o["id"])

        def sub(i):
            s = {i}
            for k in kids.get(i, []):
                s |= sub(k)
            return s
        return {o["id"]: sub(o["id"]) for o in orgs}
