/*
 * demo_build.c: writes the deterministic demo data set (core/demo_gen.h)
 * into an empty store in one transaction: organisations (generated ids
 * mapped to stored ids), members, committees and the two demo logins.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "cli/demo_lifecycle.h"
#include "core/demo_gen.h"
#include "core/dues.h"
#include "core/meeting.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/err.h"
#include "util/xalloc.h"

#include <time.h>

/* A small deterministic mix of a member id and the seed (splitmix64's finaliser). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * A year of dues: every member gets a standard from January (the yearly
 * re-assessment, DUES-09) and pays each month before the current one, the
 * current month's ledger is open; about one member in sixty stopped paying
 * some months ago (arrears of 1 to 8 months) so the arrears list has cases.
 */
static int demo_dues(struct sconn *c, struct arena *a, int64_t root_org, const struct member *m,
		     uint64_t seed, struct date today, struct err *e)
{
	static const int64_t base_lo[] = { 300000, 350000, 180000 };
	uint64_t r = mix(seed ^ (uint64_t)m->id * 0x100000001b3ULL);
	struct dues_standard st = { 0 };
	struct dues_result res;
	int cat = dues_category_of_member(m->category), this_month = dues_month_of(today);
	int first = today.y * 100 + 1, stop = this_month, joined = dues_month_of(m->joined_on);
	int64_t base = 0;
	char mon[8];

	UNUSED(root_org);
	if (cat == DUES_CAT_IN_SERVICE)
		base = base_lo[r % 2] + (int64_t)(r >> 8) % 1200000;
	else if (cat == DUES_CAT_RETIRED)
		base = base_lo[2] + (int64_t)(r >> 8) % 600000;
	else if (cat == DUES_CAT_SELF_EMPLOYED)
		base = 200000 + (int64_t)(r >> 8) % 400000;
	base -= base % 100; /* whole yuan */
	if (joined > first)
		first = joined; /* DUES-06: probationary members pay from the month they joined */
	if (first > this_month || dues_calculate(NULL, cat, base, &res, e) < 0)
		return 0;
	dues_month_format(first, mon);
	st.member_id = m->id;
	st.category = enum_json(dues_category_enum, cat);
	st.base_fen = base;
	st.per_mille = res.fixed ? -1 : res.per_mille;
	st.amount_fen = res.amount_fen;
	st.effective_month = arena_strdup(a, mon);
	if (store_dues_standard_set(c, &st, "cli", e) < 0)
		return -1;
	if (r % 60 == 7)
		stop = dues_month_add(this_month, -(int)(1 + (r >> 20) % 8));
	for (int mo = first; mo < stop; mo = dues_month_add(mo, 1)) {
		struct dues_payment p = { 0 };
		char day[11];
		dues_month_format(mo, mon);
		snprintf(day, sizeof(day), "%s-%02d", mon, 5 + (int)((r >> (mo % 32)) % 20));
		p.member_id = m->id;
		p.org_id = m->org_id;
		p.month = mon;
		p.amount_fen = res.amount_fen;
		p.standard_fen = res.amount_fen;
		p.method = (r >> 3) % 3 == 0 ? "cash" : (r >> 3) % 3 == 1 ? "bank" : "online";
		p.paid_on = day;
		p.recorded_by = "cli";
		if (store_dues_payment_add(c, &p, e) < 0)
			return -1;
	}
	return 0;
}

static const char *const topics[MTG_TYPE_COUNT] = {
	[MTG_MEMBER_CONGRESS] = "学习贯彻全会精神，研究支部季度工作",
	[MTG_COMMITTEE_MEETING] = "研究支部月度工作安排",
	[MTG_GROUP_MEETING] = "党小组学习讨论",
	[MTG_PARTY_LECTURE] = "书记讲党课：坚持以人民为中心的发展思想",
	[MTG_THEME_DAY] = "主题党日：重温入党誓词，志愿服务进社区",
	[MTG_ORG_LIFE_MEETING] = "年度组织生活会暨民主评议党员",
};

/*
 * A year of organisational life for one branch, January up to the month
 * before today's: theme days and committee meetings monthly, member
 * congresses and party lectures quarterly, group meetings monthly in each
 * party group. About one branch in five skips some months, one in ten
 * leaves minutes out, so the compliance table and the alerts show variety.
 * Member congresses carry attendance (most present, a few on leave).
 */
static int demo_meetings(struct sconn *c, struct arena *a, int64_t branch, bool has_committee,
			 const int64_t *groups, size_t ngroups, const int64_t *mem, size_t nmem,
			 uint64_t seed, struct date today, struct err *e)
{
	uint64_t r = mix(seed ^ (uint64_t)branch * 0x9e3779b97f4a7c15ULL);
	bool lax = r % 5 == 0, sloppy = r % 10 == 3;

	for (int mon = 1; mon < today.m; mon++) {
		for (int t = 1; t < MTG_TYPE_COUNT; t++) {
			int64_t org = branch;
			size_t reps = 1;
			bool monthly =
				t == MTG_THEME_DAY || t == MTG_COMMITTEE_MEETING || t == MTG_GROUP_MEETING;
			bool quarterly = t == MTG_MEMBER_CONGRESS || t == MTG_PARTY_LECTURE;
			if (!topics[t] || (t == MTG_COMMITTEE_MEETING && !has_committee))
				continue;
			if (quarterly && mon % 3 != 0)
				continue;
			if (t == MTG_ORG_LIFE_MEETING)
				continue; /* held in December: not yet this year */
			if (!monthly && !quarterly)
				continue;
			if (t == MTG_GROUP_MEETING)
				reps = ngroups;
			for (size_t g = 0; g < reps; g++) {
				struct meeting m = { 0 };
				uint64_t rr = mix(r + (uint64_t)mon * 131 + (uint64_t)t * 7 + g);
				if (lax && rr % 4 == 0)
					continue; /* this month it was not held */
				if (t == MTG_GROUP_MEETING)
					org = groups[g];
				m.org_id = org;
				m.type = t;
				m.topic = topics[t];
				m.held_on =
					arena_printf(a, "%04d-%02d-%02d", today.y, mon, 3 + (int)(rr % 20));
				m.start_time = "15:00";
				m.place = "党员活动室";
				m.host = "支部书记";
				m.recorder = "组织委员";
				m.minutes =
					sloppy && rr % 3 == 0
						? ""
						: "会议传达学习了有关精神，结合实际进行了讨论，明确了下一步工作。";
				m.status = "held";
				m.created_by = "cli";
				if (nmem) {
					/* Who attends: the committee (its first posts) for committee
					 * meetings, a group's share of the branch for group meetings,
					 * everyone otherwise. */
					size_t from = 0, upto = t == MTG_COMMITTEE_MEETING
									? (nmem < 5 ? nmem : 5)
									: nmem;
					m.attendees = arena_zalloc(a, nmem * sizeof(*m.attendees));
					for (size_t k = from; k < upto; k++) {
						struct meeting_attendee *x;
						if (t == MTG_GROUP_MEETING && k % reps != g)
							continue;
						x = &m.attendees[m.nattendees++];
						x->member_id = mem[k];
						x->status =
							(rr >> (k % 60)) % 12 == 0 ? ATT_LEAVE : ATT_PRESENT;
						x->reason = x->status == ATT_LEAVE ? "因公出差" : "";
						m.expected++;
						m.present += x->status == ATT_PRESENT;
					}
				}
				if (store_meeting_insert(c, &m, e) < 0)
					return -1;
			}
		}
	}
	return 0;
}

int demo_build(struct store *s, int members, uint64_t seed, struct err *e)
{
	struct sconn *c = store_conn(s, e);
	struct arena *a = arena_new();
	struct demo_gen *g = NULL;
	const struct org *orgs;
	const struct demo_role *roles;
	int64_t *org_ids = NULL, *member_ids = NULL, branch = 0, *mem_real = NULL, *mem_org = NULL;
	struct demo_life_member *life_mem = NULL;
	struct demo_life life = { 0 };
	struct actor who = { 0, "cli" };
	struct timespec t0, t1;
	struct member m;
	char *hash = NULL;
	int norgs, nroles, nm = 0, y, mo, d, rc = -1;
	/* A year of dues for the department-sized demo; the province-sized one stays lean. */
	bool with_dues = members < DEMO_GEN_LARGE;
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
	mem_real = xcalloc((size_t)demo_gen_member_count(g) + 1, sizeof(*mem_real));
	mem_org = xcalloc((size_t)demo_gen_member_count(g) + 1, sizeof(*mem_org));
	life_mem = xcalloc((size_t)demo_gen_member_count(g) + 1, sizeof(*life_mem));
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
		    store_member_history_add(c, &who, m.id, "created", 0, m.org_id, "示例数据", e) < 0 ||
		    (with_dues && demo_dues(c, a, org_ids[orgs[0].id], &m, seed, today, e) < 0))
			goto out;
		member_ids[gen_id] = m.id;
		mem_real[nm] = m.id;
		mem_org[nm] = m.org_id;
		life_mem[nm] = (struct demo_life_member){ m.id, m.org_id, m.status };
		nm++;
	}
	if (with_dues) {
		/* Ledgers from January: earlier months settled, the current one open. */
		for (int m2 = today.y * 100 + 1; m2 <= dues_month_of(today); m2 = dues_month_add(m2, 1)) {
			char mon[8];
			dues_month_format(m2, mon);
			if (store_dues_month_open(c, org_ids[orgs[0].id], mon, "cli", e) < 0 ||
			    (m2 < dues_month_of(today) &&
			     store_dues_month_set(c, org_ids[orgs[0].id], mon, "settled", e) < 0))
				goto out;
		}
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
	if (with_dues) {
		/* A year of meetings for every branch (members come grouped by branch). */
		for (int i = 0; i < norgs; i++) {
			int64_t groups[16], real = org_ids[orgs[i].id];
			size_t ngroups = 0, first = 0, count = 0;
			int posts = 0;
			if (orgs[i].type != ORG_BRANCH)
				continue;
			for (int k = 0; k < norgs; k++)
				if (orgs[k].parent_id == orgs[i].id && orgs[k].type == ORG_PARTY_GROUP &&
				    ngroups < 16)
					groups[ngroups++] = org_ids[orgs[k].id];
			for (int k = 0; k < nroles; k++)
				posts += roles[k].org_id == orgs[i].id;
			while (first < (size_t)nm && mem_org[first] != real)
				first++;
			while (first + count < (size_t)nm && mem_org[first + count] == real)
				count++;
			if (demo_meetings(c, a, real, posts >= 3, groups, ngroups, mem_real + first, count,
					  seed, today, e) < 0)
				goto out;
		}
	}
	if (with_dues) {
		/* Development, transfers, mobile and lost members of the demo year (demo_lifecycle.c). */
		life = (struct demo_life){ .orgs = orgs,
					   .norgs = norgs,
					   .org_ids = org_ids,
					   .mem = life_mem,
					   .nmem = (size_t)nm,
					   .seed = seed,
					   .today = today,
					   .who = &who };
		if (demo_lifecycle(c, a, &life, e) < 0)
			goto out;
		/* the new members pay dues from the month they joined, like everyone else */
		for (int i = 0; i < life.new_members; i++)
			if (demo_dues(c, a, org_ids[orgs[0].id], &life.created[i], seed, today, e) < 0)
				goto out;
		nm += life.new_members;
	}
	/* The secretary login belongs to the first branch that has a secretary. */
	for (int i = 0; i < nroles && !branch; i++)
		for (int k = 0; k < norgs; k++)
			if (orgs[k].id == roles[i].org_id && orgs[k].type == ORG_BRANCH &&
			    roles[i].role == CROLE_SECRETARY)
				branch = org_ids[orgs[k].id];
	hash = crypto_password_hash(DEMO_PASSWORD, store_pbkdf2_iterations(s));
	{
		struct user admin = { .username = "admin",
				      .display_name = "系统管理员",
				      .role = UROLE_ADMIN,
				      .org_id = org_ids[orgs[0].id] };
		struct user sec = { .username = "secretary",
				    .display_name = "支部书记",
				    .role = UROLE_SECRETARY,
				    .org_id = branch ? branch : org_ids[orgs[0].id] };
		struct user aud = { .username = "auditor",
				    .display_name = "审计员",
				    .role = UROLE_AUDITOR,
				    .org_id = org_ids[orgs[0].id] };
		struct user mem = { .username = "member",
				    .display_name = "党员",
				    .role = UROLE_MEMBER,
				    .org_id = sec.org_id };
		struct member_page mp;
		struct member_query mq = { .org_id = sec.org_id, .page = 1, .per_page = 1 };
		if (store_user_insert(c, &admin, hash, e) < 0 || store_user_insert(c, &sec, hash, e) < 0 ||
		    store_user_insert(c, &aud, hash, e) < 0 || store_member_list(c, a, &mq, &mp, e) < 0)
			goto out;
		/* The self-service login: the first member of the secretary's branch. */
		if (mp.n) {
			mem.member_id = mp.items[0].id;
			if (store_user_insert(c, &mem, hash, e) < 0)
				goto out;
		}
	}
	if (store_audit(c, &who, "system.demo", "org", org_ids[orgs[0].id], NULL,
			arena_printf(a, "{\"orgs\":%d,\"members\":%d,\"seed\":%llu}", norgs, nm,
				     (unsigned long long)seed),
			e) < 0 ||
	    store_bulk_commit(c, e) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("demo data: %d organisations, %d members in %.1f s\n", norgs, nm,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (life.cases)
		printf("demo lifecycle: %d development cases (%d developed in %d), %d transfers, %d mobile, "
		       "%d lost, %d left\n",
		       life.cases, life.developed, today.y, life.transfers, life.mobile, life.lost,
		       life.exits);
	rc = 0;
out:
	if (c)
		store_rollback(c);
	free(hash);
	free(org_ids);
	free(member_ids);
	free(mem_real);
	free(mem_org);
	free(life_mem);
	demo_gen_free(g);
	arena_free(a);
	return rc;
}
