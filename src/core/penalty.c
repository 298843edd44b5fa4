/* penalty.c — responsibility (责任归属) and economic penalties (罚扣).
 *
 * The first half is integer arithmetic with no database: splitting an
 * amount by shares or 基点 with the largest remainder, the monthly cap with
 * its carry-forward, count-rule steps. The second half books ledger entries
 * (store/penalty.c) and reads a month's ledger back. docs/penalty.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/penalty.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/form.h"
#include "kesu/text.h"

/* ---- splitting ------------------------------------------------------------ */

ks_status penalty_split(long long total, const long long *w, size_t n, long long *parts, ks_err *err)
{
	if (total < 0 || total > PENALTY_MAX_FEN)
		return ks_errf(err, KS_INVALID, "金额 %lld 分超出可分摊的范围", total);
	if (n == 0)
		return ks_errf(err, KS_INVALID, "没有可分摊的对象");
	long long sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < 0 || w[i] > PENALTY_MAX_WEIGHT || (sum += w[i]) > PENALTY_MAX_WEIGHT)
			return ks_errf(err, KS_INVALID, "分摊权重无效（应为非负整数，合计不超过 %lld）", PENALTY_MAX_WEIGHT);
	}
	if (sum == 0)
		return ks_errf(err, KS_INVALID, "分摊权重合计为 0，无法分摊");
	/* total × w fits in 128 bits (10^14 × 10^9); each remainder is < sum */
	long long *rem = ks_malloc(n * sizeof *rem);
	size_t *order = ks_malloc(n * sizeof *order);
	long long given = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned __int128 p = (unsigned __int128)total * (unsigned long long)w[i];
		parts[i] = (long long)(p / (unsigned long long)sum);
		rem[i] = (long long)(p % (unsigned long long)sum);
		given += parts[i];
		order[i] = i;
	}
	/* stable insertion sort by remainder, largest first: ties keep input order */
	for (size_t i = 1; i < n; i++) {
		size_t k = order[i], j = i;
		while (j > 0 && rem[order[j - 1]] < rem[k]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	long long left = total - given; /* < n, since each part lost less than one fen */
	for (size_t i = 0; left > 0 && i < n; i++, left--)
		parts[order[i]]++;
	free(rem);
	free(order);
	return KS_OK;
}

long long penalty_fraction(long long amount, int per_mille)
{
	if (per_mille >= 1000)
		return amount;
	if (per_mille <= 0 || amount <= 0)
		return 0;
	unsigned __int128 p = (unsigned __int128)amount * (unsigned)per_mille + 500;
	return (long long)(p / 1000);
}

/* ---- responsibility -------------------------------------------------------- */

void penalty_shares_free(penalty_share *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].unit);
	free(v);
}

char *penalty_resp_text(const penalty_share *v, size_t n)
{
	char *out = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		char *t = ks_asprintf("%s%s%s:%d", out, i ? "," : "", v[i].unit, v[i].per_mille);
		free(out);
		out = t;
	}
	return out;
}

/* Whether department d is code or lies under it. */
static bool dept_under(const conf *c, const char *d, const char *code)
{
	for (int depth = 0; d && depth < 64; depth++) {
		if (!strcmp(d, code))
			return true;
		const conf_dept *x = conf_find_dept(c, d);
		d = x ? x->parent : NULL;
	}
	return false;
}

void penalty_dept_members(const conf *c, const char *code, const conf_staff ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < c->nstaff; i++) {
		const conf_staff *p = &c->staff[i];
		if (!p->active || p->base_points <= 0 || !dept_under(c, p->dept, code))
			continue;
		*out = ks_realloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = p;
	}
}

/* s with the full-width ，and ：turned into , and : (caller frees). */
static char *ascii_punct(const char *s)
{
	char *out = ks_malloc(strlen(s) + 1), *o = out;
	while (*s) {
		if (!strncmp(s, "，", 3)) {
			*o++ = ',';
			s += 3;
		} else if (!strncmp(s, "：", 3)) {
			*o++ = ':';
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

#define RESP_MAX_UNITS 100

ks_status penalty_resp_parse(const conf *c, const char *text, const char *label, penalty_share **out,
                             size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	if (!label)
		label = "责任归属";
	char *buf = ascii_punct(text ? text : "");
	penalty_share *v = NULL;
	size_t nv = 0;
	long total = 0;
	ks_status rc = KS_OK;
	char *save = NULL;
	size_t item = 0;
	if (!*trim(buf)) {
		rc = ks_errf(err, KS_INVALID, "%s 为空：应写成 单位:千分比,…，如 shengchan:600,zhijian:400", label);
		goto out;
	}
	/* strtok_r would skip empty items; walk the commas by hand */
	for (char *p = buf; p; p = save) {
		item++;
		save = strchr(p, ',');
		if (save)
			*save++ = '\0';
		char *it = trim(p);
		char *colon = strchr(it, ':');
		if (!*it || !colon) {
			rc = ks_errf(err, KS_INVALID, "%s 第 %zu 项「%s」应写成 单位:千分比（单位为员工登录名或部门代码，"
			             "如 shengchan:600）", label, item, it);
			goto out;
		}
		*colon = '\0';
		char *unit = trim(it), *share = trim(colon + 1);
		char *end;
		long pm = strtol(share, &end, 10);
		if (!*share || *end || share[0] == '+' || share[0] == '-' || pm < 1 || pm > 1000) {
			rc = ks_errf(err, KS_INVALID, "%s 第 %zu 项的比例「%s」应为 1 到 1000 之间的整数（千分比）", label,
			             item, share);
			goto out;
		}
		const conf_staff *st = *unit ? conf_find_staff(c, unit) : NULL;
		const conf_dept *d = *unit ? conf_find_dept(c, unit) : NULL;
		for (size_t i = 0; *unit && !d && !st && i < c->ndepts; i++)
			if (!strcmp(c->depts[i].name, unit))
				d = &c->depts[i];
		if (st && d) {
			rc = ks_errf(err, KS_INVALID, "%s：%s 既是员工登录名又是部门代码，无法判定", label, unit);
			goto out;
		}
		if (!st && !d) {
			rc = ks_errf(err, KS_INVALID, "%s：没有登录名或部门代码为「%s」的员工或部门", label, unit);
			goto out;
		}
		const char *code = st ? st->login : d->code;
		for (size_t i = 0; i < nv; i++)
			if (!strcmp(v[i].unit, code)) {
				rc = ks_errf(err, KS_INVALID, "%s：%s 列出了不止一次", label, code);
				goto out;
			}
		if (d) {
			const conf_staff **m;
			size_t nm;
			penalty_dept_members(c, d->code, &m, &nm);
			free(m);
			if (nm == 0) {
				rc = ks_errf(err, KS_INVALID, "%s：部门 %s（%s）没有设定基点（base_points）的在职员工，"
				             "无法按基点分摊", label, d->code, d->name);
				goto out;
			}
		}
		if (nv == RESP_MAX_UNITS) {
			rc = ks_errf(err, KS_INVALID, "%s 最多 %d 个责任单位", label, RESP_MAX_UNITS);
			goto out;
		}
		v = ks_realloc(v, (nv + 1) * sizeof *v);
		v[nv++] = (penalty_share){ .unit = ks_strdup(code), .dept = d != NULL, .per_mille = (int)pm };
		total += pm;
	}
	if (total != 1000) {
		rc = ks_errf(err, KS_INVALID, "%s 的比例合计为 %ld‰，应恰好为 1000‰", label, total);
		goto out;
	}
	*out = v;
	*n = nv;
	v = NULL;
	nv = 0;
out:
	penalty_shares_free(v, nv);
	free(buf);
	return rc;
}

static long long staff_points(void *ctx, const conf_staff *p)
{
	(void)ctx;
	return p->base_points;
}

ks_status penalty_allocate(const conf *c, long long amount, const penalty_share *v, size_t n,
                           penalty_part **out, size_t *nout, ks_err *err)
{
	return penalty_allocate_with(c, amount, v, n, staff_points, NULL, out, nout, err);
}

ks_status penalty_allocate_with(const conf *c, long long amount, const penalty_share *v, size_t n,
                                penalty_points_fn pts, void *ctx, penalty_part **out, size_t *nout, ks_err *err)
{
	*out = NULL;
	*nout = 0;
	if (n == 0)
		return ks_errf(err, KS_INVALID, "没有责任单位");
	long long *w = ks_malloc(n * sizeof *w), *units = ks_malloc(n * sizeof *units);
	for (size_t i = 0; i < n; i++)
		w[i] = v[i].per_mille;
	ks_status rc = penalty_split(amount, w, n, units, err);
	penalty_part *parts = NULL;
	size_t np = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if (!v[i].dept) {
			const conf_staff *p = conf_find_staff(c, v[i].unit);
			if (!p) {
				rc = ks_errf(err, KS_INVALID, "责任人 %s 已不在员工名单中", v[i].unit);
				break;
			}
			if (units[i] > 0) {
				parts = ks_realloc(parts, (np + 1) * sizeof *parts);
				parts[np++] = (penalty_part){ p->login, v[i].unit, units[i] };
			}
			continue;
		}
		/* the department's active staff with 基点 (this month's, when given) */
		const conf_staff **m = ks_calloc(c->nstaff + 1, sizeof *m);
		long long *bp = ks_calloc(c->nstaff + 1, sizeof *bp);
		size_t nm = 0;
		for (size_t k = 0; k < c->nstaff; k++) {
			const conf_staff *p = &c->staff[k];
			if (!p->active || !dept_under(c, p->dept, v[i].unit))
				continue;
			long long pt = pts(ctx, p);
			if (pt <= 0)
				continue;
			m[nm] = p;
			bp[nm++] = pt;
		}
		if (nm == 0) {
			rc = ks_errf(err, KS_INVALID, "部门 %s 没有设定基点（base_points）的在职员工，无法按基点分摊",
			             v[i].unit);
			free(m);
			free(bp);
			break;
		}
		long long *each = ks_malloc(nm * sizeof *each);
		rc = penalty_split(units[i], bp, nm, each, err);
		for (size_t k = 0; !rc && k < nm; k++)
			if (each[k] > 0) {
				parts = ks_realloc(parts, (np + 1) * sizeof *parts);
				parts[np++] = (penalty_part){ m[k]->login, v[i].unit, each[k] };
			}
		free(bp);
		free(each);
		free(m);
	}
	free(w);
	free(units);
	if (rc) {
		free(parts);
		return rc;
	}
	*out = parts;
	*nout = np;
	return KS_OK;
}

/* ---- the monthly cap --------------------------------------------------------- */

void penalty_schedule(int cap_per_mille, const penalty_month_in *in, size_t n, penalty_month_out *out)
{
	long long carry = 0;
	for (size_t i = 0; i < n; i++) {
		penalty_month_out *o = &out[i];
		long long due = carry + in[i].capped;
		o->carried_in = carry;
		long long take;
		if (cap_per_mille < 0 || in[i].bonus < 0) {
			o->cap = -1;
			take = due;
		} else {
			o->cap = (long long)((unsigned __int128)in[i].bonus * (unsigned)cap_per_mille / 1000);
			long long room = in[i].bonus - (in[i].uncapped > 0 ? in[i].uncapped : 0);
			if (room > o->cap)
				room = o->cap;
			if (room < 0)
				room = 0;
			take = due <= 0 ? due : due < room ? due : room;
		}
		o->deducted = in[i].uncapped + take;
		o->carried_forward = carry = due - take;
	}
}

void penalty_count_steps(const penconf_count *r, size_t count, const bool *cond, int *amount_step, bool *flags)
{
	*amount_step = -1;
	for (size_t i = 0; i < r->nsteps; i++) {
		const penconf_step *s = &r->steps[i];
		bool reached = count >= (size_t)s->min && (s->nwhen == 0 || !cond || cond[i]);
		if (reached && s->has_amount && (*amount_step < 0 || s->min >= r->steps[*amount_step].min))
			*amount_step = (int)i;
		if (flags)
			flags[i] = reached && s->flag;
	}
}

void penalty_month_of(time_t t, char *buf, size_t n)
{
	struct tm tm;
	clock_local(t, &tm);
	unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u, m = (unsigned)(tm.tm_mon + 1) % 100u;
	snprintf(buf, n, "%04u-%02u", y, m);
}

bool penalty_month_parse(const char *s, int *year, int *month)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5);
	if (y < 1970 || m < 1 || m > 12)
		return false;
	*year = y;
	*month = m;
	return true;
}

/* ---- the engine: helpers --------------------------------------------------- */

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static bool has_role(const conf_staff *p, char **roles, size_t n)
{
	for (size_t i = 0; p && i < n; i++)
		if (conf_staff_has_role(p, roles[i]))
			return true;
	return false;
}

static ks_status need_penconf(session *s, ks_err *err)
{
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在操作");
	if (!s->cf->penalty)
		return ks_errf(err, KS_INVALID, "本预设没有配置罚扣（config/penalty.yaml）");
	return KS_OK;
}

static ks_status need_decide(session *s, const char *what, ks_err *err)
{
	const penconf *p = s->cf->penalty;
	if (has_role(s->me, p->decide, p->ndecide))
		return KS_OK;
	char *names = ks_strdup("");
	for (size_t i = 0; i < p->ndecide; i++) {
		const conf_role *r = conf_find_role(s->cf, p->decide[i]);
		char *t = ks_asprintf("%s%s%s", names, i ? "、" : "", r ? r->name : p->decide[i]);
		free(names);
		names = t;
	}
	ks_status rc = ks_errf(err, KS_DENIED, "%s 没有%s的权限（需要角色：%s）", s->me->name, what,
	                       *names ? names : "penalty.yaml 未指定 decide");
	free(names);
	return rc;
}

static bool sees_all(session *s)
{
	const penconf *p = s->cf->penalty;
	return has_role(s->me, p->see, p->nsee) || has_role(s->me, p->decide, p->ndecide);
}

bool penalty_sees_all(session *s)
{
	return s->cf->penalty && s->me && sees_all(s);
}

static json_t *parse_fields(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

/* The label of the responsibility field, 「责任归属」(responsibility), for
 * messages (caller frees). */
static char *resp_label(const conf *cf, const char *key)
{
	const conf_field *fd = NULL;
	for (size_t k = 0; k < cf->nforms && !fd; k++)
		fd = conf_form_field(&cf->forms[k], key);
	return ks_asprintf("「%s」(%s)", fd ? fd->label : key, key);
}

static ks_status check_reason(const char *reason, bool required, ks_err *err)
{
	if (!reason || !*reason)
		return required ? ks_errf(err, KS_INVALID, "需要填写理由（reason=…）") : KS_OK;
	ks_status rc = text_check(reason, strlen(reason), true, "理由", err);
	if (!rc && text_chars(reason) > 2000)
		rc = ks_errf(err, KS_INVALID, "「理由」过长：最多 2000 个字");
	return rc;
}

/* Book entry e and issue its 奖罚通知单 copies, pointing at event_id (the
 * booking case action; 0: the case's latest event, for a decision). In a
 * transaction. */
static ks_status book(session *s, store_penalty *e, const char *case_no, long long event_id, ks_err *err)
{
	ks_status rc = store_penalty_insert(s->st, e, err);
	if (!rc && !event_id && e->case_id > 0 && penconf_notice_form(s->cf, s->cf->penalty)) {
		store_event last = {0};
		rc = store_last_event(s->st, e->case_id, &last, err);
		event_id = last.id;
		free(last.actor); free(last.action); free(last.from_state); free(last.to_state); free(last.fields);
	}
	if (!rc)
		rc = penalty_notice_issue(s, e, case_no, event_id, e->at, err);
	return rc;
}

/* ---- booking at the configured action --------------------------------------- */

typedef struct want {
	const char *login, *rule, *ref;
	long long fen;
	bool capped;
} want;

/* What a case's closures booked for (login, rule, ref): the sum of the
 * automatic loss entries, and the newest positive one (for `reverses`). Then
 * the change to book so that it becomes want — but never so far down that,
 * with the reversals people booked against it, the person would be owed money. */
static long long loss_delta(const store_penalty *have, size_t n, const char *login, const char *rule,
                            const char *ref, long long want, long long *last)
{
	long long sum = 0, manual = 0;
	*last = 0;
	for (size_t i = 0; i < n; i++) {
		const store_penalty *h = &have[i];
		if (strcmp(h->login, login) || strcmp(h->rule, rule) || strcmp(h->ref, ref))
			continue;
		if (h->automatic && !strcmp(h->kind, "loss")) {
			sum += h->amount_fen;
			if (h->amount_fen > 0)
				*last = h->id;
		} else if (!h->automatic && !strcmp(h->kind, "reversal")) {
			manual += h->amount_fen;
		}
	}
	long long delta = want - sum, still = sum + manual; /* still charged */
	if (delta < 0 && -delta > still)
		delta = still > 0 ? -still : 0;
	return delta;
}

/* The loss entries case c calls for now, per rule, unit and person. */
/* 基点 of the month being booked: the imported table's, else staff.yaml's */
typedef struct month_points {
	session *s;
	const char *month;
} month_points;

static long long points_of_month(void *ctx, const conf_staff *p)
{
	month_points *mp = ctx;
	store_bonus b;
	bool found = false;
	if (store_bonus_get(mp->s->st, p->login, mp->month, &b, &found, NULL) != KS_OK || !found)
		return p->base_points;
	free(b.login);
	free(b.month);
	return b.base_points;
}

static ks_status loss_wants(session *s, const json_t *fields, const char *month, want **out, size_t *n,
                            ks_err *err)
{
	const penconf *p = s->cf->penalty;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const penconf_rule *r = &p->rules[i];
		if (r->kind != PENRULE_LOSS || !case_conds_hold(fields, r->when, r->nwhen, 0 /* penalty.yaml: values only */))
			continue;
		const json_t *lv = json_object_get(fields, p->loss_field);
		long long amount = penalty_fraction(json_is_integer(lv) ? json_integer_value(lv) : 0, r->fraction);
		const json_t *rv = json_object_get(fields, p->resp_field);
		const char *resp = json_is_string(rv) ? json_string_value(rv) : "";
		if (amount <= 0 || !*resp)
			continue; /* nothing lost, or nobody found responsible: nothing to book */
		char *label = resp_label(s->cf, p->resp_field);
		penalty_share *v = NULL;
		size_t nv = 0;
		penalty_part *parts = NULL;
		size_t np = 0;
		ks_status rc = penalty_resp_parse(s->cf, resp, label, &v, &nv, err);
		free(label);
		if (!rc)
			rc = penalty_allocate_with(s->cf, amount, v, nv, points_of_month,
			                           &(month_points){ s, month }, &parts, &np, err);
		for (size_t k = 0; !rc && k < np; k++) {
			*out = ks_realloc(*out, (*n + 1) * sizeof **out);
			/* unit: intern it in the configuration (a login or a department code) */
			const conf_staff *us = conf_find_staff(s->cf, parts[k].unit);
			const conf_dept *ud = us ? NULL : conf_find_dept(s->cf, parts[k].unit);
			(*out)[(*n)++] = (want){ parts[k].login, r->code, us ? us->login : ud->code, parts[k].fen, r->capped };
		}
		free(parts);
		penalty_shares_free(v, nv);
		if (rc) {
			free(*out);
			*out = NULL;
			*n = 0;
			return rc;
		}
	}
	return KS_OK;
}

/* Who let clock d breach, for rule r: logins (pointing into the conf) with
 * their parts of the rule's amount. */
static ks_status delay_parts(session *s, const store_case *c, const penconf_rule *r, const store_deadline *d,
                             const store_event *ev, size_t nev, penalty_part **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	const char *who = NULL;
	if (r->to == PENTO_ACTOR && d->stopped_at) {
		const conf_clock *k = conf_find_clock(s->cf, d->clock);
		for (size_t i = nev; i-- > 0 && !who;)
			if (ev[i].at == d->stopped_at && (!k || in_list(k->stop, k->nstop, ev[i].action) ||
			                                 in_list(k->supersede, k->nsupersede, ev[i].action)))
				who = ev[i].actor;
	}
	if (!who && (r->to == PENTO_ACTOR || r->to == PENTO_ASSIGNEE))
		who = c->assignee;
	if (r->to != PENTO_CASE_DEPT) {
		const conf_staff *p = who ? conf_find_staff(s->cf, who) : NULL;
		if (p) {
			*out = ks_malloc(sizeof **out);
			(*out)[0] = (penalty_part){ p->login, p->login, r->amount_fen };
			*n = 1;
		}
		return KS_OK; /* nobody to charge: nothing is booked */
	}
	if (!c->dept)
		return KS_OK;
	penalty_share one = { .unit = c->dept, .dept = true, .per_mille = 1000 };
	const conf_staff **m;
	size_t nm;
	penalty_dept_members(s->cf, c->dept, &m, &nm);
	free(m);
	if (nm == 0)
		return KS_OK;
	return penalty_allocate(s->cf, r->amount_fen, &one, 1, out, n, err);
}

/* An action whose form has the responsibility field: the value must parse
 * (units known, shares adding up to 1000), or the action is refused. */
static ks_status check_resp(session *s, const json_t *fields, const conf_action *a, ks_err *err)
{
	const penconf *p = s->cf->penalty;
	const conf_form *f = a->form ? conf_find_form(s->cf, a->form) : NULL;
	const json_t *v = json_object_get(fields, p->resp_field);
	if (!f || !conf_form_field(f, p->resp_field) || !json_is_string(v) || !*json_string_value(v))
		return KS_OK;
	char *label = resp_label(s->cf, p->resp_field);
	penalty_share *sh = NULL;
	size_t n = 0;
	ks_status rc = penalty_resp_parse(s->cf, json_string_value(v), label, &sh, &n, err);
	penalty_shares_free(sh, n);
	free(label);
	return rc;
}

ks_status penalty_on_action(session *s, const store_case *c, const conf_action *a, time_t now, ks_err *err)
{
	const penconf *p = s->cf->penalty;
	if (!p || (!p->resp_field && !in_list(p->on, p->non, a->code)))
		return KS_OK;
	const json_t *fields = case_fields_of(s, c->fields);   /* borrowed */
	if (p->resp_field) {
		ks_status rc = check_resp(s, fields, a, err);
		if (rc || !in_list(p->on, p->non, a->code)) {
			return rc;
		}
	}
	store_event last = {0}, *ev = NULL;
	store_penalty *have = NULL;
	store_deadline *dl = NULL;
	want *w = NULL;
	size_t nev = 0, nhave = 0, ndl = 0, nw = 0;
	char month[16];
	penalty_month_of(now, month, sizeof month);
	ks_status rc = store_last_event(s->st, c->id, &last, err);
	if (!rc)
		rc = store_penalties(s->st, c->id, NULL, NULL, &have, &nhave, err);
	if (!rc)
		rc = loss_wants(s, fields, month, &w, &nw, err);
	store_penalty e = { .case_id = c->id, .event_id = last.id, .month = month, .automatic = true, .at = now,
	                    .by = s->me ? s->me->login : last.actor };
	/* loss: book the difference between what the case says now and what was booked */
	for (size_t i = 0; !rc && i < nw; i++) {
		long long prev;
		long long delta = loss_delta(have, nhave, w[i].login, w[i].rule, w[i].ref, w[i].fen, &prev);
		if (!delta)
			continue;
		e.login = (char *)w[i].login;
		e.kind = "loss";
		e.rule = (char *)w[i].rule;
		e.ref = (char *)w[i].ref;
		e.amount_fen = delta;
		e.capped = w[i].capped;
		e.reverses = delta < 0 ? prev : 0;
		rc = book(s, &e, c->no, last.id, err);
	}
	for (size_t i = 0; !rc && i < nhave; i++) {
		const store_penalty *h = &have[i];
		if (!h->automatic || strcmp(h->kind, "loss"))
			continue;
		bool seen = false; /* once per key, and only keys no longer wanted */
		for (size_t k = 0; k < i && !seen; k++)
			seen = have[k].automatic && !strcmp(have[k].kind, "loss") && !strcmp(have[k].login, h->login) &&
			       !strcmp(have[k].rule, h->rule) && !strcmp(have[k].ref, h->ref);
		for (size_t k = 0; k < nw && !seen; k++)
			seen = !strcmp(w[k].login, h->login) && !strcmp(w[k].rule, h->rule) && !strcmp(w[k].ref, h->ref);
		long long prev = 0, delta = seen ? 0 : loss_delta(have, nhave, h->login, h->rule, h->ref, 0, &prev);
		if (!delta)
			continue;
		e.login = h->login;
		e.kind = "loss";
		e.rule = h->rule;
		e.ref = h->ref;
		e.amount_fen = delta;
		e.capped = h->capped;
		e.reverses = delta < 0 ? prev : 0;
		rc = book(s, &e, c->no, last.id, err);
	}
	/* delay: each breached clock once per rule */
	bool any_delay = false;
	for (size_t i = 0; i < p->nrules; i++)
		any_delay |= p->rules[i].kind == PENRULE_DELAY;
	if (!rc && any_delay)
		rc = store_deadlines(s->st, c->id, &dl, &ndl, err);
	if (!rc && any_delay)
		rc = store_events(s->st, c->id, &ev, &nev, err);
	for (size_t i = 0; !rc && i < p->nrules; i++) {
		const penconf_rule *r = &p->rules[i];
		if (r->kind != PENRULE_DELAY || !case_conds_hold(fields, r->when, r->nwhen, 0 /* penalty.yaml: values only */))
			continue;
		for (size_t k = 0; !rc && k < ndl; k++) {
			const store_deadline *d = &dl[k];
			if (strcmp(deadline_status(d, now), "breached") || (r->nclocks && !in_list(r->clocks, r->nclocks, d->clock)))
				continue;
			char *ref = ks_asprintf("%s@%lld", d->clock, (long long)d->due_at);
			bool booked = false;
			for (size_t j = 0; j < nhave && !booked; j++)
				booked = have[j].automatic && !strcmp(have[j].kind, "delay") && !strcmp(have[j].rule, r->code) &&
				         !strcmp(have[j].ref, ref);
			penalty_part *parts = NULL;
			size_t np = 0;
			if (!booked)
				rc = delay_parts(s, c, r, d, ev, nev, &parts, &np, err);
			for (size_t j = 0; !rc && j < np; j++) {
				e.login = (char *)parts[j].login;
				e.kind = "delay";
				e.rule = r->code;
				e.ref = ref;
				e.amount_fen = parts[j].fen;
				e.capped = r->capped;
				e.reverses = 0;
				rc = book(s, &e, c->no, last.id, err);
			}
			free(parts);
			free(ref);
		}
	}
	free(w);
	store_penalties_free(have, nhave);
	store_deadlines_free(dl, ndl);
	store_events_free(ev, nev);
	free(last.actor); free(last.action); free(last.from_state); free(last.to_state); free(last.fields);
	return rc;
}

/* ---- decisions ------------------------------------------------------------------ */

ks_status penalty_sanction(session *s, const char *case_no, const char *login, const char *level,
                           const char *offence, const char *reason, long long *id, ks_err *err)
{
	*id = 0;
	ks_status rc = need_penconf(s, err);
	if (rc || (rc = need_decide(s, "决定行政处分", err)))
		return rc;
	const penconf *p = s->cf->penalty;
	const penconf_level *lv = penconf_find_level(p, level);
	if (!lv) {
		char list[512] = "";
		for (size_t i = 0; i < p->nlevels; i++) {
			char one[128];
			snprintf(one, sizeof one, "%s%s（%s）", i ? "、" : "", p->levels[i].code, p->levels[i].label);
			strncat(list, one, sizeof list - strlen(list) - 1);
		}
		return ks_errf(err, KS_INVALID, "未知的处分级别 %s（可用：%s）", level, *list ? list : "无");
	}
	const conf_staff *who = conf_find_staff(s->cf, login);
	if (!who)
		return ks_errf(err, KS_INVALID, "没有登录名为 %s 的员工", login);
	if (p->noffences && !offence)
		return ks_errf(err, KS_INVALID, "需要指明处分项目（offence=…，见 penalty.yaml 的 sanctions.offences）");
	if (offence && !p->noffences)
		return ks_errf(err, KS_INVALID, "penalty.yaml 没有列出处分项目，不能给 offence");
	if (offence && !penconf_find_offence(p, offence))
		return ks_errf(err, KS_INVALID, "未知的处分项目 %s", offence);
	if ((rc = check_reason(reason, false, err)))
		return rc;
	time_t now = clock_now();
	char month[16];
	penalty_month_of(now, month, sizeof month);
	store_case c = {0};
	if ((rc = store_begin(s->st, err)))
		return rc;
	if ((rc = store_case_get(s->st, case_no, &c, err)))
		goto fail;
	if (!case_visible(s, &c)) {
		rc = ks_errf(err, KS_NOTFOUND, "找不到案件 %s", case_no);
		goto fail;
	}
	store_penalty e = { .case_id = c.id, .login = who->login, .month = month, .kind = "sanction",
	                    .rule = lv->code, .ref = (char *)(offence ? offence : ""), .amount_fen = lv->amount_fen,
	                    .capped = lv->capped, .at = now, .by = s->me->login, .note = (char *)reason };
	if ((rc = book(s, &e, c.no, 0, err)))
		goto fail;
	if ((rc = store_commit(s->st, err)))
		goto out;
	*id = e.id;
	goto out;
fail:
	store_rollback(s->st);
out:
	store_case_clear(&c);
	return rc;
}

ks_status penalty_appeal(session *s, long long entry, const char *reason, long long *id, ks_err *err)
{
	*id = 0;
	ks_status rc = need_penconf(s, err);
	if (rc || (rc = check_reason(reason, true, err)))
		return rc;
	store_penalty e = {0};
	if ((rc = store_begin(s->st, err)))
		return rc;
	if ((rc = store_penalty_get(s->st, entry, &e, err)))
		goto fail;
	const conf_staff *who = conf_find_staff(s->cf, e.login);
	bool may = !strcmp(e.login, s->me->login) || (who && !strcmp(who->dept, s->me->dept)) ||
	           has_role(s->me, s->cf->penalty->decide, s->cf->penalty->ndecide);
	if (!may) {
		rc = sees_all(s) ? ks_errf(err, KS_DENIED, "只有被罚扣人、其所在部门的人员或有决定权限的人可以对记录 %lld "
		                           "提出签呈", entry)
		                 : ks_errf(err, KS_NOTFOUND, "没有编号为 %lld 的罚扣记录", entry);
		goto fail;
	}
	store_penalty_appeal a = { .entry_id = entry, .at = clock_now(), .by = s->me->login, .reason = (char *)reason };
	if ((rc = store_penalty_appeal_insert(s->st, &a, err)))
		goto fail;
	if ((rc = store_commit(s->st, err)))
		goto out;
	*id = a.id;
	goto out;
fail:
	store_rollback(s->st);
out:
	store_penalty_clear(&e);
	return rc;
}

ks_status penalty_reverse(session *s, long long entry, long long amount_fen, long long appeal,
                          const char *reason, long long *id, ks_err *err)
{
	*id = 0;
	ks_status rc = need_penconf(s, err);
	if (rc || (rc = need_decide(s, "冲销罚扣", err)) || (rc = check_reason(reason, true, err)))
		return rc;
	time_t now = clock_now();
	char month[16];
	penalty_month_of(now, month, sizeof month);
	store_penalty e = {0};
	store_penalty *sib = NULL;
	store_penalty_appeal *ap = NULL;
	size_t nsib = 0, nap = 0;
	if ((rc = store_begin(s->st, err)))
		return rc;
	if ((rc = store_penalty_get(s->st, entry, &e, err)))
		goto fail;
	bool sanction = !strcmp(e.kind, "sanction");
	if (!sanction && e.amount_fen <= 0) {
		rc = ks_errf(err, KS_INVALID, "记录 %lld 不是罚扣（金额为 %lld 分），不能冲销", entry, e.amount_fen);
		goto fail;
	}
	if ((rc = store_penalties(s->st, e.case_id, e.login, NULL, &sib, &nsib, err)))
		goto fail;
	long long reversed = 0;
	bool any = false;
	for (size_t i = 0; i < nsib; i++)
		if (sib[i].reverses == entry) {
			reversed += sib[i].amount_fen;
			any = true;
		}
	long long left = e.amount_fen + reversed, amt;
	if (sanction) {
		if (any) {
			rc = ks_errf(err, KS_INVALID, "记录 %lld 的行政处分已经冲销", entry);
			goto fail;
		}
		if (amount_fen >= 0 && amount_fen != e.amount_fen) {
			rc = ks_errf(err, KS_INVALID, "行政处分只能整笔冲销（不要给 amount）");
			goto fail;
		}
		amt = e.amount_fen;
	} else {
		if (left <= 0) {
			rc = ks_errf(err, KS_INVALID, "记录 %lld 已经全部冲销", entry);
			goto fail;
		}
		amt = amount_fen < 0 ? left : amount_fen;
		if (amt == 0 || amt > left) {
			char a[32];
			form_money(left, a, sizeof a);
			rc = ks_errf(err, KS_INVALID, "冲销金额应大于 0 且不超过尚未冲销的 %s 元", a);
			goto fail;
		}
	}
	if (appeal > 0) {
		if ((rc = store_penalty_appeals(s->st, entry, &ap, &nap, err)))
			goto fail;
		bool found = false;
		for (size_t i = 0; i < nap; i++)
			found |= ap[i].id == appeal;
		if (!found) {
			rc = ks_errf(err, KS_INVALID, "签呈 %lld 不是针对记录 %lld 的", appeal, entry);
			goto fail;
		}
	}
	store_penalty r = { .case_id = e.case_id, .login = e.login, .month = month, .kind = "reversal",
	                    .rule = e.rule, .ref = e.ref, .amount_fen = -amt, .capped = e.capped, .reverses = entry,
	                    .appeal = appeal > 0 ? appeal : 0, .at = now, .by = s->me->login, .note = (char *)reason };
	if ((rc = book(s, &r, e.case_no, 0, err)))
		goto fail;
	if ((rc = store_commit(s->st, err)))
		goto out;
	*id = r.id;
	goto out;
fail:
	store_rollback(s->st);
out:
	store_penalty_clear(&e);
	store_penalties_free(sib, nsib);
	store_penalty_appeals_free(ap, nap);
	return rc;
}

/* ---- reading ---------------------------------------------------------------------- */

const char *penalty_rule_label(const penconf *p, const char *code)
{
	if (!p || !code)
		return code ? code : "";
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].code, code))
			return p->rules[i].label;
	for (size_t i = 0; i < p->nlevels; i++)
		if (!strcmp(p->levels[i].code, code))
			return p->levels[i].label;
	for (size_t i = 0; i < p->nmonthly; i++)
		if (!strcmp(p->monthly[i].code, code))
			return p->monthly[i].label;
	for (size_t i = 0; i < p->ncounts; i++)
		if (!strcmp(p->counts[i].code, code))
			return p->counts[i].label;
	for (size_t i = 0; i < p->nrewards; i++)
		if (!strcmp(p->rewards[i].code, code))
			return p->rewards[i].label;
	return code;
}

ks_status penalty_entries(session *s, const char *case_no, const char *login, store_penalty **out,
                          size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	ks_status rc = need_penconf(s, err);
	if (rc)
		return rc;
	if (!sees_all(s)) {
		if (login && strcmp(login, s->me->login))
			return ks_errf(err, KS_DENIED, "%s 只能查看本人的罚扣记录", s->me->name);
		login = s->me->login;
	}
	long long case_id = 0;
	if (case_no) {
		store_case c = {0};
		if ((rc = store_case_get(s->st, case_no, &c, err)))
			return rc;
		case_id = c.id;
		store_case_clear(&c);
	}
	return store_penalties(s->st, case_id, login, NULL, out, n, err);
}

void penalty_rows_free(penalty_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nitems; k++) {
			free(v[i].items[k].case_no);
			free(v[i].items[k].rule);
			free(v[i].items[k].label);
		}
		free(v[i].items);
		free(v[i].login);
		free(v[i].name);
	}
	free(v);
}

static int ym_of(const char *month)
{
	int y = 0, m = 0;
	if (!penalty_month_parse(month, &y, &m))
		return -1;
	return y * 12 + m - 1;
}

static time_t ym_start(int ym)
{
	return clock_make(ym / 12, ym % 12 + 1, 1, 0, 0);
}

/* Cases registered in the whole window, parsed once. */
typedef struct counted {
	json_t *fields;
	int ym;
	char *no;
} counted;

/* kind as a string that outlives the entries it came from */
static const char *kind_name(const char *kind)
{
	static const char *const kinds[] = { "loss", "delay", "sanction", "reversal", "monthly", "count", "reward",
	                                     "flag", NULL };
	for (const char *const *k = kinds; *k; k++)
		if (!strcmp(*k, kind))
			return *k;
	return "other";
}

static void add_item(penalty_row *r, long long entry, const char *case_no, const char *rule, const char *label,
                     const char *kind, long long amount, bool capped)
{
	kind = kind_name(kind);
	r->items = ks_realloc(r->items, (r->nitems + 1) * sizeof *r->items);
	r->items[r->nitems++] = (penalty_item){ entry, case_no ? ks_strdup(case_no) : NULL, ks_strdup(rule),
	                                        ks_strdup(label), kind, amount, capped };
}

/* The name of a responsibility unit: a person's or a department's. */
static const char *unit_name(const conf *c, const char *unit)
{
	const conf_staff *p = conf_find_staff(c, unit);
	const conf_dept *d = p ? NULL : conf_find_dept(c, unit);
	return p ? p->name : d ? d->name : unit;
}

char *penalty_item_label(const conf *c, const char *kind, const char *rule, const char *ref)
{
	const penconf *p = c->penalty;
	const char *lab = p ? penalty_rule_label(p, rule) : rule;
	const penconf_offence *o = p && ref && *ref ? penconf_find_offence(p, ref) : NULL;
	if (!strcmp(kind, "reversal"))
		return ks_asprintf("冲销：%s", lab);
	if (!strcmp(kind, "loss") && ref && *ref)
		return ks_asprintf("%s（%s）", lab, unit_name(c, ref));
	if (!strcmp(kind, "sanction") && o)
		return ks_asprintf("%s（%s）", lab, o->label);
	return ks_strdup(lab);
}

/* Whether the counted case k counts for login under rule cr. */
static bool counts_for(const penconf_count *cr, const counted *k, const char *login)
{
	const json_t *v = json_object_get(k->fields, cr->field);
	return json_is_string(v) && !strcmp(json_string_value(v), login) &&
	       case_conds_hold(k->fields, cr->when, cr->nwhen, 0 /* penalty.yaml: values only */);
}

/* One person's months from ym0 to ym (inclusive); fills r for month ym. */
static void person_month(session *s, const char *login, const store_penalty *ent, size_t nent, const counted *cs,
                         size_t ncs, int ym0, int ym, penalty_row *r)
{
	const penconf *p = s->cf->penalty;
	const conf_staff *who = conf_find_staff(s->cf, login);
	size_t nm = (size_t)(ym - ym0 + 1);
	penalty_month_in *in = ks_calloc(nm, sizeof *in);
	penalty_month_out *out = ks_calloc(nm, sizeof *out);
	r->login = ks_strdup(login);
	r->name = ks_strdup(who ? who->name : login);
	/* each month's bonus: imported for that month, else staff.yaml's */
	for (size_t i = 0; i < nm; i++) {
		int ymi = ym0 + (int)i;
		char mo[16];
		snprintf(mo, sizeof mo, "%04d-%02d", ymi / 12, ymi % 12 + 1);
		const char *src = NULL;
		ks_err e;
		if (penalty_bonus_of(s, login, mo, &in[i].bonus, &src, &e))
			in[i].bonus = who && who->monthly_bonus_fen >= 0 ? who->monthly_bonus_fen : PENALTY_NO_BONUS;
		if (ymi == ym)
			r->bonus_source = src;
	}
	r->bonus_fen = in[nm - 1].bonus;
	/* the entries */
	for (size_t i = 0; i < nent; i++) {
		const store_penalty *e = &ent[i];
		int m = ym_of(e->month);
		if (strcmp(e->login, login) || m < ym0 || m > ym)
			continue;
		if (e->capped)
			in[m - ym0].capped += e->amount_fen;
		else
			in[m - ym0].uncapped += e->amount_fen;
		if (m == ym) {
			char *label = penalty_item_label(s->cf, e->kind, e->rule, e->ref);
			add_item(r, e->id, e->case_no, e->rule, label, e->kind, e->amount_fen, e->capped);
			free(label);
		}
	}
	/* derived, month by month: sanction conversions and count rules */
	for (int m = ym0; m <= ym; m++) {
		for (size_t k = 0; k < p->nmonthly; k++) {
			const penconf_monthly *mr = &p->monthly[k];
			int count = 0;
			for (size_t i = 0; i < nent; i++) {
				const store_penalty *e = &ent[i];
				if (strcmp(e->login, login) || strcmp(e->kind, "sanction") || strcmp(e->rule, mr->level) ||
				    ym_of(e->month) != m)
					continue;
				bool undone = false; /* reversed within the same month */
				for (size_t j = 0; j < nent && !undone; j++)
					undone = ent[j].reverses == e->id && ym_of(ent[j].month) == m;
				count += !undone;
			}
			if (count < mr->min)
				continue;
			long long bonus = in[m - ym0].bonus;
			long long amt = mr->bonus_per_mille >= 0
			                ? (bonus >= 0 ? (long long)((unsigned __int128)bonus * (unsigned)mr->bonus_per_mille / 1000) : 0)
			                : mr->amount_fen;
			if (mr->capped)
				in[m - ym0].capped += amt;
			else
				in[m - ym0].uncapped += amt;
			if (m == ym)
				add_item(r, 0, NULL, mr->code, mr->label, "monthly", amt, mr->capped);
		}
		for (size_t k = 0; k < p->ncounts; k++) {
			const penconf_count *cr = &p->counts[k];
			size_t count = 0;
			bool *cond = ks_calloc(cr->nsteps + 1, sizeof *cond), *flags = ks_calloc(cr->nsteps + 1, sizeof *flags);
			for (size_t i = 0; i < ncs; i++) {
				if (cs[i].ym != m || !counts_for(cr, &cs[i], login))
					continue;
				count++;
				for (size_t j = 0; j < cr->nsteps; j++)
					cond[j] |= case_conds_hold(cs[i].fields, cr->steps[j].when, cr->steps[j].nwhen, 0);
			}
			int as;
			penalty_count_steps(cr, count, cond, &as, flags);
			if (as >= 0) {
				long long amt = cr->steps[as].amount_fen;
				if (cr->capped)
					in[m - ym0].capped += amt;
				else
					in[m - ym0].uncapped += amt;
				if (m == ym) {
					char *label = ks_asprintf("%s %zu 次：%s", cr->label, count, cr->steps[as].label);
					add_item(r, 0, NULL, cr->code, label, "count", amt, cr->capped);
					free(label);
				}
			}
			for (size_t j = 0; m == ym && j < cr->nsteps; j++)
				if (flags[j]) {
					char *label = ks_asprintf("%s %zu 次：%s", cr->label, count, cr->steps[j].label);
					add_item(r, 0, NULL, cr->steps[j].flag, label, "flag", 0, false);
					free(label);
				}
			free(cond);
			free(flags);
		}
	}
	/* rewards, in December: a calendar year without a counted complaint */
	int year = ym / 12;
	for (size_t k = 0; ym % 12 == 11 && who && who->active && k < p->nrewards; k++) {
		const penconf_reward *rw = &p->rewards[k];
		const penconf_count *cr = NULL;
		for (size_t i = 0; i < p->ncounts; i++)
			if (!strcmp(p->counts[i].code, rw->count))
				cr = &p->counts[i];
		if (!cr || (rw->nroles && !has_role(who, rw->roles, rw->nroles)))
			continue;
		bool clean = true;
		for (size_t i = 0; i < ncs && clean; i++)
			clean = !(cs[i].ym / 12 == year && counts_for(cr, &cs[i], login));
		if (clean) {
			add_item(r, 0, NULL, rw->code, rw->label, "reward", rw->amount_fen, false);
			r->reward_fen += rw->amount_fen;
		}
	}
	penalty_schedule(p->cap_per_mille, in, nm, out);
	r->cap_fen = out[nm - 1].cap;
	r->carried_in_fen = out[nm - 1].carried_in;
	r->deducted_fen = out[nm - 1].deducted;
	r->carried_forward_fen = out[nm - 1].carried_forward;
	free(in);
	free(out);
}

ks_status penalty_month(session *s, int year, int month, const char *login, penalty_row **out, size_t *n,
                        ks_err *err)
{
	*out = NULL;
	*n = 0;
	ks_status rc = need_penconf(s, err);
	if (rc)
		return rc;
	const penconf *p = s->cf->penalty;
	if (!sees_all(s)) {
		if (login && strcmp(login, s->me->login))
			return ks_errf(err, KS_DENIED, "%s 只能查看本人的罚扣", s->me->name);
		login = s->me->login;
	}
	int ym = year * 12 + month - 1;
	char upto[16];
	snprintf(upto, sizeof upto, "%04u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u);
	store_penalty *ent = NULL;
	size_t nent = 0;
	if ((rc = store_penalties(s->st, 0, login, upto, &ent, &nent, err)))
		return rc;
	/* the window starts at the earliest month anything was booked in */
	int ym0 = ym;
	for (size_t i = 0; i < nent; i++) {
		int m = ym_of(ent[i].month);
		if (m >= 0 && m < ym0)
			ym0 = m;
	}
	counted *cs = NULL;
	size_t ncs = 0;
	if (p->ncounts) {
		/* counted cases: from the window's start (rewards: the year's; a count
		 * rule within the cap: every month since the beginning, for the carry) */
		int from = p->nrewards && ym0 > year * 12 ? year * 12 : ym0;
		for (size_t i = 0; i < p->ncounts; i++)
			if (p->counts[i].capped)
				from = ym0 = 1970 * 12;
		store_case *cv = NULL;
		size_t ncv = 0;
		if ((rc = store_cases_registered(s->st, ym_start(from), ym_start(ym + 1), &cv, &ncv, err))) {
			store_penalties_free(ent, nent);
			return rc;
		}
		cs = ks_calloc(ncv ? ncv : 1, sizeof *cs);
		for (size_t i = 0; i < ncv; i++) {
			char m[16];
			penalty_month_of(cv[i].created_at, m, sizeof m);
			cs[ncs++] = (counted){ parse_fields(cv[i].fields), ym_of(m), cv[i].no };
			cv[i].no = NULL;
		}
		store_cases_free(cv, ncv);
	}
	/* candidates: the configured staff in order, then logins only the ledger knows */
	size_t ncand = 0;
	const char **cand = ks_calloc(s->cf->nstaff + nent + 1, sizeof *cand);
	for (size_t i = 0; i < s->cf->nstaff; i++)
		if (!login || !strcmp(login, s->cf->staff[i].login))
			cand[ncand++] = s->cf->staff[i].login;
	size_t nconf = ncand;
	for (size_t i = 0; i < nent; i++) {
		bool dup = false;
		for (size_t k = 0; k < ncand && !dup; k++)
			dup = !strcmp(cand[k], ent[i].login);
		if (!dup)
			cand[ncand++] = ent[i].login;
	}
	for (size_t i = nconf + 1; i < ncand; i++) /* the unknown ones alphabetically */
		for (size_t k = i; k > nconf && strcmp(cand[k - 1], cand[k]) > 0; k--) {
			const char *t = cand[k];
			cand[k] = cand[k - 1];
			cand[k - 1] = t;
		}
	penalty_row *rows = NULL;
	size_t nrows = 0;
	for (size_t i = 0; i < ncand; i++) {
		penalty_row r = {0};
		person_month(s, cand[i], ent, nent, cs, ncs, ym0, ym, &r);
		if (!r.nitems && !r.carried_in_fen && !r.carried_forward_fen && !(login && !strcmp(login, cand[i]))) {
			free(r.login);
			free(r.name);
			continue;
		}
		rows = ks_realloc(rows, (nrows + 1) * sizeof *rows);
		rows[nrows++] = r;
	}
	free(cand);
	for (size_t i = 0; i < ncs; i++) {
		json_decref(cs[i].fields);
		free(cs[i].no);
	}
	free(cs);
	store_penalties_free(ent, nent);
	*out = rows;
	*n = nrows;
	return KS_OK;
}
