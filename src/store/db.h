/*
 * db.h: the small SQL driver interface the store's queries are written
 * against, with one implementation per backend (sqlite/driver.c,
 * pg/driver.c), as SQLite's sqlite3_vfs has os_unix.c and os_win.c.
 *
 * SQL is written once with `?` placeholders; the PostgreSQL driver turns
 * them into $1, $2, ... Only portable SQL is used by the queries (no
 * backend date functions, RETURNING for new ids, integers for booleans).
 * Every value is bound, never formatted into SQL text.
 *
 * A struct db is one connection and belongs to one thread.
 */
#ifndef DJ_STORE_DB_H
#define DJ_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct db;
struct db_stmt;
struct db_listener;

/* What a listener calls, from its own thread. */
struct db_listen_ops {
	void (*note)(void *arg, const char *payload);
	void (*link)(void *arg, bool up); /* up: listening now, notifications until link(false) */
	void *arg;
};

enum db_backend { DB_SQLITE = 1, DB_PG = 2 };

struct db_driver {
	enum db_backend backend;
	const char *name;
	/* Opens a connection; url is a file path (sqlite) or postgresql:// URL. */
	int (*open)(const char *url, struct db **out, struct err *e);
	void (*close)(struct db *db);
	/* Runs one or more statements without parameters (migrations, BEGIN). */
	int (*exec)(struct db *db, const char *sql, struct err *e);
	/* `sql` must be a string constant: drivers may cache by its address. */
	int (*prepare)(struct db *db, const char *sql, struct db_stmt **out, struct err *e);
	void (*bind_int)(struct db_stmt *s, int idx, int64_t v);      /* idx from 1 */
	void (*bind_text)(struct db_stmt *s, int idx, const char *v); /* NULL binds NULL; copied */
	void (*bind_null)(struct db_stmt *s, int idx);
	/* 1: a row is ready; 0: done; -1: error in e (constraint -> ERR_CONFLICT). */
	int (*step)(struct db_stmt *s, struct err *e);
	bool (*col_null)(struct db_stmt *s, int i); /* i from 0 */
	int64_t (*col_int)(struct db_stmt *s, int i);
	const char *(*col_text)(struct db_stmt *s, int i); /* "" for NULL; valid until next step */
	/* Releases (or resets into the cache) a prepared statement. NULL is ok. */
	void (*finalize)(struct db_stmt *s);
	/* Rows changed by the last statement executed on db. */
	int64_t (*changes)(struct db *db);
	/* Is the connection unusable (server gone)? The store then reconnects. */
	bool (*broken)(struct db *db);
	/* A number that differs whenever the database may have changed since it was
	 * last taken (a commit by this or any other connection); 0 when the backend
	 * cannot tell cheaply, and then callers must not cache what they read. */
	uint64_t (*data_version)(struct db *db);
	/* SQLite: while no other connection has the database open, a bulk load writes through a
	 * rollback journal instead of the WAL, each page once instead of twice (on = true; it
	 * returns whether it switched), and goes back to the WAL afterwards (on = false). NULL
	 * for backends without the choice. */
	bool (*bulk_journal)(struct db *db, bool on);
	/* Change notifications pushed by the database (PostgreSQL's LISTEN); NULL when the backend
	 * has none. Starts a thread with its own connection that calls ops->note for each
	 * notification on channel, and ops->link whenever it starts or stops listening (after a
	 * lost link it reconnects). NULL when the thread cannot start. */
	struct db_listener *(*listen)(const char *url, const char *channel, const struct db_listen_ops *ops);
	/* Stops the thread and closes its connection. NULL is ok. */
	void (*unlisten)(struct db_listener *l);
};

/*
 * Fault injection for tests (SQLite's malloc_common.tcl idea): while
 * db_fault_countdown > 0, each prepare, step and exec decrements it, and the
 * call that brings it to 0 fails as a database error would. ROLLBACK is
 * never failed. Production code never sets it.
 */
extern int db_fault_countdown;
static inline bool db_fault_hit(void)
{
	return db_fault_countdown > 0 && --db_fault_countdown == 0;
}

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* A connection: drivers embed this as their first member. */
struct db {
	const struct db_driver *drv;
};

#endif
