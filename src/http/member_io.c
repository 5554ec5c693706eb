/*
 * member_io.c: the HTTP side of member import (raw file upload, report in
 * the reply) and export (file download); the work is in io/member_io.c.
 */
#include "util/common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "io/member_io.h"
#include "util/arena.h"
#include "util/strbuf.h"

static json_t *report_json(const struct member_import_result *r, size_t imported, bool dry_run)
{
	json_t *errors = json_array(), *unknown = json_array();

	for (size_t i = 0; i < r->nerrors; i++)
		json_array_append_new(errors, json_pack("{s:i,s:s,s:s}", "line", r->errors[i].line, "column",
							r->errors[i].column ? r->errors[i].column : "",
							"message", r->errors[i].message));
	for (size_t i = 0; i < r->nunknown; i++)
		json_array_append_new(unknown, json_string(r->unknown_columns[i]));
	return json_pack("{s:I,s:I,s:I,s:I,s:b,s:o,s:o}", "total_rows", (json_int_t)r->total_rows,
			 "valid_rows", (json_int_t)r->nmembers, "invalid_rows", (json_int_t)r->ninvalid_rows,
			 "imported", (json_int_t)imported, "dry_run", dry_run, "errors", errors,
			 "unknown_columns", unknown);
}

/* POST /api/v1/members/import?org&dry_run&skip_invalid&filename <file> -> 200 report | 422 import_invalid */
static int h_import(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member_io_import_opts o = { 0 };
	struct member_import_result r;
	struct actor who = req_actor(req);
	size_t imported = 0;
	struct org org;

	if (param_int(req, "org", 0, 0, INT64_MAX, &o.default_org_id, e) < 0 ||
	    param_str(req, "filename", 255, &o.filename, e) < 0)
		return -1;
	if (o.default_org_id &&
	    store_org_get(req->db, req->arena, req_scope(req), o.default_org_id, &org, e) < 0)
		return -1;
	if (req->body_len == 0)
		return err_set(e, ERR_VALIDATION, "import_invalid", "请选择要导入的文件");
	o.scope = req_scope(req);
	o.dry_run = param_flag(req, "dry_run");
	o.skip_invalid = param_flag(req, "skip_invalid");
	o.today = req_today(req);
	o.min_join_age = req->cfg->min_join_age;
	o.who = &who;
	memset(&r, 0, sizeof(r));
	if (member_io_import(req->db, req->arena, req->body, req->body_len, &o, &r, &imported, e) < 0) {
		if (!strcmp(e->code, "import_invalid") && r.total_rows)
			e->detail =
				(struct json_t *)json_pack("{s:o}", "report", report_json(&r, 0, o.dry_run));
		return -1;
	}
	return http_reply_json(rep, 200, report_json(&r, imported, o.dry_run));
}

/* GET /api/v1/members/export?org&format=csv|xlsx&q&reveal -> file */
static int h_export(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct member_query mq = { 0 };
	struct member_io_export_opts o = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct actor who = req_actor(req);
	const char *format = NULL;
	size_t rows;
	int rc = -1;

	mq.scope = req_scope(req);
	if (param_int(req, "org", 0, 0, INT64_MAX, &mq.org_id, e) < 0 ||
	    param_str(req, "format", 8, &format, e) < 0 || param_str(req, "q", 150, &mq.q, e) < 0 ||
	    param_enum(req, "status", status_enum, &mq.status, e) < 0 ||
	    param_enum(req, "category", category_enum, &mq.category, e) < 0 ||
	    param_enum(req, "gender", gender_enum, &mq.gender, e) < 0)
		goto out;
	if (format && strcmp(format, "csv") && strcmp(format, "xlsx")) {
		err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 format 应为 csv 或 xlsx");
		goto out;
	}
	o.xlsx = format && !strcmp(format, "xlsx");
	o.reveal = param_flag(req, "reveal");
	if (o.reveal && !user_can(req->user, PERM_REVEAL)) {
		err_set(e, ERR_FORBIDDEN, NULL, "没有导出完整证件号码的权限");
		goto out;
	}
	o.query = &mq;
	o.root_org_id = mq.org_id ? mq.org_id : req->user->org_id;
	o.who = &who;
	if (member_io_export(req->db, req->arena, &o, &out, &rows, e) < 0)
		goto out;
	rep->status = 200;
	rep->content_type = o.xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				   : "text/csv; charset=utf-8";
	http_reply_header(rep, "Content-Disposition",
			  arena_printf(req->arena, "attachment; filename=\"members-%s.%s\"", req->today,
				       o.xlsx ? "xlsx" : "csv"));
	rep->body = strbuf_detach(&out, &rep->body_len);
	rc = 0;
out:
	strbuf_release(&out);
	return rc;
}

const struct route member_io_routes[] = {
	{ "POST", "/api/v1/members/import", h_import, ROUTE_RAW_BODY, PERM_IMPORT },
	{ "GET", "/api/v1/members/export", h_export, 0, PERM_MEMBER_READ },
	{ NULL, NULL, NULL, 0, 0 },
};
