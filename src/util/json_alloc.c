/*
 * json_alloc.c: jansson allocation functions that take memory from the
 * thread's bound arena, or from malloc when none is bound. A 16-byte header
 * before each block says which, so free() knows what to do.
 */
#include "util/common.h"
#include "util/json_alloc.h"
#include "util/arena.h"
#include "util/xalloc.h"

#include <jansson.h>

#define HDR 16
#define FROM_HEAP 0x68656170u  /* "heap" */
#define FROM_ARENA 0x6172656eu /* "aren" */

static _Thread_local struct arena *bound;

static void *j_malloc(size_t n)
{
	unsigned char *p;

	if (bound) {
		p = arena_alloc(bound, n + HDR);
		*(uint32_t *)p = FROM_ARENA;
	} else {
		p = xmalloc(n + HDR);
		*(uint32_t *)p = FROM_HEAP;
	}
	return p + HDR;
}

static void j_free(void *ptr)
{
	unsigned char *p;

	if (!ptr)
		return;
	p = (unsigned char *)ptr - HDR;
	if (*(uint32_t *)p == FROM_HEAP)
		free(p);
	else if (*(uint32_t *)p != FROM_ARENA)
		BUG("json_alloc: freeing a block it did not allocate");
}

void json_alloc_install(void)
{
	json_set_alloc_funcs(j_malloc, j_free);
}

void json_alloc_bind(struct arena *a)
{
	bound = a;
}
