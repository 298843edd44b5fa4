/* test_queue.c — queues with the visibility rules in SQL (issue 10).
 *
 * A varied small data set (the manufacturing preset with its roles' sight
 * narrowed as in test_rights: coordinators and the T_GM see all, department
 * heads their department, the rest what they are involved in; cases in
 * every state and department, people complained about, amounts above and
 * below approval limits, customers who accepted the reply or not, clocks
 * late and not). Then, for every staff member, every view of the queue
 * (全部 待办 逾期 我的) and several filters, the list case_list builds in SQL
 * must equal the brute force: every case, filtered in C with case_visible,
 * case_may, store_case_involves, sorted by the due order here. Counts must
 * agree, and paging (keyset and offset) must return every case exactly once,
 * in order. The derived cases.next_due (triggers, schema/008) must be the
 * earliest running clock as the case's deadlines say. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "testlib.h"

typedef struct fixture {
	char *dir;
	session *s;
	time_t now;
} fixture;


/* Build the data set: 42 cases, case i walked i % 9 steps along the
 * workflow, registered a few hours apart over three weeks. */
static void build(fixture *f)
{
	session *s = f->s;
	static const char *const accused[] = { "", "shengchan", "zhijian", "", "guanli", "zongjingli", "yewujingli",
	                                       "zhiguan", "" };
	static const char *const depts[] = { "quality", "manufacturing", "sales", "quality" };
	static const char *const losses[] = { "100", "3000", "20000", "80000", "" };
	time_t t0 = clock_make(2026, 11, 2, 9, 0);
	for (int i = 0; i < 42; i++) {
		time_t at = t0 + (time_t)i * 11 * 3600;
		clock_set_now(at);
		const char *acc = accused[i % 9];
		form_kv kv[] = {
			{ "customer", "客户", strlen("客户") }, { "contact", "1", 1 }, { "channel", "phone", 5 },
			{ "region", i % 3 ? "domestic" : "foreign", i % 3 ? 8 : 7 }, { "category", "quality", 7 },
			{ "subject", "主题", strlen("主题") }, { "detail", "d", 1 }, { "accused", acc, strlen(acc) },
		};
		t_as(s, "qiantai");
		char *no = NULL;
		ks_err err;
		if (case_register(s, kv, *acc ? 8 : 7, &no, &err))
			fail_msg("%s", err.msg);
		int steps = i % 9;
		clock_set_now(at + 3600);
		if (steps >= 1 && i % 7 == 6) {
			form_kv why = { "reason", "重复", strlen("重复") };
			t_act_any(s, no, "reject", T_COORD, &why, 1);
			free(no);
			continue;
		}
		if (steps >= 1 && !t_act_any(s, no, "accept", T_COORD, NULL, 0))
			steps = 0;
		form_kv dept = { "dept", depts[i % 4], strlen(depts[i % 4]) };
		if (steps >= 2 && !t_act_any(s, no, "assign", T_COORD, &dept, 1))
			steps = 0;
		const char *loss = losses[i % 5];
		form_kv rep[] = {
			{ "cause", "x", 1 }, { "process", "x", 1 }, { "responsible", "x", 1 }, { "conclusion", "x", 1 },
			{ "countermeasure", "x", 1 }, { "prevention", "x", 1 }, { "loss", loss, strlen(loss) },
		};
		if (steps >= 3 && !t_act_any(s, no, "report", T_INVEST, rep, *loss ? 7 : 6))
			steps = 0;
		form_kv dec = { "decision", "同意", strlen("同意") };
		if (steps >= 4 && !t_act_any(s, no, "approve", T_APPROVERS, &dec, 1))
			steps = 0;
		form_kv ans[] = { { "method", "phone", 5 }, { "accepted", i % 2 ? "yes" : "no", i % 2 ? 3 : 2 } };
		if (steps >= 5 && !t_act_any(s, no, "reply", T_REG, ans, 2))
			steps = 0;
		if (steps >= 6 && !t_act_any(s, no, "close", T_GM, NULL, 0))
			steps = 0;
		form_kv why = { "reason", "客户再诉", strlen("客户再诉") };
		if (steps >= 7 && !t_act_any(s, no, "reopen", T_REOPEN, &why, 1))
			steps = 0;
		if (steps >= 8)
			t_act_any(s, no, "report", T_INVEST, rep, *loss ? 7 : 6);
		free(no);
	}
	f->now = t0 + 42 * 11 * 3600 + 86400;
	clock_set_now(f->now);
}

static int setup(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	t_config(f->dir, "manufacturing");
	t_narrow_sight(f->dir);
	f->s = t_session(f->dir);
	build(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	t_done(f->dir, f->s);
	free(f);
	return 0;
}

/* The due order, written out: a running clock first, earliest due first
 * (ties: lowest id); then the others newest first (ties: highest id). */
static int due_cmp(const void *pa, const void *pb)
{
	const store_case *a = pa, *b = pb;
	int ga = a->next_due == 0, gb = b->next_due == 0;
	if (ga != gb)
		return ga - gb;
	long long ka = a->next_due ? (long long)a->next_due : -(long long)a->created_at;
	long long kb = b->next_due ? (long long)b->next_due : -(long long)b->created_at;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ga)
		return a->id > b->id ? -1 : a->id < b->id ? 1 : 0;
	return a->id < b->id ? -1 : a->id > b->id ? 1 : 0;
}

enum { V_ALL, V_TODO, V_LATE, V_MINE, V__N };

static store_filter view_filter(session *s, int v, time_t now)
{
	store_filter f = { .now = now, .order = STORE_ORDER_DUE };
	if (v == V_TODO)
		f.todo = true;
	else if (v == V_LATE)
		f.overdue = true;
	else if (v == V_MINE)
		f.involving = s->me->login;
	return f;
}

/* 待办: a case not yet finished on which the person may do something other
 * than file a 签呈 (reopening a closed case is not work waiting). */
static bool may_act(session *s, const store_case *c)
{
	const conf_state *st = conf_find_state(s->cf, c->state);
	if (st && st->final)
		return false;
	for (size_t i = 0; i < s->cf->nactions; i++)
		if (s->cf->actions[i].dissent != DISSENT_FILE && case_may(s, c, &s->cf->actions[i], NULL) == KS_OK)
			return true;
	return false;
}

/* The brute force: every case in due order, kept when the old C rules say so. */
static size_t expected(session *s, const store_filter *f, const store_case *all, size_t nall, long long *ids)
{
	size_t n = 0;
	const char *me = s->me->login;
	for (size_t i = 0; i < nall; i++) {
		const store_case *c = &all[i];
		if (!case_visible(s, c))
			continue;
		if (f->state && strcmp(c->state, f->state))
			continue;
		if (f->dept && (!c->dept || strcmp(c->dept, f->dept)))
			continue;
		if (f->overdue && !(c->next_due && c->next_due < f->now))
			continue;
		if (f->todo && !may_act(s, c))
			continue;
		if (f->involving) {
			bool acted = false;
			assert_int_equal(store_case_involves(s->st, c->id, me, &acted, NULL), KS_OK);
			if (!acted && strcmp(c->registrant, me) && !(c->assignee && !strcmp(c->assignee, me)))
				continue;
		}
		ids[n++] = c->id;
	}
	return n;
}

static void same(const char *what, const char *who, const long long *want, size_t nwant, const long long *got,
                 size_t ngot)
{
	if (nwant != ngot)
		fail_msg("%s for %s: %zu cases, want %zu", what, who, ngot, nwant);
	for (size_t i = 0; i < nwant; i++)
		if (want[i] != got[i])
			fail_msg("%s for %s: case %zu is id %lld, want %lld", what, who, i, got[i], want[i]);
}

/* Every staff member, every view, each filter: SQL == brute force. */
static void check_all(fixture *f, size_t *checked)
{
	session *s = f->s;
	ks_err err;
	/* every case, no sight, for the brute force */
	t_as(s, "guanli");
	store_filter every = { .now = f->now };
	store_case *all;
	size_t nall;
	assert_int_equal(store_case_list(s->st, &every, &all, &nall, &err), KS_OK);
	assert_int_equal(nall, 42);
	qsort(all, nall, sizeof *all, due_cmp);
	const char *states[] = { NULL, "intake", "dispatch", "investigation", "review", "reply", "closed", "rejected" };
	const char *depts[] = { NULL, "quality", "gm_prod" };
	long long want[64], got[64];
	for (size_t p = 0; p < s->cf->nstaff; p++) {
		const char *who = s->cf->staff[p].login;
		t_as(s, who);
		for (int v = 0; v < V__N; v++)
			for (size_t si = 0; si < sizeof states / sizeof *states; si++)
				for (size_t di = 0; di < sizeof depts / sizeof *depts; di++) {
					store_filter q = view_filter(s, v, f->now);
					q.state = states[si];
					q.dept = depts[di];
					size_t nw = expected(s, &q, all, nall, want);
					store_case *v1;
					size_t n1;
					assert_int_equal(case_list(s, &q, &v1, &n1, &err), KS_OK);
					for (size_t i = 0; i < n1; i++)
						got[i] = v1[i].id;
					char what[160];
					snprintf(what, sizeof what, "view %d state %s dept %s", v, q.state ? q.state : "*",
					         q.dept ? q.dept : "*");
					same(what, who, want, nw, got, n1);
					/* next_due as the brute force has it */
					for (size_t i = 0; i < n1; i++)
						for (size_t k = 0; k < nall; k++)
							if (all[k].id == v1[i].id)
								assert_int_equal(v1[i].next_due, all[k].next_due);
					store_cases_free(v1, n1);
					/* counts, exact and capped */
					long long cnt;
					assert_int_equal(case_count(s, &q, 0, &cnt, &err), KS_OK);
					assert_int_equal(cnt, (long long)nw);
					assert_int_equal(case_count(s, &q, 3, &cnt, &err), KS_OK);
					assert_int_equal(cnt, nw < 3 ? (long long)nw : 3);
					/* keyset pages of 3 */
					size_t ng = 0;
					store_case last = {0};
					for (int guard = 0; guard < 64; guard++) {
						store_filter pg = q;
						pg.limit = 3;
						pg.after = ng ? &last : NULL;
						store_case *pv;
						size_t pn;
						assert_int_equal(case_list(s, &pg, &pv, &pn, &err), KS_OK);
						for (size_t i = 0; i < pn && ng < 64; i++)
							got[ng++] = pv[i].id;
						if (pn) {
							last = (store_case){ .id = pv[pn - 1].id, .next_due = pv[pn - 1].next_due,
							                     .created_at = pv[pn - 1].created_at };
						}
						store_cases_free(pv, pn);
						if (pn < 3)
							break;
					}
					snprintf(what, sizeof what, "keyset pages, view %d state %s dept %s", v,
					         q.state ? q.state : "*", q.dept ? q.dept : "*");
					same(what, who, want, nw, got, ng);
					/* offset pages of 4 */
					ng = 0;
					for (int off = 0; off < 64; off += 4) {
						store_filter pg = q;
						pg.limit = 4;
						pg.offset = off;
						store_case *pv;
						size_t pn;
						assert_int_equal(case_list(s, &pg, &pv, &pn, &err), KS_OK);
						for (size_t i = 0; i < pn && ng < 64; i++)
							got[ng++] = pv[i].id;
						store_cases_free(pv, pn);
						if (pn < 4)
							break;
					}
					snprintf(what, sizeof what, "offset pages, view %d state %s dept %s", v,
					         q.state ? q.state : "*", q.dept ? q.dept : "*");
					same(what, who, want, nw, got, ng);
					(*checked)++;
				}
	}
	store_cases_free(all, nall);
}

/* The data set is varied enough to mean something: each sight level, each
 * state, recusal, late clocks. */
static void test_data_is_varied(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	ks_err err;
	store_filter every = { .now = f->now };
	store_case *all;
	size_t nall;
	assert_int_equal(store_case_list(s->st, &every, &all, &nall, &err), KS_OK);
	const char *states[] = { "intake", "dispatch", "investigation", "review", "reply", "closed", "rejected" };
	for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
		size_t k = 0;
		for (size_t j = 0; j < nall; j++)
			k += !strcmp(all[j].state, states[i]);
		if (!k)
			fail_msg("no case in state %s", states[i]);
	}
	size_t late = 0, clocked = 0;
	for (size_t j = 0; j < nall; j++) {
		clocked += all[j].next_due != 0;
		late += all[j].next_due && all[j].next_due < f->now;
	}
	assert_true(late > 0);
	assert_true(clocked > late);
	assert_true(nall - clocked > 0);
	store_cases_free(all, nall);
	/* people see different amounts: recusal and narrow sight bite */
	size_t seen[3];
	const char *who[3] = { "guanli", "zhiguan", "zhijian" };
	for (int i = 0; i < 3; i++) {
		t_as(s, who[i]);
		long long n;
		store_filter q = { .now = f->now };
		assert_int_equal(case_count(s, &q, 0, &n, &err), KS_OK);
		seen[i] = (size_t)n;
	}
	assert_true(seen[0] < 42);          /* guanli sees all but the cases complaining about him */
	assert_true(seen[1] < seen[0]);     /* a department head */
	assert_true(seen[2] < seen[0]);     /* an investigator: involved only */
	assert_true(seen[1] > 0 && seen[2] > 0);
}

static void test_sql_equals_c_rule(void **state)
{
	fixture *f = *state;
	size_t checked = 0;
	check_all(f, &checked);
	assert_true(checked > 500);
}

/* cases.next_due is what the clocks say, after every kind of clock change
 * the workflow made (started, stopped, restarted by return and reopen). */
static void test_next_due_derived(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	ks_err err;
	store_filter every = { .now = f->now };
	store_case *all;
	size_t nall;
	assert_int_equal(store_case_list(s->st, &every, &all, &nall, &err), KS_OK);
	size_t stopped = 0;
	for (size_t i = 0; i < nall; i++) {
		store_deadline *d;
		size_t nd;
		assert_int_equal(store_deadlines(s->st, all[i].id, &d, &nd, &err), KS_OK);
		time_t want = 0;
		for (size_t k = 0; k < nd; k++) {
			if (!strcmp(d[k].status, "running") && (!want || d[k].due_at < want))
				want = d[k].due_at;
			stopped += strcmp(d[k].status, "running") != 0;
		}
		if (all[i].next_due != want)
			fail_msg("case %s: next_due %lld, its running clocks say %lld", all[i].no, (long long)all[i].next_due,
			         (long long)want);
		store_deadlines_free(d, nd);
	}
	assert_true(stopped > 0);
	store_cases_free(all, nall);
}

/* A case changes while someone pages: keyset paging neither repeats nor
 * skips the cases that did not move. */
static void test_keyset_stable(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	ks_err err;
	t_as(s, "guanli");
	store_filter q = { .now = f->now, .order = STORE_ORDER_DUE, .limit = 5 };
	store_case *p1;
	size_t n1;
	assert_int_equal(case_list(s, &q, &p1, &n1, &err), KS_OK);
	assert_int_equal(n1, 5);
	/* a new case arrives (newest, no running clock: it sorts into the tail) */
	clock_set_now(f->now + 60);
	form_kv kv[] = {
		{ "customer", "c", 1 }, { "contact", "1", 1 }, { "channel", "phone", 5 }, { "region", "domestic", 8 },
		{ "category", "quality", 7 }, { "subject", "s", 1 }, { "detail", "d", 1 },
	};
	t_as(s, "qiantai");
	char *no;
	assert_int_equal(case_register(s, kv, 7, &no, &err), KS_OK);
	free(no);
	t_as(s, "guanli");
	store_case last = { .id = p1[4].id, .next_due = p1[4].next_due, .created_at = p1[4].created_at };
	q.after = &last;
	store_case *p2;
	size_t n2;
	assert_int_equal(case_list(s, &q, &p2, &n2, &err), KS_OK);
	for (size_t i = 0; i < n2; i++)
		for (size_t k = 0; k < n1; k++)
			assert_true(p2[i].id != p1[k].id);
	store_cases_free(p1, n1);
	store_cases_free(p2, n2);
}

int main(void)
{
	/* one data set for all (building it is most of the time); the test
	 * that adds a case runs last */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_is_varied),
		cmocka_unit_test(test_sql_equals_c_rule),
		cmocka_unit_test(test_next_due_derived),
		cmocka_unit_test(test_keyset_stable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
