/* sha256.h — SHA-256 from libcrypto, without the EVP provider machinery.
 *
 * EVP's first digest initialises OpenSSL 3 (reads openssl.cnf, builds the
 * algorithm name map, checks engines): about 5 million instructions in every
 * process, more than the whole of `kesu show`'s own work. The low-level
 * SHA256_* functions of the same libcrypto compute the same digest directly. */
#ifndef KESU_SHA256_H
#define KESU_SHA256_H

#include <stddef.h>

typedef struct ks_sha256 {
	/* large enough for OpenSSL's SHA256_CTX (checked in sha256.c) */
	unsigned long long opaque[16];
} ks_sha256;

void ks_sha256_init(ks_sha256 *h);
void ks_sha256_update(ks_sha256 *h, const void *data, size_t len);
/* the 32-byte digest */
void ks_sha256_final(ks_sha256 *h, unsigned char md[32]);
/* the digest of DATA as 64 lower-case hex digits and a NUL */
void ks_sha256_hex(const void *data, size_t len, char hex[65]);
/* MD as 64 lower-case hex digits and a NUL */
void ks_sha256_tohex(const unsigned char md[32], char hex[65]);

#endif
