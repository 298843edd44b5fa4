/* measure.c — the in-process figures of `make bench`, each with its floor.
 *
 *   measure --data DIR --as LOGIN --out OUTDIR [--runs R] [--cases K]
 *           [--only summary|queue|list|show|search|report]
 *
 * Prints, for the data set in DIR:
 *   - what is in it: rows per table, bytes per case (file and per table, from
 *     the dbstat virtual table);
 *   - the queue first page (50 rows of one state and department) as kesu
 *     builds it today (case_list, the function the TUI and `kesu list` call)
 *     and with candidate SQL ordered by due time, with and without the
 *     proposed index (created in a transaction that is rolled back, so the
 *     data set is not changed); each next to its floor, the same statements
 *     run bare on a plain connection (replay.h);
 *   - the TUI's first queue (case_list, no filter, 500 rows);
 *   - `kesu show` run in-process (cmd_show, stdout to /dev/null) for K sample
 *     cases, and the statements it ran replayed bare; the statement logs and
 *     the case list are written to OUTDIR for the whole-process figures
 *     (proc, floor_sql);
 *   - search (search_cases) if this kesu has it;
 *   - EXPLAIN QUERY PLAN of every hot statement, with the values kesu bound.
 * Every figure is the median of R runs (after one warm-up run). */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kesu/case.h"
#include "kesu/casesearch.h"
#include "kesu/cli.h"
#include "kesu/session.h"
#include "../../src/store/private.h"   /* a bare connection with the FTS tokenizer, for the search floor */
#include "replay.h"

#pragma weak search_cases
#pragma weak search_cases_ranked
#pragma weak search_hits_free

static int runs = 7;

typedef struct timing {
	double med, min, first;
} timing;

typedef void (*work_fn)(void *ctx);

/* Time fn: one warm-up (its time is `first`), then n runs (fewer when one
 * takes long: 3 above 100 ms, 1 above 1 s); ms. */
static timing time_it(work_fn fn, void *ctx, int n)
{
	double t = now_s();
	fn(ctx);
	timing r = { .first = (now_s() - t) * 1e3 };
	if (r.first > 1000)
		n = 1;
	else if (r.first > 100 && n > 3)
		n = 3;
	double *v = calloc((size_t)n, sizeof *v);
	for (int i = 0; i < n; i++) {
		t = now_s();
		fn(ctx);
		v[i] = (now_s() - t) * 1e3;
	}
	r.min = v[0];
	for (int i = 1; i < n; i++)
		if (v[i] < r.min)
			r.min = v[i];
	r.med = median(v, (size_t)n);
	free(v);
	return r;
}

static void explain(sqlite3 *db, const lstmt *s, const char *title)
{
	char *q = NULL;
	if (asprintf(&q, "EXPLAIN QUERY PLAN %s", s->sql) < 0)
		abort();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
		printf("    (cannot explain: %s)\n", sqlite3_errmsg(db));
		free(q);
		return;
	}
	free(q);
	bind_all(st, s);
	printf("\n  -- %s\n  %s\n", title, s->sql);
	if (s->np) {
		printf("  -- bound:");
		for (int k = 0; k < s->np; k++) {
			const lparam *p = &s->p[k];
			const char *name = sqlite3_bind_parameter_name(st, p->idx);
			if (p->type == 't')
				printf(" %s='%.40s'", name ? name : "?", p->s);
			else if (p->type == 'i')
				printf(" %s=%lld", name ? name : "?", p->i);
			else
				printf(" %s=NULL", name ? name : "?");
		}
		printf("\n");
	}
	int ids[64], depth[64], nd = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0), parent = sqlite3_column_int(st, 1), d = 0;
		for (int i = 0; i < nd; i++)
			if (ids[i] == parent)
				d = depth[i] + 1;
		if (nd < 64)
			ids[nd] = id, depth[nd] = d, nd++;
		printf("  %*s%s\n", 2 * d + 2, "", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
}

/* EXPLAIN each distinct SELECT of l once. */
static void explain_distinct(sqlite3 *db, const slog *l, const char *title)
{
	for (int i = 0; i < l->n; i++) {
		const char *q = l->v[i].sql;
		if (strncmp(q, "SELECT", 6) || strstr(q, "fts5("))
			continue;
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = !strcmp(l->v[j].sql, q);
		if (!dup)
			explain(db, &l->v[i], title);
	}
}

/* ---- the data set ---- */

/* Rows of table t: MAX(rowid) (tables here never lose rows, so the rowids
 * are dense) unless it is small enough to count. */
static long long rows_of(sqlite3 *db, const char *t)
{
	char q[160];
	snprintf(q, sizeof q, "SELECT COALESCE(MAX(rowid), 0) FROM \"%s\"", t);
	long long n = bench_int(db, q);
	if (n < 200000) {
		snprintf(q, sizeof q, "SELECT COUNT(*) FROM \"%s\"", t);
		n = bench_int(db, q);
	}
	return n;
}

/* Average stored bytes of a row of t (the sum of its values' lengths;
 * integers as 8), from up to 2000 rows at random rowids. */
static double row_bytes(sqlite3 *db, const char *t, long long maxid)
{
	char q[512];
	snprintf(q, sizeof q, "SELECT * FROM \"%s\" WHERE rowid >= ?1 ORDER BY rowid LIMIT 1", t);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		return 0;
	rng r = rng_for(3, 3);
	double sum = 0;
	int n = 0;
	for (int i = 0; i < 2000 && maxid > 0; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, 1 + rng_below(&r, maxid));
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			int ty = sqlite3_column_type(st, c);
			sum += ty == SQLITE_NULL ? 0 : ty == SQLITE_INTEGER || ty == SQLITE_FLOAT ? 8 : sqlite3_column_bytes(st, c);
		}
		n++;
	}
	sqlite3_finalize(st);
	return n ? sum / n : 0;
}

static void summary(sqlite3 *db, const char *dbpath, long long ncases)
{
	printf("\n== what is in the data set ==\n");
	long long pages = bench_int(db, "PRAGMA page_count"), psize = bench_int(db, "PRAGMA page_size");
	long long freel = bench_int(db, "PRAGMA freelist_count");
	struct stat sb;
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	long long walsize = stat(wal, &sb) == 0 ? (long long)sb.st_size : 0;
	double total = (double)(pages * psize);
	printf("  %lld cases; database file %.2f GiB (%lld pages of %lld bytes, %lld free), WAL %.1f MiB\n", ncases,
	       total / (1 << 30), pages, psize, freel, (double)walsize / (1 << 20));
	printf("RESULT bytes_per_case %.0f\n", ncases ? total / (double)ncases : 0);
	printf("  by table: rows, and stored bytes per case estimated from 2000 random rows (values only:\n"
	       "  b-tree pages, overflow slack and indexes are in the remainder)\n");
	static const char *const tables[] = { "cases", "events", "forms", "deadlines", "copies", "penalty_entries",
	                                      "penalty_notices", "reminders", "case_search_content", "case_search_docsize",
	                                      "case_search_data" };
	double known = 0;
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
		char q[128];
		snprintf(q, sizeof q, "SELECT COUNT(*) FROM sqlite_master WHERE name = '%s'", tables[i]);
		if (!bench_int(db, q))
			continue;
		long long n;
		double rb;
		if (!strcmp(tables[i], "case_search_data")) {
			/* the FTS5 index: rowids encode segments; read it all */
			n = bench_int(db, "SELECT COUNT(*) FROM case_search_data");
			rb = n ? (double)bench_int(db, "SELECT SUM(length(block)) FROM case_search_data") / (double)n : 0;
		} else {
			n = rows_of(db, tables[i]);
			snprintf(q, sizeof q, "SELECT COALESCE(MAX(rowid), 0) FROM \"%s\"", tables[i]);
			rb = row_bytes(db, tables[i], bench_int(db, q));
		}
		double per = ncases ? rb * (double)n / (double)ncases : 0;
		known += per;
		printf("    %-22s %11lld rows %7.2f per case %9.0f bytes per row %9.0f bytes per case\n", tables[i], n,
		       ncases ? (double)n / (double)ncases : 0, rb, per);
	}
	double per_case = ncases ? total / (double)ncases : 0;
	printf("    %-22s %67.0f bytes per case\n", "remainder", per_case - known);
}

/* ---- the queue ---- */

typedef struct qctx {
	session *s;
	store_filter f;
	bool core;                /* case_list (core, with visibility) or store_case_list */
	size_t n;
} qctx;

static void run_queue(void *p)
{
	qctx *q = p;
	store_case *v = NULL;
	size_t n = 0;
	ks_err err;
	ks_status rc = q->core ? case_list(q->s, &q->f, &v, &n, &err) : store_case_list(q->s->st, &q->f, &v, &n, &err);
	if (rc) {
		fprintf(stderr, "measure: list: %s\n", err.msg);
		exit(1);
	}
	q->n = n;
	store_cases_free(v, n);
}

typedef struct rctx {
	sqlite3 *db;
	slog *l;
	int warm;
	long rows;
} rctx;

static void run_replay(void *p)
{
	rctx *r = p;
	r->rows = replay_run(r->db, r->l, r->warm);
}

#define CASE_COLS_C "c.id, c.no, c.state, c.dept, c.assignee, c.registrant, c.customer, c.subject, c.fields, " \
                    "c.created_at, c.updated_at, c.updated_by, c.version"
#define NEXT_DUE "(SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = c.id AND d.status = 'running')"

/* Candidate queue statements: 50 cases of one state and department, the
 * earliest running due time first, cases without a running clock last. */
static const char *const cand_sql[] = {
	/* A: per-case MIN(due_at), sort the whole bucket */
	"SELECT " CASE_COLS_C ", " NEXT_DUE " AS next_due FROM cases c "
	"WHERE c.state = :state AND c.dept = :dept ORDER BY next_due IS NULL, next_due, c.id LIMIT :limit",
	/* B: sort ids only, then fetch 50 rows */
	"WITH q AS (SELECT c.id, " NEXT_DUE " AS next_due FROM cases c WHERE c.state = :state AND c.dept = :dept "
	"ORDER BY next_due IS NULL, next_due, c.id LIMIT :limit) "
	"SELECT " CASE_COLS_C ", q.next_due FROM q JOIN cases c ON c.id = q.id "
	"ORDER BY q.next_due IS NULL, q.next_due, c.id",
	/* D: walk running clocks in due order (deadlines_due) and join */
	"SELECT " CASE_COLS_C ", MIN(d.due_at) AS next_due FROM deadlines d JOIN cases c ON c.id = d.case_id "
	"WHERE d.status = 'running' AND c.state = :state AND c.dept = :dept "
	"GROUP BY c.id ORDER BY next_due, c.id LIMIT :limit",
};
static const char *const cand_name[] = { "per-case MIN(due_at), sort the queue", "the same, sorting ids only",
                                          "walk running clocks in due order (deadlines_due)" };
#define NCAND 3
/* schema/007_bench_indexes.sql */
#define PROPOSED_INDEX "CREATE INDEX deadlines_running ON deadlines(case_id, due_at) WHERE status = 'running'"

typedef struct cctx {
	sqlite3_stmt *st;
	long rows;
} cctx;

static void run_cand(void *p)
{
	cctx *c = p;
	sqlite3_reset(c->st);
	c->rows = 0;
	while (sqlite3_step(c->st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(c->st); i++)
			(void)sqlite3_column_text(c->st, i);
		c->rows++;
	}
}

static timing time_cand(sqlite3 *db, int k, const char *state, const char *dept, long *rows)
{
	sqlite3_stmt *st = bench_prepare(db, cand_sql[k]);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":state"), state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":dept"), dept, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), 50);
	cctx c = { st, 0 };
	timing t = time_it(run_cand, &c, runs);
	*rows = c.rows;
	sqlite3_finalize(st);
	return t;
}

static void explain_cand(sqlite3 *db, int k, const char *state, const char *dept, const char *title)
{
	lstmt s = { .sql = (char *)cand_sql[k] };
	sqlite3_stmt *st = bench_prepare(db, cand_sql[k]);
	lparam p[3] = {
		{ .idx = sqlite3_bind_parameter_index(st, ":state"), .type = 't', .s = (char *)state, .n = (int)strlen(state) },
		{ .idx = sqlite3_bind_parameter_index(st, ":dept"), .type = 't', .s = (char *)dept, .n = (int)strlen(dept) },
		{ .idx = sqlite3_bind_parameter_index(st, ":limit"), .type = 'i', .i = 50 },
	};
	sqlite3_finalize(st);
	s.p = p;
	s.np = 3;
	explain(db, &s, title);
}

typedef struct bucket {
	char *state, *dept;
	long long n;
} bucket;

#define MAXB 32

static void queue(session *s, sqlite3 *raw, bucket *b, int nb)
{
	if (nb > MAXB)
		nb = MAXB;
	bool have_index = bench_int(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'deadlines_running'") > 0;
	printf("\n== queue first page: 50 cases of one state and department ==\n");
	printf("  open cases by state and department (the queues):\n");
	for (int i = 0; i < nb; i++)
		printf("    %-14s %-14s %8lld\n", b[i].state, b[i].dept, b[i].n);
	printf("  times in ms, median of %d warm runs after one warm-up\n", runs);
	printf("  case_list: what `kesu list --state S --dept D --limit 50` and the TUI call (core, with visibility);\n"
	       "  store: store_case_list alone; floor: the statements case_list ran, same values, on a bare connection.\n"
	       "  Both order by due time (visibility and filters in SQL, src/store/queue.c). A, B, D: candidate SQL\n"
	       "  ordered by due time, run directly:");
	for (int k = 0; k < NCAND; k++)
		printf(" %s = %s%s", k == 2 ? "D" : k == 1 ? "B" : "A", cand_name[k], k + 1 < NCAND ? ";" : ".\n");
	printf("  with/without: the index of schema/007 (%s), dropped or created in a\n"
	       "  transaction that is rolled back (this data set %s it).\n",
	       "deadlines_running", have_index ? "has" : "does not have");
	printf("  %-14s %-13s %6s | %9s %8s %6s %8s | %7s %7s %7s | %9s %7s %7s %7s\n", "", "", "", "", "with", "index", "",
	       "", "", "", "", "without", "index", "");
	printf("  %-14s %-13s %6s | %9s %8s %6s %8s | %7s %7s %7s | %9s %7s %7s %7s\n", "state", "dept", "cases",
	       "case_list", "floor", "ratio", "store", "A", "B", "D", "floor", "A", "B", "D");
	static timing app[MAXB], st[MAXB], fl[MAXB], cw[MAXB][NCAND], fl2[MAXB], co[MAXB][NCAND];
	static slog logs[MAXB];
	long rows;
	/* the app and its floor, in the data set as it is (the three largest
	 * queues only, when one call takes over a second) */
	int napp = nb;
	for (int i = 0; i < nb; i++) {
		if (i >= napp) {
			app[i] = st[i] = fl[i] = (timing){ -1, -1, -1 };
			memset(&logs[i], 0, sizeof logs[i]);
			continue;
		}
		qctx q = { .s = s, .f = { .state = b[i].state, .dept = b[i].dept, .limit = 50, .order = STORE_ORDER_DUE },
		           .core = true };
		memset(&logs[i], 0, sizeof logs[i]);
		run_queue(&q); /* warm: the statements of a call like any other are recorded next */
		rec_log = &logs[i];
		run_queue(&q);
		rec_log = NULL;
		app[i] = time_it(run_queue, &q, runs);
		q.core = false;
		st[i] = time_it(run_queue, &q, runs);
		rctx r = { raw, &logs[i], 1, 0 };
		fl[i] = time_it(run_replay, &r, runs);
		if (app[i].first > 1000 && napp > 3)
			napp = 3;
	}
	/* the other state of the index, in a transaction rolled back afterwards */
	timing (*with)[NCAND] = have_index ? cw : co, (*without)[NCAND] = have_index ? co : cw;
	for (int i = 0; i < nb; i++)
		for (int k = 0; k < NCAND; k++)
			with[i][k] = time_cand(raw, k, b[i].state, b[i].dept, &rows);
	double t = now_s();
	bench_exec(raw, "BEGIN");
	bench_exec(raw, have_index ? "DROP INDEX deadlines_running" : PROPOSED_INDEX);
	double tix = now_s() - t;
	/* without the index a statement can take many seconds: then only the largest queue */
	int nwo = nb;
	for (int i = 0; i < nb; i++) {
		if (i >= nwo) {
			for (int k = 0; k < NCAND; k++)
				without[i][k] = (timing){ -1, -1, -1 };
			fl2[i] = (timing){ -1, -1, -1 };
			continue;
		}
		for (int k = 0; k < NCAND; k++) {
			without[i][k] = time_cand(raw, k, b[i].state, b[i].dept, &rows);
			if (without[i][k].first > 1000)
				nwo = 1;
		}
		rctx r = { raw, &logs[i], 1, 0 };
		fl2[i] = i < napp ? time_it(run_replay, &r, runs) : (timing){ -1, -1, -1 };
	}
	if (nb) {
		printf("\n  EXPLAIN QUERY PLAN %s the index (largest queue %s/%s):\n", have_index ? "without" : "with",
		       b[0].state, b[0].dept);
		explain_distinct(raw, &logs[0], "store_case_list (what case_list runs)");
		explain_cand(raw, 0, b[0].state, b[0].dept, "candidate A");
	}
	bench_exec(raw, "ROLLBACK");
	/* the floor without the index was measured inside the transaction: swap if the data set lacks it */
	printf("\n");
	double worst_app = 0, worst_floor = 0, worst_best = 0, worst_a_noidx = 0, worst_store_noidx = 0;
	const char *worst_state = "", *worst_dept = "";
	for (int i = 0; i < nb; i++) {
		const timing *fw = have_index ? &fl[i] : &fl2[i], *fo = have_index ? &fl2[i] : &fl[i];
		printf("  %-14s %-13s %6lld | %9.2f %8.2f %6.1f %8.2f | %7.2f %7.2f %7.2f | %9.2f %7.2f %7.2f %7.2f\n",
		       b[i].state, b[i].dept, b[i].n, app[i].med, fl[i].med, app[i].med / fl[i].med, st[i].med,
		       cw[i][0].med, cw[i][1].med, cw[i][2].med, fo->med, co[i][0].med, co[i][1].med, co[i][2].med);
		(void)fw;
		if (i < napp && app[i].med > worst_app) {
			worst_app = app[i].med;
			worst_floor = fl[i].med;
			worst_state = b[i].state;
			worst_dept = b[i].dept;
		}
		double best = cw[i][0].med;
		for (int k = 1; k < NCAND; k++)
			if (cw[i][k].med < best)
				best = cw[i][k].med;
		if (best > worst_best)
			worst_best = best;
		if (co[i][0].med > worst_a_noidx)
			worst_a_noidx = co[i][0].med;
		if (i < napp && fo->med > worst_store_noidx)
			worst_store_noidx = fo->med;
	}
	printf("  (%s the index took %.1f s on this data set; rolled back)\n", have_index ? "dropping" : "building", tix);
	if (napp < nb)
		printf("  (-1: not measured; one case_list call took over a second, so only the three largest queues were)\n");
	if (nwo < nb)
		printf("  (-1 without the index: a statement took over a second, so only the largest queue was measured)\n");
	if (!have_index)
		printf("  NOTE: this data set has no deadlines_running (schema/017 dropped it: case_list reads\n"
		       "  cases.next_due since schema/013); case_list and its floor above are without it, as kesu runs.\n");
	printf("RESULT queue_app_ms %.2f  (case_list, worst queue %s/%s; due order, visibility in SQL)\n",
	       worst_app, worst_state, worst_dept);
	printf("RESULT queue_app_floor_ms %.2f  ratio %.1f\n", worst_floor, worst_floor > 0 ? worst_app / worst_floor : 0);
	printf("RESULT queue_store_sql_noindex_ms %.2f  (store_case_list's SQL without schema/007, worst queue)\n",
	       worst_store_noidx);
	printf("RESULT queue_due_candidate_noindex_ms %.2f  (candidate A without schema/007, worst queue)\n", worst_a_noidx);
	printf("RESULT queue_due_best_ms %.2f  (best candidate with schema/007, worst queue)\n", worst_best);
	if (nb) {
		printf("\n  EXPLAIN QUERY PLAN %s the index (largest queue %s/%s):\n", have_index ? "with" : "without",
		       b[0].state, b[0].dept);
		explain_distinct(raw, &logs[0], "store_case_list (what case_list runs)");
		for (int k = 0; k < NCAND; k++)
			explain_cand(raw, k, b[0].state, b[0].dept, k == 0 ? "candidate A" : k == 1 ? "candidate B" : "candidate D");
	}
	for (int i = 0; i < nb; i++)
		slog_free(&logs[i]);
}

static void tui_queue(session *s, sqlite3 *raw)
{
	printf("\n== case_list with no filter, limit 500, due order (`kesu list --limit 500`; the TUI loads a\n"
	       "   screen and a margin of each view it shows: see the pty figure) ==\n");
	qctx q = { .s = s, .f = { .limit = 500, .order = STORE_ORDER_DUE }, .core = true };
	slog l = {0};
	rec_log = &l;
	double t = now_s();
	run_queue(&q);
	double first = (now_s() - t) * 1e3;
	rec_log = NULL;
	int n = first > 2000 ? 1 : runs;
	timing app = time_it(run_queue, &q, n);
	rctx r = { raw, &l, 1, 0 };
	timing fl = time_it(run_replay, &r, n);
	printf("  %zu rows; case_list %.1f ms (first %.1f ms), floor %.1f ms (%ld rows read), ratio %.1f\n", q.n,
	       app.med, first, fl.med, r.rows, app.med / fl.med);
	printf("RESULT list500_ms %.1f floor %.1f\n", app.med, fl.med);
	explain_distinct(raw, &l, "store_case_list with no filter, due order, limit 500");
	slog_free(&l);
}

/* ---- show ---- */

typedef struct sctx {
	const char *data, *as;
	char *no;
} sctx;

static void run_show(void *p)
{
	sctx *c = p;
	fflush(stdout);
	int keep = dup(1), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	close(null);
	char *argv[] = { c->no, NULL };
	cli k = { .data = c->data, .as = c->as, .cmd = "show", .argc = 1, .argv = argv };
	int rc = cmd_show(&k);
	fflush(stdout);
	dup2(keep, 1);
	close(keep);
	if (rc) {
		fprintf(stderr, "measure: show %s failed (%d)\n", c->no, rc);
		exit(1);
	}
}

static void run_open(void *p)
{
	const char *data = p;
	session *s;
	ks_err err;
	if (session_open(data, &s, &err)) {
		fprintf(stderr, "measure: %s\n", err.msg);
		exit(1);
	}
	session_close(s);
}

static void run_conf(void *p)
{
	const char *data = p;
	char *dir = NULL;
	if (asprintf(&dir, "%s/config", data) < 0)
		abort();
	conf *c;
	conf_diags d = {0};
	if (conf_load(dir, &c, &d)) {
		fprintf(stderr, "measure: config\n");
		exit(1);
	}
	conf_diags_free(&d);
	conf_free(c);
	free(dir);
}

static void show(const char *data, const char *as, sqlite3 *raw, const char *out, int k)
{
	printf("\n== kesu show, in process (cmd_show; stdout to /dev/null) ==\n");
	timing to = time_it(run_open, (void *)data, runs), tc = time_it(run_conf, (void *)data, runs);
	printf("  where a command's time goes before it reads a case: session_open %.2f ms, of which conf_load "
	       "(the YAML configuration) %.2f ms\n", to.med, tc.med);
	printf("RESULT session_open_ms %.2f conf_load %.2f\n", to.med, tc.med);
	long long maxid = bench_int(raw, "SELECT MAX(id) FROM cases");
	char *path = NULL;
	if (asprintf(&path, "%s/show-cases.txt", out) < 0)
		abort();
	FILE *list = fopen(path, "w");
	free(path);
	rng r = rng_for(7, 7);
	double *app = calloc((size_t)k, sizeof *app), *fl = calloc((size_t)k, sizeof *fl);
	long long nst = 0, nev = 0;
	slog first = {0};
	for (int i = 0; i < k; i++) {
		long long id = 1 + rng_below(&r, maxid);
		char q[160];
		snprintf(q, sizeof q, "SELECT no FROM cases WHERE id >= %lld ORDER BY id LIMIT 1", id);
		sqlite3_stmt *st = bench_prepare(raw, q);
		sqlite3_step(st);
		sctx c = { data, as, strdup((const char *)sqlite3_column_text(st, 0)) };
		sqlite3_finalize(st);
		snprintf(q, sizeof q, "SELECT version FROM cases WHERE no = '%s'", c.no);
		nev += bench_int(raw, q);
		fprintf(list, "%s\n", c.no);
		slog l = {0};
		rec_log = &l;
		run_show(&c);
		rec_log = NULL;
		char *lp = NULL;
		if (asprintf(&lp, "%s/show-%s.log", out, c.no) < 0)
			abort();
		slog_save(&l, lp);
		free(lp);
		nst += l.n;
		timing a = time_it(run_show, &c, 3);
		rctx rc = { raw, &l, 0, 0 };
		timing f = time_it(run_replay, &rc, 3);
		app[i] = a.med;
		fl[i] = f.med;
		if (i == 0)
			first = l;
		else
			slog_free(&l);
		free(c.no);
	}
	fclose(list);
	double am = median(app, (size_t)k), fm = median(fl, (size_t)k);
	printf("  %d cases (%.1f events each on average), %.1f statements per show\n", k, (double)nev / k,
	       (double)nst / k);
	printf("  cmd_show %.2f ms, its statements replayed bare (prepared each time) %.2f ms, ratio %.1f\n", am, fm,
	       am / fm);
	printf("RESULT show_inprocess_ms %.2f floor %.2f\n", am, fm);
	printf("\n  EXPLAIN QUERY PLAN, the statements of one `kesu show` (case %s):\n", first.n ? "sample 1" : "-");
	explain_distinct(raw, &first, "show");
	slog_free(&first);
	free(app);
	free(fl);
}

/* ---- report monthly ---- */

typedef struct mctx {
	const char *data, *as;
	char month[24];
} mctx;

static void run_report(void *p)
{
	mctx *c = p;
	fflush(stdout);
	int keep = dup(1), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	close(null);
	char *argv[] = { "monthly", c->month, NULL };
	cli k = { .data = c->data, .as = c->as, .cmd = "report", .argc = 2, .argv = argv };
	int rc = cmd_report(&k);
	fflush(stdout);
	dup2(keep, 1);
	close(keep);
	if (rc) {
		fprintf(stderr, "measure: report monthly %s failed (%d)\n", c->month, rc);
		exit(1);
	}
}

/* The last whole month before now: the report's usual use. */
static void report(const char *data, const char *as, sqlite3 *raw, const char *out)
{
	mctx c = { data, as, "" };
	time_t now = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	int y = tm.tm_year + 1900, m = tm.tm_mon; /* tm_mon is 0-based: this is last month */
	if (m == 0)
		y--, m = 12;
	snprintf(c.month, sizeof c.month, "%04d-%02d", y, m);
	printf("\n== kesu report monthly %s, in process (cmd_report; stdout to /dev/null) ==\n", c.month);
	slog l = {0};
	rec_log = &l;
	double t0 = now_s();
	run_report(&c);
	double first = (now_s() - t0) * 1e3;
	rec_log = NULL;
	rctx r = { raw, &l, 0, 0 };
	timing a, f;
	if (first > 10000) { /* a long report: one more run of each, the first counts as the warm-up */
		t0 = now_s();
		run_report(&c);
		a = (timing){ (now_s() - t0) * 1e3, 0, first };
		t0 = now_s();
		run_replay(&r);
		f = (timing){ (now_s() - t0) * 1e3, 0, 0 };
	} else {
		a = time_it(run_report, &c, 3);
		a.first = first;
		f = time_it(run_replay, &r, 3);
	}
	printf("  cmd_report %.1f ms (first %.1f ms), its %d statements replayed bare %.1f ms (%ld rows read), ratio %.1f\n",
	       a.med, a.first, l.n, f.med, r.rows, a.med / f.med);
	printf("RESULT report_inprocess_ms %.1f floor %.1f\n", a.med, f.med);
	if (first > 5000) {
		/* the candidate index: events by time (two of the report's statements scan every event) */
		double t = now_s();
		bench_exec(raw, "BEGIN");
		bench_exec(raw, "CREATE INDEX events_at ON events(at)");
		double tix = now_s() - t;
		t = now_s();
		run_replay(&r);
		double fi = (now_s() - t) * 1e3;
		printf("  with a candidate index events(at) (built in %.0f s, rolled back): the same statements bare %.1f ms\n",
		       tix, fi);
		printf("RESULT report_floor_events_at_ms %.1f\n", fi);
		printf("\n  EXPLAIN QUERY PLAN with events(at), the statements that scanned events:\n");
		for (int i = 0; i < l.n; i++)
			if (!strncmp(l.v[i].sql, "SELECT", 6) && strstr(l.v[i].sql, "FROM events e JOIN"))
				explain(raw, &l.v[i], "report");
		bench_exec(raw, "ROLLBACK");
	}
	char *path = NULL;
	if (asprintf(&path, "%s/report-month.txt", out) < 0)
		abort();
	FILE *mf = fopen(path, "w");
	fprintf(mf, "%s\n", c.month);
	fclose(mf);
	free(path);
	if (asprintf(&path, "%s/report-%s.log", out, c.month) < 0)
		abort();
	slog_save(&l, path);
	free(path);
	printf("\n  EXPLAIN QUERY PLAN, the statements of the report (each once):\n");
	explain_distinct(raw, &l, "report");
	slog_free(&l);
}

/* ---- search ---- */

typedef struct fctx {
	session *s;
	const char *q;
	size_t n;
	bool ranked;    /* by relevance (bm25, search --rank) */
} fctx;

static void run_search(void *p)
{
	fctx *c = p;
	search_hit *v = NULL;
	size_t n = 0;
	ks_err err;
	if ((c->ranked ? search_cases_ranked : search_cases)(c->s, c->q, 50, &v, &n, &err)) {
		fprintf(stderr, "measure: search %s: %s\n", c->q, err.msg);
		exit(1);
	}
	c->n = n;
	search_hits_free(v, n);
}

static void search(session *s, sqlite3 *fts, const char *out)
{
	if (!search_cases) {
		printf("\n== search: not in this kesu; not measured ==\n");
		return;
	}
	static const char *const queries[] = { "开裂", "模具冷却", "苏州", "退货 尺寸偏差", "SO-2611", "客户不接受" };
	printf("\n== search, in process (search_cases, 50 best) ==\n");
	printf("  %6s %10s %10s %6s %10s  %s\n", "hits", "ms", "floor", "ratio", "--rank", "query");
	char *path = NULL;
	if (asprintf(&path, "%s/search-queries.txt", out) < 0)
		abort();
	FILE *list = fopen(path, "w");
	free(path);
	double worst = 0, worst_fl = 0, worst_sc = 0;
	slog keep = {0};
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		fctx c = { s, queries[i], 0, false };
		fprintf(list, "%s\n", queries[i]);
		slog l = {0};
		run_search(&c); /* warm (the first search may also index cases missing from the index) */
		rec_log = &l;
		run_search(&c);
		rec_log = NULL;
		timing a = time_it(run_search, &c, runs);
		rctx r = { fts, &l, 1, 0 };
		timing f = time_it(run_replay, &r, runs);
		/* the first page by relevance (kesu search --rank): FTS5 counts
		 * every match of each phrase first, and ranks and sorts them all */
		double sc = 0;
		if (search_cases_ranked) {
			fctx cs = { s, queries[i], 0, true };
			sc = time_it(run_search, &cs, runs).med;
			if (sc > worst_sc)
				worst_sc = sc;
		}
		printf("  %6zu %10.2f %10.2f %6.1f %10.2f  %s\n", c.n, a.med, f.med, a.med / f.med, sc, queries[i]);
		if (a.med > worst)
			worst = a.med, worst_fl = f.med;
		if (i == 0)
			keep = l;
		else
			slog_free(&l);
	}
	fclose(list);
	printf("RESULT search_inprocess_ms %.2f floor %.2f  (slowest query)\n", worst, worst_fl);
	if (search_cases_ranked)
		printf("RESULT search_ranked_inprocess_ms %.2f  (slowest query, by relevance: search --rank)\n",
		       worst_sc);
	printf("\n  EXPLAIN QUERY PLAN, the statements of one search (each once):\n");
	explain_distinct(fts, &keep, "search");
	slog_free(&keep);
}

int main(int argc, char **argv)
{
	const char *data = NULL, *as = "guanli", *out = NULL, *only = NULL;
	int k = 30;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(argv[i], "--as") && i + 1 < argc)
			as = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			k = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: measure --data DIR --as LOGIN --out OUTDIR [--runs R] [--cases K]\n");
			return 2;
		}
	}
	if (!data || !out || runs < 1 || k < 1)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress visible through tee */
	replay_install();
	session *s;
	ks_err err;
	if (session_open(data, &s, &err) || session_login(s, as, &err)) {
		fprintf(stderr, "measure: %s\n", err.msg);
		return 1;
	}
	char *dbpath = NULL;
	if (asprintf(&dbpath, "%s/kesu.db", data) < 0)
		abort();
	sqlite3 *raw = bench_open_raw(dbpath, SQLITE_OPEN_READWRITE);
	/* a bare connection that knows the "kesu" tokenizer (for the search floor) */
	store fts_store = { .db = bench_open_raw(dbpath, SQLITE_OPEN_READWRITE) };
	if (store_search_register(&fts_store, &err))
		fprintf(stderr, "measure: %s\n", err.msg);
	long long ncases = bench_int(raw, "SELECT COUNT(*) FROM cases");
#define SECTION(name) (!only || !strcmp(only, name))
	if (SECTION("summary"))
		summary(raw, dbpath, ncases);

	/* the queues: every (state, department) of a state that is not final */
	bucket b[64];
	int nb = 0;
	sqlite3_stmt *st = bench_prepare(raw, "SELECT state, dept, COUNT(*) FROM cases GROUP BY state, dept ORDER BY 3 DESC");
	while (sqlite3_step(st) == SQLITE_ROW && nb < 64) {
		const char *state = (const char *)sqlite3_column_text(st, 0);
		const conf_state *cs = conf_find_state(s->cf, state);
		if (!cs || cs->final || !sqlite3_column_text(st, 1))
			continue;
		b[nb].state = strdup(state);
		b[nb].dept = strdup((const char *)sqlite3_column_text(st, 1));
		b[nb].n = sqlite3_column_int64(st, 2);
		nb++;
	}
	sqlite3_finalize(st);
	if (SECTION("queue"))
		queue(s, raw, b, nb);
	if (SECTION("list"))
		tui_queue(s, raw);
	if (SECTION("show"))
		show(data, as, raw, out, k);
	if (SECTION("search"))
		search(s, fts_store.db, out);
	if (SECTION("report"))
		report(data, as, raw, out);
	for (int i = 0; i < nb; i++)
		free(b[i].state), free(b[i].dept);
	sqlite3_close(fts_store.db);
	sqlite3_close(raw);
	session_close(s);
	free(dbpath);
	return 0;
}
