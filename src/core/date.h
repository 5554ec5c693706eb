/*
 * date.h: calendar dates without time zones, and the counting conventions
 * of RULES.md section 0.3 (C-01 add_months, C-07 ages). Pure: the current
 * date is always passed in by the caller.
 */
#ifndef DJ_CORE_DATE_H
#define DJ_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>

/* y == 0 means "no date". */
struct date {
	int y, m, d;
};

#define DATE_NONE ((struct date){ 0, 0, 0 })
/*
 * 1921-07-01, the founding of the Party: no date of party life (a mobile
 * member going out, a state change, a publicity period) lies before it.
 * A sanity floor for dates users type, not a rule of RULES.md.
 */
#define DATE_PARTY_FOUNDED ((struct date){ 1921, 7, 1 })

static inline bool date_is_set(struct date d)
{
	return d.y != 0;
}

/* True when y-m-d exists in the proleptic Gregorian calendar (1800..9999). */
bool date_valid(int y, int m, int d);
/*
 * Parses YYYY-MM-DD, YYYY/M/D, YYYY.MM.DD, YYYY年M月D日 (surrounding white
 * space ignored) and also YYYYMMDD. Returns 0 and sets *out, or -1 when the
 * text is not one of those forms or not a real date.
 */
int date_parse(const char *s, struct date *out);
/* Writes YYYY-MM-DD (11 bytes with NUL). An unset date writes "". */
void date_format(struct date d, char buf[static 11]);
/* <0, 0, >0 like strcmp. An unset date sorts first. */
int date_cmp(struct date a, struct date b);
/* Days since 1970-01-01 (negative before). */
long date_to_days(struct date d);
struct date date_from_days(long days);
/* Excel serial day number (1900 date system, serial 60 = the fictitious 1900-02-29). */
int date_from_excel_serial(double serial, struct date *out);
/* RULES.md C-01: same day N months later, clamped to the month's last day. */
struct date date_add_months(struct date d, int months);
struct date date_add_days(struct date d, long days);
/* RULES.md C-07: whole years completed on `on`. */
int date_age_on(struct date birth, struct date on);
int date_days_in_month(int y, int m);

#endif
