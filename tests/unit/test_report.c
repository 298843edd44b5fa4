/* test_report.c — the monthly report's derived data and its fast paths
 * (schema 016, src/store/report.c), on the manufacturing preset:
 *  - case_values holds, for every case and every key of report_keys, the
 *    value CAST(json_extract(fields, '$."key"') AS TEXT), after each write
 *    path: register, do (fields, department, state), reopen, import;
 *  - report_keys follows the configuration (keys added and removed);
 *  - the breakdowns from case_values equal those from the cases' JSON;
 *  - accepted/rejected counted by the range scan and by the per-case
 *    look-up, and handling times of cases registered in and before the
 *    month, are the figures worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/import.h"
#include "kesu/report.h"
#include "testlib.h"
#include "../../src/store/private.h"   /* the connection: to read the derived tables */

typedef t_fixture fixture;

static long long q1(session *s, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->st->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(s->st->db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(s->st->db));
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void exec(session *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* case_values is exactly what the cases' JSON says, for the keys of the
 * configuration; what: the write path just taken */
static void check_values(session *s, const char *what)
{
	size_t nk;
	const char **keys = report_field_keys(s->cf, &nk);
	assert_true(nk >= 3);   /* channel, region, category … */
	long long stored = q1(s, "SELECT count(*) FROM report_keys");
	if (stored != (long long)nk)
		fail_msg("%s: report_keys has %lld keys, the configuration %zu", what, stored, nk);
	for (size_t i = 0; i < nk; i++) {
		char *q = sqlite3_mprintf("SELECT count(*) FROM report_keys WHERE key = %Q", keys[i]);
		if (q1(s, q) != 1)
			fail_msg("%s: %s is not in report_keys", what, keys[i]);
		sqlite3_free(q);
	}
	free(keys);
	static const char want[] =
		"SELECT k.key, c.created_at, c.id, c.dept, CAST(json_extract(c.fields, '$.\"' || k.key || '\"') AS TEXT) "
		"FROM cases c, report_keys k";
	static const char have[] = "SELECT key, created_at, case_id, dept, value FROM case_values";
	char *missing = sqlite3_mprintf("SELECT count(*) FROM (%s EXCEPT %s)", want, have);
	char *extra = sqlite3_mprintf("SELECT count(*) FROM (%s EXCEPT %s)", have, want);
	long long m = q1(s, missing), x = q1(s, extra);
	long long n = q1(s, "SELECT count(*) FROM case_values"),
	          w = q1(s, "SELECT (SELECT count(*) FROM cases) * (SELECT count(*) FROM report_keys)");
	sqlite3_free(missing);
	sqlite3_free(extra);
	if (m || x || n != w)
		fail_msg("%s: case_values has %lld rows (want %lld), %lld missing or wrong, %lld extra", what, n, w, m, x);
}

static void at(const char *when)
{
	time_t t;
	assert_true(clock_parse(when, &t));
	clock_set_now(t);
}

static char *reg(session *s, const char *when, const char *channel, const char *category)
{
	form_kv kv[] = {
		{ "customer", "某电子厂", 12 }, { "contact", "0512-1234567", 12 }, { "channel", channel, strlen(channel) },
		{ "region", "domestic", 8 }, { "category", category, strlen(category) }, { "subject", "外壳开裂", 12 },
		{ "detail", "第二批外壳有裂纹", 24 },
	};
	at(when);
	return t_register(s, "qiantai", kv, sizeof kv / sizeof *kv);
}

static void act(session *s, const char *when, const char *no, const char *action, const char *who,
                const form_kv *kv, size_t n)
{
	at(when);
	t_as(s, who);
	ks_err err = { "" };
	if (case_do(s, no, action, kv, n, -1, &err))
		fail_msg("%s %s by %s: %s", no, action, who, err.msg);
}

static const form_kv k_assign_q[] = { { "dept", "quality", 7 } };
static const form_kv k_assign_m[] = { { "dept", "manufacturing", 13 } };
static const form_kv k_report[] = { { "cause", "模具磨损", 12 }, { "process", "抽检", 6 }, { "responsible", "二号机", 9 },
	                             { "conclusion", "属实", 6 }, { "countermeasure", "换模", 6 },
	                             { "prevention", "点检", 6 }, { "loss", "3000", 4 } };
static const form_kv k_approve[] = { { "decision", "同意", 6 } };
static const form_kv k_reply[] = { { "method", "phone", 5 }, { "accepted", "yes", 3 } };
static const form_kv k_reopen[] = { { "reason", "客户不接受", 15 } };
static const form_kv k_reject[] = { { "reason", "已由法院受理", 18 } };

/* accept … close: the case is closed at `close` */
static void to_closed(session *s, const char *no, const char *day, const char *close)
{
	char t[32];
	snprintf(t, sizeof t, "%s 10:00", day);
	act(s, t, no, "accept", "guanli", NULL, 0);
	act(s, t, no, "assign", "guanli", k_assign_q, 1);
	act(s, t, no, "report", "zhijian", k_report, 7);
	act(s, t, no, "approve", "yewujingli", k_approve, 1);
	act(s, t, no, "reply", "qiantai", k_reply, 2);
	act(s, close, no, "close", "zongjingli", NULL, 0);
}

static void test_values_every_path(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	check_values(s, "empty");
	char *a = reg(s, "2026-10-05 09:00", "phone", "quality");
	check_values(s, "register");
	char *b = reg(s, "2026-10-06 09:00", "email", "nonquality");
	act(s, "2026-10-06 10:00", a, "accept", "guanli", NULL, 0);
	check_values(s, "accept");
	act(s, "2026-10-06 11:00", a, "assign", "guanli", k_assign_q, 1);
	check_values(s, "assign (department)");
	act(s, "2026-10-06 11:30", a, "report", "zhijian", k_report, 7);
	check_values(s, "report (fields)");
	act(s, "2026-10-06 12:00", a, "approve", "yewujingli", k_approve, 1);
	act(s, "2026-10-06 13:00", a, "reply", "qiantai", k_reply, 2);
	act(s, "2026-10-06 14:00", a, "close", "zongjingli", NULL, 0);
	check_values(s, "close");
	act(s, "2026-10-07 09:00", a, "reopen", "guanli", k_reopen, 1);
	check_values(s, "reopen");
	act(s, "2026-10-07 10:00", b, "reject", "guanli", k_reject, 1);
	check_values(s, "reject");

	/* an import: cases with their own numbers and dates */
	static const char csv[] =
		"案件编号,登记时间,客户名称,联系方式,渠道,地区,客诉类别,主题,投诉内容,状态,登记人\r\n"
		"2609-001,2026-09-03 09:00,客户一,0512-1,电话,国内,质量异常,主题一,内容一,受理,qiantai\r\n"
		"2609-002,2026-09-04 09:00,客户二,0512-2,电子邮件,国外,非质量异常,主题二,内容二,结案,qiantai\r\n";
	at("2026-10-08 09:00");
	t_as(s, "qiantai");
	import_plan plan = {0};
	ks_err err = { "" };
	if (import_run(s, csv, sizeof csv - 1, "UTF-8", "t.csv", NULL, NULL, &plan, &err))
		fail_msg("import: %s (%s: %s)", err.msg, plan.nprobs ? plan.probs[0].column : "",
		         plan.nprobs ? plan.probs[0].msg : "");
	import_plan_free(&plan);
	assert_int_equal(q1(s, "SELECT count(*) FROM cases"), 4);
	check_values(s, "import");
	assert_int_equal(q1(s, "SELECT count(*) FROM case_values WHERE key = 'channel' AND value = 'email'"), 2);

	/* a change outside the engine's code paths too (the triggers) */
	exec(s, "UPDATE cases SET created_at = created_at + 86400, dept = 'quality' WHERE id = 1");
	check_values(s, "created_at and dept changed by hand");
	exec(s, "UPDATE cases SET fields = json_set(fields, '$.channel', 7) WHERE id = 2");
	check_values(s, "a number as a choice value");
	exec(s, "UPDATE cases SET fields = json_remove(fields, '$.region') WHERE id = 2");
	check_values(s, "a value removed");
	free(a);
	free(b);
}

/* The keys follow the configuration: a key the configuration no longer has
 * loses its rows, a key it gained is filled from every case. */
static void test_keys_sync(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	free(reg(s, "2026-10-05 09:00", "phone", "quality"));
	free(reg(s, "2026-10-06 09:00", "email", "quality"));
	ks_err err;
	const char *two[] = { "channel", "subject" };
	assert_int_equal(store_report_keys_sync(s->st, two, 2, &err), KS_OK);
	assert_int_equal(q1(s, "SELECT count(*) FROM report_keys"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM case_values WHERE key = 'subject' AND value = '外壳开裂'"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM case_values WHERE key = 'region'"), 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM case_values"), 4);
	session_close(s);
	/* the next session puts the configuration's keys back */
	if (session_open(f->dir, &f->s, &err))
		fail_msg("%s", err.msg);
	check_values(f->s, "reopened session");
	assert_int_equal(q1(f->s, "SELECT count(*) FROM case_values WHERE key = 'subject'"), 0);
}

static void report_json(session *s, const char *month, const char *who, char **text);

/* A session opened while another process holds the write lock cannot
 * synchronise report_keys: it opens all the same (after the lock wait) and
 * its report, reading the JSON for the missing key, is the same. */
static void test_keys_sync_busy(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	free(reg(s, "2026-10-05 09:00", "phone", "quality"));
	free(reg(s, "2026-10-06 09:00", "email", "nonquality"));
	char *want;
	report_json(s, "2026-10", "guanli", &want);
	exec(s, "DELETE FROM report_keys WHERE key = 'channel'");
	char *db = ks_asprintf("%s/kesu.db", f->dir);
	store *other;
	ks_err err;
	assert_int_equal(store_open(db, false, &other, &err), KS_OK);
	assert_int_equal(store_begin(other, &err), KS_OK);
	session *s2 = NULL;
	if (session_open(f->dir, &s2, &err))
		fail_msg("session_open while busy: %s", err.msg);
	assert_int_equal(q1(s2, "SELECT count(*) FROM report_keys WHERE key = 'channel'"), 0);
	char *got;
	report_json(s2, "2026-10", "guanli", &got);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "channel email 1\n"));
	store_rollback(other);
	store_close(other);
	session_close(s2);
	free(db);
	free(want);
	free(got);
}

static void report_json(session *s, const char *month, const char *who, char **text)
{
	t_as(s, who);
	report r;
	ks_err err = { "" };
	if (report_monthly(s, month, &r, &err))
		fail_msg("report %s: %s", month, err.msg);
	/* a deterministic dump of every figure */
	size_t cap = 1 << 16, len = 0;
	char *o = ks_malloc(cap);
	len += (size_t)snprintf(o + len, cap - len, "%lld %lld %lld %lld %lld %lld %lld | %lld %.6f %.6f\n", r.k.received,
	                        r.k.accepted, r.k.rejected, r.k.closed, r.k.open_end, r.k.reopened, r.k.overdue_end,
	                        r.nhandled, r.avg_days, r.p90_days);
	for (size_t i = 0; i < r.nbd; i++)
		for (size_t j = 0; j < r.bd[i].nitems; j++)
			len += (size_t)snprintf(o + len, cap - len, "%s %s %lld\n", r.bd[i].key,
			                        r.bd[i].items[j].value ? r.bd[i].items[j].value : "(null)", r.bd[i].items[j].n);
	*text = o;
	report_free(&r);
}

/* The breakdowns from case_values are the breakdowns from the JSON (the
 * fallback when report_keys lacks a key), for the company and a department,
 * with missing values, a number and a JSON null among them. */
static void test_breakdowns_same(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	const char *ch[] = { "phone", "email", "chat", "phone", "visit", "email", "phone" };
	for (int i = 0; i < 7; i++) {
		char when[32];
		snprintf(when, sizeof when, "2026-10-%02d 09:00", 3 + i);
		char *no = reg(s, when, ch[i], i % 3 ? "quality" : "nonquality");
		if (i % 2)
			act(s, when, no, "accept", "guanli", NULL, 0);
		if (i == 3)
			act(s, when, no, "assign", "guanli", k_assign_m, 1);
		free(no);
	}
	exec(s, "UPDATE cases SET fields = json_remove(fields, '$.channel') WHERE id = 2");
	exec(s, "UPDATE cases SET fields = json_set(fields, '$.region', 12.5) WHERE id = 3");
	exec(s, "UPDATE cases SET fields = json_set(fields, '$.category', json('null')) WHERE id = 4");
	check_values(s, "edited by hand");
	const char *who[] = { "guanli", "zhiguan" };
	for (int w = 0; w < 2; w++) {
		char *fast, *slow;
		report_json(s, "2026-10", who[w], &fast);
		exec(s, "DELETE FROM report_keys WHERE key = 'region'");   /* now the JSON is read */
		report_json(s, "2026-10", who[w], &slow);
		ks_err err;
		size_t nk;
		const char **keys = report_field_keys(s->cf, &nk);
		if (store_report_keys_sync(s->st, keys, nk, &err))
			fail_msg("sync: %s", err.msg);
		free(keys);
		assert_string_equal(fast, slow);
		if (w == 0) {
			assert_non_null(strstr(fast, "channel phone 3\n"));
			assert_non_null(strstr(fast, "channel (null) 1\n"));
			assert_non_null(strstr(fast, "region 12.5 1\n"));
			assert_non_null(strstr(fast, "category (null) 1\n"));
		}
		free(fast);
		free(slow);
	}
}

/* accepted / rejected by the range scan (a month whose cases have
 * neighbouring ids) and by the per-case look-up (a month whose ids are far
 * apart: cases registered in between belong to another month); handling
 * times of a case registered in the month and of one registered before. */
/* The clocks of r are those the statement of before schema 016 counts. */
static void check_clocks(session *s, const report *r, const char *dept)
{
	char *q = sqlite3_mprintf(
		"SELECT count(*) FROM (SELECT d.clock, sum(d.status = 'met') AS met, sum(d.status = 'breached') AS br "
		"FROM deadlines d WHERE d.stopped_at >= %lld AND d.stopped_at < %lld AND d.status IN ('met', 'breached') "
		"AND (%Q IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = d.case_id AND c.dept = %Q)) GROUP BY d.clock)",
		(long long)r->from, (long long)r->cutoff, dept, dept);
	assert_int_equal(q1(s, q), (long long)r->nclocks);
	sqlite3_free(q);
	long long total = 0;
	for (size_t i = 0; i < r->nclocks; i++) {
		q = sqlite3_mprintf("SELECT sum(d.status = 'met') * 1000000 + sum(d.status = 'breached') FROM deadlines d "
		                    "WHERE d.clock = %Q AND d.stopped_at >= %lld AND d.stopped_at < %lld "
		                    "AND d.status IN ('met', 'breached') AND (%Q IS NULL OR EXISTS "
		                    "(SELECT 1 FROM cases c WHERE c.id = d.case_id AND c.dept = %Q))",
		                    r->clocks[i].clock, (long long)r->from, (long long)r->cutoff, dept, dept);
		assert_int_equal(q1(s, q), r->clocks[i].met * 1000000 + r->clocks[i].breached);
		sqlite3_free(q);
		if (i)
			assert_true(strcmp(r->clocks[i - 1].clock, r->clocks[i].clock) < 0);
		total += r->clocks[i].met + r->clocks[i].breached;
	}
	assert_true(total > 0);
}

static void test_counts_by_hand(void **state)
{
	fixture *f = *state;
	/* department heads and investigators see their department's cases (and
	 * so get its report: zhiguan is both) */
	session_close(f->s);
	char *cmd = ks_asprintf("sed -i -e '/code: dept_head/{n;s/sees: all/sees: department/}' "
	                        "-e '/code: investigator/{n;s/sees: all/sees: department/}' '%s/config/staff.yaml'",
	                        f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	ks_err oerr;
	if (session_open(f->dir, &f->s, &oerr))
		fail_msg("%s", oerr.msg);
	session *s = f->s;
	/* 2026-09: two cases, ids 1 and 12 (ten October cases between them) */
	char *s1 = reg(s, "2026-09-10 09:00", "phone", "quality");
	act(s, "2026-09-10 10:00", s1, "accept", "guanli", NULL, 0);
	char *o[10];
	for (int i = 0; i < 10; i++) {
		char when[32];
		snprintf(when, sizeof when, "2026-10-%02d 09:00", 5 + i);
		o[i] = reg(s, when, "phone", "nonquality");   /* routed to another department than quality */
	}
	char *s2 = reg(s, "2026-09-20 09:00", "email", "quality");   /* a September case with a later id */
	act(s, "2026-09-21 10:00", s2, "reject", "guanli", k_reject, 1);
	/* October: 3 accepted (one of them closed in October), 2 rejected */
	act(s, "2026-10-15 09:00", o[0], "accept", "guanli", NULL, 0);
	act(s, "2026-10-15 09:00", o[1], "accept", "guanli", NULL, 0);
	to_closed(s, o[2], "2026-10-16", "2026-10-20 09:00");
	act(s, "2026-10-15 09:00", o[3], "reject", "guanli", k_reject, 1);
	act(s, "2026-10-15 09:00", o[4], "reject", "guanli", k_reject, 1);
	/* accepted after the month: not counted for October */
	act(s, "2026-11-02 09:00", o[5], "accept", "guanli", NULL, 0);
	/* the September case s1 closed in October: its handling time counts there */
	act(s, "2026-10-01 10:00", s1, "assign", "guanli", k_assign_q, 1);
	act(s, "2026-10-01 10:00", s1, "report", "zhijian", k_report, 7);
	act(s, "2026-10-01 10:00", s1, "approve", "yewujingli", k_approve, 1);
	act(s, "2026-10-01 10:00", s1, "reply", "qiantai", k_reply, 2);
	act(s, "2026-10-10 09:00", s1, "close", "zongjingli", NULL, 0);
	/* both closed twice in October: the last closure counts */
	act(s, "2026-10-11 09:00", s1, "reopen", "guanli", k_reopen, 1);
	act(s, "2026-10-11 10:00", s1, "report", "zhijian", k_report, 7);
	act(s, "2026-10-11 10:00", s1, "approve", "yewujingli", k_approve, 1);
	act(s, "2026-10-11 10:00", s1, "reply", "qiantai", k_reply, 2);
	act(s, "2026-10-12 09:00", s1, "close", "zongjingli", NULL, 0);
	act(s, "2026-10-21 09:00", o[2], "reopen", "guanli", k_reopen, 1);
	act(s, "2026-10-21 10:00", o[2], "report", "zhijian", k_report, 7);
	act(s, "2026-10-21 10:00", o[2], "approve", "yewujingli", k_approve, 1);
	act(s, "2026-10-21 10:00", o[2], "reply", "qiantai", k_reply, 2);
	act(s, "2026-10-25 09:00", o[2], "close", "zongjingli", NULL, 0);
	at("2026-12-01 00:00");
	t_as(s, "guanli");
	report r;
	ks_err err;
	assert_int_equal(report_monthly(s, "2026-10", &r, &err), KS_OK);
	assert_int_equal(r.k.received, 10);
	assert_int_equal(r.k.accepted, 3);
	assert_int_equal(r.k.rejected, 2);
	assert_int_equal(r.k.closed, 2);
	/* o[2]: 2026-10-07 09:00 → 2026-10-25 09:00 = 18 days; s1: 2026-09-10 09:00 → 2026-10-12 09:00 = 32 */
	assert_int_equal(r.nhandled, 2);
	assert_true(r.avg_days > 24.99 && r.avg_days < 25.01);
	assert_true(r.p90_days > 31.99 && r.p90_days < 32.01);
	assert_int_equal(r.k.reopened, 2);
	check_clocks(s, &r, NULL);
	report_free(&r);
	/* September: ids 1 and 12, ten October ids between — the look-up path */
	assert_int_equal(report_monthly(s, "2026-09", &r, &err), KS_OK);
	assert_int_equal(r.k.received, 2);
	assert_int_equal(r.k.accepted, 1);
	assert_int_equal(r.k.rejected, 1);
	report_free(&r);
	/* the department head of quality (zhiguan): of October's cases only o[2]
	 * was assigned to quality; both closed cases were */
	t_as(s, "zhiguan");
	assert_int_equal(report_monthly(s, "2026-10", &r, &err), KS_OK);
	assert_int_equal(r.k.received, 1);
	assert_int_equal(r.k.accepted, 1);
	assert_int_equal(r.k.rejected, 0);
	check_clocks(s, &r, "quality");
	assert_int_equal(r.nhandled, 2);   /* both closed cases were assigned to quality */
	report_free(&r);
	free(s1);
	free(s2);
	for (int i = 0; i < 10; i++)
		free(o[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values_every_path, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_keys_sync, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_keys_sync_busy, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_breakdowns_same, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_counts_by_hand, t_setup_manufacturing, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
