/*
 * query.h: a thin cursor over db.h used by every store query: bind values
 * in order, step, read columns, finish. The shape follows sqlite3_exec:
 * prepare, bind, step until done, finish after the cleanup label.
 *
 *	struct q q = Q_INIT;
 *	if (q_prepare(&q, db, SQL_GET, e) < 0) goto out;
 *	q_int(&q, id);
 *	rc = q_step(&q, e);
 *   out:
 *	q_finish(&q);
 */
#ifndef DJ_STORE_QUERY_H
#define DJ_STORE_QUERY_H

#include "core/date.h"
#include "store/db.h"

struct arena;

struct q {
	struct db *db;
	struct db_stmt *st;
	int nbind;
};

#define Q_INIT \
	{ \
		NULL, NULL, 0 \
	}

static inline int q_prepare(struct q *q, struct db *db, const char *sql, struct err *e)
{
	q->db = db;
	q->nbind = 0;
	return db->drv->prepare(db, sql, &q->st, e);
}
static inline void q_int(struct q *q, int64_t v)
{
	q->db->drv->bind_int(q->st, ++q->nbind, v);
}
static inline void q_text(struct q *q, const char *v)
{
	q->db->drv->bind_text(q->st, ++q->nbind, v);
}
static inline void q_null(struct q *q)
{
	q->db->drv->bind_null(q->st, ++q->nbind);
}
/* Binds NULL for 0. */
void q_id(struct q *q, int64_t v);
/* Binds YYYY-MM-DD, or NULL for an unset date. */
void q_date(struct q *q, struct date d);
/* Binds NULL for NULL or "". */
void q_opt_text(struct q *q, const char *v);
static inline int q_step(struct q *q, struct err *e)
{
	return q->db->drv->step(q->st, e);
}
static inline bool q_null_at(struct q *q, int i)
{
	return q->db->drv->col_null(q->st, i);
}
static inline int64_t q_col_int(struct q *q, int i)
{
	return q->db->drv->col_int(q->st, i);
}
static inline const char *q_col_text(struct q *q, int i)
{
	return q->db->drv->col_text(q->st, i);
}
/* Column text copied into the arena ("" for NULL). */
char *q_col_dup(struct q *q, int i, struct arena *a);
struct date q_col_date(struct q *q, int i);
static inline void q_finish(struct q *q)
{
	if (q->st)
		q->db->drv->finalize(q->st);
	q->st = NULL;
}
/*
 * Steps through every row, growing an arena array of elem_size elements and
 * letting read() fill each. *out and *n_out start empty. Finishes the query.
 */
int q_collect(struct q *q, struct arena *a, size_t elem_size,
	      void (*read)(struct q *q, struct arena *a, void *elem), void **out, size_t *n_out,
	      struct err *e);
/*
 * Steps once: when a row comes, read() fills *elem and *found is true.
 * Finishes the query.
 */
int q_one(struct q *q, struct arena *a, void (*read)(struct q *q, struct arena *a, void *elem), void *elem,
	  bool *found, struct err *e);
/*
 * Appends nrows parenthesised groups of ncols placeholders ("(?, ?), (?, ?)")
 * to the text in out, for multi-row INSERTs built once at start-up. Fails
 * hard (BUG) when cap is too small.
 */
void q_values(char *out, size_t cap, int nrows, int ncols);
/* Prepares, binds nothing, steps to the end: for statements without rows. */
int q_exec_simple(struct db *db, const char *sql, struct err *e);

#endif
