/*
 * dues_common.h: what the dues handlers share (dues.c, dues_books.c,
 * dues_online.c, dues_reconcile.c): the settings, months in requests, and
 * recording one payment with every check of RULES.md section 2.
 */
#ifndef DJ_HTTP_DUES_COMMON_H
#define DJ_HTTP_DUES_COMMON_H

#include "core/dues.h"
#include "http/http.h"
#include "store/store.h"

struct jsonw;

/* The installation's dues settings (server configuration). */
const struct dues_settings *dues_settings_get(const struct http_req *req);
/* The current dues month (China Standard Time). */
int dues_current_month(const struct http_req *req);
/* "YYYY-MM" in the request arena. */
const char *dues_month_text(struct arena *a, int m);
/* A month query parameter; *out = def when absent; 400 invalid_parameter when malformed. */
int param_month(struct http_req *req, const char *key, int def, int *out, struct err *e);
/* A year query parameter (1900..9999); *out = def when absent. */
int param_year(struct http_req *req, const char *key, int def, int *out, struct err *e);

struct dues_pay_request {
	const struct member *m;
	int month;
	int64_t amount_fen;
	const char *method;  /* cash, bank, online */
	const char *paid_on; /* YYYY-MM-DD */
	const char *payer_name, *reference, *note;
};

/*
 * Records one payment inside the caller's transaction: the member's
 * standard for the month must exist, the month's ledger must be open, and
 * dues_payment_check() must pass; writes the payment and its audit row.
 * Field errors name "month" and "amount_fen". *out is the stored payment.
 */
int dues_record_payment(struct http_req *req, const struct dues_pay_request *pr, struct dues_payment *out,
			struct err *e);

void dues_payment_jsonw(struct jsonw *w, const struct dues_payment *p);
/* A member of a subtree with unpaid months and the arrears level (DUES-11). */
struct arrears_row {
	struct dues_ledger_row row;
	struct dues_arrears arrears;
};

/* Every member of the subtree at `path` with unpaid months today. */
int dues_arrears_rows(struct http_req *req, const char *path, struct arrears_row **out, size_t *n_out,
		      struct err *e);

/* The reply of GET /members/{id}/dues for req->params[0] (also GET /dues/me). */
int dues_member_reply(struct http_req *req, struct http_reply *rep, struct err *e);

#endif
