/*
 * clock.h: the wall clock, in one place so that core stays pure (core
 * receives dates as arguments). Dates of party work are China Standard
 * Time (UTC+8, no daylight saving); timestamps are RFC 3339 UTC.
 * DJ_TODAY=YYYY-MM-DD in the environment fixes "today" for tests and demos.
 */
#ifndef DJ_CLOCK_H
#define DJ_CLOCK_H

#include <stdint.h>

int64_t clock_epoch(void);
/* Writes e.g. 2026-11-24T10:00:00Z (21 bytes with NUL). */
void clock_rfc3339(int64_t epoch, char out[static 21]);
/* Today's date in China Standard Time (or DJ_TODAY). */
void clock_today(int *y, int *m, int *d);

#endif
