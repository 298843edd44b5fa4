/* test_rights.c — who sees which case: involved-only sight, department
 * sight, all, and recusal of the person complained about (P13). Uses the
 * manufacturing preset with its roles' `sees` narrowed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/casesearch.h"
#include "testlib.h"
#include <string.h>
#include "../../src/store/private.h"   /* the connection, to store fields as another writer would */

typedef t_fixture fixture;

static int setup(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	t_config(f->dir, "manufacturing");
	t_narrow_sight(f->dir);
	f->s = t_session(f->dir);
	assert_int_equal(conf_staff_sight(f->s->cf, conf_find_staff(f->s->cf, "zhijian")), SIGHT_INVOLVED);
	assert_int_equal(conf_staff_sight(f->s->cf, conf_find_staff(f->s->cf, "zhiguan")), SIGHT_DEPT);
	assert_int_equal(conf_staff_sight(f->s->cf, conf_find_staff(f->s->cf, "guanli")), SIGHT_ALL);
	time_t t;
	assert_true(clock_parse("2026-11-27 09:00", &t));
	clock_set_now(t);
	*state = f;
	return 0;
}

static char *reg(session *s, const char *accused)
{
	form_kv kv[] = {
		{ "customer", "c", 1 }, { "contact", "1", 1 }, { "channel", "phone", 5 },
		{ "region", "domestic", 8 }, { "category", "quality", 7 }, { "subject", "s", 1 },
		{ "detail", "d", 1 }, { "accused", accused, strlen(accused) },
	};
	return t_register(s, "qiantai", kv, 8);
}

/* KS_OK if login can load the case, else the status. */
static ks_status sees(session *s, const char *login, const char *no)
{
	t_as(s, login);
	case_view v;
	ks_err err;
	ks_status rc = case_load(s, no, &v, &err);
	if (!rc)
		case_view_free(&v);
	else
		assert_non_null(strstr(err.msg, "找不到案件"));
	return rc;
}

static void doit(session *s, const char *login, const char *no, const char *action, const form_kv *kv,
                 size_t n, ks_status want)
{
	t_as(s, login);
	ks_err err = { "" };
	ks_status rc = case_do(s, no, action, kv, n, -1, &err);
	if (rc != want)
		fail_msg("%s %s by %s: want %d got %d (%s)", no, action, login, want, rc, err.msg);
}

static size_t listed(session *s, const char *login)
{
	t_as(s, login);
	store_filter f = {0};
	store_case *v;
	size_t n;
	ks_err err;
	assert_int_equal(case_list(s, &f, &v, &n, &err), KS_OK);
	store_cases_free(v, n);
	return n;
}

static size_t found(session *s, const char *login, const char *query)
{
	t_as(s, login);
	search_hit *v;
	size_t n;
	ks_err err;
	assert_int_equal(search_cases(s, query, 20, &v, &n, &err), KS_OK);
	search_hits_free(v, n);
	return n;
}

static const form_kv REPORT[] = {
	{ "cause", "x", 1 }, { "process", "x", 1 }, { "responsible", "x", 1 }, { "conclusion", "x", 1 },
	{ "countermeasure", "x", 1 }, { "prevention", "x", 1 }, { "loss", "100", 3 },
};

static void test_sight(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "shengchan");
	const form_kv to_quality[] = { { "dept", "quality", 7 } };
	/* intake: registrant and coordinator see it; an uninvolved investigator,
	 * another department's head and an approver do not */
	assert_int_equal(sees(s, "qiantai", no), KS_OK);
	assert_int_equal(sees(s, "guanli", no), KS_OK);
	assert_int_equal(sees(s, "zongjingli", no), KS_OK);
	assert_int_equal(sees(s, "zhijian", no), KS_NOTFOUND);
	assert_int_equal(sees(s, "zhiguan", no), KS_NOTFOUND);
	assert_int_equal(sees(s, "yewujingli", no), KS_NOTFOUND);
	assert_int_equal(found(s, "zhijian", no), 0);
	assert_int_equal(found(s, "guanli", no), 1);
	/* an invisible case answers "not found" to an action too, and nothing changes */
	doit(s, "zhijian", no, "accept", NULL, 0, KS_NOTFOUND);
	doit(s, "guanli", no, "accept", NULL, 0, KS_OK);
	doit(s, "guanli", no, "assign", to_quality, 1, KS_OK);
	/* in quality's hands: its investigator may act, its head sees the department */
	assert_int_equal(sees(s, "zhijian", no), KS_OK);
	assert_int_equal(sees(s, "zhiguan", no), KS_OK);
	assert_int_equal(sees(s, "yewujingli", no), KS_NOTFOUND);
	doit(s, "zhijian", no, "report", REPORT, 7, KS_OK);
	/* in review: the approver may act now, so sees it */
	assert_int_equal(sees(s, "yewujingli", no), KS_OK);
	/* having acted, the investigator still sees it */
	assert_int_equal(sees(s, "zhijian", no), KS_OK);
	/* the person complained about never sees or acts on it */
	assert_int_equal(sees(s, "shengchan", no), KS_NOTFOUND);
	assert_int_equal(listed(s, "zhijian"), 1);
	assert_int_equal(listed(s, "shengchan"), 0);
	/* search shows only what the searcher may see */
	assert_int_equal(found(s, "zhijian", no), 1);
	assert_int_equal(found(s, "shengchan", no), 0);
	assert_int_equal(listed(s, "guanli"), 1);
	free(no);
}

static void test_recusal_beats_role(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	/* the GM sees every case, but not one that complains about the GM */
	char *no = reg(s, "zongjingli");
	char *other = reg(s, "shengchan");
	assert_int_equal(sees(s, "zongjingli", no), KS_NOTFOUND);
	assert_int_equal(sees(s, "zongjingli", other), KS_OK);
	assert_int_equal(listed(s, "zongjingli"), 1);
	/* the coordinator complained about cannot accept their own case */
	char *own = reg(s, "guanli");
	doit(s, "guanli", own, "accept", NULL, 0, KS_NOTFOUND);
	assert_int_equal(listed(s, "guanli"), 2);
	/* actions lists nothing and says not found */
	t_as(s, "guanli");
	const conf_action **v;
	size_t n;
	ks_err err;
	assert_int_equal(case_actions(s, own, &v, &n, &err), KS_NOTFOUND);
	free(no);
	free(other);
	free(own);
}

/* case_visible skips parsing a case's fields when the login is not in their
 * text; recusal must still hold when the stored JSON spells the login with
 * escapes (valid JSON another writer may produce), and when the login is
 * in the text but not as the recused field. */
static void test_recusal_escaped(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "zongjingli");
	char *q = ks_asprintf("UPDATE cases SET fields = replace(fields, '\"zongjingli\"', '\"\\u007aongjingli\"') "
	                      "WHERE no = '%s'", no);
	assert_int_equal(sqlite3_exec(s->st->db, q, NULL, NULL, NULL), SQLITE_OK);
	free(q);
	assert_int_equal(sqlite3_changes(s->st->db), 1);
	assert_int_equal(sees(s, "zongjingli", no), KS_NOTFOUND);
	assert_int_equal(listed(s, "zongjingli"), 0);
	assert_int_equal(found(s, "zongjingli", no), 0);
	assert_int_equal(sees(s, "guanli", no), KS_OK);
	/* the login in another field only: visible */
	form_kv kv[] = {
		{ "customer", "zongjingli", 10 }, { "contact", "1", 1 }, { "channel", "phone", 5 },
		{ "region", "domestic", 8 }, { "category", "quality", 7 }, { "subject", "s", 1 },
		{ "detail", "d", 1 }, { "accused", "shengchan", 9 },
	};
	t_as(s, "qiantai");
	char *other = NULL;
	ks_err err;
	assert_int_equal(case_register(s, kv, 8, &other, &err), KS_OK);
	assert_int_equal(sees(s, "zongjingli", other), KS_OK);
	free(other);
	free(no);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sight, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_recusal_beats_role, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_recusal_escaped, setup, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
