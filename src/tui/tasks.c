/* tasks.c — the periodic tasks screen (key t): every task of tasks.yaml
 * (the monthly statistics table by the 10th, a weekly analysis, a daily
 * look at the comment book), its current period and the two before, with
 * the due time, whether it is done, and who did it when — as `kesu tasks`
 * shows them. Enter records the selected period done (after a y/n
 * question), for whoever tasks.yaml makes responsible; the engine refuses
 * anyone else, a period already done, and one that may not be done yet.
 *
 *   任务                 期        期限         情况    完成
 *   填报投诉统计表呈总经理  2026-11   12-10 24:00  待办
 *   填报投诉统计表呈总经理  2026-10   11-10 24:00  已完成  11-09 16:20 王芳 */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/tasks.h"
#include "kesu/text.h"

#define TK_RECENT 2   /* periods shown before the current one */
#define TK_GAP 2

enum { TC_TASK, TC_PERIOD, TC_DUE, TC_HOW, TC_DONE, TC__COUNT };

static const char *const tk_heads[TC__COUNT] = { "任务", "期", "期限", "情况", "完成" };
static const int tk_caps[TC__COUNT] = { 24, 0, 0, 0, 0 };

typedef struct tk_row {
	char *key, *label, *period, *done_by;   /* raw, for the question and the message */
	bool done;
	char *cell[TC__COUNT];
	tui_alert alert;
} tk_row;

typedef struct tk {
	tk_row *rows;
	size_t n;
	bool none;   /* the preset has no tasks.yaml */
	tui_list list;
	int natural[TC__COUNT];
	char title[64];
} tk;

static const tui_hint tk_hints[] = {
	{ REQ_ENTER, NULL, "记录完成" }, { REQ_VIEW_CLOSE, NULL, NULL }, { REQ_MOVE_DOWN, NULL, NULL },
	{ REQ_MOVE_UP, NULL, NULL }, { REQ_REFRESH, NULL, NULL }, { REQ_HELP, NULL, NULL },
	{ REQ_NONE, NULL, NULL },
};

static int tk_rows(void)
{
	return LINES - 3 > 1 ? LINES - 3 : 1;
}

static void tk_rows_free(tk_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].label);
		free(v[i].period);
		free(v[i].done_by);
		for (int c = 0; c < TC__COUNT; c++)
			free(v[i].cell[c]);
	}
	free(v);
}

static ks_status tk_refresh(tui *t, void *data, ks_err *err)
{
	tk *k = data;
	session *s = tui_session(t);
	task_row *v = NULL;
	size_t n = 0;
	time_t now = clock_now();
	ks_status rc = tasks_list(s, NULL, TK_RECENT, now, &v, &n, err);
	if (rc)
		return rc;
	tk_row *rows = ks_calloc(n ? n : 1, sizeof *rows);
	for (int c = 0; c < TC__COUNT; c++)
		k->natural[c] = text_width(tk_heads[c]);
	for (size_t i = 0; i < n; i++) {
		const task_row *r = &v[i];
		char due[32], at[32];
		clock_short(r->span.due, due, sizeof due);
		rows[i].key = ks_strdup(r->task->key);
		rows[i].label = ks_strdup(r->task->label);
		rows[i].period = ks_strdup(r->span.id);
		rows[i].done = r->status == TASKST_DONE;
		rows[i].cell[TC_TASK] = text_visible(r->task->label, false);
		rows[i].cell[TC_PERIOD] = text_visible(r->span.id, false);
		rows[i].cell[TC_DUE] = ks_strdup(due + 5);
		rows[i].cell[TC_HOW] = ks_asprintf("%s%s", task_status_label(r->status),
		                                   r->late_done ? "（逾期）" : "");
		if (r->done_at) {
			clock_short(r->done_at, at, sizeof at);
			rows[i].done_by = ks_strdup(case_staff_name(s, r->done_by));
			char *raw = ks_asprintf("%s %s", at + 5, rows[i].done_by);
			rows[i].cell[TC_DONE] = text_visible(raw, false);
			free(raw);
		} else {
			rows[i].cell[TC_DONE] = ks_strdup("");
		}
		rows[i].alert = r->status == TASKST_LATE ? TUI_ALERT_LATE
		                : r->status == TASKST_OPEN && r->span.due - now < 24 * 3600 ? TUI_ALERT_SOON
		                                                                             : TUI_ALERT_NONE;
		for (int c = 0; c < TC__COUNT; c++) {
			int w = text_width(rows[i].cell[c]);
			if (w > k->natural[c])
				k->natural[c] = w;
		}
	}
	task_rows_free(v, n);
	tk_rows_free(k->rows, k->n);
	k->rows = rows;
	k->n = n;
	k->none = !s->cf->tasks;
	k->list.n = (int)n;
	tui_list_clamp(&k->list, tk_rows());
	return KS_OK;
}

static ks_status tk_open(tui *t, const void *arg, void **data, ks_err *err)
{
	(void)arg;
	tk *k = ks_calloc(1, sizeof *k);
	k->rows = ks_calloc(1, sizeof *k->rows);
	ks_status rc = tk_refresh(t, k, err);
	if (rc) {
		tk_rows_free(k->rows, k->n);
		free(k);
		return rc;
	}
	*data = k;
	return KS_OK;
}

static void tk_close(void *data)
{
	tk *k = data;
	tk_rows_free(k->rows, k->n);
	free(k);
}

static void tk_layout(const tk *k, int cols, int w[TC__COUNT])
{
	int total = 0;
	for (int c = 0; c < TC__COUNT; c++) {
		w[c] = k->natural[c];
		if (tk_caps[c] && w[c] > tk_caps[c])
			w[c] = tk_caps[c];
		total += w[c] + (c ? TK_GAP : 0);
	}
	if (total > cols) {   /* narrow: the task's name gives way first */
		int cut = total - cols;
		w[TC_TASK] = w[TC_TASK] - cut > 8 ? w[TC_TASK] - cut : 8;
	}
}

static void tk_cells(tui *t, int y, const int w[TC__COUNT], char *const cell[TC__COUNT], unsigned long attrs,
                     tui_alert alert)
{
	int x = 0;
	for (int c = 0; c < TC__COUNT; c++) {
		tui_put(y, x, w[c], cell[c], c == TC_HOW ? attrs | tui_alert_attrs(t, alert) : attrs);
		x += w[c] + TK_GAP;
	}
}

static void tk_draw(tui *t, void *data)
{
	tk *k = data;
	int rows = tk_rows(), cols = COLS;
	int w[TC__COUNT];
	tk_layout(k, cols, w);
	tui_put(1, 0, cols, "周期任务（tasks.yaml）：本期与前两期；Enter 记录所选一期已完成", A_NORMAL);
	tk_cells(t, 2, w, (char *const *)tk_heads, A_BOLD, TUI_ALERT_NONE);
	tui_list_clamp(&k->list, rows);
	if (k->n == 0)
		tui_put(3, 0, cols, k->none ? "（本预设没有周期任务）" : "（没有任务）", A_NORMAL);
	for (int i = 0; i < rows && (size_t)(k->list.top + i) < k->n; i++) {
		int idx = k->list.top + i;
		unsigned long attrs = idx == k->list.sel ? A_REVERSE : A_NORMAL;
		if (attrs != A_NORMAL)
			tui_put(3 + i, 0, cols, "", attrs);
		tk_cells(t, 3 + i, w, k->rows[idx].cell, attrs, k->rows[idx].alert);
	}
	if (k->n)
		snprintf(k->title, sizeof k->title, "任务 %d/%zu", k->list.sel + 1, k->n);
	else
		snprintf(k->title, sizeof k->title, "任务");
}

static const char *tk_title(void *data)
{
	return ((tk *)data)->title;
}

static tui_next tk_answer(tui *t, void *data, bool yes)
{
	tk *k = data;
	if (!yes || k->n == 0)
		return TUI_DRAW;
	const tk_row *r = &k->rows[k->list.sel];
	char done[24];
	ks_err err;
	char *key = ks_strdup(r->key), *label = text_visible(r->label, false);
	if (task_done(tui_session(t), key, r->period, NULL, clock_now(), done, &err)) {
		tui_error(t, "%s", err.msg);
	} else {
		tui_refresh_all(t);
		tui_message(t, "已记录：%s %s 期已完成", label, done);
	}
	free(key);
	free(label);
	return TUI_DRAW;
}

static tui_next tk_key(tui *t, void *data, tui_request req)
{
	tk *k = data;
	if (tui_list_move(&k->list, req, tk_rows()))
		return TUI_DRAW;
	if (req == REQ_ENTER) {
		if (k->n == 0) {
			tui_error(t, "没有可记录的任务");
			return TUI_DRAW;
		}
		const tk_row *r = &k->rows[k->list.sel];
		char *label = text_visible(r->label, false), *period = text_visible(r->period, false);
		if (r->done) {
			char *by = text_visible(r->done_by ? r->done_by : "", false);
			tui_message(t, "「%s」%s 期已由 %s 完成", label, period, by);
			free(by);
		} else {
			char *q = ks_asprintf("记录「%s」%s 期已完成？(y/n)", label, period);
			tui_ask(t, q, tk_answer, k);
			free(q);
		}
		free(label);
		free(period);
		return TUI_DRAW;
	}
	return TUI_PASS;
}

const tui_screen tui_tasks_screen = {
	.name = "tasks",
	.hints = tk_hints,
	.open = tk_open,
	.draw = tk_draw,
	.title = tk_title,
	.key = tk_key,
	.refresh = tk_refresh,
	.close = tk_close,
};
