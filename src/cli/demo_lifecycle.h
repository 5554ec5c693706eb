/*
 * demo_lifecycle.h: the member-lifecycle part of the demo data set: a year
 * of member development (124 members developed in the demo year, cases at
 * every stage, some overdue), transfers in every state, mobile members,
 * lost-contact members and an exit. Called by demo_build() inside its bulk
 * transaction, after the organisations and members are written.
 */
#ifndef DJ_CLI_DEMO_LIFECYCLE_H
#define DJ_CLI_DEMO_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

struct arena;
struct err;
struct member;
struct org;
struct sconn;
struct actor;

/*
 * Below this many members (the API tests' 300-member demos) the demo has no
 * lifecycle data: 124 new members would swamp it, and those tests start
 * from an empty development register.
 */
#define DEMO_LIFECYCLE_MIN_MEMBERS 1000

/* Members developed (step 17 approved) in the demo year: the speech's figure. */
#define DEMO_DEVELOPED_IN_YEAR 124

/* A stored member as the lifecycle needs it. */
struct demo_life_member {
	int64_t id, org_id; /* stored ids */
	int status;         /* enum member_status */
};

struct demo_life {
	/* in (borrowed) */
	const struct org *orgs; /* the generated tree (demo_gen_orgs), ids 1..norgs */
	int norgs;
	const int64_t *org_ids;             /* generated organisation id -> stored id */
	const struct demo_life_member *mem; /* the stored members, grouped by branch */
	size_t nmem;
	uint64_t seed;
	struct date today; /* the demo's "today"; the demo year is today.y */
	const struct actor *who;
	/* out */
	int cases;       /* development cases written */
	int developed;   /* of them approved (step 17) in the demo year */
	int new_members; /* member records created by approvals */
	struct member
		*created; /* those records as stored (id, org, category, joined_on, ...), in the arena */
	int transfers, mobile, lost, exits;
};

/*
 * Writes the lifecycle data through core's checks (dev_check_step,
 * transfer_request_check, transfer_next_state, member_state_check,
 * mobile_check) and the store API, the way the HTTP handlers do; a check
 * that refuses a generated record is a bug of this generator and fails the
 * demo with the rule's message. Same seed and today, same data.
 * Returns 0, or -1 with `e` set.
 */
int demo_lifecycle(struct sconn *c, struct arena *a, struct demo_life *d, struct err *e);

#endif
