/*
 * test_transfer.c: unit tests for src/core/transfer.c: the kinds and
 * states, every (kind, state, action) of the state machine against the
 * table of docs/api.md, letter validity and expiry (XFER-06), letter
 * numbers and the checks of a new request.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/transfer.h"

#include <setjmp.h>
#include <cmocka.h>

static struct date D(int y, int m, int d) {
	return (struct date){ y, m, d };
}

static void
assert_date(struct date got, struct date want)
{
	char a[11], b[11];

	date_format(got, a);
	date_format(want, b);
	if (date_cmp(got, want) != 0)
		fail_msg("date %s, expected %s", a, b);
}

static void test_enums(void **state)
{
	(void)state;
	assert_string_equal(enum_json(transfer_kind_enum, TK_IN_SYSTEM), "in_system");
	assert_int_equal(enum_from_json(transfer_kind_enum, "outbound"), TK_OUTBOUND);
	assert_int_equal(enum_from_json(transfer_kind_enum, "inbound"), TK_INBOUND);
	assert_string_equal(enum_label(transfer_state_enum, TS_REQUESTED), "已申请");
	assert_string_equal(enum_label(transfer_state_enum, TS_SENDING_APPROVED), "转出方已同意");
	assert_string_equal(enum_label(transfer_state_enum, TS_LETTER_ISSUED), "已开具介绍信");
	assert_string_equal(enum_label(transfer_state_enum, TS_REGISTERED), "已登记来信");
	assert_string_equal(enum_label(transfer_state_enum, TS_COMPLETED), "已完成");
	assert_string_equal(enum_label(transfer_state_enum, TS_RETURNED), "已退回");
	assert_string_equal(enum_label(transfer_state_enum, TS_CANCELLED), "已撤销");
	assert_int_equal(enum_from_json(transfer_state_enum, "sending_approved"), TS_SENDING_APPROVED);
	assert_int_equal(enum_from_json(transfer_state_enum, "letter_issued"), TS_LETTER_ISSUED);
	for (int s = TS_REQUESTED; s <= TS_CANCELLED; s++)
		assert_int_equal(transfer_state_open(s), s <= TS_REGISTERED);
	assert_false(transfer_state_open(TS_NONE));
}

/* The expected next state of docs/api.md, TS_NONE when illegal. */
static int expected(int kind, int st, int action)
{
	bool open = st == TS_REQUESTED || st == TS_SENDING_APPROVED || st == TS_LETTER_ISSUED ||
		    st == TS_REGISTERED;

	if (action == TA_CANCEL)
		return open ? TS_CANCELLED : TS_NONE;
	switch (kind) {
	case TK_IN_SYSTEM:
		if (action == TA_APPROVE_SENDING && st == TS_REQUESTED)
			return TS_SENDING_APPROVED;
		if (action == TA_APPROVE_RECEIVING && st == TS_SENDING_APPROVED)
			return TS_COMPLETED;
		if (action == TA_RETURN && (st == TS_REQUESTED || st == TS_SENDING_APPROVED))
			return TS_RETURNED;
		return TS_NONE;
	case TK_OUTBOUND:
		if (action == TA_APPROVE_SENDING && st == TS_REQUESTED)
			return TS_LETTER_ISSUED;
		if (action == TA_RECEIPT && st == TS_LETTER_ISSUED)
			return TS_COMPLETED;
		if (action == TA_RETURN && st == TS_REQUESTED)
			return TS_RETURNED;
		return TS_NONE;
	case TK_INBOUND:
		if (action == TA_ATTACH && st == TS_REGISTERED)
			return TS_COMPLETED;
		return TS_NONE;
	default:
		return TS_NONE;
	}
}

static void test_state_machine(void **state)
{
	int legal = 0;

	(void)state;
	for (int kind = TK_IN_SYSTEM; kind <= TK_INBOUND; kind++)
		for (int st = TS_REQUESTED; st <= TS_CANCELLED; st++)
			for (int a = TA_APPROVE_SENDING; a <= TA_ATTACH; a++) {
				struct err e = ERR_INIT;
				int next = -1, want = expected(kind, st, a);
				int rc = transfer_next_state(kind, st, a, &next, &e);

				if (want == TS_NONE) {
					if (rc != -1)
						fail_msg("kind %d state %d action %d: allowed", kind, st, a);
					assert_int_equal(e.kind, ERR_CONFLICT);
					assert_string_equal(e.code, "transfer_state");
					/* The message names the current state. */
					assert_non_null(
						strstr(e.message, enum_label(transfer_state_enum, st)));
				} else {
					if (rc != 0)
						fail_msg("kind %d state %d action %d: %s", kind, st, a,
							 e.message);
					assert_int_equal(next, want);
					legal++;
				}
				err_release(&e);
			}
	/* Cancels: 4 open states x 3 kinds; in_system 2 approvals + 2 returns; outbound approval,
	 * receipt, return; inbound attach. */
	assert_int_equal(legal, 12 + 4 + 3 + 1);

	/* Walk the three paths. */
	{
		struct err e = ERR_INIT;
		int st;

		assert_int_equal(transfer_next_state(TK_IN_SYSTEM, TS_REQUESTED, TA_APPROVE_SENDING, &st, &e),
				 0);
		assert_int_equal(transfer_next_state(TK_IN_SYSTEM, st, TA_APPROVE_RECEIVING, &st, &e), 0);
		assert_int_equal(st, TS_COMPLETED);
		assert_int_equal(transfer_next_state(TK_OUTBOUND, TS_REQUESTED, TA_APPROVE_SENDING, &st, &e),
				 0);
		assert_int_equal(st, TS_LETTER_ISSUED);
		assert_int_equal(transfer_next_state(TK_OUTBOUND, st, TA_RECEIPT, &st, &e), 0);
		assert_int_equal(st, TS_COMPLETED);
		assert_int_equal(transfer_next_state(TK_INBOUND, TS_REGISTERED, TA_ATTACH, &st, &e), 0);
		assert_int_equal(st, TS_COMPLETED);
		assert_false(err_is_set(&e));
		/* Unknown kind, state or action. */
		assert_int_equal(transfer_next_state(0, TS_REQUESTED, TA_CANCEL, &st, &e), -1);
		assert_string_equal(e.code, "transfer_state");
		err_clear(&e);
		assert_int_equal(transfer_next_state(TK_IN_SYSTEM, 42, TA_CANCEL, &st, &e), -1);
		err_clear(&e);
		assert_int_equal(transfer_next_state(TK_IN_SYSTEM, TS_REQUESTED, 42, &st, &e), -1);
		err_release(&e);
	}
}

static void test_validity(void **state)
{
	struct transfer_rules r;

	(void)state;
	transfer_rules_default(&r);
	assert_int_equal(r.validity_days, 90);
	assert_int_equal(r.cross_province_days, 90);
	assert_int_equal(r.receipt_days, 30);
	assert_date(transfer_valid_until(&r, D(2024, 1, 1), false), D(2024, 3, 31));
	assert_date(transfer_valid_until(&r, D(2024, 1, 1), true), D(2024, 3, 31));
	r.cross_province_days = 180;
	assert_date(transfer_valid_until(&r, D(2024, 1, 1), true), D(2024, 6, 29));
	assert_date(transfer_valid_until(&r, D(2024, 1, 1), false), D(2024, 3, 31));
	assert_date(transfer_valid_until(NULL, D(2025, 1, 1), false), D(2025, 4, 1));
	assert_false(date_is_set(transfer_valid_until(&r, DATE_NONE, false)));

	/* Expired the day after valid_until, unless the receipt came back. */
	assert_false(transfer_expired(D(2024, 3, 31), false, D(2024, 3, 31)));
	assert_true(transfer_expired(D(2024, 3, 31), false, D(2024, 4, 1)));
	assert_false(transfer_expired(D(2024, 3, 31), true, D(2024, 4, 1)));
	assert_false(transfer_expired(DATE_NONE, false, D(2024, 4, 1)));
}

static void test_letter_numbers(void **state)
{
	(void)state;
	assert_true(letter_no_valid("2024-000001"));
	assert_true(letter_no_valid("2026-123456"));
	assert_false(letter_no_valid("2024-00001"));
	assert_false(letter_no_valid("2024-0000001"));
	assert_false(letter_no_valid("2024_000001"));
	assert_false(letter_no_valid("24-00000001"));
	assert_false(letter_no_valid("2024-00000a"));
	assert_false(letter_no_valid("1799-000001"));
	assert_false(letter_no_valid(""));
	assert_false(letter_no_valid(NULL));
	assert_false(letter_no_valid(" 2024-000001"));

	assert_true(letter_no_external_valid("2024-000001"));
	assert_true(letter_no_external_valid("京组转字第0123号"));
	assert_true(letter_no_external_valid("A"));
	assert_true(letter_no_external_valid(
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"));
	assert_false(letter_no_external_valid(
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"));
	assert_false(letter_no_external_valid(""));
	assert_false(letter_no_external_valid(NULL));
	assert_false(letter_no_external_valid(" 123"));
	assert_false(letter_no_external_valid("123 "));
	assert_false(letter_no_external_valid("12\n3"));
	assert_false(letter_no_external_valid("\xff\xfe"));
}

static struct transfer_request in_system(void)
{
	return (struct transfer_request){ .kind = TK_IN_SYSTEM,
					  .member_id = 7,
					  .member_state = MSTATE_ACTIVE,
					  .joined_on = D(2010, 7, 1),
					  .from_org_id = 3,
					  .to_org_id = 9,
					  .to_org_type = ORG_BRANCH,
					  .requested_on = D(2025, 3, 1),
					  .today = D(2025, 3, 2) };
}

static void request_invalid(const struct transfer_request *in, const char *field)
{
	struct err e = ERR_INIT;

	assert_int_equal(transfer_request_check(in, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	if (!err_field_message(&e, field))
		fail_msg("no error on %s (%s)", field, e.message);
	err_release(&e);
}

static void request_conflict(const struct transfer_request *in, const char *code)
{
	struct err e = ERR_INIT;

	assert_int_equal(transfer_request_check(in, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_string_equal(e.code, code);
	err_release(&e);
}

static void test_request_check(void **state)
{
	struct transfer_request in;
	struct err e = ERR_INIT;

	(void)state;
	in = in_system();
	assert_int_equal(transfer_request_check(&in, &e), 0);
	in.member_state = MSTATE_NONE;
	in.requested_on = DATE_NONE;
	assert_int_equal(transfer_request_check(&in, &e), 0);
	assert_false(err_is_set(&e));

	/* Only active members (409 member_state); one open transfer at a time (409 transfer_pending). */
	static const int states[] = { MSTATE_LOST, MSTATE_SUSPENDED, MSTATE_LEFT, MSTATE_TRANSFERRED };
	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		in = in_system();
		in.member_state = states[i];
		request_conflict(&in, "member_state");
	}
	in = in_system();
	in.pending_id = 12;
	request_conflict(&in, "transfer_pending");

	in = in_system();
	in.to_org_id = 3;
	request_invalid(&in, "to_org_id"); /* own organisation */
	in.to_org_id = 9;
	in.to_org_type = ORG_PARTY_COMMITTEE;
	request_invalid(&in, "to_org_id"); /* not a branch */
	in.to_org_type = ORG_TYPE_NONE;
	request_invalid(&in, "to_org_id"); /* not found */
	in = in_system();
	in.to_org_id = 0;
	request_invalid(&in, "to_org_id");
	in = in_system();
	in.requested_on = D(2025, 3, 3);
	request_invalid(&in, "requested_on");
	in.requested_on = D(2010, 6, 30);
	request_invalid(&in, "requested_on");
	in = in_system();
	in.member_id = 0;
	request_invalid(&in, "member_id");
	in = in_system();
	in.kind = 0;
	request_invalid(&in, "kind");

	/* Outbound: a destination outside, in words. */
	in = in_system();
	in.kind = TK_OUTBOUND;
	in.to_org_id = 0;
	in.to_org_type = 0;
	in.to_text = "中共某市某区某街道工作委员会";
	assert_int_equal(transfer_request_check(&in, &e), 0);
	in.to_text = "  ";
	request_invalid(&in, "to_text");
	in.to_text = NULL;
	request_invalid(&in, "to_text");
	in.to_text = "外单位";
	in.member_state = MSTATE_LOST;
	request_conflict(&in, "member_state");

	/* Inbound: a letter from outside. */
	in = (struct transfer_request){ .kind = TK_INBOUND,
					.letter_no = "京组转字第0123号",
					.from_text = "外省某党委",
					.letter_on = D(2025, 2, 1),
					.valid_until = D(2025, 5, 1),
					.to_org_id = 9,
					.to_org_type = ORG_BRANCH,
					.today = D(2025, 3, 2) };
	assert_int_equal(transfer_request_check(&in, &e), 0);
	in.valid_until = DATE_NONE;
	assert_int_equal(transfer_request_check(&in, &e), 0);
	in.valid_until = D(2025, 1, 31);
	request_invalid(&in, "valid_until");
	in.valid_until = D(2025, 5, 1);
	in.letter_on = D(2025, 3, 3);
	request_invalid(&in, "letter_on");
	in.letter_on = DATE_NONE;
	request_invalid(&in, "letter_on");
	in.letter_on = D(2025, 2, 1);
	in.letter_no = "";
	request_invalid(&in, "letter_no");
	in.letter_no = " x";
	request_invalid(&in, "letter_no");
	in.letter_no = "2025-000001";
	in.from_text = NULL;
	request_invalid(&in, "from_text");
	in.from_text = "外省某党委";
	in.to_org_type = ORG_GENERAL_BRANCH;
	request_invalid(&in, "to_org_id");
	in.to_org_id = 0;
	request_invalid(&in, "to_org_id");
	err_release(&e);
}

/* XFER-03: the sending organisation stays responsible until the receiving one accepts. */
static void test_xfer03_responsible_side(void **state)
{
	static const struct {
		int kind, action, side_after;
	} path[] = {
		/* in_system: the sending approval is not the acceptance; the receiving approval is. */
		{ TK_IN_SYSTEM, TA_APPROVE_SENDING, TSIDE_SENDING },
		{ TK_IN_SYSTEM, TA_APPROVE_RECEIVING, TSIDE_RECEIVING },
		/* outbound: the letter is out, the receipt (回执) says the receiver accepted. */
		{ TK_OUTBOUND, TA_APPROVE_SENDING, TSIDE_SENDING },
		{ TK_OUTBOUND, TA_RECEIPT, TSIDE_RECEIVING },
	};
	struct err e = ERR_INIT;
	int st = TS_REQUESTED, next;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(path); i++) {
		if (i == 2)
			st = TS_REQUESTED;
		assert_int_equal(transfer_responsible_side(path[i].kind, st), TSIDE_SENDING);
		assert_int_equal(transfer_next_state(path[i].kind, st, path[i].action, &next, &e), 0);
		assert_int_equal(transfer_responsible_side(path[i].kind, next), path[i].side_after);
		st = next;
	}
	/* inbound: the sender is outside until the member is attached here. */
	assert_int_equal(transfer_responsible_side(TK_INBOUND, TS_REGISTERED), TSIDE_SENDING);
	assert_int_equal(transfer_next_state(TK_INBOUND, TS_REGISTERED, TA_ATTACH, &next, &e), 0);
	assert_int_equal(transfer_responsible_side(TK_INBOUND, next), TSIDE_RECEIVING);
	/* Every kind and state: receiving only once completed (returned and cancelled never left). */
	for (int k = TK_IN_SYSTEM; k <= TK_INBOUND; k++)
		for (int s = TS_REQUESTED; s <= TS_CANCELLED; s++)
			assert_int_equal(transfer_responsible_side(k, s),
					 s == TS_COMPLETED ? TSIDE_RECEIVING : TSIDE_SENDING);
	assert_int_equal(transfer_responsible_side(TK_NONE, TS_REQUESTED), TSIDE_NONE);
	assert_int_equal(transfer_responsible_side(TK_IN_SYSTEM, TS_NONE), TSIDE_NONE);
	assert_int_equal(transfer_responsible_side(TK_IN_SYSTEM, TS_CANCELLED + 1), TSIDE_NONE);
	assert_false(err_is_set(&e));
}

/* XFER-01: a member belongs to exactly one branch; transfers go to a branch. */
static void test_xfer01_branch(void **state)
{
	struct transfer_request in;
	struct err e = ERR_INIT;

	(void)state;
	for (int t = ORG_TYPE_NONE; t <= ORG_WORKING_COMMITTEE; t++) {
		assert_int_equal(transfer_org_accepts(t), t == ORG_BRANCH);
		in = in_system();
		in.to_org_type = t;
		assert_int_equal(transfer_request_check(&in, &e), t == ORG_BRANCH ? 0 : -1);
		if (t != ORG_BRANCH)
			assert_non_null(err_field_message(&e, "to_org_id"));
		err_clear(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enums),         cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_validity),      cmocka_unit_test(test_letter_numbers),
		cmocka_unit_test(test_request_check), cmocka_unit_test(test_xfer03_responsible_side),
		cmocka_unit_test(test_xfer01_branch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
