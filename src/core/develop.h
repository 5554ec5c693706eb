/*
 * develop.h: member development (发展党员, RULES.md section 1): the five
 * stages and 25 steps, the versioned rule settings (细则2014 / 细则2026),
 * what a case's recorded steps mean (dev_summarize), whether a new step may
 * be recorded (dev_check_step) and which step comes next (dev_next).
 * Pure: the people, the branch's figures and today are passed in.
 */
#ifndef DJ_CORE_DEVELOP_H
#define DJ_CORE_DEVELOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"
#include "core/meeting.h"

struct err;

/* ------------------------------------------------------------ enumerations */

/* Stage of a person (DEV-02): applicant 入党申请人 … full 正式党员. */
enum dev_stage { DEV_STAGE_NONE = 0, DEV_APPLICANT, DEV_ACTIVIST, DEV_CANDIDATE, DEV_PROBATIONARY, DEV_FULL };
extern const struct enum_entry dev_stage_enum[];

/* Case status: open 进行中, completed 已完成, cancelled 已取消 (probation cancelled), stopped 已终止. */
enum dev_status { DEV_STATUS_NONE = 0, DEV_OPEN, DEV_COMPLETED, DEV_CANCELLED, DEV_STOPPED };
extern const struct enum_entry dev_status_enum[];

/* Role of a person named on a step. */
enum dev_role {
	DEV_ROLE_NONE = 0,
	DEV_ROLE_TALKER,     /* talker 谈话人 (step 2, 16) */
	DEV_ROLE_CONTACT,    /* contact 培养联系人 (step 5, DEV-14) */
	DEV_ROLE_INTRODUCER, /* introducer 入党介绍人 (step 9, DEV-21) */
	DEV_ROLE_REVIEWER,   /* reviewer 审查人 (step 10) */
	DEV_ROLE_OTHER,      /* other 其他 */
};
extern const struct enum_entry dev_role_enum[];

/* Result of a decision step (10, 13, 17, 24; 15 and 23 from the vote): pass 通过, fail 未通过. */
enum dev_result { DEV_RESULT_NONE = 0, DEV_PASS, DEV_FAIL };
extern const struct enum_entry dev_result_enum[];

/* Step 23 outcome (DEV-42): full 按期转正, extend 延长预备期, cancel 取消预备党员资格. */
enum dev_outcome { DEV_OUTCOME_NONE = 0, DEV_OUTCOME_FULL, DEV_OUTCOME_EXTEND, DEV_OUTCOME_CANCEL };
extern const struct enum_entry dev_outcome_enum[];

/* ------------------------------------------------------------------- steps */

#define DEV_STEP_COUNT 25

/*
 * Which body decides or carries out a step (DEV-03, DEV-51):
 * person 本人 (1, 14, 22), branch 党支部 (2, 6, 10, 19, 20, 21, 25),
 * branch_committee 支部委员会 (3, 5, 7, 9, 12; the members' meeting where a
 * branch has no committee), branch_meeting 支部党员大会 with a vote (15, 23),
 * higher_org 上级党组织派人或组织 (11 training, 16 talk), higher_committee
 * 上级党委 (4 and 8 filing, 13 pre-review, 17 and 24 approval),
 * upper_department 审批党委的上级组织部门 (18 filing).
 */
enum dev_body {
	DEV_BODY_NONE = 0,
	DEV_BODY_PERSON,
	DEV_BODY_BRANCH,
	DEV_BODY_BRANCH_COMMITTEE,
	DEV_BODY_BRANCH_MEETING,
	DEV_BODY_HIGHER_ORG,
	DEV_BODY_HIGHER_COMMITTEE,
	DEV_BODY_UPPER_DEPARTMENT,
};
extern const struct enum_entry dev_body_enum[];

/* One row of the DEV-01 table. */
struct dev_step_def {
	int step;  /* 1..25 */
	int stage; /* 1..5: the flow chart's stage (申请入党 … 预备党员的教育考察和转正) */
	const char *name;  /* "推荐和确定入党积极分子" */
	const char *actor; /* who acts, Chinese */
	bool periodic;     /* 6 and 21: may be recorded several times */
	bool vote;         /* 15 and 23: branch members' meeting vote (DEV-30) */
	int body;          /* enum dev_body (DEV-03) */
	bool filing;       /* 4, 8, 18: filing (备案) with the body above (DEV-51) */
};

/* The definition of step 1..25; NULL otherwise. Static storage. */
const struct dev_step_def *dev_step_def(int step);
/*
 * True when recording `step` needs a higher committee's authority (the
 * step's body is higher_committee or upper_department: 4, 8, 13, 17, 18,
 * 24), so only users acting for that level may record it. False otherwise
 * and for an unknown step.
 */
bool dev_step_needs_committee(int step);
/*
 * DEV-11: a development case belongs to a branch (党支部), the Party
 * organisation of the applicant's workplace, study or residence. True only
 * for ORG_BRANCH.
 */
bool dev_org_accepts(int org_type);
/* The flow chart's stage name (1..5), e.g. "申请入党"; NULL otherwise. */
const char *dev_stage_group_name(int stage_group);

/* ---------------------------------------------------------------- settings */

/*
 * Every number of RULES.md section 1 as a versioned setting. Defaults
 * (dev_rules_default): the 细则2014 numbers; 2026 differs in
 * oath_deadline_months (0 → 1), publicity_steps (none → step 7) and
 * meeting_after_prereview_months (0 → 1). 0 in a "months" limit that is
 * marked optional means "no such rule".
 */
struct dev_rules {
	int version;                       /* 2014 or 2026 */
	int min_age;                       /* DEV-10: 18 */
	int talk_months;                   /* DEV-12: talk within 1 month of the application (warning) */
	int applicant_wait_months;         /* DEV-13 [P]: applicant → activist, 0 = none */
	int contacts_min, contacts_max;    /* DEV-14: 1..2 training contacts */
	int assessment_months;             /* DEV-15: an assessment (step 6) every 6 months */
	int activist_months;               /* DEV-20: ≥ 12 months as activist before step 7 */
	bool activist_from_filing;         /* DEV-20 [P]: count from step 4 instead of step 3 */
	int introducers;                   /* DEV-21: exactly 2 */
	int training_days, training_hours; /* DEV-23: ≥ 3 days or ≥ 24 hours */
	int review_valid_months; /* DEV-22 [P]: political review valid 12 months at step 15 (warning); 0 = no
				    limit */
	int approval_months;     /* DEV-35: approval within 3 months of step 15 (warning) */
	int approval_max_months; /* DEV-35: never beyond 6 months (refused) */
	int probation_months;    /* DEV-41: 12 */
	int extension_min, extension_max; /* DEV-42: 6..12 months */
	int extensions_max;               /* DEV-42: once */
	int full_approval_months;         /* DEV-44: 3 (warning) */
	int oath_deadline_months;         /* DEV-40: 0 = none (2014), 1 (2026; warning) */
	int publicity_working_days;       /* DEV-50: 5 */
	uint32_t publicity_steps; /* DEV-50: bit n set = publicity before step n; 2014 none, 2026 step 7 */
	int meeting_after_prereview_months; /* DEV-00 (2026): step 15 within 1 month of step 13 (warning); 0 =
					       none */
	int dormant_years;                  /* DEV-53: 3 */
	int leave_warning_months; /* DEV-32: warn at step 13 when leaving within 3 months; 0 = no check */
};

/* The default settings of `version` (2014 or 2026; any other value gives 2014's numbers with that version).
 */
void dev_rules_default(struct dev_rules *r, int version);
/* r2014 or r2026 for a case's rule version (2026 → r2026, anything else → r2014). */
const struct dev_rules *dev_rules_for(const struct dev_rules *r2014, const struct dev_rules *r2026,
				      int version);

/*
 * Overrides settings from text like
 * "2014.activist_months=12; 2026.publicity_working_days=7; 2026.publicity_steps=3+7"
 * (version.key=value, separated by ';' or ','; white space ignored; a key
 * without "2014." or "2026." sets both versions). Keys are those of
 * dev_rules_items(); booleans take true/false/1/0; publicity_steps takes
 * step numbers joined by '+' or "none". Returns 0, or -1 with a Chinese
 * field error on "dev_rules" naming the bad part (both structs are then
 * unchanged). NULL or empty text changes nothing.
 */
int dev_rules_parse(struct dev_rules *r2014, struct dev_rules *r2026, const char *text, struct err *e);

/* The rule version a new case gets: 2026 when applied on or after 2026-05-18 (DEV-00), else 2014. */
int dev_version_default(struct date applied_on);

/* How an item's value reads. */
enum dev_item_kind { DEV_ITEM_INT = 0, DEV_ITEM_BOOL, DEV_ITEM_STEPS /* value is a bit set of steps */ };

/* One setting for GET /development/rules. Strings are static. */
struct dev_rule_item {
	const char *key;  /* "activist_months" (the dev_rules_parse key) */
	const char *rule; /* "DEV-20" */
	const char *label; /* Chinese description, e.g. "确定为发展对象前作为入党积极分子的最少月数" */
	int value;
	int kind; /* enum dev_item_kind */
};
#define DEV_RULE_ITEMS 26 /* room for every item: dev_rules_items() never returns more */

/* Writes up to `cap` items of `r` into out (in a fixed order); returns the total number of items. */
size_t dev_rules_items(const struct dev_rules *r, struct dev_rule_item *out, size_t cap);

/* ----------------------------------------------------------- case summary */

/* A recorded step as core needs it (the store's dev_step_rec, reduced). */
struct dev_step_brief {
	int step; /* 1..25 */
	struct date on;
	int result;  /* enum dev_result: 10, 13, 17, 24 as given; 15 and 23: DEV_PASS when the vote passed,
			else DEV_FAIL */
	int outcome; /* enum dev_outcome, step 23 only */
	int extension_months; /* step 23 extend */
};

/* A case: its rule version, the person's birth date, its stored status and its steps in recorded order. */
struct dev_case {
	int version; /* 2014 or 2026 */
	struct date birth_date;
	int status; /* enum dev_status as stored: only DEV_STOPPED (POST /stop) is kept; 0 = derive */
	const struct dev_step_brief *steps; /* borrowed */
	size_t nsteps;
};

/* Everything derived from a case's steps. Unset dates are DATE_NONE. */
struct dev_summary {
	int stage;                 /* enum dev_stage; DEV_APPLICANT once step 1 is recorded */
	int status;                /* enum dev_status */
	int step;                  /* the step the case stands at (0 none): the last step in effect. A failed
				      step-15 vote leaves 14, a failed 23 vote or a failed 24 leaves 22, an
				      approved extension (23 extend + 24) leaves 21 (steps 21–23 repeat) */
	struct date applied_on;    /* step 1 */
	struct date activist_on;   /* step 3 */
	struct date candidate_on;  /* step 7 */
	struct date admitted_on;   /* the step-15 meeting that passed (joined_on, DEV-45) */
	struct date approved_on;   /* step 17 passed */
	struct date probation_end; /* admitted_on + probation_months (+ extension), DEV-41/42 */
	struct date full_on;       /* step 24 after outcome full: = probation_end (DEV-45) */
	int extensions;            /* extensions voted (step 23 extend, undone when step 24 fails) */
	bool review_passed;        /* the last step 10 passed */
	struct date review_on;     /* the last step 10 */
	struct date last_on;       /* the latest step date */
	int outcome;               /* enum dev_outcome of the step 23 in effect, 0 none */
};

/*
 * Replays c's steps under r (DEV-02, RULES.md 1.1): stage changes at step 3
 * (activist), 7 (candidate), 17 pass (probationary, admitted_on = the step-15
 * date, probation_end = admitted_on + probation_months), 24 pass after
 * outcome full (full, full_on = probation_end). Failed 10, 13 or 17 stop the
 * case; 23 extend moves probation_end and counts an extension (24 approves
 * it, then 21–23 repeat; a failed 24 undoes it); 23 cancel + 24 pass →
 * cancelled; step 25 → completed. Never fails; steps out of order (which
 * dev_check_step refuses) are replayed as given.
 */
void dev_summarize(const struct dev_rules *r, const struct dev_case *c, struct dev_summary *out);

/* ------------------------------------------------------ recording a step */

/* What core needs to know about a person named on a step (looked up by the caller). */
struct dev_person_fact {
	int role;                /* enum dev_role */
	int64_t member_id;       /* 0 for someone not in the registry */
	bool registered;         /* member_id names a member in the registry */
	int status;              /* enum member_status of the member */
	int state;               /* enum member_state (0 = active) */
	bool in_branch;          /* the member belongs to the case's branch */
	bool sanction_probation; /* under 留党察看 whose rights are not restored (DEV-21, DEV-30) */
};

/* A step to record (POST /applicants/{id}/steps), parsed by the caller. Strings borrowed, NULL when absent.
 */
struct dev_step_input {
	int step; /* 1..25 */
	struct date on;
	int result;  /* enum dev_result, 0 absent */
	int outcome; /* enum dev_outcome, 0 absent */
	bool has_vote;
	struct vote_input vote; /* expected, present, yes, no, abstain, written_yes; type and development are
				   set by core */
	int extension_months;
	bool has_training;
	int training_days, training_hours;
	const char *justification;
	const char *summary;
	struct date publicity_from, publicity_to; /* DATE_NONE when absent */
	int approver_type;                        /* enum org_type of approver_org_id, 0 none given */
	bool approver_above;                      /* the approver is an ancestor of the case's branch */
	int branch_full_members; /* full members of the branch in counted states (store_org_full_members) */
	struct date leaving_on;  /* step 13: when the candidate leaves the workplace or study, DATE_NONE
				    unknown (DEV-32) */
	const struct dev_person_fact *people;
	size_t npeople;
};

struct dev_warning {
	char rule[12];     /* "DEV-12" */
	char message[200]; /* Chinese, with the dates that matter */
};

#define DEV_WARN_MAX 8

struct dev_verdict {
	char rule[12]; /* the rule that refused the step, "" otherwise */
	struct dev_warning warn[DEV_WARN_MAX];
	int nwarn;
	bool vote_checked; /* a vote was counted (15, 23) */
	struct vote_result vote;
	bool vote_passed;           /* record result DEV_PASS when true, DEV_FAIL otherwise */
	int publicity_working_days; /* DEV-50: working days in the publicity period, 0 when none given */
	bool publicity_provisional; /* the holiday calendar lacked a year (C-05): counted Mon–Fri */
};

/*
 * May step `in` be recorded on case c (as it stands, under rules r)?
 * Returns 0 when it may (out->warn lists warnings, each citing its rule;
 * for 15 and 23 out->vote_passed says how to record the result), or -1:
 *  - ERR_CONFLICT "case_closed" when the case is not open;
 *  - ERR_VALIDATION "validation_failed" with field errors for missing or
 *    malformed input (fields: step, on, people, vote, result, outcome,
 *    extension_months, training, justification, publicity,
 *    approver_org_id, summary);
 *  - ERR_VALIDATION "rule_violation", message "[DEV-20] …", a field error
 *    on the field at fault, and out->rule = "DEV-20", when a rule refuses
 *    it (order DEV-01, DEV-10, DEV-13, DEV-14, DEV-15, DEV-20, DEV-21,
 *    DEV-22, DEV-23, DEV-30, DEV-33, DEV-35, DEV-41, DEV-42, DEV-50).
 * Warnings (accepted): DEV-12, DEV-22, DEV-23 (exception), DEV-32 (step 13,
 * leaving_on within leave_warning_months of `on`), DEV-35, DEV-40, DEV-44, DEV-00.
 * Every step: the next step (or another record of the current periodic
 * step 6 or 21), `on` neither before the latest step (nor 1921-07-01,
 * DATE_PARTY_FOUNDED) nor after today. A publicity period given with any
 * step starts no earlier than the application (step 1) nor 1921-07-01,
 * not after its own end, and ends before `on` (field "publicity").
 * A vote without quorum or majority is not refused (vote_passed = false).
 */
int dev_check_step(const struct dev_rules *r, const struct dev_case *c, const struct dev_step_input *in,
		   struct date today, struct dev_verdict *out, struct err *e);

/* Moving an open case to another branch (DEV-16), with what the caller looked up. */
struct dev_move {
	int64_t from_org_id; /* the case's branch */
	int64_t to_org_id;   /* the new branch */
	int to_org_type;     /* enum org_type of to_org_id, 0 when not found */
	struct date on;      /* the date of the move */
};

/*
 * May case c move to another branch (DEV-16: the activist changed
 * workplace or residence; the old branch passes on the files and the new
 * one continues)? The case keeps its steps, so training counts
 * continuously: the step-3 date still governs DEV-20 and the 考察 records
 * DEV-15. Returns 0, or -1 with:
 *  - ERR_CONFLICT "case_closed" when the case is not open;
 *  - ERR_VALIDATION "rule_violation" "[DEV-16] …" on "org_id" once step 17
 *    approved the admission (a probationary member moves by a transfer of
 *    organisational relations instead);
 *  - field errors: "org_id" (missing, not found, the same branch, not a
 *    branch: DEV-11), "on" (missing, after today, before the latest step).
 */
int dev_move_check(const struct dev_rules *r, const struct dev_case *c, const struct dev_move *m,
		   struct date today, struct err *e);

/* The next step of an open case and its dates. */
struct dev_next {
	int step;             /* 0 when none */
	struct date earliest; /* first date allowed (at least the latest step's date) */
	struct date due;      /* deadline where a rule sets one, DATE_NONE otherwise */
	bool overdue;         /* today > due */
	char rule[12];        /* the rule behind due (or earliest when no due), "" none */
};

/*
 * The step expected next for case c under r (for periodic steps: another
 * 考察 (6) while step 7's earliest date is beyond the next assessment, else
 * 7; 21 until the probation ends, then 22). Dates: talk (2) applied + 1
 * month (DEV-12); 考察 (6) last assessment or step 3 + 6 months (DEV-15);
 * step 7 earliest activist + 12 months (DEV-20), due last assessment + 6
 * months; 16 and 17 due meeting + 3 months (DEV-35); 20 (2026) approval + 1
 * month (DEV-40); 22 due and 23 earliest and due probation_end (DEV-41);
 * 24 due step 23 + 3 months (DEV-44); 15 (2026) step 13 + 1 month.
 * Returns 0, or -1 with out->step = 0 when the case is not open or has no
 * step recorded.
 */
int dev_next(const struct dev_rules *r, const struct dev_case *c, struct date today, struct dev_next *out);

/* ------------------------------------------------------------------ DEV-53 */

/* The first day of the dormancy window: today − dormant_years (C-02) + 1 day. */
struct date dev_dormant_since(const struct dev_rules *r, struct date today);
/* True when no member was developed (step 17 approved) in the window: last unset or before since. */
bool dev_dormant(const struct dev_rules *r, struct date last_developed, struct date today);

#endif
