/*
 * member_io.c: member import/export against the store (see member_io.h).
 */
#include "util/common.h"
#include "io/member_io.h"
#include "io/member_export.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/err.h"
#include "util/strbuf.h"

/* Files of at least this size (about 2,000 rows) recompute the organisation figures once at the end. */
#define BULK_BYTES (256 * 1024)

struct io_ctx {
	struct sconn *c;
	struct err dberr; /* a database failure inside a callback (not "not found") */
	struct arena *a;
	const char *scope;
	/* id -> '/'-joined path from the root, for the export */
	int64_t *ids;
	const char **paths;
	size_t n;
};

static int resolve_org(void *ctx, const char *text, int64_t *org_id_out)
{
	struct io_ctx *x = ctx;
	struct err e = ERR_INIT;
	int rc = store_org_find(x->c, x->a, x->scope, text, org_id_out, &e);

	if (rc < 0 && !err_is_set(&x->dberr))
		x->dberr = e;
	else
		err_release(&e);
	return rc < 0 || !*org_id_out ? -1 : 0;
}

static bool id_card_exists(void *ctx, const char *id_card)
{
	struct io_ctx *x = ctx;
	struct err e = ERR_INIT;
	int64_t id = 0;

	if (store_member_find_id_card(x->c, id_card, &id, &e) < 0 && !err_is_set(&x->dberr))
		x->dberr = e;
	else
		err_release(&e);
	return id != 0;
}

int member_io_import(struct sconn *c, struct arena *a, const char *data, size_t len,
		     const struct member_io_import_opts *o, struct member_import_result *r, size_t *imported,
		     struct err *e)
{
	struct member_import_opts io = { 0 };
	struct member_rules rules;
	struct io_ctx ctx = { .c = c, .a = a, .scope = o->scope };
	const char *detail;
	unsigned char digest[SM3_LEN];
	char hex[2 * SM3_LEN + 1];
	bool bulk, any;

	*imported = 0;
	member_rules_default(&rules);
	if (o->min_join_age)
		rules.min_join_age = o->min_join_age;
	io.today = o->today;
	io.default_org_id = o->default_org_id;
	io.allow_15 = true;
	io.rules = &rules;
	io.resolve_org = resolve_org;
	io.id_card_exists = id_card_exists;
	io.ctx = &ctx;
	/*
	 * One transaction from the first lookup to the last insert: the duplicate and
	 * organisation checks see exactly the data the rows are written into, and the
	 * lookups need no locking of their own. Large files skip the per-row upkeep of
	 * the figures and recompute them once before committing.
	 */
	bulk = len >= BULK_BYTES;
	if ((bulk ? store_bulk_begin(c, e) : store_begin(c, e)) < 0)
		return -1;
	/* The first load into an empty table (a unit's whole membership) has no number to look
	 * up; duplicates within the file are still found. SQLite's write lock keeps the table
	 * empty; on PostgreSQL the unique index refuses the import if a member came meanwhile. */
	if (store_member_any(c, &any, e) < 0)
		goto fail;
	if (!any)
		io.id_card_exists = NULL;
	if (member_import_file(data, len, &io, a, r, e) < 0)
		goto fail;
	if (err_is_set(&ctx.dberr)) {
		/* The report would be wrong: a lookup failed, not the file. */
		err_clear(e);
		*e = ctx.dberr;
		goto fail;
	}
	if (r->nerrors && !o->skip_invalid) {
		err_set(e, ERR_VALIDATION, "import_invalid", "文件中有%zu行数据有误，未导入任何数据",
			r->ninvalid_rows);
		goto fail;
	}
	if (o->dry_run || !r->nmembers) {
		store_rollback(c);
		return 0;
	}
	detail = o->filename ? arena_printf(a, "批量导入：%s", o->filename) : "批量导入";
	if (store_member_insert_many(c, o->who, r->members, r->nmembers, detail, e) < 0)
		goto fail;
	/* One audit row for the whole import: who, which file (its SM3 digest), which ids. */
	crypto_sm3(data, len, digest);
	crypto_hex(digest, sizeof(digest), hex);
	if (store_audit(c, o->who, "member.import", "member", 0, NULL,
			arena_printf(a,
				     "{\"rows\":%zu,\"first_id\":%lld,\"last_id\":%lld,\"file_sm3\":\"%s\"}",
				     r->nmembers, (long long)r->members[0].id,
				     (long long)r->members[r->nmembers - 1].id, hex),
			e) < 0)
		goto fail;
	if ((bulk ? store_bulk_commit(c, e) : store_commit(c, e)) < 0)
		goto fail;
	*imported = r->nmembers;
	return 0;
fail:
	store_rollback(c);
	return -1;
}

static const char *org_path_cb(void *ctx, int64_t org_id)
{
	struct io_ctx *x = ctx;

	for (size_t i = x->n; i-- > 0;)
		if (x->ids[i] == org_id)
			return x->paths[i];
	return NULL;
}

/* id -> path text for every organisation in the subtree rooted at `root`. */
static int build_paths(struct io_ctx *x, const struct org *root, struct err *e)
{
	struct org_list l;
	char *root_text;

	if (store_org_path_text(x->c, x->a, root->id, &root_text, e) < 0 ||
	    store_org_subtree(x->c, x->a, root->path, &l, e) < 0)
		return -1;
	x->ids = arena_alloc(x->a, (l.n + 1) * sizeof(*x->ids));
	x->paths = arena_alloc(x->a, (l.n + 1) * sizeof(*x->paths));
	for (size_t i = 0; i < l.n; i++) {
		const char *parent = i == 0 ? NULL : org_path_cb(x, l.items[i].parent_id);
		x->paths[x->n] = i == 0 ? root_text
					: arena_printf(x->a, "%s/%s", parent ? parent : "", l.items[i].name);
		x->ids[x->n] = l.items[i].id;
		x->n++;
	}
	return 0;
}

int member_io_export(struct sconn *c, struct arena *a, const struct member_io_export_opts *o,
		     struct strbuf *out, size_t *rows_out, struct err *e)
{
	struct member_query mq = *o->query;
	struct member_page p;
	struct member_export_opts eo = { 0 };
	struct io_ctx ctx = { .c = c, .a = a, .scope = mq.scope };
	struct org root;

	*rows_out = 0;
	mq.unpaged = true;
	mq.reveal = o->reveal; /* in the list's own query: one round trip, not one per member */
	if (store_org_get(c, a, mq.scope, o->root_org_id, &root, e) < 0 || build_paths(&ctx, &root, e) < 0 ||
	    store_member_list(c, a, &mq, &p, e) < 0)
		return -1;
	eo.org_path = org_path_cb;
	eo.ctx = &ctx;
	if (o->xlsx ? member_export_xlsx(p.items, p.n, &eo, out, e) < 0
		    : member_export_csv(p.items, p.n, &eo, out) < 0)
		return -1;
	if (store_begin(c, e) < 0 ||
	    store_audit(c, o->who, "member.export", "org", root.id, NULL,
			arena_printf(a, "{\"format\":\"%s\",\"rows\":%zu,\"reveal\":%s}",
				     o->xlsx ? "xlsx" : "csv", p.n, o->reveal ? "true" : "false"),
			e) < 0 ||
	    store_commit(c, e) < 0) {
		store_rollback(c);
		return -1;
	}
	*rows_out = p.n;
	return 0;
}
