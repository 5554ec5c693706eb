/*
 * audit.c: the audit trail for auditors: filtered pages of rows and a
 * verification of the whole hash chain.
 */
#include "util/common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"

static int date_param(struct http_req *req, const char *key, const char **out, struct err *e)
{
	struct date d;

	if (param_str(req, key, 10, out, e) < 0)
		return -1;
	if (*out && date_parse(*out, &d) < 0)
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 %s 应为 YYYY-MM-DD 格式的日期",
			       key);
	return 0;
}

/* GET /api/v1/audit?action&entity&entity_id&actor&from&to&page&per_page -> 200 list */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct audit_query aq = { 0 };
	struct audit_page p;
	json_t *items;

	if (param_str(req, "action", 64, &aq.action, e) < 0 ||
	    param_str(req, "entity", 32, &aq.entity, e) < 0 ||
	    param_str(req, "actor", 64, &aq.actor, e) < 0 ||
	    param_int(req, "entity_id", 0, 0, INT64_MAX, &aq.entity_id, e) < 0 ||
	    date_param(req, "from", &aq.from, e) < 0 || date_param(req, "to", &aq.to, e) < 0 ||
	    param_page(req, &aq.page, &aq.per_page, NULL, e) < 0 ||
	    store_audit_list(req->db, req->arena, &aq, &p, e) < 0)
		return -1;
	items = json_array();
	for (size_t i = 0; i < p.n; i++) {
		struct audit_entry *x = &p.items[i];
		json_t *o =
			json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)x->id, "at", x->at, "actor",
				  x->actor, "action", x->action, "entity", x->entity, "hash", x->hash);
		json_object_set_new(o, "actor_id", x->actor_id ? json_integer(x->actor_id) : json_null());
		json_object_set_new(o, "entity_id", x->entity_id ? json_integer(x->entity_id) : json_null());
		json_object_set_new(o, "before",
				    x->before ? json_loads(x->before, JSON_DECODE_ANY, NULL) : json_null());
		json_object_set_new(o, "after",
				    x->after ? json_loads(x->after, JSON_DECODE_ANY, NULL) : json_null());
		json_array_append_new(items, o);
	}
	return http_reply_json(rep, 200, reply_list(items, p.total, aq.page, aq.per_page));
}

/* GET /api/v1/audit/verify -> 200 {ok, rows[, first_bad_id, reason]} */
static int h_verify(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct audit_check c;
	json_t *j;

	if (store_audit_verify(req->db, &c, e) < 0)
		return -1;
	j = json_pack("{s:b,s:I}", "ok", c.first_bad_id == 0, "rows", (json_int_t)c.rows);
	if (c.first_bad_id) {
		json_object_set_new(j, "first_bad_id", json_integer(c.first_bad_id));
		json_object_set_new(j, "reason", json_string(c.reason));
	}
	return http_reply_json(rep, 200, j);
}

const struct route audit_routes[] = {
	{ "GET", "/api/v1/audit", h_list, 0, PERM_AUDIT_READ },
	{ "GET", "/api/v1/audit/verify", h_verify, 0, PERM_AUDIT_READ },
	{ NULL, NULL, NULL, 0, 0 },
};
