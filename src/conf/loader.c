/* loader.c — the pieces the configuration readers share (loader.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "loader.h"

struct yl_held {
	int line, col;
	size_t seq;
	char *msg;
};

void yl_add(conf_diags *d, char *msg)
{
	d->msgs = ks_realloc(d->msgs, (d->n + 1) * sizeof *d->msgs);
	d->msgs[d->n++] = msg;
}

void yl_diag(yl *L, const ynode *at, const char *fmt, ...)
{
	ks_err e;
	va_list ap;
	va_start(ap, fmt);
	ks_verrf(&e, KS_INVALID, fmt, ap); /* cuts a long message at a UTF-8 boundary */
	va_end(ap);
	int line = at ? at->line : 1, col = at ? at->col : 1;
	L->bad = true;
	if (!L->sorted) {
		yl_add(L->d, ks_asprintf("%s:%d:%d: %s", L->file, line, col, e.msg));
		return;
	}
	L->held = ks_realloc(L->held, (L->nheld + 1) * sizeof *L->held);
	L->held[L->nheld] = (yl_held){ line, col, L->nheld, ks_strdup(e.msg) };
	L->nheld++;
}

static int held_cmp(const void *a, const void *b)
{
	const yl_held *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void yl_flush(yl *L)
{
	if (L->nheld)
		qsort(L->held, L->nheld, sizeof *L->held, held_cmp);
	for (size_t i = 0; i < L->nheld; i++) {
		yl_add(L->d, ks_asprintf("%s:%d:%d: %s", L->file, L->held[i].line, L->held[i].col, L->held[i].msg));
		free(L->held[i].msg);
	}
	free(L->held);
	L->held = NULL;
	L->nheld = 0;
}

static bool allowed_key(const char *const *allowed, const char *key)
{
	for (const char *const *a = allowed; *a; a++)
		if (!strcmp(*a, key))
			return true;
	return false;
}

void yl_unknown_key(yl *L, const ynode *k, const char *const *allowed)
{
	size_t len = 1;
	for (const char *const *a = allowed; *a; a++)
		len += strlen(*a) + 2;
	char *list = ks_malloc(len);
	*list = '\0';
	for (const char *const *a = allowed; *a; a++) {
		if (*list)
			strcat(list, ", ");
		strcat(list, *a);
	}
	yl_diag(L, k, "未知的键 %s（此处可用的键：%s）", k->str, list);
	free(list);
}

void yl_check_keys(yl *L, const ynode *map, const char *const *allowed)
{
	if (!map || map->kind != YNODE_MAP)
		return;
	for (size_t i = 0; i < map->n; i++)
		if (!allowed_key(allowed, map->keys[i]->str))
			yl_unknown_key(L, map->keys[i], allowed);
}

void yl_check_keys_short(yl *L, const ynode *map, const char *const *allowed)
{
	if (!map || map->kind != YNODE_MAP)
		return;
	for (size_t i = 0; i < map->n; i++)
		if (!allowed_key(allowed, map->keys[i]->str))
			yl_diag(L, map->keys[i], "未知的键 %s", map->keys[i]->str);
}

bool yl_want_kind(yl *L, const ynode *n, ynode_kind kind, const char *what)
{
	if (n && n->kind == kind)
		return true;
	const char *want = kind == YNODE_MAP ? "映射" : kind == YNODE_SEQ ? "列表" : "文本";
	yl_diag(L, n, "%s 应为%s，实际是%s", what, want, ynode_kind_name(n));
	return false;
}

const char *yl_text(yl *L, const ynode *m, const char *key, bool required)
{
	const ynode *v = ynode_get(m, key);
	if (!v) {
		if (required)
			yl_diag(L, m, "缺少必需的键 %s", key);
		return NULL;
	}
	if (v->kind != YNODE_SCALAR || !*v->str) {
		yl_diag(L, v, "%s 应为非空文本", key);
		return NULL;
	}
	return v->str;
}

bool yl_int(yl *L, const ynode *v, const char *key, long lo, long hi, int *out)
{
	char *end = NULL;
	errno = 0;
	long x = v->kind == YNODE_SCALAR && *v->str ? strtol(v->str, &end, 10) : 0;
	if (v->kind != YNODE_SCALAR || !*v->str || *end || errno || x < lo || x > hi) {
		yl_diag(L, v, "%s 应为 %ld 到 %ld 之间的整数", key, lo, hi);
		return false;
	}
	*out = (int)x;
	return true;
}

bool yl_bool(yl *L, const ynode *map, const char *key, bool dflt)
{
	const ynode *v = ynode_get(map, key);
	if (!v)
		return dflt;
	if (v->kind == YNODE_SCALAR) {
		if (!strcmp(v->str, "true") || !strcmp(v->str, "yes"))
			return true;
		if (!strcmp(v->str, "false") || !strcmp(v->str, "no"))
			return false;
	}
	yl_diag(L, v, "%s 应为 true 或 false", key);
	return dflt;
}

bool yl_ident_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return *s != '\0';
}

void yl_free_strs(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

const char *yl_keep_name(conf *c, const char *name)
{
	c->files = ks_realloc(c->files, (c->nfiles + 1) * sizeof *c->files);
	c->files[c->nfiles] = ks_strdup(name);
	return c->files[c->nfiles++];
}

ynode *yl_load_optional(yl *L, const char *dir)
{
	char *path = ks_asprintf("%s/%s", dir, L->file);
	ynode *root = NULL;
	struct stat sb;
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		free(path);
		return NULL;
	}
	ks_err e;
	if (ynode_load(path, &root, &e) != KS_OK) {
		yl_add(L->d, ks_asprintf("%s:%s", L->file, e.msg));
		L->bad = true;
		root = NULL;
	}
	free(path);
	return root;
}

bool yl_cond_values(yl *L, const ynode *val, conf_cond *c)
{
	if (val->kind == YNODE_SCALAR) {
		c->values = ks_malloc(sizeof *c->values);
		c->values[0] = ks_strdup(val->str);
		c->nvalues = 1;
		return true;
	}
	if (val->kind != YNODE_SEQ)
		return false;
	c->values = ks_calloc(val->n ? val->n : 1, sizeof *c->values);
	for (size_t j = 0; j < val->n; j++)
		if (val->items[j]->kind == YNODE_SCALAR)
			c->values[c->nvalues++] = ks_strdup(val->items[j]->str);
		else
			yl_diag(L, val->items[j], "条件的值应为文本");
	return true;
}

conf_cond *yl_conds(yl *L, const ynode *v, size_t *n, yl_cond_map_fn *read_map, void *ctx)
{
	*n = 0;
	if (!v)
		return NULL;
	if (v->kind == YNODE_SEQ) {
		size_t total = 0;
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->kind == YNODE_MAP)
				total += v->items[i]->n;
		if (v->n == 0)
			yl_diag(L, v, "when 的列表不能为空（列表中每一项是一组条件，满足其一即可）");
		conf_cond *r = ks_calloc(total ? total : 1, sizeof *r);
		for (size_t i = 0; i < v->n; i++) {
			const ynode *m = v->items[i];
			if (!yl_want_kind(L, m, YNODE_MAP, "when 列表的每一项"))
				continue;
			if (m->n == 0) {
				yl_diag(L, m, "when 列表的第 %zu 项没有条件", i + 1);
				continue;
			}
			read_map(ctx, m, r, n, (int)i);
		}
		return r;
	}
	if (!yl_want_kind(L, v, YNODE_MAP, "when"))
		return NULL;
	conf_cond *r = ks_calloc(v->n ? v->n : 1, sizeof *r);
	read_map(ctx, v, r, n, 0);
	return r;
}
