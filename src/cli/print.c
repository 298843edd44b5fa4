/* print.c — `kesu print CASE [--form F] [--copy N [--round R]] [--reply] [--reminder N [--copy K]]
 * [--format text|pdf] [-o FILE]` and `kesu copies [--holder D|LOGIN]`.
 *
 * Both formats lay out the same document (print.h). Text is laid out here;
 * a PDF by the helper program kesu-pdf (src/pdf/, found by cli_helper()),
 * which gets the document as JSON on a pipe and writes the PDF to a
 * temporary file: kesu itself never loads cairo or pango. -o FILE is
 * written under a temporary name beside FILE and linked into place, so a
 * failed print leaves nothing and an existing FILE is never replaced
 * (exit 2); -o - is standard output (a PDF only when it is not a terminal). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/copies.h"
#include "kesu/penalty.h"
#include "kesu/print.h"
#include "kesu/remform.h"
#include "kesu/text.h"

static const char PRINT_USAGE[] =
	"用法：kesu print CASE [--form F] [--copy N [--round R]] [--reply] [--reminder N [--copy K]] "
	"[--format text|pdf] [-o FILE]";

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

static int fail_errno(const char *what, const char *path, int e)
{
	char *m = e == EEXIST ? ks_asprintf("-o：%s 已存在，打印不会覆盖它", path)
	                      : ks_asprintf("%s %s：%s", what, path, strerror(e));
	int rc = cli_fail(e == EEXIST ? KS_INVALID : KS_FAIL, m);
	free(m);
	return rc;
}

/* A new, empty temporary file beside path (".NAME.XXXXXX" in its directory,
 * mode 0600: kesu runs with umask 077, and a printed case is as private as
 * the database); its name in *tmp (caller frees). -1 (errno set) on failure. */
static int out_temp(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path + 1) : 0;
	*tmp = ks_asprintf("%.*s.%s.XXXXXX", dl, path, path + dl);
	int fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return fd;
}

/* Make the temporary file tmp (open as fd) the file path: flushed to disk,
 * closed, linked as path (never replacing a file that is there), tmp removed.
 * Always closes fd, unlinks and frees tmp. 0, or the exit status after
 * printing the error. */
static int out_commit(int fd, char *tmp, const char *path)
{
	int e = 0;
	if (fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && link(tmp, path) != 0)
		e = errno;
	unlink(tmp);
	free(tmp);
	if (e)
		return fail_errno("无法写入", path, e);
	return 0;
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

/* Write text to path, or stdout when path is NULL or "-". */
static int emit(const char *path, const char *text)
{
	if (!path || !strcmp(path, "-")) {
		fputs(text, stdout);
		return 0;
	}
	char *tmp;
	int fd = out_temp(path, &tmp);
	if (fd < 0)
		return fail_errno("无法写入", path, errno);
	if (!write_all(fd, text, strlen(text))) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return fail_errno("写入失败", path, e);
	}
	return out_commit(fd, tmp, path);
}

/* Render doc as a PDF into the open file out with kesu-pdf: the document as
 * JSON on its standard input, its standard output the file, its error
 * message (one line) kept and reported. */
static ks_status pdf_render(const json_t *doc, int out, ks_err *err)
{
	extern char **environ;
	char *prog = cli_helper("kesu-pdf");
	if (!prog)
		return ks_errf(err, KS_FAIL, "找不到 PDF 排版程序 kesu-pdf（安装在 PREFIX/lib/kesu/，构建时在 kesu 旁边）");
	int pfd[2];
	FILE *ef = tmpfile();
	if (!ef || pipe2(pfd, O_CLOEXEC) != 0) {
		int e = errno;
		if (ef)
			fclose(ef);
		free(prog);
		return ks_errf(err, KS_FAIL, "无法启动 kesu-pdf：%s", strerror(e));
	}
	fcntl(fileno(ef), F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(ef), 2);
	char *argv[] = { "kesu-pdf", NULL };
	pid_t pid;
	int se = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (se) {
		close(pfd[1]);
		fclose(ef);
		ks_status st = ks_errf(err, KS_FAIL, "无法启动 %s：%s", prog, strerror(se));
		free(prog);
		return st;
	}
	free(prog);
	/* if kesu-pdf stops reading, say what it said rather than die of SIGPIPE */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	int wr = json_dumpfd(doc, pfd[1], JSON_COMPACT);
	close(pfd[1]);
	sigaction(SIGPIPE, &old, NULL);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	ks_status st = KS_OK;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char line[512] = "";
		rewind(ef);
		if (!fgets(line, sizeof line, ef))
			line[0] = '\0';
		line[strcspn(line, "\n")] = '\0';
		const char *m = line;
		if (!strncmp(m, "kesu-pdf: ", 10))
			m += 10;
		if (!*m)
			m = status != -1 && WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "kesu-pdf 异常退出";
		st = ks_errf(err, KS_FAIL, "PDF 排版失败：%s", m);
	} else if (wr != 0)
		st = ks_errf(err, KS_FAIL, "PDF 排版失败：无法把文档交给 kesu-pdf");
	fclose(ef);
	return st;
}

/* doc as a PDF to path ("-": standard output, through a temporary file so
 * that a failure writes nothing). 0 or the exit status after the error. */
static int emit_pdf(const json_t *doc, const char *path)
{
	ks_err err;
	ks_status st;
	if (!strcmp(path, "-")) {
		FILE *t = tmpfile();
		if (!t)
			return fail_errno("无法创建临时文件", "", errno);
		fcntl(fileno(t), F_SETFD, FD_CLOEXEC);
		if ((st = pdf_render(doc, fileno(t), &err))) {
			fclose(t);
			return cli_fail(st, err.msg);
		}
		rewind(t);
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, t)) > 0)
			if (fwrite(buf, 1, n, stdout) != n)
				break;
		bool ok = !ferror(t) && fflush(stdout) == 0 && !ferror(stdout);
		fclose(t);
		return ok ? 0 : cli_fail(KS_FAIL, "写出 PDF 失败");
	}
	char *tmp;
	int fd = out_temp(path, &tmp);
	if (fd < 0)
		return fail_errno("无法写入", path, errno);
	if ((st = pdf_render(doc, fd, &err))) {
		close(fd);
		unlink(tmp);
		free(tmp);
		return cli_fail(st, err.msg);
	}
	return out_commit(fd, tmp, path);
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

/* The document of copy `copy` of round `round` (0: the latest) of form f. */
static ks_status print_copy_doc(const conf *cf, const store_copy *v, size_t n, const conf_form *f,
                                const char *case_no, int copy, int round, json_t **doc, int *round_out,
                                ks_err *err)
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
	*doc = print_form_doc(snap, &o);
	*round_out = r;
	json_decref(snap);
	return KS_OK;
}

/* The document of the 催办单 or 治办单 of reminder number id of case c, or
 * of its copy `copy` (0: the form itself) when its form lists copies. */
static ks_status reminder_doc(session *s, const store_case *c, int id, int copy, json_t **doc, ks_err *err)
{
	store_reminder *r;
	const conf_form *f;
	ks_status st = remform_find(s, c, id, &r, &f, err);
	if (st)
		return st;
	const conf_copy *k = NULL;
	for (size_t i = 0; copy && i < f->ncopies; i++)
		if (f->copies[i].no == copy)
			k = &f->copies[i];
	if (copy && !k) {
		st = f->ncopies ? ks_errf(err, KS_NOTFOUND, "--copy：%s没有第 %d 联（共 %zu 联）", f->title, copy, f->ncopies)
		                : ks_errf(err, KS_INVALID, "--copy：%s不分联（表单 %s 没有 copies）", f->title, f->code);
		store_reminders_free(r, 1);
		return st;
	}
	json_t *snap = remform_snapshot(s->cf, f, c, r);
	const json_t *iss = json_object_get(snap, "issued");
	print_copy pc = {0};
	if (k)
		pc = (print_copy){ .no = k->no, .total = (int)f->ncopies, .round = 1,
		                   .holder = case_dept_name(s, k->holder), .purpose = k->purpose,
		                   .issued_at = json_string_value(json_object_get(iss, "at")),
		                   .issued_by = json_string_value(json_object_get(iss, "by_name")) };
	char *note = ks_asprintf("催办记录 #%d", id);
	print_opts o = { .copy = k ? &pc : NULL, .note = note };
	*doc = print_form_doc(snap, &o);
	free(note);
	json_decref(snap);
	store_reminders_free(r, 1);
	return KS_OK;
}

int cmd_print(cli *c)
{
	const char *no = NULL, *path = NULL, *format = "text", *form = NULL;
	int copy = 0, round = 0, reminder = 0;
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
		} else if (!strcmp(a, "--reminder") && has) {
			if (!parse_int(c->argv[++i], 1, 2000000000, &reminder))
				return cli_fail(KS_INVALID, "--reminder 需要催办记录的编号（正整数，kesu show 或 kesu remind 中的 #N）");
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
	bool pdf = !strcmp(format, "pdf");
	if (!pdf && strcmp(format, "text"))
		return cli_fail(KS_INVALID, "--format 只能是 text 或 pdf");
	if (reply && (copy || round))
		return cli_fail(KS_INVALID, "--reply 是给客户的信函，不能与 --copy、--round 同用（处理表不交给客户）");
	if (reminder && (reply || form || round))
		return cli_fail(KS_INVALID, "--reminder 打印一张催办单或治办单，不能与 --reply、--form、--round 同用");
	if (round && !copy)
		return cli_fail(KS_INVALID, "--round 须与 --copy 同用");
	if (path && !*path)
		return cli_fail(KS_INVALID, "-o 需要文件名（- 为标准输出）");
	bool to_stdout = !path || !strcmp(path, "-");
	if (pdf && !path)
		return cli_fail(KS_INVALID, "--format pdf 须用 -o FILE 指定输出文件（-o - 为标准输出）");
	if (pdf && to_stdout && c->json)
		return cli_fail(KS_INVALID, "--json 与 --format pdf -o - 不能同用（标准输出是 PDF）");
	if (pdf && to_stdout && isatty(STDOUT_FILENO))
		return cli_fail(KS_INVALID, "不把 PDF 写到终端：用 -o FILE，或把标准输出重定向到文件");
	struct stat sb;
	if (!to_stdout && lstat(path, &sb) == 0) {
		char *m = ks_asprintf("-o：%s 已存在，打印不会覆盖它", path);
		int r = cli_fail(KS_INVALID, m);
		free(m);
		return r;
	}
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
	json_t *doc = NULL;
	char *text = NULL;
	const char *kind = "draft";
	int r = 0;
	const conf *cf = s->cf;
	if (reminder) {
		kind = "reminder";
		if ((st = reminder_doc(s, &v.c, reminder, copy, &doc, &err)))
			goto done;
		goto render;
	}
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
		doc = print_reply_doc(letter, case_dept_name(s, s->me->dept), date);
		json_decref(letter);
	} else if (copy) {
		kind = "copy";
		if ((st = print_copy_doc(cf, cp, ncp, f, v.c.no, copy, round, &doc, &r, &err)))
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
		doc = print_form_doc(snap, &o);
		json_decref(snap);
		free(note);
	}
render:;
	/* the case is read; the database is not needed for the layout */
	json_t *o = c->json ? json_pack("{s:s, s:s, s:s}", "case", v.c.no, "kind", kind, "format", format) : NULL;
	if (o && copy && !reminder) {
		json_object_set_new(o, "copy", json_integer(copy));
		json_object_set_new(o, "round", json_integer(r));
	}
	if (o && reminder) {
		json_object_set_new(o, "reminder", json_integer(reminder));
		if (copy)
			json_object_set_new(o, "copy", json_integer(copy));
	}
	if (pdf) {
		rc = emit_pdf(doc, path);
		if (!rc && o) {
			json_object_set_new(o, "file", json_string(path));
			json_dumpf(o, stdout, JSON_INDENT(2));
			putchar('\n');
		}
	} else {
		text = print_doc_text(doc, PRINT_WIDTH);
		if (o) {
			json_object_set_new(o, "text", json_string(text));
			char *j = json_dumps(o, JSON_INDENT(2));
			free(text);
			text = ks_asprintf("%s\n", j);
			free(j);
		}
		rc = emit(path, text);
	}
	json_decref(o);
done:
	if (st)
		rc = cli_fail(st, err.msg);
	json_decref(doc);
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
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	store_copies_free(v, n);
	session_close(s);
	return 0;
}
