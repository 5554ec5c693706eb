/*
 * dues.h: the Party dues rules (党费, RULES.md DUES-01..DUES-16 under
 * 党费规定2008): dues categories, the monthly amount, dues months, arrears
 * levels, payment checks and the share remitted upward. Pure: no I/O, no
 * clock; money is integer fen (C-06) and a month is an int YYYYMM (202611).
 */
#ifndef DJ_CORE_DUES_H
#define DJ_CORE_DUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

/* ------------------------------------------------------------ categories */

/*
 * RULES.md CAT-01: the attribute that drives the dues rules, stored apart
 * from the member's occupation category. 0 means "not set".
 */
enum dues_category {
	DUES_CAT_NONE = 0,
	DUES_CAT_IN_SERVICE,        /* in_service 在职: DUES-01/02 brackets */
	DUES_CAT_ANNUAL_SALARY,     /* annual_salary 年薪制: DUES-03, same brackets */
	DUES_CAT_SELF_EMPLOYED,     /* self_employed 个体及其他无固定月薪: DUES-03 */
	DUES_CAT_RETIRED,           /* retired 离退休: DUES-04 */
	DUES_CAT_FARMER,            /* farmer 农牧渔民: DUES-05, farmer_amount_fen */
	DUES_CAT_STUDENT,           /* student 学生: DUES-05, 20 fen */
	DUES_CAT_UNEMPLOYED,        /* unemployed 下岗失业: DUES-05, 20 fen */
	DUES_CAT_RELIEF,            /* relief 领取救济或抚恤: DUES-05, 20 fen */
	DUES_CAT_MINIMUM_ALLOWANCE, /* minimum_allowance 领取最低生活保障: DUES-05, 20 fen */
	DUES_CAT_REDUCED_OR_EXEMPT, /* reduced_or_exempt 减免: DUES-07, amount by approval */
};

/* JSON names and Chinese labels, for enum_from_json() and friends (codes.h). */
extern const struct enum_entry dues_category_enum[];

/*
 * The default dues category of a member's occupation category (enum
 * member_category), which the user may then change: in_service, retired,
 * farmer, student and unemployed map to their namesakes; CAT_OTHER maps to
 * self_employed (个体及其他无固定月薪, whose label covers "其他"). Unknown or
 * CAT_NONE gives DUES_CAT_NONE.
 */
int dues_category_of_member(int member_category);

/* True for the categories whose amount depends on the base (in_service,
 * annual_salary, self_employed, retired). */
bool dues_category_uses_base(int category);

/* -------------------------------------------------------------- settings */

/* DUES-04: which retirement pay counts as the retired member's base. */
enum dues_retired_base_policy {
	DUES_RETIRED_BASE_NONE = 0,
	DUES_RETIRED_BASE_BASIC_2017, /* basic_pension_2017: basic pay/pension only (组电明字〔2017〕5号) */
	DUES_RETIRED_BASE_TOTAL_2008, /* total_2008: all retirement pay received (党费规定2008) */
};
extern const struct enum_entry dues_retired_base_enum[];

/* DUES-09: when a changed base starts to count. */
enum dues_rebase_policy {
	DUES_REBASE_NONE = 0,
	DUES_REBASE_YEARLY_JANUARY, /* yearly_january: amount fixed each January for the year */
	DUES_REBASE_ON_CHANGE,      /* on_change: from the month the new pay is first received */
};
extern const struct enum_entry dues_rebase_enum[];

/*
 * The [P]/[U] dues settings (RULES.md 0.1: configurable, with a default).
 * Field names double as configuration keys and as the field names of
 * dues_settings_check() errors.
 */
struct dues_settings {
	int retired_base_policy;             /* enum dues_retired_base_policy; default BASIC_2017 */
	int farmer_amount_fen;               /* DUES-05; default 20, allowed 20..100 */
	int rounding_unit_fen;               /* DUES-12; default 1, allowed 1..100 (10 = to the jiao) */
	int rebase_policy;                   /* enum dues_rebase_policy; default YEARLY_JANUARY */
	int max_prepay_months;               /* DUES-10; default 3, allowed 0..12 */
	int max_arrears_months;              /* DUES-10; default 6, allowed 0..12 */
	int arrears_warn_months;             /* DUES-11; default 3 */
	int arrears_alert_months;            /* DUES-11; default 5 */
	int lapse_months;                    /* DUES-11; default 6; 1 <= warn <= alert <= lapse <= 24 */
	int64_t central_remit_threshold_fen; /* DUES-08; default 100000 (1000 yuan), > 0 */
};

/* Fills *s with the defaults above. */
void dues_settings_default(struct dues_settings *s);
/*
 * Checks every setting against the ranges above; records one Chinese field
 * error per bad setting (field = member name). Returns 0 or -1. Check
 * settings once when they are loaded; the functions below refuse invalid
 * settings with ERR_INTERNAL ("dues_settings_invalid").
 */
int dues_settings_check(const struct dues_settings *s, struct err *e);

/*
 * DUES-04: the retired member's base under the settings: basic_fen under
 * basic_pension_2017, total_fen under total_2008. `s` may be NULL (defaults).
 */
int64_t dues_retired_base(const struct dues_settings *s, int64_t basic_fen, int64_t total_fen);

/*
 * DUES-09: the first month a new monthly amount applies when the changed pay
 * is first received in `first_paid_month`: that month under on_change; under
 * yearly_january the same month if it is a January, else the next January
 * (the manual override RULES.md mentions is the caller's). Returns 0 when
 * the month is invalid. `s` may be NULL (defaults).
 */
int dues_rebase_month(const struct dues_settings *s, int first_paid_month);

/* ------------------------------------------------------------ calculator */

/* Largest accepted monthly base: 100,000,000 fen = 1,000,000 yuan. */
#define DUES_MAX_BASE_FEN INT64_C(100000000)
/* DUES-05: the fixed amount of students, unemployed, relief, minimum allowance. */
#define DUES_FIXED_AMOUNT_FEN 20
/* DUES-16: the 2008 rules apply to dues months from April 2008 (earlier ones are not modelled). */
#define DUES_RULES_FROM_MONTH 200804

struct dues_result {
	int category;       /* enum dues_category, as asked */
	int64_t base_fen;   /* as given (ignored for fixed categories) */
	int per_mille;      /* rate in per mille; 0 when fixed (JSON rate_per_mille: null) */
	int64_t amount_fen; /* monthly dues */
	bool fixed;         /* the amount does not depend on the base */
	bool by_approval;   /* reduced_or_exempt: the real amount is the DUES-07 approval's; amount_fen 0 */
};

/*
 * The monthly dues of a member of `category` whose monthly base (after tax,
 * DUES-01/03/04; for retired members see dues_retired_base()) is base_fen.
 *
 *   in_service, annual_salary, self_employed (DUES-02/03), the rate applies
 *   to the whole base: <= 300000 fen 5‰; <= 500000 10‰; <= 1000000 15‰;
 *   above 20‰. retired (DUES-04): <= 500000 5‰, above 10‰.
 *   amount = base * per_mille / 1000 rounded half up to a multiple of
 *   rounding_unit_fen, in one step from the exact value (DUES-12).
 *   farmer: farmer_amount_fen; student, unemployed, relief,
 *   minimum_allowance: 20 fen (DUES-05); fixed amounts are not rounded.
 *   reduced_or_exempt: amount 0, by_approval (DUES-07).
 *
 * The base is checked for every category, though only used by the first
 * four: negative → field "base_fen" 月收入基数不能为负数; above
 * DUES_MAX_BASE_FEN → 月收入基数超出合理范围. Unknown category → field
 * "category". `s` may be NULL (defaults). Returns 0 and fills *out, or -1
 * with `e` set (and *out untouched).
 */
int dues_calculate(const struct dues_settings *s, int category, int64_t base_fen, struct dues_result *out,
		   struct err *e);

/*
 * n * per_mille / 1000 rounded half up to a multiple of unit_fen (>= 1), in
 * integers. n >= 0, 0 <= per_mille <= 1000, n <= DUES_MAX_TOTAL_FEN.
 */
int64_t dues_round_per_mille(int64_t n, int per_mille, int unit_fen);

/* ---------------------------------------------------------------- months */

/*
 * A dues month is YYYYMM with 1800 <= YYYY <= 9999 (date.h's range) and
 * 1 <= MM <= 12. 0 means "no month".
 */
bool dues_month_valid(int m);
/* The month n months after m (n may be negative); 0 if m or the result is invalid. */
int dues_month_add(int m, int n);
/* b - a in months (dues_months_between(202401, 202408) = 7); both must be valid. */
int dues_months_between(int a, int b);
/* The month of a date (DUES-06: a probationary member's first dues month is
 * dues_month_of(joined_on)); 0 for an unset or invalid date. */
int dues_month_of(struct date d);
/* Writes "YYYY-MM" (8 bytes with NUL); an invalid month writes "". */
void dues_month_format(int m, char buf[static 8]);
/*
 * Parses YYYY-MM, YYYY-M, YYYY/MM, YYYY.MM, YYYY年M月 and YYYYMM, surrounding
 * white space ignored. Returns 0 and sets *out, or -1 (not a valid month).
 */
int dues_month_parse(const char *s, int *out);

/* --------------------------------------------------------------- arrears */

enum dues_arrears_level {
	DUES_ARREARS_NONE = 0,   /* none */
	DUES_ARREARS_WARN,       /* warn: >= arrears_warn_months, criticise and set a deadline */
	DUES_ARREARS_ALERT,      /* alert: >= arrears_alert_months */
	DUES_ARREARS_LAPSE_CASE, /* lapse_case: >= lapse_months, possible 自行脱党, a human decides */
};
extern const struct enum_entry dues_arrears_level_enum[];

struct dues_arrears {
	int due_months;   /* months owed so far: first_due_month .. the month before today's */
	int unpaid_total; /* of those, months not paid */
	int consecutive;  /* unpaid months in a row ending with the month before today's */
	int longest;      /* longest run of unpaid months among the owed ones (>= consecutive) */
	int first_unpaid; /* earliest unpaid month, 0 when none */
	int last_paid;    /* latest paid month before today's month, 0 when none */
	int level;        /* enum dues_arrears_level, from `longest` */
};

/*
 * DUES-11 arrears of one member on `today`. Months owed are first_due_month
 * (DUES-06: the joined month of a probationary member, else the month dues
 * started) up to and including the month before today's: the current month
 * is not yet overdue, so with 2024-01 the last paid month, on 2024-08-01
 * Feb..Jul are 6 unpaid months.
 *
 * paid_months: the months paid for (payments, and months covered by an
 * approved DUES-07 exemption), ascending, duplicates allowed; months outside
 * the owed range are ignored. npaid may be 0 (paid_months then may be NULL).
 *
 * The level comes from the longest unpaid run, not only the run ending last
 * month: six consecutive unpaid months that were never made up stay a
 * lapse case after a later month is paid.
 *
 * Returns 0 and fills *out, or -1: invalid first_due_month (field
 * "first_due_month"), invalid today ("today"), paid_months invalid or not
 * ascending ("paid_months"), invalid settings.
 */
int dues_arrears_compute(const struct dues_settings *s, int first_due_month, const int *paid_months,
			 size_t npaid, struct date today, struct dues_arrears *out, struct err *e);

/* --------------------------------------------------------------- payments */

/* Facts the caller vouches for, given to dues_payment_check(). */
enum dues_payment_flags {
	DUES_PAY_REDUCTION_APPROVED = 1 << 0, /* DUES-07 reduction approved: amount may be below standard */
	DUES_PAY_BRANCH_CONSENT = 1 << 1,     /* DUES-10 branch consented to arrears beyond the limit */
};

/* What dues_payment_check() noticed (bits of dues_payment_verdict.notes). */
enum dues_payment_notes {
	DUES_NOTE_PREPAY = 1 << 0,        /* month after the current one (预交) */
	DUES_NOTE_ARREARS = 1 << 1,       /* month before the current one (补缴) */
	DUES_NOTE_OLD_ARREARS = 1 << 2,   /* more than max_arrears_months back, accepted with consent */
	DUES_NOTE_NEEDS_CONSENT = 1 << 3, /* refused: old arrears without DUES_PAY_BRANCH_CONSENT */
	DUES_NOTE_REDUCED = 1 << 4,       /* below standard, accepted on an approved reduction */
	DUES_NOTE_EXTRA = 1 << 5,         /* above standard (DUES-08: always allowed) */
	DUES_NOTE_REMIT_CENTRAL = 1 << 6, /* extra >= central_remit_threshold_fen: 上缴中央 */
};

/* Largest single payment accepted: 10^10 fen = 100,000,000 yuan (large one-off
 * voluntary payments happen; this only stops typing slips and overflow). */
#define DUES_MAX_PAYMENT_FEN INT64_C(10000000000)

struct dues_payment_verdict {
	unsigned notes;      /* enum dues_payment_notes bits */
	int months_ahead;    /* month_for - current_month when > 0, else 0 */
	int months_behind;   /* current_month - month_for when > 0, else 0 */
	int64_t extra_fen;   /* amount above standard, 0 when not above */
	int64_t central_fen; /* the part remitted in full to the Central Committee (the extra), or 0 */
};

/*
 * Checks one payment of amount_fen for dues month month_for, made in
 * current_month, against the member's monthly standard standard_fen
 * (from dues_calculate(), or the approved DUES-07 amount). All problems
 * are reported at once as field errors:
 *   "month": invalid; more than max_prepay_months after current_month
 *     (不能预交超过3个月); more than max_arrears_months before it without
 *     DUES_PAY_BRANCH_CONSENT (notes gets DUES_NOTE_NEEDS_CONSENT).
 *   "amount_fen": not positive; below standard_fen without
 *     DUES_PAY_REDUCTION_APPROVED; above DUES_MAX_PAYMENT_FEN.
 *   "standard_fen": negative.
 * Paying more is allowed (DUES-08); a voluntary extra (amount - standard) of
 * central_remit_threshold_fen or more is flagged 上缴中央 and goes whole
 * into central_fen. Returns 0 with *out filled, or -1 with `e` set (*out
 * still filled as far as known, so the caller can read NEEDS_CONSENT).
 * `flags` are enum dues_payment_flags; `s` may be NULL (defaults).
 */
int dues_payment_check(const struct dues_settings *s, int month_for, int current_month, int64_t amount_fen,
		       int64_t standard_fen, unsigned flags, struct dues_payment_verdict *out, struct err *e);

/* ------------------------------------------------------------ remittance */

/* Largest total dues_remit_share() accepts (10^15 fen), so no product overflows. */
#define DUES_MAX_TOTAL_FEN INT64_C(1000000000000000)

/*
 * DUES-13: the share of total_fen passed to the higher committee, share_per_mille
 * of it rounded half up to the fen (200 = 20 %). Returns the share, or -1
 * when total_fen is negative or above DUES_MAX_TOTAL_FEN or share_per_mille
 * is outside 0..1000.
 */
int64_t dues_remit_share(int64_t total_fen, int share_per_mille);

#endif
