/* rptconf.c — load forms/monthly_report.yaml, the layout of the 月报表
 * (rptconf.h). read_forms() in conf.c leaves this file to us. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kesu/conf.h"
#include "kesu/rptconf.h"
#include "kesu/yaml.h"

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

typedef struct rl {
	conf_diags *d;
	bool bad;
} rl;

__attribute__((format(printf, 3, 4)))
static void diag(rl *L, const ynode *at, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	L->d->msgs = ks_realloc(L->d->msgs, (L->d->n + 1) * sizeof *L->d->msgs);
	L->d->msgs[L->d->n++] = ks_asprintf("%s:%d:%d: %s", RPT_FILE, at ? at->line : 1, at ? at->col : 1, buf);
	L->bad = true;
}

static void check_keys(rl *L, const ynode *m, const char *const *allowed)
{
	for (size_t i = 0; i < m->n; i++) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, m->keys[i]->str);
		if (!ok)
			diag(L, m->keys[i], "未知的键 %s", m->keys[i]->str);
	}
}

/* The text under key, or NULL (reported when required). */
static const char *text(rl *L, const ynode *m, const char *key, bool required)
{
	const ynode *v = ynode_get(m, key);
	if (!v) {
		if (required)
			diag(L, m, "缺少必需的键 %s", key);
		return NULL;
	}
	if (v->kind != YNODE_SCALAR || !*v->str) {
		diag(L, v, "%s 应为非空文本", key);
		return NULL;
	}
	return v->str;
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

static void read_root(rl *L, const conf *c, rptconf *r, const ynode *root)
{
	static const char *const top[] = { "form", NULL };
	static const char *const keys[] = { "code", "title", "sections", NULL };
	static const char *const skeys[] = { "figure", "label", NULL };
	if (root->kind != YNODE_MAP) {
		diag(L, root, "文件内容应为映射");
		return;
	}
	check_keys(L, root, top);
	const ynode *m = ynode_get(root, "form");
	if (!m || m->kind != YNODE_MAP) {
		diag(L, m ? m : root, m ? "form 应为映射" : "缺少必需的键 form");
		return;
	}
	check_keys(L, m, keys);
	const char *code = text(L, m, "code", true);
	if (code && strcmp(code, "monthly_report"))
		diag(L, ynode_get(m, "code"), "本文件的 code 应为 monthly_report，实际是 %s", code);
	const char *title = text(L, m, "title", true);
	r->title = title ? ks_strdup(title) : NULL;
	const ynode *s = ynode_get(m, "sections");
	if (!s) {
		diag(L, m, "缺少必需的键 sections");
		return;
	}
	if (s->kind != YNODE_SEQ || !s->n) {
		diag(L, s, "sections 应为非空列表");
		return;
	}
	r->sections = ks_calloc(s->n, sizeof *r->sections);
	for (size_t i = 0; i < s->n; i++) {
		const ynode *it = s->items[i];
		if (it->kind != YNODE_MAP) {
			diag(L, it, "sections 的每一项应为映射 {figure, label}");
			continue;
		}
		check_keys(L, it, skeys);
		const char *fig = text(L, it, "figure", true);
		if (!fig)
			continue;
		if (!figure_ok(c, fig)) {
			diag(L, ynode_get(it, "figure"),
			     "未知的统计项 %s（可用：received、accepted、rejected、closed、open_at_end、reopened、"
			     "overdue_at_end、by_dept、by_字段（受理表单的选择字段）、by_fields、on_time、handling）", fig);
			continue;
		}
		for (size_t k = 0; k < r->nsections; k++)
			if (!strcmp(r->sections[k].figure, fig))
				diag(L, ynode_get(it, "figure"), "统计项 %s 重复", fig);
		const char *label = text(L, it, "label", strcmp(fig, "by_fields") != 0);
		if (!label && strcmp(fig, "by_fields"))
			continue;
		rptconf_section *sec = &r->sections[r->nsections++];
		sec->figure = ks_strdup(fig);
		sec->label = label ? ks_strdup(label) : NULL;
	}
}

void conf_load_report(conf *c, conf_diags *d)
{
	char *path = ks_asprintf("%s/%s", c->dir, RPT_FILE);
	struct stat sb;
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		free(path);
		return;
	}
	rl L = { .d = d };
	ynode *root = NULL;
	ks_err e;
	if (ynode_load(path, &root, &e) != KS_OK) {
		d->msgs = ks_realloc(d->msgs, (d->n + 1) * sizeof *d->msgs);
		d->msgs[d->n++] = ks_asprintf("%s:%s", RPT_FILE, e.msg);
	} else if (root) {
		rptconf *r = ks_calloc(1, sizeof *r);
		read_root(&L, c, r, root);
		if (L.bad)
			rptconf_free(r);
		else
			c->report = r;
	}
	ynode_free(root);
	free(path);
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
