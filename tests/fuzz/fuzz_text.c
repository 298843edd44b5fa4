/* fuzz_text.c — the sanitiser and the other text/ helpers on any bytes.
 *
 * Checked for every input (treated as a C string up to its first NUL where the
 * function takes one, and with its embedded NULs where it takes a length):
 *   - text_visible's result is valid UTF-8 that text_check accepts, in both
 *     modes (the promise of text.h), and holds no ESC, CR or bidi control;
 *   - text_check never accepts what text_visible would change;
 *   - text_chars, text_width, text_prefix, text_fit and text_pad_left stay
 *     inside the string and give the widths they document;
 *   - text_crlf_to_lf only shortens;
 *   - GB18030 → UTF-8 → GB18030 gives the bytes back when the first step
 *     succeeds, and UTF-8 → GBK never crashes. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	size_t slen = strlen(s);

	for (int ml = 0; ml <= 1; ml++) {
		char *v = text_visible(s, ml);
		size_t vlen = strlen(v);
		assert(text_check(v, vlen, ml, "字段", NULL) == KS_OK);
		assert(!strchr(v, '\033') && !strchr(v, '\r'));
		assert(!strstr(v, "\xE2\x80\xAE") && !strstr(v, "\xE2\x81\xA6"));  /* U+202E, U+2066 */
		if (text_check(s, slen, ml, "字段", NULL) == KS_OK)
			assert(strcmp(v, s) == 0);
		int w = text_width(v);
		assert(w >= 0);
		for (int width = -1; width <= 12; width += 3) {
			int cols = -1;
			size_t p = text_prefix(v, width, &cols);
			assert(p <= vlen);
			assert(cols >= 0 && (width <= 0 || cols <= width));
			char *f = text_fit(v, width);
			assert(text_width(f) == (width > 0 ? width : 0));
			free(f);
			char *r = text_pad_left(v, width);
			assert(text_width(r) == (width > 0 ? width : 0));
			free(r);
		}
		free(v);
	}
	ks_err e;
	(void)text_check((const char *)data, size, false, NULL, &e);
	assert(text_chars(s) <= slen);

	char *c = malloc(size + 1);
	memcpy(c, data, size);
	c[size] = 0;
	size_t n = text_crlf_to_lf(c, size);
	assert(n <= size);
	free(c);

	char *u = NULL, *g = NULL;
	size_t ulen = 0, glen = 0;
	if (text_to_utf8((const char *)data, size, "GB18030", &u, &ulen, &e) == KS_OK) {
		if (text_from_utf8(u, ulen, "GB18030", &g, &glen, &e) == KS_OK) {
			assert(glen == size && memcmp(g, data, size) == 0);
			free(g);
		}
		free(u);
	}
	if (text_from_utf8((const char *)data, size, "GBK", &g, &glen, &e) == KS_OK)
		free(g);
	free(s);
	return 0;
}
