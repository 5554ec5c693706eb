/*
 * users.c: user accounts in the caller's subtree: list, create, change
 * role/organisation, disable, reset password, unlock. An org_admin cannot
 * create or promote admins; nobody changes their own role or disables
 * themselves.
 */
#include "util/common.h"
#include "core/password.h"
#include "http/member_json.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/crypto.h"

/* GET /api/v1/users?org&page&per_page -> 200 list */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct user_page p;
	int64_t org;
	int page, per_page;
	json_t *items;

	if (param_int(req, "org", 0, 0, INT64_MAX, &org, e) < 0 ||
	    param_page(req, &page, &per_page, NULL, e) < 0 ||
	    store_user_list(req->db, req->arena, req_scope(req), org, page, per_page, &p, e) < 0)
		return -1;
	items = json_array();
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(items, user_json(&p.items[i]));
	return http_reply_json(rep, 200, reply_list(items, p.total, page, per_page));
}

static bool username_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* Checks role, organisation and member link of u against the caller. */
static int check_user(struct http_req *req, const struct user *u, struct err *e)
{
	struct org o;
	struct member m;
	struct err le = ERR_INIT;

	if (!u->role)
		err_field(e, "role", "请选择角色");
	else if (u->role == UROLE_ADMIN && req->user->role != UROLE_ADMIN)
		err_field(e, "role", "只有系统管理员可以设置管理员账号");
	if (!u->display_name || !*u->display_name)
		err_field(e, "display_name", "请填写姓名");
	if (!u->org_id)
		err_field(e, "org_id", "所属党组织不存在");
	else if (store_org_get(req->db, req->arena, req_scope(req), u->org_id, &o, &le) < 0)
		goto lookup_failed;
	if (u->member_id) {
		if (store_member_get(req->db, req->arena, req_scope(req), u->member_id, false, &m, &le) < 0)
			goto lookup_failed;
	} else if (u->role == UROLE_MEMBER) {
		err_field(e, "member_id", "党员账号须关联党员档案");
	}
	return err_is_set(e) ? -1 : 0;
lookup_failed:
	/* Not found is the user's mistake; anything else is the database's. */
	if (le.kind != ERR_NOT_FOUND) {
		err_clear(e);
		*e = le;
		return -1;
	}
	err_field(e, u->member_id && strstr(le.message, "党员") ? "member_id" : "org_id",
		  u->member_id && strstr(le.message, "党员") ? "关联的党员不存在" : "所属党组织不存在");
	return -1;
}

static const char *const create_fields[] = {
	"username", "display_name", "password", "role", "org_id", "member_id", NULL,
};

/* POST /api/v1/users {user} -> 201 user | 409 | 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct user u = { 0 };
	const char *pw = NULL, *why;
	struct actor who = req_actor(req);
	char *hash;
	int r;

	if (json_only(req->json, create_fields, e) < 0)
		return -1;
	json_get_str(req->json, "username", 32, &u.username, e);
	json_get_str(req->json, "display_name", 50, &u.display_name, e);
	json_get_str(req->json, "password", 128, &pw, e);
	json_get_enum(req->json, "role", user_role_enum, &u.role, e);
	json_get_int(req->json, "org_id", 0, INT64_MAX, &u.org_id, e);
	json_get_int(req->json, "member_id", 0, INT64_MAX, &u.member_id, e);
	if (!u.username || !username_ok(u.username))
		err_field(e, "username", "用户名应为3到32位字母、数字或 _ . -");
	if (!pw || (why = password_policy_check(pw)))
		err_field(e, "password", "%s", pw ? why : "请设置初始密码");
	if (check_user(req, &u, e) < 0)
		return -1;
	hash = crypto_password_hash(pw, store_pbkdf2_iterations(req->store));
	r = store_begin(req->db, e) < 0 || store_user_insert(req->db, &u, hash, e) < 0 ||
	    store_audit(req->db, &who, "user.create", "user", u.id, NULL,
			json_text(req->arena, user_json(&u)), e) < 0 ||
	    store_user_get(req->db, req->arena, NULL, u.id, &u, e) < 0 || store_commit(req->db, e) < 0;
	free(hash);
	if (r)
		return -1;
	return http_reply_json(rep, 201, user_json(&u));
}

static const char *const update_fields[] = {
	"display_name", "role", "org_id", "member_id", "disabled", "password", "unlock", NULL,
};

/* PATCH /api/v1/users/{id} {fields} -> 200 user | 403 | 404 | 422 */
static int h_update(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct user u, old;
	const char *pw = NULL, *why, *before;
	bool unlock = false, kill_sessions;
	struct actor who = req_actor(req);
	char *hash = NULL;
	int r;

	if (store_user_get(req->db, req->arena, req_scope(req), req->params[0], &u, e) < 0)
		return -1;
	old = u;
	if (u.role == UROLE_ADMIN && req->user->role != UROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, NULL, "只有系统管理员可以修改管理员账号");
	if (json_only(req->json, update_fields, e) < 0)
		return -1;
	json_get_str(req->json, "display_name", 50, &u.display_name, e);
	json_get_enum(req->json, "role", user_role_enum, &u.role, e);
	json_get_int(req->json, "org_id", 0, INT64_MAX, &u.org_id, e);
	json_get_int(req->json, "member_id", 0, INT64_MAX, &u.member_id, e);
	json_get_bool(req->json, "disabled", &u.disabled, e);
	json_get_str(req->json, "password", 128, &pw, e);
	json_get_bool(req->json, "unlock", &unlock, e);
	if (pw && (why = password_policy_check(pw)))
		err_field(e, "password", "%s", why);
	if (u.id == req->user->id && (u.role != old.role || u.disabled || u.org_id != old.org_id))
		return err_set(e, ERR_FORBIDDEN, NULL, "不能修改自己的角色、组织或停用自己");
	if (check_user(req, &u, e) < 0)
		return -1;
	before = json_text(req->arena, user_json(&old));
	kill_sessions = pw || (u.disabled && !old.disabled);
	if (pw)
		hash = crypto_password_hash(pw, store_pbkdf2_iterations(req->store));
	r = store_begin(req->db, e) < 0 || store_user_update(req->db, &u, hash, e) < 0 ||
	    (unlock && (store_user_set_lock(req->db, u.id, 0, e) < 0 ||
			store_login_failures_clear(req->db, u.id, e) < 0)) ||
	    (kill_sessions && store_sessions_delete_user(req->db, u.id, e) < 0) ||
	    store_audit(req->db, &who,
			pw       ? "user.password_reset"
			: unlock ? "user.unlock"
				 : "user.update",
			"user", u.id, before, json_text(req->arena, user_json(&u)), e) < 0 ||
	    store_user_get(req->db, req->arena, NULL, u.id, &u, e) < 0 || store_commit(req->db, e) < 0;
	free(hash);
	if (r)
		return -1;
	return http_reply_json(rep, 200, user_json(&u));
}

/* GET /api/v1/users/{id} -> 200 user | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct user u;

	if (store_user_get(req->db, req->arena, req_scope(req), req->params[0], &u, e) < 0)
		return -1;
	return http_reply_json(rep, 200, user_json(&u));
}

const struct route user_routes[] = {
	{ "GET", "/api/v1/users", h_list, 0, PERM_USER_ADMIN },
	{ "POST", "/api/v1/users", h_create, 0, PERM_USER_ADMIN },
	{ "GET", "/api/v1/users/{id}", h_get, 0, PERM_USER_ADMIN },
	{ "PATCH", "/api/v1/users/{id}", h_update, 0, PERM_USER_ADMIN },
	{ NULL, NULL, NULL, 0, 0 },
};
