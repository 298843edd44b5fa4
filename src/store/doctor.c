/* doctor.c — the store's side of `kesu doctor`: open a database without
 * changing it, and ask SQLite about its journal mode, schema version and
 * integrity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

extern const int kesu_schema_count;

/* At most this many lines of PRAGMA integrity_check are reported. */
#define INTEGRITY_LINES 5

ks_status store_open_readonly(const char *path, store **out, ks_err *err)
{
	*out = NULL;
	store *s = ks_calloc(1, sizeof *s);
	s->path = ks_strdup(path);
	ks_status rc;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (sqlite3_errcode(s->db) == SQLITE_CANTOPEN)
			rc = ks_errf(err, KS_NOTFOUND, "无法打开数据库 %s", path);
		else
			rc = ks_errf(err, KS_FAIL, "无法打开数据库 %s：%s", path, sqlite3_errmsg(s->db));
		store_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_MS);
	*out = s;
	return KS_OK;
}

/* Run a one-row PRAGMA and copy its first column (NULL if no row). */
static ks_status pragma_text(store *s, const char *sql, char **out, ks_err *err, const char *what)
{
	*out = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_err(s, err, what);
	int r = sqlite3_step(st);
	ks_status rc = KS_OK;
	if (r == SQLITE_ROW)
		*out = store_col_text(st, 0);
	else if (r != SQLITE_DONE)
		rc = store_db_err(s, err, what);
	sqlite3_finalize(st);
	return rc;
}

ks_status store_journal_mode(store *s, char **mode, ks_err *err)
{
	ks_status rc = pragma_text(s, "PRAGMA journal_mode", mode, err, "读取日志模式");
	if (!rc && !*mode)
		*mode = ks_strdup("");
	return rc;
}

ks_status store_schema_version(store *s, int *have, int *want, ks_err *err)
{
	char *v = NULL;
	ks_status rc = pragma_text(s, "PRAGMA user_version", &v, err, "读取数据库版本");
	*have = v ? atoi(v) : 0;
	*want = kesu_schema_count;
	free(v);
	return rc;
}

/* Whether the last error says the file is damaged or not a database. */
static bool damaged(store *s)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;
	return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

ks_status store_integrity(store *s, char **problems, ks_err *err)
{
	*problems = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		if (damaged(s)) {
			*problems = ks_strdup(sqlite3_errmsg(s->db));
			return KS_OK;
		}
		return store_db_err(s, err, "检查完整性");
	}
	char *acc = NULL;
	int lines = 0, r;
	ks_status rc = KS_OK;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (!t || !strcmp(t, "ok"))
			continue;
		if (++lines > INTEGRITY_LINES)
			continue;
		char *n = ks_asprintf("%s%s%s", acc ? acc : "", acc ? "；" : "", t);
		free(acc);
		acc = n;
	}
	if (r != SQLITE_DONE) {
		/* a badly damaged file fails the check itself: that is its answer */
		if (damaged(s)) {
			char *n = ks_asprintf("%s%s%s", acc ? acc : "", acc ? "；" : "", sqlite3_errmsg(s->db));
			free(acc);
			acc = n;
		} else {
			rc = store_db_err(s, err, "检查完整性");
		}
	}
	sqlite3_finalize(st);
	if (rc) {
		free(acc);
		return rc;
	}
	if (lines > INTEGRITY_LINES) {
		char *n = ks_asprintf("%s；……共 %d 处", acc, lines);
		free(acc);
		acc = n;
	}
	*problems = acc;
	return KS_OK;
}
