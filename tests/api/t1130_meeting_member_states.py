"""t1130: who may be recorded at a meeting once member states exist (RULES.md 4.3, 6.3): a member who
has left, is suspended or was transferred out is refused as an attendee in any role; a lost member
only as absent or on leave; a state that began after the meeting's date does not matter. Refusals
change nothing."""

import datetime
import unittest

from meeting_util import MeetingTest, att, meeting


def add_months(d, n):
    import calendar
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


class T1130MeetingMemberStates(MeetingTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.as_user("admin")
        cls.branch = cls.as_user("secretary").user["org_id"]
        today = cls.today

        def new():
            from harness import member_payload
            st, m, _ = admin.post("/members", member_payload(cls.branch))
            assert st == 201, m
            return m["id"]

        def ok(resp):
            st, body, _ = resp
            assert st in (200, 201), body
            return body

        cls.active = [new() for _ in range(3)]
        # left today
        cls.left = new()
        ok(admin.post("/members/%d/exit" % cls.left, {"reason": "death", "on": today.isoformat()}))
        # lost 40 days ago
        cls.lost_contact = today - datetime.timedelta(days=40)
        cls.lost = new()
        ok(admin.post("/members/%d/lost" % cls.lost, {"last_contact_on": cls.lost_contact.isoformat(),
                                                      "situation": "work_away"}))
        # suspended two months ago (lost for eight)
        cls.suspended = new()
        contact = add_months(today, -8)
        cls.suspended_on = add_months(contact, 6)
        ok(admin.post("/members/%d/lost" % cls.suspended, {"last_contact_on": contact.isoformat(),
                                                           "situation": "address_unknown"}))
        ok(admin.post("/members/%d/suspend" % cls.suspended, {"on": cls.suspended_on.isoformat()}))
        # transferred out by an outbound letter's receipt today
        cls.transferred = new()
        t = ok(admin.post("/transfers", {"kind": "outbound", "member_id": cls.transferred, "to_text": "外省某党委"}))
        t = ok(admin.post("/transfers/%d/approve" % t["id"], {"side": "sending"}))
        ok(admin.post("/transfers/receipt", {"letter_no": t["letter_no"], "on": today.isoformat()}))

    def refused(self, body, words):
        before = self.snapshot()
        err = self.assertError(self.admin.post("/meetings", body), 422, "validation_failed", field="attendees")
        for w in words:
            self.assertIn(w, err["fields"]["attendees"])
        self.assertEqual(self.snapshot(), before, "a refused meeting changed something")
        return err

    def base(self):
        return [att(m) for m in self.active]

    def test_members_off_the_roll_are_refused_in_every_role(self):
        for mid, label in ((self.left, "已出党"), (self.suspended, "停止党籍"), (self.transferred, "已转出")):
            for status in ("present", "absent", "leave", "nonvoting"):
                self.refused(meeting(self.branch, "theme_day", self.base() + [att(mid, status)]), [label, "不能"])

    def test_a_lost_member_is_recorded_only_as_absent_or_on_leave(self):
        for status in ("present", "nonvoting"):
            self.refused(meeting(self.branch, "theme_day", self.base() + [att(self.lost, status)]),
                         ["失联", self.lost_contact.isoformat(), "缺席或请假"])
        for status in ("absent", "leave"):
            got = self.create(meeting(self.branch, "member_congress", self.base() + [att(self.lost, status)]))
            row = [a for a in got["attendees"] if a["member_id"] == self.lost]
            self.assertEqual(row[0]["status"], status)
            # still a member with a vote: counted as expected, not as present
            self.assertEqual((got["expected"], got["present"]), (4, 3))

    def test_a_state_that_began_after_the_meeting_does_not_matter(self):
        # the meeting was held before the member left, was suspended, transferred out or lost contact
        held = min(self.lost_contact, self.suspended_on) - datetime.timedelta(days=1)
        got = self.create(meeting(self.branch, "theme_day",
                                  self.base() + [att(self.left), att(self.lost), att(self.suspended),
                                                 att(self.transferred)], held_on=held.isoformat()))
        self.assertEqual(got["present"], 7)
        # and the record of that meeting stays editable with the same list
        body = {"attendees": [att(a["member_id"], a["status"]) for a in got["attendees"]], "topic": "补记会议"}
        again = self.assertStatus(self.admin.patch("/meetings/%d" % got["id"], body), 200)
        self.assertEqual(again["present"], 7)

    def test_changing_the_attendance_of_a_later_meeting_refuses_a_member_who_left(self):
        got = self.create(meeting(self.branch, "theme_day", self.base()))
        before = self.snapshot()
        err = self.assertError(self.admin.patch("/meetings/%d" % got["id"],
                                                {"attendees": self.base() + [att(self.left, "absent")]}),
                               422, "validation_failed", field="attendees")
        self.assertIn("已出党", err["fields"]["attendees"])
        self.assertEqual(self.snapshot(), before)


if __name__ == "__main__":
    unittest.main()
