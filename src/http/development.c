/*
 * development.c: the development board's overviews (发展党员): cases with a
 * step due or overdue, branches with no member developed in N years
 * (DEV-53), yearly plans (发展计划) with their progress, and the rule
 * settings per version (GET /development/rules).
 */
#include "util/common.h"
#include "http/applicant_json.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

static const char *date_text(struct arena *a, struct date d)
{
	char *buf = arena_alloc(a, 11);

	date_format(d, buf);
	return buf;
}

/* The organisation of ?org= (default the caller's), in scope. */
static int scope_org(struct http_req *req, struct org *o, struct err *e)
{
	int64_t org_id;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0)
		return -1;
	return store_org_get(req->db, req->arena, req_scope(req), org_id, o, e);
}

/* Rules for board-wide figures: the version new cases get today. */
static const struct dev_rules *board_rules(struct http_req *req)
{
	return dev_rules_for(&req->cfg->dev2014, &req->cfg->dev2026,
			     dev_default_version(req->cfg, req_today(req)));
}

/* Every case of the subtree at `path` (status NULL: any), without steps. */
static int subtree_cases(struct http_req *req, const char *path, const char *status, struct applicant **out,
			 size_t *n_out, struct err *e)
{
	struct applicant_query q = { .path = path, .status = status, .page = 1, .per_page = 0 };
	int64_t total;

	return store_applicant_list(req->db, req->arena, &q, out, n_out, &total, e);
}

/* ------------------------------------------------------------ due / overdue */

int dev_due_cases(struct http_req *req, const char *path, struct date from, struct date to,
		  struct applicant **due_out, size_t *ndue_out, struct applicant **overdue_out,
		  size_t *nover_out, struct err *e)
{
	struct applicant *cases, *due = NULL, *over = NULL;
	size_t n, ndue = 0, nover = 0, capdue = 0, capover = 0;
	struct date today = req_today(req);
	struct applicant_query q = { .path = path, .status = "open", .page = 1, .per_page = 0 };
	int64_t total;

	if (applicant_list_with_briefs(req, &q, &cases, &n, &total, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct applicant a = cases[i];
		struct dev_case c;
		struct dev_next nx;
		if (!a.nsteps)
			continue;
		applicant_case(&a, req->arena, &c);
		if (dev_next(applicant_rules(req->cfg, &a), &c, today, &nx) < 0 || !nx.step ||
		    !date_is_set(nx.due))
			continue;
		if (nx.overdue) {
			over = arena_grow(req->arena, over, sizeof(*over), nover, &capover);
			over[nover++] = a;
		} else if (date_cmp(nx.due, from) >= 0 && date_cmp(nx.due, to) <= 0) {
			due = arena_grow(req->arena, due, sizeof(*due), ndue, &capdue);
			due[ndue++] = a;
		}
	}
	*due_out = due;
	*ndue_out = ndue;
	*overdue_out = over;
	*nover_out = nover;
	return 0;
}

/* GET /api/v1/development/due?org&month=YYYY-MM -> 200 {month, due:[applicant], overdue:[applicant]} | 404 */
static int h_due(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o;
	const char *month = NULL;
	struct date today = req_today(req), from, to;
	struct applicant *due, *over;
	size_t ndue, nover;
	struct jsonw w = JSONW_INIT;
	int y, m;
	char tail;

	if (param_str(req, "month", 7, &month, e) < 0 || scope_org(req, &o, e) < 0)
		return -1;
	if (month) {
		if (sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || strlen(month) != 7 ||
		    !date_valid(y, m, 1))
			return err_set(e, ERR_BAD_REQUEST, "invalid_parameter",
				       "参数 month 应为 YYYY-MM 格式");
	} else {
		y = today.y;
		m = today.m;
	}
	from = (struct date){ y, m, 1 };
	to = (struct date){ y, m, date_days_in_month(y, m) };
	if (dev_due_cases(req, o.path, from, to, &due, &ndue, &over, &nover, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_str(&w, "month", arena_printf(req->arena, "%04d-%02d", y, m));
	jsonw_key(&w, "due");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < ndue; i++)
		applicant_jsonw(req, &w, &due[i], false, e);
	jsonw_array_end(&w);
	jsonw_key(&w, "overdue");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < nover; i++)
		applicant_jsonw(req, &w, &over[i], false, e);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* ----------------------------------------------------------------- dormant */

int dev_dormant_orgs(struct http_req *req, const struct org *root, int years, struct dev_dormant_org **out,
		     size_t *n_out, struct date *since_out, struct err *e)
{
	struct dev_rules r = *board_rules(req);
	struct org_list l;
	struct applicant *cases;
	struct dev_dormant_org *items = NULL;
	size_t ncases, n = 0, cap = 0;
	struct date today = req_today(req);

	if (years > 0)
		r.dormant_years = years;
	if (store_org_subtree(req->db, req->arena, root->path, &l, e) < 0 ||
	    subtree_cases(req, root->path, NULL, &cases, &ncases, e) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		const struct org *o = &l.items[i];
		struct date last = DATE_NONE;
		if (o->type != ORG_BRANCH)
			continue;
		/* Developed = approved at step 17 (the case keeps approved_on even if later cancelled). */
		for (size_t k = 0; k < ncases; k++)
			if (cases[k].org_id == o->id && date_cmp(cases[k].approved_on, last) > 0)
				last = cases[k].approved_on;
		if (!dev_dormant(&r, last, today))
			continue;
		items = arena_grow(req->arena, items, sizeof(*items), n, &cap);
		items[n].org = *o;
		items[n].last_developed_on = last;
		n++;
	}
	*out = items;
	*n_out = n;
	*since_out = dev_dormant_since(&r, today);
	return 0;
}

/* GET /api/v1/development/dormant?org&years=N -> 200 {years, since, items:[{org_id, org_name,
 * last_developed_on}]} */
static int h_dormant(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o;
	int64_t years;
	struct dev_dormant_org *items;
	size_t n;
	struct date since;
	struct jsonw w = JSONW_INIT;

	if (param_int(req, "years", board_rules(req)->dormant_years, 1, 50, &years, e) < 0 ||
	    scope_org(req, &o, e) < 0 || dev_dormant_orgs(req, &o, (int)years, &items, &n, &since, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "years", years);
	jsonw_kv_str(&w, "since", date_text(req->arena, since));
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "org_id", items[i].org.id);
		jsonw_kv_str(&w, "org_name", items[i].org.name);
		jsonw_kv_str(&w, "last_developed_on",
			     date_is_set(items[i].last_developed_on)
				     ? date_text(req->arena, items[i].last_developed_on)
				     : NULL);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* ------------------------------------------------------------------- plans */

static bool under(const char *path, const char *root)
{
	return path && root && !strncmp(path, root, strlen(root));
}

/* GET /api/v1/development/plans?org&year -> 200 {year, items:[{org_id, org_name, quota, developed,
 * candidates, activists, applicants}]} */
static int h_plans(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o;
	struct org_list l;
	struct dev_plan *plans;
	struct org_count *dev;
	struct applicant *cases;
	size_t nplans, ndev, ncases;
	int64_t year;
	struct jsonw w = JSONW_INIT;
	const char *from, *to;

	if (param_int(req, "year", req_today(req).y, 1900, 9999, &year, e) < 0 || scope_org(req, &o, e) < 0)
		return -1;
	from = arena_printf(req->arena, "%04d-01-01", (int)year);
	to = arena_printf(req->arena, "%04d-12-31", (int)year);
	if (store_org_subtree(req->db, req->arena, o.path, &l, e) < 0 ||
	    store_dev_plans(req->db, req->arena, o.path, (int)year, &plans, &nplans, e) < 0 ||
	    store_dev_developed(req->db, req->arena, o.path, from, to, &dev, &ndev, e) < 0 ||
	    subtree_cases(req, o.path, "open", &cases, &ncases, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "year", year);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < l.n; i++) {
		const struct org *x = &l.items[i];
		const struct dev_plan *plan = NULL;
		int64_t developed = 0, stage[DEV_FULL + 1] = { 0 };
		for (size_t k = 0; k < nplans; k++)
			if (plans[k].org_id == x->id)
				plan = &plans[k];
		/* The organisation asked for, every branch, and any organisation with a plan. */
		if (x->id != o.id && x->type != ORG_BRANCH && !plan)
			continue;
		for (size_t k = 0; k < ndev; k++)
			if (under(dev[k].org_path, x->path))
				developed += dev[k].n;
		for (size_t k = 0; k < ncases; k++)
			if (under(cases[k].org_path, x->path) && cases[k].stage > 0 &&
			    cases[k].stage <= DEV_FULL)
				stage[cases[k].stage]++;
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "org_id", x->id);
		jsonw_kv_str(&w, "org_name", x->name);
		jsonw_kv_str(&w, "org_type", enum_json(org_type_enum, x->type));
		jsonw_key(&w, "quota");
		if (plan)
			jsonw_int(&w, plan->quota);
		else
			jsonw_null(&w);
		jsonw_kv_int(&w, "developed", developed);
		jsonw_kv_int(&w, "candidates", stage[DEV_CANDIDATE]);
		jsonw_kv_int(&w, "activists", stage[DEV_ACTIVIST]);
		jsonw_kv_int(&w, "applicants", stage[DEV_APPLICANT]);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* PUT /api/v1/development/plans {org_id, year, quota} -> 200 {org_id, org_name, year, quota} | 404 | 422 */
static int h_plan_set(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "org_id", "year", "quota", NULL };
	struct actor who = req_actor(req);
	int64_t org_id = 0, year = 0, quota = -1;
	struct org o;
	struct dev_plan *plans;
	size_t nplans;
	json_t *before = NULL;

	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_int(req->json, "org_id", 1, INT64_MAX, &org_id, e) == 0 || !org_id)
		err_field(e, "org_id", "请选择党组织");
	if (json_get_int(req->json, "year", 1900, 9999, &year, e) == 0 || !year)
		err_field(e, "year", "请填写年度");
	if (json_get_int(req->json, "quota", 0, 100000, &quota, e) == 0 || quota < 0)
		err_field(e, "quota", "请填写发展计划人数");
	if (err_is_set(e))
		return -1;
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0) {
		if (e->kind != ERR_NOT_FOUND)
			return -1;
		err_clear(e);
		return err_field(e, "org_id", "党组织不存在");
	}
	if (store_dev_plans(req->db, req->arena, o.path, (int)year, &plans, &nplans, e) < 0)
		return -1;
	for (size_t k = 0; k < nplans; k++)
		if (plans[k].org_id == o.id)
			before = json_pack("{s:I,s:i,s:i}", "org_id", (json_int_t)o.id, "year", (int)year,
					   "quota", plans[k].quota);
	if (store_begin(req->db, e) < 0 || store_dev_plan_set(req->db, o.id, (int)year, (int)quota, e) < 0 ||
	    store_audit(req->db, &who, "dev_plan.set", "org", o.id, json_text(req->arena, before),
			json_text(req->arena, json_pack("{s:I,s:i,s:i}", "org_id", (json_int_t)o.id, "year",
							(int)year, "quota", (int)quota)),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	return http_reply_json(rep, 200,
			       json_pack("{s:I,s:s,s:i,s:i}", "org_id", (json_int_t)o.id, "org_name", o.name,
					 "year", (int)year, "quota", (int)quota));
}

/* ------------------------------------------------------------------- rules */

static json_t *rules_json(const struct dev_rules *r)
{
	struct dev_rule_item items[DEV_RULE_ITEMS + 8];
	size_t n = dev_rules_items(r, items, ARRAY_SIZE(items));
	json_t *j = json_object();

	if (n > ARRAY_SIZE(items))
		n = ARRAY_SIZE(items);
	for (size_t i = 0; i < n; i++) {
		json_t *v;
		if (items[i].kind == DEV_ITEM_BOOL) {
			v = json_boolean(items[i].value);
		} else if (items[i].kind == DEV_ITEM_STEPS) {
			v = json_array();
			for (int s = 1; s <= DEV_STEP_COUNT; s++)
				if ((uint32_t)items[i].value & (1u << s))
					json_array_append_new(v, json_integer(s));
		} else {
			v = json_integer(items[i].value);
		}
		json_object_set_new(j, items[i].key, v);
	}
	return j;
}

/* The 25 steps (DEV-01) with the body that acts on each (DEV-03) and whether the higher committee records it.
 */
static json_t *steps_json(void)
{
	json_t *arr = json_array();

	for (int i = 1; i <= DEV_STEP_COUNT; i++) {
		const struct dev_step_def *d = dev_step_def(i);
		json_array_append_new(arr, json_pack("{s:i,s:s,s:i,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b}", "step",
						     d->step, "name", d->name, "stage", d->stage,
						     "stage_name", dev_stage_group_name(d->stage), "actor",
						     d->actor, "body", enum_json(dev_body_enum, d->body),
						     "body_label", enum_label(dev_body_enum, d->body),
						     "committee", dev_step_needs_committee(i), "filing",
						     d->filing, "periodic", d->periodic, "vote", d->vote));
	}
	return arr;
}

/* GET /api/v1/development/rules -> 200 {default_version, versions:{"2014":{...},"2026":{...}}, items:[{key,
 * rule, label}], steps:[...]} */
static int h_rules(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct dev_rule_item items[DEV_RULE_ITEMS + 8];
	size_t n = dev_rules_items(&req->cfg->dev2014, items, ARRAY_SIZE(items));
	json_t *labels = json_array();

	UNUSED(e);
	if (n > ARRAY_SIZE(items))
		n = ARRAY_SIZE(items);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(labels, json_pack("{s:s,s:s,s:s,s:s}", "key", items[i].key, "rule",
							items[i].rule, "label", items[i].label, "kind",
							items[i].kind == DEV_ITEM_BOOL    ? "bool"
							: items[i].kind == DEV_ITEM_STEPS ? "steps"
											  : "int"));
	return http_reply_json(
		rep, 200,
		json_pack("{s:s,s:b,s:{s:o,s:o},s:o,s:o}", "default_version",
			  dev_default_version(req->cfg, req_today(req)) == 2026 ? "2026" : "2014", "by_date",
			  req->cfg->dev_rule_version_default == 0, "versions", "2014",
			  rules_json(&req->cfg->dev2014), "2026", rules_json(&req->cfg->dev2026), "items",
			  labels, "steps", steps_json()));
}

const struct route development_routes[] = {
	{ "GET", "/api/v1/development/due", h_due, 0, PERM_MEMBER_READ },
	{ "GET", "/api/v1/development/dormant", h_dormant, 0, PERM_MEMBER_READ },
	{ "GET", "/api/v1/development/plans", h_plans, 0, PERM_MEMBER_READ },
	{ "PUT", "/api/v1/development/plans", h_plan_set, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/development/rules", h_rules, 0, 0 },
	{ NULL, NULL, NULL, 0, 0 },
};
