/* archive.c — retention of closed cases and disposal of their personal data
 * (archive.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/archive.h"
#include "kesu/sha256.h"
#include "kesu/audit.h"
#include "kesu/calendar.h"
#include "kesu/clock.h"
#include "kesu/search.h"
#include "kesu/session.h"

static int mdays(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : md[m - 1];
}

time_t archive_end(time_t from, int months)
{
	calendar_date d = calendar_date_of(from);
	long m0 = (long)d.year * 12 + (d.month - 1) + months;
	int y = (int)(m0 / 12), m = (int)(m0 % 12) + 1;
	int day = d.day <= mdays(y, m) ? d.day : mdays(y, m);
	/* 00:00 of the day after */
	if (day < mdays(y, m))
		return clock_make(y, m, day + 1, 0, 0);
	return m == 12 ? clock_make(y + 1, 1, 1, 0, 0) : clock_make(y, m + 1, 1, 0, 0);
}

const char *archive_state_code(archive_state s)
{
	static const char *const c[] = { "kept", "due", "forever", "disposed" };
	return c[s];
}

const char *archive_state_label(archive_state s)
{
	static const char *const c[] = { "保存中", "到期", "永久保存", "已销毁" };
	return c[s];
}

void archive_rows_free(archive_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].no);
		free(v[i].state);
	}
	free(v);
}

static char *finals_json(const conf *cf)
{
	json_t *a = json_array();
	for (size_t i = 0; i < cf->nstates; i++)
		if (cf->states[i].final)
			json_array_append_new(a, json_string(cf->states[i].code));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

/* Does the case's field value (a string, or an integer) equal one of values? */
static bool field_is(const char *fields, const char *key, char *const *values, size_t n)
{
	json_t *o = json_loads(fields ? fields : "{}", 0, NULL);
	json_t *v = o ? json_object_get(o, key) : NULL;
	char buf[32];
	const char *s = NULL;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		s = buf;
	} else if (json_is_true(v))
		s = "yes";
	else if (json_is_false(v))
		s = "no";
	bool hit = false;
	for (size_t i = 0; s && i < n && !hit; i++)
		hit = !strcmp(s, values[i]) || (!strcmp(values[i], "true") && !strcmp(s, "yes")) ||
		      (!strcmp(values[i], "false") && !strcmp(s, "no"));
	json_decref(o);
	return hit;
}

static void fill_row(const retconf *r, const store_archive_case *c, time_t now, archive_row *w)
{
	memset(w, 0, sizeof *w);
	w->id = c->id;
	w->no = ks_strdup(c->no);
	w->state = ks_strdup(c->state);
	w->created_at = c->created_at;
	w->closed_at = c->closed_at ? c->closed_at : c->created_at;
	w->disposed_at = c->disposed_at;
	w->extended = r->extend_field && field_is(c->fields, r->extend_field, r->extend_values, r->nextend_values);
	if (r->archive_year) {
		time_t t = r->archive_year == RETFROM_REGISTERED + 1 ? w->created_at : w->closed_at;
		w->archive_year = calendar_date_of(t).year;
	}
	if (r->forever || (w->extended && r->extend_forever)) {
		w->st = c->disposed_at ? ARCH_DISPOSED : ARCH_FOREVER;
		return;
	}
	time_t from = r->from == RETFROM_REGISTERED ? w->created_at : w->closed_at;
	w->end = archive_end(from, r->keep_months + (w->extended ? r->extend_months : 0));
	w->st = c->disposed_at ? ARCH_DISPOSED : now >= w->end ? ARCH_DUE : ARCH_KEPT;
}

static bool may_dispose(const session *s)
{
	const retconf *r = s->cf->retention;
	for (size_t i = 0; s->me && r && i < r->ndispose_roles; i++)
		if (conf_staff_has_role(s->me, r->dispose_roles[i]))
			return true;
	return false;
}

static ks_status rows(session *s, time_t now, store_archive_case **cv, size_t *nc, ks_err *err)
{
	char *fj = finals_json(s->cf);
	ks_status rc = store_archive_cases(s->st, fj, ARCHIVE_ACTION, cv, nc, err);
	free(fj);
	(void)now;
	return rc;
}

ks_status archive_list(session *s, time_t now, bool due_only, archive_row **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	const retconf *r = s->cf->retention;
	if (!r)
		return ks_errf(err, KS_INVALID, "本预设没有配置保存期限（retention.yaml）");
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在查看档案");
	if (!may_dispose(s) && conf_staff_sight(s->cf, s->me) != SIGHT_ALL)
		return ks_errf(err, KS_DENIED, "档案保存期限只提供给可查看全部案件的角色或 retention.yaml 的 dispose 角色");
	store_archive_case *cv = NULL;
	size_t nc = 0;
	ks_status rc = rows(s, now, &cv, &nc, err);
	if (rc)
		return rc;
	*out = ks_calloc(nc ? nc : 1, sizeof **out);
	for (size_t i = 0; i < nc; i++) {
		archive_row w;
		fill_row(r, &cv[i], now, &w);
		if (due_only && w.st != ARCH_DUE) {
			free(w.no);
			free(w.state);
			continue;
		}
		(*out)[(*n)++] = w;
	}
	store_archive_cases_free(cv, nc);
	return KS_OK;
}

static void sha256_hex(const char *s, char out[65])
{
	ks_sha256_hex(s, strlen(s), out);
}

/* Clear case w (due) and append its disposal event. In the transaction. */
static ks_status dispose_one(session *s, const archive_row *w, time_t now, ks_err *err)
{
	const retconf *r = s->cf->retention;
	store_case c = { 0 };
	ks_status rc = store_case_get(s->st, w->no, &c, err);
	if (rc)
		return rc;
	store_event *ev = NULL;
	size_t nev = 0;
	if ((rc = store_events(s->st, c.id, &ev, &nev, err))) {
		store_case_clear(&c);
		return rc;
	}
	/* the event: which events were cleared, their hashes and their payloads' SHA-256 */
	json_t *list = json_array();
	for (size_t i = 0; i < nev; i++) {
		if (!strcmp(ev[i].action, ARCHIVE_ACTION))
			continue;
		char ph[65];
		sha256_hex(ev[i].fields ? ev[i].fields : "{}", ph);
		json_array_append_new(list, json_pack("{s:i, s:s, s:s}", "seq", ev[i].seq, "hash", ev[i].hash,
		                                      "payload_sha256", ph));
	}
	char end[40];
	clock_iso(w->end, end, sizeof end);
	json_t *kept = json_object(), *old = json_loads(c.fields ? c.fields : "{}", 0, NULL);
	for (size_t i = 0; old && i < r->nkeep_fields; i++) {
		json_t *v = json_object_get(old, r->keep_fields[i]);
		if (v)
			json_object_set(kept, r->keep_fields[i], v);
	}
	json_decref(old);
	json_t *fields = json_pack("{s:s, s:o, s:O}", "retention_end", end, "events", list, "kept_fields", kept);
	char *fj = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(fields);
	char *kj = json_dumps(kept, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(kept);
	store_events_free(ev, nev);

	if (!(rc = store_archive_clear(s->st, c.id, ARCHIVE_MARKER, ARCHIVE_ACTION, err))) {
		int old_version = c.version;
		store_event e = { .seq = c.version + 1, .at = now, .actor = (char *)s->me->login,
		                  .action = ARCHIVE_ACTION, .from_state = c.state, .to_state = c.state, .fields = fj };
		if (!(rc = store_last_hash(s->st, e.prev_hash, err))) {
			e.case_id = c.id;
			audit_hash_event(c.no, &e);
			rc = store_event_insert(s->st, &e, err);
		}
		if (!rc) {
			free(c.fields);
			c.fields = kj;
			kj = NULL;
			free(c.customer);
			free(c.subject);
			c.customer = c.subject = NULL;
			c.version = old_version + 1;
			c.updated_at = now;
			free(c.updated_by);
			c.updated_by = ks_strdup(s->me->login);
			rc = store_case_update(s->st, &c, old_version, err);
		}
		if (!rc)
			rc = store_search_put(s->st, c.id, c.no, err);
	}
	free(fj);
	free(kj);
	store_case_clear(&c);
	return rc;
}

ks_status archive_dispose(session *s, time_t now, time_t before, char *const *cases, size_t ncases,
                          archive_row **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	const retconf *r = s->cf->retention;
	if (!r)
		return ks_errf(err, KS_INVALID, "本预设没有配置保存期限（retention.yaml）");
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在销毁资料");
	if (!may_dispose(s))
		return ks_errf(err, KS_DENIED, "只有 retention.yaml 的 dispose 角色可以销毁到期资料，%s 不能", s->me->login);
	if (!before && !ncases)
		return ks_errf(err, KS_INVALID, "须给出 --before 日期或案件编号");
	ks_status rc = store_begin(s->st, err);
	if (rc)
		return rc;
	store_archive_case *cv = NULL;
	size_t nc = 0;
	if ((rc = rows(s, now, &cv, &nc, err))) {
		store_rollback(s->st);
		return rc;
	}
	archive_row *v = ks_calloc(nc ? nc : 1, sizeof *v);
	size_t nv = 0;
	for (size_t i = 0; i < nc; i++)
		fill_row(r, &cv[i], now, &v[nv++]);
	store_archive_cases_free(cv, nc);
	/* which rows */
	bool *pick = ks_calloc(nv ? nv : 1, sizeof *pick);
	for (size_t k = 0; k < ncases && !rc; k++) {
		size_t i = 0;
		while (i < nv && strcmp(v[i].no, cases[k]))
			i++;
		if (i == nv)
			rc = ks_errf(err, KS_NOTFOUND, "案件 %s 不存在或尚未结案", cases[k]);
		else if (v[i].st != ARCH_DUE)
			rc = ks_errf(err, KS_INVALID, "案件 %s 不能销毁：%s", cases[k],
			             v[i].st == ARCH_FOREVER ? "永久保存（或重要资料延期保存）" :
			             v[i].st == ARCH_DISPOSED ? "已经销毁" : "保存期限未到");
		else
			pick[i] = true;
	}
	if (before)
		for (size_t i = 0; i < nv; i++)
			if (v[i].st == ARCH_DUE && v[i].end <= before)
				pick[i] = true;
	for (size_t i = 0; i < nv && !rc; i++)
		if (pick[i])
			rc = dispose_one(s, &v[i], now, err);
	if (!rc)
		rc = store_commit(s->st, err);
	if (rc) {
		store_rollback(s->st);
		archive_rows_free(v, nv);
		free(pick);
		return rc;
	}
	/* hand back the disposed rows */
	size_t m = 0;
	for (size_t i = 0; i < nv; i++) {
		if (pick[i]) {
			v[i].st = ARCH_DISPOSED;
			v[i].disposed_at = now;
			v[m++] = v[i];
		} else {
			free(v[i].no);
			free(v[i].state);
		}
	}
	free(pick);
	*out = v;
	*n = m;
	return KS_OK;
}
