/*
 * member.c: validation of a member record (党员档案) before it is stored:
 * required fields, code lists, date consistency (RULES.md DEV-60 as far as
 * a member record goes), agreement of the identity number with birth date
 * and gender (CODE-25), and the phone number format and mask.
 */
#include "util/common.h"
#include "util/err.h"
#include "core/member.h"
#include "core/idcard.h"
#include "core/text.h"

#define NAME_MAX_CHARS 50
#define PLACE_MAX_CHARS 100
#define REMARKS_MAX_CHARS 500

size_t member_normalize_name(const char *in, char *out, size_t cap)
{
	const char *s;
	size_t len;

	if (!cap)
		return 0;
	if (!in) {
		out[0] = '\0';
		return 0;
	}
	s = text_trim(in, &len);
	if (len > cap - 1) {
		len = cap - 1;
		/* Do not cut a UTF-8 sequence: back up over continuation bytes. */
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return len;
}

void member_normalize(struct member *m, struct member_norm *buf)
{
	struct idcard_info info;

	if (m->name) {
		size_t len;

		text_trim(m->name, &len);
		/* Only when it fits whole; an over-long name stays as is and fails validation. */
		if (len < sizeof(buf->name)) {
			member_normalize_name(m->name, buf->name, sizeof(buf->name));
			m->name = buf->name;
		}
	}
	if (m->id_card && !idcard_parse(m->id_card, false, DATE_NONE, &info, NULL)) {
		memcpy(buf->id_card, info.number, sizeof(buf->id_card));
		m->id_card = buf->id_card;
	}
}

void member_rules_default(struct member_rules *r)
{
	r->min_join_age = 18;
	r->probation_months = 12;
}

/* ------------------------------------------------------------------ phone */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t count_digits(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

/*
 * Mobile: 11 digits, 1 then 3-9. Fixed line: area code of 3 or 4 digits
 * starting with 0, a hyphen, a local number not starting with 0 of 8
 * digits (after a 3-digit area code such as 010 or 021) or 7-8 digits
 * (after a 4-digit one), and an optional extension "-" 1..6 digits. Nothing else (no
 * white space, no +86): the caller stores the plain number.
 */
bool phone_valid(const char *s)
{
	size_t n, area;

	if (!s)
		return false;
	if (s[0] == '1') {
		return count_digits(s) == 11 && s[11] == '\0' && s[1] >= '3' && s[1] <= '9';
	}
	if (s[0] != '0')
		return false;
	n = count_digits(s);
	if (n < 3 || n > 4 || s[n] != '-')
		return false;
	area = n;
	s += n + 1;
	n = count_digits(s);
	if (n < (area == 3 ? 8 : 7) || n > 8 || s[0] == '0')
		return false;
	s += n;
	if (*s == '\0')
		return true;
	if (*s != '-')
		return false;
	s++;
	n = count_digits(s);
	return n >= 1 && n <= 6 && s[n] == '\0';
}

/*
 * Keeps the first 3 and the last 4 digits and stars the digits between;
 * other characters (the hyphens of a fixed line) are kept. A number of 7
 * digits or fewer is starred completely. Output is cut to cap - 1 bytes.
 */
void phone_mask(const char *s, char *out, size_t cap)
{
	size_t digits = 0, seen = 0, n = 0;

	if (!cap)
		return;
	if (!s) {
		out[0] = '\0';
		return;
	}
	for (const char *p = s; *p; p++)
		digits += is_digit(*p);
	for (const char *p = s; *p && n + 1 < cap; p++) {
		char c = *p;

		if (is_digit(c)) {
			bool keep = digits > 7 && (seen < 3 || seen >= digits - 4);

			seen++;
			out[n++] = keep ? c : '*';
		} else {
			out[n++] = c;
		}
	}
	out[n] = '\0';
}

/* ------------------------------------------------------------- validation */

/* The err being filled and whether this validation found anything. */
struct vctx {
	struct err *e;
	bool bad;
};

static void fieldf(struct vctx *v, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fieldf(struct vctx *v, const char *field, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->bad = true;
	err_field(v->e, field, "%s", msg);
}

static void check_text(struct vctx *v, const char *field, const char *label, const char *s, size_t max_chars,
		       bool multiline)
{
	if (!s)
		return;
	switch (text_check(s, max_chars, multiline)) {
	case TEXT_OK:
		break;
	case TEXT_BAD_UTF8:
	case TEXT_CONTROL:
		fieldf(v, field, "%s包含无效字符", label);
		break;
	case TEXT_TOO_LONG:
		fieldf(v, field, "%s不能超过%zu个字", label, max_chars);
		break;
	}
}

static void check_name(const struct member *m, struct vctx *v)
{
	const char *s = "";
	size_t len = 0;
	char buf[NAME_MAX_CHARS * 4 + 8];

	if (m->name)
		s = text_trim(m->name, &len);
	if (!len) {
		fieldf(v, "name", "姓名不能为空");
		return;
	}
	if (len >= sizeof(buf)) {
		fieldf(v, "name", "姓名不能超过%d个字", NAME_MAX_CHARS);
		return;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	check_text(v, "name", "姓名", buf, NAME_MAX_CHARS, false);
}

/*
 * Checks that a date field, when set, is a real date and not after today.
 * Returns true when the date is set and usable for further comparisons.
 */
static bool check_date(struct vctx *v, const char *field, const char *label, struct date d, struct date today,
		       bool required)
{
	if (!date_is_set(d)) {
		if (required)
			fieldf(v, field, "%s不能为空", label);
		return false;
	}
	if (!date_valid(d.y, d.m, d.d)) {
		fieldf(v, field, "%s无效", label);
		return false;
	}
	if (date_is_set(today) && date_cmp(d, today) > 0) {
		fieldf(v, field, "%s不能晚于今天", label);
		return false;
	}
	return true;
}

static void check_id_card(const struct member *m, struct date today, bool birth_ok, struct vctx *v)
{
	struct idcard_info info;
	const char *why = NULL;
	size_t len;

	if (!m->id_card || (text_trim(m->id_card, &len), len == 0)) {
		fieldf(v, "id_card", "身份证号不能为空");
		return;
	}
	/* Stored numbers are 18 characters; the 15-digit form is converted on import only. */
	if (idcard_parse(m->id_card, false, today, &info, &why)) {
		fieldf(v, "id_card", "%s", why);
		return;
	}
	if (birth_ok && date_cmp(info.birth, m->birth_date) != 0) {
		fieldf(v, "id_card", "身份证号与出生日期不一致");
		return;
	}
	if ((m->gender == GENDER_MALE || m->gender == GENDER_FEMALE) && info.gender != m->gender)
		fieldf(v, "id_card", "身份证号与性别不一致");
}

static void check_code(struct vctx *v, const char *field, const char *label, const char *code,
		       const struct code_entry *(*lookup)(const char *))
{
	if (!code[0])
		fieldf(v, field, "%s不能为空", label);
	else if (!lookup(code))
		fieldf(v, field, "%s代码无效", label);
}

static void check_enum(struct vctx *v, const char *field, const char *label, int value,
		       const struct enum_entry *t)
{
	if (value == 0)
		fieldf(v, field, "请选择%s", label);
	else if (!enum_json(t, value))
		fieldf(v, field, "%s无效", label);
}

int member_validate(const struct member *m, const struct member_rules *r, struct date today, struct err *e)
{
	struct member_rules defaults;
	struct vctx vc = { .e = e, .bad = false }, *v = &vc;
	bool birth_ok, joined_ok, full_ok;

	if (!r) {
		member_rules_default(&defaults);
		r = &defaults;
	}

	check_name(m, v);
	check_enum(v, "gender", "性别", m->gender, gender_enum);
	check_code(v, "ethnicity", "民族", m->ethnicity, ethnicity_by_code);
	birth_ok = check_date(v, "birth_date", "出生日期", m->birth_date, today, true);
	check_id_card(m, today, birth_ok, v);
	check_code(v, "education", "学历", m->education, education_by_code);
	if (m->phone && m->phone[0] && !phone_valid(m->phone))
		fieldf(v, "phone", "手机号格式不正确");
	check_text(v, "native_place", "籍贯", m->native_place, PLACE_MAX_CHARS, false);
	check_enum(v, "category", "人员类别", m->category, category_enum);
	check_enum(v, "status", "党员状态", m->status, status_enum);

	/* DEV-60: birth + min_join_age years <= joined_on <= today (C-02 years). */
	joined_ok = check_date(v, "joined_on", "入党时间", m->joined_on, today, true);
	if (joined_ok && birth_ok &&
	    date_cmp(m->joined_on, date_add_months(m->birth_date, 12 * r->min_join_age)) < 0) {
		fieldf(v, "joined_on", "入党时须年满%d周岁", r->min_join_age);
		joined_ok = false;
	}

	/* Full members have a full_member_on after joined_on; probationary members none. */
	if (m->status == STATUS_FULL && !date_is_set(m->full_member_on)) {
		fieldf(v, "full_member_on", "正式党员须填写转正时间");
	} else if (m->status == STATUS_PROBATIONARY && date_is_set(m->full_member_on)) {
		fieldf(v, "full_member_on", "预备党员不应填写转正时间");
	} else {
		full_ok = check_date(v, "full_member_on", "转正时间", m->full_member_on, today, false);
		if (full_ok && joined_ok && date_cmp(m->full_member_on, m->joined_on) <= 0)
			fieldf(v, "full_member_on", "转正时间须晚于入党时间");
	}

	if (m->org_id <= 0)
		fieldf(v, "org_id", "请选择所在党组织");
	check_text(v, "work_unit", "工作单位", m->work_unit, PLACE_MAX_CHARS, false);
	check_text(v, "job", "职务", m->job, PLACE_MAX_CHARS, false);
	check_text(v, "remarks", "备注", m->remarks, REMARKS_MAX_CHARS, true);

	return v->bad ? -1 : 0;
}
