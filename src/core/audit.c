/* audit.c — hashing events into the chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <openssl/evp.h>
#include "kesu/audit.h"

void audit_hash_event(const char *case_no, store_event *e)
{
	json_t *a = json_pack("[s, i, I, s, s, s?, s, s]", case_no, e->seq, (json_int_t)e->at,
	                      e->actor, e->action, e->from_state, e->to_state,
	                      e->fields ? e->fields : "{}");
	char *canon = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(a);
	if (!canon)
		abort();
	static const char domain[] = "kesu-event-v1";
	unsigned char md[32];
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort();
	EVP_DigestUpdate(ctx, domain, sizeof domain); /* includes the NUL separator */
	EVP_DigestUpdate(ctx, e->prev_hash, strlen(e->prev_hash) + 1);
	EVP_DigestUpdate(ctx, canon, strlen(canon));
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	free(canon);
	for (unsigned i = 0; i < 32; i++)
		snprintf(e->hash + 2 * i, 3, "%02x", md[i]);
}
