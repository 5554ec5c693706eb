/*
 * test_lifecycle.c: unit tests for src/core/lifecycle.c: the exit reasons
 * and lost-contact situations, every legal and illegal state transition
 * (EXIT-03), the LOST-01 waiting periods on both sides of the boundary,
 * the exit approval rules, XFER-02/MOB-01 and the mobile-member checks.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/lifecycle.h"
#include "core/sanction.h"

#include <setjmp.h>
#include <cmocka.h>

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

#define TODAY D(2026, 12, 1)

static void
assert_date(struct date got, struct date want)
{
	char a[11], b[11];

	date_format(got, a);
	date_format(want, b);
	if (date_cmp(got, want) != 0)
		fail_msg("date '%s', expected '%s'", a, b);
}

static struct lifecycle_rules rules(void)
{
	struct lifecycle_rules r;

	lifecycle_rules_default(&r);
	return r;
}

static int check(const struct state_change *s, int *to, struct err *e)
{
	struct lifecycle_rules r = rules();

	return member_state_check(&r, s, TODAY, to, e);
}

static void allowed(const struct state_change *s, int want)
{
	struct err e = ERR_INIT;
	int to = -1;

	if (check(s, &to, &e) != 0)
		fail_msg("action %d from %d refused: %s (%s)", s->action, s->from_state, e.message,
			 e.nfields ? e.fields[0].name : "");
	assert_int_equal(to, want);
	err_release(&e);
}

static void conflict(const struct state_change *s)
{
	struct err e = ERR_INIT;
	int to = -1;

	assert_int_equal(check(s, &to, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "member_state");
	assert_true(strlen(e.message) > 0);
	err_release(&e);
}

static void rule(const struct state_change *s, const char *id, const char *field)
{
	struct err e = ERR_INIT;
	char prefix[16];
	int to = -1;

	assert_int_equal(check(s, &to, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	assert_string_equal(e.code, "rule_violation");
	snprintf(prefix, sizeof(prefix), "[%s] ", id);
	if (strncmp(e.message, prefix, strlen(prefix)))
		fail_msg("message '%s', expected %s", e.message, id);
	assert_non_null(err_field_message(&e, field));
	err_release(&e);
}

static void invalid(const struct state_change *s, const char *field)
{
	struct err e = ERR_INIT;
	int to = -1;

	assert_int_equal(check(s, &to, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	assert_string_equal(e.code, "validation_failed");
	if (!err_field_message(&e, field))
		fail_msg("no error on %s (%s)", field, e.message);
	err_release(&e);
}

/* A valid exit of a full, active member. */
static struct state_change exit_of(int reason)
{
	return (struct state_change){ .action = SA_EXIT,
				      .from_state = MSTATE_ACTIVE,
				      .member_status = STATUS_FULL,
				      .code = reason,
				      .on = D(2025, 3, 1),
				      .approved_on = D(2025, 3, 20),
				      .joined_on = D(2010, 7, 1) };
}

static void test_enums(void **state)
{
	(void)state;
	assert_string_equal(enum_json(exit_reason_enum, EXIT_DEATH), "death");
	assert_string_equal(enum_label(exit_reason_enum, EXIT_EXPELLED), "开除党籍");
	assert_string_equal(enum_label(exit_reason_enum, EXIT_REMOVED_SELF_LAPSE), "自行脱党除名");
	assert_string_equal(enum_label(exit_reason_enum, EXIT_PERSUADED_LEFT), "劝退");
	assert_string_equal(enum_label(exit_reason_enum, EXIT_REMOVED_REFUSED), "劝而不退除名");
	assert_int_equal(enum_from_json(exit_reason_enum, "probation_cancelled"), EXIT_PROBATION_CANCELLED);
	assert_int_equal(enum_from_json(exit_reason_enum, "removed_unqualified"), EXIT_REMOVED_UNQUALIFIED);
	assert_int_equal(enum_from_json(exit_reason_enum, "withdrew"), EXIT_WITHDREW);
	assert_string_equal(enum_label(lost_situation_enum, LOST_ABROAD), "出国（境）");
	assert_int_equal(enum_from_json(lost_situation_enum, "address_unknown"), LOST_ADDRESS_UNKNOWN);
	assert_int_equal(enum_from_json(lost_situation_enum, "work_away"), LOST_WORK_AWAY);
	assert_int_equal(enum_from_json(lost_situation_enum, "no_transfer"), LOST_NO_TRANSFER);
	assert_int_equal(enum_from_json(lost_situation_enum, "other"), LOST_OTHER);

	assert_false(exit_needs_approval(EXIT_DEATH));
	assert_false(exit_needs_approval(EXIT_WITHDREW));
	assert_false(exit_needs_approval(EXIT_NONE));
	assert_false(exit_needs_approval(99));
	for (int r = EXIT_EXPELLED; r <= EXIT_PROBATION_CANCELLED; r++)
		if (r != EXIT_WITHDREW)
			assert_true(exit_needs_approval(r));

	struct lifecycle_rules lr = rules();
	assert_int_equal(lr.lost_months, 6);
	assert_int_equal(lr.removal_years, 2);
	assert_int_equal(lr.abroad_study_years, 5);
}

static void test_transitions(void **state)
{
	struct state_change s;

	(void)state;
	/* Exit from active, lost, suspended; 0 means active. */
	s = exit_of(EXIT_EXPELLED);
	allowed(&s, MSTATE_LEFT);
	s.from_state = MSTATE_NONE;
	allowed(&s, MSTATE_LEFT);
	s.from_state = MSTATE_LOST;
	s.state_on = D(2024, 1, 1);
	allowed(&s, MSTATE_LEFT);
	s.from_state = MSTATE_SUSPENDED;
	allowed(&s, MSTATE_LEFT);
	/* EXIT-03: nothing from left or transferred. */
	for (int a = SA_EXIT; a <= SA_RESTORE; a++) {
		s = exit_of(EXIT_DEATH);
		s.action = a;
		s.code = a == SA_LOST ? LOST_OTHER : s.code;
		s.last_contact_on = D(2024, 1, 1);
		s.from_state = MSTATE_LEFT;
		conflict(&s);
		s.from_state = MSTATE_TRANSFERRED;
		conflict(&s);
	}

	/* Lost only from active. */
	s = (struct state_change){ .action = SA_LOST,
				   .from_state = MSTATE_ACTIVE,
				   .code = LOST_WORK_AWAY,
				   .last_contact_on = D(2024, 1, 10),
				   .joined_on = D(2010, 7, 1) };
	allowed(&s, MSTATE_LOST);
	s.from_state = MSTATE_LOST;
	conflict(&s);
	s.from_state = MSTATE_SUSPENDED;
	conflict(&s);
	s.from_state = MSTATE_ACTIVE;
	s.code = 0;
	invalid(&s, "situation");
	s.code = LOST_OTHER;
	s.last_contact_on = DATE_NONE;
	invalid(&s, "last_contact_on");
	s.last_contact_on = D(2026, 12, 2);
	invalid(&s, "last_contact_on");
	s.last_contact_on = D(2009, 1, 1);
	invalid(&s, "last_contact_on"); /* before joining */

	/* Suspend only from lost, or from active when abroad (LOST-02). */
	s = (struct state_change){ .action = SA_SUSPEND,
				   .from_state = MSTATE_LOST,
				   .code = LOST_WORK_AWAY,
				   .on = D(2024, 8, 1),
				   .state_on = D(2024, 1, 10),
				   .last_contact_on = D(2024, 1, 10) };
	allowed(&s, MSTATE_SUSPENDED);
	s.from_state = MSTATE_ACTIVE;
	conflict(&s);
	s.from_state = MSTATE_SUSPENDED;
	conflict(&s);
	s.from_state = MSTATE_ACTIVE;
	s.code = LOST_ABROAD;
	s.state_on = DATE_NONE;
	s.last_contact_on = DATE_NONE;
	allowed(&s, MSTATE_SUSPENDED);

	/* Restore only from lost or suspended. */
	s = (struct state_change){ .action = SA_RESTORE,
				   .from_state = MSTATE_SUSPENDED,
				   .on = D(2025, 1, 1),
				   .state_on = D(2024, 8, 1) };
	allowed(&s, MSTATE_ACTIVE);
	s.from_state = MSTATE_LOST;
	allowed(&s, MSTATE_ACTIVE);
	s.from_state = MSTATE_ACTIVE;
	conflict(&s);
	s.from_state = MSTATE_LOST;
	s.on = D(2024, 7, 31);
	invalid(&s, "on"); /* before the state began */

	s.action = 42;
	s.on = D(2025, 1, 1);
	invalid(&s, "action");
}

static void test_lost01_suspension(void **state)
{
	struct state_change s = { .action = SA_SUSPEND,
				  .from_state = MSTATE_LOST,
				  .code = LOST_ADDRESS_UNKNOWN,
				  .state_on = D(2024, 1, 10),
				  .last_contact_on = D(2024, 1, 10),
				  .joined_on = D(2010, 7, 1) };

	(void)state;
	s.on = D(2024, 7, 9);
	rule(&s, "LOST-01", "on");
	s.on = D(2024, 7, 10);
	allowed(&s, MSTATE_SUSPENDED);
	/* Without last_contact_on the lost state's date is the last contact. */
	s.last_contact_on = DATE_NONE;
	s.on = D(2024, 7, 9);
	rule(&s, "LOST-01", "on");
	/* Abroad (LOST-02): no waiting period. */
	s.code = LOST_ABROAD;
	allowed(&s, MSTATE_SUSPENDED);
	s.on = D(2026, 12, 2);
	invalid(&s, "on");
	s.on = DATE_NONE;
	invalid(&s, "on");
	s.on = D(2024, 1, 9);
	invalid(&s, "on"); /* before the lost registration */
}

static void test_lost01_removal(void **state)
{
	struct state_change s = exit_of(EXIT_REMOVED_SELF_LAPSE);

	(void)state;
	s.from_state = MSTATE_SUSPENDED;
	s.state_on = D(2024, 8, 1);
	s.on = D(2026, 7, 31);
	s.approved_on = D(2026, 8, 10);
	rule(&s, "LOST-01", "on");
	s.on = D(2026, 8, 1);
	allowed(&s, MSTATE_LEFT);
	/* From active (6 months without organisational life, XFER-07): no waiting period here. */
	s.from_state = MSTATE_ACTIVE;
	s.state_on = DATE_NONE;
	s.on = D(2025, 3, 1);
	s.approved_on = D(2025, 3, 2);
	allowed(&s, MSTATE_LEFT);
	/* Other exits from suspended do not wait. */
	s = exit_of(EXIT_EXPELLED);
	s.from_state = MSTATE_SUSPENDED;
	s.state_on = D(2024, 8, 1);
	s.on = D(2024, 9, 1);
	s.approved_on = D(2024, 9, 2);
	allowed(&s, MSTATE_LEFT);
	s.on = D(2024, 7, 1);
	invalid(&s, "on"); /* before the suspension */
}

static void test_exit_rules(void **state)
{
	struct state_change s;

	(void)state;
	/* EXIT-01: probation_cancelled only for probationary members. */
	s = exit_of(EXIT_PROBATION_CANCELLED);
	rule(&s, "EXIT-01", "reason");
	s.member_status = STATUS_PROBATIONARY;
	allowed(&s, MSTATE_LEFT);

	/* Approval: needed except death and withdrew; not before the decision, not in the future. */
	s = exit_of(EXIT_EXPELLED);
	s.approved_on = DATE_NONE;
	invalid(&s, "approved_on");
	s.approved_on = D(2025, 2, 28);
	invalid(&s, "approved_on");
	s.approved_on = D(2025, 3, 1);
	allowed(&s, MSTATE_LEFT);
	s.approved_on = D(2026, 12, 2);
	invalid(&s, "approved_on");
	s = exit_of(EXIT_DEATH);
	s.approved_on = DATE_NONE;
	allowed(&s, MSTATE_LEFT);
	s = exit_of(EXIT_WITHDREW);
	s.approved_on = DATE_NONE;
	allowed(&s, MSTATE_LEFT);

	/* Dates and reason. */
	s = exit_of(EXIT_DEATH);
	s.on = D(2026, 12, 2);
	invalid(&s, "on");
	s.on = D(2010, 6, 30);
	invalid(&s, "on"); /* before joined_on */
	s.on = D(2010, 7, 1);
	allowed(&s, MSTATE_LEFT);
	s.on = DATE_NONE;
	invalid(&s, "on");
	/* Nothing before the founding of the Party, even when joined_on is unknown. */
	s = exit_of(EXIT_DEATH);
	s.joined_on = DATE_NONE;
	s.on = D(1921, 6, 30);
	invalid(&s, "on");
	s.on = D(1921, 7, 1);
	allowed(&s, MSTATE_LEFT);
	s = exit_of(0);
	invalid(&s, "reason");
	s = exit_of(99);
	invalid(&s, "reason");
	/* NULL rules mean the defaults. */
	{
		struct err e = ERR_INIT;
		int to;

		s = exit_of(EXIT_REMOVED_SELF_LAPSE);
		s.from_state = MSTATE_SUSPENDED;
		s.state_on = D(2024, 8, 1);
		s.on = D(2026, 7, 31);
		s.approved_on = D(2026, 8, 10);
		assert_int_equal(member_state_check(NULL, &s, TODAY, &to, &e), -1);
		assert_string_equal(e.code, "rule_violation");
		err_release(&e);
	}
}

static void test_relation_need(void **state)
{
	(void)state;
	assert_int_equal(relation_need(5, true), REL_NONE);
	assert_int_equal(relation_need(5, false), REL_NONE);
	assert_int_equal(relation_need(6, true), REL_TRANSFER);
	assert_int_equal(relation_need(6, false), REL_MOBILE);
	assert_int_equal(relation_need(30, true), REL_TRANSFER);
	assert_int_equal(relation_need(0, false), REL_NONE);
}

static void mobile_invalid(const struct mobile_input *in, const char *field)
{
	struct err e = ERR_INIT;

	assert_int_equal(mobile_check(in, TODAY, &e), -1);
	if (!err_field_message(&e, field))
		fail_msg("no error on %s (%s)", field, e.message);
	err_release(&e);
}

static void test_mobile(void **state)
{
	struct mobile_input ok = { .member_state = MSTATE_ACTIVE,
				   .joined_on = D(2010, 7, 1),
				   .out_on = D(2025, 3, 1),
				   .expected_return = D(2025, 12, 31),
				   .destination = "广东省深圳市",
				   .reason = "外出务工" };
	struct mobile_input in;
	struct err e = ERR_INIT;
	char longer[400];

	(void)state;
	assert_int_equal(mobile_check(&ok, TODAY, &e), 0);
	assert_false(err_is_set(&e));
	in = ok;
	in.member_state = MSTATE_LOST;
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	in.member_state = MSTATE_NONE;
	in.expected_return = DATE_NONE;
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	in = ok;
	in.returned_on = D(2025, 3, 1);
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);

	in = ok;
	in.member_state = MSTATE_SUSPENDED;
	mobile_invalid(&in, "member_id");
	in.member_state = MSTATE_LEFT;
	mobile_invalid(&in, "member_id");
	in = ok;
	in.out_on = D(2026, 12, 2);
	in.expected_return = DATE_NONE;
	mobile_invalid(&in, "out_on"); /* future */
	in.out_on = D(2010, 6, 30);
	mobile_invalid(&in, "out_on"); /* before joined_on */
	in.out_on = DATE_NONE;
	mobile_invalid(&in, "out_on");
	in = ok;
	in.expected_return = D(2025, 3, 1);
	mobile_invalid(&in, "expected_return");
	in = ok;
	in.returned_on = D(2025, 2, 28);
	mobile_invalid(&in, "returned_on");
	in.returned_on = D(2026, 12, 2);
	mobile_invalid(&in, "returned_on");
	in = ok;
	in.destination = " ";
	mobile_invalid(&in, "destination");
	in.destination = NULL;
	mobile_invalid(&in, "destination");
	in = ok;
	in.reason = "";
	mobile_invalid(&in, "reason");
	memset(longer, 0, sizeof(longer));
	for (int i = 0; i < 101; i++)
		memcpy(longer + 3 * i, "深", 3); /* 101 characters */
	in = ok;
	in.destination = longer;
	mobile_invalid(&in, "destination");
	longer[300] = '\0'; /* 100 characters */
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	/* Sanity bounds: nothing before the founding of the Party (1921-07-01) even without a
	 * joined_on; the expected return at most MOBILE_RETURN_YEARS_MAX (5) years after out_on. */
	in = ok;
	in.joined_on = DATE_NONE;
	in.out_on = D(1921, 6, 30);
	in.expected_return = DATE_NONE;
	mobile_invalid(&in, "out_on");
	in.out_on = D(1800, 1, 1);
	mobile_invalid(&in, "out_on");
	in.out_on = D(1921, 7, 1);
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	in = ok;
	assert_int_equal(MOBILE_RETURN_YEARS_MAX, 5);
	in.expected_return = D(2030, 3, 1); /* out_on 2025-03-01 + 5 years */
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	in.expected_return = D(2030, 3, 2);
	mobile_invalid(&in, "expected_return");
	in.expected_return = D(9999, 12, 31);
	mobile_invalid(&in, "expected_return");
	{
		/* The message names the bound in Chinese. */
		struct err e2 = ERR_INIT;
		assert_int_equal(mobile_check(&in, TODAY, &e2), -1);
		assert_string_equal(err_field_message(&e2, "expected_return"),
				    "预计返回日期不能晚于外出日期后5年");
		err_clear(&e2);
		in = ok;
		in.joined_on = DATE_NONE;
		in.out_on = D(1900, 1, 1);
		in.expected_return = DATE_NONE;
		assert_int_equal(mobile_check(&in, TODAY, &e2), -1);
		assert_string_equal(err_field_message(&e2, "out_on"), "外出日期不能早于1921年7月1日");
		err_release(&e2);
	}
	/* Every bad field is reported at once. */
	in = ok;
	in.reason = NULL;
	in.destination = NULL;
	assert_int_equal(mobile_check(&in, TODAY, &e), -1);
	assert_non_null(err_field_message(&e, "reason"));
	assert_non_null(err_field_message(&e, "destination"));
	err_release(&e);
}

/*
 * LOST-03, EXIT-02, EXIT-03: suspension (停止党籍) is a state, not an exit,
 * and restorable; every exit is final (a new application instead).
 */
static void test_restoration(void **state)
{
	struct state_change s;
	int to = -1;
	struct err e = ERR_INIT;

	(void)state;
	/* EXIT-02: no exit reason is a suspension, and suspending does not make the member leave. */
	assert_int_equal(enum_from_json(exit_reason_enum, "suspended"), EXIT_NONE);
	s = (struct state_change){ .action = SA_SUSPEND,
				   .from_state = MSTATE_LOST,
				   .code = LOST_WORK_AWAY,
				   .on = D(2024, 8, 1),
				   .state_on = D(2024, 1, 10),
				   .last_contact_on = D(2024, 1, 10) };
	assert_int_equal(check(&s, &to, &e), 0);
	assert_int_equal(to, MSTATE_SUSPENDED);
	assert_int_not_equal(to, MSTATE_LEFT);
	/* LOST-03: ... and may be restored from it (the first day of the suspension on). */
	assert_true(member_state_restorable(MSTATE_SUSPENDED));
	assert_true(member_state_restorable(MSTATE_LOST));
	s = (struct state_change){
		.action = SA_RESTORE, .from_state = to, .on = D(2024, 8, 1), .state_on = D(2024, 8, 1)
	};
	allowed(&s, MSTATE_ACTIVE);

	/* EXIT-03: never after an exit of any kind. */
	assert_false(member_state_restorable(MSTATE_LEFT));
	assert_false(member_state_restorable(MSTATE_TRANSFERRED));
	assert_false(member_state_restorable(MSTATE_ACTIVE));
	assert_false(member_state_restorable(MSTATE_NONE));
	for (int r = EXIT_DEATH; r <= EXIT_PROBATION_CANCELLED; r++) {
		struct state_change x = exit_of(r);

		x.member_status = r == EXIT_PROBATION_CANCELLED ? STATUS_PROBATIONARY : STATUS_FULL;
		x.from_state = MSTATE_SUSPENDED;
		x.state_on = D(2023, 1, 1);
		x.on = D(2025, 3, 1);
		assert_int_equal(check(&x, &to, &e), 0);
		assert_int_equal(to, MSTATE_LEFT);
		s = (struct state_change){ .action = SA_RESTORE,
					   .from_state = to,
					   .code = r,
					   .on = D(2025, 4, 1),
					   .state_on = x.on };
		conflict(&s);
	}
	err_release(&e);

	/* LOST-03: those who left may apply again; expelled only after 5 years (DISC-02). */
	assert_date(exit_reapply_from(EXIT_WITHDREW, D(2024, 3, 1)), D(2024, 3, 1));
	assert_date(exit_reapply_from(EXIT_PERSUADED_LEFT, D(2024, 3, 1)), D(2024, 3, 1));
	assert_date(exit_reapply_from(EXIT_REMOVED_SELF_LAPSE, D(2024, 3, 1)), D(2024, 3, 1));
	assert_date(exit_reapply_from(EXIT_REMOVED_UNQUALIFIED, D(2024, 3, 1)), D(2024, 3, 1));
	assert_date(exit_reapply_from(EXIT_REMOVED_REFUSED, D(2024, 3, 1)), D(2024, 3, 1));
	assert_date(exit_reapply_from(EXIT_PROBATION_CANCELLED, D(2024, 3, 1)), D(2024, 3, 1));
	assert_date(exit_reapply_from(EXIT_EXPELLED, D(2024, 3, 1)), D(2029, 3, 1));
	assert_true(sanction_readmission_allowed(D(2024, 3, 1), D(2029, 3, 1)));
	assert_false(sanction_readmission_allowed(D(2024, 3, 1), D(2029, 2, 28)));
	assert_false(date_is_set(exit_reapply_from(EXIT_DEATH, D(2024, 3, 1))));
	assert_false(date_is_set(exit_reapply_from(EXIT_NONE, D(2024, 3, 1))));
	assert_false(date_is_set(exit_reapply_from(EXIT_WITHDREW, DATE_NONE)));
}

/* LOST-02: abroad for study or research more than 5 years (超过: the day 5 years on is not yet). */
static void test_lost02_abroad_study(void **state)
{
	struct lifecycle_rules r = rules();

	(void)state;
	assert_false(abroad_study_suspendable(&r, D(2019, 9, 1), D(2024, 9, 1)));
	assert_true(abroad_study_suspendable(&r, D(2019, 9, 1), D(2024, 9, 2)));
	assert_false(abroad_study_suspendable(NULL, D(2019, 9, 1), D(2024, 9, 1)));
	assert_true(abroad_study_suspendable(NULL, D(2019, 9, 1), D(2024, 9, 2)));
	assert_false(abroad_study_suspendable(&r, DATE_NONE, D(2024, 9, 2)));
	r.abroad_study_years = 3;
	assert_true(abroad_study_suspendable(&r, D(2019, 9, 1), D(2022, 9, 2)));
	assert_false(abroad_study_suspendable(&r, D(2019, 9, 1), D(2022, 9, 1)));
}

/* MOB-03: the 流动党员活动证 number, required when an inflow organisation of the system registers the member.
 */
static void test_mob03_certificate(void **state)
{
	struct mobile_input in = { .member_state = MSTATE_ACTIVE,
				   .joined_on = D(2010, 7, 1),
				   .out_on = D(2025, 3, 1),
				   .destination = "广东省深圳市",
				   .reason = "外出务工",
				   .certificate_no = "LD20250101",
				   .inflow_in_system = true };
	struct err e = ERR_INIT;
	char longer[200];

	(void)state;
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	in.certificate_no = NULL;
	assert_int_equal(mobile_check(&in, TODAY, &e), -1);
	assert_string_equal(e.code, "rule_violation");
	assert_non_null(strstr(e.message, "[MOB-03]"));
	assert_non_null(err_field_message(&e, "certificate_no"));
	err_clear(&e);
	in.inflow_in_system = false; /* no inflow organisation here (or only in words): optional */
	assert_int_equal(mobile_check(&in, TODAY, &e), 0);
	/* Format: 1..40 characters, no control characters, no surrounding white space. */
	assert_true(mobile_certificate_valid("流动证1001"));
	assert_true(mobile_certificate_valid("LD20250101"));
	assert_false(mobile_certificate_valid(""));
	assert_false(mobile_certificate_valid(NULL));
	assert_false(mobile_certificate_valid(" LD1"));
	assert_false(mobile_certificate_valid("LD1 "));
	assert_false(mobile_certificate_valid("LD\n1"));
	memset(longer, 0, sizeof(longer));
	for (int i = 0; i < 40; i++)
		memcpy(longer + 3 * i, "证", 3);
	assert_true(mobile_certificate_valid(longer)); /* 40 characters */
	memcpy(longer + 120, "证", 3);
	assert_false(mobile_certificate_valid(longer)); /* 41 */
	in.certificate_no = " LD1";
	mobile_invalid(&in, "certificate_no");
	in.inflow_in_system = true;
	mobile_invalid(&in, "certificate_no");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_lost01_suspension),
		cmocka_unit_test(test_lost01_removal),
		cmocka_unit_test(test_exit_rules),
		cmocka_unit_test(test_relation_need),
		cmocka_unit_test(test_mobile),
		cmocka_unit_test(test_restoration),
		cmocka_unit_test(test_lost02_abroad_study),
		cmocka_unit_test(test_mob03_certificate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
