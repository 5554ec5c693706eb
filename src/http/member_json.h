/*
 * member_json.h: members and organisations as JSON (docs/api.md shapes)
 * and applying a JSON body onto a member.
 */
#ifndef DJ_HTTP_MEMBER_JSON_H
#define DJ_HTTP_MEMBER_JSON_H

#include "http/http.h"
#include "store/store.h"

struct jsonw;

/* Writes the member as a JSON object (docs/api.md shape). `today` computes the age. */
void member_jsonw(struct jsonw *w, const struct member *m, struct date today);
/*
 * Applies the fields present in obj onto m (strings borrowed from obj or
 * copied into the arena). Unknown fields: 400; wrong types: 422 per field.
 * Does not validate the whole record (member_validate does).
 */
int member_apply_json(json_t *obj, struct member *m, struct arena *a, struct err *e);

/* A new reference; warnings computed for `today` when with_warnings. */
json_t *org_json(const struct org *o, struct date today, bool with_warnings);

/* A new reference: the user as in docs/api.md (with permissions). */
json_t *user_json(const struct user *u);

#endif
