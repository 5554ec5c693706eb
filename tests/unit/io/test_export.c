/*
 * test_export.c: tests for src/io/member_export.c: the CSV shape (BOM,
 * CRLF, header, quoting), the .xlsx shape (read back with xlsx_read), and
 * export -> import round trips that compare every field, for CSV and .xlsx.
 */
#include "util/common.h"
#include "core/codes.h"
#include "core/member.h"
#include "io/member_columns.h"
#include "io/member_export.h"
#include "io/member_import.h"
#include "io/table.h"
#include "io/xlsx_read.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <setjmp.h>
#include <cmocka.h>

#include "io_fixtures.h"

struct fx {
	struct arena *a;
	struct err e;
	struct strbuf out;
	struct member m[3];
	char id[3][19];
	struct member_export_opts eo;
	int calls;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->a = arena_new();
	strbuf_init(&f->out, 0);
	f->eo = (struct member_export_opts){ .org_path = fx_org_path };
	f->m[0] = (struct member){
		.org_id = 11,
		.name = "张三",
		.gender = GENDER_MALE,
		.ethnicity = "01",
		.birth_date = { 1990, 3, 7 },
		.id_card = "320106199003071234",
		.education = "21",
		.phone = "13800138000",
		.native_place = "江苏南京",
		.category = CAT_IN_SERVICE,
		.status = STATUS_FULL,
		.joined_on = { 2015, 7, 1 },
		.full_member_on = { 2016, 7, 1 },
		.work_unit = "省公路局",
		.job = "科员",
	};
	f->m[1] = (struct member){
		.org_id = 13,
		.name = "阿依古丽·买买提",
		.gender = GENDER_FEMALE,
		.ethnicity = "05",
		.birth_date = { 1988, 8, 15 },
		.id_card = fx_id("65010219880815002", f->id[1]),
		.education = "31",
		.native_place = "新疆,乌鲁木齐",
		.category = CAT_OTHER,
		.status = STATUS_PROBATIONARY,
		.joined_on = { 2026, 1, 5 },
		.work_unit = "厅信息中心",
		.remarks = "说\"明\"，第一行\r\n第二行, 带逗号",
	};
	f->m[2] = (struct member){
		.org_id = 10,
		.name = "李老",
		.gender = GENDER_MALE,
		.ethnicity = "04",
		.birth_date = { 1940, 1, 1 },
		.id_card = fx_id("11010519400101001", f->id[2]),
		.education = "71",
		.phone = "010-12345678",
		.category = CAT_RETIRED,
		.status = STATUS_FULL,
		.joined_on = { 1965, 7, 1 },
		.full_member_on = { 1966, 7, 1 },
		.job = "=SUM(A1)",
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
	free(f);
	return 0;
}

static void assert_same_text(const char *a, const char *b)
{
	/* an empty field exports as "" and imports as NULL */
	assert_string_equal(a ? a : "", b ? b : "");
}

static void assert_same_member(const struct member *a, const struct member *b)
{
	assert_int_equal(a->org_id, b->org_id);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->gender, b->gender);
	assert_string_equal(a->ethnicity, b->ethnicity);
	assert_int_equal(date_cmp(a->birth_date, b->birth_date), 0);
	assert_string_equal(a->id_card, b->id_card);
	assert_string_equal(a->education, b->education);
	assert_same_text(a->phone, b->phone);
	assert_same_text(a->native_place, b->native_place);
	assert_int_equal(a->category, b->category);
	assert_int_equal(a->status, b->status);
	assert_int_equal(date_cmp(a->joined_on, b->joined_on), 0);
	assert_int_equal(date_cmp(a->full_member_on, b->full_member_on), 0);
	assert_same_text(a->work_unit, b->work_unit);
	assert_same_text(a->job, b->job);
	assert_same_text(a->remarks, b->remarks);
}

/* `last_line`: where the third record starts (the second one's remark spans two CSV lines). */
static void round_trip(struct fx *f, int last_line)
{
	const int lines[3] = { 2, 3, last_line };

	struct member_import_opts o = fx_opts(&f->calls);
	struct member_import_result r;

	o.default_org_id = 0; /* every org must come from the file */
	assert_int_equal(member_import_file(f->out.buf, f->out.len, &o, f->a, &r, &f->e), 0);
	for (size_t i = 0; i < r.nerrors; i++)
		print_error("line %d [%s] %s\n", r.errors[i].line, r.errors[i].column, r.errors[i].message);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.nunknown, 0);
	assert_int_equal(r.nmembers, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(r.member_lines[i], lines[i]);
		assert_same_member(&f->m[i], &r.members[i]);
	}
}

static void test_csv_shape(void **state)
{
	struct fx *f = *state;
	const char *p;

	assert_int_equal(member_export_csv(f->m, 3, &f->eo, &f->out), 0);
	assert_memory_equal(f->out.buf, "\xef\xbb\xbf", 3);
	p = f->out.buf + 3;
	assert_int_equal(
		strncmp(p,
			"姓名,性别,民族,出生日期,身份证号,学历,手机号,籍贯,人员类别,党员状态,"
			"入党时间,转正时间,所在党组织,工作单位,职务,备注\r\n",
			strlen("姓名,性别,民族,出生日期,"
			       "身份证号,学历,手机号,籍贯,人员类别,党员状态,入党时间,转正时间,所在党组织,工作单位,"
			       "职务,备注\r\n")),
		0);
	assert_non_null(strstr(p, "\r\n张三,男,汉族,1990-03-07,320106199003071234,大学本科毕业,13800138000,"
				  "江苏南京,在职,正式党员,2015-07-01,2016-07-01,"
				  "厅直机关党委/省公路局党委/第一党支部,省公路局,科员,\r\n"));
	assert_non_null(strstr(p, ",\"新疆,乌鲁木齐\","));
	assert_non_null(strstr(p, ",\"说\"\"明\"\"，第一行\r\n第二行, 带逗号\"\r\n"));
	assert_non_null(strstr(p, ",预备党员,2026-01-05,,厅直机关党委/厅信息中心党支部,"));
	/* every line ends with CRLF: no bare LF outside the quoted remark */
	assert_int_equal(f->out.buf[f->out.len - 1], '\n');
	assert_int_equal(f->out.buf[f->out.len - 2], '\r');
}

static void test_csv_writes_given_strings(void **state)
{
	struct fx *f = *state;
	char masked[19];

	idcard_mask(f->m[0].id_card, masked);
	f->m[0].id_card = masked;
	f->m[0].phone = "138****8000";
	assert_int_equal(member_export_csv(f->m, 1, &f->eo, &f->out), 0);
	assert_non_null(strstr(f->out.buf, ",320106********1234,"));
	assert_non_null(strstr(f->out.buf, ",138****8000,"));
}

static void test_csv_org_name_fallback(void **state)
{
	struct fx *f = *state;

	f->m[0].org_name = "第一党支部";
	assert_int_equal(member_export_csv(f->m, 1, NULL, &f->out), 0);
	assert_non_null(strstr(f->out.buf, ",第一党支部,"));
}

static void test_csv_round_trip(void **state)
{
	struct fx *f = *state;

	assert_int_equal(member_export_csv(f->m, 3, &f->eo, &f->out), 0);
	round_trip(f, 5);
}

static void test_xlsx_shape(void **state)
{
	struct fx *f = *state;
	struct table t;

	assert_int_equal(member_export_xlsx(f->m, 3, &f->eo, &f->out, &f->e), 0);
	assert_true(xlsx_looks_like(f->out.buf, f->out.len));
	table_init(&t, f->a);
	assert_int_equal(xlsx_read(f->out.buf, f->out.len, &t, &f->e), 0);
	assert_int_equal(t.nrows, 4);
	for (int c = 0; c < MCOL_COUNT; c++)
		assert_string_equal(table_cell(&t.rows[0], (size_t)c)->text, member_columns[c].header);
	/* dates and numbers are text cells */
	assert_int_equal(table_cell(&t.rows[1], MCOL_BIRTH_DATE)->kind, CELL_TEXT);
	assert_string_equal(table_cell(&t.rows[1], MCOL_BIRTH_DATE)->text, "1990-03-07");
	assert_int_equal(table_cell(&t.rows[1], MCOL_PHONE)->kind, CELL_TEXT);
	assert_string_equal(table_cell(&t.rows[3], MCOL_JOB)->text, "=SUM(A1)");
	assert_string_equal(table_cell(&t.rows[2], MCOL_FULL_MEMBER_ON)->text, "");
}

static void test_xlsx_round_trip(void **state)
{
	struct fx *f = *state;

	assert_int_equal(member_export_xlsx(f->m, 3, &f->eo, &f->out, &f->e), 0);
	round_trip(f, 4);
}

static void test_xlsx_empty_and_bad_tmpdir(void **state)
{
	struct fx *f = *state;
	struct table t;
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	assert_int_equal(member_export_xlsx(f->m, 0, &f->eo, &f->out, &f->e), 0);
	table_init(&t, f->a);
	assert_int_equal(xlsx_read(f->out.buf, f->out.len, &t, &f->e), 0);
	assert_int_equal(t.nrows, 1);

	strbuf_reset(&f->out);
	setenv("TMPDIR", "/nonexistent/dir", 1);
	assert_int_equal(member_export_xlsx(f->m, 3, &f->eo, &f->out, &f->e), -1);
	assert_int_equal(f->e.kind, ERR_INTERNAL);
	assert_int_equal(f->out.len, 0);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_writes_given_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_org_name_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_empty_and_bad_tmpdir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
