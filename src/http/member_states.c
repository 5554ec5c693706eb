/*
 * member_states.c: where a member record stands after joining (RULES.md
 * 4.3, 6.3): lost contact (失联), suspension (停止党籍) and restoration,
 * leaving the Party (出党) with its reason and approval, and the history
 * of these changes. core/lifecycle.h decides what is allowed; the store
 * keeps the figures right (only active and lost members are counted).
 */
#include "util/common.h"
#include "core/lifecycle.h"
#include "core/transfer.h"
#include "http/member_json.h"
#include "http/member_states.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

static json_t *date_json(struct date d)
{
	char buf[11];

	if (!date_is_set(d))
		return json_null();
	date_format(d, buf);
	return json_string(buf);
}

static json_t *str_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *code_label(const char *code)
{
	const char *l = NULL;

	if (code) {
		l = enum_label(exit_reason_enum, enum_from_json(exit_reason_enum, code));
		if (!l)
			l = enum_label(lost_situation_enum, enum_from_json(lost_situation_enum, code));
	}
	return l;
}

static int state_of(const struct member *m)
{
	return m->state ? m->state : MSTATE_ACTIVE;
}

/* The state part of a member, as an audit text. */
static const char *state_text(struct http_req *req, const struct member *m)
{
	return json_text(req->arena,
			 json_pack("{s:s,s:o,s:o}", "state", enum_json(member_state_enum, state_of(m)),
				   "state_on", date_json(m->state_on), "state_code",
				   str_json(m->state_code)));
}

/*
 * A rule refusal from core ("[LOST-01] ...") also names its rule at the top of
 * the error body, as docs/api.md shows for rule_violation.
 */
static int with_rule(struct err *e)
{
	const char *m = e->message, *end;

	if (strcmp(e->code, "rule_violation") || m[0] != '[' || !(end = strchr(m, ']')) || end - m > 20 ||
	    e->detail)
		return -1;
	e->detail = json_pack("{s:s%}", "rule", m + 1, (size_t)(end - m - 1));
	return -1;
}

/* The member in the caller's reach: their subtree, or (PERM_SELF) their own record. */
static int load(struct http_req *req, int64_t id, struct member *m, struct err *e)
{
	if (!user_can(req->user, PERM_MEMBER_READ)) {
		if (!user_can(req->user, PERM_SELF) || req->user->member_id != id)
			return err_set(e, ERR_NOT_FOUND, NULL, "党员不存在");
		return store_member_get(req->db, req->arena, NULL, id, false, m, e);
	}
	return store_member_get(req->db, req->arena, req_scope(req), id, false, m, e);
}

/* ---- open records of a member leaving the roll ---------------------------------------------- */

static const char *transfer_text(struct http_req *req, const struct transfer *t)
{
	return json_text(req->arena,
			 json_pack("{s:I,s:s,s:s,s:I,s:s?,s:s?}", "id", (json_int_t)t->id, "kind", t->kind,
				   "state", t->state, "member_id", (json_int_t)t->member_id, "letter_no",
				   t->letter_no, "return_reason", t->return_reason));
}

static const char *mobile_text(struct http_req *req, const struct mobile_member *m, const char *note)
{
	return json_text(req->arena, json_pack("{s:I,s:I,s:s,s:o,s:o,s:s?}", "id", (json_int_t)m->id,
					       "member_id", (json_int_t)m->member_id, "state", m->state,
					       "out_on", date_json(m->out_on), "returned_on",
					       date_json(m->returned_on), "note", note));
}

int member_close_open_records(struct http_req *req, const struct actor *who, int64_t member_id, int to_state,
			      struct date on, int64_t keep_transfer, struct err *e)
{
	const char *why = to_state == MSTATE_LEFT        ? "党员已出党"
			  : to_state == MSTATE_SUSPENDED ? "党员已停止党籍"
							 : "党员组织关系已转出";
	struct mobile_member mob;
	int64_t pending;
	bool out;

	assert(to_state == MSTATE_LEFT || to_state == MSTATE_SUSPENDED || to_state == MSTATE_TRANSFERRED);
	if (store_transfer_pending(req->db, member_id, &pending, e) < 0)
		return -1;
	if (pending && pending != keep_transfer) {
		struct transfer t;
		const char *before;
		int next;
		if (store_transfer_get(req->db, req->arena, "/", pending, &t, e) < 0)
			return -1;
		before = transfer_text(req, &t);
		if (transfer_next_state(enum_from_json(transfer_kind_enum, t.kind),
					enum_from_json(transfer_state_enum, t.state), TA_CANCEL, &next,
					e) < 0)
			return -1;
		t.state = enum_json(transfer_state_enum, next);
		t.return_reason = arena_printf(req->arena, "%s，转接自动撤销", why);
		if (store_transfer_update(req->db, &t, e) < 0 ||
		    store_audit(req->db, who, "transfer.cancel", "transfer", t.id, before,
				transfer_text(req, &t), e) < 0)
			return -1;
	}
	if (store_mobile_open_of(req->db, req->arena, member_id, &mob, &out, e) < 0)
		return -1;
	if (out) {
		const char *before = mobile_text(req, &mob, NULL);
		/* A registration made after the date (recorded late) still ends no earlier than it began. */
		mob.returned_on = date_cmp(on, mob.out_on) < 0 ? mob.out_on : on;
		mob.state = "returned";
		if (store_mobile_update(req->db, &mob, e) < 0 ||
		    store_audit(
			    req->db, who, "mobile.return", "mobile_member", mob.id, before,
			    mobile_text(req, &mob, arena_printf(req->arena, "%s，流动党员登记自动结束", why)),
			    e) < 0)
			return -1;
	}
	return 0;
}

/* ---- state changes ------------------------------------------------------------------------------ */

static const char *const action_names[] = { "", "member.exit", "member.lost", "member.suspend",
					    "member.restore" };

/*
 * One state change: reads the body for `action`, checks it in core, records the
 * event (figures follow in the store) and the audit row, answers the member.
 */
static int change(struct http_req *req, struct http_reply *rep, int action, struct err *e)
{
	static const char *const exit_fields[] = {
		"reason", "on", "basis", "approved_by", "approved_on", NULL
	};
	static const char *const lost_fields[] = { "last_contact_on", "situation", "note", NULL };
	static const char *const plain_fields[] = { "on", "basis", NULL };
	json_t *obj = req->json;
	struct member m, after;
	struct state_change sc = { 0 };
	struct member_state_event ev = { 0 };
	struct actor who = req_actor(req);
	struct jsonw w = JSONW_INIT;
	const char *before;
	int to;

	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], false, &m, e) < 0)
		return -1;
	sc.action = action;
	sc.from_state = state_of(&m);
	sc.member_status = m.status;
	sc.state_on = m.state_on;
	sc.joined_on = m.joined_on;
	switch (action) {
	case SA_EXIT:
		if (json_only(obj, exit_fields, e) < 0)
			return -1;
		json_get_enum(obj, "reason", exit_reason_enum, &sc.code, e);
		json_get_date(obj, "on", &sc.on, e);
		json_get_str(obj, "basis", 500, &ev.basis, e);
		json_get_str(obj, "approved_by", 100, &ev.approved_by, e);
		json_get_date(obj, "approved_on", &sc.approved_on, e);
		ev.code = enum_json(exit_reason_enum, sc.code);
		ev.on = sc.on;
		ev.approved_on = sc.approved_on;
		break;
	case SA_LOST:
		if (json_only(obj, lost_fields, e) < 0)
			return -1;
		json_get_date(obj, "last_contact_on", &sc.last_contact_on, e);
		json_get_enum(obj, "situation", lost_situation_enum, &sc.code, e);
		json_get_str(obj, "note", 500, &ev.basis, e);
		ev.code = enum_json(lost_situation_enum, sc.code);
		ev.on = sc.last_contact_on;
		break;
	default:
		if (json_only(obj, plain_fields, e) < 0)
			return -1;
		json_get_date(obj, "on", &sc.on, e);
		json_get_str(obj, "basis", 500, &ev.basis, e);
		ev.on = sc.on;
		if (action == SA_SUSPEND && sc.from_state == MSTATE_LOST) {
			/* LOST-01 counts from the last contact, kept as the date of the lost state. */
			sc.code = enum_from_json(lost_situation_enum, m.state_code ? m.state_code : "");
			sc.last_contact_on = m.state_on;
			ev.code = m.state_code;
		}
		break;
	}
	if (err_is_set(e))
		return -1;
	if (member_state_check(&req->cfg->lifecycle, &sc, req_today(req), &to, e) < 0)
		return with_rule(e);
	before = state_text(req, &m);
	ev.member_id = m.id;
	ev.from_state = sc.from_state;
	ev.to_state = to;
	if (ev.basis && !*ev.basis)
		ev.basis = NULL;
	if (ev.approved_by && !*ev.approved_by)
		ev.approved_by = NULL;
	if (store_begin(req->db, e) < 0 || store_member_set_state(req->db, &who, &ev, e) < 0 ||
	    ((to == MSTATE_LEFT || to == MSTATE_SUSPENDED) &&
	     member_close_open_records(req, &who, m.id, to, ev.on, 0, e) < 0) ||
	    store_member_get(req->db, req->arena, NULL, m.id, false, &after, e) < 0 ||
	    store_audit(req->db, &who, action_names[action], "member", m.id, before, state_text(req, &after),
			e) < 0)
		return -1;
	member_jsonw(&w, &after, req_today(req));
	if (reply_jsonw(rep, 200, &w) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* POST /api/v1/members/{id}/exit {reason,on,basis,approved_by,approved_on} -> 200 member (left) | 404 | 409 |
 * 422 */
static int h_exit(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return change(req, rep, SA_EXIT, e);
}

/* POST /api/v1/members/{id}/lost {last_contact_on,situation,note} -> 200 member (lost) | 404 | 409 | 422 */
static int h_lost(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return change(req, rep, SA_LOST, e);
}

/* POST /api/v1/members/{id}/suspend {on,basis} -> 200 member (suspended) | 404 | 409 | 422 rule_violation
 * (LOST-01) */
static int h_suspend(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return change(req, rep, SA_SUSPEND, e);
}

/* POST /api/v1/members/{id}/restore {on,basis} -> 200 member (active) | 404 | 409 (EXIT-03) | 422 */
static int h_restore(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return change(req, rep, SA_RESTORE, e);
}

/* GET /api/v1/members/{id}/states -> 200 {items:[{from,to,code,on,basis,approved_by,approved_on,...}]} | 404
 */
static int h_states(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m;
	struct member_state_event *ev;
	size_t n;
	json_t *items;

	if (load(req, req->params[0], &m, e) < 0 ||
	    store_member_state_events(req->db, req->arena, m.id, &ev, &n, e) < 0)
		return -1;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "from", str_json(enum_json(member_state_enum, ev[i].from_state)));
		json_object_set_new(x, "from_label",
				    str_json(enum_label(member_state_enum, ev[i].from_state)));
		json_object_set_new(x, "to", str_json(enum_json(member_state_enum, ev[i].to_state)));
		json_object_set_new(x, "to_label", str_json(enum_label(member_state_enum, ev[i].to_state)));
		json_object_set_new(x, "code", str_json(ev[i].code));
		json_object_set_new(x, "code_label", str_json(code_label(ev[i].code)));
		json_object_set_new(x, "on", date_json(ev[i].on));
		json_object_set_new(x, "basis", str_json(ev[i].basis));
		json_object_set_new(x, "approved_by", str_json(ev[i].approved_by));
		json_object_set_new(x, "approved_on", date_json(ev[i].approved_on));
		json_object_set_new(x, "created_by", str_json(ev[i].created_by));
		json_object_set_new(x, "created_at", str_json(ev[i].created_at));
		json_array_append_new(items, x);
	}
	return http_reply_json(rep, 200, json_pack("{s:o}", "items", items));
}

const struct route member_state_routes[] = {
	{ "POST", "/api/v1/members/{id}/exit", h_exit, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/members/{id}/lost", h_lost, 0, PERM_MEMBER_WRITE },
	{ "POST", "/api/v1/members/{id}/suspend", h_suspend, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/members/{id}/restore", h_restore, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/members/{id}/states", h_states, 0, PERM_MEMBER_READ | PERM_SELF },
	{ NULL, NULL, NULL, 0, 0 },
};
