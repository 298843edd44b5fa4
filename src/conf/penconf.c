/* penconf.c — read penalty.yaml into a penconf (penconf.h).
 *
 * Like calconf.c: the tree is checked level by level, each problem is
 * collected with its position, and the collection is sorted into file order
 * at the end. Names are checked against the rest of the configuration when
 * it is given: actions, fields and their types, roles, departments, clocks. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kesu/penconf.h"
#include "kesu/yaml.h"
#include "loader.h"

typedef struct loader {
	const conf *c;       /* NULL: no cross-references */
	penconf *p;
	yl y;                /* diagnostics, held and sorted */
} loader;

static const char *const root_keys[] = {"penalty", NULL};
static const char *const pen_keys[] = {"on", "loss_field", "responsibility_field", "cap", "see", "decide",
                                       "rules", "sanctions", "counts", "rewards", "notice", NULL};
static const char *const cap_keys[] = {"bonus_per_mille", NULL};
static const char *const rule_keys[] = {"code", "label", "kind", "fraction", "amount", "clocks", "to", "when",
                                        "capped", NULL};
static const char *const sanction_keys[] = {"levels", "monthly", "offences", NULL};
static const char *const level_keys[] = {"code", "label", "amount", "capped", NULL};
static const char *const monthly_keys[] = {"code", "level", "min", "bonus_per_mille", "amount", "label", "capped",
                                           NULL};
static const char *const offence_keys[] = {"code", "label", NULL};
static const char *const count_keys[] = {"code", "label", "field", "when", "steps", "capped", NULL};
static const char *const step_keys[] = {"min", "amount", "flag", "label", "when", NULL};
static const char *const reward_keys[] = {"code", "label", "count", "amount", "roles", NULL};
static const char *const notice_keys[] = {"form", "title", "copies", NULL};
static const char *const copy_keys[] = {"no", "holder", "purpose", NULL};

/* ---- typed access ------------------------------------------------------ */

/* A copy of the text under key (NULL if absent — reported when required — or bad). */
static char *get_text(loader *L, const ynode *map, const char *key, bool required)
{
	const ynode *v = ynode_get(map, key);
	if (!v) {
		if (required)
			yl_diag(&L->y, map, "缺少必需的键 %s", key);
		return NULL;
	}
	if (!yl_want_kind(&L->y, v, YNODE_SCALAR, key))
		return NULL;
	if (!*v->str) {
		yl_diag(&L->y, v, "%s 不能为空", key);
		return NULL;
	}
	return ks_strdup(v->str);
}

/* A code: required, [a-z0-9_-]+. */
static char *get_code(loader *L, const ynode *map, const char *key)
{
	char *s = get_text(L, map, key, true);
	if (s && !yl_ident_ok(s)) {
		yl_diag(&L->y, ynode_get(map, key), "%s %s 无效（只能由小写字母、数字、_ 和 - 组成）", key, s);
		free(s);
		return NULL;
	}
	return s;
}

/* An integer in [lo, hi] under key; false if absent (not reported) or bad (reported). */
static bool get_int(loader *L, const ynode *map, const char *key, long lo, long hi, long *out)
{
	const ynode *v = ynode_get(map, key);
	int x;
	if (!v || !yl_int(&L->y, v, key, lo, hi, &x))
		return false;
	*out = x;
	return true;
}

/* Money (元, at most two decimals) under key, as fen; false if absent or bad (reported). */
static bool get_money(loader *L, const ynode *map, const char *key, long long *fen)
{
	const ynode *v = ynode_get(map, key);
	if (!v)
		return false;
	if (v->kind != YNODE_SCALAR || !conf_parse_money(v->str, fen) || *fen > 100000000000000LL) {
		yl_diag(&L->y, v, "%s 应为金额（元，最多两位小数，如 200 或 12.50）", key);
		return false;
	}
	return true;
}

/* A list of texts (or one text) under key. */
static char **get_list(loader *L, const ynode *map, const char *key, size_t *n)
{
	*n = 0;
	const ynode *v = ynode_get(map, key);
	if (!v)
		return NULL;
	if (v->kind == YNODE_SCALAR) {
		char **r = ks_malloc(sizeof *r);
		r[0] = ks_strdup(v->str);
		*n = 1;
		return r;
	}
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, key))
		return NULL;
	char **r = ks_calloc(v->n ? v->n : 1, sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YNODE_SCALAR || !*v->items[i]->str) {
			yl_diag(&L->y, v->items[i], "%s 的每一项应为非空文本", key);
			continue;
		}
		r[(*n)++] = ks_strdup(v->items[i]->str);
	}
	return r;
}

/* ---- cross-references -------------------------------------------------- */

static const conf_field *any_field(const conf *c, const char *key)
{
	for (size_t i = 0; c && i < c->nforms; i++) {
		const conf_field *f = conf_form_field(&c->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

/* The field key (of some form) must exist and, if want >= 0, have type want. */
static void check_field(loader *L, const ynode *at, const char *what, const char *key, int want)
{
	if (!L->c || !key)
		return;
	const conf_field *f = any_field(L->c, key);
	if (!f)
		yl_diag(&L->y, at, "%s 引用了表单中没有的字段 %s", what, key);
	else if (want >= 0 && (int)f->type != want)
		yl_diag(&L->y, at, "%s 的字段 %s 应为 %s 类型（现为 %s）", what, key, field_type_name((field_type)want),
		     field_type_name(f->type));
}

static void check_roles(loader *L, const ynode *at, const char *what, char **roles, size_t n)
{
	for (size_t i = 0; L->c && i < n; i++)
		if (!conf_find_role(L->c, roles[i]))
			yl_diag(&L->y, at, "%s 引用了未定义的角色 %s", what, roles[i]);
}

/* {field: value} or {field: [v1, v2]}; a list of such maps is "any one of
 * them" (conf_cond's alt), as in conf.c. */
static void read_cond_map(void *ctx, const ynode *v, conf_cond *r, size_t *n, int alt)
{
	loader *L = ctx;
	for (size_t i = 0; i < v->n; i++) {
		const ynode *val = v->items[i];
		conf_cond c = { .field = ks_strdup(v->keys[i]->str), .alt = alt };
		if (!yl_cond_values(&L->y, val, &c))
			yl_diag(&L->y, val, "条件 %s 的值应为文本或列表", c.field);
		check_field(L, v->keys[i], "条件", c.field, -1);
		r[(*n)++] = c;
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
		yl_free_strs(c[i].values, c[i].nvalues);
	}
	free(c);
}

/* Codes of rules, levels, conversions, counts and rewards name ledger items:
 * one code, one meaning. */
typedef struct codeset {
	char **codes;      /* copies: an item may be dropped after its code is seen */
	size_t n;
} codeset;

static void code_add(loader *L, codeset *cs, const ynode *at, const char *code)
{
	if (!code)
		return;
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->codes[i], code)) {
			yl_diag(&L->y, at, "代码 %s 重复（规则、处分级别、月度折算、计数规则和奖励的代码不能相同）", code);
			return;
		}
	cs->codes = ks_realloc(cs->codes, (cs->n + 1) * sizeof *cs->codes);
	cs->codes[cs->n++] = ks_strdup(code);
}

/* ---- sections ----------------------------------------------------------- */

static void read_rules(loader *L, const ynode *v, codeset *cs)
{
	penconf *p = L->p;
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "rules"))
		return;
	p->rules = ks_calloc(v->n ? v->n : 1, sizeof *p->rules);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "rules 的每一项"))
			continue;
		yl_check_keys(&L->y, m, rule_keys);
		penconf_rule r = { .fraction = 1000, .to = PENTO_ACTOR };
		r.code = get_code(L, m, "code");
		r.label = get_text(L, m, "label", true);
		char *kind = get_text(L, m, "kind", true);
		bool ok = r.code && r.label && kind, kind_ok = true;
		if (kind && !strcmp(kind, "loss"))
			r.kind = PENRULE_LOSS;
		else if (kind && !strcmp(kind, "delay"))
			r.kind = PENRULE_DELAY;
		else {
			if (kind)
				yl_diag(&L->y, ynode_get(m, "kind"), "kind 应为 loss（按责任分摊损失）或 delay（处理逾期）");
			ok = kind_ok = false;
		}
		free(kind);
		long x;
		if (!kind_ok) {
			/* no valid kind: its other keys can't be checked */
		} else if (r.kind == PENRULE_LOSS) {
			if (get_int(L, m, "fraction", 1, 1000, &x))
				r.fraction = (int)x;
			static const char *const not_loss[] = {"amount", "clocks", "to", NULL};
			for (const char *const *k = not_loss; *k; k++)
				if (ynode_get(m, *k))
					yl_diag(&L->y, ynode_key(m, *k), "%s 只用于 kind: delay", *k);
			if (L->c && !p->loss_field)
				yl_diag(&L->y, m, "loss 规则需要 penalty.loss_field（损失金额字段）");
			if (L->c && !p->resp_field)
				yl_diag(&L->y, m, "loss 规则需要 penalty.responsibility_field（责任归属字段）");
		} else {
			if (ynode_get(m, "fraction"))
				yl_diag(&L->y, ynode_key(m, "fraction"), "fraction 只用于 kind: loss");
			if (!ynode_get(m, "amount")) {
				yl_diag(&L->y, m, "delay 规则缺少必需的键 amount（每个逾期时限罚扣的金额，元）");
				ok = false;
			} else if (!get_money(L, m, "amount", &r.amount_fen)) {
				ok = false;
			}
			r.clocks = get_list(L, m, "clocks", &r.nclocks);
			for (size_t k = 0; L->c && k < r.nclocks; k++)
				if (!conf_find_clock(L->c, r.clocks[k]))
					yl_diag(&L->y, ynode_get(m, "clocks"), "引用了未定义的时限 %s（limits.yaml）", r.clocks[k]);
			char *to = get_text(L, m, "to", false);
			if (to) {
				if (!strcmp(to, "actor"))
					r.to = PENTO_ACTOR;
				else if (!strcmp(to, "assignee"))
					r.to = PENTO_ASSIGNEE;
				else if (!strcmp(to, "case_dept"))
					r.to = PENTO_CASE_DEPT;
				else
					yl_diag(&L->y, ynode_get(m, "to"), "to 应为 actor（逾期时执行停止动作的人）、assignee（承办人）"
					     "或 case_dept（案件所在部门，按基点分摊）");
				free(to);
			}
		}
		r.when = read_conds(L, ynode_get(m, "when"), &r.nwhen);
		r.capped = yl_bool(&L->y, m, "capped", true);
		code_add(L, cs, ynode_get(m, "code"), r.code);
		if (!ok) {
			free(r.code); free(r.label);
			yl_free_strs(r.clocks, r.nclocks);
			free_conds(r.when, r.nwhen);
			continue;
		}
		p->rules[p->nrules++] = r;
	}
}

static void read_sanctions(loader *L, const ynode *v, codeset *cs)
{
	penconf *p = L->p;
	if (!yl_want_kind(&L->y, v, YNODE_MAP, "sanctions"))
		return;
	yl_check_keys(&L->y, v, sanction_keys);
	const ynode *lv = ynode_get(v, "levels");
	if (lv && yl_want_kind(&L->y, lv, YNODE_SEQ, "levels")) {
		p->levels = ks_calloc(lv->n ? lv->n : 1, sizeof *p->levels);
		for (size_t i = 0; i < lv->n; i++) {
			const ynode *m = lv->items[i];
			if (!yl_want_kind(&L->y, m, YNODE_MAP, "levels 的每一项"))
				continue;
			yl_check_keys(&L->y, m, level_keys);
			penconf_level l = {0};
			l.code = get_code(L, m, "code");
			l.label = get_text(L, m, "label", true);
			get_money(L, m, "amount", &l.amount_fen);
			l.capped = yl_bool(&L->y, m, "capped", true);
			code_add(L, cs, ynode_get(m, "code"), l.code);
			if (!l.code || !l.label) {
				free(l.code); free(l.label);
				continue;
			}
			p->levels[p->nlevels++] = l;
		}
	}
	const ynode *mv = ynode_get(v, "monthly");
	if (mv && yl_want_kind(&L->y, mv, YNODE_SEQ, "monthly")) {
		p->monthly = ks_calloc(mv->n ? mv->n : 1, sizeof *p->monthly);
		for (size_t i = 0; i < mv->n; i++) {
			const ynode *m = mv->items[i];
			if (!yl_want_kind(&L->y, m, YNODE_MAP, "monthly 的每一项"))
				continue;
			yl_check_keys(&L->y, m, monthly_keys);
			penconf_monthly r = { .bonus_per_mille = -1, .min = 1 };
			r.code = get_code(L, m, "code");
			r.level = get_text(L, m, "level", true);
			r.label = get_text(L, m, "label", true);
			long x;
			if (!ynode_get(m, "min"))
				yl_diag(&L->y, m, "缺少必需的键 min（当月同一级别处分的次数下限）");
			else if (get_int(L, m, "min", 1, 1000, &x))
				r.min = (int)x;
			bool has_pm = ynode_get(m, "bonus_per_mille") != NULL, has_amt = ynode_get(m, "amount") != NULL;
			if (has_pm == has_amt)
				yl_diag(&L->y, m, "monthly 的每一项需要 bonus_per_mille（按当月奖金的千分比）或 amount（金额）之一");
			if (has_pm && get_int(L, m, "bonus_per_mille", 0, 1000, &x))
				r.bonus_per_mille = (int)x;
			if (has_amt)
				get_money(L, m, "amount", &r.amount_fen);
			r.capped = yl_bool(&L->y, m, "capped", false);
			if (r.level && !penconf_find_level(p, r.level))
				yl_diag(&L->y, ynode_get(m, "level"), "level 引用了未定义的处分级别 %s（须在 levels 中先定义）", r.level);
			code_add(L, cs, ynode_get(m, "code"), r.code);
			if (!r.code || !r.level || !r.label) {
				free(r.code); free(r.level); free(r.label);
				continue;
			}
			p->monthly[p->nmonthly++] = r;
		}
	}
	const ynode *ov = ynode_get(v, "offences");
	if (ov && yl_want_kind(&L->y, ov, YNODE_SEQ, "offences")) {
		p->offences = ks_calloc(ov->n ? ov->n : 1, sizeof *p->offences);
		for (size_t i = 0; i < ov->n; i++) {
			const ynode *m = ov->items[i];
			if (!yl_want_kind(&L->y, m, YNODE_MAP, "offences 的每一项"))
				continue;
			yl_check_keys(&L->y, m, offence_keys);
			penconf_offence o = {0};
			o.code = get_code(L, m, "code");
			o.label = get_text(L, m, "label", true);
			if (o.code && penconf_find_offence(p, o.code))
				yl_diag(&L->y, ynode_get(m, "code"), "处分项目代码 %s 重复", o.code);
			if (!o.code || !o.label) {
				free(o.code); free(o.label);
				continue;
			}
			p->offences[p->noffences++] = o;
		}
	}
}

static void read_steps(loader *L, const ynode *v, penconf_count *r)
{
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "steps"))
		return;
	if (v->n == 0)
		yl_diag(&L->y, v, "steps 不能为空");
	r->steps = ks_calloc(v->n ? v->n : 1, sizeof *r->steps);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "steps 的每一项"))
			continue;
		yl_check_keys(&L->y, m, step_keys);
		penconf_step s = {0};
		long x;
		if (!ynode_get(m, "min"))
			yl_diag(&L->y, m, "缺少必需的键 min（当月次数下限，含本数）");
		else if (get_int(L, m, "min", 1, 100000, &x))
			s.min = (int)x;
		s.has_amount = get_money(L, m, "amount", &s.amount_fen);
		if (ynode_get(m, "flag"))
			s.flag = get_code(L, m, "flag");
		s.label = get_text(L, m, "label", true);
		s.when = read_conds(L, ynode_get(m, "when"), &s.nwhen);
		if (!ynode_get(m, "amount") && !ynode_get(m, "flag"))
			yl_diag(&L->y, m, "steps 的每一项需要 amount（金额）或 flag（标记，如 dismissal）");
		if (r->nsteps && s.min && s.min < r->steps[r->nsteps - 1].min)
			yl_diag(&L->y, ynode_get(m, "min"), "steps 应按 min 从小到大排列");
		if (!s.min || !s.label) {
			free(s.flag); free(s.label);
			free_conds(s.when, s.nwhen);
			continue;
		}
		r->steps[r->nsteps++] = s;
	}
}

static void read_counts(loader *L, const ynode *v, codeset *cs)
{
	penconf *p = L->p;
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "counts"))
		return;
	p->counts = ks_calloc(v->n ? v->n : 1, sizeof *p->counts);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "counts 的每一项"))
			continue;
		yl_check_keys(&L->y, m, count_keys);
		penconf_count r = {0};
		r.code = get_code(L, m, "code");
		r.label = get_text(L, m, "label", true);
		r.field = get_text(L, m, "field", true);
		check_field(L, ynode_get(m, "field"), "field", r.field, FT_STAFF);
		r.when = read_conds(L, ynode_get(m, "when"), &r.nwhen);
		r.capped = yl_bool(&L->y, m, "capped", false);
		const ynode *st = ynode_get(m, "steps");
		if (!st)
			yl_diag(&L->y, m, "缺少必需的键 steps");
		else
			read_steps(L, st, &r);
		code_add(L, cs, ynode_get(m, "code"), r.code);
		if (!r.code || !r.label || !r.field) {
			free(r.code); free(r.label); free(r.field);
			free_conds(r.when, r.nwhen);
			for (size_t k = 0; k < r.nsteps; k++) {
				free(r.steps[k].flag); free(r.steps[k].label);
				free_conds(r.steps[k].when, r.steps[k].nwhen);
			}
			free(r.steps);
			continue;
		}
		p->counts[p->ncounts++] = r;
	}
}

static void read_rewards(loader *L, const ynode *v, codeset *cs)
{
	penconf *p = L->p;
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "rewards"))
		return;
	p->rewards = ks_calloc(v->n ? v->n : 1, sizeof *p->rewards);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "rewards 的每一项"))
			continue;
		yl_check_keys(&L->y, m, reward_keys);
		penconf_reward r = {0};
		r.code = get_code(L, m, "code");
		r.label = get_text(L, m, "label", true);
		r.count = get_text(L, m, "count", true);
		if (!ynode_get(m, "amount"))
			yl_diag(&L->y, m, "缺少必需的键 amount（奖励金额，元）");
		else
			get_money(L, m, "amount", &r.amount_fen);
		r.roles = get_list(L, m, "roles", &r.nroles);
		check_roles(L, ynode_get(m, "roles"), "rewards.roles", r.roles, r.nroles);
		bool found = false;
		for (size_t k = 0; r.count && k < p->ncounts; k++)
			found |= !strcmp(p->counts[k].code, r.count);
		if (r.count && !found)
			yl_diag(&L->y, ynode_get(m, "count"), "count 引用了未定义的计数规则 %s（counts 中的 code）", r.count);
		code_add(L, cs, ynode_get(m, "code"), r.code);
		if (!r.code || !r.label || !r.count) {
			free(r.code); free(r.label); free(r.count);
			yl_free_strs(r.roles, r.nroles);
			continue;
		}
		p->rewards[p->nrewards++] = r;
	}
}

static void read_notice(loader *L, const ynode *v)
{
	penconf *p = L->p;
	if (!yl_want_kind(&L->y, v, YNODE_MAP, "notice"))
		return;
	yl_check_keys(&L->y, v, notice_keys);
	const ynode *fv = ynode_get(v, "form");
	if (fv) {
		/* the 奖罚通知单 is a form (forms/NAME.yaml) listing its copies */
		if (ynode_get(v, "title") || ynode_get(v, "copies"))
			yl_diag(&L->y, v, "notice 给了 form 就不要再写 title、copies（各联写在表单的 copies 中）");
		p->notice_form = get_text(L, v, "form", true);
		const conf_form *f = p->notice_form && L->c ? conf_find_form(L->c, p->notice_form) : NULL;
		if (p->notice_form && L->c && !f)
			yl_diag(&L->y, fv, "notice.form 引用了未定义的表单 %s（forms/%s.yaml）", p->notice_form, p->notice_form);
		else if (f && !f->ncopies)
			yl_diag(&L->y, fv, "表单 %s 没有定义 copies（奖罚通知单的各联）", p->notice_form);
		return;
	}
	/* the older spelling: title and copies right here */
	p->notice_title = get_text(L, v, "title", true);
	const ynode *cv = ynode_get(v, "copies");
	if (!cv) {
		yl_diag(&L->y, v, "缺少必需的键 form（奖罚通知单的表单，如 penalty_notice）");
		return;
	}
	if (!yl_want_kind(&L->y, cv, YNODE_SEQ, "copies"))
		return;
	if (cv->n == 0)
		yl_diag(&L->y, cv, "copies 不能为空");
	p->copies = ks_calloc(cv->n ? cv->n : 1, sizeof *p->copies);
	for (size_t i = 0; i < cv->n; i++) {
		const ynode *m = cv->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "copies 的每一项"))
			continue;
		yl_check_keys(&L->y, m, copy_keys);
		penconf_copy k = {0};
		long x;
		if (!ynode_get(m, "no"))
			yl_diag(&L->y, m, "缺少必需的键 no");
		else if (get_int(L, m, "no", 1, 99, &x))
			k.no = (int)x;
		for (size_t j = 0; k.no && j < p->ncopies; j++)
			if (p->copies[j].no == k.no)
				yl_diag(&L->y, ynode_get(m, "no"), "联号 %d 重复", k.no);
		char *holder = get_text(L, m, "holder", true);
		k.purpose = get_text(L, m, "purpose", true);
		if (holder) {
			if (!strcmp(holder, "person") || !strcmp(holder, "self"))
				k.holder = PENHOLD_PERSON;
			else if (!strcmp(holder, "person_dept"))
				k.holder = PENHOLD_PERSON_DEPT;
			else {
				k.holder = PENHOLD_DEPT;
				k.dept = ks_strdup(holder);
				if (L->c && !conf_find_dept(L->c, holder))
					yl_diag(&L->y, ynode_get(m, "holder"), "holder 应为部门代码、person（被罚扣人）或 "
					     "person_dept（被罚扣人所在部门）；部门 %s 未定义", holder);
			}
			free(holder);
		}
		if (!k.no || !k.purpose || !ynode_get(m, "holder")) {
			free(k.dept); free(k.purpose);
			continue;
		}
		p->copies[p->ncopies++] = k;
	}
}

static void read_root(loader *L, const ynode *root)
{
	penconf *p = L->p;
	p->cap_per_mille = -1;
	if (!yl_want_kind(&L->y, root, YNODE_MAP, "文件内容"))
		return;
	yl_check_keys(&L->y, root, root_keys);
	const ynode *m = ynode_get(root, "penalty");
	if (!m) {
		yl_diag(&L->y, root, "缺少必需的键 penalty");
		return;
	}
	if (!yl_want_kind(&L->y, m, YNODE_MAP, "penalty"))
		return;
	yl_check_keys(&L->y, m, pen_keys);
	if (!ynode_get(m, "on"))
		yl_diag(&L->y, m, "缺少必需的键 on（记入罚扣台账的动作，如 [close]）");
	p->on = get_list(L, m, "on", &p->non);
	for (size_t i = 0; L->c && i < p->non; i++)
		if (!conf_find_action(L->c, p->on[i]))
			yl_diag(&L->y, ynode_get(m, "on"), "on 引用了未定义的动作 %s", p->on[i]);
	p->loss_field = get_text(L, m, "loss_field", false);
	check_field(L, ynode_get(m, "loss_field"), "loss_field", p->loss_field, FT_MONEY);
	p->resp_field = get_text(L, m, "responsibility_field", false);
	check_field(L, ynode_get(m, "responsibility_field"), "responsibility_field", p->resp_field, FT_TEXT);
	const ynode *cap = ynode_get(m, "cap");
	if (cap && yl_want_kind(&L->y, cap, YNODE_MAP, "cap")) {
		yl_check_keys(&L->y, cap, cap_keys);
		long x;
		if (!ynode_get(cap, "bonus_per_mille"))
			yl_diag(&L->y, cap, "缺少必需的键 bonus_per_mille（每月罚扣上限占当月奖金的千分比，如 500）");
		else if (get_int(L, cap, "bonus_per_mille", 0, 1000, &x))
			p->cap_per_mille = (int)x;
	}
	p->see = get_list(L, m, "see", &p->nsee);
	check_roles(L, ynode_get(m, "see"), "see", p->see, p->nsee);
	p->decide = get_list(L, m, "decide", &p->ndecide);
	check_roles(L, ynode_get(m, "decide"), "decide", p->decide, p->ndecide);
	codeset cs = {0};
	const ynode *v;
	if ((v = ynode_get(m, "rules")))
		read_rules(L, v, &cs);
	if ((v = ynode_get(m, "sanctions")))
		read_sanctions(L, v, &cs);
	if ((v = ynode_get(m, "counts")))
		read_counts(L, v, &cs);
	if ((v = ynode_get(m, "rewards")))
		read_rewards(L, v, &cs);
	if ((v = ynode_get(m, "notice")))
		read_notice(L, v);
	yl_free_strs(cs.codes, cs.n);
	if (p->ncopies) { /* the older spelling, as a form of its own */
		conf_form *f = p->notice_legacy = ks_calloc(1, sizeof *f);
		f->code = ks_strdup("penalty_notice");
		f->title = p->notice_title;
		f->copies = ks_calloc(p->ncopies, sizeof *f->copies);
		f->ncopies = p->ncopies;
		for (size_t i = 0; i < p->ncopies; i++) {
			const penconf_copy *k = &p->copies[i];
			conf_copy *c = &f->copies[i];
			c->no = k->no;
			c->purpose = k->purpose;
			c->kind = k->holder == PENHOLD_PERSON ? COPY_HOLDER_SELF
			          : k->holder == PENHOLD_PERSON_DEPT ? COPY_HOLDER_PERSON_DEPT : COPY_HOLDER_DEPT;
			c->holder = ks_strdup(k->holder == PENHOLD_PERSON ? "self"
			                      : k->holder == PENHOLD_PERSON_DEPT ? "person_dept" : k->dept);
		}
	}
}

const conf_form *penconf_notice_form(const conf *c, const penconf *p)
{
	if (!p)
		return NULL;
	if (p->notice_legacy)
		return p->notice_legacy;
	return p->notice_form ? conf_find_form(c, p->notice_form) : NULL;
}

/* ---- loading ------------------------------------------------------------- */

ks_status penconf_load(const char *path, const char *display_name, const conf *c, penconf **out,
                       conf_diags *diags)
{
	const char *file = display_name ? display_name : path;
	*out = NULL;
	ynode *root = NULL;
	ks_err e;
	FILE *f = fopen(path, "rb");
	if (!f) {
		yl_add(diags, ks_asprintf("%s:1:1: 无法读取罚扣配置文件：%s", file, strerror(errno)));
		return KS_FAIL;
	}
	fclose(f);
	if (ynode_load(path, &root, &e) != KS_OK) {
		yl_add(diags, ks_asprintf("%s:%s", file, e.msg));
		return KS_INVALID;
	}
	if (!root) {
		yl_add(diags, ks_asprintf("%s:1:1: 文件为空", file));
		return KS_INVALID;
	}
	loader L = { .c = c, .p = ks_calloc(1, sizeof *L.p), .y = { .d = diags, .file = file, .sorted = true } };
	read_root(&L, root);
	ynode_free(root);
	if (L.y.bad) {
		yl_flush(&L.y);
		penconf_free(L.p);
		return KS_INVALID;
	}
	*out = L.p;
	return KS_OK;
}

void conf_load_penalty(conf *c, conf_diags *d)
{
	char *path = ks_asprintf("%s/penalty.yaml", c->dir);
	struct stat sb;
	if (stat(path, &sb) == 0 || errno != ENOENT)
		penconf_load(path, "penalty.yaml", c, &c->penalty, d);
	free(path);
}

void penconf_free(penconf *p)
{
	if (!p)
		return;
	yl_free_strs(p->on, p->non);
	free(p->loss_field);
	free(p->resp_field);
	yl_free_strs(p->see, p->nsee);
	yl_free_strs(p->decide, p->ndecide);
	for (size_t i = 0; i < p->nrules; i++) {
		penconf_rule *r = &p->rules[i];
		free(r->code); free(r->label);
		yl_free_strs(r->clocks, r->nclocks);
		free_conds(r->when, r->nwhen);
	}
	free(p->rules);
	for (size_t i = 0; i < p->nlevels; i++) {
		free(p->levels[i].code); free(p->levels[i].label);
	}
	free(p->levels);
	for (size_t i = 0; i < p->nmonthly; i++) {
		free(p->monthly[i].code); free(p->monthly[i].level); free(p->monthly[i].label);
	}
	free(p->monthly);
	for (size_t i = 0; i < p->noffences; i++) {
		free(p->offences[i].code); free(p->offences[i].label);
	}
	free(p->offences);
	for (size_t i = 0; i < p->ncounts; i++) {
		penconf_count *r = &p->counts[i];
		free(r->code); free(r->label); free(r->field);
		free_conds(r->when, r->nwhen);
		for (size_t k = 0; k < r->nsteps; k++) {
			free(r->steps[k].flag); free(r->steps[k].label);
			free_conds(r->steps[k].when, r->steps[k].nwhen);
		}
		free(r->steps);
	}
	free(p->counts);
	for (size_t i = 0; i < p->nrewards; i++) {
		free(p->rewards[i].code); free(p->rewards[i].label); free(p->rewards[i].count);
		yl_free_strs(p->rewards[i].roles, p->rewards[i].nroles);
	}
	free(p->rewards);
	free(p->notice_title);
	free(p->notice_form);
	if (p->notice_legacy) {
		for (size_t i = 0; i < p->notice_legacy->ncopies; i++)
			free(p->notice_legacy->copies[i].holder);
		free(p->notice_legacy->copies);
		free(p->notice_legacy->code);
		free(p->notice_legacy);
	}
	for (size_t i = 0; i < p->ncopies; i++) {
		free(p->copies[i].dept); free(p->copies[i].purpose);
	}
	free(p->copies);
	free(p);
}

const penconf_level *penconf_find_level(const penconf *p, const char *code)
{
	for (size_t i = 0; p && code && i < p->nlevels; i++)
		if (!strcmp(p->levels[i].code, code))
			return &p->levels[i];
	return NULL;
}

const penconf_rule *penconf_find_rule(const penconf *p, const char *code)
{
	for (size_t i = 0; p && code && i < p->nrules; i++)
		if (!strcmp(p->rules[i].code, code))
			return &p->rules[i];
	return NULL;
}

const penconf_offence *penconf_find_offence(const penconf *p, const char *code)
{
	for (size_t i = 0; p && code && i < p->noffences; i++)
		if (!strcmp(p->offences[i].code, code))
			return &p->offences[i];
	return NULL;
}
