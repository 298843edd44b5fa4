/* show.c — `kesu show CASE`: fields, state, forms and history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/text.h"
#include "kesu/paper.h"

static json_t *iso(time_t t)
{
	char buf[40];
	clock_iso(t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *load_obj(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

/* The copies (联) issued for case k; a read error is reported and shows none. */
static store_copy *load_copies(session *s, const store_case *k, size_t *n)
{
	ks_err err;
	store_copy *v = NULL;
	if (store_copies(s->st, k->id, &v, n, &err)) {
		cli_fail(KS_FAIL, err.msg);
		*n = 0;
		return NULL;
	}
	return v;
}

static json_t *copies_json(session *s, const store_case *k)
{
	size_t n = 0;
	store_copy *v = load_copies(s, k, &n);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char when[40];
		clock_iso(v[i].issued_at, when, sizeof when);
		json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "copy", v[i].copy_no,
		                                   "holder", v[i].holder, "holder_name", v[i].holder_name, "purpose",
		                                   v[i].purpose, "form", v[i].form, "round", v[i].round, "issued", when,
		                                   "issued_by", v[i].issued_by));
	}
	store_copies_free(v, n);
	return a;
}

static void print_copies(session *s, const store_case *k)
{
	size_t n = 0;
	store_copy *v = load_copies(s, k, &n);
	if (n)
		printf("\n── 联单 ──\n");
	for (size_t i = 0; i < n; i++) {
		const conf_form *f = conf_find_form(s->cf, v[i].form);
		char when[24];
		clock_short(v[i].issued_at, when, sizeof when);
		char *title = text_visible(f ? f->title : v[i].form, false);
		char *holder = text_visible(v[i].holder_name, false), *purpose = text_visible(v[i].purpose, false);
		char *h = text_fit(holder, 12), *p = text_fit(purpose, 12);
		printf("  %s 第 %d 次 第 %d 联  %s %s %s  %s\n", title, v[i].round, v[i].copy_no, h, p, when,
		       case_staff_name(s, v[i].issued_by));
		free(title); free(holder); free(purpose); free(h); free(p);
	}
	store_copies_free(v, n);
}

/* The 签呈 filed on case k; a read error is reported and shows none. */
static store_dissent *load_dissents(session *s, const store_case *k, size_t *n)
{
	ks_err err;
	store_dissent *v = NULL;
	if (store_dissents(s->st, k->id, NULL, false, &v, n, &err)) {
		cli_fail(KS_FAIL, err.msg);
		*n = 0;
		return NULL;
	}
	return v;
}

static json_t *dissents_json(session *s, const store_case *k)
{
	size_t n = 0;
	store_dissent *v = load_dissents(s, k, &n);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I, s:i, s:o, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "id",
		                      (json_int_t)v[i].id, "seq", v[i].event_seq, "filed", iso(v[i].filed_at),
		                      "filed_by", v[i].filed_by, "filed_dept", v[i].filed_dept, "against",
		                      v[i].decision_action, "against_seq", v[i].decision_seq, "decided_by",
		                      v[i].decided_by, "routed_to", v[i].routed_to, "status", v[i].status,
		                      "status_label", paper_dissent_status_label(v[i].status));
		if (v[i].ruled_event_id) {
			json_object_set_new(o, "ruled", iso(v[i].ruled_at));
			json_object_set_new(o, "ruled_by", json_string(v[i].ruled_by));
			json_object_set_new(o, "ruled_seq", json_integer(v[i].ruled_seq));
		}
		json_array_append_new(a, o);
	}
	store_dissents_free(v, n);
	return a;
}

static void print_dissents(session *s, const store_case *k)
{
	size_t n = 0;
	store_dissent *v = load_dissents(s, k, &n);
	if (n)
		printf("\n── 签呈 ──\n");
	for (size_t i = 0; i < n; i++) {
		char when[24];
		clock_short(v[i].filed_at, when, sizeof when);
		printf("  %s  %s（%s）对「%s」（第 %d 版，%s）提出签呈，送 %s 批示：%s", when,
		       case_staff_name(s, v[i].filed_by), case_dept_name(s, v[i].filed_dept),
		       case_action_label(s, v[i].decision_action), v[i].decision_seq, case_staff_name(s, v[i].decided_by),
		       case_staff_name(s, v[i].routed_to), paper_dissent_status_label(v[i].status));
		if (v[i].ruled_event_id) {
			clock_short(v[i].ruled_at, when, sizeof when);
			printf("（%s %s）", case_staff_name(s, v[i].ruled_by), when);
		}
		putchar('\n');
	}
	store_dissents_free(v, n);
}

/* The 会签 of every quorum action the case's state allows: who signed and
 * (by role) what is still awaited. A case outside such a state gives []. */
static json_t *quorum_json(session *s, const store_case *k)
{
	json_t *out = json_array();
	for (size_t i = 0; i < s->cf->nactions; i++) {
		const conf_action *a = &s->cf->actions[i];
		bool here = false;
		for (size_t f = 0; f < a->nfrom; f++)
			here |= !strcmp(a->from[f], k->state);
		case_quorum q;
		if (a->quorum < 2 || !here || case_quorum_status(s, k, a, &q, NULL))
			continue;
		json_t *sg = json_array(), *aw = json_array();
		for (size_t n = 0; n < q.nsigners; n++) {
			json_t *o = json_pack("{s:s, s:s}", "login", q.signers[n], "name", case_staff_name(s, q.signers[n]));
			if (q.slot[n] >= 0)
				json_object_set_new(o, "role", json_string(a->quorum_by_role[q.slot[n]].role));
			json_array_append_new(sg, o);
		}
		for (size_t r = 0; r < q.nslots; r++) {
			const conf_quorum_role *qr = &a->quorum_by_role[r];
			if (!q.awaiting[r])
				continue;
			char *t = case_quorum_role_text(s, k, qr);
			json_t *o = json_pack("{s:s, s:s}", "role", qr->role, "label", t);
			free(t);
			if (qr->scope == SCOPE_CASE_DEPT)
				json_object_set_new(o, "dept", k->dept ? json_string(k->dept) : json_null());
			json_array_append_new(aw, o);
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:o, s:o}", "action", a->code, "label",
		                                     a->label, "need", (json_int_t)q.need, "have", (json_int_t)q.have,
		                                     "signed", sg, "awaiting", aw));
		case_quorum_free(&q);
	}
	return out;
}

static void print_quorum(session *s, const store_case *k)
{
	json_t *qs = quorum_json(s, k);
	size_t i;
	json_t *q;
	json_array_foreach(qs, i, q) {
		if (!i)
			printf("\n── 会签 ──\n");
		printf("  %s  %lld/%lld", json_string_value(json_object_get(q, "label")),
		       (long long)json_integer_value(json_object_get(q, "have")),
		       (long long)json_integer_value(json_object_get(q, "need")));
		size_t n;
		json_t *x;
		json_array_foreach(json_object_get(q, "signed"), n, x)
			printf("%s%s", n ? "、" : "  已会签：", json_string_value(json_object_get(x, "name")));
		json_array_foreach(json_object_get(q, "awaiting"), n, x)
			printf("%s%s", n ? "、" : "  尚待：", json_string_value(json_object_get(x, "label")));
		putchar('\n');
	}
	json_decref(qs);
}

static json_t *show_json(session *s, const case_view *v)
{
	const store_case *k = &v->c;
	json_t *o = json_object();
	json_object_set_new(o, "case", json_string(k->no));
	json_object_set_new(o, "state", json_string(k->state));
	json_object_set_new(o, "state_label", json_string(case_state_label(s, k->state)));
	json_object_set_new(o, "version", json_integer(k->version));
	json_object_set_new(o, "dept", k->dept ? json_string(k->dept) : json_null());
	json_object_set_new(o, "assignee", k->assignee ? json_string(k->assignee) : json_null());
	json_object_set_new(o, "registrant", json_string(k->registrant));
	json_object_set_new(o, "created", iso(k->created_at));
	json_object_set_new(o, "updated", iso(k->updated_at));
	json_object_set_new(o, "fields", load_obj(k->fields));
	json_t *dl = json_array();
	time_t now = clock_now();
	for (size_t i = 0; i < v->ndeadlines; i++) {
		const store_deadline *d = &v->deadlines[i];
		json_t *o2 = json_pack("{s:s, s:s, s:o, s:o, s:s, s:s?}", "clock", d->clock, "label", d->label,
		                       "started", iso(d->started_at), "due", iso(d->due_at), "status",
		                       deadline_status(d, now), "calendar_version", d->calendar_version);
		if (d->stopped_at)
			json_object_set_new(o2, "stopped", iso(d->stopped_at));
		time_t ref = d->stopped_at ? d->stopped_at : now;
		json_object_set_new(o2, ref > d->due_at ? "late_minutes" : "remaining_minutes",
		                    json_integer((ref > d->due_at ? ref - d->due_at : d->due_at - ref) / 60));
		json_array_append_new(dl, o2);
	}
	json_object_set_new(o, "deadlines", dl);
	json_t *rem = json_array();
	for (size_t i = 0; i < v->nreminders; i++) {
		const store_reminder *r = &v->reminders[i];
		json_array_append_new(rem, json_pack("{s:I, s:s, s:s, s:i, s:o, s:s?, s:s?, s:s?}", "id", (json_int_t)r->id,
		                                     "kind", r->kind, "clock",
		                                     r->clock, "level", r->level, "at", iso(r->at), "dept", r->dept,
		                                     "role", r->role, "login", r->login));
	}
	json_object_set_new(o, "reminders", rem);
	json_t *forms = json_array();
	for (size_t i = 0; i < v->nforms; i++) {
		const store_form *f = &v->forms[i];
		json_array_append_new(forms, json_pack("{s:s, s:i, s:o, s:s, s:o}", "form", f->form, "revision",
		                                       f->revision, "at", iso(f->at), "actor", f->actor,
		                                       "fields", load_obj(f->fields)));
	}
	json_object_set_new(o, "forms", forms);
	json_object_set_new(o, "copies", copies_json(s, k));
	json_object_set_new(o, "dissents", dissents_json(s, k));
	json_object_set_new(o, "quorum", quorum_json(s, k));
	json_t *hist = json_array();
	for (size_t i = 0; i < v->nevents; i++) {
		const store_event *e = &v->events[i];
		json_t *h = json_pack("{s:i, s:o, s:s, s:s, s:s?, s:s, s:o}", "seq", e->seq, "at", iso(e->at),
		                      "actor", e->actor, "action", e->action, "from", e->from_state, "to",
		                      e->to_state, "fields", load_obj(e->fields));
		json_array_append_new(hist, h);
	}
	json_object_set_new(o, "history", hist);
	return o;
}

/* One "label  value" line per field of obj, in the order of the forms. */
static void print_fields(session *s, const conf_form *first, const json_t *obj, const char *indent)
{
	json_t *done = json_object();
	const conf *cf = s->cf;
	for (size_t pass = 0; pass <= cf->nforms; pass++) {
		const conf_form *f = pass == 0 ? first : &cf->forms[pass - 1];
		for (size_t i = 0; f && i < f->nfields; i++) {
			const conf_field *fd = &f->fields[i];
			json_t *val = json_object_get(obj, fd->key);
			if (!val || json_object_get(done, fd->key))
				continue;
			json_object_set_new(done, fd->key, json_true());
			char *txt = form_value_text(cf, fd, val);
			char *lab = text_fit(fd->label, 14);
			printf("%s%s ", indent, lab);
			if (fd->type == FT_MONEY)
				printf("%s 元", txt);
			else
				cli_put(stdout, txt);
			putchar('\n');
			free(lab);
			free(txt);
		}
	}
	json_decref(done);
}

int cmd_show(cli *c)
{
	if (c->argc != 1)
		return cli_fail(KS_INVALID, "用法：kesu show CASE");
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	case_view v;
	ks_status st = case_load(s, c->argv[0], &v, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	if (c->json) {
		json_t *o = show_json(s, &v);
		cli_json(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		const store_case *k = &v.c;
		char created[24], when[24];
		clock_short(k->created_at, created, sizeof created);
		printf("案件 %s    状态：%s    第 %d 版\n", k->no, case_state_label(s, k->state), k->version);
		printf("部门：%s    承办人：%s    登记人：%s    登记时间：%s\n", case_dept_name(s, k->dept),
		       k->assignee ? case_staff_name(s, k->assignee) : "—", case_staff_name(s, k->registrant),
		       created);
		json_t *fields = load_obj(k->fields);
		printf("\n── 字段 ──\n");
		print_fields(s, conf_find_form(s->cf, s->cf->intake_form), fields, "  ");
		json_decref(fields);
		if (v.ndeadlines) {
			printf("\n── 时限 ──\n");
			time_t now = clock_now();
			static const struct { const char *code, *label; } names[] = {
				{ "running", "进行中" }, { "paused", "暂停" }, { "met", "按时完成" }, { "breached", "逾期" },
				{ "superseded", "已取代" },
			};
			for (size_t i = 0; i < v.ndeadlines; i++) {
				const store_deadline *d = &v.deadlines[i];
				const char *stt = deadline_status(d, now), *sl = stt;
				for (size_t k2 = 0; k2 < sizeof names / sizeof *names; k2++)
					if (!strcmp(names[k2].code, stt))
						sl = names[k2].label;
				char span[48];
				time_t ref = d->stopped_at ? d->stopped_at : now;
				deadline_span(ref - d->due_at, span, sizeof span);
				clock_short(d->due_at, when, sizeof when);
				char *lab = text_fit(d->label, 26);
				printf("  %s 期限 %s  %s", lab, when, sl);
				if (!d->stopped_at && strcmp(stt, "paused"))
					printf("（%s %s）", ref > d->due_at ? "已逾期" : "尚余", span);
				else if (d->stopped_at && ref > d->due_at)
					printf("（逾期 %s）", span);
				putchar('\n');
				free(lab);
			}
		}
		if (v.nreminders) {
			/* numbered as `kesu print CASE --reminder N` takes them */
			printf("\n── 催办 ──\n");
			for (size_t i = 0; i < v.nreminders; i++) {
				const store_reminder *r = &v.reminders[i];
				const conf_form *rf = conf_reminder_form(s->cf, r->kind);
				const conf_clock *ck = conf_find_clock(s->cf, r->clock);
				const char *kl = rf ? rf->title : !strcmp(r->kind, "urge") ? "催办单"
				                                : !strcmp(r->kind, "inquiry") ? "治办单" : "到期提醒";
				char *lab = text_fit(ck ? ck->label : r->clock, 26);
				clock_short(r->at, when, sizeof when);
				printf("  #%lld %s  %s  %s  致 %s\n", r->id, kl, lab, when, case_dept_name(s, r->dept));
				free(lab);
			}
		}
		if (v.nforms) {
			printf("\n── 表单 ──\n");
			for (size_t i = 0; i < v.nforms; i++) {
				const conf_form *f = conf_find_form(s->cf, v.forms[i].form);
				clock_short(v.forms[i].at, when, sizeof when);
				printf("  %s 第 %d 版  %s  %s\n", f ? f->title : v.forms[i].form, v.forms[i].revision,
				       when, case_staff_name(s, v.forms[i].actor));
			}
		}
		print_copies(s, &v.c);
		print_dissents(s, &v.c);
		print_quorum(s, &v.c);
		printf("\n── 历史 ──\n");
		for (size_t i = 0; i < v.nevents; i++) {
			const store_event *e = &v.events[i];
			clock_short(e->at, when, sizeof when);
			char *who = text_fit(case_staff_name(s, e->actor), 8);
			char *act = text_fit(case_action_label(s, e->action), 14);
			printf("  %s  %s %s %s%s%s\n", when, who, act, e->from_state ? case_state_label(s, e->from_state) : "",
			       e->from_state ? " → " : "→ ", case_state_label(s, e->to_state));
			free(who);
			free(act);
			json_t *ef = load_obj(e->fields);
			if (strcmp(e->action, "new") && strcmp(e->action, "import") && json_object_size(ef))
				print_fields(s, NULL, ef, "      ");
			json_decref(ef);
		}
	}
	case_view_free(&v);
	session_close(s);
	return 0;
}
