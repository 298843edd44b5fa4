/* test_audit.c — the audit chain (audit.h) and its store side: the hash of
 * known events against values computed outside kesu (printf | sha256sum from
 * the encoding audit.h documents), events that can't be encoded, verify on an
 * intact chain, the fault it reports for each kind of tampering, heads (also
 * over the task completions' chain), and the attempts log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <sqlite3.h>
#include "kesu/audit.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "testlib.h"

static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* ---- the hash ------------------------------------------------------------- */

static void test_known_hashes(void **state)
{
	(void)state;
	/* quote, backslash, tab, DEL, a CJK pair, '/', and a character beyond
	 * U+FFFF: canonical text
	 * ["2611-001",1,1793581200,"qiantai","new",null,"intake","{\"s\":\"\u9F7F\u8F6E/\\\"x\\\"\\\\\t<DEL>\uD83D\uDE00\"}"] */
	store_event e = { .seq = 1, .at = 1793581200, .actor = "qiantai", .action = "new", .from_state = NULL,
	                  .to_state = "intake", .fields = "{\"s\":\"齿轮/\\\"x\\\"\\\\\t\x7f" "😀\"}" };
	memcpy(e.prev_hash, zeros, 65);
	audit_hash_event("2611-001", &e);
	assert_string_equal(e.hash, "14253fc60f2bfb8cb46d13cc0fdb4154a2344b1e4054c92950a7734f6074bd17");
	/* ["2611-002",7,-5,"guanli","return","review","investigation","{}"] after a given hash */
	store_event f = { .seq = 7, .at = -5, .actor = "guanli", .action = "return", .from_state = "review",
	                  .to_state = "investigation", .fields = NULL };
	char h[65];
	assert_true(audit_compute("2611-002", &f, "0caeb1170f6568d8ef4d291966b7ec5dbfc3feb089acc924990152fcfb06fb0a", h));
	assert_string_equal(h, "79d90e855b429a1bff250052a0d83c41cd8ec9b35ecdc2a0a1f63e5e5502b687");
	/* each part counts */
	char g[65];
	f.at = -4;
	assert_true(audit_compute("2611-002", &f, zeros, g));
	assert_string_not_equal(g, h);
}

static void test_unencodable(void **state)
{
	(void)state;
	store_event e = { .seq = 1, .at = 1, .actor = "a\xff", .action = "new", .to_state = "intake", .fields = "{}" };
	char h[65] = "x";
	assert_false(audit_compute("2611-001", &e, zeros, h));
	assert_string_equal(h, "");
	e.actor = NULL;
	assert_false(audit_compute("2611-001", &e, zeros, h));
	e.actor = "a";
	assert_false(audit_compute(NULL, &e, zeros, h));
	assert_true(audit_compute("2611-001", &e, zeros, h));
	assert_int_equal(strlen(h), 64);
}

/* ---- verify on a real database ------------------------------------------- */

typedef struct fixture {
	char *dir, *db;
	session *s;
	char *no[2];
} fixture;

static const form_kv reg_kv[] = {
	{ "customer", "某电子厂", 12 }, { "contact", "0512-1234567", 12 }, { "channel", "phone", 5 },
	{ "region", "domestic", 8 }, { "category", "quality", 7 }, { "subject", "外壳开裂", 12 },
	{ "detail", "第二批外壳有裂纹", 24 },
};

static void at(const char *when)
{
	time_t t;
	assert_true(clock_parse(when, &t));
	clock_set_now(t);
}

/* Two cases, events interleaved: ids 1 A1, 2 B1, 3 A2, 4 B2, 5 A3. */
static int setup(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	t_config(f->dir, "manufacturing");
	f->db = ks_asprintf("%s/kesu.db", f->dir);
	store *st;
	ks_err err;
	if (store_open(f->db, true, &st, &err))
		fail_msg("%s", err.msg);
	store_close(st);
	if (session_open(f->dir, &f->s, &err))
		fail_msg("%s", err.msg);
	for (int i = 0; i < 2; i++) {
		at(i ? "2026-11-02 09:30" : "2026-11-02 09:00");
		t_as(f->s, "qiantai");
		if (case_register(f->s, reg_kv, sizeof reg_kv / sizeof *reg_kv, &f->no[i], &err))
			fail_msg("%s", err.msg);
	}
	t_as(f->s, "guanli");
	static const form_kv dept[] = { { "dept", "quality", 7 } };
	at("2026-11-02 10:00");
	if (case_do(f->s, f->no[0], "accept", NULL, 0, -1, &err) || case_do(f->s, f->no[1], "accept", NULL, 0, -1, &err) ||
	    case_do(f->s, f->no[0], "assign", dept, 1, -1, &err))
		fail_msg("%s", err.msg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	session_close(f->s);
	for (int i = 0; i < 2; i++)
		free(f->no[i]);
	free(f->db);
	t_rmdir(f->dir);
	free(f);
	clock_set_now((time_t)-1);
	return 0;
}

static void sql(fixture *f, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_close(db);
}

static void test_intact(void **state)
{
	fixture *f = *state;
	audit_result r;
	ks_err err;
	assert_int_equal(audit_verify(f->s->st, NULL, &r, &err), KS_OK);
	assert_int_equal(r.nevents, 5);
	assert_int_equal(r.fault, AUDIT_INTACT);
	char h[65];
	assert_int_equal(store_last_hash(f->s->st, h, &err), KS_OK);
	assert_string_equal(r.head, h);
	/* every head in the chain is accepted, and says where it is */
	assert_int_equal(audit_verify(f->s->st, h, &r, &err), KS_OK);
	assert_int_equal(r.head_index, 5);
	assert_string_equal(r.head_case, f->no[0]);
	assert_int_equal(r.head_seq, 3);
	assert_int_equal(audit_verify(f->s->st, zeros, &r, &err), KS_OK);
	/* a head not in it, and heads that are not hashes */
	char other[65];
	memcpy(other, h, 65);
	other[10] = other[10] == 'a' ? 'b' : 'a';
	assert_int_equal(audit_verify(f->s->st, other, &r, &err), KS_FAIL);
	assert_int_equal(r.fault, AUDIT_HEAD_MISSING);
	assert_non_null(strstr(err.msg, other));
	assert_int_equal(audit_verify(f->s->st, "abc", &r, &err), KS_INVALID);
	other[3] = 'g';
	assert_int_equal(audit_verify(f->s->st, other, &r, &err), KS_INVALID);
}

static void test_empty(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	char *db = ks_asprintf("%s/kesu.db", dir);
	store *st;
	ks_err err;
	assert_int_equal(store_open(db, true, &st, &err), KS_OK);
	audit_result r;
	assert_int_equal(audit_verify(st, NULL, &r, &err), KS_OK);
	assert_int_equal(r.nevents, 0);
	assert_string_equal(r.head, zeros);
	assert_int_equal(audit_verify(st, zeros, &r, &err), KS_OK);
	store_close(st);
	free(db);
	t_rmdir(dir);
}

/* tamper with SQL, then verify must report fault on case (0: A, 1: B), seq */
static void expect_fault(fixture *f, const char *q, audit_fault fault, int which, long long seq, long long id)
{
	sql(f, q);
	audit_result r;
	ks_err err;
	assert_int_equal(audit_verify(f->s->st, NULL, &r, &err), KS_FAIL);
	assert_int_equal(r.fault, fault);
	if (which >= 0)
		assert_string_equal(r.case_no, f->no[which]);
	assert_int_equal(r.seq, seq);
	assert_int_equal(r.event_id, id);
	assert_non_null(strstr(err.msg, "审计链断裂"));
}

static void test_modified(void **state)
{
	expect_fault(*state, "UPDATE events SET fields = replace(fields, '外壳', '外売') WHERE id = 2",
	             AUDIT_MODIFIED, 1, 1, 2);
}

static void test_modified_time(void **state)
{
	expect_fault(*state, "UPDATE events SET at = at - 60 WHERE id = 5", AUDIT_MODIFIED, 0, 3, 5);
}

static void test_deleted(void **state)
{
	/* B2 (id 4) gone: the chain breaks between 3 and 5; the event is named */
	expect_fault(*state, "DELETE FROM events WHERE id = 4", AUDIT_DELETED, 1, 2, 0);
}

static void test_deleted_tail(void **state)
{
	/* A3 (id 5), the newest: no break in the chain, but A's version says 3 */
	expect_fault(*state, "DELETE FROM events WHERE id = 5", AUDIT_DELETED, 0, 3, 0);
}

static void test_reordered(void **state)
{
	/* A2 and B2 swap ids: at id 3 now stands B2, whose predecessor is at id 4 */
	expect_fault(*state, "UPDATE events SET id = -1 WHERE id = 3; UPDATE events SET id = 3 WHERE id = 4; "
	             "UPDATE events SET id = 4 WHERE id = -1", AUDIT_REORDERED, 1, 2, 3);
}

static void test_orphan(void **state)
{
	expect_fault(*state, "UPDATE events SET case_id = 77 WHERE id = 3", AUDIT_NO_CASE, -1, 2, 3);
}

static void test_rewritten_tail(void **state)
{
	/* the newest event removed and its case's version put back: consistent,
	 * so only a head copied earlier shows it */
	fixture *f = *state;
	audit_result r;
	ks_err err;
	char h[65];
	assert_int_equal(store_last_hash(f->s->st, h, &err), KS_OK);
	sql(f, "DELETE FROM events WHERE id = 5; UPDATE cases SET version = 2 WHERE no = (SELECT MIN(no) FROM cases)");
	assert_int_equal(audit_verify(f->s->st, NULL, &r, &err), KS_OK);
	assert_int_equal(audit_verify(f->s->st, h, &r, &err), KS_FAIL);
	assert_int_equal(r.fault, AUDIT_HEAD_MISSING);
}

/* ---- the head covers the task completions' chain --------------------------- */

/* Record a completion of task for period, chained as core/tasks.c does. */
static void task_done(fixture *f, const char *task, const char *period, time_t at)
{
	ks_err err;
	store_task_done d = { .task = (char *)task, .period = (char *)period, .due_at = at, .at = at, .by = "guanli" };
	assert_int_equal(store_begin(f->s->st, &err), KS_OK);
	assert_int_equal(store_task_last_hash(f->s->st, d.prev_hash, &err), KS_OK);
	assert_true(audit_task_hash(&d, d.prev_hash, d.hash));
	assert_int_equal(store_task_done_add(f->s->st, &d, &err), KS_OK);
	assert_int_equal(store_commit(f->s->st, &err), KS_OK);
}

static void test_task_head(void **state)
{
	fixture *f = *state;
	audit_head h;
	audit_result r;
	ks_err err;
	char ev[65], tk[65], text[AUDIT_HEAD_TEXT];
	assert_int_equal(store_last_hash(f->s->st, ev, &err), KS_OK);
	/* no completion yet: the events' head alone, as before */
	assert_int_equal(audit_head_get(f->s->st, &h, &err), KS_OK);
	assert_string_equal(h.text, ev);
	assert_string_equal(h.events, ev);
	assert_string_equal(h.tasks, zeros);
	task_done(f, "monthly", "2026-10", 1793581200);
	task_done(f, "monthly", "2026-11", 1793667600);
	assert_int_equal(store_task_last_hash(f->s->st, tk, &err), KS_OK);
	assert_int_equal(audit_head_get(f->s->st, &h, &err), KS_OK);
	snprintf(text, sizeof text, "%s:%s", ev, tk);
	assert_string_equal(h.text, text);
	assert_string_equal(h.tasks, tk);
	assert_int_equal(audit_verify(f->s->st, h.text, &r, &err), KS_OK);
	assert_int_equal(r.ntasks, 2);
	assert_string_equal(r.head_text, text);
	assert_string_equal(r.tasks_head, tk);
	assert_int_equal(r.head_task_index, 2);
	assert_string_equal(r.head_task, "monthly");
	assert_string_equal(r.head_period, "2026-11");
	/* upper case, and an empty completions' part, are accepted */
	char up[AUDIT_HEAD_TEXT];
	for (size_t i = 0; i <= strlen(text); i++)
		up[i] = (char)toupper((unsigned char)text[i]);
	assert_int_equal(audit_verify(f->s->st, up, &r, &err), KS_OK);
	snprintf(up, sizeof up, "%s:%s", ev, zeros);
	assert_int_equal(audit_verify(f->s->st, up, &r, &err), KS_OK);
	assert_int_equal(r.head_task_index, 0);
	/* not the form of a head */
	snprintf(up, sizeof up, "%s:", ev);
	assert_int_equal(audit_verify(f->s->st, up, &r, &err), KS_INVALID);
	snprintf(up, sizeof up, "%s:%.63s", ev, tk);
	assert_int_equal(audit_verify(f->s->st, up, &r, &err), KS_INVALID);
	snprintf(up, sizeof up, "%s%s", ev, tk);
	assert_int_equal(audit_verify(f->s->st, up, &r, &err), KS_INVALID);
	/* the newest completion removed: no break in the chain, the head changes,
	 * and the head recorded before is no longer covered */
	sql(f, "DROP TRIGGER task_done_no_delete; DELETE FROM task_done WHERE period = '2026-11'");
	assert_int_equal(audit_verify(f->s->st, NULL, &r, &err), KS_OK);
	assert_int_equal(audit_head_get(f->s->st, &h, &err), KS_OK);
	assert_string_not_equal(h.text, text);
	assert_int_equal(audit_verify(f->s->st, text, &r, &err), KS_FAIL);
	assert_int_equal(r.fault, AUDIT_HEAD_MISSING);
	assert_non_null(strstr(err.msg, tk));
	assert_non_null(strstr(err.msg, "周期任务完成记录链中没有头哈希"));
	assert_null(strstr(err.msg, "审计链中没有头哈希"));
	/* the events' part alone still is in the chain */
	assert_int_equal(audit_verify(f->s->st, ev, &r, &err), KS_OK);
}

static void test_task_head_both_missing(void **state)
{
	fixture *f = *state;
	audit_head h;
	audit_result r;
	ks_err err;
	task_done(f, "monthly", "2026-10", 1793581200);
	assert_int_equal(audit_head_get(f->s->st, &h, &err), KS_OK);
	/* the newest event and the only completion removed, the case put back */
	sql(f, "DELETE FROM events WHERE id = 5; UPDATE cases SET version = 2 WHERE no = (SELECT MIN(no) FROM cases); "
	       "DROP TRIGGER task_done_no_delete; DELETE FROM task_done");
	assert_int_equal(audit_verify(f->s->st, NULL, &r, &err), KS_OK);
	assert_int_equal(audit_verify(f->s->st, h.text, &r, &err), KS_FAIL);
	assert_int_equal(r.fault, AUDIT_HEAD_MISSING);
	assert_non_null(strstr(err.msg, h.events));
	assert_non_null(strstr(err.msg, h.tasks));
}

/* ---- store side ------------------------------------------------------------ */

static bool count_two(void *ctx, const char *case_no, const store_event *e)
{
	int *n = ctx;
	assert_non_null(case_no);
	assert_int_equal(e->id, *n + 1);
	return ++*n < 2;
}

static void test_each_stops(void **state)
{
	fixture *f = *state;
	int n = 0;
	ks_err err;
	assert_int_equal(store_events_each(f->s->st, count_two, NULL, &n, &err), KS_OK);
	assert_int_equal(n, 2);
	/* the read transaction is over: a write works */
	assert_int_equal(store_begin(f->s->st, &err), KS_OK);
	store_rollback(f->s->st);
}

static int row_count(fixture *f, const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_attempts(void **state)
{
	fixture *f = *state;
	ks_err err;
	char h[65], h2[65];
	assert_int_equal(store_last_hash(f->s->st, h, &err), KS_OK);
	store_attempt a = { .at = 1793581200, .login = "zhijian", .unix_user = "li", .command = "do 2611-001 close",
	                    .case_no = "2611-001", .status = 3, .message = "无权操作" };
	assert_int_equal(store_attempt_add(f->s->st, &a, &err), KS_OK);
	store_attempt b = { .at = 1, .command = NULL, .status = 4 };
	assert_int_equal(store_attempt_add(f->s->st, &b, &err), KS_OK);
	assert_int_equal(row_count(f, "SELECT count(*) FROM attempts WHERE login = 'zhijian' AND unix_user = 'li' "
	                              "AND command = 'do 2611-001 close' AND case_no = '2611-001' AND status = 3"), 1);
	assert_int_equal(row_count(f, "SELECT count(*) FROM attempts WHERE command = '' AND login IS NULL AND status = 4"), 1);
	/* outside the chain */
	assert_int_equal(store_last_hash(f->s->st, h2, &err), KS_OK);
	assert_string_equal(h, h2);
	audit_result r;
	assert_int_equal(audit_verify(f->s->st, h, &r, &err), KS_OK);
	/* not inside another transaction */
	assert_int_equal(store_begin(f->s->st, &err), KS_OK);
	assert_int_not_equal(store_attempt_add(f->s->st, &a, &err), KS_OK);
	store_rollback(f->s->st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_hashes),
		cmocka_unit_test(test_unencodable),
		cmocka_unit_test(test_empty),
		cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewritten_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_head_both_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attempts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
