/*
 * lifecycle.c: where a member record stands (RULES.md 4.3, 6.3): state
 * changes with their history, moves between organisations (transfers) and
 * the count of full members an organisation's votes are checked against.
 * The figures follow: only active and lost members are counted.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "core/lifecycle.h"
#include "util/arena.h"
#include "util/err.h"

static const char SQL_SET_STATE[] =
	"UPDATE members SET state = ?, state_on = ?, state_code = ?, updated_at = ? WHERE id = ?";
static const char SQL_EVENT_ADD[] =
	"INSERT INTO member_states (member_id, from_state, to_state, code, happened_on, basis, approved_by,"
	" approved_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* "正常 → 已出党（死亡）" for the member's history. */
static void state_detail(int from, int to, const char *code, char *out, size_t n)
{
	const char *f = enum_label(member_state_enum, from ? from : MSTATE_ACTIVE);
	const char *t = enum_label(member_state_enum, to);
	const char *why = NULL;

	if (code && *code) {
		why = enum_label(exit_reason_enum, enum_from_json(exit_reason_enum, code));
		if (!why)
			why = enum_label(lost_situation_enum, enum_from_json(lost_situation_enum, code));
		if (!why)
			why = code;
	}
	if (why)
		snprintf(out, n, "%s → %s（%s）", f ? f : "?", t ? t : "?", why);
	else
		snprintf(out, n, "%s → %s", f ? f : "?", t ? t : "?");
}

int store_member_set_state(struct sconn *c, const struct actor *who, struct member_state_event *ev,
			   struct err *e)
{
	struct q q = Q_INIT;
	struct member old;
	char now[21], path[256], detail[256];
	const char *to = enum_json(member_state_enum, ev->to_state);
	bool active = ev->to_state == MSTATE_ACTIVE;
	int rc = -1, r;

	assert(to);
	if (member_stored(c, ev->member_id, &old, path, e) < 0)
		goto out;
	ev->from_state = old.state ? old.state : MSTATE_ACTIVE;
	store_now(now);
	/* An active member has no "since" nor code: those describe the other states. */
	if (q_prepare(&q, c->db, SQL_SET_STATE, e) < 0)
		goto out;
	q_text(&q, to);
	if (active) {
		q_null(&q);
		q_null(&q);
	} else {
		q_date(&q, ev->on);
		q_opt_text(&q, ev->code);
	}
	q_text(&q, now);
	q_int(&q, ev->member_id);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);

	if (q_prepare(&q, c->db, SQL_EVENT_ADD, e) < 0)
		goto out;
	q_int(&q, ev->member_id);
	q_text(&q, enum_json(member_state_enum, ev->from_state));
	q_text(&q, to);
	q_opt_text(&q, ev->code);
	q_date(&q, ev->on);
	q_text(&q, ev->basis ? ev->basis : "");
	q_opt_text(&q, ev->approved_by);
	q_date(&q, ev->approved_on);
	q_text(&q, who->name);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	ev->id = q_col_int(&q, 0);
	ev->created_by = who->name;
	q_finish(&q);

	state_detail(ev->from_state, ev->to_state, ev->code, detail, sizeof(detail));
	if (store_member_history_add(c, who, ev->member_id, "state", 0, 0, detail, e) < 0)
		goto out;
	if (member_counted(ev->from_state) != member_counted(ev->to_state) &&
	    stats_member(c, path, old.org_id, &old, member_counted(ev->to_state) ? +1 : -1, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_EVENTS[] =
	"SELECT id, member_id, from_state, to_state, code, happened_on, basis, approved_by, approved_on,"
	" created_by, created_at FROM member_states WHERE member_id = ? ORDER BY id";

static void read_event(struct q *q, struct arena *a, void *elem)
{
	struct member_state_event *x = elem;

	memset(x, 0, sizeof(*x));
	x->id = q_col_int(q, 0);
	x->member_id = q_col_int(q, 1);
	x->from_state = enum_from_json(member_state_enum, q_col_text(q, 2));
	x->to_state = enum_from_json(member_state_enum, q_col_text(q, 3));
	x->code = q_null_at(q, 4) ? NULL : q_col_dup(q, 4, a);
	x->on = q_col_date(q, 5);
	x->basis = q_col_dup(q, 6, a);
	x->approved_by = q_null_at(q, 7) ? NULL : q_col_dup(q, 7, a);
	x->approved_on = q_col_date(q, 8);
	x->created_by = q_col_dup(q, 9, a);
	x->created_at = q_col_dup(q, 10, a);
}

int store_member_state_events(struct sconn *c, struct arena *a, int64_t member_id,
			      struct member_state_event **out, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_EVENTS, e) < 0)
		return -1;
	q_int(&q, member_id);
	return q_collect(&q, a, sizeof(**out), read_event, (void **)out, n_out, e);
}

static const char SQL_MOVE[] = "UPDATE members SET org_id = ?, org_path = ?, updated_at = ? WHERE id = ?";
static const char SQL_POSTS_END[] = "DELETE FROM org_committee WHERE member_id = ? AND org_id = ?";

int store_member_move(struct sconn *c, const struct actor *who, int64_t member_id, int64_t to_org_id,
		      const char *detail, struct err *e)
{
	struct q q = Q_INIT;
	struct member old;
	char now[21], old_path[256], path[256];
	int rc = -1;

	if (member_stored(c, member_id, &old, old_path, e) < 0 || member_org_path(c, to_org_id, path, e) < 0)
		goto out;
	store_now(now);
	if (q_prepare(&q, c->db, SQL_MOVE, e) < 0)
		goto out;
	q_int(&q, to_org_id);
	q_text(&q, path);
	q_text(&q, now);
	q_int(&q, member_id);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	if (member_counted(old.state) && (stats_member(c, old_path, old.org_id, &old, -1, e) < 0 ||
					  stats_member(c, path, to_org_id, &old, +1, e) < 0))
		goto out;
	/* Posts are held in an organisation: they end when the member leaves it. */
	if (old.org_id != to_org_id) {
		if (q_prepare(&q, c->db, SQL_POSTS_END, e) < 0)
			goto out;
		q_int(&q, member_id);
		q_int(&q, old.org_id);
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
	}
	if (store_member_history_add(c, who, member_id, "moved", old.org_id, to_org_id, detail, e) < 0)
		goto out;
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

static const char SQL_FULL_MEMBERS[] =
	"SELECT COUNT(*) FROM members m WHERE m.org_id = ? AND m.status = 'full' AND " MEMBER_COUNTED_SQL;

int store_org_full_members(struct sconn *c, int64_t org_id, int *n_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*n_out = 0;
	if (q_prepare(&q, c->db, SQL_FULL_MEMBERS, e) < 0)
		return -1;
	q_int(&q, org_id);
	r = q_step(&q, e);
	if (r == 1)
		*n_out = (int)q_col_int(&q, 0);
	q_finish(&q);
	return r < 0 ? -1 : 0;
}
