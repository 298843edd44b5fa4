/* editlock.c — advisory edit locks (schema/012_edit_locks.sql): who has an
 * action's form open on a case, until when. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

ks_status store_edit_lock_put(store *s, const store_edit_lock *l, ks_err *err)
{
	static const char q[] =
		"INSERT INTO edit_locks(case_id, login, action, taken_at, expires_at) "
		"VALUES (:case_id, :login, :action, :taken_at, :expires_at) "
		"ON CONFLICT(case_id, login) DO UPDATE SET action = excluded.action, "
		"taken_at = excluded.taken_at, expires_at = excluded.expires_at";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", l->case_id);
	store_bind_text(st, ":login", l->login);
	store_bind_text(st, ":action", l->action);
	store_bind_int(st, ":taken_at", l->taken_at);
	store_bind_int(st, ":expires_at", l->expires_at);
	return store_step(s, st, err, "记录编辑锁");
}

ks_status store_edit_lock_drop(store *s, long long case_id, const char *login, ks_err *err)
{
	static const char q[] = "DELETE FROM edit_locks WHERE case_id = :case_id AND login = :login";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", case_id);
	store_bind_text(st, ":login", login);
	return store_step(s, st, err, "解除编辑锁");
}

ks_status store_edit_locks_purge(store *s, time_t now, ks_err *err)
{
	static const char q[] = "DELETE FROM edit_locks WHERE expires_at <= :now";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":now", now);
	return store_step(s, st, err, "清除过期的编辑锁");
}

ks_status store_edit_locks(store *s, long long case_id, time_t now, store_edit_lock **out, size_t *n,
                           ks_err *err)
{
	static const char q[] =
		"SELECT case_id, login, action, taken_at, expires_at FROM edit_locks "
		"WHERE case_id = :case_id AND expires_at > :now ORDER BY taken_at, login";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", case_id);
	store_bind_int(st, ":now", now);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 4) * sizeof **out);
		store_edit_lock *l = &(*out)[(*n)++];
		l->case_id = sqlite3_column_int64(st, 0);
		l->login = store_col_text(st, 1);
		l->action = store_col_text(st, 2);
		l->taken_at = (time_t)sqlite3_column_int64(st, 3);
		l->expires_at = (time_t)sqlite3_column_int64(st, 4);
	}
	if (r != SQLITE_DONE) {
		store_edit_locks_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取编辑锁");
	}
	sqlite3_reset(st);
	return KS_OK;
}

void store_edit_locks_free(store_edit_lock *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].login);
		free(v[i].action);
	}
	free(v);
}
