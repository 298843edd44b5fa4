/* report.c — the SQL of the monthly report: counts, breakdowns, clocks and
 * handling times, aggregated by SQLite so that a month is counted without
 * loading a million cases.
 *
 * Cost on a large database: every statement reads the month (or the open
 * cases), never the whole history — the registered-in-month figures use the
 * index on cases(created_at) and the case's events by (case_id, seq);
 * closures, handling times and reopenings the indexes of schema 010 on
 * events by (to_state, at) and (action, at); "open at month end" the open
 * cases by state plus the cases changed since the cut-off; clocks the index
 * on deadlines(stopped_at) and the running ones by (status, due_at). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <jansson.h>
#include "kesu/store.h"
#include "private.h"

static void bind_q(sqlite3_stmt *st, const store_report_q *q)
{
	store_bind_int(st, ":from", q->from);
	store_bind_int(st, ":to", q->to);
	store_bind_int(st, ":cut", q->cutoff);
	store_bind_text(st, ":dept", q->dept);
	store_bind_text(st, ":initial", q->initial);
	store_bind_text(st, ":finals", q->finals ? q->finals : "[]");
	store_bind_text(st, ":active", q->active ? q->active : "[]");
	store_bind_text(st, ":reopeners", q->reopeners ? q->reopeners : "[]");
}

static ks_status one_row(store *s, const char *sql, const store_report_q *q, long long *v, int nv, ks_err *err,
                         const char *what)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return KS_FAIL;
	bind_q(st, q);
	if (sqlite3_step(st) != SQLITE_ROW) {
		ks_status rc = store_db_err(s, err, what);
		sqlite3_reset(st);
		return rc;
	}
	for (int i = 0; i < nv; i++)
		v[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return KS_OK;
}

/* The cases registered in [from, to) — all departments — by id, with their
 * registration time and whether they are in the report's department. From
 * the index cases(created_at, dept) alone. */
typedef struct mcase {
	long long id, created;
	int mine;
} mcase;

static int cmp_mcase(const void *a, const void *b)
{
	const mcase *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static ks_status month_cases(store *s, const store_report_q *q, mcase **out, size_t *n, ks_err *err)
{
	static const char sql[] =
		"SELECT c.id, c.created_at, :dept IS NULL OR c.dept = :dept FROM cases c "
		"WHERE c.created_at >= :from AND c.created_at < :to";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return KS_FAIL;
	bind_q(st, q);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 256) * sizeof **out);
		(*out)[(*n)++] = (mcase){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		                          sqlite3_column_int(st, 2) };
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "统计本月登记的案件");
	}
	bool sorted = true;   /* usually: ids are given in registration order */
	for (size_t i = 1; sorted && i < *n; i++)
		sorted = (*out)[i - 1].id < (*out)[i].id;
	if (!sorted)
		qsort(*out, *n, sizeof **out, cmp_mcase);
	return KS_OK;
}

struct store_report_month {
	mcase *m;
	size_t n;
};

ks_status store_report_month_load(store *s, const store_report_q *q, store_report_month **out, ks_err *err)
{
	*out = ks_calloc(1, sizeof **out);
	ks_status rc = month_cases(s, q, &(*out)->m, &(*out)->n, err);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

void store_report_month_free(store_report_month *m)
{
	if (m) {
		free(m->m);
		free(m);
	}
}

/* q->month, or the month's cases read now (*owned: free them) */
static ks_status get_month(store *s, const store_report_q *q, mcase **m, size_t *n, bool *owned, ks_err *err)
{
	if (q->month) {
		*m = q->month->m;
		*n = q->month->n;
		*owned = false;
		return KS_OK;
	}
	*owned = true;
	return month_cases(s, q, m, n, err);
}

static mcase *find_mcase(mcase *v, size_t n, long long id);

/* Is case id in the report's department? From the month's cases when it is
 * one of them, else by one look-up. *mine: 1 or 0. */
static ks_status case_mine(store *s, const store_report_q *q, mcase *m, size_t n, long long id, int *mine,
                           ks_err *err)
{
	static const char sql[] = "SELECT 1 FROM cases c WHERE c.id = :id AND c.dept = :dept";
	if (!q->dept) {
		*mine = 1;
		return KS_OK;
	}
	mcase *c = find_mcase(m, n, id);
	if (c) {
		*mine = c->mine;
		return KS_OK;
	}
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return KS_FAIL;
	bind_q(st, q);
	store_bind_int(st, ":id", id);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_err(s, err, "统计时限");
	*mine = r == SQLITE_ROW;
	return KS_OK;
}

static mcase *find_mcase(mcase *v, size_t n, long long id)
{
	mcase key = { .id = id };
	return n ? bsearch(&key, v, n, sizeof *v, cmp_mcase) : NULL;
}

/* The strings of a JSON array of codes, NULL-terminated (free the array). */
static const char **codes(const json_t *a)
{
	size_t n = json_array_size(a);
	const char **v = ks_calloc(n + 1, sizeof *v);
	for (size_t i = 0, k = 0; i < n; i++)
		if (json_string_value(json_array_get(a, i)))
			v[k++] = json_string_value(json_array_get(a, i));
	return v;
}

/* Is s one of v? */
static bool in_set(const char *const *v, const char *s)
{
	if (!s)
		return false;
	for (; *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

/* Accepted and rejected among the month's cases (in the department): when
 * their ids are close together (cases are numbered as they are registered,
 * so a month is one run of ids unless cases were imported later), one
 * range scan of the index events_case_states over those ids, merged with the
 * month's cases in C; otherwise one look-up of each case's events. */
static ks_status month_outcomes(store *s, const store_report_q *q, mcase *m, size_t n, long long *accepted,
                                long long *rejected, ks_err *err)
{
	/* the states compared in C: SQLite's max(x IN (…)) per row costs ten
	 * times the scan */
	static const char q_range[] =
		"SELECT e.case_id, e.to_state, e.from_state FROM events e "
		"WHERE e.case_id >= :lo AND e.case_id <= :hi AND +e.at < :cut";
	static const char q_each[] =
		"SELECT EXISTS (SELECT 1 FROM events e WHERE e.case_id = :id AND +e.at < :cut "
		"   AND +e.to_state IN (SELECT value FROM json_each(:active))), "
		" EXISTS (SELECT 1 FROM events e WHERE e.case_id = :id AND +e.at < :cut "
		"   AND e.from_state = :initial AND +e.to_state IN (SELECT value FROM json_each(:finals)))";
	*accepted = *rejected = 0;
	size_t mine = 0;
	for (size_t i = 0; i < n; i++)
		mine += m[i].mine != 0;
	if (!mine)
		return KS_OK;
	long long lo = m[0].id, hi = m[n - 1].id;
	bool range = (unsigned long long)(hi - lo) < 4ULL * n;
	sqlite3_stmt *st = store_stmt(s, range ? q_range : q_each, err);
	if (!st)
		return KS_FAIL;
	bind_q(st, q);
	int r = SQLITE_DONE;
	if (range) {
		store_bind_int(st, ":lo", lo);
		store_bind_int(st, ":hi", hi);
		json_t *aj = json_loads(q->active ? q->active : "[]", 0, NULL);
		json_t *fj = json_loads(q->finals ? q->finals : "[]", 0, NULL);
		const char **active = codes(aj), **finals = codes(fj);
		size_t j = 0;
		long long cur = -1;
		bool acc = false, rej = false;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			long long id = sqlite3_column_int64(st, 0);
			if (id != cur) {   /* the index gives each case's events together */
				*accepted += acc;
				*rejected += rej;
				acc = rej = false;
				cur = id;
				while (j < n && m[j].id < id)
					j++;
			}
			if (j >= n || m[j].id != id || !m[j].mine || (acc && rej))
				continue;
			const char *to = (const char *)sqlite3_column_text(st, 1);
			const char *from = (const char *)sqlite3_column_text(st, 2);
			if (!acc && in_set(active, to))
				acc = true;
			if (!rej && from && q->initial && !strcmp(from, q->initial) && in_set(finals, to))
				rej = true;
		}
		*accepted += acc;
		*rejected += rej;
		free(active);
		free(finals);
		json_decref(aj);
		json_decref(fj);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (!m[i].mine)
				continue;
			store_bind_int(st, ":id", m[i].id);
			if ((r = sqlite3_step(st)) != SQLITE_ROW)
				break;
			*accepted += sqlite3_column_int(st, 0) != 0;
			*rejected += sqlite3_column_int(st, 1) != 0;
			sqlite3_reset(st);
			r = SQLITE_DONE;
		}
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return store_db_err(s, err, "统计本月登记的案件");
	return KS_OK;
}

ks_status store_report_counts_get(store *s, const store_report_q *q, store_report_counts *out, ks_err *err)
{
	/* The department filter is an EXISTS on the case rather than a join, so
	 * that without a department (the whole company) no case row is read for
	 * an event or clock: `:dept IS NULL` decides before the EXISTS runs.
	 * (events.case_id and deadlines.case_id are foreign keys: every row has
	 * its case, so the join never dropped a row.) A `+` before a column keeps
	 * SQLite from using an index of schema 010 where the case's own events,
	 * found by (case_id, seq), are fewer. */

	/* registered in the month; accepted: reached a state neither initial nor
	 * final before the cut-off; rejected: went from the initial state straight
	 * to a final one — month_cases and month_outcomes */
	/* closed in the month: not counted here — it is the number of handling
	 * times store_report_durations gives (the same events, one row a case) */
	/* open at the cut-off: registered before it, and the state after the last
	 * event before it is not final; a case final since before the cut-off
	 * does not count without looking at its events. In two parts, each
	 * found by an index rather than by reading every case ever registered:
	 *  - not changed since the cut-off (updated_at < cut): its state now is
	 *    not final — the cases of each state not final, from the queue's two
	 *    partial indexes that lead with the state, which between them hold
	 *    every case: cases_idle_state (no running clock) and
	 *    cases_clock_queue (a running clock); the distinct states stored are
	 *    found by skipping through each, so a state no longer configured
	 *    still counts. (schema/017 dropped cases_state_dept, a page on
	 *    every action, which served only this among kesu's statements);
	 *  - changed since (updated_at >= cut; index cases_updated): the state
	 *    after its last event before the cut-off. */
	static const char q_open[] =
		"WITH RECURSIVE si(s) AS (SELECT (SELECT min(state) FROM cases WHERE next_due IS NULL) "
		"  UNION ALL SELECT (SELECT min(state) FROM cases WHERE next_due IS NULL AND state > si.s) "
		"  FROM si WHERE si.s IS NOT NULL), "
		" sc(s) AS (SELECT (SELECT min(state) FROM cases WHERE next_due IS NOT NULL) "
		"  UNION ALL SELECT (SELECT min(state) FROM cases WHERE next_due IS NOT NULL AND state > sc.s) "
		"  FROM sc WHERE sc.s IS NOT NULL) "
		"SELECT (SELECT count(*) FROM cases c WHERE c.next_due IS NULL AND c.state IN (SELECT s FROM si "
		"      WHERE s IS NOT NULL AND s NOT IN (SELECT value FROM json_each(:finals))) "
		"    AND +c.created_at < :cut AND +c.updated_at < :cut AND (:dept IS NULL OR c.dept = :dept) "
		"    AND (SELECT e.to_state FROM events e WHERE e.case_id = c.id AND +e.at < :cut "
		"         ORDER BY e.seq DESC LIMIT 1) NOT IN (SELECT value FROM json_each(:finals))) "
		" + (SELECT count(*) FROM cases c WHERE c.next_due IS NOT NULL AND c.state IN (SELECT s FROM sc "
		"      WHERE s IS NOT NULL AND s NOT IN (SELECT value FROM json_each(:finals))) "
		"    AND +c.created_at < :cut AND +c.updated_at < :cut AND (:dept IS NULL OR c.dept = :dept) "
		"    AND (SELECT e.to_state FROM events e WHERE e.case_id = c.id AND +e.at < :cut "
		"         ORDER BY e.seq DESC LIMIT 1) NOT IN (SELECT value FROM json_each(:finals))) "
		" + (SELECT count(*) FROM cases c WHERE c.updated_at >= :cut AND +c.created_at < :cut "
		"    AND (:dept IS NULL OR c.dept = :dept) "
		"    AND (SELECT e.to_state FROM events e WHERE e.case_id = c.id AND +e.at < :cut "
		"         ORDER BY e.seq DESC LIMIT 1) NOT IN (SELECT value FROM json_each(:finals)))";
	/* reopened in the month (index events_action) */
	static const char q_reopened[] =
		"SELECT count(DISTINCT e.case_id) FROM events e "
		"WHERE e.action IN (SELECT value FROM json_each(:reopeners)) AND e.at >= :from AND e.at < :cut "
		"AND (:dept IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id AND c.dept = :dept))";
	/* clocks running at the cut-off and due before it: those running now
	 * (index deadlines_due) plus those stopped since the cut-off (index
	 * deadlines_stopped) — the two conditions of the old single statement,
	 * the second without the rows of the first */
	static const char q_overdue[] =
		"SELECT (SELECT count(*) FROM deadlines d WHERE d.status = 'running' AND d.due_at < :cut "
		"    AND coalesce(d.stopped_at, 0) = 0 AND d.started_at < :cut "
		"    AND (:dept IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = d.case_id AND c.dept = :dept))) "
		" + (SELECT count(*) FROM deadlines d WHERE d.stopped_at >= :cut AND +d.started_at < :cut "
		"    AND +d.due_at < :cut AND NOT (coalesce(d.stopped_at, 0) = 0 AND +d.status = 'running') "
		"    AND (:dept IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = d.case_id AND c.dept = :dept)))";
	memset(out, 0, sizeof *out);
	mcase *m = NULL;
	size_t nm = 0;
	bool owned;
	ks_status rc = get_month(s, q, &m, &nm, &owned, err);
	for (size_t i = 0; !rc && i < nm; i++)
		out->received += m[i].mine != 0;
	if (!rc)
		rc = month_outcomes(s, q, m, nm, &out->accepted, &out->rejected, err);
	if (owned)
		free(m);
	if (rc)
		return rc;
	if ((rc = one_row(s, q_open, q, &out->open_end, 1, err, "统计月末未结")))
		return rc;
	if ((rc = one_row(s, q_reopened, q, &out->reopened, 1, err, "统计重新处理")))
		return rc;
	return one_row(s, q_overdue, q, &out->overdue_end, 1, err, "统计月末逾期");
}

void store_report_rows_free(store_report_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].value);
		free(v[i].label);
	}
	free(v);
}

static ks_status collect(store *s, sqlite3_stmt *st, bool clocks, store_report_row **out, size_t *n, ks_err *err,
                         const char *what)
{
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_report_row *row = &(*out)[(*n)++];
		memset(row, 0, sizeof *row);
		row->value = store_col_text(st, 0);
		row->n = sqlite3_column_int64(st, 1);
		if (clocks) {
			row->met = sqlite3_column_int64(st, 2);
			row->breached = sqlite3_column_int64(st, 3);
		}
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		store_report_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, what);
	}
	return KS_OK;
}

ks_status store_report_breakdown(store *s, const store_report_q *q, const char *path, store_report_row **out,
                                 size_t *n, ks_err *err)
{
	static const char q_dept[] =
		"SELECT c.dept, count(*) FROM cases c WHERE c.created_at >= :from AND c.created_at < :to "
		"AND (:dept IS NULL OR c.dept = :dept) GROUP BY 1 ORDER BY 2 DESC, 1";
	/* a value that is not text (a number, an object) is grouped as text */
	static const char q_field[] =
		"SELECT CAST(json_extract(c.fields, :path) AS TEXT), count(*) FROM cases c "
		"WHERE c.created_at >= :from AND c.created_at < :to "
		"AND (:dept IS NULL OR c.dept = :dept) GROUP BY 1 ORDER BY 2 DESC, 1";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, path ? q_field : q_dept, err);
	if (!st)
		return KS_FAIL;
	bind_q(st, q);
	if (path)
		store_bind_text(st, ":path", path);
	return collect(s, st, false, out, n, err, "分类统计");
}

static int cmp_row(const void *a, const void *b)
{
	const store_report_row *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (!x->value || !y->value)
		return !y->value - !x->value;   /* NULL first, as SQLite orders it */
	return strcmp(x->value, y->value);  /* BINARY: byte order */
}

/* Without case_values (a key not in report_keys: the configuration of
 * another process than the one that last synchronised them). */
static ks_status breakdowns_json(store *s, const store_report_q *q, const char *const *paths, size_t npaths,
                                 store_report_row ***out, size_t **nout, ks_err *err)
{
	/* One pass over the month's cases: each case's department and the
	 * values at every path, parsed once (json_extract with two or more
	 * paths gives a JSON array of the values, a missing one as null), grouped
	 * into the few distinct combinations; then each path's values counted
	 * from those. Element i of the array read back with json_extract is the
	 * value json_extract(c.fields, path i) gives, so the groups are those of
	 * store_report_breakdown. A single path is given twice (one path would
	 * give the value, not an array). The number of paths varies with the
	 * form, so the statement is prepared for each call. */
	*out = ks_calloc(1 + npaths, sizeof **out);
	*nout = ks_calloc(1 + npaths, sizeof **nout);
	size_t cap = 256, len = 0;
	char *ex = ks_malloc(cap);
	if (npaths == 0) {
		len = (size_t)snprintf(ex, cap, "NULL");
	} else {
		len = (size_t)snprintf(ex, cap, "json_extract(c.fields");
		for (size_t i = 0; i < (npaths < 2 ? 2 : npaths); i++) {
			if (len + 32 > cap)
				ex = ks_realloc(ex, cap *= 2);
			len += (size_t)snprintf(ex + len, cap - len, ", ?%zu", (npaths < 2 ? 0 : i) + 1);
		}
		if (len + 2 > cap)
			ex = ks_realloc(ex, cap += 2);
		len += (size_t)snprintf(ex + len, cap - len, ")");
	}
	char *sql = ks_asprintf(
		"WITH m(dept, vals, n) AS MATERIALIZED (SELECT c.dept, %s, count(*) FROM cases c "
		"  WHERE c.created_at >= :from AND c.created_at < :to AND (:dept IS NULL OR c.dept = :dept) GROUP BY 1, 2), "
		"k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < :npaths) "
		"SELECT -1, m.dept, sum(m.n) FROM m GROUP BY 2 "
		"UNION ALL "
		"SELECT k.i, CAST(json_extract(m.vals, '$[' || k.i || ']') AS TEXT), sum(m.n) FROM m, k "
		"WHERE :npaths > 0 GROUP BY 1, 2",
		ex);
	free(ex);
	sqlite3_stmt *st = NULL;
	ks_status rc = KS_OK;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = store_db_err(s, err, "分类统计");
		goto out;
	}
	bind_q(st, q);
	store_bind_int(st, ":npaths", (long long)npaths);
	for (size_t i = 0; i < npaths; i++)
		sqlite3_bind_text(st, (int)i + 1, paths[i], -1, SQLITE_TRANSIENT);
	size_t *caps = ks_calloc(1 + npaths, sizeof *caps);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		long long i = sqlite3_column_int64(st, 0) + 1;
		if (i < 0 || (size_t)i > npaths)
			continue;
		if ((*nout)[i] == caps[i]) {
			caps[i] = caps[i] ? caps[i] * 2 : 8;
			(*out)[i] = ks_realloc((*out)[i], caps[i] * sizeof *(*out)[i]);
		}
		store_report_row *row = &(*out)[i][(*nout)[i]++];
		memset(row, 0, sizeof *row);
		row->value = store_col_text(st, 1);
		row->n = sqlite3_column_int64(st, 2);
	}
	free(caps);
	if (r != SQLITE_DONE) {
		rc = store_db_err(s, err, "分类统计");
		goto out;
	}
	for (size_t i = 0; i <= npaths; i++)
		if ((*nout)[i])
			qsort((*out)[i], (*nout)[i], sizeof *(*out)[i], cmp_row);
out:
	sqlite3_finalize(st);
	free(sql);
	if (rc) {
		store_report_breakdowns_free(*out, *nout, npaths);
		*out = NULL;
		*nout = NULL;
	}
	return rc;
}

/* Count the rows of st (column 0: a text or NULL) by value, in C: a hash
 * table over the few distinct values, instead of SQLite sorting every row
 * for GROUP BY. Equal means equal bytes, as GROUP BY compares text. */
static ks_status count_by_value(store *s, sqlite3_stmt *st, store_report_row **out, size_t *n, ks_err *err)
{
	size_t cap = 0, hcap = 64;
	size_t *h = ks_calloc(hcap, sizeof *h);   /* 1 + index into *out; 0: empty */
	long long nulls = 0;
	bool anynull = false;
	int r;
	*out = NULL;
	*n = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		if (!t) {
			anynull = true;
			nulls++;
			continue;
		}
		size_t len = strlen((const char *)t);
		unsigned long long x = 1469598103934665603ULL;
		for (size_t i = 0; i < len; i++)
			x = (x ^ t[i]) * 1099511628211ULL;
		size_t i = (size_t)x & (hcap - 1);
		while (h[i] && strcmp((*out)[h[i] - 1].value, (const char *)t))
			i = (i + 1) & (hcap - 1);
		if (h[i]) {
			(*out)[h[i] - 1].n++;
			continue;
		}
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
		store_report_row *row = &(*out)[(*n)++];
		memset(row, 0, sizeof *row);
		row->value = ks_strdup((const char *)t);
		row->n = 1;
		h[i] = *n;
		if (*n * 2 > hcap) {   /* grow: rehash every value */
			free(h);
			hcap *= 2;
			h = ks_calloc(hcap, sizeof *h);
			for (size_t k = 0; k < *n; k++) {
				const unsigned char *v = (const unsigned char *)(*out)[k].value;
				unsigned long long y = 1469598103934665603ULL;
				for (; *v; v++)
					y = (y ^ *v) * 1099511628211ULL;
				size_t j = (size_t)y & (hcap - 1);
				while (h[j])
					j = (j + 1) & (hcap - 1);
				h[j] = k + 1;
			}
		}
	}
	free(h);
	sqlite3_reset(st);
	if (r == SQLITE_DONE && anynull) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap + 1) * sizeof **out);
		store_report_row *row = &(*out)[(*n)++];
		memset(row, 0, sizeof *row);
		row->n = nulls;
	}
	if (r != SQLITE_DONE) {
		store_report_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "分类统计");
	}
	return KS_OK;
}

static ks_status stored_keys(store *s, char ***out, size_t *n, ks_err *err);
static void free_keys(char **v, size_t n);
static bool has_key(char *const *v, size_t n, const char *k);

ks_status store_report_breakdowns(store *s, const store_report_q *q, const char *const *keys, size_t nkeys,
                                  store_report_row ***out, size_t **nout, ks_err *err)
{
	/* From case_values (schema 016): for each key, the month's rows are a
	 * range of its primary key (key, created_at, case_id), counted by value
	 * (count_by_value) without reading a case; the departments from the
	 * index cases(created_at, dept).
	 * Each list is then ordered as store_report_breakdown orders it. */
	static const char q_dept[] =
		"SELECT c.dept FROM cases c WHERE c.created_at >= :from AND c.created_at < :to "
		"AND (:dept IS NULL OR c.dept = :dept)";
	static const char q_vals[] =
		"SELECT v.value FROM case_values v WHERE v.key = :k AND v.created_at >= :from "
		"AND v.created_at < :to AND (:dept IS NULL OR v.dept = :dept)";
	*out = NULL;
	*nout = NULL;
	char **have = NULL;
	size_t nh = 0;
	ks_status rc = stored_keys(s, &have, &nh, err);
	if (rc)
		return rc;
	bool indexed = true;
	for (size_t i = 0; indexed && i < nkeys; i++)
		indexed = has_key(have, nh, keys[i]);
	free_keys(have, nh);
	if (!indexed) {
		char **paths = ks_calloc(nkeys ? nkeys : 1, sizeof *paths);
		for (size_t i = 0; i < nkeys; i++)
			paths[i] = ks_asprintf("$.\"%s\"", keys[i]);
		rc = breakdowns_json(s, q, (const char *const *)paths, nkeys, out, nout, err);
		free_keys(paths, nkeys);
		return rc;
	}
	*out = ks_calloc(1 + nkeys, sizeof **out);
	*nout = ks_calloc(1 + nkeys, sizeof **nout);
	for (size_t i = 0; !rc && i <= nkeys; i++) {
		sqlite3_stmt *st = store_stmt(s, i ? q_vals : q_dept, err);
		if (!st) {
			rc = KS_FAIL;
			break;
		}
		bind_q(st, q);
		if (i)
			store_bind_text(st, ":k", keys[i - 1]);
		if ((rc = count_by_value(s, st, &(*out)[i], &(*nout)[i], err)))
			break;
		if ((*nout)[i])
			qsort((*out)[i], (*nout)[i], sizeof *(*out)[i], cmp_row);
	}
	if (rc) {
		store_report_breakdowns_free(*out, *nout, nkeys);
		*out = NULL;
		*nout = NULL;
	}
	return rc;
}

void store_report_breakdowns_free(store_report_row **v, size_t *n, size_t npaths)
{
	if (!v)
		return;
	for (size_t i = 0; i <= npaths; i++)
		store_report_rows_free(v[i], n[i]);
	free(v);
	free(n);
}

static int cmp_clock(const void *a, const void *b)
{
	const store_report_row *x = a, *y = b;
	return strcmp(x->value, y->value);   /* ORDER BY clock (NOT NULL), BINARY */
}

ks_status store_report_clocks(store *s, const store_report_q *q, store_report_row **out, size_t *n, ks_err *err)
{
	/* The month's stopped clocks from the index deadlines_stopped (stopped_at,
	 * status, clock, case_id) alone (the `+` keeps SQLite from reading every
	 * met or breached clock ever by deadlines_due instead), counted by clock
	 * in C (a handful of clocks); the department from the month's cases or
	 * one look-up. */
	static const char sql[] =
		"SELECT d.clock, d.status = 'met', d.case_id FROM deadlines d "
		"WHERE d.stopped_at >= :from AND d.stopped_at < :cut AND +d.status IN ('met', 'breached')";
	*out = NULL;
	*n = 0;
	mcase *m = NULL;
	size_t nm = 0;
	bool owned = false;
	ks_status rc = q->dept ? get_month(s, q, &m, &nm, &owned, err) : KS_OK;
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st) {
		rc = KS_FAIL;
		goto out;
	}
	bind_q(st, q);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int mine = 1;
		if (q->dept) {
			long long id = sqlite3_column_int64(st, 2);
			/* case_mine may step another statement: keep this one's row */
			if ((rc = case_mine(s, q, m, nm, id, &mine, err)))
				break;
		}
		if (!mine)
			continue;
		const char *clock = (const char *)sqlite3_column_text(st, 0);
		if (!clock)
			clock = "";
		size_t k = 0;
		while (k < *n && strcmp((*out)[k].value, clock))
			k++;
		if (k == *n) {
			if (*n == cap)
				*out = ks_realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
			memset(&(*out)[k], 0, sizeof **out);
			(*out)[k].value = ks_strdup(clock);
			(*n)++;
		}
		(*out)[k].n++;
		if (sqlite3_column_int(st, 1))
			(*out)[k].met++;
		else
			(*out)[k].breached++;
	}
	sqlite3_reset(st);
	if (!rc && r != SQLITE_DONE)
		rc = store_db_err(s, err, "统计时限");
	if (!rc && *n)
		qsort(*out, *n, sizeof **out, cmp_clock);
out:
	if (owned)
		free(m);
	if (rc) {
		store_report_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int cmp_pair(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;   /* by the first (case id) */
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

ks_status store_report_durations(store *s, const store_report_q *q, long long **out, size_t *n, ks_err *err)
{
	/* The month's closures from the index events_to_state alone, the last
	 * of each case kept in C (SQLite's GROUP BY case_id sorted them all);
	 * the registration time of a case registered in the month from
	 * month_cases (the index cases(created_at, dept)), of an older one by
	 * one look-up — rather than a look-up of every closed case's row. */
	static const char q_closed[] =
		"SELECT e.case_id, e.at FROM events e "
		"WHERE e.to_state IN (SELECT value FROM json_each(:finals)) AND e.at >= :from AND e.at < :cut "
		"AND e.from_state IS NOT NULL AND e.from_state != :initial "
		"AND e.from_state NOT IN (SELECT value FROM json_each(:finals))";
	static const char q_case[] =
		"SELECT c.created_at FROM cases c WHERE c.id = :id AND (:dept IS NULL OR c.dept = :dept)";
	*out = NULL;
	*n = 0;
	mcase *m = NULL;
	size_t nm = 0;
	bool owned;
	ks_status rc = get_month(s, q, &m, &nm, &owned, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, q_closed, err);
	if (!st) {
		if (owned)
			free(m);
		return KS_FAIL;
	}
	bind_q(st, q);
	size_t cap = 0, nolder = 0, capolder = 0;
	long long (*older)[2] = NULL;  /* case id, closure time: not registered in the month */
	long long *last = ks_calloc(nm ? nm : 1, sizeof *last);   /* of m[i]; 0: none */
	bool *closed = ks_calloc(nm ? nm : 1, sizeof *closed);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0), at = sqlite3_column_int64(st, 1);
		mcase *c = find_mcase(m, nm, id);
		if (!c) {
			if (nolder == capolder)
				older = ks_realloc(older, (capolder = capolder ? capolder * 2 : 64) * sizeof *older);
			older[nolder][0] = id;
			older[nolder++][1] = at;
			continue;
		}
		size_t i = (size_t)(c - m);
		if (!closed[i] || at > last[i])
			last[i] = at;
		closed[i] = true;
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < nm; i++) {
		if (!closed[i] || !m[i].mine)
			continue;
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 64) * sizeof **out);
		(*out)[(*n)++] = last[i] - m[i].created;
	}
	free(last);
	free(closed);
	if (owned)
		free(m);
	/* the older cases: one closure time each, the last */
	if (nolder)
		qsort(older, nolder, sizeof *older, cmp_pair);
	size_t u = 0;
	for (size_t i = 0; i < nolder; i++) {
		if (u && older[u - 1][0] == older[i][0]) {
			if (older[i][1] > older[u - 1][1])
				older[u - 1][1] = older[i][1];
			continue;
		}
		older[u][0] = older[i][0];
		older[u++][1] = older[i][1];
	}
	nolder = u;
	for (size_t i = 0; r == SQLITE_DONE && i < nolder; i++) {
		if (!(st = store_stmt(s, q_case, err))) {
			free(older);
			free(*out);
			*out = NULL;
			*n = 0;
			return KS_FAIL;
		}
		bind_q(st, q);
		store_bind_int(st, ":id", older[i][0]);
		r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			if (*n == cap)
				*out = ks_realloc(*out, (cap = cap ? cap * 2 : 64) * sizeof **out);
			(*out)[(*n)++] = older[i][1] - sqlite3_column_int64(st, 0);
			r = SQLITE_DONE;
		}
		sqlite3_reset(st);
	}
	free(older);
	if (r != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "统计处理天数");
	}
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_ll);
	return KS_OK;
}

/* ---- report_keys and case_values (schema 016) ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys in report_keys, in byte order (caller frees with free_keys). */
static ks_status stored_keys(store *s, char ***out, size_t *n, ks_err *err)
{
	static const char q[] = "SELECT key FROM report_keys ORDER BY key";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
		(*out)[(*n)++] = store_col_text(st, 0);
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取报表字段");
	}
	return KS_OK;
}

static void free_keys(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool has_key(char *const *v, size_t n, const char *k)
{
	return k && n && bsearch(&k, v, n, sizeof *v, cmp_str) != NULL;
}

ks_status store_report_keys_sync(store *s, const char *const *keys, size_t nkeys, ks_err *err)
{
	static const char q_add_key[] = "INSERT INTO report_keys(key) VALUES (:k)";
	/* every case, in one pass over the table (CROSS JOIN keeps cases outer),
	 * the value as the report read it before schema 016 */
	static const char q_fill[] =
		"INSERT INTO case_values(key, created_at, case_id, dept, value) "
		"SELECT k.key, c.created_at, c.id, c.dept, CAST(json_extract(c.fields, '$.\"' || k.key || '\"') AS TEXT) "
		"FROM cases c CROSS JOIN report_keys k WHERE k.key IN (SELECT value FROM json_each(:added))";
	static const char q_drop_values[] = "DELETE FROM case_values WHERE key = :k";
	static const char q_drop_key[] = "DELETE FROM report_keys WHERE key = :k";
	/* the wanted keys, sorted, without repeats */
	const char **want = ks_calloc(nkeys ? nkeys : 1, sizeof *want);
	size_t nw = 0;
	for (size_t i = 0; i < nkeys; i++)
		want[nw++] = keys[i];
	qsort(want, nw, sizeof *want, cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < nw; i++)
		if (!u || strcmp(want[u - 1], want[i]))
			want[u++] = want[i];
	nw = u;

	char **have = NULL;
	size_t nh = 0;
	ks_status rc = stored_keys(s, &have, &nh, err);
	bool same = !rc && nh == nw;
	for (size_t i = 0; same && i < nw; i++)
		same = !strcmp(have[i], want[i]);
	free_keys(have, nh);
	have = NULL;
	nh = 0;
	if (rc || same) {
		free(want);
		return rc;
	}
	if ((rc = store_begin(s, err))) {
		free(want);
		return rc;
	}
	/* again inside the transaction: another process may have done it */
	if ((rc = stored_keys(s, &have, &nh, err)))
		goto fail;
	for (size_t i = 0; i < nh; i++) {
		if (has_key((char *const *)want, nw, have[i]))
			continue;
		const char *drop[] = { q_drop_values, q_drop_key };
		for (int j = 0; j < 2; j++) {
			sqlite3_stmt *st = store_stmt(s, drop[j], err);
			if (!st) {
				rc = KS_FAIL;
				goto fail;
			}
			store_bind_text(st, ":k", have[i]);
			if ((rc = store_step(s, st, err, "更新报表字段")))
				goto fail;
		}
	}
	json_t *added = json_array();
	for (size_t i = 0; i < nw; i++) {
		if (has_key(have, nh, want[i]))
			continue;
		json_array_append_new(added, json_string(want[i]));
		/* rows left by a key removed from report_keys some other way */
		const char *add[] = { q_drop_values, q_add_key };
		for (int j = 0; j < 2; j++) {
			sqlite3_stmt *st = store_stmt(s, add[j], err);
			if (!st) {
				rc = KS_FAIL;
				json_decref(added);
				goto fail;
			}
			store_bind_text(st, ":k", want[i]);
			if ((rc = store_step(s, st, err, "更新报表字段"))) {
				json_decref(added);
				goto fail;
			}
		}
	}
	if (json_array_size(added)) {
		char *aj = json_dumps(added, JSON_COMPACT);
		sqlite3_stmt *st = store_stmt(s, q_fill, err);
		if (!st)
			rc = KS_FAIL;
		else {
			store_bind_text(st, ":added", aj);
			rc = store_step(s, st, err, "填写报表字段");
		}
		free(aj);
	}
	json_decref(added);
	if (rc)
		goto fail;
	free_keys(have, nh);
	free(want);
	return store_commit(s, err);
fail:
	store_rollback(s);
	free_keys(have, nh);
	free(want);
	return rc;
}
