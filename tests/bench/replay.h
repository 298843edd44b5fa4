/* replay.h — the floor: record the SQL statements a piece of kesu runs (with
 * the values bound to them) and run exactly those statements again on a bare
 * SQLite connection. The time of the bare run is the floor a figure is
 * compared with: what SQLite alone needs for the same work.
 *
 * Recording: every connection the process opens gets a statement trace
 * (sqlite3_auto_extension + SQLITE_TRACE_STMT). For each statement started
 * while recording is on, the SQL text as prepared is kept, and the bound
 * values are read back from sqlite3_expanded_sql() by walking the two texts
 * side by side; replaying prepares the same text and binds the same values
 * to the same parameters, so SQLite plans it exactly as it did for kesu
 * (a literal in place of a parameter could be planned differently).
 *
 * A log can be saved to a file and replayed by another process (floor_sql). */
#ifndef KESU_BENCH_REPLAY_H
#define KESU_BENCH_REPLAY_H

#include <ctype.h>
#include <strings.h>
#include "bench.h"

typedef struct lparam {
	int idx;
	char type;           /* n i f t */
	long long i;
	double f;
	char *s;
	int n;
} lparam;

typedef struct lstmt {
	char *sql;
	lparam *p;
	int np;
	sqlite3_stmt *st;    /* prepared for a warm replay */
} lstmt;

typedef struct slog {
	lstmt *v;
	int n, cap;
} slog;

static slog *rec_log;    /* recording into this when not NULL */

static inline void slog_free(slog *l)
{
	for (int i = 0; i < l->n; i++) {
		for (int k = 0; k < l->v[i].np; k++)
			free(l->v[i].p[k].s);
		free(l->v[i].p);
		free(l->v[i].sql);
		if (l->v[i].st)
			sqlite3_finalize(l->v[i].st);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static inline lstmt *slog_add(slog *l, const char *sql)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	lstmt *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	s->sql = strdup(sql);
	return s;
}

static inline void lstmt_param(lstmt *s, lparam p)
{
	for (int i = 0; i < s->np; i++)
		if (s->p[i].idx == p.idx) {
			free(p.s);
			return;
		}
	s->p = realloc(s->p, (size_t)(s->np + 1) * sizeof *s->p);
	s->p[s->np++] = p;
}

/* Parse the literal sqlite3_expanded_sql wrote at *e into p; advance *e. */
static inline int parse_literal(const char **e, lparam *p)
{
	const char *x = *e;
	if (!strncmp(x, "NULL", 4)) {
		p->type = 'n';
		*e = x + 4;
		return 1;
	}
	if (*x == '\'') {
		size_t cap = 64, n = 0;
		char *buf = malloc(cap);
		for (x++;; x++) {
			if (!*x) {
				free(buf);
				return 0;
			}
			if (*x == '\'') {
				if (x[1] == '\'')
					x++;
				else
					break;
			}
			if (n + 2 > cap)
				buf = realloc(buf, cap *= 2);
			buf[n++] = *x;
		}
		buf[n] = '\0';
		p->type = 't';
		p->s = buf;
		p->n = (int)n;
		*e = x + 1;
		return 1;
	}
	char *end;
	long long v = strtoll(x, &end, 10);
	if (end != x && *end != '.' && *end != 'e' && *end != 'E') {
		p->type = 'i';
		p->i = v;
		*e = end;
		return 1;
	}
	double d = strtod(x, &end);
	if (end != x) {
		p->type = 'f';
		p->f = d;
		*e = end;
		return 1;
	}
	return 0;
}

/* Walk the SQL as prepared (u) and as expanded (e) together; every
 * parameter in u has its value at the same place in e. */
static inline void record_params(lstmt *s, sqlite3_stmt *st, const char *u, const char *e)
{
	while (*u && *e) {
		if (*u == '\'' || *u == '"') {
			char q = *u;
			if (*e != q)
				return;
			u++, e++;
			for (;;) {
				if (!*u || *u != *e)
					return;
				if (*u == q) {
					if (u[1] == q) {
						u += 2, e += 2;
						continue;
					}
					u++, e++;
					break;
				}
				u++, e++;
			}
			continue;
		}
		if ((*u == ':' || *u == '@' || *u == '$') && (isalnum((unsigned char)u[1]) || u[1] == '_')) {
			const char *n0 = u;
			u++;
			while (isalnum((unsigned char)*u) || *u == '_')
				u++;
			char name[64];
			snprintf(name, sizeof name, "%.*s", (int)(u - n0), n0);
			lparam p = { .idx = sqlite3_bind_parameter_index(st, name) };
			if (!parse_literal(&e, &p))
				return;
			if (p.idx > 0)
				lstmt_param(s, p);
			else
				free(p.s);
			continue;
		}
		if (*u == '?') {
			const char *n0 = u;
			u++;
			while (isdigit((unsigned char)*u))
				u++;
			char name[32];
			snprintf(name, sizeof name, "%.*s", (int)(u - n0), n0);
			lparam p = { .idx = u - n0 > 1 ? sqlite3_bind_parameter_index(st, name) : 1 };
			if (!parse_literal(&e, &p))
				return;
			if (p.idx > 0)
				lstmt_param(s, p);
			else
				free(p.s);
			continue;
		}
		if (*u != *e)
			return;
		u++, e++;
	}
}

static inline int trace_cb(unsigned type, void *ctx, void *P, void *X)
{
	(void)ctx;
	if (type != SQLITE_TRACE_STMT || !rec_log)
		return 0;
	const char *x = X;
	if (x && x[0] == '-' && x[1] == '-')
		return 0; /* a trigger */
	sqlite3_stmt *st = P;
	const char *sql = sqlite3_sql(st);
	if (!sql)
		return 0;
	/* transaction control (a read transaction around a list) is not
	 * replayed: measure replays inside its own transaction, which a COMMIT
	 * would end (and with it the index it dropped to compare) */
	if (!strncasecmp(sql, "BEGIN", 5) || !strncasecmp(sql, "COMMIT", 6) || !strncasecmp(sql, "ROLLBACK", 8) ||
	    !strncasecmp(sql, "END", 3))
		return 0;
	slog *keep = rec_log;
	rec_log = NULL;       /* sqlite3_expanded_sql runs nothing, but be safe */
	lstmt *s = slog_add(keep, sql);
	char *e = sqlite3_expanded_sql(st);
	if (e)
		record_params(s, st, sql, e);
	sqlite3_free(e);
	rec_log = keep;
	return 0;
}

static inline int trace_init(sqlite3 *db, char **err, const void *api)
{
	(void)err;
	(void)api;
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_cb, NULL);
	return SQLITE_OK;
}

/* Trace every connection opened from now on (call before opening any). */
static inline void replay_install(void)
{
	sqlite3_auto_extension((void (*)(void))trace_init);
}

static inline void bind_all(sqlite3_stmt *st, const lstmt *s)
{
	for (int k = 0; k < s->np; k++) {
		const lparam *p = &s->p[k];
		switch (p->type) {
		case 'n': sqlite3_bind_null(st, p->idx); break;
		case 'i': sqlite3_bind_int64(st, p->idx, p->i); break;
		case 'f': sqlite3_bind_double(st, p->idx, p->f); break;
		case 't': sqlite3_bind_text(st, p->idx, p->s, p->n, SQLITE_STATIC); break;
		}
	}
}

/* Run every statement of l on db, reading every column of every row; warm
 * keeps the prepared statements for the next run (as kesu's statement cache
 * does). Returns the rows read. */
static inline long replay_run(sqlite3 *db, slog *l, int warm)
{
	long rows = 0;
	for (int i = 0; i < l->n; i++) {
		lstmt *s = &l->v[i];
		sqlite3_stmt *st = s->st;
		if (!st && sqlite3_prepare_v2(db, s->sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "replay: %s\n  %s\n", sqlite3_errmsg(db), s->sql);
			continue;
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		bind_all(st, s);
		int r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			int nc = sqlite3_column_count(st);
			for (int c = 0; c < nc; c++) {
				if (sqlite3_column_type(st, c) == SQLITE_TEXT)
					(void)sqlite3_column_text(st, c);
				else
					(void)sqlite3_column_int64(st, c);
			}
			rows++;
		}
		if (warm)
			s->st = st, sqlite3_reset(st);
		else
			sqlite3_finalize(st);
	}
	return rows;
}

static inline void slog_save(const slog *l, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	for (int i = 0; i < l->n; i++) {
		const lstmt *s = &l->v[i];
		fprintf(f, "S %zu\n%s\n", strlen(s->sql), s->sql);
		for (int k = 0; k < s->np; k++) {
			const lparam *p = &s->p[k];
			if (p->type == 't')
				fprintf(f, "P %d t %d\n%.*s\n", p->idx, p->n, p->n, p->s);
			else if (p->type == 'i')
				fprintf(f, "P %d i %lld\n", p->idx, p->i);
			else if (p->type == 'f')
				fprintf(f, "P %d f %.17g\n", p->idx, p->f);
			else
				fprintf(f, "P %d n 0\n", p->idx);
		}
	}
	fclose(f);
}

static inline int slog_load(slog *l, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char kind;
	lstmt *cur = NULL;
	while (fscanf(f, " %c", &kind) == 1) {
		if (kind == 'S') {
			size_t n;
			if (fscanf(f, "%zu", &n) != 1 || fgetc(f) != '\n')
				break;
			char *sql = malloc(n + 1);
			if (fread(sql, 1, n, f) != n)
				break;
			sql[n] = '\0';
			cur = slog_add(l, sql);
			free(sql);
		} else if (kind == 'P' && cur) {
			lparam p = {0};
			if (fscanf(f, "%d %c", &p.idx, &p.type) != 2)
				break;
			if (p.type == 't') {
				if (fscanf(f, "%d", &p.n) != 1 || fgetc(f) != '\n')
					break;
				p.s = malloc((size_t)p.n + 1);
				if (fread(p.s, 1, (size_t)p.n, f) != (size_t)p.n)
					break;
				p.s[p.n] = '\0';
			} else if (p.type == 'i') {
				if (fscanf(f, "%lld", &p.i) != 1)
					break;
			} else if (p.type == 'f') {
				if (fscanf(f, "%lf", &p.f) != 1)
					break;
			} else {
				int z;
				if (fscanf(f, "%d", &z) != 1)
					break;
			}
			lstmt_param(cur, p);
		}
	}
	fclose(f);
	return 1;
}

#endif
