/* tui.h — the terminal interface (ncursesw): main loop, keymap, screens.
 *
 *   src/tui/tui.c    main loop, keymap table, title and status lines, help
 *                    screen, signal and terminal restore, the test hook
 *   src/tui/queue.c  the case queue (tui_queue_screen)
 *   src/tui/case.c   one case with its fields and history (tui_case_screen)
 *
 * Screens only present: they read through case_ and store_ functions and hold
 * no SQL and no workflow logic. Every stored string reaches the terminal
 * through tui_put(), which makes control characters visible (text_visible)
 * and fits the text to a number of display columns (text_fit).
 *
 * Keys map to requests through ONE table, TUI_REQ_LIST below; the request
 * enum, the key bindings, the status-line hints and the help screen are all
 * generated from it. Adding a screen: write src/tui/NAME.c exporting a
 * tui_screen, declare it here, open it with tui_open().
 *
 * This header does not include <curses.h> (its macros such as refresh() and
 * timeout() would leak into every includer): the key columns of the table
 * name curses KEY_ codes, but only tui.c, which includes curses, expands them. */
#ifndef KESU_TUI_H
#define KESU_TUI_H

#include <stdbool.h>
#include <stdio.h>
#include "kesu/session.h"

/* Requests. Columns: enum, name (for a future `bind` file), short label for
 * the status line, help text, then the keys bound to it: ASCII characters or
 * curses KEY_ codes. */
#define TUI_REQ_LIST(X)                                                               \
	X(REQ_MOVE_DOWN,     "move-down",     "下移", "下移一行",                 'j', KEY_DOWN)     \
	X(REQ_MOVE_UP,       "move-up",       "上移", "上移一行",                 'k', KEY_UP)       \
	X(REQ_PAGE_DOWN,     "page-down",     "翻页", "下翻一页",                 ' ', KEY_NPAGE)    \
	X(REQ_PAGE_UP,       "page-up",       "上翻", "上翻一页",                 'b', KEY_PPAGE)    \
	X(REQ_MOVE_FIRST,    "move-first",    "首行", "到第一行",                 'g', KEY_HOME)     \
	X(REQ_MOVE_LAST,     "move-last",     "末行", "到最后一行",               'G', KEY_END)      \
	X(REQ_ENTER,         "enter",         "打开", "打开所选案件",             '\n', '\r', KEY_ENTER) \
	X(REQ_REFRESH,       "refresh",       "刷新", "重新读取数据",             'r', KEY_F(5))     \
	X(REQ_SCREEN_REDRAW, "screen-redraw", "重绘", "重绘整个屏幕",             0x0c)              \
	X(REQ_HELP,          "help",          "帮助", "显示按键帮助",             '?', KEY_F(1))     \
	X(REQ_VIEW_CLOSE,    "view-close",    "返回", "返回上一屏；在案件列表中退出", 'q')            \
	X(REQ_QUIT,          "quit",          "退出", "退出 kesu",                'Q')

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

/* A screen: one file, one of these. Rows 0 (title) and LINES-1 (status) belong
 * to the main loop; draw() paints rows 1..LINES-2 of stdscr. */
typedef struct tui_screen {
	const char *name;
	/* Requests whose keys the status line suggests, REQ_NONE-terminated. */
	const tui_request *hints;
	/* Load the screen for arg (a case number, or NULL) into *data (freed by
	 * close). On failure nothing is allocated and err says why. */
	ks_status (*open)(tui *t, const char *arg, void **data, ks_err *err);
	/* Paint rows 1..LINES-2 for the current terminal size. */
	void (*draw)(tui *t, void *data);
	/* The text at the right of the title bar (owned by data; may change in draw). */
	const char *(*title)(void *data);
	/* Handle a request (REQ_NONE for a key bound to nothing). */
	tui_next (*key)(tui *t, void *data, tui_request req);
	/* Re-read the data (key r, or the database changed). On failure the old
	 * data stays and err says why. */
	ks_status (*refresh)(tui *t, void *data, ks_err *err);
	void (*close)(void *data);
} tui_screen;

extern const tui_screen tui_queue_screen;  /* arg: unused */
extern const tui_screen tui_case_screen;   /* arg: the case number */
extern const tui_screen tui_help_screen;   /* arg: unused */

/* ---- for screens -------------------------------------------------------- */

session *tui_session(tui *t);

/* Open screen ops for arg on top of the current one and show it. On failure
 * the current screen stays, the error is on the status line, and the status
 * is returned. */
ks_status tui_open(tui *t, const tui_screen *ops, const char *arg);

/* Show a message on the status line until the next key (error: in bold). */
void tui_message(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* ---- running ------------------------------------------------------------ */

/* Run the terminal interface on the controlling terminal for the logged-in
 * person of s (s->me must be set) until they quit. Sets the locale from the
 * environment (setlocale(LC_ALL, "")), restores the terminal on exit and on
 * SIGINT, SIGTERM and SIGHUP. Returns the process exit code: 0 after quitting,
 * 128 + the signal number after a signal, KS_FAIL if there is no usable
 * terminal, KS_DENIED if nobody is logged in (with a message on stderr). */
int tui_run(session *s);

/* The same interface driven by a script, for tests (tig-style): curses draws
 * on /dev/null at lines x cols as terminal "xterm" in the C.UTF-8 locale, and
 * keys come from the script keys instead of the keyboard. Script lines:
 *   # comment
 *   :dump            append the screen to dump: exactly `lines` lines, each
 *                    row's text in UTF-8 with trailing spaces removed
 *   :resize L C      resize the terminal to L lines and C columns
 *   anything else    keys: each character is a key, and <Enter> <Down> <Up>
 *                    <PgDn> <PgUp> <Home> <End> <Space> <F1> <F5> <C-L> <Lt>
 *                    (a literal '<') <Tick> (the one-second poll fires)
 * A line break is not a key. The run ends when the last screen is closed or
 * the script ends. Returns the exit code as tui_run does, or KS_INVALID for a
 * malformed script (message on stderr). */
int tui_run_script(session *s, FILE *keys, FILE *dump, int lines, int cols);

#endif
