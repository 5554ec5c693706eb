/*
 * meetings.c: records of organisational life in the store: meetings with
 * their attendance, decisions (votes checked before they are written) and
 * attached files, and the monthly counts the compliance engine reads.
 */
#include "util/common.h"
#include "core/meeting.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/err.h"

static const char SQL_INSERT[] =
	"INSERT INTO meetings (org_id, type, topic, held_on, start_time, place, host, recorder, agenda, minutes,"
	" status, expected, present, created_by, created_at, updated_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_UPDATE[] =
	"UPDATE meetings SET type = ?, topic = ?, held_on = ?, start_time = ?, place = ?, host = ?, recorder = ?,"
	" agenda = ?, minutes = ?, status = ?, expected = ?, present = ?, updated_at = ? WHERE id = ?";
static const char SQL_ATT_CLEAR[] = "DELETE FROM meeting_attendance WHERE meeting_id = ?";
static const char SQL_ATT_ADD[] =
	"INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, leader) VALUES (?, ?, ?, ?, ?)";
static const char SQL_DEC_CLEAR[] = "DELETE FROM meeting_decisions WHERE meeting_id = ?";
static const char SQL_DEC_ADD[] =
	"INSERT INTO meeting_decisions (meeting_id, title, yes, no, abstain, development, quorum, passed, reason)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void bind_fields(struct q *q, const struct meeting *m)
{
	q_text(q, m->topic);
	q_text(q, m->held_on);
	q_text(q, m->start_time ? m->start_time : "");
	q_text(q, m->place ? m->place : "");
	q_text(q, m->host ? m->host : "");
	q_text(q, m->recorder ? m->recorder : "");
	q_text(q, m->agenda ? m->agenda : "");
	q_text(q, m->minutes ? m->minutes : "");
	q_text(q, m->status);
	q_int(q, m->expected);
	q_int(q, m->present);
}

static int exec_id(struct sconn *c, const char *sql, int64_t id, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (q_prepare(&q, c->db, sql, e) < 0)
		return -1;
	q_int(&q, id);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}

/* Writes the attendees and decisions of m (after clearing the old ones). */
static int write_children(struct sconn *c, const struct meeting *m, struct err *e)
{
	struct q q = Q_INIT;
	int rc = -1;

	if (exec_id(c, SQL_ATT_CLEAR, m->id, e) < 0 || exec_id(c, SQL_DEC_CLEAR, m->id, e) < 0)
		goto out;
	for (size_t i = 0; i < m->nattendees; i++) {
		const struct meeting_attendee *x = &m->attendees[i];
		if (q_prepare(&q, c->db, SQL_ATT_ADD, e) < 0)
			goto out;
		q_int(&q, m->id);
		q_int(&q, x->member_id);
		q_text(&q, enum_json(attendance_enum, x->status));
		q_text(&q, x->reason ? x->reason : "");
		q_int(&q, x->leader);
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
	}
	for (size_t i = 0; i < m->ndecisions; i++) {
		const struct meeting_decision *d = &m->decisions[i];
		if (q_prepare(&q, c->db, SQL_DEC_ADD, e) < 0)
			goto out;
		q_int(&q, m->id);
		q_text(&q, d->title);
		q_int(&q, d->yes);
		q_int(&q, d->no);
		q_int(&q, d->abstain);
		q_int(&q, d->development);
		q_int(&q, d->quorum);
		q_int(&q, d->passed);
		q_text(&q, d->reason ? d->reason : "");
		if (q_step(&q, e) < 0)
			goto out;
		q_finish(&q);
	}
	rc = 0;
out:
	q_finish(&q);
	return rc;
}

int store_meeting_insert(struct sconn *c, struct meeting *m, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1, r;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_INSERT, e) < 0)
		goto out;
	q_int(&q, m->org_id);
	q_text(&q, enum_json(meeting_type_enum, m->type));
	bind_fields(&q, m);
	q_text(&q, m->created_by);
	q_text(&q, now);
	q_text(&q, now);
	if ((r = q_step(&q, e)) <= 0) {
		if (r == 0)
			err_set(e, ERR_INTERNAL, NULL, "数据库错误");
		goto out;
	}
	m->id = q_col_int(&q, 0);
	q_finish(&q);
	rc = write_children(c, m, e);
out:
	q_finish(&q);
	return rc;
}

int store_meeting_update(struct sconn *c, const struct meeting *m, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int rc = -1;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_UPDATE, e) < 0)
		goto out;
	q_text(&q, enum_json(meeting_type_enum, m->type));
	bind_fields(&q, m);
	q_text(&q, now);
	q_int(&q, m->id);
	if (q_step(&q, e) < 0)
		goto out;
	q_finish(&q);
	rc = write_children(c, m, e);
out:
	q_finish(&q);
	return rc;
}

static const char SQL_DELETE[] = "DELETE FROM meetings WHERE id = ?";

int store_meeting_delete(struct sconn *c, int64_t id, struct err *e)
{
	return exec_id(c, SQL_DELETE, id, e);
}

#define MEETING_COLS \
	"m.id, m.org_id, o.name, m.type, m.topic, m.held_on, m.start_time, m.place, m.host, m.recorder," \
	" m.agenda, m.minutes, m.status, m.expected, m.present, m.created_by, m.created_at, m.updated_at"

static void read_meeting(struct q *q, struct arena *a, void *elem)
{
	struct meeting *m = elem;

	memset(m, 0, sizeof(*m));
	m->id = q_col_int(q, 0);
	m->org_id = q_col_int(q, 1);
	m->org_name = q_col_dup(q, 2, a);
	m->type = enum_from_json(meeting_type_enum, q_col_text(q, 3));
	m->topic = q_col_dup(q, 4, a);
	m->held_on = q_col_dup(q, 5, a);
	m->start_time = q_col_dup(q, 6, a);
	m->place = q_col_dup(q, 7, a);
	m->host = q_col_dup(q, 8, a);
	m->recorder = q_col_dup(q, 9, a);
	m->agenda = q_col_dup(q, 10, a);
	m->minutes = q_col_dup(q, 11, a);
	m->status = q_col_dup(q, 12, a);
	m->expected = (int)q_col_int(q, 13);
	m->present = (int)q_col_int(q, 14);
	m->created_by = q_col_dup(q, 15, a);
	m->created_at = q_col_dup(q, 16, a);
	m->updated_at = q_col_dup(q, 17, a);
}

static const char SQL_GET[] = "SELECT " MEETING_COLS " FROM meetings m JOIN orgs o ON o.id = m.org_id"
			      " WHERE m.id = ? AND o.path >= ? AND o.path < ?";
static const char SQL_ATT[] =
	"SELECT a.member_id, mb.name, a.status, a.reason, a.leader FROM meeting_attendance a"
	" JOIN members mb ON mb.id = a.member_id WHERE a.meeting_id = ? ORDER BY mb.org_path, mb.id";
static const char SQL_DEC[] =
	"SELECT id, title, yes, no, abstain, development, quorum, passed, reason FROM meeting_decisions"
	" WHERE meeting_id = ? ORDER BY id";
static const char SQL_FILES[] =
	"SELECT id, meeting_id, size, name, content_type, sm3, created_by, created_at FROM meeting_files"
	" WHERE meeting_id = ? ORDER BY id";

static void read_attendee(struct q *q, struct arena *a, void *elem)
{
	struct meeting_attendee *x = elem;

	x->member_id = q_col_int(q, 0);
	x->name = q_col_dup(q, 1, a);
	x->status = enum_from_json(attendance_enum, q_col_text(q, 2));
	x->reason = q_col_dup(q, 3, a);
	x->leader = q_col_int(q, 4) != 0;
}

static void read_decision(struct q *q, struct arena *a, void *elem)
{
	struct meeting_decision *d = elem;

	d->id = q_col_int(q, 0);
	d->title = q_col_dup(q, 1, a);
	d->yes = (int)q_col_int(q, 2);
	d->no = (int)q_col_int(q, 3);
	d->abstain = (int)q_col_int(q, 4);
	d->development = q_col_int(q, 5) != 0;
	d->quorum = q_col_int(q, 6) != 0;
	d->passed = q_col_int(q, 7) != 0;
	d->reason = q_col_dup(q, 8, a);
}

static void read_file(struct q *q, struct arena *a, void *elem)
{
	struct meeting_file *f = elem;

	f->id = q_col_int(q, 0);
	f->meeting_id = q_col_int(q, 1);
	f->size = q_col_int(q, 2);
	f->name = q_col_dup(q, 3, a);
	f->content_type = q_col_dup(q, 4, a);
	f->sm3 = q_col_dup(q, 5, a);
	f->created_by = q_col_dup(q, 6, a);
	f->created_at = q_col_dup(q, 7, a);
}

static int children(struct sconn *c, struct arena *a, const char *sql, int64_t id, size_t size,
		    void (*read)(struct q *, struct arena *, void *), void **out, size_t *n, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, sql, e) < 0)
		return -1;
	q_int(&q, id);
	return q_collect(&q, a, size, read, out, n, e);
}

int store_meeting_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct meeting *out,
		      struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (!scope)
		scope = "/";
	if (q_prepare(&q, c->db, SQL_GET, e) < 0)
		return -1;
	q_int(&q, id);
	q_text(&q, scope);
	q_text(&q, store_path_hi(a, scope));
	r = q_step(&q, e);
	if (r == 1)
		read_meeting(&q, a, out);
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "会议记录不存在");
	if (children(c, a, SQL_ATT, id, sizeof(*out->attendees), read_attendee, (void **)&out->attendees,
		     &out->nattendees, e) < 0 ||
	    children(c, a, SQL_DEC, id, sizeof(*out->decisions), read_decision, (void **)&out->decisions,
		     &out->ndecisions, e) < 0 ||
	    children(c, a, SQL_FILES, id, sizeof(*out->files), read_file, (void **)&out->files, &out->nfiles,
		     e) < 0)
		return -1;
	return 0;
}

#define LIST_FILTER \
	" FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE o.path >= ? AND o.path < ?" \
	" AND (CAST(? AS TEXT) IS NULL OR m.type = ?) AND (CAST(? AS TEXT) IS NULL OR m.held_on >= ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR m.held_on <= ?)"

static const char SQL_LIST[] =
	"SELECT " MEETING_COLS LIST_FILTER " ORDER BY m.held_on DESC, m.id DESC LIMIT ? OFFSET ?";
static const char SQL_COUNT[] = "SELECT COUNT(*)" LIST_FILTER;

static void bind_list(struct q *q, struct arena *a, const struct meeting_query *mq)
{
	const char *type = mq->type ? enum_json(meeting_type_enum, mq->type) : NULL;

	q_text(q, mq->path);
	q_text(q, store_path_hi(a, mq->path));
	q_opt_text(q, type);
	q_opt_text(q, type);
	q_opt_text(q, mq->from);
	q_opt_text(q, mq->from);
	q_opt_text(q, mq->to);
	q_opt_text(q, mq->to);
}

int store_meeting_list(struct sconn *c, struct arena *a, const struct meeting_query *mq, struct meeting **out,
		       size_t *n_out, int64_t *total_out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	*total_out = 0;
	if (q_prepare(&q, c->db, SQL_COUNT, e) < 0)
		return -1;
	bind_list(&q, a, mq);
	r = q_step(&q, e);
	if (r == 1)
		*total_out = q_col_int(&q, 0);
	q_finish(&q);
	if (r < 0 || q_prepare(&q, c->db, SQL_LIST, e) < 0)
		return -1;
	bind_list(&q, a, mq);
	q_int(&q, mq->per_page > 0 ? mq->per_page : INT32_MAX);
	q_int(&q, mq->per_page > 0 ? (int64_t)(mq->page - 1) * mq->per_page : 0);
	return q_collect(&q, a, sizeof(**out), read_meeting, (void **)out, n_out, e);
}

static const char SQL_COUNTS[] =
	"SELECT m.org_id, m.type, substr(m.held_on, 1, 4) || substr(m.held_on, 6, 2), COUNT(*),"
	" SUM(CASE WHEN m.minutes = '' OR m.topic = '' OR (m.expected = 0 AND NOT EXISTS"
	"   (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id)) THEN 1 ELSE 0 END)"
	" FROM meetings m JOIN orgs o ON o.id = m.org_id"
	" WHERE o.path >= ? AND o.path < ? AND m.status = 'held' AND m.held_on >= ? AND m.held_on <= ?"
	" GROUP BY m.org_id, m.type, substr(m.held_on, 1, 4) || substr(m.held_on, 6, 2)";

static void read_count(struct q *q, struct arena *a, void *elem)
{
	struct meeting_count *x = elem;

	UNUSED(a);
	x->org_id = q_col_int(q, 0);
	x->type = enum_from_json(meeting_type_enum, q_col_text(q, 1));
	x->month = atoi(q_col_text(q, 2));
	x->held = (int)q_col_int(q, 3);
	x->incomplete = (int)q_col_int(q, 4);
}

int store_meeting_counts(struct sconn *c, struct arena *a, const char *path, const char *from, const char *to,
			 struct meeting_count **out, size_t *n_out, struct err *e)
{
	struct q q = Q_INIT;

	if (q_prepare(&q, c->db, SQL_COUNTS, e) < 0)
		return -1;
	q_text(&q, path);
	q_text(&q, store_path_hi(a, path));
	q_text(&q, from);
	q_text(&q, to);
	return q_collect(&q, a, sizeof(**out), read_count, (void **)out, n_out, e);
}

static const char SQL_FILE_ADD[] =
	"INSERT INTO meeting_files (meeting_id, name, content_type, size, sm3, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_FILE_GET[] =
	"SELECT id, meeting_id, size, name, content_type, sm3, created_by, created_at FROM meeting_files"
	" WHERE meeting_id = ? AND id = ?";
static const char SQL_FILE_DEL[] = "DELETE FROM meeting_files WHERE meeting_id = ? AND id = ?";

int store_meeting_file_add(struct sconn *c, struct meeting_file *f, struct err *e)
{
	struct q q = Q_INIT;
	char now[21];
	int r;

	store_now(now);
	if (q_prepare(&q, c->db, SQL_FILE_ADD, e) < 0)
		return -1;
	q_int(&q, f->meeting_id);
	q_text(&q, f->name);
	q_text(&q, f->content_type);
	q_int(&q, f->size);
	q_text(&q, f->sm3);
	q_text(&q, f->created_by);
	q_text(&q, now);
	r = q_step(&q, e);
	if (r == 1)
		f->id = q_col_int(&q, 0);
	q_finish(&q);
	if (r == 0)
		err_set(e, ERR_INTERNAL, NULL, "数据库错误");
	return r == 1 ? 0 : -1;
}

int store_meeting_file_get(struct sconn *c, struct arena *a, int64_t meeting_id, int64_t id,
			   struct meeting_file *out, struct err *e)
{
	struct q q = Q_INIT;
	int r;

	if (q_prepare(&q, c->db, SQL_FILE_GET, e) < 0)
		return -1;
	q_int(&q, meeting_id);
	q_int(&q, id);
	r = q_step(&q, e);
	if (r == 1)
		read_file(&q, a, out);
	q_finish(&q);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "附件不存在");
	return 0;
}

int store_meeting_file_delete(struct sconn *c, int64_t meeting_id, int64_t id, struct err *e)
{
	struct q q = Q_INIT;
	int rc;

	if (q_prepare(&q, c->db, SQL_FILE_DEL, e) < 0)
		return -1;
	q_int(&q, meeting_id);
	q_int(&q, id);
	rc = q_step(&q, e) < 0 ? -1 : 0;
	q_finish(&q);
	return rc;
}
