/*
 * workday.c: the built-in holiday calendar (RULES.md C-05) and working-day
 * counting. Sources: the State Council General Office's notices on the
 * holiday arrangements of 2024 (国办发明电〔2023〕7号), 2025 (国办发明电
 * 〔2024〕12号) and 2026 (published 4 Nov 2025).
 */
#include "util/common.h"
#include "core/workday.h"

/* A run of statutory days off (放假调休), inclusive. */
struct day_off {
	struct date from, to;
};

/* clang-format off */
#define R(y, m1, d1, m2, d2) { { y, m1, d1 }, { y, m2, d2 } }
/* clang-format on */

static const struct day_off days_off[] = {
	/* 2024 */
	R(2024, 1, 1, 1, 1),   /* 元旦 */
	R(2024, 2, 10, 2, 17), /* 春节 */
	R(2024, 4, 4, 4, 6),   /* 清明节 */
	R(2024, 5, 1, 5, 5),   /* 劳动节 */
	R(2024, 6, 10, 6, 10), /* 端午节 */
	R(2024, 9, 15, 9, 17), /* 中秋节 */
	R(2024, 10, 1, 10, 7), /* 国庆节 */
	/* 2025 */
	R(2025, 1, 1, 1, 1),
	R(2025, 1, 28, 2, 4),
	R(2025, 4, 4, 4, 6),
	R(2025, 5, 1, 5, 5),
	R(2025, 5, 31, 6, 2),
	R(2025, 10, 1, 10, 8), /* 国庆节、中秋节 */
	/* 2026 */
	R(2026, 1, 1, 1, 3),
	R(2026, 2, 15, 2, 23),
	R(2026, 4, 4, 4, 6),
	R(2026, 5, 1, 5, 5),
	R(2026, 6, 19, 6, 21),
	R(2026, 9, 25, 9, 27),
	R(2026, 10, 1, 10, 7),
};

/* Weekends that are working days (调休上班). */
static const struct date makeup_days[] = {
	{ 2024, 2, 4 },  { 2024, 2, 18 }, { 2024, 4, 7 },   { 2024, 4, 28 },  { 2024, 5, 11 },
	{ 2024, 9, 14 }, { 2024, 9, 29 }, { 2024, 10, 12 }, { 2025, 1, 26 },  { 2025, 2, 8 },
	{ 2025, 4, 27 }, { 2025, 9, 28 }, { 2025, 10, 11 }, { 2026, 1, 4 },   { 2026, 2, 14 },
	{ 2026, 2, 28 }, { 2026, 5, 9 },  { 2026, 9, 20 },  { 2026, 10, 10 },
};

bool workday_year_known(int y)
{
	return y >= WORKDAY_FIRST_YEAR && y <= WORKDAY_LAST_YEAR;
}

/* 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday. */
static int weekday(struct date d)
{
	long w = (date_to_days(d) + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

bool workday_is(struct date d, bool *provisional)
{
	int wd;

	if (!date_is_set(d) || !date_valid(d.y, d.m, d.d))
		return false;
	wd = weekday(d);
	if (!workday_year_known(d.y)) {
		if (provisional)
			*provisional = true;
		return wd != 0 && wd != 6;
	}
	for (size_t i = 0; i < ARRAY_SIZE(makeup_days); i++)
		if (date_cmp(makeup_days[i], d) == 0)
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(days_off); i++)
		if (date_cmp(days_off[i].from, d) <= 0 && date_cmp(d, days_off[i].to) <= 0)
			return false;
	return wd != 0 && wd != 6;
}

int workdays_between(struct date from, struct date to, bool *provisional)
{
	long a, b;
	int n = 0;

	if (!date_is_set(from) || !date_is_set(to) || !date_valid(from.y, from.m, from.d) ||
	    !date_valid(to.y, to.m, to.d))
		return 0;
	a = date_to_days(from);
	b = date_to_days(to);
	/* Dates are bounded to 1800..9999, so the loop is bounded too. */
	for (long x = a; x <= b; x++)
		if (workday_is(date_from_days(x), provisional))
			n++;
	return n;
}

struct date workdays_end(struct date start, int n, bool *provisional)
{
	long x;

	if (n <= 0 || !date_is_set(start) || !date_valid(start.y, start.m, start.d))
		return DATE_NONE;
	x = date_to_days(start);
	for (;;) {
		struct date d = date_from_days(x);

		if (d.y > 9999)
			return DATE_NONE;
		if (workday_is(d, provisional) && --n == 0)
			return d;
		x++;
	}
}
