/*
 * transfers.c: transfers of organisational relations (组织关系转接, RULES.md
 * 4.1) in the store: the transfer records seen from either side, lookups
 * by introduction letter number and the yearly letter number sequence.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"

/* Every column written, in bind_transfer()'s order. */
#define XFER_FIELDS \
	"member_id, kind, state, from_org_id, to_org_id, from_text, to_text, cross_province, reason," \
	" requested_on, requested_by, sending_on, sending_by, receiving_on, receiving_by, return_reason," \
	" returned_by, returned_side, letter_no, letter_on, valid_until, dues_paid_to, receipt_on, receipt_note," \
	" completed_on"

static const char SQL_INSERT[] =
	"INSERT INTO transfers (" XFER_FIELDS ", created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_UPDATE[] =
	"UPDATE transfers SET member_id = ?, kind = ?, state = ?, from_org_id = ?, to_org_id = ?, from_text = ?,"
	" to_text = ?, cross_province = ?, reason = ?, requested_on = ?, requested_by = ?, sending_on = ?,"
	" sending_by = ?, receiving_on = ?, receiving_by = ?, return_reason = ?, returned_by = ?,"
	" returned_side = ?, letter_no = ?, letter_on = ?, valid_until = ?, dues_paid_to = ?, receipt_on = ?,"
	" receipt_note = ?, completed_on = ?, updated_at = ? WHERE id = ?";
static const char SQL_LETTER_USED[] = "SELECT id FROM transfers WHERE letter_no = ? AND id <> ?";

static void bind_transfer(struct q *q, const struct transfer *t)
{
	q_id(q, t->member_id);
	q_text(q, t->kind);
	q_text(q, t->state);
	q_id(q, t->from_org_id);
	q_id(q, t->to_org_id);
	q_opt_text(q, t->from_text);
	q_opt_text(q, t->to_text);
	q_int(q, t->cross_province);
	q_text(q, t->reason ? t->reason : "");
	q_date(q, t->requested_on);
	q_opt_text(q, t->requested_by);
	q_date(q, t->sending_on);
	q_opt_text(q, t->sending_by);
	q_date(q, t->receiving_on);
	q_opt_text(q, t->receiving_by);
	q_opt_text(q, t->return_reason);
	q_opt_text(q, t->returned_by);
	q_opt_text(q, t->returned_side);
	q_opt_text(q, t->letter_no);
	q_date(q, t->letter_on);
	q_date(q, t->valid_until);
	q_opt_text(q, t->dues_paid_to);
	q_date(q, t->receipt_on);
	q_opt_text(q, t->receipt_note);
	q_date(q, t->completed_on);
}

/* A letter number names one transfer (the unique index guards; this names the error). */
static int check_letter(struct sconn *c, const struct transfer *t, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (!t->letter_no || !*t->letter_no)
		return 0;
	if (q_prepare(&q, c->db, SQL_LETTER_USED, e) < 0)
		return -1;
	q_text(&q, t->letter_no);
	q_int(&q, t->id);
	r = q_step(&q, e);
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 1)
		return err_set(e, ERR_CONFLICT, "duplicate_letter_no", "介绍信编号 %s 已登记", t->letter_no);
	return 0;
}

int store_transfer_insert(struct sconn *c, struct transfer *t, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	t->id = 0;
	if (check_letter(c, t, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	bind_transfer(&q, t);
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	t->id = q_col_int(&q, 0);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_transfer_update(struct sconn *c, const struct transfer *t, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	if (check_letter(c, t, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	bind_transfer(&q, t);
	q_text(&q, now);
	q_int(&q, t->id);
	if (q_step(&q, e) < 0)
		goto out;
	if (c->db->drv->changes(c->db) == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "转接记录不存在");
		goto out;
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

#define XFER_COLS \
	"t.id, t.member_id, m.name, t.kind, t.state, t.from_org_id, t.to_org_id, f.name, g.name, f.path, g.path," \
	" t.from_text, t.to_text, t.cross_province, t.reason, t.requested_on, t.requested_by, t.sending_on," \
	" t.sending_by, t.receiving_on, t.receiving_by, t.return_reason, t.returned_by, t.returned_side," \
	" t.letter_no, t.letter_on, t.valid_until, t.dues_paid_to, t.receipt_on, t.receipt_note, t.completed_on," \
	" t.created_at, t.updated_at"
#define XFER_FROM \
	" FROM transfers t LEFT JOIN members m ON m.id = t.member_id" \
	" LEFT JOIN orgs f ON f.id = t.from_org_id LEFT JOIN orgs g ON g.id = t.to_org_id"

static const char *opt_dup(struct q *q, int i, struct arena *a)
{
	return q_null_at(q, i) ? NULL : q_col_dup(q, i, a);
}

static void read_transfer(struct q *q, struct arena *a, void *elem)
{
	struct transfer *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->member_id = q_col_int(q, 1);
	x->member_name = opt_dup(q, 2, a);
	x->kind = q_col_dup(q, 3, a);
	x->state = q_col_dup(q, 4, a);
	x->from_org_id = q_col_int(q, 5);
	x->to_org_id = q_col_int(q, 6);
	x->from_org_name = opt_dup(q, 7, a);
	x->to_org_name = opt_dup(q, 8, a);
	x->from_org_path = opt_dup(q, 9, a);
	x->to_org_path = opt_dup(q, 10, a);
	x->from_text = opt_dup(q, 11, a);
	x->to_text = opt_dup(q, 12, a);
	x->cross_province = q_col_int(q, 13) != 0;
	x->reason = q_col_dup(q, 14, a);
	x->requested_on = q_col_date(q, 15);
	x->requested_by = opt_dup(q, 16, a);
	x->sending_on = q_col_date(q, 17);
	x->sending_by = opt_dup(q, 18, a);
	x->receiving_on = q_col_date(q, 19);
	x->receiving_by = opt_dup(q, 20, a);
	x->return_reason = opt_dup(q, 21, a);
	x->returned_by = opt_dup(q, 22, a);
	x->returned_side = opt_dup(q, 23, a);
	x->letter_no = opt_dup(q, 24, a);
	x->letter_on = q_col_date(q, 25);
	x->valid_until = q_col_date(q, 26);
	x->dues_paid_to = opt_dup(q, 27, a);
	x->receipt_on = q_col_date(q, 28);
	x->receipt_note = opt_dup(q, 29, a);
	x->completed_on = q_col_date(q, 30);
	x->created_at = q_col_dup(q, 31, a);
	x->updated_at = q_col_dup(q, 32, a);
}

/* In scope: either side's organisation, or (neither side in the system) the member's. */
static const char SQL_GET[] =
	"SELECT " XFER_COLS XFER_FROM " WHERE t.id = ? AND ((f.path >= ? AND f.path < ?)"
	" OR (g.path >= ? AND g.path < ?)"
	" OR (t.from_org_id IS NULL AND t.to_org_id IS NULL AND m.org_path >= ? AND m.org_path < ?))";
static const char SQL_BY_LETTER[] = "SELECT " XFER_COLS XFER_FROM " WHERE t.letter_no = ?";

int store_transfer_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct transfer *out,
		       struct err *e)
{
	struct q q = Q_INIT;
	const char *hi;
	bool found;

	if (!scope)
		scope = "/";
	hi = store_path_hi(a, scope);
	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		return -1;
	q_int(&q, id);
	for (int i = 0; i < 3; i++) {
		q_text(&q, scope);
		q_text(&q, hi);
	}
	if (q_one(&q, a, read_transfer, out, &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_NOT_FOUND, NULL, "转接记录不存在");
	return 0;
}

int store_transfer_by_letter(struct sconn *c, struct arena *a, const char *letter_no, struct transfer *out,
			     struct err *e)
{
	struct q q = Q_INIT;
	bool found;

	if (q_prepare(&q, c->db, SQL_BY_LETTER, e) < 0)
		return -1;
	q_text(&q, letter_no);
	if (q_one(&q, a, read_transfer, out, &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_NOT_FOUND, "unknown_letter", "介绍信编号 %s 不存在", letter_no);
	return 0;
}

static const char SQL_PENDING[] =
	"SELECT id FROM transfers WHERE member_id = ?"
	" AND state IN ('requested', 'sending_approved', 'letter_issued') ORDER BY id";

int store_transfer_pending(struct sconn *c, int64_t member_id, int64_t *id_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*id_out = 0;
	if (q_prepare(&q, c->db, SQL_PENDING, e) < 0)
		return -1;
	q_int(&q, member_id);
	r = q_step(&q, e);
	if (r == 1)
		*id_out = q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

/* clang-format off */
/* box: 1 outgoing (from in path), 2 incoming (to in path), 0 either. */
#define LIST_FILTER \
	XFER_FROM " WHERE ((CAST(? AS BIGINT) <> 2 AND f.path >= ? AND f.path < ?)" \
	" OR (CAST(? AS BIGINT) <> 1 AND g.path >= ? AND g.path < ?))" \
	" AND (CAST(? AS TEXT) IS NULL OR t.state = ?) AND (CAST(? AS TEXT) IS NULL OR t.kind = ?)" \
	" AND (CAST(? AS BIGINT) = 0 OR t.member_id = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR (t.state = 'letter_issued' AND t.receipt_on IS NULL" \
	"   AND t.valid_until < ?))"
/* clang-format on */

static const char SQL_LIST[] = "SELECT " XFER_COLS LIST_FILTER " ORDER BY t.id DESC LIMIT ? OFFSET ?";
static const char SQL_COUNT[] = "SELECT COUNT(*)" LIST_FILTER;

static int bind_list(struct q *q, struct arena *a, const struct transfer_query *tq, struct err *e)
{
	const char *hi = store_path_hi(a, tq->path);
	int box = 0;

	if (tq->box && !strcmp(tq->box, "outgoing"))
		box = 1;
	else if (tq->box && !strcmp(tq->box, "incoming"))
		box = 2;
	else if (tq->box && *tq->box)
		return err_set(e, ERR_VALIDATION, NULL, "box 应为 outgoing 或 incoming");
	q_int(q, box);
	q_text(q, tq->path);
	q_text(q, hi);
	q_int(q, box);
	q_text(q, tq->path);
	q_text(q, hi);
	q_opt_text(q, tq->state);
	q_opt_text(q, tq->state);
	q_opt_text(q, tq->kind);
	q_opt_text(q, tq->kind);
	q_int(q, tq->member_id);
	q_int(q, tq->member_id);
	q_opt_text(q, tq->expired_before);
	q_opt_text(q, tq->expired_before);
	return 0;
}

int store_transfer_list(struct sconn *c, struct arena *a, const struct transfer_query *tq,
			struct transfer **out, size_t *n_out, int64_t *total_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*out = NULL;
	*n_out = 0;
	*total_out = 0;
	if (q_prepare(&q, c->db, SQL_COUNT, e) < 0)
		return -1;
	if (bind_list(&q, a, tq, e) < 0) {
		q_finish(&q);
		return -1;
	}
	r = q_step(&q, e);
	if (r == 1)
		*total_out = q_col_int(&q, 0);
	q_finish(&q);
	if (r < 0 || q_prepare(&q, c->db, SQL_LIST, e) < 0)
		return -1;
	bind_list(&q, a, tq, e);
	q_int(&q, tq->per_page > 0 ? tq->per_page : INT32_MAX);
	q_int(&q, tq->per_page > 0 ? (int64_t)(tq->page - 1) * tq->per_page : 0);
	return q_collect(&q, a, sizeof(**out), read_transfer, (void **)out, n_out, e);
}

static const char SQL_LETTER_NEXT[] =
	"INSERT INTO letter_seq (year, last_no) VALUES (?, 1)"
	" ON CONFLICT (year) DO UPDATE SET last_no = letter_seq.last_no + 1 RETURNING last_no";

int store_letter_next_no(struct sconn *c, int year, char out[32], struct err *e)
{
	struct q q = Q_INIT;
	int r;

	out[0] = '\0';
	if (q_prepare(&q, c->db, SQL_LETTER_NEXT, e) < 0)
		return -1;
	q_int(&q, year);
	r = q_step(&q, e);
	if (r == 1)
		snprintf(out, 32, "%04d-%06lld", year, (long long)q_col_int(&q, 0));
	q_finish(&q);
	if (r == 0)
		err_set(e, ERR_INTERNAL, NULL, "数据库错误");
	return r == 1 ? 0 : -1;
}
