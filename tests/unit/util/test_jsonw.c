/*
 * test_jsonw.c: unit tests for src/util/jsonw.c, the streaming JSON writer
 * of the hot replies: exact escaping of every byte that JSON requires, UTF-8
 * passed through, and documents that jansson reads back to the same values.
 */
#include "util/common.h"
#include "util/jsonw.h"
#include "util/strbuf.h"

#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>

static char *escaped(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	jsonw_escape(&sb, s);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_int_equal(strlen(sb.buf), sb.len);
	return strbuf_detach(&sb, NULL);
}

static void expect(const char *in, const char *out)
{
	char *got = escaped(in);

	assert_string_equal(got, out);
	free(got);
}

static void test_escapes_exactly_what_json_requires(void **state)
{
	(void)state;
	expect("", "\"\"");
	expect("plain", "\"plain\"");
	expect("a\"b", "\"a\\\"b\"");
	expect("a\\b", "\"a\\\\b\"");
	expect("l1\nl2\r\tend", "\"l1\\nl2\\r\\tend\"");
	expect("\x01\x1f", "\"\\u0001\\u001f\"");
	expect("\x7f/", "\"\x7f/\"");           /* DEL and '/' need no escape */
	expect("示例党支部", "\"示例党支部\""); /* UTF-8 passes through */
}

static void test_appends_after_what_the_buffer_holds(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "[");
	jsonw_escape(&sb, "x\"");
	strbuf_addstr(&sb, ",");
	jsonw_escape(&sb, "");
	strbuf_addstr(&sb, "]");
	assert_string_equal(sb.buf, "[\"x\\\"\",\"\"]");
	strbuf_release(&sb);
}

/* Every byte value 1..255 in one string (control characters at the worst case size) reads back the same. */
static void test_every_byte_reads_back_through_jansson(void **state)
{
	char in[256];
	struct jsonw w = JSONW_INIT;
	json_t *doc;
	json_error_t err;

	(void)state;
	for (int i = 1; i < 128; i++)
		in[i - 1] = (char)i;
	in[127] = '\0';
	jsonw_object_begin(&w);
	jsonw_kv_str(&w, "k\"1", in);
	jsonw_kv_str(&w, "zh", "中华人民共和国\n党员");
	jsonw_kv_int(&w, "n", -42);
	jsonw_object_end(&w);
	doc = json_loadb(w.sb.buf, w.sb.len, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "k\"1")), in);
	assert_string_equal(json_string_value(json_object_get(doc, "zh")), "中华人民共和国\n党员");
	assert_int_equal(json_integer_value(json_object_get(doc, "n")), -42);
	json_decref(doc);
	strbuf_release(&w.sb);
}

/* The word-at-a-time path: each byte that must be escaped, at every offset of a long string, next to
 * bytes that must not (UTF-8, DEL, the neighbours of the special values). */
static void test_escapes_at_every_offset(void **state)
{
	static const char specials[] = { '"', '\\', '\n', 0x01, 0x1f };
	static const char *const spelled[] = { "\\\"", "\\\\", "\\n", "\\u0001", "\\u001f" };
	const char *filler = "中a\x7f!#[]~\x20\x21\x5b\x5d"; /* none escaped */
	size_t nf = strlen(filler);

	(void)state;
	for (size_t k = 0; k < sizeof(specials); k++) {
		for (size_t at = 0; at < 40; at++) {
			char in[64], want[128];
			size_t n = 0, m = 0;

			for (size_t i = 0; i < 41; i++)
				in[n++] = i == at ? specials[k] : filler[i % nf];
			in[n] = '\0';
			want[m++] = '"';
			for (size_t i = 0; i < n; i++) {
				if (i == at)
					m += (size_t)snprintf(want + m, sizeof(want) - m, "%s", spelled[k]);
				else
					want[m++] = in[i];
			}
			want[m++] = '"';
			want[m] = '\0';
			expect(in, want);
		}
	}
	expect("0123456789abcdefXYZ", "\"0123456789abcdefXYZ\"");
}

/* Keys: copied in one pass when short and plain, escaped otherwise (a quote at every offset, keys
 * around the fast path's length, UTF-8), and the writer goes on correctly after each. */
static void test_keys_plain_long_and_escaped(void **state)
{
	(void)state;
	for (size_t len = 1; len < 70; len++) {
		for (size_t at = 0; at <= len; at++) {
			char key[80], want[200];
			struct jsonw w = JSONW_INIT;
			size_t m = 0;

			for (size_t i = 0; i < len; i++)
				key[i] = i == at ? '"' : (char)('a' + i % 26);
			key[len] = '\0';
			jsonw_object_begin(&w);
			jsonw_kv_int(&w, "a", 1);
			jsonw_kv_str(&w, key, "v");
			jsonw_kv_str(&w, "党员", "x");
			jsonw_object_end(&w);
			m += (size_t)snprintf(want + m, sizeof(want) - m, "{\"a\":1,\"");
			for (size_t i = 0; i < len; i++) {
				if (key[i] == '"')
					want[m++] = '\\';
				want[m++] = key[i];
			}
			m += (size_t)snprintf(want + m, sizeof(want) - m, "\":\"v\",\"党员\":\"x\"}");
			assert_int_equal(w.sb.len, m);
			assert_string_equal(w.sb.buf, want);
			strbuf_release(&w.sb);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_exactly_what_json_requires),
		cmocka_unit_test(test_appends_after_what_the_buffer_holds),
		cmocka_unit_test(test_every_byte_reads_back_through_jansson),
		cmocka_unit_test(test_escapes_at_every_offset),
		cmocka_unit_test(test_keys_plain_long_and_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
