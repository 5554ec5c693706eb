/*
 * table.c: the in-memory table shared by the CSV and .xlsx readers. Growth
 * doubles inside the arena; the abandoned smaller arrays are the price of
 * needing no release function.
 */
#include "util/common.h"
#include "io/table.h"
#include "util/arena.h"

#include <math.h>

static const struct table_cell empty_cell = { .text = "", .kind = CELL_TEXT };

void table_init(struct table *t, struct arena *a)
{
	t->arena = a;
	t->nrows = t->alloc = 0;
	t->rows = NULL;
}

struct table_row *table_add_row(struct table *t, int line)
{
	struct table_row *row;

	if (t->nrows == t->alloc) {
		size_t nalloc = t->alloc ? 2 * t->alloc : 64;
		struct table_row *n = arena_alloc(t->arena, nalloc * sizeof(*n));

		if (t->nrows)
			memcpy(n, t->rows, t->nrows * sizeof(*n));
		t->rows = n;
		t->alloc = nalloc;
	}
	row = &t->rows[t->nrows++];
	row->line = line;
	row->ncells = row->alloc = 0;
	row->cells = NULL;
	return row;
}

/* Makes cells [0, col] exist, new ones empty; returns cell `col`. */
static struct table_cell *cell_at(struct table *t, struct table_row *row, size_t col)
{
	if (col >= row->alloc) {
		size_t nalloc = row->alloc ? 2 * row->alloc : 16;
		struct table_cell *n;

		while (nalloc <= col)
			nalloc *= 2;
		n = arena_alloc(t->arena, nalloc * sizeof(*n));
		if (row->ncells)
			memcpy(n, row->cells, row->ncells * sizeof(*n));
		row->cells = n;
		row->alloc = nalloc;
	}
	while (row->ncells <= col)
		row->cells[row->ncells++] = empty_cell;
	return &row->cells[col];
}

void table_set_text(struct table *t, struct table_row *row, size_t col, const char *text, size_t len)
{
	struct table_cell *c = cell_at(t, row, col);

	c->text = len ? arena_strndup(t->arena, text, len) : "";
	c->kind = CELL_TEXT;
	c->number = 0;
}

void table_set_number(struct table *t, struct table_row *row, size_t col, double v, enum cell_kind kind)
{
	struct table_cell *c = cell_at(t, row, col);

	/* Whole numbers print without exponent up to 15 digits (Excel's precision),
	 * so a phone number stored as a number reads back as its digits. */
	if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
		c->text = arena_printf(t->arena, "%.0f", v);
	else
		c->text = arena_printf(t->arena, "%.15g", v);
	c->kind = kind;
	c->number = v;
}

void table_append_text(struct table *t, struct table_row *row, const char *text, size_t len)
{
	table_set_text(t, row, row->ncells, text, len);
}

const struct table_cell *table_cell(const struct table_row *row, size_t col)
{
	return col < row->ncells ? &row->cells[col] : &empty_cell;
}

bool table_row_is_blank(const struct table_row *row)
{
	for (size_t i = 0; i < row->ncells; i++)
		for (const char *p = row->cells[i].text; *p; p++)
			if (!strchr(" \t\r\n", *p))
				return false;
	return true;
}
