/* test_archive.c — retention arithmetic (the end of the local day a number
 * of months after closing, month ends, leap days, year ends) and
 * retention.yaml diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "kesu/archive.h"
#include "kesu/clock.h"
#include "kesu/conf.h"
#include "testlib.h"

static int setup(void **state)
{
	(void)state;
	ks_err e;
	return clock_set_zone("Asia/Shanghai", &e) == KS_OK ? 0 : -1;
}

static void want_end(time_t from, int months, time_t want)
{
	time_t got = archive_end(from, months);
	if (got != want) {
		char a[40], b[40];
		clock_iso(got, a, sizeof a);
		clock_iso(want, b, sizeof b);
		fail_msg("end %s, want %s", a, b);
	}
}

static void test_archive_end(void **state)
{
	(void)state;
	/* a year: kept through the anniversary, due at 00:00 after it */
	want_end(clock_make(2026, 11, 12, 10, 0), 12, clock_make(2027, 11, 13, 0, 0));
	/* the last minute of a local day is still that day (UTC is 8 hours behind) */
	want_end(clock_make(2026, 11, 12, 23, 59), 12, clock_make(2027, 11, 13, 0, 0));
	want_end(clock_make(2026, 11, 13, 0, 0), 12, clock_make(2027, 11, 14, 0, 0));
	/* 31 January + 1 month: the last day of February */
	want_end(clock_make(2026, 1, 31, 9, 0), 1, clock_make(2026, 3, 1, 0, 0));
	want_end(clock_make(2028, 1, 31, 9, 0), 1, clock_make(2028, 3, 1, 0, 0));   /* 29 Feb 2028 */
	want_end(clock_make(2028, 1, 30, 9, 0), 1, clock_make(2028, 3, 1, 0, 0));
	/* a leap day + a year: 28 February */
	want_end(clock_make(2028, 2, 29, 9, 0), 12, clock_make(2029, 3, 1, 0, 0));
	/* the last day of the year */
	want_end(clock_make(2026, 12, 31, 9, 0), 12, clock_make(2028, 1, 1, 0, 0));
	want_end(clock_make(2026, 12, 30, 9, 0), 1, clock_make(2027, 1, 31, 0, 0));
	/* months across years */
	want_end(clock_make(2026, 11, 15, 9, 0), 14, clock_make(2028, 1, 16, 0, 0));
}

static void test_retention_yaml(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	t_config(dir, "membership");
	char *cdir = ks_asprintf("%s/config", dir);
	t_write(cdir, "retention.yaml",
	        "retention:\n"
	        "  keep: {years: 0}\n"
	        "  from: opened\n"
	        "  extend_when: {field: nosuch, equals: yes}\n"
	        "  extend: {weeks: 2}\n"
	        "  dispose: [nobody]\n"
	        "  keep_fields: [area, nothing]\n"
	        "  colour: red\n");
	conf *c = NULL;
	conf_diags d = { 0 };
	assert_int_equal(conf_load(cdir, &c, &d), KS_INVALID);
	const char *want[] = { "retention.yaml:2:9: keep 不能为零", "retention.yaml:3:9: from 应为 closed",
		               "retention.yaml:4:24: 未定义的字段 nosuch", "retention.yaml:5:12: 未知的键 weeks",
		               "retention.yaml:6:13: 未定义的角色 nobody", "retention.yaml:7:23: 未定义的字段 nothing",
		               "retention.yaml:8:3: 未知的键 colour" };
	t_want_diags(&d, want, sizeof want / sizeof *want);
	conf_diags_free(&d);
	/* a limited keep needs someone to dispose; forever does not */
	t_write(cdir, "retention.yaml", "retention:\n  keep: {months: 18}\n");
	assert_int_equal(conf_load(cdir, &c, &d), KS_INVALID);
	assert_non_null(strstr(d.msgs[0], "缺少必需的键 dispose"));
	conf_diags_free(&d);
	t_write(cdir, "retention.yaml", "retention:\n  keep: forever\n  archive_year: registered\n");
	assert_int_equal(conf_load(cdir, &c, &d), KS_OK);
	assert_true(c->retention->forever);
	assert_int_equal(c->retention->archive_year, RETFROM_REGISTERED + 1);
	conf_free(c);
	conf_diags_free(&d);
	/* the shipped membership file */
	t_write(cdir, "retention.yaml",
	        "retention:\n  keep: {years: 1, months: 6}\n  extend_when: {field: important, equals: [yes, 是]}\n"
	        "  extend: {years: 2}\n  dispose: [gm]\n");
	assert_int_equal(conf_load(cdir, &c, &d), KS_OK);
	assert_int_equal(c->retention->keep_months, 18);
	assert_int_equal(c->retention->extend_months, 24);
	assert_int_equal(c->retention->nextend_values, 2);
	assert_false(c->retention->extend_forever);
	conf_free(c);
	conf_diags_free(&d);
	free(cdir);
	t_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archive_end),
		cmocka_unit_test(test_retention_yaml),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
