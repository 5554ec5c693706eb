/*
 * server.c: the only file that includes microhttpd.h. It collects each
 * request (arena created on the first call, body gathered up to the
 * route's limit), then hands a struct http_req to the router or serves a
 * static file of the web console, and frees everything when libmicrohttpd
 * reports the request completed.
 */
#include "util/common.h"
#include "http/server.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/json_alloc.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct server {
	const struct server_config *cfg;
	struct store *store;
};

struct reqstate {
	struct arena *arena;
	struct strbuf body;
	const struct route *route;
	bool path_known;
	bool too_large;
	size_t limit;
	struct timespec started;
	struct http_req req;
};

static unsigned long next_request_id;

void server_config_default(struct server_config *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = "127.0.0.1:8080";
	c->session_idle_minutes = 30;
	c->lockout_failures = 5;
	c->lockout_window_minutes = 15;
	c->lockout_minutes = 15;
	c->json_limit = 1 << 20;
	c->upload_limit = 20 << 20;
	c->min_join_age = 18;
	c->access_log = 1;
	dues_settings_default(&c->dues);
	meeting_settings_default(&c->meetings);
	dev_rules_default(&c->dev2014, 2014);
	dev_rules_default(&c->dev2026, 2026);
	c->dev_rule_version_default = 0;
	transfer_rules_default(&c->transfers);
	lifecycle_rules_default(&c->lifecycle);
	c->files_dir = "dangjian-files";
}

static const char *get_query(struct http_req *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

static const char *get_header(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static const char *get_cookie(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

static void add_common_headers(struct MHD_Response *resp, bool api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (api) {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	} else {
		MHD_add_response_header(
			resp, "Content-Security-Policy",
			"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
			" frame-ancestors 'none'");
	}
}

static int dump_to_strbuf(const char *buf, size_t size, void *data)
{
	strbuf_add(data, buf, size);
	return 0;
}

static enum MHD_Result queue_reply(struct MHD_Connection *conn, struct http_reply *rep, size_t *bytes_out)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *body = rep->body;
	size_t len = rep->body_len;
	const char *ctype = rep->content_type;

	if (rep->json) {
		/* Serialised into malloc'd memory: the JSON itself lives in the request arena. */
		struct strbuf sb = STRBUF_INIT;
		strbuf_grow(&sb, 4096);
		json_dump_callback(rep->json, dump_to_strbuf, &sb, JSON_COMPACT);
		body = strbuf_detach(&sb, &len);
		ctype = "application/json; charset=utf-8";
		json_decref(rep->json);
		rep->json = NULL;
		if (rep->body)
			free(rep->body);
	}
	rep->body = NULL;
	if (body)
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (ctype)
		MHD_add_response_header(resp, "Content-Type", ctype);
	add_common_headers(resp, true);
	for (int i = 0; i < rep->nheaders; i++)
		MHD_add_response_header(resp, rep->header_names[i], rep->header_values[i]);
	ret = MHD_queue_response(conn, (unsigned)rep->status, resp);
	MHD_destroy_response(resp);
	*bytes_out = len;
	return ret;
}

/* ---- static files of the web console ---------------------------------- */

static const char *content_type_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".woff", "font/woff" },
		{ ".ttf", "font/ttf" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".csv", "text/csv; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result serve_static(struct server *srv, struct MHD_Connection *conn, const char *url,
				    int *status_out)
{
	struct MHD_Response *resp;
	struct strbuf path = STRBUF_INIT;
	struct stat stbuf;
	enum MHD_Result ret;
	bool fallback = false, gzipped = false;
	int fd = -1;

	*status_out = 404;
	if (!srv->cfg->web_root || strstr(url, "..") || url[0] != '/') {
		static const char msg[] = "Not Found";
		resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(conn, 404, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	strbuf_addf(&path, "%s%s", srv->cfg->web_root, strcmp(url, "/") ? url : "/index.html");
	/* Assets are precompressed at build time (make web): send the .gz when the client takes it. */
	if (!strncmp(url, "/assets/", 8)) {
		const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
		if (ae && strstr(ae, "gzip")) {
			strbuf_addstr(&path, ".gz");
			fd = open(path.buf, O_RDONLY | O_CLOEXEC);
			strbuf_setlen(&path, path.len - 3);
			if (fd >= 0 && fstat(fd, &stbuf) == 0 && S_ISREG(stbuf.st_mode))
				gzipped = true;
			else if (fd >= 0)
				close(fd), fd = -1;
		}
	}
	if (fd < 0)
		fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &stbuf) < 0 || !S_ISREG(stbuf.st_mode)) {
		/* Unknown paths are the single-page app's routes: serve index.html. */
		if (fd >= 0)
			close(fd);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/index.html", srv->cfg->web_root);
		fallback = true;
		fd = open(path.buf, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &stbuf) < 0) {
			static const char msg[] = "web console not built: run 'make run'";
			if (fd >= 0)
				close(fd);
			resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
							       MHD_RESPMEM_PERSISTENT);
			ret = MHD_queue_response(conn, 404, resp);
			MHD_destroy_response(resp);
			strbuf_release(&path);
			return ret;
		}
	}
	resp = MHD_create_response_from_fd((uint64_t)stbuf.st_size, fd);
	MHD_add_response_header(resp, "Content-Type", content_type_of(path.buf));
	add_common_headers(resp, false);
	if (gzipped)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (!strncmp(url, "/assets/", 8))
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (!fallback && !strncmp(url, "/assets/", 8))
		MHD_add_response_header(resp, "Cache-Control", "public, max-age=31536000, immutable");
	else
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	*status_out = 200;
	ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	strbuf_release(&path);
	return ret;
}

/* ---- the access handler ------------------------------------------------ */

static void access_log(const struct reqstate *st, int status, size_t bytes)
{
	struct timespec now;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - st->started.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - st->started.tv_nsec) / 1e6;
	log_info("access", "%s %s %d %zu %.1fms %s", st->req.method, st->req.path, status, bytes, ms,
		 st->req.user ? st->req.user->username : "-");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	struct server *srv = cls;
	struct reqstate *st = *req_cls;
	struct http_reply rep = { .status = 500 };
	enum MHD_Result ret;
	size_t bytes = 0;
	int status;

	UNUSED(version);
	if (!st) {
		st = calloc(1, sizeof(*st));
		if (!st)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &st->started);
		st->arena = arena_new();
		strbuf_init(&st->body, 0);
		st->req.arena = st->arena;
		st->req.id = __atomic_add_fetch(&next_request_id, 1, __ATOMIC_RELAXED);
		st->req.method = method;
		st->req.path = url;
		st->req.conn = conn;
		st->req.query = get_query;
		st->req.header = get_header;
		st->req.cookie = get_cookie;
		st->req.cfg = srv->cfg;
		st->req.store = srv->store;
		if (!strncmp(url, "/api/", 5))
			st->route = router_match(method, url, &st->req, &st->path_known);
		st->limit = st->route && (st->route->flags & ROUTE_RAW_BODY) ? srv->cfg->upload_limit
									     : srv->cfg->json_limit;
		*req_cls = st;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!st->too_large && st->body.len + *upload_data_size > st->limit) {
			st->too_large = true;
			strbuf_release(&st->body);
		}
		if (!st->too_large)
			strbuf_add(&st->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}

	log_set_request_id(st->req.id);
	json_alloc_bind(st->arena);
	if (strncmp(url, "/api/", 5) != 0 && (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) {
		ret = serve_static(srv, conn, url, &status);
		if (srv->cfg->access_log)
			access_log(st, status, 0);
		json_alloc_bind(NULL);
		log_set_request_id(0);
		return ret;
	}
	st->req.body = st->body.buf;
	st->req.body_len = st->body.len;
	if (st->too_large) {
		struct err e = ERR_INIT;
		err_set(&e, ERR_TOO_LARGE, NULL, "请求体过大（上限%zu MiB）", st->limit >> 20);
		reply_error(&rep, &e, &st->req);
	} else if (!st->route) {
		struct err e = ERR_INIT;
		if (st->path_known)
			err_set(&e, ERR_BAD_REQUEST, "method_not_allowed", "不支持的请求方法 %s", method);
		else
			err_set(&e, ERR_NOT_FOUND, NULL, "接口不存在");
		reply_error(&rep, &e, &st->req);
		if (st->path_known)
			rep.status = 405;
	} else {
		router_dispatch(st->route, &st->req, &rep);
	}
	status = rep.status;
	ret = queue_reply(conn, &rep, &bytes);
	if (srv->cfg->access_log)
		access_log(st, status, bytes);
	json_alloc_bind(NULL);
	log_set_request_id(0);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct reqstate *st = *req_cls;

	UNUSED(cls);
	UNUSED(conn);
	UNUSED(toe);
	if (!st)
		return;
	strbuf_release(&st->body);
	arena_free(st->arena);
	free(st);
	*req_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	UNUSED(cls);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_warn("mhd", "%s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;

	memset(sa, 0, sizeof(*sa));
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, strcmp(host, "localhost") ? host : "127.0.0.1", &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int server_run(const struct server_config *cfg, struct store *st)
{
	struct server srv = { .cfg = cfg, .store = st };
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t sigs;
	int sig, threads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	char host[INET_ADDRSTRLEN];

	if (parse_listen(cfg->listen, &sa) < 0) {
		fprintf(stderr, "error: invalid listen address '%s' (expected HOST:PORT)\n", cfg->listen);
		return -1;
	}
	if (threads < 1)
		threads = 1;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned)1000, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "error: cannot listen on '%s': %s\n", cfg->listen, strerror(errno));
		return -1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	printf("dangjian: listening on http://%s:%u\n", host, info ? info->port : 0);
	if (cfg->banner)
		fputs(cfg->banner, stdout);
	fflush(stdout);
	log_info("http", "serving on %s:%u with %d threads", host, info ? info->port : 0, threads);

	sigwait(&sigs, &sig);
	log_info("http", "signal %d: stopping", sig);
	MHD_stop_daemon(d);
	return 0;
}
