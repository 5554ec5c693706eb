/*
 * test_workday.c: unit tests for src/core/workday.c: weekends, statutory
 * holidays and make-up working days of 2024-2026 (C-05), the DEV-50
 * example across the 2024 National Day holiday, and the provisional
 * Monday-Friday fallback for years outside the calendar.
 */
#include "util/common.h"
#include "core/workday.h"

#include <setjmp.h>
#include <cmocka.h>

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

static void
assert_workday(struct date d, bool expected)
{
	bool prov = false;

	if (workday_is(d, &prov) != expected)
		fail_msg("%04d-%02d-%02d: expected %s", d.y, d.m, d.d, expected ? "working day" : "day off");
	assert_false(prov);
}

static void test_weekdays_and_weekends(void **state)
{
	(void)state;
	assert_workday(D(2024, 9, 27), true);  /* Friday */
	assert_workday(D(2024, 9, 28), false); /* Saturday */
	assert_workday(D(2024, 9, 30), true);  /* Monday */
	assert_workday(D(2025, 3, 15), false); /* Saturday */
	assert_workday(D(2025, 3, 17), true);  /* Monday */
	assert_workday(D(2026, 3, 1), false);  /* Sunday */
	assert_workday(D(2026, 3, 2), true);   /* Monday */
}

static void test_holidays_and_makeup_days(void **state)
{
	(void)state;
	/* 2024 National Day: 1-7 Oct off; Sun 29 Sep and Sat 12 Oct worked. */
	assert_workday(D(2024, 9, 29), true);
	for (int d = 1; d <= 7; d++)
		assert_workday(D(2024, 10, d), false);
	assert_workday(D(2024, 10, 8), true);
	assert_workday(D(2024, 10, 12), true);
	assert_workday(D(2024, 10, 13), false);
	/* 2024 Spring Festival: 10-17 Feb off; 4 and 18 Feb (Sundays) worked. */
	assert_workday(D(2024, 2, 4), true);
	assert_workday(D(2024, 2, 9), true); /* 除夕: only encouraged off */
	assert_workday(D(2024, 2, 16), false);
	assert_workday(D(2024, 2, 18), true);
	/* 2025: 1 Jan off without make-up; Spring Festival 28 Jan - 4 Feb; 8 Feb worked. */
	assert_workday(D(2025, 1, 1), false);
	assert_workday(D(2025, 1, 2), true);
	assert_workday(D(2025, 1, 26), true);
	assert_workday(D(2025, 2, 4), false);
	assert_workday(D(2025, 2, 5), true);
	assert_workday(D(2025, 2, 8), true);
	assert_workday(D(2025, 10, 8), false);
	assert_workday(D(2025, 10, 9), true);
	assert_workday(D(2025, 10, 11), true);
	/* 2026: 1-3 Jan off, 4 Jan worked; 15-23 Feb off, 14 and 28 Feb worked; 9 May worked. */
	assert_workday(D(2026, 1, 2), false);
	assert_workday(D(2026, 1, 4), true);
	assert_workday(D(2026, 2, 14), true);
	assert_workday(D(2026, 2, 23), false);
	assert_workday(D(2026, 2, 24), true);
	assert_workday(D(2026, 2, 28), true);
	assert_workday(D(2026, 5, 5), false);
	assert_workday(D(2026, 5, 9), true);
	assert_workday(D(2026, 6, 19), false);
	assert_workday(D(2026, 9, 20), true);
	assert_workday(D(2026, 10, 7), false);
	assert_workday(D(2026, 10, 10), true);
}

static void test_dev50_example(void **state)
{
	bool prov = false;

	(void)state;
	/* 27 Sep, 29 Sep, 30 Sep, 8 Oct, 9 Oct. */
	assert_true(date_cmp(workdays_end(D(2024, 9, 27), 5, &prov), D(2024, 10, 9)) == 0);
	assert_true(date_cmp(workdays_end(D(2024, 9, 27), 4, &prov), D(2024, 10, 8)) == 0);
	assert_true(date_cmp(workdays_end(D(2024, 9, 27), 1, &prov), D(2024, 9, 27)) == 0);
	/* A start on a day off counts from the next working day. */
	assert_true(date_cmp(workdays_end(D(2024, 9, 28), 1, &prov), D(2024, 9, 29)) == 0);
	assert_false(prov);
	assert_int_equal(workdays_between(D(2024, 9, 27), D(2024, 10, 9), &prov), 5);
	assert_int_equal(workdays_between(D(2024, 9, 27), D(2024, 10, 8), &prov), 4);
	assert_int_equal(workdays_between(D(2024, 10, 1), D(2024, 10, 7), &prov), 0);
	assert_int_equal(workdays_between(D(2024, 10, 9), D(2024, 9, 27), &prov), 0);
	assert_false(prov);
	assert_false(date_is_set(workdays_end(D(2024, 9, 27), 0, &prov)));
	assert_false(date_is_set(workdays_end(DATE_NONE, 5, &prov)));
	assert_int_equal(workdays_between(DATE_NONE, D(2024, 1, 1), &prov), 0);
	/*
	 * Whole years, counted by hand: Mon-Fri days minus holidays falling on
	 * them plus make-up days. 2024: 262 - 19 + 8; 2025: 261 - 18 + 5;
	 * 2026: 261 - 19 + 6.
	 */
	assert_int_equal(workdays_between(D(2024, 1, 1), D(2024, 12, 31), &prov), 251);
	assert_int_equal(workdays_between(D(2025, 1, 1), D(2025, 12, 31), &prov), 248);
	assert_int_equal(workdays_between(D(2026, 1, 1), D(2026, 12, 31), &prov), 248);
	assert_false(prov);
}

static void test_provisional_years(void **state)
{
	bool prov = false;

	(void)state;
	assert_true(workday_year_known(2024));
	assert_true(workday_year_known(2026));
	assert_false(workday_year_known(2023));
	assert_false(workday_year_known(2027));
	/* 2027-10-01 is a Friday: Mon-Fri fallback says working day, provisional. */
	assert_true(workday_is(D(2027, 10, 1), &prov));
	assert_true(prov);
	prov = false;
	assert_false(workday_is(D(2023, 12, 30), &prov)); /* Saturday */
	assert_true(prov);
	/* Crossing into an unknown year marks the count provisional. */
	prov = false;
	assert_int_equal(workdays_between(D(2026, 12, 28), D(2027, 1, 1), &prov), 5);
	assert_true(prov);
	/* NULL flag is allowed. */
	assert_true(workday_is(D(2030, 1, 2), NULL));
	assert_false(workday_is(DATE_NONE, NULL));
	assert_false(workday_is(D(2024, 2, 30), NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekdays_and_weekends),
		cmocka_unit_test(test_holidays_and_makeup_days),
		cmocka_unit_test(test_dev50_example),
		cmocka_unit_test(test_provisional_years),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
