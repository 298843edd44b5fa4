/* faultvfs.c — kesu with an SQLite VFS that fails on purpose.
 *
 * Built as $(BUILD)/tests/kesu-fault: src/main.c (its main renamed kesu_main)
 * linked with build/libkesu.a and this file, whose main registers the "fault"
 * VFS as the default before running kesu.  The VFS passes everything to the
 * real default VFS ("unix") except that, as KESU_FAULT says,
 *
 *   read:K    the K-th xRead fails with SQLITE_IOERR_READ
 *   write:K   the K-th xWrite fails with SQLITE_IOERR_WRITE
 *   sync:K    the K-th xSync fails with SQLITE_IOERR_FSYNC
 *   full:K    the K-th xWrite and every later one fail with SQLITE_FULL
 *             (the disk is full from then on)
 *
 * counting over every file SQLite opens (database, WAL, journals).  Memory
 * mapping is refused (xFetch gives no page) so that every read goes through
 * xRead.  At exit the outcome is written to the file KESU_FAULT_LOG, if set:
 *   "hit OP K reads=R writes=W syncs=S"  or  "nohit OP K reads=R writes=W syncs=S"
 * so a driver can raise K until a run completes without meeting its fault
 * (tests/cli/faults.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

int kesu_main(int argc, char **argv);

typedef enum { OP_NONE, OP_READ, OP_WRITE, OP_SYNC, OP_FULL } fault_op;
static const char *const op_names[] = { "none", "read", "write", "sync", "full" };

static fault_op g_op = OP_NONE;
static long g_k;
static long g_reads, g_writes, g_syncs;
static int g_hit;
static sqlite3_vfs *g_real;

typedef struct fault_file {
	sqlite3_file base;
	sqlite3_file *real;     /* follows this struct in the same allocation */
} fault_file;

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
	return rc;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (++g_reads == g_k && g_op == OP_READ) {
		g_hit = 1;
		return SQLITE_IOERR_READ;
	}
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	++g_writes;
	if (g_op == OP_WRITE && g_writes == g_k) {
		g_hit = 1;
		return SQLITE_IOERR_WRITE;
	}
	if (g_op == OP_FULL && g_writes >= g_k) {
		g_hit = 1;
		return SQLITE_FULL;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (++g_syncs == g_k && g_op == OP_SYNC) {
		g_hit = 1;
		return SQLITE_IOERR_FSYNC;
	}
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size) { return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_devchar(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }

static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
	if (op == SQLITE_FCNTL_MMAP_SIZE) /* no memory mapping: reads go through xRead */
		return SQLITE_NOTFOUND;
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	(void)f; (void)off; (void)n;
	*pp = NULL;
	return SQLITE_OK;
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f; (void)off; (void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods fault_methods = {
	3, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock,
	f_reserved, f_fcntl, f_sector, f_devchar, f_shm_map, f_shm_lock, f_shm_barrier,
	f_shm_unmap, f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)vfs;
	fault_file *ff = (fault_file *)file;
	ff->real = (sqlite3_file *)(ff + 1);
	memset(ff->real, 0, (size_t)g_real->szOsFile);
	int rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
	/* SQLite calls xClose even when xOpen fails if pMethods is set */
	ff->base.pMethods = ff->real->pMethods ? &fault_methods : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *v, const char *n, int sync) { (void)v; return g_real->xDelete(g_real, n, sync); }
static int v_access(sqlite3_vfs *v, const char *n, int fl, int *out) { (void)v; return g_real->xAccess(g_real, n, fl, out); }
static int v_full(sqlite3_vfs *v, const char *n, int len, char *out) { (void)v; return g_real->xFullPathname(g_real, n, len, out); }
static void *v_dlopen(sqlite3_vfs *v, const char *n) { (void)v; return g_real->xDlOpen(g_real, n); }
static void v_dlerror(sqlite3_vfs *v, int n, char *m) { (void)v; g_real->xDlError(g_real, n, m); }
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { (void)v; return g_real->xDlSym(g_real, h, s); }
static void v_dlclose(sqlite3_vfs *v, void *h) { (void)v; g_real->xDlClose(g_real, h); }
static int v_random(sqlite3_vfs *v, int n, char *out) { (void)v; return g_real->xRandomness(g_real, n, out); }
static int v_sleep(sqlite3_vfs *v, int us) { (void)v; return g_real->xSleep(g_real, us); }
static int v_time(sqlite3_vfs *v, double *t) { (void)v; return g_real->xCurrentTime(g_real, t); }
static int v_lasterr(sqlite3_vfs *v, int n, char *m) { (void)v; return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, m) : 0; }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; return g_real->xCurrentTimeInt64(g_real, t); }

static sqlite3_vfs fault_vfs = {
	2, 0, 0, NULL, "fault", NULL,
	v_open, v_delete, v_access, v_full, v_dlopen, v_dlerror, v_dlsym, v_dlclose,
	v_random, v_sleep, v_time, v_lasterr, v_time64, NULL, NULL, NULL,
};

static void report(void)
{
	const char *log = getenv("KESU_FAULT_LOG");
	if (!log || !*log)
		return;
	FILE *f = fopen(log, "w");
	if (!f)
		return;
	fprintf(f, "%s %s %ld reads=%ld writes=%ld syncs=%ld\n", g_hit ? "hit" : "nohit",
	        op_names[g_op], g_k, g_reads, g_writes, g_syncs);
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *spec = getenv("KESU_FAULT");
	if (spec && *spec) {
		const char *colon = strchr(spec, ':');
		size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
		for (int i = OP_READ; i <= OP_FULL; i++)
			if (strlen(op_names[i]) == n && !strncmp(spec, op_names[i], n))
				g_op = (fault_op)i;
		g_k = colon ? strtol(colon + 1, NULL, 10) : 0;
		if (g_op == OP_NONE || g_k < 1) {
			fprintf(stderr, "kesu-fault: KESU_FAULT=%s: want read:K, write:K, sync:K or full:K\n", spec);
			return 2;
		}
	}
	if (sqlite3_initialize() != SQLITE_OK || !(g_real = sqlite3_vfs_find(NULL))) {
		fprintf(stderr, "kesu-fault: no default VFS\n");
		return 1;
	}
	fault_vfs.szOsFile = (int)sizeof(fault_file) + g_real->szOsFile;
	fault_vfs.mxPathname = g_real->mxPathname;
	if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK) {
		fprintf(stderr, "kesu-fault: cannot register the VFS\n");
		return 1;
	}
	atexit(report);
	return kesu_main(argc, argv);
}
