/* impconf.c — read a preset's optional import.yaml (import.h):
 *
 *   import:
 *     roles: [registrar]          who may import (default: the intake roles)
 *     columns:                    other spellings of headers
 *       客户: customer            -> an intake field key, or case, created,
 *       受理日期: created            state, registrant
 *     ignore: [序号, 备注]        headers whose columns are skipped
 *     states:                     words of the state column
 *       已结案: closed            -> the initial state or a final one
 *
 * Problems are "import.yaml:LINE:COL: 中文说明" like the rest of conf/. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kesu/import.h"
#include "kesu/yaml.h"
#include "loader.h"

#define FILE_NAME "import.yaml"

static bool is_reserved(const char *k)
{
#define R_X(e, key, label) if (!strcmp(k, key)) return true;
	IMPORT_RESERVED_LIST(R_X)
#undef R_X
	return false;
}

static char **read_strs(yl *L, const ynode *v, const char *what, size_t *n)
{
	*n = 0;
	if (v->kind != YNODE_SEQ) {
		yl_diag(L, v, "%s 应为列表，实际是%s", what, ynode_kind_name(v));
		return NULL;
	}
	char **out = ks_calloc(v->n + 1, sizeof *out);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *it = v->items[i];
		if (it->kind != YNODE_SCALAR || !*it->str) {
			yl_diag(L, it, "%s 的每一项应为非空文本", what);
			continue;
		}
		for (size_t k = 0; k < *n; k++)
			if (!strcmp(out[k], it->str))
				yl_diag(L, it, "%s 中 %s 重复", what, it->str);
		out[(*n)++] = ks_strdup(it->str);
	}
	return out;
}

static impconf_alias *read_map(yl *L, const ynode *v, const char *what, size_t *n)
{
	*n = 0;
	if (v->kind != YNODE_MAP) {
		yl_diag(L, v, "%s 应为映射（写法: 值），实际是%s", what, ynode_kind_name(v));
		return NULL;
	}
	impconf_alias *out = ks_calloc(v->n + 1, sizeof *out);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *val = v->items[i];
		if (!*v->keys[i]->str) {
			yl_diag(L, v->keys[i], "%s 的写法不能为空", what);
			continue;
		}
		if (val->kind != YNODE_SCALAR || !*val->str) {
			yl_diag(L, val, "%s 中「%s」应对应一个非空文本", what, v->keys[i]->str);
			continue;
		}
		out[*n].from = ks_strdup(v->keys[i]->str);
		out[*n].to = ks_strdup(val->str);
		(*n)++;
	}
	return out;
}

static const ynode *value_node(const ynode *map, const char *from)
{
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->str, from))
			return map->items[i];
	return map;
}

static void load(conf *c, yl *L)
{
	ynode *root = yl_load_optional(L, c->dir);
	if (!root)
		return; /* empty file: defaults (a syntax error is reported) */
	impconf *p = ks_calloc(1, sizeof *p);
	c->import = p;
	const ynode *top = NULL;
	if (root->kind != YNODE_MAP) {
		yl_diag(L, root, "文件内容应为映射，实际是%s", ynode_kind_name(root));
		goto out;
	}
	static const char *const rkeys[] = { "import", NULL };
	yl_check_keys(L, root, rkeys);
	top = ynode_get(root, "import");
	if (!top) {
		yl_diag(L, root, "缺少必需的键 import");
		goto out;
	}
	if (top->kind != YNODE_MAP) {
		yl_diag(L, top, "import 应为映射，实际是%s", ynode_kind_name(top));
		goto out;
	}
	static const char *const keys[] = { "roles", "columns", "ignore", "states", NULL };
	yl_check_keys(L, top, keys);
	const ynode *v;
	const conf_form *intake = c->intake_form ? conf_find_form(c, c->intake_form) : NULL;
	if ((v = ynode_get(top, "roles"))) {
		p->roles = read_strs(L, v, "roles", &p->nroles);
		for (size_t i = 0; i < p->nroles; i++)
			if (!conf_find_role(c, p->roles[i]))
				yl_diag(L, v->items[i], "未定义的角色 %s", p->roles[i]);
	}
	if ((v = ynode_get(top, "ignore")))
		p->ignore = read_strs(L, v, "ignore", &p->nignore);
	if ((v = ynode_get(top, "columns"))) {
		p->columns = read_map(L, v, "columns", &p->ncolumns);
		for (size_t i = 0; i < p->ncolumns; i++) {
			const impconf_alias *a = &p->columns[i];
			if (!is_reserved(a->to) && !(intake && conf_form_field(intake, a->to)))
				yl_diag(L, value_node(v, a->from),
				     "列「%s」对应的 %s 既不是登记表（%s）的字段，也不是 case、created、state、registrant",
				     a->from, a->to, intake ? intake->title : "?");
			for (size_t k = 0; k < p->nignore; k++)
				if (!strcmp(p->ignore[k], a->from))
					yl_diag(L, value_node(v, a->from), "列「%s」同时出现在 columns 和 ignore 中", a->from);
		}
	}
	if ((v = ynode_get(top, "states"))) {
		p->states = read_map(L, v, "states", &p->nstates);
		for (size_t i = 0; i < p->nstates; i++) {
			const conf_state *st = conf_find_state(c, p->states[i].to);
			if (!st)
				yl_diag(L, value_node(v, p->states[i].from), "未定义的状态 %s", p->states[i].to);
			else if (!st->final && (!c->initial_state || strcmp(st->code, c->initial_state)))
				yl_diag(L, value_node(v, p->states[i].from),
				     "导入的案件只能处于初始状态（%s）或终止状态，不能是 %s", c->initial_state, st->code);
		}
	}
out:
	ynode_free(root);
}

void conf_load_import(conf *c, conf_diags *d)
{
	yl L = { .d = d, .file = FILE_NAME };
	char *path = ks_asprintf("%s/%s", c->dir, FILE_NAME);
	struct stat sb;
	if (stat(path, &sb) == 0)
		load(c, &L);
	else if (errno != ENOENT)
		yl_add(d, ks_asprintf("%s:1:1: 无法读取配置文件：%s", FILE_NAME, strerror(errno)));
	free(path);
}

static void free_aliases(impconf_alias *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].from);
		free(v[i].to);
	}
	free(v);
}

void impconf_free(impconf *p)
{
	if (!p)
		return;
	yl_free_strs(p->roles, p->nroles);
	yl_free_strs(p->ignore, p->nignore);
	free_aliases(p->columns, p->ncolumns);
	free_aliases(p->states, p->nstates);
	free(p);
}
