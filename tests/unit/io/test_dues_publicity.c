/*
 * test_dues_publicity.c: tests for src/io/dues_publicity.c: the 已缴月份
 * text, the .xlsx read back cell by cell with xlsx_read, and the PDF's
 * shape (header, embedded Noto Sans CJK SC, page count for 120 rows).
 * DUES_PUBLICITY_KEEP=dir saves the PDFs there for a look with pdftoppm.
 */
#include "util/common.h"
#include "io/dues_publicity.h"
#include "io/table.h"
#include "io/xlsx_read.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <setjmp.h>
#include <cmocka.h>

struct fx {
	struct arena *a;
	struct err e;
	struct strbuf out;
	struct dues_publicity p;
	struct dues_publicity_row *rows;
	char (*names)[32];
};

static const struct dues_publicity_row three[] = {
	{ "张三", "第一党支部", 1050, 10, 10500, "1-10月" },
	{ "阿依古丽·买买提", "厅直机关党委/省公路局党委/第二党支部", 29, 7, 203, "1-6月、8月" },
	{ "李老", "第一党支部", 0, 0, 0, NULL },
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->a = arena_new();
	strbuf_init(&f->out, 0);
	f->p = (struct dues_publicity){
		.title_org = "省公路局第一党支部",
		.year = 2026,
		.generated_on = "2026-12-20",
		.rows = three,
		.n = ARRAY_SIZE(three),
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	strbuf_release(&f->out);
	err_release(&f->e);
	arena_free(f->a);
	free(f->rows);
	free(f->names);
	free(f);
	return 0;
}

/* n generated members; every 7th has a long organisation path that wraps. */
static void many_rows(struct fx *f, size_t n)
{
	f->rows = calloc(n, sizeof(*f->rows));
	f->names = calloc(n, sizeof(*f->names));
	for (size_t i = 0; i < n; i++) {
		snprintf(f->names[i], sizeof(f->names[i]), "党员%03zu", i + 1);
		f->rows[i] = (struct dues_publicity_row){
			.name = f->names[i],
			.org_name = i % 7 ? "第一党支部" : "厅直机关党委/省公路局党委/第一党支部",
			.standard_fen = 500 + (int64_t)i,
			.months_paid = 12,
			.paid_fen = (500 + (int64_t)i) * 12,
			.paid_months = "1-12月",
		};
	}
	f->p.rows = f->rows;
	f->p.n = n;
}

/* ----------------------------------------------------------- months text */

static const char *months(const int *m, size_t n, char *buf, size_t cap)
{
	memset(buf, 'x', cap);
	dues_publicity_months_text(m, n, buf, cap);
	return buf;
}

static void test_months_text(void **state)
{
	char buf[DUES_PUBLICITY_MONTHS_MAX];
	static const int example[] = { 1, 2, 3, 4, 5, 6, 8, 10, 11 };
	static const int year[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const int singles[] = { 1, 3, 12 };
	static const int pair[] = { 11, 12 };
	static const int messy[] = { 0, 2, 2, 3, 3, 5, 4, 13, -1, 7 };

	UNUSED(state);
	assert_string_equal(months(NULL, 0, buf, sizeof(buf)), "");
	assert_string_equal(months(example, ARRAY_SIZE(example), buf, sizeof(buf)), "1-6月、8月、10-11月");
	assert_string_equal(months(year, ARRAY_SIZE(year), buf, sizeof(buf)), "1-12月");
	assert_string_equal(months(year + 9, 1, buf, sizeof(buf)), "10月");
	assert_string_equal(months(singles, ARRAY_SIZE(singles), buf, sizeof(buf)), "1月、3月、12月");
	assert_string_equal(months(pair, ARRAY_SIZE(pair), buf, sizeof(buf)), "11-12月");
	/* out of range, repeats and an unsorted straggler are skipped */
	assert_string_equal(months(messy, ARRAY_SIZE(messy), buf, sizeof(buf)), "2-3月、5月、7月");
}

static void test_months_text_small_cap(void **state)
{
	static const int example[] = { 1, 2, 3, 4, 5, 6, 8, 10, 11 };
	char buf[32];

	UNUSED(state);
	/* "1-6月" is 6 bytes: needs cap 7; "、8月" adds 7 more */
	assert_string_equal(months(example, ARRAY_SIZE(example), buf, 7), "1-6月");
	assert_string_equal(months(example, ARRAY_SIZE(example), buf, 13), "1-6月");
	assert_string_equal(months(example, ARRAY_SIZE(example), buf, 14), "1-6月、8月");
	assert_string_equal(months(example, ARRAY_SIZE(example), buf, 6), "");
	assert_string_equal(months(example, ARRAY_SIZE(example), buf, 1), "");
	buf[0] = 'x';
	dues_publicity_months_text(example, ARRAY_SIZE(example), buf, 0);
	assert_int_equal(buf[0], 'x');
}

/* Every one of the 4096 month sets fits DUES_PUBLICITY_MONTHS_MAX and reads back. */
static void test_months_text_every_set(void **state)
{
	char buf[DUES_PUBLICITY_MONTHS_MAX + 32];
	size_t longest = 0;

	UNUSED(state);
	for (unsigned set = 0; set < 4096; set++) {
		int m[12];
		size_t n = 0;
		unsigned back = 0;
		const char *s;

		for (int i = 0; i < 12; i++)
			if (set & (1u << i))
				m[n++] = i + 1;
		dues_publicity_months_text(m, n, buf, sizeof(buf));
		if (strlen(buf) > longest)
			longest = strlen(buf);
		/* parse "a-b月、c月" back into a set */
		for (s = buf; *s;) {
			char *end;
			long a = strtol(s, &end, 10), b = a;

			if (*end == '-') {
				b = strtol(end + 1, &end, 10);
				assert_true(b > a);
			}
			assert_true(a >= 1 && b >= a && b <= 12);
			for (long k = a; k <= b; k++)
				back |= 1u << (k - 1);
			assert_memory_equal(end, "月", strlen("月"));
			s = end + strlen("月");
			if (*s) {
				assert_memory_equal(s, "、", strlen("、"));
				s += strlen("、");
			}
		}
		assert_int_equal(back, set);
	}
	assert_true(longest < DUES_PUBLICITY_MONTHS_MAX);
}

/* ------------------------------------------------------------------ xlsx */

static struct table read_back(struct fx *f)
{
	struct table t;

	assert_true(xlsx_looks_like(f->out.buf, f->out.len));
	table_init(&t, f->a);
	assert_int_equal(xlsx_read(f->out.buf, f->out.len, &t, &f->e), 0);
	return t;
}

static const char *text_at(const struct table *t, size_t r, size_t c)
{
	assert_true(r < t->nrows);
	assert_int_equal(table_cell(&t->rows[r], c)->kind, CELL_TEXT);
	return table_cell(&t->rows[r], c)->text;
}

static void test_xlsx_cells(void **state)
{
	static const char *const head[] = {
		"序号", "姓名", "所在党组织", "月缴纳标准（元）", "已缴月数", "已缴月份", "已缴金额（元）",
	};
	static const char *const want[3][7] = {
		{ "1", "张三", "第一党支部", "10.50", "10", "1-10月", "105.00" },
		{ "2", "阿依古丽·买买提", "厅直机关党委/省公路局党委/第二党支部", "0.29", "7", "1-6月、8月",
		  "2.03" },
		{ "3", "李老", "第一党支部", "0.00", "0", "", "0.00" },
	};
	struct fx *f = *state;
	struct table t;

	assert_int_equal(dues_publicity_xlsx(&f->p, &f->out, &f->e), 0);
	t = read_back(f);
	assert_int_equal(t.nrows, 7);
	assert_int_equal(t.rows[0].line, 1);
	assert_string_equal(text_at(&t, 0, 0), "省公路局第一党支部党员2026年度党费收缴情况公示");
	for (size_t c = 0; c < 7; c++)
		assert_string_equal(text_at(&t, 1, c), head[c]);
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 7; c++)
			assert_string_equal(text_at(&t, r + 2, c), want[r][c]);
	assert_string_equal(text_at(&t, 5, 0), "合计");
	assert_string_equal(text_at(&t, 5, 1), "共 3 人");
	assert_string_equal(text_at(&t, 5, 2), "");
	assert_string_equal(text_at(&t, 5, 6), "107.03");
	assert_int_equal(t.rows[6].line, 7);
	assert_string_equal(text_at(&t, 6, 0), "公示日期：2026-12-20\xe3\x80\x80如有异议请向党支部反映");
}

/* Fen become yuan by integer division: no 0.1 + 0.2 surprises, any int64. */
static void test_xlsx_money(void **state)
{
	struct fx *f = *state;
	struct dues_publicity_row r[] = {
		{ "甲", "支部", 1, 1, 10, "1月" },
		{ "乙", "支部", 99, 1, 20, "1月" },
		{ "丙", "支部", 100, 1, 123456789012, "1月" },
		{ "丁", "支部", -5, 1, -30, "1月" },
		{ "戊", "支部", INT64_MAX, 1, 0, "1月" },
		{ "己", "支部", INT64_MIN, 1, 0, "1月" },
	};
	struct table t;

	f->p.rows = r;
	f->p.n = ARRAY_SIZE(r);
	assert_int_equal(dues_publicity_xlsx(&f->p, &f->out, &f->e), 0);
	t = read_back(f);
	assert_string_equal(text_at(&t, 2, 3), "0.01");
	assert_string_equal(text_at(&t, 2, 6), "0.10");
	assert_string_equal(text_at(&t, 3, 3), "0.99");
	assert_string_equal(text_at(&t, 4, 3), "1.00");
	assert_string_equal(text_at(&t, 4, 6), "1234567890.12");
	assert_string_equal(text_at(&t, 5, 3), "-0.05");
	assert_string_equal(text_at(&t, 6, 3), "92233720368547758.07");
	assert_string_equal(text_at(&t, 7, 3), "-92233720368547758.08");
	/* 0.10 + 0.20 + 1234567890.12 - 0.30 */
	assert_string_equal(text_at(&t, 8, 6), "1234567890.12");
}

static void test_xlsx_empty_appends(void **state)
{
	struct fx *f = *state;
	struct table t;

	f->p.rows = NULL;
	f->p.n = 0;
	assert_int_equal(dues_publicity_xlsx(&f->p, &f->out, &f->e), 0);
	t = read_back(f);
	assert_int_equal(t.nrows, 4);
	assert_string_equal(text_at(&t, 2, 0), "合计");
	assert_string_equal(text_at(&t, 2, 1), "共 0 人");
	assert_string_equal(text_at(&t, 2, 6), "0.00");

	/* appends: what was in `out` stays in front */
	strbuf_reset(&f->out);
	strbuf_addstr(&f->out, "keep");
	assert_int_equal(dues_publicity_xlsx(&f->p, &f->out, &f->e), 0);
	assert_memory_equal(f->out.buf, "keepPK\3\4", 8);
}

static void test_xlsx_failures_leave_out(void **state)
{
	struct fx *f = *state;
	struct dues_publicity_row big[] = {
		{ "甲", "支部", 0, 1, INT64_MAX, "1月" },
		{ "乙", "支部", 0, 1, 1, "1月" },
	};
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	strbuf_addstr(&f->out, "keep");
	setenv("TMPDIR", "/nonexistent/dir", 1);
	assert_int_equal(dues_publicity_xlsx(&f->p, &f->out, &f->e), -1);
	assert_int_equal(f->e.kind, ERR_INTERNAL);
	assert_string_equal(f->out.buf, "keep");
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);

	/* a total beyond int64 is refused by both renderers */
	err_clear(&f->e);
	f->p.rows = big;
	f->p.n = ARRAY_SIZE(big);
	assert_int_equal(dues_publicity_xlsx(&f->p, &f->out, &f->e), -1);
	assert_int_equal(f->e.kind, ERR_INTERNAL);
	err_clear(&f->e);
	assert_int_equal(dues_publicity_pdf(&f->p, &f->out, &f->e), -1);
	assert_int_equal(f->e.kind, ERR_INTERNAL);
	assert_string_equal(f->out.buf, "keep");
}

/* ------------------------------------------------------------------- PDF */

/* Counts page objects: "/Type /Page" not followed by "s" (that is the page tree). */
static int count_pages(const struct strbuf *pdf)
{
	static const char key[] = "/Type /Page";
	const char *s = pdf->buf, *end = pdf->buf + pdf->len;
	int n = 0;

	while ((s = memmem(s, (size_t)(end - s), key, sizeof(key) - 1))) {
		s += sizeof(key) - 1;
		if (s < end && *s != 's')
			n++;
	}
	return n;
}

static bool contains(const struct strbuf *sb, const char *needle)
{
	return memmem(sb->buf, sb->len, needle, strlen(needle)) != NULL;
}

/* Saves the PDF as $DUES_PUBLICITY_KEEP/<name>.pdf for a manual look. */
static void keep(const struct strbuf *pdf, const char *name)
{
	const char *dir = getenv("DUES_PUBLICITY_KEEP");
	char path[512];
	FILE *fp;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.pdf", dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(pdf->buf, 1, pdf->len, fp), pdf->len);
	fclose(fp);
}

static void assert_pdf_shape(const struct strbuf *pdf)
{
	assert_true(pdf->len > 1000);
	assert_memory_equal(pdf->buf, "%PDF-", 5);
	assert_true(contains(pdf, "%%EOF"));
	/* Text is drawn as outlines (see show_at in dues_publicity.c): no font may be embedded,
	 * or cairo 1.16's broken CJK subsetting could blank characters again. */
	assert_false(contains(pdf, "/FontFile"));
	assert_false(contains(pdf, "NotoSansCJKsc"));
}

static void test_pdf_small(void **state)
{
	struct fx *f = *state;

	assert_int_equal(dues_publicity_pdf(&f->p, &f->out, &f->e), 0);
	keep(&f->out, "publicity-3");
	assert_pdf_shape(&f->out);
	assert_int_equal(count_pages(&f->out), 1);
	assert_true(contains(&f->out, "/Count 1"));
}

static void test_pdf_120_rows(void **state)
{
	struct fx *f = *state;

	many_rows(f, 120);
	assert_int_equal(dues_publicity_pdf(&f->p, &f->out, &f->e), 0);
	keep(&f->out, "publicity-120");
	assert_pdf_shape(&f->out);
	/* 29 rows under the title, 27-29 on later pages (every 7th org path wraps) */
	assert_int_equal(count_pages(&f->out), 5);
	assert_true(contains(&f->out, "/Count 5"));
}

static void test_pdf_empty_and_appends(void **state)
{
	struct fx *f = *state;

	f->p.rows = NULL;
	f->p.n = 0;
	assert_int_equal(dues_publicity_pdf(&f->p, &f->out, &f->e), 0);
	assert_pdf_shape(&f->out);
	assert_int_equal(count_pages(&f->out), 1);

	strbuf_reset(&f->out);
	strbuf_addstr(&f->out, "keep");
	assert_int_equal(dues_publicity_pdf(&f->p, &f->out, &f->e), 0);
	assert_memory_equal(f->out.buf, "keep%PDF-", 9);
}

/* Same input, same bytes: the PDF dates come from generated_on, not the clock. */
static void test_pdf_reproducible(void **state)
{
	struct fx *f = *state;
	struct strbuf again = STRBUF_INIT;

	assert_int_equal(dues_publicity_pdf(&f->p, &f->out, &f->e), 0);
	assert_int_equal(dues_publicity_pdf(&f->p, &again, &f->e), 0);
	assert_int_equal(again.len, f->out.len);
	assert_memory_equal(again.buf, f->out.buf, f->out.len);
	/* cairo 1.16 writes the date without the "D:" prefix */
	assert_true(contains(&f->out, "/CreationDate (20261220000000)"));
	strbuf_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_months_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_months_text_small_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_months_text_every_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_money, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_empty_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_failures_leave_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_120_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_empty_and_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_reproducible, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
