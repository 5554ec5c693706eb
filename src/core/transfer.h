/*
 * transfer.h: transfers of organisational relations (组织关系转接, RULES.md
 * 4.1): kinds, states and the state machine of docs/api.md, the validity
 * of an introduction letter (XFER-06), letter numbers and the checks of a
 * new transfer request. Pure: facts and today are passed in.
 */
#ifndef DJ_CORE_TRANSFER_H
#define DJ_CORE_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/date.h"

struct err;

/* in_system 系统内转接, outbound 转出系统, inbound 从系统外转入. */
enum transfer_kind { TK_NONE = 0, TK_IN_SYSTEM, TK_OUTBOUND, TK_INBOUND };
extern const struct enum_entry transfer_kind_enum[];

/* JSON names and labels as in docs/api.md (requested 已申请 ... cancelled 已撤销). */
enum transfer_state {
	TS_NONE = 0,
	TS_REQUESTED,
	TS_SENDING_APPROVED,
	TS_LETTER_ISSUED,
	TS_REGISTERED,
	TS_COMPLETED,
	TS_RETURNED,
	TS_CANCELLED,
};
extern const struct enum_entry transfer_state_enum[];

/* True for requested, sending_approved, letter_issued, registered. */
bool transfer_state_open(int state);

/*
 * XFER-03: which organisation is responsible for the member while a
 * transfer exists. The sending one stays responsible until the receiving
 * one accepts (state completed); after a return or a cancellation the
 * member never left. For an inbound letter the sending side is the
 * organisation outside the system.
 */
enum transfer_side { TSIDE_NONE = 0, TSIDE_SENDING, TSIDE_RECEIVING };
/* TSIDE_RECEIVING for a completed transfer, TSIDE_SENDING in every other state, TSIDE_NONE for an unknown
 * kind or state. */
int transfer_responsible_side(int kind, int state);

/*
 * XFER-01: each member belongs to exactly one branch (党支部); a transfer
 * (and a member record) goes to a branch. True only for ORG_BRANCH.
 */
bool transfer_org_accepts(int org_type);

enum transfer_action {
	TA_APPROVE_SENDING = 1, /* approve side=sending */
	TA_APPROVE_RECEIVING,   /* approve side=receiving */
	TA_RETURN,              /* return (退回) */
	TA_CANCEL,              /* cancel (撤销) */
	TA_RECEIPT,             /* the receipt (回执) of an outbound letter */
	TA_ATTACH,              /* an inbound letter attached to a member */
};

/*
 * The state after `action` (docs/api.md):
 *   in_system: requested -approve sending-> sending_approved -approve receiving-> completed;
 *   outbound:  requested -approve sending-> letter_issued -receipt-> completed;
 *   inbound:   registered -attach-> completed;
 *   return:    in_system from requested or sending_approved, outbound from requested;
 *   cancel:    from any open state.
 * Returns 0 with *next set, or -1 with ERR_CONFLICT "transfer_state" (a
 * Chinese message naming the current state and the action) when illegal.
 */
int transfer_next_state(int kind, int state, int action, int *next, struct err *e);

/* Settings (XFER-06 [P], RULES.md 10 #13). */
struct transfer_rules {
	int validity_days;       /* letter_validity_days: 90 */
	int cross_province_days; /* letter_validity_cross_province_days: 90 (may be 180) */
	int receipt_days;        /* receipt expected within: 30 */
};
void transfer_rules_default(struct transfer_rules *r);

/* The last valid day: letter_on + validity_days (or cross_province_days). Unset letter_on: DATE_NONE. */
struct date transfer_valid_until(const struct transfer_rules *r, struct date letter_on, bool cross_province);
/* True from the day after valid_until while no receipt is recorded; false when valid_until is unset. */
bool transfer_expired(struct date valid_until, bool receipt_recorded, struct date today);

/*
 * Letter numbers. letter_no_valid: a number issued by this system,
 * "YYYY-NNNNNN" (a year 1800..9999, a dash, six digits). Inbound letters
 * from outside carry whatever number the issuer used:
 * letter_no_external_valid accepts any text of 1..40 characters (UTF-8)
 * without control characters and without surrounding white space.
 */
bool letter_no_valid(const char *s);
bool letter_no_external_valid(const char *s);

/* A new transfer (POST /transfers) with the facts the caller looked up. */
struct transfer_request {
	int kind; /* enum transfer_kind */
	/* in_system, outbound: the member */
	int64_t member_id;
	int member_state;      /* enum member_state (0 = active) */
	int64_t pending_id;    /* an open transfer of the member, 0 none */
	struct date joined_on; /* the member's joined_on (unset when unknown) */
	int64_t from_org_id;   /* the member's organisation */
	/* in_system, inbound: the destination in the system */
	int64_t to_org_id;
	int to_org_type; /* enum org_type of to_org_id, 0 when not found */
	/* outbound: the destination outside */
	const char *to_text;
	/* inbound: the letter from outside */
	const char *letter_no, *from_text;
	struct date letter_on, valid_until;
	struct date requested_on; /* in_system, outbound; unset means today */
	struct date today;
};

/*
 * Checks a request. -1 with: ERR_CONFLICT "member_state" for a member who is
 * not active (lost, suspended, left, transferred), ERR_CONFLICT
 * "transfer_pending" while another transfer is open, or validation field
 * errors: kind, member_id, to_org_id (missing, the member's own
 * organisation, not a branch), to_text (outbound: required, <= 100
 * characters), letter_no / from_text / letter_on / valid_until (inbound),
 * requested_on (after today or before joined_on). Returns 0 when fine.
 */
int transfer_request_check(const struct transfer_request *in, struct err *e);

#endif
