/*
 * sanctions.c: Party disciplinary sanctions (党纪处分, RULES.md 6.1) in the
 * store: recording one, ending a 留党察看, a member's sanctions, the
 * sanctions of a subtree (optionally those in effect on a day), whether a
 * member is under 留党察看 on a date, and the member's Party posts.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "core/sanction.h"
#include "util/arena.h"
#include "util/err.h"

static const char SQL_INSERT[] =
	"INSERT INTO sanctions (member_id, type, decided_on, probation_months, effect_end, basis, decided_by,"
	" approved_by, approved_on, created_by, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_END[] = "UPDATE sanctions SET outcome = ?, ended_on = ?, updated_at = ?"
			      " WHERE id = ? AND member_id = ? AND type = 'probation' AND outcome IS NULL";
static const char SQL_EXISTS[] = "SELECT outcome FROM sanctions WHERE id = ? AND member_id = ?";

#define SAN_COLS \
	"s.id, s.member_id, m.name, m.org_id, o.name, s.type, s.decided_on, s.probation_months, s.effect_end," \
	" s.basis, s.decided_by, s.approved_by, s.approved_on, s.outcome, s.ended_on, s.created_by, s.created_at," \
	" s.updated_at"
#define SAN_FROM " FROM sanctions s JOIN members m ON m.id = s.member_id JOIN orgs o ON o.id = m.org_id"

static const char SQL_GET[] = "SELECT " SAN_COLS SAN_FROM " WHERE s.member_id = ? AND s.id = ?";
static const char SQL_OF[] = "SELECT " SAN_COLS SAN_FROM " WHERE s.member_id = ? ORDER BY s.decided_on, s.id";
/*
 * In effect on a day (sanction_in_effect): decided on or before it, before
 * the end of the period (expulsion has none), and a 留党察看 not ended before it.
 */
#define LIST_WHERE \
	SAN_FROM \
	" WHERE m.org_path >= ? AND m.org_path < ?" \
	" AND (CAST(? AS TEXT) IS NULL OR (s.decided_on <= ? AND (s.effect_end IS NULL OR s.effect_end > ?)" \
	" AND (s.ended_on IS NULL OR s.ended_on > ?)))"
static const char SQL_LIST[] =
	"SELECT " SAN_COLS LIST_WHERE " ORDER BY s.decided_on DESC, s.id DESC LIMIT ? OFFSET ?";
static const char SQL_COUNT[] = "SELECT COUNT(*)" LIST_WHERE;
static const char SQL_PROBATIONS[] =
	"SELECT decided_on, probation_months, ended_on FROM sanctions WHERE member_id = ? AND type = 'probation'"
	" AND decided_on <= ?";
static const char SQL_POSTS[] = "SELECT COUNT(*) FROM org_committee WHERE member_id = ?";
static const char SQL_POSTS_END[] = "DELETE FROM org_committee WHERE member_id = ?";

static const char *opt_dup(struct q *q, int i, struct arena *a)
{
	return q_null_at(q, i) ? NULL : q_col_dup(q, i, a);
}

static void read_sanction(struct q *q, struct arena *a, void *elem)
{
	struct sanction *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->member_id = q_col_int(q, 1);
	x->member_name = q_col_dup(q, 2, a);
	x->org_id = q_col_int(q, 3);
	x->org_name = q_col_dup(q, 4, a);
	x->type = enum_from_json(sanction_type_enum, q_col_text(q, 5));
	x->decided_on = q_col_date(q, 6);
	x->probation_months = q_null_at(q, 7) ? 0 : (int)q_col_int(q, 7);
	x->effect_end = q_col_date(q, 8);
	x->basis = q_col_dup(q, 9, a);
	x->decided_by = q_col_dup(q, 10, a);
	x->approved_by = opt_dup(q, 11, a);
	x->approved_on = q_col_date(q, 12);
	x->outcome = opt_dup(q, 13, a);
	x->ended_on = q_col_date(q, 14);
	x->created_by = q_col_dup(q, 15, a);
	x->created_at = q_col_dup(q, 16, a);
	x->updated_at = q_col_dup(q, 17, a);
}

int store_sanction_insert(struct sconn *c, struct sanction *s, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	const char *type = enum_json(sanction_type_enum, s->type);
	int rc = -1, r;

	assert(type);
	s->id = 0;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	q_int(&q, s->member_id);
	q_text(&q, type);
	q_date(&q, s->decided_on);
	if (s->type == SANCTION_PROBATION)
		q_int(&q, s->probation_months);
	else
		q_null(&q);
	q_date(&q, s->effect_end);
	q_text(&q, s->basis ? s->basis : "");
	q_text(&q, s->decided_by ? s->decided_by : "");
	q_opt_text(&q, s->approved_by);
	q_date(&q, s->approved_on);
	q_text(&q, s->created_by ? s->created_by : "");
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	s->id = q_col_int(&q, 0);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_sanction_end(struct sconn *c, int64_t member_id, int64_t id, const char *outcome, struct date on,
		       struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_END, e) < 0)
		goto out;
	q_text(&q, outcome);
	q_date(&q, on);
	q_text(&q, now);
	q_int(&q, id);
	q_int(&q, member_id);
	if (q_step(&q, e) < 0)
		goto out;
	if (c->db->drv->changes(c->db) > 0) {
		rc = 0;
		goto out;
	}
	/* Nothing changed: say whether it is missing or already over. */
	q_finish(&q);
	if (q_prepare(&q, c->db, SQL_EXISTS, e) < 0)
		goto out;
	q_int(&q, id);
	q_int(&q, member_id);
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 0)
		err_set(e, ERR_NOT_FOUND, NULL, "处分记录不存在");
	else if (q_null_at(&q, 0))
		err_set(e, ERR_CONFLICT, "sanction_type", "只有留党察看处分需要办理期满处理");
	else
		err_set(e, ERR_CONFLICT, "sanction_ended", "该留党察看处分已处理完毕");
out:
	q_finish(&q);
	return rc;
}

int store_sanction_get(struct sconn *c, struct arena *a, int64_t member_id, int64_t id, struct sanction *out,
		       struct err *e)
{
	struct q q = Q_INIT;
	bool found;

	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		return -1;
	q_int(&q, member_id);
	q_int(&q, id);
	if (q_one(&q, a, read_sanction, out, &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_NOT_FOUND, NULL, "处分记录不存在");
	return 0;
}

int store_sanctions_of(struct sconn *c, struct arena *a, int64_t member_id, struct sanction **out,
		       size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	*out = NULL;
	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_OF, e) < 0)
		return -1;
	q_int(&q, member_id);
	return q_collect(&q, a, sizeof(**out), read_sanction, (void **)out, n_out, e);
}

static void bind_filter(struct q *q, struct arena *a, const struct sanction_query *sq)
{
	q_text(q, sq->path);
	q_text(q, store_path_hi(a, sq->path));
	for (int i = 0; i < 4; i++)
		q_date(q, sq->in_effect_on);
}

int store_sanction_list(struct sconn *c, struct arena *a, const struct sanction_query *sq,
			struct sanction **out, size_t *n_out, int64_t *total_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*out = NULL;
	*n_out = 0;
	*total_out = 0;
	if (q_prepare(&q, c->db, SQL_COUNT, e) < 0)
		return -1;
	bind_filter(&q, a, sq);
	r = q_step(&q, e);
	if (r == 1)
		*total_out = q_col_int(&q, 0);
	q_finish(&q);
	if (r < 0 || q_prepare(&q, c->db, SQL_LIST, e) < 0)
		return -1;
	bind_filter(&q, a, sq);
	q_int(&q, sq->per_page > 0 ? sq->per_page : INT32_MAX);
	q_int(&q, sq->per_page > 0 ? (int64_t)(sq->page - 1) * sq->per_page : 0);
	return q_collect(&q, a, sizeof(**out), read_sanction, (void **)out, n_out, e);
}

int store_sanction_probation_on(struct sconn *c, int64_t member_id, struct date on, bool *out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*out = false;
	if (q_prepare(&q, c->db, SQL_PROBATIONS, e) < 0)
		return -1;
	q_int(&q, member_id);
	q_date(&q, on);
	while ((r = q_step(&q, e)) == 1) {
		/* The rule lives in core: the end (restoration or expulsion) counts as the day rights return.
		 */
		int months = q_null_at(&q, 1) ? 0 : (int)q_col_int(&q, 1);
		if (sanction_rights_suspended(SANCTION_PROBATION, q_col_date(&q, 0), months,
					      q_col_date(&q, 2), on)) {
			*out = true;
			break;
		}
	}
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

int store_member_posts(struct sconn *c, int64_t member_id, int *n_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_POSTS, e) < 0)
		return -1;
	q_int(&q, member_id);
	r = q_step(&q, e);
	if (r == 1)
		*n_out = (int)q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

int store_member_posts_end(struct sconn *c, int64_t member_id, int *n_out, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1;

	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_POSTS_END, e) < 0)
		goto out;
	q_int(&q, member_id);
	if (q_step(&q, e) < 0)
		goto out;
	*n_out = (int)c->db->drv->changes(c->db);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}
