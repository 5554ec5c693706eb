/*
 * member_import.c: member rows from a table. Each cell is converted on its
 * own so that every bad cell gets its own message; member_validate() then
 * adds the cross-field checks, and its messages are mapped back to the
 * columns the user sees (one message per cell: the first one wins).
 */
#include "util/common.h"
#include "io/member_import.h"
#include "core/codes.h"
#include "core/idcard.h"
#include "core/member.h"
#include "io/csv_read.h"
#include "io/member_columns.h"
#include "io/table.h"
#include "io/xlsx_read.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

/* Excel's last serial (9999-12-31). */
#define EXCEL_SERIAL_MAX 2958465.0

struct import {
	const struct member_import_opts *o;
	struct member_rules rules;
	struct arena *a;
	struct member_colmap map;
	struct member_import_result *res;
	size_t errors_alloc;
	/* identity numbers seen so far -> first line (open addressing) */
	const char **seen_id;
	int *seen_line;
	size_t seen_cap;
	/* the last organisation text resolved: files repeat it row after row */
	const char *org_text;
	int64_t org_id;
	int org_rc;
};

/* --------------------------------------------------------------- helpers */

/*
 * Returns s trimmed of ASCII white space and U+3000 at both ends: s itself
 * when there is nothing to trim (cells live in the arena already; a 1M-row
 * file copied every cell twice), else a trimmed arena copy.
 */
static const char *trim_dup(struct arena *a, const char *s)
{
	size_t len = strlen(s), full = len;
	const char *start = s;

	for (;;) {
		if (len && strchr(" \t\r\n", s[0]))
			s++, len--;
		else if (len >= 3 && !memcmp(s, "\xe3\x80\x80", 3))
			s += 3, len -= 3;
		else
			break;
	}
	for (;;) {
		if (len && strchr(" \t\r\n", s[len - 1]))
			len--;
		else if (len >= 3 && !memcmp(s + len - 3, "\xe3\x80\x80", 3))
			len -= 3;
		else
			break;
	}
	if (s == start && len == full)
		return s;
	return len ? arena_strndup(a, s, len) : "";
}

static void add_error(struct import *im, int line, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_error(struct import *im, int line, const char *column, const char *fmt, ...)
{
	struct member_import_result *r = im->res;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (r->nerrors == im->errors_alloc) {
		size_t n = im->errors_alloc ? 2 * im->errors_alloc : 32;
		struct import_error *ne = arena_alloc(im->a, n * sizeof(*ne));

		if (r->nerrors)
			memcpy(ne, r->errors, r->nerrors * sizeof(*ne));
		r->errors = ne;
		im->errors_alloc = n;
	}
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->errors[r->nerrors++] = (struct import_error){
		.line = line,
		.column = column,
		.message = arena_strndup(im->a, sb.buf, sb.len),
	};
	strbuf_release(&sb);
}

static bool row_has_error(const struct import *im, size_t first, const char *column)
{
	for (size_t i = first; i < im->res->nerrors; i++)
		if (!strcmp(im->res->errors[i].column, column))
			return true;
	return false;
}

/* "在职、离退休、..." for messages. */
static const char *enum_choices(struct arena *a, const struct enum_entry *t)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	for (; t->json; t++)
		strbuf_addf(&sb, "%s%s", sb.len ? "、" : "", t->label);
	s = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* By Chinese label or JSON name; for statuses also the short 预备/正式. */
static int enum_lookup(const struct enum_entry *t, const char *text)
{
	int v = enum_from_label(t, text);

	if (!v)
		v = enum_from_json(t, text);
	for (; !v && t->json; t++) {
		size_t n = strlen(text);

		/* 预备 -> 预备党员, 男 is already exact: a label that starts with the text */
		if (n >= 6 && !strncmp(t->label, text, n) && !strcmp(t->label + n, "党员"))
			v = t->value;
	}
	return v;
}

static int cell_date(const struct table_cell *c, const char *text, struct date *out)
{
	if (c->kind == CELL_DATE && c->number >= 1 && c->number <= EXCEL_SERIAL_MAX)
		return date_from_excel_serial(c->number, out);
	if (!date_parse(text, out))
		return 0;
	/* "2019-07-01 00:00:00" or "2019-07-01T00:00:00": keep the date part */
	{
		const char *sep = strpbrk(text, " T");

		if (sep && sep != text) {
			char buf[32];

			if ((size_t)(sep - text) < sizeof(buf)) {
				memcpy(buf, text, (size_t)(sep - text));
				buf[sep - text] = '\0';
				if (!date_parse(buf, out))
					return 0;
			}
		}
	}
	/* a number cell without a date format in a date column: a serial */
	if (c->kind == CELL_NUMBER && c->number >= 1 && c->number <= EXCEL_SERIAL_MAX)
		return date_from_excel_serial(c->number, out);
	return -1;
}

/* ----------------------------------------------------- duplicate numbers */

static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Records `id` at `line`; returns the earlier line when it was seen before, else 0. */
static int seen_before(struct import *im, const char *id, int line)
{
	size_t i = hash_str(id) & (im->seen_cap - 1);

	while (im->seen_id[i]) {
		if (!strcmp(im->seen_id[i], id))
			return im->seen_line[i];
		i = (i + 1) & (im->seen_cap - 1);
	}
	im->seen_id[i] = id;
	im->seen_line[i] = line;
	return 0;
}

/* -------------------------------------------------------------------- rows */

static const struct table_cell *col_cell(const struct import *im, const struct table_row *row, int col)
{
	static const struct table_cell none = { .text = "" };

	return im->map.index[col] < 0 ? &none : table_cell(row, (size_t)im->map.index[col]);
}

static void date_col(struct import *im, const struct table_row *row, int col, struct date *out)
{
	const struct table_cell *c = col_cell(im, row, col);
	const char *text = trim_dup(im->a, c->text);

	if (!*text && c->kind == CELL_TEXT)
		return;
	if (cell_date(c, text, out) < 0) {
		*out = DATE_NONE;
		add_error(im, row->line, im->map.header[col],
			  "%s“%s”不是有效日期（应写作 2019-07-01、2019/7/1 或 2019年7月1日）",
			  member_columns[col].header, text);
	}
}

static const char *text_col(struct import *im, const struct table_row *row, int col)
{
	const char *s = trim_dup(im->a, col_cell(im, row, col)->text);

	return *s ? s : NULL;
}

static void resolve_org(struct import *im, const struct table_row *row, struct member *m)
{
	const char *text = text_col(im, row, MCOL_ORG);
	const char *hdr = im->map.header[MCOL_ORG];

	if (!text) {
		m->org_id = im->o->default_org_id;
		if (!m->org_id)
			add_error(im, row->line, hdr, "所在党组织为空，导入时也没有指定默认党组织");
		return;
	}
	if (!im->o->resolve_org) {
		add_error(im, row->line, hdr, "找不到党组织“%s”", text);
		return;
	}
	if (!im->org_text || strcmp(im->org_text, text)) {
		im->org_text = text;
		im->org_id = 0;
		im->org_rc = im->o->resolve_org(im->o->ctx, text, &im->org_id);
	}
	if (im->org_rc < 0)
		add_error(im, row->line, hdr, "找不到党组织“%s”", text);
	else
		m->org_id = im->org_id;
}

/* The column a member_validate() field name belongs to; -1 when none. */
static int col_of_field(const char *field)
{
	if (!strcmp(field, "org_id"))
		return MCOL_ORG;
	for (int i = 0; i < MCOL_COUNT; i++)
		if (!strcmp(field, member_columns[i].json))
			return i;
	return -1;
}

static void import_row(struct import *im, const struct table_row *row)
{
	const struct member_import_opts *o = im->o;
	struct member_import_result *r = im->res;
	struct member m = { 0 };
	struct err verr = ERR_INIT;
	struct idcard_info info;
	size_t first_error = r->nerrors;
	const char *s, *why = NULL;
	const struct code_entry *ce;
	bool have_id = false;
	int line = row->line;
	const char *const *hdr = im->map.header;

	if ((s = text_col(im, row, MCOL_NAME))) {
		size_t cap = strlen(s) + 1;
		char *name = arena_alloc(im->a, cap);

		if (member_normalize_name(s, name, cap))
			m.name = name;
	}
	if ((s = text_col(im, row, MCOL_GENDER))) {
		m.gender = enum_lookup(gender_enum, s);
		if (!m.gender && !strcmp(s, "男性"))
			m.gender = GENDER_MALE;
		if (!m.gender && !strcmp(s, "女性"))
			m.gender = GENDER_FEMALE;
		if (!m.gender)
			add_error(im, line, hdr[MCOL_GENDER], "性别“%s”无法识别（应为“男”或“女”）", s);
	}
	if ((s = text_col(im, row, MCOL_ETHNICITY))) {
		if ((ce = ethnicity_by_name(s)))
			snprintf(m.ethnicity, sizeof(m.ethnicity), "%s", ce->code);
		else
			add_error(im, line, hdr[MCOL_ETHNICITY], "民族“%s”无法识别", s);
	}
	date_col(im, row, MCOL_BIRTH_DATE, &m.birth_date);
	if ((s = text_col(im, row, MCOL_ID_CARD))) {
		if (idcard_parse(s, o->allow_15, o->today, &info, &why) < 0) {
			add_error(im, line, hdr[MCOL_ID_CARD], "%s", why ? why : "身份证号无效");
		} else {
			int prev;

			have_id = true;
			m.id_card = arena_strdup(im->a, info.number);
			prev = seen_before(im, m.id_card, line);
			if (prev)
				add_error(im, line, hdr[MCOL_ID_CARD], "与第%d行身份证号重复", prev);
			else if (o->id_card_exists && o->id_card_exists(o->ctx, m.id_card))
				add_error(im, line, hdr[MCOL_ID_CARD], "系统中已有该身份证号的党员");
		}
	}
	/* 性别 and 出生日期 may be left to the identity number */
	if (have_id && !m.gender && !row_has_error(im, first_error, hdr[MCOL_GENDER]))
		m.gender = info.gender;
	if (have_id && !date_is_set(m.birth_date) && !row_has_error(im, first_error, hdr[MCOL_BIRTH_DATE]))
		m.birth_date = info.birth;
	if ((s = text_col(im, row, MCOL_EDUCATION))) {
		if ((ce = education_by_name(s)))
			snprintf(m.education, sizeof(m.education), "%s", ce->code);
		else
			add_error(im, line, hdr[MCOL_EDUCATION], "学历“%s”无法识别", s);
	}
	m.phone = text_col(im, row, MCOL_PHONE);
	m.native_place = text_col(im, row, MCOL_NATIVE_PLACE);
	if ((s = text_col(im, row, MCOL_CATEGORY)) && !(m.category = enum_lookup(category_enum, s)))
		add_error(im, line, hdr[MCOL_CATEGORY], "人员类别“%s”无法识别（可选：%s）", s,
			  enum_choices(im->a, category_enum));
	if ((s = text_col(im, row, MCOL_STATUS)) && !(m.status = enum_lookup(status_enum, s)))
		add_error(im, line, hdr[MCOL_STATUS], "党员状态“%s”无法识别（可选：%s）", s,
			  enum_choices(im->a, status_enum));
	date_col(im, row, MCOL_JOINED_ON, &m.joined_on);
	date_col(im, row, MCOL_FULL_MEMBER_ON, &m.full_member_on);
	resolve_org(im, row, &m);
	m.work_unit = text_col(im, row, MCOL_WORK_UNIT);
	m.job = text_col(im, row, MCOL_JOB);
	m.remarks = text_col(im, row, MCOL_REMARKS);

	if (member_validate(&m, &im->rules, o->today, &verr) < 0) {
		for (int i = 0; i < verr.nfields; i++) {
			int col = col_of_field(verr.fields[i].name);
			const char *column = col >= 0 ? hdr[col] : "";

			if (!row_has_error(im, first_error, column))
				add_error(im, line, column, "%s", verr.fields[i].message);
		}
		if (!verr.nfields && first_error == r->nerrors)
			add_error(im, line, "", "%s", verr.message[0] ? verr.message : "数据有误");
	}
	err_release(&verr);

	if (first_error != r->nerrors) {
		r->ninvalid_rows++;
		return;
	}
	r->member_lines[r->nmembers] = line;
	r->members[r->nmembers++] = m;
}

/* -------------------------------------------------------------------- entry */

/* Index of the header row in t->rows, or -1 when the table is blank. */
static long find_header(const struct table *t)
{
	long first = -1;
	int seen = 0;

	for (size_t i = 0; i < t->nrows && seen < 5; i++) {
		const struct table_row *row = &t->rows[i];

		if (table_row_is_blank(row))
			continue;
		if (first < 0)
			first = (long)i;
		seen++;
		for (size_t c = 0; c < row->ncells; c++) {
			int col = member_col_by_header(row->cells[c].text);

			if (col == MCOL_NAME || col == MCOL_ID_CARD)
				return (long)i;
		}
	}
	return first;
}

int member_import_table(const struct table *t, const struct member_import_opts *o, struct arena *a,
			struct member_import_result *out, struct err *e)
{
	struct import im = { .o = o, .a = a, .res = out };
	long h = find_header(t);
	size_t ndata;

	memset(out, 0, sizeof(*out));
	if (o->rules)
		im.rules = *o->rules;
	else
		member_rules_default(&im.rules);
	if (h < 0)
		return err_set(e, ERR_VALIDATION, "import_invalid", "文件是空的：没有表头和数据");
	if (member_colmap_build(&t->rows[h], a, &im.map, e) < 0)
		return -1;
	out->nunknown = im.map.nunknown;
	out->unknown_columns = im.map.unknown;

	ndata = t->nrows - (size_t)h - 1;
	out->members = arena_alloc(a, (ndata ? ndata : 1) * sizeof(*out->members));
	out->member_lines = arena_alloc(a, (ndata ? ndata : 1) * sizeof(*out->member_lines));
	for (im.seen_cap = 16; im.seen_cap < 2 * ndata; im.seen_cap *= 2)
		;
	im.seen_id = arena_zalloc(a, im.seen_cap * sizeof(*im.seen_id));
	im.seen_line = arena_zalloc(a, im.seen_cap * sizeof(*im.seen_line));

	for (size_t i = (size_t)h + 1; i < t->nrows; i++) {
		if (table_row_is_blank(&t->rows[i]))
			continue;
		out->total_rows++;
		import_row(&im, &t->rows[i]);
	}
	return 0;
}

int member_import_file(const char *data, size_t len, const struct member_import_opts *o, struct arena *a,
		       struct member_import_result *out, struct err *e)
{
	struct table t;
	int rc;

	memset(out, 0, sizeof(*out));
	table_init(&t, a);
	rc = xlsx_looks_like(data, len) ? xlsx_read(data, len, &t, e) : csv_read(data, len, &t, e);
	if (rc < 0)
		return -1;
	return member_import_table(&t, o, a, out, e);
}
