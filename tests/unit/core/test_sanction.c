/*
 * test_sanction.c: unit tests for src/core/sanction.c: the five sanctions
 * in order (DISC-01), their effect periods with the RULES.md test values on
 * both sides of each boundary (DISC-02), 留党察看's rights, extension and
 * post bar (and their use by the DEV-21 introducer check), delegates
 * (DISC-03), who decides (DISC-04), probationary members (DISC-05, DEV-43)
 * and the lighter measures (DISC-06).
 */
#include "util/common.h"
#include "util/err.h"
#include "core/develop.h"
#include "core/sanction.h"

#include <setjmp.h>
#include <cmocka.h>

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

#define TODAY D(2026, 6, 1)

static void
assert_date(struct date got, struct date want)
{
	char a[11], b[11];

	date_format(got, a);
	date_format(want, b);
	if (date_cmp(got, want) != 0)
		fail_msg("date '%s', expected '%s'", a, b);
}

/* A refusal by `rule` with a field error on `field`. */
static void assert_rule(int rc, struct err *e, const char *rule, const char *field)
{
	char prefix[16];

	assert_int_equal(rc, -1);
	assert_int_equal(e->kind, ERR_VALIDATION);
	if (strcmp(e->code, "rule_violation") != 0)
		fail_msg("code %s (%s), expected rule_violation [%s]", e->code, e->message, rule);
	snprintf(prefix, sizeof(prefix), "[%s] ", rule);
	if (strncmp(e->message, prefix, strlen(prefix)) != 0)
		fail_msg("message '%s', expected rule %s", e->message, rule);
	if (!err_field_message(e, field))
		fail_msg("no error on field %s (%s)", field, e->message);
	err_clear(e);
}

/* A plain validation error on `field`. */
static void assert_invalid(int rc, struct err *e, const char *field)
{
	assert_int_equal(rc, -1);
	assert_string_equal(e->code, "validation_failed");
	if (!err_field_message(e, field))
		fail_msg("no error on field %s (%s)", field, e->message);
	err_clear(e);
}

/* ----------------------------------------------------------------- DISC-01 */

static void test_disc01_order(void **state)
{
	static const char *const json[] = { "warning", "serious_warning", "removal_from_post", "probation",
					    "expulsion" };
	static const char *const label[] = { "警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍" };

	(void)state;
	/* DISC-01: lightest to heaviest, a larger value is heavier. */
	assert_true(SANCTION_WARNING < SANCTION_SERIOUS_WARNING);
	assert_true(SANCTION_SERIOUS_WARNING < SANCTION_REMOVAL_FROM_POST);
	assert_true(SANCTION_REMOVAL_FROM_POST < SANCTION_PROBATION);
	assert_true(SANCTION_PROBATION < SANCTION_EXPULSION);
	for (int t = SANCTION_WARNING; t <= SANCTION_EXPULSION; t++) {
		assert_string_equal(enum_json(sanction_type_enum, t), json[t - 1]);
		assert_string_equal(enum_label(sanction_type_enum, t), label[t - 1]);
		assert_int_equal(enum_from_json(sanction_type_enum, json[t - 1]), t);
	}
	assert_null(enum_json(sanction_type_enum, SANCTION_NONE));
	assert_null(enum_json(sanction_type_enum, SANCTION_EXPULSION + 1));
	assert_int_equal(enum_from_json(sanction_type_enum, "criticism"), SANCTION_NONE);
}

/* ----------------------------------------------------------------- DISC-02 */

static void test_disc02_periods(void **state)
{
	const struct date on = D(2024, 3, 1);

	(void)state;
	/* 警告 2024-03-01: promotion blocked until 2025-03-01 (12 months). */
	assert_date(sanction_effect_end(SANCTION_WARNING, on, 0), D(2025, 3, 1));
	assert_false(sanction_in_effect(SANCTION_WARNING, on, 0, D(2024, 2, 29)));
	assert_true(sanction_in_effect(SANCTION_WARNING, on, 0, on));
	assert_true(sanction_in_effect(SANCTION_WARNING, on, 0, D(2025, 2, 28)));
	assert_false(sanction_in_effect(SANCTION_WARNING, on, 0, D(2025, 3, 1)));
	/* 严重警告: 18 months, until 2025-09-01. */
	assert_date(sanction_effect_end(SANCTION_SERIOUS_WARNING, on, 0), D(2025, 9, 1));
	assert_true(sanction_in_effect(SANCTION_SERIOUS_WARNING, on, 0, D(2025, 8, 31)));
	assert_false(sanction_in_effect(SANCTION_SERIOUS_WARNING, on, 0, D(2025, 9, 1)));
	/* 撤销党内职务: 24 months. */
	assert_date(sanction_effect_end(SANCTION_REMOVAL_FROM_POST, on, 0), D(2026, 3, 1));
	assert_true(sanction_in_effect(SANCTION_REMOVAL_FROM_POST, on, 0, D(2026, 2, 28)));
	assert_false(sanction_in_effect(SANCTION_REMOVAL_FROM_POST, on, 0, D(2026, 3, 1)));
	/* 留党察看: 12 or 24 months; `probation_months` does not change the others. */
	assert_date(sanction_effect_end(SANCTION_PROBATION, on, 12), D(2025, 3, 1));
	assert_date(sanction_effect_end(SANCTION_PROBATION, on, 24), D(2026, 3, 1));
	assert_date(sanction_effect_end(SANCTION_WARNING, on, 24), D(2025, 3, 1));
	assert_true(sanction_in_effect(SANCTION_PROBATION, on, 12, D(2025, 2, 28)));
	assert_false(sanction_in_effect(SANCTION_PROBATION, on, 12, D(2025, 3, 1)));
	assert_true(sanction_in_effect(SANCTION_PROBATION, on, 24, D(2026, 2, 28)));
	assert_false(sanction_in_effect(SANCTION_PROBATION, on, 24, D(2026, 3, 1)));
	/* C-01: a month end is clamped. */
	assert_date(sanction_effect_end(SANCTION_SERIOUS_WARNING, D(2024, 8, 31), 0), D(2026, 2, 28));
	/* 开除党籍: no period, in effect from the decision on. */
	assert_false(date_is_set(sanction_effect_end(SANCTION_EXPULSION, on, 0)));
	assert_false(sanction_in_effect(SANCTION_EXPULSION, on, 0, D(2024, 2, 29)));
	assert_true(sanction_in_effect(SANCTION_EXPULSION, on, 0, D(2099, 1, 1)));
	/* Unknown type or date. */
	assert_false(date_is_set(sanction_effect_end(SANCTION_NONE, on, 0)));
	assert_false(date_is_set(sanction_effect_end(SANCTION_WARNING, DATE_NONE, 0)));
	assert_false(sanction_in_effect(SANCTION_NONE, on, 0, on));
	assert_false(sanction_in_effect(SANCTION_WARNING, DATE_NONE, 0, on));
}

static void test_disc02_readmission(void **state)
{
	(void)state;
	/* 开除 2024-03-01: earliest re-application 2029-03-01 (5 years). */
	assert_date(sanction_readmission_from(D(2024, 3, 1)), D(2029, 3, 1));
	assert_false(sanction_readmission_allowed(D(2024, 3, 1), D(2029, 2, 28)));
	assert_true(sanction_readmission_allowed(D(2024, 3, 1), D(2029, 3, 1)));
	assert_date(sanction_readmission_from(D(2024, 2, 29)), D(2029, 2, 28)); /* C-02 */
	assert_false(date_is_set(sanction_readmission_from(DATE_NONE)));
	assert_false(sanction_readmission_allowed(DATE_NONE, D(2029, 3, 1)));
	assert_false(sanction_readmission_allowed(D(2024, 3, 1), DATE_NONE));
}

static void test_disc02_probation_rights(void **state)
{
	const struct date on = D(2024, 3, 1);

	(void)state;
	/* No vote, election or candidacy while under 留党察看; restored at the end of the period. */
	assert_false(sanction_rights_suspended(SANCTION_PROBATION, on, 12, DATE_NONE, D(2024, 2, 29)));
	assert_true(sanction_rights_suspended(SANCTION_PROBATION, on, 12, DATE_NONE, on));
	assert_true(sanction_rights_suspended(SANCTION_PROBATION, on, 12, DATE_NONE, D(2025, 2, 28)));
	assert_false(sanction_rights_suspended(SANCTION_PROBATION, on, 12, DATE_NONE, D(2025, 3, 1)));
	assert_true(sanction_rights_suspended(SANCTION_PROBATION, on, 24, DATE_NONE, D(2026, 2, 28)));
	assert_false(sanction_rights_suspended(SANCTION_PROBATION, on, 24, DATE_NONE, D(2026, 3, 1)));
	/* A recorded restoration date governs. */
	assert_true(sanction_rights_suspended(SANCTION_PROBATION, on, 12, D(2025, 3, 10), D(2025, 3, 9)));
	assert_false(sanction_rights_suspended(SANCTION_PROBATION, on, 12, D(2025, 3, 10), D(2025, 3, 10)));
	/* The other sanctions keep the rights. */
	for (int t = SANCTION_WARNING; t <= SANCTION_EXPULSION; t++)
		if (t != SANCTION_PROBATION)
			assert_false(sanction_rights_suspended(t, on, 12, DATE_NONE, D(2024, 6, 1)));

	/* After restoration, 24 months without an equal or higher post. */
	assert_date(sanction_post_bar_end(D(2025, 3, 1)), D(2027, 3, 1));
	assert_false(date_is_set(sanction_post_bar_end(DATE_NONE)));
}

static void test_disc02_probation_extension(void **state)
{
	struct err e = ERR_INIT;
	int total = -1;

	(void)state;
	/* A 1-year case extended by 1 year: 24 months, the maximum. */
	assert_int_equal(sanction_probation_extend(12, 12, &total, &e), 0);
	assert_int_equal(total, 24);
	assert_false(err_is_set(&e));
	assert_rule(sanction_probation_extend(24, 12, &total, &e), &e, "DISC-02", "probation_months");
	assert_int_equal(total, 24); /* unchanged */
	assert_rule(sanction_probation_extend(12, 11, &total, &e), &e, "DISC-02", "probation_months");
	assert_int_equal(total, 12);
	assert_rule(sanction_probation_extend(12, 13, &total, &e), &e, "DISC-02", "probation_months");
}

/* DEV-21 (and DEV-30): a member under 留党察看 may not be an introducer until the rights return. */
static void test_disc02_introducer(void **state)
{
	static const struct date on[10] = {
		{ 0, 0, 0 },     { 2023, 1, 10 }, { 2023, 1, 20 }, { 2023, 3, 15 }, { 2023, 3, 20 },
		{ 2023, 3, 25 }, { 2023, 9, 10 }, { 2024, 3, 15 }, { 2024, 3, 20 }, { 2024, 3, 25 },
	};
	struct dev_step_brief steps[9];
	struct dev_person_fact people[2];
	struct dev_case c = { .version = 2014, .birth_date = { 1990, 1, 1 }, .steps = steps, .nsteps = 8 };
	struct dev_step_input in = { .step = 9, .on = on[9], .people = people, .npeople = 2 };
	struct dev_rules r;
	struct dev_verdict v;

	(void)state;
	dev_rules_default(&r, 2014);
	for (int s = 1; s <= 8; s++)
		steps[s - 1] = (struct dev_step_brief){ .step = s, .on = on[s] };
	for (int i = 0; i < 2; i++)
		people[i] = (struct dev_person_fact){ .role = DEV_ROLE_INTRODUCER,
						      .member_id = 10 + i,
						      .registered = true,
						      .status = STATUS_FULL,
						      .state = MSTATE_ACTIVE,
						      .in_branch = true };
	/* 留党察看一年 decided 2023-03-26: step 9 on 2024-03-25 is one day short of the end. */
	for (int day = 26; day >= 25; day--) {
		struct err e = ERR_INIT;
		int rc;

		people[1].sanction_probation =
			sanction_rights_suspended(SANCTION_PROBATION, D(2023, 3, day), 12, DATE_NONE, in.on);
		rc = dev_check_step(&r, &c, &in, TODAY, &v, &e);
		if (day == 26) {
			assert_true(people[1].sanction_probation);
			assert_rule(rc, &e, "DEV-21", "people");
		} else {
			assert_false(people[1].sanction_probation);
			assert_int_equal(rc, 0);
			err_release(&e);
		}
	}
	/* A 严重警告 in effect does not bar an introducer. */
	people[1].sanction_probation =
		sanction_rights_suspended(SANCTION_SERIOUS_WARNING, D(2024, 1, 1), 0, DATE_NONE, in.on);
	assert_false(people[1].sanction_probation);
}

/* ----------------------------------------------------------------- DISC-03 */

static void test_disc03_delegates(void **state)
{
	(void)state;
	/* 留党察看 or heavier ends a delegate's status; lighter ones do not. */
	assert_false(sanction_ends_delegate(SANCTION_WARNING));
	assert_false(sanction_ends_delegate(SANCTION_SERIOUS_WARNING));
	assert_false(sanction_ends_delegate(SANCTION_REMOVAL_FROM_POST));
	assert_true(sanction_ends_delegate(SANCTION_PROBATION));
	assert_true(sanction_ends_delegate(SANCTION_EXPULSION));
	assert_false(sanction_ends_delegate(SANCTION_NONE));
	/* No Party post: 撤销党内职务 becomes 严重警告. */
	assert_int_equal(sanction_effective_type(SANCTION_REMOVAL_FROM_POST, false),
			 SANCTION_SERIOUS_WARNING);
	assert_int_equal(sanction_effective_type(SANCTION_REMOVAL_FROM_POST, true),
			 SANCTION_REMOVAL_FROM_POST);
	assert_int_equal(sanction_effective_type(SANCTION_PROBATION, false), SANCTION_PROBATION);
	assert_int_equal(sanction_effective_type(SANCTION_WARNING, false), SANCTION_WARNING);
}

/* ----------------------------------------------------------------- DISC-04 */

static void test_disc04_authority(void **state)
{
	struct sanction_authority a;

	(void)state;
	/* Branch meeting decides, 基层党委 approves; expulsions and important cases go to a commission. */
	for (int t = SANCTION_WARNING; t <= SANCTION_PROBATION; t++) {
		assert_int_equal(sanction_authority(t, false, &a), 0);
		assert_true(a.branch_meeting && a.committee_approval);
		assert_false(a.commission_approval);
		assert_int_equal(sanction_authority(t, true, &a), 0);
		assert_true(a.commission_approval);
	}
	assert_int_equal(sanction_authority(SANCTION_EXPULSION, false, &a), 0);
	assert_true(a.branch_meeting && a.committee_approval && a.commission_approval);
	assert_int_equal(sanction_authority(SANCTION_NONE, false, &a), -1);
	assert_false(a.branch_meeting || a.committee_approval || a.commission_approval);
	assert_int_equal(sanction_authority(SANCTION_EXPULSION + 1, true, &a), -1);
}

/* --------------------------------------------------------- sanction_check */

static struct sanction_input full_member(int type)
{
	return (struct sanction_input){ .type = type,
					.member_status = STATUS_FULL,
					.decided_on = D(2024, 3, 1),
					.joined_on = D(2010, 7, 1),
					.probation_months = type == SANCTION_PROBATION ? 12 : 0,
					.holds_party_post = true };
}

static void test_sanction_check(void **state)
{
	struct sanction_input in;
	struct err e = ERR_INIT;

	(void)state;
	for (int t = SANCTION_WARNING; t <= SANCTION_EXPULSION; t++) {
		in = full_member(t);
		assert_int_equal(sanction_check(&in, TODAY, &e), 0);
		assert_false(err_is_set(&e));
	}
	/* 留党察看 lasts 12 or 24 months. */
	in = full_member(SANCTION_PROBATION);
	in.probation_months = 24;
	assert_int_equal(sanction_check(&in, TODAY, &e), 0);
	in.probation_months = 18;
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "probation_months");
	in.probation_months = 0;
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "probation_months");
	in = full_member(SANCTION_WARNING);
	in.probation_months = 12;
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "probation_months");
	/* Type and dates. */
	in = full_member(SANCTION_NONE);
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "type");
	in = full_member(SANCTION_EXPULSION + 1);
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "type");
	in = full_member(SANCTION_WARNING);
	in.decided_on = DATE_NONE;
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "decided_on");
	in.decided_on = D(2026, 6, 2);
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "decided_on");
	in.decided_on = D(2026, 6, 1);
	assert_int_equal(sanction_check(&in, TODAY, &e), 0);
	in.decided_on = D(2010, 6, 30);
	assert_invalid(sanction_check(&in, TODAY, &e), &e, "decided_on");
	in.decided_on = D(2010, 7, 1);
	assert_int_equal(sanction_check(&in, TODAY, &e), 0);

	/* DISC-03: 撤销党内职务 only for a member holding a Party post. */
	in = full_member(SANCTION_REMOVAL_FROM_POST);
	in.holds_party_post = false;
	assert_rule(sanction_check(&in, TODAY, &e), &e, "DISC-03", "type");
	in = full_member(SANCTION_SERIOUS_WARNING);
	in.holds_party_post = false;
	assert_int_equal(sanction_check(&in, TODAY, &e), 0);
}

/* ------------------------------------------------------ DISC-05, DEV-43 */

static void test_disc05_probationary(void **state)
{
	struct sanction_input in;
	struct err e = ERR_INIT;

	(void)state;
	/* None of the five sanctions for a probationary member; full members get them. */
	for (int t = SANCTION_WARNING; t <= SANCTION_EXPULSION; t++) {
		in = full_member(t);
		in.member_status = STATUS_PROBATIONARY;
		assert_rule(sanction_check(&in, TODAY, &e), &e, "DISC-05", "type");
		in.member_status = STATUS_FULL;
		assert_int_equal(sanction_check(&in, TODAY, &e), 0);
	}

	/* DEV-43: minor -> criticism or extended probation; serious -> cancellation. */
	assert_int_equal(probation_handling_check(PH_CRITICISM, false, &e), 0);
	assert_int_equal(probation_handling_check(PH_EXTEND, false, &e), 0);
	assert_rule(probation_handling_check(PH_CANCEL, false, &e), &e, "DEV-43", "handling");
	assert_int_equal(probation_handling_check(PH_CANCEL, true, &e), 0);
	assert_rule(probation_handling_check(PH_CRITICISM, true, &e), &e, "DEV-43", "handling");
	assert_rule(probation_handling_check(PH_EXTEND, true, &e), &e, "DEV-43", "handling");
	assert_invalid(probation_handling_check(PH_NONE, true, &e), &e, "handling");
	assert_invalid(probation_handling_check(PH_CANCEL + 1, false, &e), &e, "handling");
	assert_false(err_is_set(&e));
	assert_string_equal(enum_label(probation_handling_enum, PH_EXTEND), "延长预备期");
	assert_string_equal(enum_label(probation_handling_enum, PH_CANCEL), "取消预备党员资格");
	assert_int_equal(enum_from_json(probation_handling_enum, "criticism"), PH_CRITICISM);
	/* The same words as the step-23 outcomes (DEV-42). */
	assert_string_equal(enum_json(probation_handling_enum, PH_EXTEND),
			    enum_json(dev_outcome_enum, DEV_OUTCOME_EXTEND));
	assert_string_equal(enum_json(probation_handling_enum, PH_CANCEL),
			    enum_json(dev_outcome_enum, DEV_OUTCOME_CANCEL));
}

/* ----------------------------------------------------------------- DISC-06 */

static void test_disc06_measures(void **state)
{
	(void)state;
	assert_string_equal(enum_label(disc_measure_enum, MEASURE_CRITICISM), "批评教育");
	assert_string_equal(enum_label(disc_measure_enum, MEASURE_SELF_EXAMINATION), "责令检查");
	assert_string_equal(enum_label(disc_measure_enum, MEASURE_ADMONISHMENT), "诫勉");
	assert_int_equal(enum_from_json(disc_measure_enum, "admonishment"), MEASURE_ADMONISHMENT);
	assert_int_equal(enum_from_json(disc_measure_enum, "self_examination"), MEASURE_SELF_EXAMINATION);
	/* Not sanctions: no measure is a sanction name, and no sanction a measure. */
	for (int m = MEASURE_CRITICISM; m <= MEASURE_ADMONISHMENT; m++)
		assert_int_equal(enum_from_json(sanction_type_enum, enum_json(disc_measure_enum, m)),
				 SANCTION_NONE);
	for (int t = SANCTION_WARNING; t <= SANCTION_EXPULSION; t++)
		assert_int_equal(enum_from_json(disc_measure_enum, enum_json(sanction_type_enum, t)),
				 MEASURE_NONE);
	assert_null(enum_json(disc_measure_enum, MEASURE_ADMONISHMENT + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disc01_order),
		cmocka_unit_test(test_disc02_periods),
		cmocka_unit_test(test_disc02_readmission),
		cmocka_unit_test(test_disc02_probation_rights),
		cmocka_unit_test(test_disc02_probation_extension),
		cmocka_unit_test(test_disc02_introducer),
		cmocka_unit_test(test_disc03_delegates),
		cmocka_unit_test(test_disc04_authority),
		cmocka_unit_test(test_sanction_check),
		cmocka_unit_test(test_disc05_probationary),
		cmocka_unit_test(test_disc06_measures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
