/*
 * member_states.h: what the other handlers share with member_states.c:
 * closing a member's open records when the member stops being on the
 * roll (left, suspended, transferred out by a receipt).
 */
#ifndef DJ_HTTP_MEMBER_STATES_H
#define DJ_HTTP_MEMBER_STATES_H

#include <stdint.h>

#include "core/date.h"
#include "http/http.h"

struct actor;

/*
 * Inside the caller's transaction, after the member's state became
 * `to_state` (MSTATE_LEFT, MSTATE_SUSPENDED or MSTATE_TRANSFERRED) on `on`:
 * cancels the member's open transfer (requested, sending_approved,
 * letter_issued) unless it is `keep_transfer` (the one being completed;
 * 0 none), with a return_reason saying why, and closes an open
 * mobile-member record (returned, returned_on = `on`, or its out_on if
 * later). Writes a "transfer.cancel" / "mobile.return" audit row for each,
 * the latter with a "note". Returns 0, or -1 with e set.
 */
int member_close_open_records(struct http_req *req, const struct actor *who, int64_t member_id, int to_state,
			      struct date on, int64_t keep_transfer, struct err *e);

#endif
