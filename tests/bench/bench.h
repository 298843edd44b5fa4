/* bench.h — what the bench programs share (header-only, bench code only):
 * a seeded random generator, a monotonic clock, medians and percentiles,
 * and a few SQLite helpers for the bare-statement floors. */
#ifndef KESU_BENCH_H
#define KESU_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

/* ---- random: splitmix64, one stream per case so a case's plan does not
 * depend on the order cases are processed in ---- */
typedef struct rng {
	uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline rng rng_for(uint64_t seed, uint64_t stream)
{
	rng r = { seed * 0x9e3779b97f4a7c15ULL ^ (stream + 1) * 0xd1b54a32d192ed03ULL };
	rng_next(&r);
	return r;
}

/* 0 <= x < n */
static inline long rng_below(rng *r, long n)
{
	return n <= 1 ? 0 : (long)(rng_next(r) % (uint64_t)n);
}

/* lo <= x <= hi */
static inline long rng_range(rng *r, long lo, long hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* true with probability p (0..1) */
static inline int rng_chance(rng *r, double p)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

static inline double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#define PICK(r, arr) ((arr)[rng_below((r), (long)(sizeof(arr) / sizeof *(arr)))])

/* ---- time ---- */
static inline double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v in place. */
static inline double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, dbl_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The p-th percentile (0..100, nearest rank) of v; sorts v in place. */
static inline double percentile(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, dbl_cmp);
	size_t k = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

/* ---- SQLite ---- */
static inline sqlite3 *bench_open_raw(const char *path, int flags)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "?");
		exit(1);
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static inline void bench_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

static inline sqlite3_stmt *bench_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: prepare: %s\n  %s\n", sqlite3_errmsg(db), sql);
		exit(1);
	}
	return st;
}

/* The first column of the first row of sql as an integer (0 if none). */
static inline long long bench_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = bench_prepare(db, sql);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return v;
}

#endif
