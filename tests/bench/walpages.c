/* walpages.c — which B-trees a write touches: WAL frames per commit, each
 * frame mapped to its table or index (docs/performance.md, "Index diet").
 *
 *   walpages --data DIR --writers PATH [--lifecycles K] [--warm K]
 *
 * DIR is a copy of a data set (it gains cases). First `writers --procs 1
 * --lifecycles WARM` (default 1) migrates the copy and warms it; then the
 * WAL is checkpointed and truncated, a reader opens a read transaction and
 * holds it (so no checkpoint can reset the WAL), and `writers --procs 1
 * --lifecycles K` (default 5: 5 registrations + 30 transitions) runs. Every
 * frame the WAL then holds is counted against the B-tree its page belongs
 * to at the end (dbstat), and the B-trees grouped by table: an index counts
 * with its table, FTS5's shadow tables as one. Pages dbstat does not know
 * (freed during the run) are "(free/other)". A page written twice by one
 * commit is one frame; by two commits, two. Counts are deterministic up to
 * the odd page split: the writers' text is seeded, not their clock. */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

static void run_writers(const char *writers, const char *data, long k)
{
	char lc[32];
	snprintf(lc, sizeof lc, "%ld", k);
	pid_t p = fork();
	if (p < 0)
		abort();
	if (p == 0) {
		dup2(2, 1);   /* the writers' figures to stderr: stdout is the frames */
		execl(writers, writers, "--data", data, "--procs", "1", "--seconds", "3600", "--lifecycles", lc,
		      (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "walpages: %s failed\n", writers);
		exit(1);
	}
}

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

typedef struct btree {
	char *name, *group;
	long frames;
} btree;

static int cmp_frames(const void *a, const void *b)
{
	const btree *x = a, *y = b;
	return x->frames != y->frames ? (x->frames < y->frames ? 1 : -1) : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
	const char *data = NULL, *writers = NULL;
	long k = 5, warm = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(argv[i], "--writers") && i + 1 < argc)
			writers = argv[++i];
		else if (!strcmp(argv[i], "--lifecycles") && i + 1 < argc)
			k = atol(argv[++i]);
		else if (!strcmp(argv[i], "--warm") && i + 1 < argc)
			warm = atol(argv[++i]);
		else
			data = NULL, i = argc;
	}
	if (!data || !writers || k < 1) {
		fprintf(stderr, "usage: walpages --data DIR --writers PATH [--lifecycles K] [--warm K]\n");
		return 2;
	}
	char dbpath[4096], walpath[4200];
	snprintf(dbpath, sizeof dbpath, "%s/kesu.db", data);
	snprintf(walpath, sizeof walpath, "%s-wal", dbpath);
	if (warm > 0)
		run_writers(writers, data, warm);

	sqlite3 *reader = bench_open_raw(dbpath, SQLITE_OPEN_READWRITE);
	sqlite3_busy_timeout(reader, 10000);
	bench_exec(reader, "PRAGMA wal_checkpoint(TRUNCATE)");
	bench_exec(reader, "BEGIN");
	bench_exec(reader, "SELECT count(*) FROM sqlite_schema");   /* the read snapshot, held */
	run_writers(writers, data, k);

	FILE *f = fopen(walpath, "rb");
	if (!f) {
		perror(walpath);
		return 1;
	}
	unsigned char hdr[32];
	if (fread(hdr, 1, 32, f) != 32) {
		fprintf(stderr, "walpages: empty WAL\n");
		return 1;
	}
	unsigned psize = be32(hdr + 8);
	unsigned char *frame = malloc(24 + (size_t)psize);
	unsigned *pg = NULL;
	long nf = 0, cap = 0, commits = 0;
	while (fread(frame, 1, 24 + (size_t)psize, f) == 24 + (size_t)psize) {
		if (memcmp(frame + 8, hdr + 16, 8))
			break;   /* salts differ: a frame of an earlier WAL generation */
		if (nf == cap)
			pg = realloc(pg, (size_t)(cap = cap ? cap * 2 : 1024) * sizeof *pg);
		pg[nf++] = be32(frame);
		commits += be32(frame + 4) != 0;
	}
	fclose(f);
	free(frame);

	/* the B-tree of every page now, and each B-tree's table */
	sqlite3 *db = bench_open_raw(dbpath, SQLITE_OPEN_READONLY);
	long npages = bench_int(db, "PRAGMA page_count");
	int *owner = malloc((size_t)(npages + 1) * sizeof *owner);
	for (long i = 0; i <= npages; i++)
		owner[i] = -1;
	btree *bt = NULL;
	int nbt = 0;
	sqlite3_stmt *st = bench_prepare(db,
		"SELECT s.name, CASE WHEN m.tbl_name LIKE 'case_search%' THEN 'case_search (FTS5)' "
		"WHEN s.name = 'sqlite_schema' THEN '(schema, page 1)' ELSE coalesce(m.tbl_name, s.name) END, "
		"s.pageno FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name ORDER BY s.name");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!nbt || strcmp(bt[nbt - 1].name, name)) {
			bt = realloc(bt, (size_t)(nbt + 1) * sizeof *bt);
			bt[nbt++] = (btree){ strdup(name), strdup((const char *)sqlite3_column_text(st, 1)), 0 };
		}
		long p = sqlite3_column_int64(st, 2);
		if (p >= 1 && p <= npages)
			owner[p] = nbt - 1;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	long other = 0;
	for (long i = 0; i < nf; i++) {
		if (pg[i] <= (unsigned)npages && owner[pg[i]] >= 0)
			bt[owner[pg[i]]].frames++;
		else
			other++;
	}
	bench_exec(reader, "ROLLBACK");
	sqlite3_close(reader);

	double c = commits ? (double)commits : 1;
	printf("commits %ld, WAL frames %ld (%u-byte pages): %.1f frames per commit\n", commits, nf, psize, nf / c);
	qsort(bt, (size_t)nbt, sizeof *bt, cmp_frames);
	/* by table: the groups in order of their frames */
	printf("\nby table (frames per commit; the table's own B-tree and its indexes):\n");
	char **done = calloc((size_t)nbt + 1, sizeof *done);
	int nd = 0;
	typedef struct grp { const char *g; long fr; int nb; } grp;
	grp *gv = calloc((size_t)nbt + 1, sizeof *gv);
	for (int i = 0; i < nbt; i++) {
		int j = 0;
		while (j < nd && strcmp(done[j], bt[i].group))
			j++;
		if (j == nd) {
			done[nd] = bt[i].group;
			gv[nd++] = (grp){ bt[i].group, 0, 0 };
		}
		gv[j].fr += bt[i].frames;
		gv[j].nb += bt[i].frames > 0;
	}
	for (int i = 0; i < nd; i++)
		for (int j = i + 1; j < nd; j++)
			if (gv[j].fr > gv[i].fr) {
				grp t = gv[i];
				gv[i] = gv[j];
				gv[j] = t;
			}
	for (int i = 0; i < nd && gv[i].fr; i++)
		printf("  %-28s %6.2f   (%d B-trees written)\n", gv[i].g, gv[i].fr / c, gv[i].nb);
	printf("  %-28s %6.2f\n", "(free/other)", other / c);
	printf("\nby B-tree (frames per commit):\n");
	for (int i = 0; i < nbt && bt[i].frames; i++)
		printf("  %-34s %-20s %6.2f\n", bt[i].name, bt[i].group, bt[i].frames / c);
	return 0;
}
