/* print.c — `kesu print CASE [--form F] [--copy N [--round R]] [--reply] [--format text|pdf] [-o FILE]`
 * and `kesu copies [--dept D]`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/copies.h"
#include "kesu/penalty.h"
#include "kesu/print.h"
#include "kesu/text.h"

static const char PRINT_USAGE[] =
	"用法：kesu print CASE [--form F] [--copy N [--round R]] [--reply] [--format text|pdf] [-o FILE]";

static bool parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* Write text to path, or stdout when path is NULL. */
static int emit(const char *path, const char *text)
{
	if (!path) {
		fputs(text, stdout);
		return 0;
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		char *m = ks_asprintf("无法写入 %s：%s", path, strerror(errno));
		int rc = cli_fail(KS_FAIL, m);
		free(m);
		return rc;
	}
	bool ok = fputs(text, f) >= 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok) {
		char *m = ks_asprintf("写入 %s 失败：%s", path, strerror(errno));
		int rc = cli_fail(KS_FAIL, m);
		free(m);
		return rc;
	}
	return 0;
}

/* The copy numbers of form round r of v, as "1 质量管理部、2 制造部…" (caller frees). */
static char *copy_list(const store_copy *v, size_t n, const char *form, int r)
{
	char *out = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].form, form) || v[i].round != r)
			continue;
		char *t = ks_asprintf("%s%s%d %s", out, *out ? "、" : "", v[i].copy_no, v[i].holder_name);
		free(out);
		out = t;
	}
	return out;
}

/* Lay out copy `copy` of round `round` (0: the latest) of form f. */
static ks_status print_copy_text(const conf *cf, const store_copy *v, size_t n, const conf_form *f,
                                 const char *case_no, int copy, int round, char **text, int *round_out, ks_err *err)
{
	int last = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].form, f->code) && v[i].round > last)
			last = v[i].round;
	if (!last)
		return ks_errf(err, KS_NOTFOUND, "案件 %s 的%s尚未发出联单", case_no, f->title);
	if (round > last)
		return ks_errf(err, KS_NOTFOUND, "案件 %s 的%s只发出过 %d 次联单", case_no, f->title, last);
	int r = round ? round : last;
	const store_copy *p = NULL;
	int total = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].form, f->code) && v[i].round == r) {
			total++;
			if (v[i].copy_no == copy)
				p = &v[i];
		}
	if (!p) {
		char *l = copy_list(v, n, f->code, r);
		ks_status rc = ks_errf(err, KS_NOTFOUND, "案件 %s 第 %d 次发出的%s没有第 %d 联（有：%s）", case_no, r,
		                       f->title, copy, l);
		free(l);
		return rc;
	}
	json_t *snap = json_loads(p->snapshot, 0, NULL);
	if (!json_is_object(snap)) {
		json_decref(snap);
		return ks_errf(err, KS_FAIL, "案件 %s 第 %d 联的快照已损坏", case_no, copy);
	}
	if (p->entry_id) /* a 奖罚通知单 migrated from schema 006 has only its facts */
		penalty_notice_complete(cf, snap, p->issued_at);
	const json_t *iss = json_object_get(snap, "issued");
	print_copy pc = {
		.no = p->copy_no, .total = total, .round = p->round, .holder = p->holder_name,
		.purpose = p->purpose, .issued_at = json_string_value(json_object_get(iss, "at")),
		.issued_by = json_string_value(json_object_get(iss, "by_name")),
	};
	print_opts o = { .copy = &pc };
	*text = print_form(snap, &o);
	*round_out = r;
	json_decref(snap);
	return KS_OK;
}

int cmd_print(cli *c)
{
	const char *no = NULL, *path = NULL, *format = "text", *form = NULL;
	int copy = 0, round = 0;
	bool reply = false;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--copy") && has) {
			if (!parse_int(c->argv[++i], 1, 99, &copy))
				return cli_fail(KS_INVALID, "--copy 需要联号（1 到 99 的整数）");
		} else if (!strcmp(a, "--round") && has) {
			if (!parse_int(c->argv[++i], 1, 1000000, &round))
				return cli_fail(KS_INVALID, "--round 需要正整数（第几次发出的联单）");
		} else if (!strcmp(a, "--form") && has)
			form = c->argv[++i];
		else if (!strcmp(a, "--reply"))
			reply = true;
		else if (!strcmp(a, "--format") && has)
			format = c->argv[++i];
		else if (!strcmp(a, "-o") && has)
			path = c->argv[++i];
		else if (a[0] != '-' && !no)
			no = a;
		else
			return cli_fail(KS_INVALID, PRINT_USAGE);
	}
	if (!no)
		return cli_fail(KS_INVALID, PRINT_USAGE);
	if (!strcmp(format, "pdf"))
		return cli_fail(KS_INVALID, "PDF 输出尚未实现");
	if (strcmp(format, "text"))
		return cli_fail(KS_INVALID, "--format 只能是 text 或 pdf");
	if (reply && (copy || round))
		return cli_fail(KS_INVALID, "--reply 是给客户的信函，不能与 --copy、--round 同用（处理表不交给客户）");
	if (round && !copy)
		return cli_fail(KS_INVALID, "--round 须与 --copy 同用");
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	case_view v;
	ks_status st = case_load(s, no, &v, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	store_copy *cp = NULL;
	size_t ncp = 0;
	char *text = NULL;
	const char *kind = "draft";
	int r = 0;
	const conf *cf = s->cf;
	if ((st = store_copies(s->st, v.c.id, &cp, &ncp, &err)))
		goto done;
	const conf_form *f = copies_print_form(cf, cp, ncp);
	if (form) {
		const conf_form *nf = penconf_notice_form(cf, cf->penalty);
		f = nf && !strcmp(nf->code, form) ? nf : conf_find_form(cf, form);
		if (!f) {
			st = ks_errf(&err, KS_INVALID, "--form：没有表单 %s", form);
			goto done;
		}
		if (!copy && !reply && f == nf) {
			st = ks_errf(&err, KS_INVALID, "%s只能按联打印：kesu print %s --form %s --copy N [--round R]",
			             f->title, v.c.no, f->code);
			goto done;
		}
	}
	if (!f && !reply) {
		st = ks_errf(&err, KS_NOTFOUND, "配置中没有可打印的表单");
		goto done;
	}
	if (reply) {
		kind = "reply";
		json_t *letter = NULL;
		if ((st = print_reply_data(cf, &v.c, v.events, v.nevents, &letter, &err)))
			goto done;
		struct tm tm;
		clock_local(clock_now(), &tm);
		char date[40];
		snprintf(date, sizeof date, "%04d年%02d月%02d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		text = print_reply(letter, case_dept_name(s, s->me->dept), date, PRINT_WIDTH);
		json_decref(letter);
	} else if (copy) {
		kind = "copy";
		if ((st = print_copy_text(cf, cp, ncp, f, v.c.no, copy, round, &text, &r, &err)))
			goto done;
	} else {
		/* the case's current data; a draft unless it is exactly what was last issued */
		const store_copy *latest = NULL;
		int rounds = 0;
		for (size_t i = 0; i < ncp; i++)
			if (!strcmp(cp[i].form, f->code)) {
				if (!latest || cp[i].id > latest->id)
					latest = &cp[i];
				if (cp[i].round > rounds)
					rounds = cp[i].round;
			}
		bool issued = latest && v.nevents && latest->event_id == v.events[v.nevents - 1].id;
		const conf_state *cs = conf_find_state(cf, v.c.state);
		char *note = NULL;
		if (issued)
			note = ks_asprintf("本表即第 %d 次发出的联单内容；打印某一联：kesu print %s --copy N", rounds, v.c.no);
		else if (rounds)
			note = ks_asprintf("此前已发出 %d 次联单；打印：kesu print %s --copy N [--round R]", rounds, v.c.no);
		json_t *snap = copies_snapshot(cf, f, &v.c, v.events, v.nevents);
		print_opts o = { .mark = issued ? NULL : cs && cs->final ? "草稿 · 未发联" : "草稿 · 未结案",
		                 .note = note };
		text = print_form(snap, &o);
		json_decref(snap);
		free(note);
	}
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "case", v.c.no, "kind", kind, "text", text);
		if (copy) {
			json_object_set_new(o, "copy", json_integer(copy));
			json_object_set_new(o, "round", json_integer(r));
		}
		char *j = json_dumps(o, JSON_INDENT(2));
		json_decref(o);
		free(text);
		text = ks_asprintf("%s\n", j);
		free(j);
	}
	rc = emit(path, text);
done:
	if (st)
		rc = cli_fail(st, err.msg);
	free(text);
	store_copies_free(cp, ncp);
	case_view_free(&v);
	session_close(s);
	return rc;
}

static void copy_clear(store_copy *p)
{
	free(p->form); free(p->holder); free(p->holder_name); free(p->purpose);
	free(p->issued_by); free(p->snapshot); free(p->case_no); free(p->holder_kind);
	memset(p, 0, sizeof *p);
}

/* Whether the person may see copy p in a holder's list: a copy of a case
 * they may see; a 奖罚通知单 also when they hold it (themselves or their
 * department) or see everybody's penalties. */
static bool copy_visible(session *s, const store_copy *p)
{
	if (p->entry_id) {
		bool person = !strcmp(p->holder_kind, "person");
		if ((person && !strcmp(p->holder, s->me->login)) || (!person && !strcmp(p->holder, s->me->dept)) ||
		    penalty_sees_all(s))
			return true;
	}
	store_case kc = {0};
	bool see = store_case_get(s->st, p->case_no, &kc, NULL) == KS_OK && case_visible(s, &kc);
	store_case_clear(&kc);
	return see;
}

int cmd_copies(cli *c)
{
	const char *holder = NULL;
	for (int i = 0; i < c->argc; i++) {
		if ((!strcmp(c->argv[i], "--dept") || !strcmp(c->argv[i], "--holder")) && i + 1 < c->argc)
			holder = c->argv[++i];
		else
			return cli_fail(KS_INVALID, "用法：kesu copies [--holder 部门代码或登录名]");
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	/* a department's copies, or a person's own (奖罚通知单 held by self);
	 * nothing given: the person's department and the person */
	const char *dept = NULL, *person = NULL;
	if (!holder) {
		dept = s->me->dept;
		person = s->me->login;
	} else if (conf_find_dept(s->cf, holder))
		dept = holder;
	else if (conf_find_staff(s->cf, holder))
		person = holder;
	else {
		session_close(s);
		return cli_fail(KS_INVALID, "--holder：没有这个部门代码或登录名");
	}
	if (holder && person && strcmp(person, s->me->login) && !penalty_sees_all(s)) {
		session_close(s);
		return cli_fail(KS_DENIED, "只能列出本人持有的联单");
	}
	ks_err err;
	store_copy *v = NULL, *w = NULL;
	size_t n = 0, nw = 0;
	ks_status st = dept ? store_copies_held_by(s->st, "dept", dept, &v, &n, &err) : KS_OK;
	if (!st && person)
		st = store_copies_held_by(s->st, "person", person, &w, &nw, &err);
	if (st) {
		store_copies_free(v, n);
		session_close(s);
		return cli_fail(st, err.msg);
	}
	if (nw) {
		v = ks_realloc(v, (n + nw) * sizeof *v);
		memcpy(v + n, w, nw * sizeof *w);
		n += nw;
		free(w);
	}
	/* only copies the person may see: others "do not exist" */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!copy_visible(s, &v[i])) {
			copy_clear(&v[i]);
			continue;
		}
		if (k != i) {
			v[k] = v[i];
			memset(&v[i], 0, sizeof v[i]);
		}
		k++;
	}
	json_t *arr = c->json ? json_array() : NULL;
	if (!arr)
		printf("%s%s%s 持有的联单：%zu 份\n", dept ? case_dept_name(s, dept) : "", dept && person ? "、" : "",
		       person ? case_staff_name(s, person) : "", k);
	for (size_t i = 0; i < k; i++) {
		const store_copy *p = &v[i];
		const conf_form *f = conf_find_form(s->cf, p->form);
		char when[40];
		if (arr) {
			clock_iso(p->issued_at, when, sizeof when);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
			                                     "case", p->case_no, "form", p->form, "title",
			                                     f ? f->title : p->form, "round", p->round, "copy",
			                                     p->copy_no, "holder", p->holder, "holder_name",
			                                     p->holder_name, "purpose", p->purpose, "issued", when,
			                                     "issued_by", p->issued_by, "holder_kind", p->holder_kind,
			                                     "entry", p->entry_id ? json_integer(p->entry_id) : json_null()));
			continue;
		}
		clock_short(p->issued_at, when, sizeof when);
		char *cols[3] = { text_visible(f ? f->title : p->form, false), text_visible(p->purpose, false),
		                  text_visible(case_staff_name(s, p->issued_by), false) };
		char *no = text_visible(p->case_no, false);
		char *title = text_fit(cols[0], 16), *purpose = text_fit(cols[1], 12);
		printf("  %-10s %s 第 %2d 联  第 %d 次  %s %s  %s\n", no, title, p->copy_no, p->round, purpose, when,
		       cols[2]);
		free(title); free(purpose); free(no);
		for (int k = 0; k < 3; k++)
			free(cols[k]);
	}
	if (arr) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	store_copies_free(v, n);
	session_close(s);
	return 0;
}
