/*
 * json_alloc.h: routes jansson's allocations into the current request's
 * arena (DESIGN.md: "keep allocations per request in the arena"). While a
 * thread has an arena bound, every JSON value it builds or parses comes
 * from that arena and json_decref frees nothing; the arena releases it all
 * at once. Without a bound arena jansson uses malloc as usual.
 *
 * Rule: a JSON value built while an arena is bound must not outlive it.
 */
#ifndef DJ_JSON_ALLOC_H
#define DJ_JSON_ALLOC_H

struct arena;

/* Installs the allocator into jansson; call once at startup before any JSON is made. */
void json_alloc_install(void);
/* Binds (or with NULL unbinds) this thread's current arena. */
void json_alloc_bind(struct arena *a);

#endif
