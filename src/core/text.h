/*
 * text.h: checks on free text typed by users, shared by the validators in
 * core/ (member.c, org.c): UTF-8 well-formedness, control characters and a
 * length counted in characters, not bytes.
 */
#ifndef DJ_CORE_TEXT_H
#define DJ_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum text_check {
	TEXT_OK = 0,
	TEXT_BAD_UTF8, /* not well-formed UTF-8 (overlong, surrogate, truncated) */
	TEXT_CONTROL,  /* C0/C1 control character or DEL */
	TEXT_TOO_LONG, /* more than max_chars characters */
};

/*
 * Checks `s` (NUL-terminated, not NULL). With `multiline`, tab, CR and LF
 * are allowed (remarks); otherwise every control character is refused.
 * The first problem found is returned.
 */
enum text_check text_check(const char *s, size_t max_chars, bool multiline);
/* Number of UTF-8 characters in s (each byte of a malformed sequence counts as one). */
size_t text_chars(const char *s);
/*
 * Finds `s` without surrounding ASCII white space and U+3000 (ideographic
 * space). Returns the start and sets *len_out. s must not be NULL.
 */
const char *text_trim(const char *s, size_t *len_out);

#endif
