/*
 * log.c: the line writer behind log.h. One fprintf per line so lines from
 * worker threads do not interleave.
 */
#include "util/common.h"
#include "util/log.h"

#include <time.h>

enum log_level log_current_level = LOG_INFO;
static _Thread_local unsigned long request_id;
static const char *const level_names[] = { "error", "warn", "info", "debug" };

void log_init_from_env(void)
{
	const char *d = getenv("DJ_DEBUG");
	const char *q = getenv("DJ_LOG_QUIET");

	if (d && *d && strcmp(d, "0") != 0)
		log_current_level = LOG_DEBUG;
	else if (q && *q && strcmp(q, "0") != 0)
		log_current_level = LOG_WARN;
}

void log_set_level(enum log_level l)
{
	log_current_level = l;
}

void log_set_request_id(unsigned long id)
{
	request_id = id;
}

void log_write(enum log_level l, const char *module, const char *fmt, ...)
{
	char msg[1024], when[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	if (request_id)
		fprintf(stderr, "%s.%03ldZ %s [%s] req=%lu %s\n", when, ts.tv_nsec / 1000000,
			level_names[l], module, request_id, msg);
	else
		fprintf(stderr, "%s.%03ldZ %s [%s] %s\n", when, ts.tv_nsec / 1000000,
			level_names[l], module, msg);
}
