/* tokenize.c — unigrams and bigrams for CJK, words for letters and digits;
 * the rules are in include/kesu/tokenize.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/err.h"
#include "kesu/text.h"
#include "kesu/tokenize.h"

typedef enum {
	C_SEP,      /* separates tokens and query terms */
	C_JOIN,     /* separates tokens, but not query terms: - _ . / : @ # + & ' */
	C_LETTER,
	C_DIGIT,
	C_CJK,
} cclass;

/* One character of the input: its class, folded code point, and bytes. */
typedef struct ch {
	cclass cls;
	uint32_t cp;
	size_t start, end;
} ch;

static bool is_cjk(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x11FF) ||   /* Hangul Jamo */
	       (c >= 0x2E80 && c <= 0x2FDF) ||   /* CJK and Kangxi radicals */
	       (c >= 0x3005 && c <= 0x3007) ||   /* 々 〆 〇 */
	       (c >= 0x3021 && c <= 0x3029) ||   /* Hangzhou numerals */
	       (c >= 0x3041 && c <= 0x30FA) ||   /* Hiragana, Katakana (not ・) */
	       (c >= 0x30FC && c <= 0x30FF) ||
	       (c >= 0x3105 && c <= 0x318F) ||   /* Bopomofo, Hangul compatibility Jamo */
	       (c >= 0x31A0 && c <= 0x31BF) ||   /* Bopomofo extended */
	       (c >= 0x31F0 && c <= 0x31FF) ||   /* Katakana phonetic extensions */
	       (c >= 0x3400 && c <= 0x4DBF) ||   /* Han extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) ||   /* Han */
	       (c >= 0xA960 && c <= 0xA97F) ||   /* Hangul Jamo extended A */
	       (c >= 0xAC00 && c <= 0xD7FF) ||   /* Hangul syllables, Jamo extended B */
	       (c >= 0xF900 && c <= 0xFAFF) ||   /* Han compatibility */
	       (c >= 0xFF66 && c <= 0xFF9F) ||   /* half-width Katakana */
	       (c >= 0x20000 && c <= 0x323AF);   /* Han extensions B-H, compatibility supplement */
}

/* Non-ASCII characters that separate: spaces, punctuation, symbols. */
static bool is_sep_wide(uint32_t c)
{
	return (c >= 0x80 && c <= 0xBF) ||       /* C1, Latin-1 punctuation and symbols */
	       c == 0xD7 || c == 0xF7 ||
	       c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x2BFF) ||   /* punctuation, symbols, arrows, shapes… */
	       (c >= 0x2E00 && c <= 0x2E7F) ||   /* supplemental punctuation */
	       (c >= 0x2FF0 && c <= 0x3004) ||   /* ideographic description, CJK space, 、。〃〄 */
	       (c >= 0x3008 && c <= 0x3020) ||   /* 〈〉《》「」【】〔〕… */
	       (c >= 0x302A && c <= 0x3040) ||
	       c == 0x30FB ||                    /* ・ */
	       (c >= 0x3190 && c <= 0x319F) ||
	       (c >= 0x31C0 && c <= 0x31EF) ||   /* CJK strokes */
	       (c >= 0x3200 && c <= 0x33FF) ||   /* enclosed CJK, compatibility */
	       (c >= 0xD800 && c <= 0xF8FF) ||   /* (surrogates), private use */
	       (c >= 0xFE00 && c <= 0xFE6F) ||   /* variation selectors, vertical and small forms */
	       (c >= 0xFEFF && c <= 0xFF65) ||   /* BOM, full-width punctuation left after folding */
	       (c >= 0xFFA0 && c <= 0xFFFF) ||   /* half-width Hangul forms, specials */
	       (c >= 0x1F000 && c <= 0x1FAFF) || /* emoji, playing cards, symbols */
	       c >= 0xE0000;                     /* tags, private use planes */
}

static cclass classify(uint32_t c)
{
	if (c < 0x80) {
		if (c >= 'a' && c <= 'z')
			return C_LETTER;
		if (c >= '0' && c <= '9')
			return C_DIGIT;
		if (strchr("-_./:@#+&'", (int)c) && c)
			return C_JOIN;
		return C_SEP;
	}
	if (is_cjk(c))
		return C_CJK;
	if (is_sep_wide(c))
		return C_SEP;
	return C_LETTER;
}

/* Read the character at *pos into c; false at the end of the input. */
static bool next_ch(const char *s, size_t len, size_t *pos, ch *c)
{
	if (*pos >= len)
		return false;
	c->start = *pos;
	if (!text_utf8_next(s, len, pos, &c->cp)) {
		(*pos)++;               /* an invalid byte separates */
		c->cp = 0xFFFD;
		c->cls = C_SEP;
		c->end = *pos;
		return true;
	}
	c->end = *pos;
	if (c->cp >= 0xFF01 && c->cp <= 0xFF5E)
		c->cp -= 0xFEE0;        /* full-width ASCII */
	if (c->cp >= 'A' && c->cp <= 'Z')
		c->cp += 'a' - 'A';
	c->cls = classify(c->cp);
	return true;
}

int tokenize_each(const char *s, size_t len, tokenize_mode mode, tokenize_fn fn, void *ctx)
{
	size_t pos = 0;
	ch c;
	int rc = 0;
	bool have = next_ch(s, len, &pos, &c);
	while (have && !rc) {
		if (c.cls == C_SEP || c.cls == C_JOIN) {
			have = next_ch(s, len, &pos, &c);
		} else if (c.cls == C_LETTER || c.cls == C_DIGIT) {
			char buf[TOKENIZE_MAX];
			size_t n = 0, start = c.start, end = c.end;
			cclass cls = c.cls;
			bool full = false;
			do {
				size_t k = c.cp < 0x80 ? 1 : c.end - c.start;
				if (!full && n + k <= sizeof buf) {
					if (c.cp < 0x80)
						buf[n] = (char)c.cp;
					else
						memcpy(buf + n, s + c.start, k);
					n += k;
				} else {
					full = true;
				}
				end = c.end;
				have = next_ch(s, len, &pos, &c);
			} while (have && c.cls == cls);
			rc = fn(ctx, 0, buf, n, start, end);
		} else if (mode == TOKENIZE_INDEX) {
			/* each character, and the bigram it starts at the same position */
			ch prev = c;
			for (;;) {
				rc = fn(ctx, 0, s + prev.start, prev.end - prev.start, prev.start, prev.end);
				have = next_ch(s, len, &pos, &c);
				if (rc || !have || c.cls != C_CJK)
					break;
				rc = fn(ctx, TOKENIZE_COLOCATED, s + prev.start, c.end - prev.start, prev.start, c.end);
				if (rc)
					break;
				prev = c;
			}
		} else {
			/* query: a run of 1 or 2 is one token; longer runs are spelled out */
			ch first = c;
			have = next_ch(s, len, &pos, &c);
			if (!have || c.cls != C_CJK) {
				rc = fn(ctx, 0, s + first.start, first.end - first.start, first.start, first.end);
				continue;
			}
			ch second = c;
			have = next_ch(s, len, &pos, &c);
			rc = fn(ctx, 0, s + first.start, second.end - first.start, first.start, second.end);
			if (!have || c.cls != C_CJK)
				continue;
			ch prev = second;
			while (!rc && have && c.cls == C_CJK) {
				rc = fn(ctx, 0, s + prev.start, c.end - prev.start, prev.start, c.end);
				prev = c;
				have = next_ch(s, len, &pos, &c);
			}
			if (!rc)
				rc = fn(ctx, 0, s + prev.start, prev.end - prev.start, prev.start, prev.end);
		}
	}
	return rc;
}

/* A growing string. */
typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t k)
{
	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		b->p = ks_realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, k);
	b->n += k;
	b->p[b->n] = '\0';
}

/* The phrase of one query term being built: tokens separated by spaces; last
 * is where the token of the current position starts, so that a colocated
 * bigram replaces the unigram before it. */
typedef struct phrase {
	sbuf *b;
	size_t last;
	int ntok;
} phrase;

static int phrase_tok(void *ctx, int flags, const char *tok, size_t len, size_t start, size_t end)
{
	(void)start;
	(void)end;
	phrase *p = ctx;
	if (flags & TOKENIZE_COLOCATED) {
		p->b->n = p->last;
	} else {
		if (p->ntok++)
			sb_add(p->b, " ", 1);
		p->last = p->b->n;
	}
	for (size_t i = 0; i < len; i++)   /* a '"' inside the quotes is doubled */
		sb_add(p->b, tok[i] == '"' ? "\"\"" : tok + i, tok[i] == '"' ? 2 : 1);
	return 0;
}

char *tokenize_query(const char *q)
{
	sbuf out = {0};
	sb_add(&out, "", 0);
	if (!q)
		return out.p;
	size_t len = strlen(q), pos = 0;
	ch c;
	bool have = next_ch(q, len, &pos, &c);
	while (have) {
		if (c.cls == C_SEP) {
			have = next_ch(q, len, &pos, &c);
			continue;
		}
		size_t a = c.start, b = c.end;
		while ((have = next_ch(q, len, &pos, &c)) && c.cls != C_SEP)
			b = c.end;
		/* one term q[a..b): a phrase of the token at each of its positions */
		size_t mark = out.n;
		if (out.n)
			sb_add(&out, " ", 1);
		sb_add(&out, "\"", 1);
		phrase p = { &out, out.n, 0 };
		tokenize_each(q + a, b - a, TOKENIZE_INDEX, phrase_tok, &p);
		if (p.ntok == 0) {
			out.n = mark;  /* only joiners: nothing to look for */
			out.p[out.n] = '\0';
			continue;
		}
		sb_add(&out, "\"", 1);
	}
	return out.p;
}
