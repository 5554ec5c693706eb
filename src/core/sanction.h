/*
 * sanction.h: Party disciplinary sanctions (党纪处分, RULES.md 6.1, 处分条例2023):
 * the five sanctions lightest to heaviest, their effect periods as end
 * dates, 留党察看 (its length, extension, the rights it takes away and the
 * bar after restoration), who decides, what a probationary member gets
 * instead, and the lighter measures that are not sanctions. Pure: dates
 * are passed in.
 */
#ifndef DJ_CORE_SANCTION_H
#define DJ_CORE_SANCTION_H

#include <stdbool.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

/*
 * DISC-01: the five sanctions, ordered lightest to heaviest, so a larger
 * value is a heavier sanction. JSON names: warning 警告, serious_warning
 * 严重警告, removal_from_post 撤销党内职务, probation 留党察看, expulsion 开除党籍.
 */
enum sanction_type {
	SANCTION_NONE = 0,
	SANCTION_WARNING,
	SANCTION_SERIOUS_WARNING,
	SANCTION_REMOVAL_FROM_POST,
	SANCTION_PROBATION,
	SANCTION_EXPULSION,
};
extern const struct enum_entry sanction_type_enum[];

/* DISC-02 numbers ([R], not settings). */
#define SANCTION_WARNING_MONTHS 12         /* 警告 */
#define SANCTION_SERIOUS_WARNING_MONTHS 18 /* 严重警告 */
#define SANCTION_REMOVAL_MONTHS 24         /* 撤销党内职务 */
#define SANCTION_PROBATION_SHORT 12        /* 留党察看一年 */
#define SANCTION_PROBATION_MAX 24          /* 留党察看二年, also the ceiling after an extension */
#define SANCTION_PROBATION_EXTENSION 12    /* a 1-year 留党察看 is extended by 1 year */
#define SANCTION_POST_BAR_MONTHS 24        /* after 留党察看 is lifted: no equal or higher post */
#define SANCTION_READMISSION_YEARS 5       /* 开除党籍: no re-admission */

/*
 * The last day before the sanction's effect period is over, as the first
 * day it no longer applies: decided_on + 12 (警告), 18 (严重警告), 24
 * (撤销党内职务) or `probation_months` (留党察看, 12 or 24) months (C-01).
 * 开除党籍 has no end (membership ends): DATE_NONE, as for an unknown type
 * or an unset date. `probation_months` is ignored for the other types.
 */
struct date sanction_effect_end(int type, struct date decided_on, int probation_months);

/* True while in effect on `on`: decided_on <= on < the end (expulsion: from decided_on on). */
bool sanction_in_effect(int type, struct date decided_on, int probation_months, struct date on);

/*
 * 留党察看 takes away the rights to vote, elect and stand, and a member
 * under it may not be an introducer (DISC-02, DEV-21, DEV-30): true on `on`
 * when type is SANCTION_PROBATION, on >= decided_on and on is before
 * restored_on (when the restoration is recorded) or before the end of the
 * period (otherwise). Feeds dev_person_fact.sanction_probation.
 */
bool sanction_rights_suspended(int type, struct date decided_on, int probation_months,
			       struct date restored_on, struct date on);

/* After 留党察看 is lifted on restored_on: no equal or higher Party post before restored_on + 24 months. */
struct date sanction_post_bar_end(struct date restored_on);

/* 开除党籍 on expelled_on: the first day a new application is possible, expelled_on + 5 years. */
struct date sanction_readmission_from(struct date expelled_on);
/* True when an application on applied_on comes at least 5 years after the expulsion (LOST-03, DISC-02). */
bool sanction_readmission_allowed(struct date expelled_on, struct date applied_on);

/*
 * DISC-03: true for 留党察看 and heavier, which end the status of a Party
 * congress delegate.
 */
bool sanction_ends_delegate(int type);

/*
 * DISC-03: the sanction actually given: 撤销党内职务 for a member who holds
 * no Party post becomes 严重警告; any other type is returned unchanged.
 */
int sanction_effective_type(int type, bool holds_party_post);

/* DISC-04: who decides a sanction. */
struct sanction_authority {
	bool branch_meeting;      /* discussed and decided by the branch members' meeting */
	bool committee_approval;  /* approved by the 基层党委 */
	bool commission_approval; /* approved by a county-level or higher discipline commission */
};

/*
 * Fills *out for a sanction of `type`: every sanction is decided by the
 * branch members' meeting and approved by the 基层党委; expulsions and
 * important or complex cases (`important`) also go to a county-level or
 * higher discipline commission. Returns 0, or -1 for an unknown type.
 */
int sanction_authority(int type, bool important, struct sanction_authority *out);

/*
 * A sanction to record for a member, with what the caller looked up.
 */
struct sanction_input {
	int type;               /* enum sanction_type */
	int member_status;      /* enum member_status of the member */
	struct date decided_on; /* the decision takes effect */
	struct date joined_on;  /* the member's joined_on (unset when unknown) */
	int probation_months;   /* 留党察看 only: 12 or 24 */
	bool holds_party_post;  /* the member holds a Party post (DISC-03) */
};

/*
 * Checks a sanction. Returns 0, or -1 with:
 *  - field errors (ERR_VALIDATION "validation_failed"): "type" missing or
 *    unknown; "decided_on" missing, after today or before joined_on;
 *    "probation_months" other than 12 or 24 for 留党察看, or given for
 *    another type;
 *  - ERR_VALIDATION "rule_violation" "[DISC-05] …" on "type" for a
 *    probationary member (criticism, extended probation or cancellation
 *    instead, see probation_handling_check);
 *  - "[DISC-03] …" on "type" for 撤销党内职务 of a member without a Party
 *    post (严重警告 instead).
 */
int sanction_check(const struct sanction_input *in, struct date today, struct err *e);

/*
 * 留党察看 extension (DISC-02): a 1-year case that still does not qualify
 * is extended by 12 months, never beyond 24 in all. Sets *total_out to the
 * new length and returns 0, or -1 with "[DISC-02] …" on "probation_months".
 */
int sanction_probation_extend(int current_months, int extension_months, int *total_out, struct err *e);

/*
 * DISC-05 / DEV-43: what a probationary member who breaks discipline gets
 * instead of a sanction: criticism 批评教育, extend 延长预备期, cancel
 * 取消预备党员资格.
 */
enum probation_handling { PH_NONE = 0, PH_CRITICISM, PH_EXTEND, PH_CANCEL };
extern const struct enum_entry probation_handling_enum[];

/*
 * DEV-43: minor cases get criticism or an extended probation, serious
 * cases cancellation. Returns 0, or -1 with "[DEV-43] …" on "handling"
 * (a validation field error for an unknown handling).
 */
int probation_handling_check(int handling, bool serious, struct err *e);

/*
 * DISC-06: lighter measures that are not sanctions (a separate record
 * type): criticism 批评教育, self_examination 责令检查, admonishment 诫勉.
 */
enum disc_measure { MEASURE_NONE = 0, MEASURE_CRITICISM, MEASURE_SELF_EXAMINATION, MEASURE_ADMONISHMENT };
extern const struct enum_entry disc_measure_enum[];

#endif
