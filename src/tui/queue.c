/* queue.c — the queue screen: the newest cases, one a row, in columns
 * 编号 状态 部门 客户 主题 登记时间 aligned by display width. */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/text.h"

#define QUEUE_LIMIT 500   /* cases listed at most */
#define QUEUE_GAP   2     /* spaces between columns */
#define QUEUE_MIN_TEXT 24 /* customer and subject together, before other columns go */

enum { QC_NO, QC_STATE, QC_DEPT, QC_CUSTOMER, QC_SUBJECT, QC_TIME, QC__COUNT };

static const char *const queue_heads[QC__COUNT] = {
	"编号", "状态", "部门", "客户", "主题", "登记时间",
};

/* The widest a column gets before its text is cut (0: no cap). */
static const int queue_caps[QC__COUNT] = { 16, 10, 12, 0, 0, 0 };

/* One case as shown: every cell already passed through text_visible. */
typedef struct queue_row {
	char *no;                 /* the case number as stored, to open it */
	char *cell[QC__COUNT];
} queue_row;

typedef struct queue {
	queue_row *rows;
	size_t n;
	tui_list list;
	int natural[QC__COUNT];   /* widest cell (or heading) of each column */
	char title[96];
} queue;

static const tui_request queue_hints[] = {
	REQ_ENTER, REQ_VIEW_CLOSE, REQ_HELP, REQ_REFRESH, REQ_MOVE_DOWN, REQ_MOVE_UP, REQ_NONE,
};

static void queue_rows_free(queue_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].no);
		for (int c = 0; c < QC__COUNT; c++)
			free(rows[i].cell[c]);
	}
	free(rows);
}

/* Rows of the list area: between the column headings and the status line. */
static int queue_list_rows(void)
{
	return LINES - 3 > 1 ? LINES - 3 : 1;
}

static ks_status queue_refresh(tui *t, void *data, ks_err *err)
{
	queue *q = data;
	session *s = tui_session(t);
	store_filter f = { .limit = QUEUE_LIMIT };
	store_case *cases = NULL;
	size_t n = 0;
	ks_status rc = store_case_list(s->st, &f, &cases, &n, err);
	if (rc)
		return rc;
	queue_row *rows = ks_calloc(n ? n : 1, sizeof *rows);
	for (int c = 0; c < QC__COUNT; c++)
		q->natural[c] = text_width(queue_heads[c]);
	for (size_t i = 0; i < n; i++) {
		const store_case *k = &cases[i];
		char when[32];
		clock_short(k->created_at, when, sizeof when);
		rows[i].no = ks_strdup(k->no);
		rows[i].cell[QC_NO] = text_visible(k->no, false);
		rows[i].cell[QC_STATE] = text_visible(case_state_label(s, k->state), false);
		rows[i].cell[QC_DEPT] = text_visible(case_dept_name(s, k->dept), false);
		rows[i].cell[QC_CUSTOMER] = text_visible(k->customer, false);
		rows[i].cell[QC_SUBJECT] = text_visible(k->subject, false);
		rows[i].cell[QC_TIME] = text_visible(when, false);
		for (int c = 0; c < QC__COUNT; c++) {
			int w = text_width(rows[i].cell[c]);
			if (w > q->natural[c])
				q->natural[c] = w;
		}
	}
	/* keep the selected case selected if it is still listed */
	size_t sel = q->list.sel >= 0 && (size_t)q->list.sel < q->n ? (size_t)q->list.sel : 0;
	int newsel = 0;
	for (size_t i = 0; q->n && i < n; i++)
		if (!strcmp(rows[i].no, q->rows[sel].no)) {
			newsel = (int)i;
			break;
		}
	queue_rows_free(q->rows, q->n);
	store_cases_free(cases, n);
	q->rows = rows;
	q->n = n;
	q->list.n = (int)n;
	q->list.sel = newsel;
	tui_list_clamp(&q->list, queue_list_rows());
	return KS_OK;
}

static ks_status queue_open(tui *t, const char *arg, void **data, ks_err *err)
{
	(void)arg; (void)err;
	queue *q = ks_calloc(1, sizeof *q);
	q->rows = ks_calloc(1, sizeof *q->rows);
	ks_err e = { "" };
	if (queue_refresh(t, q, &e))
		tui_error(t, "%s", e.msg);  /* open anyway: r retries */
	*data = q;
	return KS_OK;
}

/* Column widths for cols terminal columns; 0 hides a column. */
static void queue_layout(const queue *q, int cols, int w[QC__COUNT])
{
	for (int c = 0; c < QC__COUNT; c++) {
		w[c] = q->natural[c];
		if (queue_caps[c] && w[c] > queue_caps[c])
			w[c] = queue_caps[c];
	}
	int fixed = w[QC_NO] + w[QC_STATE] + w[QC_DEPT] + w[QC_TIME];
	int rem = cols - fixed - (QC__COUNT - 1) * QUEUE_GAP;
	/* on a narrow terminal drop the time, then the department */
	if (rem < QUEUE_MIN_TEXT) {
		rem += w[QC_TIME] + QUEUE_GAP;
		w[QC_TIME] = 0;
	}
	if (rem < QUEUE_MIN_TEXT) {
		rem += w[QC_DEPT] + QUEUE_GAP;
		w[QC_DEPT] = 0;
	}
	if (rem < 2)
		rem = 2;
	int nc = q->natural[QC_CUSTOMER], ns = q->natural[QC_SUBJECT];
	if (nc + ns <= rem) {
		w[QC_CUSTOMER] = nc;
	} else {
		int share = rem * 2 / 5;
		w[QC_CUSTOMER] = rem - ns > share ? rem - ns : share;
		if (w[QC_CUSTOMER] > nc)
			w[QC_CUSTOMER] = nc;
		if (w[QC_CUSTOMER] < 1)
			w[QC_CUSTOMER] = 1;
	}
	w[QC_SUBJECT] = rem - w[QC_CUSTOMER];
}

/* Draw one row of cells at y. */
static void queue_draw_cells(int y, const int w[QC__COUNT], char *const cell[QC__COUNT],
                             unsigned long attrs)
{
	int x = 0;
	for (int c = 0; c < QC__COUNT; c++) {
		if (!w[c])
			continue;
		tui_put(y, x, w[c], cell[c], attrs);
		x += w[c] + QUEUE_GAP;
	}
}

static void queue_draw(tui *t, void *data)
{
	(void)t;
	queue *q = data;
	int rows = queue_list_rows(), cols = COLS;
	int w[QC__COUNT];
	queue_layout(q, cols, w);
	queue_draw_cells(1, w, (char *const *)queue_heads, A_BOLD);
	tui_list_clamp(&q->list, rows);
	if (q->n == 0)
		tui_put(2, 0, cols, "（没有案件）", A_NORMAL);
	for (int i = 0; i < rows && (size_t)(q->list.top + i) < q->n; i++) {
		int k = q->list.top + i;
		unsigned long attrs = k == q->list.sel ? A_REVERSE : A_NORMAL;
		if (attrs != A_NORMAL)
			tui_put(2 + i, 0, cols, "", attrs);
		queue_draw_cells(2 + i, w, q->rows[k].cell, attrs);
	}
	if (q->n == 0)
		snprintf(q->title, sizeof q->title, "案件列表");
	else if (q->n >= QUEUE_LIMIT)
		snprintf(q->title, sizeof q->title, "最新 %d 件 %d/%zu", QUEUE_LIMIT, q->list.sel + 1, q->n);
	else
		snprintf(q->title, sizeof q->title, "案件列表 %d/%zu", q->list.sel + 1, q->n);
}

static const char *queue_title(void *data)
{
	return ((queue *)data)->title;
}

static tui_next queue_key(tui *t, void *data, tui_request req)
{
	queue *q = data;
	if (tui_list_move(&q->list, req, queue_list_rows()))
		return TUI_DRAW;
	if (req == REQ_ENTER) {
		if (q->n == 0)
			tui_error(t, "没有可打开的案件");
		else
			tui_open(t, &tui_case_screen, q->rows[q->list.sel].no);
		return TUI_DRAW;
	}
	return TUI_PASS;
}

static void queue_close(void *data)
{
	queue *q = data;
	queue_rows_free(q->rows, q->n);
	free(q);
}

const tui_screen tui_queue_screen = {
	.name = "queue",
	.hints = queue_hints,
	.open = queue_open,
	.draw = queue_draw,
	.title = queue_title,
	.key = queue_key,
	.refresh = queue_refresh,
	.close = queue_close,
};
