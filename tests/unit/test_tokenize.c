/* test_tokenize.c — the search tokenizer: index tokens of mixed Chinese,
 * ASCII, digits, punctuation, full-width and invalid text; byte offsets;
 * reading phrases back in query mode; and turning what a person typed into
 * an FTS5 MATCH expression that user text cannot inject into. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/tokenize.h"
#include "testlib.h"

/* Tokens as one string: "客 +客户 户" (+ marks a colocated token). */
typedef struct collect {
	char buf[4096];
	size_t n;
} collect;

static int collect_tok(void *ctx, int flags, const char *tok, size_t len, size_t start, size_t end)
{
	collect *c = ctx;
	assert_true(start < end);
	assert_true(len > 0 && len <= TOKENIZE_MAX);
	int k = snprintf(c->buf + c->n, sizeof c->buf - c->n, "%s%s%.*s", c->n ? " " : "",
	                 (flags & TOKENIZE_COLOCATED) ? "+" : "", (int)len, tok);
	assert_true(k > 0 && (size_t)k < sizeof c->buf - c->n);
	c->n += (size_t)k;
	return 0;
}

static const char *toks(const char *s, size_t len, tokenize_mode mode)
{
	static collect c;
	c.n = 0;
	c.buf[0] = '\0';
	assert_int_equal(tokenize_each(s, len, mode, collect_tok, &c), 0);
	return c.buf;
}

static void test_index(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } t[] = {
		{ "客户投诉", "客 +客户 户 +户投 投 +投诉 诉" },
		{ "漏", "漏" },
		{ "投入，诉讼", "投 +投入 入 诉 +诉讼 讼" },        /* no bigram across punctuation */
		{ "ABC abc", "abc abc" },
		{ "PO-2026-118", "po 2026 118" },
		{ "PO2026", "po 2026" },                              /* letters and digits are words apart */
		{ "退货ABC123漏", "退 +退货 货 abc 123 漏" },
		{ "ＰＯ２０２６－１１８ Ａｂｃ", "po 2026 118 abc" },   /* full-width folded */
		{ "２６１１－００１", "2611 001" },
		{ "Café DÉJÀ", "café dÉjÀ" },                          /* only ASCII is lower-cased */
		{ "（退货）！", "退 +退货 货" },
		{ "e-mail: a.b@c.com", "e mail a b c com" },
		{ "，。！？ -- 　【】「」", "" },
		{ "漏\n水\t好", "漏 水 好" },
		{ "3批G-40-17", "3 批 g 40 17" },
		{ "退货　漏水", "退 +退货 货 漏 +漏水 水" },              /* ideographic space */
		{ "退😀货", "退 货" },                                   /* emoji separates */
		{ "カタカナ", "カ +カタ タ +タカ カ +カナ ナ" },
		{ "한국", "한 +한국 국" },
		{ "\xF0\xA0\x80\x80\xF0\xA0\x80\x81", "\xF0\xA0\x80\x80 +\xF0\xA0\x80\x80\xF0\xA0\x80\x81 \xF0\xA0\x80\x81" },
		{ "〇々", "〇 +〇々 々" },
		{ "退\xFF货", "退 货" },                                 /* an invalid byte separates */
		{ "\xC0\xAF" "ab", "ab" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const char *got = toks(t[i].in, strlen(t[i].in), TOKENIZE_INDEX);
		if (strcmp(got, t[i].want))
			fail_msg("index %zu \"%s\": got [%s] want [%s]", i, t[i].in, got, t[i].want);
	}
	/* NUL inside the text separates, like any control character */
	assert_string_equal(toks("退\0货", 7, TOKENIZE_INDEX), "退 货");
}

static void test_long_word(void **state)
{
	(void)state;
	char in[301], want[TOKENIZE_MAX + 1];
	memset(in, 'A', 300);
	in[300] = '\0';
	memset(want, 'a', TOKENIZE_MAX);
	want[TOKENIZE_MAX] = '\0';
	assert_string_equal(toks(in, 300, TOKENIZE_INDEX), want);
	assert_string_equal(toks(in, 300, TOKENIZE_QUERY), want);
	/* a cut never splits a character */
	char wide[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(wide, "é");  /* 2 bytes each */
	const char *got = toks(wide, strlen(wide), TOKENIZE_INDEX);
	assert_int_equal(strlen(got), TOKENIZE_MAX);
	assert_int_equal(strncmp(got, wide, TOKENIZE_MAX), 0);
}

/* Offsets: where each token came from. */
typedef struct span {
	char tok[32];
	size_t start, end;
	int flags;
} span;

typedef struct spans {
	span v[16];
	size_t n;
} spans;

static int span_tok(void *ctx, int flags, const char *tok, size_t len, size_t start, size_t end)
{
	spans *s = ctx;
	assert_true(s->n < 16 && len < 32);
	memcpy(s->v[s->n].tok, tok, len);
	s->v[s->n].tok[len] = '\0';
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->v[s->n].flags = flags;
	s->n++;
	return 0;
}

static void test_offsets(void **state)
{
	(void)state;
	spans s = {0};
	const char *in = " AB投诉，Ｘ9";
	assert_int_equal(tokenize_each(in, strlen(in), TOKENIZE_INDEX, span_tok, &s), 0);
	static const span want[] = {
		{ "ab", 1, 3, 0 },
		{ "投", 3, 6, 0 },
		{ "投诉", 3, 9, TOKENIZE_COLOCATED },
		{ "诉", 6, 9, 0 },
		{ "x", 12, 15, 0 },   /* full-width Ｘ: 3 bytes in, 1 byte out */
		{ "9", 15, 16, 0 },
	};
	assert_int_equal(s.n, sizeof want / sizeof *want);
	for (size_t i = 0; i < s.n; i++) {
		assert_string_equal(s.v[i].tok, want[i].tok);
		assert_int_equal(s.v[i].start, want[i].start);
		assert_int_equal(s.v[i].end, want[i].end);
		assert_int_equal(s.v[i].flags, want[i].flags);
	}
}

static int stop_at_two(void *ctx, int flags, const char *tok, size_t len, size_t start, size_t end)
{
	(void)flags; (void)tok; (void)len; (void)start; (void)end;
	int *n = ctx;
	return ++*n == 2 ? 42 : 0;
}

static void test_stop(void **state)
{
	(void)state;
	int n = 0;
	assert_int_equal(tokenize_each("客户投诉", strlen("客户投诉"), TOKENIZE_INDEX, stop_at_two, &n), 42);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(tokenize_each("a b c", 5, TOKENIZE_QUERY, stop_at_two, &n), 42);
	assert_int_equal(n, 2);
}

/* Query mode reads back what tokenize_query writes; nothing is colocated. */
static void test_query_mode(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } t[] = {
		{ "漏", "漏" },
		{ "投诉", "投诉" },
		{ "投诉 诉", "投诉 诉" },
		{ "客户 户投 投诉 诉", "客户 户投 投诉 诉" },
		{ "客户投诉", "客户 户投 投诉 诉" },            /* a longer run is spelled out */
		{ "热处理", "热处 处理 理" },
		{ "退货 货 po", "退货 货 po" },
		{ "2611 001", "2611 001" },
		{ "ＰＯ", "po" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const char *got = toks(t[i].in, strlen(t[i].in), TOKENIZE_QUERY);
		if (strcmp(got, t[i].want))
			fail_msg("query %zu \"%s\": got [%s] want [%s]", i, t[i].in, got, t[i].want);
	}
}

static void test_query_expr(void **state)
{
	(void)state;
	static const struct { const char *in, *want; } t[] = {
		{ "漏", "\"漏\"" },
		{ "投诉", "\"投诉 诉\"" },
		{ "态度", "\"态度 度\"" },
		{ "热处理", "\"热处 处理 理\"" },
		{ "客户投诉", "\"客户 户投 投诉 诉\"" },
		{ "客户不接受", "\"客户 户不 不接 接受 受\"" },
		{ "退货 漏", "\"退货 货\" \"漏\"" },
		{ "退货，漏水", "\"退货 货\" \"漏水 水\"" },      /* Chinese punctuation separates terms */
		{ "退货PO", "\"退货 货 po\"" },                   /* adjacent across scripts */
		{ "2611-001", "\"2611 001\"" },
		{ "0512-66881234", "\"0512 66881234\"" },
		{ "PO-2026-118", "\"po 2026 118\"" },
		{ "ＰＯ－２０２６－１１８", "\"po 2026 118\"" },
		{ "a.b@c.com", "\"a b c com\"" },
		{ "a - b", "\"a\" \"b\"" },
		{ "  漏\t\n水  ", "\"漏\" \"水\"" },
		/* FTS5 syntax in user text becomes plain tokens */
		{ "\"OR NEAR(a b)* col:x", "\"or\" \"near\" \"a\" \"b\" \"col x\"" },
		{ "投诉 AND NOT 漏", "\"投诉 诉\" \"and\" \"not\" \"漏\"" },
		{ "text:投诉^", "\"text 投诉 诉\"" },
		{ "", "" },
		{ "   ", "" },
		{ "！？。", "" },
		{ "--", "" },
		{ "\x1b[31m", "\"31 m\"" },                        /* (core refuses it earlier) */
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char *got = tokenize_query(t[i].in);
		if (strcmp(got, t[i].want))
			fail_msg("tokenize_query %zu \"%s\": got [%s] want [%s]", i, t[i].in, got, t[i].want);
		free(got);
	}
	char *e = tokenize_query(NULL);
	assert_string_equal(e, "");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_long_word),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_query_mode),
		cmocka_unit_test(test_query_expr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
