/* form.c — the form screen: any conf_form, drawn from its definition and
 * filled in on the terminal.
 *
 *   【客户】                              group heading (when the group changes)
 *   > 客户名称*  上海华东精密机械…         focus mark, label, * if required, value
 *     交运日期   2026-13-45
 *                「交运日期」(ship_date) 应为日期 YYYY-MM-DD    the field's error
 *   …
 *   客户尚在加工…；整数或 pending          help of the focused field (or a conflict)
 *   Ctrl-S 保存  Esc 放弃  …              status line
 *
 * Text fields (text, long text, number, money, date, date-time) are edited in
 * place: characters are inserted at the cursor, which moves by character
 * (a CJK character is one step and two columns); values wrap at the right
 * edge. Choice, yes/no, department and staff fields hold one of their
 * options, stepped through with Space or Left/Right and picked with 1-9.
 *
 * Nothing is checked here by hand: a field is checked with form_parse_value
 * when the cursor leaves it, the whole form with form_parse_value per field
 * and form_fill before the spec's save (which writes through the core). */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/tui.h"
#include "kesu/text.h"

#define FORM_LABEL_MAX 16  /* widest label column */
#define FORM_MIN_TEXT  10  /* narrowest value column */

/* One field being filled in. text is valid UTF-8 without refused characters
 * ('\n' only in long text), so its display width is what text_width says. */
typedef struct form_slot {
	const conf_field *fd;
	char *text;        /* typed text, or the value of the chosen option; "" if none */
	size_t len, cap;
	size_t cur;        /* the cursor: a byte offset into text, on a character boundary */
	char *error;       /* form_parse_value's message when the field was last checked */
} form_slot;

/* One row of the body, rebuilt at every draw. */
typedef struct form_row {
	int slot;          /* the field, or -1 (heading, blank) */
	bool first;        /* the field's first row: its label goes here */
	char *text;        /* owned */
	int x;
	unsigned long attrs;
} form_row;

typedef struct form_scr {
	tui_form_spec spec;
	char *title;
	session *s;
	form_slot *slots;
	size_t n, focus;
	int labw;          /* label column: the widest label, plus one for "*" */
	int top;           /* first body row shown */
	bool dirty;        /* something was typed */
	char *notice;      /* shown instead of the field's help until the next key */
	form_row *rows;
	size_t nrows, cap;
} form_scr;

/* What tui_form_open hands to form_open: the spec, and whether form_open
 * took charge of spec.ctx. */
typedef struct form_arg {
	tui_form_spec spec;
	bool taken;
} form_arg;

static const tui_hint form_hints[] = {
	{ REQ_SAVE, NULL, NULL }, { REQ_CANCEL, NULL, NULL }, { REQ_NEXT, NULL, "下一栏" },
	{ REQ_PREV, NULL, "上一栏" }, { REQ_HELP, "F1", NULL }, { REQ_NONE, NULL, NULL },
};

/* ---- options of choice, yes/no, department and staff fields ------------- */

static bool form_is_list(const conf_field *fd)
{
	return fd->type == FT_CHOICE || fd->type == FT_YESNO || fd->type == FT_DEPT || fd->type == FT_STAFF;
}

/* The number of options of a list field. */
static size_t form_nopts(const conf *c, const conf_field *fd)
{
	switch (fd->type) {
	case FT_CHOICE: return fd->nchoices;
	case FT_YESNO:  return 2;
	case FT_DEPT:   return c->ndepts;
	case FT_STAFF: {
		size_t n = 0;
		for (size_t i = 0; i < c->nstaff; i++)
			n += c->staff[i].active;
		return n;
	}
	default:        return 0;
	}
}

/* Option i (< form_nopts) of a list field: the value stored and the label shown. */
static void form_opt(const conf *c, const conf_field *fd, size_t i, const char **value, const char **label)
{
	switch (fd->type) {
	case FT_CHOICE:
		*value = fd->choices[i].value;
		*label = fd->choices[i].label;
		return;
	case FT_YESNO:
		*value = i == 0 ? "yes" : "no";
		*label = i == 0 ? "是" : "否";
		return;
	case FT_DEPT:
		*value = c->depts[i].code;
		*label = c->depts[i].name;
		return;
	case FT_STAFF:
		for (size_t k = 0; k < c->nstaff; k++)
			if (c->staff[k].active && i-- == 0) {
				*value = c->staff[k].login;
				*label = c->staff[k].name;
				return;
			}
		break;
	default:
		break;
	}
	*value = *label = "";
}

/* The index of the slot's option, -1 if none is chosen. */
static int form_opt_index(const form_scr *f, const form_slot *sl)
{
	size_t n = form_nopts(f->s->cf, sl->fd);
	for (size_t i = 0; sl->len && i < n; i++) {
		const char *v, *l;
		form_opt(f->s->cf, sl->fd, i, &v, &l);
		if (!strcmp(v, sl->text))
			return (int)i;
	}
	return -1;
}

/* ---- editing ------------------------------------------------------------ */

static void form_set(form_slot *sl, const char *s)
{
	size_t len = strlen(s);
	if (len + 1 > sl->cap)
		sl->text = ks_realloc(sl->text, sl->cap = len + 16);
	memcpy(sl->text, s, len + 1);
	sl->len = sl->cur = len;
}

static void form_insert(form_slot *sl, const char *u, size_t n)
{
	if (sl->len + n + 1 > sl->cap)
		sl->text = ks_realloc(sl->text, sl->cap = (sl->len + n + 1) * 2);
	memmove(sl->text + sl->cur + n, sl->text + sl->cur, sl->len - sl->cur + 1);
	memcpy(sl->text + sl->cur, u, n);
	sl->len += n;
	sl->cur += n;
}

/* The offset of the character before / after the one at pos. */
static size_t form_prev(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

static size_t form_next(const char *s, size_t len, size_t pos)
{
	if (pos >= len)
		return len;
	pos++;
	while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos++;
	return pos;
}

/* Remove text[from..to). */
static void form_erase(form_slot *sl, size_t from, size_t to)
{
	memmove(sl->text + from, sl->text + to, sl->len - to + 1);
	sl->len -= to - from;
	sl->cur = from;
}

/* Encode cp as UTF-8 at u (room for 4); returns the length. */
static size_t form_utf8(char *u, uint32_t cp)
{
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | (cp >> 18 & 0x07));
	u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* ---- checking ----------------------------------------------------------- */

static void form_set_error(form_slot *sl, const char *msg)
{
	free(sl->error);
	sl->error = msg ? ks_strdup(msg) : NULL;
}

/* Check slot i with form_parse_value: a value that was typed, or, when
 * saving, an empty required field. Sets or clears its error; false if bad. */
static bool form_check(form_scr *f, size_t i, bool saving)
{
	form_slot *sl = &f->slots[i];
	if (sl->len == 0 && (!sl->fd->required || sl->fd->dflt)) {   /* a default: the engine fills it */
		form_set_error(sl, NULL);
		return true;
	}
	if (sl->len == 0 && !saving)
		return true;   /* not yet: a required field marked by a save stays marked */
	json_t *v = NULL;
	ks_err err = { "" };
	ks_status rc = form_parse_value(f->s->cf, sl->fd, sl->text, sl->len, &v, &err);
	json_decref(v);
	form_set_error(sl, rc ? err.msg : NULL);
	return rc == KS_OK;
}

/* Move the focus to field i, checking the one left. */
static void form_focus(form_scr *f, size_t i)
{
	if (i == f->focus)
		return;
	form_check(f, f->focus, false);
	f->focus = i;
}

/* The first field of the next (dir > 0) or this/previous (dir < 0) group. */
static size_t form_group_jump(const form_scr *f, int dir)
{
	const char *g = f->slots[f->focus].fd->group;
	size_t i = f->focus;
	if (dir > 0) {
		while (i + 1 < f->n) {
			i++;
			const char *h = f->slots[i].fd->group;
			if ((g == NULL) != (h == NULL) || (g && strcmp(g, h)))
				return i;
		}
		return i;
	}
	/* back to the start of this group, or of the previous one if already there */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (i == 0 || i != f->focus)
				break;
			i--;
			g = f->slots[i].fd->group;
		}
		while (i > 0) {
			const char *h = f->slots[i - 1].fd->group;
			if ((g == NULL) != (h == NULL) || (g && strcmp(g, h)))
				break;
			i--;
		}
	}
	return i;
}

/* ---- the screen --------------------------------------------------------- */

static void form_rows_free(form_scr *f)
{
	for (size_t i = 0; i < f->nrows; i++)
		free(f->rows[i].text);
	f->nrows = 0;
}

static void form_close(void *data)
{
	form_scr *f = data;
	for (size_t i = 0; i < f->n; i++) {
		free(f->slots[i].text);
		free(f->slots[i].error);
	}
	free(f->slots);
	form_rows_free(f);
	free(f->rows);
	free(f->notice);
	free(f->title);
	if (f->spec.done)
		f->spec.done(f->spec.ctx);
	free(f);
}

static ks_status form_open(tui *t, const void *arg, void **data, ks_err *err)
{
	form_arg *a = (form_arg *)arg;
	a->taken = true;
	const conf_form *cf = a->spec.form;
	if (!cf || cf->nfields == 0) {
		if (a->spec.done)
			a->spec.done(a->spec.ctx);
		return ks_errf(err, KS_INVALID, "表单「%s」没有字段", cf && cf->title ? cf->title : "");
	}
	form_scr *f = ks_calloc(1, sizeof *f);
	f->spec = a->spec;
	f->title = text_visible(a->spec.title ? a->spec.title : cf->title, false);
	f->s = tui_session(t);
	f->n = cf->nfields;
	f->slots = ks_calloc(f->n, sizeof *f->slots);
	int w = 0;
	for (size_t i = 0; i < f->n; i++) {
		f->slots[i].fd = &cf->fields[i];
		form_set(&f->slots[i], "");
		char *l = text_visible(cf->fields[i].label, false);
		if (text_width(l) > w)
			w = text_width(l);
		free(l);
	}
	f->labw = (w > FORM_LABEL_MAX ? FORM_LABEL_MAX : w) + 1;
	*data = f;
	return KS_OK;
}

ks_status tui_form_open(tui *t, const tui_form_spec *spec)
{
	form_arg a = { .spec = *spec };
	ks_status rc = tui_open(t, &tui_form_screen, &a);
	if (!a.taken && spec->done)
		spec->done(spec->ctx);
	return rc;
}

static ks_status form_refresh(tui *t, void *data, ks_err *err)
{
	(void)t; (void)data; (void)err;
	return KS_OK;   /* what was typed is not in the database */
}

static const char *form_title(void *data)
{
	return ((form_scr *)data)->title;
}

/* The column of a field's value. */
static int form_value_x(const form_scr *f)
{
	return 2 + f->labw + 2;
}

static form_row *form_add(form_scr *f, int slot, char *text, int x, unsigned long attrs)
{
	if (f->nrows == f->cap)
		f->rows = ks_realloc(f->rows, (f->cap = f->cap ? f->cap * 2 : 64) * sizeof *f->rows);
	form_row *r = &f->rows[f->nrows++];
	*r = (form_row){ .slot = slot, .text = text, .x = x, .attrs = attrs };
	return r;
}

/* Add the rows of text slot sl wrapped to width columns; if cur_row is not
 * NULL, set *cur_row and *cur_col to where its cursor is. */
static void form_add_text(form_scr *f, int slot, const form_slot *sl, int x, int width,
                          int *cur_row, int *cur_col)
{
	const char *s = sl->text;
	size_t len = sl->len, p = 0;
	if (width < 1)
		width = 1;
	for (;;) {
		const char *nl = memchr(s + p, '\n', len - p);
		size_t q = nl ? (size_t)(nl - s) : len;
		size_t pos = p;
		do {
			/* the longest piece of [pos, q) at most width columns wide */
			size_t e = pos;
			int w = 0;
			while (e < q) {
				size_t next = e;
				uint32_t cp;
				if (!text_utf8_next(s, q, &next, &cp))
					next = e + 1, cp = '?';
				int cw = text_cp_width(cp);
				if (w + cw > width && e > pos)
					break;
				w += cw;
				e = next;
			}
			if (cur_row && sl->cur >= pos && sl->cur <= e) {
				/* the last piece holding the cursor: at a wrap it starts the next line */
				char *before = ks_strndup(s + pos, sl->cur - pos);
				*cur_row = (int)f->nrows;
				*cur_col = text_width(before);
				free(before);
			}
			form_add(f, slot, ks_strndup(s + pos, e - pos), x, A_NORMAL);
			pos = e;
		} while (pos < q);
		if (q >= len)
			break;
		p = q + 1;
	}
}

/* Build the body rows for cols columns; the cursor goes to cur_row, cur_col. */
static void form_build(form_scr *f, tui *t, int cols, int *cur_row, int *cur_col)
{
	form_rows_free(f);
	int vx = form_value_x(f), vw = cols - vx;
	if (vw < FORM_MIN_TEXT)
		vw = FORM_MIN_TEXT;
	const char *group = NULL;
	*cur_row = -1;
	*cur_col = 0;
	for (size_t i = 0; i < f->n; i++) {
		const form_slot *sl = &f->slots[i];
		const conf_field *fd = sl->fd;
		if (fd->group && (!group || strcmp(group, fd->group))) {
			if (f->nrows)
				form_add(f, -1, ks_strdup(""), 0, A_NORMAL);
			char *g = text_visible(fd->group, false);
			form_add(f, -1, ks_asprintf("【%s】", g), 0, A_BOLD);
			free(g);
		}
		group = fd->group;
		size_t first = f->nrows;
		bool focused = i == f->focus;
		if (form_is_list(fd)) {
			const char *v = "", *l = "";
			int k = form_opt_index(f, sl);
			if (k >= 0)
				form_opt(f->s->cf, fd, (size_t)k, &v, &l);
			form_add(f, (int)i, ks_strdup(k >= 0 ? l : sl->text), vx, A_NORMAL);
			if (focused) {
				*cur_row = (int)first;
				*cur_col = 0;
			}
		} else {
			/* one column spare, so the cursor fits after the last character */
			form_add_text(f, (int)i, sl, vx, vw - 1, focused ? cur_row : NULL, cur_col);
		}
		f->rows[first].first = true;
		if (sl->error)
			form_add(f, (int)i, ks_strdup(sl->error), vx, tui_alert_attrs(t, TUI_ALERT_LATE));
	}
}

/* The line under the body: a notice, or the focused field's help, its kind
 * of value, and for a list field its numbered options, the chosen one in
 * brackets. */
static char *form_help_line(const form_scr *f)
{
	if (f->notice)
		return ks_strdup(f->notice);
	const form_slot *sl = &f->slots[f->focus];
	const conf_field *fd = sl->fd;
	char *hint = NULL;
	switch (fd->type) {
	case FT_TEXT:
		hint = fd->max_len > 0 ? ks_asprintf("最多 %ld 字", fd->max_len) : ks_strdup("");
		break;
	case FT_LONGTEXT:
		hint = ks_strdup("Enter 换行，Tab 到下一栏");
		break;
	case FT_NUMBER:
		hint = fd->nspecial ? ks_asprintf("整数，或 %s（%s）", fd->special[0].value, fd->special[0].label)
		                    : ks_strdup("整数");
		break;
	case FT_MONEY:
		hint = ks_strdup("金额（元，最多两位小数）");
		break;
	case FT_DATE:
		hint = ks_strdup("日期 YYYY-MM-DD");
		break;
	case FT_DATETIME:
		hint = ks_strdup("日期时间 YYYY-MM-DD HH:MM");
		break;
	default: {
		size_t n = form_nopts(f->s->cf, fd);
		int cur = form_opt_index(f, sl);
		hint = ks_strdup("空格切换：");
		for (size_t i = 0; i < n; i++) {
			const char *v, *l;
			form_opt(f->s->cf, fd, i, &v, &l);
			char num[8] = "";
			if (i < 9)
				snprintf(num, sizeof num, "%zu ", i + 1);
			bool on = (int)i == cur;
			char *x = ks_asprintf("%s%s%s%s%s%s", hint, i ? "  " : "", on ? "[" : "", num, l, on ? "]" : "");
			free(hint);
			hint = x;
		}
		break;
	}
	}
	char *out = ks_asprintf("%s%s%s", fd->help ? fd->help : "", fd->help && *hint ? "；" : "", hint);
	free(hint);
	return out;
}

/* Rows of the body: between the title and the help line. */
static int form_body_rows(void)
{
	return LINES - 3 > 1 ? LINES - 3 : 1;
}

static void form_draw(tui *t, void *data)
{
	form_scr *f = data;
	int cols = COLS, nb = form_body_rows();
	/* the help line (or a notice such as a conflict) takes two rows if it must */
	char *help = form_help_line(f);
	char *vis = text_visible(help, false);
	free(help);
	size_t cut = text_width(vis) > cols && nb > 2 ? text_prefix(vis, cols, NULL) : 0;
	if (cut)
		nb--;
	int cur_row, cur_col;
	form_build(f, t, cols, &cur_row, &cur_col);
	/* keep the focused field (with the heading just above it) in view,
	 * and the cursor above all */
	int ffirst = -1, flast = -1;
	for (size_t i = 0; i < f->nrows; i++)
		if (f->rows[i].slot == (int)f->focus) {
			if (ffirst < 0)
				ffirst = (int)i;
			flast = (int)i;
		}
	if (ffirst > 0 && f->rows[ffirst - 1].slot < 0 && f->rows[ffirst - 1].text[0])
		ffirst--;
	if (flast - ffirst + 1 <= nb) {
		if (ffirst < f->top)
			f->top = ffirst;
		if (flast >= f->top + nb)
			f->top = flast - nb + 1;
	}
	if (cur_row >= 0 && cur_row < f->top)
		f->top = cur_row;
	if (cur_row >= f->top + nb)
		f->top = cur_row - nb + 1;
	int maxtop = (int)f->nrows > nb ? (int)f->nrows - nb : 0;
	if (f->top > maxtop)
		f->top = maxtop;
	if (f->top < 0)
		f->top = 0;

	for (int y = 0; y < nb && (size_t)(f->top + y) < f->nrows; y++) {
		const form_row *r = &f->rows[f->top + y];
		bool focused = r->slot == (int)f->focus;
		if (r->first) {
			const conf_field *fd = f->slots[r->slot].fd;
			char *l = text_visible(fd->label, false);
			int lw = text_width(l);
			char *lab = lw > f->labw - 1 ? text_fit(l, f->labw - 1) : ks_strdup(l);
			char *cell = ks_asprintf("%s%s", lab, fd->required ? "*" : "");
			if (focused)
				tui_put(1 + y, 0, 1, ">", A_BOLD);
			tui_put(1 + y, 2, f->labw, cell, focused ? A_BOLD : A_NORMAL);
			free(cell);
			free(lab);
			free(l);
		}
		tui_put(1 + y, r->x, cols - r->x, r->text, r->attrs);
	}
	unsigned long hattrs = f->notice ? tui_alert_attrs(t, TUI_ALERT_LATE) : A_NORMAL;
	if (cut) {
		char *first = ks_strndup(vis, cut);
		tui_put(LINES - 3, 0, cols, first, hattrs);
		tui_put(LINES - 2, 0, cols, vis + cut, hattrs);
		free(first);
	} else {
		tui_put(LINES - 2, 0, cols, vis, hattrs);
	}
	free(vis);
	if (cur_row >= f->top && cur_row < f->top + nb)
		tui_cursor(t, 1 + cur_row - f->top, form_value_x(f) + cur_col);
}

/* ---- keys --------------------------------------------------------------- */

static void form_clear_notice(form_scr *f)
{
	free(f->notice);
	f->notice = NULL;
}

/* Step a list field's option by dir (+1 / -1); an optional field has "none"
 * between its last and first option. */
static void form_step(form_scr *f, form_slot *sl, int dir)
{
	int n = (int)form_nopts(f->s->cf, sl->fd);
	if (n == 0)
		return;
	int k = form_opt_index(f, sl);
	int lo = sl->fd->required ? 0 : -1;
	if (k < 0 && dir < 0)
		k = n;   /* from none backwards: the last option */
	k += dir;
	if (k >= n)
		k = lo;
	if (k < lo)
		k = n - 1;
	const char *v = "", *l;
	if (k >= 0)
		form_opt(f->s->cf, sl->fd, (size_t)k, &v, &l);
	form_set(sl, v);
	form_set_error(sl, NULL);
	f->dirty = true;
}

/* A character typed on a list field. */
static void form_list_char(tui *t, form_scr *f, form_slot *sl, uint32_t cp)
{
	size_t n = form_nopts(f->s->cf, sl->fd);
	if (cp == ' ') {
		form_step(f, sl, 1);
		return;
	}
	if (cp >= '1' && cp <= '9') {
		size_t k = cp - '1';
		if (k >= n) {
			tui_error(t, "「%s」只有 %zu 个选项", sl->fd->label, n);
			return;
		}
		const char *v, *l;
		form_opt(f->s->cf, sl->fd, k, &v, &l);
		form_set(sl, v);
		form_set_error(sl, NULL);
		f->dirty = true;
		return;
	}
	if (sl->fd->type == FT_YESNO && (cp == 'y' || cp == 'n' || cp == 0x662F || cp == 0x5426)) {
		form_set(sl, cp == 'y' || cp == 0x662F ? "yes" : "no");   /* 是 否 */
		form_set_error(sl, NULL);
		f->dirty = true;
		return;
	}
	tui_error(t, "「%s」请用空格或 ←→ 切换，或按数字 1-%zu 选择", sl->fd->label, n < 9 ? n : 9);
}

static tui_next form_input(tui *t, void *data, int key)
{
	form_scr *f = data;
	form_clear_notice(f);
	form_slot *sl = &f->slots[f->focus];
	uint32_t cp = key < 0 ? (uint32_t)-key : (uint32_t)key;
	if (form_is_list(sl->fd)) {
		form_list_char(t, f, sl, cp);
		return TUI_DRAW;
	}
	char u[4];
	size_t n = form_utf8(u, cp);
	ks_err err = { "" };
	if (text_check(u, n, sl->fd->type == FT_LONGTEXT, sl->fd->label, &err)) {
		tui_error(t, "%s", err.msg);
		return TUI_DRAW;
	}
	form_insert(sl, u, n);
	form_set_error(sl, NULL);
	f->dirty = true;
	return TUI_DRAW;
}

static tui_next form_cancel_answer(tui *t, void *data, bool yes)
{
	(void)data;
	if (!yes)
		return TUI_DRAW;
	tui_message(t, "已放弃，没有保存");
	return TUI_CLOSE;
}

static tui_next form_conflict_answer(tui *t, void *data, bool yes)
{
	form_scr *f = data;
	if (!yes) {
		tui_message(t, "没有保存；已填内容保留");
		return TUI_DRAW;
	}
	ks_err err = { "" };
	if (f->spec.reload(t, f->spec.ctx, &err))
		tui_error(t, "%s", err.msg);
	else
		tui_message(t, "已重新读取，已填内容保留；按 Ctrl-S 再次保存");
	return TUI_DRAW;
}

/* Check everything, then hand the values to the spec's save. */
static tui_next form_save(tui *t, form_scr *f)
{
	size_t bad = 0, first = 0;
	for (size_t i = 0; i < f->n; i++)
		if (!form_check(f, i, true) && bad++ == 0)
			first = i;
	if (bad) {
		f->focus = first;
		tui_error(t, "有 %zu 栏需要更正（见各栏下的说明），没有保存", bad);
		return TUI_DRAW;
	}
	form_kv *kv = ks_calloc(f->n, sizeof *kv);
	size_t n = 0;
	bool defaults = false;   /* an empty field the engine fills (`default:`) */
	for (size_t i = 0; i < f->n; i++) {
		if (f->slots[i].len)
			kv[n++] = (form_kv){ f->slots[i].fd->key, f->slots[i].text, f->slots[i].len };
		else
			defaults |= f->slots[i].fd->dflt != NULL;
	}
	ks_err err = { "" };
	json_t *obj = NULL;
	ks_status rc = defaults ? KS_OK : form_fill(f->s->cf, f->spec.form, kv, n, &obj, &err);
	json_decref(obj);
	if (!rc)
		rc = f->spec.save(t, f->spec.ctx, kv, n, &err);
	free(kv);
	if (!rc) {
		f->dirty = false;
		return TUI_CLOSE;
	}
	if (rc == KS_CONFLICT && f->spec.reload) {
		form_clear_notice(f);
		f->notice = ks_strdup(err.msg);
		tui_ask(t, "重新读取案件并保留已填内容？(y/n)", form_conflict_answer, f);
	} else {
		tui_error(t, "%s", err.msg);
	}
	return TUI_DRAW;
}

/* Home/End: the start or end of the cursor's line. */
static void form_line_end(form_slot *sl, bool end)
{
	if (end) {
		const char *nl = memchr(sl->text + sl->cur, '\n', sl->len - sl->cur);
		sl->cur = nl ? (size_t)(nl - sl->text) : sl->len;
	} else {
		while (sl->cur > 0 && sl->text[sl->cur - 1] != '\n')
			sl->cur--;
	}
}

static tui_next form_key(tui *t, void *data, tui_request req)
{
	form_scr *f = data;
	form_clear_notice(f);
	form_slot *sl = &f->slots[f->focus];
	bool list = form_is_list(sl->fd);
	switch (req) {
	case REQ_ENTER:
		if (sl->fd->type == FT_LONGTEXT) {
			form_insert(sl, "\n", 1);
			form_set_error(sl, NULL);
			f->dirty = true;
			return TUI_DRAW;
		}
		/* fall through */
	case REQ_NEXT:
	case REQ_MOVE_DOWN:
		if (f->focus + 1 < f->n)
			form_focus(f, f->focus + 1);
		else {
			form_check(f, f->focus, false);
			tui_message(t, "已是最后一栏；按 Ctrl-S 保存");
		}
		return TUI_DRAW;
	case REQ_PREV:
	case REQ_MOVE_UP:
		if (f->focus > 0)
			form_focus(f, f->focus - 1);
		return TUI_DRAW;
	case REQ_PAGE_DOWN:
	case REQ_PAGE_UP:
		form_focus(f, form_group_jump(f, req == REQ_PAGE_DOWN ? 1 : -1));
		return TUI_DRAW;
	case REQ_MOVE_LEFT:
	case REQ_MOVE_RIGHT:
		if (list)
			form_step(f, sl, req == REQ_MOVE_RIGHT ? 1 : -1);
		else
			sl->cur = req == REQ_MOVE_RIGHT ? form_next(sl->text, sl->len, sl->cur)
			                                : form_prev(sl->text, sl->cur);
		return TUI_DRAW;
	case REQ_MOVE_FIRST:
	case REQ_MOVE_LAST:
		if (!list)
			form_line_end(sl, req == REQ_MOVE_LAST);
		return TUI_DRAW;
	case REQ_DELETE_BACK:
	case REQ_DELETE:
		if (list) {
			if (sl->len)
				f->dirty = true;
			form_set(sl, "");
		} else if (req == REQ_DELETE_BACK && sl->cur > 0) {
			form_erase(sl, form_prev(sl->text, sl->cur), sl->cur);
			f->dirty = true;
		} else if (req == REQ_DELETE && sl->cur < sl->len) {
			form_erase(sl, sl->cur, form_next(sl->text, sl->len, sl->cur));
			f->dirty = true;
		}
		form_set_error(sl, NULL);
		return TUI_DRAW;
	case REQ_SAVE:
		return form_save(t, f);
	case REQ_CANCEL:
	case REQ_VIEW_CLOSE:
		if (!f->dirty)
			return TUI_CLOSE;
		tui_ask(t, "放弃已输入的内容？(y/n)", form_cancel_answer, f);
		return TUI_DRAW;
	default:
		return TUI_PASS;   /* help, refresh, redraw; the rest says it does not apply */
	}
}

const tui_screen tui_form_screen = {
	.name = "form",
	.hints = form_hints,
	.open = form_open,
	.draw = form_draw,
	.title = form_title,
	.input = form_input,
	.key = form_key,
	.refresh = form_refresh,
	.close = form_close,
};
