/*
 * test_strbuf.c: unit tests for src/util/strbuf.c: the invariants of
 * strbuf.h (buf never NULL, NUL at buf[len], STRBUF_INIT owns nothing) and
 * that release and detach leave the strbuf empty again (git u-strbuf.c).
 */
#include "util/common.h"
#include "util/strbuf.h"

#include <setjmp.h>
#include <cmocka.h>

/* The state STRBUF_INIT describes: no memory owned, the shared empty string. */
static void assert_empty(const struct strbuf *sb)
{
	assert_int_equal(sb->alloc, 0);
	assert_int_equal(sb->len, 0);
	assert_ptr_equal(sb->buf, strbuf_slopbuf);
	assert_int_equal(sb->buf[0], '\0');
}

static void assert_sane(const struct strbuf *sb)
{
	assert_non_null(sb->buf);
	assert_true(sb->alloc == 0 || sb->len < sb->alloc);
	assert_int_equal(sb->buf[sb->len], '\0');
}

static void test_init(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	UNUSED(state);
	assert_empty(&sb);
	strbuf_release(&sb);
	assert_empty(&sb);

	strbuf_init(&sb, 0);
	assert_empty(&sb);
	strbuf_init(&sb, 100);
	assert_true(sb.alloc >= 101);
	assert_int_equal(sb.len, 0);
	assert_sane(&sb);
	strbuf_release(&sb);
	assert_empty(&sb);
	/* Releasing twice is harmless. */
	strbuf_release(&sb);
	assert_empty(&sb);
}

static void test_add(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	UNUSED(state);
	strbuf_addstr(&sb, "党建");
	assert_int_equal(sb.len, 6);
	assert_string_equal(sb.buf, "党建");
	assert_sane(&sb);
	strbuf_addch(&sb, '-');
	strbuf_add(&sb, "abcdef", 3);
	assert_string_equal(sb.buf, "党建-abc");
	assert_int_equal(sb.len, 10);
	/* Binary data with NUL bytes keeps its length. */
	strbuf_add(&sb, "x\0y", 3);
	assert_int_equal(sb.len, 13);
	assert_memory_equal(sb.buf + 10, "x\0y", 3);
	assert_sane(&sb);
	strbuf_add(&sb, "", 0);
	assert_int_equal(sb.len, 13);
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_true(sb.alloc > 0);
	strbuf_release(&sb);
	assert_empty(&sb);
	/* Nobody wrote into the shared empty string. */
	assert_int_equal(strbuf_slopbuf[0], '\0');
}

static void test_grow(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t alloc;

	UNUSED(state);
	for (int i = 0; i < 10000; i++) {
		strbuf_addch(&sb, 'a' + i % 26);
		assert_int_equal(sb.len, (size_t)i + 1);
		assert_sane(&sb);
	}
	for (int i = 0; i < 10000; i++)
		assert_int_equal(sb.buf[i], 'a' + i % 26);
	alloc = sb.alloc;
	strbuf_grow(&sb, 0);
	assert_int_equal(sb.alloc, alloc);
	strbuf_grow(&sb, alloc);
	assert_true(sb.alloc >= sb.len + alloc + 1);
	strbuf_setlen(&sb, 5);
	assert_string_equal(sb.buf, "abcde");
	strbuf_release(&sb);
	assert_empty(&sb);
}

static void test_addf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[300];

	UNUSED(state);
	strbuf_addf(&sb, "%d-%s", 42, "x");
	assert_string_equal(sb.buf, "42-x");
	assert_int_equal(sb.len, 4);
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* Longer than what is allocated: the second vsnprintf must run. */
	strbuf_addf(&sb, "[%s]", big);
	assert_int_equal(sb.len, 4 + 2 + 299);
	assert_int_equal(sb.buf[4], '[');
	assert_int_equal(sb.buf[5 + 299], ']');
	assert_sane(&sb);
	strbuf_addf(&sb, "%s", "");
	assert_int_equal(sb.len, 305);
	strbuf_release(&sb);
	assert_empty(&sb);
}

static void test_trim(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	UNUSED(state);
	strbuf_trim(&sb);
	assert_empty(&sb);
	strbuf_addstr(&sb, " \t 党 建\r\n ");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "党 建");
	assert_int_equal(sb.len, strlen("党 建"));
	assert_sane(&sb);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "   ");
	strbuf_trim(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "x");
	strbuf_release(&sb);
	assert_empty(&sb);
}

static void test_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s;

	UNUSED(state);
	strbuf_addstr(&sb, "hello");
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 5);
	assert_string_equal(s, "hello");
	assert_ptr_not_equal(s, strbuf_slopbuf);
	assert_empty(&sb);
	free(s);

	/* Detaching an empty strbuf still hands over a buffer the caller may free. */
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 0);
	assert_ptr_not_equal(s, strbuf_slopbuf);
	assert_string_equal(s, "");
	assert_empty(&sb);
	free(s);

	/* The strbuf is usable again afterwards, and len_out may be NULL. */
	strbuf_addstr(&sb, "again");
	s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "again");
	assert_empty(&sb);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init), cmocka_unit_test(test_add),  cmocka_unit_test(test_grow),
		cmocka_unit_test(test_addf), cmocka_unit_test(test_trim), cmocka_unit_test(test_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
