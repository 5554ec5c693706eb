/*
 * test_store_lifecycle.c: the store's member lifecycle (member states and
 * figures, moves, development cases and steps, transfers, mobile members),
 * one suite run against SQLite always and against PostgreSQL when
 * DJ_TEST_PG_URL names a server (each test gets a fresh database, as in
 * test_store_contract.c; start one with tests/pg/pgctl).
 */
#include "util/common.h"
#include "store/store_int.h"
#include "core/develop.h"
#include "core/idcard.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define STORE_FIXTURE_DB "dj_lifecycle"
#include "store_fixture.h"

/* A valid identity number born on `birth` with sequence `seq` (odd: male). */
static const char *make_id(struct fx *f, struct date birth, int seq)
{
	char first[18];
	char *out;

	snprintf(first, sizeof(first), "110101%04d%02d%02d%03d", birth.y, birth.m, birth.d, seq);
	out = arena_printf(f->a, "%s%c", first, idcard_check_char(first));
	return out;
}

static void fill_applicant(struct applicant *a, int64_t org, const char *name, const char *id_card,
			   struct date birth)
{
	memset(a, 0, sizeof(*a));
	a->org_id = org;
	a->name = name;
	a->gender = GENDER_MALE;
	snprintf(a->ethnicity, sizeof(a->ethnicity), "01");
	a->birth_date = birth;
	a->id_card = id_card;
	snprintf(a->education, sizeof(a->education), "21");
	a->native_place = "河北";
	a->work_unit = "某厂";
	a->job = "技术员";
	a->category = CAT_IN_SERVICE;
	a->stage = DEV_APPLICANT;
	a->status = "open";
	a->rule_version = "2014";
	a->step = 1;
	a->applied_on = (struct date){ 2024, 3, 1 };
}

static int64_t add_applicant(struct fx *f, int64_t org, const char *name, const char *id_card)
{
	struct err e = ERR_INIT;
	struct applicant a;

	fill_applicant(&a, org, name, id_card, (struct date){ 1998, 5, 6 });
	if (store_applicant_insert(f->c, &a, &e) < 0)
		fail_msg("applicant insert %s: %s", name, e.message);
	assert_true(a.id > 0);
	return a.id;
}

static void add_step(struct fx *f, struct dev_step_rec *s)
{
	struct err e = ERR_INIT;

	if (!s->rule_version)
		s->rule_version = "2014";
	if (!s->created_by)
		s->created_by = "admin";
	if (store_dev_step_add(f->c, s, &e) < 0)
		fail_msg("step %d: %s", s->step, e.message);
	assert_true(s->id > 0);
}

/* Step 17 (approval) with result on a date. */
static void add_approval(struct fx *f, int64_t applicant, struct date on, const char *result)
{
	struct dev_step_rec s = {
		.applicant_id = applicant, .step = 17, .on = on, .result = result, .warnings = "[]"
	};

	add_step(f, &s);
}

static void expect_conflict(struct err *e, const char *code)
{
	if (e->kind != ERR_CONFLICT)
		fail_msg("expected conflict %s, got kind %d: %s %s", code, (int)e->kind,
			 e->code ? e->code : "", e->message);
	assert_string_equal(e->code, code);
	err_clear(e);
}

static void expect_not_found(struct err *e)
{
	if (e->kind != ERR_NOT_FOUND)
		fail_msg("expected not found, got kind %d: %s %s", (int)e->kind, e->code ? e->code : "",
			 e->message);
	err_clear(e);
}

static int64_t stats_diffs(struct fx *f)
{
	struct err e = ERR_INIT;
	int64_t diffs = -1;

	if (store_stats_verify(f->c, &diffs, &e) < 0)
		fail_msg("stats verify: %s", e.message);
	return diffs;
}

/* The subtree figure (dim 'status', summed over keys) of an organisation. */
static int64_t counted(struct fx *f, int64_t org)
{
	struct err e = ERR_INIT;
	struct org_stat *rows;
	size_t n;
	int64_t sum = 0;

	if (store_org_stats(f->c, f->a, NULL, org, &rows, &n, &e) < 0)
		fail_msg("org stats: %s", e.message);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].dim, "status"))
			sum += rows[i].n;
	return sum;
}

static int64_t list_total(struct fx *f, struct member_query *mq, size_t *n_out)
{
	struct err e = ERR_INIT;
	struct member_page p;

	if (store_member_list(f->c, f->a, mq, &p, &e) < 0)
		fail_msg("member list: %s", e.message);
	if (n_out)
		*n_out = p.n;
	return p.total;
}

static void set_state(struct fx *f, int64_t member, int to, const char *code, struct date on)
{
	struct err e = ERR_INIT;
	struct member_state_event ev = { .member_id = member,
					 .to_state = to,
					 .code = code,
					 .on = on,
					 .basis = "支部大会决议",
					 .approved_by = "机关党委",
					 .approved_on = on };

	assert_int_equal(store_begin(f->c, &e), 0);
	if (store_member_set_state(f->c, &f->who, &ev, &e) < 0)
		fail_msg("set state: %s", e.message);
	assert_int_equal(store_commit(f->c, &e), 0);
	assert_true(ev.id > 0);
}

/* ---- member states and figures ------------------------------------------ */

static void test_states_and_figures(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct member m, got;
	struct member_query mq = { .page = 1, .per_page = 10 };
	struct member_state_event *ev;
	struct member_event *hist;
	size_t n, nh;
	int full;
	int64_t root, br1, br2, m1, m2, m3;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	m1 = add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	m2 = add_member(f, br1, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);
	m3 = add_member(f, br2, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 }, NULL);
	assert_int_equal(counted(f, root), 3);
	assert_int_equal(stats_diffs(f), 0);

	/* New members are active. */
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &got, &e), 0);
	assert_int_equal(got.state, MSTATE_ACTIVE);
	assert_false(date_is_set(got.state_on));
	assert_null(got.state_code);
	assert_false(got.mobile);

	/* Lost contact: still counted and listed. */
	set_state(f, m1, MSTATE_LOST, "work_away", (struct date){ 2024, 1, 10 });
	assert_int_equal(counted(f, root), 3);
	assert_int_equal(list_total(f, &mq, &n), 3);
	assert_int_equal(n, 3);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &got, &e), 0);
	assert_int_equal(got.state, MSTATE_LOST);
	assert_int_equal(got.state_on.y, 2024);
	assert_string_equal(got.state_code, "work_away");

	/* Leaving: out of the figures and the default list, shown with state=left or all. */
	set_state(f, m2, MSTATE_LEFT, "death", (struct date){ 2025, 2, 3 });
	assert_int_equal(counted(f, root), 2);
	assert_int_equal(counted(f, br1), 1);
	assert_int_equal(stats_diffs(f), 0);
	assert_int_equal(list_total(f, &mq, &n), 2);
	assert_int_equal(n, 2);
	mq.org_id = br1;
	assert_int_equal(list_total(f, &mq, &n), 1); /* the figure path (fast total) */
	mq.q = "李";
	assert_int_equal(list_total(f, &mq, &n), 0); /* the counting path */
	assert_int_equal(n, 0);
	mq.state = MSTATE_ALL;
	assert_int_equal(list_total(f, &mq, &n), 1);
	mq.q = NULL;
	assert_int_equal(list_total(f, &mq, &n), 2);
	assert_int_equal(n, 2);
	mq.org_id = 0;
	assert_int_equal(list_total(f, &mq, &n), 3);
	mq.state = MSTATE_LEFT;
	{
		struct member_page p;
		assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
		assert_int_equal(p.total, 1);
		assert_int_equal(p.n, 1);
		assert_int_equal(p.items[0].id, m2);
		assert_int_equal(p.items[0].state, MSTATE_LEFT);
		assert_string_equal(p.items[0].state_code, "death");
		assert_int_equal(p.items[0].state_on.m, 2);
	}
	mq.state = 0;
	mq.keyset = true;
	assert_int_equal(list_total(f, &mq, &n), 2);
	assert_int_equal(n, 2);
	mq.keyset = false;
	mq.unpaged = true;
	assert_int_equal(list_total(f, &mq, &n), 2);
	assert_int_equal(n, 2);
	mq.unpaged = false;

	/* Editing a member who left changes no figure. */
	assert_int_equal(store_member_get(f->c, f->a, NULL, m2, true, &m, &e), 0);
	m.gender = GENDER_FEMALE;
	m.status = STATUS_PROBATIONARY;
	m.full_member_on = DATE_NONE;
	assert_int_equal(store_member_update(f->c, &m, &e), 0);
	assert_int_equal(counted(f, root), 2);
	assert_int_equal(stats_diffs(f), 0);
	/* Editing a counted one still moves its figures. */
	assert_int_equal(store_member_get(f->c, f->a, NULL, m3, true, &m, &e), 0);
	m.org_id = br1;
	assert_int_equal(store_member_update(f->c, &m, &e), 0);
	assert_int_equal(counted(f, br1), 2);
	assert_int_equal(counted(f, br2), 0);
	assert_int_equal(stats_diffs(f), 0);

	/* Suspension and restoration. */
	set_state(f, m3, MSTATE_SUSPENDED, NULL, (struct date){ 2024, 8, 1 });
	assert_int_equal(counted(f, root), 1);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m3, false, &got, &e), 0);
	assert_int_equal(got.state, MSTATE_SUSPENDED);
	assert_null(got.state_code);
	set_state(f, m3, MSTATE_ACTIVE, NULL, (struct date){ 2025, 1, 2 });
	assert_int_equal(counted(f, root), 2);
	assert_int_equal(stats_diffs(f), 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m3, false, &got, &e), 0);
	assert_int_equal(got.state, MSTATE_ACTIVE);
	assert_false(date_is_set(got.state_on));

	assert_int_equal(store_member_state_events(f->c, f->a, m3, &ev, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].from_state, MSTATE_ACTIVE);
	assert_int_equal(ev[0].to_state, MSTATE_SUSPENDED);
	assert_null(ev[0].code);
	assert_int_equal(ev[0].on.y, 2024);
	assert_string_equal(ev[0].basis, "支部大会决议");
	assert_string_equal(ev[0].approved_by, "机关党委");
	assert_int_equal(ev[0].approved_on.m, 8);
	assert_string_equal(ev[0].created_by, "cli");
	assert_int_equal(ev[1].from_state, MSTATE_SUSPENDED);
	assert_int_equal(ev[1].to_state, MSTATE_ACTIVE);
	assert_int_equal(store_member_state_events(f->c, f->a, m2, &ev, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].code, "death");
	assert_int_equal(store_member_history(f->c, f->a, m2, &hist, &nh, &e), 0);
	assert_int_equal(nh, 1);
	assert_string_equal(hist[0].detail, "正常 → 已出党（死亡）");
	assert_int_equal(store_member_history(f->c, f->a, m3, &hist, &nh, &e), 0);
	assert_int_equal(nh, 2);
	assert_string_equal(hist[0].action, "state");

	/* Votes count the full members of the organisation itself in the counted states. */
	assert_int_equal(store_org_full_members(f->c, br1, &full, &e), 0);
	assert_int_equal(full, 2); /* m1 (lost) and m3; m2 left */
	set_state(f, m1, MSTATE_SUSPENDED, NULL, (struct date){ 2024, 8, 1 });
	assert_int_equal(store_org_full_members(f->c, br1, &full, &e), 0);
	assert_int_equal(full, 1);
	assert_int_equal(store_org_full_members(f->c, root, &full, &e), 0);
	assert_int_equal(full, 0);

	/* Unknown member. */
	{
		struct member_state_event x = { .member_id = 999,
						.to_state = MSTATE_LEFT,
						.on = (struct date){ 2025, 1, 1 } };
		assert_int_equal(store_member_set_state(f->c, &f->who, &x, &e), -1);
		expect_not_found(&e);
	}

	/* Deleting a member who is not counted leaves the figures right. */
	assert_int_equal(store_member_delete(f->c, m2, &e), 0);
	assert_int_equal(store_member_delete(f->c, m1, &e), 0);
	assert_int_equal(stats_diffs(f), 0);
	assert_int_equal(counted(f, root), 1);
}

static void test_dues_counted_members(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct dues_ledger l;
	int64_t root, br, m1, m2, ids[4];
	size_t n;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br = add_org(f, root, "支部", ORG_BRANCH);
	m1 = add_member(f, br, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	m2 = add_member(f, br, "王秀英", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);
	for (int i = 0; i < 2; i++) {
		struct dues_standard s = { .member_id = i ? m2 : m1,
					   .category = "retired",
					   .base_fen = 100000,
					   .per_mille = 5,
					   .amount_fen = 500,
					   .effective_month = "2026-01" };
		assert_int_equal(store_dues_standard_set(f->c, &s, "admin", &e), 0);
	}
	assert_int_equal(store_dues_ledger(f->c, f->a, org_path(f, root), "2026-02", 0, 1, 0, &l, &e), 0);
	assert_int_equal(l.due_count, 2);
	assert_int_equal(store_member_find_name(f->c, f->a, org_path(f, root), "王秀英", ids, 4, &n, &e), 0);
	assert_int_equal(n, 2);

	/* m2 paid January, then left: January keeps the payment, February no longer asks. */
	{
		struct dues_payment p = { .member_id = m2,
					  .org_id = br,
					  .month = "2026-01",
					  .amount_fen = 500,
					  .standard_fen = 500,
					  .method = "cash",
					  .paid_on = "2026-01-15",
					  .recorded_by = "admin" };
		assert_int_equal(store_dues_payment_add(f->c, &p, &e), 0);
	}
	set_state(f, m2, MSTATE_LEFT, "death", (struct date){ 2026, 1, 20 });
	assert_int_equal(store_dues_ledger(f->c, f->a, org_path(f, root), "2026-02", 0, 1, 0, &l, &e), 0);
	assert_int_equal(l.due_count, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].member_id, m1);
	assert_int_equal(store_dues_ledger(f->c, f->a, org_path(f, root), "2026-01", 0, 1, 0, &l, &e), 0);
	assert_int_equal(l.due_count, 2);
	assert_int_equal(l.paid_count, 1);
	assert_int_equal(store_dues_ledger(f->c, f->a, org_path(f, root), "2026-01", 2, 1, 0, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].member_id, m1);
	assert_int_equal(store_member_find_name(f->c, f->a, org_path(f, root), "王秀英", ids, 4, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], m1);
	{
		struct dues_year_row *yr;
		size_t ny;
		int with_m2 = 0;
		assert_int_equal(store_dues_year(f->c, f->a, org_path(f, root), "2026", &yr, &ny, &e), 0);
		for (size_t i = 0; i < ny; i++)
			with_m2 += yr[i].member_id == m2;
		assert_int_equal(with_m2, 1); /* the one payment */
	}
}

/* ---- moves ------------------------------------------------------------- */

static void test_member_move(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct committee_entry posts[2], *got;
	struct member m;
	struct member_event *hist;
	struct member_query mq = { .page = 1, .per_page = 10 };
	size_t n;
	int64_t root, br1, br2, m1, m2;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	m1 = add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	m2 = add_member(f, br1, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);
	posts[0] = (struct committee_entry){ m1, "王秀英", CROLE_SECRETARY };
	posts[1] = (struct committee_entry){ m2, "李老", CROLE_MEMBER };
	assert_int_equal(store_committee_set(f->c, br1, posts, 2, &e), 0);

	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_member_move(f->c, &f->who, m1, br2, "组织关系转接", &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &m, &e), 0);
	assert_int_equal(m.org_id, br2);
	assert_string_equal(m.org_name, "第二支部");
	mq.org_id = br2;
	assert_int_equal(list_total(f, &mq, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(counted(f, br2), 1);
	assert_int_equal(counted(f, br1), 1);
	assert_int_equal(stats_diffs(f), 0);
	assert_int_equal(store_committee_get(f->c, f->a, br1, &got, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].member_id, m2);
	assert_int_equal(store_member_history(f->c, f->a, m1, &hist, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(hist[0].action, "moved");
	assert_int_equal(hist[0].from_org_id, br1);
	assert_int_equal(hist[0].to_org_id, br2);
	assert_string_equal(hist[0].to_org, "第二支部");
	assert_string_equal(hist[0].detail, "组织关系转接");

	/* A member who is not counted moves without figures. */
	set_state(f, m2, MSTATE_SUSPENDED, NULL, (struct date){ 2025, 1, 1 });
	assert_int_equal(store_member_move(f->c, &f->who, m2, br2, "调整", &e), 0);
	assert_int_equal(counted(f, br2), 1);
	assert_int_equal(counted(f, br1), 0);
	assert_int_equal(stats_diffs(f), 0);
	assert_int_equal(store_committee_get(f->c, f->a, br1, &got, &n, &e), 0);
	assert_int_equal(n, 0);

	/* Unknown member or organisation. */
	assert_int_equal(store_member_move(f->c, &f->who, 999, br2, "", &e), -1);
	expect_not_found(&e);
	assert_int_equal(store_member_move(f->c, &f->who, m1, 999, "", &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	err_clear(&e);
}

/* ---- development ---------------------------------------------------------- */

static void test_applicants(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct applicant a, got, *list;
	struct applicant_query aq = { .page = 1, .per_page = 10 };
	const char *idx = make_id(f, (struct date){ 1998, 5, 6 }, 17);
	const char *idy = make_id(f, (struct date){ 2000, 1, 2 }, 28);
	size_t n;
	int64_t total, root, br1, br2, a1, a2, m;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	add_member(f, br1, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 }, NULL);

	fill_applicant(&a, br1, "赵小明", idx, (struct date){ 1998, 5, 6 });
	a.phone = "13912345678";
	assert_int_equal(store_applicant_insert(f->c, &a, &e), 0);
	a1 = a.id;
	assert_true(a1 > 0);

	/* Masked on reads, revealed on request; sealed at rest. */
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a1, false, &got, &e), 0);
	assert_string_equal(got.name, "赵小明");
	assert_string_equal(got.org_name, "第一支部");
	assert_string_equal(got.org_path, org_path(f, br1));
	assert_int_equal(strncmp(got.id_card, "110101********", 14), 0);
	assert_int_equal(strlen(got.id_card), 18);
	assert_string_equal(got.id_card + 14, idx + 14);
	assert_string_equal(got.phone, "139****5678");
	assert_int_equal(got.stage, DEV_APPLICANT);
	assert_string_equal(got.status, "open");
	assert_null(got.stop_reason);
	assert_string_equal(got.rule_version, "2014");
	assert_int_equal(got.step, 1);
	assert_int_equal(got.applied_on.y, 2024);
	assert_false(date_is_set(got.activist_on));
	assert_int_equal(got.category, CAT_IN_SERVICE);
	assert_string_equal(got.education, "21");
	assert_string_equal(got.job, "技术员");
	assert_int_equal(got.member_id, 0);
	assert_int_equal(got.nsteps, 0);
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a1, true, &got, &e), 0);
	assert_string_equal(got.id_card, idx);
	assert_string_equal(got.phone, "13912345678");
	assert_int_equal(
		raw_int(f, arena_printf(f->a,
					"SELECT COUNT(*) FROM applicants WHERE id_card_enc LIKE '%%%s%%'"
					" OR phone_enc LIKE '%%13912345678%%'",
					idx)),
		0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM applicants WHERE phone_enc IS NOT NULL"), 1);
	/* Scope. */
	assert_int_equal(store_applicant_get(f->c, f->a, org_path(f, br2), a1, false, &got, &e), -1);
	expect_not_found(&e);
	assert_int_equal(store_applicant_get(f->c, f->a, org_path(f, br1), a1, false, &got, &e), 0);

	/* The number of a member or of an open case is refused. */
	fill_applicant(&a, br2, "冒名", ID_M1990, (struct date){ 1990, 3, 7 });
	assert_int_equal(store_applicant_insert(f->c, &a, &e), -1);
	expect_conflict(&e, "duplicate_id_card");
	fill_applicant(&a, br2, "重复", idx, (struct date){ 1998, 5, 6 });
	assert_int_equal(store_applicant_insert(f->c, &a, &e), -1);
	expect_conflict(&e, "duplicate_id_card");

	/* Update: the stage moves on; the case's own number is no conflict. */
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a1, true, &got, &e), 0);
	got.stage = DEV_ACTIVIST;
	got.step = 3;
	got.activist_on = (struct date){ 2024, 4, 1 };
	got.phone = NULL;
	assert_int_equal(store_applicant_update(f->c, &got, &e), 0);
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a1, false, &got, &e), 0);
	assert_int_equal(got.stage, DEV_ACTIVIST);
	assert_int_equal(got.step, 3);
	assert_int_equal(got.activist_on.m, 4);
	assert_null(got.phone);

	/* A stopped case frees the number for a new one. */
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a1, true, &got, &e), 0);
	got.status = "stopped";
	got.stop_reason = "本人撤回申请";
	assert_int_equal(store_applicant_update(f->c, &got, &e), 0);
	fill_applicant(&a, br2, "赵小明", idx, (struct date){ 1998, 5, 6 });
	a.applied_on = (struct date){ 2025, 6, 1 };
	assert_int_equal(store_applicant_insert(f->c, &a, &e), 0);
	a2 = a.id;
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a1, false, &got, &e), 0);
	assert_string_equal(got.status, "stopped");
	assert_string_equal(got.stop_reason, "本人撤回申请");

	/* Approval: the member record takes the number; the case keeps pointing at it. */
	{
		struct member mm;
		fill_member(&mm, br2, "赵小明", idx, GENDER_MALE, (struct date){ 1998, 5, 6 });
		mm.status = STATUS_PROBATIONARY;
		mm.full_member_on = DATE_NONE;
		assert_int_equal(store_member_insert(f->c, &mm, &e), 0);
		m = mm.id;
	}
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a2, true, &got, &e), 0);
	got.stage = DEV_PROBATIONARY;
	got.member_id = m;
	got.step = 17;
	got.approved_on = (struct date){ 2026, 1, 5 };
	assert_int_equal(store_applicant_update(f->c, &got, &e), 0);
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, a2, false, &got, &e), 0);
	assert_int_equal(got.member_id, m);
	got.id_card = idx;
	got.member_id = 0; /* someone else's number now */
	assert_int_equal(store_applicant_update(f->c, &got, &e), -1);
	expect_conflict(&e, "duplicate_id_card");
	{
		struct applicant ghost;
		fill_applicant(&ghost, br1, "无", idy, (struct date){ 2000, 1, 2 });
		ghost.id = 999;
		assert_int_equal(store_applicant_update(f->c, &ghost, &e), -1);
		expect_not_found(&e);
	}

	/* Lists: masked, filtered, in (org path, stage, applied_on, id) order. */
	fill_applicant(&a, br1, "钱小红", idy, (struct date){ 2000, 1, 2 });
	a.gender = GENDER_FEMALE;
	a.applied_on = (struct date){ 2025, 1, 1 };
	assert_int_equal(store_applicant_insert(f->c, &a, &e), 0);
	aq.path = org_path(f, root);
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 3);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, a.id); /* br1: applicant stage before activist */
	assert_int_equal(list[1].id, a1);
	assert_int_equal(list[2].id, a2); /* br2 */
	for (size_t i = 0; i < n; i++) {
		assert_non_null(strstr(list[i].id_card, "********"));
		assert_int_equal(list[i].nsteps, 0);
	}
	aq.status = "open";
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 2);
	aq.status = NULL;
	aq.stage = DEV_PROBATIONARY;
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, a2);
	aq.stage = 0;
	aq.q = "小";
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 3);
	aq.q = "红";
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	aq.q = "%";
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 0);
	aq.q = NULL;
	aq.path = org_path(f, br2);
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	aq.path = org_path(f, root);
	aq.per_page = 2;
	aq.page = 2;
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 3);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, a2);
	aq.per_page = 0;
	aq.page = 1;
	assert_int_equal(store_applicant_list(f->c, f->a, &aq, &list, &n, &total, &e), 0);
	assert_int_equal(n, 3);
}

static void test_dev_steps(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct applicant got;
	int64_t root, br, member, ap, mtg;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br = add_org(f, root, "支部", ORG_BRANCH);
	member = add_member(f, br, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 }, NULL);
	ap = add_applicant(f, br, "赵小明", make_id(f, (struct date){ 1998, 5, 6 }, 17));
	{
		struct meeting mt = { .org_id = br,
				      .type = MTG_MEMBER_CONGRESS,
				      .topic = "发展党员",
				      .held_on = "2025-06-01",
				      .status = "held",
				      .created_by = "admin" };
		assert_int_equal(store_meeting_insert(f->c, &mt, &e), 0);
		mtg = mt.id;
	}

	{
		struct dev_step_rec s = { .applicant_id = ap, .step = 1, .on = { 2024, 3, 1 } };
		add_step(f, &s);
	}
	{
		/* The member's current name is read back, whatever name was given. */
		struct dev_person p[] = { { "talker", member, "旧名" } };
		struct dev_step_rec s = { .applicant_id = ap,
					  .step = 2,
					  .on = { 2024, 3, 20 },
					  .summary = "谈话记录",
					  .people = p,
					  .npeople = 1,
					  .warnings =
						  "[{\"rule\":\"DEV-12\",\"message\":\"谈话晚于一个月\"}]" };
		add_step(f, &s);
	}
	{
		struct dev_step_rec s6b = {
			.applicant_id = ap, .step = 6, .on = { 2024, 12, 1 }, .summary = "第二次"
		};
		struct dev_step_rec s6a = {
			.applicant_id = ap, .step = 6, .on = { 2024, 6, 1 }, .summary = "第一次"
		};
		struct dev_person p[] = { { "contact", member, NULL }, { "contact", 0, "外单位联系人" } };
		struct dev_step_rec s5 = {
			.applicant_id = ap, .step = 5, .on = { 2024, 4, 2 }, .people = p, .npeople = 2
		};
		add_step(f, &s6b);
		add_step(f, &s5);
		add_step(f, &s6a);
	}
	{
		struct dev_step_rec s = { .applicant_id = ap,
					  .step = 11,
					  .on = { 2025, 3, 1 },
					  .training_days = 2,
					  .training_hours = 20,
					  .justification = "疫情线上培训",
					  .rule_version = "2026" };
		add_step(f, &s);
	}
	{
		struct dev_step_rec s = { .applicant_id = ap,
					  .step = 15,
					  .on = { 2025, 6, 1 },
					  .has_vote = true,
					  .expected = 9,
					  .present = 8,
					  .yes = 7,
					  .no = 1,
					  .abstain = 0,
					  .written_yes = 1,
					  .publicity_from = { 2025, 5, 20 },
					  .publicity_to = { 2025, 5, 26 },
					  .meeting_id = mtg,
					  .result = "pass" };
		add_step(f, &s);
	}
	{
		struct dev_step_rec s = { .applicant_id = ap,
					  .step = 17,
					  .on = { 2025, 7, 1 },
					  .result = "pass",
					  .approver_org_id = root };
		add_step(f, &s);
	}
	{
		struct dev_step_rec s = { .applicant_id = ap,
					  .step = 23,
					  .on = { 2026, 7, 2 },
					  .outcome = "extend",
					  .extension_months = 6 };
		add_step(f, &s);
	}

	assert_int_equal(store_applicant_get(f->c, f->a, NULL, ap, false, &got, &e), 0);
	assert_int_equal(got.nsteps, 9);
	{
		static const int want[] = { 1, 2, 5, 6, 6, 11, 15, 17, 23 };
		for (size_t i = 0; i < got.nsteps; i++) {
			assert_int_equal(got.steps[i].step, want[i]);
			assert_int_equal(got.steps[i].applicant_id, ap);
			assert_true(got.steps[i].id > 0);
		}
	}
	/* Step 1: nothing optional. */
	assert_int_equal(got.steps[0].on.d, 1);
	assert_null(got.steps[0].summary);
	assert_null(got.steps[0].result);
	assert_false(got.steps[0].has_vote);
	assert_string_equal(got.steps[0].warnings, "[]");
	assert_string_equal(got.steps[0].rule_version, "2014");
	assert_string_equal(got.steps[0].created_by, "admin");
	assert_int_equal(got.steps[0].npeople, 0);
	assert_null(got.steps[0].people);
	/* Step 2: the talker with the member's name, and its warnings. */
	assert_int_equal(got.steps[1].npeople, 1);
	assert_string_equal(got.steps[1].people[0].role, "talker");
	assert_int_equal(got.steps[1].people[0].member_id, member);
	assert_string_equal(got.steps[1].people[0].name, "张三");
	assert_string_equal(got.steps[1].summary, "谈话记录");
	assert_non_null(strstr(got.steps[1].warnings, "DEV-12"));
	/* Step 5: people in the order given, someone outside the registry kept by name. */
	assert_int_equal(got.steps[2].npeople, 2);
	assert_int_equal(got.steps[2].people[0].member_id, member);
	assert_string_equal(got.steps[2].people[0].name, "张三");
	assert_int_equal(got.steps[2].people[1].member_id, 0);
	assert_string_equal(got.steps[2].people[1].name, "外单位联系人");
	/* Periodic step 6 in date order. */
	assert_string_equal(got.steps[3].summary, "第一次");
	assert_string_equal(got.steps[4].summary, "第二次");
	assert_int_equal(got.steps[4].npeople, 0);
	/* Step 11: training and justification. */
	assert_int_equal(got.steps[5].training_days, 2);
	assert_int_equal(got.steps[5].training_hours, 20);
	assert_string_equal(got.steps[5].justification, "疫情线上培训");
	assert_string_equal(got.steps[5].rule_version, "2026");
	/* Step 15: the vote, publicity and meeting. */
	assert_true(got.steps[6].has_vote);
	assert_int_equal(got.steps[6].expected, 9);
	assert_int_equal(got.steps[6].present, 8);
	assert_int_equal(got.steps[6].yes, 7);
	assert_int_equal(got.steps[6].no, 1);
	assert_int_equal(got.steps[6].abstain, 0);
	assert_int_equal(got.steps[6].written_yes, 1);
	assert_int_equal(got.steps[6].publicity_from.d, 20);
	assert_int_equal(got.steps[6].publicity_to.d, 26);
	assert_int_equal(got.steps[6].meeting_id, mtg);
	assert_string_equal(got.steps[6].result, "pass");
	/* Step 17 and 23. */
	assert_int_equal(got.steps[7].approver_org_id, root);
	assert_int_equal(got.steps[7].meeting_id, 0);
	assert_string_equal(got.steps[8].outcome, "extend");
	assert_int_equal(got.steps[8].extension_months, 6);
	assert_false(date_is_set(got.steps[8].publicity_from));

	/* The meeting deleted: the step stays without it. */
	assert_int_equal(store_meeting_delete(f->c, mtg, &e), 0);
	assert_int_equal(store_applicant_get(f->c, f->a, NULL, ap, false, &got, &e), 0);
	assert_int_equal(got.nsteps, 9);
	assert_int_equal(got.steps[6].meeting_id, 0);
}

static void test_developed_and_plans(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct org_count *oc;
	struct dev_plan *pl;
	size_t n;
	int64_t root, br1, br2, a1, a2, a3, a4;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	a1 = add_applicant(f, br1, "甲", make_id(f, (struct date){ 1998, 5, 6 }, 11));
	a2 = add_applicant(f, br1, "乙", make_id(f, (struct date){ 1998, 5, 6 }, 13));
	a3 = add_applicant(f, br2, "丙", make_id(f, (struct date){ 1998, 5, 6 }, 15));
	a4 = add_applicant(f, br2, "丁", make_id(f, (struct date){ 1998, 5, 6 }, 19));
	add_approval(f, a1, (struct date){ 2024, 3, 1 }, "pass");
	add_approval(f, a2, (struct date){ 2025, 6, 1 }, "pass");
	add_approval(f, a3, (struct date){ 2025, 7, 1 }, "pass");
	add_approval(f, a4, (struct date){ 2025, 7, 1 }, "fail");

	assert_int_equal(store_dev_developed(f->c, f->a, org_path(f, root), "2025-01-01", NULL, &oc, &n, &e),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(oc[0].org_id, br1);
	assert_string_equal(oc[0].org_name, "第一支部");
	assert_string_equal(oc[0].org_path, org_path(f, br1));
	assert_int_equal(oc[0].n, 1);
	assert_int_equal(oc[1].org_id, br2);
	assert_int_equal(oc[1].n, 1);
	assert_int_equal(
		store_dev_developed(f->c, f->a, org_path(f, root), "2025-01-01", "2025-06-30", &oc, &n, &e),
		0);
	assert_int_equal(n, 1);
	assert_int_equal(oc[0].org_id, br1);
	assert_int_equal(
		store_dev_developed(f->c, f->a, org_path(f, root), "2024-03-01", "2025-07-01", &oc, &n, &e),
		0);
	assert_int_equal(n, 2);
	assert_int_equal(oc[0].n, 2);
	assert_int_equal(oc[1].n, 1);
	assert_int_equal(store_dev_developed(f->c, f->a, org_path(f, br2), NULL, NULL, &oc, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(oc[0].org_id, br2);
	assert_int_equal(store_dev_developed(f->c, f->a, org_path(f, root), "2026-01-01", NULL, &oc, &n, &e),
			 0);
	assert_int_equal(n, 0);

	assert_int_equal(store_dev_plan_set(f->c, br1, 2026, 3, &e), 0);
	assert_int_equal(store_dev_plan_set(f->c, br1, 2026, 5, &e), 0); /* upsert */
	assert_int_equal(store_dev_plan_set(f->c, br2, 2026, 2, &e), 0);
	assert_int_equal(store_dev_plan_set(f->c, br1, 2025, 1, &e), 0);
	assert_int_equal(store_dev_plans(f->c, f->a, org_path(f, root), 2026, &pl, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pl[0].org_id, br1);
	assert_int_equal(pl[0].quota, 5);
	assert_int_equal(pl[0].year, 2026);
	assert_string_equal(pl[0].org_name, "第一支部");
	assert_int_equal(pl[1].org_id, br2);
	assert_int_equal(pl[1].quota, 2);
	assert_int_equal(store_dev_plans(f->c, f->a, org_path(f, br2), 2026, &pl, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_dev_plans(f->c, f->a, org_path(f, root), 2025, &pl, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pl[0].quota, 1);
	assert_int_equal(store_dev_plans(f->c, f->a, org_path(f, root), 2024, &pl, &n, &e), 0);
	assert_int_equal(n, 0);
}

/* ---- transfers ------------------------------------------------------------ */

static void test_transfers(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct transfer t, got, *list;
	struct transfer_query tq = { .page = 1, .per_page = 10 };
	char no[32];
	size_t n;
	int64_t total, root, br1, br2, other, br3, m1, m2, t1, t2, t3, t4, pending;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	other = add_org(f, 0, "外党委", ORG_PARTY_COMMITTEE);
	br3 = add_org(f, other, "外支部", ORG_BRANCH);
	m1 = add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	m2 = add_member(f, br1, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);

	/* Letter numbers: one sequence per year. */
	assert_int_equal(store_letter_next_no(f->c, 2026, no, &e), 0);
	assert_string_equal(no, "2026-000001");
	assert_int_equal(store_letter_next_no(f->c, 2026, no, &e), 0);
	assert_string_equal(no, "2026-000002");
	assert_int_equal(store_letter_next_no(f->c, 2025, no, &e), 0);
	assert_string_equal(no, "2025-000001");
	assert_int_equal(store_letter_next_no(f->c, 2026, no, &e), 0);
	assert_string_equal(no, "2026-000003");

	/* In the system: br1 -> br2. */
	memset(&t, 0, sizeof(t));
	t.member_id = m1;
	t.kind = "in_system";
	t.state = "requested";
	t.from_org_id = br1;
	t.to_org_id = br2;
	t.reason = "工作调动";
	t.requested_on = (struct date){ 2026, 1, 5 };
	t.requested_by = "admin";
	assert_int_equal(store_transfer_insert(f->c, &t, &e), 0);
	t1 = t.id;
	assert_int_equal(store_transfer_pending(f->c, m1, &pending, &e), 0);
	assert_int_equal(pending, t1);
	assert_int_equal(store_transfer_pending(f->c, m2, &pending, &e), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br1), t1, &got, &e), 0);
	assert_string_equal(got.member_name, "王秀英");
	assert_string_equal(got.kind, "in_system");
	assert_string_equal(got.state, "requested");
	assert_string_equal(got.from_org_name, "第一支部");
	assert_string_equal(got.to_org_name, "第二支部");
	assert_string_equal(got.from_org_path, org_path(f, br1));
	assert_string_equal(got.to_org_path, org_path(f, br2));
	assert_null(got.from_text);
	assert_null(got.letter_no);
	assert_false(got.cross_province);
	assert_string_equal(got.reason, "工作调动");
	assert_int_equal(got.requested_on.d, 5);
	assert_string_equal(got.requested_by, "admin");
	assert_false(date_is_set(got.sending_on));
	assert_non_null(got.created_at);
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br2), t1, &got, &e), 0);
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br3), t1, &got, &e), -1);
	expect_not_found(&e);

	/* Approvals on both sides complete it. */
	got.state = "sending_approved";
	got.sending_on = (struct date){ 2026, 1, 6 };
	got.sending_by = "admin";
	assert_int_equal(store_transfer_update(f->c, &got, &e), 0);
	assert_int_equal(store_transfer_pending(f->c, m1, &pending, &e), 0);
	assert_int_equal(pending, t1);
	got.state = "completed";
	got.receiving_on = (struct date){ 2026, 1, 7 };
	got.receiving_by = "sec2";
	got.completed_on = (struct date){ 2026, 1, 7 };
	assert_int_equal(store_transfer_update(f->c, &got, &e), 0);
	assert_int_equal(store_transfer_pending(f->c, m1, &pending, &e), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(store_transfer_get(f->c, f->a, NULL, t1, &got, &e), 0);
	assert_string_equal(got.state, "completed");
	assert_string_equal(got.sending_by, "admin");
	assert_string_equal(got.receiving_by, "sec2");
	assert_int_equal(got.completed_on.d, 7);
	got.id = 999;
	assert_int_equal(store_transfer_update(f->c, &got, &e), -1);
	expect_not_found(&e);

	/* Outbound with a letter, issued and unreceipted. */
	memset(&t, 0, sizeof(t));
	t.member_id = m2;
	t.kind = "outbound";
	t.state = "letter_issued";
	t.from_org_id = br1;
	t.to_text = "某省某市某支部";
	t.cross_province = true;
	t.reason = "外出";
	t.requested_on = (struct date){ 2026, 1, 2 };
	t.sending_on = (struct date){ 2026, 1, 3 };
	t.letter_no = "2026-000001";
	t.letter_on = (struct date){ 2026, 1, 3 };
	t.valid_until = (struct date){ 2026, 1, 31 };
	t.dues_paid_to = "2025-12";
	assert_int_equal(store_transfer_insert(f->c, &t, &e), 0);
	t2 = t.id;
	assert_int_equal(store_transfer_pending(f->c, m2, &pending, &e), 0);
	assert_int_equal(pending, t2);
	assert_int_equal(store_transfer_by_letter(f->c, f->a, "2026-000001", &got, &e), 0);
	assert_int_equal(got.id, t2);
	assert_true(got.cross_province);
	assert_string_equal(got.to_text, "某省某市某支部");
	assert_null(got.to_org_name);
	assert_int_equal(got.to_org_id, 0);
	assert_string_equal(got.dues_paid_to, "2025-12");
	assert_int_equal(got.valid_until.d, 31);
	assert_int_equal(store_transfer_by_letter(f->c, f->a, "2026-999999", &got, &e), -1);
	assert_int_equal(e.kind, ERR_NOT_FOUND);
	err_clear(&e);

	/* Inbound letter registered at br2: the same number is refused, a new one is fine. */
	memset(&t, 0, sizeof(t));
	t.kind = "inbound";
	t.state = "registered";
	t.to_org_id = br2;
	t.from_text = "外省某党委";
	t.letter_no = "2026-000001";
	t.letter_on = (struct date){ 2026, 1, 10 };
	t.valid_until = (struct date){ 2026, 4, 10 };
	assert_int_equal(store_transfer_insert(f->c, &t, &e), -1);
	expect_conflict(&e, "duplicate_letter_no");
	t.letter_no = "外-2026-17";
	assert_int_equal(store_transfer_insert(f->c, &t, &e), 0);
	t3 = t.id;
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br2), t3, &got, &e), 0);
	assert_int_equal(got.member_id, 0);
	assert_null(got.member_name);
	assert_null(got.from_org_name);
	assert_string_equal(got.from_text, "外省某党委");
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br1), t3, &got, &e), -1);
	expect_not_found(&e);
	/* An update cannot take another transfer's letter number. */
	assert_int_equal(store_transfer_get(f->c, f->a, NULL, t3, &got, &e), 0);
	got.letter_no = "2026-000001";
	assert_int_equal(store_transfer_update(f->c, &got, &e), -1);
	expect_conflict(&e, "duplicate_letter_no");

	/* A member-only case (neither side in the system) is seen through the member's organisation. */
	memset(&t, 0, sizeof(t));
	t.member_id = m1;
	t.kind = "outbound";
	t.state = "cancelled";
	t.to_text = "外地";
	assert_int_equal(store_transfer_insert(f->c, &t, &e), 0);
	t4 = t.id;
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br1), t4, &got, &e), 0);
	assert_int_equal(store_transfer_get(f->c, f->a, org_path(f, br2), t4, &got, &e), -1);
	expect_not_found(&e);

	/* Lists: boxes, filters, expiry, newest first, paging. */
	tq.path = org_path(f, root);
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 3); /* t4 has neither side in the system */
	assert_int_equal(list[0].id, t3);
	assert_int_equal(list[1].id, t2);
	assert_int_equal(list[2].id, t1);
	tq.box = "outgoing";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 2);
	tq.box = "incoming";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 2);
	tq.path = org_path(f, br2);
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 2);
	tq.box = "outgoing";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 0);
	tq.box = NULL;
	tq.path = org_path(f, br1);
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 2);
	tq.path = org_path(f, other);
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 0);
	tq.path = org_path(f, root);
	tq.state = "completed";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, t1);
	tq.state = NULL;
	tq.kind = "inbound";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, t3);
	tq.kind = NULL;
	tq.member_id = m2;
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, t2);
	tq.member_id = 0;
	tq.expired_before = "2026-02-01";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, t2);
	tq.expired_before = "2026-01-31"; /* the last valid day is not expired */
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 0);
	tq.expired_before = NULL;
	tq.box = "sideways";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	err_clear(&e);
	tq.box = NULL;
	tq.per_page = 2;
	tq.page = 2;
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 3);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, t1);

	/* The receipt closes the letter: no longer expired. */
	assert_int_equal(store_transfer_get(f->c, f->a, NULL, t2, &got, &e), 0);
	got.state = "completed";
	got.receipt_on = (struct date){ 2026, 2, 3 };
	got.receipt_note = "已报到";
	assert_int_equal(store_transfer_update(f->c, &got, &e), 0);
	tq.per_page = 10;
	tq.page = 1;
	tq.expired_before = "2026-03-01";
	assert_int_equal(store_transfer_list(f->c, f->a, &tq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 0);
	assert_int_equal(store_transfer_get(f->c, f->a, NULL, t2, &got, &e), 0);
	assert_string_equal(got.receipt_note, "已报到");
	assert_int_equal(got.receipt_on.m, 2);
}

/* ---- mobile members ------------------------------------------------------- */

static void test_mobile(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct mobile_member mm, got, *list;
	struct mobile_query mq = { .page = 1, .per_page = 10 };
	struct member m;
	size_t n;
	int64_t total, root, br1, br2, other, br3, m1, m2, r1, r2;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	other = add_org(f, 0, "外党委", ORG_PARTY_COMMITTEE);
	br3 = add_org(f, other, "外支部", ORG_BRANCH);
	m1 = add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	m2 = add_member(f, br2, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);

	memset(&mm, 0, sizeof(mm));
	mm.member_id = m1;
	mm.out_on = (struct date){ 2025, 3, 1 };
	mm.expected_return = (struct date){ 2026, 3, 1 };
	mm.destination = "广东深圳";
	mm.contact = "13800000000";
	mm.reason = "务工";
	mm.certificate_no = "LD-0001";
	mm.inflow_org_id = br3;
	mm.created_by = "admin";
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), 0);
	r1 = mm.id;
	assert_true(r1 > 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &m, &e), 0);
	assert_true(m.mobile);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m2, false, &m, &e), 0);
	assert_false(m.mobile);

	/* Already out; a certificate in use. */
	mm.id = 0;
	mm.certificate_no = "LD-0002";
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), -1);
	expect_conflict(&e, "mobile_open");
	mm.member_id = m2;
	mm.certificate_no = "LD-0001";
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), -1);
	expect_conflict(&e, "duplicate_certificate");
	mm.certificate_no = NULL;
	mm.inflow_org_id = 0;
	mm.inflow_text = "浙江某社区";
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), 0);
	r2 = mm.id;

	/* Seen from the member's organisation and from the inflow organisation. */
	assert_int_equal(store_mobile_get(f->c, f->a, org_path(f, br1), r1, &got, &e), 0);
	assert_string_equal(got.member_name, "王秀英");
	assert_int_equal(got.org_id, br1);
	assert_string_equal(got.org_name, "第一支部");
	assert_string_equal(got.state, "out");
	assert_int_equal(got.out_on.m, 3);
	assert_int_equal(got.expected_return.y, 2026);
	assert_false(date_is_set(got.returned_on));
	assert_string_equal(got.destination, "广东深圳");
	assert_string_equal(got.contact, "13800000000");
	assert_string_equal(got.reason, "务工");
	assert_string_equal(got.certificate_no, "LD-0001");
	assert_int_equal(got.inflow_org_id, br3);
	assert_string_equal(got.inflow_org_name, "外支部");
	assert_null(got.inflow_text);
	assert_string_equal(got.created_by, "admin");
	assert_int_equal(store_mobile_get(f->c, f->a, org_path(f, br3), r1, &got, &e), 0);
	assert_int_equal(store_mobile_get(f->c, f->a, org_path(f, br2), r1, &got, &e), -1);
	expect_not_found(&e);
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r2, &got, &e), 0);
	assert_null(got.certificate_no);
	assert_int_equal(got.inflow_org_id, 0);
	assert_null(got.inflow_org_name);
	assert_string_equal(got.inflow_text, "浙江某社区");

	mq.path = org_path(f, root);
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 2);
	assert_int_equal(list[0].id, r2); /* same out_on: newest id first */
	mq.path = org_path(f, other);
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, r1);
	mq.path = org_path(f, br2);
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, r2);

	/* The return clears the flag; a new outflow may follow. */
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r1, &got, &e), 0);
	got.state = "returned";
	got.returned_on = (struct date){ 2025, 12, 1 };
	got.destination = "广东广州";
	assert_int_equal(store_mobile_update(f->c, &got, &e), 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &m, &e), 0);
	assert_false(m.mobile);
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r1, &got, &e), 0);
	assert_string_equal(got.state, "returned");
	assert_int_equal(got.returned_on.m, 12);
	assert_string_equal(got.destination, "广东广州");
	mq.path = org_path(f, root);
	mq.state = "returned";
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	mq.state = "out";
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, r2);

	memset(&mm, 0, sizeof(mm));
	mm.member_id = m1;
	mm.out_on = (struct date){ 2026, 2, 1 };
	mm.created_by = "admin";
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &m, &e), 0);
	assert_true(m.mobile);
	/* An edit that would take a used certificate is refused, as is reopening an old record. */
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, mm.id, &got, &e), 0);
	got.certificate_no = "LD-0001";
	assert_int_equal(store_mobile_update(f->c, &got, &e), -1);
	expect_conflict(&e, "duplicate_certificate");
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r1, &got, &e), 0);
	got.state = "out";
	assert_int_equal(store_mobile_update(f->c, &got, &e), -1);
	expect_conflict(&e, "mobile_open");
	got.id = 999;
	got.state = "returned";
	got.certificate_no = NULL;
	assert_int_equal(store_mobile_update(f->c, &got, &e), -1);
	expect_not_found(&e);
}

/* A statement without parameters whose rows are not needed. */
static void raw_exec(struct fx *f, const char *sql)
{
	struct err e = ERR_INIT;
	struct q q = Q_INIT;

	assert_int_equal(q_prepare(&q, f->c->db, sql, &e), 0);
	while (q_step(&q, &e) == 1)
		;
	q_finish(&q);
	if (err_is_set(&e))
		fail_msg("%s: %s", sql, e.message);
}

/*
 * 0010: the contact is sealed at rest with a masked copy; a row still holding
 * a plain contact (written before 0010) is read, sealed by its next write, and
 * sealed when the store is opened; a tampered one is refused.
 */
static void test_mobile_contact_sealed(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct mobile_member mm, got, *list;
	struct mobile_query mq = { .page = 1, .per_page = 10 };
	size_t n;
	int64_t total, root, br1, m1, m2, r1, r2;
	bool found;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	m1 = add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	m2 = add_member(f, br1, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);
	memset(&mm, 0, sizeof(mm));
	mm.member_id = m1;
	mm.out_on = (struct date){ 2025, 3, 1 };
	mm.destination = "广东深圳";
	mm.contact = "13800001234";
	mm.reason = "务工";
	mm.created_by = "admin";
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), 0);
	r1 = mm.id;
	mm.member_id = m2;
	mm.contact = NULL;
	assert_int_equal(store_mobile_insert(f->c, &mm, &e), 0);
	r2 = mm.id;

	/* At rest: no plain number anywhere in the row, the masked copy beside the sealed one. */
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact <> ''"), 0);
	assert_int_equal(raw_int(f,
				 "SELECT COUNT(*) FROM mobile_members WHERE contact_enc LIKE '%13800001234%'"
				 " OR contact_masked LIKE '%0000123%'"),
			 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact_masked = '138****1234'"
				    " AND contact_enc IS NOT NULL"),
			 1);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact_enc IS NULL"
				    " AND contact_masked IS NULL"),
			 1); /* r2: no contact */
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r1, &got, &e), 0);
	assert_string_equal(got.contact, "13800001234");
	assert_string_equal(got.contact_masked, "138****1234");
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r2, &got, &e), 0);
	assert_null(got.contact);
	assert_null(got.contact_masked);
	assert_int_equal(store_mobile_open_of(f->c, f->a, m1, &got, &found, &e), 0);
	assert_true(found);
	assert_string_equal(got.contact, "13800001234");
	mq.path = org_path(f, root);
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[1].id, r1);
	assert_null(list[1].contact); /* lists never unseal */
	assert_string_equal(list[1].contact_masked, "138****1234");

	/* A row from before 0010: read as it is, sealed by the next write of the record. */
	raw_exec(
		f,
		"UPDATE mobile_members SET contact = '13911112222', contact_enc = NULL, contact_masked = NULL");
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r1, &got, &e), 0);
	assert_string_equal(got.contact, "13911112222");
	assert_string_equal(got.contact_masked, "139****2222");
	assert_int_equal(store_mobile_list(f->c, f->a, &mq, &list, &n, &total, &e), 0);
	assert_null(list[1].contact);
	assert_string_equal(list[1].contact_masked, "139****2222");
	got.destination = "广东广州";
	assert_int_equal(store_mobile_update(f->c, &got, &e), 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact <> ''"), 1); /* r2 */
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact_masked = '139****2222'"
				    " AND contact_enc IS NOT NULL AND contact = ''"),
			 1);
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r1, &got, &e), 0);
	assert_string_equal(got.contact, "13911112222");

	/* ... and by opening the store (after the migrations), once, idempotently. */
	store_free(f->s);
	assert_int_equal(open_store(f, &e), 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact <> ''"), 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM mobile_members WHERE contact_masked = '139****2222'"
				    " AND contact_enc IS NOT NULL"),
			 2);
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r2, &got, &e), 0);
	assert_string_equal(got.contact, "13911112222");
	assert_string_equal(got.contact_masked, "139****2222");
	assert_int_equal(store_mobile_seal_plain(f->c, &e), 0);
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r2, &got, &e), 0);
	assert_string_equal(got.contact, "13911112222");

	/* A sealed value that fails its MAC is an integrity error, not a wrong number. */
	raw_exec(f, "UPDATE mobile_members SET contact_enc = 'x' || contact_enc");
	assert_int_equal(store_mobile_get(f->c, f->a, NULL, r2, &got, &e), -1);
	assert_int_equal(e.kind, ERR_INTERNAL);
	assert_string_equal(e.code, "integrity_error");
	err_clear(&e);
}

/* ---- plans of the member list (the member page must stay an index range) ---- */

static void test_member_list_plan(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct q q = Q_INIT;
	static const char sql[] =
		"EXPLAIN QUERY PLAN SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id"
		" WHERE m.org_path >= '/0000000001/' AND m.org_path < '/00000000010'"
		" AND m.state IN ('active', 'lost') ORDER BY m.org_path, m.id LIMIT 20";
	bool uses_index = false;
	int r;

	if (cur->pg) {
		skip();
		return;
	}
	add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	assert_int_equal(q_prepare(&q, f->c->db, sql, &e), 0);
	while ((r = q_step(&q, &e)) == 1) {
		const char *detail = q_col_text(&q, 3);
		if (strstr(detail, "members_org_path"))
			uses_index = true;
		assert_null(strstr(detail, "TEMP B-TREE"));
	}
	q_finish(&q);
	assert_int_equal(r, 0);
	assert_true(uses_index);
}

/* ---- the figures after a bulk load (sums kept in memory; the SQL rebuild after an org moves) ---- */

static void test_bulk_figures(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct member m;
	int64_t root, mid, br1, br2, gone, rows_before, sum_before;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	mid = add_org(f, root, "总支", ORG_GENERAL_BRANCH);
	br1 = add_org(f, mid, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 }, NULL);
	gone = add_member(f, br2, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);
	set_state(f, gone, MSTATE_LEFT, "death", (struct date){ 2025, 2, 3 });
	rows_before = raw_int(f, "SELECT COUNT(*) FROM org_stats WHERE n <> 0");
	assert_int_equal(rows_before, 19); /* direct 1, 6 dimensions at 3 levels for the member of br1 */
	sum_before = raw_int(f, "SELECT SUM(n * org_id * length(dim || key)) FROM org_stats");

	/* A bulk load that adds nothing leaves the figures the per-change upkeep kept. */
	assert_int_equal(store_bulk_begin(f->c, &e), 0);
	assert_int_equal(store_bulk_commit(f->c, &e), 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM org_stats WHERE n <> 0"), rows_before);
	assert_int_equal(raw_int(f, "SELECT SUM(n * org_id * length(dim || key)) FROM org_stats"),
			 sum_before);

	/* Rows added in bulk count at their branch and every ancestor; the member who left does not. */
	assert_int_equal(store_bulk_begin(f->c, &e), 0);
	fill_member(&m, br1, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 });
	m.status = STATUS_PROBATIONARY;
	assert_int_equal(store_member_insert(f->c, &m, &e), 0);
	assert_int_equal(store_bulk_commit(f->c, &e), 0);
	assert_int_equal(counted(f, root), 2);
	assert_int_equal(counted(f, mid), 2);
	assert_int_equal(counted(f, br1), 2);
	assert_int_equal(counted(f, br2), 0);
	assert_int_equal(raw_int(f, "SELECT n FROM org_stats WHERE org_id = (SELECT MIN(id) FROM orgs)"
				    " AND dim = 'status' AND key = 'probationary'"),
			 1);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM org_stats WHERE dim = 'direct' AND n <> 0"), 2);
	assert_int_equal(raw_int(f, "SELECT n FROM org_stats WHERE dim = 'birth_year' AND key = '1990'"
				    " AND org_id = (SELECT MIN(id) FROM orgs)"),
			 1);
	assert_int_equal(stats_diffs(f), 0);

	/* An import-sized load (sealed on a second thread; on PostgreSQL in batches of MEMBER_BATCH
	 * and a rest, its sums written UPSERT_BATCH at a time: 60 birth years at three levels make
	 * more than 200), with one of its members moved in the same transaction: the sums of the
	 * inserts and the per-change upkeep of the move add up. */
	{
		enum { N = 350 };
		struct member *many = arena_alloc(f->a, N * sizeof(*many));
		struct member got;
		char first17[18];

		for (int i = 0; i < N; i++) {
			char *id = arena_alloc(f->a, 19);
			snprintf(first17, sizeof(first17), "110105%04d%02d%02d%03d", 1940 + i / 2 % 60,
				 1 + i % 12, 1 + i % 28, 100 + i);
			snprintf(id, 19, "%s%c", first17, idcard_check_char(first17));
			fill_member(&many[i], i % 2 ? br1 : br2, "批量", id,
				    i % 3 ? GENDER_MALE : GENDER_FEMALE,
				    (struct date){ 1940 + i / 2 % 60, 1 + i % 12, 1 + i % 28 });
			many[i].phone = "13800138000";
		}
		assert_int_equal(store_bulk_begin(f->c, &e), 0);
		assert_int_equal(store_member_insert_many(f->c, &f->who, many, N, "批量导入：测试", &e), 0);
		many[7].org_id = br2;
		many[7].status = STATUS_PROBATIONARY;
		assert_int_equal(store_member_update(f->c, &many[7], &e), 0);
		assert_int_equal(store_bulk_commit(f->c, &e), 0);
		assert_int_equal(counted(f, root), 2 + N);
		assert_int_equal(counted(f, br2), N / 2 + 1);
		assert_int_equal(counted(f, mid), 2 + N / 2 - 1);
		assert_int_equal(stats_diffs(f), 0);
		/* Every row sealed and readable, in order. */
		assert_int_equal(store_member_get(f->c, f->a, NULL, many[N - 1].id, true, &got, &e), 0);
		assert_string_equal(got.id_card, many[N - 1].id_card);
		assert_string_equal(got.phone, "13800138000");
		assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM member_history WHERE action = 'imported'"),
				 N);
	}

	/* An organisation moved during a load: the members inserted before the move count at the new
	 * ancestors only (the move discards the sums; the commit rebuilds). */
	{
		static const char first17[] = "11010519800101001";
		char id[19];

		snprintf(id, sizeof(id), "%s%c", first17, idcard_check_char(first17));
		assert_int_equal(store_bulk_begin(f->c, &e), 0);
		fill_member(&m, br1, "后来", id, GENDER_MALE, (struct date){ 1980, 1, 1 });
		assert_int_equal(store_member_insert(f->c, &m, &e), 0);
		assert_int_equal(store_org_move(f->c, f->a, br1, root, &e), 0);
		assert_int_equal(store_bulk_commit(f->c, &e), 0);
		assert_int_equal(counted(f, mid), 0);
		assert_int_equal(counted(f, root), 2 + 350 + 1);
		assert_int_equal(stats_diffs(f), 0);
	}
}

/* ---- a command-line bulk load alone on a SQLite database: a rollback journal, then the WAL again ---- */

static const char *journal_mode(struct fx *f)
{
	static char mode[16];
	struct err e = ERR_INIT;
	struct q q = Q_INIT;

	assert_int_equal(q_prepare(&q, f->c->db, "PRAGMA journal_mode", &e), 0);
	assert_int_equal(q_step(&q, &e), 1);
	snprintf(mode, sizeof(mode), "%s", q_col_text(&q, 0));
	q_finish(&q);
	return mode;
}

static void test_bulk_journal(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct member m;
	struct db *other = NULL;
	int64_t br;

	if (cur->pg) {
		/* PostgreSQL has no journal to choose. */
		assert_null(f->c->db->drv->bulk_journal);
		return;
	}
	br = add_org(f, 0, "支部", ORG_BRANCH);
	/* Not asked for (a server's loads): the WAL, so other connections go on reading. */
	assert_int_equal(store_bulk_begin(f->c, &e), 0);
	assert_string_equal(journal_mode(f), "wal");
	assert_int_equal(store_bulk_commit(f->c, &e), 0);

	/* Asked for and alone: a rollback journal for the load, the WAL again after its commit. */
	store_bulk_alone(f->s, true);
	assert_int_equal(store_bulk_begin(f->c, &e), 0);
	assert_string_equal(journal_mode(f), "delete");
	fill_member(&m, br, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 });
	assert_int_equal(store_member_insert(f->c, &m, &e), 0);
	assert_int_equal(store_bulk_commit(f->c, &e), 0);
	assert_string_equal(journal_mode(f), "wal");
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM members"), 1);
	assert_int_equal(counted(f, br), 1);

	/* ... and after its rollback, which leaves nothing behind. */
	assert_int_equal(store_bulk_begin(f->c, &e), 0);
	assert_string_equal(journal_mode(f), "delete");
	fill_member(&m, br, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 });
	assert_int_equal(store_member_insert(f->c, &m, &e), 0);
	store_rollback(f->c);
	assert_string_equal(journal_mode(f), "wal");
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM members"), 1);

	/* Another connection has the database open (a running server): the load keeps the WAL
	 * and goes ahead. */
	assert_int_equal(db_sqlite_driver.open(f->url, &other, &e), 0);
	assert_int_equal(store_bulk_begin(f->c, &e), 0);
	assert_string_equal(journal_mode(f), "wal");
	assert_int_equal(store_member_insert(f->c, &m, &e), 0);
	assert_int_equal(store_bulk_commit(f->c, &e), 0);
	assert_string_equal(journal_mode(f), "wal");
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM members"), 2);
	db_sqlite_driver.close(other);
	store_bulk_alone(f->s, false);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static const struct CMUnitTest suite[] = {
	T(test_states_and_figures),
	T(test_dues_counted_members),
	T(test_member_move),
	T(test_applicants),
	T(test_dev_steps),
	T(test_developed_and_plans),
	T(test_transfers),
	T(test_mobile),
	T(test_mobile_contact_sealed),
	T(test_member_list_plan),
	T(test_bulk_figures),
	T(test_bulk_journal),
};

int main(void)
{
	static const struct backend sqlite = { "sqlite", false, NULL };
	static struct backend pg = { "postgresql", true, NULL };
	const char *pg_url = getenv("DJ_TEST_PG_URL");
	int failed = 0;

	log_init_from_env();
	if (!getenv("DJ_DEBUG"))
		log_set_level(LOG_ERROR);
	cur = &sqlite;
	failed += cmocka_run_group_tests_name("store_lifecycle_sqlite", suite, NULL, NULL);
	if (pg_url && *pg_url) {
		pg.base_url = pg_url;
		cur = &pg;
		failed += cmocka_run_group_tests_name("store_lifecycle_pg", suite, NULL, NULL);
	} else {
		printf("[  SKIPPED ] store_lifecycle_pg: set DJ_TEST_PG_URL (tests/pg/pgctl start) to run it\n");
	}
	return failed ? 1 : 0;
}
