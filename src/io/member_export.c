/*
 * member_export.c: member files for people (CSV for any tool, .xlsx for
 * Excel/WPS). Both walk the same column table as the importer and render
 * codes as the names people read (男, 汉族, 大学本科毕业, 在职, 正式党员).
 */
#include "util/common.h"
#include "io/member_export.h"
#include "core/codes.h"
#include "core/member.h"
#include "io/member_columns.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The text of column `col` for member m; `buf` holds dates. Borrowed. */
static const char *field_text(const struct member *m, int col, const struct member_export_opts *o,
			      char buf[static 11])
{
	const struct code_entry *ce;

	switch ((enum member_col)col) {
	case MCOL_NAME:
		return or_empty(m->name);
	case MCOL_GENDER:
		return or_empty(enum_label(gender_enum, m->gender));
	case MCOL_ETHNICITY:
		ce = m->ethnicity[0] ? ethnicity_by_code(m->ethnicity) : NULL;
		return ce ? ce->name : m->ethnicity;
	case MCOL_BIRTH_DATE:
		date_format(m->birth_date, buf);
		return buf;
	case MCOL_ID_CARD:
		return or_empty(m->id_card);
	case MCOL_EDUCATION:
		ce = m->education[0] ? education_by_code(m->education) : NULL;
		return ce ? ce->name : m->education;
	case MCOL_PHONE:
		return or_empty(m->phone);
	case MCOL_NATIVE_PLACE:
		return or_empty(m->native_place);
	case MCOL_CATEGORY:
		return or_empty(enum_label(category_enum, m->category));
	case MCOL_STATUS:
		return or_empty(enum_label(status_enum, m->status));
	case MCOL_JOINED_ON:
		date_format(m->joined_on, buf);
		return buf;
	case MCOL_FULL_MEMBER_ON:
		date_format(m->full_member_on, buf);
		return buf;
	case MCOL_ORG:
		if (o && o->org_path)
			return or_empty(o->org_path(o->ctx, m->org_id));
		return or_empty(m->org_name);
	case MCOL_WORK_UNIT:
		return or_empty(m->work_unit);
	case MCOL_JOB:
		return or_empty(m->job);
	case MCOL_REMARKS:
		return or_empty(m->remarks);
	case MCOL_COUNT:
		break;
	}
	BUG("bad member column %d", col);
}

/* ---------------------------------------------------------------------- CSV */

static void csv_field(struct strbuf *out, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

int member_export_csv(const struct member *members, size_t n, const struct member_export_opts *o,
		      struct strbuf *out)
{
	char buf[11];

	strbuf_addstr(out, "\xef\xbb\xbf");
	for (int c = 0; c < MCOL_COUNT; c++) {
		if (c)
			strbuf_addch(out, ',');
		csv_field(out, member_columns[c].header);
	}
	strbuf_addstr(out, "\r\n");
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < MCOL_COUNT; c++) {
			if (c)
				strbuf_addch(out, ',');
			csv_field(out, field_text(&members[i], c, o, buf));
		}
		strbuf_addstr(out, "\r\n");
	}
	return 0;
}

/* --------------------------------------------------------------------- xlsx */

static int read_file(const char *path, struct strbuf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = -1;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r;

		strbuf_grow(out, 65536);
		r = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		strbuf_setlen(out, out->len + (size_t)r);
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

int member_export_xlsx(const struct member *members, size_t n, const struct member_export_opts *o,
		       struct strbuf *out, struct err *e)
{
	struct strbuf path = STRBUF_INIT;
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws;
	lxw_format *head, *text;
	lxw_error lerr;
	size_t before = out->len;
	char buf[11];
	int fd, ret = -1;
	bool made = false;

	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	strbuf_addf(&path, "%s/dangjian-export-XXXXXX", tmpdir);
	fd = mkostemp(path.buf, O_CLOEXEC);
	if (fd < 0) {
		log_error("io", "cannot create temporary file '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	close(fd);
	made = true;
	wo.tmpdir = (char *)tmpdir;
	wb = workbook_new_opt(path.buf, &wo);
	if (!wb) {
		log_error("io", "cannot create workbook '%s'", path.buf);
		goto out;
	}
	ws = workbook_add_worksheet(wb, "党员信息");
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_num_format(head, "@");
	text = workbook_add_format(wb);
	format_set_num_format(text, "@"); /* cells typed later stay text, keeping leading zeros */
	for (int c = 0; c < MCOL_COUNT; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, member_columns[c].width, text);
	worksheet_freeze_panes(ws, 1, 0);
	for (int c = 0; c < MCOL_COUNT; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, member_columns[c].header, head);
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < MCOL_COUNT; c++) {
			const char *s = field_text(&members[i], c, o, buf);

			if (*s && (lerr = worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, s,
								 text)) != LXW_NO_ERROR) {
				log_error("io", "cannot write cell %zu/%d: %s", i + 1, c, lxw_strerror(lerr));
				goto out;
			}
		}
	}
	lerr = workbook_close(wb);
	wb = NULL;
	if (lerr != LXW_NO_ERROR) {
		log_error("io", "cannot write workbook '%s': %s", path.buf, lxw_strerror(lerr));
		goto out;
	}
	if (read_file(path.buf, out) < 0) {
		log_error("io", "cannot read back '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (ret < 0) {
		strbuf_setlen(out, before);
		err_set(e, ERR_INTERNAL, NULL, "导出 .xlsx 文件失败");
	}
	if (wb)
		workbook_close(wb);
	if (made)
		unlink(path.buf);
	strbuf_release(&path);
	return ret;
}
