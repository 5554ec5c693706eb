/*
 * dues.c: the Party dues rules of RULES.md section 2 (党费规定2008): the
 * bracket calculator, dues-month arithmetic, arrears levels, payment checks
 * and remittance shares. Everything is integer fen and YYYYMM months; the
 * caller passes today's date, nothing here reads the clock.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/dues.h"
#include "core/text.h"

/* ------------------------------------------------------------ categories */

const struct enum_entry dues_category_enum[] = {
	{ DUES_CAT_IN_SERVICE, "in_service", "在职" },
	{ DUES_CAT_ANNUAL_SALARY, "annual_salary", "年薪制" },
	{ DUES_CAT_SELF_EMPLOYED, "self_employed", "个体及其他无固定月薪" },
	{ DUES_CAT_RETIRED, "retired", "离退休" },
	{ DUES_CAT_FARMER, "farmer", "农牧渔民" },
	{ DUES_CAT_STUDENT, "student", "学生" },
	{ DUES_CAT_UNEMPLOYED, "unemployed", "下岗失业" },
	{ DUES_CAT_RELIEF, "relief", "领取救济或抚恤" },
	{ DUES_CAT_MINIMUM_ALLOWANCE, "minimum_allowance", "领取最低生活保障" },
	{ DUES_CAT_REDUCED_OR_EXEMPT, "reduced_or_exempt", "减免" },
	{ 0, NULL, NULL },
};

const struct enum_entry dues_retired_base_enum[] = {
	{ DUES_RETIRED_BASE_BASIC_2017, "basic_pension_2017", "基本离退休费或基本养老金" },
	{ DUES_RETIRED_BASE_TOTAL_2008, "total_2008", "实际领取的离退休费总额" },
	{ 0, NULL, NULL },
};

const struct enum_entry dues_rebase_enum[] = {
	{ DUES_REBASE_YEARLY_JANUARY, "yearly_january", "每年1月核定" },
	{ DUES_REBASE_ON_CHANGE, "on_change", "工资变动当月调整" },
	{ 0, NULL, NULL },
};

const struct enum_entry dues_arrears_level_enum[] = {
	{ DUES_ARREARS_NONE, "none", "无" },
	{ DUES_ARREARS_WARN, "warn", "欠缴提醒" },
	{ DUES_ARREARS_ALERT, "alert", "欠缴预警" },
	{ DUES_ARREARS_LAPSE_CASE, "lapse_case", "连续欠缴，可能自行脱党" },
	{ 0, NULL, NULL },
};

int dues_category_of_member(int member_category)
{
	switch (member_category) {
	case CAT_IN_SERVICE:
		return DUES_CAT_IN_SERVICE;
	case CAT_RETIRED:
		return DUES_CAT_RETIRED;
	case CAT_FARMER:
		return DUES_CAT_FARMER;
	case CAT_STUDENT:
		return DUES_CAT_STUDENT;
	case CAT_UNEMPLOYED:
		return DUES_CAT_UNEMPLOYED;
	case CAT_OTHER:
		return DUES_CAT_SELF_EMPLOYED;
	default:
		return DUES_CAT_NONE;
	}
}

bool dues_category_uses_base(int category)
{
	return category == DUES_CAT_IN_SERVICE || category == DUES_CAT_ANNUAL_SALARY ||
	       category == DUES_CAT_SELF_EMPLOYED || category == DUES_CAT_RETIRED;
}

/* -------------------------------------------------------------- settings */

void dues_settings_default(struct dues_settings *s)
{
	*s = (struct dues_settings){
		.retired_base_policy = DUES_RETIRED_BASE_BASIC_2017,
		.farmer_amount_fen = 20,
		.rounding_unit_fen = 1,
		.rebase_policy = DUES_REBASE_YEARLY_JANUARY,
		.max_prepay_months = 3,
		.max_arrears_months = 6,
		.arrears_warn_months = 3,
		.arrears_alert_months = 5,
		.lapse_months = 6,
		.central_remit_threshold_fen = 100000,
	};
}

int dues_settings_check(const struct dues_settings *s, struct err *e)
{
	int rc = 0;

	if (!enum_json(dues_retired_base_enum, s->retired_base_policy))
		rc = err_field(e, "retired_base_policy", "离退休党员党费基数口径无效");
	if (s->farmer_amount_fen < 20 || s->farmer_amount_fen > 100)
		rc = err_field(e, "farmer_amount_fen", "农牧渔民党员党费应在0.20元至1.00元之间");
	if (s->rounding_unit_fen < 1 || s->rounding_unit_fen > 100)
		rc = err_field(e, "rounding_unit_fen", "党费取整单位应在1分至100分之间");
	if (!enum_json(dues_rebase_enum, s->rebase_policy))
		rc = err_field(e, "rebase_policy", "党费基数调整方式无效");
	if (s->max_prepay_months < 0 || s->max_prepay_months > 12)
		rc = err_field(e, "max_prepay_months", "预交月数上限应在0至12之间");
	if (s->max_arrears_months < 0 || s->max_arrears_months > 12)
		rc = err_field(e, "max_arrears_months", "补缴月数上限应在0至12之间");
	if (s->arrears_warn_months < 1 || s->arrears_warn_months > 24)
		rc = err_field(e, "arrears_warn_months", "欠缴提醒月数应在1至24之间");
	if (s->arrears_alert_months < s->arrears_warn_months || s->arrears_alert_months > 24)
		rc = err_field(e, "arrears_alert_months", "欠缴预警月数应不少于提醒月数且不超过24");
	if (s->lapse_months < s->arrears_alert_months || s->lapse_months > 24)
		rc = err_field(e, "lapse_months", "连续欠缴认定月数应不少于预警月数且不超过24");
	if (s->central_remit_threshold_fen <= 0)
		rc = err_field(e, "central_remit_threshold_fen", "上缴中央的金额标准必须大于0");
	return rc;
}

/*
 * The settings to use: the defaults for NULL. Invalid settings are an
 * operational failure (configuration escaped the startup check), not the
 * user's: ERR_INTERNAL without field errors.
 */
static const struct dues_settings *settings_or_default(const struct dues_settings *s,
						       struct dues_settings *buf, struct err *e)
{
	struct err tmp = ERR_INIT;

	if (!s) {
		dues_settings_default(buf);
		return buf;
	}
	if (dues_settings_check(s, &tmp) < 0) {
		err_set(e, ERR_INTERNAL, "dues_settings_invalid", "党费设置无效：%s", tmp.message);
		err_release(&tmp);
		return NULL;
	}
	return s;
}

int64_t dues_retired_base(const struct dues_settings *s, int64_t basic_fen, int64_t total_fen)
{
	if (s && s->retired_base_policy == DUES_RETIRED_BASE_TOTAL_2008)
		return total_fen;
	return basic_fen;
}

int dues_rebase_month(const struct dues_settings *s, int first_paid_month)
{
	if (!dues_month_valid(first_paid_month))
		return 0;
	if (s && s->rebase_policy == DUES_REBASE_ON_CHANGE)
		return first_paid_month;
	if (first_paid_month % 100 == 1)
		return first_paid_month;
	return dues_month_add(first_paid_month - first_paid_month % 100 + 1, 12);
}

/* ------------------------------------------------------------ calculator */

int64_t dues_round_per_mille(int64_t n, int per_mille, int unit_fen)
{
	int64_t d;

	assert(n >= 0 && n <= DUES_MAX_TOTAL_FEN);
	assert(per_mille >= 0 && per_mille <= 1000 && unit_fen >= 1);
	/*
	 * One rounding from the exact value n * per_mille / (1000 * unit):
	 * floor((2x + d) / 2d) is x/d rounded half up for x, d >= 0. Rounding
	 * to the fen first and then to the unit would round 4.5 fen up twice
	 * (to 5 fen, then to 1 jiao); rounding once gives 0 jiao.
	 */
	d = INT64_C(1000) * unit_fen;
	return (2 * n * per_mille + d) / (2 * d) * unit_fen;
}

/* DUES-02/03: the whole base at one rate; each boundary belongs to the lower band (C-03 以下). */
static int in_service_per_mille(int64_t base_fen)
{
	if (base_fen <= 300000)
		return 5;
	if (base_fen <= 500000)
		return 10;
	if (base_fen <= 1000000)
		return 15;
	return 20;
}

/* DUES-04. */
static int retired_per_mille(int64_t base_fen)
{
	return base_fen <= 500000 ? 5 : 10;
}

int dues_calculate(const struct dues_settings *s, int category, int64_t base_fen, struct dues_result *out,
		   struct err *e)
{
	struct dues_settings def;
	struct dues_result r = { .category = category, .base_fen = base_fen };
	int rc = 0;

	if (!(s = settings_or_default(s, &def, e)))
		return -1;
	if (base_fen < 0)
		rc = err_field(e, "base_fen", "月收入基数不能为负数");
	else if (base_fen > DUES_MAX_BASE_FEN)
		rc = err_field(e, "base_fen", "月收入基数超出合理范围");
	if (!enum_json(dues_category_enum, category))
		rc = err_field(e, "category", "党费类别无效");
	if (rc < 0)
		return -1;

	switch (category) {
	case DUES_CAT_IN_SERVICE:
	case DUES_CAT_ANNUAL_SALARY:
	case DUES_CAT_SELF_EMPLOYED:
		r.per_mille = in_service_per_mille(base_fen);
		break;
	case DUES_CAT_RETIRED:
		r.per_mille = retired_per_mille(base_fen);
		break;
	case DUES_CAT_FARMER:
		r.fixed = true;
		r.amount_fen = s->farmer_amount_fen;
		break;
	case DUES_CAT_STUDENT:
	case DUES_CAT_UNEMPLOYED:
	case DUES_CAT_RELIEF:
	case DUES_CAT_MINIMUM_ALLOWANCE:
		r.fixed = true;
		r.amount_fen = DUES_FIXED_AMOUNT_FEN;
		break;
	case DUES_CAT_REDUCED_OR_EXEMPT:
		r.fixed = true;
		r.by_approval = true;
		r.amount_fen = 0;
		break;
	default:
		BUG("dues category %d passed the enum check", category);
	}
	if (!r.fixed)
		r.amount_fen = dues_round_per_mille(base_fen, r.per_mille, s->rounding_unit_fen);
	*out = r;
	return 0;
}

/* ---------------------------------------------------------------- months */

#define MONTH_MIN_YEAR 1800
#define MONTH_MAX_YEAR 9999

bool dues_month_valid(int m)
{
	int y = m / 100, mm = m % 100;

	return m > 0 && y >= MONTH_MIN_YEAR && y <= MONTH_MAX_YEAR && mm >= 1 && mm <= 12;
}

/* Months since year 0: a linear index for arithmetic. */
static long month_index(int m)
{
	return (long)(m / 100) * 12 + (m % 100 - 1);
}

int dues_month_add(int m, int n)
{
	long i, y;

	if (!dues_month_valid(m))
		return 0;
	i = month_index(m) + n;
	if (i < 0)
		return 0;
	y = i / 12;
	if (y < MONTH_MIN_YEAR || y > MONTH_MAX_YEAR)
		return 0;
	return (int)(y * 100 + i % 12 + 1);
}

int dues_months_between(int a, int b)
{
	assert(dues_month_valid(a) && dues_month_valid(b));
	return (int)(month_index(b) - month_index(a));
}

int dues_month_of(struct date d)
{
	if (!date_is_set(d) || !date_valid(d.y, d.m, d.d))
		return 0;
	return d.y * 100 + d.m;
}

void dues_month_format(int m, char buf[static 8])
{
	if (!dues_month_valid(m)) {
		buf[0] = '\0';
		return;
	}
	buf[0] = (char)('0' + m / 100000);
	buf[1] = (char)('0' + m / 10000 % 10);
	buf[2] = (char)('0' + m / 1000 % 10);
	buf[3] = (char)('0' + m / 100 % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10 % 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '\0';
}

/* Reads up to maxd ASCII digits from *p into *v; returns how many (0 = none). */
static int read_num(const char **p, const char *end, int maxd, int *v)
{
	int n = 0;

	*v = 0;
	while (*p < end && n < maxd && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

int dues_month_parse(const char *s, int *out)
{
	static const char nian[] = "年", yue[] = "月";
	const char *p, *end;
	size_t len;
	int y, m, nd;

	if (!s)
		return -1;
	p = text_trim(s, &len);
	end = p + len;
	if (read_num(&p, end, 4, &y) != 4)
		return -1;
	if (p == end)
		return -1;
	if (*p >= '0' && *p <= '9') {
		/* YYYYMM: exactly two more digits. */
		if (read_num(&p, end, 2, &m) != 2 || p != end)
			return -1;
	} else {
		bool chinese = false;

		if (*p == '-' || *p == '/' || *p == '.') {
			p++;
		} else if ((size_t)(end - p) >= sizeof(nian) - 1 && !memcmp(p, nian, sizeof(nian) - 1)) {
			p += sizeof(nian) - 1;
			chinese = true;
		} else {
			return -1;
		}
		nd = read_num(&p, end, 2, &m);
		if (nd == 0)
			return -1;
		if (chinese) {
			if ((size_t)(end - p) < sizeof(yue) - 1 || memcmp(p, yue, sizeof(yue) - 1))
				return -1;
			p += sizeof(yue) - 1;
		}
		if (p != end)
			return -1;
	}
	if (!dues_month_valid(y * 100 + m))
		return -1;
	*out = y * 100 + m;
	return 0;
}

/* --------------------------------------------------------------- arrears */

static int level_of(const struct dues_settings *s, int run)
{
	if (run >= s->lapse_months)
		return DUES_ARREARS_LAPSE_CASE;
	if (run >= s->arrears_alert_months)
		return DUES_ARREARS_ALERT;
	if (run >= s->arrears_warn_months)
		return DUES_ARREARS_WARN;
	return DUES_ARREARS_NONE;
}

int dues_arrears_compute(const struct dues_settings *s, int first_due_month, const int *paid_months,
			 size_t npaid, struct date today, struct dues_arrears *out, struct err *e)
{
	struct dues_settings def;
	struct dues_arrears a = { 0 };
	int current, rc = 0;
	size_t j = 0;

	if (!(s = settings_or_default(s, &def, e)))
		return -1;
	if (!dues_month_valid(first_due_month))
		rc = err_field(e, "first_due_month", "起缴月份无效");
	current = dues_month_of(today);
	if (!current)
		rc = err_field(e, "today", "日期无效");
	for (size_t i = 0; i < npaid; i++) {
		if (!dues_month_valid(paid_months[i]) || (i > 0 && paid_months[i] < paid_months[i - 1])) {
			rc = err_field(e, "paid_months", "已缴月份无效或未按先后排列");
			break;
		}
	}
	if (rc < 0)
		return -1;

	/* Walk the owed months and the sorted paid months together. */
	for (int m = first_due_month; m < current; m = dues_month_add(m, 1)) {
		bool paid;

		while (j < npaid && paid_months[j] < m)
			j++;
		paid = j < npaid && paid_months[j] == m;
		a.due_months++;
		if (paid) {
			a.last_paid = m;
			a.consecutive = 0;
			continue;
		}
		a.unpaid_total++;
		if (!a.first_unpaid)
			a.first_unpaid = m;
		a.consecutive++;
		if (a.consecutive > a.longest)
			a.longest = a.consecutive;
	}
	/* A paid month before first_due_month still tells when the member last paid. */
	if (!a.last_paid) {
		for (size_t i = npaid; i-- > 0;) {
			if (paid_months[i] < current) {
				a.last_paid = paid_months[i];
				break;
			}
		}
	}
	a.level = level_of(s, a.longest);
	*out = a;
	return 0;
}

/* --------------------------------------------------------------- payments */

int dues_payment_check(const struct dues_settings *s, int month_for, int current_month, int64_t amount_fen,
		       int64_t standard_fen, unsigned flags, struct dues_payment_verdict *out, struct err *e)
{
	struct dues_settings def;
	struct dues_payment_verdict v = { 0 };
	int rc = 0;

	*out = v;
	if (!(s = settings_or_default(s, &def, e)))
		return -1;
	if (!dues_month_valid(current_month))
		return err_set(e, ERR_INTERNAL, "dues_bad_current_month", "当前月份无效");

	if (!dues_month_valid(month_for)) {
		rc = err_field(e, "month", "缴费月份无效");
	} else {
		int diff = dues_months_between(current_month, month_for);

		if (diff > 0) {
			v.months_ahead = diff;
			v.notes |= DUES_NOTE_PREPAY;
			if (diff > s->max_prepay_months) {
				if (s->max_prepay_months == 0)
					rc = err_field(e, "month", "不能预交党费");
				else
					rc = err_field(e, "month", "不能预交超过%d个月",
						       s->max_prepay_months);
			}
		} else if (diff < 0) {
			v.months_behind = -diff;
			v.notes |= DUES_NOTE_ARREARS;
			if (-diff > s->max_arrears_months) {
				if (flags & DUES_PAY_BRANCH_CONSENT) {
					v.notes |= DUES_NOTE_OLD_ARREARS;
				} else {
					v.notes |= DUES_NOTE_NEEDS_CONSENT;
					rc = err_field(e, "month", "补缴超过%d个月的党费须经党支部同意",
						       s->max_arrears_months);
				}
			}
		}
	}

	if (standard_fen < 0 || standard_fen > DUES_MAX_PAYMENT_FEN)
		rc = err_field(e, "standard_fen", "应缴党费标准无效");
	if (amount_fen <= 0) {
		rc = err_field(e, "amount_fen", "缴纳金额必须大于0");
	} else if (amount_fen > DUES_MAX_PAYMENT_FEN) {
		rc = err_field(e, "amount_fen", "缴纳金额超出合理范围");
	} else if (standard_fen >= 0 && standard_fen <= DUES_MAX_PAYMENT_FEN) {
		if (amount_fen < standard_fen) {
			if (flags & DUES_PAY_REDUCTION_APPROVED)
				v.notes |= DUES_NOTE_REDUCED;
			else
				rc = err_field(e, "amount_fen", "缴纳金额低于应缴党费标准");
		} else if (amount_fen > standard_fen) {
			v.extra_fen = amount_fen - standard_fen;
			v.notes |= DUES_NOTE_EXTRA;
			if (v.extra_fen >= s->central_remit_threshold_fen) {
				v.notes |= DUES_NOTE_REMIT_CENTRAL;
				v.central_fen = v.extra_fen;
			}
		}
	}
	*out = v;
	return rc;
}

/* ------------------------------------------------------------ remittance */

int64_t dues_remit_share(int64_t total_fen, int share_per_mille)
{
	if (total_fen < 0 || total_fen > DUES_MAX_TOTAL_FEN || share_per_mille < 0 || share_per_mille > 1000)
		return -1;
	return dues_round_per_mille(total_fen, share_per_mille, 1);
}
