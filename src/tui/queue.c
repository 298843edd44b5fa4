/* queue.c — the queue screen: a tab bar of views (待办 全部 逾期 我的, with
 * counts), then the cases of the current view, one a row, in columns
 * 编号 状态 期限 部门 客户 主题 登记时间 aligned by display width. Key n
 * opens the intake form to register a new complaint.
 *
 * Which cases a view holds is decided by the core: 全部 is case_list, 我的
 * case_list involving the person, 逾期 case_list of overdue cases, 待办
 * case_list of the cases the person may act on now (todo). Each view is in
 * due order (earliest running clock first) and loaded a page at a time:
 * a screen and a margin, more as the selection nears the end. The tab
 * counts are case_count capped at QUEUE_COUNT_CAP ("100+"). */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/text.h"

#define QUEUE_GAP   2     /* spaces between columns */
#define QUEUE_MIN_TEXT 24 /* customer and subject together, before other columns go */
#define QUEUE_DAY   86400 /* a clock due within this many seconds is "soon" */
#define QUEUE_MARGIN 20   /* rows loaded beyond a screen */
/* Tab counts above this show as "100+": a count reads the row of each case
 * it counts (whether the person is named in a recuse field is in the case's
 * fields), 10-20 us a case when it is not in memory, and the four counts
 * come before the first screen. */
#define QUEUE_COUNT_CAP 100
#define QUEUE_SEEK_MAX 2000   /* rows loaded at most to find the selected case again */

enum { QC_NO, QC_STATE, QC_DUE, QC_DEPT, QC_CUSTOMER, QC_SUBJECT, QC_TIME, QC__COUNT };

static const char *const queue_heads[QC__COUNT] = {
	"编号", "状态", "期限", "部门", "客户", "主题", "登记时间",
};

/* The widest a column gets before its text is cut (0: no cap). */
static const int queue_caps[QC__COUNT] = { 16, 10, 14, 12, 0, 0, 0 };

/* The views, in tab order (keys 1-4). */
enum { QV_TODO, QV_ALL, QV_LATE, QV_MINE, QV__COUNT };

static const char *const queue_views[QV__COUNT] = { "待办", "全部", "逾期", "我的" };

/* One case as shown: every cell already passed through text_visible. */
typedef struct queue_case {
	long long id;
	char *no;                 /* the case number as stored, to open it */
	char *cell[QC__COUNT];
	tui_alert due;            /* how urgent its next clock is */
	time_t next_due, created_at;  /* its place in the order, for the next page */
} queue_case;

typedef struct queue {
	queue_case *cases;        /* the current view's cases loaded so far, in order */
	size_t n, cap;
	bool more;                /* the view may have more cases than loaded */
	int *rows;                /* indices into cases of the current view's rows */
	size_t nrows;
	long long count[QV__COUNT];  /* case_count, capped at QUEUE_COUNT_CAP + 1 */
	int view;
	bool opened;              /* the first refresh chose the view */
	char *select;             /* a case to show and select at the next refresh */
	tui_list list;
	int natural[QC__COUNT];   /* widest cell (or heading) of each column */
	char title[96];
} queue;

static const tui_hint queue_hints[] = {
	{ REQ_ENTER, NULL, NULL }, { REQ_NEW, NULL, NULL }, { REQ_NEXT, NULL, "视图" },
	{ REQ_VIEW_CLOSE, NULL, NULL }, { REQ_HELP, NULL, NULL }, { REQ_REFRESH, NULL, NULL },
	{ REQ_MOVE_DOWN, NULL, NULL }, { REQ_MOVE_UP, NULL, NULL }, { REQ_NONE, NULL, NULL },
};

static void queue_cases_free(queue_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].no);
		for (int c = 0; c < QC__COUNT; c++)
			free(v[i].cell[c]);
	}
	free(v);
}

/* Rows of the list area: between the column headings and the status line. */
static int queue_list_rows(void)
{
	return LINES - 4 > 1 ? LINES - 4 : 1;
}

/* The first part of deadline_span: "2 天", "5 小时", "40 分钟". */
static void queue_span(long long seconds, char *buf, size_t n)
{
	deadline_span(seconds, buf, n);
	char *sp = strchr(buf, ' ');
	sp = sp ? strchr(sp + 1, ' ') : NULL;
	if (sp)
		*sp = '\0';
}

/* The 期限 cell of a case whose earliest running clock is due at due (0:
 * none): the due time, the time left within a day, or how late it is. */
static char *queue_due_cell(tui *t, time_t due, time_t now, tui_alert *alert)
{
	char buf[48];
	*alert = TUI_ALERT_NONE;
	if (!due)
		return ks_strdup("");
	if (now > due) {
		*alert = TUI_ALERT_LATE;
		queue_span((long long)(now - due), buf, sizeof buf);
		return ks_asprintf("%s逾期 %s", tui_colors(t) ? "" : "!", buf);
	}
	if (due - now < QUEUE_DAY) {
		*alert = TUI_ALERT_SOON;
		queue_span((long long)(due - now), buf, sizeof buf);
		return ks_asprintf("剩 %s", buf);
	}
	clock_short(due, buf, sizeof buf);
	return ks_strdup(buf + 5);   /* "MM-DD HH:MM" */
}

/* Rows of the current view: every loaded case, keeping the case numbered
 * keep (if any) selected. */
static void queue_build_view(queue *q, const char *keep)
{
	free(q->rows);
	q->rows = ks_calloc(q->n ? q->n : 1, sizeof *q->rows);
	q->nrows = 0;
	int sel = keep ? -1 : q->list.sel;
	for (size_t i = 0; i < q->n; i++) {
		if (keep && !strcmp(q->cases[i].no, keep))
			sel = (int)q->nrows;
		q->rows[q->nrows++] = (int)i;
	}
	q->list.n = (int)q->nrows;
	q->list.sel = sel < 0 ? 0 : sel;
	tui_list_clamp(&q->list, queue_list_rows());
}

/* The number of the selected case, or NULL. */
static const char *queue_selected(const queue *q)
{
	if (q->list.sel < 0 || (size_t)q->list.sel >= q->nrows)
		return NULL;
	return q->cases[q->rows[q->list.sel]].no;
}

/* What view v lists, in due order. */
static store_filter queue_filter(session *s, int v, time_t now)
{
	store_filter f = { .now = now, .order = STORE_ORDER_DUE };
	if (v == QV_TODO)
		f.todo = true;
	else if (v == QV_LATE)
		f.overdue = true;
	else if (v == QV_MINE)
		f.involving = s->me->login;
	return f;
}

/* Load the next page of the current view (the first if none is loaded). */
static ks_status queue_fetch(tui *t, queue *q, ks_err *err)
{
	session *s = tui_session(t);
	time_t now = clock_now();
	store_filter f = queue_filter(s, q->view, now);
	f.limit = queue_list_rows() + QUEUE_MARGIN;
	store_case after = {0};
	if (q->n) {
		const queue_case *l = &q->cases[q->n - 1];
		after.id = l->id;
		after.next_due = l->next_due;
		after.created_at = l->created_at;
		f.after = &after;
	}
	store_case *k = NULL;
	size_t n = 0;
	ks_status rc = case_list(s, &f, &k, &n, err);
	if (rc)
		return rc;
	/* a full page: maybe more. A 待办 page may come back short when the
	 * engine refused a row the rules let through: more while any come. */
	q->more = f.todo ? n > 0 : (int)n >= f.limit;
	if (q->n + n > q->cap) {
		q->cap = (q->n + n) * 2;
		q->cases = ks_realloc(q->cases, q->cap * sizeof *q->cases);
	}
	for (size_t i = 0; i < n; i++) {
		const store_case *c = &k[i];
		queue_case *v = &q->cases[q->n++];
		memset(v, 0, sizeof *v);
		char when[32];
		clock_short(c->created_at, when, sizeof when);
		v->id = c->id;
		v->next_due = c->next_due;
		v->created_at = c->created_at;
		v->no = ks_strdup(c->no);
		v->cell[QC_NO] = text_visible(c->no, false);
		v->cell[QC_STATE] = text_visible(case_state_label(s, c->state), false);
		v->cell[QC_DUE] = queue_due_cell(t, c->next_due, now, &v->due);
		v->cell[QC_DEPT] = text_visible(case_dept_name(s, c->dept), false);
		v->cell[QC_CUSTOMER] = text_visible(c->customer, false);
		v->cell[QC_SUBJECT] = text_visible(c->subject, false);
		v->cell[QC_TIME] = text_visible(when, false);
		for (int col = 0; col < QC__COUNT; col++) {
			int w = text_width(v->cell[col]);
			if (w > q->natural[col])
				q->natural[col] = w;
		}
	}
	store_cases_free(k, n);
	return KS_OK;
}

/* Whether the case numbered no is loaded. */
static bool queue_has(const queue *q, const char *no)
{
	for (size_t i = 0; no && i < q->n; i++)
		if (!strcmp(q->cases[i].no, no))
			return true;
	return false;
}

/* Load the current view from its start: a page, or as many as it takes to
 * find the case numbered keep again (up to QUEUE_SEEK_MAX rows). */
static ks_status queue_load(tui *t, queue *q, const char *keep, ks_err *err)
{
	queue_cases_free(q->cases, q->n);
	q->cases = NULL;
	q->n = q->cap = 0;
	q->more = false;
	for (int c = 0; c < QC__COUNT; c++)
		q->natural[c] = text_width(queue_heads[c]);
	ks_status rc = queue_fetch(t, q, err);
	while (!rc && keep && q->more && !queue_has(q, keep) && q->n < QUEUE_SEEK_MAX)
		rc = queue_fetch(t, q, err);
	queue_build_view(q, keep && queue_has(q, keep) ? keep : NULL);
	return rc;
}

static ks_status queue_refresh(tui *t, void *data, ks_err *err)
{
	queue *q = data;
	session *s = tui_session(t);
	time_t now = clock_now();
	for (int v = 0; v < QV__COUNT; v++) {
		store_filter f = queue_filter(s, v, now);
		ks_status rc = case_count(s, &f, QUEUE_COUNT_CAP + 1, &q->count[v], err);
		if (rc)
			return rc;
	}
	bool asked = q->select != NULL;
	char *keep = asked ? q->select : queue_selected(q) ? ks_strdup(queue_selected(q)) : NULL;
	q->select = NULL;
	if (!q->opened) {
		/* start on what there is to do, if anything */
		q->view = q->count[QV_TODO] ? QV_TODO : QV_ALL;
		q->opened = true;
	}
	ks_status rc = queue_load(t, q, keep, err);
	if (!rc && asked && !queue_has(q, keep) && q->view != QV_ALL) {
		/* a case asked for (a new one): show it in 全部 if this view lacks it */
		q->view = QV_ALL;
		rc = queue_load(t, q, keep, err);
	}
	free(keep);
	return rc;
}

static ks_status queue_open(tui *t, const void *arg, void **data, ks_err *err)
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
	int fixed = w[QC_NO] + w[QC_STATE] + w[QC_DUE] + w[QC_DEPT] + w[QC_TIME];
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

/* Draw one row of cells at y; the 期限 cell gets due_attrs as well. */
static void queue_draw_cells(int y, const int w[QC__COUNT], char *const cell[QC__COUNT],
                             unsigned long attrs, unsigned long due_attrs)
{
	int x = 0;
	for (int c = 0; c < QC__COUNT; c++) {
		if (!w[c])
			continue;
		tui_put(y, x, w[c], cell[c], c == QC_DUE ? attrs | due_attrs : attrs);
		x += w[c] + QUEUE_GAP;
	}
}

/* A view's count as shown: "100+" above the cap. */
static void queue_count_text(const queue *q, int v, char *buf, size_t n)
{
	if (q->count[v] > QUEUE_COUNT_CAP)
		snprintf(buf, n, "%d+", QUEUE_COUNT_CAP);
	else
		snprintf(buf, n, "%lld", q->count[v]);
}

/* The tab bar: each view with its count, the current one in brackets. */
static void queue_draw_tabs(const queue *q, int cols)
{
	int x = 0;
	for (int v = 0; v < QV__COUNT && x < cols; v++) {
		bool cur = v == q->view;
		char cnt[24];
		queue_count_text(q, v, cnt, sizeof cnt);
		char *tab = ks_asprintf("%s%s %s%s", cur ? "[" : " ", queue_views[v], cnt, cur ? "]" : " ");
		int w = text_width(tab);
		tui_put(1, x, w, tab, cur ? A_REVERSE | A_BOLD : A_NORMAL);
		x += w + 1;
		free(tab);
	}
}

static void queue_draw(tui *t, void *data)
{
	queue *q = data;
	int rows = queue_list_rows(), cols = COLS;
	int w[QC__COUNT];
	queue_layout(q, cols, w);
	queue_draw_tabs(q, cols);
	queue_draw_cells(2, w, (char *const *)queue_heads, A_BOLD, A_NORMAL);
	tui_list_clamp(&q->list, rows);
	if (q->nrows == 0)
		tui_put(3, 0, cols, "（没有案件）", A_NORMAL);
	for (int i = 0; i < rows && (size_t)(q->list.top + i) < q->nrows; i++) {
		int k = q->list.top + i;
		const queue_case *c = &q->cases[q->rows[k]];
		unsigned long attrs = k == q->list.sel ? A_REVERSE : A_NORMAL;
		if (attrs != A_NORMAL)
			tui_put(3 + i, 0, cols, "", attrs);
		queue_draw_cells(3 + i, w, c->cell, attrs, tui_alert_attrs(t, c->due));
	}
	if (q->nrows == 0)
		snprintf(q->title, sizeof q->title, "案件列表");
	else if (q->more) {
		/* not all loaded: the view's count says how many there are */
		char cnt[24];
		queue_count_text(q, q->view, cnt, sizeof cnt);
		snprintf(q->title, sizeof q->title, "案件列表 %d/%s", q->list.sel + 1, cnt);
	} else
		snprintf(q->title, sizeof q->title, "案件列表 %d/%zu", q->list.sel + 1, q->nrows);
}

static const char *queue_title(void *data)
{
	return ((queue *)data)->title;
}

/* Switch to view v (loading it), keeping the selected case selected if v
 * lists it. */
static void queue_set_view(tui *t, queue *q, int v)
{
	const char *cur = queue_selected(q);
	char *keep = cur ? ks_strdup(cur) : NULL;
	q->view = (v + QV__COUNT) % QV__COUNT;
	q->list.sel = q->list.top = 0;
	ks_err e = { "" };
	if (queue_load(t, q, keep, &e))
		tui_error(t, "%s", e.msg);
	free(keep);
}

/* ---- registering a complaint ------------------------------------------- */

/* The intake form's save: register through the core, then show the new case
 * selected and its number on the status line. */
static ks_status queue_register(tui *t, void *ctx, const form_kv *kv, size_t n, ks_err *err)
{
	queue *q = ctx;
	char *no = NULL;
	ks_status rc = case_register(tui_session(t), kv, n, &no, err);
	if (rc)
		return rc;
	free(q->select);
	q->select = ks_strdup(no);
	tui_refresh_all(t);
	tui_message(t, "已登记，编号 %s", no);
	free(no);
	return KS_OK;
}

/* Open the intake form. The core refuses a person without an intake role
 * when saving; asking first spares them typing a whole complaint in vain. */
static void queue_new(tui *t, queue *q)
{
	session *s = tui_session(t);
	const conf *cf = s->cf;
	bool may = false;
	for (size_t i = 0; i < cf->nintake_roles; i++)
		may |= conf_staff_has_role(s->me, cf->intake_roles[i]);
	if (!may) {
		char *roles = ks_strdup("");
		for (size_t i = 0; i < cf->nintake_roles; i++) {
			const conf_role *r = conf_find_role(cf, cf->intake_roles[i]);
			char *x = ks_asprintf("%s%s%s", roles, i ? "、" : "", r ? r->name : cf->intake_roles[i]);
			free(roles);
			roles = x;
		}
		tui_error(t, "%s 没有登记客诉的权限（需要角色：%s）", s->me->name, roles);
		free(roles);
		return;
	}
	const conf_form *f = conf_find_form(cf, cf->intake_form);
	if (!f) {
		tui_error(t, "配置中没有登记表「%s」", cf->intake_form ? cf->intake_form : "");
		return;
	}
	tui_form_spec spec = { .form = f, .title = "登记新客诉", .save = queue_register, .ctx = q };
	tui_form_open(t, &spec);
}

static tui_next queue_key(tui *t, void *data, tui_request req)
{
	queue *q = data;
	int rows = queue_list_rows();
	if (q->more && (req == REQ_MOVE_DOWN || req == REQ_PAGE_DOWN || req == REQ_MOVE_LAST) &&
	    (size_t)q->list.sel + 2 * (size_t)rows >= q->n) {
		/* near the end of what is loaded: the next page */
		ks_err e = { "" };
		const char *cur = queue_selected(q);
		char *keep = cur ? ks_strdup(cur) : NULL;
		if (queue_fetch(t, q, &e))
			tui_error(t, "%s", e.msg);
		queue_build_view(q, keep);
		free(keep);
	}
	if (tui_list_move(&q->list, req, rows))
		return TUI_DRAW;
	switch (req) {
	case REQ_ENTER:
		if (q->nrows == 0)
			tui_error(t, "没有可打开的案件");
		else
			tui_open(t, &tui_case_screen, queue_selected(q));
		return TUI_DRAW;
	case REQ_NEXT:
	case REQ_PREV:
		queue_set_view(t, q, q->view + (req == REQ_NEXT ? 1 : -1));
		return TUI_DRAW;
	case REQ_PICK:
		if (tui_pick(t) > QV__COUNT)
			tui_error(t, "视图只有 %d 个：1 待办  2 全部  3 逾期  4 我的", QV__COUNT);
		else
			queue_set_view(t, q, tui_pick(t) - 1);
		return TUI_DRAW;
	case REQ_NEW:
		queue_new(t, q);
		return TUI_DRAW;
	default:
		return TUI_PASS;
	}
}

static void queue_close(void *data)
{
	queue *q = data;
	queue_cases_free(q->cases, q->n);
	free(q->rows);
	free(q->select);
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
