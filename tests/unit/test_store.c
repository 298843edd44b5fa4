/* test_store.c — the connection's statement cache (store_stmt). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include "kesu/store.h"
#include "testlib.h"
#include "../../src/store/private.h"   /* store_stmt is private to store/ */

#define NSQL 300

/* Each store/ file keeps its SQL as static strings, and the cache keys on
 * their address. With more distinct statements than the cache once had room
 * for (96), every statement past the 96th was prepared again on each call
 * and never finalized: a leak per call, and sqlite3_close refusing to close.
 * Now each text is prepared once and handed back on every later call. */
static void test_every_statement_kept(void **state)
{
	(void)state;
	static char sql[NSQL][32];
	sqlite3_stmt *first[NSQL];
	char *dir = t_tmpdir();
	char *path = ks_asprintf("%s/kesu.db", dir);
	store *s = NULL;
	ks_err err;
	assert_int_equal(store_open(path, true, &s, &err), KS_OK);
	for (int i = 0; i < NSQL; i++) {
		snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
		first[i] = store_stmt(s, sql[i], &err);
		assert_non_null(first[i]);
	}
	for (int i = 0; i < NSQL; i++) {
		sqlite3_stmt *st = store_stmt(s, sql[i], &err);
		assert_ptr_equal(st, first[i]);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), i);
	}
	/* nothing left unfinalized: the connection closes */
	sqlite3 *db = s->db;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	s->ncache = 0;
	assert_null(sqlite3_next_stmt(db, NULL));
	store_close(s);
	free(path);
	t_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
