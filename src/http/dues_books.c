/*
 * dues_books.c: the dues books of a committee: the yearly publicity list
 * (公示, DUES-15) as a file, the remittance summary (上解, DUES-13 and
 * DUES-08), the ledger of retained dues spent (DUES-14), and the member's
 * own dues (self-service).
 */
#include "util/common.h"
#include "http/dues_common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "io/dues_publicity.h"
#include "util/arena.h"
#include "util/jsonw.h"
#include "util/strbuf.h"

static const struct enum_entry spending_enum[] = {
	{ 1, "training", "培训党员" },     { 2, "materials", "订阅报刊和购置教育设备" },
	{ 3, "commendation", "表彰先进" }, { 4, "hardship", "补助生活困难党员" },
	{ 5, "disaster", "补助受灾党员" }, { 0, NULL, NULL },
};

/* GET /api/v1/dues/me -> the caller's own dues (as GET /members/{id}/dues) | 404 */
static int h_me(struct http_req *req, struct http_reply *rep, struct err *e)
{
	if (!req->user->member_id)
		return err_set(e, ERR_NOT_FOUND, "no_member_record", "您的账号没有关联党员档案");
	req->params[0] = req->user->member_id;
	req->nparams = 1;
	return dues_member_reply(req, rep, e);
}

/* Months 1..12 of `year` paid, as "1-6月、8月". */
static const char *months_text(struct arena *a, const int *months, size_t n)
{
	char *buf = arena_alloc(a, 96);

	dues_publicity_months_text(months, n, buf, 96);
	return buf;
}

/* GET /api/v1/dues/publicity?org&year&format=xlsx|pdf -> file */
static int h_publicity(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dues_publicity pub = { 0 };
	struct dues_publicity_row *rows = NULL;
	struct dues_year_row *yr;
	struct actor who = req_actor(req);
	struct strbuf out = STRBUF_INIT;
	const char *format = NULL;
	size_t n, nrows = 0, cap = 0;
	int64_t org_id;
	int year, months[12], nm = 0;
	struct org o;
	bool pdf;
	int rc = -1;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_year(req, "year", req_today(req).y, &year, e) < 0 ||
	    param_str(req, "format", 8, &format, e) < 0)
		goto out;
	if (!user_can(req->user, PERM_MEMBER_READ)) {
		/* DUES-15: members see their own branch's publicity list. */
		struct member self;
		if (!req->user->member_id ||
		    store_member_get(req->db, req->arena, NULL, req->user->member_id, false, &self, e) < 0)
			goto out;
		if (org_id != req->user->org_id && org_id != self.org_id) {
			err_set(e, ERR_NOT_FOUND, NULL, "党组织不存在");
			goto out;
		}
		org_id = self.org_id;
	}
	if (format && strcmp(format, "xlsx") && strcmp(format, "pdf")) {
		err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 format 应为 xlsx 或 pdf");
		goto out;
	}
	pdf = format && !strcmp(format, "pdf");
	if (store_org_get(req->db, req->arena, user_can(req->user, PERM_MEMBER_READ) ? req_scope(req) : NULL,
			  org_id, &o, e) < 0 ||
	    store_dues_year(req->db, req->arena, o.path, arena_printf(req->arena, "%04d", year), &yr, &n, e) <
		    0)
		goto out;
	/* Rows come member by member, month by month: fold each member into one line. */
	for (size_t i = 0; i < n; i++) {
		struct dues_publicity_row *r;
		if (i == 0 || yr[i].member_id != yr[i - 1].member_id) {
			rows = arena_grow(req->arena, rows, sizeof(*rows), nrows, &cap);
			r = &rows[nrows++];
			memset(r, 0, sizeof(*r));
			r->name = yr[i].name;
			r->org_name = yr[i].org_name;
			r->standard_fen = yr[i].standard_fen;
			nm = 0;
		}
		r = &rows[nrows - 1];
		if (yr[i].month) {
			if (nm < 12)
				months[nm++] = atoi(yr[i].month + 5);
			r->months_paid++;
			r->paid_fen += yr[i].amount_fen;
		}
		if (i + 1 == n || yr[i + 1].member_id != yr[i].member_id)
			r->paid_months = months_text(req->arena, months, (size_t)nm);
	}
	pub.title_org = o.name;
	pub.year = year;
	pub.generated_on = req->today;
	pub.rows = rows;
	pub.n = nrows;
	if ((pdf ? dues_publicity_pdf(&pub, &out, e) : dues_publicity_xlsx(&pub, &out, e)) < 0)
		goto out;
	if (store_begin(req->db, e) < 0 ||
	    store_audit(req->db, &who, "dues.publicity", "org", o.id, NULL,
			arena_printf(req->arena, "{\"year\":%d,\"format\":\"%s\",\"rows\":%zu}", year,
				     pdf ? "pdf" : "xlsx", nrows),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		goto out;
	rep->status = 200;
	rep->content_type =
		pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_reply_header(rep, "Content-Disposition",
			  arena_printf(req->arena, "attachment; filename=\"dues-publicity-%d.%s\"", year,
				       pdf ? "pdf" : "xlsx"));
	rep->body = strbuf_detach(&out, &rep->body_len);
	rc = 0;
out:
	strbuf_release(&out);
	return rc;
}

/* GET /api/v1/dues/remittance?org&year&share_per_mille -> 200 summary */
static int h_remittance(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dues_year_row *yr;
	struct dues_spending *sp;
	struct org_list kids;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id, share, by_month[13] = { 0 }, paid_count[13] = { 0 }, collected = 0, central = 0,
			       spent = 0;
	int64_t *by_kid;
	size_t n, nsp;
	int year;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_year(req, "year", req_today(req).y, &year, e) < 0 ||
	    param_int(req, "share_per_mille", 200, 0, 1000, &share, e) < 0 ||
	    store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0 ||
	    store_dues_year(req->db, req->arena, o.path, arena_printf(req->arena, "%04d", year), &yr, &n, e) <
		    0 ||
	    store_org_children(req->db, req->arena, o.id, &kids, e) < 0 ||
	    store_dues_spending_list(req->db, req->arena, o.id, arena_printf(req->arena, "%04d", year), &sp,
				     &nsp, e) < 0)
		return -1;
	by_kid = arena_zalloc(req->arena, (kids.n + 1) * sizeof(*by_kid));
	for (size_t i = 0; i < n; i++) {
		int m;
		if (!yr[i].month)
			continue;
		m = atoi(yr[i].month + 5);
		by_month[m] += yr[i].amount_fen;
		paid_count[m]++;
		collected += yr[i].amount_fen;
		central += yr[i].extra_central_fen;
		for (size_t k = 0; k < kids.n; k++)
			if (!strncmp(yr[i].org_path, kids.items[k].path, strlen(kids.items[k].path)))
				by_kid[k] += yr[i].amount_fen;
	}
	for (size_t i = 0; i < nsp; i++)
		spent += sp[i].amount_fen;
	{
		/* DUES-08: voluntary extras of 1000 yuan or more go up whole; the share applies to the rest.
		 */
		int64_t remit = dues_remit_share(collected - central, (int)share);
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "org_id", o.id);
		jsonw_kv_str(&w, "org_name", o.name);
		jsonw_kv_int(&w, "year", year);
		jsonw_kv_int(&w, "collected_fen", collected);
		jsonw_kv_int(&w, "share_per_mille", share);
		jsonw_kv_int(&w, "remit_fen", remit);
		jsonw_kv_int(&w, "central_remit_fen", central);
		jsonw_kv_int(&w, "spent_fen", spent);
		jsonw_kv_int(&w, "retained_fen", collected - central - remit - spent);
	}
	jsonw_key(&w, "by_month");
	jsonw_array_begin(&w);
	for (int m = 1; m <= 12; m++) {
		jsonw_object_begin(&w);
		jsonw_kv_str(&w, "month", dues_month_text(req->arena, year * 100 + m));
		jsonw_kv_int(&w, "collected_fen", by_month[m]);
		jsonw_kv_int(&w, "paid_count", paid_count[m]);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "by_org");
	jsonw_array_begin(&w);
	for (size_t k = 0; k < kids.n; k++) {
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "org_id", kids.items[k].id);
		jsonw_kv_str(&w, "name", kids.items[k].name);
		jsonw_kv_int(&w, "collected_fen", by_kid[k]);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

static void spending_jsonw(struct jsonw *w, const struct dues_spending *s)
{
	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", s->id);
	jsonw_kv_int(w, "org_id", s->org_id);
	jsonw_kv_str(w, "spent_on", s->spent_on);
	jsonw_kv_str(w, "category", s->category);
	jsonw_kv_str(w, "category_label",
		     enum_label(spending_enum, enum_from_json(spending_enum, s->category)));
	jsonw_kv_int(w, "amount_fen", s->amount_fen);
	jsonw_kv_str(w, "description", s->description);
	jsonw_kv_str(w, "approved_by", s->approved_by);
	jsonw_kv_str(w, "approval_doc", s->approval_doc ? s->approval_doc : "");
	jsonw_kv_str(w, "created_by", s->created_by);
	jsonw_kv_str(w, "created_at", s->created_at);
	jsonw_object_end(w);
}

/* GET /api/v1/dues/spending?org&year -> 200 {items, total_fen} */
static int h_spending_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dues_spending *sp;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id, total = 0;
	size_t n;
	int year;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_year(req, "year", req_today(req).y, &year, e) < 0 ||
	    store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0 ||
	    store_dues_spending_list(req->db, req->arena, o.id, arena_printf(req->arena, "%04d", year), &sp,
				     &n, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		spending_jsonw(&w, &sp[i]);
		total += sp[i].amount_fen;
	}
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", (int64_t)n);
	jsonw_kv_int(&w, "total_fen", total);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* POST /api/v1/dues/spending {org_id, spent_on, category, amount_fen, description, approved_by, approval_doc}
 * -> 201 */
static int h_spending_add(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "org_id",      "spent_on",    "category",     "amount_fen",
					      "description", "approved_by", "approval_doc", NULL };
	struct dues_spending s = { 0 };
	struct actor who = req_actor(req);
	struct jsonw w = JSONW_INIT;
	struct date d = DATE_NONE;
	struct org o;
	int cat = 0;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_int(req->json, "org_id", 1, INT64_MAX, &s.org_id, e) == 0)
		err_field(e, "org_id", "请选择党组织");
	if (json_get_date(req->json, "spent_on", &d, e) == 0 || !date_is_set(d))
		err_field(e, "spent_on", "请填写支出日期");
	else if (date_cmp(d, req_today(req)) > 0)
		err_field(e, "spent_on", "支出日期不能晚于今天");
	if (json_get_enum(req->json, "category", spending_enum, &cat, e) == 0)
		err_field(e, "category", "请选择支出类别");
	if (json_get_int(req->json, "amount_fen", 1, DUES_MAX_TOTAL_FEN, &s.amount_fen, e) == 0)
		err_field(e, "amount_fen", "请填写支出金额");
	if (json_get_str(req->json, "description", 200, &s.description, e) == 0 || !s.description ||
	    !*s.description)
		err_field(e, "description", "请填写支出事由");
	if (json_get_str(req->json, "approved_by", 50, &s.approved_by, e) == 0 || !s.approved_by ||
	    !*s.approved_by)
		err_field(e, "approved_by", "请填写审批人");
	json_get_str(req->json, "approval_doc", 100, &s.approval_doc, e);
	if (err_is_set(e))
		return -1;
	if (store_org_get(req->db, req->arena, req_scope(req), s.org_id, &o, e) < 0)
		return -1;
	s.spent_on = arena_printf(req->arena, "%04d-%02d-%02d", d.y, d.m, d.d);
	s.category = enum_json(spending_enum, cat);
	s.created_by = who.name;
	s.created_at = "";
	if (store_begin(req->db, e) < 0 || store_dues_spending_add(req->db, &s, e) < 0)
		return -1;
	spending_jsonw(&w, &s);
	if (store_audit(req->db, &who, "dues.spending", "org", o.id, NULL,
			arena_strndup(req->arena, w.sb.buf, w.sb.len), e) < 0 ||
	    store_commit(req->db, e) < 0) {
		strbuf_release(&w.sb);
		return -1;
	}
	return reply_jsonw(rep, 201, &w);
}

const struct route dues_book_routes[] = {
	{ "GET", "/api/v1/dues/me", h_me, 0, 0 },
	{ "GET", "/api/v1/dues/publicity", h_publicity, 0, PERM_MEMBER_READ | PERM_SELF },
	{ "GET", "/api/v1/dues/remittance", h_remittance, 0, PERM_ORG_READ },
	{ "GET", "/api/v1/dues/spending", h_spending_list, 0, PERM_ORG_READ },
	{ "POST", "/api/v1/dues/spending", h_spending_add, 0, PERM_ORG_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
