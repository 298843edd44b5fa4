/* import.c — what `kesu import` needs from the database beyond registering:
 * whether a case number is taken, and raising a numbering sequence past an
 * imported number so that later registrations never reuse it. */
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

ks_status store_case_exists(store *s, const char *no, bool *out, ks_err *err)
{
	static const char q[] = "SELECT 1 FROM cases WHERE no = :no";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":no", no);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_db_err(s, err, "查找案件编号");
	*out = r == SQLITE_ROW;
	return KS_OK;
}

ks_status store_seq_raise(store *s, const char *period, long long seq, ks_err *err)
{
	static const char q[] =
		"INSERT INTO number_seq(period, last) VALUES (:p, :seq) "
		"ON CONFLICT(period) DO UPDATE SET last = max(last, excluded.last)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":p", period);
	store_bind_int(st, ":seq", seq);
	return store_step(s, st, err, "调整案件编号流水号");
}
