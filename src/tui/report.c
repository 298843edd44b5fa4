/* report.c — the reports screen (key R): the monthly statistics of
 * report_monthly (definitions in include/kesu/report.h) as a table with bar
 * charts in eighth blocks, the same figures `kesu report monthly` prints.
 * Left/Right (or Shift-Tab/Tab) go to the previous/next month; the lines
 * scroll with j/k, Space/b, g/G. Bars are as wide as the terminal allows
 * and are re-measured on resize. Who sees which cases is the core's
 * business (the whole report, their department's, or a refusal). */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/report.h"
#include "kesu/text.h"

#define RPT_LABEL 20   /* label column */
#define RPT_NUM 8      /* number column */

typedef struct rpt_line {
	char *text;        /* sanitised */
	double bar;        /* < 0: no bar; else the fraction 0..1 drawn after the text */
	unsigned long attrs;
} rpt_line;

typedef struct rpt {
	int year, mon;
	report r;
	bool loaded;
	rpt_line *lines;
	size_t n, cap;
	int layout_cols;
	tui_list list;
	char title[64];
} rpt;

static const tui_hint rpt_hints[] = {
	{ REQ_MOVE_LEFT, "Left", "上月" }, { REQ_MOVE_RIGHT, "Right", "下月" },
	{ REQ_VIEW_CLOSE, NULL, NULL }, { REQ_MOVE_DOWN, NULL, NULL }, { REQ_MOVE_UP, NULL, NULL },
	{ REQ_REFRESH, NULL, NULL }, { REQ_HELP, NULL, NULL }, { REQ_NONE, NULL, NULL },
};

static int rpt_rows(void)
{
	return LINES - 2 > 1 ? LINES - 2 : 1;
}

static void rpt_lines_free(rpt *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->lines[i].text);
	free(k->lines);
	k->lines = NULL;
	k->n = k->cap = 0;
}

static void rpt_add(rpt *k, char *text, double bar, unsigned long attrs)
{
	if (k->n == k->cap)
		k->lines = ks_realloc(k->lines, (k->cap = k->cap ? k->cap * 2 : 32) * sizeof *k->lines);
	k->lines[k->n++] = (rpt_line){ text, bar, attrs };
}

/* "  label     1234  " with the label fitted to RPT_LABEL columns. */
static char *rpt_cell(const char *label, const char *num)
{
	char *vis = text_visible(label ? label : "", false);
	char *fit = text_fit(vis, RPT_LABEL);
	char *s = ks_asprintf("  %s %*s  ", fit, RPT_NUM, num);
	free(fit);
	free(vis);
	return s;
}

static void rpt_count(rpt *k, const char *label, long long n, long long max)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", n);
	rpt_add(k, rpt_cell(label, num), max > 0 ? (double)n / (double)max : 0, A_NORMAL);
}

static void rpt_heading(rpt *k, char *text)
{
	if (k->n)
		rpt_add(k, ks_strdup(""), -1, A_NORMAL);
	rpt_add(k, text, -1, A_BOLD);
}

static void rpt_layout(rpt *k, tui *t)
{
	session *s = tui_session(t);
	const report *r = &k->r;
	rpt_lines_free(k);
	k->layout_cols = COLS;
	char from[24], cut[24];
	clock_short(r->from, from, sizeof from);
	clock_short(r->cutoff, cut, sizeof cut);
	char *scope = r->dept ? text_visible(case_dept_name(s, r->dept), false) : NULL;
	rpt_add(k, ks_asprintf("%s 至 %s  范围：%s%s", from, cut, scope ? scope : "全部案件",
	                       scope ? " 的案件" : ""), -1, A_NORMAL);
	free(scope);
	const struct { const char *label; long long n; } sum[] = {
		{ "本月登记", r->k.received },     { "其中已受理", r->k.accepted },
		{ "其中不予受理", r->k.rejected }, { "本月结案", r->k.closed },
		{ "月末未结", r->k.open_end },      { "本月重新处理", r->k.reopened },
		{ "月末逾期时限", r->k.overdue_end },
	};
	long long max = 0;
	for (size_t i = 0; i < sizeof sum / sizeof *sum; i++)
		if (sum[i].n > max)
			max = sum[i].n;
	rpt_heading(k, ks_strdup("【概况】"));
	for (size_t i = 0; i < sizeof sum / sizeof *sum; i++)
		rpt_count(k, sum[i].label, sum[i].n, max);
	for (size_t i = 0; i < r->nbd; i++) {
		const report_breakdown *b = &r->bd[i];
		char *l = text_visible(b->label, false);
		rpt_heading(k, ks_asprintf("【按%s（本月登记）】", l));
		free(l);
		max = 0;
		for (size_t j = 0; j < b->nitems; j++)
			if (b->items[j].n > max)
				max = b->items[j].n;
		if (!b->nitems)
			rpt_add(k, ks_strdup("  （无）"), -1, A_NORMAL);
		for (size_t j = 0; j < b->nitems; j++)
			rpt_count(k, b->items[j].label, b->items[j].n, max);
	}
	rpt_heading(k, ks_strdup("【按时率（本月停止的时限）】"));
	if (!r->nclocks)
		rpt_add(k, ks_strdup("  （无）"), -1, A_NORMAL);
	for (size_t i = 0; i < r->nclocks; i++) {
		const report_clock *c = &r->clocks[i];
		char num[64];
		snprintf(num, sizeof num, "%.1f%%", c->rate * 100);
		char *cell = rpt_cell(c->label, num);
		char *line = ks_asprintf("%s按时 %lld 逾期 %lld  ", cell, c->met, c->breached);
		free(cell);
		rpt_add(k, line, c->rate, A_NORMAL);
	}
	rpt_heading(k, ks_strdup("【处理天数（本月结案，日历天）】"));
	char num[32];
	snprintf(num, sizeof num, "%lld", r->nhandled);
	rpt_add(k, rpt_cell("结案件数", num), -1, A_NORMAL);
	snprintf(num, sizeof num, "%.1f", r->avg_days);
	rpt_add(k, rpt_cell("平均", num), -1, A_NORMAL);
	snprintf(num, sizeof num, "%.1f", r->p90_days);
	rpt_add(k, rpt_cell("90 百分位", num), -1, A_NORMAL);
	k->list.n = (int)k->n;
	tui_list_clamp(&k->list, rpt_rows());
}

/* Load month year-mon; on failure the old report stays. */
static ks_status rpt_load(tui *t, rpt *k, int year, int mon, ks_err *err)
{
	char month[16];
	snprintf(month, sizeof month, "%04d-%02d", year, mon);
	report r;
	memset(&r, 0, sizeof r);
	ks_status rc = report_monthly(tui_session(t), month, &r, err);
	if (rc)
		return rc;
	if (k->loaded)
		report_free(&k->r);
	k->r = r;
	k->loaded = true;
	k->year = year;
	k->mon = mon;
	k->layout_cols = 0;
	return KS_OK;
}

static void rpt_close(void *data)
{
	rpt *k = data;
	rpt_lines_free(k);
	if (k->loaded)
		report_free(&k->r);
	free(k);
}

static ks_status rpt_open(tui *t, const void *arg, void **data, ks_err *err)
{
	rpt *k = ks_calloc(1, sizeof *k);
	k->list.sel = -1;
	int year, mon;
	const char *m = arg;
	if (!m || sscanf(m, "%4d-%2d", &year, &mon) != 2) {
		struct tm tm;
		clock_local(clock_now(), &tm);
		year = tm.tm_year + 1900;
		mon = tm.tm_mon + 1;
	}
	ks_status rc = rpt_load(t, k, year, mon, err);
	if (rc) {
		rpt_close(k);
		return rc;
	}
	*data = k;
	return KS_OK;
}

static ks_status rpt_refresh(tui *t, void *data, ks_err *err)
{
	rpt *k = data;
	return rpt_load(t, k, k->year, k->mon, err);
}

/* A bar of frac of width columns in eighth blocks. */
static char *rpt_bar(double frac, int width)
{
	static const char *const part[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	long eighths = (long)(frac * width * 8 + 0.5);
	char *s = ks_calloc((size_t)width + 2, 4);
	for (long i = 0; i < eighths / 8; i++)
		strcat(s, "█");
	strcat(s, part[eighths % 8]);
	return s;
}

static void rpt_draw(tui *t, void *data)
{
	rpt *k = data;
	int rows = rpt_rows(), cols = COLS;
	if (k->layout_cols != cols)
		rpt_layout(k, t);
	tui_list_clamp(&k->list, rows);
	for (int i = 0; i < rows && (size_t)(k->list.top + i) < k->n; i++) {
		const rpt_line *l = &k->lines[k->list.top + i];
		tui_put(1 + i, 0, cols, l->text, l->attrs);
		if (l->bar >= 0) {
			int x = text_width(l->text), w = cols - x - 1;
			if (w > 0) {
				char *b = rpt_bar(l->bar, w);
				tui_put(1 + i, x, w, b, A_NORMAL);
				free(b);
			}
		}
	}
	snprintf(k->title, sizeof k->title, "月度报表 %04d-%02d", k->year, k->mon);
}

static const char *rpt_title(void *data)
{
	return ((rpt *)data)->title;
}

static tui_next rpt_key(tui *t, void *data, tui_request req)
{
	rpt *k = data;
	if (req == REQ_MOVE_LEFT || req == REQ_MOVE_RIGHT || req == REQ_PREV || req == REQ_NEXT) {
		int d = req == REQ_MOVE_LEFT || req == REQ_PREV ? -1 : 1;
		int y = k->year, m = k->mon + d;
		if (m < 1) {
			m = 12;
			y--;
		} else if (m > 12) {
			m = 1;
			y++;
		}
		ks_err err = { "" };
		if (rpt_load(t, k, y, m, &err))
			tui_error(t, "%s", err.msg);
		else
			k->list.top = 0;
		return TUI_DRAW;
	}
	if (tui_list_move(&k->list, req, rpt_rows()))
		return TUI_DRAW;
	return TUI_PASS;
}

const tui_screen tui_report_screen = {
	.name = "report",
	.hints = rpt_hints,
	.open = rpt_open,
	.draw = rpt_draw,
	.title = rpt_title,
	.key = rpt_key,
	.refresh = rpt_refresh,
	.close = rpt_close,
};
