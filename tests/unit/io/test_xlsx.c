/*
 * test_xlsx.c: tests for src/io/xlsx_read.c. The workbooks are written here
 * with libxlsxwriter (shared strings, and constant-memory mode with inline
 * strings), with real date cells, sparse cells and skipped rows; broken
 * archives are built with libzip.
 */
#include "util/common.h"
#include "io/table.h"
#include "io/xlsx_read.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <setjmp.h>
#include <cmocka.h>

struct fx {
	struct arena *a;
	struct table t;
	struct err e;
	struct strbuf file;
	char path[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int fd;

	f->a = arena_new();
	table_init(&f->t, f->a);
	strbuf_init(&f->file, 0);
	snprintf(f->path, sizeof(f->path), "/tmp/dj-test-xlsx-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	unlink(f->path);
	strbuf_release(&f->file);
	err_release(&f->e);
	arena_free(f->a);
	free(f);
	return 0;
}

static void slurp(struct fx *f)
{
	FILE *fp = fopen(f->path, "rb");
	char buf[4096];
	size_t n;

	assert_non_null(fp);
	strbuf_reset(&f->file);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&f->file, buf, n);
	fclose(fp);
}

static const struct table_cell *cell(struct fx *f, size_t r, size_t c)
{
	assert_true(r < f->t.nrows);
	return table_cell(&f->t.rows[r], c);
}

/* Writes the same small sheet in either mode. */
static void write_book(struct fx *f, bool constant_memory)
{
	lxw_workbook_options o = { .constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE };
	lxw_workbook *wb = workbook_new_opt(f->path, &o);
	lxw_worksheet *ws, *ws2;
	lxw_format *ymd, *builtin14, *cn, *bold;
	lxw_datetime dt = { 2019, 7, 1, 0, 0, 0 };

	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "党员");
	ws2 = workbook_add_worksheet(wb, "Other");
	ymd = workbook_add_format(wb);
	format_set_num_format(ymd, "yyyy-mm-dd");
	builtin14 = workbook_add_format(wb);
	format_set_num_format_index(builtin14, 14);
	cn = workbook_add_format(wb);
	format_set_num_format(cn, "yyyy\"年\"m\"月\"d\"日\"");
	bold = workbook_add_format(wb);
	format_set_bold(bold);

	worksheet_write_string(ws, 0, 0, "姓名", bold);
	worksheet_write_string(ws, 0, 1, "入党时间", bold);
	worksheet_write_string(ws, 0, 2, "手机号", bold);
	worksheet_write_string(ws, 0, 3, "金额", bold);
	/* row 2 (index 1) */
	worksheet_write_string(ws, 1, 0, "张三", NULL);
	worksheet_write_datetime(ws, 1, 1, &dt, ymd);
	worksheet_write_number(ws, 1, 2, 13800138000.0, NULL);
	worksheet_write_number(ws, 1, 3, 12.5, NULL);
	/* row 3: sparse, only column C */
	worksheet_write_string(ws, 2, 2, "只有C列", NULL);
	/* row 6 (rows 4-5 absent): built-in and custom CJK date formats */
	worksheet_write_string(ws, 5, 0, "李四 & <王五>", NULL);
	worksheet_write_number(ws, 5, 1, 43647, builtin14);
	worksheet_write_number(ws, 5, 3, 43647, cn);
	worksheet_write_boolean(ws, 5, 4, 1, NULL);
	worksheet_write_string(ws2, 0, 0, "not this sheet", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(f);
}

static void check_book(struct fx *f)
{
	assert_int_equal(xlsx_read(f->file.buf, f->file.len, &f->t, &f->e), 0);
	assert_int_equal(f->t.nrows, 4);
	assert_int_equal(f->t.rows[0].line, 1);
	assert_string_equal(cell(f, 0, 0)->text, "姓名");
	assert_string_equal(cell(f, 0, 3)->text, "金额");

	assert_int_equal(f->t.rows[1].line, 2);
	assert_string_equal(cell(f, 1, 0)->text, "张三");
	assert_int_equal(cell(f, 1, 1)->kind, CELL_DATE);
	assert_true(cell(f, 1, 1)->number == 43647.0); /* 2019-07-01 */
	assert_int_equal(cell(f, 1, 2)->kind, CELL_NUMBER);
	assert_string_equal(cell(f, 1, 2)->text, "13800138000");
	assert_string_equal(cell(f, 1, 3)->text, "12.5");

	assert_int_equal(f->t.rows[2].line, 3);
	assert_int_equal(f->t.rows[2].ncells, 3);
	assert_string_equal(cell(f, 2, 0)->text, "");
	assert_string_equal(cell(f, 2, 1)->text, "");
	assert_string_equal(cell(f, 2, 2)->text, "只有C列");

	assert_int_equal(f->t.rows[3].line, 6);
	assert_string_equal(cell(f, 3, 0)->text, "李四 & <王五>");
	assert_int_equal(cell(f, 3, 1)->kind, CELL_DATE);
	assert_int_equal(cell(f, 3, 3)->kind, CELL_DATE);
	assert_true(cell(f, 3, 3)->number == 43647.0);
	assert_string_equal(cell(f, 3, 4)->text, "TRUE");
}

/* Whether the written archive has a shared strings part. */
static bool has_sst(struct fx *f)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	bool has;

	zip_error_init(&ze);
	src = zip_source_buffer_create(f->file.buf, f->file.len, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	has = zip_name_locate(z, "xl/sharedStrings.xml", 0) >= 0;
	zip_discard(z);
	zip_error_fini(&ze);
	return has;
}

static void test_shared_strings(void **state)
{
	struct fx *f = *state;

	write_book(f, false);
	assert_true(has_sst(f));
	check_book(f);
}

static void test_constant_memory_inline_strings(void **state)
{
	struct fx *f = *state;

	write_book(f, true);
	assert_false(has_sst(f)); /* DESIGN.md "Known traps": inline strings only */
	check_book(f);
}

static void test_not_zip(void **state)
{
	struct fx *f = *state;
	const char *s = "姓名,性别\n";

	assert_false(xlsx_looks_like(s, strlen(s)));
	assert_int_equal(xlsx_read(s, strlen(s), &f->t, &f->e), -1);
	assert_string_equal(f->e.code, "import_invalid");
	assert_non_null(strstr(f->e.message, "xlsx"));
}

static void test_corrupt_zip(void **state)
{
	struct fx *f = *state;
	const char s[] = "PK\003\004garbage that is not a zip archive at all";

	assert_true(xlsx_looks_like(s, sizeof(s) - 1));
	assert_int_equal(xlsx_read(s, sizeof(s) - 1, &f->t, &f->e), -1);
	assert_string_equal(f->e.code, "import_invalid");
}

/* A zip holding only the given parts. */
static void write_zip(struct fx *f, const char *const *names, const char *const *bodies, size_t n)
{
	int err;
	zip_t *z = zip_open(f->path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(z, bodies[i], strlen(bodies[i]), 0);

		assert_non_null(src);
		assert_true(zip_file_add(z, names[i], src, ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	slurp(f);
}

static void test_zip_without_workbook(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "hello.txt" }, *bodies[] = { "hi" };

	write_zip(f, names, bodies, 1);
	assert_int_equal(xlsx_read(f->file.buf, f->file.len, &f->t, &f->e), -1);
	assert_non_null(strstr(f->e.message, "找不到工作簿"));
}

static void test_missing_sheet(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "xl/workbook.xml" };
	const char *bodies[] = {
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheets/></workbook>",
	};

	write_zip(f, names, bodies, 1);
	assert_int_equal(xlsx_read(f->file.buf, f->file.len, &f->t, &f->e), -1);
	assert_non_null(strstr(f->e.message, "找不到第一个工作表"));
}

/* Hand-written parts: x: prefixes, rich text with phonetic runs, no r attributes, 1904 dates. */
static void test_hand_written(void **state)
{
	struct fx *f = *state;
	const char *names[] = {
		"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
		"xl/styles.xml",   "xl/worksheets/data.xml",
	};
	const char *bodies[] = {
		"<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<x:workbookPr date1904=\"1\"/><x:sheets><x:sheet name=\"S\" sheetId=\"1\" r:id=\"rId7\"/>"
		"</x:sheets></x:workbook>",
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId7\" Type=\"x\" Target=\"/xl/worksheets/data.xml\"/></Relationships>",
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<si><t>plain</t></si><si><r><t>ri</t></r><r><t xml:space=\"preserve\">ch </t></r>"
		"<rPh><t>PHONETIC</t></rPh></si><si/><si><t>a_x000D_b_x005F_x0041_c_xD840__xDC00_</t></si></sst>",
		"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<numFmts><numFmt numFmtId=\"164\" formatCode=\"0.00&quot;d&quot;\"/>"
		"<numFmt numFmtId=\"165\" formatCode=\"[$-804]yyyy/m/d\"/></numFmts>"
		"<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
		"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/></cellXfs>"
		"</styleSheet>",
		"<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<x:sheetData><x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
		"<x:c t=\"s\"><x:v>2</x:v></x:c><x:c t=\"s\"><x:v>3</x:v></x:c></x:row>"
		"<x:row><x:c s=\"1\"><x:v>5</x:v></x:c><x:c s=\"2\"><x:v>42185</x:v></x:c>"
		"<x:c t=\"str\"><x:f>A1</x:f><x:v>formula</x:v></x:c><x:c s=\"0\"/>"
		"<x:c t=\"inlineStr\"><x:is><x:t>in</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>",
	};

	write_zip(f, names, bodies, ARRAY_SIZE(names));
	assert_int_equal(xlsx_read(f->file.buf, f->file.len, &f->t, &f->e), 0);
	assert_int_equal(f->t.nrows, 2);
	assert_int_equal(f->t.rows[1].line, 2);
	assert_string_equal(cell(f, 0, 0)->text, "plain");
	assert_string_equal(cell(f, 0, 1)->text, "rich ");
	assert_string_equal(cell(f, 0, 2)->text, "");
	assert_string_equal(cell(f, 0, 3)->text, "a\rb_x0041_c𠀀"); /* ST_Xstring escapes */
	assert_int_equal(cell(f, 1, 0)->kind, CELL_NUMBER);         /* "d" only inside quotes */
	assert_int_equal(cell(f, 1, 1)->kind, CELL_DATE);
	assert_true(cell(f, 1, 1)->number == 42185.0 + 1462); /* 1904 system shifted */
	assert_string_equal(cell(f, 1, 2)->text, "formula");
	assert_string_equal(cell(f, 1, 3)->text, "");
	assert_string_equal(cell(f, 1, 4)->text, "in");
}

static void test_malformed_xml(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "xl/workbook.xml", "xl/worksheets/sheet1.xml" };
	const char *bodies[] = {
		"<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>",
		"<worksheet><sheetData><row><c><v>1</v></c></row>",
	};

	write_zip(f, names, bodies, 2);
	assert_int_equal(xlsx_read(f->file.buf, f->file.len, &f->t, &f->e), -1);
	assert_string_equal(f->e.code, "import_invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_constant_memory_inline_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zip_without_workbook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_sheet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_xml, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
