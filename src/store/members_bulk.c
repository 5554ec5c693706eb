/*
 * members_bulk.c: many members inserted at once (imports). Sealing the
 * identity and phone numbers (SM4 + HMAC-SM3, twice, and the lookup hash)
 * cost as much as the inserts themselves (measured: about 16% of a
 * 200k-row import in libcrypto alone), so a second thread seals ahead while
 * this one inserts, in order, in the caller's transaction.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/err.h"
#include "util/xalloc.h"

/* Below this many rows a thread is not worth starting. */
#define THREAD_MIN 256
/* The sealer reports progress every this many rows. */
#define BATCH 64

struct sealer {
	const struct store *s;
	const struct member *members;
	struct member_seal *out;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t done; /* rows sealed so far (under mu) */
	bool stop;   /* the inserter gave up (under mu) */
};

static void *seal_run(void *p)
{
	struct sealer *x = p;

	for (size_t i = 0; i < x->n; i++) {
		member_seal(x->s, &x->members[i], &x->out[i]);
		if ((i + 1) % BATCH == 0 || i + 1 == x->n) {
			bool stop;
			pthread_mutex_lock(&x->mu);
			x->done = i + 1;
			stop = x->stop;
			pthread_cond_signal(&x->cv);
			pthread_mutex_unlock(&x->mu);
			if (stop)
				break;
		}
	}
	return NULL;
}

/* Waits until row i is sealed. */
static void wait_sealed(struct sealer *x, size_t i)
{
	pthread_mutex_lock(&x->mu);
	while (x->done <= i)
		pthread_cond_wait(&x->cv, &x->mu);
	pthread_mutex_unlock(&x->mu);
}

static int insert_one(struct sconn *c, const struct actor *who, struct member *m,
		      const struct member_seal *sl, const char *detail, struct err *e)
{
	if (member_insert_sealed(c, m, sl, e) < 0 ||
	    store_member_history_add(c, who, m->id, "imported", 0, m->org_id, detail, e) < 0)
		return -1;
	return 0;
}

int store_member_insert_many(struct sconn *c, const struct actor *who, struct member *members, size_t n,
			     const char *detail, struct err *e)
{
	struct sealer x = { .s = c->s, .members = members, .n = n };
	pthread_t t;
	bool threaded = false;
	size_t i = 0;
	int rc = -1;

	if (n >= THREAD_MIN) {
		x.out = xcalloc(n, sizeof(*x.out));
		pthread_mutex_init(&x.mu, NULL);
		pthread_cond_init(&x.cv, NULL);
		threaded = pthread_create(&t, NULL, seal_run, &x) == 0;
		if (!threaded) {
			pthread_cond_destroy(&x.cv);
			pthread_mutex_destroy(&x.mu);
			free(x.out);
		}
	}
	if (!threaded) {
		for (; i < n; i++) {
			struct member_seal sl;
			int r;

			member_seal(c->s, &members[i], &sl);
			r = insert_one(c, who, &members[i], &sl, detail, e);
			member_seal_release(&sl);
			if (r < 0)
				return -1;
		}
		return 0;
	}
	/* PostgreSQL bulk loads go MEMBER_BATCH rows per statement (members_batch.c). */
	if (c->bulk && c->db->drv->backend == DB_PG) {
		for (; n - i >= MEMBER_BATCH; i += MEMBER_BATCH) {
			wait_sealed(&x, i + MEMBER_BATCH - 1);
			if (member_insert_batch(c, who, &members[i], &x.out[i], detail, e) < 0)
				goto out;
			for (size_t k = i; k < i + MEMBER_BATCH; k++)
				member_seal_release(&x.out[k]);
		}
	}
	for (; i < n; i++) {
		wait_sealed(&x, i);
		if (insert_one(c, who, &members[i], &x.out[i], detail, e) < 0)
			goto out;
		member_seal_release(&x.out[i]);
	}
	rc = 0;
out:
	pthread_mutex_lock(&x.mu);
	x.stop = true;
	pthread_mutex_unlock(&x.mu);
	pthread_join(t, NULL);
	/* Rows never sealed are zeroed (xcalloc): releasing them is a no-op. */
	for (; i < n; i++)
		member_seal_release(&x.out[i]);
	pthread_cond_destroy(&x.cv);
	pthread_mutex_destroy(&x.mu);
	free(x.out);
	return rc;
}
