/*
 * applicant_json.c: development cases (发展党员) as the core sees them and
 * as JSON: the applicant with its next step and warnings, and each
 * recorded step with its vote, training, publicity and people.
 */
#include "util/common.h"
#include "core/workday.h"
#include "http/applicant_json.h"
#include "http/params.h"
#include "http/server.h"
#include "util/arena.h"
#include "util/jsonw.h"

int applicant_version(const struct applicant *a)
{
	return a->rule_version && !strcmp(a->rule_version, "2026") ? 2026 : 2014;
}

const struct dev_rules *applicant_rules(const struct server_config *cfg, const struct applicant *a)
{
	return dev_rules_for(&cfg->dev2014, &cfg->dev2026, applicant_version(a));
}

int dev_default_version(const struct server_config *cfg, struct date applied_on)
{
	if (cfg->dev_rule_version_default == 2014 || cfg->dev_rule_version_default == 2026)
		return cfg->dev_rule_version_default;
	return dev_version_default(applied_on);
}

struct dev_step_brief dev_step_brief_of(const struct dev_step_rec *s)
{
	struct dev_step_brief b = { 0 };

	b.step = s->step;
	b.on = s->on;
	b.result = s->result ? enum_from_json(dev_result_enum, s->result) : 0;
	b.outcome = s->outcome ? enum_from_json(dev_outcome_enum, s->outcome) : 0;
	b.extension_months = s->extension_months;
	return b;
}

/* The first brief of case `id` in steps ordered by applicant_id (nsteps when none). */
static size_t first_brief(const struct dev_step_rec *steps, size_t nsteps, int64_t id)
{
	size_t lo = 0, hi = nsteps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (steps[mid].applicant_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int applicant_list_with_briefs(struct http_req *req, const struct applicant_query *q, struct applicant **out,
			       size_t *n_out, int64_t *total_out, struct err *e)
{
	struct dev_step_rec *steps;
	size_t nsteps;

	if (store_applicant_list(req->db, req->arena, q, out, n_out, total_out, e) < 0)
		return -1;
	if (!*n_out)
		return 0;
	if (store_applicant_step_briefs(req->db, req->arena, q, &steps, &nsteps, e) < 0)
		return -1;
	for (size_t i = 0; i < *n_out; i++) {
		struct applicant *a = &(*out)[i];
		size_t k = first_brief(steps, nsteps, a->id), end = k;
		while (end < nsteps && steps[end].applicant_id == a->id)
			end++;
		a->steps = end > k ? &steps[k] : NULL;
		a->nsteps = end - k;
	}
	return 0;
}

static int by_id(const void *x, const void *y)
{
	const struct dev_step_rec *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

void applicant_case(const struct applicant *a, struct arena *ar, struct dev_case *out)
{
	struct dev_step_brief *b = arena_zalloc(ar, (a->nsteps + 1) * sizeof(*b));

	/* The store reads steps in (step, on, id) order; a repeated 21-23 cycle
	 * replays only in recorded order, which is id order (dates never go back). */
	if (a->nsteps > 1)
		qsort((struct dev_step_rec *)a->steps, a->nsteps, sizeof(*a->steps), by_id);
	for (size_t i = 0; i < a->nsteps; i++)
		b[i] = dev_step_brief_of(&a->steps[i]);
	memset(out, 0, sizeof(*out));
	out->version = applicant_version(a);
	out->birth_date = a->birth_date;
	out->status = a->status && !strcmp(a->status, "stopped") ? DEV_STOPPED : 0;
	out->steps = b;
	out->nsteps = a->nsteps;
}

/* ------------------------------------------------------------------ helpers */

static void kv_date(struct jsonw *w, const char *k, struct date d)
{
	char buf[11];

	jsonw_key(w, k);
	if (!date_is_set(d)) {
		jsonw_null(w);
		return;
	}
	date_format(d, buf);
	jsonw_str(w, buf);
}

static void kv_id(struct jsonw *w, const char *k, int64_t id)
{
	jsonw_key(w, k);
	if (id)
		jsonw_int(w, id);
	else
		jsonw_null(w);
}

static void json_release(void *p)
{
	json_decref(p);
}

/* A step's stored warnings, parsed (an array; empty when none or unreadable). Borrowed from the arena. */
static json_t *step_warnings(struct arena *ar, const struct dev_step_rec *s)
{
	json_t *v = s->warnings && *s->warnings ? json_loads(s->warnings, 0, NULL) : NULL;

	if (!v || !json_is_array(v)) {
		json_decref(v);
		v = json_array();
	}
	arena_cleanup(ar, json_release, v);
	return v;
}

/* ---------------------------------------------------------------- a step */

int dev_step_jsonw(struct http_req *req, struct jsonw *w, const struct dev_step_rec *s, struct err *e)
{
	const struct dev_step_def *def = dev_step_def(s->step);
	const char *approver_name = NULL;
	const char *warn;

	if (s->approver_org_id) {
		struct org o;
		struct err le = ERR_INIT;
		if (store_org_get(req->db, req->arena, NULL, s->approver_org_id, &o, &le) == 0) {
			approver_name = o.name;
		} else if (le.kind != ERR_NOT_FOUND) {
			*e = le;
			return -1;
		}
		err_release(&le);
	}
	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", s->id);
	jsonw_kv_int(w, "step", s->step);
	jsonw_kv_str(w, "name", def ? def->name : NULL);
	jsonw_key(w, "stage");
	if (def)
		jsonw_int(w, def->stage);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "stage_name", def ? dev_stage_group_name(def->stage) : NULL);
	/* DEV-03: the body that decides or carries out the step. */
	jsonw_kv_str(w, "body", def ? enum_json(dev_body_enum, def->body) : NULL);
	jsonw_kv_str(w, "body_label", def ? enum_label(dev_body_enum, def->body) : NULL);
	kv_date(w, "on", s->on);
	jsonw_kv_str(w, "summary", s->summary);
	jsonw_kv_str(w, "result", s->result);
	jsonw_kv_str(w, "outcome", s->outcome);
	jsonw_key(w, "vote");
	if (s->has_vote) {
		/* Quorum and result are not stored: counted again by the same rule (DEV-30). */
		struct vote_input vin = { MTG_MEMBER_CONGRESS, s->expected, s->present,    s->yes, s->no,
					  s->abstain,          true,        s->written_yes };
		struct vote_result vr = { 0 };
		struct err le = ERR_INIT;
		bool ok = meeting_vote_check(&req->cfg->meetings, &vin, &vr, &le) == 0;
		err_release(&le);
		jsonw_object_begin(w);
		jsonw_kv_int(w, "expected", s->expected);
		jsonw_kv_int(w, "present", s->present);
		jsonw_kv_int(w, "yes", s->yes);
		jsonw_kv_int(w, "no", s->no);
		jsonw_kv_int(w, "abstain", s->abstain);
		jsonw_kv_int(w, "written_yes", s->written_yes);
		jsonw_kv_bool(w, "quorum", ok && vr.quorum);
		jsonw_kv_bool(w, "passed", ok && vr.passed);
		jsonw_kv_str(w, "reason", ok ? vr.reason : "表决票数有误");
		jsonw_object_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "extension_months");
	if (s->step == 23 && s->outcome && !strcmp(s->outcome, "extend"))
		jsonw_int(w, s->extension_months);
	else
		jsonw_null(w);
	jsonw_key(w, "training");
	if (s->step == 11) {
		jsonw_object_begin(w);
		jsonw_kv_int(w, "days", s->training_days);
		jsonw_kv_int(w, "hours", s->training_hours);
		jsonw_object_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_kv_str(w, "justification", s->justification);
	jsonw_key(w, "publicity");
	if (date_is_set(s->publicity_from)) {
		bool provisional = false;
		jsonw_object_begin(w);
		kv_date(w, "from", s->publicity_from);
		kv_date(w, "to", s->publicity_to);
		jsonw_kv_int(w, "working_days",
			     workdays_between(s->publicity_from, s->publicity_to, &provisional));
		jsonw_kv_bool(w, "provisional", provisional);
		jsonw_object_end(w);
	} else {
		jsonw_null(w);
	}
	kv_id(w, "approver_org_id", s->approver_org_id);
	jsonw_kv_str(w, "approver_org_name", approver_name);
	kv_id(w, "meeting_id", s->meeting_id);
	jsonw_key(w, "people");
	jsonw_array_begin(w);
	for (size_t i = 0; i < s->npeople; i++) {
		const struct dev_person *p = &s->people[i];
		jsonw_object_begin(w);
		jsonw_kv_str(w, "role", p->role);
		jsonw_kv_str(w, "role_label",
			     enum_label(dev_role_enum, enum_from_json(dev_role_enum, p->role)));
		kv_id(w, "member_id", p->member_id);
		jsonw_kv_str(w, "name", p->name);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "warnings");
	warn = s->warnings && *s->warnings ? s->warnings : "[]";
	jsonw_raw(w, warn, strlen(warn));
	jsonw_kv_str(w, "rule_version", s->rule_version);
	jsonw_kv_str(w, "created_by", s->created_by);
	jsonw_kv_str(w, "created_at", s->created_at);
	jsonw_object_end(w);
	return 0;
}

/* ------------------------------------------------------------ an applicant */

int applicant_jsonw(struct http_req *req, struct jsonw *w, const struct applicant *a, bool full,
		    struct err *e)
{
	const struct code_entry *eth = ethnicity_by_code(a->ethnicity);
	const struct code_entry *edu = education_by_code(a->education);
	const struct dev_step_def *def = dev_step_def(a->step);
	struct date today = req_today(req);
	struct dev_case c;
	struct dev_next nx;
	int64_t nwarn = 0;

	applicant_case(a, req->arena, &c);
	for (size_t i = 0; i < a->nsteps; i++)
		nwarn += (int64_t)json_array_size(step_warnings(req->arena, &a->steps[i]));

	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", a->id);
	jsonw_kv_int(w, "org_id", a->org_id);
	jsonw_kv_str(w, "org_name", a->org_name);
	jsonw_kv_str(w, "name", a->name);
	jsonw_kv_str(w, "gender", enum_json(gender_enum, a->gender));
	jsonw_kv_str(w, "gender_label", enum_label(gender_enum, a->gender));
	jsonw_kv_str(w, "ethnicity", a->ethnicity);
	jsonw_kv_str(w, "ethnicity_name", eth ? eth->name : NULL);
	kv_date(w, "birth_date", a->birth_date);
	jsonw_key(w, "age");
	if (date_is_set(a->birth_date))
		jsonw_int(w, date_age_on(a->birth_date, today));
	else
		jsonw_null(w);
	jsonw_kv_str(w, "id_card", a->id_card);
	jsonw_kv_str(w, "education", a->education);
	jsonw_kv_str(w, "education_name", edu ? edu->name : NULL);
	jsonw_kv_str(w, "phone", a->phone);
	jsonw_kv_str(w, "native_place", a->native_place ? a->native_place : "");
	jsonw_kv_str(w, "category", enum_json(category_enum, a->category));
	jsonw_kv_str(w, "category_label", enum_label(category_enum, a->category));
	jsonw_kv_str(w, "work_unit", a->work_unit ? a->work_unit : "");
	jsonw_kv_str(w, "job", a->job ? a->job : "");
	jsonw_kv_str(w, "stage", enum_json(dev_stage_enum, a->stage));
	jsonw_kv_str(w, "stage_label", enum_label(dev_stage_enum, a->stage));
	jsonw_kv_str(w, "status", a->status);
	jsonw_kv_str(w, "status_label",
		     enum_label(dev_status_enum, enum_from_json(dev_status_enum, a->status)));
	jsonw_kv_str(w, "stop_reason", a->stop_reason);
	jsonw_kv_str(w, "rule_version", a->rule_version);
	jsonw_kv_int(w, "step", a->step);
	jsonw_kv_str(w, "step_name", def ? def->name : NULL);
	kv_date(w, "applied_on", a->applied_on);
	kv_date(w, "activist_on", a->activist_on);
	kv_date(w, "candidate_on", a->candidate_on);
	kv_date(w, "admitted_on", a->admitted_on);
	kv_date(w, "approved_on", a->approved_on);
	kv_date(w, "probation_end", a->probation_end);
	kv_date(w, "full_on", a->full_on);
	jsonw_kv_int(w, "extensions", a->extensions);
	kv_id(w, "member_id", a->member_id);
	jsonw_key(w, "next");
	if (a->nsteps && dev_next(applicant_rules(req->cfg, a), &c, today, &nx) == 0 && nx.step) {
		const struct dev_step_def *nd = dev_step_def(nx.step);
		jsonw_object_begin(w);
		jsonw_kv_int(w, "step", nx.step);
		jsonw_kv_str(w, "name", nd ? nd->name : NULL);
		kv_date(w, "earliest_on", nx.earliest);
		kv_date(w, "due_on", nx.due);
		jsonw_kv_bool(w, "overdue", nx.overdue);
		jsonw_kv_str(w, "rule", nx.rule[0] ? nx.rule : NULL);
		jsonw_object_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_kv_int(w, "warnings", nwarn);
	jsonw_kv_str(w, "created_at", a->created_at);
	jsonw_kv_str(w, "updated_at", a->updated_at);
	if (full) {
		jsonw_key(w, "steps");
		jsonw_array_begin(w);
		for (size_t i = 0; i < a->nsteps; i++)
			if (dev_step_jsonw(req, w, &a->steps[i], e) < 0)
				return -1;
		jsonw_array_end(w);
		jsonw_key(w, "warnings_list");
		jsonw_array_begin(w);
		for (size_t i = 0; i < a->nsteps; i++) {
			json_t *arr = step_warnings(req->arena, &a->steps[i]), *x;
			size_t k;
			json_array_foreach(arr, k, x)
			{
				jsonw_object_begin(w);
				jsonw_kv_int(w, "step", a->steps[i].step);
				jsonw_kv_str(w, "rule", json_string_value(json_object_get(x, "rule")));
				jsonw_kv_str(w, "message", json_string_value(json_object_get(x, "message")));
				jsonw_object_end(w);
			}
		}
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
	return 0;
}

const char *applicant_audit_text(struct http_req *req, const struct applicant *a)
{
	struct jsonw w = JSONW_INIT;
	struct err e = ERR_INIT;
	const char *s;

	applicant_jsonw(req, &w, a, false, &e); /* without steps it cannot fail */
	err_release(&e);
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}
