/* fuzz_tokenize.c — the search tokenizer (text/tokenize.c) on any bytes.
 *
 * Checked: in both modes every token is 1…TOKENIZE_MAX bytes of valid UTF-8
 * with no separator in it, its source range lies inside the input and does
 * not go backwards, and the first token is never colocated; tokenize_query's
 * expression is valid UTF-8 made only of double-quoted phrases (quotes
 * balanced, nothing outside them but spaces), so no FTS5 syntax can come from
 * the user, and reading it back in query mode works. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/text.h"
#include "kesu/tokenize.h"

typedef struct walk {
	size_t len, last_start, n;
} walk;

static int on_token(void *ctx, int flags, const char *tok, size_t len, size_t start, size_t end)
{
	walk *w = ctx;
	assert(len >= 1 && len <= TOKENIZE_MAX);
	assert(start < end && end <= w->len);
	assert(w->n > 0 || !(flags & TOKENIZE_COLOCATED));
	assert(start >= w->last_start);
	assert(text_check(tok, len, false, NULL, NULL) == KS_OK);
	assert(!memchr(tok, ' ', len) && !memchr(tok, '"', len));
	w->last_start = start;
	w->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int m = 0; m <= 1; m++) {
		walk w = { .len = size };
		assert(tokenize_each((const char *)data, size, m ? TOKENIZE_QUERY : TOKENIZE_INDEX, on_token, &w) == 0);
	}
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	char *q = tokenize_query(s);
	size_t qlen = strlen(q);
	assert(text_check(q, qlen, false, NULL, NULL) == KS_OK);
	int inside = 0;
	for (size_t i = 0; i < qlen; i++) {
		if (q[i] == '"') {
			if (inside && q[i + 1] == '"') { /* a doubled quote inside a phrase */
				i++;
				continue;
			}
			inside = !inside;
		} else if (!inside) {
			assert(q[i] == ' ');
		}
	}
	assert(!inside);
	walk w = { .len = qlen };
	assert(tokenize_each(q, qlen, TOKENIZE_QUERY, on_token, &w) == 0);
	free(q);
	free(s);
	return 0;
}
