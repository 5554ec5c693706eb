/*
 * transfer.c: transfers of organisational relations (RULES.md 4.1): the
 * kinds and states, the state machine of docs/api.md, letter validity
 * (XFER-06), letter numbers and the checks of a new request.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/transfer.h"

const struct enum_entry transfer_kind_enum[] = {
	{ TK_IN_SYSTEM, "in_system", "系统内转接" },
	{ TK_OUTBOUND, "outbound", "转出系统外" },
	{ TK_INBOUND, "inbound", "从系统外转入" },
	{ 0, NULL, NULL },
};

const struct enum_entry transfer_state_enum[] = {
	{ TS_REQUESTED, "requested", "已申请" },
	{ TS_SENDING_APPROVED, "sending_approved", "转出方已同意" },
	{ TS_LETTER_ISSUED, "letter_issued", "已开具介绍信" },
	{ TS_REGISTERED, "registered", "已登记来信" },
	{ TS_COMPLETED, "completed", "已完成" },
	{ TS_RETURNED, "returned", "已退回" },
	{ TS_CANCELLED, "cancelled", "已撤销" },
	{ 0, NULL, NULL },
};

static const char *const action_text[] = {
	[TA_APPROVE_SENDING] = "转出方审批",
	[TA_APPROVE_RECEIVING] = "接收方审批",
	[TA_RETURN] = "退回",
	[TA_CANCEL] = "撤销",
	[TA_RECEIPT] = "登记回执",
	[TA_ATTACH] = "接收党员",
};

bool transfer_state_open(int state)
{
	return state == TS_REQUESTED || state == TS_SENDING_APPROVED || state == TS_LETTER_ISSUED ||
	       state == TS_REGISTERED;
}

int transfer_responsible_side(int kind, int state)
{
	if (!enum_json(transfer_kind_enum, kind) || !enum_json(transfer_state_enum, state))
		return TSIDE_NONE;
	return state == TS_COMPLETED ? TSIDE_RECEIVING : TSIDE_SENDING;
}

bool transfer_org_accepts(int org_type)
{
	return org_type == ORG_BRANCH;
}

/* The state machine of docs/api.md: TS_NONE when the action is not allowed. */
static int next_of(int kind, int state, int action)
{
	switch (action) {
	case TA_APPROVE_SENDING:
		if (state != TS_REQUESTED)
			return TS_NONE;
		return kind == TK_IN_SYSTEM  ? TS_SENDING_APPROVED
		       : kind == TK_OUTBOUND ? TS_LETTER_ISSUED
					     : TS_NONE;
	case TA_APPROVE_RECEIVING:
		return kind == TK_IN_SYSTEM && state == TS_SENDING_APPROVED ? TS_COMPLETED : TS_NONE;
	case TA_RECEIPT:
		return kind == TK_OUTBOUND && state == TS_LETTER_ISSUED ? TS_COMPLETED : TS_NONE;
	case TA_ATTACH:
		return kind == TK_INBOUND && state == TS_REGISTERED ? TS_COMPLETED : TS_NONE;
	case TA_RETURN:
		if (kind == TK_IN_SYSTEM && (state == TS_REQUESTED || state == TS_SENDING_APPROVED))
			return TS_RETURNED;
		if (kind == TK_OUTBOUND && state == TS_REQUESTED)
			return TS_RETURNED;
		return TS_NONE;
	case TA_CANCEL:
		return transfer_state_open(state) ? TS_CANCELLED : TS_NONE;
	default:
		return TS_NONE;
	}
}

int transfer_next_state(int kind, int state, int action, int *next, struct err *e)
{
	const char *label = enum_label(transfer_state_enum, state);
	const char *what =
		action >= TA_APPROVE_SENDING && action <= TA_ATTACH ? action_text[action] : "该操作";
	const char *k = enum_label(transfer_kind_enum, kind);

	*next = TS_NONE;
	if (!k || !label)
		return err_set(e, ERR_CONFLICT, "transfer_state", "转接类型或状态无效，不能%s", what);
	*next = next_of(kind, state, action);
	if (*next == TS_NONE)
		return err_set(e, ERR_CONFLICT, "transfer_state", "该转接（%s）当前状态为“%s”，不能%s", k,
			       label, what);
	return 0;
}

void transfer_rules_default(struct transfer_rules *r)
{
	r->validity_days = 90;
	r->cross_province_days = 90;
	r->receipt_days = 30;
}

struct date transfer_valid_until(const struct transfer_rules *r, struct date letter_on, bool cross_province)
{
	struct transfer_rules defaults;

	if (!r) {
		transfer_rules_default(&defaults);
		r = &defaults;
	}
	if (!date_is_set(letter_on))
		return DATE_NONE;
	return date_add_days(letter_on, cross_province ? r->cross_province_days : r->validity_days);
}

bool transfer_expired(struct date valid_until, bool receipt_recorded, struct date today)
{
	return date_is_set(valid_until) && !receipt_recorded && date_cmp(today, valid_until) > 0;
}

bool letter_no_valid(const char *s)
{
	int y;

	if (!s || strlen(s) != 11 || s[4] != '-')
		return false;
	for (int i = 0; i < 11; i++)
		if (i != 4 && !(s[i] >= '0' && s[i] <= '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	return y >= 1800 && y <= 9999;
}

/* Counts UTF-8 characters; -1 for invalid UTF-8 or a control character. */
static long text_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p) {
		int len = *p < 0x80             ? 1
			  : (*p & 0xE0) == 0xC0 ? 2
			  : (*p & 0xF0) == 0xE0 ? 3
			  : (*p & 0xF8) == 0xF0 ? 4
						: 0;

		if (!len || (len == 2 && *p < 0xC2))
			return -1;
		if (len == 1 && (*p < 0x20 || *p == 0x7F))
			return -1;
		for (int i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return -1;
		p += len;
		n++;
	}
	return n;
}

static bool space_at(const char *s, size_t i)
{
	return s[i] == ' ' || s[i] == '\t';
}

bool letter_no_external_valid(const char *s)
{
	size_t len;
	long n;

	if (!s || !*s)
		return false;
	len = strlen(s);
	if (space_at(s, 0) || space_at(s, len - 1))
		return false;
	n = text_chars(s);
	return n >= 1 && n <= 40;
}

static int check_text(const char *s, const char *field, const char *what, long max, struct err *e)
{
	long n;

	if (!s || !*s || strspn(s, " \t") == strlen(s))
		return err_field(e, field, "请填写%s", what);
	n = text_chars(s);
	if (n < 0)
		return err_field(e, field, "%s含有无效字符", what);
	if (n > max)
		return err_field(e, field, "%s不能超过%ld个字", what, max);
	return 0;
}

int transfer_request_check(const struct transfer_request *in, struct err *e)
{
	int bad = 0;

	if (in->kind != TK_IN_SYSTEM && in->kind != TK_OUTBOUND && in->kind != TK_INBOUND)
		return err_field(e, "kind", "转接类型应为 in_system、outbound 或 inbound");

	if (in->kind == TK_INBOUND) {
		if (!in->letter_no || !*in->letter_no)
			bad = err_field(e, "letter_no", "请填写介绍信编号");
		else if (!letter_no_external_valid(in->letter_no))
			bad = err_field(e, "letter_no",
					"介绍信编号应为1至40个字符，不含控制字符，首尾无空格");
		if (check_text(in->from_text, "from_text", "转出党组织", 100, e))
			bad = -1;
		if (!date_is_set(in->letter_on))
			bad = err_field(e, "letter_on", "请填写介绍信开具日期");
		else if (date_cmp(in->letter_on, in->today) > 0)
			bad = err_field(e, "letter_on", "介绍信开具日期不能晚于今天");
		if (date_is_set(in->valid_until) && date_is_set(in->letter_on) &&
		    date_cmp(in->valid_until, in->letter_on) < 0)
			bad = err_field(e, "valid_until", "有效期不能早于开具日期");
		if (in->to_org_id <= 0)
			bad = err_field(e, "to_org_id", "请选择接收党支部");
		else if (!transfer_org_accepts(in->to_org_type))
			bad = err_field(e, "to_org_id", "接收组织须为党支部");
		return bad;
	}

	/* in_system, outbound: a member who may transfer. */
	if (in->member_id <= 0)
		return err_field(e, "member_id", "请选择党员");
	{
		int st = in->member_state == MSTATE_NONE ? MSTATE_ACTIVE : in->member_state;

		if (st != MSTATE_ACTIVE) {
			const char *l = enum_label(member_state_enum, st);

			return err_set(e, ERR_CONFLICT, "member_state",
				       "该党员当前状态为“%s”，不能办理组织关系转接", l ? l : "未知");
		}
	}
	if (in->pending_id > 0)
		return err_set(e, ERR_CONFLICT, "transfer_pending",
			       "该党员有尚未办结的组织关系转接（编号%lld）", (long long)in->pending_id);
	if (in->kind == TK_IN_SYSTEM) {
		if (in->to_org_id <= 0)
			bad = err_field(e, "to_org_id", "请选择接收党支部");
		else if (in->to_org_id == in->from_org_id)
			bad = err_field(e, "to_org_id", "接收党支部不能是党员所在的党组织");
		else if (!transfer_org_accepts(in->to_org_type))
			bad = err_field(e, "to_org_id", "接收组织须为党支部");
	} else if (check_text(in->to_text, "to_text", "接收党组织", 100, e)) {
		bad = -1;
	}
	if (date_is_set(in->requested_on)) {
		char buf[11];

		if (date_cmp(in->requested_on, in->today) > 0)
			bad = err_field(e, "requested_on", "申请日期不能晚于今天");
		else if (date_is_set(in->joined_on) && date_cmp(in->requested_on, in->joined_on) < 0) {
			date_format(in->joined_on, buf);
			bad = err_field(e, "requested_on", "申请日期不能早于入党日期%s", buf);
		}
	}
	return bad;
}
