/*
 * pg/listen.c: a thread with its own connection that LISTENs on a channel
 * and hands each notification to a callback (db.h's listen). It tells its
 * owner when it starts and stops listening, so that whoever relies on the
 * notifications (the session cache) trusts them only while the link is up.
 *
 * A link is checked when it has been quiet for PROBE_SECS: a `SELECT 1` that
 * must be answered within PROBE_SECS more. A lost link is reopened after 1,
 * 2, 4 ... 30 seconds. Stopping writes to a pipe the thread polls.
 */
#include "util/common.h"
#include "store/pg/pg_int.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <poll.h>
#include <unistd.h>
#include <pthread.h>

#define PROBE_SECS 10
#define BACKOFF_MAX_SECS 30

struct db_listener {
	pthread_t thread;
	int wake[2]; /* written by pg_unlisten */
	char *url;
	char *channel;
	struct db_listen_ops ops;
};

/* Waits up to secs for the stop pipe; true when stopping. */
static bool stop_requested(struct db_listener *l, int secs)
{
	struct pollfd p = { .fd = l->wake[0], .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, secs * 1000);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

enum listening { LISTENING, NOT_NOW, NEVER };

static enum listening listen_on(PGconn *c, const char *channel)
{
	char *id = PQescapeIdentifier(c, channel, strlen(channel));
	char *sql = id ? xasprintf("LISTEN %s", id) : NULL;
	PGresult *res = sql ? PQexec(c, sql) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	enum listening r = LISTENING;

	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		/* feature_not_supported: a PostgreSQL-compatible database without LISTEN */
		r = state && !strcmp(state, "0A000") ? NEVER : NOT_NOW;
		log_warn("pg", "LISTEN %s failed%s: %s", channel, r == NEVER ? " for good" : "",
			 PQerrorMessage(c));
	}
	PQclear(res);
	free(sql);
	PQfreemem(id);
	return r;
}

/* Reads what arrived: the probe's answer (clears *probing) and notifications. */
static bool take_input(struct db_listener *l, PGconn *c, bool *probing)
{
	PGnotify *n;

	if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK)
		return false;
	while (*probing && !PQisBusy(c)) {
		PGresult *res = PQgetResult(c);
		bool ok;

		if (!res) {
			*probing = false;
			break;
		}
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		PQclear(res);
		if (!ok)
			return false;
	}
	while ((n = PQnotifies(c))) {
		l->ops.note(l->ops.arg, n->extra);
		PQfreemem(n);
	}
	return true;
}

/* Listens until the link fails (false) or a stop is requested (true). */
static bool serve(struct db_listener *l, PGconn *c)
{
	bool probing = false;

	for (;;) {
		struct pollfd p[2] = { { .fd = PQsocket(c), .events = POLLIN },
				       { .fd = l->wake[0], .events = POLLIN } };
		int r = poll(p, 2, PROBE_SECS * 1000);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (p[1].revents)
			return true;
		if (r > 0) {
			if (!take_input(l, c, &probing))
				return false;
			continue;
		}
		if (probing) {
			log_warn("pg", "listener: no answer from the database in %d s", PROBE_SECS);
			return false;
		}
		if (!PQsendQuery(c, "SELECT 1"))
			return false;
		probing = true;
	}
}

static void *run(void *arg)
{
	struct db_listener *l = arg;
	int backoff = 1;

	for (;;) {
		struct err e = ERR_INIT;
		PGconn *c = pg_connect(l->url, "dangjian-listen", &e);
		enum listening how = c ? listen_on(c, l->channel) : NOT_NOW;
		bool stop = how == NEVER;

		err_release(&e);
		if (how == LISTENING) {
			log_info("pg", "listening on %s", l->channel);
			backoff = 1;
			l->ops.link(l->ops.arg, true);
			stop = serve(l, c);
			l->ops.link(l->ops.arg, false);
			if (!stop)
				log_warn("pg", "listener lost its link: %s", PQerrorMessage(c));
		}
		if (c)
			PQfinish(c);
		if (stop || stop_requested(l, backoff))
			break;
		backoff = backoff * 2 > BACKOFF_MAX_SECS ? BACKOFF_MAX_SECS : backoff * 2;
	}
	return NULL;
}

struct db_listener *pg_listen(const char *url, const char *channel, const struct db_listen_ops *ops)
{
	struct db_listener *l = xcalloc(1, sizeof(*l));

	if (pipe(l->wake) < 0) {
		log_error("pg", "listener: pipe: %s", strerror(errno));
		free(l);
		return NULL;
	}
	l->url = xstrdup(url);
	l->channel = xstrdup(channel);
	l->ops = *ops;
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		log_error("pg", "listener: cannot start its thread");
		close(l->wake[0]);
		close(l->wake[1]);
		free(l->url);
		free(l->channel);
		free(l);
		return NULL;
	}
	return l;
}

void pg_unlisten(struct db_listener *l)
{
	if (!l)
		return;
	if (write(l->wake[1], "x", 1) < 0)
		log_warn("pg", "listener: cannot wake its thread: %s", strerror(errno));
	pthread_join(l->thread, NULL);
	close(l->wake[0]);
	close(l->wake[1]);
	free(l->url);
	free(l->channel);
	free(l);
}
