/*
 * org.h: organisations (党组织) and the structure rules of RULES.md 3.1 and
 * 3.2, reported as warnings, plus which type may sit under which.
 */
#ifndef DJ_CORE_ORG_H
#define DJ_CORE_ORG_H

#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

struct org {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	const char *name;
	const char *path;       /* materialised, 10-digit ids: "/0000000001/0000000005/" */
	int type;               /* enum org_type */
	int field;              /* enum org_field */
	struct date elected_on; /* start of the current term */
	int term_years;         /* 0: default for type and field (ORG-10) */
	int64_t secretary_id;   /* member id, 0 none */
	const char *secretary_name;
	const char *remarks;
	int sort_order;
	/* Figures filled by the store on reads. */
	int full_count, probationary_count; /* direct members */
	int subtree_members;                /* whole subtree */
	int children;
	int committee_size;
};

struct org_warning {
	const char *code; /* "ORG-03", ... */
	char message[200];
};

/* ORG-10: 5 years for party committees and everything in villages/communities, else 3. */
int org_default_term_years(int type, int field);
/* Next 换届 date: add_months(elected_on, 12 * years); DATE_NONE when no elected_on. */
struct date org_term_due(const struct org *o);
/* May an organisation of `child` type sit under `parent` type (0 = root)? */
bool org_type_allowed_under(int child, int parent);
/* Validates name, type, field, term for create/update. Returns 0 or -1 with field errors. */
int org_validate(const struct org *o, int parent_type, struct err *e);
/*
 * Structure warnings for an organisation with its current figures (ORG-01..04,
 * term due within 90 days / overdue). Writes at most `cap` warnings, returns how many.
 */
int org_warnings(const struct org *o, struct date today, struct org_warning *out, int cap);

#endif
