/* archive.c — `kesu archive list [--due]` (closed cases with their
 * retention end, state and archive year) and `kesu archive dispose
 * (--before DATE | CASE...) --yes` (clear the personal data of cases past
 * retention, in one transaction; retention.yaml, archive.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/archive.h"
#include "kesu/cli.h"
#include "kesu/clock.h"

#define ARCHIVE_USAGE "用法：kesu archive list [--due] | archive dispose (--before DATE | CASE...) --yes"

static void print_rows(const archive_row *v, size_t n, bool json)
{
	json_t *arr = json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const archive_row *w = &v[i];
		char closed[40], end[40] = "", gone[40] = "";
		if (arr) {
			clock_iso(w->closed_at, closed, sizeof closed);
			if (w->end)
				clock_iso(w->end, end, sizeof end);
			if (w->disposed_at)
				clock_iso(w->disposed_at, gone, sizeof gone);
			json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:b}", "case", w->no, "state", w->state,
			                      "closed", closed, "retention_end", w->end ? end : NULL, "archive",
			                      archive_state_code(w->st), "archive_label", archive_state_label(w->st),
			                      "extended", w->extended);
			if (w->archive_year)
				json_object_set_new(o, "archive_year", json_integer(w->archive_year));
			if (w->disposed_at)
				json_object_set_new(o, "disposed_at", json_string(gone));
			json_array_append_new(arr, o);
			continue;
		}
		clock_short(w->closed_at, closed, sizeof closed);
		if (w->end)
			clock_short(w->end, end, sizeof end);
		cli_put(stdout, w->no);
		printf("  结案 %s  保存至 %s  %s%s", closed, w->end ? end : "永久", archive_state_label(w->st),
		       w->extended ? "（重要资料，延期保存）" : "");
		if (w->archive_year)
			printf("  归档年度 %d", w->archive_year);
		putchar('\n');
	}
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
}

static int archive_dispose_cmd(cli *c)
{
	time_t before = 0;
	bool yes = false;
	char **cases = ks_calloc((size_t)c->argc + 1, sizeof *cases);
	size_t nc = 0;
	for (int i = 1; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (!strcmp(a, "--before") && i + 1 < c->argc) {
			if (!clock_parse(c->argv[++i], &before)) {
				free(cases);
				return cli_fail(KS_INVALID, "--before 应为日期 YYYY-MM-DD（或 YYYY-MM-DD HH:MM）");
			}
		} else if (!strcmp(a, "--yes"))
			yes = true;
		else if (a[0] != '-')
			cases[nc++] = c->argv[i];
		else {
			free(cases);
			return cli_fail(KS_INVALID, ARCHIVE_USAGE);
		}
	}
	if ((!before && !nc) || (before && nc)) {
		free(cases);
		return cli_fail(KS_INVALID, ARCHIVE_USAGE);
	}
	if (!yes) {
		free(cases);
		return cli_fail(KS_INVALID, "销毁不可撤销：确认后加 --yes 再运行（kesu archive list --due 列出到期案件）");
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc) {
		free(cases);
		return rc;
	}
	ks_err err;
	archive_row *v = NULL;
	size_t n = 0;
	ks_status st = archive_dispose(s, clock_now(), before, cases, nc, &v, &n, &err);
	free(cases);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	if (!c->json)
		printf("已销毁 %zu 件案件的资料（审计链保留每条事件的哈希）\n", n);
	print_rows(v, n, c->json);
	archive_rows_free(v, n);
	session_close(s);
	return 0;
}

int cmd_archive(cli *c)
{
	if (c->argc < 1)
		return cli_fail(KS_INVALID, ARCHIVE_USAGE);
	if (!strcmp(c->argv[0], "dispose"))
		return archive_dispose_cmd(c);
	if (strcmp(c->argv[0], "list"))
		return cli_fail(KS_INVALID, ARCHIVE_USAGE);
	bool due = false;
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--due"))
			due = true;
		else
			return cli_fail(KS_INVALID, ARCHIVE_USAGE);
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	archive_row *v = NULL;
	size_t n = 0;
	ks_status st = archive_list(s, clock_now(), due, &v, &n, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	print_rows(v, n, c->json);
	archive_rows_free(v, n);
	session_close(s);
	return 0;
}
