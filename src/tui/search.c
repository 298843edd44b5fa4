/* search.c — the search screen (key /): a query line, then the cases that
 * match it as a queue, best first, each with the fragment of its text that
 * matched and the matching words highlighted.
 *
 *   检索：热处理 裂纹_                           the query (typed; Enter searches)
 *   编号      状态  部门        客户    主题
 *   2611-003  调查  质量管理部  丙公司  齿轮裂纹
 *     …经【热处理】后出现【裂纹】…               the snippet, matches highlighted
 *
 * What matches, and which cases the person may see, is decided by the core
 * (search_cases); the query is checked there too, and its refusal is shown
 * on the status line. While the query line has the cursor every character
 * typed goes into it (Chinese included); Enter searches, Backspace erases,
 * Esc leaves the line (or the screen when there are no results). With the
 * results shown, j/k move, Enter opens the case, / edits the query again. */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/casesearch.h"
#include "kesu/text.h"

#define SRCH_LIMIT 500      /* results fetched (the screen shows where the list was cut) */
#define SRCH_GAP 2
#define SRCH_CUSTOMER_MAX 16

enum { SC_NO, SC_STATE, SC_DEPT, SC_CUSTOMER, SC_SUBJECT, SC__COUNT };

static const char *const srch_heads[SC__COUNT] = { "编号", "状态", "部门", "客户", "主题" };

typedef struct srch_row {
	char *no;                   /* as stored, to open it */
	char *cell[SC__COUNT];      /* sanitised */
	char *snippet;              /* stored text with SEARCH_MARK_OPEN/CLOSE */
} srch_row;

typedef struct srch {
	char *query;                /* typed, UTF-8 */
	size_t len, cap;
	char *searched;             /* the query of the results shown, or NULL */
	bool editing;               /* the query line has the cursor */
	srch_row *rows;
	size_t n;
	tui_list list;              /* over results (two screen rows each) */
	int natural[SC__COUNT];
	char title[128];
} srch;

static const tui_hint srch_hints[] = {
	{ REQ_ENTER, NULL, "检索/打开" }, { REQ_SEARCH, NULL, "改检索词" }, { REQ_CANCEL, NULL, "返回" },
	{ REQ_MOVE_DOWN, NULL, NULL }, { REQ_MOVE_UP, NULL, NULL }, { REQ_HELP, NULL, NULL },
	{ REQ_NONE, NULL, NULL },
};

/* Results shown at once: each takes two rows below the query and headings. */
static int srch_rows(void)
{
	int r = (LINES - 4) / 2;
	return r > 1 ? r : 1;
}

static void srch_rows_free(srch_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].no);
		free(v[i].snippet);
		for (int c = 0; c < SC__COUNT; c++)
			free(v[i].cell[c]);
	}
	free(v);
}

/* Run the query q; on success the results replace the old ones. */
static ks_status srch_run(tui *t, srch *k, const char *q, ks_err *err)
{
	session *s = tui_session(t);
	search_hit *hits = NULL;
	size_t n = 0;
	ks_status rc = search_cases(s, q, SRCH_LIMIT, &hits, &n, err);
	if (rc)
		return rc;
	const char *keep = k->list.sel >= 0 && (size_t)k->list.sel < k->n ? k->rows[k->list.sel].no : NULL;
	char *keepc = keep && k->searched && !strcmp(k->searched, q) ? ks_strdup(keep) : NULL;
	srch_row *v = ks_calloc(n ? n : 1, sizeof *v);
	for (int c = 0; c < SC__COUNT; c++)
		k->natural[c] = text_width(srch_heads[c]);
	int sel = 0;
	for (size_t i = 0; i < n; i++) {
		const store_case *c = &hits[i].c;
		v[i].no = ks_strdup(c->no);
		v[i].cell[SC_NO] = text_visible(c->no, false);
		v[i].cell[SC_STATE] = text_visible(case_state_label(s, c->state), false);
		v[i].cell[SC_DEPT] = text_visible(case_dept_name(s, c->dept), false);
		v[i].cell[SC_CUSTOMER] = text_visible(c->customer, false);
		v[i].cell[SC_SUBJECT] = text_visible(c->subject, false);
		v[i].snippet = ks_strdup(hits[i].snippet ? hits[i].snippet : "");
		for (int col = 0; col < SC__COUNT; col++) {
			int w = text_width(v[i].cell[col]);
			if (w > k->natural[col])
				k->natural[col] = w;
		}
		if (keepc && !strcmp(keepc, c->no))
			sel = (int)i;
	}
	search_hits_free(hits, n);
	free(keepc);
	srch_rows_free(k->rows, k->n);
	k->rows = v;
	k->n = n;
	free(k->searched);
	k->searched = ks_strdup(q);
	k->list = (tui_list){ .n = (int)n, .sel = sel, .top = k->searched ? k->list.top : 0 };
	tui_list_clamp(&k->list, srch_rows());
	return KS_OK;
}

static ks_status srch_open(tui *t, const void *arg, void **data, ks_err *err)
{
	(void)t; (void)arg; (void)err;
	srch *k = ks_calloc(1, sizeof *k);
	k->query = ks_calloc(1, k->cap = 64);
	k->rows = ks_calloc(1, sizeof *k->rows);
	k->editing = true;
	for (int c = 0; c < SC__COUNT; c++)
		k->natural[c] = text_width(srch_heads[c]);
	*data = k;
	return KS_OK;
}

static void srch_close(void *data)
{
	srch *k = data;
	srch_rows_free(k->rows, k->n);
	free(k->query);
	free(k->searched);
	free(k);
}

static ks_status srch_refresh(tui *t, void *data, ks_err *err)
{
	srch *k = data;
	if (!k->searched)
		return KS_OK;
	char *q = ks_strdup(k->searched);
	ks_status rc = srch_run(t, k, q, err);
	free(q);
	return rc;
}

/* Column widths for cols columns. */
static void srch_layout(const srch *k, int cols, int w[SC__COUNT])
{
	for (int c = 0; c < SC__COUNT; c++)
		w[c] = k->natural[c];
	if (w[SC_CUSTOMER] > SRCH_CUSTOMER_MAX)
		w[SC_CUSTOMER] = SRCH_CUSTOMER_MAX;
	int used = w[SC_NO] + w[SC_STATE] + w[SC_CUSTOMER] + (SC__COUNT - 1) * SRCH_GAP;
	int rem = cols - used - w[SC_DEPT];
	if (rem < 12) {          /* narrow: the department goes first */
		rem += w[SC_DEPT] + SRCH_GAP;
		w[SC_DEPT] = 0;
	}
	w[SC_SUBJECT] = rem > 2 ? rem : 2;
}

static void srch_cells(int y, const int w[SC__COUNT], char *const cell[SC__COUNT], unsigned long attrs)
{
	int x = 0;
	for (int c = 0; c < SC__COUNT; c++) {
		if (!w[c])
			continue;
		tui_put(y, x, w[c], cell[c], attrs);
		x += w[c] + SRCH_GAP;
	}
}

/* Draw a snippet at row y from column x: the marked parts highlighted, the
 * markers themselves not drawn, cut at the right edge. */
static void srch_snippet(tui *t, int y, int x, const char *snip, unsigned long attrs)
{
	const char *p = snip;
	bool hit = false;
	int cols = COLS;
	while (*p && x < cols) {
		const char *mark = strstr(p, hit ? SEARCH_MARK_CLOSE : SEARCH_MARK_OPEN);
		size_t len = mark ? (size_t)(mark - p) : strlen(p);
		char *seg = ks_strndup(p, len);
		char *vis = text_visible(seg, false);
		int w = text_width(vis);
		if (w > cols - x)
			w = cols - x;
		tui_put(y, x, w, vis, hit ? attrs | tui_alert_attrs(t, TUI_ALERT_SOON) | A_BOLD | A_UNDERLINE
		                          : attrs);
		x += w;
		free(vis);
		free(seg);
		if (!mark)
			break;
		p = mark + strlen(hit ? SEARCH_MARK_CLOSE : SEARCH_MARK_OPEN);
		hit = !hit;
	}
}

static void srch_draw(tui *t, void *data)
{
	srch *k = data;
	int cols = COLS, rows = srch_rows();
	char *vis = text_visible(k->query, false);
	tui_put(1, 0, cols, "检索：", k->editing ? A_BOLD : A_NORMAL);
	int qx = text_width("检索：");
	int qw = text_width(vis);
	if (qw > cols - qx - 1) {
		/* a query wider than the line: show its end, where the cursor is */
		const char *tail = vis;
		while (text_width(tail) > cols - qx - 2) {
			uint32_t cp;
			size_t pos = 0;
			if (!text_utf8_next(tail, strlen(tail), &pos, &cp))
				pos = 1;
			tail += pos;
		}
		char *cut = ks_asprintf("…%s", tail);
		tui_put(1, qx, cols - qx, cut, A_NORMAL);
		qw = text_width(cut);
		free(cut);
	} else {
		tui_put(1, qx, cols - qx, vis, A_NORMAL);
	}
	free(vis);
	if (k->editing)
		tui_cursor(t, 1, qx + qw);
	int w[SC__COUNT];
	srch_layout(k, cols, w);
	if (k->searched) {
		srch_cells(2, w, (char *const *)srch_heads, A_BOLD);
		if (k->n == 0)
			tui_put(3, 0, cols, "（没有找到）", A_NORMAL);
	}
	tui_list_clamp(&k->list, rows);
	for (int i = 0; i < rows && (size_t)(k->list.top + i) < k->n; i++) {
		int idx = k->list.top + i;
		const srch_row *r = &k->rows[idx];
		unsigned long attrs = idx == k->list.sel && !k->editing ? A_REVERSE : A_NORMAL;
		int y = 3 + 2 * i;
		if (attrs != A_NORMAL) {
			tui_put(y, 0, cols, "", attrs);
			tui_put(y + 1, 0, cols, "", attrs);
		}
		srch_cells(y, w, r->cell, attrs);
		srch_snippet(t, y + 1, 2, r->snippet, attrs);
	}
	if (!k->searched)
		snprintf(k->title, sizeof k->title, "检索");
	else if (k->n == 0)
		snprintf(k->title, sizeof k->title, "检索 0 条");
	else
		snprintf(k->title, sizeof k->title, "检索 %d/%zu%s", k->list.sel + 1, k->n,
		         k->n == SRCH_LIMIT ? "+" : "");
}

static const char *srch_title(void *data)
{
	return ((srch *)data)->title;
}

/* Typed characters go into the query while the line has the cursor. */
static tui_next srch_input(tui *t, void *data, int key)
{
	srch *k = data;
	if (!k->editing)
		return TUI_PASS;
	char u[8];
	size_t n;
	uint32_t cp = key < 0 ? (uint32_t)-key : (uint32_t)key;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6); u[1] = (char)(0x80 | (cp & 0x3f)); n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12); u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18 & 0x07)); u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f)); u[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
	}
	u[n] = '\0';
	ks_err err = { "" };
	if (text_check(u, n, false, "检索词", &err) != KS_OK) {
		tui_error(t, "%s", err.msg);   /* controls and bidi overrides never enter the query */
		return TUI_DRAW;
	}
	if (k->len + n + 1 > k->cap)
		k->query = ks_realloc(k->query, k->cap = (k->len + n + 1) * 2);
	memcpy(k->query + k->len, u, n + 1);
	k->len += n;
	return TUI_DRAW;
}

static tui_next srch_key(tui *t, void *data, tui_request req)
{
	srch *k = data;
	if (k->editing) {
		switch (req) {
		case REQ_ENTER: {
			ks_err err = { "" };
			if (srch_run(t, k, k->query, &err)) {
				tui_error(t, "%s", err.msg);
				return TUI_DRAW;
			}
			k->editing = false;
			k->list.sel = 0;
			k->list.top = 0;
			if (k->n == 0)
				tui_message(t, "没有找到与「%s」相符的案件", k->query);
			return TUI_DRAW;
		}
		case REQ_DELETE_BACK:
			while (k->len > 0 && ((unsigned char)k->query[k->len - 1] & 0xc0) == 0x80)
				k->len--;
			if (k->len > 0)
				k->len--;
			k->query[k->len] = '\0';
			return TUI_DRAW;
		case REQ_CANCEL:
			if (!k->searched)
				return TUI_CLOSE;
			k->editing = false;
			return TUI_DRAW;
		case REQ_HELP: case REQ_QUIT: case REQ_SCREEN_REDRAW: case REQ_REFRESH:
			return TUI_PASS;
		default:
			return TUI_STAY;   /* movement keys do nothing on the query line */
		}
	}
	if (tui_list_move(&k->list, req, srch_rows()))
		return TUI_DRAW;
	switch (req) {
	case REQ_ENTER:
		if (k->n == 0)
			tui_error(t, "没有可打开的案件");
		else
			tui_open(t, &tui_case_screen, k->rows[k->list.sel].no);
		return TUI_DRAW;
	case REQ_SEARCH:
		k->editing = true;
		return TUI_DRAW;
	default:
		return TUI_PASS;
	}
}

const tui_screen tui_search_screen = {
	.name = "search",
	.hints = srch_hints,
	.open = srch_open,
	.draw = srch_draw,
	.title = srch_title,
	.input = srch_input,
	.key = srch_key,
	.refresh = srch_refresh,
	.close = srch_close,
};
