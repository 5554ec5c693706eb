/*
 * maint.c: maintenance operations: backup, integrity check, emptiness.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"

static const char SQL_VACUUM_INTO[] = "VACUUM INTO ?";
static const char SQL_INTEGRITY[] = "PRAGMA integrity_check";
static const char SQL_FK_CHECK[] = "PRAGMA foreign_key_check";
static const char SQL_ORG_COUNT[] = "SELECT COUNT(*) FROM orgs";

int store_backup(struct sconn *c, const char *path, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (c->db->drv->backend != DB_SQLITE)
		return err_set(e, ERR_BAD_REQUEST, NULL, "PostgreSQL 数据库请使用 pg_dump 备份");
	if (q_prepare(&q, c->db, SQL_VACUUM_INTO, e) < 0)
		return -1;
	q_text(&q, path);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

int store_integrity(struct sconn *c, struct arena *a, char **problem_out, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	*problem_out = NULL;
	if (c->db->drv->backend != DB_SQLITE)
		return 0;
	if (q_prepare(&q, c->db, SQL_INTEGRITY, e) < 0)
		goto out;
	while ((r = q_step(&q, e)) == 1)
		if (strcmp(q_col_text(&q, 0), "ok") != 0 && !*problem_out)
			*problem_out = arena_printf(a, "integrity_check: %s", q_col_text(&q, 0));
	if (r < 0)
		goto out;
	q_finish(&q);
	if (q_prepare(&q, c->db, SQL_FK_CHECK, e) < 0)
		goto out;
	while ((r = q_step(&q, e)) == 1)
		if (!*problem_out)
			*problem_out = arena_printf(a, "foreign key violation in table %s row %lld",
						    q_col_text(&q, 0), (long long)q_col_int(&q, 1));
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_org_count(struct sconn *c, int64_t *n_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_ORG_COUNT, e) < 0)
		return -1;
	r = q_step(&q, e);
	if (r == 1)
		*n_out = q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}
