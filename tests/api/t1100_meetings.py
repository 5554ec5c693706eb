"""t1100: meeting records (三会一课 纪实): attendance, votes and their quorum and majority rules
(MTG-02, MTG-09, MTG-10, DEV-30), validation that writes nothing, PATCH and DELETE, scope and roles."""

import datetime
import unittest

from meeting_util import MeetingTest, att, dec, meeting


class T1100Meetings(MeetingTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        sec = cls.as_user("secretary")
        cls.branch = sec.user["org_id"]
        st, o, _ = admin.get("/orgs/%d" % cls.branch)
        cls.branch_path = o["path"]
        # six voting members in the secretary's branch
        mem = admin.all_items("/members", {"org": cls.branch})
        mem = [m for m in mem if m["org_id"] == cls.branch and m["status"] == "full"]
        while len(mem) < 6:
            from harness import member_payload
            st, m, _ = admin.post("/members", member_payload(cls.branch))
            assert st == 201, m
            mem.append(m)
        cls.mem = [m["id"] for m in mem[:6]]
        # a branch outside the secretary's subtree, with members
        st, orgs, _ = admin.get("/orgs")
        cls.outside = next(o for o in orgs["items"] if o["type"] == "branch" and o["member_count"] >= 2
                           and not o["path"].startswith(cls.branch_path))
        cls.outside_mem = [m["id"] for m in admin.all_items("/members", {"org": cls.outside["id"]})]

    def congress(self, n_present, n_leave, decisions, **over):
        """A 支部党员大会 of the branch with the first n_present members present and the next n_leave on leave;
        keyword arguments override fields of the body."""
        a = [att(m) for m in self.mem[:n_present]] + [att(m, "leave") for m in self.mem[n_present:n_present + n_leave]]
        body = meeting(self.branch, "member_congress", a, decisions)
        body.update(over)
        return body

    def only_decision(self, body):
        got = self.create(body)
        self.assertEqual(len(got["decisions"]), 1, got)
        return got, got["decisions"][0]

    # ---- create ----------------------------------------------------------------------------

    def test_a_member_congress_is_recorded_with_counts_and_checked_decisions(self):
        n = self.meeting_total(org=self.branch)
        body = self.congress(3, 1, [dec("接收张三为预备党员", 3, 0, 0, development=True),
                                    dec("通过支部年度工作计划", 2, 1, 0)])
        body["attendees"].append(att(self.outside_mem[0], "nonvoting"))   # 列席: no vote
        body["attendees"][0]["leader"] = True
        got = self.create(body)
        self.assertEqual(got["org_id"], self.branch)
        self.assertEqual(got["type"], "member_congress")
        self.assertEqual(got["type_label"], "支部党员大会")
        self.assertEqual(got["expected"], 4)
        self.assertEqual(got["present"], 3)
        self.assertTrue(got["complete"])
        self.assertEqual(got["status"], "held")
        self.assertEqual(got["held_on"], self.today.isoformat())
        self.assertEqual(got["start_time"], "15:00")
        self.assertEqual(got["minutes"], body["minutes"])
        self.assertEqual(got["files"], [])
        self.assertEqual(len(got["attendees"]), 5)
        by_id = {a["member_id"]: a for a in got["attendees"]}
        self.assertEqual(by_id[self.mem[0]]["leader"], True)
        self.assertEqual(by_id[self.mem[3]]["status"], "leave")
        self.assertEqual(by_id[self.mem[3]]["reason"], "因公出差")
        self.assertEqual(by_id[self.outside_mem[0]]["status"], "nonvoting")
        self.assertTrue(all(a["name"] for a in got["attendees"]))
        d1, d2 = got["decisions"]
        # development: 3 of 4 present is more than half; 3 yes > 4/2
        self.assertEqual((d1["title"], d1["development"], d1["quorum"], d1["valid"]),
                         ("接收张三为预备党员", True, True, True))
        self.assertIn("应到4人", d1["reason"])
        self.assertIn("实到3人", d1["reason"])
        # general: 2 yes is not more than half of the 4 expected (though it is of the 3 present)
        self.assertEqual((d2["quorum"], d2["valid"]), (True, False), d2)
        self.assertIn("赞成2票", d2["reason"])
        self.assertIn("应到人数", d2["reason"])
        self.assertEqual(self.meeting_total(org=self.branch), n + 1)
        again = self.assertStatus(self.admin.get("/meetings/%d" % got["id"]), 200)
        self.assertEqual(again, got)
        listed = self.admin.all_items("/meetings", {"org": self.branch, "type": "member_congress",
                                                    "from": self.today.isoformat()})
        self.assertIn(got["id"], [m["id"] for m in listed])
        row = next(m for m in listed if m["id"] == got["id"])
        self.assertEqual((row["expected"], row["present"], row["complete"], row["org_name"]),
                         (4, 3, True, got["org_name"]))
        self.assertNotIn("attendees", row)

    def test_a_probationary_member_attends_without_a_vote(self):
        # DEV-30: probationary members have no vote, so they count neither as expected nor present
        from harness import member_payload
        body = member_payload(self.branch)
        body.update(status="probationary", full_member_on=None)
        st, prob, _ = self.admin.post("/members", body)
        self.assertEqual(st, 201, prob)
        got = self.create(meeting(self.branch, "member_congress", [att(self.mem[0]), att(self.mem[1]), att(prob["id"])]))
        self.assertEqual((got["expected"], got["present"]), (2, 2))
        self.assertEqual(len(got["attendees"]), 3)

    def test_a_general_vote_at_exactly_half_present_has_a_quorum_but_passes_only_with_more_than_half_of_expected(self):
        # 2 of 4 present: 2*2 >= 4, quorum; every present voting yes is still not more than half of 4
        got, d = self.only_decision(self.congress(2, 2, [dec("一般事项", 2, 0, 0)]))
        self.assertEqual((got["expected"], got["present"]), (4, 2))
        self.assertTrue(d["quorum"], d)
        self.assertFalse(d["valid"], d)
        self.assertIn("恰为半数", d["reason"])
        # 3 of 6 present, and 3 of 5 present
        _, d = self.only_decision(self.congress(3, 3, [dec("一般事项", 3, 0, 0)]))
        self.assertEqual((d["quorum"], d["valid"]), (True, False), d)
        _, d = self.only_decision(self.congress(2, 3, [dec("一般事项", 2, 0, 0)]))
        self.assertEqual((d["quorum"], d["valid"]), (False, False), d)
        self.assertIn("不足半数", d["reason"])
        # 4 of 6 present: 4 yes > 3 passes, 3 yes does not (3 is exactly half of 6)
        _, d = self.only_decision(self.congress(4, 2, [dec("一般事项", 4, 0, 0)]))
        self.assertEqual((d["quorum"], d["valid"]), (True, True), d)
        _, d = self.only_decision(self.congress(4, 2, [dec("一般事项", 3, 1, 0)]))
        self.assertEqual((d["quorum"], d["valid"]), (True, False), d)

    def test_a_development_vote_at_exactly_half_present_has_no_quorum(self):
        _, d = self.only_decision(self.congress(2, 2, [dec("接收预备党员", 2, 0, 0, development=True)]))
        self.assertFalse(d["quorum"], d)
        self.assertFalse(d["valid"], d)
        self.assertIn("未达到法定人数", d["reason"])
        _, d = self.only_decision(self.congress(3, 3, [dec("预备党员转正", 3, 0, 0, development=True)]))
        self.assertEqual((d["quorum"], d["valid"]), (False, False), d)
        # one more present: more than half, and 3 yes of 5 expected passes
        _, d = self.only_decision(self.congress(3, 2, [dec("预备党员转正", 3, 0, 0, development=True)]))
        self.assertEqual((d["quorum"], d["valid"]), (True, True), d)

    def test_a_committee_meeting_at_exactly_half_present_has_a_quorum(self):
        _, d = self.only_decision(self.congress(2, 2, [dec("支委会议题", 2, 0, 0)], type="committee_meeting"))
        self.assertTrue(d["quorum"], d)
        self.assertFalse(d["valid"], d)    # 2 yes is not more than half of 4 members
        _, d = self.only_decision(self.congress(3, 1, [dec("支委会议题", 3, 0, 0)], type="committee_meeting"))
        self.assertEqual((d["quorum"], d["valid"]), (True, True), d)
        _, d = self.only_decision(self.congress(1, 3, [dec("支委会议题", 1, 0, 0)], type="committee_meeting"))
        self.assertEqual((d["quorum"], d["valid"]), (False, False), d)

    def test_a_democratic_life_meeting_needs_two_thirds_present(self):
        kind = "democratic_life_meeting"
        _, d = self.only_decision(self.congress(4, 2, [dec("整改方案", 3, 1, 0)], type=kind))   # 4/6 = 2/3
        self.assertEqual((d["quorum"], d["valid"]), (True, True), d)                          # 3 > 4/2
        self.assertIn("达到三分之二", d["reason"])
        _, d = self.only_decision(self.congress(2, 1, [dec("整改方案", 2, 0, 0)], type=kind))   # 2/3
        self.assertEqual((d["quorum"], d["valid"]), (True, True), d)
        _, d = self.only_decision(self.congress(3, 2, [dec("整改方案", 3, 0, 0)], type=kind))   # 3/5 < 2/3
        self.assertEqual((d["quorum"], d["valid"]), (False, False), d)
        self.assertIn("不足三分之二", d["reason"])
        _, d = self.only_decision(self.congress(2, 2, [dec("整改方案", 2, 0, 0)], type=kind))   # 2/4
        self.assertFalse(d["quorum"], d)
        _, d = self.only_decision(self.congress(4, 2, [dec("整改方案", 2, 2, 0)], type=kind))   # 2 of 4 present
        self.assertEqual((d["quorum"], d["valid"]), (True, False), d)

    def test_a_planned_meeting_may_be_dated_after_today(self):
        tomorrow = (self.today + datetime.timedelta(days=1)).isoformat()
        got = self.create(meeting(self.branch, "party_lecture", [], held_on=tomorrow, status="planned",
                                  minutes=""))
        self.assertEqual((got["status"], got["held_on"], got["present"]), ("planned", tomorrow, 0))
        self.assertFalse(got["complete"])

    # ---- validation: 422/400 and nothing written ------------------------------------------------

    def assertRefused(self, body, status, field=None, code=None):
        before = self.snapshot()
        n = self.meeting_total()
        err = self.assertError(self.admin.post("/meetings", body), status,
                               code or ("validation_failed" if status == 422 else None), field=field)
        self.assertEqual(self.meeting_total(), n)
        self.assertEqual(self.snapshot(), before)
        return err

    def test_an_attendee_from_another_organisation_is_refused(self):
        body = self.congress(3, 0, [])
        body["attendees"].append(att(self.outside_mem[0]))
        self.assertRefused(body, 422, "attendees")
        body["attendees"][-1] = att(99999999)
        self.assertRefused(body, 422, "attendees")

    def test_absence_or_leave_without_a_reason_is_refused(self):
        body = self.congress(3, 0, [])
        body["attendees"].append({"member_id": self.mem[3], "status": "absent"})
        self.assertRefused(body, 422, "attendees")
        body["attendees"][-1] = {"member_id": self.mem[3], "status": "leave", "reason": ""}
        self.assertRefused(body, 422, "attendees")

    def test_a_duplicate_attendee_is_refused(self):
        body = self.congress(3, 0, [])
        body["attendees"].append(att(self.mem[0], "leave"))
        self.assertRefused(body, 422, "attendees")

    def test_a_held_meeting_dated_tomorrow_is_refused(self):
        tomorrow = (self.today + datetime.timedelta(days=1)).isoformat()
        self.assertRefused(self.congress(3, 0, [], held_on=tomorrow), 422, "held_on")
        body = self.congress(3, 0, [], held_on=tomorrow)
        del body["status"]                      # held by default
        self.assertRefused(body, 422, "held_on")

    def test_counts_that_contradict_the_attendance_list_are_refused(self):
        self.assertRefused(self.congress(3, 1, [], expected=5), 422, "expected")
        self.assertRefused(self.congress(3, 1, [], present=4), 422, "present")
        # counts that agree are accepted
        got = self.create(self.congress(3, 1, [], expected=4, present=3))
        self.assertEqual((got["expected"], got["present"]), (4, 3))

    def test_votes_adding_up_to_more_than_those_present_are_refused(self):
        self.assertRefused(self.congress(3, 1, [dec("事项", 2, 1, 1)]), 422, "decisions")
        self.assertRefused(self.congress(3, 1, [dec("事项", 4, 0, 0)]), 422, "decisions")
        self.assertRefused(self.congress(3, 1, [dec("事项", -1, 0, 0)]), 422)

    def test_a_development_vote_at_a_committee_meeting_is_refused(self):
        for kind in ("committee_meeting", "group_meeting", "theme_day"):
            self.assertRefused(self.congress(3, 1, [dec("接收预备党员", 3, 0, 0, development=True)], type=kind),
                               422, "decisions")

    def test_an_unknown_meeting_type_is_refused(self):
        self.assertRefused(self.congress(3, 1, [], type="tea_party"), 422, "type")
        body = self.congress(3, 1, [])
        del body["type"]
        self.assertRefused(body, 422, "type")

    def test_an_unknown_field_is_a_bad_request(self):
        body = self.congress(3, 1, [])
        body["colour"] = "red"
        self.assertRefused(body, 400, code="unknown_field")
        body = self.congress(3, 1, [])
        body["attendees"][0]["vote"] = "yes"
        self.assertRefused(body, 400, code="unknown_field")
        body = self.congress(3, 1, [dec("事项", 1)])
        body["decisions"][0]["secret"] = True
        self.assertRefused(body, 400, code="unknown_field")

    def test_a_bad_start_time_is_refused(self):
        for t in ("25:00", "9:30", "12:60", "12-30", "noon"):
            self.assertRefused(self.congress(3, 1, [], start_time=t), 422, "start_time")

    def test_other_bad_values_are_refused(self):
        self.assertRefused(self.congress(3, 1, [], held_on="2026-02-30"), 422, "held_on")
        self.assertRefused(self.congress(3, 1, [], topic=""), 422, "topic")
        self.assertRefused(self.congress(3, 1, [], status="cancelled"), 422, "status")
        self.assertRefused(self.congress(3, 1, [], org_id=999999), 422, "org_id")
        tomorrow = (self.today + datetime.timedelta(days=1)).isoformat()
        self.assertRefused(self.congress(2, 0, [], held_on=tomorrow, status="planned"), 422, "status")
        self.assertRefused(self.congress(3, 1, [], attendees={"x": 1}), 422, "attendees")

    # ---- PATCH and DELETE ------------------------------------------------------------------------

    def test_replacing_the_attendees_recomputes_every_decision(self):
        got = self.create(self.congress(4, 0, [dec("事项甲", 3, 0, 0), dec("接收预备党员", 3, 0, 0, development=True)]))
        self.assertEqual([(d["quorum"], d["valid"]) for d in got["decisions"]], [(True, True), (True, True)])
        mid = got["id"]
        # two more expected members, on leave: 4 of 6 present; 3 yes is no longer more than half of 6
        new_att = [att(m) for m in self.mem[:4]] + [att(m, "leave") for m in self.mem[4:6]]
        upd = self.assertStatus(self.admin.patch("/meetings/%d" % mid, {"attendees": new_att}), 200)
        self.assertEqual((upd["expected"], upd["present"]), (6, 4))
        self.assertEqual([(d["quorum"], d["valid"]) for d in upd["decisions"]], [(True, False), (True, False)])
        self.assertIn("应到6人", upd["decisions"][0]["reason"])
        self.assertEqual([d["yes"] for d in upd["decisions"]], [3, 3])
        self.assertEqual(self.assertStatus(self.admin.get("/meetings/%d" % mid), 200)["decisions"], upd["decisions"])
        # 3 of 6 present: the development vote loses its quorum, the general one keeps it
        new_att = [att(m) for m in self.mem[:3]] + [att(m, "leave") for m in self.mem[3:6]]
        upd = self.assertStatus(self.admin.patch("/meetings/%d" % mid, {"attendees": new_att}), 200)
        self.assertEqual([(d["quorum"], d["valid"]) for d in upd["decisions"]], [(True, False), (False, False)])
        # back to 4 present, and the decisions become valid again
        upd = self.assertStatus(self.admin.patch("/meetings/%d" % mid, {"attendees": [att(m) for m in self.mem[:4]]}), 200)
        self.assertEqual([(d["quorum"], d["valid"]) for d in upd["decisions"]], [(True, True), (True, True)])
        # fewer present than the votes cast: refused, nothing changes
        before = self.snapshot()
        self.assertError(self.admin.patch("/meetings/%d" % mid, {"attendees": [att(m) for m in self.mem[:2]]}),
                         422, "validation_failed", field="attendees")
        self.assertEqual(self.snapshot(), before)

    def test_changing_the_type_does_not_keep_a_decision_the_new_type_may_not_take(self):
        # POST refuses a development vote at a 支委会; PATCHing the type of a congress that took one must not
        # leave such a record behind (nor keep quorum flags computed under the old type's rule)
        got = self.create(self.congress(3, 1, [dec("接收预备党员", 3, 0, 0, development=True)]))
        before = self.snapshot()
        r = self.admin.patch("/meetings/%d" % got["id"], {"type": "committee_meeting"})
        stored = self.assertStatus(self.admin.get("/meetings/%d" % got["id"]), 200)
        bad = stored["type"] != "member_congress" and any(d["development"] for d in stored["decisions"])
        self.assertFalse(bad, "PATCH type answered %s %.300r; stored: type %s with decisions %r"
                         % (r[0], r[1], stored["type"], stored["decisions"]))
        if r[0] == 422:
            self.assertEqual(self.snapshot(), before)

    def test_patching_fields_keeps_the_rest(self):
        got = self.create(self.congress(3, 1, [dec("事项", 3)]))
        upd = self.assertStatus(self.admin.patch("/meetings/%d" % got["id"], {"place": "第二会议室", "topic": "新主题"}), 200)
        self.assertEqual((upd["place"], upd["topic"]), ("第二会议室", "新主题"))
        for k in ("attendees", "decisions", "expected", "present", "held_on", "type", "minutes"):
            self.assertEqual(upd[k], got[k], k)
        before = self.snapshot()
        self.assertError(self.admin.patch("/meetings/%d" % got["id"], {"start_time": "7pm"}), 422, field="start_time")
        self.assertError(self.admin.patch("/meetings/%d" % got["id"], {"nope": 1}), 400, "unknown_field")
        self.assertEqual(self.snapshot(), before)

    def test_patching_the_organisation_keeps_attendees_and_organisation_consistent(self):
        # attendees are checked against the organisation sent; whatever the answer, the stored meeting's
        # voting attendees must belong to the meeting's organisation
        got = self.create(self.congress(2, 0, []))
        r = self.admin.patch("/meetings/%d" % got["id"],
                             {"org_id": self.outside["id"], "attendees": [att(m) for m in self.outside_mem[:2]]})
        stored = self.assertStatus(self.admin.get("/meetings/%d" % got["id"]), 200)
        ids = {m["id"] for m in self.members_of(stored["org_id"])}
        voting = {a["member_id"] for a in stored["attendees"] if a["status"] != "nonvoting"}
        self.assertTrue(voting <= ids, "PATCH answered %s; meeting stays at org %s but now lists members %s of org %s"
                        % (r[0], stored["org_id"], sorted(voting - ids), self.outside["id"]))

    def test_delete_answers_204_then_404(self):
        got = self.create(self.congress(3, 1, [dec("事项", 3)]))
        n = self.meeting_total()
        a = self.audit_count()
        st, body, _ = self.admin.delete("/meetings/%d" % got["id"])
        self.assertEqual(st, 204, body)
        self.assertEqual(self.meeting_total(), n - 1)
        self.assertEqual(self.audit_count(), a + 1)
        self.assertError(self.admin.get("/meetings/%d" % got["id"]), 404, "not_found")
        self.assertError(self.admin.delete("/meetings/%d" % got["id"]), 404, "not_found")
        self.assertError(self.admin.patch("/meetings/%d" % got["id"], {"topic": "x"}), 404, "not_found")
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = ?",
                                         (got["id"],))[0][0] in (0, "0"), True)

    def test_writes_are_audited(self):
        a = self.audit_count()
        got = self.create(self.congress(3, 1, []))
        self.assertEqual(self.audit_count(), a + 1)
        row = self.server.sql("SELECT action, entity, entity_id FROM audit_log ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual([str(x) for x in row], ["meeting.create", "meeting", str(got["id"])])
        self.assertStatus(self.admin.patch("/meetings/%d" % got["id"], {"place": "x"}), 200)
        self.assertEqual(self.audit_count(), a + 2)

    # ---- scope and roles --------------------------------------------------------------------------

    def test_the_secretary_records_meetings_of_their_branch(self):
        got = self.create(self.congress(3, 1, []), client=self.secretary)
        self.assertStatus(self.secretary.get("/meetings/%d" % got["id"]), 200)
        items = self.secretary.all_items("/meetings")
        self.assertIn(got["id"], [m["id"] for m in items])
        st, orgs, _ = self.secretary.get("/orgs")
        inside = {o["id"] for o in orgs["items"]}
        self.assertTrue({m["org_id"] for m in items} <= inside)

    def test_the_secretary_cannot_see_or_create_meetings_outside_their_branch(self):
        out = self.create(meeting(self.outside["id"], "theme_day", [att(m) for m in self.outside_mem]))
        self.assertError(self.secretary.get("/meetings/%d" % out["id"]), 404, "not_found")
        self.assertError(self.secretary.patch("/meetings/%d" % out["id"], {"topic": "越权"}), 404, "not_found")
        self.assertError(self.secretary.delete("/meetings/%d" % out["id"]), 404, "not_found")
        self.assertError(self.secretary.get("/meetings", {"org": self.outside["id"]}), 404, "not_found")
        self.assertError(self.secretary.get("/meetings", {"org": 1}), 404, "not_found")
        self.assertError(self.secretary.get("/calendar", {"org": self.outside["id"]}), 404, "not_found")
        self.assertNotIn(out["id"], [m["id"] for m in self.secretary.all_items("/meetings")])
        # creating one for an outside organisation: refused as for POST /members (org_id not found in scope)
        before = self.snapshot()
        st, body, _ = self.secretary.post("/meetings", meeting(self.outside["id"], "theme_day",
                                                               [att(m) for m in self.outside_mem]))
        self.assertIn(st, (404, 422), body)
        if st == 422:
            self.assertIn("org_id", body["error"].get("fields") or {}, body)
        # voting attendees from outside at the secretary's own branch: refused too
        self.assertError(self.secretary.post("/meetings", meeting(self.branch, "theme_day",
                                                                  [att(self.outside_mem[0])])), 422, field="attendees")
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.assertStatus(self.admin.get("/meetings/%d" % out["id"]), 200)["topic"], out["topic"])

    def test_the_auditor_may_not_read_or_write_meetings(self):
        got = self.create(self.congress(3, 1, []))
        self.assertError(self.auditor.get("/meetings"), 403, "forbidden")
        self.assertError(self.auditor.get("/meetings/%d" % got["id"]), 403, "forbidden")
        self.assertError(self.auditor.post("/meetings", self.congress(3, 1, [])), 403, "forbidden")
        self.assertError(self.auditor.patch("/meetings/%d" % got["id"], {"topic": "x"}), 403, "forbidden")
        self.assertError(self.auditor.delete("/meetings/%d" % got["id"]), 403, "forbidden")
        self.assertError(self.auditor.get("/calendar"), 403, "forbidden")

    # ---- calendar ------------------------------------------------------------------------------------

    def test_a_meeting_appears_on_its_day_in_the_calendar(self):
        day = self.today.replace(day=1) - datetime.timedelta(days=40)
        day = day.replace(day=28 if day.month == 2 else 29)  # a day the demo never uses (3..22)
        got = self.create(self.congress(3, 1, [], held_on=day.isoformat(), type="party_lecture"))
        month = day.strftime("%Y-%m")
        cal = self.assertStatus(self.admin.get("/calendar", {"org": self.branch, "month": month}), 200)
        self.assertEqual((cal["month"], cal["org_id"]), (month, self.branch))
        import calendar as pycal
        self.assertEqual(len(cal["days"]), pycal.monthrange(day.year, day.month)[1])
        self.assertEqual([d["date"] for d in cal["days"]][0], "%s-01" % month)
        for d in cal["days"]:
            ids = [m["id"] for m in d["meetings"]]
            if d["date"] == day.isoformat():
                self.assertIn(got["id"], ids)
                m = next(m for m in d["meetings"] if m["id"] == got["id"])
                self.assertEqual((m["type"], m["held_on"], m["org_id"]), ("party_lecture", day.isoformat(), self.branch))
            else:
                self.assertNotIn(got["id"], ids)
            for m in d["meetings"]:
                self.assertEqual(m["held_on"], d["date"])
        # the secretary sees it too; the month before does not have it
        cal = self.assertStatus(self.secretary.get("/calendar", {"month": month}), 200)
        self.assertIn(got["id"], [m["id"] for d in cal["days"] for m in d["meetings"]])
        prev = (day.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
        cal = self.assertStatus(self.admin.get("/calendar", {"org": self.branch, "month": prev}), 200)
        self.assertNotIn(got["id"], [m["id"] for d in cal["days"] for m in d["meetings"]])
        self.assertError(self.admin.get("/calendar", {"month": "2026-13"}), 400)
        self.assertError(self.admin.get("/calendar", {"month": "May"}), 400)


if __name__ == "__main__":
    unittest.main()
