/*
 * http.h: what a handler sees of a request and fills in for the reply.
 * Handlers never include microhttpd.h: server.c builds a struct http_req,
 * calls the route's handler, and turns the struct http_reply (or the
 * struct err the handler returned) into the HTTP response. Tests can call
 * handlers with a hand-built http_req.
 */
#ifndef DJ_HTTP_H
#define DJ_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/user.h"
#include "util/err.h"

struct arena;
struct store;
struct sconn;
struct server_config;

struct http_req {
	struct arena *arena; /* lives as long as the request */
	unsigned long id;    /* request id for logs */
	const char *method;
	const char *path; /* without the query string */
	const char *client_ip;
	/* Route parameters ({id} segments), as parsed integers. */
	int64_t params[4];
	int nparams;
	/* The body: raw bytes (always NUL-terminated), and parsed JSON for JSON routes. */
	const char *body;
	size_t body_len;
	json_t *json; /* borrowed; owned by the arena */
	/* Accessors filled by the server (or a test). NULL when absent. */
	const char *(*query)(struct http_req *req, const char *key);
	const char *(*header)(struct http_req *req, const char *name);
	const char *(*cookie)(struct http_req *req, const char *name);
	void *conn; /* the server's connection handle for the accessors */
	/* Set by the router before the handler runs. */
	const struct server_config *cfg;
	struct store *store;
	struct sconn *db;          /* this thread's connection */
	struct user *user;         /* NULL on public routes */
	const char *session_token; /* the cookie value, when logged in */
	const char *csrf_token;
	const char *today; /* YYYY-MM-DD, China Standard Time */
};

#define HTTP_MAX_HEADERS 8

struct http_reply {
	int status;
	json_t *json; /* owned: serialised by the server, then released */
	/* Or raw bytes (malloc'd, handed to the server, which frees them). */
	char *body;
	size_t body_len;
	const char *content_type;
	int nheaders;
	const char *header_names[HTTP_MAX_HEADERS];
	const char *header_values[HTTP_MAX_HEADERS];
};

/* Adds a response header (strings must outlive the reply: arena or static). */
void http_reply_header(struct http_reply *rep, const char *name, const char *value);
/* Sets status and a JSON body (steals the reference). Returns 0. */
int http_reply_json(struct http_reply *rep, int status, json_t *body);

/* A handler: returns 0 with rep filled, or -1 with e set (http/reply.c answers). */
typedef int (*http_handler)(struct http_req *req, struct http_reply *rep, struct err *e);

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,   /* no session needed */
	ROUTE_RAW_BODY = 1 << 1, /* body is an upload, not JSON (20 MiB limit) */
	ROUTE_NO_CSRF = 1 << 2,  /* login: no session yet */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/members/{id}" */
	http_handler handler;
	unsigned flags; /* enum route_flags */
	unsigned perm;  /* enum perm required (any of), 0 = any logged-in user */
};

#endif
