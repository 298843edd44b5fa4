/* testlib.c — the fixtures the unit tests share (testlib.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kesu/clock.h"
#include "kesu/store.h"
#include "testlib.h"

session *t_session(const char *dir)
{
	char *db = ks_asprintf("%s/kesu.db", dir);
	store *st;
	ks_err err;
	if (store_open(db, true, &st, &err))
		fail_msg("%s", err.msg);
	store_close(st);
	free(db);
	session *s;
	if (session_open(dir, &s, &err))
		fail_msg("%s", err.msg);
	return s;
}

t_fixture *t_fixture_new(const char *preset)
{
	t_fixture *f = ks_calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	t_config(f->dir, preset);
	f->s = t_session(f->dir);
	return f;
}

int t_setup_manufacturing(void **state)
{
	*state = t_fixture_new("manufacturing");
	return 0;
}

void t_done(char *dir, session *s)
{
	if (s)
		session_close(s);
	t_rmdir(dir);
	clock_set_now((time_t)-1);
}

int t_teardown(void **state)
{
	t_fixture *f = *state;
	t_done(f->dir, f->s);
	free(f);
	return 0;
}

void t_as(session *s, const char *login)
{
	ks_err err;
	if (session_login(s, login, &err))
		fail_msg("%s", err.msg);
}

char *t_register(session *s, const char *who, const form_kv *kv, size_t n)
{
	if (who)
		t_as(s, who);
	char *no = NULL;
	ks_err err;
	if (case_register(s, kv, n, &no, &err))
		fail_msg("%s", err.msg);
	return no;
}

time_t t_time(const char *when)
{
	time_t t;
	if (!clock_parse(when, &t))
		fail_msg("bad time %s", when);
	return t;
}

bool t_act_any(session *s, const char *no, const char *action, const char *const *who, const form_kv *kv,
               size_t n)
{
	for (size_t i = 0; who[i]; i++) {
		t_as(s, who[i]);
		ks_err err = { "" };
		if (case_do(s, no, action, kv, n, -1, &err) == KS_OK)
			return true;
	}
	return false;
}

const char *const T_COORD[] = { "guanli", NULL };
const char *const T_REG[] = { "qiantai", NULL };
const char *const T_INVEST[] = { "zhijian", "zhiguan", "shengchan", NULL };
const char *const T_APPROVERS[] = { "yewujingli", "fuzong", "zongjingli", NULL };
const char *const T_GM[] = { "zongjingli", NULL };
const char *const T_REOPEN[] = { "guanli", "qiantai", NULL };

void t_narrow_sight(const char *dir)
{
	char *cmd = ks_asprintf("cd '%s/config' && sed -i '/sees: all/d' staff.yaml && "
	                        "sed -i 's/^  - code: coordinator$/  - code: coordinator\\n    sees: all/; "
	                        "s/^  - code: gm$/  - code: gm\\n    sees: all/; "
	                        "s/^  - code: dept_head$/  - code: dept_head\\n    sees: department/' staff.yaml",
	                        dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
}

void t_small_config(const char *dir, const char *depts, const char *staff, const char *workflow,
                    const char *routing, const char *form)
{
	char *cmd = ks_asprintf("mkdir -p '%s/forms' && cp '%s/config/calendars/cn.yaml' '%s/calendar.yaml'", dir,
	                        t_src(), dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	t_write(dir, "preset.yaml", "name: t\ndescription: 测试\n");
	t_write(dir, "departments.yaml", depts);
	t_write(dir, "staff.yaml", staff);
	t_write(dir, "workflow.yaml", workflow);
	t_write(dir, "routing.yaml", routing);
	t_write(dir, "forms/f1.yaml", form);
}

void t_want_diags(const conf_diags *d, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < d->n && !found; k++)
			found = strncmp(d->msgs[k], want[i], strlen(want[i])) == 0;
		if (!found) {
			for (size_t k = 0; k < d->n; k++)
				fprintf(stderr, "  %s\n", d->msgs[k]);
			fail_msg("missing diagnostic %s", want[i]);
		}
	}
}

bool t_has_diag(const conf_diags *d, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->msgs[i], want))
			return true;
	return false;
}

void t_refuses(const char *dir, const char *want, size_t i)
{
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	if (rc != KS_INVALID || !t_has_diag(&d, want)) {
		fprintf(stderr, "case %zu: want\n  %s\ngot:\n", i, want);
		for (size_t k = 0; k < d.n; k++)
			fprintf(stderr, "  %s\n", d.msgs[k]);
		fail();
	}
	assert_null(c);
	conf_diags_free(&d);
}

void t_bad_configs(char *(*make)(void), const t_bad *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *dir = make();
		t_write(dir, cases[i].file, cases[i].text);
		t_refuses(dir, cases[i].want, i);
		t_rmdir(dir);
	}
}
