/*
 * test_password.c: unit tests for src/core/password.c: length in
 * characters (8) and bytes (128), and 3 of the 4 character classes.
 */
#include "util/common.h"
#include "core/password.h"

#include <setjmp.h>
#include <cmocka.h>

static void test_accepts(void **state)
{
	static const char *const ok[] = {
		"Demo@2026",  /* all four */
		"Abcdefg1",   /* 8 characters: upper, lower, digit */
		"abcdef1!",   /* lower, digit, symbol */
		"ABCDEF1!",   /* upper, digit, symbol */
		"Abcdefg!",   /* upper, lower, symbol */
		"Ab1 cdefg",  /* a space is a symbol */
		"党建Abc123", /* 8 characters, Chinese counts as symbols */
	};

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		print_message("ok %s\n", ok[i]);
		assert_null(password_policy_check(ok[i]));
	}
}

static void test_length(void **state)
{
	char pw[200];

	UNUSED(state);
	assert_string_equal(password_policy_check("Abcdef1"), "密码长度至少为8个字符");
	assert_null(password_policy_check("Abcdef12"));
	/* 7 characters though 13 bytes: characters are counted, not bytes. */
	assert_string_equal(password_policy_check("党建Ab1!x"), "密码长度至少为8个字符");
	assert_string_equal(password_policy_check(""), "密码不能为空");
	assert_string_equal(password_policy_check(NULL), "密码不能为空");

	/* 128 bytes accepted, 129 refused. */
	memset(pw, 'a', 128);
	memcpy(pw, "A1", 2);
	pw[128] = '\0';
	assert_null(password_policy_check(pw));
	pw[128] = 'a';
	pw[129] = '\0';
	assert_string_equal(password_policy_check(pw), "密码过长（不能超过128字节）");
}

static void test_classes(void **state)
{
	static const char *const two[] = {
		"abcdefgh1", "ABCDEFGH1", "abcdefgh!", "ABCDEFGHi", "12345678!", "abcdefghijkl", "12345678",
	};

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(two); i++) {
		print_message("weak %s\n", two[i]);
		assert_string_equal(password_policy_check(two[i]),
				    "密码须包含大写字母、小写字母、数字和符号中的至少3类");
	}
}

static void test_bad_bytes(void **state)
{
	UNUSED(state);
	assert_string_equal(password_policy_check("Abcdef1\n!"), "密码不能包含控制字符");
	assert_string_equal(password_policy_check("Abcdef1\x7f!"), "密码不能包含控制字符");
	assert_string_equal(password_policy_check("Abcdef1\xff!"), "密码包含无效的字符编码");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_bad_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
