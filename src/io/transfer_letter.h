/*
 * transfer_letter.h: the printable introduction letter of a transfer
 * (党员组织关系介绍信, RULES.md XFER-05) as a one-page A4 PDF in three parts
 * separated by cut lines: 存根 (stub, kept by the issuer), 介绍信 (the letter
 * the member carries) and 回执 (the receipt the final receiving committee
 * sends back). Pure of the database: the caller passes what it has loaded.
 */
#ifndef DJ_IO_TRANSFER_LETTER_H
#define DJ_IO_TRANSFER_LETTER_H

#include <stddef.h>

#include "core/date.h"

struct err;
typedef struct _cairo cairo_t;

/*
 * Every pointer is borrowed for the call. "Required" fields missing make
 * the call fail with ERR_VALIDATION (nothing rendered); optional ones left
 * NULL/zero print as a blank line to fill in by hand, as on the paper form.
 */
struct transfer_letter {
	const char *letter_no;   /* required: "2026-000123", printed on all three parts */
	const char *member_name; /* required */
	int gender;              /* enum gender (core/codes.h); 0 blank */
	const char *ethnicity;   /* GB/T 3304 code ("01") or a name ("汉族"); NULL blank */
	struct date birth_date;  /* age on letter_on (RULES.md C-07); unset blank */
	/*
	 * 身份证号. The letter always shows the masked form 110105********002X
	 * (DESIGN.md): a full 18-character number given here is masked before
	 * it is drawn, a masked one is drawn as it is, so a PDF never carries
	 * the plain number whoever asked for it. NULL blank.
	 */
	const char *id_card;
	int status;               /* required: enum member_status, 正式/预备党员 */
	const char *from_org;     /* required: sending organisation's full name (由…) */
	const char *to_org;       /* required: receiving organisation's full name (去…, the addressee) */
	const char *issuer;       /* organisation that issues and seals; NULL = from_org */
	const char *dues_paid_to; /* month dues are paid up to, "YYYY-MM"; NULL blank, another form invalid */
	struct date letter_on;    /* required: date of issue */
	struct date
		valid_until; /* required: 有效期至, not before letter_on; days = valid_until - letter_on */
};

/*
 * Renders the letter into a new malloc'd buffer: *out (caller frees with
 * free()) of *len bytes, a one-page A4 portrait PDF whose text is drawn as
 * outlines in "Noto Sans CJK SC" (see dues_publicity.c for why). The PDF's
 * dates come from letter_on, so the same letter gives the same bytes.
 * Returns 0; or -1 with *out NULL and *len 0 and `e` set: ERR_VALIDATION
 * (code "validation_failed", a field error per missing or bad field) for bad
 * input, ERR_INTERNAL when cairo fails.
 */
int transfer_letter_pdf(const struct transfer_letter *l, char **out, size_t *len, struct err *e);

/*
 * Draws the same page on any cairo context whose user unit is the point
 * (A4 = 595.28 x 841.89; scale first for an image surface), without
 * cairo_show_page(). Tests use it to render to an image. Returns 0, or -1
 * with ERR_VALIDATION in `e` for bad input (nothing drawn).
 */
int transfer_letter_draw(const struct transfer_letter *l, cairo_t *cr, struct err *e);

/* A4 in points, for callers of transfer_letter_draw(). */
#define TRANSFER_LETTER_PAGE_W 595.276
#define TRANSFER_LETTER_PAGE_H 841.89

#endif
