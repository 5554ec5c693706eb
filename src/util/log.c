/*
 * log.c: the line writer behind log.h. One fprintf per line so lines from
 * worker threads do not interleave.
 */
#include "util/common.h"
#include "util/log.h"

#include <time.h>
#include <unistd.h>

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
	/* The formatted second is cached per thread: access lines come thousands a second. */
	static _Thread_local time_t cached_sec = -1;
	static _Thread_local char when[32];
	char line[1280];
	struct timespec ts;
	va_list ap;
	int n, m;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = ts.tv_sec;
	}
	if (request_id)
		n = snprintf(line, sizeof(line), "%s.%03ldZ %s [%s] req=%lu ", when, ts.tv_nsec / 1000000,
			     level_names[l], module, request_id);
	else
		n = snprintf(line, sizeof(line), "%s.%03ldZ %s [%s] ", when, ts.tv_nsec / 1000000,
			     level_names[l], module);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* a cut line beats no line */
	line[n++] = '\n';
	/* One write per line: lines from worker threads never interleave. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* Nowhere left to report it. */
	}
}
