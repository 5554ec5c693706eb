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
/* The same parameters, started without blocking (PQconnectStartParams; drive with PQconnectPoll). */
PGconn *pg_connect_start(const char *url, const char *application_name);
/* Logs why a connection failed, without the URL's password. */
void pg_log_cannot_connect(const char *url, PGconn *c);
/* Server notices go to the debug log instead of stderr. */
void pg_quiet_notices(PGconn *c);

/* db.h's listen and unlisten (listen.c). */
struct db_listener *pg_listen(const char *url, const char *channel, const struct db_listen_ops *ops);
void pg_unlisten(struct db_listener *l);

#endif
