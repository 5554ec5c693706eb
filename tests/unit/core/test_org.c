/*
 * test_org.c: unit tests for src/core/org.c: type nesting (RULES.md 9.2),
 * org_validate, default terms and due dates (ORG-10/11), and the
 * structure and term warnings (ORG-01..03, ORG-11/12) on both sides of
 * each threshold.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/org.h"

#include <setjmp.h>
#include <cmocka.h>

static const struct date TODAY = { 2026, 6, 15 };

static struct org branch(int full, int prob, int committee)
{
	struct org o = {
		.id = 12,
		.parent_id = 5,
		.name = "第一党支部",
		.type = ORG_BRANCH,
		.field = FIELD_ORGAN,
		.full_count = full,
		.probationary_count = prob,
		.subtree_members = full + prob,
		.committee_size = committee,
	};
	return o;
}

/* Warnings of `o` on TODAY; returns how many and copies the codes, joined by ",". */
static int codes(const struct org *o, char *buf, size_t cap)
{
	struct org_warning w[8];
	int n = org_warnings(o, TODAY, w, 8);

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t len = strlen(buf);

		print_message("  %s %s\n", w[i].code, w[i].message);
		assert_true(w[i].message[0] != '\0');
		snprintf(buf + len, cap - len, "%s%s", i ? "," : "", w[i].code);
	}
	return n;
}

static void test_nesting(void **state)
{
	static const struct {
		int child, parent;
		bool ok;
	} cases[] = {
		{ ORG_PARTY_COMMITTEE, ORG_TYPE_NONE, true },
		{ ORG_PARTY_COMMITTEE, ORG_PARTY_COMMITTEE, true },
		{ ORG_PARTY_COMMITTEE, ORG_WORKING_COMMITTEE, true },
		{ ORG_PARTY_COMMITTEE, ORG_LEADING_GROUP, true },
		{ ORG_PARTY_COMMITTEE, ORG_GENERAL_BRANCH, false },
		{ ORG_PARTY_COMMITTEE, ORG_BRANCH, false },
		{ ORG_GENERAL_BRANCH, ORG_PARTY_COMMITTEE, true },
		{ ORG_GENERAL_BRANCH, ORG_WORKING_COMMITTEE, true },
		{ ORG_GENERAL_BRANCH, ORG_TYPE_NONE, false },
		{ ORG_GENERAL_BRANCH, ORG_GENERAL_BRANCH, false },
		{ ORG_GENERAL_BRANCH, ORG_LEADING_GROUP, false },
		{ ORG_BRANCH, ORG_PARTY_COMMITTEE, true },
		{ ORG_BRANCH, ORG_GENERAL_BRANCH, true },
		{ ORG_BRANCH, ORG_WORKING_COMMITTEE, true },
		{ ORG_BRANCH, ORG_TYPE_NONE, false },
		{ ORG_BRANCH, ORG_BRANCH, false },
		{ ORG_BRANCH, ORG_PARTY_GROUP, false },
		{ ORG_PARTY_GROUP, ORG_BRANCH, true },
		{ ORG_PARTY_GROUP, ORG_GENERAL_BRANCH, false },
		{ ORG_PARTY_GROUP, ORG_PARTY_COMMITTEE, false },
		{ ORG_PARTY_GROUP, ORG_TYPE_NONE, false },
		{ ORG_PARTY_GROUP, ORG_PARTY_GROUP, false },
		{ ORG_LEADING_GROUP, ORG_TYPE_NONE, true },
		{ ORG_LEADING_GROUP, ORG_PARTY_COMMITTEE, true },
		{ ORG_LEADING_GROUP, ORG_WORKING_COMMITTEE, true },
		{ ORG_LEADING_GROUP, ORG_BRANCH, false },
		{ ORG_LEADING_GROUP, ORG_LEADING_GROUP, false },
		{ ORG_WORKING_COMMITTEE, ORG_TYPE_NONE, true },
		{ ORG_WORKING_COMMITTEE, ORG_PARTY_COMMITTEE, true },
		{ ORG_WORKING_COMMITTEE, ORG_WORKING_COMMITTEE, true },
		{ ORG_WORKING_COMMITTEE, ORG_GENERAL_BRANCH, false },
		{ ORG_TYPE_NONE, ORG_TYPE_NONE, false },
		{ 99, ORG_PARTY_COMMITTEE, false },
	};

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("%d under %d\n", cases[i].child, cases[i].parent);
		assert_int_equal(org_type_allowed_under(cases[i].child, cases[i].parent), cases[i].ok);
	}
}

static void test_validate(void **state)
{
	struct org o = branch(3, 0, 1);
	struct err e = ERR_INIT;
	char n60[60 * 3 + 1], n61[61 * 3 + 1];

	UNUSED(state);
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), 0);
	assert_false(err_is_set(&e));

	for (int i = 0; i < 61; i++)
		memcpy(n61 + 3 * i, "党", 4);
	memcpy(n60, n61, 180);
	n60[180] = '\0';
	o.name = n60;
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), 0);
	o.name = n61;
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "name"), "组织名称不能超过60个字");
	err_clear(&e);
	o.name = " \xE3\x80\x80 ";
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "name"), "组织名称不能为空");
	assert_int_equal(e.nfields, 1);
	err_clear(&e);
	o.name = "第一\n党支部";
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "name"), "组织名称包含无效字符");
	err_clear(&e);

	/* term_years: 0 (default) or 3..5. */
	o = branch(3, 0, 1);
	for (int t = -1; t <= 7; t++) {
		int want = (t == 0 || (t >= 3 && t <= 5)) ? 0 : -1;

		o.term_years = t;
		assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), want);
		if (want)
			assert_string_equal(err_field_message(&e, "term_years"), "届期应为3至5年");
		err_clear(&e);
	}

	/* Unknown or missing type and field. */
	o = branch(3, 0, 1);
	o.type = ORG_TYPE_NONE;
	o.field = 42;
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "type"), "请选择组织类型");
	assert_string_equal(err_field_message(&e, "field"), "所属领域无效");
	assert_null(err_field_message(&e, "parent_id"));
	err_clear(&e);
	o.type = 42;
	o.field = FIELD_NONE;
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "type"), "组织类型无效");
	assert_string_equal(err_field_message(&e, "field"), "请选择所属领域");
	err_clear(&e);

	/* Nesting. */
	o = branch(3, 0, 1);
	o.type = ORG_PARTY_GROUP;
	assert_int_equal(org_validate(&o, ORG_BRANCH, &e), 0);
	assert_int_equal(org_validate(&o, ORG_GENERAL_BRANCH, &e), -1);
	assert_string_equal(err_field_message(&e, "parent_id"), "党小组只能设在党支部下");
	assert_int_equal(e.nfields, 1);
	err_clear(&e);
	o.type = ORG_BRANCH;
	o.parent_id = 0; /* a branch cannot be a root, whatever parent_type says */
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "parent_id"), "党支部只能设在党委、党总支或工委下");
	err_clear(&e);
	o.type = ORG_PARTY_COMMITTEE;
	assert_int_equal(org_validate(&o, ORG_TYPE_NONE, &e), 0);
	o.parent_id = -1;
	assert_int_equal(org_validate(&o, ORG_TYPE_NONE, &e), -1);
	assert_string_equal(err_field_message(&e, "parent_id"), "上级党组织无效");
	err_clear(&e);

	o = branch(3, 0, 1);
	o.elected_on = (struct date){ 2023, 2, 29 };
	assert_int_equal(org_validate(&o, ORG_PARTY_COMMITTEE, &e), -1);
	assert_string_equal(err_field_message(&e, "elected_on"), "换届时间无效");
	err_release(&e);
}

static void test_terms(void **state)
{
	struct org o = branch(3, 0, 1);
	struct date due;

	UNUSED(state);
	/* ORG-10. */
	assert_int_equal(org_default_term_years(ORG_PARTY_COMMITTEE, FIELD_ORGAN), 5);
	assert_int_equal(org_default_term_years(ORG_PARTY_COMMITTEE, FIELD_RURAL), 5);
	assert_int_equal(org_default_term_years(ORG_GENERAL_BRANCH, FIELD_ENTERPRISE), 3);
	assert_int_equal(org_default_term_years(ORG_BRANCH, FIELD_SCHOOL), 3);
	assert_int_equal(org_default_term_years(ORG_BRANCH, FIELD_RURAL), 5);
	assert_int_equal(org_default_term_years(ORG_GENERAL_BRANCH, FIELD_COMMUNITY), 5);
	assert_int_equal(org_default_term_years(ORG_PARTY_GROUP, FIELD_ORGAN), 0);
	assert_int_equal(org_default_term_years(ORG_LEADING_GROUP, FIELD_ORGAN), 0);

	/* ORG-11: add_months(elected_on, 12 * years). */
	assert_false(date_is_set(org_term_due(&o)));
	o.elected_on = (struct date){ 2024, 2, 29 };
	due = org_term_due(&o);
	assert_int_equal(due.y, 2027);
	assert_int_equal(due.m, 2);
	assert_int_equal(due.d, 28);
	o.term_years = 4;
	due = org_term_due(&o);
	assert_int_equal(due.y, 2028);
	assert_int_equal(due.d, 29);
	o.term_years = 0;
	o.field = FIELD_RURAL;
	assert_int_equal(org_term_due(&o).y, 2029);
	o.type = ORG_PARTY_GROUP;
	assert_false(date_is_set(org_term_due(&o)));
}

static void test_branch_warnings(void **state)
{
	char buf[128];
	struct org o;

	UNUSED(state);
	/* ORG-01: fewer than 3 full members; probationary members do not count. */
	o = branch(2, 5, 1);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-01");
	o = branch(3, 0, 1);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);

	/* ORG-02: more than 50 members (full and probationary). */
	o = branch(6, 44, 1); /* exactly 50 */
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o = branch(6, 45, 1);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-02");
	o = branch(40, 10, 5);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o = branch(40, 11, 5);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-02");
	/* Members of its party groups count towards the branch. */
	o = branch(40, 10, 5);
	o.subtree_members = 51;
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-02");

	/* ORG-03 tests: 7 full without committee; 6 full with a committee; committee of 8. */
	o = branch(7, 0, 1);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-03");
	o = branch(7, 0, 2);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	o = branch(7, 0, 3);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o = branch(20, 0, 7);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o = branch(20, 0, 8);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-03");
	o = branch(6, 0, 3);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-03");
	o = branch(6, 0, 2); /* secretary and one deputy */
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o = branch(6, 0, 0);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);

	/* Several at once, and the cap. */
	o = branch(2, 60, 9);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "ORG-01,ORG-02,ORG-03");
	{
		struct org_warning w[2];

		assert_int_equal(org_warnings(&o, TODAY, w, 2), 2);
		assert_int_equal(org_warnings(&o, TODAY, w, 0), 0);
	}

	/* Branch rules apply to branches only. */
	o = branch(2, 60, 9);
	o.type = ORG_PARTY_COMMITTEE;
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o.type = ORG_GENERAL_BRANCH;
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
}

static void test_term_warnings(void **state)
{
	char buf[128];
	struct org o = branch(5, 0, 1);
	struct org_warning w[4];

	UNUSED(state);
	o.term_years = 3;
	/* Due on TODAY + 91 days: nothing yet. */
	o.elected_on = date_add_months(date_add_days(TODAY, 91), -36);
	assert_int_equal(date_to_days(org_term_due(&o)) - date_to_days(TODAY), 91);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	/* Due in 90 days: ORG-12. */
	o.elected_on = date_add_months(date_add_days(TODAY, 90), -36);
	assert_int_equal(date_to_days(org_term_due(&o)) - date_to_days(TODAY), 90);
	assert_int_equal(org_warnings(&o, TODAY, w, 4), 1);
	assert_string_equal(w[0].code, "ORG-12");
	assert_non_null(strstr(w[0].message, "90天"));
	/* Due today: still ORG-12, not overdue. */
	o.elected_on = date_add_months(TODAY, -36);
	assert_int_equal(codes(&o, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ORG-12");
	/* Due yesterday: ORG-11. */
	o.elected_on = date_add_months(date_add_days(TODAY, -1), -36);
	assert_int_equal(org_warnings(&o, TODAY, w, 4), 1);
	assert_string_equal(w[0].code, "ORG-11");
	assert_non_null(strstr(w[0].message, "2026-06-14"));
	assert_non_null(strstr(w[0].message, "1天"));
	/* More than a year overdue. */
	o.elected_on = (struct date){ 2020, 1, 1 };
	assert_int_equal(org_warnings(&o, TODAY, w, 4), 1);
	assert_string_equal(w[0].code, "ORG-11");
	assert_non_null(strstr(w[0].message, "1年"));
	/* No elected_on, or a type without a term: no term warning. */
	o.elected_on = DATE_NONE;
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	o.elected_on = (struct date){ 2020, 1, 1 };
	o.type = ORG_PARTY_GROUP;
	o.term_years = 0;
	assert_int_equal(codes(&o, buf, sizeof(buf)), 0);
	/* Structure and term warnings together. */
	o = branch(2, 0, 1);
	o.elected_on = (struct date){ 2020, 1, 1 };
	assert_int_equal(codes(&o, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "ORG-01,ORG-11");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),       cmocka_unit_test(test_validate),
		cmocka_unit_test(test_terms),         cmocka_unit_test(test_branch_warnings),
		cmocka_unit_test(test_term_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
