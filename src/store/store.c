/*
 * store.c: opening a store (backend by URL, keys, migrations), the
 * per-thread connections and transactions.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "store/migrations.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xalloc.h"

int db_fault_countdown;

static bool is_pg_url(const char *url)
{
	return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11);
}

static void conn_destroy(void *p)
{
	struct sconn *c = p;

	if (!c)
		return;
	if (c->db)
		c->db->drv->close(c->db);
	free(c);
}

static const char SQL_MIG_TABLE[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
				    " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)";
static const char SQL_MIG_LIST[] = "SELECT name FROM schema_migrations ORDER BY name";
static const char SQL_MIG_ADD[] = "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)";

static bool known_migration(const struct migration *m, const char *name)
{
	for (; m->name; m++)
		if (!strcmp(m->name, name))
			return true;
	return false;
}

/* Applies the embedded migrations not yet recorded, one transaction each. */
static int migrate(struct sconn *c, struct err *e)
{
	const struct migration *set = c->s->drv->backend == DB_PG ? migrations_pg : migrations_sqlite;
	struct arena *a = arena_new();
	char **applied = NULL;
	size_t napplied = 0, cap = 0;
	struct q q = Q_INIT;
	int rc = -1, r;

	if (c->db->drv->exec(c->db, SQL_MIG_TABLE, e) < 0)
		goto out;
	if (q_prepare(&q, c->db, SQL_MIG_LIST, e) < 0)
		goto out;
	while ((r = q_step(&q, e)) == 1) {
		if (napplied == cap) {
			cap = cap ? cap * 2 : 16;
			applied = xrealloc(applied, cap * sizeof(*applied));
		}
		applied[napplied++] = q_col_dup(&q, 0, a);
	}
	q_finish(&q);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < napplied; i++) {
		if (!known_migration(set, applied[i])) {
			log_error("store", "database has migration '%s' unknown to this program", applied[i]);
			err_set(e, ERR_UNAVAILABLE, "schema_too_new", "数据库版本(%s)比程序新，请升级程序",
				applied[i]);
			goto out;
		}
	}
	for (const struct migration *m = set; m->name; m++) {
		bool done = false;
		char now[21];

		for (size_t i = 0; i < napplied && !done; i++)
			done = !strcmp(applied[i], m->name);
		if (done)
			continue;
		log_info("store", "applying migration %s", m->name);
		if (store_begin(c, e) < 0)
			goto out;
		if (c->db->drv->exec(c->db, m->sql, e) < 0)
			goto out;
		store_now(now);
		if (q_prepare(&q, c->db, SQL_MIG_ADD, e) < 0)
			goto out;
		q_text(&q, m->name);
		q_text(&q, now);
		r = q_step(&q, e);
		q_finish(&q);
		if (r < 0 || store_commit(c, e) < 0)
			goto out;
	}
	rc = 0;
out:
	q_finish(&q);
	store_rollback(c);
	free(applied);
	arena_free(a);
	return rc;
}

static char *default_key_file(const char *url)
{
	if (is_pg_url(url))
		return xstrdup("dangjian.key");
	return xasprintf("%s.key", url);
}

int store_open(const struct store_opts *o, struct store **out, struct err *e)
{
	struct store *s = xcalloc(1, sizeof(*s));
	char *key_file = o->key_file ? xstrdup(o->key_file) : default_key_file(o->url);
	const char *why = NULL;
	struct sconn *c;
	int rc = -1;

	s->url = xstrdup(o->url);
	s->drv = is_pg_url(o->url) ? &db_pg_driver : &db_sqlite_driver;
	s->pbkdf2_iterations = o->pbkdf2_iterations ? o->pbkdf2_iterations : 100000;
	pthread_key_create(&s->conn_key, conn_destroy);

	if (crypto_keys_load(key_file, &s->keys, &why) < 0) {
		if (!o->create || errno != ENOENT) {
			err_set(e, ERR_UNAVAILABLE, "key_file", "无法读取密钥文件 '%s': %s", key_file, why);
			goto out;
		}
		if (crypto_keys_create(key_file, &s->keys, &why) < 0) {
			err_set(e, ERR_UNAVAILABLE, "key_file", "无法创建密钥文件 '%s': %s", key_file, why);
			goto out;
		}
		log_info("store", "created key file '%s'", key_file);
	}
	c = store_conn(s, e);
	if (!c || migrate(c, e) < 0 || store_mobile_seal_plain(c, e) < 0)
		goto out;
	*out = s;
	rc = 0;
out:
	free(key_file);
	if (rc < 0)
		store_free(s);
	return rc;
}

static void on_note(void *arg, const char *payload)
{
	scache_note(arg, payload);
}

static void on_link(void *arg, bool up)
{
	scache_link(arg, up);
}

void store_watch_sessions(struct store *s)
{
	struct db_listen_ops ops = { on_note, on_link, NULL };

	if (!s->drv->listen || s->sessions)
		return;
	s->sessions = scache_new();
	ops.arg = s->sessions;
	s->listener = s->drv->listen(s->url, SESSION_CHANNEL, &ops);
	if (!s->listener) {
		scache_free(s->sessions);
		s->sessions = NULL;
	}
}

void store_free(struct store *s)
{
	if (!s)
		return;
	if (s->listener)
		s->drv->unlisten(s->listener);
	scache_free(s->sessions);
	store_conn_release(s);
	pthread_key_delete(s->conn_key);
	memset(&s->keys, 0, sizeof(s->keys));
	free(s->url);
	free(s);
}

enum db_backend store_backend(const struct store *s)
{
	return s->drv->backend;
}

const struct crypto_keys *store_keys(const struct store *s)
{
	return &s->keys;
}

unsigned store_pbkdf2_iterations(const struct store *s)
{
	return s->pbkdf2_iterations;
}

void store_bulk_alone(struct store *s, bool on)
{
	s->bulk_alone = on;
}

struct sconn *store_conn(struct store *s, struct err *e)
{
	struct sconn *c = pthread_getspecific(s->conn_key);

	if (c && c->db && c->db->drv->broken(c->db)) {
		log_warn("store", "database connection lost, reconnecting");
		c->db->drv->close(c->db);
		c->db = NULL;
		c->in_tx = false;
		c->in_read = false;
	}
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		c->s = s;
		pthread_setspecific(s->conn_key, c);
	}
	if (!c->db && s->drv->open(s->url, &c->db, e) < 0)
		return NULL;
	return c;
}

uint64_t store_commits(const struct sconn *c)
{
	return c->commits;
}

bool store_conn_lost(struct sconn *c)
{
	return c->db && c->db->drv->broken(c->db);
}

void store_conn_release(struct store *s)
{
	struct sconn *c = pthread_getspecific(s->conn_key);

	if (c) {
		pthread_setspecific(s->conn_key, NULL);
		conn_destroy(c);
	}
}

uint64_t store_data_version(struct sconn *c)
{
	return c->db->drv->data_version ? c->db->drv->data_version(c->db) : 0;
}

int store_read_begin(struct sconn *c, struct err *e)
{
	/* SQLite: one lock for the request instead of one per statement. PostgreSQL takes no such
	 * locks, and BEGIN/COMMIT would add two round trips to every reading request. */
	if (c->in_tx || c->in_read || c->db->drv->backend != DB_SQLITE)
		return 0;
	if (c->db->drv->exec(c->db, "BEGIN", e) < 0)
		return -1;
	c->in_read = true;
	return 0;
}

void store_read_end(struct sconn *c)
{
	struct err ignore = ERR_INIT;

	if (!c || !c->in_read)
		return;
	c->db->drv->exec(c->db, "COMMIT", &ignore);
	c->in_read = false;
}

int store_begin(struct sconn *c, struct err *e)
{
	store_read_end(c); /* a write starts from a fresh snapshot */
	if (c->in_tx)
		BUG("nested transaction");
	if (c->db->drv->exec(c->db, c->db->drv->backend == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", e) < 0)
		return -1;
	c->in_tx = true;
	return 0;
}

void store_auth_changed(struct sconn *c, const char *hash)
{
	if (!c->s->sessions)
		return;
	scache_drop(c->s->sessions, hash);
	if (!c->in_tx)
		return;
	if (hash && (c->auth_pending == 0 || (c->auth_pending == 1 && !strcmp(c->auth_hash, hash)))) {
		c->auth_pending = 1;
		snprintf(c->auth_hash, sizeof(c->auth_hash), "%s", hash);
	} else {
		c->auth_pending = 2;
	}
}

int store_commit(struct sconn *c, struct err *e)
{
	if (!c->in_tx)
		BUG("commit without transaction");
	if (c->db->drv->exec(c->db, "COMMIT", e) < 0)
		return -1;
	c->in_tx = false;
	c->commits++;
	if (c->auth_pending)
		scache_drop(c->s->sessions, c->auth_pending == 1 ? c->auth_hash : NULL);
	c->auth_pending = 0;
	return 0;
}

void store_rollback(struct sconn *c)
{
	struct err ignore = ERR_INIT;

	if (!c || !c->in_tx)
		return;
	c->auth_pending = 0;
	c->db->drv->exec(c->db, "ROLLBACK", &ignore);
	c->in_tx = false;
	if (c->bulk)
		store_bulk_end(c);
	c->bulk = false;
	bulk_figures_free(c->figures);
	c->figures = NULL;
	c->path_cache_org = 0; /* the cached path may have come from the rolled-back work */
}

/* ---- helpers shared by the store's files ------------------------------ */

void store_now(char buf[static 21])
{
	clock_rfc3339(clock_epoch(), buf);
}

void store_lookup_hash(const struct store *s, const char *value, char out[65])
{
	crypto_hmac_sm3_hex(s->keys.lookup, sizeof(s->keys.lookup), value, strlen(value), out);
}

char *store_seal(const struct store *s, const char *plain)
{
	return crypto_field_encrypt(&s->keys, plain);
}

char *store_unseal(const struct store *s, struct arena *a, const char *sealed)
{
	char *p = crypto_field_decrypt(&s->keys, sealed);
	char *r;

	if (!p)
		return NULL;
	r = arena_strdup(a, p);
	free(p);
	return r;
}

char *store_path_hi(struct arena *a, const char *path)
{
	char *hi = arena_strdup(a, path);
	size_t n = strlen(hi);

	/* '0' sorts right after '/', so [path, hi) is exactly the subtree. */
	if (n)
		hi[n - 1] = '0';
	return hi;
}
