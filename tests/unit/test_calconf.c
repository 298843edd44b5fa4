/* test_calconf.c — loading a calendar file (calconf.h).
 *
 * First the real file, config/calendars/cn.yaml (found through $KESU_SRC or
 * the current directory): a few days, the version hash. Then a table of
 * small broken files, each with the exact diagnostics it must produce. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "kesu/calconf.h"
#include "kesu/calendar.h"
#include "kesu/clock.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---------------------------------------------------------- */

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_calconf.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	static const char *const files[] = {"cal.yaml", "cn.yaml", "cn2.yaml"};
	char path[512];
	for (size_t i = 0; i < N(files); i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	return 0;
}

/* Free diagnostics by hand (conf_diags_free lives in conf.c). */
static void diags_free(conf_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->n = 0;
}

static const char *cn_path(char *buf, size_t n)
{
	const char *src = getenv("KESU_SRC");
	snprintf(buf, n, "%s/config/calendars/cn.yaml", src && *src ? src : ".");
	return buf;
}

/* The whole file at path; fails the test if unreadable. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the source tree or set KESU_SRC)", path);
	char *buf = NULL;
	size_t n = 0, cap = 0, k;
	do {
		if (n == cap)
			buf = realloc(buf, cap = cap ? 2 * cap : 65536);
		assert_non_null(buf);
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Write text to tmpdir/cal.yaml and return its path (static buffer). */
static const char *write_cal(const char *text)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/cal.yaml", tmpdir);
	spit(path, text, strlen(text));
	return path;
}

static calendar_date D(const char *s)
{
	calendar_date c = {0, 0, 0};
	if (!calendar_date_parse(s, &c))
		fail_msg("bad date in test: %s", s);
	return c;
}

static void dump(const conf_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "    got: %s\n", d->msgs[i]);
}

/* Load path, which must succeed. */
static calendar *load_ok(const char *path, calconf_info *info)
{
	conf_diags d = {0};
	calendar *cal = NULL;
	ks_status st = calconf_load(path, "cal.yaml", &cal, info, &d);
	if (st != KS_OK || d.n) {
		dump(&d);
		fail_msg("%s should load (status %d, %zu diagnostics)", path, st, d.n);
	}
	assert_non_null(cal);
	diags_free(&d);
	return cal;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* ---- the real file ---------------------------------------------------- */

static void test_cn_days(void **state)
{
	(void)state;
	char path[1024];
	calconf_info info;
	calendar *cal = load_ok(cn_path(path, sizeof path), &info);
	ks_err e;

	assert_string_equal(calendar_name(cal), "cn");
	assert_string_equal(info.timezone, "Asia/Shanghai");
	assert_string_equal(info.label, "中国大陆法定工作日历");
	/* the caller, not the loader, sets the zone */
	if (clock_set_zone(info.timezone, &e) != KS_OK)
		fail_msg("%s", e.msg);

	static const struct {
		const char *day;
		bool work;
		const char *name;
	} days[] = {
		{"2026-10-08", true, NULL},          /* Thursday after 国庆节 */
		{"2026-10-07", false, "国庆节"},
		{"2026-10-10", true, "国庆节调休"},  /* Saturday */
		{"2026-02-14", true, "春节调休"},    /* Saturday */
		{"2026-02-16", false, "春节"},       /* Monday */
		{"2026-02-24", true, NULL},
		{"2026-03-07", false, NULL},         /* ordinary Saturday */
		{"2025-01-01", false, "元旦"},
		{"2025-10-11", true, "国庆节、中秋节调休"},
	};
	for (size_t i = 0; i < N(days); i++) {
		bool w = !days[i].work;
		if (calendar_is_workday(cal, D(days[i].day), &w, &e) != KS_OK)
			fail_msg("%s: %s", days[i].day, e.msg);
		if (w != days[i].work)
			fail_msg("%s should be a %s day", days[i].day, days[i].work ? "working" : "rest");
		const char *nm = calendar_day_name(cal, D(days[i].day));
		if (days[i].name ? !nm || strcmp(nm, days[i].name) : nm != NULL)
			fail_msg("%s: name %s, want %s", days[i].day, nm ? nm : "(none)",
			         days[i].name ? days[i].name : "(none)");
	}

	assert_true(calendar_has_year(cal, 2025));
	assert_true(calendar_has_year(cal, 2026));
	assert_false(calendar_has_year(cal, 2027));
	/* unknown_years: workweek — 2027 follows Monday to Friday until entered */
	bool w = false;
	assert_int_equal(calendar_is_workday(cal, D("2027-01-04"), &w, &e), KS_OK);
	assert_true(w);
	assert_int_equal(calendar_is_workday(cal, D("2027-01-02"), &w, &e), KS_OK);
	assert_false(w);
	calendar_set_unknown_workweek(cal, false);
	assert_int_equal(calendar_is_workday(cal, D("2027-01-04"), &w, &e), KS_INVALID);
	assert_non_null(strstr(e.msg, "2027"));
	calendar_set_unknown_workweek(cal, true);

	/* hours 08:30-12:00, 13:30-17:30: one working day = 7.5 hours */
	long min = 0;
	assert_int_equal(calendar_work_minutes(cal, clock_make(2026, 10, 8, 0, 0),
	                                       clock_make(2026, 10, 9, 0, 0), &min, &e), KS_OK);
	assert_int_equal(min, 450);

	calconf_info_free(&info);
	assert_null(info.timezone);
	calendar_free(cal);
}

static void test_cn_version(void **state)
{
	(void)state;
	char path[1024];
	calendar *cal = load_ok(cn_path(path, sizeof path), NULL);
	const char *v = calendar_version(cal);
	assert_true(is_hex64(v));

	/* it is the SHA-256 of the bytes */
	size_t len;
	char *bytes = slurp(path, &len);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	assert_true(EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL));
	assert_int_equal(mdlen, 32);
	char hex[65];
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_string_equal(v, hex);

	/* an identical copy has the same version ... */
	char copy[512];
	snprintf(copy, sizeof copy, "%s/cn.yaml", tmpdir);
	spit(copy, bytes, len);
	calendar *same = load_ok(copy, NULL);
	assert_string_equal(calendar_version(same), v);

	/* ... and one byte changed (in a comment) gives another */
	char *p = strstr(bytes, "Format");
	assert_non_null(p);
	*p = 'f';
	snprintf(copy, sizeof copy, "%s/cn2.yaml", tmpdir);
	spit(copy, bytes, len);
	calendar *changed = load_ok(copy, NULL);
	assert_true(is_hex64(calendar_version(changed)));
	assert_string_not_equal(calendar_version(changed), v);

	free(bytes);
	calendar_free(changed);
	calendar_free(same);
	calendar_free(cal);
}

/* ---- broken files ----------------------------------------------------- */

#define L_CAL   "calendar:\n"
#define L_NAME  "  name: t\n"
#define L_ZONE  "  timezone: Asia/Shanghai\n"
#define L_WEEK  "  workweek: [mon, tue, wed, thu, fri]\n"
#define L_HOURS "  hours: [\"08:30-12:00\", \"13:30-17:30\"]\n"
#define L_YEARS "  years:\n"
/* lines 1-6 */
#define HEAD    L_CAL L_NAME L_ZONE L_WEEK L_HOURS L_YEARS
#define Y2026   "    2026:\n"
#define L_HOLS  "      holidays:\n"
#define L_WORKS "      workdays:\n"
/* line 9: '{' at col 11, from's value at 28, to's value at 44 */
#define HOL     "        - {name: 春节, from: 2026-02-15, to: 2026-02-23}\n"
/* line 11: '{' at col 11, date's value at 30 */
#define WORK    "        - {name: 春节调休, date: 2026-02-14}\n"
/* lines 7-11 */
#define BODY    Y2026 L_HOLS HOL L_WORKS WORK

#define PERIOD_ORDER "重叠或顺序颠倒（时段须按时间先后排列）"
#define OUTSIDE_2026 "不在 2026 年内（2026 年的安排只能是本年的日期，或跨年安排从 2025 年 12 月开始的日期）"

static const struct {
	const char *what, *yaml;
	const char *want[6]; /* exact diagnostics in order; none: must load */
} cases[] = {
	{"valid", HEAD BODY, {NULL}},
	{"new year reaching into December before",
	 HEAD Y2026 L_HOLS "        - {name: 元旦, from: 2025-12-31, to: 2026-01-01}\n"
	 L_WORKS "        - {name: 元旦调休, date: 2025-12-28}\n", {NULL}},
	{"empty lists", HEAD Y2026 "      holidays: []\n      workdays: []\n", {NULL}},

	/* unknown keys, every level */
	{"unknown top-level key", HEAD BODY "extra: 1\n",
	 {"cal.yaml:12:1: 未知的键 extra（此处可用的键：calendar）"}},
	{"unknown key in calendar", L_CAL L_NAME "  labl: x\n" L_ZONE L_WEEK L_HOURS L_YEARS BODY,
	 {"cal.yaml:3:3: 未知的键 labl（此处可用的键：name, label, timezone, workweek, hours, years, unknown_years）"}},
	{"unknown_years neither refuse nor workweek", L_CAL L_NAME "  unknown_years: maybe\n" L_ZONE L_WEEK L_HOURS L_YEARS BODY,
	 {"cal.yaml:3:18: unknown_years 应为 refuse（没有数据的年份无法计算期限）或 workweek（暂按 workweek 计算）"}},
	{"unknown key in a year", HEAD Y2026 "      sorce: x\n" L_HOLS HOL L_WORKS WORK,
	 {"cal.yaml:8:7: 未知的键 sorce（此处可用的键：source, holidays, workdays）"}},
	{"unknown key in a holiday",
	 HEAD Y2026 L_HOLS "        - {name: 春节, from: 2026-02-15, to: 2026-02-23, note: x}\n"
	 L_WORKS WORK,
	 {"cal.yaml:9:56: 未知的键 note（此处可用的键：name, from, to）"}},
	{"misspelt key: missing one reported first, in file order",
	 L_CAL L_NAME "  timezon: Asia/Shanghai\n" L_WEEK L_HOURS L_YEARS BODY,
	 {"cal.yaml:2:3: 缺少必需的键 timezone",
	  "cal.yaml:3:3: 未知的键 timezon（此处可用的键：name, label, timezone, workweek, hours, years, unknown_years）"}},

	/* missing keys, wrong types */
	{"missing timezone", L_CAL L_NAME L_WEEK L_HOURS L_YEARS BODY,
	 {"cal.yaml:2:3: 缺少必需的键 timezone"}},
	{"empty timezone", L_CAL L_NAME "  timezone: \"\"\n" L_WEEK L_HOURS L_YEARS BODY,
	 {"cal.yaml:3:13: timezone 不能为空"}},
	{"missing calendar", "calender:\n  name: t\n",
	 {"cal.yaml:1:1: 未知的键 calender（此处可用的键：calendar）",
	  "cal.yaml:1:1: 缺少必需的键 calendar"}},
	{"empty calendar", "calendar: {}\n",
	 {"cal.yaml:1:11: 缺少必需的键 name", "cal.yaml:1:11: 缺少必需的键 timezone",
	  "cal.yaml:1:11: 缺少必需的键 workweek", "cal.yaml:1:11: 缺少必需的键 hours",
	  "cal.yaml:1:11: 缺少必需的键 years"}},
	{"file is a list", "- calendar\n", {"cal.yaml:1:1: 文件内容 应为映射，实际是列表"}},
	{"calendar is text", "calendar: cn\n", {"cal.yaml:1:11: calendar 应为映射，实际是文本"}},
	{"bad calendar name", L_CAL "  name: CN\n" L_ZONE L_WEEK L_HOURS L_YEARS BODY,
	 {"cal.yaml:2:9: 日历名 CN 无效（只能由小写字母、数字、_ 和 - 组成）"}},
	{"hours not a list", L_CAL L_NAME L_ZONE L_WEEK "  hours: \"08:30-12:00\"\n" L_YEARS BODY,
	 {"cal.yaml:5:10: hours 应为列表，实际是文本"}},
	{"hours empty", L_CAL L_NAME L_ZONE L_WEEK "  hours: []\n" L_YEARS BODY,
	 {"cal.yaml:5:10: hours 不能为空：至少要有一个工作时段，如 \"08:30-12:00\""}},
	{"missing holidays", HEAD Y2026 L_WORKS WORK,
	 {"cal.yaml:8:7: 缺少必需的键 holidays（没有放假安排时写 holidays: []）"}},
	{"year not a map", HEAD "    2026: []\n",
	 {"cal.yaml:7:11: years 下的 2026 应为映射，实际是列表"}},
	{"years empty", L_CAL L_NAME L_ZONE L_WEEK L_HOURS "  years: {}\n",
	 {"cal.yaml:6:10: years 不能为空：至少要列出一年完整的放假和调休安排"}},
	{"holiday without to",
	 HEAD Y2026 L_HOLS "        - {name: 春节, from: 2026-02-15}\n" L_WORKS WORK,
	 {"cal.yaml:9:11: 缺少必需的键 to"}},
	{"date not text",
	 HEAD Y2026 L_HOLS HOL L_WORKS "        - {name: 春节调休, date: [2026-02-14]}\n",
	 {"cal.yaml:11:30: date 应为日期文本（YYYY-MM-DD），实际是列表"}},

	/* workweek */
	{"bad weekday", L_CAL L_NAME L_ZONE "  workweek: [mon, tue, wed, thu, fry]\n" L_HOURS L_YEARS BODY,
	 {"cal.yaml:4:34: 星期名 fry 无效（应为 mon, tue, wed, thu, fri, sat, sun 之一）"}},
	{"weekday twice", L_CAL L_NAME L_ZONE "  workweek: [mon, tue, mon]\n" L_HOURS L_YEARS BODY,
	 {"cal.yaml:4:24: workweek 中 mon 重复"}},
	{"empty workweek", L_CAL L_NAME L_ZONE "  workweek: []\n" L_HOURS L_YEARS BODY,
	 {"cal.yaml:4:13: 日历 t 的工作周无效：至少要有一天工作日，且只能是周一至周日"}},

	/* hours */
	{"bad period", L_CAL L_NAME L_ZONE L_WEEK "  hours: [\"8:30-12\", \"13:30-17:30\"]\n" L_YEARS BODY,
	 {"cal.yaml:5:11: 工作时段 8:30-12 格式无效（应为 HH:MM-HH:MM，如 08:30-12:00）"}},
	{"overlapping periods",
	 L_CAL L_NAME L_ZONE L_WEEK "  hours: [\"08:30-12:00\", \"11:30-17:30\"]\n" L_YEARS BODY,
	 {"cal.yaml:5:26: 日历 t 的工作时段 11:30-17:30 与前一时段 08:30-12:00 " PERIOD_ORDER}},
	{"unsorted periods",
	 L_CAL L_NAME L_ZONE L_WEEK "  hours: [\"13:30-17:30\", \"08:30-12:00\"]\n" L_YEARS BODY,
	 {"cal.yaml:5:26: 日历 t 的工作时段 08:30-12:00 与前一时段 13:30-17:30 " PERIOD_ORDER}},
	{"period ending before it starts",
	 L_CAL L_NAME L_ZONE L_WEEK "  hours: [\"12:00-08:30\"]\n" L_YEARS BODY,
	 {"cal.yaml:5:11: 日历 t 的工作时段无效：开始须早于结束，且在 00:00 至 24:00 之内"}},

	/* years and dates */
	{"bad year key", HEAD "    26:\n" L_HOLS HOL L_WORKS WORK,
	 {"cal.yaml:7:5: 年份 26 无效（years 下的键应为四位数的年份，如 2026）"}},
	{"bad year key, section still checked",
	 HEAD "    2O26:\n" L_HOLS "        - {name: 春节, from: 2026-02-30, to: 2026-02-23}\n" L_WORKS WORK,
	 {"cal.yaml:7:5: 年份 2O26 无效（years 下的键应为四位数的年份，如 2026）",
	  "cal.yaml:9:28: 日期 2026-02-30 无效（应为存在的日期，写作 YYYY-MM-DD，如 2026-02-15）"}},
	{"year out of range", HEAD "    0999:\n      holidays: []\n      workdays: []\n",
	 {"cal.yaml:7:5: 日历 t：年份 999 无效（应在 1900 至 9999 之间）"}},
	{"duplicate year (YAML layer)", HEAD BODY BODY,
	 {"cal.yaml:12:5: 重复的键 2026（第 7 行已有）"}},
	{"bad date", HEAD Y2026 L_HOLS "        - {name: 春节, from: 2026-02-30, to: 2026-02-23}\n" L_WORKS WORK,
	 {"cal.yaml:9:28: 日期 2026-02-30 无效（应为存在的日期，写作 YYYY-MM-DD，如 2026-02-15）"}},
	{"date of the wrong shape", HEAD Y2026 L_HOLS HOL L_WORKS "        - {name: 春节调休, date: 2026-2-14}\n",
	 {"cal.yaml:11:30: 日期 2026-2-14 无效（应为存在的日期，写作 YYYY-MM-DD，如 2026-02-15）"}},
	{"from after to", HEAD Y2026 L_HOLS "        - {name: 春节, from: 2026-02-23, to: 2026-02-15}\n" L_WORKS WORK,
	 {"cal.yaml:9:11: 日历 t：春节的起始日 2026-02-23 晚于结束日 2026-02-15"}},
	{"range too long",
	 HEAD Y2026 L_HOLS "        - {name: 春节, from: 2026-01-01, to: 2026-02-15}\n      workdays: []\n",
	 {"cal.yaml:9:11: 日历 t：春节从 2026-01-01 到 2026-02-15 超过 31 天，请检查日期"}},
	{"holiday in another year",
	 HEAD Y2026 L_HOLS "        - {name: 劳动节, from: 2025-05-01, to: 2025-05-05}\n      workdays: []\n",
	 {"cal.yaml:9:29: 日期 2025-05-01 " OUTSIDE_2026, "cal.yaml:9:45: 日期 2025-05-05 " OUTSIDE_2026}},
	{"workday in the next year", HEAD Y2026 L_HOLS HOL L_WORKS "        - {name: 春节调休, date: 2027-01-02}\n",
	 {"cal.yaml:11:30: 日期 2027-01-02 " OUTSIDE_2026}},
	{"holiday and workday on the same day",
	 HEAD Y2026 L_HOLS HOL L_WORKS "        - {name: 春节调休, date: 2026-02-16}\n",
	 {"cal.yaml:11:11: 日历 t：2026-02-16 已定为放假日（春节），不能同时定为调休上班日（春节调休）"}},
	{"same day, workdays listed first",
	 HEAD Y2026 L_WORKS "        - {name: 春节调休, date: 2026-02-16}\n" L_HOLS HOL,
	 {"cal.yaml:11:11: 日历 t：2026-02-16 已定为调休上班日（春节调休），不能同时定为放假日（春节）"}},
	{"same day across sections",
	 HEAD "    2025:\n      holidays: []\n      workdays: []\n"
	 "    2026:\n      holidays:\n        - {name: 元旦, from: 2025-12-31, to: 2026-01-01}\n"
	 "      workdays:\n        - {name: 调休, date: 2025-12-31}\n",
	 {"cal.yaml:14:11: 日历 t：2025-12-31 已定为放假日（元旦），不能同时定为调休上班日（调休）"}},

	/* the file itself */
	{"empty file", "", {"cal.yaml:1:1: 文件为空"}},
	{"only comments", "# nothing\n", {"cal.yaml:1:1: 文件为空"}},
};

static void test_broken_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		conf_diags d = {0};
		calendar *cal = (calendar *)&d; /* must be overwritten */
		calconf_info info = {(char *)"x", (char *)"x"};
		ks_status st = calconf_load(write_cal(cases[i].yaml), "cal.yaml", &cal, &info, &d);
		size_t nwant = 0;
		while (nwant < N(cases[i].want) && cases[i].want[nwant])
			nwant++;
		bool ok = nwant == 0 ? st == KS_OK && cal && info.timezone && d.n == 0
		                     : st == KS_INVALID && !cal && !info.timezone && !info.label &&
		                       d.n == nwant;
		for (size_t k = 0; ok && k < nwant; k++)
			ok = strcmp(d.msgs[k], cases[i].want[k]) == 0;
		if (!ok) {
			fprintf(stderr, "case \"%s\": status %d\n", cases[i].what, st);
			for (size_t k = 0; k < nwant; k++)
				fprintf(stderr, "   want: %s\n", cases[i].want[k]);
			dump(&d);
			fail_msg("case \"%s\" failed", cases[i].what);
		}
		calendar_free(cal);
		calconf_info_free(&info);
		diags_free(&d);
	}
}

static void test_three_mistakes(void **state)
{
	(void)state;
	static const char text[] =
		L_CAL L_NAME L_ZONE
		"  workweek: [mon, tue, wed, thu, fry]\n"
		"  hours: [\"08:30-12:00\", \"11:30-17:30\"]\n"
		L_YEARS Y2026 L_HOLS
		"        - {name: 春节, from: 2026-02-30, to: 2026-02-23}\n"
		L_WORKS WORK;
	static const char *const want[] = {
		"cal.yaml:4:34: 星期名 fry 无效（应为 mon, tue, wed, thu, fri, sat, sun 之一）",
		"cal.yaml:5:26: 日历 t 的工作时段 11:30-17:30 与前一时段 08:30-12:00 " PERIOD_ORDER,
		"cal.yaml:9:28: 日期 2026-02-30 无效（应为存在的日期，写作 YYYY-MM-DD，如 2026-02-15）",
	};
	/* diagnostics are appended to what diags already holds */
	conf_diags d = {0};
	d.msgs = malloc(sizeof *d.msgs);
	assert_non_null(d.msgs);
	d.msgs[0] = strdup("earlier.yaml:1:1: 之前的问题");
	d.n = 1;
	calendar *cal = NULL;
	assert_int_equal(calconf_load(write_cal(text), "cal.yaml", &cal, NULL, &d), KS_INVALID);
	assert_null(cal);
	if (d.n != 1 + N(want))
		dump(&d);
	assert_int_equal(d.n, 1 + N(want));
	assert_string_equal(d.msgs[0], "earlier.yaml:1:1: 之前的问题");
	for (size_t k = 0; k < N(want); k++)
		assert_string_equal(d.msgs[1 + k], want[k]);
	diags_free(&d);
}

static void test_unreadable_and_syntax(void **state)
{
	(void)state;
	conf_diags d = {0};
	calendar *cal = NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/nope.yaml", tmpdir);
	assert_int_equal(calconf_load(path, "nope.yaml", &cal, NULL, &d), KS_FAIL);
	assert_null(cal);
	assert_int_equal(d.n, 1);
	assert_true(strncmp(d.msgs[0], "nope.yaml:1:1: 无法读取日历文件：",
	                    strlen("nope.yaml:1:1: 无法读取日历文件：")) == 0);
	diags_free(&d);

	/* without a display name the path is used */
	assert_int_equal(calconf_load(path, NULL, &cal, NULL, &d), KS_FAIL);
	assert_int_equal(d.n, 1);
	assert_true(strncmp(d.msgs[0], path, strlen(path)) == 0);
	diags_free(&d);

	assert_int_equal(calconf_load(write_cal("calendar: [\n"), "cal.yaml", &cal, NULL, &d),
	                 KS_INVALID);
	assert_null(cal);
	assert_int_equal(d.n, 1);
	assert_true(strncmp(d.msgs[0], "cal.yaml:2:1: YAML 语法错误：",
	                    strlen("cal.yaml:2:1: YAML 语法错误：")) == 0);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cn_days),
		cmocka_unit_test(test_cn_version),
		cmocka_unit_test(test_broken_files),
		cmocka_unit_test(test_three_mistakes),
		cmocka_unit_test(test_unreadable_and_syntax),
	};
	return cmocka_run_group_tests_name("calconf", tests, setup, teardown);
}
