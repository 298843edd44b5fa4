/* rptconf.c — load forms/monthly_report.yaml, the layout of the 月报表
 * (rptconf.h). read_forms() in conf.c leaves this file to us. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/conf.h"
#include "kesu/rptconf.h"
#include "kesu/yaml.h"
#include "loader.h"

#define RPT_FILE "forms/monthly_report.yaml"

static const char *const counts[] = { "received", "accepted", "rejected", "closed", "open_at_end", "reopened",
                                      "overdue_at_end", NULL };

int rptconf_is_count(const char *figure)
{
	for (const char *const *p = counts; *p; p++)
		if (!strcmp(*p, figure))
			return 1;
	return 0;
}

/* Is figure a key the report computes under this configuration? */
static bool figure_ok(const conf *c, const char *f)
{
	if (rptconf_is_count(f) || !strcmp(f, "by_dept") || !strcmp(f, "by_fields") || !strcmp(f, "on_time") ||
	    !strcmp(f, "handling"))
		return true;
	if (strncmp(f, "by_", 3))
		return false;
	const conf_form *in = c->intake_form ? conf_find_form(c, c->intake_form) : NULL;
	const conf_field *fd = in ? conf_form_field(in, f + 3) : NULL;
	return fd && fd->type == FT_CHOICE;
}

static void read_root(yl *L, const conf *c, rptconf *r, const ynode *root)
{
	static const char *const top[] = { "form", NULL };
	static const char *const keys[] = { "code", "title", "sections", NULL };
	static const char *const skeys[] = { "figure", "label", NULL };
	if (root->kind != YNODE_MAP) {
		yl_diag(L, root, "文件内容应为映射");
		return;
	}
	yl_check_keys_short(L, root, top);
	const ynode *m = ynode_get(root, "form");
	if (!m || m->kind != YNODE_MAP) {
		yl_diag(L, m ? m : root, m ? "form 应为映射" : "缺少必需的键 form");
		return;
	}
	yl_check_keys_short(L, m, keys);
	const char *code = yl_text(L, m, "code", true);
	if (code && strcmp(code, "monthly_report"))
		yl_diag(L, ynode_get(m, "code"), "本文件的 code 应为 monthly_report，实际是 %s", code);
	const char *title = yl_text(L, m, "title", true);
	r->title = title ? ks_strdup(title) : NULL;
	const ynode *s = ynode_get(m, "sections");
	if (!s) {
		yl_diag(L, m, "缺少必需的键 sections");
		return;
	}
	if (s->kind != YNODE_SEQ || !s->n) {
		yl_diag(L, s, "sections 应为非空列表");
		return;
	}
	r->sections = ks_calloc(s->n, sizeof *r->sections);
	for (size_t i = 0; i < s->n; i++) {
		const ynode *it = s->items[i];
		if (it->kind != YNODE_MAP) {
			yl_diag(L, it, "sections 的每一项应为映射 {figure, label}");
			continue;
		}
		yl_check_keys_short(L, it, skeys);
		const char *fig = yl_text(L, it, "figure", true);
		if (!fig)
			continue;
		if (!figure_ok(c, fig)) {
			yl_diag(L, ynode_get(it, "figure"),
			     "未知的统计项 %s（可用：received、accepted、rejected、closed、open_at_end、reopened、"
			     "overdue_at_end、by_dept、by_字段（受理表单的选择字段）、by_fields、on_time、handling）", fig);
			continue;
		}
		for (size_t k = 0; k < r->nsections; k++)
			if (!strcmp(r->sections[k].figure, fig))
				yl_diag(L, ynode_get(it, "figure"), "统计项 %s 重复", fig);
		const char *label = yl_text(L, it, "label", strcmp(fig, "by_fields") != 0);
		if (!label && strcmp(fig, "by_fields"))
			continue;
		rptconf_section *sec = &r->sections[r->nsections++];
		sec->figure = ks_strdup(fig);
		sec->label = label ? ks_strdup(label) : NULL;
	}
}

void conf_load_report(conf *c, conf_diags *d)
{
	yl L = { .d = d, .file = RPT_FILE };
	ynode *root = yl_load_optional(&L, c->dir);
	if (root) {
		rptconf *r = ks_calloc(1, sizeof *r);
		read_root(&L, c, r, root);
		if (L.bad)
			rptconf_free(r);
		else
			c->report = r;
	}
	ynode_free(root);
}

void rptconf_free(rptconf *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsections; i++) {
		free(r->sections[i].figure);
		free(r->sections[i].label);
	}
	free(r->sections);
	free(r->title);
	free(r);
}
