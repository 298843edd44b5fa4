/* dissent.c — 签呈: formal dissents on a case's decisions (schema 009). */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

void store_dissents_free(store_dissent *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].decision_action); free(v[i].decided_by); free(v[i].filed_by); free(v[i].filed_dept);
		free(v[i].routed_to); free(v[i].status); free(v[i].ruled_by); free(v[i].case_no);
	}
	free(v);
}

ks_status store_dissent_insert(store *s, store_dissent *d, ks_err *err)
{
	static const char q[] =
		"INSERT INTO dissents(case_id, event_id, decision_event_id, decision_action, decided_by, filed_by, "
		"filed_dept, filed_at, routed_to) VALUES (:case_id, :event_id, :decision_event_id, :decision_action, "
		":decided_by, :filed_by, :filed_dept, :filed_at, :routed_to)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", d->case_id);
	store_bind_int(st, ":event_id", d->event_id);
	store_bind_int(st, ":decision_event_id", d->decision_event_id);
	store_bind_text(st, ":decision_action", d->decision_action);
	store_bind_text(st, ":decided_by", d->decided_by);
	store_bind_text(st, ":filed_by", d->filed_by);
	store_bind_text(st, ":filed_dept", d->filed_dept);
	store_bind_int(st, ":filed_at", d->filed_at);
	store_bind_text(st, ":routed_to", d->routed_to);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "记录签呈");
	d->id = sqlite3_last_insert_rowid(s->db);
	return KS_OK;
}

ks_status store_dissent_rule(store *s, long long id, const char *status, long long event_id, const char *by,
                             time_t at, ks_err *err)
{
	static const char q[] =
		"UPDATE dissents SET status = :status, ruled_event_id = :event_id, ruled_by = :by, ruled_at = :at "
		"WHERE id = :id AND status = 'open'";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", id);
	store_bind_text(st, ":status", status);
	store_bind_int(st, ":event_id", event_id);
	store_bind_text(st, ":by", by);
	store_bind_int(st, ":at", at);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "批示签呈");
	if (sqlite3_changes(s->db) != 1)
		return ks_errf(err, KS_CONFLICT, "签呈 %lld 已经批示过", id);
	return KS_OK;
}

ks_status store_dissents(store *s, long long case_id, const char *login, bool open_only, store_dissent **out,
                         size_t *n, ks_err *err)
{
	/* one statement per filter: `(:case_id = 0 OR d.case_id = :case_id)` is
	 * planned before the value is known, as a scan of every 签呈, which
	 * `kesu show` paid for one case (as store_penalties) */
#define DISSENT_SELECT \
		"SELECT d.id, d.case_id, d.event_id, d.decision_event_id, d.decision_action, d.decided_by, d.filed_by, " \
		"d.filed_dept, d.filed_at, d.routed_to, d.status, COALESCE(d.ruled_event_id, 0), d.ruled_by, " \
		"COALESCE(d.ruled_at, 0), c.no, de.seq, fe.seq, COALESCE(re.seq, 0) " \
		"FROM dissents d JOIN cases c ON c.id = d.case_id " \
		"JOIN events de ON de.id = d.decision_event_id JOIN events fe ON fe.id = d.event_id " \
		"LEFT JOIN events re ON re.id = d.ruled_event_id "
	static const char q_case[] = DISSENT_SELECT
		"WHERE d.case_id = :case_id AND (:login IS NULL OR d.routed_to = :login) "
		"AND (:open = 0 OR d.status = 'open') ORDER BY d.id";
	/* the 签呈 routed to one person (every `kesu list`): by dissents_routed */
	static const char q_login[] = DISSENT_SELECT
		"WHERE d.routed_to = :login AND (:open = 0 OR d.status = 'open') ORDER BY d.id";
	static const char q[] = DISSENT_SELECT
		"WHERE (:open = 0 OR d.status = 'open') ORDER BY d.id";
#undef DISSENT_SELECT
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, case_id != 0 ? q_case : login ? q_login : q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", case_id);
	store_bind_text(st, ":login", login);
	store_bind_int(st, ":open", open_only);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 4) * sizeof **out);
		store_dissent *d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(st, 0);
		d->case_id = sqlite3_column_int64(st, 1);
		d->event_id = sqlite3_column_int64(st, 2);
		d->decision_event_id = sqlite3_column_int64(st, 3);
		d->decision_action = store_col_text(st, 4);
		d->decided_by = store_col_text(st, 5);
		d->filed_by = store_col_text(st, 6);
		d->filed_dept = store_col_text(st, 7);
		d->filed_at = (time_t)sqlite3_column_int64(st, 8);
		d->routed_to = store_col_text(st, 9);
		d->status = store_col_text(st, 10);
		d->ruled_event_id = sqlite3_column_int64(st, 11);
		d->ruled_by = store_col_text(st, 12);
		d->ruled_at = (time_t)sqlite3_column_int64(st, 13);
		d->case_no = store_col_text(st, 14);
		d->decision_seq = sqlite3_column_int(st, 15);
		d->event_seq = sqlite3_column_int(st, 16);
		d->ruled_seq = sqlite3_column_int(st, 17);
	}
	if (r != SQLITE_DONE) {
		store_dissents_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取签呈");
	}
	return KS_OK;
}
