/*
 * params.h: reading query parameters and JSON request bodies with typed
 * getters that fail cleanly: a bad query parameter is 400
 * invalid_parameter, an unknown body field 400 unknown_field, a value of
 * the wrong type or out of range a 422 field error.
 */
#ifndef DJ_HTTP_PARAMS_H
#define DJ_HTTP_PARAMS_H

#include "core/date.h"
#include "http/http.h"
#include "http/server.h"
#include "store/store.h"

/* Integer query parameter in [min, max]; *out = def when absent. */
int param_int(struct http_req *req, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out,
	      struct err *e);
/* String query parameter (valid UTF-8, at most maxbytes); NULL when absent or empty. */
int param_str(struct http_req *req, const char *key, size_t maxbytes, const char **out, struct err *e);
/* page (1..1,000,000), per_page (1..200, default 20), after (keyset id). */
int param_page(struct http_req *req, int *page, int *per_page, int64_t *after, struct err *e);
/* Enumerated query parameter by JSON name; *out = 0 when absent. */
int param_enum(struct http_req *req, const char *key, const struct enum_entry *t, int *out, struct err *e);
/* True when the query parameter equals "1" or "true". */
bool param_flag(struct http_req *req, const char *key);

/* 400 unknown_field when obj has a key not in `allowed` (NULL-terminated). */
int json_only(json_t *obj, const char *const allowed[], struct err *e);
/*
 * Typed getters. Each returns 1 when the key is present and valid, 0 when
 * absent (or JSON null when null_ok), -1 after recording a field error.
 * Strings must be at most maxchars characters and contain no control characters.
 */
int json_get_str(json_t *obj, const char *key, size_t maxchars, const char **out, struct err *e);
int json_get_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t *out, struct err *e);
int json_get_bool(json_t *obj, const char *key, bool *out, struct err *e);
int json_get_date(json_t *obj, const char *key, struct date *out, struct err *e);
/* String whose value must be in an enum table (JSON names). */
int json_get_enum(json_t *obj, const char *key, const struct enum_entry *t, int *out, struct err *e);

/* The actor for audit rows and histories. */
struct actor req_actor(const struct http_req *req);
/* The caller's scope path. */
const char *req_scope(const struct http_req *req);
/* Today as a struct date. */
struct date req_today(const struct http_req *req);
/* json_dumps of a value into the arena (compact), for audit rows; steals v. NULL for NULL. */
const char *json_text(struct arena *a, json_t *v);

#endif
