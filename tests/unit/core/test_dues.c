/*
 * test_dues.c: unit tests for src/core/dues.c: every RULES.md DUES-02 and
 * DUES-04 vector, both sides of each bracket boundary for each category,
 * the DUES-12 rounding, fixed amounts, dues months, the DUES-11 arrears
 * thresholds, payment checks (DUES-08/10) and remittance shares.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/dues.h"

#include <setjmp.h>
#include <cmocka.h>

/* ---------------------------------------------------------------- helpers */

/* The monthly amount under `s` (NULL = defaults); the call must succeed. */
static struct dues_result calc_with(const struct dues_settings *s, int category, int64_t base_fen)
{
	struct err e = ERR_INIT;
	struct dues_result r;

	memset(&r, 0xAB, sizeof(r));
	if (dues_calculate(s, category, base_fen, &r, &e) != 0)
		fail_msg("dues_calculate(%d, %lld) failed: %s", category, (long long)base_fen, e.message);
	assert_false(err_is_set(&e));
	assert_int_equal(r.category, category);
	assert_int_equal(r.base_fen, base_fen);
	return r;
}

static struct dues_result calc(int category, int64_t base_fen)
{
	return calc_with(NULL, category, base_fen);
}

/* Asserts rate and amount of a base-dependent category. */
static void assert_rate(int category, int64_t base_fen, int per_mille, int64_t amount_fen)
{
	struct dues_result r = calc(category, base_fen);

	print_message("cat %d base %lld -> %d per mille, %lld fen\n", category, (long long)base_fen,
		      r.per_mille, (long long)r.amount_fen);
	assert_int_equal(r.per_mille, per_mille);
	assert_int_equal(r.amount_fen, amount_fen);
	assert_false(r.fixed);
	assert_false(r.by_approval);
}

static void assert_field(const struct err *e, const char *field, const char *message)
{
	const char *got = err_field_message(e, field);

	assert_int_equal(e->kind, ERR_VALIDATION);
	assert_string_equal(e->code, "validation_failed");
	assert_non_null(got);
	if (message)
		assert_string_equal(got, message);
}

static const int salaried[] = { DUES_CAT_IN_SERVICE, DUES_CAT_ANNUAL_SALARY, DUES_CAT_SELF_EMPLOYED };

/* ------------------------------------------------------------- categories */

static void test_category_enum(void **state)
{
	static const struct {
		int value;
		const char *json, *label;
	} want[] = {
		{ DUES_CAT_IN_SERVICE, "in_service", "在职" },
		{ DUES_CAT_ANNUAL_SALARY, "annual_salary", "年薪制" },
		{ DUES_CAT_SELF_EMPLOYED, "self_employed", "个体及其他无固定月薪" },
		{ DUES_CAT_RETIRED, "retired", "离退休" },
		{ DUES_CAT_FARMER, "farmer", "农牧渔民" },
		{ DUES_CAT_STUDENT, "student", "学生" },
		{ DUES_CAT_UNEMPLOYED, "unemployed", "下岗失业" },
		{ DUES_CAT_RELIEF, "relief", "领取救济或抚恤" },
		{ DUES_CAT_MINIMUM_ALLOWANCE, "minimum_allowance", "领取最低生活保障" },
		{ DUES_CAT_REDUCED_OR_EXEMPT, "reduced_or_exempt", "减免" },
	};
	size_t n = 0;

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(enum_from_json(dues_category_enum, want[i].json), want[i].value);
		assert_int_equal(enum_from_label(dues_category_enum, want[i].label), want[i].value);
		assert_string_equal(enum_json(dues_category_enum, want[i].value), want[i].json);
		assert_string_equal(enum_label(dues_category_enum, want[i].value), want[i].label);
	}
	while (dues_category_enum[n].json)
		n++;
	assert_int_equal(n, ARRAY_SIZE(want));
	assert_int_equal(enum_from_json(dues_category_enum, "other"), DUES_CAT_NONE);
	assert_null(enum_json(dues_category_enum, DUES_CAT_NONE));

	assert_int_equal(enum_from_json(dues_retired_base_enum, "basic_pension_2017"),
			 DUES_RETIRED_BASE_BASIC_2017);
	assert_int_equal(enum_from_json(dues_retired_base_enum, "total_2008"), DUES_RETIRED_BASE_TOTAL_2008);
	assert_int_equal(enum_from_json(dues_rebase_enum, "yearly_january"), DUES_REBASE_YEARLY_JANUARY);
	assert_int_equal(enum_from_json(dues_rebase_enum, "on_change"), DUES_REBASE_ON_CHANGE);
	assert_string_equal(enum_json(dues_arrears_level_enum, DUES_ARREARS_NONE), "none");
	assert_string_equal(enum_json(dues_arrears_level_enum, DUES_ARREARS_WARN), "warn");
	assert_string_equal(enum_json(dues_arrears_level_enum, DUES_ARREARS_ALERT), "alert");
	assert_string_equal(enum_json(dues_arrears_level_enum, DUES_ARREARS_LAPSE_CASE), "lapse_case");
}

static void test_category_of_member(void **state)
{
	UNUSED(state);
	assert_int_equal(dues_category_of_member(CAT_IN_SERVICE), DUES_CAT_IN_SERVICE);
	assert_int_equal(dues_category_of_member(CAT_RETIRED), DUES_CAT_RETIRED);
	assert_int_equal(dues_category_of_member(CAT_FARMER), DUES_CAT_FARMER);
	assert_int_equal(dues_category_of_member(CAT_STUDENT), DUES_CAT_STUDENT);
	assert_int_equal(dues_category_of_member(CAT_UNEMPLOYED), DUES_CAT_UNEMPLOYED);
	assert_int_equal(dues_category_of_member(CAT_OTHER), DUES_CAT_SELF_EMPLOYED);
	assert_int_equal(dues_category_of_member(CAT_NONE), DUES_CAT_NONE);
	assert_int_equal(dues_category_of_member(99), DUES_CAT_NONE);

	assert_true(dues_category_uses_base(DUES_CAT_IN_SERVICE));
	assert_true(dues_category_uses_base(DUES_CAT_ANNUAL_SALARY));
	assert_true(dues_category_uses_base(DUES_CAT_SELF_EMPLOYED));
	assert_true(dues_category_uses_base(DUES_CAT_RETIRED));
	assert_false(dues_category_uses_base(DUES_CAT_FARMER));
	assert_false(dues_category_uses_base(DUES_CAT_STUDENT));
	assert_false(dues_category_uses_base(DUES_CAT_MINIMUM_ALLOWANCE));
	assert_false(dues_category_uses_base(DUES_CAT_REDUCED_OR_EXEMPT));
	assert_false(dues_category_uses_base(DUES_CAT_NONE));
}

/* --------------------------------------------------------------- settings */

static void test_settings_default(void **state)
{
	struct dues_settings s;
	struct err e = ERR_INIT;

	UNUSED(state);
	dues_settings_default(&s);
	assert_int_equal(s.retired_base_policy, DUES_RETIRED_BASE_BASIC_2017);
	assert_int_equal(s.farmer_amount_fen, 20);
	assert_int_equal(s.rounding_unit_fen, 1);
	assert_int_equal(s.rebase_policy, DUES_REBASE_YEARLY_JANUARY);
	assert_int_equal(s.max_prepay_months, 3);
	assert_int_equal(s.max_arrears_months, 6);
	assert_int_equal(s.arrears_warn_months, 3);
	assert_int_equal(s.arrears_alert_months, 5);
	assert_int_equal(s.lapse_months, 6);
	assert_int_equal(s.central_remit_threshold_fen, 100000);
	assert_int_equal(dues_settings_check(&s, &e), 0);
	assert_false(err_is_set(&e));
}

/* Sets one int setting to v and reports whether dues_settings_check accepts it. */
static bool setting_ok(size_t offset, int v, const char *field)
{
	struct dues_settings s;
	struct err e = ERR_INIT;
	int rc;

	dues_settings_default(&s);
	memcpy((char *)&s + offset, &v, sizeof(v));
	rc = dues_settings_check(&s, &e);
	if (rc == 0) {
		assert_false(err_is_set(&e));
		return true;
	}
	assert_int_equal(rc, -1);
	assert_field(&e, field, NULL);
	assert_int_equal(e.nfields, 1);
	return false;
}

#define SETTING_OK(member, v) setting_ok(offsetof(struct dues_settings, member), (v), #member)
/* For an ordering error reported on the neighbouring setting. */
#define SETTING_OK_AT(member, v, field) setting_ok(offsetof(struct dues_settings, member), (v), field)

static void test_settings_check(void **state)
{
	struct dues_settings s;
	struct err e = ERR_INIT;

	UNUSED(state);
	/* DUES-05: 0.20 to 1.00 yuan. */
	assert_false(SETTING_OK(farmer_amount_fen, 19));
	assert_true(SETTING_OK(farmer_amount_fen, 20));
	assert_true(SETTING_OK(farmer_amount_fen, 100));
	assert_false(SETTING_OK(farmer_amount_fen, 101));
	assert_false(SETTING_OK(rounding_unit_fen, 0));
	assert_true(SETTING_OK(rounding_unit_fen, 1));
	assert_true(SETTING_OK(rounding_unit_fen, 100));
	assert_false(SETTING_OK(rounding_unit_fen, 101));
	assert_false(SETTING_OK(retired_base_policy, 0));
	assert_true(SETTING_OK(retired_base_policy, DUES_RETIRED_BASE_TOTAL_2008));
	assert_false(SETTING_OK(retired_base_policy, 3));
	assert_false(SETTING_OK(rebase_policy, 0));
	assert_true(SETTING_OK(rebase_policy, DUES_REBASE_ON_CHANGE));
	assert_false(SETTING_OK(max_prepay_months, -1));
	assert_true(SETTING_OK(max_prepay_months, 0));
	assert_true(SETTING_OK(max_prepay_months, 12));
	assert_false(SETTING_OK(max_prepay_months, 13));
	assert_false(SETTING_OK(max_arrears_months, -1));
	assert_true(SETTING_OK(max_arrears_months, 0));
	assert_false(SETTING_OK(max_arrears_months, 13));
	assert_false(SETTING_OK(arrears_warn_months, 0));
	assert_true(SETTING_OK(arrears_warn_months, 1));
	assert_true(SETTING_OK(arrears_warn_months, 5)); /* warn == alert is allowed */
	assert_false(SETTING_OK_AT(arrears_warn_months, 6, "arrears_alert_months")); /* warn > alert */
	assert_false(SETTING_OK(arrears_alert_months, 2));
	assert_true(SETTING_OK(arrears_alert_months, 6));
	assert_false(SETTING_OK_AT(arrears_alert_months, 7, "lapse_months")); /* alert > lapse */
	assert_false(SETTING_OK(lapse_months, 4));
	assert_true(SETTING_OK(lapse_months, 24));
	assert_false(SETTING_OK(lapse_months, 25));

	dues_settings_default(&s);
	s.central_remit_threshold_fen = 0;
	s.farmer_amount_fen = 0;
	assert_int_equal(dues_settings_check(&s, &e), -1);
	assert_int_equal(e.nfields, 2);
	assert_field(&e, "farmer_amount_fen", "农牧渔民党员党费应在0.20元至1.00元之间");
	assert_field(&e, "central_remit_threshold_fen", NULL);
}

static void test_invalid_settings_refused(void **state)
{
	struct dues_settings s;
	struct dues_result r = { .amount_fen = 777 };
	struct dues_arrears a;
	struct dues_payment_verdict v;
	struct err e = ERR_INIT;

	UNUSED(state);
	dues_settings_default(&s);
	s.rounding_unit_fen = 0;
	assert_int_equal(dues_calculate(&s, DUES_CAT_IN_SERVICE, 100000, &r, &e), -1);
	assert_int_equal(e.kind, ERR_INTERNAL);
	assert_string_equal(e.code, "dues_settings_invalid");
	assert_int_equal(e.nfields, 0);
	assert_int_equal(r.amount_fen, 777);
	err_clear(&e);
	assert_int_equal(dues_arrears_compute(&s, 202401, NULL, 0, (struct date){ 2024, 8, 1 }, &a, &e), -1);
	assert_int_equal(e.kind, ERR_INTERNAL);
	err_clear(&e);
	assert_int_equal(dues_payment_check(&s, 202408, 202408, 100, 100, 0, &v, &e), -1);
	assert_int_equal(e.kind, ERR_INTERNAL);
	err_clear(&e);
}

static void test_retired_base_and_rebase(void **state)
{
	struct dues_settings s;

	UNUSED(state);
	dues_settings_default(&s);
	/* DUES-04: basic pension 4000.00 of a total 5600.00. */
	assert_int_equal(dues_retired_base(NULL, 400000, 560000), 400000);
	assert_int_equal(dues_retired_base(&s, 400000, 560000), 400000);
	s.retired_base_policy = DUES_RETIRED_BASE_TOTAL_2008;
	assert_int_equal(dues_retired_base(&s, 400000, 560000), 560000);
	/* The choice moves this retiree across the 5000 boundary. */
	assert_int_equal(calc(DUES_CAT_RETIRED, dues_retired_base(&s, 400000, 560000)).amount_fen, 5600);

	/* DUES-09: yearly_january (default) applies a change from the next January. */
	dues_settings_default(&s);
	assert_int_equal(dues_rebase_month(NULL, 202405), 202501);
	assert_int_equal(dues_rebase_month(&s, 202405), 202501);
	assert_int_equal(dues_rebase_month(&s, 202412), 202501);
	assert_int_equal(dues_rebase_month(&s, 202401), 202401);
	assert_int_equal(dues_rebase_month(&s, 202402), 202501);
	s.rebase_policy = DUES_REBASE_ON_CHANGE;
	assert_int_equal(dues_rebase_month(&s, 202405), 202405);
	assert_int_equal(dues_rebase_month(&s, 202412), 202412);
	assert_int_equal(dues_rebase_month(&s, 202413), 0);
	assert_int_equal(dues_rebase_month(NULL, 0), 0);
}

/* ------------------------------------------------------------ calculator */

static void test_dues02_vectors(void **state)
{
	static const struct {
		int64_t base, amount;
		int per_mille;
	} v[] = {
		{ 250000, 1250, 5 },    /* 2500.00 -> 12.50 */
		{ 300000, 1500, 5 },    /* 3000.00 -> 15.00 */
		{ 300001, 3000, 10 },   /* 3000.01 -> 30.00 */
		{ 450000, 4500, 10 },   /* 4500.00 -> 45.00 */
		{ 500000, 5000, 10 },   /* 5000.00 -> 50.00 */
		{ 500001, 7500, 15 },   /* 5000.01 -> 75.00 */
		{ 800000, 12000, 15 },  /* 8000.00 -> 120.00 */
		{ 1000000, 15000, 15 }, /* 10000.00 -> 150.00 */
		{ 1000001, 20000, 20 }, /* 10000.01 -> 200.00 */
		{ 1234567, 24691, 20 }, /* 12345.67 -> 246.91 */
		{ 333333, 3333, 10 },   /* 3333.33 -> 33.33 */
	};

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		assert_rate(DUES_CAT_IN_SERVICE, v[i].base, v[i].per_mille, v[i].amount);
}

/* DUES-02/03: the same brackets for in_service, annual_salary and self_employed. */
static void test_dues02_boundaries_every_salaried_category(void **state)
{
	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(salaried); i++) {
		int c = salaried[i];

		assert_rate(c, 0, 5, 0);
		assert_rate(c, 1, 5, 0);
		assert_rate(c, 299999, 5, 1500); /* 1499.995 -> 1500 */
		assert_rate(c, 300000, 5, 1500);
		assert_rate(c, 300001, 10, 3000);
		assert_rate(c, 499999, 10, 5000); /* 4999.99 -> 5000 */
		assert_rate(c, 500000, 10, 5000);
		assert_rate(c, 500001, 15, 7500);
		assert_rate(c, 999999, 15, 15000); /* 14999.985 -> 15000 */
		assert_rate(c, 1000000, 15, 15000);
		assert_rate(c, 1000001, 20, 20000);
		assert_rate(c, DUES_MAX_BASE_FEN, 20, 2000000);
	}
	/* The cliff: one fen more base doubles the dues at 3000 yuan. */
	assert_int_equal(calc(DUES_CAT_IN_SERVICE, 300001).amount_fen,
			 2 * calc(DUES_CAT_IN_SERVICE, 300000).amount_fen);
}

static void test_dues04_retired(void **state)
{
	UNUSED(state);
	/* RULES.md DUES-04 vectors. */
	assert_rate(DUES_CAT_RETIRED, 400000, 5, 2000);  /* 4000.00 -> 20.00 */
	assert_rate(DUES_CAT_RETIRED, 500000, 5, 2500);  /* 5000.00 -> 25.00 */
	assert_rate(DUES_CAT_RETIRED, 500001, 10, 5000); /* 5000.01 -> 50.00 */
	assert_rate(DUES_CAT_RETIRED, 650000, 10, 6500); /* 6500.00 -> 65.00 */
	/* Retirees have no bracket at 3000 nor at 10000. */
	assert_rate(DUES_CAT_RETIRED, 0, 5, 0);
	assert_rate(DUES_CAT_RETIRED, 300000, 5, 1500);
	assert_rate(DUES_CAT_RETIRED, 300001, 5, 1500);
	assert_rate(DUES_CAT_RETIRED, 499999, 5, 2500); /* 2499.995 -> 2500 */
	assert_rate(DUES_CAT_RETIRED, 1000000, 10, 10000);
	assert_rate(DUES_CAT_RETIRED, 1000001, 10, 10000);
	assert_rate(DUES_CAT_RETIRED, DUES_MAX_BASE_FEN, 10, 1000000);
}

static void test_dues12_rounding(void **state)
{
	struct dues_settings s;
	struct dues_result r;

	UNUSED(state);
	/* Exactly half a fen rounds up; just under half rounds down. */
	assert_rate(DUES_CAT_IN_SERVICE, 100, 5, 1);          /* 0.5 */
	assert_rate(DUES_CAT_IN_SERVICE, 99, 5, 0);           /* 0.495 */
	assert_rate(DUES_CAT_IN_SERVICE, 300, 5, 2);          /* 1.5 */
	assert_rate(DUES_CAT_IN_SERVICE, 500, 5, 3);          /* 2.5: half up, not to even */
	assert_rate(DUES_CAT_IN_SERVICE, 300050, 10, 3001);   /* 3000.5 */
	assert_rate(DUES_CAT_IN_SERVICE, 300049, 10, 3000);   /* 3000.49 */
	assert_rate(DUES_CAT_IN_SERVICE, 500100, 15, 7502);   /* 7501.5 */
	assert_rate(DUES_CAT_IN_SERVICE, 500099, 15, 7501);   /* 7501.485 */
	assert_rate(DUES_CAT_IN_SERVICE, 1000025, 20, 20001); /* 20000.5 */
	assert_rate(DUES_CAT_IN_SERVICE, 1000024, 20, 20000); /* 20000.48 */
	assert_rate(DUES_CAT_RETIRED, 500050, 10, 5001);      /* 5000.5 */
	assert_rate(DUES_CAT_RETIRED, 100, 5, 1);

	/* rounding_unit_fen = 10: to the jiao, half up, in one step from the exact value. */
	dues_settings_default(&s);
	s.rounding_unit_fen = 10;
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 250000).amount_fen, 1250);
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 1234567).amount_fen, 24690); /* 24691.34 */
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 333333).amount_fen, 3330);   /* 3333.33 */
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 300500).amount_fen, 3010);   /* 3005 */
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 300499).amount_fen, 3000);   /* 3004.99 */
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 1000).amount_fen, 10);       /* 5 fen */
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 900).amount_fen, 0); /* 4.5, not 5 → 10 */
	assert_int_equal(calc_with(&s, DUES_CAT_RETIRED, 500001).amount_fen, 5000);
	r = calc_with(&s, DUES_CAT_IN_SERVICE, 300001);
	assert_int_equal(r.per_mille, 10);
	assert_int_equal(r.amount_fen, 3000);
	/* Fixed amounts are set amounts, not rounded. */
	s.rounding_unit_fen = 100;
	assert_int_equal(calc_with(&s, DUES_CAT_IN_SERVICE, 1234567).amount_fen, 24700);
	assert_int_equal(calc_with(&s, DUES_CAT_STUDENT, 0).amount_fen, 20);
	s.farmer_amount_fen = 50;
	assert_int_equal(calc_with(&s, DUES_CAT_FARMER, 0).amount_fen, 50);

	/* The helper directly. */
	assert_int_equal(dues_round_per_mille(0, 20, 1), 0);
	assert_int_equal(dues_round_per_mille(1, 500, 1), 1);
	assert_int_equal(dues_round_per_mille(1, 499, 1), 0);
	assert_int_equal(dues_round_per_mille(3, 500, 1), 2);
	assert_int_equal(dues_round_per_mille(1000, 1000, 1), 1000);
	assert_int_equal(dues_round_per_mille(15, 1000, 10), 20);
	assert_int_equal(dues_round_per_mille(14, 1000, 10), 10);
	assert_int_equal(dues_round_per_mille(DUES_MAX_TOTAL_FEN, 1000, 1), DUES_MAX_TOTAL_FEN);
}

static void test_dues05_fixed_amounts(void **state)
{
	static const int twenty[] = { DUES_CAT_STUDENT, DUES_CAT_UNEMPLOYED, DUES_CAT_RELIEF,
				      DUES_CAT_MINIMUM_ALLOWANCE };
	struct dues_settings s;
	struct dues_result r;

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(twenty); i++) {
		/* The base does not matter, on either side of any bracket. */
		static const int64_t bases[] = { 0, 300000, 300001, 1000001, DUES_MAX_BASE_FEN };

		for (size_t j = 0; j < ARRAY_SIZE(bases); j++) {
			r = calc(twenty[i], bases[j]);
			assert_int_equal(r.amount_fen, 20);
			assert_int_equal(r.per_mille, 0);
			assert_true(r.fixed);
			assert_false(r.by_approval);
		}
	}

	/* Farmers: 0.20 by default, anything the locality sets within 0.20..1.00. */
	r = calc(DUES_CAT_FARMER, 800000);
	assert_int_equal(r.amount_fen, 20);
	assert_int_equal(r.per_mille, 0);
	assert_true(r.fixed);
	dues_settings_default(&s);
	s.farmer_amount_fen = 100;
	assert_int_equal(calc_with(&s, DUES_CAT_FARMER, 0).amount_fen, 100);
	s.farmer_amount_fen = 35;
	assert_int_equal(calc_with(&s, DUES_CAT_FARMER, 0).amount_fen, 35);
	/* ...but the farmer amount changes nobody else's. */
	assert_int_equal(calc_with(&s, DUES_CAT_STUDENT, 0).amount_fen, 20);

	/* DUES-07: reduced or exempt, the amount comes from the approval. */
	r = calc(DUES_CAT_REDUCED_OR_EXEMPT, 500000);
	assert_int_equal(r.amount_fen, 0);
	assert_int_equal(r.per_mille, 0);
	assert_true(r.fixed);
	assert_true(r.by_approval);
}

static void test_calculate_errors(void **state)
{
	struct dues_result r = { .amount_fen = 777 };
	struct err e = ERR_INIT;

	UNUSED(state);
	/* Base: 0 and DUES_MAX_BASE_FEN accepted, one fen beyond either refused. */
	assert_int_equal(calc(DUES_CAT_IN_SERVICE, 0).amount_fen, 0);
	assert_int_equal(dues_calculate(NULL, DUES_CAT_IN_SERVICE, -1, &r, &e), -1);
	assert_field(&e, "base_fen", "月收入基数不能为负数");
	assert_int_equal(e.nfields, 1);
	assert_string_equal(e.message, "月收入基数不能为负数");
	assert_int_equal(r.amount_fen, 777);
	err_clear(&e);
	assert_int_equal(calc(DUES_CAT_IN_SERVICE, 100000000).amount_fen, 2000000);
	assert_int_equal(dues_calculate(NULL, DUES_CAT_IN_SERVICE, 100000001, &r, &e), -1);
	assert_field(&e, "base_fen", "月收入基数超出合理范围");
	err_clear(&e);
	assert_int_equal(dues_calculate(NULL, DUES_CAT_RETIRED, INT64_MAX, &r, &e), -1);
	assert_field(&e, "base_fen", "月收入基数超出合理范围");
	err_clear(&e);
	/* Fixed categories check the base too. */
	assert_int_equal(dues_calculate(NULL, DUES_CAT_STUDENT, -1, &r, &e), -1);
	assert_field(&e, "base_fen", "月收入基数不能为负数");
	err_clear(&e);

	/* Category. */
	assert_int_equal(dues_calculate(NULL, DUES_CAT_NONE, 100000, &r, &e), -1);
	assert_field(&e, "category", "党费类别无效");
	err_clear(&e);
	assert_int_equal(dues_calculate(NULL, DUES_CAT_REDUCED_OR_EXEMPT + 1, 100000, &r, &e), -1);
	assert_field(&e, "category", NULL);
	err_clear(&e);
	assert_int_equal(dues_calculate(NULL, -1, 100000, &r, &e), -1);
	assert_field(&e, "category", NULL);
	err_clear(&e);

	/* Both at once. */
	assert_int_equal(dues_calculate(NULL, 42, -5, &r, &e), -1);
	assert_int_equal(e.nfields, 2);
	assert_field(&e, "base_fen", "月收入基数不能为负数");
	assert_field(&e, "category", "党费类别无效");
	assert_int_equal(r.amount_fen, 777);
	err_clear(&e);
}

/* ---------------------------------------------------------------- months */

static void test_month_arithmetic(void **state)
{
	UNUSED(state);
	assert_true(dues_month_valid(202611));
	assert_true(dues_month_valid(180001));
	assert_true(dues_month_valid(999912));
	assert_false(dues_month_valid(179912));
	assert_false(dues_month_valid(1000001));
	assert_false(dues_month_valid(202600));
	assert_false(dues_month_valid(202613));
	assert_false(dues_month_valid(0));
	assert_false(dues_month_valid(-202401));
	assert_false(dues_month_valid(2024));

	assert_int_equal(dues_month_add(202401, 0), 202401);
	assert_int_equal(dues_month_add(202401, 1), 202402);
	assert_int_equal(dues_month_add(202412, 1), 202501);
	assert_int_equal(dues_month_add(202401, -1), 202312);
	assert_int_equal(dues_month_add(202401, 11), 202412);
	assert_int_equal(dues_month_add(202401, 12), 202501);
	assert_int_equal(dues_month_add(202401, -12), 202301);
	assert_int_equal(dues_month_add(202401, -13), 202212);
	assert_int_equal(dues_month_add(202403, 30), 202609);
	assert_int_equal(dues_month_add(999912, 1), 0);
	assert_int_equal(dues_month_add(180001, -1), 0);
	assert_int_equal(dues_month_add(202413, 1), 0);

	assert_int_equal(dues_months_between(202401, 202408), 7);
	assert_int_equal(dues_months_between(202408, 202401), -7);
	assert_int_equal(dues_months_between(202312, 202401), 1);
	assert_int_equal(dues_months_between(202401, 202401), 0);
	assert_int_equal(dues_months_between(200804, 202604), 216);

	assert_int_equal(dues_month_of((struct date){ 2024, 8, 1 }), 202408);
	assert_int_equal(dues_month_of((struct date){ 2026, 11, 30 }), 202611);
	assert_int_equal(dues_month_of(DATE_NONE), 0);
	assert_int_equal(dues_month_of((struct date){ 2023, 2, 29 }), 0);
}

static void test_month_format_parse(void **state)
{
	static const struct {
		const char *in;
		int m;
	} ok[] = {
		{ "2026-11", 202611 },
		{ "2026-1", 202601 },
		{ "2026-01", 202601 },
		{ "2026/3", 202603 },
		{ "2026.12", 202612 },
		{ "2026年3月", 202603 },
		{ "2026年11月", 202611 },
		{ "202611", 202611 },
		{ " 2024-08\t", 202408 },
		{ "\xE3\x80\x80"
		  "2024-08",
		  202408 },
		{ "1800-01", 180001 },
	};
	static const char *const bad[] = {
		"",         "   ",     "2026",       "2026-",    "2026-13",    "2026-00",    "2026-0",
		"2026-123", "26-11",   "2026-11-01", "2026年11", "2026年13月", "2026/11月x", "20261",
		"2026111",  "1799-12", "2026_11",    "2026-1a",  "abcd-ef",    "-2026-01",
	};
	char buf[8];
	int m;

	UNUSED(state);
	dues_month_format(202611, buf);
	assert_string_equal(buf, "2026-11");
	dues_month_format(200804, buf);
	assert_string_equal(buf, "2008-04");
	dues_month_format(999912, buf);
	assert_string_equal(buf, "9999-12");
	dues_month_format(202613, buf);
	assert_string_equal(buf, "");
	dues_month_format(0, buf);
	assert_string_equal(buf, "");

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		m = -1;
		if (dues_month_parse(ok[i].in, &m) != 0)
			fail_msg("'%s' refused", ok[i].in);
		assert_int_equal(m, ok[i].m);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		m = 4242;
		if (dues_month_parse(bad[i], &m) != -1)
			fail_msg("'%s' accepted as %d", bad[i], m);
		assert_int_equal(m, 4242);
	}
	assert_int_equal(dues_month_parse(NULL, &m), -1);
	/* Round trip. */
	for (int mm = 202401; mm != 202601; mm = dues_month_add(mm, 1)) {
		dues_month_format(mm, buf);
		assert_int_equal(dues_month_parse(buf, &m), 0);
		assert_int_equal(m, mm);
	}
}

/* --------------------------------------------------------------- arrears */

/* Fills `out` with every month from..to inclusive; returns the count. */
static size_t month_range(int from, int to, int *out, size_t cap)
{
	size_t n = 0;

	for (int m = from; m <= to; m = dues_month_add(m, 1)) {
		assert_true(n < cap);
		out[n++] = m;
	}
	return n;
}

static struct dues_arrears arrears(const struct dues_settings *s, int first, const int *paid, size_t npaid,
				   struct date today)
{
	struct dues_arrears a;
	struct err e = ERR_INIT;

	memset(&a, 0xAB, sizeof(a));
	if (dues_arrears_compute(s, first, paid, npaid, today, &a, &e) != 0)
		fail_msg("dues_arrears_compute failed: %s", e.message);
	assert_false(err_is_set(&e));
	return a;
}

/* DUES-11: last paid 2024-01, so on 2024-08-01 Feb..Jul are 6 unpaid months. */
static void test_dues11_vector_and_thresholds(void **state)
{
	static const struct {
		struct date today;
		int consecutive, level;
	} v[] = {
		{ { 2024, 1, 31 }, 0, DUES_ARREARS_NONE },
		{ { 2024, 2, 29 }, 0, DUES_ARREARS_NONE }, /* February itself not yet overdue */
		{ { 2024, 3, 1 }, 1, DUES_ARREARS_NONE },
		{ { 2024, 4, 30 }, 2, DUES_ARREARS_NONE },      /* below warn */
		{ { 2024, 5, 1 }, 3, DUES_ARREARS_WARN },       /* warn at 3 */
		{ { 2024, 6, 30 }, 4, DUES_ARREARS_WARN },      /* below alert */
		{ { 2024, 7, 1 }, 5, DUES_ARREARS_ALERT },      /* alert at 5 */
		{ { 2024, 7, 31 }, 5, DUES_ARREARS_ALERT },     /* below lapse */
		{ { 2024, 8, 1 }, 6, DUES_ARREARS_LAPSE_CASE }, /* RULES.md vector */
		{ { 2025, 3, 15 }, 13, DUES_ARREARS_LAPSE_CASE },
	};
	int paid[16];
	size_t n = month_range(202301, 202401, paid, ARRAY_SIZE(paid));

	UNUSED(state);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct dues_arrears a = arrears(NULL, 202301, paid, n, v[i].today);

		print_message("%d-%02d-%02d: %d unpaid\n", v[i].today.y, v[i].today.m, v[i].today.d,
			      a.consecutive);
		assert_int_equal(a.consecutive, v[i].consecutive);
		assert_int_equal(a.unpaid_total, v[i].consecutive);
		assert_int_equal(a.longest, v[i].consecutive);
		assert_int_equal(a.level, v[i].level);
		/* On 2024-01-31 January is the current month: last paid before it was December. */
		assert_int_equal(a.last_paid, v[i].today.m == 1 && v[i].today.y == 2024 ? 202312 : 202401);
		assert_int_equal(a.first_unpaid, v[i].consecutive ? 202402 : 0);
	}
	{
		struct dues_arrears a = arrears(NULL, 202301, paid, n, (struct date){ 2024, 8, 1 });

		assert_int_equal(a.due_months, 19); /* 2023-01 .. 2024-07 */
		assert_int_equal(a.unpaid_total, 6);
	}
}

static void test_arrears_custom_thresholds(void **state)
{
	struct dues_settings s;
	int paid[] = { 202401 };

	UNUSED(state);
	dues_settings_default(&s);
	s.arrears_warn_months = 2;
	s.arrears_alert_months = 4;
	s.lapse_months = 8;
	assert_int_equal(arrears(&s, 202401, paid, 1, (struct date){ 2024, 3, 1 }).level, DUES_ARREARS_NONE);
	assert_int_equal(arrears(&s, 202401, paid, 1, (struct date){ 2024, 4, 1 }).level, DUES_ARREARS_WARN);
	assert_int_equal(arrears(&s, 202401, paid, 1, (struct date){ 2024, 5, 1 }).level, DUES_ARREARS_WARN);
	assert_int_equal(arrears(&s, 202401, paid, 1, (struct date){ 2024, 6, 1 }).level, DUES_ARREARS_ALERT);
	assert_int_equal(arrears(&s, 202401, paid, 1, (struct date){ 2024, 9, 30 }).level,
			 DUES_ARREARS_ALERT);
	assert_int_equal(arrears(&s, 202401, paid, 1, (struct date){ 2024, 10, 1 }).level,
			 DUES_ARREARS_LAPSE_CASE);
}

static void test_arrears_gaps(void **state)
{
	struct dues_arrears a;

	UNUSED(state);
	/* Feb..Jul never paid, August paid: the six months stay a lapse case. */
	{
		int paid[] = { 202401, 202408 };

		a = arrears(NULL, 202401, paid, ARRAY_SIZE(paid), (struct date){ 2024, 9, 15 });
		assert_int_equal(a.due_months, 8);
		assert_int_equal(a.consecutive, 0);
		assert_int_equal(a.longest, 6);
		assert_int_equal(a.unpaid_total, 6);
		assert_int_equal(a.first_unpaid, 202402);
		assert_int_equal(a.last_paid, 202408);
		assert_int_equal(a.level, DUES_ARREARS_LAPSE_CASE);
	}
	/* Two gaps of 5 are no lapse: alert from the longest run, total 10. */
	{
		int paid[] = { 202401, 202407 };

		a = arrears(NULL, 202401, paid, ARRAY_SIZE(paid), (struct date){ 2025, 1, 1 });
		assert_int_equal(a.due_months, 12);
		assert_int_equal(a.consecutive, 5);
		assert_int_equal(a.longest, 5);
		assert_int_equal(a.unpaid_total, 10);
		assert_int_equal(a.level, DUES_ARREARS_ALERT);
	}
	/* Scattered misses: 5 unpaid, at most 2 in a row. */
	{
		int paid[] = { 202401, 202403, 202405, 202407, 202408 };

		a = arrears(NULL, 202401, paid, ARRAY_SIZE(paid), (struct date){ 2024, 11, 1 });
		assert_int_equal(a.unpaid_total, 5); /* 02, 04, 06, 09, 10 */
		assert_int_equal(a.consecutive, 2);  /* 09 and 10 */
		assert_int_equal(a.longest, 2);
		assert_int_equal(a.level, DUES_ARREARS_NONE);
	}
}

static void test_arrears_window(void **state)
{
	struct dues_arrears a;
	struct err e = ERR_INIT;

	UNUSED(state);
	/* DUES-06: joined 2024-03-20, first dues month 2024-03. */
	int first = dues_month_of((struct date){ 2024, 3, 20 });

	assert_int_equal(first, 202403);
	a = arrears(NULL, first, NULL, 0, (struct date){ 2024, 3, 31 });
	assert_int_equal(a.due_months, 0);
	assert_int_equal(a.unpaid_total, 0);
	assert_int_equal(a.level, DUES_ARREARS_NONE);
	assert_int_equal(a.last_paid, 0);
	assert_int_equal(a.first_unpaid, 0);
	a = arrears(NULL, first, NULL, 0, (struct date){ 2024, 4, 1 });
	assert_int_equal(a.due_months, 1);
	assert_int_equal(a.consecutive, 1);
	assert_int_equal(a.first_unpaid, 202403);
	/* Start in the future: nothing owed. */
	a = arrears(NULL, 202501, NULL, 0, (struct date){ 2024, 4, 1 });
	assert_int_equal(a.due_months, 0);

	/* Months before the first due month and prepaid months are ignored; duplicates tolerated. */
	{
		int paid[] = { 202312, 202403, 202403, 202404, 202405, 202406, 202407, 202408 };

		a = arrears(NULL, 202403, paid, ARRAY_SIZE(paid), (struct date){ 2024, 6, 10 });
		assert_int_equal(a.due_months, 3);
		assert_int_equal(a.unpaid_total, 0);
		assert_int_equal(a.last_paid, 202405);
		assert_int_equal(a.level, DUES_ARREARS_NONE);
	}
	/* last_paid from before the window when nothing inside it was paid. */
	{
		int paid[] = { 202312 };

		a = arrears(NULL, 202403, paid, ARRAY_SIZE(paid), (struct date){ 2024, 6, 10 });
		assert_int_equal(a.last_paid, 202312);
		assert_int_equal(a.consecutive, 3);
		assert_int_equal(a.level, DUES_ARREARS_WARN);
	}
	/* Across a year end. */
	{
		int paid[] = { 202410 };

		a = arrears(NULL, 202410, paid, ARRAY_SIZE(paid), (struct date){ 2025, 5, 1 });
		assert_int_equal(a.consecutive, 6); /* 2024-11 .. 2025-04 */
		assert_int_equal(a.level, DUES_ARREARS_LAPSE_CASE);
	}

	/* Errors. */
	{
		int unsorted[] = { 202403, 202402 };
		int invalid[] = { 202413 };

		struct date june = { 2024, 6, 1 };

		assert_int_equal(dues_arrears_compute(NULL, 202413, NULL, 0, june, &a, &e), -1);
		assert_field(&e, "first_due_month", NULL);
		err_clear(&e);
		assert_int_equal(dues_arrears_compute(NULL, 202401, NULL, 0, DATE_NONE, &a, &e), -1);
		assert_field(&e, "today", NULL);
		err_clear(&e);
		assert_int_equal(dues_arrears_compute(NULL, 202401, unsorted, 2, june, &a, &e), -1);
		assert_field(&e, "paid_months", NULL);
		err_clear(&e);
		assert_int_equal(dues_arrears_compute(NULL, 202401, invalid, 1, june, &a, &e), -1);
		assert_field(&e, "paid_months", NULL);
		err_clear(&e);
	}
}

/* --------------------------------------------------------------- payments */

static struct dues_payment_verdict pay_ok(const struct dues_settings *s, int month, int current,
					  int64_t amount, int64_t standard, unsigned flags)
{
	struct dues_payment_verdict v;
	struct err e = ERR_INIT;

	if (dues_payment_check(s, month, current, amount, standard, flags, &v, &e) != 0)
		fail_msg("payment for %d refused: %s", month, e.message);
	assert_false(err_is_set(&e));
	return v;
}

/* Expects a refusal with exactly one field error; returns the verdict. */
static struct dues_payment_verdict pay_refused(const struct dues_settings *s, int month, int current,
					       int64_t amount, int64_t standard, unsigned flags,
					       const char *field, const char *message)
{
	struct dues_payment_verdict v;
	struct err e = ERR_INIT;

	assert_int_equal(dues_payment_check(s, month, current, amount, standard, flags, &v, &e), -1);
	assert_field(&e, field, message);
	assert_int_equal(e.nfields, 1);
	return v;
}

static void test_payment_months(void **state)
{
	struct dues_payment_verdict v;
	struct dues_settings s;

	UNUSED(state);
	/* The current month. */
	v = pay_ok(NULL, 202408, 202408, 1500, 1500, 0);
	assert_int_equal(v.notes, 0);
	assert_int_equal(v.months_ahead, 0);
	assert_int_equal(v.months_behind, 0);

	/* DUES-10 prepayment: up to 3 months ahead. */
	v = pay_ok(NULL, 202409, 202408, 1500, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_PREPAY);
	assert_int_equal(v.months_ahead, 1);
	v = pay_ok(NULL, 202411, 202408, 1500, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_PREPAY);
	assert_int_equal(v.months_ahead, 3);
	pay_refused(NULL, 202412, 202408, 1500, 1500, 0, "month", "不能预交超过3个月");
	pay_ok(NULL, 202501, 202410, 1500, 1500, 0); /* across the year end: Nov, Dec, Jan */
	pay_refused(NULL, 202502, 202410, 1500, 1500, 0, "month", "不能预交超过3个月");
	v = pay_ok(NULL, 202501, 202411, 1500, 1500, 0);
	assert_int_equal(v.months_ahead, 2);
	dues_settings_default(&s);
	s.max_prepay_months = 6;
	pay_ok(&s, 202502, 202408, 1500, 1500, 0);
	pay_refused(&s, 202503, 202408, 1500, 1500, 0, "month", "不能预交超过6个月");
	s.max_prepay_months = 0;
	pay_ok(&s, 202408, 202408, 1500, 1500, 0);
	pay_refused(&s, 202409, 202408, 1500, 1500, 0, "month", "不能预交党费");

	/* Arrears up to 6 months back without consent. */
	v = pay_ok(NULL, 202407, 202408, 1500, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_ARREARS);
	assert_int_equal(v.months_behind, 1);
	v = pay_ok(NULL, 202402, 202408, 1500, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_ARREARS);
	assert_int_equal(v.months_behind, 6);
	/* Older only with the branch's consent. */
	v = pay_refused(NULL, 202401, 202408, 1500, 1500, 0, "month", "补缴超过6个月的党费须经党支部同意");
	assert_int_equal(v.notes, DUES_NOTE_ARREARS | DUES_NOTE_NEEDS_CONSENT);
	assert_int_equal(v.months_behind, 7);
	v = pay_ok(NULL, 202401, 202408, 1500, 1500, DUES_PAY_BRANCH_CONSENT);
	assert_int_equal(v.notes, DUES_NOTE_ARREARS | DUES_NOTE_OLD_ARREARS);
	v = pay_ok(NULL, 202208, 202408, 1500, 1500, DUES_PAY_BRANCH_CONSENT);
	assert_int_equal(v.months_behind, 24);
	/* Consent does not lift the prepayment limit. */
	pay_refused(NULL, 202412, 202408, 1500, 1500, DUES_PAY_BRANCH_CONSENT, "month", "不能预交超过3个月");

	/* Invalid months. */
	pay_refused(NULL, 202413, 202408, 1500, 1500, 0, "month", "缴费月份无效");
	pay_refused(NULL, 0, 202408, 1500, 1500, 0, "month", NULL);
	{
		struct err e = ERR_INIT;

		assert_int_equal(dues_payment_check(NULL, 202408, 202400, 1500, 1500, 0, &v, &e), -1);
		assert_int_equal(e.kind, ERR_INTERNAL);
		err_clear(&e);
	}
}

static void test_payment_amounts(void **state)
{
	struct dues_payment_verdict v;
	struct dues_settings s;

	UNUSED(state);
	pay_refused(NULL, 202408, 202408, 0, 1500, 0, "amount_fen", "缴纳金额必须大于0");
	pay_refused(NULL, 202408, 202408, -100, 1500, 0, "amount_fen", "缴纳金额必须大于0");
	pay_refused(NULL, 202408, 202408, 0, 0, DUES_PAY_REDUCTION_APPROVED, "amount_fen",
		    "缴纳金额必须大于0");

	/* Below the standard: only on an approved reduction. */
	pay_refused(NULL, 202408, 202408, 1499, 1500, 0, "amount_fen", "缴纳金额低于应缴党费标准");
	v = pay_ok(NULL, 202408, 202408, 1499, 1500, DUES_PAY_REDUCTION_APPROVED);
	assert_int_equal(v.notes, DUES_NOTE_REDUCED);
	assert_int_equal(v.extra_fen, 0);
	v = pay_ok(NULL, 202408, 202408, 1, 1500, DUES_PAY_REDUCTION_APPROVED);
	assert_int_equal(v.notes, DUES_NOTE_REDUCED);
	v = pay_ok(NULL, 202408, 202408, 1500, 1500, 0);
	assert_int_equal(v.notes, 0);
	assert_int_equal(v.extra_fen, 0);
	assert_int_equal(v.central_fen, 0);

	/* DUES-08: paying more is allowed; 999.99 extra stays, 1000.00 goes to the centre. */
	v = pay_ok(NULL, 202408, 202408, 1501, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_EXTRA);
	assert_int_equal(v.extra_fen, 1);
	assert_int_equal(v.central_fen, 0);
	v = pay_ok(NULL, 202408, 202408, 1500 + 99999, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_EXTRA);
	assert_int_equal(v.extra_fen, 99999);
	assert_int_equal(v.central_fen, 0);
	v = pay_ok(NULL, 202408, 202408, 1500 + 100000, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_EXTRA | DUES_NOTE_REMIT_CENTRAL);
	assert_int_equal(v.extra_fen, 100000);
	assert_int_equal(v.central_fen, 100000);
	/* An exempt member (standard 0) paying 1000.00 voluntarily. */
	v = pay_ok(NULL, 202408, 202408, 100000, 0, 0);
	assert_int_equal(v.notes, DUES_NOTE_EXTRA | DUES_NOTE_REMIT_CENTRAL);
	assert_int_equal(v.central_fen, 100000);
	v = pay_ok(NULL, 202408, 202408, 99999, 0, 0);
	assert_int_equal(v.notes, DUES_NOTE_EXTRA);
	/* The threshold is a setting. */
	dues_settings_default(&s);
	s.central_remit_threshold_fen = 50000;
	v = pay_ok(&s, 202408, 202408, 1500 + 50000, 1500, 0);
	assert_true(v.notes & DUES_NOTE_REMIT_CENTRAL);
	v = pay_ok(&s, 202408, 202408, 1500 + 49999, 1500, 0);
	assert_false(v.notes & DUES_NOTE_REMIT_CENTRAL);
	/* Prepaying with an extra: both noted. */
	v = pay_ok(NULL, 202410, 202408, 200000, 1500, 0);
	assert_int_equal(v.notes, DUES_NOTE_PREPAY | DUES_NOTE_EXTRA | DUES_NOTE_REMIT_CENTRAL);
	assert_int_equal(v.central_fen, 198500);

	/* Limits. */
	v = pay_ok(NULL, 202408, 202408, DUES_MAX_PAYMENT_FEN, 1500, 0);
	assert_int_equal(v.central_fen, DUES_MAX_PAYMENT_FEN - 1500);
	pay_refused(NULL, 202408, 202408, DUES_MAX_PAYMENT_FEN + 1, 1500, 0, "amount_fen",
		    "缴纳金额超出合理范围");
	pay_refused(NULL, 202408, 202408, 1500, -1, 0, "standard_fen", "应缴党费标准无效");
}

static void test_payment_all_errors_at_once(void **state)
{
	struct dues_payment_verdict v;
	struct err e = ERR_INIT;

	UNUSED(state);
	assert_int_equal(dues_payment_check(NULL, 202501, 202408, 0, 1500, 0, &v, &e), -1);
	assert_int_equal(e.nfields, 2);
	assert_field(&e, "month", "不能预交超过3个月");
	assert_field(&e, "amount_fen", "缴纳金额必须大于0");
	assert_int_equal(v.months_ahead, 5);
	err_clear(&e);
	assert_int_equal(dues_payment_check(NULL, 202301, 202408, 100, 1500, 0, &v, &e), -1);
	assert_int_equal(e.nfields, 2);
	assert_field(&e, "month", "补缴超过6个月的党费须经党支部同意");
	assert_field(&e, "amount_fen", "缴纳金额低于应缴党费标准");
	assert_true(v.notes & DUES_NOTE_NEEDS_CONSENT);
	err_clear(&e);
}

/* ------------------------------------------------------------ remittance */

static void test_remit_share(void **state)
{
	UNUSED(state);
	/* DUES-13 example: 20 % of the previous year's total. */
	assert_int_equal(dues_remit_share(12345600, 200), 2469120);
	assert_int_equal(dues_remit_share(100000, 200), 20000);
	assert_int_equal(dues_remit_share(1234, 200), 247); /* 246.8 */
	assert_int_equal(dues_remit_share(1232, 200), 246); /* 246.4 */
	assert_int_equal(dues_remit_share(5, 100), 1);      /* 0.5: half up */
	assert_int_equal(dues_remit_share(4, 100), 0);      /* 0.4 */
	assert_int_equal(dues_remit_share(1, 500), 1);      /* 0.5 */
	assert_int_equal(dues_remit_share(1, 499), 0);
	assert_int_equal(dues_remit_share(0, 200), 0);
	assert_int_equal(dues_remit_share(777, 0), 0);
	assert_int_equal(dues_remit_share(777, 1000), 777);
	assert_int_equal(dues_remit_share(DUES_MAX_TOTAL_FEN, 1000), DUES_MAX_TOTAL_FEN);
	assert_int_equal(dues_remit_share(DUES_MAX_TOTAL_FEN, 200), DUES_MAX_TOTAL_FEN / 5);
	assert_int_equal(dues_remit_share(DUES_MAX_TOTAL_FEN + 1, 200), -1);
	assert_int_equal(dues_remit_share(-1, 200), -1);
	assert_int_equal(dues_remit_share(100, -1), -1);
	assert_int_equal(dues_remit_share(100, 1001), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_category_enum),
		cmocka_unit_test(test_category_of_member),
		cmocka_unit_test(test_settings_default),
		cmocka_unit_test(test_settings_check),
		cmocka_unit_test(test_invalid_settings_refused),
		cmocka_unit_test(test_retired_base_and_rebase),
		cmocka_unit_test(test_dues02_vectors),
		cmocka_unit_test(test_dues02_boundaries_every_salaried_category),
		cmocka_unit_test(test_dues04_retired),
		cmocka_unit_test(test_dues12_rounding),
		cmocka_unit_test(test_dues05_fixed_amounts),
		cmocka_unit_test(test_calculate_errors),
		cmocka_unit_test(test_month_arithmetic),
		cmocka_unit_test(test_month_format_parse),
		cmocka_unit_test(test_dues11_vector_and_thresholds),
		cmocka_unit_test(test_arrears_custom_thresholds),
		cmocka_unit_test(test_arrears_gaps),
		cmocka_unit_test(test_arrears_window),
		cmocka_unit_test(test_payment_months),
		cmocka_unit_test(test_payment_amounts),
		cmocka_unit_test(test_payment_all_errors_at_once),
		cmocka_unit_test(test_remit_share),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
