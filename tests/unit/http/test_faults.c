/*
 * test_faults.c: fault injection through the real handlers, in process
 * (STYLE.md section 9; SQLite's malloc_common.tcl). Each writing request
 * is run again and again with the N-th database call failing, N = 1, 2,
 * ... until a run hits no fault. Every failed run must answer an error and
 * leave the database exactly as it was: members, organisations, figures,
 * committees, histories, users and the audit trail.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "core/idcard.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmocka.h>

extern int db_fault_countdown;

static char dir[64], db_path[128];
static struct store *st;
static struct server_config cfg;
static char token[65], csrf[65];

/* ---- a request without sockets ----------------------------------------- */

struct fake {
	const char *query[8][2];
	int nq;
};

static const char *f_query(struct http_req *r, const char *k)
{
	struct fake *f = r->conn;

	for (int i = 0; i < f->nq; i++)
		if (!strcmp(f->query[i][0], k))
			return f->query[i][1];
	return NULL;
}

static const char *f_header(struct http_req *r, const char *name)
{
	UNUSED(r);
	return !strcasecmp(name, "X-CSRF-Token") ? csrf : NULL;
}

static const char *f_cookie(struct http_req *r, const char *name)
{
	UNUSED(r);
	return !strcmp(name, SESSION_COOKIE) ? token : NULL;
}

/* Runs one request through the router; returns the status, the reply body in *body (caller frees). */
static int call(const char *method, const char *path, const char *body, size_t body_len,
		struct fake *f, char **reply_out)
{
	struct http_req req = { 0 };
	struct http_reply rep = { .status = 500 };
	const struct route *r;
	bool known;
	int status;

	req.arena = arena_new();
	req.method = method;
	req.path = path;
	req.body = body ? body : "";
	req.body_len = body ? body_len : 0;
	req.query = f_query;
	req.header = f_header;
	req.cookie = f_cookie;
	req.conn = f;
	req.cfg = &cfg;
	req.store = st;
	r = router_match(method, path, &req, &known);
	assert_non_null(r);
	router_dispatch(r, &req, &rep);
	status = rep.status;
	if (reply_out) {
		if (rep.json)
			*reply_out = json_dumps(rep.json, JSON_COMPACT);
		else
			*reply_out = rep.body ? strndup(rep.body, rep.body_len) : strdup("");
	}
	json_decref(rep.json);
	free(rep.body);
	arena_free(req.arena);
	return status;
}

/* ---- the state a failed request must not change ------------------------ */

static const char *const snapshot_sql[] = {
	"SELECT id, org_id, org_path, name, status, category, phone_masked, id_card_hash, updated_at FROM members ORDER BY id",
	"SELECT id, parent_id, path, name, field, elected_on, updated_at FROM orgs ORDER BY id",
	"SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0 ORDER BY org_id, dim, key",
	"SELECT org_id, member_id, role FROM org_committee ORDER BY org_id, member_id",
	"SELECT COUNT(*), MAX(id) FROM member_history",
	"SELECT id, username, role, org_id, disabled, locked_until, password_hash FROM users ORDER BY id",
	"SELECT COUNT(*) FROM login_failures",
	"SELECT COUNT(*), MAX(id) FROM audit_log",
	"SELECT last_id, last_hash FROM audit_head",
};

static char *snapshot(void)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3 *h;

	assert_int_equal(sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (size_t i = 0; i < ARRAY_SIZE(snapshot_sql); i++) {
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_prepare_v2(h, snapshot_sql[i], -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *t = sqlite3_column_text(s, c);
				strbuf_addstr(&sb, t ? (const char *)t : "NULL");
				strbuf_addch(&sb, '|');
			}
			strbuf_addch(&sb, '\n');
		}
		sqlite3_finalize(s);
		strbuf_addstr(&sb, "--\n");
	}
	sqlite3_close(h);
	return strbuf_detach(&sb, NULL);
}

/*
 * Runs the request with a fault at database call 1, 2, ... Returns how many
 * faulted runs there were; the final (unfaulted) run must answer `want`.
 */
static int run_with_faults(const char *method, const char *path, const char *body, struct fake *f,
			   int want, char **final_reply)
{
	int n;

	for (n = 1; n < 2000; n++) {
		char *before = snapshot(), *after, *reply = NULL;
		int status;

		db_fault_countdown = n;
		status = call(method, path, body, body ? strlen(body) : 0, f, &reply);
		if (db_fault_countdown > 0) {
			/* Fewer than n database calls: this run had no fault. */
			db_fault_countdown = 0;
			free(before);
			if (status != want)
				fail_msg("%s %s: want %d without faults, got %d: %s", method, path, want, status, reply);
			if (final_reply)
				*final_reply = reply;
			else
				free(reply);
			return n - 1;
		}
		after = snapshot();
		if (status < 500)
			fail_msg("%s %s with a fault at call %d answered %d: %s", method, path, n, status, reply);
		if (strcmp(before, after) != 0)
			fail_msg("%s %s with a fault at call %d changed the database", method, path, n);
		free(before);
		free(after);
		free(reply);
	}
	fail_msg("%s %s: still faulting after %d calls", method, path, n);
	return -1;
}

/* ---- fixture ------------------------------------------------------------ */

static int64_t branch_a, branch_b, committee_org, member_a;

static int64_t first_of(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t v = 0;

	assert_int_equal(sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static int setup(void **state)
{
	struct store_opts o = { 0 };
	struct err e = ERR_INIT;
	struct sconn *c;
	struct user u;
	char *hash, key[128];
	int64_t locked;
	struct arena *a = arena_new();

	UNUSED(state);
	log_set_level(LOG_ERROR);
	snprintf(dir, sizeof(dir), "/tmp/dj-faults.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/t.db", dir);
	snprintf(key, sizeof(key), "%s/t.key", dir);
	o.url = db_path;
	o.key_file = key;
	o.create = true;
	o.pbkdf2_iterations = 1000;
	assert_int_equal(store_open(&o, &st, &e), 0);
	assert_int_equal(demo_build(st, 300, 11, &e), 0);
	server_config_default(&cfg);
	c = store_conn(st, &e);
	assert_non_null(c);
	assert_int_equal(store_user_by_name(c, a, "admin", &u, &hash, &locked, &e), 0);
	assert_int_equal(store_session_create(c, u.id, clock_epoch(), token, csrf, &e), 0);
	arena_free(a);
	branch_a = first_of("SELECT org_id FROM members GROUP BY org_id ORDER BY org_id LIMIT 1");
	branch_b = first_of("SELECT org_id FROM members GROUP BY org_id ORDER BY org_id DESC LIMIT 1");
	committee_org = first_of("SELECT id FROM orgs WHERE type = 'party_committee' AND parent_id IS NOT NULL"
				 " ORDER BY id LIMIT 1");
	member_a = first_of("SELECT id FROM members WHERE status = 'full' ORDER BY id LIMIT 1");
	assert_true(branch_a && branch_b && branch_a != branch_b && committee_org && member_a);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	UNUSED(state);
	store_free(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* An 18-digit identity number for a man born 1980-01-01 with sequence seq (odd last digit). */
static void make_id(int seq, char out[19])
{
	snprintf(out, 19, "11010519800101%03d", (seq % 500) * 2 + 1);
	out[17] = idcard_check_char(out);
	out[18] = '\0';
}

/* ---- scenarios ----------------------------------------------------------- */

static void test_create_member(void **state)
{
	char body[1024], id[19];
	struct fake f = { .nq = 0 };

	UNUSED(state);
	make_id(401, id);
	snprintf(body, sizeof(body),
		 "{\"name\":\"测试党员\",\"gender\":\"male\",\"ethnicity\":\"01\",\"birth_date\":\"1980-01-01\","
		 "\"id_card\":\"%s\",\"education\":\"21\",\"phone\":\"13800138000\",\"category\":\"in_service\","
		 "\"status\":\"full\",\"joined_on\":\"2005-07-01\",\"full_member_on\":\"2006-07-01\",\"org_id\":%lld}",
		 id, (long long)branch_a);
	assert_true(run_with_faults("POST", "/api/v1/members", body, &f, 201, NULL) > 3);
}

static void test_move_member(void **state)
{
	char body[256], path[64];
	struct fake f = { .nq = 0 };

	UNUSED(state);
	snprintf(body, sizeof(body), "{\"org_id\":%lld,\"job\":\"调任\"}", (long long)branch_b);
	snprintf(path, sizeof(path), "/api/v1/members/%lld", (long long)member_a);
	assert_true(run_with_faults("PATCH", path, body, &f, 200, NULL) > 3);
	assert_int_equal(first_of("SELECT COUNT(*) FROM member_history WHERE action = 'moved'"), 1);
}

static void test_move_org(void **state)
{
	char body[128], path[64];
	struct fake f = { .nq = 0 };
	int64_t root = first_of("SELECT id FROM orgs WHERE parent_id IS NULL");
	int64_t other = first_of("SELECT id FROM orgs WHERE type = 'party_committee' AND parent_id IS NOT NULL"
				 " ORDER BY id DESC LIMIT 1");

	UNUSED(state);
	assert_true(root && other && other != committee_org);
	/* A branch of one committee moves under another: paths, member paths and figures all change. */
	snprintf(body, sizeof(body), "{\"parent_id\":%lld}", (long long)other);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld", (long long)branch_a);
	assert_true(run_with_faults("PATCH", path, body, &f, 200, NULL) > 3);
}

static void test_committee(void **state)
{
	char body[256], path[64];
	struct fake f = { .nq = 0 };
	int64_t m1 = first_of("SELECT id FROM members WHERE org_id = (SELECT org_id FROM members WHERE status = 'full'"
			      " GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1) ORDER BY id LIMIT 1");
	int64_t org = first_of("SELECT org_id FROM members WHERE id = (SELECT id FROM members WHERE status = 'full'"
			       " AND org_id = (SELECT org_id FROM members GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1)"
			       " ORDER BY id LIMIT 1)");

	UNUSED(state);
	snprintf(body, sizeof(body), "{\"members\":[{\"member_id\":%lld,\"role\":\"secretary\"}]}", (long long)m1);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/committee", (long long)org);
	assert_true(run_with_faults("PUT", path, body, &f, 200, NULL) > 3);
}

static void test_import(void **state)
{
	struct strbuf csv = STRBUF_INIT;
	char id[19], org[32], *reply = NULL;
	struct fake f = { .nq = 1 };

	UNUSED(state);
	snprintf(org, sizeof(org), "%lld", (long long)branch_b);
	f.query[0][0] = "org";
	f.query[0][1] = org;
	strbuf_addstr(&csv, "姓名,性别,民族,出生日期,身份证号,学历,人员类别,党员状态,入党时间,转正时间\n");
	for (int i = 0; i < 3; i++) {
		make_id(450 + i, id);
		strbuf_addf(&csv, "导入%d,男,汉族,1980-01-01,%s,本科,在职,正式党员,2005-07-01,2006-07-01\n", i, id);
	}
	assert_true(run_with_faults("POST", "/api/v1/members/import", csv.buf, &f, 200, &reply) > 3);
	assert_non_null(strstr(reply, "\"imported\":3"));
	free(reply);
	strbuf_release(&csv);
}

static void test_delete_member(void **state)
{
	char path[64];
	struct fake f = { .nq = 0 };
	int64_t id = first_of("SELECT id FROM members WHERE id NOT IN (SELECT member_id FROM org_committee)"
			      " ORDER BY id DESC LIMIT 1");

	UNUSED(state);
	snprintf(path, sizeof(path), "/api/v1/members/%lld", (long long)id);
	assert_true(run_with_faults("DELETE", path, NULL, &f, 204, NULL) > 3);
	assert_int_equal(first_of("SELECT COUNT(*) FROM members WHERE id = (SELECT MAX(id) FROM members) + 1"), 0);
}

static void test_create_user(void **state)
{
	char body[256];
	struct fake f = { .nq = 0 };

	UNUSED(state);
	snprintf(body, sizeof(body),
		 "{\"username\":\"worker1\",\"display_name\":\"党务工作者\",\"password\":\"Worker@2026\","
		 "\"role\":\"org_admin\",\"org_id\":%lld}", (long long)committee_org);
	assert_true(run_with_faults("POST", "/api/v1/users", body, &f, 201, NULL) > 3);
}

static void test_failed_login(void **state)
{
	struct fake f = { .nq = 0 };

	UNUSED(state);
	/* A wrong password is recorded (failure row, audit row) all or nothing. */
	assert_true(run_with_faults("POST", "/api/v1/session", "{\"username\":\"secretary\",\"password\":\"Wrong@2026\"}",
				    &f, 401, NULL) > 3);
	assert_int_equal(first_of("SELECT COUNT(*) FROM login_failures"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_member),
		cmocka_unit_test(test_move_member),
		cmocka_unit_test(test_move_org),
		cmocka_unit_test(test_committee),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_delete_member),
		cmocka_unit_test(test_create_user),
		cmocka_unit_test(test_failed_login),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
