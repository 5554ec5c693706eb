/*
 * members_batch.c: members inserted MEMBER_BATCH at a time on PostgreSQL bulk
 * loads. Row by row, an import cost two round trips per member (the member,
 * its history row): 100,000 members took 21.5 s, nearly all of it waiting.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/err.h"

#include <pthread.h>

/* Built once; drivers cache prepared statements by the text's address, which stays put. */
static char sql_insert[64 + sizeof(MEMBER_INSERT_COLS) + MEMBER_BATCH * (4 + 3 * MEMBER_INSERT_NCOLS) + 64];
static char sql_history[64 + sizeof(MEMBER_HISTORY_COLS) + MEMBER_BATCH * (4 + 3 * MEMBER_HISTORY_NCOLS)];
static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build(void)
{
	snprintf(sql_insert, sizeof(sql_insert), "INSERT INTO members (%s) VALUES ", MEMBER_INSERT_COLS);
	q_values(sql_insert, sizeof(sql_insert) - 32, MEMBER_BATCH, MEMBER_INSERT_NCOLS);
	snprintf(sql_insert + strlen(sql_insert), 32, " RETURNING id, id_card_hash");
	snprintf(sql_history, sizeof(sql_history), "INSERT INTO member_history (%s) VALUES ",
		 MEMBER_HISTORY_COLS);
	q_values(sql_history, sizeof(sql_history), MEMBER_BATCH, MEMBER_HISTORY_NCOLS);
}

/* The batch row whose lookup hash the database returned: usually the next one. */
static int row_of(const struct member_seal *sl, int next, const char *hash)
{
	if (next < MEMBER_BATCH && !strcmp(sl[next].hash, hash))
		return next;
	for (int i = 0; i < MEMBER_BATCH; i++)
		if (!strcmp(sl[i].hash, hash))
			return i;
	return -1;
}

int member_insert_batch(struct sconn *c, const struct actor *who, struct member *ms,
			const struct member_seal *sl, const char *detail, struct err *e)
{
	struct q q = Q_INIT;
	char now[21], path[256];
	int rc = -1, r, got = 0;

	pthread_once(&built, build);
	store_now(now);
	if (q_prepare(&q, c->db, sql_insert, e) < 0)
		goto out;
	for (int i = 0; i < MEMBER_BATCH; i++) {
		if (member_org_path(c, ms[i].org_id, path, e) < 0)
			goto out;
		member_bind(&q, &ms[i], &sl[i]);
		q_text(&q, path);
		q_text(&q, now);
		q_text(&q, now);
		if (c->figures)
			bulk_figures_add(c->figures, ms[i].org_id, path, &ms[i]);
	}
	while ((r = q_step(&q, e)) == 1) {
		int i = row_of(sl, got, q_col_text(&q, 1));

		if (i < 0) {
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
			goto out;
		}
		ms[i].id = q_col_int(&q, 0);
		got++;
	}
	if (r < 0)
		goto out;
	if (got != MEMBER_BATCH) {
		err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	q_finish(&q);
	if (q_prepare(&q, c->db, sql_history, e) < 0)
		goto out;
	for (int i = 0; i < MEMBER_BATCH; i++)
		member_history_bind(&q, who, ms[i].id, now, "imported", 0, ms[i].org_id, detail);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}
