/*
 * dues_publicity.h: the yearly dues publicity list (党费公示, RULES.md
 * DUES-15) as an .xlsx workbook and an A4 PDF. Pure of the database: the
 * caller passes the rows it has already loaded and scoped to one branch.
 */
#ifndef DJ_IO_DUES_PUBLICITY_H
#define DJ_IO_DUES_PUBLICITY_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct strbuf;

/* One member's line. Every pointer is borrowed for the call; NULL prints "". */
struct dues_publicity_row {
	const char *name;
	const char *org_name;    /* 所在党组织 */
	int64_t standard_fen;    /* monthly dues standard, in fen */
	int months_paid;         /* 已缴月数 */
	int64_t paid_fen;        /* total paid in the year, in fen */
	const char *paid_months; /* e.g. "1-10月" or "1-6月、8月" (dues_publicity_months_text) */
};

struct dues_publicity {
	const char *title_org; /* organisation name in the title; must not be NULL */
	int year;
	const char *generated_on;              /* YYYY-MM-DD, the 公示日期; must not be NULL */
	const struct dues_publicity_row *rows; /* n rows in display order (NULL when n == 0) */
	size_t n;
};

/*
 * Both renderers lay out the same document:
 *   title   "<title_org>党员<year>年度党费收缴情况公示"
 *   header  序号 | 姓名 | 所在党组织 | 月缴纳标准（元） | 已缴月数 | 已缴月份 | 已缴金额（元）
 *   rows    numbered from 1; money as yuan with exactly two decimals,
 *           formatted from the integer fen (no floating point)
 *   合计     "共 N 人" and the sum of paid_fen
 *   footer  "公示日期：<generated_on>　如有异议请向党支部反映"
 */

/*
 * Appends an .xlsx file to `out`: one sheet "党费公示" with the layout above,
 * every cell text (money "1234.50"), A4 portrait print setup that repeats
 * the header row and numbers the pages. Written by libxlsxwriter in
 * constant-memory mode to a temporary file under $TMPDIR (default /tmp),
 * read back and removed. Returns 0, or -1 with ERR_INTERNAL in `e` (and
 * `out` as it was) when the temporary file fails.
 */
int dues_publicity_xlsx(const struct dues_publicity *p, struct strbuf *out, struct err *e);

/*
 * Appends a PDF file to `out`: A4 portrait, 15 mm side margins, a ruled
 * table whose header row repeats at the top of every page, long cells
 * wrapped, "第 N 页 / 共 M 页" at the foot of every page. Text is set with
 * pango in "Noto Sans CJK SC" (Debian fonts-noto-cjk; a missing font is
 * logged as a warning and fontconfig's fallback is used). Returns 0, or -1
 * with ERR_INTERNAL in `e` (and `out` as it was) when cairo fails.
 */
int dues_publicity_pdf(const struct dues_publicity *p, struct strbuf *out, struct err *e);

/* Enough room for any set of months: "1月、3月、...、11月" is 86 bytes. */
#define DUES_PUBLICITY_MONTHS_MAX 96

/*
 * Writes the 已缴月份 text for `months` (n ascending month numbers) into
 * out[0..cap): runs of two or more consecutive months as "a-b月", single
 * months as "a月", joined by "、": {1,2,3,4,5,6,8,10,11} -> "1-6月、8月、10-11月".
 * No months gives "". Numbers outside 1..12 and repeats are skipped. When
 * cap is too small the text stops after the last whole part that fits
 * (never mid-character); out is always NUL-terminated when cap > 0.
 */
void dues_publicity_months_text(const int *months, size_t n, char *out, size_t cap);

#endif
