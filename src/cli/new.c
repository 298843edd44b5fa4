/* new.c — `kesu new KEY=VALUE...`: register a complaint. */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"

int cmd_new(cli *c)
{
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	form_kv *kv = NULL;
	size_t n = 0;
	char *no = NULL;
	ks_status st = form_kvs_parse(c->argv, c->argc, &kv, &n, &err);
	if (!st)
		st = case_register(s, kv, n, &no, &err);
	if (st) {
		rc = cli_fail(st, err.msg);
	} else if (c->json) {
		json_t *o = json_pack("{s:s}", "case", no);
		cli_json(o, stdout, 0);
		putchar('\n');
		json_decref(o);
	} else {
		printf("%s\n", no);
	}
	free(no);
	form_kvs_free(kv, n);
	session_close(s);
	return rc;
}
