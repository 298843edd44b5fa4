/* case.c — the workflow engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/case.h"
#include "kesu/audit.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/casesearch.h"
#include "kesu/copies.h"
#include "kesu/penalty.h"

const char *case_state_label(const session *s, const char *state)
{
	const conf_state *st = state ? conf_find_state(s->cf, state) : NULL;
	return st ? st->label : state ? state : "";
}

const char *case_staff_name(const session *s, const char *login)
{
	const conf_staff *p = login ? conf_find_staff(s->cf, login) : NULL;
	return p ? p->name : login ? login : "";
}

const char *case_dept_name(const session *s, const char *code)
{
	const conf_dept *d = code ? conf_find_dept(s->cf, code) : NULL;
	return d ? d->name : code ? code : "";
}

const char *case_action_label(const session *s, const char *action)
{
	if (!strcmp(action, "new"))
		return "登记";
	const conf_action *a = conf_find_action(s->cf, action);
	return a ? a->label : action;
}

/* "角色甲、角色乙" for a list of role codes. Caller frees. */
static char *role_names(const conf *c, char **roles, size_t n)
{
	char *out = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		const conf_role *r = conf_find_role(c, roles[i]);
		char *t = ks_asprintf("%s%s%s", out, i ? "、" : "", r ? r->name : roles[i]);
		free(out);
		out = t;
	}
	return out;
}

static bool has_any_role(const conf_staff *p, char **roles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (conf_staff_has_role(p, roles[i]))
			return true;
	return false;
}

/* The field definition of key in any form (for labels in messages). */
static const conf_field *any_field(const conf *c, const char *key)
{
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_field *f = conf_form_field(&c->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

/* Whether the fields object satisfies condition w. */
static bool cond_holds(const json_t *fields, const conf_cond *w)
{
	const json_t *v = json_object_get(fields, w->field);
	char buf[32];
	const char *s = NULL;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		s = buf;
	}
	for (size_t i = 0; s && i < w->nvalues; i++)
		if (!strcmp(s, w->values[i]))
			return true;
	return false;
}

bool case_conds_hold(const json_t *fields, const conf_cond *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cond_holds(fields, &w[i]))
			return false;
	return true;
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

static char *dump(const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		abort();
	return s;
}

/* Expand the case number format for time t and sequence seq (seq < 0: leave
 * the {SEQ} part out, giving the period key). Caller frees. */
static char *number_format(const char *fmt, time_t t, long long seq)
{
	struct tm tm;
	clock_local(t, &tm);
	size_t cap = strlen(fmt) + 64, n = 0;
	char *out = ks_malloc(cap);
	for (const char *p = fmt; *p;) {
		char piece[32] = "";
		if (!strncmp(p, "{YYYY}", 6)) {
			snprintf(piece, sizeof piece, "%04d", tm.tm_year + 1900);
			p += 6;
		} else if (!strncmp(p, "{YY}", 4)) {
			snprintf(piece, sizeof piece, "%02d", tm.tm_year % 100);
			p += 4;
		} else if (!strncmp(p, "{MM}", 4)) {
			snprintf(piece, sizeof piece, "%02d", tm.tm_mon + 1);
			p += 4;
		} else if (!strncmp(p, "{DD}", 4)) {
			snprintf(piece, sizeof piece, "%02d", tm.tm_mday);
			p += 4;
		} else if (!strncmp(p, "{SEQ", 4) && strchr(p, '}')) {
			int width = 1;
			if (p[4] == ':')
				width = atoi(p + 5);
			if (width < 1 || width > 12)
				width = 1;
			if (seq >= 0)
				snprintf(piece, sizeof piece, "%0*lld", width, seq);
			else
				snprintf(piece, sizeof piece, "#");
			p = strchr(p, '}') + 1;
		} else {
			piece[0] = *p++;
		}
		size_t k = strlen(piece);
		if (n + k + 1 > cap)
			out = ks_realloc(out, cap = (n + k + 1) * 2);
		memcpy(out + n, piece, k);
		n += k;
	}
	out[n] = '\0';
	return out;
}

static ks_status need_login(session *s, ks_err *err)
{
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在操作");
	return KS_OK;
}

/* Write event e for case c (hash-chained). In a transaction. */
static ks_status append_event(session *s, const store_case *c, store_event *e, ks_err *err)
{
	ks_status rc = store_last_hash(s->st, e->prev_hash, err);
	if (rc)
		return rc;
	e->case_id = c->id;
	audit_hash_event(c->no, e);
	return store_event_insert(s->st, e, err);
}

static ks_status save_form(session *s, const store_case *c, const store_event *e, const char *form,
                           const char *fields, ks_err *err)
{
	if (!form || !strncmp(form, "action:", 7))
		return KS_OK; /* an action's own small fields live in its event */
	store_form f = { .case_id = c->id, .event_id = e->id, .form = (char *)form, .at = e->at,
	                 .actor = e->actor, .fields = (char *)fields };
	return store_form_insert(s->st, &f, err);
}

ks_status case_register(session *s, const form_kv *in, size_t n, char **no, ks_err *err)
{
	*no = NULL;
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	const conf *c = s->cf;
	if (!has_any_role(s->me, c->intake_roles, c->nintake_roles)) {
		char *r = role_names(c, c->intake_roles, c->nintake_roles);
		rc = ks_errf(err, KS_DENIED, "%s 没有登记客诉的权限（需要角色：%s）", s->me->name, r);
		free(r);
		return rc;
	}
	const conf_form *f = conf_find_form(c, c->intake_form);
	json_t *fields = NULL;
	if ((rc = form_fill(c, f, in, n, &fields, err)))
		return rc;
	const char *dept = NULL;
	for (size_t i = 0; i < c->nroutes && !dept; i++)
		if (case_conds_hold(fields, c->routes[i].when, c->routes[i].nwhen))
			dept = c->routes[i].dept;
	time_t now = clock_now();
	char *period = number_format(c->number_format, now, -1);
	char *text = dump(fields);
	store_case k = {0};
	store_event e = {0};
	if ((rc = store_begin(s->st, err)))
		goto out;
	long long seq;
	if ((rc = store_next_seq(s->st, period, &seq, err)))
		goto fail;
	k.no = number_format(c->number_format, now, seq);
	k.state = c->initial_state;
	k.dept = (char *)dept;
	k.registrant = s->me->login;
	k.customer = c->customer_field ? (char *)json_string_value(json_object_get(fields, c->customer_field)) : NULL;
	k.subject = c->subject_field ? (char *)json_string_value(json_object_get(fields, c->subject_field)) : NULL;
	k.fields = text;
	k.created_at = k.updated_at = now;
	k.updated_by = s->me->login;
	k.version = 1;
	if ((rc = store_case_insert(s->st, &k, err)))
		goto fail;
	e.seq = 1;
	e.at = now;
	e.actor = s->me->login;
	e.action = "new";
	e.to_state = c->initial_state;
	e.fields = text;
	if ((rc = append_event(s, &k, &e, err)))
		goto fail;
	if ((rc = save_form(s, &k, &e, c->intake_form, text, err)))
		goto fail;
	if ((rc = deadline_on_action(s, &k, "new", fields, now, err)))
		goto fail;
	if ((rc = search_index_case(s, k.id, err)))
		goto fail;
	if ((rc = store_commit(s->st, err)))
		goto out;
	*no = k.no;
	k.no = NULL;
	goto out;
fail:
	store_rollback(s->st);
out:
	free(k.no);
	free(text);
	free(period);
	json_decref(fields);
	return rc;
}

/* Whether the current person is the one complained about in case c. */
static bool recused(session *s, const json_t *fields)
{
	const conf *cf = s->cf;
	for (size_t i = 0; i < cf->nforms; i++)
		for (size_t k = 0; k < cf->forms[i].nfields; k++) {
			const conf_field *fd = &cf->forms[i].fields[k];
			if (!fd->recuse)
				continue;
			const json_t *v = json_object_get(fields, fd->key);
			if (json_is_string(v) && !strcmp(json_string_value(v), s->me->login))
				return true;
		}
	return false;
}

ks_status case_may(session *s, const store_case *c, const conf_action *a, ks_err *err)
{
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	const conf *cf = s->cf;
	json_t *cfields = parse_fields(c->fields);
	bool rec = recused(s, cfields);
	json_decref(cfields);
	if (rec)
		return ks_errf(err, KS_DENIED, "%s 是本案的被投诉人，须回避", s->me->name);
	bool from_ok = false;
	for (size_t i = 0; i < a->nfrom; i++)
		if (!strcmp(a->from[i], c->state))
			from_ok = true;
	if (!from_ok)
		return ks_errf(err, KS_INVALID, "案件 %s 当前状态为「%s」，不能执行「%s」", c->no,
		               case_state_label(s, c->state), a->label);
	if (!has_any_role(s->me, a->roles, a->nroles)) {
		char *r = role_names(cf, a->roles, a->nroles);
		rc = ks_errf(err, KS_DENIED, "%s 没有执行「%s」的权限（需要角色：%s）", s->me->name, a->label, r);
		free(r);
		return rc;
	}
	if (a->scope == SCOPE_CASE_DEPT && (!c->dept || strcmp(c->dept, s->me->dept)))
		return ks_errf(err, KS_DENIED, "只有案件所在部门（%s）的人员可以执行「%s」",
		               case_dept_name(s, c->dept), a->label);
	json_t *fields = parse_fields(c->fields);
	if (a->approval_amount) {
		json_t *v = json_object_get(fields, a->approval_amount);
		long long amount = json_is_integer(v) ? json_integer_value(v) : 0;
		long long lim = s->me->approval_limit_fen;
		if (lim != CONF_NO_LIMIT && amount > lim) {
			char am[32], li[32];
			form_money(amount, am, sizeof am);
			form_money(lim, li, sizeof li);
			char *who = ks_strdup("");
			for (size_t i = 0; i < cf->nstaff; i++) {
				const conf_staff *p = &cf->staff[i];
				if (!p->active || !has_any_role(p, a->roles, a->nroles) ||
				    (p->approval_limit_fen != CONF_NO_LIMIT && p->approval_limit_fen < amount))
					continue;
				char *r = role_names(cf, p->roles, p->nroles);
				char *t = ks_asprintf("%s%s%s（%s）", who, *who ? "、" : "", p->name, r);
				free(r);
				free(who);
				who = t;
			}
			rc = ks_errf(err, KS_DENIED, "金额 %s 元超出 %s 的核决权限（%s 元）；%s%s", am,
			             s->me->name, li, *who ? "可由 " : "没有人有权核决此金额", who);
			if (*who && err)
				strncat(err->msg, " 核决", sizeof err->msg - strlen(err->msg) - 1);
			free(who);
			json_decref(fields);
			return rc;
		}
	}
	for (size_t i = 0; i < a->nwhen; i++) {
		if (cond_holds(fields, &a->when[i]))
			continue;
		const conf_field *fd = any_field(cf, a->when[i].field);
		char *want = ks_strdup("");
		for (size_t k = 0; k < a->when[i].nvalues; k++) {
			json_t *jv = json_string(a->when[i].values[k]);
			char *t1 = form_value_text(cf, fd, jv);
			char *t = ks_asprintf("%s%s%s", want, k ? "或" : "", t1);
			free(t1);
			free(want);
			want = t;
			json_decref(jv);
		}
		rc = ks_errf(err, KS_INVALID, "现在不能「%s」：「%s」应为 %s", a->label,
		             fd ? fd->label : a->when[i].field, want);
		free(want);
		json_decref(fields);
		return rc;
	}
	json_decref(fields);
	return KS_OK;
}

/* Whether the person may take some action on c now. (The state and the
 * roles are looked at first: case_may would refuse those actions anyway,
 * after parsing the case's fields.) */
static bool actionable(session *s, const store_case *c)
{
	for (size_t i = 0; i < s->cf->nactions; i++) {
		const conf_action *a = &s->cf->actions[i];
		bool from = false;
		for (size_t k = 0; k < a->nfrom && !from; k++)
			from = !strcmp(a->from[k], c->state);
		if (from && has_any_role(s->me, a->roles, a->nroles) && case_may(s, c, a, NULL) == KS_OK)
			return true;
	}
	return false;
}

bool case_visible(session *s, const store_case *c)
{
	if (!s->me)
		return false;
	json_t *fields = parse_fields(c->fields);
	bool out = !recused(s, fields);
	json_decref(fields);
	if (!out)
		return false;
	conf_sight sight = conf_staff_sight(s->cf, s->me);
	if (sight == SIGHT_ALL)
		return true;
	const char *me = s->me->login;
	if ((c->registrant && !strcmp(c->registrant, me)) || (c->assignee && !strcmp(c->assignee, me)))
		return true;
	if (sight == SIGHT_DEPT && c->dept && !strcmp(c->dept, s->me->dept))
		return true;
	if (actionable(s, c))
		return true;
	bool acted = false;
	return store_case_involves(s->st, c->id, me, &acted, NULL) == KS_OK && acted;
}

/* Load case no if the current person may see it; otherwise "not found", the
 * same answer as for a case that does not exist. */
static ks_status get_visible(session *s, const char *no, store_case *c, ks_err *err)
{
	ks_status rc = store_case_get(s->st, no, c, err);
	if (rc)
		return rc;
	if (!case_visible(s, c)) {
		store_case_clear(c);
		return ks_errf(err, KS_NOTFOUND, "找不到案件 %s", no);
	}
	return KS_OK;
}

/* The current person's sight as the store needs it to filter in SQL: the
 * recuse fields, their sight level, and one rule per action their roles
 * allow (its from states, department scope, approval limit and conditions),
 * so that "may act now" in SQL is case_may without the recusal. */
typedef struct sight_buf {
	store_sight sg;
	store_rule *rules;
	store_cond *conds;
	char **recuse;
} sight_buf;

static void sight_build(session *s, sight_buf *b)
{
	const conf *cf = s->cf;
	memset(b, 0, sizeof *b);
	size_t nrec = 0, ncond = 0;
	for (size_t i = 0; i < cf->nforms; i++)
		for (size_t k = 0; k < cf->forms[i].nfields; k++)
			nrec += cf->forms[i].fields[k].recuse;
	for (size_t i = 0; i < cf->nactions; i++)
		ncond += cf->actions[i].nwhen;
	b->recuse = ks_calloc(nrec + 1, sizeof *b->recuse);
	b->rules = ks_calloc(cf->nactions + 1, sizeof *b->rules);
	b->conds = ks_calloc(ncond + 1, sizeof *b->conds);
	for (size_t i = 0; i < cf->nforms; i++)
		for (size_t k = 0; k < cf->forms[i].nfields; k++)
			if (cf->forms[i].fields[k].recuse)
				b->recuse[b->sg.nrecuse++] = cf->forms[i].fields[k].key;
	size_t nc = 0;
	for (size_t i = 0; i < cf->nactions; i++) {
		const conf_action *a = &cf->actions[i];
		if (!a->nfrom || !has_any_role(s->me, a->roles, a->nroles))
			continue;
		store_rule *r = &b->rules[b->sg.nrules++];
		r->states = a->from;
		r->nstates = a->nfrom;
		r->own_dept = a->scope == SCOPE_CASE_DEPT;
		if (a->approval_amount && s->me->approval_limit_fen != CONF_NO_LIMIT) {
			r->amount_key = a->approval_amount;
			r->max_amount = s->me->approval_limit_fen;
		}
		r->when = &b->conds[nc];
		for (size_t k = 0; k < a->nwhen; k++)
			b->conds[nc++] = (store_cond){ a->when[k].field, a->when[k].values, a->when[k].nvalues };
		r->nwhen = a->nwhen;
	}
	conf_sight sight = conf_staff_sight(cf, s->me);
	b->sg.login = s->me->login;
	b->sg.dept = s->me->dept;
	b->sg.sees = sight == SIGHT_ALL ? STORE_SEES_ALL : sight == SIGHT_DEPT ? STORE_SEES_DEPT : STORE_SEES_INVOLVED;
	b->sg.recuse_keys = b->recuse;
	b->sg.rules = b->rules;
}

static void sight_free(sight_buf *b)
{
	free(b->recuse);
	free(b->rules);
	free(b->conds);
}

ks_status case_list(session *s, const store_filter *f, store_case **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	sight_buf b;
	sight_build(s, &b);
	store_filter q = *f;
	q.sight = &b.sg;
	store_case *v = NULL;
	size_t nv = 0;
	rc = store_case_list(s->st, &q, &v, &nv, err);
	sight_free(&b);
	if (rc)
		return rc;
	if (f->todo) {
		/* the SQL rules mirror case_may; the engine has the last word on
		 * the rows of the page */
		size_t k = 0;
		for (size_t i = 0; i < nv; i++) {
			if (!actionable(s, &v[i])) {
				store_case_clear(&v[i]);
				continue;
			}
			if (k != i) {
				v[k] = v[i];
				memset(&v[i], 0, sizeof v[i]);
			}
			k++;
		}
		nv = k;
	}
	*out = v;
	*n = nv;
	return KS_OK;
}

ks_status case_count(session *s, const store_filter *f, long long cap, long long *n, ks_err *err)
{
	*n = 0;
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	sight_buf b;
	sight_build(s, &b);
	store_filter q = *f;
	q.sight = &b.sg;
	rc = store_case_count(s->st, &q, cap, n, err);
	sight_free(&b);
	return rc;
}

ks_status case_actions(session *s, const char *no, const conf_action ***out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	store_case c = {0};
	ks_status rc = get_visible(s, no, &c, err);
	if (rc)
		return rc;
	const conf_action **v = ks_calloc(s->cf->nactions + 1, sizeof *v);
	for (size_t i = 0; i < s->cf->nactions; i++)
		if (case_may(s, &c, &s->cf->actions[i], NULL) == KS_OK)
			v[(*n)++] = &s->cf->actions[i];
	store_case_clear(&c);
	*out = v;
	return KS_OK;
}

ks_status case_do(session *s, const char *no, const char *action, const form_kv *in, size_t n,
                  int expect_version, ks_err *err)
{
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	const conf *cf = s->cf;
	const conf_action *a = conf_find_action(cf, action);
	if (!a) {
		char list[512] = "";
		for (size_t i = 0; i < cf->nactions; i++) {
			if (i)
				strncat(list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, cf->actions[i].code, sizeof list - strlen(list) - 1);
		}
		return ks_errf(err, KS_INVALID, "未知动作 %s（可用：%s）", action, list);
	}
	store_case c = {0};
	store_event e = {0}, last = {0};
	json_t *fields = NULL, *input = NULL;
	char *text = NULL, *input_text = NULL;
	if ((rc = store_begin(s->st, err)))
		return rc;
	if ((rc = get_visible(s, no, &c, err)))
		goto fail;
	if (expect_version >= 0 && expect_version != c.version) {
		char when[32] = "";
		if (store_last_event(s->st, c.id, &last, NULL) == KS_OK)
			clock_short(last.at, when, sizeof when);
		rc = ks_errf(err, KS_CONFLICT, "案件 %s 已被 %s 于 %s 修改（「%s」，现为第 %d 版，你看到的是第 %d 版）",
		             c.no, case_staff_name(s, last.actor ? last.actor : c.updated_by), when,
		             case_action_label(s, last.action ? last.action : ""), c.version, expect_version);
		goto fail;
	}
	if ((rc = case_may(s, &c, a, err)))
		goto fail;
	const conf_form *f = a->form ? conf_find_form(cf, a->form) : NULL;
	if (!f && n > 0) {
		rc = ks_errf(err, KS_INVALID, "「%s」不需要填写字段（给了 %s）", a->label, in[0].key);
		goto fail;
	}
	if (f && (rc = form_fill(cf, f, in, n, &input, err)))
		goto fail;
	if (!input)
		input = json_object();
	fields = parse_fields(c.fields);
	json_object_update(fields, input);
	time_t now = clock_now();
	const char *from = c.state;
	const char *to = a->to ? a->to : c.state;
	const char *dept = c.dept, *assignee = c.assignee;
	if (a->set_dept && json_is_string(json_object_get(input, a->set_dept)))
		dept = json_string_value(json_object_get(input, a->set_dept));
	if (a->set_assignee && json_is_string(json_object_get(input, a->set_assignee)))
		assignee = json_string_value(json_object_get(input, a->set_assignee));
	text = dump(fields);
	input_text = dump(input);
	store_case nc = c;
	nc.state = (char *)to;
	nc.dept = (char *)dept;
	nc.assignee = (char *)assignee;
	nc.fields = text;
	nc.updated_at = now;
	nc.updated_by = s->me->login;
	nc.version = c.version + 1;
	e.seq = nc.version;
	e.at = now;
	e.actor = s->me->login;
	e.action = a->code;
	e.from_state = (char *)from;
	e.to_state = (char *)to;
	e.fields = input_text;
	if ((rc = store_case_update(s->st, &nc, c.version, err)))
		goto fail;
	if ((rc = append_event(s, &c, &e, err)))
		goto fail;
	if ((rc = save_form(s, &c, &e, a->form, input_text, err)))
		goto fail;
	if ((rc = deadline_on_action(s, &nc, a->code, fields, now, err)))
		goto fail;
	if ((rc = search_index_case(s, c.id, err)))
		goto fail;
	if ((rc = copies_on_action(s, &nc, a, now, err)))
		goto fail;
	if ((rc = penalty_on_action(s, &nc, a, now, err)))
		goto fail;
	rc = store_commit(s->st, err);
	goto out;
fail:
	store_rollback(s->st);
out:
	store_case_clear(&c);
	free(last.actor); free(last.action); free(last.from_state); free(last.to_state); free(last.fields);
	json_decref(fields);
	json_decref(input);
	free(text);
	free(input_text);
	return rc;
}

ks_status case_load(session *s, const char *no, case_view *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	ks_status rc = need_login(s, err);
	if (!rc)
		rc = get_visible(s, no, &out->c, err);
	if (!rc)
		rc = store_events(s->st, out->c.id, &out->events, &out->nevents, err);
	if (!rc)
		rc = store_forms(s->st, out->c.id, &out->forms, &out->nforms, err);
	if (!rc)
		rc = store_deadlines(s->st, out->c.id, &out->deadlines, &out->ndeadlines, err);
	if (!rc)
		rc = store_reminders(s->st, out->c.id, &out->reminders, &out->nreminders, err);
	if (rc)
		case_view_free(out);
	return rc;
}

void case_view_free(case_view *v)
{
	store_case_clear(&v->c);
	store_events_free(v->events, v->nevents);
	store_forms_free(v->forms, v->nforms);
	store_deadlines_free(v->deadlines, v->ndeadlines);
	store_reminders_free(v->reminders, v->nreminders);
	memset(v, 0, sizeof *v);
}
