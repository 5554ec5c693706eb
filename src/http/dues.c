/*
 * dues.c: the party dues resource (党费, RULES.md section 2): the
 * calculator, each member's standard, the monthly ledger of a committee's
 * subtree, payments (idempotent by transaction reference), reporting and
 * settling a month, and arrears.
 */
#include "util/common.h"
#include "core/dues.h"
#include "http/dues_common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

/* GET /api/v1/dues/calculate?category&base_fen -> 200 {category, base_fen, rate_per_mille, amount_fen} */
static int h_calculate(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dues_result r;
	int64_t base;
	int cat;
	struct err ve = ERR_INIT;
	json_t *j;

	if (param_enum(req, "category", dues_category_enum, &cat, e) < 0 ||
	    param_int(req, "base_fen", -1, 0, DUES_MAX_BASE_FEN, &base, e) < 0)
		return -1;
	if (!cat)
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "请指定人员类别 category");
	if (base < 0 && dues_category_uses_base(cat))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter",
			       "请指定月收入基数 base_fen（单位：分）");
	if (dues_calculate(dues_settings_get(req), cat, base < 0 ? 0 : base, &r, &ve) < 0) {
		err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "%s", ve.message);
		return -1;
	}
	j = json_pack("{s:s,s:I,s:I}", "category", enum_json(dues_category_enum, cat), "base_fen",
		      (json_int_t)(base < 0 ? 0 : base), "amount_fen", (json_int_t)r.amount_fen);
	json_object_set_new(j, "rate_per_mille",
			    r.fixed || r.by_approval ? json_null() : json_integer(r.per_mille));
	json_object_set_new(j, "category_label", json_string(enum_label(dues_category_enum, cat)));
	return http_reply_json(rep, 200, j);
}

static void standard_jsonw(struct jsonw *w, const struct dues_standard *s)
{
	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", s->id);
	jsonw_kv_int(w, "member_id", s->member_id);
	jsonw_kv_str(w, "category", s->category);
	jsonw_kv_str(w, "category_label",
		     enum_label(dues_category_enum, enum_from_json(dues_category_enum, s->category)));
	jsonw_kv_int(w, "base_fen", s->base_fen);
	jsonw_key(w, "rate_per_mille");
	if (s->per_mille >= 0)
		jsonw_int(w, s->per_mille);
	else
		jsonw_null(w);
	jsonw_kv_int(w, "amount_fen", s->amount_fen);
	jsonw_kv_str(w, "effective_month", s->effective_month);
	jsonw_kv_str(w, "reduction_reason", s->reduction_reason);
	jsonw_kv_str(w, "approved_by", s->approved_by);
	jsonw_kv_str(w, "approved_on", s->approved_on);
	jsonw_kv_str(w, "created_at", s->created_at);
	jsonw_kv_str(w, "created_by", s->created_by);
	jsonw_object_end(w);
}

/* The member in the caller's reach: their subtree, or themselves for PERM_SELF. */
static int load_member(struct http_req *req, int64_t id, struct member *m, struct err *e)
{
	if (!user_can(req->user, PERM_MEMBER_READ)) {
		if (req->user->member_id != id)
			return err_set(e, ERR_NOT_FOUND, NULL, "党员不存在");
		return store_member_get(req->db, req->arena, NULL, id, false, m, e);
	}
	return store_member_get(req->db, req->arena, req_scope(req), id, false, m, e);
}

/* Arrears of one member from their standards and payments. */
static int member_arrears(struct http_req *req, const struct dues_standard *hist, size_t nh,
			  const struct dues_payment *pays, size_t np, struct dues_arrears *out, struct err *e)
{
	int first = 0, *paid;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (!nh)
		return 0;
	dues_month_parse(hist[nh - 1].effective_month, &first);
	paid = arena_alloc(req->arena, (np + 1) * sizeof(*paid));
	for (size_t i = np; i-- > 0;) /* payments come newest first */
		if (dues_month_parse(pays[i].month, &paid[n]) == 0)
			n++;
	return dues_arrears_compute(dues_settings_get(req), first, paid, n, req_today(req), out, e);
}

/* GET /api/v1/members/{id}/dues -> 200 {standard, history, payments, paid_up_to, unpaid_months,
 * arrears_level} */
int dues_member_reply(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member m;
	struct dues_standard *hist, cur;
	struct dues_payment *pays;
	struct dues_arrears ar;
	struct jsonw w = JSONW_INIT;
	size_t nh, np;
	bool found;

	if (load_member(req, req->params[0], &m, e) < 0 ||
	    store_dues_standards(req->db, req->arena, m.id, &hist, &nh, e) < 0 ||
	    store_dues_payments(req->db, req->arena, m.id, &pays, &np, e) < 0 ||
	    store_dues_standard_at(req->db, req->arena, m.id,
				   dues_month_text(req->arena, dues_current_month(req)), &cur, &found,
				   e) < 0 ||
	    member_arrears(req, hist, nh, pays, np, &ar, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "member_id", m.id);
	jsonw_kv_str(&w, "name", m.name);
	jsonw_key(&w, "standard");
	if (found)
		standard_jsonw(&w, &cur);
	else
		jsonw_null(&w);
	jsonw_key(&w, "history");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < nh; i++)
		standard_jsonw(&w, &hist[i]);
	jsonw_array_end(&w);
	jsonw_key(&w, "payments");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < np; i++)
		dues_payment_jsonw(&w, &pays[i]);
	jsonw_array_end(&w);
	jsonw_kv_str(&w, "paid_up_to", np ? pays[0].month : NULL);
	jsonw_kv_int(&w, "unpaid_months", ar.unpaid_total);
	jsonw_kv_int(&w, "consecutive_unpaid", ar.consecutive);
	jsonw_kv_str(&w, "arrears_level", enum_json(dues_arrears_level_enum, ar.level));
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* PUT /api/v1/members/{id}/dues-standard {category, base_fen, effective_month, ...} -> 200 standard | 422 */
static int h_set_standard(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = {
		"category",    "base_fen",   "effective_month",   "reduction_reason",  "approved_by",
		"approved_on", "amount_fen", "pension_basic_fen", "pension_total_fen", NULL
	};
	struct dues_standard s = { 0 };
	struct dues_result r;
	struct member m;
	struct actor who = req_actor(req);
	struct jsonw w = JSONW_INIT;
	const char *month = NULL;
	struct date approved = DATE_NONE;
	int64_t base = 0, amount = -1, basic = -1, total = -1;
	int cat = 0, mon;

	if (store_member_get(req->db, req->arena, req_scope(req), req->params[0], false, &m, e) < 0)
		return -1;
	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_enum(req->json, "category", dues_category_enum, &cat, e) == 0)
		err_field(e, "category", "请选择党费类别");
	json_get_int(req->json, "base_fen", 0, DUES_MAX_BASE_FEN, &base, e);
	if (json_get_str(req->json, "effective_month", 10, &month, e) > 0 &&
	    (!month || dues_month_parse(month, &mon) < 0))
		err_field(e, "effective_month", "月份格式应为 YYYY-MM");
	if (!month)
		mon = dues_current_month(req);
	json_get_str(req->json, "reduction_reason", 200, &s.reduction_reason, e);
	json_get_str(req->json, "approved_by", 50, &s.approved_by, e);
	json_get_date(req->json, "approved_on", &approved, e);
	json_get_int(req->json, "amount_fen", 0, DUES_MAX_BASE_FEN, &amount, e);
	json_get_int(req->json, "pension_basic_fen", 0, DUES_MAX_BASE_FEN, &basic, e);
	json_get_int(req->json, "pension_total_fen", 0, DUES_MAX_BASE_FEN, &total, e);
	if (basic >= 0 || total >= 0) {
		/* DUES-04: which part of a retired member's pay is the base is a setting (dues_retired_base).
		 */
		if (cat != DUES_CAT_RETIRED)
			err_field(e, "pension_basic_fen", "只有离退休党员按退休费核定基数");
		else if (basic < 0 || total < 0)
			err_field(e, basic < 0 ? "pension_basic_fen" : "pension_total_fen",
				  "请同时填写基本退休费和退休费总额");
		else if (basic > total)
			err_field(e, "pension_basic_fen", "基本退休费不能超过退休费总额");
		else
			base = dues_retired_base(dues_settings_get(req), basic, total);
	}
	if (err_is_set(e))
		return -1;
	if (date_is_set(m.joined_on) && mon < dues_month_of(m.joined_on))
		return err_field(e, "effective_month",
				 "党费从入党当月开始缴纳（%04d-%02d），标准不能早于该月", m.joined_on.y,
				 m.joined_on.m);
	if (dues_calculate(dues_settings_get(req), cat, base, &r, e) < 0)
		return -1;
	s.member_id = m.id;
	s.category = enum_json(dues_category_enum, cat);
	s.base_fen = dues_category_uses_base(cat) ? base : 0;
	s.per_mille = r.fixed || r.by_approval ? -1 : r.per_mille;
	s.amount_fen = r.amount_fen;
	s.effective_month = dues_month_text(req->arena, mon);
	if (s.reduction_reason && *s.reduction_reason) {
		/* DUES-07: less or nothing, decided by the branch and approved above. */
		if (!s.approved_by || !*s.approved_by)
			return err_field(e, "approved_by", "减免须填写批准组织或批准人");
		if (!date_is_set(approved))
			return err_field(e, "approved_on", "减免须填写批准日期");
		if (amount < 0)
			return err_field(e, "amount_fen", "减免须填写减免后的月缴金额");
		s.amount_fen = amount;
		s.per_mille = -1;
		s.approved_on =
			arena_printf(req->arena, "%04d-%02d-%02d", approved.y, approved.m, approved.d);
	} else if (r.by_approval) {
		return err_field(e, "reduction_reason", "减免类别须填写减免原因及批准情况");
	} else if (amount >= 0 && amount != r.amount_fen) {
		return err_field(e, "amount_fen", "按标准应缴%lld分；只有经批准的减免才能另定金额",
				 (long long)r.amount_fen);
	}
	if (store_begin(req->db, e) < 0 || store_dues_standard_set(req->db, &s, who.name, e) < 0)
		return -1;
	{
		/* Reply with the row as stored (timestamps, defaults), read inside the transaction. */
		bool found;
		if (store_dues_standard_at(req->db, req->arena, m.id, s.effective_month, &s, &found, e) < 0)
			return -1;
	}
	standard_jsonw(&w, &s);
	if (store_audit(req->db, &who, "dues.standard", "member", m.id, NULL,
			arena_strndup(req->arena, w.sb.buf, w.sb.len), e) < 0 ||
	    store_commit(req->db, e) < 0) {
		strbuf_release(&w.sb);
		return -1;
	}
	return reply_jsonw(rep, 200, &w);
}

/* POST /api/v1/dues/months {org_id, month} -> 201 {org_id, month, status} | 409 month_exists */
static int h_open_month(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "org_id", "month", NULL };
	struct actor who = req_actor(req);
	const char *month = NULL;
	int64_t org_id = 0;
	struct org o;
	int m;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_int(req->json, "org_id", 1, INT64_MAX, &org_id, e) == 0)
		err_field(e, "org_id", "请选择党组织");
	if (json_get_str(req->json, "month", 10, &month, e) == 0 || !month || dues_month_parse(month, &m) < 0)
		err_field(e, "month", "月份格式应为 YYYY-MM");
	if (err_is_set(e))
		return -1;
	if (dues_months_between(dues_current_month(req), m) > dues_settings_get(req)->max_prepay_months)
		return err_field(e, "month", "不能提前建立%d个月以后的账期",
				 dues_settings_get(req)->max_prepay_months);
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	month = dues_month_text(req->arena, m);
	if (store_begin(req->db, e) < 0 || store_dues_month_open(req->db, o.id, month, who.name, e) < 0 ||
	    store_audit(req->db, &who, "dues.month_open", "org", o.id, NULL,
			arena_printf(req->arena, "{\"month\":\"%s\"}", month), e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	return http_reply_json(rep, 201,
			       json_pack("{s:I,s:s,s:s,s:s}", "org_id", (json_int_t)o.id, "org_name", o.name,
					 "month", month, "status", "open"));
}

static int month_step(struct http_req *req, struct http_reply *rep, const char *status, struct err *e)
{
	struct actor who = req_actor(req);
	struct org o;
	char path_month[8], *ledger_status = NULL;
	int64_t ledger_org = 0;
	int m;

	/* /api/v1/dues/months/{org}/{month as YYYYMM} */
	if (!dues_month_valid((int)req->params[1]))
		return err_set(e, ERR_NOT_FOUND, NULL, "账期不存在");
	m = (int)req->params[1];
	dues_month_format(m, path_month);
	if (store_org_get(req->db, req->arena, req_scope(req), req->params[0], &o, e) < 0 ||
	    store_dues_month_for(req->db, req->arena, o.path, path_month, &ledger_org, &ledger_status, e) < 0)
		return -1;
	if (!strcmp(status, "reported") && ledger_org && ledger_org != o.id) {
		/* A branch under a committee's ledger reports its own part up (DUES-13). */
		struct dues_ledger l;
		if (strcmp(ledger_status, "open") != 0)
			return err_set(e, ERR_CONFLICT, "month_closed", "%s的党费账期已上报或结算",
				       path_month);
		if (store_dues_ledger(req->db, req->arena, o.path, path_month, 1, 1, 1, &l, e) < 0 ||
		    store_begin(req->db, e) < 0 ||
		    store_dues_report_add(req->db, o.id, path_month, l.paid_count, l.paid_fen, who.name, e) <
			    0 ||
		    store_audit(req->db, &who, "dues.month_report", "org", o.id, NULL,
				arena_printf(req->arena,
					     "{\"month\":\"%s\",\"paid_count\":%lld,\"paid_fen\":%lld}",
					     path_month, (long long)l.paid_count, (long long)l.paid_fen),
				e) < 0 ||
		    store_commit(req->db, e) < 0)
			return -1;
		return http_reply_json(rep, 200,
				       json_pack("{s:I,s:s,s:s,s:I,s:I}", "org_id", (json_int_t)o.id, "month",
						 path_month, "status", "reported", "paid_count",
						 (json_int_t)l.paid_count, "paid_fen",
						 (json_int_t)l.paid_fen));
	}
	if (store_begin(req->db, e) < 0 || store_dues_month_set(req->db, o.id, path_month, status, e) < 0 ||
	    store_audit(req->db, &who, !strcmp(status, "settled") ? "dues.month_settle" : "dues.month_report",
			"org", o.id, NULL, arena_printf(req->arena, "{\"month\":\"%s\"}", path_month),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	return http_reply_json(rep, 200,
			       json_pack("{s:I,s:s,s:s}", "org_id", (json_int_t)o.id, "month", path_month,
					 "status", status));
}

/* POST /api/v1/dues/months/{org_id}/{YYYYMM}/report -> 200 | 404 | 409 month_closed */
static int h_report(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return month_step(req, rep, "reported", e);
}

/* POST /api/v1/dues/months/{org_id}/{YYYYMM}/settle -> 200 | 404 | 409 month_closed */
static int h_settle(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return month_step(req, rep, "settled", e);
}

/* GET /api/v1/dues/ledger?org&month&filter&page&per_page -> 200 {items, total, summary, month_status} */
static int h_ledger(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dues_ledger l;
	struct org o;
	struct jsonw w = JSONW_INIT;
	const char *filter = NULL, *month;
	char *status = NULL;
	int64_t org_id, ledger_org;
	int page, per_page, m, f = 0;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_month(req, "month", dues_current_month(req), &m, e) < 0 ||
	    param_str(req, "filter", 10, &filter, e) < 0 || param_page(req, &page, &per_page, NULL, e) < 0)
		return -1;
	if (filter && strcmp(filter, "all")) {
		if (!strcmp(filter, "paid"))
			f = 1;
		else if (!strcmp(filter, "unpaid"))
			f = 2;
		else
			return err_set(e, ERR_BAD_REQUEST, "invalid_parameter",
				       "参数 filter 应为 all、paid 或 unpaid");
	}
	month = dues_month_text(req->arena, m);
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0 ||
	    store_dues_ledger(req->db, req->arena, o.path, month, f, page, per_page, &l, e) < 0 ||
	    store_dues_month_for(req->db, req->arena, o.path, month, &ledger_org, &status, e) < 0)
		return -1;
	if (status && !strcmp(status, "open")) {
		bool reported;
		if (store_dues_reported(req->db, req->arena, o.path, month, &reported, e) < 0)
			return -1;
		if (reported)
			status = arena_strdup(req->arena, "reported");
	}
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < l.n; i++) {
		const struct dues_ledger_row *x = &l.items[i];
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "member_id", x->member_id);
		jsonw_kv_str(&w, "name", x->name);
		jsonw_kv_int(&w, "org_id", x->org_id);
		jsonw_kv_str(&w, "org_name", x->org_name);
		jsonw_kv_int(&w, "amount_fen", x->amount_fen);
		jsonw_kv_int(&w, "paid_fen", x->paid_fen);
		jsonw_kv_bool(&w, "paid", x->paid);
		jsonw_kv_str(&w, "paid_on", x->paid_on);
		jsonw_kv_str(&w, "method", x->method);
		jsonw_kv_str(&w, "paid_up_to", x->paid_up_to);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", l.total);
	jsonw_kv_int(&w, "page", page);
	jsonw_kv_int(&w, "per_page", per_page);
	jsonw_kv_str(&w, "month", month);
	jsonw_kv_str(&w, "month_status", status);
	jsonw_key(&w, "ledger_org_id");
	if (ledger_org)
		jsonw_int(&w, ledger_org);
	else
		jsonw_null(&w);
	jsonw_key(&w, "summary");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "due_count", l.due_count);
	jsonw_kv_int(&w, "paid_count", l.paid_count);
	jsonw_kv_int(&w, "due_fen", l.due_fen);
	jsonw_kv_int(&w, "paid_fen", l.paid_fen);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

static const struct enum_entry method_enum[] = {
	{ 1, "cash", "现金" },
	{ 2, "bank", "银行转账" },
	{ 3, "online", "网上缴纳" },
	{ 0, NULL, NULL },
};

/* POST /api/v1/dues/payments {member_id, month, amount_fen, method, paid_on, payer_name, reference, note}
 *   -> 201 payment | 200 payment (same reference again) | 404 | 409 already_paid | 422 */
static int h_pay(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "member_id",  "month",     "amount_fen", "method", "paid_on",
					      "payer_name", "reference", "note",       NULL };
	struct dues_payment p = { 0 }, old;
	struct member m;
	struct jsonw w = JSONW_INIT;
	const char *month = NULL;
	struct date paid_on = DATE_NONE;
	int64_t member_id = 0, amount = 0;
	int mon = 0, method = 0;
	bool found;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_int(req->json, "member_id", 1, INT64_MAX, &member_id, e) == 0)
		err_field(e, "member_id", "请选择党员");
	if (json_get_str(req->json, "month", 10, &month, e) == 0 || !month ||
	    dues_month_parse(month, &mon) < 0)
		err_field(e, "month", "月份格式应为 YYYY-MM");
	if (json_get_int(req->json, "amount_fen", INT64_MIN, INT64_MAX, &amount, e) == 0)
		err_field(e, "amount_fen", "请填写缴纳金额（单位：分）");
	if (json_get_enum(req->json, "method", method_enum, &method, e) == 0)
		err_field(e, "method", "请选择缴纳方式");
	json_get_date(req->json, "paid_on", &paid_on, e);
	json_get_str(req->json, "payer_name", 50, &p.payer_name, e);
	json_get_str(req->json, "reference", 64, &p.reference, e);
	json_get_str(req->json, "note", 200, &p.note, e);
	if (err_is_set(e))
		return -1;
	if (!date_is_set(paid_on))
		paid_on = req_today(req);
	if (date_cmp(paid_on, req_today(req)) > 0)
		return err_field(e, "paid_on", "缴纳日期不能晚于今天");
	if (store_member_get(req->db, req->arena, req_scope(req), member_id, false, &m, e) < 0)
		return -1;
	/* Idempotent by transaction reference: the same bank/platform record applies once. */
	if (p.reference && *p.reference) {
		if (store_dues_payment_by_ref(req->db, req->arena, p.reference, &old, &found, e) < 0)
			return -1;
		if (found) {
			if (old.member_id != member_id ||
			    strcmp(old.month, dues_month_text(req->arena, mon)) != 0)
				return err_set(e, ERR_CONFLICT, "reference_used",
					       "交易流水号 %s 已用于另一笔缴费", p.reference);
			dues_payment_jsonw(&w, &old);
			return reply_jsonw(rep, 200, &w);
		}
	} else {
		p.reference = NULL;
	}
	{
		struct dues_pay_request pr = { .m = &m,
					       .month = mon,
					       .amount_fen = amount,
					       .method = enum_json(method_enum, method),
					       .paid_on = arena_printf(req->arena, "%04d-%02d-%02d",
								       paid_on.y, paid_on.m, paid_on.d),
					       .payer_name = p.payer_name,
					       .reference = p.reference,
					       .note = p.note };
		if (store_begin(req->db, e) < 0 || dues_record_payment(req, &pr, &p, e) < 0)
			return -1;
	}
	dues_payment_jsonw(&w, &p);
	if (store_commit(req->db, e) < 0) {
		strbuf_release(&w.sb);
		return -1;
	}
	return reply_jsonw(rep, 201, &w);
}

int dues_arrears_rows(struct http_req *req, const char *path, struct arrears_row **out, size_t *n_out,
		      struct err *e)
{
	struct dues_ledger l;
	int64_t *pm_ids;
	const char **pm_months;
	size_t npm, k = 0, cap = 0;
	int *paid;

	*out = NULL;
	*n_out = 0;
	if (store_dues_ledger(req->db, req->arena, path, dues_month_text(req->arena, dues_current_month(req)),
			      0, 1, 0, &l, e) < 0 ||
	    store_dues_paid_months(req->db, req->arena, path, &pm_ids, &pm_months, &npm, e) < 0)
		return -1;
	paid = arena_alloc(req->arena, (npm + 1) * sizeof(*paid));
	for (size_t i = 0; i < l.n; i++) {
		const struct dues_ledger_row *x = &l.items[i];
		struct arrears_row *r;
		struct dues_arrears ar;
		size_t np = 0;
		int first;

		/* Payments come ordered by member id: a linear scan keeps this simple at branch sizes. */
		for (k = 0; k < npm; k++)
			if (pm_ids[k] == x->member_id && dues_month_parse(pm_months[k], &paid[np]) == 0)
				np++;
		if (!x->first_month || dues_month_parse(x->first_month, &first) < 0)
			continue;
		if (x->amount_fen == 0)
			continue; /* an approved exemption (DUES-07): nothing is owed */
		if (dues_arrears_compute(dues_settings_get(req), first, paid, np, req_today(req), &ar, e) < 0)
			return -1;
		if (ar.unpaid_total == 0)
			continue;
		*out = arena_grow(req->arena, *out, sizeof(**out), *n_out, &cap);
		r = &(*out)[(*n_out)++];
		r->row = *x;
		r->arrears = ar;
	}
	return 0;
}

/* GET /api/v1/dues/arrears?org -> 200 {items:[...], total} */
static int h_arrears(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct arrears_row *rows;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id;
	size_t n;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0 ||
	    dues_arrears_rows(req, o.path, &rows, &n, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct dues_ledger_row *x = &rows[i].row;
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "member_id", x->member_id);
		jsonw_kv_str(&w, "name", x->name);
		jsonw_kv_int(&w, "org_id", x->org_id);
		jsonw_kv_str(&w, "org_name", x->org_name);
		jsonw_kv_str(&w, "paid_up_to", x->paid_up_to);
		jsonw_kv_int(&w, "unpaid_months", rows[i].arrears.unpaid_total);
		jsonw_kv_int(&w, "consecutive_unpaid", rows[i].arrears.consecutive);
		jsonw_kv_str(&w, "level", enum_json(dues_arrears_level_enum, rows[i].arrears.level));
		jsonw_kv_str(&w, "level_label", enum_label(dues_arrears_level_enum, rows[i].arrears.level));
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", (int64_t)n);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/*
 * POST /api/v1/dues/standards/renew {org_id, year} -> 200 {created, unchanged}
 * The yearly re-assessment (DUES-09 yearly_january): every member of the
 * subtree whose standard predates January gets one from January, recomputed
 * under the current rules from the same category and base; approved
 * reductions carry over unchanged. Bases are then updated member by member.
 */
static int h_renew(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "org_id", "year", NULL };
	struct dues_ledger l;
	struct actor who = req_actor(req);
	struct org o;
	int64_t org_id = 0, year = 0;
	const char *jan;
	size_t created = 0, unchanged = 0;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_int(req->json, "org_id", 1, INT64_MAX, &org_id, e) == 0)
		err_field(e, "org_id", "请选择党组织");
	if (json_get_int(req->json, "year", 2008, 9999, &year, e) == 0)
		err_field(e, "year", "请填写年度");
	if (err_is_set(e))
		return -1;
	if (year > req_today(req).y + 1)
		return err_field(e, "year", "只能核定本年度或下一年度的党费标准");
	if (dues_settings_get(req)->rebase_policy == DUES_REBASE_ON_CHANGE)
		return err_set(e, ERR_CONFLICT, "rebase_on_change",
			       "当前设置为收入变化当月调整（dues_rebase=on_change），不做年度统一核定");
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	jan = arena_printf(req->arena, "%04d-01", (int)year);
	if (store_begin(req->db, e) < 0 ||
	    store_dues_ledger(req->db, req->arena, o.path, jan, 0, 1, 0, &l, e) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		struct dues_standard cur, next;
		struct dues_result r;
		bool found;
		if (store_dues_standard_at(req->db, req->arena, l.items[i].member_id, jan, &cur, &found, e) <
		    0)
			return -1;
		if (!found || !strcmp(cur.effective_month, jan)) {
			unchanged++;
			continue;
		}
		next = cur;
		next.effective_month = jan;
		if (!*cur.reduction_reason) {
			if (dues_calculate(dues_settings_get(req),
					   enum_from_json(dues_category_enum, cur.category), cur.base_fen, &r,
					   e) < 0)
				return -1;
			next.per_mille = r.fixed || r.by_approval ? -1 : r.per_mille;
			next.amount_fen = r.amount_fen;
		}
		if (store_dues_standard_set(req->db, &next, who.name, e) < 0)
			return -1;
		created++;
	}
	if (store_audit(req->db, &who, "dues.renew", "org", o.id, NULL,
			arena_printf(req->arena, "{\"year\":%d,\"created\":%zu}", (int)year, created),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	return http_reply_json(rep, 200,
			       json_pack("{s:I,s:I,s:i}", "created", (json_int_t)created, "unchanged",
					 (json_int_t)unchanged, "year", (int)year));
}

const struct route dues_routes[] = {
	{ "POST", "/api/v1/dues/standards/renew", h_renew, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/dues/calculate", h_calculate, 0, 0 },
	{ "GET", "/api/v1/dues/ledger", h_ledger, 0, PERM_MEMBER_READ },
	{ "GET", "/api/v1/dues/arrears", h_arrears, 0, PERM_MEMBER_READ },
	{ "POST", "/api/v1/dues/months", h_open_month, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/dues/months/{org}/{month}/report", h_report, 0, PERM_MEMBER_WRITE },
	{ "POST", "/api/v1/dues/months/{org}/{month}/settle", h_settle, 0, PERM_ORG_WRITE },
	{ "POST", "/api/v1/dues/payments", h_pay, 0, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/members/{id}/dues", dues_member_reply, 0, PERM_MEMBER_READ | PERM_SELF },
	{ "PUT", "/api/v1/members/{id}/dues-standard", h_set_standard, 0, PERM_MEMBER_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
