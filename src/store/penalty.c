/* penalty.c — the penalty ledger, its 签呈 and 奖罚通知单 (schema 006):
 * append-only rows, read back in id order. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

void store_penalty_clear(store_penalty *p)
{
	free(p->login); free(p->month); free(p->kind); free(p->rule); free(p->ref);
	free(p->by); free(p->note); free(p->case_no);
	memset(p, 0, sizeof *p);
}

void store_penalties_free(store_penalty *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_penalty_clear(&v[i]);
	free(v);
}

static void bind_opt_id(sqlite3_stmt *st, const char *name, long long id)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0 && id > 0)
		sqlite3_bind_int64(st, i, id);
	else if (i > 0)
		sqlite3_bind_null(st, i);
}

ks_status store_penalty_insert(store *s, store_penalty *p, ks_err *err)
{
	static const char q[] =
		"INSERT INTO penalty_entries(case_id, event_id, login, month, kind, rule, ref, amount_fen, capped, "
		"automatic, reverses, appeal, at, by, note) VALUES (:case_id, :event_id, :login, :month, :kind, "
		":rule, :ref, :amount, :capped, :automatic, :reverses, :appeal, :at, :by, :note)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	bind_opt_id(st, ":case_id", p->case_id);
	bind_opt_id(st, ":event_id", p->event_id);
	store_bind_text(st, ":login", p->login);
	store_bind_text(st, ":month", p->month);
	store_bind_text(st, ":kind", p->kind);
	store_bind_text(st, ":rule", p->rule);
	store_bind_text(st, ":ref", p->ref ? p->ref : "");
	store_bind_int(st, ":amount", p->amount_fen);
	store_bind_int(st, ":capped", p->capped);
	store_bind_int(st, ":automatic", p->automatic);
	bind_opt_id(st, ":reverses", p->reverses);
	bind_opt_id(st, ":appeal", p->appeal);
	store_bind_int(st, ":at", p->at);
	store_bind_text(st, ":by", p->by);
	store_bind_text(st, ":note", p->note);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "记入罚扣台账");
	p->id = sqlite3_last_insert_rowid(s->db);
	return KS_OK;
}

#define PEN_COLS "p.id, COALESCE(p.case_id, 0), COALESCE(p.event_id, 0), p.login, p.month, p.kind, p.rule, " \
                 "p.ref, p.amount_fen, p.capped, p.automatic, COALESCE(p.reverses, 0), COALESCE(p.appeal, 0), " \
                 "p.at, p.by, p.note, c.no"
#define PEN_FROM " FROM penalty_entries p LEFT JOIN cases c ON c.id = p.case_id "

static void read_penalty(sqlite3_stmt *st, store_penalty *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->case_id = sqlite3_column_int64(st, 1);
	p->event_id = sqlite3_column_int64(st, 2);
	p->login = store_col_text(st, 3);
	p->month = store_col_text(st, 4);
	p->kind = store_col_text(st, 5);
	p->rule = store_col_text(st, 6);
	p->ref = store_col_text(st, 7);
	p->amount_fen = sqlite3_column_int64(st, 8);
	p->capped = sqlite3_column_int(st, 9) != 0;
	p->automatic = sqlite3_column_int(st, 10) != 0;
	p->reverses = sqlite3_column_int64(st, 11);
	p->appeal = sqlite3_column_int64(st, 12);
	p->at = (time_t)sqlite3_column_int64(st, 13);
	p->by = store_col_text(st, 14);
	p->note = store_col_text(st, 15);
	p->case_no = store_col_text(st, 16);
}

ks_status store_penalty_get(store *s, long long id, store_penalty *out, ks_err *err)
{
	static const char q[] = "SELECT " PEN_COLS PEN_FROM "WHERE p.id = :id";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", id);
	int r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return ks_errf(err, KS_NOTFOUND, "没有编号为 %lld 的罚扣记录", id);
	if (r != SQLITE_ROW)
		return store_db_err(s, err, "读取罚扣台账");
	read_penalty(st, out);
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_penalties(store *s, long long case_id, const char *login, const char *month_upto,
                          store_penalty **out, size_t *n, ks_err *err)
{
	/* one statement per filter: `(:case_id = 0 OR p.case_id = :case_id)` is
	 * planned before the value is known, as a scan of the whole ledger — and
	 * penalty_on_action reads a case's entries inside every closure's write
	 * transaction (103 ms a closure at 1,000,000 cases). */
	static const char q_case[] = "SELECT " PEN_COLS PEN_FROM
		"WHERE p.case_id = :case_id AND (:login IS NULL OR p.login = :login) "
		"AND (:upto IS NULL OR p.month <= :upto) ORDER BY p.id";
	static const char q_login[] = "SELECT " PEN_COLS PEN_FROM
		"WHERE p.login = :login AND (:upto IS NULL OR p.month <= :upto) ORDER BY p.id";
	static const char q_all[] = "SELECT " PEN_COLS PEN_FROM
		"WHERE (:upto IS NULL OR p.month <= :upto) ORDER BY p.id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, case_id > 0 ? q_case : login ? q_login : q_all, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", case_id);
	store_bind_text(st, ":login", login);
	store_bind_text(st, ":upto", month_upto);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		read_penalty(st, &(*out)[(*n)++]);
	}
	if (r != SQLITE_DONE) {
		store_penalties_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取罚扣台账");
	}
	return KS_OK;
}

ks_status store_penalty_reversed(store *s, long long id, long long *sum, ks_err *err)
{
	static const char q[] = "SELECT COALESCE(SUM(amount_fen), 0) FROM penalty_entries WHERE reverses = :id";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "读取罚扣台账");
	*sum = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KS_OK;
}

/* ---- 签呈 ---- */

void store_penalty_appeals_free(store_penalty_appeal *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].by); free(v[i].reason);
	}
	free(v);
}

ks_status store_penalty_appeal_insert(store *s, store_penalty_appeal *a, ks_err *err)
{
	static const char q[] =
		"INSERT INTO penalty_appeals(entry_id, at, by, reason) VALUES (:entry, :at, :by, :reason)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":entry", a->entry_id);
	store_bind_int(st, ":at", a->at);
	store_bind_text(st, ":by", a->by);
	store_bind_text(st, ":reason", a->reason);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "记录签呈");
	a->id = sqlite3_last_insert_rowid(s->db);
	return KS_OK;
}

ks_status store_penalty_appeals(store *s, long long entry, store_penalty_appeal **out, size_t *n, ks_err *err)
{
	static const char q_entry[] =
		"SELECT id, entry_id, at, by, reason FROM penalty_appeals WHERE entry_id = :entry ORDER BY id";
	static const char q_all[] = "SELECT id, entry_id, at, by, reason FROM penalty_appeals ORDER BY id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, entry > 0 ? q_entry : q_all, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":entry", entry > 0 ? entry : 0);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_penalty_appeal *a = &(*out)[(*n)++];
		a->id = sqlite3_column_int64(st, 0);
		a->entry_id = sqlite3_column_int64(st, 1);
		a->at = (time_t)sqlite3_column_int64(st, 2);
		a->by = store_col_text(st, 3);
		a->reason = store_col_text(st, 4);
	}
	if (r != SQLITE_DONE) {
		store_penalty_appeals_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取签呈");
	}
	return KS_OK;
}

/* ---- cases registered in a period (count rules) ---- */

ks_status store_cases_registered(store *s, time_t from, time_t to, store_case **out, size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT id, no, state, dept, assignee, registrant, fields, created_at FROM cases "
		"WHERE created_at >= :from AND created_at < :to ORDER BY created_at, id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":from", from);
	store_bind_int(st, ":to", to);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_case *c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		c->no = store_col_text(st, 1);
		c->state = store_col_text(st, 2);
		c->dept = store_col_text(st, 3);
		c->assignee = store_col_text(st, 4);
		c->registrant = store_col_text(st, 5);
		c->fields = store_col_text(st, 6);
		c->created_at = (time_t)sqlite3_column_int64(st, 7);
	}
	if (r != SQLITE_DONE) {
		store_cases_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取案件");
	}
	return KS_OK;
}

/* ---- the monthly bonus table ---- */

void store_bonus_free(store_bonus *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].login);
		free(v[i].month);
	}
	free(v);
}

void store_bonus_import_clear(store_bonus_import *imp)
{
	free(imp->by); free(imp->file); free(imp->sha256); free(imp->encoding); free(imp->months);
	memset(imp, 0, sizeof *imp);
}

ks_status store_bonus_import_insert(store *s, store_bonus_import *imp, ks_err *err)
{
	static const char q[] =
		"INSERT INTO penalty_bonus_imports(at, by, file, sha256, encoding, months, rows, replaced) "
		"VALUES (:at, :by, :file, :sha256, :encoding, :months, :rows, :replaced)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":at", imp->at);
	store_bind_text(st, ":by", imp->by);
	store_bind_text(st, ":file", imp->file);
	store_bind_text(st, ":sha256", imp->sha256);
	store_bind_text(st, ":encoding", imp->encoding);
	store_bind_text(st, ":months", imp->months);
	store_bind_int(st, ":rows", imp->rows);
	store_bind_int(st, ":replaced", imp->replaced);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "记录奖金导入");
	imp->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_bonus_insert(store *s, const store_bonus *b, ks_err *err)
{
	static const char q[] =
		"INSERT INTO penalty_bonus(import_id, line, login, month, bonus_fen, base_points) "
		"VALUES (:import_id, :line, :login, :month, :bonus_fen, :base_points)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":import_id", b->import_id);
	store_bind_int(st, ":line", b->line);
	store_bind_text(st, ":login", b->login);
	store_bind_text(st, ":month", b->month);
	store_bind_int(st, ":bonus_fen", b->bonus_fen);
	store_bind_int(st, ":base_points", b->base_points);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "记录奖金");
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_bonus_month_import(store *s, const char *month, long long *id, ks_err *err)
{
	static const char q[] = "SELECT COALESCE(MAX(import_id), 0) FROM penalty_bonus WHERE month = :month";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":month", month);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "读取奖金表");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KS_OK;
}

static void bonus_row(sqlite3_stmt *st, store_bonus *b)
{
	b->import_id = sqlite3_column_int64(st, 0);
	b->line = sqlite3_column_int64(st, 1);
	b->login = store_col_text(st, 2);
	b->month = store_col_text(st, 3);
	b->bonus_fen = sqlite3_column_int64(st, 4);
	b->base_points = sqlite3_column_int64(st, 5);
}

ks_status store_bonus_get(store *s, const char *login, const char *month, store_bonus *out, bool *found,
                          ks_err *err)
{
	static const char q[] =
		"SELECT import_id, line, login, month, bonus_fen, base_points FROM penalty_bonus "
		"WHERE month = :month AND login = :login AND import_id = "
		"(SELECT MAX(import_id) FROM penalty_bonus WHERE month = :month)";
	memset(out, 0, sizeof *out);
	*found = false;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":month", month);
	store_bind_text(st, ":login", login);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		bonus_row(st, out);
		*found = true;
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_err(s, err, "读取奖金表");
	return KS_OK;
}

ks_status store_bonus_month(store *s, const char *month, store_bonus **out, size_t *n, store_bonus_import *imp,
                            ks_err *err)
{
	static const char qi[] =
		"SELECT id, at, by, file, sha256, encoding, months, rows, replaced FROM penalty_bonus_imports WHERE id = "
		"(SELECT MAX(import_id) FROM penalty_bonus WHERE month = :month)";
	static const char q[] =
		"SELECT import_id, line, login, month, bonus_fen, base_points FROM penalty_bonus "
		"WHERE month = :month AND import_id = :id ORDER BY line";
	*out = NULL;
	*n = 0;
	memset(imp, 0, sizeof *imp);
	sqlite3_stmt *st = store_stmt(s, qi, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":month", month);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		imp->id = sqlite3_column_int64(st, 0);
		imp->at = (time_t)sqlite3_column_int64(st, 1);
		imp->by = store_col_text(st, 2);
		imp->file = store_col_text(st, 3);
		imp->sha256 = store_col_text(st, 4);
		imp->encoding = store_col_text(st, 5);
		imp->months = store_col_text(st, 6);
		imp->rows = sqlite3_column_int64(st, 7);
		imp->replaced = sqlite3_column_int(st, 8) != 0;
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_err(s, err, "读取奖金表");
	if (!imp->id)
		return KS_OK;
	if (!(st = store_stmt(s, q, err)))
		return KS_FAIL;
	store_bind_text(st, ":month", month);
	store_bind_int(st, ":id", imp->id);
	size_t cap = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = ks_realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
		bonus_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		store_bonus_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取奖金表");
	}
	return KS_OK;
}
