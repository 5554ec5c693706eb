/*
 * test_date.c: unit tests for src/core/date.c: parsing and formatting,
 * day numbers, Excel serials, and the RULES.md C-01/C-07 conventions.
 */
#include "util/common.h"
#include "core/date.h"

#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

static void
assert_date(struct date got, int y, int m, int d)
{
	char buf[11];

	date_format(got, buf);
	print_message("got %s\n", buf);
	assert_int_equal(got.y, y);
	assert_int_equal(got.m, m);
	assert_int_equal(got.d, d);
}

static void test_valid(void **state)
{
	UNUSED(state);
	assert_true(date_valid(2024, 2, 29));
	assert_false(date_valid(2023, 2, 29));
	assert_true(date_valid(2000, 2, 29));
	assert_false(date_valid(1900, 2, 29));
	assert_true(date_valid(1800, 1, 1));
	assert_false(date_valid(1799, 12, 31));
	assert_true(date_valid(9999, 12, 31));
	assert_false(date_valid(10000, 1, 1));
	assert_false(date_valid(2024, 13, 1));
	assert_false(date_valid(2024, 0, 1));
	assert_false(date_valid(2024, 4, 31));
	assert_true(date_valid(2024, 4, 30));
	assert_false(date_valid(2024, 1, 0));
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2023, 2), 28);
	assert_int_equal(date_days_in_month(2023, 12), 31);
	assert_int_equal(date_days_in_month(2023, 13), 0);
}

static void test_parse_forms(void **state)
{
	static const char *const ok[] = {
		"2019-07-01",
		"2019/7/1",
		"2019.07.01",
		"2019年7月1日",
		"20190701",
		"2019-7-1",
		"2019/07/01",
		"2019年07月01日",
		"  2019-07-01\t\n",
		"\xE3\x80\x80"
		"2019-07-01"
		"\xE3\x80\x80",
	};
	struct date d;

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		d = DATE_NONE;
		print_message("parse '%s'\n", ok[i]);
		assert_int_equal(date_parse(ok[i], &d), 0);
		assert_date(d, 2019, 7, 1);
	}
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(date_parse("1800-01-01", &d), 0);
	assert_date(d, 1800, 1, 1);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"2023-02-29",    "2019-13-01",
		"2019-00-10",    "2019-04-31",
		"2019-07-01x",   "2019-07-01 12:00",
		"2019-07/01",    "2019年7月1",
		"201907011",     "1907-01",
		"19-07-01",      "2019-071-01",
		"2019-7-001",    "",
		"   ",           "abc",
		"2019年7月1日x", "20190229",
		"1799-12-31",    "2019--07-01",
		"+2019-07-01",   "2019-07-",
		"2019 07 01",
	};
	struct date d = D(1, 2, 3);

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		print_message("reject '%s'\n", bad[i]);
		assert_int_equal(date_parse(bad[i], &d), -1);
	}
	assert_int_equal(date_parse(NULL, &d), -1);
	/* A failed parse leaves the output alone. */
	assert_date(d, 1, 2, 3);
}

static void test_format_cmp(void **state)
{
	char buf[11];

	UNUSED(state);
	date_format(D(2019, 7, 1), buf);
	assert_string_equal(buf, "2019-07-01");
	date_format(D(1800, 12, 31), buf);
	assert_string_equal(buf, "1800-12-31");
	date_format(DATE_NONE, buf);
	assert_string_equal(buf, "");

	assert_true(date_cmp(D(2019, 7, 1), D(2019, 7, 2)) < 0);
	assert_true(date_cmp(D(2019, 8, 1), D(2019, 7, 31)) > 0);
	assert_true(date_cmp(D(2020, 1, 1), D(2019, 12, 31)) > 0);
	assert_int_equal(date_cmp(D(2019, 7, 1), D(2019, 7, 1)), 0);
	assert_true(date_cmp(DATE_NONE, D(1800, 1, 1)) < 0);
	assert_int_equal(date_cmp(DATE_NONE, DATE_NONE), 0);
	assert_false(date_is_set(DATE_NONE));
	assert_true(date_is_set(D(2019, 7, 1)));
}

static void test_days(void **state)
{
	struct date d;
	long n;

	UNUSED(state);
	assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
	assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
	assert_int_equal(date_to_days(D(2019, 7, 1)), 18078);
	assert_int_equal(date_to_days(D(1800, 1, 1)), -62091);
	assert_date(date_from_days(0), 1970, 1, 1);
	assert_date(date_from_days(-1), 1969, 12, 31);
	assert_date(date_from_days(11016), 2000, 2, 29);

	/* Every day from 1800 to 2200 follows the previous one. */
	d = D(1800, 1, 1);
	n = date_to_days(d);
	while (d.y < 2200) {
		struct date next = date_from_days(n + 1);

		assert_true(date_valid(next.y, next.m, next.d));
		assert_true(date_cmp(next, d) > 0);
		if (d.d < date_days_in_month(d.y, d.m))
			assert_true(next.y == d.y && next.m == d.m && next.d == d.d + 1);
		else
			assert_int_equal(next.d, 1);
		assert_int_equal(date_to_days(next), n + 1);
		d = next;
		n++;
	}
	assert_date(date_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(date_add_days(D(2024, 3, 1), -1), 2024, 2, 29);
	assert_date(date_add_days(D(2023, 12, 31), 1), 2024, 1, 1);
	assert_false(date_is_set(date_add_days(DATE_NONE, 5)));
}

static void test_excel_serial(void **state)
{
	struct date d = DATE_NONE;

	UNUSED(state);
	assert_int_equal(date_from_excel_serial(1, &d), 0);
	assert_date(d, 1900, 1, 1);
	assert_int_equal(date_from_excel_serial(59, &d), 0);
	assert_date(d, 1900, 2, 28);
	/* 60 is Lotus's 1900-02-29, which never existed. */
	assert_int_equal(date_from_excel_serial(60, &d), -1);
	assert_int_equal(date_from_excel_serial(61, &d), 0);
	assert_date(d, 1900, 3, 1);
	assert_int_equal(date_from_excel_serial(25569, &d), 0);
	assert_date(d, 1970, 1, 1);
	assert_int_equal(date_from_excel_serial(43647, &d), 0);
	assert_date(d, 2019, 7, 1);
	/* The time of day is dropped. */
	assert_int_equal(date_from_excel_serial(43647.99, &d), 0);
	assert_date(d, 2019, 7, 1);
	assert_int_equal(date_from_excel_serial(2958465, &d), 0);
	assert_date(d, 9999, 12, 31);
	assert_int_equal(date_from_excel_serial(2958466, &d), -1);
	assert_int_equal(date_from_excel_serial(0, &d), -1);
	assert_int_equal(date_from_excel_serial(0.5, &d), -1);
	assert_int_equal(date_from_excel_serial(-1, &d), -1);
	assert_int_equal(date_from_excel_serial(NAN, &d), -1);
	assert_int_equal(date_from_excel_serial(INFINITY, &d), -1);
}

static void test_add_months(void **state)
{
	UNUSED(state);
	/* C-01's examples. */
	assert_date(date_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
	assert_date(date_add_months(D(2024, 2, 29), 12), 2025, 2, 28);
	assert_date(date_add_months(D(2023, 1, 31), 1), 2023, 2, 28);
	assert_date(date_add_months(D(2024, 3, 31), 1), 2024, 4, 30);
	assert_date(date_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
	assert_date(date_add_months(D(2024, 12, 15), 1), 2025, 1, 15);
	assert_date(date_add_months(D(2024, 1, 15), -1), 2023, 12, 15);
	assert_date(date_add_months(D(2024, 1, 15), -13), 2022, 12, 15);
	assert_date(date_add_months(D(2024, 2, 29), 48), 2028, 2, 29);
	assert_date(date_add_months(D(2024, 5, 31), 0), 2024, 5, 31);
	/* DEV-35's deadlines from a meeting on 2024-03-31. */
	assert_date(date_add_months(D(2024, 3, 31), 3), 2024, 6, 30);
	assert_date(date_add_months(D(2024, 3, 31), 6), 2024, 9, 30);
	assert_false(date_is_set(date_add_months(DATE_NONE, 3)));
}

static void test_age(void **state)
{
	UNUSED(state);
	assert_int_equal(date_age_on(D(2000, 7, 1), D(2018, 6, 30)), 17);
	assert_int_equal(date_age_on(D(2000, 7, 1), D(2018, 7, 1)), 18);
	assert_int_equal(date_age_on(D(2000, 7, 1), D(2018, 12, 31)), 18);
	assert_int_equal(date_age_on(D(2000, 7, 1), D(2000, 7, 1)), 0);
	assert_int_equal(date_age_on(D(2000, 12, 31), D(2001, 1, 1)), 0);
	/* Born on 29 February: the year completes on 28 February of a common year (C-02). */
	assert_int_equal(date_age_on(D(2004, 2, 29), D(2022, 2, 27)), 17);
	assert_int_equal(date_age_on(D(2004, 2, 29), D(2022, 2, 28)), 18);
	assert_int_equal(date_age_on(D(2004, 2, 29), D(2024, 2, 28)), 19);
	assert_int_equal(date_age_on(D(2004, 2, 29), D(2024, 2, 29)), 20);
	assert_int_equal(date_age_on(DATE_NONE, D(2024, 2, 29)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),         cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_rejects), cmocka_unit_test(test_format_cmp),
		cmocka_unit_test(test_days),          cmocka_unit_test(test_excel_serial),
		cmocka_unit_test(test_add_months),    cmocka_unit_test(test_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
