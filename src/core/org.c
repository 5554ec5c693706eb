/*
 * org.c: organisation rules: which type may sit under which (RULES.md
 * 9.2), validation of an organisation to be stored, default terms and the
 * next 换届 date (3.2), and the structure warnings of 3.1 (ORG-01..03) and
 * 3.2 (term due or overdue).
 */
#include "util/common.h"
#include "util/err.h"
#include "core/org.h"
#include "core/text.h"

#define ORG_NAME_MAX_CHARS 60
#define ORG_REMARKS_MAX_CHARS 500
#define TERM_DUE_WARN_DAYS 90

/* ORG-10. Party groups, leading groups and working committees are not elected: no term. */
int org_default_term_years(int type, int field)
{
	switch (type) {
	case ORG_PARTY_COMMITTEE:
		return 5;
	case ORG_GENERAL_BRANCH:
	case ORG_BRANCH:
		return field == FIELD_RURAL || field == FIELD_COMMUNITY ? 5 : 3;
	default:
		return 0;
	}
}

struct date org_term_due(const struct org *o)
{
	int years = o->term_years ? o->term_years : org_default_term_years(o->type, o->field);

	if (!date_is_set(o->elected_on) || years <= 0)
		return DATE_NONE;
	return date_add_months(o->elected_on, 12 * years);
}

bool org_type_allowed_under(int child, int parent)
{
	switch (child) {
	case ORG_PARTY_COMMITTEE:
		return parent == ORG_TYPE_NONE || parent == ORG_PARTY_COMMITTEE ||
		       parent == ORG_LEADING_GROUP || parent == ORG_WORKING_COMMITTEE;
	case ORG_GENERAL_BRANCH:
		return parent == ORG_PARTY_COMMITTEE || parent == ORG_WORKING_COMMITTEE;
	case ORG_BRANCH:
		return parent == ORG_PARTY_COMMITTEE || parent == ORG_GENERAL_BRANCH ||
		       parent == ORG_WORKING_COMMITTEE;
	case ORG_PARTY_GROUP:
		return parent == ORG_BRANCH;
	case ORG_LEADING_GROUP:
	case ORG_WORKING_COMMITTEE:
		return parent == ORG_TYPE_NONE || parent == ORG_PARTY_COMMITTEE ||
		       parent == ORG_WORKING_COMMITTEE;
	default:
		return false;
	}
}

/* The message shown when `type` may not sit where it was put. */
static const char *nesting_message(int type)
{
	switch (type) {
	case ORG_PARTY_COMMITTEE:
		return "党委只能作为最上级组织或设在党委、党组、工委下";
	case ORG_GENERAL_BRANCH:
		return "党总支只能设在党委或工委下";
	case ORG_BRANCH:
		return "党支部只能设在党委、党总支或工委下";
	case ORG_PARTY_GROUP:
		return "党小组只能设在党支部下";
	case ORG_LEADING_GROUP:
		return "党组只能作为最上级组织或设在党委、工委下";
	case ORG_WORKING_COMMITTEE:
		return "工委只能作为最上级组织或设在党委、工委下";
	default:
		return "上级党组织无效";
	}
}

int org_validate(const struct org *o, int parent_type, struct err *e)
{
	bool bad = false;
	size_t len = 0;
	const char *name = o->name ? text_trim(o->name, &len) : "";

	if (!len) {
		bad = true;
		err_field(e, "name", "组织名称不能为空");
	} else {
		char buf[ORG_NAME_MAX_CHARS * 4 + 8];

		if (len >= sizeof(buf)) {
			bad = true;
			err_field(e, "name", "组织名称不能超过%d个字", ORG_NAME_MAX_CHARS);
		} else {
			memcpy(buf, name, len);
			buf[len] = '\0';
			switch (text_check(buf, ORG_NAME_MAX_CHARS, false)) {
			case TEXT_OK:
				break;
			case TEXT_TOO_LONG:
				bad = true;
				err_field(e, "name", "组织名称不能超过%d个字", ORG_NAME_MAX_CHARS);
				break;
			default:
				bad = true;
				err_field(e, "name", "组织名称包含无效字符");
				break;
			}
		}
	}

	if (o->type == ORG_TYPE_NONE) {
		bad = true;
		err_field(e, "type", "请选择组织类型");
	} else if (!enum_json(org_type_enum, o->type)) {
		bad = true;
		err_field(e, "type", "组织类型无效");
	}

	if (o->field == FIELD_NONE) {
		bad = true;
		err_field(e, "field", "请选择所属领域");
	} else if (!enum_json(org_field_enum, o->field)) {
		bad = true;
		err_field(e, "field", "所属领域无效");
	}

	if (o->term_years != 0 && (o->term_years < 3 || o->term_years > 5)) {
		bad = true;
		err_field(e, "term_years", "届期应为3至5年");
	}

	if (date_is_set(o->elected_on) && !date_valid(o->elected_on.y, o->elected_on.m, o->elected_on.d)) {
		bad = true;
		err_field(e, "elected_on", "换届时间无效");
	}

	if (o->parent_id < 0) {
		bad = true;
		err_field(e, "parent_id", "上级党组织无效");
	} else if (enum_json(org_type_enum, o->type) &&
		   !org_type_allowed_under(o->type, o->parent_id ? parent_type : ORG_TYPE_NONE)) {
		bad = true;
		err_field(e, "parent_id", "%s", nesting_message(o->type));
	}

	if (o->remarks) {
		enum text_check r = text_check(o->remarks, ORG_REMARKS_MAX_CHARS, true);

		if (r == TEXT_TOO_LONG) {
			bad = true;
			err_field(e, "remarks", "备注不能超过%d个字", ORG_REMARKS_MAX_CHARS);
		} else if (r != TEXT_OK) {
			bad = true;
			err_field(e, "remarks", "备注包含无效字符");
		}
	}
	return bad ? -1 : 0;
}

/* -------------------------------------------------------------- warnings */

struct wlist {
	struct org_warning *out;
	int cap, n;
};

static void warn(struct wlist *w, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(struct wlist *w, const char *code, const char *fmt, ...)
{
	va_list ap;
	struct org_warning *x;

	if (w->n >= w->cap)
		return;
	x = &w->out[w->n++];
	x->code = code;
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof(x->message), fmt, ap);
	va_end(ap);
}

/*
 * Branch structure (ORG-01..03). Full members are counted on the branch
 * itself; the total for ORG-02 takes the subtree (its party groups) when the
 * store filled it in.
 */
static void branch_warnings(const struct org *o, struct wlist *w)
{
	int direct = o->full_count + o->probationary_count;
	int members = o->subtree_members > direct ? o->subtree_members : direct;

	if (o->full_count < 3)
		warn(w, "ORG-01", "正式党员不足3人（现有%d人），应与邻近单位联合成立党支部", o->full_count);
	if (members > 50)
		warn(w, "ORG-02", "党支部党员人数超过50人（现有%d人），应考虑分设党支部", members);
	if (o->committee_size > 7)
		warn(w, "ORG-03", "支部委员会不得超过7人（现有委员%d人）", o->committee_size);
	else if (o->full_count >= 7 && o->committee_size < 3)
		warn(w, "ORG-03", "正式党员7人以上的党支部应设立支部委员会（3至5人），现有委员%d人",
		     o->committee_size);
	else if (o->full_count < 7 && o->committee_size > 2)
		warn(w, "ORG-03",
		     "正式党员不足7人的党支部不设支部委员会，只设书记，可设副书记1人（现有委员%d人）",
		     o->committee_size);
}

/*
 * Term (ORG-11, ORG-12): overdue from the day after the term ends; due
 * when it ends within 90 days (the end day itself included). Beyond one
 * year overdue the message says the postponement limit is exceeded.
 */
static void term_warnings(const struct org *o, struct date today, struct wlist *w)
{
	struct date due = org_term_due(o);
	char ds[11];
	long left;

	if (!date_is_set(due) || !date_is_set(today))
		return;
	date_format(due, ds);
	left = date_to_days(due) - date_to_days(today);
	if (left < 0) {
		if (date_cmp(today, date_add_months(due, 12)) > 0)
			warn(w, "ORG-11", "届期已于%s届满，超期已超过1年，须立即换届", ds);
		else
			warn(w, "ORG-11", "届期已于%s届满（已超期%ld天），应及时换届", ds, -left);
	} else if (left == 0) {
		warn(w, "ORG-12", "届期于今天（%s）届满，请及时换届", ds);
	} else if (left <= TERM_DUE_WARN_DAYS) {
		warn(w, "ORG-12", "届期将于%s届满（还有%ld天），请做好换届准备", ds, left);
	}
}

int org_warnings(const struct org *o, struct date today, struct org_warning *out, int cap)
{
	struct wlist w = { .out = out, .cap = cap, .n = 0 };

	if (o->type == ORG_BRANCH)
		branch_warnings(o, &w);
	term_warnings(o, today, &w);
	return w.n;
}
