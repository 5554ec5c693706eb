/*
 * member_import.h: turns a member file (CSV or .xlsx, already read into a
 * struct table or given as bytes) into validated struct member rows plus a
 * report of every bad row with its line, column and a Chinese reason. It
 * writes nothing: the caller decides (all-or-nothing, or skip invalid rows).
 */
#ifndef DJ_IO_MEMBER_IMPORT_H
#define DJ_IO_MEMBER_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

struct arena;
struct err;
struct member;
struct member_rules;
struct table;

struct member_import_opts {
	struct date today;                /* reference date: nothing may lie after it */
	int64_t default_org_id;           /* for rows with an empty 所在党组织; 0 = none (row error) */
	bool allow_15;                    /* accept 15-digit identity numbers (stored as 18, CODE-24) */
	const struct member_rules *rules; /* NULL: member_rules_default() */
	/*
	 * Resolves a 所在党组织 cell (a full name, or a path such as
	 * "厅直机关党委/省公路局党委/第一党支部") to an organisation id. Returns 0
	 * and sets *org_id_out, or -1 when there is no such organisation (or it
	 * lies outside the caller's scope). NULL: any non-empty cell is an error.
	 */
	int (*resolve_org)(void *ctx, const char *text, int64_t *org_id_out);
	/*
	 * True when a member with this identity number (normalised, 18
	 * characters) is already stored. NULL: not checked.
	 */
	bool (*id_card_exists)(void *ctx, const char *id_card);
	void *ctx; /* passed to both callbacks */
};

struct import_error {
	int line;            /* 1-based line of the file (header = line 1) */
	const char *column;  /* the header as written in the file; "" for a row-level error */
	const char *message; /* Chinese */
};

/* Everything points into the arena given to the import. */
struct member_import_result {
	size_t total_rows; /* non-blank data rows */
	size_t nmembers;   /* rows that passed every check */
	struct member *members;
	int *member_lines; /* line of members[i] */
	size_t nerrors;    /* in line order; a row may have several */
	struct import_error *errors;
	size_t ninvalid_rows; /* rows with at least one error */
	size_t nunknown;      /* unknown header texts, reported and ignored */
	const char **unknown_columns;
};

/*
 * Imports the member rows of `t`. The header is the first non-blank row,
 * or (so a title row above it does no harm) the first of the first five
 * non-blank rows that names 姓名 or 身份证号. Blank rows are skipped.
 *
 * Per row: 性别 男/女 (or male/female); 民族 and 学历 by name, short form or
 * code; dates as date_parse() reads them or Excel date cells; 人员类别 and
 * 党员状态 by Chinese label or JSON name; 身份证号 normalised (15 digits with
 * allow_15). An empty 性别 or 出生日期 is taken from the identity number.
 * Then member_validate(). A number seen on an earlier line is an error
 * ("与第N行身份证号重复"), as is one already stored (id_card_exists).
 *
 * Returns 0 when the file could be read, whatever its rows hold (check
 * out->nerrors), or -1 with ERR_VALIDATION "import_invalid" in `e` for a
 * file-level problem: no header, a required column missing, a duplicated
 * column (or, for member_import_file, an unreadable file).
 */
int member_import_table(const struct table *t, const struct member_import_opts *o, struct arena *a,
			struct member_import_result *out, struct err *e);

/* Reads data[0..len) as .xlsx when it is a zip archive, else as CSV, then imports it. */
int member_import_file(const char *data, size_t len, const struct member_import_opts *o, struct arena *a,
		       struct member_import_result *out, struct err *e);

#endif
