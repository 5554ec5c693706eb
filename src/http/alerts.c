/*
 * alerts.c: the alerts and to-do feed (预警/待办) of the caller's scope: every
 * deadline the rules imply that exists in the product so far: terms due or
 * overdue (ORG-11/12), structure problems (ORG-01..03), meetings missing in
 * the last month or quarter (MTG-15), dues arrears (DUES-11) and probationary
 * members due for full membership (12 months after joining), introduction
 * letters past their validity without a receipt (XFER-06), members lost
 * long enough for suspension (LOST-01), development steps due or overdue and
 * branches that developed no member in N years (DEV-53).
 */
#include "util/common.h"
#include "core/dues.h"
#include "core/meeting.h"
#include "http/applicant_json.h"
#include "http/dues_common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

enum severity { SEV_LOW = 1, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
static const char *const severity_names[] = { "", "low", "medium", "high", "critical" };

struct alert {
	const char *kind, *kind_label;
	int severity;
	int64_t org_id;
	const char *org_name, *subject, *due_on, *link;
};

struct feed {
	struct http_req *req;
	struct alert *items;
	size_t n, cap;
};

static void add(struct feed *f, const char *kind, const char *label, int sev, const struct org *o,
		const char *subject, const char *due_on, const char *link)
{
	struct alert *a;

	f->items = arena_grow(f->req->arena, f->items, sizeof(*f->items), f->n, &f->cap);
	a = &f->items[f->n++];
	a->kind = kind;
	a->kind_label = label;
	a->severity = sev;
	a->org_id = o ? o->id : 0;
	a->org_name = o ? o->name : NULL;
	a->subject = subject;
	a->due_on = due_on;
	a->link = link;
}

static const char *date_text(struct arena *a, struct date d)
{
	char *buf = arena_alloc(a, 11);
	date_format(d, buf);
	return buf;
}

static void org_alerts(struct feed *f, const struct org_list *l, struct date today)
{
	struct arena *a = f->req->arena;

	for (size_t i = 0; i < l->n; i++) {
		const struct org *o = &l->items[i];
		struct org_warning w[8];
		int n = org_warnings(o, today, w, (int)ARRAY_SIZE(w));
		const char *link = arena_printf(a, "#/orgs?id=%lld", (long long)o->id);
		for (int k = 0; k < n; k++) {
			struct date due = org_term_due(o);
			if (!strcmp(w[k].code, "ORG-11"))
				add(f, "term_overdue", "换届逾期", SEV_HIGH, o, arena_strdup(a, w[k].message),
				    date_text(a, due), link);
			else if (!strcmp(w[k].code, "ORG-12"))
				add(f, "term_due", "换届临近", SEV_MEDIUM, o, arena_strdup(a, w[k].message),
				    date_text(a, due), link);
			else
				add(f, "structure", "组织设置", SEV_LOW, o,
				    arena_printf(a, "%s（%s）", w[k].message, w[k].code), NULL, link);
		}
	}
}

/* Meetings missing in the last completed month (monthly types) and quarter (quarterly types). */
static int meeting_alerts(struct feed *f, const struct org_list *l, struct date today, struct err *e)
{
	struct http_req *req = f->req;
	const struct meeting_settings *s = &req->cfg->meetings;
	struct date last_month_end = date_add_days((struct date){ today.y, today.m, 1 }, -1);
	struct date q_start = { today.y, ((today.m - 1) / 3) * 3 + 1, 1 };
	struct date last_q_end = date_add_days(q_start, -1);
	struct date last_q_start = date_add_months(q_start, -3);
	struct meeting_count *mc;
	size_t nmc;

	if (!l->n)
		return 0;
	if (store_meeting_counts(req->db, req->arena, l->items[0].path, date_text(req->arena, last_q_start),
				 date_text(req->arena, last_month_end), &mc, &nmc, e) < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct org *o = &l->items[i];
		int groups = 0, month_held[MTG_TYPE_COUNT] = { 0 }, q_held[MTG_TYPE_COUNT] = { 0 };
		int last_month = last_month_end.y * 100 + last_month_end.m;
		if (o->type != ORG_BRANCH)
			continue;
		for (size_t k = 0; k < l->n; k++)
			if (l->items[k].parent_id == o->id && l->items[k].type == ORG_PARTY_GROUP)
				groups++;
		for (size_t k = 0; k < nmc; k++) {
			int64_t org = mc[k].org_id;
			for (size_t g = 0; g < l->n; g++)
				if (l->items[g].id == org && l->items[g].type == ORG_PARTY_GROUP)
					org = l->items[g].parent_id;
			if (org != o->id || mc[k].type <= 0 || mc[k].type >= MTG_TYPE_COUNT)
				continue;
			if (mc[k].month == last_month)
				month_held[mc[k].type] += mc[k].held - mc[k].incomplete;
			if (mc[k].month >= last_q_start.y * 100 + last_q_start.m &&
			    mc[k].month <= last_q_end.y * 100 + last_q_end.m)
				q_held[mc[k].type] += mc[k].held - mc[k].incomplete;
		}
		for (int t = 1; t < MTG_TYPE_COUNT; t++) {
			int need = s->rule[t].count;
			if (t == MTG_COMMITTEE_MEETING && o->committee_size < 3)
				continue;
			if (t == MTG_GROUP_MEETING)
				need *= groups;
			if (!need)
				continue;
			if (s->rule[t].period == PERIOD_MONTH && month_held[t] < need)
				add(f, "meeting_missing", "组织生活缺项", SEV_MEDIUM, o,
				    arena_printf(req->arena, "%04d年%d月%s应开%d次，实开%d次",
						 last_month_end.y, last_month_end.m,
						 enum_label(meeting_type_enum, t), need, month_held[t]),
				    date_text(req->arena, last_month_end),
				    arena_printf(req->arena, "#/meetings?org=%lld", (long long)o->id));
			if (s->rule[t].period == PERIOD_QUARTER && q_held[t] < need)
				add(f, "meeting_missing", "组织生活缺项", SEV_MEDIUM, o,
				    arena_printf(req->arena, "%04d年第%d季度%s应开%d次，实开%d次",
						 last_q_end.y, (last_q_end.m + 2) / 3,
						 enum_label(meeting_type_enum, t), need, q_held[t]),
				    date_text(req->arena, last_q_end),
				    arena_printf(req->arena, "#/meetings?org=%lld", (long long)o->id));
		}
	}
	return 0;
}

static int dues_alerts(struct feed *f, const struct org *root, struct err *e)
{
	struct http_req *req = f->req;
	struct arrears_row *rows;
	size_t n;

	if (dues_arrears_rows(req, root->path, &rows, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct arrears_row *r = &rows[i];
		struct org o = { .id = r->row.org_id, .name = r->row.org_name };
		int sev = r->arrears.level == DUES_ARREARS_LAPSE_CASE ? SEV_CRITICAL
			  : r->arrears.level == DUES_ARREARS_ALERT    ? SEV_HIGH
			  : r->arrears.level == DUES_ARREARS_WARN     ? SEV_MEDIUM
								      : 0;
		if (!sev)
			continue;
		add(f, "dues_arrears", "党费欠缴", sev, &o,
		    arena_printf(req->arena, "%s欠缴党费%d个月（连续%d个月）%s", r->row.name,
				 r->arrears.unpaid_total, r->arrears.consecutive,
				 r->arrears.level == DUES_ARREARS_LAPSE_CASE
					 ? "，连续6个月未交，须按党章第九条研究处理"
					 : ""),
		    NULL, arena_printf(req->arena, "#/members/%lld", (long long)r->row.member_id));
	}
	return 0;
}

static int probation_alerts(struct feed *f, const struct org *root, struct date today, struct err *e)
{
	struct http_req *req = f->req;
	struct member_query mq = { .scope = root->path, .status = STATUS_PROBATIONARY, .unpaged = true };
	struct member_page p;

	if (store_member_list(req->db, req->arena, &mq, &p, e) < 0)
		return -1;
	for (size_t i = 0; i < p.n; i++) {
		const struct member *m = &p.items[i];
		struct date due = date_add_months(m->joined_on, 12);
		long days = date_to_days(due) - date_to_days(today);
		struct org o = { .id = m->org_id, .name = m->org_name };
		if (!date_is_set(m->joined_on) || days > 30)
			continue;
		add(f, "full_membership_due", "预备期满", days < 0 ? SEV_HIGH : SEV_MEDIUM, &o,
		    arena_printf(req->arena, "%s预备期%s（%s），应及时讨论转正", m->name,
				 days < 0 ? "已满" : "即将期满", date_text(req->arena, due)),
		    date_text(req->arena, due), arena_printf(req->arena, "#/members/%lld", (long long)m->id));
	}
	return 0;
}

/* Introduction letters issued by the subtree, validity over, no receipt (XFER-06). */
static int letter_alerts(struct feed *f, const struct org *root, struct date today, struct err *e)
{
	struct http_req *req = f->req;
	struct transfer_query tq = { .path = root->path,
				     .box = "outgoing",
				     .expired_before = date_text(req->arena, today) };
	struct transfer *t;
	size_t n;
	int64_t total;

	if (store_transfer_list(req->db, req->arena, &tq, &t, &n, &total, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct org o = { .id = t[i].from_org_id, .name = t[i].from_org_name };
		const char *due = date_text(req->arena, t[i].valid_until);
		/* The receipt is expected within receipt_days after the validity; beyond that it is overdue.
		 */
		bool overdue = date_cmp(date_add_days(t[i].valid_until, req->cfg->transfers.receipt_days),
					today) < 0;
		add(f, "letter_expired", "介绍信过期", overdue ? SEV_HIGH : SEV_MEDIUM, &o,
		    arena_printf(req->arena, "%s的组织关系介绍信（%s）已于%s到期，尚未收到回执%s",
				 t[i].member_name ? t[i].member_name : "",
				 t[i].letter_no ? t[i].letter_no : "", due,
				 overdue ? "，回执已逾期，请向接收方催办" : ""),
		    due, arena_printf(req->arena, "#/transfers/%lld", (long long)t[i].id));
	}
	return 0;
}

/* Members lost for lost_months: suspension is due (LOST-01); state_on of a lost member is the last contact.
 */
static int lost_alerts(struct feed *f, const struct org *root, struct date today, struct err *e)
{
	struct http_req *req = f->req;
	struct member_query mq = { .scope = root->path, .state = MSTATE_LOST, .unpaged = true };
	struct member_page p;

	if (store_member_list(req->db, req->arena, &mq, &p, e) < 0)
		return -1;
	for (size_t i = 0; i < p.n; i++) {
		const struct member *m = &p.items[i];
		struct date due = date_add_months(m->state_on, req->cfg->lifecycle.lost_months);
		struct org o = { .id = m->org_id, .name = m->org_name };
		if (!date_is_set(m->state_on) || date_cmp(due, today) > 0)
			continue;
		add(f, "lost_suspend", "失联待停止党籍", SEV_HIGH, &o,
		    arena_printf(req->arena, "%s自%s失去联系已满%d个月，应按规定研究停止党籍", m->name,
				 date_text(req->arena, m->state_on), req->cfg->lifecycle.lost_months),
		    date_text(req->arena, due), arena_printf(req->arena, "#/members/%lld", (long long)m->id));
	}
	return 0;
}

/* Development cases with a step overdue or due this month, and branches developing no one (DEV-53). */
static int dev_alerts(struct feed *f, const struct org *root, struct date today, struct err *e)
{
	struct http_req *req = f->req;
	struct applicant *due, *over;
	struct dev_dormant_org *dormant;
	size_t ndue, nover, ndormant;
	struct date since;

	if (dev_due_cases(req, root->path, (struct date){ today.y, today.m, 1 },
			  (struct date){ today.y, today.m, date_days_in_month(today.y, today.m) }, &due,
			  &ndue, &over, &nover, e) < 0 ||
	    dev_dormant_orgs(req, root, 0, &dormant, &ndormant, &since, e) < 0)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		struct applicant *v = pass ? due : over;
		size_t n = pass ? ndue : nover;
		for (size_t i = 0; i < n; i++) {
			struct dev_case c;
			struct dev_next nx;
			struct org o = { .id = v[i].org_id, .name = v[i].org_name };
			const struct dev_step_def *d;
			applicant_case(&v[i], req->arena, &c);
			if (dev_next(applicant_rules(req->cfg, &v[i]), &c, today, &nx) < 0 ||
			    !(d = dev_step_def(nx.step)))
				continue;
			add(f, pass ? "development_due" : "development_overdue",
			    pass ? "发展党员待办" : "发展党员逾期", pass ? SEV_MEDIUM : SEV_HIGH, &o,
			    arena_printf(req->arena, "%s：第%d步“%s”%s%s%s%s", v[i].name, nx.step, d->name,
					 pass ? "应于" : "已于", date_text(req->arena, nx.due),
					 pass ? "前办理" : "到期",
					 nx.rule[0] ? arena_printf(req->arena, "（%s）", nx.rule) : ""),
			    date_text(req->arena, nx.due),
			    arena_printf(req->arena, "#/development/applicants/%lld", (long long)v[i].id));
		}
	}
	for (size_t i = 0; i < ndormant; i++) {
		const struct dev_dormant_org *x = &dormant[i];
		add(f, "dormant_org", "长期未发展党员", SEV_LOW, &x->org,
		    date_is_set(x->last_developed_on)
			    ? arena_printf(req->arena, "%s自%s以来未发展党员（DEV-53）", x->org.name,
					   date_text(req->arena, x->last_developed_on))
			    : arena_printf(req->arena, "%s自%s以来未发展党员，系统中无发展记录（DEV-53）",
					   x->org.name, date_text(req->arena, since)),
		    NULL, arena_printf(req->arena, "#/development?org=%lld", (long long)x->org.id));
	}
	return 0;
}

static int by_severity(const void *x, const void *y)
{
	const struct alert *a = x, *b = y;

	if (a->severity != b->severity)
		return b->severity - a->severity;
	if (a->due_on && b->due_on)
		return strcmp(a->due_on, b->due_on);
	return (a->due_on == NULL) - (b->due_on == NULL);
}

/* GET /api/v1/alerts?org&kind -> 200 {items:[...], counts:{kind: n}, total} */
static int h_alerts(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct feed f = { .req = req };
	struct org_list l;
	struct jsonw w = JSONW_INIT;
	struct date today = req_today(req);
	const char *kind = NULL;
	int64_t org_id;
	struct org o;
	static const char *const kinds[] = { "term_overdue",        "term_due",     "structure",
					     "meeting_missing",     "dues_arrears", "full_membership_due",
					     "letter_expired",      "lost_suspend", "development_due",
					     "development_overdue", "dormant_org" };

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_str(req, "kind", 32, &kind, e) < 0 ||
	    store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0 ||
	    store_org_subtree(req->db, req->arena, o.path, &l, e) < 0)
		return -1;
	org_alerts(&f, &l, today);
	if (meeting_alerts(&f, &l, today, e) < 0)
		return -1;
	if (user_can(req->user, PERM_MEMBER_READ) &&
	    (dues_alerts(&f, &o, e) < 0 || probation_alerts(&f, &o, today, e) < 0 ||
	     letter_alerts(&f, &o, today, e) < 0 || lost_alerts(&f, &o, today, e) < 0 ||
	     dev_alerts(&f, &o, today, e) < 0))
		return -1;
	if (f.n > 1)
		qsort(f.items, f.n, sizeof(*f.items), by_severity);
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < f.n; i++) {
		const struct alert *a = &f.items[i];
		if (kind && strcmp(kind, a->kind) != 0)
			continue;
		jsonw_object_begin(&w);
		jsonw_kv_str(&w, "kind", a->kind);
		jsonw_kv_str(&w, "kind_label", a->kind_label);
		jsonw_kv_str(&w, "severity", severity_names[a->severity]);
		jsonw_kv_int(&w, "org_id", a->org_id);
		jsonw_kv_str(&w, "org_name", a->org_name);
		jsonw_kv_str(&w, "subject", a->subject);
		jsonw_kv_str(&w, "due_on", a->due_on);
		jsonw_kv_str(&w, "link", a->link);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "counts");
	jsonw_object_begin(&w);
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		int64_t c = 0;
		for (size_t i = 0; i < f.n; i++)
			c += !strcmp(f.items[i].kind, kinds[k]);
		jsonw_kv_int(&w, kinds[k], c);
	}
	jsonw_object_end(&w);
	jsonw_kv_int(&w, "total", (int64_t)f.n);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

const struct route alert_routes[] = {
	{ "GET", "/api/v1/alerts", h_alerts, 0, PERM_ORG_READ },
	{ NULL, NULL, NULL, 0, 0 },
};
