/* check_config.c — `kesu check-config`: every configuration error, one a line. */
#include <stdio.h>
#include <stdlib.h>
#include "kesu/cli.h"
#include "kesu/conf.h"

int cmd_check_config(cli *c)
{
	if (c->argc > 0)
		return cli_fail(KS_INVALID, "用法：kesu check-config");
	char *dir = ks_asprintf("%s/config", c->data);
	conf *cf = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &cf, &d);
	for (size_t i = 0; i < d.n; i++) {
		cli_put(stdout, d.msgs[i]);
		putchar('\n');
	}
	if (!rc)
		printf("配置无误：%zu 个部门、%zu 名员工、%zu 个状态、%zu 个动作、%zu 张表单\n", cf->ndepts,
		       cf->nstaff, cf->nstates, cf->nactions, cf->nforms);
	conf_diags_free(&d);
	conf_free(cf);
	free(dir);
	return rc ? KS_INVALID : 0;
}
