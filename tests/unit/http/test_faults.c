/*
 * test_faults.c: fault injection through the real handlers, in process
 * (STYLE.md section 9; SQLite's malloc_common.tcl). Each writing request
 * is run again and again with the N-th database call failing, N = 1, 2,
 * ... until a run hits no fault. Every failed run must answer an error and
 * leave the database exactly as it was: members, organisations, figures,
 * committees, histories, users, development cases, transfers, mobile
 * members, sanctions and the audit trail. The same in-process calls also count the
 * database calls of the development lists, which must not grow with the
 * number of cases listed (one query for every case's steps).
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
static int call(const char *method, const char *path, const char *body, size_t body_len, struct fake *f,
		char **reply_out)
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
	"SELECT id, org_id, org_path, name, status, category, phone_masked, id_card_hash, state, state_on, state_code,"
	" mobile, joined_on, full_member_on, updated_at FROM members ORDER BY id",
	"SELECT * FROM member_states ORDER BY id",
	"SELECT * FROM applicants ORDER BY id",
	"SELECT * FROM dev_steps ORDER BY id",
	"SELECT * FROM dev_step_people ORDER BY step_id, seq",
	"SELECT * FROM transfers ORDER BY id",
	"SELECT * FROM letter_seq ORDER BY year",
	"SELECT * FROM mobile_members ORDER BY id",
	"SELECT * FROM sanctions ORDER BY id",
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
static int run_with_faults(const char *method, const char *path, const char *body, struct fake *f, int want,
			   char **final_reply)
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
				fail_msg("%s %s: want %d without faults, got %d: %s", method, path, want,
					 status, reply);
			if (final_reply)
				*final_reply = reply;
			else
				free(reply);
			return n - 1;
		}
		after = snapshot();
		if (status < 500)
			fail_msg("%s %s with a fault at call %d answered %d: %s", method, path, n, status,
				 reply);
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

#define TODAY "2026-11-20"

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

static int trace_connection(sqlite3 *db, const char **errmsg, const struct sqlite3_api_routines *api);

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
	/* A fixed "today": the development steps below are dated against it (tests/api/dev_util.py). */
	setenv("DJ_TODAY", TODAY, 1);
	assert_int_equal(sqlite3_auto_extension((void (*)(void))trace_connection), SQLITE_OK);
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
	committee_org =
		first_of("SELECT id FROM orgs WHERE type = 'party_committee' AND parent_id IS NOT NULL"
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
	snprintf(
		body, sizeof(body),
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
	int64_t other =
		first_of("SELECT id FROM orgs WHERE type = 'party_committee' AND parent_id IS NOT NULL"
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
	int64_t m1 = first_of(
		"SELECT id FROM members WHERE org_id = (SELECT org_id FROM members WHERE status = 'full'"
		" GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1) ORDER BY id LIMIT 1");
	int64_t org = first_of(
		"SELECT org_id FROM members WHERE id = (SELECT id FROM members WHERE status = 'full'"
		" AND org_id = (SELECT org_id FROM members GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1)"
		" ORDER BY id LIMIT 1)");

	UNUSED(state);
	snprintf(body, sizeof(body), "{\"members\":[{\"member_id\":%lld,\"role\":\"secretary\"}]}",
		 (long long)m1);
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
		strbuf_addf(&csv, "导入%d,男,汉族,1980-01-01,%s,本科,在职,正式党员,2005-07-01,2006-07-01\n",
			    i, id);
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
	assert_int_equal(
		first_of("SELECT COUNT(*) FROM members WHERE id = (SELECT MAX(id) FROM members) + 1"), 0);
}

static void test_create_user(void **state)
{
	char body[256];
	struct fake f = { .nq = 0 };

	UNUSED(state);
	snprintf(body, sizeof(body),
		 "{\"username\":\"worker1\",\"display_name\":\"党务工作者\",\"password\":\"Worker@2026\","
		 "\"role\":\"org_admin\",\"org_id\":%lld}",
		 (long long)committee_org);
	assert_true(run_with_faults("POST", "/api/v1/users", body, &f, 201, NULL) > 3);
}

static void test_failed_login(void **state)
{
	struct fake f = { .nq = 0 };

	UNUSED(state);
	/* A wrong password is recorded (failure row, audit row) all or nothing. */
	assert_true(run_with_faults("POST", "/api/v1/session",
				    "{\"username\":\"secretary\",\"password\":\"Wrong@2026\"}", &f, 401,
				    NULL) > 3);
	assert_int_equal(first_of("SELECT COUNT(*) FROM login_failures"), 1);
}

/* ---- the member lifecycle --------------------------------------------- */

/* Runs a request that must answer `want` (no faults); returns the reply's "id" (0 when none). */
static int64_t ok(const char *method, const char *path, const char *body, int want)
{
	struct fake none = { .nq = 0 };
	char *reply = NULL;
	json_t *j;
	int64_t id = 0;
	int status = call(method, path, body, body ? strlen(body) : 0, &none, &reply);

	if (status != want)
		fail_msg("%s %s: want %d, got %d: %s", method, path, want, status, reply);
	j = json_loads(reply, 0, NULL);
	if (json_is_object(j) && json_is_integer(json_object_get(j, "id")))
		id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	free(reply);
	return id;
}

/*
 * Statements run, counted by a trace every SQLite connection gets as it
 * opens (an auto extension registered before the store opens): a statement
 * counts once however many rows it steps through.
 */
static bool counting;
static int statements;

static int count_statement(unsigned type, void *ctx, void *p, void *x)
{
	UNUSED(ctx);
	UNUSED(p);
	UNUSED(x);
	if (counting && type == SQLITE_TRACE_STMT)
		statements++;
	return 0;
}

static int trace_connection(sqlite3 *db, const char **errmsg, const struct sqlite3_api_routines *api)
{
	UNUSED(errmsg);
	UNUSED(api);
	return sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_statement, NULL);
}

/* The number of SQL statements a GET runs; it must answer 200. */
static int db_calls(const char *path, struct fake *f)
{
	char *reply = NULL;
	int status;

	statements = 0;
	counting = true;
	status = call("GET", path, NULL, 0, f, &reply);
	counting = false;
	if (status != 200)
		fail_msg("GET %s: want 200, got %d: %s", path, status, reply);
	free(reply);
	assert_true(statements > 0);
	return statements;
}

static const char *sqlf(char *buf, size_t n, const char *fmt, long long v)
{
	snprintf(buf, n, fmt, v);
	return buf;
}

/* An active full member with no history of states, transfers, mobile records, posts or roles in a case. */
static int64_t fresh_member(void)
{
	return first_of("SELECT id FROM members WHERE status = 'full' AND state = 'active' AND mobile = 0"
			" AND id NOT IN (SELECT member_id FROM transfers WHERE member_id IS NOT NULL)"
			" AND id NOT IN (SELECT member_id FROM member_states)"
			" AND id NOT IN (SELECT member_id FROM mobile_members)"
			" AND id NOT IN (SELECT member_id FROM org_committee)"
			" AND id NOT IN (SELECT member_id FROM dev_step_people WHERE member_id IS NOT NULL)"
			" ORDER BY id DESC LIMIT 1");
}

/* A branch that is not `org`. */
static int64_t other_branch(int64_t org)
{
	char sql[160];

	return first_of(sqlf(sql, sizeof(sql),
			     "SELECT id FROM orgs WHERE type = 'branch' AND id <> %lld ORDER BY id LIMIT 1",
			     (long long)org));
}

static int64_t org_of(int64_t member_id)
{
	char sql[96];

	return first_of(
		sqlf(sql, sizeof(sql), "SELECT org_id FROM members WHERE id = %lld", (long long)member_id));
}

/* The development cases' branch (the one with the most full members), three of them for the roles, the root
 * committee. */
static int64_t dev_branch, dev_mem[3], dev_root;
static int dev_seq = 600;

static void dev_fixture(void)
{
	char sql[256];

	if (dev_branch)
		return;
	dev_branch = first_of(
		"SELECT m.org_id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.type = 'branch'"
		" AND m.status = 'full' AND m.state = 'active' GROUP BY m.org_id ORDER BY COUNT(*) DESC, m.org_id"
		" LIMIT 1");
	for (int i = 0; i < 3; i++) {
		snprintf(
			sql, sizeof(sql),
			"SELECT id FROM members WHERE org_id = %lld AND status = 'full' AND state = 'active' ORDER BY id"
			" LIMIT 1 OFFSET %d",
			(long long)dev_branch, i);
		dev_mem[i] = first_of(sql);
	}
	dev_root = first_of("SELECT id FROM orgs WHERE parent_id IS NULL");
	assert_true(dev_branch && dev_mem[0] && dev_mem[1] && dev_mem[2] && dev_root);
}

/* A POST /applicants body: a man born 1980-01-01 who applied on 2023-03-01 (2014 rules). */
static void applicant_body(char *buf, size_t n)
{
	char id[19];

	dev_seq++;
	make_id(dev_seq, id);
	snprintf(
		buf, n,
		"{\"org_id\":%lld,\"name\":\"申请人%d\",\"gender\":\"male\",\"ethnicity\":\"01\","
		"\"birth_date\":\"1980-01-01\",\"id_card\":\"%s\",\"education\":\"21\",\"phone\":\"13700005%03d\","
		"\"native_place\":\"北京东城\",\"category\":\"in_service\",\"work_unit\":\"测试单位\",\"job\":\"职员\","
		"\"applied_on\":\"2023-03-01\",\"rule_version\":\"2014\"}",
		(long long)dev_branch, dev_seq, id, dev_seq % 1000);
}

/* A case's records after step 1, in order, as tests/api/dev_util.py TIMELINE (6 and 21 are periodic). */
static const struct {
	int step;
	const char *on;
} timeline[] = {
	{ 2, "2023-03-20" },  { 3, "2023-04-10" },  { 4, "2023-04-20" },  { 5, "2023-04-25" },
	{ 6, "2023-09-30" },  { 6, "2024-03-25" },  { 7, "2024-04-10" },  { 8, "2024-04-15" },
	{ 9, "2024-04-20" },  { 10, "2024-05-10" }, { 11, "2024-05-20" }, { 12, "2024-06-01" },
	{ 13, "2024-06-10" }, { 14, "2024-06-15" }, { 15, "2024-06-20" }, { 16, "2024-07-01" },
	{ 17, "2024-07-10" }, { 18, "2024-07-15" }, { 19, "2024-07-20" }, { 20, "2024-07-25" },
	{ 21, "2024-12-20" }, { 21, "2025-05-20" }, { 22, "2025-06-20" }, { 23, "2025-06-25" },
	{ 24, "2025-07-10" },
};

/* The body step `step` needs (tests/api/dev_util.py step_body). */
static void step_body(int step, const char *on, char *buf, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char sql[256];
	long long full;

	strbuf_addf(&sb, "{\"step\":%d,\"on\":\"%s\"", step, on);
	switch (step) {
	case 2:
		strbuf_addf(&sb, ",\"people\":[{\"role\":\"talker\",\"member_id\":%lld}]",
			    (long long)dev_mem[0]);
		break;
	case 5:
	case 9:
		strbuf_addf(
			&sb,
			",\"people\":[{\"role\":\"%s\",\"member_id\":%lld},{\"role\":\"%s\",\"member_id\":%lld}]",
			step == 5 ? "contact" : "introducer", (long long)dev_mem[1],
			step == 5 ? "contact" : "introducer", (long long)dev_mem[2]);
		break;
	case 6:
	case 21:
		strbuf_addstr(&sb, ",\"summary\":\"考察情况良好\"");
		break;
	case 10:
		strbuf_addstr(&sb, ",\"result\":\"pass\",\"summary\":\"政治审查合格\"");
		break;
	case 11:
		strbuf_addstr(&sb, ",\"training\":{\"days\":3,\"hours\":24}");
		break;
	case 13:
	case 17:
	case 24:
		strbuf_addf(&sb, ",\"result\":\"pass\",\"approver_org_id\":%lld", (long long)dev_root);
		break;
	case 15:
	case 23:
		/* Everyone with a vote present and in favour (DEV-30). */
		full = first_of(sqlf(sql, sizeof(sql),
				     "SELECT COUNT(*) FROM members WHERE org_id = %lld AND status = 'full'"
				     " AND state IN ('active', 'lost')",
				     (long long)dev_branch));
		strbuf_addf(
			&sb,
			",\"vote\":{\"expected\":%lld,\"present\":%lld,\"yes\":%lld,\"no\":0,\"abstain\":0,"
			"\"written_yes\":0}%s",
			full, full, full, step == 23 ? ",\"outcome\":\"full\"" : "");
		break;
	case 16:
		strbuf_addstr(&sb, ",\"people\":[{\"role\":\"talker\",\"name\":\"组织员李明\"}]");
		break;
	default:
		break;
	}
	strbuf_addch(&sb, '}');
	assert_true(sb.len < n);
	memcpy(buf, sb.buf, sb.len + 1);
	strbuf_release(&sb);
}

static void test_applicant_create(void **state)
{
	char body[1024];
	struct fake f = { .nq = 0 };
	int64_t cases = first_of("SELECT COUNT(*) FROM applicants");

	UNUSED(state);
	dev_fixture();
	applicant_body(body, sizeof(body));
	assert_true(run_with_faults("POST", "/api/v1/applicants", body, &f, 201, NULL) > 3);
	assert_int_equal(first_of("SELECT COUNT(*) FROM applicants"), cases + 1);
	assert_int_equal(first_of("SELECT COUNT(*) FROM dev_steps WHERE step = 1"), cases + 1);
}

/* DEV-16: an open case moves to another branch with its audit row, all or nothing. */
static void test_applicant_move(void **state)
{
	char body[1024], path[64], sql[160];
	struct fake f = { .nq = 0 };
	int64_t id, to;

	UNUSED(state);
	dev_fixture();
	to = other_branch(dev_branch);
	applicant_body(body, sizeof(body));
	id = ok("POST", "/api/v1/applicants", body, 201);
	snprintf(path, sizeof(path), "/api/v1/applicants/%lld/move", (long long)id);
	snprintf(body, sizeof(body), "{\"org_id\":%lld,\"on\":\"2023-03-10\",\"reason\":\"工作调动\"}",
		 (long long)to);
	assert_true(run_with_faults("POST", path, body, &f, 200, NULL) > 3);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql), "SELECT org_id FROM applicants WHERE id = %lld",
				       (long long)id)),
			 to);
}

/* Steps 2 (people), 17 (the member record is made) and 24 (made full) under faults; the rest plainly. */
static void test_applicant_steps(void **state)
{
	char body[1024], path[64], sql[160];
	struct fake f = { .nq = 0 };
	int64_t id, members = first_of("SELECT COUNT(*) FROM members"), member_id;

	UNUSED(state);
	dev_fixture();
	applicant_body(body, sizeof(body));
	id = ok("POST", "/api/v1/applicants", body, 201);
	assert_true(id > 0);
	snprintf(path, sizeof(path), "/api/v1/applicants/%lld/steps", (long long)id);
	for (size_t i = 0; i < ARRAY_SIZE(timeline); i++) {
		int step = timeline[i].step;
		step_body(step, timeline[i].on, body, sizeof(body));
		if (step == 2 || step == 17 || step == 24)
			assert_true(run_with_faults("POST", path, body, &f, 201, NULL) > 3);
		else
			ok("POST", path, body, 201);
		if (step == 17)
			assert_int_equal(first_of("SELECT COUNT(*) FROM members"), members + 1);
	}
	member_id = first_of(
		sqlf(sql, sizeof(sql), "SELECT member_id FROM applicants WHERE id = %lld", (long long)id));
	assert_true(member_id > 0);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM members WHERE id = %lld AND status = 'full'"
				       " AND full_member_on = '2025-06-20'",
				       (long long)member_id)),
			 1);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql), "SELECT step FROM applicants WHERE id = %lld",
				       (long long)id)),
			 24);
}

/* An in-system transfer: the request, then the receiving approval that moves the member. */
static void test_transfer_in_system(void **state)
{
	char body[256], path[64];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member(), to, id;

	UNUSED(state);
	assert_true(m > 0);
	to = other_branch(org_of(m));
	snprintf(body, sizeof(body),
		 "{\"kind\":\"in_system\",\"member_id\":%lld,\"to_org_id\":%lld,"
		 "\"reason\":\"工作调动\",\"requested_on\":\"2026-11-01\"}",
		 (long long)m, (long long)to);
	assert_true(run_with_faults("POST", "/api/v1/transfers", body, &f, 201, NULL) > 3);
	id = first_of("SELECT MAX(id) FROM transfers");
	snprintf(path, sizeof(path), "/api/v1/transfers/%lld/approve", (long long)id);
	ok("POST", path, "{\"side\":\"sending\",\"on\":\"2026-11-05\"}", 200);
	assert_true(run_with_faults("POST", path, "{\"side\":\"receiving\",\"on\":\"2026-11-10\"}", &f, 200,
				    NULL) > 3);
	assert_int_equal(org_of(m), to);
}

/*
 * Registers member m as out (mobile, 2026-09-01) and requests an outbound
 * transfer, approved by the sending side (the letter issued); the letter
 * number goes to letter_no. Returns the transfer id.
 */
static int64_t out_and_leaving(int64_t m, char *letter_no, size_t n)
{
	char body[512], path[64], *reply = NULL, sql[128];
	const char *approve = "{\"side\":\"sending\",\"on\":\"2026-11-02\"}";
	struct fake none = { .nq = 0 };
	json_t *j;
	int64_t id;

	snprintf(body, sizeof(body),
		 "{\"member_id\":%lld,\"out_on\":\"2026-09-01\",\"destination\":\"广东省深圳市\","
		 "\"reason\":\"外出务工\"}",
		 (long long)m);
	ok("POST", "/api/v1/mobile-members", body, 201);
	snprintf(body, sizeof(body),
		 "{\"kind\":\"outbound\",\"member_id\":%lld,\"to_text\":\"外省某党委\","
		 "\"requested_on\":\"2026-11-01\"}",
		 (long long)m);
	id = ok("POST", "/api/v1/transfers", body, 201);
	assert_true(id > 0);
	snprintf(path, sizeof(path), "/api/v1/transfers/%lld/approve", (long long)id);
	assert_int_equal(call("POST", path, approve, strlen(approve), &none, &reply), 200);
	j = json_loads(reply, 0, NULL);
	assert_non_null(json_string_value(json_object_get(j, "letter_no")));
	snprintf(letter_no, n, "%s", json_string_value(json_object_get(j, "letter_no")));
	json_decref(j);
	free(reply);
	assert_int_equal(
		first_of(sqlf(sql, sizeof(sql), "SELECT mobile FROM members WHERE id = %lld", (long long)m)),
		1);
	return id;
}

/* The receipt of an outbound letter: the member is transferred out and their mobile record closes. */
static void test_transfer_receipt(void **state)
{
	char body[256], letter[32], sql[160];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member(), id;

	UNUSED(state);
	assert_true(m > 0);
	id = out_and_leaving(m, letter, sizeof(letter));
	snprintf(body, sizeof(body), "{\"letter_no\":\"%s\",\"on\":\"2026-11-15\",\"note\":\"已收到\"}",
		 letter);
	assert_true(run_with_faults("POST", "/api/v1/transfers/receipt", body, &f, 200, NULL) > 3);
	assert_int_equal(
		first_of(sqlf(sql, sizeof(sql),
			      "SELECT COUNT(*) FROM members WHERE id = %lld AND state = 'transferred'"
			      " AND mobile = 0",
			      (long long)m)),
		1);
	assert_int_equal(
		first_of(sqlf(sql, sizeof(sql),
			      "SELECT COUNT(*) FROM transfers WHERE id = %lld AND state = 'completed'",
			      (long long)id)),
		1);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM mobile_members WHERE member_id = %lld"
				       " AND state = 'returned' AND returned_on = '2026-11-15'",
				       (long long)m)),
			 1);
}

/* Leaving: the open transfer is cancelled and the mobile record closed, all or nothing. */
static void test_member_exit(void **state)
{
	char path[64], letter[32], sql[160];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member(), id;

	UNUSED(state);
	assert_true(m > 0);
	id = out_and_leaving(m, letter, sizeof(letter));
	snprintf(path, sizeof(path), "/api/v1/members/%lld/exit", (long long)m);
	assert_true(run_with_faults("POST", path, "{\"reason\":\"death\",\"on\":\"2026-11-18\"}", &f, 200,
				    NULL) > 3);
	assert_int_equal(
		first_of(sqlf(sql, sizeof(sql),
			      "SELECT COUNT(*) FROM transfers WHERE id = %lld AND state = 'cancelled'",
			      (long long)id)),
		1);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM mobile_members WHERE member_id = %lld"
				       " AND state = 'returned' AND returned_on = '2026-11-18'",
				       (long long)m)),
			 1);
}

static void test_member_lost(void **state)
{
	char path[64];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member();

	UNUSED(state);
	assert_true(m > 0);
	snprintf(path, sizeof(path), "/api/v1/members/%lld/lost", (long long)m);
	assert_true(run_with_faults("POST", path,
				    "{\"last_contact_on\":\"2026-10-01\",\"situation\":\"work_away\"}", &f,
				    200, NULL) > 3);
}

static void test_mobile_create(void **state)
{
	char body[256];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member();

	UNUSED(state);
	assert_true(m > 0);
	snprintf(body, sizeof(body),
		 "{\"member_id\":%lld,\"out_on\":\"2026-10-01\",\"destination\":\"广东省深圳市\","
		 "\"reason\":\"外出务工\",\"certificate_no\":\"LD-2026-001\"}",
		 (long long)m);
	assert_true(run_with_faults("POST", "/api/v1/mobile-members", body, &f, 201, NULL) > 3);
}

/* 撤销党内职务 of a member holding a post: the sanction, the posts ending and the audit row, all or nothing.
 */
static void test_sanction_create(void **state)
{
	char body[512], path[64], sql[160];
	struct fake f = { .nq = 0 };
	int64_t m = first_of("SELECT c.member_id FROM org_committee c JOIN members m ON m.id = c.member_id"
			     " WHERE m.status = 'full' AND m.state = 'active' ORDER BY c.member_id LIMIT 1");

	UNUSED(state);
	assert_true(m > 0);
	snprintf(body, sizeof(body),
		 "{\"type\":\"removal_from_post\",\"decided_on\":\"2026-11-10\","
		 "\"basis\":\"违反组织纪律\",\"decided_by\":\"支部党员大会\",\"approved_by\":\"上级党委\","
		 "\"approved_on\":\"2026-11-12\"}");
	snprintf(path, sizeof(path), "/api/v1/members/%lld/sanctions", (long long)m);
	assert_true(run_with_faults("POST", path, body, &f, 201, NULL) > 3);
	assert_int_equal(
		first_of(sqlf(sql, sizeof(sql), "SELECT COUNT(*) FROM org_committee WHERE member_id = %lld",
			      (long long)m)),
		0);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM sanctions WHERE member_id = %lld"
				       " AND effect_end = '2028-11-10'",
				       (long long)m)),
			 1);
}

/* 开除党籍: the member leaves, the open transfer is cancelled and the mobile record closed, all or nothing.
 */
static void test_sanction_expulsion(void **state)
{
	char body[512], path[64], letter[32], sql[160];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member(), id;

	UNUSED(state);
	assert_true(m > 0);
	id = out_and_leaving(m, letter, sizeof(letter));
	snprintf(body, sizeof(body),
		 "{\"type\":\"expulsion\",\"decided_on\":\"2026-11-16\",\"basis\":\"严重违纪\","
		 "\"approved_by\":\"县纪委\",\"approved_on\":\"2026-11-18\"}");
	snprintf(path, sizeof(path), "/api/v1/members/%lld/sanctions", (long long)m);
	assert_true(run_with_faults("POST", path, body, &f, 201, NULL) > 3);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM members WHERE id = %lld AND state = 'left'"
				       " AND state_code = 'expelled'",
				       (long long)m)),
			 1);
	assert_int_equal(
		first_of(sqlf(sql, sizeof(sql),
			      "SELECT COUNT(*) FROM transfers WHERE id = %lld AND state = 'cancelled'",
			      (long long)id)),
		1);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM mobile_members WHERE member_id = %lld"
				       " AND state = 'returned' AND returned_on = '2026-11-16'",
				       (long long)m)),
			 1);
}

/* Ending a 留党察看 in expulsion: the sanction's outcome and the exit, all or nothing. */
static void test_sanction_end(void **state)
{
	char body[512], path[96], sql[160];
	struct fake f = { .nq = 0 };
	int64_t m = fresh_member(), sid;

	UNUSED(state);
	assert_true(m > 0);
	snprintf(body, sizeof(body),
		 "{\"type\":\"probation\",\"period_months\":24,\"decided_on\":\"2025-06-01\","
		 "\"basis\":\"违反廉洁纪律\",\"approved_on\":\"2025-06-01\"}");
	snprintf(path, sizeof(path), "/api/v1/members/%lld/sanctions", (long long)m);
	sid = ok("POST", path, body, 201);
	assert_true(sid > 0);
	snprintf(path, sizeof(path), "/api/v1/members/%lld/sanctions/%lld/end", (long long)m, (long long)sid);
	assert_true(run_with_faults("POST", path,
				    "{\"outcome\":\"expelled\",\"on\":\"2026-11-01\","
				    "\"approved_on\":\"2026-11-05\"}",
				    &f, 200, NULL) > 3);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM sanctions WHERE id = %lld"
				       " AND outcome = 'expelled' AND ended_on = '2026-11-01'",
				       (long long)sid)),
			 1);
	assert_int_equal(first_of(sqlf(sql, sizeof(sql),
				       "SELECT COUNT(*) FROM members WHERE id = %lld AND state = 'left'",
				       (long long)m)),
			 1);
}

/* Opens a case and records its first `steps` records after step 1. */
static void open_case(size_t steps)
{
	char body[1024], path[64];
	int64_t id;

	applicant_body(body, sizeof(body));
	id = ok("POST", "/api/v1/applicants", body, 201);
	snprintf(path, sizeof(path), "/api/v1/applicants/%lld/steps", (long long)id);
	for (size_t k = 0; k < steps; k++) {
		step_body(timeline[k].step, timeline[k].on, body, sizeof(body));
		ok("POST", path, body, 201);
	}
}

/*
 * GET /applicants, /development/due and /alerts read every listed case's steps
 * in one query: their database calls do not grow with the number of cases.
 */
static void test_development_lists_do_not_query_per_case(void **state)
{
	char root[32];
	struct fake one = { .nq = 2 }, many = { .nq = 2 }, org = { .nq = 1 };
	int list1, list20, due, alerts;

	UNUSED(state);
	dev_fixture();
	snprintf(root, sizeof(root), "%lld", (long long)dev_root);
	one.query[0][0] = many.query[0][0] = org.query[0][0] = "org";
	one.query[0][1] = many.query[0][1] = org.query[0][1] = root;
	one.query[1][0] = many.query[1][0] = "per_page";
	one.query[1][1] = "1";
	many.query[1][1] = "20";
	/* open cases with steps, next to those the tests above made */
	for (size_t i = 0; i < 3; i++)
		open_case(i + 1);
	assert_true(first_of("SELECT COUNT(*) FROM applicants WHERE status = 'open'") >= 4);
	list1 = db_calls("/api/v1/applicants", &one);
	list20 = db_calls("/api/v1/applicants", &many);
	assert_int_equal(list20, list1);
	due = db_calls("/api/v1/development/due", &org);
	alerts = db_calls("/api/v1/alerts", &org);
	/* one more open case with steps: the same number of calls */
	open_case(1);
	assert_int_equal(db_calls("/api/v1/applicants", &many), list20);
	assert_int_equal(db_calls("/api/v1/development/due", &org), due);
	assert_int_equal(db_calls("/api/v1/alerts", &org), alerts);
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
		cmocka_unit_test(test_applicant_create),
		cmocka_unit_test(test_applicant_steps),
		cmocka_unit_test(test_transfer_in_system),
		cmocka_unit_test(test_transfer_receipt),
		cmocka_unit_test(test_member_exit),
		cmocka_unit_test(test_member_lost),
		cmocka_unit_test(test_mobile_create),
		cmocka_unit_test(test_sanction_create),
		cmocka_unit_test(test_sanction_expulsion),
		cmocka_unit_test(test_sanction_end),
		cmocka_unit_test(test_applicant_move),
		cmocka_unit_test(test_development_lists_do_not_query_per_case),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
