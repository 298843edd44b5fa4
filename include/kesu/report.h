/* report.h — the monthly statistics report (`kesu report monthly YYYY-MM`).
 *
 * Definitions, generic over the workflow (workflow.yaml):
 *   month        [1st 00:00, next 1st 00:00) in the business time zone;
 *   cut-off      "month end": the end of the month, or now if that is earlier
 *                (a report of the running month is "so far");
 *   received     cases registered in the month;
 *   accepted     of those, cases that reached a state neither initial nor
 *                final before the cut-off;
 *   rejected     of those, cases that went from the initial state straight
 *                into a final state before the cut-off;
 *   closed       cases (registered in any month) that entered a final state
 *                from a state other than the initial one during the month;
 *   open         cases registered before the cut-off whose state at the
 *                cut-off was not final;
 *   reopened     cases on which an action that can leave a final state
 *                (e.g. reopen) was taken during the month;
 *   overdue      clocks running at the cut-off whose due time was before it;
 *   breakdowns   cases registered in the month by (current) department and
 *                by every choice field of the intake form, with labels;
 *   clocks       per clock, clocks stopped during the month: met, breached,
 *                on-time rate met / (met + breached);
 *   handling     for cases closed in the month: calendar days from
 *                registration to closing, average and 90th percentile
 *                (nearest rank).
 * Visibility: a person whose roles see every case gets the whole report; a
 * person whose roles see their department gets the report of their
 * department's cases (scope = the department); anyone else is refused. */
#ifndef KESU_REPORT_H
#define KESU_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "kesu/session.h"

typedef struct report_item {
	char *value;    /* code, or NULL: no value */
	char *label;    /* what people read */
	long long n;
} report_item;

typedef struct report_breakdown {
	char *key;      /* "dept" or the intake field's key */
	char *label;
	report_item *items;
	size_t nitems;
} report_breakdown;

typedef struct report_clock {
	char *clock, *label;
	long long met, breached;
	double rate;    /* met / (met + breached), 0..1 */
} report_clock;

typedef struct report {
	char month[8];             /* "YYYY-MM" (monthly only) */
	char period[16];           /* "YYYY-MM" or the ISO week "YYYY-Www" */
	bool weekly;               /* report_weekly: a week rather than a month */
	time_t from, to, cutoff;
	char *dept;                /* scope: NULL for all cases, else this department */
	store_report_counts k;
	report_breakdown *bd;
	size_t nbd;
	report_clock *clocks;
	size_t nclocks;
	long long nhandled;        /* cases closed in the month with a handling time */
	double avg_days, p90_days;
} report;

/* Build the report of month ("YYYY-MM") as of clock_now() for the person
 * logged in to s. KS_INVALID for a bad month, KS_DENIED if their roles see
 * neither every case nor their department's. Free with report_free(). */
ks_status report_monthly(session *s, const char *month, report *out, ks_err *err);
void report_free(report *r);

/* The same figures over ISO week ("YYYY-Www", Monday 00:00 to the next
 * Monday 00:00 in the business time zone; "month end" is the week's end). */
ks_status report_weekly(session *s, const char *week, report *out, ks_err *err);

/* The keys of the fields the report breaks down by (the intake form's choice
 * fields), pointing into cf; *n of them. Free the array (not the keys).
 * session_open keeps the store's report_keys equal to them (schema 014). */
const char **report_field_keys(const conf *cf, size_t *n);

/* The 90th percentile (nearest rank) of v[0..n) sorted ascending; 0 if n == 0. */
long long report_p90(const long long *v, size_t n);

/* One CSV field (RFC 4180): s as it is, or in double quotes with every
 * quote doubled if it contains a comma, a quote, CR or LF (or starts or
 * ends with a space). NULL is "". A value starting with = + - @ TAB or CR
 * gets a leading apostrophe first, so spreadsheet programs show it as text
 * instead of running it as a formula (export and report both use this).
 * Returns a new string; caller frees. */
char *report_csv_field(const char *s);

#endif
