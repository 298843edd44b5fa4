/* test_tasks.c — periodic tasks: periods and their due times on a working
 * calendar (month ends, the 10th on a holiday or a weekend, ISO weeks across
 * the year, working-day tasks), parsing period ids, and tasks.yaml
 * diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "kesu/calendar.h"
#include "kesu/clock.h"
#include "kesu/conf.h"
#include "kesu/tasks.h"
#include "testlib.h"

static calendar *cal;

static calendar_date dt(int y, int m, int d)
{
	return (calendar_date){ y, m, d };
}

static int setup(void **state)
{
	(void)state;
	ks_err e;
	if (clock_set_zone("Asia/Shanghai", &e) != KS_OK)
		return -1;
	cal = calendar_new("t");
	if (calendar_set_workweek(cal, CALENDAR_MON_FRI, &e) || calendar_add_hours(cal, 9 * 60, 12 * 60, &e) ||
	    calendar_add_hours(cal, 13 * 60, 17 * 60 + 30, &e) || calendar_add_year(cal, 2025, &e) ||
	    calendar_add_year(cal, 2026, &e) || calendar_add_year(cal, 2027, &e) ||
	    /* the 10th of March on a three-day holiday (Tue–Thu) */
	    calendar_add_holiday(cal, dt(2026, 3, 10), dt(2026, 3, 12), "测试", &e) ||
	    /* a holiday Monday */
	    calendar_add_holiday(cal, dt(2026, 11, 30), dt(2026, 11, 30), "测试", &e))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static conf_task monthly(int day, calendar_roll roll)
{
	return (conf_task){ .key = "m", .label = "月", .period = TASK_MONTHLY, .due = TASKDUE_DAY, .due_n = day,
	                    .roll = roll };
}

static time_t at(int y, int m, int d, int h, int mi)
{
	return clock_make(y, m, d, h, mi);
}

static void want_span(const conf_task *t, time_t when, const char *id, time_t start, time_t end, time_t due)
{
	task_span p;
	ks_err e;
	assert_int_equal(task_span_at(t, cal, when, &p, &e), KS_OK);
	assert_string_equal(p.id, id);
	assert_true(p.start == start);
	assert_true(p.end == end);
	if (p.due != due) {
		char a[40], b[40];
		clock_iso(p.due, a, sizeof a);
		clock_iso(due, b, sizeof b);
		fail_msg("%s: due %s, want %s", id, a, b);
	}
}

static void test_monthly_by_the_10th(void **state)
{
	(void)state;
	conf_task t = monthly(10, CALENDAR_ROLL_NEXT);
	/* the last minute of January: the January table, due at the end of Tue 10 Feb */
	want_span(&t, at(2026, 1, 31, 23, 59), "2026-01", at(2026, 1, 1, 0, 0), at(2026, 2, 1, 0, 0),
	          at(2026, 2, 11, 0, 0));
	/* the first minute of February is February's */
	want_span(&t, at(2026, 2, 1, 0, 0), "2026-02", at(2026, 2, 1, 0, 0), at(2026, 3, 1, 0, 0),
	          /* 10 March is a holiday to the 12th: the next working day, Fri 13 March */
	          at(2026, 3, 14, 0, 0));
	/* 10 October 2026 is a Saturday: Monday the 12th */
	want_span(&t, at(2026, 9, 15, 12, 0), "2026-09", at(2026, 9, 1, 0, 0), at(2026, 10, 1, 0, 0),
	          at(2026, 10, 13, 0, 0));
	/* December: the 10th of January of the next year, a Sunday: Monday the 11th */
	want_span(&t, at(2026, 12, 31, 8, 0), "2026-12", at(2026, 12, 1, 0, 0), at(2027, 1, 1, 0, 0),
	          at(2027, 1, 12, 0, 0));
	/* roll: none keeps the holiday */
	conf_task n = monthly(10, CALENDAR_ROLL_NONE);
	want_span(&n, at(2026, 2, 14, 0, 0), "2026-02", at(2026, 2, 1, 0, 0), at(2026, 3, 1, 0, 0),
	          at(2026, 3, 11, 0, 0));
	/* close of business instead of midnight */
	t.end = CALENDAR_END_CLOSE;
	want_span(&t, at(2026, 1, 5, 0, 0), "2026-01", at(2026, 1, 1, 0, 0), at(2026, 2, 1, 0, 0),
	          at(2026, 2, 10, 17, 30));
}

static void test_month_ends(void **state)
{
	(void)state;
	/* day 31 in a shorter month is its last day: 28 Feb 2026 is a Saturday → Mon 2 March */
	conf_task t = monthly(31, CALENDAR_ROLL_NEXT);
	want_span(&t, at(2026, 1, 20, 0, 0), "2026-01", at(2026, 1, 1, 0, 0), at(2026, 2, 1, 0, 0),
	          at(2026, 3, 3, 0, 0));
	/* 30 April 2026 is a Thursday */
	want_span(&t, at(2026, 3, 20, 0, 0), "2026-03", at(2026, 3, 1, 0, 0), at(2026, 4, 1, 0, 0),
	          at(2026, 5, 1, 0, 0));
	/* the period before January is December of the year before */
	task_span p, q;
	ks_err e;
	t = monthly(10, CALENDAR_ROLL_NEXT);
	assert_int_equal(task_span_at(&t, cal, at(2026, 1, 3, 0, 0), &p, &e), KS_OK);
	assert_int_equal(task_span_prev(&t, cal, &p, &q, &e), KS_OK);
	assert_string_equal(q.id, "2025-12");
	/* 10 January 2026 is a Saturday → Monday the 12th */
	assert_true(q.due == at(2026, 1, 13, 0, 0));
	assert_true(q.first.day == 1 && q.last.day == 31 && q.last.month == 12);
}

static void test_weeks(void **state)
{
	(void)state;
	conf_task t = { .key = "w", .label = "周", .period = TASK_WEEKLY, .due = TASKDUE_WEEKDAY, .due_n = 0 };
	/* Fri 27 Nov 2026: ISO week 48, Monday the 23rd to Sunday the 29th; the Monday after,
	 * the 30th, is a holiday: Tuesday 1 December */
	want_span(&t, at(2026, 11, 27, 10, 0), "2026-W48", at(2026, 11, 23, 0, 0), at(2026, 11, 30, 0, 0),
	          at(2026, 12, 2, 0, 0));
	/* a week starts on Monday 00:00 */
	want_span(&t, at(2026, 11, 23, 0, 0), "2026-W48", at(2026, 11, 23, 0, 0), at(2026, 11, 30, 0, 0),
	          at(2026, 12, 2, 0, 0));
	want_span(&t, at(2026, 11, 22, 23, 59), "2026-W47", at(2026, 11, 16, 0, 0), at(2026, 11, 23, 0, 0),
	          at(2026, 11, 24, 0, 0));
	/* 1 Jan 2026 (a Thursday) is in 2026-W01, which starts in 2025 */
	want_span(&t, at(2026, 1, 1, 9, 0), "2026-W01", at(2025, 12, 29, 0, 0), at(2026, 1, 5, 0, 0),
	          at(2026, 1, 6, 0, 0));
	/* 2 Jan 2027 (a Saturday) is in 2026-W53 */
	want_span(&t, at(2027, 1, 2, 9, 0), "2026-W53", at(2026, 12, 28, 0, 0), at(2027, 1, 4, 0, 0),
	          at(2027, 1, 5, 0, 0));
	/* due on the Friday of the next week */
	t.due_n = 4;
	want_span(&t, at(2026, 11, 27, 10, 0), "2026-W48", at(2026, 11, 23, 0, 0), at(2026, 11, 30, 0, 0),
	          at(2026, 12, 5, 0, 0));
}

static void test_daily_and_workdays(void **state)
{
	(void)state;
	conf_task d = { .key = "d", .label = "日", .period = TASK_DAILY, .due = TASKDUE_DAYS, .due_n = 0,
	                .end = CALENDAR_END_CLOSE };
	/* Saturday: the latest working day is Friday, due at its close of business */
	want_span(&d, at(2026, 11, 28, 10, 0), "2026-11-27", at(2026, 11, 27, 0, 0), at(2026, 11, 28, 0, 0),
	          at(2026, 11, 27, 17, 30));
	/* Tuesday 1 Dec after the holiday Monday: the day before is Friday the 27th */
	task_span p, q;
	ks_err e;
	assert_int_equal(task_span_at(&d, cal, at(2026, 12, 1, 8, 0), &p, &e), KS_OK);
	assert_string_equal(p.id, "2026-12-01");
	assert_int_equal(task_span_prev(&d, cal, &p, &q, &e), KS_OK);
	assert_string_equal(q.id, "2026-11-27");
	/* every calendar day */
	d.every_day = true;
	d.end = CALENDAR_END_EOD;
	d.roll = CALENDAR_ROLL_NONE;
	want_span(&d, at(2026, 11, 28, 10, 0), "2026-11-28", at(2026, 11, 28, 0, 0), at(2026, 11, 29, 0, 0),
	          at(2026, 11, 29, 0, 0));
	/* the 3rd working day after the month, at close of business: Dec 1, 2, 3 (Nov 30 is a holiday) */
	conf_task w = { .key = "x", .label = "x", .period = TASK_MONTHLY, .due = TASKDUE_WORKDAYS, .due_n = 3,
	                .end = CALENDAR_END_CLOSE };
	want_span(&w, at(2026, 11, 2, 0, 0), "2026-11", at(2026, 11, 1, 0, 0), at(2026, 12, 1, 0, 0),
	          at(2026, 12, 3, 17, 30));
	/* a year without holiday data is an error, not an ordinary year */
	conf_task m = monthly(10, CALENDAR_ROLL_NEXT);
	assert_int_equal(task_span_at(&m, cal, at(2027, 12, 5, 0, 0), &p, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2028"));
}

static void test_parse(void **state)
{
	(void)state;
	ks_err e;
	task_span p;
	conf_task w = { .key = "w", .label = "周", .period = TASK_WEEKLY, .due = TASKDUE_WEEKDAY };
	assert_int_equal(task_span_parse(&w, cal, "2026-W53", &p, &e), KS_OK);
	assert_true(p.start == at(2026, 12, 28, 0, 0));
	assert_int_equal(task_span_parse(&w, cal, "2025-W53", &p, &e), KS_INVALID);   /* 2025 has 52 weeks */
	assert_int_equal(task_span_parse(&w, cal, "2026-11", &p, &e), KS_INVALID);
	conf_task m = monthly(10, CALENDAR_ROLL_NEXT);
	assert_int_equal(task_span_parse(&m, cal, "2026-10", &p, &e), KS_OK);
	assert_true(p.due == at(2026, 10 + 1, 11, 0, 0));   /* 10 Nov is a Tuesday */
	assert_int_equal(task_span_parse(&m, cal, "2026-13", &p, &e), KS_INVALID);
	assert_int_equal(task_span_parse(&m, cal, "2026-1", &p, &e), KS_INVALID);
	assert_int_equal(task_span_parse(&m, cal, "2026-10x", &p, &e), KS_INVALID);
	conf_task d = { .key = "d", .label = "日", .period = TASK_DAILY, .due = TASKDUE_DAYS };
	assert_int_equal(task_span_parse(&d, cal, "2026-11-27", &p, &e), KS_OK);
	assert_int_equal(task_span_parse(&d, cal, "2026-11-28", &p, &e), KS_INVALID);   /* a Saturday */
	assert_non_null(strstr(e.msg, "工作日"));
}

static void test_tasks_yaml_diagnostics(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	t_config(dir, "retail");
	char *cdir = ks_asprintf("%s/config", dir);
	t_write(cdir, "tasks.yaml",
	        "tasks:\n"
	        "  - key: t1\n"
	        "    label: 月表\n"
	        "    period: monthly\n"
	        "    due: {weekday: mon}\n"
	        "    responsible: {role: nobody}\n"
	        "  - key: t1\n"
	        "    label: 周表\n"
	        "    period: fortnightly\n"
	        "    due: {days: 1}\n"
	        "    responsible: {dept: xingzheng}\n"
	        "    report: monthly\n"
	        "    colour: red\n");
	conf *c = NULL;
	conf_diags d = { 0 };
	assert_int_equal(conf_load(cdir, &c, &d), KS_INVALID);
	const char *want[] = { "tasks.yaml:5:20: due.weekday", "tasks.yaml:6:25: 未定义的角色 nobody",
	                       "tasks.yaml:7:10: 任务 t1 重复", "tasks.yaml:9:13: period 应为 daily",
	                       "tasks.yaml:13:5: 未知的键 colour", "tasks.yaml:12:13: report: monthly 须与 period 一致" };
	for (size_t k = 0; k < d.n; k++)
		assert_null(strstr(d.msgs[k], "缺少必需的键 due"));
	t_want_diags(&d, want, sizeof want / sizeof *want);
	conf_diags_free(&d);
	/* the shipped file is clean and read */
	t_write(cdir, "tasks.yaml",
	        "admins: [gm]\ntasks:\n  - {key: t, label: 表, period: monthly, due: {day: 10}, "
	        "responsible: {role: admin}, report: monthly}\n");
	assert_int_equal(conf_load(cdir, &c, &d), KS_OK);
	assert_non_null(c->tasks);
	assert_int_equal(c->tasks->ntasks, 1);
	assert_int_equal(c->tasks->tasks[0].due, TASKDUE_DAY);
	assert_int_equal(c->tasks->tasks[0].due_n, 10);
	assert_int_equal(c->tasks->nadmins, 1);
	conf_free(c);
	conf_diags_free(&d);
	free(cdir);
	t_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monthly_by_the_10th),
		cmocka_unit_test(test_month_ends),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_daily_and_workdays),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_tasks_yaml_diagnostics),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
