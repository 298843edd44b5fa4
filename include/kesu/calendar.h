/* calendar.h — the business calendar and deadline arithmetic.
 *
 * A calendar is a working week, the working periods of a day, and per year
 * the rest days (放假) and make-up working days (调休上班) of the official
 * notice. It is filled once by the loader (config/calendars/NAME.yaml) and is
 * read-only afterwards; every const function may be called on it freely.
 *
 * Time: instants are UTC epoch seconds; days and minutes-of-day are local to
 * the process's business time zone (clock.h). The loader must call
 * clock_set_zone() with the file's `timezone` before computing anything.
 * Working time is counted in wall-clock time of the local day.
 *
 * Missing data is an error, never "an ordinary year": every function that
 * needs to know whether a day is a working day fails with KS_INVALID and a
 * message naming the calendar and the year when that year was not declared
 * with calendar_add_year().
 *
 * Counting follows 民法典 第二百零一条–第二百零三条; see calendar_due(). */
#ifndef KESU_CALENDAR_H
#define KESU_CALENDAR_H

#include <stdbool.h>
#include <time.h>
#include "kesu/err.h"

typedef struct calendar calendar;

/* A local calendar date, year 1900..9999, month 1..12, day 1..31. */
typedef struct calendar_date {
	int year, month, day;
} calendar_date;

/* Working-week bits: bit 0 = Monday … bit 6 = Sunday. */
enum {
	CALENDAR_MON = 1 << 0,
	CALENDAR_TUE = 1 << 1,
	CALENDAR_WED = 1 << 2,
	CALENDAR_THU = 1 << 3,
	CALENDAR_FRI = 1 << 4,
	CALENDAR_SAT = 1 << 5,
	CALENDAR_SUN = 1 << 6,
	CALENDAR_MON_FRI = 0x1f,
	CALENDAR_ALL_WEEK = 0x7f
};

/* At most this many working periods a day. */
#define CALENDAR_MAX_PERIODS 16
/* Largest duration amount accepted by calendar_due(), any unit. */
#define CALENDAR_MAX_AMOUNT 10000000L

/* ---- building (the loader) ------------------------------------------- */

/* A new, empty calendar called name (copied; NULL or "" gives "?").
 * Workweek Monday–Friday, no working periods, no years, version "".
 * Allocates; free with calendar_free(). Aborts only on out-of-memory. */
calendar *calendar_new(const char *name);

/* Free cal and everything it owns. NULL is a no-op. */
void calendar_free(calendar *cal);

/* The name given to calendar_new(). Owned by cal. */
const char *calendar_name(const calendar *cal);

/* Record the version of the data (the loader uses a hash of the file);
 * deadlines store it. Copies version (NULL gives ""). Cannot fail. */
void calendar_set_version(calendar *cal, const char *version);
/* The version set last, or "". Owned by cal, valid until the next
 * calendar_set_version() or calendar_free(). Never NULL. */
const char *calendar_version(const calendar *cal);

/* Set the working week (CALENDAR_MON | …). Fails with KS_INVALID, leaving
 * the calendar unchanged, if mask is 0 or has bits above Sunday. */
ks_status calendar_set_workweek(calendar *cal, unsigned mask, ks_err *err);
/* Let days of years without data follow the workweek (no holidays, no make-up
 * days) instead of failing: deadlines reaching a year whose notice is not
 * published yet are then provisional, and are re-timed when the year's data
 * is added (the calendar's version changes with its file). Off by default. */
void calendar_set_unknown_workweek(calendar *cal, bool on);
bool calendar_unknown_workweek(const calendar *cal);

/* Add a working period of the day [start_min, end_min) in minutes from local
 * midnight, 0 <= start < end <= 1440 (1440 = 24:00). Periods must be added in
 * order and must not overlap (touching is allowed): 08:30–12:00 then
 * 13:30–17:30. Close of business is the end of the last period. Fails with
 * KS_INVALID, leaving the calendar unchanged, otherwise. */
ks_status calendar_add_hours(calendar *cal, int start_min, int end_min, ks_err *err);

/* Declare that the holiday data for year is complete; only then do days of
 * that year count as known. Declaring twice is harmless. Fails with
 * KS_INVALID for a year outside 1900..9999. */
ks_status calendar_add_year(calendar *cal, int year, ks_err *err);

/* Mark every day from..to (inclusive, at most 31 days) as a rest day (放假),
 * whatever the weekday. name (e.g. "春节", copied; may be NULL) is reported by
 * calendar_day_name(). Days may lie in a year not (yet) declared — a notice
 * can cover 12-31 of the year before — but they only count once their year
 * is declared. Marking a day twice as a rest day is harmless (the first name
 * stays). Fails with KS_INVALID and changes nothing if a date does not exist,
 * from is after to, the range is longer than 31 days, or a day in it is
 * already a make-up working day. */
ks_status calendar_add_holiday(calendar *cal, calendar_date from, calendar_date to,
                               const char *name, ks_err *err);

/* Mark day as a make-up working day (调休上班), whatever the weekday. Same
 * rules as calendar_add_holiday(); fails if day is already a rest day. */
ks_status calendar_add_workday(calendar *cal, calendar_date day, const char *name,
                               ks_err *err);

/* ---- asking about days ----------------------------------------------- */

/* Whether the holiday data for year was declared complete. Cannot fail. */
bool calendar_has_year(const calendar *cal, int year);

/* Set *out to whether day is a working day: a make-up working day, or a
 * workweek day that is not a rest day. Fails with KS_INVALID (and leaves *out
 * alone) if the date does not exist or its year has no data. */
ks_status calendar_is_workday(const calendar *cal, calendar_date day, bool *out,
                              ks_err *err);

/* The name recorded for a rest day or make-up working day ("春节",
 * "春节调休"), or NULL for an ordinary day or an invalid date. Owned by cal. */
const char *calendar_day_name(const calendar *cal, calendar_date day);

/* The local date of instant t. Cannot fail. */
calendar_date calendar_date_of(time_t t);

/* ---- deadlines -------------------------------------------------------- */

#define CALENDAR_UNIT_LIST(X)                              \
	X(CALENDAR_MINUTES,   "minutes",   "分钟")          \
	X(CALENDAR_HOURS,     "hours",     "小时")          \
	X(CALENDAR_DAYS,      "days",      "日")            \
	X(CALENDAR_WORKDAYS,  "workdays",  "个工作日")      \
	X(CALENDAR_WORKHOURS, "workhours", "个工作小时")  \
	X(CALENDAR_MONTHS,    "months",    "个月")

typedef enum {
#define CALENDAR_X(id, name, label) id,
	CALENDAR_UNIT_LIST(CALENDAR_X)
#undef CALENDAR_X
} calendar_unit;

/* Where a counted day ends. The zero value is the 民法典 default. */
typedef enum {
	CALENDAR_END_EOD = 0,  /* 24:00, i.e. 00:00 of the following day */
	CALENDAR_END_CLOSE     /* close of business: end of the last working period */
} calendar_end;

/* What happens when the last day of a `days` period is a rest day.
 * The zero value is the 民法典 default. */
typedef enum {
	CALENDAR_ROLL_NEXT = 0, /* move to the next working day (第二百零三条) */
	CALENDAR_ROLL_NONE      /* keep the day */
} calendar_roll;

/* A time limit: n units, n >= 0. end is used by days and workdays, roll by
 * days only. Note the zero end is EOD: a workdays limit that ends at close of
 * business must say CALENDAR_END_CLOSE. */
typedef struct calendar_duration {
	calendar_unit unit;
	long n;
	calendar_end end;
	calendar_roll roll;
} calendar_duration;

/* Compute the due instant of limit d counted from start into *due.
 *   minutes, hours: start + n minutes/hours of elapsed time; no calendar
 *     data is used, so no year is checked.
 *   days: the start day is not counted; the last day is the n-th day after
 *     it (n = 0: the start day). With ROLL_NEXT a last day that is a rest day
 *     moves to the next working day. Due at the end of the last day (EOD: the
 *     exclusive instant 00:00 of the day after) or at its close of business.
 *     With ROLL_NONE no holiday data is needed.
 *   months: like days, but the last day is the day with the start day's
 *     number n months later, or that month's last day when it has no such
 *     day (民法典 第二百零二条: 1-31 plus one month ends 2-28/29).
 *   workdays: the n-th working day after the start day (the start day never
 *     counts; n = 0: the start day if it is a working day, else the next
 *     working day); due at its close of business or EOD.
 *   workhours: n hours of working time counted inside the working periods of
 *     working days, from start or from the next working period if start is
 *     outside one; due the instant the last working minute is used up (a
 *     period's end, never the next period's start). n = 0: due = start.
 * Seconds of start are kept. Every day consulted must be in a declared year.
 * Fails with KS_INVALID and leaves *due alone if d is invalid (unknown unit,
 * n < 0 or > CALENDAR_MAX_AMOUNT), if a consulted day's year has no data, or
 * if close of business or working hours are needed and the calendar has no
 * working periods. Allocates nothing. */
ks_status calendar_due(const calendar *cal, time_t start, const calendar_duration *d,
                       time_t *due, ks_err *err);

/* Set *out to the working minutes in [a, b) (whole minutes, truncated), or
 * minus the working minutes in [b, a) if b < a — e.g. "time left" from now to
 * a due instant goes negative once overdue. Every day the interval touches
 * (an interval ending at 00:00 does not touch that day) must be in a declared
 * year. Fails with KS_INVALID and leaves *out alone otherwise, or if the
 * calendar has no working periods. */
ks_status calendar_work_minutes(const calendar *cal, time_t a, time_t b, long *out,
                                ks_err *err);

/* The instant at which `seconds` of working time after t have been used up
 * (working time starts at the next working period if t lies outside one);
 * seconds <= 0 gives t. Used to add paused working time back to a clock
 * counted in working days or hours. A day in a year without data fails. */
ks_status calendar_add_work(const calendar *cal, time_t t, long long seconds, time_t *out,
                            ks_err *err);

/* Set *out to the first instant >= t inside a working period of a working
 * day (t itself if it is inside one; the end instant of a period is not
 * inside it). Fails like calendar_work_minutes(). */
ks_status calendar_next_work_instant(const calendar *cal, time_t t, time_t *out,
                                     ks_err *err);

/* ---- the data file's scalars (for the loader) ------------------------ */

/* Parse "YYYY-MM-DD" (exactly, a date that exists, year 1900..9999). */
bool calendar_date_parse(const char *s, calendar_date *out);
/* Parse a working period "HH:MM-HH:MM" (end may be "24:00") into minutes
 * from midnight. Does not check order; calendar_add_hours() does. */
bool calendar_period_parse(const char *s, int *start_min, int *end_min);
/* Parse a weekday name "mon" … "sun" into its CALENDAR_MON … bit. */
bool calendar_weekday_parse(const char *s, unsigned *bit);
/* Parse a unit name "minutes" … "workhours" (CALENDAR_UNIT_LIST). */
bool calendar_unit_parse(const char *s, calendar_unit *out);
/* The unit's file name ("workdays") or Chinese label ("个工作日");
 * "?" for an unknown unit. Static strings. */
const char *calendar_unit_name(calendar_unit unit);
const char *calendar_unit_label(calendar_unit unit);

#endif
