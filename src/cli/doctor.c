/* doctor.c — `kesu doctor`: check the deployment of the data directory and
 * print one line per check, "✓ …" or "✗ … — 怎么办：…"; exit 0 only when
 * all is well. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/doctor.h"

int cmd_doctor(cli *c)
{
	if (c->argc > 0)
		return cli_fail(KS_INVALID, "用法：kesu doctor");
	if (c->now && !cli_trusted(c->data))
		return cli_fail(KS_DENIED, "--as 和 --now 只允许数据目录的所有者使用");
	doctor_opts o = { .now = c->now };
	/* the service account's ~ is $HOME when we are that account */
	struct stat sb;
	const char *home = getenv("HOME");
	if (home && *home && stat(c->data, &sb) == 0 && sb.st_uid == geteuid())
		o.home = home;
	/* the stock forms, where kesu init takes them from */
	bool source = false;
	char *share = cli_share_dir(&source);
	char *real = share ? realpath(share, NULL) : NULL; /* no "build/.." in the fix it prints */
	if (real) {
		free(share);
		share = real;
	}
	char *forms = share ? ks_asprintf("%s/forms", share) : NULL;
	char *presets = share ? ks_asprintf(source ? "%s/config/presets" : "%s/presets", share) : NULL;
	o.share_forms = forms;
	o.share_presets = presets;
	doctor_report r;
	ks_err err;
	ks_status rc = doctor_run(c->data, &o, &r, &err);
	free(share);
	free(forms);
	free(presets);
	if (rc)
		return cli_fail(rc, err.msg);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < DOCTOR__COUNT; i++) {
			const doctor_finding *f = &r.items[i];
			json_array_append_new(arr, json_pack("{s:s, s:b, s:s, s:s?}", "check", doctor_check_name(f->kind),
			                                     "ok", f->ok, "message", f->message, "fix", f->fix));
		}
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else {
		for (size_t i = 0; i < DOCTOR__COUNT; i++) {
			const doctor_finding *f = &r.items[i];
			fputs(f->ok ? "✓ " : "✗ ", stdout);
			cli_put(stdout, f->message);
			if (!f->ok && f->fix) {
				fputs(" — 怎么办：", stdout);
				cli_put(stdout, f->fix);
			}
			putchar('\n');
		}
	}
	bool ok = doctor_report_ok(&r);
	doctor_report_free(&r);
	return ok ? 0 : KS_FAIL;
}
