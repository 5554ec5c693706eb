/*
 * member_json.c: JSON shapes of members, organisations and users.
 */
#include "util/common.h"
#include "http/member_json.h"
#include "http/params.h"
#include "util/arena.h"
#include "util/jsonw.h"

static json_t *date_or_null(struct date d)
{
	char buf[11];

	if (!date_is_set(d))
		return json_null();
	date_format(d, buf);
	return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *label_or_null(const struct enum_entry *t, int v)
{
	return str_or_null(enum_label(t, v));
}

static void kv_date(struct jsonw *w, const char *k, struct date d)
{
	char buf[11];

	jsonw_key(w, k);
	if (!date_is_set(d)) {
		jsonw_null(w);
		return;
	}
	date_format(d, buf);
	jsonw_str(w, buf);
}

void member_jsonw(struct jsonw *w, const struct member *m, struct date today)
{
	const struct code_entry *eth = ethnicity_by_code(m->ethnicity);
	const struct code_entry *edu = education_by_code(m->education);

	jsonw_object_begin(w);
	jsonw_kv_int(w, "id", m->id);
	jsonw_kv_int(w, "org_id", m->org_id);
	jsonw_kv_str(w, "org_name", m->org_name);
	jsonw_kv_str(w, "name", m->name);
	jsonw_kv_str(w, "gender", enum_json(gender_enum, m->gender));
	jsonw_kv_str(w, "gender_label", enum_label(gender_enum, m->gender));
	jsonw_kv_str(w, "ethnicity", m->ethnicity);
	jsonw_kv_str(w, "ethnicity_name", eth ? eth->name : NULL);
	kv_date(w, "birth_date", m->birth_date);
	jsonw_key(w, "age");
	if (date_is_set(m->birth_date))
		jsonw_int(w, date_age_on(m->birth_date, today));
	else
		jsonw_null(w);
	jsonw_kv_str(w, "id_card", m->id_card);
	jsonw_kv_str(w, "education", m->education);
	jsonw_kv_str(w, "education_name", edu ? edu->name : NULL);
	jsonw_kv_str(w, "phone", m->phone);
	jsonw_kv_str(w, "native_place", m->native_place ? m->native_place : "");
	jsonw_kv_str(w, "category", enum_json(category_enum, m->category));
	jsonw_kv_str(w, "category_label", enum_label(category_enum, m->category));
	jsonw_kv_str(w, "status", enum_json(status_enum, m->status));
	jsonw_kv_str(w, "status_label", enum_label(status_enum, m->status));
	kv_date(w, "joined_on", m->joined_on);
	kv_date(w, "full_member_on", m->full_member_on);
	jsonw_kv_str(w, "work_unit", m->work_unit ? m->work_unit : "");
	jsonw_kv_str(w, "job", m->job ? m->job : "");
	jsonw_kv_str(w, "remarks", m->remarks ? m->remarks : "");
	/* Where the record stands (失联、停止党籍、出党、转出); 0 is active. */
	jsonw_kv_str(w, "state", enum_json(member_state_enum, m->state ? m->state : MSTATE_ACTIVE));
	jsonw_kv_str(w, "state_label", enum_label(member_state_enum, m->state ? m->state : MSTATE_ACTIVE));
	kv_date(w, "state_on", m->state_on);
	jsonw_kv_str(w, "state_code", m->state_code);
	jsonw_kv_bool(w, "mobile", m->mobile);
	if (m->created_at)
		jsonw_kv_str(w, "created_at", m->created_at);
	if (m->updated_at)
		jsonw_kv_str(w, "updated_at", m->updated_at);
	jsonw_object_end(w);
}

static const char *const member_fields[] = {
	"org_id",         "name",      "gender",       "ethnicity", "birth_date", "id_card",
	"education",      "phone",     "native_place", "category",  "status",     "joined_on",
	"full_member_on", "work_unit", "job",          "remarks",   NULL,
};

static int get_code(json_t *obj, const char *key, char out[3], const struct code_entry *(*by)(const char *),
		    struct err *e)
{
	const char *s = NULL;
	int r = json_get_str(obj, key, 2, &s, e);

	if (r <= 0)
		return r;
	if (!s || !*s) {
		out[0] = '\0';
		return 1;
	}
	if (!by(s))
		return err_field(e, key, "%s", !strcmp(key, "ethnicity") ? "民族代码无效" : "学历代码无效");
	snprintf(out, 3, "%s", s);
	return 1;
}

int member_apply_json(json_t *obj, struct member *m, struct arena *a, struct err *e)
{
	const char *s;
	int64_t id;
	char namebuf[256];

	if (json_only(obj, member_fields, e) < 0)
		return -1;
	if (json_get_int(obj, "org_id", 0, INT64_MAX, &id, e) > 0)
		m->org_id = id;
	if (json_get_str(obj, "name", 50, &s, e) > 0) {
		member_normalize_name(s ? s : "", namebuf, sizeof(namebuf));
		m->name = arena_strdup(a, namebuf);
	}
	json_get_enum(obj, "gender", gender_enum, &m->gender, e);
	get_code(obj, "ethnicity", m->ethnicity, ethnicity_by_code, e);
	json_get_date(obj, "birth_date", &m->birth_date, e);
	if (json_get_str(obj, "id_card", 20, &s, e) > 0)
		m->id_card = s;
	get_code(obj, "education", m->education, education_by_code, e);
	if (json_get_str(obj, "phone", 20, &s, e) > 0)
		m->phone = s && *s ? s : NULL;
	if (json_get_str(obj, "native_place", 100, &s, e) > 0)
		m->native_place = s;
	json_get_enum(obj, "category", category_enum, &m->category, e);
	json_get_enum(obj, "status", status_enum, &m->status, e);
	json_get_date(obj, "joined_on", &m->joined_on, e);
	json_get_date(obj, "full_member_on", &m->full_member_on, e);
	if (json_get_str(obj, "work_unit", 100, &s, e) > 0)
		m->work_unit = s;
	if (json_get_str(obj, "job", 100, &s, e) > 0)
		m->job = s;
	if (json_get_str(obj, "remarks", 500, &s, e) > 0)
		m->remarks = s;
	return err_is_set(e) ? -1 : 0;
}

json_t *org_json(const struct org *o, struct date today, bool with_warnings)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "parent_id", o->parent_id ? json_integer(o->parent_id) : json_null());
	json_object_set_new(j, "name", json_string(o->name));
	json_object_set_new(j, "type", str_or_null(enum_json(org_type_enum, o->type)));
	json_object_set_new(j, "type_label", label_or_null(org_type_enum, o->type));
	json_object_set_new(j, "field", str_or_null(enum_json(org_field_enum, o->field)));
	json_object_set_new(j, "field_label", label_or_null(org_field_enum, o->field));
	json_object_set_new(j, "path", json_string(o->path ? o->path : ""));
	json_object_set_new(j, "elected_on", date_or_null(o->elected_on));
	json_object_set_new(
		j, "term_years",
		json_integer(o->term_years ? o->term_years : org_default_term_years(o->type, o->field)));
	json_object_set_new(j, "term_due_on", date_or_null(org_term_due(o)));
	json_object_set_new(j, "secretary_id", o->secretary_id ? json_integer(o->secretary_id) : json_null());
	json_object_set_new(j, "secretary_name", str_or_null(o->secretary_name));
	json_object_set_new(j, "remarks", json_string(o->remarks ? o->remarks : ""));
	json_object_set_new(j, "sort_order", json_integer(o->sort_order));
	json_object_set_new(j, "full_count", json_integer(o->full_count));
	json_object_set_new(j, "probationary_count", json_integer(o->probationary_count));
	json_object_set_new(j, "member_count", json_integer(o->full_count + o->probationary_count));
	json_object_set_new(j, "subtree_member_count", json_integer(o->subtree_members));
	json_object_set_new(j, "children_count", json_integer(o->children));
	if (with_warnings) {
		struct org_warning w[8];
		int n = org_warnings(o, today, w, (int)ARRAY_SIZE(w));
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(
				arr, json_pack("{s:s,s:s}", "code", w[i].code, "message", w[i].message));
		json_object_set_new(j, "warnings", arr);
	}
	return j;
}

json_t *user_json(const struct user *u)
{
	const char *perms[16];
	int n = role_perm_names(u->role, perms, (int)ARRAY_SIZE(perms));
	json_t *p = json_array();
	json_t *j;

	for (int i = 0; i < n; i++)
		json_array_append_new(p, json_string(perms[i]));
	j = json_object();
	json_object_set_new(j, "id", json_integer(u->id));
	json_object_set_new(j, "username", json_string(u->username));
	json_object_set_new(j, "display_name", json_string(u->display_name ? u->display_name : ""));
	json_object_set_new(j, "role", str_or_null(enum_json(user_role_enum, u->role)));
	json_object_set_new(j, "role_label", label_or_null(user_role_enum, u->role));
	json_object_set_new(j, "org_id", json_integer(u->org_id));
	json_object_set_new(j, "org_name", str_or_null(u->org_name));
	json_object_set_new(j, "member_id", u->member_id ? json_integer(u->member_id) : json_null());
	json_object_set_new(j, "disabled", json_boolean(u->disabled));
	json_object_set_new(j, "locked_until", str_or_null(u->locked_until));
	if (u->created_at)
		json_object_set_new(j, "created_at", json_string(u->created_at));
	json_object_set_new(j, "permissions", p);
	return j;
}
