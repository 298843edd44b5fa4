/* case.c — the case screen: a case's header, its clocks, its fields labelled
 * by the forms, its history, and (on a fixed line above the status line) the
 * actions the person may take now, numbered 1-9. A digit takes that action:
 * its form opens (tui_form_open), or for an action without fields a yes/no
 * question; then case_do with the version the screen showed, so a case that
 * someone else changed meanwhile is refused with who changed it. */
#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/editlock.h"
#include "kesu/penalty.h"
#include "kesu/text.h"

#define CASE_LABEL_MAX 16  /* widest field-label column */
#define CASE_CLOCK_MAX 24  /* widest clock-label column */
#define CASE_DAY  86400    /* a clock due within this many seconds is "soon" */
#define CASE_PICKS 9       /* actions reachable by a digit key */
#define CASE_MIN_TEXT  10  /* narrowest value column */

/* One line of the scrolling text. Text is already sanitised (text_visible). */
typedef struct case_line {
	char *label;        /* NULL: none */
	int label_x, label_w;
	char *text;         /* starts at column indent */
	int indent;
	unsigned long attrs;
} case_line;

typedef struct case_scr {
	char *no;
	case_view v;
	json_t *fields;            /* v.c.fields parsed (an object) */
	char *actions;             /* "1 受理  2 不予受理", sanitised */
	char **acts;               /* the codes of those actions, in order */
	size_t nacts;
	char *editors;             /* "正在由 张明 编辑（…）" for others' edit locks, or NULL */
	store_copy *copies;        /* the copies (联) issued for the case */
	size_t ncopies;
	store_penalty *pens;       /* its penalty ledger entries the person may see */
	size_t npens;
	struct case_act *pending_form;  /* a form waiting for "仍要填写？" (owned) */
	char *pending;             /* the action a yes/no question is about */
	int pending_version;       /* the version shown when it was asked */
	case_line *lines;
	size_t nlines, cap;
	int layout_cols;           /* terminal width the lines were built for */
	int labw;                  /* width of the label column */
	tui_list list;
	char title[96];
} case_scr;

static const tui_hint case_hints[] = {
	{ REQ_VIEW_CLOSE, NULL, NULL }, { REQ_HELP, NULL, NULL }, { REQ_REFRESH, NULL, NULL },
	{ REQ_MOVE_DOWN, NULL, NULL }, { REQ_MOVE_UP, NULL, NULL }, { REQ_PAGE_DOWN, NULL, NULL },
	{ REQ_NONE, NULL, NULL },
};

/* Rows of the scrolling area: between the title and the actions line. */
static int case_rows(void)
{
	return LINES - 3 > 1 ? LINES - 3 : 1;
}

/* ---- building the lines ------------------------------------------------- */

static void case_lines_free(case_scr *k)
{
	for (size_t i = 0; i < k->nlines; i++) {
		free(k->lines[i].label);
		free(k->lines[i].text);
	}
	free(k->lines);
	k->lines = NULL;
	k->nlines = k->cap = 0;
}

/* Append a line of text at indent; takes ownership of text. */
static case_line *case_add(case_scr *k, char *text, int indent, unsigned long attrs)
{
	if (k->nlines == k->cap)
		k->lines = ks_realloc(k->lines, (k->cap = k->cap ? k->cap * 2 : 32) * sizeof *k->lines);
	case_line *l = &k->lines[k->nlines++];
	*l = (case_line){ .text = text, .indent = indent, .attrs = attrs };
	return l;
}

static void case_heading(case_scr *k, const char *title)
{
	if (k->nlines)
		case_add(k, ks_strdup(""), 0, A_NORMAL);
	char *vis = text_visible(title, false);
	case_add(k, ks_asprintf("【%s】", vis), 0, A_BOLD);
	free(vis);
}

/* Add value (stored text, any length, may have line breaks) wrapped to
 * width columns, every line starting at indent. Returns the index of the
 * first line added (there is always one). */
static size_t case_add_wrapped(case_scr *k, const char *value, int indent, int width)
{
	size_t first = k->nlines;
	char *vis = text_visible(value, true);
	for (char *p = vis; *p; p++)
		if (*p == '\t')
			*p = ' ';
	if (width < 1)
		width = 1;
	const char *p = vis;
	for (;;) {
		size_t para = strcspn(p, "\n");
		char *piece = ks_strndup(p, para);
		const char *q = piece;
		do {
			size_t len = text_prefix(q, width, NULL);
			if (len == 0 && *q) {   /* a wide character in a 1-column space */
				uint32_t cp;
				if (!text_utf8_next(q, strlen(q), &len, &cp))
					len = 1;
			}
			case_add(k, ks_strndup(q, len), indent, A_NORMAL);
			q += len;
		} while (*q);
		free(piece);
		p += para;
		if (*p != '\n')
			break;
		p++;
	}
	free(vis);
	return first;
}

/* The field definition for key: the intake form's, another form's, or that
 * of the newest action whose own fields hold key; NULL if none. */
static const conf_field *case_field_def(const session *s, const case_view *v, const char *key)
{
	const conf *cf = s->cf;
	const conf_form *in = conf_find_form(cf, cf->intake_form);
	const conf_field *fd = in ? conf_form_field(in, key) : NULL;
	for (size_t i = 0; !fd && i < cf->nforms; i++)
		if (strncmp(cf->forms[i].code, "action:", 7))
			fd = conf_form_field(&cf->forms[i], key);
	for (size_t i = v->nevents; !fd && i-- > 0;) {
		const char *code = v->events[i].action;
		const conf_action *a = code ? conf_find_action(cf, code) : NULL;
		const conf_form *f = a && a->form ? conf_find_form(cf, a->form) : NULL;
		json_t *ef = f ? json_loads(v->events[i].fields ? v->events[i].fields : "", 0, NULL) : NULL;
		if (json_object_get(ef, key))
			fd = conf_form_field(f, key);
		json_decref(ef);
	}
	return fd;
}

/* Width of the label column: the widest label of a field the case has. */
static int case_label_width(const session *s, const case_view *v, const json_t *fields)
{
	int w = 0;
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)fields, key, val) {
		const conf_field *fd = case_field_def(s, v, key);
		char *vis = text_visible(fd ? fd->label : key, false);
		int lw = text_width(vis);
		free(vis);
		if (lw > w)
			w = lw;
	}
	return w > CASE_LABEL_MAX ? CASE_LABEL_MAX : w;
}

/* One field line (or several, wrapped): label, two spaces, value. */
static void case_add_field(case_scr *k, const session *s, const conf_field *fd, const char *key,
                           const json_t *val)
{
	char *text = form_value_text(s->cf, fd, val);
	int width = k->layout_cols - k->labw - 2;
	/* the index first: case_add_wrapped may move k->lines */
	size_t at = case_add_wrapped(k, text, k->labw + 2, width < CASE_MIN_TEXT ? CASE_MIN_TEXT : width);
	case_line *l = &k->lines[at];
	l->label = text_visible(fd ? fd->label : key, false);
	l->label_w = k->labw;
	free(text);
}

/* The fields: the intake form's in its order, then those of each action's
 * form in the order of the workflow, under the form's title (an action's own
 * inline fields under the action's label), then the rest. A key two forms
 * share is shown once, under the first. */
static void case_build_fields(case_scr *k, const session *s)
{
	const conf *cf = s->cf;
	json_t *shown = json_object();
	const conf_form *in = conf_find_form(cf, cf->intake_form);
	for (size_t pass = 0; pass <= cf->nactions; pass++) {
		const conf_action *a = pass ? &cf->actions[pass - 1] : NULL;
		const conf_form *f = a ? (a->form ? conf_find_form(cf, a->form) : NULL) : in;
		if (!f || (a && f == in))
			continue;
		bool seen = false;   /* the form of an earlier action */
		for (size_t j = 0; a && j + 1 < pass && !seen; j++)
			seen = cf->actions[j].form && !strcmp(cf->actions[j].form, f->code);
		if (seen)
			continue;
		const char *title = a && !strncmp(f->code, "action:", 7) ? a->label : f->title;
		bool any = false;
		for (size_t i = 0; i < f->nfields; i++) {
			const conf_field *fd = &f->fields[i];
			const json_t *val = json_object_get(k->fields, fd->key);
			if (!val || json_object_get(shown, fd->key))
				continue;
			if (!any)
				case_heading(k, title);
			any = true;
			case_add_field(k, s, fd, fd->key, val);
			json_object_set_new(shown, fd->key, json_true());
		}
	}
	bool any = false;
	const char *key;
	json_t *val;
	json_object_foreach(k->fields, key, val) {
		if (json_object_get(shown, key))
			continue;
		if (!any)
			case_heading(k, "其他");
		any = true;
		case_add_field(k, s, case_field_def(s, &k->v, key), key, val);
	}
	json_decref(shown);
}

/* The history: one line per event, then the event's own fields indented. */
static void case_build_history(case_scr *k, const session *s)
{
	const case_view *v = &k->v;
	case_heading(k, "处理记录");
	if (v->nevents == 0)
		case_add(k, ks_strdup("（没有记录）"), 0, A_NORMAL);
	int aw = 0, lw = 0;
	for (size_t i = 0; i < v->nevents; i++) {
		char *a = text_visible(case_staff_name(s, v->events[i].actor), false);
		char *l = text_visible(case_action_label(s, v->events[i].action ? v->events[i].action : ""), false);
		if (text_width(a) > aw)
			aw = text_width(a);
		if (text_width(l) > lw)
			lw = text_width(l);
		free(a);
		free(l);
	}
	if (aw > 12)
		aw = 12;
	if (lw > 16)
		lw = 16;
	for (size_t i = 0; i < v->nevents; i++) {
		const store_event *e = &v->events[i];
		char when[32];
		clock_short(e->at, when, sizeof when);
		char *a = text_visible(case_staff_name(s, e->actor), false);
		char *l = text_visible(case_action_label(s, e->action ? e->action : ""), false);
		char *af = text_fit(a, aw), *lf = text_fit(l, lw);
		char *from = e->from_state ? text_visible(case_state_label(s, e->from_state), false) : NULL;
		char *to = text_visible(case_state_label(s, e->to_state), false);
		char *line = ks_asprintf("%s  %s  %s  %s%s→ %s", when, af, lf, from ? from : "",
		                         from ? " " : "", to);
		case_add(k, line, 0, A_NORMAL);
		int label_x = text_width(when) + 2;
		free(a); free(l); free(af); free(lf); free(from); free(to);
		/* the fields the action filled in (registration's are shown above) */
		const conf_action *act = e->action ? conf_find_action(s->cf, e->action) : NULL;
		if (!act)
			continue;
		const conf_form *f = act->form ? conf_find_form(s->cf, act->form) : NULL;
		json_t *ef = json_loads(e->fields ? e->fields : "", 0, NULL);
		/* in the order of the form, then any others (keys of older forms) */
		size_t nkeys = json_object_size(ef), nk = 0;
		const char **keys = ks_calloc(nkeys + 1, sizeof *keys);
		for (size_t fi = 0; f && fi < f->nfields; fi++)
			if (json_object_get(ef, f->fields[fi].key))
				keys[nk++] = f->fields[fi].key;
		const char *key;
		json_t *val;
		json_object_foreach(ef, key, val)
			if (!f || !conf_form_field(f, key))
				keys[nk++] = key;
		for (size_t ki = 0; ki < nk; ki++) {
			key = keys[ki];
			val = json_object_get(ef, key);
			const conf_field *fd = f ? conf_form_field(f, key) : NULL;
			char *text = form_value_text(s->cf, fd, val);
			char *lab = text_visible(fd ? fd->label : key, false);
			char *label = ks_asprintf("%s：", lab);
			int lw = text_width(label);
			int width = k->layout_cols - label_x - lw;
			/* the label, then the value wrapped under itself */
			size_t at = case_add_wrapped(k, text, label_x + lw, width < CASE_MIN_TEXT ? CASE_MIN_TEXT : width);
			case_line *fl = &k->lines[at];   /* after the call: it may move k->lines */
			fl->label = label;
			fl->label_x = label_x;
			fl->label_w = lw;
			free(lab);
			free(text);
		}
		free(keys);
		json_decref(ef);
	}
}

/* The copies (联) issued: one line per round of a form, then one per copy. */
static void case_build_copies(case_scr *k, const session *s)
{
	if (!k->ncopies)
		return;
	case_heading(k, "已发出的联单");
	for (size_t i = 0; i < k->ncopies; i++) {
		const store_copy *p = &k->copies[i];
		bool first = i == 0 || strcmp(k->copies[i - 1].form, p->form) || k->copies[i - 1].round != p->round ||
		             k->copies[i - 1].entry_id != p->entry_id;
		if (first) {
			const conf_form *f = conf_find_form(s->cf, p->form);
			char when[32];
			clock_short(p->issued_at, when, sizeof when);
			char *title = text_visible(f ? f->title : p->form, false);
			char *by = text_visible(case_staff_name(s, p->issued_by), false);
			case_add(k, ks_asprintf("%s（第 %d 次）  %s  %s 发出", title, p->round, when, by), 0, A_NORMAL);
			free(title);
			free(by);
		}
		char *holder = text_visible(p->holder_name ? p->holder_name : p->holder, false);
		char *purpose = text_visible(p->purpose ? p->purpose : "", false);
		case_add(k, ks_asprintf("第 %d 联  %s%s%s", p->copy_no, holder, *purpose ? "  " : "", purpose), 2,
		         A_NORMAL);
		free(holder);
		free(purpose);
	}
}

/* The penalty ledger entries of the case (those the person may see). */
static void case_build_penalties(case_scr *k, const session *s)
{
	if (!k->npens)
		return;
	case_heading(k, "罚扣");
	const penconf *pc = s->cf->penalty;
	for (size_t i = 0; i < k->npens; i++) {
		const store_penalty *p = &k->pens[i];
		char money[32];
		form_money(p->amount_fen, money, sizeof money);
		char *who = text_visible(case_staff_name(s, p->login), false);
		char *rule = text_visible(pc ? penalty_rule_label(pc, p->rule) : p->rule, false);
		char *month = text_visible(p->month ? p->month : "", false);
		case_add(k, ks_asprintf("%s  %s  %s 元  （%s）", who, rule, money, month), 0, A_NORMAL);
		free(who);
		free(rule);
		free(month);
	}
}

/* The label of a clock status (deadline_status). */
static const char *case_clock_status(const char *st)
{
	static const struct { const char *code, *label; } names[] = {
		{ "running", "进行中" }, { "paused", "暂停" }, { "met", "按时完成" }, { "breached", "逾期" },
		{ "superseded", "已取代" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i].code, st))
			return names[i].label;
	return st;
}

/* The clocks: label, due time, status, and the time left or how late. A
 * running clock past due is red, one due within a day yellow. */
static void case_build_clocks(case_scr *k, tui *t)
{
	const case_view *v = &k->v;
	if (!v->ndeadlines)
		return;
	case_heading(k, "时限");
	time_t now = clock_now();
	int lw = 0;
	for (size_t i = 0; i < v->ndeadlines; i++) {
		char *l = text_visible(v->deadlines[i].label ? v->deadlines[i].label : v->deadlines[i].clock, false);
		if (text_width(l) > lw)
			lw = text_width(l);
		free(l);
	}
	if (lw > CASE_CLOCK_MAX)
		lw = CASE_CLOCK_MAX;
	for (size_t i = 0; i < v->ndeadlines; i++) {
		const store_deadline *d = &v->deadlines[i];
		const char *st = deadline_status(d, now);
		char due[32], span[48] = "";
		clock_short(d->due_at, due, sizeof due);
		tui_alert alert = TUI_ALERT_NONE;
		const char *how = "";
		if (!d->stopped_at && strcmp(st, "paused")) {
			deadline_span((long long)(now - d->due_at), span, sizeof span);
			how = now > d->due_at ? "已逾期 " : "尚余 ";
			alert = now > d->due_at ? TUI_ALERT_LATE
			      : d->due_at - now < CASE_DAY ? TUI_ALERT_SOON : TUI_ALERT_NONE;
		} else if (d->stopped_at && d->stopped_at > d->due_at) {
			deadline_span((long long)(d->stopped_at - d->due_at), span, sizeof span);
			how = "超期 ";
		}
		char *l = text_visible(d->label ? d->label : d->clock, false);
		char *lf = text_fit(l, lw);
		char *stv = text_visible(case_clock_status(st), false);
		char *line = ks_asprintf("%s  %s  %s%s%s%s", lf, due, stv, *how ? "  " : "", how, span);
		case_add(k, line, 0, tui_alert_attrs(t, alert));
		free(l);
		free(lf);
		free(stv);
	}
}

/* 会签 (quorum) of the actions of the case's state: who has signed and,
 * by role, who is still awaited. */
static void case_build_quorum(case_scr *k, tui *t)
{
	session *s = tui_session(t);
	const store_case *c = &k->v.c;
	bool head = false;
	for (size_t i = 0; i < s->cf->nactions; i++) {
		const conf_action *a = &s->cf->actions[i];
		bool here = false;
		for (size_t f = 0; f < a->nfrom; f++)
			here |= !strcmp(a->from[f], c->state);
		case_quorum q;
		if (a->quorum < 2 || !here || case_quorum_status(s, c, a, &q, NULL))
			continue;
		if (!head)
			case_heading(k, "会签");
		head = true;
		char *who = ks_strdup(""), *wait = ks_strdup("");
		for (size_t n = 0; n < q.nsigners; n++) {
			char *u = ks_asprintf("%s%s%s", who, n ? "、" : "", case_staff_name(s, q.signers[n]));
			free(who);
			who = u;
		}
		for (size_t r = 0; r < q.nslots; r++) {
			if (!q.awaiting[r])
				continue;
			char *x = case_quorum_role_text(s, c, &a->quorum_by_role[r]);
			char *u = ks_asprintf("%s%s%s", wait, *wait ? "、" : "", x);
			free(x);
			free(wait);
			wait = u;
		}
		char *raw = ks_asprintf("%s  %zu/%zu%s%s%s%s", a->label, q.have, q.need, *who ? "  已会签 " : "", who,
		                        *wait ? "  尚待 " : "", wait);
		case_add(k, text_visible(raw, false), 0, A_NORMAL);
		free(raw);
		free(who);
		free(wait);
		case_quorum_free(&q);
	}
}

/* (Re)build the lines for cols columns. */
static void case_layout(case_scr *k, tui *t, int cols)
{
	const session *s = tui_session(t);
	case_lines_free(k);
	k->layout_cols = cols;
	const store_case *c = &k->v.c;
	k->labw = case_label_width(s, &k->v, k->fields);
	char when[32];
	clock_short(c->created_at, when, sizeof when);
	char *no = text_visible(c->no, false);
	char *st = text_visible(case_state_label(s, c->state), false);
	char *dept = text_visible(case_dept_name(s, c->dept), false);
	char *reg = text_visible(case_staff_name(s, c->registrant), false);
	char *asg = c->assignee ? text_visible(case_staff_name(s, c->assignee), false) : NULL;
	case_add(k, ks_asprintf("编号 %s  状态 %s  部门 %s", no, st, dept), 0, A_NORMAL);
	case_add(k, ks_asprintf("登记人 %s  登记时间 %s  %s%s%s版本 %d", reg, when,
	                              asg ? "承办人 " : "", asg ? asg : "", asg ? "  " : "", c->version),
	         0, A_NORMAL);
	free(no); free(st); free(dept); free(reg); free(asg);
	if (k->editors)
		case_add(k, ks_strdup(k->editors), 0, tui_alert_attrs(t, TUI_ALERT_SOON) | A_BOLD);
	case_build_clocks(k, t);
	case_build_quorum(k, t);
	case_build_fields(k, s);
	case_build_copies(k, s);
	case_build_penalties(k, s);
	case_build_history(k, s);
	k->list.n = (int)k->nlines;
	tui_list_clamp(&k->list, case_rows());
}

/* ---- the screen --------------------------------------------------------- */

struct case_act;
static void case_act_done(void *ctx);
static ks_status case_act_save(tui *t, void *ctx, const form_kv *kv, size_t n, ks_err *err);
static ks_status case_act_reload(tui *t, void *ctx, ks_err *err);

/* "正在由 张明 编辑（「分派」，10:20 起）…" for the edit locks of people
 * other than the viewer, or "" if there are none. */
static char *case_editors_text(session *s, const editlock_holder *v, size_t n)
{
	char *out = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i].login, s->me->login))
			continue;
		char since[32], until[32];
		clock_short(v[i].since, since, sizeof since);
		clock_short(v[i].until, until, sizeof until);
		char *x = ks_asprintf("%s%s正在由 %s 编辑（「%s」，%s 起，%s 前有效）", out, *out ? "；" : "", v[i].name,
		                      v[i].action, since + 11, until + 11);
		free(out);
		out = x;
	}
	char *vis = text_visible(out, false);
	free(out);
	return vis;
}

/* Read who else has a form open on the case (a failure just shows nobody). */
static void case_read_editors(case_scr *k, session *s)
{
	editlock_holder *v = NULL;
	size_t n = 0;
	ks_err err = { "" };
	free(k->editors);
	k->editors = NULL;
	if (editlock_list(s, k->no, &v, &n, &err))
		return;
	char *text = case_editors_text(s, v, n);
	editlock_holders_free(v, n);
	if (*text)
		k->editors = text;
	else
		free(text);
}

static ks_status case_refresh(tui *t, void *data, ks_err *err)
{
	case_scr *k = data;
	session *s = tui_session(t);
	case_view v;
	ks_status rc = case_load(s, k->no, &v, err);
	if (rc)
		return rc;
	const conf_action **acts = NULL;
	size_t nacts = 0;
	if ((rc = case_actions(s, k->no, &acts, &nacts, err))) {
		case_view_free(&v);
		return rc;
	}
	store_copy *cp = NULL;
	size_t ncp = 0;
	store_penalty *pens = NULL;
	size_t npens = 0;
	if ((rc = store_copies(s->st, v.c.id, &cp, &ncp, err)) ||
	    (s->cf->penalty && (rc = penalty_entries(s, v.c.no, NULL, &pens, &npens, err)))) {
		store_copies_free(cp, ncp);
		free(acts);
		case_view_free(&v);
		return rc;
	}
	store_copies_free(k->copies, k->ncopies);
	k->copies = cp;
	k->ncopies = ncp;
	store_penalties_free(k->pens, k->npens);
	k->pens = pens;
	k->npens = npens;
	case_view_free(&k->v);
	k->v = v;
	json_decref(k->fields);
	k->fields = json_loads(v.c.fields ? v.c.fields : "", 0, NULL);
	if (!json_is_object(k->fields)) {
		json_decref(k->fields);
		k->fields = json_object();
	}
	free(k->actions);
	for (size_t i = 0; i < k->nacts; i++)
		free(k->acts[i]);
	free(k->acts);
	k->actions = ks_strdup("");
	k->acts = ks_calloc(nacts ? nacts : 1, sizeof *k->acts);
	k->nacts = nacts;
	for (size_t i = 0; i < nacts; i++) {
		char *vis = text_visible(acts[i]->label, false);
		char num[8] = "";
		if (i < CASE_PICKS)
			snprintf(num, sizeof num, "%zu ", i + 1);
		char *a = ks_asprintf("%s%s%s%s", k->actions, i ? "  " : "", num, vis);
		free(vis);
		free(k->actions);
		k->actions = a;
		k->acts[i] = ks_strdup(acts[i]->code);
	}
	free(acts);
	case_read_editors(k, s);
	k->layout_cols = 0;   /* rebuild the lines at the next draw */
	return KS_OK;
}

static void case_close(void *data)
{
	case_scr *k = data;
	case_lines_free(k);
	case_view_free(&k->v);
	store_copies_free(k->copies, k->ncopies);
	store_penalties_free(k->pens, k->npens);
	json_decref(k->fields);
	free(k->actions);
	for (size_t i = 0; i < k->nacts; i++)
		free(k->acts[i]);
	free(k->acts);
	free(k->pending);
	free(k->editors);
	if (k->pending_form)
		case_act_done(k->pending_form);
	free(k->no);
	free(k);
}

static ks_status case_open(tui *t, const void *arg, void **data, ks_err *err)
{
	case_scr *k = ks_calloc(1, sizeof *k);
	k->no = ks_strdup(arg ? arg : "");
	k->list.sel = -1;
	ks_status rc = case_refresh(t, k, err);
	if (rc) {
		case_close(k);
		return rc;
	}
	*data = k;
	return KS_OK;
}

static void case_draw(tui *t, void *data)
{
	case_scr *k = data;
	int rows = case_rows(), cols = COLS;
	if (k->layout_cols != cols)
		case_layout(k, t, cols);
	tui_list_clamp(&k->list, rows);
	for (int i = 0; i < rows && (size_t)(k->list.top + i) < k->nlines; i++) {
		const case_line *l = &k->lines[k->list.top + i];
		if (l->label)
			tui_put(1 + i, l->label_x, l->label_w, l->label, A_NORMAL);
		tui_put(1 + i, l->indent, cols - l->indent, l->text, l->attrs);
	}
	char *acts = ks_asprintf("可执行的动作：%s", *k->actions ? k->actions : "（无）");
	tui_put(LINES - 2, 0, cols, acts, A_NORMAL);
	free(acts);
	char *no = text_visible(k->no, false);
	if (k->nlines > (size_t)rows)
		snprintf(k->title, sizeof k->title, "案件 %.40s [%d-%d/%zu]", no, k->list.top + 1,
		         k->list.top + rows < (int)k->nlines ? k->list.top + rows : (int)k->nlines,
		         k->nlines);
	else
		snprintf(k->title, sizeof k->title, "案件 %.40s", no);
	free(no);
}

static const char *case_title(void *data)
{
	return ((case_scr *)data)->title;
}

/* ---- taking an action -------------------------------------------------- */

/* After an action went through: re-read everything, say what happened. */
static void case_done_message(tui *t, case_scr *k, const conf_action *a)
{
	if (tui_refresh_all(t))
		tui_message(t, "已执行「%s」：案件 %s 现为「%s」", a->label, k->no,
		            case_state_label(tui_session(t), k->v.c.state));
}

/* An action being filled in on a form: which, on what, as of which version. */
typedef struct case_act {
	case_scr *k;               /* the case screen under the form */
	const conf_action *a;
	int version;               /* the version the case screen showed */
	session *s;
	bool locked;               /* an edit lock was taken: release it when done */
} case_act;

/* The form closed (saved, given up, or the program ending): release the
 * edit lock. A failure leaves the lock to expire on its own. */
static void case_act_done(void *ctx)
{
	case_act *x = ctx;
	if (x->locked) {
		ks_err err = { "" };
		editlock_release(x->s, x->k->no, &err);
	}
	free(x);
}

static void case_open_form(tui *t, case_act *x)
{
	const conf_form *f = conf_find_form(tui_session(t)->cf, x->a->form);
	char *title = ks_asprintf("%s %s", x->k->no, x->a->label);
	tui_form_spec spec = {
		.form = f, .title = title, .save = case_act_save, .reload = case_act_reload,
		.done = case_act_done, .ctx = x,
	};
	tui_form_open(t, &spec);
	free(title);
}

/* The answer to "案件 … 正在由 X 编辑…仍要填写？" */
static tui_next case_lock_answer(tui *t, void *data, bool yes)
{
	case_scr *k = data;
	case_act *x = k->pending_form;
	k->pending_form = NULL;
	if (!x)
		return TUI_DRAW;
	if (!yes) {
		tui_message(t, "没有填写「%s」", x->a->label);
		case_act_done(x);
		tui_refresh_all(t);
		return TUI_DRAW;
	}
	case_open_form(t, x);
	return TUI_DRAW;
}

static ks_status case_act_save(tui *t, void *ctx, const form_kv *kv, size_t n, ks_err *err)
{
	case_act *x = ctx;
	ks_status rc = case_do(tui_session(t), x->k->no, x->a->code, kv, n, x->version, err);
	if (!rc)
		case_done_message(t, x->k, x->a);
	return rc;
}

/* After a conflict: re-read the case; the next save expects its new version. */
static ks_status case_act_reload(tui *t, void *ctx, ks_err *err)
{
	case_act *x = ctx;
	ks_status rc = case_refresh(t, x->k, err);
	if (!rc)
		x->version = x->k->v.c.version;
	return rc;
}

static tui_next case_confirm(tui *t, void *data, bool yes)
{
	case_scr *k = data;
	const conf_action *a = k->pending ? conf_find_action(tui_session(t)->cf, k->pending) : NULL;
	if (!a)
		return TUI_DRAW;
	if (!yes) {
		tui_message(t, "没有执行「%s」", a->label);
		return TUI_DRAW;
	}
	ks_err err = { "" };
	ks_status rc = case_do(tui_session(t), k->no, a->code, NULL, 0, k->pending_version, &err);
	if (!rc) {
		case_done_message(t, k, a);
	} else if (rc == KS_CONFLICT) {
		/* nothing was typed: show the case as it is now */
		tui_refresh_all(t);
		tui_error(t, "%s；已重新读取", err.msg);
	} else {
		tui_error(t, "%s", err.msg);
	}
	return TUI_DRAW;
}

/* Take the n-th (1-based) action listed. */
static void case_pick(tui *t, case_scr *k, int n)
{
	session *s = tui_session(t);
	if (k->nacts == 0) {
		tui_error(t, "%s 现在不能对案件 %s 执行任何动作", s->me->name, k->no);
		return;
	}
	if (n < 1 || (size_t)n > k->nacts) {
		tui_error(t, "没有第 %d 个动作（可选 1-%zu）", n, k->nacts < CASE_PICKS ? k->nacts : CASE_PICKS);
		return;
	}
	const conf_action *a = conf_find_action(s->cf, k->acts[n - 1]);
	if (!a)
		return;
	const conf_form *f = a->form ? conf_find_form(s->cf, a->form) : NULL;
	if (f) {
		case_act *x = ks_calloc(1, sizeof *x);
		*x = (case_act){ .k = k, .a = a, .version = k->v.c.version, .s = s };
		/* the advisory lock: name whoever else is filling in a form here */
		editlock_holder *others = NULL;
		size_t nothers = 0;
		ks_err err = { "" };
		if (editlock_take(s, k->no, a->code, &others, &nothers, &err) == KS_OK) {
			x->locked = true;
			char *who = case_editors_text(s, others, nothers);
			editlock_holders_free(others, nothers);
			if (*who) {
				if (k->pending_form)
					case_act_done(k->pending_form);
				k->pending_form = x;
				char *q = ks_asprintf("%s。仍要填写「%s」？(y/n)", who, a->label);
				tui_ask(t, q, case_lock_answer, k);
				free(q);
				free(who);
				return;
			}
			free(who);
		}
		case_open_form(t, x);
		return;
	}
	free(k->pending);
	k->pending = ks_strdup(a->code);
	k->pending_version = k->v.c.version;
	char *q = ks_asprintf("确认执行「%s」？(y/n)", a->label);
	tui_ask(t, q, case_confirm, k);
	free(q);
}

static tui_next case_key(tui *t, void *data, tui_request req)
{
	case_scr *k = data;
	if (tui_list_move(&k->list, req, case_rows()))
		return TUI_DRAW;
	if (req == REQ_PICK) {
		case_pick(t, k, tui_pick(t));
		return TUI_DRAW;
	}
	return TUI_PASS;
}

const tui_screen tui_case_screen = {
	.name = "case",
	.hints = case_hints,
	.open = case_open,
	.draw = case_draw,
	.title = case_title,
	.key = case_key,
	.refresh = case_refresh,
	.close = case_close,
};
