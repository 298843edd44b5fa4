/* retconf.c — load retention.yaml, the retention of closed cases
 * (archive.h). Every problem is one "retention.yaml:LINE:COL: 说明". */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kesu/archive.h"
#include "kesu/conf.h"
#include "kesu/yaml.h"

#define RET_FILE "retention.yaml"

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
	L->d->msgs[L->d->n++] = ks_asprintf("%s:%d:%d: %s", RET_FILE, at ? at->line : 1, at ? at->col : 1, buf);
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

static bool int_of(rl *L, const ynode *v, const char *key, long lo, long hi, int *out)
{
	char *end = NULL;
	errno = 0;
	long x = v->kind == YNODE_SCALAR && *v->str ? strtol(v->str, &end, 10) : 0;
	if (v->kind != YNODE_SCALAR || !*v->str || *end || errno || x < lo || x > hi) {
		diag(L, v, "%s 应为 %ld 到 %ld 之间的整数", key, lo, hi);
		return false;
	}
	*out = (int)x;
	return true;
}

/* {years: N, months: M} or forever: *months, or *forever. */
static void read_span(rl *L, const ynode *v, const char *what, int *months, bool *forever)
{
	static const char *const keys[] = { "years", "months", NULL };
	*months = 0;
	*forever = false;
	if (v->kind == YNODE_SCALAR && !strcmp(v->str, "forever")) {
		*forever = true;
		return;
	}
	if (v->kind != YNODE_MAP) {
		diag(L, v, "%s 应为 {years: N}、{months: N} 或 forever", what);
		return;
	}
	check_keys(L, v, keys);
	int y = 0, m = 0;
	const ynode *a = ynode_get(v, "years"), *b = ynode_get(v, "months");
	if (!a && !b)
		diag(L, v, "%s 应给出 years 或 months", what);
	if (a)
		int_of(L, a, "years", 0, 200, &y);
	if (b)
		int_of(L, b, "months", 0, 2400, &m);
	*months = y * 12 + m;
	if ((a || b) && *months == 0)
		diag(L, v, "%s 不能为零", what);
}

static char **read_list(rl *L, const ynode *v, const char *what, size_t *n)
{
	*n = 0;
	if (v->kind != YNODE_SEQ) {
		diag(L, v, "%s 应为列表", what);
		return NULL;
	}
	char **r = ks_calloc(v->n ? v->n : 1, sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YNODE_SCALAR || !*v->items[i]->str) {
			diag(L, v->items[i], "%s 的每一项应为非空文本", what);
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

static void read_root(rl *L, const conf *c, retconf *r, const ynode *root)
{
	static const char *const top[] = { "retention", NULL };
	static const char *const keys[] = { "keep", "from", "extend_when", "extend", "archive_year", "dispose",
		                            "keep_fields", NULL };
	static const char *const wkeys[] = { "field", "equals", NULL };
	if (root->kind != YNODE_MAP) {
		diag(L, root, "文件内容应为映射");
		return;
	}
	check_keys(L, root, top);
	const ynode *m = ynode_get(root, "retention");
	if (!m || m->kind != YNODE_MAP) {
		diag(L, m ? m : root, m ? "retention 应为映射" : "缺少必需的键 retention");
		return;
	}
	check_keys(L, m, keys);
	const ynode *v = ynode_get(m, "keep");
	if (!v)
		diag(L, m, "缺少必需的键 keep（{years: N}、{months: N} 或 forever）");
	else
		read_span(L, v, "keep", &r->keep_months, &r->forever);
	if ((v = ynode_get(m, "from"))) {
		if (v->kind == YNODE_SCALAR && !strcmp(v->str, "closed"))
			r->from = RETFROM_CLOSED;
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "registered"))
			r->from = RETFROM_REGISTERED;
		else
			diag(L, v, "from 应为 closed（结案时）或 registered（登记时）");
	}
	if ((v = ynode_get(m, "archive_year"))) {
		if (v->kind == YNODE_SCALAR && !strcmp(v->str, "closed"))
			r->archive_year = RETFROM_CLOSED + 1;
		else if (v->kind == YNODE_SCALAR && !strcmp(v->str, "registered"))
			r->archive_year = RETFROM_REGISTERED + 1;
		else
			diag(L, v, "archive_year 应为 closed（结案年度）或 registered（登记年度）");
	}
	const ynode *w = ynode_get(m, "extend_when"), *e = ynode_get(m, "extend");
	if (!w != !e)
		diag(L, w ? w : e, "extend_when 与 extend 须同时给出");
	if (w && e) {
		if (w->kind != YNODE_MAP) {
			diag(L, w, "extend_when 应为映射 {field: 字段, equals: 值}");
		} else {
			check_keys(L, w, wkeys);
			const ynode *f = ynode_get(w, "field"), *q = ynode_get(w, "equals");
			if (!f || f->kind != YNODE_SCALAR || !*f->str)
				diag(L, f ? f : w, "extend_when.field 应为字段名");
			else if (!any_field(c, f->str))
				diag(L, f, "未定义的字段 %s（forms/）", f->str);
			else
				r->extend_field = ks_strdup(f->str);
			if (!q)
				diag(L, w, "缺少必需的键 equals");
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
				diag(L, v->items[i], "未定义的角色 %s（staff.yaml）", r->dispose_roles[i]);
	} else if (!r->forever) {
		diag(L, m, "缺少必需的键 dispose（可销毁到期资料的角色）");
	}
	if ((v = ynode_get(m, "keep_fields"))) {
		r->keep_fields = read_list(L, v, "keep_fields", &r->nkeep_fields);
		for (size_t i = 0; i < r->nkeep_fields; i++)
			if (!any_field(c, r->keep_fields[i]))
				diag(L, v->items[i], "未定义的字段 %s（forms/）", r->keep_fields[i]);
	}
}

void conf_load_retention(conf *c, conf_diags *d)
{
	char *path = ks_asprintf("%s/%s", c->dir, RET_FILE);
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
		d->msgs[d->n++] = ks_asprintf("%s:%s", RET_FILE, e.msg);
	} else if (root) {
		retconf *r = ks_calloc(1, sizeof *r);
		read_root(&L, c, r, root);
		if (L.bad)
			retconf_free(r);
		else
			c->retention = r;
	}
	ynode_free(root);
	free(path);
}

static void free_strs(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void retconf_free(retconf *r)
{
	if (!r)
		return;
	free(r->extend_field);
	free_strs(r->extend_values, r->nextend_values);
	free_strs(r->dispose_roles, r->ndispose_roles);
	free_strs(r->keep_fields, r->nkeep_fields);
	free(r);
}
