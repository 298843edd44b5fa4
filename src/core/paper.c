/* paper.c — the paper workflow's engine features: scope involved, requires,
 * 签呈 (dissent) and quantity_check. See paper.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/paper.h"
#include "kesu/case.h"
#include "kesu/form.h"

const char *paper_dissent_status_label(const char *status)
{
	if (!status)
		return "";
	if (!strcmp(status, "open"))
		return "待批示";
	if (!strcmp(status, "upheld"))
		return "维持原决议";
	if (!strcmp(status, "overturned"))
		return "撤销原决议";
	return status;
}

int paper_voucher_qty(long long approved, long long actual, long long over_per_mille, bool beyond_limit,
                      long long *qty, long long *limit)
{
	long long extra;
	if (approved < 0)
		approved = 0;
	if (approved > LLONG_MAX / 2000000)   /* beyond any real quantity: no overflow below */
		extra = LLONG_MAX / 2;
	else
		extra = approved * over_per_mille / 1000;
	*limit = approved + extra;
	if (actual <= approved) {
		*qty = actual;
		return 0;
	}
	if (actual <= *limit) {
		*qty = actual;
		return 1;
	}
	*qty = beyond_limit ? *limit : approved;
	return 2;
}

static json_t *obj_of(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The form an event filled: the intake form for registration, else its action's. */
static const char *event_form(const conf *cf, const store_event *e)
{
	if (!strcmp(e->action, "new"))
		return cf->intake_form;
	const conf_action *a = conf_find_action(cf, e->action);
	return a ? a->form : NULL;
}

static const conf_field *field_any(const conf *cf, const char *key)
{
	for (size_t i = 0; i < cf->nforms; i++) {
		const conf_field *f = conf_form_field(&cf->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

/* ---- scope: involved ---- */

static void add_dept(char ***v, size_t *n, const char *d)
{
	if (!d || !*d || in_list(*v, *n, d))
		return;
	*v = ks_realloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = (char *)d;
}

/* The departments involved in case c with history ev[0..nev): pointers into
 * the configuration, c and fields (valid while they are). */
static char **involved_depts(const conf *cf, const store_case *c, const json_t *fields, const store_event *ev,
                             size_t nev, size_t *n)
{
	char **v = NULL;
	*n = 0;
	add_dept(&v, n, c->dept);
	const char *people[2] = { c->registrant, c->assignee };
	for (int i = 0; i < 2; i++) {
		const conf_staff *p = people[i] ? conf_find_staff(cf, people[i]) : NULL;
		if (p)
			add_dept(&v, n, p->dept);
	}
	for (size_t i = 0; i < nev; i++) {
		const conf_staff *p = conf_find_staff(cf, ev[i].actor);
		if (p)
			add_dept(&v, n, p->dept);
	}
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)fields, key, val) {
		const conf_field *fd = field_any(cf, key);
		if (fd && fd->type == FT_DEPT && json_is_string(val) && conf_find_dept(cf, json_string_value(val)))
			add_dept(&v, n, conf_find_dept(cf, json_string_value(val))->code);
	}
	return v;
}

/* ---- 签呈 ---- */

/* The decisions in force that a may contest, newest first: the latest event
 * of each action in against (of action only, if not NULL); an earlier event of
 * the same action has been superseded. Returns how many (into out[nev]). */
static size_t decisions(const conf_action *a, const char *only, const store_event *ev, size_t nev,
                        const store_event **out)
{
	size_t n = 0;
	for (size_t i = nev; i-- > 0;) {
		if (!in_list(a->against, a->nagainst, ev[i].action) || (only && strcmp(only, ev[i].action)))
			continue;
		bool newer = false;
		for (size_t k = 0; k < n; k++)
			newer |= !strcmp(out[k]->action, ev[i].action);
		if (!newer)
			out[n++] = &ev[i];
	}
	return n;
}

/* The next approver above decider on the approval chain of file action a:
 * the active staff of a->chain roles (not the decider, not the filer) with
 * the smallest approval limit above the decider's; NULL if there is none. */
static const conf_staff *next_up(const conf *cf, const conf_action *a, const char *decider, const char *filer)
{
	const conf_staff *d = conf_find_staff(cf, decider);
	long long dl = d ? d->approval_limit_fen : 0;
	if (dl == CONF_NO_LIMIT)
		return NULL;
	const conf_staff *best = NULL;
	long long bl = 0;
	for (size_t i = 0; i < cf->nstaff; i++) {
		const conf_staff *p = &cf->staff[i];
		if (!p->active || !strcmp(p->login, decider) || (filer && !strcmp(p->login, filer)))
			continue;
		bool chain = false;
		for (size_t k = 0; k < a->nchain; k++)
			chain |= conf_staff_has_role(p, a->chain[k]);
		long long pl = p->approval_limit_fen == CONF_NO_LIMIT ? LLONG_MAX : p->approval_limit_fen;
		if (!chain || pl <= dl)
			continue;
		if (!best || pl < bl) {
			best = p;
			bl = pl;
		}
	}
	return best;
}

/* The open dissent of case c on decision event id (0: any), or -1 if none;
 * its routed approver into *to (borrowed from v, freed by the caller). */
static ks_status open_dissents(session *s, const store_case *c, store_dissent **v, size_t *n, ks_err *err)
{
	return store_dissents(s->st, c->id, NULL, true, v, n, err);
}

static const store_dissent *open_on(const store_dissent *v, size_t n, long long decision_event_id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].decision_event_id == decision_event_id)
			return &v[i];
	return NULL;
}

/* A decision "「核决」（第 5 版，孙伟）". Caller frees. */
static char *decision_text(session *s, const store_event *e)
{
	return ks_asprintf("「%s」（第 %d 版，%s）", case_action_label(s, e->action), e->seq,
	                   case_staff_name(s, e->actor));
}

static ks_status may_file_on(session *s, const store_case *c, const conf_action *a, const store_event *d,
                             paper_do *p, ks_err *err);

/* Whether a dissent may be filed with action a on c: on the decision in force
 * of action only, or else on the newest decision in force that the person may
 * contest (the reason refers to the newest one if there is none); fills the
 * routing into p when p is not NULL. */
static ks_status may_file(session *s, const store_case *c, const conf_action *a, const char *only,
                          const store_event *ev, size_t nev, paper_do *p, ks_err *err)
{
	const store_event **ds = ks_calloc(nev + 1, sizeof *ds);
	size_t nd = decisions(a, only, ev, nev, ds);
	ks_status rc = KS_INVALID, first = KS_OK;
	for (size_t i = 0; i < nd && rc; i++) {
		rc = may_file_on(s, c, a, ds[i], p, i ? NULL : err);
		if (i == 0)
			first = rc;
	}
	if (rc && nd)
		rc = first;   /* none may be contested: the newest one's reason */
	if (nd == 0) {
		const char *what = only ? case_action_label(s, only) : NULL;
		if (what)
			rc = ks_errf(err, KS_INVALID, "案件 %s 还没有「%s」的决议，无从提出签呈", c->no, what);
		else
			rc = ks_errf(err, KS_INVALID, "案件 %s 还没有可提出签呈的决议", c->no);
	}
	free(ds);
	return rc;
}

static ks_status may_file_on(session *s, const store_case *c, const conf_action *a, const store_event *d,
                             paper_do *p, ks_err *err)
{
	if (!strcmp(d->actor, s->me->login)) {
		char *dt = decision_text(s, d);
		ks_status rc = ks_errf(err, KS_INVALID, "%s是 %s 自己作出的决议，不能对它提出签呈", dt, s->me->name);
		free(dt);
		return rc;
	}
	store_dissent *v = NULL;
	size_t n = 0;
	ks_status rc = open_dissents(s, c, &v, &n, err);
	if (rc)
		return rc;
	const store_dissent *o = open_on(v, n, d->id);
	if (o) {
		char *dt = decision_text(s, d);
		rc = ks_errf(err, KS_INVALID, "对%s的签呈已由 %s 提出，正待 %s 批示", dt, case_staff_name(s, o->filed_by),
		             case_staff_name(s, o->routed_to));
		free(dt);
		store_dissents_free(v, n);
		return rc;
	}
	store_dissents_free(v, n);
	const conf_staff *up = next_up(s->cf, a, d->actor, s->me->login);
	if (!up) {
		char *dt = decision_text(s, d);
		const conf_staff *dd = conf_find_staff(s->cf, d->actor);
		rc = ks_errf(err, KS_DENIED, "%s由 %s 作出，%s，没有更高一级的核决人可以受理签呈", dt,
		             case_staff_name(s, d->actor),
		             dd && dd->approval_limit_fen == CONF_NO_LIMIT ? "其核决权限不限" : "核决权限链上没有比他更高的人");
		free(dt);
		return rc;
	}
	if (p) {
		p->file = a;
		p->decision_event_id = d->id;
		p->decision_action = ks_strdup(d->action);
		p->decided_by = ks_strdup(d->actor);
		p->routed_to = ks_strdup(up->login);
		json_object_set_new(p->extra, "dissent_routing",
		                    json_pack("{s:s, s:i, s:s, s:s}", "against", d->action, "against_seq", d->seq,
		                              "decided_by", d->actor, "routed_to", up->login));
		const conf_role *r = NULL;
		for (size_t k = 0; k < up->nroles && !r; k++)
			if (in_list(a->chain, a->nchain, up->roles[k]))
				r = conf_find_role(s->cf, up->roles[k]);
		char *dt = decision_text(s, d);
		p->note = ks_asprintf("签呈已送 %s（%s）批示：针对%s", up->name, r ? r->name : up->login, dt);
		free(dt);
	}
	return KS_OK;
}

/* The open dissent on c routed to the current person (the oldest), for uphold
 * and overturn; its id and decision into p when p is not NULL. */
static ks_status may_rule(session *s, const store_case *c, const conf_action *a, paper_do *p, ks_err *err)
{
	store_dissent *v = NULL;
	size_t n = 0;
	ks_status rc = open_dissents(s, c, &v, &n, err);
	if (rc)
		return rc;
	const store_dissent *mine = NULL;
	for (size_t i = 0; i < n && !mine; i++)
		if (!strcmp(v[i].routed_to, s->me->login))
			mine = &v[i];
	if (!mine) {
		if (n)
			rc = ks_errf(err, KS_DENIED, "案件 %s 的签呈送 %s 批示，不是 %s", c->no, case_staff_name(s, v[0].routed_to),
			             s->me->name);
		else
			rc = ks_errf(err, KS_INVALID, "案件 %s 没有待批示的签呈", c->no);
		store_dissents_free(v, n);
		return rc;
	}
	const char *to = NULL;
	for (size_t k = 0; k < a->nreopen; k++)
		if (!strcmp(a->reopen[k].decision, mine->decision_action))
			to = a->reopen[k].state;
	if (a->dissent == DISSENT_OVERTURN && !to) {
		rc = ks_errf(err, KS_INVALID, "「%s」不能撤销「%s」的决议（reopen 中没有它）", a->label,
		             case_action_label(s, mine->decision_action));
		store_dissents_free(v, n);
		return rc;
	}
	if (p) {
		p->rule_id = mine->id;
		p->to = to;
		json_object_set_new(p->extra, "dissent_ruling",
		                    json_pack("{s:I, s:i, s:s, s:i, s:s, s:s?}", "dissent", (json_int_t)mine->id,
		                              "filed_seq", mine->event_seq, "against", mine->decision_action,
		                              "against_seq", mine->decision_seq,
		                              "ruling", a->dissent == DISSENT_OVERTURN ? "overturned" : "upheld",
		                              "reopened_to", to));
		p->note = a->dissent == DISSENT_OVERTURN
		                  ? ks_asprintf("签呈成立：撤销「%s」（第 %d 版）的决议，案件回到「%s」",
		                                case_action_label(s, mine->decision_action), mine->decision_seq,
		                                case_state_label(s, to))
		                  : ks_asprintf("签呈不成立：维持「%s」（第 %d 版）的决议",
		                                case_action_label(s, mine->decision_action), mine->decision_seq);
	}
	store_dissents_free(v, n);
	return KS_OK;
}

/* ---- requires ---- */

/* "「投诉等级」为 重大" for the first condition of r, with the case's value. */
static char *cond_text(const conf *cf, const conf_require *r, const json_t *fields)
{
	if (!r->nwhen)
		return ks_strdup("");
	const conf_field *fd = field_any(cf, r->when[0].field);
	const json_t *v = json_object_get(fields, r->when[0].field);
	char *val = v ? form_value_text(cf, fd, v) : ks_strdup(r->when[0].values[0]);
	char *out = ks_asprintf("（「%s」为 %s）", fd ? fd->label : r->when[0].field, val);
	free(val);
	return out;
}

static ks_status check_requires(session *s, const store_case *c, const conf_action *a, const json_t *fields,
                                const store_event *ev, size_t nev, ks_err *err)
{
	const conf *cf = s->cf;
	for (size_t i = 0; i < a->nrequires; i++) {
		const conf_require *r = &a->requires[i];
		if (!case_conds_hold(fields, r->when, r->nwhen, c->created_at))
			continue;
		size_t from = 0;
		const store_event *since = NULL;
		for (size_t k = nev; r->nsince && k-- > 0;)
			if (in_list(r->since, r->nsince, ev[k].action)) {
				since = &ev[k];
				from = k + 1;
				break;
			}
		bool filled = false;
		for (size_t k = from; k < nev && !filled; k++) {
			const char *f = event_form(cf, &ev[k]);
			filled = f && !strcmp(f, r->form);
		}
		if (filled)
			continue;
		const conf_form *f = conf_find_form(cf, r->form);
		char *why = cond_text(cf, r, fields);
		ks_status rc;
		if (since)
			rc = ks_errf(err, KS_DENIED, "案件 %s 须先填写「%s」才能「%s」%s：最近一次「%s」（第 %d 版）之后还没有填写",
			             c->no, f ? f->title : r->form, a->label, why, case_action_label(s, since->action),
			             since->seq);
		else
			rc = ks_errf(err, KS_DENIED, "案件 %s 须先填写「%s」才能「%s」%s", c->no, f ? f->title : r->form,
			             a->label, why);
		free(why);
		return rc;
	}
	return KS_OK;
}

/* ---- case_may ---- */

ks_status paper_may(session *s, const store_case *c, const conf_action *a, ks_err *err)
{
	bool need_reqs = false;
	json_t *fields = NULL;
	if (a->nrequires) {
		fields = obj_of(c->fields);
		for (size_t i = 0; i < a->nrequires && !need_reqs; i++)
			need_reqs = case_conds_hold(fields, a->requires[i].when, a->requires[i].nwhen, c->created_at);
	}
	if (a->scope != SCOPE_INVOLVED && !need_reqs && a->dissent == DISSENT_NONE) {
		json_decref(fields);
		return KS_OK;
	}
	if (a->dissent == DISSENT_UPHOLD || a->dissent == DISSENT_OVERTURN) {
		json_decref(fields);
		return may_rule(s, c, a, NULL, err);
	}
	store_event *ev = NULL;
	size_t nev = 0;
	ks_status rc = store_events(s->st, c->id, &ev, &nev, err);
	if (!rc && a->scope == SCOPE_INVOLVED) {
		if (!fields)
			fields = obj_of(c->fields);
		size_t nd = 0;
		char **d = involved_depts(s->cf, c, fields, ev, nev, &nd);
		if (!in_list(d, nd, s->me->dept)) {
			char *names = ks_strdup("");
			for (size_t i = 0; i < nd; i++) {
				char *t = ks_asprintf("%s%s%s", names, i ? "、" : "", case_dept_name(s, d[i]));
				free(names);
				names = t;
			}
			rc = ks_errf(err, KS_DENIED, "只有参与本案的部门（%s）的人员可以「%s」", names, a->label);
			free(names);
		}
		free(d);
	}
	if (!rc && a->dissent == DISSENT_FILE)
		rc = may_file(s, c, a, NULL, ev, nev, NULL, err);
	if (!rc && need_reqs)
		rc = check_requires(s, c, a, fields, ev, nev, err);
	store_events_free(ev, nev);
	json_decref(fields);
	return rc;
}

/* ---- case_do ---- */

static ks_status quantity(session *s, const store_case *c, const conf_action *a, json_t *input, json_t *fields,
                          paper_do *p, ks_err *err)
{
	const conf *cf = s->cf;
	const conf_qty_check *q = a->qty;
	const conf_form *af = conf_find_form(cf, a->form);
	const conf_field *rf = conf_form_field(af, q->result);
	const conf_field *bf = q->basis ? conf_form_field(af, q->basis) : NULL;
	if (json_object_get(input, q->result) || (q->basis && json_object_get(input, q->basis)))
		return ks_errf(err, KS_INVALID, "「%s」由系统按核定量与超量允收比率计算，不能填写",
		               json_object_get(input, q->result) ? rf->label : bf->label);
	const conf_field *apf = field_any(cf, q->approved), *acf = conf_form_field(af, q->actual);
	json_t *ap = json_object_get(fields, q->approved), *ac = json_object_get(input, q->actual);
	if (!json_is_integer(ap))
		return ks_errf(err, KS_DENIED, "案件 %s 还没有「%s」（须先核定），无法核对「%s」", c->no,
		               apf ? apf->label : q->approved, acf ? acf->label : q->actual);
	if (!json_is_integer(ac))
		return ks_errf(err, KS_INVALID, "缺少必填字段「%s」", acf ? acf->label : q->actual);
	long long approved = json_integer_value(ap), actual = json_integer_value(ac);
	long long ratio = q->over_per_mille;
	const char *src = "本公司规定";
	const json_t *cust = cf->customer_field ? json_object_get(fields, cf->customer_field) : NULL;
	for (size_t i = 0; json_is_string(cust) && i < q->ncustomers; i++)
		if (!strcmp(q->customers[i].customer, json_string_value(cust))) {
			ratio = q->customers[i].over_per_mille;
			src = "客户订制时注明";
		}
	long long qty, limit;
	int k = paper_voucher_qty(approved, actual, ratio, q->beyond_limit, &qty, &limit);
	char rs[48];
	if (ratio % 10)
		snprintf(rs, sizeof rs, "%lld‰", ratio);
	else
		snprintf(rs, sizeof rs, "%lld%%", ratio / 10);
	const char *al = acf ? acf->label : q->actual, *pl = apf ? apf->label : q->approved;
	char *why;
	if (k == 0)
		why = ks_asprintf("%s %lld 不超过%s %lld，依%s %lld", al, actual, pl, approved, al, actual);
	else if (k == 1)
		why = ks_asprintf("%s %lld 超出%s %lld，但在超量允收比率 %s（%s，上限 %lld）以内，依%s %lld", al, actual, pl,
		                  approved, rs, src, limit, al, actual);
	else
		why = ks_asprintf("%s %lld 超出%s %lld 的超量允收比率 %s（%s，上限 %lld），依%s %lld，超出部分须请示后处理", al,
		                  actual, pl, approved, rs, src, limit, q->beyond_limit ? "允收上限" : pl, qty);
	json_object_set_new(input, q->result, json_integer(qty));
	json_object_set_new(fields, q->result, json_integer(qty));
	if (q->basis) {
		json_object_set_new(input, q->basis, json_string(why));
		json_object_set_new(fields, q->basis, json_string(why));
	}
	p->note = ks_asprintf("%s应为 %lld：%s", rf->label, qty, why);
	free(why);
	return KS_OK;
}

ks_status paper_before(session *s, const store_case *c, const conf_action *a, json_t *input, json_t *fields,
                       paper_do *p, ks_err *err)
{
	memset(p, 0, sizeof *p);
	p->extra = json_object();
	ks_status rc = KS_OK;
	if (a->qty)
		rc = quantity(s, c, a, input, fields, p, err);
	if (!rc && a->dissent == DISSENT_FILE) {
		const json_t *only = a->against_field ? json_object_get(input, a->against_field) : NULL;
		store_event *ev = NULL;
		size_t nev = 0;
		rc = store_events(s->st, c->id, &ev, &nev, err);
		if (!rc)
			rc = may_file(s, c, a, json_is_string(only) ? json_string_value(only) : NULL, ev, nev, p, err);
		store_events_free(ev, nev);
	}
	if (!rc && (a->dissent == DISSENT_UPHOLD || a->dissent == DISSENT_OVERTURN))
		rc = may_rule(s, c, a, p, err);
	return rc;
}

ks_status paper_after(session *s, const store_case *c, const conf_action *a, const store_event *e,
                      paper_do *p, ks_err *err)
{
	if (a->dissent == DISSENT_FILE && p->file) {
		store_dissent d = {
			.case_id = c->id, .event_id = e->id, .decision_event_id = p->decision_event_id,
			.decision_action = p->decision_action, .decided_by = p->decided_by,
			.filed_by = s->me->login, .filed_dept = s->me->dept, .filed_at = e->at,
			.routed_to = p->routed_to,
		};
		return store_dissent_insert(s->st, &d, err);
	}
	if (p->rule_id)
		return store_dissent_rule(s->st, p->rule_id, a->dissent == DISSENT_OVERTURN ? "overturned" : "upheld",
		                          e->id, s->me->login, e->at, err);
	return KS_OK;
}

void paper_do_free(paper_do *p)
{
	json_decref(p->extra);
	free(p->note);
	free(p->decision_action);
	free(p->decided_by);
	free(p->routed_to);
	memset(p, 0, sizeof *p);
}
