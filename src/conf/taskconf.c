/* taskconf.c — load tasks.yaml, the periodic tasks of a preset (tasks.h).
 * Like rptconf.c: every problem is one "tasks.yaml:LINE:COL: 说明", and
 * loading goes on so one run reports all of them. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/conf.h"
#include "kesu/tasks.h"
#include "kesu/yaml.h"
#include "loader.h"

#define TASK_FILE "tasks.yaml"

static int weekday_of(const char *s)
{
	unsigned bit;
	if (!calendar_weekday_parse(s, &bit))
		return -1;
	for (int i = 0; i < 7; i++)
		if (bit == 1u << i)
			return i;
	return -1;
}

static void read_due(yl *L, conf_task *t, const ynode *m)
{
	static const char *const keys[] = { "day", "weekday", "days", "workdays", "roll", "end", NULL };
	if (m->kind != YNODE_MAP) {
		yl_diag(L, m, "due 应为映射，如 {day: 10}、{weekday: mon}、{days: 0} 或 {workdays: 3}");
		return;
	}
	yl_check_keys(L, m, keys);
	int found = 0;
	const ynode *v;
	if ((v = ynode_get(m, "day"))) {
		found++;
		t->due = TASKDUE_DAY;
		if (t->period != TASK_MONTHLY)
			yl_diag(L, v, "due.day（下月第几日）只用于 period: monthly");
		yl_int(L, v, "day", 1, 31, &t->due_n);
	}
	if ((v = ynode_get(m, "weekday"))) {
		found++;
		t->due = TASKDUE_WEEKDAY;
		if (t->period != TASK_WEEKLY)
			yl_diag(L, v, "due.weekday（下周星期几）只用于 period: weekly");
		if (v->kind != YNODE_SCALAR || (t->due_n = weekday_of(v->str)) < 0)
			yl_diag(L, v, "weekday 应为 mon、tue、wed、thu、fri、sat 或 sun");
	}
	if ((v = ynode_get(m, "days"))) {
		found++;
		t->due = TASKDUE_DAYS;
		yl_int(L, v, "days", 0, 366, &t->due_n);
	}
	if ((v = ynode_get(m, "workdays"))) {
		found++;
		t->due = TASKDUE_WORKDAYS;
		yl_int(L, v, "workdays", 0, 60, &t->due_n);
	}
	if (found != 1)
		yl_diag(L, m, "due 应恰好给出 day、weekday、days、workdays 之一");
	if ((v = ynode_get(m, "roll"))) {
		if (v->kind == YNODE_SCALAR && !strcmp(v->str, "next"))
			t->roll = CALENDAR_ROLL_NEXT;
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "none"))
			t->roll = CALENDAR_ROLL_NONE;
		else
			yl_diag(L, v, "roll 应为 next（遇休息日顺延）或 none");
		if (t->due == TASKDUE_WORKDAYS)
			yl_diag(L, v, "roll 不用于 workdays（工作日本身不会落在休息日）");
	}
	if ((v = ynode_get(m, "end"))) {
		if (v->kind == YNODE_SCALAR && !strcmp(v->str, "eod"))
			t->end = CALENDAR_END_EOD;
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "close"))
			t->end = CALENDAR_END_CLOSE;
		else
			yl_diag(L, v, "end 应为 eod（当日 24 时）或 close（下班时）");
	}
}

static void read_task(yl *L, const conf *c, taskconf *tc, const ynode *m)
{
	static const char *const keys[] = { "key", "label", "period", "every", "due", "responsible", "report", NULL };
	static const char *const rkeys[] = { "role", "dept", NULL };
	if (m->kind != YNODE_MAP) {
		yl_diag(L, m, "tasks 的每一项应为映射 {key, label, period, due, responsible}");
		return;
	}
	yl_check_keys(L, m, keys);
	conf_task t = { .pos = { TASK_FILE, m->line, m->col } };
	bool ok = true;
	const char *key = yl_text(L, m, "key", true);
	if (key && !yl_ident_ok(key)) {
		yl_diag(L, ynode_get(m, "key"), "key %s 无效（只能由小写字母、数字、_ 和 - 组成）", key);
		key = NULL;
	}
	if (key && taskconf_find(tc, key)) {
		yl_diag(L, ynode_get(m, "key"), "任务 %s 重复", key);
		key = NULL;
	}
	const char *label = yl_text(L, m, "label", true);
	const char *period = yl_text(L, m, "period", true);
	if (period) {
		if (!strcmp(period, "daily"))
			t.period = TASK_DAILY;
		else if (!strcmp(period, "weekly"))
			t.period = TASK_WEEKLY;
		else if (!strcmp(period, "monthly"))
			t.period = TASK_MONTHLY;
		else {
			yl_diag(L, ynode_get(m, "period"), "period 应为 daily、weekly 或 monthly，实际是 %s", period);
			ok = false;
		}
	}
	const ynode *v = ynode_get(m, "every");
	if (v) {
		if (t.period != TASK_DAILY)
			yl_diag(L, v, "every 只用于 period: daily");
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "day"))
			t.every_day = true;
		else if (!(v->kind == YNODE_SCALAR && !strcmp(v->str, "workday")))
			yl_diag(L, v, "every 应为 workday（只在工作日，默认）或 day（每个日历日）");
	}
	if (!(v = ynode_get(m, "due")))
		yl_diag(L, m, "缺少必需的键 due");
	else if (ok && period)
		read_due(L, &t, v);
	v = ynode_get(m, "responsible");
	if (!v) {
		yl_diag(L, m, "缺少必需的键 responsible（role 和/或 dept）");
	} else if (v->kind != YNODE_MAP) {
		yl_diag(L, v, "responsible 应为映射 {role: 角色} 或 {dept: 部门}");
	} else {
		yl_check_keys(L, v, rkeys);
		const char *role = yl_text(L, v, "role", false), *dept = yl_text(L, v, "dept", false);
		if (!role && !dept)
			yl_diag(L, v, "responsible 应给出 role 或 dept");
		if (role && !conf_find_role(c, role))
			yl_diag(L, ynode_get(v, "role"), "未定义的角色 %s（staff.yaml）", role);
		if (dept && !conf_find_dept(c, dept))
			yl_diag(L, ynode_get(v, "dept"), "未定义的部门 %s（departments.yaml）", dept);
		t.role = role ? ks_strdup(role) : NULL;
		t.dept = dept ? ks_strdup(dept) : NULL;
	}
	const char *report = yl_text(L, m, "report", false);
	if (report) {
		if (strcmp(report, "monthly") && strcmp(report, "weekly"))
			yl_diag(L, ynode_get(m, "report"), "report 应为 monthly 或 weekly，实际是 %s", report);
		else if ((!strcmp(report, "monthly") && t.period != TASK_MONTHLY) ||
		         (!strcmp(report, "weekly") && t.period != TASK_WEEKLY))
			yl_diag(L, ynode_get(m, "report"), "report: %s 须与 period 一致（月报用 monthly，周报用 weekly）", report);
		else
			t.report = ks_strdup(report);
	}
	t.key = key ? ks_strdup(key) : NULL;
	t.label = label ? ks_strdup(label) : NULL;
	tc->tasks[tc->ntasks++] = t;
}

static void read_root(yl *L, const conf *c, taskconf *tc, const ynode *root)
{
	static const char *const top[] = { "tasks", "admins", NULL };
	if (root->kind != YNODE_MAP) {
		yl_diag(L, root, "文件内容应为映射");
		return;
	}
	yl_check_keys(L, root, top);
	const ynode *a = ynode_get(root, "admins");
	if (a) {
		if (a->kind != YNODE_SEQ) {
			yl_diag(L, a, "admins 应为角色列表");
		} else {
			tc->admins = ks_calloc(a->n ? a->n : 1, sizeof *tc->admins);
			for (size_t i = 0; i < a->n; i++) {
				const ynode *r = a->items[i];
				if (r->kind != YNODE_SCALAR || !conf_find_role(c, r->str)) {
					yl_diag(L, r, "未定义的角色 %s（staff.yaml）", r->kind == YNODE_SCALAR ? r->str : "?");
					continue;
				}
				tc->admins[tc->nadmins++] = ks_strdup(r->str);
			}
		}
	}
	const ynode *s = ynode_get(root, "tasks");
	if (!s) {
		yl_diag(L, root, "缺少必需的键 tasks");
		return;
	}
	if (s->kind != YNODE_SEQ || !s->n) {
		yl_diag(L, s, "tasks 应为非空列表");
		return;
	}
	tc->tasks = ks_calloc(s->n, sizeof *tc->tasks);
	for (size_t i = 0; i < s->n; i++)
		read_task(L, c, tc, s->items[i]);
}

void conf_load_tasks(conf *c, conf_diags *d)
{
	yl L = { .d = d, .file = TASK_FILE };
	ynode *root = yl_load_optional(&L, c->dir);
	if (root) {
		taskconf *tc = ks_calloc(1, sizeof *tc);
		read_root(&L, c, tc, root);
		if (L.bad)
			taskconf_free(tc);
		else
			c->tasks = tc;
	}
	ynode_free(root);
}

void taskconf_free(taskconf *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ntasks; i++) {
		free(t->tasks[i].key);
		free(t->tasks[i].label);
		free(t->tasks[i].role);
		free(t->tasks[i].dept);
		free(t->tasks[i].report);
	}
	free(t->tasks);
	for (size_t i = 0; i < t->nadmins; i++)
		free(t->admins[i]);
	free(t->admins);
	free(t);
}

const conf_task *taskconf_find(const taskconf *t, const char *key)
{
	for (size_t i = 0; t && i < t->ntasks; i++)
		if (t->tasks[i].key && !strcmp(t->tasks[i].key, key))
			return &t->tasks[i];
	return NULL;
}
