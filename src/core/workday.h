/*
 * workday.h: working days (工作日, RULES.md C-05): Mondays to Fridays minus
 * statutory holidays, plus the official make-up working days (调休), from a
 * built-in calendar of the State Council General Office's yearly holiday
 * arrangements for 2024, 2025 and 2026. Other years fall back to Monday to
 * Friday and report the answer as provisional.
 */
#ifndef DJ_CORE_WORKDAY_H
#define DJ_CORE_WORKDAY_H

#include <stdbool.h>

#include "core/date.h"

/* The first and last year of the built-in calendar. */
#define WORKDAY_FIRST_YEAR 2024
#define WORKDAY_LAST_YEAR 2026

/* True when the calendar covers year y. */
bool workday_year_known(int y);

/*
 * True when d is a working day. *provisional (may be NULL) is set to true
 * when d's year is not in the calendar, and left untouched otherwise, so one
 * flag can collect a whole computation. An unset or invalid date is not a
 * working day.
 */
bool workday_is(struct date d, bool *provisional);

/* Working days in [from, to], both inclusive; 0 when to < from or a date is unset. */
int workdays_between(struct date from, struct date to, bool *provisional);

/*
 * The date of the n-th working day counting from `start` (start itself
 * counts when it is a working day). n <= 0 or an unset start gives DATE_NONE.
 * DEV-50: workdays_end(2024-09-27, 5) = 2024-10-09.
 */
struct date workdays_end(struct date start, int n, bool *provisional);

#endif
