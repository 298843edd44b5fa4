/* test_calendar.c — business calendar and deadline arithmetic.
 *
 * The calendar under test is built from the tables below, which mirror
 * config/calendars/cn.yaml (test_yaml_mirrors_tables checks that they agree).
 * Time zone Asia/Shanghai; hours 08:30–12:00 and 13:30–17:30. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/calendar.h"
#include "kesu/clock.h"

/* ---- the data, as in cn.yaml ------------------------------------------ */

struct holiday_row {
	int year;
	const char *name, *from, *to;
};

static const struct holiday_row holidays[] = {
	{2025, "元旦", "2025-01-01", "2025-01-01"},
	{2025, "春节", "2025-01-28", "2025-02-04"},
	{2025, "清明节", "2025-04-04", "2025-04-06"},
	{2025, "劳动节", "2025-05-01", "2025-05-05"},
	{2025, "端午节", "2025-05-31", "2025-06-02"},
	{2025, "国庆节、中秋节", "2025-10-01", "2025-10-08"},
	{2026, "元旦", "2026-01-01", "2026-01-03"},
	{2026, "春节", "2026-02-15", "2026-02-23"},
	{2026, "清明节", "2026-04-04", "2026-04-06"},
	{2026, "劳动节", "2026-05-01", "2026-05-05"},
	{2026, "端午节", "2026-06-19", "2026-06-21"},
	{2026, "中秋节", "2026-09-25", "2026-09-27"},
	{2026, "国庆节", "2026-10-01", "2026-10-07"},
};

struct workday_row {
	int year;
	const char *name, *date;
};

static const struct workday_row workdays[] = {
	{2025, "春节调休", "2025-01-26"},
	{2025, "春节调休", "2025-02-08"},
	{2025, "劳动节调休", "2025-04-27"},
	{2025, "国庆节、中秋节调休", "2025-09-28"},
	{2025, "国庆节、中秋节调休", "2025-10-11"},
	{2026, "元旦调休", "2026-01-04"},
	{2026, "春节调休", "2026-02-14"},
	{2026, "春节调休", "2026-02-28"},
	{2026, "劳动节调休", "2026-05-09"},
	{2026, "国庆节调休", "2026-09-20"},
	{2026, "国庆节调休", "2026-10-10"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---------------------------------------------------------- */

static calendar_date D(const char *s)
{
	calendar_date c = {0, 0, 0};
	if (!calendar_date_parse(s, &c))
		fail_msg("bad date in test: %s", s);
	return c;
}

static time_t T(const char *s)
{
	time_t t = 0;
	if (!clock_parse(s, &t))
		fail_msg("bad time in test: %s", s);
	return t;
}

static const char *S(time_t t, char *buf)
{
	clock_short(t, buf, 20);
	return buf;
}

/* The next day, through the local clock (noon, so no zone edge matters). */
static calendar_date next_day(calendar_date c)
{
	return calendar_date_of(clock_make(c.year, c.month, c.day, 12, 0) + 86400);
}

static int wday(calendar_date c) /* 0 = Sunday, as struct tm */
{
	struct tm tm;
	clock_local(clock_make(c.year, c.month, c.day, 12, 0), &tm);
	return tm.tm_wday;
}

static calendar *build_cn(void)
{
	ks_err e;
	calendar *cal = calendar_new("cn");
	assert_int_equal(calendar_set_workweek(cal, CALENDAR_MON_FRI, &e), KS_OK);
	assert_int_equal(calendar_add_hours(cal, 8 * 60 + 30, 12 * 60, &e), KS_OK);
	assert_int_equal(calendar_add_hours(cal, 13 * 60 + 30, 17 * 60 + 30, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 2025, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	for (size_t i = 0; i < N(holidays); i++)
		if (calendar_add_holiday(cal, D(holidays[i].from), D(holidays[i].to),
		                         holidays[i].name, &e) != KS_OK)
			fail_msg("holiday %s: %s", holidays[i].from, e.msg);
	for (size_t i = 0; i < N(workdays); i++)
		if (calendar_add_workday(cal, D(workdays[i].date), workdays[i].name, &e) != KS_OK)
			fail_msg("workday %s: %s", workdays[i].date, e.msg);
	calendar_set_version(cal, "test-1");
	return cal;
}

static int setup(void **state)
{
	ks_err e;
	if (clock_set_zone("Asia/Shanghai", &e) != KS_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	*state = build_cn();
	return 0;
}

static int teardown(void **state)
{
	calendar_free(*state);
	return 0;
}

/* ---- the data file ---------------------------------------------------- */

static void test_yaml_mirrors_tables(void **state)
{
	(void)state;
	const char *src = getenv("KESU_SRC");
	char path[1024];
	snprintf(path, sizeof path, "%s/config/calendars/cn.yaml", src && *src ? src : ".");
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the source tree or set KESU_SRC)", path);
	char line[512];
	size_t nh = 0, nw = 0;
	int year = 0;
	bool hours = false, week = false, zone = false;
	while (fgets(line, sizeof line, f)) {
		char name[128], a[16], b[16];
		int y;
		if (sscanf(line, "    %d:", &y) == 1 && strncmp(line, "    ", 4) == 0 && line[4] != ' ')
			year = y;
		if (strstr(line, "hours: [\"08:30-12:00\", \"13:30-17:30\"]"))
			hours = true;
		if (strstr(line, "workweek: [mon, tue, wed, thu, fri]"))
			week = true;
		if (strstr(line, "timezone: Asia/Shanghai"))
			zone = true;
		if (sscanf(line, " - {name: %127[^,], from: %10[^,], to: %10[^}]}", name, a, b) == 3) {
			if (nh >= N(holidays))
				fail_msg("cn.yaml has more holidays than the test table: %s", line);
			const struct holiday_row *h = &holidays[nh++];
			if (h->year != year || strcmp(h->name, name) || strcmp(h->from, a) || strcmp(h->to, b))
				fail_msg("cn.yaml holiday %zu (%d %s %s..%s) differs from the table (%d %s %s..%s)",
				         nh, year, name, a, b, h->year, h->name, h->from, h->to);
		} else if (sscanf(line, " - {name: %127[^,], date: %10[^}]}", name, a) == 2) {
			if (nw >= N(workdays))
				fail_msg("cn.yaml has more workdays than the test table: %s", line);
			const struct workday_row *w = &workdays[nw++];
			if (w->year != year || strcmp(w->name, name) || strcmp(w->date, a))
				fail_msg("cn.yaml workday %zu (%d %s %s) differs from the table (%d %s %s)",
				         nw, year, name, a, w->year, w->name, w->date);
		}
	}
	fclose(f);
	assert_int_equal(nh, N(holidays));
	assert_int_equal(nw, N(workdays));
	assert_true(hours);
	assert_true(week);
	assert_true(zone);
}

/* ---- days ------------------------------------------------------------- */

static void test_every_holiday_is_rest(void **state)
{
	const calendar *cal = *state;
	ks_err e;
	for (size_t i = 0; i < N(holidays); i++) {
		calendar_date c = D(holidays[i].from), to = D(holidays[i].to);
		for (int k = 0; k < 40; k++, c = next_day(c)) {
			bool w = true;
			if (calendar_is_workday(cal, c, &w, &e) != KS_OK)
				fail_msg("%04d-%02d-%02d: %s", c.year, c.month, c.day, e.msg);
			if (w)
				fail_msg("%04d-%02d-%02d (%s) should be a rest day",
				         c.year, c.month, c.day, holidays[i].name);
			const char *nm = calendar_day_name(cal, c);
			if (!nm || strcmp(nm, holidays[i].name))
				fail_msg("%04d-%02d-%02d name %s, want %s", c.year, c.month, c.day,
				         nm ? nm : "(null)", holidays[i].name);
			if (c.year == to.year && c.month == to.month && c.day == to.day)
				break;
		}
	}
}

static void test_every_makeup_day_works(void **state)
{
	const calendar *cal = *state;
	ks_err e;
	for (size_t i = 0; i < N(workdays); i++) {
		calendar_date c = D(workdays[i].date);
		bool w = false;
		if (calendar_is_workday(cal, c, &w, &e) != KS_OK)
			fail_msg("%s: %s", workdays[i].date, e.msg);
		if (!w)
			fail_msg("%s (%s) should be a working day", workdays[i].date, workdays[i].name);
		/* the notices only ever move work onto weekends */
		int wd = wday(c);
		if (wd != 0 && wd != 6)
			fail_msg("%s is not a Saturday or Sunday", workdays[i].date);
		assert_string_equal(calendar_day_name(cal, c), workdays[i].name);
	}
}

/* Ordinary days around the arrangements, written out by hand. */
static const struct {
	const char *date;
	bool work;
} neighbours[] = {
	{"2025-01-02", true},  {"2025-01-03", true},  {"2025-01-04", false},
	{"2025-01-25", false}, {"2025-01-27", true},  {"2025-02-05", true},
	{"2025-02-07", true},  {"2025-02-09", false}, {"2025-04-03", true},
	{"2025-04-07", true},  {"2025-04-26", false}, {"2025-04-30", true},
	{"2025-05-06", true},  {"2025-05-30", true},  {"2025-06-03", true},
	{"2025-09-27", false}, {"2025-09-30", true},  {"2025-10-09", true},
	{"2025-10-10", true},  {"2025-10-12", false}, {"2025-12-31", true},
	{"2026-01-05", true},  {"2026-01-10", false}, {"2026-01-11", false},
	{"2026-02-13", true},  {"2026-02-24", true},  {"2026-02-27", true},
	{"2026-03-01", false}, {"2026-04-03", true},  {"2026-04-07", true},
	{"2026-04-30", true},  {"2026-05-06", true},  {"2026-05-08", true},
	{"2026-05-10", false}, {"2026-06-18", true},  {"2026-06-22", true},
	{"2026-09-19", false}, {"2026-09-21", true},  {"2026-09-24", true},
	{"2026-09-28", true},  {"2026-09-30", true},  {"2026-10-08", true},
	{"2026-10-09", true},  {"2026-10-11", false}, {"2026-11-27", true},
	{"2026-11-28", false}, {"2026-11-29", false}, {"2026-11-30", true},
	{"2026-12-31", true},
};

static void test_neighbours(void **state)
{
	const calendar *cal = *state;
	ks_err e;
	for (size_t i = 0; i < N(neighbours); i++) {
		bool w = !neighbours[i].work;
		if (calendar_is_workday(cal, D(neighbours[i].date), &w, &e) != KS_OK)
			fail_msg("%s: %s", neighbours[i].date, e.msg);
		if (w != neighbours[i].work)
			fail_msg("%s: workday=%d, want %d", neighbours[i].date, w, neighbours[i].work);
		if (calendar_day_name(cal, D(neighbours[i].date)))
			fail_msg("%s should have no name", neighbours[i].date);
	}
}

/* 365 days - 104 weekend days - 13 statutory holidays = 248, both years. */
static void test_year_totals(void **state)
{
	const calendar *cal = *state;
	ks_err e;
	for (int y = 2025; y <= 2026; y++) {
		int n = 0;
		calendar_date c = {y, 1, 1};
		for (int k = 0; k < 365; k++, c = next_day(c)) {
			bool w;
			assert_int_equal(calendar_is_workday(cal, c, &w, &e), KS_OK);
			n += w;
		}
		assert_int_equal(c.year, y + 1);
		assert_int_equal(n, 248);
	}
}

static void test_unknown_year(void **state)
{
	const calendar *cal = *state;
	static const char *const dates[] = {"2024-12-31", "2027-01-01", "2027-06-15", "1999-03-03"};
	for (size_t i = 0; i < N(dates); i++) {
		ks_err e = {""};
		bool w = true;
		assert_int_equal(calendar_is_workday(cal, D(dates[i]), &w, &e), KS_INVALID);
		assert_true(w); /* untouched */
		char year[8];
		snprintf(year, sizeof year, "%.4s", dates[i]);
		assert_non_null(strstr(e.msg, year));
		assert_non_null(strstr(e.msg, "cn"));
	}
	assert_true(calendar_has_year(cal, 2025));
	assert_true(calendar_has_year(cal, 2026));
	assert_false(calendar_has_year(cal, 2027));
	ks_err e;
	bool w;
	calendar_date bad = {2026, 2, 29};
	assert_int_equal(calendar_is_workday(cal, bad, &w, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2026-02-29"));
}

/* ---- deadlines -------------------------------------------------------- */

#define MIN CALENDAR_MINUTES
#define HRS CALENDAR_HOURS
#define DAYS CALENDAR_DAYS
#define WDAYS CALENDAR_WORKDAYS
#define MONS CALENDAR_MONTHS
#define WHRS CALENDAR_WORKHOURS
#define EOD CALENDAR_END_EOD
#define CLOSE CALENDAR_END_CLOSE
#define NEXT CALENDAR_ROLL_NEXT
#define NONE CALENDAR_ROLL_NONE

struct due_row {
	const char *start;
	calendar_unit unit;
	long n;
	calendar_end end;
	calendar_roll roll;
	const char *due;   /* expected, or NULL for an error */
	const char *err;   /* substring of the error */
};

static const struct due_row due_rows[] = {
	/* elapsed time: no calendar data needed */
	{"2026-03-04 10:00", MIN, 3, EOD, NEXT, "2026-03-04 10:03", NULL},
	{"2026-03-04 10:00", MIN, 5, EOD, NEXT, "2026-03-04 10:05", NULL},
	{"2026-03-04 10:00", MIN, 10, EOD, NEXT, "2026-03-04 10:10", NULL},
	{"2026-03-04 10:00", HRS, 24, EOD, NEXT, "2026-03-05 10:00", NULL},
	{"2026-03-04 10:00", HRS, 12, EOD, NEXT, "2026-03-04 22:00", NULL},
	{"2026-03-04 10:00", HRS, 2, EOD, NEXT, "2026-03-04 12:00", NULL},
	{"2026-09-30 23:00", HRS, 2, EOD, NEXT, "2026-10-01 01:00", NULL},
	{"2026-12-31 20:00", HRS, 48, EOD, NEXT, "2027-01-02 20:00", NULL},
	{"2030-06-01 10:00", MIN, 10, EOD, NEXT, "2030-06-01 10:10", NULL},
	{"2026-03-04 10:00", MIN, 0, EOD, NEXT, "2026-03-04 10:00", NULL},
	/* calendar days (民法典 201–203) */
	{"2026-09-28 10:00", DAYS, 15, EOD, NEXT, "2026-10-14 00:00", NULL},
	{"2026-09-28 10:00", DAYS, 15, CLOSE, NEXT, "2026-10-13 17:30", NULL},
	{"2026-02-12 09:00", DAYS, 20, EOD, NEXT, "2026-03-05 00:00", NULL},
	{"2026-02-12 09:00", DAYS, 20, CLOSE, NEXT, "2026-03-04 17:30", NULL},
	{"2026-09-30 16:00", DAYS, 3, EOD, NEXT, "2026-10-09 00:00", NULL},
	{"2026-09-30 16:00", DAYS, 3, CLOSE, NEXT, "2026-10-08 17:30", NULL},
	{"2026-09-30 16:00", DAYS, 3, EOD, NONE, "2026-10-04 00:00", NULL},
	{"2026-09-30 16:00", DAYS, 3, CLOSE, NONE, "2026-10-03 17:30", NULL},
	{"2025-12-31 10:00", DAYS, 3, EOD, NEXT, "2026-01-05 00:00", NULL},
	{"2025-12-31 10:00", DAYS, 3, CLOSE, NEXT, "2026-01-04 17:30", NULL},
	{"2026-03-31 10:00", DAYS, 1, EOD, NEXT, "2026-04-02 00:00", NULL},
	{"2026-04-30 10:00", DAYS, 1, EOD, NEXT, "2026-05-07 00:00", NULL},
	{"2026-02-27 10:00", DAYS, 1, EOD, NEXT, "2026-03-01 00:00", NULL},
	{"2026-03-06 10:00", DAYS, 1, EOD, NEXT, "2026-03-10 00:00", NULL},
	{"2026-03-04 00:00", DAYS, 1, EOD, NEXT, "2026-03-06 00:00", NULL},
	{"2026-03-04 23:59", DAYS, 1, EOD, NEXT, "2026-03-06 00:00", NULL},
	{"2026-03-04 10:00", DAYS, 0, EOD, NEXT, "2026-03-05 00:00", NULL},
	{"2026-03-07 10:00", DAYS, 0, EOD, NEXT, "2026-03-10 00:00", NULL},
	{"2026-03-07 10:00", DAYS, 0, EOD, NONE, "2026-03-08 00:00", NULL},
	{"2026-10-01 09:00", DAYS, 7, EOD, NEXT, "2026-10-09 00:00", NULL},
	{"2026-02-10 10:00", DAYS, 15, EOD, NEXT, "2026-02-26 00:00", NULL},
	{"2026-02-10 10:00", DAYS, 7, EOD, NEXT, "2026-02-25 00:00", NULL},
	{"2025-02-20 10:00", DAYS, 10, EOD, NEXT, "2025-03-04 00:00", NULL}, /* Sun 03-02 */
	{"2026-12-30 10:00", DAYS, 1, EOD, NEXT, "2027-01-01 00:00", NULL},
	{"2024-12-20 10:00", DAYS, 15, EOD, NEXT, "2025-01-07 00:00", NULL},
	{"2026-12-20 10:00", DAYS, 15, EOD, NONE, "2027-01-05 00:00", NULL},
	{"2026-12-20 10:00", DAYS, 15, EOD, NEXT, NULL, "2027"},
	{"2026-12-31 10:00", DAYS, 2, CLOSE, NEXT, NULL, "2027"},
	/* working days: the start day never counts */
	{"2026-01-02 10:00", WDAYS, 1, CLOSE, NEXT, "2026-01-04 17:30", NULL},
	{"2026-01-02 10:00", WDAYS, 1, EOD, NEXT, "2026-01-05 00:00", NULL},
	{"2026-02-13 10:00", WDAYS, 3, CLOSE, NEXT, "2026-02-25 17:30", NULL},
	{"2026-03-04 10:00", WDAYS, 3, CLOSE, NEXT, "2026-03-09 17:30", NULL},
	{"2026-03-04 20:00", WDAYS, 1, CLOSE, NEXT, "2026-03-05 17:30", NULL},
	{"2026-03-04 10:00", WDAYS, 0, CLOSE, NEXT, "2026-03-04 17:30", NULL},
	{"2026-03-07 10:00", WDAYS, 0, CLOSE, NEXT, "2026-03-09 17:30", NULL},
	{"2026-09-30 10:00", WDAYS, 2, CLOSE, NEXT, "2026-10-09 17:30", NULL},
	{"2025-09-26 10:00", WDAYS, 3, CLOSE, NEXT, "2025-09-30 17:30", NULL},
	{"2026-03-04 10:00", WDAYS, 5, CLOSE, NONE, "2026-03-11 17:30", NULL},
	{"2026-12-30 10:00", WDAYS, 1, CLOSE, NEXT, "2026-12-31 17:30", NULL},
	{"2026-12-30 10:00", WDAYS, 2, CLOSE, NEXT, NULL, "2027"},
	/* working hours */
	{"2026-03-04 11:30", WHRS, 2, EOD, NEXT, "2026-03-04 15:00", NULL},
	{"2026-11-27 17:00", WHRS, 1, EOD, NEXT, "2026-11-30 09:00", NULL},
	{"2026-03-04 07:00", WHRS, 1, EOD, NEXT, "2026-03-04 09:30", NULL},
	{"2026-03-04 12:30", WHRS, 1, EOD, NEXT, "2026-03-04 14:30", NULL},
	{"2026-03-04 09:00", WHRS, 3, EOD, NEXT, "2026-03-04 12:00", NULL},
	{"2026-03-04 17:30", WHRS, 1, EOD, NEXT, "2026-03-05 09:30", NULL},
	{"2026-03-04 08:30", WHRS, 15, EOD, NEXT, "2026-03-05 17:30", NULL},
	{"2026-02-13 16:30", WHRS, 8, EOD, NEXT, "2026-02-14 17:00", NULL},
	{"2026-02-13 16:30", WHRS, 9, EOD, NEXT, "2026-02-24 09:00", NULL},
	{"2026-09-30 17:00", WHRS, 24, EOD, NEXT, "2026-10-12 09:30", NULL}, /* 10-10 works */
	{"2026-03-04 10:00", WHRS, 0, EOD, NEXT, "2026-03-04 10:00", NULL},
	{"2026-12-31 17:00", WHRS, 1, EOD, NEXT, NULL, "2027"},
	{"2024-12-31 10:00", WHRS, 1, EOD, NEXT, NULL, "2024"},
	/* months: the same day number n months on, else that month's last day
	 * (民法典 202), moved past rest days (203) */
	{"2026-03-31 10:00", MONS, 1, EOD, NEXT, "2026-05-01 00:00", NULL},  /* 04-30 */
	{"2026-01-31 10:00", MONS, 1, EOD, NEXT, "2026-03-01 00:00", NULL},  /* 02-28, a make-up Saturday */
	{"2025-11-29 10:00", MONS, 3, EOD, NEXT, "2026-03-01 00:00", NULL},  /* no 02-29 */
	{"2026-09-01 10:00", MONS, 1, EOD, NEXT, "2026-10-09 00:00", NULL},  /* 10-01 → 10-08 */
	{"2026-09-01 10:00", MONS, 1, EOD, NONE, "2026-10-02 00:00", NULL},
	{"2026-01-18 10:00", MONS, 1, EOD, NEXT, "2026-02-25 00:00", NULL},  /* 春节 */
	{"2026-05-16 10:00", MONS, 1, EOD, NEXT, "2026-06-17 00:00", NULL},
	{"2026-07-17 10:00", MONS, 1, CLOSE, NEXT, "2026-08-17 17:30", NULL},
	{"2025-12-15 10:00", MONS, 1, EOD, NEXT, "2026-01-16 00:00", NULL},  /* across the year */
	{"2026-03-04 10:00", MONS, 0, EOD, NEXT, "2026-03-05 00:00", NULL},
	{"2026-12-17 10:00", MONS, 1, EOD, NEXT, NULL, "2027"},
	{"2026-12-17 10:00", MONS, 1, EOD, NONE, "2027-01-18 00:00", NULL},
	{"9999-12-01 10:00", MONS, 1, EOD, NONE, NULL, "期限"},
	/* invalid limits */
	{"2026-03-04 10:00", DAYS, -1, EOD, NEXT, NULL, "期限"},
	{"2026-03-04 10:00", MIN, CALENDAR_MAX_AMOUNT + 1, EOD, NEXT, NULL, "期限"},
	{"2026-03-04 10:00", (calendar_unit)99, 1, EOD, NEXT, NULL, "期限"},
	{"2026-03-04 10:00", DAYS, 1, (calendar_end)7, NEXT, NULL, "期限"},
	{"2026-03-04 10:00", DAYS, 1, EOD, (calendar_roll)7, NULL, "期限"},
};

static void test_due(void **state)
{
	const calendar *cal = *state;
	for (size_t i = 0; i < N(due_rows); i++) {
		const struct due_row *r = &due_rows[i];
		calendar_duration d = {r->unit, r->n, r->end, r->roll};
		ks_err e = {""};
		time_t due = 42;
		char got[20];
		ks_status st = calendar_due(cal, T(r->start), &d, &due, &e);
		if (r->due) {
			if (st != KS_OK)
				fail_msg("row %zu (%s %ld %s): %s", i, r->start, r->n,
				         calendar_unit_name(r->unit), e.msg);
			if (strcmp(S(due, got), r->due))
				fail_msg("row %zu (%s %ld %s end=%d roll=%d): due %s, want %s", i,
				         r->start, r->n, calendar_unit_name(r->unit), r->end, r->roll,
				         got, r->due);
		} else {
			if (st != KS_INVALID)
				fail_msg("row %zu (%s %ld): want an error, got %s", i, r->start, r->n,
				         S(due, got));
			if (due != 42)
				fail_msg("row %zu: *due changed on error", i);
			if (!strstr(e.msg, r->err))
				fail_msg("row %zu: error \"%s\" lacks \"%s\"", i, e.msg, r->err);
		}
	}
}

/* Properties over the table: a workhours due leaves exactly n*60 working
 * minutes behind it; a workdays or rolled days due falls on a working day. */
static void test_due_properties(void **state)
{
	const calendar *cal = *state;
	ks_err e;
	for (size_t i = 0; i < N(due_rows); i++) {
		const struct due_row *r = &due_rows[i];
		if (!r->due)
			continue;
		time_t due = T(r->due);
		if (r->unit == WHRS) {
			long m;
			assert_int_equal(calendar_work_minutes(cal, T(r->start), due, &m, &e), KS_OK);
			if (m != r->n * 60)
				fail_msg("row %zu: %ld working minutes to due, want %ld", i, m, r->n * 60);
		}
		if ((r->unit == WDAYS || ((r->unit == DAYS || r->unit == MONS) && r->roll == NEXT)) &&
		    due < T("2027-01-01 00:00")) {
			/* the last day: the day of a close-of-business due, the day
			 * before an end-of-day due */
			calendar_date last = calendar_date_of(r->end == EOD ? due - 1 : due);
			bool w;
			assert_int_equal(calendar_is_workday(cal, last, &w, &e), KS_OK);
			if (!w)
				fail_msg("row %zu: last day of %s is not a working day", i, r->due);
		}
	}
}

static void test_due_keeps_seconds(void **state)
{
	const calendar *cal = *state;
	ks_err e;
	time_t start = T("2026-03-04 11:30") + 17, due;
	calendar_duration d = {WHRS, 2, EOD, NEXT};
	assert_int_equal(calendar_due(cal, start, &d, &due, &e), KS_OK);
	assert_int_equal(due, T("2026-03-04 15:00") + 17);
	d.unit = MIN;
	assert_int_equal(calendar_due(cal, start, &d, &due, &e), KS_OK);
	assert_int_equal(due, start + 120);
	assert_int_equal(calendar_due(cal, start, NULL, &due, &e), KS_INVALID);
}

struct minutes_row {
	const char *a, *b;
	long want;
	const char *err;
};

static const struct minutes_row minutes_rows[] = {
	{"2026-03-04 09:00", "2026-03-04 10:00", 60, NULL},
	{"2026-03-04 11:30", "2026-03-04 14:00", 60, NULL},
	{"2026-03-04 12:10", "2026-03-04 13:20", 0, NULL},
	{"2026-03-04 10:00", "2026-03-04 10:00", 0, NULL},
	{"2026-03-04 00:00", "2026-03-05 00:00", 450, NULL},
	{"2026-11-27 17:00", "2026-11-30 09:00", 60, NULL},
	{"2026-11-27 00:00", "2026-11-30 00:00", 450, NULL},
	{"2026-11-28 09:00", "2026-11-29 17:00", 0, NULL},
	{"2026-03-04 10:00", "2026-03-04 09:00", -60, NULL},
	{"2026-11-30 09:00", "2026-11-27 17:00", -60, NULL},
	{"2026-02-13 00:00", "2026-02-24 00:00", 900, NULL},
	{"2026-02-13 00:00", "2026-02-25 00:00", 1350, NULL},
	{"2026-09-30 17:00", "2026-10-08 09:00", 60, NULL},
	{"2026-01-31 17:00", "2026-02-02 09:00", 30, NULL},
	{"2025-12-31 17:00", "2026-01-04 09:00", 60, NULL},
	{"2025-01-01 00:00", "2026-01-01 00:00", 248 * 450, NULL},
	{"2026-01-01 00:00", "2027-01-01 00:00", 248 * 450, NULL},
	{"2025-01-01 00:00", "2027-01-01 00:00", 2 * 248 * 450, NULL},
	{"2026-12-31 17:00", "2027-01-04 09:00", 0, "2027"},
	{"2024-12-31 17:00", "2025-01-02 09:00", 0, "2024"},
	{"2027-01-04 09:00", "2026-12-31 17:00", 0, "2027"},
};

static void test_work_minutes(void **state)
{
	const calendar *cal = *state;
	for (size_t i = 0; i < N(minutes_rows); i++) {
		const struct minutes_row *r = &minutes_rows[i];
		ks_err e = {""};
		long m = 4242;
		ks_status st = calendar_work_minutes(cal, T(r->a), T(r->b), &m, &e);
		if (!r->err) {
			if (st != KS_OK)
				fail_msg("row %zu (%s .. %s): %s", i, r->a, r->b, e.msg);
			if (m != r->want)
				fail_msg("row %zu (%s .. %s): %ld minutes, want %ld", i, r->a, r->b, m, r->want);
		} else {
			if (st != KS_INVALID || m != 4242 || !strstr(e.msg, r->err))
				fail_msg("row %zu (%s .. %s): want error with \"%s\", got st=%d \"%s\"",
				         i, r->a, r->b, r->err, st, e.msg);
		}
	}
	/* seconds are counted, whole minutes reported, truncated toward zero */
	ks_err e;
	long m;
	time_t a = T("2026-03-04 10:00");
	assert_int_equal(calendar_work_minutes(cal, a, a + 119, &m, &e), KS_OK);
	assert_int_equal(m, 1);
	assert_int_equal(calendar_work_minutes(cal, a + 119, a, &m, &e), KS_OK);
	assert_int_equal(m, -1);
}

struct next_row {
	const char *t, *want, *err;
};

static const struct next_row next_rows[] = {
	{"2026-03-04 10:00", "2026-03-04 10:00", NULL},
	{"2026-03-04 08:30", "2026-03-04 08:30", NULL},
	{"2026-03-04 07:00", "2026-03-04 08:30", NULL},
	{"2026-03-04 12:00", "2026-03-04 13:30", NULL},
	{"2026-03-04 17:29", "2026-03-04 17:29", NULL},
	{"2026-03-04 17:30", "2026-03-05 08:30", NULL},
	{"2026-11-27 18:00", "2026-11-30 08:30", NULL},
	{"2026-02-14 07:00", "2026-02-14 08:30", NULL},
	{"2026-02-15 07:00", "2026-02-24 08:30", NULL},
	{"2025-12-31 18:00", "2026-01-04 08:30", NULL},
	{"2026-12-31 18:00", NULL, "2027"},
};

static void test_next_work_instant(void **state)
{
	const calendar *cal = *state;
	for (size_t i = 0; i < N(next_rows); i++) {
		const struct next_row *r = &next_rows[i];
		ks_err e = {""};
		time_t out = 42;
		char got[20];
		ks_status st = calendar_next_work_instant(cal, T(r->t), &out, &e);
		if (r->want) {
			if (st != KS_OK)
				fail_msg("row %zu (%s): %s", i, r->t, e.msg);
			if (strcmp(S(out, got), r->want))
				fail_msg("row %zu (%s): %s, want %s", i, r->t, got, r->want);
		} else if (st != KS_INVALID || out != 42 || !strstr(e.msg, r->err)) {
			fail_msg("row %zu (%s): want error with \"%s\"", i, r->t, r->err);
		}
	}
	ks_err e;
	time_t t = T("2026-03-04 10:00") + 31, out;
	assert_int_equal(calendar_next_work_instant(cal, t, &out, &e), KS_OK);
	assert_int_equal(out, t);
}

/* ---- building --------------------------------------------------------- */

static const struct {
	int p[3][2];
	int n;
	ks_status last;
} hours_rows[] = {
	{{{510, 720}, {810, 1050}}, 2, KS_OK},
	{{{510, 720}, {720, 800}}, 2, KS_OK},          /* touching */
	{{{0, 1440}}, 1, KS_OK},
	{{{810, 1050}, {510, 720}}, 2, KS_INVALID},    /* unsorted */
	{{{510, 720}, {700, 800}}, 2, KS_INVALID},     /* overlapping */
	{{{510, 720}, {510, 720}}, 2, KS_INVALID},     /* twice */
	{{{510, 510}}, 1, KS_INVALID},                 /* empty */
	{{{600, 500}}, 1, KS_INVALID},                 /* reversed */
	{{{-1, 100}}, 1, KS_INVALID},
	{{{0, 1441}}, 1, KS_INVALID},
};

static void test_add_hours(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(hours_rows); i++) {
		calendar *cal = calendar_new("t");
		ks_err e = {""};
		for (int k = 0; k < hours_rows[i].n; k++) {
			ks_status st = calendar_add_hours(cal, hours_rows[i].p[k][0], hours_rows[i].p[k][1], &e);
			ks_status want = k == hours_rows[i].n - 1 ? hours_rows[i].last : KS_OK;
			if (st != want)
				fail_msg("row %zu period %d: status %d, want %d (%s)", i, k, st, want, e.msg);
			if (st != KS_OK && !strstr(e.msg, "日历 t"))
				fail_msg("row %zu: message does not name the calendar: %s", i, e.msg);
		}
		calendar_free(cal);
	}
	calendar *cal = calendar_new("t");
	ks_err e;
	for (int k = 0; k < CALENDAR_MAX_PERIODS; k++)
		assert_int_equal(calendar_add_hours(cal, k * 60, k * 60 + 30, &e), KS_OK);
	assert_int_equal(calendar_add_hours(cal, 1400, 1410, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "过多"));
	calendar_free(cal);
	cal = calendar_new("t");
	assert_int_equal(calendar_add_hours(cal, 510, 720, &e), KS_OK);
	assert_int_equal(calendar_add_hours(cal, 700, 800, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "11:40-13:20"));
	assert_non_null(strstr(e.msg, "08:30-12:00"));
	calendar_free(cal);
}

static void test_add_days(void **state)
{
	(void)state;
	ks_err e;
	bool w;
	calendar *cal = calendar_new("t");
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 1899, &e), KS_INVALID);
	assert_int_equal(calendar_add_year(cal, 10000, &e), KS_INVALID);
	/* days before the year is declared are kept but unknown */
	assert_int_equal(calendar_add_holiday(cal, D("2025-12-31"), D("2026-01-02"), "元旦", &e), KS_OK);
	assert_int_equal(calendar_is_workday(cal, D("2025-12-31"), &w, &e), KS_INVALID);
	assert_int_equal(calendar_add_year(cal, 2025, &e), KS_OK);
	assert_int_equal(calendar_is_workday(cal, D("2025-12-31"), &w, &e), KS_OK);
	assert_false(w);
	assert_string_equal(calendar_day_name(cal, D("2025-12-31")), "元旦");
	/* repeating a rest day is harmless, the first name stays */
	assert_int_equal(calendar_add_holiday(cal, D("2026-01-02"), D("2026-01-03"), "别名", &e), KS_OK);
	assert_string_equal(calendar_day_name(cal, D("2026-01-02")), "元旦");
	assert_string_equal(calendar_day_name(cal, D("2026-01-03")), "别名");
	/* conflicts change nothing */
	assert_int_equal(calendar_add_workday(cal, D("2026-01-04"), "元旦调休", &e), KS_OK);
	assert_int_equal(calendar_add_holiday(cal, D("2026-01-05"), D("2026-01-04"), "x", &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "晚于"));
	assert_int_equal(calendar_add_holiday(cal, D("2026-01-03"), D("2026-01-06"), "x", &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2026-01-04"));
	assert_non_null(strstr(e.msg, "元旦调休"));
	assert_null(calendar_day_name(cal, D("2026-01-05")));
	assert_int_equal(calendar_is_workday(cal, D("2026-01-05"), &w, &e), KS_OK);
	assert_true(w);
	assert_int_equal(calendar_add_workday(cal, D("2026-01-01"), "x", &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "放假"));
	/* invalid dates and long ranges */
	calendar_date bad = {2026, 2, 29};
	assert_int_equal(calendar_add_workday(cal, bad, "x", &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2026-02-29"));
	assert_int_equal(calendar_add_holiday(cal, D("2026-07-01"), D("2026-08-01"), "x", &e), KS_INVALID);
	assert_int_equal(calendar_add_holiday(cal, D("2026-07-01"), D("2026-07-31"), NULL, &e), KS_OK);
	assert_null(calendar_day_name(cal, D("2026-07-15")));
	assert_int_equal(calendar_is_workday(cal, D("2026-07-15"), &w, &e), KS_OK);
	assert_false(w);
	calendar_free(cal);
	calendar_free(NULL);
}

static void test_workweek_and_identity(void **state)
{
	(void)state;
	ks_err e;
	bool w;
	calendar *cal = calendar_new("six");
	assert_string_equal(calendar_name(cal), "six");
	assert_string_equal(calendar_version(cal), "");
	calendar_set_version(cal, "sha256:abc");
	assert_string_equal(calendar_version(cal), "sha256:abc");
	calendar_set_version(cal, NULL);
	assert_string_equal(calendar_version(cal), "");
	assert_int_equal(calendar_set_workweek(cal, 0, &e), KS_INVALID);
	assert_int_equal(calendar_set_workweek(cal, 0x80, &e), KS_INVALID);
	assert_int_equal(calendar_set_workweek(cal, CALENDAR_MON_FRI | CALENDAR_SAT, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	assert_int_equal(calendar_is_workday(cal, D("2026-03-07"), &w, &e), KS_OK);
	assert_true(w);  /* Saturday */
	assert_int_equal(calendar_is_workday(cal, D("2026-03-08"), &w, &e), KS_OK);
	assert_false(w); /* Sunday */
	/* no working periods: anything needing them fails, days/EOD does not */
	time_t due, t = T("2026-03-04 10:00");
	long m;
	calendar_duration d = {DAYS, 1, CLOSE, NEXT};
	assert_int_equal(calendar_due(cal, t, &d, &due, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "工作时段"));
	d.end = EOD;
	assert_int_equal(calendar_due(cal, t, &d, &due, &e), KS_OK);
	d.unit = WHRS;
	assert_int_equal(calendar_due(cal, t, &d, &due, &e), KS_INVALID);
	assert_int_equal(calendar_work_minutes(cal, t, t + 3600, &m, &e), KS_INVALID);
	assert_int_equal(calendar_next_work_instant(cal, t, &due, &e), KS_INVALID);
	calendar_free(cal);

	/* a round-the-clock desk: every day, 00:00-24:00 */
	cal = calendar_new("24h");
	char got[20];
	assert_int_equal(calendar_set_workweek(cal, CALENDAR_ALL_WEEK, &e), KS_OK);
	assert_int_equal(calendar_add_hours(cal, 0, 1440, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	d = (calendar_duration){WHRS, 30, EOD, NEXT};
	assert_int_equal(calendar_due(cal, T("2026-03-07 10:00"), &d, &due, &e), KS_OK);
	assert_string_equal(S(due, got), "2026-03-08 16:00");
	d = (calendar_duration){DAYS, 1, CLOSE, NEXT};
	assert_int_equal(calendar_due(cal, T("2026-03-07 10:00"), &d, &due, &e), KS_OK);
	assert_string_equal(S(due, got), "2026-03-09 00:00");
	assert_int_equal(calendar_work_minutes(cal, T("2026-03-07 00:00"), T("2026-03-09 00:00"), &m, &e), KS_OK);
	assert_int_equal(m, 2 * 1440);
	calendar_free(cal);
}

/* Long ranges go by day numbers, and the result agrees with a plain count. */
/* calendar_add_work: working time added to an instant (paused time of
 * working-day clocks). Hours 08:30-12:00 and 13:30-17:30. */
static void test_add_work(void **state)
{
	(void)state;
	calendar *cal = build_cn();
	static const struct { const char *from; long long secs; const char *want; } t[] = {
		{ "2026-11-04 17:30", 7200, "2026-11-05 10:30" },   /* close of business + 2 h */
		{ "2026-11-04 11:30", 3600, "2026-11-04 14:00" },   /* across lunch */
		{ "2026-11-04 11:30", 0, "2026-11-04 11:30" },      /* nothing to add */
		{ "2026-11-27 17:00", 3600, "2026-11-30 09:00" },   /* Friday → Monday */
		{ "2026-09-30 17:00", 3600, "2026-10-08 09:00" },   /* over National Day */
		{ "2026-02-13 17:00", 3600, "2026-02-14 09:00" },   /* onto a make-up Saturday */
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		time_t out;
		ks_err e;
		assert_int_equal(calendar_add_work(cal, T(t[i].from), t[i].secs, &out, &e), KS_OK);
		if (out != T(t[i].want))
			fail_msg("row %zu: %s + %llds", i, t[i].from, t[i].secs);
	}
	time_t out;
	ks_err e;
	assert_int_equal(calendar_add_work(cal, T("2026-12-31 17:00"), 3600, &out, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2027"));
	calendar_free(cal);
}

static void test_long_range(void **state)
{
	(void)state;
	ks_err e;
	calendar *cal = calendar_new("long");
	assert_int_equal(calendar_add_hours(cal, 540, 1020, &e), KS_OK); /* 09:00-17:00 */
	for (int y = 2000; y <= 2099; y++)
		assert_int_equal(calendar_add_year(cal, y, &e), KS_OK);
	long m;
	assert_int_equal(calendar_work_minutes(cal, T("2000-01-01 00:00"), T("2100-01-01 00:00"), &m, &e), KS_OK);
	/* 36525 days = 5217 weeks + 6 days; 2000-01-01 is a Saturday, so the
	 * 6 extra days (Sat..Thu) hold 4 weekdays */
	assert_int_equal(m, (5217L * 5 + 4) * 480);
	time_t due;
	char got[20];
	calendar_duration d = {WDAYS, 26089, CLOSE, NEXT};
	assert_int_equal(calendar_due(cal, T("2000-01-01 10:00"), &d, &due, &e), KS_OK);
	assert_string_equal(S(due, got), "2099-12-31 17:00");
	d.n = 26090;
	assert_int_equal(calendar_due(cal, T("2000-01-01 10:00"), &d, &due, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2100"));
	calendar_free(cal);
}

/* Days and 24:00 follow the local clock across a DST change. */
static void test_dst_zone(void **state)
{
	(void)state;
	ks_err e;
	assert_int_equal(clock_set_zone("America/New_York", &e), KS_OK);
	calendar *cal = calendar_new("us");
	assert_int_equal(calendar_add_hours(cal, 540, 1020, &e), KS_OK);
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	time_t due;
	char got[20];
	/* 2026-03-08 02:00 clocks go forward */
	calendar_duration d = {DAYS, 1, EOD, NONE};
	assert_int_equal(calendar_due(cal, T("2026-03-07 10:00"), &d, &due, &e), KS_OK);
	assert_string_equal(S(due, got), "2026-03-09 00:00");
	d = (calendar_duration){WHRS, 9, EOD, NEXT};
	assert_int_equal(calendar_due(cal, T("2026-03-06 16:00"), &d, &due, &e), KS_OK);
	assert_string_equal(S(due, got), "2026-03-09 17:00");
	d.n = 10;
	assert_int_equal(calendar_due(cal, T("2026-03-06 16:00"), &d, &due, &e), KS_OK);
	assert_string_equal(S(due, got), "2026-03-10 10:00");
	long m;
	assert_int_equal(calendar_work_minutes(cal, T("2026-03-06 16:00"), T("2026-03-09 10:00"), &m, &e), KS_OK);
	assert_int_equal(m, 120);
	calendar_free(cal);
	assert_int_equal(clock_set_zone("Asia/Shanghai", &e), KS_OK);
}

/* ---- parsers ---------------------------------------------------------- */

static void test_parsers(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
		int y, m, d;
	} dates[] = {
		{"2026-02-28", true, 2026, 2, 28}, {"2024-02-29", true, 2024, 2, 29},
		{"2000-02-29", true, 2000, 2, 29}, {"1900-02-29", false, 0, 0, 0},
		{"2026-02-29", false, 0, 0, 0},    {"2026-13-01", false, 0, 0, 0},
		{"2026-04-31", false, 0, 0, 0},    {"2026-4-1", false, 0, 0, 0},
		{"2026-04-01 ", false, 0, 0, 0},   {"", false, 0, 0, 0},
		{"2026/04/01", false, 0, 0, 0},    {"2026-00-10", false, 0, 0, 0},
	};
	for (size_t i = 0; i < N(dates); i++) {
		calendar_date c = {0, 0, 0};
		bool ok = calendar_date_parse(dates[i].s, &c);
		if (ok != dates[i].ok || (ok && (c.year != dates[i].y || c.month != dates[i].m ||
		                                 c.day != dates[i].d)))
			fail_msg("date \"%s\": ok=%d %d-%d-%d", dates[i].s, ok, c.year, c.month, c.day);
	}
	assert_false(calendar_date_parse(NULL, &(calendar_date){0, 0, 0}));

	static const struct {
		const char *s;
		bool ok;
		int a, b;
	} periods[] = {
		{"08:30-12:00", true, 510, 720}, {"13:30-17:30", true, 810, 1050},
		{"00:00-24:00", true, 0, 1440},  {"24:30-25:00", false, 0, 0},
		{"8:30-12:00", false, 0, 0},     {"08:30–12:00", false, 0, 0},
		{"08:60-12:00", false, 0, 0},    {"08:30-12:00x", false, 0, 0},
		{"12:00-08:30", true, 720, 510}, /* order is calendar_add_hours' job */
	};
	for (size_t i = 0; i < N(periods); i++) {
		int a = -1, b = -1;
		bool ok = calendar_period_parse(periods[i].s, &a, &b);
		if (ok != periods[i].ok || (ok && (a != periods[i].a || b != periods[i].b)))
			fail_msg("period \"%s\": ok=%d %d-%d", periods[i].s, ok, a, b);
	}

	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	unsigned mask = 0, bit;
	for (size_t i = 0; i < N(days); i++) {
		assert_true(calendar_weekday_parse(days[i], &bit));
		assert_int_equal(bit, 1u << i);
		mask |= bit;
	}
	assert_int_equal(mask, CALENDAR_ALL_WEEK);
	assert_false(calendar_weekday_parse("Mon", &bit));
	assert_false(calendar_weekday_parse("周一", &bit));

	static const struct {
		const char *s;
		calendar_unit u;
	} units[] = {
		{"minutes", MIN}, {"hours", HRS}, {"days", DAYS}, {"workdays", WDAYS}, {"workhours", WHRS},
	};
	for (size_t i = 0; i < N(units); i++) {
		calendar_unit u;
		assert_true(calendar_unit_parse(units[i].s, &u));
		assert_int_equal(u, units[i].u);
		assert_string_equal(calendar_unit_name(u), units[i].s);
		assert_string_not_equal(calendar_unit_label(u), "?");
	}
	calendar_unit u;
	assert_false(calendar_unit_parse("weeks", &u));
	assert_string_equal(calendar_unit_name((calendar_unit)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_mirrors_tables),
		cmocka_unit_test(test_every_holiday_is_rest),
		cmocka_unit_test(test_every_makeup_day_works),
		cmocka_unit_test(test_neighbours),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_unknown_year),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_due_properties),
		cmocka_unit_test(test_due_keeps_seconds),
		cmocka_unit_test(test_work_minutes),
		cmocka_unit_test(test_next_work_instant),
		cmocka_unit_test(test_add_hours),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_workweek_and_identity),
		cmocka_unit_test(test_add_work),
		cmocka_unit_test(test_long_range),
		cmocka_unit_test(test_dst_zone),
		cmocka_unit_test(test_parsers),
	};
	return cmocka_run_group_tests_name("calendar", tests, setup, teardown);
}
