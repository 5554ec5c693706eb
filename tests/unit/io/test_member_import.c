/*
 * test_member_import.c: tests for src/io/member_import.c and
 * member_columns.c: header matching in any order and in English, unknown and
 * missing columns, every kind of row error with its line and column,
 * duplicates within the file and against the store, derived fields.
 */
#include "util/common.h"
#include "core/codes.h"
#include "core/member.h"
#include "io/member_columns.h"
#include "io/member_import.h"
#include "io/table.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <setjmp.h>
#include <cmocka.h>

#include "io_fixtures.h"

#define ID_A "320106199003071234" /* male, 1990-03-07 (RULES.md CODE-23) */

static const char *const header =
	"姓名,性别,民族,出生日期,身份证号,学历,手机号,籍贯,人员类别,党员状态,入党时间,转正时间,"
	"所在党组织,工作单位,职务,备注\r\n";

struct fx {
	struct arena *a;
	struct err e;
	struct strbuf csv;
	struct member_import_result r;
	int calls;
	struct member_import_opts o;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->a = arena_new();
	strbuf_init(&f->csv, 0);
	f->o = fx_opts(&f->calls);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	strbuf_release(&f->csv);
	err_release(&f->e);
	arena_free(f->a);
	free(f);
	return 0;
}

static int run(struct fx *f)
{
	return member_import_file(f->csv.buf, f->csv.len, &f->o, f->a, &f->r, &f->e);
}

/*
 * Appends a valid full member row whose identity number has sequence `seq`
 * (odd: male, born 1990-03-07), with column `col` replaced by `value` when
 * col >= 0.
 */
static void add_row(struct strbuf *sb, int seq, int col, const char *value)
{
	char first17[18], id[19];
	const char *cells[MCOL_COUNT] = {
		"张三",
		"男",
		"汉族",
		"1990-03-07",
		NULL,
		"本科",
		"13800138000",
		"江苏南京",
		"在职",
		"正式党员",
		"2015-07-01",
		"2016-07-01",
		"厅直机关党委/省公路局党委/第一党支部",
		"省公路局",
		"科员",
		"",
	};

	snprintf(first17, sizeof(first17), "32010619900307%03d", seq);
	cells[MCOL_ID_CARD] = fx_id(first17, id);
	if (col >= 0)
		cells[col] = value;
	for (int c = 0; c < MCOL_COUNT; c++)
		strbuf_addf(sb, "%s%s", c ? "," : "", cells[c]);
	strbuf_addstr(sb, "\r\n");
}

static const char *find_error(const struct fx *f, int line, const char *column)
{
	for (size_t i = 0; i < f->r.nerrors; i++)
		if (f->r.errors[i].line == line && !strcmp(f->r.errors[i].column, column))
			return f->r.errors[i].message;
	return NULL;
}

static void assert_error(const struct fx *f, int line, const char *column, const char *part)
{
	const char *m = find_error(f, line, column);

	if (!m || !strstr(m, part)) {
		for (size_t i = 0; i < f->r.nerrors; i++)
			print_error("  error: line %d [%s] %s\n", f->r.errors[i].line, f->r.errors[i].column,
				    f->r.errors[i].message);
		fail_msg("no error containing '%s' at line %d column %s", part, line, column);
	}
}

/* ------------------------------------------------------------------ columns */

static void test_column_lookup(void **state)
{
	UNUSED(state);
	assert_int_equal(member_col_by_header("姓名"), MCOL_NAME);
	assert_int_equal(member_col_by_header(" *身份证号 "), MCOL_ID_CARD);
	assert_int_equal(member_col_by_header("\xe3\x80\x80所在党组织*"), MCOL_ORG);
	assert_int_equal(member_col_by_header("Full_Member_On"), MCOL_FULL_MEMBER_ON);
	assert_int_equal(member_col_by_header("org"), MCOL_ORG);
	assert_int_equal(member_col_by_header("微信"), -1);
	assert_int_equal(member_col_by_header(""), -1);
	assert_string_equal(member_columns[MCOL_REMARKS].header, "备注");
	assert_string_equal(member_columns[MCOL_BIRTH_DATE].json, "birth_date");
}

/* -------------------------------------------------------------- valid files */

static void test_valid_file(void **state)
{
	struct fx *f = *state;
	char id_b[19];
	const struct member *m;

	strbuf_addstr(&f->csv, header);
	strbuf_addstr(&f->csv,
		      "张三,男,汉族,1990-03-07," ID_A ",本科,13800138000,江苏南京,在职,正式党员,"
		      "2015-07-01,2016-07-01,厅直机关党委/省公路局党委/第一党支部,省公路局,科员,\r\n");
	strbuf_addf(&f->csv,
		    "　李娜 ,女,回,1988/8/15,%s,大学本科毕业,,广东深圳,在职,预备党员,"
		    "2026年1月5日,,,\"省公路局,养护处\",,\"备注\n第二行\"\r\n",
		    fx_id("44030519880815002", id_b));

	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nerrors, 0);
	assert_int_equal(f->r.total_rows, 2);
	assert_int_equal(f->r.nmembers, 2);
	assert_int_equal(f->r.nunknown, 0);

	m = &f->r.members[0];
	assert_int_equal(f->r.member_lines[0], 2);
	assert_string_equal(m->name, "张三");
	assert_int_equal(m->gender, GENDER_MALE);
	assert_string_equal(m->ethnicity, "01");
	assert_int_equal(date_cmp(m->birth_date, (struct date){ 1990, 3, 7 }), 0);
	assert_string_equal(m->id_card, ID_A);
	assert_string_equal(m->education, "21");
	assert_string_equal(m->phone, "13800138000");
	assert_string_equal(m->native_place, "江苏南京");
	assert_int_equal(m->category, CAT_IN_SERVICE);
	assert_int_equal(m->status, STATUS_FULL);
	assert_int_equal(date_cmp(m->joined_on, (struct date){ 2015, 7, 1 }), 0);
	assert_int_equal(date_cmp(m->full_member_on, (struct date){ 2016, 7, 1 }), 0);
	assert_int_equal(m->org_id, 11);
	assert_string_equal(m->work_unit, "省公路局");
	assert_string_equal(m->job, "科员");
	assert_null(m->remarks);

	m = &f->r.members[1];
	assert_int_equal(f->r.member_lines[1], 3);
	assert_string_equal(m->name, "李娜");
	assert_int_equal(m->gender, GENDER_FEMALE);
	assert_string_equal(m->ethnicity, "03");
	assert_int_equal(date_cmp(m->birth_date, (struct date){ 1988, 8, 15 }), 0);
	assert_null(m->phone);
	assert_int_equal(m->status, STATUS_PROBATIONARY);
	assert_int_equal(date_cmp(m->joined_on, (struct date){ 2026, 1, 5 }), 0);
	assert_false(date_is_set(m->full_member_on));
	assert_int_equal(m->org_id, 12); /* the default */
	assert_string_equal(m->work_unit, "省公路局,养护处");
	assert_string_equal(m->remarks, "备注\n第二行");
}

static void test_shuffled_english_unknown(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, "id_card,微信号,status,name,,joined_on,EDUCATION,category,ethnicity,"
			       "full_member_on,org,Remarks\n");
	strbuf_addstr(&f->csv, ID_A ",wx123,full,张三,,2015.07.01,硕士,retired,蒙古,2016-07-01,"
				    "第二党支部,\n");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nerrors, 0);
	assert_int_equal(f->r.nunknown, 1);
	assert_string_equal(f->r.unknown_columns[0], "微信号");
	assert_int_equal(f->r.nmembers, 1);
	assert_string_equal(f->r.members[0].name, "张三");
	assert_int_equal(f->r.members[0].status, STATUS_FULL);
	assert_int_equal(f->r.members[0].category, CAT_RETIRED);
	assert_string_equal(f->r.members[0].ethnicity, "02");
	assert_string_equal(f->r.members[0].education, education_by_name("硕士")->code);
	assert_int_equal(f->r.members[0].org_id, 12);
	/* no 性别/出生日期 columns: both come from the identity number */
	assert_int_equal(f->r.members[0].gender, GENDER_MALE);
	assert_int_equal(date_cmp(f->r.members[0].birth_date, (struct date){ 1990, 3, 7 }), 0);
}

static void test_missing_columns(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv,
		      "姓名,身份证号,人员类别,党员状态,入党时间\n张三," ID_A ",在职,正式党员,2015-07-01\n");
	assert_int_equal(run(f), -1);
	assert_int_equal(f->e.kind, ERR_VALIDATION);
	assert_string_equal(f->e.code, "import_invalid");
	assert_string_equal(f->e.message, "缺少必需的列：民族、学历");
}

static void test_duplicate_column(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, "姓名,民族,身份证号,学历,人员类别,党员状态,入党时间,name\n");
	assert_int_equal(run(f), -1);
	assert_non_null(strstr(f->e.message, "“姓名”列出现了两次"));
}

static void test_empty_and_header_only(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, "\xef\xbb\xbf\r\n");
	assert_int_equal(run(f), -1);
	assert_string_equal(f->e.code, "import_invalid");
	err_clear(&f->e);
	strbuf_reset(&f->csv);
	strbuf_addstr(&f->csv, header);
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.total_rows, 0);
	assert_int_equal(f->r.nmembers, 0);
}

static void test_title_row_and_blank_rows(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, "党员信息表,,,\r\n");
	strbuf_addstr(&f->csv, header);
	add_row(&f->csv, 1, -1, NULL);
	strbuf_addstr(&f->csv, ",,,,,,\r\n\r\n");
	add_row(&f->csv, 3, MCOL_GENDER, "男的");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.total_rows, 2);
	assert_int_equal(f->r.nmembers, 1);
	assert_int_equal(f->r.member_lines[0], 3);
	assert_int_equal(f->r.ninvalid_rows, 1);
	assert_int_equal(f->r.nerrors, 1);
	assert_error(f, 6, "性别", "性别“男的”无法识别");
}

/* --------------------------------------------------------------- row errors */

static void test_each_row_error(void **state)
{
	struct fx *f = *state;
	int seq = 1;

	strbuf_addstr(&f->csv, header);
	add_row(&f->csv, seq += 2, MCOL_GENDER, "未知");                /* line 2 */
	add_row(&f->csv, seq += 2, MCOL_ETHNICITY, "火星族");           /* 3 */
	add_row(&f->csv, seq += 2, MCOL_BIRTH_DATE, "1990-13-01");      /* 4 */
	add_row(&f->csv, seq += 2, MCOL_ID_CARD, "320106199003071235"); /* 5 */
	add_row(&f->csv, seq += 2, MCOL_EDUCATION, "幼儿园");           /* 6 */
	add_row(&f->csv, seq += 2, MCOL_CATEGORY, "在编");              /* 7 */
	add_row(&f->csv, seq += 2, MCOL_STATUS, "积极分子");            /* 8 */
	add_row(&f->csv, seq += 2, MCOL_JOINED_ON, "昨天");             /* 9 */
	add_row(&f->csv, seq += 2, MCOL_ORG, "不存在的支部");           /* 10 */
	add_row(&f->csv, seq += 2, MCOL_PHONE, "12345");                /* 11 */
	add_row(&f->csv, seq += 2, MCOL_JOINED_ON, "2005-01-01");       /* 12: aged 14 */
	add_row(&f->csv, seq += 2, MCOL_ID_CARD, fx_stored_id);         /* 13 */
	add_row(&f->csv, seq += 2, MCOL_NAME, " ");                     /* 14 */
	add_row(&f->csv, seq += 2, MCOL_BIRTH_DATE, "1990-03-08");      /* 15 */
	add_row(&f->csv, seq += 2, MCOL_FULL_MEMBER_ON, "");            /* 16 */
	add_row(&f->csv, seq += 2, MCOL_GENDER, "女");                  /* 17 */
	add_row(&f->csv, seq += 2, MCOL_JOINED_ON, "2027-01-01");       /* 18 */
	add_row(&f->csv, seq += 2, -1, NULL);                           /* 19: valid */

	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.total_rows, 18);
	assert_int_equal(f->r.nmembers, 1);
	assert_int_equal(f->r.member_lines[0], 19);
	assert_int_equal(f->r.ninvalid_rows, 17);

	assert_error(f, 2, "性别", "性别“未知”无法识别");
	assert_error(f, 3, "民族", "民族“火星族”无法识别");
	assert_error(f, 4, "出生日期", "出生日期“1990-13-01”不是有效日期");
	assert_error(f, 5, "身份证号", "身份证号校验位错误");
	assert_error(f, 6, "学历", "学历“幼儿园”无法识别");
	assert_error(f, 7, "人员类别", "人员类别“在编”无法识别（可选：在职、离退休");
	assert_error(f, 8, "党员状态", "党员状态“积极分子”无法识别");
	assert_error(f, 9, "入党时间", "入党时间“昨天”不是有效日期");
	assert_error(f, 10, "所在党组织", "找不到党组织“不存在的支部”");
	assert_error(f, 11, "手机号", "手机号格式不正确");
	assert_error(f, 12, "入党时间", "年满18周岁");
	assert_error(f, 13, "身份证号", "系统中已有该身份证号的党员");
	assert_error(f, 14, "姓名", "姓名不能为空");
	assert_error(f, 15, "身份证号", "身份证号与出生日期不一致");
	assert_error(f, 16, "转正时间", "正式党员须填写转正时间");
	assert_error(f, 17, "身份证号", "身份证号与性别不一致");
	assert_error(f, 18, "入党时间", "不能晚于今天");
	/* one message per bad cell: line 4 has no second 出生日期 error from validation */
	for (int line = 2; line <= 18; line++) {
		int n = 0;

		for (size_t i = 0; i < f->r.nerrors; i++)
			n += f->r.errors[i].line == line;
		assert_int_equal(n, 1);
	}
	/* errors come in line order */
	for (size_t i = 1; i < f->r.nerrors; i++)
		assert_true(f->r.errors[i - 1].line <= f->r.errors[i].line);
}

static void test_several_errors_in_one_row(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, "民族,姓名,学历,身份证号,人员类别,党员状态,入党时间\n");
	strbuf_addstr(&f->csv, "外星,,小学,123,在职,正式,\n");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nmembers, 0);
	assert_error(f, 2, "民族", "民族“外星”无法识别");
	assert_error(f, 2, "姓名", "姓名不能为空");
	assert_error(f, 2, "身份证号", "身份证号");
	assert_error(f, 2, "入党时间", "入党时间不能为空");
	assert_null(find_error(f, 2, "学历"));
	assert_null(find_error(f, 2, "党员状态")); /* 正式 = 正式党员 */
}

static void test_duplicate_in_file(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, header);
	add_row(&f->csv, 123, -1, NULL);                      /* line 2: 320106199003071234 */
	add_row(&f->csv, 5, -1, NULL);                        /* 3 */
	add_row(&f->csv, 7, MCOL_ID_CARD, "320106900307123"); /* 4: the same number, 15-digit form */
	add_row(&f->csv, 5, -1, NULL);                        /* 5: same as line 3 */
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nmembers, 2);
	assert_error(f, 4, "身份证号", "与第2行身份证号重复");
	assert_error(f, 5, "身份证号", "与第3行身份证号重复");
	assert_null(find_error(f, 2, "身份证号"));
}

static void test_15_digit(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, header);
	add_row(&f->csv, 1, MCOL_ID_CARD, "320106900307123");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nmembers, 1);
	assert_string_equal(f->r.members[0].id_card, ID_A);

	f->o.allow_15 = false;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nmembers, 0);
	assert_non_null(find_error(f, 2, "身份证号"));
}

static void test_derived_and_lenient_values(void **state)
{
	struct fx *f = *state;
	char id_b[19];

	strbuf_addstr(&f->csv, header);
	/* empty 性别 and 出生日期, 身份证号 with lower-case x and spaces, English enum values */
	strbuf_addf(&f->csv,
		    "王芳,,维吾尔,,  %s ,大专,010-12345678,,student,probationary,2025/12/1,,"
		    "第一党支部,,,\r\n",
		    fx_id("11010519980101002", id_b));
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nerrors, 0);
	assert_int_equal(f->r.members[0].gender, GENDER_FEMALE);
	assert_int_equal(date_cmp(f->r.members[0].birth_date, (struct date){ 1998, 1, 1 }), 0);
	assert_string_equal(f->r.members[0].ethnicity, "05");
	assert_string_equal(f->r.members[0].education, education_by_name("大专")->code);
	assert_int_equal(f->r.members[0].category, CAT_STUDENT);
	assert_int_equal(f->r.members[0].org_id, 11);
	assert_string_equal(f->r.members[0].phone, "010-12345678");
}

static void test_org_default_and_cache(void **state)
{
	struct fx *f = *state;

	strbuf_addstr(&f->csv, header);
	for (int i = 0; i < 5; i++)
		add_row(&f->csv, 2 * i + 1, -1, NULL);
	add_row(&f->csv, 21, MCOL_ORG, "");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nmembers, 6);
	assert_int_equal(f->calls, 1); /* the same text is resolved once */
	assert_int_equal(f->r.members[5].org_id, 12);

	f->o.default_org_id = 0;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->r.nmembers, 5);
	assert_error(f, 7, "所在党组织", "所在党组织为空");
}

/* Dates from .xlsx cells: date-formatted serials and plain numbers in date columns. */
static void test_excel_date_cells(void **state)
{
	struct fx *f = *state;
	struct table t;
	struct table_row *row;
	const char *hdr[] = { "姓名",     "民族",     "身份证号", "学历",    "人员类别",
			      "党员状态", "入党时间", "转正时间", "出生日期" };
	const char *val[] = { "张三", "汉", ID_A, "本科", "在职", "正式党员" };
	double joined = (double)date_to_days((struct date){ 2015, 7, 1 }) + 25569;

	table_init(&t, f->a);
	row = table_add_row(&t, 1);
	for (size_t i = 0; i < ARRAY_SIZE(hdr); i++)
		table_append_text(&t, row, hdr[i], strlen(hdr[i]));
	row = table_add_row(&t, 2);
	for (size_t i = 0; i < ARRAY_SIZE(val); i++)
		table_append_text(&t, row, val[i], strlen(val[i]));
	table_set_number(&t, row, 6, joined, CELL_DATE);
	table_set_number(&t, row, 7, joined + 366, CELL_NUMBER); /* 2016-07-01 */
	table_set_number(&t, row, 8, 19900307, CELL_NUMBER);     /* YYYYMMDD typed as a number */
	assert_int_equal(member_import_table(&t, &f->o, f->a, &f->r, &f->e), 0);
	assert_int_equal(f->r.nerrors, 0);
	assert_int_equal(date_cmp(f->r.members[0].joined_on, (struct date){ 2015, 7, 1 }), 0);
	assert_int_equal(date_cmp(f->r.members[0].full_member_on, (struct date){ 2016, 7, 1 }), 0);
	assert_int_equal(date_cmp(f->r.members[0].birth_date, (struct date){ 1990, 3, 7 }), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_column_lookup),
		cmocka_unit_test_setup_teardown(test_valid_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shuffled_english_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_header_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_title_row_and_blank_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_row_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_errors_in_one_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_in_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_15_digit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_derived_and_lenient_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_default_and_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_excel_date_cells, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
