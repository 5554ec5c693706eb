/*
 * meetings.c: records of organisational life (三会一课 纪实): a meeting
 * with its attendance, decisions (each vote checked for quorum and
 * majority, RULES.md MTG-10) and attached files.
 */
#include "util/common.h"
#include "core/meeting.h"
#include "http/meetings.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/jsonw.h"

void meeting_jsonw(struct jsonw *w, const struct meeting *m, bool full)
{
	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", m->id);
	jsonw_kv_int(w, "org_id", m->org_id);
	jsonw_kv_str(w, "org_name", m->org_name);
	jsonw_kv_str(w, "type", enum_json(meeting_type_enum, m->type));
	jsonw_kv_str(w, "type_label", enum_label(meeting_type_enum, m->type));
	jsonw_kv_str(w, "topic", m->topic);
	jsonw_kv_str(w, "held_on", m->held_on);
	jsonw_kv_str(w, "start_time", m->start_time);
	jsonw_kv_str(w, "place", m->place);
	jsonw_kv_str(w, "host", m->host);
	jsonw_kv_str(w, "recorder", m->recorder);
	jsonw_kv_str(w, "status", m->status);
	jsonw_kv_int(w, "expected", m->expected);
	jsonw_kv_int(w, "present", m->present);
	jsonw_kv_bool(w, "complete",
		      meeting_counts_as_held(m->minutes && *m->minutes, m->expected > 0 || m->nattendees > 0,
					     m->topic && *m->topic));
	if (full) {
		jsonw_kv_str(w, "agenda", m->agenda);
		jsonw_kv_str(w, "minutes", m->minutes);
		jsonw_key(w, "attendees");
		jsonw_array_begin(w);
		for (size_t i = 0; i < m->nattendees; i++) {
			const struct meeting_attendee *x = &m->attendees[i];
			jsonw_object_begin(w);
			jsonw_kv_int(w, "member_id", x->member_id);
			jsonw_kv_str(w, "name", x->name);
			jsonw_kv_str(w, "status", enum_json(attendance_enum, x->status));
			jsonw_kv_str(w, "status_label", enum_label(attendance_enum, x->status));
			jsonw_kv_str(w, "reason", x->reason);
			jsonw_kv_bool(w, "leader", x->leader);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
		jsonw_key(w, "decisions");
		jsonw_array_begin(w);
		for (size_t i = 0; i < m->ndecisions; i++) {
			const struct meeting_decision *d = &m->decisions[i];
			jsonw_object_begin(w);
			jsonw_kv_str(w, "title", d->title);
			jsonw_kv_int(w, "yes", d->yes);
			jsonw_kv_int(w, "no", d->no);
			jsonw_kv_int(w, "abstain", d->abstain);
			jsonw_kv_bool(w, "development", d->development);
			jsonw_kv_bool(w, "quorum", d->quorum);
			jsonw_kv_bool(w, "valid", d->passed);
			jsonw_kv_str(w, "reason", d->reason);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
		jsonw_key(w, "files");
		jsonw_array_begin(w);
		for (size_t i = 0; i < m->nfiles; i++) {
			const struct meeting_file *f = &m->files[i];
			jsonw_object_begin(w);
			jsonw_kv_int(w, "id", f->id);
			jsonw_kv_str(w, "name", f->name);
			jsonw_kv_str(w, "content_type", f->content_type);
			jsonw_kv_int(w, "size", f->size);
			jsonw_kv_str(w, "created_at", f->created_at);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
		jsonw_kv_str(w, "created_by", m->created_by);
		jsonw_kv_str(w, "created_at", m->created_at);
		jsonw_kv_str(w, "updated_at", m->updated_at);
	}
	jsonw_object_end(w);
}

/* GET /api/v1/meetings?org&type&from&to&page&per_page -> 200 list */
static int h_list(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting_query mq = { 0 };
	struct meeting *items;
	struct jsonw w = JSONW_INIT;
	struct org o;
	int64_t org_id, total;
	size_t n;
	struct date d;

	if (param_int(req, "org", req->user->org_id, 1, INT64_MAX, &org_id, e) < 0 ||
	    param_enum(req, "type", meeting_type_enum, &mq.type, e) < 0 ||
	    param_str(req, "from", 10, &mq.from, e) < 0 || param_str(req, "to", 10, &mq.to, e) < 0 ||
	    param_page(req, &mq.page, &mq.per_page, NULL, e) < 0)
		return -1;
	if ((mq.from && date_parse(mq.from, &d) < 0) || (mq.to && date_parse(mq.to, &d) < 0))
		return err_set(e, ERR_BAD_REQUEST, "invalid_parameter",
			       "参数 from/to 应为 YYYY-MM-DD 格式的日期");
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0)
		return -1;
	mq.path = o.path;
	if (store_meeting_list(req->db, req->arena, &mq, &items, &n, &total, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		meeting_jsonw(&w, &items[i], false);
	jsonw_array_end(&w);
	jsonw_kv_int(&w, "total", total);
	jsonw_kv_int(&w, "page", mq.page);
	jsonw_kv_int(&w, "per_page", mq.per_page);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 200, &w);
}

static const char *const meeting_fields[] = {
	"org_id", "type",    "topic",  "held_on",   "start_time", "place",    "host",    "recorder",
	"agenda", "minutes", "status", "attendees", "decisions",  "expected", "present", NULL,
};

static bool time_ok(const char *t)
{
	return !*t ||
	       (strlen(t) == 5 && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' && t[2] == ':' &&
		t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9' && (t[0] < '2' || t[1] <= '3'));
}

/*
 * Only members on the roll on the meeting's date attend (RULES.md 4.3, 6.3):
 * one suspended, left or transferred out by then is refused; one lost by
 * then (state_on is the last contact) may only be recorded as absent or on
 * leave. A state that began after the meeting does not matter: the record
 * of an earlier meeting stays editable.
 */
static int attendee_state_check(const struct member *mb, int status, struct date held, struct err *e)
{
	char on[11] = "";

	if (!mb->state || mb->state == MSTATE_ACTIVE)
		return 0;
	if (date_is_set(mb->state_on)) {
		if (date_cmp(mb->state_on, held) > 0)
			return 0;
		date_format(mb->state_on, on);
	}
	if (mb->state == MSTATE_LOST) {
		if (status == ATT_ABSENT || status == ATT_LEAVE)
			return 0;
		return err_field(e, "attendees", "%s已失联（最后联系%s），只能登记为缺席或请假", mb->name,
				 *on ? on : "日期不详");
	}
	return err_field(e, "attendees", "%s的党籍状态为“%s”%s%s%s，不能作为参会党员登记", mb->name,
			 enum_label(member_state_enum, mb->state), *on ? "（" : "", on, *on ? "起）" : "");
}

/* Reads the body onto m (fields present only), checks everything, computes the votes. */
static int meeting_from_json(struct http_req *req, struct meeting *m, bool create, struct err *e)
{
	json_t *obj = req->json, *arr, *x;
	bool *voting = NULL;
	struct org o;
	struct date held = DATE_NONE;
	int64_t claimed_expected = -1, claimed_present = -1, org_id = m->org_id;
	size_t i;

	if (json_only(obj, meeting_fields, e) < 0)
		return -1;
	if (json_get_int(obj, "org_id", 1, INT64_MAX, &org_id, e) == 0 && create)
		err_field(e, "org_id", "请选择党组织");
	else if (!create && org_id != m->org_id)
		err_field(e, "org_id", "会议所属党组织不能修改；请删除后在正确的组织下重新登记");
	if (json_get_enum(obj, "type", meeting_type_enum, &m->type, e) == 0 && create)
		err_field(e, "type", "请选择会议类型");
	json_get_str(obj, "topic", 200, &m->topic, e);
	if (json_get_date(obj, "held_on", &held, e) > 0 || !create) {
		if (!date_is_set(held) && m->held_on)
			date_parse(m->held_on, &held);
	}
	json_get_str(obj, "start_time", 5, &m->start_time, e);
	json_get_str(obj, "place", 100, &m->place, e);
	json_get_str(obj, "host", 50, &m->host, e);
	json_get_str(obj, "recorder", 50, &m->recorder, e);
	json_get_str(obj, "agenda", 2000, &m->agenda, e);
	json_get_str(obj, "minutes", 20000, &m->minutes, e);
	json_get_str(obj, "status", 10, &m->status, e);
	json_get_int(obj, "expected", 0, 100000, &claimed_expected, e);
	json_get_int(obj, "present", 0, 100000, &claimed_present, e);
	if (err_is_set(e) && e->kind != ERR_VALIDATION)
		return -1;
	if (!m->topic || !*m->topic)
		err_field(e, "topic", "请填写会议主题");
	if (!date_is_set(held))
		err_field(e, "held_on", "请填写会议日期");
	if (!m->status || !*m->status)
		m->status = "held";
	if (strcmp(m->status, "held") && strcmp(m->status, "planned"))
		err_field(e, "status", "状态应为 held（已召开）或 planned（计划）");
	else if (date_is_set(held) && !strcmp(m->status, "held") && date_cmp(held, req_today(req)) > 0)
		err_field(e, "held_on", "已召开的会议日期不能晚于今天");
	if (m->start_time && !time_ok(m->start_time))
		err_field(e, "start_time", "时间格式应为 HH:MM");
	if (err_is_set(e))
		return -1;
	if (store_org_get(req->db, req->arena, req_scope(req), org_id, &o, e) < 0) {
		if (e->kind != ERR_NOT_FOUND)
			return -1;
		err_clear(e);
		return err_field(e, "org_id", "党组织不存在");
	}
	m->org_id = o.id;
	m->org_name = o.name;
	m->held_on = arena_printf(req->arena, "%04d-%02d-%02d", held.y, held.m, held.d);

	arr = json_object_get(obj, "attendees");
	if (arr) {
		if (!json_is_array(arr))
			return err_field(e, "attendees", "应为数组");
		m->nattendees = json_array_size(arr);
		m->attendees = arena_zalloc(req->arena, (m->nattendees + 1) * sizeof(*m->attendees));
		voting = arena_zalloc(req->arena, (m->nattendees + 1) * sizeof(*voting));
		json_array_foreach(arr, i, x)
		{
			static const char *const att_fields[] = { "member_id", "status", "reason", "leader",
								  NULL };
			struct meeting_attendee *a = &m->attendees[i];
			struct member mb;
			struct err le = ERR_INIT;
			if (!json_is_object(x) || json_only(x, att_fields, e) < 0)
				return err_is_set(e) ? -1 : err_field(e, "attendees", "每一项应为对象");
			if (json_get_int(x, "member_id", 1, INT64_MAX, &a->member_id, e) <= 0 ||
			    json_get_enum(x, "status", attendance_enum, &a->status, e) <= 0)
				return err_is_set(e) ? -1
						     : err_field(e, "attendees",
								 "第%zu项缺少 member_id 或 status", i + 1);
			json_get_str(x, "reason", 200, &a->reason, e);
			json_get_bool(x, "leader", &a->leader, e);
			if (err_is_set(e))
				return -1;
			for (size_t k = 0; k < i; k++)
				if (m->attendees[k].member_id == a->member_id)
					return err_field(e, "attendees", "党员（编号%lld）重复出现",
							 (long long)a->member_id);
			/* Voting attendees belong to the organisation; 列席 may come from anywhere in scope.
			 */
			if (store_member_get(req->db, req->arena,
					     a->status == ATT_NONVOTING ? req_scope(req) : o.path,
					     a->member_id, false, &mb, &le) < 0) {
				if (le.kind != ERR_NOT_FOUND) {
					*e = le;
					return -1;
				}
				return err_field(e, "attendees", "党员（编号%lld）不属于%s",
						 (long long)a->member_id, o.name);
			}
			if (attendee_state_check(&mb, a->status, held, e) < 0)
				return -1;
			a->name = mb.name;
			voting[i] = mb.status == STATUS_FULL;
			if ((a->status == ATT_ABSENT || a->status == ATT_LEAVE) &&
			    (!a->reason || !*a->reason))
				return err_field(e, "attendees", "%s%s须填写原因", mb.name,
						 a->status == ATT_ABSENT ? "缺席" : "请假");
		}
		m->expected = m->present = 0;
		for (i = 0; i < m->nattendees; i++) {
			/* 列席 and probationary members (DEV-30: no vote) attend without a vote. */
			if (m->attendees[i].status == ATT_NONVOTING || !voting[i])
				continue;
			m->expected++;
			if (m->attendees[i].status == ATT_PRESENT)
				m->present++;
		}
	}
	/* Counts sent with the list must agree with it. */
	if (claimed_expected >= 0 && arr && claimed_expected != m->expected)
		return err_field(e, "expected", "应到人数（%lld）与出席名单（%d）不符",
				 (long long)claimed_expected, m->expected);
	if (claimed_present >= 0 && arr && claimed_present != m->present)
		return err_field(e, "present", "实到人数（%lld）与出席名单（%d）不符",
				 (long long)claimed_present, m->present);
	if (!arr && claimed_expected >= 0)
		m->expected = (int)claimed_expected;
	if (!arr && claimed_present >= 0)
		m->present = (int)claimed_present;
	if (m->present > m->expected)
		return err_field(e, "present", "实到人数不能超过应到人数");
	if (!strcmp(m->status, "planned") && m->present > 0)
		return err_field(e, "status", "计划中的会议不能登记出席");

	arr = json_object_get(obj, "decisions");
	if (arr) {
		if (!json_is_array(arr))
			return err_field(e, "decisions", "应为数组");
		m->ndecisions = json_array_size(arr);
		m->decisions = arena_zalloc(req->arena, (m->ndecisions + 1) * sizeof(*m->decisions));
		json_array_foreach(arr, i, x)
		{
			static const char *const dec_fields[] = { "title",   "yes",         "no",
								  "abstain", "development", NULL };
			struct meeting_decision *d = &m->decisions[i];
			struct vote_input vin = { 0 };
			struct vote_result vr;
			int64_t yes = 0, no = 0, abstain = 0;
			if (!json_is_object(x) || json_only(x, dec_fields, e) < 0)
				return err_is_set(e) ? -1 : err_field(e, "decisions", "每一项应为对象");
			json_get_str(x, "title", 200, &d->title, e);
			json_get_int(x, "yes", 0, 100000, &yes, e);
			json_get_int(x, "no", 0, 100000, &no, e);
			json_get_int(x, "abstain", 0, 100000, &abstain, e);
			json_get_bool(x, "development", &d->development, e);
			if (err_is_set(e))
				return -1;
			if (!d->title || !*d->title)
				return err_field(e, "decisions", "第%zu项决议缺少标题", i + 1);
			d->yes = (int)yes;
			d->no = (int)no;
			d->abstain = (int)abstain;
			vin.type = m->type;
			vin.expected = m->expected;
			vin.present = m->present;
			vin.yes = d->yes;
			vin.no = d->no;
			vin.abstain = d->abstain;
			vin.development = d->development;
			if (meeting_vote_check(&req->cfg->meetings, &vin, &vr, e) < 0) {
				/* Name the list: the numbers of one decision do not add up. */
				const char *msg = e->nfields ? arena_strdup(req->arena, e->fields[0].message)
							     : "表决票数有误";
				err_clear(e);
				return err_field(e, "decisions", "决议“%s”：%s", d->title, msg);
			}
			d->quorum = vr.quorum;
			d->passed = vr.passed;
			d->reason = arena_strdup(req->arena, vr.reason);
		}
	}
	return 0;
}

static int reply_meeting(struct http_req *req, struct http_reply *rep, int status, int64_t id, struct err *e)
{
	struct meeting m;
	struct jsonw w = JSONW_INIT;

	if (store_meeting_get(req->db, req->arena, NULL, id, &m, e) < 0)
		return -1;
	meeting_jsonw(&w, &m, true);
	return reply_jsonw(rep, status, &w);
}

static const char *audit_text(struct http_req *req, const struct meeting *m)
{
	struct jsonw w = JSONW_INIT;
	const char *s;

	meeting_jsonw(&w, m, false);
	s = arena_strndup(req->arena, w.sb.buf, w.sb.len);
	strbuf_release(&w.sb);
	return s;
}

/* POST /api/v1/meetings {meeting} -> 201 meeting | 404 | 422 */
static int h_create(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m = { 0 };
	struct actor who = req_actor(req);

	if (meeting_from_json(req, &m, true, e) < 0)
		return -1;
	m.created_by = who.name;
	if (store_begin(req->db, e) < 0 || store_meeting_insert(req->db, &m, e) < 0 ||
	    store_audit(req->db, &who, "meeting.create", "meeting", m.id, NULL, audit_text(req, &m), e) < 0 ||
	    reply_meeting(req, rep, 201, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* GET /api/v1/meetings/{id} -> 200 meeting | 404 */
static int h_get(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m;

	if (store_meeting_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0)
		return -1;
	return reply_meeting(req, rep, 200, m.id, e);
}

/* PATCH /api/v1/meetings/{id} {fields} -> 200 meeting | 404 | 422 (attendees/decisions sent replace the old)
 */
static int h_update(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m;
	struct actor who = req_actor(req);
	const char *before;

	if (store_meeting_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0)
		return -1;
	before = audit_text(req, &m);
	if (meeting_from_json(req, &m, false, e) < 0)
		return -1;
	if (!json_object_get(req->json, "decisions") &&
	    (json_object_get(req->json, "attendees") || json_object_get(req->json, "type") ||
	     json_object_get(req->json, "expected") || json_object_get(req->json, "present"))) {
		/* New attendance or a new type changes every vote: check the kept decisions again. */
		for (size_t i = 0; i < m.ndecisions; i++) {
			struct meeting_decision *d = &m.decisions[i];
			struct vote_input vin = { m.type, m.expected, m.present,     d->yes,
						  d->no,  d->abstain, d->development };
			struct vote_result vr;
			if (meeting_vote_check(&req->cfg->meetings, &vin, &vr, e) < 0) {
				const char *msg = e->nfields ? arena_strdup(req->arena, e->fields[0].message)
							     : "表决票数有误";
				const char *field = json_object_get(req->json, "attendees") ? "attendees"
						    : json_object_get(req->json, "type")    ? "type"
											    : "decisions";
				err_clear(e);
				return err_field(e, field, "修改后，决议“%s”不再成立：%s", d->title, msg);
			}
			d->quorum = vr.quorum;
			d->passed = vr.passed;
			d->reason = arena_strdup(req->arena, vr.reason);
		}
	}
	if (store_begin(req->db, e) < 0 || store_meeting_update(req->db, &m, e) < 0 ||
	    store_audit(req->db, &who, "meeting.update", "meeting", m.id, before, audit_text(req, &m), e) <
		    0 ||
	    reply_meeting(req, rep, 200, m.id, e) < 0 || store_commit(req->db, e) < 0)
		return -1;
	return 0;
}

/* DELETE /api/v1/meetings/{id} -> 204 | 404 */
static int h_delete(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m;
	struct actor who = req_actor(req);

	if (store_meeting_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 || store_meeting_delete(req->db, m.id, e) < 0 ||
	    store_audit(req->db, &who, "meeting.delete", "meeting", m.id, audit_text(req, &m), NULL, e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	rep->status = 204;
	return 0;
}

const struct route meeting_routes[] = {
	{ "GET", "/api/v1/meetings", h_list, 0, PERM_ORG_READ },
	{ "POST", "/api/v1/meetings", h_create, 0, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/meetings/{id}", h_get, 0, PERM_ORG_READ },
	{ "PATCH", "/api/v1/meetings/{id}", h_update, 0, PERM_MEMBER_WRITE },
	{ "DELETE", "/api/v1/meetings/{id}", h_delete, 0, PERM_MEMBER_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
