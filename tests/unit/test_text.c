/* test_text.c — unit tests for the text module (validation, safe display,
 * widths, fitting, encoding conversion). Expected values are hand-checked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/text.h"
#include "kesu/sha256.h"

#define N_ROWS(t) (sizeof(t) / sizeof((t)[0]))
/* A string literal and its length, embedded NULs included. */
#define B(lit) lit, sizeof(lit) - 1

/* ---- text_utf8_next ------------------------------------------------- */

static const struct {
	const char *s;
	size_t len;
	size_t pos;      /* start position */
	bool ok;
	uint32_t cp;     /* if ok */
	size_t next;     /* *pos afterwards (unchanged if !ok) */
} utf8_rows[] = {
	{ B("A"), 0, true, 0x41, 1 },
	{ B("\0"), 0, true, 0x00, 1 },                    /* NUL is a code point */
	{ B("\x7f"), 0, true, 0x7F, 1 },
	{ B("\xc3\xa9"), 0, true, 0xE9, 2 },              /* é */
	{ B("\xc2\x80"), 0, true, 0x80, 2 },              /* smallest 2-byte */
	{ B("\xe5\xae\xa2"), 0, true, 0x5BA2, 3 },        /* 客 */
	{ B("a\xe5\xae\xa2"), 1, true, 0x5BA2, 4 },       /* from the middle */
	{ B("\xe0\xa0\x80"), 0, true, 0x800, 3 },         /* smallest 3-byte */
	{ B("\xed\x9f\xbf"), 0, true, 0xD7FF, 3 },        /* just below surrogates */
	{ B("\xee\x80\x80"), 0, true, 0xE000, 3 },        /* just above */
	{ B("\xef\xbf\xbf"), 0, true, 0xFFFF, 3 },
	{ B("\xf0\x90\x80\x80"), 0, true, 0x10000, 4 },   /* smallest 4-byte */
	{ B("\xf0\x9f\x98\x80"), 0, true, 0x1F600, 4 },   /* 😀 */
	{ B("\xf4\x8f\xbf\xbf"), 0, true, 0x10FFFF, 4 },  /* largest */
	{ B("\xf4\x90\x80\x80"), 0, false, 0, 0 },        /* U+110000 */
	{ B("\xf5\x80\x80\x80"), 0, false, 0, 0 },
	{ B("\xff"), 0, false, 0, 0 },
	{ B("\xc0\xaf"), 0, false, 0, 0 },                /* overlong '/' */
	{ B("\xc1\xbf"), 0, false, 0, 0 },                /* overlong */
	{ B("\xe0\x80\xaf"), 0, false, 0, 0 },            /* overlong */
	{ B("\xe0\x9f\xbf"), 0, false, 0, 0 },            /* overlong U+07FF */
	{ B("\xf0\x80\x80\xaf"), 0, false, 0, 0 },        /* overlong */
	{ B("\xf0\x8f\xbf\xbf"), 0, false, 0, 0 },        /* overlong U+FFFF */
	{ B("\xed\xa0\x80"), 0, false, 0, 0 },            /* surrogate D800 */
	{ B("\xed\xbf\xbf"), 0, false, 0, 0 },            /* surrogate DFFF */
	{ B("\x80"), 0, false, 0, 0 },                    /* stray continuation */
	{ B("\x9b"), 0, false, 0, 0 },                    /* raw CSI byte */
	{ B("\xe5\xae"), 0, false, 0, 0 },                /* truncated at end */
	{ B("\xe5\xae" "a"), 0, false, 0, 0 },            /* truncated inside */
	{ B("\xf0\x9f\x98"), 0, false, 0, 0 },
	{ B("\xc3"), 0, false, 0, 0 },
	{ B("\xe5\xae\xa2"), 3, false, 0, 3 },            /* at the end */
	{ "\xe5\xae\xa2", 2, 0, false, 0, 0 },            /* len cuts it */
};

static void test_utf8_next(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ROWS(utf8_rows); i++) {
		size_t pos = utf8_rows[i].pos;
		uint32_t cp = 0xDEADBEEF;
		bool ok = text_utf8_next(utf8_rows[i].s, utf8_rows[i].len, &pos, &cp);
		if (ok != utf8_rows[i].ok)
			fail_msg("row %zu: ok=%d", i, ok);
		if (ok && cp != utf8_rows[i].cp)
			fail_msg("row %zu: cp=U+%04X", i, (unsigned)cp);
		if (!ok && cp != 0xDEADBEEF)
			fail_msg("row %zu: cp written on failure", i);
		if (pos != (ok ? utf8_rows[i].next : utf8_rows[i].pos))
			fail_msg("row %zu: pos=%zu", i, pos);
	}
}

static void test_chars(void **state)
{
	(void)state;
	static const struct { const char *s; size_t n; } rows[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "客诉ab", 4 },
		{ "e\xcc\x81", 2 },             /* e + combining acute */
		{ "a\xc0\xaf" "b", 4 },         /* two invalid bytes */
		{ "\xed\xa0\x80", 3 },          /* surrogate: 3 invalid bytes */
		{ "\xf0\x9f\x98\x80!", 2 },
	};
	for (size_t i = 0; i < N_ROWS(rows); i++)
		if (text_chars(rows[i].s) != rows[i].n)
			fail_msg("row %zu: %zu", i, text_chars(rows[i].s));
	assert_int_equal(text_chars(NULL), 0);
}

static void test_crlf_to_lf(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } rows[] = {
		{ "", "" },
		{ "abc", "abc" },
		{ "a\r\nb\r\n", "a\nb\n" },
		{ "a\rb", "a\rb" },             /* lone CR kept */
		{ "\r\r\n", "\r\n" },
		{ "\n\r", "\n\r" },
		{ "客\r\n户", "客\n户" },
	};
	for (size_t i = 0; i < N_ROWS(rows); i++) {
		char buf[32];
		size_t len = strlen(rows[i].in);
		memcpy(buf, rows[i].in, len + 1);
		size_t n = text_crlf_to_lf(buf, len);
		assert_int_equal(n, strlen(rows[i].out));
		assert_memory_equal(buf, rows[i].out, n);
		assert_int_equal(buf[n], '\0');
	}
}

/* ---- text_check ----------------------------------------------------- */

#define L "「客户名称」"
#define CTRL L "含有控制字符或转义序列"
#define BAD L "含有无效的 UTF-8 编码"
#define BRK L "不能包含换行或制表符"

static const struct {
	const char *s;
	size_t len;
	bool multiline;
	const char *msg;    /* NULL: accepted */
} check_rows[] = {
	/* accepted */
	{ B(""), false, NULL },
	{ B("张三"), false, NULL },
	{ B("ACME 有限公司 (上海)"), false, NULL },
	{ B("\xc2\xa0"), false, NULL },                     /* NBSP U+00A0 */
	{ B("\xe2\x80\xa9"), false, NULL },                 /* U+2029 */
	{ B("\xe2\x80\xaf"), false, NULL },                 /* U+202F */
	{ B("\xe2\x81\xa5"), false, NULL },                 /* U+2065 */
	{ B("\xe2\x81\xaa"), false, NULL },                 /* U+206A */
	{ B("\xf4\x8f\xbf\xbf"), false, NULL },             /* U+10FFFF */
	{ B("第一行\n第二行\t完"), true, NULL },
	{ "ab\x1b", 2, false, NULL },                       /* len excludes ESC */
	/* hostile corpus */
	{ B("\x1b[2J"), false, CTRL "（第 1 个字符，U+001B）" },
	{ B("ab\x1b]52;c;SGVsbG8=\x07"), true, CTRL "（第 3 个字符，U+001B）" },
	{ B("客户\x1b[21t"), false, CTRL "（第 3 个字符，U+001B）" },
	{ B("响铃\x07"), false, CTRL "（第 3 个字符，U+0007）" },
	{ B("客\xc2\x9b" "2J"), false, CTRL "（第 2 个字符，U+009B）" },
	{ B("\xc2\x80"), false, CTRL "（第 1 个字符，U+0080）" },
	{ B("\xc2\x9f"), false, CTRL "（第 1 个字符，U+009F）" },
	{ B("客\x9b" "2J"), false, BAD "（第 4 字节）" },     /* raw 0x9B */
	{ B("ab\0cd"), true, CTRL "（第 3 个字符，U+0000）" },
	{ B("客\0"), false, CTRL "（第 2 个字符，U+0000）" },
	{ B("a\xc0\xaf"), false, BAD "（第 2 字节）" },
	{ B("客户\xed\xa0\x80"), false, BAD "（第 7 字节）" },
	{ B("客a\xff"), false, BAD "（第 5 字节）" },
	{ B("客户\xe5\xae"), false, BAD "（第 7 字节）" },      /* truncated */
	{ B("\xf4\x90\x80\x80"), false, BAD "（第 1 字节）" },  /* > U+10FFFF */
	{ B("abc\xe2\x80\xaetxt.exe"), false, CTRL "（第 4 个字符，U+202E）" },
	{ B("\xe2\x80\xaa"), false, CTRL "（第 1 个字符，U+202A）" },
	{ B("客\xe2\x81\xa6"), false, CTRL "（第 2 个字符，U+2066）" },
	{ B("\xe2\x81\xa9"), true, CTRL "（第 1 个字符，U+2069）" },
	{ B("a\x7f"), false, CTRL "（第 2 个字符，U+007F）" },
	{ B("\x01"), true, CTRL "（第 1 个字符，U+0001）" },
	{ B("\x1f"), true, CTRL "（第 1 个字符，U+001F）" },
	/* line breaks and tabs */
	{ B("第一行\n第二行"), false, BRK "（第 4 个字符，U+000A）" },
	{ B("a\tb"), false, BRK "（第 2 个字符，U+0009）" },
	{ B("a\r\nb"), true, CTRL "（第 2 个字符，U+000D）" },
	{ B("a\r\nb"), false, CTRL "（第 2 个字符，U+000D）" },
	{ B("a\rb"), true, CTRL "（第 2 个字符，U+000D）" },
};

static void test_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ROWS(check_rows); i++) {
		ks_err err = { "untouched" };
		ks_status st = text_check(check_rows[i].s, check_rows[i].len,
		                          check_rows[i].multiline, "客户名称", &err);
		if (!check_rows[i].msg) {
			if (st != KS_OK)
				fail_msg("row %zu: refused: %s", i, err.msg);
			assert_string_equal(err.msg, "untouched");
			continue;
		}
		if (st != KS_INVALID)
			fail_msg("row %zu: status %d", i, st);
		if (strcmp(err.msg, check_rows[i].msg) != 0)
			fail_msg("row %zu: got \"%s\" want \"%s\"", i, err.msg,
			         check_rows[i].msg);
		/* a NULL error buffer is allowed */
		assert_int_equal(text_check(check_rows[i].s, check_rows[i].len,
		                            check_rows[i].multiline, "x", NULL),
		                 KS_INVALID);
	}
}

static void test_check_misc(void **state)
{
	(void)state;
	ks_err err;
	assert_int_equal(text_check(NULL, 0, false, "备注", &err), KS_OK);
	assert_int_equal(text_check(B("\x1b"), false, NULL, &err), KS_INVALID);
	assert_string_equal(err.msg,
	                    "「输入」含有控制字符或转义序列（第 1 个字符，U+001B）");
}

/* ---- text_visible --------------------------------------------------- */

static const struct {
	const char *in;
	bool multiline;
	const char *out;
} visible_rows[] = {
	{ "", false, "" },
	{ "张三 ACME", false, "张三 ACME" },
	{ "\x1b[2J", false, "^[[2J" },
	{ "\x1b]52;c;SGVsbG8=\x07", true, "^[]52;c;SGVsbG8=^G" },
	{ "\x1b[21t", false, "^[[21t" },
	{ "\x07", false, "^G" },
	{ "\x01\x1f", false, "^A^_" },
	{ "a\x7f" "b", false, "a^?b" },
	{ "客\xc2\x9b" "2J", false, "客<U+009B>2J" },
	{ "\xc2\x80\xc2\x9f\xc2\xa0", false, "<U+0080><U+009F>\xc2\xa0" },
	{ "客\x9b" "2J", false, "客\\x9B2J" },
	{ "\xc0\xaf", false, "\\xC0\\xAF" },
	{ "\xed\xa0\x80", false, "\\xED\\xA0\\x80" },
	{ "客户\xe5\xae", false, "客户\\xE5\\xAE" },
	{ "\xe5\xae" "a", false, "\\xE5\\xAE" "a" },
	{ "\xf4\x90\x80\x80", false, "\\xF4\\x90\\x80\\x80" },
	{ "abc\xe2\x80\xaetxt.exe", false, "abc<U+202E>txt.exe" },
	{ "\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9", true,
	  "<U+202A><U+2066><U+2069>" },
	{ "a\nb\tc", true, "a\nb\tc" },
	{ "a\nb\tc", false, "a^Jb^Ic" },
	{ "a\r\nb", true, "a^M\nb" },
	{ "a\r\nb", false, "a^M^Jb" },
	{ "C:\\x41", false, "C:\\x41" },    /* backslash copied as is */
	{ "\xf0\x9f\x98\x80", false, "\xf0\x9f\x98\x80" },
};

static void test_visible(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ROWS(visible_rows); i++) {
		char *v = text_visible(visible_rows[i].in, visible_rows[i].multiline);
		if (strcmp(v, visible_rows[i].out) != 0)
			fail_msg("row %zu: got \"%s\"", i, v);
		assert_int_equal(text_check(v, strlen(v), visible_rows[i].multiline,
		                            "x", NULL), KS_OK);
		free(v);
	}
	char *v = text_visible(NULL, false);
	assert_string_equal(v, "");
	free(v);
}

/* Random hostile bytes: text_visible's output always passes text_check, and
 * text already clean comes back unchanged. Deterministic (fixed seed). */
static void test_visible_random(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"a", "客", "\x1b", "\x07", "\n", "\t", "\r", "\x7f", "\xc2\x9b",
		"\x9b", "\xc0", "\xaf", "\xed\xa0\x80", "\xe2\x80\xae", "\xe5\xae",
		"\xf4\x90", "\xff", "\xf0\x9f\x98\x80", "e\xcc\x81", "\\",
	};
	uint32_t seed = 12345;
	for (int round = 0; round < 3000; round++) {
		char buf[128];
		size_t len = 0;
		seed = seed * 1103515245u + 12345u;
		int n = (int)((seed >> 16) % 24);
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % N_ROWS(pieces)];
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
		buf[len] = '\0';
		for (int ml = 0; ml < 2; ml++) {
			char *v = text_visible(buf, ml);
			assert_int_equal(text_check(v, strlen(v), ml, "x", NULL), KS_OK);
			if (text_check(buf, len, ml, "x", NULL) == KS_OK)
				assert_string_equal(v, buf);
			free(v);
		}
	}
}

/* ---- widths --------------------------------------------------------- */

static const struct { const char *s; int w; } width_rows[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "客诉ab", 6 },
	{ "ｅ", 2 },                       /* U+FF45 full-width e */
	{ "ＡＢＣ", 6 },
	{ "，。", 4 },                     /* U+FF0C, U+3002 */
	{ "e\xcc\x81", 1 },                /* e + U+0301 */
	{ "\xe2\x80\x8b", 0 },             /* zero-width space */
	{ "…", 1 },                        /* U+2026, ambiguous -> 1 */
	{ "한국", 4 },
	{ "\xf0\x9f\x98\x80", 2 },         /* emoji */
	{ "\x1b", 1 },                     /* non-printable -> 1 */
	{ "\xc2\x9b", 1 },
	{ "a\xc0\xaf" "b", 4 },            /* invalid bytes 1 each */
	{ "客户投诉处理表", 14 },
};

static void test_width(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ROWS(width_rows); i++)
		if (text_width(width_rows[i].s) != width_rows[i].w)
			fail_msg("row %zu: %d", i, text_width(width_rows[i].s));
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_cp_width(0x5BA2), 2);
	assert_int_equal(text_cp_width(0x0301), 0);
	assert_int_equal(text_cp_width('a'), 1);
	assert_int_equal(text_cp_width(0x1B), 1);
	assert_int_equal(text_cp_width(0x2026), 1);
}

/* Widths do not depend on the caller's locale, and the thread's locale is
 * the same afterwards. */
static void test_width_locale(void **state)
{
	(void)state;
	locale_t before = uselocale((locale_t)0);
	assert_int_equal(text_width("客诉ab"), 6);
	assert_true(uselocale((locale_t)0) == before);

	/* with a per-thread "C" locale in use */
	locale_t c = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
	assert_non_null(c);
	uselocale(c);
	assert_int_equal(text_width("客诉ab"), 6);
	assert_true(uselocale((locale_t)0) == c);
	uselocale(before);
	freelocale(c);

	/* with a UTF-8 global locale */
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		assert_int_equal(text_width("客诉ab"), 6);
		setlocale(LC_CTYPE, "C");
	}
}

static void test_prefix(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int width;
		size_t bytes;
		int cols;
	} rows[] = {
		{ "客户ab", 3, 3, 2 },
		{ "客户ab", 4, 6, 4 },
		{ "客户ab", 5, 7, 5 },
		{ "客户ab", 99, 8, 6 },
		{ "e\xcc\x81x", 1, 3, 1 },      /* combining mark kept with base */
		{ "abc", 0, 0, 0 },
		{ "abc", -1, 0, 0 },
		{ "\xcc\x81" "a", 0, 2, 0 },
		{ "a\xff" "b", 2, 2, 2 },
	};
	for (size_t i = 0; i < N_ROWS(rows); i++) {
		int cols = -1;
		size_t n = text_prefix(rows[i].s, rows[i].width, &cols);
		if (n != rows[i].bytes || cols != rows[i].cols)
			fail_msg("row %zu: %zu bytes, %d cols", i, n, cols);
	}
	assert_int_equal(text_prefix(NULL, 5, NULL), 0);
}

static const struct {
	const char *s;
	int width;
	const char *fit;    /* text_fit */
	const char *left;   /* text_pad_left */
} fit_rows[] = {
	{ "客户投诉处理表", 16, "客户投诉处理表  ", "  客户投诉处理表" },
	{ "客户投诉处理表", 14, "客户投诉处理表", "客户投诉处理表" },
	{ "客户投诉处理表", 13, "客户投诉处理…", "客户投诉处理…" },
	{ "客户投诉处理表", 6, "客户… ", "客户… " },
	{ "客户投诉处理表", 5, "客户…", "客户…" },
	{ "客户投诉处理表", 4, "客… ", "客… " },
	{ "客户投诉处理表", 3, "客…", "客…" },
	{ "客户投诉处理表", 2, "… ", "… " },
	{ "客户投诉处理表", 1, "…", "…" },
	{ "客户投诉处理表", 0, "", "" },
	{ "客户投诉处理表", -3, "", "" },
	{ "abc", 5, "abc  ", "  abc" },
	{ "abcdef", 4, "abc…", "abc…" },
	{ "ab客", 4, "ab客", "ab客" },
	{ "ab客", 3, "ab…", "ab…" },
	{ "42", 5, "42   ", "   42" },
	{ "123456", 4, "123…", "123…" },
	{ "客户", 5, "客户 ", " 客户" },
	{ "", 3, "   ", "   " },
	{ "e\xcc\x81tude", 3, "e\xcc\x81t…", "e\xcc\x81t…" },
	{ "e\xcc\x81", 1, "e\xcc\x81", "e\xcc\x81" },
	{ "a\xff" "b", 2, "a…", "a…" },
	{ "\xff\xfe", 2, "\xff\xfe", "\xff\xfe" },   /* bytes copied as is */
};

static void test_fit(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ROWS(fit_rows); i++) {
		char *f = text_fit(fit_rows[i].s, fit_rows[i].width);
		char *l = text_pad_left(fit_rows[i].s, fit_rows[i].width);
		if (strcmp(f, fit_rows[i].fit) != 0)
			fail_msg("row %zu: fit \"%s\"", i, f);
		if (strcmp(l, fit_rows[i].left) != 0)
			fail_msg("row %zu: pad_left \"%s\"", i, l);
		int want = fit_rows[i].width > 0 ? fit_rows[i].width : 0;
		assert_int_equal(text_width(f), want);
		assert_int_equal(text_width(l), want);
		free(f);
		free(l);
	}
	char *f = text_fit(NULL, 2);
	assert_string_equal(f, "  ");
	free(f);
}

/* Every width from 0 to 20 for a mixed string: exact width, valid UTF-8. */
static void test_fit_all_widths(void **state)
{
	(void)state;
	const char *s = "投诉ab客\xcc\x81ｅ😀x";
	for (int w = 0; w <= 20; w++) {
		char *f = text_fit(s, w);
		assert_int_equal(text_width(f), w);
		assert_int_equal(text_check(f, strlen(f), false, "x", NULL), KS_OK);
		free(f);
	}
}

/* ---- encodings ------------------------------------------------------ */

static void test_gb18030_round_trip(void **state)
{
	(void)state;
	/* 客 BFCD, 户 BBA7, 投 CDB6, 诉 CBDF, space, € A2E3 (GB18030-2005) */
	static const char gb[] = "\xbf\xcd\xbb\xa7\xcd\xb6\xcb\xdf\x20\xa2\xe3";
	const char *u = "客户投诉 €";
	char *out = NULL, *back = NULL;
	size_t n = 0, bn = 0;
	ks_err err;
	assert_int_equal(text_from_utf8(u, strlen(u), "GB18030", &out, &n, &err), KS_OK);
	assert_int_equal(n, sizeof gb - 1);
	assert_memory_equal(out, gb, n);
	assert_int_equal(out[n], '\0');
	assert_int_equal(text_to_utf8(out, n, "GB18030", &back, &bn, &err), KS_OK);
	assert_int_equal(bn, strlen(u));
	assert_string_equal(back, u);
	free(out);
	free(back);

	/* GBK for the Chinese part */
	assert_int_equal(text_from_utf8(B("客户"), "GBK", &out, &n, &err), KS_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "\xbf\xcd\xbb\xa7", 4);
	free(out);

	/* emoji: not in GBK, but in GB18030 */
	const char *e = "a😀";
	assert_int_equal(text_from_utf8(e, strlen(e), "GB18030", &out, &n, &err), KS_OK);
	assert_int_equal(text_to_utf8(out, n, "GB18030", &back, &bn, &err), KS_OK);
	assert_string_equal(back, e);
	free(out);
	free(back);
}

static void test_conv_misc(void **state)
{
	(void)state;
	char *out = NULL, *back = NULL;
	size_t n = 99, bn = 0;
	ks_err err;

	/* empty input, s may be NULL */
	assert_int_equal(text_to_utf8(NULL, 0, "GBK", &out, &n, &err), KS_OK);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	free(out);

	/* embedded NUL converted like any character */
	assert_int_equal(text_from_utf8(B("a\0客"), "GBK", &out, &n, &err), KS_OK);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "a\0\xbf\xcd", 4);
	assert_int_equal(out[4], '\0');
	free(out);

	/* output 4x the input: the buffer has to grow */
	char big[3001];
	for (int i = 0; i < 3000; i++)
		big[i] = (char)('a' + i % 26);
	big[3000] = '\0';
	assert_int_equal(text_from_utf8(big, 3000, "UTF-32LE", &out, &n, &err), KS_OK);
	assert_int_equal(n, 12000);
	assert_memory_equal(out, "a\0\0\0b\0\0\0", 8);
	assert_int_equal(text_to_utf8(out, n, "UTF-32LE", &back, &bn, &err), KS_OK);
	assert_int_equal(bn, 3000);
	assert_string_equal(back, big);
	free(out);
	free(back);

	/* locale codeset */
	assert_false(text_is_utf8_locale());   /* no setlocale yet: "C" */
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		assert_true(text_is_utf8_locale());
		setlocale(LC_CTYPE, "C");
	}
}

static const struct {
	bool to_utf8;      /* text_to_utf8, else text_from_utf8 */
	const char *s;
	size_t len;
	const char *enc;
	const char *msg;
} conv_err_rows[] = {
	{ true, B("\xbf\xcd\x81\x20"), "GBK", "文本不是有效的 GBK 编码（第 3 字节）" },
	{ true, B("ab\xff"), "GBK", "文本不是有效的 GBK 编码（第 3 字节）" },
	{ true, B("\xbf\xcd\xbf"), "GBK", "文本不是有效的 GBK 编码（第 3 字节）" },
	{ true, B("a\x81\x30\x81"), "GB18030", "文本不是有效的 GB18030 编码（第 2 字节）" },
	{ true, B("ab"), "NOPE-9", "不支持的字符编码「NOPE-9」" },
	{ true, B("ab"), NULL, "不支持的字符编码「」" },
	{ false, B("ab\xc0\xaf"), "GBK", "文本含有无效的 UTF-8 编码（第 3 字节）" },
	{ false, B("客\xed\xa0\x80"), "GB18030", "文本含有无效的 UTF-8 编码（第 4 字节）" },
	{ false, B("a\xf0\x9f\x98\x80"), "GBK", "文本第 2 字节的字符 U+1F600 无法用 GBK 编码表示" },
	{ false, B("ab"), "NOPE-9", "不支持的字符编码「NOPE-9」" },
	{ false, B("ab"), "", "不支持的字符编码「」" },
};

static void test_conv_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ROWS(conv_err_rows); i++) {
		char *out = (char *)"sentinel";
		size_t n = 99;
		ks_err err = { "" };
		ks_status st = conv_err_rows[i].to_utf8
			? text_to_utf8(conv_err_rows[i].s, conv_err_rows[i].len,
			               conv_err_rows[i].enc, &out, &n, &err)
			: text_from_utf8(conv_err_rows[i].s, conv_err_rows[i].len,
			                 conv_err_rows[i].enc, &out, &n, &err);
		if (st != KS_INVALID)
			fail_msg("row %zu: status %d", i, st);
		if (strcmp(err.msg, conv_err_rows[i].msg) != 0)
			fail_msg("row %zu: got \"%s\"", i, err.msg);
		assert_null(out);
		assert_int_equal(n, 0);
	}
}

/* ks_sha256 (text/sha256.c): the FIPS 180-2 test vectors, in one piece and
 * fed in uneven pieces across the 64-byte block boundary */
static void test_sha256(void **state)
{
	(void)state;
	char hex[65];
	ks_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ks_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	ks_sha256 h;
	unsigned char md[32];
	ks_sha256_init(&h);
	for (size_t i = 0, k = 1; i < strlen(two); i += k, k += 3)
		ks_sha256_update(&h, two + i, i + k > strlen(two) ? strlen(two) - i : k);
	ks_sha256_final(&h, md);
	ks_sha256_tohex(md, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_next),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_crlf_to_lf),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_misc),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_visible_random),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_width_locale),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_all_widths),
		cmocka_unit_test(test_gb18030_round_trip),
		cmocka_unit_test(test_conv_misc),
		cmocka_unit_test(test_conv_errors),
		cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
