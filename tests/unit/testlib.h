/* testlib.h — helpers shared by the unit tests (test code only): the inline
 * ones below, and the fixtures of testlib.c, which every unit test links. */
#ifndef KESU_TESTLIB_H
#define KESU_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>
#include "kesu/err.h"
#include "kesu/session.h"
#include "kesu/case.h"

/* The source tree: $KESU_SRC or the current directory. */
static inline const char *t_src(void)
{
	const char *s = getenv("KESU_SRC");
	return s && *s ? s : ".";
}

/* A new temporary directory (caller frees the string; t_rmdir removes it). */
static inline char *t_tmpdir(void)
{
	char *p = ks_strdup("/tmp/kesu-test-XXXXXX");
	if (!mkdtemp(p))
		abort();
	return p;
}

static inline void t_rmdir(char *p)
{
	char *cmd = ks_asprintf("rm -rf '%s'", p);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", p);
	free(cmd);
	free(p);
}

/* Fill dir/config with the preset's files, the shared forms and the calendar,
 * as `kesu init` does. */
static inline void t_config(const char *dir, const char *preset)
{
	const char *src = t_src();
	/* as kesu init: the shared forms, then the preset's own over them */
	char *cmd = ks_asprintf("mkdir -p '%s/config/forms' && cp '%s'/config/presets/%s/*.yaml '%s/config/' && "
	                        "cp '%s'/forms/*.yaml '%s/config/forms/' && "
	                        "{ [ ! -d '%s/config/presets/%s/forms' ] || cp '%s'/config/presets/%s/forms/*.yaml '%s/config/forms/'; } && "
	                        "{ [ -e '%s/config/calendar.yaml' ] || cp '%s/config/calendars/cn.yaml' '%s/config/calendar.yaml'; }",
	                        dir, src, preset, dir, src, dir, src, preset, src, preset, dir, dir, src, dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
}

/* Write text to dir/name. */
static inline void t_write(const char *dir, const char *name, const char *text)
{
	char *p = ks_asprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	free(p);
}

/* ---- fixtures (testlib.c); each fails the test with the error's message ---- */

/* A data directory and a session on it. */
typedef struct t_fixture {
	char *dir;
	session *s;
} t_fixture;

/* Create dir/kesu.db (dir/config must be there) and open a session on dir. */
session *t_session(const char *dir);
/* A new temporary directory with the preset's configuration, a database and a session. */
t_fixture *t_fixture_new(const char *preset);
/* cmocka setup: *state = t_fixture_new("manufacturing"). */
int t_setup_manufacturing(void **state);
/* cmocka teardown of a t_fixture: t_done, then free it. */
int t_teardown(void **state);
/* Close s (if any), remove dir (freed) and put the clock back to the real time. */
void t_done(char *dir, session *s);

/* Log s in as login. */
void t_as(session *s, const char *login);
/* Register a case with fields kv[0..n) as who (NULL: whoever is logged in);
 * its number (caller frees). */
char *t_register(session *s, const char *who, const form_kv *kv, size_t n);
/* "YYYY-MM-DD HH:MM" as a time. */
time_t t_time(const char *when);

/* A small configuration written into dir (made if need be): preset.yaml
 * "name: t", the given departments.yaml, staff.yaml, workflow.yaml,
 * routing.yaml and forms/f1.yaml, and the cn calendar as calendar.yaml. */
void t_small_config(const char *dir, const char *depts, const char *staff, const char *workflow,
                    const char *routing, const char *form);

/* Is want, exactly, one of d's messages? */
bool t_has_diag(const conf_diags *d, const char *want);

/* conf_load(dir) refuses it, with want (exactly) among the diagnostics;
 * when it does not, the test fails naming case i and what was said. */
void t_refuses(const char *dir, const char *want, size_t i);

/* A configuration that must be refused: file written with text over a good
 * one, and want (exactly) among the diagnostics. */
typedef struct t_bad {
	const char *file, *text;
	const char *want;
} t_bad;
/* Each of cases[0..n) over a new configuration from make() (a directory,
 * removed after): conf_load refuses it with the case's message. */
void t_bad_configs(char *(*make)(void), const t_bad *cases, size_t n);

/* Fail unless each of want[0..n) begins some message of d (all of d is
 * printed to stderr then). */
void t_want_diags(const conf_diags *d, const char *const *want, size_t n);

/* Try action on case no as each login of who (NULL-ended) in turn until one
 * may; false if none. */
bool t_act_any(session *s, const char *no, const char *action, const char *const *who, const form_kv *kv,
               size_t n);
/* The manufacturing preset's people by duty, for t_act_any. */
extern const char *const T_COORD[], *const T_REG[], *const T_INVEST[], *const T_APPROVERS[], *const T_GM[],
	*const T_REOPEN[];
/* Narrow sight in dir/config/staff.yaml: coordinators and the GM see all,
 * heads their department, everyone else only what they are involved in. */
void t_narrow_sight(const char *dir);

#endif
