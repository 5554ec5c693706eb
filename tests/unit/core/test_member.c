/*
 * test_member.c: unit tests for src/core/member.c: every field rule of
 * member_validate (docs/api.md "Validation messages", RULES.md DEV-60 and
 * CODE-25) on both sides of its boundary, name normalisation, and the
 * phone number format and mask.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/member.h"

#include <setjmp.h>
#include <cmocka.h>

static const struct date TODAY = { 2026, 6, 15 };

/* A valid full member: born 1990-03-07, male, 320106199003071234 (CODE-23 vector 3). */
static struct member valid_member(void)
{
	struct member m = {
		.org_id = 5,
		.name = "张三",
		.gender = GENDER_MALE,
		.ethnicity = "01",
		.birth_date = { 1990, 3, 7 },
		.id_card = "320106199003071234",
		.education = "21",
		.phone = "13812345678",
		.native_place = "江苏南京",
		.category = CAT_IN_SERVICE,
		.status = STATUS_FULL,
		.joined_on = { 2015, 7, 1 },
		.full_member_on = { 2016, 7, 1 },
		.work_unit = "省交通运输厅",
		.job = "科员",
		.remarks = "无",
	};
	return m;
}

static struct member_rules rules(void)
{
	struct member_rules r;

	member_rules_default(&r);
	return r;
}

/* Validates and checks: NULL `field` means valid; else exactly that field with `msg`. */
static void expect(const struct member *m, const char *field, const char *msg)
{
	struct err e = ERR_INIT;
	struct member_rules r = rules();
	int rc = member_validate(m, &r, TODAY, &e);

	for (int i = 0; i < e.nfields; i++)
		print_message("  %s: %s\n", e.fields[i].name, e.fields[i].message);
	if (!field) {
		assert_int_equal(rc, 0);
		assert_false(err_is_set(&e));
		assert_int_equal(e.nfields, 0);
	} else {
		assert_int_equal(rc, -1);
		assert_int_equal(e.kind, ERR_VALIDATION);
		assert_string_equal(e.code, "validation_failed");
		assert_int_equal(e.nfields, 1);
		assert_string_equal(e.fields[0].name, field);
		if (msg)
			assert_string_equal(e.fields[0].message, msg);
	}
	err_release(&e);
}

static void test_defaults_and_valid(void **state)
{
	struct member_rules r;
	struct member m = valid_member();

	UNUSED(state);
	member_rules_default(&r);
	assert_int_equal(r.min_join_age, 18);
	assert_int_equal(r.probation_months, 12);
	expect(&m, NULL, NULL);
	/* Optional fields may be absent. */
	m.phone = NULL;
	m.native_place = m.work_unit = m.job = m.remarks = NULL;
	expect(&m, NULL, NULL);
	m.phone = "";
	expect(&m, NULL, NULL);
	/* A probationary member without full_member_on. */
	m = valid_member();
	m.status = STATUS_PROBATIONARY;
	m.full_member_on = DATE_NONE;
	expect(&m, NULL, NULL);
}

static void test_empty_member_reports_every_field(void **state)
{
	struct member m = { 0 };
	struct err e = ERR_INIT;
	static const char *const want[][2] = {
		{ "name", "姓名不能为空" },          { "gender", "请选择性别" },
		{ "ethnicity", "民族不能为空" },     { "birth_date", "出生日期不能为空" },
		{ "id_card", "身份证号不能为空" },   { "education", "学历不能为空" },
		{ "category", "请选择人员类别" },    { "status", "请选择党员状态" },
		{ "joined_on", "入党时间不能为空" }, { "org_id", "请选择所在党组织" },
	};

	UNUSED(state);
	assert_int_equal(member_validate(&m, NULL, TODAY, &e), -1);
	assert_int_equal(e.nfields, (int)ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(err_field_message(&e, want[i][0]), want[i][1]);
	assert_string_equal(e.message, "姓名不能为空");
	err_release(&e);
}

static void test_name(void **state)
{
	struct member m = valid_member();
	/* 50 and 51 characters of three bytes each. */
	char n50[50 * 3 + 1] = "", n51[51 * 3 + 1] = "";

	UNUSED(state);
	for (int i = 0; i < 50; i++)
		memcpy(n50 + 3 * i, "张", 4);
	memcpy(n51, n50, sizeof(n50));
	memcpy(n51 + 150, "张", 4);

	m.name = n50;
	expect(&m, NULL, NULL);
	m.name = n51;
	expect(&m, "name", "姓名不能超过50个字");
	m.name = "   ";
	expect(&m, "name", "姓名不能为空");
	m.name = "\xE3\x80\x80\xE3\x80\x80";
	expect(&m, "name", "姓名不能为空");
	m.name = "";
	expect(&m, "name", "姓名不能为空");
	m.name = NULL;
	expect(&m, "name", "姓名不能为空");
	/* Surrounding spaces do not count against the limit. */
	{
		char padded[sizeof(n50) + 8];

		snprintf(padded, sizeof(padded), "  %s\xE3\x80\x80", n50);
		m.name = padded;
		expect(&m, NULL, NULL);
	}
	m.name = "张\x01三";
	expect(&m, "name", "姓名包含无效字符");
	m.name = "张\t三";
	expect(&m, "name", "姓名包含无效字符");
	m.name = "张\xC2\x85三"; /* U+0085, a C1 control */
	expect(&m, "name", "姓名包含无效字符");
	m.name = "张\xFF三";
	expect(&m, "name", "姓名包含无效字符");
	m.name = "阿依古丽·买买提";
	expect(&m, NULL, NULL);
}

static void test_normalize_name(void **state)
{
	char out[16];

	UNUSED(state);
	assert_int_equal(member_normalize_name("  张三 ", out, sizeof(out)), 6);
	assert_string_equal(out, "张三");
	assert_int_equal(member_normalize_name("\xE3\x80\x80张 三\xE3\x80\x80", out, sizeof(out)), 7);
	assert_string_equal(out, "张 三");
	assert_int_equal(member_normalize_name(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* Cut at a character boundary: 5 characters of 3 bytes do not fit in 15 + NUL... */
	assert_int_equal(member_normalize_name("一二三四五六", out, sizeof(out)), 15);
	assert_string_equal(out, "一二三四五");
	/* ...and 4 bytes of room hold one character, not one and a third. */
	assert_int_equal(member_normalize_name("一二", out, 5), 3);
	assert_string_equal(out, "一");
}

static void test_normalize(void **state)
{
	struct member m = valid_member();
	struct member_norm buf;

	UNUSED(state);
	m.name = " 王五\xE3\x80\x80";
	m.id_card = " 11010519491231002x ";
	member_normalize(&m, &buf);
	assert_ptr_equal(m.name, buf.name);
	assert_string_equal(m.name, "王五");
	assert_ptr_equal(m.id_card, buf.id_card);
	assert_string_equal(m.id_card, "11010519491231002X");
	/* An invalid number is left for validation to report. */
	m.id_card = "320106199003071235";
	member_normalize(&m, &buf);
	assert_string_equal(m.id_card, "320106199003071235");
	m.name = NULL;
	m.id_card = NULL;
	member_normalize(&m, &buf);
	assert_null(m.name);
	assert_null(m.id_card);
}

static void test_gender_codes(void **state)
{
	struct member m = valid_member();

	UNUSED(state);
	m.gender = 3;
	expect(&m, "gender", "性别无效");
	m = valid_member();
	memcpy(m.ethnicity, "56", 3);
	expect(&m, NULL, NULL);
	memcpy(m.ethnicity, "57", 3);
	expect(&m, "ethnicity", "民族代码无效");
	memcpy(m.ethnicity, "1", 2);
	expect(&m, "ethnicity", "民族代码无效");
	m = valid_member();
	memcpy(m.education, "28", 3);
	expect(&m, NULL, NULL);
	memcpy(m.education, "72", 3);
	expect(&m, "education", "学历代码无效");
	m.education[0] = '\0';
	expect(&m, "education", "学历不能为空");
	m = valid_member();
	m.category = 7;
	expect(&m, "category", "人员类别无效");
	m = valid_member();
	m.status = 3;
	expect(&m, "status", "党员状态无效");
}

static void test_birth_date(void **state)
{
	struct member m = valid_member();

	UNUSED(state);
	/* Born today is allowed by the birth-date rule (the join-age rule then fails). */
	m.birth_date = TODAY;
	m.id_card = NULL;
	{
		struct err e = ERR_INIT;
		struct member_rules r = rules();

		assert_int_equal(member_validate(&m, &r, TODAY, &e), -1);
		assert_null(err_field_message(&e, "birth_date"));
		assert_string_equal(err_field_message(&e, "joined_on"), "入党时须年满18周岁");
		err_release(&e);
	}
	m = valid_member();
	m.birth_date = (struct date){ 2026, 6, 16 };
	m.id_card = NULL;
	{
		struct err e = ERR_INIT;
		struct member_rules r = rules();

		assert_int_equal(member_validate(&m, &r, TODAY, &e), -1);
		assert_string_equal(err_field_message(&e, "birth_date"), "出生日期不能晚于今天");
		err_release(&e);
	}
	m = valid_member();
	m.birth_date = (struct date){ 1990, 2, 30 };
	{
		struct err e = ERR_INIT;
		struct member_rules r = rules();

		assert_int_equal(member_validate(&m, &r, TODAY, &e), -1);
		assert_string_equal(err_field_message(&e, "birth_date"), "出生日期无效");
		err_release(&e);
	}
}

static void test_id_card(void **state)
{
	struct member m = valid_member();

	UNUSED(state);
	m.id_card = "320106199003071235";
	expect(&m, "id_card", "身份证号校验位错误");
	m.id_card = "3201061990030712";
	expect(&m, "id_card", "身份证号应为18位");
	m.id_card = "";
	expect(&m, "id_card", "身份证号不能为空");
	/* The 15-digit form is for imports only. */
	m.id_card = "320106900307123";
	expect(&m, "id_card", "身份证号应为18位");
	/* CODE-25: agreement with birth date and gender. */
	m = valid_member();
	m.birth_date = (struct date){ 1990, 3, 8 };
	expect(&m, "id_card", "身份证号与出生日期不一致");
	m = valid_member();
	m.gender = GENDER_FEMALE;
	expect(&m, "id_card", "身份证号与性别不一致");
	/* A female number for a female member. */
	m = valid_member();
	m.id_card = "11010519491231002X";
	m.birth_date = (struct date){ 1949, 12, 31 };
	m.gender = GENDER_FEMALE;
	m.joined_on = (struct date){ 1970, 7, 1 };
	m.full_member_on = (struct date){ 1971, 7, 1 };
	expect(&m, NULL, NULL);
	/* Lower-case x and surrounding space are tolerated by validation. */
	m.id_card = " 11010519491231002x";
	expect(&m, NULL, NULL);
}

static void test_join_age(void **state)
{
	struct member m = valid_member();
	struct member_rules r = rules();
	struct err e = ERR_INIT;

	UNUSED(state);
	/* Born 1990-03-07: 18 on 2008-03-07. */
	m.joined_on = (struct date){ 2008, 3, 7 };
	m.full_member_on = (struct date){ 2009, 3, 7 };
	expect(&m, NULL, NULL);
	m.joined_on = (struct date){ 2008, 3, 6 };
	expect(&m, "joined_on", "入党时须年满18周岁");

	/* The age is a setting. */
	r.min_join_age = 20;
	m.joined_on = (struct date){ 2010, 3, 6 };
	m.full_member_on = (struct date){ 2011, 3, 7 };
	assert_int_equal(member_validate(&m, &r, TODAY, &e), -1);
	assert_string_equal(err_field_message(&e, "joined_on"), "入党时须年满20周岁");
	err_clear(&e);
	m.joined_on = (struct date){ 2010, 3, 7 };
	assert_int_equal(member_validate(&m, &r, TODAY, &e), 0);
	err_release(&e);

	/* Born on 29 February: 18 years are complete on 28 February (C-01/C-02). */
	m = valid_member();
	m.id_card = NULL;
	m.birth_date = (struct date){ 2004, 2, 29 };
	m.joined_on = (struct date){ 2022, 2, 28 };
	m.full_member_on = (struct date){ 2023, 2, 28 };
	{
		struct member_rules d = rules();

		assert_int_equal(member_validate(&m, &d, TODAY, &e), -1);
		assert_null(err_field_message(&e, "joined_on"));
		err_clear(&e);
		m.joined_on = (struct date){ 2022, 2, 27 };
		assert_int_equal(member_validate(&m, &d, TODAY, &e), -1);
		assert_string_equal(err_field_message(&e, "joined_on"), "入党时须年满18周岁");
		err_release(&e);
	}
}

static void test_future_dates(void **state)
{
	struct member m = valid_member();

	UNUSED(state);
	m.status = STATUS_PROBATIONARY;
	m.full_member_on = DATE_NONE;
	m.joined_on = TODAY;
	expect(&m, NULL, NULL);
	m.joined_on = (struct date){ 2026, 6, 16 };
	expect(&m, "joined_on", "入党时间不能晚于今天");

	m = valid_member();
	m.joined_on = (struct date){ 2025, 6, 15 };
	m.full_member_on = TODAY;
	expect(&m, NULL, NULL);
	m.full_member_on = (struct date){ 2026, 6, 16 };
	expect(&m, "full_member_on", "转正时间不能晚于今天");
}

static void test_full_member_on(void **state)
{
	struct member m = valid_member();

	UNUSED(state);
	m.full_member_on = DATE_NONE;
	expect(&m, "full_member_on", "正式党员须填写转正时间");
	m.full_member_on = m.joined_on;
	expect(&m, "full_member_on", "转正时间须晚于入党时间");
	m.full_member_on = date_add_days(m.joined_on, 1);
	expect(&m, NULL, NULL);
	m.full_member_on = date_add_days(m.joined_on, -1);
	expect(&m, "full_member_on", "转正时间须晚于入党时间");
	m.full_member_on = (struct date){ 2016, 2, 30 };
	expect(&m, "full_member_on", "转正时间无效");
	m = valid_member();
	m.status = STATUS_PROBATIONARY;
	expect(&m, "full_member_on", "预备党员不应填写转正时间");
}

static void test_org_and_texts(void **state)
{
	struct member m = valid_member();
	char t100[100 * 3 + 1], t101[101 * 3 + 1], r500[501], r501[502];

	UNUSED(state);
	m.org_id = 0;
	expect(&m, "org_id", "请选择所在党组织");
	m.org_id = -3;
	expect(&m, "org_id", "请选择所在党组织");
	m.org_id = 1;
	expect(&m, NULL, NULL);

	for (int i = 0; i < 101; i++)
		memcpy(t101 + 3 * i, "路", 4);
	memcpy(t100, t101, 300);
	t100[300] = '\0';
	memset(r501, 'a', 501);
	r501[501] = '\0';
	memcpy(r500, r501, 500);
	r500[500] = '\0';

	m.native_place = m.work_unit = m.job = t100;
	m.remarks = r500;
	expect(&m, NULL, NULL);
	m.native_place = t101;
	expect(&m, "native_place", "籍贯不能超过100个字");
	m.native_place = t100;
	m.work_unit = t101;
	expect(&m, "work_unit", "工作单位不能超过100个字");
	m.work_unit = t100;
	m.job = t101;
	expect(&m, "job", "职务不能超过100个字");
	m.job = "科员\n";
	expect(&m, "job", "职务包含无效字符");
	m.job = t100;
	m.remarks = r501;
	expect(&m, "remarks", "备注不能超过500个字");
	/* Remarks may have several lines, but no other control characters. */
	m.remarks = "第一行\r\n第二行\t完";
	expect(&m, NULL, NULL);
	m.remarks = "响铃\a";
	expect(&m, "remarks", "备注包含无效字符");
	m.remarks = "\x7f";
	expect(&m, "remarks", "备注包含无效字符");
	m.remarks = "\xC0\xAF"; /* overlong '/' */
	expect(&m, "remarks", "备注包含无效字符");
	m.remarks = "\xED\xA0\x80"; /* a surrogate */
	expect(&m, "remarks", "备注包含无效字符");
}

static void test_phone(void **state)
{
	static const char *const good[] = {
		"13812345678",  "19912345678",   "15000000000",      "010-12345678",
		"0571-8765432", "0571-87654321", "010-12345678-123", "0755-2345678-1",
	};
	static const char *const bad[] = {
		"12812345678",    "1381234567",    "138123456789",  "23812345678",          "138 1234 5678",
		"+8613812345678", "01012345678",   "010-1234567",   "10-12345678",          "00100-1234567",
		"010-0234567",    "010-123456789", "010-12345678-", "010-12345678-1234567", "",
		"0571-8765432x",  " 13812345678",
	};
	struct member m = valid_member();

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		print_message("good %s\n", good[i]);
		assert_true(phone_valid(good[i]));
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		print_message("bad '%s'\n", bad[i]);
		assert_false(phone_valid(bad[i]));
	}
	assert_false(phone_valid(NULL));
	m.phone = "1381234567";
	expect(&m, "phone", "手机号格式不正确");
}

static void test_phone_mask(void **state)
{
	char out[32];

	UNUSED(state);
	phone_mask("13812345678", out, sizeof(out));
	assert_string_equal(out, "138****5678");
	phone_mask("010-12345678", out, sizeof(out));
	assert_string_equal(out, "010-****5678");
	phone_mask("0571-8765432", out, sizeof(out));
	/* Digits are counted across the hyphen. */
	assert_string_equal(out, "057*-***5432");
	phone_mask("1234567", out, sizeof(out));
	assert_string_equal(out, "*******");
	phone_mask("12345678", out, sizeof(out));
	assert_string_equal(out, "123*5678");
	phone_mask(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	/* Output is cut to fit. */
	phone_mask("13812345678", out, 6);
	assert_string_equal(out, "138**");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_valid),
		cmocka_unit_test(test_empty_member_reports_every_field),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_normalize_name),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_gender_codes),
		cmocka_unit_test(test_birth_date),
		cmocka_unit_test(test_id_card),
		cmocka_unit_test(test_join_age),
		cmocka_unit_test(test_future_dates),
		cmocka_unit_test(test_full_member_on),
		cmocka_unit_test(test_org_and_texts),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_phone_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
