/*
 * test_csv.c: tests for src/io/csv_read.c: RFC 4180 quoting, line
 * numbers, BOM, GB18030 detection (the file is built here with iconv) and
 * the offset reported for bytes that are neither UTF-8 nor GB18030.
 */
#include "util/common.h"
#include "io/csv_read.h"
#include "io/table.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <iconv.h>
#include <setjmp.h>
#include <cmocka.h>

struct fx {
	struct arena *a;
	struct table t;
	struct err e;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->a = arena_new();
	table_init(&f->t, f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	err_release(&f->e);
	arena_free(f->a);
	free(f);
	return 0;
}

static int read_str(struct fx *f, const char *s)
{
	return csv_read(s, strlen(s), &f->t, &f->e);
}

static const char *cell(struct fx *f, size_t r, size_t c)
{
	assert_true(r < f->t.nrows);
	return table_cell(&f->t.rows[r], c)->text;
}

static void test_simple(void **state)
{
	struct fx *f = *state;

	assert_int_equal(read_str(f, "a,b,c\n1,2,3\n"), 0);
	assert_int_equal(f->t.nrows, 2);
	assert_int_equal(f->t.rows[0].line, 1);
	assert_int_equal(f->t.rows[1].line, 2);
	assert_int_equal(f->t.rows[1].ncells, 3);
	assert_string_equal(cell(f, 1, 2), "3");
	assert_string_equal(cell(f, 1, 7), ""); /* beyond the row */
	assert_int_equal(table_cell(&f->t.rows[0], 0)->kind, CELL_TEXT);
}

static void test_quoting(void **state)
{
	struct fx *f = *state;
	const char *s = "h1,h2,h3\r\n"
			"\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
			"\"\",,\"x\"\"\"\r\n"
			"last,\"multi\nline\nfield\",z";

	assert_int_equal(read_str(f, s), 0);
	assert_int_equal(f->t.nrows, 4);
	assert_string_equal(cell(f, 1, 0), "a,b");
	assert_string_equal(cell(f, 1, 1), "say \"hi\"");
	assert_string_equal(cell(f, 1, 2), "two\r\nlines"); /* kept byte for byte */
	assert_int_equal(f->t.rows[1].line, 2);
	/* the record on line 2 spans lines 2-3 */
	assert_int_equal(f->t.rows[2].line, 4);
	assert_int_equal(f->t.rows[2].ncells, 3);
	assert_string_equal(cell(f, 2, 0), "");
	assert_string_equal(cell(f, 2, 1), "");
	assert_string_equal(cell(f, 2, 2), "x\"");
	assert_int_equal(f->t.rows[3].line, 5);
	assert_string_equal(cell(f, 3, 1), "multi\nline\nfield");
	assert_string_equal(cell(f, 3, 2), "z"); /* no final line break */
}

static void test_trailing_comma_and_stray_quote(void **state)
{
	struct fx *f = *state;

	assert_int_equal(read_str(f, "a,b,\nab\"c,\"q\"x\n"), 0);
	assert_int_equal(f->t.rows[0].ncells, 3);
	assert_string_equal(cell(f, 0, 2), "");
	assert_string_equal(cell(f, 1, 0), "ab\"c"); /* quote inside an unquoted field kept */
	assert_string_equal(cell(f, 1, 1), "qx");
}

static void test_blank_lines(void **state)
{
	struct fx *f = *state;

	assert_int_equal(read_str(f, "h\r\n\r\nx\r\n\ny\r\n\r\n\r\n\n"), 0);
	assert_int_equal(f->t.nrows, 3);
	assert_int_equal(f->t.rows[1].line, 3);
	assert_int_equal(f->t.rows[2].line, 5);
	assert_string_equal(cell(f, 2, 0), "y");
}

static void test_cr_only(void **state)
{
	struct fx *f = *state;

	assert_int_equal(read_str(f, "a,b\rc,d\r"), 0);
	assert_int_equal(f->t.nrows, 2);
	assert_int_equal(f->t.rows[1].line, 2);
	assert_string_equal(cell(f, 1, 1), "d");
}

static void test_bom(void **state)
{
	struct fx *f = *state;

	assert_int_equal(read_str(f, "\xef\xbb\xbf姓名,性别\n张三,男\n"), 0);
	assert_string_equal(cell(f, 0, 0), "姓名");
	assert_string_equal(cell(f, 1, 1), "男");
}

static void test_empty(void **state)
{
	struct fx *f = *state;

	assert_int_equal(csv_read("", 0, &f->t, &f->e), 0);
	assert_int_equal(f->t.nrows, 0);
	assert_int_equal(read_str(f, "\xef\xbb\xbf\r\n\r\n"), 0);
	assert_int_equal(f->t.nrows, 0);
}

static void test_unclosed_quote(void **state)
{
	struct fx *f = *state;

	assert_int_equal(read_str(f, "a,b\nc,\"open\nd,e\n"), -1);
	assert_int_equal(f->e.kind, ERR_VALIDATION);
	assert_string_equal(f->e.code, "import_invalid");
	assert_non_null(strstr(f->e.message, "第2行"));
}

/* Converts UTF-8 text to GB18030 with iconv, as Excel on Chinese Windows saves CSV. */
static void to_gb18030(const char *utf8, struct strbuf *out)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char *in = (char *)utf8, *o;
	size_t inleft = strlen(utf8), oleft;

	assert_true(cd != (iconv_t)-1);
	strbuf_grow(out, inleft * 2 + 8);
	o = out->buf + out->len;
	oleft = out->alloc - out->len - 1;
	assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
	strbuf_setlen(out, (size_t)(o - out->buf));
	iconv_close(cd);
}

static void test_gb18030(void **state)
{
	struct fx *f = *state;
	struct strbuf gb = STRBUF_INIT;
	const char *text = "姓名,民族,籍贯,备注\r\n欧阳娜娜,维吾尔族,\"新疆,乌鲁木齐\",𠀀€\r\n";

	to_gb18030(text, &gb);
	assert_true(utf8_invalid_offset(gb.buf, gb.len) < gb.len); /* really not UTF-8 */
	assert_int_equal(csv_read(gb.buf, gb.len, &f->t, &f->e), 0);
	assert_int_equal(f->t.nrows, 2);
	assert_string_equal(cell(f, 0, 0), "姓名");
	assert_string_equal(cell(f, 1, 0), "欧阳娜娜");
	assert_string_equal(cell(f, 1, 1), "维吾尔族");
	assert_string_equal(cell(f, 1, 2), "新疆,乌鲁木齐");
	assert_string_equal(cell(f, 1, 3), "𠀀€"); /* 4-byte GB18030 sequences */
	strbuf_release(&gb);
}

static void test_invalid_byte_offset(void **state)
{
	struct fx *f = *state;
	struct strbuf gb = STRBUF_INIT;
	size_t at;

	/* GB18030 text with an 0xFF (never valid) after it */
	to_gb18030("姓名,性别\r\n张三,", &gb);
	at = gb.len;
	strbuf_add(&gb, "\xff\r\n", 3);
	assert_int_equal(csv_read(gb.buf, gb.len, &f->t, &f->e), -1);
	assert_string_equal(f->e.code, "import_invalid");
	{
		char want[64];

		snprintf(want, sizeof(want), "文件编码无法识别：第%zu字节无效", at + 1);
		assert_string_equal(f->e.message, want);
	}
	strbuf_release(&gb);
}

static void test_truncated_at_end(void **state)
{
	struct fx *f = *state;

	/* a GB18030 lead byte with nothing after it */
	assert_int_equal(csv_read("ab,\x81", 4, &f->t, &f->e), -1);
	assert_string_equal(f->e.message, "文件编码无法识别：第4字节无效");
}

static void test_bom_then_invalid(void **state)
{
	struct fx *f = *state;

	/* a BOM promises UTF-8: the bad byte is reported, not reinterpreted */
	assert_int_equal(csv_read("\xef\xbb\xbf"
				  "ab\xc0\x80",
				  7, &f->t, &f->e),
			 -1);
	assert_string_equal(f->e.message, "文件编码无法识别：第6字节无效");
}

static void test_nul_and_utf16(void **state)
{
	struct fx *f = *state;
	struct err e2 = ERR_INIT;

	assert_int_equal(csv_read("a,b\n\xd5\xc5\0x", 8, &f->t, &f->e), -1);
	assert_string_equal(f->e.message, "文件编码无法识别：第7字节无效");
	assert_int_equal(csv_read("\xff\xfe"
				  "a\0",
				  4, &f->t, &e2),
			 -1);
	assert_non_null(strstr(e2.message, "UTF-16"));
	err_release(&e2);
}

static void test_utf8_validator(void **state)
{
	UNUSED(state);
	assert_int_equal(utf8_invalid_offset("abc", 3), 3);
	assert_int_equal(utf8_invalid_offset("中文", 6), 6);
	assert_int_equal(utf8_invalid_offset("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(utf8_invalid_offset("a\xc0\x80", 3), 1);        /* overlong NUL */
	assert_int_equal(utf8_invalid_offset("ab\xe0\x80\x80", 5), 2);   /* overlong */
	assert_int_equal(utf8_invalid_offset("\xed\xa0\x80", 3), 0);     /* surrogate */
	assert_int_equal(utf8_invalid_offset("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
	assert_int_equal(utf8_invalid_offset("x\xe4\xb8", 3), 1);        /* truncated */
	assert_int_equal(utf8_invalid_offset("\xf5", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_comma_and_stray_quote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unclosed_quote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gb18030, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_byte_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_at_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom_then_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_and_utf16, setup, teardown),
		cmocka_unit_test(test_utf8_validator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
