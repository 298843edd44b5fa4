/* tui.h — the terminal interface (ncursesw): main loop, keymap, screens.
 *
 *   src/tui/tui.c    main loop, keymap table, title and status lines, yes/no
 *                    questions, colours, help screen, signal and terminal
 *                    restore, the test hook
 *   src/tui/queue.c  the case queue with its view tabs (tui_queue_screen)
 *   src/tui/case.c   one case: clocks, fields, history, actions (tui_case_screen)
 *   src/tui/form.c   any configured form, filled in and saved (tui_form_screen)
 *
 * Screens only present: they read through case_ and store_ functions, write
 * only through case_register/case_do, validate only through form_parse_value
 * and form_fill, and hold no SQL and no workflow logic. Every stored or typed
 * string reaches the terminal through tui_put(), which makes control
 * characters visible (text_visible) and fits the text to a number of display
 * columns (text_fit).
 *
 * Keys map to requests through ONE table, TUI_REQ_LIST below; the request
 * enum, the key bindings, the status-line hints and the help screen are all
 * generated from it. A screen that edits text (the form) also sees the
 * characters typed, before they are looked up (tui_screen.input). Adding a
 * screen: write src/tui/NAME.c exporting a tui_screen, declare it here, open
 * it with tui_open(). docs/tui.md describes the screens and keys.
 *
 * This header does not include <curses.h> (its macros such as refresh() and
 * timeout() would leak into every includer): the key columns of the table
 * name curses KEY_ codes, but only tui.c, which includes curses, expands them. */
#ifndef KESU_TUI_H
#define KESU_TUI_H

#include <stdbool.h>
#include <stdio.h>
#include "kesu/session.h"
#include "kesu/form.h"

#include "kesu/keymap.h"

typedef enum tui_request {
	REQ_NONE = 0,
#define TUI_REQ_ENUM(req, name, label, help, ...) req,
	TUI_REQ_LIST(TUI_REQ_ENUM)
#undef TUI_REQ_ENUM
	REQ__COUNT
} tui_request;

/* The name of a request ("move-down"), "" for REQ_NONE. */
const char *tui_request_name(tui_request req);

/* The running interface: session, screen stack, status line. */
typedef struct tui tui;

/* What a screen's key handler asks of the main loop. */
typedef enum tui_next {
	TUI_PASS,   /* not handled: the main loop applies its default (help, back, quit...) */
	TUI_STAY,   /* handled, nothing changed on screen */
	TUI_DRAW,   /* handled, redraw */
	TUI_CLOSE,  /* close this screen and return to the one below */
} tui_next;

/* One hint of the status line: the request's first key and label, unless
 * key or label is given (e.g. "1-4" for REQ_PICK, "下一栏" for REQ_NEXT). */
typedef struct tui_hint {
	tui_request req;
	const char *key, *label;   /* NULL: from the table */
} tui_hint;

/* A screen: one file, one of these. Rows 0 (title) and LINES-1 (status) belong
 * to the main loop; draw() paints rows 1..LINES-2 of stdscr. */
typedef struct tui_screen {
	const char *name;
	/* What the status line suggests, in order of importance, ended by REQ_NONE. */
	const tui_hint *hints;
	/* Load the screen for arg (what arg is: see the screen's declaration
	 * below) into *data (freed by close). On failure nothing is allocated
	 * and err says why. */
	ks_status (*open)(tui *t, const void *arg, void **data, ks_err *err);
	/* Paint rows 1..LINES-2 for the current terminal size. */
	void (*draw)(tui *t, void *data);
	/* The text at the right of the title bar (owned by data; may change in draw). */
	const char *(*title)(void *data);
	/* Optional: a typed character (key > 0: printable ASCII including Space;
	 * key < 0: the Unicode character -key), before the keymap sees it.
	 * TUI_PASS hands it on to the keymap and key(). */
	tui_next (*input)(tui *t, void *data, int key);
	/* Handle a request (REQ_NONE for a key bound to nothing). */
	tui_next (*key)(tui *t, void *data, tui_request req);
	/* Re-read the data (key r, or the database changed). On failure the old
	 * data stays and err says why. */
	ks_status (*refresh)(tui *t, void *data, ks_err *err);
	void (*close)(void *data);
} tui_screen;

extern const tui_screen tui_queue_screen;  /* arg: unused */
extern const tui_screen tui_case_screen;   /* arg: the case number (const char *) */
extern const tui_screen tui_form_screen;   /* opened only through tui_form_open() */
extern const tui_screen tui_help_screen;   /* arg: unused */
extern const tui_screen tui_search_screen; /* arg: unused (src/tui/search.c) */
extern const tui_screen tui_report_screen; /* arg: the month "YYYY-MM", or NULL: this month (src/tui/report.c) */
extern const tui_screen tui_remind_screen; /* arg: unused (src/tui/remind.c) */
extern const tui_screen tui_tasks_screen;  /* arg: unused (src/tui/tasks.c) */

/* ---- for screens -------------------------------------------------------- */

session *tui_session(tui *t);

/* Open screen ops for arg on top of the current one and show it. On failure
 * the current screen stays, the error is on the status line, and the status
 * is returned. */
ks_status tui_open(tui *t, const tui_screen *ops, const void *arg);

/* Re-read every open screen (after this process changed the database: other
 * processes' changes are noticed by the poll). Errors go to the status line;
 * returns false if there was one. */
bool tui_refresh_all(tui *t);

/* Show a message on the status line until the next key (error: in bold). */
void tui_message(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ask a yes/no question on the status line ("确认执行「受理」？(y/n)"). The
 * next key answers it: y or Y is yes, any other key no (and is not acted on
 * otherwise). Then fn(t, data, yes) runs; its TUI_CLOSE closes the top screen.
 * data must stay valid until then (screen data does: screens close only on
 * keys). A new question replaces an unanswered one. */
typedef tui_next (*tui_answer_fn)(tui *t, void *data, bool yes);
void tui_ask(tui *t, const char *question, tui_answer_fn fn, void *data);

/* For REQ_PICK: the number 1..9 of the digit key that made the request. */
int tui_pick(tui *t);

/* Show the terminal cursor at row y, column x after this draw (a screen's
 * draw() calls it; otherwise the cursor is hidden). */
void tui_cursor(tui *t, int y, int x);

/* How urgent something is, for tui_alert_attrs. */
typedef enum tui_alert {
	TUI_ALERT_NONE = 0,
	TUI_ALERT_SOON,   /* due within a day: yellow */
	TUI_ALERT_LATE,   /* breached: red */
} tui_alert;

/* Whether colours are in use: the terminal has them, NO_COLOR is not set
 * and the script did not say :mono. Without colours, screens mark breached
 * items with a leading "!" as well. */
bool tui_colors(tui *t);
/* Curses attributes for an alert: a colour, or A_BOLD without colours. */
unsigned long tui_alert_attrs(tui *t, tui_alert a);

/* Draw s at row y, column x, in exactly width columns of stdscr with curses
 * attributes attrs (A_REVERSE...): control characters and escape sequences
 * are made visible (text_visible), the text is cut with "…" or padded with
 * spaces to width (text_fit), and characters the terminal would measure
 * differently from text_width are replaced so columns stay aligned.
 * Clipped at the right edge of the screen. s NULL is "". */
void tui_put(int y, int x, int width, const char *s, unsigned long attrs);

/* A scrolling list of n rows shown rows at a time. With sel >= 0 a row is
 * selected and moves keep it visible; with sel < 0 moves scroll the view. */
typedef struct tui_list {
	int n, top, sel;
} tui_list;

/* Apply a movement request (REQ_MOVE_*, REQ_PAGE_*); false if req is not one.
 * rows is the number of rows shown. */
bool tui_list_move(tui_list *l, tui_request req, int rows);
/* Keep top and sel within range after n or rows changed. */
void tui_list_clamp(tui_list *l, int rows);

/* ---- the form screen (src/tui/form.c) ----------------------------------- */

/* What a form is for. The form copies this struct (not the strings it points
 * to, except title, which it copies) and owns ctx from the call on: done(ctx)
 * runs when the form closes, also when opening it fails. */
typedef struct tui_form_spec {
	const conf_form *form;     /* fields, labels, groups, help, from the configuration */
	const char *title;         /* right of the title bar, e.g. "登记新客诉" */
	/* Save the filled values (only non-empty fields, already checked with
	 * form_parse_value and form_fill). KS_OK closes the form; otherwise it
	 * stays open with its values and err is shown. */
	ks_status (*save)(tui *t, void *ctx, const form_kv *kv, size_t n, ks_err *err);
	/* Optional: after save gave KS_CONFLICT, the form shows err and asks
	 * whether to re-read; yes calls reload, which re-reads what the form is
	 * about (so that the next save expects the new version). */
	ks_status (*reload)(tui *t, void *ctx, ks_err *err);
	void (*done)(void *ctx);   /* optional */
	void *ctx;
} tui_form_spec;

/* Open the form for spec on top of the current screen (tui_open). Keys:
 * characters are typed at the cursor; Tab/Down/Enter next field (Enter adds
 * a line in long text), Shift-Tab/Up previous; Left/Right/Home/End move the
 * cursor; Backspace/Delete erase; on a choice, yes/no, department or staff
 * field Space or Left/Right step through the options, 1-9 pick one,
 * Backspace clears; Ctrl-S or F10 saves; Esc asks before discarding. */
ks_status tui_form_open(tui *t, const tui_form_spec *spec);

/* ---- running ------------------------------------------------------------ */

/* Run the terminal interface on the controlling terminal for the logged-in
 * person of s (s->me must be set) until they quit. Sets the locale from the
 * environment (setlocale(LC_ALL, "")), restores the terminal on exit and on
 * SIGINT, SIGTERM and SIGHUP. Returns the process exit code: 0 after quitting,
 * 128 + the signal number after a signal, KS_FAIL if there is no usable
 * terminal, KS_DENIED if nobody is logged in (with a message on stderr). */
int tui_run(session *s);

/* A function a test script may call between keys (":call NAME"). */
typedef struct tui_script_call {
	const char *name;
	void (*fn)(session *s, void *ctx);
	void *ctx;
} tui_script_call;

/* The same interface driven by a script, for tests (tig-style): curses draws
 * on /dev/null at lines x cols as terminal "xterm" in the C.UTF-8 locale, and
 * keys come from the script keys instead of the keyboard. Script lines:
 *   # comment
 *   :dump            append the screen to dump: exactly `lines` lines, each
 *                    row's text in UTF-8 with trailing spaces removed
 *   :cursor          append one line "@cursor ROW COL" (where the terminal
 *                    cursor is shown) or "@cursor none" to dump
 *   :resize L C      resize the terminal to L lines and C columns
 *   :call NAME       run calls[i].fn(s, calls[i].ctx) for the entry named
 *                    NAME (calls ends with a NULL name; may be NULL). What it
 *                    changes is seen at the next <Tick> (if it used another
 *                    connection), r, or save.
 *   :mono            draw without colours from now on (as on a monochrome
 *                    terminal or with NO_COLOR)
 *   anything else    keys: each character is a key (UTF-8 text such as
 *                    上海华东 types those characters), and <Enter> <Tab>
 *                    <BTab> (Shift-Tab) <Esc> <Backspace> <Del> <Down> <Up>
 *                    <Left> <Right> <PgDn> <PgUp> <Home> <End> <Space>
 *                    <F1>..<F12> <C-A>..<C-Z> (control keys; <C-S> saves)
 *                    <Lt> (a literal '<') <Tick> (the one-second poll fires)
 * A line break is not a key; a line of keys cannot start with '#' or ':'
 * (start it with a key name). The run ends when the last screen is closed or
 * the script ends. Returns the exit code as tui_run does, or KS_INVALID for a
 * malformed script (message on stderr). */
int tui_run_script(session *s, FILE *keys, FILE *dump, int lines, int cols,
                   const tui_script_call *calls);

#endif
