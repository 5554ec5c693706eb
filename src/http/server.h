/*
 * server.h: the HTTP server (libmicrohttpd, epoll, a thread pool of one
 * thread per core) serving /api/v1 and the built web console.
 */
#ifndef DJ_HTTP_SERVER_H
#define DJ_HTTP_SERVER_H

#include <stddef.h>

#include "core/develop.h"
#include "core/dues.h"
#include "core/lifecycle.h"
#include "core/meeting.h"
#include "core/transfer.h"

struct store;

#define SESSION_COOKIE "dj_session"

struct server_config {
	const char *listen;               /* "127.0.0.1:8080"; port 0 picks a free one */
	const char *web_root;             /* directory with index.html; NULL: API only */
	int threads;                      /* worker threads; 0 = number of cores */
	int session_idle_minutes;         /* idle sessions expire (default 30) */
	int lockout_failures;             /* failed logins that lock an account (default 5) */
	int lockout_window_minutes;       /* ... within this window (default 15) */
	int lockout_minutes;              /* lock duration (default 15) */
	size_t json_limit;                /* bytes (default 1 MiB) */
	size_t upload_limit;              /* bytes (default 20 MiB) */
	int min_join_age;                 /* DEV-60 setting (default 18) */
	int access_log;                   /* one line per request (default on) */
	const char *banner;               /* extra lines printed after the listening line */
	struct dues_settings dues;        /* RULES.md section 2 settings (defaults: dues_settings_default) */
	struct meeting_settings meetings; /* RULES.md 3.3 frequencies (defaults: meeting_settings_default) */
	const char *files_dir;            /* where meeting attachments are kept, by SM3 digest */
	struct dev_rules dev2014,
		dev2026; /* RULES.md 1 numbers per rule version (dev_rules_default, dev_rules setting) */
	int dev_rule_version_default;    /* 2014 or 2026 for new cases; 0 = by date (dev_version_default) */
	struct transfer_rules transfers; /* RULES.md 4.1 letter validity (defaults: transfer_rules_default) */
	struct lifecycle_rules
		lifecycle; /* RULES.md 4.3 waiting periods (defaults: lifecycle_rules_default) */
};

void server_config_default(struct server_config *c);

/*
 * Serves until SIGINT or SIGTERM. Prints "dangjian: listening on
 * http://HOST:PORT" on stdout once ready. Returns 0 on a clean stop, -1
 * (with a message on stderr) when it cannot start.
 */
int server_run(const struct server_config *cfg, struct store *st);

#endif
