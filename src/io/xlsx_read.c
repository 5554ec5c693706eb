/*
 * xlsx_read.c: the .xlsx reader. libzip opens the archive from memory and
 * libxml2's streaming xmlTextReader walks the parts (workbook, relationships,
 * styles, shared strings, the sheet), so a large sheet never becomes a DOM.
 * Element names are compared by local name: some writers use an x: prefix.
 */
#include "util/common.h"
#include "io/xlsx_read.h"
#include "io/table.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <libxml/xmlreader.h>
#include <zip.h>

/* An uncompressed part bigger than this is refused (zip bombs). */
#define XLSX_PART_MAX (256u << 20)
#define XLSX_MAX_COLS 16384
#define XLSX_MAX_ROWS 1048576

#define READER_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

struct xlsx {
	zip_t *zip;
	struct arena *arena;
	struct err *e;
	/* shared strings */
	const char **sst;
	size_t nsst, sst_alloc;
	/* styles: cellXfs index -> is a date format */
	bool *xf_date;
	size_t nxf;
	bool date1904;
};

static int fail(struct xlsx *x, const char *what)
{
	return err_set(x->e, ERR_VALIDATION, "import_invalid", "无法读取 .xlsx 文件：%s", what);
}

bool xlsx_looks_like(const char *data, size_t len)
{
	return len >= 4 && !memcmp(data, "PK\003\004", 4);
}

/*
 * Reads part `name` into `out`. Returns 1 when read, 0 when the archive has
 * no such part, -1 on error (recorded).
 */
static int read_part(struct xlsx *x, const char *name, struct strbuf *out)
{
	zip_int64_t idx = zip_name_locate(x->zip, name, 0);
	zip_stat_t st;
	zip_file_t *f = NULL;
	int ret = -1;

	strbuf_reset(out);
	if (idx < 0)
		idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return 0;
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		fail(x, "文件已损坏");
		goto out;
	}
	if (st.size > XLSX_PART_MAX) {
		fail(x, "内容过大");
		goto out;
	}
	f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (!f) {
		fail(x, "文件已损坏");
		goto out;
	}
	strbuf_grow(out, (size_t)st.size);
	for (;;) {
		zip_int64_t n;

		strbuf_grow(out, 65536);
		n = zip_fread(f, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0) {
			fail(x, "文件已损坏");
			goto out;
		}
		if (n == 0)
			break;
		strbuf_setlen(out, out->len + (size_t)n);
		if (out->len > XLSX_PART_MAX) {
			fail(x, "内容过大");
			goto out;
		}
	}
	ret = 1;
out:
	if (f)
		zip_fclose(f);
	return ret;
}

static xmlTextReaderPtr reader_new(const struct strbuf *sb)
{
	return xmlReaderForMemory(sb->buf, (int)sb->len, NULL, NULL, READER_OPTS);
}

static bool is_elem(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && n && !strcmp((const char *)n, name);
}

static bool is_end(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT && n && !strcmp((const char *)n, name);
}

/* Attribute by local name (any namespace) copied into `out`; false when absent. */
static bool attr(xmlTextReaderPtr r, const char *name, struct strbuf *out)
{
	bool found = false;

	strbuf_reset(out);
	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return false;
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(r);

		if (n && !strcmp((const char *)n, name)) {
			const xmlChar *v = xmlTextReaderConstValue(r);

			strbuf_addstr(out, v ? (const char *)v : "");
			found = true;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return found;
}

/* Appends the text content of the current element to `out`. */
static void add_text(xmlTextReaderPtr r, struct strbuf *out)
{
	xmlChar *s = xmlTextReaderReadString(r);

	if (s) {
		strbuf_addstr(out, (const char *)s);
		xmlFree(s);
	}
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The UTF-16 unit of an "_xHHHH_" escape at p, or -1. */
static int escape_at(const char *p, const char *end)
{
	if (end - p < 7 || p[0] != '_' || p[1] != 'x' || p[6] != '_')
		return -1;
	return hex4(p + 2);
}

/*
 * Decodes OOXML's ST_Xstring escapes in place: "_xHHHH_" stands for the
 * UTF-16 unit HHHH (writers escape CR as _x000D_ and a literal "_x" as
 * _x005F_x). Surrogate pairs combine; a lone surrogate is dropped.
 */
static void ooxml_unescape(struct strbuf *sb)
{
	const char *p = sb->buf, *end = sb->buf + sb->len;
	char *o = sb->buf;

	if (!memchr(sb->buf, '_', sb->len))
		return;
	while (p < end) {
		int u = escape_at(p, end);
		unsigned cp;

		if (u < 0) {
			*o++ = *p++;
			continue;
		}
		p += 7;
		cp = (unsigned)u;
		if (u >= 0xd800 && u <= 0xdbff) {
			int lo = escape_at(p, end);

			if (lo < 0xdc00 || lo > 0xdfff)
				continue;
			p += 7;
			cp = 0x10000 + (((unsigned)u - 0xd800) << 10) + ((unsigned)lo - 0xdc00);
		} else if (u >= 0xdc00 && u <= 0xdfff) {
			continue;
		}
		if (cp == 0)
			continue;
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xc0 | (cp >> 6));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xe0 | (cp >> 12));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (char)(0xf0 | (cp >> 18));
			*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		}
	}
	strbuf_setlen(sb, (size_t)(o - sb->buf));
}

/* ---------------------------------------------------------------- workbook */

/*
 * Finds the part name of the first worksheet: xl/workbook.xml names it by
 * relationship id, xl/_rels/workbook.xml.rels maps the id to a target.
 */
static int first_sheet_path(struct xlsx *x, struct strbuf *path)
{
	struct strbuf part = STRBUF_INIT, rid = STRBUF_INIT, v = STRBUF_INIT;
	xmlTextReaderPtr r = NULL;
	int ret = -1, rc;

	rc = read_part(x, "xl/workbook.xml", &part);
	if (rc <= 0) {
		if (rc == 0)
			fail(x, "找不到工作簿（xl/workbook.xml），文件可能不是 .xlsx 格式");
		goto out;
	}
	r = reader_new(&part);
	while (r && (rc = xmlTextReaderRead(r)) == 1) {
		if (is_elem(r, "workbookPr") && attr(r, "date1904", &v))
			x->date1904 = !strcmp(v.buf, "1") || !strcmp(v.buf, "true");
		if (is_elem(r, "sheet") && !rid.len)
			attr(r, "id", &rid);
	}
	if (!r || rc < 0) {
		fail(x, "工作簿格式错误");
		goto out;
	}
	xmlFreeTextReader(r);
	r = NULL;
	strbuf_reset(path);
	if (rid.len && read_part(x, "xl/_rels/workbook.xml.rels", &part) > 0) {
		r = reader_new(&part);
		while (r && xmlTextReaderRead(r) == 1) {
			if (!is_elem(r, "Relationship") || !attr(r, "Id", &v) || strcmp(v.buf, rid.buf))
				continue;
			if (attr(r, "Target", &v)) {
				if (v.buf[0] == '/')
					strbuf_addstr(path, v.buf + 1);
				else
					strbuf_addf(path, "xl/%s", v.buf);
			}
			break;
		}
	}
	if (!path->len) /* no relationships: the conventional name */
		strbuf_addstr(path, "xl/worksheets/sheet1.xml");
	ret = 0;
out:
	if (r)
		xmlFreeTextReader(r);
	strbuf_release(&part);
	strbuf_release(&rid);
	strbuf_release(&v);
	return ret;
}

/* ------------------------------------------------------------------ styles */

static bool builtin_date_fmt(long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

/* A custom number format is a date when it has y, d, or m without h/s (then m is minutes). */
static bool custom_date_fmt(const char *f)
{
	bool y = false, m = false, d = false, hs = false;

	for (; *f; f++) {
		switch (*f) {
		case '"':
			while (f[1] && f[1] != '"')
				f++;
			if (f[1])
				f++;
			break;
		case '[':
			while (f[1] && f[1] != ']')
				f++;
			if (f[1])
				f++;
			break;
		case '\\':
		case '_':
		case '*':
			if (f[1])
				f++;
			break;
		case 'y':
		case 'Y':
		case 'e':
		case 'E':
			y = true;
			break;
		case 'm':
		case 'M':
			m = true;
			break;
		case 'd':
		case 'D':
			d = true;
			break;
		case 'h':
		case 'H':
		case 's':
		case 'S':
			hs = true;
			break;
		}
	}
	return y || d || (m && !hs);
}

struct numfmt {
	long id;
	bool date;
};

static int read_styles(struct xlsx *x)
{
	struct strbuf part = STRBUF_INIT, v = STRBUF_INIT;
	xmlTextReaderPtr r = NULL;
	struct numfmt *fmts = NULL;
	size_t nfmts = 0, fmts_alloc = 0, xf_alloc = 0;
	bool in_xfs = false;
	int ret = -1, rc;

	rc = read_part(x, "xl/styles.xml", &part);
	if (rc <= 0) {
		ret = rc; /* 0: no styles, no dates */
		goto out;
	}
	r = reader_new(&part);
	while (r && (rc = xmlTextReaderRead(r)) == 1) {
		if (is_elem(r, "numFmt") && attr(r, "numFmtId", &v)) {
			long id = strtol(v.buf, NULL, 10);

			attr(r, "formatCode", &v);
			if (nfmts == fmts_alloc) {
				fmts_alloc = fmts_alloc ? 2 * fmts_alloc : 16;
				fmts = xrealloc(fmts, fmts_alloc * sizeof(*fmts));
			}
			fmts[nfmts].id = id;
			fmts[nfmts++].date = custom_date_fmt(v.buf);
		} else if (is_elem(r, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(r);
		} else if (is_end(r, "cellXfs")) {
			in_xfs = false;
		} else if (in_xfs && is_elem(r, "xf")) {
			long id = attr(r, "numFmtId", &v) ? strtol(v.buf, NULL, 10) : 0;
			bool date = builtin_date_fmt(id);

			for (size_t i = 0; i < nfmts; i++)
				if (fmts[i].id == id)
					date = fmts[i].date;
			if (x->nxf == xf_alloc) {
				bool *n;

				xf_alloc = xf_alloc ? 2 * xf_alloc : 32;
				n = arena_alloc(x->arena, xf_alloc * sizeof(*n));
				if (x->nxf)
					memcpy(n, x->xf_date, x->nxf * sizeof(*n));
				x->xf_date = n;
			}
			x->xf_date[x->nxf++] = date;
		}
	}
	if (!r || rc < 0) {
		fail(x, "样式表格式错误");
		goto out;
	}
	ret = 0;
out:
	if (r)
		xmlFreeTextReader(r);
	free(fmts);
	strbuf_release(&part);
	strbuf_release(&v);
	return ret < 0 ? -1 : 0;
}

/* ---------------------------------------------------------- shared strings */

static int read_shared_strings(struct xlsx *x)
{
	struct strbuf part = STRBUF_INIT, s = STRBUF_INIT;
	xmlTextReaderPtr r = NULL;
	bool in_si = false, in_rph = false;
	int ret = -1, rc;

	rc = read_part(x, "xl/sharedStrings.xml", &part);
	if (rc <= 0) {
		ret = rc; /* constant-memory writers have none */
		goto out;
	}
	r = reader_new(&part);
	while (r && (rc = xmlTextReaderRead(r)) == 1) {
		if (is_elem(r, "si")) {
			strbuf_reset(&s);
			in_si = !xmlTextReaderIsEmptyElement(r);
			if (in_si)
				continue;
		} else if (is_elem(r, "rPh")) {
			in_rph = !xmlTextReaderIsEmptyElement(r);
			continue;
		} else if (is_end(r, "rPh")) {
			in_rph = false;
			continue;
		} else if (in_si && !in_rph && is_elem(r, "t")) {
			add_text(r, &s);
			continue;
		} else if (!is_end(r, "si")) {
			continue;
		}
		/* end of an <si> (or an empty <si/>) */
		in_si = false;
		ooxml_unescape(&s);
		if (x->nsst == x->sst_alloc) {
			const char **n;

			x->sst_alloc = x->sst_alloc ? 2 * x->sst_alloc : 256;
			n = arena_alloc(x->arena, x->sst_alloc * sizeof(*n));
			if (x->nsst)
				memcpy(n, x->sst, x->nsst * sizeof(*n));
			x->sst = n;
		}
		x->sst[x->nsst++] = arena_strndup(x->arena, s.buf, s.len);
	}
	if (!r || rc < 0) {
		fail(x, "共享字符串表格式错误");
		goto out;
	}
	ret = 0;
out:
	if (r)
		xmlFreeTextReader(r);
	strbuf_release(&part);
	strbuf_release(&s);
	return ret < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------- sheet */

/* Parses the column letters of a cell reference ("C5" -> 2). -1 when malformed. */
static long ref_col(const char *ref)
{
	long col = 0;
	int n = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++) {
		col = col * 26 + (*ref - 'A' + 1);
		if (col > XLSX_MAX_COLS)
			return -1;
	}
	return n ? col - 1 : -1;
}

struct cell_state {
	long col;
	char type[16];
	long style;
	struct strbuf v, is;
	bool has_v, has_is;
};

static void finish_cell(struct xlsx *x, struct table *t, struct table_row *row, struct cell_state *c)
{
	const char *type = c->type;

	if (!row)
		return;
	if (!strcmp(type, "inlineStr")) {
		ooxml_unescape(&c->is);
		table_set_text(t, row, (size_t)c->col, c->is.buf, c->is.len);
	} else if (!c->has_v) {
		return;
	} else if (!strcmp(type, "s")) {
		char *end;
		long i = strtol(c->v.buf, &end, 10);

		if (end != c->v.buf && i >= 0 && (size_t)i < x->nsst)
			table_set_text(t, row, (size_t)c->col, x->sst[i], strlen(x->sst[i]));
	} else if (!strcmp(type, "b")) {
		const char *b = strcmp(c->v.buf, "0") ? "TRUE" : "FALSE";

		table_set_text(t, row, (size_t)c->col, b, strlen(b));
	} else if (!strcmp(type, "d")) {
		/* ISO 8601 date cell (rare, strict OOXML): keep the date part. */
		const char *tpos = strchr(c->v.buf, 'T');

		table_set_text(t, row, (size_t)c->col, c->v.buf, tpos ? (size_t)(tpos - c->v.buf) : c->v.len);
	} else if (!strcmp(type, "str") || !strcmp(type, "e")) {
		ooxml_unescape(&c->v);
		table_set_text(t, row, (size_t)c->col, c->v.buf, c->v.len);
	} else { /* "n" or absent: a number */
		char *end;
		double d = strtod(c->v.buf, &end);
		bool date = c->style >= 0 && (size_t)c->style < x->nxf && x->xf_date[c->style];

		if (end == c->v.buf) {
			table_set_text(t, row, (size_t)c->col, c->v.buf, c->v.len);
			return;
		}
		if (date && x->date1904)
			d += 1462;
		table_set_number(t, row, (size_t)c->col, d, date ? CELL_DATE : CELL_NUMBER);
	}
}

static int read_sheet(struct xlsx *x, const char *path, struct table *t)
{
	struct strbuf part = STRBUF_INIT, v = STRBUF_INIT;
	struct cell_state c = { .v = STRBUF_INIT, .is = STRBUF_INIT };
	xmlTextReaderPtr r = NULL;
	struct table_row *row = NULL;
	bool in_cell = false, in_is = false, in_rph = false;
	long last_line = 0, next_col = 0;
	int ret = -1, rc;

	rc = read_part(x, path, &part);
	if (rc <= 0) {
		if (rc == 0)
			fail(x, "找不到第一个工作表");
		goto out;
	}
	r = reader_new(&part);
	while (r && (rc = xmlTextReaderRead(r)) == 1) {
		if (is_elem(r, "row")) {
			long line = attr(r, "r", &v) ? strtol(v.buf, NULL, 10) : last_line + 1;

			if (line <= last_line || line > XLSX_MAX_ROWS)
				line = last_line + 1;
			if (line > XLSX_MAX_ROWS) {
				fail(x, "行数过多");
				goto out;
			}
			last_line = line;
			row = table_add_row(t, (int)line);
			next_col = 0;
		} else if (is_end(r, "row")) {
			row = NULL;
		} else if (is_elem(r, "c")) {
			c.col = attr(r, "r", &v) ? ref_col(v.buf) : next_col;
			if (c.col < 0)
				c.col = next_col;
			next_col = c.col + 1;
			if (!attr(r, "t", &v))
				strbuf_addstr(&v, "n");
			snprintf(c.type, sizeof(c.type), "%s", v.buf);
			c.style = attr(r, "s", &v) ? strtol(v.buf, NULL, 10) : -1;
			strbuf_reset(&c.v);
			strbuf_reset(&c.is);
			c.has_v = c.has_is = false;
			in_cell = !xmlTextReaderIsEmptyElement(r);
		} else if (in_cell && is_elem(r, "v")) {
			add_text(r, &c.v);
			c.has_v = true;
		} else if (in_cell && is_elem(r, "is")) {
			in_is = !xmlTextReaderIsEmptyElement(r);
			c.has_is = true;
		} else if (is_end(r, "is")) {
			in_is = false;
		} else if (in_is && is_elem(r, "rPh")) {
			in_rph = !xmlTextReaderIsEmptyElement(r);
		} else if (is_end(r, "rPh")) {
			in_rph = false;
		} else if (in_is && !in_rph && is_elem(r, "t")) {
			add_text(r, &c.is);
		} else if (in_cell && is_end(r, "c")) {
			finish_cell(x, t, row, &c);
			in_cell = false;
		}
	}
	if (!r || rc < 0) {
		fail(x, "工作表格式错误");
		goto out;
	}
	ret = 0;
out:
	if (r)
		xmlFreeTextReader(r);
	strbuf_release(&part);
	strbuf_release(&v);
	strbuf_release(&c.v);
	strbuf_release(&c.is);
	return ret;
}

int xlsx_read(const char *data, size_t len, struct table *out, struct err *e)
{
	struct xlsx x = { .arena = out->arena, .e = e };
	struct strbuf path = STRBUF_INIT;
	zip_source_t *src = NULL;
	zip_error_t ze;
	int ret = -1;

	zip_error_init(&ze);
	if (!xlsx_looks_like(data, len)) {
		fail(&x, "文件不是 .xlsx 格式（不是 zip 压缩包）");
		goto out;
	}
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		fail(&x, "文件已损坏");
		goto out;
	}
	x.zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!x.zip) {
		fail(&x, "文件已损坏或不是 .xlsx 格式");
		goto out;
	}
	src = NULL; /* the archive owns it now */
	if (first_sheet_path(&x, &path) < 0 || read_styles(&x) < 0 || read_shared_strings(&x) < 0 ||
	    read_sheet(&x, path.buf, out) < 0)
		goto out;
	ret = 0;
out:
	if (x.zip)
		zip_discard(x.zip);
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	strbuf_release(&path);
	return ret;
}
