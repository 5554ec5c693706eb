/*
 * reply.c: error replies and common reply shapes.
 */
#include "util/common.h"
#include "http/reply.h"
#include "util/jsonw.h"
#include "util/log.h"

void http_reply_header(struct http_reply *rep, const char *name, const char *value)
{
	if (rep->nheaders >= HTTP_MAX_HEADERS)
		BUG("too many reply headers");
	rep->header_names[rep->nheaders] = name;
	rep->header_values[rep->nheaders] = value;
	rep->nheaders++;
}

int http_reply_json(struct http_reply *rep, int status, json_t *body)
{
	if (rep->json)
		json_decref(rep->json);
	rep->status = status;
	rep->json = body;
	return 0;
}

void reply_error(struct http_reply *rep, const struct err *e, const struct http_req *req)
{
	enum err_kind kind = e->kind == ERR_NONE ? ERR_INTERNAL : e->kind;
	int status = err_kind_status(kind);
	json_t *err = json_object();

	json_object_set_new(err, "code", json_string(e->code[0] ? e->code : err_kind_code(kind)));
	json_object_set_new(err, "message", json_string(e->message[0] ? e->message : "服务器内部错误"));
	if (e->nfields) {
		json_t *f = json_object();
		for (int i = 0; i < e->nfields; i++)
			json_object_set_new(f, e->fields[i].name, json_string(e->fields[i].message));
		json_object_set_new(err, "fields", f);
	}
	if (e->detail)
		json_object_update(err, (json_t *)e->detail);
	/* A core rule refusal ("[MOB-03] ...") names its rule at the top too, as docs/api.md shows. */
	if (!strcmp(e->code, "rule_violation") && !json_object_get(err, "rule") && e->message[0] == '[') {
		const char *end = strchr(e->message, ']');
		if (end && end - e->message > 1 && end - e->message <= 20)
			json_object_set_new(err, "rule",
					    json_stringn(e->message + 1, (size_t)(end - e->message - 1)));
	}
	if (status >= 500)
		log_error("http", "%s %s -> %d %s: %s", req ? req->method : "?", req ? req->path : "?",
			  status, e->code, e->message);
	/* A reply built before a later step failed (the commit, say) is replaced: it was ours to free. */
	free(rep->body);
	rep->body = NULL;
	rep->body_len = 0;
	rep->content_type = NULL;
	http_reply_json(rep, status, json_pack("{s:o}", "error", err));
}

json_t *reply_list(json_t *items, int64_t total, int page, int per_page)
{
	return json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page,
			 "per_page", per_page);
}

int reply_jsonw(struct http_reply *rep, int status, struct jsonw *w)
{
	if (rep->json)
		json_decref(rep->json);
	rep->json = NULL;
	rep->status = status;
	rep->content_type = "application/json; charset=utf-8";
	free(rep->body);
	rep->body = strbuf_detach(&w->sb, &rep->body_len);
	return 0;
}
