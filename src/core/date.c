/*
 * date.c: calendar dates without time zones. Day numbers use Howard
 * Hinnant's days-from-civil algorithm; the counting conventions (month
 * arithmetic with clamping, whole-year ages) are RULES.md C-01, C-02, C-07.
 * Pure: nothing here reads the clock.
 */
#include "util/common.h"
#include "core/date.h"
#include "core/text.h"

#include <math.h>

#define DATE_MIN_YEAR 1800
#define DATE_MAX_YEAR 9999

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_valid(int y, int m, int d)
{
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

/* ---------------------------------------------------------------- parsing */

/* Reads 1..maxd ASCII digits (at least mind) into *v; returns the count or 0. */
static size_t read_digits(const char *s, size_t mind, size_t maxd, int *v)
{
	size_t n = 0;
	int x = 0;

	while (n < maxd && s[n] >= '0' && s[n] <= '9') {
		x = x * 10 + (s[n] - '0');
		n++;
	}
	if (n < mind || (s[n] >= '0' && s[n] <= '9'))
		return 0;
	*v = x;
	return n;
}

static bool has_prefix(const char *s, const char *p, size_t *len_out)
{
	size_t n = strlen(p);

	if (strncmp(s, p, n))
		return false;
	*len_out = n;
	return true;
}

/*
 * Parses the body of a date (white space already removed): p..end.
 * Forms: YYYYMMDD; YYYY<sep>M<sep>D with sep one of - / . used twice;
 * YYYY年M月D日. Month and day may have one or two digits except in YYYYMMDD.
 */
static int parse_body(const char *p, const char *end, struct date *out)
{
	int y, m, d;
	size_t n, k;
	size_t len = (size_t)(end - p);

	if (len == 8 && strspn(p, "0123456789") >= 8) {
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		m = (p[4] - '0') * 10 + (p[5] - '0');
		d = (p[6] - '0') * 10 + (p[7] - '0');
		goto check;
	}
	if (!(n = read_digits(p, 4, 4, &y)))
		return -1;
	p += n;
	if (*p == '-' || *p == '/' || *p == '.') {
		char sep = *p++;

		if (!(n = read_digits(p, 1, 2, &m)))
			return -1;
		p += n;
		if (*p++ != sep)
			return -1;
		if (!(n = read_digits(p, 1, 2, &d)))
			return -1;
		p += n;
	} else if (has_prefix(p, "年", &k)) {
		p += k;
		if (!(n = read_digits(p, 1, 2, &m)))
			return -1;
		p += n;
		if (!has_prefix(p, "月", &k))
			return -1;
		p += k;
		if (!(n = read_digits(p, 1, 2, &d)))
			return -1;
		p += n;
		if (!has_prefix(p, "日", &k))
			return -1;
		p += k;
	} else {
		return -1;
	}
	if (p != end)
		return -1;
check:
	if (!date_valid(y, m, d))
		return -1;
	out->y = y;
	out->m = m;
	out->d = d;
	return 0;
}

int date_parse(const char *s, struct date *out)
{
	const char *end;
	size_t len;

	if (!s)
		return -1;
	s = text_trim(s, &len);
	end = s + len;
	if (end == s)
		return -1;
	return parse_body(s, end, out);
}

void date_format(struct date d, char buf[static 11])
{
	if (!date_is_set(d) || d.y < 0 || d.y > 9999 || d.m < 0 || d.m > 99 || d.d < 0 || d.d > 99) {
		buf[0] = '\0';
		return;
	}
	buf[0] = (char)('0' + d.y / 1000);
	buf[1] = (char)('0' + d.y / 100 % 10);
	buf[2] = (char)('0' + d.y / 10 % 10);
	buf[3] = (char)('0' + d.y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + d.m / 10);
	buf[6] = (char)('0' + d.m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d.d / 10);
	buf[9] = (char)('0' + d.d % 10);
	buf[10] = '\0';
}

int date_cmp(struct date a, struct date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

/* ------------------------------------------------------------ day numbers */

long date_to_days(struct date d)
{
	long y = d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.m + 9) % 12; /* March = 0 */
	long doy = (153 * mp + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct date date_from_days(long days)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct date r;

	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

/*
 * Excel's 1900 date system counts 1900-01-01 as serial 1 and, copying a
 * Lotus 1-2-3 bug, has a 1900-02-29 as serial 60. Serials from 61 on are
 * therefore one day ahead of a plain count; serial 60 names no real day and
 * is rejected. The fraction (time of day) is dropped.
 */
int date_from_excel_serial(double serial, struct date *out)
{
	long n;
	struct date d;

	if (!isfinite(serial) || serial < 1.0 || serial >= 2958466.0)
		return -1;
	n = (long)floor(serial);
	if (n == 60)
		return -1;
	/* 25569 is 1970-01-01. */
	d = date_from_days(n < 60 ? n - 25568 : n - 25569);
	if (!date_valid(d.y, d.m, d.d))
		return -1; /* before 1800 cannot happen here, kept for safety */
	*out = d;
	return 0;
}

/* ------------------------------------------------------------- arithmetic */

struct date date_add_months(struct date d, int months)
{
	long total, ym;
	struct date r;
	int dim;

	if (!date_is_set(d))
		return DATE_NONE;
	total = (long)d.y * 12 + (d.m - 1) + months;
	ym = total >= 0 ? total : total - 11; /* floor division for safety */
	r.y = (int)(ym / 12);
	r.m = (int)(total - (long)r.y * 12) + 1;
	dim = date_days_in_month(r.y, r.m);
	r.d = d.d > dim ? dim : d.d;
	return r;
}

struct date date_add_days(struct date d, long days)
{
	if (!date_is_set(d))
		return DATE_NONE;
	return date_from_days(date_to_days(d) + days);
}

/*
 * Whole years completed on `on` (C-07). A year counts from the day
 * add_months(birth, 12 * n) (C-02), so someone born on 29 February
 * completes a year on 28 February of a common year, consistently with the
 * "N years after" rules (for example DEV-60's birth + 18 years).
 */
int date_age_on(struct date birth, struct date on)
{
	int years;

	if (!date_is_set(birth) || !date_is_set(on))
		return 0;
	years = on.y - birth.y;
	if (date_cmp(date_add_months(birth, 12 * years), on) > 0)
		years--;
	return years;
}
