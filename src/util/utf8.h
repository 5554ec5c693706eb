/*
 * utf8.h: strict UTF-8 validation (no overlongs, no surrogates, nothing
 * above U+10FFFF) and character counting.
 */
#ifndef DJ_UTF8_H
#define DJ_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is valid UTF-8; otherwise *bad_out = offset of the first bad byte. */
bool utf8_valid(const char *s, size_t n, size_t *bad_out);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
