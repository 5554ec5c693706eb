/*
 * demo_lifecycle.c: the member-lifecycle part of `dangjian demo`: development
 * cases built step by step through dev_check_step() and written with the
 * store's development API, approvals that create member records, transfers,
 * mobile members, lost-contact members and an exit. Dates are laid out
 * around the demo's "today" so the figures of the demo year come out right.
 */
#include "util/common.h"
#include "cli/demo_lifecycle.h"
#include "core/codes.h"
#include "core/develop.h"
#include "core/idcard.h"
#include "core/lifecycle.h"
#include "core/member.h"
#include "core/org.h"
#include "core/transfer.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <jansson.h>

/* ---------------------------------------------------------------- helpers */

struct rng {
	uint64_t s;
};

/* splitmix64: deterministic on every platform. */
static uint64_t next(struct rng *r)
{
	uint64_t x = (r->s += 0x9e3779b97f4a7c15ULL);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Uniform in [lo, hi]. */
static int between(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static struct date days(struct date d, long n)
{
	return date_add_days(d, n);
}

static long diff_days(struct date a, struct date b)
{
	return date_to_days(a) - date_to_days(b);
}

/* A branch that can develop members: its stored id, approving committee and full members. */
struct branch {
	int64_t id, committee; /* stored ids */
	const int64_t *full;   /* full members (stored ids), from the demo's list */
	size_t nfull;
};

/* More than the cases demo_development() writes. */
#define MAX_CASES 256

struct ctx {
	struct sconn *c;
	struct arena *a;
	struct demo_life *d;
	struct rng rng;
	struct date today, year_start;
	struct dev_rules r2014, r2026;
	struct branch *br;
	size_t nbr;
	int64_t *full_ids; /* backing store of every branch's `full` */
	bool *used;        /* members (by index in d->mem) already given a lifecycle role */
	int serial;        /* identity-number sequence of generated applicants */
};

/* ------------------------------------------------------------ applicants */

static const char surnames[] =
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢";
static const char given_m[] = "伟强磊军洋勇杰涛明超斌辉鹏华飞刚健波宇浩凯俊帆晨";
static const char given_f[] = "芳娜敏静丽艳娟霞燕玲婷雪琳颖倩洁佳怡欣悦琪瑶蕾薇";

/* One 3-byte UTF-8 character of `set` (all its characters are 3 bytes). */
static void pick_char(struct rng *r, const char *set, char out[4])
{
	size_t n = strlen(set) / 3, i = (size_t)(next(r) % n);

	memcpy(out, set + 3 * i, 3);
	out[3] = 0;
}

/*
 * A fictional applicant of the branch born so that they are 19 to 40 on
 * `applied`. Identity numbers use the region code 520198, which the member
 * generator never uses, and a sequence number unique per applicant.
 */
static void make_person(struct ctx *x, struct applicant *ap, int64_t branch, struct date applied)
{
	struct rng *r = &x->rng;
	bool male = next(r) % 100 < 62;
	char s[4], g1[4], g2[4], id[48];
	int age = between(r, 19, 40), seq = 2 * x->serial++ + (male ? 1 : 0);
	struct date birth = days(date_add_months(applied, -12 * age), -between(r, 1, 330));

	assert(seq < 1000);
	pick_char(r, surnames, s);
	pick_char(r, male ? given_m : given_f, g1);
	pick_char(r, male ? given_m : given_f, g2);
	memset(ap, 0, sizeof(*ap));
	ap->org_id = branch;
	ap->name = next(r) % 3 ? arena_printf(x->a, "%s%s%s", s, g1, g2) : arena_printf(x->a, "%s%s", s, g1);
	ap->gender = male ? GENDER_MALE : GENDER_FEMALE;
	memcpy(ap->ethnicity, next(r) % 10 ? "01" : "03", 3); /* 汉族, 苗族 */
	ap->birth_date = birth;
	snprintf(id, sizeof(id), "520198%04d%02d%02d%03d", birth.y, birth.m, birth.d, seq);
	id[17] = idcard_check_char(id);
	id[18] = 0;
	ap->id_card = arena_strdup(x->a, id);
	memcpy(ap->education, age < 30 ? "21" : (next(r) % 2 ? "21" : "31"), 3); /* 大学本科, 大学专科 */
	ap->native_place = "贵州贵阳";
	ap->category = CAT_IN_SERVICE;
	ap->work_unit = NULL;
	ap->job = "干部";
	ap->status = "open";
	ap->applied_on = applied;
}

/* ------------------------------------------------------------ one case */

/*
 * The dates of a whole case, laid out from the step-15 branch meeting
 * (`meeting`): every step before it counted back, every step after it
 * forward. Steps 6 and 21 repeat (dates in six and twenty-one).
 */
struct plan {
	struct date on[DEV_STEP_COUNT + 1];
	struct date six[4];
	int nsix;
	struct date twentyone[4];
	int ntwentyone;
};

static void lay_out(struct ctx *x, struct date meeting, struct plan *p)
{
	struct rng *r = &x->rng;
	struct date prev, probation_end;

	memset(p, 0, sizeof(*p));
	p->on[15] = meeting;
	p->on[14] = days(meeting, -between(r, 4, 12));
	p->on[13] = days(p->on[14], -between(r, 3, 8));
	p->on[12] = days(p->on[13], -between(r, 5, 15));
	p->on[11] = days(p->on[12], -between(r, 5, 20));
	p->on[10] = days(p->on[11], -between(r, 10, 30));
	p->on[9] = days(p->on[10], -between(r, 5, 15));
	p->on[8] = days(p->on[9], -between(r, 2, 8));
	p->on[7] = days(p->on[8], -between(r, 3, 10));
	/* DEV-20: at least 12 months as an activist */
	p->on[3] = days(date_add_months(p->on[7], -12), -between(r, 1, 50));
	p->on[2] = days(p->on[3], -between(r, 30, 120));
	p->on[1] = days(p->on[2], -between(r, 7, 25)); /* DEV-12: talk within a month */
	p->on[4] = days(p->on[3], between(r, 3, 10));
	p->on[5] = days(p->on[4], between(r, 0, 7));
	/* DEV-15: an assessment at most every 6 months until step 7 */
	prev = p->on[3];
	while (date_cmp(date_add_months(prev, 6), p->on[7]) < 0 && p->nsix < 4) {
		prev = days(date_add_months(prev, 5), between(r, 0, 10));
		p->six[p->nsix++] = prev;
	}
	p->on[6] = p->nsix ? p->six[0] : DATE_NONE;

	p->on[16] = days(meeting, between(r, 8, 25));
	p->on[17] = days(p->on[16], between(r, 5, 40)); /* DEV-35: within 3 months */
	p->on[18] = days(p->on[17], between(r, 3, 10));
	p->on[19] = days(p->on[18], between(r, 0, 5));
	p->on[20] = days(p->on[19], between(r, 1, 20));
	probation_end = date_add_months(meeting, 12);
	prev = p->on[20];
	while (p->ntwentyone < 4) {
		prev = date_add_months(prev, 3);
		/* before the application for full membership (step 22) */
		if (date_cmp(prev, days(probation_end, -25)) >= 0)
			break;
		p->twentyone[p->ntwentyone++] = prev;
	}
	p->on[21] = p->ntwentyone ? p->twentyone[0] : DATE_NONE;
	p->on[22] = days(probation_end, -between(r, 5, 20));
	p->on[23] = days(probation_end, between(r, 0, 10));
	p->on[24] = days(p->on[23], between(r, 10, 45));
	p->on[25] = days(p->on[24], between(r, 5, 20));
}

struct dcase {
	struct applicant ap;
	const struct dev_rules *r;
	const struct branch *b;
	struct dev_step_brief steps[48];
	size_t n;
};

/* The verdict's warnings as stored: a JSON array of {"rule","message"}, in the arena. */
static const char *warnings_json(struct ctx *x, const struct dev_verdict *v)
{
	json_t *arr;
	char *text;
	size_t n;

	if (!v->nwarn)
		return "[]";
	arr = json_array();
	for (int i = 0; i < v->nwarn; i++)
		json_array_append_new(
			arr, json_pack("{s:s,s:s}", "rule", v->warn[i].rule, "message", v->warn[i].message));
	/* json_dumpb into the arena: json_dumps' buffer would belong to jansson's allocator (json_alloc.c) */
	n = json_dumpb(arr, NULL, 0, JSON_COMPACT);
	text = arena_alloc(x->a, n + 1);
	json_dumpb(arr, text, n, JSON_COMPACT);
	text[n] = 0;
	json_decref(arr);
	return text;
}

/*
 * Records step `in` on case k as POST /applicants/{id}/steps does: core
 * checks it against the case's steps, the store writes it. people[] are
 * members of the case's branch (full members, active).
 */
static int record(struct ctx *x, struct dcase *k, struct dev_step_input *in, const struct dev_person *people,
		  size_t npeople, const char *summary, struct err *e)
{
	struct dev_case dc = {
		.version = k->r->version,
		.birth_date = k->ap.birth_date,
		.steps = k->steps,
		.nsteps = k->n,
	};
	struct dev_person_fact facts[4];
	struct dev_verdict v;
	struct dev_step_rec s = { 0 };
	struct dev_step_brief *b;
	char day[11];

	assert(npeople <= ARRAY_SIZE(facts) && k->n < ARRAY_SIZE(k->steps));
	for (size_t i = 0; i < npeople; i++)
		facts[i] = (struct dev_person_fact){
			.role = enum_from_json(dev_role_enum, people[i].role),
			.member_id = people[i].member_id,
			.registered = true,
			.status = STATUS_FULL,
			.state = 0,
			.in_branch = true,
		};
	in->people = facts;
	in->npeople = npeople;
	in->summary = summary;
	if (dev_check_step(k->r, &dc, in, x->today, &v, e) < 0) {
		date_format(in->on, day);
		log_error("demo", "development case '%s' step %d on %s refused: %s", k->ap.name, in->step,
			  day, e->message);
		return -1;
	}
	s.applicant_id = k->ap.id;
	s.step = in->step;
	s.on = in->on;
	s.summary = summary;
	s.result = in->step == 15 || in->step == 23 ? (v.vote_passed ? "pass" : "fail")
		   : in->result                     ? enum_json(dev_result_enum, in->result)
						    : NULL;
	s.outcome = in->outcome ? enum_json(dev_outcome_enum, in->outcome) : NULL;
	s.has_vote = in->has_vote;
	s.expected = in->vote.expected;
	s.present = in->vote.present;
	s.yes = in->vote.yes;
	s.no = in->vote.no;
	s.abstain = in->vote.abstain;
	s.written_yes = in->vote.written_yes;
	s.extension_months = in->extension_months;
	s.training_days = in->training_days;
	s.training_hours = in->training_hours;
	s.justification = in->justification;
	s.publicity_from = in->publicity_from;
	s.publicity_to = in->publicity_to;
	s.approver_org_id = in->approver_type ? k->b->committee : 0;
	s.warnings = warnings_json(x, &v);
	s.rule_version = k->ap.rule_version;
	s.created_by = "cli";
	s.people = (struct dev_person *)people;
	s.npeople = npeople;
	if (store_dev_step_add(x->c, &s, e) < 0)
		return -1;
	b = &k->steps[k->n++];
	b->step = in->step;
	b->on = in->on;
	b->result = in->step == 15 || in->step == 23 ? (v.vote_passed ? DEV_PASS : DEV_FAIL) : in->result;
	b->outcome = in->outcome;
	b->extension_months = in->extension_months;
	return 0;
}

/* Two distinct full members of the branch, picked by the case. */
static void two_members(struct ctx *x, const struct branch *b, int64_t out[2])
{
	size_t i = (size_t)(next(&x->rng) % b->nfull),
	       j = (i + 1 + (size_t)(next(&x->rng) % (b->nfull - 1))) % b->nfull;

	out[0] = b->full[i];
	out[1] = b->full[j];
}

/* Records step `step` of plan p (and the repeats of 6 and 21) when its date is not after today. */
static int do_step(struct ctx *x, struct dcase *k, const struct plan *p, int step, struct err *e)
{
	struct dev_step_input in = { .step = step, .on = p->on[step] };
	struct dev_person people[2];
	int64_t two[2];
	int full;

	switch (step) {
	case 2:
		two_members(x, k->b, two);
		people[0] = (struct dev_person){ "talker", two[0], NULL };
		return record(x, k, &in, people, 1, "谈话了解入党动机和对党的认识", e);
	case 5:
	case 9:
		two_members(x, k->b, two);
		people[0] = (struct dev_person){ step == 5 ? "contact" : "introducer", two[0], NULL };
		people[1] = (struct dev_person){ step == 5 ? "contact" : "introducer", two[1], NULL };
		return record(x, k, &in, people, 2, NULL, e);
	case 6:
		for (int i = 0; i < p->nsix; i++) {
			if (date_cmp(p->six[i], x->today) > 0)
				break;
			in.on = p->six[i];
			if (record(x, k, &in, NULL, 0, "培养联系人考察：政治立场坚定，工作积极主动", e) < 0)
				return -1;
		}
		return 0;
	case 7:
		if (k->r->publicity_steps & (1u << 7)) {
			/* DEV-50 (2026): 18 calendar days hold 5 working days even over a holiday week */
			in.publicity_from = days(p->on[7], -20);
			in.publicity_to = days(p->on[7], -3);
		}
		return record(x, k, &in, NULL, 0, "支委会研究确定为发展对象", e);
	case 10:
		in.result = DEV_PASS;
		return record(x, k, &in, NULL, 0, "政治审查合格", e);
	case 11:
		in.has_training = true;
		in.training_days = 3;
		in.training_hours = 24;
		return record(x, k, &in, NULL, 0, "参加党委组织的发展对象集中培训", e);
	case 13:
	case 17:
	case 24:
		in.result = DEV_PASS;
		in.approver_type = ORG_PARTY_COMMITTEE;
		in.approver_above = true;
		return record(x, k, &in, NULL, 0, step == 13 ? "预审合格" : "党委会集体讨论，同意", e);
	case 15:
	case 23:
		if (store_org_full_members(x->c, k->b->id, &full, e) < 0)
			return -1;
		in.branch_full_members = full;
		in.has_vote = true;
		in.vote.expected = full;
		in.vote.present = full - full / 8;
		in.vote.yes = in.vote.present;
		if (step == 23)
			in.outcome = DEV_OUTCOME_FULL;
		return record(x, k, &in, NULL, 0,
			      step == 15 ? "支部党员大会表决通过" : "支部党员大会讨论同意按期转正", e);
	case 21:
		for (int i = 0; i < p->ntwentyone; i++) {
			if (date_cmp(p->twentyone[i], x->today) > 0)
				break;
			in.on = p->twentyone[i];
			if (record(x, k, &in, NULL, 0, "预备期教育考察：表现良好", e) < 0)
				return -1;
		}
		return 0;
	default:
		return record(x, k, &in, NULL, 0, NULL, e);
	}
}

/*
 * Writes one case: opens it on the plan's application date, records steps
 * 1..last (stopping at the first date after today), then sets the case's
 * fields from dev_summarize() and, when approved, creates the member
 * record (预备党员 joined on the step-15 date, or 正式党员 after step 24).
 */
static int write_case(struct ctx *x, const struct branch *b, const struct plan *p, int last, struct err *e)
{
	struct dcase *k = arena_zalloc(x->a, sizeof(*k));
	struct dev_case dc;
	struct dev_summary sum;
	int version;

	make_person(x, &k->ap, b->id, p->on[1]);
	version = dev_version_default(p->on[1]);
	k->r = dev_rules_for(&x->r2014, &x->r2026, version);
	k->b = b;
	k->ap.rule_version = version == 2026 ? "2026" : "2014";
	k->ap.stage = DEV_APPLICANT;
	k->ap.step = 0;
	if (store_applicant_insert(x->c, &k->ap, e) < 0)
		return -1;
	for (int step = 1; step <= last; step++) {
		if ((step == 6 && !p->nsix) || (step == 21 && !p->ntwentyone))
			continue;
		if (!date_is_set(p->on[step]) || date_cmp(p->on[step], x->today) > 0)
			break;
		if (do_step(x, k, p, step, e) < 0)
			return -1;
	}

	assert(k->n > 0); /* the plan's application is never after today */
	dc = (struct dev_case){
		.version = k->r->version, .birth_date = k->ap.birth_date, .steps = k->steps, .nsteps = k->n
	};
	dev_summarize(k->r, &dc, &sum);
	k->ap.stage = sum.stage;
	k->ap.status = enum_json(dev_status_enum, sum.status);
	k->ap.step = sum.step;
	k->ap.activist_on = sum.activist_on;
	k->ap.candidate_on = sum.candidate_on;
	k->ap.admitted_on = sum.admitted_on;
	k->ap.approved_on = sum.approved_on;
	k->ap.probation_end = sum.probation_end;
	k->ap.full_on = sum.full_on;
	k->ap.extensions = sum.extensions;
	if (date_is_set(sum.approved_on)) {
		struct member m = {
			.org_id = b->id,
			.name = k->ap.name,
			.gender = k->ap.gender,
			.birth_date = k->ap.birth_date,
			.id_card = k->ap.id_card,
			.native_place = k->ap.native_place,
			.category = k->ap.category,
			.status = date_is_set(sum.full_on) ? STATUS_FULL : STATUS_PROBATIONARY,
			.joined_on = sum.admitted_on,
			.full_member_on = sum.full_on,
			.job = k->ap.job,
		};

		memcpy(m.ethnicity, k->ap.ethnicity, 3);
		memcpy(m.education, k->ap.education, 3);
		if (member_validate(&m, NULL, x->today, e) < 0) {
			log_error("demo", "developed member '%s' invalid: %s", m.name, e->message);
			return -1;
		}
		if (store_member_insert(x->c, &m, e) < 0 ||
		    store_member_history_add(x->c, x->d->who, m.id, "created", 0, b->id,
					     "发展党员：上级党委审批通过", e) < 0)
			return -1;
		k->ap.member_id = m.id;
		x->d->created[x->d->new_members++] = m;
		if (date_cmp(sum.approved_on, x->year_start) >= 0)
			x->d->developed++;
	}
	x->d->cases++;
	assert(x->d->cases < MAX_CASES);
	return store_applicant_update(x->c, &k->ap, e);
}

/*
 * Moves the plan back so that step 17 falls before the demo year (cases
 * that must not count among the year's developed members).
 */
static void before_year(struct ctx *x, struct date *meeting)
{
	struct plan p;
	struct rng keep = x->rng;

	lay_out(x, *meeting, &p);
	x->rng = keep;
	if (date_cmp(p.on[17], x->year_start) >= 0)
		*meeting = days(*meeting, -(diff_days(p.on[17], x->year_start) + 1));
}

static int demo_development(struct ctx *x, struct err *e)
{
	struct date t = x->today;
	long year_days = diff_days(t, x->year_start);
	struct plan p;
	size_t nb = x->nbr, bi = 0;

	if (!nb)
		return 0;
	/* 124 members approved (step 17) between 1 January and today, over the branches in turn */
	for (int i = 0; i < DEMO_DEVELOPED_IN_YEAR; i++) {
		const struct branch *b = &x->br[(bi++ * 7) % nb];
		struct date approval = days(x->year_start, (long)((uint64_t)i * (uint64_t)(year_days + 1) /
								  DEMO_DEVELOPED_IN_YEAR));
		struct rng keep = x->rng;
		struct date meeting;

		/* the step-17 date is step 15 + (8..25) + (5..40) days: find the meeting that gives
		 * `approval` */
		lay_out(x, approval, &p);
		meeting = days(approval, -diff_days(p.on[17], p.on[15]));
		x->rng = keep;
		lay_out(x, meeting, &p);
		assert(date_cmp(p.on[17], approval) == 0);
		/* a few probations ended without 转正 being discussed: overdue (DEV-41) */
		if (write_case(x, b, &p, 21, e) < 0)
			return -1;
	}
	/* completed: approved last year, full membership this year (steps 22-25) */
	for (int i = 0; i < 8; i++) {
		struct date meeting = days(date_add_months(t, -12), -between(&x->rng, 75, 200));

		before_year(x, &meeting);
		lay_out(x, meeting, &p);
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, 25, e) < 0)
			return -1;
	}
	/* 转正 overdue: probation ended weeks ago, not yet discussed */
	for (int i = 0; i < 3; i++) {
		struct date meeting = days(date_add_months(t, -12), -between(&x->rng, 20, 60));

		before_year(x, &meeting);
		lay_out(x, meeting, &p);
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, 21, e) < 0)
			return -1;
	}
	/* approval overdue: branch meeting more than 3 months ago, no approval yet (DEV-35) */
	for (int i = 0; i < 2; i++) {
		struct date meeting = days(t, -between(&x->rng, 100, 150));

		before_year(x, &meeting);
		lay_out(x, meeting, &p);
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, 16, e) < 0)
			return -1;
	}
	/* candidates (发展对象): listed (step 7 at least 22 days before the meeting), the meeting ahead */
	for (int i = 0; i < 16; i++) {
		lay_out(x, days(t, between(&x->rng, 1, 20)), &p);
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, 14, e) < 0)
			return -1;
	}
	/* activists (入党积极分子): step 3 done, step 7 (the meeting less 22..88 days) ahead */
	for (int i = 0; i < 24; i++) {
		lay_out(x, days(t, between(&x->rng, 100, 330)), &p);
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, 6, e) < 0)
			return -1;
	}
	/* applicants (入党申请人): recent applications; the first six not talked to
	 * yet, their talk falling due in the coming days (DEV-12: the board's
	 * "due this month"), the others talked to */
	for (int i = 0; i < 14; i++) {
		bool waiting = i < 6;
		struct date applied = days(t, -between(&x->rng, waiting ? 19 : 3, 28));

		lay_out(x, days(date_add_months(t, 14), 0), &p);
		p.on[1] = applied;
		p.on[2] = days(applied, between(&x->rng, 5, 20));
		if (date_cmp(p.on[2], t) > 0)
			p.on[2] = t;
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, waiting ? 1 : 2, e) < 0)
			return -1;
	}
	/* talk overdue: applied more than a month ago, nobody has talked to them (DEV-12) */
	for (int i = 0; i < 2; i++) {
		lay_out(x, days(date_add_months(t, 14), 0), &p);
		p.on[1] = days(t, -between(&x->rng, 40, 70));
		if (write_case(x, &x->br[(bi++ * 7) % nb], &p, 1, e) < 0)
			return -1;
	}
	return 0;
}

/* -------------------------------------------------------------- members */

/*
 * The k-th member for a lifecycle event: spread over the tree, never the
 * first member of a branch (the demo's self-service login), a full member
 * and not used before. Returns the index in d->mem.
 */
static size_t pick_member(struct ctx *x, size_t k)
{
	const struct demo_life *d = x->d;

	for (size_t i = (k * 211 + 37) % d->nmem;; i = (i + 1) % d->nmem) {
		bool first = i == 0 || d->mem[i - 1].org_id != d->mem[i].org_id;

		if (!first && !x->used[i] && d->mem[i].status == STATUS_FULL) {
			x->used[i] = true;
			return i;
		}
	}
}

static const char *org_name(struct ctx *x, int64_t stored_id)
{
	for (int i = 0; i < x->d->norgs; i++)
		if (x->d->org_ids[x->d->orgs[i].id] == stored_id)
			return x->d->orgs[i].name;
	return NULL;
}

/* --------------------------------------------------------------- transfers */

struct xfer_plan {
	int kind;          /* enum transfer_kind */
	int final;         /* enum transfer_state to reach */
	int requested_ago; /* days before today */
	bool expired;      /* outbound letter past its validity */
	const char *to_text;
};

static int apply(struct transfer *t, int kind, int action, struct err *e)
{
	int state = enum_from_json(transfer_state_enum, t->state), nextst;

	if (transfer_next_state(kind, state, action, &nextst, e) < 0)
		return -1;
	t->state = enum_json(transfer_state_enum, nextst);
	return 0;
}

static int one_transfer(struct ctx *x, size_t k, const struct xfer_plan *pl, struct err *e)
{
	const struct demo_life_member *m = NULL;
	struct transfer_rules tr;
	struct transfer t = { 0 };
	struct transfer_request rq = { 0 };
	struct date t0 = days(x->today, -pl->requested_ago);
	char no[32];

	transfer_rules_default(&tr);
	t.kind = enum_json(transfer_kind_enum, pl->kind);
	t.requested_by = "cli";
	rq.kind = pl->kind;
	rq.today = x->today;
	if (pl->kind == TK_INBOUND) {
		/* a letter from another province's system, registered, waiting for the member to report */
		rq.to_org_id = x->br[(k * 5) % x->nbr].id;
		rq.to_org_type = ORG_BRANCH;
		rq.letter_no = arena_printf(x->a, "川交组转字〔%d〕第0153号", t0.y);
		rq.from_text = "中共四川省成都市交通运输局机关委员会";
		rq.letter_on = t0;
		rq.valid_until = transfer_valid_until(&tr, t0, true);
		if (transfer_request_check(&rq, e) < 0)
			return -1;
		t.state = "registered";
		t.to_org_id = rq.to_org_id;
		t.from_text = rq.from_text;
		t.letter_no = rq.letter_no;
		t.letter_on = rq.letter_on;
		t.valid_until = rq.valid_until;
		t.cross_province = true;
		t.dues_paid_to = arena_printf(x->a, "%04d-%02d", t0.y, t0.m);
		t.reason = "工作调动";
		t.requested_on = t0;
		x->d->transfers++;
		return store_transfer_insert(x->c, &t, e);
	}

	m = &x->d->mem[pick_member(x, k + 100)];
	rq.member_id = m->id;
	rq.from_org_id = m->org_id;
	rq.requested_on = t0;
	if (pl->kind == TK_IN_SYSTEM) {
		const struct branch *to = &x->br[(k * 11 + 3) % x->nbr];

		if (to->id == m->org_id)
			to = &x->br[(k * 11 + 4) % x->nbr];
		rq.to_org_id = to->id;
		rq.to_org_type = ORG_BRANCH;
	} else {
		rq.to_text = pl->to_text;
	}
	if (store_transfer_pending(x->c, m->id, &rq.pending_id, e) < 0 || transfer_request_check(&rq, e) < 0)
		return -1;
	t.member_id = m->id;
	t.from_org_id = m->org_id;
	t.to_org_id = rq.to_org_id;
	t.to_text = rq.to_text;
	t.cross_province = pl->kind == TK_OUTBOUND;
	t.reason = pl->kind == TK_IN_SYSTEM ? "工作岗位调整" : "调往外省工作";
	t.requested_on = t0;
	t.state = "requested";
	if (store_transfer_insert(x->c, &t, e) < 0)
		return -1;
	x->d->transfers++;

	if (pl->final == TS_CANCELLED) {
		if (apply(&t, pl->kind, TA_CANCEL, e) < 0)
			return -1;
		return store_transfer_update(x->c, &t, e);
	}
	if (pl->final == TS_RETURNED) {
		if (apply(&t, pl->kind, TA_RETURN, e) < 0)
			return -1;
		t.return_reason = "接收党组织与本人工作单位不符，请核实后重新申请";
		t.returned_by = "cli";
		t.returned_side = pl->kind == TK_IN_SYSTEM ? "receiving" : "sending";
		return store_transfer_update(x->c, &t, e);
	}
	if (pl->final == TS_REQUESTED)
		return 0;

	/* the sending committee approves and the letter is issued (in_system too, as the API does) */
	if (apply(&t, pl->kind, TA_APPROVE_SENDING, e) < 0)
		return -1;
	t.sending_on = days(t0, 3);
	t.sending_by = "cli";
	if (pl->kind == TK_OUTBOUND || pl->kind == TK_IN_SYSTEM) {
		if (store_letter_next_no(x->c, t.sending_on.y, no, e) < 0)
			return -1;
		t.letter_no = arena_strdup(x->a, no);
		t.letter_on = t.sending_on;
		t.valid_until = transfer_valid_until(&tr, t.letter_on, t.cross_province);
		t.dues_paid_to = arena_printf(x->a, "%04d-%02d", date_add_months(t.letter_on, -1).y,
					      date_add_months(t.letter_on, -1).m);
	}
	if (pl->final == TS_SENDING_APPROVED || pl->final == TS_LETTER_ISSUED) {
		assert(pl->kind != TK_OUTBOUND ||
		       transfer_expired(t.valid_until, false, x->today) == pl->expired);
		return store_transfer_update(x->c, &t, e);
	}

	if (pl->kind == TK_IN_SYSTEM) {
		if (apply(&t, pl->kind, TA_APPROVE_RECEIVING, e) < 0)
			return -1;
		t.receiving_on = days(t.sending_on, 4);
		t.receiving_by = "cli";
		t.completed_on = t.receiving_on;
		if (store_member_move(x->c, x->d->who, m->id, t.to_org_id,
				      arena_printf(x->a, "组织关系转接：转入%s", org_name(x, t.to_org_id)),
				      e) < 0)
			return -1;
	} else {
		struct member_state_event ev = { 0 };

		if (apply(&t, pl->kind, TA_RECEIPT, e) < 0)
			return -1;
		t.receipt_on = days(t.letter_on, 25);
		t.receipt_note = "回执已收到";
		t.completed_on = t.receipt_on;
		ev.member_id = m->id;
		ev.from_state = MSTATE_ACTIVE;
		ev.to_state = MSTATE_TRANSFERRED;
		ev.on = t.completed_on;
		ev.basis = arena_printf(x->a, "组织关系转出，介绍信%s", t.letter_no);
		if (store_member_set_state(x->c, x->d->who, &ev, e) < 0)
			return -1;
	}
	return store_transfer_update(x->c, &t, e);
}

static int demo_transfers(struct ctx *x, struct err *e)
{
	static const struct xfer_plan plans[] = {
		{ TK_IN_SYSTEM, TS_REQUESTED, 4, false, NULL },
		{ TK_IN_SYSTEM, TS_REQUESTED, 9, false, NULL },
		{ TK_IN_SYSTEM, TS_SENDING_APPROVED, 15, false, NULL },
		{ TK_IN_SYSTEM, TS_COMPLETED, 80, false, NULL },
		{ TK_IN_SYSTEM, TS_COMPLETED, 45, false, NULL },
		{ TK_IN_SYSTEM, TS_RETURNED, 30, false, NULL },
		{ TK_IN_SYSTEM, TS_CANCELLED, 25, false, NULL },
		{ TK_OUTBOUND, TS_REQUESTED, 6, false, "中共广东省交通运输厅机关委员会" },
		{ TK_OUTBOUND, TS_LETTER_ISSUED, 20, false, "中共云南省昆明市交通运输局机关委员会" },
		{ TK_OUTBOUND, TS_LETTER_ISSUED, 130, true, "中共湖南省长沙市公路管理局委员会" },
		{ TK_OUTBOUND, TS_COMPLETED, 100, false, "中共重庆市交通局机关委员会" },
		{ TK_OUTBOUND, TS_RETURNED, 40, false, "中共广西壮族自治区交通运输厅机关委员会" },
		{ TK_INBOUND, TS_REGISTERED, 12, false, NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(plans); i++)
		if (one_transfer(x, i, &plans[i], e) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------- mobile, lost and exits */

static int demo_mobile(struct ctx *x, struct err *e)
{
	static const struct {
		const char *destination, *reason;
		int out_ago, return_ago; /* days before today; return 0 = still out */
	} plans[] = {
		{ "广东省深圳市", "外出务工", 240, 0 },    { "浙江省杭州市", "外出经商", 400, 0 },
		{ "上海市浦东新区", "外出务工", 200, 0 },  { "江苏省苏州市", "外出务工", 300, 60 },
		{ "福建省厦门市", "随配偶外出", 420, 90 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(plans); i++) {
		const struct demo_life_member *m = &x->d->mem[pick_member(x, i + 300)];
		struct mobile_member mm = { 0 };
		struct mobile_input in = { 0 };

		in.out_on = days(x->today, -plans[i].out_ago);
		in.expected_return = date_add_months(in.out_on, 12);
		in.destination = plans[i].destination;
		in.reason = plans[i].reason;
		if (mobile_check(&in, x->today, e) < 0)
			return -1;
		mm.member_id = m->id;
		mm.state = "out";
		mm.out_on = in.out_on;
		mm.expected_return = in.expected_return;
		mm.destination = in.destination;
		mm.reason = in.reason;
		mm.contact = arena_printf(x->a, "1390851%04zu", 1000 + i);
		mm.certificate_no = arena_printf(x->a, "LD%04d%04zu", in.out_on.y, 101 + i);
		mm.inflow_text = arena_printf(x->a, "%s流动党员党支部", plans[i].destination);
		mm.created_by = "cli";
		if (store_mobile_insert(x->c, &mm, e) < 0)
			return -1;
		if (plans[i].return_ago) {
			in.returned_on = days(x->today, -plans[i].return_ago);
			if (mobile_check(&in, x->today, e) < 0)
				return -1;
			mm.state = "returned";
			mm.returned_on = in.returned_on;
			if (store_mobile_update(x->c, &mm, e) < 0)
				return -1;
		}
		x->d->mobile++;
	}
	return 0;
}

/* Checks a state change with core and writes it. */
static int change_state(struct ctx *x, const struct demo_life_member *m, struct state_change *sc,
			const struct enum_entry *codes, const char *basis, struct err *e)
{
	struct lifecycle_rules lr;
	struct member_state_event ev = { 0 };
	int to;

	lifecycle_rules_default(&lr);
	sc->member_status = m->status;
	if (member_state_check(&lr, sc, x->today, &to, e) < 0)
		return -1;
	ev.member_id = m->id;
	ev.from_state = sc->from_state ? sc->from_state : MSTATE_ACTIVE;
	ev.to_state = to;
	ev.code = enum_json(codes, sc->code);
	ev.on = sc->action == SA_LOST ? sc->last_contact_on : sc->on;
	ev.basis = basis;
	ev.approved_on = sc->approved_on;
	return store_member_set_state(x->c, x->d->who, &ev, e);
}

static int demo_states(struct ctx *x, struct err *e)
{
	/* lost contact: one for 8 months (suspension due, LOST-01), one for 2 */
	static const int lost_months[] = { 8, 2 };

	for (size_t i = 0; i < ARRAY_SIZE(lost_months); i++) {
		const struct demo_life_member *m = &x->d->mem[pick_member(x, i + 500)];
		struct state_change sc = { .action = SA_LOST,
					   .from_state = MSTATE_ACTIVE,
					   .code = LOST_WORK_AWAY };

		sc.last_contact_on = date_add_months(x->today, -lost_months[i]);
		if (change_state(x, m, &sc, lost_situation_enum, "外出务工后联系方式变更，多方联系未果", e) <
		    0)
			return -1;
		x->d->lost++;
	}
	/* one exit: a member died */
	{
		const struct demo_life_member *m = &x->d->mem[pick_member(x, 600)];
		struct state_change sc = { .action = SA_EXIT,
					   .from_state = MSTATE_ACTIVE,
					   .code = EXIT_DEATH };

		sc.on = days(x->today, -35);
		if (change_state(x, m, &sc, exit_reason_enum, "因病去世，家属告知", e) < 0)
			return -1;
		x->d->exits++;
	}
	return 0;
}

/* ------------------------------------------------------------------ setup */

/* The branches able to develop members (2+ full members and a 党委 above), in tree order. */
static void find_branches(struct ctx *x)
{
	const struct demo_life *d = x->d;
	size_t nfull = 0, i = 0;

	x->br = arena_zalloc(x->a, (size_t)d->norgs * sizeof(*x->br));
	x->full_ids = arena_zalloc(x->a, (d->nmem + 1) * sizeof(*x->full_ids));
	while (i < d->nmem) {
		size_t j = i, start = nfull;
		int64_t org = d->mem[i].org_id, committee = 0;
		const struct org *o = NULL;

		for (; j < d->nmem && d->mem[j].org_id == org; j++)
			if (d->mem[j].status == STATUS_FULL)
				x->full_ids[nfull++] = d->mem[j].id;
		for (int k = 0; k < d->norgs && !o; k++)
			if (d->org_ids[d->orgs[k].id] == org)
				o = &d->orgs[k];
		/* DEV-33: the nearest 党委 above the branch approves */
		for (const struct org *p = o; p && p->parent_id && !committee;) {
			p = &d->orgs[p->parent_id - 1];
			if (p->type == ORG_PARTY_COMMITTEE)
				committee = d->org_ids[p->id];
		}
		if (o && o->type == ORG_BRANCH && committee && nfull - start >= 3) {
			struct branch *b = &x->br[x->nbr++];

			b->id = org;
			b->committee = committee;
			b->full = x->full_ids + start;
			b->nfull = nfull - start;
		}
		i = j;
	}
}

int demo_lifecycle(struct sconn *c, struct arena *a, struct demo_life *d, struct err *e)
{
	struct ctx x = { .c = c, .a = a, .d = d };
	int rc = -1;

	x.rng.s = d->seed ^ 0x6c69666563796c65ULL; /* "lifecycle" */
	x.today = d->today;
	x.year_start = (struct date){ d->today.y, 1, 1 };
	dev_rules_default(&x.r2014, 2014);
	dev_rules_default(&x.r2026, 2026);
	x.used = xcalloc(d->nmem + 1, sizeof(*x.used));
	d->created = arena_zalloc(a, MAX_CASES * sizeof(*d->created));
	find_branches(&x);
	if (!x.nbr || d->nmem < DEMO_LIFECYCLE_MIN_MEMBERS) {
		/* a tiny demo has no room for the lifecycle */
		rc = 0;
		goto out;
	}
	/* development first: its people are the branches' full members as they are now */
	if (demo_development(&x, e) < 0 || demo_transfers(&x, e) < 0 || demo_mobile(&x, e) < 0 ||
	    demo_states(&x, e) < 0)
		goto out;
	if (d->developed != DEMO_DEVELOPED_IN_YEAR)
		BUG("demo: %d members developed in %d, expected %d", d->developed, d->today.y,
		    DEMO_DEVELOPED_IN_YEAR);
	rc = 0;
out:
	free(x.used);
	return rc;
}
