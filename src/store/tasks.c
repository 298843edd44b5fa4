/* tasks.c — periodic tasks (schema/014_tasks.sql): completions and the
 * reminders issued about task periods. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

void store_task_done_clear(store_task_done *d)
{
	free(d->task);
	free(d->period);
	free(d->by);
	free(d->note);
	free(d->report);
	memset(d, 0, sizeof *d);
}

ks_status store_task_last_hash(store *s, char out[65], ks_err *err)
{
	static const char q[] = "SELECT hash FROM task_done ORDER BY id DESC LIMIT 1";
	memset(out, '0', 64);
	out[64] = '\0';
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		if (h && strlen(h) == 64)
			memcpy(out, h, 65);
	} else if (r != SQLITE_DONE) {
		return store_db_err(s, err, "读取任务完成记录");
	}
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_task_done_each(store *s, store_task_fn fn, void *ctx, ks_err *err)
{
	static const char q[] =
		"SELECT id, task, period, due_at, at, by, note, report, prev_hash, hash FROM task_done ORDER BY id";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	int r;
	bool go = true;
	while (go && (r = sqlite3_step(st)) == SQLITE_ROW) {
		store_task_done d;
		memset(&d, 0, sizeof d);
		d.id = sqlite3_column_int64(st, 0);
		d.task = (char *)sqlite3_column_text(st, 1);
		d.period = (char *)sqlite3_column_text(st, 2);
		d.due_at = (time_t)sqlite3_column_int64(st, 3);
		d.at = (time_t)sqlite3_column_int64(st, 4);
		d.by = (char *)sqlite3_column_text(st, 5);
		d.note = (char *)sqlite3_column_text(st, 6);
		d.report = (char *)sqlite3_column_text(st, 7);
		const char *p = (const char *)sqlite3_column_text(st, 8), *h = (const char *)sqlite3_column_text(st, 9);
		if (p && strlen(p) == 64)
			memcpy(d.prev_hash, p, 65);
		if (h && strlen(h) == 64)
			memcpy(d.hash, h, 65);
		go = fn(ctx, &d);
	}
	if (go && r != SQLITE_DONE) {
		sqlite3_reset(st);
		return store_db_err(s, err, "读取任务完成记录");
	}
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_task_done_add(store *s, const store_task_done *d, ks_err *err)
{
	static const char q[] =
		"INSERT INTO task_done(task, period, due_at, at, by, note, report, prev_hash, hash) "
		"VALUES (:task, :period, :due, :at, :by, :note, :report, :prev, :hash)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":task", d->task);
	store_bind_text(st, ":period", d->period);
	store_bind_int(st, ":due", d->due_at);
	store_bind_int(st, ":at", d->at);
	store_bind_text(st, ":by", d->by);
	store_bind_text(st, ":note", d->note);
	store_bind_text(st, ":report", d->report);
	store_bind_text(st, ":prev", d->prev_hash);
	store_bind_text(st, ":hash", d->hash);
	int r = sqlite3_step(st);
	if ((r & 0xff) == SQLITE_CONSTRAINT) {
		sqlite3_reset(st);
		return ks_errf(err, KS_CONFLICT, "任务 %s 的 %s 期已记录完成", d->task, d->period);
	}
	if (r != SQLITE_DONE)
		return store_db_err(s, err, "记录任务完成");
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_task_done_get(store *s, const char *task, const char *period, store_task_done *out, bool *found,
                              ks_err *err)
{
	static const char q[] =
		"SELECT task, period, due_at, at, by, note, report FROM task_done "
		"WHERE task = :task AND period = :period";
	memset(out, 0, sizeof *out);
	*found = false;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":task", task);
	store_bind_text(st, ":period", period);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		out->task = store_col_text(st, 0);
		out->period = store_col_text(st, 1);
		out->due_at = (time_t)sqlite3_column_int64(st, 2);
		out->at = (time_t)sqlite3_column_int64(st, 3);
		out->by = store_col_text(st, 4);
		out->note = store_col_text(st, 5);
		out->report = store_col_text(st, 6);
		*found = true;
	} else if (r != SQLITE_DONE) {
		return store_db_err(s, err, "读取任务完成记录");
	}
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_task_reminder_add(store *s, const char *task, const char *period, const char *kind, time_t at,
                                  time_t due_at, bool *inserted, ks_err *err)
{
	static const char q[] =
		"INSERT OR IGNORE INTO task_reminders(task, period, kind, at, due_at) "
		"VALUES (:task, :period, :kind, :at, :due)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":task", task);
	store_bind_text(st, ":period", period);
	store_bind_text(st, ":kind", kind);
	store_bind_int(st, ":at", at);
	store_bind_int(st, ":due", due_at);
	ks_status rc = store_step(s, st, err, "记录任务提醒");
	*inserted = rc == KS_OK && sqlite3_changes(s->db) == 1;
	return rc;
}
