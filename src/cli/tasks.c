/* tasks.c — `kesu tasks [--task KEY] [--recent N]` (the periodic tasks of
 * tasks.yaml: each task's current and recent periods with their status) and
 * `kesu tasks done KEY [--period P] [--note TEXT]` (record a completion). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/tasks.h"

#define TASKS_USAGE "用法：kesu tasks [--task KEY] [--recent N] | tasks done KEY [--period P] [--note TEXT]"

static const char *period_word(const conf_task *t)
{
	return t->period == TASK_DAILY ? "每日" : t->period == TASK_WEEKLY ? "每周" : "每月";
}

static const char *who(const session *s, const conf_task *t, char *buf, size_t n)
{
	const conf_dept *d = t->dept ? conf_find_dept(s->cf, t->dept) : NULL;
	const conf_role *r = t->role ? conf_find_role(s->cf, t->role) : NULL;
	snprintf(buf, n, "%s%s%s", d ? d->name : "", d && r ? "·" : "", r ? r->name : "");
	return buf;
}

static int tasks_done(cli *c)
{
	const char *key = NULL, *period = NULL, *note = NULL;
	for (int i = 1; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--period") && has)
			period = c->argv[++i];
		else if (!strcmp(a, "--note") && has)
			note = c->argv[++i];
		else if (!key && a[0] != '-')
			key = a;
		else
			return cli_fail(KS_INVALID, TASKS_USAGE);
	}
	if (!key)
		return cli_fail(KS_INVALID, TASKS_USAGE);
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	char done[24];
	ks_status st = task_done(s, key, period, note, clock_now(), done, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	const conf_task *t = taskconf_find(s->cf->tasks, key);
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "task", key, "label", t->label, "period", done, "by",
		                      s->me->login);
		cli_json(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("已记录：%s  %s 期  由 ", t->label, done);
		cli_put(stdout, case_staff_name(s, s->me->login));
		printf(" 完成\n");
	}
	session_close(s);
	return 0;
}

int cmd_tasks(cli *c)
{
	if (c->argc > 0 && !strcmp(c->argv[0], "done"))
		return tasks_done(c);
	const char *key = NULL;
	int recent = 2;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--task") && has)
			key = c->argv[++i];
		else if (!strcmp(a, "--recent") && has) {
			char *end;
			errno = 0;
			long v = strtol(c->argv[++i], &end, 10);
			if (errno || *end || v < 0 || v > 366)
				return cli_fail(KS_INVALID, "--recent 需要 0 到 366 之间的整数");
			recent = (int)v;
		} else
			return cli_fail(KS_INVALID, TASKS_USAGE);
	}
	session *s;
	int rc = cli_open(c, &s, false);
	if (rc)
		return rc;
	ks_err err;
	task_row *v = NULL;
	size_t n = 0;
	time_t now = clock_now();
	ks_status st = tasks_list(s, key, recent, now, &v, &n, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	if (!s->cf->tasks && !c->json)
		printf("本预设没有周期任务（tasks.yaml）\n");
	json_t *arr = c->json ? json_array() : NULL;
	const conf_task *last = NULL;
	for (size_t i = 0; i < n; i++) {
		const task_row *r = &v[i];
		const conf_task *t = r->task;
		char due[40], at[40], wbuf[256];
		if (arr) {
			clock_iso(r->span.due, due, sizeof due);
			if (r->done_at)
				clock_iso(r->done_at, at, sizeof at);
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:b}", "task", t->key, "label",
			                      t->label, "period", r->span.id, "every",
			                      t->period == TASK_DAILY ? "daily" : t->period == TASK_WEEKLY ? "weekly" : "monthly",
			                      "role", t->role, "dept", t->dept, "due", due, "status", task_status_code(r->status),
			                      "status_label", task_status_label(r->status), "late", r->late_done);
			if (r->done_at) {
				json_object_set_new(o, "done_at", json_string(at));
				json_object_set_new(o, "done_by", json_string(r->done_by));
				if (r->note)
					json_object_set_new(o, "note", json_string(r->note));
			}
			if (t->report)
				json_object_set_new(o, "report", json_string(t->report));
			json_array_append_new(arr, o);
			continue;
		}
		if (t != last) {
			printf("%s%s  [%s]  %s  负责：%s\n", last ? "\n" : "", t->label, t->key, period_word(t),
			       who(s, t, wbuf, sizeof wbuf));
			last = t;
		}
		clock_short(r->span.due, due, sizeof due);
		printf("  %-10s  期限 %s  %s", r->span.id, due, task_status_label(r->status));
		if (r->done_at) {
			clock_short(r->done_at, at, sizeof at);
			printf("  %s 由 ", at);
			cli_put(stdout, case_staff_name(s, r->done_by));
			printf("%s", r->late_done ? "（逾期完成）" : "");
			if (r->note) {
				printf("  ");
				cli_put(stdout, r->note);
			}
		}
		putchar('\n');
	}
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	task_rows_free(v, n);
	session_close(s);
	return 0;
}
