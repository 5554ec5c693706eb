"""
meeting_util.py: what the organisational-life tests (t1100..t1130) share: a server class whose
meeting attachments go to its own directory, today's date as the server sees it, a valid
meeting payload, and a snapshot of the meeting tables to prove a rejected write changed nothing.

Not a test file (run.py only collects t*.py).
"""

import calendar
import datetime
import os

from harness import ServerTest

MONTHLY = ("theme_day", "committee_meeting", "group_meeting")
QUARTERLY = ("member_congress", "party_lecture")
MINUTES = "会议传达学习了有关精神，结合实际进行了讨论。"


def server_today():
    """The server's "today": DJ_TODAY when the environment fixes it, else the date in China (UTC+8)."""
    fixed = os.environ.get("DJ_TODAY")
    if fixed:
        return datetime.date.fromisoformat(fixed)
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def month_end(y, m):
    return datetime.date(y, m, calendar.monthrange(y, m)[1])


def last_month_end(today):
    return today.replace(day=1) - datetime.timedelta(days=1)


def months_over(today):
    """Months of today's year whose last day is before today."""
    return sum(1 for m in range(1, 13) if month_end(today.year, m) < today)


def quarters_over(today):
    return sum(1 for q in range(1, 5) if month_end(today.year, 3 * q) < today)


def meeting(org_id, type="theme_day", attendees=(), decisions=None, **over):
    """A valid POST /meetings body (held today unless held_on is given)."""
    body = {
        "org_id": org_id,
        "type": type,
        "topic": "测试会议：学习贯彻有关精神",
        "held_on": over.pop("held_on", None) or server_today().isoformat(),
        "start_time": "15:00",
        "place": "党员活动室",
        "host": "支部书记",
        "recorder": "组织委员",
        "agenda": "一、传达学习；二、讨论",
        "minutes": MINUTES,
        "status": "held",
        "attendees": list(attendees),
    }
    if decisions is not None:
        body["decisions"] = decisions
    body.update(over)
    return body


def att(member_id, status="present", reason=None, leader=None):
    a = {"member_id": member_id, "status": status}
    if reason is None and status in ("absent", "leave"):
        reason = "因公出差"
    if reason is not None:
        a["reason"] = reason
    if leader is not None:
        a["leader"] = leader
    return a


def dec(title="表决事项", yes=0, no=0, abstain=0, development=None):
    d = {"title": title, "yes": yes, "no": no, "abstain": abstain}
    if development is not None:
        d["development"] = development
    return d


class MeetingTest(ServerTest):
    """A ServerTest whose server keeps meeting attachments under its own temporary directory
    (for PostgreSQL the default is ./dangjian-files in the current directory)."""

    start_server = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.env["DJ_FILES_DIR"] = os.path.join(cls.server.dir, "files")
        cls.server.start()
        cls.today = server_today()

    def members_of(self, org_id, client=None):
        return (client or self.admin).all_items("/members", {"org": org_id})

    def meeting_total(self, **params):
        st, body, _ = self.admin.get("/meetings", dict(params, per_page=1))
        self.assertEqual(st, 200, body)
        return body["total"]

    def snapshot(self):
        """Every row of the meeting tables and the audit count."""
        out = {}
        for t in ("meetings", "meeting_attendance", "meeting_decisions", "meeting_files"):
            out[t] = sorted(tuple(str(v) for v in r) for r in self.server.sql("SELECT * FROM %s" % t))
        out["audit"] = self.audit_count()
        return out

    def create(self, body, client=None):
        st, got, _ = (client or self.admin).post("/meetings", body)
        self.assertEqual(st, 201, "create meeting: %.800r" % (got,))
        return got
