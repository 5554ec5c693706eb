/*
 * clock.c: wall-clock helpers declared in clock.h.
 */
#include "util/common.h"
#include "util/clock.h"

#include <time.h>

int64_t clock_epoch(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

void clock_rfc3339(int64_t epoch, char out[static 21])
{
	time_t t = (time_t)epoch;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_today(int *y, int *m, int *d)
{
	const char *fixed = getenv("DJ_TODAY");
	time_t t;
	struct tm tm;

	if (fixed && sscanf(fixed, "%d-%d-%d", y, m, d) == 3)
		return;
	t = (time_t)(clock_epoch() + 8 * 3600);
	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}
