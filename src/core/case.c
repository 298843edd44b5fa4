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
#include "kesu/paper.h"

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
	if (!strcmp(action, "import"))
		return "导入";
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

/* Whether every condition of alternative alt holds. */
static bool alt_holds(const json_t *fields, const conf_cond *w, size_t n, int alt)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].alt == alt && !cond_holds(fields, &w[i]))
			return false;
	return true;
}

/* No conditions: true. Otherwise any alternative (a map of a `when` list;
 * a single map is alternative 0) whose conditions all hold. */
bool case_conds_hold(const json_t *fields, const conf_cond *w, size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		bool first = true;
		for (size_t k = 0; k < i; k++)
			if (w[k].alt == w[i].alt)
				first = false;
		if (first && alt_holds(fields, w, n, w[i].alt))
			return true;
	}
	return false;
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

/* The fields of a case as JSON, read-only and borrowed from the session: the
 * last text parsed is kept (an action's visibility check, case_may and the
 * actionable test parse the same case's fields several times otherwise).
 * Valid until the next call; never modify it. */
const json_t *case_fields_of(session *s, const char *text)
{
	if (!text)
		text = "";
	if (s->fields_json && s->fields_text && !strcmp(s->fields_text, text))
		return s->fields_json;
	json_decref(s->fields_json);
	free(s->fields_text);
	s->fields_json = parse_fields(text);
	s->fields_text = ks_strdup(text);
	return s->fields_json;
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

/* ---- the refusal when an action's `when` does not hold ---- */

/* "「字段」为 值甲或值乙" for condition w. Caller frees. */
static char *cond_text(const conf *cf, const conf_cond *w, const char *verb)
{
	const conf_field *fd = any_field(cf, w->field);
	char *want = ks_strdup("");
	for (size_t k = 0; k < w->nvalues; k++) {
		json_t *jv = json_string(w->values[k]);
		char *t1 = form_value_text(cf, fd, jv);
		char *t = ks_asprintf("%s%s%s", want, k ? "或" : "", t1);
		free(t1);
		free(want);
		want = t;
		json_decref(jv);
	}
	char *out = ks_asprintf("「%s」%s %s", fd ? fd->label : w->field, verb, want);
	free(want);
	return out;
}

/* The refusal for action a whose `when` does not hold on fields: with one
 * alternative, the first condition that fails ("「F」应为 V"); with several,
 * every alternative ("须满足以下之一：「F」为 V 且「G」为 W；「H」为 X"). */
static ks_status when_refusal(const conf *cf, const conf_action *a, const json_t *fields, ks_err *err)
{
	bool several = false;
	for (size_t i = 0; i < a->nwhen; i++)
		if (a->when[i].alt != a->when[0].alt)
			several = true;
	if (!several) {
		for (size_t i = 0; i < a->nwhen; i++) {
			if (cond_holds(fields, &a->when[i]))
				continue;
			char *t = cond_text(cf, &a->when[i], "应为");
			ks_status rc = ks_errf(err, KS_INVALID, "现在不能「%s」：%s", a->label, t);
			free(t);
			return rc;
		}
		return ks_errf(err, KS_INVALID, "现在不能「%s」", a->label);
	}
	char *all = ks_strdup("");
	int prev_alt = -1;
	for (size_t i = 0; i < a->nwhen; i++) {
		char *t = cond_text(cf, &a->when[i], "为");
		const char *sep = !*all ? "" : a->when[i].alt == prev_alt ? " 且 " : "；";
		char *u = ks_asprintf("%s%s%s", all, sep, t);
		free(t);
		free(all);
		all = u;
		prev_alt = a->when[i].alt;
	}
	ks_status rc = ks_errf(err, KS_INVALID, "现在不能「%s」：须满足以下之一：%s", a->label, all);
	free(all);
	return rc;
}

/* ---- quorum (会签): K different people each do the action ---- */

/* The people who have signed action a on case c in the current round: the
 * events of a at the end of the history that left the state alone (the
 * first K-1 signatures), with no other action in between. Sets *n and,
 * when me is given, *mine (whether me is one of them). */
static ks_status quorum_signed(session *s, const store_case *c, const conf_action *a, const char *me,
                               size_t *n, bool *mine, ks_err *err)
{
	*n = 0;
	if (mine)
		*mine = false;
	store_event *ev = NULL;
	size_t nev = 0;
	ks_status rc = store_events(s->st, c->id, &ev, &nev, err);
	if (rc)
		return rc;
	for (size_t i = nev; i-- > 0;) {
		const store_event *e = &ev[i];
		if (strcmp(e->action, a->code) || !e->from_state || !e->to_state || strcmp(e->from_state, e->to_state))
			break;
		bool again = false;
		for (size_t k = i + 1; k < nev; k++)
			if (!strcmp(ev[k].actor, e->actor))
				again = true;
		if (!again)
			(*n)++;
		if (mine && me && !strcmp(e->actor, me))
			*mine = true;
	}
	store_events_free(ev, nev);
	return KS_OK;
}

/* case_may's part for a quorum action: the person must hold a signing role
 * and must not have signed in this round already. */
static ks_status quorum_may(session *s, const store_case *c, const conf_action *a, ks_err *err)
{
	if (a->quorum < 2)
		return KS_OK;
	const conf *cf = s->cf;
	if (a->nquorum_roles && !has_any_role(s->me, a->quorum_roles, a->nquorum_roles)) {
		char *r = role_names(cf, a->quorum_roles, a->nquorum_roles);
		ks_status rc = ks_errf(err, KS_DENIED, "%s 不能会签「%s」（会签人须为：%s）", s->me->name, a->label, r);
		free(r);
		return rc;
	}
	size_t n;
	bool mine;
	ks_status rc = quorum_signed(s, c, a, s->me->login, &n, &mine, err);
	if (rc)
		return rc;
	if (mine)
		return ks_errf(err, KS_INVALID, "%s 已会签「%s」（%zu/%d），须由另一位会签", s->me->name, a->label, n,
		               a->quorum);
	return KS_OK;
}

ks_status case_may(session *s, const store_case *c, const conf_action *a, ks_err *err)
{
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	const conf *cf = s->cf;
	const json_t *fields = case_fields_of(s, c->fields);
	if (recused(s, fields))
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
	if (a->scope == SCOPE_REGISTRANT && (!c->registrant || strcmp(c->registrant, s->me->login)))
		return ks_errf(err, KS_DENIED, "只有本案的登记人（首问负责人）%s 可以执行「%s」",
		               case_staff_name(s, c->registrant), a->label);
	if (a->scope == SCOPE_ASSIGNEE && (!c->assignee || strcmp(c->assignee, s->me->login)))
		return ks_errf(err, KS_DENIED, "只有本案的承办人%s%s可以执行「%s」", c->assignee ? " " : "",
		               c->assignee ? case_staff_name(s, c->assignee) : "", a->label);
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
			return rc;
		}
	}
	if (!case_conds_hold(fields, a->when, a->nwhen))
		return when_refusal(cf, a, fields, err);
	if ((rc = paper_may(s, c, a, err)))   /* scope involved, requires, 签呈 */
		return rc;
	return quorum_may(s, c, a, err);
}

/* Whether the person may take some action on c now. (The state and the
 * roles are looked at first: case_may would refuse those actions anyway,
 * after parsing the case's fields.) For the to-do view (todo), neither a
 * 签呈 one could file nor anything done to a finished case (reopen) counts:
 * those are exceptions, not work waiting. */
static bool actionable_for(session *s, const store_case *c, bool todo)
{
	if (todo) {
		const conf_state *st = conf_find_state(s->cf, c->state);
		if (st && st->final)
			return false;
	}
	for (size_t i = 0; i < s->cf->nactions; i++) {
		const conf_action *a = &s->cf->actions[i];
		if (todo && a->dissent == DISSENT_FILE)
			continue;
		bool from = false;
		for (size_t k = 0; k < a->nfrom && !from; k++)
			from = !strcmp(a->from[k], c->state);
		if (from && has_any_role(s->me, a->roles, a->nroles) && case_may(s, c, a, NULL) == KS_OK)
			return true;
	}
	return false;
}

static bool actionable(session *s, const store_case *c)
{
	return actionable_for(s, c, false);
}

bool case_visible(session *s, const store_case *c)
{
	if (!s->me)
		return false;
	if (recused(s, case_fields_of(s, c->fields)))
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
	char ***states;   /* per action: its from states the rule keeps */
	size_t nstates;
} sight_buf;

/* The rules let SQL narrow a list to the cases the person may act on now
 * (and so see). They must never be narrower than case_may, or a list would
 * miss a case; they may be wider, because every row of a list then goes
 * through the engine (case_visible, or for the to-do view actionable_for).
 * So a check SQL cannot express is dropped, never guessed: scope involved,
 * requires, quorum, 签呈 routing, `when` alternatives. For the to-do view
 * 签呈 filing and finished states are left out (see actionable_for). */
static void sight_build(session *s, sight_buf *b, bool todo)
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
	b->states = ks_calloc(cf->nactions + 1, sizeof *b->states);
	for (size_t i = 0; i < cf->nactions; i++) {
		const conf_action *a = &cf->actions[i];
		if (!a->nfrom || !has_any_role(s->me, a->roles, a->nroles))
			continue;
		if (todo && a->dissent == DISSENT_FILE)
			continue;
		bool alts = false;
		for (size_t k = 0; k < a->nwhen; k++)
			alts |= a->when[k].alt != 0;
		char **from = b->states[i] = ks_calloc(a->nfrom + 1, sizeof *from);
		size_t nfrom = 0;
		for (size_t k = 0; k < a->nfrom; k++) {
			const conf_state *st = conf_find_state(cf, a->from[k]);
			if (!todo || !st || !st->final)
				from[nfrom++] = a->from[k];
		}
		if (!nfrom)
			continue;
		store_rule *r = &b->rules[b->sg.nrules++];
		r->states = from;
		r->nstates = nfrom;
		r->own_dept = a->scope == SCOPE_CASE_DEPT;
		r->registrant_only = a->scope == SCOPE_REGISTRANT;
		r->assignee_only = a->scope == SCOPE_ASSIGNEE;
		if (a->approval_amount && s->me->approval_limit_fen != CONF_NO_LIMIT) {
			r->amount_key = a->approval_amount;
			r->max_amount = s->me->approval_limit_fen;
		}
		r->when = &b->conds[nc];
		if (alts)
			continue;   /* any alternative may hold: no condition in SQL */
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

static void sight_free(sight_buf *b, size_t nactions)
{
	for (size_t i = 0; b->states && i < nactions; i++)
		free(b->states[i]);
	free(b->states);
	free(b->recuse);
	free(b->rules);
	free(b->conds);
}

static bool keep_visible(void *ctx, const store_case *c)
{
	return case_visible(ctx, c);
}

static bool keep_todo(void *ctx, const store_case *c)
{
	return actionable_for(ctx, c, true);
}

ks_status case_list(session *s, const store_filter *f, store_case **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	ks_status rc = need_login(s, err);
	if (rc)
		return rc;
	sight_buf b;
	sight_build(s, &b, f->todo);
	store_filter q = *f;
	q.sight = &b.sg;
	q.keep = f->todo ? keep_todo : keep_visible;
	q.keep_ctx = s;
	store_case *v = NULL;
	size_t nv = 0;
	rc = store_case_list(s->st, &q, &v, &nv, err);
	sight_free(&b, s->cf->nactions);
	if (rc)
		return rc;
	*out = v;
	*n = nv;
	return KS_OK;
}

ks_status case_count(session *s, const store_filter *f, long long cap, long long *n, ks_err *err)
{
	/* counted through the list, so that the engine has the last word on each
	 * case as in case_list (the SQL alone may count a few too many); at most
	 * cap rows are read */
	*n = 0;
	store_filter q = *f;
	q.limit = cap > 0 ? (int)cap : 0;
	q.offset = 0;
	q.after = NULL;
	store_case *v = NULL;
	size_t nv = 0;
	ks_status rc = case_list(s, &q, &v, &nv, err);
	if (rc)
		return rc;
	store_cases_free(v, nv);
	*n = (long long)nv;
	return KS_OK;
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
	return case_do_note(s, no, action, in, n, expect_version, NULL, err);
}

ks_status case_do_note(session *s, const char *no, const char *action, const form_kv *in, size_t n,
                       int expect_version, char **note, ks_err *err)
{
	paper_do pd = {0};
	if (note)
		*note = NULL;
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
	search_prepare(s, no);   /* parse what the search text is built from before the lock */
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
	fields = json_deep_copy(case_fields_of(s, c.fields));   /* parsed for case_may already */
	if (!fields)
		abort();
	for (size_t i = 0; i < a->nclears; i++)
		json_object_del(fields, a->clears[i]);
	json_object_update(fields, input);
	if ((rc = paper_before(s, &c, a, input, fields, &pd, err)))
		goto fail;
	time_t now = clock_now();
	const char *from = c.state;
	const char *to = pd.to ? pd.to : a->to ? a->to : c.state;
	/* quorum: all but the last signature leave the case where it is */
	bool partial = false;
	if (a->quorum > 1) {
		size_t signed_n = 0;
		if ((rc = quorum_signed(s, &c, a, NULL, &signed_n, NULL, err)))
			goto fail;
		partial = signed_n + 1 < (size_t)a->quorum;
		if (partial)
			to = c.state;
	}
	const char *dept = c.dept, *assignee = c.assignee;
	if (a->set_dept && json_is_string(json_object_get(input, a->set_dept)))
		dept = json_string_value(json_object_get(input, a->set_dept));
	if (a->set_assignee && json_is_string(json_object_get(input, a->set_assignee)))
		assignee = json_string_value(json_object_get(input, a->set_assignee));
	text = dump(fields);
	json_object_update(input, pd.extra);   /* the engine's record of a 签呈: event and form only */
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
	if (!partial && (rc = deadline_on_action(s, &nc, a->code, fields, now, err)))
		goto fail;
	if ((rc = search_index_case(s, c.id, err)))
		goto fail;
	if (!partial && (rc = copies_on_action(s, &nc, a, now, err)))
		goto fail;
	if (!partial && (rc = penalty_on_action(s, &nc, a, now, err)))
		goto fail;
	if ((rc = paper_after(s, &nc, a, &e, &pd, err)))
		goto fail;
	if ((rc = store_commit(s->st, err)))
		goto out;
	if (note)
		*note = pd.note, pd.note = NULL;
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
	paper_do_free(&pd);
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
