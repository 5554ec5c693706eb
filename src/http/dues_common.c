/*
 * dues_common.c: settings, months and the one way a payment is recorded,
 * shared by the dues handlers.
 */
#include "util/common.h"
#include "http/dues_common.h"
#include "http/params.h"
#include "http/server.h"
#include "util/arena.h"
#include "util/jsonw.h"

const struct dues_settings *dues_settings_get(const struct http_req *req)
{
	return &req->cfg->dues;
}

int dues_current_month(const struct http_req *req)
{
	return dues_month_of(req_today(req));
}

const char *dues_month_text(struct arena *a, int m)
{
	char *buf = arena_alloc(a, 8);

	dues_month_format(m, buf);
	return buf;
}

int param_month(struct http_req *req, const char *key, int def, int *out, struct err *e)
{
	const char *v;

	*out = def;
	if (param_str(req, key, 16, &v, e) < 0)
		return -1;
	if (v && dues_month_parse(v, out) < 0)
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 %s 应为 YYYY-MM 格式的月份",
			       key);
	return 0;
}

int param_year(struct http_req *req, const char *key, int def, int *out, struct err *e)
{
	int64_t y;

	if (param_int(req, key, def, 1900, 9999, &y, e) < 0)
		return -1;
	*out = (int)y;
	return 0;
}

void dues_payment_jsonw(struct jsonw *w, const struct dues_payment *p)
{
	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", p->id);
	jsonw_kv_int(w, "member_id", p->member_id);
	jsonw_kv_str(w, "month", p->month);
	jsonw_kv_int(w, "amount_fen", p->amount_fen);
	jsonw_kv_int(w, "standard_fen", p->standard_fen);
	jsonw_kv_str(w, "method", p->method);
	jsonw_kv_str(w, "paid_on", p->paid_on);
	jsonw_kv_str(w, "payer_name", p->payer_name ? p->payer_name : "");
	jsonw_kv_str(w, "reference", p->reference);
	jsonw_kv_bool(w, "central_remit", p->central_remit);
	jsonw_kv_str(w, "note", p->note ? p->note : "");
	jsonw_kv_str(w, "recorded_by", p->recorded_by);
	jsonw_object_end(w);
}

int dues_record_payment(struct http_req *req, const struct dues_pay_request *pr, struct dues_payment *out,
			struct err *e)
{
	struct dues_standard std;
	struct dues_payment_verdict v;
	struct actor who = req_actor(req);
	struct jsonw w = JSONW_INIT;
	struct org mo;
	const char *month = dues_month_text(req->arena, pr->month);
	char *status = NULL;
	int64_t ledger_org;
	bool found;
	int rc = -1;

	if (store_dues_standard_at(req->db, req->arena, pr->m->id, month, &std, &found, e) < 0)
		goto out;
	if (!found) {
		err_field(e, "month", "%s在%s没有党费标准，请先核定", pr->m->name, month);
		goto out;
	}
	if (store_org_get(req->db, req->arena, NULL, pr->m->org_id, &mo, e) < 0 ||
	    store_dues_month_for(req->db, req->arena, mo.path, month, &ledger_org, &status, e) < 0)
		goto out;
	if (!status || strcmp(status, "open") != 0) {
		err_field(e, "month",
			  status ? "%s的党费账期已上报或结算，不能再登记" : "%s的党费账期尚未建立", month);
		goto out;
	}
	{
		bool reported;
		if (store_dues_reported(req->db, req->arena, mo.path, month, &reported, e) < 0)
			goto out;
		if (reported) {
			err_field(e, "month", "%s的党费已由支部上报，不能再登记", month);
			goto out;
		}
	}
	if (dues_payment_check(dues_settings_get(req), pr->month, dues_current_month(req), pr->amount_fen,
			       std.amount_fen,
			       std.reduction_reason && *std.reduction_reason ? DUES_PAY_REDUCTION_APPROVED
									     : 0,
			       &v, e) < 0)
		goto out;
	memset(out, 0, sizeof(*out));
	out->member_id = pr->m->id;
	out->org_id = pr->m->org_id;
	out->month = month;
	out->amount_fen = pr->amount_fen;
	out->standard_fen = std.amount_fen;
	out->method = pr->method;
	out->paid_on = pr->paid_on;
	out->payer_name = pr->payer_name;
	out->reference = pr->reference && *pr->reference ? pr->reference : NULL;
	out->note = pr->note;
	out->central_remit = (v.notes & DUES_NOTE_REMIT_CENTRAL) != 0;
	out->recorded_by = who.name;
	if (store_dues_payment_add(req->db, out, e) < 0)
		goto out;
	dues_payment_jsonw(&w, out);
	if (store_audit(req->db, &who, "dues.payment", "member", pr->m->id, NULL,
			arena_strndup(req->arena, w.sb.buf, w.sb.len), e) < 0)
		goto out;
	rc = 0;
out:
	strbuf_release(&w.sb);
	return rc;
}
