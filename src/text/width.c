/* width.c — terminal column widths, fitting text into columns. */
#include <limits.h>
#include <locale.h>
#include <stdatomic.h>
#include <string.h>
#include <wchar.h>
#include "kesu/text.h"

/* A UTF-8 LC_CTYPE locale for wcwidth(), created once by the first caller
 * (a racing loser frees its copy). It is never freed; it stays reachable. */
static _Atomic(locale_t) text_loc;
static atomic_bool text_loc_failed;

static locale_t text_utf8_locale(void)
{
	static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
	locale_t loc = atomic_load(&text_loc);
	if (loc || atomic_load(&text_loc_failed))
		return loc;
	for (size_t i = 0; i < sizeof names / sizeof names[0] && !loc; i++)
		loc = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
	if (!loc) {
		atomic_store(&text_loc_failed, true);
		return (locale_t)0;
	}
	locale_t expected = (locale_t)0;
	if (!atomic_compare_exchange_strong(&text_loc, &expected, loc)) {
		freelocale(loc);
		loc = expected;
	}
	return loc;
}

/* Used only if no UTF-8 locale exists on the machine: the main zero-width
 * and wide ranges, enough for Chinese text. */
static int text_fallback_width(uint32_t cp)
{
	static const struct { uint32_t lo, hi; } zero[] = {
		{ 0x0300, 0x036F }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
		{ 0x200B, 0x200F }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
		{ 0xFE20, 0xFE2F },
	}, wide[] = {
		{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
		{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
		{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
		{ 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (cp >= zero[i].lo && cp <= zero[i].hi)
			return 0;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (cp >= wide[i].lo && cp <= wide[i].hi)
			return 2;
	return 1;
}

/* Width of cp; the UTF-8 locale (if any) must be in use by this thread. */
static int text_width_in(uint32_t cp, bool have_loc)
{
	if (!have_loc)
		return text_fallback_width(cp);
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* Switch this thread to the UTF-8 locale; returns the previous one to hand
 * to text_locale_leave, or (locale_t)0 if there is no UTF-8 locale. */
static locale_t text_locale_enter(void)
{
	locale_t loc = text_utf8_locale();
	return loc ? uselocale(loc) : (locale_t)0;
}

static void text_locale_leave(locale_t old)
{
	if (old)
		uselocale(old);
}

int text_cp_width(uint32_t cp)
{
	locale_t old = text_locale_enter();
	int w = text_width_in(cp, old != (locale_t)0);
	text_locale_leave(old);
	return w;
}

/* Walk s from its start, adding character widths while the total stays at
 * most limit (limit < 0: no limit). Returns the bytes walked, *cols the
 * width. */
static size_t text_walk(const char *s, size_t len, long limit, long *cols)
{
	locale_t old = text_locale_enter();
	bool have = old != (locale_t)0;
	size_t pos = 0;
	long total = 0;
	uint32_t cp;
	while (pos < len) {
		size_t next = pos;
		int w = 1;
		if (text_utf8_next(s, len, &next, &cp))
			w = text_width_in(cp, have);
		else
			next = pos + 1;
		if (limit >= 0 && total + w > limit)
			break;
		total += w;
		pos = next;
	}
	text_locale_leave(old);
	*cols = total;
	return pos;
}

int text_width(const char *s)
{
	if (!s)
		return 0;
	long cols;
	text_walk(s, strlen(s), -1, &cols);
	return cols > INT_MAX ? INT_MAX : (int)cols;
}

size_t text_prefix(const char *s, int width, int *cols)
{
	long c = 0;
	size_t n = 0;
	if (s)
		n = text_walk(s, strlen(s), width < 0 ? 0 : width, &c);
	if (cols)
		*cols = (int)c;
	return n;
}

/* s cut or padded to exactly width columns; right-aligned if it fits and
 * right is set. */
static char *text_fit_align(const char *s, int width, bool right)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026, 1 column */
	if (!s)
		s = "";
	if (width <= 0)
		return ks_strdup("");
	size_t len = strlen(s);
	long cols;
	size_t keep = text_walk(s, len, width, &cols);
	bool cut = keep < len;
	if (cut) {
		keep = text_walk(s, len, width - 1, &cols);
		cols += 1;
	}
	size_t pad = (size_t)(width - cols);
	char *out = ks_malloc(keep + (cut ? sizeof ellipsis - 1 : 0) + pad + 1);
	char *w = out;
	if (right && !cut) {
		memset(w, ' ', pad);
		w += pad;
	}
	memcpy(w, s, keep);
	w += keep;
	if (cut) {
		memcpy(w, ellipsis, sizeof ellipsis - 1);
		w += sizeof ellipsis - 1;
	}
	if (!right || cut) {
		memset(w, ' ', pad);
		w += pad;
	}
	*w = '\0';
	return out;
}

char *text_fit(const char *s, int width)
{
	return text_fit_align(s, width, false);
}

char *text_pad_left(const char *s, int width)
{
	return text_fit_align(s, width, true);
}
