/* calendar.c — business calendar and deadline arithmetic.
 *
 * Days are proleptic Gregorian day numbers (0 = 1970-01-01), so day
 * arithmetic is integer arithmetic; the C library (through clock.h) is asked
 * only to split the start instant and to build the due instant. Each year
 * holds one byte per day: ordinary, rest day or make-up working day. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/calendar.h"
#include "kesu/clock.h"

#define DAY_SECS 86400L
#define YEAR_MIN 1900
#define YEAR_MAX 9999
#define RANGE_MAX 31

enum { DAY_ORDINARY = 0, DAY_REST, DAY_WORK };

struct cal_year {
	int year;
	bool complete;              /* declared by calendar_add_year */
	uint8_t kind[366];          /* DAY_* by day of year */
	uint16_t name[366];         /* 1-based index into names, 0 = none */
};

struct cal_period {
	int start, end;             /* minutes from local midnight */
};

struct calendar {
	char *name;
	char *version;
	unsigned workweek;
	struct cal_period per[CALENDAR_MAX_PERIODS];
	int nper;
	struct cal_year *years;     /* sorted by year */
	size_t nyears;
	char **names;
	size_t nnames;
	bool unknown_workweek;      /* years without data follow the workweek */
};

/* ---- day numbers ------------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static calendar_date civil_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	calendar_date c;
	c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c.year = (int)(yoe + era * 400 + (c.month <= 2));
	return c;
}

/* 0 = Monday … 6 = Sunday. */
static int weekday(long day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool date_valid(calendar_date c)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (c.year < YEAR_MIN || c.year > YEAR_MAX || c.month < 1 || c.month > 12 || c.day < 1)
		return false;
	int n = mdays[c.month - 1] + (c.month == 2 && leap(c.year));
	return c.day <= n;
}

static long day_of(calendar_date c)
{
	return days_from_civil(c.year, c.month, c.day);
}

/* Split instant t into its local day number and second of the day. */
static void split(time_t t, long *day, long *sec)
{
	struct tm tm;
	clock_local(t, &tm);
	*day = days_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1, tm.tm_mday);
	int s = tm.tm_sec > 59 ? 59 : tm.tm_sec;
	*sec = tm.tm_hour * 3600L + tm.tm_min * 60L + s;
}

/* The instant of local day `day` at second `sec` (sec may be DAY_SECS). */
static time_t local_at(long day, long sec)
{
	day += sec / DAY_SECS;
	sec %= DAY_SECS;
	calendar_date c = civil_from_days(day);
	struct tm tm = {0};
	tm.tm_year = c.year - 1900;
	tm.tm_mon = c.month - 1;
	tm.tm_mday = c.day;
	tm.tm_hour = (int)(sec / 3600);
	tm.tm_min = (int)(sec / 60 % 60);
	tm.tm_sec = (int)(sec % 60);
	return clock_from_local(&tm);
}

calendar_date calendar_date_of(time_t t)
{
	long day, sec;
	split(t, &day, &sec);
	return civil_from_days(day);
}

/* ---- building --------------------------------------------------------- */

calendar *calendar_new(const char *name)
{
	calendar *cal = ks_calloc(1, sizeof *cal);
	cal->name = ks_strdup(name && *name ? name : "?");
	cal->version = ks_strdup("");
	cal->workweek = CALENDAR_MON_FRI;
	return cal;
}

void calendar_free(calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->nnames; i++)
		free(cal->names[i]);
	free(cal->names);
	free(cal->years);
	free(cal->version);
	free(cal->name);
	free(cal);
}

const char *calendar_name(const calendar *cal)
{
	return cal->name;
}

void calendar_set_version(calendar *cal, const char *version)
{
	char *v = ks_strdup(version ? version : "");
	free(cal->version);
	cal->version = v;
}

const char *calendar_version(const calendar *cal)
{
	return cal->version;
}

ks_status calendar_set_workweek(calendar *cal, unsigned mask, ks_err *err)
{
	if (mask == 0 || (mask & ~(unsigned)CALENDAR_ALL_WEEK))
		return ks_errf(err, KS_INVALID,
		               "日历 %s 的工作周无效：至少要有一天工作日，且只能是周一至周日",
		               cal->name);
	cal->workweek = mask;
	return KS_OK;
}

static void fmt_hm(char *buf, size_t n, int min)
{
	snprintf(buf, n, "%02d:%02d", min / 60, min % 60);
}

ks_status calendar_add_hours(calendar *cal, int start_min, int end_min, ks_err *err)
{
	if (start_min < 0 || end_min > 1440 || start_min >= end_min)
		return ks_errf(err, KS_INVALID,
		               "日历 %s 的工作时段无效：开始须早于结束，且在 00:00 至 24:00 之内",
		               cal->name);
	if (cal->nper >= CALENDAR_MAX_PERIODS)
		return ks_errf(err, KS_INVALID, "日历 %s 的工作时段过多（最多 %d 段）",
		               cal->name, CALENDAR_MAX_PERIODS);
	if (cal->nper > 0 && start_min < cal->per[cal->nper - 1].end) {
		char a[16], b[16], c[16], d[16];
		fmt_hm(a, sizeof a, start_min);
		fmt_hm(b, sizeof b, end_min);
		fmt_hm(c, sizeof c, cal->per[cal->nper - 1].start);
		fmt_hm(d, sizeof d, cal->per[cal->nper - 1].end);
		return ks_errf(err, KS_INVALID,
		               "日历 %s 的工作时段 %s-%s 与前一时段 %s-%s 重叠或顺序颠倒"
		               "（时段须按时间先后排列）", cal->name, a, b, c, d);
	}
	cal->per[cal->nper].start = start_min;
	cal->per[cal->nper].end = end_min;
	cal->nper++;
	return KS_OK;
}

static struct cal_year *year_find(const calendar *cal, int year)
{
	for (size_t i = 0; i < cal->nyears; i++)
		if (cal->years[i].year == year)
			return &cal->years[i];
	return NULL;
}

/* The storage of year, created if missing. year must be in range. */
static struct cal_year *year_get(calendar *cal, int year)
{
	struct cal_year *y = year_find(cal, year);
	if (y)
		return y;
	cal->years = ks_realloc(cal->years, (cal->nyears + 1) * sizeof *cal->years);
	size_t i = cal->nyears;
	while (i > 0 && cal->years[i - 1].year > year) {
		cal->years[i] = cal->years[i - 1];
		i--;
	}
	memset(&cal->years[i], 0, sizeof cal->years[i]);
	cal->years[i].year = year;
	cal->nyears++;
	return &cal->years[i];
}

ks_status calendar_add_year(calendar *cal, int year, ks_err *err)
{
	if (year < YEAR_MIN || year > YEAR_MAX)
		return ks_errf(err, KS_INVALID, "日历 %s：年份 %d 无效（应在 %d 至 %d 之间）",
		               cal->name, year, YEAR_MIN, YEAR_MAX);
	year_get(cal, year)->complete = true;
	return KS_OK;
}

void calendar_set_unknown_workweek(calendar *cal, bool on)
{
	cal->unknown_workweek = on;
}

bool calendar_unknown_workweek(const calendar *cal)
{
	return cal->unknown_workweek;
}

bool calendar_has_year(const calendar *cal, int year)
{
	const struct cal_year *y = year_find(cal, year);
	return y && y->complete;
}

/* Index + 1 of name in the name table, added if new; 0 for no name. */
static uint16_t name_index(calendar *cal, const char *name)
{
	if (!name || !*name)
		return 0;
	for (size_t i = 0; i < cal->nnames; i++)
		if (strcmp(cal->names[i], name) == 0)
			return (uint16_t)(i + 1);
	if (cal->nnames >= UINT16_MAX)
		return 0; /* absurd amount of data: keep the day, lose the name */
	cal->names = ks_realloc(cal->names, (cal->nnames + 1) * sizeof *cal->names);
	cal->names[cal->nnames++] = ks_strdup(name);
	return (uint16_t)cal->nnames;
}

/* Kind and name index of a valid date; DAY_ORDINARY if nothing recorded. */
static int day_kind(const calendar *cal, long day, int *name)
{
	calendar_date c = civil_from_days(day);
	const struct cal_year *y = year_find(cal, c.year);
	if (!y) {
		if (name)
			*name = 0;
		return DAY_ORDINARY;
	}
	long doy = day - days_from_civil(c.year, 1, 1);
	if (name)
		*name = y->name[doy];
	return y->kind[doy];
}

static const char *kind_label(int kind)
{
	return kind == DAY_REST ? "放假日" : "调休上班日";
}

static ks_status mark_days(calendar *cal, calendar_date from, calendar_date to,
                           int kind, const char *name, ks_err *err)
{
	if (!date_valid(from))
		return ks_errf(err, KS_INVALID, "日历 %s：日期 %04d-%02d-%02d 不存在",
		               cal->name, from.year, from.month, from.day);
	if (!date_valid(to))
		return ks_errf(err, KS_INVALID, "日历 %s：日期 %04d-%02d-%02d 不存在",
		               cal->name, to.year, to.month, to.day);
	long a = day_of(from), b = day_of(to);
	if (a > b)
		return ks_errf(err, KS_INVALID,
		               "日历 %s：%s的起始日 %04d-%02d-%02d 晚于结束日 %04d-%02d-%02d",
		               cal->name, name && *name ? name : "放假",
		               from.year, from.month, from.day, to.year, to.month, to.day);
	if (b - a + 1 > RANGE_MAX)
		return ks_errf(err, KS_INVALID,
		               "日历 %s：%s从 %04d-%02d-%02d 到 %04d-%02d-%02d 超过 %d 天，请检查日期",
		               cal->name, name && *name ? name : "放假",
		               from.year, from.month, from.day, to.year, to.month, to.day, RANGE_MAX);
	/* check every day first, so a failure changes nothing */
	for (long day = a; day <= b; day++) {
		int nm;
		int k = day_kind(cal, day, &nm);
		if (k != DAY_ORDINARY && k != kind) {
			calendar_date c = civil_from_days(day);
			return ks_errf(err, KS_INVALID,
			               "日历 %s：%04d-%02d-%02d 已定为%s（%s），不能同时定为%s（%s）",
			               cal->name, c.year, c.month, c.day, kind_label(k),
			               nm ? cal->names[nm - 1] : "未命名", kind_label(kind),
			               name && *name ? name : "未命名");
		}
	}
	uint16_t ni = name_index(cal, name);
	for (long day = a; day <= b; day++) {
		calendar_date c = civil_from_days(day);
		struct cal_year *y = year_get(cal, c.year);
		long doy = day - days_from_civil(c.year, 1, 1);
		if (y->kind[doy] == DAY_ORDINARY) {
			y->kind[doy] = (uint8_t)kind;
			y->name[doy] = ni;
		}
	}
	return KS_OK;
}

ks_status calendar_add_holiday(calendar *cal, calendar_date from, calendar_date to,
                               const char *name, ks_err *err)
{
	return mark_days(cal, from, to, DAY_REST, name, err);
}

ks_status calendar_add_workday(calendar *cal, calendar_date day, const char *name,
                               ks_err *err)
{
	return mark_days(cal, day, day, DAY_WORK, name, err);
}

/* ---- asking about days ------------------------------------------------ */

static ks_status no_year(const calendar *cal, int year, ks_err *err)
{
	return ks_errf(err, KS_INVALID,
	               "日历 %s 没有 %d 年的节假日数据，无法确定工作日；"
	               "请在日历配置中补充 %d 年的放假和调休安排", cal->name, year, year);
}

/* Whether day number `day` is a working day; fails for a year without data. */
static ks_status work_day(const calendar *cal, long day, bool *out, ks_err *err)
{
	calendar_date c = civil_from_days(day);
	const struct cal_year *y = year_find(cal, c.year);
	if ((!y || !y->complete) && cal->unknown_workweek) {
		*out = (cal->workweek >> weekday(day)) & 1u;
		return KS_OK;
	}
	if (!y || !y->complete)
		return no_year(cal, c.year, err);
	long doy = day - days_from_civil(c.year, 1, 1);
	switch (y->kind[doy]) {
	case DAY_REST: *out = false; break;
	case DAY_WORK: *out = true; break;
	default: *out = (cal->workweek >> weekday(day)) & 1u; break;
	}
	return KS_OK;
}

ks_status calendar_is_workday(const calendar *cal, calendar_date day, bool *out,
                              ks_err *err)
{
	if (!date_valid(day))
		return ks_errf(err, KS_INVALID, "日期 %04d-%02d-%02d 不存在",
		               day.year, day.month, day.day);
	return work_day(cal, day_of(day), out, err);
}

const char *calendar_day_name(const calendar *cal, calendar_date day)
{
	if (!date_valid(day))
		return NULL;
	int nm;
	day_kind(cal, day_of(day), &nm);
	return nm ? cal->names[nm - 1] : NULL;
}

/* ---- deadlines -------------------------------------------------------- */

static ks_status need_hours(const calendar *cal, ks_err *err)
{
	if (cal->nper == 0)
		return ks_errf(err, KS_INVALID,
		               "日历 %s 没有设置工作时段（hours），无法按工作时间或下班时间计算",
		               cal->name);
	return KS_OK;
}

/* The first working day > day (or >= day if `from_same`). */
static ks_status next_work_day(const calendar *cal, long day, bool from_same, long *out,
                               ks_err *err)
{
	if (!from_same)
		day++;
	for (;; day++) {
		bool w;
		ks_status st = work_day(cal, day, &w, err);
		if (st != KS_OK)
			return st;
		if (w) {
			*out = day;
			return KS_OK;
		}
	}
}

/* The instant at which counted day `day` ends. */
static ks_status day_end(const calendar *cal, long day, calendar_end end, time_t *out,
                         ks_err *err)
{
	if (end == CALENDAR_END_CLOSE) {
		ks_status st = need_hours(cal, err);
		if (st != KS_OK)
			return st;
		*out = local_at(day, cal->per[cal->nper - 1].end * 60L);
	} else {
		*out = local_at(day + 1, 0);
	}
	return KS_OK;
}

/* Walk forward from (day, sec) through working periods, using up `need`
 * seconds; *out is the instant they are used up (need = 0: the first
 * working instant, which must lie strictly before a period's end). */
static ks_status walk_work(const calendar *cal, long day, long sec, long long need,
                           long *out_day, long *out_sec, ks_err *err)
{
	ks_status st = need_hours(cal, err);
	if (st != KS_OK)
		return st;
	for (;; day++, sec = 0) {
		bool w;
		if ((st = work_day(cal, day, &w, err)) != KS_OK)
			return st;
		if (!w)
			continue;
		for (int i = 0; i < cal->nper; i++) {
			long ps = cal->per[i].start * 60L, pe = cal->per[i].end * 60L;
			if (sec >= pe)
				continue;
			long from = sec > ps ? sec : ps;
			long avail = pe - from;
			if (need == 0 ? avail > 0 : need <= avail) {
				*out_day = day;
				*out_sec = from + (long)need;
				return KS_OK;
			}
			need -= avail;
		}
	}
}

static bool duration_valid(const calendar_duration *d)
{
	switch (d->unit) {
#define CALENDAR_X(id, name, label) case id:
	CALENDAR_UNIT_LIST(CALENDAR_X)
#undef CALENDAR_X
		break;
	default:
		return false;
	}
	return d->n >= 0 && d->n <= CALENDAR_MAX_AMOUNT &&
	       (d->end == CALENDAR_END_EOD || d->end == CALENDAR_END_CLOSE) &&
	       (d->roll == CALENDAR_ROLL_NEXT || d->roll == CALENDAR_ROLL_NONE);
}

ks_status calendar_due(const calendar *cal, time_t start, const calendar_duration *d,
                       time_t *due, ks_err *err)
{
	if (!d || !duration_valid(d))
		return ks_errf(err, KS_INVALID,
		               "期限设置无效：单位须为 minutes/hours/days/workdays/workhours/months，"
		               "数量须在 0 至 %ld 之间", CALENDAR_MAX_AMOUNT);
	long day, sec, last;
	ks_status st;
	switch (d->unit) {
	case CALENDAR_MINUTES:
	case CALENDAR_HOURS: {
		long long add = (long long)d->n * (d->unit == CALENDAR_HOURS ? 3600 : 60);
		time_t t = (time_t)((long long)start + add);
		if ((long long)t != (long long)start + add)
			return ks_errf(err, KS_INVALID, "期限过长，超出可表示的时间范围");
		*due = t;
		return KS_OK;
	}
	case CALENDAR_DAYS:
		split(start, &day, &sec);
		last = day + d->n;
		if (d->roll == CALENDAR_ROLL_NEXT &&
		    (st = next_work_day(cal, last, true, &last, err)) != KS_OK)
			return st;
		return day_end(cal, last, d->end, due, err);
	case CALENDAR_MONTHS: {
		split(start, &day, &sec);
		calendar_date c = civil_from_days(day);
		long m = (long)c.year * 12 + (c.month - 1) + d->n;
		if (m / 12 > YEAR_MAX)
			return ks_errf(err, KS_INVALID, "期限过长，超出可表示的时间范围");
		calendar_date e = { (int)(m / 12), (int)(m % 12) + 1, c.day };
		while (!date_valid(e))   /* no such day: the month's last day (第二百零二条) */
			e.day--;
		last = day_of(e);
		if (d->roll == CALENDAR_ROLL_NEXT &&
		    (st = next_work_day(cal, last, true, &last, err)) != KS_OK)
			return st;
		return day_end(cal, last, d->end, due, err);
	}
	case CALENDAR_WORKDAYS:
		split(start, &day, &sec);
		last = day;
		if (d->n == 0 && (st = next_work_day(cal, day, true, &last, err)) != KS_OK)
			return st;
		for (long i = 0; i < d->n; i++)
			if ((st = next_work_day(cal, last, false, &last, err)) != KS_OK)
				return st;
		return day_end(cal, last, d->end, due, err);
	case CALENDAR_WORKHOURS: {
		if (d->n == 0) {
			*due = start;
			return KS_OK;
		}
		long od, os;
		split(start, &day, &sec);
		st = walk_work(cal, day, sec, (long long)d->n * 3600, &od, &os, err);
		if (st != KS_OK)
			return st;
		*due = local_at(od, os);
		return KS_OK;
	}
	}
	return ks_errf(err, KS_INVALID, "期限单位无效");
}

/* Working seconds in [a, b), a <= b. */
static ks_status work_secs(const calendar *cal, time_t a, time_t b, long long *out,
                           ks_err *err)
{
	long da, sa, db, sb;
	split(a, &da, &sa);
	split(b, &db, &sb);
	if (db > da && sb == 0) { /* an interval ending at 00:00 ends the day before */
		db--;
		sb = DAY_SECS;
	}
	long long total = 0;
	for (long day = da; day <= db; day++) {
		bool w;
		ks_status st = work_day(cal, day, &w, err);
		if (st != KS_OK)
			return st;
		if (!w)
			continue;
		long lo = day == da ? sa : 0, hi = day == db ? sb : DAY_SECS;
		for (int i = 0; i < cal->nper; i++) {
			long ps = cal->per[i].start * 60L, pe = cal->per[i].end * 60L;
			long x = lo > ps ? lo : ps, y = hi < pe ? hi : pe;
			if (y > x)
				total += y - x;
		}
	}
	*out = total;
	return KS_OK;
}

ks_status calendar_work_minutes(const calendar *cal, time_t a, time_t b, long *out,
                                ks_err *err)
{
	ks_status st = need_hours(cal, err);
	if (st != KS_OK)
		return st;
	long long s;
	if (b >= a) {
		if ((st = work_secs(cal, a, b, &s, err)) != KS_OK)
			return st;
		*out = (long)(s / 60);
	} else {
		if ((st = work_secs(cal, b, a, &s, err)) != KS_OK)
			return st;
		*out = -(long)(s / 60);
	}
	return KS_OK;
}

ks_status calendar_add_work(const calendar *cal, time_t t, long long seconds, time_t *out,
                            ks_err *err)
{
	if (seconds <= 0) {
		*out = t;
		return KS_OK;
	}
	long day, sec, od, os;
	split(t, &day, &sec);
	ks_status st = walk_work(cal, day, sec, seconds, &od, &os, err);
	if (st != KS_OK)
		return st;
	*out = local_at(od, os);
	return KS_OK;
}

ks_status calendar_next_work_instant(const calendar *cal, time_t t, time_t *out,
                                     ks_err *err)
{
	long day, sec, od, os;
	split(t, &day, &sec);
	ks_status st = walk_work(cal, day, sec, 0, &od, &os, err);
	if (st != KS_OK)
		return st;
	*out = (od == day && os == sec) ? t : local_at(od, os);
	return KS_OK;
}

/* ---- the data file's scalars ------------------------------------------ */

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool calendar_date_parse(const char *s, calendar_date *out)
{
	calendar_date c;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &c.year) || !digits(s + 5, 2, &c.month) || !digits(s + 8, 2, &c.day) ||
	    !date_valid(c))
		return false;
	*out = c;
	return true;
}

/* "HH:MM" at s, 00:00..24:00. */
static bool hm_parse(const char *s, int *min)
{
	int h, m;
	if (s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m) || m > 59 ||
	    h > 24 || (h == 24 && m != 0))
		return false;
	*min = h * 60 + m;
	return true;
}

bool calendar_period_parse(const char *s, int *start_min, int *end_min)
{
	int a, b;
	if (!s || strlen(s) != 11 || s[5] != '-' || !hm_parse(s, &a) || !hm_parse(s + 6, &b))
		return false;
	*start_min = a;
	*end_min = b;
	return true;
}

bool calendar_weekday_parse(const char *s, unsigned *bit)
{
	static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	for (int i = 0; s && i < 7; i++)
		if (strcmp(s, names[i]) == 0) {
			*bit = 1u << i;
			return true;
		}
	return false;
}

bool calendar_unit_parse(const char *s, calendar_unit *out)
{
	if (!s)
		return false;
#define CALENDAR_X(id, name, label) \
	if (strcmp(s, name) == 0) { *out = id; return true; }
	CALENDAR_UNIT_LIST(CALENDAR_X)
#undef CALENDAR_X
	return false;
}

const char *calendar_unit_name(calendar_unit unit)
{
	switch (unit) {
#define CALENDAR_X(id, name, label) case id: return name;
	CALENDAR_UNIT_LIST(CALENDAR_X)
#undef CALENDAR_X
	}
	return "?";
}

const char *calendar_unit_label(calendar_unit unit)
{
	switch (unit) {
#define CALENDAR_X(id, name, label) case id: return label;
	CALENDAR_UNIT_LIST(CALENDAR_X)
#undef CALENDAR_X
	}
	return "?";
}
