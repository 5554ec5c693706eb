/*
 * audit.c: the tamper-evident audit trail. Each row's hash is HMAC-SM3
 * (audit key) over the previous row's hash and the row's own fields, and
 * audit_head holds the newest id and hash under a keyed seal, so editing,
 * deleting (even the newest rows) or inserting rows without the key file
 * is found by store_audit_verify().
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

static const char SQL_HEAD_LOCK[] = "UPDATE audit_head SET last_id = last_id WHERE id = 1";
static const char SQL_HEAD_GET[] = "SELECT last_id, last_hash, seal FROM audit_head WHERE id = 1";
static const char SQL_HEAD_SET[] = "UPDATE audit_head SET last_id = ?, last_hash = ?, seal = ? WHERE id = 1";
static const char SQL_INSERT[] =
	"INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, before, after,"
	" prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void row_hash(const struct store *s, const char *prev, int64_t id, const char *at, int64_t actor_id,
		     const char *actor, const char *action, const char *entity, int64_t entity_id,
		     const char *before, const char *after, char out[65])
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s\n%lld\n%s\n%lld\n%s\n%s\n%s\n%lld\n", prev, (long long)id, at,
		    (long long)actor_id, actor, action, entity, (long long)entity_id);
	/* Length prefixes keep "a\nb" + "" distinct from "a" + "b". */
	strbuf_addf(&sb, "%zu:%s\n%zu:%s", before ? strlen(before) : 0, before ? before : "",
		    after ? strlen(after) : 0, after ? after : "");
	crypto_hmac_sm3_hex(s->keys.audit, sizeof(s->keys.audit), sb.buf, sb.len, out);
	strbuf_release(&sb);
}

static void head_seal(const struct store *s, int64_t last_id, const char *last_hash, char out[65])
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "head\n%lld\n%s", (long long)last_id, last_hash);

	crypto_hmac_sm3_hex(s->keys.audit, sizeof(s->keys.audit), buf, (size_t)n, out);
}

int store_audit(struct sconn *c, const struct actor *who, const char *action, const char *entity,
		int64_t entity_id, const char *before_json, const char *after_json, struct err *e)
{
	struct q q = Q_INIT;
	char now[21], prev[65] = "", hash[65], seal[65];
	int64_t id = 0;
	int rc = -1, r;

	if (!c->in_tx)
		BUG("audit row outside a transaction");
	if (q_exec_simple(c->db, SQL_HEAD_LOCK, e) < 0)
		goto out;
	if (q_prepare(&q, c->db, SQL_HEAD_GET, e) < 0)
		goto out;
	r = q_step(&q, e);
	if (r < 0)
		goto out;
	if (r == 0) {
		err_set(e, ERR_INTERNAL, NULL, "审计链头缺失");
		goto out;
	}
	id = q_col_int(&q, 0) + 1;
	snprintf(prev, sizeof(prev), "%s", q_col_text(&q, 1));
	q_finish(&q);

	store_now(now);
	row_hash(c->s, prev, id, now, who->user_id, who->name, action, entity, entity_id, before_json,
		 after_json, hash);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	q_int(&q, id);
	q_text(&q, now);
	q_id(&q, who->user_id);
	q_text(&q, who->name);
	q_text(&q, action);
	q_text(&q, entity);
	q_id(&q, entity_id);
	q_text(&q, before_json);
	q_text(&q, after_json);
	q_text(&q, prev);
	q_text(&q, hash);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);

	head_seal(c->s, id, hash, seal);
	if (q_prepare(&q, c->db, SQL_HEAD_SET, e) < 0)
		goto out;
	q_int(&q, id);
	q_text(&q, hash);
	q_text(&q, seal);
	if (q_step(&q, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_ALL[] =
	"SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash"
	" FROM audit_log ORDER BY id";

int store_audit_verify(struct sconn *c, struct audit_check *out, struct err *e)
{
	struct q q = Q_INIT;
	char prev[65] = "", calc[65], seal[65];
	int64_t expect = 1;
	int rc = -1, r;

	memset(out, 0, sizeof(*out));
	if (q_prepare(&q, c->db, SQL_ALL, e) < 0)
		goto out;
	while ((r = q_step(&q, e)) == 1) {
		int64_t id = q_col_int(&q, 0);
		const char *before = q_null_at(&q, 7) ? NULL : q_col_text(&q, 7);
		const char *after = q_null_at(&q, 8) ? NULL : q_col_text(&q, 8);

		out->rows++;
		if (out->first_bad_id)
			continue;
		if (id != expect) {
			out->first_bad_id = id;
			snprintf(out->reason, sizeof(out->reason), "第%lld条之前缺少记录（被删除）",
				 (long long)id);
			continue;
		}
		if (strcmp(q_col_text(&q, 9), prev) != 0) {
			out->first_bad_id = id;
			snprintf(out->reason, sizeof(out->reason), "第%lld条的前序哈希不符", (long long)id);
			continue;
		}
		row_hash(c->s, prev, id, q_col_text(&q, 1), q_col_int(&q, 2), q_col_text(&q, 3),
			 q_col_text(&q, 4), q_col_text(&q, 5), q_col_int(&q, 6), before, after, calc);
		if (strcmp(calc, q_col_text(&q, 10)) != 0) {
			out->first_bad_id = id;
			snprintf(out->reason, sizeof(out->reason), "第%lld条内容被篡改", (long long)id);
			continue;
		}
		snprintf(prev, sizeof(prev), "%s", calc);
		expect = id + 1;
	}
	q_finish(&q);
	if (r < 0)
		goto out;
	if (!out->first_bad_id) {
		if (q_prepare(&q, c->db, SQL_HEAD_GET, e) < 0)
			goto out;
		r = q_step(&q, e);
		if (r < 0)
			goto out;
		if (r == 0 || q_col_int(&q, 0) != expect - 1 || strcmp(q_col_text(&q, 1), prev) != 0) {
			out->first_bad_id = expect;
			snprintf(out->reason, sizeof(out->reason), "最新的审计记录被删除（链头不符）");
		} else if (expect > 1) {
			head_seal(c->s, expect - 1, prev, seal);
			if (strcmp(seal, q_col_text(&q, 2)) != 0) {
				out->first_bad_id = expect - 1;
				snprintf(out->reason, sizeof(out->reason), "审计链头签名不符");
			}
		}
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_LIST[] =
	"SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, hash,"
	" COUNT(*) OVER () FROM audit_log"
	" WHERE (CAST(? AS TEXT) IS NULL OR action = ?) AND (CAST(? AS TEXT) IS NULL OR entity = ?)"
	" AND (CAST(? AS TEXT) IS NULL OR actor = ?) AND (CAST(? AS BIGINT) IS NULL OR entity_id = ?)"
	" AND (CAST(? AS TEXT) IS NULL OR at >= ?) AND (CAST(? AS TEXT) IS NULL OR at < ?)"
	" ORDER BY id DESC LIMIT ? OFFSET ?";

int store_audit_list(struct sconn *c, struct arena *a, const struct audit_query *aq, struct audit_page *out,
		     struct err *e)
{
	struct q q = Q_INIT;
	char *to_next = NULL;
	size_t cap;
	int rc = -1, r;

	memset(out, 0, sizeof(*out));
	if (aq->to && *aq->to) {
		struct date d;
		if (date_parse(aq->to, &d) == 0) {
			to_next = arena_alloc(a, 11);
			date_format(date_add_days(d, 1), to_next);
		}
	}
	cap = (size_t)aq->per_page;
	out->items = arena_zalloc(a, cap * sizeof(*out->items));
	if (q_prepare(&q, c->db, SQL_LIST, e) < 0)
		goto out;
	q_opt_text(&q, aq->action);
	q_opt_text(&q, aq->action);
	q_opt_text(&q, aq->entity);
	q_opt_text(&q, aq->entity);
	q_opt_text(&q, aq->actor);
	q_opt_text(&q, aq->actor);
	q_id(&q, aq->entity_id);
	q_id(&q, aq->entity_id);
	q_opt_text(&q, aq->from);
	q_opt_text(&q, aq->from);
	q_opt_text(&q, to_next);
	q_opt_text(&q, to_next);
	q_int(&q, aq->per_page);
	q_int(&q, (int64_t)(aq->page - 1) * aq->per_page);
	while ((r = q_step(&q, e)) == 1 && out->n < cap) {
		struct audit_entry *x = &out->items[out->n++];
		x->id = q_col_int(&q, 0);
		x->at = q_col_dup(&q, 1, a);
		x->actor_id = q_col_int(&q, 2);
		x->actor = q_col_dup(&q, 3, a);
		x->action = q_col_dup(&q, 4, a);
		x->entity = q_col_dup(&q, 5, a);
		x->entity_id = q_col_int(&q, 6);
		x->before = q_null_at(&q, 7) ? NULL : q_col_dup(&q, 7, a);
		x->after = q_null_at(&q, 8) ? NULL : q_col_dup(&q, 8, a);
		x->hash = q_col_dup(&q, 9, a);
		out->total = q_col_int(&q, 10);
	}
	if (r < 0)
		goto out;
	if (out->n == 0 && aq->page > 1) {
		/* Past the end: still report the total. */
		q_finish(&q);
		struct audit_query first = *aq;
		first.page = 1;
		first.per_page = 1;
		struct audit_page p1;
		if (store_audit_list(c, a, &first, &p1, e) < 0)
			goto out;
		out->total = p1.total;
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}
