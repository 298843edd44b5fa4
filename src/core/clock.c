/* clock.c — the process clock and the business time zone.
 *
 * The zone is applied through TZ and the C library's tz database, so every
 * conversion in the process uses one zone. kesu is single-threaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kesu/clock.h"

static time_t fixed_now = (time_t)-1;
static char zone_name[128] = "UTC";

time_t clock_now(void)
{
	return fixed_now != (time_t)-1 ? fixed_now : time(NULL);
}

void clock_set_now(time_t t)
{
	fixed_now = t;
}

static bool zone_exists(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	return access(path, R_OK) == 0;
}

ks_status clock_set_zone(const char *zone, ks_err *err)
{
	if (!zone || !*zone || strlen(zone) >= sizeof zone_name || strstr(zone, ".."))
		return ks_errf(err, KS_INVALID, "时区名称无效");
	if (strcmp(zone, "UTC") != 0 && !zone_exists(zone))
		return ks_errf(err, KS_INVALID,
		               "本机没有时区 %s 的数据（请安装 tzdata）", zone);
	snprintf(zone_name, sizeof zone_name, "%s", zone);
	char tz[160];
	snprintf(tz, sizeof tz, ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
	return KS_OK;
}

const char *clock_zone(void)
{
	return zone_name;
}

void clock_local(time_t t, struct tm *out)
{
	localtime_r(&t, out);
}

time_t clock_from_local(const struct tm *tm)
{
	struct tm t = *tm;
	t.tm_isdst = -1;
	return mktime(&t);
}

time_t clock_make(int year, int mon, int mday, int hour, int min)
{
	struct tm t = {0};
	t.tm_year = year - 1900;
	t.tm_mon = mon - 1;
	t.tm_mday = mday;
	t.tm_hour = hour;
	t.tm_min = min;
	return clock_from_local(&t);
}

bool clock_parse(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return false;
	const char *rest = s + n;
	if (*rest) {
		int m = 0;
		if (sscanf(rest, " %2d:%2d%n", &h, &mi, &m) != 2 || rest[m] != '\0')
			return false;
	}
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h < 0 || h > 23 || mi < 0 || mi > 59)
		return false;
	time_t t = clock_make(y, mo, d, h, mi);
	struct tm back;
	clock_local(t, &back);
	if (back.tm_year != y - 1900 || back.tm_mon != mo - 1 || back.tm_mday != d)
		return false; /* 2026-02-30 and the like */
	*out = t;
	return true;
}

void clock_iso(time_t t, char *buf, size_t n)
{
	struct tm tm;
	clock_local(t, &tm);
	char off[8];
	strftime(off, sizeof off, "%z", &tm); /* +0800 */
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%.3s:%.2s",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, off, off + 3);
}

void clock_short(time_t t, char *buf, size_t n)
{
	struct tm tm;
	clock_local(t, &tm);
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}
