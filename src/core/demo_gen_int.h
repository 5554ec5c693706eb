/*
 * demo_gen_int.h: internals shared by the demo generator's files:
 * demo_gen.c (state, members, committee posts), demo_gen_tree.c (the two
 * organisation trees) and demo_names.c (name, code and job tables).
 * Nothing outside src/core/demo_* includes this.
 */
#ifndef DJ_CORE_DEMO_GEN_INT_H
#define DJ_CORE_DEMO_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/demo_gen.h"

struct arena;

/* ---- tables (demo_names.c) ---- */

/* A weighted string; `x` is extra data (the native place of a region code). */
struct demo_wstr {
	const char *s;
	unsigned w;
	const char *x;
};

/* Member profiles: how a branch's members look (P_SCHOOL a college, P_TEACHER schools). */
enum demo_profile {
	P_ORGAN,
	P_INSTITUTION,
	P_ENTERPRISE,
	P_HOSPITAL,
	P_SCHOOL,
	P_TEACHER,
	P_RURAL,
	P_COMMUNITY,
	P_SOCIAL,
	P_RETIRED,
	P_COUNT,
};

#define DEMO_JOB_TIERS 3 /* under 32, 32 to 44, 45 and over */

struct demo_profile_spec {
	unsigned male_pct;
	const struct demo_wstr *edu;             /* GB/T 4658 detail codes, {NULL} ended */
	const char *const *jobs[DEMO_JOB_TIERS]; /* NULL ended; repeats weight a job */
};

extern const struct demo_wstr demo_surnames[];    /* {NULL} ended */
extern const struct demo_wstr demo_regions[];     /* code, weight, native place */
extern const struct demo_wstr demo_ethnicities[]; /* GB/T 3304 codes */
extern const char demo_given_male[];              /* concatenated 3-byte UTF-8 characters */
extern const char demo_given_female[];
extern const char *const demo_banned_names[]; /* real, well-known people; NULL ended */
extern const short demo_phone_prefixes[];
extern const size_t demo_phone_prefix_count;
extern const struct demo_profile_spec demo_profiles[P_COUNT];

/* Default tree: a branch of a unit, or a unit that is itself a branch. */
enum demo_bflags {
	DB_RETIRED = 1 << 0,  /* 离退休 branch: retired members */
	DB_FIXED = 1 << 1,    /* size is absolute, not scaled with `members` */
	DB_OVERDUE = 1 << 2,  /* term ended before today */
	DB_DUE_SOON = 1 << 3, /* term ends within 90 days */
};

struct demo_bspec {
	const char *name;
	short size;           /* members at the nominal 3,000 */
	unsigned char groups; /* 党小组 under it */
	unsigned char prob;   /* probationary members forced at the tail */
	unsigned char flags;  /* enum demo_bflags */
};

struct demo_uspec {
	const char *unit; /* work unit of its members */
	const char *org_name;
	unsigned char type, field;
	unsigned char flags;               /* DB_OVERDUE / DB_DUE_SOON for the unit's own organisation */
	struct demo_bspec self;            /* type branch: its own members */
	const struct demo_bspec *branches; /* other types: {NULL} ended */
};

extern const struct demo_uspec demo_units[]; /* the 29 primary organisations, {NULL} ended */
extern const char demo_root_name[];
extern const char demo_root_unit[];

/* Province tree. */
extern const char *const demo_cities[];               /* NULL ended */
extern const char demo_place_a[], demo_place_b[];     /* county/town name characters */
extern const char demo_village_a[], demo_village_b[]; /* village name characters */
extern const char *const demo_communities[];          /* NULL ended */
extern const char *const demo_county_depts[];         /* NULL ended */
extern const char *const demo_hospital_depts[];
extern const char *const demo_cn_digits[]; /* 〇..十 */

/* Number of 3-byte characters in a table string. */
static inline size_t demo_chars(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n / 3;
}

/* ---- generator state (demo_gen.c) ---- */

struct demo_rng {
	uint64_t s[4];
};

void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n), n >= 1. */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);

/* A branch that holds members. */
struct demo_slot {
	int org;               /* index into orgs */
	int size, prob;        /* members; probationary among them (at the tail) */
	int first;             /* 0-based number of its first member */
	int committee;         /* its committee size (roles at positions 0..committee-1) */
	unsigned w;            /* weight for sharing out members (not DB_FIXED) */
	unsigned char profile; /* enum demo_profile */
	unsigned char fixed;
	const char *unit; /* work unit */
};

enum demo_term { TERM_NORMAL, TERM_OVERDUE, TERM_DUE_SOON, TERM_NONE };

struct demo_gen {
	struct date today;
	long today_days;
	int members;
	uint64_t seed;
	struct demo_rng rng;  /* members */
	struct demo_rng trng; /* tree and terms */
	struct arena *arena;

	struct org *orgs;
	unsigned char *org_term; /* enum demo_term */
	int *org_end;            /* pre-order: subtree of i is [i, org_end[i]) */
	int *org_slot;           /* slot index or -1 */
	int norgs, caporgs;

	struct demo_slot *slots;
	int nslots, capslots;

	struct demo_role *roles;
	int nroles, caproles;

	/* iteration */
	int cur_slot, cur_pos, produced;

	/* uniqueness and speed */
	uint64_t *idset;
	size_t idmask;
	uint64_t phone_off;
	uint64_t banned[256];
	long age_lo[100], age_hi[100]; /* birth day range for each age */
	long today_minus_year;

	/* weighted picks: cumulative weights */
	uint32_t *cum_surname, *cum_region, *cum_eth, *cum_edu[P_COUNT];
	int n_surname, n_region, n_eth, n_edu[P_COUNT];
	size_t n_male, n_female;

	char name[40], id_card[19], phone[12];
};

/* demo_gen.c: adds an organisation; returns its index. `name` must outlive the generator. */
int demo_add_org(struct demo_gen *g, int parent, const char *name, int type, int field, enum demo_term term);
/* Adds a member-holding slot for branch `org`. */
void demo_add_slot(struct demo_gen *g, int org, unsigned w, int fixed_size, int prob, int profile,
		   const char *unit);
/* A profile for an organisation field. */
int demo_profile_for_field(int field);

/* demo_gen_tree.c */
void demo_build_default(struct demo_gen *g);
void demo_build_province(struct demo_gen *g);

#endif
