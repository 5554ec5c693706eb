/*
 * pg_int.h: what the PostgreSQL driver's files share.
 */
#ifndef DJ_STORE_PG_INT_H
#define DJ_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store/db.h"

struct err;

/* Connects to url (UTF-8, ISO dates not set here); logs and sets ERR_UNAVAILABLE on failure. */
PGconn *pg_connect(const char *url, const char *application_name, struct err *e);

/* db.h's listen and unlisten (listen.c). */
struct db_listener *pg_listen(const char *url, const char *channel, const struct db_listen_ops *ops);
void pg_unlisten(struct db_listener *l);

#endif
