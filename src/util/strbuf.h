/*
 * strbuf.h: growable byte strings, after git's strbuf.h.
 *
 * Invariants: `buf` is never NULL and always NUL-terminated at `buf[len]`;
 * STRBUF_INIT is a valid empty strbuf that owns no memory (buf points at a
 * shared empty string). strbuf_release() frees and re-initialises;
 * strbuf_detach() hands the buffer to the caller (who frees it with free())
 * and leaves the strbuf empty. Allocation failures abort (xalloc.h).
 */
#ifndef DJ_STRBUF_H
#define DJ_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

extern char strbuf_slopbuf[];

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

#define STRBUF_INIT \
	{ \
		.alloc = 0, .len = 0, .buf = strbuf_slopbuf \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Returns the buffer (caller frees); sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len_out);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen(sb, 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch_slow(struct strbuf *sb, int c);
/* Appends one byte; the common case (room left) stays inline. */
static inline void strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->alloc && sb->len + 1 < sb->alloc) {
		sb->buf[sb->len++] = (char)c;
		sb->buf[sb->len] = '\0';
		return;
	}
	strbuf_addch_slow(sb, c);
}
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* Removes ASCII white space at both ends. */
void strbuf_trim(struct strbuf *sb);

#endif
