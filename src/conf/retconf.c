/* retconf.c — load retention.yaml, the retention of closed cases
 * (archive.h). Every problem is one "retention.yaml:LINE:COL: 说明". */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/archive.h"
#include "kesu/conf.h"
#include "kesu/yaml.h"
#include "loader.h"

#define RET_FILE "retention.yaml"

/* {years: N, months: M} or forever: *months, or *forever. */
static void read_span(yl *L, const ynode *v, const char *what, int *months, bool *forever)
{
	static const char *const keys[] = { "years", "months", NULL };
	*months = 0;
	*forever = false;
	if (v->kind == YNODE_SCALAR && !strcmp(v->str, "forever")) {
		*forever = true;
		return;
	}
	if (v->kind != YNODE_MAP) {
		yl_diag(L, v, "%s 应为 {years: N}、{months: N} 或 forever", what);
		return;
	}
	yl_check_keys_short(L, v, keys);
	int y = 0, m = 0;
	const ynode *a = ynode_get(v, "years"), *b = ynode_get(v, "months");
	if (!a && !b)
		yl_diag(L, v, "%s 应给出 years 或 months", what);
	if (a)
		yl_int(L, a, "years", 0, 200, &y);
	if (b)
		yl_int(L, b, "months", 0, 2400, &m);
	*months = y * 12 + m;
	if ((a || b) && *months == 0)
		yl_diag(L, v, "%s 不能为零", what);
}

static char **read_list(yl *L, const ynode *v, const char *what, size_t *n)
{
	*n = 0;
	if (v->kind != YNODE_SEQ) {
		yl_diag(L, v, "%s 应为列表", what);
		return NULL;
	}
	char **r = ks_calloc(v->n ? v->n : 1, sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YNODE_SCALAR || !*v->items[i]->str) {
			yl_diag(L, v->items[i], "%s 的每一项应为非空文本", what);
			continue;
		}
		r[(*n)++] = ks_strdup(v->items[i]->str);
	}
	return r;
}

static const conf_field *any_field(const conf *c, const char *key)
{
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_field *f = conf_form_field(&c->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

static void read_root(yl *L, const conf *c, retconf *r, const ynode *root)
{
	static const char *const top[] = { "retention", NULL };
	static const char *const keys[] = { "keep", "from", "extend_when", "extend", "archive_year", "dispose",
		                            "keep_fields", NULL };
	static const char *const wkeys[] = { "field", "equals", NULL };
	if (root->kind != YNODE_MAP) {
		yl_diag(L, root, "文件内容应为映射");
		return;
	}
	yl_check_keys_short(L, root, top);
	const ynode *m = ynode_get(root, "retention");
	if (!m || m->kind != YNODE_MAP) {
		yl_diag(L, m ? m : root, m ? "retention 应为映射" : "缺少必需的键 retention");
		return;
	}
	yl_check_keys_short(L, m, keys);
	const ynode *v = ynode_get(m, "keep");
	if (!v)
		yl_diag(L, m, "缺少必需的键 keep（{years: N}、{months: N} 或 forever）");
	else
		read_span(L, v, "keep", &r->keep_months, &r->forever);
	if ((v = ynode_get(m, "from"))) {
		if (v->kind == YNODE_SCALAR && !strcmp(v->str, "closed"))
			r->from = RETFROM_CLOSED;
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "registered"))
			r->from = RETFROM_REGISTERED;
		else
			yl_diag(L, v, "from 应为 closed（结案时）或 registered（登记时）");
	}
	if ((v = ynode_get(m, "archive_year"))) {
		if (v->kind == YNODE_SCALAR && !strcmp(v->str, "closed"))
			r->archive_year = RETFROM_CLOSED + 1;
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "registered"))
			r->archive_year = RETFROM_REGISTERED + 1;
		else
			yl_diag(L, v, "archive_year 应为 closed（结案年度）或 registered（登记年度）");
	}
	const ynode *w = ynode_get(m, "extend_when"), *e = ynode_get(m, "extend");
	if (!w != !e)
		yl_diag(L, w ? w : e, "extend_when 与 extend 须同时给出");
	if (w && e) {
		if (w->kind != YNODE_MAP) {
			yl_diag(L, w, "extend_when 应为映射 {field: 字段, equals: 值}");
		} else {
			yl_check_keys_short(L, w, wkeys);
			const ynode *f = ynode_get(w, "field"), *q = ynode_get(w, "equals");
			if (!f || f->kind != YNODE_SCALAR || !*f->str)
				yl_diag(L, f ? f : w, "extend_when.field 应为字段名");
			else if (!any_field(c, f->str))
				yl_diag(L, f, "未定义的字段 %s（forms/）", f->str);
			else
				r->extend_field = ks_strdup(f->str);
			if (!q)
				yl_diag(L, w, "缺少必需的键 equals");
			else if (q->kind == YNODE_SCALAR) {
				r->extend_values = ks_calloc(1, sizeof *r->extend_values);
				r->extend_values[0] = ks_strdup(q->str);
				r->nextend_values = 1;
			} else {
				r->extend_values = read_list(L, q, "equals", &r->nextend_values);
			}
		}
		read_span(L, e, "extend", &r->extend_months, &r->extend_forever);
	}
	if ((v = ynode_get(m, "dispose"))) {
		r->dispose_roles = read_list(L, v, "dispose", &r->ndispose_roles);
		for (size_t i = 0; i < r->ndispose_roles; i++)
			if (!conf_find_role(c, r->dispose_roles[i]))
				yl_diag(L, v->items[i], "未定义的角色 %s（staff.yaml）", r->dispose_roles[i]);
	} else if (!r->forever) {
		yl_diag(L, m, "缺少必需的键 dispose（可销毁到期资料的角色）");
	}
	if ((v = ynode_get(m, "keep_fields"))) {
		r->keep_fields = read_list(L, v, "keep_fields", &r->nkeep_fields);
		for (size_t i = 0; i < r->nkeep_fields; i++)
			if (!any_field(c, r->keep_fields[i]))
				yl_diag(L, v->items[i], "未定义的字段 %s（forms/）", r->keep_fields[i]);
	}
}

void conf_load_retention(conf *c, conf_diags *d)
{
	yl L = { .d = d, .file = RET_FILE };
	ynode *root = yl_load_optional(&L, c->dir);
	if (root) {
		retconf *r = ks_calloc(1, sizeof *r);
		read_root(&L, c, r, root);
		if (L.bad)
			retconf_free(r);
		else
			c->retention = r;
	}
	ynode_free(root);
}

void retconf_free(retconf *r)
{
	if (!r)
		return;
	free(r->extend_field);
	yl_free_strs(r->extend_values, r->nextend_values);
	yl_free_strs(r->dispose_roles, r->ndispose_roles);
	yl_free_strs(r->keep_fields, r->nkeep_fields);
	free(r);
}
