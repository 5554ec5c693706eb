/*
 * applicants.c: development cases (发展党员, RULES.md section 1): open a case
 * with the application (step 1), record each of the 25 steps checked by
 * core/develop (dev_check_step), create the member record at approval
 * (step 17), make it full or let it leave at step 24, stop a case, and move
 * an open case to another branch (DEV-16).
 */
#include "util/common.h"
#include "core/idcard.h"
#include "http/applicant_json.h"
#include "http/member_json.h"
#include "http/member_states.h"
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

static bool staff(const struct http_req *req)
{
	return req->user->role == UROLE_ADMIN || req->user->role == UROLE_ORG_ADMIN;
}

static int reply_applicant(struct http_req *req, struct http_reply *rep, int status, int64_t id,
			   struct err *e)
{
	struct applicant a;
	struct jsonw w = JSONW_INIT;

	if (store_applicant_get(req->db, req->arena, NULL, id, false, &a, e) < 0 ||
	    applicant_jsonw(req, &w, &a, true, e) < 0) {
		strbuf_release(&w.sb);
		return -1;
	}
	return reply_jsonw(rep, status, &w);
}

/* ------------------------------------------------------------------ list */

/* GET /api/v1/applicants?org&stage&status&q&page&per_page -> 200 list | 404 */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct applicant_query aq = { 0 };
	struct applicant *items;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id, total;
	size_t n;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_enum(req, "stage", dev_stage_enum, &aq.stage, e) < 0 ||
	    param_str(req, "status", 16, &aq.status, e) < 0 || param_str(req, "q", 150, &aq.q, e) < 0 ||
	    param_page(req, &aq.page, &aq.per_page, NULL, e) < 0)
		return -1;
	if (aq.status && !enum_from_json(dev_status_enum, aq.status))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter",
			       "参数 status 应为 open、completed、cancelled 或 stopped");
	if (aq.q) {
		char buf[256];
		member_normalize_name(aq.q, buf, sizeof(buf));
		aq.q = *buf ? arena_strdup(req->arena, buf) : NULL;
	}
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	aq.path = o.path;
	/* The next step and the warnings need the steps: their briefs come for the whole page at once. */
	if (applicant_list_with_briefs(req, &aq, &items, &n, &total, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		if (applicant_jsonw(req, &w, &items[i], false, e) < 0) {
			strbuf_release(&w.sb);
			return -1;
		}
	}
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", total);
	jsonw_kv_int(&w, "page", aq.page);
	jsonw_kv_int(&w, "per_page", aq.per_page);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

/* GET /api/v1/applicants/{id}[?reveal=1] -> 200 applicant (with steps) | 403 | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	bool reveal = param_flag(req, "reveal");
	struct applicant a;
	struct jsonw w = JSONW_INIT;

	if (reveal && !user_can(req->user, PERM_REVEAL))
		return err_set(e, ERR_FORBIDDEN, NULL, "没有查看完整证件号码的权限");
	if (store_applicant_get(req->db, req->arena, req_scope(req), req->params[0], reveal, &a, e) < 0)
		return -1;
	if (reveal) {
		struct actor who = req_actor(req);
		if (store_begin(req->db, e) < 0 ||
		    store_audit(req->db, &who, "applicant.reveal", "applicant", a.id, NULL, NULL, e) < 0 ||
		    store_commit(req->db, e) < 0)
			return -1;
	}
	if (applicant_jsonw(req, &w, &a, true, e) < 0) {
		strbuf_release(&w.sb);
		return -1;
	}
	return reply_jsonw(rep, 200, &w);
}

/* ---------------------------------------------------------------- create */

static const char *const applicant_fields[] = {
	"org_id",    "name",      "gender",     "ethnicity",    "birth_date",
	"id_card",   "education", "phone",      "native_place", "category",
	"work_unit", "job",       "applied_on", "rule_version", NULL,
};

/* rule_version: "2014"/"2026" (or the number); *out = 0 when absent or empty. */
static int get_version(json_t *obj, int *out, struct err *e)
{
	json_t *v = json_object_get(obj, "rule_version");

	*out = 0;
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	if (json_is_integer(v) && (json_integer_value(v) == 2014 || json_integer_value(v) == 2026))
		*out = (int)json_integer_value(v);
	else if (json_is_string(v) &&
		 (!strcmp(json_string_value(v), "2014") || !strcmp(json_string_value(v), "2026")))
		*out = atoi(json_string_value(v));
	else
		return err_field(e, "rule_version", "适用细则应为 2014 或 2026");
	return 1;
}

/*
 * Reads and validates the person as a member would be (member_validate's
 * messages), except the membership fields an applicant has not got.
 */
static int applicant_from_json(struct http_req *req, struct applicant *a, struct org *branch, struct err *e)
{
	struct member m = { 0 };
	struct member_rules rules;
	struct err ve = ERR_INIT;
	json_t *person;
	struct date applied = DATE_NONE, today = req_today(req);
	int version = 0, r;

	if (json_only(req->json, applicant_fields, e) < 0)
		return -1;
	/* The person's fields are a member's: read them with the member reader. */
	person = json_copy(req->json);
	json_object_del(person, "applied_on");
	json_object_del(person, "rule_version");
	r = member_apply_json(person, &m, req->arena, e);
	json_decref(person); /* the values stay referenced by req->json */
	if (r < 0 && e->kind != ERR_VALIDATION)
		return -1;
	if (json_get_date(req->json, "applied_on", &applied, e) == 0)
		err_field(e, "applied_on", "请填写递交入党申请书的日期");
	get_version(req->json, &version, e);
	if (err_is_set(e) && e->kind != ERR_VALIDATION)
		return -1;

	/* member_validate wants a member: a probationary one joined "today" passes the
	 * membership checks, whose messages are dropped (DEV-10 is the age check here). */
	m.status = STATUS_PROBATIONARY;
	m.joined_on = today;
	m.full_member_on = DATE_NONE;
	member_rules_default(&rules);
	rules.min_join_age = 0;
	if (member_validate(&m, &rules, today, &ve) < 0) {
		for (int i = 0; i < ve.nfields; i++)
			if (strcmp(ve.fields[i].name, "joined_on") && strcmp(ve.fields[i].name, "status") &&
			    strcmp(ve.fields[i].name, "full_member_on"))
				err_field(e, ve.fields[i].name, "%s", ve.fields[i].message);
	}
	err_release(&ve);
	if (date_is_set(applied) && date_cmp(applied, today) > 0)
		err_field(e, "applied_on", "申请日期不能晚于今天");
	if (m.org_id && !err_field_message(e, "org_id")) {
		struct err oe = ERR_INIT;
		if (store_org_get(req->db, req->arena, req_scope(req), m.org_id, branch, &oe) < 0) {
			if (oe.kind == ERR_NOT_FOUND)
				err_field(e, "org_id", "党组织不存在");
			else if (!err_is_set(e))
				*e = oe;
			else
				err_release(&oe);
		} else if (!dev_org_accepts(branch->type)) { /* DEV-11 */
			err_field(e, "org_id", "入党申请人须登记在党支部");
		}
	}
	if (err_is_set(e))
		return -1;
	if (m.id_card) {
		struct idcard_info info;
		const char *why;
		if (idcard_parse(m.id_card, false, today, &info, &why) == 0)
			m.id_card = arena_strdup(req->arena, info.number);
	}

	a->org_id = branch->id;
	a->org_name = branch->name;
	a->name = m.name;
	a->gender = m.gender;
	memcpy(a->ethnicity, m.ethnicity, sizeof(a->ethnicity));
	a->birth_date = m.birth_date;
	a->id_card = m.id_card;
	memcpy(a->education, m.education, sizeof(a->education));
	a->phone = m.phone;
	a->native_place = m.native_place;
	a->work_unit = m.work_unit;
	a->job = m.job;
	a->category = m.category;
	a->applied_on = applied;
	a->rule_version =
		arena_printf(req->arena, "%d", version ? version : dev_default_version(req->cfg, applied));
	return 0;
}

/* Sets a rule violation's rule id into the error body ({"error":{..., "rule":"DEV-10"}}). */
static void add_rule(struct err *e, const struct dev_verdict *v)
{
	if (v->rule[0] && !e->detail)
		e->detail = json_pack("{s:s}", "rule", v->rule);
}

/* Warnings as stored: a JSON array of {"rule","message"}. */
static const char *warnings_text(struct arena *ar, const struct dev_verdict *v)
{
	json_t *arr = json_array();

	for (int i = 0; i < v->nwarn; i++)
		json_array_append_new(
			arr, json_pack("{s:s,s:s}", "rule", v->warn[i].rule, "message", v->warn[i].message));
	return json_text(ar, arr);
}

/*
 * The store writes every person field on an update, the numbers in plain:
 * put the plain identity and phone numbers back on a case read masked.
 */
static int unmask(struct http_req *req, struct applicant *a, struct err *e)
{
	struct applicant plain;

	if (store_applicant_get(req->db, req->arena, NULL, a->id, true, &plain, e) < 0)
		return -1;
	a->id_card = plain.id_card;
	a->phone = plain.phone;
	return 0;
}

/* Copies a summary onto the stored case fields. */
static void apply_summary(struct applicant *a, const struct dev_summary *s)
{
	a->stage = s->stage;
	a->status = enum_json(dev_status_enum, s->status);
	a->step = s->step;
	a->applied_on = s->applied_on;
	a->activist_on = s->activist_on;
	a->candidate_on = s->candidate_on;
	a->admitted_on = s->admitted_on;
	a->approved_on = s->approved_on;
	a->probation_end = s->probation_end;
	a->full_on = s->full_on;
	a->extensions = s->extensions;
}

/* POST /api/v1/applicants {person, applied_on, rule_version} -> 201 applicant | 404 | 409 duplicate_id_card |
 * 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct applicant a = { 0 };
	struct org branch;
	struct actor who = req_actor(req);
	struct dev_case c = { 0 };
	struct dev_step_input in = { 0 };
	struct dev_verdict v;
	struct dev_step_rec s = { 0 };
	struct dev_step_brief b;
	struct dev_summary sum;
	struct applicant stored;
	int64_t existing = 0;

	if (applicant_from_json(req, &a, &branch, e) < 0)
		return -1;
	/* Step 1 on an empty case: DEV-10 age, the date not after today. */
	c.version = atoi(a.rule_version);
	c.birth_date = a.birth_date;
	in.step = 1;
	in.on = a.applied_on;
	memset(&v, 0, sizeof(v));
	if (dev_check_step(dev_rules_for(&req->cfg->dev2014, &req->cfg->dev2026, c.version), &c, &in,
			   req_today(req), &v, e) < 0) {
		add_rule(e, &v);
		return -1;
	}
	if (store_member_find_id_card(req->db, a.id_card, &existing, e) < 0)
		return -1;
	if (existing)
		return err_set(e, ERR_CONFLICT, "duplicate_id_card", "该身份证号已登记为党员");
	b = (struct dev_step_brief){ .step = 1, .on = a.applied_on };
	c.steps = &b;
	c.nsteps = 1;
	dev_summarize(dev_rules_for(&req->cfg->dev2014, &req->cfg->dev2026, c.version), &c, &sum);
	apply_summary(&a, &sum);
	s.step = 1;
	s.on = a.applied_on;
	s.summary = "递交入党申请书";
	s.warnings = warnings_text(req->arena, &v);
	s.rule_version = a.rule_version;
	s.created_by = who.name;
	if (store_begin(req->db, e) < 0 || store_applicant_insert(req->db, &a, e) < 0)
		return -1;
	s.applicant_id = a.id;
	if (store_dev_step_add(req->db, &s, e) < 0 ||
	    store_applicant_get(req->db, req->arena, NULL, a.id, false, &stored, e) < 0 ||
	    store_audit(req->db, &who, "applicant.create", "applicant", a.id, NULL,
			applicant_audit_text(req, &stored), e) < 0 ||
	    reply_applicant(req, rep, 201, a.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------- record a step */

static const char *const step_fields[] = {
	"step",
	"on",
	"summary",
	"result",
	"outcome",
	"vote",
	"extension_months",
	"training",
	"justification",
	"publicity",
	"approver_org_id",
	"meeting_id",
	"people",
	"leaving_on",
	NULL,
};

/* A nested object, or NULL when absent/null; -1 after a field error. */
static int get_object(json_t *obj, const char *key, const char *const allowed[], json_t **out, struct err *e)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return err_field(e, key, "应为对象");
	if (json_only(v, allowed, e) < 0)
		return -1;
	*out = v;
	return 1;
}

static int get_count(json_t *obj, const char *key, const char *field, int *out, struct err *e)
{
	int64_t x = 0;
	int r = json_get_int(obj, key, 0, 100000, &x, e);

	if (r < 0) {
		/* Name the outer field: "vote" rather than the nested key. */
		const char *msg = err_field_message(e, key);
		if (msg && strcmp(field, key))
			err_field(e, field, "%s：%s", key, msg);
		return -1;
	}
	*out = (int)x;
	return r;
}

/*
 * The people named on the step, looked up in the registry (within the
 * caller's scope), with whether each is under 留党察看 on the step date `on`.
 */
static int read_people(struct http_req *req, const struct applicant *a, json_t *arr, struct date on,
		       struct dev_step_rec *s, struct dev_person_fact **facts_out, struct err *e)
{
	static const char *const person_fields[] = { "role", "member_id", "name", NULL };
	struct dev_person_fact *facts;
	json_t *x;
	size_t i;

	*facts_out = NULL;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_field(e, "people", "应为数组");
	s->npeople = json_array_size(arr);
	s->people = arena_zalloc(req->arena, (s->npeople + 1) * sizeof(*s->people));
	facts = arena_zalloc(req->arena, (s->npeople + 1) * sizeof(*facts));
	json_array_foreach(arr, i, x)
	{
		struct dev_person *p = &s->people[i];
		struct dev_person_fact *f = &facts[i];
		int64_t mid = 0;
		const char *name = NULL;
		int role = 0;
		if (!json_is_object(x))
			return err_field(e, "people", "每一项应为对象");
		if (json_only(x, person_fields, e) < 0)
			return -1;
		if (json_get_enum(x, "role", dev_role_enum, &role, e) <= 0 || !role)
			return err_field(e, "people",
					 "第%zu项的 role 应为 talker、contact、introducer、reviewer 或 other",
					 i + 1);
		if (json_get_int(x, "member_id", 0, INT64_MAX, &mid, e) < 0 ||
		    json_get_str(x, "name", 50, &name, e) < 0) {
			const char *msg = err_field_message(e, "member_id")
						  ? err_field_message(e, "member_id")
						  : err_field_message(e, "name");
			return err_field(e, "people", "第%zu项：%s", i + 1, msg ? msg : "取值无效");
		}
		for (size_t k = 0; k < i && mid; k++)
			if (s->people[k].member_id == mid)
				return err_field(e, "people", "党员（编号%lld）重复出现", (long long)mid);
		p->role = enum_json(dev_role_enum, role);
		p->member_id = mid;
		f->role = role;
		f->member_id = mid;
		if (mid) {
			struct member m;
			struct err le = ERR_INIT;
			if (store_member_get(req->db, req->arena, req_scope(req), mid, false, &m, &le) < 0) {
				if (le.kind != ERR_NOT_FOUND) {
					*e = le;
					return -1;
				}
				err_release(&le);
				return err_field(e, "people", "党员（编号%lld）不存在", (long long)mid);
			}
			f->registered = true;
			f->status = m.status;
			f->state = m.state;
			f->in_branch = m.org_id == a->org_id;
			/* DEV-21, DEV-30: no rights to vote, elect or stand while under 留党察看. */
			if (date_is_set(on) &&
			    store_sanction_probation_on(req->db, mid, on, &f->sanction_probation, e) < 0)
				return -1;
			p->name = m.name;
		} else {
			char buf[256];
			member_normalize_name(name, buf, sizeof(buf));
			if (!*buf)
				return err_field(e, "people", "第%zu项须填写 member_id 或姓名", i + 1);
			p->name = arena_strdup(req->arena, buf);
		}
	}
	*facts_out = facts;
	return 0;
}

/* Reads the body into the core's input and the record to store. */
static int step_from_json(struct http_req *req, const struct applicant *a, struct dev_step_input *in,
			  struct dev_step_rec *s, struct err *e)
{
	static const char *const vote_fields[] = { "expected", "present",     "yes", "no",
						   "abstain",  "written_yes", NULL };
	static const char *const training_fields[] = { "days", "hours", NULL };
	static const char *const publicity_fields[] = { "from", "to", NULL };
	json_t *obj = req->json, *vote, *training, *publicity;
	struct dev_person_fact *facts = NULL;
	int64_t step = 0, ext = 0, approver = 0, meeting = 0;

	if (json_only(obj, step_fields, e) < 0)
		return -1;
	if (json_get_int(obj, "step", 1, DEV_STEP_COUNT, &step, e) == 0)
		err_field(e, "step", "请填写步骤（1–25）");
	json_get_date(obj, "on", &in->on, e);
	json_get_str(obj, "summary", 2000, &s->summary, e);
	json_get_enum(obj, "result", dev_result_enum, &in->result, e);
	json_get_enum(obj, "outcome", dev_outcome_enum, &in->outcome, e);
	json_get_int(obj, "extension_months", 0, 120, &ext, e);
	json_get_str(obj, "justification", 1000, &s->justification, e);
	json_get_int(obj, "approver_org_id", 0, INT64_MAX, &approver, e);
	json_get_int(obj, "meeting_id", 0, INT64_MAX, &meeting, e);
	/* DEV-32: at step 13, leaving the workplace or study soon is warned about (not stored: the warning
	 * says it). */
	in->leaving_on = DATE_NONE;
	json_get_date(obj, "leaving_on", &in->leaving_on, e);
	if (get_object(obj, "vote", vote_fields, &vote, e) > 0) {
		in->has_vote = true;
		get_count(vote, "expected", "vote", &in->vote.expected, e);
		get_count(vote, "present", "vote", &in->vote.present, e);
		get_count(vote, "yes", "vote", &in->vote.yes, e);
		get_count(vote, "no", "vote", &in->vote.no, e);
		get_count(vote, "abstain", "vote", &in->vote.abstain, e);
		get_count(vote, "written_yes", "vote", &in->vote.written_yes, e);
	}
	if (get_object(obj, "training", training_fields, &training, e) > 0) {
		in->has_training = true;
		get_count(training, "days", "training", &in->training_days, e);
		get_count(training, "hours", "training", &in->training_hours, e);
	}
	if (get_object(obj, "publicity", publicity_fields, &publicity, e) > 0) {
		if (json_get_date(publicity, "from", &in->publicity_from, e) < 0 ||
		    json_get_date(publicity, "to", &in->publicity_to, e) < 0)
			err_field(e, "publicity", "公示起止日期格式应为 YYYY-MM-DD");
	}
	if (date_is_set(in->leaving_on) && step != 13)
		err_field(e, "leaving_on", "预计离开时间仅在第13步（上级党委预审）填写");
	if (err_is_set(e))
		return -1;
	in->step = (int)step;
	in->extension_months = (int)ext;
	in->summary = s->summary;
	in->justification = s->justification;
	if (read_people(req, a, json_object_get(obj, "people"), in->on, s, &facts, e) < 0)
		return -1;
	in->people = facts;
	in->npeople = s->npeople;
	if (approver) {
		struct org o;
		struct err le = ERR_INIT;
		if (store_org_get(req->db, req->arena, NULL, approver, &o, &le) < 0) {
			if (le.kind != ERR_NOT_FOUND) {
				*e = le;
				return -1;
			}
			err_release(&le);
			return err_field(e, "approver_org_id", "审批党组织不存在");
		}
		in->approver_type = o.type;
		/* An ancestor: the branch's path runs through it. */
		in->approver_above =
			o.id != a->org_id && a->org_path && !strncmp(a->org_path, o.path, strlen(o.path));
	}
	if (meeting) {
		struct meeting mt;
		struct err le = ERR_INIT;
		if (store_meeting_get(req->db, req->arena, req_scope(req), meeting, &mt, &le) < 0) {
			if (le.kind != ERR_NOT_FOUND) {
				*e = le;
				return -1;
			}
			err_release(&le);
			return err_field(e, "meeting_id", "会议记录不存在");
		}
		if (mt.org_id != a->org_id)
			return err_field(e, "meeting_id", "会议记录不属于%s", a->org_name);
	}
	if (store_org_full_members(req->db, a->org_id, &in->branch_full_members, e) < 0)
		return -1;

	s->applicant_id = a->id;
	s->step = in->step;
	s->on = in->on;
	s->outcome = in->outcome ? enum_json(dev_outcome_enum, in->outcome) : NULL;
	s->has_vote = in->has_vote;
	s->expected = in->vote.expected;
	s->present = in->vote.present;
	s->yes = in->vote.yes;
	s->no = in->vote.no;
	s->abstain = in->vote.abstain;
	s->written_yes = in->vote.written_yes;
	s->extension_months = in->outcome == DEV_OUTCOME_EXTEND ? in->extension_months : 0;
	s->training_days = in->training_days;
	s->training_hours = in->training_hours;
	s->publicity_from = in->publicity_from;
	s->publicity_to = in->publicity_to;
	s->approver_org_id = approver;
	s->meeting_id = meeting;
	s->rule_version = a->rule_version;
	return 0;
}

/* Step 17 approved: the member record (预备党员, joined on the step-15 meeting date, DEV-45). */
static int create_member(struct http_req *req, const struct actor *who, struct applicant *a, struct err *e)
{
	struct applicant plain;
	struct member m = { 0 }, stored;
	struct jsonw w = JSONW_INIT;
	const char *after;

	if (store_applicant_get(req->db, req->arena, NULL, a->id, true, &plain, e) < 0)
		return -1;
	m.org_id = a->org_id;
	m.name = plain.name;
	m.gender = plain.gender;
	memcpy(m.ethnicity, plain.ethnicity, sizeof(m.ethnicity));
	m.birth_date = plain.birth_date;
	m.id_card = plain.id_card;
	memcpy(m.education, plain.education, sizeof(m.education));
	m.phone = plain.phone;
	m.native_place = plain.native_place;
	m.category = plain.category;
	m.status = STATUS_PROBATIONARY;
	m.joined_on = a->admitted_on;
	m.work_unit = plain.work_unit;
	m.job = plain.job;
	m.remarks = "";
	if (store_member_insert(req->db, &m, e) < 0 ||
	    store_member_history_add(
		    req->db, who, m.id, "created", 0, m.org_id,
		    arena_printf(req->arena, "发展党员：发展案例%lld，支部大会%s通过接收，%s上级党委审批",
				 (long long)a->id, date_text(req->arena, a->admitted_on),
				 date_text(req->arena, a->approved_on)),
		    e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, m.id, false, &stored, e) < 0)
		return -1;
	member_jsonw(&w, &stored, req_today(req));
	after = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	a->member_id = m.id;
	return store_audit(req->db, who, "member.create", "member", m.id, NULL, after, e);
}

static const char *member_text(struct http_req *req, const struct member *m)
{
	struct jsonw w = JSONW_INIT;
	const char *s;

	member_jsonw(&w, m, req_today(req));
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

/* Step 24 approved after outcome full: 正式党员 from the end of the probation (DEV-45). */
static int make_full(struct http_req *req, const struct actor *who, const struct applicant *a, struct err *e)
{
	struct member m, before, after;

	if (store_member_get(req->db, req->arena, NULL, a->member_id, false, &before, e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, a->member_id, true, &m, e) < 0)
		return -1;
	if (m.status == STATUS_FULL)
		return 0;
	m.status = STATUS_FULL;
	m.full_member_on = a->full_on;
	if (store_member_update(req->db, &m, e) < 0 ||
	    store_member_history_add(req->db, who, m.id, "status", 0, 0,
				     arena_printf(req->arena,
						  "预备党员 → 正式党员（发展案例%lld，转正时间%s）",
						  (long long)a->id, date_text(req->arena, a->full_on)),
				     e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, m.id, false, &after, e) < 0)
		return -1;
	return store_audit(req->db, who, "member.update", "member", m.id, member_text(req, &before),
			   member_text(req, &after), e);
}

/* Step 24 approved after outcome cancel: the member leaves (取消预备党员资格). */
static int cancel_member(struct http_req *req, const struct actor *who, const struct applicant *a,
			 const struct dev_step_rec *s, struct err *e)
{
	struct member before, after;
	struct member_state_event ev = { 0 };

	if (store_member_get(req->db, req->arena, NULL, a->member_id, false, &before, e) < 0)
		return -1;
	if (before.state == MSTATE_LEFT)
		return 0;
	ev.member_id = a->member_id;
	ev.from_state = before.state ? before.state : MSTATE_ACTIVE;
	ev.to_state = MSTATE_LEFT;
	ev.code = "probation_cancelled";
	ev.on = s->on;
	ev.basis = s->summary && *s->summary
			   ? s->summary
			   : arena_printf(req->arena,
					  "支部大会决议取消预备党员资格，上级党委批准（发展案例%lld）",
					  (long long)a->id);
	ev.approved_on = s->on;
	if (s->approver_org_id) {
		struct org o;
		if (store_org_get(req->db, req->arena, NULL, s->approver_org_id, &o, e) < 0)
			return -1;
		ev.approved_by = o.name;
	}
	if (store_member_set_state(req->db, who, &ev, e) < 0 ||
	    member_close_open_records(req, who, a->member_id, MSTATE_LEFT, ev.on, 0, e) < 0 ||
	    store_member_get(req->db, req->arena, NULL, a->member_id, false, &after, e) < 0)
		return -1;
	return store_audit(req->db, who, "member.exit", "member", a->member_id, member_text(req, &before),
			   member_text(req, &after), e);
}

/* Why a case stopped or was cancelled by the step just recorded. */
static const char *stop_reason_of(int step)
{
	switch (step) {
	case 10:
		return "政治审查未通过";
	case 13:
		return "上级党委预审未通过";
	case 17:
		return "上级党委审批未通过";
	default:
		return NULL;
	}
}

/*
 * POST /api/v1/applicants/{id}/steps {step...} -> 201 {applicant, step, warnings}
 *	| 403 (higher-committee step) | 404 | 409 case_closed | 422 rule_violation/validation_failed
 */
static int h_step(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct applicant a, stored;
	struct actor who = req_actor(req);
	struct dev_step_input in = { 0 };
	struct dev_step_rec s = { 0 };
	struct dev_case c;
	struct dev_verdict v;
	struct dev_summary sum;
	const struct dev_rules *r;
	const char *before;
	struct jsonw w = JSONW_INIT;
	json_t *step_json;
	bool was_approved, was_full;

	if (store_applicant_get(req->db, req->arena, req_scope(req), req->params[0], false, &a, e) < 0)
		return -1;
	/*
	 * Only the party-affairs staff of a committee act for the higher committee
	 * (DEV-03). Checked on the step number alone, before the rest of the body:
	 * a caller without the right learns nothing from validating it (403, not 422).
	 */
	step_json = json_object_get(req->json, "step");
	if (json_is_integer(step_json) && json_integer_value(step_json) >= 1 &&
	    json_integer_value(step_json) <= DEV_STEP_COUNT &&
	    dev_step_needs_committee((int)json_integer_value(step_json)) && !staff(req)) {
		int n = (int)json_integer_value(step_json);
		return err_set(e, ERR_FORBIDDEN, NULL, "第%d步“%s”由上级党委办理，须由党务工作者登记", n,
			       dev_step_def(n)->name);
	}
	if (step_from_json(req, &a, &in, &s, e) < 0)
		return -1;
	r = applicant_rules(req->cfg, &a);
	applicant_case(&a, req->arena, &c);
	memset(&v, 0, sizeof(v));
	if (dev_check_step(r, &c, &in, req_today(req), &v, e) < 0) {
		add_rule(e, &v);
		return -1;
	}
	/* Votes (15, 23) are recorded with their result; a failed vote is kept and the case stays. */
	if (v.vote_checked)
		s.result = v.vote_passed ? "pass" : "fail";
	else
		s.result = in.result ? enum_json(dev_result_enum, in.result) : NULL;
	s.warnings = warnings_text(req->arena, &v);
	s.created_by = who.name;

	before = applicant_audit_text(req, &a);
	was_approved = date_is_set(a.approved_on);
	was_full = date_is_set(a.full_on);
	((struct dev_step_brief *)c.steps)[c.nsteps] = dev_step_brief_of(&s);
	c.nsteps++;
	dev_summarize(r, &c, &sum);
	apply_summary(&a, &sum);
	if (sum.status == DEV_STOPPED && stop_reason_of(in.step))
		a.stop_reason = stop_reason_of(in.step);
	else if (sum.status == DEV_CANCELLED)
		a.stop_reason = "取消预备党员资格";

	if (store_begin(req->db, e) < 0 || store_dev_step_add(req->db, &s, e) < 0)
		return -1;
	if (!was_approved && date_is_set(a.approved_on) && !a.member_id &&
	    create_member(req, &who, &a, e) < 0)
		return -1;
	if (!was_full && date_is_set(a.full_on) && a.member_id && make_full(req, &who, &a, e) < 0)
		return -1;
	if (sum.status == DEV_CANCELLED && a.member_id && cancel_member(req, &who, &a, &s, e) < 0)
		return -1;
	if (unmask(req, &a, e) < 0 || store_applicant_update(req->db, &a, e) < 0 ||
	    store_applicant_get(req->db, req->arena, NULL, a.id, false, &stored, e) < 0 ||
	    store_audit(req->db, &who, "applicant.step", "applicant", a.id, before,
			applicant_audit_text(req, &stored), e) < 0)
		return -1;
	/* The reply, read inside the transaction: {applicant, step, warnings}. */
	jsonw_object_begin(&w);
	jsonw_key(&w, "applicant");
	if (applicant_jsonw(req, &w, &stored, true, e) < 0)
		goto fail;
	jsonw_key(&w, "step");
	for (size_t i = 0; i < stored.nsteps; i++)
		if (stored.steps[i].id == s.id && dev_step_jsonw(req, &w, &stored.steps[i], e) < 0)
			goto fail;
	jsonw_key(&w, "warnings");
	jsonw_raw(&w, s.warnings, strlen(s.warnings));
	jsonw_object_end(&w);
	if (store_commit(req->db, e) < 0)
		goto fail;
	return reply_jsonw(rep, 201, &w);
fail:
	strbuf_release(&w.sb);
	return -1;
}

/* ------------------------------------------------------------------- stop */

/* POST /api/v1/applicants/{id}/stop {on, reason} -> 200 applicant | 404 | 409 | 422 */
static int h_stop(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "on", "reason", NULL };
	struct applicant a, stored;
	struct actor who = req_actor(req);
	struct date on = DATE_NONE, last = DATE_NONE;
	const char *reason = NULL, *before;

	if (store_applicant_get(req->db, req->arena, req_scope(req), req->params[0], false, &a, e) < 0)
		return -1;
	if (json_only(req->json, fields, e) < 0)
		return -1;
	if (json_get_date(req->json, "on", &on, e) == 0 || !date_is_set(on))
		err_field(e, "on", "请填写终止日期");
	if (json_get_str(req->json, "reason", 500, &reason, e) == 0 || !reason || !*reason)
		err_field(e, "reason", "请填写终止原因");
	if (err_is_set(e))
		return -1;
	if (!a.status || strcmp(a.status, "open"))
		return err_set(e, ERR_CONFLICT, "case_closed", "该发展案例已结束（%s），不能终止",
			       enum_label(dev_status_enum, enum_from_json(dev_status_enum, a.status)));
	if (date_is_set(a.approved_on))
		return err_set(e, ERR_CONFLICT, "case_admitted",
			       "已批准为预备党员，不能终止发展；可在支部大会讨论转正时决定取消预备党员资格");
	for (size_t i = 0; i < a.nsteps; i++)
		if (date_cmp(a.steps[i].on, last) > 0)
			last = a.steps[i].on;
	if (date_cmp(on, req_today(req)) > 0)
		return err_field(e, "on", "终止日期不能晚于今天");
	if (date_cmp(on, last) < 0)
		return err_field(e, "on", "终止日期不能早于最近一步的日期（%s）",
				 date_text(req->arena, last));
	before = applicant_audit_text(req, &a);
	a.status = "stopped";
	a.stop_reason = reason;
	if (store_begin(req->db, e) < 0 || unmask(req, &a, e) < 0 ||
	    store_applicant_update(req->db, &a, e) < 0 ||
	    store_applicant_get(req->db, req->arena, NULL, a.id, false, &stored, e) < 0 ||
	    store_audit(req->db, &who, "applicant.stop", "applicant", a.id, before,
			json_text(req->arena,
				  json_pack("{s:s,s:o}", "stopped_on", date_text(req->arena, on), "applicant",
					    json_loads(applicant_audit_text(req, &stored), 0, NULL))),
			e) < 0 ||
	    reply_applicant(req, rep, 200, a.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------- move */

/*
 * POST /api/v1/applicants/{id}/move {org_id, on, reason} -> 200 applicant
 *	| 404 (case or destination outside the scope) | 409 case_closed | 422 rule_violation
 *DEV-16/validation_failed DEV-16: the applicant changed workplace or residence; the case goes on in the new
 *branch with its steps, so training time counts continuously.
 */
static int h_move(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "org_id", "on", "reason", NULL };
	struct applicant a, stored;
	struct actor who = req_actor(req);
	struct dev_case c;
	struct dev_move m = { 0 };
	struct org to = { 0 };
	const char *reason = NULL, *before, *after;

	if (store_applicant_get(req->db, req->arena, req_scope(req), req->params[0], false, &a, e) < 0 ||
	    json_only(req->json, fields, e) < 0)
		return -1;
	m.on = DATE_NONE;
	json_get_int(req->json, "org_id", 0, INT64_MAX, &m.to_org_id, e);
	json_get_date(req->json, "on", &m.on, e);
	if (json_get_str(req->json, "reason", 500, &reason, e) == 0 || !reason || !*reason)
		if (!err_field_message(e, "reason"))
			err_field(e, "reason", "请填写转移原因（工作单位或居住地变动情况）");
	if (err_is_set(e))
		return -1;
	/* The receiving branch must be in the caller's subtree: outside it answers 404. */
	if (m.to_org_id && store_org_get(req->db, req->arena, req_scope(req), m.to_org_id, &to, e) < 0)
		return -1;
	m.from_org_id = a.org_id;
	m.to_org_type = m.to_org_id ? to.type : ORG_TYPE_NONE;
	applicant_case(&a, req->arena, &c);
	if (dev_move_check(applicant_rules(req->cfg, &a), &c, &m, req_today(req), e) < 0)
		return -1;
	before = applicant_audit_text(req, &a);
	if (store_begin(req->db, e) < 0 || store_applicant_move(req->db, a.id, to.id, e) < 0 ||
	    store_applicant_get(req->db, req->arena, NULL, a.id, false, &stored, e) < 0)
		return -1;
	after = json_text(req->arena,
			  json_pack("{s:s,s:I,s:s,s:I,s:s,s:s,s:o}", "moved_on", date_text(req->arena, m.on),
				    "from_org_id", (json_int_t)a.org_id, "from_org_name", a.org_name,
				    "to_org_id", (json_int_t)to.id, "to_org_name", to.name, "reason", reason,
				    "applicant", json_loads(applicant_audit_text(req, &stored), 0, NULL)));
	if (store_audit(req->db, &who, "applicant.move", "applicant", a.id, before, after, e) < 0 ||
	    reply_applicant(req, rep, 200, a.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

const struct route applicant_routes[] = {
	{ "GET", "/api/v1/applicants", h_list, 0, PERM_MEMBER_READ },
	{ "POST", "/api/v1/applicants", h_create, 0, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/applicants/{id}", h_get, 0, PERM_MEMBER_READ },
	{ "POST", "/api/v1/applicants/{id}/steps", h_step, 0, PERM_MEMBER_WRITE },
	{ "POST", "/api/v1/applicants/{id}/stop", h_stop, 0, PERM_MEMBER_WRITE },
	{ "POST", "/api/v1/applicants/{id}/move", h_move, 0, PERM_MEMBER_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
