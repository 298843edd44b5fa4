/* remind.c — the reminders screen (key m): the 催办单, 治办单 and due-time
 * warnings addressed to this person — escalated to a role they hold, or
 * addressed to their department — newest first, as deadline_reminders_mine
 * returns them (they are issued by `kesu remind`, run from cron). Enter
 * opens the case a reminder is about.
 *
 *   种类    编号      时限        致              期限         情况
 *   催办单  2611-001  答复客户时限  总经理室生产管理组  11-30 17:00  已逾期 2 天
 *
 * 致 is the role a reminder was escalated to, else the one person a level
 * with `to:` names (limits.yaml) and their department, else the department. */
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

#define RM_LIMIT 500
#define RM_GAP 2

enum { RC_KIND, RC_NO, RC_CLOCK, RC_TO, RC_DUE, RC_HOW, RC_AT, RC__COUNT };

static const char *const rm_heads[RC__COUNT] = { "种类", "编号", "时限", "致", "期限", "情况", "开出" };
static const int rm_caps[RC__COUNT] = { 0, 16, 14, 14, 0, 0, 0 };

typedef struct rm_row {
	char *no;
	char *cell[RC__COUNT];
	tui_alert alert;
} rm_row;

typedef struct rm {
	rm_row *rows;
	size_t n;
	tui_list list;
	int natural[RC__COUNT];
	char title[64];
} rm;

static const tui_hint rm_hints[] = {
	{ REQ_ENTER, NULL, NULL }, { REQ_VIEW_CLOSE, NULL, NULL }, { REQ_MOVE_DOWN, NULL, NULL },
	{ REQ_MOVE_UP, NULL, NULL }, { REQ_REFRESH, NULL, NULL }, { REQ_HELP, NULL, NULL },
	{ REQ_NONE, NULL, NULL },
};

static int rm_rows(void)
{
	return LINES - 3 > 1 ? LINES - 3 : 1;
}

static void rm_rows_free(rm_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].no);
		for (int c = 0; c < RC__COUNT; c++)
			free(v[i].cell[c]);
	}
	free(v);
}

static const char *rm_kind(const char *kind)
{
	if (!strcmp(kind, "urge"))
		return "催办单";
	if (!strcmp(kind, "inquiry"))
		return "治办单";
	return "到期提醒";
}

static ks_status rm_refresh(tui *t, void *data, ks_err *err)
{
	rm *k = data;
	session *s = tui_session(t);
	store_reminder *v = NULL;
	size_t n = 0;
	ks_status rc = deadline_reminders_mine(s, RM_LIMIT, &v, &n, err);
	if (rc)
		return rc;
	rm_row *rows = ks_calloc(n ? n : 1, sizeof *rows);
	for (int c = 0; c < RC__COUNT; c++)
		k->natural[c] = text_width(rm_heads[c]);
	for (size_t i = 0; i < n; i++) {
		const store_reminder *r = &v[i];
		const conf_clock *ck = conf_find_clock(s->cf, r->clock);
		char due[32], at[32], span[48];
		clock_short(r->due_at, due, sizeof due);
		clock_short(r->at, at, sizeof at);
		deadline_span(r->late, span, sizeof span);
		rows[i].no = ks_strdup(r->case_no ? r->case_no : "");
		rows[i].cell[RC_KIND] = ks_strdup(rm_kind(r->kind));
		rows[i].cell[RC_NO] = text_visible(rows[i].no, false);
		rows[i].cell[RC_CLOCK] = text_visible(ck ? ck->label : r->clock, false);
		if (r->role) {
			const conf_role *ro = conf_find_role(s->cf, r->role);
			rows[i].cell[RC_TO] = text_visible(ro ? ro->name : r->role, false);
		} else if (r->login) {
			/* a level with `to:` names one person: them first, then where */
			char *to = ks_asprintf("%s（%s）", case_staff_name(s, r->login), case_dept_name(s, r->dept));
			rows[i].cell[RC_TO] = text_visible(to, false);
			free(to);
		} else {
			rows[i].cell[RC_TO] = text_visible(case_dept_name(s, r->dept), false);
		}
		rows[i].cell[RC_DUE] = ks_strdup(due + 5);
		rows[i].cell[RC_HOW] = ks_asprintf("%s %s", r->late < 0 ? "尚余" : !strcmp(r->kind, "inquiry")
		                                   ? "逾期结束" : "已逾期", span);
		rows[i].cell[RC_AT] = ks_strdup(at + 5);
		rows[i].alert = r->late < 0 ? TUI_ALERT_SOON : TUI_ALERT_LATE;
		for (int c = 0; c < RC__COUNT; c++) {
			int w = text_width(rows[i].cell[c]);
			if (w > k->natural[c])
				k->natural[c] = w;
		}
	}
	store_reminders_free(v, n);
	rm_rows_free(k->rows, k->n);
	k->rows = rows;
	k->n = n;
	k->list.n = (int)n;
	tui_list_clamp(&k->list, rm_rows());
	return KS_OK;
}

static ks_status rm_open(tui *t, const void *arg, void **data, ks_err *err)
{
	(void)arg;
	rm *k = ks_calloc(1, sizeof *k);
	k->rows = ks_calloc(1, sizeof *k->rows);
	ks_status rc = rm_refresh(t, k, err);
	if (rc) {
		rm_rows_free(k->rows, k->n);
		free(k);
		return rc;
	}
	*data = k;
	return KS_OK;
}

static void rm_close(void *data)
{
	rm *k = data;
	rm_rows_free(k->rows, k->n);
	free(k);
}

static void rm_layout(const rm *k, int cols, int w[RC__COUNT])
{
	int total = 0;
	for (int c = 0; c < RC__COUNT; c++) {
		w[c] = k->natural[c];
		if (rm_caps[c] && w[c] > rm_caps[c])
			w[c] = rm_caps[c];
		total += w[c] + (c ? RM_GAP : 0);
	}
	if (total > cols) {   /* narrow: when it was issued goes first */
		total -= w[RC_AT] + RM_GAP;
		w[RC_AT] = 0;
	}
	if (total > cols) {   /* then the clock gives way to the rest */
		int cut = total - cols;
		w[RC_CLOCK] = w[RC_CLOCK] - cut > 4 ? w[RC_CLOCK] - cut : 4;
	}
}

static void rm_cells(tui *t, int y, const int w[RC__COUNT], char *const cell[RC__COUNT],
                     unsigned long attrs, tui_alert alert)
{
	int x = 0;
	for (int c = 0; c < RC__COUNT; c++) {
		if (!w[c])
			continue;
		tui_put(y, x, w[c], cell[c], c == RC_HOW ? attrs | tui_alert_attrs(t, alert) : attrs);
		x += w[c] + RM_GAP;
	}
}

static void rm_draw(tui *t, void *data)
{
	rm *k = data;
	int rows = rm_rows(), cols = COLS;
	int w[RC__COUNT];
	rm_layout(k, cols, w);
	session *s = tui_session(t);
	char *who = text_visible(case_dept_name(s, s->me->dept), false);
	char *head = ks_asprintf("发给我、%s或我的角色的催办单、治办单、到期提醒", who);
	tui_put(1, 0, cols, head, A_NORMAL);
	free(head);
	free(who);
	rm_cells(t, 2, w, (char *const *)rm_heads, A_BOLD, TUI_ALERT_NONE);
	tui_list_clamp(&k->list, rows);
	if (k->n == 0)
		tui_put(3, 0, cols, "（没有催办）", A_NORMAL);
	for (int i = 0; i < rows && (size_t)(k->list.top + i) < k->n; i++) {
		int idx = k->list.top + i;
		unsigned long attrs = idx == k->list.sel ? A_REVERSE : A_NORMAL;
		if (attrs != A_NORMAL)
			tui_put(3 + i, 0, cols, "", attrs);
		rm_cells(t, 3 + i, w, k->rows[idx].cell, attrs, k->rows[idx].alert);
	}
	if (k->n)
		snprintf(k->title, sizeof k->title, "催办 %d/%zu", k->list.sel + 1, k->n);
	else
		snprintf(k->title, sizeof k->title, "催办");
}

static const char *rm_title(void *data)
{
	return ((rm *)data)->title;
}

static tui_next rm_key(tui *t, void *data, tui_request req)
{
	rm *k = data;
	if (tui_list_move(&k->list, req, rm_rows()))
		return TUI_DRAW;
	if (req == REQ_ENTER) {
		if (k->n == 0)
			tui_error(t, "没有可打开的案件");
		else
			tui_open(t, &tui_case_screen, k->rows[k->list.sel].no);
		return TUI_DRAW;
	}
	return TUI_PASS;
}

const tui_screen tui_remind_screen = {
	.name = "remind",
	.hints = rm_hints,
	.open = rm_open,
	.draw = rm_draw,
	.title = rm_title,
	.key = rm_key,
	.refresh = rm_refresh,
	.close = rm_close,
};
