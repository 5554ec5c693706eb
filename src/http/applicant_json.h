/*
 * applicant_json.h: what the development handlers (applicants.c,
 * development.c) and the alerts feed share: a stored case turned into the
 * core's view of it (struct dev_case, its rules) and the JSON shapes of
 * docs/api.md "Member development" (applicant, step).
 */
#ifndef DJ_HTTP_APPLICANT_JSON_H
#define DJ_HTTP_APPLICANT_JSON_H

#include <stdbool.h>

#include "core/develop.h"
#include "http/http.h"
#include "store/store.h"

struct jsonw;

/* 2014 or 2026 from the stored text ("2026" → 2026, anything else 2014). */
int applicant_version(const struct applicant *a);
/* The settings the case is checked against (req->cfg's dev2014 or dev2026). */
const struct dev_rules *applicant_rules(const struct server_config *cfg, const struct applicant *a);
/*
 * Builds the core's view of a case: its version, birth date, stored status
 * (only "stopped" is kept, the rest is derived) and its steps reduced to
 * briefs in recorded order, with room for one more step at the end (for a
 * step about to be recorded: out->steps[out->nsteps]). Arena memory. Sorts
 * a->steps into recorded order (by id) in place.
 */
void applicant_case(const struct applicant *a, struct arena *ar, struct dev_case *out);
/* The brief of one stored step (results as stored: "pass"/"fail"). */
struct dev_step_brief dev_step_brief_of(const struct dev_step_rec *s);
/*
 * store_applicant_list() with each listed case carrying its steps as
 * briefs (store_applicant_step_briefs(): one query for the whole page, not
 * one per case). Enough for applicant_jsonw(..., false) and dev_next();
 * not for the full shape (no people, votes or summaries). Arena memory.
 */
int applicant_list_with_briefs(struct http_req *req, const struct applicant_query *q, struct applicant **out,
			       size_t *n_out, int64_t *total_out, struct err *e);

/*
 * Writes the applicant as JSON (docs/api.md shape). The case must carry
 * its steps (store_applicant_get): "next" and "warnings" are computed from
 * them. `full` adds "steps" and "warnings_list" (approver names are looked
 * up, hence the err). Returns 0, or -1 with e set.
 */
int applicant_jsonw(struct http_req *req, struct jsonw *w, const struct applicant *a, bool full,
		    struct err *e);
/* Writes one step as JSON. Returns 0, or -1 with e set (approver lookup). */
int dev_step_jsonw(struct http_req *req, struct jsonw *w, const struct dev_step_rec *s, struct err *e);
/* The applicant without steps as compact JSON text in the arena (audit rows). */
const char *applicant_audit_text(struct http_req *req, const struct applicant *a);

/* The rule version new cases get (the dev_rule_version setting, or by date, DEV-00). */
int dev_default_version(const struct server_config *cfg, struct date applied_on);

/* ---- shared with the alerts feed (implemented in development.c) ---- */

/*
 * The open cases of the subtree at `path` whose next step is overdue
 * (today past its deadline), and those whose deadline falls in [from, to]
 * and is not yet past. Cases carry their steps as briefs
 * (applicant_list_with_briefs). Arena memory.
 */
int dev_due_cases(struct http_req *req, const char *path, struct date from, struct date to,
		  struct applicant **due_out, size_t *ndue_out, struct applicant **overdue_out,
		  size_t *nover_out, struct err *e);

/* A branch with no member developed (step 17 approved) in the window (DEV-53). */
struct dev_dormant_org {
	struct org org;
	struct date last_developed_on; /* DATE_NONE: never */
};
/* The dormant branches under root; years <= 0 takes the setting. *since_out: the window's first day. */
int dev_dormant_orgs(struct http_req *req, const struct org *root, int years, struct dev_dormant_org **out,
		     size_t *n_out, struct date *since_out, struct err *e);

#endif
