/* archive.c — retention and disposal (archive.h): the closed cases with the
 * time they were closed, and clearing a case's payloads. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

void store_archive_cases_free(store_archive_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].no);
		free(v[i].state);
		free(v[i].fields);
	}
	free(v);
}

ks_status store_archive_cases(store *s, const char *finals, const char *dispose_action, store_archive_case **out,
                              size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT c.id, c.no, c.state, c.fields, c.created_at, c.version, "
		" (SELECT max(e.at) FROM events e WHERE e.case_id = c.id "
		"   AND e.to_state IN (SELECT value FROM json_each(:finals)) "
		"   AND (e.from_state IS NULL OR e.from_state NOT IN (SELECT value FROM json_each(:finals)))), "
		" (SELECT max(e.at) FROM events e WHERE e.case_id = c.id AND e.action = :dispose) "
		"FROM cases c WHERE c.state IN (SELECT value FROM json_each(:finals)) ORDER BY c.id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":finals", finals);
	store_bind_text(st, ":dispose", dispose_action);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
		store_archive_case *c = &(*out)[(*n)++];
		c->id = sqlite3_column_int64(st, 0);
		c->no = store_col_text(st, 1);
		c->state = store_col_text(st, 2);
		c->fields = store_col_text(st, 3);
		c->created_at = (time_t)sqlite3_column_int64(st, 4);
		c->version = sqlite3_column_int(st, 5);
		c->closed_at = (time_t)sqlite3_column_int64(st, 6);
		c->disposed_at = (time_t)sqlite3_column_int64(st, 7);
	}
	if (r != SQLITE_DONE) {
		store_archive_cases_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取结案案件");
	}
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_archive_clear(store *s, long long case_id, const char *marker, const char *keep_action, ks_err *err)
{
	static const char q_events[] =
		"UPDATE events SET fields = :marker WHERE case_id = :id AND action IS NOT :keep";
	static const char q_forms[] = "UPDATE forms SET fields = :marker WHERE case_id = :id";
	static const char q_copies[] = "UPDATE copies SET snapshot = :marker WHERE case_id = :id";
	const char *const qs[] = { q_events, q_forms, q_copies };
	for (size_t i = 0; i < 3; i++) {
		sqlite3_stmt *st = store_stmt(s, qs[i], err);
		if (!st)
			return KS_FAIL;
		store_bind_text(st, ":marker", marker);
		store_bind_int(st, ":id", case_id);
		store_bind_text(st, ":keep", keep_action);
		ks_status rc = store_step(s, st, err, "清除案件资料");
		sqlite3_reset(st);
		if (rc)
			return rc;
	}
	return KS_OK;
}

ks_status store_case_has_action(store *s, long long case_id, const char *action, bool *out, ks_err *err)
{
	static const char q[] = "SELECT EXISTS (SELECT 1 FROM events WHERE case_id = :id AND action = :action)";
	*out = false;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	store_bind_text(st, ":action", action);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "读取案件事件");
	*out = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return KS_OK;
}
