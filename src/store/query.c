/*
 * query.c: the non-inline parts of query.h.
 */
#include "util/common.h"
#include "store/query.h"
#include "util/arena.h"
#include "util/err.h"

void q_id(struct q *q, int64_t v)
{
	if (v)
		q_int(q, v);
	else
		q_null(q);
}

void q_date(struct q *q, struct date d)
{
	char buf[11];

	if (!date_is_set(d)) {
		q_null(q);
		return;
	}
	date_format(d, buf);
	q_text(q, buf);
}

void q_opt_text(struct q *q, const char *v)
{
	if (v && *v)
		q_text(q, v);
	else
		q_null(q);
}

char *q_col_dup(struct q *q, int i, struct arena *a)
{
	return arena_strdup(a, q_col_text(q, i));
}

struct date q_col_date(struct q *q, int i)
{
	struct date d = DATE_NONE;

	if (!q_null_at(q, i))
		date_parse(q_col_text(q, i), &d);
	return d;
}

int q_collect(struct q *q, struct arena *a, size_t elem_size,
	      void (*read)(struct q *q, struct arena *a, void *elem), void **out, size_t *n_out,
	      struct err *e)
{
	size_t cap = 0;
	int r;

	*out = NULL;
	*n_out = 0;
	while ((r = q_step(q, e)) == 1) {
		*out = arena_grow(a, *out, elem_size, *n_out, &cap);
		read(q, a, (char *)*out + *n_out * elem_size);
		(*n_out)++;
	}
	q_finish(q);
	return r < 0 ? -1 : 0;
}

int q_one(struct q *q, struct arena *a, void (*read)(struct q *q, struct arena *a, void *elem), void *elem,
	  bool *found, struct err *e)
{
	int r = q_step(q, e);

	*found = r == 1;
	if (r == 1)
		read(q, a, elem);
	q_finish(q);
	return r < 0 ? -1 : 0;
}

void q_values(char *out, size_t cap, int nrows, int ncols)
{
	size_t len = strlen(out);

	for (int r = 0; r < nrows && len < cap; r++) {
		len += (size_t)snprintf(out + len, cap - len, "%s(", r ? ", " : "");
		for (int k = 0; k < ncols && len < cap; k++)
			len += (size_t)snprintf(out + len, cap - len, "%s?", k ? ", " : "");
		if (len < cap)
			len += (size_t)snprintf(out + len, cap - len, ")");
	}
	if (len >= cap)
		BUG("q_values: buffer of %zu bytes too small", cap);
}

int q_exec_simple(struct db *db, const char *sql, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (q_prepare(&q, db, sql, e) < 0)
		return -1;
	while ((rc = q_step(&q, e)) == 1)
		;
	q_finish(&q);
	return rc;
}
