/* copies.c — the copies (联) of paper forms: issued once, never changed. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

void store_copies_free(store_copy *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].form); free(v[i].holder); free(v[i].holder_name); free(v[i].purpose);
		free(v[i].issued_by); free(v[i].snapshot); free(v[i].case_no); free(v[i].holder_kind);
	}
	free(v);
}

ks_status store_copy_next_round(store *s, long long case_id, const char *form, int *round, ks_err *err)
{
	static const char q[] =
		"SELECT COALESCE(MAX(round), 0) + 1 FROM copies WHERE case_id = :case_id AND form = :form";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", case_id);
	store_bind_text(st, ":form", form);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "读取联单");
	*round = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_copy_insert(store *s, store_copy *c, ks_err *err)
{
	static const char q[] =
		"INSERT INTO copies(case_id, form, round, copy_no, holder, holder_name, purpose, event_id, "
		"issued_at, issued_by, snapshot, entry_id, holder_kind) VALUES (:case_id, :form, :round, :copy_no, "
		":holder, :holder_name, :purpose, :event_id, :issued_at, :issued_by, :snapshot, :entry_id, :holder_kind)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", c->case_id);
	store_bind_text(st, ":form", c->form);
	store_bind_int(st, ":round", c->round);
	store_bind_int(st, ":copy_no", c->copy_no);
	store_bind_text(st, ":holder", c->holder);
	store_bind_text(st, ":holder_name", c->holder_name ? c->holder_name : c->holder);
	store_bind_text(st, ":purpose", c->purpose ? c->purpose : "");
	store_bind_int(st, ":event_id", c->event_id);
	store_bind_int(st, ":issued_at", c->issued_at);
	store_bind_text(st, ":issued_by", c->issued_by);
	store_bind_text(st, ":snapshot", c->snapshot);
	if (c->entry_id > 0)
		store_bind_int(st, ":entry_id", c->entry_id);
	else
		sqlite3_bind_null(st, sqlite3_bind_parameter_index(st, ":entry_id"));
	store_bind_text(st, ":holder_kind", c->holder_kind ? c->holder_kind : "dept");
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "发出联单");
	c->id = sqlite3_last_insert_rowid(s->db);
	return KS_OK;
}

#define COPY_COLS "p.id, p.case_id, p.event_id, p.form, p.round, p.copy_no, p.holder, p.holder_name, " \
                  "p.purpose, p.issued_at, p.issued_by, p.snapshot, c.no, p.entry_id, p.holder_kind"

static ks_status collect(store *s, sqlite3_stmt *st, store_copy **out, size_t *n, ks_err *err)
{
	size_t cap = 0;
	int r;
	*out = NULL;
	*n = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_copy *p = &(*out)[(*n)++];
		memset(p, 0, sizeof *p);
		p->id = sqlite3_column_int64(st, 0);
		p->case_id = sqlite3_column_int64(st, 1);
		p->event_id = sqlite3_column_int64(st, 2);
		p->form = store_col_text(st, 3);
		p->round = sqlite3_column_int(st, 4);
		p->copy_no = sqlite3_column_int(st, 5);
		p->holder = store_col_text(st, 6);
		p->holder_name = store_col_text(st, 7);
		p->purpose = store_col_text(st, 8);
		p->issued_at = (time_t)sqlite3_column_int64(st, 9);
		p->issued_by = store_col_text(st, 10);
		p->snapshot = store_col_text(st, 11);
		p->case_no = store_col_text(st, 12);
		p->entry_id = sqlite3_column_int64(st, 13);
		p->holder_kind = store_col_text(st, 14);
	}
	if (r != SQLITE_DONE) {
		store_copies_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取联单");
	}
	return KS_OK;
}

ks_status store_copies(store *s, long long case_id, store_copy **out, size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT " COPY_COLS " FROM copies p JOIN cases c ON c.id = p.case_id WHERE p.case_id = :id "
		"ORDER BY p.form, p.round, p.copy_no";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	return collect(s, st, out, n, err);
}

ks_status store_copies_held(store *s, const char *holder, store_copy **out, size_t *n, ks_err *err)
{
	return store_copies_held_by(s, "dept", holder, out, n, err);
}

ks_status store_copies_held_by(store *s, const char *kind, const char *holder, store_copy **out, size_t *n,
                               ks_err *err)
{
	static const char q[] =
		"SELECT " COPY_COLS " FROM copies p JOIN cases c ON c.id = p.case_id "
		"WHERE (:holder IS NULL OR p.holder = :holder) AND p.holder_kind = :kind "
		"ORDER BY p.issued_at DESC, p.case_id DESC, p.form, p.round DESC, p.copy_no";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":holder", holder);
	store_bind_text(st, ":kind", kind);
	return collect(s, st, out, n, err);
}

ks_status store_copies_of_entry(store *s, long long entry, store_copy **out, size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT " COPY_COLS " FROM copies p JOIN cases c ON c.id = p.case_id "
		"WHERE p.entry_id IS NOT NULL AND (:entry = 0 OR p.entry_id = :entry) "
		"ORDER BY p.entry_id, p.copy_no";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":entry", entry);
	return collect(s, st, out, n, err);
}
