/*
 * demo_gen.h: the deterministic demo data set of DESIGN.md "Demo data set".
 * Pure: builds an organisation tree, members and committee posts as core
 * structs from a seed and a reference date; no I/O, clock or globals. The
 * caller (cli/ demo, store/) inserts them and maps the generated ids.
 */
#ifndef DJ_CORE_DEMO_GEN_H
#define DJ_CORE_DEMO_GEN_H

#include <stdint.h>

#include "core/date.h"
#include "core/member.h"
#include "core/org.h"

struct demo_gen;

/* Below this many members the transport-department tree is built, from it on a province tree. */
#define DEMO_GEN_LARGE 100000
#define DEMO_GEN_DEFAULT_MEMBERS 3000

/*
 * Creates a generator. The whole organisation tree, the member count of
 * every branch and the committee posts are fixed here; members are then
 * produced one at a time by demo_gen_next_member().
 *
 *   seed     any value; the same (seed, members, today) gives the same output
 *            byte for byte on every platform
 *   members  total members to produce (exactly this many); < DEMO_GEN_LARGE
 *            builds 示例省交通运输厅厅直机关党委 with 29 primary
 *            organisations, scaled so branches keep their proportions
 *            (about 3,000 gives the intended branch sizes); >= DEMO_GEN_LARGE
 *            builds a province → city → county → grassroots committee →
 *            branch tree with about 30 members a branch. Must be >= 0.
 *   today    reference date (a set, valid date): nobody is born, joins or is
 *            elected after it, and terms are spread around it.
 *
 * Returns a new generator; free it with demo_gen_free(). Never NULL (memory
 * exhaustion aborts, as everywhere). A generator is not thread-safe; use one
 * per thread. Memory: 16 to 32 bytes a member for the identity-number set,
 * plus the tree (about 50,000 organisations at 1,000,000 members).
 */
struct demo_gen *demo_gen_new(uint64_t seed, int members, struct date today);
/* Frees the generator and every string and array it handed out. NULL is ok. */
void demo_gen_free(struct demo_gen *g);

/*
 * The organisation tree, parents before children (pre-order: each
 * organisation's subtree follows it contiguously). Sets *out to an array of
 * the returned count. Generated ids: out[i].id == i + 1; parent_id refers to
 * those ids (0 for the root); path is the materialised path of generated ids
 * ("/1/5/12/"), so an inserter must rewrite both. term_years is 0 (default),
 * secretary_id 0 and secretary_name NULL (see demo_gen_roles()). The figures
 * full_count, probationary_count (direct members), subtree_members, children
 * and committee_size are filled with what the generator will produce.
 * Borrowed: the array and its strings live until demo_gen_free().
 */
int demo_gen_orgs(struct demo_gen *g, const struct org **out);

/* Total members the generator will produce (the `members` given to _new). */
int demo_gen_member_count(const struct demo_gen *g);

/*
 * Produces the next member into *out and returns 1, or returns 0 when all
 * have been produced (out untouched). Members come branch by branch in
 * organisation order. out->id is the generated member id (1, 2, ... in
 * order of production), out->org_id a generated organisation id (always a
 * branch; 党小组 have no direct members). Every member passes
 * member_validate() with default rules for `today`; identity numbers and
 * mobile numbers are unique over the whole set.
 * Borrowed: the strings in *out (name, id_card, phone, native_place,
 * work_unit, job) stay valid until the next call or demo_gen_free();
 * copy them to keep them. remarks and the store-filled fields are NULL.
 */
int demo_gen_next_member(struct demo_gen *g, struct member *out);

/* One committee post (支委会/总支委员会/党委委员会) at an organisation. */
struct demo_role {
	int64_t org_id;    /* generated organisation id */
	int64_t member_id; /* generated member id; always a full member of the org's subtree */
	int role;          /* enum committee_role; CROLE_SECRETARY first for each org */
};

/*
 * Committee posts for every organisation, grouped by organisation in tree
 * order. Branches with 7 or more full members get a committee of 3 (under 15
 * full members) or 5, smaller branches only a secretary (ORG-03); general
 * branches 5 posts and party committees 7, held by members of their
 * non-retired branches. 党小组 get none. Sets *out, returns the count.
 * Borrowed: valid until demo_gen_free().
 */
int demo_gen_roles(struct demo_gen *g, const struct demo_role **out);

#endif
