/*
 * orgs.c: organisations in the store: the tree as materialised paths
 * of zero-padded ids ("/0000000001/0000000005/"), subtree ranges, moves that rewrite a subtree's paths, and
 * the branch committee.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define ORG_COLS \
	"o.id, o.parent_id, o.name, o.path, o.type, o.field, o.elected_on, o.term_years," \
	" o.remarks, o.sort_order," \
	" (SELECT COALESCE(SUM(n), 0) FROM org_stats s WHERE s.org_id = o.id AND s.dim = 'direct' AND s.key = 'full')," \
	" (SELECT COALESCE(SUM(n), 0) FROM org_stats s WHERE s.org_id = o.id AND s.dim = 'direct' AND s.key = 'probationary')," \
	" (SELECT COUNT(*) FROM orgs ch WHERE ch.parent_id = o.id)," \
	" (SELECT COUNT(*) FROM org_committee oc WHERE oc.org_id = o.id)," \
	" (SELECT oc.member_id FROM org_committee oc WHERE oc.org_id = o.id AND oc.role = 'secretary' LIMIT 1)," \
	" (SELECT m.name FROM org_committee oc JOIN members m ON m.id = oc.member_id" \
	"   WHERE oc.org_id = o.id AND oc.role = 'secretary' LIMIT 1)"

#define SUBTREE_COUNT \
	" (SELECT COALESCE(SUM(n), 0) FROM org_stats s WHERE s.org_id = o.id AND s.dim = 'status')"

static const char SQL_GET[] =
	"SELECT " ORG_COLS "," SUBTREE_COUNT " FROM orgs o WHERE o.id = ? AND o.path >= ? AND o.path < ?";
static const char SQL_SUBTREE[] =
	"SELECT " ORG_COLS " FROM orgs o WHERE o.path >= ? AND o.path < ? ORDER BY o.path";
static const char SQL_CHILDREN[] =
	"SELECT " ORG_COLS "," SUBTREE_COUNT " FROM orgs o WHERE o.parent_id = ? ORDER BY o.sort_order, o.id";

static void read_org(struct q *q, struct arena *a, struct org *o)
{
	memset(o, 0, sizeof(*o));
	o->id = q_col_int(q, 0);
	o->parent_id = q_null_at(q, 1) ? 0 : q_col_int(q, 1);
	o->name = q_col_dup(q, 2, a);
	o->path = q_col_dup(q, 3, a);
	o->type = enum_from_json(org_type_enum, q_col_text(q, 4));
	o->field = enum_from_json(org_field_enum, q_col_text(q, 5));
	o->elected_on = q_col_date(q, 6);
	o->term_years = (int)q_col_int(q, 7);
	o->remarks = q_col_dup(q, 8, a);
	o->sort_order = (int)q_col_int(q, 9);
	o->full_count = (int)q_col_int(q, 10);
	o->probationary_count = (int)q_col_int(q, 11);
	o->children = (int)q_col_int(q, 12);
	o->committee_size = (int)q_col_int(q, 13);
	o->secretary_id = q_null_at(q, 14) ? 0 : q_col_int(q, 14);
	o->secretary_name = q_null_at(q, 15) ? NULL : q_col_dup(q, 15, a);
	o->subtree_members = o->full_count + o->probationary_count;
}

int store_org_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct org *out,
		  struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	if (!scope)
		scope = "/";
	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		goto out;
	q_int(&q, id);
	q_text(&q, scope);
	q_text(&q, store_path_hi(a, scope));
	r = q_step(&q, e);
	if (r < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "党组织不存在");
		goto out;
	}
	read_org(&q, a, out);
	out->subtree_members = (int)q_col_int(&q, 16);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static int cmp_id(const void *x, const void *y)
{
	int64_t a = ((const int64_t *)x)[0], b = ((const int64_t *)y)[0];
	return a < b ? -1 : a > b;
}

/* Adds each organisation's members to all its ancestors within the list. */
static void sum_subtrees(struct org_list *l)
{
	int64_t(*ix)[2] = xmalloc(l->n * sizeof(*ix) + 1);

	for (size_t i = 0; i < l->n; i++) {
		ix[i][0] = l->items[i].id;
		ix[i][1] = (int64_t)i;
	}
	qsort(ix, l->n, sizeof(*ix), cmp_id);
	/* Paths sort parents first, so walking backwards finishes children first. */
	for (size_t i = l->n; i-- > 0;) {
		int64_t key[2] = { l->items[i].parent_id, 0 };
		int64_t(*hit)[2] = bsearch(key, ix, l->n, sizeof(*ix), cmp_id);
		if (hit)
			l->items[(*hit)[1]].subtree_members += l->items[i].subtree_members;
	}
	free(ix);
}

static int list_orgs(struct sconn *c, struct arena *a, const char *sql, const char *root, int64_t parent,
		     struct org_list *out, struct err *e)
{
	struct q q = Q_INIT;
	size_t cap = 64;
	int rc = -1, r;

	out->n = 0;
	out->items = arena_alloc(a, cap * sizeof(*out->items));
	if (q_prepare(&q, c->db, sql, e) < 0)
		goto out;
	if (root) {
		q_text(&q, root);
		q_text(&q, store_path_hi(a, root));
	} else {
		q_int(&q, parent);
	}
	while ((r = q_step(&q, e)) == 1) {
		out->items = arena_grow(a, out->items, sizeof(*out->items), out->n, &cap);
		read_org(&q, a, &out->items[out->n]);
		if (!root)
			out->items[out->n].subtree_members = (int)q_col_int(&q, 16);
		out->n++;
	}
	if (r < 0)
		goto out;
	if (root)
		sum_subtrees(out);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_org_subtree(struct sconn *c, struct arena *a, const char *root, struct org_list *out, struct err *e)
{
	return list_orgs(c, a, SQL_SUBTREE, root ? root : "/", 0, out, e);
}

int store_org_children(struct sconn *c, struct arena *a, int64_t id, struct org_list *out, struct err *e)
{
	return list_orgs(c, a, SQL_CHILDREN, NULL, id, out, e);
}

static const char SQL_PATH_OF[] = "SELECT path FROM orgs WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO orgs (parent_id, name, path, type, field, elected_on, term_years, remarks,"
	" sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_SET_PATH[] = "UPDATE orgs SET path = ? WHERE id = ?";
static const char SQL_SIBLING[] =
	"SELECT id FROM orgs WHERE COALESCE(parent_id, 0) = ? AND name = ? AND id <> ?";

static int path_of(struct sconn *c, struct arena *a, int64_t id, char **out, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	if (q_prepare(&q, c->db, SQL_PATH_OF, e) < 0)
		goto out;
	q_int(&q, id);
	r = q_step(&q, e);
	if (r < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_NOT_FOUND, NULL, "党组织不存在");
		goto out;
	}
	*out = q_col_dup(&q, 0, a);
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static int check_sibling_name(struct sconn *c, int64_t parent, const char *name, int64_t self, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, SQL_SIBLING, e) < 0)
		return -1;
	q_int(&q, parent);
	q_text(&q, name);
	q_int(&q, self);
	r = q_step(&q, e);
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 1)
		return err_set(e, ERR_CONFLICT, "conflict", "同一上级下已有名为“%s”的党组织", name);
	return 0;
}

int store_org_insert(struct sconn *c, struct arena *a, struct org *o, struct err *e)
{
	struct q q = Q_INIT;
	char *parent_path = NULL, now[21], tmp[40], rnd[8];
	int rc = -1, r;

	if (o->parent_id && path_of(c, a, o->parent_id, &parent_path, e) < 0)
		goto out;
	if (check_sibling_name(c, o->parent_id, o->name, 0, e) < 0)
		goto out;
	store_now(now);
	crypto_random(rnd, sizeof(rnd));
	crypto_hex((unsigned char *)rnd, sizeof(rnd), tmp + 4);
	memcpy(tmp, "new:", 4);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	q_id(&q, o->parent_id);
	q_text(&q, o->name);
	q_text(&q, tmp);
	q_text(&q, enum_json(org_type_enum, o->type));
	q_text(&q, enum_json(org_field_enum, o->field));
	q_date(&q, o->elected_on);
	q_int(&q, o->term_years);
	q_text(&q, o->remarks ? o->remarks : "");
	q_int(&q, o->sort_order);
	q_text(&q, now);
	q_text(&q, now);
	r = q_step(&q, e);
	if (r <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	o->id = q_col_int(&q, 0);
	q_finish(&q);
	o->path = arena_printf(a, "%s%010lld/", parent_path ? parent_path : "/", (long long)o->id);
	if (q_prepare(&q, c->db, SQL_SET_PATH, e) < 0)
		goto out;
	q_text(&q, o->path);
	q_int(&q, o->id);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_UPDATE[] =
	"UPDATE orgs SET name = ?, field = ?, elected_on = ?, term_years = ?, remarks = ?,"
	" sort_order = ?, updated_at = ? WHERE id = ?";

int store_org_update(struct sconn *c, const struct org *o, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	if (check_sibling_name(c, o->parent_id, o->name, o->id, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	q_text(&q, o->name);
	q_text(&q, enum_json(org_field_enum, o->field));
	q_date(&q, o->elected_on);
	q_int(&q, o->term_years);
	q_text(&q, o->remarks ? o->remarks : "");
	q_int(&q, o->sort_order);
	q_text(&q, now);
	q_int(&q, o->id);
	if (q_step(&q, e) < 0)
		goto out;
	store_auth_changed(c, NULL); /* users' sessions carry their organisation's name */
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_NAME_OF[] = "SELECT name FROM orgs WHERE id = ?";
static const char SQL_MOVE_PATHS[] =
	"UPDATE orgs SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?";
static const char SQL_MOVE_MEMBER_PATHS[] =
	"UPDATE members SET org_path = ? || substr(org_path, ?) WHERE org_path >= ? AND org_path < ?";
static const char SQL_SET_PARENT[] = "UPDATE orgs SET parent_id = ?, updated_at = ? WHERE id = ?";

int store_org_move(struct sconn *c, struct arena *a, int64_t id, int64_t new_parent, struct err *e)
{
	struct q q = Q_INIT;
	char *old_path = NULL, *parent_path = NULL, *new_path, *name = NULL, now[21];
	int rc = -1, r;

	if (path_of(c, a, id, &old_path, e) < 0 || path_of(c, a, new_parent, &parent_path, e) < 0)
		goto out;
	if (!strncmp(parent_path, old_path, strlen(old_path))) {
		err_set(e, ERR_CONFLICT, "org_cycle", "不能移动到自身或其下级党组织之下");
		goto out;
	}
	if (q_prepare(&q, c->db, SQL_NAME_OF, e) < 0)
		goto out;
	q_int(&q, id);
	if ((r = q_step(&q, e)) <= 0)
		goto out;
	name = q_col_dup(&q, 0, a);
	q_finish(&q);
	if (check_sibling_name(c, new_parent, name, id, e) < 0)
		goto out;
	new_path = arena_printf(a, "%s%010lld/", parent_path, (long long)id);
	c->path_cache_org = 0;
	/* A bulk load's sums roll up the paths they saw: after a move the commit rebuilds instead. */
	if (c->figures)
		bulk_figures_discard(c->figures);
	if (q_prepare(&q, c->db, SQL_MOVE_PATHS, e) < 0)
		goto out;
	q_text(&q, new_path);
	q_int(&q, (int64_t)strlen(old_path) + 1);
	q_text(&q, old_path);
	q_text(&q, store_path_hi(a, old_path));
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	if (q_prepare(&q, c->db, SQL_MOVE_MEMBER_PATHS, e) < 0)
		goto out;
	q_text(&q, new_path);
	q_int(&q, (int64_t)strlen(old_path) + 1);
	q_text(&q, old_path);
	q_text(&q, store_path_hi(a, old_path));
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	if (stats_move_org(c, a, id, old_path, new_path, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_SET_PARENT, e) < 0)
		goto out;
	q_int(&q, new_parent);
	q_text(&q, now);
	q_int(&q, id);
	if (q_step(&q, e) < 0)
		goto out;
	store_auth_changed(c, NULL); /* sessions carry their organisation's path: every request's scope */
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_USAGE[] =
	"SELECT (SELECT COUNT(*) FROM members WHERE org_id = ?), (SELECT COUNT(*) FROM orgs WHERE parent_id = ?),"
	" (SELECT COUNT(*) FROM users WHERE org_id = ?)";
static const char SQL_DELETE[] = "DELETE FROM orgs WHERE id = ?";

int store_org_delete(struct sconn *c, int64_t id, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1, r;

	if (q_prepare(&q, c->db, SQL_USAGE, e) < 0)
		goto out;
	q_int(&q, id);
	q_int(&q, id);
	q_int(&q, id);
	if ((r = q_step(&q, e)) <= 0)
		goto out;
	if (q_col_int(&q, 0) > 0) {
		err_set(e, ERR_CONFLICT, "org_not_empty", "该党组织还有%lld名党员，不能撤销",
			(long long)q_col_int(&q, 0));
		goto out;
	}
	if (q_col_int(&q, 1) > 0) {
		err_set(e, ERR_CONFLICT, "org_not_empty", "该党组织还有%lld个下级组织，不能撤销",
			(long long)q_col_int(&q, 1));
		goto out;
	}
	if (q_col_int(&q, 2) > 0) {
		err_set(e, ERR_CONFLICT, "org_not_empty", "该党组织还有%lld个用户账号，不能撤销",
			(long long)q_col_int(&q, 2));
		goto out;
	}
	q_finish(&q);
	c->path_cache_org = 0;
	if (q_prepare(&q, c->db, SQL_DELETE, e) < 0)
		goto out;
	q_int(&q, id);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_FIND_NAME[] =
	"SELECT id FROM orgs WHERE name = ? AND path >= ? AND path < ? ORDER BY path LIMIT 2";
static const char SQL_FIND_CHILD[] =
	"SELECT id, path FROM orgs WHERE COALESCE(parent_id, 0) = ? AND name = ?";

int store_org_find(struct sconn *c, struct arena *a, const char *scope, const char *text, int64_t *id_out,
		   struct err *e)
{
	struct q q = Q_INIT;
	char *copy, *part, *save = NULL;
	int64_t parent = 0, found = 0;
	const char *path = NULL;
	int rc = -1, r, hits = 0;

	*id_out = 0;
	if (!scope)
		scope = "/";
	if (!strchr(text, '/')) {
		if (q_prepare(&q, c->db, SQL_FIND_NAME, e) < 0)
			goto out;
		q_text(&q, text);
		q_text(&q, scope);
		q_text(&q, store_path_hi(a, scope));
		while ((r = q_step(&q, e)) == 1) {
			found = q_col_int(&q, 0);
			hits++;
		}
		if (r < 0)
			goto out;
		*id_out = hits == 1 ? found : 0;
		rc = 0;
		goto out;
	}
	copy = arena_strdup(a, text);
	for (part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		if (q_prepare(&q, c->db, SQL_FIND_CHILD, e) < 0)
			goto out;
		q_int(&q, parent);
		q_text(&q, part);
		r = q_step(&q, e);
		if (r < 0)
			goto out;
		if (r == 0) {
			rc = 0;
			goto out;
		}
		parent = q_col_int(&q, 0);
		path = q_col_dup(&q, 1, a);
		q_finish(&q);
	}
	/* Only inside the caller's subtree. */
	if (path && !strncmp(path, scope, strlen(scope)))
		*id_out = parent;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_org_path_text(struct sconn *c, struct arena *a, int64_t id, char **out, struct err *e)
{
	struct q q = Q_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *path = NULL, *p, *end;
	int rc = -1, r;

	if (path_of(c, a, id, &path, e) < 0)
		goto out;
	for (p = path + 1; *p; p = end + 1) {
		long long part = strtoll(p, &end, 10);
		if (*end != '/')
			break;
		if (q_prepare(&q, c->db, SQL_NAME_OF, e) < 0)
			goto out;
		q_int(&q, part);
		if ((r = q_step(&q, e)) < 0)
			goto out;
		if (sb.len)
			strbuf_addch(&sb, '/');
		strbuf_addstr(&sb, r ? q_col_text(&q, 0) : "?");
		q_finish(&q);
	}
	*out = arena_strdup(a, sb.buf);
	rc = 0;
out:
	q_finish(&q);
	strbuf_release(&sb);
	return rc;
}

static const char SQL_COMMITTEE[] =
	"SELECT oc.member_id, m.name, oc.role FROM org_committee oc JOIN members m ON m.id = oc.member_id"
	" WHERE oc.org_id = ? ORDER BY CASE oc.role WHEN 'secretary' THEN 1 WHEN 'deputy_secretary' THEN 2"
	" WHEN 'organization' THEN 3 WHEN 'publicity' THEN 4 WHEN 'discipline' THEN 5 ELSE 6 END, m.name";
static const char SQL_COMMITTEE_CLEAR[] = "DELETE FROM org_committee WHERE org_id = ?";
static const char SQL_COMMITTEE_ADD[] =
	"INSERT INTO org_committee (org_id, member_id, role) VALUES (?, ?, ?)";

int store_committee_get(struct sconn *c, struct arena *a, int64_t org_id, struct committee_entry **out,
			size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;
	size_t cap = 16;
	int rc = -1, r;

	*n_out = 0;
	*out = arena_alloc(a, cap * sizeof(**out));
	if (q_prepare(&q, c->db, SQL_COMMITTEE, e) < 0)
		goto out;
	q_int(&q, org_id);
	while ((r = q_step(&q, e)) == 1 && *n_out < cap) {
		struct committee_entry *x = &(*out)[(*n_out)++];
		x->member_id = q_col_int(&q, 0);
		x->name = q_col_dup(&q, 1, a);
		x->role = enum_from_json(committee_role_enum, q_col_text(&q, 2));
	}
	if (r < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_committee_set(struct sconn *c, int64_t org_id, const struct committee_entry *v, size_t n,
			struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1;

	if (q_prepare(&q, c->db, SQL_COMMITTEE_CLEAR, e) < 0)
		goto out;
	q_int(&q, org_id);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	for (size_t i = 0; i < n; i++) {
		if (q_prepare(&q, c->db, SQL_COMMITTEE_ADD, e) < 0)
			goto out;
		q_int(&q, org_id);
		q_int(&q, v[i].member_id);
		q_text(&q, enum_json(committee_role_enum, v[i].role));
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}
