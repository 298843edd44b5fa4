/* remform.c — the 催办单 and 治办单 as paper: see include/kesu/remform.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/remform.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"

ks_status remform_find(session *s, const store_case *c, long long id, store_reminder **r, const conf_form **f,
                       ks_err *err)
{
	*r = NULL;
	*f = NULL;
	ks_err e2;
	ks_status st = store_reminder_get(s->st, id, r, &e2);
	if (st == KS_NOTFOUND || (st == KS_OK && (*r)->case_id != c->id)) {
		/* another case's reminder says nothing about that case */
		if (*r)
			store_reminders_free(*r, 1);
		*r = NULL;
		return ks_errf(err, KS_NOTFOUND, "--reminder：案件 %s 没有第 %lld 号催办记录（kesu show %s 列出本案的）",
		               c->no, id, c->no);
	}
	if (st) {
		if (err)
			*err = e2;
		return st;
	}
	const char *kind = (*r)->kind;
	if (strcmp(kind, "urge") && strcmp(kind, "inquiry")) {
		store_reminders_free(*r, 1);
		*r = NULL;
		return ks_errf(err, KS_INVALID, "--reminder：第 %lld 号是到期前的提醒，不是催办单或治办单，没有纸面表单",
		               id);
	}
	*f = conf_reminder_form(s->cf, kind);
	if (!*f) {
		bool urge = !strcmp(kind, "urge");
		store_reminders_free(*r, 1);
		*r = NULL;
		return ks_errf(err, KS_NOTFOUND, "配置中没有 reminder: %s 的表单（forms/%s.yaml），无法打印第 %lld 号；kesu doctor 说明如何补上",
		               urge ? "urge" : "inquiry", urge ? "urge_notice" : "escalation_notice", id);
	}
	return KS_OK;
}

static const char *dept_name(const conf *cf, const char *code)
{
	const conf_dept *d = code ? conf_find_dept(cf, code) : NULL;
	return d ? d->name : code ? code : "";
}

static const char *staff_name(const conf *cf, const char *login)
{
	const conf_staff *p = login ? conf_find_staff(cf, login) : NULL;
	return p ? p->name : login ? login : "";
}

/* The value of vocabulary key k (caller frees). */
static char *value(const conf *cf, const conf_form *f, const store_case *c, const store_reminder *r,
                   const char *k)
{
	const conf_clock *ck = conf_find_clock(cf, r->clock);
	char buf[64];
	if (!strcmp(k, "case"))
		return ks_strdup(c->no);
	if (!strcmp(k, "subject"))
		return ks_strdup(c->subject ? c->subject : "");
	if (!strcmp(k, "customer"))
		return ks_strdup(c->customer ? c->customer : "");
	if (!strcmp(k, "state")) {
		const conf_state *s = conf_find_state(cf, c->state);
		return ks_strdup(s ? s->label : c->state);
	}
	if (!strcmp(k, "handling_dept"))
		return ks_strdup(dept_name(cf, c->dept));
	if (!strcmp(k, "assignee"))
		return ks_strdup(staff_name(cf, c->assignee));
	if (!strcmp(k, "clock"))
		return ks_strdup(ck ? ck->label : r->clock);
	if (!strcmp(k, "started") || !strcmp(k, "due") || !strcmp(k, "issued_at")) {
		time_t t = k[0] == 's' ? r->started_at : k[0] == 'd' ? r->due_at : r->at;
		if (!t)
			return ks_strdup("");
		clock_short(t, buf, sizeof buf);
		return ks_strdup(buf);
	}
	if (!strcmp(k, "late")) {
		deadline_span(r->late, buf, sizeof buf);
		return ks_strdup(buf);
	}
	if (!strcmp(k, "dept"))
		return ks_strdup(dept_name(cf, r->dept));
	if (!strcmp(k, "person"))
		return ks_strdup(staff_name(cf, r->login));
	if (!strcmp(k, "role")) {
		const conf_role *ro = r->role ? conf_find_role(cf, r->role) : NULL;
		return ks_strdup(ro ? ro->name : r->role ? r->role : "");
	}
	if (!strcmp(k, "level")) {
		/* a 催办单's level counts the clock's levels after due (1, 2, …) */
		int n = 0;
		if (!strcmp(r->kind, "urge") && ck)
			for (size_t i = 0; i < ck->nlevels && (int)i <= r->level; i++)
				n += !ck->levels[i].before;
		snprintf(buf, sizeof buf, "%d", n ? n : r->level + 1);
		return ks_strdup(buf);
	}
	if (!strcmp(k, "issued_by"))
		return ks_strdup(f->issuer ? f->issuer : "");
	if (!strcmp(k, "awaited")) {
		char *out = ks_strdup("");
		for (size_t i = 0; ck && i < ck->nstop; i++) {
			const conf_action *a = conf_find_action(cf, ck->stop[i]);
			char *t = ks_asprintf("%s%s%s", out, *out ? "、" : "", a ? a->label : ck->stop[i]);
			free(out);
			out = t;
		}
		return out;
	}
	return ks_strdup("");   /* reason, measures: boxes to write in */
}

json_t *remform_snapshot(const conf *cf, const conf_form *f, const store_case *c, const store_reminder *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < f->nitems; i++) {
		const conf_field *it = &f->items[i];
		char *v = value(cf, f, c, r, it->key);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "key", it->key, "label", it->label,
		                                       "group", it->group ? it->group : "", "text", v));
		free(v);
	}
	json_t *sig = json_array();
	for (size_t i = 0; i < f->nsignatures; i++)
		json_array_append_new(sig, json_string(f->signatures[i]));
	char at[40];
	clock_short(r->at, at, sizeof at);
	json_t *snap = json_pack("{s:s, s:s, s:s, s:I, s:s, s:o, s:o}", "form", f->code, "title", f->title, "case",
	                         c->no, "reminder", (json_int_t)r->id, "kind", r->kind, "items", items,
	                         "signatures", sig);
	json_object_set_new(snap, "issued", json_pack("{s:s, s:s, s:s}", "at", at, "by", "", "by_name",
	                                              f->issuer ? f->issuer : ""));
	return snap;
}
