/*
 * transfer_letter.c: the introduction letter of a transfer (XFER-05) on one
 * A4 page: 存根, 介绍信 and 回执 in fixed bands separated by dashed cut
 * lines, laid out with pango (Noto Sans CJK SC) and drawn by cairo as
 * outlines, like dues_publicity.c. Filled-in values are underlined, as on
 * the printed form; values not given are left as underlined blanks.
 */
#include "util/common.h"
#include "io/transfer_letter.h"
#include "core/codes.h"
#include "core/idcard.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define PAGE_W TRANSFER_LETTER_PAGE_W
#define PAGE_H TRANSFER_LETTER_PAGE_H
#define MARGIN_X 56.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define FONT_FAMILY "Noto Sans CJK SC"

/*
 * The three bands (points from the top). The limits on the input lengths
 * below keep the longest text inside its band; the test fills every field
 * to the limit and checks the cut lines stay clear.
 */
#define STUB_TOP 40.0
#define CUT1_Y 250.0
#define LETTER_TOP (CUT1_Y + 18)
#define CUT2_Y 590.0
#define RECEIPT_TOP (CUT2_Y + 18)
#define RECEIPT_BOTTOM (PAGE_H - 36.0)

#define MAX_NAME 60 /* bytes: 20 CJK characters */
#define MAX_ORG 120 /* bytes: 40 CJK characters */
#define MAX_SHORT 40

/* ------------------------------------------------------------ validation */

static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= max && g_utf8_validate(s, (gssize)n, NULL);
}

static bool optional_ok(const char *s, size_t max)
{
	return !s || !*s || text_ok(s, max);
}

/* "YYYY-MM" with a real month; sets *y, *m. */
static bool month_parse(const char *s, int *y, int *m)
{
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s);
	*m = atoi(s + 5);
	return *y >= 1900 && *m >= 1 && *m <= 12;
}

static int check(const struct transfer_letter *l, struct err *e)
{
	int y, m;

	if (!text_ok(l->letter_no, MAX_SHORT))
		err_field(e, "letter_no", "缺少介绍信编号");
	if (!text_ok(l->member_name, MAX_NAME))
		err_field(e, "member_name", "缺少党员姓名");
	if (l->status != STATUS_PROBATIONARY && l->status != STATUS_FULL)
		err_field(e, "status", "党员状态须为正式党员或预备党员");
	if (!text_ok(l->from_org, MAX_ORG))
		err_field(e, "from_org", "缺少转出党组织全称");
	if (!text_ok(l->to_org, MAX_ORG))
		err_field(e, "to_org", "缺少接收党组织全称");
	if (!optional_ok(l->issuer, MAX_ORG))
		err_field(e, "issuer", "开具介绍信的党组织名称无效");
	if (!optional_ok(l->ethnicity, MAX_SHORT))
		err_field(e, "ethnicity", "民族无效");
	if (!optional_ok(l->id_card, MAX_SHORT))
		err_field(e, "id_card", "身份证号无效");
	if (l->gender != GENDER_NONE && l->gender != GENDER_MALE && l->gender != GENDER_FEMALE)
		err_field(e, "gender", "性别无效");
	if (l->dues_paid_to && *l->dues_paid_to && !month_parse(l->dues_paid_to, &y, &m))
		err_field(e, "dues_paid_to", "党费缴纳月份须为 YYYY-MM");
	if (!date_is_set(l->letter_on))
		err_field(e, "letter_on", "缺少开具日期");
	if (!date_is_set(l->valid_until))
		err_field(e, "valid_until", "缺少有效期");
	else if (date_is_set(l->letter_on) && date_cmp(l->valid_until, l->letter_on) < 0)
		err_field(e, "valid_until", "有效期不能早于开具日期");
	if (date_is_set(l->birth_date) && date_is_set(l->letter_on) &&
	    date_cmp(l->birth_date, l->letter_on) >= 0)
		err_field(e, "birth_date", "出生日期须早于开具日期");
	return err_is_set(e) ? -1 : 0;
}

/* ------------------------------------------------------------ the wording */

/* Blank to fill in by hand: full-width spaces, underlined by the caller. */
#define BLANK "\u3000\u3000\u3000\u3000"

/* Appends `s` escaped for pango markup, underlined; NULL or "" is a blank. */
static void add_value(struct strbuf *sb, const char *s)
{
	char *esc;

	if (!s || !*s) {
		strbuf_addstr(sb, "<u>" BLANK "</u>");
		return;
	}
	esc = g_markup_escape_text(s, -1);
	strbuf_addf(sb, "<u>\u2002%s\u2002</u>", esc);
	g_free(esc);
}

static void add_date(struct strbuf *sb, struct date d)
{
	if (!date_is_set(d))
		strbuf_addstr(sb, "\u3000\u3000年\u3000\u3000月\u3000\u3000日");
	else
		strbuf_addf(sb, "%d年%d月%d日", d.y, d.m, d.d);
}

/* What the three parts say, computed once. */
struct words {
	const char *gender, *ethnicity, *status, *issuer;
	char age[16], id_card[48], dues[32], days[16];
	struct date valid_until;
};

static void words_init(const struct transfer_letter *l, struct words *w)
{
	const struct code_entry *eth = NULL;
	char masked[19];
	int y, m;

	memset(w, 0, sizeof(*w));
	w->gender = l->gender ? enum_label(gender_enum, l->gender) : NULL;
	if (l->ethnicity && *l->ethnicity) {
		eth = ethnicity_by_code(l->ethnicity);
		if (!eth)
			eth = ethnicity_by_name(l->ethnicity);
		w->ethnicity = eth ? eth->name : l->ethnicity;
	}
	w->status = l->status == STATUS_FULL ? "正式" : "预备";
	w->issuer = l->issuer && *l->issuer ? l->issuer : l->from_org;
	if (date_is_set(l->birth_date))
		snprintf(w->age, sizeof(w->age), "%d", date_age_on(l->birth_date, l->letter_on));
	if (l->id_card && *l->id_card) {
		/* a plain number is masked here; anything else (already masked) is shown as given */
		if (strlen(l->id_card) == 18 && !strchr(l->id_card, '*')) {
			idcard_mask(l->id_card, masked);
			snprintf(w->id_card, sizeof(w->id_card), "%s", masked);
		} else {
			snprintf(w->id_card, sizeof(w->id_card), "%s", l->id_card);
		}
	}
	if (l->dues_paid_to && month_parse(l->dues_paid_to, &y, &m))
		snprintf(w->dues, sizeof(w->dues), "%d年%d月", y, m);
	snprintf(w->days, sizeof(w->days), "%ld", date_to_days(l->valid_until) - date_to_days(l->letter_on));
	w->valid_until = l->valid_until;
}

/* "张三同志（男，35岁，汉族），系中共正式党员，身份证号码……，" */
static void add_person(struct strbuf *sb, const struct transfer_letter *l, const struct words *w)
{
	add_value(sb, l->member_name);
	strbuf_addstr(sb, "同志（");
	add_value(sb, w->gender);
	strbuf_addstr(sb, "，");
	add_value(sb, w->age);
	strbuf_addstr(sb, "岁，");
	add_value(sb, w->ethnicity);
	strbuf_addstr(sb, "），系中共");
	add_value(sb, w->status);
	strbuf_addstr(sb, "党员，身份证号码");
	add_value(sb, w->id_card);
	strbuf_addstr(sb, "，");
}

static void add_validity(struct strbuf *sb, const struct words *w)
{
	strbuf_addstr(sb, "（有效期");
	add_value(sb, w->days);
	strbuf_addstr(sb, "天，至");
	add_date(sb, w->valid_until);
	strbuf_addstr(sb, "）");
}

static void add_dues(struct strbuf *sb, const struct words *w)
{
	strbuf_addstr(sb, "党费已交到");
	if (w->dues[0])
		add_value(sb, w->dues);
	else
		strbuf_addstr(sb, "<u>\u3000\u3000</u>年<u>\u3000\u3000</u>月");
	strbuf_addstr(sb, "。");
}

/* ---------------------------------------------------------------- drawing */

struct page {
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *body, *title, *small;
};

/* Sets the layout to `markup` wrapped in `width`; returns its height in points. */
static double set_markup(struct page *p, const char *markup, double width, const PangoFontDescription *font,
			 PangoAlignment align)
{
	int w, h;

	pango_layout_set_font_description(p->lay, font);
	pango_layout_set_width(p->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, align);
	pango_layout_set_indent(p->lay, 0);
	pango_layout_set_markup(p->lay, markup, -1);
	pango_layout_get_size(p->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

/*
 * Text as outlines, not an embedded font subset: cairo 1.16 drops some CJK
 * glyphs when subsetting (see dues_publicity.c), and a letter must show
 * every name exactly.
 */
static void show_at(struct page *p, double x, double y)
{
	cairo_new_path(p->cr);
	cairo_move_to(p->cr, x, y);
	pango_cairo_layout_path(p->cr, p->lay);
	cairo_fill(p->cr);
}

/* Draws `markup` at (MARGIN_X, y) across the content width; returns the y below it. */
static double text(struct page *p, double y, const char *markup, const PangoFontDescription *font,
		   PangoAlignment align)
{
	double h = set_markup(p, markup, CONTENT_W, font, align);

	show_at(p, MARGIN_X, y);
	return y + h;
}

/* A paragraph with a two-character first-line indent; returns the y below it. */
static double para(struct page *p, double y, const char *markup)
{
	int w, h;

	set_markup(p, markup, CONTENT_W, p->body, PANGO_ALIGN_LEFT);
	pango_layout_set_indent(p->lay, 23 * PANGO_SCALE); /* two characters */
	pango_layout_get_size(p->lay, &w, &h);
	show_at(p, MARGIN_X, y);
	return y + (double)h / PANGO_SCALE + 4;
}

/* Title and "第 N 号" of a part; returns the y below them. */
static double heading(struct page *p, double y, const char *title, const char *no)
{
	struct strbuf sb = STRBUF_INIT;
	char *esc = g_markup_escape_text(no, -1);

	y = text(p, y, title, p->title, PANGO_ALIGN_CENTER) + 4;
	strbuf_addf(&sb, "第 <u>\u2002%s\u2002</u> 号", esc);
	y = text(p, y, sb.buf, p->body, PANGO_ALIGN_RIGHT) + 8;
	g_free(esc);
	strbuf_release(&sb);
	return y;
}

/*
 * The seal block, right-aligned: the organisation, then "（盖章）" and the
 * date on one line, with a dashed circle marking where the seal goes. It
 * ends at `bottom` when the text above (ending at `top`) leaves room, else
 * it follows the text. Returns the y below it.
 */
static double seal(struct page *p, double top, double bottom, const char *org, struct date on)
{
	struct strbuf sb = STRBUF_INIT;
	char *esc = g_markup_escape_text(org, -1);
	double h, y;

	strbuf_addf(&sb, "%s\n（盖章）\u3000", esc);
	add_date(&sb, on);
	h = set_markup(p, sb.buf, CONTENT_W, p->body, PANGO_ALIGN_RIGHT);
	y = bottom - h > top + 8 ? bottom - h : top + 8;
	show_at(p, MARGIN_X, y);

	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(p->cr, 0.6);
	cairo_set_dash(p->cr, (const double[]){ 3, 3 }, 2, 0);
	cairo_new_path(p->cr);
	cairo_arc(p->cr, MARGIN_X + CONTENT_W - 90, y + h / 2, 34, 0, 2 * G_PI);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
	g_free(esc);
	strbuf_release(&sb);
	return y + h;
}

/* A dashed cut line across the page with `label` centred in a gap. */
static void cut_line(struct page *p, double y, const char *label)
{
	PangoRectangle logical;
	double w, h;

	set_markup(p, label, PAGE_W, p->small, PANGO_ALIGN_LEFT);
	pango_layout_set_width(p->lay, -1); /* unwrapped: its own width */
	pango_layout_get_extents(p->lay, NULL, &logical);
	w = (double)logical.width / PANGO_SCALE;
	h = (double)logical.height / PANGO_SCALE;

	cairo_save(p->cr);
	cairo_set_line_width(p->cr, 0.7);
	cairo_set_dash(p->cr, (const double[]){ 6, 4 }, 2, 0);
	cairo_new_path(p->cr);
	cairo_move_to(p->cr, 18, y);
	cairo_line_to(p->cr, (PAGE_W - w) / 2 - 6, y);
	cairo_move_to(p->cr, (PAGE_W + w) / 2 + 6, y);
	cairo_line_to(p->cr, PAGE_W - 18, y);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
	show_at(p, (PAGE_W - w) / 2, y - h / 2);
}

static void stub(struct page *p, const struct transfer_letter *l, const struct words *w)
{
	struct strbuf sb = STRBUF_INIT;
	double y = heading(p, STUB_TOP, "党员组织关系介绍信（存根）", l->letter_no);

	add_person(&sb, l, w);
	strbuf_addstr(&sb, "组织关系由");
	add_value(&sb, l->from_org);
	strbuf_addstr(&sb, "转到");
	add_value(&sb, l->to_org);
	strbuf_addstr(&sb, "。");
	add_dues(&sb, w);
	add_validity(&sb, w);
	y = para(p, y, sb.buf);

	strbuf_setlen(&sb, 0);
	strbuf_addstr(&sb, "开具日期：");
	add_date(&sb, l->letter_on);
	text(p, y + 4 > CUT1_Y - 34 ? y + 4 : CUT1_Y - 34, sb.buf, p->body, PANGO_ALIGN_RIGHT);
	strbuf_release(&sb);
}

static void letter(struct page *p, const struct transfer_letter *l, const struct words *w)
{
	struct strbuf sb = STRBUF_INIT;
	double y = heading(p, LETTER_TOP, "中国共产党党员组织关系介绍信", l->letter_no);

	add_value(&sb, l->to_org);
	strbuf_addstr(&sb, "：");
	y = text(p, y, sb.buf, p->body, PANGO_ALIGN_LEFT) + 6;

	strbuf_setlen(&sb, 0);
	add_person(&sb, l, w);
	strbuf_addstr(&sb, "由");
	add_value(&sb, l->from_org);
	strbuf_addstr(&sb, "去");
	add_value(&sb, l->to_org);
	strbuf_addstr(&sb, "，请转接组织关系。");
	y = para(p, y, sb.buf);

	strbuf_setlen(&sb, 0);
	strbuf_addstr(&sb, "该同志");
	add_dues(&sb, w);
	y = para(p, y, sb.buf);

	strbuf_setlen(&sb, 0);
	add_validity(&sb, w);
	y = para(p, y, sb.buf);

	seal(p, y, CUT2_Y - 16, w->issuer, l->letter_on);
	strbuf_release(&sb);
}

static void receipt(struct page *p, const struct transfer_letter *l, const struct words *w)
{
	struct strbuf sb = STRBUF_INIT;
	double y = heading(p, RECEIPT_TOP, "党员组织关系介绍信回执", l->letter_no);

	add_value(&sb, w->issuer);
	strbuf_addstr(&sb, "：");
	y = text(p, y, sb.buf, p->body, PANGO_ALIGN_LEFT) + 6;

	strbuf_setlen(&sb, 0);
	add_value(&sb, l->member_name);
	strbuf_addstr(&sb, "同志的党员组织关系已转达我处，特此回执。");
	y = para(p, y, sb.buf);

	/* filled in by the receiving committee: no date printed */
	seal(p, y, RECEIPT_BOTTOM, l->to_org, DATE_NONE);
	strbuf_release(&sb);
}

static void draw(struct page *p, const struct transfer_letter *l)
{
	struct words w;
	struct strbuf no = STRBUF_INIT;
	char *esc = g_markup_escape_text(l->letter_no, -1);

	words_init(l, &w);
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	stub(p, l, &w);
	/* the number across the joint of stub and letter, where the 骑缝章 goes */
	strbuf_addf(&no, "✂ 骑缝　第 %s 号", esc);
	cut_line(p, CUT1_Y, no.buf);
	letter(p, l, &w);
	cut_line(p, CUT2_Y, "✂ 沿此线剪下，回执由接收党组织填写盖章后寄回");
	receipt(p, l, &w);
	cairo_restore(p->cr);
	g_free(esc);
	strbuf_release(&no);
}

/* ---------------------------------------------------------------- the API */

static void page_open(struct page *p, cairo_t *cr)
{
	p->cr = cr;
	p->lay = pango_cairo_create_layout(cr);
	/* pango assumes 96 dpi; the user unit is the point, so "11" must mean 11 pt */
	pango_cairo_context_set_resolution(pango_layout_get_context(p->lay), 72);
	pango_layout_context_changed(p->lay);
	pango_layout_set_spacing(p->lay, 3 * PANGO_SCALE);
	p->body = pango_font_description_from_string(FONT_FAMILY " 11.5");
	p->title = pango_font_description_from_string(FONT_FAMILY " Bold 16");
	p->small = pango_font_description_from_string(FONT_FAMILY " 9");
}

static void page_close(struct page *p)
{
	if (p->lay)
		g_object_unref(p->lay);
	if (p->body)
		pango_font_description_free(p->body);
	if (p->title)
		pango_font_description_free(p->title);
	if (p->small)
		pango_font_description_free(p->small);
}

int transfer_letter_draw(const struct transfer_letter *l, cairo_t *cr, struct err *e)
{
	struct page p = { .cr = NULL };

	if (check(l, e) < 0)
		return -1;
	page_open(&p, cr);
	draw(&p, l);
	page_close(&p);
	return 0;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int transfer_letter_pdf(const struct transfer_letter *l, char **out, size_t *len, struct err *e)
{
	struct strbuf buf = STRBUF_INIT, title = STRBUF_INIT;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	cairo_status_t st;
	char iso[32];
	int ret = -1;

	*out = NULL;
	*len = 0;
	if (check(l, e) < 0)
		return -1;
	surface = cairo_pdf_surface_create_for_stream(write_out, &buf, PAGE_W, PAGE_H);
	strbuf_addf(&title, "党员组织关系介绍信 第%s号", l->letter_no);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.buf);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "dangjian " DJ_VERSION);
	/* dated by the letter, not the clock: the same letter gives the same bytes */
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT00:00:00", l->letter_on.y, l->letter_on.m, l->letter_on.d);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, iso);
	cr = cairo_create(surface);
	if (transfer_letter_draw(l, cr, e) < 0)
		goto out;
	cairo_show_page(cr);
	cairo_surface_finish(surface);
	st = cairo_status(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		log_error("io", "cannot render transfer letter PDF: %s", cairo_status_to_string(st));
		err_set(e, ERR_INTERNAL, NULL, "生成党员组织关系介绍信 PDF 文件失败");
		goto out;
	}
	*out = strbuf_detach(&buf, len);
	ret = 0;
out:
	if (cr)
		cairo_destroy(cr);
	if (surface)
		cairo_surface_destroy(surface);
	strbuf_release(&buf);
	strbuf_release(&title);
	return ret;
}
