/*
 * member_columns.h: the member file columns of DESIGN.md "Data conventions",
 * shared by import and export so both always agree. Columns are found by
 * header (Chinese or the JSON name), in any order.
 */
#ifndef DJ_IO_MEMBER_COLUMNS_H
#define DJ_IO_MEMBER_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct err;
struct table_row;

enum member_col {
	MCOL_NAME,
	MCOL_GENDER,
	MCOL_ETHNICITY,
	MCOL_BIRTH_DATE,
	MCOL_ID_CARD,
	MCOL_EDUCATION,
	MCOL_PHONE,
	MCOL_NATIVE_PLACE,
	MCOL_CATEGORY,
	MCOL_STATUS,
	MCOL_JOINED_ON,
	MCOL_FULL_MEMBER_ON,
	MCOL_ORG,
	MCOL_WORK_UNIT,
	MCOL_JOB,
	MCOL_REMARKS,
	MCOL_COUNT
};

struct member_column {
	const char *header; /* "姓名": what export writes */
	const char *json;   /* "name": also accepted as a header; the JSON field name */
	bool required;      /* a file without this column is rejected */
	int width;          /* .xlsx column width in characters */
};

/* Indexed by enum member_col, in export order. */
extern const struct member_column member_columns[MCOL_COUNT];

/*
 * The column a header names, or -1. Surrounding ASCII/full-width spaces and
 * a leading or trailing '*' (the "required" mark of many templates) are
 * ignored; JSON names compare case-insensitively.
 */
int member_col_by_header(const char *header);

/* Where each column sits in a file. */
struct member_colmap {
	int index[MCOL_COUNT];          /* table column, -1 when the file lacks it */
	const char *header[MCOL_COUNT]; /* the header text as written in the file, else the Chinese name */
	size_t nunknown;
	const char **unknown; /* unknown header texts (arena), in file order */
};

/*
 * Builds the map from a header row. Blank header cells are ignored; other
 * unrecognised headers are listed in `unknown`. Returns 0, or -1 with
 * ERR_VALIDATION "import_invalid" when a required column is missing (all
 * missing ones are named) or a column appears twice.
 */
int member_colmap_build(const struct table_row *header, struct arena *a, struct member_colmap *out,
			struct err *e);

#endif
