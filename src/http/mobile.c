/*
 * mobile.c: mobile members (流动党员, RULES.md 4.2): a member away without
 * transferring their relation is registered as out (流出) with where they
 * went and the inflow organisation (流入地) that helps manage them, edited
 * while out, and closed on return. Both sides see the record.
 */
#include "util/common.h"
#include "core/lifecycle.h"
#include "core/member.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

static void kv_date(struct jsonw *w, const char *k, struct date d)
{
	char buf[11];

	jsonw_key(w, k);
	if (!date_is_set(d)) {
		jsonw_null(w);
		return;
	}
	date_format(d, buf);
	jsonw_str(w, buf);
}

/*
 * The contact while away is usually the member's phone number: sealed in the
 * store and shown masked as member phone numbers are (digits but the first 3
 * and last 4), unless revealed with the permission. A record being written
 * has its plain contact: masked here; a listed one only the store's masked copy.
 * Returns arena text or NULL.
 */
static const char *contact_masked(struct arena *a, const struct mobile_member *m)
{
	char *out;
	size_t cap;

	if (!m->contact)
		return m->contact_masked;
	cap = strlen(m->contact) + 1;
	out = arena_alloc(a, cap);
	phone_mask(m->contact, out, cap);
	return out;
}

static void mobile_jsonw(struct jsonw *w, struct arena *a, const struct mobile_member *m, bool reveal)
{
	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", m->id);
	jsonw_kv_int(w, "member_id", m->member_id);
	jsonw_kv_str(w, "member_name", m->member_name);
	jsonw_kv_int(w, "org_id", m->org_id);
	jsonw_kv_str(w, "org_name", m->org_name);
	jsonw_kv_str(w, "state", m->state);
	jsonw_kv_str(w, "state_label", m->state && !strcmp(m->state, "returned") ? "已返回" : "外出");
	kv_date(w, "out_on", m->out_on);
	jsonw_kv_str(w, "destination", m->destination);
	jsonw_kv_str(w, "contact", reveal ? m->contact : contact_masked(a, m));
	jsonw_kv_str(w, "reason", m->reason);
	jsonw_kv_str(w, "certificate_no", m->certificate_no);
	jsonw_key(w, "inflow_org_id");
	if (m->inflow_org_id)
		jsonw_int(w, m->inflow_org_id);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "inflow_org_name", m->inflow_org_name);
	jsonw_kv_str(w, "inflow_text", m->inflow_text);
	kv_date(w, "expected_return", m->expected_return);
	kv_date(w, "returned_on", m->returned_on);
	jsonw_kv_str(w, "created_by", m->created_by);
	jsonw_kv_str(w, "created_at", m->created_at);
	jsonw_kv_str(w, "updated_at", m->updated_at);
	jsonw_object_end(w);
}

static const char *audit_text(struct http_req *req, const struct mobile_member *m)
{
	struct jsonw w = JSONW_INIT;
	const char *s;

	mobile_jsonw(&w, req->arena, m, false);
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

static int reply_mobile(struct http_req *req, struct http_reply *rep, int status, int64_t id, struct err *e)
{
	struct mobile_member m;
	struct jsonw w = JSONW_INIT;

	if (store_mobile_get(req->db, req->arena, "/", id, &m, e) < 0)
		return -1;
	mobile_jsonw(&w, req->arena, &m, false);
	return reply_jsonw(rep, status, &w);
}

/* GET /api/v1/mobile-members?org&state&page&per_page -> 200 list (outflow and inflow sides) */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct mobile_query mq = { 0 };
	struct mobile_member *items;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id, total;
	size_t n;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_str(req, "state", 10, &mq.state, e) < 0 ||
	    param_page(req, &mq.page, &mq.per_page, NULL, e) < 0)
		return -1;
	if (mq.state && strcmp(mq.state, "out") && strcmp(mq.state, "returned"))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 state 应为 out 或 returned");
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	mq.path = o.path;
	if (store_mobile_list(req->db, req->arena, &mq, &items, &n, &total, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		mobile_jsonw(&w, req->arena, &items[i], false);
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", total);
	jsonw_kv_int(&w, "page", mq.page);
	jsonw_kv_int(&w, "per_page", mq.per_page);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* GET /api/v1/mobile-members/{id}[?reveal=1] -> 200 mobile | 403 | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	bool reveal = param_flag(req, "reveal");
	struct mobile_member m;
	struct jsonw w = JSONW_INIT;

	if (reveal && !user_can(req->user, PERM_REVEAL))
		return err_set(e, ERR_FORBIDDEN, NULL, "没有查看完整联系方式的权限");
	if (store_mobile_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0)
		return -1;
	if (reveal) {
		/* Every unmasked read is audited, as for members. */
		struct actor who = req_actor(req);
		if (store_begin(req->db, e) < 0 ||
		    store_audit(req->db, &who, "mobile.reveal", "mobile_member", m.id, NULL, NULL, e) < 0 ||
		    store_commit(req->db, e) < 0)
			return -1;
	}
	mobile_jsonw(&w, req->arena, &m, reveal);
	return reply_jsonw(rep, 200, &w);
}

/* Reads the editable fields present in the body onto m. */
static int fields_from_json(struct http_req *req, struct mobile_member *m, struct err *e)
{
	json_t *obj = req->json;
	int64_t inflow = m->inflow_org_id;
	const char *stored_contact = m->contact;
	const char *stored_masked = contact_masked(req->arena, m);

	json_get_str(obj, "destination", 100, &m->destination, e);
	json_get_str(obj, "contact", 100, &m->contact, e);
	/* A form sends back the masked contact it was shown: that keeps the number. */
	if (stored_contact && m->contact && m->contact != stored_contact && stored_masked &&
	    !strcmp(m->contact, stored_masked))
		m->contact = stored_contact;
	json_get_str(obj, "inflow_text", 100, &m->inflow_text, e);
	json_get_date(obj, "expected_return", &m->expected_return, e);
	json_get_str(obj, "certificate_no", 40, &m->certificate_no, e);
	if (json_get_int(obj, "inflow_org_id", 0, INT64_MAX, &inflow, e) > 0 && inflow) {
		struct org o;
		struct err oe = ERR_INIT;
		/* The inflow organisation may be anywhere in the system (流入地 is often another unit). */
		if (store_org_get(req->db, req->arena, NULL, inflow, &o, &oe) < 0) {
			if (oe.kind != ERR_NOT_FOUND) {
				*e = oe;
				return -1;
			}
			err_field(e, "inflow_org_id", "流入地党组织不存在");
		}
	}
	m->inflow_org_id = inflow;
	if (m->contact && !*m->contact)
		m->contact = NULL;
	if (m->inflow_text && !*m->inflow_text)
		m->inflow_text = NULL;
	if (m->certificate_no && !*m->certificate_no)
		m->certificate_no = NULL;
	return err_is_set(e) ? -1 : 0;
}

static int check(struct http_req *req, const struct mobile_member *m, const struct member *mb, struct err *e)
{
	struct mobile_input in = { 0 };

	in.member_state = mb->state;
	in.joined_on = mb->joined_on;
	in.out_on = m->out_on;
	in.expected_return = m->expected_return;
	in.returned_on = m->returned_on;
	in.destination = m->destination;
	in.reason = m->reason;
	in.certificate_no = m->certificate_no;
	in.inflow_in_system = m->inflow_org_id > 0; /* MOB-03: registered there with the certificate */
	return mobile_check(&in, req_today(req), e);
}

/* POST /api/v1/mobile-members {member_id,out_on,...} -> 201 mobile | 404 | 409
 * mobile_open/duplicate_certificate | 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = {
		"member_id",      "out_on",        "destination", "contact",         "reason",
		"certificate_no", "inflow_org_id", "inflow_text", "expected_return", NULL,
	};
	struct mobile_member m = { 0 };
	struct member mb;
	struct actor who = req_actor(req);
	int64_t member_id = 0;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_int(req->json, "member_id", 1, INT64_MAX, &member_id, e) == 0)
		err_field(e, "member_id", "请选择党员");
	json_get_date(req->json, "out_on", &m.out_on, e);
	json_get_str(req->json, "reason", 200, &m.reason, e);
	if (err_is_set(e) || fields_from_json(req, &m, e) < 0)
		return -1;
	if (store_member_get(req->db, req->arena, req_scope(req), member_id, false, &mb, e) < 0 ||
	    check(req, &m, &mb, e) < 0)
		return -1;
	m.member_id = mb.id;
	m.state = "out";
	m.created_by = who.name;
	if (store_begin(req->db, e) < 0 || store_mobile_insert(req->db, &m, e) < 0 ||
	    store_audit(req->db, &who, "mobile.create", "mobile_member", m.id, NULL, audit_text(req, &m), e) <
		    0 ||
	    reply_mobile(req, rep, 201, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

static int load_open(struct http_req *req, struct mobile_member *m, struct member *mb, struct err *e)
{
	if (store_mobile_get(req->db, req->arena, req_scope(req), req->params[0], m, e) < 0)
		return -1;
	if (m->state && !strcmp(m->state, "returned"))
		return err_set(e, ERR_CONFLICT, "mobile_returned", "%s已返回，流动党员登记已结束",
			       m->member_name);
	return store_member_get(req->db, req->arena, NULL, m->member_id, false, mb, e);
}

/*
 * PATCH /api/v1/mobile-members/{id}
 * {destination,contact,certificate_no,inflow_org_id,inflow_text,expected_return}
 *   -> 200 | 404 | 409 mobile_returned/duplicate_certificate | 422
 */
static int h_update(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = {
		"destination",     "contact", "certificate_no", "inflow_org_id", "inflow_text",
		"expected_return", NULL
	};
	struct mobile_member m;
	struct member mb;
	struct actor who = req_actor(req);
	const char *before;

	if (json_only(req->json, fields, e) < 0 || load_open(req, &m, &mb, e) < 0)
		return -1;
	before = audit_text(req, &m);
	if (fields_from_json(req, &m, e) < 0 || check(req, &m, &mb, e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 || store_mobile_update(req->db, &m, e) < 0 ||
	    store_audit(req->db, &who, "mobile.update", "mobile_member", m.id, before, audit_text(req, &m),
			e) < 0 ||
	    reply_mobile(req, rep, 200, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* POST /api/v1/mobile-members/{id}/return {on} -> 200 mobile (returned) | 404 | 409 | 422 */
static int h_return(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "on", NULL };
	struct mobile_member m;
	struct member mb;
	struct actor who = req_actor(req);
	const char *before;
	struct date on = DATE_NONE;

	if (json_only(req->json, fields, e) < 0 || json_get_date(req->json, "on", &on, e) < 0 ||
	    load_open(req, &m, &mb, e) < 0)
		return -1;
	before = audit_text(req, &m);
	m.returned_on = date_is_set(on) ? on : req_today(req);
	m.state = "returned";
	if (check(req, &m, &mb, e) < 0) {
		/* mobile_check names returned_on; the body calls it `on`. */
		const char *msg = err_field_message(e, "returned_on");
		if (msg) {
			char copy[160];
			snprintf(copy, sizeof(copy), "%s", msg);
			err_clear(e);
			return err_field(e, "on", "%s", copy);
		}
		return -1;
	}
	if (store_begin(req->db, e) < 0 || store_mobile_update(req->db, &m, e) < 0 ||
	    store_audit(req->db, &who, "mobile.return", "mobile_member", m.id, before, audit_text(req, &m),
			e) < 0 ||
	    reply_mobile(req, rep, 200, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

const struct route mobile_routes[] = {
	{ "GET", "/api/v1/mobile-members", h_list, 0, PERM_MEMBER_READ },
	{ "POST", "/api/v1/mobile-members", h_create, 0, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/mobile-members/{id}", h_get, 0, PERM_MEMBER_READ },
	{ "PATCH", "/api/v1/mobile-members/{id}", h_update, 0, PERM_MEMBER_WRITE },
	{ "POST", "/api/v1/mobile-members/{id}/return", h_return, 0, PERM_MEMBER_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
