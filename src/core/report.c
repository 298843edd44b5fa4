/* report.c — the monthly statistics report: who may see what, the month's
 * bounds, the workflow's state and action sets, labels, and the handling
 * time statistics. The counting itself is SQL (src/store/report.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/report.h"
#include "kesu/case.h"
#include "kesu/clock.h"

long long report_p90(const long long *v, size_t n)
{
	if (n == 0)
		return 0;
	size_t rank = (n * 9 + 9) / 10; /* ceil(0.9 n), 1-based */
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

void report_free(report *r)
{
	if (!r)
		return;
	free(r->dept);
	for (size_t i = 0; i < r->nbd; i++) {
		report_breakdown *b = &r->bd[i];
		for (size_t j = 0; j < b->nitems; j++) {
			free(b->items[j].value);
			free(b->items[j].label);
		}
		free(b->items);
		free(b->key);
		free(b->label);
	}
	free(r->bd);
	for (size_t i = 0; i < r->nclocks; i++) {
		free(r->clocks[i].clock);
		free(r->clocks[i].label);
	}
	free(r->clocks);
	memset(r, 0, sizeof *r);
}

static bool parse_month(const char *m, int *y, int *mo)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return false;
	*y = atoi(m);
	*mo = atoi(m + 5);
	return *y >= 1970 && *y <= 9998 && *mo >= 1 && *mo <= 12;
}

static char *json_codes(json_t *a)
{
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/* Turn store rows into labelled items; field NULL means departments. */
static void take_items(const session *s, const conf_field *fd, store_report_row *rows, size_t n, report_breakdown *b)
{
	b->items = ks_calloc(n ? n : 1, sizeof *b->items);
	b->nitems = n;
	for (size_t i = 0; i < n; i++) {
		report_item *it = &b->items[i];
		it->value = rows[i].value;
		rows[i].value = NULL;
		it->n = rows[i].n;
		const char *label;
		if (!it->value)
			label = "（未填）";
		else if (!fd)
			label = case_dept_name(s, it->value);
		else
			label = conf_choice_label(fd, it->value) ? conf_choice_label(fd, it->value) : it->value;
		it->label = ks_strdup(label);
	}
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The Monday (days since the epoch) of ISO week w of year y; false if the
 * year has no such week. */
static bool iso_week_monday(int y, int w, long *monday)
{
	long jan4 = days_from_civil(y, 1, 4);
	long wd = ((jan4 + 3) % 7 + 7) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
	long week1 = jan4 - wd;
	long next1 = days_from_civil(y + 1, 1, 4);
	next1 -= ((next1 + 3) % 7 + 7) % 7;
	long weeks = (next1 - week1) / 7;
	if (w < 1 || w > weeks)
		return false;
	*monday = week1 + (long)(w - 1) * 7;
	return true;
}

static ks_status report_span(session *s, report *out, ks_err *err);

const char **report_field_keys(const conf *cf, size_t *n)
{
	const conf_form *intake = cf->intake_form ? conf_find_form(cf, cf->intake_form) : NULL;
	const char **v = ks_calloc(intake && intake->nfields ? intake->nfields : 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; intake && i < intake->nfields; i++)
		if (intake->fields[i].type == FT_CHOICE)
			v[(*n)++] = intake->fields[i].key;
	return v;
}

ks_status report_weekly(session *s, const char *week, report *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	int y = 0, w = 0, n = 0;
	long monday;
	if (!week || strlen(week) != 8 || week[5] != 'W' || sscanf(week, "%4d-W%2d%n", &y, &w, &n) != 2 || n != 8 || week[6] < '0' ||
	    week[7] < '0' || y < 1970 || y > 9998 || !iso_week_monday(y, w, &monday))
		return ks_errf(err, KS_INVALID, "周应为 ISO 周 YYYY-Www，例如 2026-W43（该年的第 1 至 52 或 53 周）");
	int y1, m1, d1, y2, m2, d2;
	civil_from_days(monday, &y1, &m1, &d1);
	civil_from_days(monday + 7, &y2, &m2, &d2);
	snprintf(out->period, sizeof out->period, "%04d-W%02d", y, w);
	out->weekly = true;
	out->from = clock_make(y1, m1, d1, 0, 0);
	out->to = clock_make(y2, m2, d2, 0, 0);
	return report_span(s, out, err);
}

ks_status report_monthly(session *s, const char *month, report *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	int y, mo;
	if (!parse_month(month, &y, &mo))
		return ks_errf(err, KS_INVALID, "月份应为 YYYY-MM，例如 2026-11");
	snprintf(out->month, sizeof out->month, "%04d-%02d", y, mo);
	snprintf(out->period, sizeof out->period, "%04d-%02d", y, mo);
	out->from = clock_make(y, mo, 1, 0, 0);
	out->to = mo == 12 ? clock_make(y + 1, 1, 1, 0, 0) : clock_make(y, mo + 1, 1, 0, 0);
	return report_span(s, out, err);
}

/* The figures of [out->from, out->to) (set by the caller). */
static ks_status report_span(session *s, report *out, ks_err *err)
{
	const conf *cf = s->cf;
	conf_sight sight = s->me ? conf_staff_sight(cf, s->me) : SIGHT_ALL;
	if (sight == SIGHT_INVOLVED)
		return ks_errf(err, KS_DENIED, "统计报表只提供给可查看全部案件或本部门案件的角色");
	time_t now = clock_now();
	out->cutoff = now < out->to ? now : out->to;
	if (out->cutoff < out->from)
		out->cutoff = out->from;
	if (sight == SIGHT_DEPT)
		out->dept = ks_strdup(s->me->dept);

	json_t *finals = json_array(), *active = json_array(), *reopeners = json_array();
	for (size_t i = 0; i < cf->nstates; i++) {
		const conf_state *st = &cf->states[i];
		if (st->final)
			json_array_append_new(finals, json_string(st->code));
		else if (strcmp(st->code, cf->initial_state))
			json_array_append_new(active, json_string(st->code));
	}
	for (size_t i = 0; i < cf->nactions; i++) {
		const conf_action *a = &cf->actions[i];
		bool leaves_final = false;
		for (size_t j = 0; j < a->nfrom && !leaves_final; j++) {
			const conf_state *fs = conf_find_state(cf, a->from[j]);
			const conf_state *ts = a->to ? conf_find_state(cf, a->to) : NULL;
			leaves_final = fs && fs->final && ts && !ts->final;
		}
		if (leaves_final)
			json_array_append_new(reopeners, json_string(a->code));
	}
	store_report_q q = { .from = out->from, .to = out->to, .cutoff = out->cutoff, .dept = out->dept,
	                     .initial = cf->initial_state };
	char *fj = json_codes(finals), *aj = json_codes(active), *rj = json_codes(reopeners);
	q.finals = fj;
	q.active = aj;
	q.reopeners = rj;

	ks_status rc = store_report_month_load(s->st, &q, &q.month, err);
	if (!rc)
		rc = store_report_counts_get(s->st, &q, &out->k, err);
	/* breakdowns: department, then every choice field of the intake form */
	const conf_form *intake = cf->intake_form ? conf_find_form(cf, cf->intake_form) : NULL;
	size_t nchoice = 0;
	for (size_t i = 0; intake && i < intake->nfields; i++)
		nchoice += intake->fields[i].type == FT_CHOICE;
	out->bd = ks_calloc(1 + nchoice, sizeof *out->bd);
	/* every breakdown in one pass over the month's cases */
	const conf_field **fds = ks_calloc(1 + nchoice, sizeof *fds);
	char **paths = ks_calloc(1 + nchoice, sizeof *paths);
	size_t np = 0;
	for (size_t i = 0; intake && i < intake->nfields; i++)
		if (intake->fields[i].type == FT_CHOICE) {
			fds[np] = &intake->fields[i];
			paths[np++] = ks_strdup(intake->fields[i].key);
		}
	store_report_row **rows = NULL;
	size_t *nrows = NULL;
	if (!rc)
		rc = store_report_breakdowns(s->st, &q, (const char *const *)paths, np, &rows, &nrows, err);
	for (size_t i = 0; !rc && i <= np; i++) {
		const conf_field *fd = i ? fds[i - 1] : NULL;
		report_breakdown *b = &out->bd[out->nbd++];
		b->key = ks_strdup(fd ? fd->key : "dept");
		b->label = ks_strdup(fd ? fd->label : "部门");
		take_items(s, fd, rows[i], nrows[i], b);
	}
	if (rows)
		store_report_breakdowns_free(rows, nrows, np);
	for (size_t i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	free(fds);
	if (!rc) {
		store_report_row *rows = NULL;
		size_t n = 0;
		if (!(rc = store_report_clocks(s->st, &q, &rows, &n, err))) {
			out->clocks = ks_calloc(n ? n : 1, sizeof *out->clocks);
			out->nclocks = n;
			for (size_t i = 0; i < n; i++) {
				report_clock *k = &out->clocks[i];
				const conf_clock *cc = rows[i].value ? conf_find_clock(cf, rows[i].value) : NULL;
				k->clock = ks_strdup(rows[i].value ? rows[i].value : "");
				k->label = ks_strdup(cc && cc->label ? cc->label : k->clock);
				k->met = rows[i].met;
				k->breached = rows[i].breached;
				k->rate = k->met + k->breached ? (double)k->met / (double)(k->met + k->breached) : 0;
			}
			store_report_rows_free(rows, n);
		}
	}
	if (!rc) {
		long long *d = NULL;
		size_t n = 0;
		if (!(rc = store_report_durations(s->st, &q, &d, &n, err))) {
			long double sum = 0;
			for (size_t i = 0; i < n; i++)
				sum += d[i];
			out->nhandled = (long long)n;
			out->k.closed = (long long)n;   /* closed in the month: one handling time each */
			out->avg_days = n ? (double)(sum / n / 86400.0L) : 0;
			out->p90_days = (double)report_p90(d, n) / 86400.0;
			free(d);
		}
	}
	store_report_month_free(q.month);
	free(fj);
	free(aj);
	free(rj);
	if (rc)
		report_free(out);
	return rc;
}

char *report_csv_field(const char *s)
{
	if (!s)
		s = "";
	/* formula injection: a spreadsheet runs a cell that starts with one of
	 * these; a leading apostrophe makes it text */
	if (s[0] && strchr("=+-@\t\r", s[0])) {
		char *g = ks_asprintf("'%s", s);
		char *q = report_csv_field(g);
		free(g);
		return q;
	}
	size_t len = strlen(s);
	bool quote = len && (s[0] == ' ' || s[len - 1] == ' ');
	size_t quotes = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			quotes++;
		if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n')
			quote = true;
	}
	if (!quote)
		return ks_strdup(s);
	char *out = ks_malloc(len + quotes + 3);
	char *o = out;
	*o++ = '"';
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			*o++ = '"';
		*o++ = *p;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}
