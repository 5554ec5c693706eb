/*
 * test_dues_statement.c: reading bank and platform statements for dues
 * reconciliation: amounts in yuan to fen without floating point, columns by
 * header in any order, GB18030 files, missing columns refused.
 */
#include "util/common.h"
#include "io/dues_statement.h"
#include "util/arena.h"
#include "util/err.h"

#include <iconv.h>
#include <setjmp.h>

#include <cmocka.h>

static void test_parse_yuan(void **state)
{
	(void)state;
	assert_int_equal(dues_parse_yuan("108.84"), 10884);
	assert_int_equal(dues_parse_yuan("100"), 10000);
	assert_int_equal(dues_parse_yuan("0.2"), 20);
	assert_int_equal(dues_parse_yuan("0.20"), 20);
	assert_int_equal(dues_parse_yuan("1,080.50"), 108050);
	assert_int_equal(dues_parse_yuan("¥15.00"), 1500);
	assert_int_equal(dues_parse_yuan("￥15"), 1500);
	assert_int_equal(dues_parse_yuan(" 12.5 "), 1250);
	/* Not amounts: three decimals, signs, letters, nothing. */
	assert_int_equal(dues_parse_yuan("1.234"), -1);
	assert_int_equal(dues_parse_yuan("-5"), -1);
	assert_int_equal(dues_parse_yuan("12a"), -1);
	assert_int_equal(dues_parse_yuan(""), -1);
	assert_int_equal(dues_parse_yuan("."), -1);
	assert_int_equal(dues_parse_yuan("1.2.3"), -1);
}

static void test_columns_any_order(void **state)
{
	static const char csv[] = "金额（元）,姓名,交易日期,交易流水号\r\n"
				  "94.29,杜诚,2026-11-20,BK0\r\n"
				  "\r\n"
				  "0.20,杨国,2026-11-21,BK1\r\n";
	struct arena *a = arena_new();
	struct statement_row *rows;
	struct err e = ERR_INIT;
	size_t n;

	(void)state;
	assert_int_equal(dues_statement_read(csv, sizeof(csv) - 1, a, &rows, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].reference, "BK0");
	assert_string_equal(rows[0].name, "杜诚");
	assert_string_equal(rows[0].id_card, "");
	assert_int_equal(rows[0].amount_fen, 9429);
	assert_string_equal(rows[0].date, "2026-11-20");
	assert_int_equal(rows[1].line, 4);
	assert_int_equal(rows[1].amount_fen, 20);
	arena_free(a);
}

static void test_gb18030(void **state)
{
	static const char utf8[] = "交易流水号,身份证号,金额\n T1 ,11010519491231002X,15\n";
	char gb[256], *in = (char *)utf8, *out = gb;
	size_t inleft = sizeof(utf8) - 1, outleft = sizeof(gb);
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	struct arena *a = arena_new();
	struct statement_row *rows;
	struct err e = ERR_INIT;
	size_t n;

	(void)state;
	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	iconv_close(cd);
	assert_int_equal(dues_statement_read(gb, sizeof(gb) - outleft, a, &rows, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].reference, "T1");
	assert_string_equal(rows[0].id_card, "11010519491231002X");
	assert_int_equal(rows[0].amount_fen, 1500);
	arena_free(a);
}

static void test_missing_columns(void **state)
{
	static const char no_amount[] = "交易流水号,姓名\nBK0,杜诚\n";
	static const char no_payer[] = "交易流水号,金额\nBK0,1\n";
	struct arena *a = arena_new();
	struct statement_row *rows;
	struct err e = ERR_INIT;
	size_t n;

	(void)state;
	assert_int_equal(dues_statement_read(no_amount, sizeof(no_amount) - 1, a, &rows, &n, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	assert_string_equal(e.code, "import_invalid");
	err_clear(&e);
	assert_int_equal(dues_statement_read(no_payer, sizeof(no_payer) - 1, a, &rows, &n, &e), -1);
	assert_string_equal(e.code, "import_invalid");
	err_clear(&e);
	assert_int_equal(dues_statement_read("", 0, a, &rows, &n, &e), -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_yuan),
		cmocka_unit_test(test_columns_any_order),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_missing_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
