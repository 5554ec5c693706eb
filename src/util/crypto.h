/*
 * crypto.h: China's commercial cryptography through OpenSSL 3's EVP API:
 * SM3 hashing, HMAC-SM3, PBKDF2-HMAC-SM3 password hashes, SM4-CTR with
 * HMAC-SM3 (encrypt-then-MAC) for fields at rest, and a key file.
 * Thread-safe: no shared mutable state after crypto_keys_load().
 */
#ifndef DJ_CRYPTO_H
#define DJ_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

#define SM3_LEN 32
#define SM4_KEY_LEN 16

struct crypto_keys {
	unsigned char enc[SM4_KEY_LEN]; /* SM4 field encryption */
	unsigned char mac[32];          /* HMAC-SM3 over ciphertexts */
	unsigned char lookup[32];       /* HMAC-SM3 keyed lookup hashes */
	unsigned char audit[32];        /* HMAC-SM3 audit chain */
	unsigned char session[32];      /* HMAC-SM3 session/csrf tokens */
};

/* Fills buf with n cryptographically random bytes. Returns 0 or -1. */
int crypto_random(void *buf, size_t n);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void crypto_hex(const unsigned char *in, size_t n, char *out);
void crypto_sm3(const void *data, size_t n, unsigned char out[SM3_LEN]);
void crypto_hmac_sm3(const unsigned char *key, size_t keylen, const void *data, size_t n,
		     unsigned char out[SM3_LEN]);
/* HMAC-SM3 as 64 hex characters + NUL. */
void crypto_hmac_sm3_hex(const unsigned char *key, size_t keylen, const void *data, size_t n, char out[65]);
/* Constant-time comparison (CRYPTO_memcmp): 1 when the n bytes are equal, else 0. */
int crypto_memeq(const void *a, const void *b, size_t n);

/*
 * Password hashing: returns a new string "pbkdf2-sm3$<iter>$<salt hex>$<hash hex>"
 * (caller frees) with a fresh 16-byte salt and a 32-byte derived key.
 */
char *crypto_password_hash(const char *password, unsigned iterations);
/* (crypto_password_hash returns NULL when iterations is 0 or above INT_MAX, or the RNG fails.) */
/* 1 when password matches the stored string, 0 when not, -1 on a malformed string. */
int crypto_password_verify(const char *password, const char *stored);
/* Iteration count recorded in a stored hash (0 when malformed). */
unsigned crypto_password_iterations(const char *stored);

/*
 * Field encryption: SM4-CTR with a random 16-byte IV, then HMAC-SM3 over
 * "v1" || iv || ciphertext. Output is "v1:" + base64(iv || ct || mac): a new
 * string, caller frees. Decryption returns a new plaintext string or NULL
 * when the MAC does not match or the text is malformed.
 */
#define CRYPTO_FIELD_MAX (16u << 20) /* longest plaintext; longer ones give NULL */
char *crypto_field_encrypt(const struct crypto_keys *k, const char *plain);
char *crypto_field_decrypt(const struct crypto_keys *k, const char *sealed);

/*
 * Key file: 5 random keys, hex, one "name=hex" per line. crypto_keys_create
 * writes a new file with mode 0600 (fails if it exists); crypto_keys_load
 * reads one and refuses a file readable by group or others.
 * Return 0 or -1 with a one-line reason in *why (static string or errno text).
 * On failure errno is set: crypto_keys_load leaves ENOENT only when the file
 * does not exist (EPERM: group/other access, EINVAL: malformed, EFBIG: too big);
 * crypto_keys_create leaves EEXIST when the path exists.
 */
int crypto_keys_create(const char *path, struct crypto_keys *out, const char **why);
int crypto_keys_load(const char *path, struct crypto_keys *out, const char **why);

#endif
