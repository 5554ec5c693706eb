/*
 * jsonw.c: the streaming JSON writer of jsonw.h.
 */
#include "util/common.h"
#include "util/jsonw.h"

/* Comma before a value unless it follows a key or opens its container. */
static void before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth - 1])
			strbuf_addch(&w->sb, ',');
		w->first[w->depth - 1] = false;
	}
}

static void open(struct jsonw *w, char c)
{
	before_value(w);
	if (w->depth >= JSONW_MAX_DEPTH)
		BUG("jsonw: nesting deeper than %d", JSONW_MAX_DEPTH);
	strbuf_addch(&w->sb, c);
	w->first[w->depth++] = true;
}

static void close(struct jsonw *w, char c)
{
	if (w->depth <= 0 || w->after_key)
		BUG("jsonw: unbalanced close");
	w->depth--;
	strbuf_addch(&w->sb, c);
}

void jsonw_object_begin(struct jsonw *w)
{
	open(w, '{');
}
void jsonw_object_end(struct jsonw *w)
{
	close(w, '}');
}
void jsonw_array_begin(struct jsonw *w)
{
	open(w, '[');
}
void jsonw_array_end(struct jsonw *w)
{
	close(w, ']');
}

/* Bytes that JSON strings must escape: control characters, '"' and '\\'. */
static const unsigned char must_escape[256] = {
	[0x00 ... 0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
};

/* Word-at-a-time tests (Hacker's Delight 6-1): is any byte of v zero, or below n (n <= 128)? */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static inline uint64_t has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}
static inline uint64_t has_less(uint64_t v, unsigned n)
{
	return (v - ONES * n) & ~v & HIGHS;
}

/*
 * Writes straight into the buffer, grown once for the worst case (every
 * byte as \u00XX): the member page spends a tenth of its time here.
 */
void jsonw_escape(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	char *o;

	strbuf_grow(sb, 6 * n + 2);
	o = sb->buf + sb->len;
	*o++ = '"';
	/* Eight bytes at a time while none of them needs escaping (most text never does). */
	for (; n >= 8; n -= 8, s += 8, o += 8) {
		uint64_t v;
		memcpy(&v, s, 8);
		if (has_less(v, 0x20) | has_zero(v ^ (ONES * '"')) | has_zero(v ^ (ONES * '\\')))
			break;
		memcpy(o, s, 8);
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!must_escape[c]) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o++ = '"';
	*o = '\0';
	sb->len = (size_t)(o - sb->buf);
}

/* Longest key copied without a second look: ours are short ASCII names. */
#define KEY_FAST 48

void jsonw_key(struct jsonw *w, const char *key)
{
	char *o;
	size_t i;

	if (w->after_key)
		BUG("jsonw: key after key");
	before_value(w);
	w->after_key = true;
	/* A member page writes some 600 keys: copied in one pass unless one needs escaping. */
	strbuf_grow(&w->sb, KEY_FAST + 3);
	o = w->sb.buf + w->sb.len;
	*o++ = '"';
	for (i = 0; i < KEY_FAST && key[i] && !must_escape[(unsigned char)key[i]]; i++)
		o[i] = key[i];
	if (key[i]) {
		jsonw_escape(&w->sb, key);
		strbuf_addch(&w->sb, ':');
		return;
	}
	o[i] = '"';
	o[i + 1] = ':';
	o[i + 2] = '\0';
	w->sb.len += i + 3;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	before_value(w);
	if (s)
		jsonw_escape(&w->sb, s);
	else
		strbuf_add(&w->sb, "null", 4);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	before_value(w);
	strbuf_add(&w->sb, p, (size_t)(buf + sizeof(buf) - p));
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	if (v)
		strbuf_add(&w->sb, "true", 4);
	else
		strbuf_add(&w->sb, "false", 5);
}

void jsonw_null(struct jsonw *w)
{
	before_value(w);
	strbuf_add(&w->sb, "null", 4);
}

void jsonw_raw(struct jsonw *w, const char *json, size_t len)
{
	before_value(w);
	strbuf_add(&w->sb, json, len);
}
