/*
 * demo_build.c: writes the deterministic demo data set (core/demo_gen.h)
 * into an empty store in one transaction: organisations (generated ids
 * mapped to stored ids), members, committees and the two demo logins.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "core/demo_gen.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/err.h"
#include "util/xalloc.h"

#include <time.h>

int demo_build(struct store *s, int members, uint64_t seed, struct err *e)
{
	struct sconn *c = store_conn(s, e);
	struct arena *a = arena_new();
	struct demo_gen *g = NULL;
	const struct org *orgs;
	const struct demo_role *roles;
	int64_t *org_ids = NULL, *member_ids = NULL, branch = 0;
	struct actor who = { 0, "cli" };
	struct timespec t0, t1;
	struct member m;
	char *hash = NULL;
	int norgs, nroles, nm = 0, y, mo, d, rc = -1;
	struct date today;

	if (!c)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_today(&y, &mo, &d);
	today = (struct date){ y, mo, d };
	g = demo_gen_new(seed, members, today);
	norgs = demo_gen_orgs(g, &orgs);
	org_ids = xcalloc((size_t)norgs + 1, sizeof(*org_ids));
	member_ids = xcalloc((size_t)demo_gen_member_count(g) + 1, sizeof(*member_ids));
	if (store_bulk_begin(c, e) < 0)
		goto out;
	for (int i = 0; i < norgs; i++) {
		struct org o = orgs[i];
		o.parent_id = o.parent_id ? org_ids[o.parent_id] : 0;
		if (store_org_insert(c, a, &o, e) < 0)
			goto out;
		org_ids[orgs[i].id] = o.id;
	}
	while (demo_gen_next_member(g, &m) == 1) {
		int64_t gen_id = m.id;
		m.org_id = org_ids[m.org_id];
		if (store_member_insert(c, &m, e) < 0 ||
		    store_member_history_add(c, &who, m.id, "created", 0, m.org_id, "示例数据", e) < 0)
			goto out;
		member_ids[gen_id] = m.id;
		nm++;
	}
	nroles = demo_gen_roles(g, &roles);
	for (int i = 0; i < nroles;) {
		struct committee_entry v[16];
		int64_t org = roles[i].org_id;
		size_t n = 0;
		for (; i < nroles && roles[i].org_id == org; i++) {
			if (n < ARRAY_SIZE(v)) {
				v[n].member_id = member_ids[roles[i].member_id];
				v[n].role = roles[i].role;
				v[n].name = NULL;
				n++;
			}
		}
		if (store_committee_set(c, org_ids[org], v, n, e) < 0)
			goto out;
	}
	/* The secretary login belongs to the first branch that has a secretary. */
	for (int i = 0; i < nroles && !branch; i++)
		for (int k = 0; k < norgs; k++)
			if (orgs[k].id == roles[i].org_id && orgs[k].type == ORG_BRANCH && roles[i].role == CROLE_SECRETARY)
				branch = org_ids[orgs[k].id];
	hash = crypto_password_hash(DEMO_PASSWORD, store_pbkdf2_iterations(s));
	{
		struct user admin = { .username = "admin", .display_name = "系统管理员", .role = UROLE_ADMIN,
				      .org_id = org_ids[orgs[0].id] };
		struct user sec = { .username = "secretary", .display_name = "支部书记", .role = UROLE_SECRETARY,
				    .org_id = branch ? branch : org_ids[orgs[0].id] };
		struct user aud = { .username = "auditor", .display_name = "审计员", .role = UROLE_AUDITOR,
				    .org_id = org_ids[orgs[0].id] };
		if (store_user_insert(c, &admin, hash, e) < 0 || store_user_insert(c, &sec, hash, e) < 0 ||
		    store_user_insert(c, &aud, hash, e) < 0)
			goto out;
	}
	if (store_audit(c, &who, "system.demo", "org", org_ids[orgs[0].id], NULL,
			arena_printf(a, "{\"orgs\":%d,\"members\":%d,\"seed\":%llu}", norgs, nm,
				     (unsigned long long)seed), e) < 0 ||
	    store_bulk_commit(c, e) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("demo data: %d organisations, %d members in %.1f s\n", norgs, nm,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
out:
	if (c)
		store_rollback(c);
	free(hash);
	free(org_ids);
	free(member_ids);
	demo_gen_free(g);
	arena_free(a);
	return rc;
}
