/*
 * stats_bulk.c: the figures of the members a bulk load inserts, summed in
 * memory and written once at its commit. Per-row upkeep costs
 * seven upserts at every level of the tree for each member; the SQL
 * rebuild, which bulk loads used before, grouped the whole members table
 * once per dimension (measured on a 1M-row import: 12 s; a one-pass
 * recount in C still 7.5 s, most of it rescanning the rows just written).
 *
 * Only inserts are summed here; every other change made during the load
 * (state changes, member moves) keeps its own per-row upkeep in org_stats.
 * All of it is addition, so the table plus these sums is exact at the
 * commit. Moving an organisation is not: the sums would roll up the paths
 * they saw, so a move discards them and the commit rebuilds in SQL.
 * The SQL rebuild in stats.c stays the reference: `dangjian check`.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/xalloc.h"

#include <pthread.h>

/* (dimension, key) pairs are interned to small ids: kid = index in keys[]. */
#define KID_BITS 12
#define KID_MAX (1u << KID_BITS)

/* Open addressing from a non-zero 64-bit key to a count (or an index). */
struct u64map {
	uint64_t *keys; /* 0: empty */
	int64_t *vals;
	size_t cap, used;
};

struct bulk_figures {
	struct arena *a;
	struct {
		const char *dim, *key;
	} keys[KID_MAX];
	unsigned nkeys;
	bool overflow;         /* more (dim, key) pairs than KID_MAX, or a tree move: rebuild instead */
	struct u64map own;     /* org_id << KID_BITS | kid -> members of that org */
	struct u64map org_ids; /* org_id -> index in paths */
	const char **paths;
	size_t npaths, paths_cap;
	int64_t last_org;
	unsigned short kid_of[2 * KID_MAX]; /* hash of (dim, key) -> kid, 0 = empty */
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static void map_init(struct u64map *m, size_t cap)
{
	m->cap = cap;
	m->used = 0;
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->vals = xcalloc(cap, sizeof(*m->vals));
}

static void map_release(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* The slot of key k, inserted with value 0 when missing. */
static int64_t *map_slot(struct u64map *m, uint64_t k)
{
	size_t i;

	if (2 * (m->used + 1) > m->cap) {
		struct u64map old = *m;
		map_init(m, 2 * old.cap);
		for (size_t j = 0; j < old.cap; j++)
			if (old.keys[j])
				*map_slot(m, old.keys[j]) = old.vals[j];
		map_release(&old);
	}
	for (i = mix(k) & (m->cap - 1); m->keys[i] && m->keys[i] != k; i = (i + 1) & (m->cap - 1))
		;
	if (!m->keys[i]) {
		m->keys[i] = k;
		m->used++;
	}
	return &m->vals[i];
}

struct bulk_figures *bulk_figures_new(void)
{
	struct bulk_figures *b = xcalloc(1, sizeof(*b));

	b->a = arena_new();
	map_init(&b->own, 1 << 12);
	map_init(&b->org_ids, 1 << 10);
	return b;
}

void bulk_figures_free(struct bulk_figures *b)
{
	if (!b)
		return;
	map_release(&b->own);
	map_release(&b->org_ids);
	free(b->paths);
	arena_free(b->a);
	free(b);
}

/* The interned id of (dim, key); dim is one of the DIM_ constants. 0 on overflow. */
static unsigned intern(struct bulk_figures *b, const char *dim, const char *key)
{
	uint64_t h = (uint64_t)(uintptr_t)dim;
	size_t i;

	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	for (i = mix(h) & (2 * KID_MAX - 1); b->kid_of[i]; i = (i + 1) & (2 * KID_MAX - 1)) {
		unsigned kid = b->kid_of[i];
		if (b->keys[kid].dim == dim && !strcmp(b->keys[kid].key, key))
			return kid;
	}
	if (!b->nkeys)
		b->nkeys = 1; /* id 0 means "none" */
	if (b->nkeys == KID_MAX) {
		b->overflow = true;
		return 0;
	}
	b->keys[b->nkeys].dim = dim;
	b->keys[b->nkeys].key = arena_strdup(b->a, key);
	b->kid_of[i] = (unsigned short)b->nkeys;
	return b->nkeys++;
}

static const char DIM_DIRECT[] = "direct", DIM_STATUS[] = "status", DIM_GENDER[] = "gender",
		  DIM_CATEGORY[] = "category", DIM_EDUCATION[] = "education", DIM_ETHNICITY[] = "ethnicity",
		  DIM_BIRTH_YEAR[] = "birth_year";

static void count(struct bulk_figures *b, int64_t org_id, const char *dim, const char *key)
{
	unsigned kid = intern(b, dim, key);

	if (kid)
		++*map_slot(&b->own, (uint64_t)org_id << KID_BITS | kid);
}

void bulk_figures_add(struct bulk_figures *b, int64_t org_id, const char *org_path, const struct member *m)
{
	char edu[3] = { m->education[0], '0', '\0' }, year[8];

	if (org_id != b->last_org) {
		int64_t *slot = map_slot(&b->org_ids, (uint64_t)org_id);
		if (!*slot) {
			if (b->npaths == b->paths_cap) {
				b->paths_cap = b->paths_cap ? 2 * b->paths_cap : 256;
				b->paths = xrealloc(b->paths, b->paths_cap * sizeof(*b->paths));
			}
			b->paths[b->npaths++] = arena_strdup(b->a, org_path);
			*slot = (int64_t)b->npaths; /* index + 1 */
		}
		b->last_org = org_id;
	}
	snprintf(year, sizeof(year), "%04d", m->birth_date.y);
	count(b, org_id, DIM_DIRECT, enum_json(status_enum, m->status));
	count(b, org_id, DIM_STATUS, enum_json(status_enum, m->status));
	count(b, org_id, DIM_GENDER, enum_json(gender_enum, m->gender));
	count(b, org_id, DIM_CATEGORY, enum_json(category_enum, m->category));
	count(b, org_id, DIM_EDUCATION, edu);
	count(b, org_id, DIM_ETHNICITY, m->ethnicity);
	count(b, org_id, DIM_BIRTH_YEAR, year);
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static const char SQL_UPSERT[] = "INSERT INTO org_stats (org_id, dim, key, n) VALUES (?, ?, ?, ?)"
				 " ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_stats.n + excluded.n";

/* PostgreSQL: this many sums per statement (a round trip each), built once. */
#define UPSERT_BATCH 200
static char sql_upsert_batch[128 + UPSERT_BATCH * 16];
static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build(void)
{
	snprintf(sql_upsert_batch, sizeof(sql_upsert_batch),
		 "INSERT INTO org_stats (org_id, dim, key, n) VALUES ");
	q_values(sql_upsert_batch, sizeof(sql_upsert_batch) - 100, UPSERT_BATCH, 4);
	snprintf(sql_upsert_batch + strlen(sql_upsert_batch), 100,
		 " ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_stats.n + excluded.n");
}

/* Upserts the sums order[0..k) (k is 1 or UPSERT_BATCH; the keys are distinct). */
static int upsert(struct sconn *c, const struct bulk_figures *b, struct u64map *all, const uint64_t *order,
		  size_t k, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, k == 1 ? SQL_UPSERT : sql_upsert_batch, e) < 0)
		return -1;
	for (size_t i = 0; i < k; i++) {
		unsigned kid = (unsigned)(order[i] & (KID_MAX - 1));

		q_int(&q, (int64_t)(order[i] >> KID_BITS));
		q_text(&q, b->keys[kid].dim);
		q_text(&q, b->keys[kid].key);
		q_int(&q, *map_slot(all, order[i]));
	}
	r = q_step(&q, e);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}

/* Adds every sum at the member's organisation ('direct') or at each one on its path (the rest). */
int bulk_figures_apply(struct sconn *c, struct bulk_figures *b, struct err *e)
{
	struct u64map all;
	uint64_t *order = NULL;
	size_t n = 0, batch;
	int rc = -1;

	map_init(&all, 1 << 12);
	for (size_t i = 0; i < b->own.cap; i++) {
		uint64_t k = b->own.keys[i];
		int64_t org_id = (int64_t)(k >> KID_BITS);
		unsigned kid = (unsigned)(k & (KID_MAX - 1));
		const char *p;
		char *end;

		if (!k)
			continue;
		if (b->keys[kid].dim == DIM_DIRECT) {
			*map_slot(&all, k) += b->own.vals[i];
			continue;
		}
		p = b->paths[*map_slot(&b->org_ids, (uint64_t)org_id) - 1];
		while (*p == '/' && p[1]) {
			long long id = strtoll(p + 1, &end, 10);
			if (*end != '/' || id <= 0)
				break;
			*map_slot(&all, (uint64_t)id << KID_BITS | kid) += b->own.vals[i];
			p = end;
		}
	}
	/* In key order: each organisation's rows are neighbours in org_stats' primary key too. */
	order = xmalloc((all.used ? all.used : 1) * sizeof(*order));
	for (size_t i = 0; i < all.cap; i++)
		if (all.keys[i])
			order[n++] = all.keys[i];
	qsort(order, n, sizeof(*order), cmp_u64);
	/* SQLite: one statement per sum (no round trips); PostgreSQL: UPSERT_BATCH per statement. */
	batch = c->db->drv->backend == DB_PG ? UPSERT_BATCH : 1;
	if (batch > 1)
		pthread_once(&built, build);
	for (size_t i = 0; i < n;) {
		size_t k = n - i >= batch ? batch : 1;

		if (upsert(c, b, &all, order + i, k, e) < 0)
			goto out;
		i += k;
	}
	rc = 0;
out:
	free(order);
	map_release(&all);
	return rc;
}

bool bulk_figures_overflowed(const struct bulk_figures *b)
{
	return b->overflow;
}

void bulk_figures_discard(struct bulk_figures *b)
{
	b->overflow = true;
}
