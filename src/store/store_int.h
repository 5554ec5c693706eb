/*
 * store_int.h: what the store's own files share (SQLite's btreeInt.h):
 * the store and connection structs and small helpers. Not for http/ or cli/.
 */
#ifndef DJ_STORE_INT_H
#define DJ_STORE_INT_H

#include <pthread.h>

#include "store/query.h"
#include "store/store.h"
#include "util/crypto.h"

struct store {
	char *url;
	const struct db_driver *drv;
	struct crypto_keys keys;
	unsigned pbkdf2_iterations;
	pthread_key_t conn_key;
	struct session_cache *sessions; /* NULL: every lookup reads the database */
	struct db_listener *listener;   /* feeds sessions */
	bool bulk_alone; /* store_bulk_alone: a bulk load may take a SQLite database to itself */
};

struct sconn {
	struct store *s;
	struct db *db;
	bool in_tx;
	bool in_read; /* store_read_begin: a read transaction spanning a request's queries */
	bool bulk;    /* store_bulk_begin: figures of inserts summed in memory, or rebuilt at the end */
	struct bulk_figures *figures; /* the sums while bulk; NULL: rebuild */
	bool bulk_journal;            /* this bulk load switched SQLite to a rollback journal (db.h) */
	/* The last organisation path looked up for a member write (imports come grouped by org);
	 * cleared whenever organisations move or go. */
	int64_t path_cache_org;
	char path_cache[256];
	uint64_t commits; /* transactions committed on this connection (store_commits) */
	/* store_auth_changed in the open transaction: 0 none, 1 the session auth_hash, 2 all. */
	int auth_pending;
	char auth_hash[65];
};

/* ---- session_cache.c: valid sessions in memory while the database notifies changes ---- */
/* The channel the triggers of migration 0011 notify. */
#define SESSION_CHANNEL "dangjian_auth"
struct session_cache *scache_new(void);
void scache_free(struct session_cache *sc);
/* The listener's link: up turns the cache on, down off; both empty it. */
void scache_link(struct session_cache *sc, bool up);
/* A notification's payload: "s" + token hash drops that session, anything else all. */
void scache_note(struct session_cache *sc, const char *payload);
/* Drops one session by token hash, or every entry (hash NULL). sc may be NULL. */
void scache_drop(struct session_cache *sc, const char *hash);
/* Taken before reading the database, handed to scache_put; 0 while off (or sc NULL). */
uint64_t scache_gen(struct session_cache *sc);
/* A session seen less than fresh seconds before now, copied into the arena. */
bool scache_get(struct session_cache *sc, const char *hash, int64_t now, int64_t fresh, struct arena *a,
		struct user *out, char **csrf_out);
/* Keeps a session read from the database, unless anything was dropped since gen was taken. */
void scache_put(struct session_cache *sc, uint64_t gen, const char *hash, const struct user *u,
		const char *csrf, int64_t last_seen);

/*
 * Sessions, users or organisations changed on this connection (call after
 * the statement): drops the cached sessions concerned now, and again when the
 * open transaction commits, since a lookup in between may read the old rows.
 * hash: one session's token hash; NULL: all of them.
 */
void store_auth_changed(struct sconn *c, const char *hash);

/* Timestamp "now" as RFC 3339 into buf. */
void store_now(char buf[static 21]);
/* HMAC-SM3 keyed lookup hash of a value (64 hex + NUL). */
void store_lookup_hash(const struct store *s, const char *value, char out[65]);
/* Seals a value (new string, caller frees). */
char *store_seal(const struct store *s, const char *plain);
/* Unseals into the arena; NULL when tampered. */
char *store_unseal(const struct store *s, struct arena *a, const char *sealed);
/* "[lo, hi)" bounds of the subtree below a path "/1/5/": lo = path, hi = path with last '/' -> '0'. */
char *store_path_hi(struct arena *a, const char *path);

/* '%text%' with LIKE's wildcards escaped by a backslash (SQL: ESCAPE '\\'), in the arena. */
char *store_like_pattern(struct arena *a, const char *text);
/* Is a member in this state (enum member_state, 0 = active) counted in figures and lists? */
static inline bool member_counted(int state)
{
	return state == MSTATE_NONE || state == MSTATE_ACTIVE || state == MSTATE_LOST;
}
/* The SQL condition on members alias m for the counted states (keep in step with member_counted). */
#define MEMBER_COUNTED_SQL "m.state IN ('active', 'lost')"
/*
 * Seals the contact of every mobile-member record still holding it in plain
 * text (written before migration 0010, or by an older program since) and
 * empties the plain column, in one transaction. Run by store_open after the
 * migrations: SQL cannot seal, the key is only in the program.
 */
int store_mobile_seal_plain(struct sconn *c, struct err *e);
/* The materialised path of an organisation into out (ERR_VALIDATION on org_id when missing). */
int member_org_path(struct sconn *c, int64_t org_id, char out[256], struct err *e);
/*
 * The stored values the figures count of member id (org_id, status, gender,
 * category, education, ethnicity, birth_date, state) and its org path;
 * ERR_NOT_FOUND when there is no such member.
 */
int member_stored(struct sconn *c, int64_t id, struct member *m, char path[256], struct err *e);

/* Counts member m (+1 or -1 as delta) at org_id ('direct') and every ancestor in org_path. */
int stats_member(struct sconn *c, const char *org_path, int64_t org_id, const struct member *m, int delta,
		 struct err *e);
/* Moves an organisation's subtree figures from the ancestors in old_path to those in new_path. */
int stats_move_org(struct sconn *c, struct arena *a, int64_t org_id, const char *old_path,
		   const char *new_path, struct err *e);
/* A member's identity and phone numbers sealed, and the identity number's lookup hash. */
struct member_seal {
	char *id_enc, *ph_enc; /* malloc'd; ph_enc NULL without a phone */
	char hash[65];
};
/* Seals m's numbers into out (thread-safe: reads only the store's keys). */
void member_seal(const struct store *s, const struct member *m, struct member_seal *out);
void member_seal_release(struct member_seal *sl);
/* store_member_insert with the numbers sealed ahead (member_seal). */
int member_insert_sealed(struct sconn *c, struct member *m, const struct member_seal *sl, struct err *e);
/* The columns a member insert writes, in member_bind's order and then org_path, created_at, updated_at. */
#define MEMBER_INSERT_COLS \
	"org_id, name, gender, ethnicity, birth_date, id_card_enc, id_card_hash, id_card_masked, education," \
	" phone_enc, phone_masked, native_place, category, status, joined_on, full_member_on, work_unit, job," \
	" remarks, org_path, created_at, updated_at"
#define MEMBER_INSERT_NCOLS 22
/* The columns of a member_history row, in store_member_history_add's order. */
#define MEMBER_HISTORY_COLS "member_id, at, actor_id, actor, action, from_org_id, to_org_id, detail"
#define MEMBER_HISTORY_NCOLS 8
/* Binds one member_history row (MEMBER_HISTORY_COLS) as the next values of q; 0 org ids bind NULL. */
void member_history_bind(struct q *q, const struct actor *who, int64_t member_id, const char *at,
			 const char *action, int64_t from_org, int64_t to_org, const char *detail);
/* Binds m's columns from org_id to remarks (the numbers sealed in sl) as the next values of q. */
void member_bind(struct q *q, const struct member *m, const struct member_seal *sl);
/*
 * PostgreSQL bulk loads: MEMBER_BATCH members (numbers sealed ahead) and their
 * 'imported' history rows in two statements instead of two per member. Sets
 * each m->id. The unique index guards against stored numbers (the caller
 * checked them), so a conflict fails the whole batch.
 */
#define MEMBER_BATCH 100
int member_insert_batch(struct sconn *c, const struct actor *who, struct member *ms,
			const struct member_seal *sl, const char *detail, struct err *e);

/* After a bulk load's commit or rollback: SQLite's page cache and journal back to normal. */
void store_bulk_end(struct sconn *c);

/* The figures of the members a bulk load inserts, written at its commit (stats_bulk.c). */
struct bulk_figures;
struct bulk_figures *bulk_figures_new(void);
void bulk_figures_free(struct bulk_figures *b);
/* Counts member m of org_id (whose path is org_path) at its organisation and every ancestor. */
void bulk_figures_add(struct bulk_figures *b, int64_t org_id, const char *org_path, const struct member *m);
/* More distinct keys than the sums can hold, or discarded: the caller rebuilds the figures instead. */
bool bulk_figures_overflowed(const struct bulk_figures *b);
/* The organisation tree changed under the sums (a move): the commit must rebuild. */
void bulk_figures_discard(struct bulk_figures *b);
/* Adds the sums to org_stats in the caller's transaction. */
int bulk_figures_apply(struct sconn *c, struct bulk_figures *b, struct err *e);

#endif
