/*
 * meeting.c: organisational life (RULES.md 3.3): the meeting type and
 * attendance enumerations, the default frequencies, the quorum and majority
 * rules of a vote (MTG-02, MTG-09, MTG-10, DEV-30; "half" compared in
 * integers per C-04), month/quarter/year periods and compliance (MTG-15).
 */
#include "util/common.h"
#include "util/err.h"
#include "core/meeting.h"

#include <limits.h>

/* ------------------------------------------------------------ enumerations */

const struct enum_entry meeting_type_enum[] = {
	{ MTG_MEMBER_CONGRESS, "member_congress", "支部党员大会" },
	{ MTG_COMMITTEE_MEETING, "committee_meeting", "支委会" },
	{ MTG_GROUP_MEETING, "group_meeting", "党小组会" },
	{ MTG_PARTY_LECTURE, "party_lecture", "党课" },
	{ MTG_THEME_DAY, "theme_day", "主题党日" },
	{ MTG_ORG_LIFE_MEETING, "org_life_meeting", "组织生活会" },
	{ MTG_EVALUATION, "evaluation", "民主评议党员" },
	{ MTG_HEART_TALK, "heart_talk", "谈心谈话" },
	{ MTG_DEMOCRATIC_LIFE_MEETING, "democratic_life_meeting", "民主生活会" },
	{ MTG_STUDY_SESSION, "study_session", "中心组学习" },
	{ 0, NULL, NULL },
};

const struct enum_entry attendance_enum[] = {
	{ ATT_PRESENT, "present", "出席" },
	{ ATT_ABSENT, "absent", "缺席" },
	{ ATT_LEAVE, "leave", "请假" },
	{ ATT_NONVOTING, "nonvoting", "列席" },
	{ 0, NULL, NULL },
};

/* ---------------------------------------------------------------- settings */

static void set_rule(struct meeting_settings *s, int type, int period, int count)
{
	s->rule[type].period = period;
	s->rule[type].count = count;
}

void meeting_settings_default(struct meeting_settings *s)
{
	memset(s, 0, sizeof(*s));
	set_rule(s, MTG_MEMBER_CONGRESS, PERIOD_QUARTER, 1); /* MTG-01 */
	set_rule(s, MTG_COMMITTEE_MEETING, PERIOD_MONTH, 1); /* MTG-02, with a committee */
	set_rule(s, MTG_GROUP_MEETING, PERIOD_MONTH, 1);     /* MTG-03, per group */
	set_rule(s, MTG_PARTY_LECTURE, PERIOD_QUARTER, 1);   /* MTG-04 [P] */
	set_rule(s, MTG_THEME_DAY, PERIOD_MONTH, 1);         /* MTG-05 */
	set_rule(s, MTG_ORG_LIFE_MEETING, PERIOD_YEAR, 1);   /* MTG-06 */
	set_rule(s, MTG_EVALUATION, PERIOD_YEAR, 1);         /* MTG-07 */
	set_rule(s, MTG_HEART_TALK, PERIOD_YEAR, 1);         /* MTG-08 */
	/* MTG-09 (leadership groups) and study sessions: not required of branches. */
	s->general_quorum_strict = false; /* MTG-10 */
}

/* ------------------------------------------------------------------- votes */

/* The quorum rules: half or more, more than half, two thirds or more. */
enum quorum_rule { Q_HALF, Q_MORE_THAN_HALF, Q_TWO_THIRDS };

static bool valid_type(int type)
{
	return type > MTG_NONE && type < MTG_TYPE_COUNT;
}

/* Field errors for every inconsistent number at once; returns -1 if any. */
static int vote_validate(const struct vote_input *in, struct err *e)
{
	int bad = 0;

	if (!valid_type(in->type))
		bad = err_field(e, "type", "会议类型无效");
	if (in->expected <= 0)
		bad = err_field(e, "expected", "应到人数必须大于0");
	if (in->present < 0)
		bad = err_field(e, "present", "实到人数不能为负数");
	else if (in->expected > 0 && in->present > in->expected)
		bad = err_field(e, "present", "实到人数不能超过应到人数");
	if (in->yes < 0)
		bad = err_field(e, "yes", "赞成票数不能为负数");
	if (in->no < 0)
		bad = err_field(e, "no", "反对票数不能为负数");
	if (in->abstain < 0)
		bad = err_field(e, "abstain", "弃权票数不能为负数");
	if (in->yes >= 0 && in->no >= 0 && in->abstain >= 0 && in->present >= 0 &&
	    (long long)in->yes + in->no + in->abstain > in->present)
		bad = err_field(e, "yes", "表决票数之和不能超过实到人数");
	if (in->development && valid_type(in->type) && in->type != MTG_MEMBER_CONGRESS)
		bad = err_field(e, "development", "发展党员和预备党员转正只能由支部党员大会表决");
	if (in->written_yes < 0)
		bad = err_field(e, "written_yes", "书面意见票数不能为负数");
	else if (in->written_yes > 0 && !in->development)
		bad = err_field(e, "written_yes", "书面意见只用于发展党员和预备党员转正的表决");
	else if (in->expected > 0 && in->present >= 0 && in->present <= in->expected &&
		 in->written_yes > in->expected - in->present)
		bad = err_field(e, "written_yes", "书面意见票数不能超过未到会人数");
	return bad;
}

/*
 * Appends to buf (NUL-terminated, size n). The worst case of the texts below
 * with 10-digit numbers is under 200 bytes (checked by a test); should it
 * ever not fit, a partial UTF-8 sequence at the end is cut off.
 */
static void append(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
	if (w >= 0 && (size_t)w < n - len)
		return;
	len = strlen(buf);
	/* Drop trailing continuation bytes and the lead byte they belong to. */
	while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
		len--;
	if (len > 0 && ((unsigned char)buf[len - 1] & 0x80))
		len--;
	buf[len] = '\0';
}

int meeting_vote_check(const struct meeting_settings *s, const struct vote_input *in, struct vote_result *out,
		       struct err *e)
{
	struct meeting_settings defaults;
	enum quorum_rule qr = Q_HALF;
	bool of_expected = false; /* majority of expected (else of present) */
	long long p, x, yes;
	const char *qtext;

	assert(in && out && e);
	memset(out, 0, sizeof(*out));
	if (!s) {
		meeting_settings_default(&defaults);
		s = &defaults;
	}
	if (vote_validate(in, e))
		return -1;

	switch (in->type) {
	case MTG_MEMBER_CONGRESS: /* MTG-10; DEV-30 for development */
		qr = in->development || s->general_quorum_strict ? Q_MORE_THAN_HALF : Q_HALF;
		of_expected = true;
		break;
	case MTG_COMMITTEE_MEETING: /* MTG-02 */
		of_expected = true;
		break;
	case MTG_DEMOCRATIC_LIFE_MEETING: /* MTG-09 */
		qr = Q_TWO_THIRDS;
		break;
	default:
		break;
	}

	p = in->present;
	x = in->expected;
	switch (qr) {
	case Q_TWO_THIRDS:
		out->quorum = 3 * p >= 2 * x;
		qtext = out->quorum ? "达到三分之二" : "不足三分之二";
		break;
	case Q_MORE_THAN_HALF:
		out->quorum = 2 * p > x;
		qtext = 2 * p > x ? "超过半数" : 2 * p == x ? "恰为半数，未超过半数" : "不足半数";
		break;
	case Q_HALF:
	default:
		out->quorum = 2 * p >= x;
		qtext = 2 * p > x ? "超过半数" : 2 * p == x ? "恰为半数" : "不足半数";
		break;
	}
	append(out->reason, sizeof(out->reason), "应到%d人，实到%d人，%s，", in->expected, in->present,
	       qtext);
	if (!out->quorum) {
		append(out->reason, sizeof(out->reason), "未达到法定人数，表决无效");
		return 0;
	}
	append(out->reason, sizeof(out->reason), "达到法定人数；");

	yes = (long long)in->yes + in->written_yes;
	out->passed = of_expected ? 2 * yes > x : 2 * yes > p;
	if (in->written_yes > 0)
		append(out->reason, sizeof(out->reason), "赞成%lld票（其中书面意见%d票），", yes,
		       in->written_yes);
	else
		append(out->reason, sizeof(out->reason), "赞成%d票，", in->yes);
	append(out->reason, sizeof(out->reason), "%s%s的半数，%s", out->passed ? "超过" : "未超过",
	       of_expected ? "应到人数" : "实到人数", out->passed ? "决议有效" : "决议未通过");
	return 0;
}

/* ----------------------------------------------------------------- periods */

static bool valid_kind(int kind)
{
	return kind == PERIOD_MONTH || kind == PERIOD_QUARTER || kind == PERIOD_YEAR;
}

/* A number that grows by one from each period of `kind` to the next. */
static long period_index(int kind, struct date d)
{
	switch (kind) {
	case PERIOD_MONTH:
		return (long)d.y * 12 + (d.m - 1);
	case PERIOD_QUARTER:
		return (long)d.y * 4 + (d.m - 1) / 3;
	default:
		return d.y;
	}
}

struct period period_of(int kind, struct date d)
{
	struct period r = { DATE_NONE, DATE_NONE };
	int first, last;

	if (!valid_kind(kind) || !date_valid(d.y, d.m, d.d))
		return r;
	switch (kind) {
	case PERIOD_MONTH:
		first = last = d.m;
		break;
	case PERIOD_QUARTER:
		first = (d.m - 1) / 3 * 3 + 1;
		last = first + 2;
		break;
	default:
		first = 1;
		last = 12;
		break;
	}
	r.from = (struct date){ d.y, first, 1 };
	r.to = (struct date){ d.y, last, date_days_in_month(d.y, last) };
	return r;
}

static bool period_valid(struct period p)
{
	return date_valid(p.from.y, p.from.m, p.from.d) && date_valid(p.to.y, p.to.m, p.to.d) &&
	       date_cmp(p.from, p.to) <= 0;
}

int periods_in(int kind, struct period p)
{
	if (!valid_kind(kind) || !period_valid(p))
		return 0;
	return (int)(period_index(kind, p.to) - period_index(kind, p.from) + 1);
}

/*
 * The periods ending in [p.from, end] with end = min(p.to, today): all those
 * touched by that range except the last one, which counts only when it ends
 * exactly on `end` (period ends increase with the index).
 */
int periods_due(int kind, struct period p, struct date today)
{
	struct period r;
	int n;

	if (!valid_kind(kind) || !period_valid(p) || !date_valid(today.y, today.m, today.d))
		return 0;
	r.from = p.from;
	r.to = date_cmp(today, p.to) < 0 ? today : p.to;
	if (date_cmp(r.to, r.from) < 0)
		return 0;
	n = periods_in(kind, r) - 1;
	if (date_cmp(period_of(kind, r.to).to, r.to) == 0)
		n++;
	return n;
}

/* -------------------------------------------------------------- compliance */

bool meeting_counts_as_held(bool has_minutes, bool has_attendance, bool has_topic)
{
	return has_minutes && has_attendance && has_topic;
}

int meeting_compliance(const struct meeting_settings *s, struct period p, struct date today,
		       bool has_committee, int groups, const int held[MTG_TYPE_COUNT],
		       const int incomplete[MTG_TYPE_COUNT], struct compliance_item out[MTG_TYPE_COUNT - 1])
{
	struct meeting_settings defaults;
	int missing = 0;

	if (!s) {
		meeting_settings_default(&defaults);
		s = &defaults;
	}
	for (int t = MTG_NONE + 1; t < MTG_TYPE_COUNT; t++) {
		const struct meeting_rule *r = &s->rule[t];
		struct compliance_item *it = &out[t - 1];
		long long req = 0;

		/* Saturate at INT_MAX before each product so neither can overflow. */
		if (r->count > 0)
			req = (long long)r->count * periods_due(r->period, p, today);
		if (req > INT_MAX)
			req = INT_MAX;
		if (t == MTG_GROUP_MEETING)
			req *= groups > 0 ? groups : 0;
		if (t == MTG_COMMITTEE_MEETING && !has_committee)
			req = 0;
		it->type = t;
		it->required = req > INT_MAX ? INT_MAX : (int)req;
		it->held = held ? held[t] : 0;
		it->incomplete = incomplete ? incomplete[t] : 0;
		it->met = it->held >= it->required;
		if (it->required > 0 && !it->met)
			missing++;
	}
	return missing;
}

int meeting_settings_parse(struct meeting_settings *s, const char *text, struct err *e)
{
	struct meeting_settings out = *s;
	const char *p = text;

	while (p && *p) {
		char part[64], type[40], period[16];
		const char *end = p + strcspn(p, ";,");
		size_t n = (size_t)(end - p);
		int count, t, kind;
		char extra;

		if (n >= sizeof(part))
			return err_field(e, "meeting_rules", "会议频次设置过长：%.20s…", p);
		memcpy(part, p, n);
		part[n] = '\0';
		p = *end ? end + 1 : end;
		if (strspn(part, " \t") == n)
			continue;
		if (sscanf(part, " %39[a-z_] = %d / %15[a-z] %c", type, &count, period, &extra) != 3 ||
		    count < 0 || count > 100)
			return err_field(e, "meeting_rules",
					 "会议频次设置“%s”格式应为 类型=次数/month|quarter|year", part);
		if (!(t = enum_from_json(meeting_type_enum, type)))
			return err_field(e, "meeting_rules", "未知的会议类型“%s”", type);
		if (!strcmp(period, "month"))
			kind = PERIOD_MONTH;
		else if (!strcmp(period, "quarter"))
			kind = PERIOD_QUARTER;
		else if (!strcmp(period, "year"))
			kind = PERIOD_YEAR;
		else
			return err_field(e, "meeting_rules", "周期“%s”应为 month、quarter 或 year", period);
		out.rule[t].period = count ? kind : PERIOD_NONE;
		out.rule[t].count = count;
	}
	*s = out;
	return 0;
}
