/* conf.c — load a preset directory into validated structs.
 *
 * Each file is parsed into a ynode tree (kept until conf_free, so positions
 * stay valid), read into structs with type checks, and then cross-checked.
 * Every problem becomes one diagnostic; loading goes on after a problem. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kesu/sha256.h"
#include "kesu/conf.h"
#include "kesu/yaml.h"
#include "kesu/calconf.h"
#include "kesu/tuiconf.h"
#include "kesu/rptconf.h"
#include "kesu/tasks.h"
#include "kesu/archive.h"
#include "loader.h"

typedef struct loader {
	yl y;               /* diagnostics; y.file: the current file's display name (owned by c->files) */
	conf *c;
	ks_sha256 md;
} loader;

void conf_diags_free(conf_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->n = 0;
}

#define DIAG(L, node, ...) yl_diag(&(L)->y, (node), __VA_ARGS__)

__attribute__((format(printf, 3, 4)))
static void diag_pos(loader *L, const conf_pos *p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	yl_add(L->y.d, ks_asprintf("%s:%d:%d: %s", p->file, p->line, p->col, buf));
}

static conf_pos pos_of(loader *L, const ynode *n)
{
	conf_pos p = { L->y.file, n ? n->line : 1, n ? n->col : 1 };
	return p;
}

/* ---- typed access to map entries ---- */

/* A scalar string under key; NULL if absent (reported when required). */
static char *get_str(loader *L, const ynode *map, const char *key, bool required)
{
	ynode *v = ynode_get(map, key);
	if (!v) {
		if (required)
			DIAG(L, map, "缺少必需的键 %s", key);
		return NULL;
	}
	if (v->kind != YNODE_SCALAR) {
		DIAG(L, v, "%s 应为文本，实际是%s", key, ynode_kind_name(v));
		return NULL;
	}
	if (required && !*v->str) {
		DIAG(L, v, "%s 不能为空", key);
		return NULL;
	}
	return ks_strdup(v->str);
}

static bool parse_ll(const char *s, long long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* An integer under key; returns false if absent or bad (bad is reported). */
static bool get_ll(loader *L, const ynode *map, const char *key, long long *out)
{
	ynode *v = ynode_get(map, key);
	if (!v)
		return false;
	if (v->kind != YNODE_SCALAR || !parse_ll(v->str, out)) {
		DIAG(L, v, "%s 应为整数", key);
		return false;
	}
	return true;
}

/* A list of strings under key: a sequence of scalars, or one scalar. */
static char **get_strs(loader *L, const ynode *map, const char *key, size_t *n, bool required)
{
	*n = 0;
	ynode *v = ynode_get(map, key);
	if (!v) {
		if (required)
			DIAG(L, map, "缺少必需的键 %s", key);
		return NULL;
	}
	if (v->kind == YNODE_SCALAR) {
		char **r = ks_malloc(sizeof *r);
		r[0] = ks_strdup(v->str);
		*n = 1;
		return r;
	}
	if (v->kind != YNODE_SEQ) {
		DIAG(L, v, "%s 应为列表", key);
		return NULL;
	}
	char **r = ks_calloc(v->n, sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YNODE_SCALAR) {
			DIAG(L, v->items[i], "%s 的每一项应为文本", key);
			continue;
		}
		r[(*n)++] = ks_strdup(v->items[i]->str);
	}
	return r;
}

bool conf_parse_money(const char *s, long long *fen)
{
	long long yuan = 0;
	int digits = 0, dec = 0, decn = 0;
	int group = -1;   /* digits since the last comma; -1: no comma seen */
	const char *p = s;
	if (!s || !*s)
		return false;
	for (; *p && *p != '.'; p++) {
		if (*p == ',') {
			/* thousands separators only: 1,234,567 */
			if (digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3))
				return false;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
		if (yuan > (LLONG_MAX / 100 - 9) / 10)
			return false;
		yuan = yuan * 10 + (*p - '0');
		digits++;
		if (group >= 0)
			group++;
	}
	if (group >= 0 && group != 3)
		return false;
	if (*p == '.') {
		p++;
		for (; *p; p++) {
			if (*p < '0' || *p > '9' || decn == 2)
				return false;
			dec = dec * 10 + (*p - '0');
			decn++;
		}
		if (decn == 0)
			return false;
		if (decn == 1)
			dec *= 10;
	}
	if (digits == 0)
		return false;
	*fen = yuan * 100 + dec;
	return true;
}

/* ---- files ---- */

/* Parse DIR/name; returns the root (kept by c) or NULL. A missing optional file
 * is not an error. */
static ynode *load_file(loader *L, const char *name, bool required)
{
	char *path = ks_asprintf("%s/%s", L->c->dir, name);
	L->y.file = yl_keep_name(L->c, name);
	ynode *root = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (required || errno != ENOENT)
			yl_add(L->y.d, ks_asprintf("%s:1:1: 无法读取配置文件：%s", name, strerror(errno)));
		free(path);
		return NULL;
	}
	/* hash the bytes so the database can tell when the config changed */
	char buf[8192];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		ks_sha256_update(&L->md, buf, k);
	ks_sha256_update(&L->md, name, strlen(name) + 1);
	fclose(f);
	ks_err e;
	if (ynode_load(path, &root, &e) != KS_OK) {
		yl_add(L->y.d, ks_asprintf("%s:%s", name, e.msg));
		free(path);
		return NULL;
	}
	free(path);
	if (root) {
		L->c->trees = ks_realloc(L->c->trees, (L->c->ntrees + 1) * sizeof *L->c->trees);
		L->c->trees[L->c->ntrees++] = root;
	} else if (required) {
		yl_add(L->y.d, ks_asprintf("%s:1:1: 文件为空", name));
	}
	return root;
}

/* The sequence under top-level key of root, checking root's keys. */
static const ynode *top_seq(loader *L, const ynode *root, const char *key, const char *const *allowed)
{
	if (!root || !yl_want_kind(&L->y, root, YNODE_MAP, "文件内容"))
		return NULL;
	yl_check_keys(&L->y, root, allowed);
	ynode *s = ynode_get(root, key);
	if (!s) {
		DIAG(L, root, "缺少必需的键 %s", key);
		return NULL;
	}
	return yl_want_kind(&L->y, s, YNODE_SEQ, key) ? s : NULL;
}

/* ---- a reminder level's person (`to`) and 到期即催 (`at_due`) ---- */

/* `to: registrant | assignee | FIELD` (or `to: {superior_of: one of those}`)
 * and `at_due: true` of level lm. */
static void read_level_person(loader *L, const ynode *lm, conf_level *lv)
{
	static const char *const skeys[] = { "superior_of", NULL };
	ynode *to = ynode_get(lm, "to");
	if (to && to->kind == YNODE_MAP) {
		yl_check_keys(&L->y, to, skeys);
		lv->to = get_str(L, to, "superior_of", true);
		lv->superior = lv->to != NULL;
		if (lv->to)
			lv->to_pos = pos_of(L, ynode_get(to, "superior_of"));
	} else {
		lv->to = get_str(L, lm, "to", false);
		if (lv->to)
			lv->to_pos = pos_of(L, to);
	}
	lv->at_due = yl_bool(&L->y, lm, "at_due", false);
	if (lv->at_due && (lv->before || lv->offset.n != 0))
		DIAG(L, ynode_get(lm, "at_due"), "at_due 只用于 after: 0（到期时刻即催办）");
}

/* `to` names "registrant", "assignee" or a staff field of some form. */
static void check_level_persons(loader *L, const conf_clock *k)
{
	for (size_t j = 0; j < k->nlevels; j++) {
		const char *to = k->levels[j].to;
		if (!to || !strcmp(to, "registrant") || !strcmp(to, "assignee"))
			continue;
		const conf_field *f = NULL;
		for (size_t i = 0; i < L->c->nforms && !f; i++)
			f = conf_form_field(&L->c->forms[i], to);
		if (!f)
			diag_pos(L, &k->levels[j].to_pos,
			         "时限 %s 的提醒 to 应为 registrant（登记人）、assignee（承办人）或员工字段，%s 都不是",
			         k->code, to);
		else if (f->type != FT_STAFF)
			diag_pos(L, &k->levels[j].to_pos, "时限 %s 的提醒 to 字段 %s 应为 staff 类型", k->code, to);
	}
}

/* ---- conditions: {field: value} or {field: [v1, v2]}, or a list of such
 * maps ("A or B": any one map holds; see conf_cond) ---- */

static bool read_duration(loader *L, const ynode *v, const char *what, calendar_duration *d);

/* A condition written as a map with one operator: {equals_field: OTHER},
 * {older_than: DURATION} or {within: DURATION}. */
static void read_cond_op(loader *L, const ynode *v, conf_cond *c)
{
	c->pos = pos_of(L, v);
	if (v->n != 1) {
		DIAG(L, v, "条件 %s 的映射应只有一个键：equals_field、older_than 或 within", c->field);
		c->op = COND_SAME_FIELD;   /* never holds without other */
		return;
	}
	const char *k = v->keys[0]->str;
	const ynode *a = v->items[0];
	if (!strcmp(k, "equals_field")) {
		c->op = COND_SAME_FIELD;
		if (a->kind == YNODE_SCALAR && *a->str)
			c->other = ks_strdup(a->str);
		else
			DIAG(L, a, "条件 %s 的 equals_field 应为字段名", c->field);
		return;
	}
	if (!strcmp(k, "older_than") || !strcmp(k, "within")) {
		c->op = !strcmp(k, "within") ? COND_WITHIN : COND_OLDER_THAN;
		read_duration(L, a, k, &c->age);   /* eod, roll to the next working day (民法典) */
		return;
	}
	c->op = COND_SAME_FIELD;
	DIAG(L, v->keys[0], "条件 %s 的未知运算 %s（可用：equals_field、older_than、within）", c->field, k);
}

/* The conditions of one map, appended to r[*n] with alternative alt. */
static void read_cond_map(void *ctx, const ynode *v, conf_cond *r, size_t *n, int alt)
{
	loader *L = ctx;
	for (size_t i = 0; i < v->n; i++) {
		conf_cond *c = &r[(*n)++];
		c->field = ks_strdup(v->keys[i]->str);
		c->alt = alt;
		ynode *val = v->items[i];
		if (yl_cond_values(&L->y, val, c))
			continue;
		if (val->kind == YNODE_MAP)
			read_cond_op(L, val, c);
		else
			DIAG(L, val, "条件 %s 的值应为文本或列表", c->field);
	}
}

static conf_cond *read_conds(loader *L, const ynode *v, size_t *n)
{
	return yl_conds(&L->y, v, n, read_cond_map, L);
}

static void free_conds(conf_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].field);
		free(c[i].other);
		yl_free_strs(c[i].values, c[i].nvalues);
	}
	free(c);
}

/* ---- preset.yaml ---- */

static void read_preset(loader *L)
{
	ynode *root = load_file(L, "preset.yaml", true);
	if (!root || !yl_want_kind(&L->y, root, YNODE_MAP, "文件内容"))
		return;
	static const char *const keys[] = { "name", "description", NULL };
	yl_check_keys(&L->y, root, keys);
	L->c->name = get_str(L, root, "name", true);
	L->c->description = get_str(L, root, "description", true);
}

/* ---- departments.yaml ---- */

static void read_departments(loader *L)
{
	static const char *const top[] = { "departments", NULL };
	static const char *const keys[] = { "code", "name", "parent", NULL };
	const ynode *s = top_seq(L, load_file(L, "departments.yaml", true), "departments", top);
	if (!s)
		return;
	conf *c = L->c;
	c->depts = ks_calloc(s->n, sizeof *c->depts);
	for (size_t i = 0; i < s->n; i++) {
		const ynode *m = s->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "部门"))
			continue;
		yl_check_keys(&L->y, m, keys);
		conf_dept d = { .pos = pos_of(L, m) };
		d.code = get_str(L, m, "code", true);
		d.name = get_str(L, m, "name", true);
		d.parent = get_str(L, m, "parent", false);
		if (!d.code || !d.name) {
			free(d.code); free(d.name); free(d.parent);
			continue;
		}
		if (conf_find_dept(c, d.code))
			DIAG(L, ynode_get(m, "code"), "部门代码 %s 重复", d.code);
		c->depts[c->ndepts++] = d;
	}
}

/* ---- staff.yaml ---- */

static void read_staff(loader *L)
{
	static const char *const top[] = { "roles", "staff", NULL };
	static const char *const rkeys[] = { "code", "name", "sees", NULL };
	static const char *const skeys[] = { "login", "name", "dept", "roles", "approval_limit", "active",
	                                     "base_points", "monthly_bonus", "reports_to", NULL };
	ynode *root = load_file(L, "staff.yaml", true);
	const ynode *s = top_seq(L, root, "staff", top);
	conf *c = L->c;
	ynode *r = ynode_get(root, "roles");
	if (root && root->kind == YNODE_MAP && !r)
		DIAG(L, root, "缺少必需的键 roles");
	if (r && yl_want_kind(&L->y, r, YNODE_SEQ, "roles")) {
		c->roles = ks_calloc(r->n, sizeof *c->roles);
		for (size_t i = 0; i < r->n; i++) {
			const ynode *m = r->items[i];
			if (!yl_want_kind(&L->y, m, YNODE_MAP, "角色"))
				continue;
			yl_check_keys(&L->y, m, rkeys);
			conf_role ro = { .pos = pos_of(L, m) };
			ro.code = get_str(L, m, "code", true);
			ro.name = get_str(L, m, "name", true);
			char *sees = get_str(L, m, "sees", false);
			if (sees) {
				if (!strcmp(sees, "all"))
					ro.sees = SIGHT_ALL;
				else if (!strcmp(sees, "department"))
					ro.sees = SIGHT_DEPT;
				else if (strcmp(sees, "involved"))
					DIAG(L, ynode_get(m, "sees"), "sees 应为 involved、department 或 all");
				free(sees);
			}
			if (!ro.code || !ro.name) {
				free(ro.code); free(ro.name);
				continue;
			}
			if (conf_find_role(c, ro.code))
				DIAG(L, ynode_get(m, "code"), "角色代码 %s 重复", ro.code);
			c->roles[c->nroles++] = ro;
		}
	}
	if (!s)
		return;
	c->staff = ks_calloc(s->n, sizeof *c->staff);
	for (size_t i = 0; i < s->n; i++) {
		const ynode *m = s->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "员工"))
			continue;
		yl_check_keys(&L->y, m, skeys);
		conf_staff st = { .pos = pos_of(L, m), .active = true };
		st.dept_pos = pos_of(L, ynode_get(m, "dept") ? ynode_get(m, "dept") : m);
		st.roles_pos = pos_of(L, ynode_get(m, "roles") ? ynode_get(m, "roles") : m);
		st.login = get_str(L, m, "login", true);
		st.name = get_str(L, m, "name", true);
		st.dept = get_str(L, m, "dept", true);
		st.roles = get_strs(L, m, "roles", &st.nroles, true);
		st.active = yl_bool(&L->y, m, "active", true);
		st.reports_to = get_str(L, m, "reports_to", false);
		if (st.reports_to)
			st.reports_to_pos = pos_of(L, ynode_get(m, "reports_to"));
		ynode *lim = ynode_get(m, "approval_limit");
		if (lim) {
			if (lim->kind == YNODE_SCALAR && !strcmp(lim->str, "unlimited"))
				st.approval_limit_fen = CONF_NO_LIMIT;
			else if (lim->kind != YNODE_SCALAR || !conf_parse_money(lim->str, &st.approval_limit_fen))
				DIAG(L, lim, "approval_limit 应为金额（元，最多两位小数）或 unlimited");
		}
		/* 基点 and 月效益奖金, for penalty.yaml (docs/penalty.md) */
		st.monthly_bonus_fen = CONF_NO_BONUS;
		if (get_ll(L, m, "base_points", &st.base_points) && (st.base_points < 0 || st.base_points > 1000000)) {
			DIAG(L, ynode_get(m, "base_points"), "base_points（基点）应为 0 到 1000000 之间的整数");
			st.base_points = 0;
		}
		ynode *bonus = ynode_get(m, "monthly_bonus");
		if (bonus && (bonus->kind != YNODE_SCALAR || !conf_parse_money(bonus->str, &st.monthly_bonus_fen) ||
		              st.monthly_bonus_fen > 100000000000LL)) {
			DIAG(L, bonus, "monthly_bonus（月效益奖金）应为金额（元，最多两位小数）");
			st.monthly_bonus_fen = CONF_NO_BONUS;
		}
		if (!st.login || !st.name || !st.dept) {
			free(st.login); free(st.name); free(st.dept); free(st.reports_to);
			yl_free_strs(st.roles, st.nroles);
			continue;
		}
		for (const char *p = st.login; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.')) {
				DIAG(L, ynode_get(m, "login"), "登录名 %s 只能含小写字母、数字、点、下划线和连字符", st.login);
				break;
			}
		if (conf_find_staff(c, st.login))
			DIAG(L, ynode_get(m, "login"), "登录名 %s 重复", st.login);
		c->staff[c->nstaff++] = st;
	}
}

/* ---- fields (forms/NAME.yaml and inline) ---- */

static bool field_type_parse(const char *s, field_type *t)
{
#define FT_X(e, name, label) if (!strcmp(s, name)) { *t = e; return true; }
	FIELD_TYPE_LIST(FT_X)
#undef FT_X
	return false;
}

const char *field_type_name(field_type t)
{
	switch (t) {
#define FT_X(e, name, label) case e: return name;
	FIELD_TYPE_LIST(FT_X)
#undef FT_X
	case FT__COUNT: break;
	}
	return "?";
}

static conf_choice *read_choices(loader *L, const ynode *v, size_t *n, const char *what)
{
	static const char *const keys[] = { "value", "label", NULL };
	*n = 0;
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, what))
		return NULL;
	conf_choice *r = ks_calloc(v->n, sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "选项"))
			continue;
		yl_check_keys(&L->y, m, keys);
		char *val = get_str(L, m, "value", true), *lab = get_str(L, m, "label", true);
		if (!val || !lab) {
			free(val); free(lab);
			continue;
		}
		for (size_t j = 0; j < *n; j++)
			if (!strcmp(r[j].value, val))
				DIAG(L, ynode_get(m, "value"), "选项值 %s 重复", val);
		r[*n].value = val;
		r[*n].label = lab;
		(*n)++;
	}
	return r;
}

static void free_choices(conf_choice *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].value);
		free(c[i].label);
	}
	free(c);
}

static void free_staff_default(conf_staff_default *d)
{
	if (!d)
		return;
	free(d->role);
	free(d->from);
	free(d->superior_of);
	yl_free_strs(d->map_keys, d->nmap);
	yl_free_strs(d->map_vals, d->nmap);
	free(d);
}

/* A staff field's `default:`: {role: R, dept: case_dept|mine|any} or
 * {from: FIELD, map: {VALUE: LOGIN}}. */
static void read_staff_default(loader *L, const ynode *m, conf_field *f)
{
	static const char *const dkeys[] = { "role", "dept", "from", "map", "self", "superior_of", NULL };
	const ynode *v = ynode_get(m, "default");
	if (!v || !yl_want_kind(&L->y, v, YNODE_MAP, "default"))
		return;
	if (f->type != FT_STAFF) {
		DIAG(L, v, "只有 staff 类型的字段可以设 default（按角色或对应关系自动填写）");
		return;
	}
	yl_check_keys(&L->y, v, dkeys);
	conf_staff_default *d = ks_calloc(1, sizeof *d);
	d->pos = pos_of(L, v);
	d->role = get_str(L, v, "role", false);
	d->from = get_str(L, v, "from", false);
	d->self = yl_bool(&L->y, v, "self", false);
	d->superior_of = get_str(L, v, "superior_of", false);
	if (ynode_get(v, "self") && !d->self)
		DIAG(L, ynode_get(v, "self"), "default 的 self 只能是 true（填表的本人）");
	if (d->superior_of && strcmp(d->superior_of, "registrant") && strcmp(d->superior_of, "assignee") &&
	    strcmp(d->superior_of, "me"))
		DIAG(L, ynode_get(v, "superior_of"), "default 的 superior_of 只能是 registrant、assignee 或 me（给了 %s）",
		     d->superior_of);
	if (ynode_get(v, "self") || d->superior_of) {
		if (v->n != 1)
			DIAG(L, v, "default 的 self 与 superior_of 须单独使用（不能与 role、from、dept、map 或彼此同用）");
		f->dflt = d;
		return;
	}
	char *dept = get_str(L, v, "dept", false);
	if (dept && !strcmp(dept, "mine"))
		d->dept = DEFAULT_DEPT_MINE;
	else if (dept && !strcmp(dept, "any"))
		d->dept = DEFAULT_DEPT_ANY;
	else if (dept && strcmp(dept, "case_dept"))
		DIAG(L, ynode_get(v, "dept"), "default 的 dept 只能是 case_dept、mine 或 any（给了 %s）", dept);
	free(dept);
	const ynode *map = ynode_get(v, "map");
	if (!!d->role == !!d->from)
		DIAG(L, v, "default 须有 role（按角色找人）或 from 与 map（按字段值对应），二者选一");
	else if (d->role && (map || ynode_get(v, "from")))
		DIAG(L, map ? map : v, "default 按角色找人时不用 map");
	else if (d->from && ynode_get(v, "dept"))
		DIAG(L, ynode_get(v, "dept"), "default 按字段值对应时不用 dept");
	else if (d->from && !map)
		DIAG(L, v, "缺少必需的键 map");
	else if (d->from && yl_want_kind(&L->y, map, YNODE_MAP, "default 的 map")) {
		d->map_keys = ks_calloc(map->n + 1, sizeof *d->map_keys);
		d->map_vals = ks_calloc(map->n + 1, sizeof *d->map_vals);
		for (size_t i = 0; i < map->n; i++) {
			const ynode *val = map->items[i];
			if (!yl_want_kind(&L->y, val, YNODE_SCALAR, "map 的值（员工登录名）"))
				continue;
			d->map_keys[d->nmap] = ks_strdup(map->keys[i]->str);
			d->map_vals[d->nmap] = ks_strdup(val->str);
			d->nmap++;
		}
	}
	f->dflt = d;
}

static void read_field(loader *L, const ynode *m, conf_field *f)
{
	static const char *const keys[] = { "key", "label", "type", "required", "max_len",
	                                    "min", "max", "choices", "special", "help", "group",
	                                    "recuse", "roles", "default", "fixed", NULL };
	memset(f, 0, sizeof *f);
	f->pos = pos_of(L, m);
	yl_check_keys(&L->y, m, keys);
	f->key = get_str(L, m, "key", true);
	f->label = get_str(L, m, "label", true);
	f->help = get_str(L, m, "help", false);
	f->group = get_str(L, m, "group", false);
	f->required = yl_bool(&L->y, m, "required", false);
	f->recuse = yl_bool(&L->y, m, "recuse", false);
	f->fixed = yl_bool(&L->y, m, "fixed", false);
	f->roles = get_strs(L, m, "roles", &f->nroles, false);
	char *type = get_str(L, m, "type", true);
	if (type && !field_type_parse(type, &f->type)) {
		char list[256] = "";
		for (int t = 0; t < FT__COUNT; t++) {
			if (t)
				strcat(list, ", ");
			strcat(list, field_type_name((field_type)t));
		}
		DIAG(L, ynode_get(m, "type"), "未知的字段类型 %s（可用：%s）", type, list);
	}
	free(type);
	long long v;
	f->max_len = f->type == FT_LONGTEXT ? 5000 : 200;
	if (get_ll(L, m, "max_len", &v)) {
		if (v < 1 || v > 100000)
			DIAG(L, ynode_get(m, "max_len"), "max_len 应在 1 到 100000 之间");
		else
			f->max_len = (long)v;
	}
	static const char *const lims[] = { "min", "max" };
	for (int k = 0; k < 2; k++) {
		ynode *lv = ynode_get(m, lims[k]);
		if (!lv)
			continue;
		bool ok = lv->kind == YNODE_SCALAR &&
		          (f->type == FT_MONEY ? conf_parse_money(lv->str, &v) : parse_ll(lv->str, &v));
		if (!ok) {
			DIAG(L, lv, "%s 应为%s", lims[k], f->type == FT_MONEY ? "金额" : "整数");
			continue;
		}
		if (k == 0) { f->has_min = true; f->min = v; }
		else        { f->has_max = true; f->max = v; }
	}
	if (f->recuse && f->type != FT_STAFF)
		DIAG(L, ynode_get(m, "recuse"), "只有 staff 类型的字段可以设 recuse");
	if (f->nroles && f->type != FT_STAFF)
		DIAG(L, ynode_get(m, "roles"), "只有 staff 类型的字段可以设 roles");
	ynode *ch = ynode_get(m, "choices");
	if (ch)
		f->choices = read_choices(L, ch, &f->nchoices, "choices");
	if (f->type == FT_CHOICE && f->nchoices == 0)
		DIAG(L, m, "选项字段 %s 需要 choices", f->key ? f->key : "?");
	else if (ch && f->type != FT_CHOICE)
		DIAG(L, ch, "只有 choice 类型的字段可以有 choices");
	ynode *sp = ynode_get(m, "special");
	if (sp) {
		f->special = read_choices(L, sp, &f->nspecial, "special");
		if (f->type != FT_NUMBER && f->type != FT_MONEY && f->type != FT_DATE)
			DIAG(L, sp, "special 只用于数字、金额和日期字段");
	}
	read_staff_default(L, m, f);
}

static void free_field(conf_field *f)
{
	free(f->key); free(f->label); free(f->help); free(f->group);
	yl_free_strs(f->roles, f->nroles);
	free_choices(f->choices, f->nchoices);
	free_choices(f->special, f->nspecial);
	free_staff_default(f->dflt);
}

static void read_fields(loader *L, const ynode *v, conf_form *form)
{
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "fields"))
		return;
	form->fields = ks_calloc(v->n, sizeof *form->fields);
	for (size_t i = 0; i < v->n; i++) {
		if (!yl_want_kind(&L->y, v->items[i], YNODE_MAP, "字段"))
			continue;
		conf_field f;
		read_field(L, v->items[i], &f);
		if (!f.key || !f.label) {
			free_field(&f);
			continue;
		}
		if (conf_form_field(form, f.key))
			DIAG(L, ynode_get(v->items[i], "key"), "字段 %s 在表单中重复", f.key);
		form->fields[form->nfields++] = f;
	}
}

static void add_form(conf *c, conf_form *f)
{
	c->forms = ks_realloc(c->forms, (c->nforms + 1) * sizeof *c->forms);
	c->forms[c->nforms++] = *f;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of DIR/sub as "sub/NAME.yaml", sorted; NULL (errno set)
 * if the directory can't be read. Caller frees each name and the array. */
static char **yaml_files(const conf *c, const char *sub, size_t *n)
{
	*n = 0;
	char *dir = ks_asprintf("%s/%s", c->dir, sub);
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return NULL;
	char **names = ks_malloc(sizeof *names);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml") && e->d_name[0] != '.') {
			names = ks_realloc(names, (*n + 1) * sizeof *names);
			names[(*n)++] = ks_asprintf("%s/%s", sub, e->d_name);
		}
	}
	closedir(d);
	qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

/* ---- copies (联) and signatures of a paper form ---- */

static void free_paper(conf_form *f)
{
	for (size_t i = 0; i < f->ncopies; i++) {
		free(f->copies[i].holder);
		free(f->copies[i].purpose);
	}
	free(f->copies);
	yl_free_strs(f->signatures, f->nsignatures);
	for (size_t i = 0; i < f->nitems; i++)
		free_field(&f->items[i]);
	free(f->items);
	free(f->reminder);
	free(f->issuer);
}

/* A reminder form (催办单 / 治办单): `reminder: urge|inquiry`, an optional
 * `issuer` text, and `items`: [{key, label, group}] with keys from the fixed
 * vocabulary CONF_REMINDER_KEYS, which the engine fills (core/remform.c). */
static void read_reminder_form(loader *L, const ynode *m, conf_form *f)
{
	static const char *const vocab[] = { CONF_REMINDER_KEYS };
	static const char *const ikeys[] = { "key", "label", "group", NULL };
	f->reminder = get_str(L, m, "reminder", true);
	if (f->reminder && strcmp(f->reminder, "urge") && strcmp(f->reminder, "inquiry"))
		DIAG(L, ynode_get(m, "reminder"), "reminder 只能是 urge（催办单）或 inquiry（治办单），不是 %s",
		     f->reminder);
	f->issuer = get_str(L, m, "issuer", false);
	if (ynode_get(m, "fields"))
		DIAG(L, ynode_get(m, "fields"), "催办/治办表单（reminder）没有 fields：各栏写在 items 中");
	ynode *v = ynode_get(m, "items");
	if (!v) {
		DIAG(L, m, "缺少必需的键 items");
		return;
	}
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "items"))
		return;
	if (v->n == 0)
		DIAG(L, v, "items 不能为空");
	f->items = ks_calloc(v->n ? v->n : 1, sizeof *f->items);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *it = v->items[i];
		if (!yl_want_kind(&L->y, it, YNODE_MAP, "栏目"))
			continue;
		yl_check_keys(&L->y, it, ikeys);
		conf_field fd = { .type = FT_TEXT, .pos = pos_of(L, it) };
		fd.key = get_str(L, it, "key", true);
		fd.label = get_str(L, it, "label", true);
		fd.group = get_str(L, it, "group", false);
		bool known = false;
		for (const char *const *k = vocab; fd.key && *k; k++)
			known |= !strcmp(*k, fd.key);
		if (fd.key && !known) {
			char list[512] = "";
			for (const char *const *k = vocab; *k; k++) {
				if (*list)
					strncat(list, ", ", sizeof list - strlen(list) - 1);
				strncat(list, *k, sizeof list - strlen(list) - 1);
			}
			DIAG(L, ynode_get(it, "key"), "催办/治办表单没有栏目 %s（可用：%s）", fd.key, list);
		}
		for (size_t j = 0; fd.key && j < f->nitems; j++)
			if (!strcmp(f->items[j].key, fd.key))
				DIAG(L, ynode_get(it, "key"), "栏目 %s 在表单中重复", fd.key);
		if (!fd.key || !fd.label || !known) {
			free_field(&fd);
			continue;
		}
		f->items[f->nitems++] = fd;
	}
}

/* form.copies: [{no, holder, purpose}]; form.signatures: [经办, 审核, 核准]. */
static void read_paper(loader *L, const ynode *m, conf_form *f)
{
	static const char *const ckeys[] = { "no", "holder", "purpose", NULL };
	static const char *const dflt[] = { "经办", "审核", "核准" };
	ynode *cp = ynode_get(m, "copies");
	if (cp && yl_want_kind(&L->y, cp, YNODE_SEQ, "copies")) {
		if (cp->n == 0)
			DIAG(L, cp, "copies 不能为空（不发联单就省略 copies）");
		f->copies = ks_calloc(cp->n, sizeof *f->copies);
		for (size_t i = 0; i < cp->n; i++) {
			const ynode *it = cp->items[i];
			if (!yl_want_kind(&L->y, it, YNODE_MAP, "联"))
				continue;
			yl_check_keys(&L->y, it, ckeys);
			long long no = 0;
			bool has_no = false;
			if (!ynode_get(it, "no"))
				DIAG(L, it, "缺少必需的键 no");
			else if (get_ll(L, it, "no", &no)) {
				if (no < 1 || no > 99)
					DIAG(L, ynode_get(it, "no"), "联号 no 应为 1 到 99 之间的整数");
				else
					has_no = true;
			}
			for (size_t j = 0; has_no && j < f->ncopies; j++)
				if (f->copies[j].no == no)
					DIAG(L, ynode_get(it, "no"), "联号 %lld 重复", no);
			char *holder = get_str(L, it, "holder", true);
			char *purpose = get_str(L, it, "purpose", true);
			if (!has_no || !holder || !purpose) {
				free(holder);
				free(purpose);
				continue;
			}
			conf_copy k = { .no = (int)no, .holder = holder, .purpose = purpose,
			                .kind = !strcmp(holder, "self")          ? COPY_HOLDER_SELF
			                        : !strcmp(holder, "person_dept") ? COPY_HOLDER_PERSON_DEPT
			                                                         : COPY_HOLDER_DEPT,
			                .pos = pos_of(L, ynode_get(it, "holder")) };
			f->copies[f->ncopies++] = k;
		}
	}
	if (ynode_get(m, "signatures")) {
		f->signatures = get_strs(L, m, "signatures", &f->nsignatures, false);
		for (size_t i = 0; i < f->nsignatures; i++)
			if (!*f->signatures[i])
				DIAG(L, ynode_get(m, "signatures"), "signatures 的每一项都不能为空");
		if (f->nsignatures > 6)
			DIAG(L, ynode_get(m, "signatures"), "signatures 最多 6 项（纸面宽度有限）");
	} else {
		f->nsignatures = sizeof dflt / sizeof *dflt;
		f->signatures = ks_calloc(f->nsignatures, sizeof *f->signatures);
		for (size_t i = 0; i < f->nsignatures; i++)
			f->signatures[i] = ks_strdup(dflt[i]);
	}
}

static void read_forms(loader *L)
{
	static const char *const top[] = { "form", NULL };
	static const char *const keys[] = { "code", "title", "fields", "copies", "signatures", NULL };
	static const char *const rkeys[] = { "code", "title", "reminder", "issuer", "items", "copies", "signatures",
	                                     "fields" /* refused with its own message */, NULL };
	size_t n = 0;
	char **names = yaml_files(L->c, "forms", &n);
	if (!names) {
		yl_add(L->y.d, ks_asprintf("forms/:1:1: 无法读取表单目录：%s", strerror(errno)));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(names[i], "forms/monthly_report.yaml")) {
			free(names[i]);   /* the 月报表 layout: src/conf/rptconf.c */
			continue;
		}
		ynode *root = load_file(L, names[i], true);
		free(names[i]);
		if (!root || !yl_want_kind(&L->y, root, YNODE_MAP, "文件内容"))
			continue;
		yl_check_keys(&L->y, root, top);
		ynode *m = ynode_get(root, "form");
		if (!m) {
			DIAG(L, root, "缺少必需的键 form");
			continue;
		}
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "form"))
			continue;
		bool rem = ynode_get(m, "reminder") != NULL;
		yl_check_keys(&L->y, m, rem ? rkeys : keys);
		conf_form f = { .pos = pos_of(L, m) };
		f.code = get_str(L, m, "code", true);
		f.title = get_str(L, m, "title", true);
		if (rem)
			read_reminder_form(L, m, &f);
		else {
			ynode *fl = ynode_get(m, "fields");
			if (fl)
				read_fields(L, fl, &f);
			else
				DIAG(L, m, "缺少必需的键 fields");
		}
		read_paper(L, m, &f);
		if (!f.code || !f.title) {
			free(f.code); free(f.title);
			for (size_t k = 0; k < f.nfields; k++)
				free_field(&f.fields[k]);
			free(f.fields);
			free_paper(&f);
			continue;
		}
		if (conf_find_form(L->c, f.code))
			DIAG(L, ynode_get(m, "code"), "表单代码 %s 重复", f.code);
		add_form(L->c, &f);
	}
	free(names);
}

/* ---- the paper workflow on an action: issues with when, requires, 签呈,
 * quantity_check (issue 4; the engine side is core/paper.c) ---- */

/* issues: [FORM, {form: FORM, when: {…}}, …] */
static void read_issues(loader *L, const ynode *m, conf_action *a)
{
	static const char *const keys[] = { "form", "when", NULL };
	ynode *v = ynode_get(m, "issues");
	a->issues_pos = pos_of(L, v ? v : m);
	if (!v)
		return;
	if (v->kind == YNODE_SCALAR) {
		a->issues = get_strs(L, m, "issues", &a->nissues, false);
		a->issues_when = ks_calloc(1, sizeof *a->issues_when);
		a->nissues_when = ks_calloc(1, sizeof *a->nissues_when);
		return;
	}
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "issues"))
		return;
	a->issues = ks_calloc(v->n, sizeof *a->issues);
	a->issues_when = ks_calloc(v->n, sizeof *a->issues_when);
	a->nissues_when = ks_calloc(v->n, sizeof *a->nissues_when);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *it = v->items[i];
		char *form = NULL;
		conf_cond *w = NULL;
		size_t nw = 0;
		if (it->kind == YNODE_SCALAR)
			form = ks_strdup(it->str);
		else if (it->kind == YNODE_MAP) {
			yl_check_keys(&L->y, it, keys);
			form = get_str(L, it, "form", true);
			w = read_conds(L, ynode_get(it, "when"), &nw);
		} else
			DIAG(L, it, "issues 的每一项应为表单代码或 {form, when}");
		if (!form) {
			free_conds(w, nw);
			continue;
		}
		a->issues[a->nissues] = form;
		a->issues_when[a->nissues] = w;
		a->nissues_when[a->nissues] = nw;
		a->nissues++;
	}
}

/* requires: {form, when, since} or a list of them */
static void read_requires(loader *L, const ynode *m, conf_action *a)
{
	static const char *const keys[] = { "form", "when", "since", NULL };
	ynode *v = ynode_get(m, "requires");
	if (!v)
		return;
	size_t n = v->kind == YNODE_SEQ ? v->n : 1;
	a->requires = ks_calloc(n, sizeof *a->requires);
	for (size_t i = 0; i < n; i++) {
		const ynode *it = v->kind == YNODE_SEQ ? v->items[i] : v;
		if (!yl_want_kind(&L->y, it, YNODE_MAP, "requires"))
			continue;
		yl_check_keys(&L->y, it, keys);
		conf_require r = { .pos = pos_of(L, it) };
		r.form = get_str(L, it, "form", true);
		r.when = read_conds(L, ynode_get(it, "when"), &r.nwhen);
		r.since = get_strs(L, it, "since", &r.nsince, false);
		if (!r.form) {
			free_conds(r.when, r.nwhen);
			yl_free_strs(r.since, r.nsince);
			continue;
		}
		a->requires[a->nrequires++] = r;
	}
}

/* dissent: file | uphold | overturn, with against/against_field/chain (file)
 * and reopen (overturn) */
static void read_dissent(loader *L, const ynode *m, conf_action *a)
{
	char *d = get_str(L, m, "dissent", false);
	if (d) {
		if (!strcmp(d, "file"))
			a->dissent = DISSENT_FILE;
		else if (!strcmp(d, "uphold"))
			a->dissent = DISSENT_UPHOLD;
		else if (!strcmp(d, "overturn"))
			a->dissent = DISSENT_OVERTURN;
		else
			DIAG(L, ynode_get(m, "dissent"), "未知的 dissent %s（可用：file 提出签呈, uphold 维持原决议, overturn 撤销原决议）", d);
		free(d);
	}
	a->against = get_strs(L, m, "against", &a->nagainst, a->dissent == DISSENT_FILE);
	a->against_field = get_str(L, m, "against_field", false);
	a->chain = get_strs(L, m, "chain", &a->nchain, a->dissent == DISSENT_FILE);
	if (a->dissent != DISSENT_FILE)
		for (const char *const *k = (const char *const[]){ "against", "against_field", "chain", NULL }; *k; k++)
			if (ynode_get(m, *k))
				DIAG(L, ynode_get(m, *k), "%s 只用于 dissent: file 的动作", *k);
	ynode *r = ynode_get(m, "reopen");
	if (a->dissent == DISSENT_OVERTURN && !r)
		DIAG(L, m, "dissent: overturn 的动作缺少必需的键 reopen（被撤销的决议 → 回到的状态）");
	if (r && a->dissent != DISSENT_OVERTURN)
		DIAG(L, r, "reopen 只用于 dissent: overturn 的动作");
	if (r && a->dissent == DISSENT_OVERTURN && yl_want_kind(&L->y, r, YNODE_MAP, "reopen")) {
		a->reopen = ks_calloc(r->n, sizeof *a->reopen);
		for (size_t i = 0; i < r->n; i++) {
			if (r->items[i]->kind != YNODE_SCALAR) {
				DIAG(L, r->items[i], "reopen 的值应为状态代码");
				continue;
			}
			a->reopen[a->nreopen].decision = ks_strdup(r->keys[i]->str);
			a->reopen[a->nreopen].state = ks_strdup(r->items[i]->str);
			a->nreopen++;
		}
	}
}

static bool get_per_mille(loader *L, const ynode *map, const char *key, long long *out)
{
	if (!get_ll(L, map, key, out))
		return false;
	if (*out < 0 || *out > 1000000) {
		DIAG(L, ynode_get(map, key), "%s 应为 0 到 1000000 之间的千分比", key);
		return false;
	}
	return true;
}

/* quantity_check: {approved, actual, result, basis, over_per_mille, customers, beyond} */
static void read_qty(loader *L, const ynode *m, conf_action *a)
{
	static const char *const keys[] = { "approved", "actual", "result", "basis", "over_per_mille", "customers",
	                                    "beyond", NULL };
	static const char *const ckeys[] = { "customer", "over_per_mille", NULL };
	ynode *v = ynode_get(m, "quantity_check");
	if (!v || !yl_want_kind(&L->y, v, YNODE_MAP, "quantity_check"))
		return;
	yl_check_keys(&L->y, v, keys);
	conf_qty_check *q = a->qty = ks_calloc(1, sizeof *q);
	q->approved = get_str(L, v, "approved", true);
	q->actual = get_str(L, v, "actual", true);
	q->result = get_str(L, v, "result", true);
	q->basis = get_str(L, v, "basis", false);
	if (!ynode_get(v, "over_per_mille"))
		DIAG(L, v, "缺少必需的键 over_per_mille（本公司规定的超量允收比率，千分比）");
	else
		get_per_mille(L, v, "over_per_mille", &q->over_per_mille);
	char *beyond = get_str(L, v, "beyond", false);
	if (beyond) {
		if (!strcmp(beyond, "limit"))
			q->beyond_limit = true;
		else if (strcmp(beyond, "approved"))
			DIAG(L, ynode_get(v, "beyond"), "beyond 应为 approved（超出比率时依核定量）或 limit（依允收上限）");
		free(beyond);
	}
	ynode *cs = ynode_get(v, "customers");
	if (cs && yl_want_kind(&L->y, cs, YNODE_SEQ, "customers")) {
		q->customers = ks_calloc(cs->n, sizeof *q->customers);
		for (size_t i = 0; i < cs->n; i++) {
			const ynode *it = cs->items[i];
			if (!yl_want_kind(&L->y, it, YNODE_MAP, "客户"))
				continue;
			yl_check_keys(&L->y, it, ckeys);
			conf_qty_customer k = {0};
			k.customer = get_str(L, it, "customer", true);
			bool ok = ynode_get(it, "over_per_mille") ? get_per_mille(L, it, "over_per_mille", &k.over_per_mille)
			                                          : (DIAG(L, it, "缺少必需的键 over_per_mille"), false);
			if (!k.customer || !ok) {
				free(k.customer);
				continue;
			}
			for (size_t j = 0; j < q->ncustomers; j++)
				if (!strcmp(q->customers[j].customer, k.customer))
					DIAG(L, ynode_get(it, "customer"), "客户 %s 重复", k.customer);
			q->customers[q->ncustomers++] = k;
		}
	}
}

static void free_paper_action(conf_action *a)
{
	for (size_t i = 0; a->issues_when && i < a->nissues; i++)
		free_conds(a->issues_when[i], a->nissues_when[i]);
	free(a->issues_when);
	free(a->nissues_when);
	for (size_t i = 0; i < a->nrequires; i++) {
		free(a->requires[i].form);
		free_conds(a->requires[i].when, a->requires[i].nwhen);
		yl_free_strs(a->requires[i].since, a->requires[i].nsince);
	}
	free(a->requires);
	yl_free_strs(a->against, a->nagainst);
	free(a->against_field);
	yl_free_strs(a->chain, a->nchain);
	for (size_t i = 0; i < a->nreopen; i++) {
		free(a->reopen[i].decision);
		free(a->reopen[i].state);
	}
	free(a->reopen);
	if (a->qty) {
		free(a->qty->approved); free(a->qty->actual); free(a->qty->result); free(a->qty->basis);
		for (size_t i = 0; i < a->qty->ncustomers; i++)
			free(a->qty->customers[i].customer);
		free(a->qty->customers);
		free(a->qty);
	}
}

/* ---- an action's quorum (会签): `quorum: {count: K, roles: [...]}` ---- */

static void read_quorum(loader *L, const ynode *m, conf_action *a)
{
	static const char *const qkeys[] = { "count", "roles", "by_role", NULL };
	static const char *const rkeys[] = { "role", "scope", NULL };
	const ynode *q = ynode_get(m, "quorum");
	if (!q || !yl_want_kind(&L->y, q, YNODE_MAP, "quorum"))
		return;
	yl_check_keys(&L->y, q, qkeys);
	a->quorum_pos = pos_of(L, q);
	const ynode *br = ynode_get(q, "by_role");
	if (br) {
		/* 会签 by role: one signature per entry */
		if (ynode_get(q, "count") || ynode_get(q, "roles"))
			DIAG(L, br, "quorum 的 by_role 不能与 count、roles 同时使用");
		if (!yl_want_kind(&L->y, br, YNODE_SEQ, "quorum 的 by_role"))
			return;
		if (br->n < 2 || br->n > 20) {
			DIAG(L, br, "quorum 的 by_role 应列出 2 到 20 个会签角色");
			return;
		}
		a->quorum_by_role = ks_calloc(br->n, sizeof *a->quorum_by_role);
		for (size_t i = 0; i < br->n; i++) {
			const ynode *e = br->items[i];
			if (!yl_want_kind(&L->y, e, YNODE_MAP, "会签角色"))
				continue;
			yl_check_keys(&L->y, e, rkeys);
			conf_quorum_role r = { .pos = pos_of(L, e) };
			r.role = get_str(L, e, "role", true);
			char *scope = get_str(L, e, "scope", false);
			if (scope && !strcmp(scope, "case_dept"))
				r.scope = SCOPE_CASE_DEPT;
			else if (scope && strcmp(scope, "any"))
				DIAG(L, ynode_get(e, "scope"), "会签角色的 scope 只能是 any 或 case_dept（给了 %s）", scope);
			free(scope);
			if (!r.role)
				continue;
			a->quorum_by_role[a->nquorum_by_role++] = r;
		}
		if (a->nquorum_by_role == br->n)
			a->quorum = (int)br->n;
		return;
	}
	long long k = 0;
	if (!ynode_get(q, "count"))
		DIAG(L, q, "缺少必需的键 count（或 by_role）");
	else if (get_ll(L, q, "count", &k) && (k < 2 || k > 100))
		DIAG(L, ynode_get(q, "count"), "quorum 的 count 应为 2 到 100 之间的整数（会签人数）");
	else
		a->quorum = (int)k;
	a->quorum_roles = get_strs(L, q, "roles", &a->nquorum_roles, false);
}

static void free_quorum_by_role(conf_action *a)
{
	for (size_t i = 0; i < a->nquorum_by_role; i++)
		free(a->quorum_by_role[i].role);
	free(a->quorum_by_role);
	a->quorum_by_role = NULL;
	a->nquorum_by_role = 0;
}

/* ---- workflow.yaml ---- */

static void read_workflow(loader *L)
{
	static const char *const top[] = { "case_number", "initial", "intake", "states", "actions",
	                                   "customer_field", "subject_field", NULL };
	static const char *const ikeys[] = { "form", "roles", "register", NULL };
	static const char *const rgkeys[] = { "when", "roles", NULL };
	static const char *const skeys[] = { "code", "label", "final", NULL };
	static const char *const akeys[] = { "code", "label", "from", "to", "roles", "scope", "form", "fields",
	                                     "when", "set_dept", "set_assignee", "approval_amount", "issues",
	                                     "clears", "requires", "dissent", "against", "against_field", "chain",
	                                     "reopen", "quantity_check", "quorum", "check", "unless", NULL };
	conf *c = L->c;
	ynode *root = load_file(L, "workflow.yaml", true);
	const ynode *states = top_seq(L, root, "states", top);
	if (!root || root->kind != YNODE_MAP)
		return;
	c->number_format = get_str(L, root, "case_number", false);
	if (!c->number_format)
		c->number_format = ks_strdup("{YY}{MM}-{SEQ:3}");
	else if (!strstr(c->number_format, "{SEQ"))
		DIAG(L, ynode_get(root, "case_number"), "case_number 必须含有流水号 {SEQ} 或 {SEQ:宽度}");
	c->initial_state = get_str(L, root, "initial", true);
	c->customer_field = get_str(L, root, "customer_field", false);
	c->subject_field = get_str(L, root, "subject_field", false);
	ynode *in = ynode_get(root, "intake");
	if (!in)
		DIAG(L, root, "缺少必需的键 intake");
	else if (yl_want_kind(&L->y, in, YNODE_MAP, "intake")) {
		yl_check_keys(&L->y, in, ikeys);
		c->intake_form = get_str(L, in, "form", true);
		c->intake_roles = get_strs(L, in, "roles", &c->nintake_roles, true);
		const ynode *rg = ynode_get(in, "register");
		if (rg && yl_want_kind(&L->y, rg, YNODE_SEQ, "intake 的 register")) {
			c->registers = ks_calloc(rg->n + 1, sizeof *c->registers);
			for (size_t i = 0; i < rg->n; i++) {
				const ynode *m = rg->items[i];
				if (!yl_want_kind(&L->y, m, YNODE_MAP, "登记规则"))
					continue;
				yl_check_keys(&L->y, m, rgkeys);
				conf_register r = { .pos = pos_of(L, m) };
				if (!ynode_get(m, "when"))
					DIAG(L, m, "缺少必需的键 when");
				r.when = read_conds(L, ynode_get(m, "when"), &r.nwhen);
				r.roles = get_strs(L, m, "roles", &r.nroles, true);
				c->registers[c->nregisters++] = r;
			}
		}
	}
	if (states) {
		c->states = ks_calloc(states->n, sizeof *c->states);
		for (size_t i = 0; i < states->n; i++) {
			const ynode *m = states->items[i];
			if (!yl_want_kind(&L->y, m, YNODE_MAP, "状态"))
				continue;
			yl_check_keys(&L->y, m, skeys);
			conf_state s = { .pos = pos_of(L, m) };
			s.code = get_str(L, m, "code", true);
			s.label = get_str(L, m, "label", true);
			s.final = yl_bool(&L->y, m, "final", false);
			if (!s.code || !s.label) {
				free(s.code); free(s.label);
				continue;
			}
			if (conf_find_state(c, s.code))
				DIAG(L, ynode_get(m, "code"), "状态代码 %s 重复", s.code);
			c->states[c->nstates++] = s;
		}
	}
	ynode *acts = ynode_get(root, "actions");
	if (!acts) {
		DIAG(L, root, "缺少必需的键 actions");
		return;
	}
	if (!yl_want_kind(&L->y, acts, YNODE_SEQ, "actions"))
		return;
	c->actions = ks_calloc(acts->n, sizeof *c->actions);
	for (size_t i = 0; i < acts->n; i++) {
		const ynode *m = acts->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "动作"))
			continue;
		yl_check_keys(&L->y, m, akeys);
		conf_action a = { .pos = pos_of(L, m) };
		a.code = get_str(L, m, "code", true);
		a.label = get_str(L, m, "label", true);
		a.from = get_strs(L, m, "from", &a.nfrom, true);
		a.to = get_str(L, m, "to", false);
		a.roles = get_strs(L, m, "roles", &a.nroles, true);
		a.form = get_str(L, m, "form", false);
		a.set_dept = get_str(L, m, "set_dept", false);
		a.set_assignee = get_str(L, m, "set_assignee", false);
		a.approval_amount = get_str(L, m, "approval_amount", false);
		read_issues(L, m, &a);
		a.clears = get_strs(L, m, "clears", &a.nclears, false);
		read_requires(L, m, &a);
		read_dissent(L, m, &a);
		read_qty(L, m, &a);
		a.when = read_conds(L, ynode_get(m, "when"), &a.nwhen);
		a.check = read_conds(L, ynode_get(m, "check"), &a.ncheck);
		a.unless = read_conds(L, ynode_get(m, "unless"), &a.nunless);
		read_quorum(L, m, &a);
		char *scope = get_str(L, m, "scope", false);
		if (scope) {
			if (!strcmp(scope, "case_dept"))
				a.scope = SCOPE_CASE_DEPT;
			else if (!strcmp(scope, "registrant"))
				a.scope = SCOPE_REGISTRANT;
			else if (!strcmp(scope, "assignee"))
				a.scope = SCOPE_ASSIGNEE;
			else if (!strcmp(scope, "involved"))
				a.scope = SCOPE_INVOLVED;
			else if (strcmp(scope, "any"))
				DIAG(L, ynode_get(m, "scope"),
				     "未知的 scope %s（可用：any, case_dept, registrant, assignee, involved）", scope);
			free(scope);
		}
		ynode *inl = ynode_get(m, "fields");
		if (inl && a.code) {
			if (a.form)
				DIAG(L, inl, "动作不能同时有 form 和 fields");
			else {
				/* inline fields become a form named after the action */
				conf_form f = { .pos = pos_of(L, inl) };
				f.code = ks_asprintf("action:%s", a.code);
				f.title = ks_strdup(a.label ? a.label : a.code);
				read_fields(L, inl, &f);
				add_form(c, &f);
				a.form = ks_strdup(f.code);
			}
		}
		if (!a.code || !a.label) {
			free(a.code); free(a.label); free(a.to); free(a.form);
			free(a.set_dept); free(a.set_assignee); free(a.approval_amount);
			yl_free_strs(a.from, a.nfrom);
			yl_free_strs(a.roles, a.nroles);
			free_conds(a.when, a.nwhen);
			free_conds(a.check, a.ncheck);
			free_conds(a.unless, a.nunless);
			free_paper_action(&a);
			yl_free_strs(a.issues, a.nissues);
			yl_free_strs(a.clears, a.nclears);
			yl_free_strs(a.quorum_roles, a.nquorum_roles);
			free_quorum_by_role(&a);
			continue;
		}
		if (conf_find_action(c, a.code))
			DIAG(L, ynode_get(m, "code"), "动作代码 %s 重复", a.code);
		c->actions[c->nactions++] = a;
	}
}

/* ---- routing.yaml ---- */

static void read_routing(loader *L)
{
	static const char *const top[] = { "routes", NULL };
	static const char *const keys[] = { "when", "dept", NULL };
	const ynode *s = top_seq(L, load_file(L, "routing.yaml", true), "routes", top);
	if (!s)
		return;
	conf *c = L->c;
	c->routes = ks_calloc(s->n, sizeof *c->routes);
	for (size_t i = 0; i < s->n; i++) {
		const ynode *m = s->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "路由规则"))
			continue;
		yl_check_keys(&L->y, m, keys);
		conf_route r = { .pos = pos_of(L, m) };
		r.dept = get_str(L, m, "dept", true);
		r.when = read_conds(L, ynode_get(m, "when"), &r.nwhen);
		c->routes[c->nroutes++] = r;
	}
}

/* ---- limits.yaml ---- */

/* A duration written as a map with one key: {days: 3}, {workdays: 1},
 * {hours: 24}, {minutes: 30}, {workhours: 8}. */
static bool read_duration(loader *L, const ynode *v, const char *what, calendar_duration *d)
{
	memset(d, 0, sizeof *d);
	if (v && v->kind == YNODE_SCALAR && !strcmp(v->str, "0")) {
		d->unit = CALENDAR_MINUTES;
		return true;
	}
	if (!v || v->kind != YNODE_MAP || v->n != 1) {
		DIAG(L, v, "%s 应为只有一个键的映射，如 {days: 3}、{workdays: 1}、{hours: 24}、{minutes: 30}、{workhours: 8}", what);
		return false;
	}
	if (!calendar_unit_parse(v->keys[0]->str, &d->unit)) {
		DIAG(L, v->keys[0], "未知的时间单位 %s（可用：minutes, hours, days, workdays, workhours, months）", v->keys[0]->str);
		return false;
	}
	long long n;
	if (v->items[0]->kind != YNODE_SCALAR || !parse_ll(v->items[0]->str, &n) || n < 0 || n > CALENDAR_MAX_AMOUNT) {
		DIAG(L, v->items[0], "%s 的数量应为 0 到 %ld 之间的整数", what, (long)CALENDAR_MAX_AMOUNT);
		return false;
	}
	d->n = (long)n;
	return true;
}

static void read_limits(loader *L)
{
	static const char *const top[] = { "clocks", "pause", NULL };
	static const char *const keys[] = { "code", "label", "start", "stop", "when", "limit", "end", "roll",
	                                    "reminders", "calendar", "start_field", "due_field", "supersede", "continues", NULL };
	static const char *const lkeys[] = { "before", "after", "role", "to", "at_due", NULL };
	conf *c = L->c;
	ynode *root = load_file(L, "limits.yaml", false);
	if (!root)
		return;
	const ynode *s = top_seq(L, root, "clocks", top);
	c->pause_states = get_strs(L, root, "pause", &c->npause_states, false);
	if (!s)
		return;
	c->clocks = ks_calloc(s->n, sizeof *c->clocks);
	for (size_t i = 0; i < s->n; i++) {
		const ynode *m = s->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "时限"))
			continue;
		yl_check_keys(&L->y, m, keys);
		conf_clock k = { .pos = pos_of(L, m) };
		k.code = get_str(L, m, "code", true);
		k.label = get_str(L, m, "label", true);
		k.start = get_strs(L, m, "start", &k.nstart, true);
		k.stop = get_strs(L, m, "stop", &k.nstop, true);
		k.supersede = get_strs(L, m, "supersede", &k.nsupersede, false);
		k.continues = get_str(L, m, "continues", false);
		k.when = read_conds(L, ynode_get(m, "when"), &k.nwhen);
		k.calendar_name = get_str(L, m, "calendar", false);
		k.start_field = get_str(L, m, "start_field", false);
		k.due_field = get_str(L, m, "due_field", false);
		ynode *lim = ynode_get(m, "limit");
		if (!lim) {
			if (!k.due_field)
				DIAG(L, m, "缺少必需的键 limit（或以 due_field 指定到期时间的字段）");
			k.limit.unit = CALENDAR_HOURS; /* elapsed time, for pauses and reminders */
		} else {
			k.has_limit = read_duration(L, lim, "limit", &k.limit);
		}
		char *end = get_str(L, m, "end", false);
		/* 民法典: N working days end at the close of business of the last one */
		if (k.limit.unit == CALENDAR_WORKDAYS)
			k.limit.end = CALENDAR_END_CLOSE;
		if (end) {
			k.limit.end = CALENDAR_END_EOD;
			if (!strcmp(end, "close"))
				k.limit.end = CALENDAR_END_CLOSE;
			else if (strcmp(end, "eod"))
				DIAG(L, ynode_get(m, "end"), "end 应为 eod（当日 24:00）或 close（下班时）");
			free(end);
		}
		if (!yl_bool(&L->y, m, "roll", true))
			k.limit.roll = CALENDAR_ROLL_NONE;
		ynode *rem = ynode_get(m, "reminders");
		if (rem && yl_want_kind(&L->y, rem, YNODE_SEQ, "reminders")) {
			k.levels = ks_calloc(rem->n, sizeof *k.levels);
			for (size_t j = 0; j < rem->n; j++) {
				const ynode *lm = rem->items[j];
				if (!yl_want_kind(&L->y, lm, YNODE_MAP, "提醒级别"))
					continue;
				yl_check_keys(&L->y, lm, lkeys);
				conf_level lv = {0};
				ynode *b = ynode_get(lm, "before"), *a = ynode_get(lm, "after");
				if ((b != NULL) == (a != NULL)) {
					DIAG(L, lm, "提醒级别需要 before（到期前提醒）或 after（逾期后催办）之一");
					continue;
				}
				lv.before = b != NULL;
				if (!read_duration(L, b ? b : a, b ? "before" : "after", &lv.offset))
					continue;
				if (lv.offset.unit == CALENDAR_MONTHS) {
					DIAG(L, b ? b : a, "提醒的 %s 不能以 months 计（用 days 或 workdays）", b ? "before" : "after");
					continue;
				}
				lv.role = get_str(L, lm, "role", false);
				read_level_person(L, lm, &lv);
				k.levels[k.nlevels++] = lv;
			}
		}
		if (!k.code || !k.label) {
			free(k.code); free(k.label); free(k.start_field); free(k.due_field);
			yl_free_strs(k.start, k.nstart);
			yl_free_strs(k.stop, k.nstop);
			yl_free_strs(k.supersede, k.nsupersede);
			free(k.continues);
			free_conds(k.when, k.nwhen);
			for (size_t j = 0; j < k.nlevels; j++) {
				free(k.levels[j].role);
				free(k.levels[j].to);
			}
			free(k.levels);
			continue;
		}
		if (conf_find_clock(c, k.code))
			DIAG(L, ynode_get(m, "code"), "时限代码 %s 重复", k.code);
		c->clocks[c->nclocks++] = k;
	}
}

/* ---- calendar.yaml: the working calendar and the business time zone ---- */

/* Load one calendar file (dir-relative name) into *out; hashes its bytes. */
static bool load_calendar(loader *L, const char *name, calendar **out, calconf_info *info)
{
	char *path = ks_asprintf("%s/%s", L->c->dir, name);
	FILE *f = fopen(path, "rb");
	if (f) {
		/* calendars are part of the configuration's hash too */
		char buf[8192];
		size_t k;
		while ((k = fread(buf, 1, sizeof buf, f)) > 0)
			ks_sha256_update(&L->md, buf, k);
		ks_sha256_update(&L->md, name, strlen(name) + 1);
		fclose(f);
	}
	const char *display = yl_keep_name(L->c, name);
	bool ok = calconf_load(path, display, out, info, L->y.d) == KS_OK;
	free(path);
	return ok;
}

static void read_calendar(loader *L)
{
	conf *c = L->c;
	calconf_info info = {0};
	if (load_calendar(L, "calendar.yaml", &c->cal, &info)) {
		c->timezone = info.timezone;
		c->calendar_label = info.label;
	}
	/* further named calendars: calendars/NAME.yaml, chosen by a clock's `calendar` */
	size_t n = 0;
	char **names = yaml_files(c, "calendars", &n);
	if (!names)
		return;
	for (size_t i = 0; i < n; i++) {
		calendar *cal = NULL;
		calconf_info ci = {0};
		if (load_calendar(L, names[i], &cal, &ci)) {
			conf_pos p = { c->files[c->nfiles - 1], 1, 1 };
			if (c->timezone && strcmp(ci.timezone, c->timezone))
				diag_pos(L, &p, "日历 %s 的时区 %s 与 calendar.yaml 的 %s 不同：一个数据目录只能用一个时区",
				         calendar_name(cal), ci.timezone, c->timezone);
			bool dup = c->cal && !strcmp(calendar_name(c->cal), calendar_name(cal));
			for (size_t k = 0; k < c->ncals; k++)
				if (!strcmp(calendar_name(c->cals[k]), calendar_name(cal)))
					dup = true;
			if (dup)
				diag_pos(L, &p, "日历名称 %s 重复", calendar_name(cal));
			c->cals = ks_realloc(c->cals, (c->ncals + 1) * sizeof *c->cals);
			c->cals[c->ncals++] = cal;
			calconf_info_free(&ci);
		}
		free(names[i]);
	}
	free(names);
}

const calendar *conf_find_calendar(const conf *c, const char *name)
{
	if (c->cal && !strcmp(calendar_name(c->cal), name))
		return c->cal;
	for (size_t i = 0; i < c->ncals; i++)
		if (!strcmp(calendar_name(c->cals[i]), name))
			return c->cals[i];
	return NULL;
}

/* ---- cross-references ---- */

static void check_role_refs(loader *L, const conf_pos *p, char **roles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!conf_find_role(L->c, roles[i]))
			diag_pos(L, p, "引用了未定义的角色 %s", roles[i]);
}

/* A quorum action must move the case (the K-th signature moves it), and
 * enough active staff must be able to sign. */
static void check_quorum(loader *L, const conf_action *a)
{
	if (!a->quorum)
		return;
	check_role_refs(L, &a->quorum_pos, a->quorum_roles, a->nquorum_roles);
	bool stays = !a->to;
	for (size_t k = 0; a->to && k < a->nfrom; k++)
		if (!strcmp(a->from[k], a->to))
			stays = true;
	if (stays)
		diag_pos(L, &a->quorum_pos, "动作 %s 有 quorum（会签），须以 to 转到另一状态", a->code);
	if (a->nquorum_by_role) {
		/* each role: defined, one of the action's roles, held by active staff */
		for (size_t i = 0; i < a->nquorum_by_role; i++) {
			const conf_quorum_role *r = &a->quorum_by_role[i];
			const conf_role *cr = conf_find_role(L->c, r->role);
			if (!cr) {
				diag_pos(L, &r->pos, "引用了未定义的角色 %s", r->role);
				continue;
			}
			bool listed = false;
			for (size_t k = 0; k < a->nroles; k++)
				listed |= !strcmp(a->roles[k], r->role);
			if (!listed)
				diag_pos(L, &r->pos, "会签角色 %s 须列在动作 %s 的 roles 中", r->role, a->code);
			size_t holders = 0;
			for (size_t k = 0; k < L->c->nstaff; k++)
				holders += L->c->staff[k].active && conf_staff_has_role(&L->c->staff[k], r->role);
			if (!holders)
				diag_pos(L, &r->pos, "动作 %s 须由%s会签，但没有在职员工有此角色", a->code, cr->name);
		}
		return;
	}
	char **roles = a->nquorum_roles ? a->quorum_roles : a->roles;
	size_t nroles = a->nquorum_roles ? a->nquorum_roles : a->nroles, can = 0;
	for (size_t i = 0; i < L->c->nstaff; i++) {
		const conf_staff *p = &L->c->staff[i];
		bool role = false, sign = false;
		for (size_t r = 0; r < a->nroles; r++)
			role |= conf_staff_has_role(p, a->roles[r]);
		for (size_t r = 0; r < nroles; r++)
			sign |= conf_staff_has_role(p, roles[r]);
		if (p->active && role && sign)
			can++;
	}
	if (can < (size_t)a->quorum)
		diag_pos(L, &a->quorum_pos, "动作 %s 须 %d 人会签，但只有 %zu 名在职员工可以会签", a->code, a->quorum,
		         can);
}

static const conf_field *intake_form_field(const conf *c, const char *key)
{
	const conf_form *f = c->intake_form ? conf_find_form(c, c->intake_form) : NULL;
	return f ? conf_form_field(f, key) : NULL;
}

static const conf_field *any_form_field(const conf *c, const char *key)
{
	const conf_field *f = NULL;
	for (size_t k = 0; k < c->nforms && !f; k++)
		f = conf_form_field(&c->forms[k], key);
	return f;
}

/* A staff field's default: its role exists and suits the field; a mapping's
 * field is a choice, its values are choices and its people suit the field;
 * the intake form cannot look in the case's department (there is none yet). */
static void check_staff_default(loader *L, const conf_form *form, const conf_field *f)
{
	const conf_staff_default *d = f->dflt;
	const conf *c = L->c;
	if (!d)
		return;
	if (d->role) {
		if (!conf_find_role(c, d->role))
			diag_pos(L, &d->pos, "引用了未定义的角色 %s", d->role);
		bool suits = !f->nroles;
		for (size_t r = 0; r < f->nroles; r++)
			suits |= !strcmp(f->roles[r], d->role);
		if (!suits)
			diag_pos(L, &d->pos, "default 的角色 %s 不在字段 %s 的 roles 中", d->role, f->key);
		if (d->dept == DEFAULT_DEPT_CASE && c->intake_form && !strcmp(form->code, c->intake_form))
			diag_pos(L, &d->pos, "登记表单的字段 %s 不能用 dept: case_dept（登记时案件还没有部门），可用 mine 或 any",
			         f->key);
		return;
	}
	if (!d->from)
		return;
	const conf_field *src = any_form_field(c, d->from);
	if (!src || src->type != FT_CHOICE) {
		diag_pos(L, &d->pos, "default 的 from 应为选项字段，%s %s", d->from, src ? "不是选项字段" : "未定义");
		return;
	}
	for (size_t i = 0; i < d->nmap; i++) {
		if (!conf_choice_label(src, d->map_keys[i]))
			diag_pos(L, &d->pos, "default 的 map 中 %s 不是字段 %s 的选项", d->map_keys[i], d->from);
		const conf_staff *p = conf_find_staff(c, d->map_vals[i]);
		if (!p) {
			diag_pos(L, &d->pos, "default 的 map 引用了未定义的员工 %s", d->map_vals[i]);
			continue;
		}
		bool suits = !f->nroles;
		for (size_t r = 0; r < f->nroles; r++)
			suits |= conf_staff_has_role(p, f->roles[r]);
		if (!suits)
			diag_pos(L, &d->pos, "default 的 map 中 %s（%s）没有字段 %s 要求的角色", p->login, p->name, f->key);
	}
}

/* Kinds of value two fields compare as in equals_field: text (text,
 * longtext, choice), or the type itself. */
static int compare_kind(field_type t)
{
	return t == FT_LONGTEXT || t == FT_CHOICE ? FT_TEXT : (int)t;
}

/* equals_field, older_than, within: the fields exist and have fitting types. */
static void check_cond_op(loader *L, const conf_pos *p, conf_cond *w, const conf_field *f)
{
	const conf_pos *at = w->pos.file ? &w->pos : p;
	w->cal = L->c->cal;
	if (w->op == COND_OLDER_THAN || w->op == COND_WITHIN) {
		if (f->type != FT_DATE && f->type != FT_DATETIME)
			diag_pos(L, at, "条件 %s 的 %s 只能用于日期或日期时间字段，%s 是 %s 类型", w->field,
			         w->op == COND_WITHIN ? "within" : "older_than", w->field, field_type_name(f->type));
		return;
	}
	if (!w->other)
		return;
	const conf_field *g = any_form_field(L->c, w->other);
	if (!g) {
		diag_pos(L, at, "条件 %s 的 equals_field 引用了未定义的字段 %s", w->field, w->other);
		return;
	}
	if (!strcmp(w->other, w->field)) {
		diag_pos(L, at, "条件 %s 的 equals_field 不能是它自己", w->field);
		return;
	}
	if (compare_kind(f->type) != compare_kind(g->type)) {
		diag_pos(L, at, "条件 %s（%s 类型）不能与字段 %s（%s 类型）比较", w->field, field_type_name(f->type),
		         w->other, field_type_name(g->type));
		return;
	}
	if (f->type == FT_CHOICE && g->type == FT_CHOICE) {
		bool common = false;
		for (size_t j = 0; j < f->nchoices && !common; j++)
			common = conf_choice_label(g, f->choices[j].value) != NULL;
		if (!common)
			diag_pos(L, at, "条件 %s 与字段 %s 没有相同的选项，永远不会相等", w->field, w->other);
	}
}

static void check_conds(loader *L, const conf_pos *p, conf_cond *w, size_t n)
{
	/* a condition names a field of some form; check it exists somewhere */
	for (size_t i = 0; i < n; i++) {
		const conf_field *f = any_form_field(L->c, w[i].field);
		if (!f) {
			diag_pos(L, w[i].pos.file ? &w[i].pos : p, "条件引用了未定义的字段 %s", w[i].field);
			continue;
		}
		if (w[i].op != COND_IN) {
			check_cond_op(L, p, &w[i], f);
			continue;
		}
		if (f->type == FT_CHOICE || f->type == FT_YESNO)
			for (size_t j = 0; j < w[i].nvalues; j++)
				if (f->type == FT_CHOICE ? !conf_choice_label(f, w[i].values[j])
				                         : strcmp(w[i].values[j], "yes") && strcmp(w[i].values[j], "no"))
					diag_pos(L, p, "条件中字段 %s 的值 %s 不是它的选项", w[i].field, w[i].values[j]);
	}
}

static void check_field_ref(loader *L, const conf_action *a, const char *field, field_type want, const char *key)
{
	if (!field)
		return;
	const conf_form *f = a->form ? conf_find_form(L->c, a->form) : NULL;
	const conf_field *fd = f ? conf_form_field(f, field) : NULL;
	if (key && !strcmp(key, "approval_amount")) {
		/* the amount may have been recorded by an earlier action's form */
		for (size_t k = 0; k < L->c->nforms && !fd; k++)
			fd = conf_form_field(&L->c->forms[k], field);
	}
	if (!fd)
		diag_pos(L, &a->pos, "动作 %s 的 %s 引用了表单中没有的字段 %s", a->code, key, field);
	else if (fd->type != want)
		diag_pos(L, &a->pos, "动作 %s 的 %s 字段 %s 应为 %s 类型", a->code, key, field, field_type_name(want));
}

/* Copy holders are departments (or self / person_dept, for forms about a
 * person); an action issues only forms that have copies, all held by
 * departments. */
static void check_paper(loader *L)
{
	conf *c = L->c;
	for (size_t i = 0; i < c->nforms; i++)
		for (size_t k = 0; k < c->forms[i].ncopies; k++) {
			const conf_copy *p = &c->forms[i].copies[k];
			if (p->kind == COPY_HOLDER_DEPT && !conf_find_dept(c, p->holder))
				diag_pos(L, &p->pos, "表单 %s 第 %d 联的持有部门 %s 未定义", c->forms[i].code,
				         p->no, p->holder);
		}
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_form *f = &c->forms[i];
		if (!f->reminder)
			continue;
		for (size_t k = 0; k < f->ncopies; k++)
			if (f->copies[k].kind != COPY_HOLDER_DEPT)
				diag_pos(L, &f->copies[k].pos, "催办/治办表单 %s 第 %d 联只能由部门持有，不能是 %s", f->code,
				         f->copies[k].no, f->copies[k].holder);
		for (size_t j = 0; j < i; j++)
			if (c->forms[j].reminder && !strcmp(c->forms[j].reminder, f->reminder))
				diag_pos(L, &f->pos, "reminder: %s 已由表单 %s 定义，不能再由 %s 定义", f->reminder,
				         c->forms[j].code, f->code);
	}
	for (size_t i = 0; i < c->nactions; i++) {
		const conf_action *a = &c->actions[i];
		const conf_form *af = a->form ? conf_find_form(c, a->form) : NULL;
		if (af && af->reminder)
			diag_pos(L, &a->pos, "动作 %s 的 form 是催办/治办表单 %s（由 kesu remind 的记录打印，不能填写）",
			         a->code, af->code);
		for (size_t k = 0; k < a->nissues; k++) {
			const conf_form *f = conf_find_form(c, a->issues[k]);
			if (f && f->reminder)
				diag_pos(L, &a->issues_pos, "动作 %s 的 issues 引用的表单 %s 是催办/治办表单（由 kesu remind "
				         "的记录打印，不由动作发出）", a->code, a->issues[k]);
			if (!f)
				diag_pos(L, &a->issues_pos, "动作 %s 的 issues 引用了未定义的表单 %s", a->code, a->issues[k]);
			else if (f->ncopies == 0)
				diag_pos(L, &a->issues_pos, "动作 %s 的 issues 引用的表单 %s 没有定义 copies（联）", a->code,
				         a->issues[k]);
			for (size_t j = 0; f && j < f->ncopies; j++)
				if (f->copies[j].kind != COPY_HOLDER_DEPT)
					diag_pos(L, &a->issues_pos, "动作 %s 的 issues 引用的表单 %s 第 %d 联由个人持有（%s），"
					         "只能作为 penalty.yaml 的 notice 表单", a->code, a->issues[k], f->copies[j].no,
					         f->copies[j].holder);
			for (size_t j = 0; j < k; j++)
				if (!strcmp(a->issues[j], a->issues[k]))
					diag_pos(L, &a->issues_pos, "动作 %s 的 issues 重复列出表单 %s", a->code, a->issues[k]);
		}
	}
}

/* The paper workflow's references (see read_issues … read_qty). */
static const conf_field *form_field_any(const conf *c, const char *key)
{
	const conf_field *f = NULL;
	for (size_t k = 0; k < c->nforms && !f; k++)
		f = conf_form_field(&c->forms[k], key);
	return f;
}

static void check_paper_workflow(loader *L)
{
	conf *c = L->c;
	bool any_file = false;
	for (size_t i = 0; i < c->nactions; i++)
		any_file |= c->actions[i].dissent == DISSENT_FILE;
	for (size_t i = 0; i < c->nactions; i++) {
		const conf_action *a = &c->actions[i];
		const conf_form *af = a->form ? conf_find_form(c, a->form) : NULL;
		for (size_t k = 0; a->issues_when && k < a->nissues; k++)
			check_conds(L, &a->issues_pos, a->issues_when[k], a->nissues_when[k]);
		for (size_t k = 0; k < a->nrequires; k++) {
			const conf_require *r = &a->requires[k];
			if (!conf_find_form(c, r->form))
				diag_pos(L, &r->pos, "动作 %s 的 requires 引用了未定义的表单 %s", a->code, r->form);
			check_conds(L, &r->pos, r->when, r->nwhen);
			for (size_t j = 0; j < r->nsince; j++)
				if (!conf_find_action(c, r->since[j]))
					diag_pos(L, &r->pos, "动作 %s 的 requires.since 引用了未定义的动作 %s", a->code, r->since[j]);
		}
		if (a->dissent == DISSENT_FILE) {
			for (size_t k = 0; k < a->nagainst; k++)
				if (!conf_find_action(c, a->against[k]))
					diag_pos(L, &a->pos, "动作 %s 的 against 引用了未定义的动作 %s", a->code, a->against[k]);
			check_role_refs(L, &a->pos, a->chain, a->nchain);
			if (a->against_field) {
				const conf_field *fd = af ? conf_form_field(af, a->against_field) : NULL;
				if (!fd || fd->type != FT_CHOICE)
					diag_pos(L, &a->pos, "动作 %s 的 against_field %s 应为本动作表单中的选项字段", a->code,
					         a->against_field);
				for (size_t k = 0; fd && fd->type == FT_CHOICE && k < fd->nchoices; k++) {
					bool in = false;
					for (size_t j = 0; j < a->nagainst; j++)
						in |= !strcmp(a->against[j], fd->choices[k].value);
					if (!in)
						diag_pos(L, &fd->pos, "字段 %s 的选项 %s 不在动作 %s 的 against 中", fd->key,
						         fd->choices[k].value, a->code);
				}
			}
		}
		if ((a->dissent == DISSENT_UPHOLD || a->dissent == DISSENT_OVERTURN) && !any_file)
			diag_pos(L, &a->pos, "动作 %s 处理签呈，但没有 dissent: file 的动作可以提出签呈", a->code);
		if (a->dissent != DISSENT_NONE && a->to)
			diag_pos(L, &a->pos, "签呈动作 %s 不能有 to（提出与维持不改变状态，撤销按 reopen）", a->code);
		for (size_t k = 0; k < a->nreopen; k++) {
			bool contested = false;
			for (size_t j = 0; j < c->nactions; j++)
				for (size_t t = 0; c->actions[j].dissent == DISSENT_FILE && t < c->actions[j].nagainst; t++)
					contested |= !strcmp(c->actions[j].against[t], a->reopen[k].decision);
			if (!contested)
				diag_pos(L, &a->pos, "动作 %s 的 reopen 中 %s 不是任何签呈可针对的决议（against）", a->code,
				         a->reopen[k].decision);
			if (!conf_find_state(c, a->reopen[k].state))
				diag_pos(L, &a->pos, "动作 %s 的 reopen 引用了未定义的状态 %s", a->code, a->reopen[k].state);
		}
		if (a->qty) {
			const conf_qty_check *q = a->qty;
			const conf_field *fd = q->approved ? form_field_any(c, q->approved) : NULL;
			if (q->approved && (!fd || fd->type != FT_NUMBER))
				diag_pos(L, &a->pos, "动作 %s 的 quantity_check.approved %s 应为某表单中的数字字段", a->code, q->approved);
			const char *keys[2] = { q->actual, q->result };
			for (int k = 0; k < 2; k++) {
				fd = keys[k] && af ? conf_form_field(af, keys[k]) : NULL;
				if (keys[k] && (!fd || fd->type != FT_NUMBER))
					diag_pos(L, &a->pos, "动作 %s 的 quantity_check.%s %s 应为本动作表单中的数字字段", a->code,
					         k ? "result" : "actual", keys[k]);
				else if (k && fd && fd->required)
					diag_pos(L, &fd->pos, "字段 %s 由 quantity_check 计算，不能是 required", fd->key);
			}
			fd = q->basis && af ? conf_form_field(af, q->basis) : NULL;
			if (q->basis && (!fd || (fd->type != FT_TEXT && fd->type != FT_LONGTEXT)))
				diag_pos(L, &a->pos, "动作 %s 的 quantity_check.basis %s 应为本动作表单中的文本字段", a->code, q->basis);
			else if (fd && fd->required)
				diag_pos(L, &fd->pos, "字段 %s 由 quantity_check 计算，不能是 required", fd->key);
			if (q->ncustomers && !c->customer_field)
				diag_pos(L, &a->pos, "动作 %s 的 quantity_check.customers 需要 workflow.yaml 的 customer_field", a->code);
		}
	}
}

/* reports_to (直接上级): an existing login, not the person, no cycle. */
static void check_reports_to(loader *L)
{
	conf *c = L->c;
	for (size_t i = 0; i < c->nstaff; i++) {
		const conf_staff *s = &c->staff[i];
		if (!s->reports_to)
			continue;
		if (!strcmp(s->reports_to, s->login)) {
			diag_pos(L, &s->reports_to_pos, "员工 %s 的 reports_to（直接上级）不能是本人", s->login);
			continue;
		}
		if (!conf_find_staff(c, s->reports_to)) {
			diag_pos(L, &s->reports_to_pos, "员工 %s 的 reports_to（直接上级）引用了未定义的员工 %s",
			         s->login, s->reports_to);
			continue;
		}
		/* follow the chain; coming back to s is a cycle (reported at s; a
		 * chain longer than the staff list is a cycle further up, reported there) */
		const conf_staff *p = s;
		for (size_t k = 0; k <= c->nstaff && p && p->reports_to; k++) {
			p = conf_find_staff(c, p->reports_to);
			if (p == s) {
				diag_pos(L, &s->reports_to_pos, "员工 %s 的 reports_to（直接上级）构成循环：经 %s 又回到 %s",
				         s->login, s->reports_to, s->login);
				break;
			}
		}
	}
}

/* `fixed: true` (set at registration or import, never changed): only on the
 * intake form; no action's form may write the key, nor its clears remove it. */
static void check_fixed(loader *L)
{
	const conf *c = L->c;
	const conf_form *in = c->intake_form ? conf_find_form(c, c->intake_form) : NULL;
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_form *f = &c->forms[i];
		for (size_t k = 0; k < f->nfields; k++)
			if (f->fields[k].fixed && f != in)
				diag_pos(L, &f->fields[k].pos, "字段 %s 的 fixed（登记后不可更改）只用于登记表单的字段", f->fields[k].key);
	}
	if (!in)
		return;
	for (size_t i = 0; i < c->nactions; i++) {
		const conf_action *a = &c->actions[i];
		const conf_form *af = a->form ? conf_find_form(c, a->form) : NULL;
		for (size_t k = 0; af && k < af->nfields; k++) {
			const conf_field *fx = conf_form_field(in, af->fields[k].key);
			if (fx && fx->fixed)
				diag_pos(L, &af->fields[k].pos, "动作 %s 的表单写入字段 %s（%s），但它是 fixed（登记后不可更改）",
				         a->code, fx->key, fx->label);
		}
		for (size_t k = 0; k < a->nclears; k++) {
			const conf_field *fx = conf_form_field(in, a->clears[k]);
			if (fx && fx->fixed)
				diag_pos(L, &a->pos, "动作 %s 的 clears 清除字段 %s（%s），但它是 fixed（登记后不可更改）",
				         a->code, fx->key, fx->label);
		}
	}
}

static void cross_check(loader *L)
{
	conf *c = L->c;
	for (size_t i = 0; i < c->ndepts; i++)
		if (c->depts[i].parent && !conf_find_dept(c, c->depts[i].parent))
			diag_pos(L, &c->depts[i].pos, "上级部门 %s 未定义", c->depts[i].parent);
	for (size_t i = 0; i < c->nstaff; i++) {
		conf_staff *s = &c->staff[i];
		if (!conf_find_dept(c, s->dept))
			diag_pos(L, &s->dept_pos, "员工 %s 的部门 %s 未定义", s->login, s->dept);
		check_role_refs(L, &s->roles_pos, s->roles, s->nroles);
	}
	check_reports_to(L);
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_form *f = &c->forms[i];
		for (size_t k = 0; k < f->nfields; k++) {
			const conf_field *fd = &f->fields[k];
			if (fd->has_min && fd->has_max && fd->min > fd->max)
				diag_pos(L, &fd->pos, "字段 %s 的 min 大于 max", fd->key);
		}
	}
	if (c->intake_form && !conf_find_form(c, c->intake_form))
		yl_add(L->y.d, ks_asprintf("workflow.yaml:1:1: intake 引用了未定义的表单 %s", c->intake_form));
	conf_pos wf = { "workflow.yaml", 1, 1 };
	check_role_refs(L, &wf, c->intake_roles, c->nintake_roles);
	for (size_t i = 0; i < c->nregisters; i++) {
		const conf_register *r = &c->registers[i];
		check_conds(L, &r->pos, r->when, r->nwhen);
		for (size_t k = 0; k < r->nwhen; k++)
			if (intake_form_field(c, r->when[k].field) == NULL && any_form_field(c, r->when[k].field))
				diag_pos(L, &r->pos, "登记规则的条件须用登记表单的字段，%s 不是", r->when[k].field);
		for (size_t k = 0; k < r->nroles; k++) {
			if (!conf_find_role(c, r->roles[k])) {
				diag_pos(L, &r->pos, "引用了未定义的角色 %s", r->roles[k]);
				continue;
			}
			bool listed = false;
			for (size_t j = 0; j < c->nintake_roles; j++)
				listed |= !strcmp(c->intake_roles[j], r->roles[k]);
			if (!listed)
				diag_pos(L, &r->pos, "登记规则的角色 %s 须列在 intake 的 roles 中", r->roles[k]);
		}
	}
	for (size_t i = 0; i < c->nforms; i++)
		for (size_t k = 0; k < c->forms[i].nfields; k++)
			check_role_refs(L, &c->forms[i].fields[k].pos, c->forms[i].fields[k].roles,
			                c->forms[i].fields[k].nroles);
	for (size_t i = 0; i < c->nforms; i++)
		for (size_t k = 0; k < c->forms[i].nfields; k++)
			check_staff_default(L, &c->forms[i], &c->forms[i].fields[k]);
	const conf_form *intake = c->intake_form ? conf_find_form(c, c->intake_form) : NULL;
	if (intake && c->customer_field && !conf_form_field(intake, c->customer_field))
		diag_pos(L, &wf, "customer_field 引用了登记表单中没有的字段 %s", c->customer_field);
	if (intake && c->subject_field && !conf_form_field(intake, c->subject_field))
		diag_pos(L, &wf, "subject_field 引用了登记表单中没有的字段 %s", c->subject_field);
	if (c->initial_state && !conf_find_state(c, c->initial_state))
		diag_pos(L, &wf, "initial 引用了未定义的状态 %s", c->initial_state);
	for (size_t i = 0; i < c->nactions; i++) {
		const conf_action *a = &c->actions[i];
		for (size_t k = 0; k < a->nfrom; k++)
			if (!conf_find_state(c, a->from[k]))
				diag_pos(L, &a->pos, "动作 %s 的 from 引用了未定义的状态 %s", a->code, a->from[k]);
		if (a->to && !conf_find_state(c, a->to))
			diag_pos(L, &a->pos, "动作 %s 的 to 引用了未定义的状态 %s", a->code, a->to);
		check_role_refs(L, &a->pos, a->roles, a->nroles);
		if (a->form && !conf_find_form(c, a->form))
			diag_pos(L, &a->pos, "动作 %s 引用了未定义的表单 %s", a->code, a->form);
		check_conds(L, &a->pos, a->when, a->nwhen);
		check_conds(L, &a->pos, a->check, a->ncheck);
		check_conds(L, &a->pos, a->unless, a->nunless);
		check_quorum(L, a);
		check_field_ref(L, a, a->set_dept, FT_DEPT, "set_dept");
		check_field_ref(L, a, a->set_assignee, FT_STAFF, "set_assignee");
		check_field_ref(L, a, a->approval_amount, FT_MONEY, "approval_amount");
		for (size_t k = 0; k < a->nclears; k++) {
			const conf_field *fd = NULL;
			for (size_t j = 0; j < c->nforms && !fd; j++)
				fd = conf_form_field(&c->forms[j], a->clears[k]);
			if (!fd)
				diag_pos(L, &a->pos, "动作 %s 的 clears 引用了未定义的字段 %s", a->code, a->clears[k]);
		}
	}
	check_fixed(L);
	check_paper(L);
	check_paper_workflow(L);
	for (size_t i = 0; i < c->nroutes; i++) {
		const conf_route *r = &c->routes[i];
		if (r->dept && !conf_find_dept(c, r->dept))
			diag_pos(L, &r->pos, "路由引用了未定义的部门 %s", r->dept);
		check_conds(L, &r->pos, r->when, r->nwhen);
	}
	for (size_t i = 0; i < c->nclocks; i++) {
		const conf_clock *k = &c->clocks[i];
		char **lists[3] = { k->start, k->stop, k->supersede };
		size_t ns[3] = { k->nstart, k->nstop, k->nsupersede };
		static const char *const lname[3] = { "start", "stop", "supersede" };
		for (int w = 0; w < 3; w++)
			for (size_t j = 0; j < ns[w]; j++)
				if (strcmp(lists[w][j], "new") && !conf_find_action(c, lists[w][j]))
					diag_pos(L, &k->pos, "时限 %s 的 %s 引用了未定义的动作 %s", k->code, lname[w], lists[w][j]);
				else if (w == 2 && !strcmp(lists[w][j], "new"))
					diag_pos(L, &k->pos, "时限 %s 的 supersede 不能是 new（登记）", k->code);
				else if (w == 2)
					for (size_t x = 0; x < k->nstop; x++)
						if (!strcmp(k->stop[x], lists[w][j]))
							diag_pos(L, &k->pos, "时限 %s 的动作 %s 不能既在 stop 又在 supersede 中", k->code,
							         lists[w][j]);
		if (k->continues && (!conf_find_clock(c, k->continues) || !strcmp(k->continues, k->code)))
			diag_pos(L, &k->pos, "时限 %s 的 continues 应为另一个时限的代码，%s 不是", k->code, k->continues);
		check_conds(L, &k->pos, k->when, k->nwhen);
		const char *tf[2] = { k->start_field, k->due_field };
		for (int w = 0; w < 2; w++) {
			if (!tf[w])
				continue;
			const conf_field *fd = NULL;
			for (size_t j = 0; j < c->nforms && !fd; j++)
				fd = conf_form_field(&c->forms[j], tf[w]);
			if (!fd)
				diag_pos(L, &k->pos, "时限 %s 的 %s 引用了未定义的字段 %s", k->code,
				         w ? "due_field" : "start_field", tf[w]);
			else if (fd->type != FT_DATE && fd->type != FT_DATETIME)
				diag_pos(L, &k->pos, "时限 %s 的 %s 字段 %s 应为 date 或 datetime 类型", k->code,
				         w ? "due_field" : "start_field", tf[w]);
		}
		if (k->calendar_name) {
			c->clocks[i].cal = conf_find_calendar(c, k->calendar_name);
			if (!c->clocks[i].cal)
				diag_pos(L, &k->pos, "时限 %s 引用了未定义的日历 %s", k->code, k->calendar_name);
		} else {
			c->clocks[i].cal = c->cal;
		}
		for (size_t j = 0; j < k->nlevels; j++)
			if (k->levels[j].role && !conf_find_role(c, k->levels[j].role))
				diag_pos(L, &k->pos, "时限 %s 的提醒引用了未定义的角色 %s", k->code, k->levels[j].role);
		check_level_persons(L, k);
	}
	for (size_t i = 0; i < c->npause_states; i++)
		if (!conf_find_state(c, c->pause_states[i]))
			yl_add(L->y.d, ks_asprintf("limits.yaml:1:1: pause 引用了未定义的状态 %s", c->pause_states[i]));
	/* every state must be reachable from the initial state */
	if (c->initial_state && conf_find_state(c, c->initial_state) && c->nstates) {
		bool *seen = ks_calloc(c->nstates, sizeof *seen);
		for (size_t i = 0; i < c->nstates; i++)
			seen[i] = !strcmp(c->states[i].code, c->initial_state);
		bool grew = true;
		while (grew) {
			grew = false;
			for (size_t i = 0; i < c->nactions; i++) {
				const conf_action *a = &c->actions[i];
				if (!a->to && !a->nreopen)
					continue;
				bool from_seen = false;
				for (size_t k = 0; k < a->nfrom; k++)
					for (size_t s = 0; s < c->nstates; s++)
						if (seen[s] && !strcmp(c->states[s].code, a->from[k]))
							from_seen = true;
				for (size_t t = 0; t <= a->nreopen && from_seen; t++) {
					const char *to = t < a->nreopen ? a->reopen[t].state : a->to;
					for (size_t s = 0; s < c->nstates && to; s++)
						if (!seen[s] && !strcmp(c->states[s].code, to))
							seen[s] = grew = true;
				}
			}
		}
		for (size_t s = 0; s < c->nstates; s++)
			if (!seen[s])
				diag_pos(L, &c->states[s].pos, "状态 %s 从初始状态 %s 无法到达",
				         c->states[s].code, c->initial_state);
		free(seen);
	}
}

ks_status conf_load(const char *dir, conf **out, conf_diags *diags)
{
	*out = NULL;
	conf *c = ks_calloc(1, sizeof *c);
	c->dir = ks_strdup(dir);
	loader L = { .c = c, .y = { .d = diags } };
	size_t before = diags->n;
	ks_sha256_init(&L.md);
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		yl_add(diags, ks_asprintf("%s:1:1: 配置目录不存在或不可读", dir));
	} else {
		read_preset(&L);
		read_departments(&L);
		read_staff(&L);
		read_forms(&L);
		read_workflow(&L);
		read_routing(&L);
		read_limits(&L);
		read_calendar(&L);
		cross_check(&L);
		conf_load_penalty(c, diags);   /* penalty.yaml, optional: src/conf/penconf.c */
		conf_load_import(c, diags);    /* import.yaml, optional: src/conf/impconf.c */
		conf_load_tui(c, diags);       /* tui.yaml, optional: src/conf/tuiconf.c */
		conf_load_report(c, diags);    /* forms/monthly_report.yaml, optional: src/conf/rptconf.c */
		conf_load_tasks(c, diags);     /* tasks.yaml, optional: src/conf/taskconf.c */
		conf_load_retention(c, diags); /* retention.yaml, optional: src/conf/retconf.c */
	}
	unsigned char md[32];
	ks_sha256_final(&L.md, md);
	ks_sha256_tohex(md, c->hash);
	if (diags->n > before) {
		conf_free(c);
		return KS_INVALID;
	}
	*out = c;
	return KS_OK;
}

void conf_free(conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ndepts; i++) {
		free(c->depts[i].code); free(c->depts[i].name); free(c->depts[i].parent);
	}
	free(c->depts);
	for (size_t i = 0; i < c->nroles; i++) {
		free(c->roles[i].code); free(c->roles[i].name);
	}
	free(c->roles);
	for (size_t i = 0; i < c->nstaff; i++) {
		conf_staff *s = &c->staff[i];
		free(s->login); free(s->name); free(s->dept); free(s->reports_to);
		yl_free_strs(s->roles, s->nroles);
	}
	free(c->staff);
	for (size_t i = 0; i < c->nforms; i++) {
		for (size_t k = 0; k < c->forms[i].nfields; k++)
			free_field(&c->forms[i].fields[k]);
		free(c->forms[i].fields);
		free(c->forms[i].code); free(c->forms[i].title);
		free_paper(&c->forms[i]);
	}
	free(c->forms);
	for (size_t i = 0; i < c->nstates; i++) {
		free(c->states[i].code); free(c->states[i].label);
	}
	free(c->states);
	for (size_t i = 0; i < c->nactions; i++) {
		conf_action *a = &c->actions[i];
		free(a->code); free(a->label); free(a->to); free(a->form);
		free(a->set_dept); free(a->set_assignee); free(a->approval_amount);
		yl_free_strs(a->from, a->nfrom);
		yl_free_strs(a->roles, a->nroles);
		free_conds(a->when, a->nwhen);
		free_conds(a->check, a->ncheck);
		free_conds(a->unless, a->nunless);
		free_paper_action(a);
		yl_free_strs(a->issues, a->nissues);
		yl_free_strs(a->clears, a->nclears);
		yl_free_strs(a->quorum_roles, a->nquorum_roles);
		free_quorum_by_role(a);
	}
	free(c->actions);
	for (size_t i = 0; i < c->nroutes; i++) {
		free(c->routes[i].dept);
		free_conds(c->routes[i].when, c->routes[i].nwhen);
	}
	free(c->routes);
	for (size_t i = 0; i < c->nclocks; i++) {
		conf_clock *k = &c->clocks[i];
		free(k->calendar_name);
		free(k->start_field); free(k->due_field);
		free(k->code); free(k->label);
		yl_free_strs(k->start, k->nstart);
		yl_free_strs(k->stop, k->nstop);
		yl_free_strs(k->supersede, k->nsupersede);
		free(k->continues);
		free_conds(k->when, k->nwhen);
		for (size_t j = 0; j < k->nlevels; j++) {
			free(k->levels[j].role);
			free(k->levels[j].to);
		}
		free(k->levels);
	}
	free(c->clocks);
	yl_free_strs(c->pause_states, c->npause_states);
	free(c->number_format); free(c->initial_state);
	free(c->customer_field); free(c->subject_field); free(c->intake_form);
	yl_free_strs(c->intake_roles, c->nintake_roles);
	for (size_t i = 0; i < c->nregisters; i++) {
		free_conds(c->registers[i].when, c->registers[i].nwhen);
		yl_free_strs(c->registers[i].roles, c->registers[i].nroles);
	}
	free(c->registers);
	calendar_free(c->cal);
	for (size_t i = 0; i < c->ncals; i++)
		calendar_free(c->cals[i]);
	free(c->cals);
	penconf_free(c->penalty);
	impconf_free(c->import);
	tuiconf_free(c->tui);
	rptconf_free(c->report);
	taskconf_free(c->tasks);
	retconf_free(c->retention);
	free(c->calendar_label);
	free(c->timezone); free(c->name); free(c->description);
	for (size_t i = 0; i < c->ntrees; i++)
		ynode_free(c->trees[i]);
	free(c->trees);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->dir);
	free(c);
}

#define FIND(type, arr, n, keyf)                                  \
	for (size_t i = 0; c && i < c->n; i++)                    \
		if (c->arr[i].keyf && !strcmp(c->arr[i].keyf, code)) \
			return &c->arr[i];                        \
	return NULL;

const conf_dept *conf_find_dept(const conf *c, const char *code) { FIND(conf_dept, depts, ndepts, code) }
const conf_role *conf_find_role(const conf *c, const char *code) { FIND(conf_role, roles, nroles, code) }
const conf_staff *conf_find_staff(const conf *c, const char *code) { FIND(conf_staff, staff, nstaff, login) }

const char *conf_superior_of(const conf *c, const char *login)
{
	const conf_staff *s = login ? conf_find_staff(c, login) : NULL;
	return s ? s->reports_to : NULL;
}
const conf_form *conf_find_form(const conf *c, const char *code) { FIND(conf_form, forms, nforms, code) }
const conf_form *conf_reminder_form(const conf *c, const char *kind)
{
	for (size_t i = 0; kind && i < c->nforms; i++)
		if (c->forms[i].reminder && !strcmp(c->forms[i].reminder, kind))
			return &c->forms[i];
	return NULL;
}
const conf_state *conf_find_state(const conf *c, const char *code) { FIND(conf_state, states, nstates, code) }
const conf_action *conf_find_action(const conf *c, const char *code) { FIND(conf_action, actions, nactions, code) }

const conf_clock *conf_find_clock(const conf *c, const char *code) { FIND(conf_clock, clocks, nclocks, code) }

bool conf_is_pause_state(const conf *c, const char *state)
{
	for (size_t i = 0; state && i < c->npause_states; i++)
		if (!strcmp(c->pause_states[i], state))
			return true;
	return false;
}

const conf_field *conf_form_field(const conf_form *f, const char *key)
{
	for (size_t i = 0; f && i < f->nfields; i++)
		if (!strcmp(f->fields[i].key, key))
			return &f->fields[i];
	return NULL;
}

conf_sight conf_staff_sight(const conf *c, const conf_staff *s)
{
	conf_sight best = SIGHT_INVOLVED;
	for (size_t i = 0; i < s->nroles; i++) {
		const conf_role *r = conf_find_role(c, s->roles[i]);
		if (r && r->sees > best)
			best = r->sees;
	}
	return best;
}

bool conf_staff_has_role(const conf_staff *s, const char *role)
{
	for (size_t i = 0; i < s->nroles; i++)
		if (!strcmp(s->roles[i], role))
			return true;
	return false;
}

const char *conf_choice_label(const conf_field *f, const char *value)
{
	for (size_t i = 0; i < f->nchoices; i++)
		if (!strcmp(f->choices[i].value, value))
			return f->choices[i].label;
	for (size_t i = 0; i < f->nspecial; i++)
		if (!strcmp(f->special[i].value, value))
			return f->special[i].label;
	return NULL;
}

ks_status conf_preset_describe(const char *dir, char **desc, ks_err *err)
{
	*desc = NULL;
	char *path = ks_asprintf("%s/preset.yaml", dir);
	ynode *root = NULL;
	ks_err e;
	ks_status rc = ynode_load(path, &root, &e);
	free(path);
	if (rc)
		return ks_errf(err, rc, "preset.yaml:%s", e.msg);
	ynode *d = ynode_get(root, "description");
	if (d && d->kind == YNODE_SCALAR)
		*desc = ks_strdup(d->str);
	ynode_free(root);
	return *desc ? KS_OK : ks_errf(err, KS_INVALID, "preset.yaml 缺少 description");
}
