/* audit.c — the store's side of the audit trail: every event in chain order
 * for `kesu audit verify`, both chains' heads for `kesu audit head`, and the
 * log of refused attempts (outside the chain). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

/* Attempts are logged after a command already failed, maybe because the
 * database was busy: wait at most this long, then give up. */
#define ATTEMPT_BUSY_MS 1000

/* A stored hash column: exactly 64 characters, or "" (so that it never
 * equals a computed hash) when it is NULL or any other length. */
static void col_hash(sqlite3_stmt *st, int i, char out[65])
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (t && strlen((const char *)t) == 64)
		memcpy(out, t, 65);
	else
		out[0] = '\0';
}

ks_status store_events_each(store *s, store_event_fn ev, store_case_fn cs, void *ctx, ks_err *err)
{
	static const char q_events[] =
		"SELECT e.id, e.case_id, e.seq, e.at, e.actor, e.action, e.from_state, e.to_state, "
		"e.fields, e.prev_hash, e.hash, c.no FROM events e LEFT JOIN cases c ON c.id = e.case_id "
		"ORDER BY e.id";
	static const char q_cases[] =
		"SELECT c.no, c.version, (SELECT COUNT(*) FROM events e WHERE e.case_id = c.id), "
		"(SELECT COALESCE(MAX(seq), 0) FROM events e WHERE e.case_id = c.id) FROM cases c ORDER BY c.id";
	/* one read transaction: events and cases from the same snapshot */
	bool own = sqlite3_get_autocommit(s->db);
	if (own && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_db_err(s, err, "读取审计链");
	ks_status rc = KS_OK;
	sqlite3_stmt *st = store_stmt(s, q_events, err);
	if (!st) {
		rc = KS_FAIL;
		goto out;
	}
	int r;
	bool go = true;
	while (go && (r = sqlite3_step(st)) == SQLITE_ROW) {
		store_event e;
		memset(&e, 0, sizeof e);
		e.id = sqlite3_column_int64(st, 0);
		e.case_id = sqlite3_column_int64(st, 1);
		e.seq = sqlite3_column_int(st, 2);
		e.at = (time_t)sqlite3_column_int64(st, 3);
		e.actor = (char *)sqlite3_column_text(st, 4);
		e.action = (char *)sqlite3_column_text(st, 5);
		e.from_state = (char *)sqlite3_column_text(st, 6);
		e.to_state = (char *)sqlite3_column_text(st, 7);
		e.fields = (char *)sqlite3_column_text(st, 8);
		col_hash(st, 9, e.prev_hash);
		col_hash(st, 10, e.hash);
		go = ev(ctx, (const char *)sqlite3_column_text(st, 11), &e);
	}
	if (go && r != SQLITE_DONE) {
		rc = store_db_err(s, err, "读取审计链");
		goto out;
	}
	sqlite3_reset(st);
	if (!go || !cs)
		goto out;
	if (!(st = store_stmt(s, q_cases, err))) {
		rc = KS_FAIL;
		goto out;
	}
	while (go && (r = sqlite3_step(st)) == SQLITE_ROW)
		go = cs(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		        sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
	if (go && r != SQLITE_DONE)
		rc = store_db_err(s, err, "读取案件版本");
	sqlite3_reset(st);
out:
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

ks_status store_audit_heads(store *s, char events[65], char tasks[65], ks_err *err)
{
	bool own = sqlite3_get_autocommit(s->db);
	if (own && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_db_err(s, err, "读取审计链");
	ks_status rc = store_last_hash(s, events, err);
	if (!rc)
		rc = store_task_last_hash(s, tasks, err);
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

ks_status store_attempt_add(store *s, const store_attempt *a, ks_err *err)
{
	static const char q[] =
		"INSERT INTO attempts(at, login, unix_user, command, case_no, status, message) "
		"VALUES (:at, :login, :unix_user, :command, :case_no, :status, :message)";
	if (!sqlite3_get_autocommit(s->db))
		return ks_errf(err, KS_FAIL, "记录被拒绝的操作须在事务之外进行");
	sqlite3_busy_timeout(s->db, ATTEMPT_BUSY_MS);
	ks_status rc = store_begin(s, err);
	if (!rc) {
		sqlite3_stmt *st = store_stmt(s, q, err);
		if (!st) {
			rc = KS_FAIL;
		} else {
			store_bind_int(st, ":at", a->at);
			store_bind_text(st, ":login", a->login);
			store_bind_text(st, ":unix_user", a->unix_user);
			store_bind_text(st, ":command", a->command ? a->command : "");
			store_bind_text(st, ":case_no", a->case_no);
			store_bind_int(st, ":status", a->status);
			store_bind_text(st, ":message", a->message);
			rc = store_step(s, st, err, "记录被拒绝的操作");
			sqlite3_reset(st);
		}
		rc = rc ? rc : store_commit(s, err);
		if (rc)
			store_rollback(s);
	}
	sqlite3_busy_timeout(s->db, BUSY_MS);
	return rc;
}
