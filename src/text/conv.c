/* conv.c — encoding conversion at the edges (iconv), locale codeset. */
#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "kesu/text.h"

/* Byte offset (0-based) of the first invalid UTF-8 sequence in s, or len. */
static size_t text_utf8_bad(const char *s, size_t len)
{
	size_t pos = 0;
	uint32_t cp;
	while (pos < len && text_utf8_next(s, len, &pos, &cp))
		;
	return pos;
}

/* Convert s[0..len) from encoding from to encoding to. enc is the name the
 * caller gave (the non-UTF-8 side), used in messages; from_utf8 says which
 * side it is. */
static ks_status text_iconv(const char *s, size_t len, const char *from,
                            const char *to, const char *enc, bool from_utf8,
                            char **out, size_t *outlen, ks_err *err)
{
	ks_status st = KS_OK;
	iconv_t cd = (iconv_t)-1;
	char *buf = NULL;
	*out = NULL;
	*outlen = 0;

	if (!enc || !*enc) {
		st = ks_errf(err, KS_INVALID, "不支持的字符编码「」");
		goto done;
	}
	if (from_utf8) {
		size_t bad = text_utf8_bad(s, len);
		if (bad < len) {
			st = ks_errf(err, KS_INVALID,
			             "文本含有无效的 UTF-8 编码（第 %zu 字节）", bad + 1);
			goto done;
		}
	}
	cd = iconv_open(to, from);
	if (cd == (iconv_t)-1) {
		if (errno == EINVAL)
			st = ks_errf(err, KS_INVALID, "不支持的字符编码「%s」", enc);
		else
			st = ks_errf(err, KS_FAIL, "无法转换字符编码「%s」：%s",
			             enc, strerror(errno));
		goto done;
	}

	size_t cap = len * 2 + 16; /* one byte always kept for the NUL */
	buf = ks_malloc(cap);
	char *in = (char *)s, *o = buf;
	size_t inleft = len, oleft = cap - 1;
	bool flushing = inleft == 0;
	for (;;) {
		size_t r = flushing ? iconv(cd, NULL, NULL, &o, &oleft)
		                    : iconv(cd, &in, &inleft, &o, &oleft);
		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = true; /* all input taken; emit any shift state */
			continue;
		}
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			cap *= 2;
			buf = ks_realloc(buf, cap);
			o = buf + used;
			oleft = cap - 1 - used;
			continue;
		}
		size_t off = (size_t)(in - s);
		if ((errno == EILSEQ || errno == EINVAL) && !from_utf8) {
			st = ks_errf(err, KS_INVALID,
			             "文本不是有效的 %s 编码（第 %zu 字节）", enc, off + 1);
		} else if (errno == EILSEQ && from_utf8) {
			size_t p = off;
			uint32_t cp = 0xFFFD;
			text_utf8_next(s, len, &p, &cp);
			st = ks_errf(err, KS_INVALID,
			             "文本第 %zu 字节的字符 U+%04X 无法用 %s 编码表示",
			             off + 1, (unsigned)cp, enc);
		} else {
			st = ks_errf(err, KS_FAIL, "字符编码转换失败「%s」（第 %zu 字节）：%s",
			             enc, off + 1, strerror(errno));
		}
		goto done;
	}
	*o = '\0';
	*outlen = (size_t)(o - buf);
	*out = buf;
	buf = NULL;
done:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(buf);
	return st;
}

ks_status text_from_utf8(const char *s, size_t len, const char *to_enc,
                         char **out, size_t *outlen, ks_err *err)
{
	return text_iconv(s, len, "UTF-8", to_enc, to_enc, true, out, outlen, err);
}

ks_status text_to_utf8(const char *s, size_t len, const char *from_enc,
                       char **out, size_t *outlen, ks_err *err)
{
	return text_iconv(s, len, from_enc, "UTF-8", from_enc, false, out, outlen, err);
}

bool text_is_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}
