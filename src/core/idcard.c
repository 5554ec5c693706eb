/*
 * idcard.c: citizen identity numbers (GB 11643-1999): shape, province
 * code, birth date and ISO 7064 MOD 11-2 check character (RULES.md
 * CODE-20..22), conversion of the old 15-digit form (CODE-24), masking.
 */
#include "util/common.h"
#include "core/idcard.h"
#include "core/codes.h"
#include "core/text.h"

char idcard_check_char(const char *first17)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
	int sum = 0;

	if (!first17)
		return '\0';
	for (int i = 0; i < 17; i++) {
		if (first17[i] < '0' || first17[i] > '9')
			return '\0';
		sum += (first17[i] - '0') * weight[i];
	}
	return check[sum % 11];
}

/* CODE-21: province-level codes {11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83}. */
static bool province_ok(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
	       (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 || (p >= 81 && p <= 83);
}

static int digits_val(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -1;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * Checks run in the order a person fixing the number would want them:
 * length, characters, region, birth date, check character.
 */
int idcard_parse(const char *s, bool allow_15, struct date today, struct idcard_info *out, const char **why)
{
	char num[19];
	const char *b;
	size_t len;
	int century, y, m, d;
	struct date birth;

	if (!s)
		return fail(why, "身份证号应为18位");
	b = text_trim(s, &len);

	if (len == 15 && allow_15) {
		/* CODE-24: 6 address + YYMMDD + 3 sequence; born in the 1900s. */
		if (!all_digits(b, 15))
			return fail(why, "身份证号格式不正确");
		memcpy(num, b, 6);
		num[6] = '1';
		num[7] = '9';
		memcpy(num + 8, b + 6, 9);
		num[17] = idcard_check_char(num);
		num[18] = '\0';
	} else if (len == 18) {
		memcpy(num, b, 18);
		num[18] = '\0';
		if (num[17] == 'x')
			num[17] = 'X';
		if (!all_digits(num, 17) || !((num[17] >= '0' && num[17] <= '9') || num[17] == 'X'))
			return fail(why, "身份证号格式不正确");
	} else {
		return fail(why, "身份证号应为18位");
	}

	if (!province_ok(digits_val(num, 2)))
		return fail(why, "身份证号地区码无效");

	century = digits_val(num + 6, 2);
	y = digits_val(num + 6, 4);
	m = digits_val(num + 10, 2);
	d = digits_val(num + 12, 2);
	if (century < 18 || century > 20 || !date_valid(y, m, d))
		return fail(why, "身份证号中的出生日期无效");
	birth = (struct date){ y, m, d };
	if (date_is_set(today) && date_cmp(birth, today) > 0)
		return fail(why, "身份证号中的出生日期无效");

	if (idcard_check_char(num) != num[17])
		return fail(why, "身份证号校验位错误");

	if (out) {
		memcpy(out->number, num, sizeof(out->number));
		out->birth = birth;
		out->gender = (num[16] - '0') % 2 ? GENDER_MALE : GENDER_FEMALE;
	}
	if (why)
		*why = NULL;
	return 0;
}

/*
 * Keeps the first 6 and last 4 characters and stars the rest (at most 18
 * characters are written). Anything of 10 characters or fewer is starred
 * completely: it cannot be masked meaningfully.
 */
void idcard_mask(const char *number, char out[static 19])
{
	size_t len = number ? strlen(number) : 0, n = 0;

	if (len > 18)
		len = 18;
	if (len <= 10) {
		for (; n < len; n++)
			out[n] = '*';
		out[n] = '\0';
		return;
	}
	memcpy(out, number, 6);
	for (n = 6; n < len - 4; n++)
		out[n] = '*';
	memcpy(out + n, number + strlen(number) - 4, 4);
	out[len] = '\0';
}
