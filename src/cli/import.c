/* import.c — `kesu import FILE.csv [--encoding GBK|GB18030|UTF-8]`: an old
 * register (登记表) exported from a spreadsheet, imported with its original
 * case numbers and dates (core/import.c; import.h has the rules).
 *
 * On success: one line "导入 N 件（FILE）" (or {"imported": N, "cases": [...]}
 * with --json). Any bad row: nothing imported, exit 2, and stderr has the
 * summary line then one line per problem, "FILE:LINE: 列「HEADER」：reason".
 * A progress bar on stderr when it is a terminal and the file is large. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/import.h"
#include "kesu/text.h"

#define IMPORT_FILE_MAX (512L << 20)   /* bytes */
#define PROGRESS_MIN_ROWS 500
#define PROGRESS_COLS 30

static int usage(void)
{
	return cli_fail(KS_INVALID, "用法：kesu import FILE.csv [--encoding GBK|GB18030|UTF-8]");
}

typedef struct progress {
	bool on;
	int last;      /* last drawn per mille, -1: none */
} progress;

static void draw(void *ctx, import_phase phase, size_t done, size_t total)
{
	progress *p = ctx;
	if (!p->on || total < PROGRESS_MIN_ROWS)
		return;
	int pm = total ? (int)(done * 1000 / total) : 1000;
	if (pm == p->last)
		return;
	p->last = pm;
	int fill = pm * PROGRESS_COLS / 1000;
	fprintf(stderr, "\r%s [", phase == IMPORT_CHECKING ? "检查" : "写入");
	for (int i = 0; i < PROGRESS_COLS; i++)
		fputs(i < fill ? "█" : " ", stderr);
	fprintf(stderr, "] %3d%% %zu/%zu", pm / 10, done, total);
	if (phase == IMPORT_WRITING && done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static ks_status read_file(const char *path, char **out, size_t *len, ks_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ks_errf(err, errno == ENOENT ? KS_NOTFOUND : KS_FAIL, "无法打开 %s：%s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0, k;
	char *buf = ks_malloc(cap);
	while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n > (size_t)IMPORT_FILE_MAX) {
			free(buf);
			fclose(f);
			return ks_errf(err, KS_INVALID, "%s 太大：超过 %ld MB", path, IMPORT_FILE_MAX >> 20);
		}
		if (n == cap)
			buf = ks_realloc(buf, cap *= 2);
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return ks_errf(err, KS_FAIL, "无法读取 %s", path);
	}
	*out = buf;
	*len = n;
	return KS_OK;
}

int cmd_import(cli *c)
{
	const char *file = NULL, *enc = "UTF-8";
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (!strcmp(a, "--encoding") && i + 1 < c->argc)
			enc = c->argv[++i];
		else if (a[0] != '-' && !file)
			file = a;
		else
			return usage();
	}
	if (!file)
		return usage();
	ks_err err;
	char *o;
	size_t ol;
	if (text_from_utf8("", 0, enc, &o, &ol, &err))
		return cli_fail(KS_INVALID, err.msg);
	free(o);
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	char *data = NULL;
	size_t len = 0;
	ks_status st = read_file(file, &data, &len, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	progress pg = { .on = isatty(2), .last = -1 };
	import_plan plan;
	st = import_run(s, data, len, enc, base, draw, &pg, &plan, &err);
	free(data);
	if (pg.on && pg.last >= 0)
		fputs("\r\033[K", stderr);
	if (st) {
		rc = cli_fail(st, err.msg);
		for (size_t i = 0; i < plan.nprobs; i++) {
			const import_problem *p = &plan.probs[i];
			char *m = text_visible(p->msg, false);
			if (p->column)
				fprintf(stderr, "%s:%ld: 列「%s」：%s\n", base, p->line, p->column, m);
			else
				fprintf(stderr, "%s:%ld: %s\n", base, p->line, m);
			free(m);
		}
		if (plan.nmore)
			fprintf(stderr, "……另有 %zu 处错误未列出\n", plan.nmore);
	} else if (c->json) {
		json_t *cases = json_array();
		for (size_t i = 0; i < plan.ncases; i++)
			json_array_append_new(cases, json_string(plan.cases[i].no));
		json_t *j = json_pack("{s:I, s:o}", "imported", (json_int_t)plan.ncases, "cases", cases);
		json_dumpf(j, stdout, 0);
		putchar('\n');
		json_decref(j);
	} else {
		printf("导入 %zu 件（", plan.ncases);
		cli_put(stdout, base);
		printf("）\n");
	}
	import_plan_free(&plan);
	session_close(s);
	return rc;
}
