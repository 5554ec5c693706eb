/*
 * params.c: typed access to query parameters and JSON bodies.
 */
#include "util/common.h"
#include "http/params.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/utf8.h"

int param_int(struct http_req *req, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out,
	      struct err *e)
{
	const char *v = req->query ? req->query(req, key) : NULL;
	char *end;
	long long n;

	*out = def;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || end == v || n < min || n > max)
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter",
			       "参数 %s 应为 %lld 到 %lld 之间的整数", key, (long long)min, (long long)max);
	*out = n;
	return 0;
}

int param_str(struct http_req *req, const char *key, size_t maxbytes, const char **out, struct err *e)
{
	const char *v = req->query ? req->query(req, key) : NULL;
	size_t n;

	*out = NULL;
	if (!v || !*v)
		return 0;
	n = strlen(v);
	if (n > maxbytes)
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 %s 过长", key);
	if (!utf8_valid(v, n, NULL))
		return err_set(e, ERR_BAD_REQUEST, "invalid_utf8", "参数 %s 不是有效的UTF-8编码", key);
	*out = v;
	return 0;
}

int param_page(struct http_req *req, int *page, int *per_page, int64_t *after, struct err *e)
{
	int64_t p, pp, a;

	if (param_int(req, "page", 1, 1, 1000000, &p, e) < 0 ||
	    param_int(req, "per_page", 20, 1, 200, &pp, e) < 0 ||
	    param_int(req, "after", 0, 0, INT64_MAX, &a, e) < 0)
		return -1;
	*page = (int)p;
	*per_page = (int)pp;
	if (after)
		*after = a;
	return 0;
}

int param_enum(struct http_req *req, const char *key, const struct enum_entry *t, int *out, struct err *e)
{
	const char *v;

	*out = 0;
	if (param_str(req, key, 32, &v, e) < 0)
		return -1;
	if (v && !(*out = enum_from_json(t, v)))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter", "参数 %s 的取值无效", key);
	return 0;
}

bool param_flag(struct http_req *req, const char *key)
{
	const char *v = req->query ? req->query(req, key) : NULL;
	return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

int json_only(json_t *obj, const char *const allowed[], struct err *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, key);
		if (!ok)
			return err_set(e, ERR_BAD_REQUEST, "unknown_field", "未知字段：%s", key);
	}
	return 0;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			return true;
	return false;
}

int json_get_str(json_t *obj, const char *key, size_t maxchars, const char **out, struct err *e)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = NULL;
		return 1;
	}
	if (!json_is_string(v))
		return err_field(e, key, "应为文本");
	if (utf8_length(json_string_value(v)) > maxchars)
		return err_field(e, key, "不能超过%zu个字", maxchars);
	if (strlen(json_string_value(v)) != json_string_length(v) || has_control(json_string_value(v)))
		return err_field(e, key, "含有不允许的控制字符");
	*out = json_string_value(v);
	return 1;
}

int json_get_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = 0;
		return 1;
	}
	if (!json_is_integer(v))
		return err_field(e, key, "应为整数");
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return err_field(e, key, "应在%lld到%lld之间", (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 1;
}

int json_get_bool(json_t *obj, const char *key, bool *out, struct err *e)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return err_field(e, key, "应为 true 或 false");
	*out = json_is_true(v);
	return 1;
}

int json_get_date(json_t *obj, const char *key, struct date *out, struct err *e)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		*out = DATE_NONE;
		return 1;
	}
	if (!json_is_string(v) || date_parse(json_string_value(v), out) < 0)
		return err_field(e, key, "日期格式应为 YYYY-MM-DD");
	return 1;
}

int json_get_enum(json_t *obj, const char *key, const struct enum_entry *t, int *out, struct err *e)
{
	json_t *v = json_object_get(obj, key);
	int x;

	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = 0;
		return 1;
	}
	if (!json_is_string(v) || !(x = enum_from_json(t, json_string_value(v))))
		return err_field(e, key, "取值无效");
	*out = x;
	return 1;
}

struct actor req_actor(const struct http_req *req)
{
	struct actor a = { 0, "anonymous" };

	if (req->user) {
		a.user_id = req->user->id;
		a.name = req->user->username;
	}
	return a;
}

const char *req_scope(const struct http_req *req)
{
	return req->user && req->user->org_path ? req->user->org_path : "/";
}

struct date req_today(const struct http_req *req)
{
	struct date d = DATE_NONE;

	date_parse(req->today, &d);
	return d;
}

static int dump_cb(const char *buf, size_t size, void *data)
{
	strbuf_add(data, buf, size);
	return 0;
}

const char *json_text(struct arena *a, json_t *v)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	if (!v)
		return NULL;
	json_dump_callback(v, dump_cb, &sb, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(v);
	s = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}
