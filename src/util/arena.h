/*
 * arena.h: a region allocator. One arena lives for one request (or one
 * command); everything allocated from it is released at once by
 * arena_free(). Library objects that need their own destructor (a jansson
 * value, a prepared statement) join the arena as cleanups, which run in
 * reverse order of registration (nginx ngx_pool_cleanup_add).
 *
 * Not thread-safe: an arena belongs to one thread at a time.
 */
#ifndef DJ_ARENA_H
#define DJ_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Runs the cleanups, then frees every block and the arena itself. NULL is ok. */
void arena_free(struct arena *a);

/* Memory aligned for any type; never NULL (aborts when out of memory). */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Makes room for one more element in an arena array: when *n == *cap the
 * array moves to a block twice as large (the old one stays in the arena).
 * Returns the array.
 */
void *arena_grow(struct arena *a, void *array, size_t elem_size, size_t n, size_t *cap);

/* Registers fn(data) to run when the arena is freed. */
void arena_cleanup(struct arena *a, void (*fn)(void *), void *data);

/* Bytes handed out so far (for tests and statistics). */
size_t arena_used(const struct arena *a);

#endif
