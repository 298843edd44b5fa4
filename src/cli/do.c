/* do.c — `kesu do CASE ACTION [KEY=VALUE...] [--version N]`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/text.h"

int cmd_do(cli *c)
{
	int version = -1;
	char **args = ks_calloc((size_t)c->argc + 1, sizeof *args);
	int nargs = 0;
	for (int i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--version")) {
			char *end;
			errno = 0;
			long v = i + 1 < c->argc ? strtol(c->argv[i + 1], &end, 10) : -1;
			if (i + 1 >= c->argc || errno || *end || v < 1 || v > 1000000000) {
				free(args);
				return cli_fail(KS_INVALID, "--version 需要一个正整数（案件的版本号）");
			}
			version = (int)v;
			i++;
		} else {
			args[nargs++] = c->argv[i];
		}
	}
	if (nargs < 2) {
		free(args);
		return cli_fail(KS_INVALID, "用法：kesu do CASE ACTION [KEY=VALUE...] [--version N]");
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc) {
		free(args);
		return rc;
	}
	ks_err err;
	form_kv *kv = NULL;
	size_t n = 0;
	char *note = NULL;
	ks_status st = form_kvs_parse(args + 2, nargs - 2, &kv, &n, &err);
	if (!st)
		st = case_do_note(s, args[0], args[1], kv, n, version, &note, &err);
	if (st) {
		rc = cli_fail(st, err.msg);
	} else {
		store_case k = {0};
		if (store_case_get(s->st, args[0], &k, &err) == KS_OK) {
			if (c->json) {
				json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "case", k.no, "state", k.state,
				                      "state_label", case_state_label(s, k.state), "version", k.version);
				if (note)
					json_object_set_new(o, "note", json_string(note));
				cli_json(o, stdout, 0);
				putchar('\n');
				json_decref(o);
			} else {
				printf("%s：%s → %s（第 %d 版）\n", k.no, case_action_label(s, args[1]),
				       case_state_label(s, k.state), k.version);
				if (note) {
					char *t = text_visible(note, false);
					printf("  %s\n", t);
					free(t);
				}
			}
		}
		store_case_clear(&k);
	}
	free(note);
	form_kvs_free(kv, n);
	session_close(s);
	free(args);
	return rc;
}
