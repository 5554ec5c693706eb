/*
 * router.c: joins the resources' route tables, matches a request to a
 * route, and runs the checks every route shares (session, CSRF,
 * permission, JSON body) before the handler.
 */
#include "util/common.h"
#include "http/routes.h"
#include "http/reply.h"
#include "http/server.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/utf8.h"

#include <openssl/crypto.h>

static const struct route *const route_tables[] = {
	meta_routes,         session_routes,        org_routes,
	member_io_routes,    member_routes,         user_routes,
	audit_routes,        dues_routes,           dues_book_routes,
	dues_online_routes,  dues_reconcile_routes, meeting_routes,
	meeting_file_routes, compliance_routes,     alert_routes,
	applicant_routes,    development_routes,    transfer_routes,
	mobile_routes,       member_state_routes,   sanction_routes,
};

/* Matches "/api/v1/members/{id}" against a path; fills integer params. */
static bool match_pattern(const char *pat, const char *path, struct http_req *req)
{
	int n = 0;

	while (*pat && *path) {
		if (*pat == '{') {
			char *end;
			long long v;
			if (!(*path >= '0' && *path <= '9'))
				return false;
			errno = 0;
			v = strtoll(path, &end, 10);
			if (errno || v <= 0 || n >= 4)
				return false;
			if (req)
				req->params[n] = v;
			n++;
			path = end;
			pat = strchr(pat, '}');
			if (!pat)
				BUG("bad route pattern");
			pat++;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	if (*pat || *path)
		return false;
	if (req)
		req->nparams = n;
	return true;
}

const struct route *router_match(const char *method, const char *path, struct http_req *req, bool *path_known)
{
	*path_known = false;
	for (size_t t = 0; t < ARRAY_SIZE(route_tables); t++) {
		for (const struct route *r = route_tables[t]; r->method; r++) {
			if (!match_pattern(r->pattern, path, NULL))
				continue;
			*path_known = true;
			if (!strcmp(r->method, method) ||
			    (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"))) {
				match_pattern(r->pattern, path, req);
				return r;
			}
		}
	}
	return NULL;
}

static int authenticate(struct http_req *req, struct err *e)
{
	const char *token = req->cookie ? req->cookie(req, SESSION_COOKIE) : NULL;
	struct user *u;
	char *csrf = NULL;

	if (!token || strlen(token) != 64)
		return err_set(e, ERR_UNAUTHORIZED, NULL, "请先登录");
	u = arena_zalloc(req->arena, sizeof(*u));
	if (store_session_lookup(req->db, req->arena, token, clock_epoch(),
				 (int64_t)req->cfg->session_idle_minutes * 60, u, &csrf, e) < 0)
		return -1;
	req->user = u;
	req->session_token = token;
	req->csrf_token = csrf;
	return 0;
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static int check_csrf(struct http_req *req, struct err *e)
{
	const char *sent = req->header ? req->header(req, "X-CSRF-Token") : NULL;

	if (!sent || strlen(sent) != strlen(req->csrf_token) ||
	    CRYPTO_memcmp(sent, req->csrf_token, strlen(sent)) != 0)
		return err_set(e, ERR_FORBIDDEN, "csrf_failed", "CSRF校验失败，请刷新页面后重试");
	return 0;
}

static void json_release(void *p)
{
	json_decref(p);
}

static int parse_body(struct http_req *req, struct err *e)
{
	json_error_t jerr;
	json_t *j;
	size_t bad;

	if (req->body_len == 0) {
		req->json = json_object();
		arena_cleanup(req->arena, json_release, req->json);
		return 0;
	}
	if (!utf8_valid(req->body, req->body_len, &bad))
		return err_set(e, ERR_BAD_REQUEST, "invalid_utf8", "请求体不是有效的UTF-8编码（第%zu字节）",
			       bad + 1);
	j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return err_set(e, ERR_BAD_REQUEST, "invalid_json", "请求体不是有效的JSON：第%d行第%d列（%s）",
			       jerr.line, jerr.column, jerr.text);
	arena_cleanup(req->arena, json_release, j);
	if (!json_is_object(j))
		return err_set(e, ERR_BAD_REQUEST, "invalid_json", "请求体应为JSON对象");
	req->json = j;
	return 0;
}

/* One run of a route: connection, session, checks, handler. *commits: the connection's count before. */
static int attempt(const struct route *r, struct http_req *req, struct http_reply *rep, uint64_t *commits,
		   struct err *e)
{
	req->db = store_conn(req->store, e);
	if (!req->db)
		return -1;
	*commits = store_commits(req->db);
	/* A reading request sees one snapshot and takes the database's locks once, its session
	 * lookup included. */
	if (!is_write(req->method) && store_read_begin(req->db, e) < 0)
		return -1;
	if (!(r->flags & ROUTE_PUBLIC)) {
		if (authenticate(req, e) < 0)
			return -1;
		if (is_write(req->method) && !(r->flags & ROUTE_NO_CSRF) && check_csrf(req, e) < 0)
			return -1;
		if (r->perm && !(role_perms(req->user->role) & r->perm))
			return err_set(e, ERR_FORBIDDEN, NULL, "没有权限执行此操作");
	}
	if (!(r->flags & ROUTE_RAW_BODY) && is_write(req->method) && parse_body(req, e) < 0)
		return -1;
	rep->status = 500;
	return r->handler(req, rep, e);
}

/* What a failed attempt may have left in the reply. */
static void reply_reset(struct http_reply *rep)
{
	json_decref(rep->json);
	rep->json = NULL;
	free(rep->body);
	rep->body = NULL;
	rep->body_len = 0;
	rep->content_type = NULL;
	rep->nheaders = 0;
	rep->status = 500;
}

void router_dispatch(const struct route *r, struct http_req *req, struct http_reply *rep)
{
	struct err e = ERR_INIT;
	int y, m, d;

	clock_today(&y, &m, &d);
	req->today = arena_printf(req->arena, "%04d-%02d-%02d", y, m, d);
	for (int tries = 1;; tries++) {
		uint64_t commits = 0;
		int rc = attempt(r, req, rep, &commits, &e);

		if (req->db) {
			store_read_end(req->db);
			store_rollback(req->db); /* a handler that forgot to commit changes nothing */
		}
		if (rc == 0) {
			err_release(&e);
			return;
		}
		/* The database link broke (a restart, a failover, a killed session): a read that wrote
		 * nothing (a reveal writes its audit row) runs once more on a new connection; anything
		 * else answers 503 and the user decides. */
		if (tries > 1 || is_write(req->method) || e.kind != ERR_UNAVAILABLE || !req->db ||
		    !store_conn_lost(req->db) || store_commits(req->db) != commits)
			break;
		log_warn("http", "database link lost; reading again on a new connection");
		err_clear(&e);
		reply_reset(rep);
	}
	reply_error(rep, &e, req);
	err_release(&e);
}
