/*
 * dues_statement.h: reading a bank or payment-platform statement (CSV in
 * UTF-8 or GB18030, or .xlsx) for dues reconciliation: one row per
 * transaction with its reference, the payer (identity number or name), the
 * amount in fen, the date and optionally the dues month.
 */
#ifndef DJ_IO_DUES_STATEMENT_H
#define DJ_IO_DUES_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct err;

struct statement_row {
	int line;              /* 1-based line in the file */
	const char *reference; /* 交易流水号 */
	const char *id_card;   /* 身份证号, "" when absent */
	const char *name;      /* 姓名, "" when absent */
	int64_t amount_fen;    /* -1 when the 金额 cell is not an amount */
	const char *date;      /* 交易日期 as written, "" when absent */
	const char *month;     /* 月份 as written, "" when absent */
};

/*
 * Reads the statement. Columns by header (any order): 交易流水号 (or 流水号,
 * 交易号, reference), 身份证号 (id_card), 姓名 (name), 金额 / 金额（元）
 * (amount), 交易日期 / 日期 (date), 月份 / 所属月份 (month). 交易流水号 and
 * 金额 are required, and one of 身份证号 or 姓名. Returns 0, or -1 with
 * ERR_VALIDATION "import_invalid" for a file-level problem (encoding, no
 * such columns, not a spreadsheet).
 */
int dues_statement_read(const char *data, size_t len, struct arena *a, struct statement_row **rows_out,
			size_t *n_out, struct err *e);

/* "108.84", "¥1,080.5", "100" yuan -> fen; -1 when not an amount (more than 2 decimals, signs, junk). */
int64_t dues_parse_yuan(const char *s);

#endif
