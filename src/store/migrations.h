/*
 * migrations.h: the SQL migrations embedded at build time, in order,
 * each table ending with { NULL, NULL }.
 */
#ifndef DJ_STORE_MIGRATIONS_H
#define DJ_STORE_MIGRATIONS_H

struct migration {
	const char *name; /* "0001_init" */
	const char *sql;
};

extern const struct migration migrations_sqlite[];
extern const struct migration migrations_pg[];

#endif
