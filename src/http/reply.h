/*
 * reply.h: the one place that turns a struct err into an HTTP reply
 * (redis builds its error replies once in server.c), plus JSON helpers
 * shared by the handlers.
 */
#ifndef DJ_HTTP_REPLY_H
#define DJ_HTTP_REPLY_H

#include "http/http.h"

/* Fills rep with the error body of DESIGN.md; logs 5xx at error level. */
void reply_error(struct http_reply *rep, const struct err *e, const struct http_req *req);

struct jsonw;

/* Sets status and the writer's text as the JSON body (the writer is left empty). Returns 0. */
int reply_jsonw(struct http_reply *rep, int status, struct jsonw *w);

/* {"items":[...],"total":N,"page":P,"per_page":PP}: steals items. */
json_t *reply_list(json_t *items, int64_t total, int page, int per_page);

#endif
