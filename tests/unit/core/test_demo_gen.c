/*
 * test_demo_gen.c: the demo data set generator (src/core/demo_gen.c):
 * tree shape, member validity and uniqueness, distributions, structure
 * warnings the demo must trigger, committee posts, determinism, and the
 * province tree at 1,000,000 members (with its generation rate printed).
 */
#include "util/common.h"

#include <setjmp.h>
#include <cmocka.h>
#include <time.h>

#include "core/demo_gen.h"
#include "core/demo_gen_int.h" /* demo_banned_names */
#include "core/idcard.h"
#include "util/err.h"
#include "util/xalloc.h"

static const struct date TODAY = { 2026, 11, 24 };

/* ---- helpers ---- */

/* A set of 64-bit hashes (never 0) with open addressing. */
struct hset {
	uint64_t *v;
	size_t mask;
};

static void hset_init(struct hset *s, size_t n)
{
	size_t cap = 1024;
	while (cap < 2 * n)
		cap *= 2;
	s->v = xcalloc(cap, sizeof(*s->v));
	s->mask = cap - 1;
}

static uint64_t hash_str(const char *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h | 1;
}

/* Returns false when already present. */
static bool hset_add(struct hset *s, uint64_t h)
{
	size_t i = (size_t)(h * 0x9e3779b97f4a7c15ULL >> 17) & s->mask;
	for (; s->v[i]; i = (i + 1) & s->mask)
		if (s->v[i] == h)
			return false;
	s->v[i] = h;
	return true;
}

static bool hset_has(const struct hset *s, uint64_t h)
{
	size_t i = (size_t)(h * 0x9e3779b97f4a7c15ULL >> 17) & s->mask;
	for (; s->v[i]; i = (i + 1) & s->mask)
		if (s->v[i] == h)
			return true;
	return false;
}

static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 0x100000001b3ULL;
}

static void hash_s(uint64_t *h, const char *s)
{
	hash_bytes(h, s ? s : "\x01", s ? strlen(s) + 1 : 1);
}

static void hash_i(uint64_t *h, int64_t v)
{
	hash_bytes(h, &v, sizeof(v));
}

static void hash_d(uint64_t *h, struct date d)
{
	hash_i(h, d.y * 10000 + d.m * 100 + d.d);
}

/* Hash of everything a generator produces. */
static uint64_t hash_output(uint64_t seed, int members)
{
	struct demo_gen *g = demo_gen_new(seed, members, TODAY);
	const struct org *orgs;
	const struct demo_role *roles;
	struct member m;
	uint64_t h = 0xcbf29ce484222325ULL;
	int n = demo_gen_orgs(g, &orgs), nr = demo_gen_roles(g, &roles);

	for (int i = 0; i < n; i++) {
		hash_i(&h, orgs[i].id);
		hash_i(&h, orgs[i].parent_id);
		hash_s(&h, orgs[i].name);
		hash_s(&h, orgs[i].path);
		hash_i(&h, orgs[i].type);
		hash_i(&h, orgs[i].field);
		hash_d(&h, orgs[i].elected_on);
	}
	for (int i = 0; i < nr; i++) {
		hash_i(&h, roles[i].org_id);
		hash_i(&h, roles[i].member_id);
		hash_i(&h, roles[i].role);
	}
	while (demo_gen_next_member(g, &m)) {
		hash_i(&h, m.id);
		hash_i(&h, m.org_id);
		hash_s(&h, m.name);
		hash_i(&h, m.gender);
		hash_s(&h, m.ethnicity);
		hash_d(&h, m.birth_date);
		hash_s(&h, m.id_card);
		hash_s(&h, m.education);
		hash_s(&h, m.phone);
		hash_s(&h, m.native_place);
		hash_i(&h, m.category);
		hash_i(&h, m.status);
		hash_d(&h, m.joined_on);
		hash_d(&h, m.full_member_on);
		hash_s(&h, m.work_unit);
		hash_s(&h, m.job);
	}
	demo_gen_free(g);
	return h;
}

/* Checks one member in depth; fails the test on any problem. */
static void check_member(const struct member *m, const struct member_rules *rules)
{
	struct err e = ERR_INIT;
	struct idcard_info info;
	const char *why = NULL;
	int age;

	if (member_validate(m, rules, TODAY, &e) != 0) {
		for (int i = 0; i < e.nfields; i++)
			print_error("member %lld %s (%s): %s: %s\n", (long long)m->id, m->name, m->id_card,
				    e.fields[i].name, e.fields[i].message);
		fail();
	}
	err_release(&e);
	assert_int_equal(idcard_parse(m->id_card, false, TODAY, &info, &why), 0);
	assert_string_equal(info.number, m->id_card);
	assert_int_equal(date_cmp(info.birth, m->birth_date), 0);
	assert_int_equal(info.gender, m->gender);
	assert_true(phone_valid(m->phone));
	age = date_age_on(m->birth_date, TODAY);
	assert_in_range(age, 23, 85);
	assert_true(date_cmp(m->joined_on, date_add_months(m->birth_date, 240)) >= 0);
	assert_true(date_cmp(m->joined_on, TODAY) <= 0);
	if (m->status == STATUS_FULL) {
		assert_int_equal(date_cmp(m->full_member_on, date_add_months(m->joined_on, 12)), 0);
		assert_true(date_cmp(m->full_member_on, TODAY) <= 0);
	} else {
		assert_int_equal(m->status, STATUS_PROBATIONARY);
		assert_false(date_is_set(m->full_member_on));
		assert_true(date_cmp(m->joined_on, date_add_months(TODAY, -12)) > 0);
	}
	assert_non_null(m->native_place);
	assert_non_null(m->work_unit);
	assert_non_null(m->job);
}

/* ---- the default tree ---- */

static void test_default_tree_shape(void **state)
{
	struct demo_gen *g = demo_gen_new(1, DEMO_GEN_DEFAULT_MEMBERS, TODAY);
	const struct org *o;
	int n = demo_gen_orgs(g, &o), primary = 0, committees = 0, general = 0, branches = 0;
	int groups = 0, sum = 0;
	struct hset names;

	(void)state;
	assert_true(n > 100);
	assert_string_equal(o[0].name, "示例省交通运输厅厅直机关党委");
	assert_int_equal(o[0].type, ORG_PARTY_COMMITTEE);
	assert_int_equal(o[0].field, FIELD_ORGAN);
	assert_int_equal(o[0].parent_id, 0);
	assert_string_equal(o[0].path, "/1/");
	hset_init(&names, (size_t)n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(o[i].id, i + 1);
		assert_true(hset_add(&names, hash_str(o[i].name)));
		if (i == 0)
			continue;
		/* Parents come first, and the path extends the parent's. */
		assert_true(o[i].parent_id >= 1 && o[i].parent_id < o[i].id);
		const struct org *p = &o[o[i].parent_id - 1];
		assert_true(org_type_allowed_under(o[i].type, p->type));
		assert_memory_equal(o[i].path, p->path, strlen(p->path));
		if (o[i].parent_id == 1)
			primary++;
		switch (o[i].type) {
		case ORG_PARTY_COMMITTEE:
			committees++;
			break;
		case ORG_GENERAL_BRANCH:
			general++;
			break;
		case ORG_BRANCH:
			branches++;
			sum += o[i].full_count + o[i].probationary_count;
			break;
		case ORG_PARTY_GROUP:
			groups++;
			break;
		default:
			fail();
		}
		if (o[i].type != ORG_PARTY_GROUP)
			assert_true(date_is_set(o[i].elected_on));
	}
	assert_int_equal(primary, 29);
	assert_in_range(committees, 8, 14);
	assert_in_range(general, 3, 8);
	assert_in_range(branches, 80, 140);
	assert_true(groups >= 10);
	assert_int_equal(sum, DEMO_GEN_DEFAULT_MEMBERS);
	assert_int_equal(o[0].subtree_members, DEMO_GEN_DEFAULT_MEMBERS);
	assert_int_equal(demo_gen_member_count(g), DEMO_GEN_DEFAULT_MEMBERS);
	free(names.v);
	demo_gen_free(g);
}

struct tally {
	int *full, *prob; /* per org index */
	int members, male, han, probationary, retired, college;
};

static void test_default_members(void **state)
{
	struct demo_gen *g = demo_gen_new(2026, DEMO_GEN_DEFAULT_MEMBERS, TODAY);
	const struct org *o;
	int n = demo_gen_orgs(g, &o);
	struct member_rules rules;
	struct member m;
	struct hset ids, phones;
	struct tally t = { 0 };
	int small = 0, big = 0, overdue = 0, due_soon = 0;

	(void)state;
	member_rules_default(&rules);
	hset_init(&ids, 4000);
	hset_init(&phones, 4000);
	t.full = xcalloc((size_t)n, sizeof(int));
	t.prob = xcalloc((size_t)n, sizeof(int));
	while (demo_gen_next_member(g, &m)) {
		t.members++;
		assert_int_equal(m.id, t.members);
		check_member(&m, &rules);
		assert_true(hset_add(&ids, hash_str(m.id_card)));
		assert_true(hset_add(&phones, hash_str(m.phone)));
		assert_in_range(m.org_id, 1, n);
		assert_int_equal(o[m.org_id - 1].type, ORG_BRANCH);
		if (m.status == STATUS_FULL)
			t.full[m.org_id - 1]++;
		else
			t.prob[m.org_id - 1]++, t.probationary++;
		t.male += m.gender == GENDER_MALE;
		t.han += !strcmp(m.ethnicity, "01");
		t.retired += m.category == CAT_RETIRED;
		const struct code_entry *edu = education_by_code(m.education);
		assert_non_null(edu);
		t.college += edu->level[0] <= '3';
	}
	assert_int_equal(demo_gen_next_member(g, &m), 0);
	assert_in_range(t.members, 2850, 3150);

	/* Distributions (percent). */
	assert_in_range(100 * t.male / t.members, 60, 80);
	assert_true(100 * t.han / t.members >= 85);
	assert_in_range(1000 * t.probationary / t.members, 10, 60);
	assert_in_range(100 * t.retired / t.members, 8, 25);
	assert_true(100 * t.college / t.members >= 75);

	/* The figures match the members, and the demo triggers the structure warnings. */
	for (int i = 0; i < n; i++) {
		struct date due;
		assert_int_equal(o[i].full_count, t.full[i]);
		assert_int_equal(o[i].probationary_count, t.prob[i]);
		if (o[i].type == ORG_BRANCH) {
			small += t.full[i] < 3;
			big += t.full[i] + t.prob[i] > 50;
		}
		if (!date_is_set(o[i].elected_on))
			continue;
		due = org_term_due(&o[i]);
		if (date_cmp(due, TODAY) < 0)
			overdue++;
		else if (date_cmp(due, date_add_days(TODAY, 90)) <= 0)
			due_soon++;
	}
	assert_in_range(small, 1, 5);
	assert_in_range(big, 1, 4);
	assert_in_range(overdue, 1, 8);
	assert_in_range(due_soon, 1, 8);
	print_message("default tree: %d orgs, %d members, %d%% male, %d%% 汉族, %d probationary, "
		      "%d retired; branches <3 full %d, >50 %d; terms overdue %d, due in 90 days %d\n",
		      n, t.members, 100 * t.male / t.members, 100 * t.han / t.members, t.probationary,
		      t.retired, small, big, overdue, due_soon);

	free(t.full);
	free(t.prob);
	free(ids.v);
	free(phones.v);
	demo_gen_free(g);
}

static void test_default_roles(void **state)
{
	struct demo_gen *g = demo_gen_new(5, DEMO_GEN_DEFAULT_MEMBERS, TODAY);
	const struct org *o;
	const struct demo_role *r;
	int n = demo_gen_orgs(g, &o), nr = demo_gen_roles(g, &r), nm = demo_gen_member_count(g);
	int64_t *member_org = xcalloc((size_t)nm + 1, sizeof(int64_t));
	int *member_status = xcalloc((size_t)nm + 1, sizeof(int));
	int *posts = xcalloc((size_t)n, sizeof(int));
	struct member m;

	(void)state;
	while (demo_gen_next_member(g, &m)) {
		member_org[m.id] = m.org_id;
		member_status[m.id] = m.status;
	}
	assert_true(nr > 100);
	for (int i = 0; i < nr; i++) {
		const struct org *org = &o[r[i].org_id - 1];
		const struct org *mo;
		assert_in_range(r[i].member_id, 1, nm);
		assert_int_equal(member_status[r[i].member_id], STATUS_FULL);
		/* The holder belongs to the organisation's subtree. */
		mo = &o[member_org[r[i].member_id] - 1];
		assert_memory_equal(mo->path, org->path, strlen(org->path));
		if (posts[r[i].org_id - 1]++ == 0)
			assert_int_equal(r[i].role, CROLE_SECRETARY);
		else
			assert_int_not_equal(r[i].role, CROLE_SECRETARY);
		/* Grouped by organisation in tree order. */
		if (i > 0)
			assert_true(r[i].org_id >= r[i - 1].org_id);
	}
	for (int i = 0; i < n; i++) {
		assert_int_equal(o[i].committee_size, posts[i]);
		if (o[i].type == ORG_BRANCH && o[i].full_count >= 7)
			assert_in_range(posts[i], 3, 5);
		else if (o[i].type == ORG_BRANCH)
			assert_int_equal(posts[i], o[i].full_count > 0 ? 1 : 0);
		else if (o[i].type == ORG_PARTY_COMMITTEE)
			assert_int_equal(posts[i], 7);
		else if (o[i].type == ORG_GENERAL_BRANCH)
			assert_int_equal(posts[i], 5);
		else
			assert_int_equal(posts[i], 0);
	}
	free(member_org);
	free(member_status);
	free(posts);
	demo_gen_free(g);
}

static void test_determinism(void **state)
{
	uint64_t a = hash_output(7, DEMO_GEN_DEFAULT_MEMBERS);

	(void)state;
	assert_true(a == hash_output(7, DEMO_GEN_DEFAULT_MEMBERS));
	assert_true(a != hash_output(8, DEMO_GEN_DEFAULT_MEMBERS));
	assert_true(hash_output(9, 150000) == hash_output(9, 150000));
}

static void test_other_sizes(void **state)
{
	static const int sizes[] = { 0, 1, 5, 60, 500, 20000 };

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct demo_gen *g = demo_gen_new(3, sizes[k], TODAY);
		struct member_rules rules;
		struct member m;
		const struct org *o;
		int produced = 0, n = demo_gen_orgs(g, &o);

		member_rules_default(&rules);
		assert_int_equal(n, demo_gen_orgs(g, &o));
		while (demo_gen_next_member(g, &m)) {
			check_member(&m, &rules);
			produced++;
		}
		assert_int_equal(produced, sizes[k]);
		assert_int_equal(o[0].subtree_members, sizes[k]);
		demo_gen_free(g);
	}
}

/* ---- the province tree ---- */

/* CPU time of this process: the rate stays meaningful on a busy machine. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_province_million(void **state)
{
	const int members = 1000000;
	double t0 = cpu_seconds(), t_new, t_all;
	struct demo_gen *g = demo_gen_new(11, members, TODAY);
	const struct org *o;
	const struct demo_role *r;
	int n, nr, produced = 0, branches = 0, small = 0, big = 0, male = 0, sampled = 0;
	struct member_rules rules;
	struct member m;
	struct hset ids, phones, names, banned;

	(void)state;
	t_new = cpu_seconds() - t0;
	n = demo_gen_orgs(g, &o);
	nr = demo_gen_roles(g, &r);
	while (demo_gen_next_member(g, &m)) {
		produced++;
		male += m.gender == GENDER_MALE;
	}
	t_all = cpu_seconds() - t0;
	assert_int_equal(produced, members);
	print_message("province tree: %d orgs, %d posts, %d members in %.3f s CPU (tree %.3f s): "
		      "%.0f members/s\n",
		      n, nr, produced, t_all, t_new, produced / t_all);
	demo_gen_free(g);

	/* Second pass, same seed: validate a sample, check uniqueness of all. */
	member_rules_default(&rules);
	hset_init(&ids, (size_t)members);
	hset_init(&phones, (size_t)members);
	hset_init(&names, (size_t)n);
	hset_init(&banned, 100);
	for (int i = 0; demo_banned_names[i]; i++)
		hset_add(&banned, hash_str(demo_banned_names[i]));
	g = demo_gen_new(11, members, TODAY);
	n = demo_gen_orgs(g, &o);
	for (int i = 0; i < n; i++) {
		assert_int_equal(o[i].id, i + 1);
		assert_true(hset_add(&names, hash_str(o[i].name)));
		if (i)
			assert_true(o[i].parent_id >= 1 && o[i].parent_id < o[i].id);
		if (o[i].type == ORG_BRANCH) {
			int size = o[i].full_count + o[i].probationary_count;
			branches++;
			small += o[i].full_count < 3;
			big += size > 50;
		}
	}
	assert_int_equal(o[0].subtree_members, members);
	assert_in_range(members / branches, 25, 35);
	assert_true(small >= 1);
	assert_true(big >= 1);
	while (demo_gen_next_member(g, &m)) {
		assert_true(hset_add(&ids, hash_str(m.id_card)));
		assert_true(hset_add(&phones, hash_str(m.phone)));
		/* No real, well-known person's name. */
		assert_false(hset_has(&banned, hash_str(m.name)));
		if (m.id % 97 == 0) {
			check_member(&m, &rules);
			sampled++;
		}
	}
	assert_true(sampled > 10000);
	assert_in_range(100LL * male / members, 60, 80);
	free(ids.v);
	free(phones.v);
	free(names.v);
	free(banned.v);
	demo_gen_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_tree_shape), cmocka_unit_test(test_default_members),
		cmocka_unit_test(test_default_roles),      cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_other_sizes),        cmocka_unit_test(test_province_million),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
