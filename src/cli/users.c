/* users.c — `kesu users`: the staff of the configuration. */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/text.h"

int cmd_users(cli *c)
{
	session *s;
	int rc = cli_open(c, &s, false);
	if (rc)
		return rc;
	const conf *cf = s->cf;
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < cf->nstaff; i++) {
		const conf_staff *p = &cf->staff[i];
		json_t *roles = json_array();
		char *rn = ks_strdup("");
		for (size_t k = 0; k < p->nroles; k++) {
			json_array_append_new(roles, json_string(p->roles[k]));
			const conf_role *r = conf_find_role(cf, p->roles[k]);
			char *t = ks_asprintf("%s%s%s", rn, k ? "、" : "", r ? r->name : p->roles[k]);
			free(rn);
			rn = t;
		}
		if (arr) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:b}", "login", p->login, "name", p->name,
			                      "dept", p->dept, "roles", roles, "active", p->active);
			if (p->approval_limit_fen != CONF_NO_LIMIT)
				json_object_set_new(o, "approval_limit_fen", json_integer(p->approval_limit_fen));
			json_array_append_new(arr, o);
		} else {
			json_decref(roles);
			char *v[3] = { text_visible(p->login, false), text_visible(p->name, false),
			               text_visible(case_dept_name(s, p->dept), false) };
			char *f0 = text_fit(v[0], 12), *f1 = text_fit(v[1], 10), *f2 = text_fit(v[2], 20);
			printf("%s %s %s ", f0, f1, f2);
			cli_put(stdout, rn);
			printf("%s\n", p->active ? "" : "（已停用）");
			for (int k = 0; k < 3; k++)
				free(v[k]);
			free(f0); free(f1); free(f2);
		}
		free(rn);
	}
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	session_close(s);
	return 0;
}
