/*
 * csv_read.c: encoding detection (UTF-8 / GB18030 through glibc iconv) and an
 * RFC 4180 parser that is lenient where Excel is (stray quotes inside an
 * unquoted field are kept) and strict where data would be lost (an unclosed
 * quote is an error rather than a silently swallowed rest of file).
 */
#include "util/common.h"
#include "io/csv_read.h"
#include "io/table.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <iconv.h>

size_t utf8_invalid_offset(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t need;
		unsigned cp, min;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (len - i - 1 < need)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += need + 1;
	}
	return len;
}

static int bad_byte(struct err *e, size_t offset)
{
	return err_set(e, ERR_VALIDATION, "import_invalid", "文件编码无法识别：第%zu字节无效", offset + 1);
}

/*
 * Converts GB18030 to UTF-8 into `out`. On an invalid or truncated sequence
 * sets *bad_out to its offset and returns -1.
 */
static int from_gb18030(const char *data, size_t len, struct strbuf *out, size_t *bad_out)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)data;
	size_t inleft = len;
	int ret = -1;

	if (cd == (iconv_t)-1) {
		*bad_out = 0;
		return -1;
	}
	strbuf_grow(out, len + len / 2 + 16);
	while (inleft) {
		char *o = out->buf + out->len;
		size_t oleft = out->alloc - out->len - 1;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		strbuf_setlen(out, (size_t)(o - out->buf));
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			strbuf_grow(out, inleft * 2 + 16);
			continue;
		}
		*bad_out = (size_t)(in - data); /* EILSEQ or EINVAL (truncated at the end) */
		goto out;
	}
	ret = 0;
out:
	iconv_close(cd);
	return ret;
}

static bool at_eol(const char *s, size_t i, size_t n)
{
	return i >= n || s[i] == '\n' || s[i] == '\r';
}

/* Bytes that end an unquoted field. */
static const bool field_end[256] = { [','] = true, ['\n'] = true, ['\r'] = true };

static int parse(const char *s, size_t n, struct table *t, struct err *e)
{
	struct strbuf field = STRBUF_INIT;
	size_t i = 0;
	int line = 1;
	int ret = -1;

	while (i < n) {
		struct table_row *row;
		int rec_line = line;

		if (s[i] == '\r' || s[i] == '\n') { /* blank line */
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			i++;
			line++;
			continue;
		}
		row = table_add_row(t, rec_line);
		for (;;) {
			if (i < n && s[i] == '"') {
				strbuf_reset(&field);
				i++;
				for (;;) {
					if (i >= n) {
						err_set(e, ERR_VALIDATION, "import_invalid",
							"CSV 格式错误：第%d行开始的引号没有闭合", rec_line);
						goto out;
					}
					if (s[i] == '"') {
						if (i + 1 < n && s[i + 1] == '"') {
							strbuf_addch(&field, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					/* line breaks inside a field are kept byte for byte */
					if (s[i] == '\n' ||
					    (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
						line++;
					strbuf_addch(&field, s[i]);
					i++;
				}
				/* Excel keeps text after a closing quote ("ab"c -> abc). */
				while (i < n && s[i] != ',' && !at_eol(s, i, n))
					strbuf_addch(&field, s[i++]);
				table_append_text(t, row, field.buf, field.len);
			} else {
				/* Unquoted: straight from the file into the table (a 1M-row file
				 * went through a second copy here). */
				size_t start = i;

				while (i < n && !field_end[(unsigned char)s[i]])
					i++;
				table_append_text(t, row, s + start, i - start);
			}
			if (i < n && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		if (i < n) { /* at a line break */
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			i++;
			line++;
		}
	}
	ret = 0;
out:
	strbuf_release(&field);
	return ret;
}

int csv_read(const char *data, size_t len, struct table *out, struct err *e)
{
	struct strbuf conv = STRBUF_INIT;
	const unsigned char *u = (const unsigned char *)data;
	size_t skip = 0, bad;
	int ret = -1;

	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
		err_set(e, ERR_VALIDATION, "import_invalid",
			"不支持 UTF-16 编码的文件，请另存为“CSV UTF-8”或 .xlsx 格式");
		goto out;
	}
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		skip = 3;
	bad = skip + utf8_invalid_offset(data + skip, len - skip);
	if (bad == len) {
		ret = parse(data + skip, len - skip, out, e);
		goto out;
	}
	/* A BOM promises UTF-8, and GB18030 text holds no NUL: report, don't guess. */
	if (!skip) {
		const char *nul = memchr(data, 0, len);

		if (nul)
			bad = (size_t)(nul - data);
	}
	if (skip || u[bad] == 0) {
		bad_byte(e, bad);
		goto out;
	}
	if (from_gb18030(data, len, &conv, &bad) < 0) {
		bad_byte(e, bad);
		goto out;
	}
	ret = parse(conv.buf, conv.len, out, e);
out:
	strbuf_release(&conv);
	return ret;
}
