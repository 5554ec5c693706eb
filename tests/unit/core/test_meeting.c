/*
 * test_meeting.c: unit tests for src/core/meeting.c: the enumerations and
 * default frequencies, both sides of every quorum and majority boundary
 * (MTG-02, MTG-09, MTG-10, DEV-30 vectors), refused inconsistent votes,
 * period arithmetic (quarters, year ends, leap years) and MTG-15 compliance.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/meeting.h"

#include <limits.h>
#include <setjmp.h>
#include <cmocka.h>

/* ---------------------------------------------------------------- helpers */

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

static struct period
P(struct date from, struct date to) {
	return (struct period){ from, to };
}

static struct vote_input
V(int type, int expected, int present, int yes, int no, int abstain, bool dev) {
	return (struct vote_input){ .type = type,
				    .expected = expected,
				    .present = present,
				    .yes = yes,
				    .no = no,
				    .abstain = abstain,
				    .development = dev };
}

/* Checks a vote under `s` (NULL = defaults); the call must succeed. */
static struct vote_result
check_with(const struct meeting_settings *s, struct vote_input in)
{
	struct err e = ERR_INIT;
	struct vote_result r;

	memset(&r, 0xAB, sizeof(r));
	if (meeting_vote_check(s, &in, &r, &e) != 0)
		fail_msg("meeting_vote_check(type %d, %d/%d, yes %d) failed: %s", in.type, in.present,
			 in.expected, in.yes, e.message);
	assert_false(err_is_set(&e));
	assert_true(strlen(r.reason) > 0 && strlen(r.reason) < sizeof(r.reason));
	if (!r.quorum)
		assert_false(r.passed);
	print_message("%s\n", r.reason);
	return r;
}

static struct vote_result check(struct vote_input in)
{
	return check_with(NULL, in);
}

static void assert_vote(struct vote_input in, bool quorum, bool passed)
{
	struct vote_result r = check(in);

	assert_int_equal(r.quorum, quorum);
	assert_int_equal(r.passed, passed);
}

/* Checks that the vote is refused with (at least) the field error given. */
static void assert_refused(struct vote_input in, const char *field, const char *message)
{
	struct err e = ERR_INIT;
	struct vote_result r;
	const char *got;

	memset(&r, 0xAB, sizeof(r));
	assert_int_equal(meeting_vote_check(NULL, &in, &r, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	assert_string_equal(e.code, "validation_failed");
	got = err_field_message(&e, field);
	if (!got)
		fail_msg("no field error for '%s'", field);
	assert_string_equal(got, message);
	assert_false(r.quorum);
	assert_false(r.passed);
	assert_string_equal(r.reason, "");
	err_release(&e);
}

static void assert_date(struct date d, int y, int m, int day)
{
	assert_int_equal(d.y, y);
	assert_int_equal(d.m, m);
	assert_int_equal(d.d, day);
}

static void assert_period(struct period p, struct date from, struct date to)
{
	assert_date(p.from, from.y, from.m, from.d);
	assert_date(p.to, to.y, to.m, to.d);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static const int other_types[] = { MTG_GROUP_MEETING,    MTG_PARTY_LECTURE, MTG_THEME_DAY,
				   MTG_ORG_LIFE_MEETING, MTG_EVALUATION,    MTG_HEART_TALK,
				   MTG_STUDY_SESSION };

/* ------------------------------------------------------ enums and settings */

static void test_enums(void **state)
{
	static const struct {
		int value;
		const char *json, *label;
	} types[] = {
		{ MTG_MEMBER_CONGRESS, "member_congress", "支部党员大会" },
		{ MTG_COMMITTEE_MEETING, "committee_meeting", "支委会" },
		{ MTG_GROUP_MEETING, "group_meeting", "党小组会" },
		{ MTG_PARTY_LECTURE, "party_lecture", "党课" },
		{ MTG_THEME_DAY, "theme_day", "主题党日" },
		{ MTG_ORG_LIFE_MEETING, "org_life_meeting", "组织生活会" },
		{ MTG_EVALUATION, "evaluation", "民主评议党员" },
		{ MTG_HEART_TALK, "heart_talk", "谈心谈话" },
		{ MTG_DEMOCRATIC_LIFE_MEETING, "democratic_life_meeting", "民主生活会" },
		{ MTG_STUDY_SESSION, "study_session", "中心组学习" },
	}, att[] = {
		{ ATT_PRESENT, "present", "出席" },
		{ ATT_ABSENT, "absent", "缺席" },
		{ ATT_LEAVE, "leave", "请假" },
		{ ATT_NONVOTING, "nonvoting", "列席" },
	};
	size_t n;

	UNUSED(state);
	assert_int_equal(ARRAY_SIZE(types), MTG_TYPE_COUNT - 1);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		assert_int_equal(meeting_type_enum[i].value, types[i].value);
		assert_string_equal(meeting_type_enum[i].json, types[i].json);
		assert_string_equal(meeting_type_enum[i].label, types[i].label);
		assert_int_equal(enum_from_json(meeting_type_enum, types[i].json), types[i].value);
		assert_string_equal(enum_label(meeting_type_enum, types[i].value), types[i].label);
	}
	for (n = 0; meeting_type_enum[n].json; n++)
		;
	assert_int_equal(n, ARRAY_SIZE(types));
	assert_int_equal(meeting_type_enum[n].value, 0);
	assert_null(meeting_type_enum[n].label);

	for (size_t i = 0; i < ARRAY_SIZE(att); i++) {
		assert_int_equal(attendance_enum[i].value, att[i].value);
		assert_string_equal(attendance_enum[i].json, att[i].json);
		assert_string_equal(attendance_enum[i].label, att[i].label);
		assert_int_equal(enum_from_json(attendance_enum, att[i].json), att[i].value);
	}
	for (n = 0; attendance_enum[n].json; n++)
		;
	assert_int_equal(n, ARRAY_SIZE(att));
	assert_null(enum_json(meeting_type_enum, MTG_NONE));
	assert_null(enum_json(attendance_enum, ATT_NONE));
}

static void test_settings_default(void **state)
{
	struct meeting_settings s;

	UNUSED(state);
	memset(&s, 0x5A, sizeof(s));
	meeting_settings_default(&s);
	assert_false(s.general_quorum_strict);
	assert_int_equal(s.rule[MTG_NONE].period, PERIOD_NONE);
	assert_int_equal(s.rule[MTG_MEMBER_CONGRESS].period, PERIOD_QUARTER);
	assert_int_equal(s.rule[MTG_MEMBER_CONGRESS].count, 1);
	assert_int_equal(s.rule[MTG_COMMITTEE_MEETING].period, PERIOD_MONTH);
	assert_int_equal(s.rule[MTG_COMMITTEE_MEETING].count, 1);
	assert_int_equal(s.rule[MTG_GROUP_MEETING].period, PERIOD_MONTH);
	assert_int_equal(s.rule[MTG_GROUP_MEETING].count, 1);
	assert_int_equal(s.rule[MTG_PARTY_LECTURE].period, PERIOD_QUARTER);
	assert_int_equal(s.rule[MTG_PARTY_LECTURE].count, 1);
	assert_int_equal(s.rule[MTG_THEME_DAY].period, PERIOD_MONTH);
	assert_int_equal(s.rule[MTG_THEME_DAY].count, 1);
	assert_int_equal(s.rule[MTG_ORG_LIFE_MEETING].period, PERIOD_YEAR);
	assert_int_equal(s.rule[MTG_ORG_LIFE_MEETING].count, 1);
	assert_int_equal(s.rule[MTG_EVALUATION].period, PERIOD_YEAR);
	assert_int_equal(s.rule[MTG_EVALUATION].count, 1);
	assert_int_equal(s.rule[MTG_HEART_TALK].period, PERIOD_YEAR);
	assert_int_equal(s.rule[MTG_HEART_TALK].count, 1);
	assert_int_equal(s.rule[MTG_DEMOCRATIC_LIFE_MEETING].period, PERIOD_NONE);
	assert_int_equal(s.rule[MTG_DEMOCRATIC_LIFE_MEETING].count, 0);
	assert_int_equal(s.rule[MTG_STUDY_SESSION].period, PERIOD_NONE);
	assert_int_equal(s.rule[MTG_STUDY_SESSION].count, 0);
}

/* ------------------------------------------------------------------- votes */

/* MTG-10 general votes: quorum 2*present >= expected, pass 2*yes > expected. */
static void test_member_congress_general(void **state)
{
	struct vote_result r;

	UNUSED(state);
	/* Even expected: exactly half present is a quorum; one fewer is not. */
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 6, 0, 0, 0, false), true, false);
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 5, 5, 0, 0, false), false, false);
	/* Pass: exactly half of expected fails, one more passes, even with all present voting yes. */
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 6, 6, 0, 0, false), true, false);
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 12, 6, 6, 0, false), true, false);
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 7, 7, 0, 0, false), true, true);
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 12, 7, 3, 2, false), true, true);
	/* Odd expected. */
	assert_vote(V(MTG_MEMBER_CONGRESS, 11, 6, 6, 0, 0, false), true, true);
	assert_vote(V(MTG_MEMBER_CONGRESS, 11, 5, 5, 0, 0, false), false, false);
	assert_vote(V(MTG_MEMBER_CONGRESS, 11, 11, 5, 6, 0, false), true, false);
	/* The denominator of the majority is expected, not present. */
	assert_vote(V(MTG_MEMBER_CONGRESS, 12, 8, 5, 3, 0, false), true, false);

	r = check(V(MTG_MEMBER_CONGRESS, 12, 7, 7, 0, 0, false));
	assert_string_equal(
		r.reason, "应到12人，实到7人，超过半数，达到法定人数；赞成7票，超过应到人数的半数，决议有效");
	r = check(V(MTG_MEMBER_CONGRESS, 12, 6, 6, 0, 0, false));
	assert_string_equal(
		r.reason,
		"应到12人，实到6人，恰为半数，达到法定人数；赞成6票，未超过应到人数的半数，决议未通过");
	r = check(V(MTG_MEMBER_CONGRESS, 12, 5, 5, 0, 0, false));
	assert_string_equal(r.reason, "应到12人，实到5人，不足半数，未达到法定人数，表决无效");
}

/* general_quorum_strict: the general vote uses DEV-30's "more than half". */
static void test_member_congress_strict_setting(void **state)
{
	struct meeting_settings s;

	UNUSED(state);
	meeting_settings_default(&s);
	s.general_quorum_strict = true;
	assert_false(check_with(&s, V(MTG_MEMBER_CONGRESS, 12, 6, 0, 0, 0, false)).quorum);
	assert_true(check_with(&s, V(MTG_MEMBER_CONGRESS, 12, 7, 7, 0, 0, false)).passed);
	assert_true(check_with(&s, V(MTG_MEMBER_CONGRESS, 11, 6, 6, 0, 0, false)).passed);
	assert_false(check_with(&s, V(MTG_MEMBER_CONGRESS, 11, 5, 5, 0, 0, false)).quorum);
	/* Other types are not affected. */
	assert_true(check_with(&s, V(MTG_COMMITTEE_MEETING, 6, 3, 0, 0, 0, false)).quorum);
	assert_true(check_with(&s, V(MTG_THEME_DAY, 10, 5, 0, 0, 0, false)).quorum);
}

/* DEV-30: quorum 2*present > expected, pass 2*yes > expected; RULES.md vectors (expected 16). */
static void test_development_dev30(void **state)
{
	struct vote_input in;
	struct vote_result r;

	UNUSED(state);
	r = check(V(MTG_MEMBER_CONGRESS, 16, 8, 8, 0, 0, true));
	assert_false(r.quorum);
	assert_false(r.passed);
	assert_string_equal(r.reason, "应到16人，实到8人，恰为半数，未超过半数，未达到法定人数，表决无效");
	assert_vote(V(MTG_MEMBER_CONGRESS, 16, 9, 8, 1, 0, true), true, false);
	assert_vote(V(MTG_MEMBER_CONGRESS, 16, 9, 9, 0, 0, true), true, true);
	assert_vote(V(MTG_MEMBER_CONGRESS, 16, 7, 7, 0, 0, true), false, false);
	/* Odd expected. */
	assert_vote(V(MTG_MEMBER_CONGRESS, 15, 8, 8, 0, 0, true), true, true);
	assert_vote(V(MTG_MEMBER_CONGRESS, 15, 7, 7, 0, 0, true), false, false);

	/* present 10, yes 7 + 2 written yes -> 9 > 8 passed; 7 + 1 = 8 is exactly half. */
	in = V(MTG_MEMBER_CONGRESS, 16, 10, 7, 2, 1, true);
	in.written_yes = 2;
	r = check(in);
	assert_true(r.quorum);
	assert_true(r.passed);
	assert_string_equal(
		r.reason,
		"应到16人，实到10人，超过半数，达到法定人数；赞成9票（其中书面意见2票），超过应到人数的半数，决议有效");
	in.written_yes = 1;
	r = check(in);
	assert_true(r.quorum);
	assert_false(r.passed);
	/* Written opinions do not make the quorum. */
	in = V(MTG_MEMBER_CONGRESS, 16, 8, 8, 0, 0, true);
	in.written_yes = 8;
	assert_vote(in, false, false);
}

/* MTG-02: quorum 2*present >= members, pass 2*yes > members. */
static void test_committee(void **state)
{
	struct vote_result r;

	UNUSED(state);
	assert_vote(V(MTG_COMMITTEE_MEETING, 6, 3, 0, 0, 0, false), true, false);
	assert_vote(V(MTG_COMMITTEE_MEETING, 6, 2, 2, 0, 0, false), false, false);
	assert_vote(V(MTG_COMMITTEE_MEETING, 5, 3, 3, 0, 0, false), true, true);
	assert_vote(V(MTG_COMMITTEE_MEETING, 5, 2, 2, 0, 0, false), false, false);
	/* Exactly half of the members voting yes fails, even if all present agree. */
	assert_vote(V(MTG_COMMITTEE_MEETING, 6, 3, 3, 0, 0, false), true, false);
	assert_vote(V(MTG_COMMITTEE_MEETING, 6, 6, 3, 3, 0, false), true, false);
	assert_vote(V(MTG_COMMITTEE_MEETING, 6, 4, 4, 0, 0, false), true, true);
	assert_vote(V(MTG_COMMITTEE_MEETING, 7, 4, 4, 0, 0, false), true, true);
	assert_vote(V(MTG_COMMITTEE_MEETING, 7, 7, 3, 2, 2, false), true, false);
	r = check(V(MTG_COMMITTEE_MEETING, 6, 3, 3, 0, 0, false));
	assert_string_equal(
		r.reason,
		"应到6人，实到3人，恰为半数，达到法定人数；赞成3票，未超过应到人数的半数，决议未通过");
}

/* MTG-09: attendance 3*present >= 2*expected; pass 2*yes > present. */
static void test_democratic_life_meeting(void **state)
{
	struct vote_result r;

	UNUSED(state);
	assert_vote(V(MTG_DEMOCRATIC_LIFE_MEETING, 9, 6, 4, 2, 0, false), true, true);
	assert_vote(V(MTG_DEMOCRATIC_LIFE_MEETING, 9, 5, 5, 0, 0, false), false, false);
	assert_vote(V(MTG_DEMOCRATIC_LIFE_MEETING, 10, 7, 4, 3, 0, false), true, true);
	assert_vote(V(MTG_DEMOCRATIC_LIFE_MEETING, 10, 6, 6, 0, 0, false), false, false);
	/* Majority of those present: exactly half fails. */
	assert_vote(V(MTG_DEMOCRATIC_LIFE_MEETING, 9, 6, 3, 3, 0, false), true, false);
	assert_vote(V(MTG_DEMOCRATIC_LIFE_MEETING, 9, 9, 5, 4, 0, false), true, true);
	r = check(V(MTG_DEMOCRATIC_LIFE_MEETING, 9, 6, 4, 2, 0, false));
	assert_string_equal(
		r.reason,
		"应到9人，实到6人，达到三分之二，达到法定人数；赞成4票，超过实到人数的半数，决议有效");
	r = check(V(MTG_DEMOCRATIC_LIFE_MEETING, 9, 5, 5, 0, 0, false));
	assert_string_equal(r.reason, "应到9人，实到5人，不足三分之二，未达到法定人数，表决无效");
}

/* Other types: quorum 2*present >= expected, pass 2*yes > present. */
static void test_other_types(void **state)
{
	struct vote_result r;

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(other_types); i++) {
		int t = other_types[i];

		assert_vote(V(t, 10, 5, 3, 2, 0, false), true, true);
		assert_vote(V(t, 10, 4, 4, 0, 0, false), false, false);
		assert_vote(V(t, 11, 6, 4, 2, 0, false), true, true);
		assert_vote(V(t, 11, 5, 5, 0, 0, false), false, false);
		assert_vote(V(t, 10, 6, 3, 3, 0, false), true, false);
		assert_vote(V(t, 10, 6, 4, 0, 2, false), true, true);
	}
	r = check(V(MTG_THEME_DAY, 10, 6, 3, 3, 0, false));
	assert_string_equal(
		r.reason,
		"应到10人，实到6人，超过半数，达到法定人数；赞成3票，未超过实到人数的半数，决议未通过");
}

static void test_vote_refused(void **state)
{
	struct vote_input in;
	struct err e = ERR_INIT;
	struct vote_result r;

	UNUSED(state);
	assert_refused(V(MTG_MEMBER_CONGRESS, 0, 0, 0, 0, 0, false), "expected", "应到人数必须大于0");
	assert_refused(V(MTG_MEMBER_CONGRESS, -3, 0, 0, 0, 0, false), "expected", "应到人数必须大于0");
	assert_refused(V(MTG_MEMBER_CONGRESS, 10, -1, 0, 0, 0, false), "present", "实到人数不能为负数");
	assert_refused(V(MTG_MEMBER_CONGRESS, 10, 11, 6, 0, 0, false), "present", "实到人数不能超过应到人数");
	assert_refused(V(MTG_MEMBER_CONGRESS, 10, 8, -1, 0, 0, false), "yes", "赞成票数不能为负数");
	assert_refused(V(MTG_MEMBER_CONGRESS, 10, 8, 1, -1, 0, false), "no", "反对票数不能为负数");
	assert_refused(V(MTG_MEMBER_CONGRESS, 10, 8, 1, 0, -1, false), "abstain", "弃权票数不能为负数");
	assert_refused(V(MTG_MEMBER_CONGRESS, 10, 8, 5, 2, 2, false), "yes", "表决票数之和不能超过实到人数");
	assert_refused(V(MTG_THEME_DAY, 10, 8, INT_MAX, INT_MAX, INT_MAX, false), "yes",
		       "表决票数之和不能超过实到人数");
	assert_refused(V(MTG_NONE, 10, 8, 5, 0, 0, false), "type", "会议类型无效");
	assert_refused(V(MTG_TYPE_COUNT, 10, 8, 5, 0, 0, false), "type", "会议类型无效");
	assert_refused(V(MTG_COMMITTEE_MEETING, 5, 5, 5, 0, 0, true), "development",
		       "发展党员和预备党员转正只能由支部党员大会表决");
	in = V(MTG_MEMBER_CONGRESS, 16, 10, 7, 0, 0, false);
	in.written_yes = 1;
	assert_refused(in, "written_yes", "书面意见只用于发展党员和预备党员转正的表决");
	in.development = true;
	in.written_yes = 7;
	assert_refused(in, "written_yes", "书面意见票数不能超过未到会人数");
	in.written_yes = -1;
	assert_refused(in, "written_yes", "书面意见票数不能为负数");
	/* At the limits: all present voting and all absentees writing is accepted. */
	in = V(MTG_MEMBER_CONGRESS, 16, 10, 5, 3, 2, true);
	in.written_yes = 6;
	assert_vote(in, true, true);
	assert_vote(V(MTG_MEMBER_CONGRESS, 10, 10, 10, 0, 0, false), true, true);
	assert_vote(V(MTG_MEMBER_CONGRESS, 1, 0, 0, 0, 0, false), false, false);

	/* Every bad field is reported at once. */
	in = V(MTG_MEMBER_CONGRESS, 10, 11, -1, -2, -3, false);
	memset(&r, 0xAB, sizeof(r));
	assert_int_equal(meeting_vote_check(NULL, &in, &r, &e), -1);
	assert_int_equal(e.nfields, 4);
	assert_non_null(err_field_message(&e, "present"));
	assert_non_null(err_field_message(&e, "yes"));
	assert_non_null(err_field_message(&e, "no"));
	assert_non_null(err_field_message(&e, "abstain"));
	assert_false(r.quorum);
	assert_string_equal(r.reason, "");
	err_release(&e);
}

/* The longest texts with ten-digit numbers fit in reason[] whole. */
static void test_vote_reason_fits(void **state)
{
	struct vote_input in;
	struct vote_result r;

	UNUSED(state);
	in = V(MTG_MEMBER_CONGRESS, INT_MAX, INT_MAX - 1000, 1000000000, 1000000000, 0, true);
	in.written_yes = 1000;
	r = check(in);
	assert_true(r.quorum);
	assert_false(r.passed);
	assert_true(ends_with(r.reason, "决议未通过"));
	assert_non_null(strstr(r.reason, "赞成1000001000票（其中书面意见1000票）"));

	r = check(V(MTG_MEMBER_CONGRESS, 2000000000, 1000000000, 1000000000, 0, 0, false));
	assert_true(r.quorum);
	assert_false(r.passed);
	assert_string_equal(r.reason,
			    "应到2000000000人，实到1000000000人，恰为半数，达到法定人数；赞成1000000000票，"
			    "未超过应到人数的半数，决议未通过");
	r = check(V(MTG_DEMOCRATIC_LIFE_MEETING, INT_MAX, INT_MAX, INT_MAX / 2 + 1, INT_MAX / 2, 0, false));
	assert_true(r.passed);
	assert_true(ends_with(r.reason, "决议有效"));
}

static void test_vote_null_settings_are_defaults(void **state)
{
	struct meeting_settings s;
	struct vote_result a, b;

	UNUSED(state);
	meeting_settings_default(&s);
	for (int t = MTG_MEMBER_CONGRESS; t < MTG_TYPE_COUNT; t++) {
		for (int present = 0; present <= 8; present++) {
			a = check(V(t, 8, present, present, 0, 0, false));
			b = check_with(&s, V(t, 8, present, present, 0, 0, false));
			assert_int_equal(a.quorum, b.quorum);
			assert_int_equal(a.passed, b.passed);
			assert_string_equal(a.reason, b.reason);
		}
	}
}

/* ----------------------------------------------------------------- periods */

static void test_period_of(void **state)
{
	UNUSED(state);
	/* Months, leap years included (1900 is not one, 2000 is). */
	assert_period(period_of(PERIOD_MONTH, D(2024, 2, 10)), D(2024, 2, 1), D(2024, 2, 29));
	assert_period(period_of(PERIOD_MONTH, D(2025, 2, 28)), D(2025, 2, 1), D(2025, 2, 28));
	assert_period(period_of(PERIOD_MONTH, D(1900, 2, 1)), D(1900, 2, 1), D(1900, 2, 28));
	assert_period(period_of(PERIOD_MONTH, D(2000, 2, 29)), D(2000, 2, 1), D(2000, 2, 29));
	assert_period(period_of(PERIOD_MONTH, D(2026, 4, 30)), D(2026, 4, 1), D(2026, 4, 30));
	assert_period(period_of(PERIOD_MONTH, D(2026, 12, 31)), D(2026, 12, 1), D(2026, 12, 31));
	/* Quarters at their edges. */
	assert_period(period_of(PERIOD_QUARTER, D(2026, 1, 1)), D(2026, 1, 1), D(2026, 3, 31));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 3, 31)), D(2026, 1, 1), D(2026, 3, 31));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 4, 1)), D(2026, 4, 1), D(2026, 6, 30));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 6, 30)), D(2026, 4, 1), D(2026, 6, 30));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 7, 1)), D(2026, 7, 1), D(2026, 9, 30));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 9, 30)), D(2026, 7, 1), D(2026, 9, 30));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 10, 1)), D(2026, 10, 1), D(2026, 12, 31));
	assert_period(period_of(PERIOD_QUARTER, D(2026, 12, 31)), D(2026, 10, 1), D(2026, 12, 31));
	/* Years. */
	assert_period(period_of(PERIOD_YEAR, D(2024, 2, 29)), D(2024, 1, 1), D(2024, 12, 31));
	assert_period(period_of(PERIOD_YEAR, D(2025, 12, 31)), D(2025, 1, 1), D(2025, 12, 31));
	assert_period(period_of(PERIOD_YEAR, D(9999, 12, 31)), D(9999, 1, 1), D(9999, 12, 31));
	/* Nothing for an unknown kind or a date that is not one. */
	assert_period(period_of(PERIOD_NONE, D(2026, 5, 5)), DATE_NONE, DATE_NONE);
	assert_period(period_of(7, D(2026, 5, 5)), DATE_NONE, DATE_NONE);
	assert_period(period_of(PERIOD_MONTH, DATE_NONE), DATE_NONE, DATE_NONE);
	assert_period(period_of(PERIOD_MONTH, D(2025, 2, 29)), DATE_NONE, DATE_NONE);
}

static void test_periods_in(void **state)
{
	struct period y2026 = P(D(2026, 1, 1), D(2026, 12, 31));

	UNUSED(state);
	assert_int_equal(periods_in(PERIOD_MONTH, y2026), 12);
	assert_int_equal(periods_in(PERIOD_QUARTER, y2026), 4);
	assert_int_equal(periods_in(PERIOD_YEAR, y2026), 1);
	/* Across a year end: two of each. */
	assert_int_equal(periods_in(PERIOD_MONTH, P(D(2025, 12, 31), D(2026, 1, 1))), 2);
	assert_int_equal(periods_in(PERIOD_QUARTER, P(D(2025, 12, 31), D(2026, 1, 1))), 2);
	assert_int_equal(periods_in(PERIOD_YEAR, P(D(2025, 12, 31), D(2026, 1, 1))), 2);
	/* One day. */
	assert_int_equal(periods_in(PERIOD_MONTH, P(D(2024, 2, 29), D(2024, 2, 29))), 1);
	assert_int_equal(periods_in(PERIOD_QUARTER, P(D(2024, 2, 29), D(2024, 2, 29))), 1);
	assert_int_equal(periods_in(PERIOD_YEAR, P(D(2024, 2, 29), D(2024, 2, 29))), 1);
	/* Quarter edges. */
	assert_int_equal(periods_in(PERIOD_QUARTER, P(D(2026, 1, 1), D(2026, 3, 31))), 1);
	assert_int_equal(periods_in(PERIOD_QUARTER, P(D(2026, 3, 31), D(2026, 4, 1))), 2);
	assert_int_equal(periods_in(PERIOD_QUARTER, P(D(2026, 2, 15), D(2026, 11, 30))), 4);
	assert_int_equal(periods_in(PERIOD_MONTH, P(D(2026, 2, 15), D(2026, 5, 10))), 4);
	/* Several years from a leap day. */
	assert_int_equal(periods_in(PERIOD_MONTH, P(D(2024, 2, 29), D(2026, 2, 28))), 25);
	assert_int_equal(periods_in(PERIOD_QUARTER, P(D(2024, 2, 29), D(2026, 2, 28))), 9);
	assert_int_equal(periods_in(PERIOD_YEAR, P(D(2024, 2, 29), D(2026, 2, 28))), 3);
	/* Empty or invalid. */
	assert_int_equal(periods_in(PERIOD_MONTH, P(D(2026, 2, 1), D(2026, 1, 31))), 0);
	assert_int_equal(periods_in(PERIOD_NONE, y2026), 0);
	assert_int_equal(periods_in(PERIOD_MONTH, P(DATE_NONE, D(2026, 1, 31))), 0);
	assert_int_equal(periods_in(PERIOD_MONTH, P(D(2026, 1, 1), D(2026, 2, 30))), 0);
}

static void test_periods_due(void **state)
{
	struct period y2026 = P(D(2026, 1, 1), D(2026, 12, 31));
	struct period y2025 = P(D(2025, 1, 1), D(2025, 12, 31));
	struct period feb2024 = P(D(2024, 2, 1), D(2024, 2, 29));
	struct period odd = P(D(2026, 2, 15), D(2026, 5, 10));

	UNUSED(state);
	/* The running month, quarter and year are not due yet. */
	assert_int_equal(periods_due(PERIOD_MONTH, y2026, D(2026, 11, 24)), 10);
	assert_int_equal(periods_due(PERIOD_QUARTER, y2026, D(2026, 11, 24)), 3);
	assert_int_equal(periods_due(PERIOD_YEAR, y2026, D(2026, 11, 24)), 0);
	/* A period is due on its last day, not the day before. */
	assert_int_equal(periods_due(PERIOD_MONTH, y2026, D(2026, 10, 31)), 10);
	assert_int_equal(periods_due(PERIOD_MONTH, y2026, D(2026, 10, 30)), 9);
	assert_int_equal(periods_due(PERIOD_QUARTER, y2026, D(2026, 9, 30)), 3);
	assert_int_equal(periods_due(PERIOD_QUARTER, y2026, D(2026, 9, 29)), 2);
	assert_int_equal(periods_due(PERIOD_YEAR, y2026, D(2026, 12, 31)), 1);
	assert_int_equal(periods_due(PERIOD_YEAR, y2026, D(2026, 12, 30)), 0);
	assert_int_equal(periods_due(PERIOD_MONTH, y2026, D(2026, 12, 31)), 12);
	assert_int_equal(periods_due(PERIOD_QUARTER, y2026, D(2026, 12, 31)), 4);
	/* A past year is due in full. */
	assert_int_equal(periods_due(PERIOD_MONTH, y2025, D(2026, 3, 1)), 12);
	assert_int_equal(periods_due(PERIOD_QUARTER, y2025, D(2026, 3, 1)), 4);
	assert_int_equal(periods_due(PERIOD_YEAR, y2025, D(2026, 3, 1)), 1);
	assert_int_equal(periods_due(PERIOD_YEAR, y2025, D(2026, 1, 1)), 1);
	/* today before p: nothing; on p's first day: nothing unless a period ends then. */
	assert_int_equal(periods_due(PERIOD_MONTH, y2026, D(2025, 12, 31)), 0);
	assert_int_equal(periods_due(PERIOD_MONTH, y2026, D(2026, 1, 1)), 0);
	assert_int_equal(periods_due(PERIOD_MONTH, P(D(2026, 1, 31), D(2026, 3, 1)), D(2026, 1, 31)), 1);
	/* Leap February ends on the 29th. */
	assert_int_equal(periods_due(PERIOD_MONTH, feb2024, D(2024, 2, 28)), 0);
	assert_int_equal(periods_due(PERIOD_MONTH, feb2024, D(2024, 2, 29)), 1);
	assert_int_equal(periods_due(PERIOD_MONTH, P(D(2025, 2, 1), D(2025, 2, 28)), D(2025, 2, 28)), 1);
	/* A period ending after p.to is not due within p; one starting before p.from is. */
	assert_int_equal(periods_due(PERIOD_MONTH, odd, D(2027, 1, 1)), 3);
	assert_int_equal(periods_due(PERIOD_QUARTER, odd, D(2027, 1, 1)), 1);
	assert_int_equal(periods_due(PERIOD_YEAR, odd, D(2027, 1, 1)), 0);
	/* Invalid. */
	assert_int_equal(periods_due(PERIOD_NONE, y2025, D(2026, 3, 1)), 0);
	assert_int_equal(periods_due(PERIOD_MONTH, y2025, DATE_NONE), 0);
	assert_int_equal(periods_due(PERIOD_MONTH, P(D(2026, 2, 1), D(2026, 1, 1)), D(2027, 1, 1)), 0);
}

/* -------------------------------------------------------------- compliance */

static const struct compliance_item *item(const struct compliance_item *out, int type)
{
	assert_int_equal(out[type - 1].type, type);
	return &out[type - 1];
}

static void assert_required(const struct compliance_item *out, const int want[MTG_TYPE_COUNT])
{
	for (int t = MTG_NONE + 1; t < MTG_TYPE_COUNT; t++) {
		if (item(out, t)->required != want[t])
			fail_msg("type %s: required %d, want %d", enum_json(meeting_type_enum, t),
				 item(out, t)->required, want[t]);
	}
}

static void test_compliance_examples(void **state)
{
	struct compliance_item out[MTG_TYPE_COUNT - 1];
	int held[MTG_TYPE_COUNT] = { 0 }, incomplete[MTG_TYPE_COUNT] = { 0 };
	struct period y2026 = P(D(2026, 1, 1), D(2026, 12, 31));
	struct period y2025 = P(D(2025, 1, 1), D(2025, 12, 31));
	int want[MTG_TYPE_COUNT] = { 0 };

	UNUSED(state);
	/* p = 2026, today 2026-11-24: monthly 10, quarterly 3, yearly 0; 2 groups. */
	memset(out, 0xAB, sizeof(out));
	assert_int_equal(meeting_compliance(NULL, y2026, D(2026, 11, 24), true, 2, held, incomplete, out), 5);
	want[MTG_MEMBER_CONGRESS] = 3;
	want[MTG_COMMITTEE_MEETING] = 10;
	want[MTG_GROUP_MEETING] = 20;
	want[MTG_PARTY_LECTURE] = 3;
	want[MTG_THEME_DAY] = 10;
	assert_required(out, want);
	for (int t = MTG_NONE + 1; t < MTG_TYPE_COUNT; t++) {
		assert_int_equal(item(out, t)->held, 0);
		assert_int_equal(item(out, t)->incomplete, 0);
		assert_int_equal(item(out, t)->met, want[t] == 0);
	}
	/* Held exactly as required: all met; one short: that type alone is not. */
	memcpy(held, want, sizeof(held));
	assert_int_equal(meeting_compliance(NULL, y2026, D(2026, 11, 24), true, 2, held, incomplete, out), 0);
	for (int t = MTG_NONE + 1; t < MTG_TYPE_COUNT; t++)
		assert_true(item(out, t)->met);
	held[MTG_THEME_DAY] = 9;
	held[MTG_ORG_LIFE_MEETING] = 1; /* held early, not yet required: fine */
	assert_int_equal(meeting_compliance(NULL, y2026, D(2026, 11, 24), true, 2, held, incomplete, out), 1);
	assert_false(item(out, MTG_THEME_DAY)->met);
	assert_int_equal(item(out, MTG_THEME_DAY)->held, 9);
	assert_true(item(out, MTG_ORG_LIFE_MEETING)->met);
	assert_int_equal(item(out, MTG_ORG_LIFE_MEETING)->held, 1);

	/* p = 2025 with today in 2026: monthly 12, quarterly 4, yearly 1. */
	memset(held, 0, sizeof(held));
	assert_int_equal(meeting_compliance(NULL, y2025, D(2026, 3, 1), true, 2, held, incomplete, out), 8);
	want[MTG_MEMBER_CONGRESS] = 4;
	want[MTG_COMMITTEE_MEETING] = 12;
	want[MTG_GROUP_MEETING] = 24;
	want[MTG_PARTY_LECTURE] = 4;
	want[MTG_THEME_DAY] = 12;
	want[MTG_ORG_LIFE_MEETING] = 1;
	want[MTG_EVALUATION] = 1;
	want[MTG_HEART_TALK] = 1;
	assert_required(out, want);
	assert_true(item(out, MTG_DEMOCRATIC_LIFE_MEETING)->met);
	assert_true(item(out, MTG_STUDY_SESSION)->met);

	/* One quarter (MTG-15's example): 1 members' meeting, 3 committee, 3 per group, 1 lecture, 3 theme
	 * days. */
	assert_int_equal(meeting_compliance(NULL, P(D(2026, 4, 1), D(2026, 6, 30)), D(2026, 7, 1), true, 1,
					    NULL, NULL, out),
			 5);
	memset(want, 0, sizeof(want));
	want[MTG_MEMBER_CONGRESS] = 1;
	want[MTG_COMMITTEE_MEETING] = 3;
	want[MTG_GROUP_MEETING] = 3;
	want[MTG_PARTY_LECTURE] = 1;
	want[MTG_THEME_DAY] = 3;
	assert_required(out, want);

	/* Nothing due yet at the start of p. */
	assert_int_equal(meeting_compliance(NULL, y2026, D(2026, 1, 15), true, 2, NULL, NULL, out), 0);
	for (int t = MTG_NONE + 1; t < MTG_TYPE_COUNT; t++) {
		assert_int_equal(item(out, t)->required, 0);
		assert_true(item(out, t)->met);
	}
}

static void test_compliance_groups_and_committee(void **state)
{
	struct compliance_item out[MTG_TYPE_COUNT - 1];
	struct period y2025 = P(D(2025, 1, 1), D(2025, 12, 31));
	int held[MTG_TYPE_COUNT] = { 0 };

	UNUSED(state);
	/* No committee and no groups: neither is required. */
	assert_int_equal(meeting_compliance(NULL, y2025, D(2026, 1, 1), false, 0, held, NULL, out), 6);
	assert_int_equal(item(out, MTG_COMMITTEE_MEETING)->required, 0);
	assert_true(item(out, MTG_COMMITTEE_MEETING)->met);
	assert_int_equal(item(out, MTG_GROUP_MEETING)->required, 0);
	assert_true(item(out, MTG_GROUP_MEETING)->met);
	assert_int_equal(meeting_compliance(NULL, y2025, D(2026, 1, 1), false, -1, held, NULL, out), 6);
	assert_int_equal(item(out, MTG_GROUP_MEETING)->required, 0);
	/* One group, then three; the committee when there is one. */
	assert_int_equal(meeting_compliance(NULL, y2025, D(2026, 1, 1), false, 1, held, NULL, out), 7);
	assert_int_equal(item(out, MTG_GROUP_MEETING)->required, 12);
	assert_int_equal(meeting_compliance(NULL, y2025, D(2026, 1, 1), true, 3, held, NULL, out), 8);
	assert_int_equal(item(out, MTG_GROUP_MEETING)->required, 36);
	assert_int_equal(item(out, MTG_COMMITTEE_MEETING)->required, 12);
	/* Group meetings are counted for the branch as a whole: 35 of 36 is not met, 36 is. */
	held[MTG_GROUP_MEETING] = 35;
	meeting_compliance(NULL, y2025, D(2026, 1, 1), true, 3, held, NULL, out);
	assert_false(item(out, MTG_GROUP_MEETING)->met);
	held[MTG_GROUP_MEETING] = 36;
	meeting_compliance(NULL, y2025, D(2026, 1, 1), true, 3, held, NULL, out);
	assert_true(item(out, MTG_GROUP_MEETING)->met);
	/* Committee meetings held without a committee do not matter. */
	held[MTG_COMMITTEE_MEETING] = 2;
	meeting_compliance(NULL, y2025, D(2026, 1, 1), false, 3, held, NULL, out);
	assert_int_equal(item(out, MTG_COMMITTEE_MEETING)->required, 0);
	assert_true(item(out, MTG_COMMITTEE_MEETING)->met);
}

/* MTG-15: a meeting missing minutes, attendance or topic is incomplete and not held. */
static void test_compliance_incomplete(void **state)
{
	struct compliance_item out[MTG_TYPE_COUNT - 1];
	int held[MTG_TYPE_COUNT] = { 0 }, incomplete[MTG_TYPE_COUNT] = { 0 };

	UNUSED(state);
	for (int i = 0; i < 8; i++) {
		bool minutes = i & 1, attendance = i & 2, topic = i & 4;

		assert_int_equal(meeting_counts_as_held(minutes, attendance, topic), i == 7);
	}
	/* Q2 2026: 3 theme days required; 2 complete + 5 incomplete is not enough. */
	held[MTG_THEME_DAY] = 2;
	incomplete[MTG_THEME_DAY] = 5;
	held[MTG_MEMBER_CONGRESS] = 1;
	incomplete[MTG_PARTY_LECTURE] = 1;
	assert_int_equal(meeting_compliance(NULL, P(D(2026, 4, 1), D(2026, 6, 30)), D(2026, 8, 1), false, 0,
					    held, incomplete, out),
			 2);
	assert_int_equal(item(out, MTG_THEME_DAY)->required, 3);
	assert_int_equal(item(out, MTG_THEME_DAY)->held, 2);
	assert_int_equal(item(out, MTG_THEME_DAY)->incomplete, 5);
	assert_false(item(out, MTG_THEME_DAY)->met);
	assert_true(item(out, MTG_MEMBER_CONGRESS)->met);
	assert_false(item(out, MTG_PARTY_LECTURE)->met);
	assert_int_equal(item(out, MTG_PARTY_LECTURE)->incomplete, 1);
	held[MTG_THEME_DAY] = 3;
	held[MTG_PARTY_LECTURE] = 1;
	assert_int_equal(meeting_compliance(NULL, P(D(2026, 4, 1), D(2026, 6, 30)), D(2026, 8, 1), false, 0,
					    held, incomplete, out),
			 0);
}

static void test_compliance_custom_settings(void **state)
{
	struct meeting_settings s;
	struct compliance_item a[MTG_TYPE_COUNT - 1], b[MTG_TYPE_COUNT - 1];
	struct period y2025 = P(D(2025, 1, 1), D(2025, 12, 31));

	UNUSED(state);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	meeting_settings_default(&s);
	assert_int_equal(meeting_compliance(&s, y2025, D(2026, 1, 1), true, 2, NULL, NULL, a),
			 meeting_compliance(NULL, y2025, D(2026, 1, 1), true, 2, NULL, NULL, b));
	assert_memory_equal(a, b, sizeof(a));

	s.rule[MTG_THEME_DAY].count = 2; /* twice a month */
	s.rule[MTG_DEMOCRATIC_LIFE_MEETING] = (struct meeting_rule){ PERIOD_YEAR, 1 };
	s.rule[MTG_STUDY_SESSION] = (struct meeting_rule){ PERIOD_QUARTER, 2 };
	s.rule[MTG_HEART_TALK] = (struct meeting_rule){ PERIOD_NONE, 1 };
	s.rule[MTG_EVALUATION] = (struct meeting_rule){ PERIOD_YEAR, 0 };
	meeting_compliance(&s, y2025, D(2026, 1, 1), true, 2, NULL, NULL, a);
	assert_int_equal(item(a, MTG_THEME_DAY)->required, 24);
	assert_int_equal(item(a, MTG_DEMOCRATIC_LIFE_MEETING)->required, 1);
	assert_int_equal(item(a, MTG_STUDY_SESSION)->required, 8);
	assert_int_equal(item(a, MTG_HEART_TALK)->required, 0);
	assert_int_equal(item(a, MTG_EVALUATION)->required, 0);
	/* Huge counts saturate instead of overflowing. */
	s.rule[MTG_GROUP_MEETING].count = INT_MAX;
	meeting_compliance(&s, y2025, D(2026, 1, 1), true, INT_MAX, NULL, NULL, a);
	assert_int_equal(item(a, MTG_GROUP_MEETING)->required, INT_MAX);
	assert_false(item(a, MTG_GROUP_MEETING)->met);
}

/* Frequencies as settings: overrides by text, everything else kept; bad text changes nothing. */
static void test_settings_parse(void **state)
{
	struct meeting_settings s, before;
	struct err e = ERR_INIT;

	(void)state;
	meeting_settings_default(&s);
	assert_int_equal(meeting_settings_parse(
				 &s, " theme_day = 2/month; heart_talk=0/year, party_lecture=1/year ", &e),
			 0);
	assert_int_equal(s.rule[MTG_THEME_DAY].count, 2);
	assert_int_equal(s.rule[MTG_THEME_DAY].period, PERIOD_MONTH);
	assert_int_equal(s.rule[MTG_HEART_TALK].period, PERIOD_NONE);
	assert_int_equal(s.rule[MTG_PARTY_LECTURE].period, PERIOD_YEAR);
	assert_int_equal(s.rule[MTG_MEMBER_CONGRESS].period, PERIOD_QUARTER); /* untouched */
	assert_int_equal(meeting_settings_parse(&s, "", &e), 0);
	before = s;
	assert_int_equal(meeting_settings_parse(&s, "theme_day=1/week", &e), -1);
	assert_non_null(err_field_message(&e, "meeting_rules"));
	err_clear(&e);
	assert_int_equal(meeting_settings_parse(&s, "tea_party=1/month", &e), -1);
	err_clear(&e);
	assert_int_equal(meeting_settings_parse(&s, "theme_day=-1/month", &e), -1);
	err_clear(&e);
	assert_int_equal(meeting_settings_parse(&s, "theme_day=1/month x", &e), -1);
	err_clear(&e);
	assert_memory_equal(&s, &before, sizeof(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_parse),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_settings_default),
		cmocka_unit_test(test_member_congress_general),
		cmocka_unit_test(test_member_congress_strict_setting),
		cmocka_unit_test(test_development_dev30),
		cmocka_unit_test(test_committee),
		cmocka_unit_test(test_democratic_life_meeting),
		cmocka_unit_test(test_other_types),
		cmocka_unit_test(test_vote_refused),
		cmocka_unit_test(test_vote_reason_fits),
		cmocka_unit_test(test_vote_null_settings_are_defaults),
		cmocka_unit_test(test_period_of),
		cmocka_unit_test(test_periods_in),
		cmocka_unit_test(test_periods_due),
		cmocka_unit_test(test_compliance_examples),
		cmocka_unit_test(test_compliance_groups_and_committee),
		cmocka_unit_test(test_compliance_incomplete),
		cmocka_unit_test(test_compliance_custom_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
