/* test_case.c — the workflow engine on the manufacturing preset: case
 * numbers across a month boundary and past 999; every allowed and every
 * forbidden transition; version conflicts; the audit chain links. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/audit.h"
#include "testlib.h"

typedef t_fixture fixture;

static char *reg(session *s, const char *when)
{
	static const form_kv kv[] = {
		{ "customer", "某电子厂", 12 }, { "contact", "0512-1234567", 12 }, { "channel", "phone", 5 },
		{ "region", "domestic", 8 }, { "category", "quality", 7 }, { "subject", "外壳开裂", 12 },
		{ "detail", "第二批外壳有裂纹", 24 },
	};
	clock_set_now(t_time(when));
	return t_register(s, "qiantai", kv, sizeof kv / sizeof *kv);
}

static void test_numbering(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, "2026-11-30 23:59");
	char *b = reg(f->s, "2026-12-01 00:00");
	char *c = reg(f->s, "2026-11-30 08:00");
	char *d = reg(f->s, "2026-12-31 23:59");
	char *e = reg(f->s, "2027-01-01 00:00");
	assert_string_equal(a, "2611-001");
	assert_string_equal(b, "2612-001");
	assert_string_equal(c, "2611-002");
	assert_string_equal(d, "2612-002");
	assert_string_equal(e, "2701-001");
	free(a); free(b); free(c); free(d); free(e);
	/* past 999 the number grows wider */
	ks_err err;
	assert_int_equal(store_begin(f->s->st, &err), KS_OK);
	for (int i = 3; i <= 998; i++) {
		long long seq;
		assert_int_equal(store_next_seq(f->s->st, "2612-#", &seq, &err), KS_OK);
		assert_int_equal(seq, i);
	}
	assert_int_equal(store_commit(f->s->st, &err), KS_OK);
	char *g = reg(f->s, "2026-12-15 10:00");
	char *h = reg(f->s, "2026-12-15 10:01");
	assert_string_equal(g, "2612-999");
	assert_string_equal(h, "2612-1000");
	free(g);
	free(h);
}

/* Who takes each action, and the fields it needs, on the happy path. */
typedef struct step {
	const char *action, *who;
	form_kv kv[8];
	size_t n;
} step;

static const step steps[] = {
	{ "accept", "guanli", {{0}}, 0 },
	{ "reject", "guanli", { { "reason", "已由法院受理", 18 } }, 1 },
	{ "assign", "guanli", { { "dept", "quality", 7 } }, 1 },
	{ "report", "zhijian", { { "cause", "模具磨损", 12 }, { "process", "抽检", 6 }, { "responsible", "二号机", 9 },
	                         { "conclusion", "属实", 6 }, { "countermeasure", "换模", 6 },
	                         { "prevention", "点检", 6 }, { "loss", "3000", 4 } }, 7 },
	{ "approve", "yewujingli", { { "decision", "同意", 6 } }, 1 },
	{ "return", "yewujingli", { { "reason", "原因不清", 12 } }, 1 },
	{ "reply", "qiantai", { { "method", "phone", 5 }, { "accepted", "yes", 3 } }, 2 },
	{ "close", "zongjingli", {{0}}, 0 },
	{ "reopen", "guanli", { { "reason", "客户不接受", 15 } }, 1 },
	/* the paper workflow: 孙伟 (业务部, the registrant's department) may file a 签呈
	 * on the rejection, or on the 调查报告 (the approval is his own decision) */
	{ "joint", "guanli", { { "joint_supplier", "某厂", 6 }, { "joint_units", "质量管理部", 15 },
	                       { "joint_date", "2026-11-27", 10 }, { "joint_conclusion", "共同承担", 12 } }, 4 },
	{ "record_return", "qiantai", { { "returned_qty", "10", 2 } }, 1 },
	{ "dissent", "yewujingli", { { "dissent_reason", "理由不成立", 15 } }, 1 },
	{ "uphold", "fuzong", { { "ruling", "维持", 6 } }, 1 },
	{ "overturn", "fuzong", { { "ruling", "撤销", 6 } }, 1 },
};

static const step *step_of(const char *action)
{
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (!strcmp(steps[i].action, action))
			return &steps[i];
	fail_msg("no step %s", action);
	return NULL;
}

static void run(session *s, const char *no, const char *action, ks_status want)
{
	const step *st = step_of(action);
	t_as(s, st->who);
	ks_err err = { "" };
	ks_status rc = case_do(s, no, action, st->kv, st->n, -1, &err);
	if (rc != want)
		fail_msg("%s by %s: want %d got %d (%s)", action, st->who, want, rc, err.msg);
}

/* The path that brings a new case to each state. */
static const struct {
	const char *state;
	const char *path[8];
	const char *allowed[5];   /* actions allowed in that state */
} states[] = {
	{ "intake",        { NULL }, { "accept", "reject" } },
	{ "dispatch",      { "accept" }, { "assign" } },
	{ "investigation", { "accept", "assign" }, { "report" } },
	{ "review",        { "accept", "assign", "report" }, { "approve", "return" } },
	{ "reply",         { "accept", "assign", "report", "approve", "reply" }, { "reply", "close", "reopen", "dissent" } },
	{ "closed",        { "accept", "assign", "report", "approve", "reply", "close" }, { "reopen", "dissent" } },
	{ "rejected",      { "reject" }, { "dissent" } },
};

static void test_transitions(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
		for (size_t a = 0; a < f->s->cf->nactions; a++) {
			const conf_action *act = &f->s->cf->actions[a];
			char *no = reg(f->s, "2026-11-27 09:00");
			for (size_t k = 0; states[i].path[k]; k++)
				run(f->s, no, states[i].path[k], KS_OK);
			store_case c = {0};
			ks_err err;
			assert_int_equal(store_case_get(f->s->st, no, &c, &err), KS_OK);
			assert_string_equal(c.state, states[i].state);
			bool allowed = false;
			for (size_t k = 0; states[i].allowed[k]; k++)
				if (!strcmp(states[i].allowed[k], act->code))
					allowed = true;
			run(f->s, no, act->code, allowed ? KS_OK : KS_INVALID);
			store_case after = {0};
			assert_int_equal(store_case_get(f->s->st, no, &after, &err), KS_OK);
			assert_int_equal(after.version, c.version + (allowed ? 1 : 0));
			if (!allowed)
				assert_string_equal(after.state, c.state);
			store_case_clear(&c);
			store_case_clear(&after);
			free(no);
		}
	}
}

static void test_close_needs_acceptance(void **state)
{
	fixture *f = *state;
	char *no = reg(f->s, "2026-11-27 09:00");
	const char *path[] = { "accept", "assign", "report", "approve" };
	for (size_t k = 0; k < 4; k++)
		run(f->s, no, path[k], KS_OK);
	run(f->s, no, "close", KS_INVALID);           /* no reply yet */
	t_as(f->s, "qiantai");
	form_kv no_kv[] = { { "method", "letter", 6 }, { "accepted", "no", 2 } };
	ks_err err;
	assert_int_equal(case_do(f->s, no, "reply", no_kv, 2, -1, &err), KS_OK);
	t_as(f->s, "zongjingli");                       /* customer did not accept */
	assert_int_equal(case_do(f->s, no, "close", NULL, 0, -1, &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "「客户是否接受」应为 是"));
	run(f->s, no, "reopen", KS_OK);
	free(no);
}

static void test_denied(void **state)
{
	fixture *f = *state;
	char *no = reg(f->s, "2026-11-27 09:00");
	ks_err err;
	t_as(f->s, "qiantai");
	assert_int_equal(case_do(f->s, no, "accept", NULL, 0, -1, &err), KS_DENIED);
	run(f->s, no, "accept", KS_OK);
	run(f->s, no, "assign", KS_OK);
	/* an investigator of another department may not report */
	t_as(f->s, "shengchan");
	const step *rep = step_of("report");
	assert_int_equal(case_do(f->s, no, "report", rep->kv, rep->n, -1, &err), KS_DENIED);
	run(f->s, no, "report", KS_OK);
	/* 3000 元 is within 业务部经理's limit; raise the loss above it by a second report */
	free(no);

	no = reg(f->s, "2026-11-27 09:00");
	run(f->s, no, "accept", KS_OK);
	run(f->s, no, "assign", KS_OK);
	form_kv big[7];
	memcpy(big, rep->kv, sizeof big);
	big[6].value = "80000";
	big[6].len = 5;
	t_as(f->s, "zhijian");
	assert_int_equal(case_do(f->s, no, "report", big, 7, -1, &err), KS_OK);
	const step *ap = step_of("approve");
	t_as(f->s, "yewujingli");
	assert_int_equal(case_do(f->s, no, "approve", ap->kv, 1, -1, &err), KS_DENIED);
	t_as(f->s, "fuzong");
	assert_int_equal(case_do(f->s, no, "approve", ap->kv, 1, -1, &err), KS_DENIED);
	assert_non_null(strstr(err.msg, "80,000.00"));
	assert_non_null(strstr(err.msg, "吴天成"));
	assert_non_null(strstr(err.msg, "总经理"));
	t_as(f->s, "zongjingli");
	assert_int_equal(case_do(f->s, no, "approve", ap->kv, 1, -1, &err), KS_OK);
	free(no);
}

static void test_conflict(void **state)
{
	fixture *f = *state;
	char *no = reg(f->s, "2026-11-27 09:00");
	time_t t;
	assert_true(clock_parse("2026-11-27 10:00", &t));
	clock_set_now(t);
	ks_err err;
	t_as(f->s, "guanli");
	assert_int_equal(case_do(f->s, no, "accept", NULL, 0, 1, &err), KS_OK);
	assert_int_equal(case_do(f->s, no, "assign", steps[2].kv, 1, 1, &err), KS_CONFLICT);
	assert_non_null(strstr(err.msg, "张明"));
	assert_non_null(strstr(err.msg, "2026-11-27 10:00"));
	assert_int_equal(case_do(f->s, no, "assign", steps[2].kv, 1, 2, &err), KS_OK);
	free(no);
}

static void test_bad_fields_write_nothing(void **state)
{
	fixture *f = *state;
	t_as(f->s, "qiantai");
	static const struct { form_kv kv; const char *want; } t[] = {
		{ { "customer", "a\x1b[2Jb", 6 }, "「客户名称」" },
		{ { "customer", "a\xff", 2 }, "「客户名称」" },
		{ { "customer", "a\0b", 3 }, "「客户名称」" },
		{ { "nosuch", "x", 1 }, "nosuch" },
		{ { "channel", "fax", 3 }, "「渠道」" },
		{ { "ship_date", "2026-02-30", 10 }, "「交运日期」" },
		{ { "qty", "abc", 3 }, "「数量」" },
		{ { "qty", "-1", 2 }, "「数量」" },
		{ { "subject", "\xe2\x80\xae" "abc", 6 }, "「主题」" },
	};
	ks_err err;
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		form_kv kv[] = {
			{ "contact", "1", 1 }, { "channel", "phone", 5 }, { "region", "domestic", 8 },
			{ "category", "quality", 7 }, { "subject", "s", 1 }, { "detail", "d", 1 },
			{ "customer", "c", 1 }, t[i].kv,
		};
		/* the tested value replaces the good one with the same key */
		size_t n = 8;
		for (size_t k = 0; k < 7; k++)
			if (!strcmp(kv[k].key, t[i].kv.key)) {
				kv[k] = t[i].kv;
				n = 7;
			}
		char *no = NULL;
		ks_status rc = case_register(f->s, kv, n, &no, &err);
		if (rc != KS_INVALID || !strstr(err.msg, t[i].want))
			fail_msg("case %zu: rc %d msg %s", i, rc, err.msg);
		assert_null(no);
	}
	/* a missing required field */
	form_kv few[] = { { "customer", "c", 1 } };
	char *no = NULL;
	assert_int_equal(case_register(f->s, few, 1, &no, &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "「联系方式」"));
	store_case *v;
	size_t n;
	store_filter all = {0};
	assert_int_equal(store_case_list(f->s->st, &all, &v, &n, &err), KS_OK);
	assert_int_equal(n, 0);
	store_cases_free(v, n);
}

static void test_money_and_pending(void **state)
{
	fixture *f = *state;
	char *no = reg(f->s, "2026-11-27 09:00");
	free(no);
	t_as(f->s, "qiantai");
	form_kv kv[] = {
		{ "customer", "c", 1 }, { "contact", "1", 1 }, { "channel", "电话", 6 }, { "region", "foreign", 7 },
		{ "category", "quality", 7 }, { "subject", "s", 1 }, { "detail", "d", 1 },
		{ "defect_qty", "pending", 7 }, { "qty", "1200", 4 },
	};
	ks_err err;
	assert_int_equal(case_register(f->s, kv, 9, &no, &err), KS_OK);
	store_case c = {0};
	assert_int_equal(store_case_get(f->s->st, no, &c, &err), KS_OK);
	json_t *j = json_loads(c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "defect_qty")), "pending");
	assert_string_equal(json_string_value(json_object_get(j, "channel")), "phone");
	assert_int_equal(json_integer_value(json_object_get(j, "qty")), 1200);
	json_decref(j);
	store_case_clear(&c);
	free(no);
}

static void test_chain(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, "2026-11-27 09:00");
	char *b = reg(f->s, "2026-11-27 09:01");
	run(f->s, a, "accept", KS_OK);
	case_view va, vb;
	ks_err err;
	assert_int_equal(case_load(f->s, a, &va, &err), KS_OK);
	assert_int_equal(case_load(f->s, b, &vb, &err), KS_OK);
	assert_int_equal(va.nevents, 2);
	/* a's registration, then b's, then a's acceptance: each links to the one before */
	assert_string_equal(vb.events[0].prev_hash, va.events[0].hash);
	assert_string_equal(va.events[1].prev_hash, vb.events[0].hash);
	store_event e = va.events[1];
	char h[65];
	memcpy(h, e.hash, sizeof h);
	audit_hash_event(a, &e);
	assert_string_equal(e.hash, h);
	case_view_free(&va);
	case_view_free(&vb);
	free(a);
	free(b);
}

/* `when` alternatives: the conditions of one alternative must all hold;
 * any alternative will do; no conditions always hold. */
static void test_conds_alternatives(void **state)
{
	(void)state;
	char *a[] = {"a"}, *yes[] = {"yes"}, *dev[] = {"developer", "other"};
	conf_cond w[] = {
		{ .field = "kind", .values = a, .nvalues = 1, .alt = 0 },
		{ .field = "major", .values = yes, .nvalues = 1, .alt = 0 },
		{ .field = "category", .values = dev, .nvalues = 2, .alt = 1 },
	};
	json_t *f = json_pack("{s:s, s:s}", "kind", "a", "major", "no");
	assert_false(case_conds_hold(f, w, 3, 0));            /* alt 0 half holds, alt 1 not */
	assert_true(case_conds_hold(f, w, 0, 0));
	json_object_set_new(f, "major", json_string("yes"));
	assert_true(case_conds_hold(f, w, 3, 0));             /* alt 0 holds */
	assert_true(case_conds_hold(f, w, 2, 0));             /* a single map: AND */
	json_object_set_new(f, "kind", json_string("b"));
	assert_false(case_conds_hold(f, w, 2, 0));
	json_object_set_new(f, "category", json_string("other"));
	assert_true(case_conds_hold(f, w, 3, 0));             /* alt 1 holds */
	json_decref(f);
}

/* `when` operators. equals_field: both set and equal (an integer compares
 * by its decimal text). older_than / within a period counted from a date
 * field (民法典: the start day not counted, a last day on a rest day moved
 * to the next working day) against the case's registration time; an
 * absent or unparsable date satisfies neither. */
static void test_conds_ops(void **state)
{
	(void)state;
	ks_err e;
	assert_int_equal(clock_set_zone("Asia/Shanghai", &e), KS_OK);
	calendar *cal = calendar_new("t");
	assert_int_equal(calendar_add_year(cal, 2026, &e), KS_OK);
	assert_int_equal(calendar_add_holiday(cal, (calendar_date){2026, 10, 1}, (calendar_date){2026, 10, 7},
	                                      "国庆节", &e), KS_OK);
	conf_cond same = { .field = "reply", .op = COND_SAME_FIELD, .other = "channel" };
	json_t *f = json_pack("{s:s, s:s, s:i, s:i}", "reply", "phone", "channel", "phone", "n", 3, "m", 3);
	assert_true(case_conds_hold(f, &same, 1, 0));
	json_object_set_new(f, "reply", json_string("written"));
	assert_false(case_conds_hold(f, &same, 1, 0));
	json_object_del(f, "reply");
	assert_false(case_conds_hold(f, &same, 1, 0));            /* absent: never equal */
	json_object_del(f, "channel");
	assert_false(case_conds_hold(f, &same, 1, 0));            /* both absent: not equal either */
	conf_cond nums = { .field = "n", .op = COND_SAME_FIELD, .other = "m" };
	assert_true(case_conds_hold(f, &nums, 1, 0));

	/* one month from 2026-09-01: last day 10-01, a holiday → 10-08 */
	conf_cond old = { .field = "day", .op = COND_OLDER_THAN, .cal = cal,
	                  .age = { .unit = CALENDAR_MONTHS, .n = 1 } };
	conf_cond in = old;
	in.op = COND_WITHIN;
	json_object_set_new(f, "day", json_string("2026-09-01"));
	time_t last = clock_make(2026, 10, 8, 23, 59), after = clock_make(2026, 10, 9, 0, 0);
	assert_false(case_conds_hold(f, &old, 1, last));
	assert_true(case_conds_hold(f, &in, 1, last));
	assert_true(case_conds_hold(f, &old, 1, after));
	assert_false(case_conds_hold(f, &in, 1, after));
	/* 35 and 25 days after a date in a quiet month */
	json_object_set_new(f, "day", json_string("2026-03-10"));
	assert_true(case_conds_hold(f, &old, 1, clock_make(2026, 4, 14, 10, 0)));
	assert_false(case_conds_hold(f, &old, 1, clock_make(2026, 4, 4, 10, 0)));
	assert_true(case_conds_hold(f, &in, 1, clock_make(2026, 4, 4, 10, 0)));
	/* a datetime value; days */
	conf_cond days = { .field = "day", .op = COND_OLDER_THAN, .cal = cal, .age = { .unit = CALENDAR_DAYS, .n = 3 } };
	json_object_set_new(f, "day", json_string("2026-03-10 18:00"));
	assert_false(case_conds_hold(f, &days, 1, clock_make(2026, 3, 13, 23, 0)));
	assert_true(case_conds_hold(f, &days, 1, clock_make(2026, 3, 14, 0, 0)));
	/* a year without data: the last day is not moved (2025 is not declared) */
	json_object_set_new(f, "day", json_string("2025-03-10"));
	assert_true(case_conds_hold(f, &old, 1, clock_make(2025, 4, 11, 0, 0)));
	assert_false(case_conds_hold(f, &old, 1, clock_make(2025, 4, 10, 23, 0)));
	/* absent or not a date: neither */
	json_object_set_new(f, "day", json_string("不详"));
	assert_false(case_conds_hold(f, &old, 1, after));
	assert_false(case_conds_hold(f, &in, 1, after));
	json_object_del(f, "day");
	assert_false(case_conds_hold(f, &old, 1, after));
	assert_false(case_conds_hold(f, &in, 1, after));
	/* in alternatives: {kind: business} or {day: within} */
	char *biz[] = {"business"};
	conf_cond w[] = { { .field = "kind", .values = biz, .nvalues = 1, .alt = 0 }, in };
	w[1].alt = 1;
	json_object_set_new(f, "kind", json_string("service"));
	json_object_set_new(f, "day", json_string("2026-03-10"));
	assert_false(case_conds_hold(f, w, 2, clock_make(2026, 4, 14, 10, 0)));
	assert_true(case_conds_hold(f, w, 2, clock_make(2026, 4, 4, 10, 0)));
	json_object_set_new(f, "kind", json_string("business"));
	assert_true(case_conds_hold(f, w, 2, clock_make(2026, 4, 14, 10, 0)));
	json_decref(f);
	calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conds_alternatives),
		cmocka_unit_test(test_conds_ops),
		cmocka_unit_test_setup_teardown(test_numbering, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_transitions, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_close_needs_acceptance, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_denied, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_conflict, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_bad_fields_write_nothing, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_money_and_pending, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_chain, t_setup_manufacturing, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
