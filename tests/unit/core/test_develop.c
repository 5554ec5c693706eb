/*
 * test_develop.c: unit tests for src/core/develop.c: the step table and
 * enumerations, the versioned settings and their text form, the summary of
 * recorded steps, both sides of every [R]/[S] rule boundary of RULES.md
 * section 1 with its test values (DEV-10 ... DEV-53), the 2014/2026
 * differences and the next step with its dates.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/develop.h"

#include <setjmp.h>
#include <cmocka.h>

/* ---------------------------------------------------------------- helpers */

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

#define TODAY D(2026, 1, 1)

static void
assert_date(struct date got, struct date want)
{
	char a[11], b[11];

	date_format(got, a);
	date_format(want, b);
	if (date_cmp(got, want) != 0)
		fail_msg("date %s, expected %s", a, b);
}

/* A case under construction: its recorded steps and the rules it is checked against. */
struct tcase {
	struct dev_step_brief s[64];
	struct dev_case c;
	struct dev_rules r;
	struct dev_person_fact people[4];
};

static void tc_init(struct tcase *t, int version)
{
	memset(t, 0, sizeof(*t));
	dev_rules_default(&t->r, version);
	t->c.version = version;
	t->c.birth_date = D(1990, 1, 1);
	t->c.steps = t->s;
}

static void tc_add(struct tcase *t, int step, struct date on, int result, int outcome, int ext)
{
	assert_true(t->c.nsteps < ARRAY_SIZE(t->s));
	t->s[t->c.nsteps++] = (struct dev_step_brief){ step, on, result, outcome, ext };
}

/* The standard dates of a case that follows every rule (2014 and 2026). */
static struct date std_on(int step)
{
	static const struct date on[26] = {
		{ 0, 0, 0 },     { 2023, 1, 10 }, { 2023, 1, 20 }, { 2023, 3, 15 }, { 2023, 3, 20 },
		{ 2023, 3, 25 }, { 2023, 9, 10 }, /* 6: also 2024-03-01 */
		{ 2024, 3, 15 }, { 2024, 3, 20 }, { 2024, 3, 25 }, { 2024, 4, 1 },  { 2024, 4, 10 },
		{ 2024, 4, 15 }, { 2024, 4, 20 }, { 2024, 4, 25 }, { 2024, 5, 6 },  { 2024, 5, 10 },
		{ 2024, 6, 1 },  { 2024, 6, 5 },  { 2024, 6, 10 }, { 2024, 6, 15 }, { 2024, 12, 1 },
		{ 2025, 5, 1 },  { 2025, 5, 6 },  { 2025, 6, 1 },  { 2025, 6, 10 },
	};
	return on[step];
}

static bool has_result(int step)
{
	return step == 10 || step == 13 || step == 15 || step == 17 || step == 23 || step == 24;
}

/* Records steps 1..last as passed, with the standard dates (two 考察 records). */
static void tc_upto(struct tcase *t, int last)
{
	for (int s = 1; s <= last; s++) {
		tc_add(t, s, std_on(s), has_result(s) ? DEV_PASS : 0, s == 23 ? DEV_OUTCOME_FULL : 0, 0);
		if (s == 6)
			tc_add(t, 6, D(2024, 3, 1), 0, 0, 0);
	}
}

static struct dev_person_fact person(int role, int64_t id)
{
	return (struct dev_person_fact){ .role = role,
					 .member_id = id,
					 .registered = true,
					 .status = STATUS_FULL,
					 .state = MSTATE_ACTIVE,
					 .in_branch = true };
}

/* A valid input for `step` on `on`: the people, vote, training, approver it needs. */
static struct dev_step_input std_input(struct tcase *t, int step, struct date on)
{
	struct dev_step_input in = { .step = step, .on = on, .branch_full_members = 20, .people = t->people };

	switch (step) {
	case 2:
		t->people[0] = person(DEV_ROLE_TALKER, 1);
		in.npeople = 1;
		break;
	case 5:
		t->people[0] = person(DEV_ROLE_CONTACT, 2);
		in.npeople = 1;
		break;
	case 6:
	case 21:
		in.summary = "表现良好";
		break;
	case 7:
		in.publicity_from = D(2024, 3, 1);
		in.publicity_to = D(2024, 3, 8);
		break;
	case 9:
		t->people[0] = person(DEV_ROLE_INTRODUCER, 3);
		t->people[1] = person(DEV_ROLE_INTRODUCER, 4);
		in.npeople = 2;
		break;
	case 10:
		in.result = DEV_PASS;
		in.summary = "政治审查合格";
		break;
	case 11:
		in.has_training = true;
		in.training_days = 3;
		in.training_hours = 24;
		break;
	case 13:
	case 17:
	case 24:
		in.result = DEV_PASS;
		in.approver_type = ORG_PARTY_COMMITTEE;
		in.approver_above = true;
		break;
	case 15:
	case 23:
		in.has_vote = true;
		in.vote = (struct vote_input){ .expected = 16, .present = 12, .yes = 12 };
		if (step == 23)
			in.outcome = DEV_OUTCOME_FULL;
		break;
	default:
		break;
	}
	return in;
}

/* Checks `in` and, when accepted, records it (result from the vote for 15/23). */
static int tc_check(struct tcase *t, const struct dev_step_input *in, struct dev_verdict *v, struct err *e)
{
	int rc = dev_check_step(&t->r, &t->c, in, TODAY, v, e);

	if (rc == 0) {
		int result = in->result;

		if (v->vote_checked)
			result = v->vote_passed ? DEV_PASS : DEV_FAIL;
		assert_false(err_is_set(e));
		tc_add(t, in->step, in->on, result, in->outcome, in->extension_months);
	} else {
		assert_true(err_is_set(e));
	}
	return rc;
}

/* The step must be accepted; returns the number of warnings. */
static int accept(struct tcase *t, const struct dev_step_input *in, struct dev_verdict *v)
{
	struct err e = ERR_INIT;

	if (tc_check(t, in, v, &e) != 0)
		fail_msg("step %d refused: %s (%s)", in->step, e.message, e.nfields ? e.fields[0].name : "");
	err_release(&e);
	return v->nwarn;
}

/* The step must be refused by `rule` with a field error on `field`. */
static void refused(struct tcase *t, const struct dev_step_input *in, const char *rule, const char *field)
{
	struct dev_verdict v;
	struct err e = ERR_INIT;
	char prefix[16];

	if (tc_check(t, in, &v, &e) == 0)
		fail_msg("step %d accepted, expected [%s]", in->step, rule);
	assert_int_equal(e.kind, ERR_VALIDATION);
	if (strcmp(e.code, "rule_violation") != 0)
		fail_msg("step %d: code %s (%s), expected rule_violation [%s]", in->step, e.code, e.message,
			 rule);
	snprintf(prefix, sizeof(prefix), "[%s] ", rule);
	if (strncmp(e.message, prefix, strlen(prefix)) != 0)
		fail_msg("step %d: message '%s', expected rule %s", in->step, e.message, rule);
	assert_string_equal(v.rule, rule);
	if (!err_field_message(&e, field))
		fail_msg("step %d: no error on field %s (%s)", in->step, field, e.message);
	err_release(&e);
}

/* A plain validation error (not a rule) on `field`. */
static void invalid(struct tcase *t, const struct dev_step_input *in, const char *field)
{
	struct dev_verdict v;
	struct err e = ERR_INIT;

	assert_int_equal(tc_check(t, in, &v, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	assert_string_equal(e.code, "validation_failed");
	if (!err_field_message(&e, field))
		fail_msg("step %d: no error on field %s (%s)", in->step, field, e.message);
	assert_string_equal(v.rule, "");
	err_release(&e);
}

static bool has_warning(const struct dev_verdict *v, const char *rule)
{
	for (int i = 0; i < v->nwarn; i++)
		if (!strcmp(v->warn[i].rule, rule))
			return true;
	return false;
}

static struct dev_summary summary(const struct tcase *t)
{
	struct dev_summary s;

	dev_summarize(&t->r, &t->c, &s);
	return s;
}

/* ------------------------------------------------------------ step table */

static void test_steps_and_enums(void **state)
{
	(void)state;
	assert_null(dev_step_def(0));
	assert_null(dev_step_def(26));
	for (int s = 1; s <= DEV_STEP_COUNT; s++) {
		const struct dev_step_def *d = dev_step_def(s);

		assert_non_null(d);
		assert_int_equal(d->step, s);
		assert_true(d->stage >= 1 && d->stage <= 5);
		assert_non_null(dev_stage_group_name(d->stage));
		assert_true(strlen(d->name) > 0 && strlen(d->actor) > 0);
		assert_int_equal(d->periodic, s == 6 || s == 21);
		assert_int_equal(d->vote, s == 15 || s == 23);
	}
	assert_string_equal(dev_step_def(3)->name, "推荐和确定入党积极分子");
	assert_string_equal(dev_step_def(7)->name, "确定发展对象");
	assert_string_equal(dev_step_def(15)->name, "支部大会讨论");
	assert_string_equal(dev_step_def(25)->name, "材料归档");
	assert_int_equal(dev_step_def(1)->stage, 1);
	assert_int_equal(dev_step_def(7)->stage, 3);
	assert_int_equal(dev_step_def(12)->stage, 4);
	assert_int_equal(dev_step_def(25)->stage, 5);
	assert_string_equal(dev_stage_group_name(1), "申请入党");
	assert_null(dev_stage_group_name(6));

	assert_string_equal(enum_json(dev_stage_enum, DEV_CANDIDATE), "candidate");
	assert_string_equal(enum_label(dev_stage_enum, DEV_CANDIDATE), "发展对象");
	assert_string_equal(enum_label(dev_stage_enum, DEV_ACTIVIST), "入党积极分子");
	assert_int_equal(enum_from_json(dev_stage_enum, "probationary"), DEV_PROBATIONARY);
	assert_string_equal(enum_label(dev_status_enum, DEV_STOPPED), "已终止");
	assert_int_equal(enum_from_json(dev_status_enum, "open"), DEV_OPEN);
	assert_string_equal(enum_label(dev_role_enum, DEV_ROLE_CONTACT), "培养联系人");
	assert_int_equal(enum_from_json(dev_role_enum, "introducer"), DEV_ROLE_INTRODUCER);
	assert_int_equal(enum_from_json(dev_result_enum, "fail"), DEV_FAIL);
	assert_int_equal(enum_from_json(dev_outcome_enum, "extend"), DEV_OUTCOME_EXTEND);
	assert_int_equal(enum_from_json(dev_outcome_enum, "cancel"), DEV_OUTCOME_CANCEL);
}

/* DEV-03: who decides each step; DEV-51: the filing steps. */
static void test_dev03_bodies(void **state)
{
	static const int committee[] = { 3, 5, 7, 9, 12 };
	static const int higher[] = { 4, 8, 13, 17, 24 };
	int n[DEV_BODY_UPPER_DEPARTMENT + 1] = { 0 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(committee); i++)
		assert_int_equal(dev_step_def(committee[i])->body, DEV_BODY_BRANCH_COMMITTEE);
	for (size_t i = 0; i < ARRAY_SIZE(higher); i++)
		assert_int_equal(dev_step_def(higher[i])->body, DEV_BODY_HIGHER_COMMITTEE);
	assert_int_equal(dev_step_def(15)->body, DEV_BODY_BRANCH_MEETING);
	assert_int_equal(dev_step_def(23)->body, DEV_BODY_BRANCH_MEETING);
	assert_int_equal(dev_step_def(18)->body, DEV_BODY_UPPER_DEPARTMENT);
	assert_int_equal(dev_step_def(1)->body, DEV_BODY_PERSON);
	assert_int_equal(dev_step_def(14)->body, DEV_BODY_PERSON);
	assert_int_equal(dev_step_def(22)->body, DEV_BODY_PERSON);
	assert_int_equal(dev_step_def(11)->body, DEV_BODY_HIGHER_ORG);
	assert_int_equal(dev_step_def(16)->body, DEV_BODY_HIGHER_ORG);
	for (int s = 1; s <= DEV_STEP_COUNT; s++) {
		const struct dev_step_def *d = dev_step_def(s);

		assert_true(d->body >= DEV_BODY_PERSON && d->body <= DEV_BODY_UPPER_DEPARTMENT);
		assert_non_null(enum_label(dev_body_enum, d->body));
		n[d->body]++;
		/* A vote exactly where the branch members' meeting decides. */
		assert_int_equal(d->vote, d->body == DEV_BODY_BRANCH_MEETING);
		/* DEV-51: filing at 4 (activist), 8 (candidate) and 18 (probationary member), all above the
		 * branch. */
		assert_int_equal(d->filing, s == 4 || s == 8 || s == 18);
		if (d->filing)
			assert_true(dev_step_needs_committee(s));
		/* Higher authority exactly for 4, 8, 13, 17, 18 and 24 (docs/api.md roles). */
		assert_int_equal(dev_step_needs_committee(s),
				 s == 4 || s == 8 || s == 13 || s == 17 || s == 18 || s == 24);
	}
	assert_int_equal(n[DEV_BODY_BRANCH_COMMITTEE], 5);
	assert_int_equal(n[DEV_BODY_BRANCH_MEETING], 2);
	assert_int_equal(n[DEV_BODY_HIGHER_COMMITTEE], 5);
	assert_int_equal(n[DEV_BODY_UPPER_DEPARTMENT], 1);
	assert_false(dev_step_needs_committee(0));
	assert_false(dev_step_needs_committee(26));
	assert_string_equal(enum_json(dev_body_enum, DEV_BODY_BRANCH_COMMITTEE), "branch_committee");
	assert_string_equal(enum_label(dev_body_enum, DEV_BODY_BRANCH_MEETING), "支部党员大会");
	assert_int_equal(enum_from_json(dev_body_enum, "higher_committee"), DEV_BODY_HIGHER_COMMITTEE);
}

/* DEV-11: a case belongs to a branch (the organisation of the workplace, study or residence). */
static void test_dev11_branch(void **state)
{
	(void)state;
	assert_true(dev_org_accepts(ORG_BRANCH));
	for (int t = ORG_TYPE_NONE; t <= ORG_WORKING_COMMITTEE; t++)
		if (t != ORG_BRANCH)
			assert_false(dev_org_accepts(t));
}

/* --------------------------------------------------------------- settings */

static void test_rules_versions(void **state)
{
	struct dev_rules a, b;

	(void)state;
	dev_rules_default(&a, 2014);
	dev_rules_default(&b, 2026);
	assert_int_equal(a.version, 2014);
	assert_int_equal(b.version, 2026);
	assert_int_equal(a.min_age, 18);
	assert_int_equal(a.talk_months, 1);
	assert_int_equal(a.applicant_wait_months, 0);
	assert_int_equal(a.contacts_min, 1);
	assert_int_equal(a.contacts_max, 2);
	assert_int_equal(a.assessment_months, 6);
	assert_int_equal(a.activist_months, 12);
	assert_false(a.activist_from_filing);
	assert_int_equal(a.introducers, 2);
	assert_int_equal(a.training_days, 3);
	assert_int_equal(a.training_hours, 24);
	assert_int_equal(a.review_valid_months, 12);
	assert_int_equal(a.approval_months, 3);
	assert_int_equal(a.approval_max_months, 6);
	assert_int_equal(a.probation_months, 12);
	assert_int_equal(a.extension_min, 6);
	assert_int_equal(a.extension_max, 12);
	assert_int_equal(a.extensions_max, 1);
	assert_int_equal(a.full_approval_months, 3);
	assert_int_equal(a.publicity_working_days, 5);
	assert_int_equal(a.dormant_years, 3);
	assert_int_equal(a.leave_warning_months, 3); /* DEV-32 */
	/* The 2026 differences (DEV-00, DEV-40, DEV-50). */
	assert_int_equal(a.oath_deadline_months, 0);
	assert_int_equal(b.oath_deadline_months, 1);
	assert_int_equal(a.publicity_steps, 0);
	assert_int_equal(b.publicity_steps, 1u << 7);
	assert_int_equal(a.meeting_after_prereview_months, 0);
	assert_int_equal(b.meeting_after_prereview_months, 1);
	b.oath_deadline_months = a.oath_deadline_months;
	b.publicity_steps = a.publicity_steps;
	b.meeting_after_prereview_months = a.meeting_after_prereview_months;
	b.version = a.version;
	assert_memory_equal(&a, &b, sizeof(a));

	assert_int_equal(dev_version_default(D(2026, 5, 17)), 2014);
	assert_int_equal(dev_version_default(D(2026, 5, 18)), 2026);
	assert_int_equal(dev_version_default(D(2020, 1, 1)), 2014);
	dev_rules_default(&a, 2014);
	dev_rules_default(&b, 2026);
	assert_ptr_equal(dev_rules_for(&a, &b, 2026), &b);
	assert_ptr_equal(dev_rules_for(&a, &b, 2014), &a);
}

static void test_rules_parse_good(void **state)
{
	struct dev_rules a, b, a0, b0;
	struct err e = ERR_INIT;

	(void)state;
	dev_rules_default(&a, 2014);
	dev_rules_default(&b, 2026);
	a0 = a;
	b0 = b;
	assert_int_equal(dev_rules_parse(&a, &b, "", &e), 0);
	assert_int_equal(dev_rules_parse(&a, &b, NULL, &e), 0);
	assert_int_equal(dev_rules_parse(&a, &b, " ; , ", &e), 0);
	assert_memory_equal(&a, &a0, sizeof(a));
	assert_memory_equal(&b, &b0, sizeof(b));

	assert_int_equal(
		dev_rules_parse(
			&a, &b,
			"2014.activist_months=18; 2026.publicity_working_days = 7, talk_months=2;"
			"2026.publicity_steps=3+7; 2014.activist_from_filing=true; 2014.publicity_steps=none",
			&e),
		0);
	assert_false(err_is_set(&e));
	assert_int_equal(a.activist_months, 18);
	assert_int_equal(b.activist_months, 12);
	assert_int_equal(a.publicity_working_days, 5);
	assert_int_equal(b.publicity_working_days, 7);
	assert_int_equal(a.talk_months, 2);
	assert_int_equal(b.talk_months, 2);
	assert_int_equal(b.publicity_steps, (1u << 3) | (1u << 7));
	assert_int_equal(a.publicity_steps, 0);
	assert_true(a.activist_from_filing);
	assert_false(b.activist_from_filing);
	assert_int_equal(dev_rules_parse(&a, &b, "2014.activist_from_filing=0", &e), 0);
	assert_false(a.activist_from_filing);
}

static void test_rules_parse_bad(void **state)
{
	static const char *const bad[] = {
		"activist_months",         /* no value */
		"2015.activist_months=12", /* unknown version */
		"2014.tea_months=1",       /* unknown key */
		"activist_months=twelve",
		"activist_months=12x",
		"activist_months=-1",
		"activist_months=",
		"min_age=99",             /* out of range */
		"contacts_min=3",         /* above contacts_max 2 */
		"2026.approval_months=7", /* above approval_max_months 6 */
		"extension_min=13",
		"activist_from_filing=maybe",
		"publicity_steps=7+x",
		"publicity_steps=26",
		"publicity_steps=7++3",
		"2014.talk_months=2; 2026.oath_deadline_months=13", /* a good part before a bad one */
	};
	struct dev_rules a, b, a0, b0;

	(void)state;
	dev_rules_default(&a, 2014);
	dev_rules_default(&b, 2026);
	a0 = a;
	b0 = b;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct err e = ERR_INIT;

		if (dev_rules_parse(&a, &b, bad[i], &e) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(err_field_message(&e, "dev_rules"));
		assert_memory_equal(&a, &a0, sizeof(a));
		assert_memory_equal(&b, &b0, sizeof(b));
		err_release(&e);
	}
}

static void test_rules_items(void **state)
{
	struct dev_rule_item items[DEV_RULE_ITEMS], few[3];
	struct dev_rules a, b, a0;
	struct err e = ERR_INIT;
	size_t n;
	bool saw_activist = false, saw_steps = false;

	(void)state;
	dev_rules_default(&a, 2014);
	dev_rules_default(&b, 2026);
	a0 = a;
	n = dev_rules_items(&b, items, ARRAY_SIZE(items));
	assert_true(n >= 24 && n <= DEV_RULE_ITEMS);
	assert_int_equal(dev_rules_items(&b, few, ARRAY_SIZE(few)), n);
	assert_string_equal(few[0].key, items[0].key);
	for (size_t i = 0; i < n; i++) {
		char text[80], value[40];

		assert_non_null(items[i].key);
		assert_true(!strncmp(items[i].rule, "DEV-", 4));
		assert_true(strlen(items[i].label) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(items[i].key, items[j].key);
		if (!strcmp(items[i].key, "activist_months")) {
			saw_activist = true;
			assert_int_equal(items[i].value, 12);
			assert_string_equal(items[i].rule, "DEV-20");
			assert_int_equal(items[i].kind, DEV_ITEM_INT);
		}
		if (!strcmp(items[i].key, "publicity_steps")) {
			saw_steps = true;
			assert_int_equal(items[i].value, 1 << 7);
			assert_int_equal(items[i].kind, DEV_ITEM_STEPS);
		}
		/* Every listed key parses back: the 2014 value written to 2014 changes nothing. */
		{
			struct dev_rule_item one[DEV_RULE_ITEMS];

			dev_rules_items(&a, one, ARRAY_SIZE(one));
			if (one[i].kind == DEV_ITEM_STEPS)
				snprintf(value, sizeof(value), "%s", one[i].value ? "7" : "none");
			else
				snprintf(value, sizeof(value), "%d", one[i].value);
			snprintf(text, sizeof(text), "2014.%s=%s", one[i].key, value);
			if (dev_rules_parse(&a, &b, text, &e) != 0)
				fail_msg("'%s' refused: %s", text, e.message);
		}
	}
	assert_memory_equal(&a, &a0, sizeof(a));
	assert_true(saw_activist && saw_steps);
}

/* --------------------------------------------------------- a whole case */

static void test_standard_path(void **state)
{
	struct tcase t;
	struct dev_verdict v;
	struct dev_summary s;

	(void)state;
	for (int version = 2014; version <= 2026; version += 12) {
		tc_init(&t, version);
		for (int step = 1; step <= 25; step++) {
			struct dev_step_input in = std_input(&t, step, std_on(step));

			if (accept(&t, &in, &v) != 0)
				fail_msg("%d: step %d warned [%s] %s", version, step, v.warn[0].rule,
					 v.warn[0].message);
			if (step == 6) {
				in = std_input(&t, 6, D(2024, 3, 1));
				accept(&t, &in, &v);
			}
			if (step == 7)
				assert_int_equal(v.publicity_working_days, 6);
			if (step == 15 || step == 23) {
				assert_true(v.vote_checked);
				assert_true(v.vote_passed);
			}
			s = summary(&t);
			assert_int_equal(s.step, step);
			assert_int_equal(s.status, step == 25 ? DEV_COMPLETED : DEV_OPEN);
			assert_int_equal(s.stage, step < 3    ? DEV_APPLICANT
						  : step < 7  ? DEV_ACTIVIST
						  : step < 17 ? DEV_CANDIDATE
						  : step < 24 ? DEV_PROBATIONARY
							      : DEV_FULL);
		}
		s = summary(&t);
		assert_date(s.applied_on, D(2023, 1, 10));
		assert_date(s.activist_on, D(2023, 3, 15));
		assert_date(s.candidate_on, D(2024, 3, 15));
		assert_date(s.admitted_on, D(2024, 5, 6));
		assert_date(s.approved_on, D(2024, 6, 1));
		assert_date(s.probation_end, D(2025, 5, 6));
		assert_date(s.full_on, D(2025, 5, 6));
		assert_date(s.last_on, D(2025, 6, 10));
		assert_int_equal(s.extensions, 0);
		assert_true(s.review_passed);
		assert_int_equal(s.outcome, DEV_OUTCOME_FULL);
	}
}

/*
 * DEV-01 order. DEV-52 (admission against the prescribed procedure is not
 * recognised) is checkable only as this: a step out of order is refused,
 * so such an admission cannot be recorded.
 */
static void test_order_and_dates(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct err e = ERR_INIT;

	(void)state;
	tc_init(&t, 2014);
	in = std_input(&t, 2, D(2023, 1, 20));
	refused(&t, &in, "DEV-01", "step"); /* before step 1 */
	tc_upto(&t, 1);
	in = std_input(&t, 3, D(2023, 3, 15));
	refused(&t, &in, "DEV-01", "step"); /* skips step 2 */
	in = std_input(&t, 1, D(2023, 1, 11));
	refused(&t, &in, "DEV-01", "step"); /* step 1 again */
	in = std_input(&t, 2, D(2023, 1, 9));
	refused(&t, &in, "DEV-60", "on"); /* before step 1's date */
	in = std_input(&t, 2, D(2023, 1, 10));
	accept(&t, &in, &v); /* same day is fine */
	in = std_input(&t, 3, D(2026, 1, 2));
	invalid(&t, &in, "on"); /* after today */
	in = std_input(&t, 3, DATE_NONE);
	invalid(&t, &in, "on");
	in = std_input(&t, 26, D(2023, 3, 15));
	invalid(&t, &in, "step");

	/* Periodic steps 6 and 21 repeat; 7 needs at least one 考察 record first. */
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	in = std_input(&t, 7, D(2024, 3, 15));
	refused(&t, &in, "DEV-01", "step");
	in = std_input(&t, 6, D(2023, 9, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 6, D(2024, 3, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 5, D(2024, 3, 2));
	refused(&t, &in, "DEV-01", "step"); /* 5 is not periodic */
	in = std_input(&t, 6, D(2024, 3, 2));
	in.summary = "  ";
	invalid(&t, &in, "summary"); /* 考察 needs a summary */
	tc_init(&t, 2014);
	tc_upto(&t, 21);
	in = std_input(&t, 21, D(2025, 3, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 22, D(2025, 5, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 21, D(2025, 5, 2));
	refused(&t, &in, "DEV-01", "step");

	/* Closed cases take nothing. */
	tc_init(&t, 2014);
	tc_upto(&t, 25);
	in = std_input(&t, 25, D(2025, 7, 1));
	assert_int_equal(dev_check_step(&t.r, &t.c, &in, TODAY, &v, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "case_closed");
	err_clear(&e);
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	t.c.status = DEV_STOPPED; /* POST /stop */
	assert_int_equal(summary(&t).status, DEV_STOPPED);
	in = std_input(&t, 6, D(2023, 9, 1));
	assert_int_equal(dev_check_step(&t.r, &t.c, &in, TODAY, &v, &e), -1);
	assert_string_equal(e.code, "case_closed");
	err_release(&e);
}

/* ---------------------------------------------------------------- DEV-1x */

static void test_dev10_age(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	t.c.birth_date = D(2006, 5, 20);
	in = std_input(&t, 1, D(2024, 5, 19));
	refused(&t, &in, "DEV-10", "on");
	in = std_input(&t, 1, D(2024, 5, 20));
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).stage, DEV_APPLICANT);
	/* A setting of 20 years moves the boundary. */
	tc_init(&t, 2014);
	t.r.min_age = 20;
	t.c.birth_date = D(2006, 5, 20);
	in = std_input(&t, 1, D(2026, 1, 1));
	refused(&t, &in, "DEV-10", "on");
	tc_init(&t, 2014);
	t.c.birth_date = DATE_NONE;
	in = std_input(&t, 1, D(2024, 5, 20));
	invalid(&t, &in, "birth_date");
}

static void test_dev12_talk(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_add(&t, 1, D(2024, 1, 31), 0, 0, 0);
	in = std_input(&t, 2, D(2024, 2, 29));
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2014);
	tc_add(&t, 1, D(2024, 1, 31), 0, 0, 0);
	in = std_input(&t, 2, D(2024, 3, 1));
	assert_int_equal(accept(&t, &in, &v), 1);
	assert_true(has_warning(&v, "DEV-12"));
	assert_non_null(strstr(v.warn[0].message, "2024-02-29"));
	/* A talker is needed, from the branch. */
	tc_init(&t, 2014);
	tc_add(&t, 1, D(2024, 1, 31), 0, 0, 0);
	in = std_input(&t, 2, D(2024, 2, 1));
	in.npeople = 0;
	invalid(&t, &in, "people");
	in = std_input(&t, 2, D(2024, 2, 1));
	t.people[0].in_branch = false;
	invalid(&t, &in, "people");
}

static void test_dev13_wait_setting(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	t.r.applicant_wait_months = 3;
	tc_add(&t, 1, D(2023, 1, 10), 0, 0, 0);
	tc_add(&t, 2, D(2023, 1, 20), 0, 0, 0);
	in = std_input(&t, 3, D(2023, 4, 9));
	refused(&t, &in, "DEV-13", "on");
	in = std_input(&t, 3, D(2023, 4, 10));
	accept(&t, &in, &v);
	/* Default 0: no wait. */
	tc_init(&t, 2014);
	tc_add(&t, 1, D(2023, 1, 10), 0, 0, 0);
	tc_add(&t, 2, D(2023, 1, 10), 0, 0, 0);
	in = std_input(&t, 3, D(2023, 1, 10));
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).stage, DEV_ACTIVIST);
	assert_date(summary(&t).activist_on, D(2023, 1, 10));
}

static void test_dev14_contacts(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 4);
	in = std_input(&t, 5, D(2023, 3, 25));
	in.npeople = 0;
	refused(&t, &in, "DEV-14", "people"); /* 0 */
	t.people[0] = person(DEV_ROLE_CONTACT, 2);
	t.people[1] = person(DEV_ROLE_CONTACT, 3);
	t.people[2] = person(DEV_ROLE_CONTACT, 4);
	in.npeople = 3;
	refused(&t, &in, "DEV-14", "people"); /* 3 */
	t.people[0].status = STATUS_PROBATIONARY;
	in.npeople = 1;
	refused(&t, &in, "DEV-14", "people"); /* probationary */
	t.people[0] = person(DEV_ROLE_CONTACT, 2);
	t.people[0].in_branch = false;
	refused(&t, &in, "DEV-14", "people"); /* another organisation */
	t.people[0] = person(DEV_ROLE_CONTACT, 2);
	t.people[0].state = MSTATE_SUSPENDED;
	refused(&t, &in, "DEV-14", "people"); /* not counted */
	t.people[0] = person(DEV_ROLE_CONTACT, 0);
	t.people[0].registered = false;
	refused(&t, &in, "DEV-14", "people"); /* not in the registry */
	/* Other roles do not count as contacts. */
	t.people[0] = person(DEV_ROLE_OTHER, 2);
	refused(&t, &in, "DEV-14", "people");
	t.people[0] = person(DEV_ROLE_CONTACT, 2);
	t.people[1] = person(DEV_ROLE_CONTACT, 3);
	in.npeople = 2;
	accept(&t, &in, &v); /* 2 */
	tc_init(&t, 2014);
	tc_upto(&t, 4);
	in = std_input(&t, 5, D(2023, 3, 25));
	assert_int_equal(in.npeople, 1);
	accept(&t, &in, &v); /* 1 */
	/* A role outside the enumeration is malformed input. */
	tc_init(&t, 2014);
	tc_upto(&t, 4);
	in = std_input(&t, 5, D(2023, 3, 25));
	t.people[0].role = 9;
	invalid(&t, &in, "people");
}

static void test_dev15_assessment_gaps(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	/* activist 2023-03-15; 考察 2023-09-15 (exactly 6 months), 2024-03-15; step 7 2024-03-15. */
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 15), 0, 0, 0);
	tc_add(&t, 6, D(2024, 3, 15), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 15));
	accept(&t, &in, &v);
	/* First gap one day too long. */
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 16), 0, 0, 0);
	tc_add(&t, 6, D(2024, 3, 1), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 15));
	refused(&t, &in, "DEV-15", "on");
	/* The last gap (last 考察 -> step 7) counts too. */
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 10), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 15));
	refused(&t, &in, "DEV-15", "on");
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 15), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 15));
	accept(&t, &in, &v);
}

/* ---------------------------------------------------------------- DEV-2x */

static void test_dev20_activist_year(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct err e = ERR_INIT;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 5); /* activist 2023-03-15 */
	tc_add(&t, 6, D(2023, 9, 10), 0, 0, 0);
	tc_add(&t, 6, D(2024, 3, 10), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 14)); /* 365 days: 2024 is a leap year */
	assert_int_equal(tc_check(&t, &in, &v, &e), -1);
	assert_string_equal(e.code, "rule_violation");
	assert_non_null(strstr(e.message, "[DEV-20]"));
	assert_non_null(strstr(e.message, "2024-03-15"));
	assert_non_null(strstr(e.message, "满1年"));
	assert_string_equal(v.rule, "DEV-20");
	err_release(&e);
	in = std_input(&t, 7, D(2024, 3, 15));
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).stage, DEV_CANDIDATE);
	assert_date(summary(&t).candidate_on, D(2024, 3, 15));

	/* [P] counting from the filing (step 4, 2023-03-20). */
	tc_init(&t, 2014);
	t.r.activist_from_filing = true;
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 10), 0, 0, 0);
	tc_add(&t, 6, D(2024, 3, 10), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 19));
	refused(&t, &in, "DEV-20", "on");
	in = std_input(&t, 7, D(2024, 3, 20));
	accept(&t, &in, &v);
}

static void test_dev21_introducers(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 8);
	in = std_input(&t, 9, D(2024, 3, 25));
	in.npeople = 1;
	refused(&t, &in, "DEV-21", "people"); /* 1 */
	t.people[2] = person(DEV_ROLE_INTRODUCER, 5);
	in.npeople = 3;
	refused(&t, &in, "DEV-21", "people"); /* 3 */
	in.npeople = 2;
	t.people[1].status = STATUS_PROBATIONARY;
	refused(&t, &in, "DEV-21", "people"); /* probationary */
	t.people[1] = person(DEV_ROLE_INTRODUCER, 4);
	t.people[1].in_branch = false;
	refused(&t, &in, "DEV-21", "people"); /* another organisation */
	t.people[1] = person(DEV_ROLE_INTRODUCER, 4);
	t.people[1].sanction_probation = true;
	refused(&t, &in, "DEV-21", "people"); /* under 留党察看 */
	t.people[1] = person(DEV_ROLE_INTRODUCER, 4);
	accept(&t, &in, &v); /* 2 */
	/* A contact (DEV-14) under 留党察看 is not refused: only introducers are. */
	tc_init(&t, 2014);
	tc_upto(&t, 4);
	in = std_input(&t, 5, D(2023, 3, 25));
	t.people[0].sanction_probation = true;
	accept(&t, &in, &v);
}

static void test_dev22_review(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 9);
	in = std_input(&t, 10, D(2024, 4, 1));
	in.summary = NULL;
	refused(&t, &in, "DEV-22", "summary"); /* no conclusion */
	in = std_input(&t, 10, D(2024, 4, 1));
	in.result = 0;
	invalid(&t, &in, "result");
	in = std_input(&t, 10, D(2024, 4, 1));
	in.result = DEV_FAIL;
	in.summary = "不合格";
	accept(&t, &in, &v);                               /* recorded ... */
	assert_int_equal(summary(&t).status, DEV_STOPPED); /* ... and stops the case */
	assert_false(summary(&t).review_passed);

	/* Step 15: a conclusion older than 12 months is a warning (both sides of the boundary). */
	tc_init(&t, 2014);
	tc_upto(&t, 14); /* review 2024-04-01 */
	in = std_input(&t, 15, D(2025, 4, 1));
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2014);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2025, 4, 2));
	accept(&t, &in, &v);
	assert_true(has_warning(&v, "DEV-22"));
	assert_date(summary(&t).review_on, D(2024, 4, 1));
}

static void test_dev23_training(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 10);
	in = std_input(&t, 11, D(2024, 4, 10));
	in.training_days = 2;
	in.training_hours = 20;
	refused(&t, &in, "DEV-23", "training"); /* (2 days, 20 h) */
	in.has_training = false;
	refused(&t, &in, "DEV-23", "training"); /* none at all */
	in.has_training = true;
	in.training_days = -1;
	invalid(&t, &in, "training");
	in.training_days = 2;
	in.training_hours = 23;
	refused(&t, &in, "DEV-23", "training"); /* (2 days, 23 h): one short on both */
	in.training_days = 3;
	in.training_hours = 0;
	assert_int_equal(accept(&t, &in, &v), 0); /* (3, 0) */
	tc_init(&t, 2014);
	tc_upto(&t, 10);
	in = std_input(&t, 11, D(2024, 4, 10));
	in.training_days = 2;
	in.training_hours = 24;
	assert_int_equal(accept(&t, &in, &v), 0); /* (2, 24) */
	tc_init(&t, 2014);
	tc_upto(&t, 10);
	in = std_input(&t, 11, D(2024, 4, 10));
	in.training_days = 1;
	in.training_hours = 24;
	assert_int_equal(accept(&t, &in, &v), 0); /* (1, 24) */
	tc_init(&t, 2014);
	tc_upto(&t, 10);
	in = std_input(&t, 11, D(2024, 4, 10));
	in.training_days = 2;
	in.training_hours = 20;
	in.justification = "因病未能参加全部培训，经党委同意补学";
	accept(&t, &in, &v); /* exception with justification */
	assert_true(has_warning(&v, "DEV-23"));
}

/* ---------------------------------------------------------------- DEV-3x */

static void test_dev30_votes(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct dev_summary s;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 6));
	in.vote = (struct vote_input){ .expected = 16, .present = 8, .yes = 8 };
	accept(&t, &in, &v); /* no quorum: recorded as failed */
	assert_true(v.vote_checked);
	assert_false(v.vote.quorum);
	assert_false(v.vote_passed);
	s = summary(&t);
	assert_int_equal(s.step, 14);
	assert_int_equal(s.status, DEV_OPEN);
	assert_false(date_is_set(s.admitted_on));
	in = std_input(&t, 15, D(2024, 5, 7));
	in.vote = (struct vote_input){ .expected = 16, .present = 9, .yes = 8, .no = 1 };
	accept(&t, &in, &v); /* 9 present, 8 yes: rejected */
	assert_true(v.vote.quorum);
	assert_false(v.vote_passed);
	assert_int_equal(summary(&t).step, 14);
	in = std_input(&t, 15, D(2024, 5, 8));
	in.vote = (struct vote_input){ .expected = 16, .present = 9, .yes = 9 };
	accept(&t, &in, &v); /* 9/9: passed */
	assert_true(v.vote_passed);
	s = summary(&t);
	assert_int_equal(s.step, 15);
	assert_date(s.admitted_on, D(2024, 5, 8));

	tc_init(&t, 2014);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 6));
	in.vote = (struct vote_input){ .expected = 16, .present = 10, .yes = 7, .no = 3, .written_yes = 2 };
	accept(&t, &in, &v); /* 7 + 2 written = 9 > 8 */
	assert_true(v.vote_passed);

	/* Refused: expected above the branch's full members, numbers that do not add up. */
	tc_init(&t, 2014);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 6));
	in.branch_full_members = 16;
	in.vote = (struct vote_input){ .expected = 17, .present = 12, .yes = 12 };
	refused(&t, &in, "DEV-30", "vote");
	in.vote = (struct vote_input){ .expected = 16, .present = 12, .yes = 12 };
	accept(&t, &in, &v); /* 16 of 16 is fine */
	tc_init(&t, 2014);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 6));
	in.vote = (struct vote_input){ .expected = 16, .present = 10, .yes = 9, .no = 2 };
	refused(&t, &in, "DEV-30", "vote");
	in.vote = (struct vote_input){ .expected = 16, .present = 17, .yes = 9 };
	refused(&t, &in, "DEV-30", "vote");
	in.vote = (struct vote_input){ .expected = 16, .present = 10, .yes = 9, .written_yes = 7 };
	refused(&t, &in, "DEV-30", "vote");
	in.has_vote = false;
	invalid(&t, &in, "vote");
}

static void test_dev33_approver(void **state)
{
	static const int steps[] = { 13, 17, 24 };
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		int step = steps[i];

		tc_init(&t, 2014);
		tc_upto(&t, step - 1);
		in = std_input(&t, step, std_on(step));
		in.approver_type = ORG_GENERAL_BRANCH;
		refused(&t, &in, "DEV-33", "approver_org_id"); /* a 党总支 may not */
		in.approver_type = ORG_BRANCH;
		refused(&t, &in, "DEV-33", "approver_org_id");
		in.approver_type = ORG_PARTY_COMMITTEE;
		in.approver_above = false;
		refused(&t, &in, "DEV-33", "approver_org_id"); /* not above the branch */
		in.approver_type = ORG_TYPE_NONE;
		invalid(&t, &in, "approver_org_id");
		in = std_input(&t, step, std_on(step));
		in.result = 0;
		invalid(&t, &in, "result");
		in = std_input(&t, step, std_on(step));
		accept(&t, &in, &v);
	}
	/* Failed pre-review and approval stop the case. */
	tc_init(&t, 2014);
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	in.result = DEV_FAIL;
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).status, DEV_STOPPED);
	tc_init(&t, 2014);
	tc_upto(&t, 16);
	in = std_input(&t, 17, D(2024, 6, 1));
	in.result = DEV_FAIL;
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).status, DEV_STOPPED);
	assert_int_equal(summary(&t).stage, DEV_CANDIDATE);
	assert_false(date_is_set(summary(&t).approved_on));
}

/* A case at step 16 whose admission meeting was on `meeting`. */
static void tc_meeting(struct tcase *t, struct date meeting)
{
	tc_init(t, 2014);
	tc_upto(t, 14);
	tc_add(t, 15, meeting, DEV_PASS, 0, 0);
	tc_add(t, 16, meeting, 0, 0, 0);
}

static void test_dev35_approval_deadline(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct dev_summary s;

	(void)state;
	tc_meeting(&t, D(2024, 3, 31));
	in = std_input(&t, 17, D(2024, 6, 30));
	assert_int_equal(accept(&t, &in, &v), 0); /* normal deadline */
	s = summary(&t);
	assert_int_equal(s.stage, DEV_PROBATIONARY);
	assert_date(s.admitted_on, D(2024, 3, 31)); /* DEV-02: from the meeting */
	assert_date(s.approved_on, D(2024, 6, 30));
	assert_date(s.probation_end, D(2025, 3, 31));
	tc_meeting(&t, D(2024, 3, 31));
	in = std_input(&t, 17, D(2024, 7, 1));
	assert_int_equal(accept(&t, &in, &v), 1);
	assert_true(has_warning(&v, "DEV-35"));
	tc_meeting(&t, D(2024, 3, 31));
	in = std_input(&t, 17, D(2024, 9, 30));
	accept(&t, &in, &v); /* hard deadline: still accepted */
	assert_true(has_warning(&v, "DEV-35"));
	tc_meeting(&t, D(2024, 3, 31));
	in = std_input(&t, 17, D(2024, 10, 1));
	refused(&t, &in, "DEV-35", "on");
}

/* ---------------------------------------------------------------- DEV-4x */

static void test_dev41_probation(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct dev_summary s;

	(void)state;
	/* Admitted by the meeting of 2022-07-01 (dates of its own: tc_upto's are later). */
	tc_init(&t, 2014);
	tc_add(&t, 1, D(2020, 1, 10), 0, 0, 0);
	for (int st = 2; st <= 14; st++)
		tc_add(&t, st, D(2021, 6, st), has_result(st) ? DEV_PASS : 0, 0, 0);
	tc_add(&t, 15, D(2022, 7, 1), DEV_PASS, 0, 0);
	tc_add(&t, 16, D(2022, 8, 1), 0, 0, 0);
	tc_add(&t, 17, D(2022, 8, 15), DEV_PASS, 0, 0);
	for (int st = 18; st <= 21; st++)
		tc_add(&t, st, D(2022, 9, st - 10), 0, 0, 0);
	tc_add(&t, 22, D(2023, 6, 20), 0, 0, 0);
	s = summary(&t);
	assert_date(s.admitted_on, D(2022, 7, 1));
	assert_date(s.probation_end, D(2023, 7, 1));
	in = std_input(&t, 23, D(2023, 6, 30));
	refused(&t, &in, "DEV-41", "on");
	/* DEV-45: approved late, full membership still dates from the expiry. */
	in = std_input(&t, 23, D(2023, 7, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 24, D(2023, 11, 1));
	accept(&t, &in, &v);
	assert_true(has_warning(&v, "DEV-44")); /* more than 3 months after step 23 */
	s = summary(&t);
	assert_int_equal(s.stage, DEV_FULL);
	assert_int_equal(s.status, DEV_OPEN); /* until step 25 files it */
	assert_date(s.full_on, D(2023, 7, 1));
	in = std_input(&t, 25, D(2023, 11, 2));
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).status, DEV_COMPLETED);
}

/* A case at step 22 with probation ending 2025-05-06 (tc_upto dates). */
static void tc_at22(struct tcase *t)
{
	tc_init(t, 2014);
	tc_upto(t, 22);
}

static void test_dev42_extension(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct dev_summary s;

	(void)state;
	for (int months = 4; months <= 14; months++) {
		tc_at22(&t);
		in = std_input(&t, 23, D(2025, 5, 6));
		in.outcome = DEV_OUTCOME_EXTEND;
		in.extension_months = months;
		if (months < 6 || months > 12)
			refused(&t, &in, "DEV-42", "extension_months");
		else
			accept(&t, &in, &v);
	}
	tc_at22(&t);
	in = std_input(&t, 23, D(2025, 5, 6));
	in.outcome = 0;
	invalid(&t, &in, "outcome");
	in = std_input(&t, 23, D(2025, 5, 6));
	in.has_vote = false;
	invalid(&t, &in, "vote");

	/* Extend by 6 months, approved: probation moves, 21-23 repeat (DEV-42 (b); DEV-43 minor breach). */
	tc_at22(&t);
	in = std_input(&t, 23, D(2025, 5, 6));
	in.outcome = DEV_OUTCOME_EXTEND;
	in.extension_months = 6;
	accept(&t, &in, &v);
	s = summary(&t);
	assert_date(s.probation_end, D(2025, 11, 6));
	assert_int_equal(s.extensions, 1);
	assert_int_equal(s.outcome, DEV_OUTCOME_EXTEND);
	in = std_input(&t, 24, D(2025, 6, 1));
	accept(&t, &in, &v);
	s = summary(&t);
	assert_int_equal(s.step, 21);
	assert_int_equal(s.stage, DEV_PROBATIONARY);
	assert_date(s.probation_end, D(2025, 11, 6));
	in = std_input(&t, 21, D(2025, 8, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 22, D(2025, 11, 1));
	accept(&t, &in, &v);
	in = std_input(&t, 23, D(2025, 11, 5));
	refused(&t, &in, "DEV-41", "on"); /* before the extended end */
	in = std_input(&t, 23, D(2025, 11, 6));
	in.outcome = DEV_OUTCOME_EXTEND;
	in.extension_months = 6;
	refused(&t, &in, "DEV-42", "outcome"); /* a second extension */
	in = std_input(&t, 23, D(2025, 11, 6));
	accept(&t, &in, &v); /* full */
	in = std_input(&t, 24, D(2025, 12, 1));
	accept(&t, &in, &v);
	s = summary(&t);
	assert_int_equal(s.stage, DEV_FULL);
	assert_date(s.full_on, D(2025, 11, 6)); /* DEV-45: the extended expiry */
	assert_int_equal(s.extensions, 1);

	/* A failed approval undoes the extension and sends the case back to 22. */
	tc_at22(&t);
	in = std_input(&t, 23, D(2025, 5, 6));
	in.outcome = DEV_OUTCOME_EXTEND;
	in.extension_months = 12;
	accept(&t, &in, &v);
	in = std_input(&t, 24, D(2025, 6, 1));
	in.result = DEV_FAIL;
	accept(&t, &in, &v);
	s = summary(&t);
	assert_int_equal(s.step, 22);
	assert_int_equal(s.extensions, 0);
	assert_date(s.probation_end, D(2025, 5, 6));
	assert_int_equal(s.outcome, DEV_OUTCOME_NONE);

	/* A failed step-23 vote leaves the case at 22. */
	tc_at22(&t);
	in = std_input(&t, 23, D(2025, 5, 6));
	in.vote = (struct vote_input){ .expected = 16, .present = 9, .yes = 8, .no = 1 };
	accept(&t, &in, &v);
	assert_false(v.vote_passed);
	assert_int_equal(summary(&t).step, 22);

	/* Cancel by vote + approval: cancelled (DEV-42 (c); DEV-43 serious breach of discipline). */
	tc_at22(&t);
	in = std_input(&t, 23, D(2025, 5, 6));
	in.outcome = DEV_OUTCOME_CANCEL;
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).status, DEV_OPEN);
	in = std_input(&t, 24, D(2025, 6, 1));
	accept(&t, &in, &v);
	s = summary(&t);
	assert_int_equal(s.status, DEV_CANCELLED);
	assert_int_equal(s.stage, DEV_PROBATIONARY);
	assert_false(date_is_set(s.full_on));
	in = std_input(&t, 25, D(2025, 6, 2));
	assert_int_equal(dev_check_step(&t.r, &t.c, &in, TODAY, &v, &(struct err)ERR_INIT), -1);

	/* An outcome on another step is malformed. */
	tc_init(&t, 2014);
	tc_upto(&t, 21);
	in = std_input(&t, 22, D(2025, 5, 2));
	in.outcome = DEV_OUTCOME_FULL;
	invalid(&t, &in, "outcome");
}

static void test_dev40_oath_versions(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	/* Approval 2024-06-01: oath by 2024-07-01 in 2026; 2014 has no deadline. */
	tc_init(&t, 2026);
	tc_upto(&t, 19);
	in = std_input(&t, 20, D(2024, 7, 1));
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2026);
	tc_upto(&t, 19);
	in = std_input(&t, 20, D(2024, 7, 2));
	accept(&t, &in, &v);
	assert_true(has_warning(&v, "DEV-40"));
	tc_init(&t, 2014);
	tc_upto(&t, 19);
	in = std_input(&t, 20, D(2024, 12, 2));
	assert_int_equal(accept(&t, &in, &v), 0);
}

static void test_dev44_full_approval(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 23); /* step 23 on 2025-05-06 */
	in = std_input(&t, 24, D(2025, 8, 6));
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2014);
	tc_upto(&t, 23);
	in = std_input(&t, 24, D(2025, 8, 7));
	assert_int_equal(accept(&t, &in, &v), 1);
	assert_true(has_warning(&v, "DEV-44"));
}

/* DEV-46: filing (step 25) only after full membership; it completes the case. */
static void test_dev46_archive(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	/* Not while probationary: after 23 (before approval) or after an approved extension. */
	tc_init(&t, 2014);
	tc_upto(&t, 23);
	assert_int_equal(summary(&t).stage, DEV_PROBATIONARY);
	in = std_input(&t, 25, D(2025, 6, 10));
	refused(&t, &in, "DEV-01", "step");
	tc_at22(&t);
	tc_add(&t, 23, D(2025, 5, 6), DEV_PASS, DEV_OUTCOME_EXTEND, 6);
	tc_add(&t, 24, D(2025, 6, 1), DEV_PASS, 0, 0);
	in = std_input(&t, 25, D(2025, 6, 10));
	refused(&t, &in, "DEV-01", "step");
	/* Nor after a failed approval of full membership. */
	tc_at22(&t);
	tc_add(&t, 23, D(2025, 5, 6), DEV_PASS, DEV_OUTCOME_FULL, 0);
	tc_add(&t, 24, D(2025, 6, 1), DEV_FAIL, 0, 0);
	assert_int_equal(summary(&t).stage, DEV_PROBATIONARY);
	in = std_input(&t, 25, D(2025, 6, 10));
	refused(&t, &in, "DEV-01", "step");
	/* After full membership: accepted, and the case is completed. */
	tc_init(&t, 2014);
	tc_upto(&t, 24);
	assert_int_equal(summary(&t).stage, DEV_FULL);
	assert_int_equal(summary(&t).status, DEV_OPEN);
	in = std_input(&t, 25, D(2025, 6, 10));
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).status, DEV_COMPLETED);
	assert_int_equal(summary(&t).step, 25);
}

/* DEV-34: the higher committee's talk (16) comes before the approval (17). */
static void test_dev34_talk_before_approval(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 15);
	in = std_input(&t, 17, D(2024, 6, 1));
	refused(&t, &in, "DEV-01", "step");
	assert_int_equal(summary(&t).stage, DEV_CANDIDATE);
	in = std_input(&t, 16, D(2024, 5, 10));
	accept(&t, &in, &v);
	in = std_input(&t, 17, D(2024, 6, 1));
	accept(&t, &in, &v);
	assert_int_equal(summary(&t).stage, DEV_PROBATIONARY);
}

/* DEV-32: warn at step 13 when the candidate leaves within 3 months (以内: the day itself counts). */
static void test_dev32_leaving(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	/* Pre-review on 2024-04-20 (std_on(13)). */
	tc_init(&t, 2014);
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	in.leaving_on = D(2024, 7, 20);
	assert_int_equal(accept(&t, &in, &v), 1);
	assert_true(has_warning(&v, "DEV-32"));
	assert_non_null(strstr(v.warn[0].message, "2024-07-20"));
	tc_init(&t, 2014);
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	in.leaving_on = D(2024, 7, 21);
	assert_int_equal(accept(&t, &in, &v), 0);
	/* Unknown: nothing to warn about; already left: warned. */
	tc_init(&t, 2014);
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2014);
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	in.leaving_on = D(2024, 4, 1);
	accept(&t, &in, &v);
	assert_true(has_warning(&v, "DEV-32"));
	/* The setting moves the boundary; 0 switches it off; other steps do not look at it. */
	tc_init(&t, 2014);
	t.r.leave_warning_months = 6;
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	in.leaving_on = D(2024, 10, 20);
	accept(&t, &in, &v);
	assert_true(has_warning(&v, "DEV-32"));
	tc_init(&t, 2014);
	t.r.leave_warning_months = 0;
	tc_upto(&t, 12);
	in = std_input(&t, 13, D(2024, 4, 20));
	in.leaving_on = D(2024, 5, 1);
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2014);
	tc_upto(&t, 11);
	in = std_input(&t, 12, D(2024, 4, 15));
	in.leaving_on = D(2024, 5, 1);
	assert_int_equal(accept(&t, &in, &v), 0);
	/* Listed and parsed like every setting. */
	{
		struct dev_rules a, b;
		struct err e = ERR_INIT;

		dev_rules_default(&a, 2014);
		dev_rules_default(&b, 2026);
		assert_int_equal(dev_rules_parse(&a, &b, "2026.leave_warning_months=0", &e), 0);
		assert_int_equal(a.leave_warning_months, 3);
		assert_int_equal(b.leave_warning_months, 0);
		assert_int_equal(dev_rules_parse(&a, &b, "leave_warning_months=13", &e), -1);
		err_release(&e);
	}
}

static struct dev_move move_to(int type, struct date on)
{
	return (struct dev_move){ .from_org_id = 10, .to_org_id = 20, .to_org_type = type, .on = on };
}

static void move_invalid(const struct tcase *t, const struct dev_move *m, const char *field)
{
	struct err e = ERR_INIT;

	assert_int_equal(dev_move_check(&t->r, &t->c, m, TODAY, &e), -1);
	assert_string_equal(e.code, "validation_failed");
	if (!err_field_message(&e, field))
		fail_msg("no error on field %s (%s)", field, e.message);
	err_release(&e);
}

/* DEV-16: an activist who moves keeps the case; training counts continuously. */
static void test_dev16_move(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct dev_move m;
	struct err e = ERR_INIT;

	(void)state;
	/* Activist 2023-03-15 in the old branch, 考察 there 2023-09-10; moves 2023-10-01. */
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 10), 0, 0, 0);
	m = move_to(ORG_BRANCH, D(2023, 10, 1));
	assert_int_equal(dev_move_check(&t.r, &t.c, &m, TODAY, &e), 0);
	assert_false(err_is_set(&e));
	/* The new branch records its 考察; step 7 still counts from the old step-3 date. */
	tc_add(&t, 6, D(2024, 3, 1), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 14));
	refused(&t, &in, "DEV-20", "on");
	in = std_input(&t, 7, D(2024, 3, 15));
	accept(&t, &in, &v);
	/* DEV-15 counts across the move too: a gap over 6 months around it is refused. */
	tc_init(&t, 2014);
	tc_upto(&t, 5);
	tc_add(&t, 6, D(2023, 9, 10), 0, 0, 0);
	tc_add(&t, 6, D(2024, 3, 11), 0, 0, 0);
	in = std_input(&t, 7, D(2024, 3, 15));
	refused(&t, &in, "DEV-15", "on");

	/* Movable until the admission is approved (step 17), not after. */
	tc_init(&t, 2014);
	tc_upto(&t, 16);
	m = move_to(ORG_BRANCH, D(2024, 5, 20));
	assert_int_equal(dev_move_check(&t.r, &t.c, &m, TODAY, &e), 0);
	tc_add(&t, 17, D(2024, 6, 1), DEV_PASS, 0, 0);
	m.on = D(2024, 6, 2);
	assert_int_equal(dev_move_check(&t.r, &t.c, &m, TODAY, &e), -1);
	assert_string_equal(e.code, "rule_violation");
	assert_non_null(strstr(e.message, "[DEV-16]"));
	assert_non_null(err_field_message(&e, "org_id"));
	err_clear(&e);
	/* A failed approval stops the case: closed. */
	tc_init(&t, 2014);
	tc_upto(&t, 16);
	tc_add(&t, 17, D(2024, 6, 1), DEV_FAIL, 0, 0);
	assert_int_equal(dev_move_check(&t.r, &t.c, &m, TODAY, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, "case_closed");
	err_clear(&e);

	/* Destination and date. */
	tc_init(&t, 2014);
	tc_upto(&t, 5); /* last step 2023-03-25 */
	m = move_to(ORG_GENERAL_BRANCH, D(2023, 4, 1));
	move_invalid(&t, &m, "org_id"); /* DEV-11: a branch only */
	m = move_to(ORG_PARTY_COMMITTEE, D(2023, 4, 1));
	move_invalid(&t, &m, "org_id");
	m = move_to(ORG_TYPE_NONE, D(2023, 4, 1));
	move_invalid(&t, &m, "org_id");
	m = move_to(ORG_BRANCH, D(2023, 4, 1));
	m.to_org_id = m.from_org_id;
	move_invalid(&t, &m, "org_id");
	m.to_org_id = 0;
	move_invalid(&t, &m, "org_id");
	m = move_to(ORG_BRANCH, D(2023, 3, 24));
	move_invalid(&t, &m, "on"); /* before the latest step */
	m.on = D(2023, 3, 25);
	assert_int_equal(dev_move_check(&t.r, &t.c, &m, TODAY, &e), 0);
	m.on = D(2026, 1, 2);
	move_invalid(&t, &m, "on"); /* after today */
	m.on = DATE_NONE;
	move_invalid(&t, &m, "on");
}

/* ------------------------------------------------------- DEV-50, DEV-00 */

static void test_dev50_publicity(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	/* activist 2023-09-20; 考察 2024-03-15; step 7 after the 2024 National Day publicity. */
	for (int version = 2014; version <= 2026; version += 12) {
		tc_init(&t, version);
		tc_add(&t, 1, D(2023, 8, 1), 0, 0, 0);
		tc_add(&t, 2, D(2023, 8, 10), 0, 0, 0);
		tc_add(&t, 3, D(2023, 9, 20), 0, 0, 0);
		tc_add(&t, 4, D(2023, 9, 21), 0, 0, 0);
		tc_add(&t, 5, D(2023, 9, 22), 0, 0, 0);
		tc_add(&t, 6, D(2024, 3, 15), 0, 0, 0);
		tc_add(&t, 6, D(2024, 9, 10), 0, 0, 0);
		in = std_input(&t, 7, D(2024, 10, 10));
		in.publicity_from = DATE_NONE;
		in.publicity_to = DATE_NONE;
		if (version == 2026) {
			refused(&t, &in, "DEV-50", "publicity"); /* 2026: required */
			in.publicity_from = D(2024, 9, 27);
			in.publicity_to = D(2024, 10, 8);
			refused(&t, &in, "DEV-50", "publicity"); /* 4 working days */
			in.publicity_to = D(2024, 10, 10);
			refused(&t, &in, "DEV-50", "publicity"); /* ends on the step's day */
			in.publicity_to = D(2024, 9, 26);
			invalid(&t, &in, "publicity"); /* ends before it starts */
			in.publicity_to = D(2024, 10, 9);
			accept(&t, &in, &v); /* 5 working days */
			assert_int_equal(v.publicity_working_days, 5);
			assert_false(v.publicity_provisional);
		} else {
			accept(&t, &in, &v); /* 2014: not required */
			assert_int_equal(v.publicity_working_days, 0);
		}
	}
	/* A setting may require publicity elsewhere (step 3) and for longer. */
	tc_init(&t, 2014);
	t.r.publicity_steps = 1u << 3;
	t.r.publicity_working_days = 7;
	tc_upto(&t, 2);
	in = std_input(&t, 3, D(2023, 3, 15));
	refused(&t, &in, "DEV-50", "publicity");
	in.publicity_from = D(2023, 3, 1);
	in.publicity_to = D(2023, 3, 9);
	accept(&t, &in, &v);
	assert_int_equal(v.publicity_working_days, 7);
	assert_true(v.publicity_provisional); /* 2023 is not in the calendar */
}

/*
 * Sanity bounds of a given publicity period: it starts no earlier than the
 * application (2023-01-10 here) nor 1921-07-01; a step date before 1921-07-01
 * is refused too.
 */
static void test_dev50_publicity_bounds(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;
	struct err e = ERR_INIT;

	(void)state;
	tc_init(&t, 2014);
	tc_upto(&t, 2);
	in = std_input(&t, 3, D(2023, 3, 15));
	in.publicity_from = D(1800, 1, 1);
	in.publicity_to = D(2023, 3, 9);
	invalid(&t, &in, "publicity");
	assert_int_equal(tc_check(&t, &in, &v, &e), -1);
	assert_string_equal(err_field_message(&e, "publicity"), "公示开始日期不能早于1921年7月1日");
	err_clear(&e);
	in.publicity_from = D(2023, 1, 9); /* the day before the application */
	invalid(&t, &in, "publicity");
	assert_int_equal(tc_check(&t, &in, &v, &e), -1);
	assert_string_equal(err_field_message(&e, "publicity"),
			    "公示开始日期不能早于递交入党申请书的日期2023-01-10");
	err_clear(&e);
	in.publicity_from = D(2023, 1, 10); /* the application day itself */
	accept(&t, &in, &v);
	/* Step 1 has no application before it: only the 1921 floor applies. */
	tc_init(&t, 2014);
	in = std_input(&t, 1, D(2023, 1, 10));
	in.publicity_from = D(1921, 6, 30);
	in.publicity_to = D(1921, 7, 5);
	invalid(&t, &in, "publicity");
	in.publicity_from = D(1921, 7, 1);
	accept(&t, &in, &v);
	/* The step date itself. */
	in = std_input(&t, 1, D(1921, 6, 30));
	t.c.birth_date = D(1900, 1, 1);
	invalid(&t, &in, "on");
	assert_int_equal(tc_check(&t, &in, &v, &e), -1);
	assert_string_equal(err_field_message(&e, "on"), "日期不能早于1921年7月1日");
	err_clear(&e);
}

static void test_dev00_meeting_after_prereview(void **state)
{
	struct tcase t;
	struct dev_step_input in;
	struct dev_verdict v;

	(void)state;
	/* Pre-review 2024-04-20: meeting by 2024-05-20 under 2026. */
	tc_init(&t, 2026);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 20));
	assert_int_equal(accept(&t, &in, &v), 0);
	tc_init(&t, 2026);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 21));
	assert_int_equal(accept(&t, &in, &v), 1);
	assert_true(has_warning(&v, "DEV-00"));
	tc_init(&t, 2014);
	tc_upto(&t, 14);
	in = std_input(&t, 15, D(2024, 5, 21));
	assert_int_equal(accept(&t, &in, &v), 0);
}

/* ----------------------------------------------------------- DEV-53, next */

static void test_dev53_dormant(void **state)
{
	struct dev_rules r;

	(void)state;
	dev_rules_default(&r, 2014);
	assert_date(dev_dormant_since(&r, D(2024, 6, 15)), D(2021, 6, 16));
	assert_true(dev_dormant(&r, D(2021, 6, 15), D(2024, 6, 15)));
	assert_false(dev_dormant(&r, D(2021, 6, 16), D(2024, 6, 15)));
	assert_false(dev_dormant(&r, D(2024, 6, 15), D(2024, 6, 15)));
	assert_true(dev_dormant(&r, DATE_NONE, D(2024, 6, 15)));
	r.dormant_years = 5;
	assert_date(dev_dormant_since(&r, D(2024, 2, 29)), D(2019, 3, 1));
	assert_false(dev_dormant(&r, D(2021, 6, 15), D(2024, 6, 15)));
}

static struct dev_next next_of(const struct tcase *t, struct date today)
{
	struct dev_next n;

	memset(&n, 0xAB, sizeof(n));
	if (dev_next(&t->r, &t->c, today, &n) != 0)
		fail_msg("no next step");
	return n;
}

static void test_next(void **state)
{
	struct tcase t;
	struct dev_next n;

	(void)state;
	tc_init(&t, 2014);
	assert_int_equal(dev_next(&t.r, &t.c, TODAY, &n), -1); /* no steps */
	assert_int_equal(n.step, 0);

	/* Talk: applied 2024-01-31, due 2024-02-29 (DEV-12). */
	tc_add(&t, 1, D(2024, 1, 31), 0, 0, 0);
	n = next_of(&t, D(2024, 2, 29));
	assert_int_equal(n.step, 2);
	assert_date(n.due, D(2024, 2, 29));
	assert_date(n.earliest, D(2024, 1, 31));
	assert_false(n.overdue);
	assert_string_equal(n.rule, "DEV-12");
	assert_true(next_of(&t, D(2024, 3, 1)).overdue);

	/* 考察 every 6 months, then step 7 from activist + 12 months. */
	tc_init(&t, 2014);
	tc_upto(&t, 5); /* activist 2023-03-15 */
	n = next_of(&t, D(2023, 4, 1));
	assert_int_equal(n.step, 6);
	assert_date(n.due, D(2023, 9, 15));
	assert_string_equal(n.rule, "DEV-15");
	tc_add(&t, 6, D(2023, 9, 10), 0, 0, 0);
	n = next_of(&t, D(2023, 10, 1));
	assert_int_equal(n.step, 6); /* 2024-03-15 is after 2024-03-10 */
	assert_date(n.due, D(2024, 3, 10));
	assert_true(next_of(&t, D(2024, 3, 11)).overdue);
	tc_add(&t, 6, D(2024, 3, 1), 0, 0, 0);
	n = next_of(&t, D(2024, 3, 2));
	assert_int_equal(n.step, 7);
	assert_date(n.earliest, D(2024, 3, 15));
	assert_date(n.due, D(2024, 9, 1));
	assert_false(n.overdue);

	/* Approval within 3 months of the meeting (DEV-35). */
	tc_meeting(&t, D(2024, 3, 31));
	n = next_of(&t, D(2024, 7, 1));
	assert_int_equal(n.step, 17);
	assert_date(n.due, D(2024, 6, 30));
	assert_true(n.overdue);
	assert_string_equal(n.rule, "DEV-35");

	/* Probation: 21 until it ends, then 22; 23 from the expiry. */
	tc_init(&t, 2014);
	tc_upto(&t, 21); /* probation ends 2025-05-06 */
	n = next_of(&t, D(2025, 1, 1));
	assert_int_equal(n.step, 21);
	n = next_of(&t, D(2025, 5, 6));
	assert_int_equal(n.step, 22);
	assert_date(n.due, D(2025, 5, 6));
	tc_add(&t, 22, D(2025, 5, 1), 0, 0, 0);
	n = next_of(&t, D(2025, 5, 2));
	assert_int_equal(n.step, 23);
	assert_date(n.earliest, D(2025, 5, 6));
	assert_date(n.due, D(2025, 5, 6));
	assert_false(n.overdue);
	assert_true(next_of(&t, D(2025, 5, 7)).overdue);
	tc_add(&t, 23, D(2025, 5, 6), DEV_PASS, DEV_OUTCOME_FULL, 0);
	n = next_of(&t, D(2025, 5, 7));
	assert_int_equal(n.step, 24);
	assert_date(n.due, D(2025, 8, 6));
	assert_string_equal(n.rule, "DEV-44");

	/* 2026: oath within 1 month of approval; meeting within 1 month of pre-review. */
	tc_init(&t, 2026);
	tc_upto(&t, 19);
	n = next_of(&t, D(2024, 6, 20));
	assert_int_equal(n.step, 20);
	assert_date(n.due, D(2024, 7, 1));
	assert_string_equal(n.rule, "DEV-40");
	tc_init(&t, 2014);
	tc_upto(&t, 19);
	assert_false(date_is_set(next_of(&t, D(2024, 6, 20)).due));
	tc_init(&t, 2026);
	tc_upto(&t, 14);
	assert_date(next_of(&t, D(2024, 5, 1)).due, D(2024, 5, 20));

	/* Finished, stopped and cancelled cases have none. */
	tc_init(&t, 2014);
	tc_upto(&t, 25);
	assert_int_equal(dev_next(&t.r, &t.c, TODAY, &n), -1);
	assert_int_equal(n.step, 0);
	tc_init(&t, 2014);
	tc_upto(&t, 9);
	tc_add(&t, 10, D(2024, 4, 1), DEV_FAIL, 0, 0);
	assert_int_equal(dev_next(&t.r, &t.c, TODAY, &n), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_and_enums),
		cmocka_unit_test(test_dev03_bodies),
		cmocka_unit_test(test_dev11_branch),
		cmocka_unit_test(test_rules_versions),
		cmocka_unit_test(test_rules_parse_good),
		cmocka_unit_test(test_rules_parse_bad),
		cmocka_unit_test(test_rules_items),
		cmocka_unit_test(test_standard_path),
		cmocka_unit_test(test_order_and_dates),
		cmocka_unit_test(test_dev10_age),
		cmocka_unit_test(test_dev12_talk),
		cmocka_unit_test(test_dev13_wait_setting),
		cmocka_unit_test(test_dev14_contacts),
		cmocka_unit_test(test_dev15_assessment_gaps),
		cmocka_unit_test(test_dev20_activist_year),
		cmocka_unit_test(test_dev21_introducers),
		cmocka_unit_test(test_dev22_review),
		cmocka_unit_test(test_dev23_training),
		cmocka_unit_test(test_dev30_votes),
		cmocka_unit_test(test_dev33_approver),
		cmocka_unit_test(test_dev35_approval_deadline),
		cmocka_unit_test(test_dev41_probation),
		cmocka_unit_test(test_dev42_extension),
		cmocka_unit_test(test_dev40_oath_versions),
		cmocka_unit_test(test_dev44_full_approval),
		cmocka_unit_test(test_dev46_archive),
		cmocka_unit_test(test_dev34_talk_before_approval),
		cmocka_unit_test(test_dev32_leaving),
		cmocka_unit_test(test_dev16_move),
		cmocka_unit_test(test_dev50_publicity),
		cmocka_unit_test(test_dev50_publicity_bounds),
		cmocka_unit_test(test_dev00_meeting_after_prereview),
		cmocka_unit_test(test_dev53_dormant),
		cmocka_unit_test(test_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
