/* tasks.h — periodic tasks that are not case clocks (issue 9): a monthly
 * statistics table by the 10th, a weekly analysis on Monday, a daily look
 * at the customers' comment book. Defined in a preset's tasks.yaml
 * (src/conf/taskconf.c, docs/config.md "tasks.yaml"):
 *
 *   admins: [gm]                      roles that may record any task (optional)
 *   tasks:
 *     - key: monthly_table
 *       label: 填报投诉统计表呈总经理
 *       period: monthly               daily | weekly | monthly
 *       due: {day: 10}                see below
 *       responsible: {role: admin}    role and/or dept (both: both must hold)
 *       report: monthly               optional: which `kesu report` it produces
 *
 * A period is the span a task is about: a local day (daily; only working
 * days unless `every: day`), an ISO week Monday–Sunday (weekly) or a month
 * (monthly). Its due time is counted from the period's last day:
 *   {day: N}       monthly: the N-th day of the next month (the last day if shorter)
 *   {weekday: W}   weekly: weekday W (mon … sun) of the next week
 *   {days: N}      N days after the last day (0: the last day itself)
 *   {workdays: N}  the N-th working day after the last day (0: the last day
 *                  if it is a working day, else the next one)
 * and `roll: next | none` (default next: a due day that is a rest day moves
 * to the next working day, 民法典 第二百零三条; not for workdays) and
 * `end: eod | close` (default eod: 24:00 of the due day; close: close of
 * business) — the same counting as the clocks (core/calendar.c). */
#ifndef KESU_TASKS_H
#define KESU_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "kesu/calendar.h"
#include "kesu/conf.h"
#include "kesu/err.h"

typedef enum { TASK_DAILY = 0, TASK_WEEKLY, TASK_MONTHLY } task_period;
typedef enum { TASKDUE_DAYS = 0, TASKDUE_DAY, TASKDUE_WEEKDAY, TASKDUE_WORKDAYS } task_due;

typedef struct conf_task {
	char *key, *label;
	task_period period;
	bool every_day;          /* daily: every calendar day, not only working days */
	task_due due;
	int due_n;               /* days / day of month / weekday 0=Mon..6=Sun / workdays */
	calendar_roll roll;
	calendar_end end;
	char *role, *dept;       /* responsible: either may be NULL, not both */
	char *report;            /* "monthly", "weekly" or NULL */
	conf_pos pos;
} conf_task;

typedef struct taskconf {
	conf_task *tasks;        size_t ntasks;
	char **admins;           size_t nadmins;
} taskconf;

/* Load DIR/tasks.yaml into c->tasks if it exists ("tasks.yaml:LINE:COL: 说明"
 * in d for every problem; names are checked against c). */
void conf_load_tasks(conf *c, conf_diags *d);
void taskconf_free(taskconf *t);
const conf_task *taskconf_find(const taskconf *t, const char *key);

/* ---- periods (pure arithmetic on the calendar) ---- */

/* One period of a task. */
typedef struct task_span {
	char id[24];             /* "2026-11-27", "2026-W48", "2026-11" */
	calendar_date first, last;
	time_t start;            /* 00:00 of first */
	time_t end;              /* 00:00 of the day after last */
	time_t due;
} task_span;

/* The period of t that contains the local day of `at` (daily working-day
 * tasks: the latest working day on or before it), with its due time. */
ks_status task_span_at(const conf_task *t, const calendar *cal, time_t at, task_span *out, ks_err *err);
/* The period before p. */
ks_status task_span_prev(const conf_task *t, const calendar *cal, const task_span *p, task_span *out,
                         ks_err *err);
/* Parse a period id for t ("2026-11", "2026-W48", "2026-11-27") into out. */
ks_status task_span_parse(const conf_task *t, const calendar *cal, const char *id, task_span *out, ks_err *err);

/* ---- the engine (core/tasks.c) ---- */

struct session;

typedef enum { TASKST_OPEN = 0, TASKST_DONE, TASKST_LATE } task_status;
const char *task_status_label(task_status s);   /* 待办 / 已完成 / 逾期 */
const char *task_status_code(task_status s);    /* open / done / late */

typedef struct task_row {
	const conf_task *task;
	task_span span;
	task_status status;
	time_t done_at;          /* 0 if not done */
	char *done_by, *note;    /* owned */
	bool late_done;          /* done after its due time */
} task_row;
void task_rows_free(task_row *v, size_t n);

/* The current period and the `recent` before it of every task (of key only,
 * if not NULL), newest first per task, as of now. */
ks_status tasks_list(struct session *s, const char *key, int recent, time_t now, task_row **out, size_t *n,
                     ks_err *err);
/* Whether the person acting may record task t. */
bool task_may(const struct session *s, const conf_task *t);
/* Record task key done for period (NULL: of the current period and the one
 * before it, the older one not yet done that may be done now — it is over or
 * its due day has begun). One
 * transaction; KS_DENIED, KS_NOTFOUND, KS_CONFLICT (already done). */
ks_status task_done(struct session *s, const char *key, const char *period, const char *note, time_t now,
                    char period_out[24], ks_err *err);

/* A reminder about a task period (kind "due": it may be done now and is
 * not yet; "late": past its due time). */
typedef struct task_reminder {
	const conf_task *task;
	char period[24];
	char kind[8];
	time_t due;
} task_reminder;
/* Issue the reminders about the current and the previous period of each
 * task that are due now and were not issued before (idempotent), in one
 * transaction; only in working time (outside it, nothing: they wait for the
 * next working period); the new ones into *out (free()). */
ks_status tasks_remind(struct session *s, time_t now, task_reminder **out, size_t *n, ks_err *err);

#endif
