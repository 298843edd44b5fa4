/* deadline.c — clocks, pauses and reminders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/deadline.h"
#include "kesu/case.h"
#include "kesu/clock.h"

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* Time the case spent in paused states from start until now, from its
 * history (events in order; each event's to_state holds until the next):
 * elapsed seconds, or for a clock counted in working time (workdays,
 * workhours) the working seconds of those intervals. */
static ks_status paused_seconds(const conf *cf, const conf_clock *k, time_t start, const store_event *ev,
                                size_t nev, time_t now, long long *total, ks_err *err)
{
	bool work = k->limit.unit == CALENDAR_WORKDAYS || k->limit.unit == CALENDAR_WORKHOURS;
	*total = 0;
	for (size_t i = 0; i < nev; i++) {
		if (!conf_is_pause_state(cf, ev[i].to_state))
			continue;
		time_t from = ev[i].at, to = i + 1 < nev ? ev[i + 1].at : now;
		if (from < start)
			from = start;
		if (to <= from)
			continue;
		if (!work) {
			*total += to - from;
			continue;
		}
		long minutes;
		ks_status rc = calendar_work_minutes(k->cal, from, to, &minutes, err);
		if (rc)
			return rc;
		*total += minutes * 60LL;
	}
	return KS_OK;
}

/* The instant a date or datetime field holds: a date is its 00:00, or with
 * end_of_day its 24:00 (the exclusive end of that day). */
static bool field_time(const json_t *fields, const char *key, bool end_of_day, time_t *t)
{
	const json_t *v = key && fields ? json_object_get(fields, key) : NULL;
	if (!json_is_string(v) || !clock_parse(json_string_value(v), t))
		return false;
	if (strlen(json_string_value(v)) == 10 && end_of_day)
		*t += 86400;
	return true;
}

/* Whether clock k has a due time for a case with these fields: its limit,
 * or its due_field filled in. */
static bool has_due(const conf_clock *k, const json_t *fields)
{
	time_t t;
	return k->has_limit || field_time(fields, k->due_field, true, &t);
}

/* The due time of clock k started at start: the due_field's value when the
 * case has one, else the limit counted on the clock's calendar; then every
 * pause up to now added back. */
static ks_status compute_due(session *s, const conf_clock *k, time_t start, const json_t *fields,
                             const store_event *ev, size_t nev, time_t now, time_t *due, ks_err *err)
{
	ks_err e;
	long long paused;
	if (!field_time(fields, k->due_field, true, due) && calendar_due(k->cal, start, &k->limit, due, &e) != KS_OK)
		return ks_errf(err, KS_FAIL, "无法计算「%s」：%s", k->label, e.msg);
	if (paused_seconds(s->cf, k, start, ev, nev, now, &paused, &e) != KS_OK)
		return ks_errf(err, KS_FAIL, "无法计算「%s」：%s", k->label, e.msg);
	if (k->limit.unit == CALENDAR_WORKDAYS || k->limit.unit == CALENDAR_WORKHOURS) {
		if (calendar_add_work(k->cal, *due, paused, due, &e) != KS_OK)
			return ks_errf(err, KS_FAIL, "无法计算「%s」：%s", k->label, e.msg);
	} else {
		*due += (time_t)paused;
	}
	return KS_OK;
}

const char *deadline_status(const store_deadline *d, time_t now)
{
	if (d->stopped_at)
		return d->status;
	if (!strcmp(d->status, "paused"))
		return "paused";
	return now > d->due_at ? "breached" : "running";
}

static store_deadline *find(store_deadline *v, size_t n, const char *clock)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].clock, clock))
			return &v[i];
	return NULL;
}

ks_status deadline_on_action(session *s, const store_case *c, const char *action, const json_t *fields,
                             time_t now, ks_err *err)
{
	const conf *cf = s->cf;
	if (cf->nclocks == 0)
		return KS_OK;
	store_deadline *have = NULL;
	store_event *ev = NULL;
	size_t nhave = 0, nev = 0;
	ks_status rc = store_deadlines(s->st, c->id, &have, &nhave, err);
	if (!rc)
		rc = store_events(s->st, c->id, &ev, &nev, err);
	bool paused = conf_is_pause_state(cf, c->state);
	for (size_t i = 0; !rc && i < cf->nclocks; i++) {
		const conf_clock *k = &cf->clocks[i];
		store_deadline *d = find(have, nhave, k->code);
		bool open = d && !d->stopped_at;
		bool starts = in_list(k->start, k->nstart, action) && case_conds_hold(fields, k->when, k->nwhen, c->created_at) &&
		              has_due(k, fields);
		bool stops = in_list(k->stop, k->nstop, action);
		bool supersedes = in_list(k->supersede, k->nsupersede, action);
		if (open && (stops || supersedes)) {
			/* judge against the due time with every pause up to now added back;
			 * a clock made moot (supersede) in time is neither met nor breached */
			store_deadline nd = *d;
			if ((rc = compute_due(s, k, d->started_at, fields, ev, nev, now, &nd.due_at, err)))
				break;
			nd.stopped_at = now;
			nd.status = now > nd.due_at ? "breached" : stops ? "met" : "superseded";
			rc = store_deadline_put(s->st, &nd, err);
			open = false;
		}
		if (!rc && starts) {
			store_deadline nd = { .case_id = c->id, .clock = k->code, .label = k->label,
			                      .unit = (char *)calendar_unit_name(k->limit.unit), .started_at = now,
			                      .status = paused ? "paused" : "running",
			                      .calendar_version = (char *)calendar_version(k->cal) };
			/* counted from the time a field records (when the complaint was
			 * received), never from the future */
			time_t from;
			if (field_time(fields, k->start_field, false, &from) && from < now)
				nd.started_at = from;
			/* continues: counted from the start of the clock it takes over (one
			 * running until this action) */
			const store_deadline *prev = k->continues ? find(have, nhave, k->continues) : NULL;
			if (prev && !prev->stopped_at && prev->started_at < nd.started_at)
				nd.started_at = prev->started_at;
			if (!(rc = compute_due(s, k, nd.started_at, fields, ev, nev, now, &nd.due_at, err)))
				rc = store_deadline_put(s->st, &nd, err);
		} else if (!rc && open) {
			/* entering or leaving a paused state moves the due time */
			store_deadline nd = *d;
			nd.status = paused ? "paused" : "running";
			if (!(rc = compute_due(s, k, d->started_at, fields, ev, nev, now, &nd.due_at, err)) &&
			    (nd.due_at != d->due_at || strcmp(nd.status, d->status)))
				rc = store_deadline_put(s->st, &nd, err);
		}
	}
	store_deadlines_free(have, nhave);
	store_events_free(ev, nev);
	return rc;
}

ks_status deadline_recompute(session *s, int *changed, ks_err *err)
{
	*changed = 0;
	time_t now = clock_now();
	ks_status rc = store_begin(s->st, err);
	if (rc)
		return rc;
	store_deadline *v = NULL;
	size_t n = 0;
	if ((rc = store_deadlines_open(s->st, false, &v, &n, err)))
		goto fail;
	for (size_t i = 0; i < n && !rc; i++) {
		const conf_clock *k = conf_find_clock(s->cf, v[i].clock);
		if (!k)
			continue; /* a clock no longer configured keeps its last due time */
		store_event *ev = NULL;
		size_t nev = 0;
		store_deadline nd = v[i];
		json_t *fields = NULL;
		if (k->due_field) { /* the due time may come from the case's fields */
			store_case c = {0};
			if ((rc = store_case_get(s->st, v[i].case_no, &c, err)))
				break;
			fields = json_loads(c.fields ? c.fields : "{}", 0, NULL);
			store_case_clear(&c);
		}
		if (!(rc = store_events(s->st, v[i].case_id, &ev, &nev, err)) &&
		    !(rc = compute_due(s, k, v[i].started_at, fields, ev, nev, now, &nd.due_at, err))) {
			nd.label = k->label;
			nd.unit = (char *)calendar_unit_name(k->limit.unit);
			nd.calendar_version = (char *)calendar_version(k->cal);
			if (nd.due_at != v[i].due_at)
				(*changed)++;
			rc = store_deadline_put(s->st, &nd, err);
		}
		json_decref(fields);
		store_events_free(ev, nev);
	}
	store_deadlines_free(v, n);
	if (rc)
		goto fail;
	return store_commit(s->st, err);
fail:
	store_rollback(s->st);
	return rc;
}

/* Whether reminders for clock k may be issued at now: clocks counted on the
 * working calendar remind only in working hours; minute and hour clocks run
 * around the clock. */
static ks_status may_remind(const conf_clock *k, time_t now, bool *ok, ks_err *err)
{
	*ok = true;
	if (k->limit.unit == CALENDAR_MINUTES || k->limit.unit == CALENDAR_HOURS)
		return KS_OK;
	time_t next;
	ks_err e;
	if (calendar_next_work_instant(k->cal, now, &next, &e) != KS_OK)
		return ks_errf(err, KS_FAIL, "无法判断现在是否为工作时间：%s", e.msg);
	*ok = next == now;
	return KS_OK;
}

static long long offset_seconds(const calendar_duration *d)
{
	switch (d->unit) {
	case CALENDAR_MINUTES: return d->n * 60LL;
	case CALENDAR_HOURS:
	case CALENDAR_WORKHOURS: return d->n * 3600LL;
	case CALENDAR_DAYS:
	case CALENDAR_WORKDAYS: return d->n * 86400LL;
	case CALENDAR_MONTHS: return d->n * 31LL * 86400LL;  /* refused for reminder offsets at load */
	}
	return 0;
}

static void push(store_reminder **out, size_t *n, const store_reminder *r)
{
	*out = ks_realloc(*out, (*n + 1) * sizeof **out);
	store_reminder *m = &(*out)[(*n)++];
	*m = *r;
	m->clock = ks_strdup(r->clock);
	m->kind = ks_strdup(r->kind);
	m->dept = r->dept ? ks_strdup(r->dept) : NULL;
	m->role = r->role ? ks_strdup(r->role) : NULL;
	m->case_no = r->case_no ? ks_strdup(r->case_no) : NULL;
	m->login = r->login ? ks_strdup(r->login) : NULL;
}

/* The login of the one person reminder level lv is addressed to (its `to`:
 * the case's registrant, assignee, or the staff named in a field — or, for
 * `to: {superior_of: …}`, that person's direct superior from staff.yaml
 * reports_to), or NULL when there is nobody: then it goes to the department
 * (and the level's role) alone. */
static ks_status level_person(session *s, const store_deadline *d, const conf_level *lv, char **login,
                              ks_err *err)
{
	*login = NULL;
	store_case c = {0};
	ks_status rc = store_case_get(s->st, d->case_no, &c, err);
	if (rc)
		return rc;
	const char *who = NULL;
	json_t *fields = NULL;
	if (!strcmp(lv->to, "registrant"))
		who = c.registrant;
	else if (!strcmp(lv->to, "assignee"))
		who = c.assignee;
	else if ((fields = json_loads(c.fields ? c.fields : "{}", 0, NULL)) &&
	         json_is_string(json_object_get(fields, lv->to)))
		who = json_string_value(json_object_get(fields, lv->to));
	if (lv->superior)
		who = who && *who ? conf_superior_of(s->cf, who) : NULL;
	if (who && *who)
		*login = ks_strdup(who);
	json_decref(fields);
	store_case_clear(&c);
	return KS_OK;
}

ks_status deadline_remind(session *s, time_t now, store_reminder **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	store_deadline *v = NULL, *late = NULL;
	size_t nv = 0, nlate = 0;
	ks_status rc = store_begin(s->st, err);
	if (rc)
		return rc;
	if ((rc = store_deadlines_open(s->st, false, &v, &nv, err)) ||
	    (rc = store_deadlines_open(s->st, true, &late, &nlate, err)))
		goto fail;
	static const conf_level urge_now = { .before = false };
	for (size_t i = 0; i < nv && !rc; i++) {
		const store_deadline *d = &v[i];
		const conf_clock *k = conf_find_clock(s->cf, d->clock);
		bool ok = false;
		if (!k || strcmp(d->status, "running"))
			continue;
		if ((rc = may_remind(k, now, &ok, err)))
			break;
		if (!ok)
			continue;
		const conf_level *levels = k->nlevels ? k->levels : &urge_now;
		size_t nl = k->nlevels ? k->nlevels : 1;
		for (size_t j = 0; j < nl && !rc; j++) {
			const conf_level *lv = &levels[j];
			time_t at;
			if (lv->before) {
				at = d->due_at - (time_t)offset_seconds(&lv->offset);
				if (now < at || now >= d->due_at)
					continue;
			} else if (lv->offset.n == 0) {
				/* late means past the due time; at_due: from the due time on */
				if (lv->at_due ? now < d->due_at : now <= d->due_at)
					continue;
			} else {
				/* "M after due": elapsed time, or working time for work units */
				bool work = lv->offset.unit == CALENDAR_WORKDAYS || lv->offset.unit == CALENDAR_WORKHOURS;
				if (!work || calendar_due(k->cal, d->due_at, &lv->offset, &at, NULL) != KS_OK)
					at = d->due_at + (time_t)offset_seconds(&lv->offset);
				if (now < at)
					continue;
			}
			store_reminder r = { .case_id = d->case_id, .clock = d->clock, .started_at = d->started_at,
			                     .kind = lv->before ? "warn" : "urge", .level = (int)j, .at = now,
			                     .dept = d->case_dept, .role = lv->role, .due_at = d->due_at,
			                     .late = (long long)(now - d->due_at), .case_no = d->case_no };
			char *login = NULL;
			if (lv->to && (rc = level_person(s, d, lv, &login, err)))
				break;
			r.login = login;
			/* the direct superior, when there is one, takes the place of the
			 * level's role (which is the fallback) */
			if (lv->superior && login)
				r.role = NULL;
			bool added;
			if (!(rc = store_reminder_add(s->st, &r, &added, err)) && added)
				push(out, n, &r);
			free(login);
		}
	}
	for (size_t i = 0; i < nlate && !rc; i++) {
		const store_deadline *d = &late[i];
		const conf_state *st = conf_find_state(s->cf, d->case_state);
		const conf_clock *k = conf_find_clock(s->cf, d->clock);
		bool ok = true;
		if (!st || !st->final)
			continue;
		if (k && (rc = may_remind(k, now, &ok, err)))
			break;
		if (!ok)
			continue;
		store_reminder r = { .case_id = d->case_id, .clock = d->clock, .started_at = d->started_at,
		                     .kind = "inquiry", .level = 0,
		                     .at = now, .dept = d->case_dept, .due_at = d->due_at,
		                     .late = (long long)(d->stopped_at - d->due_at), .case_no = d->case_no };
		bool added;
		if (!(rc = store_reminder_add(s->st, &r, &added, err)) && added)
			push(out, n, &r);
	}
	if (rc)
		goto fail;
	store_deadlines_free(v, nv);
	store_deadlines_free(late, nlate);
	if ((rc = store_commit(s->st, err))) {
		store_reminders_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
fail:
	store_rollback(s->st);
	store_deadlines_free(v, nv);
	store_deadlines_free(late, nlate);
	store_reminders_free(*out, *n);
	*out = NULL;
	*n = 0;
	return rc;
}

void deadline_span(long long seconds, char *buf, size_t n)
{
	if (seconds < 0)
		seconds = -seconds;
	long long d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
	if (d)
		snprintf(buf, n, "%lld 天 %lld 小时", d, h);
	else if (h)
		snprintf(buf, n, "%lld 小时 %lld 分钟", h, m);
	else
		snprintf(buf, n, "%lld 分钟", m);
}

ks_status deadline_reminders_mine(session *s, int limit, store_reminder **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在查看催办");
	json_t *roles = json_array();
	for (size_t i = 0; i < s->me->nroles; i++)
		json_array_append_new(roles, json_string(s->me->roles[i]));
	char *rj = json_dumps(roles, JSON_COMPACT);
	json_decref(roles);
	ks_status rc = store_reminders_to(s->st, s->me->login, s->me->dept, rj, limit, out, n, err);
	free(rj);
	return rc;
}
