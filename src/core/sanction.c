/*
 * sanction.c: Party disciplinary sanctions (RULES.md 6.1): the five types
 * and their effect periods (DISC-01, DISC-02), 留党察看's rights and
 * extension, delegates (DISC-03), who decides (DISC-04), probationary
 * members (DISC-05, DEV-43) and the lighter measures (DISC-06).
 */
#include "util/common.h"
#include "util/err.h"
#include "core/sanction.h"

const struct enum_entry sanction_type_enum[] = {
	{ SANCTION_WARNING, "warning", "警告" },
	{ SANCTION_SERIOUS_WARNING, "serious_warning", "严重警告" },
	{ SANCTION_REMOVAL_FROM_POST, "removal_from_post", "撤销党内职务" },
	{ SANCTION_PROBATION, "probation", "留党察看" },
	{ SANCTION_EXPULSION, "expulsion", "开除党籍" },
	{ 0, NULL, NULL },
};

const struct enum_entry probation_handling_enum[] = {
	{ PH_CRITICISM, "criticism", "批评教育" },
	{ PH_EXTEND, "extend", "延长预备期" },
	{ PH_CANCEL, "cancel", "取消预备党员资格" },
	{ 0, NULL, NULL },
};

const struct enum_entry disc_measure_enum[] = {
	{ MEASURE_CRITICISM, "criticism", "批评教育" },
	{ MEASURE_SELF_EXAMINATION, "self_examination", "责令检查" },
	{ MEASURE_ADMONISHMENT, "admonishment", "诫勉" },
	{ 0, NULL, NULL },
};

static bool probation_length_valid(int months)
{
	return months == SANCTION_PROBATION_SHORT || months == SANCTION_PROBATION_MAX;
}

struct date sanction_effect_end(int type, struct date decided_on, int probation_months)
{
	if (!date_is_set(decided_on))
		return DATE_NONE;
	switch (type) {
	case SANCTION_WARNING:
		return date_add_months(decided_on, SANCTION_WARNING_MONTHS);
	case SANCTION_SERIOUS_WARNING:
		return date_add_months(decided_on, SANCTION_SERIOUS_WARNING_MONTHS);
	case SANCTION_REMOVAL_FROM_POST:
		return date_add_months(decided_on, SANCTION_REMOVAL_MONTHS);
	case SANCTION_PROBATION:
		/* An invalid length counts as the longest one, so nothing ends early. */
		return date_add_months(decided_on, probation_length_valid(probation_months)
							   ? probation_months
							   : SANCTION_PROBATION_MAX);
	default:
		return DATE_NONE; /* expulsion: membership ends, no period */
	}
}

bool sanction_in_effect(int type, struct date decided_on, int probation_months, struct date on)
{
	struct date end;

	if (type < SANCTION_WARNING || type > SANCTION_EXPULSION || !date_is_set(decided_on) ||
	    date_cmp(on, decided_on) < 0)
		return false;
	if (type == SANCTION_EXPULSION)
		return true;
	end = sanction_effect_end(type, decided_on, probation_months);
	return date_cmp(on, end) < 0;
}

bool sanction_rights_suspended(int type, struct date decided_on, int probation_months,
			       struct date restored_on, struct date on)
{
	if (type != SANCTION_PROBATION || !date_is_set(decided_on) || date_cmp(on, decided_on) < 0)
		return false;
	if (date_is_set(restored_on))
		return date_cmp(on, restored_on) < 0;
	return sanction_in_effect(type, decided_on, probation_months, on);
}

struct date sanction_post_bar_end(struct date restored_on)
{
	return date_is_set(restored_on) ? date_add_months(restored_on, SANCTION_POST_BAR_MONTHS) : DATE_NONE;
}

struct date sanction_readmission_from(struct date expelled_on)
{
	return date_is_set(expelled_on) ? date_add_months(expelled_on, 12 * SANCTION_READMISSION_YEARS)
					: DATE_NONE;
}

bool sanction_readmission_allowed(struct date expelled_on, struct date applied_on)
{
	struct date from = sanction_readmission_from(expelled_on);

	return date_is_set(from) && date_is_set(applied_on) && date_cmp(applied_on, from) >= 0;
}

bool sanction_ends_delegate(int type)
{
	return type == SANCTION_PROBATION || type == SANCTION_EXPULSION;
}

int sanction_effective_type(int type, bool holds_party_post)
{
	return type == SANCTION_REMOVAL_FROM_POST && !holds_party_post ? SANCTION_SERIOUS_WARNING : type;
}

int sanction_authority(int type, bool important, struct sanction_authority *out)
{
	memset(out, 0, sizeof(*out));
	if (type < SANCTION_WARNING || type > SANCTION_EXPULSION)
		return -1;
	out->branch_meeting = true;
	out->committee_approval = true;
	out->commission_approval = important || type == SANCTION_EXPULSION;
	return 0;
}

/* A rule refusal: "[RULE] text" plus the text on `field`. Returns -1. */
static int refuse(struct err *e, const char *rule, const char *field, const char *text)
{
	err_set(e, ERR_VALIDATION, "rule_violation", "[%s] %s", rule, text);
	return err_field(e, field, "%s", text);
}

int sanction_check(const struct sanction_input *in, struct date today, struct err *e)
{
	char buf[11];
	int bad = 0;

	if (in->type < SANCTION_WARNING || in->type > SANCTION_EXPULSION)
		bad = err_field(e, "type", "请选择处分种类");
	if (!date_is_set(in->decided_on) ||
	    !date_valid(in->decided_on.y, in->decided_on.m, in->decided_on.d)) {
		bad = err_field(e, "decided_on", "请填写处分决定日期");
	} else if (date_cmp(in->decided_on, today) > 0) {
		bad = err_field(e, "decided_on", "处分决定日期不能晚于今天");
	} else if (date_is_set(in->joined_on) && date_cmp(in->decided_on, in->joined_on) < 0) {
		date_format(in->joined_on, buf);
		bad = err_field(e, "decided_on", "处分决定日期不能早于入党日期%s", buf);
	}
	if (in->type == SANCTION_PROBATION && !probation_length_valid(in->probation_months))
		bad = err_field(e, "probation_months", "留党察看期限为%d个月或%d个月",
				SANCTION_PROBATION_SHORT, SANCTION_PROBATION_MAX);
	else if (in->type != SANCTION_PROBATION && in->probation_months != 0)
		bad = err_field(e, "probation_months", "只有留党察看需要填写期限");
	if (bad)
		return -1;
	if (in->member_status == STATUS_PROBATIONARY)
		return refuse(e, "DISC-05", "type",
			      "预备党员违犯党纪不给予党纪处分：情节较轻的批评教育或延长预备期，"
			      "情节较重的取消预备党员资格");
	if (in->type == SANCTION_REMOVAL_FROM_POST && !in->holds_party_post)
		return refuse(e, "DISC-03", "type", "该党员未担任党内职务，应给予严重警告处分");
	return 0;
}

int sanction_probation_extend(int current_months, int extension_months, int *total_out, struct err *e)
{
	char text[160];

	*total_out = current_months;
	if (current_months != SANCTION_PROBATION_SHORT) {
		snprintf(text, sizeof(text), "只有留党察看一年的才能延长，留党察看最长%d个月（现为%d个月）",
			 SANCTION_PROBATION_MAX, current_months);
		return refuse(e, "DISC-02", "probation_months", text);
	}
	if (extension_months != SANCTION_PROBATION_EXTENSION) {
		snprintf(text, sizeof(text), "留党察看延长期限为%d个月（现为%d个月）",
			 SANCTION_PROBATION_EXTENSION, extension_months);
		return refuse(e, "DISC-02", "probation_months", text);
	}
	*total_out = current_months + extension_months;
	return 0;
}

int probation_handling_check(int handling, bool serious, struct err *e)
{
	if (handling < PH_CRITICISM || handling > PH_CANCEL)
		return err_field(e, "handling", "请选择处理方式（批评教育、延长预备期或取消预备党员资格）");
	if (serious && handling != PH_CANCEL)
		return refuse(e, "DEV-43", "handling", "预备党员违犯党纪情节较重的，应当取消预备党员资格");
	if (!serious && handling == PH_CANCEL)
		return refuse(e, "DEV-43", "handling",
			      "预备党员违犯党纪情节较轻的，应当批评教育或延长预备期，不取消预备党员资格");
	return 0;
}
