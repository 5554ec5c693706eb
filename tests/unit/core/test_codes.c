/*
 * test_codes.c: unit tests for src/core/codes.c: the compiled-in GB/T 3304
 * and GB/T 4658 tables (RULES.md CODE-01/02/10), the name lookups imports
 * use, and the enumeration tables with their JSON names and labels.
 */
#include "util/common.h"
#include "core/codes.h"

#include <setjmp.h>
#include <cmocka.h>

static void assert_code(const struct code_entry *c, const char *code)
{
	assert_non_null(c);
	assert_string_equal(c->code, code);
}

static void test_tables(void **state)
{
	UNUSED(state);
	assert_int_equal(ethnicity_count, 56);
	assert_int_equal(education_count, 40);
	for (size_t i = 0; i < ethnicity_count; i++) {
		char want[3] = { (char)('0' + (i + 1) / 10), (char)('0' + (i + 1) % 10), 0 };

		/* Codes 01..56 in order, two characters with the leading zero. */
		assert_string_equal(ethnicity_codes[i].code, want);
		assert_null(ethnicity_codes[i].level);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ethnicity_codes[i].name, ethnicity_codes[j].name);
	}
	assert_string_equal(ethnicity_by_code("01")->name, "汉族");
	assert_string_equal(ethnicity_by_code("56")->name, "基诺族");
	assert_string_equal(ethnicity_by_code("36")->name, "毛南族");
	assert_string_equal(ethnicity_by_code("43")->name, "乌孜别克族");
	assert_string_equal(ethnicity_by_code("46")->name, "德昂族");
	assert_null(ethnicity_by_code("57"));
	assert_null(ethnicity_by_code("00"));
	assert_null(ethnicity_by_code("1"));
	assert_null(ethnicity_by_code("011"));
	assert_null(ethnicity_by_code(""));
	assert_null(ethnicity_by_code(NULL));

	for (size_t i = 0; i < education_count; i++) {
		const struct code_entry *c = &education_codes[i];

		assert_int_equal(strlen(c->code), 2);
		assert_non_null(c->level);
		/* A row belongs to its main level: same first digit, and the level row exists. */
		assert_int_equal(c->code[0], c->level[0]);
		assert_non_null(education_by_code(c->level));
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(c->code, education_codes[j].code);
			assert_string_not_equal(c->name, education_codes[j].name);
		}
	}
	assert_string_equal(education_by_code("21")->name, "大学本科毕业");
	assert_string_equal(education_by_code("21")->level, "20");
	assert_string_equal(education_by_code("28")->name, "大学普通班毕业");
	assert_string_equal(education_by_code("73")->name, "初中肄业");
	assert_string_equal(education_by_code("90")->name, "其他");
	/* CODE-10: 50 is not used in 2006, and there is no 72 or 82. */
	assert_null(education_by_code("50"));
	assert_null(education_by_code("72"));
	assert_null(education_by_code("82"));
	assert_null(education_by_code(NULL));
}

static void test_ethnicity_names(void **state)
{
	UNUSED(state);
	assert_code(ethnicity_by_name("汉族"), "01");
	assert_code(ethnicity_by_name("汉"), "01");
	assert_code(ethnicity_by_name(" 汉族 "), "01");
	assert_code(ethnicity_by_name("\xE3\x80\x80汉\xE3\x80\x80"), "01");
	assert_code(ethnicity_by_name("蒙古"), "02");
	assert_code(ethnicity_by_name("蒙古族"), "02");
	assert_code(ethnicity_by_name("基诺族"), "56");
	assert_code(ethnicity_by_name("乌孜别克"), "43");
	/* CODE-02 aliases, with and without 族. */
	assert_code(ethnicity_by_name("毛难族"), "36");
	assert_code(ethnicity_by_name("毛难"), "36");
	assert_code(ethnicity_by_name("崩龙族"), "46");
	assert_code(ethnicity_by_name("乌兹别克族"), "43");
	/* Codes. */
	assert_code(ethnicity_by_name("01"), "01");
	assert_code(ethnicity_by_name("56"), "56");
	assert_null(ethnicity_by_name("57"));
	assert_null(ethnicity_by_name("97")); /* extension codes are off by default */
	/* Unknown. */
	assert_null(ethnicity_by_name("族"));
	assert_null(ethnicity_by_name(""));
	assert_null(ethnicity_by_name("汉族族"));
	assert_null(ethnicity_by_name("汉人"));
	assert_null(ethnicity_by_name("蒙"));
	assert_null(ethnicity_by_name(NULL));
	/* Every standard name and its stem find themselves. */
	for (size_t i = 0; i < ethnicity_count; i++)
		assert_ptr_equal(ethnicity_by_name(ethnicity_codes[i].name), &ethnicity_codes[i]);
}

static void test_education_names(void **state)
{
	static const struct {
		const char *name, *code;
	} cases[] = {
		{ "博士", "11" },         { "硕士", "14" },
		{ "研究生", "14" },       { "本科", "21" },
		{ "大学本科", "21" },     { "大学", "21" },
		{ "大专", "31" },         { "专科", "31" },
		{ "大学专科", "31" },     { "中专", "41" },
		{ "职高", "44" },         { "技校", "47" },
		{ "高中", "61" },         { "初中", "71" },
		{ "小学", "81" },         { "本科毕业", "21" },
		{ "大专学历", "31" },     { " 本科 ", "21" },
		{ "21", "21" },           { "10", "10" },
		{ "大学本科毕业", "21" }, { "硕士研究生毕业", "14" },
		{ "初中肄业", "73" },     { "其他", "90" },
	};

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("%s\n", cases[i].name);
		assert_code(education_by_name(cases[i].name), cases[i].code);
	}
	for (size_t i = 0; i < education_count; i++)
		assert_ptr_equal(education_by_name(education_codes[i].name), &education_codes[i]);
	assert_null(education_by_name("50"));
	assert_null(education_by_name("幼儿园"));
	assert_null(education_by_name(""));
	assert_null(education_by_name("毕业"));
	assert_null(education_by_name(NULL));
}

static size_t table_len(const struct enum_entry *t)
{
	size_t n = 0;

	while (t[n].json)
		n++;
	/* The sentinel is {0, NULL, NULL}. */
	assert_int_equal(t[n].value, 0);
	assert_null(t[n].label);
	return n;
}

static void test_enum_tables(void **state)
{
	static const struct {
		const struct enum_entry *t;
		size_t n;
	} tables[] = {
		{ gender_enum, 2 },    { category_enum, 6 },  { status_enum, 2 },
		{ org_type_enum, 6 },  { org_field_enum, 8 }, { committee_role_enum, 6 },
		{ user_role_enum, 5 },
	};

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct enum_entry *t = tables[i].t;

		assert_int_equal(table_len(t), tables[i].n);
		for (size_t j = 0; j < tables[i].n; j++) {
			/* Values are 1..n, and every lookup round-trips. */
			assert_int_equal(t[j].value, (int)j + 1);
			assert_int_equal(enum_from_json(t, t[j].json), t[j].value);
			assert_int_equal(enum_from_label(t, t[j].label), t[j].value);
			assert_string_equal(enum_json(t, t[j].value), t[j].json);
			assert_string_equal(enum_label(t, t[j].value), t[j].label);
		}
		assert_int_equal(enum_from_json(t, "nope"), 0);
		assert_int_equal(enum_from_json(t, NULL), 0);
		assert_int_equal(enum_from_json(t, ""), 0);
		assert_int_equal(enum_from_label(t, ""), 0);
		assert_int_equal(enum_from_label(t, NULL), 0);
		assert_null(enum_json(t, 0));
		assert_null(enum_json(t, 99));
		assert_null(enum_label(t, -1));
	}
}

static void test_enum_names(void **state)
{
	UNUSED(state);
	assert_int_equal(enum_from_json(gender_enum, "male"), GENDER_MALE);
	assert_int_equal(enum_from_json(gender_enum, "female"), GENDER_FEMALE);
	assert_int_equal(enum_from_json(gender_enum, "Male"), 0);
	assert_int_equal(enum_from_label(gender_enum, "男"), GENDER_MALE);
	assert_int_equal(enum_from_label(gender_enum, "女"), GENDER_FEMALE);
	assert_int_equal(enum_from_label(gender_enum, " 女 "), GENDER_FEMALE);
	assert_int_equal(enum_from_label(gender_enum, "女性"), GENDER_FEMALE);
	assert_int_equal(enum_from_label(gender_enum, "male"), 0);

	assert_int_equal(enum_from_label(status_enum, "预备党员"), STATUS_PROBATIONARY);
	assert_int_equal(enum_from_label(status_enum, "预备"), STATUS_PROBATIONARY);
	assert_int_equal(enum_from_label(status_enum, "正式党员"), STATUS_FULL);
	assert_int_equal(enum_from_label(status_enum, "正式"), STATUS_FULL);
	assert_int_equal(enum_from_label(status_enum, "党员"), 0);
	assert_int_equal(enum_from_json(status_enum, "probationary"), STATUS_PROBATIONARY);
	assert_int_equal(enum_from_json(status_enum, "full"), STATUS_FULL);

	assert_int_equal(enum_from_json(category_enum, "in_service"), CAT_IN_SERVICE);
	assert_int_equal(enum_from_label(category_enum, "在职"), CAT_IN_SERVICE);
	assert_int_equal(enum_from_label(category_enum, "在职党员"), CAT_IN_SERVICE);
	assert_int_equal(enum_from_label(category_enum, "离退休"), CAT_RETIRED);
	assert_int_equal(enum_from_label(category_enum, "退休"), CAT_RETIRED);
	assert_int_equal(enum_from_label(category_enum, "农牧渔民"), CAT_FARMER);
	assert_int_equal(enum_from_label(category_enum, "学生党员"), CAT_STUDENT);
	assert_int_equal(enum_from_label(category_enum, "无固定职业"), CAT_UNEMPLOYED);
	assert_int_equal(enum_from_label(category_enum, "其他"), CAT_OTHER);
	/* An alias of one table does not leak into another. */
	assert_int_equal(enum_from_label(category_enum, "预备"), 0);

	assert_string_equal(enum_label(org_type_enum, ORG_PARTY_COMMITTEE), "党委");
	assert_string_equal(enum_json(org_type_enum, ORG_WORKING_COMMITTEE), "working_committee");
	assert_int_equal(enum_from_label(org_type_enum, "党支部"), ORG_BRANCH);
	assert_int_equal(enum_from_label(org_type_enum, "基层党委"), ORG_PARTY_COMMITTEE);
	assert_string_equal(enum_label(org_field_enum, FIELD_SOCIAL), "社会组织");
	assert_string_equal(enum_json(org_field_enum, FIELD_INSTITUTION), "institution");
	assert_string_equal(enum_label(committee_role_enum, CROLE_DISCIPLINE), "纪检委员");
	assert_string_equal(enum_json(committee_role_enum, CROLE_DEPUTY_SECRETARY), "deputy_secretary");
	assert_string_equal(enum_label(user_role_enum, UROLE_ORG_ADMIN), "党务工作者");
	assert_string_equal(enum_json(user_role_enum, UROLE_AUDITOR), "auditor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),          cmocka_unit_test(test_ethnicity_names),
		cmocka_unit_test(test_education_names), cmocka_unit_test(test_enum_tables),
		cmocka_unit_test(test_enum_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
