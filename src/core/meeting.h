/*
 * meeting.h: organisational life (三会一课 and the other meetings of
 * RULES.md 3.3): meeting types, how often each is required (settings with
 * the documented defaults), the quorum and majority rules of a vote, and
 * the compliance of an organisation over a period (MTG-15). Pure: counts
 * and dates are passed in.
 */
#ifndef DJ_CORE_MEETING_H
#define DJ_CORE_MEETING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

/* The glossary's meeting types; JSON names and Chinese labels in meeting_type_enum. */
enum meeting_type {
	MTG_NONE = 0,
	MTG_MEMBER_CONGRESS,         /* member_congress 支部党员大会 (MTG-01) */
	MTG_COMMITTEE_MEETING,       /* committee_meeting 支委会 (MTG-02) */
	MTG_GROUP_MEETING,           /* group_meeting 党小组会 (MTG-03) */
	MTG_PARTY_LECTURE,           /* party_lecture 党课 (MTG-04) */
	MTG_THEME_DAY,               /* theme_day 主题党日 (MTG-05) */
	MTG_ORG_LIFE_MEETING,        /* org_life_meeting 组织生活会 (MTG-06) */
	MTG_EVALUATION,              /* evaluation 民主评议党员 (MTG-07) */
	MTG_HEART_TALK,              /* heart_talk 谈心谈话 (MTG-08) */
	MTG_DEMOCRATIC_LIFE_MEETING, /* democratic_life_meeting 民主生活会 (MTG-09) */
	MTG_STUDY_SESSION,           /* study_session 中心组学习 */
	MTG_TYPE_COUNT
};
extern const struct enum_entry meeting_type_enum[];

/* Attendance of one person at a meeting. */
enum attendance {
	ATT_NONE = 0,
	ATT_PRESENT,   /* present 出席 */
	ATT_ABSENT,    /* absent 缺席 (a reason is required) */
	ATT_LEAVE,     /* leave 请假 */
	ATT_NONVOTING, /* nonvoting 列席 (attends without a vote; not a member of the body) */
};
extern const struct enum_entry attendance_enum[];

/* How often a type is required: per month, per quarter or per year, and how many. */
enum meeting_period { PERIOD_NONE = 0, PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR };

struct meeting_rule {
	int period; /* enum meeting_period; PERIOD_NONE = not required */
	int count;  /* required per period */
};

/*
 * Settings (RULES.md 3.3; [P] rules configurable): the required frequency of
 * each type for a branch, and general_quorum_strict (MTG-10: false means
 * quorum 2*present >= expected; true uses DEV-30's "more than half").
 * Defaults (meeting_settings_default): member_congress 1/quarter,
 * committee_meeting 1/month (branches with a committee only), group_meeting
 * 1/month per party group, party_lecture 1/quarter, theme_day 1/month,
 * org_life_meeting 1/year, evaluation 1/year, heart_talk 1/year,
 * democratic_life_meeting and study_session not required of branches.
 */
struct meeting_settings {
	struct meeting_rule rule[MTG_TYPE_COUNT];
	bool general_quorum_strict;
};

void meeting_settings_default(struct meeting_settings *s);

/*
 * Overrides frequencies from text such as
 * "theme_day=1/month; member_congress=1/quarter; heart_talk=0/year"
 * (type=count/period, period month|quarter|year; count 0 means not required;
 * separated by ';' or ','; white space ignored). Types not named keep their
 * value. Returns 0, or -1 with a Chinese field error on "meeting_rules"
 * naming the bad part (s is then unchanged).
 */
int meeting_settings_parse(struct meeting_settings *s, const char *text, struct err *e);

/* A vote at a meeting (MTG-10 for member congresses; MTG-02 for committees; MTG-09 attendance). */
struct vote_input {
	int type;             /* enum meeting_type of the meeting */
	int expected;         /* members with a vote who were expected (excluding MTG-14 exempt) */
	int present;          /* of those, present */
	int yes, no, abstain; /* the vote; yes + no + abstain <= present */
	bool development;     /* admission / full membership: DEV-30 strict quorum (more than half) */
	/* Added: written yes opinions handed in before the meeting by expected
	 * members who are absent (DEV-30, 细则2014 art. 22). Not part of yes and
	 * not counted for the quorum; added to yes for the majority. Development
	 * votes only; at most expected - present. 0 when there are none. */
	int written_yes;
};

struct vote_result {
	bool quorum;      /* enough present to hold the vote */
	bool passed;      /* quorum and the majority rule met */
	char reason[200]; /* Chinese explanation with the numbers, e.g. "应到12人，实到7人，..." */
};

/*
 * Checks a vote. Inconsistent numbers (negative, present > expected, yes +
 * no + abstain > present, expected 0) are refused with field errors
 * ("present", "yes", ...) and -1. Otherwise fills *out and returns 0:
 * member_congress general votes: quorum 2*present >= expected (strict
 * setting or development: 2*present > expected), pass 2*yes > expected;
 * committee_meeting: quorum 2*present >= expected, pass 2*yes > expected;
 * democratic_life_meeting: quorum 3*present >= 2*expected, pass 2*yes > present.
 * Other types: quorum 2*present >= expected, pass 2*yes > present.
 * s may be NULL (the defaults). A development vote on a meeting other than
 * member_congress is refused (MTG-11: only the members' meeting decides),
 * as is written_yes outside development votes or above expected - present.
 */
int meeting_vote_check(const struct meeting_settings *s, const struct vote_input *in, struct vote_result *out,
		       struct err *e);

/* A period: [from, to] inclusive dates. */
struct period {
	struct date from, to;
};

/* The month, quarter or year containing d. */
struct period period_of(int kind, struct date d);

/* How many full or partial `kind` periods of `rule` fall in [from, to]. */
int periods_in(int kind, struct period p);

/*
 * Added: how many `kind` periods end inside p on or before `today` (the
 * periods a compliance check may count as due; a period still running on
 * `today`, or ending after p.to, is not). 0 for PERIOD_NONE or unset dates.
 */
int periods_due(int kind, struct period p, struct date today);

/* One row of a compliance table: a type's required and held counts. */
struct compliance_item {
	int type;       /* enum meeting_type */
	int required;   /* 0 = not required here */
	int held;       /* meetings recorded as held (with minutes and attendance) */
	int incomplete; /* recorded but missing minutes, attendance or topic (MTG-15) */
	bool met;       /* held >= required */
};

/*
 * The compliance of one organisation over period p (MTG-15): for each type
 * the required count (rule per period × number of periods, × groups for
 * group_meeting; committee meetings only when has_committee; counted only
 * up to `today` for the part of the period not yet over: a month still
 * running does not count as missed), the held and incomplete counts taken
 * from held[type] and incomplete[type]. Writes MTG_TYPE_COUNT-1 items into
 * out (index type-1) and returns how many types are required and not met.
 * Periods are counted with periods_due(). s may be NULL (the defaults);
 * held and incomplete may be NULL (all 0); groups <= 0 means none.
 */
int meeting_compliance(const struct meeting_settings *s, struct period p, struct date today,
		       bool has_committee, int groups, const int held[MTG_TYPE_COUNT],
		       const int incomplete[MTG_TYPE_COUNT], struct compliance_item out[MTG_TYPE_COUNT - 1]);

/*
 * Added (MTG-15): whether a recorded meeting counts as held; one missing
 * minutes, attendance or topic counts as incomplete instead.
 */
bool meeting_counts_as_held(bool has_minutes, bool has_attendance, bool has_topic);

#endif
