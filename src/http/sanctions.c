/*
 * sanctions.c: Party disciplinary sanctions (党纪处分, RULES.md 6.1): a
 * member's sanctions with their effect periods, recording one (checked by
 * core/sanction: DISC-02, DISC-03, DISC-05; 开除党籍 makes the member leave),
 * ending a 留党察看 with restoration or expulsion, and the sanctions of a
 * subtree, optionally only those in effect today.
 */
#include "util/common.h"
#include "core/lifecycle.h"
#include "core/sanction.h"
#include "http/member_states.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

static const struct enum_entry outcome_enum[] = {
	{ 1, "restored", "期满恢复党员权利" },
	{ 2, "expelled", "开除党籍" },
	{ 0, NULL, NULL },
};

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

static const char *date_text(struct arena *a, struct date d)
{
	char *buf = arena_alloc(a, 11);

	date_format(d, buf);
	return buf;
}

/* In effect on `on`: the period (sanction_in_effect), and a 留党察看 not ended before. */
static bool in_effect(const struct sanction *s, struct date on)
{
	if (date_is_set(s->ended_on) && date_cmp(on, s->ended_on) >= 0)
		return false;
	return sanction_in_effect(s->type, s->decided_on, s->probation_months, on);
}

static void sanction_jsonw(struct jsonw *w, const struct sanction *s, struct date today)
{
	bool restored = s->outcome && !strcmp(s->outcome, "restored");
	bool expelled = s->type == SANCTION_EXPULSION || (s->outcome && !strcmp(s->outcome, "expelled"));
	struct date expelled_on = s->type == SANCTION_EXPULSION ? s->decided_on : s->ended_on;

	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", s->id);
	jsonw_kv_int(w, "member_id", s->member_id);
	jsonw_kv_str(w, "member_name", s->member_name);
	jsonw_kv_int(w, "org_id", s->org_id);
	jsonw_kv_str(w, "org_name", s->org_name);
	jsonw_kv_str(w, "type", enum_json(sanction_type_enum, s->type));
	jsonw_kv_str(w, "type_label", enum_label(sanction_type_enum, s->type));
	kv_date(w, "decided_on", s->decided_on);
	jsonw_key(w, "period_months");
	if (s->type == SANCTION_PROBATION)
		jsonw_int(w, s->probation_months);
	else
		jsonw_null(w);
	kv_date(w, "effect_end", s->effect_end);
	jsonw_kv_bool(w, "in_effect", in_effect(s, today));
	jsonw_kv_bool(
		w, "rights_suspended",
		sanction_rights_suspended(s->type, s->decided_on, s->probation_months, s->ended_on, today));
	jsonw_kv_str(w, "basis", s->basis);
	jsonw_kv_str(w, "decided_by", s->decided_by);
	jsonw_kv_str(w, "approved_by", s->approved_by);
	kv_date(w, "approved_on", s->approved_on);
	jsonw_kv_str(w, "outcome", s->outcome);
	jsonw_kv_str(w, "outcome_label",
		     s->outcome ? enum_label(outcome_enum, enum_from_json(outcome_enum, s->outcome)) : NULL);
	kv_date(w, "ended_on", s->ended_on);
	/* DISC-02: after restoration no equal or higher post for 24 months; after expulsion no application
	 * for 5 years. */
	kv_date(w, "post_bar_end", restored ? sanction_post_bar_end(s->ended_on) : DATE_NONE);
	kv_date(w, "readmission_from", expelled ? sanction_readmission_from(expelled_on) : DATE_NONE);
	jsonw_kv_str(w, "created_by", s->created_by);
	jsonw_kv_str(w, "created_at", s->created_at);
	jsonw_kv_str(w, "updated_at", s->updated_at);
	jsonw_object_end(w);
}

static const char *sanction_text(struct http_req *req, const struct sanction *s)
{
	struct jsonw w = JSONW_INIT;
	const char *t;

	sanction_jsonw(&w, s, req_today(req));
	t = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return t;
}

static int reply_sanction(struct http_req *req, struct http_reply *rep, int status, int64_t member_id,
			  int64_t id, struct err *e)
{
	struct sanction s;
	struct jsonw w = JSONW_INIT;

	if (store_sanction_get(req->db, req->arena, member_id, id, &s, e) < 0)
		return -1;
	sanction_jsonw(&w, &s, req_today(req));
	return reply_jsonw(rep, status, &w);
}

/* Core names a field one way, the body another: moves the field error over. */
static void rename_field(struct err *e, const char *from, const char *to)
{
	for (int i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i].name, from))
			snprintf(e->fields[i].name, sizeof(e->fields[i].name), "%s", to);
}

static int state_of(const struct member *m)
{
	return m->state ? m->state : MSTATE_ACTIVE;
}

/* Sanctions are given to members on the roll (active or lost). */
static int check_counted(const struct member *m, struct err *e)
{
	int st = state_of(m);

	if (st == MSTATE_ACTIVE || st == MSTATE_LOST)
		return 0;
	return err_set(e, ERR_CONFLICT, "member_state", "%s当前状态为%s，不能办理处分", m->name,
		       enum_label(member_state_enum, st));
}

static const char *state_text(struct http_req *req, const struct member *m)
{
	return json_text(req->arena,
			 json_pack("{s:s,s:s?,s:s?}", "state", enum_json(member_state_enum, state_of(m)),
				   "state_on",
				   date_is_set(m->state_on) ? date_text(req->arena, m->state_on) : NULL,
				   "state_code", m->state_code));
}

/*
 * 开除党籍: checks the exit as POST /members/{id}/exit does (reason expelled,
 * the higher approval required), without writing. `field_on` names the
 * body's date field.
 */
static int expel_check(struct http_req *req, const struct member *m, struct date on, struct date approved_on,
		       const char *field_on, struct err *e)
{
	struct state_change sc = { 0 };
	int to;

	sc.action = SA_EXIT;
	sc.from_state = state_of(m);
	sc.member_status = m->status;
	sc.code = EXIT_EXPELLED;
	sc.on = on;
	sc.state_on = m->state_on;
	sc.approved_on = approved_on;
	sc.joined_on = m->joined_on;
	if (member_state_check(&req->cfg->lifecycle, &sc, req_today(req), &to, e) < 0) {
		rename_field(e, "on", field_on);
		return -1;
	}
	assert(to == MSTATE_LEFT);
	return 0;
}

/* Inside the transaction: the member leaves with reason expelled, as an exit does (open records close). */
static int expel(struct http_req *req, const struct actor *who, const struct member *m, struct date on,
		 const char *basis, const char *approved_by, struct date approved_on, struct err *e)
{
	struct member_state_event ev = { 0 };
	struct member after;

	ev.member_id = m->id;
	ev.from_state = state_of(m);
	ev.to_state = MSTATE_LEFT;
	ev.code = enum_json(exit_reason_enum, EXIT_EXPELLED);
	ev.on = on;
	ev.basis = basis;
	ev.approved_by = approved_by;
	ev.approved_on = approved_on;
	if (store_member_set_state(req->db, who, &ev, e) < 0 ||
	    member_close_open_records(req, who, m->id, MSTATE_LEFT, on, 0, e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, m->id, false, &after, e) < 0)
		return -1;
	return store_audit(req->db, who, "member.exit", "member", m->id, state_text(req, m),
			   state_text(req, &after), e);
}

/* ------------------------------------------------------------------ reading */

/* GET /api/v1/members/{id}/sanctions -> 200 {items:[sanction]} | 404 */
static int h_member_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m;
	struct sanction *items;
	struct jsonw w = JSONW_INIT;
	size_t n;

	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], false, &m, e) < 0 ||
	    store_sanctions_of(req->db, req->arena, m.id, &items, &n, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		sanction_jsonw(&w, &items[i], req_today(req));
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* GET /api/v1/sanctions?org&active=1&page&per_page -> 200 list | 404 */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct sanction_query sq = { 0 };
	struct sanction *items;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id, total;
	size_t n;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_page(req, &sq.page, &sq.per_page, NULL, e) < 0)
		return -1;
	sq.in_effect_on = param_flag(req, "active") ? req_today(req) : DATE_NONE;
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	sq.path = o.path;
	if (store_sanction_list(req->db, req->arena, &sq, &items, &n, &total, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		sanction_jsonw(&w, &items[i], req_today(req));
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", total);
	jsonw_kv_int(&w, "page", sq.page);
	jsonw_kv_int(&w, "per_page", sq.per_page);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* ---------------------------------------------------------------- recording */

/* approved_on: not after today, not before the decision it approves. */
static void check_approval(struct http_req *req, struct date approved_on, struct date decided_on,
			   struct err *e)
{
	if (!date_is_set(approved_on))
		return;
	if (date_cmp(approved_on, req_today(req)) > 0)
		err_field(e, "approved_on", "批准日期不能晚于今天");
	else if (date_is_set(decided_on) && date_cmp(approved_on, decided_on) < 0)
		err_field(e, "approved_on", "批准日期不能早于决定日期");
}

/*
 * POST /api/v1/members/{id}/sanctions
 *{type,decided_on,basis,decided_by,approved_by,approved_on,period_months}
 *	-> 201 sanction | 404 | 409 member_state | 422 validation_failed/rule_violation (DISC-03, DISC-05,
 *EXIT-01)
 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "type",        "decided_on",  "basis",         "decided_by",
					      "approved_by", "approved_on", "period_months", NULL };
	json_t *obj = req->json;
	struct member m;
	struct sanction s = { 0 };
	struct sanction_input in = { 0 };
	struct actor who = req_actor(req);
	int64_t months = 0;
	int posts = 0, ended = 0;
	const char *after;

	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], false, &m, e) < 0 ||
	    json_only(obj, fields, e) < 0)
		return -1;
	s.decided_on = s.approved_on = DATE_NONE;
	json_get_enum(obj, "type", sanction_type_enum, &s.type, e);
	json_get_date(obj, "decided_on", &s.decided_on, e);
	json_get_str(obj, "basis", 1000, &s.basis, e);
	json_get_str(obj, "decided_by", 100, &s.decided_by, e);
	json_get_str(obj, "approved_by", 100, &s.approved_by, e);
	json_get_date(obj, "approved_on", &s.approved_on, e);
	json_get_int(obj, "period_months", 0, 120, &months, e);
	if (!err_field_message(e, "basis") && (!s.basis || !*s.basis))
		err_field(e, "basis", "请填写处分依据（违纪事实、决定文号）");
	if (err_is_set(e))
		return -1;
	if (check_counted(&m, e) < 0)
		return -1;
	if (s.approved_by && !*s.approved_by)
		s.approved_by = NULL;
	s.probation_months = (int)months;
	if (store_member_posts(req->db, m.id, &posts, e) < 0)
		return -1;
	in.type = s.type;
	in.member_status = m.status;
	in.decided_on = s.decided_on;
	in.joined_on = m.joined_on;
	in.probation_months = s.probation_months;
	in.holds_party_post = posts > 0;
	if (sanction_check(&in, req_today(req), e) < 0) {
		rename_field(e, "probation_months", "period_months");
		return -1;
	}
	check_approval(req, s.approved_on, s.decided_on, e);
	if (err_is_set(e))
		return -1;
	/* DISC-04: an expulsion is approved higher up; the member leaves as an exit does. */
	if (s.type == SANCTION_EXPULSION &&
	    expel_check(req, &m, s.decided_on, s.approved_on, "decided_on", e) < 0)
		return -1;
	s.member_id = m.id;
	s.effect_end = sanction_effect_end(s.type, s.decided_on, s.probation_months);
	s.created_by = who.name;
	if (store_begin(req->db, e) < 0 || store_sanction_insert(req->db, &s, e) < 0)
		return -1;
	/* DISC-02: 撤销党内职务 removes every Party post; under 留党察看 or expelled they end too. */
	if (s.type >= SANCTION_REMOVAL_FROM_POST && store_member_posts_end(req->db, m.id, &ended, e) < 0)
		return -1;
	if (s.type == SANCTION_EXPULSION &&
	    expel(req, &who, &m, s.decided_on, s.basis, s.approved_by, s.approved_on, e) < 0)
		return -1;
	if (store_sanction_get(req->db, req->arena, m.id, s.id, &s, e) < 0)
		return -1;
	after = json_text(req->arena,
			  json_pack("{s:o,s:i}", "sanction", json_loads(sanction_text(req, &s), 0, NULL),
				    "posts_ended", ended));
	if (store_audit(req->db, &who, "sanction.create", "sanction", s.id, NULL, after, e) < 0 ||
	    reply_sanction(req, rep, 201, m.id, s.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/*
 * POST /api/v1/members/{id}/sanctions/{sid}/end {on,outcome,basis,approved_by,approved_on}
 *	-> 200 sanction | 404 | 409 sanction_type/sanction_ended/member_state | 422 (DISC-02, EXIT-01)
 * Ends a 留党察看: restored (rights back once the period is over) or
 * expelled (the member leaves with reason expelled).
 */
static int h_end(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "on", "outcome", "basis", "approved_by", "approved_on", NULL };
	json_t *obj = req->json;
	struct member m;
	struct sanction s, after;
	struct actor who = req_actor(req);
	struct date on = DATE_NONE, approved_on = DATE_NONE;
	const char *basis = NULL, *approved_by = NULL, *before;
	int outcome = 0;

	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], false, &m, e) < 0 ||
	    store_sanction_get(req->db, req->arena, m.id, req->params[1], &s, e) < 0 ||
	    json_only(obj, fields, e) < 0)
		return -1;
	if (json_get_enum(obj, "outcome", outcome_enum, &outcome, e) == 0 || (!outcome && !err_is_set(e)))
		err_field(e, "outcome", "请选择处理结果（restored 恢复党员权利或 expelled 开除党籍）");
	if (json_get_date(obj, "on", &on, e) >= 0 && !date_is_set(on))
		err_field(e, "on", "请填写日期");
	json_get_str(obj, "basis", 1000, &basis, e);
	json_get_str(obj, "approved_by", 100, &approved_by, e);
	json_get_date(obj, "approved_on", &approved_on, e);
	if (err_is_set(e))
		return -1;
	if (s.type != SANCTION_PROBATION)
		return err_set(e, ERR_CONFLICT, "sanction_type", "只有留党察看处分需要办理期满处理");
	if (s.outcome)
		return err_set(e, ERR_CONFLICT, "sanction_ended", "该留党察看处分已于%s处理完毕",
			       date_text(req->arena, s.ended_on));
	if (check_counted(&m, e) < 0)
		return -1;
	if (date_cmp(on, req_today(req)) > 0)
		return err_field(e, "on", "日期不能晚于今天");
	if (date_cmp(on, s.decided_on) < 0)
		return err_field(e, "on", "日期不能早于处分决定日期%s", date_text(req->arena, s.decided_on));
	check_approval(req, approved_on, on, e);
	if (err_is_set(e))
		return -1;
	if (approved_by && !*approved_by)
		approved_by = NULL;
	if (outcome == 1 && date_cmp(on, s.effect_end) < 0) {
		/* 处分条例2023 art. 12: rights come back when the period is over, not before. */
		err_set(e, ERR_VALIDATION, "rule_violation", "[DISC-02] 留党察看期满（%s）后才能恢复党员权利",
			date_text(req->arena, s.effect_end));
		return err_field(e, "on", "留党察看期满日为%s", date_text(req->arena, s.effect_end));
	}
	if (outcome == 2 && expel_check(req, &m, on, approved_on, "on", e) < 0)
		return -1;
	before = sanction_text(req, &s);
	if (store_begin(req->db, e) < 0 ||
	    store_sanction_end(req->db, m.id, s.id, enum_json(outcome_enum, outcome), on, e) < 0)
		return -1;
	if (outcome == 2) {
		int ended;
		const char *why = basis && *basis ? basis : "留党察看期间仍无悔改表现，开除党籍";
		if (store_member_posts_end(req->db, m.id, &ended, e) < 0 ||
		    expel(req, &who, &m, on, why, approved_by, approved_on, e) < 0)
			return -1;
	}
	if (store_sanction_get(req->db, req->arena, m.id, s.id, &after, e) < 0 ||
	    store_audit(req->db, &who, "sanction.end", "sanction", s.id, before,
			json_text(req->arena, json_pack("{s:o,s:s?}", "sanction",
							json_loads(sanction_text(req, &after), 0, NULL),
							"basis", basis && *basis ? basis : NULL)),
			e) < 0 ||
	    reply_sanction(req, rep, 200, m.id, s.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

const struct route sanction_routes[] = {
	{ "GET", "/api/v1/sanctions", h_list, 0, PERM_MEMBER_READ },
	{ "GET", "/api/v1/members/{id}/sanctions", h_member_list, 0, PERM_MEMBER_READ },
	{ "POST", "/api/v1/members/{id}/sanctions", h_create, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/members/{id}/sanctions/{id}/end", h_end, 0, PERM_ORG_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
