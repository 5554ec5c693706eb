/*
 * text.c: UTF-8 checks for user-typed text (see text.h). Strict decoding
 * after RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
#include "util/common.h"
#include "core/text.h"

/* Decodes one character at s; returns its length (1..4) or 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp_out)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80) {
		*cp_out = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		cp = s[0] & 0x1F;
		n = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		cp = s[0] & 0x0F;
		n = 3;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		cp = s[0] & 0x07;
		n = 4;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*cp_out = cp;
	return n;
}

enum text_check text_check(const char *s, size_t max_chars, bool multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	while (*p) {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);

		if (!n)
			return TEXT_BAD_UTF8;
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			if (!(multiline && (cp == '\t' || cp == '\n' || cp == '\r')))
				return TEXT_CONTROL;
		}
		p += n;
		chars++;
	}
	return chars > max_chars ? TEXT_TOO_LONG : TEXT_OK;
}

size_t text_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	while (*p) {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);

		p += n ? n : 1;
		chars++;
	}
	return chars;
}

static bool ascii_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

const char *text_trim(const char *s, size_t *len_out)
{
	const char *e;

	for (;;) {
		if (ascii_space(*s))
			s++;
		else if (!strncmp(s, "\xE3\x80\x80", 3))
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && ascii_space(e[-1]))
			e--;
		else if (e - s >= 3 && !memcmp(e - 3, "\xE3\x80\x80", 3))
			e -= 3;
		else
			break;
	}
	*len_out = (size_t)(e - s);
	return s;
}
