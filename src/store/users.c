/*
 * users.c: user accounts, failed-login bookkeeping for the lockout, and
 * sessions. A session cookie carries a random token; only its keyed hash
 * is stored, so a copied database cannot be used to log in.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/clock.h"

#define USER_COLS \
	"u.id, u.username, u.display_name, u.role, u.org_id, o.name, o.path, u.member_id," \
	" u.disabled, u.locked_until, u.created_at, u.password_hash"

static const char SQL_BY_NAME[] =
	"SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?";
static const char SQL_GET[] = "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
			      " WHERE u.id = ? AND o.path >= ? AND o.path < ?";
static const char SQL_LIST[] =
	"SELECT " USER_COLS ", COUNT(*) OVER () FROM users u JOIN orgs o ON o.id = u.org_id"
	" WHERE o.path >= ? AND o.path < ? ORDER BY o.path, u.username LIMIT ? OFFSET ?";

static void read_user(struct q *q, struct arena *a, struct user *u)
{
	char when[21];

	memset(u, 0, sizeof(*u));
	u->id = q_col_int(q, 0);
	u->username = q_col_dup(q, 1, a);
	u->display_name = q_col_dup(q, 2, a);
	u->role = enum_from_json(user_role_enum, q_col_text(q, 3));
	u->org_id = q_col_int(q, 4);
	u->org_name = q_col_dup(q, 5, a);
	u->org_path = q_col_dup(q, 6, a);
	u->member_id = q_null_at(q, 7) ? 0 : q_col_int(q, 7);
	u->disabled = q_col_int(q, 8) != 0;
	if (q_col_int(q, 9) > 0) {
		clock_rfc3339(q_col_int(q, 9), when);
		u->locked_until = arena_strdup(a, when);
	}
	u->created_at = q_col_dup(q, 10, a);
}

int store_user_by_name(struct sconn *c, struct arena *a, const char *username, struct user *out,
		       char **hash_out, int64_t *locked_until_out, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	if (q_prepare(&q, c->db, SQL_BY_NAME, e) < 0)
		goto out;
	q_text(&q, username);
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
		goto out;
	}
	read_user(&q, a, out);
	*hash_out = q_col_dup(&q, 11, a);
	*locked_until_out = q_col_int(&q, 9);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_user_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct user *out,
		   struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	if (!scope)
		scope = "/";
	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		goto out;
	q_int(&q, id);
	q_text(&q, scope);
	q_text(&q, store_path_hi(a, scope));
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "用户不存在");
		goto out;
	}
	read_user(&q, a, out);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_user_list(struct sconn *c, struct arena *a, const char *scope, int64_t org_id, int page,
		    int per_page, struct user_page *out, struct err *e)
{
	struct q q = Q_INIT;
	const char *lo = scope ? scope : "/";
	int rc = -1, r;

	memset(out, 0, sizeof(*out));
	if (org_id) {
		struct org o;
		if (store_org_get(c, a, lo, org_id, &o, e) < 0)
			goto out;
		lo = o.path;
	}
	out->items = arena_alloc(a, (size_t)per_page * sizeof(*out->items));
	if (q_prepare(&q, c->db, SQL_LIST, e) < 0)
		goto out;
	q_text(&q, lo);
	q_text(&q, store_path_hi(a, lo));
	q_int(&q, per_page);
	q_int(&q, (int64_t)(page - 1) * per_page);
	while ((r = q_step(&q, e)) == 1 && out->n < (size_t)per_page) {
		read_user(&q, a, &out->items[out->n++]);
		out->total = q_col_int(&q, 12);
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_INSERT[] =
	"INSERT INTO users (username, display_name, password_hash, role, org_id, member_id, disabled,"
	" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_NAME_TAKEN[] = "SELECT id FROM users WHERE username = ?";

int store_user_insert(struct sconn *c, struct user *u, const char *password_hash, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	if (q_prepare(&q, c->db, SQL_NAME_TAKEN, e) < 0)
		goto out;
	q_text(&q, u->username);
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 1) {
		err_set(e, ERR_CONFLICT, "conflict", "用户名“%s”已被使用", u->username);
		goto out;
	}
	q_finish(&q);
	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	q_text(&q, u->username);
	q_text(&q, u->display_name);
	q_text(&q, password_hash);
	q_text(&q, enum_json(user_role_enum, u->role));
	q_int(&q, u->org_id);
	q_id(&q, u->member_id);
	q_int(&q, u->disabled);
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	u->id = q_col_int(&q, 0);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_UPDATE[] =
	"UPDATE users SET display_name = ?, role = ?, org_id = ?, member_id = ?, disabled = ?,"
	" updated_at = ? WHERE id = ?";
static const char SQL_SET_PW[] = "UPDATE users SET password_hash = ? WHERE id = ?";

int store_user_update(struct sconn *c, const struct user *u, const char *password_hash, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	q_text(&q, u->display_name);
	q_text(&q, enum_json(user_role_enum, u->role));
	q_int(&q, u->org_id);
	q_id(&q, u->member_id);
	q_int(&q, u->disabled);
	q_text(&q, now);
	q_int(&q, u->id);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	if (password_hash) {
		if (q_prepare(&q, c->db, SQL_SET_PW, e) < 0)
			goto out;
		q_text(&q, password_hash);
		q_int(&q, u->id);
		if (q_step(&q, e) < 0)
			goto out;
	}
	store_auth_changed(c, NULL);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_LOCK[] = "UPDATE users SET locked_until = ? WHERE id = ?";
static const char SQL_FAIL_ADD[] = "INSERT INTO login_failures (user_id, at) VALUES (?, ?)";
static const char SQL_FAIL_COUNT[] = "SELECT COUNT(*) FROM login_failures WHERE user_id = ? AND at > ?";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE user_id = ?";

static int exec_ii(struct sconn *c, const char *sql, int64_t a1, int64_t a2, int nargs, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (q_prepare(&q, c->db, sql, e) < 0)
		return -1;
	q_int(&q, a1);
	if (nargs > 1)
		q_int(&q, a2);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

int store_user_set_lock(struct sconn *c, int64_t user_id, int64_t until, struct err *e)
{
	if (exec_ii(c, SQL_LOCK, until, user_id, 2, e) < 0)
		return -1;
	store_auth_changed(c, NULL);
	return 0;
}

int store_login_failure_add(struct sconn *c, int64_t user_id, int64_t at, struct err *e)
{
	return exec_ii(c, SQL_FAIL_ADD, user_id, at, 2, e);
}

int store_login_failures_since(struct sconn *c, int64_t user_id, int64_t since, int *n_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_FAIL_COUNT, e) < 0)
		return -1;
	q_int(&q, user_id);
	q_int(&q, since);
	r = q_step(&q, e);
	if (r == 1)
		*n_out = (int)q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

int store_login_failures_clear(struct sconn *c, int64_t user_id, struct err *e)
{
	return exec_ii(c, SQL_FAIL_CLEAR, user_id, 0, 1, e);
}

/* ---- sessions --------------------------------------------------------- */

static const char SQL_SESSION_ADD[] =
	"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen) VALUES (?, ?, ?, ?, ?)";
/* A session's last_seen is written at most this often; the cache serves within it. */
#define TOUCH_SECS 60

static const char SQL_SESSION_GET[] =
	"SELECT s.csrf_token, s.last_seen, " USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id"
	" JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_seen = ? WHERE token_hash = ?";
static const char SQL_SESSION_DEL[] = "DELETE FROM sessions WHERE token_hash = ?";
static const char SQL_SESSION_DEL_USER[] = "DELETE FROM sessions WHERE user_id = ?";
static const char SQL_SESSION_EXPIRE[] = "DELETE FROM sessions WHERE user_id = ? AND last_seen < ?";

static void token_hash(const struct store *s, const char *token, char out[65])
{
	crypto_hmac_sm3_hex(s->keys.session, sizeof(s->keys.session), token, strlen(token), out);
}

int store_session_create(struct sconn *c, int64_t user_id, int64_t now, char token_out[65], char csrf_out[65],
			 struct err *e)
{
	unsigned char raw[32];
	char hash[65];
	struct q q = Q_INIT;
	int rc = -1;

	if (crypto_random(raw, sizeof(raw)) < 0)
		return err_set(e, ERR_INTERNAL, NULL, "随机数生成失败");
	crypto_hex(raw, sizeof(raw), token_out);
	if (crypto_random(raw, sizeof(raw)) < 0)
		return err_set(e, ERR_INTERNAL, NULL, "随机数生成失败");
	crypto_hex(raw, sizeof(raw), csrf_out);
	token_hash(c->s, token_out, hash);
	/* Housekeeping: this user's long-idle sessions go (a day is far past any idle limit). */
	if (exec_ii(c, SQL_SESSION_EXPIRE, user_id, now - 86400, 2, e) < 0)
		goto out;
	if (q_prepare(&q, c->db, SQL_SESSION_ADD, e) < 0)
		goto out;
	q_text(&q, hash);
	q_int(&q, user_id);
	q_text(&q, csrf_out);
	q_int(&q, now);
	q_int(&q, now);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_session_lookup(struct sconn *c, struct arena *a, const char *token, int64_t now, int64_t idle_secs,
			 struct user *out, char **csrf_out, struct err *e)
{
	struct q q = Q_INIT;
	char hash[65];
	int64_t last_seen;
	uint64_t gen;
	bool reading;
	int rc = -1, r;

	token_hash(c->s, token, hash);
	if (scache_get(c->s->sessions, hash, now, idle_secs < TOUCH_SECS ? idle_secs : TOUCH_SECS, a, out,
		       csrf_out))
		return 0;
	gen = scache_gen(c->s->sessions);
	if (q_prepare(&q, c->db, SQL_SESSION_GET, e) < 0)
		goto out;
	q_text(&q, hash);
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_UNAUTHORIZED, NULL, "请先登录");
		goto out;
	}
	*csrf_out = q_col_dup(&q, 0, a);
	last_seen = q_col_int(&q, 1);
	{
		/* USER_COLS start at column 2: read them through a shifted view. */
		struct user *u = out;
		char when[21];
		memset(u, 0, sizeof(*u));
		u->id = q_col_int(&q, 2);
		u->username = q_col_dup(&q, 3, a);
		u->display_name = q_col_dup(&q, 4, a);
		u->role = enum_from_json(user_role_enum, q_col_text(&q, 5));
		u->org_id = q_col_int(&q, 6);
		u->org_name = q_col_dup(&q, 7, a);
		u->org_path = q_col_dup(&q, 8, a);
		u->member_id = q_null_at(&q, 9) ? 0 : q_col_int(&q, 9);
		u->disabled = q_col_int(&q, 10) != 0;
		if (q_col_int(&q, 11) > 0) {
			clock_rfc3339(q_col_int(&q, 11), when);
			u->locked_until = arena_strdup(a, when);
		}
	}
	q_finish(&q);
	/* The writes below are short transactions of their own, not part of a request's read. */
	reading = c->in_read;
	if (now - last_seen > idle_secs || out->disabled || now - last_seen >= TOUCH_SECS)
		store_read_end(c);
	if (now - last_seen > idle_secs || out->disabled) {
		store_session_delete(c, token, e);
		err_clear(e);
		err_set(e, ERR_UNAUTHORIZED, "session_expired", "登录已超时，请重新登录");
		goto out;
	}
	/* Touch at most once a minute: most requests stay read-only. */
	if (now - last_seen >= TOUCH_SECS) {
		if (q_prepare(&q, c->db, SQL_SESSION_TOUCH, e) < 0)
			goto out;
		q_int(&q, now);
		q_text(&q, hash);
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
		last_seen = now;
		if (reading && store_read_begin(c, e) < 0)
			goto out;
	}
	scache_put(c->s->sessions, gen, hash, out, *csrf_out, last_seen);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_session_delete(struct sconn *c, const char *token, struct err *e)
{
	struct q q = Q_INIT;
	char hash[65];
	int rc;

	token_hash(c->s, token, hash);
	if (q_prepare(&q, c->db, SQL_SESSION_DEL, e) < 0)
		return -1;
	q_text(&q, hash);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	store_auth_changed(c, hash);
	return rc;
}

int store_sessions_delete_user(struct sconn *c, int64_t user_id, struct err *e)
{
	if (exec_ii(c, SQL_SESSION_DEL_USER, user_id, 0, 1, e) < 0)
		return -1;
	store_auth_changed(c, NULL);
	return 0;
}
