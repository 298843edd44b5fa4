/* sha256.c — SHA-256 through libcrypto's low-level interface (see sha256.h
 * for why not EVP). The functions are marked deprecated in OpenSSL 3 in
 * favour of EVP but remain part of its API; the digest is the same. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include "kesu/sha256.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(ks_sha256), "ks_sha256 too small for SHA256_CTX");
_Static_assert(_Alignof(SHA256_CTX) <= _Alignof(ks_sha256), "ks_sha256 alignment");

void ks_sha256_init(ks_sha256 *h)
{
	SHA256_Init((SHA256_CTX *)h);
}

void ks_sha256_update(ks_sha256 *h, const void *data, size_t len)
{
	SHA256_Update((SHA256_CTX *)h, data, len);
}

void ks_sha256_final(ks_sha256 *h, unsigned char md[32])
{
	SHA256_Final(md, (SHA256_CTX *)h);
}

void ks_sha256_tohex(const unsigned char md[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void ks_sha256_hex(const void *data, size_t len, char hex[65])
{
	ks_sha256 h;
	unsigned char md[32];
	ks_sha256_init(&h);
	ks_sha256_update(&h, data, len);
	ks_sha256_final(&h, md);
	ks_sha256_tohex(md, hex);
}
