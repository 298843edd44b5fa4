/* clock.h — the one place the time is read, and the configured time zone.
 *
 * Times are UTC epoch seconds (time_t). The process has one business time zone
 * (set from calendar.yaml); local broken-down times are in that zone. */
#ifndef KESU_CLOCK_H
#define KESU_CLOCK_H

#include <stdbool.h>
#include <time.h>
#include "kesu/err.h"

/* The current time: the real clock, or the time fixed by clock_set_now(). */
time_t clock_now(void);
/* Fix the clock (tests, --now). */
void clock_set_now(time_t t);

/* Set the business time zone by IANA name (e.g. "Asia/Shanghai").
 * Fails with KS_INVALID if the zone is unknown on this machine. */
ks_status clock_set_zone(const char *zone, ks_err *err);
const char *clock_zone(void);

/* UTC seconds -> local broken-down time in the business zone. */
void clock_local(time_t t, struct tm *out);
/* Local wall time (fields year/mon/mday/hour/min/sec as in struct tm, tm_isdst
 * ignored) -> UTC seconds. */
time_t clock_from_local(const struct tm *tm);
/* Local date and minute-of-day -> UTC seconds. year is e.g. 2026, mon 1..12. */
time_t clock_make(int year, int mon, int mday, int hour, int min);

/* Parse 'YYYY-MM-DD HH:MM' (or 'YYYY-MM-DD', meaning 00:00) in the business
 * zone. Returns false if the text is not a valid date and time. */
bool clock_parse(const char *s, time_t *out);
/* Format as ISO 8601 with offset, e.g. 2026-11-27T09:30:00+08:00. buf >= 32. */
void clock_iso(time_t t, char *buf, size_t n);
/* Format as 'YYYY-MM-DD HH:MM' local. buf >= 20. */
void clock_short(time_t t, char *buf, size_t n);

#endif
