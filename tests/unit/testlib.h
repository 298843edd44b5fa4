/* testlib.h — helpers shared by the unit tests (header-only, test code only). */
#ifndef KESU_TESTLIB_H
#define KESU_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kesu/err.h"

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

#endif
