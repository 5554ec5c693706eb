/*
 * lifecycle.h: a member's states after joining (RULES.md 4.2, 4.3, 6.3):
 * exit reasons (出党), lost-contact situations (失联), the transitions
 * active / lost / suspended / left with the LOST-01 waiting periods, when
 * a relation must be transferred or the member is mobile (XFER-02, MOB-01),
 * and the checks of a mobile-member record. Pure: today is passed in.
 */
#ifndef DJ_CORE_LIFECYCLE_H
#define DJ_CORE_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

/* EXIT-01; JSON names and labels as in docs/api.md (death 死亡 ... probation_cancelled 取消预备党员资格). */
enum exit_reason {
	EXIT_NONE = 0,
	EXIT_DEATH,
	EXIT_EXPELLED,
	EXIT_WITHDREW,
	EXIT_REMOVED_SELF_LAPSE,
	EXIT_REMOVED_UNQUALIFIED,
	EXIT_PERSUADED_LEFT,
	EXIT_REMOVED_REFUSED,
	EXIT_PROBATION_CANCELLED,
};
extern const struct enum_entry exit_reason_enum[];

/* True when the exit needs a higher approval (approved_on): every reason but death and withdrew. */
bool exit_needs_approval(int reason);

/* Lost-contact situations: work_away 外出务工经商, abroad 出国（境）, no_transfer 未转接组织关系,
 * address_unknown 住址不详, other 其他. */
enum lost_situation {
	LOST_NONE = 0,
	LOST_WORK_AWAY,
	LOST_ABROAD,
	LOST_NO_TRANSFER,
	LOST_ADDRESS_UNKNOWN,
	LOST_OTHER
};
extern const struct enum_entry lost_situation_enum[];

/* Settings (RULES.md 4.3). */
struct lifecycle_rules {
	int lost_months;        /* LOST-01: lost this long before suspension: 6 */
	int removal_years;      /* LOST-01: suspended this long before removal: 2 */
	int abroad_study_years; /* LOST-02: abroad for study/research beyond this: 5 (informative) */
};
void lifecycle_rules_default(struct lifecycle_rules *r);

enum state_action {
	SA_EXIT = 1, /* POST /members/{id}/exit -> left */
	SA_LOST,     /* POST /members/{id}/lost -> lost */
	SA_SUSPEND,  /* POST /members/{id}/suspend -> suspended */
	SA_RESTORE,  /* POST /members/{id}/restore -> active */
};

struct state_change {
	int action;        /* enum state_action */
	int from_state;    /* enum member_state of the member now (0 = active) */
	int member_status; /* enum member_status (probationary / full) */
	/*
	 * SA_EXIT: enum exit_reason (required). SA_LOST: enum lost_situation
	 * (required). SA_SUSPEND: the member's lost situation (state_code), so
	 * LOST_ABROAD allows suspension without the waiting period (LOST-02).
	 */
	int code;
	struct date on;              /* the event date; SA_LOST: unused (last_contact_on is the date) */
	struct date state_on;        /* when the current state began (members.state_on) */
	struct date last_contact_on; /* SA_LOST: required; SA_SUSPEND: the member's last contact (state_on of
					lost) */
	struct date approved_on;     /* SA_EXIT: the higher approval, when exit_needs_approval() */
	struct date joined_on;       /* the member's joined_on (unset when unknown) */
};

/*
 * Checks a state change and sets *to_state. Transitions:
 *   exit:    from active, lost or suspended -> left;
 *   lost:    from active -> lost;
 *   suspend: from lost -> suspended (also from active when code = abroad, LOST-02);
 *   restore: from lost or suspended -> active (EXIT-03: never from left/transferred).
 * Illegal transitions: ERR_CONFLICT "member_state". Rule refusals:
 * ERR_VALIDATION "rule_violation" "[RULE] ..." with a field error:
 *   [LOST-01] suspension before last contact + lost_months (field "on"),
 *             unless the situation is abroad;
 *   [LOST-01] removed_self_lapse from suspended before state_on + removal_years ("on");
 *   [EXIT-01] probation_cancelled for a full member ("reason").
 * Plain validation errors: reason/situation missing or unknown ("reason",
 * "situation"); dates missing, after today or before joined_on, state_on
 * or DATE_PARTY_FOUNDED ("on", "last_contact_on"); approved_on missing when
 * exit_needs_approval(), after today, or before `on` (the higher
 * committee approves the branch's decision, so not earlier) ("approved_on").
 * Returns 0 when allowed.
 */
int member_state_check(const struct lifecycle_rules *r, const struct state_change *s, struct date today,
		       int *to_state, struct err *e);

/*
 * LOST-03 / EXIT-02 / EXIT-03: true for the states a member may be restored
 * from: lost (contact regained) and suspended (停止党籍 is a state, not an
 * exit). False for active, left (any exit is final) and transferred.
 */
bool member_state_restorable(int state);

/*
 * LOST-03 / EXIT-03: someone who left (exit `reason` on `left_on`) cannot
 * be restored but may apply again from step 1. Returns the first date a
 * new application may be made: left_on for every exit but death and
 * expulsion; for expulsion left_on + 5 years (DISC-02); DATE_NONE for
 * death, an unknown reason or an unset date.
 */
struct date exit_reapply_from(int reason, struct date left_on);

/*
 * LOST-02: a member abroad for study or research since `since` without
 * returning may be suspended once that has lasted more than
 * abroad_study_years: true from the day after since + abroad_study_years.
 */
bool abroad_study_suspendable(const struct lifecycle_rules *r, struct date since, struct date today);

/* XFER-02 / MOB-01: what a member away for `months_away` months needs. */
enum relation_need { REL_NONE = 0, REL_TRANSFER, REL_MOBILE };
/* < 6 months: none; >= 6 at a fixed place: transfer; >= 6 at changing places: mobile. */
int relation_need(int months_away, bool fixed_place);

/* A mobile-member record (流动党员) to create, update or return. */
struct mobile_input {
	int member_state;            /* enum member_state of the member (0 = active) */
	struct date joined_on;       /* the member's joined_on (unset when unknown) */
	struct date out_on;          /* 外出日期: required */
	struct date expected_return; /* unset when unknown */
	struct date returned_on;     /* unset until returned */
	const char *destination;     /* required, <= 100 characters */
	const char *reason;          /* required, <= 200 characters */
	const char *certificate_no;  /* 流动党员活动证 number, NULL when none (MOB-03) */
	bool inflow_in_system; /* an inflow organisation of this system registers the member (inflow_org_id)
				*/
};

/*
 * The latest expected return of a mobile member: out_on + this many years
 * (C-01 months). A sanity bound, not a rule of RULES.md: someone away
 * longer than that has moved, and MOB-01 says a member who meets the
 * conditions of a transfer must be transferred rather than kept as mobile.
 */
#define MOBILE_RETURN_YEARS_MAX 5

/*
 * MOB-03: a 流动党员活动证 number: 1..40 characters (UTF-8), no control
 * characters, no surrounding white space.
 */
bool mobile_certificate_valid(const char *s);

/*
 * Validates a mobile record: the member counted (active or lost; else a
 * field error on "member_id"); out_on set, not after today, not before
 * joined_on nor DATE_PARTY_FOUNDED; expected_return after out_on and at
 * most MOBILE_RETURN_YEARS_MAX years after it; returned_on not before out_on
 * and not after today; destination and reason present and not too long;
 * certificate_no well formed when given (mobile_certificate_valid).
 * Returns 0, or -1 with field errors (out_on, expected_return, returned_on,
 * destination, reason, member_id, certificate_no). MOB-03: the receiving
 * organisation registers the member with the activity certificate, so an
 * inflow organisation in the system (inflow_in_system) without a
 * certificate number is refused with "[MOB-03] …" (ERR_VALIDATION
 * "rule_violation") on "certificate_no", after the field checks pass.
 */
int mobile_check(const struct mobile_input *in, struct date today, struct err *e);

#endif
