/* actions.c — `kesu actions CASE`: what the current person may do now. */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"

int cmd_actions(cli *c)
{
	if (c->argc != 1)
		return cli_fail(KS_INVALID, "用法：kesu actions CASE");
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	const conf_action **v = NULL;
	size_t n = 0;
	ks_status st = case_actions(s, c->argv[0], &v, &n, &err);
	if (st) {
		rc = cli_fail(st, err.msg);
	} else if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_pack("{s:s, s:s}", "action", v[i]->code, "label", v[i]->label);
			const conf_form *f = v[i]->form ? conf_find_form(s->cf, v[i]->form) : NULL;
			json_t *fields = json_array();
			for (size_t k = 0; f && k < f->nfields; k++) {
				json_t *fo = json_pack("{s:s, s:s, s:s, s:b}", "key", f->fields[k].key, "label",
				                       f->fields[k].label, "type", field_type_name(f->fields[k].type),
				                       "required", f->fields[k].required);
				if (f->fields[k].dflt)   /* may be left empty: the engine fills it */
					json_object_set_new(fo, "default", json_true());
				json_array_append_new(fields, fo);
			}
			json_object_set_new(o, "fields", fields);
			json_array_append_new(arr, o);
		}
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else {
		if (n == 0)
			printf("（%s 现在对此案件没有可执行的动作）\n", s->me->name);
		for (size_t i = 0; i < n; i++) {
			printf("%-10s %s", v[i]->code, v[i]->label);
			const conf_form *f = v[i]->form ? conf_find_form(s->cf, v[i]->form) : NULL;
			for (size_t k = 0; f && k < f->nfields; k++)
				printf("%s%s%s", k ? " " : "  字段：", f->fields[k].key, f->fields[k].required ? "*" : "");
			putchar('\n');
		}
	}
	free(v);
	session_close(s);
	return rc;
}
