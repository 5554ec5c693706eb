/*
 * routes.h: every resource's route table, joined by router.c (git's
 * commands[]).
 *
 * To add a resource:
 *   1. write src/http/<resource>.c with its handlers and a
 *      `const struct route <resource>_routes[]` ending with { NULL };
 *   2. declare the table here;
 *   3. add it to route_tables[] in router.c;
 *   4. document the endpoints in docs/api.md and test them in tests/api/.
 */
#ifndef DJ_HTTP_ROUTES_H
#define DJ_HTTP_ROUTES_H

#include "http/http.h"

extern const struct route meta_routes[];
extern const struct route session_routes[];
extern const struct route org_routes[];
extern const struct route member_routes[];
extern const struct route member_io_routes[];
extern const struct route user_routes[];
extern const struct route audit_routes[];
extern const struct route dues_routes[];
extern const struct route dues_book_routes[];
extern const struct route dues_online_routes[];
extern const struct route dues_reconcile_routes[];
extern const struct route meeting_routes[];
extern const struct route meeting_file_routes[];
extern const struct route compliance_routes[];
extern const struct route alert_routes[];
extern const struct route applicant_routes[];
extern const struct route development_routes[];
extern const struct route transfer_routes[];
extern const struct route mobile_routes[];
extern const struct route member_state_routes[];
extern const struct route sanction_routes[];

/*
 * Finds the route for method and path; fills req->params. Returns NULL and
 * sets *path_known when the path exists under another method (405 vs 404).
 */
const struct route *router_match(const char *method, const char *path, struct http_req *req,
				 bool *path_known);

/*
 * Runs a matched route: session and CSRF checks, permission, the JSON body,
 * then the handler. Always leaves a complete reply in rep.
 */
void router_dispatch(const struct route *r, struct http_req *req, struct http_reply *rep);

#endif
