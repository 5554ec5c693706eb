/*
 * pg/listen.c: a thread with its own connection that LISTENs on a channel
 * and hands each notification to a callback (db.h's listen). It tells its
 * owner when it starts and stops listening, so that whoever relies on the
 * notifications (the session cache) trusts them only while the link is up.
 *
 * The link is proved end to end every PING_MS: the thread NOTIFYs its own
 * channel with the payload "ping" and the notification comes back to it
 * (and to every other listener) like any other. The owner counts any
 * notification as proof and stops trusting the link when proofs stop
 * coming; the thread gives the link up when a ping's NOTIFY is not even
 * answered within DEAD_MS. A lost link is reopened after 1, 2, 4 ... 30 s.
 *
 * Nothing here blocks on the network: connecting and every command wait in
 * poll() together with a pipe that pg_unlisten writes to, so stopping the
 * server never waits for an unreachable database.
 */
#include "util/common.h"
#include "store/pg/pg_int.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define PING_MS 1000
#define DEAD_MS 5000
#define CONNECT_MS 10000
#define BACKOFF_MAX_SECS 30

struct db_listener {
	pthread_t thread;
	int wake[2]; /* written by pg_unlisten */
	char *url;
	char *channel;
	struct db_listen_ops ops;
};

enum io { IO_READY, IO_STOP, IO_TIMEOUT, IO_ERROR };

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd (or only the stop pipe when fd < 0) for up to ms. */
static enum io wait_io(struct db_listener *l, int fd, short events, int ms)
{
	struct pollfd p[2] = { { .fd = l->wake[0], .events = POLLIN }, { .fd = fd, .events = events } };
	int r;

	do
		r = poll(p, fd >= 0 ? 2 : 1, ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return IO_ERROR;
	if (p[0].revents)
		return IO_STOP;
	return r == 0 ? IO_TIMEOUT : IO_READY;
}

/* Connects without blocking; NULL on failure (logged) or stop (*stop set). */
static PGconn *open_link(struct db_listener *l, bool *stop)
{
	PGconn *c = pg_connect_start(l->url, "dangjian-listen");
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	if (!c || PQstatus(c) == CONNECTION_BAD)
		goto fail;
	while (st != PGRES_POLLING_OK) {
		enum io r;

		if (st == PGRES_POLLING_FAILED)
			goto fail;
		r = wait_io(l, PQsocket(c), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, CONNECT_MS);
		if (r == IO_STOP) {
			*stop = true;
			PQfinish(c);
			return NULL;
		}
		if (r != IO_READY)
			goto fail;
		st = PQconnectPoll(c);
	}
	pg_quiet_notices(c);
	return c;
fail:
	pg_log_cannot_connect(l->url, c);
	if (c)
		PQfinish(c);
	return NULL;
}

/* Hands every notification received so far to the owner. */
static void pass_notes(struct db_listener *l, PGconn *c)
{
	PGnotify *n;

	while ((n = PQnotifies(c))) {
		l->ops.note(l->ops.arg, n->extra);
		PQfreemem(n);
	}
}

/*
 * Reads what has arrived; when *sent, also the results of the command sent
 * (clearing *sent once they are all in). False when the link failed or the
 * command did; *state then holds its SQLSTATE when there was one.
 */
static bool take_input(struct db_listener *l, PGconn *c, bool *sent, char state[6])
{
	bool ok = true;

	if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK)
		return false;
	while (*sent && !PQisBusy(c)) {
		PGresult *res = PQgetResult(c);
		ExecStatusType st;

		if (!res) {
			*sent = false;
			break;
		}
		st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			snprintf(state, 6, "%s", s ? s : "");
			log_warn("pg", "listener: %s", PQresultErrorMessage(res));
			ok = false;
		}
		PQclear(res);
	}
	pass_notes(l, c);
	return ok;
}

enum listening { LISTENING, NOT_NOW, NEVER, STOPPED };

static enum listening listen_on(struct db_listener *l, PGconn *c, const char *sql)
{
	char state[6] = "";
	bool sent = PQsendQuery(c, sql) == 1;
	int64_t deadline = mono_ms() + DEAD_MS;

	if (!sent)
		return NOT_NOW;
	while (sent) {
		int64_t left = deadline - mono_ms();
		enum io r = left > 0 ? wait_io(l, PQsocket(c), POLLIN, (int)left) : IO_TIMEOUT;

		if (r == IO_STOP)
			return STOPPED;
		if (r != IO_READY)
			return NOT_NOW;
		if (!take_input(l, c, &sent, state)) {
			/* feature_not_supported: a PostgreSQL-compatible database without LISTEN */
			if (!strcmp(state, "0A000")) {
				log_warn(
					"pg",
					"listener: LISTEN is not supported; sessions are read from the database");
				return NEVER;
			}
			return NOT_NOW;
		}
	}
	return LISTENING;
}

/* Listens, pinging every PING_MS, until the link fails (false) or a stop is requested (true). */
static bool serve(struct db_listener *l, PGconn *c, const char *ping)
{
	char state[6];
	bool sent = false;
	int64_t sent_at = 0, next_ping = mono_ms() + PING_MS;

	for (;;) {
		int64_t now = mono_ms();
		enum io r = wait_io(l, PQsocket(c), POLLIN, next_ping > now ? (int)(next_ping - now) : 0);

		if (r == IO_STOP)
			return true;
		if (r == IO_ERROR)
			return false;
		if (r == IO_READY && !take_input(l, c, &sent, state))
			return false;
		now = mono_ms();
		if (now < next_ping)
			continue;
		next_ping = now + PING_MS;
		if (sent) {
			if (now - sent_at >= DEAD_MS) {
				log_warn("pg", "listener: no answer from the database in %d ms", DEAD_MS);
				return false;
			}
			continue;
		}
		if (PQsendQuery(c, ping) != 1)
			return false;
		sent = true;
		sent_at = now;
	}
}

static void *run(void *arg)
{
	struct db_listener *l = arg;
	char *listen_sql = NULL, *ping_sql = NULL;
	int backoff = 1;

	for (;;) {
		bool stop = false;
		PGconn *c = open_link(l, &stop);
		enum listening how = NOT_NOW;

		if (c && !listen_sql) {
			char *id = PQescapeIdentifier(c, l->channel, strlen(l->channel));

			if (id) {
				listen_sql = xasprintf("LISTEN %s", id);
				ping_sql = xasprintf("NOTIFY %s, 'ping'", id);
				PQfreemem(id);
			}
		}
		if (c && listen_sql)
			how = listen_on(l, c, listen_sql);
		if (how == LISTENING) {
			log_info("pg", "listening on %s", l->channel);
			backoff = 1;
			l->ops.link(l->ops.arg, true);
			pass_notes(l, c);
			stop = serve(l, c, ping_sql);
			l->ops.link(l->ops.arg, false);
			if (!stop)
				log_warn("pg", "listener lost its link: %s", PQerrorMessage(c));
		}
		stop = stop || how == STOPPED || how == NEVER;
		if (c)
			PQfinish(c);
		if (stop || wait_io(l, -1, 0, backoff * 1000) == IO_STOP)
			break;
		backoff = backoff * 2 > BACKOFF_MAX_SECS ? BACKOFF_MAX_SECS : backoff * 2;
	}
	free(listen_sql);
	free(ping_sql);
	return NULL;
}

struct db_listener *pg_listen(const char *url, const char *channel, const struct db_listen_ops *ops)
{
	struct db_listener *l = xcalloc(1, sizeof(*l));
	sigset_t all, old;
	int rc;

	if (pipe(l->wake) < 0) {
		log_error("pg", "listener: pipe: %s", strerror(errno));
		free(l);
		return NULL;
	}
	l->url = xstrdup(url);
	l->channel = xstrdup(channel);
	l->ops = *ops;
	/* Signals are the main thread's business (SIGTERM stops the server). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&l->thread, NULL, run, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
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
