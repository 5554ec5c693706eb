/*
 * common.h: included first by every .c file of dangjian.
 * Pulls in the standard headers nearly every file needs, the project-wide
 * helper macros, and banned.h (which forbids unsafe libc string functions).
 */
#ifndef DJ_COMMON_H
#define DJ_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) ((void)(x))

/* Programmer errors: abort with location (git BUG()). Never use on input. */
#define BUG(...) dj_bug(__FILE__, __LINE__, __VA_ARGS__)
void dj_bug(const char *file, int line, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));

#define DJ_VERSION "0.1.0"

#include "util/banned.h"

#endif
