/*
 * orgs.c: the organisation tree resource: list the caller's subtree, read
 * one with its structure warnings and committee, create, change, move,
 * dissolve, and set the committee.
 */
#include "util/common.h"
#include "http/member_json.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"
#include "util/xalloc.h"

#include <pthread.h>

/* GET /api/v1/orgs -> 200 {items:[org...]} (the caller's subtree, parents first) */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org_list l;
	struct date today = req_today(req);
	json_t *items;

	if (store_org_subtree(req->db, req->arena, req_scope(req), &l, e) < 0)
		return -1;
	items = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, org_json(&l.items[i], today, true));
	return http_reply_json(rep, 200, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)l.n));
}

static json_t *committee_json(struct http_req *req, int64_t org_id, struct err *e)
{
	struct committee_entry *v;
	size_t n;
	json_t *a;

	if (store_committee_get(req->db, req->arena, org_id, &v, &n, e) < 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s}", "member_id",
						   (json_int_t)v[i].member_id, "name", v[i].name, "role",
						   enum_json(committee_role_enum, v[i].role), "role_label",
						   enum_label(committee_role_enum, v[i].role)));
	return a;
}

static int reply_org(struct http_req *req, struct http_reply *rep, int status, int64_t id, struct err *e)
{
	struct org o;
	json_t *j, *c;

	if (store_org_get(req->db, req->arena, req_scope(req), id, &o, e) < 0)
		return -1;
	if (!(c = committee_json(req, id, e)))
		return -1;
	j = org_json(&o, req_today(req), true);
	json_object_set_new(j, "committee", c);
	return http_reply_json(rep, status, j);
}

/* GET /api/v1/orgs/{id} -> 200 org | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	return reply_org(req, rep, 200, req->params[0], e);
}

/* GET /api/v1/orgs/{id}/children -> 200 {items:[org...]} | 404 */
static int h_children(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o;
	struct org_list l;
	struct date today = req_today(req);
	json_t *items;

	if (store_org_get(req->db, req->arena, req_scope(req), req->params[0], &o, e) < 0 ||
	    store_org_children(req->db, req->arena, o.id, &l, e) < 0)
		return -1;
	items = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, org_json(&l.items[i], today, true));
	return http_reply_json(rep, 200, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)l.n));
}

static const char *const org_fields[] = {
	"parent_id", "name", "type", "field", "elected_on", "term_years", "remarks", "sort_order", NULL,
};

/* Reads the writable fields present in the body onto o. */
static int org_apply_json(json_t *obj, struct org *o, struct arena *a, struct err *e)
{
	const char *s;
	int64_t n;
	char buf[256];

	if (json_only(obj, org_fields, e) < 0)
		return -1;
	if (json_get_str(obj, "name", 60, &s, e) > 0) {
		member_normalize_name(s ? s : "", buf, sizeof(buf));
		o->name = arena_strdup(a, buf);
	}
	json_get_enum(obj, "type", org_type_enum, &o->type, e);
	json_get_enum(obj, "field", org_field_enum, &o->field, e);
	json_get_date(obj, "elected_on", &o->elected_on, e);
	if (json_get_int(obj, "term_years", 0, 10, &n, e) > 0)
		o->term_years = (int)n;
	if (json_get_str(obj, "remarks", 500, &s, e) > 0)
		o->remarks = s;
	if (json_get_int(obj, "sort_order", -100000, 100000, &n, e) > 0)
		o->sort_order = (int)n;
	return err_is_set(e) ? -1 : 0;
}

static int check_elected_on(const struct org *o, struct date today, struct err *e)
{
	if (date_is_set(o->elected_on) && date_cmp(o->elected_on, today) > 0)
		return err_field(e, "elected_on", "换届选举日期不能晚于今天");
	return 0;
}

/* POST /api/v1/orgs {org} -> 201 org | 404 parent | 409 | 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o = { 0 }, parent;
	struct actor who = req_actor(req);
	int64_t pid = 0;

	if (org_apply_json(req->json, &o, req->arena, e) < 0)
		return -1;
	if (json_get_int(req->json, "parent_id", 1, INT64_MAX, &pid, e) < 0)
		return -1;
	if (!pid)
		return err_field(e, "parent_id", "请选择上级党组织");
	if (store_org_get(req->db, req->arena, req_scope(req), pid, &parent, e) < 0) {
		if (e->kind != ERR_NOT_FOUND)
			return -1;
		err_clear(e);
		return err_field(e, "parent_id", "上级党组织不存在");
	}
	o.parent_id = pid;
	if (org_validate(&o, parent.type, e) < 0 || check_elected_on(&o, req_today(req), e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 || store_org_insert(req->db, req->arena, &o, e) < 0)
		return -1;
	/* The reply is read inside the transaction: nothing fails after the commit. */
	if (store_audit(req->db, &who, "org.create", "org", o.id, NULL,
			json_text(req->arena, org_json(&o, req_today(req), false)), e) < 0 ||
	    reply_org(req, rep, 201, o.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* PATCH /api/v1/orgs/{id} {fields} -> 200 org | 404 | 409 org_cycle | 422 */
static int h_update(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o, parent;
	struct actor who = req_actor(req);
	const char *before;
	int64_t new_parent = 0;
	int parent_type = 0, old_type;

	if (store_org_get(req->db, req->arena, req_scope(req), req->params[0], &o, e) < 0)
		return -1;
	before = json_text(req->arena, org_json(&o, req_today(req), false));
	old_type = o.type;
	if (org_apply_json(req->json, &o, req->arena, e) < 0)
		return -1;
	if (o.type != old_type)
		return err_field(e, "type", "党组织类型不能直接修改，请新建组织后迁移党员");
	if (json_get_int(req->json, "parent_id", 1, INT64_MAX, &new_parent, e) < 0)
		return -1;
	if (new_parent == o.parent_id)
		new_parent = 0;
	if (new_parent && o.id == req->user->org_id)
		return err_set(e, ERR_FORBIDDEN, NULL, "不能移动您所在的根党组织");
	if (new_parent) {
		if (store_org_get(req->db, req->arena, req_scope(req), new_parent, &parent, e) < 0) {
			if (e->kind != ERR_NOT_FOUND)
				return -1;
			err_clear(e);
			return err_field(e, "parent_id", "上级党组织不存在");
		}
		parent_type = parent.type;
	} else if (o.parent_id) {
		struct org cur;
		if (store_org_get(req->db, req->arena, NULL, o.parent_id, &cur, e) < 0)
			return -1;
		parent_type = cur.type;
	}
	if (org_validate(&o, parent_type, e) < 0 || check_elected_on(&o, req_today(req), e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 || store_org_update(req->db, &o, e) < 0)
		return -1;
	if (new_parent) {
		if (store_org_move(req->db, req->arena, o.id, new_parent, e) < 0)
			return -1;
		o.parent_id = new_parent;
	}
	if (store_audit(req->db, &who, new_parent ? "org.move" : "org.update", "org", o.id, before,
			json_text(req->arena, org_json(&o, req_today(req), false)), e) < 0 ||
	    reply_org(req, rep, 200, o.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* DELETE /api/v1/orgs/{id} -> 204 | 404 | 409 org_not_empty */
static int h_delete(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct org o;
	struct actor who = req_actor(req);

	if (store_org_get(req->db, req->arena, req_scope(req), req->params[0], &o, e) < 0)
		return -1;
	if (o.id == req->user->org_id)
		return err_set(e, ERR_FORBIDDEN, NULL, "不能撤销您所在的根党组织");
	const char *before = json_text(req->arena, org_json(&o, req_today(req), false));

	if (store_begin(req->db, e) < 0 || store_org_delete(req->db, o.id, e) < 0 ||
	    store_audit(req->db, &who, "org.delete", "org", o.id, before, NULL, e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	rep->status = 204;
	return 0;
}

/* PUT /api/v1/orgs/{id}/committee {members:[{member_id, role}]} -> 200 org | 404 | 422 */
static int h_committee(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const fields[] = { "members", NULL };
	static const char *const entry_fields[] = { "member_id", "role", NULL };
	struct org o;
	struct committee_entry *v;
	struct actor who = req_actor(req);
	json_t *arr, *x, *before;
	size_t i, n, secretaries = 0;

	if (store_org_get(req->db, req->arena, req_scope(req), req->params[0], &o, e) < 0)
		return -1;
	if (json_only(req->json, fields, e) < 0)
		return -1;
	arr = json_object_get(req->json, "members");
	if (!json_is_array(arr))
		return err_field(e, "members", "应为数组");
	n = json_array_size(arr);
	if (n > 7)
		return err_field(e, "members", "支部委员会成员不能超过7人（ORG-03）");
	v = arena_zalloc(req->arena, (n ? n : 1) * sizeof(*v));
	json_array_foreach(arr, i, x)
	{
		struct member m;
		int64_t mid = 0;
		if (!json_is_object(x) || json_only(x, entry_fields, e) < 0)
			return err_is_set(e) ? -1 : err_field(e, "members", "每一项应为对象");
		if (json_get_int(x, "member_id", 1, INT64_MAX, &mid, e) <= 0 ||
		    json_get_enum(x, "role", committee_role_enum, &v[i].role, e) <= 0)
			return err_is_set(e) ? -1 : err_field(e, "members", "缺少 member_id 或 role");
		if (store_member_get(req->db, req->arena, o.path, mid, false, &m, e) < 0) {
			if (e->kind != ERR_NOT_FOUND)
				return -1;
			err_clear(e);
			return err_field(e, "members", "党员（编号%lld）不属于该党组织", (long long)mid);
		}
		for (size_t k = 0; k < i; k++)
			if (v[k].member_id == mid)
				return err_field(e, "members", "党员“%s”重复出现", m.name);
		v[i].member_id = mid;
		v[i].name = m.name;
		if (v[i].role == CROLE_SECRETARY)
			secretaries++;
	}
	if (secretaries > 1)
		return err_field(e, "members", "只能有一名书记");
	if (!(before = committee_json(req, o.id, e)))
		return -1;
	{
		json_t *after = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(after,
					      json_pack("{s:I,s:s}", "member_id", (json_int_t)v[i].member_id,
							"role", enum_json(committee_role_enum, v[i].role)));
		const char *bt = json_text(req->arena, before), *at = json_text(req->arena, after);
		int r = store_begin(req->db, e) < 0 || store_committee_set(req->db, o.id, v, n, e) < 0 ||
			store_audit(req->db, &who, "org.committee", "org", o.id, bt, at, e) < 0 ||
			reply_org(req, rep, 200, o.id, e) < 0 || store_commit(req->db, e) < 0;
		if (r)
			return -1;
	}
	return 0;
}

static const char *stat_label(const char *dim, const char *key)
{
	const struct code_entry *c;

	if (!strcmp(dim, "status"))
		return enum_label(status_enum, enum_from_json(status_enum, key));
	if (!strcmp(dim, "gender"))
		return enum_label(gender_enum, enum_from_json(gender_enum, key));
	if (!strcmp(dim, "category"))
		return enum_label(category_enum, enum_from_json(category_enum, key));
	if (!strcmp(dim, "education"))
		return (c = education_by_code(key)) ? c->name : NULL;
	if (!strcmp(dim, "ethnicity"))
		return (c = ethnicity_by_code(key)) ? c->name : NULL;
	return NULL;
}

/* Age bands from birth years (ages reached this calendar year): the dashboard's usual bands. */
static void age_bands(struct jsonw *w, const struct org_stat *rows, size_t n, int year)
{
	static const struct {
		int lo, hi;
		const char *label;
	} bands[] = {
		{ 0, 30, "30岁及以下" }, { 31, 40, "31至40岁" }, { 41, 50, "41至50岁" },
		{ 51, 60, "51至60岁" },  { 61, 70, "61至70岁" }, { 71, 200, "71岁及以上" },
	};
	int64_t count[ARRAY_SIZE(bands)] = { 0 };

	for (size_t i = 0; i < n; i++) {
		int age;
		if (strcmp(rows[i].dim, "birth_year") != 0)
			continue;
		age = year - atoi(rows[i].key);
		for (size_t b = 0; b < ARRAY_SIZE(bands); b++)
			if (age >= bands[b].lo && age <= bands[b].hi)
				count[b] += rows[i].n;
	}
	jsonw_array_begin(w);
	for (size_t b = 0; b < ARRAY_SIZE(bands); b++) {
		jsonw_object_begin(w);
		jsonw_kv_str(w, "key", bands[b].label);
		jsonw_kv_str(w, "label", bands[b].label);
		jsonw_kv_int(w, "n", count[b]);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/* GET /api/v1/orgs/{id}/stats -> 200 {org_id, members, by_status, by_gender, ...} | 404 */
/*
 * The figures reply is the dashboard's hot path. Each worker thread keeps
 * its last few rendered replies, valid while the database's data version
 * is unchanged (any commit changes it): a hit skips the figures query and
 * the JSON rendering, which were most of the cost (bench/stats). The key
 * holds everything the reply depends on: organisation, the caller's scope
 * (which decides 404 vs data) and the year (age bands). PostgreSQL has no
 * cheap data version (0): nothing is cached there.
 */
#define STATS_CACHED 4

static int stats_render(struct http_req *req, struct http_reply *rep, struct err *e);

struct stats_cached {
	uint64_t version;
	int64_t org_id;
	int year;
	char scope[128];
	char *body;
	size_t len;
};

struct stats_cache {
	struct stats_cached e[STATS_CACHED];
	unsigned next;
};

static pthread_key_t stats_key;
static pthread_once_t stats_once = PTHREAD_ONCE_INIT;

static void stats_cache_free(void *p)
{
	struct stats_cache *c = p;

	for (int i = 0; i < STATS_CACHED; i++)
		free(c->e[i].body);
	free(c);
}

static void stats_cache_init(void)
{
	if (pthread_key_create(&stats_key, stats_cache_free))
		BUG("pthread_key_create failed");
}

static struct stats_cached *stats_cache_find(uint64_t version, int64_t org_id, int year, const char *scope)
{
	struct stats_cache *c;

	if (pthread_once(&stats_once, stats_cache_init))
		BUG("pthread_once failed");
	if (!(c = pthread_getspecific(stats_key)))
		return NULL;
	for (int i = 0; i < STATS_CACHED; i++) {
		struct stats_cached *x = &c->e[i];
		if (x->body && x->version == version && x->org_id == org_id && x->year == year &&
		    !strcmp(x->scope, scope))
			return x;
	}
	return NULL;
}

static void stats_cache_put(uint64_t version, int64_t org_id, int year, const char *scope, const char *body,
			    size_t len)
{
	struct stats_cache *c = pthread_getspecific(stats_key);
	struct stats_cached *x;

	if (strlen(scope) >= sizeof(x->scope))
		return;
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(stats_key, c)) {
			free(c);
			return;
		}
	}
	x = &c->e[c->next++ % STATS_CACHED];
	free(x->body);
	x->body = xmalloc(len);
	memcpy(x->body, body, len);
	x->len = len;
	x->version = version;
	x->org_id = org_id;
	x->year = year;
	snprintf(x->scope, sizeof(x->scope), "%s", scope);
}

static int h_stats(struct http_req *req, struct http_reply *rep, struct err *e)
{
	uint64_t version = store_data_version(req->db);
	int year = req_today(req).y;
	const char *scope = req_scope(req) ? req_scope(req) : "";
	struct stats_cached *hit;

	if (version && (hit = stats_cache_find(version, req->params[0], year, scope))) {
		rep->status = 200;
		rep->content_type = "application/json; charset=utf-8";
		rep->body = xmalloc(hit->len);
		memcpy(rep->body, hit->body, hit->len);
		rep->body_len = hit->len;
		return 0;
	}
	if (stats_render(req, rep, e) < 0)
		return -1;
	if (version)
		stats_cache_put(version, req->params[0], year, scope, rep->body, rep->body_len);
	return 0;
}

static int stats_render(struct http_req *req, struct http_reply *rep, struct err *e)
{
	static const char *const dims[] = { "status",    "gender",    "category",
					    "education", "ethnicity", "birth_year" };
	struct org_stat *rows;
	struct jsonw w = JSONW_INIT;
	size_t n;
	int64_t total = 0;

	if (store_org_stats(req->db, req->arena, req_scope(req), req->params[0], &rows, &n, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "org_id", req->params[0]);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].dim, "status"))
			total += rows[i].n;
	jsonw_kv_int(&w, "members", total);
	for (size_t d = 0; d < ARRAY_SIZE(dims); d++) {
		jsonw_key(&w, arena_printf(req->arena, "by_%s", dims[d]));
		jsonw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const char *label;
			if (strcmp(rows[i].dim, dims[d]) != 0)
				continue;
			label = stat_label(dims[d], rows[i].key);
			jsonw_object_begin(&w);
			jsonw_kv_str(&w, "key", rows[i].key);
			jsonw_kv_str(&w, "label", label ? label : rows[i].key);
			jsonw_kv_int(&w, "n", rows[i].n);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
	}
	jsonw_key(&w, "by_age_band");
	age_bands(&w, rows, n, req_today(req).y);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

const struct route org_routes[] = {
	{ "GET", "/api/v1/orgs/{id}/stats", h_stats, 0, PERM_ORG_READ },
	{ "GET", "/api/v1/orgs", h_list, 0, PERM_ORG_READ },
	{ "POST", "/api/v1/orgs", h_create, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/orgs/{id}", h_get, 0, PERM_ORG_READ },
	{ "PATCH", "/api/v1/orgs/{id}", h_update, 0, PERM_ORG_WRITE },
	{ "DELETE", "/api/v1/orgs/{id}", h_delete, 0, PERM_ORG_WRITE },
	{ "GET", "/api/v1/orgs/{id}/children", h_children, 0, PERM_ORG_READ },
	{ "PUT", "/api/v1/orgs/{id}/committee", h_committee, 0, PERM_ORG_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
