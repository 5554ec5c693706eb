/*
 * members.c: member records in the store. Identity and phone numbers are
 * sealed at rest with a keyed hash for exact lookup and a masked copy for
 * lists, so list pages never decrypt anything.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "core/idcard.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MEMBER_COLS \
	"m.id, m.org_id, o.name, m.name, m.gender, m.ethnicity, m.birth_date, m.id_card_masked," \
	" m.education, m.phone_masked, m.native_place, m.category, m.status, m.joined_on," \
	" m.full_member_on, m.work_unit, m.job, m.remarks, m.created_at, m.updated_at," \
	" m.id_card_enc, m.phone_enc, m.state, m.state_on, m.state_code, m.mobile"

#define MEMBER_FILTER \
	" FROM members m JOIN orgs o ON o.id = m.org_id" \
	" WHERE m.org_path >= ? AND m.org_path < ?" \
	" AND (CAST(? AS TEXT) IS NULL OR m.name LIKE ? ESCAPE '\\')" \
	" AND (CAST(? AS TEXT) IS NULL OR m.status = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR m.category = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR m.gender = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR m.id_card_hash = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR m.state IN (?, ?))"

static const char SQL_LIST[] =
	"SELECT " MEMBER_COLS MEMBER_FILTER " ORDER BY m.org_path, m.id LIMIT ? OFFSET ?";
static const char SQL_LIST_AFTER[] =
	"SELECT " MEMBER_COLS MEMBER_FILTER " AND m.id > ? ORDER BY m.id LIMIT ?";
static const char SQL_LIST_ALL[] = "SELECT " MEMBER_COLS MEMBER_FILTER " ORDER BY m.org_path, m.id";
static const char SQL_COUNT[] = "SELECT COUNT(*)" MEMBER_FILTER;
/* Without filters the total is a figure kept in org_stats. */
static const char SQL_COUNT_FAST[] =
	"SELECT COALESCE(SUM(n), 0) FROM org_stats WHERE org_id = ? AND dim = 'status'"
	" AND (CAST(? AS TEXT) IS NULL OR key = ?)";
static const char SQL_ORG_BY_PATH[] = "SELECT id FROM orgs WHERE path = ?";
static const char SQL_ORG_PATH_IN[] = "SELECT path FROM orgs WHERE id = ? AND path >= ? AND path < ?";
/* The same and the fast total in one statement: one round trip less per page on PostgreSQL. */
static const char SQL_ORG_PATH_IN_TOTAL[] =
	"SELECT o.path, (SELECT COALESCE(SUM(s.n), 0) FROM org_stats s WHERE s.org_id = o.id AND s.dim = 'status'"
	" AND (CAST(? AS TEXT) IS NULL OR s.key = ?))"
	" FROM orgs o WHERE o.id = ? AND o.path >= ? AND o.path < ?";
/*
 * A page of an organisation's counted members with its total, in one
 * statement: the organisation's path and the figure are computed once (the
 * CTE's scalar subqueries) and bound the range of the path index. Lists
 * leave the sealed columns out (NULL in their places: read_member skips them).
 */
/* clang-format off */
static const char SQL_LIST_IN_ORG[] =
	"WITH t AS (SELECT o.path AS lo, substr(o.path, 1, length(o.path) - 1) || '0' AS hi,"
	" (SELECT COALESCE(SUM(s.n), 0) FROM org_stats s WHERE s.org_id = o.id AND s.dim = 'status'"
	" AND (CAST(? AS TEXT) IS NULL OR s.key = ?)) AS total"
	" FROM orgs o WHERE o.id = ? AND o.path >= ? AND o.path < ?)"
	" SELECT m.id, m.org_id, o.name, m.name, m.gender, m.ethnicity, m.birth_date, m.id_card_masked,"
	" m.education, m.phone_masked, m.native_place, m.category, m.status, m.joined_on,"
	" m.full_member_on, m.work_unit, m.job, m.remarks, m.created_at, m.updated_at,"
	" NULL, NULL, m.state, m.state_on, m.state_code, m.mobile, (SELECT total FROM t)"
	" FROM members m JOIN orgs o ON o.id = m.org_id"
	" WHERE m.org_path >= (SELECT lo FROM t) AND m.org_path < (SELECT hi FROM t)"
	" AND (CAST(? AS TEXT) IS NULL OR m.status = ?) AND m.state IN (?, ?)"
	" ORDER BY m.org_path, m.id LIMIT ? OFFSET ?";
/* clang-format on */
static const char SQL_GET[] = "SELECT " MEMBER_COLS " FROM members m JOIN orgs o ON o.id = m.org_id"
			      " WHERE m.id = ? AND o.path >= ? AND o.path < ?";

/* A stored code into its fixed field, cut to fit (snprintf was a tenth of read_member). */
static void copy_code(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void read_member(struct q *q, struct arena *a, struct member *m)
{
	const char *s;

	memset(m, 0, sizeof(*m));
	m->id = q_col_int(q, 0);
	m->org_id = q_col_int(q, 1);
	m->org_name = q_col_dup(q, 2, a);
	m->name = q_col_dup(q, 3, a);
	m->gender = enum_from_json(gender_enum, q_col_text(q, 4));
	copy_code(m->ethnicity, sizeof(m->ethnicity), q_col_text(q, 5));
	m->birth_date = q_col_date(q, 6);
	m->id_card = q_col_dup(q, 7, a);
	copy_code(m->education, sizeof(m->education), q_col_text(q, 8));
	m->phone = q_null_at(q, 9) ? NULL : q_col_dup(q, 9, a);
	m->native_place = q_col_dup(q, 10, a);
	m->category = enum_from_json(category_enum, q_col_text(q, 11));
	m->status = enum_from_json(status_enum, q_col_text(q, 12));
	m->joined_on = q_col_date(q, 13);
	m->full_member_on = q_col_date(q, 14);
	m->work_unit = q_col_dup(q, 15, a);
	m->job = q_col_dup(q, 16, a);
	m->remarks = q_col_dup(q, 17, a);
	m->created_at = q_col_dup(q, 18, a);
	s = q_col_text(q, 19);
	m->updated_at = arena_strdup(a, s);
	m->state = enum_from_json(member_state_enum, q_col_text(q, 22));
	m->state_on = q_col_date(q, 23);
	m->state_code = q_null_at(q, 24) ? NULL : q_col_dup(q, 24, a);
	m->mobile = q_col_int(q, 25) != 0;
}

char *store_like_pattern(struct arena *a, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	char *r;

	strbuf_addch(&sb, '%');
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, *p);
	}
	strbuf_addch(&sb, '%');
	r = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return r;
}

struct filter {
	const char *lo, *hi, *like, *status, *category, *gender, *id_hash;
	const char *state1, *state2; /* m.state IN (state1, state2); NULL: every state */
	bool counted;                /* the default: active and lost, what org_stats counts */
	int64_t org_id;
	bool total_known; /* total read with the organisation (SQL_ORG_PATH_IN_TOTAL) */
	int64_t total;
};

/* The total from org_stats when the query filters by nothing but organisation and status. */
static int fast_total(struct sconn *c, const struct filter *f, int64_t *total, struct err *e)
{
	struct q q = Q_INIT;
	int64_t org = f->org_id;
	int r;

	if (!org) {
		if (q_prepare(&q, c->db, SQL_ORG_BY_PATH, e) < 0)
			return -1;
		q_text(&q, f->lo);
		r = q_step(&q, e);
		if (r == 1)
			org = q_col_int(&q, 0);
		q_finish(&q);
		if (r < 0)
			return -1;
		if (!org)
			return 0; /* scope "/" (every root): count the slow way */
	}
	if (q_prepare(&q, c->db, SQL_COUNT_FAST, e) < 0)
		return -1;
	q_int(&q, org);
	q_opt_text(&q, f->status);
	q_opt_text(&q, f->status);
	r = q_step(&q, e);
	if (r == 1)
		*total = q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 1;
}

/* Does the query ask for nothing but an organisation's counted members (maybe by status)? */
static bool counted_only(const struct member_query *mq)
{
	return mq->state == 0 && !(mq->q && *mq->q) && !mq->category && !mq->gender &&
	       !(mq->id_card && *mq->id_card);
}

/*
 * The usual page (an organisation, maybe a status, page numbers) in one round
 * trip. Returns 1 with the page, 0 when no row came back (an organisation
 * out of reach, or a page past the end: the caller's general path tells them
 * apart), -1 on error.
 */
static int list_in_org(struct sconn *c, struct arena *a, const struct member_query *mq,
		       struct member_page *out, struct err *e)
{
	const char *scope = mq->scope ? mq->scope : "/";
	const char *status = mq->status ? enum_json(status_enum, mq->status) : NULL;
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, SQL_LIST_IN_ORG, e) < 0)
		return -1;
	q_opt_text(&q, status);
	q_opt_text(&q, status);
	q_int(&q, mq->org_id);
	q_text(&q, scope);
	q_text(&q, store_path_hi(a, scope));
	q_opt_text(&q, status);
	q_opt_text(&q, status);
	q_text(&q, enum_json(member_state_enum, MSTATE_ACTIVE));
	q_text(&q, enum_json(member_state_enum, MSTATE_LOST));
	q_int(&q, mq->per_page);
	q_int(&q, (int64_t)(mq->page - 1) * mq->per_page);
	out->items = arena_alloc(a, (size_t)mq->per_page * sizeof(*out->items));
	while ((r = q_step(&q, e)) == 1 && out->n < (size_t)mq->per_page) {
		out->total = q_col_int(&q, 26);
		read_member(&q, a, &out->items[out->n++]);
	}
	q_finish(&q);
	if (r < 0)
		return -1;
	return out->n > 0;
}

static int make_filter(struct sconn *c, struct arena *a, const struct member_query *mq, struct filter *f,
		       struct err *e)
{
	const char *scope = mq->scope ? mq->scope : "/";

	memset(f, 0, sizeof(*f));
	f->lo = scope;
	f->org_id = mq->org_id;
	if (mq->org_id) {
		/* Filtering by nothing but organisation and status, the figures give the total. */
		bool fast = counted_only(mq);
		const char *status = mq->status ? enum_json(status_enum, mq->status) : NULL;
		struct q q = Q_INIT;
		int r;
		if (q_prepare(&q, c->db, fast ? SQL_ORG_PATH_IN_TOTAL : SQL_ORG_PATH_IN, e) < 0)
			return -1;
		if (fast) {
			q_opt_text(&q, status);
			q_opt_text(&q, status);
		}
		q_int(&q, mq->org_id);
		q_text(&q, scope);
		q_text(&q, store_path_hi(a, scope));
		r = q_step(&q, e);
		if (r == 1) {
			f->lo = q_col_dup(&q, 0, a);
			if (fast) {
				f->total_known = true;
				f->total = q_col_int(&q, 1);
			}
		}
		q_finish(&q);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, ERR_NOT_FOUND, NULL, "党组织不存在");
	}
	f->hi = store_path_hi(a, f->lo);
	if (mq->q && *mq->q)
		f->like = store_like_pattern(a, mq->q);
	f->status = mq->status ? enum_json(status_enum, mq->status) : NULL;
	f->category = mq->category ? enum_json(category_enum, mq->category) : NULL;
	f->gender = mq->gender ? enum_json(gender_enum, mq->gender) : NULL;
	if (mq->state == 0) {
		f->counted = true;
		f->state1 = enum_json(member_state_enum, MSTATE_ACTIVE);
		f->state2 = enum_json(member_state_enum, MSTATE_LOST);
	} else if (mq->state != MSTATE_ALL) {
		f->state1 = f->state2 = enum_json(member_state_enum, mq->state);
		if (!f->state1)
			return err_set(e, ERR_VALIDATION, NULL, "党员状态无效");
	}
	if (mq->id_card && *mq->id_card) {
		char *h = arena_alloc(a, 65);
		store_lookup_hash(c->s, mq->id_card, h);
		f->id_hash = h;
	}
	return 0;
}

static void bind_filter(struct q *q, const struct filter *f)
{
	q_text(q, f->lo);
	q_text(q, f->hi);
	q_opt_text(q, f->like);
	q_opt_text(q, f->like);
	q_opt_text(q, f->status);
	q_opt_text(q, f->status);
	q_opt_text(q, f->category);
	q_opt_text(q, f->category);
	q_opt_text(q, f->gender);
	q_opt_text(q, f->gender);
	q_opt_text(q, f->id_hash);
	q_opt_text(q, f->id_hash);
	q_opt_text(q, f->state1);
	q_opt_text(q, f->state1);
	q_opt_text(q, f->state2);
}

/* The sealed numbers of the row read into m (MEMBER_COLS), decrypted in place of the masked ones. */
static int reveal_member(struct sconn *c, struct q *q, struct arena *a, struct member *m, struct err *e)
{
	m->id_card = store_unseal(c->s, a, q_col_text(q, 20));
	m->phone = q_null_at(q, 21) ? NULL : store_unseal(c->s, a, q_col_text(q, 21));
	if (!m->id_card) {
		log_error("store", "member %lld: sealed identity number fails its MAC", (long long)m->id);
		return err_set(e, ERR_INTERNAL, "integrity_error", "数据完整性校验失败");
	}
	return 0;
}

int store_member_list(struct sconn *c, struct arena *a, const struct member_query *mq,
		      struct member_page *out, struct err *e)
{
	struct q q = Q_INIT;
	struct filter f;
	size_t cap;
	int rc = -1, r;

	memset(out, 0, sizeof(*out));
	if (mq->reveal && !mq->unpaged)
		BUG("store_member_list: reveal is for unpaged lists (exports)");
	if (mq->org_id && !mq->unpaged && !mq->keyset && mq->page > 0 && mq->per_page > 0 &&
	    counted_only(mq)) {
		if ((r = list_in_org(c, a, mq, out, e)) != 0)
			return r < 0 ? -1 : 0;
		memset(out, 0, sizeof(*out));
	}
	if (make_filter(c, a, mq, &f, e) < 0)
		goto out;
	r = 0;
	if (f.total_known) {
		out->total = f.total;
		r = 1;
	} else if (f.counted && !f.like && !f.category && !f.gender && !f.id_hash &&
		   (r = fast_total(c, &f, &out->total, e)) < 0)
		goto out;
	if (r == 0) {
		if (q_prepare(&q, c->db, SQL_COUNT, e) < 0)
			goto out;
		bind_filter(&q, &f);
		if ((r = q_step(&q, e)) < 0)
			goto out;
		out->total = r ? q_col_int(&q, 0) : 0;
		q_finish(&q);
	}

	cap = mq->unpaged ? (size_t)out->total + 1 : (size_t)mq->per_page;
	out->items = arena_alloc(a, (cap ? cap : 1) * sizeof(*out->items));
	if (mq->unpaged) {
		if (q_prepare(&q, c->db, SQL_LIST_ALL, e) < 0)
			goto out;
		bind_filter(&q, &f);
	} else if (mq->keyset) {
		if (q_prepare(&q, c->db, SQL_LIST_AFTER, e) < 0)
			goto out;
		bind_filter(&q, &f);
		q_int(&q, mq->after);
		q_int(&q, mq->per_page);
	} else {
		if (q_prepare(&q, c->db, SQL_LIST, e) < 0)
			goto out;
		bind_filter(&q, &f);
		q_int(&q, mq->per_page);
		q_int(&q, (int64_t)(mq->page - 1) * mq->per_page);
	}
	while ((r = q_step(&q, e)) == 1 && out->n < cap) {
		read_member(&q, a, &out->items[out->n]);
		if (mq->unpaged && mq->reveal && reveal_member(c, &q, a, &out->items[out->n], e) < 0)
			goto out;
		out->n++;
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_member_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, bool reveal,
		     struct member *out, struct err *e)
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
		err_set(e, ERR_NOT_FOUND, NULL, "党员不存在");
		goto out;
	}
	read_member(&q, a, out);
	if (reveal && reveal_member(c, &q, a, out, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_FIND_HASH[] = "SELECT id FROM members WHERE id_card_hash = ?";

int store_member_find_id_card(struct sconn *c, const char *id_card, int64_t *id_out, struct err *e)
{
	struct q q = Q_INIT;
	char h[65];
	int r;

	*id_out = 0;
	store_lookup_hash(c->s, id_card, h);
	if (q_prepare(&q, c->db, SQL_FIND_HASH, e) < 0)
		return -1;
	q_text(&q, h);
	r = q_step(&q, e);
	if (r == 1)
		*id_out = q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

int store_member_any(struct sconn *c, bool *any_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, "SELECT 1 FROM members LIMIT 1", e) < 0)
		return -1;
	r = q_step(&q, e);
	q_finish(&q);
	*any_out = r == 1;
	return r < 0 ? -1 : 0;
}

static const char SQL_INSERT[] =
	"INSERT INTO members (" MEMBER_INSERT_COLS ")"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_UPDATE[] =
	"UPDATE members SET org_id = ?, name = ?, gender = ?, ethnicity = ?, birth_date = ?,"
	" id_card_enc = ?, id_card_hash = ?, id_card_masked = ?, education = ?, phone_enc = ?,"
	" phone_masked = ?, native_place = ?, category = ?, status = ?, joined_on = ?,"
	" full_member_on = ?, work_unit = ?, job = ?, remarks = ?, org_path = ?, updated_at = ? WHERE id = ?";
static const char SQL_PATH_OF_ORG[] = "SELECT path FROM orgs WHERE id = ?";
static const char SQL_OLD[] =
	"SELECT org_id, org_path, status, gender, category, education, ethnicity, birth_date, state"
	" FROM members WHERE id = ?";

int member_org_path(struct sconn *c, int64_t org_id, char out[256], struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (c->path_cache_org == org_id) {
		memcpy(out, c->path_cache, 256);
		return 0;
	}
	if (q_prepare(&q, c->db, SQL_PATH_OF_ORG, e) < 0)
		return -1;
	q_int(&q, org_id);
	r = q_step(&q, e);
	if (r == 1)
		snprintf(out, 256, "%s", q_col_text(&q, 0));
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_field(e, "org_id", "所在党组织不存在");
	c->path_cache_org = org_id;
	memcpy(c->path_cache, out, 256);
	return 0;
}

int member_stored(struct sconn *c, int64_t id, struct member *m, char path[256], struct err *e)
{
	struct q q = Q_INIT;
	int r;

	memset(m, 0, sizeof(*m));
	if (q_prepare(&q, c->db, SQL_OLD, e) < 0)
		return -1;
	q_int(&q, id);
	r = q_step(&q, e);
	if (r == 1) {
		m->id = id;
		m->org_id = q_col_int(&q, 0);
		snprintf(path, 256, "%s", q_col_text(&q, 1));
		m->status = enum_from_json(status_enum, q_col_text(&q, 2));
		m->gender = enum_from_json(gender_enum, q_col_text(&q, 3));
		m->category = enum_from_json(category_enum, q_col_text(&q, 4));
		snprintf(m->education, sizeof(m->education), "%s", q_col_text(&q, 5));
		snprintf(m->ethnicity, sizeof(m->ethnicity), "%s", q_col_text(&q, 6));
		date_parse(q_col_text(&q, 7), &m->birth_date);
		m->state = enum_from_json(member_state_enum, q_col_text(&q, 8));
	}
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "党员不存在");
	return 0;
}

void member_seal(const struct store *s, const struct member *m, struct member_seal *out)
{
	out->id_enc = store_seal(s, m->id_card);
	out->ph_enc = m->phone && *m->phone ? store_seal(s, m->phone) : NULL;
	store_lookup_hash(s, m->id_card, out->hash);
}

void member_seal_release(struct member_seal *sl)
{
	free(sl->id_enc);
	free(sl->ph_enc);
	sl->id_enc = sl->ph_enc = NULL;
}

void member_bind(struct q *q, const struct member *m, const struct member_seal *sl)
{
	char masked[19], pmask[24];

	idcard_mask(m->id_card, masked);
	q_int(q, m->org_id);
	q_text(q, m->name);
	q_text(q, enum_json(gender_enum, m->gender));
	q_text(q, m->ethnicity);
	q_date(q, m->birth_date);
	q_text(q, sl->id_enc);
	q_text(q, sl->hash);
	q_text(q, masked);
	q_text(q, m->education);
	q_text(q, sl->ph_enc);
	if (sl->ph_enc) {
		phone_mask(m->phone, pmask, sizeof(pmask));
		q_text(q, pmask);
	} else {
		q_null(q);
	}
	q_text(q, m->native_place ? m->native_place : "");
	q_text(q, enum_json(category_enum, m->category));
	q_text(q, enum_json(status_enum, m->status));
	q_date(q, m->joined_on);
	q_date(q, m->full_member_on);
	q_text(q, m->work_unit ? m->work_unit : "");
	q_text(q, m->job ? m->job : "");
	q_text(q, m->remarks ? m->remarks : "");
}

static int check_duplicate(struct sconn *c, const struct member *m, struct err *e)
{
	int64_t other;

	if (store_member_find_id_card(c, m->id_card, &other, e) < 0)
		return -1;
	/* The member holding it may be outside the caller's scope: no id in the message. */
	if (other && other != m->id)
		return err_set(e, ERR_CONFLICT, "duplicate_id_card", "该身份证号已登记为党员");
	return 0;
}

int member_insert_sealed(struct sconn *c, struct member *m, const struct member_seal *sl, struct err *e)
{
	struct q q = Q_INIT;
	char now[21], path[256];
	int rc = -1, r;

	/* A bulk load checked duplicates while validating; the unique index still guards. */
	if ((!c->bulk && check_duplicate(c, m, e) < 0) || member_org_path(c, m->org_id, path, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	member_bind(&q, m, sl);
	q_text(&q, path);
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	m->id = q_col_int(&q, 0);
	q_finish(&q);
	if (c->figures)
		bulk_figures_add(c->figures, m->org_id, path, m);
	else if (!c->bulk && stats_member(c, path, m->org_id, m, +1, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_member_insert(struct sconn *c, struct member *m, struct err *e)
{
	struct member_seal sl;
	int rc;

	member_seal(c->s, m, &sl);
	rc = member_insert_sealed(c, m, &sl, e);
	member_seal_release(&sl);
	return rc;
}

int store_member_update(struct sconn *c, const struct member *m, struct err *e)
{
	struct q q = Q_INIT;
	struct member old;
	struct member_seal sl;
	char now[21], path[256], old_path[256];
	int rc = -1, r;

	if (check_duplicate(c, m, e) < 0 || member_stored(c, m->id, &old, old_path, e) < 0 ||
	    member_org_path(c, m->org_id, path, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	member_seal(c->s, m, &sl);
	member_bind(&q, m, &sl);
	q_text(&q, path);
	q_text(&q, now);
	q_int(&q, m->id);
	r = q_step(&q, e);
	member_seal_release(&sl);
	if (r < 0)
		goto out;
	q_finish(&q);
	/* PATCH leaves the state alone: members who are not counted stay out of the figures. */
	if (member_counted(old.state) && (stats_member(c, old_path, old.org_id, &old, -1, e) < 0 ||
					  stats_member(c, path, m->org_id, m, +1, e) < 0))
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_DELETE[] = "DELETE FROM members WHERE id = ?";
static const char SQL_UNLINK_USERS[] = "UPDATE users SET member_id = NULL WHERE member_id = ?";

int store_member_delete(struct sconn *c, int64_t id, struct err *e)
{
	struct q q = Q_INIT;
	struct member old;
	char old_path[256];
	int rc = -1;

	if (member_stored(c, id, &old, old_path, e) < 0 ||
	    (member_counted(old.state) && stats_member(c, old_path, old.org_id, &old, -1, e) < 0))
		goto out;
	if (q_prepare(&q, c->db, SQL_UNLINK_USERS, e) < 0)
		goto out;
	q_int(&q, id);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	if (c->db->drv->changes(c->db) > 0)
		store_auth_changed(c, NULL); /* a linked user's session names the member */
	if (q_prepare(&q, c->db, SQL_DELETE, e) < 0)
		goto out;
	q_int(&q, id);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_HIST_ADD[] =
	"INSERT INTO member_history (" MEMBER_HISTORY_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_HIST[] =
	"SELECT h.at, h.actor, h.action, h.from_org_id, h.to_org_id, f.name, t.name, h.detail"
	" FROM member_history h LEFT JOIN orgs f ON f.id = h.from_org_id LEFT JOIN orgs t ON t.id = h.to_org_id"
	" WHERE h.member_id = ? ORDER BY h.id DESC";

void member_history_bind(struct q *q, const struct actor *who, int64_t member_id, const char *at,
			 const char *action, int64_t from_org, int64_t to_org, const char *detail)
{
	q_int(q, member_id);
	q_text(q, at);
	q_id(q, who->user_id);
	q_text(q, who->name);
	q_text(q, action);
	q_id(q, from_org);
	q_id(q, to_org);
	q_text(q, detail ? detail : "");
}

int store_member_history_add(struct sconn *c, const struct actor *who, int64_t member_id, const char *action,
			     int64_t from_org, int64_t to_org, const char *detail, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_HIST_ADD, e) < 0)
		return -1;
	member_history_bind(&q, who, member_id, now, action, from_org, to_org, detail);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

int store_member_history(struct sconn *c, struct arena *a, int64_t member_id, struct member_event **out,
			 size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;
	size_t cap = 16;
	int rc = -1, r;

	*n_out = 0;
	*out = arena_alloc(a, cap * sizeof(**out));
	if (q_prepare(&q, c->db, SQL_HIST, e) < 0)
		goto out;
	q_int(&q, member_id);
	while ((r = q_step(&q, e)) == 1) {
		struct member_event *x;
		*out = arena_grow(a, *out, sizeof(**out), *n_out, &cap);
		x = &(*out)[(*n_out)++];
		x->at = q_col_dup(&q, 0, a);
		x->actor = q_col_dup(&q, 1, a);
		x->action = q_col_dup(&q, 2, a);
		x->from_org_id = q_col_int(&q, 3);
		x->to_org_id = q_col_int(&q, 4);
		x->from_org = q_null_at(&q, 5) ? NULL : q_col_dup(&q, 5, a);
		x->to_org = q_null_at(&q, 6) ? NULL : q_col_dup(&q, 6, a);
		x->detail = q_col_dup(&q, 7, a);
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}
