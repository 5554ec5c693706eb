/*
 * stats.c: per-organisation figures (org_stats) kept in step with every
 * member change inside the same transaction: each member counts once at
 * every ancestor of its organisation in each dimension, and once at its
 * own organisation under 'direct'. Only members in the counted states
 * (active, lost) are figures. A rebuild recomputes everything from
 * the members table; the check compares the two.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"

static const char SQL_UPSERT[] = "INSERT INTO org_stats (org_id, dim, key, n) VALUES (?, ?, ?, ?)"
				 " ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_stats.n + excluded.n";

static int upsert(struct sconn *c, int64_t org_id, const char *dim, const char *key, int64_t n, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (q_prepare(&q, c->db, SQL_UPSERT, e) < 0)
		return -1;
	q_int(&q, org_id);
	q_text(&q, dim);
	q_text(&q, key);
	q_int(&q, n);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

/* Calls fn for every organisation id in a materialised path, root first. */
static int each_ancestor(const char *path, int (*fn)(int64_t id, void *ctx), void *ctx)
{
	const char *p = path;
	char *end;

	while (*p == '/' && p[1]) {
		long long id = strtoll(p + 1, &end, 10);
		if (*end != '/' || id <= 0)
			break;
		if (fn(id, ctx) < 0)
			return -1;
		p = end;
	}
	return 0;
}

struct member_delta {
	struct sconn *c;
	const struct member *m;
	int delta;
	struct err *e;
};

static int member_at(int64_t id, void *ctx)
{
	struct member_delta *d = ctx;
	const struct member *m = d->m;
	char edu[3] = { m->education[0], '0', '\0' }, year[5];

	snprintf(year, sizeof(year), "%04d", m->birth_date.y);
	if (upsert(d->c, id, "status", enum_json(status_enum, m->status), d->delta, d->e) < 0 ||
	    upsert(d->c, id, "gender", enum_json(gender_enum, m->gender), d->delta, d->e) < 0 ||
	    upsert(d->c, id, "category", enum_json(category_enum, m->category), d->delta, d->e) < 0 ||
	    upsert(d->c, id, "education", edu, d->delta, d->e) < 0 ||
	    upsert(d->c, id, "ethnicity", m->ethnicity, d->delta, d->e) < 0 ||
	    upsert(d->c, id, "birth_year", year, d->delta, d->e) < 0)
		return -1;
	return 0;
}

int stats_member(struct sconn *c, const char *org_path, int64_t org_id, const struct member *m, int delta,
		 struct err *e)
{
	struct member_delta d = { c, m, delta, e };

	if (upsert(c, org_id, "direct", enum_json(status_enum, m->status), delta, e) < 0)
		return -1;
	return each_ancestor(org_path, member_at, &d);
}

struct org_shift {
	struct sconn *c;
	int64_t self;
	struct org_stat *rows;
	size_t n;
	int sign;
	struct err *e;
};

static int shift_at(int64_t id, void *ctx)
{
	struct org_shift *s = ctx;

	if (id == s->self)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (upsert(s->c, id, s->rows[i].dim, s->rows[i].key, s->sign * s->rows[i].n, s->e) < 0)
			return -1;
	return 0;
}

static const char SQL_ORG_ROWS[] =
	"SELECT dim, key, n FROM org_stats WHERE org_id = ? AND dim <> 'direct' AND n <> 0 ORDER BY dim, key";

static int org_rows(struct sconn *c, struct arena *a, int64_t org_id, struct org_stat **out, size_t *n_out,
		    struct err *e)
{
	struct q q = Q_INIT;
	size_t cap = 64;
	int rc = -1, r;

	*n_out = 0;
	*out = arena_alloc(a, cap * sizeof(**out));
	if (q_prepare(&q, c->db, SQL_ORG_ROWS, e) < 0)
		goto out;
	q_int(&q, org_id);
	while ((r = q_step(&q, e)) == 1) {
		struct org_stat *x;
		*out = arena_grow(a, *out, sizeof(**out), *n_out, &cap);
		x = &(*out)[(*n_out)++];
		x->dim = q_col_dup(&q, 0, a);
		x->key = q_col_dup(&q, 1, a);
		x->n = q_col_int(&q, 2);
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int stats_move_org(struct sconn *c, struct arena *a, int64_t org_id, const char *old_path,
		   const char *new_path, struct err *e)
{
	struct org_shift s = { c, org_id, NULL, 0, -1, e };

	if (org_rows(c, a, org_id, &s.rows, &s.n, e) < 0)
		return -1;
	if (each_ancestor(old_path, shift_at, &s) < 0)
		return -1;
	s.sign = 1;
	return each_ancestor(new_path, shift_at, &s);
}

int store_org_stats(struct sconn *c, struct arena *a, const char *scope, int64_t org_id,
		    struct org_stat **rows_out, size_t *n_out, struct err *e)
{
	struct org o;

	if (store_org_get(c, a, scope, org_id, &o, e) < 0)
		return -1;
	return org_rows(c, a, org_id, rows_out, n_out, e);
}

/*
 * The rebuild counts each organisation's own members once per dimension
 * (one pass over members each), then adds those small per-organisation
 * counts up every subtree: joining members to all their ancestors instead
 * cost a pass per dimension per tree level (measured: 2.8 s of a 100k-row
 * import went here, now about a third of that).
 */
/* clang-format off */
#define DIRECT(dim, expr) \
	"SELECT org_id, '" dim "' AS dim, " expr " AS key, COUNT(*) AS n FROM members m" \
	" WHERE " MEMBER_COUNTED_SQL " GROUP BY org_id, " expr

static const char *const rebuild_sql[] = {
	"DELETE FROM org_stats",
	"INSERT INTO org_stats (org_id, dim, key, n)"
	" SELECT org_id, 'direct', status, COUNT(*) FROM members m WHERE " MEMBER_COUNTED_SQL
	" GROUP BY org_id, status",
	"INSERT INTO org_stats (org_id, dim, key, n)"
	" WITH d AS MATERIALIZED (" DIRECT("status", "status")
	" UNION ALL " DIRECT("gender", "gender")
	" UNION ALL " DIRECT("category", "category")
	" UNION ALL " DIRECT("education", "substr(education, 1, 1) || '0'")
	" UNION ALL " DIRECT("ethnicity", "ethnicity")
	" UNION ALL " DIRECT("birth_year", "substr(birth_date, 1, 4)") ")"
	/* CROSS JOIN fixes the order for SQLite: each organisation, the range of
	 * its subtree on the path index, then the counts (an automatic index). */
	" SELECT a.id, d.dim, d.key, SUM(d.n) FROM orgs a CROSS JOIN orgs o CROSS JOIN d"
	" WHERE o.path >= a.path AND o.path < substr(a.path, 1, length(a.path) - 1) || '0'"
	" AND d.org_id = o.id"
	" GROUP BY a.id, d.dim, d.key",
};
/* clang-format on */

/* Recomputes org_stats inside the caller's transaction. */
static int rebuild(struct sconn *c, struct err *e)
{
	for (size_t i = 0; i < ARRAY_SIZE(rebuild_sql); i++)
		if (q_exec_simple(c->db, rebuild_sql[i], e) < 0)
			return -1;
	return 0;
}

int store_stats_rebuild(struct sconn *c, struct err *e)
{
	if (store_begin(c, e) < 0)
		return -1;
	if (rebuild(c, e) < 0 || store_commit(c, e) < 0) {
		store_rollback(c);
		return -1;
	}
	return 0;
}

static const char SQL_SNAPSHOT[] =
	"CREATE TEMP TABLE org_stats_kept AS SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0";
static const char SQL_DIFF[] =
	"SELECT (SELECT COUNT(*) FROM (SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0"
	"  EXCEPT SELECT org_id, dim, key, n FROM org_stats_kept) x),"
	" (SELECT COUNT(*) FROM (SELECT org_id, dim, key, n FROM org_stats_kept"
	"  EXCEPT SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0) y)";

int store_stats_verify(struct sconn *c, int64_t *diffs_out, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	*diffs_out = 0;
	if (store_begin(c, e) < 0)
		return -1;
	if (q_exec_simple(c->db, SQL_SNAPSHOT, e) < 0 || rebuild(c, e) < 0)
		goto out;
	if (q_prepare(&q, c->db, SQL_DIFF, e) < 0)
		goto out;
	if ((r = q_step(&q, e)) < 0)
		goto out;
	if (r == 1)
		*diffs_out = q_col_int(&q, 0) + q_col_int(&q, 1);
	rc = 0;
out:
	q_finish(&q);
	/* Always roll back: the check must not change anything (the temp table goes too). */
	store_rollback(c);
	return rc;
}

int store_bulk_begin(struct sconn *c, struct err *e)
{
	/* A bulk load touches the indexes all over: give SQLite a big page cache for it. */
	if (c->db->drv->backend == DB_SQLITE && c->db->drv->exec(c->db, "PRAGMA cache_size = -262144", e) < 0)
		return -1;
	store_read_end(c);
	/* Alone on the database (a command-line load): through a rollback journal. Measured on
	 * a 1M-member load: the WAL's second copy of every page cost 12 of 29 s of writing. */
	c->bulk_journal =
		c->s->bulk_alone && c->db->drv->bulk_journal && c->db->drv->bulk_journal(c->db, true);
	if (c->bulk_journal)
		log_info("store",
			 "bulk load alone on the database: through a rollback journal until it ends");
	if (store_begin(c, e) < 0) {
		store_bulk_end(c);
		return -1;
	}
	c->bulk = true;
	c->figures = bulk_figures_new();
	return 0;
}

int store_bulk_commit(struct sconn *c, struct err *e)
{
	struct bulk_figures *sums = c->figures;
	bool summed = sums && !bulk_figures_overflowed(sums);
	int rc = 0;

	c->bulk = false;
	c->figures = NULL;
	/* PostgreSQL plans a rebuild from table statistics, which know nothing of the rows
	 * this transaction added: without them it nested-looped the counts for minutes. */
	if (!summed && c->db->drv->backend == DB_PG && q_exec_simple(c->db, "ANALYZE orgs, members", e) < 0) {
		bulk_figures_free(sums);
		store_rollback(c);
		return -1;
	}
	/* The inserts' figures summed in memory (stats_bulk.c), else recomputed in SQL. */
	if ((summed ? bulk_figures_apply(c, sums, e) : rebuild(c, e)) < 0 || store_commit(c, e) < 0) {
		store_rollback(c);
		rc = -1;
	}
	bulk_figures_free(sums);
	if (rc == 0) {
		/* Fresh statistics after a bulk load: PostgreSQL otherwise plans the subtree lists
		 * for an empty table (bench/backends measured 16 ms instead of 0.3 ms a page). On
		 * PostgreSQL a VACUUM too: the load updates every organisation row once (its path),
		 * and until autovacuum came by each page's lookup stepped over the dead versions
		 * (bench/backends: 4,455 req/s before, 5,638 after). */
		struct err ignore = ERR_INIT;
		/* SQLite: sampled (analysis_limit), a full ANALYZE read every index of 1M members (1 s). */
		c->db->drv->exec(c->db,
				 c->db->drv->backend == DB_PG ? "VACUUM ANALYZE"
							      : "PRAGMA analysis_limit=1000; ANALYZE",
				 &ignore);
	}
	if (c->db->drv->backend == DB_SQLITE)
		store_bulk_end(c);
	return rc;
}

void store_bulk_end(struct sconn *c)
{
	struct err ignore = ERR_INIT;

	if (c->db->drv->backend != DB_SQLITE)
		return;
	c->db->drv->exec(c->db, "PRAGMA cache_size = -8192", &ignore);
	if (c->bulk_journal)
		c->db->drv->bulk_journal(c->db, false);
	c->bulk_journal = false;
}
