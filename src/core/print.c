/* print.c — forms and letters laid out for paper. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/print.h"
#include "kesu/clock.h"
#include "kesu/form.h"
#include "kesu/text.h"

/* ---- a growing string ---- */

typedef struct sbuf {
	char *s;
	size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		b->s = ks_realloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, k + 1);
	b->n += k;
}

static char *sb_take(sbuf *b)
{
	if (!b->s)
		return ks_strdup("");
	return b->s;
}

/* ---- lines ---- */

typedef struct lines {
	char **v;
	size_t n, cap;
} lines;

static void lines_push(lines *l, char *s)
{
	if (l->n == l->cap)
		l->v = ks_realloc(l->v, (l->cap = l->cap ? l->cap * 2 : 8) * sizeof *l->v);
	l->v[l->n++] = s;
}

static void lines_free(lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Stored text made safe for paper: control characters visible, tabs as a
 * space, one line unless multiline. */
static char *clean(const char *s, bool multiline)
{
	char *v = text_visible(s ? s : "", multiline);
	for (char *p = v; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return v;
}

/* Break clean text s into lines of at most w columns at character
 * boundaries ('\n' starts a new line); an empty s is one empty line. */
static void wrap(lines *out, const char *s, int w)
{
	const char *p = s;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *seg = ks_strndup(p, len);
		const char *q = seg;
		if (!*q)
			lines_push(out, ks_strdup(""));
		while (*q) {
			size_t k = text_prefix(q, w, NULL);
			if (k == 0) {
				/* a character wider than the box: it gets a line of its own */
				size_t pos = 0;
				uint32_t cp;
				if (!text_utf8_next(q, strlen(q), &pos, &cp))
					pos = 1;
				k = pos;
			}
			lines_push(out, ks_strndup(q, k));
			q += k;
		}
		free(seg);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* ---- boxes ----
 * A line of the form is W columns: "│ " text " │" for a full-width row, or
 * "│ " label " │ " value " │" for a field (label LW, value VW columns).
 * Rules put a junction where a column line meets them from above (up) or
 * below (down). */

static void rule(sbuf *b, const char *left, const char *right, int W, const int *up, size_t nup,
                 const int *down, size_t ndown)
{
	sb_add(b, left);
	for (int x = 1; x < W - 1; x++) {
		bool u = false, d = false;
		for (size_t i = 0; i < nup; i++)
			u |= up[i] == x;
		for (size_t i = 0; i < ndown; i++)
			d |= down[i] == x;
		sb_add(b, u && d ? "┼" : u ? "┴" : d ? "┬" : "─");
	}
	sb_add(b, right);
	sb_add(b, "\n");
}

static void cell(sbuf *b, const char *s, int w)
{
	char *f = text_fit(s, w);
	sb_add(b, f);
	free(f);
}

/* One full-width row per wrapped line of clean text s. */
static void row_full(sbuf *b, const char *s, int W)
{
	lines l = {0};
	wrap(&l, s, W - 4);
	for (size_t i = 0; i < l.n; i++) {
		sb_add(b, "│ ");
		cell(b, l.v[i], W - 4);
		sb_add(b, " │\n");
	}
	lines_free(&l);
}

static void row_centered(sbuf *b, const char *s, int W)
{
	int tw = text_width(s);
	if (tw >= W - 4) {
		row_full(b, s, W);
		return;
	}
	char *t = ks_asprintf("%*s%s", (W - 4 - tw) / 2, "", s);
	row_full(b, t, W);
	free(t);
}

static void row_pair(sbuf *b, const char *label, const char *value, int LW, int VW)
{
	lines l = {0}, v = {0};
	wrap(&l, label, LW);
	wrap(&v, value, VW);
	size_t n = l.n > v.n ? l.n : v.n;
	for (size_t i = 0; i < n; i++) {
		sb_add(b, "│ ");
		cell(b, i < l.n ? l.v[i] : "", LW);
		sb_add(b, " │ ");
		cell(b, i < v.n ? v.v[i] : "", VW);
		sb_add(b, " │\n");
	}
	lines_free(&l);
	lines_free(&v);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int clamp_width(int w)
{
	if (w <= 0)
		w = PRINT_WIDTH;
	if (w < PRINT_MIN_WIDTH)
		w = PRINT_MIN_WIDTH;
	if (w > PRINT_MAX_WIDTH)
		w = PRINT_MAX_WIDTH;
	return w;
}

/* ---- the document: what a printed form says, renderer-neutral ---- */

static void add_line(json_t *arr, char *s)
{
	json_array_append_new(arr, json_string(s));
	free(s);
}

json_t *print_form_doc(const json_t *snap, const print_opts *o)
{
	static const print_opts none = {0};
	if (!o)
		o = &none;
	char *title = clean(jstr(snap, "title"), false);
	char *no = clean(jstr(snap, "case"), false);
	char *mark = o->mark ? clean(o->mark, false) : NULL;
	char *t;
	if (o->copy)
		t = ks_asprintf("%s（第 %d 联）", title, o->copy->no);
	else if (mark)
		t = ks_asprintf("%s（%s）", title, mark);
	else
		t = ks_strdup(title);
	json_t *doc = json_pack("{s:s, s:s, s:s}", "kind", "form", "title", t, "case", no);
	if (!doc)
		abort();
	free(t);

	json_t *header = json_array();
	char *reg = clean(jstr(snap, "registered"), false);
	char *dept = clean(jstr(snap, "dept_name"), false), *state = clean(jstr(snap, "state_label"), false);
	/* a form about the case (not, e.g., a 奖罚通知单 about a person) has the case's header */
	bool about_case = json_object_get(snap, "version") != NULL;
	if (about_case) {
		add_line(header, ks_asprintf("案件编号：%s    登记时间：%s", no, reg));
		add_line(header, ks_asprintf("承办部门：%s    案件状态：%s    第 %d 版", *dept ? dept : "—", state,
		                             (int)json_integer_value(json_object_get(snap, "version"))));
	} else {
		add_line(header, ks_asprintf("案件编号：%s", no));
	}
	free(reg); free(dept); free(state);
	json_object_set_new(doc, "header", header);

	/* the fields, grouped as the form orders them */
	json_t *groups = json_array(), *cur = NULL;
	const char *group = NULL;
	const json_t *items = json_object_get(snap, "items");
	size_t i;
	const json_t *it;
	json_array_foreach(items, i, it) {
		const char *g = jstr(it, "group");
		if (!group || strcmp(group, g)) {
			char *gl = clean(*g ? g : "其他", false);
			cur = json_array();
			json_array_append_new(groups, json_pack("{s:s, s:o}", "title", gl, "items", cur));
			free(gl);
			group = g;
		}
		char *l = clean(jstr(it, "label"), false), *v = clean(jstr(it, "text"), true);
		json_array_append_new(cur, json_pack("{s:s, s:s}", "label", l, "text", v));
		free(l);
		free(v);
	}
	json_object_set_new(doc, "groups", groups);

	/* the footer: which paper this is */
	json_t *footer = json_array();
	char *folio;
	if (o->copy) {
		const print_copy *c = o->copy;
		char *h = clean(c->holder, false), *p = clean(c->purpose, false);
		char *at = clean(c->issued_at, false), *by = clean(c->issued_by, false);
		add_line(footer, ks_asprintf("第 %d 联（共 %d 联）    持有部门：%s    用途：%s", c->no, c->total, h, p));
		add_line(footer, ks_asprintf("第 %d 次发出：%s    发出人：%s", c->round, at, by));
		folio = ks_asprintf("%s %s · 第 %d 联（共 %d 联） %s · 第 %d 次发出", title, no, c->no, c->total, h,
		                    c->round);
		free(h); free(p); free(at); free(by);
	} else if (mark) {
		add_line(footer, ks_asprintf("【%s】本表为案件的当前资料，不是已发出的联单，不作凭证。", mark));
		folio = ks_asprintf("%s %s · %s", title, no, mark);
	} else
		folio = ks_asprintf("%s %s", title, no);
	if (o->note)
		add_line(footer, clean(o->note, true));
	json_object_set_new(doc, "footer", footer);
	json_object_set_new(doc, "folio", json_string(folio));
	free(folio);
	free(mark);
	free(title);
	free(no);

	json_t *sig = json_array();
	const json_t *ss = json_object_get(snap, "signatures");
	for (i = 0; i < json_array_size(ss) && i < PRINT_MAX_SIGNATURES; i++)
		add_line(sig, clean(json_string_value(json_array_get(ss, i)), false));
	json_object_set_new(doc, "signatures", sig);
	return doc;
}

/* ---- the form as text ---- */

static char *form_text(const json_t *doc, int width)
{
	const int W = clamp_width(width);
	sbuf b = {0};
	const json_t *groups = json_object_get(doc, "groups");
	size_t gi, ii;
	const json_t *g, *it;

	/* the label column: as wide as the widest label, within limits */
	int LW = 8;
	json_array_foreach(groups, gi, g)
		json_array_foreach(json_object_get(g, "items"), ii, it) {
			int w = text_width(jstr(it, "label"));
			if (w > LW)
				LW = w;
		}
	if (LW > 16)
		LW = 16;
	if (LW > (W - 7) / 3)
		LW = (W - 7) / 3;
	const int VW = W - 7 - LW;
	const int split = LW + 3;   /* the column line between label and value */

	/* title and header */
	rule(&b, "┌", "┐", W, NULL, 0, NULL, 0);
	row_centered(&b, jstr(doc, "title"), W);
	json_array_foreach(json_object_get(doc, "header"), ii, it)
		row_full(&b, json_string_value(it), W);

	/* the fields, grouped */
	bool cols = false;              /* the line above has the label/value split */
	json_array_foreach(groups, gi, g) {
		rule(&b, "├", "┤", W, &split, cols, NULL, 0);
		char *gh = ks_asprintf("【%s】", jstr(g, "title"));
		row_full(&b, gh, W);
		free(gh);
		json_array_foreach(json_object_get(g, "items"), ii, it) {
			if (ii == 0)
				rule(&b, "├", "┤", W, NULL, 0, &split, 1);
			else
				rule(&b, "├", "┤", W, &split, 1, &split, 1);
			row_pair(&b, jstr(it, "label"), jstr(it, "text"), LW, VW);
			cols = true;
		}
	}

	/* footer */
	rule(&b, "├", "┤", W, &split, cols, NULL, 0);
	json_array_foreach(json_object_get(doc, "footer"), ii, it)
		row_full(&b, json_string_value(it), W);

	/* signatures */
	const json_t *sig = json_object_get(doc, "signatures");
	size_t ns = json_array_size(sig);
	if (ns > PRINT_MAX_SIGNATURES)
		ns = PRINT_MAX_SIGNATURES;
	if (ns == 0) {
		rule(&b, "└", "┘", W, NULL, 0, NULL, 0);
		return sb_take(&b);
	}
	int cw[PRINT_MAX_SIGNATURES], pos[PRINT_MAX_SIGNATURES];
	int inner = W - 1 - (int)ns;    /* columns inside the cells */
	int x = 1;
	for (size_t i = 0; i < ns; i++) {
		cw[i] = inner / (int)ns + (i + 1 == ns ? inner % (int)ns : 0);
		x += cw[i];
		pos[i] = x++;               /* the line after cell i */
	}
	rule(&b, "├", "┤", W, NULL, 0, pos, ns - 1);
	for (int r = 0; r < 3; r++) {
		sb_add(&b, "│");
		for (size_t i = 0; i < ns; i++) {
			const char *s = json_string_value(json_array_get(sig, i));
			char *c = r == 0 ? ks_asprintf("%s：", s ? s : "") : r == 2 ? ks_strdup("日期：") : ks_strdup("");
			sb_add(&b, " ");
			cell(&b, c, cw[i] - 2);
			sb_add(&b, " │");
			free(c);
		}
		sb_add(&b, "\n");
	}
	rule(&b, "└", "┘", W, pos, ns - 1, NULL, 0);
	return sb_take(&b);
}

char *print_form(const json_t *snap, const print_opts *o)
{
	json_t *doc = print_form_doc(snap, o);
	char *t = form_text(doc, o ? o->width : 0);
	json_decref(doc);
	return t;
}

/* ---- the letter to the customer ---- */

static bool is_final(const conf *cf, const char *state)
{
	const conf_state *s = state ? conf_find_state(cf, state) : NULL;
	return s && s->final;
}

static json_t *load_obj(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

/* Put (or replace) the item for field fd with value v. */
static void letter_item(const conf *cf, json_t *items, const conf_field *fd, const json_t *v)
{
	char *text = form_value_text(cf, fd, v);
	if (fd->type == FT_MONEY && json_is_integer(v)) {
		char *t = ks_asprintf("%s 元", text);
		free(text);
		text = t;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (!strcmp(jstr(it, "key"), fd->key)) {
			json_array_remove(items, i);
			break;
		}
	if (*text)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "key", fd->key, "label", fd->label,
		                                       "text", text));
	free(text);
}

ks_status print_reply_data(const conf *cf, const store_case *c, const store_event *ev, size_t nev,
                           json_t **out, ks_err *err)
{
	*out = NULL;
	bool any = false;
	for (size_t i = 0; i < cf->nactions; i++)
		any |= cf->actions[i].approval_amount != NULL;
	if (!any)
		return ks_errf(err, KS_INVALID, "流程中没有核决动作（带 approval_amount 的动作），无法生成答复客户的信函");
	size_t ai = nev;
	for (size_t i = 0; i < nev; i++) {
		const conf_action *a = conf_find_action(cf, ev[i].action);
		if (a && a->approval_amount)
			ai = i;
	}
	if (ai == nev)
		return ks_errf(err, KS_INVALID, "案件 %s 尚未核决，还没有可以答复客户的处理结果", c->no);
	const char *approved = ev[ai].to_state;
	for (size_t i = ai + 1; i < nev; i++)
		if (strcmp(ev[i].to_state, approved) && !is_final(cf, ev[i].to_state)) {
			const conf_action *a = conf_find_action(cf, ev[i].action);
			return ks_errf(err, KS_INVALID, "案件 %s 核决后又经「%s」，须重新核决后才能答复客户", c->no,
			               a ? a->label : ev[i].action);
		}
	json_t *items = json_array();
	for (size_t i = ai; i < nev; i++) {
		const conf_action *a = conf_find_action(cf, ev[i].action);
		const conf_form *f = a && a->form ? conf_find_form(cf, a->form) : NULL;
		/* after the approval: only actions that keep the case where it led */
		if (!f || (i > ai && (!ev[i].from_state || strcmp(ev[i].from_state, ev[i].to_state))))
			continue;
		json_t *fields = load_obj(ev[i].fields);
		for (size_t k = 0; k < f->nfields; k++) {
			const conf_field *fd = &f->fields[k];
			const json_t *v = json_object_get(fields, fd->key);
			if (!v)
				continue;
			bool take = i == ai ? fd->type != FT_STAFF && fd->type != FT_DEPT
			                    : fd->type == FT_TEXT || fd->type == FT_LONGTEXT;
			if (take)
				letter_item(cf, items, fd, v);
		}
		json_decref(fields);
	}
	json_t *fields = load_obj(c->fields);
	const char *customer = c->customer;
	if (!customer && cf->customer_field)
		customer = json_string_value(json_object_get(fields, cf->customer_field));
	const char *subject = c->subject;
	if (!subject && cf->subject_field)
		subject = json_string_value(json_object_get(fields, cf->subject_field));
	struct tm tm;
	clock_local(c->created_at, &tm);
	char reg[40];
	snprintf(reg, sizeof reg, "%04d年%02d月%02d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*out = json_pack("{s:s, s:s?, s:s?, s:s, s:o}", "case", c->no, "customer", customer, "subject", subject,
	                 "registered", reg, "items", items);
	json_decref(fields);
	if (!*out)
		abort();
	return KS_OK;
}

/* Paragraph s (clean) wrapped to w columns, each line after indent. */
static void para(sbuf *b, const char *indent, const char *s, int w)
{
	lines l = {0};
	wrap(&l, s, w - text_width(indent));
	for (size_t i = 0; i < l.n; i++) {
		sb_add(b, indent);
		sb_add(b, l.v[i]);
		sb_add(b, "\n");
	}
	lines_free(&l);
}

/* A line of clean text s pushed to the right edge (wrapped if too wide). */
static void right(sbuf *b, const char *s, int w)
{
	int tw = text_width(s);
	if (tw >= w) {
		para(b, "", s, w);
		return;
	}
	char *t = ks_asprintf("%*s%s\n", w - tw, "", s);
	sb_add(b, t);
	free(t);
}

json_t *print_reply_doc(const json_t *letter, const char *from, const char *date)
{
	char *no = clean(jstr(letter, "case"), false);
	char *cust = clean(jstr(letter, "customer"), false);
	char *subj = clean(jstr(letter, "subject"), false);
	char *reg = clean(jstr(letter, "registered"), false);
	char *f = clean(from, false), *d = clean(date, false);
	char *title = *subj ? ks_asprintf("关于「%s」的答复", subj) : ks_asprintf("关于案件 %s 的答复", no);
	char *sal = ks_asprintf("%s：", *cust ? cust : "尊敬的客户");
	char *open = ks_asprintf("贵方于 %s 反映的%s%s%s一事（案件编号 %s），经我方调查处理，现答复如下：", reg,
	                         *subj ? "「" : "", *subj ? subj : "问题", *subj ? "」" : "", no);
	char *close = ks_asprintf("如有疑问，请与我方联系，并告知案件编号 %s。", no);
	json_t *items = json_array();
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(letter, "items"), i, it) {
		char *l = clean(jstr(it, "label"), false), *v = clean(jstr(it, "text"), true);
		json_array_append_new(items, json_pack("{s:s, s:s}", "label", l, "text", v));
		free(l);
		free(v);
	}
	char *folio = ks_asprintf("%s · 案件编号 %s", title, no);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s}", "kind", "letter", "case", no,
	                        "title", title, "salutation", sal, "opening", open, "items", items, "closing", close,
	                        "from", f, "date", d, "folio", folio);
	if (!doc)
		abort();
	free(folio);
	free(title); free(sal); free(open); free(close);
	free(f); free(d);
	free(no); free(cust); free(subj); free(reg);
	return doc;
}

static char *letter_text(const json_t *doc, int width)
{
	const int W = clamp_width(width);
	sbuf b = {0};
	const char *t = jstr(doc, "title");
	int tw = text_width(t);
	if (tw < W) {
		char *c = ks_asprintf("%*s%s", (W - tw) / 2, "", t);
		para(&b, "", c, W);
		free(c);
	} else
		para(&b, "", t, W);
	sb_add(&b, "\n");
	para(&b, "", jstr(doc, "salutation"), W);
	sb_add(&b, "\n");
	char *p = ks_asprintf("    %s", jstr(doc, "opening"));
	para(&b, "", p, W);
	free(p);
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(doc, "items"), i, it) {
		sb_add(&b, "\n");
		char *l = ks_asprintf("%s：", jstr(it, "label"));
		para(&b, "", l, W);
		para(&b, "    ", jstr(it, "text"), W);
		free(l);
	}
	sb_add(&b, "\n");
	p = ks_asprintf("    %s", jstr(doc, "closing"));
	para(&b, "", p, W);
	free(p);
	sb_add(&b, "\n");
	right(&b, jstr(doc, "from"), W);
	right(&b, jstr(doc, "date"), W);
	return sb_take(&b);
}

char *print_reply(const json_t *letter, const char *from, const char *date, int width)
{
	json_t *doc = print_reply_doc(letter, from, date);
	char *t = letter_text(doc, width);
	json_decref(doc);
	return t;
}

char *print_doc_text(const json_t *doc, int width)
{
	if (!strcmp(jstr(doc, "kind"), "letter"))
		return letter_text(doc, width);
	return form_text(doc, width);
}
