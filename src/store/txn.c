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
 * The writers queue in the order they arrive. flock wakes every waiter
 * when it is let go and whichever is scheduled first takes it, so a writer
 * that has waited long can keep losing to one that just arrived: p99 two to
 * three times the median with 16 writers (docs/performance.md). So before
 * the flock each writer takes a ticket (a counter in the lock file, mapped
 * shared, incremented atomically), holds the one byte of the lock file that
 * is its ticket's (an open-file-description lock, F_OFD_SETLK), and waits
 * for the byte of the ticket before it: the writer ahead of it lets its
 * byte go only after it has let go of the flock. One waiter wakes per
 * commit, in order. The kernel drops the byte of a writer that dies
 * (killed while queued or while writing), so the one behind it goes on; the
 * flock alone still decides who writes, so a dead or slow writer costs at
 * most fairness, never exclusion. Where the lock file cannot be mapped or
 * byte locks are refused, writers wait on the flock alone, as before.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

/* The WAL's size in pages at which a committing process checkpoints
 * (SQLite's own default for wal_autocheckpoint). */
#define CHECKPOINT_PAGES 1000

/* The queue's layout in the lock file: the ticket counter at offset 0 of a
 * mapped first page; ticket t's byte at QUEUE_BYTES + t % QUEUE_SLOTS (far
 * more slots than writers could ever wait at once). */
#define QUEUE_PAGE 4096
#define QUEUE_BYTES 4096LL
#define QUEUE_SLOTS 65536ULL

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
	s->queue_next = NULL;
	s->queue_slot = -1;
	s->wal_pages = 0;
	/* replaces SQLite's automatic checkpoint (which is itself a WAL hook) */
	sqlite3_wal_hook(s->db, wal_hook, s);
}

void store_txn_close(store *s)
{
	if (s->queue_next)
		munmap(s->queue_next, QUEUE_PAGE);
	s->queue_next = NULL;
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

static void on_alarm(int sig)
{
	(void)sig;   /* only interrupts flock() */
}

/* One byte of the lock file, taken (F_WRLCK, waiting if wait) or let go. */
static int byte_lock(int fd, long long off, short type, bool wait)
{
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = off;
	fl.l_len = 1;
	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
}

/* Map the queue's counter from the lock file; NULL when it cannot be. */
static unsigned long long *queue_map(int fd)
{
	struct stat st;
	if (fstat(fd, &st) || (st.st_size < QUEUE_PAGE && ftruncate(fd, QUEUE_PAGE)))
		return NULL;
	void *p = mmap(NULL, QUEUE_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Take a ticket and hold its byte; -1 (no queue) when that fails. */
static long long queue_enter(store *s)
{
	if (!s->queue_next)
		return -1;
	unsigned long long t = __atomic_fetch_add(s->queue_next, 1, __ATOMIC_SEQ_CST);
	long long mine = QUEUE_BYTES + (long long)(t % QUEUE_SLOTS);
	/* free unless QUEUE_SLOTS writers are queued; then wait for it */
	if (byte_lock(s->lock_fd, mine, F_WRLCK, true))
		return -1;
	s->queue_slot = mine;
	return QUEUE_BYTES + (long long)((t + QUEUE_SLOTS - 1) % QUEUE_SLOTS);
}

static void queue_leave(store *s)
{
	if (s->queue_slot >= 0)
		byte_lock(s->lock_fd, s->queue_slot, F_UNLCK, false);
	s->queue_slot = -1;
}

/* Wait for the byte of the writer ahead (*ahead, -1 none), then for the
 * flock: 0 held, -1 interrupted (by the timer or another signal), 1 failed
 * otherwise. */
static int wait_turn(store *s, long long *ahead)
{
	if (*ahead >= 0) {
		if (byte_lock(s->lock_fd, *ahead, F_WRLCK, true)) {
			if (errno == EINTR)
				return -1;
			/* byte locks refused: the flock alone */
		} else {
			/* it let go of the flock before its byte; only the turn was needed */
			byte_lock(s->lock_fd, *ahead, F_UNLCK, false);
		}
		*ahead = -1;
	}
	if (flock(s->lock_fd, LOCK_EX) == 0)
		return 0;
	return errno == EINTR ? -1 : 1;
}

/* Wait for the exclusive flock at most BUSY_MS, in turn (the queue above).
 * 0 when held (or when there is no lock file to hold), -1 on timeout. */
static int lock_wait(store *s)
{
	if (s->lock_fd < 0) {
		char *path = ks_asprintf("%s-lock", s->path);
		s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		free(path);
		if (s->lock_fd < 0)
			return 0;   /* no lock file: SQLite's busy handler alone */
		s->queue_next = queue_map(s->lock_fd);
	}
	long long ahead = queue_enter(s);
	if (ahead >= 0 && byte_lock(s->lock_fd, ahead, F_WRLCK, false) == 0) {
		/* nobody ahead (done, gone, or not yet holding its byte) */
		byte_lock(s->lock_fd, ahead, F_UNLCK, false);
		ahead = -1;
	}
	if (ahead < 0) {
		/* first in turn: the flock is free unless the one ahead is still
		 * letting it go, or someone without a ticket (an older kesu) holds it */
		if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK) {
			queue_leave(s);
			return 0;   /* flock failing otherwise: go on without it */
		}
	}
	/* someone is writing or ahead: sleep until it is our turn, or until
	 * BUSY_MS have passed (SIGALRM interrupts it; no SA_RESTART) */
	struct sigaction sa, old_sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	struct itimerval it = { { 0, 0 }, { BUSY_MS / 1000, (BUSY_MS % 1000) * 1000 } }, old_it;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	sigaction(SIGALRM, &sa, &old_sa);
	setitimer(ITIMER_REAL, &it, &old_it);
	int rc;   /* 0 held, -1 timed out, 1 failed otherwise */
	for (;;) {
		rc = wait_turn(s, &ahead);
		if (rc >= 0)
			break;
		struct itimerval left;   /* another signal (SIGWINCH…) goes on waiting */
		getitimer(ITIMER_REAL, &left);
		if (!left.it_value.tv_sec && !left.it_value.tv_usec)
			break;   /* the timer ran out */
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	if (old_it.it_value.tv_sec || old_it.it_value.tv_usec)
		setitimer(ITIMER_REAL, &old_it, NULL);
	if (rc)
		queue_leave(s);   /* timed out (or no flock): the one behind goes on */
	return rc < 0 ? -1 : 0;   /* flock failing otherwise: go on without it */
}

static void lock_release(store *s)
{
	if (s->lock_fd >= 0)
		flock(s->lock_fd, LOCK_UN);
	queue_leave(s);   /* after the flock: the next in turn finds it free */
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
