/* tui.c — the terminal interface: main loop, keymap, title and status lines,
 * yes/no questions, colours, help screen, signal and terminal restore, and
 * the scripted test hook. */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1 /* screen ops have a member named refresh */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/text.h"
#include "kesu/tuiconf.h"

#ifndef __STDC_ISO_10646__
#error "kesu's terminal interface needs wchar_t to hold Unicode code points"
#endif

/* ---- the keymap, generated from TUI_REQ_LIST ---------------------------- */

typedef struct tui_keyinfo {
	tui_request req;
	const char *name, *label, *help;
	int keys[TUI_KEYS_MAX];   /* 0 ends the list */
} tui_keyinfo;

static const tui_keyinfo tui_keymap_defaults[] = {
#define TUI_REQ_INFO(req, name, label, help, ...) { req, name, label, help, { __VA_ARGS__ } },
	TUI_REQ_LIST(TUI_REQ_INFO)
#undef TUI_REQ_INFO
};

#define TUI_NKEYMAP (sizeof tui_keymap_defaults / sizeof tui_keymap_defaults[0])

/* The names of keys (keymap.h) and the codes they stand for. */
static const struct { const char *name; int key; } tui_keynames[] = {
#define TUI_KEYNAME_INFO(name, code) { name, code },
	TUI_KEYNAME_LIST(TUI_KEYNAME_INFO)
#undef TUI_KEYNAME_INFO
};

#define TUI_NKEYNAMES (sizeof tui_keynames / sizeof tui_keynames[0])

const char *tui_request_name(tui_request req)
{
	for (size_t i = 0; i < TUI_NKEYMAP; i++)
		if (tui_keymap_defaults[i].req == req)
			return tui_keymap_defaults[i].name;
	return "";
}

/* The name of a bound key as the help screen shows it ("j", "Down", "Enter"). */
static void tui_key_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < TUI_NKEYNAMES; i++)
		if (tui_keynames[i].key == key) {
			snprintf(buf, n, "%s", tui_keynames[i].name);
			return;
		}
	if (key >= KEY_F(1) && key <= KEY_F(63))
		snprintf(buf, n, "F%d", key - KEY_F0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, n, "Ctrl-%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "%s", keyname(key) ? keyname(key) : "?");
}

/* The distinct names of the keys bound to k, separated by two spaces; a run
 * of three or more consecutive digits is written "1-9". */
static void tui_keys_text(const tui_keyinfo *k, char *buf, size_t n)
{
	buf[0] = '\0';
	for (int i = 0; i < TUI_KEYS_MAX && k->keys[i]; i++) {
		char name[32];
		int run = i;
		while (k->keys[i] >= '0' && k->keys[i] <= '9' && run + 1 < TUI_KEYS_MAX &&
		       k->keys[run + 1] == k->keys[run] + 1)
			run++;
		if (run - i >= 2) {
			size_t len = strlen(buf);
			snprintf(buf + len, n - len, "%s%c-%c", len ? "  " : "", k->keys[i], k->keys[run]);
			i = run;
			continue;
		}
		tui_key_name(k->keys[i], name, sizeof name);
		bool dup = false;
		for (int j = 0; j < i; j++) {
			char prev[32];
			tui_key_name(k->keys[j], prev, sizeof prev);
			dup |= !strcmp(prev, name);
		}
		if (dup)
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "%s%s", len ? "  " : "", name);
	}
}

/* ---- the interface ------------------------------------------------------ */

#define TUI_DEPTH 8

typedef struct tui_view {
	const tui_screen *ops;
	void *data;
} tui_view;

typedef enum { TUI_EV_KEY, TUI_EV_TICK, TUI_EV_DUMP, TUI_EV_CURSOR, TUI_EV_END } tui_event;

struct tui {
	session *s;
	tui_view stack[TUI_DEPTH];
	int depth;
	ks_err msg;               /* status-line message, "" for the key hints */
	bool msg_error;
	tui_answer_fn ask;        /* an open yes/no question (in msg), or NULL */
	void *ask_data;
	int key;                  /* the key being handled */
	int cur_y, cur_x;         /* where draw() wants the cursor; cur_y < 0: hidden */
	bool colors;              /* colour pairs are set up and in use */
	bool dirty;               /* the screen must be redrawn */
	int exit_code;
	struct timespec last_poll;
	long long data_version;   /* PRAGMA data_version at the last poll, 0 before */
	/* script mode */
	FILE *script, *dump;
	char *line;
	size_t linecap;
	const char *pending;      /* the rest of the current script line */
	int lineno;
	const tui_script_call *calls;
	tui_keyinfo keymap[TUI_NKEYMAP];   /* the defaults with tui.yaml's bindings applied */
};

/* ---- the effective keymap ---------------------------------------------- */

static const tui_keyinfo *tui_keyinfo_of(const tui *t, tui_request req)
{
	for (size_t i = 0; i < TUI_NKEYMAP; i++)
		if (t->keymap[i].req == req)
			return &t->keymap[i];
	return NULL;
}

/* The request bound to key (an ASCII character or a curses KEY_ code;
 * negative keys, other characters, are bound to nothing). */
static tui_request tui_keymap_find(const tui *t, int key)
{
	if (key <= 0)
		return REQ_NONE;
	for (size_t i = 0; i < TUI_NKEYMAP; i++)
		for (int k = 0; k < TUI_KEYS_MAX && t->keymap[i].keys[k]; k++)
			if (t->keymap[i].keys[k] == key)
				return t->keymap[i].req;
	return REQ_NONE;
}

/* Append the codes key name stands for (checked by the loader) to codes. */
static void tui_name_codes(const char *name, int *codes, int *n, int max)
{
	int v;
	switch (tuiconf_key_parse(name, &v)) {
	case TUIKEY_CHAR:
		if (*n < max)
			codes[(*n)++] = v;
		break;
	case TUIKEY_FN:
		if (*n < max)
			codes[(*n)++] = KEY_F(v);
		break;
	case TUIKEY_NAMED:
		for (size_t i = 0; i < TUI_NKEYNAMES; i++)
			if (!strcmp(tui_keynames[i].name, name) && *n < max)
				codes[(*n)++] = tui_keynames[i].key;
		break;
	case TUIKEY_BAD:
		break;
	}
}

/* The defaults of TUI_REQ_LIST with the bindings of tui.yaml: a request it
 * lists has exactly the keys listed; a key it lists is taken from every
 * other request. */
static void tui_keymap_build(tui *t)
{
	memcpy(t->keymap, tui_keymap_defaults, sizeof t->keymap);
	const tuiconf *tc = t->s->cf ? t->s->cf->tui : NULL;
	if (!tc)
		return;
	int taken[TUI_NKEYMAP * TUI_KEYS_MAX], ntaken = 0;
	for (size_t b = 0; b < tc->nbinds; b++)
		for (size_t k = 0; k < tc->binds[b].nkeys; k++)
			tui_name_codes(tc->binds[b].keys[k], taken, &ntaken, (int)(sizeof taken / sizeof *taken));
	for (size_t i = 0; i < TUI_NKEYMAP; i++) {
		tui_keyinfo *ki = &t->keymap[i];
		const tuiconf_bind *bind = NULL;
		for (size_t b = 0; b < tc->nbinds; b++)
			if (!strcmp(tc->binds[b].req, ki->name))
				bind = &tc->binds[b];
		int codes[TUI_KEYS_MAX] = { 0 }, n = 0;
		if (bind) {
			for (size_t k = 0; k < bind->nkeys; k++)
				tui_name_codes(bind->keys[k], codes, &n, TUI_KEYS_MAX - 1);
		} else {
			for (int k = 0; k < TUI_KEYS_MAX && ki->keys[k]; k++) {
				bool gone = false;
				for (int j = 0; j < ntaken; j++)
					gone |= taken[j] == ki->keys[k];
				if (!gone)
					codes[n++] = ki->keys[k];
			}
		}
		memcpy(ki->keys, codes, sizeof ki->keys);
	}
}

/* Colour pairs. */
enum { TUI_PAIR_LATE = 1, TUI_PAIR_SOON = 2 };

static volatile sig_atomic_t tui_signal;

static void tui_on_signal(int sig)
{
	tui_signal = sig;
}

session *tui_session(tui *t)
{
	return t->s;
}

static void tui_vset(tui *t, bool error, const char *fmt, va_list ap)
{
	ks_verrf(&t->msg, KS_OK, fmt, ap);
	t->msg_error = error;
	t->dirty = true;
}

void tui_message(tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tui_vset(t, false, fmt, ap);
	va_end(ap);
}

void tui_error(tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tui_vset(t, true, fmt, ap);
	va_end(ap);
}

ks_status tui_open(tui *t, const tui_screen *ops, const void *arg)
{
	if (t->depth == TUI_DEPTH) {
		tui_error(t, "打开的屏幕太多，请先按 q 返回");
		return KS_FAIL;
	}
	ks_err err = { "" };
	void *data = NULL;
	ks_status rc = ops->open(t, arg, &data, &err);
	if (rc) {
		tui_error(t, "%s", err.msg);
		return rc;
	}
	t->stack[t->depth++] = (tui_view){ ops, data };
	t->dirty = true;
	return KS_OK;
}

static void tui_close_top(tui *t)
{
	tui_view *v = &t->stack[--t->depth];
	v->ops->close(v->data);
	*v = (tui_view){ 0 };
	t->dirty = true;
}

void tui_ask(tui *t, const char *question, tui_answer_fn fn, void *data)
{
	tui_error(t, "%s", question);
	t->ask = fn;
	t->ask_data = data;
}

int tui_pick(tui *t)
{
	return t->key >= '1' && t->key <= '9' ? t->key - '0' : 0;
}

void tui_cursor(tui *t, int y, int x)
{
	t->cur_y = y;
	t->cur_x = x;
}

bool tui_colors(tui *t)
{
	return t->colors;
}

unsigned long tui_alert_attrs(tui *t, tui_alert a)
{
	if (a == TUI_ALERT_NONE)
		return A_NORMAL;
	if (!t->colors)
		return A_BOLD;
	return COLOR_PAIR(a == TUI_ALERT_LATE ? TUI_PAIR_LATE : TUI_PAIR_SOON) |
	       (a == TUI_ALERT_LATE ? A_BOLD : A_NORMAL);
}

/* ---- drawing ------------------------------------------------------------ */

/* Encode cp (< 0x110000) as UTF-8 at u (room for 4 bytes); returns the length. */
static size_t tui_utf8(char *u, uint32_t cp)
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

/* Append code point cp to w (room for it is the caller's business),
 * replacing it if the terminal's wcwidth() disagrees with text_cp_width(),
 * so that what text_fit measured is what the terminal shows. */
static size_t tui_wput(wchar_t *w, size_t n, uint32_t cp)
{
	int want = text_cp_width(cp);
	if (wcwidth((wchar_t)cp) == want) {
		w[n++] = (wchar_t)cp;
		return n;
	}
	if (want == 2)
		w[n++] = L'\xFF1F'; /* full-width question mark */
	else if (want == 1)
		w[n++] = L'?';
	return n;
}

void tui_put(int y, int x, int width, const char *s, unsigned long attrs)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	if (y < 0 || y >= rows || x < 0 || x >= cols || width <= 0)
		return;
	if (width > cols - x)
		width = cols - x;
	char *vis = text_visible(s ? s : "", false);
	char *fit = text_fit(vis, width);
	size_t len = strlen(fit), pos = 0, n = 0;
	wchar_t *w = ks_malloc((len + 1) * sizeof *w);
	while (pos < len) {
		uint32_t cp;
		if (text_utf8_next(fit, len, &pos, &cp))
			n = tui_wput(w, n, cp);
		else {
			w[n++] = L'?';
			pos++;
		}
	}
	w[n] = L'\0';
	wattr_on(stdscr, (attr_t)attrs, NULL);
	mvwaddnwstr(stdscr, y, x, w, (int)n);
	wattr_off(stdscr, (attr_t)attrs, NULL);
	free(w);
	free(fit);
	free(vis);
}

/* Title bar: who is working on the left, the screen's title on the right. */
static void tui_draw_title(tui *t, const char *right)
{
	const session *s = t->s;
	int cols = getmaxx(stdscr);
	char *left = ks_asprintf("kesu 客诉 — %s（%s）", s->me ? s->me->name : "",
	                         s->me ? case_dept_name(s, s->me->dept) : "");
	char *r = text_visible(right ? right : "", false);
	int rw = text_width(r);
	if (rw > cols / 2)
		rw = cols / 2;
	tui_put(0, 0, cols, "", A_BOLD);
	tui_put(0, 0, cols - rw - 1, left, A_BOLD);
	if (rw > 0)
		tui_put(0, cols - rw, rw, r, A_BOLD);
	free(r);
	free(left);
}

/* Status line: the message if there is one, else the screen's key hints.
 * The bottom-right cell is left alone (writing it would scroll). */
static void tui_draw_status(tui *t, const tui_screen *ops)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	if (t->msg.msg[0]) {
		/* a message too long for the line takes the row above too */
		unsigned long attrs = t->msg_error ? A_BOLD : A_NORMAL;
		char *vis = text_visible(t->msg.msg, false);
		if (text_width(vis) > cols - 1 && rows > 3) {
			size_t len = text_prefix(vis, cols, NULL);
			char *first = ks_strndup(vis, len);
			tui_put(rows - 2, 0, cols, first, attrs);
			tui_put(rows - 1, 0, cols - 1, vis + len, attrs);
			free(first);
		} else {
			tui_put(rows - 1, 0, cols - 1, vis, attrs);
		}
		free(vis);
		return;
	}
	/* whole hints only, in the screen's order of importance, while they fit */
	char hints[512] = "";
	for (const tui_hint *h = ops->hints; h && h->req != REQ_NONE; h++) {
		const tui_keyinfo *k = tui_keyinfo_of(t, h->req);
		if (!k || !k->keys[0])
			continue;
		char key[32];
		if (h->key)
			snprintf(key, sizeof key, "%s", h->key);
		else
			tui_key_name(k->keys[0], key, sizeof key);
		const char *label = h->label ? h->label
		                  : h->req == REQ_VIEW_CLOSE && t->depth == 1 ? "退出" : k->label;
		char *hint = ks_asprintf("%s%s %s", hints[0] ? "  " : "", key, label);
		if (text_width(hints) + text_width(hint) <= cols - 1 &&
		    strlen(hints) + strlen(hint) < sizeof hints)
			strcat(hints, hint);
		free(hint);
	}
	tui_put(rows - 1, 0, cols - 1, hints, A_NORMAL);
}

static void tui_draw(tui *t)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	werase(stdscr);
	t->cur_y = -1;
	if (rows < 4 || cols < 20) {
		tui_put(0, 0, cols - 1, "终端太小", A_BOLD);
	} else {
		tui_view *v = &t->stack[t->depth - 1];
		v->ops->draw(t, v->data);
		tui_draw_title(t, v->ops->title(v->data));
		tui_draw_status(t, v->ops);
	}
	if (t->cur_y >= 0 && t->cur_y < rows && t->cur_x >= 0 && t->cur_x < cols) {
		leaveok(stdscr, FALSE);
		wmove(stdscr, t->cur_y, t->cur_x);
		curs_set(1);
	} else {
		leaveok(stdscr, TRUE);
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = false;
}

/* ---- lists -------------------------------------------------------------- */

void tui_list_clamp(tui_list *l, int rows)
{
	if (rows < 1)
		rows = 1;
	if (l->n < 0)
		l->n = 0;
	int maxtop = l->n > rows ? l->n - rows : 0;
	if (l->sel >= 0) {
		if (l->sel >= l->n)
			l->sel = l->n > 0 ? l->n - 1 : 0;
		if (l->sel < l->top)
			l->top = l->sel;
		if (l->sel >= l->top + rows)
			l->top = l->sel - rows + 1;
	}
	if (l->top > maxtop)
		l->top = maxtop;
	if (l->top < 0)
		l->top = 0;
}

bool tui_list_move(tui_list *l, tui_request req, int rows)
{
	if (rows < 1)
		rows = 1;
	int *p = l->sel >= 0 ? &l->sel : &l->top;
	switch (req) {
	case REQ_MOVE_DOWN:  *p += 1; break;
	case REQ_MOVE_UP:    *p -= 1; break;
	case REQ_PAGE_DOWN:  *p += rows; if (l->sel >= 0) l->top += rows; break;
	case REQ_PAGE_UP:    *p -= rows; if (l->sel >= 0) l->top -= rows; break;
	case REQ_MOVE_FIRST: *p = 0; break;
	case REQ_MOVE_LAST:  *p = l->n; break;
	default:
		return false;
	}
	if (*p < 0)
		*p = 0;
	tui_list_clamp(l, rows);
	return true;
}

/* ---- help screen -------------------------------------------------------- */

typedef struct help {
	char **lines;
	int n;
	tui_list list;
} help;

static const tui_hint help_hints[] = {
	{ REQ_VIEW_CLOSE, NULL, NULL }, { REQ_MOVE_DOWN, NULL, NULL }, { REQ_MOVE_UP, NULL, NULL },
	{ REQ_NONE, NULL, NULL },
};

static ks_status help_open(tui *t, const void *arg, void **data, ks_err *err)
{
	(void)arg; (void)err;
	help *h = ks_calloc(1, sizeof *h);
	h->lines = ks_calloc(TUI_NKEYMAP + 2, sizeof *h->lines);
	int kw = text_width("按键");
	char keys[TUI_NKEYMAP][128];
	for (size_t i = 0; i < TUI_NKEYMAP; i++) {
		tui_keys_text(&t->keymap[i], keys[i], sizeof keys[i]);
		if (text_width(keys[i]) > kw)
			kw = text_width(keys[i]);
	}
	char *head = text_fit("按键", kw + 2);
	h->lines[h->n++] = ks_asprintf("%s动作", head);
	free(head);
	for (size_t i = 0; i < TUI_NKEYMAP; i++) {
		char *k = text_fit(keys[i], kw + 2);
		h->lines[h->n++] = ks_asprintf("%s%s", k, t->keymap[i].help);
		free(k);
	}
	h->list = (tui_list){ .n = h->n, .sel = -1 };
	*data = h;
	return KS_OK;
}

static void help_draw(tui *t, void *data)
{
	(void)t;
	help *h = data;
	int rows = LINES - 2, cols = COLS;
	tui_list_clamp(&h->list, rows);
	for (int i = 0; i < rows && h->list.top + i < h->n; i++)
		tui_put(1 + i, 0, cols, h->lines[h->list.top + i], h->list.top + i == 0 ? A_BOLD : A_NORMAL);
}

static const char *help_title(void *data)
{
	(void)data;
	return "按键帮助";
}

static tui_next help_key(tui *t, void *data, tui_request req)
{
	(void)t;
	help *h = data;
	if (tui_list_move(&h->list, req, LINES - 2))
		return TUI_DRAW;
	if (req == REQ_HELP || req == REQ_ENTER || req == REQ_CANCEL)
		return TUI_CLOSE;
	return TUI_PASS;
}

static ks_status help_refresh(tui *t, void *data, ks_err *err)
{
	(void)t; (void)data; (void)err;
	return KS_OK;
}

static void help_close(void *data)
{
	help *h = data;
	for (int i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	free(h);
}

const tui_screen tui_help_screen = {
	.name = "help",
	.hints = help_hints,
	.open = help_open,
	.draw = help_draw,
	.title = help_title,
	.key = help_key,
	.refresh = help_refresh,
	.close = help_close,
};

/* ---- the main loop ------------------------------------------------------ */

/* Whether another process changed the database since the last call. */
static bool tui_db_changed(tui *t)
{
	long long v;
	if (store_data_version(t->s->st, &v, NULL) != KS_OK)
		return false;
	bool changed = t->data_version && v != t->data_version;
	t->data_version = v;
	return changed;
}

/* Re-read every open screen's data; errors go to the status line (an open
 * question stays). Returns false if there was an error. */
static bool tui_reload(tui *t, bool quiet)
{
	bool ok = true;
	for (int i = t->depth - 1; i >= 0; i--) {
		ks_err err = { "" };
		tui_view *v = &t->stack[i];
		if (v->ops->refresh(t, v->data, &err)) {
			if (!t->ask)
				tui_error(t, "%s", err.msg);
			ok = false;
		}
	}
	if (ok && !quiet)
		tui_message(t, "已刷新");
	t->dirty = true;
	return ok;
}

bool tui_refresh_all(tui *t)
{
	return tui_reload(t, true);
}

/* Called about once a second while waiting for keys. */
static void tui_poll(tui *t)
{
	clock_gettime(CLOCK_MONOTONIC, &t->last_poll);
	if (tui_db_changed(t))
		tui_reload(t, true);
}

static void tui_unbound(tui *t, int key)
{
	char name[32];
	if (key < 0) {
		/* a non-ASCII character typed on the keyboard */
		size_t k = tui_utf8(name, (uint32_t)-key);
		name[k] = '\0';
	} else {
		tui_key_name(key, name, sizeof name);
	}
	tui_error(t, "按键 %s 没有定义（按 ? 查看帮助）", name);
}

/* What the main loop does with a request the screen passed on. */
static tui_next tui_default(tui *t, tui_request req, int key)
{
	switch (req) {
	case REQ_HELP:
		tui_open(t, &tui_help_screen, NULL);
		return TUI_DRAW;
	case REQ_SEARCH:
		tui_open(t, &tui_search_screen, NULL);
		return TUI_DRAW;
	case REQ_REPORT:
		tui_open(t, &tui_report_screen, NULL);
		return TUI_DRAW;
	case REQ_REMIND:
		tui_open(t, &tui_remind_screen, NULL);
		return TUI_DRAW;
	case REQ_TASKS:
		tui_open(t, &tui_tasks_screen, NULL);
		return TUI_DRAW;
	case REQ_VIEW_CLOSE:
		return TUI_CLOSE;
	case REQ_CANCEL:   /* Esc goes back, but never quits */
		return t->depth > 1 ? TUI_CLOSE : TUI_STAY;
	case REQ_QUIT:
		while (t->depth > 0)
			tui_close_top(t);
		return TUI_STAY;
	case REQ_REFRESH:
		tui_reload(t, false);
		return TUI_DRAW;
	case REQ_SCREEN_REDRAW:
		clearok(curscr, TRUE);
		return TUI_DRAW;
	case REQ_NONE:
		tui_unbound(t, key);
		return TUI_DRAW;
	default: {
		const tui_keyinfo *k = tui_keyinfo_of(t, req);
		tui_error(t, "这里不能「%s」", k ? k->help : "");
		return TUI_DRAW;
	}
	}
}

/* Whether key is a typed character (see tui_screen.input). */
static bool tui_is_char(int key)
{
	return key < 0 || (key >= 0x20 && key < 0x7f);
}

static void tui_handle(tui *t, int key)
{
	tui_request req = tui_keymap_find(t, key);
	t->msg.msg[0] = '\0';
	t->msg_error = false;
	t->key = key;
	tui_next r = TUI_PASS;
	if (t->ask) {
		tui_answer_fn fn = t->ask;
		t->ask = NULL;
		r = fn(t, t->ask_data, key == 'y' || key == 'Y');
		if (r == TUI_PASS)
			r = TUI_DRAW;
	}
	tui_view *v = &t->stack[t->depth - 1];
	if (r == TUI_PASS && v->ops->input && tui_is_char(key))
		r = v->ops->input(t, v->data, key);
	if (r == TUI_PASS)
		r = v->ops->key(t, v->data, req);
	if (r == TUI_PASS)
		r = tui_default(t, req, key);
	if (r == TUI_CLOSE && t->depth > 0)
		tui_close_top(t);
	t->dirty = true;
}

/* A key as the keymap sees it: ASCII characters and curses KEY_ codes as
 * they are, other characters negated (a character such as U+0102 must not be
 * taken for KEY_DOWN). */
static int tui_key_of(bool function_key, uint32_t c)
{
	if (function_key || c < 0x80)
		return (int)c;
	return c < 0x110000 ? -(int)c : -0xFFFD;
}

/* The next key from the keyboard: TUI_EV_TICK after a second without one. */
static tui_event tui_term_next(tui *t, int *key)
{
	(void)t;
	wint_t wc;
	int rc = wget_wch(stdscr, &wc);
	if (rc == ERR)
		return TUI_EV_TICK;
	*key = tui_key_of(rc == KEY_CODE_YES, (uint32_t)wc);
	return TUI_EV_KEY;
}

static int tui_script_key_name(const char *name, size_t len, int *key)
{
	static const struct { const char *name; int key; } names[] = {
		{ "Enter", '\n' }, { "Down", KEY_DOWN }, { "Up", KEY_UP }, { "PgDn", KEY_NPAGE },
		{ "PgUp", KEY_PPAGE }, { "Home", KEY_HOME }, { "End", KEY_END }, { "Space", ' ' },
		{ "F1", KEY_F(1) }, { "F5", KEY_F(5) }, { "C-L", 0x0c }, { "Lt", '<' },
		{ "Esc", 0x1b }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT }, { "Tab", '\t' },
		{ "BTab", KEY_BTAB }, { "Backspace", 0x7f }, { "Del", KEY_DC },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == len && !strncmp(names[i].name, name, len)) {
			*key = names[i].key;
			return 0;
		}
	if (len == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'A' && name[2] <= 'Z') {
		*key = name[2] - '@';
		return 0;
	}
	int f;
	char tail;
	if (len >= 2 && len <= 3 && name[0] == 'F' && sscanf(name + 1, "%d%c", &f, &tail) == 2 &&
	    f >= 1 && f <= 12 && tail == '>') {
		*key = KEY_F(f);
		return 0;
	}
	return -1;
}

/* Write the screen to t->dump: each row as UTF-8, trailing spaces removed. */
static void tui_dump(tui *t)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	size_t cap = (size_t)cols * (CCHARW_MAX + 1) + 1;
	wchar_t *w = ks_malloc(cap * sizeof *w);
	char *u = ks_malloc(cap * 4 + 1);
	for (int y = 0; y < rows; y++) {
		int n = mvwinnwstr(stdscr, y, 0, w, (int)cap - 1);
		if (n == ERR)
			n = 0;
		size_t k = 0;
		for (int i = 0; i < n && w[i]; i++)
			k += tui_utf8(u + k, (uint32_t)w[i]);
		while (k > 0 && u[k - 1] == ' ')
			k--;
		u[k] = '\0';
		fprintf(t->dump, "%s\n", u);
	}
	fflush(t->dump);
	free(u);
	free(w);
}

static tui_event tui_script_fail(tui *t, const char *what)
{
	fprintf(stderr, "kesu: tui script line %d: %s\n", t->lineno, what);
	t->exit_code = KS_INVALID;
	return TUI_EV_END;
}

/* The next event from the script (see tui_run_script). */
static tui_event tui_script_next(tui *t, int *key)
{
	while (!t->pending || !*t->pending) {
		t->pending = NULL;   /* getline may move or reuse the buffer */
		ssize_t len = getline(&t->line, &t->linecap, t->script);
		if (len < 0)
			return TUI_EV_END;
		t->lineno++;
		while (len > 0 && (t->line[len - 1] == '\n' || t->line[len - 1] == '\r'))
			t->line[--len] = '\0';
		if (len == 0 || t->line[0] == '#')
			continue;
		if (t->line[0] == ':') {
			int l, c;
			if (!strcmp(t->line, ":dump"))
				return TUI_EV_DUMP;
			if (!strcmp(t->line, ":cursor"))
				return TUI_EV_CURSOR;
			if (!strcmp(t->line, ":mono")) {
				t->colors = false;
				tui_reload(t, true);
				continue;
			}
			if (!strncmp(t->line, ":call ", 6)) {
				const tui_script_call *c = t->calls;
				while (c && c->name && strcmp(c->name, t->line + 6))
					c++;
				if (!c || !c->name)
					return tui_script_fail(t, "unknown :call");
				c->fn(t->s, c->ctx);
				continue;
			}
			if (sscanf(t->line, ":resize %d %d", &l, &c) == 2 && l > 0 && c > 0) {
				resizeterm(l, c);
				*key = KEY_RESIZE;
				return TUI_EV_KEY;
			}
			return tui_script_fail(t, "unknown command");
		}
		t->pending = t->line;
	}
	const char *p = t->pending;
	if (*p == '<') {
		const char *end = strchr(p, '>');
		if (!end)
			return tui_script_fail(t, "'<' without '>' (write <Lt> for '<')");
		t->pending = end + 1;
		if (end - p - 1 == 4 && !strncmp(p + 1, "Tick", 4))
			return TUI_EV_TICK;
		if (tui_script_key_name(p + 1, (size_t)(end - p - 1), key))
			return tui_script_fail(t, "unknown key name");
		return TUI_EV_KEY;
	}
	size_t pos = 0, len = strlen(p);
	uint32_t cp;
	if (!text_utf8_next(p, len, &pos, &cp))
		return tui_script_fail(t, "invalid UTF-8");
	t->pending = p + pos;
	*key = tui_key_of(false, cp);
	return TUI_EV_KEY;
}

static double tui_elapsed(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) / 1e9;
}

/* Run until the last screen closes, the script ends or a signal arrives. */
static int tui_loop(tui *t)
{
	clock_gettime(CLOCK_MONOTONIC, &t->last_poll);
	tui_keymap_build(t);
	/* the baseline before anything is read: a commit by another process
	 * from now on makes the next poll re-read */
	tui_db_changed(t);
	if (tui_open(t, &tui_queue_screen, NULL))
		return KS_FAIL;
	t->dirty = true;
	while (t->depth > 0) {
		if (t->dirty)
			tui_draw(t);
		int key = 0;
		tui_event ev = t->script ? tui_script_next(t, &key) : tui_term_next(t, &key);
		if (tui_signal) {
			t->exit_code = 128 + tui_signal;
			break;
		}
		if (ev == TUI_EV_END)
			break;
		if (ev == TUI_EV_DUMP || ev == TUI_EV_CURSOR) {
			if (t->dirty)
				tui_draw(t);
			if (ev == TUI_EV_DUMP)
				tui_dump(t);
			else if (t->cur_y >= 0)
				fprintf(t->dump, "@cursor %d %d\n", t->cur_y, t->cur_x);
			else
				fprintf(t->dump, "@cursor none\n");
			continue;
		}
		if (ev == TUI_EV_TICK) {
			tui_poll(t);
			continue;
		}
		if (key == KEY_RESIZE) {
			clearok(curscr, TRUE);
			t->dirty = true;
		} else {
			tui_handle(t, key);
		}
		if (!t->script && tui_elapsed(&t->last_poll) >= 1.0)
			tui_poll(t);
	}
	while (t->depth > 0)
		tui_close_top(t);
	return t->exit_code;
}

/* Set up curses on scr for the loop; whether colours are in use. term: on
 * the real terminal (not a script's /dev/null): free Ctrl-S, honour NO_COLOR. */
static bool tui_curses_init(bool term)
{
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	wtimeout(stdscr, 1000);
	leaveok(stdscr, TRUE);
	set_escdelay(50);
	/* Ctrl-S saves a form: take it back from XON/XOFF flow control (curses
	 * restores the terminal's own settings on endwin) */
	struct termios tio;
	if (term && tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)IXON;
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		def_prog_mode();
	}
	const char *nc = getenv("NO_COLOR");
	if (!has_colors() || (term && nc && *nc))
		return false;
	start_color();
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	init_pair(TUI_PAIR_LATE, COLOR_RED, bg);
	init_pair(TUI_PAIR_SOON, COLOR_YELLOW, bg);
	return true;
}

/* setlocale(LC_ALL, ""); with no locale at all (LANG unset: the ASCII "C"
 * locale, common over SSH) Chinese could not be drawn, so assume a UTF-8
 * terminal as nearly all are. */
static void tui_locale(void)
{
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	if (!strcmp(cs, "ANSI_X3.4-1968") || !strcmp(cs, "ASCII"))
		if (!setlocale(LC_CTYPE, "C.UTF-8"))
			setlocale(LC_CTYPE, "C.utf8");
}

int tui_run(session *s)
{
	if (!s->me) {
		fprintf(stderr, "kesu: 未登录：不知道是谁在操作\n");
		return KS_DENIED;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kesu: 终端界面需要在终端中运行；脚本请用子命令（kesu --help）\n");
		return KS_FAIL;
	}
	tui_locale();
	/* our handlers first: curses installs its own only where none is set */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old[3];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	tui_signal = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	int code;
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		fprintf(stderr, "kesu: 无法使用终端类型「%s」（检查 TERM）\n", term ? term : "");
		code = KS_FAIL;
	} else {
		set_term(scr);
		tui t = { .s = s };
		t.colors = tui_curses_init(true);
		code = tui_loop(&t);
		endwin();
		delscreen(scr);
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	tui_signal = 0;
	return code;
}

int tui_run_script(session *s, FILE *keys, FILE *dump, int lines, int cols,
                   const tui_script_call *calls)
{
	if (!s->me) {
		fprintf(stderr, "kesu: 未登录：不知道是谁在操作\n");
		return KS_DENIED;
	}
	char *old = ks_strdup(setlocale(LC_CTYPE, NULL));
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = out && in ? newterm("xterm", out, in) : NULL;
	int code;
	if (!scr) {
		fprintf(stderr, "kesu: tui script: cannot start curses on /dev/null as xterm\n");
		code = KS_FAIL;
	} else {
		set_term(scr);
		tui t = { .s = s, .script = keys, .dump = dump, .calls = calls };
		t.colors = tui_curses_init(false);
		resizeterm(lines, cols);
		tui_signal = 0;
		code = tui_loop(&t);
		free(t.line);
		endwin();
		delscreen(scr);
	}
	if (out)
		fclose(out);
	if (in)
		fclose(in);
	setlocale(LC_CTYPE, old);
	free(old);
	return code;
}
