/*
 * member_export.h: writes members as CSV or .xlsx with exactly the columns
 * member_import reads (io/member_columns.h), so an export imports back
 * unchanged. Output goes to a strbuf; the HTTP layer or the CLI sends or
 * saves the bytes.
 */
#ifndef DJ_IO_MEMBER_EXPORT_H
#define DJ_IO_MEMBER_EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct member;
struct strbuf;

struct member_export_opts {
	/*
	 * The text for 所在党组织: the organisation's full path
	 * ("厅直机关党委/省公路局党委/第一党支部"), borrowed until the export
	 * returns; NULL writes "". When org_path itself is NULL the member's
	 * org_name is written.
	 */
	const char *(*org_path)(void *ctx, int64_t org_id);
	void *ctx;
};

/*
 * Appends a CSV file to `out`: UTF-8 with BOM (so Excel detects the
 * encoding), CRLF line ends, a header row, one row per member; fields with
 * a comma, quote or line break are quoted (RFC 4180). The identity number
 * and phone are written as they are in the struct: masking is the caller's
 * choice. Cannot fail; returns 0.
 */
int member_export_csv(const struct member *members, size_t n, const struct member_export_opts *o,
		      struct strbuf *out);

/*
 * Appends an .xlsx file to `out`: one sheet "党员信息", bold frozen header,
 * column widths, every cell text (dates as YYYY-MM-DD, numbers keep leading
 * zeros). Written by libxlsxwriter in constant-memory mode to a temporary
 * file under $TMPDIR (default /tmp), read back and removed. Returns 0, or -1
 * with ERR_INTERNAL in `e` when the temporary file fails.
 */
int member_export_xlsx(const struct member *members, size_t n, const struct member_export_opts *o,
		       struct strbuf *out, struct err *e);

#endif
