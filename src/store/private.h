/* private.h — what the files of store/ share: the connection, the statement
 * cache and the binding helpers. Not part of any public API; only src/store/
 * includes it. Each store/ file keeps its SQL as static strings. */
#ifndef KESU_STORE_PRIVATE_H
#define KESU_STORE_PRIVATE_H

#include <sqlite3.h>
#include "kesu/store.h"

#define BUSY_MS 10000

struct store {
	sqlite3 *db;
	char *path;
	/* prepared statements by the address of their static SQL text; grows as
	 * needed (the number of distinct texts is fixed by the program) */
	struct stmt_entry { const char *sql; sqlite3_stmt *st; } *cache;
	int ncache, cache_cap;
	int lock_fd;      /* txn.c: the writers' lock file, -1 until first needed */
	unsigned long long *queue_next;   /* txn.c: the next ticket, mapped from the lock file; NULL: no queue */
	long long queue_slot;             /* txn.c: the byte this process holds in the queue, -1 none */
	int wal_pages;    /* txn.c: the WAL's size after the last commit */
};

/* txn.c: set up the connection for write transactions (the writers' lock,
 * the WAL hook that replaces automatic checkpoints); before any transaction. */
void store_txn_init(store *s);
/* txn.c: let go of the lock file. */
void store_txn_close(store *s);

/* Turn the connection's last error into a status and message about what. */
ks_status store_db_err(store *s, ks_err *err, const char *what);
/* sqlite3_exec of sql; a failure says what was being done (提交事务, 开始事务,
 * …) through store_db_err, not SQLite's message twice. */
ks_status store_exec(store *s, const char *sql, ks_err *err);
/* The cached statement for sql (a static string), reset, bindings cleared.
 * NULL (err filled) if it can't be prepared. */
sqlite3_stmt *store_stmt(store *s, const char *sql, ks_err *err);
/* Bind by name (":name"); a name not in the statement is ignored. NULL text binds NULL. */
void store_bind_text(sqlite3_stmt *st, const char *name, const char *v);
void store_bind_int(sqlite3_stmt *st, const char *name, long long v);
/* A copy of column i's text (NULL for NULL). Caller frees. */
char *store_col_text(sqlite3_stmt *st, int i);
/* Step once; an error (not DONE or ROW) becomes a status about what. */
ks_status store_step(store *s, sqlite3_stmt *st, ks_err *err, const char *what);

/* Read a case row selected as id, no, state, dept, assignee, registrant,
 * customer, subject, fields, created_at, updated_at, updated_by, version,
 * next_due (store.c). */
void store_read_case(sqlite3_stmt *st, store_case *c);

#endif
