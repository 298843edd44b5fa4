/* text.h — the one place in kesu that knows about encodings and widths.
 *
 * Inside kesu every string is UTF-8. This module
 *   - validates user input (text_check) and defuses stored text before it
 *     reaches a terminal or a file (text_visible);
 *   - measures and fits text in terminal columns (text_width, text_fit...);
 *   - converts from and to other encodings at the edges (GB18030, GBK...).
 * It never prints and never touches curses.
 *
 * Rules shared by every function below:
 *   - UTF-8 is decoded strictly: overlong forms, surrogates (U+D800-U+DFFF),
 *     code points above U+10FFFF, stray continuation bytes and truncated
 *     sequences are invalid. An invalid sequence is consumed one byte at a
 *     time, so "\xC0\xAF" is two invalid bytes.
 *   - "Refused characters" are: every C0 control U+0000-U+001F (including
 *     NUL, ESC, BEL and '\r'), DEL U+007F, every C1 control U+0080-U+009F,
 *     and the bidirectional embedding/override/isolate controls
 *     U+202A-U+202E and U+2066-U+2069. In multiline mode '\n' and '\t' are
 *     allowed; '\r' is refused in every mode (lone or as part of "\r\n"),
 *     so stored text has exactly one line ending. Text from Windows files
 *     goes through text_crlf_to_lf() first.
 *   - Positions in messages are 1-based: "第 N 字节" counts bytes,
 *     "第 N 个字符" counts code points.
 *   - Functions taking a NUL-terminated string treat NULL as "".
 *   - Every returned char * is allocated with ks_malloc (aborts on OOM) and
 *     is freed by the caller with free().
 *
 * Widths: wcwidth() of a UTF-8 locale ("C.UTF-8"), used through a private
 * locale_t, so they do not depend on the caller's setlocale() (if the
 * machine has no UTF-8 locale, a built-in table of the main CJK, full-width
 * and combining ranges is used instead). Wide and
 * full-width characters are 2 columns, combining marks 0, others 1.
 * East Asian "ambiguous" characters (…, ·, “ ”) are 1 column, as wcwidth
 * says; a terminal set to draw them wide will disagree. Non-printable code
 * points and invalid bytes count 1 column each (display text should have
 * gone through text_visible() first).
 *
 * Thread-safe: no function keeps mutable state except a locale created once. */
#ifndef KESU_TEXT_H
#define KESU_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kesu/err.h"

/* ---- UTF-8 ---------------------------------------------------------- */

/* Decode the code point starting at s[*pos] (s has len bytes, *pos < len).
 * On success store it in *cp, advance *pos past it and return true.
 * Return false, with *pos and *cp unchanged, if the byte at *pos does not
 * start a valid sequence (see the strict rules above) or *pos >= len.
 * NUL is a valid code point (U+0000). Allocates nothing. */
bool text_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp);

/* Number of code points in s; each invalid byte counts as one.
 * Allocates nothing. */
size_t text_chars(const char *s);

/* Replace every "\r\n" in s[0..len) by "\n", in place; a lone '\r' is kept
 * (text_check still refuses it). Returns the new length and NUL-terminates
 * s at it if the text got shorter. Allocates nothing. */
size_t text_crlf_to_lf(char *s, size_t len);

/* ---- Input validation and safe display ------------------------------ */

/* Validate a user-supplied value of the field whose Chinese label is label
 * (e.g. "客户名称"; NULL means "输入"). s has len bytes (NUL may be among
 * them; s may be NULL when len is 0). Returns KS_OK, or KS_INVALID with
 * err (if not NULL) set to the first problem found:
 *   「客户名称」含有无效的 UTF-8 编码（第 5 字节）
 *   「客户名称」含有控制字符或转义序列（第 3 个字符，U+001B）
 *   「客户名称」不能包含换行或制表符（第 3 个字符，U+000A）   (single-line)
 * The last form is used for '\n' and '\t' when multiline is false; every
 * other refused character (NUL, '\r', DEL, C1, bidi controls) gets the
 * second form. Allocates nothing. */
ks_status text_check(const char *s, size_t len, bool multiline,
                     const char *label, ks_err *err);

/* Copy of s in which everything text_check would refuse is made visible:
 *   C0 controls  -> "^@".."^_" (ESC -> "^[", '\r' -> "^M", BEL -> "^G")
 *   DEL          -> "^?"
 *   C1 and bidi  -> "<U+009B>", "<U+202E>" (4 upper-case hex digits)
 *   invalid byte -> "\x9B" (backslash, 'x', 2 upper-case hex digits; one
 *                   group per byte)
 * In multiline mode '\n' and '\t' are kept, otherwise they become "^J" and
 * "^I". Everything else is copied unchanged (a literal backslash too, so the
 * result is for display, not reversible). The result is valid UTF-8 and
 * text_check(result, strlen(result), multiline, ...) is KS_OK.
 * Returns a new string; caller frees. */
char *text_visible(const char *s, bool multiline);

/* ---- Display width -------------------------------------------------- */

/* Terminal columns of one code point: 0, 1 or 2 (non-printable -> 1).
 * Allocates nothing. */
int text_cp_width(uint32_t cp);

/* Terminal columns of s (sum of text_cp_width; invalid bytes 1 each).
 * E.g. "客诉ab" -> 6, "ｅ" -> 2, "e\u0301" -> 1. Allocates nothing. */
int text_width(const char *s);

/* Length in bytes of the longest prefix of s that is at most width columns
 * wide, never splitting a character (an invalid byte is one character).
 * Zero-width characters right after the prefix are included, so a
 * combining mark stays with its base. If cols is not NULL it receives the
 * prefix's width. width <= 0 gives 0 (plus leading zero-width characters).
 * Allocates nothing. */
size_t text_prefix(const char *s, int width, int *cols);

/* A string of exactly width columns, s left-aligned:
 *   - text_width(s) <= width: s followed by spaces;
 *   - wider: the longest prefix of at most width-1 columns (text_prefix),
 *     then "…" (U+2026, 1 column), then spaces if a wide character did not
 *     fit exactly. E.g. "客户投诉处理表" at 5 -> "客户…", at 6 -> "客户… ",
 *     at 4 -> "客… ", at 2 -> "… ", at 1 -> "…".
 *   - width <= 0: "".
 * Bytes of s are copied as they are (pass text_visible() output for stored
 * data). Returns a new string; caller frees. */
char *text_fit(const char *s, int width);

/* Like text_fit, but right-aligned (spaces on the left) when s fits; when s
 * is too wide the result is the same as text_fit's. For numbers and counts.
 * Returns a new string; caller frees. */
char *text_pad_left(const char *s, int width);

/* ---- Encodings (iconv) ---------------------------------------------- */

/* Convert len bytes of UTF-8 at s into encoding to_enc (an iconv name:
 * "GB18030", "GBK", "UTF-8"...). On KS_OK *out is a new buffer of *outlen
 * bytes plus a terminating NUL (not counted); caller frees. Embedded NULs
 * are converted like any character. On error *out is NULL, *outlen 0, and:
 *   KS_INVALID 不支持的字符编码「X」
 *   KS_INVALID 文本含有无效的 UTF-8 编码（第 N 字节）
 *   KS_INVALID 文本第 N 字节的字符 U+XXXX 无法用 GBK 编码表示
 *   KS_FAIL    on any other iconv failure. */
ks_status text_from_utf8(const char *s, size_t len, const char *to_enc,
                         char **out, size_t *outlen, ks_err *err);

/* Convert len bytes in encoding from_enc at s into UTF-8. Output, ownership
 * and errors as text_from_utf8, with the invalid-input message
 *   文本不是有效的 GBK 编码（第 N 字节）
 * where N is the first byte of the bad or truncated sequence. The result is
 * not checked for control characters: run text_check or text_visible. */
ks_status text_to_utf8(const char *s, size_t len, const char *from_enc,
                       char **out, size_t *outlen, ks_err *err);

/* Whether the codeset of the current LC_CTYPE locale (nl_langinfo(CODESET))
 * is UTF-8. Without setlocale(LC_ALL, "") this is the "C" locale: false.
 * Allocates nothing. */
bool text_is_utf8_locale(void);

#endif
