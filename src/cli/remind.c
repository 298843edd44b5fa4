/* remind.c — `kesu remind` (催办单, 治办单, warnings due now) and
 * `kesu recompute` (re-time open clocks after a calendar or limits change). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/tasks.h"

static const char *kind_label(const char *kind)
{
	if (!strcmp(kind, "urge"))
		return "催办单";
	if (!strcmp(kind, "inquiry"))
		return "治办单";
	return "到期提醒";
}

/* "，登记人", "，承办人" or "，FIELD-LABEL" after the name of the one person a
 * level is addressed to (limits.yaml `to`). */
static const char *person_role(const conf *cf, const conf_clock *k, int level)
{
	const conf_level *lv = k && level >= 0 && (size_t)level < k->nlevels ? &k->levels[level] : NULL;
	const char *to = lv ? lv->to : NULL;
	const char *up = lv && lv->superior ? "的直接上级" : "";
	static char buf[256];
	if (!to)
		return "";
	if (!strcmp(to, "registrant"))
		snprintf(buf, sizeof buf, "，登记人%s", up);
	else if (!strcmp(to, "assignee"))
		snprintf(buf, sizeof buf, "，承办人%s", up);
	else {
		buf[0] = '\0';
		for (size_t i = 0; i < cf->nforms && !buf[0]; i++) {
			const conf_field *f = conf_form_field(&cf->forms[i], to);
			if (f)
				snprintf(buf, sizeof buf, "，%s%s", f->label, up);
		}
	}
	return buf;
}

int cmd_remind(cli *c)
{
	if (c->argc > 0)
		return cli_fail(KS_INVALID, "用法：kesu remind");
	session *s;
	int rc = cli_open(c, &s, false);
	if (rc)
		return rc;
	ks_err err;
	store_reminder *v = NULL;
	size_t n = 0;
	time_t now = clock_now();
	ks_status st = deadline_remind(s, now, &v, &n, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const store_reminder *r = &v[i];
		const conf_clock *k = conf_find_clock(s->cf, r->clock);
		char due[40], span[48];
		if (arr) {
			clock_iso(r->due_at, due, sizeof due);
			json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s?, s:s?, s:s?, s:s, s:I}", "id",
			                      (json_int_t)r->id, "kind", r->kind,
			                      "form", kind_label(r->kind), "case", r->case_no, "clock", r->clock,
			                      "level", r->level, "dept", r->dept, "role", r->role, "login", r->login,
			                      "due", due, "late_minutes", (json_int_t)(r->late / 60));
			json_array_append_new(arr, o);
			continue;
		}
		clock_short(r->due_at, due, sizeof due);
		deadline_span(r->late, span, sizeof span);
		printf("#%lld %s  案件 %s  %s  致 %s", r->id, kind_label(r->kind), r->case_no, k ? k->label : r->clock,
		       case_dept_name(s, r->dept));
		if (r->login)
			printf("（%s%s）", case_staff_name(s, r->login), person_role(s->cf, k, r->level));
		if (r->role) {
			const conf_role *ro = conf_find_role(s->cf, r->role);
			printf("（呈 %s）", ro ? ro->name : r->role);
		}
		printf("  期限 %s  %s %s\n", due, r->late < 0 ? "尚余" : !strcmp(r->kind, "inquiry") ? "逾期结束" : "已逾期",
		       span);
	}
	/* periodic tasks (tasks.yaml) due now or late and not done */
	task_reminder *tv = NULL;
	size_t tn = 0;
	/* a failure here (e.g. a year without holiday data) must not hide the
	 * case reminders just issued: they are printed, then the error */
	ks_err terr;
	ks_status tst = tasks_remind(s, now, &tv, &tn, &terr);
	for (size_t i = 0; i < tn; i++) {
		const task_reminder *r = &tv[i];
		const conf_task *t = r->task;
		const conf_role *ro = t->role ? conf_find_role(s->cf, t->role) : NULL;
		char due[40];
		bool late = !strcmp(r->kind, "late");
		if (arr) {
			clock_iso(r->due, due, sizeof due);
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s}", "kind", late ? "task_late" : "task_due",
			                      "form", late ? "任务逾期" : "任务提醒", "task", t->key, "label", t->label, "period",
			                      r->period, "dept", t->dept, "role", t->role, "due", due);
			json_array_append_new(arr, o);
			continue;
		}
		clock_short(r->due, due, sizeof due);
		printf("%s  %s  %s 期  致 %s%s%s  期限 %s\n", late ? "任务逾期" : "任务提醒", t->label, r->period,
		       t->dept ? case_dept_name(s, t->dept) : "", t->dept && ro ? "·" : "", ro ? ro->name : "", due);
	}
	free(tv);
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	store_reminders_free(v, n);
	session_close(s);
	return tst ? cli_fail(tst, terr.msg) : 0;
}

int cmd_recompute(cli *c)
{
	if (c->argc > 0)
		return cli_fail(KS_INVALID, "用法：kesu recompute");
	session *s;
	int rc = cli_open(c, &s, false);
	if (rc)
		return rc;
	ks_err err;
	int changed = 0;
	ks_status st = session_retime(s, true, &changed, &err);
	if (st)
		rc = cli_fail(st, err.msg);
	else if (c->json)
		printf("{\"changed\": %d}\n", changed);
	else
		printf("已按当前日历和时限重新计算，%d 个未结时限的期限有变化\n", changed);
	session_close(s);
	return rc;
}
