/*
 * dues_reconcile.c: reconciling a bank or payment-platform statement with
 * a month's dues ledger: matched rows, members due but missing from the
 * file, unknown rows, duplicates and amounts below the standard. A preview
 * writes nothing; applying records the matched rows as bank payments in one
 * transaction, each identified by its transaction reference, so the same
 * statement applied twice changes nothing.
 */
#include "util/common.h"
#include "core/idcard.h"
#include "http/dues_common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "io/dues_statement.h"
#include "util/arena.h"
#include "util/jsonw.h"

struct verdict {
	const struct statement_row *row;
	struct member m;
	int month;
	const char *reason; /* unknown: why */
	int64_t standard_fen;
	enum { V_MATCHED, V_APPLIED, V_UNKNOWN, V_DUPLICATE, V_MISMATCH } kind;
};

/* Finds the member a row names, inside the ledger's subtree. NULL reason when found. */
static int find_member(struct http_req *req, const char *path, const struct statement_row *r,
		       struct member *m, const char **reason, struct err *e)
{
	int64_t id = 0, ids[2];
	size_t n;

	*reason = NULL;
	if (*r->id_card) {
		struct idcard_info info;
		const char *why;
		if (idcard_parse(r->id_card, true, req_today(req), &info, &why) < 0) {
			*reason = why;
			return 0;
		}
		if (store_member_find_id_card(req->db, info.number, &id, e) < 0)
			return -1;
	} else {
		if (store_member_find_name(req->db, req->arena, path, r->name, ids, 2, &n, e) < 0)
			return -1;
		if (n > 1) {
			*reason = "同名党员不止一人，请在文件中提供身份证号";
			return 0;
		}
		id = n ? ids[0] : 0;
	}
	if (id) {
		struct err le = ERR_INIT;
		if (store_member_get(req->db, req->arena, path, id, false, m, &le) == 0)
			return 0;
		if (le.kind != ERR_NOT_FOUND) {
			*e = le;
			return -1;
		}
	}
	*reason = "在本组织中找不到该党员";
	return 0;
}

static void list_rows(struct jsonw *w, const char *key, const struct verdict *v, size_t n, int kind)
{
	jsonw_key(w, key);
	jsonw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		if ((int)v[i].kind != kind)
			continue;
		jsonw_object_begin(w);
		jsonw_kv_int(w, "line", v[i].row->line);
		jsonw_kv_str(w, "reference", v[i].row->reference);
		if (kind == V_UNKNOWN) {
			jsonw_kv_str(w, "reason", v[i].reason);
		} else if (kind != V_DUPLICATE) {
			char month[8];
			dues_month_format(v[i].month, month);
			jsonw_kv_str(w, "month", month);
			jsonw_kv_int(w, "member_id", v[i].m.id);
			jsonw_kv_str(w, "name", v[i].m.name);
			jsonw_kv_int(w, "amount_fen", v[i].row->amount_fen);
			jsonw_kv_int(w, "standard_fen", v[i].standard_fen);
		}
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/* POST /api/v1/dues/reconcile?org&month&apply=1 <statement> -> 200 report | 422 import_invalid */
static int h_reconcile(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct statement_row *rows;
	struct verdict *v;
	struct dues_ledger l;
	struct jsonw w = JSONW_INIT;
	struct org o;
	const char *month;
	bool apply = param_flag(req, "apply");
	int64_t org_id;
	size_t n, applied = 0;
	int mon;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_month(req, "month", dues_current_month(req), &mon, e) < 0 ||
	    store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	if (!req->body_len)
		return err_set(e, ERR_VALIDATION, "import_invalid", "请选择对账文件");
	if (dues_statement_read(req->body, req->body_len, req->arena, &rows, &n, e) < 0)
		return -1;
	month = dues_month_text(req->arena, mon);
	v = arena_zalloc(req->arena, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		struct dues_payment old;
		struct dues_standard std;
		bool found;

		v[i].row = &rows[i];
		v[i].month = mon;
		v[i].kind = V_UNKNOWN;
		if (!*rows[i].reference) {
			v[i].reason = "缺少交易流水号";
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(rows[k].reference, rows[i].reference))
				v[i].kind = V_DUPLICATE;
		if (v[i].kind == V_DUPLICATE)
			continue;
		if (rows[i].amount_fen <= 0) {
			v[i].reason = "金额格式不正确";
			continue;
		}
		if (*rows[i].month && dues_month_parse(rows[i].month, &v[i].month) < 0) {
			v[i].reason = "月份格式不正确";
			continue;
		}
		if (store_dues_payment_by_ref(req->db, req->arena, rows[i].reference, &old, &found, e) < 0)
			return -1;
		if (find_member(req, o.path, &rows[i], &v[i].m, &v[i].reason, e) < 0)
			return -1;
		if (v[i].reason)
			continue;
		if (found) {
			v[i].kind = V_APPLIED;
			v[i].standard_fen = old.standard_fen;
			continue;
		}
		if (store_dues_standard_at(req->db, req->arena, v[i].m.id,
					   dues_month_text(req->arena, v[i].month), &std, &found, e) < 0)
			return -1;
		if (!found) {
			v[i].reason = "该党员没有党费标准";
			continue;
		}
		v[i].standard_fen = std.amount_fen;
		{
			/* Paid that month already another way (cash, another statement): not this row's. */
			struct dues_payment *pays;
			size_t np;
			bool paid = false;
			if (store_dues_payments(req->db, req->arena, v[i].m.id, &pays, &np, e) < 0)
				return -1;
			for (size_t k = 0; k < np && !paid; k++)
				paid = !strcmp(pays[k].month, dues_month_text(req->arena, v[i].month));
			if (paid) {
				v[i].reason = "该党员该月党费已经缴纳（其他方式）";
				continue;
			}
		}
		v[i].kind = rows[i].amount_fen < std.amount_fen && !*std.reduction_reason ? V_MISMATCH
											  : V_MATCHED;
	}
	/* Members due that month but absent from the file. */
	if (store_dues_ledger(req->db, req->arena, o.path, month, 2, 1, 0, &l, e) < 0)
		return -1;
	if (apply) {
		if (store_begin(req->db, e) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			struct dues_payment p;
			struct date d;
			struct dues_pay_request pr = { .m = &v[i].m,
						       .month = v[i].month,
						       .amount_fen = rows[i].amount_fen,
						       .method = "bank",
						       .reference = rows[i].reference,
						       .note = "对账入账" };
			if (v[i].kind != V_MATCHED)
				continue;
			pr.paid_on = *rows[i].date && date_parse(rows[i].date, &d) == 0
					     ? arena_printf(req->arena, "%04d-%02d-%02d", d.y, d.m, d.d)
					     : req->today;
			if (dues_record_payment(req, &pr, &p, e) < 0)
				return -1; /* rolled back by the router: nothing of this statement is written
					    */
			applied++;
		}
		if (store_commit(req->db, e) < 0)
			return -1;
	}
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "rows", (int64_t)n);
	jsonw_kv_str(&w, "month", month);
	list_rows(&w, "matched", v, n, V_MATCHED);
	list_rows(&w, "already_applied", v, n, V_APPLIED);
	list_rows(&w, "amount_mismatch", v, n, V_MISMATCH);
	list_rows(&w, "unknown", v, n, V_UNKNOWN);
	list_rows(&w, "duplicates", v, n, V_DUPLICATE);
	jsonw_key(&w, "missing");
	jsonw_array_begin(&w);
	for (size_t k = 0; k < l.n; k++) {
		bool in_file = false;
		for (size_t i = 0; i < n && !in_file; i++)
			in_file = (v[i].kind == V_MATCHED || v[i].kind == V_MISMATCH) &&
				  v[i].m.id == l.items[k].member_id;
		if (in_file)
			continue;
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "member_id", l.items[k].member_id);
		jsonw_kv_str(&w, "name", l.items[k].name);
		jsonw_kv_str(&w, "org_name", l.items[k].org_name);
		jsonw_kv_int(&w, "amount_fen", l.items[k].amount_fen);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "applied", (int64_t)applied);
	jsonw_kv_bool(&w, "preview", !apply);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

const struct route dues_reconcile_routes[] = {
	{ "POST", "/api/v1/dues/reconcile", h_reconcile, ROUTE_RAW_BODY, PERM_MEMBER_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
