/*
 * test_store_contract.c: one contract suite over store.h, run against
 * SQLite (a file in a temp directory) always and against PostgreSQL when
 * DJ_TEST_PG_URL names a server (each test gets its own fresh database,
 * created beside the one named and dropped afterwards; start one with
 * tests/pg/pgctl). Also: refusing newer schemas and unreachable servers.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "store/migrations.h"
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

#define STORE_FIXTURE_DB "dj_contract"
#include "store_fixture.h"

/* Runs raw SQL on the test's connection. */
static void raw_exec(struct fx *f, const char *sql)
{
	struct err e = ERR_INIT;

	if (f->c->db->drv->exec(f->c->db, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
}

/* ---- tests ------------------------------------------------------------ */

static size_t count_migrations(const struct migration *m)
{
	size_t n = 0;

	while (m[n].name)
		n++;
	return n;
}

static void test_open_migrate_twice(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	size_t want = count_migrations(cur->pg ? migrations_pg : migrations_sqlite);

	assert_int_equal(store_backend(f->s), cur->pg ? DB_PG : DB_SQLITE);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM schema_migrations"), (int64_t)want);
	store_free(f->s);
	f->s = NULL;
	if (open_store(f, &e) < 0)
		fail_msg("reopen: %s", e.message);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM schema_migrations"), (int64_t)want);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM audit_head"), 1);
}

static void test_migration_sets_match(void **state)
{
	size_t n = count_migrations(migrations_sqlite);

	UNUSED(state);
	assert_int_equal(n, count_migrations(migrations_pg));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(migrations_sqlite[i].name, migrations_pg[i].name);
}

static void test_orgs(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct org_list l;
	char want[64];
	int64_t root, a, b, g, id, far = 0;

	root = add_org(f, 0, "某市委", ORG_PARTY_COMMITTEE);
	a = add_org(f, root, "甲总支", ORG_GENERAL_BRANCH);
	b = add_org(f, root, "乙总支", ORG_GENERAL_BRANCH);
	g = add_org(f, a, "甲一支部", ORG_BRANCH);
	snprintf(want, sizeof(want), "/%010lld/%010lld/%010lld/", (long long)root, (long long)a,
		 (long long)g);
	assert_string_equal(org_path(f, g), want);

	/* Same name under the same parent is refused. */
	{
		struct org o = { .parent_id = root,
				 .name = "甲总支",
				 .type = ORG_GENERAL_BRANCH,
				 .field = FIELD_ENTERPRISE,
				 .remarks = "" };
		assert_int_equal(store_org_insert(f->c, f->a, &o, &e), -1);
		assert_int_equal(e.kind, ERR_CONFLICT);
		err_clear(&e);
	}

	assert_int_equal(store_org_subtree(f->c, f->a, org_path(f, root), &l, &e), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.items[0].id, root);
	assert_int_equal(store_org_subtree(f->c, f->a, org_path(f, a), &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(store_org_children(f->c, f->a, root, &l, &e), 0);
	assert_int_equal(l.n, 2);

	/* Bytewise ranges: the subtree of org 1 never includes org 10. */
	for (int i = 0; far < 10; i++) {
		char name[32];
		snprintf(name, sizeof(name), "填充%d", i);
		far = add_org(f, 0, name, ORG_PARTY_COMMITTEE);
	}
	id = 0;
	assert_int_equal(root, 1);
	assert_int_equal(store_org_subtree(f->c, f->a, "/0000000001/", &l, &e), 0);
	assert_int_equal(l.n, 4);
	for (size_t i = 0; i < l.n; i++)
		assert_int_not_equal(l.items[i].id, far);
	assert_int_equal(store_org_subtree(f->c, f->a, NULL, &l, &e), 0);
	assert_true(l.n >= 10);

	/* Move A (with G) under B: every path of the subtree is rewritten. */
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_org_move(f->c, f->a, a, b, &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);
	snprintf(want, sizeof(want), "/%010lld/%010lld/%010lld/", (long long)root, (long long)b,
		 (long long)a);
	assert_string_equal(org_path(f, a), want);
	snprintf(want, sizeof(want), "/%010lld/%010lld/%010lld/%010lld/", (long long)root, (long long)b,
		 (long long)a, (long long)g);
	assert_string_equal(org_path(f, g), want);
	{
		struct org o;
		assert_int_equal(store_org_get(f->c, f->a, NULL, a, &o, &e), 0);
		assert_int_equal(o.parent_id, b);
	}
	assert_int_equal(store_org_subtree(f->c, f->a, org_path(f, b), &l, &e), 0);
	assert_int_equal(l.n, 3);

	/* Cycles are refused: under itself or its own descendant. */
	assert_int_equal(store_org_move(f->c, f->a, b, g, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "org_cycle");
	err_clear(&e);
	assert_int_equal(store_org_move(f->c, f->a, a, a, &e), -1);
	assert_string_equal(e.code, "org_cycle");
	err_clear(&e);

	/* Scope: an organisation outside the caller's subtree is not found. */
	{
		struct org o;
		assert_int_equal(store_org_get(f->c, f->a, org_path(f, g), b, &o, &e), -1);
		assert_int_equal(e.kind, ERR_NOT_FOUND);
		err_clear(&e);
	}

	/* Find by name and by the '/'-joined path of names. */
	assert_int_equal(store_org_find(f->c, f->a, NULL, "甲一支部", &id, &e), 0);
	assert_int_equal(id, g);
	assert_int_equal(store_org_find(f->c, f->a, NULL, "某市委/乙总支/甲总支", &id, &e), 0);
	assert_int_equal(id, a);
	{
		char *text = NULL;
		assert_int_equal(store_org_path_text(f->c, f->a, g, &text, &e), 0);
		assert_string_equal(text, "某市委/乙总支/甲总支/甲一支部");
	}

	/* Delete: refused while it has children or members. */
	assert_int_equal(store_org_delete(f->c, a, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "org_not_empty");
	err_clear(&e);
	add_member(f, g, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 }, NULL);
	assert_int_equal(store_org_delete(f->c, g, &e), -1);
	assert_string_equal(e.code, "org_not_empty");
	err_clear(&e);
	assert_int_equal(store_org_delete(f->c, far, &e), 0);
	{
		struct org o;
		assert_int_equal(store_org_get(f->c, f->a, NULL, far, &o, &e), -1);
		assert_int_equal(e.kind, ERR_NOT_FOUND);
		err_clear(&e);
		assert_int_equal(store_org_get(f->c, f->a, NULL, root, &o, &e), 0);
		assert_int_equal(o.children, 1); /* A now sits under B */
	}
}

static void test_members(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct member m, got;
	struct member_page p;
	struct member_query mq = { .page = 1, .per_page = 10 };
	int64_t root, br1, br2, m1, m2, m3, id;

	root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);
	br1 = add_org(f, root, "第一支部", ORG_BRANCH);
	br2 = add_org(f, root, "第二支部", ORG_BRANCH);
	m1 = add_member(f, br1, "王秀英", ID_F1949, GENDER_FEMALE, (struct date){ 1949, 12, 31 },
			"13812345678");
	m2 = add_member(f, br1, "李老", ID_M1880, GENDER_MALE, (struct date){ 1880, 1, 1 }, NULL);
	m3 = add_member(f, br2, "张三", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 }, NULL);

	/* Masked by default. */
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, false, &got, &e), 0);
	assert_string_equal(got.name, "王秀英");
	assert_string_equal(got.id_card, "110105********002X");
	assert_non_null(got.phone);
	assert_string_not_equal(got.phone, "13812345678");
	assert_non_null(strstr(got.phone, "5678"));
	assert_string_equal(got.org_name, "第一支部");
	assert_int_equal(got.birth_date.y, 1949);
	assert_int_equal(got.birth_date.m, 12);
	assert_int_equal(got.birth_date.d, 31);
	assert_int_equal(got.gender, GENDER_FEMALE);
	assert_int_equal(got.status, STATUS_FULL);
	assert_int_equal(got.full_member_on.y, 2016);
	/* Revealed on request. */
	assert_int_equal(store_member_get(f->c, f->a, NULL, m1, true, &got, &e), 0);
	assert_string_equal(got.id_card, ID_F1949);
	assert_string_equal(got.phone, "13812345678");
	assert_int_equal(store_member_get(f->c, f->a, NULL, m2, true, &got, &e), 0);
	assert_null(got.phone);
	/* Scope. */
	assert_int_equal(store_member_get(f->c, f->a, org_path(f, br2), m1, false, &got, &e), -1);
	assert_int_equal(e.kind, ERR_NOT_FOUND);
	err_clear(&e);

	/* Duplicate identity number. */
	fill_member(&m, br2, "冒名", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 });
	assert_int_equal(store_member_insert(f->c, &m, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "duplicate_id_card");
	err_clear(&e);

	/* Update: name, phone, status; the identity number stays findable. */
	fill_member(&m, br2, "张三丰", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 });
	m.id = m3;
	m.phone = "13900001111";
	m.status = STATUS_PROBATIONARY;
	m.full_member_on = DATE_NONE;
	assert_int_equal(store_member_update(f->c, &m, &e), 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m3, true, &got, &e), 0);
	assert_string_equal(got.name, "张三丰");
	assert_string_equal(got.phone, "13900001111");
	assert_int_equal(got.status, STATUS_PROBATIONARY);
	assert_false(date_is_set(got.full_member_on));
	/* Updating another member to an existing number is a conflict. */
	fill_member(&m, br1, "李老", ID_F1949, GENDER_MALE, (struct date){ 1880, 1, 1 });
	m.id = m2;
	assert_int_equal(store_member_update(f->c, &m, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	err_clear(&e);

	/* Find by identity number. */
	assert_int_equal(store_member_find_id_card(f->c, ID_M1880, &id, &e), 0);
	assert_int_equal(id, m2);
	assert_int_equal(store_member_find_id_card(f->c, "110101200001010018", &id, &e), 0);
	assert_int_equal(id, 0);

	/* Lists: everything, filters, subtree, paging, keyset. */
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 3);
	assert_int_equal(p.n, 3);
	for (size_t i = 0; i < p.n; i++)
		if (p.items[i].id == m1)
			assert_string_equal(p.items[i].id_card, "110105********002X");
	mq.gender = GENDER_FEMALE;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.items[0].id, m1);
	mq.gender = 0;
	mq.status = STATUS_PROBATIONARY;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.items[0].id, m3);
	mq.status = 0;
	mq.q = "三丰";
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 1);
	mq.q = "%";
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 0);
	mq.q = NULL;
	mq.id_card = ID_F1949;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.items[0].id, m1);
	mq.id_card = NULL;
	mq.org_id = br1;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 2);
	mq.org_id = 0;
	mq.scope = org_path(f, br2);
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.items[0].id, m3);
	mq.scope = NULL;

	mq.per_page = 2;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 3);
	assert_int_equal(p.n, 2);
	mq.page = 2;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.total, 3);
	assert_int_equal(p.n, 1);
	mq.page = 1;
	mq.keyset = true;
	mq.after = 0;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].id, m1);
	mq.after = m1;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.items[0].id, m2);
	assert_int_equal(p.items[1].id, m3);
	mq.after = m2;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.items[0].id, m3);
	mq.after = 0;
	mq.keyset = false;
	mq.unpaged = true;
	assert_int_equal(store_member_list(f->c, f->a, &mq, &p, &e), 0);
	assert_int_equal(p.n, 3);

	/* History and delete. */
	assert_int_equal(store_member_history_add(f->c, &f->who, m3, "moved", br1, br2, "调动", &e), 0);
	{
		struct member_event *ev;
		size_t n;
		assert_int_equal(store_member_history(f->c, f->a, m3, &ev, &n, &e), 0);
		assert_int_equal(n, 1);
		assert_string_equal(ev[0].from_org, "第一支部");
		assert_string_equal(ev[0].to_org, "第二支部");
	}
	assert_int_equal(store_member_delete(f->c, m2, &e), 0);
	assert_int_equal(store_member_get(f->c, f->a, NULL, m2, false, &got, &e), -1);
	assert_int_equal(e.kind, ERR_NOT_FOUND);
	err_clear(&e);
}

static void test_constraint_is_conflict(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct org o = { 0 };
	int64_t root = add_org(f, 0, "党委", ORG_PARTY_COMMITTEE);

	/* A database-level uniqueness violation (bypassing the store's check). */
	o.parent_id = root;
	o.name = "支部";
	o.type = ORG_BRANCH;
	o.field = FIELD_RURAL;
	o.remarks = "";
	assert_int_equal(store_org_insert(f->c, f->a, &o, &e), 0);
	assert_int_equal(
		f->c->db->drv->exec(f->c->db,
				    "INSERT INTO orgs (parent_id, name, path, type, field, created_at,"
				    " updated_at) VALUES (1, '支部', '/x/', 'branch', 'rural', '', '')",
				    &e),
		-1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "conflict");
	err_clear(&e);
	/* The connection is still usable. */
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM orgs"), 2);
}

static void test_audit(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct audit_check chk;
	struct audit_page p;
	struct audit_query aq = { .page = 1, .per_page = 10 };

	assert_int_equal(store_audit_verify(f->c, &chk, &e), 0);
	assert_int_equal(chk.rows, 0);
	assert_int_equal(chk.first_bad_id, 0);
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_audit(f->c, &f->who, "org.create", "org", 1, NULL, "{\"name\":\"甲\"}", &e),
			 0);
	assert_int_equal(store_audit(f->c, &f->who, "member.create", "member", 7, NULL, "{}", &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_audit(f->c, &f->who, "member.update", "member", 7, "{}", "{\"a\":1}", &e), 0);
	assert_int_equal(store_commit(f->c, &e), 0);

	assert_int_equal(store_audit_verify(f->c, &chk, &e), 0);
	assert_int_equal(chk.rows, 3);
	assert_int_equal(chk.first_bad_id, 0);

	assert_int_equal(store_audit_list(f->c, f->a, &aq, &p, &e), 0);
	assert_int_equal(p.total, 3);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.items[0].id, 3);
	aq.entity = "member";
	aq.entity_id = 7;
	assert_int_equal(store_audit_list(f->c, f->a, &aq, &p, &e), 0);
	assert_int_equal(p.total, 2);
	aq.entity = NULL;
	aq.entity_id = 0;
	aq.action = "org.create";
	assert_int_equal(store_audit_list(f->c, f->a, &aq, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_null(p.items[0].before);
	assert_string_equal(p.items[0].after, "{\"name\":\"甲\"}");
	aq.action = NULL;
	aq.from = "2000-01-01";
	aq.to = "2999-12-31";
	assert_int_equal(store_audit_list(f->c, f->a, &aq, &p, &e), 0);
	assert_int_equal(p.total, 3);
	aq.to = "2000-01-02";
	assert_int_equal(store_audit_list(f->c, f->a, &aq, &p, &e), 0);
	assert_int_equal(p.total, 0);

	/* Tampering with a row through raw SQL is found. */
	raw_exec(f, "UPDATE audit_log SET actor = 'mallory' WHERE id = 2");
	assert_int_equal(store_audit_verify(f->c, &chk, &e), 0);
	assert_int_equal(chk.first_bad_id, 2);
	assert_true(chk.reason[0] != '\0');
	raw_exec(f, "UPDATE audit_log SET actor = 'cli' WHERE id = 2");
	assert_int_equal(store_audit_verify(f->c, &chk, &e), 0);
	assert_int_equal(chk.first_bad_id, 0);
	/* So is removing the newest row. */
	raw_exec(f, "DELETE FROM audit_log WHERE id = 3");
	assert_int_equal(store_audit_verify(f->c, &chk, &e), 0);
	assert_int_equal(chk.first_bad_id, 3);
	assert_false(err_is_set(&e));
}

static void test_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct audit_check chk;
	struct org_list l;
	struct org o = {
		.name = "临时党委", .type = ORG_PARTY_COMMITTEE, .field = FIELD_ORGAN, .remarks = ""
	};
	struct member m;

	assert_int_equal(store_begin(f->c, &e), 0);
	assert_int_equal(store_org_insert(f->c, f->a, &o, &e), 0);
	fill_member(&m, o.id, "临时", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 });
	assert_int_equal(store_member_insert(f->c, &m, &e), 0);
	assert_int_equal(store_audit(f->c, &f->who, "org.create", "org", o.id, NULL, "{}", &e), 0);
	/* A failing statement inside the transaction... */
	fill_member(&m, o.id, "重复", ID_M1990, GENDER_MALE, (struct date){ 1990, 3, 7 });
	assert_int_equal(store_member_insert(f->c, &m, &e), -1);
	err_clear(&e);
	store_rollback(f->c);

	assert_int_equal(store_org_subtree(f->c, f->a, NULL, &l, &e), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM members"), 0);
	assert_int_equal(store_audit_verify(f->c, &chk, &e), 0);
	assert_int_equal(chk.rows, 0);
	assert_int_equal(chk.first_bad_id, 0);

	/* A commit after a failed statement is an error, not a silent rollback. */
	assert_int_equal(store_begin(f->c, &e), 0);
	assert_true(add_org(f, 0, "党委", ORG_PARTY_COMMITTEE) > 0);
	assert_int_equal(f->c->db->drv->exec(f->c->db, "SELECT no_such_column FROM orgs", &e), -1);
	err_clear(&e);
	if (cur->pg) {
		assert_int_equal(store_commit(f->c, &e), -1);
		err_clear(&e);
	}
	store_rollback(f->c);

	/* The store works afterwards. */
	assert_true(add_org(f, 0, "党委", ORG_PARTY_COMMITTEE) > 0);
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM orgs"), 1);
}

static void test_schema_too_new(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;

	raw_exec(
		f,
		"INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', '2099-01-01T00:00:00Z')");
	store_free(f->s);
	f->s = NULL;
	assert_int_equal(open_store(f, &e), -1);
	assert_string_equal(e.code, "schema_too_new");
	assert_non_null(strstr(e.message, "9999_future"));
	err_clear(&e);
}

static void test_pg_unreachable(void **state)
{
	struct store_opts o = { .url = "postgresql://postgres@127.0.0.1:1/dangjian?connect_timeout=2",
				.create = true };
	char dir[] = "/tmp/dj-store-test.XXXXXX", key[64];
	struct err e = ERR_INIT;
	struct store *s = NULL;
	struct timespec t0, t1;

	UNUSED(state);
	assert_non_null(mkdtemp(dir));
	snprintf(key, sizeof(key), "%s/test.key", dir);
	o.key_file = key;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_open(&o, &s, &e), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(e.kind, ERR_UNAVAILABLE);
	assert_string_equal(e.message, "无法连接数据库");
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	err_clear(&e);
	rm_dir(dir);
}

static void test_pg_wrong_database(void **state)
{
	struct store_opts o = { .create = true };
	char dir[] = "/tmp/dj-store-test.XXXXXX", key[64], url[512];
	struct err e = ERR_INIT;
	struct store *s = NULL;

	UNUSED(state);
	assert_non_null(mkdtemp(dir));
	snprintf(key, sizeof(key), "%s/test.key", dir);
	url_with_db(cur->base_url, "dj_no_such_database", url, sizeof(url));
	o.url = url;
	o.key_file = key;
	assert_int_equal(store_open(&o, &s, &e), -1);
	assert_int_equal(e.kind, ERR_UNAVAILABLE);
	err_clear(&e);
	rm_dir(dir);
}

/* The server ends our session: the next query fails as unavailable, then the store reconnects. */
static void test_pg_reconnect(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct db *other = NULL;
	struct q q = Q_INIT;
	int64_t pid = raw_int(f, "SELECT pg_backend_pid()");
	char sql[96];

	assert_true(pid > 0);
	assert_int_equal(db_pg_driver.open(f->url, &other, &e), 0);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", (long long)pid);
	assert_int_equal(other->drv->exec(other, sql, &e), 0);
	other->drv->close(other);

	assert_int_equal(q_prepare(&q, f->c->db, "SELECT COUNT(*) FROM orgs", &e), 0);
	assert_int_equal(q_step(&q, &e), -1);
	q_finish(&q);
	assert_int_equal(e.kind, ERR_UNAVAILABLE);
	err_clear(&e);
	assert_true(f->c->db->drv->broken(f->c->db));
	f->c = store_conn(f->s, &e);
	assert_non_null(f->c);
	assert_false(f->c->db->drv->broken(f->c->db));
	assert_int_equal(raw_int(f, "SELECT COUNT(*) FROM orgs"), 0);
}

/* `?` inside quoted literals and comments is not a placeholder. */
static void test_placeholders_in_literals(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct q q = Q_INIT;

	assert_int_equal(q_prepare(&q, f->c->db,
				   "SELECT '?''?' AS \"a?\", ? || 'x' -- trailing ?\n, CAST(? AS BIGINT) + 1",
				   &e),
			 0);
	q_text(&q, "v");
	q_int(&q, 41);
	assert_int_equal(q_step(&q, &e), 1);
	assert_string_equal(q_col_text(&q, 0), "?'?");
	assert_string_equal(q_col_text(&q, 1), "vx");
	assert_int_equal(q_col_int(&q, 2), 42);
	assert_int_equal(q_step(&q, &e), 0);
	q_finish(&q);
	/* NULLs read as "" and 0. */
	assert_int_equal(q_prepare(&q, f->c->db, "SELECT CAST(? AS TEXT), CAST(? AS BIGINT)", &e), 0);
	q_null(&q);
	q_null(&q);
	assert_int_equal(q_step(&q, &e), 1);
	assert_true(q_null_at(&q, 0));
	assert_string_equal(q_col_text(&q, 0), "");
	assert_int_equal(q_col_int(&q, 1), 0);
	q_finish(&q);
	if (cur->pg) {
		assert_int_equal(q_prepare(&q, f->c->db,
					   "SELECT current_setting('client_encoding'),"
					   " current_setting('DateStyle')",
					   &e),
				 0);
		assert_int_equal(q_step(&q, &e), 1);
		assert_string_equal(q_col_text(&q, 0), "UTF8");
		assert_string_equal(q_col_text(&q, 1), "ISO, YMD");
		q_finish(&q);
	}
	/* changes() counts the rows of the last write. */
	add_org(f, 0, "甲", ORG_PARTY_COMMITTEE);
	add_org(f, 0, "乙", ORG_PARTY_COMMITTEE);
	assert_int_equal(q_exec_simple(f->c->db, "UPDATE orgs SET remarks = 'r'", &e), 0);
	assert_int_equal(f->c->db->drv->changes(f->c->db), 2);
	assert_false(err_is_set(&e));
}

/* ---- main ------------------------------------------------------------- */

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static const struct CMUnitTest contract[] = {
	T(test_open_migrate_twice),
	T(test_orgs),
	T(test_members),
	T(test_constraint_is_conflict),
	T(test_audit),
	T(test_rollback_leaves_nothing),
	T(test_schema_too_new),
	T(test_placeholders_in_literals),
};

static const struct CMUnitTest pg_only[] = {
	T(test_pg_reconnect),
	cmocka_unit_test(test_pg_wrong_database),
};

static const struct CMUnitTest always[] = {
	cmocka_unit_test(test_migration_sets_match),
	cmocka_unit_test(test_pg_unreachable),
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
	failed += cmocka_run_group_tests_name("store_common", always, NULL, NULL);
	cur = &sqlite;
	failed += cmocka_run_group_tests_name("store_contract_sqlite", contract, NULL, NULL);
	if (pg_url && *pg_url) {
		pg.base_url = pg_url;
		cur = &pg;
		failed += cmocka_run_group_tests_name("store_contract_pg", contract, NULL, NULL);
		failed += cmocka_run_group_tests_name("store_pg", pg_only, NULL, NULL);
	} else {
		printf("[  SKIPPED ] store_contract_pg: set DJ_TEST_PG_URL (tests/pg/pgctl start) to run it\n");
	}
	return failed ? 1 : 0;
}
