/*
 * test_crypto.c: unit tests for src/util/crypto.c: the GB/T 32905 SM3
 * vector, HMAC-SM3, PBKDF2-HMAC-SM3 password hashes, SM4-CTR + HMAC-SM3
 * field sealing (every tampered byte rejected) and the key file rules.
 */
#include "util/common.h"
#include "util/crypto.h"

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* Low enough to keep the suite fast; production uses the setting (100k). */
#define TEST_ITER 1000

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

static void fill_keys(struct crypto_keys *k, unsigned char seed)
{
	unsigned char *p = (unsigned char *)k;
	for (size_t i = 0; i < sizeof(*k); i++)
		p[i] = (unsigned char)(seed + i * 7);
}

/* ------------------------------------------------------------------ */

static void test_sm3_vector(void **state)
{
	unsigned char d[SM3_LEN];
	char hex[2 * SM3_LEN + 1];
	(void)state;

	/* GB/T 32905-2016 appendix A, example 1. */
	crypto_sm3("abc", 3, d);
	crypto_hex(d, SM3_LEN, hex);
	assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");

	/* Example 2: "abcd" repeated 16 times. */
	char msg[65] = "";
	for (int i = 0; i < 16; i++)
		memcpy(msg + 4 * i, "abcd", 4);
	crypto_sm3(msg, 64, d);
	crypto_hex(d, SM3_LEN, hex);
	assert_string_equal(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

static void test_hex(void **state)
{
	const unsigned char in[] = { 0x00, 0x0f, 0xa5, 0xff };
	char out[9];
	(void)state;

	crypto_hex(in, sizeof(in), out);
	assert_string_equal(out, "000fa5ff");
	crypto_hex(in, 0, out);
	assert_string_equal(out, "");
}

static void test_random(void **state)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };
	(void)state;

	assert_int_equal(crypto_random(a, sizeof(a)), 0);
	assert_int_equal(crypto_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_int_equal(crypto_random(a, 0), 0);
}

static void test_hmac_sm3(void **state)
{
	const unsigned char key1[] = "key one", key2[] = "key onf";
	unsigned char m1[SM3_LEN], m2[SM3_LEN], m3[SM3_LEN];
	char hex1[65], hex2[65];
	(void)state;

	crypto_hmac_sm3(key1, 7, "message", 7, m1);
	crypto_hmac_sm3(key1, 7, "message", 7, m2);
	assert_memory_equal(m1, m2, SM3_LEN);

	/* One bit of key, or of data, changes the MAC. */
	crypto_hmac_sm3(key2, 7, "message", 7, m3);
	assert_memory_not_equal(m1, m3, SM3_LEN);
	crypto_hmac_sm3(key1, 6, "message", 7, m3);
	assert_memory_not_equal(m1, m3, SM3_LEN);
	crypto_hmac_sm3(key1, 7, "messagf", 7, m3);
	assert_memory_not_equal(m1, m3, SM3_LEN);

	/* Not plain SM3 of the data. */
	crypto_sm3("message", 7, m3);
	assert_memory_not_equal(m1, m3, SM3_LEN);

	/* Hex form matches the binary form. */
	crypto_hmac_sm3_hex(key1, 7, "message", 7, hex1);
	crypto_hex(m1, SM3_LEN, hex2);
	assert_string_equal(hex1, hex2);
	assert_int_equal(strlen(hex1), 64);

	/* Empty key and empty data are valid HMAC inputs. */
	crypto_hmac_sm3(key1, 0, "", 0, m2);
	crypto_hmac_sm3(key1, 0, "", 0, m3);
	assert_memory_equal(m2, m3, SM3_LEN);
	assert_memory_not_equal(m1, m2, SM3_LEN);
}

static void test_memeq(void **state)
{
	(void)state;
	assert_true(crypto_memeq("abcd", "abcd", 4));
	assert_false(crypto_memeq("abcd", "abce", 4));
	assert_true(crypto_memeq("x", "y", 0));
}

/* ------------------------------------------------------------------ */

static void test_password_verify(void **state)
{
	char *h;
	(void)state;

	h = crypto_password_hash("Demo@2026", TEST_ITER);
	assert_non_null(h);
	assert_true(strncmp(h, "pbkdf2-sm3$1000$", 16) == 0);
	/* prefix + "1000$" + 32 hex + "$" + 64 hex */
	assert_int_equal(strlen(h), strlen("pbkdf2-sm3$1000$") + 32 + 1 + 64);
	assert_int_equal(crypto_password_verify("Demo@2026", h), 1);
	assert_int_equal(crypto_password_verify("Demo@2027", h), 0);
	assert_int_equal(crypto_password_verify("demo@2026", h), 0);
	assert_int_equal(crypto_password_verify("", h), 0);
	assert_int_equal(crypto_password_verify("Demo@2026 ", h), 0);
	free(h);

	/* UTF-8 and empty passwords hash and verify too. */
	h = crypto_password_hash("党员密码①", TEST_ITER);
	assert_int_equal(crypto_password_verify("党员密码①", h), 1);
	assert_int_equal(crypto_password_verify("党员密码", h), 0);
	free(h);
	h = crypto_password_hash("", TEST_ITER);
	assert_int_equal(crypto_password_verify("", h), 1);
	assert_int_equal(crypto_password_verify("x", h), 0);
	free(h);
}

static void test_password_iterations(void **state)
{
	char *h;
	(void)state;

	h = crypto_password_hash("secret", 1234);
	assert_int_equal(crypto_password_iterations(h), 1234);
	assert_int_equal(crypto_password_verify("secret", h), 1);
	free(h);
	h = crypto_password_hash("secret", 1);
	assert_int_equal(crypto_password_iterations(h), 1);
	free(h);

	assert_null(crypto_password_hash("secret", 0));
	assert_null(crypto_password_hash("secret", (unsigned)INT_MAX + 1));
}

static void test_password_salt(void **state)
{
	char *a, *b;
	(void)state;

	a = crypto_password_hash("same password", TEST_ITER);
	b = crypto_password_hash("same password", TEST_ITER);
	assert_string_not_equal(a, b);
	/* Salts (field 3) differ, not only the hashes. */
	assert_memory_not_equal(a + 16, b + 16, 32);
	assert_int_equal(crypto_password_verify("same password", a), 1);
	assert_int_equal(crypto_password_verify("same password", b), 1);
	free(a);
	free(b);
}

/*
 * The iteration count is part of the hash: raising it in the stored text
 * makes the password fail instead of being silently ignored.
 */
static void test_password_iterations_bound(void **state)
{
	char *h = crypto_password_hash("secret", TEST_ITER);
	char *copy;
	(void)state;

	copy = strdup(h);
	memcpy(copy + strlen("pbkdf2-sm3$"), "1001", 4);
	assert_int_equal(crypto_password_iterations(copy), 1001);
	assert_int_equal(crypto_password_verify("secret", copy), 0);
	free(copy);
	free(h);
}

static void test_password_malformed(void **state)
{
	static const char salt[] = "00112233445566778899aabbccddeeff";
	static const char dk[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	char good[200], bad[200];
	(void)state;

	snprintf(good, sizeof(good), "pbkdf2-sm3$5$%s$%s", salt, dk);
	assert_int_equal(crypto_password_iterations(good), 5);
	assert_int_equal(crypto_password_verify("x", good), 0);

	const char *cases[] = {
		"",
		"pbkdf2-sm3$",
		"pbkdf2-sha256$5$00112233445566778899aabbccddeeff$00",
		"plain text password",
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(crypto_password_iterations(cases[i]), 0);
		assert_int_equal(crypto_password_verify("x", cases[i]), -1);
	}

	const char *iters[] = { "0", "05", "-5", "+5", "", "2147483648", "99999999999999999999", "5x" };
	for (size_t i = 0; i < ARRAY_SIZE(iters); i++) {
		snprintf(bad, sizeof(bad), "pbkdf2-sm3$%s$%s$%s", iters[i], salt, dk);
		assert_int_equal(crypto_password_iterations(bad), 0);
		assert_int_equal(crypto_password_verify("x", bad), -1);
	}

	/* Short, long or non-hex salt and hash; trailing junk. */
	snprintf(bad, sizeof(bad), "pbkdf2-sm3$5$%.30s$%s", salt, dk);
	assert_int_equal(crypto_password_verify("x", bad), -1);
	snprintf(bad, sizeof(bad), "pbkdf2-sm3$5$%s00$%s", salt, dk);
	assert_int_equal(crypto_password_verify("x", bad), -1);
	snprintf(bad, sizeof(bad), "pbkdf2-sm3$5$%s$%.62s", salt, dk);
	assert_int_equal(crypto_password_verify("x", bad), -1);
	snprintf(bad, sizeof(bad), "pbkdf2-sm3$5$%s$%s$", salt, dk);
	assert_int_equal(crypto_password_verify("x", bad), -1);
	snprintf(bad, sizeof(bad), "pbkdf2-sm3$5$%s$%.63sg", salt, dk);
	assert_int_equal(crypto_password_verify("x", bad), -1);
	snprintf(bad, sizeof(bad), "pbkdf2-sm3$5$%.31sz$%s", salt, dk);
	assert_int_equal(crypto_password_verify("x", bad), -1);
	assert_int_equal(crypto_password_verify("x", NULL), -1);
}

/* ------------------------------------------------------------------ */

static void roundtrip(const struct crypto_keys *k, const char *plain)
{
	char *sealed = crypto_field_encrypt(k, plain);
	char *back;

	assert_non_null(sealed);
	assert_true(strncmp(sealed, "v1:", 3) == 0);
	/* The sealed text does not show the plaintext (8+ bytes: no chance match). */
	if (strlen(plain) >= 8)
		assert_null(strstr(sealed, plain));
	back = crypto_field_decrypt(k, sealed);
	assert_non_null(back);
	assert_string_equal(back, plain);
	free(back);
	free(sealed);
}

static void test_field_roundtrip(void **state)
{
	struct crypto_keys k;
	char *long_text;
	(void)state;

	fill_keys(&k, 1);
	roundtrip(&k, "");
	roundtrip(&k, "a");
	roundtrip(&k, "11010519491231002X");
	roundtrip(&k, "13800138000");
	roundtrip(&k, "张三丰 · 示例省交通运输厅 𠀀");
	for (size_t n = 0; n < 70; n++) { /* every base64 padding case and block edge */
		char buf[80];
		memset(buf, 'x', n);
		buf[n] = '\0';
		roundtrip(&k, buf);
	}
	long_text = malloc(100001);
	memset(long_text, 'q', 100000);
	long_text[100000] = '\0';
	roundtrip(&k, long_text);
	free(long_text);
}

static void test_field_layout(void **state)
{
	struct crypto_keys k;
	char *a, *b;
	(void)state;

	fill_keys(&k, 2);
	/* Empty plaintext: 16 IV + 32 MAC = 48 bytes = 64 base64 characters. */
	a = crypto_field_encrypt(&k, "");
	assert_int_equal(strlen(a), 3 + 64);
	free(a);
	/* 18 bytes: 66 raw bytes = 88 base64 characters. */
	a = crypto_field_encrypt(&k, "11010519491231002X");
	assert_int_equal(strlen(a), 3 + 88);
	/* Fresh IV each time: the same plaintext seals differently. */
	b = crypto_field_encrypt(&k, "11010519491231002X");
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void check_tamper(const struct crypto_keys *k, const char *plain)
{
	char *sealed = crypto_field_encrypt(k, plain);
	size_t n = strlen(sealed);
	char *t = malloc(n + 2);

	for (size_t i = 0; i < n; i++) {
		/* Every other base64 character at this position... */
		for (const char *c = b64_alphabet; *c; c++) {
			if (*c == sealed[i])
				continue;
			memcpy(t, sealed, n + 1);
			t[i] = *c;
			char *p = crypto_field_decrypt(k, t);
			if (p)
				fail_msg("accepted '%c' at position %zu of %s", *c, i, sealed);
		}
		/* ...and every single-bit flip. */
		for (int bit = 0; bit < 8; bit++) {
			memcpy(t, sealed, n + 1);
			t[i] = (char)(t[i] ^ (1 << bit));
			if (t[i] == '\0')
				continue; /* that is truncation, tested below */
			char *p = crypto_field_decrypt(k, t);
			if (p)
				fail_msg("accepted bit %d flipped at position %zu of %s", bit, i, sealed);
		}
		/* Truncation to i characters. */
		memcpy(t, sealed, i);
		t[i] = '\0';
		assert_null(crypto_field_decrypt(k, t));
	}
	/* Appended characters. */
	memcpy(t, sealed, n);
	t[n] = 'A';
	t[n + 1] = '\0';
	assert_null(crypto_field_decrypt(k, t));
	free(t);
	free(sealed);
}

static void test_field_tamper(void **state)
{
	struct crypto_keys k;
	(void)state;

	fill_keys(&k, 3);
	check_tamper(&k, "");
	check_tamper(&k, "a");   /* 49 raw bytes: "==" padding */
	check_tamper(&k, "ab");  /* 50 raw bytes: "=" padding */
	check_tamper(&k, "abc"); /* 51 raw bytes: no padding */
	check_tamper(&k, "11010519491231002X");
	check_tamper(&k, "党员");
}

static void test_field_wrong_key(void **state)
{
	struct crypto_keys k1, k2;
	char *sealed;
	(void)state;

	fill_keys(&k1, 4);
	sealed = crypto_field_encrypt(&k1, "11010519491231002X");

	/* Entirely different keys. */
	fill_keys(&k2, 5);
	assert_null(crypto_field_decrypt(&k2, sealed));

	/* Only the MAC key differs by one bit. */
	k2 = k1;
	k2.mac[31] ^= 0x80;
	assert_null(crypto_field_decrypt(&k2, sealed));

	/* The lookup, audit and session keys play no part in sealing. */
	k2 = k1;
	k2.lookup[0] ^= 1;
	k2.audit[0] ^= 1;
	k2.session[0] ^= 1;
	char *p = crypto_field_decrypt(&k2, sealed);
	assert_non_null(p);
	assert_string_equal(p, "11010519491231002X");
	free(p);

	free(sealed);
}

static void test_field_malformed(void **state)
{
	struct crypto_keys k;
	const char *cases[] = {
		"",
		"v1:",
		"v1",
		"v2:AAAA",
		"V1:AAAA",
		"v1:AAAA",
		"v1:!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
		"11010519491231002X",
	};
	(void)state;

	fill_keys(&k, 6);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_null(crypto_field_decrypt(&k, cases[i]));
	assert_null(crypto_field_decrypt(&k, NULL));

	/* White space inside or around a valid text is refused too. */
	char *s = crypto_field_encrypt(&k, "abc");
	char buf[200];
	snprintf(buf, sizeof(buf), "%s\n", s);
	assert_null(crypto_field_decrypt(&k, buf));
	snprintf(buf, sizeof(buf), "v1: %s", s + 3);
	assert_null(crypto_field_decrypt(&k, buf));
	snprintf(buf, sizeof(buf), "v1:%.8s\n%s", s + 3, s + 11);
	assert_null(crypto_field_decrypt(&k, buf));
	free(s);
}

/* ------------------------------------------------------------------ */

struct tmpdir {
	char dir[64];
	char path[128];
};

static int tmp_setup(void **state)
{
	struct tmpdir *t = calloc(1, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/dj-test-crypto-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/keys", t->dir);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmpdir *t = *state;
	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_keys_roundtrip(void **state)
{
	struct tmpdir *t = *state;
	struct crypto_keys made, loaded, zero;
	struct stat st;
	const char *why = "unset";

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(crypto_keys_create(t->path, &made, &why), 0);
	assert_null(why);
	assert_memory_not_equal(&made, &zero, sizeof(made));
	assert_memory_not_equal(made.mac, made.lookup, sizeof(made.mac));

	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	assert_int_equal(crypto_keys_load(t->path, &loaded, &why), 0);
	assert_null(why);
	assert_memory_equal(&made, &loaded, sizeof(made));

	/* A value sealed with the created keys opens with the loaded ones. */
	char *s = crypto_field_encrypt(&made, "110105194912310021");
	char *p = crypto_field_decrypt(&loaded, s);
	assert_string_equal(p, "110105194912310021");
	free(p);
	free(s);

	/* The file holds one name=hex line per key. */
	FILE *f = fopen(t->path, "r");
	char line[128];
	int lines = 0;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	assert_int_equal(lines, 5);
}

static void test_keys_mode_umask(void **state)
{
	struct tmpdir *t = *state;
	struct stat st;
	const char *why = NULL;
	mode_t old = umask(0);

	assert_int_equal(crypto_keys_create(t->path, NULL, &why), 0);
	umask(old);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_keys_refuse_open_mode(void **state)
{
	struct tmpdir *t = *state;
	struct crypto_keys k;
	const char *why = NULL;
	static const mode_t modes[] = { 0644, 0640, 0604, 0620, 0602, 0610, 0601 };

	assert_int_equal(crypto_keys_create(t->path, NULL, &why), 0);
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		assert_int_equal(chmod(t->path, modes[i]), 0);
		why = NULL;
		errno = ENOENT;
		assert_int_equal(crypto_keys_load(t->path, &k, &why), -1);
		assert_non_null(why);
		assert_non_null(strstr(why, "group or others"));
		assert_int_equal(errno, EPERM);
	}
	assert_int_equal(chmod(t->path, 0400), 0);
	assert_int_equal(crypto_keys_load(t->path, &k, &why), 0);
}

static void test_keys_refuse_existing(void **state)
{
	struct tmpdir *t = *state;
	struct crypto_keys first, second, loaded;
	const char *why = NULL;

	assert_int_equal(crypto_keys_create(t->path, &first, &why), 0);
	assert_int_equal(crypto_keys_create(t->path, &second, &why), -1);
	assert_int_equal(errno, EEXIST);
	assert_non_null(why);
	/* The existing keys are untouched. */
	assert_int_equal(crypto_keys_load(t->path, &loaded, &why), 0);
	assert_memory_equal(&first, &loaded, sizeof(first));

	/* A symlink at the path is "existing" too, even a dangling one. */
	char link[160];
	snprintf(link, sizeof(link), "%s/link", t->dir);
	char target[160];
	snprintf(target, sizeof(target), "%s/target", t->dir);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(crypto_keys_create(link, NULL, &why), -1);
	assert_int_equal(access(target, F_OK), -1);
	unlink(link);
}

static void test_keys_load_errors(void **state)
{
	struct tmpdir *t = *state;
	struct crypto_keys k;
	const char *why = NULL;
	char good[512];
	const char *h32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	const char *h16 = "000102030405060708090a0b0c0d0e0f";

	/* Missing file: ENOENT, which store_open takes as "create one". */
	errno = 0;
	assert_int_equal(crypto_keys_load(t->path, &k, &why), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(why);

	/* A hand-written file with comments, blank lines and CRLF loads. */
	snprintf(good, sizeof(good), "# dangjian keys\n\nenc=%s\r\nmac=%s\nlookup=%s\naudit=%s\nsession=%s",
		 h16, h32, h32, h32, h32);
	write_file(t->path, good, 0600);
	assert_int_equal(crypto_keys_load(t->path, &k, &why), 0);
	assert_int_equal(k.enc[15], 0x0f);
	assert_int_equal(k.session[31], 0x1f);

	char bad[600];
	const char *fmts[] = {
		"enc=%s\nmac=%s\nlookup=%s\naudit=%s\n",                       /* missing session */
		"enc=%s\nmac=%s\nlookup=%s\naudit=%s\nsession=%s\nmac=%s\n",   /* duplicate */
		"enc=%s\nmac=%s\nlookup=%s\naudit=%s\nsession=%s\nextra=%s\n", /* unknown */
		"enc=%s\nmac=%s\nlookup=%s\naudit=%s\nsession=%.62s\n",        /* short */
		"enc=%s\nmac=%s\nlookup=%s\naudit=%s\nsession %s\n",           /* no '=' */
		"enc=%s\nmac=%s\nlookup=%s\naudit=%s\nsession=%.63sz\n",       /* not hex */
	};
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		snprintf(bad, sizeof(bad), fmts[i], h16, h32, h32, h32, h32, h32);
		write_file(t->path, bad, 0600);
		why = NULL;
		errno = ENOENT;
		assert_int_equal(crypto_keys_load(t->path, &k, &why), -1);
		assert_non_null(why);
		assert_int_equal(errno, EINVAL);
	}
	write_file(t->path, "", 0600);
	assert_int_equal(crypto_keys_load(t->path, &k, &why), -1);
	assert_int_equal(errno, EINVAL);

	/* A directory is not a key file. */
	errno = ENOENT;
	assert_int_equal(crypto_keys_load(t->dir, &k, &why), -1);
	assert_int_not_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sm3_vector),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_hmac_sm3),
		cmocka_unit_test(test_memeq),
		cmocka_unit_test(test_password_verify),
		cmocka_unit_test(test_password_iterations),
		cmocka_unit_test(test_password_salt),
		cmocka_unit_test(test_password_iterations_bound),
		cmocka_unit_test(test_password_malformed),
		cmocka_unit_test(test_field_roundtrip),
		cmocka_unit_test(test_field_layout),
		cmocka_unit_test(test_field_tamper),
		cmocka_unit_test(test_field_wrong_key),
		cmocka_unit_test(test_field_malformed),
		cmocka_unit_test_setup_teardown(test_keys_roundtrip, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_keys_mode_umask, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_keys_refuse_open_mode, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_keys_refuse_existing, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_keys_load_errors, tmp_setup, tmp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
