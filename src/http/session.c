/*
 * session.c: logging in and out, the current session, and changing one's
 * own password. Five failed logins within the window lock the account for
 * the lock period; the lock and every login are audited.
 */
#include "util/common.h"
#include "core/password.h"
#include "http/member_json.h"
#include "http/params.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/crypto.h"

#include <pthread.h>

/*
 * A real hash at the configured cost, made once, so that a login for an
 * unknown name costs as much as a wrong password and timing does not tell
 * which names exist.
 */
static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static unsigned dummy_iterations;

static void make_dummy(void)
{
	dummy_hash = crypto_password_hash("dangjian-no-such-user", dummy_iterations);
}

/* today: the server's calendar day (China Standard Time), which the console's date fields default to. */
static json_t *session_body(const struct user *u, const char *csrf, const char *today)
{
	return json_pack("{s:o,s:s,s:s}", "user", user_json(u), "csrf_token", csrf, "today", today);
}

static int record_failure(struct http_req *req, const struct user *u, int64_t now, struct err *e)
{
	const struct server_config *cfg = req->cfg;
	struct actor who = { u->id, u->username };
	int n = 0;

	if (store_begin(req->db, e) < 0 || store_login_failure_add(req->db, u->id, now, e) < 0 ||
	    store_login_failures_since(req->db, u->id, now - cfg->lockout_window_minutes * 60, &n, e) < 0 ||
	    store_audit(req->db, &who, "session.login_failed", "user", u->id, NULL, NULL, e) < 0)
		return -1;
	if (n >= cfg->lockout_failures) {
		int64_t until = now + cfg->lockout_minutes * 60;
		char after[64];
		snprintf(after, sizeof(after), "{\"locked_until\":%lld,\"failures\":%d}", (long long)until,
			 n);
		if (store_user_set_lock(req->db, u->id, until, e) < 0 ||
		    store_login_failures_clear(req->db, u->id, e) < 0 ||
		    store_audit(req->db, &who, "user.lock", "user", u->id, NULL, after, e) < 0)
			return -1;
	}
	if (store_commit(req->db, e) < 0)
		return -1;
	if (n >= cfg->lockout_failures)
		return err_set(e, ERR_LOCKED, "account_locked", "连续%d次登录失败，账号已锁定%d分钟", n,
			       cfg->lockout_minutes);
	return err_set(e, ERR_UNAUTHORIZED, "login_failed", "用户名或密码错误");
}

/* POST /api/v1/session {username, password} -> 200 {user, csrf_token, today} | 401 | 429 */
static int h_login(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "username", "password", NULL };
	const char *username = NULL, *password = NULL;
	struct user u;
	char *hash = NULL, token[65], csrf[65];
	int64_t locked_until = 0, now = clock_epoch();
	struct actor who;
	int ok;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	json_get_str(req->json, "username", 64, &username, e);
	json_get_str(req->json, "password", 128, &password, e);
	if (err_is_set(e))
		return -1;
	if (!username || !*username || !password || !*password)
		return err_set(e, ERR_UNAUTHORIZED, "login_failed", "请输入用户名和密码");
	if (store_user_by_name(req->db, req->arena, username, &u, &hash, &locked_until, e) < 0) {
		if (e->kind != ERR_NOT_FOUND)
			return -1;
		err_clear(e);
		dummy_iterations = store_pbkdf2_iterations(req->store);
		pthread_once(&dummy_once, make_dummy);
		crypto_password_verify(password, dummy_hash);
		return err_set(e, ERR_UNAUTHORIZED, "login_failed", "用户名或密码错误");
	}
	if (locked_until > now)
		return err_set(e, ERR_LOCKED, "account_locked", "账号已锁定，请在%lld分钟后重试",
			       (long long)((locked_until - now + 59) / 60));
	ok = crypto_password_verify(password, hash);
	if (ok != 1)
		return record_failure(req, &u, now, e);
	if (u.disabled)
		return err_set(e, ERR_FORBIDDEN, "account_disabled", "账号已停用，请联系管理员");

	who.user_id = u.id;
	who.name = u.username;
	if (store_begin(req->db, e) < 0 || store_login_failures_clear(req->db, u.id, e) < 0 ||
	    (locked_until && store_user_set_lock(req->db, u.id, 0, e) < 0))
		return -1;
	if (crypto_password_iterations(hash) != store_pbkdf2_iterations(req->store)) {
		/* The configured cost changed: re-hash while we have the password. */
		char *nh = crypto_password_hash(password, store_pbkdf2_iterations(req->store));
		int r = store_user_update(req->db, &u, nh, e);
		free(nh);
		if (r < 0)
			return -1;
	}
	if (store_session_create(req->db, u.id, now, token, csrf, e) < 0 ||
	    store_audit(req->db, &who, "session.login", "user", u.id, NULL, NULL, e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	http_reply_header(
		rep, "Set-Cookie",
		arena_printf(req->arena, "%s=%s; HttpOnly; SameSite=Strict; Path=/", SESSION_COOKIE, token));
	return http_reply_json(rep, 200, session_body(&u, csrf, req->today));
}

/* GET /api/v1/session -> 200 {user, csrf_token, today} | 401 */
static int h_current(struct http_req *req, struct http_reply *rep, struct err *e)
{
	UNUSED(e);
	return http_reply_json(rep, 200, session_body(req->user, req->csrf_token, req->today));
}

/* DELETE /api/v1/session -> 204 */
static int h_logout(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct actor who = req_actor(req);

	if (store_begin(req->db, e) < 0 || store_session_delete(req->db, req->session_token, e) < 0 ||
	    store_audit(req->db, &who, "session.logout", "user", req->user->id, NULL, NULL, e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	http_reply_header(rep, "Set-Cookie",
			  SESSION_COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
	rep->status = 204;
	return 0;
}

/* POST /api/v1/session/password {old_password, new_password} -> 204 | 422 */
static int h_password(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "old_password", "new_password", NULL };
	const char *old_pw = NULL, *new_pw = NULL, *why;
	struct user u;
	char *hash = NULL, *nh;
	int64_t locked;
	struct actor who = req_actor(req);
	int r;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	json_get_str(req->json, "old_password", 128, &old_pw, e);
	json_get_str(req->json, "new_password", 128, &new_pw, e);
	if (err_is_set(e))
		return -1;
	if (store_user_by_name(req->db, req->arena, req->user->username, &u, &hash, &locked, e) < 0)
		return -1;
	if (!old_pw || crypto_password_verify(old_pw, hash) != 1)
		return err_field(e, "old_password", "原密码不正确");
	if (!new_pw || (why = password_policy_check(new_pw)))
		return err_field(e, "new_password", "%s", new_pw ? why : "请输入新密码");
	nh = crypto_password_hash(new_pw, store_pbkdf2_iterations(req->store));
	r = store_begin(req->db, e) < 0 || store_user_update(req->db, &u, nh, e) < 0 ||
	    store_audit(req->db, &who, "user.password", "user", u.id, NULL, NULL, e) < 0 ||
	    store_commit(req->db, e) < 0;
	free(nh);
	if (r)
		return -1;
	rep->status = 204;
	return 0;
}

const struct route session_routes[] = {
	{ "POST", "/api/v1/session", h_login, ROUTE_PUBLIC | ROUTE_NO_CSRF, 0 },
	{ "GET", "/api/v1/session", h_current, 0, 0 },
	{ "DELETE", "/api/v1/session", h_logout, 0, 0 },
	{ "POST", "/api/v1/session/password", h_password, 0, 0 },
	{ NULL, NULL, NULL, 0, 0 },
};
