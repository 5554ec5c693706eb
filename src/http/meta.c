/*
 * meta.c: health check and the code lists the console's forms need.
 */
#include "util/common.h"
#include "http/params.h"
#include "http/routes.h"

/* GET /api/v1/health -> 200 {"status":"ok"} */
static int h_health(struct http_req *req, struct http_reply *rep, struct err *e)
{
	UNUSED(req);
	UNUSED(e);
	return http_reply_json(rep, 200, json_pack("{s:s}", "status", "ok"));
}

static json_t *codes(const struct code_entry *t, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s}", "code", t[i].code, "name", t[i].name);
		if (t[i].level)
			json_object_set_new(o, "level", json_string(t[i].level));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *enums(const struct enum_entry *t)
{
	json_t *a = json_array();

	for (; t->json; t++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "value", t->json, "label", t->label));
	return a;
}

/* GET /api/v1/meta -> 200 {ethnicity, education, gender, category, ...} */
static int h_meta(struct http_req *req, struct http_reply *rep, struct err *e)
{
	UNUSED(req);
	UNUSED(e);
	return http_reply_json(rep, 200,
			       json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "ethnicity",
					 codes(ethnicity_codes, ethnicity_count), "education",
					 codes(education_codes, education_count), "gender",
					 enums(gender_enum), "category", enums(category_enum), "status",
					 enums(status_enum), "org_type", enums(org_type_enum), "org_field",
					 enums(org_field_enum), "committee_role", enums(committee_role_enum),
					 "user_role", enums(user_role_enum)));
}

const struct route meta_routes[] = {
	{ "GET", "/api/v1/health", h_health, ROUTE_PUBLIC, 0 },
	{ "GET", "/api/v1/meta", h_meta, 0, 0 },
	{ NULL, NULL, NULL, 0, 0 },
};
