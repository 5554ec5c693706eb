/*
 * mobile.c: mobile members (流动党员, RULES.md 4.2) in the store: outflow
 * registrations seen from the member's organisation (流出地) or the inflow
 * organisation (流入地), and the members.mobile flag kept in step with them.
 * The contact is sealed at rest with a masked copy for lists (0010).
 */
#include "util/common.h"
#include "store/store_int.h"
#include "core/member.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xalloc.h"

/* The plain column `contact` is written '' (0010): the value goes sealed into contact_enc. */
static const char SQL_INSERT[] =
	"INSERT INTO mobile_members (member_id, state, out_on, expected_return, returned_on, destination, contact,"
	" contact_enc, contact_masked, reason, certificate_no, inflow_org_id, inflow_text, created_by,"
	" created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_UPDATE[] =
	"UPDATE mobile_members SET state = ?, out_on = ?, expected_return = ?, returned_on = ?, destination = ?,"
	" contact = '', contact_enc = ?, contact_masked = ?, reason = ?, certificate_no = ?, inflow_org_id = ?,"
	" inflow_text = ?, updated_at = ?"
	" WHERE id = ? AND member_id = ?";
static const char SQL_OPEN_OF[] =
	"SELECT id FROM mobile_members WHERE member_id = ? AND state = 'out' AND id <> ?";
static const char SQL_CERT_USED[] = "SELECT id FROM mobile_members WHERE certificate_no = ? AND id <> ?";
/* The flag follows the records: set while an outflow registration is open. */
static const char SQL_FLAG[] =
	"UPDATE members SET mobile = (SELECT COUNT(*) FROM mobile_members WHERE member_id = ? AND state = 'out')"
	" WHERE id = ?";

static const char *state_or_out(const char *state)
{
	return state && *state ? state : "out";
}

/* Does a query on (text or id, id to skip) find a row? */
static int exists(struct sconn *c, const char *sql, const char *text, int64_t key, int64_t skip, bool *hit,
		  struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*hit = false;
	if (q_prepare(&q, c->db, sql, e) < 0)
		return -1;
	if (text)
		q_text(&q, text);
	else
		q_int(&q, key);
	q_int(&q, skip);
	r = q_step(&q, e);
	q_finish(&q);
	if (r < 0)
		return -1;
	*hit = r == 1;
	return 0;
}

static int check(struct sconn *c, const struct mobile_member *m, struct err *e)
{
	bool hit;

	if (!strcmp(state_or_out(m->state), "out")) {
		if (exists(c, SQL_OPEN_OF, NULL, m->member_id, m->id, &hit, e) < 0)
			return -1;
		if (hit)
			return err_set(e, ERR_CONFLICT, "mobile_open", "该党员已登记为流动党员（尚未返回）");
	}
	if (m->certificate_no && *m->certificate_no) {
		if (exists(c, SQL_CERT_USED, m->certificate_no, 0, m->id, &hit, e) < 0)
			return -1;
		if (hit)
			return err_set(e, ERR_CONFLICT, "duplicate_certificate",
				       "流动党员活动证编号 %s 已被使用", m->certificate_no);
	}
	return 0;
}

/* The masked copy of a contact for lists, in the arena (as member phone numbers are masked). */
static char *contact_mask(struct arena *a, const char *contact)
{
	size_t cap = strlen(contact) + 1;
	char *out = arena_alloc(a, cap);

	phone_mask(contact, out, cap);
	return out;
}

/* Binds every field from state to inflow_text, sealing the contact (NULL columns when none). */
static void bind_fields(struct sconn *c, struct q *q, const struct mobile_member *m)
{
	char *sealed = m->contact && *m->contact ? store_seal(c->s, m->contact) : NULL;

	q_text(q, state_or_out(m->state));
	q_date(q, m->out_on);
	q_date(q, m->expected_return);
	q_date(q, m->returned_on);
	q_text(q, m->destination ? m->destination : "");
	if (sealed) {
		char *masked = xmalloc(strlen(m->contact) + 1);

		phone_mask(m->contact, masked, strlen(m->contact) + 1);
		q_text(q, sealed);
		q_text(q, masked);
		free(masked); /* bound values are copied (db.h) */
	} else {
		q_null(q);
		q_null(q);
	}
	q_text(q, m->reason ? m->reason : "");
	q_opt_text(q, m->certificate_no);
	q_id(q, m->inflow_org_id);
	q_opt_text(q, m->inflow_text);
	free(sealed);
}

static int set_flag(struct sconn *c, int64_t member_id, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (q_prepare(&q, c->db, SQL_FLAG, e) < 0)
		return -1;
	q_int(&q, member_id);
	q_int(&q, member_id);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

int store_mobile_insert(struct sconn *c, struct mobile_member *m, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	m->id = 0;
	if (check(c, m, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	q_int(&q, m->member_id);
	bind_fields(c, &q, m);
	q_text(&q, m->created_by ? m->created_by : "");
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	m->id = q_col_int(&q, 0);
	q_finish(&q);
	if (set_flag(c, m->member_id, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_mobile_update(struct sconn *c, const struct mobile_member *m, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	if (check(c, m, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	bind_fields(c, &q, m);
	q_text(&q, now);
	q_int(&q, m->id);
	q_int(&q, m->member_id);
	if (q_step(&q, e) < 0)
		goto out;
	if (c->db->drv->changes(c->db) == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "流动党员记录不存在");
		goto out;
	}
	q_finish(&q);
	if (set_flag(c, m->member_id, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

/* Columns 19 and 20 (sealed contact, plain contact of a row from before 0010) are read by mobile_one. */
#define MOB_COLS \
	"x.id, x.member_id, m.name, m.org_id, o.name, x.state, x.out_on, x.expected_return, x.returned_on," \
	" x.destination, x.contact_masked, x.reason, x.certificate_no, x.inflow_org_id, i.name, x.inflow_text," \
	" x.created_by, x.created_at, x.updated_at, x.contact_enc, x.contact"
/* In a path: the member's organisation (流出) or the inflow organisation (流入). */
#define MOB_FROM \
	" FROM mobile_members x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id" \
	" LEFT JOIN orgs i ON i.id = x.inflow_org_id" \
	" WHERE ((m.org_path >= ? AND m.org_path < ?) OR (i.path >= ? AND i.path < ?))"

static const char *opt_dup(struct q *q, int i, struct arena *a)
{
	return q_null_at(q, i) ? NULL : q_col_dup(q, i, a);
}

static void read_mobile(struct q *q, struct arena *a, void *elem)
{
	struct mobile_member *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->member_id = q_col_int(q, 1);
	x->member_name = q_col_dup(q, 2, a);
	x->org_id = q_col_int(q, 3);
	x->org_name = q_col_dup(q, 4, a);
	x->state = q_col_dup(q, 5, a);
	x->out_on = q_col_date(q, 6);
	x->expected_return = q_col_date(q, 7);
	x->returned_on = q_col_date(q, 8);
	x->destination = q_col_dup(q, 9, a);
	x->contact = NULL; /* only one record's reads unseal it (mobile_one) */
	x->contact_masked = opt_dup(q, 10, a);
	/* A row from before 0010 not sealed yet: its plain text, masked. */
	if (!x->contact_masked && !q_null_at(q, 20) && *q_col_text(q, 20))
		x->contact_masked = contact_mask(a, q_col_text(q, 20));
	x->reason = q_col_dup(q, 11, a);
	x->certificate_no = opt_dup(q, 12, a);
	x->inflow_org_id = q_col_int(q, 13);
	x->inflow_org_name = opt_dup(q, 14, a);
	x->inflow_text = opt_dup(q, 15, a);
	x->created_by = q_col_dup(q, 16, a);
	x->created_at = q_col_dup(q, 17, a);
	x->updated_at = q_col_dup(q, 18, a);
}

static void bind_path(struct q *q, struct arena *a, const char *path)
{
	const char *hi = store_path_hi(a, path);

	q_text(q, path);
	q_text(q, hi);
	q_text(q, path);
	q_text(q, hi);
}

static const char SQL_GET[] = "SELECT " MOB_COLS MOB_FROM " AND x.id = ?";
static const char SQL_OPEN_RECORD[] = "SELECT " MOB_COLS MOB_FROM " AND x.member_id = ? AND x.state = 'out'";

/* Steps a prepared query for one record and reads it with its contact unsealed; finishes q. */
static int mobile_one(struct sconn *c, struct q *q, struct arena *a, struct mobile_member *out,
		      bool *found_out, struct err *e)
{
	int r = q_step(q, e);

	*found_out = r == 1;
	if (r == 1) {
		read_mobile(q, a, out);
		if (!q_null_at(q, 19)) {
			out->contact = store_unseal(c->s, a, q_col_text(q, 19));
			if (!out->contact) {
				log_error("store", "mobile member record %lld: sealed contact fails its MAC",
					  (long long)out->id);
				r = err_set(e, ERR_INTERNAL, "integrity_error", "数据完整性校验失败");
			}
		} else if (!q_null_at(q, 20) && *q_col_text(q, 20)) {
			out->contact = q_col_dup(q, 20, a); /* from before 0010; sealed on the next write */
		}
	}
	q_finish(q);
	return r < 0 ? -1 : 0;
}

int store_mobile_open_of(struct sconn *c, struct arena *a, int64_t member_id, struct mobile_member *out,
			 bool *found_out, struct err *e)
{
	struct q q = Q_INIT;

	*found_out = false;
	if (q_prepare(&q, c->db, SQL_OPEN_RECORD, e) < 0)
		return -1;
	bind_path(&q, a, "/");
	q_int(&q, member_id);
	return mobile_one(c, &q, a, out, found_out, e);
}

int store_mobile_get(struct sconn *c, struct arena *a, const char *scope, int64_t id,
		     struct mobile_member *out, struct err *e)
{
	struct q q = Q_INIT;
	bool found;

	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		return -1;
	bind_path(&q, a, scope ? scope : "/");
	q_int(&q, id);
	if (mobile_one(c, &q, a, out, &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_NOT_FOUND, NULL, "流动党员记录不存在");
	return 0;
}

#define LIST_FILTER MOB_FROM " AND (CAST(? AS TEXT) IS NULL OR x.state = ?)"

static const char SQL_LIST[] =
	"SELECT " MOB_COLS LIST_FILTER " ORDER BY x.out_on DESC, x.id DESC LIMIT ? OFFSET ?";
static const char SQL_COUNT[] = "SELECT COUNT(*)" LIST_FILTER;

int store_mobile_list(struct sconn *c, struct arena *a, const struct mobile_query *mq,
		      struct mobile_member **out, size_t *n_out, int64_t *total_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*out = NULL;
	*n_out = 0;
	*total_out = 0;
	if (q_prepare(&q, c->db, SQL_COUNT, e) < 0)
		return -1;
	bind_path(&q, a, mq->path);
	q_opt_text(&q, mq->state);
	q_opt_text(&q, mq->state);
	r = q_step(&q, e);
	if (r == 1)
		*total_out = q_col_int(&q, 0);
	q_finish(&q);
	if (r < 0 || q_prepare(&q, c->db, SQL_LIST, e) < 0)
		return -1;
	bind_path(&q, a, mq->path);
	q_opt_text(&q, mq->state);
	q_opt_text(&q, mq->state);
	q_int(&q, mq->per_page > 0 ? mq->per_page : INT32_MAX);
	q_int(&q, mq->per_page > 0 ? (int64_t)(mq->page - 1) * mq->per_page : 0);
	return q_collect(&q, a, sizeof(**out), read_mobile, (void **)out, n_out, e);
}

/* ---- contacts from before 0010 ---------------------------------------------- */

static const char SQL_PLAIN[] = "SELECT id, contact FROM mobile_members WHERE contact <> '' ORDER BY id";
/* Only while the row still holds that plain text (another process may have sealed it meanwhile). */
static const char SQL_SEAL_ONE[] =
	"UPDATE mobile_members SET contact = '', contact_enc = ?, contact_masked = ? WHERE id = ? AND contact = ?";

int store_mobile_seal_plain(struct sconn *c, struct err *e)
{
	struct arena *a = arena_new();
	struct q q = Q_INIT;
	struct plain_row {
		int64_t id;
		const char *contact;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	int rc = -1, r;

	if (store_begin(c, e) < 0)
		goto out;
	if (q_prepare(&q, c->db, SQL_PLAIN, e) < 0)
		goto out;
	while ((r = q_step(&q, e)) == 1) {
		rows = arena_grow(a, rows, sizeof(*rows), n, &cap);
		rows[n].id = q_col_int(&q, 0);
		rows[n++].contact = q_col_dup(&q, 1, a);
	}
	q_finish(&q);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *sealed = store_seal(c->s, rows[i].contact);
		const char *masked = contact_mask(a, rows[i].contact);

		if (q_prepare(&q, c->db, SQL_SEAL_ONE, e) < 0) {
			free(sealed);
			goto out;
		}
		q_text(&q, sealed);
		q_text(&q, masked);
		q_int(&q, rows[i].id);
		q_text(&q, rows[i].contact);
		r = q_step(&q, e);
		q_finish(&q);
		free(sealed);
		if (r < 0)
			goto out;
	}
	if (store_commit(c, e) < 0)
		goto out;
	if (n)
		log_info("store", "sealed the contact of %zu mobile member record(s) written before 0010", n);
	rc = 0;
out:
	q_finish(&q);
	store_rollback(c);
	arena_free(a);
	return rc;
}
