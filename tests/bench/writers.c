/* writers.c — many people changing cases at once, synchronous=FULL.
 *
 *   writers --data DIR --procs P --seconds S
 *       P processes, each with its own session (its own connection, as each
 *       person's kesu has), start together and for S seconds take new cases
 *       through the whole workflow as the right people: register, accept,
 *       assign, report, approve, reply, close — every step one case_register
 *       or case_do, i.e. one BEGIN IMMEDIATE transaction with its event,
 *       hash, form, clocks, search row and (at closure) five copies.
 *       Prints transitions (case_do) per second in total, their latency
 *       (median, p99, max) and every error a person would have seen
 *       ("database busy" after the 10 s busy timeout included).
 *   writers --data DIR --floor --procs P --seconds S
 *       The floor: P processes (1: the raw rate of the disk) committing one
 *       small row per transaction into a scratch database beside DIR's, same
 *       journal mode (WAL), synchronous=FULL and busy timeout.
 *   --busy short | flock
 *       The candidate changes of docs/performance.md: a busy handler that
 *       sleeps 0.1–0.5 ms between tries instead of SQLite's backing-off
 *       busy_timeout, or every write transaction queued on an flock.
 *   --lifecycles K
 *       Each writer stops after K lifecycles (or the seconds, whichever is
 *       first): a fixed amount of work, for instruction counts
 *       (valgrind --tool=callgrind --toggle-collect=case_do_note …).
 * New cases are added to the data set (a few thousand per run). */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/session.h"
#include "../../src/store/private.h"   /* to swap the connection's busy handler (--busy short) */
#include "corpus.h"

/* --busy short: instead of SQLite's busy_timeout handler (which sleeps 1, 2,
 * 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms, then 100 ms at a time, so a
 * waiter that has slept long keeps losing to newcomers), sleep 0.1–0.5 ms
 * and try again, for the same 10 s in all. */
static bool short_busy;
/* --busy flock: every write transaction (here: every case_do and
 * case_register) holds an exclusive flock on DIR/bench-write.lock, so
 * writers queue in the kernel, asleep, and SQLite's busy handler never runs. */
static int lock_fd = -1;
static const char *busy_name = "";
static long lifecycles = -1;   /* --lifecycles: per writer, -1 no limit */

static void write_lock(void)
{
	if (lock_fd >= 0)
		while (flock(lock_fd, LOCK_EX) < 0 && errno == EINTR)
			;
}

static void write_unlock(void)
{
	if (lock_fd >= 0)
		flock(lock_fd, LOCK_UN);
}

static int busy_short(void *ctx, int n)
{
	(void)ctx;
	static double first;
	double t = now_s();
	if (n == 0)
		first = t;
	if (t - first > BUSY_MS / 1000.0)
		return 0;
	usleep(100 + (unsigned)(rand() % 400));
	return 1;
}

typedef struct rec {
	float ms;
	char op;       /* '0' register, '1'…'6' the workflow steps (case_do), 'f' floor insert */
	char status;   /* ks_status */
} rec;

#define MAXREC (1 << 20)

static void write_recs(const char *path, const rec *v, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(v, sizeof *v, n, f) != n) {
		perror(path);
		_exit(1);
	}
	fclose(f);
}

/* Say ready, wait until the parent says go (it closes the pipe); the time. */
static double wait_start(int start_fd, int ready_fd)
{
	char c = 'r';
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	while (read(start_fd, &c, 1) < 0 && errno == EINTR)
		;
	return now_s();
}

/* One person's kesu: lifecycles of new cases until the deadline. */
static void writer(const char *data, int w, double seconds, const char *out, int start_fd, int ready_fd)
{
	session *s;
	ks_err err;
	if (session_open(data, &s, &err)) {
		fprintf(stderr, "writer %d: %s\n", w, err.msg);
		_exit(1);
	}
	srand((unsigned)(w * 7919 + getpid()));
	if (short_busy)
		sqlite3_busy_handler(s->st->db, busy_short, NULL);
	double until = wait_start(start_fd, ready_fd) + seconds;
	rec *v = malloc(MAXREC * sizeof *v);
	size_t n = 0;
	rng r = rng_for(99, (uint64_t)w);
	char errs[4][256] = { "", "", "", "" };
	int nerr = 0;
	for (long life = 0; now_s() < until && n + 8 < MAXREC && (lifecycles < 0 || life < lifecycles); life++) {
		char *customer = gen_customer(&r, 0), *contact = gen_contact(&r, 0);
		const char *product = PICK(&r, c_product), *defect = PICK(&r, c_defect);
		char *subject = NULL, *detail = gen_detail(&r, 1, product, defect, "", 500);
		if (asprintf(&subject, "%s%s", product, defect) < 0)
			abort();
		form_kv in[] = { { "customer", customer, strlen(customer) }, { "contact", contact, strlen(contact) },
		                 { "channel", "phone", 5 }, { "region", "domestic", 8 }, { "category", "quality", 7 },
		                 { "subject", subject, strlen(subject) }, { "detail", detail, strlen(detail) },
		                 { "request", "exchange", 8 } };
		char *cause = GEN_PICKS(&r, c_cause, 2), *process = gen_process(&r, defect, time(NULL)), *resp = gen_responsible(&r);
		char *counter = GEN_PICKS(&r, c_counter, 3), *prevent = GEN_PICKS(&r, c_prevent, 3);
		form_kv rep[] = { { "cause", cause, strlen(cause) }, { "process", process, strlen(process) },
		                  { "responsible", resp, strlen(resp) }, { "conclusion", "属我方质量问题", strlen("属我方质量问题") },
		                  { "countermeasure", counter, strlen(counter) }, { "prevention", prevent, strlen(prevent) },
		                  { "loss", "1200", 4 } };
		form_kv asg[] = { { "dept", "quality", 7 } };
		form_kv apv[] = { { "decision", "同意全数换货，运费由我方承担", strlen("同意全数换货，运费由我方承担") } };
		form_kv rpl[] = { { "method", "phone", 5 }, { "accepted", "yes", 3 }, { "answer", "已电话告知客户", strlen("已电话告知客户") } };
		struct {
			const char *who, *action;
			form_kv *kv;
			size_t n;
		} steps[] = {
			{ "qiantai", NULL, in, 8 },       { "guanli", "accept", NULL, 0 },   { "guanli", "assign", asg, 1 },
			{ "zhijian", "report", rep, 7 },  { "yewujingli", "approve", apv, 1 }, { "qiantai", "reply", rpl, 3 },
			{ "zongjingli", "close", NULL, 0 },
		};
		char *no = NULL;
		for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
			session_login(s, steps[k].who, &err);
			double t = now_s();
			write_lock();
			ks_status rc = steps[k].action ? case_do(s, no, steps[k].action, steps[k].kv, steps[k].n, -1, &err)
			                               : case_register(s, steps[k].kv, steps[k].n, &no, &err);
			write_unlock();
			v[n++] = (rec){ (float)((now_s() - t) * 1e3), (char)('0' + k), (char)rc };
			if (rc) {
				if (nerr < 4)
					snprintf(errs[nerr], sizeof errs[nerr], "%.200s", err.msg);
				nerr++;
				break;
			}
		}
		free(no);
		free(customer); free(contact); free(subject); free(detail);
		free(cause); free(process); free(resp); free(counter); free(prevent);
	}
	for (int i = 0; i < nerr && i < 4; i++)
		fprintf(stderr, "writer %d: error seen by the user: %s\n", w, errs[i]);
	char *path = NULL;
	if (asprintf(&path, "%s/writer-%d.bin", out, w) < 0)
		abort();
	write_recs(path, v, n);
	session_close(s);
	_exit(0);
}

/* The floor: one small row per transaction, nothing else. */
static void floor_writer(const char *dbpath, int w, double seconds, const char *out, int start_fd, int ready_fd)
{
	sqlite3 *db = bench_open_raw(dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	sqlite3_busy_timeout(db, BUSY_MS);
	srand((unsigned)(w * 7919 + getpid()));
	if (short_busy)
		sqlite3_busy_handler(db, busy_short, NULL);
	bench_exec(db, "PRAGMA journal_mode = WAL");
	bench_exec(db, "PRAGMA synchronous = FULL");
	sqlite3_stmt *st = bench_prepare(db, "INSERT INTO t(w, x) VALUES (?1, ?2)");
	double until = wait_start(start_fd, ready_fd) + seconds;
	rec *v = malloc(MAXREC * sizeof *v);
	size_t n = 0;
	while (now_s() < until && n < MAXREC) {
		double t = now_s();
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, w);
		sqlite3_bind_int64(st, 2, (long long)n);
		write_lock();
		int rc = sqlite3_step(st);
		write_unlock();
		v[n++] = (rec){ (float)((now_s() - t) * 1e3), 'f', (char)(rc == SQLITE_DONE ? 0 : 4) };
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	char *path = NULL;
	if (asprintf(&path, "%s/writer-%d.bin", out, w) < 0)
		abort();
	write_recs(path, v, n);
	_exit(0);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

static double pct(float *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

int main(int argc, char **argv)
{
	const char *data = NULL, *out = "/tmp";
	int procs = 16, floor_mode = 0;
	double seconds = 20;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--lifecycles") && i + 1 < argc)
			lifecycles = atol(argv[++i]);
		else if (!strcmp(argv[i], "--floor"))
			floor_mode = 1;
		else if (!strcmp(argv[i], "--busy") && i + 1 < argc) {
			busy_name = argv[++i];
			short_busy = !strcmp(busy_name, "short");
		}
		else {
			fprintf(stderr, "usage: writers --data DIR [--floor] --procs P --seconds S [--lifecycles K] [--out DIR]\n");
			return 2;
		}
	}
	if (!data || procs < 1 || procs > 256 || seconds <= 0)
		return 2;
	char *floor_db = NULL;
	if (asprintf(&floor_db, "%s/bench-floor.db", data) < 0)
		abort();
	static const char *const sfx[] = { "", "-wal", "-shm" };
	if (floor_mode) {
		for (int k = 0; k < 3; k++) {
			char *p = NULL;
			if (asprintf(&p, "%s%s", floor_db, sfx[k]) < 0)
				abort();
			unlink(p);
			free(p);
		}
		sqlite3 *db = bench_open_raw(floor_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
		bench_exec(db, "PRAGMA journal_mode = WAL");
		bench_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, w INTEGER, x INTEGER)");
		sqlite3_close(db);
	}
	char *lock_path = NULL;
	if (!strcmp(busy_name, "flock") && asprintf(&lock_path, "%s/bench-write.lock", data) < 0)
		abort();
	const char *prefix = short_busy ? "short_busy_" : lock_path ? "flock_" : "";
	const char *how = short_busy ? " (short-sleep busy handler)" : lock_path ? " (writes queued on a flock)" : "";
	int start[2], ready[2];
	if (pipe(start) || pipe(ready))
		return 1;
	pid_t *pids = calloc((size_t)procs, sizeof *pids);
	for (int w = 0; w < procs; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(start[1]);
			close(ready[0]);
			if (lock_path) /* an open file of its own: flock locks belong to the open file */
				lock_fd = open(lock_path, O_RDWR | O_CREAT, 0600);
			if (floor_mode)
				floor_writer(floor_db, w, seconds, out, start[0], ready[1]);
			else
				writer(data, w, seconds, out, start[0], ready[1]);
		}
	}
	close(start[0]);
	close(ready[1]);
	for (int w = 0; w < procs; w++) {
		char c;
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "writers: a writer did not start\n");
			break;
		}
	}
	double t0 = now_s();
	close(start[1]); /* go */
	int bad = 0;
	for (int w = 0; w < procs; w++) {
		int status;
		waitpid(pids[w], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	double el = now_s() - t0;
	/* gather */
	float *lat = malloc(sizeof *lat * (size_t)MAXREC * 2);
	size_t nlat = 0, ndo = 0, nnew = 0, nerr = 0, cap = (size_t)MAXREC * 2;
	float *bystep[7];
	size_t nstep[7] = {0};
	for (int k = 0; k < 7; k++)
		bystep[k] = malloc(sizeof **bystep * (size_t)MAXREC);
	for (int w = 0; w < procs; w++) {
		char *path = NULL;
		if (asprintf(&path, "%s/writer-%d.bin", out, w) < 0)
			abort();
		FILE *f = fopen(path, "rb");
		rec r;
		while (f && fread(&r, sizeof r, 1, f) == 1) {
			if (r.status)
				nerr++;
			if (r.op == '0')
				nnew++;
			else
				ndo++;
			if (r.op != '0' && nlat < cap)
				lat[nlat++] = r.ms;
			if (r.op >= '0' && r.op <= '6' && nstep[r.op - '0'] < (size_t)MAXREC)
				bystep[r.op - '0'][nstep[r.op - '0']++] = r.ms;
		}
		if (f)
			fclose(f);
		unlink(path);
		free(path);
	}
	qsort(lat, nlat, sizeof *lat, cmp_float);
	if (floor_mode) {
		printf("  floor, %d process%s%s: %zu single-row commits in %.1f s = %.0f commits/s; latency median %.2f ms, "
		       "p99 %.2f ms, max %.1f ms; errors %zu\n",
		       procs, procs == 1 ? "" : "es", how, ndo, el, (double)ndo / el, pct(lat, nlat, 50), pct(lat, nlat, 99),
		       nlat ? lat[nlat - 1] : 0, nerr);
		printf("RESULT floor_%scommits_per_s_%dp %.0f p99 %.2f\n", prefix, procs, (double)ndo / el, pct(lat, nlat, 99));
		for (int k = 0; k < 3; k++) {
			char *p = NULL;
			if (asprintf(&p, "%s%s", floor_db, sfx[k]) < 0)
				abort();
			unlink(p);
			free(p);
		}
	} else {
		printf("  %d writers%s for %.1f s: %zu transitions (case_do) + %zu registrations; %.0f transitions/s, "
		       "%.0f writes/s in all\n",
		       procs, how, el, ndo, nnew, (double)ndo / el, (double)(ndo + nnew) / el);
		printf("  transition latency: median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", pct(lat, nlat, 50),
		       pct(lat, nlat, 90), pct(lat, nlat, 99), nlat ? lat[nlat - 1] : 0);
		static const char *const names[7] = { "new (register)", "accept", "assign", "report", "approve", "reply",
		                                      "close" };
		printf("  by step (ms):");
		for (int k = 0; k < 7; k++) {
			qsort(bystep[k], nstep[k], sizeof *bystep[k], cmp_float);
			printf("%s %s median %.1f p99 %.1f", k ? ";" : "", names[k], pct(bystep[k], nstep[k], 50),
			       pct(bystep[k], nstep[k], 99));
		}
		printf("\n  errors seen by a user: %zu%s\n", nerr, nerr ? " (messages above)" : "");
		printf("RESULT writers_%stransitions_per_s %.0f p50 %.1f p99 %.1f max %.1f errors %zu procs %d\n",
		       prefix, (double)ndo / el, pct(lat, nlat, 50), pct(lat, nlat, 99), nlat ? lat[nlat - 1] : 0, nerr, procs);
	}
	if (lock_path)
		unlink(lock_path);
	free(lock_path);
	for (int k = 0; k < 7; k++)
		free(bystep[k]);
	free(lat);
	free(pids);
	free(floor_db);
	return bad ? 1 : 0;
}
