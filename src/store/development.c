/*
 * development.c: member development cases (发展党员, RULES.md section 1) in
 * the store: the person (identity and phone numbers sealed as members'
 * are), the recorded steps with the people named on them, the counts of
 * members developed and the yearly quotas.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "core/develop.h"
#include "core/idcard.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"

/* ---- cases ---------------------------------------------------------------- */

#define APP_COLS \
	"a.id, a.org_id, o.name, o.path, a.name, a.gender, a.ethnicity, a.birth_date, a.id_card_masked," \
	" a.education, a.phone_masked, a.native_place, a.work_unit, a.job, a.category, a.stage, a.status," \
	" a.stop_reason, a.rule_version, a.step, a.applied_on, a.activist_on, a.candidate_on, a.admitted_on," \
	" a.approved_on, a.probation_end, a.full_on, a.extensions, a.member_id, a.created_at, a.updated_at," \
	" a.id_card_enc, a.phone_enc"

/* The person and case columns, in bind_applicant()'s order. */
#define APP_FIELDS \
	"org_id, name, gender, ethnicity, birth_date, id_card_enc, id_card_hash, id_card_masked, education," \
	" phone_enc, phone_masked, native_place, work_unit, job, category, stage, status, stop_reason," \
	" rule_version, step, applied_on, activist_on, candidate_on, admitted_on, approved_on, probation_end," \
	" full_on, extensions, member_id"

static const char SQL_INSERT[] =
	"INSERT INTO applicants (" APP_FIELDS ", created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	" RETURNING id";
static const char SQL_UPDATE[] =
	"UPDATE applicants SET org_id = ?, name = ?, gender = ?, ethnicity = ?, birth_date = ?, id_card_enc = ?,"
	" id_card_hash = ?, id_card_masked = ?, education = ?, phone_enc = ?, phone_masked = ?, native_place = ?,"
	" work_unit = ?, job = ?, category = ?, stage = ?, status = ?, stop_reason = ?, rule_version = ?, step = ?,"
	" applied_on = ?, activist_on = ?, candidate_on = ?, admitted_on = ?, approved_on = ?, probation_end = ?,"
	" full_on = ?, extensions = ?, member_id = ?, updated_at = ? WHERE id = ?";
static const char SQL_OPEN_CASE[] =
	"SELECT id FROM applicants WHERE id_card_hash = ? AND status = 'open' AND id <> ? ORDER BY id";
static const char SQL_MEMBER_HASH[] = "SELECT id FROM members WHERE id_card_hash = ? AND id <> ?";

static const char *status_or_open(const char *status)
{
	return status && *status ? status : "open";
}

/* Binds every column of APP_FIELDS (sealing the numbers). */
static void bind_applicant(struct sconn *c, struct q *q, const struct applicant *a)
{
	char hash[65], masked[19], pmask[24];
	char *id_enc = store_seal(c->s, a->id_card);
	char *ph_enc = a->phone && *a->phone ? store_seal(c->s, a->phone) : NULL;

	store_lookup_hash(c->s, a->id_card, hash);
	idcard_mask(a->id_card, masked);
	q_int(q, a->org_id);
	q_text(q, a->name);
	q_text(q, enum_json(gender_enum, a->gender));
	q_text(q, a->ethnicity);
	q_date(q, a->birth_date);
	q_text(q, id_enc);
	q_text(q, hash);
	q_text(q, masked);
	q_text(q, a->education);
	q_text(q, ph_enc);
	if (ph_enc) {
		phone_mask(a->phone, pmask, sizeof(pmask));
		q_text(q, pmask);
	} else {
		q_null(q);
	}
	q_text(q, a->native_place ? a->native_place : "");
	q_text(q, a->work_unit ? a->work_unit : "");
	q_text(q, a->job ? a->job : "");
	q_text(q, enum_json(category_enum, a->category));
	q_text(q, enum_json(dev_stage_enum, a->stage));
	q_text(q, status_or_open(a->status));
	q_opt_text(q, a->stop_reason);
	q_text(q, a->rule_version);
	q_int(q, a->step);
	q_date(q, a->applied_on);
	q_date(q, a->activist_on);
	q_date(q, a->candidate_on);
	q_date(q, a->admitted_on);
	q_date(q, a->approved_on);
	q_date(q, a->probation_end);
	q_date(q, a->full_on);
	q_int(q, a->extensions);
	q_id(q, a->member_id);
	free(id_enc);
	free(ph_enc);
}

/* First id of a query on (hash, id to skip); 0 when none. */
static int hash_hit(struct sconn *c, const char *sql, const char *hash, int64_t skip, int64_t *id_out,
		    struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*id_out = 0;
	if (q_prepare(&q, c->db, sql, e) < 0)
		return -1;
	q_text(&q, hash);
	q_int(&q, skip);
	r = q_step(&q, e);
	if (r == 1)
		*id_out = q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

/* An open case's number must be nobody else's: no member (but its own), no other open case. */
static int check_duplicate(struct sconn *c, const struct applicant *a, struct err *e)
{
	char hash[65];
	int64_t other;

	if (strcmp(status_or_open(a->status), "open") != 0)
		return 0;
	store_lookup_hash(c->s, a->id_card, hash);
	if (hash_hit(c, SQL_MEMBER_HASH, hash, a->member_id, &other, e) < 0)
		return -1;
	/* The other record may be outside the caller's scope: say what it is, never its id. */
	if (other)
		return err_set(e, ERR_CONFLICT, "duplicate_id_card", "该身份证号已登记为党员");
	if (hash_hit(c, SQL_OPEN_CASE, hash, a->id, &other, e) < 0)
		return -1;
	if (other)
		return err_set(e, ERR_CONFLICT, "duplicate_id_card", "该身份证号已有进行中的发展记录");
	return 0;
}

int store_applicant_insert(struct sconn *c, struct applicant *a, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	a->id = 0;
	if (check_duplicate(c, a, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	bind_applicant(c, &q, a);
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	a->id = q_col_int(&q, 0);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_applicant_update(struct sconn *c, const struct applicant *a, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	if (check_duplicate(c, a, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	bind_applicant(c, &q, a);
	q_text(&q, now);
	q_int(&q, a->id);
	if (q_step(&q, e) < 0)
		goto out;
	if (c->db->drv->changes(c->db) == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "发展记录不存在");
		goto out;
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

/* DEV-16: only an open case moves; its steps stay with it. */
static const char SQL_MOVE[] =
	"UPDATE applicants SET org_id = ?, updated_at = ? WHERE id = ? AND status = 'open'";

int store_applicant_move(struct sconn *c, int64_t id, int64_t to_org_id, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_MOVE, e) < 0)
		goto out;
	q_int(&q, to_org_id);
	q_text(&q, now);
	q_int(&q, id);
	if (q_step(&q, e) < 0)
		goto out;
	if (c->db->drv->changes(c->db) == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "进行中的发展记录不存在");
		goto out;
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static void read_applicant(struct q *q, struct arena *a, void *elem)
{
	struct applicant *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->org_id = q_col_int(q, 1);
	x->org_name = q_col_dup(q, 2, a);
	x->org_path = q_col_dup(q, 3, a);
	x->name = q_col_dup(q, 4, a);
	x->gender = enum_from_json(gender_enum, q_col_text(q, 5));
	snprintf(x->ethnicity, sizeof(x->ethnicity), "%s", q_col_text(q, 6));
	x->birth_date = q_col_date(q, 7);
	x->id_card = q_col_dup(q, 8, a);
	snprintf(x->education, sizeof(x->education), "%s", q_col_text(q, 9));
	x->phone = q_null_at(q, 10) ? NULL : q_col_dup(q, 10, a);
	x->native_place = q_col_dup(q, 11, a);
	x->work_unit = q_col_dup(q, 12, a);
	x->job = q_col_dup(q, 13, a);
	x->category = enum_from_json(category_enum, q_col_text(q, 14));
	x->stage = enum_from_json(dev_stage_enum, q_col_text(q, 15));
	x->status = q_col_dup(q, 16, a);
	x->stop_reason = q_null_at(q, 17) ? NULL : q_col_dup(q, 17, a);
	x->rule_version = q_col_dup(q, 18, a);
	x->step = (int)q_col_int(q, 19);
	x->applied_on = q_col_date(q, 20);
	x->activist_on = q_col_date(q, 21);
	x->candidate_on = q_col_date(q, 22);
	x->admitted_on = q_col_date(q, 23);
	x->approved_on = q_col_date(q, 24);
	x->probation_end = q_col_date(q, 25);
	x->full_on = q_col_date(q, 26);
	x->extensions = (int)q_col_int(q, 27);
	x->member_id = q_col_int(q, 28);
	x->created_at = q_col_dup(q, 29, a);
	x->updated_at = q_col_dup(q, 30, a);
}

/* ---- steps ---------------------------------------------------------------- */

static const char SQL_STEP_ADD[] =
	"INSERT INTO dev_steps (applicant_id, step, on_date, summary, result, outcome, has_vote, expected, present,"
	" yes, no, abstain, written_yes, extension_months, training_days, training_hours, justification,"
	" publicity_from, publicity_to, approver_org_id, meeting_id, warnings, rule_version, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_PERSON_ADD[] =
	"INSERT INTO dev_step_people (step_id, seq, role, member_id, name) VALUES (?, ?, ?, ?, ?)";

int store_dev_step_add(struct sconn *c, struct dev_step_rec *s, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_STEP_ADD, e) < 0)
		goto out;
	q_int(&q, s->applicant_id);
	q_int(&q, s->step);
	q_date(&q, s->on);
	q_opt_text(&q, s->summary);
	q_opt_text(&q, s->result);
	q_opt_text(&q, s->outcome);
	q_int(&q, s->has_vote);
	q_int(&q, s->expected);
	q_int(&q, s->present);
	q_int(&q, s->yes);
	q_int(&q, s->no);
	q_int(&q, s->abstain);
	q_int(&q, s->written_yes);
	q_int(&q, s->extension_months);
	q_int(&q, s->training_days);
	q_int(&q, s->training_hours);
	q_opt_text(&q, s->justification);
	q_date(&q, s->publicity_from);
	q_date(&q, s->publicity_to);
	q_id(&q, s->approver_org_id);
	q_id(&q, s->meeting_id);
	q_text(&q, s->warnings && *s->warnings ? s->warnings : "[]");
	q_text(&q, s->rule_version);
	q_text(&q, s->created_by ? s->created_by : "");
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	s->id = q_col_int(&q, 0);
	q_finish(&q);
	for (size_t i = 0; i < s->npeople; i++) {
		const struct dev_person *p = &s->people[i];
		if (q_prepare(&q, c->db, SQL_PERSON_ADD, e) < 0)
			goto out;
		q_int(&q, s->id);
		q_int(&q, (int64_t)i);
		q_text(&q, p->role);
		q_id(&q, p->member_id);
		q_text(&q, p->name ? p->name : "");
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_STEPS[] =
	"SELECT id, applicant_id, step, on_date, summary, result, outcome, has_vote, expected, present, yes, no,"
	" abstain, written_yes, extension_months, training_days, training_hours, justification, publicity_from,"
	" publicity_to, approver_org_id, meeting_id, warnings, rule_version, created_by, created_at"
	" FROM dev_steps WHERE applicant_id = ? ORDER BY step, on_date, id";
/* A member's current name wins over the name given when the step was recorded. */
static const char SQL_PEOPLE[] =
	"SELECT p.step_id, p.role, p.member_id, COALESCE(m.name, p.name) FROM dev_step_people p"
	" JOIN dev_steps s ON s.id = p.step_id LEFT JOIN members m ON m.id = p.member_id"
	" WHERE s.applicant_id = ? ORDER BY p.step_id, p.seq";

static const char *opt_dup(struct q *q, int i, struct arena *a)
{
	return q_null_at(q, i) ? NULL : q_col_dup(q, i, a);
}

static void read_step(struct q *q, struct arena *a, void *elem)
{
	struct dev_step_rec *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->applicant_id = q_col_int(q, 1);
	x->step = (int)q_col_int(q, 2);
	x->on = q_col_date(q, 3);
	x->summary = opt_dup(q, 4, a);
	x->result = opt_dup(q, 5, a);
	x->outcome = opt_dup(q, 6, a);
	x->has_vote = q_col_int(q, 7) != 0;
	x->expected = (int)q_col_int(q, 8);
	x->present = (int)q_col_int(q, 9);
	x->yes = (int)q_col_int(q, 10);
	x->no = (int)q_col_int(q, 11);
	x->abstain = (int)q_col_int(q, 12);
	x->written_yes = (int)q_col_int(q, 13);
	x->extension_months = (int)q_col_int(q, 14);
	x->training_days = (int)q_col_int(q, 15);
	x->training_hours = (int)q_col_int(q, 16);
	x->justification = opt_dup(q, 17, a);
	x->publicity_from = q_col_date(q, 18);
	x->publicity_to = q_col_date(q, 19);
	x->approver_org_id = q_col_int(q, 20);
	x->meeting_id = q_col_int(q, 21);
	x->warnings = q_col_dup(q, 22, a);
	x->rule_version = q_col_dup(q, 23, a);
	x->created_by = q_col_dup(q, 24, a);
	x->created_at = q_col_dup(q, 25, a);
}

struct person_row {
	int64_t step_id;
	struct dev_person p;
};

static void read_person(struct q *q, struct arena *a, void *elem)
{
	struct person_row *x = elem;

	x->step_id = q_col_int(q, 0);
	x->p.role = q_col_dup(q, 1, a);
	x->p.member_id = q_col_int(q, 2);
	x->p.name = q_col_dup(q, 3, a);
}

/* Reads the steps of case `id` into out->steps, each with its people. */
static int read_steps(struct sconn *c, struct arena *a, struct applicant *out, struct err *e)
{
	struct q q = Q_INIT;
	struct person_row *people = NULL;
	size_t npeople = 0;

	if (q_prepare(&q, c->db, SQL_STEPS, e) < 0)
		return -1;
	q_int(&q, out->id);
	if (q_collect(&q, a, sizeof(*out->steps), read_step, (void **)&out->steps, &out->nsteps, e) < 0)
		return -1;
	if (q_prepare(&q, c->db, SQL_PEOPLE, e) < 0)
		return -1;
	q_int(&q, out->id);
	if (q_collect(&q, a, sizeof(*people), read_person, (void **)&people, &npeople, e) < 0)
		return -1;
	/* People come grouped by step id: each step takes its run. */
	for (size_t i = 0; i < out->nsteps; i++) {
		struct dev_step_rec *s = &out->steps[i];
		size_t j = 0, k;

		while (j < npeople && people[j].step_id != s->id)
			j++;
		for (k = j; k < npeople && people[k].step_id == s->id; k++)
			;
		if (k == j)
			continue;
		s->npeople = k - j;
		s->people = arena_alloc(a, s->npeople * sizeof(*s->people));
		for (size_t n = 0; n < s->npeople; n++)
			s->people[n] = people[j + n].p;
	}
	return 0;
}

static const char SQL_GET[] = "SELECT " APP_COLS " FROM applicants a JOIN orgs o ON o.id = a.org_id"
			      " WHERE a.id = ? AND o.path >= ? AND o.path < ?";

int store_applicant_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, bool reveal,
			struct applicant *out, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	if (!scope)
		scope = "/";
	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		goto out;
	q_int(&q, id);
	q_text(&q, scope);
	q_text(&q, store_path_hi(a, scope));
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "发展记录不存在");
		goto out;
	}
	read_applicant(&q, a, out);
	if (reveal) {
		out->id_card = store_unseal(c->s, a, q_col_text(&q, 31));
		out->phone = q_null_at(&q, 32) ? NULL : store_unseal(c->s, a, q_col_text(&q, 32));
		if (!out->id_card) {
			log_error("store", "applicant %lld: sealed identity number fails its MAC",
				  (long long)id);
			err_set(e, ERR_INTERNAL, "integrity_error", "数据完整性校验失败");
			goto out;
		}
	}
	q_finish(&q);
	if (read_steps(c, a, out, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

#define LIST_FILTER \
	" FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE o.path >= ? AND o.path < ?" \
	" AND (CAST(? AS TEXT) IS NULL OR a.stage = ?) AND (CAST(? AS TEXT) IS NULL OR a.status = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR a.name LIKE ? ESCAPE '\\')"

#define LIST_ORDER \
	" ORDER BY o.path, CASE a.stage WHEN 'applicant' THEN 1" \
	" WHEN 'activist' THEN 2 WHEN 'candidate' THEN 3 WHEN 'probationary' THEN 4 ELSE 5 END," \
	" a.applied_on, a.id"

static const char SQL_LIST[] = "SELECT " APP_COLS LIST_FILTER LIST_ORDER " LIMIT ? OFFSET ?";
static const char SQL_COUNT[] = "SELECT COUNT(*)" LIST_FILTER;
/* The page's cases are chosen exactly as SQL_LIST chooses them, so each listed case gets its steps. */
static const char SQL_BRIEFS[] =
	"SELECT s.id, s.applicant_id, s.step, s.on_date, s.result, s.outcome, s.extension_months, s.warnings"
	" FROM dev_steps s WHERE s.applicant_id IN (SELECT a.id" LIST_FILTER LIST_ORDER " LIMIT ? OFFSET ?)"
	" ORDER BY s.applicant_id, s.id";

static void bind_list(struct q *q, struct arena *a, const struct applicant_query *aq)
{
	const char *stage = aq->stage ? enum_json(dev_stage_enum, aq->stage) : NULL;
	const char *like = aq->q && *aq->q ? store_like_pattern(a, aq->q) : NULL;

	q_text(q, aq->path);
	q_text(q, store_path_hi(a, aq->path));
	q_opt_text(q, stage);
	q_opt_text(q, stage);
	q_opt_text(q, aq->status);
	q_opt_text(q, aq->status);
	q_opt_text(q, like);
	q_opt_text(q, like);
}

int store_applicant_list(struct sconn *c, struct arena *a, const struct applicant_query *aq,
			 struct applicant **out, size_t *n_out, int64_t *total_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*out = NULL;
	*n_out = 0;
	*total_out = 0;
	if (q_prepare(&q, c->db, SQL_COUNT, e) < 0)
		return -1;
	bind_list(&q, a, aq);
	r = q_step(&q, e);
	if (r == 1)
		*total_out = q_col_int(&q, 0);
	q_finish(&q);
	if (r < 0 || q_prepare(&q, c->db, SQL_LIST, e) < 0)
		return -1;
	bind_list(&q, a, aq);
	q_int(&q, aq->per_page > 0 ? aq->per_page : INT32_MAX);
	q_int(&q, aq->per_page > 0 ? (int64_t)(aq->page - 1) * aq->per_page : 0);
	return q_collect(&q, a, sizeof(**out), read_applicant, (void **)out, n_out, e);
}

static void read_brief(struct q *q, struct arena *a, void *elem)
{
	struct dev_step_rec *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->applicant_id = q_col_int(q, 1);
	x->step = (int)q_col_int(q, 2);
	x->on = q_col_date(q, 3);
	x->result = opt_dup(q, 4, a);
	x->outcome = opt_dup(q, 5, a);
	x->extension_months = (int)q_col_int(q, 6);
	x->warnings = q_col_dup(q, 7, a);
}

int store_applicant_step_briefs(struct sconn *c, struct arena *a, const struct applicant_query *aq,
				struct dev_step_rec **out, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	*out = NULL;
	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_BRIEFS, e) < 0)
		return -1;
	bind_list(&q, a, aq);
	q_int(&q, aq->per_page > 0 ? aq->per_page : INT32_MAX);
	q_int(&q, aq->per_page > 0 ? (int64_t)(aq->page - 1) * aq->per_page : 0);
	return q_collect(&q, a, sizeof(**out), read_brief, (void **)out, n_out, e);
}

/* ---- figures and plans ---------------------------------------------------- */

static const char SQL_DEVELOPED[] =
	"SELECT a.org_id, o.name, o.path, COUNT(DISTINCT a.id) FROM dev_steps s"
	" JOIN applicants a ON a.id = s.applicant_id JOIN orgs o ON o.id = a.org_id"
	" WHERE o.path >= ? AND o.path < ? AND s.step = 17 AND s.result = 'pass'"
	" AND (CAST(? AS TEXT) IS NULL OR s.on_date >= ?) AND (CAST(? AS TEXT) IS NULL OR s.on_date <= ?)"
	" GROUP BY a.org_id, o.name, o.path ORDER BY o.path";

static void read_org_count(struct q *q, struct arena *a, void *elem)
{
	struct org_count *x = elem;

	x->org_id = q_col_int(q, 0);
	x->org_name = q_col_dup(q, 1, a);
	x->org_path = q_col_dup(q, 2, a);
	x->n = q_col_int(q, 3);
}

int store_dev_developed(struct sconn *c, struct arena *a, const char *path, const char *since,
			const char *until, struct org_count **out, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_DEVELOPED, e) < 0)
		return -1;
	q_text(&q, path);
	q_text(&q, store_path_hi(a, path));
	q_opt_text(&q, since);
	q_opt_text(&q, since);
	q_opt_text(&q, until);
	q_opt_text(&q, until);
	return q_collect(&q, a, sizeof(**out), read_org_count, (void **)out, n_out, e);
}

static const char SQL_PLAN_SET[] =
	"INSERT INTO dev_plans (org_id, year, quota, updated_at) VALUES (?, ?, ?, ?)"
	" ON CONFLICT (org_id, year) DO UPDATE SET quota = excluded.quota, updated_at = excluded.updated_at";
static const char SQL_PLANS[] =
	"SELECT p.org_id, o.name, o.path, p.year, p.quota FROM dev_plans p JOIN orgs o ON o.id = p.org_id"
	" WHERE o.path >= ? AND o.path < ? AND p.year = ? ORDER BY o.path";

int store_dev_plan_set(struct sconn *c, int64_t org_id, int year, int quota, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_PLAN_SET, e) < 0)
		return -1;
	q_int(&q, org_id);
	q_int(&q, year);
	q_int(&q, quota);
	q_text(&q, now);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

static void read_plan(struct q *q, struct arena *a, void *elem)
{
	struct dev_plan *x = elem;

	x->org_id = q_col_int(q, 0);
	x->org_name = q_col_dup(q, 1, a);
	x->org_path = q_col_dup(q, 2, a);
	x->year = (int)q_col_int(q, 3);
	x->quota = (int)q_col_int(q, 4);
}

int store_dev_plans(struct sconn *c, struct arena *a, const char *path, int year, struct dev_plan **out,
		    size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_PLANS, e) < 0)
		return -1;
	q_text(&q, path);
	q_text(&q, store_path_hi(a, path));
	q_int(&q, year);
	return q_collect(&q, a, sizeof(**out), read_plan, (void **)out, n_out, e);
}
