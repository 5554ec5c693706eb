/*
 * table.h: a neutral in-memory table, the meeting point of the file readers
 * (csv_read.c, xlsx_read.c) and the importers. Rows of UTF-8 cells; each row
 * remembers the 1-based line (CSV) or row number (.xlsx) it came from, so
 * errors can name the line a user sees in their editor (header = line 1).
 */
#ifndef DJ_IO_TABLE_H
#define DJ_IO_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum cell_kind {
	CELL_TEXT = 0, /* a string (every CSV cell) */
	CELL_NUMBER,   /* an .xlsx number without a date format; `number` holds it */
	CELL_DATE,     /* an .xlsx number with a date format: `number` is the Excel serial */
};

struct table_cell {
	const char *text; /* UTF-8, never NULL ("" when empty); numbers as "%.15g" */
	enum cell_kind kind;
	double number; /* CELL_NUMBER / CELL_DATE only */
};

struct table_row {
	int line; /* 1-based line (CSV: where the record starts) or row number */
	size_t ncells;
	struct table_cell *cells; /* ncells entries; missing (sparse) cells are "" texts */
	size_t alloc;
};

/*
 * All memory (rows, cells, texts) comes from `arena`, so a table needs no
 * release: it dies with its arena. A zeroed table is not valid; use
 * table_init().
 */
struct table {
	struct arena *arena;
	size_t nrows;
	struct table_row *rows;
	size_t alloc;
};

void table_init(struct table *t, struct arena *a);
/* Appends an empty row read from `line`; the pointer stays valid until the next table_add_row(). */
struct table_row *table_add_row(struct table *t, int line);
/* Sets cell `col` of `row` to a copy of text[0..len) (cells before it become ""). */
void table_set_text(struct table *t, struct table_row *row, size_t col, const char *text, size_t len);
/* Sets cell `col` to a number (kind CELL_NUMBER or CELL_DATE); the text is formatted from it. */
void table_set_number(struct table *t, struct table_row *row, size_t col, double v, enum cell_kind kind);
/* Appends a cell after the last one (CSV). */
void table_append_text(struct table *t, struct table_row *row, const char *text, size_t len);

/* Borrowed cell of a row; a shared empty text cell when `col` is beyond the row. */
const struct table_cell *table_cell(const struct table_row *row, size_t col);
/* True when every cell of the row is empty or white space. */
bool table_row_is_blank(const struct table_row *row);

#endif
