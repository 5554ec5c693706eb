/*
 * develop_rules.c: the numbers of member development (RULES.md section 1)
 * as versioned settings (DEV-00): the defaults of the 2014 and 2026 texts,
 * the "2014.key=value; ..." override text and the list the API shows.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/develop.h"

#include <limits.h>
#include <stddef.h>

enum { V2014 = 2014, V2026 = 2026 }; /* the rule versions (DEV-00) */

/* ------------------------------------------------------------------- rules */

void dev_rules_default(struct dev_rules *r, int version)
{
	bool v2026 = version == V2026;

	memset(r, 0, sizeof(*r));
	r->version = version;
	r->min_age = 18;
	r->talk_months = 1;
	r->applicant_wait_months = 0;
	r->contacts_min = 1;
	r->contacts_max = 2;
	r->assessment_months = 6;
	r->activist_months = 12;
	r->activist_from_filing = false;
	r->introducers = 2;
	r->training_days = 3;
	r->training_hours = 24;
	r->review_valid_months = 12;
	r->approval_months = 3;
	r->approval_max_months = 6;
	r->probation_months = 12;
	r->extension_min = 6;
	r->extension_max = 12;
	r->extensions_max = 1;
	r->full_approval_months = 3;
	r->oath_deadline_months = v2026 ? 1 : 0;
	r->publicity_working_days = 5;
	r->publicity_steps = v2026 ? 1u << 7 : 0;
	r->meeting_after_prereview_months = v2026 ? 1 : 0;
	r->dormant_years = 3;
	r->leave_warning_months = 3;
}

const struct dev_rules *dev_rules_for(const struct dev_rules *r2014, const struct dev_rules *r2026,
				      int version)
{
	return version == V2026 ? r2026 : r2014;
}

int dev_version_default(struct date applied_on)
{
	return date_cmp(applied_on, (struct date){ 2026, 5, 18 }) >= 0 ? V2026 : V2014;
}

/* One setting: where it lives in struct dev_rules and its range. */
struct rule_key {
	const char *key, *rule, *label;
	size_t off;
	int kind;
	int min, max;
};

#define K(name, rule, label, lo, hi) \
	{ \
#name, rule, label, offsetof(struct dev_rules, name), DEV_ITEM_INT, lo, hi \
	}

static const struct rule_key keys[] = {
	K(min_age, "DEV-10", "申请入党最低年龄（周岁）", 14, 30),
	K(talk_months, "DEV-12", "收到入党申请书后谈话期限（月）", 1, 12),
	K(applicant_wait_months, "DEV-13", "申请入党至确定积极分子最短时间（月）", 0, 36),
	K(contacts_min, "DEV-14", "培养联系人最少人数", 1, 5),
	K(contacts_max, "DEV-14", "培养联系人最多人数", 1, 5),
	K(assessment_months, "DEV-15", "考察间隔（月）", 1, 24),
	K(activist_months, "DEV-20", "积极分子培养考察期（月）", 0, 60),
	{ "activist_from_filing", "DEV-20", "培养期自上级党委备案之日起算",
	  offsetof(struct dev_rules, activist_from_filing), DEV_ITEM_BOOL, 0, 1 },
	K(introducers, "DEV-21", "入党介绍人人数", 1, 5),
	K(training_days, "DEV-23", "集中培训最少天数", 0, 30),
	K(training_hours, "DEV-23", "集中培训最少学时", 0, 240),
	K(review_valid_months, "DEV-22", "政审结论有效期（月，0为不检查）", 0, 60),
	K(approval_months, "DEV-35", "支部大会后审批期限（月）", 1, 12),
	K(approval_max_months, "DEV-35", "审批最长期限（月）", 1, 24),
	K(probation_months, "DEV-41", "预备期（月）", 1, 36),
	K(extension_min, "DEV-42", "延长预备期最短（月）", 1, 24),
	K(extension_max, "DEV-42", "延长预备期最长（月）", 1, 24),
	K(extensions_max, "DEV-42", "延长预备期最多次数", 0, 3),
	K(full_approval_months, "DEV-44", "转正审批期限（月）", 1, 12),
	K(oath_deadline_months, "DEV-40", "批准后入党宣誓期限（月，0为不限）", 0, 12),
	K(publicity_working_days, "DEV-50", "公示最少工作日", 1, 30),
	{ "publicity_steps", "DEV-50", "须先公示的步骤", offsetof(struct dev_rules, publicity_steps),
	  DEV_ITEM_STEPS, 0, DEV_STEP_COUNT },
	K(meeting_after_prereview_months, "DEV-00", "预审后召开支部大会期限（月，0为不限）", 0, 12),
	K(dormant_years, "DEV-53", "未发展党员预警年数", 1, 20),
	K(leave_warning_months, "DEV-32", "预审时提醒即将离开工作学习单位的月数（0为不检查）", 0, 12),
};

#undef K

_Static_assert(ARRAY_SIZE(keys) <= DEV_RULE_ITEMS, "DEV_RULE_ITEMS must hold every setting");

static int key_get(const struct dev_rules *r, const struct rule_key *k)
{
	const char *p = (const char *)r + k->off;

	switch (k->kind) {
	case DEV_ITEM_BOOL:
		return *(const bool *)p;
	case DEV_ITEM_STEPS:
		return (int)*(const uint32_t *)p;
	default:
		return *(const int *)p;
	}
}

static void key_set(struct dev_rules *r, const struct rule_key *k, int v)
{
	char *p = (char *)r + k->off;

	switch (k->kind) {
	case DEV_ITEM_BOOL:
		*(bool *)p = v != 0;
		break;
	case DEV_ITEM_STEPS:
		*(uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(int *)p = v;
		break;
	}
}

size_t dev_rules_items(const struct dev_rules *r, struct dev_rule_item *out, size_t cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys) && i < cap; i++) {
		out[i].key = keys[i].key;
		out[i].rule = keys[i].rule;
		out[i].label = keys[i].label;
		out[i].value = key_get(r, &keys[i]);
		out[i].kind = keys[i].kind;
	}
	return ARRAY_SIZE(keys);
}

/* Parses a whole decimal number in [min, max]. */
static int parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	if (!*s || !(*s >= '0' && *s <= '9'))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* "7", "3+7", "0" or "none" into a step bit set. */
static int parse_steps(const char *s, uint32_t *out)
{
	uint32_t set = 0;
	char buf[64];
	char *p, *plus;

	if (!strcmp(s, "none") || !strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	for (p = buf;; p = plus + 1) {
		int step;

		plus = strchr(p, '+');
		if (plus)
			*plus = '\0';
		if (parse_int(p, 1, DEV_STEP_COUNT, &step))
			return -1;
		set |= 1u << step;
		if (!plus)
			break;
	}
	*out = set;
	return 0;
}

/* Copies s without spaces and tabs into out (size n); -1 when it does not fit. */
static int squeeze(const char *s, size_t len, char *out, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			continue;
		if (j + 1 >= n)
			return -1;
		out[j++] = s[i];
	}
	out[j] = '\0';
	return 0;
}

static int rules_consistent(const struct dev_rules *r, struct err *e)
{
	if (r->contacts_min > r->contacts_max)
		return err_field(e, "dev_rules", "%d版：培养联系人最少人数不能大于最多人数", r->version);
	if (r->approval_months > r->approval_max_months)
		return err_field(e, "dev_rules", "%d版：审批期限不能超过审批最长期限", r->version);
	if (r->extension_min > r->extension_max)
		return err_field(e, "dev_rules", "%d版：延长预备期最短不能大于最长", r->version);
	return 0;
}

int dev_rules_parse(struct dev_rules *r2014, struct dev_rules *r2026, const char *text, struct err *e)
{
	struct dev_rules a = *r2014, b = *r2026;
	const char *p = text;

	while (p && *p) {
		const char *end = p + strcspn(p, ";,");
		char part[96];
		char *eq, *name, *value, *dot;
		const struct rule_key *k = NULL;
		int which = 0; /* 0 both, 2014, 2026 */
		int v;

		if (squeeze(p, (size_t)(end - p), part, sizeof(part)))
			return err_field(e, "dev_rules", "发展党员规则设置过长：%.24s…", p);
		p = *end ? end + 1 : end;
		if (!part[0])
			continue;
		eq = strchr(part, '=');
		if (!eq)
			return err_field(e, "dev_rules", "发展党员规则设置“%s”格式应为 版本.名称=值", part);
		*eq = '\0';
		name = part;
		value = eq + 1;
		dot = strchr(name, '.');
		if (dot) {
			*dot = '\0';
			if (!strcmp(name, "2014"))
				which = V2014;
			else if (!strcmp(name, "2026"))
				which = V2026;
			else
				return err_field(e, "dev_rules", "未知的规则版本“%s”（应为2014或2026）",
						 name);
			name = dot + 1;
		}
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strcmp(keys[i].key, name))
				k = &keys[i];
		if (!k)
			return err_field(e, "dev_rules", "未知的发展党员规则“%s”", name);
		if (k->kind == DEV_ITEM_BOOL) {
			if (!strcmp(value, "1") || !strcmp(value, "true"))
				v = 1;
			else if (!strcmp(value, "0") || !strcmp(value, "false"))
				v = 0;
			else
				return err_field(e, "dev_rules", "规则“%s”的值应为 true 或 false", name);
		} else if (k->kind == DEV_ITEM_STEPS) {
			uint32_t set;

			if (parse_steps(value, &set))
				return err_field(e, "dev_rules",
						 "规则“%s”的值应为步骤号（如 7 或 3+7）或 none", name);
			v = (int)set;
		} else if (parse_int(value, k->min, k->max, &v)) {
			return err_field(e, "dev_rules", "规则“%s”的值应为%d到%d之间的整数", name, k->min,
					 k->max);
		}
		if (which != V2026)
			key_set(&a, k, v);
		if (which != V2014)
			key_set(&b, k, v);
	}
	if (rules_consistent(&a, e) || rules_consistent(&b, e))
		return -1;
	*r2014 = a;
	*r2026 = b;
	return 0;
}
