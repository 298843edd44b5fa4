/* case.c — the workflow engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/case.h"
#include "kesu/archive.h"
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
	if (!strcmp(action, ARCHIVE_ACTION))
		return "销毁资料（保存期限届满）";
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

/* The field's value as text (strings as they are, integers in decimal), or
 * NULL when it is absent or of another kind. buf holds the integer's text. */
static const char *value_text(const json_t *fields, const char *key, char *buf, size_t n)
{
	const json_t *v = json_object_get(fields, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

/* older_than / within: the end of the period w->age counted from the date
 * field's value (calendar_due: 民法典, the start day not counted, the last
 * day moved past rest days). When the calendar has no data for a year the
 * period touches, the last day is not moved (ROLL_NONE); a working-day
 * period that cannot be counted leaves the condition undecided (false). */
static bool period_end(const conf_cond *w, const json_t *fields, time_t *end)
{
	const json_t *v = json_object_get(fields, w->field);
	time_t from;
	if (!json_is_string(v) || !w->cal || !clock_parse(json_string_value(v), &from))
		return false;
	calendar_duration d = w->age;
	if (calendar_due(w->cal, from, &d, end, NULL) == KS_OK)
		return true;
	d.roll = CALENDAR_ROLL_NONE;
	return (d.unit == CALENDAR_DAYS || d.unit == CALENDAR_MONTHS) &&
	       calendar_due(w->cal, from, &d, end, NULL) == KS_OK;
}

/* Whether the fields object satisfies condition w, for a case registered at
 * registered. */
static bool cond_holds(const json_t *fields, const conf_cond *w, time_t registered)
{
	char buf[32], obuf[32];
	const char *s = value_text(fields, w->field, buf, sizeof buf);
	switch (w->op) {
	case COND_IN:
		for (size_t i = 0; s && i < w->nvalues; i++)
			if (!strcmp(s, w->values[i]))
				return true;
		return false;
	case COND_SAME_FIELD: {
		const char *o = w->other ? value_text(fields, w->other, obuf, sizeof obuf) : NULL;
		return s && o && !strcmp(s, o);
	}
	case COND_OLDER_THAN:
	case COND_WITHIN: {
		time_t end;
		if (!period_end(w, fields, &end))
			return false;
		return w->op == COND_OLDER_THAN ? registered >= end : registered < end;
	}
	}
	return false;
}

/* Whether every condition of alternative alt holds. */
static bool alt_holds(const json_t *fields, const conf_cond *w, size_t n, int alt, time_t registered)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].alt == alt && !cond_holds(fields, &w[i], registered))
			return false;
	return true;
}

/* No conditions: true. Otherwise any alternative (a map of a `when` list;
 * a single map is alternative 0) whose conditions all hold. */
bool case_conds_hold(const json_t *fields, const conf_cond *w, size_t n, time_t registered)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		bool first = true;
		for (size_t k = 0; k < i; k++)
			if (w[k].alt == w[i].alt)
				first = false;
		if (first && alt_holds(fields, w, n, w[i].alt, registered))
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

static char *cond_text(const conf *cf, const conf_cond *w, const char *verb);

/* ---- staff field defaults: the one holder of a role, or a mapping ---- */

/* Whether login is named in a `recuse` staff field of fields. */
static bool names_recused(const conf *cf, const json_t *fields, const char *login)
{
	for (size_t i = 0; fields && i < cf->nforms; i++)
		for (size_t k = 0; k < cf->forms[i].nfields; k++) {
			const conf_field *fd = &cf->forms[i].fields[k];
			const json_t *v = fd->recuse ? json_object_get(fields, fd->key) : NULL;
			if (json_is_string(v) && !strcmp(json_string_value(v), login))
				return true;
		}
	return false;
}

/* Whether input sets any `recuse` staff field. */
static bool recuse_given(const conf *cf, const json_t *input)
{
	for (size_t i = 0; input && i < cf->nforms; i++)
		for (size_t k = 0; k < cf->forms[i].nfields; k++)
			if (cf->forms[i].fields[k].recuse && json_object_get(input, cf->forms[i].fields[k].key))
				return true;
	return false;
}

/* The raw value given for key in in[0..n), or NULL (empty counts as none). */
static const char *kv_get(const form_kv *in, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(in[i].key, key))
			return in[i].len ? in[i].value : NULL;
	return NULL;
}

/* Who default d of field fd names on case c (NULL at registration), given
 * the form's input and the case's fields: *login, or NULL with *why set
 * (allocated) saying why nobody could be chosen. */
static const char *default_person(session *s, const store_case *c, const conf_field *fd, const form_kv *in,
                                  size_t n, const json_t *cfields, char **why)
{
	const conf *cf = s->cf;
	const conf_staff_default *d = fd->dflt;
	*why = NULL;
	if (d->self) {
		if (names_recused(cf, cfields, s->me->login)) {
			*why = ks_asprintf("%s须回避", s->me->name);
			return NULL;
		}
		return s->me->login;
	}
	if (d->superior_of) {
		/* the registrant is the person registering while there is no case yet */
		const char *of = !strcmp(d->superior_of, "me") ? s->me->login
		                 : !strcmp(d->superior_of, "registrant") ? (c ? c->registrant : s->me->login)
		                 : c ? c->assignee : NULL;
		const char *wl = !strcmp(d->superior_of, "me") ? "本人" : !strcmp(d->superior_of, "registrant") ? "登记人" : "承办人";
		const conf_staff *p = of && *of ? conf_find_staff(cf, of) : NULL;
		const conf_staff *up = p && p->reports_to ? conf_find_staff(cf, p->reports_to) : NULL;
		if (!p)
			*why = ks_asprintf("本案还没有%s", wl);
		else if (!up)
			*why = ks_asprintf("%s%s没有直接上级（staff.yaml 的 reports_to）", wl, p->name);
		else if (!up->active)
			*why = ks_asprintf("%s%s的直接上级%s已停用", wl, p->name, up->name);
		else if (names_recused(cf, cfields, up->login))
			*why = ks_asprintf("%s%s的直接上级%s须回避", wl, p->name, up->name);
		else
			return up->login;
		return NULL;
	}
	if (d->role) {
		const char *dept = d->dept == DEFAULT_DEPT_CASE ? (c ? c->dept : NULL)
		                   : d->dept == DEFAULT_DEPT_MINE ? s->me->dept : NULL;
		const conf_role *r = conf_find_role(cf, d->role);
		const char *rn = r ? r->name : d->role;
		const char *where = d->dept == DEFAULT_DEPT_ANY ? "全公司" : dept ? case_dept_name(s, dept) : "本案部门";
		const conf_staff *one = NULL;
		char *names = ks_strdup("");
		size_t count = 0;
		for (size_t i = 0; i < cf->nstaff; i++) {
			const conf_staff *p = &cf->staff[i];
			if (!p->active || !conf_staff_has_role(p, d->role) || (d->dept != DEFAULT_DEPT_ANY && (!dept || strcmp(p->dept, dept))) ||
			    names_recused(cf, cfields, p->login))
				continue;
			one = p;
			char *t = ks_asprintf("%s%s%s", names, count++ ? "、" : "", p->name);
			free(names);
			names = t;
		}
		if (count == 1) {
			free(names);
			return one->login;
		}
		*why = count ? ks_asprintf("%s有 %zu 名%s（%s）", where, count, rn, names)
		             : ks_asprintf("%s没有在职的%s", where, rn);
		free(names);
		return NULL;
	}
	const conf_field *src = any_field(cf, d->from);
	const char *raw = kv_get(in, n, d->from), *val = NULL;
	if (raw && src) {
		for (size_t i = 0; i < src->nchoices && !val; i++)
			if (!strcmp(src->choices[i].value, raw) || !strcmp(src->choices[i].label, raw))
				val = src->choices[i].value;
	} else if (!raw) {
		const json_t *v = json_object_get(cfields, d->from);
		val = json_is_string(v) ? json_string_value(v) : NULL;
	}
	const char *sl = src ? src->label : d->from;
	if (!val) {
		*why = ks_asprintf("「%s」未填", sl);
		return NULL;
	}
	const char *vl = src ? conf_choice_label(src, val) : NULL;
	for (size_t i = 0; i < d->nmap; i++) {
		if (strcmp(d->map_keys[i], val))
			continue;
		const conf_staff *p = conf_find_staff(cf, d->map_vals[i]);
		if (!p || !p->active)
			*why = ks_asprintf("「%s」为 %s 对应的 %s 已停用", sl, vl ? vl : val, p ? p->name : d->map_vals[i]);
		else if (names_recused(cf, cfields, p->login))
			*why = ks_asprintf("「%s」为 %s 对应的 %s 须回避", sl, vl ? vl : val, p->name);
		else
			return p->login;
		return NULL;
	}
	*why = ks_asprintf("「%s」为 %s 没有对应的人员", sl, vl ? vl : val);
	return NULL;
}

/* in[0..n) with the empty staff fields of form f that have a `default:`
 * filled in (*out: allocated, values point into the configuration or in).
 * A required field nobody can be chosen for is refused, naming the field and
 * why; an optional one is left empty. */
static ks_status fill_defaults(session *s, const store_case *c, const conf_form *f, const form_kv *in, size_t n,
                               const json_t *cfields, form_kv **out, size_t *nout, ks_err *err)
{
	*out = ks_calloc(n + (f ? f->nfields : 0) + 1, sizeof **out);
	*nout = 0;
	for (size_t i = 0; f && i < f->nfields; i++) {
		const conf_field *fd = &f->fields[i];
		if (!fd->dflt || kv_get(in, n, fd->key))
			continue;
		char *why = NULL;
		const char *who = default_person(s, c, fd, in, n, cfields, &why);
		if (who) {
			(*out)[(*nout)++] = (form_kv){ fd->key, who, strlen(who) };
			continue;
		}
		if (fd->required) {
			ks_status rc = ks_errf(err, KS_INVALID, "「%s」(%s) 未填，也无法自动确定：%s，请指定", fd->label, fd->key,
			                       why);
			free(why);
			free(*out);
			*out = NULL;
			return rc;
		}
		free(why);
	}
	/* the person's own entries, less the empty ones of fields with a default
	 * (filled above, or left out: empty means "not given") */
	for (size_t i = 0; i < n; i++) {
		const conf_field *fd = f ? conf_form_field(f, in[i].key) : NULL;
		if (!(fd && fd->dflt && !in[i].len))
			(*out)[(*nout)++] = in[i];
	}
	return KS_OK;
}


/* "「来源」为 电话或上门" for the conditions of a register rule (several
 * maps: "…，或 …"). Caller frees. */
static char *conds_text(const conf *cf, const conf_cond *w, size_t n)
{
	char *all = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		char *t = cond_text(cf, &w[i], "为");
		const char *sep = !i ? "" : w[i].alt == w[i - 1].alt ? " 且 " : "，或 ";
		char *u = ks_asprintf("%s%s%s", all, sep, t);
		free(t);
		free(all);
		all = u;
	}
	return all;
}

/* The intake `register:` rules: the first whose `when` holds on the new
 * case's fields names the roles that may register it. */
static ks_status register_may(session *s, const json_t *fields, ks_err *err)
{
	const conf *cf = s->cf;
	for (size_t i = 0; i < cf->nregisters; i++) {
		const conf_register *r = &cf->registers[i];
		if (!case_conds_hold(fields, r->when, r->nwhen, clock_now()))
			continue;
		if (has_any_role(s->me, r->roles, r->nroles))
			return KS_OK;
		char *what = conds_text(cf, r->when, r->nwhen), *who = role_names(cf, r->roles, r->nroles);
		ks_status rc = ks_errf(err, KS_DENIED, "%s 不能登记%s的投诉：须由 %s 登记", s->me->name, what, who);
		free(what);
		free(who);
		return rc;
	}
	return KS_OK;
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
	form_kv *kv = NULL;
	size_t nkv = 0;
	if ((rc = fill_defaults(s, NULL, f, in, n, NULL, &kv, &nkv, err)))
		return rc;
	rc = form_fill(c, f, kv, nkv, &fields, err);
	free(kv);
	if (rc)
		return rc;
	if ((rc = register_may(s, fields, err))) {
		json_decref(fields);
		return rc;
	}
	const char *dept = NULL;
	for (size_t i = 0; i < c->nroutes && !dept; i++)
		if (case_conds_hold(fields, c->routes[i].when, c->routes[i].nwhen, clock_now()))
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
	const char *label = fd ? fd->label : w->field;
	if (w->op == COND_SAME_FIELD) {
		const conf_field *od = w->other ? any_field(cf, w->other) : NULL;
		return ks_asprintf("「%s」%s与「%s」相同", label, strcmp(verb, "应为") ? "" : "应",
		                   od ? od->label : w->other ? w->other : "?");
	}
	if (w->op == COND_OLDER_THAN || w->op == COND_WITHIN)
		return ks_asprintf("「%s」%s登记前%s %ld %s的日期", label, verb,
		                   w->op == COND_WITHIN ? "" : "超过", w->age.n, calendar_unit_label(w->age.unit));
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

/* The refusal for action a whose `when` (w = a->when) or `check` (w =
 * a->check: after its values are applied) does not hold on fields: with one
 * alternative, the first condition that fails ("「F」应为 V"); with several,
 * every alternative ("须满足以下之一：「F」为 V 且「G」为 W；「H」为 X"). */
static ks_status when_refusal(const conf *cf, const conf_action *a, const conf_cond *w, size_t n,
                              const json_t *fields, time_t registered, ks_err *err)
{
	char *head = w == a->check ? ks_asprintf("「%s」的填写不符合要求", a->label)
	                           : ks_asprintf("现在不能「%s」", a->label);
	if (w == a->unless) {
		/* unless holds: say which of its alternatives does */
		for (size_t i = 0; i < n; i++) {
			bool first = true;
			for (size_t k = 0; k < i; k++)
				first &= w[k].alt != w[i].alt;
			if (!first || !alt_holds(fields, w, n, w[i].alt, registered))
				continue;
			char *all = ks_strdup("");
			for (size_t k = i; k < n; k++) {
				if (w[k].alt != w[i].alt)
					continue;
				char *t = cond_text(cf, &w[k], "为");
				char *u = ks_asprintf("%s%s%s", all, *all ? " 且 " : "", t);
				free(t);
				free(all);
				all = u;
			}
			ks_status rc = ks_errf(err, KS_INVALID, "%s：%s", head, all);
			free(all);
			free(head);
			return rc;
		}
	}
	bool several = false;
	for (size_t i = 0; i < n; i++)
		if (w[i].alt != w[0].alt)
			several = true;
	ks_status rc;
	if (!several) {
		for (size_t i = 0; i < n; i++) {
			if (cond_holds(fields, &w[i], registered))
				continue;
			char *t = cond_text(cf, &w[i], "应为");
			rc = ks_errf(err, KS_INVALID, "%s：%s", head, t);
			free(t);
			free(head);
			return rc;
		}
		rc = ks_errf(err, KS_INVALID, "%s", head);
		free(head);
		return rc;
	}
	char *all = ks_strdup("");
	int prev_alt = -1;
	for (size_t i = 0; i < n; i++) {
		char *t = cond_text(cf, &w[i], "为");
		const char *sep = !*all ? "" : w[i].alt == prev_alt ? " 且 " : "；";
		char *u = ks_asprintf("%s%s%s", all, sep, t);
		free(t);
		free(all);
		all = u;
		prev_alt = w[i].alt;
	}
	rc = ks_errf(err, KS_INVALID, "%s：须满足以下之一：%s", head, all);
	free(all);
	free(head);
	return rc;
}

/* ---- quorum (会签): K different people each do the action, or one
 * holder of each listed role (by_role) ---- */

void case_quorum_free(case_quorum *q)
{
	for (size_t i = 0; i < q->nsigners; i++)
		free(q->signers[i]);
	free(q->signers);
	free(q->slot);
	free(q->awaiting);
	memset(q, 0, sizeof *q);
}

char *case_quorum_role_text(const session *s, const store_case *c, const conf_quorum_role *r)
{
	const conf_role *cr = conf_find_role(s->cf, r->role);
	const char *name = cr ? cr->name : r->role;
	if (r->scope == SCOPE_CASE_DEPT)
		return ks_asprintf("%s（%s）", name, c->dept ? case_dept_name(s, c->dept) : "本案部门");
	return ks_strdup(name);
}

/* Whether login may fill by-role entry r on case c. */
static bool quorum_fits(const session *s, const store_case *c, const conf_quorum_role *r, const char *login)
{
	const conf_staff *p = conf_find_staff(s->cf, login);
	if (!p || !conf_staff_has_role(p, r->role))
		return false;
	return r->scope != SCOPE_CASE_DEPT || (c->dept && p->dept && !strcmp(c->dept, p->dept));
}

/* Kuhn's augmenting path: give signer u an entry, moving others if needed. */
static bool quorum_augment(const session *s, const store_case *c, const conf_action *a, case_quorum *q,
                           size_t u, bool *seen, int *owner)
{
	for (size_t r = 0; r < a->nquorum_by_role; r++) {
		if (seen[r] || !quorum_fits(s, c, &a->quorum_by_role[r], q->signers[u]))
			continue;
		seen[r] = true;
		if (owner[r] < 0 || quorum_augment(s, c, a, q, (size_t)owner[r], seen, owner)) {
			owner[r] = (int)u;
			return true;
		}
	}
	return false;
}

/* Who counts among q's signers: for a count quorum every different person,
 * for a by-role quorum the largest assignment of signers to entries (one
 * entry each), found in signing order. */
static void quorum_match(const session *s, const store_case *c, const conf_action *a, case_quorum *q)
{
	free(q->slot);
	free(q->awaiting);
	q->slot = ks_calloc(q->nsigners + 1, sizeof *q->slot);
	q->awaiting = NULL;
	q->nslots = a->nquorum_by_role;
	q->need = (size_t)a->quorum;
	for (size_t i = 0; i < q->nsigners; i++)
		q->slot[i] = -1;
	if (!a->nquorum_by_role) {
		q->have = q->nsigners;
		return;
	}
	int *owner = ks_calloc(q->nslots, sizeof *owner);
	bool *seen = ks_calloc(q->nslots, sizeof *seen);
	for (size_t r = 0; r < q->nslots; r++)
		owner[r] = -1;
	for (size_t u = 0; u < q->nsigners; u++) {
		memset(seen, 0, q->nslots * sizeof *seen);
		quorum_augment(s, c, a, q, u, seen, owner);
	}
	q->have = 0;
	q->awaiting = ks_calloc(q->nslots, sizeof *q->awaiting);
	for (size_t r = 0; r < q->nslots; r++) {
		q->awaiting[r] = owner[r] < 0;
		if (owner[r] >= 0) {
			q->slot[owner[r]] = (int)r;
			q->have++;
		}
	}
	free(owner);
	free(seen);
}

/* The people who have signed action a on case c in the current round: the
 * events of a at the end of the history that left the state alone (the
 * signatures before the last), with no other action in between. */
ks_status case_quorum_status(session *s, const store_case *c, const conf_action *a, case_quorum *out,
                             ks_err *err)
{
	memset(out, 0, sizeof *out);
	store_event *ev = NULL;
	size_t nev = 0;
	ks_status rc = store_events(s->st, c->id, &ev, &nev, err);
	if (rc)
		return rc;
	size_t first = nev;
	while (first > 0) {
		const store_event *e = &ev[first - 1];
		if (strcmp(e->action, a->code) || !e->from_state || !e->to_state || strcmp(e->from_state, e->to_state))
			break;
		first--;
	}
	out->signers = ks_calloc(nev - first + 2, sizeof *out->signers);
	for (size_t i = first; i < nev; i++) {
		bool again = false;
		for (size_t k = 0; k < out->nsigners; k++)
			again |= !strcmp(out->signers[k], ev[i].actor);
		if (!again)
			out->signers[out->nsigners++] = ks_strdup(ev[i].actor);
	}
	store_events_free(ev, nev);
	quorum_match(s, c, a, out);
	return KS_OK;
}

/* The entries of q still awaited, "部门经理（销售部）、总经理". Caller frees. */
static char *quorum_awaited(const session *s, const store_case *c, const conf_action *a, const case_quorum *q)
{
	char *out = ks_strdup("");
	for (size_t r = 0; r < q->nslots; r++) {
		if (!q->awaiting[r])
			continue;
		char *t = case_quorum_role_text(s, c, &a->quorum_by_role[r]);
		char *u = ks_asprintf("%s%s%s", out, *out ? "、" : "", t);
		free(t);
		free(out);
		out = u;
	}
	return out;
}

/* case_may's part for a quorum action: the person must hold a signing role
 * (for by_role: fit an entry still awaited) and must not have signed in this
 * round already. */
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
	if (a->nquorum_by_role) {
		bool fits = false;
		for (size_t r = 0; r < a->nquorum_by_role; r++)
			fits |= quorum_fits(s, c, &a->quorum_by_role[r], s->me->login);
		if (!fits) {
			char *all = ks_strdup("");
			for (size_t r = 0; r < a->nquorum_by_role; r++) {
				char *t = case_quorum_role_text(s, c, &a->quorum_by_role[r]);
				char *u = ks_asprintf("%s%s%s", all, r ? "、" : "", t);
				free(t);
				free(all);
				all = u;
			}
			ks_status rc = ks_errf(err, KS_DENIED, "%s 不能会签「%s」（须由以下各一人会签：%s）", s->me->name,
			                       a->label, all);
			free(all);
			return rc;
		}
	}
	case_quorum q;
	ks_status rc = case_quorum_status(s, c, a, &q, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < q.nsigners; i++)
		if (!strcmp(q.signers[i], s->me->login)) {
			rc = ks_errf(err, KS_INVALID, "%s 已会签「%s」（%zu/%zu），须由另一位会签", s->me->name, a->label,
			             q.have, q.need);
			case_quorum_free(&q);
			return rc;
		}
	if (a->nquorum_by_role) {
		size_t before = q.have;
		char *awaited = quorum_awaited(s, c, a, &q);
		q.signers[q.nsigners++] = ks_strdup(s->me->login);
		quorum_match(s, c, a, &q);
		if (q.have == before)
			rc = ks_errf(err, KS_INVALID, "「%s」中 %s 能会签的角色已有人会签；尚待：%s", a->label, s->me->name,
			             awaited);
		free(awaited);
	}
	case_quorum_free(&q);
	return rc;
}

/* Whether the current person's signature completes the quorum of a on c. */
static ks_status quorum_completes(session *s, const store_case *c, const conf_action *a, bool *done, ks_err *err)
{
	case_quorum q;
	ks_status rc = case_quorum_status(s, c, a, &q, err);
	if (rc)
		return rc;
	q.signers[q.nsigners++] = ks_strdup(s->me->login);
	quorum_match(s, c, a, &q);
	*done = q.have >= q.need;
	case_quorum_free(&q);
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
	if (!case_conds_hold(fields, a->when, a->nwhen, c->created_at))
		return when_refusal(cf, a, a->when, a->nwhen, fields, c->created_at, err);
	if (a->nunless && case_conds_hold(fields, a->unless, a->nunless, c->created_at))
		return when_refusal(cf, a, a->unless, a->nunless, fields, c->created_at, err);
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

/* Whether the case's fields (JSON text) may hold login as a value, so that
 * recused() must look. Without a backslash in the text every JSON string in
 * it is its characters verbatim, so a value equal to login is login
 * verbatim: if login is not in the text, no value is login. This spares
 * parsing every case's fields where lists and search look at many cases
 * (4 of a search page's 9 million instructions). */
static bool may_name(const char *text, const char *login)
{
	return text && (strchr(text, '\\') || strstr(text, login));
}

bool case_visible(session *s, const store_case *c)
{
	if (!s->me)
		return false;
	/* parse only when the text could name the person (may_name) */
	if (may_name(c->fields, s->me->login) && recused(s, case_fields_of(s, c->fields)))
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
		/* older_than / within need the calendar: left out of the SQL (which is
		 * then wider; the engine has the last word on each row of a list) */
		for (size_t k = 0; k < a->nwhen; k++)
			if (a->when[k].op == COND_IN || a->when[k].op == COND_SAME_FIELD)
				b->conds[nc + r->nwhen++] = (store_cond){ a->when[k].field, a->when[k].values,
				                                          a->when[k].nvalues, a->when[k].other };
		nc += r->nwhen;
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
	bool disposed = false;   /* its personal data was cleared after retention (core/archive.c) */
	if ((rc = store_case_has_action(s->st, c.id, ARCHIVE_ACTION, &disposed, err)))
		goto fail;
	if (disposed) {
		rc = ks_errf(err, KS_INVALID, "案件 %s 的资料已按保存期限销毁，不能再办理「%s」", c.no, a->label);
		goto fail;
	}
	const conf_form *f = a->form ? conf_find_form(cf, a->form) : NULL;
	if (!f && n > 0) {
		rc = ks_errf(err, KS_INVALID, "「%s」不需要填写字段（给了 %s）", a->label, in[0].key);
		goto fail;
	}
	if (f) {
		json_t *cur = parse_fields(c.fields);
		form_kv *kv = NULL;
		size_t nkv = 0;
		/* case_dept defaults look in the department the action moves the case to */
		store_case where = c;
		const char *to_dept = a->set_dept ? kv_get(in, n, a->set_dept) : NULL;
		const conf_dept *td = to_dept ? conf_find_dept(cf, to_dept) : NULL;
		for (size_t i = 0; to_dept && !td && i < cf->ndepts; i++)
			if (!strcmp(cf->depts[i].name, to_dept))
				td = &cf->depts[i];
		if (td)
			where.dept = td->code;
		rc = fill_defaults(s, &where, f, in, n, cur, &kv, &nkv, err);
		json_decref(cur);
		if (!rc)
			rc = form_fill(cf, f, kv, nkv, &input, err);
		free(kv);
		if (rc)
			goto fail;
	}
	if (!input)
		input = json_object();
	fields = json_deep_copy(case_fields_of(s, c.fields));   /* parsed for case_may already */
	if (!fields)
		abort();
	for (size_t i = 0; i < a->nclears; i++)
		json_object_del(fields, a->clears[i]);
	json_object_update(fields, input);
	if (!case_conds_hold(fields, a->check, a->ncheck, c.created_at)) {
		rc = when_refusal(cf, a, a->check, a->ncheck, fields, c.created_at, err);
		goto fail;
	}
	if ((rc = paper_before(s, &c, a, input, fields, &pd, err)))
		goto fail;
	time_t now = clock_now();
	const char *from = c.state;
	const char *to = pd.to ? pd.to : a->to ? a->to : c.state;
	/* quorum: all but the last signature leave the case where it is */
	bool partial = false;
	if (a->quorum > 1) {
		bool done = false;
		if ((rc = quorum_completes(s, &c, a, &done, err)))
			goto fail;
		partial = !done;
		if (partial)
			to = c.state;
	}
	const char *dept = c.dept, *assignee = c.assignee;
	if (a->set_dept && json_is_string(json_object_get(input, a->set_dept)))
		dept = json_string_value(json_object_get(input, a->set_dept));
	if (a->set_assignee && json_is_string(json_object_get(input, a->set_assignee)))
		assignee = json_string_value(json_object_get(input, a->set_assignee));
	/* the person complained about never handles the case: not by a typed
	 * value, nor by naming the present handler in a recuse field */
	if (assignee && names_recused(cf, fields, assignee) &&
	    ((a->set_assignee && json_object_get(input, a->set_assignee)) || recuse_given(cf, input))) {
		const conf_field *af = a->set_assignee ? any_field(cf, a->set_assignee) : NULL;
		rc = ks_errf(err, KS_INVALID, "「%s」不能是被投诉人 %s：被投诉人须回避，不能承办本案",
		             af ? af->label : "承办人", case_staff_name(s, assignee));
		goto fail;
	}
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
