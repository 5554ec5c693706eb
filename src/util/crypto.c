/*
 * crypto.c: SM3, HMAC-SM3, PBKDF2-HMAC-SM3, SM4-CTR + HMAC-SM3 field
 * sealing and the key file, on OpenSSL 3's EVP API. The algorithm objects
 * are fetched once (pthread_once) and only read afterwards, so every
 * function here is safe to call from any thread.
 */
#include "util/common.h"
#include "util/crypto.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#define SALT_LEN 16
#define PBKDF2_LEN 32
#define IV_LEN 16
#define FIELD_PREFIX "v1:"
#define FIELD_MAC_LABEL "v1"
#define KEYFILE_MAX 4096

/* ------------------------------------------------------------------ */
/* Algorithm objects, fetched once                                     */
/* ------------------------------------------------------------------ */

static pthread_once_t algs_once = PTHREAD_ONCE_INIT;
static EVP_MD *alg_sm3;
static EVP_MAC *alg_hmac;
static EVP_CIPHER *alg_sm4_ctr;

static void algs_fetch(void)
{
	alg_sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
	alg_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	alg_sm4_ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
}

/*
 * The default provider always has these; missing ones mean a broken
 * OpenSSL installation, which no caller can work around.
 */
static void algs_init(void)
{
	if (pthread_once(&algs_once, algs_fetch))
		BUG("pthread_once failed");
	if (!alg_sm3 || !alg_hmac || !alg_sm4_ctr)
		BUG("OpenSSL lacks SM3, HMAC or SM4-CTR (default provider not loaded?)");
}

/* ------------------------------------------------------------------ */
/* Random, hex, SM3, HMAC-SM3                                          */
/* ------------------------------------------------------------------ */

int crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (RAND_bytes(p, chunk) != 1)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

void crypto_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes exactly 2n hex digits from s into out. Returns 0 or -1. */
static int unhex(const char *s, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hex_value((unsigned char)s[2 * i]);
		int lo = hi < 0 ? -1 : hex_value((unsigned char)s[2 * i + 1]);
		if (lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void crypto_sm3(const void *data, size_t n, unsigned char out[SM3_LEN])
{
	unsigned int outlen = 0;

	algs_init();
	if (!EVP_Digest(data, n, out, &outlen, alg_sm3, NULL) || outlen != SM3_LEN)
		BUG("SM3 digest failed");
}

struct part {
	const void *data;
	size_t len;
};

/*
 * Keyed HMAC-SM3 contexts, a few per thread: setting a key up (parameter
 * lookup, hashing the padded key twice) cost more than MACing a short
 * field, and a row uses the same two or three keys every time. Each MAC
 * works on a copy (EVP_MAC_CTX_dup); the cache is freed when its thread ends.
 */
#define KEYED_SLOTS 4
#define KEYED_KEY_MAX 64

struct keyed_cache {
	struct {
		EVP_MAC_CTX *ctx;
		unsigned char key[KEYED_KEY_MAX];
		size_t keylen;
	} slot[KEYED_SLOTS];
	unsigned next;
};

static pthread_key_t keyed_key;
static pthread_once_t keyed_once = PTHREAD_ONCE_INIT;

static void keyed_free(void *p)
{
	struct keyed_cache *c = p;

	for (int i = 0; i < KEYED_SLOTS; i++)
		EVP_MAC_CTX_free(c->slot[i].ctx);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

static void keyed_init(void)
{
	if (pthread_key_create(&keyed_key, keyed_free))
		BUG("pthread_key_create failed");
}

static EVP_MAC_CTX *hmac_new(const unsigned char *key, size_t keylen)
{
	static const unsigned char empty_key[1];
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;

	algs_init();
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SM3", 0);
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_MAC_CTX_new(alg_hmac);
	/* A NULL key would mean "keep the previous key"; an empty key is valid HMAC. */
	if (!ctx || !EVP_MAC_init(ctx, keylen ? key : empty_key, keylen, params))
		BUG("HMAC-SM3 init failed");
	return ctx;
}

/* A fresh context keyed with key: a copy of the cached one when there is one. */
static EVP_MAC_CTX *hmac_keyed(const unsigned char *key, size_t keylen)
{
	struct keyed_cache *c;
	EVP_MAC_CTX *ctx;
	unsigned i;

	if (keylen == 0 || keylen > KEYED_KEY_MAX)
		return hmac_new(key, keylen);
	if (pthread_once(&keyed_once, keyed_init))
		BUG("pthread_once failed");
	if (!(c = pthread_getspecific(keyed_key))) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(keyed_key, c))
			BUG("pthread_setspecific failed");
	}
	for (i = 0; i < KEYED_SLOTS; i++)
		if (c->slot[i].ctx && c->slot[i].keylen == keylen && !memcmp(c->slot[i].key, key, keylen))
			break;
	if (i == KEYED_SLOTS) {
		i = c->next++ % KEYED_SLOTS;
		EVP_MAC_CTX_free(c->slot[i].ctx);
		c->slot[i].ctx = hmac_new(key, keylen);
		memcpy(c->slot[i].key, key, keylen);
		c->slot[i].keylen = keylen;
	}
	if (!(ctx = EVP_MAC_CTX_dup(c->slot[i].ctx)))
		BUG("HMAC-SM3 copy failed");
	return ctx;
}

/* HMAC-SM3 over the concatenation of parts, without copying them together. */
static void hmac_sm3_parts(const unsigned char *key, size_t keylen, const struct part *parts, size_t nparts,
			   unsigned char out[SM3_LEN])
{
	EVP_MAC_CTX *ctx = hmac_keyed(key, keylen);
	size_t outlen = 0;

	for (size_t i = 0; i < nparts; i++)
		if (parts[i].len && !EVP_MAC_update(ctx, parts[i].data, parts[i].len))
			BUG("HMAC-SM3 update failed");
	if (!EVP_MAC_final(ctx, out, &outlen, SM3_LEN) || outlen != SM3_LEN)
		BUG("HMAC-SM3 final failed");
	EVP_MAC_CTX_free(ctx);
}

void crypto_hmac_sm3(const unsigned char *key, size_t keylen, const void *data, size_t n,
		     unsigned char out[SM3_LEN])
{
	struct part p = { data, n };

	hmac_sm3_parts(key, keylen, &p, 1, out);
}

void crypto_hmac_sm3_hex(const unsigned char *key, size_t keylen, const void *data, size_t n, char out[65])
{
	unsigned char mac[SM3_LEN];

	crypto_hmac_sm3(key, keylen, data, n, mac);
	crypto_hex(mac, SM3_LEN, out);
}

int crypto_memeq(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

/* ------------------------------------------------------------------ */
/* Password hashes: "pbkdf2-sm3$<iter>$<salt hex>$<hash hex>"          */
/* ------------------------------------------------------------------ */

#define PW_PREFIX "pbkdf2-sm3$"

static int pbkdf2_sm3(const char *password, const unsigned char *salt, unsigned iterations,
		      unsigned char out[PBKDF2_LEN])
{
	size_t pwlen = strlen(password);

	algs_init();
	if (pwlen > INT_MAX)
		return -1;
	if (PKCS5_PBKDF2_HMAC(password, (int)pwlen, salt, SALT_LEN, (int)iterations, alg_sm3, PBKDF2_LEN,
			      out) != 1)
		return -1;
	return 0;
}

char *crypto_password_hash(const char *password, unsigned iterations)
{
	unsigned char salt[SALT_LEN], dk[PBKDF2_LEN];
	char salt_hex[2 * SALT_LEN + 1], dk_hex[2 * PBKDF2_LEN + 1];
	char *out = NULL;

	if (iterations == 0 || iterations > INT_MAX)
		return NULL;
	if (crypto_random(salt, sizeof(salt)) || pbkdf2_sm3(password, salt, iterations, dk))
		goto out;
	crypto_hex(salt, sizeof(salt), salt_hex);
	crypto_hex(dk, sizeof(dk), dk_hex);
	out = xasprintf(PW_PREFIX "%u$%s$%s", iterations, salt_hex, dk_hex);
out:
	OPENSSL_cleanse(dk, sizeof(dk));
	return out;
}

/*
 * Parses a stored hash strictly: the prefix, a decimal count without sign
 * or leading zero in 1..INT_MAX, then exactly 32 and 64 hex digits.
 * Returns the count, or 0 when malformed.
 */
static unsigned parse_stored(const char *stored, unsigned char salt[SALT_LEN], unsigned char dk[PBKDF2_LEN])
{
	const char *p;
	unsigned long iter = 0;

	if (!stored || strncmp(stored, PW_PREFIX, strlen(PW_PREFIX)))
		return 0;
	p = stored + strlen(PW_PREFIX);
	if (*p < '1' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		iter = iter * 10 + (unsigned long)(*p - '0');
		if (iter > INT_MAX)
			return 0;
	}
	if (*p++ != '$')
		return 0;
	if (strnlen(p, 2 * SALT_LEN + 1) < 2 * SALT_LEN + 1 || p[2 * SALT_LEN] != '$' ||
	    unhex(p, SALT_LEN, salt))
		return 0;
	p += 2 * SALT_LEN + 1;
	if (strlen(p) != 2 * PBKDF2_LEN || unhex(p, PBKDF2_LEN, dk))
		return 0;
	return (unsigned)iter;
}

int crypto_password_verify(const char *password, const char *stored)
{
	unsigned char salt[SALT_LEN], want[PBKDF2_LEN], got[PBKDF2_LEN];
	unsigned iter = parse_stored(stored, salt, want);
	int ok;

	if (!iter)
		return -1;
	if (pbkdf2_sm3(password, salt, iter, got))
		return -1;
	ok = CRYPTO_memcmp(got, want, PBKDF2_LEN) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return ok;
}

unsigned crypto_password_iterations(const char *stored)
{
	unsigned char salt[SALT_LEN], dk[PBKDF2_LEN];

	return parse_stored(stored, salt, dk);
}

/* ------------------------------------------------------------------ */
/* Field sealing: "v1:" + base64(iv || SM4-CTR ciphertext || HMAC)     */
/* ------------------------------------------------------------------ */

/*
 * IVs come from a per-thread buffer of DRBG output refilled 256 at a time:
 * RAND_bytes per field cost more than the encryption (locking, a getpid
 * check). The buffer is dropped in a forked child, so no IV is used twice.
 */
static _Thread_local struct {
	unsigned char buf[IV_LEN * 256];
	size_t pos;
	pid_t pid;
} ivs = { .pos = sizeof(ivs.buf) };

static int field_iv(unsigned char iv[IV_LEN])
{
	pid_t pid = getpid();

	if (ivs.pos == sizeof(ivs.buf) || ivs.pid != pid) {
		if (crypto_random(ivs.buf, sizeof(ivs.buf)) < 0)
			return -1;
		ivs.pos = 0;
		ivs.pid = pid;
	}
	memcpy(iv, ivs.buf + ivs.pos, IV_LEN);
	OPENSSL_cleanse(ivs.buf + ivs.pos, IV_LEN);
	ivs.pos += IV_LEN;
	return 0;
}

/* SM4-CTR is its own inverse: encrypts or decrypts n bytes of in to out. */
static int sm4_ctr(const unsigned char key[SM4_KEY_LEN], const unsigned char iv[IV_LEN],
		   const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0, ret = -1;

	algs_init();
	if (!ctx || n > INT_MAX)
		goto out;
	if (EVP_EncryptInit_ex2(ctx, alg_sm4_ctr, key, iv, NULL) != 1)
		goto out;
	if (n && EVP_EncryptUpdate(ctx, out, &len, in, (int)n) != 1)
		goto out;
	if ((size_t)len != n || EVP_EncryptFinal_ex(ctx, out + len, &len) != 1 || len != 0)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

static void field_mac(const struct crypto_keys *k, const unsigned char *iv, const unsigned char *ct,
		      size_t ctlen, unsigned char out[SM3_LEN])
{
	struct part parts[] = {
		{ FIELD_MAC_LABEL, strlen(FIELD_MAC_LABEL) },
		{ iv, IV_LEN },
		{ ct, ctlen },
	};

	hmac_sm3_parts(k->mac, sizeof(k->mac), parts, ARRAY_SIZE(parts), out);
}

char *crypto_field_encrypt(const struct crypto_keys *k, const char *plain)
{
	size_t n = strlen(plain);
	size_t rawlen, prefix = strlen(FIELD_PREFIX);
	unsigned char *raw = NULL;
	char *out = NULL;

	if (n > CRYPTO_FIELD_MAX)
		return NULL;
	rawlen = IV_LEN + n + SM3_LEN;
	raw = xmalloc(rawlen);
	if (field_iv(raw) || sm4_ctr(k->enc, raw, (const unsigned char *)plain, n, raw + IV_LEN))
		goto out;
	field_mac(k, raw, raw + IV_LEN, n, raw + IV_LEN + n);

	out = xmalloc(prefix + 4 * ((rawlen + 2) / 3) + 1);
	memcpy(out, FIELD_PREFIX, prefix);
	EVP_EncodeBlock((unsigned char *)out + prefix, raw, (int)rawlen);
out:
	OPENSSL_cleanse(raw, rawlen);
	free(raw);
	return out;
}

/*
 * Strict base64: EVP_DecodeBlock skips white space, ignores padding when
 * counting and accepts non-zero bits in the last character, so several
 * texts decode to the same bytes. Re-encoding and comparing leaves only the
 * canonical text, so every changed character is noticed. Returns a new
 * buffer and its length in *len_out, or NULL.
 */
static unsigned char *base64_decode_strict(const char *s, size_t slen, size_t *len_out)
{
	unsigned char *raw = NULL;
	char *again = NULL;
	int n;
	size_t pad = 0;

	if (slen == 0 || slen % 4 || slen > INT_MAX)
		return NULL;
	if (s[slen - 1] == '=')
		pad = s[slen - 2] == '=' ? 2 : 1;
	raw = xmalloc(slen / 4 * 3);
	n = EVP_DecodeBlock(raw, (const unsigned char *)s, (int)slen);
	if (n < 0 || (size_t)n != slen / 4 * 3)
		goto fail;
	*len_out = (size_t)n - pad;
	again = xmalloc(slen + 1);
	if (EVP_EncodeBlock((unsigned char *)again, raw, (int)*len_out) != (int)slen ||
	    memcmp(again, s, slen))
		goto fail;
	free(again);
	return raw;
fail:
	free(again);
	free(raw);
	return NULL;
}

char *crypto_field_decrypt(const struct crypto_keys *k, const char *sealed)
{
	size_t prefix = strlen(FIELD_PREFIX), slen, rawlen = 0, ctlen;
	unsigned char *raw = NULL;
	unsigned char mac[SM3_LEN];
	char *plain = NULL;

	if (!sealed || strncmp(sealed, FIELD_PREFIX, prefix))
		return NULL;
	slen = strlen(sealed + prefix);
	if (slen > 4 * ((CRYPTO_FIELD_MAX + IV_LEN + SM3_LEN + 2) / 3))
		return NULL;
	raw = base64_decode_strict(sealed + prefix, slen, &rawlen);
	if (!raw || rawlen < IV_LEN + SM3_LEN)
		goto out;
	ctlen = rawlen - IV_LEN - SM3_LEN;
	field_mac(k, raw, raw + IV_LEN, ctlen, mac);
	if (CRYPTO_memcmp(mac, raw + IV_LEN + ctlen, SM3_LEN))
		goto out;
	plain = xmalloc(ctlen + 1);
	if (sm4_ctr(k->enc, raw, raw + IV_LEN, ctlen, (unsigned char *)plain)) {
		free(plain);
		plain = NULL;
		goto out;
	}
	plain[ctlen] = '\0';
	/* Authentic text came from a C string; an inner NUL would truncate silently. */
	if (memchr(plain, '\0', ctlen)) {
		OPENSSL_cleanse(plain, ctlen);
		free(plain);
		plain = NULL;
	}
out:
	if (raw)
		OPENSSL_cleanse(raw, rawlen);
	free(raw);
	return plain;
}

/* ------------------------------------------------------------------ */
/* Key file                                                            */
/* ------------------------------------------------------------------ */

struct key_slot {
	const char *name;
	size_t off;
	size_t len;
};

static const struct key_slot key_slots[] = {
	{ "enc", offsetof(struct crypto_keys, enc), SM4_KEY_LEN },
	{ "mac", offsetof(struct crypto_keys, mac), 32 },
	{ "lookup", offsetof(struct crypto_keys, lookup), 32 },
	{ "audit", offsetof(struct crypto_keys, audit), 32 },
	{ "session", offsetof(struct crypto_keys, session), 32 },
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int crypto_keys_create(const char *path, struct crypto_keys *out, const char **why)
{
	struct crypto_keys k;
	char text[512], hex[2 * 32 + 1];
	size_t len = 0;
	int fd = -1, ret = -1, created = 0, saved;
	const char *reason = NULL;

	if (crypto_random(&k, sizeof(k))) {
		errno = EIO;
		reason = "random number generator failed";
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(key_slots); i++) {
		const struct key_slot *s = &key_slots[i];
		crypto_hex((const unsigned char *)&k + s->off, s->len, hex);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s=%s\n", s->name, hex);
	}
	assert(len < sizeof(text));

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		reason = strerror(errno);
		goto out;
	}
	created = 1;
	/* The umask can only clear bits; this makes sure none but 0600 remain. */
	if (fchmod(fd, 0600) || write_all(fd, text, len) || fsync(fd)) {
		reason = strerror(errno);
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		reason = strerror(errno);
		goto out;
	}
	fd = -1;
	if (out)
		*out = k;
	ret = 0;
out:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (ret && created)
		unlink(path);
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(text, sizeof(text));
	if (why)
		*why = ret ? reason : NULL;
	errno = saved;
	return ret;
}

/* Parses the key file text (NUL-terminated). Returns NULL or the reason. */
static const char *keys_parse(char *text, struct crypto_keys *k)
{
	unsigned seen = 0;
	char *line = text, *next;

	for (; line && *line; line = next) {
		char *eq, *end;
		size_t i, vlen;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		end = line + strlen(line);
		while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return "key file has a line without '='";
		*eq = '\0';
		for (i = 0; i < ARRAY_SIZE(key_slots); i++)
			if (!strcmp(line, key_slots[i].name))
				break;
		if (i == ARRAY_SIZE(key_slots))
			return "key file names an unknown key";
		if (seen & (1u << i))
			return "key file names a key twice";
		vlen = strlen(eq + 1);
		if (vlen != 2 * key_slots[i].len ||
		    unhex(eq + 1, key_slots[i].len, (unsigned char *)k + key_slots[i].off))
			return "key file has a key of the wrong length or not in hex";
		seen |= 1u << i;
	}
	if (seen != (1u << ARRAY_SIZE(key_slots)) - 1)
		return "key file lacks one of enc, mac, lookup, audit, session";
	return NULL;
}

int crypto_keys_load(const char *path, struct crypto_keys *out, const char **why)
{
	struct crypto_keys k;
	struct stat st;
	char text[KEYFILE_MAX + 1];
	size_t len = 0;
	int fd, ret = -1, err = 0;
	const char *reason = NULL;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno; /* ENOENT here, and only here, means "no key file yet" */
		goto out;
	}
	/* fstat on the open descriptor: the file checked is the file read. */
	if (fstat(fd, &st)) {
		err = errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = EINVAL;
		reason = "key file is not a regular file";
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		err = EPERM;
		reason = "key file is accessible by group or others (chmod 600 it)";
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, text + len, sizeof(text) - 1 - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof(text) - 1) {
			err = EFBIG;
			reason = "key file is too large";
			goto out;
		}
	}
	text[len] = '\0';
	err = EINVAL;
	if (memchr(text, '\0', len)) {
		reason = "key file contains a NUL byte";
		goto out;
	}
	reason = keys_parse(text, &k);
	if (reason)
		goto out;
	*out = k;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(text, sizeof(text));
	if (ret && !reason)
		reason = strerror(err);
	if (why)
		*why = ret ? reason : NULL;
	if (ret)
		errno = err;
	return ret;
}
