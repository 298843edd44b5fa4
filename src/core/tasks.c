/* tasks.c — periodic tasks (tasks.h): the periods of a task and their due
 * times on the working calendar, their status, recording a completion, and
 * the reminders `kesu remind` issues about them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/audit.h"
#include "kesu/clock.h"
#include "kesu/report.h"
#include "kesu/session.h"
#include "kesu/tasks.h"
#include "kesu/text.h"

/* ---- date arithmetic (proleptic Gregorian, days since 1970-01-01) ---- */

static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static calendar_date civil_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	return (calendar_date){ (int)(y + (m <= 2)), m, d };
}

static long dnum(calendar_date d)
{
	return days_from_civil(d.year, d.month, d.day);
}

static calendar_date dadd(calendar_date d, long n)
{
	return civil_from_days(dnum(d) + n);
}

/* 0 = Monday … 6 = Sunday */
static int weekday(calendar_date d)
{
	long z = dnum(d);   /* 1970-01-01 was a Thursday (3) */
	return (int)(((z % 7) + 7 + 3) % 7);
}

static int month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : md[m - 1];
}

static time_t day_start(calendar_date d)
{
	return clock_make(d.year, d.month, d.day, 0, 0);
}

/* The due instant of t's period ending on last. */
static ks_status span_due(const conf_task *t, const calendar *cal, task_span *p, ks_err *err)
{
	calendar_date base = p->last;
	calendar_duration dur = { .unit = CALENDAR_DAYS, .n = 0, .end = t->end, .roll = t->roll };
	switch (t->due) {
	case TASKDUE_DAY: {
		int y = p->last.year, m = p->last.month + 1;
		if (m > 12) {
			m = 1;
			y++;
		}
		int md = month_days(y, m);
		base = (calendar_date){ y, m, t->due_n < md ? t->due_n : md };
		break;
	}
	case TASKDUE_WEEKDAY:
		base = dadd(p->last, 1 + (t->due_n - weekday(dadd(p->last, 1)) + 7) % 7);
		break;
	case TASKDUE_DAYS:
		base = dadd(p->last, t->due_n);
		break;
	case TASKDUE_WORKDAYS:
		dur.unit = CALENDAR_WORKDAYS;
		dur.n = t->due_n;
		dur.roll = CALENDAR_ROLL_NEXT;
		break;
	}
	time_t noon = clock_make(base.year, base.month, base.day, 12, 0);
	return calendar_due(cal, noon, &dur, &p->due, err);
}

static ks_status span_fill(const conf_task *t, const calendar *cal, calendar_date first, calendar_date last,
                           task_span *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	out->first = first;
	out->last = last;
	out->start = day_start(first);
	out->end = day_start(dadd(last, 1));
	switch (t->period) {
	case TASK_DAILY:
		snprintf(out->id, sizeof out->id, "%04d-%02d-%02d", first.year, first.month, first.day);
		break;
	case TASK_WEEKLY: {
		calendar_date thu = dadd(first, 3);   /* ISO: the week belongs to the year of its Thursday */
		calendar_date jan1 = { thu.year, 1, 1 };
		int week = (int)((dnum(thu) - dnum(jan1)) / 7) + 1;
		snprintf(out->id, sizeof out->id, "%04d-W%02d", thu.year % 10000, week % 100);
		break;
	}
	case TASK_MONTHLY:
		snprintf(out->id, sizeof out->id, "%04d-%02d", first.year, first.month);
		break;
	}
	return span_due(t, cal, out, err);
}

/* The span of t containing day d (daily working-day tasks: the latest
 * working day on or before d). */
static ks_status span_of_day(const conf_task *t, const calendar *cal, calendar_date d, task_span *out, ks_err *err)
{
	switch (t->period) {
	case TASK_DAILY:
		if (!t->every_day) {
			for (int i = 0;; i++) {
				bool work = false;
				ks_status rc = calendar_is_workday(cal, d, &work, err);
				if (rc)
					return rc;
				if (work)
					break;
				if (i > 60)
					return ks_errf(err, KS_INVALID, "任务 %s：日历中六十天内没有工作日", t->key);
				d = dadd(d, -1);
			}
		}
		return span_fill(t, cal, d, d, out, err);
	case TASK_WEEKLY: {
		calendar_date mon = dadd(d, -weekday(d));
		return span_fill(t, cal, mon, dadd(mon, 6), out, err);
	}
	case TASK_MONTHLY:
		return span_fill(t, cal, (calendar_date){ d.year, d.month, 1 },
		                 (calendar_date){ d.year, d.month, month_days(d.year, d.month) }, out, err);
	}
	return ks_errf(err, KS_INVALID, "任务 %s 的周期无效", t->key);
}

ks_status task_span_at(const conf_task *t, const calendar *cal, time_t at, task_span *out, ks_err *err)
{
	return span_of_day(t, cal, calendar_date_of(at), out, err);
}

ks_status task_span_prev(const conf_task *t, const calendar *cal, const task_span *p, task_span *out, ks_err *err)
{
	return span_of_day(t, cal, dadd(p->first, -1), out, err);
}

ks_status task_span_parse(const conf_task *t, const calendar *cal, const char *id, task_span *out, ks_err *err)
{
	calendar_date d;
	char tail;
	int y, m, w;
	switch (t->period) {
	case TASK_DAILY:
		if (!calendar_date_parse(id, &d))
			return ks_errf(err, KS_INVALID, "--period 应为日期 YYYY-MM-DD（任务 %s 每日一期）", t->key);
		break;
	case TASK_WEEKLY:
		if (sscanf(id, "%4d-W%2d%c", &y, &w, &tail) != 2 || y < 1900 || y > 9999 || w < 1 || w > 53)
			return ks_errf(err, KS_INVALID, "--period 应为 ISO 周 YYYY-Www，如 2026-W48（任务 %s 每周一期）",
			               t->key);
		{
			calendar_date jan4 = { y, 1, 4 };
			d = dadd(dadd(jan4, -weekday(jan4)), 7L * (w - 1));
		}
		break;
	case TASK_MONTHLY:
		if (sscanf(id, "%4d-%2d%c", &y, &m, &tail) != 2 || y < 1900 || y > 9999 || m < 1 || m > 12)
			return ks_errf(err, KS_INVALID, "--period 应为月份 YYYY-MM，如 2026-10（任务 %s 每月一期）", t->key);
		d = (calendar_date){ y, m, 1 };
		break;
	default:
		return ks_errf(err, KS_INVALID, "任务 %s 的周期无效", t->key);
	}
	ks_status rc = span_of_day(t, cal, d, out, err);
	if (rc)
		return rc;
	if (strcmp(out->id, id))
		return ks_errf(err, KS_INVALID, "--period %s 不是任务 %s 的一期（%s）", id, t->key,
		               t->period == TASK_DAILY ? "只在工作日" : "没有这一周");
	return KS_OK;
}

/* ---- status ---- */

const char *task_status_label(task_status s)
{
	return s == TASKST_DONE ? "已完成" : s == TASKST_LATE ? "逾期" : "待办";
}

const char *task_status_code(task_status s)
{
	return s == TASKST_DONE ? "done" : s == TASKST_LATE ? "late" : "open";
}

void task_rows_free(task_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].done_by);
		free(v[i].note);
	}
	free(v);
}

/* May the period be done now: it is over, or its due day has begun. */
static bool actionable(const task_span *p, time_t now)
{
	return now >= p->end || now >= day_start(calendar_date_of(p->due - 1));
}

static const calendar *task_cal(const session *s)
{
	return s->cf->cal;
}

ks_status tasks_list(session *s, const char *key, int recent, time_t now, task_row **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	const taskconf *tc = s->cf->tasks;
	if (key && !taskconf_find(tc, key))
		return ks_errf(err, KS_NOTFOUND, "没有周期任务 %s（见 tasks.yaml）", key);
	size_t cap = 0;
	for (size_t i = 0; tc && i < tc->ntasks; i++) {
		const conf_task *t = &tc->tasks[i];
		if (key && strcmp(key, t->key))
			continue;
		task_span p;
		ks_status rc = task_span_at(t, task_cal(s), now, &p, err);
		for (int k = 0; k <= recent && !rc; k++) {
			if (*n == cap)
				*out = ks_realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
			task_row *r = &(*out)[(*n)++];
			memset(r, 0, sizeof *r);
			r->task = t;
			r->span = p;
			store_task_done d;
			bool found;
			if ((rc = store_task_done_get(s->st, t->key, p.id, &d, &found, err)))
				break;
			if (found) {
				r->status = TASKST_DONE;
				r->done_at = d.at;
				r->done_by = d.by;
				r->note = d.note;
				r->late_done = d.at >= p.due;
				d.by = d.note = NULL;
				store_task_done_clear(&d);
			} else {
				r->status = now >= p.due ? TASKST_LATE : TASKST_OPEN;
			}
			if (k < recent)
				rc = task_span_prev(t, task_cal(s), &p, &p, err);
		}
		if (rc) {
			task_rows_free(*out, *n);
			*out = NULL;
			*n = 0;
			return rc;
		}
	}
	return KS_OK;
}

bool task_may(const session *s, const conf_task *t)
{
	if (!s->me)
		return false;
	const taskconf *tc = s->cf->tasks;
	for (size_t i = 0; tc && i < tc->nadmins; i++)
		if (conf_staff_has_role(s->me, tc->admins[i]))
			return true;
	if (t->role && !conf_staff_has_role(s->me, t->role))
		return false;
	if (t->dept && strcmp(t->dept, s->me->dept))
		return false;
	return true;
}

/* The headline figures of the report the task produces, as JSON text. */
static ks_status report_snapshot(session *s, const conf_task *t, const char *period, char **out, ks_err *err)
{
	*out = NULL;
	if (!t->report)
		return KS_OK;
	report r;
	bool weekly = !strcmp(t->report, "weekly");
	ks_status rc = weekly ? report_weekly(s, period, &r, err) : report_monthly(s, period, &r, err);
	if (rc)
		return rc;
	json_t *o = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:I}", "report", t->report, "period", r.period,
	                      "dept", r.dept, "received", (json_int_t)r.k.received, "accepted",
	                      (json_int_t)r.k.accepted, "closed", (json_int_t)r.nhandled, "open_at_end",
	                      (json_int_t)r.k.open_end, "overdue_at_end", (json_int_t)r.k.overdue_end);
	report_free(&r);
	*out = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return *out ? KS_OK : ks_errf(err, KS_FAIL, "无法记录报表数字");
}

ks_status task_done(session *s, const char *key, const char *period, const char *note, time_t now,
                    char period_out[24], ks_err *err)
{
	period_out[0] = '\0';
	const conf_task *t = taskconf_find(s->cf->tasks, key);
	if (!t)
		return ks_errf(err, KS_NOTFOUND, "没有周期任务 %s（见 tasks.yaml）", key);
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁完成了任务");
	if (!task_may(s, t)) {
		const conf_role *ro = t->role ? conf_find_role(s->cf, t->role) : NULL;
		const conf_dept *de = t->dept ? conf_find_dept(s->cf, t->dept) : NULL;
		return ks_errf(err, KS_DENIED, "任务「%s」由%s%s%s负责，%s（%s）不能记录完成", t->label,
		               de ? de->name : "", de && ro ? "的" : "", ro ? ro->name : "", s->me->name, s->me->login);
	}
	if (note && text_check(note, strlen(note), true, "说明", err))
		return KS_INVALID;
	if (note && text_chars(note) > 2000)
		return ks_errf(err, KS_INVALID, "「说明」太长（最多 2000 个字符）");
	task_span p;
	memset(&p, 0, sizeof p);
	ks_status rc;
	if (period) {
		if ((rc = task_span_parse(t, task_cal(s), period, &p, err)))
			return rc;
		if (p.start > now)
			return ks_errf(err, KS_INVALID, "任务「%s」的 %s 期还没有开始", t->label, p.id);
	} else {
		/* the older period not yet done of the current one and the one before it that may be done now */
		task_span v[2];
		if ((rc = task_span_at(t, task_cal(s), now, &v[0], err)) ||
		    (rc = task_span_prev(t, task_cal(s), &v[0], &v[1], err)))
			return rc;
		bool got = false;
		for (int i = 1; i >= 0 && !got; i--) {
			store_task_done d;
			bool found;
			if (!actionable(&v[i], now))
				continue;
			if ((rc = store_task_done_get(s->st, t->key, v[i].id, &d, &found, err)))
				return rc;
			store_task_done_clear(&d);
			if (!found) {
				p = v[i];
				got = true;
			}
		}
		if (!got)
			return ks_errf(err, KS_INVALID, "任务「%s」现在没有待办的一期；要提前记录请用 --period %s", t->label,
			               v[0].id);
	}
	char *snap = NULL;
	if ((rc = report_snapshot(s, t, p.id, &snap, err)))
		return rc;
	if ((rc = store_begin(s->st, err))) {
		free(snap);
		return rc;
	}
	store_task_done d = { .task = (char *)t->key, .period = p.id, .due_at = p.due, .at = now,
	                      .by = (char *)s->me->login, .note = (char *)note, .report = snap };
	/* hash-chained with the completions before it (audit.h audit_task_hash) */
	if (!(rc = store_task_last_hash(s->st, d.prev_hash, err)) &&
	    !(rc = audit_task_hash(&d, d.prev_hash, d.hash) ? KS_OK : ks_errf(err, KS_INVALID, "无法记录任务完成")) &&
	    !(rc = store_task_done_add(s->st, &d, err)))
		rc = store_commit(s->st, err);
	if (rc)
		store_rollback(s->st);
	else
		snprintf(period_out, 24, "%s", p.id);
	free(snap);
	return rc;
}

ks_status tasks_remind(session *s, time_t now, task_reminder **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	const taskconf *tc = s->cf->tasks;
	if (!tc)
		return KS_OK;
	/* like the case reminders of day clocks: only in working time */
	time_t work;
	if (calendar_next_work_instant(task_cal(s), now, &work, NULL) != KS_OK || work != now)
		return KS_OK;
	ks_status rc = store_begin(s->st, err);
	if (rc)
		return rc;
	size_t cap = 0;
	for (size_t i = 0; i < tc->ntasks && !rc; i++) {
		const conf_task *t = &tc->tasks[i];
		/* the current period and the one before it (older ones are history: kesu tasks) */
		task_span v[2];
		if ((rc = task_span_at(t, task_cal(s), now, &v[0], err)) ||
		    (rc = task_span_prev(t, task_cal(s), &v[0], &v[1], err)))
			break;
		for (int k = 1; k >= 0 && !rc; k--) {
			if (!actionable(&v[k], now))
				continue;
			store_task_done d;
			bool found, added;
			if ((rc = store_task_done_get(s->st, t->key, v[k].id, &d, &found, err)))
				break;
			store_task_done_clear(&d);
			if (found)
				continue;
			const char *kind = now >= v[k].due ? "late" : "due";
			if ((rc = store_task_reminder_add(s->st, t->key, v[k].id, kind, now, v[k].due, &added, err)) || !added)
				continue;
			if (*n == cap)
				*out = ks_realloc(*out, (cap = cap ? cap * 2 : 4) * sizeof **out);
			task_reminder *r = &(*out)[(*n)++];
			r->task = t;
			snprintf(r->period, sizeof r->period, "%s", v[k].id);
			snprintf(r->kind, sizeof r->kind, "%s", kind);
			r->due = v[k].due;
		}
	}
	if (!rc)
		rc = store_commit(s->st, err);
	if (rc) {
		store_rollback(s->st);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
