/*
 * test_arena.c: unit tests for src/util/arena.c: alignment, no overlap
 * between allocations, big blocks, the string helpers, byte accounting and
 * cleanups (run once each, newest first, at arena_free). Cleanups free
 * memory from cmocka's test allocator, so a cleanup that does not run shows
 * up as a leak in the test that registered it.
 */
#include "util/common.h"
#include "util/arena.h"

#include <setjmp.h>
#include <cmocka.h>

static void test_alloc(void **state)
{
	struct arena *a = arena_new();
	unsigned char *p[500];

	UNUSED(state);
	assert_int_equal(arena_used(a), 0);
	/* Sizes 1..500 (125,250 bytes, over many blocks) are aligned and do not overlap. */
	for (int i = 0; i < 500; i++) {
		p[i] = arena_alloc(a, (size_t)i + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		memset(p[i], i & 0xFF, (size_t)i + 1);
	}
	for (int i = 0; i < 500; i++)
		for (int j = 0; j <= i; j++)
			assert_int_equal(p[i][j], i & 0xFF);
	assert_int_equal(arena_used(a), 500 * 501 / 2);
	arena_free(a);
}

static void test_zero_and_big(void **state)
{
	struct arena *a = arena_new();
	unsigned char *small1, *big, *small2, *z;
	void *zero1, *zero2;

	UNUSED(state);
	zero1 = arena_alloc(a, 0);
	zero2 = arena_alloc(a, 0);
	assert_non_null(zero1);
	assert_ptr_not_equal(zero1, zero2);

	small1 = arena_alloc(a, 32);
	big = arena_alloc(a, 100000);
	small2 = arena_alloc(a, 32);
	memset(small1, 1, 32);
	memset(big, 2, 100000);
	memset(small2, 3, 32);
	/* The big block did not retire the current one: small allocations stay adjacent. */
	assert_ptr_equal(small2, small1 + 32);
	assert_int_equal(big[0], 2);
	assert_int_equal(big[99999], 2);
	assert_int_equal(small1[31], 1);

	z = arena_zalloc(a, 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(z[i], 0);
	assert_int_equal(arena_used(a), 32 + 100000 + 32 + 1000);
	arena_free(a);
}

static void test_strings(void **state)
{
	struct arena *a = arena_new();
	const char *src = "党建在线";
	char *s;

	UNUSED(state);
	s = arena_strdup(a, src);
	assert_string_equal(s, src);
	assert_ptr_not_equal(s, src);
	assert_null(arena_strdup(a, NULL));
	s = arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	s = arena_strndup(a, "abc", 0);
	assert_string_equal(s, "");
	s = arena_printf(a, "%s-%05d", "id", 42);
	assert_string_equal(s, "id-00042");
	s = arena_printf(a, "%s", "");
	assert_string_equal(s, "");
	arena_free(a);
	arena_free(NULL);
}

static int order[8];
static int norder;

/* arena_grow keeps every element and doubles the capacity only when full. */
static void test_grow(void **state)
{
	struct arena *a = arena_new();
	size_t cap = 0, n;
	int *v = NULL;

	(void)state;
	for (n = 0; n < 100; n++) {
		v = arena_grow(a, v, sizeof(*v), n, &cap);
		assert_true(cap > n);
		v[n] = (int)n * 7;
	}
	assert_int_equal(cap, 128);
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], (int)n * 7);
	/* Room left: the same array comes back. */
	assert_ptr_equal(arena_grow(a, v, sizeof(*v), 100, &cap), v);
	arena_free(a);
}

static void record_cleanup(void *data)
{
	int *v = data;

	order[norder++] = *v;
	test_free(v);
}

static void test_cleanups(void **state)
{
	struct arena *a = arena_new();

	UNUSED(state);
	norder = 0;
	for (int i = 1; i <= 3; i++) {
		int *v = test_malloc(sizeof(*v));

		*v = i;
		arena_cleanup(a, record_cleanup, v);
	}
	assert_int_equal(norder, 0);
	arena_free(a);
	/* Each ran exactly once, newest first; cmocka checks the test_malloc blocks are freed. */
	assert_int_equal(norder, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);

	/* An arena with no cleanups and no blocks frees cleanly. */
	a = arena_new();
	arena_free(a);
	assert_int_equal(norder, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc),   cmocka_unit_test(test_zero_and_big),
		cmocka_unit_test(test_strings), cmocka_unit_test(test_cleanups),
		cmocka_unit_test(test_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
