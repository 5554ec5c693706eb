/*
 * sqlite/driver.c: the SQLite implementation of db.h. One connection per
 * thread, WAL, synchronous=FULL, foreign keys on, a busy timeout, and a
 * cache of prepared statements keyed by the address of their SQL constant
 * (SQLITE_PREPARE_PERSISTENT), reset instead of finalised.
 */
#include "util/common.h"
#include "store/db.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <sqlite3.h>

#define STMT_CACHE 160

struct db_stmt {
	struct sqlite_db *db;
	sqlite3_stmt *st;
	const char *sql;
	bool in_use;
	bool cached;
};

/* How long a statement waits for another connection's lock. */
#define BUSY_MS 5000

struct sqlite_db {
	struct db base;
	sqlite3 *h;
	int ncache;
	struct db_stmt cache[STMT_CACHE];
};

static void log_callback(void *arg, int code, const char *msg)
{
	UNUSED(arg);
	/* SQLITE_WARNING_AUTOINDEX and schema notices are noise at info level. */
	if ((code & 0xff) == SQLITE_WARNING || (code & 0xff) == SQLITE_SCHEMA)
		log_debug("sqlite", "(%d) %s", code, msg);
	else
		log_warn("sqlite", "(%d) %s", code, msg);
}

static int set_error(sqlite3 *h, int rc, struct err *e)
{
	int primary = rc & 0xff;

	if (primary == SQLITE_CONSTRAINT) {
		log_debug("sqlite", "constraint: %s", sqlite3_errmsg(h));
		return err_set(e, ERR_CONFLICT, "conflict", "数据与已有记录冲突");
	}
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
		log_warn("sqlite", "busy: %s", sqlite3_errmsg(h));
		return err_set(e, ERR_UNAVAILABLE, NULL, "数据库繁忙，请稍后重试");
	}
	log_error("sqlite", "error %d: %s", rc, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
	return err_set(e, ERR_INTERNAL, NULL, "数据库错误");
}

static void sl_close(struct db *db)
{
	struct sqlite_db *s = (struct sqlite_db *)db;

	if (!s)
		return;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close_v2(s->h);
	free(s);
}

static int sl_exec(struct db *db, const char *sql, struct err *e)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	int rc;

	if (strcmp(sql, "ROLLBACK") != 0 && db_fault_hit())
		return set_error(s->h, SQLITE_IOERR, e);
	rc = sqlite3_exec(s->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : set_error(s->h, rc, e);
}

static int sl_open(const char *url, struct db **out, struct err *e)
{
	static int configured;
	struct sqlite_db *s = xcalloc(1, sizeof(*s));
	int rc;

	if (!__atomic_exchange_n(&configured, 1, __ATOMIC_SEQ_CST)) {
		sqlite3_config(SQLITE_CONFIG_LOG, log_callback, NULL);
		/* No global allocation statistics: their mutex was a hot spot under load. */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	s->base.drv = &db_sqlite_driver;
	rc = sqlite3_open_v2(url, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		log_error("sqlite", "cannot open database '%s': %s", url,
			  s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
		err_set(e, ERR_UNAVAILABLE, NULL, "无法打开数据库");
		goto fail;
	}
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, BUSY_MS);
	/* Changing the journal mode calls no busy handler: while a command-line bulk load holds
	 * the database in rollback-journal mode (sl_bulk_journal), wait for it as for a lock. */
	for (int waited = 0;; waited += 50) {
		rc = sqlite3_exec(s->h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= BUSY_MS)
			break;
		sqlite3_sleep(50);
	}
	if (rc != SQLITE_OK) {
		set_error(s->h, rc, e);
		goto fail;
	}
	if (sl_exec(&s->base,
		    "PRAGMA synchronous=FULL;"
		    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8192;",
		    e) < 0)
		goto fail;
	*out = &s->base;
	return 0;
fail:
	sl_close(&s->base);
	return -1;
}

static bool sl_bulk_journal(struct db *db, bool on)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	sqlite3_stmt *st = NULL;
	const char *mode = on ? "delete" : "wal";
	bool ok = false;

	/* Leaving WAL needs the database to ourselves: ask once, without waiting. */
	sqlite3_busy_timeout(s->h, on ? 0 : BUSY_MS);
	if (sqlite3_prepare_v2(s->h, on ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		ok = !strcmp((const char *)sqlite3_column_text(st, 0), mode);
	sqlite3_finalize(st);
	sqlite3_busy_timeout(s->h, BUSY_MS);
	if (!ok && !on)
		log_warn("sqlite",
			 "bulk load: the database stays in rollback-journal mode until a server opens it");
	return ok;
}

static int sl_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	struct db_stmt *st = NULL;
	int rc;

	if (db_fault_hit())
		return set_error(s->h, SQLITE_IOERR, e);
	for (int i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql && !s->cache[i].in_use) {
			st = &s->cache[i];
			st->in_use = true;
			*out = st;
			return 0;
		}
	}
	if (s->ncache < STMT_CACHE) {
		st = &s->cache[s->ncache];
		st->cached = true;
	} else {
		st = xcalloc(1, sizeof(*st));
	}
	st->db = s;
	st->sql = sql;
	rc = sqlite3_prepare_v3(s->h, sql, -1, st->cached ? SQLITE_PREPARE_PERSISTENT : 0, &st->st, NULL);
	if (rc != SQLITE_OK) {
		set_error(s->h, rc, e);
		if (!st->cached)
			free(st);
		else
			memset(st, 0, sizeof(*st));
		return -1;
	}
	if (st->cached)
		s->ncache++;
	st->in_use = true;
	*out = st;
	return 0;
}

static void sl_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

static void sl_bind_text(struct db_stmt *st, int idx, const char *v)
{
	if (v)
		sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

static void sl_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

static int sl_step(struct db_stmt *st, struct err *e)
{
	int rc;

	if (db_fault_hit())
		return set_error(st->db->h, SQLITE_IOERR, e);
	rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return set_error(st->db->h, rc, e);
}

static bool sl_col_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

static int64_t sl_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

static const char *sl_col_text(struct db_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st->st, i);
	return t ? (const char *)t : "";
}

static void sl_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	if (st->cached) {
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		st->in_use = false;
		return;
	}
	sqlite3_finalize(st->st);
	free(st);
}

static int64_t sl_changes(struct db *db)
{
	return sqlite3_changes64(((struct sqlite_db *)db)->h);
}

/*
 * PRAGMA data_version moves with other connections' commits, total_changes
 * with this connection's own writes; together they change on any commit.
 * Inside a read transaction the value is that of its snapshot.
 */
static uint64_t sl_data_version(struct db *db)
{
	static const char sql[] = "PRAGMA data_version";
	struct db_stmt *st;
	struct err ignore = ERR_INIT;
	uint64_t v = 0;

	if (sl_prepare(db, sql, &st, &ignore) < 0)
		return 0;
	if (sl_step(st, &ignore) == 1)
		v = (uint64_t)sl_col_int(st, 0) << 32 ^
		    (uint64_t)sqlite3_total_changes64(((struct sqlite_db *)db)->h);
	sl_finalize(st);
	return v ? v : 1;
}

static bool sl_broken(struct db *db)
{
	UNUSED(db);
	return false;
}

const struct db_driver db_sqlite_driver = {
	.backend = DB_SQLITE,
	.name = "sqlite",
	.open = sl_open,
	.close = sl_close,
	.exec = sl_exec,
	.prepare = sl_prepare,
	.bind_int = sl_bind_int,
	.bind_text = sl_bind_text,
	.bind_null = sl_bind_null,
	.step = sl_step,
	.col_null = sl_col_null,
	.col_int = sl_col_int,
	.col_text = sl_col_text,
	.finalize = sl_finalize,
	.changes = sl_changes,
	.broken = sl_broken,
	.data_version = sl_data_version,
	.bulk_journal = sl_bulk_journal,
};
