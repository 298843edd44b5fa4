/* editlock.c — the advisory edit lock (editlock.h). */
#include <stdlib.h>
#include <string.h>
#include "kesu/editlock.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/tuiconf.h"

/* The case no if the person may see it. */
static ks_status visible_case(session *s, const char *no, store_case *c, ks_err *err)
{
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在操作");
	ks_status rc = store_case_get(s->st, no, c, err);
	if (rc)
		return rc;
	if (!case_visible(s, c)) {
		store_case_clear(c);
		return ks_errf(err, KS_NOTFOUND, "找不到案件 %s", no);
	}
	return KS_OK;
}

/* Holders from store rows, leaving out skip's (NULL: none left out). */
static void holders(session *s, const store_edit_lock *v, size_t nv, const char *skip, editlock_holder **out,
                    size_t *n)
{
	*out = ks_calloc(nv ? nv : 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < nv; i++) {
		if (skip && !strcmp(v[i].login, skip))
			continue;
		const conf_staff *st = conf_find_staff(s->cf, v[i].login);
		const conf_action *a = conf_find_action(s->cf, v[i].action);
		editlock_holder *h = &(*out)[(*n)++];
		h->login = ks_strdup(v[i].login);
		h->name = ks_strdup(st ? st->name : v[i].login);
		h->action = ks_strdup(a ? a->label : v[i].action);
		h->since = v[i].taken_at;
		h->until = v[i].expires_at;
	}
}

ks_status editlock_take(session *s, const char *no, const char *action, editlock_holder **others,
                        size_t *n, ks_err *err)
{
	*others = NULL;
	*n = 0;
	store_case c = { 0 };
	ks_status rc = visible_case(s, no, &c, err);
	if (rc)
		return rc;
	long life = conf_edit_lock_seconds(s->cf);
	if (life <= 0) {
		store_case_clear(&c);
		*others = ks_calloc(1, sizeof **others);
		return KS_OK;
	}
	time_t now = clock_now();
	store_edit_lock *v = NULL;
	size_t nv = 0;
	store_edit_lock mine = { .case_id = c.id, .login = s->me->login, .action = (char *)action,
	                         .taken_at = now, .expires_at = now + life };
	if (!(rc = store_begin(s->st, err))) {
		if ((rc = store_edit_locks_purge(s->st, now, err)) ||
		    (rc = store_edit_locks(s->st, c.id, now, &v, &nv, err)) ||
		    (rc = store_edit_lock_put(s->st, &mine, err)) ||
		    (rc = store_commit(s->st, err)))
			store_rollback(s->st);
	}
	if (!rc)
		holders(s, v, nv, s->me->login, others, n);
	store_edit_locks_free(v, nv);
	store_case_clear(&c);
	return rc;
}

ks_status editlock_release(session *s, const char *no, ks_err *err)
{
	if (conf_edit_lock_seconds(s->cf) <= 0)
		return KS_OK;
	store_case c = { 0 };
	ks_status rc = visible_case(s, no, &c, err);
	if (rc)
		return rc;
	if (!(rc = store_begin(s->st, err))) {
		if ((rc = store_edit_lock_drop(s->st, c.id, s->me->login, err)) || (rc = store_commit(s->st, err)))
			store_rollback(s->st);
	}
	store_case_clear(&c);
	return rc;
}

ks_status editlock_list(session *s, const char *no, editlock_holder **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	store_case c = { 0 };
	ks_status rc = visible_case(s, no, &c, err);
	if (rc)
		return rc;
	store_edit_lock *v = NULL;
	size_t nv = 0;
	rc = store_edit_locks(s->st, c.id, clock_now(), &v, &nv, err);
	if (!rc)
		holders(s, v, nv, NULL, out, n);
	store_edit_locks_free(v, nv);
	store_case_clear(&c);
	return rc;
}

void editlock_holders_free(editlock_holder *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].login);
		free(v[i].name);
		free(v[i].action);
	}
	free(v);
}
