/*
 * test_idcard.c: unit tests for src/core/idcard.c with the RULES.md
 * CODE-23 vectors (positive and negative), the CODE-21 province set, the
 * birth-date bounds, CODE-24 conversion and masking.
 */
#include "util/common.h"
#include "core/idcard.h"
#include "core/codes.h"

#include <setjmp.h>
#include <cmocka.h>

static const struct date TODAY = { 2026, 6, 15 };

/* Completes 17 digits with their check character into out[19]. */
static void complete(const char *first17, char out[19])
{
	memcpy(out, first17, 17);
	out[17] = idcard_check_char(first17);
	out[18] = '\0';
	assert_true(out[17] != '\0');
}

static void expect_reject(const char *s, bool allow_15, const char *reason)
{
	struct idcard_info info;
	const char *why = NULL;

	print_message("reject '%s'\n", s ? s : "(null)");
	assert_int_equal(idcard_parse(s, allow_15, TODAY, &info, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void test_check_char(void **state)
{
	UNUSED(state);
	/* CODE-23: sums 167, 195, 217. */
	assert_int_equal(idcard_check_char("11010519491231002"), 'X');
	assert_int_equal(idcard_check_char("44052418800101001"), '4');
	assert_int_equal(idcard_check_char("32010619900307123"), '4');
	assert_int_equal(idcard_check_char("1101051949123100A"), '\0');
	assert_int_equal(idcard_check_char(NULL), '\0');
}

static void test_vectors(void **state)
{
	struct idcard_info info;
	const char *why = "unset";

	UNUSED(state);
	assert_int_equal(idcard_parse("11010519491231002X", false, TODAY, &info, &why), 0);
	assert_null(why);
	assert_string_equal(info.number, "11010519491231002X");
	assert_int_equal(info.birth.y, 1949);
	assert_int_equal(info.birth.m, 12);
	assert_int_equal(info.birth.d, 31);
	assert_int_equal(info.gender, GENDER_FEMALE);

	assert_int_equal(idcard_parse("440524188001010014", false, TODAY, &info, &why), 0);
	assert_int_equal(info.birth.y, 1880);
	assert_int_equal(info.birth.m, 1);
	assert_int_equal(info.birth.d, 1);
	assert_int_equal(info.gender, GENDER_MALE);

	assert_int_equal(idcard_parse("320106199003071234", false, TODAY, &info, &why), 0);
	assert_int_equal(info.birth.y, 1990);
	assert_int_equal(info.birth.m, 3);
	assert_int_equal(info.birth.d, 7);
	assert_int_equal(info.gender, GENDER_MALE);

	/* Lower-case x is accepted and stored upper-case; white space is trimmed. */
	assert_int_equal(idcard_parse("11010519491231002x", false, TODAY, &info, NULL), 0);
	assert_string_equal(info.number, "11010519491231002X");
	assert_int_equal(idcard_parse(" \t11010519491231002x\xE3\x80\x80\n", false, TODAY, &info, NULL), 0);
	assert_string_equal(info.number, "11010519491231002X");
}

static void test_negative_vectors(void **state)
{
	char n[19];

	UNUSED(state);
	expect_reject("320106199003071235", false, "身份证号校验位错误");
	expect_reject("11010519491231002Y", false, "身份证号格式不正确");
	expect_reject("110105194902300021", false, "身份证号中的出生日期无效");
	/* 2023-02-29 with a correct check character: only the calendar can catch it. */
	complete("11010520230229002", n);
	expect_reject(n, false, "身份证号中的出生日期无效");
	complete("11010520240229002", n);
	assert_int_equal(idcard_parse(n, false, TODAY, NULL, NULL), 0);
	complete("11010519901301002", n);
	expect_reject(n, false, "身份证号中的出生日期无效");
	complete("11010519900100002", n);
	expect_reject(n, false, "身份证号中的出生日期无效");
	complete("11010517991231002", n); /* century 17 */
	expect_reject(n, false, "身份证号中的出生日期无效");
	complete("11010521000101002", n); /* century 21 */
	expect_reject(n, false, "身份证号中的出生日期无效");
}

static void test_length_and_format(void **state)
{
	UNUSED(state);
	expect_reject("", false, "身份证号应为18位");
	expect_reject(NULL, false, "身份证号应为18位");
	expect_reject("11010519491231002", false, "身份证号应为18位");
	expect_reject("11010519491231002X1", false, "身份证号应为18位");
	expect_reject("110105491231002", false, "身份证号应为18位");
	expect_reject("1101051949123100XX", false, "身份证号格式不正确");
	expect_reject("11010519491231 02X", false, "身份证号格式不正确");
	expect_reject("ABCDEFGHIJKLMNOPQR", false, "身份证号格式不正确");
	expect_reject("11010549123100A", true, "身份证号格式不正确");
}

static void test_province(void **state)
{
	static const char *const good[] = { "11", "15", "21", "23", "31", "37", "41", "46",
					    "50", "54", "61", "65", "71", "81", "82", "83" };
	static const char *const bad[] = { "00", "01", "10", "16", "20", "24", "30", "38", "40", "47",
					   "49", "55", "60", "66", "70", "72", "80", "84", "91", "99" };
	char first[18], n[19];

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		memcpy(first, good[i], 2);
		memcpy(first + 2, "010519491231002", 16);
		complete(first, n);
		print_message("accept %s\n", n);
		assert_int_equal(idcard_parse(n, false, TODAY, NULL, NULL), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(first, bad[i], 2);
		memcpy(first + 2, "010519491231002", 16);
		complete(first, n);
		expect_reject(n, false, "身份证号地区码无效");
	}
}

static void test_birth_bound(void **state)
{
	char n[19];
	struct idcard_info info;

	UNUSED(state);
	complete("11010520260615001", n); /* born today */
	assert_int_equal(idcard_parse(n, false, TODAY, &info, NULL), 0);
	assert_int_equal(info.gender, GENDER_MALE);
	complete("11010520260616001", n); /* born tomorrow */
	expect_reject(n, false, "身份证号中的出生日期无效");
	complete("11010518000101002", n); /* the first day the regex allows */
	assert_int_equal(idcard_parse(n, false, TODAY, &info, NULL), 0);
	assert_int_equal(info.gender, GENDER_FEMALE);
}

static void test_fifteen(void **state)
{
	struct idcard_info info;

	UNUSED(state);
	/* CODE-24: 110105491231002 -> 11010519491231002X. */
	assert_int_equal(idcard_parse("110105491231002", true, TODAY, &info, NULL), 0);
	assert_string_equal(info.number, "11010519491231002X");
	assert_int_equal(info.birth.y, 1949);
	assert_int_equal(info.gender, GENDER_FEMALE);
	expect_reject("110105490230002", true, "身份证号中的出生日期无效");
	expect_reject("100105491231002", true, "身份证号地区码无效");
}

static void test_mask(void **state)
{
	char out[19];

	UNUSED(state);
	idcard_mask("11010519491231002X", out);
	assert_string_equal(out, "110105********002X");
	idcard_mask("320106199003071234", out);
	assert_string_equal(out, "320106********1234");
	idcard_mask("12345678901", out);
	assert_string_equal(out, "123456*8901");
	idcard_mask("1234567890", out);
	assert_string_equal(out, "**********");
	idcard_mask("", out);
	assert_string_equal(out, "");
	idcard_mask(NULL, out);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_char),       cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_negative_vectors), cmocka_unit_test(test_length_and_format),
		cmocka_unit_test(test_province),         cmocka_unit_test(test_birth_bound),
		cmocka_unit_test(test_fifteen),          cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
