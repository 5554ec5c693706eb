/*
 * transfers.c: transfers of organisational relations (组织关系转接,
 * RULES.md 4.1): requests (staff, or a member for their own record),
 * approvals by the sending and receiving committees, introduction letters
 * with their number, validity and receipt (回执), letters from outside the
 * system attached to a member, returns and cancellations, and the letter
 * as a PDF. The state machine and the checks live in core/transfer.h.
 */
#include "util/common.h"

#include <ctype.h>

#include "core/idcard.h"
#include "core/transfer.h"
#include "http/member_json.h"
#include "http/member_states.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "io/transfer_letter.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

/* ---- shapes --------------------------------------------------------------------------------- */

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

static void kv_id(struct jsonw *w, const char *k, int64_t id)
{
	jsonw_key(w, k);
	if (id)
		jsonw_int(w, id);
	else
		jsonw_null(w);
}

static bool is_expired(const struct transfer *t, struct date today)
{
	int st = enum_from_json(transfer_state_enum, t->state);

	/* Only an issued letter still travelling can run out; a registered inbound letter is ours to act on.
	 */
	return t->letter_no && transfer_state_open(st) && st != TS_REGISTERED &&
	       transfer_expired(t->valid_until, date_is_set(t->receipt_on), today);
}

static void transfer_jsonw(struct jsonw *w, const struct transfer *t, struct date today)
{
	int kind = enum_from_json(transfer_kind_enum, t->kind),
	    st = enum_from_json(transfer_state_enum, t->state);

	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", t->id);
	jsonw_kv_str(w, "kind", t->kind);
	jsonw_kv_str(w, "kind_label", enum_label(transfer_kind_enum, kind));
	jsonw_kv_str(w, "state", t->state);
	jsonw_kv_str(w, "state_label", enum_label(transfer_state_enum, st));
	kv_id(w, "member_id", t->member_id);
	jsonw_kv_str(w, "member_name", t->member_name);
	kv_id(w, "from_org_id", t->from_org_id);
	jsonw_kv_str(w, "from_org_name", t->from_org_name);
	kv_id(w, "to_org_id", t->to_org_id);
	jsonw_kv_str(w, "to_org_name", t->to_org_name);
	jsonw_kv_str(w, "from_text", t->from_text);
	jsonw_kv_str(w, "to_text", t->to_text);
	jsonw_kv_bool(w, "cross_province", t->cross_province);
	jsonw_kv_str(w, "reason", t->reason);
	kv_date(w, "requested_on", t->requested_on);
	jsonw_kv_str(w, "requested_by", t->requested_by);
	kv_date(w, "sending_on", t->sending_on);
	jsonw_kv_str(w, "sending_by", t->sending_by);
	kv_date(w, "receiving_on", t->receiving_on);
	jsonw_kv_str(w, "receiving_by", t->receiving_by);
	jsonw_kv_str(w, "return_reason", t->return_reason);
	jsonw_kv_str(w, "returned_by", t->returned_by);
	jsonw_kv_str(w, "returned_side", t->returned_side);
	jsonw_kv_str(w, "letter_no", t->letter_no);
	kv_date(w, "letter_on", t->letter_on);
	kv_date(w, "valid_until", t->valid_until);
	jsonw_kv_bool(w, "expired", is_expired(t, today));
	jsonw_kv_str(w, "dues_paid_to", t->dues_paid_to);
	kv_date(w, "receipt_on", t->receipt_on);
	jsonw_kv_str(w, "receipt_note", t->receipt_note);
	kv_date(w, "completed_on", t->completed_on);
	jsonw_kv_str(w, "created_at", t->created_at);
	jsonw_kv_str(w, "updated_at", t->updated_at);
	jsonw_object_end(w);
}

static const char *audit_text(struct http_req *req, const struct transfer *t)
{
	struct jsonw w = JSONW_INIT;
	const char *s;

	transfer_jsonw(&w, t, req_today(req));
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

/* Re-reads the transfer (names filled by the store) and writes it as the reply, before the commit. */
static int reply_transfer(struct http_req *req, struct http_reply *rep, int status, int64_t id, struct err *e)
{
	struct transfer t;
	struct jsonw w = JSONW_INIT;

	if (store_transfer_get(req->db, req->arena, "/", id, &t, e) < 0)
		return -1;
	transfer_jsonw(&w, &t, req_today(req));
	return reply_jsonw(rep, status, &w);
}

static const char *date_text(struct arena *a, struct date d)
{
	char *buf = arena_alloc(a, 11);

	date_format(d, buf);
	return buf;
}

/* ---- access ------------------------------------------------------------------------------------ */

static bool path_in(const char *path, const char *scope)
{
	return path && scope && !strncmp(path, scope, strlen(scope));
}

static bool staff(const struct http_req *req)
{
	return user_can(req->user, PERM_MEMBER_READ);
}

/* A transfer in the caller's reach: either side in their subtree, or (PERM_SELF) their own. */
static int load(struct http_req *req, int64_t id, struct transfer *t, struct err *e)
{
	if (staff(req))
		return store_transfer_get(req->db, req->arena, req_scope(req), id, t, e);
	if (!req->user->member_id)
		return err_set(e, ERR_NOT_FOUND, NULL, "转接记录不存在");
	if (store_transfer_get(req->db, req->arena, "/", id, t, e) < 0)
		return -1;
	if (t->member_id != req->user->member_id)
		return err_set(e, ERR_NOT_FOUND, NULL, "转接记录不存在");
	return 0;
}

/* Approving or returning for one side needs that side's organisation in the caller's subtree. */
static int side_check(struct http_req *req, const struct transfer *t, bool sending, struct err *e)
{
	const char *path = sending ? t->from_org_path : t->to_org_path;
	int64_t org = sending ? t->from_org_id : t->to_org_id;

	if (!org)
		return err_field(e, "side", "%s在系统外，由对方党组织办理", sending ? "转出方" : "接收方");
	if (!path_in(path, req_scope(req)))
		return err_set(e, ERR_FORBIDDEN, NULL, "%s党组织不在您的管理范围内，不能代其办理",
			       sending ? "转出方" : "接收方");
	return 0;
}

/* The date of an action: `on` in the body or today; not after today nor before `not_before`. */
static int action_date(struct http_req *req, json_t *obj, struct date not_before, const char *what,
		       struct date *out, struct err *e)
{
	struct date today = req_today(req);

	*out = DATE_NONE;
	if (json_get_date(obj, "on", out, e) < 0)
		return -1;
	if (!date_is_set(*out))
		*out = today;
	if (date_cmp(*out, today) > 0)
		return err_field(e, "on", "日期不能晚于今天");
	if (date_is_set(not_before) && date_cmp(*out, not_before) < 0)
		return err_field(e, "on", "日期不能早于%s（%s）", what, date_text(req->arena, not_before));
	return 0;
}

/* NULL, empty or only white space (ASCII or the full-width U+3000). */
static bool blank(const char *s)
{
	while (s && *s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else if (!strncmp(s, "\xe3\x80\x80", 3))
			s += 3;
		else
			return false;
	}
	return true;
}

static bool month_valid(const char *s)
{
	return strlen(s) == 7 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
	       isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) && atoi(s + 5) >= 1 &&
	       atoi(s + 5) <= 12;
}

/* The member must still be on the roll to move (an exit or loss of contact since the request stops it). */
static int member_movable(const struct member *m, struct err *e)
{
	if (m->state && m->state != MSTATE_ACTIVE)
		return err_set(e, ERR_CONFLICT, "member_state", "%s当前状态为“%s”，不能办理组织关系转接",
			       m->name, enum_label(member_state_enum, m->state));
	return 0;
}

/* ---- lists and lookups ---------------------------------------------------------------------- */

/* GET /api/v1/transfers?org&box&state&kind&expired&member_id&page&per_page -> 200 list */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct transfer_query tq = { 0 };
	struct transfer *items;
	struct jsonw w = JSONW_INIT;
	struct date today = req_today(req);
	int64_t org_id, total;
	int st, kind;
	size_t n;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_str(req, "box", 10, &tq.box, e) < 0 ||
	    param_enum(req, "state", transfer_state_enum, &st, e) < 0 ||
	    param_enum(req, "kind", transfer_kind_enum, &kind, e) < 0 ||
	    param_int(req, "member_id", 0, 0, INT64_MAX, &tq.member_id, e) < 0 ||
	    param_page(req, &tq.page, &tq.per_page, NULL, e) < 0)
		return -1;
	if (tq.box && strcmp(tq.box, "outgoing") && strcmp(tq.box, "incoming"))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 box 应为 outgoing 或 incoming");
	tq.state = st ? enum_json(transfer_state_enum, st) : NULL;
	tq.kind = kind ? enum_json(transfer_kind_enum, kind) : NULL;
	if (param_flag(req, "expired"))
		tq.expired_before = date_text(req->arena, today);
	if (staff(req)) {
		struct org o;
		if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
			return -1;
		tq.path = o.path;
	} else {
		/* Self-service: the member's own transfers, wherever they went. */
		if (!req->user->member_id)
			return err_set(e, ERR_NOT_FOUND, NULL, "账号未关联党员档案");
		tq.path = "/";
		tq.box = NULL;
		tq.member_id = req->user->member_id;
	}
	if (store_transfer_list(req->db, req->arena, &tq, &items, &n, &total, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		transfer_jsonw(&w, &items[i], today);
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", total);
	jsonw_kv_int(&w, "page", tq.page);
	jsonw_kv_int(&w, "per_page", tq.per_page);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* GET /api/v1/transfers/{id} -> 200 transfer | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct transfer t;
	struct jsonw w = JSONW_INIT;

	if (load(req, req->params[0], &t, e) < 0)
		return -1;
	transfer_jsonw(&w, &t, req_today(req));
	return reply_jsonw(rep, 200, &w);
}

/* GET /api/v1/transfers/destinations?q -> 200 {items:[{id,name,path_name}]} (branches, at most 20) */
static int h_destinations(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org_list l;
	const char *q = NULL, *root = "/";
	const char **names;
	struct jsonw w = JSONW_INIT;
	int shown = 0;

	if (param_str(req, "q", 150, &q, e) < 0)
		return -1;
	/* Staff send within their subtree (elsewhere is 404 on request); a member may pick any branch. */
	if (staff(req)) {
		struct org o;
		if (store_org_get(req->db, req->arena, req_scope(req), req->user->org_id, &o, e) < 0)
			return -1;
		root = o.path;
	}
	if (store_org_subtree(req->db, req->arena, root, &l, e) < 0)
		return -1;
	/* Parents come first: each organisation's path name extends its parent's. */
	names = arena_zalloc(req->arena, (l.n + 1) * sizeof(*names));
	for (size_t i = 0; i < l.n; i++) {
		const char *parent = NULL;
		for (size_t k = i; k-- > 0;)
			if (l.items[k].id == l.items[i].parent_id) {
				parent = names[k];
				break;
			}
		names[i] = parent ? arena_printf(req->arena, "%s / %s", parent, l.items[i].name)
				  : l.items[i].name;
	}
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < l.n && shown < 20; i++) {
		if (l.items[i].type != ORG_BRANCH || (q && !strstr(names[i], q)))
			continue;
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "id", l.items[i].id);
		jsonw_kv_str(&w, "name", l.items[i].name);
		jsonw_kv_str(&w, "path_name", names[i]);
		jsonw_object_end(&w);
		shown++;
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* ---- requests ------------------------------------------------------------------------------- */

static const char *const request_fields[] = {
	"kind",      "member_id", "to_org_id", "to_text",     "cross_province", "reason", "requested_on",
	"letter_no", "from_text", "letter_on", "valid_until", "dues_paid_to",   NULL,
};

/* Reads the body of POST /transfers onto t and the core's request; looks up the member and destination. */
static int request_from_json(struct http_req *req, struct transfer *t, struct transfer_request *in,
			     struct err *e)
{
	json_t *obj = req->json;
	struct member m;
	int64_t member_id = 0, to_org = 0;
	bool cross = false;

	if (json_only(obj, request_fields, e) < 0)
		return -1;
	if (json_get_enum(obj, "kind", transfer_kind_enum, &in->kind, e) == 0)
		err_field(e, "kind", "请选择转接类型");
	json_get_int(obj, "member_id", 1, INT64_MAX, &member_id, e);
	json_get_int(obj, "to_org_id", 1, INT64_MAX, &to_org, e);
	json_get_str(obj, "to_text", 100, &t->to_text, e);
	json_get_bool(obj, "cross_province", &cross, e);
	json_get_str(obj, "reason", 500, &t->reason, e);
	json_get_date(obj, "requested_on", &in->requested_on, e);
	json_get_str(obj, "letter_no", 40, &in->letter_no, e);
	json_get_str(obj, "from_text", 100, &in->from_text, e);
	json_get_date(obj, "letter_on", &in->letter_on, e);
	json_get_date(obj, "valid_until", &in->valid_until, e);
	json_get_str(obj, "dues_paid_to", 7, &t->dues_paid_to, e);
	if (err_is_set(e))
		return -1;
	in->today = req_today(req);
	t->kind = enum_json(transfer_kind_enum, in->kind);
	t->cross_province = cross;
	if (in->kind == TK_INBOUND) {
		/* A letter from outside: registered by the receiving committee's staff. */
		if (!user_can(req->user, PERM_ORG_WRITE))
			return err_set(e, ERR_FORBIDDEN, NULL, "只有党务工作者可以登记系统外转入的介绍信");
		if (t->dues_paid_to && *t->dues_paid_to && !month_valid(t->dues_paid_to))
			return err_field(e, "dues_paid_to", "党费交至月份格式应为 YYYY-MM");
		if (t->dues_paid_to && !*t->dues_paid_to)
			t->dues_paid_to = NULL;
		if (date_is_set(in->letter_on) && !date_is_set(in->valid_until))
			in->valid_until = transfer_valid_until(&req->cfg->transfers, in->letter_on, cross);
		t->letter_no = in->letter_no;
		t->from_text = in->from_text;
		t->letter_on = in->letter_on;
		t->valid_until = in->valid_until;
		t->to_text = NULL;
	} else if (in->kind) {
		t->dues_paid_to = NULL;
		if (!member_id)
			return err_field(e, "member_id", "请选择党员");
		if (staff(req)) {
			if (store_member_get(req->db, req->arena, req_scope(req), member_id, false, &m, e) <
			    0)
				return -1;
		} else {
			/* Self-service: one's own record only. */
			if (member_id != req->user->member_id)
				return err_set(e, ERR_NOT_FOUND, NULL, "党员不存在");
			if (store_member_get(req->db, req->arena, NULL, member_id, false, &m, e) < 0)
				return -1;
		}
		in->member_id = m.id;
		in->member_state = m.state;
		in->joined_on = m.joined_on;
		in->from_org_id = m.org_id;
		t->member_id = m.id;
		t->from_org_id = m.org_id;
		if (store_transfer_pending(req->db, m.id, &in->pending_id, e) < 0)
			return -1;
		if (in->kind == TK_OUTBOUND)
			to_org = 0;
		else
			t->to_text = NULL;
	}
	if (to_org && in->kind != TK_OUTBOUND) {
		struct org o;
		struct err oe = ERR_INIT;
		/* Staff: a destination outside their subtree is not theirs to see (404). */
		if (store_org_get(req->db, req->arena, staff(req) ? req_scope(req) : NULL, to_org, &o, &oe) <
		    0) {
			if (oe.kind != ERR_NOT_FOUND || staff(req)) {
				*e = oe;
				return -1;
			}
		} else {
			in->to_org_type = o.type;
		}
		in->to_org_id = to_org;
		t->to_org_id = to_org;
	}
	in->to_text = t->to_text;
	if (transfer_request_check(in, e) < 0)
		return -1;
	t->requested_on = date_is_set(in->requested_on) ? in->requested_on : in->today;
	return 0;
}

/* POST /api/v1/transfers {kind,...} -> 201 transfer | 403 | 404 | 409
 * transfer_pending/member_state/duplicate_letter_no | 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct transfer t = { 0 };
	struct transfer_request in = { 0 };
	struct actor who = req_actor(req);

	if (request_from_json(req, &t, &in, e) < 0)
		return -1;
	t.state = enum_json(transfer_state_enum, in.kind == TK_INBOUND ? TS_REGISTERED : TS_REQUESTED);
	t.requested_by = who.name;
	if (store_begin(req->db, e) < 0 || store_transfer_insert(req->db, &t, e) < 0 ||
	    store_audit(req->db, &who, in.kind == TK_INBOUND ? "transfer.register" : "transfer.request",
			"transfer", t.id, NULL, audit_text(req, &t), e) < 0 ||
	    reply_transfer(req, rep, 201, t.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* ---- approvals, returns, cancellations ------------------------------------------------------ */

static int audit_member_change(struct http_req *req, const struct actor *who, const char *action,
			       const struct member *before, struct err *e);

static int side_param(json_t *obj, bool *sending, struct err *e)
{
	const char *side = NULL;

	if (json_get_str(obj, "side", 10, &side, e) < 0)
		return -1;
	if (!side || (strcmp(side, "sending") && strcmp(side, "receiving")))
		return err_field(e, "side", "请指明办理方：sending（转出方）或 receiving（接收方）");
	*sending = !strcmp(side, "sending");
	return 0;
}

/* The last month the member paid dues (newest first from the store), NULL when none. */
static int dues_paid_to(struct http_req *req, int64_t member_id, const char **out, struct err *e)
{
	struct dues_payment *p;
	size_t n;

	*out = NULL;
	if (store_dues_payments(req->db, req->arena, member_id, &p, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (p[i].month && (!*out || strcmp(p[i].month, *out) > 0))
			*out = p[i].month;
	return 0;
}

/* Issues the introduction letter at the sending approval: number, date, validity, dues month. */
static int issue_letter(struct http_req *req, struct transfer *t, struct date on, struct err *e)
{
	char no[32];

	/*
	 * An inbound letter from outside may carry any number, ours included
	 * (YYYY-NNNNNN): skip a number already registered, or issuing would
	 * fail on it for good (the sequence rolls back with the refusal).
	 */
	for (;;) {
		struct transfer used;
		struct err le = ERR_INIT;

		if (store_letter_next_no(req->db, on.y, no, e) < 0)
			return -1;
		if (store_transfer_by_letter(req->db, req->arena, no, &used, &le) < 0) {
			if (le.kind != ERR_NOT_FOUND) {
				*e = le;
				return -1;
			}
			err_release(&le);
			break;
		}
	}
	if (dues_paid_to(req, t->member_id, &t->dues_paid_to, e) < 0)
		return -1;
	t->letter_no = arena_strdup(req->arena, no);
	t->letter_on = on;
	t->valid_until = transfer_valid_until(&req->cfg->transfers, on, t->cross_province);
	return 0;
}

/* POST /api/v1/transfers/{id}/approve {side,on} -> 200 transfer | 403 | 404 | 409 | 422 */
static int h_approve(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "side", "on", NULL };
	struct transfer t;
	struct actor who = req_actor(req);
	struct member m;
	struct date on;
	const char *before, *action = "transfer.approve";
	bool sending = false;
	int next, kind;

	if (load(req, req->params[0], &t, e) < 0 || json_only(req->json, fields, e) < 0 ||
	    side_param(req->json, &sending, e) < 0)
		return -1;
	before = audit_text(req, &t);
	kind = enum_from_json(transfer_kind_enum, t.kind);
	if (transfer_next_state(kind, enum_from_json(transfer_state_enum, t.state),
				sending ? TA_APPROVE_SENDING : TA_APPROVE_RECEIVING, &next, e) < 0 ||
	    side_check(req, &t, sending, e) < 0 ||
	    action_date(req, req->json, sending ? t.requested_on : t.sending_on,
			sending ? "申请日期" : "转出方同意日期", &on, e) < 0)
		return -1;
	if (store_member_get(req->db, req->arena, NULL, t.member_id, false, &m, e) < 0 ||
	    member_movable(&m, e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0)
		return -1;
	t.state = enum_json(transfer_state_enum, next);
	if (sending) {
		t.sending_on = on;
		t.sending_by = who.name;
		/* Outbound letters are printed and carried; in_system ones get a number too, so they can be
		 * printed. */
		if (issue_letter(req, &t, on, e) < 0)
			return -1;
	} else {
		t.receiving_on = on;
		t.receiving_by = who.name;
	}
	if (next == TS_COMPLETED) {
		const char *detail =
			arena_printf(req->arena, "组织关系转接：由%s转入%s（介绍信 %s）", t.from_org_name,
				     t.to_org_name, t.letter_no ? t.letter_no : "无");
		struct member mb;
		t.completed_on = on;
		action = "transfer.complete";
		/* The member's own audit row too, as for letters received from outside. */
		if (store_member_get(req->db, req->arena, NULL, t.member_id, false, &mb, e) < 0 ||
		    store_member_move(req->db, &who, t.member_id, t.to_org_id, detail, e) < 0 ||
		    audit_member_change(req, &who, "member.transfer_in", &mb, e) < 0)
			return -1;
	}
	if (store_transfer_update(req->db, &t, e) < 0 ||
	    store_audit(req->db, &who, action, "transfer", t.id, before, audit_text(req, &t), e) < 0 ||
	    reply_transfer(req, rep, 200, t.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* POST /api/v1/transfers/{id}/return {side,reason} -> 200 transfer | 403 | 404 | 409 | 422 */
static int h_return(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "side", "reason", NULL };
	struct transfer t;
	struct actor who = req_actor(req);
	const char *before, *reason = NULL;
	bool sending = false;
	int next;

	if (load(req, req->params[0], &t, e) < 0 || json_only(req->json, fields, e) < 0 ||
	    side_param(req->json, &sending, e) < 0 || json_get_str(req->json, "reason", 500, &reason, e) < 0)
		return -1;
	if (blank(reason))
		return err_field(e, "reason", "请填写退回原因");
	before = audit_text(req, &t);
	if (transfer_next_state(enum_from_json(transfer_kind_enum, t.kind),
				enum_from_json(transfer_state_enum, t.state), TA_RETURN, &next, e) < 0 ||
	    side_check(req, &t, sending, e) < 0)
		return -1;
	t.state = enum_json(transfer_state_enum, next);
	t.return_reason = reason;
	t.returned_by = who.name;
	t.returned_side = sending ? "sending" : "receiving";
	if (store_begin(req->db, e) < 0 || store_transfer_update(req->db, &t, e) < 0 ||
	    store_audit(req->db, &who, "transfer.return", "transfer", t.id, before, audit_text(req, &t), e) <
		    0 ||
	    reply_transfer(req, rep, 200, t.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* POST /api/v1/transfers/{id}/cancel -> 200 transfer | 404 | 409 (the requester or staff, before completion)
 */
static int h_cancel(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { NULL };
	struct transfer t;
	struct actor who = req_actor(req);
	const char *before;
	int next;

	if (load(req, req->params[0], &t, e) < 0 || json_only(req->json, fields, e) < 0)
		return -1;
	/* Staff act for organisations in their subtree; a member only on their own request. */
	if (!staff(req) && (!t.requested_by || strcmp(t.requested_by, who.name)))
		return err_set(e, ERR_FORBIDDEN, NULL, "只能撤销本人提出的转接申请");
	/*
	 * Staff cancel for the side that asked: the member's organisation, or for
	 * an inbound letter the branch that registered it. The other side sends
	 * the transfer back with a reason (return, org_write) instead.
	 */
	if (staff(req) && !path_in(enum_from_json(transfer_kind_enum, t.kind) == TK_INBOUND ? t.to_org_path
											    : t.from_org_path,
				   req_scope(req)))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "转接申请由转出方党组织撤销；接收方如不同意，请办理退回");
	before = audit_text(req, &t);
	if (transfer_next_state(enum_from_json(transfer_kind_enum, t.kind),
				enum_from_json(transfer_state_enum, t.state), TA_CANCEL, &next, e) < 0)
		return -1;
	t.state = enum_json(transfer_state_enum, next);
	if (store_begin(req->db, e) < 0 || store_transfer_update(req->db, &t, e) < 0 ||
	    store_audit(req->db, &who, "transfer.cancel", "transfer", t.id, before, audit_text(req, &t), e) <
		    0 ||
	    reply_transfer(req, rep, 200, t.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* A member as read without revealing (numbers already masked by the store), as an audit text. */
static const char *member_text(struct http_req *req, const struct member *m)
{
	struct jsonw w = JSONW_INIT;
	const char *s;

	member_jsonw(&w, m, req_today(req));
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

/*
 * The member.* audit row of a transfer that moved a member or changed their
 * state (before: the member as loaded; after: as stored now), in the
 * caller's transaction.
 */
static int audit_member_change(struct http_req *req, const struct actor *who, const char *action,
			       const struct member *before, struct err *e)
{
	struct member after;

	if (store_member_get(req->db, req->arena, NULL, before->id, false, &after, e) < 0)
		return -1;
	return store_audit(req->db, who, action, "member", before->id, member_text(req, before),
			   member_text(req, &after), e);
}

/* ---- receipts and inbound letters ----------------------------------------------------------- */

/* POST /api/v1/transfers/receipt {letter_no,on,note} -> 200 transfer | 404 unknown_letter | 409 | 422 */
static int h_receipt(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "letter_no", "on", "note", NULL };
	struct transfer t;
	struct member m;
	struct member_state_event ev = { 0 };
	struct actor who = req_actor(req);
	struct err le = ERR_INIT;
	const char *no = NULL, *note = NULL, *before;
	struct date on;
	int next;

	if (json_only(req->json, fields, e) < 0 || json_get_str(req->json, "letter_no", 40, &no, e) < 0 ||
	    json_get_str(req->json, "note", 500, &note, e) < 0)
		return -1;
	if (!no || !*no)
		return err_field(e, "letter_no", "请填写介绍信编号");
	if (store_transfer_by_letter(req->db, req->arena, no, &t, &le) < 0) {
		if (le.kind != ERR_NOT_FOUND) {
			*e = le;
			return -1;
		}
		return err_set(e, ERR_NOT_FOUND, "unknown_letter", "没有编号为%s的介绍信", no);
	}
	/* The receipt comes back to the issuing committee: a letter of another subtree is not the caller's.
	 */
	if (!path_in(t.from_org_path, req_scope(req)))
		return err_set(e, ERR_NOT_FOUND, "unknown_letter", "没有编号为%s的介绍信", no);
	if (date_is_set(t.receipt_on))
		return err_set(e, ERR_CONFLICT, "receipt_recorded", "介绍信%s的回执已于%s登记", no,
			       date_text(req->arena, t.receipt_on));
	before = audit_text(req, &t);
	if (transfer_next_state(enum_from_json(transfer_kind_enum, t.kind),
				enum_from_json(transfer_state_enum, t.state), TA_RECEIPT, &next, e) < 0 ||
	    action_date(req, req->json, t.letter_on, "开具介绍信日期", &on, e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, t.member_id, false, &m, e) < 0)
		return -1;
	t.state = enum_json(transfer_state_enum, next);
	t.receipt_on = on;
	t.receipt_note = note;
	t.completed_on = on;
	ev.member_id = m.id;
	ev.from_state = m.state ? m.state : MSTATE_ACTIVE;
	ev.to_state = MSTATE_TRANSFERRED;
	ev.on = on;
	ev.basis = arena_printf(req->arena, "组织关系转出至%s，介绍信%s回执已收到",
				t.to_text ? t.to_text : "", no);
	if (store_begin(req->db, e) < 0 || store_transfer_update(req->db, &t, e) < 0 ||
	    store_member_set_state(req->db, &who, &ev, e) < 0 ||
	    member_close_open_records(req, &who, m.id, MSTATE_TRANSFERRED, on, t.id, e) < 0 ||
	    audit_member_change(req, &who, "member.transfer_out", &m, e) < 0 ||
	    store_audit(req->db, &who, "transfer.receipt", "transfer", t.id, before, audit_text(req, &t), e) <
		    0 ||
	    reply_transfer(req, rep, 200, t.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* Validates a new member record for an inbound letter as POST /members does; org is the receiving branch. */
static int new_member(struct http_req *req, json_t *obj, int64_t org_id, struct member *m, struct err *e)
{
	struct member_rules rules;
	int64_t sent_org = 0;

	if (!json_is_object(obj))
		return err_field(e, "member", "应为党员信息对象");
	if (json_get_int(obj, "org_id", 0, INT64_MAX, &sent_org, e) > 0 && sent_org && sent_org != org_id)
		return err_field(e, "org_id", "转入党员的所在党组织应为接收党支部");
	if (err_is_set(e))
		return -1;
	if (member_apply_json(obj, m, req->arena, e) < 0 && e->kind != ERR_VALIDATION)
		return -1;
	m->org_id = org_id;
	member_rules_default(&rules);
	rules.min_join_age = req->cfg->min_join_age;
	if (member_validate(m, &rules, req_today(req), e) < 0 || err_is_set(e))
		return -1;
	if (m->id_card) {
		struct idcard_info info;
		const char *why;
		if (idcard_parse(m->id_card, false, req_today(req), &info, &why) == 0)
			m->id_card = arena_strdup(req->arena, info.number);
	}
	return 0;
}

/* The new member as an audit text, numbers masked. */
static const char *member_audit(struct http_req *req, const struct member *m)
{
	struct member c = *m;
	struct jsonw w = JSONW_INIT;
	char *idc = arena_alloc(req->arena, 19), *ph = arena_alloc(req->arena, 24);
	const char *s;

	if (m->id_card && strlen(m->id_card) == 18) {
		idcard_mask(m->id_card, idc);
		c.id_card = idc;
	}
	if (m->phone) {
		phone_mask(m->phone, ph, 24);
		c.phone = ph;
	}
	member_jsonw(&w, &c, req_today(req));
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

/* POST /api/v1/transfers/{id}/attach {member_id} | {member:{...}} -> 200 transfer | 404 | 409 | 422 */
static int h_attach(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "member_id", "member", NULL };
	struct transfer t;
	struct member m = { 0 };
	struct actor who = req_actor(req);
	json_t *mobj = json_object_get(req->json, "member");
	const char *before, *detail;
	int64_t member_id = 0, pending = 0;
	int next;

	if (load(req, req->params[0], &t, e) < 0 || json_only(req->json, fields, e) < 0 ||
	    json_get_int(req->json, "member_id", 1, INT64_MAX, &member_id, e) < 0)
		return -1;
	if (!member_id == !mobj)
		return err_field(e, "member_id",
				 "请选择已有党员（member_id）或填写新党员信息（member），二者选一");
	before = audit_text(req, &t);
	if (transfer_next_state(enum_from_json(transfer_kind_enum, t.kind),
				enum_from_json(transfer_state_enum, t.state), TA_ATTACH, &next, e) < 0 ||
	    side_check(req, &t, false, e) < 0)
		return -1;
	detail = arena_printf(req->arena, "组织关系由%s转入（介绍信 %s）",
			      t.from_text ? t.from_text : "系统外", t.letter_no);
	if (member_id) {
		if (store_member_get(req->db, req->arena, req_scope(req), member_id, false, &m, e) < 0)
			return -1;
		if (m.state && m.state != MSTATE_ACTIVE && m.state != MSTATE_TRANSFERRED)
			return err_set(e, ERR_CONFLICT, "member_state", "%s当前状态为“%s”，不能转入", m.name,
				       enum_label(member_state_enum, m.state));
		if (store_transfer_pending(req->db, m.id, &pending, e) < 0)
			return -1;
		if (pending && pending != t.id)
			return err_set(e, ERR_CONFLICT, "transfer_pending", "%s还有未办结的组织关系转接",
				       m.name);
	} else if (new_member(req, mobj, t.to_org_id, &m, e) < 0) {
		return -1;
	}
	if (store_begin(req->db, e) < 0)
		return -1;
	if (member_id) {
		if (m.org_id != t.to_org_id &&
		    store_member_move(req->db, &who, m.id, t.to_org_id, detail, e) < 0)
			return -1;
		if (m.state == MSTATE_TRANSFERRED) {
			/* Back on the roll: the relation has come back into the system. */
			struct member_state_event ev = { .member_id = m.id,
							 .from_state = MSTATE_TRANSFERRED,
							 .to_state = MSTATE_ACTIVE,
							 .on = req_today(req),
							 .basis = detail };
			if (store_member_set_state(req->db, &who, &ev, e) < 0)
				return -1;
		}
		/* The history has the move and the state event; the audit trail gets the member too. */
		if ((m.org_id != t.to_org_id || m.state == MSTATE_TRANSFERRED) &&
		    audit_member_change(req, &who, "member.transfer_in", &m, e) < 0)
			return -1;
	} else if (store_member_insert(req->db, &m, e) < 0 ||
		   store_member_history_add(req->db, &who, m.id, "created", 0, m.org_id, detail, e) < 0 ||
		   store_audit(req->db, &who, "member.create", "member", m.id, NULL, member_audit(req, &m),
			       e) < 0) {
		return -1;
	}
	t.member_id = m.id;
	t.state = enum_json(transfer_state_enum, next);
	t.receiving_on = req_today(req);
	t.receiving_by = who.name;
	t.completed_on = req_today(req);
	if (store_transfer_update(req->db, &t, e) < 0 ||
	    store_audit(req->db, &who, "transfer.attach", "transfer", t.id, before, audit_text(req, &t), e) <
		    0 ||
	    reply_transfer(req, rep, 200, t.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* ---- the letter ------------------------------------------------------------------------------ */

/* The organisation's full name: every name from the caller-independent root down, run together. */
static const char *full_name(struct http_req *req, int64_t org_id, struct err *e)
{
	char *path, *p, *q;

	if (store_org_path_text(req->db, req->arena, org_id, &path, e) < 0)
		return NULL;
	for (p = q = path; *p; p++)
		if (*p != '/')
			*q++ = *p;
	*q = '\0';
	return path;
}

/* The committee that seals the letter: the nearest 党委 at or above the organisation. */
static int issuer_of(struct http_req *req, int64_t org_id, const char **out, struct err *e)
{
	struct org o;

	*out = NULL;
	for (int depth = 0; org_id && depth < 32; depth++) {
		if (store_org_get(req->db, req->arena, NULL, org_id, &o, e) < 0)
			return -1;
		if (o.type == ORG_PARTY_COMMITTEE) {
			*out = o.name;
			return 0;
		}
		org_id = o.parent_id;
	}
	return 0;
}

/* GET /api/v1/transfers/{id}/letter.pdf -> 200 application/pdf | 404 | 409 (no letter yet) */
static int h_letter(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct transfer t;
	struct member m;
	struct transfer_letter l = { 0 };
	struct actor who = req_actor(req);
	int kind, st;
	char *pdf = NULL;
	size_t len = 0;

	if (load(req, req->params[0], &t, e) < 0)
		return -1;
	kind = enum_from_json(transfer_kind_enum, t.kind);
	st = enum_from_json(transfer_state_enum, t.state);
	if (kind == TK_INBOUND || !t.letter_no ||
	    (st != TS_LETTER_ISSUED && st != TS_COMPLETED && st != TS_SENDING_APPROVED))
		return err_set(e, ERR_CONFLICT, "transfer_state", "该转接尚未开具介绍信");
	if (store_member_get(req->db, req->arena, NULL, t.member_id, false, &m, e) < 0)
		return -1;
	l.letter_no = t.letter_no;
	l.member_name = m.name;
	l.gender = m.gender;
	l.ethnicity = m.ethnicity[0] ? m.ethnicity : NULL;
	l.birth_date = m.birth_date;
	l.id_card = m.id_card;
	l.status = m.status;
	l.dues_paid_to = t.dues_paid_to;
	l.letter_on = t.letter_on;
	l.valid_until = t.valid_until;
	if (!(l.from_org = full_name(req, t.from_org_id, e)) ||
	    issuer_of(req, t.from_org_id, &l.issuer, e) < 0)
		return -1;
	if (kind == TK_IN_SYSTEM && !(l.to_org = full_name(req, t.to_org_id, e)))
		return -1;
	if (kind == TK_OUTBOUND)
		l.to_org = t.to_text;
	if (transfer_letter_pdf(&l, &pdf, &len, e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 ||
	    store_audit(req->db, &who, "transfer.letter", "transfer", t.id, NULL,
			arena_printf(req->arena, "{\"letter_no\":\"%s\"}", t.letter_no), e) < 0 ||
	    store_commit(req->db, e) < 0) {
		free(pdf);
		return -1;
	}
	rep->status = 200;
	rep->content_type = "application/pdf";
	http_reply_header(
		rep, "Content-Disposition",
		arena_printf(req->arena, "attachment; filename=\"transfer-letter-%s.pdf\"", t.letter_no));
	rep->body = pdf;
	rep->body_len = len;
	return 0;
}

const struct route transfer_routes[] = {
	{ "GET", "/api/v1/transfers", h_list, 0, PERM_MEMBER_READ | PERM_SELF },
	{ "POST", "/api/v1/transfers", h_create, 0, PERM_MEMBER_WRITE | PERM_SELF },
	{ "GET", "/api/v1/transfers/destinations", h_destinations, 0, PERM_MEMBER_READ | PERM_SELF },
	{ "POST", "/api/v1/transfers/receipt", h_receipt, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/transfers/{id}", h_get, 0, PERM_MEMBER_READ | PERM_SELF },
	{ "POST", "/api/v1/transfers/{id}/approve", h_approve, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/transfers/{id}/return", h_return, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/transfers/{id}/cancel", h_cancel, 0, PERM_MEMBER_WRITE | PERM_SELF },
	{ "POST", "/api/v1/transfers/{id}/attach", h_attach, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/transfers/{id}/letter.pdf", h_letter, 0, PERM_MEMBER_READ | PERM_SELF },
	{ NULL, NULL, NULL, 0, 0 },
};
