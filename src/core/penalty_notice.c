/* penalty_notice.c — the 奖罚通知单: every penalty entry issues one round of
 * the copies (联) of penalty.yaml's notice form, recorded in the copies table
 * like the copies of case forms (src/core/copies.c), with a frozen snapshot
 * of the entry. See include/kesu/penalty.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/penalty.h"
#include "kesu/clock.h"
#include "kesu/form.h"

void penalty_notice_holder(const conf *c, const conf_copy *k, const char *login, const char **kind,
                           const char **holder, const char **name)
{
	const conf_staff *who = conf_find_staff(c, login);
	const conf_dept *d = NULL;
	if (k->kind == COPY_HOLDER_DEPT)
		d = conf_find_dept(c, k->holder);
	else if (k->kind == COPY_HOLDER_PERSON_DEPT && who)
		d = conf_find_dept(c, who->dept);
	if (k->kind == COPY_HOLDER_DEPT || (k->kind == COPY_HOLDER_PERSON_DEPT && who)) {
		*kind = "dept";
		*holder = k->kind == COPY_HOLDER_DEPT ? k->holder : who->dept;
		*name = d ? d->name : *holder;
		return;
	}
	/* the person (also when nobody knows their department any more) */
	*kind = "person";
	*holder = login;
	*name = who ? who->name : login;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void item(json_t *items, const char *key, const char *label, const char *text)
{
	json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "key", key, "label", label, "group", "奖罚",
	                                       "text", text));
}

json_t *penalty_notice_items(const conf *c, const json_t *f)
{
	json_t *items = json_array();
	char buf[64];
	snprintf(buf, sizeof buf, "#%lld", (long long)json_integer_value(json_object_get(f, "entry")));
	item(items, "entry", "罚扣记录", buf);
	item(items, "case", "案件编号", jstr(f, "case"));
	char *t = ks_asprintf("%s（%s）", jstr(f, "name"), jstr(f, "login"));
	item(items, "person", "被罚扣人", t);
	free(t);
	item(items, "dept", "所在部门", jstr(f, "dept_name"));
	item(items, "month", "计入月份", jstr(f, "month"));
	t = penalty_item_label(c, jstr(f, "kind"), jstr(f, "rule"), jstr(f, "ref"));
	item(items, "item", "项目", t);
	free(t);
	form_money(json_integer_value(json_object_get(f, "amount_fen")), buf, sizeof buf);
	t = ks_asprintf("%s 元", buf);
	item(items, "amount", "金额", t);
	free(t);
	item(items, "capped", "计入每月上限", json_is_true(json_object_get(f, "capped")) ? "是（超出部分递延）" : "否");
	if (json_integer_value(json_object_get(f, "reverses")) > 0) {
		snprintf(buf, sizeof buf, "#%lld", (long long)json_integer_value(json_object_get(f, "reverses")));
		item(items, "reverses", "冲销记录", buf);
	}
	if (json_integer_value(json_object_get(f, "appeal")) > 0) {
		snprintf(buf, sizeof buf, "#%lld", (long long)json_integer_value(json_object_get(f, "appeal")));
		item(items, "appeal", "答复签呈", buf);
	}
	if (*jstr(f, "note"))
		item(items, "note", "事由", jstr(f, "note"));
	return items;
}

json_t *penalty_notice_snapshot(const conf *c, const conf_form *f, const store_penalty *e, const char *case_no,
                                const char *issuer, time_t now)
{
	const conf_staff *who = conf_find_staff(c, e->login);
	const conf_dept *d = who ? conf_find_dept(c, who->dept) : NULL;
	json_t *fields = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:o, s:o, "
	                           "s:I, s:s}",
	                           "entry", (json_int_t)e->id, "case", case_no ? case_no : "", "login", e->login,
	                           "name", who ? who->name : e->login, "dept", who ? who->dept : "", "dept_name",
	                           d ? d->name : who ? who->dept : "", "month", e->month, "kind", e->kind, "rule",
	                           e->rule, "ref", e->ref ? e->ref : "", "amount_fen", (json_int_t)e->amount_fen,
	                           "capped", e->capped,
	                           "reverses", e->reverses ? json_integer(e->reverses) : json_null(),
	                           "appeal", e->appeal ? json_integer(e->appeal) : json_null(),
	                           "note", e->note ? json_string(e->note) : json_null(),
	                           "at", (json_int_t)e->at, "by", e->by ? e->by : "");
	if (!fields)
		abort();
	json_t *sig = json_array();
	for (size_t i = 0; i < f->nsignatures; i++)
		json_array_append_new(sig, json_string(f->signatures[i]));
	char at[24];
	clock_short(now, at, sizeof at);
	const conf_staff *me = issuer ? conf_find_staff(c, issuer) : NULL;
	json_t *snap = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:{s:s, s:s, s:s}}", "form", f->code, "title",
	                         f->title ? f->title : f->code, "case", case_no ? case_no : "", "entry",
	                         (json_int_t)e->id, "fields", fields, "items", penalty_notice_items(c, fields),
	                         "signatures", sig, "issued", "at", at, "by", issuer ? issuer : "", "by_name",
	                         me ? me->name : issuer ? issuer : "");
	if (!snap)
		abort();
	return snap;
}

void penalty_notice_complete(const conf *c, json_t *snap, time_t issued_at)
{
	if (!json_object_get(snap, "items"))
		json_object_set_new(snap, "items", penalty_notice_items(c, json_object_get(snap, "fields")));
	if (!json_object_get(snap, "signatures")) {
		const conf_form *nf = penconf_notice_form(c, c->penalty);
		const char *code = json_string_value(json_object_get(snap, "form"));
		const conf_form *f = nf && code && !strcmp(nf->code, code) ? nf : code ? conf_find_form(c, code) : NULL;
		json_t *sig = json_array();
		for (size_t i = 0; f && i < f->nsignatures; i++)
			json_array_append_new(sig, json_string(f->signatures[i]));
		json_object_set_new(snap, "signatures", sig);
	}
	if (!json_object_get(snap, "issued")) {
		char at[24];
		clock_short(issued_at, at, sizeof at);
		const char *by = json_string_value(json_object_get(json_object_get(snap, "fields"), "by"));
		const conf_staff *p = by ? conf_find_staff(c, by) : NULL;
		json_object_set_new(snap, "issued", json_pack("{s:s, s:s, s:s}", "at", at, "by", by ? by : "",
		                                              "by_name", p ? p->name : by ? by : ""));
	}
}

ks_status penalty_notice_issue(session *s, const store_penalty *e, const char *case_no, long long event_id,
                               time_t now, ks_err *err)
{
	const conf *c = s->cf;
	const conf_form *f = penconf_notice_form(c, c->penalty);
	if (!f || !f->ncopies || e->case_id <= 0)
		return KS_OK;
	const char *me = s->me ? s->me->login : e->by;
	json_t *snap = penalty_notice_snapshot(c, f, e, case_no, me, now);
	char *text = json_dumps(snap, JSON_COMPACT);
	json_decref(snap);
	if (!text)
		abort();
	int round = 0;
	ks_status rc = store_copy_next_round(s->st, e->case_id, f->code, &round, err);
	for (size_t i = 0; !rc && i < f->ncopies; i++) {
		const char *kind, *holder, *name;
		penalty_notice_holder(c, &f->copies[i], e->login, &kind, &holder, &name);
		store_copy row = {
			.case_id = e->case_id, .event_id = event_id, .form = f->code, .round = round,
			.copy_no = f->copies[i].no, .holder = (char *)holder, .holder_name = (char *)name,
			.purpose = f->copies[i].purpose, .issued_at = now, .issued_by = (char *)me, .snapshot = text,
			.entry_id = e->id, .holder_kind = (char *)kind,
		};
		rc = store_copy_insert(s->st, &row, err);
	}
	free(text);
	return rc;
}
