"""t1120: compliance of organisational life (MTG-15) on the demo data, the heat map, and the alerts feed
(terms ORG-11/12, missing meetings, dues arrears DUES-11), each checked against the records under it."""

import datetime
import re
import unittest

from meeting_util import (MINUTES, MONTHLY, QUARTERLY, MeetingTest, att, last_month_end, meeting, month_end,
                          months_over, quarters_over)


class T1120Compliance(MeetingTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body, _ = cls.as_user("admin").get("/compliance", {"org": 1})
        assert st == 200, body
        cls.today = datetime.date.fromisoformat(body["as_of"])
        cls.first = body

    def compliance(self, client=None, **params):
        return self.assertStatus((client or self.admin).get("/compliance", params), 200)

    def row(self, body, org_id):
        return next(r for r in body["rows"] if r["org_id"] == org_id)

    def item(self, row, type):
        return next((i for i in row["items"] if i["type"] == type), None)

    def heat(self, body, org_id, month):
        vals = next(o for o in body["heat"]["orgs"] if o["org_id"] == org_id)["values"]
        return vals[month - 1]

    def test_rows_cover_every_branch_with_required_counts_for_the_periods_over(self):
        c = self.first
        self.assertEqual((c["org_id"], c["year"]), (1, self.today.year))
        orgs = self.orgs()
        branches = [o for o in orgs if o["type"] == "branch"]
        self.assertEqual({r["org_id"] for r in c["rows"]}, {o["id"] for o in branches})
        self.assertEqual(c["summary"]["branches"], len(branches))
        self.assertEqual(c["summary"]["compliant"], sum(1 for r in c["rows"] if r["unmet"] == 0))
        self.assertGreater(c["summary"]["compliant"], 0)
        self.assertLess(c["summary"]["compliant"], len(branches))   # the demo has lax branches
        mon, qtr = months_over(self.today), quarters_over(self.today)
        for r in c["rows"]:
            groups = sum(1 for o in orgs if o["parent_id"] == r["org_id"] and o["type"] == "party_group")
            self.assertEqual(r["groups"], groups, r)
            want = {"theme_day": mon, "member_congress": qtr, "party_lecture": qtr}
            if groups:
                want["group_meeting"] = mon * groups
            if r["has_committee"]:
                want["committee_meeting"] = mon
            for t, n in want.items():
                it = self.item(r, t)
                if n:
                    self.assertIsNotNone(it, (r["name"], t))
                    self.assertEqual(it["required"], n, (r["name"], it))
            unmet = 0
            for it in r["items"]:
                self.assertEqual(it["met"], it["held"] >= it["required"], it)
                self.assertGreaterEqual(it["incomplete"], 0)
                if it["type"] not in want:
                    self.assertEqual(it["required"], 0, (r["name"], it))   # yearly types: the year is not over
                unmet += it["required"] > 0 and not it["met"]
            self.assertEqual(r["unmet"], unmet, r)
        # the heat map: 12 months, null for months not over
        self.assertEqual(c["heat"]["months"], ["%d-%02d" % (self.today.year, m) for m in range(1, 13)])
        for o in c["heat"]["orgs"]:
            for m, v in enumerate(o["values"], 1):
                if month_end(self.today.year, m) >= self.today:
                    self.assertIsNone(v, (o["name"], m))
                else:
                    self.assertTrue(v is not None and 0 <= v <= 100, (o["name"], m, v))

    def test_held_counts_match_the_meeting_records(self):
        r = next(r for r in self.first["rows"] if any(i["incomplete"] for i in r["items"]))
        items = self.admin.all_items("/meetings", {"org": r["org_id"], "from": "%d-01-01" % self.today.year,
                                                   "to": "%d-12-31" % self.today.year})
        for it in r["items"]:
            mine = [m for m in items if m["type"] == it["type"] and m["status"] == "held"]
            self.assertEqual(it["held"], sum(1 for m in mine if m["complete"]), it)
            self.assertEqual(it["incomplete"], sum(1 for m in mine if not m["complete"]), it)

    def monthly_got(self, org_id, y, m, groups, has_committee):
        """The heat value of a month recomputed from the meeting list."""
        first = datetime.date(y, m, 1)
        items = self.admin.all_items("/meetings", {"org": org_id, "from": first.isoformat(),
                                                   "to": month_end(y, m).isoformat()})
        need = got = 0
        for t, n in (("theme_day", 1), ("group_meeting", groups), ("committee_meeting", 1 if has_committee else 0)):
            held = sum(1 for x in items if x["type"] == t and x["status"] == "held" and x["complete"])
            need += n
            got += min(held, n)
        return got * 100 // need if need else None

    def test_a_complete_theme_day_last_month_counts_as_held(self):
        if self.today.month == 1:
            self.skipTest("no completed month in this year yet")
        lm = last_month_end(self.today)
        c = self.compliance(org=1)
        # prefer a branch whose theme day is missing last month (heat below 100)
        rows = sorted(c["rows"], key=lambda r: self.heat(c, r["org_id"], lm.month))
        r = rows[0]
        b = r["org_id"]
        before_item = self.item(r, "theme_day")
        before_heat = self.heat(c, b, lm.month)
        self.assertEqual(before_heat, self.monthly_got(b, lm.year, lm.month, r["groups"], r["has_committee"]))
        mem = [m["id"] for m in self.members_of(b) if m["org_id"] == b]
        day = lm.replace(day=27)
        self.create(meeting(b, "theme_day", [att(x) for x in mem], held_on=day.isoformat()))
        c2 = self.compliance(org=1)
        r2 = self.row(c2, b)
        after_item = self.item(r2, "theme_day")
        self.assertEqual(after_item["held"], before_item["held"] + 1)
        self.assertEqual(after_item["incomplete"], before_item["incomplete"])
        self.assertEqual(after_item["required"], before_item["required"])
        self.assertEqual(after_item["met"], after_item["held"] >= after_item["required"])
        after_heat = self.heat(c2, b, lm.month)
        self.assertEqual(after_heat, self.monthly_got(b, lm.year, lm.month, r["groups"], r["has_committee"]))
        if before_heat == 100:
            self.assertEqual(after_heat, 100)
        else:
            self.assertGreater(after_heat, before_heat)
        # other branches are untouched
        for o in c["rows"]:
            if o["org_id"] != b:
                self.assertEqual(self.row(c2, o["org_id"]), o)

    def test_an_incomplete_meeting_counts_as_incomplete_not_held(self):
        lm = last_month_end(self.today) if self.today.month > 1 else self.today
        b = self.as_user("secretary").user["org_id"]
        before = self.item(self.row(self.compliance(org=1), b), "party_lecture")
        mem = [m["id"] for m in self.members_of(b) if m["org_id"] == b]
        m1 = self.create(meeting(b, "party_lecture", [att(x) for x in mem], held_on=lm.isoformat(), minutes=""))
        self.assertFalse(m1["complete"])
        m2 = self.create(meeting(b, "party_lecture", [], held_on=lm.isoformat()))   # no attendance
        self.assertFalse(m2["complete"])
        # planned meetings count for nothing
        self.create(meeting(b, "party_lecture", [], held_on=lm.isoformat(), status="planned"))
        after = self.item(self.row(self.compliance(org=1), b), "party_lecture")
        self.assertEqual(after["held"], before["held"])
        self.assertEqual(after["incomplete"], before["incomplete"] + 2)
        # completing the minutes makes it count
        self.assertStatus(self.admin.patch("/meetings/%d" % m1["id"], {"minutes": MINUTES}), 200)
        after = self.item(self.row(self.compliance(org=1), b), "party_lecture")
        self.assertEqual((after["held"], after["incomplete"]), (before["held"] + 1, before["incomplete"] + 1))

    def test_another_year_and_the_scope(self):
        c = self.compliance(org=1, year=self.today.year - 1)
        for r in c["rows"]:
            for it in r["items"]:
                self.assertEqual(it["held"], 0)   # the demo has only this year's meetings
        for o in c["heat"]["orgs"]:
            self.assertTrue(all(v == 0 for v in o["values"] if v is not None))
        sec = self.as_user("secretary")
        s = self.compliance(client=sec)
        self.assertEqual([r["org_id"] for r in s["rows"]], [sec.user["org_id"]])
        self.assertEqual(s["rows"][0], self.row(self.compliance(org=1), sec.user["org_id"]))
        outside = next(r["org_id"] for r in self.first["rows"] if r["org_id"] != sec.user["org_id"])
        self.assertError(sec.get("/compliance", {"org": outside}), 404, "not_found")
        self.assertError(self.auditor.get("/compliance"), 403, "forbidden")
        self.assertError(self.admin.get("/compliance", {"year": "20x6"}), 400)


class T1121ComplianceOnTheLastDayOfAMonth(MeetingTest):
    """On the last day of a month that month is not over yet: the heat map shows it as null, and the
    required counts must not already ask for it (else every branch is non-compliant that day, the demo
    recording meetings only for the months before today's)."""

    server_env = {"DJ_TODAY": "2026-09-30"}

    def test_a_month_still_running_on_its_last_day_is_not_required(self):
        c = self.assertStatus(self.admin.get("/compliance", {"org": 1}), 200)
        self.assertEqual(c["as_of"], "2026-09-30")
        for o in c["heat"]["orgs"]:
            self.assertIsNone(o["values"][8], o)   # September
        # a branch that held its theme day in each of January..August
        r = next(r for r in c["rows"] if any(i["type"] == "theme_day" and i["held"] == 8 for i in r["items"]))
        theme = next(i for i in r["items"] if i["type"] == "theme_day")
        self.assertEqual((theme["required"], theme["met"]), (8, True),
                         "on 2026-09-30 %s: theme_day %r (September counted as over)" % (r["name"], theme))
        congress = next(i for i in r["items"] if i["type"] == "member_congress")
        self.assertEqual(congress["required"], 2, "Q3 is not over on 2026-09-30: %r" % (congress,))


class T1125Alerts(MeetingTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, body, _ = cls.as_user("admin").get("/compliance", {"org": 1})
        cls.today = datetime.date.fromisoformat(body["as_of"])

    def alerts(self, client=None, **params):
        return self.assertStatus((client or self.admin).get("/alerts", params), 200)

    def test_counts_per_kind_equal_the_items_of_that_kind(self):
        a = self.alerts(org=1)
        kinds = ("term_overdue", "term_due", "structure", "meeting_missing", "dues_arrears", "full_membership_due",
                 "development_due", "development_overdue", "dormant_org", "letter_expired", "lost_suspend")
        self.assertEqual(set(a["counts"]), set(kinds))
        for k in kinds:
            self.assertEqual(a["counts"][k], sum(1 for i in a["items"] if i["kind"] == k), k)
        self.assertEqual(a["total"], len(a["items"]))
        self.assertEqual(sum(a["counts"].values()), a["total"])
        for k in ("term_overdue", "structure", "meeting_missing", "dues_arrears"):
            self.assertGreater(a["counts"][k], 0, k)   # the demo has some of each
        sev = {"critical": 4, "high": 3, "medium": 2, "low": 1}
        ranks = [sev[i["severity"]] for i in a["items"]]
        self.assertEqual(ranks, sorted(ranks, reverse=True), "most severe first")
        for i in a["items"]:
            for k in ("kind", "kind_label", "severity", "org_id", "org_name", "subject", "due_on", "link"):
                self.assertIn(k, i)
            self.assertTrue(i["subject"] and i["link"].startswith("#/"), i)
        # ?kind= keeps only that kind
        f = self.alerts(org=1, kind="term_overdue")
        self.assertEqual(f["items"], [i for i in a["items"] if i["kind"] == "term_overdue"])

    def test_term_alerts_follow_the_organisation_warnings(self):
        a = self.alerts(org=1)
        orgs = self.orgs()
        for code, kind, severity in (("ORG-11", "term_overdue", "high"), ("ORG-12", "term_due", "medium")):
            want = {o["id"]: o for o in orgs if any(w["code"] == code for w in o["warnings"])}
            got = [i for i in a["items"] if i["kind"] == kind]
            self.assertEqual(sorted(i["org_id"] for i in got), sorted(want), kind)
            for i in got:
                o = want[i["org_id"]]
                self.assertEqual(i["due_on"], o["term_due_on"], i)
                self.assertEqual(i["severity"], severity)
                self.assertEqual(i["org_name"], o["name"])
                self.assertEqual(i["link"], "#/orgs?id=%d" % o["id"])
                if kind == "term_overdue":
                    self.assertLess(i["due_on"], self.today.isoformat())
                else:
                    self.assertGreaterEqual(i["due_on"], self.today.isoformat())
        self.assertTrue([i for i in a["items"] if i["kind"] == "term_overdue"])

    def test_dues_arrears_severity_matches_the_arrears_level(self):
        a = self.alerts(org=1)
        arrears = self.assertStatus(self.admin.get("/dues/arrears", {"org": 1}), 200)["items"]
        level_sev = {"warn": "medium", "alert": "high", "lapse_case": "critical"}
        want = {r["member_id"]: r for r in arrears if r["level"] != "none"}
        got = [i for i in a["items"] if i["kind"] == "dues_arrears"]
        self.assertEqual(sorted(int(i["link"].rsplit("/", 1)[1]) for i in got), sorted(want))
        self.assertTrue(any(r["level"] == "lapse_case" for r in want.values()), "the demo has a 6-month case")
        for i in got:
            r = want[int(i["link"].rsplit("/", 1)[1])]
            self.assertEqual(i["severity"], level_sev[r["level"]], (i, r))
            self.assertEqual(i["severity"] == "critical", r["consecutive_unpaid"] >= 6, (i, r))
            self.assertEqual(i["org_id"], r["org_id"])
            self.assertIn(r["name"], i["subject"])
            self.assertIn("连续%d个月" % r["consecutive_unpaid"], i["subject"])

    def test_recording_the_missing_meetings_clears_last_months_alert(self):
        lm = last_month_end(self.today)
        orgs = self.orgs()
        a = self.alerts(org=1)
        monthly = [i for i in a["items"] if i["kind"] == "meeting_missing" and i["due_on"] == lm.isoformat()
                   and re.search(r"\d+年\d+月", i["subject"])]
        self.assertTrue(monthly, "the demo has a branch missing last month's meetings")
        # prefer a branch without party groups (group members sit at the branch in the demo)
        def groups_of(b):
            return [o for o in orgs if o["parent_id"] == b and o["type"] == "party_group"]
        flagged = sorted({i["org_id"] for i in monthly}, key=lambda b: len(groups_of(b)))
        b = flagged[0]
        mem = [m["id"] for m in self.members_of(b) if m["org_id"] == b]
        day = lm.replace(day=28).isoformat()
        for i in monthly:
            if i["org_id"] != b:
                continue
            label = re.search(r"\d+年\d+月(.+?)应开", i["subject"]).group(1)
            kind = {"主题党日": "theme_day", "支委会": "committee_meeting", "党小组会": "group_meeting"}[label]
            if kind == "group_meeting":
                for g in groups_of(b):
                    # 列席 attendance: the branch members are not members of the group organisation
                    self.create(meeting(g["id"], kind, [att(x, "nonvoting") for x in mem], held_on=day))
            else:
                self.create(meeting(b, kind, [att(x) for x in mem], held_on=day))
        a2 = self.alerts(org=1)
        left = [i for i in a2["items"] if i["kind"] == "meeting_missing" and i["org_id"] == b
                and i["due_on"] == lm.isoformat() and re.search(r"\d+年\d+月", i["subject"])]
        self.assertEqual(left, [])
        self.assertEqual(a2["counts"]["meeting_missing"],
                         a["counts"]["meeting_missing"] - sum(1 for i in monthly if i["org_id"] == b))
        # other alerts are untouched
        self.assertEqual([i for i in a2["items"] if i["org_id"] != b], [i for i in a["items"] if i["org_id"] != b])

    def test_a_quarterly_alert_names_the_last_completed_quarter(self):
        q_start = datetime.date(self.today.year, (self.today.month - 1) // 3 * 3 + 1, 1)
        q_end = q_start - datetime.timedelta(days=1)
        a = self.alerts(org=1)
        qs = [i for i in a["items"] if i["kind"] == "meeting_missing" and "季度" in i["subject"]]
        for i in qs:
            self.assertEqual(i["due_on"], q_end.isoformat(), i)
            self.assertIn("第%d季度" % ((q_end.month + 2) // 3), i["subject"])
            self.assertTrue(any(lbl in i["subject"] for lbl in ("支部党员大会", "党课")), i)
        for i in a["items"]:
            if i["kind"] == "meeting_missing":
                self.assertEqual(i["severity"], "medium")
                self.assertEqual(i["link"], "#/meetings?org=%d" % i["org_id"])

    def test_the_secretary_sees_only_their_branch_and_the_auditor_nothing(self):
        sec = self.as_user("secretary")
        st, orgs, _ = sec.get("/orgs")
        inside = {o["id"] for o in orgs["items"]}
        s = self.alerts(client=sec)
        self.assertTrue(all(i["org_id"] in inside for i in s["items"]), s["items"])
        full = self.alerts(org=1)
        self.assertEqual(s["items"], [i for i in full["items"] if i["org_id"] in inside])
        self.assertEqual(s["total"], len(s["items"]))
        outside = next(o["id"] for o in self.orgs() if o["id"] not in inside)
        self.assertError(sec.get("/alerts", {"org": outside}), 404, "not_found")
        self.assertError(self.auditor.get("/alerts"), 403, "forbidden")


if __name__ == "__main__":
    unittest.main()
