/* test_plans.c — the query plans of the hot statements (issue 10; schema/017
 * "index diet", docs/performance.md "Index diet").
 *
 * Every index on cases, events and deadlines costs every write a page, so
 * schema/017 dropped the ones no statement needs. This test keeps the
 * others honest in both directions: it runs the hot paths — the queue's
 * views (全部 待办 逾期 我的, with state and department filters, both
 * orders, the next page) and their counts as people of every sight, `show`
 * (case_load, copies, 签呈, penalties), search, the monthly and weekly
 * report, remind, registration and actions — with a statement trace on the
 * session's connection, and asks SQLite for the plan of every distinct
 * statement it saw:
 *   - no plan reads the whole of cases, events or deadlines (a SCAN of one
 *     of them without an index; an index walked in order is allowed only
 *     where the statement stops at a LIMIT);
 *   - the statements the figures of docs/performance.md measure use the
 *     index named for them here;
 *   - the triggers' statements (cases.next_due) are index searches.
 * There is no ANALYZE in kesu's databases, so SQLite plans without
 * statistics: the plans on this small data set are the plans at 1M.
 * KESU_PLANS=1 prints every statement with its plan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/copies.h"
#include "kesu/casesearch.h"
#include "kesu/deadline.h"
#include "kesu/penalty.h"
#include "kesu/report.h"
#include "testlib.h"
#include "../../src/store/private.h"   /* the connection, to trace and explain its statements */

typedef struct fixture {
	char *dir;
	session *s;
	time_t now;
	char *nos[16];
	int nno;
} fixture;

/* ---- the distinct statements seen ---- */

typedef struct traced {
	char **sql;
	int n, cap;
} traced;

static int trace_stmt(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	traced *t = ctx;
	const char *sql = sqlite3_sql(p);
	if (!sql || !strncmp(sql, "--", 2))
		return 0;   /* a trigger's program: its statements are checked below */
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->sql[i], sql))
			return 0;
	if (t->n == t->cap)
		t->sql = ks_realloc(t->sql, (size_t)(t->cap = t->cap ? t->cap * 2 : 64) * sizeof *t->sql);
	t->sql[t->n++] = ks_strdup(sql);
	return 0;
}

static void traced_free(traced *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->sql[i]);
	free(t->sql);
}

/* The plan of sql, one line per step ("SCAN c USING INDEX …\n…"). */
static char *plan_of(sqlite3 *db, const char *sql)
{
	char *q = ks_asprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		fail_msg("cannot explain: %s\n  %s", sqlite3_errmsg(db), sql);
	free(q);
	size_t n = 0;
	char *out = ks_calloc(1, 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		size_t k = strlen(d);
		out = ks_realloc(out, n + k + 2);
		memcpy(out + n, d, k);
		n += k;
		out[n++] = '\n';
		out[n] = '\0';
	}
	sqlite3_finalize(st);
	return out;
}

/* ---- the data set: a few cases in every state, in two departments ---- */

static const char *const PEOPLE[] = { "guanli", "qiantai", "zhijian", "zhiguan", "shengchan", "yewujingli",
	                              "fuzong", "zongjingli", NULL };

/* One case walked steps steps along the workflow (8: reopened and reported again). */
static void one_case(fixture *f, int i, int steps)
{
	session *s = f->s;
	const char *acc = i % 3 ? "" : "yewujingli";
	form_kv kv[] = {
		{ "customer", "客户", strlen("客户") }, { "contact", "1", 1 }, { "channel", "phone", 5 },
		{ "region", i % 2 ? "domestic" : "foreign", i % 2 ? 8 : 7 }, { "category", "quality", 7 },
		{ "subject", "主题", strlen("主题") }, { "detail", "螺丝松动", strlen("螺丝松动") },
		{ "accused", acc, strlen(acc) },
	};
	t_as(s, "qiantai");
	char *no = NULL;
	ks_err err;
	if (case_register(s, kv, *acc ? 8 : 7, &no, &err))
		fail_msg("%s", err.msg);
	f->nos[f->nno++] = no;
	if (steps < 0) {
		form_kv why = { "reason", "重复", strlen("重复") };
		assert_true(t_act_any(s, no, "reject", T_COORD, &why, 1));
		return;
	}
	if (steps >= 1)
		assert_true(t_act_any(s, no, "accept", T_COORD, NULL, 0));
	form_kv dept = { "dept", i % 2 ? "quality" : "manufacturing", i % 2 ? 7 : 13 };
	if (steps >= 2)
		assert_true(t_act_any(s, no, "assign", T_COORD, &dept, 1));
	form_kv rep[] = {
		{ "cause", "x", 1 }, { "process", "x", 1 }, { "responsible", "x", 1 }, { "conclusion", "x", 1 },
		{ "countermeasure", "x", 1 }, { "prevention", "x", 1 }, { "loss", "3000", 4 },
	};
	if (steps >= 3)
		assert_true(t_act_any(s, no, "report", T_INVEST, rep, 7));
	form_kv dec = { "decision", "同意", strlen("同意") };
	if (steps >= 4)
		assert_true(t_act_any(s, no, "approve", T_APPROVERS, &dec, 1));
	form_kv ans[] = { { "method", "phone", 5 }, { "accepted", "yes", 3 } };
	if (steps >= 5)
		assert_true(t_act_any(s, no, "reply", T_REG, ans, 2));
	if (steps >= 6)
		assert_true(t_act_any(s, no, "close", T_GM, NULL, 0));
	form_kv why = { "reason", "客户再诉", strlen("客户再诉") };
	if (steps >= 7)
		assert_true(t_act_any(s, no, "reopen", T_REOPEN, &why, 1));
	if (steps >= 8)
		assert_true(t_act_any(s, no, "report", T_INVEST, rep, 7));
}

static int setup(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	t_config(f->dir, "manufacturing");
	t_narrow_sight(f->dir);   /* sights of every kind: all, department, involved (as test_queue) */
	ks_err err;
	char *db = ks_asprintf("%s/kesu.db", f->dir);
	store *st;
	if (store_open(db, true, &st, &err))
		fail_msg("%s", err.msg);
	store_close(st);
	free(db);
	if (session_open(f->dir, &f->s, &err))
		fail_msg("%s", err.msg);
	time_t t0 = clock_make(2026, 11, 2, 9, 0);
	static const int steps[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, 3, 6 };
	for (int i = 0; i < (int)(sizeof steps / sizeof *steps); i++) {
		clock_set_now(t0 + (time_t)i * 26 * 3600);
		one_case(f, i, steps[i]);
	}
	f->now = t0 + 40 * 86400;   /* some clocks late by now */
	clock_set_now(f->now);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	for (int i = 0; i < f->nno; i++)
		free(f->nos[i]);
	session_close(f->s);
	t_rmdir(f->dir);
	free(f);
	clock_set_now((time_t)-1);
	return 0;
}

/* ---- the hot paths ---- */

/* The queue's four views (all, 待办, 逾期, 我的) as filters. */
static store_filter view(int v, const session *s, time_t now, store_order order)
{
	store_filter q = { .now = now, .order = order };
	if (v == 1)
		q.todo = true;
	else if (v == 2)
		q.overdue = true;
	else if (v == 3)
		q.involving = s->me->login;
	return q;
}

static void list_and_count(session *s, store_filter f)
{
	ks_err err;
	store_case *v = NULL;
	size_t n = 0;
	f.limit = 3;
	if (case_list(s, &f, &v, &n, &err))
		fail_msg("%s (%s, order %d, todo %d, overdue %d, involving %s)", err.msg, s->me->login, (int)f.order,
		         f.todo, f.overdue, f.involving ? f.involving : "-");
	if (n) {   /* the next page, after the last row */
		store_case after = v[n - 1];
		store_filter g = f;
		g.after = &after;
		store_case *w = NULL;
		size_t m = 0;
		if (case_list(s, &g, &w, &m, &err))
			fail_msg("%s", err.msg);
		store_cases_free(w, m);
	}
	store_cases_free(v, n);
	long long c = 0;
	if (case_count(s, &f, 1000, &c, &err))
		fail_msg("%s", err.msg);
}

static void run_hot_paths(fixture *f)
{
	session *s = f->s;
	ks_err err;
	for (int p = 0; PEOPLE[p]; p++) {
		t_as(s, PEOPLE[p]);
		for (int v = 0; v < 4; v++) {
			for (int o = 0; o < 2; o++) {
				store_filter q = view(v, s, f->now, o ? STORE_ORDER_NEWEST : STORE_ORDER_DUE);
				list_and_count(s, q);
				q.state = "investigation";
				list_and_count(s, q);
				q.dept = "quality";
				list_and_count(s, q);
				q.state = NULL;
				list_and_count(s, q);
			}
		}
		/* an offset, as `kesu list --offset` */
		store_filter q = { .now = f->now, .order = STORE_ORDER_DUE, .offset = 2, .limit = 3 };
		store_case *cv = NULL;
		size_t cn = 0;
		if (case_list(s, &q, &cv, &cn, &err))
			fail_msg("%s", err.msg);
		store_cases_free(cv, cn);
		/* show, as `kesu show` */
		for (int i = 0; i < f->nno; i++) {
			case_view cvw;
			if (case_load(s, f->nos[i], &cvw, &err) == KS_OK) {
				store_copy *cp = NULL;
				size_t ncp = 0;
				assert_int_equal(store_copies(s->st, cvw.c.id, &cp, &ncp, &err), KS_OK);
				store_copies_free(cp, ncp);
				store_dissent *d = NULL;
				size_t nd = 0;
				assert_int_equal(store_dissents(s->st, cvw.c.id, NULL, false, &d, &nd, &err), KS_OK);
				store_dissents_free(d, nd);
				store_penalty *pe = NULL;
				size_t npe = 0;
				if (penalty_entries(s, f->nos[i], NULL, &pe, &npe, &err) == KS_OK)
					store_penalties_free(pe, npe);
				case_view_free(&cvw);
			}
		}
		search_hit *h = NULL;
		size_t nh = 0;
		if (search_cases(s, "螺丝", 50, &h, &nh, &err) == KS_OK)
			search_hits_free(h, nh);
		store_dissent *d = NULL;
		size_t nd = 0;
		assert_int_equal(store_dissents(s->st, 0, s->me->login, true, &d, &nd, &err), KS_OK);
		store_dissents_free(d, nd);
		store_reminder *r = NULL;
		size_t nr = 0;
		if (deadline_reminders_mine(s, 20, &r, &nr, &err) == KS_OK)
			store_reminders_free(r, nr);
	}
	t_as(s, "guanli");
	report rp;
	if (report_monthly(s, "2026-11", &rp, &err))
		fail_msg("%s", err.msg);
	report_free(&rp);
	if (report_monthly(s, "2026-12", &rp, &err))
		fail_msg("%s", err.msg);
	report_free(&rp);
	if (report_weekly(s, "2026-W46", &rp, &err))
		fail_msg("%s", err.msg);
	report_free(&rp);
	store_reminder *r = NULL;
	size_t nr = 0;
	if (deadline_remind(s, f->now, &r, &nr, &err))
		fail_msg("%s", err.msg);
	store_reminders_free(r, nr);
	/* writes: registration (numbering), actions, closure (copies, penalties) */
	clock_set_now(f->now);
	one_case(f, 13, 7);
}

/* Is this step a read of a whole table of cases, events or deadlines? The
 * aliases the store's statements use for them (c, e, d and the others the
 * joins name), or the table's own name. */
static bool whole_table(const char *step)
{
	static const char *const scans[] = {
		"SCAN c", "SCAN e", "SCAN d", "SCAN cases", "SCAN events", "SCAN deadlines", "SCAN de", "SCAN fe",
		"SCAN re", "SCAN copies",
	};
	for (size_t i = 0; i < sizeof scans / sizeof *scans; i++) {
		size_t k = strlen(scans[i]);
		if (!strncmp(step, scans[i], k) && (step[k] == '\0' || step[k] == ' ' || step[k] == '\n'))
			return true;
	}
	return false;
}

/* The hot statements the figures measure and the index each must use: a
 * statement containing `sql` has a plan step containing `step`. */
typedef struct want {
	const char *what, *sql, *step;
} want;

static const want WANT[] = {
	/* the queue: part A (running clock, due order), part B (the others) */
	{ "queue A, state and dept", "c.next_due IS NOT NULL AND 1 AND c.state = ?1 AND c.dept = ?2 ORDER BY",
	  "SEARCH c USING INDEX cases_clock_queue (state=? AND dept=? AND next_due>?)" },
	{ "queue B, state and dept", "c.next_due IS NULL AND 1 AND c.state = ?1 AND c.dept = ?2 ORDER BY",
	  "SEARCH c USING INDEX cases_idle_queue (state=? AND dept=?)" },
	{ "queue A, state", "c.next_due IS NOT NULL AND 1 AND c.state = ?1 ORDER BY",
	  "SEARCH c USING INDEX cases_clock_queue (state=?)" },
	{ "queue B, state", "c.next_due IS NULL AND 1 AND c.state = ?1 ORDER BY",
	  "SEARCH c USING INDEX cases_idle_state (state=?)" },
	{ "queue A, all", "c.next_due IS NOT NULL AND 1 ORDER BY", "SEARCH c USING INDEX cases_clock_due (next_due>?)" },
	{ "queue B, all", "INDEXED BY cases_idle_created WHERE c.next_due IS NULL AND 1 ORDER BY",
	  "SCAN c USING INDEX cases_idle_created" },
	{ "queue, newest first", "FROM cases c WHERE 1 ORDER BY c.created_at DESC",
	  "SCAN c USING COVERING INDEX cases_created" },
	{ "queue 我的 (involved), due order", "c.next_due IS NOT NULL AND 1 AND (+c.registrant = ?1 OR +c.assignee = ?2 OR EXISTS",
	  "SEARCH e USING COVERING INDEX events_case_states (case_id=? AND actor=?)" },
	{ "queue, a page's row", "FROM cases c WHERE id = ?1", "USING INTEGER PRIMARY KEY (rowid=?)" },
	/* show */
	{ "show: the case", "FROM cases WHERE no = :no", "sqlite_autoindex_cases_1 (no=?)" },
	{ "show: events", "FROM events WHERE case_id = :id ORDER BY seq", "sqlite_autoindex_events_1 (case_id=?)" },
	{ "show: clocks", "FROM deadlines d WHERE d.case_id = :id", "sqlite_autoindex_deadlines_1 (case_id=?)" },
	/* report */
	{ "report: month's cases", "c.created_at >= :from AND c.created_at < :to",
	  "USING COVERING INDEX cases_created_dept (created_at>? AND created_at<?)" },
	{ "report: outcomes", "e.case_id >= :lo AND e.case_id <= :hi",
	  "USING COVERING INDEX events_case_states (case_id>? AND case_id<?)" },
	{ "report: reopened", "e.action IN (SELECT value FROM json_each(:reopeners))",
	  "USING COVERING INDEX events_action (action=? AND at>? AND at<?)" },
	{ "report: open, changed since", "c.updated_at >= :cut", "cases_updated (updated_at>?)" },
	{ "report: open, no running clock", "c.next_due IS NULL AND c.state IN (SELECT s FROM si",
	  "SEARCH c USING INDEX cases_idle_state (state=?)" },
	{ "report: open, a running clock", "c.next_due IS NOT NULL AND c.state IN (SELECT s FROM sc",
	  "SEARCH c USING INDEX cases_clock_queue (state=?)" },
	{ "report: clocks stopped", "FROM deadlines d WHERE d.stopped_at >= :from", "deadlines_stopped (stopped_at>? AND stopped_at<?)" },
	/* writes */
	{ "numbering: last hash", "SELECT hash FROM events ORDER BY id DESC LIMIT 1", "SCAN events" },
};

/* Check the plans of the statements in t; with want, also WANT (each must
 * have run). The number of problems, each on stderr. */
static int check_plans(sqlite3 *db, const traced *t, bool want, const char *label)
{
	bool print = getenv("KESU_PLANS") && *getenv("KESU_PLANS") == '1';
	int bad = 0;
	bool seen[sizeof WANT / sizeof *WANT] = { false };
	for (int i = 0; i < t->n; i++) {
		const char *sql = t->sql[i];
		char *plan = plan_of(db, sql);
		if (print && *plan)
			printf("-- [%s] %s\n%s\n", label, sql, plan);
		/* a whole table read: never, but an index walked in order to a LIMIT */
		for (const char *l = plan; *l; l = strchr(l, '\n') + 1) {
			if (!whole_table(l))
				continue;
			bool ordered_walk = strstr(l, " USING ") && strstr(sql, " LIMIT ");
			bool last_hash = !strcmp(sql, "SELECT hash FROM events ORDER BY id DESC LIMIT 1");
			bool dissents = !strncmp(l, "SCAN d", 6) && strstr(sql, "FROM dissents d");
			if (!ordered_walk && !last_hash && !dissents) {
				int k = (int)(strchr(l, '\n') - l);
				fprintf(stderr, "[%s] whole table read: %.*s\n  in %s\n", label, k, l, sql);
				bad++;
			}
		}
		for (size_t w = 0; want && w < sizeof WANT / sizeof *WANT; w++) {
			if (!strstr(sql, WANT[w].sql))
				continue;
			seen[w] = true;
			if (!strstr(plan, WANT[w].step)) {
				fprintf(stderr, "%s: want \"%s\" in the plan of\n  %s\n%s", WANT[w].what, WANT[w].step, sql,
				        plan);
				bad++;
			}
		}
		free(plan);
	}
	for (size_t w = 0; want && w < sizeof WANT / sizeof *WANT; w++)
		if (!seen[w]) {
			fprintf(stderr, "%s: no statement ran containing \"%s\"\n", WANT[w].what, WANT[w].sql);
			bad++;
		}
	return bad;
}

static void test_hot_plans(void **state)
{
	fixture *f = *state;
	sqlite3 *db = f->s->st->db;
	traced t = {0};
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_stmt, &t);
	run_hot_paths(f);
	sqlite3_trace_v2(db, 0, NULL, NULL);
	int bad = check_plans(db, &t, true, "manufacturing");
	traced_free(&t);
	assert_int_equal(bad, 0);
}

/* The queue's statements take their shape from the sight of the person
 * (the rules of each preset: scope registrant / assignee / case_dept,
 * amounts, conditions on fields): the views of every person of every
 * preset, on an empty database (the plan does not depend on the rows). */
static void test_preset_queue_plans(void **state)
{
	(void)state;
	static const char *const presets[] = { "bank", "dealer", "health", "hospital", "installation", "lawfirm",
		                               "logistics", "manufacturing", "membership", "property",
		                               "property-service", "retail" };
	int bad = 0;
	for (size_t p = 0; p < sizeof presets / sizeof *presets; p++) {
		char *dir = t_tmpdir();
		t_config(dir, presets[p]);
		char *dbp = ks_asprintf("%s/kesu.db", dir);
		store *st;
		ks_err err;
		if (store_open(dbp, true, &st, &err))
			fail_msg("%s", err.msg);
		store_close(st);
		free(dbp);
		session *s;
		if (session_open(dir, &s, &err))
			fail_msg("%s: %s", presets[p], err.msg);
		traced t = {0};
		sqlite3_trace_v2(s->st->db, SQLITE_TRACE_STMT, trace_stmt, &t);
		for (size_t k = 0; k < s->cf->nstaff; k++) {
			if (session_login(s, s->cf->staff[k].login, &err))
				continue;
			for (int v = 0; v < 4; v++) {
				store_filter q = view(v, s, 1800000000, STORE_ORDER_DUE);
				list_and_count(s, q);
				q.order = STORE_ORDER_NEWEST;
				list_and_count(s, q);
			}
		}
		sqlite3_trace_v2(s->st->db, 0, NULL, NULL);
		bad += check_plans(s->st->db, &t, false, presets[p]);
		traced_free(&t);
		session_close(s);
		t_rmdir(dir);
	}
	assert_int_equal(bad, 0);
}

/* The triggers' statements (cases.next_due from the case's running clocks,
 * case_values from the case's fields) run on every write: each must find
 * its rows by the case, not walk a table or an index of every case. Read
 * from the database itself: every statement of every trigger's body, NEW.x
 * and OLD.x replaced by parameters, explained. A step on deadlines must be
 * a search by case_id: MIN(due_at) … AND status = 'running' would otherwise
 * be answered from deadlines_due (status, due_at) by walking every running
 * clock until one is the case's. */
static void test_trigger_plans(void **state)
{
	fixture *f = *state;
	sqlite3 *db = f->s->st->db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name",
	                                    -1, &st, NULL), SQLITE_OK);
	int bad = 0, nstmt = 0, nmin = 0;
	bool print = getenv("KESU_PLANS") && *getenv("KESU_PLANS") == '1';
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		const char *body = strstr(sql, "BEGIN");
		assert_non_null(body);
		char *b = ks_strdup(body + 5);
		char *end = strstr(b, "END");
		assert_non_null(end);
		*end = '\0';
		/* NEW.x, OLD.x: a parameter */
		for (char *p = b; (p = strstr(p, "NEW.")) || (p = strstr(b, "OLD.")); ) {
			*p = '?';
			memset(p + 1, ' ', 3);
			for (char *q = p + 4; *q == '_' || (*q >= 'a' && *q <= 'z'); q++)
				*q = ' ';
		}
		char *save = NULL;
		for (char *one = strtok_r(b, ";", &save); one; one = strtok_r(NULL, ";", &save)) {
			while (*one == ' ' || *one == '\n' || *one == '\t')
				one++;
			if (!*one || strstr(one, "RAISE("))
				continue;   /* (copies_frozen_*: only a RAISE, outside a trigger not explainable) */
			char *plan = plan_of(db, one);
			nstmt++;
			if (print)
				printf("-- [trigger %s] %s\n%s\n", name, one, plan);
			nmin += strstr(one, "MIN(d.due_at)") != NULL;
			for (const char *l = plan; *l; l = strchr(l, '\n') + 1) {
				int k = (int)(strchr(l, '\n') - l);
				bool scan = whole_table(l) || !strncmp(l, "SCAN case_values", 16);
				bool clocks_not_by_case = !strncmp(l, "SEARCH d ", 9) && !strstr(l, "(case_id=?");
				if (scan || clocks_not_by_case) {
					fprintf(stderr, "trigger %s: %.*s\n  in %s\n", name, k, l, one);
					bad++;
				}
			}
			free(plan);
		}
		free(b);
	}
	sqlite3_finalize(st);
	assert_true(nstmt >= 8);
	assert_true(nmin >= 3);   /* the three next_due triggers */
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hot_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trigger_plans, setup, teardown),
		cmocka_unit_test(test_preset_queue_plans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
