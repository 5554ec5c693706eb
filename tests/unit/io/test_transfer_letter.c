/*
 * test_transfer_letter.c: tests for src/io/transfer_letter.c: the PDF's
 * shape (one A4 page, text as outlines, reproducible), the page drawn into
 * an image to check each part (存根, 介绍信, 回执) carries its ink and the
 * fields it must show, and refusals of incomplete letters.
 * TRANSFER_LETTER_KEEP=dir saves the PDF and a PNG there for a look.
 */
#include "util/common.h"
#include "io/transfer_letter.h"
#include "core/codes.h"
#include "util/err.h"

#include <cairo.h>
#include <setjmp.h>
#include <cmocka.h>

/* Bands of the page in points: the cut lines sit at 250 and 590 (transfer_letter.c). */
#define CUT1 250.0
#define CUT2 590.0
#define SCALE 2.0 /* pixels per point */

static struct transfer_letter sample(void)
{
	return (struct transfer_letter){
		.letter_no = "2026-000123",
		.member_name = "张如意",
		.gender = GENDER_FEMALE,
		.ethnicity = "01",
		.birth_date = { 1990, 6, 15 },
		.id_card = "11010519900615002X",
		.status = STATUS_FULL,
		.from_org = "中共示例省交通运输厅厅直机关委员会省公路局第一支部委员会",
		.to_org = "中共某市某区某街道某社区委员会",
		.issuer = "中共示例省交通运输厅厅直机关委员会",
		.dues_paid_to = "2026-05",
		.letter_on = { 2026, 6, 1 },
		.valid_until = { 2026, 8, 30 },
	};
}

/* ---------------------------------------------------------------- helpers */

struct image {
	cairo_surface_t *s;
	int w, h, stride;
	unsigned char *px;
};

static void keep(const char *name, const void *data, size_t len, cairo_surface_t *png)
{
	const char *dir = getenv("TRANSFER_LETTER_KEEP");
	char path[512];
	FILE *fp;

	if (!dir)
		return;
	if (data) {
		snprintf(path, sizeof(path), "%s/%s.pdf", dir, name);
		fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(data, 1, len, fp), len);
		fclose(fp);
	}
	if (png) {
		snprintf(path, sizeof(path), "%s/%s.png", dir, name);
		assert_int_equal(cairo_surface_write_to_png(png, path), CAIRO_STATUS_SUCCESS);
	}
}

/* Draws the letter on a white A4 image at SCALE; asserts the draw succeeded. */
static void render(const struct transfer_letter *l, struct image *img)
{
	struct err e = ERR_INIT;
	cairo_t *cr;

	img->w = (int)(TRANSFER_LETTER_PAGE_W * SCALE);
	img->h = (int)(TRANSFER_LETTER_PAGE_H * SCALE);
	img->s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->w, img->h);
	cr = cairo_create(img->s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, SCALE, SCALE);
	assert_int_equal(transfer_letter_draw(l, cr, &e), 0);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_flush(img->s);
	img->stride = cairo_image_surface_get_stride(img->s);
	img->px = cairo_image_surface_get_data(img->s);
	err_release(&e);
}

static void image_free(struct image *img)
{
	cairo_surface_destroy(img->s);
}

static bool dark(const struct image *img, int x, int y)
{
	uint32_t p = *(const uint32_t *)(img->px + (size_t)y * (size_t)img->stride + 4 * (size_t)x);

	return ((p >> 16) & 0xff) < 128 && ((p >> 8) & 0xff) < 128 && (p & 0xff) < 128;
}

/* Dark pixels between points y0 and y1 (whole width). */
static long ink(const struct image *img, double y0, double y1)
{
	long n = 0;

	for (int y = (int)(y0 * SCALE); y < (int)(y1 * SCALE) && y < img->h; y++)
		for (int x = 0; x < img->w; x++)
			n += dark(img, x, y);
	return n;
}

/* Pixels that differ between two renderings between points y0 and y1. */
static long diff(const struct image *a, const struct image *b, double y0, double y1)
{
	long n = 0;

	for (int y = (int)(y0 * SCALE); y < (int)(y1 * SCALE) && y < a->h; y++)
		n += memcmp(a->px + (size_t)y * (size_t)a->stride, b->px + (size_t)y * (size_t)b->stride,
			    (size_t)a->stride) != 0;
	return n;
}

/* The three parts, each without the cut lines and their labels (±8 points). */
enum part { STUB, LETTER, RECEIPT, NPARTS };
static const double part_y[NPARTS][2] = { { 0, CUT1 - 8 },
					  { CUT1 + 8, CUT2 - 8 },
					  { CUT2 + 8, TRANSFER_LETTER_PAGE_H } };

/* Counts page objects: "/Type /Page" not followed by "s" (that is the page tree). */
static int count_pages(const char *pdf, size_t len)
{
	static const char key[] = "/Type /Page";
	const char *s = pdf, *end = pdf + len;
	int n = 0;

	while ((s = memmem(s, (size_t)(end - s), key, sizeof(key) - 1))) {
		s += sizeof(key) - 1;
		if (s < end && *s != 's')
			n++;
	}
	return n;
}

static bool contains(const char *buf, size_t len, const char *needle)
{
	return memmem(buf, len, needle, strlen(needle)) != NULL;
}

/* ------------------------------------------------------------------ tests */

static void test_pdf_one_page(void **state)
{
	struct transfer_letter l = sample();
	struct err e = ERR_INIT;
	char *pdf = NULL, *again = NULL;
	size_t len = 0, again_len = 0;

	UNUSED(state);
	assert_int_equal(transfer_letter_pdf(&l, &pdf, &len, &e), 0);
	keep("letter", pdf, len, NULL);
	assert_non_null(pdf);
	assert_true(len > 2000);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_true(contains(pdf, len, "%%EOF"));
	assert_int_equal(count_pages(pdf, len), 1);
	/* A4 portrait */
	assert_true(contains(pdf, len, "/MediaBox [ 0 0 595.276 841.89 ]"));
	/* outlines, not an embedded font (cairo 1.16 blanks some CJK glyphs when subsetting) */
	assert_false(contains(pdf, len, "/FontFile"));
	/* dated by the letter, so the same letter gives the same bytes */
	assert_true(contains(pdf, len, "/CreationDate (20260601000000)"));
	assert_int_equal(transfer_letter_pdf(&l, &again, &again_len, &e), 0);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, pdf, len);
	free(again);
	free(pdf);
	err_release(&e);
}

static void test_each_part_has_ink(void **state)
{
	struct transfer_letter l = sample();
	struct image img;

	UNUSED(state);
	render(&l, &img);
	keep("letter", NULL, 0, img.s);
	for (int p = 0; p < NPARTS; p++)
		assert_true(ink(&img, part_y[p][0], part_y[p][1]) > 2000);
	/* the cut lines are drawn across the page, between the parts */
	assert_true(dark(&img, (int)(30 * SCALE), (int)(CUT1 * SCALE)) ||
		    dark(&img, (int)(30 * SCALE), (int)(CUT1 * SCALE) - 1));
	assert_true(dark(&img, (int)(30 * SCALE), (int)(CUT2 * SCALE)) ||
		    dark(&img, (int)(30 * SCALE), (int)(CUT2 * SCALE) - 1));
	image_free(&img);
}

/*
 * Which parts show a field: change only that field and see which parts
 * change. The number, the name and both organisations are on all three
 * (the receipt names the issuer, which defaults to the sending organisation,
 * and is sealed by the receiving one); the dues month, status and identity
 * number on the stub and the letter only.
 */
static void test_fields_in_parts(void **state)
{
	static const struct {
		const char *what;
		bool in[NPARTS];
	} cases[] = {
		{ "letter_no", { true, true, true } },    { "member_name", { true, true, true } },
		{ "to_org", { true, true, true } },       { "dues_paid_to", { true, true, false } },
		{ "status", { true, true, false } },      { "id_card", { true, true, false } },
		{ "valid_until", { true, true, false } }, { "from_org_no_issuer", { true, true, true } },
	};
	struct transfer_letter base = sample();
	struct image a, b;

	UNUSED(state);
	base.issuer = NULL;
	render(&base, &a);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct transfer_letter l = base;
		const char *w = cases[i].what;

		if (!strcmp(w, "letter_no"))
			l.letter_no = "2026-000124";
		else if (!strcmp(w, "member_name"))
			l.member_name = "张如愿";
		else if (!strcmp(w, "to_org"))
			l.to_org = "中共某市某区某街道另一社区委员会";
		else if (!strcmp(w, "dues_paid_to"))
			l.dues_paid_to = "2026-04";
		else if (!strcmp(w, "status"))
			l.status = STATUS_PROBATIONARY;
		else if (!strcmp(w, "id_card"))
			l.id_card = "110105199006150046";
		else if (!strcmp(w, "valid_until"))
			l.valid_until = (struct date){ 2026, 7, 1 };
		else
			l.from_org = "中共示例省交通运输厅厅直机关委员会省水运局第一支部委员会";
		render(&l, &b);
		for (int p = 0; p < NPARTS; p++) {
			long d = diff(&a, &b, part_y[p][0], part_y[p][1]);

			if (cases[i].in[p] != (d > 0))
				fail_msg("%s: part %d changed %ld rows", w, p, d);
		}
		image_free(&b);
	}
	image_free(&a);
}

/* A plain identity number never reaches the page: it is drawn exactly like its masked form. */
static void test_id_card_masked(void **state)
{
	struct transfer_letter plain = sample(), masked = sample();
	struct image a, b;

	UNUSED(state);
	masked.id_card = "110105********002X";
	render(&plain, &a);
	render(&masked, &b);
	assert_int_equal(diff(&a, &b, 0, TRANSFER_LETTER_PAGE_H), 0);
	image_free(&a);
	image_free(&b);
}

/* Writes `s` n times into buf (big enough) and a NUL. */
static void repeat(char *buf, const char *s, int n)
{
	size_t k = strlen(s);

	for (int i = 0; i < n; i++)
		memcpy(buf + (size_t)i * k, s, k);
	buf[(size_t)n * k] = 0;
}

/* Fields at their longest stay inside their parts: the rows beside the cut lines stay blank. */
static void test_longest_fits(void **state)
{
	struct transfer_letter l = sample();
	char name[61] = "", org[121] = "", org2[121] = "";
	struct image img;
	struct err e = ERR_INIT;
	char *pdf = NULL;
	size_t len = 0;

	UNUSED(state);
	repeat(name, "龘", 20);
	repeat(org, "囍", 40);
	repeat(org2, "鬱", 40);
	l.member_name = name;
	l.from_org = org;
	l.to_org = org2;
	l.issuer = org;
	l.ethnicity = "柯尔克孜族";
	render(&l, &img);
	keep("letter-longest", NULL, 0, img.s);
	assert_int_equal(ink(&img, CUT1 - 13, CUT1 - 7), 0);
	assert_int_equal(ink(&img, CUT1 + 7, CUT1 + 16), 0);
	assert_int_equal(ink(&img, CUT2 - 13, CUT2 - 7), 0);
	assert_int_equal(ink(&img, CUT2 + 7, CUT2 + 16), 0);
	assert_int_equal(ink(&img, TRANSFER_LETTER_PAGE_H - 30, TRANSFER_LETTER_PAGE_H), 0);
	image_free(&img);
	assert_int_equal(transfer_letter_pdf(&l, &pdf, &len, &e), 0);
	assert_int_equal(count_pages(pdf, len), 1);
	free(pdf);
	err_release(&e);
}

/* Optional fields missing leave blanks; the letter is still made. */
static void test_optional_blank(void **state)
{
	struct transfer_letter l = sample();
	struct err e = ERR_INIT;
	char *pdf = NULL;
	size_t len = 0;

	UNUSED(state);
	l.gender = 0;
	l.ethnicity = NULL;
	l.birth_date = DATE_NONE;
	l.id_card = NULL;
	l.issuer = NULL;
	l.dues_paid_to = NULL;
	assert_int_equal(transfer_letter_pdf(&l, &pdf, &len, &e), 0);
	assert_false(err_is_set(&e));
	assert_int_equal(count_pages(pdf, len), 1);
	free(pdf);
	err_release(&e);
}

static void expect_refused(const struct transfer_letter *l, const char *field)
{
	struct err e = ERR_INIT;
	char *pdf = (char *)"untouched";
	size_t len = 99;

	assert_int_equal(transfer_letter_pdf(l, &pdf, &len, &e), -1);
	assert_null(pdf);
	assert_int_equal(len, 0);
	assert_int_equal(e.kind, ERR_VALIDATION);
	assert_string_equal(e.code, "validation_failed");
	if (!err_field_message(&e, field))
		fail_msg("no field error for %s", field);
	err_release(&e);
}

static void test_bad_input(void **state)
{
	struct transfer_letter l;
	struct err e = ERR_INIT;
	cairo_surface_t *s;
	cairo_t *cr;

	UNUSED(state);
	l = sample(), l.letter_no = NULL, expect_refused(&l, "letter_no");
	l = sample(), l.letter_no = "", expect_refused(&l, "letter_no");
	l = sample(), l.member_name = NULL, expect_refused(&l, "member_name");
	l = sample(), l.member_name = "\xff\xfe", expect_refused(&l, "member_name");
	l = sample(), l.from_org = "", expect_refused(&l, "from_org");
	l = sample(), l.to_org = NULL, expect_refused(&l, "to_org");
	l = sample(), l.status = 0, expect_refused(&l, "status");
	l = sample(), l.letter_on = DATE_NONE, expect_refused(&l, "letter_on");
	l = sample(), l.valid_until = DATE_NONE, expect_refused(&l, "valid_until");
	l = sample(), l.valid_until = (struct date){ 2026, 5, 31 }, expect_refused(&l, "valid_until");
	l = sample(), l.dues_paid_to = "2026-13", expect_refused(&l, "dues_paid_to");
	l = sample(), l.dues_paid_to = "2026年5月", expect_refused(&l, "dues_paid_to");
	l = sample(), l.gender = 7, expect_refused(&l, "gender");
	l = sample(), l.birth_date = (struct date){ 2026, 6, 2 }, expect_refused(&l, "birth_date");
	{
		char longname[62];

		memset(longname, 'a', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = 0;
		l = sample(), l.member_name = longname, expect_refused(&l, "member_name");
	}

	/* drawing refuses too, and draws nothing */
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cr = cairo_create(s);
	l = sample(), l.member_name = NULL;
	assert_int_equal(transfer_letter_draw(&l, cr, &e), -1);
	assert_int_equal(e.kind, ERR_VALIDATION);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	err_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_one_page),    cmocka_unit_test(test_each_part_has_ink),
		cmocka_unit_test(test_fields_in_parts), cmocka_unit_test(test_id_card_masked),
		cmocka_unit_test(test_longest_fits),    cmocka_unit_test(test_optional_blank),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
