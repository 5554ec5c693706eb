/*
 * lifecycle.c: member states after joining (RULES.md 4.2, 4.3, 6.3): the
 * exit reasons and lost-contact situations, the state transitions with the
 * LOST-01 waiting periods, XFER-02/MOB-01 and the mobile-member checks.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/lifecycle.h"
#include "core/sanction.h"

const struct enum_entry exit_reason_enum[] = {
	{ EXIT_DEATH, "death", "死亡" },
	{ EXIT_EXPELLED, "expelled", "开除党籍" },
	{ EXIT_WITHDREW, "withdrew", "退党" },
	{ EXIT_REMOVED_SELF_LAPSE, "removed_self_lapse", "自行脱党除名" },
	{ EXIT_REMOVED_UNQUALIFIED, "removed_unqualified", "除名" },
	{ EXIT_PERSUADED_LEFT, "persuaded_left", "劝退" },
	{ EXIT_REMOVED_REFUSED, "removed_refused", "劝而不退除名" },
	{ EXIT_PROBATION_CANCELLED, "probation_cancelled", "取消预备党员资格" },
	{ 0, NULL, NULL },
};

const struct enum_entry lost_situation_enum[] = {
	{ LOST_WORK_AWAY, "work_away", "外出务工经商" },
	{ LOST_ABROAD, "abroad", "出国（境）" },
	{ LOST_NO_TRANSFER, "no_transfer", "未转接组织关系" },
	{ LOST_ADDRESS_UNKNOWN, "address_unknown", "住址不详" },
	{ LOST_OTHER, "other", "其他" },
	{ 0, NULL, NULL },
};

bool exit_needs_approval(int reason)
{
	return reason > EXIT_NONE && reason <= EXIT_PROBATION_CANCELLED && reason != EXIT_DEATH &&
	       reason != EXIT_WITHDREW;
}

void lifecycle_rules_default(struct lifecycle_rules *r)
{
	r->lost_months = 6;
	r->removal_years = 2;
	r->abroad_study_years = 5;
}

static int state_of(int s)
{
	return s == MSTATE_NONE ? MSTATE_ACTIVE : s;
}

static const char *state_label(int s)
{
	const char *l = enum_label(member_state_enum, state_of(s));

	return l ? l : "未知";
}

/* A rule refusal: "[RULE] text" plus the text on `field`. Returns -1. */
static int refuse(struct err *e, const char *rule, const char *field, const char *text)
{
	err_set(e, ERR_VALIDATION, "rule_violation", "[%s] %s", rule, text);
	return err_field(e, field, "%s", text);
}

static int illegal(struct err *e, int from, const char *what)
{
	return err_set(e, ERR_CONFLICT, "member_state", "党员当前状态为“%s”，不能%s", state_label(from),
		       what);
}

/* A required date not after today, not before joined_on nor the founding of the Party. */
static int check_date(struct date d, const char *field, const char *what, struct date joined,
		      struct date today, struct err *e)
{
	char buf[11];

	if (!date_is_set(d) || !date_valid(d.y, d.m, d.d))
		return err_field(e, field, "请填写%s", what);
	if (date_cmp(d, today) > 0)
		return err_field(e, field, "%s不能晚于今天", what);
	if (date_cmp(d, DATE_PARTY_FOUNDED) < 0)
		return err_field(e, field, "%s不能早于1921年7月1日", what);
	if (date_is_set(joined) && date_cmp(d, joined) < 0) {
		date_format(joined, buf);
		return err_field(e, field, "%s不能早于入党日期%s", what, buf);
	}
	return 0;
}

static int check_exit(const struct lifecycle_rules *r, const struct state_change *s, int from,
		      struct date today, struct err *e)
{
	char buf[11], text[160];
	int bad = 0;

	if (!enum_json(exit_reason_enum, s->code))
		bad = err_field(e, "reason", "请选择出党原因");
	if (check_date(s->on, "on", "出党日期", s->joined_on, today, e))
		bad = -1;
	if (exit_needs_approval(s->code)) {
		if (!date_is_set(s->approved_on))
			bad = err_field(e, "approved_on", "该出党方式须经上级党组织批准，请填写批准日期");
		else if (date_cmp(s->approved_on, today) > 0)
			bad = err_field(e, "approved_on", "批准日期不能晚于今天");
		else if (date_is_set(s->on) && date_cmp(s->approved_on, s->on) < 0)
			bad = err_field(e, "approved_on", "批准日期不能早于支部作出决定的日期");
	}
	if (bad)
		return -1;
	if (s->code == EXIT_PROBATION_CANCELLED && s->member_status != STATUS_PROBATIONARY)
		return refuse(e, "EXIT-01", "reason", "取消预备党员资格只适用于预备党员");
	if (s->code == EXIT_REMOVED_SELF_LAPSE && from == MSTATE_SUSPENDED && date_is_set(s->state_on)) {
		struct date earliest = date_add_months(s->state_on, 12 * r->removal_years);

		if (date_cmp(s->on, earliest) < 0) {
			date_format(earliest, buf);
			snprintf(text, sizeof(text),
				 "停止党籍满%d年后仍无法取得联系的，才能按自行脱党除名（最早%s）",
				 r->removal_years, buf);
			return refuse(e, "LOST-01", "on", text);
		}
	}
	if (from == MSTATE_SUSPENDED && date_is_set(s->state_on) && date_cmp(s->on, s->state_on) < 0)
		return err_field(e, "on", "出党日期不能早于停止党籍的日期");
	return 0;
}

bool member_state_restorable(int state)
{
	return state == MSTATE_LOST || state == MSTATE_SUSPENDED;
}

struct date exit_reapply_from(int reason, struct date left_on)
{
	if (!date_is_set(left_on) || !enum_json(exit_reason_enum, reason) || reason == EXIT_DEATH)
		return DATE_NONE;
	if (reason == EXIT_EXPELLED)
		return sanction_readmission_from(left_on);
	return left_on;
}

bool abroad_study_suspendable(const struct lifecycle_rules *r, struct date since, struct date today)
{
	struct lifecycle_rules defaults;

	if (!r) {
		lifecycle_rules_default(&defaults);
		r = &defaults;
	}
	/* "more than N years" (超过, C-03) excludes the day N years on. */
	return date_is_set(since) && date_cmp(today, date_add_months(since, 12 * r->abroad_study_years)) > 0;
}

int member_state_check(const struct lifecycle_rules *r, const struct state_change *s, struct date today,
		       int *to_state, struct err *e)
{
	struct lifecycle_rules defaults;
	int from = state_of(s->from_state);
	char buf[11], text[160];

	if (!r) {
		lifecycle_rules_default(&defaults);
		r = &defaults;
	}
	*to_state = MSTATE_NONE;
	/* EXIT-03: left and transferred records are final here. */
	if (from == MSTATE_LEFT || from == MSTATE_TRANSFERRED)
		return illegal(e, from, "变更党籍状态");

	switch (s->action) {
	case SA_EXIT:
		if (from != MSTATE_ACTIVE && from != MSTATE_LOST && from != MSTATE_SUSPENDED)
			return illegal(e, from, "办理出党");
		if (check_exit(r, s, from, today, e))
			return -1;
		*to_state = MSTATE_LEFT;
		return 0;

	case SA_LOST:
		if (from != MSTATE_ACTIVE)
			return illegal(e, from, "登记为失联党员");
		if (!enum_json(lost_situation_enum, s->code))
			err_field(e, "situation", "请选择失联情形");
		if (check_date(s->last_contact_on, "last_contact_on", "最后联系日期", s->joined_on, today,
			       e) ||
		    err_is_set(e))
			return -1;
		*to_state = MSTATE_LOST;
		return 0;

	case SA_SUSPEND: {
		bool abroad = s->code == LOST_ABROAD;
		struct date last = date_is_set(s->last_contact_on) ? s->last_contact_on : s->state_on;

		if (from != MSTATE_LOST && !(from == MSTATE_ACTIVE && abroad))
			return illegal(e, from, "停止党籍（须先登记为失联党员）");
		if (check_date(s->on, "on", "停止党籍日期", s->joined_on, today, e))
			return -1;
		if (from == MSTATE_LOST && date_is_set(s->state_on) && date_cmp(s->on, s->state_on) < 0)
			return err_field(e, "on", "停止党籍日期不能早于失联登记的日期");
		/* LOST-01: lost for lost_months since the last contact; LOST-02 (abroad) has no wait. */
		if (!abroad && date_is_set(last)) {
			struct date earliest = date_add_months(last, r->lost_months);

			if (date_cmp(s->on, earliest) < 0) {
				date_format(earliest, buf);
				snprintf(text, sizeof(text), "失去联系满%d个月后才能停止党籍（最早%s）",
					 r->lost_months, buf);
				return refuse(e, "LOST-01", "on", text);
			}
		}
		*to_state = MSTATE_SUSPENDED;
		return 0;
	}

	case SA_RESTORE:
		if (!member_state_restorable(from))
			return illegal(e, from, "恢复（只能从失联或停止党籍恢复）");
		if (check_date(s->on, "on", "恢复日期", s->joined_on, today, e))
			return -1;
		if (date_is_set(s->state_on) && date_cmp(s->on, s->state_on) < 0)
			return err_field(e, "on", "恢复日期不能早于%s的日期", state_label(from));
		*to_state = MSTATE_ACTIVE;
		return 0;

	default:
		return err_field(e, "action", "未知的状态变更");
	}
}

int relation_need(int months_away, bool fixed_place)
{
	/* XFER-02 / MOB-01: "6 months or more" includes 6 (C-03). */
	if (months_away < 6)
		return REL_NONE;
	return fixed_place ? REL_TRANSFER : REL_MOBILE;
}

/* Required text of at most `max` characters. */
static int check_text(const char *s, const char *field, const char *what, size_t max, struct err *e)
{
	size_t n = 0;

	if (!s || !*s || strspn(s, " \t\r\n") == strlen(s))
		return err_field(e, field, "请填写%s", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	if (n > max)
		return err_field(e, field, "%s不能超过%zu个字", what, max);
	return 0;
}

int mobile_check(const struct mobile_input *in, struct date today, struct err *e)
{
	int state = state_of(in->member_state);
	int bad = 0;

	if (state != MSTATE_ACTIVE && state != MSTATE_LOST)
		bad = err_field(e, "member_id", "该党员状态为“%s”，不能登记为流动党员", state_label(state));
	if (check_date(in->out_on, "out_on", "外出日期", in->joined_on, today, e))
		bad = -1;
	if (date_is_set(in->expected_return) && date_is_set(in->out_on)) {
		if (date_cmp(in->expected_return, in->out_on) <= 0)
			bad = err_field(e, "expected_return", "预计返回日期须晚于外出日期");
		else if (date_cmp(in->expected_return,
				  date_add_months(in->out_on, 12 * MOBILE_RETURN_YEARS_MAX)) > 0)
			bad = err_field(e, "expected_return", "预计返回日期不能晚于外出日期后%d年",
					MOBILE_RETURN_YEARS_MAX);
	}
	if (date_is_set(in->returned_on)) {
		if (date_cmp(in->returned_on, today) > 0)
			bad = err_field(e, "returned_on", "返回日期不能晚于今天");
		else if (date_is_set(in->out_on) && date_cmp(in->returned_on, in->out_on) < 0)
			bad = err_field(e, "returned_on", "返回日期不能早于外出日期");
	}
	if (check_text(in->destination, "destination", "外出地点", 100, e))
		bad = -1;
	if (check_text(in->reason, "reason", "外出原因", 200, e))
		bad = -1;
	if (in->certificate_no && !mobile_certificate_valid(in->certificate_no))
		bad = err_field(e, "certificate_no", "活动证编号应为1至40个字符，不含控制字符，首尾无空格");
	if (bad)
		return -1;
	if (in->inflow_in_system && !in->certificate_no)
		return refuse(e, "MOB-03", "certificate_no",
			      "流入地党组织凭《流动党员活动证》登记接收，请填写活动证编号");
	return 0;
}

bool mobile_certificate_valid(const char *s)
{
	size_t len, n = 0;

	if (!s || !*s)
		return false;
	len = strlen(s);
	if (strchr(" \t\r\n", s[0]) || strchr(" \t\r\n", s[len - 1]))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return false;
		if ((*p & 0xC0) != 0x80)
			n++;
	}
	return n <= 40;
}
