/*
 * dues_online.c: online dues payment (网上缴费) through a payment-provider
 * interface. The only provider built in is "simulated": no outside service
 * is contacted. A member creates an order for unpaid months; the provider's
 * notification, signed with HMAC-SM3, marks it paid and records the
 * payments exactly once, however often it is repeated.
 */
#include "util/common.h"
#include "http/dues_common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/jsonw.h"
#include "util/strbuf.h"

#include <openssl/crypto.h>

#define MAX_ORDER_MONTHS 12

/* The simulated provider's signing key, derived from the installation's session key. */
static void provider_key(const struct http_req *req, unsigned char key[SM3_LEN])
{
	static const char label[] = "dangjian payment provider: simulated";
	const struct crypto_keys *k = store_keys(req->store);

	crypto_hmac_sm3(k->session, sizeof(k->session), label, sizeof(label) - 1, key);
}

static void sign(const struct http_req *req, int64_t order_id, const char *provider_ref, int64_t amount,
		 char out[65])
{
	unsigned char key[SM3_LEN];
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "%lld|%s|%lld", (long long)order_id, provider_ref,
			 (long long)amount);

	provider_key(req, key);
	crypto_hmac_sm3_hex(key, sizeof(key), msg, (size_t)n, out);
}

static void order_jsonw(struct jsonw *w, const struct dues_order *o, int applied)
{
	jsonw_object_begin(w);
	jsonw_kv_int(w, "order_id", o->id);
	jsonw_kv_int(w, "member_id", o->member_id);
	jsonw_key(w, "months");
	jsonw_array_begin(w);
	for (const char *p = o->months; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char month[8];
		snprintf(month, sizeof(month), "%.*s", (int)len, p);
		jsonw_str(w, month);
		p = comma ? comma + 1 : p + len;
	}
	jsonw_array_end(w);
	jsonw_kv_int(w, "amount_fen", o->amount_fen);
	jsonw_kv_str(w, "provider", o->provider);
	jsonw_kv_str(w, "status", o->status);
	jsonw_kv_str(w, "provider_ref", o->provider_ref);
	if (applied >= 0)
		jsonw_kv_int(w, "applied", applied);
	jsonw_object_end(w);
}

/* POST /api/v1/dues/online/orders {months:[...]} -> 201 order | 404 | 422 */
static int h_order(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "months", NULL };
	struct dues_order o = { 0 };
	struct member m;
	struct actor who = req_actor(req);
	struct jsonw w = JSONW_INIT;
	struct strbuf months = STRBUF_INIT;
	json_t *arr, *x;
	struct dues_payment *paid = NULL;
	size_t i, npaid = 0;
	int rc = -1;

	if (!req->user->member_id) {
		err_set(e, ERR_NOT_FOUND, "no_member_record", "您的账号没有关联党员档案");
		goto out;
	}
	if (json_only(req->json, fields, e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, req->user->member_id, false, &m, e) < 0)
		goto out;
	if (store_dues_payments(req->db, req->arena, m.id, &paid, &npaid, e) < 0)
		goto out;
	arr = json_object_get(req->json, "months");
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > MAX_ORDER_MONTHS) {
		err_field(e, "months", "请选择1至%d个要缴纳的月份", MAX_ORDER_MONTHS);
		goto out;
	}
	json_array_foreach(arr, i, x)
	{
		struct dues_standard std;
		struct dues_payment_verdict v;
		int mon;
		bool found;
		if (!json_is_string(x) || dues_month_parse(json_string_value(x), &mon) < 0) {
			err_field(e, "months", "月份格式应为 YYYY-MM");
			goto out;
		}
		if (store_dues_standard_at(req->db, req->arena, m.id, dues_month_text(req->arena, mon), &std,
					   &found, e) < 0)
			goto out;
		if (!found) {
			err_field(e, "months", "%s没有党费标准", dues_month_text(req->arena, mon));
			goto out;
		}
		for (size_t k = 0; k < npaid; k++) {
			if (!strcmp(paid[k].month, dues_month_text(req->arena, mon))) {
				err_field(e, "months", "%s的党费已经缴纳", paid[k].month);
				goto out;
			}
		}
		for (size_t k = 0; k < i; k++) {
			int other;
			if (dues_month_parse(json_string_value(json_array_get(arr, k)), &other) == 0 &&
			    other == mon) {
				err_field(e, "months", "%s重复", dues_month_text(req->arena, mon));
				goto out;
			}
		}
		if (dues_payment_check(dues_settings_get(req), mon, dues_current_month(req), std.amount_fen,
				       std.amount_fen, 0, &v, e) < 0)
			goto out;
		{
			/* The month's ledger must be open now, or the provider's notification could not be
			 * applied. */
			struct org mo;
			char *status = NULL;
			int64_t ledger_org;
			if (store_org_get(req->db, req->arena, NULL, m.org_id, &mo, e) < 0 ||
			    store_dues_month_for(req->db, req->arena, mo.path,
						 dues_month_text(req->arena, mon), &ledger_org, &status,
						 e) < 0)
				goto out;
			if (!status || strcmp(status, "open") != 0) {
				err_field(e, "months", "%s的党费账期%s", dues_month_text(req->arena, mon),
					  status ? "已上报或结算" : "尚未建立");
				goto out;
			}
		}
		if (months.len)
			strbuf_addch(&months, ',');
		strbuf_addstr(&months, dues_month_text(req->arena, mon));
		o.amount_fen += std.amount_fen;
	}
	o.member_id = m.id;
	o.months = months.buf;
	o.provider = "simulated";
	if (store_begin(req->db, e) < 0 || store_dues_order_add(req->db, &o, e) < 0 ||
	    store_audit(req->db, &who, "dues.order", "member", m.id, NULL,
			arena_printf(req->arena, "{\"order_id\":%lld,\"months\":\"%s\",\"amount_fen\":%lld}",
				     (long long)o.id, o.months, (long long)o.amount_fen),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		goto out;
	order_jsonw(&w, &o, -1);
	rc = reply_jsonw(rep, 201, &w);
out:
	strbuf_release(&months);
	return rc;
}

/* Marks the order paid and records each month once; *applied = payments written. */
static int apply_notification(struct http_req *req, int64_t order_id, const char *provider_ref,
			      int64_t amount, struct dues_order *o, int *applied, struct err *e)
{
	struct member m;
	bool changed;
	char *copy, *tok, *save = NULL;
	struct actor who = { 0, "payment-provider" };

	*applied = 0;
	if (store_dues_order_get(req->db, req->arena, order_id, o, e) < 0)
		return -1;
	if (amount != o->amount_fen)
		return err_field(e, "amount_fen", "通知金额与订单金额不符");
	if (!strcmp(o->status, "paid")) {
		if (o->provider_ref && strcmp(o->provider_ref, provider_ref) != 0)
			return err_set(e, ERR_CONFLICT, "order_paid", "订单已由另一笔交易支付");
		return 0; /* a repeated notification: nothing to do */
	}
	if (store_member_get(req->db, req->arena, NULL, o->member_id, false, &m, e) < 0 ||
	    store_begin(req->db, e) < 0 ||
	    store_dues_order_paid(req->db, o->id, provider_ref, &changed, e) < 0)
		return -1;
	if (!changed)
		return store_commit(req->db, e); /* a concurrent notification won */
	copy = arena_strdup(req->arena, o->months);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct dues_standard std;
		struct dues_payment p;
		bool found;
		int mon;
		if (dues_month_parse(tok, &mon) < 0 ||
		    store_dues_standard_at(req->db, req->arena, m.id, tok, &std, &found, e) < 0)
			return -1;
		{
			struct dues_pay_request pr = { .m = &m,
						       .month = mon,
						       .amount_fen = found ? std.amount_fen : 0,
						       .method = "online",
						       .paid_on = req->today,
						       .reference = arena_printf(req->arena, "%s-%s",
										 provider_ref, tok) };
			if (dues_record_payment(req, &pr, &p, e) < 0)
				return -1;
		}
		(*applied)++;
	}
	if (store_audit(req->db, &who, "dues.online_paid", "member", m.id, NULL,
			arena_printf(req->arena, "{\"order_id\":%lld,\"provider_ref\":\"%s\"}",
				     (long long)o->id, provider_ref),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	o->status = "paid";
	o->provider_ref = provider_ref;
	return 0;
}

/* POST /api/v1/dues/online/notify {order_id, provider_ref, amount_fen, signature} -> 200 | 403 | 404 | 422 */
static int h_notify(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "order_id", "provider_ref", "amount_fen", "signature", NULL };
	struct dues_order o;
	struct jsonw w = JSONW_INIT;
	const char *ref = NULL, *sig = NULL;
	int64_t id = 0, amount = 0;
	char want[65];
	int applied;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	json_get_int(req->json, "order_id", 1, INT64_MAX, &id, e);
	json_get_str(req->json, "provider_ref", 64, &ref, e);
	json_get_int(req->json, "amount_fen", 0, DUES_MAX_PAYMENT_FEN, &amount, e);
	json_get_str(req->json, "signature", 64, &sig, e);
	if (err_is_set(e))
		return -1;
	if (!id || !ref || !*ref || !sig)
		return err_set(e, ERR_BAD_REQUEST, "bad_request", "通知缺少订单号、交易号或签名");
	sign(req, id, ref, amount, want);
	if (strlen(sig) != 64 || CRYPTO_memcmp(sig, want, 64) != 0)
		return err_set(e, ERR_FORBIDDEN, "bad_signature", "支付通知签名无效");
	if (apply_notification(req, id, ref, amount, &o, &applied, e) < 0)
		return -1;
	order_jsonw(&w, &o, applied);
	return reply_jsonw(rep, 200, &w);
}

/* POST /api/v1/dues/online/orders/{id}/simulate-pay -> 200 (the simulated provider pays and notifies) */
static int h_simulate(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dues_order o;
	struct jsonw w = JSONW_INIT;
	const char *ref;
	int applied;

	if (store_dues_order_get(req->db, req->arena, req->params[0], &o, e) < 0)
		return -1;
	if (o.member_id != req->user->member_id && !user_can(req->user, PERM_MEMBER_WRITE))
		return err_set(e, ERR_NOT_FOUND, NULL, "订单不存在");
	ref = o.provider_ref ? o.provider_ref : arena_printf(req->arena, "SIM%010lld", (long long)o.id);
	if (apply_notification(req, o.id, ref, o.amount_fen, &o, &applied, e) < 0)
		return -1;
	order_jsonw(&w, &o, applied);
	return reply_jsonw(rep, 200, &w);
}

const struct route dues_online_routes[] = {
	{ "POST", "/api/v1/dues/online/orders", h_order, 0, PERM_SELF | PERM_MEMBER_READ },
	{ "POST", "/api/v1/dues/online/notify", h_notify, ROUTE_PUBLIC | ROUTE_NO_CSRF, 0 },
	{ "POST", "/api/v1/dues/online/orders/{id}/simulate-pay", h_simulate, 0, 0 },
	{ NULL, NULL, NULL, 0, 0 },
};
