/* test_deadline.c — clocks on cases: deadline_status at the boundary seconds,
 * deadline_span formatting, and deadline_on_action driven through
 * case_register / case_do on the manufacturing preset (the report clock starts
 * on assign, stops on report, restarts on return and on reopen), checked on
 * the store_deadlines rows themselves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "testlib.h"
#include <string.h>
#include "../../src/store/private.h"   /* the connection, to trace and explain its statements */

/* ---- deadline_status ------------------------------------------------------ */

static void test_status(void **state)
{
	(void)state;
	const time_t due = 1800000000; /* any instant */
	static const struct {
		const char *stored;  /* status column */
		long stopped;        /* stopped_at relative to due, or 0 for "not stopped" */
		long now;            /* now relative to due */
		const char *want;
	} t[] = {
		{ "running", 0, -86400, "running" },
		{ "running", 0, -1, "running" },
		{ "running", 0, 0, "running" },     /* due exactly now is not late */
		{ "running", 0, 1, "breached" },    /* one second after */
		{ "running", 0, 86400 * 400L, "breached" },
		{ "paused", 0, -1, "paused" },
		{ "paused", 0, 0, "paused" },
		{ "paused", 0, 1, "paused" },       /* a paused clock is never late */
		{ "paused", 0, 86400 * 30L, "paused" },
		{ "met", -3600, 86400, "met" },     /* stopped clocks keep their verdict */
		{ "met", -1, 1, "met" },
		{ "met", -1, -2, "met" },
		{ "breached", 1, 1, "breached" },
		{ "breached", 3600, -86400, "breached" },
		{ "breached", 1, 2, "breached" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		store_deadline d = { .clock = "report", .status = (char *)t[i].stored, .started_at = due - 3 * 86400,
		                     .due_at = due, .stopped_at = t[i].stopped ? due + t[i].stopped : 0 };
		const char *got = deadline_status(&d, due + t[i].now);
		if (!got || strcmp(got, t[i].want))
			fail_msg("row %zu: stored %s, stopped %+ld, now due%+ld: got %s, want %s", i, t[i].stored,
			         t[i].stopped, t[i].now, got ? got : "(null)", t[i].want);
	}
}

/* ---- deadline_span -------------------------------------------------------- */

static void test_span(void **state)
{
	(void)state;
	static const struct {
		long long s;
		const char *want;
	} t[] = {
		{ 0, "0 分钟" },
		{ 59, "0 分钟" },
		{ 60, "1 分钟" },
		{ 61, "1 分钟" },
		{ 45 * 60, "45 分钟" },
		{ 3599, "59 分钟" },
		{ 3600, "1 小时 0 分钟" },
		{ 3660, "1 小时 1 分钟" },
		{ 8 * 3600 + 30 * 60, "8 小时 30 分钟" },
		{ 86399, "23 小时 59 分钟" },
		{ 86400, "1 天 0 小时" },
		{ 2 * 86400 + 3 * 3600 + 59 * 60 + 59, "2 天 3 小时" },
		{ 6 * 86400 + 10 * 3600, "6 天 10 小时" },
		{ -60, "1 分钟" },                  /* the absolute value */
		{ -(8 * 3600 + 30 * 60), "8 小时 30 分钟" },
		{ -(2 * 86400 + 3600), "2 天 1 小时" },
		{ 1000000LL * 86400 + 23 * 3600, "1000000 天 23 小时" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char buf[48];
		memset(buf, 'x', sizeof buf);
		deadline_span(t[i].s, buf, sizeof buf);
		if (strcmp(buf, t[i].want))
			fail_msg("deadline_span(%lld): got \"%s\", want \"%s\"", t[i].s, buf, t[i].want);
	}
}

/* ---- deadline_on_action through the workflow ------------------------------ */

typedef t_fixture fixture;

static char *reg(session *s, const char *when, const char *region)
{
	form_kv kv[] = {
		{ "customer", "某电子厂", 12 }, { "contact", "0512-1234567", 12 }, { "channel", "phone", 5 },
		{ "region", region, strlen(region) }, { "category", "quality", 7 }, { "subject", "外壳开裂", 12 },
		{ "detail", "第二批外壳有裂纹", 24 },
	};
	clock_set_now(t_time(when));
	return t_register(s, "qiantai", kv, sizeof kv / sizeof *kv);
}

typedef struct step {
	const char *action, *who;
	form_kv kv[8];
	size_t n;
} step;

static const step steps[] = {
	{ "accept", "guanli", {{0}}, 0 },
	{ "assign", "guanli", { { "dept", "quality", 7 } }, 1 },
	{ "report", "zhijian", { { "cause", "模具磨损", 12 }, { "process", "抽检", 6 }, { "responsible", "二号机", 9 },
	                         { "conclusion", "属实", 6 }, { "countermeasure", "换模", 6 },
	                         { "prevention", "点检", 6 }, { "loss", "3000", 4 } }, 7 },
	{ "approve", "yewujingli", { { "decision", "同意", 6 } }, 1 },
	{ "return", "yewujingli", { { "reason", "原因不清", 12 } }, 1 },
	{ "reply", "qiantai", { { "method", "phone", 5 }, { "accepted", "no", 2 } }, 2 },
	{ "reopen", "guanli", { { "reason", "客户不接受", 15 } }, 1 },
};

/* ACTION on case no at when; returns the status (err filled). */
static ks_status act(session *s, const char *no, const char *action, const char *when, ks_err *err)
{
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (!strcmp(steps[i].action, action)) {
			clock_set_now(t_time(when));
			t_as(s, steps[i].who);
			return case_do(s, no, action, steps[i].kv, steps[i].n, -1, err);
		}
	fail_msg("no step %s", action);
	return KS_FAIL;
}

static void must(session *s, const char *no, const char *action, const char *when)
{
	ks_err err = { "" };
	if (act(s, no, action, when, &err) != KS_OK)
		fail_msg("%s at %s: %s", action, when, err.msg);
}

/* What one clock row should hold. NULL stopped: still open. */
typedef struct want {
	const char *clock, *status, *started, *due, *stopped;
} want;

/* The store_deadlines rows of case no are exactly w[0..n) (any order). */
static void rows_are(session *s, const char *no, const want *w, size_t n, const char *where)
{
	ks_err err;
	store_case c = {0};
	assert_int_equal(store_case_get(s->st, no, &c, &err), KS_OK);
	store_deadline *v = NULL;
	size_t nv = 0;
	assert_int_equal(store_deadlines(s->st, c.id, &v, &nv, &err), KS_OK);
	if (nv != n)
		fail_msg("%s: %zu clock rows, want %zu", where, nv, n);
	for (size_t i = 0; i < n; i++) {
		const store_deadline *d = NULL;
		for (size_t j = 0; j < nv; j++)
			if (!strcmp(v[j].clock, w[i].clock))
				d = &v[j];
		if (!d)
			fail_msg("%s: no row for clock %s", where, w[i].clock);
		char started[40], due[40], stopped[40] = "(open)";
		clock_iso(d->started_at, started, sizeof started);
		clock_iso(d->due_at, due, sizeof due);
		if (d->stopped_at)
			clock_iso(d->stopped_at, stopped, sizeof stopped);
		const char *ws = w[i].stopped ? w[i].stopped : "(open)";
		if (strcmp(d->status, w[i].status) || strcmp(started, w[i].started) || strcmp(due, w[i].due) ||
		    strcmp(stopped, ws))
			fail_msg("%s: clock %s is [%s, started %s, due %s, stopped %s], want [%s, %s, %s, %s]", where,
			         d->clock, d->status, started, due, stopped, w[i].status, w[i].started, w[i].due, ws);
		assert_int_equal(d->case_id, c.id);
		assert_string_equal(d->unit, "days");
		assert_string_equal(d->calendar_version, calendar_version(s->cf->cal));
		const conf_clock *k = conf_find_clock(s->cf, d->clock);
		assert_non_null(k);
		assert_string_equal(d->label, k->label);
	}
	store_deadlines_free(v, nv);
	store_case_clear(&c);
}

#define ROWS(s, no, where, ...)                                                       \
	do {                                                                          \
		const want w_[] = { __VA_ARGS__ };                                    \
		rows_are(s, no, w_, sizeof w_ / sizeof *w_, where);                   \
	} while (0)

#define CLOSE_D { "close_domestic", "running", "2026-11-23T10:00:00+08:00", "2026-12-09T00:00:00+08:00", NULL }

static void test_report_clock(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "2026-11-23 09:00", "domestic");
	rows_are(s, no, NULL, 0, "after registration");

	/* accept (Mon 11-23): 15 days → Tue 12-08 → due 12-09 00:00 */
	must(s, no, "accept", "2026-11-23 10:00");
	ROWS(s, no, "after accept", CLOSE_D);

	/* assign (Wed 11-25): 3rd day Sat 11-28 → Mon 11-30 → due 12-01 00:00 */
	must(s, no, "assign", "2026-11-25 10:00");
	ROWS(s, no, "after assign", CLOSE_D,
	     { "report", "running", "2026-11-25T10:00:00+08:00", "2026-12-01T00:00:00+08:00", NULL });

	/* report (Thu 11-26) stops report in time, starts opinion: 1 day → Fri 11-27 → 11-28 00:00 */
	must(s, no, "report", "2026-11-26 10:00");
	ROWS(s, no, "after report", CLOSE_D,
	     { "report", "met", "2026-11-25T10:00:00+08:00", "2026-12-01T00:00:00+08:00", "2026-11-26T10:00:00+08:00" },
	     { "opinion", "running", "2026-11-26T10:00:00+08:00", "2026-11-28T00:00:00+08:00", NULL });

	/* return (Mon 11-30) stops opinion late and restarts report with a new start:
	 * 3 days → Thu 12-03 → 12-04 00:00 */
	must(s, no, "return", "2026-11-30 10:00");
	ROWS(s, no, "after return", CLOSE_D,
	     { "report", "running", "2026-11-30T10:00:00+08:00", "2026-12-04T00:00:00+08:00", NULL },
	     { "opinion", "breached", "2026-11-26T10:00:00+08:00", "2026-11-28T00:00:00+08:00", "2026-11-30T10:00:00+08:00" });

	/* the second report (Thu 12-03 16:00): report met; opinion restarted: 1 day → Fri 12-04 → 12-05 00:00 */
	must(s, no, "report", "2026-12-03 16:00");
	ROWS(s, no, "after the second report", CLOSE_D,
	     { "report", "met", "2026-11-30T10:00:00+08:00", "2026-12-04T00:00:00+08:00", "2026-12-03T16:00:00+08:00" },
	     { "opinion", "running", "2026-12-03T16:00:00+08:00", "2026-12-05T00:00:00+08:00", NULL });

	/* approve on the last second of the opinion clock's last day: met */
	must(s, no, "approve", "2026-12-04 23:59");
	must(s, no, "reply", "2026-12-07 09:00");
	ROWS(s, no, "after approve and reply", CLOSE_D,
	     { "report", "met", "2026-11-30T10:00:00+08:00", "2026-12-04T00:00:00+08:00", "2026-12-03T16:00:00+08:00" },
	     { "opinion", "met", "2026-12-03T16:00:00+08:00", "2026-12-05T00:00:00+08:00", "2026-12-04T23:59:00+08:00" });

	/* reopen (Mon 12-07): report restarts, 3 days → Thu 12-10 → 12-11 00:00; close_domestic runs on */
	must(s, no, "reopen", "2026-12-07 10:00");
	ROWS(s, no, "after reopen", CLOSE_D,
	     { "report", "running", "2026-12-07T10:00:00+08:00", "2026-12-11T00:00:00+08:00", NULL },
	     { "opinion", "met", "2026-12-03T16:00:00+08:00", "2026-12-05T00:00:00+08:00", "2026-12-04T23:59:00+08:00" });

	/* the restarted clock's status at the boundary seconds */
	store_case c = {0};
	ks_err err;
	assert_int_equal(store_case_get(s->st, no, &c, &err), KS_OK);
	store_deadline *v = NULL;
	size_t nv = 0;
	assert_int_equal(store_deadlines(s->st, c.id, &v, &nv, &err), KS_OK);
	for (size_t i = 0; i < nv; i++)
		if (!strcmp(v[i].clock, "report")) {
			assert_string_equal(deadline_status(&v[i], v[i].due_at - 1), "running");
			assert_string_equal(deadline_status(&v[i], v[i].due_at), "running");
			assert_string_equal(deadline_status(&v[i], v[i].due_at + 1), "breached");
		}
	store_deadlines_free(v, nv);
	store_case_clear(&c);
	free(no);
}

static void test_region_and_late_report(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	/* foreign: close_foreign, 20 days from Thu 02-12 → Wed 03-04 → 03-05 00:00 */
	char *no = reg(s, "2026-02-12 09:00", "foreign");
	must(s, no, "accept", "2026-02-12 10:00");
	ROWS(s, no, "foreign accept",
	     { "close_foreign", "running", "2026-02-12T10:00:00+08:00", "2026-03-05T00:00:00+08:00", NULL });
	/* assign Fri 02-13: 3rd day 02-16 is 春节 (02-15 … 02-23) → Tue 02-24 → due 02-25 00:00;
	 * reported exactly at due: met */
	must(s, no, "assign", "2026-02-13 10:00");
	must(s, no, "report", "2026-02-25 00:00");
	ROWS(s, no, "report at due exactly",
	     { "close_foreign", "running", "2026-02-12T10:00:00+08:00", "2026-03-05T00:00:00+08:00", NULL },
	     { "report", "met", "2026-02-13T10:00:00+08:00", "2026-02-25T00:00:00+08:00", "2026-02-25T00:00:00+08:00" },
	     { "opinion", "running", "2026-02-25T00:00:00+08:00", "2026-02-27T00:00:00+08:00", NULL });
	free(no);

	/* domestic: 15 days → Fri 02-27 → 02-28 00:00; the same report one minute late: breached */
	no = reg(s, "2026-02-12 09:00", "domestic");
	must(s, no, "accept", "2026-02-12 10:00");
	must(s, no, "assign", "2026-02-13 10:00");
	must(s, no, "report", "2026-02-25 00:01");
	ROWS(s, no, "report one minute late",
	     { "close_domestic", "running", "2026-02-12T10:00:00+08:00", "2026-02-28T00:00:00+08:00", NULL },
	     { "report", "breached", "2026-02-13T10:00:00+08:00", "2026-02-25T00:00:00+08:00", "2026-02-25T00:01:00+08:00" },
	     { "opinion", "running", "2026-02-25T00:01:00+08:00", "2026-02-27T00:00:00+08:00", NULL });
	free(no);
}

static void test_no_year_writes_nothing(void **state)
{
	fixture *f = *state;
	/* the calendar refuses years without data (unknown_years: refuse) */
	char *cmd = ks_asprintf("sed -i 's/^  unknown_years: .*/  unknown_years: refuse/' '%s/config/calendar.yaml' && "
	                        "grep -q '^  unknown_years: refuse' '%s/config/calendar.yaml'", f->dir, f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	ks_err err = { "" };
	session_close(f->s);
	if (session_open(f->dir, &f->s, &err))
		fail_msg("%s", err.msg);
	session *s = f->s;
	char *no = reg(s, "2026-12-15 09:00", "domestic");
	/* 15 days from 12-20 is 2027-01-04: the calendar has no 2027 */
	ks_status rc = act(s, no, "accept", "2026-12-20 10:00", &err);
	assert_int_not_equal(rc, KS_OK);
	if (!strstr(err.msg, "2027"))
		fail_msg("the message does not name 2027: %s", err.msg);
	store_case c = {0};
	assert_int_equal(store_case_get(s->st, no, &c, &err), KS_OK);
	assert_string_equal(c.state, "intake");
	assert_int_equal(c.version, 1);
	store_case_clear(&c);
	rows_are(s, no, NULL, 0, "after the refused accept");
	case_view v;
	assert_int_equal(case_load(s, no, &v, &err), KS_OK);
	assert_int_equal(v.nevents, 1);
	case_view_free(&v);
	/* 12-16 is fine: the last day is 12-31 */
	must(s, no, "accept", "2026-12-16 10:00");
	ROWS(s, no, "accept 12-16",
	     { "close_domestic", "running", "2026-12-16T10:00:00+08:00", "2027-01-01T00:00:00+08:00", NULL });
	free(no);
}

/* ---- one case's reminders and 签呈 by index ------------------------------ */

typedef struct traced {
	char *sql[8];
	int n;
} traced;

static int trace_stmt(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	traced *t = ctx;
	const char *sql = sqlite3_sql(p);
	if (t->n < 8 && (strstr(sql, "FROM reminders r") || strstr(sql, "FROM dissents d")))
		t->sql[t->n++] = ks_strdup(sql);
	return 0;
}

/* `kesu show` reads one case's reminders and 签呈 (and `kesu list` the 签呈
 * routed to the person); the statements were
 * `WHERE (:id = 0 OR r.case_id = :id)`, which SQLite plans before the value is
 * known: a scan of the whole table for every show. Now no step of their
 * query plan scans reminders or dissents. */
static void test_case_rows_by_index(void **state)
{
	fixture *f = *state;
	sqlite3 *db = f->s->st->db;
	traced t = {0};
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_stmt, &t);
	store_reminder *r = NULL;
	store_dissent *d = NULL;
	size_t n = 0;
	ks_err err;
	assert_int_equal(store_reminders(f->s->st, 1, &r, &n, &err), KS_OK);
	store_reminders_free(r, n);
	assert_int_equal(store_dissents(f->s->st, 1, NULL, false, &d, &n, &err), KS_OK);
	store_dissents_free(d, n);
	/* and `kesu list`'s 签呈 routed to the person (was a scan of all) */
	assert_int_equal(store_dissents(f->s->st, 0, "guanli", true, &d, &n, &err), KS_OK);
	store_dissents_free(d, n);
	sqlite3_trace_v2(db, 0, NULL, NULL);
	assert_int_equal(t.n, 3);
	for (int i = 0; i < t.n; i++) {
		char *q = ks_asprintf("EXPLAIN QUERY PLAN %s", t.sql[i]);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(st, 3);
			if (!strncmp(detail, "SCAN r", 6) || !strncmp(detail, "SCAN d", 6))
				fail_msg("%s\n  plans: %s", t.sql[i], detail);
		}
		sqlite3_finalize(st);
		free(q);
		free(t.sql[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_span),
		cmocka_unit_test_setup_teardown(test_report_clock, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_region_and_late_report, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_no_year_writes_nothing, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_case_rows_by_index, t_setup_manufacturing, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
