/* test_store.c — the connection's statement cache (store_stmt). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
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

/* The queue's ticket counter: the first 8 bytes of kesu.db-lock (0 when
 * the file is shorter, as before there was a queue). */
static unsigned long long tickets(const char *lock)
{
	unsigned long long v = 0;
	int fd = open(lock, O_RDONLY);
	if (fd >= 0) {
		if (pread(fd, &v, sizeof v, 0) != (ssize_t)sizeof v)
			v = 0;
		close(fd);
	}
	return v;
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* A writer in a child process (forked before the parent opens the
 * database: no connection across fork). It opens the database, says so on
 * ready, waits for a byte on go, then writes tag to done inside its write
 * transaction and commits; exit status 0 when all went well. */
typedef struct child {
	pid_t pid;
	int ready[2], go[2];
} child;

static void child_start(child *c, const char *path, int done, const char *tag)
{
	assert_int_equal(pipe(c->ready), 0);
	assert_int_equal(pipe(c->go), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid)
		return;
	store *b = NULL;
	ks_err err;
	char ch;
	if (store_open(path, false, &b, &err) || write(c->ready[1], "r", 1) != 1 || read(c->go[0], &ch, 1) != 1)
		_exit(2);
	if (store_begin(b, &err))
		_exit(3);
	if (write(done, tag, 1) != 1)
		_exit(4);
	_exit(store_commit(b, &err) ? 5 : 0);
}

/* Wait until c has opened the database. */
static void child_ready(child *c)
{
	char ch;
	assert_int_equal(read(c->ready[0], &ch, 1), 1);
}

/* Let c ask for the write lock, and wait until it has its ticket (at most
 * 10 s; 0.3 s if there is no queue, as before it), then a little for it to
 * be asleep on the byte ahead. */
static void child_go(child *c, const char *lock)
{
	unsigned long long before = tickets(lock);
	assert_int_equal(write(c->go[1], "g", 1), 1);
	for (int i = 0; i < 1000 && tickets(lock) <= before && (before || i < 30); i++)
		nap(10);
	nap(50);
}

static void child_end(child *c, bool killed)
{
	int st = 0;
	assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
	if (killed) {
		assert_true(WIFSIGNALED(st));
	} else {
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	for (int i = 0; i < 2; i++) {
		close(c->ready[i]);
		close(c->go[i]);
	}
}

/* A fresh database in a new directory; its path and its lock file's. */
static char *new_db(char **dir, char **lock)
{
	*dir = t_tmpdir();
	char *path = ks_asprintf("%s/kesu.db", *dir);
	*lock = ks_asprintf("%s/kesu.db-lock", *dir);
	store *a = NULL;
	ks_err err;
	assert_int_equal(store_open(path, true, &a, &err), KS_OK);
	store_close(a);
	return path;
}

/* Writers write in the order they asked. A holds the lock; B asks and
 * waits; A commits and at once asks again. With the flock alone, A (on the
 * CPU, B still being woken) took it again ahead of B — how a writer that
 * had waited long kept losing to ones that just came (p99 two to three
 * times the median, docs/performance.md). Now A waits behind B. */
static void test_writers_in_turn(void **state)
{
	(void)state;
	char *dir, *lock, *path = new_db(&dir, &lock);
	int order[2];
	assert_int_equal(pipe(order), 0);
	child b;
	child_start(&b, path, order[1], "B");
	store *a = NULL;
	ks_err err;
	assert_int_equal(store_open(path, false, &a, &err), KS_OK);
	child_ready(&b);
	if (store_begin(a, &err))
		fail_msg("%s", err.msg);
	child_go(&b, lock);
	assert_int_equal(store_commit(a, &err), KS_OK);
	if (store_begin(a, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(write(order[1], "A", 1), 1);
	assert_int_equal(store_commit(a, &err), KS_OK);
	child_end(&b, false);
	char got[3] = { 0 };
	assert_int_equal(read(order[0], got, 2), 2);
	assert_string_equal(got, "BA");
	close(order[0]);
	close(order[1]);
	store_close(a);
	free(lock);
	free(path);
	t_rmdir(dir);
}

/* A writer killed while it waits in the queue does not hold up the ones
 * behind it: the kernel lets go of its byte, and the next goes on as soon
 * as the writer holding the lock commits (not after the 10 s timeout). */
static void test_killed_in_queue(void **state)
{
	(void)state;
	char *dir, *lock, *path = new_db(&dir, &lock);
	int done[2];
	assert_int_equal(pipe(done), 0);
	child b, c;
	child_start(&b, path, done[1], "B");
	child_start(&c, path, done[1], "C");
	store *a = NULL;
	ks_err err;
	assert_int_equal(store_open(path, false, &a, &err), KS_OK);
	child_ready(&b);
	child_ready(&c);
	if (store_begin(a, &err))
		fail_msg("%s", err.msg);
	child_go(&b, lock);   /* B queues behind A, then C behind B */
	child_go(&c, lock);
	kill(b.pid, SIGKILL);
	child_end(&b, true);
	time_t t0 = time(NULL);
	assert_int_equal(store_commit(a, &err), KS_OK);
	child_end(&c, false);
	assert_true(time(NULL) - t0 < 5);
	char got[2] = { 0 };
	assert_int_equal(read(done[0], got, 1), 1);
	assert_string_equal(got, "C");
	close(done[0]);
	close(done[1]);
	store_close(a);
	free(lock);
	free(path);
	t_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement_kept),
		cmocka_unit_test(test_writers_in_turn),
		cmocka_unit_test(test_killed_in_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
