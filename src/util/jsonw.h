/*
 * jsonw.h: a streaming JSON writer into a strbuf (git's json-writer.h),
 * for replies on hot paths where building a jansson tree costs more than
 * the rest of the request. Escaping lives here and only here for writing.
 * Strings must be valid UTF-8 (everything stored was validated on input).
 *
 *	struct jsonw w = JSONW_INIT;
 *	jsonw_object_begin(&w);
 *	jsonw_kv_str(&w, "name", "张三");
 *	jsonw_object_end(&w);
 *	... w.sb holds {"name":"张三"}; strbuf_release(&w.sb) or strbuf_detach.
 */
#ifndef DJ_JSONW_H
#define DJ_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct strbuf sb;
	int depth;
	bool first[JSONW_MAX_DEPTH]; /* nothing written yet at this level */
	bool after_key;
};

#define JSONW_INIT \
	{ \
		.sb = STRBUF_INIT, .depth = 0, .after_key = false \
	}

void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
/* Values: NULL strings are written as null. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* Appends already-serialised JSON text as one value. */
void jsonw_raw(struct jsonw *w, const char *json, size_t len);

static inline void jsonw_kv_str(struct jsonw *w, const char *k, const char *v)
{
	jsonw_key(w, k);
	jsonw_str(w, v);
}
static inline void jsonw_kv_int(struct jsonw *w, const char *k, int64_t v)
{
	jsonw_key(w, k);
	jsonw_int(w, v);
}
static inline void jsonw_kv_bool(struct jsonw *w, const char *k, bool v)
{
	jsonw_key(w, k);
	jsonw_bool(w, v);
}
static inline void jsonw_kv_null(struct jsonw *w, const char *k)
{
	jsonw_key(w, k);
	jsonw_null(w);
}

/* Writes s as a JSON string literal (quotes included) into sb. */
void jsonw_escape(struct strbuf *sb, const char *s);

#endif
