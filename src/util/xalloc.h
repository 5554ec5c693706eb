/*
 * xalloc.h: allocation that never returns NULL. Running out of memory
 * prints the size asked for and aborts (tmux xmalloc.c): a server can do
 * nothing useful without memory, so callers need no error path for it.
 */
#ifndef DJ_XALLOC_H
#define DJ_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new heap string formatted like printf; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
