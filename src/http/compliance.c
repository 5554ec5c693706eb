/*
 * compliance.c: whether organisational life is really held (MTG-15):
 * for every branch of a subtree and a year, the required and held count of
 * each meeting type, a month-by-month heat map, and a branch's calendar.
 */
#include "util/common.h"
#include "core/meeting.h"
#include "http/meetings.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

struct branch {
	const struct org *o;
	int groups;
	bool has_committee;
	int held[MTG_TYPE_COUNT], incomplete[MTG_TYPE_COUNT];
	int month_held[13][MTG_TYPE_COUNT]; /* [month 1..12][type]: complete meetings */
};

/* The branches of a subtree with their party groups and counts for [from, to]. */
static int load_branches(struct http_req *req, const struct org *root, const char *from, const char *to,
			 struct branch **out, size_t *n_out, struct err *e)
{
	struct org_list l;
	struct meeting_count *mc;
	size_t nmc, cap = 0;

	*out = NULL;
	*n_out = 0;
	if (store_org_subtree(req->db, req->arena, root->path, &l, e) < 0 ||
	    store_meeting_counts(req->db, req->arena, root->path, from, to, &mc, &nmc, e) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		struct branch *b;
		if (l.items[i].type != ORG_BRANCH)
			continue;
		*out = arena_grow(req->arena, *out, sizeof(**out), *n_out, &cap);
		b = &(*out)[(*n_out)++];
		memset(b, 0, sizeof(*b));
		b->o = &l.items[i];
		b->has_committee = l.items[i].committee_size >= 3;
		for (size_t k = 0; k < l.n; k++)
			if (l.items[k].parent_id == l.items[i].id && l.items[k].type == ORG_PARTY_GROUP)
				b->groups++;
	}
	for (size_t k = 0; k < nmc; k++) {
		/* A party group's meetings count for its branch. */
		int64_t org = mc[k].org_id;
		for (size_t i = 0; i < l.n; i++)
			if (l.items[i].id == org && l.items[i].type == ORG_PARTY_GROUP)
				org = l.items[i].parent_id;
		for (size_t i = 0; i < *n_out; i++) {
			struct branch *b = &(*out)[i];
			int complete = mc[k].held - mc[k].incomplete, mon = mc[k].month % 100;
			if (b->o->id != org || mc[k].type <= 0 || mc[k].type >= MTG_TYPE_COUNT)
				continue;
			b->held[mc[k].type] += complete;
			b->incomplete[mc[k].type] += mc[k].incomplete;
			if (mon >= 1 && mon <= 12)
				b->month_held[mon][mc[k].type] += complete;
		}
	}
	return 0;
}

/* GET /api/v1/compliance?org&year -> 200 {rows:[...], heat:{months, orgs}, summary} */
static int h_compliance(struct http_req *req, struct http_reply *rep, struct err *e)
{
	const struct meeting_settings *s = &req->cfg->meetings;
	struct branch *b;
	struct jsonw w = JSONW_INIT;
	struct org o;
	struct date today = req_today(req);
	int64_t org_id;
	size_t n, compliant = 0;
	int year;
	const char *from, *to;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0)
		return -1;
	{
		int64_t y;
		if (param_int(req, "year", today.y, 2000, 9999, &y, e) < 0)
			return -1;
		year = (int)y;
	}
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	from = arena_printf(req->arena, "%04d-01-01", year);
	to = arena_printf(req->arena, "%04d-12-31", year);
	if (load_branches(req, &o, from, to, &b, &n, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "org_id", o.id);
	jsonw_kv_int(&w, "year", year);
	jsonw_kv_str(&w, "as_of", req->today);
	jsonw_key(&w, "rows");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		struct compliance_item items[MTG_TYPE_COUNT - 1];
		struct period p = { { year, 1, 1 }, { year, 12, 31 } };
		/* A period is over once its last day has passed: on 30 September, September is not yet due.
		 */
		int unmet = meeting_compliance(s, p, date_add_days(today, -1), b[i].has_committee,
					       b[i].groups, b[i].held, b[i].incomplete, items);
		compliant += unmet == 0;
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "org_id", b[i].o->id);
		jsonw_kv_str(&w, "name", b[i].o->name);
		jsonw_kv_bool(&w, "has_committee", b[i].has_committee);
		jsonw_kv_int(&w, "groups", b[i].groups);
		jsonw_kv_int(&w, "unmet", unmet);
		jsonw_key(&w, "items");
		jsonw_array_begin(&w);
		for (int t = 1; t < MTG_TYPE_COUNT; t++) {
			const struct compliance_item *x = &items[t - 1];
			if (!x->required && !x->held && !x->incomplete)
				continue;
			jsonw_object_begin(&w);
			jsonw_kv_str(&w, "type", enum_json(meeting_type_enum, x->type));
			jsonw_kv_str(&w, "type_label", enum_label(meeting_type_enum, x->type));
			jsonw_kv_int(&w, "required", x->required);
			jsonw_kv_int(&w, "held", x->held);
			jsonw_kv_int(&w, "incomplete", x->incomplete);
			jsonw_kv_bool(&w, "met", x->met);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	/* Heat map: per branch and month, the share of that month's monthly requirements met. */
	jsonw_key(&w, "heat");
	jsonw_object_begin(&w);
	jsonw_key(&w, "months");
	jsonw_array_begin(&w);
	for (int m = 1; m <= 12; m++)
		jsonw_str(&w, arena_printf(req->arena, "%04d-%02d", year, m));
	jsonw_array_end(&w);
	jsonw_key(&w, "orgs");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "org_id", b[i].o->id);
		jsonw_kv_str(&w, "name", b[i].o->name);
		jsonw_key(&w, "values");
		jsonw_array_begin(&w);
		for (int m = 1; m <= 12; m++) {
			struct date month_end = { year, m, date_days_in_month(year, m) };
			int need = 0, got = 0;
			if (date_cmp(month_end, today) >= 0) {
				jsonw_null(&w); /* not over yet */
				continue;
			}
			for (int t = 1; t < MTG_TYPE_COUNT; t++) {
				int req_n = s->rule[t].period == PERIOD_MONTH ? s->rule[t].count : 0;
				if (t == MTG_COMMITTEE_MEETING && !b[i].has_committee)
					req_n = 0;
				if (t == MTG_GROUP_MEETING)
					req_n *= b[i].groups;
				need += req_n;
				got += b[i].month_held[m][t] < req_n ? b[i].month_held[m][t] : req_n;
			}
			if (need)
				jsonw_int(&w, (got * 100) / need);
			else
				jsonw_null(&w);
		}
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	jsonw_key(&w, "summary");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "branches", (int64_t)n);
	jsonw_kv_int(&w, "compliant", (int64_t)compliant);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* GET /api/v1/calendar?org&month=YYYY-MM -> 200 {month, days:[{date, meetings:[...]}]} */
static int h_calendar(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting_query mq = { 0 };
	struct meeting *items;
	struct jsonw w = JSONW_INIT;
	struct org o;
	struct date today = req_today(req);
	const char *month = NULL;
	int64_t org_id, total;
	int y = today.y, m = today.m;
	size_t n;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_str(req, "month", 7, &month, e) < 0)
		return -1;
	if (month && (sscanf(month, "%4d-%2d", &y, &m) != 2 || !date_valid(y, m, 1)))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 month 应为 YYYY-MM");
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	mq.path = o.path;
	mq.from = arena_printf(req->arena, "%04d-%02d-01", y, m);
	mq.to = arena_printf(req->arena, "%04d-%02d-%02d", y, m, date_days_in_month(y, m));
	mq.page = 1;
	if (store_meeting_list(req->db, req->arena, &mq, &items, &n, &total, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_str(&w, "month", arena_printf(req->arena, "%04d-%02d", y, m));
	jsonw_kv_int(&w, "org_id", o.id);
	jsonw_key(&w, "days");
	jsonw_array_begin(&w);
	for (int d = 1; d <= date_days_in_month(y, m); d++) {
		const char *day = arena_printf(req->arena, "%04d-%02d-%02d", y, m, d);
		jsonw_object_begin(&w);
		jsonw_kv_str(&w, "date", day);
		jsonw_key(&w, "meetings");
		jsonw_array_begin(&w);
		for (size_t i = n; i-- > 0;) /* newest first from the store: reverse for the day's order */
			if (!strcmp(items[i].held_on, day))
				meeting_jsonw(&w, &items[i], false);
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

const struct route compliance_routes[] = {
	{ "GET", "/api/v1/compliance", h_compliance, 0, PERM_ORG_READ },
	{ "GET", "/api/v1/calendar", h_calendar, 0, PERM_ORG_READ },
	{ NULL, NULL, NULL, 0, 0 },
};
