/* txn.c — write transactions: many kesu processes writing one database.
 *
 * Every write transaction first takes an exclusive flock(2) on a lock file
 * beside the database (kesu.db-lock), then BEGIN IMMEDIATE. Writers thus
 * wait for each other asleep in the kernel, and get the lock in turn as soon
 * as it is free. Without it they wait in SQLite's busy handler, which sleeps
 * 1, 2, 5, … 100 ms between tries: a writer that has waited long sleeps
 * longest and keeps losing the lock to writers that just arrived — with 16
 * writers, p99 3.2 s and actions failing after the 10 s busy timeout
 * (docs/performance.md, "Writers, search and report: what changed").
 *
 * The wait for the flock has the same limit as SQLite's busy timeout
 * (BUSY_MS); after it the caller gets KS_CONFLICT, "数据库繁忙", and nothing
 * was written, so the action can simply be tried again (a retried case_do
 * still checks the version the person saw). SQLite's busy timeout stays as
 * it was for what does not take the flock (a backup, an older kesu, the
 * sqlite3 shell). When the lock file cannot be opened (a read-only
 * directory) transactions go without it, as before.
 *
 * Checkpoints: SQLite copies the WAL back into the database (a PASSIVE
 * checkpoint, with its fsyncs) in the process whose commit made the WAL
 * reach 1,000 pages, inside that COMMIT — that is, while this process still
 * holds the flock, so every other writer would wait for it. Instead the WAL
 * hook only notes the WAL's size, and store_commit runs the PASSIVE
 * checkpoint after it has let the flock go: other writers go on writing
 * while it copies. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

/* The WAL's size in pages at which a committing process checkpoints
 * (SQLite's own default for wal_autocheckpoint). */
#define CHECKPOINT_PAGES 1000

static int wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	((store *)ctx)->wal_pages = pages;
	return SQLITE_OK;
}

void store_txn_init(store *s)
{
	s->lock_fd = -1;
	s->wal_pages = 0;
	/* replaces SQLite's automatic checkpoint (which is itself a WAL hook) */
	sqlite3_wal_hook(s->db, wal_hook, s);
}

void store_txn_close(store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

static void on_alarm(int sig)
{
	(void)sig;   /* only interrupts flock() */
}

/* Wait for the exclusive flock at most BUSY_MS. 0 when held (or when there
 * is no lock file to hold), -1 on timeout. */
static int lock_wait(store *s)
{
	if (s->lock_fd < 0) {
		char *path = ks_asprintf("%s-lock", s->path);
		s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		free(path);
		if (s->lock_fd < 0)
			return 0;   /* no lock file: SQLite's busy handler alone */
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return 0;
	/* someone is writing: sleep in flock until it is ours, or until
	 * BUSY_MS have passed (SIGALRM interrupts it; no SA_RESTART) */
	struct sigaction sa, old_sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	struct itimerval it = { { 0, 0 }, { BUSY_MS / 1000, (BUSY_MS % 1000) * 1000 } }, old_it;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	sigaction(SIGALRM, &sa, &old_sa);
	setitimer(ITIMER_REAL, &it, &old_it);
	int rc = 0;   /* 0 held, -1 timed out, 1 flock failed otherwise */
	for (;;) {
		if (flock(s->lock_fd, LOCK_EX) == 0)
			break;
		if (errno != EINTR) {
			rc = 1;
			break;
		}
		struct itimerval left;   /* another signal (SIGWINCH…) goes on waiting */
		getitimer(ITIMER_REAL, &left);
		if (!left.it_value.tv_sec && !left.it_value.tv_usec) {
			rc = -1;   /* the timer ran out */
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	if (old_it.it_value.tv_sec || old_it.it_value.tv_usec)
		setitimer(ITIMER_REAL, &old_it, NULL);
	return rc < 0 ? -1 : 0;   /* flock failing otherwise: go on without it */
}

static void lock_release(store *s)
{
	if (s->lock_fd >= 0)
		flock(s->lock_fd, LOCK_UN);
}

ks_status store_begin(store *s, ks_err *err)
{
	if (lock_wait(s))
		return ks_errf(err, KS_CONFLICT, "数据库繁忙，请稍后再试（其他人正在写入，已等待 %d 秒）",
		               BUSY_MS / 1000);
	ks_status rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		lock_release(s);
	return rc;
}

ks_status store_commit(store *s, ks_err *err)
{
	ks_status rc = store_exec(s, "COMMIT", err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	lock_release(s);
	if (s->wal_pages >= CHECKPOINT_PAGES) {
		/* PASSIVE: copies what no reader still needs, waits for nobody;
		 * if another process is checkpointing it returns at once */
		s->wal_pages = 0;
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	return KS_OK;
}

void store_rollback(store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	lock_release(s);
}
