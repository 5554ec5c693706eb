/*
 * develop.c: member development (RULES.md section 1): the step table
 * (DEV-01), the summary of
 * a case's recorded steps (DEV-02, DEV-41, DEV-42, DEV-45), the check of a
 * new step against every rule, and the next step with its dates.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/develop.h"
#include "core/workday.h"

#include <limits.h>

/* ------------------------------------------------------------ enumerations */

const struct enum_entry dev_stage_enum[] = {
	{ DEV_APPLICANT, "applicant", "入党申请人" },
	{ DEV_ACTIVIST, "activist", "入党积极分子" },
	{ DEV_CANDIDATE, "candidate", "发展对象" },
	{ DEV_PROBATIONARY, "probationary", "预备党员" },
	{ DEV_FULL, "full", "正式党员" },
	{ 0, NULL, NULL },
};

const struct enum_entry dev_status_enum[] = {
	{ DEV_OPEN, "open", "进行中" },
	{ DEV_COMPLETED, "completed", "已完成" },
	{ DEV_CANCELLED, "cancelled", "已取消" },
	{ DEV_STOPPED, "stopped", "已终止" },
	{ 0, NULL, NULL },
};

const struct enum_entry dev_role_enum[] = {
	{ DEV_ROLE_TALKER, "talker", "谈话人" },
	{ DEV_ROLE_CONTACT, "contact", "培养联系人" },
	{ DEV_ROLE_INTRODUCER, "introducer", "入党介绍人" },
	{ DEV_ROLE_REVIEWER, "reviewer", "审查人" },
	{ DEV_ROLE_OTHER, "other", "其他" },
	{ 0, NULL, NULL },
};

const struct enum_entry dev_result_enum[] = {
	{ DEV_PASS, "pass", "通过" },
	{ DEV_FAIL, "fail", "未通过" },
	{ 0, NULL, NULL },
};

const struct enum_entry dev_outcome_enum[] = {
	{ DEV_OUTCOME_FULL, "full", "按期转为正式党员" },
	{ DEV_OUTCOME_EXTEND, "extend", "延长预备期" },
	{ DEV_OUTCOME_CANCEL, "cancel", "取消预备党员资格" },
	{ 0, NULL, NULL },
};

const struct enum_entry dev_body_enum[] = {
	{ DEV_BODY_PERSON, "person", "本人" },
	{ DEV_BODY_BRANCH, "branch", "党支部" },
	{ DEV_BODY_BRANCH_COMMITTEE, "branch_committee", "支部委员会" },
	{ DEV_BODY_BRANCH_MEETING, "branch_meeting", "支部党员大会" },
	{ DEV_BODY_HIGHER_ORG, "higher_org", "上级党组织" },
	{ DEV_BODY_HIGHER_COMMITTEE, "higher_committee", "上级党委" },
	{ DEV_BODY_UPPER_DEPARTMENT, "upper_department", "审批党委的上级组织部门" },
	{ 0, NULL, NULL },
};

/* ------------------------------------------------------------------- steps */

static const struct dev_step_def steps[DEV_STEP_COUNT] = {
	{ 1, 1, "递交入党申请书", "入党申请人", false, false, DEV_BODY_PERSON, false },
	{ 2, 1, "党组织派人谈话", "党支部书记、副书记或组织委员", false, false, DEV_BODY_BRANCH, false },
	{ 3, 2, "推荐和确定入党积极分子", "支部委员会", false, false, DEV_BODY_BRANCH_COMMITTEE, false },
	{ 4, 2, "上级党委备案", "上级党委", false, false, DEV_BODY_HIGHER_COMMITTEE, true },
	{ 5, 2, "指定培养联系人", "支部委员会", false, false, DEV_BODY_BRANCH_COMMITTEE, false },
	{ 6, 2, "培养教育考察", "培养联系人和党支部", true, false, DEV_BODY_BRANCH, false },
	{ 7, 3, "确定发展对象", "支部委员会", false, false, DEV_BODY_BRANCH_COMMITTEE, false },
	{ 8, 3, "报上级党委备案", "上级党委", false, false, DEV_BODY_HIGHER_COMMITTEE, true },
	{ 9, 3, "确定入党介绍人", "支部委员会", false, false, DEV_BODY_BRANCH_COMMITTEE, false },
	{ 10, 3, "进行政治审查", "党支部", false, false, DEV_BODY_BRANCH, false },
	{ 11, 3, "开展集中培训", "基层党委或县级党委组织部门", false, false, DEV_BODY_HIGHER_ORG, false },
	{ 12, 4, "支部委员会审查", "支部委员会", false, false, DEV_BODY_BRANCH_COMMITTEE, false },
	{ 13, 4, "上级党委预审", "具有审批权限的党委", false, false, DEV_BODY_HIGHER_COMMITTEE, false },
	{ 14, 4, "填写入党志愿书", "发展对象（入党介绍人指导）", false, false, DEV_BODY_PERSON, false },
	{ 15, 4, "支部大会讨论", "支部党员大会", false, true, DEV_BODY_BRANCH_MEETING, false },
	{ 16, 4, "上级党委派人谈话", "党委委员或组织员", false, false, DEV_BODY_HIGHER_ORG, false },
	{ 17, 4, "上级党委审批", "具有审批权限的党委", false, false, DEV_BODY_HIGHER_COMMITTEE, false },
	{ 18, 4, "再上一级党委组织部门备案", "审批党委的上级组织部门", false, false,
	  DEV_BODY_UPPER_DEPARTMENT, true },
	{ 19, 5, "编入党支部和党小组", "党支部", false, false, DEV_BODY_BRANCH, false },
	{ 20, 5, "入党宣誓", "基层党委或党支部（党总支）", false, false, DEV_BODY_BRANCH, false },
	{ 21, 5, "继续教育考察", "党支部", true, false, DEV_BODY_BRANCH, false },
	{ 22, 5, "提出转正申请", "预备党员", false, false, DEV_BODY_PERSON, false },
	{ 23, 5, "支部大会讨论", "支部党员大会", false, true, DEV_BODY_BRANCH_MEETING, false },
	{ 24, 5, "上级党委审批", "具有审批权限的党委", false, false, DEV_BODY_HIGHER_COMMITTEE, false },
	{ 25, 5, "材料归档", "党支部、党委或县级党委组织部门", false, false, DEV_BODY_BRANCH, false },
};

static const char *const phases[] = {
	"申请入党",       "入党积极分子的确定和培养教育", "发展对象的确定和考察",
	"预备党员的接收", "预备党员的教育考察和转正",
};

const struct dev_step_def *dev_step_def(int step)
{
	return step >= 1 && step <= DEV_STEP_COUNT ? &steps[step - 1] : NULL;
}

bool dev_step_needs_committee(int step)
{
	const struct dev_step_def *d = dev_step_def(step);

	return d && (d->body == DEV_BODY_HIGHER_COMMITTEE || d->body == DEV_BODY_UPPER_DEPARTMENT);
}

bool dev_org_accepts(int org_type)
{
	return org_type == ORG_BRANCH;
}

const char *dev_stage_group_name(int stage_group)
{
	return stage_group >= 1 && stage_group <= (int)ARRAY_SIZE(phases) ? phases[stage_group - 1] : NULL;
}

/* ----------------------------------------------------------------- summary */

/* The public summary plus the dates the checks need (kept private so the header stays small). */
struct replay {
	struct dev_summary sum;
	struct date last_assessment_on; /* the last step 6, or step 3 when none (DEV-15) */
	struct date filed_on;           /* step 4 (DEV-20 [P] activist_from_filing) */
	struct date meeting_on;         /* the step-15 meeting that passed (DEV-35) */
	struct date prereview_on;       /* step 13 (DEV-00, 2026) */
	struct date full_meeting_on;    /* the step-23 meeting in effect (DEV-44) */
	struct date end_before; /* probation_end before the extension in effect (undone by a failed 24) */
	int last_step;          /* the step of the last record */
};

static void replay(const struct dev_rules *r, const struct dev_case *c, struct replay *x)
{
	struct dev_summary *out = &x->sum;

	memset(x, 0, sizeof(*x));
	out->status = DEV_OPEN;
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct dev_step_brief *s = &c->steps[i];
		bool fail = s->result == DEV_FAIL;
		int at = s->step;

		x->last_step = s->step;
		if (date_cmp(s->on, out->last_on) > 0)
			out->last_on = s->on;
		switch (s->step) {
		case 1:
			out->applied_on = s->on;
			out->stage = DEV_APPLICANT;
			break;
		case 3:
			out->activist_on = s->on;
			x->last_assessment_on = s->on;
			out->stage = DEV_ACTIVIST;
			break;
		case 4:
			x->filed_on = s->on;
			break;
		case 6:
			x->last_assessment_on = s->on;
			break;
		case 7:
			out->candidate_on = s->on;
			out->stage = DEV_CANDIDATE;
			break;
		case 10:
			out->review_on = s->on;
			out->review_passed = !fail;
			if (fail)
				out->status = DEV_STOPPED;
			break;
		case 13:
			x->prereview_on = s->on;
			if (fail)
				out->status = DEV_STOPPED;
			break;
		case 15:
			if (fail) {
				at = 14; /* another meeting may follow */
				break;
			}
			x->meeting_on = s->on;
			out->admitted_on = s->on;
			break;
		case 17:
			if (fail) {
				out->status = DEV_STOPPED;
				out->admitted_on = DATE_NONE;
				break;
			}
			out->approved_on = s->on;
			out->probation_end = date_add_months(out->admitted_on, r->probation_months);
			out->stage = DEV_PROBATIONARY;
			break;
		case 23:
			if (fail) {
				at = 22;
				break;
			}
			x->full_meeting_on = s->on;
			out->outcome = s->outcome;
			if (s->outcome == DEV_OUTCOME_EXTEND) {
				x->end_before = out->probation_end;
				out->probation_end = date_add_months(out->probation_end, s->extension_months);
				out->extensions++;
			}
			break;
		case 24:
			if (fail) {
				/* Not approved: an extension is undone and the branch deliberates again. */
				if (out->outcome == DEV_OUTCOME_EXTEND) {
					out->probation_end = x->end_before;
					out->extensions--;
				}
				out->outcome = DEV_OUTCOME_NONE;
				at = 22;
				break;
			}
			switch (out->outcome) {
			case DEV_OUTCOME_FULL:
				out->stage = DEV_FULL;
				out->full_on = out->probation_end; /* DEV-45: the (extended) expiry */
				break;
			case DEV_OUTCOME_EXTEND:
				out->outcome = DEV_OUTCOME_NONE;
				at = 21; /* steps 21-23 repeat */
				break;
			case DEV_OUTCOME_CANCEL:
				out->status = DEV_CANCELLED;
				break;
			default:
				break;
			}
			break;
		case 25:
			out->status = DEV_COMPLETED;
			break;
		default:
			break;
		}
		out->step = at;
	}
	if (c->status == DEV_STOPPED && out->status == DEV_OPEN)
		out->status = DEV_STOPPED;
}

void dev_summarize(const struct dev_rules *r, const struct dev_case *c, struct dev_summary *out)
{
	struct replay x;

	replay(r, c, &x);
	*out = x.sum;
}

/* ---------------------------------------------------------------- helpers */

/* vsnprintf that never leaves a partial UTF-8 sequence at the end. */
static void vfmt_cut(char *buf, size_t n, const char *fmt, va_list ap)
{
	int w = vsnprintf(buf, n, fmt, ap);
	size_t len;

	if (w >= 0 && (size_t)w < n)
		return;
	len = strlen(buf);
	while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
		len--;
	if (len > 0 && ((unsigned char)buf[len - 1] & 0x80))
		len--;
	buf[len] = '\0';
}

/* A rule refusal: "[RULE] text" on e, the text on `field`, out->rule set. Returns -1. */
static int refuse(struct dev_verdict *out, struct err *e, const char *rule, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int refuse(struct dev_verdict *out, struct err *e, const char *rule, const char *field,
		  const char *fmt, ...)
{
	char text[sizeof(((struct err_field *)0)->message)];
	va_list ap;

	va_start(ap, fmt);
	vfmt_cut(text, sizeof(text), fmt, ap);
	va_end(ap);
	err_set(e, ERR_VALIDATION, "rule_violation", "[%s] %s", rule, text);
	err_field(e, field, "%s", text);
	snprintf(out->rule, sizeof(out->rule), "%s", rule);
	return -1;
}

static void warn(struct dev_verdict *out, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(struct dev_verdict *out, const char *rule, const char *fmt, ...)
{
	struct dev_warning *w;
	va_list ap;

	if (out->nwarn >= DEV_WARN_MAX)
		return;
	w = &out->warn[out->nwarn++];
	snprintf(w->rule, sizeof(w->rule), "%s", rule);
	va_start(ap, fmt);
	vfmt_cut(w->message, sizeof(w->message), fmt, ap);
	va_end(ap);
}

/* A period of months in words: "1年", "18个月". */
static const char *months_text(int months, char buf[24])
{
	if (months > 0 && months % 12 == 0)
		snprintf(buf, 24, "%d年", months / 12);
	else
		snprintf(buf, 24, "%d个月", months);
	return buf;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

static bool counted_state(int state)
{
	return state == MSTATE_NONE || state == MSTATE_ACTIVE || state == MSTATE_LOST;
}

static const char *step_name(int step)
{
	const struct dev_step_def *d = dev_step_def(step);

	return d ? d->name : "";
}

/* The step that may be recorded next: the one after sum->step, or sum->step itself when periodic. */
static bool step_allowed(const struct dev_summary *sum, int step)
{
	const struct dev_step_def *cur = dev_step_def(sum->step);

	if (step == sum->step + 1)
		return true;
	return cur && cur->periodic && step == sum->step;
}

/* ------------------------------------------------------- rule checks */

/*
 * Checks the people of one role: count in [min, max], each a registered full
 * member of the branch in a counted state (and not under 留党察看 when
 * `no_sanction`). Returns 0 or a refusal citing `rule`.
 */
static int check_people(const struct dev_step_input *in, int role, int min, int max, bool no_sanction,
			const char *rule, struct dev_verdict *out, struct err *e)
{
	const char *what = enum_label(dev_role_enum, role);
	int n = 0;

	for (size_t i = 0; i < in->npeople; i++) {
		const struct dev_person_fact *p = &in->people[i];

		if (p->role != role)
			continue;
		n++;
		if (!p->registered || p->member_id <= 0)
			return refuse(out, e, rule, "people", "%s须为本支部登记在册的党员", what);
		if (p->status != STATUS_FULL)
			return refuse(out, e, rule, "people", "%s须为正式党员，预备党员不能担任", what);
		if (!counted_state(p->state))
			return refuse(out, e, rule, "people", "%s的党籍状态不正常（已停止党籍、出党或转出）",
				      what);
		if (!p->in_branch)
			return refuse(out, e, rule, "people", "%s须为本支部党员", what);
		if (no_sanction && p->sanction_probation)
			return refuse(out, e, rule, "people",
				      "受留党察看处分、尚未恢复党员权利的党员不能担任%s", what);
	}
	if (n < min || n > max) {
		if (min == max)
			return refuse(out, e, rule, "people", "%s须为%d人（现为%d人）", what, min, n);
		return refuse(out, e, rule, "people", "%s须为%d至%d人（现为%d人）", what, min, max, n);
	}
	return 0;
}

/* DEV-33: the approver (13, 17, 24) must be a party committee above the branch. */
static int check_approver(const struct dev_step_input *in, struct dev_verdict *out, struct err *e)
{
	if (in->approver_type == ORG_GENERAL_BRANCH)
		return refuse(out, e, "DEV-33", "approver_org_id",
			      "党总支没有审批（预审）发展党员的权限，只能审议后报党委");
	if (in->approver_type != ORG_PARTY_COMMITTEE)
		return refuse(out, e, "DEV-33", "approver_org_id", "须由具有审批权限的党委预审和审批");
	if (!in->approver_above)
		return refuse(out, e, "DEV-33", "approver_org_id", "审批党委须为本支部的上级党委");
	return 0;
}

/*
 * DEV-50: publicity before steps in r->publicity_steps; always validates a
 * given period. It concerns this person's development, so it starts no
 * earlier than their application (applied_on, when there is one) and never
 * before the founding of the Party.
 */
static int check_publicity(const struct dev_rules *r, const struct dev_step_input *in, struct date applied_on,
			   struct dev_verdict *out, struct err *e)
{
	bool required = in->step < 32 && (r->publicity_steps & (1u << in->step));
	bool given = date_is_set(in->publicity_from) || date_is_set(in->publicity_to);
	char a[11], b[11];

	if (!given) {
		if (required)
			return refuse(out, e, "DEV-50", "publicity", "%s前须公示不少于%d个工作日",
				      step_name(in->step), r->publicity_working_days);
		return 0;
	}
	if (!date_is_set(in->publicity_from) || !date_is_set(in->publicity_to))
		return err_field(e, "publicity", "请填写公示的起止日期");
	if (date_cmp(in->publicity_from, in->publicity_to) > 0)
		return err_field(e, "publicity", "公示结束日期不能早于开始日期");
	if (date_cmp(in->publicity_from, DATE_PARTY_FOUNDED) < 0)
		return err_field(e, "publicity", "公示开始日期不能早于1921年7月1日");
	if (date_is_set(applied_on) && date_cmp(in->publicity_from, applied_on) < 0) {
		date_format(applied_on, a);
		return err_field(e, "publicity", "公示开始日期不能早于递交入党申请书的日期%s", a);
	}
	out->publicity_working_days =
		workdays_between(in->publicity_from, in->publicity_to, &out->publicity_provisional);
	date_format(in->publicity_to, b);
	if (date_cmp(in->publicity_to, in->on) >= 0)
		return refuse(out, e, "DEV-50", "publicity", "公示须在%s之前结束（公示至%s）",
			      step_name(in->step), b);
	if (required && out->publicity_working_days < r->publicity_working_days) {
		struct date end = workdays_end(in->publicity_from, r->publicity_working_days, NULL);

		date_format(end, a);
		return refuse(out, e, "DEV-50", "publicity", "公示不少于%d个工作日（实为%d个，最早至%s）",
			      r->publicity_working_days, out->publicity_working_days, a);
	}
	return 0;
}

/* DEV-30: a branch members' meeting vote (15, 23). Fills out->vote*. */
static int check_vote(const struct dev_step_input *in, struct dev_verdict *out, struct err *e)
{
	struct vote_input v = in->vote;
	struct err ve = ERR_INIT;

	v.type = MTG_MEMBER_CONGRESS;
	v.development = true;
	if (meeting_vote_check(NULL, &v, &out->vote, &ve)) {
		const char *msg = ve.nfields ? ve.fields[0].message : ve.message;
		int rc = refuse(out, e, "DEV-30", "vote", "表决人数有误：%s", msg);

		err_release(&ve);
		return rc;
	}
	err_release(&ve);
	if (v.expected > in->branch_full_members)
		return refuse(out, e, "DEV-30", "vote",
			      "应到会有表决权的党员%d人，超过本支部正式党员人数%d人", v.expected,
			      in->branch_full_members);
	out->vote_checked = true;
	out->vote_passed = out->vote.passed;
	return 0;
}

/* The plain "needs" of a step: missing input is a validation error, all reported at once. */
static int check_needs(const struct dev_step_input *in, struct err *e)
{
	int bad = 0;

	switch (in->step) {
	case 10:
	case 13:
	case 17:
	case 24:
		if (in->result != DEV_PASS && in->result != DEV_FAIL)
			bad = err_field(e, "result", "请选择结果（通过或未通过）");
		break;
	default:
		if (in->result != DEV_RESULT_NONE && in->result != DEV_PASS && in->result != DEV_FAIL)
			bad = err_field(e, "result", "结果应为通过或未通过");
		break;
	}
	if (in->step == 13 || in->step == 17 || in->step == 24) {
		if (in->approver_type == ORG_TYPE_NONE)
			bad = err_field(e, "approver_org_id", "请选择作出决定的党委");
	}
	if (in->step == 6 && blank(in->summary))
		bad = err_field(e, "summary", "请填写考察情况");
	if (in->step == 15 || in->step == 23) {
		if (!in->has_vote)
			bad = err_field(e, "vote", "请填写支部党员大会表决情况");
	}
	if (in->step == 23) {
		if (in->outcome < DEV_OUTCOME_FULL || in->outcome > DEV_OUTCOME_CANCEL)
			bad = err_field(e, "outcome",
					"请选择讨论结果（按期转正、延长预备期或取消预备党员资格）");
	} else if (in->outcome != DEV_OUTCOME_NONE) {
		bad = err_field(e, "outcome", "只有第23步可以填写转正结果");
	}
	if (in->step == 11 && in->has_training && (in->training_days < 0 || in->training_hours < 0))
		bad = err_field(e, "training", "培训天数和学时不能为负数");
	if (in->step == 2) {
		int talkers = 0;

		for (size_t i = 0; i < in->npeople; i++)
			if (in->people[i].role == DEV_ROLE_TALKER) {
				talkers++;
				if (!in->people[i].registered || !in->people[i].in_branch ||
				    !counted_state(in->people[i].state))
					bad = err_field(e, "people", "谈话人须为本支部党员");
			}
		if (!talkers)
			bad = err_field(e, "people", "请指定谈话人");
	}
	for (size_t i = 0; i < in->npeople; i++)
		if (in->people[i].role < DEV_ROLE_TALKER || in->people[i].role > DEV_ROLE_OTHER)
			bad = err_field(e, "people", "人员角色无效");
	return bad;
}

/* ------------------------------------------------------------ the check */

int dev_check_step(const struct dev_rules *r, const struct dev_case *c, const struct dev_step_input *in,
		   struct date today, struct dev_verdict *out, struct err *e)
{
	struct replay x;
	struct dev_summary sum;
	char d1[11], d2[11], m[24];
	struct date limit;

	assert(r && c && in && out && e);
	memset(out, 0, sizeof(*out));
	replay(r, c, &x);
	sum = x.sum;

	if (sum.status != DEV_OPEN)
		return err_set(e, ERR_CONFLICT, "case_closed", "该发展对象的发展程序已%s，不能再记录步骤",
			       enum_label(dev_status_enum, sum.status));
	if (!dev_step_def(in->step))
		return err_field(e, "step", "步骤应为1到25");
	if (!date_is_set(in->on) || !date_valid(in->on.y, in->on.m, in->on.d))
		return err_field(e, "on", "请填写日期");
	if (date_cmp(in->on, today) > 0)
		return err_field(e, "on", "日期不能晚于今天");
	if (date_cmp(in->on, DATE_PARTY_FOUNDED) < 0)
		return err_field(e, "on", "日期不能早于1921年7月1日");

	/* DEV-01: order. */
	if (!step_allowed(&sum, in->step)) {
		int next = sum.step + 1;

		if (sum.step == 0)
			return refuse(out, e, "DEV-01", "step", "须先递交入党申请书（第1步）");
		if (next > DEV_STEP_COUNT)
			return refuse(out, e, "DEV-01", "step", "发展程序已全部完成");
		return refuse(out, e, "DEV-01", "step", "须按顺序进行：下一步为第%d步“%s”", next,
			      step_name(next));
	}
	/* DEV-60: dates in order. */
	if (date_is_set(sum.last_on) && date_cmp(in->on, sum.last_on) < 0) {
		date_format(sum.last_on, d1);
		return refuse(out, e, "DEV-60", "on", "日期不能早于上一步骤的日期%s", d1);
	}
	if (check_needs(in, e))
		return -1;

	switch (in->step) {
	case 1: /* DEV-10 */
		if (!date_is_set(c->birth_date))
			return err_field(e, "birth_date", "请填写出生日期");
		if (date_age_on(c->birth_date, in->on) < r->min_age) {
			date_format(date_add_months(c->birth_date, 12 * r->min_age), d1);
			return refuse(out, e, "DEV-10", "on", "申请入党须年满%d周岁（最早%s）", r->min_age,
				      d1);
		}
		break;
	case 2: /* DEV-12 */
		limit = date_add_months(sum.applied_on, r->talk_months);
		if (date_cmp(in->on, limit) > 0) {
			date_format(limit, d1);
			warn(out, "DEV-12", "收到入党申请书后应在%s内派人谈话（应于%s前）",
			     months_text(r->talk_months, m), d1);
		}
		break;
	case 3: /* DEV-13 [P] */
		if (r->applicant_wait_months > 0) {
			limit = date_add_months(sum.applied_on, r->applicant_wait_months);
			if (date_cmp(in->on, limit) < 0) {
				date_format(limit, d1);
				return refuse(out, e, "DEV-13", "on",
					      "递交入党申请书满%s后才能确定为入党积极分子（最早%s）",
					      months_text(r->applicant_wait_months, m), d1);
			}
		}
		break;
	case 5: /* DEV-14 */
		if (check_people(in, DEV_ROLE_CONTACT, r->contacts_min, r->contacts_max, false, "DEV-14", out,
				 e))
			return -1;
		break;
	case 7: { /* DEV-20, DEV-15, DEV-50 */
		struct date base = sum.activist_on, prev = sum.activist_on;

		if (r->activist_from_filing && date_is_set(x.filed_on))
			base = x.filed_on;
		limit = date_add_months(base, r->activist_months);
		if (date_cmp(in->on, limit) < 0) {
			date_format(limit, d1);
			return refuse(out, e, "DEV-20", "on",
				      "确定为发展对象须在确定为入党积极分子满%s后（最早%s）",
				      months_text(r->activist_months, m), d1);
		}
		/* Every gap activist -> 考察 ... -> today's step within assessment_months. */
		for (size_t i = 0; i <= c->nsteps; i++) {
			struct date next;

			if (i < c->nsteps && c->steps[i].step != 6)
				continue;
			next = i < c->nsteps ? c->steps[i].on : in->on;
			limit = date_add_months(prev, r->assessment_months);
			if (date_is_set(prev) && date_cmp(next, limit) > 0) {
				date_format(prev, d1);
				date_format(next, d2);
				return refuse(out, e, "DEV-15", "on", "%s至%s之间超过%s没有培养教育考察记录",
					      d1, d2, months_text(r->assessment_months, m));
			}
			prev = next;
		}
		break;
	}
	case 9: /* DEV-21 */
		if (check_people(in, DEV_ROLE_INTRODUCER, r->introducers, r->introducers, true, "DEV-21", out,
				 e))
			return -1;
		break;
	case 10: /* DEV-22 */
		if (blank(in->summary))
			return refuse(out, e, "DEV-22", "summary", "政治审查须形成结论性材料");
		break;
	case 11: { /* DEV-23 */
		int days = in->has_training ? in->training_days : 0;
		int hours = in->has_training ? in->training_hours : 0;

		if (days < r->training_days && hours < r->training_hours) {
			if (blank(in->justification))
				return refuse(
					out, e, "DEV-23", "training",
					"集中培训须不少于%d天或不少于%d学时（现为%d天、%d学时），例外须说明理由",
					r->training_days, r->training_hours, days, hours);
			warn(out, "DEV-23", "集中培训不足%d天且不足%d学时（%d天、%d学时），按例外情况记录",
			     r->training_days, r->training_hours, days, hours);
		}
		break;
	}
	case 13: /* DEV-33, DEV-32 */
		if (check_approver(in, out, e))
			return -1;
		if (r->leave_warning_months > 0 && date_is_set(in->leaving_on)) {
			limit = date_add_months(in->on, r->leave_warning_months);
			if (date_cmp(in->leaving_on, limit) <= 0) {
				date_format(in->leaving_on, d1);
				warn(out, "DEV-32",
				     "发展对象将于%s离开工作、学习单位（%s以内），一般不宜发展", d1,
				     months_text(r->leave_warning_months, m));
			}
		}
		break;
	case 15: /* DEV-30, DEV-22, DEV-00 */
		if (check_vote(in, out, e))
			return -1;
		if (r->review_valid_months > 0 && date_is_set(sum.review_on)) {
			limit = date_add_months(sum.review_on, r->review_valid_months);
			if (date_cmp(in->on, limit) > 0) {
				date_format(sum.review_on, d1);
				warn(out, "DEV-22", "政治审查结论（%s）已超过%s，应重新审查", d1,
				     months_text(r->review_valid_months, m));
			}
		}
		if (r->meeting_after_prereview_months > 0 && date_is_set(x.prereview_on)) {
			limit = date_add_months(x.prereview_on, r->meeting_after_prereview_months);
			if (date_cmp(in->on, limit) > 0) {
				date_format(limit, d1);
				warn(out, "DEV-00", "上级党委预审后应在%s内召开支部党员大会（应于%s前）",
				     months_text(r->meeting_after_prereview_months, m), d1);
			}
		}
		break;
	case 17: { /* DEV-33, DEV-35 */
		struct date normal = date_add_months(x.meeting_on, r->approval_months);
		struct date hard = date_add_months(x.meeting_on, r->approval_max_months);

		if (check_approver(in, out, e))
			return -1;
		date_format(x.meeting_on, d1);
		if (date_cmp(in->on, hard) > 0) {
			date_format(hard, d2);
			return refuse(out, e, "DEV-35", "on",
				      "审批不得超过支部大会（%s）后%s（最迟%s），须重新履行程序", d1,
				      months_text(r->approval_max_months, m), d2);
		}
		if (date_cmp(in->on, normal) > 0) {
			date_format(normal, d2);
			warn(out, "DEV-35", "审批应在支部大会（%s）后%s内完成（应于%s前）", d1,
			     months_text(r->approval_months, m), d2);
		}
		break;
	}
	case 20: /* DEV-40 */
		if (r->oath_deadline_months > 0 && date_is_set(sum.approved_on)) {
			limit = date_add_months(sum.approved_on, r->oath_deadline_months);
			if (date_cmp(in->on, limit) > 0) {
				date_format(limit, d1);
				warn(out, "DEV-40", "入党宣誓应在批准后%s内进行（应于%s前）",
				     months_text(r->oath_deadline_months, m), d1);
			}
		}
		break;
	case 23: /* DEV-41, DEV-42, DEV-30 */
		if (date_cmp(in->on, sum.probation_end) < 0) {
			date_format(sum.probation_end, d1);
			return refuse(out, e, "DEV-41", "on", "预备期至%s届满，届满后才能讨论转正", d1);
		}
		if (in->outcome == DEV_OUTCOME_EXTEND) {
			if (sum.extensions >= r->extensions_max)
				return refuse(out, e, "DEV-42", "outcome", "预备期只能延长%d次，已延长过",
					      r->extensions_max);
			if (in->extension_months < r->extension_min ||
			    in->extension_months > r->extension_max)
				return refuse(out, e, "DEV-42", "extension_months",
					      "延长预备期须为%d至%d个月（现为%d个月）", r->extension_min,
					      r->extension_max, in->extension_months);
		}
		if (check_vote(in, out, e))
			return -1;
		break;
	case 24: { /* DEV-33, DEV-44 */
		if (check_approver(in, out, e))
			return -1;
		limit = date_add_months(x.full_meeting_on, r->full_approval_months);
		if (date_cmp(in->on, limit) > 0) {
			date_format(limit, d1);
			warn(out, "DEV-44", "转正审批应在支部大会后%s内完成（应于%s前）",
			     months_text(r->full_approval_months, m), d1);
		}
		break;
	}
	default:
		break;
	}
	if (check_publicity(r, in, sum.applied_on, out, e))
		return -1;
	return 0;
}

/* -------------------------------------------------------------- DEV-16 */

int dev_move_check(const struct dev_rules *r, const struct dev_case *c, const struct dev_move *m,
		   struct date today, struct err *e)
{
	struct replay x;
	char d1[11];
	int bad = 0;

	assert(r && c && m && e);
	replay(r, c, &x);
	if (x.sum.status != DEV_OPEN)
		return err_set(e, ERR_CONFLICT, "case_closed", "该发展对象的发展程序已%s，不能转移",
			       enum_label(dev_status_enum, x.sum.status));
	if (m->to_org_id <= 0)
		bad = err_field(e, "org_id", "请选择接收的党支部");
	else if (m->to_org_type == ORG_TYPE_NONE)
		bad = err_field(e, "org_id", "接收的党组织不存在");
	else if (m->to_org_id == m->from_org_id)
		bad = err_field(e, "org_id", "接收的党支部不能是原党支部");
	else if (!dev_org_accepts(m->to_org_type))
		bad = err_field(e, "org_id", "入党申请人、积极分子和发展对象须由党支部培养");
	if (!date_is_set(m->on) || !date_valid(m->on.y, m->on.m, m->on.d)) {
		bad = err_field(e, "on", "请填写转移日期");
	} else if (date_cmp(m->on, today) > 0) {
		bad = err_field(e, "on", "转移日期不能晚于今天");
	} else if (date_is_set(x.sum.last_on) && date_cmp(m->on, x.sum.last_on) < 0) {
		date_format(x.sum.last_on, d1);
		bad = err_field(e, "on", "转移日期不能早于上一步骤的日期%s", d1);
	}
	if (bad)
		return -1;
	if (date_is_set(x.sum.approved_on)) {
		err_set(e, ERR_VALIDATION, "rule_violation",
			"[DEV-16] 已批准为预备党员，应办理组织关系转接，不能转移发展材料");
		return err_field(e, "org_id", "已批准为预备党员，应办理组织关系转接");
	}
	return 0;
}

/* --------------------------------------------------------------- next step */

static void set_due(struct dev_next *out, struct date due, const char *rule, struct date today)
{
	out->due = due;
	out->overdue = date_is_set(due) && date_cmp(today, due) > 0;
	snprintf(out->rule, sizeof(out->rule), "%s", rule);
}

/* A rule's earliest date: the later of it and the latest step's date; names the rule unless a due does. */
static void set_earliest(struct dev_next *out, struct date earliest, const char *rule)
{
	if (date_cmp(earliest, out->earliest) > 0)
		out->earliest = earliest;
	if (!date_is_set(out->due))
		snprintf(out->rule, sizeof(out->rule), "%s", rule);
}

int dev_next(const struct dev_rules *r, const struct dev_case *c, struct date today, struct dev_next *out)
{
	struct replay x;
	const struct dev_summary *sum = &x.sum;
	struct date base, assess_due;
	int next;

	memset(out, 0, sizeof(*out));
	replay(r, c, &x);
	if (sum->status != DEV_OPEN || c->nsteps == 0)
		return -1;
	next = sum->step + 1;
	base = sum->activist_on;
	if (r->activist_from_filing && date_is_set(x.filed_on))
		base = x.filed_on;
	assess_due = date_add_months(x.last_assessment_on, r->assessment_months);
	/* Periodic steps: another record while the next step cannot come in time. */
	if (sum->step == 6 && date_cmp(date_add_months(base, r->activist_months), assess_due) > 0)
		next = 6;
	if (sum->step == 21 && date_cmp(today, sum->probation_end) < 0)
		next = 21;
	if (next > DEV_STEP_COUNT)
		return -1;
	out->step = next;
	out->earliest = sum->last_on;

	switch (next) {
	case 2:
		set_due(out, date_add_months(sum->applied_on, r->talk_months), "DEV-12", today);
		break;
	case 3:
		if (r->applicant_wait_months > 0)
			set_earliest(out, date_add_months(sum->applied_on, r->applicant_wait_months),
				     "DEV-13");
		break;
	case 6:
		set_due(out, assess_due, "DEV-15", today);
		break;
	case 7:
		set_due(out, assess_due, "DEV-15", today);
		set_earliest(out, date_add_months(base, r->activist_months), "DEV-20");
		break;
	case 15:
		if (r->meeting_after_prereview_months > 0)
			set_due(out, date_add_months(x.prereview_on, r->meeting_after_prereview_months),
				"DEV-00", today);
		break;
	case 16:
	case 17:
		set_due(out, date_add_months(x.meeting_on, r->approval_months), "DEV-35", today);
		break;
	case 20:
		if (r->oath_deadline_months > 0)
			set_due(out, date_add_months(sum->approved_on, r->oath_deadline_months), "DEV-40",
				today);
		break;
	case 22:
		set_due(out, sum->probation_end, "DEV-41", today);
		break;
	case 23:
		set_due(out, sum->probation_end, "DEV-41", today);
		set_earliest(out, sum->probation_end, "DEV-41");
		break;
	case 24:
		set_due(out, date_add_months(x.full_meeting_on, r->full_approval_months), "DEV-44", today);
		break;
	default:
		break;
	}
	return 0;
}

/* ------------------------------------------------------------------ DEV-53 */

struct date dev_dormant_since(const struct dev_rules *r, struct date today)
{
	return date_add_days(date_add_months(today, -12 * r->dormant_years), 1);
}

bool dev_dormant(const struct dev_rules *r, struct date last_developed, struct date today)
{
	return !date_is_set(last_developed) || date_cmp(last_developed, dev_dormant_since(r, today)) < 0;
}
