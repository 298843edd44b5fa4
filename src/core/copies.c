/* copies.c — issuing the copies (联) of paper forms, and their snapshots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/copies.h"
#include "kesu/case.h"
#include "kesu/casesearch.h"
#include "kesu/clock.h"
#include "kesu/form.h"

static json_t *load_obj(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

/* The form whose fields event e recorded: the intake form for registration,
 * else the action's form (its inline fields are a form "action:CODE"). */
static const conf_form *event_form(const conf *cf, const store_event *e)
{
	if (!strcmp(e->action, "new"))
		return cf->intake_form ? conf_find_form(cf, cf->intake_form) : NULL;
	const conf_action *a = conf_find_action(cf, e->action);
	return a && a->form ? conf_find_form(cf, a->form) : NULL;
}

static const conf_field *any_field(const conf *cf, const char *key)
{
	for (size_t i = 0; i < cf->nforms; i++) {
		const conf_field *f = conf_form_field(&cf->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

/* A field recorded by the handling: its definition where it was last
 * recorded and the section it is printed in. */
typedef struct rec {
	const char *key;
	const conf_field *fd;
	const char *group;
} rec;

typedef struct recs {
	rec *v;
	size_t n, cap;
} recs;

static rec *rec_find(recs *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].key, key))
			return &r->v[i];
	return NULL;
}

/* Note key as recorded with definition fd in group (first recording fixes
 * the order, the latest the label). */
static void rec_note(recs *r, const char *key, const conf_field *fd, const char *group)
{
	rec *x = rec_find(r, key);
	if (!x) {
		if (r->n == r->cap)
			r->v = ks_realloc(r->v, (r->cap = r->cap ? r->cap * 2 : 16) * sizeof *r->v);
		x = &r->v[r->n++];
		x->key = key;
	}
	x->fd = fd;
	x->group = group;
}

static void add_item(json_t *items, const conf *cf, const char *key, const conf_field *fd, const char *group,
                     const json_t *v)
{
	char *text = v ? form_value_text(cf, fd, v) : ks_strdup("");
	if (fd && fd->type == FT_MONEY && json_is_integer(v)) {
		char *t = ks_asprintf("%s 元", text);
		free(text);
		text = t;
	}
	json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "key", key, "label",
	                                       fd && fd->label ? fd->label : key, "group", group ? group : "",
	                                       "text", text));
	free(text);
}

/* copies_snapshot with the events' fields already parsed: evf[i] is event
 * i's object (NULL: none). */
static json_t *snapshot(const conf *cf, const conf_form *f, const store_case *c, const store_event *ev,
                        size_t nev, json_t *const *evf)
{
	json_t *fields = load_obj(c->fields);
	json_t *items = json_array();
	/* the form's own boxes, in its order */
	for (size_t i = 0; i < f->nfields; i++) {
		const conf_field *fd = &f->fields[i];
		add_item(items, cf, fd->key, fd, fd->group ? fd->group : f->title, json_object_get(fields, fd->key));
	}
	/* then what the handling recorded, in the order it was recorded */
	recs r = {0};
	for (size_t i = 0; i < nev; i++) {
		const conf_form *ef = event_form(cf, &ev[i]);
		for (size_t k = 0; ef && k < ef->nfields; k++) {
			const conf_field *fd = &ef->fields[k];
			if (json_object_get(evf[i], fd->key))
				rec_note(&r, fd->key, fd, fd->group ? fd->group : ef->title);
		}
		const char *key;
		json_t *v;
		json_object_foreach(evf[i], key, v) {
			(void)v;
			if (!conf_form_field(ef, key))
				rec_note(&r, key, any_field(cf, key), "其他");
		}
	}
	const char *key;
	json_t *v;
	json_object_foreach(fields, key, v) {
		(void)v;
		if (!rec_find(&r, key))
			rec_note(&r, key, any_field(cf, key), "其他");
	}
	for (size_t i = 0; i < r.n; i++) {
		if (conf_form_field(f, r.v[i].key))
			continue;
		const json_t *val = json_object_get(fields, r.v[i].key);
		if (val)
			add_item(items, cf, r.v[i].key, r.v[i].fd, r.v[i].group, val);
	}
	json_t *sig = json_array();
	for (size_t i = 0; i < f->nsignatures; i++)
		json_array_append_new(sig, json_string(f->signatures[i]));
	const conf_state *st = c->state ? conf_find_state(cf, c->state) : NULL;
	const conf_dept *d = c->dept ? conf_find_dept(cf, c->dept) : NULL;
	char reg[24];
	clock_short(c->created_at, reg, sizeof reg);
	json_t *snap = json_pack("{s:s, s:s, s:s, s:i, s:s?, s:s?, s:s?, s:s?, s:s, s:O, s:o, s:o}",
	                         "form", f->code, "title", f->title, "case", c->no, "version", c->version,
	                         "state", c->state, "state_label", st ? st->label : c->state,
	                         "dept", c->dept, "dept_name", d ? d->name : c->dept, "registered", reg,
	                         "fields", fields, "items", items, "signatures", sig);
	if (!snap)
		abort();
	free(r.v);
	json_decref(fields);
	return snap;
}

json_t *copies_snapshot(const conf *cf, const conf_form *f, const store_case *c,
                        const store_event *ev, size_t nev)
{
	json_t **evf = ks_calloc(nev ? nev : 1, sizeof *evf);
	for (size_t i = 0; i < nev; i++)
		evf[i] = load_obj(ev[i].fields);
	json_t *snap = snapshot(cf, f, c, ev, nev, evf);
	for (size_t i = 0; i < nev; i++)
		json_decref(evf[i]);
	free(evf);
	return snap;
}

ks_status copies_on_action(session *s, const store_case *c, const conf_action *a, time_t now, ks_err *err)
{
	if (!a->nissues)
		return KS_OK;
	const conf *cf = s->cf;
	store_event *ev = NULL;
	size_t nev = 0;
	ks_status rc = store_events(s->st, c->id, &ev, &nev, err);
	if (rc)
		return rc;
	if (nev == 0) {
		store_events_free(ev, nev);
		return ks_errf(err, KS_FAIL, "案件 %s 没有历史记录，无法发出联单", c->no);
	}
	json_t *cfields = a->issues_when ? load_obj(c->fields) : NULL;
	/* the events' fields parsed once for every form issued, through the
	 * session's cache (search_prepare parsed them before the lock) */
	json_t **evf = ks_calloc(nev, sizeof *evf);
	for (size_t i = 0; i < nev; i++)
		evf[i] = ev[i].fields ? json_incref((json_t *)search_json_of(s, ev[i].fields)) : NULL;
	for (size_t i = 0; !rc && i < a->nissues; i++) {
		const conf_form *f = conf_find_form(cf, a->issues[i]);
		if (!f || !f->ncopies)
			continue; /* refused when the configuration was loaded */
		if (a->issues_when && !case_conds_hold(cfields, a->issues_when[i], a->nissues_when[i], c->created_at))
			continue; /* issued only for some outcomes (`issues: [{form, when}]`) */
		json_t *snap = snapshot(cf, f, c, ev, nev, evf);
		char at[24];
		clock_short(now, at, sizeof at);
		const char *login = s->me ? s->me->login : "";
		const conf_staff *me = s->me;
		json_object_set_new(snap, "issued", json_pack("{s:s, s:s, s:s}", "at", at, "by", login, "by_name",
		                                              me ? me->name : login));
		char *text = json_dumps(snap, JSON_COMPACT);
		json_decref(snap);
		if (!text)
			abort();
		int round = 0;
		rc = store_copy_next_round(s->st, c->id, f->code, &round, err);
		for (size_t k = 0; !rc && k < f->ncopies; k++) {
			const conf_copy *p = &f->copies[k];
			const conf_dept *d = conf_find_dept(cf, p->holder);
			store_copy row = {
				.case_id = c->id, .event_id = ev[nev - 1].id, .form = f->code, .round = round,
				.copy_no = p->no, .holder = p->holder, .holder_name = d ? d->name : p->holder,
				.purpose = p->purpose, .issued_at = now, .issued_by = s->me ? s->me->login : "",
				.snapshot = text,
			};
			rc = store_copy_insert(s->st, &row, err);
		}
		free(text);
	}
	json_decref(cfields);
	for (size_t i = 0; i < nev; i++)
		json_decref(evf[i]);
	free(evf);
	store_events_free(ev, nev);
	return rc;
}

const conf_form *copies_print_form(const conf *cf, const store_copy *v, size_t n)
{
	/* the latest issuing action's first form (the 处理表 before the vouchers
	 * that the same closure issues) */
	const store_copy *latest = NULL;
	for (size_t i = 0; i < n; i++)
		if (!v[i].entry_id && /* not a 奖罚通知单 */
		    (!latest || v[i].event_id > latest->event_id ||
		     (v[i].event_id == latest->event_id && v[i].id < latest->id)))
			latest = &v[i];
	const conf_form *f = latest ? conf_find_form(cf, latest->form) : NULL;
	for (size_t i = 0; !f && i < cf->nactions; i++)
		for (size_t k = 0; !f && k < cf->actions[i].nissues; k++)
			f = conf_find_form(cf, cf->actions[i].issues[k]);
	if (!f && cf->intake_form)
		f = conf_find_form(cf, cf->intake_form);
	return f;
}
