/*
 * dues_publicity.c: the yearly dues publicity list (DUES-15) as .xlsx
 * (libxlsxwriter, through a temporary file as member_export.c does) and as
 * an A4 PDF (cairo + pango, Noto Sans CJK SC). Both share the text of every
 * cell, so the two files always say the same thing.
 */
#include "util/common.h"
#include "io/dues_publicity.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <fcntl.h>
#include <inttypes.h>
#include <unistd.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <xlsxwriter.h>

/* ------------------------------------------------------------ shared text */

enum { NCOLS = 7 };

static const char *const headers[NCOLS] = {
	"序号", "姓名", "所在党组织", "月缴纳标准（元）", "已缴月数", "已缴月份", "已缴金额（元）",
};

/* The text of one table line, every cell borrowed or pointing into the bufs. */
struct line_text {
	const char *cell[NCOLS];
	char seq[24], standard[24], months[16], paid[24], members[32];
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/*
 * Yuan with two decimals from fen by integer division, so 0.29 yuan is
 * never printed as 0.28. Works for the whole int64 range (abs through uint64).
 */
static const char *yuan_text(int64_t fen, char buf[static 24])
{
	uint64_t a = fen < 0 ? -(uint64_t)fen : (uint64_t)fen;

	snprintf(buf, 24, "%s%" PRIu64 ".%02u", fen < 0 ? "-" : "", a / 100, (unsigned)(a % 100));
	return buf;
}

static void row_text(const struct dues_publicity_row *r, size_t i, struct line_text *t)
{
	snprintf(t->seq, sizeof(t->seq), "%zu", i + 1);
	snprintf(t->months, sizeof(t->months), "%d", r->months_paid);
	t->cell[0] = t->seq;
	t->cell[1] = or_empty(r->name);
	t->cell[2] = or_empty(r->org_name);
	t->cell[3] = yuan_text(r->standard_fen, t->standard);
	t->cell[4] = t->months;
	t->cell[5] = or_empty(r->paid_months);
	t->cell[6] = yuan_text(r->paid_fen, t->paid);
}

/* The 合计 line; -1 when the sum leaves int64 (nonsense input, not a crash). */
static int total_text(const struct dues_publicity *p, struct line_text *t)
{
	int64_t sum = 0;

	for (size_t i = 0; i < p->n; i++)
		if (__builtin_add_overflow(sum, p->rows[i].paid_fen, &sum))
			return -1;
	snprintf(t->members, sizeof(t->members), "共 %zu 人", p->n);
	t->cell[0] = "合计";
	t->cell[1] = t->members;
	t->cell[2] = t->cell[3] = t->cell[4] = t->cell[5] = "";
	t->cell[6] = yuan_text(sum, t->paid);
	return 0;
}

static void title_text(const struct dues_publicity *p, struct strbuf *sb)
{
	strbuf_addf(sb, "%s党员%d年度党费收缴情况公示", p->title_org, p->year);
}

static void footer_text(const struct dues_publicity *p, struct strbuf *sb)
{
	/* U+3000 ideographic space between the two phrases */
	strbuf_addf(sb, "公示日期：%s\xe3\x80\x80如有异议请向党支部反映", p->generated_on);
}

static void check_args(const struct dues_publicity *p)
{
	if (!p || !p->title_org || !p->generated_on || (p->n && !p->rows))
		BUG("dues publicity without title, date or rows");
}

void dues_publicity_months_text(const int *months, size_t n, char *out, size_t cap)
{
	size_t len = 0, i = 0;
	int prev = 0; /* last month taken: skips repeats and unsorted stragglers */

	if (!cap)
		return;
	out[0] = '\0';
	while (i < n) {
		int first = months[i++], last;
		char part[24];
		int w;

		if (first < 1 || first > 12 || first <= prev)
			continue;
		last = first;
		while (i < n && (months[i] == last || months[i] == last + 1) && months[i] <= 12)
			last = months[i++];
		prev = last;
		if (last > first)
			w = snprintf(part, sizeof(part), "%s%d-%d月", len ? "、" : "", first, last);
		else
			w = snprintf(part, sizeof(part), "%s%d月", len ? "、" : "", first);
		if ((size_t)w >= cap - len)
			return; /* stop after the last whole part */
		memcpy(out + len, part, (size_t)w + 1);
		len += (size_t)w;
	}
}

/* ------------------------------------------------------------------- xlsx */

/* Appends the file at `path` to `out` (as member_export.c reads its workbook back). */
static int read_file(const char *path, struct strbuf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = -1;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r;

		strbuf_grow(out, 65536);
		r = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		strbuf_setlen(out, out->len + (size_t)r);
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

/* A sheet writer that keeps the first libxlsxwriter error, checked once at the end. */
struct sheet {
	lxw_worksheet *ws;
	lxw_error err;
};

static void put(struct sheet *s, size_t row, int col, const char *text, lxw_format *f)
{
	lxw_error r;

	if (*text)
		r = worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, text, f);
	else
		r = worksheet_write_blank(s->ws, (lxw_row_t)row, (lxw_col_t)col, f);
	if (r != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
		s->err = r;
}

static void merge(struct sheet *s, size_t row, const char *text, lxw_format *f)
{
	lxw_error r = worksheet_merge_range(s->ws, (lxw_row_t)row, 0, (lxw_row_t)row, NCOLS - 1, text, f);

	if (r != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
		s->err = r;
}

/* Bordered text cell formats for one alignment. */
static lxw_format *cell_format(lxw_workbook *wb, uint8_t align, bool bold)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_num_format(f, "@");
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f);
	if (bold)
		format_set_bold(f);
	return f;
}

/* Column alignment: 序号 and 已缴月数 centred, money right, text left. */
static const uint8_t xlsx_align[NCOLS] = {
	LXW_ALIGN_CENTER, LXW_ALIGN_LEFT, LXW_ALIGN_LEFT,  LXW_ALIGN_RIGHT,
	LXW_ALIGN_CENTER, LXW_ALIGN_LEFT, LXW_ALIGN_RIGHT,
};
static const double xlsx_width[NCOLS] = { 6, 12, 30, 17, 10, 22, 16 };

int dues_publicity_xlsx(const struct dues_publicity *p, struct strbuf *out, struct err *e)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb = NULL;
	struct sheet s = { .err = LXW_NO_ERROR };
	lxw_format *title, *head, *foot, *cell[NCOLS], *total[NCOLS];
	struct line_text t;
	size_t before = out->len, row;
	lxw_error lerr;
	int fd, ret = -1;
	bool made = false;

	check_args(p);
	if (total_text(p, &t) < 0) {
		log_error("io", "dues publicity total of %zu rows overflows", p->n);
		goto out;
	}
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	strbuf_addf(&path, "%s/dangjian-publicity-XXXXXX", tmpdir);
	fd = mkostemp(path.buf, O_CLOEXEC);
	if (fd < 0) {
		log_error("io", "cannot create temporary file '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	close(fd);
	made = true;
	wo.tmpdir = (char *)tmpdir;
	wb = workbook_new_opt(path.buf, &wo);
	if (!wb) {
		log_error("io", "cannot create workbook '%s'", path.buf);
		goto out;
	}
	s.ws = workbook_add_worksheet(wb, "党费公示");

	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 16);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	head = cell_format(wb, LXW_ALIGN_CENTER, true);
	format_set_bg_color(head, 0xD9D9D9);
	foot = workbook_add_format(wb);
	format_set_align(foot, LXW_ALIGN_LEFT);
	for (int c = 0; c < NCOLS; c++) {
		cell[c] = cell_format(wb, xlsx_align[c], false);
		total[c] = cell_format(wb, xlsx_align[c], true);
		worksheet_set_column(s.ws, (lxw_col_t)c, (lxw_col_t)c, xlsx_width[c], NULL);
	}
	worksheet_set_paper(s.ws, 9); /* A4 */
	worksheet_set_portrait(s.ws);
	worksheet_repeat_rows(s.ws, 1, 1);  /* the header row on every printed page */
	worksheet_fit_to_pages(s.ws, 1, 0); /* all columns on one page width */
	worksheet_set_footer(s.ws, "&C第 &P 页 / 共 &N 页");
	worksheet_freeze_panes(s.ws, 2, 0);

	/* constant-memory mode: rows must be written top to bottom */
	title_text(p, &text);
	worksheet_set_row(s.ws, 0, 30, NULL);
	merge(&s, 0, text.buf, title);
	for (int c = 0; c < NCOLS; c++)
		put(&s, 1, c, headers[c], head);
	row = 2;
	for (size_t i = 0; i < p->n; i++, row++) {
		struct line_text r;

		row_text(&p->rows[i], i, &r);
		for (int c = 0; c < NCOLS; c++)
			put(&s, row, c, r.cell[c], cell[c]);
	}
	for (int c = 0; c < NCOLS; c++)
		put(&s, row, c, t.cell[c], total[c]);
	strbuf_reset(&text);
	footer_text(p, &text);
	merge(&s, row + 1, text.buf, foot);
	if (s.err != LXW_NO_ERROR) {
		log_error("io", "cannot write publicity sheet: %s", lxw_strerror(s.err));
		goto out;
	}

	lerr = workbook_close(wb);
	wb = NULL;
	if (lerr != LXW_NO_ERROR) {
		log_error("io", "cannot write workbook '%s': %s", path.buf, lxw_strerror(lerr));
		goto out;
	}
	if (read_file(path.buf, out) < 0) {
		log_error("io", "cannot read back '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (ret < 0) {
		strbuf_setlen(out, before);
		err_set(e, ERR_INTERNAL, NULL, "生成党费公示 .xlsx 文件失败");
	}
	if (wb)
		workbook_close(wb);
	if (made)
		unlink(path.buf);
	strbuf_release(&text);
	strbuf_release(&path);
	return ret;
}

/* -------------------------------------------------------------------- PDF */

/* A4 portrait in points, 15 mm side margins. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 42.52
#define MARGIN_TOP 48.0
#define TABLE_BOTTOM (PAGE_H - 56.0) /* page number sits below */
#define PAGE_NO_Y (PAGE_H - 40.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define PAD_X 3.5
#define PAD_Y 3.0
#define RULE 0.6
#define FOOTER_GAP 8.0

#define FONT_FAMILY "Noto Sans CJK SC"

/* Points; 已缴金额 takes what is left of CONTENT_W. */
static const double pdf_width[NCOLS - 1] = { 34, 60, 130, 64, 50, 94 };
static const PangoAlignment pdf_align[NCOLS] = {
	PANGO_ALIGN_CENTER, PANGO_ALIGN_LEFT, PANGO_ALIGN_LEFT,  PANGO_ALIGN_RIGHT,
	PANGO_ALIGN_CENTER, PANGO_ALIGN_LEFT, PANGO_ALIGN_RIGHT,
};

struct pdf {
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *body, *bold, *title, *small;
	double x[NCOLS + 1]; /* column edges */
	int npages;          /* 0 while measuring: nothing is drawn */
	int page;
};

/* Sets the layout to `text` wrapped in `width` points; returns its height in points. */
static double set_text(struct pdf *d, const char *text, double width, const PangoFontDescription *font,
		       PangoAlignment align)
{
	int w, h;

	pango_layout_set_font_description(d->lay, font);
	pango_layout_set_width(d->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(d->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(d->lay, align);
	pango_layout_set_text(d->lay, text, -1);
	pango_layout_get_size(d->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

/*
 * Text is drawn as outlines, not as an embedded font: cairo 1.16 (Debian 12)
 * subsets Noto Sans CJK wrongly for some glyphs (如 came out blank), and a
 * publicity list must show every name exactly. The cost: the PDF's text is
 * not selectable.
 */
static void show_at(struct pdf *d, double x, double y)
{
	/* The caller may be building a path of cell borders: keep it out of the fill. */
	cairo_path_t *pending = cairo_copy_path(d->cr);

	cairo_new_path(d->cr);
	cairo_move_to(d->cr, x, y);
	pango_cairo_layout_path(d->cr, d->lay);
	cairo_fill(d->cr);
	cairo_append_path(d->cr, pending);
	cairo_path_destroy(pending);
}

/* Height of a table line: its tallest wrapped cell plus padding. */
static double line_height(struct pdf *d, const char *const cell[NCOLS], const PangoFontDescription *font,
			  bool centre)
{
	double h = 0;

	for (int c = 0; c < NCOLS; c++) {
		double ch = set_text(d, cell[c], d->x[c + 1] - d->x[c] - 2 * PAD_X, font,
				     centre ? PANGO_ALIGN_CENTER : pdf_align[c]);
		if (ch > h)
			h = ch;
	}
	return h + 2 * PAD_Y;
}

static void draw_line(struct pdf *d, double y, double h, const char *const cell[NCOLS],
		      const PangoFontDescription *font, bool header)
{
	if (!d->npages)
		return;
	if (header) {
		cairo_set_source_rgb(d->cr, 0.88, 0.88, 0.88);
		cairo_rectangle(d->cr, d->x[0], y, d->x[NCOLS] - d->x[0], h);
		cairo_fill(d->cr);
	}
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	for (int c = 0; c < NCOLS; c++) {
		double w = d->x[c + 1] - d->x[c];
		double th =
			set_text(d, cell[c], w - 2 * PAD_X, font, header ? PANGO_ALIGN_CENTER : pdf_align[c]);

		/* centred vertically: a wrapped cell makes its neighbours taller */
		show_at(d, d->x[c] + PAD_X, y + (h - th) / 2);
		cairo_rectangle(d->cr, d->x[c], y, w, h);
	}
	cairo_set_line_width(d->cr, RULE);
	cairo_stroke(d->cr);
}

/* Draws the header row at y; returns the y below it. */
static double header(struct pdf *d, double y)
{
	double h = line_height(d, headers, d->bold, true);

	draw_line(d, y, h, headers, d->bold, true);
	return y + h;
}

static void end_page(struct pdf *d)
{
	char no[64];

	if (d->npages) {
		snprintf(no, sizeof(no), "第 %d 页 / 共 %d 页", d->page, d->npages);
		set_text(d, no, CONTENT_W, d->small, PANGO_ALIGN_CENTER);
		show_at(d, MARGIN_X, PAGE_NO_Y);
		cairo_show_page(d->cr);
	}
	d->page++;
}

/*
 * Lays out the whole document, drawing only when d->npages is set; returns
 * the number of pages. Called twice, to count the pages for "共 M 页" and
 * then to draw, so both passes break pages at the same rows.
 */
static int layout(struct pdf *d, const struct dues_publicity *p, const struct line_text *total)
{
	struct strbuf title = STRBUF_INIT, foot = STRBUF_INIT;
	double y = MARGIN_TOP, h, tail;
	bool fresh = true; /* no data line yet on this page: never break before one */

	d->page = 1;
	title_text(p, &title);
	footer_text(p, &foot);
	/* the last member, 合计 and the footer stay together on the last page */
	tail = line_height(d, total->cell, d->bold, false) + FOOTER_GAP +
	       set_text(d, foot.buf, CONTENT_W, d->body, PANGO_ALIGN_LEFT);

	h = set_text(d, title.buf, CONTENT_W, d->title, PANGO_ALIGN_CENTER);
	if (d->npages)
		show_at(d, MARGIN_X, y);
	y = header(d, y + h + 10);
	for (size_t i = 0; i <= p->n; i++) {
		struct line_text r;
		const struct line_text *t = i < p->n ? &r : total;
		const PangoFontDescription *font = i < p->n ? d->body : d->bold;
		double need;

		if (i < p->n)
			row_text(&p->rows[i], i, &r);
		h = line_height(d, t->cell, font, false);
		need = i + 1 == p->n ? h + tail : i == p->n ? tail : h;
		if (y + need > TABLE_BOTTOM && !fresh) {
			end_page(d);
			y = header(d, MARGIN_TOP);
		}
		draw_line(d, y, h, t->cell, font, false);
		y += h;
		fresh = false;
	}

	y += FOOTER_GAP;
	set_text(d, foot.buf, CONTENT_W, d->body, PANGO_ALIGN_LEFT);
	if (d->npages)
		show_at(d, MARGIN_X, y);
	end_page(d);
	strbuf_release(&foot);
	strbuf_release(&title);
	return d->page - 1;
}

/* Warns once per call when fontconfig does not give us the CJK font. */
static void check_font(struct pdf *d)
{
	PangoFont *f = pango_context_load_font(pango_layout_get_context(d->lay), d->body);
	PangoFontDescription *got = f ? pango_font_describe(f) : NULL;
	const char *family = got ? pango_font_description_get_family(got) : NULL;

	if (!family || strcasecmp(family, FONT_FAMILY))
		log_warn("io", "font '%s' not found (got '%s'): install fonts-noto-cjk", FONT_FAMILY,
			 family ? family : "none");
	if (got)
		pango_font_description_free(got);
	if (f)
		g_object_unref(f);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* Sets the PDF dates from generated_on when it is YYYY-MM-DD, for reproducible files. */
static void set_date(cairo_surface_t *s, const char *day)
{
	char iso[32];

	for (int i = 0; i < 10; i++)
		if (!day[i] || ((i == 4 || i == 7) ? day[i] != '-' : (day[i] < '0' || day[i] > '9')))
			return;
	if (day[10])
		return;
	snprintf(iso, sizeof(iso), "%sT00:00:00", day);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
}

int dues_publicity_pdf(const struct dues_publicity *p, struct strbuf *out, struct err *e)
{
	struct pdf d = { .cr = NULL };
	struct strbuf title = STRBUF_INIT;
	cairo_surface_t *surface = NULL;
	cairo_status_t st;
	struct line_text total;
	size_t before = out->len;
	int ret = -1;

	check_args(p);
	if (total_text(p, &total) < 0) {
		log_error("io", "dues publicity total of %zu rows overflows", p->n);
		goto out;
	}
	surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	title_text(p, &title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.buf);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "dangjian " DJ_VERSION);
	set_date(surface, p->generated_on);
	d.cr = cairo_create(surface);
	d.lay = pango_cairo_create_layout(d.cr);
	/* pango assumes 96 dpi; the PDF's user unit is the point, so "10" must mean 10 pt */
	pango_cairo_context_set_resolution(pango_layout_get_context(d.lay), 72);
	pango_layout_context_changed(d.lay);
	d.body = pango_font_description_from_string(FONT_FAMILY " 10");
	d.bold = pango_font_description_from_string(FONT_FAMILY " Bold 10");
	d.title = pango_font_description_from_string(FONT_FAMILY " Bold 16");
	d.small = pango_font_description_from_string(FONT_FAMILY " 9");
	check_font(&d);
	d.x[0] = MARGIN_X;
	for (int c = 0; c < NCOLS - 1; c++)
		d.x[c + 1] = d.x[c] + pdf_width[c];
	d.x[NCOLS] = MARGIN_X + CONTENT_W;

	d.npages = 0;
	d.npages = layout(&d, p, &total);
	layout(&d, p, &total);
	cairo_surface_finish(surface);
	st = cairo_status(d.cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		log_error("io", "cannot render publicity PDF: %s", cairo_status_to_string(st));
		goto out;
	}
	ret = 0;
out:
	if (d.lay)
		g_object_unref(d.lay);
	if (d.body)
		pango_font_description_free(d.body);
	if (d.bold)
		pango_font_description_free(d.bold);
	if (d.title)
		pango_font_description_free(d.title);
	if (d.small)
		pango_font_description_free(d.small);
	if (d.cr)
		cairo_destroy(d.cr);
	if (surface)
		cairo_surface_destroy(surface);
	if (ret < 0) {
		strbuf_setlen(out, before);
		err_set(e, ERR_INTERNAL, NULL, "生成党费公示 PDF 文件失败");
	}
	strbuf_release(&title);
	return ret;
}
