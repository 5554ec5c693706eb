/*
 * idcard.h: citizen identity numbers (GB 11643-1999, RULES.md CODE-20..25).
 */
#ifndef DJ_CORE_IDCARD_H
#define DJ_CORE_IDCARD_H

#include "core/date.h"

struct idcard_info {
	char number[19]; /* normalised: 18 chars, upper-case X */
	struct date birth;
	int gender; /* enum gender: odd 17th digit male */
};

/* ISO 7064 MOD 11-2 check character of the first 17 digits ('0'..'9' or 'X'); '\0' if not 17 digits. */
char idcard_check_char(const char *first17);
/*
 * Validates and normalises `s` (white space trimmed, lower-case x accepted;
 * with allow_15 the old 15-digit form is converted, CODE-24). `today` bounds
 * the birth date. Returns 0 and fills *out, or -1 with a Chinese reason in
 * `why` (e.g. "身份证号校验位错误").
 */
int idcard_parse(const char *s, bool allow_15, struct date today, struct idcard_info *out, const char **why);
/* Masks as 110105********002X: keeps the first 6 and last 4 characters. */
void idcard_mask(const char *number, char out[static 19]);

#endif
