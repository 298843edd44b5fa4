/* tokenize.h — the words of Chinese (and mixed) text for full-text search.
 *
 * Pure text processing: no SQLite here (store/search.c plugs it into FTS5 as
 * the tokenizer "kesu"). Two modes share one set of rules.
 *
 * Characters (after folding):
 *   - full-width ASCII U+FF01-U+FF5E is folded to half-width (Ａ -> A, ０ -> 0,
 *     － -> -); ASCII letters are lower-cased (A -> a, Ａ -> a);
 *   - letters: a-z and every other letter outside the CJK ranges (é, Cyrillic…);
 *   - digits: 0-9;
 *   - CJK: Han ideographs (basic, extensions, compatibility), 々〆〇,
 *     kana, Bopomofo, Hangul, half-width katakana;
 *   - everything else separates: spaces, controls, ASCII and CJK punctuation,
 *     symbols, emoji, private use, invalid UTF-8 bytes (one byte each).
 *
 * Index mode (TOKENIZE_INDEX) — what a document is made of:
 *   - a run of letters is one token, a run of digits is one token (so
 *     "PO2026-118" is po, 2026, 118); tokens longer than TOKENIZE_MAX bytes are
 *     cut there (at a character boundary), the same way in both modes;
 *   - in a run of CJK characters c1 c2 … cn, each ci is a token at its own
 *     position (the unigram), and, for i < n, the bigram ci ci+1 is a second
 *     token at the same position (flag TOKENIZE_COLOCATED). So "客户投诉" is
 *       pos 0: 客, 客户   pos 1: 户, 户投   pos 2: 投, 投诉   pos 3: 诉
 *     Bigrams never span a separator: "投入，诉讼" has no 入诉.
 *   Positions count non-colocated tokens; separators take no position.
 *
 * Query mode (TOKENIZE_QUERY) — how a phrase in an FTS5 MATCH expression is
 * read back. It is meant for tokenize_query()'s output, which spells out each
 * token separated by spaces:
 *   - a CJK run of one or two characters is one token (unigram or bigram);
 *   - a longer CJK run (not produced by tokenize_query) becomes its bigrams
 *     followed by its last character, as tokenize_query would write it;
 *   - letters and digits as in index mode. Nothing is colocated.
 */
#ifndef KESU_TOKENIZE_H
#define KESU_TOKENIZE_H

#include <stddef.h>

#define TOKENIZE_MAX 128        /* longest token in bytes */
#define TOKENIZE_COLOCATED 1    /* token has the position of the previous one */

typedef enum { TOKENIZE_INDEX, TOKENIZE_QUERY } tokenize_mode;

/* Called once per token: tok[0..len) is the folded token (not NUL-terminated,
 * valid only during the call); s[start..end) is where it came from in the
 * input. flags is 0 or TOKENIZE_COLOCATED. A non-zero return stops the walk. */
typedef int (*tokenize_fn)(void *ctx, int flags, const char *tok, size_t len,
                           size_t start, size_t end);

/* Walk the tokens of s[0..len) (UTF-8; may contain NUL or invalid bytes,
 * which separate) in mode, calling fn for each in order. Returns 0, or the
 * first non-zero value fn returned. Allocates nothing. */
int tokenize_each(const char *s, size_t len, tokenize_mode mode, tokenize_fn fn, void *ctx);

/* Turn what a person typed into an FTS5 MATCH expression for a table using
 * this tokenizer. The query is cut into terms at whitespace and at every
 * separator except the joiners - _ . / : @ # + & ' (so 2611-001,
 * 0512-66881234 and PO-2026-118 stay one term; "退货，漏水" is two). Every
 * term must match (implicit AND); each term becomes one quoted phrase of the
 * tokens at its consecutive positions, taking at each position the bigram if
 * there is one, else the unigram or word:
 *   漏            -> "漏"
 *   投诉          -> "投诉 诉"            (投诉 at p, 诉 at p+1: adjacent)
 *   客户投诉      -> "客户 户投 投诉 诉"
 *   退货PO 2611-001 -> "退货 货 po" "2611 001"
 * The trailing unigram adds nothing to what matches but makes FTS5's
 * highlight cover the whole term. Everything is inside double quotes (a '"'
 * in a token would be doubled), so no FTS5 operator, column filter or prefix
 * can come from the user. Returns a new string (caller frees); "" when the
 * query holds no letter, digit or CJK character. NULL is treated as "". */
char *tokenize_query(const char *q);

#endif
