/*
 * member.h: the member record (党员档案) and its validation. Strings are
 * borrowed: whoever fills a struct member owns them (usually an arena).
 */
#ifndef DJ_CORE_MEMBER_H
#define DJ_CORE_MEMBER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

struct member {
	int64_t id;
	int64_t org_id;
	const char *name;
	int gender;        /* enum gender */
	char ethnicity[3]; /* GB/T 3304 code, "" unset */
	struct date birth_date;
	const char *id_card; /* plain 18 characters, NULL when unknown */
	char education[3];   /* GB/T 4658 code, "" unset */
	const char *phone;   /* plain, NULL when unknown */
	const char *native_place;
	int category; /* enum member_category */
	int status;   /* enum member_status */
	struct date joined_on;
	struct date full_member_on;
	const char *work_unit;
	const char *job;
	const char *remarks;
	/* Filled by the store on reads; ignored on writes (state changes go
	 * through store_member_set_state()). */
	int state;              /* enum member_state; 0 = active */
	struct date state_on;   /* since when (zero for active) */
	const char *state_code; /* exit reason or lost-contact situation code, NULL none */
	bool mobile;            /* has an open outflow registration (流动党员) */
	const char *org_name;
	const char *created_at;
	const char *updated_at;
};

/*
 * Normalises a person's name into `out` (size `cap`): removes surrounding
 * ASCII and full-width (U+3000) spaces. Returns the length. The result is
 * cut at a character boundary to fit cap - 1 bytes; NULL in gives "".
 */
size_t member_normalize_name(const char *in, char *out, size_t cap);

/*
 * Buffers for member_normalize(); live as long as the member that points
 * into them.
 */
struct member_norm {
	char name[256];
	char id_card[19];
};
/*
 * Points m->name at the normalised name and, when m->id_card is a valid
 * 18-character number (white space and lower-case x tolerated), m->id_card
 * at its canonical form, both copies kept in `buf`. Values that cannot be
 * normalised are left untouched for member_validate() to report. Call it
 * before validating and storing, so the stored and hashed forms are canonical.
 */
void member_normalize(struct member *m, struct member_norm *buf);

/* Settings that govern validation (RULES.md [P] rules). */
struct member_rules {
	int min_join_age;     /* DEV-60: applied at 18 or older; default 18 */
	int probation_months; /* default 12 */
};
void member_rules_default(struct member_rules *r);

/*
 * Checks every field of a member to be stored and records one Chinese
 * message per bad field in `e` (field names as in JSON). `today` is the
 * reference date for "not in the future". Returns 0 when valid, -1 otherwise.
 * Required: name, gender, birth_date, id_card, ethnicity, education, category,
 * status, joined_on, org_id; full members also full_member_on. `r` may be
 * NULL for member_rules_default(). The name is judged after normalisation.
 */
int member_validate(const struct member *m, const struct member_rules *r, struct date today, struct err *e);

/* China mainland mobile (1[3-9]x, 11 digits) or fixed line (0xx-xxxxxxx[-ext]). */
bool phone_valid(const char *s);
/* Masks a phone number keeping the first 3 and last 4 digits: 138****5678. */
void phone_mask(const char *s, char *out, size_t cap);

#endif
