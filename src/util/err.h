/*
 * err.h: the error record passed down by pointer (SQLite's Parse.zErrMsg
 * model). The first error wins: later err_set() calls on an already-set
 * err are ignored, except that field errors keep accumulating while the
 * kind is ERR_VALIDATION, so a form reports every bad field at once.
 *
 * http/reply.c is the one place that turns an err into an HTTP reply;
 * cli/ prints err.message on one line.
 */
#ifndef DJ_ERR_H
#define DJ_ERR_H

#include <stdbool.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_BAD_REQUEST,  /* 400: malformed syntax (JSON, UTF-8, parameters) */
	ERR_UNAUTHORIZED, /* 401: no or expired session, wrong password */
	ERR_FORBIDDEN,    /* 403: logged in but not allowed; CSRF failure */
	ERR_NOT_FOUND,    /* 404: missing or outside the caller's scope */
	ERR_CONFLICT,     /* 409: state forbids it (duplicate, not empty) */
	ERR_TOO_LARGE,    /* 413 */
	ERR_VALIDATION,   /* 422: well-formed but invalid values */
	ERR_LOCKED,       /* 429: too many attempts */
	ERR_INTERNAL,     /* 500: operational failure, logged */
	ERR_UNAVAILABLE,  /* 503: database unreachable */
};

#define ERR_MAX_FIELDS 24

struct err_field {
	char name[48];
	char message[160];
};

struct json_t;

struct err {
	enum err_kind kind;
	char code[40];     /* stable English code, e.g. "validation_failed" */
	char message[256]; /* Chinese, shown to the user */
	int nfields;
	struct err_field fields[ERR_MAX_FIELDS];
	/* Optional jansson object merged into the error body (owned: err_release
	 * drops the reference). */
	struct json_t *detail;
};

#define ERR_INIT \
	{ \
		.kind = ERR_NONE \
	}

static inline bool err_is_set(const struct err *e)
{
	return e->kind != ERR_NONE;
}

/*
 * Records an error unless one is already set. `code` may be NULL for the
 * default code of the kind. Always returns -1 so `return err_set(...)` reads
 * naturally.
 */
int err_set(struct err *e, enum err_kind kind, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * Adds a field error and makes the err a validation error ("validation_failed",
 * message "提交的数据有误" unless a message is already set). A second error for
 * the same field is ignored. Returns -1.
 */
int err_field(struct err *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *err_field_message(const struct err *e, const char *field);
void err_release(struct err *e);
void err_clear(struct err *e);
/* The default English code and HTTP status of a kind. */
const char *err_kind_code(enum err_kind k);
int err_kind_status(enum err_kind k);

#endif
