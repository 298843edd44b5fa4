/* utf8.c — strict UTF-8 decoding, input validation, safe display copies. */
#include <string.h>
#include "kesu/text.h"

bool text_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
	if (*pos >= len)
		return false;
	const unsigned char *p = (const unsigned char *)s + *pos;
	size_t avail = len - *pos;
	unsigned char b = p[0];
	if (b < 0x80) {
		*cp = b;
		*pos += 1;
		return true;
	}
	size_t n;
	uint32_t c;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
	if (b >= 0xC2 && b <= 0xDF) {
		n = 2;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0; /* no overlongs */
		else if (b == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90; /* no overlongs */
		else if (b == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return false; /* continuation byte, C0, C1, F5..FF */
	}
	if (avail < n || p[1] < lo || p[1] > hi)
		return false;
	c = (c << 6) | (p[1] & 0x3F);
	for (size_t i = 2; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return false;
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	*pos += n;
	return true;
}

size_t text_chars(const char *s)
{
	if (!s)
		return 0;
	size_t len = strlen(s), pos = 0, n = 0;
	uint32_t cp;
	while (pos < len) {
		if (!text_utf8_next(s, len, &pos, &cp))
			pos++;
		n++;
	}
	return n;
}

size_t text_crlf_to_lf(char *s, size_t len)
{
	size_t w = 0;
	for (size_t r = 0; r < len; r++) {
		if (s[r] == '\r' && r + 1 < len && s[r + 1] == '\n')
			continue;
		s[w++] = s[r];
	}
	if (w < len)
		s[w] = '\0';
	return w;
}

/* How text_check and text_visible treat one code point. */
enum text_class {
	TEXT_OK,      /* keep as is */
	TEXT_BREAK,   /* '\n' or '\t' in a single-line value */
	TEXT_CONTROL, /* refused control character */
};

static enum text_class text_classify(uint32_t cp, bool multiline)
{
	if (cp == '\n' || cp == '\t')
		return multiline ? TEXT_OK : TEXT_BREAK;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return TEXT_CONTROL;
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return TEXT_CONTROL;
	return TEXT_OK;
}

ks_status text_check(const char *s, size_t len, bool multiline,
                     const char *label, ks_err *err)
{
	if (!label)
		label = "输入";
	size_t pos = 0, nchar = 0;
	uint32_t cp;
	while (pos < len) {
		size_t start = pos;
		if (!text_utf8_next(s, len, &pos, &cp))
			return ks_errf(err, KS_INVALID,
			               "「%s」含有无效的 UTF-8 编码（第 %zu 字节）",
			               label, start + 1);
		nchar++;
		switch (text_classify(cp, multiline)) {
		case TEXT_OK:
			break;
		case TEXT_BREAK:
			return ks_errf(err, KS_INVALID,
			               "「%s」不能包含换行或制表符（第 %zu 个字符，U+%04X）",
			               label, nchar, (unsigned)cp);
		case TEXT_CONTROL:
			return ks_errf(err, KS_INVALID,
			               "「%s」含有控制字符或转义序列（第 %zu 个字符，U+%04X）",
			               label, nchar, (unsigned)cp);
		}
	}
	return KS_OK;
}

/* Most output bytes per input byte: an invalid byte becomes "\xHH" (4),
 * a 2-byte C1 control "<U+XXXX>" (8), a 3-byte bidi control 8, a 1-byte
 * C0 control 2, anything else itself. */
#define TEXT_VIS_MAX 4

char *text_visible(const char *s, bool multiline)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		s = "";
	size_t len = strlen(s), pos = 0;
	char *out = ks_malloc(len * TEXT_VIS_MAX + 1);
	char *w = out;
	uint32_t cp;
	while (pos < len) {
		size_t start = pos;
		if (!text_utf8_next(s, len, &pos, &cp)) {
			unsigned char b = (unsigned char)s[pos++];
			*w++ = '\\';
			*w++ = 'x';
			*w++ = hex[b >> 4];
			*w++ = hex[b & 0x0F];
			continue;
		}
		if (text_classify(cp, multiline) == TEXT_OK) {
			memcpy(w, s + start, pos - start);
			w += pos - start;
		} else if (cp < 0x20 || cp == 0x7F) {
			*w++ = '^';
			*w++ = cp == 0x7F ? '?' : (char)('@' + cp);
		} else {
			memcpy(w, "<U+", 3);
			w += 3;
			for (int sh = 12; sh >= 0; sh -= 4)
				*w++ = hex[(cp >> sh) & 0x0F];
			*w++ = '>';
		}
	}
	*w = '\0';
	/* give back the slack when the text was mostly kept */
	return ks_realloc(out, (size_t)(w - out) + 1);
}
