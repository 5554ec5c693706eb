/*
 * err.c: the error record and the single table mapping error kinds to
 * HTTP statuses and stable English codes.
 */
#include "util/common.h"
#include "util/err.h"

#include <jansson.h>

static const struct {
	int status;
	const char *code;
} kinds[] = {
	[ERR_NONE] = { 200, "ok" },
	[ERR_BAD_REQUEST] = { 400, "bad_request" },
	[ERR_UNAUTHORIZED] = { 401, "unauthorized" },
	[ERR_FORBIDDEN] = { 403, "forbidden" },
	[ERR_NOT_FOUND] = { 404, "not_found" },
	[ERR_CONFLICT] = { 409, "conflict" },
	[ERR_TOO_LARGE] = { 413, "payload_too_large" },
	[ERR_VALIDATION] = { 422, "validation_failed" },
	[ERR_LOCKED] = { 429, "too_many_requests" },
	[ERR_INTERNAL] = { 500, "internal_error" },
	[ERR_UNAVAILABLE] = { 503, "service_unavailable" },
};

const char *err_kind_code(enum err_kind k)
{
	return kinds[k].code;
}

int err_kind_status(enum err_kind k)
{
	return kinds[k].status;
}

int err_set(struct err *e, enum err_kind kind, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (e->kind != ERR_NONE)
		return -1;
	e->kind = kind;
	snprintf(e->code, sizeof(e->code), "%s", code ? code : kinds[kind].code);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}

int err_field(struct err *e, const char *field, const char *fmt, ...)
{
	va_list ap;
	struct err_field *f;

	if (e->kind != ERR_NONE && e->kind != ERR_VALIDATION)
		return -1;
	if (e->kind == ERR_NONE) {
		e->kind = ERR_VALIDATION;
		snprintf(e->code, sizeof(e->code), "%s", kinds[ERR_VALIDATION].code);
	}
	if (err_field_message(e, field) || e->nfields >= ERR_MAX_FIELDS)
		return -1;
	f = &e->fields[e->nfields++];
	snprintf(f->name, sizeof(f->name), "%s", field);
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	/* The first field's message doubles as the summary: the user reads it first. */
	if (!e->message[0])
		snprintf(e->message, sizeof(e->message), "%s", f->message);
	return -1;
}

const char *err_field_message(const struct err *e, const char *field)
{
	for (int i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i].name, field))
			return e->fields[i].message;
	return NULL;
}

void err_release(struct err *e)
{
	if (e->detail)
		json_decref((json_t *)e->detail);
	e->detail = NULL;
}

void err_clear(struct err *e)
{
	err_release(e);
	memset(e, 0, sizeof(*e));
}
