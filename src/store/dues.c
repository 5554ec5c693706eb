/*
 * dues.c: party dues in the store: standards (one per member and
 * effective month), ledger months opened per committee subtree, and
 * payments, unique per member and month and per transaction reference.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"

#define STANDARD_COLS \
	"id, member_id, category, base_fen, per_mille, amount_fen, effective_month, reduction_reason," \
	" approved_by, approved_on, created_at, created_by"

static void read_standard(struct q *q, struct arena *a, void *elem)
{
	struct dues_standard *s = elem;

	memset(s, 0, sizeof(*s));
	s->id = q_col_int(q, 0);
	s->member_id = q_col_int(q, 1);
	s->category = q_col_dup(q, 2, a);
	s->base_fen = q_col_int(q, 3);
	s->per_mille = q_null_at(q, 4) ? -1 : (int)q_col_int(q, 4);
	s->amount_fen = q_col_int(q, 5);
	s->effective_month = q_col_dup(q, 6, a);
	s->reduction_reason = q_col_dup(q, 7, a);
	s->approved_by = q_col_dup(q, 8, a);
	s->approved_on = q_null_at(q, 9) ? NULL : q_col_dup(q, 9, a);
	s->created_at = q_col_dup(q, 10, a);
	s->created_by = q_col_dup(q, 11, a);
}

static const char SQL_STD_DEL[] = "DELETE FROM dues_standards WHERE member_id = ? AND effective_month = ?";
static const char SQL_STD_ADD[] =
	"INSERT INTO dues_standards (member_id, category, base_fen, per_mille, amount_fen, effective_month,"
	" reduction_reason, approved_by, approved_on, created_at, created_by)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_dues_standard_set(struct sconn *c, struct dues_standard *s, const char *who, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	/* The standard replaces one set for the same month, except in a bulk load of fresh data (the
	 * demo), where UNIQUE (member_id, effective_month) is check enough: on PostgreSQL the DELETE's
	 * plan, made while the table was empty, would scan the whole growing table each time. */
	if (!c->bulk) {
		if (q_prepare(&q, c->db, SQL_STD_DEL, e) < 0)
			goto out;
		q_int(&q, s->member_id);
		q_text(&q, s->effective_month);
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
	}
	store_now(now);
	if (q_prepare(&q, c->db, SQL_STD_ADD, e) < 0)
		goto out;
	q_int(&q, s->member_id);
	q_text(&q, s->category);
	q_int(&q, s->base_fen);
	if (s->per_mille >= 0)
		q_int(&q, s->per_mille);
	else
		q_null(&q);
	q_int(&q, s->amount_fen);
	q_text(&q, s->effective_month);
	q_text(&q, s->reduction_reason ? s->reduction_reason : "");
	q_text(&q, s->approved_by ? s->approved_by : "");
	q_opt_text(&q, s->approved_on);
	q_text(&q, now);
	q_text(&q, who);
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

static const char SQL_STD_AT[] =
	"SELECT " STANDARD_COLS " FROM dues_standards WHERE member_id = ? AND effective_month <= ?"
	" ORDER BY effective_month DESC LIMIT 1";
static const char SQL_STD_ALL[] =
	"SELECT " STANDARD_COLS " FROM dues_standards WHERE member_id = ? ORDER BY effective_month DESC";

int store_dues_standard_at(struct sconn *c, struct arena *a, int64_t member_id, const char *month,
			   struct dues_standard *out, bool *found, struct err *e)
{
	struct q q = Q_INIT;

	*found = false;
	if (q_prepare(&q, c->db, SQL_STD_AT, e) < 0)
		return -1;
	q_int(&q, member_id);
	q_text(&q, month);
	return q_one(&q, a, read_standard, out, found, e);
}

int store_dues_standards(struct sconn *c, struct arena *a, int64_t member_id, struct dues_standard **out,
			 size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_STD_ALL, e) < 0)
		return -1;
	q_int(&q, member_id);
	return q_collect(&q, a, sizeof(**out), read_standard, (void **)out, n_out, e);
}

static const char SQL_MONTH_ADD[] =
	"INSERT INTO dues_months (org_id, month, status, opened_at, opened_by) VALUES (?, ?, 'open', ?, ?)";
static const char SQL_MONTH_GET[] = "SELECT status FROM dues_months WHERE org_id = ? AND month = ?";

/* Is there a row for (id, month) under `sql` (SELECT ... WHERE <id> = ? AND month = ?)? */
static int row_exists(struct sconn *c, const char *sql, int64_t id, const char *month, bool *found,
		      struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, sql, e) < 0)
		return -1;
	q_int(&q, id);
	q_text(&q, month);
	r = q_step(&q, e);
	q_finish(&q);
	*found = r == 1;
	return r < 0 ? -1 : 0;
}

int store_dues_month_open(struct sconn *c, int64_t org_id, const char *month, const char *who, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	bool found;
	int rc = -1;

	if (row_exists(c, SQL_MONTH_GET, org_id, month, &found, e) < 0)
		goto out;
	if (found) {
		err_set(e, ERR_CONFLICT, "month_exists", "%s的党费账期已经建立", month);
		goto out;
	}
	q_finish(&q);
	store_now(now);
	if (q_prepare(&q, c->db, SQL_MONTH_ADD, e) < 0)
		goto out;
	q_int(&q, org_id);
	q_text(&q, month);
	q_text(&q, now);
	q_text(&q, who);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_MONTH_FOR[] =
	"SELECT d.org_id, d.status FROM dues_months d JOIN orgs o ON o.id = d.org_id"
	" WHERE d.month = ? AND ? >= o.path AND ? < substr(o.path, 1, length(o.path) - 1) || '0'"
	" ORDER BY length(o.path) DESC LIMIT 1";

int store_dues_month_for(struct sconn *c, struct arena *a, const char *org_path, const char *month,
			 int64_t *ledger_org_out, char **status_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*ledger_org_out = 0;
	*status_out = NULL;
	if (q_prepare(&q, c->db, SQL_MONTH_FOR, e) < 0)
		return -1;
	q_text(&q, month);
	q_text(&q, org_path);
	q_text(&q, org_path);
	r = q_step(&q, e);
	if (r == 1) {
		*ledger_org_out = q_col_int(&q, 0);
		*status_out = q_col_dup(&q, 1, a);
	}
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

static const char SQL_MONTH_SET_REPORTED[] =
	"UPDATE dues_months SET status = 'reported', reported_at = ? WHERE org_id = ? AND month = ? AND status = 'open'";
static const char SQL_MONTH_SET_SETTLED[] =
	"UPDATE dues_months SET status = 'settled', settled_at = ? WHERE org_id = ? AND month = ?"
	" AND status IN ('open', 'reported')";

int store_dues_month_set(struct sconn *c, int64_t org_id, const char *month, const char *status,
			 struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	store_now(now);
	if (q_prepare(&q, c->db, !strcmp(status, "settled") ? SQL_MONTH_SET_SETTLED : SQL_MONTH_SET_REPORTED,
		      e) < 0)
		goto out;
	q_text(&q, now);
	q_int(&q, org_id);
	q_text(&q, month);
	if (q_step(&q, e) < 0)
		goto out;
	if (c->db->drv->changes(c->db) == 0) {
		err_set(e, ERR_CONFLICT, "month_closed", "%s的党费账期不存在或已结算", month);
		goto out;
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

#define PAYMENT_COLS \
	"id, member_id, org_id, month, amount_fen, standard_fen, method, paid_on, payer_name, reference," \
	" note, recorded_by, created_at, central_remit"

static void read_payment(struct q *q, struct arena *a, void *elem)
{
	struct dues_payment *p = elem;

	memset(p, 0, sizeof(*p));
	p->id = q_col_int(q, 0);
	p->member_id = q_col_int(q, 1);
	p->org_id = q_col_int(q, 2);
	p->month = q_col_dup(q, 3, a);
	p->amount_fen = q_col_int(q, 4);
	p->standard_fen = q_col_int(q, 5);
	p->method = q_col_dup(q, 6, a);
	p->paid_on = q_col_dup(q, 7, a);
	p->payer_name = q_col_dup(q, 8, a);
	p->reference = q_null_at(q, 9) ? NULL : q_col_dup(q, 9, a);
	p->note = q_col_dup(q, 10, a);
	p->recorded_by = q_col_dup(q, 11, a);
	p->created_at = q_col_dup(q, 12, a);
	p->central_remit = q_col_int(q, 13) != 0;
}

static const char SQL_PAY_EXISTS[] = "SELECT id FROM dues_payments WHERE member_id = ? AND month = ?";
static const char SQL_PAY_ADD[] =
	"INSERT INTO dues_payments (member_id, month, org_id, amount_fen, standard_fen, method, paid_on,"
	" payer_name, reference, central_remit, note, recorded_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_dues_payment_add(struct sconn *c, struct dues_payment *p, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	bool found;
	int rc = -1, r;

	/* A bulk load (the demo) writes fresh data: UNIQUE (member_id, month) is check enough there,
	 * and the look-up first would be a second round trip per payment on PostgreSQL. */
	found = false;
	if (!c->bulk && row_exists(c, SQL_PAY_EXISTS, p->member_id, p->month, &found, e) < 0)
		goto out;
	if (found) {
		err_set(e, ERR_CONFLICT, "already_paid", "%s的党费已经缴纳", p->month);
		goto out;
	}
	q_finish(&q);
	store_now(now);
	if (q_prepare(&q, c->db, SQL_PAY_ADD, e) < 0)
		goto out;
	q_int(&q, p->member_id);
	q_text(&q, p->month);
	q_int(&q, p->org_id);
	q_int(&q, p->amount_fen);
	q_int(&q, p->standard_fen);
	q_text(&q, p->method);
	q_text(&q, p->paid_on);
	q_text(&q, p->payer_name ? p->payer_name : "");
	q_opt_text(&q, p->reference);
	q_int(&q, p->central_remit);
	q_text(&q, p->note ? p->note : "");
	q_text(&q, p->recorded_by);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	p->id = q_col_int(&q, 0);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_PAY_REF[] = "SELECT " PAYMENT_COLS " FROM dues_payments WHERE reference = ?";
static const char SQL_PAY_MEMBER[] =
	"SELECT " PAYMENT_COLS " FROM dues_payments WHERE member_id = ? ORDER BY month DESC";

int store_dues_payment_by_ref(struct sconn *c, struct arena *a, const char *reference,
			      struct dues_payment *out, bool *found, struct err *e)
{
	struct q q = Q_INIT;

	*found = false;
	if (q_prepare(&q, c->db, SQL_PAY_REF, e) < 0)
		return -1;
	q_text(&q, reference);
	return q_one(&q, a, read_payment, out, found, e);
}

int store_dues_payments(struct sconn *c, struct arena *a, int64_t member_id, struct dues_payment **out,
			size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_PAY_MEMBER, e) < 0)
		return -1;
	q_int(&q, member_id);
	return q_collect(&q, a, sizeof(**out), read_payment, (void **)out, n_out, e);
}

/* Members of the subtree with a standard in force for the month, with that month's payment:
 * the counted members, and anyone else who paid that month (history stays whole). */
#define LEDGER_FROM \
	" FROM members m JOIN orgs o ON o.id = m.org_id" \
	" JOIN dues_standards s ON s.id = (SELECT s2.id FROM dues_standards s2 WHERE s2.member_id = m.id" \
	"   AND s2.effective_month <= ? ORDER BY s2.effective_month DESC LIMIT 1)" \
	" LEFT JOIN dues_payments p ON p.member_id = m.id AND p.month = ?" \
	" WHERE m.org_path >= ? AND m.org_path < ? AND (" MEMBER_COUNTED_SQL " OR p.id IS NOT NULL)" \
	" AND (CAST(? AS BIGINT) = 0 OR (CAST(? AS BIGINT) = 1 AND p.id IS NOT NULL)" \
	"   OR (CAST(? AS BIGINT) = 2 AND p.id IS NULL))"

static const char SQL_LEDGER[] =
	"SELECT m.id, m.org_id, m.name, o.name, s.amount_fen, COALESCE(p.amount_fen, 0),"
	" CASE WHEN p.id IS NOT NULL THEN 1 ELSE 0 END,"
	" p.paid_on, p.method, (SELECT MAX(p2.month) FROM dues_payments p2 WHERE p2.member_id = m.id),"
	" (SELECT MIN(s3.effective_month) FROM dues_standards s3 WHERE s3.member_id = m.id)" LEDGER_FROM
	" ORDER BY m.org_path, m.id LIMIT ? OFFSET ?";
static const char SQL_LEDGER_SUM[] =
	"SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.id IS NOT NULL THEN 1 ELSE 0 END), 0),"
	" COALESCE(SUM(s.amount_fen), 0), COALESCE(SUM(COALESCE(p.amount_fen, 0)), 0)" LEDGER_FROM;

static void bind_ledger(struct q *q, struct arena *a, const char *path, const char *month, int filter)
{
	q_text(q, month);
	q_text(q, month);
	q_text(q, path);
	q_text(q, store_path_hi(a, path));
	q_int(q, filter);
	q_int(q, filter);
	q_int(q, filter);
}

int store_dues_ledger(struct sconn *c, struct arena *a, const char *path, const char *month, int filter,
		      int page, int per_page, struct dues_ledger *out, struct err *e)
{
	struct q q = Q_INIT;
	size_t cap = 0;
	int rc = -1, r;

	memset(out, 0, sizeof(*out));
	/* The month's totals whatever the filter, then the rows the filter asks for. */
	if (q_prepare(&q, c->db, SQL_LEDGER_SUM, e) < 0)
		goto out;
	bind_ledger(&q, a, path, month, 0);
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 1) {
		out->due_count = q_col_int(&q, 0);
		out->paid_count = q_col_int(&q, 1);
		out->due_fen = q_col_int(&q, 2);
		out->paid_fen = q_col_int(&q, 3);
	}
	q_finish(&q);
	out->total = filter == 0   ? out->due_count
		     : filter == 1 ? out->paid_count
				   : out->due_count - out->paid_count;
	if (q_prepare(&q, c->db, SQL_LEDGER, e) < 0)
		goto out;
	bind_ledger(&q, a, path, month, filter);
	q_int(&q, per_page > 0 ? per_page : INT32_MAX);
	q_int(&q, per_page > 0 ? (int64_t)(page - 1) * per_page : 0);
	while ((r = q_step(&q, e)) == 1) {
		struct dues_ledger_row *x;
		out->items = arena_grow(a, out->items, sizeof(*out->items), out->n, &cap);
		x = &out->items[out->n++];
		x->member_id = q_col_int(&q, 0);
		x->org_id = q_col_int(&q, 1);
		x->name = q_col_dup(&q, 2, a);
		x->org_name = q_col_dup(&q, 3, a);
		x->amount_fen = q_col_int(&q, 4);
		x->paid_fen = q_col_int(&q, 5);
		x->paid = q_col_int(&q, 6) != 0;
		x->paid_on = q_null_at(&q, 7) ? NULL : q_col_dup(&q, 7, a);
		x->method = q_null_at(&q, 8) ? NULL : q_col_dup(&q, 8, a);
		x->paid_up_to = q_null_at(&q, 9) ? NULL : q_col_dup(&q, 9, a);
		x->first_month = q_null_at(&q, 10) ? NULL : q_col_dup(&q, 10, a);
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_PAID_MONTHS[] =
	"SELECT p.member_id, p.month FROM dues_payments p JOIN members m ON m.id = p.member_id"
	" WHERE m.org_path >= ? AND m.org_path < ? ORDER BY p.member_id, p.month";

int store_dues_paid_months(struct sconn *c, struct arena *a, const char *path, int64_t **member_ids,
			   const char ***months, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;
	size_t cap1 = 0, cap2 = 0;
	int r;

	*member_ids = NULL;
	*months = NULL;
	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_PAID_MONTHS, e) < 0)
		return -1;
	q_text(&q, path);
	q_text(&q, store_path_hi(a, path));
	while ((r = q_step(&q, e)) == 1) {
		*member_ids = arena_grow(a, *member_ids, sizeof(**member_ids), *n_out, &cap1);
		*months = arena_grow(a, *months, sizeof(**months), *n_out, &cap2);
		(*member_ids)[*n_out] = q_col_int(&q, 0);
		(*months)[*n_out] = q_col_dup(&q, 1, a);
		(*n_out)++;
	}
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

/* ---- spending ----------------------------------------------------------- */

static const char SQL_SPEND_ADD[] =
	"INSERT INTO dues_spending (org_id, spent_on, category, amount_fen, description, approved_by,"
	" approval_doc, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_SPEND_LIST[] =
	"SELECT id, org_id, spent_on, category, amount_fen, description, approved_by, approval_doc,"
	" created_by, created_at FROM dues_spending WHERE org_id = ? AND spent_on >= ? AND spent_on < ?"
	" ORDER BY spent_on DESC, id DESC";

int store_dues_spending_add(struct sconn *c, struct dues_spending *s, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_SPEND_ADD, e) < 0)
		goto out;
	q_int(&q, s->org_id);
	q_text(&q, s->spent_on);
	q_text(&q, s->category);
	q_int(&q, s->amount_fen);
	q_text(&q, s->description);
	q_text(&q, s->approved_by);
	q_text(&q, s->approval_doc ? s->approval_doc : "");
	q_text(&q, s->created_by);
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

static void read_spending(struct q *q, struct arena *a, void *elem)
{
	struct dues_spending *x = elem;

	x->id = q_col_int(q, 0);
	x->org_id = q_col_int(q, 1);
	x->spent_on = q_col_dup(q, 2, a);
	x->category = q_col_dup(q, 3, a);
	x->amount_fen = q_col_int(q, 4);
	x->description = q_col_dup(q, 5, a);
	x->approved_by = q_col_dup(q, 6, a);
	x->approval_doc = q_col_dup(q, 7, a);
	x->created_by = q_col_dup(q, 8, a);
	x->created_at = q_col_dup(q, 9, a);
}

int store_dues_spending_list(struct sconn *c, struct arena *a, int64_t org_id, const char *year,
			     struct dues_spending **out, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_SPEND_LIST, e) < 0)
		return -1;
	q_int(&q, org_id);
	q_text(&q, arena_printf(a, "%s-01-01", year));
	q_text(&q, arena_printf(a, "%d-01-01", atoi(year) + 1));
	return q_collect(&q, a, sizeof(**out), read_spending, (void **)out, n_out, e);
}

/* ---- a year of payments --------------------------------------------------- */

static const char SQL_YEAR[] =
	"SELECT m.id, m.org_id, m.name, o.name, o.path, s.amount_fen, p.month, COALESCE(p.amount_fen, 0),"
	" CASE WHEN p.central_remit = 1 THEN p.amount_fen - p.standard_fen ELSE 0 END"
	" FROM members m JOIN orgs o ON o.id = m.org_id"
	" JOIN dues_standards s ON s.id = (SELECT s2.id FROM dues_standards s2 WHERE s2.member_id = m.id"
	"   AND s2.effective_month <= ? ORDER BY s2.effective_month DESC LIMIT 1)"
	" LEFT JOIN dues_payments p ON p.member_id = m.id AND p.month >= ? AND p.month <= ?"
	" WHERE m.org_path >= ? AND m.org_path < ? AND (" MEMBER_COUNTED_SQL " OR p.id IS NOT NULL)"
	" ORDER BY m.org_path, m.id, p.month";

static void read_year_row(struct q *q, struct arena *a, void *elem)
{
	struct dues_year_row *x = elem;

	x->member_id = q_col_int(q, 0);
	x->org_id = q_col_int(q, 1);
	x->name = q_col_dup(q, 2, a);
	x->org_name = q_col_dup(q, 3, a);
	x->org_path = q_col_dup(q, 4, a);
	x->standard_fen = q_col_int(q, 5);
	x->month = q_null_at(q, 6) ? NULL : q_col_dup(q, 6, a);
	x->amount_fen = q_col_int(q, 7);
	x->extra_central_fen = q_col_int(q, 8);
}

int store_dues_year(struct sconn *c, struct arena *a, const char *path, const char *year,
		    struct dues_year_row **out, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_YEAR, e) < 0)
		return -1;
	q_text(&q, arena_printf(a, "%s-12", year));
	q_text(&q, arena_printf(a, "%s-01", year));
	q_text(&q, arena_printf(a, "%s-12", year));
	q_text(&q, path);
	q_text(&q, store_path_hi(a, path));
	return q_collect(&q, a, sizeof(**out), read_year_row, (void **)out, n_out, e);
}

/* Counted members only (active, lost): payments are recorded for current members. */
static const char SQL_FIND_NAME[] =
	"SELECT id FROM members m WHERE name = ? AND org_path >= ? AND org_path < ? AND " MEMBER_COUNTED_SQL
	" ORDER BY id";

int store_member_find_name(struct sconn *c, struct arena *a, const char *path, const char *name, int64_t *ids,
			   size_t cap, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_FIND_NAME, e) < 0)
		return -1;
	q_text(&q, name);
	q_text(&q, path);
	q_text(&q, store_path_hi(a, path));
	while ((r = q_step(&q, e)) == 1)
		if (*n_out < cap)
			ids[(*n_out)++] = q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

/* ---- online orders ----------------------------------------------------------- */

static const char SQL_ORDER_ADD[] =
	"INSERT INTO dues_orders (member_id, months, amount_fen, provider, status, created_at)"
	" VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id";
static const char SQL_ORDER_GET[] =
	"SELECT id, member_id, months, amount_fen, provider, status, provider_ref, created_at, paid_at"
	" FROM dues_orders WHERE id = ?";
static const char SQL_ORDER_PAID[] =
	"UPDATE dues_orders SET status = 'paid', provider_ref = ?, paid_at = ? WHERE id = ? AND status = 'pending'";

int store_dues_order_add(struct sconn *c, struct dues_order *o, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_ORDER_ADD, e) < 0)
		goto out;
	q_int(&q, o->member_id);
	q_text(&q, o->months);
	q_int(&q, o->amount_fen);
	q_text(&q, o->provider);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	o->id = q_col_int(&q, 0);
	o->status = "pending";
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_dues_order_get(struct sconn *c, struct arena *a, int64_t id, struct dues_order *out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, SQL_ORDER_GET, e) < 0)
		return -1;
	q_int(&q, id);
	r = q_step(&q, e);
	if (r == 1) {
		out->id = q_col_int(&q, 0);
		out->member_id = q_col_int(&q, 1);
		out->months = q_col_dup(&q, 2, a);
		out->amount_fen = q_col_int(&q, 3);
		out->provider = q_col_dup(&q, 4, a);
		out->status = q_col_dup(&q, 5, a);
		out->provider_ref = q_null_at(&q, 6) ? NULL : q_col_dup(&q, 6, a);
		out->created_at = q_col_dup(&q, 7, a);
		out->paid_at = q_null_at(&q, 8) ? NULL : q_col_dup(&q, 8, a);
	}
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "订单不存在");
	return 0;
}

int store_dues_order_paid(struct sconn *c, int64_t id, const char *provider_ref, bool *changed, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	*changed = false;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_ORDER_PAID, e) < 0)
		goto out;
	q_text(&q, provider_ref);
	q_text(&q, now);
	q_int(&q, id);
	if (q_step(&q, e) < 0)
		goto out;
	*changed = c->db->drv->changes(c->db) > 0;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

/* ---- branch reports ------------------------------------------------------------ */

static const char SQL_REPORT_GET[] = "SELECT 1 FROM dues_reports WHERE org_id = ? AND month = ?";
static const char SQL_REPORT_ADD[] =
	"INSERT INTO dues_reports (org_id, month, paid_count, paid_fen, reported_at, reported_by)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_REPORTED[] =
	"SELECT 1 FROM dues_reports r JOIN orgs o ON o.id = r.org_id"
	" WHERE r.month = ? AND ? >= o.path AND ? < substr(o.path, 1, length(o.path) - 1) || '0' LIMIT 1";

int store_dues_report_add(struct sconn *c, int64_t org_id, const char *month, int64_t paid_count,
			  int64_t paid_fen, const char *who, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	bool found;
	int rc = -1;

	if (row_exists(c, SQL_REPORT_GET, org_id, month, &found, e) < 0)
		goto out;
	if (found) {
		err_set(e, ERR_CONFLICT, "month_reported", "%s的党费已经上报", month);
		goto out;
	}
	q_finish(&q);
	store_now(now);
	if (q_prepare(&q, c->db, SQL_REPORT_ADD, e) < 0)
		goto out;
	q_int(&q, org_id);
	q_text(&q, month);
	q_int(&q, paid_count);
	q_int(&q, paid_fen);
	q_text(&q, now);
	q_text(&q, who);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_dues_reported(struct sconn *c, struct arena *a, const char *org_path, const char *month,
			bool *reported_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	UNUSED(a);
	*reported_out = false;
	if (q_prepare(&q, c->db, SQL_REPORTED, e) < 0)
		return -1;
	q_text(&q, month);
	q_text(&q, org_path);
	q_text(&q, org_path);
	r = q_step(&q, e);
	*reported_out = r == 1;
	q_finish(&q);
	return r < 0 ? -1 : 0;
}
