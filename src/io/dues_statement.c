/*
 * dues_statement.c: statement files for dues reconciliation, read through
 * the same CSV/.xlsx readers as member imports.
 */
#include "util/common.h"
#include "io/dues_statement.h"
#include "core/date.h"
#include "io/csv_read.h"
#include "io/table.h"
#include "io/xlsx_read.h"
#include "util/arena.h"
#include "util/err.h"

enum { COL_REF, COL_ID, COL_NAME, COL_AMOUNT, COL_DATE, COL_MONTH, NCOLS };

static const char *const headers[NCOLS][5] = {
	[COL_REF] = { "交易流水号", "流水号", "交易号", "reference", NULL },
	[COL_ID] = { "身份证号", "id_card", NULL },
	[COL_NAME] = { "姓名", "name", NULL },
	[COL_AMOUNT] = { "金额", "金额（元）", "金额(元)", "amount", NULL },
	[COL_DATE] = { "交易日期", "日期", "date", NULL },
	[COL_MONTH] = { "月份", "所属月份", "month", NULL },
};

static const char *trim(struct arena *a, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return arena_strndup(a, s, n);
}

int64_t dues_parse_yuan(const char *s)
{
	int64_t yuan = 0;
	int decimals = -1, digits = 0;
	int64_t frac = 0;

	while (*s == ' ')
		s++;
	if (!strncmp(s, "¥", strlen("¥")))
		s += strlen("¥");
	else if (!strncmp(s, "￥", strlen("￥")))
		s += strlen("￥");
	for (; *s && *s != ' '; s++) {
		if (*s == ',' && decimals < 0)
			continue;
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		digits++;
		if (decimals >= 0) {
			if (++decimals > 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		} else {
			if (yuan > INT64_MAX / 1000)
				return -1;
			yuan = yuan * 10 + (*s - '0');
		}
	}
	while (*s == ' ')
		s++;
	if (*s || !digits)
		return -1;
	if (decimals == 1)
		frac *= 10;
	return yuan * 100 + frac;
}

int dues_statement_read(const char *data, size_t len, struct arena *a, struct statement_row **rows_out,
			size_t *n_out, struct err *e)
{
	struct table t;
	int col[NCOLS];
	size_t cap = 0, h;

	*rows_out = NULL;
	*n_out = 0;
	table_init(&t, a);
	if ((xlsx_looks_like(data, len) ? xlsx_read(data, len, &t, e) : csv_read(data, len, &t, e)) < 0)
		return -1;
	for (h = 0; h < t.nrows && table_row_is_blank(&t.rows[h]); h++)
		;
	if (h == t.nrows)
		return err_set(e, ERR_VALIDATION, "import_invalid", "对账文件是空的");
	for (int c = 0; c < NCOLS; c++) {
		col[c] = -1;
		for (size_t k = 0; k < t.rows[h].ncells && col[c] < 0; k++) {
			const char *text = trim(a, table_cell(&t.rows[h], k)->text);
			for (int x = 0; headers[c][x]; x++)
				if (!strcasecmp(text, headers[c][x]))
					col[c] = (int)k;
		}
	}
	if (col[COL_REF] < 0 || col[COL_AMOUNT] < 0 || (col[COL_ID] < 0 && col[COL_NAME] < 0))
		return err_set(e, ERR_VALIDATION, "import_invalid",
			       "对账文件须包含“交易流水号”“金额”列，以及“身份证号”或“姓名”列");
	for (size_t r = h + 1; r < t.nrows; r++) {
		struct statement_row *x;
		const struct table_row *row = &t.rows[r];
		if (table_row_is_blank(row))
			continue;
		*rows_out = arena_grow(a, *rows_out, sizeof(**rows_out), *n_out, &cap);
		x = &(*rows_out)[(*n_out)++];
		x->line = row->line;
		x->reference = trim(a, table_cell(row, (size_t)col[COL_REF])->text);
		x->id_card = col[COL_ID] >= 0 ? trim(a, table_cell(row, (size_t)col[COL_ID])->text) : "";
		x->name = col[COL_NAME] >= 0 ? trim(a, table_cell(row, (size_t)col[COL_NAME])->text) : "";
		x->amount_fen = dues_parse_yuan(table_cell(row, (size_t)col[COL_AMOUNT])->text);
		x->date = col[COL_DATE] >= 0 ? trim(a, table_cell(row, (size_t)col[COL_DATE])->text) : "";
		if (col[COL_DATE] >= 0 && table_cell(row, (size_t)col[COL_DATE])->kind == CELL_DATE) {
			struct date d;
			char buf[11];
			if (date_from_excel_serial(table_cell(row, (size_t)col[COL_DATE])->number, &d) == 0) {
				date_format(d, buf);
				x->date = arena_strdup(a, buf);
			}
		}
		x->month = col[COL_MONTH] >= 0 ? trim(a, table_cell(row, (size_t)col[COL_MONTH])->text) : "";
	}
	return 0;
}
