/*
 * members.c: the member registry resource: search and page through the
 * caller's subtree, read one (masked, or revealed with permission and an
 * audit row), create, change (moves recorded in the history), delete a
 * mistaken record, and the member's history.
 */
#include "util/common.h"
#include "core/idcard.h"
#include "http/member_json.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

/* A copy whose identity and phone numbers are masked (for replies and audit rows). */
static struct member masked(const struct member *m, struct arena *a)
{
	struct member c = *m;

	if (m->id_card && strlen(m->id_card) == 18 && !strchr(m->id_card, '*')) {
		char *buf = arena_alloc(a, 19);
		idcard_mask(m->id_card, buf);
		c.id_card = buf;
	}
	if (m->phone && !strchr(m->phone, '*')) {
		char *buf = arena_alloc(a, 24);
		phone_mask(m->phone, buf, 24);
		c.phone = buf;
	}
	return c;
}

static const char *audit_json(struct http_req *req, const struct member *m)
{
	struct member c = masked(m, req->arena);
	struct jsonw w = JSONW_INIT;
	const char *s;

	member_jsonw(&w, &c, req_today(req));
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

static int reply_one(struct http_req *req, struct http_reply *rep, int status, const struct member *m)
{
	struct jsonw w = JSONW_INIT;

	member_jsonw(&w, m, req_today(req));
	return reply_jsonw(rep, status, &w);
}

/* GET /api/v1/members?org&q&status&category&gender&id_card&state&page&per_page&after -> 200 list */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member_query mq = { 0 };
	struct member_page p;
	struct date today = req_today(req);
	const char *idc = NULL, *state = NULL;
	struct jsonw w = JSONW_INIT;

	mq.scope = req_scope(req);
	if (param_int(req, "org", 0, 0, INT64_MAX, &mq.org_id, e) < 0 ||
	    param_str(req, "q", 150, &mq.q, e) < 0 ||
	    param_enum(req, "status", status_enum, &mq.status, e) < 0 ||
	    param_enum(req, "category", category_enum, &mq.category, e) < 0 ||
	    param_enum(req, "gender", gender_enum, &mq.gender, e) < 0 ||
	    param_str(req, "id_card", 32, &idc, e) < 0 || param_str(req, "state", 32, &state, e) < 0 ||
	    param_page(req, &mq.page, &mq.per_page, &mq.after, e) < 0)
		return -1;
	/* No state: the counted members (active and lost); `all`: every record. */
	if (state && !strcmp(state, "all"))
		mq.state = MSTATE_ALL;
	else if (state && !(mq.state = enum_from_json(member_state_enum, state)))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 state 的取值无效");
	/* after=0 starts a keyset walk from the beginning; no `after` means page numbers. */
	mq.keyset = req->query && req->query(req, "after") && *req->query(req, "after");
	if (idc) {
		struct idcard_info info;
		const char *why;
		if (idcard_parse(idc, true, today, &info, &why) < 0)
			return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 id_card：%s", why);
		mq.id_card = arena_strdup(req->arena, info.number);
	}
	if (mq.q) {
		char buf[256];
		member_normalize_name(mq.q, buf, sizeof(buf));
		mq.q = arena_strdup(req->arena, buf);
	}
	if (store_member_list(req->db, req->arena, &mq, &p, e) < 0)
		return -1; /* an org outside the scope is a 404 */
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < p.n; i++)
		member_jsonw(&w, &p.items[i], today);
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", p.total);
	jsonw_kv_int(&w, "page", mq.page);
	jsonw_kv_int(&w, "per_page", mq.per_page);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* The member with id in the caller's reach: their subtree, or themselves for PERM_SELF. */
static int load(struct http_req *req, int64_t id, bool reveal, struct member *m, struct err *e)
{
	if (!user_can(req->user, PERM_MEMBER_READ)) {
		if (!user_can(req->user, PERM_SELF) || req->user->member_id != id)
			return err_set(e, ERR_NOT_FOUND, NULL, "党员不存在");
		return store_member_get(req->db, req->arena, NULL, id, reveal, m, e);
	}
	return store_member_get(req->db, req->arena, req_scope(req), id, reveal, m, e);
}

/* GET /api/v1/members/{id}[?reveal=1] -> 200 member | 403 | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	bool reveal = param_flag(req, "reveal");
	struct member m;

	if (reveal && !user_can(req->user, PERM_REVEAL))
		return err_set(e, ERR_FORBIDDEN, NULL, "没有查看完整证件号码的权限");
	if (load(req, req->params[0], reveal, &m, e) < 0)
		return -1;
	if (reveal) {
		struct actor who = req_actor(req);
		if (store_begin(req->db, e) < 0 ||
		    store_audit(req->db, &who, "member.reveal", "member", m.id, NULL, NULL, e) < 0 ||
		    store_commit(req->db, e) < 0)
			return -1;
	}
	return reply_one(req, rep, 200, &m);
}

static int validate(struct http_req *req, struct member *m, struct err *e)
{
	struct member_rules rules;
	struct org o;

	member_rules_default(&rules);
	rules.min_join_age = req->cfg->min_join_age;
	member_validate(m, &rules, req_today(req), e);
	if (m->org_id && !err_field_message(e, "org_id")) {
		struct err oe = ERR_INIT;
		if (store_org_get(req->db, req->arena, req_scope(req), m->org_id, &o, &oe) < 0) {
			if (oe.kind == ERR_NOT_FOUND)
				err_field(e, "org_id", "所在党组织不存在");
			else if (!err_is_set(e))
				*e = oe;
		}
	}
	if (err_is_set(e))
		return -1;
	if (m->id_card) {
		/* Store the normalised number (upper-case X, 15-digit forms converted). */
		struct idcard_info info;
		const char *why;
		if (idcard_parse(m->id_card, false, req_today(req), &info, &why) == 0)
			m->id_card = arena_strdup(req->arena, info.number);
	}
	return 0;
}

static int reply_member(struct http_req *req, struct http_reply *rep, int status, int64_t id, struct err *e)
{
	struct member m;

	if (store_member_get(req->db, req->arena, NULL, id, false, &m, e) < 0)
		return -1;
	return reply_one(req, rep, status, &m);
}

/* POST /api/v1/members {member} -> 201 member | 409 duplicate_id_card | 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m = { 0 };
	struct actor who = req_actor(req);

	/* A bad value still lets validation name every other bad field in the same reply. */
	if (member_apply_json(req->json, &m, req->arena, e) < 0 && e->kind != ERR_VALIDATION)
		return -1;
	if (validate(req, &m, e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 || store_member_insert(req->db, &m, e) < 0 ||
	    store_member_history_add(req->db, &who, m.id, "created", 0, m.org_id, "建档", e) < 0 ||
	    store_audit(req->db, &who, "member.create", "member", m.id, NULL, audit_json(req, &m), e) < 0 ||
	    reply_member(req, rep, 201, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* PATCH /api/v1/members/{id} {fields} -> 200 member | 404 | 409 | 422 */
static int h_update(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m, old;
	struct actor who = req_actor(req);
	const char *before, *after;

	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], true, &m, e) < 0)
		return -1;
	old = m;
	before = audit_json(req, &old);
	if (member_apply_json(req->json, &m, req->arena, e) < 0 && e->kind != ERR_VALIDATION)
		return -1;
	if (validate(req, &m, e) < 0)
		return -1;
	after = audit_json(req, &m);
	if (store_begin(req->db, e) < 0 || store_member_update(req->db, &m, e) < 0)
		return -1;
	if (m.org_id != old.org_id &&
	    store_member_history_add(req->db, &who, m.id, "moved", old.org_id, m.org_id, "组织调整", e) < 0)
		return -1;
	if (m.status != old.status &&
	    store_member_history_add(req->db, &who, m.id, "status", 0, 0,
				     arena_printf(req->arena, "%s → %s", enum_label(status_enum, old.status),
						  enum_label(status_enum, m.status)),
				     e) < 0)
		return -1;
	if (store_audit(req->db, &who, m.org_id != old.org_id ? "member.move" : "member.update", "member",
			m.id, before, after, e) < 0 ||
	    reply_member(req, rep, 200, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* DELETE /api/v1/members/{id} -> 204 | 403 | 404 */
static int h_delete(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m;
	struct actor who = req_actor(req);
	const char *before;

	if (req->user->role != UROLE_ADMIN && req->user->role != UROLE_ORG_ADMIN)
		return err_set(e, ERR_FORBIDDEN, NULL, "只有党务工作者可以删除党员档案");
	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], false, &m, e) < 0)
		return -1;
	before = audit_json(req, &m);
	if (store_begin(req->db, e) < 0 || store_member_delete(req->db, m.id, e) < 0 ||
	    store_audit(req->db, &who, "member.delete", "member", m.id, before, NULL, e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	rep->status = 204;
	return 0;
}

/* GET /api/v1/members/{id}/history -> 200 {items:[event...]} | 404 */
static int h_history(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m;
	struct member_event *ev;
	size_t n;
	json_t *items;

	if (load(req, req->params[0], false, &m, e) < 0 ||
	    store_member_history(req->db, req->arena, m.id, &ev, &n, e) < 0)
		return -1;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_pack("{s:s,s:s,s:s,s:s}", "at", ev[i].at, "actor", ev[i].actor, "action",
				      ev[i].action, "detail", ev[i].detail);
		json_object_set_new(x, "from_org",
				    ev[i].from_org ? json_string(ev[i].from_org) : json_null());
		json_object_set_new(x, "to_org", ev[i].to_org ? json_string(ev[i].to_org) : json_null());
		json_array_append_new(items, x);
	}
	return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

const struct route member_routes[] = {
	{ "GET", "/api/v1/members", h_list, 0, PERM_MEMBER_READ },
	{ "POST", "/api/v1/members", h_create, 0, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/members/{id}", h_get, 0, PERM_MEMBER_READ | PERM_SELF },
	{ "PATCH", "/api/v1/members/{id}", h_update, 0, PERM_MEMBER_WRITE },
	{ "DELETE", "/api/v1/members/{id}", h_delete, 0, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/members/{id}/history", h_history, 0, PERM_MEMBER_READ | PERM_SELF },
	{ NULL, NULL, NULL, 0, 0 },
};
