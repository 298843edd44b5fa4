/* queue.c — case lists with the filters and the visibility rules in SQL
 * (issue 10): queues ordered by due time, paged by OFFSET or keyset.
 *
 * The statements are built from the filter and the sight the core passes
 * (store.h, store_sight): the WHERE clause W, every value a bound
 * parameter. A list in due order is two parts,
 * each read from an index in order and stopped at the page's end:
 *   A. cases with a running clock (cases.next_due, kept by triggers,
 *      schema/013), earliest due first, ties by id;
 *   B. the others, newest first.
 * Lists leave recusal out of W: the rows of the page are read by id with a
 * flag saying whether the person is named in a recuse field, and the page
 * is refilled after its last row when some were. (Counts are lists:
 * core's case_count.) All in one read transaction. See docs/performance.md, "Queues". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "private.h"

/* ---- a statement under construction: text and its parameters in order ---- */

typedef struct qparam {
	bool is_text;
	char *text;      /* owned */
	long long i;
} qparam;

typedef struct qsql {
	char *buf;
	size_t n, cap;
	qparam *p;
	int np, pcap;
} qsql;

static void q_add(qsql *q, const char *t)
{
	size_t k = strlen(t);
	if (q->n + k + 1 > q->cap) {
		q->cap = (q->n + k + 1) * 2 + 256;
		q->buf = ks_realloc(q->buf, q->cap);
	}
	memcpy(q->buf + q->n, t, k + 1);
	q->n += k;
}

static qparam *q_bare(qsql *q);

/* A parameter: "?N" in the text (numbered: the bench's replay binds by name). */
static qparam *q_param(qsql *q)
{
	char tag[16];
	snprintf(tag, sizeof tag, "?%d", q->np + 1);
	q_add(q, tag);
	return q_bare(q);
}

static void q_text(qsql *q, const char *v)
{
	qparam *p = q_param(q);
	p->is_text = true;
	p->text = v ? ks_strdup(v) : NULL;
}

static void q_int(qsql *q, long long v)
{
	q_param(q)->i = v;
}

/* The JSON path of a top-level field key: $."key". */
static void q_path(qsql *q, const char *key)
{
	qparam *p = q_param(q);
	p->is_text = true;
	p->text = ks_asprintf("$.\"%s\"", key);
}

static void q_free(qsql *q)
{
	for (int i = 0; i < q->np; i++)
		free(q->p[i].text);
	free(q->p);
	free(q->buf);
	memset(q, 0, sizeof *q);
}

static sqlite3_stmt *q_prepare(store *s, const qsql *q, ks_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, q->buf, -1, &st, NULL) != SQLITE_OK) {
		store_db_err(s, err, "准备案件列表语句");
		return NULL;
	}
	for (int i = 0; i < q->np; i++) {
		if (!q->p[i].is_text)
			sqlite3_bind_int64(st, i + 1, q->p[i].i);
		else if (q->p[i].text)
			sqlite3_bind_text(st, i + 1, q->p[i].text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i + 1);
	}
	return st;
}

/* ---- the WHERE clause ---- */

/* The value of field key as the core compares it: a string as is, an
 * integer in decimal, anything else NULL. */
static void q_field_text(qsql *q, const char *key)
{
	q_add(q, "(CASE json_type(c.fields, ");
	q_path(q, key);
	q_add(q, ") WHEN 'text' THEN json_extract(c.fields, ");
	q_path(q, key);
	q_add(q, ") WHEN 'integer' THEN CAST(json_extract(c.fields, ");
	q_path(q, key);
	q_add(q, ") AS TEXT) END)");
}

/* A rule of the sight holds for case c. "+c.state" (no index for it), so
 * that SQLite reads the queue from its ordered index and stops at the page
 * rather than gathering every case of the rules' states, closed ones
 * included. */
static void q_rule(qsql *q, const store_sight *sg, const store_rule *r)
{
	q_add(q, "(+c.state IN (");
	for (size_t i = 0; i < r->nstates; i++) {
		if (i)
			q_add(q, ", ");
		q_text(q, r->states[i]);
	}
	q_add(q, ")");
	if (r->own_dept) {
		q_add(q, " AND c.dept = ");
		q_text(q, sg->dept);
	}
	if (r->registrant_only) {
		q_add(q, " AND c.registrant = ");
		q_text(q, sg->login);
	}
	if (r->assignee_only) {
		q_add(q, " AND c.assignee = ");
		q_text(q, sg->login);
	}
	if (r->amount_key) {
		/* an amount that is not an integer counts as 0 (case_may) */
		q_add(q, " AND (CASE json_type(c.fields, ");
		q_path(q, r->amount_key);
		q_add(q, ") WHEN 'integer' THEN json_extract(c.fields, ");
		q_path(q, r->amount_key);
		q_add(q, ") ELSE 0 END) <= ");
		q_int(q, r->max_amount);
	}
	for (size_t i = 0; i < r->nwhen; i++) {
		const store_cond *w = &r->when[i];
		q_add(q, " AND ");
		if (w->other_key) {
			q_field_text(q, w->key);
			q_add(q, " = ");
			q_field_text(q, w->other_key);
			continue;
		}
		if (!w->nvalues) {
			q_add(q, "0");
			continue;
		}
		q_field_text(q, w->key);
		q_add(q, " IN (");
		for (size_t k = 0; k < w->nvalues; k++) {
			if (k)
				q_add(q, ", ");
			q_text(q, w->values[k]);
		}
		q_add(q, ")");
	}
	q_add(q, ")");
}

/* Some rule of the sight holds ("may act now"). */
static void q_may_act(qsql *q, const store_sight *sg)
{
	size_t used = 0;
	q_add(q, "(");
	for (size_t i = 0; i < sg->nrules; i++) {
		if (!sg->rules[i].nstates)
			continue;
		if (used++)
			q_add(q, " OR ");
		q_rule(q, sg, &sg->rules[i]);
	}
	if (!used)
		q_add(q, "0");
	q_add(q, ")");
}

/* login is the registrant, the assignee or the actor of an event: checked
 * on each case as a queue's index is walked (an index probe into events),
 * not gathered first (someone who acted on most cases would gather them
 * all). */
static void q_involves(qsql *q, const char *login)
{
	q_add(q, "(+c.registrant = ");
	q_text(q, login);
	q_add(q, " OR +c.assignee = ");
	q_text(q, login);
	q_add(q, " OR EXISTS (SELECT 1 FROM events e WHERE e.actor = ");
	q_text(q, login);
	q_add(q, " AND e.case_id = c.id))");
}

/* W. Without the recusal terms: the rows of the page are checked instead
 * (store_case_list), so that a queue is ordered from its index entries
 * without reading every case's fields. (A count is a list: core's
 * case_count, so that the engine has the last word on each case.) */
static void q_where(qsql *q, const store_filter *f)
{
	q_add(q, "1");
	if (f->state) {
		q_add(q, " AND c.state = ");
		q_text(q, f->state);
	}
	if (f->dept) {
		q_add(q, " AND c.dept = ");
		q_text(q, f->dept);
	}
	if (f->overdue) {
		/* a running clock due before now: the earliest is */
		q_add(q, " AND c.next_due < ");
		q_int(q, f->now);
	}
	if (f->involving) {
		q_add(q, " AND ");
		q_involves(q, f->involving);
	}
	const store_sight *sg = f->sight;
	if (!sg) {
		if (f->todo)
			q_add(q, " AND 0");
		return;
	}
	if (f->todo) {
		q_add(q, " AND ");
		q_may_act(q, sg);
	} else if (sg->sees != STORE_SEES_ALL) {
		q_add(q, " AND (");
		q_involves(q, sg->login);
		if (sg->sees == STORE_SEES_DEPT && sg->dept) {
			q_add(q, " OR c.dept = ");
			q_text(q, sg->dept);
		}
		q_add(q, " OR ");
		q_may_act(q, sg);
		q_add(q, ")");
	}
}

/* ---- running the parts ---- */

typedef struct idrow {
	long long id;
	long long due;       /* 0: no running clock */
	long long created;
} idrow;

typedef struct idlist {
	idrow *v;
	size_t n, cap;
} idlist;

/* Run q, appending (id, due, created_at) rows to out. */
static ks_status q_ids(store *s, const qsql *q, idlist *out, ks_err *err)
{
	sqlite3_stmt *st = q_prepare(s, q, err);
	if (!st)
		return KS_FAIL;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 64;
			out->v = ks_realloc(out->v, out->cap * sizeof *out->v);
		}
		out->v[out->n++] = (idrow){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		                            sqlite3_column_int64(st, 2) };
	}
	ks_status rc = r == SQLITE_DONE ? KS_OK : store_db_err(s, err, "列出案件");
	sqlite3_finalize(st);
	return rc;
}

static ks_status q_scalar(store *s, const qsql *q, long long *out, ks_err *err)
{
	sqlite3_stmt *st = q_prepare(s, q, err);
	if (!st)
		return KS_FAIL;
	ks_status rc = KS_OK;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = store_db_err(s, err, "统计案件");
	sqlite3_finalize(st);
	return rc;
}

static void q_limit(qsql *q, long long limit, long long offset)
{
	q_add(q, " LIMIT ");
	q_int(q, limit > 0 ? limit : -1);
	q_add(q, " OFFSET ");
	q_int(q, offset > 0 ? offset : 0);
}

/* Part A: cases with a running clock, earliest due first (ties: lowest
 * id first), after the keyset (due, id) if after_due > 0. count: only
 * count them (into *count). */
static ks_status part_a(store *s, const store_filter *f, long long after_due, long long after_id, long long limit,
                        long long offset, idlist *out, long long *count, ks_err *err)
{
	qsql q = {0};
	if (count)
		q_add(&q, "SELECT COUNT(*) FROM (");
	q_add(&q, "SELECT c.id, c.next_due, c.created_at FROM cases c WHERE c.next_due IS NOT NULL AND ");
	q_where(&q, f);
	if (after_due > 0) {
		q_add(&q, " AND (c.next_due, c.id) > (");
		q_int(&q, after_due);
		q_add(&q, ", ");
		q_int(&q, after_id);
		q_add(&q, ")");
	}
	ks_status rc;
	if (count) {
		q_add(&q, ")");
		rc = q_scalar(s, &q, count, err);
	} else {
		q_add(&q, " ORDER BY c.next_due, c.id");
		q_limit(&q, limit, offset);
		rc = q_ids(s, &q, out, err);
	}
	q_free(&q);
	return rc;
}

/* Part B (due order): cases without a running clock, newest first; or
 * (newest order) every case, newest first. After the keyset (created, id)
 * if after_id > 0. */
static ks_status part_b(store *s, const store_filter *f, bool no_clock, long long after_created, long long after_id,
                        long long limit, long long offset, idlist *out, ks_err *err)
{
	qsql q = {0};
	/* Without a state SQLite would walk cases_created and read every
	 * newest case to skip the ones with a running clock (most of the
	 * newest): the partial index holds only the others. */
	q_add(&q, no_clock && !f->state ? "SELECT c.id, 0, c.created_at FROM cases c INDEXED BY cases_idle_created WHERE "
	                                : "SELECT c.id, 0, c.created_at FROM cases c WHERE ");
	if (no_clock)
		q_add(&q, "c.next_due IS NULL AND ");
	q_where(&q, f);
	if (after_id > 0) {
		q_add(&q, " AND (c.created_at, c.id) < (");
		q_int(&q, after_created);
		q_add(&q, ", ");
		q_int(&q, after_id);
		q_add(&q, ")");
	}
	q_add(&q, " ORDER BY c.created_at DESC, c.id DESC");
	q_limit(&q, limit, offset);
	ks_status rc = q_ids(s, &q, out, err);
	q_free(&q);
	return rc;
}

/* May some rule of sg let its person act (a rule with states)? */
static bool may_act_any(const store_sight *sg)
{
	for (size_t i = 0; sg && i < sg->nrules; i++)
		if (sg->rules[i].nstates)
			return true;
	return false;
}

/* The ids of the page, in order. */
static ks_status page_ids(store *s, const store_filter *f, idlist *ids, ks_err *err)
{
	/* 待办 of someone no rule lets act: nothing. (Not "WHERE … AND 0":
	 * with INDEXED BY, SQLite refuses a WHERE that is always false with
	 * "no query solution".) */
	if (f->todo && !may_act_any(f->sight))
		return KS_OK;
	long long limit = f->limit > 0 ? f->limit : 0, offset = f->offset > 0 ? f->offset : 0;
	const store_case *a = f->after;
	if (f->order != STORE_ORDER_DUE)
		return part_b(s, f, false, a ? a->created_at : 0, a ? a->id : 0, limit, offset, ids, err);
	ks_status rc;
	/* part A unless the page starts after a case without a running clock */
	if (!a || a->next_due > 0) {
		if ((rc = part_a(s, f, a ? a->next_due : 0, a ? a->id : 0, limit, offset, ids, NULL, err)))
			return rc;
		if (limit && (long long)ids->n >= limit)
			return KS_OK;
		if (ids->n > 0) {
			offset = 0;   /* the offset fell inside part A */
		} else if (offset > 0) {
			long long na = 0;
			if ((rc = part_a(s, f, a ? a->next_due : 0, a ? a->id : 0, 0, 0, NULL, &na, err)))
				return rc;
			offset = offset > na ? offset - na : 0;
		}
		a = NULL;
	}
	return part_b(s, f, true, a ? a->created_at : 0, a ? a->id : 0, limit ? limit - (long long)ids->n : 0,
	              offset, ids, err);
}

/* A parameter whose "?N" is already in the text. */
static qparam *q_bare(qsql *q)
{
	if (q->np == q->pcap) {
		q->pcap = q->pcap ? q->pcap * 2 : 16;
		q->p = ks_realloc(q->p, (size_t)q->pcap * sizeof *q->p);
	}
	qparam *p = &q->p[q->np++];
	memset(p, 0, sizeof *p);
	return p;
}

/* The statement reading one case of a page by id (?1, bound per row), with
 * its next due time and whether the person (?2) is named in one of the
 * recuse fields (?3, ?4, …: their paths). */
static void q_row(qsql *q, const store_filter *f)
{
	const store_sight *sg = f->sight;
	size_t nrec = sg ? sg->nrecuse : 0;
	q_add(q, "SELECT id, no, state, dept, assignee, registrant, customer, subject, fields, created_at, updated_at, "
	         "updated_by, version, next_due, (0");
	for (size_t i = 0; i < nrec; i++) {
		char part[64];
		snprintf(part, sizeof part, " OR json_extract(c.fields, ?%zu) IS ?2", i + 3);
		q_add(q, part);
	}
	q_add(q, ") FROM cases c WHERE id = ?1");
	q_bare(q);                                  /* ?1 */
	qparam *p = q_bare(q);                      /* ?2 */
	p->is_text = true;
	p->text = sg && sg->login ? ks_strdup(sg->login) : NULL;
	for (size_t i = 0; i < nrec; i++) {
		p = q_bare(q);
		p->is_text = true;
		p->text = ks_asprintf("$.\"%s\"", sg->recuse_keys[i]);
	}
}

ks_status store_case_list(store *s, const store_filter *f, store_case **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	bool own = sqlite3_get_autocommit(s->db);
	if (own && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_db_err(s, err, "列出案件");
	/* rows checked here (recusal, keep): an offset counts here too */
	bool recusal = (f->sight && f->sight->nrecuse > 0) || f->keep;
	qsql rq = {0};
	q_row(&rq, f);
	sqlite3_stmt *row = q_prepare(s, &rq, err);
	ks_status rc = row ? KS_OK : KS_FAIL;
	long long want = f->limit > 0 ? f->limit : 0;
	/* with recusal the rows are checked here, so an offset counts here too */
	long long skip = recusal && f->offset > 0 ? f->offset : 0;
	store_filter pf = *f;
	if (recusal)
		pf.offset = 0;
	store_case key = {0};
	store_case *v = NULL;
	size_t k = 0, cap = 0;
	while (!rc) {
		idlist ids = {0};
		pf.limit = want ? (int)(want - (long long)k + skip) : 0;
		if ((rc = page_ids(s, &pf, &ids, err)))
			break;
		for (size_t i = 0; !rc && i < ids.n; i++) {
			sqlite3_reset(row);
			sqlite3_bind_int64(row, 1, ids.v[i].id);
			int r = sqlite3_step(row);
			if (r == SQLITE_DONE)
				continue;   /* (cannot happen inside the read transaction) */
			if (r != SQLITE_ROW) {
				rc = store_db_err(s, err, "读取案件");
				break;
			}
			if (sqlite3_column_int(row, 14))
				continue;   /* named in a recuse field: not theirs to see */
			if (k == cap) {
				cap = cap ? cap * 2 : 16;
				v = ks_realloc(v, cap * sizeof *v);
			}
			memset(&v[k], 0, sizeof v[k]);
			store_read_case(row, &v[k]);
			bool kept = !f->keep || f->keep(f->keep_ctx, &v[k]);
			if (!kept || skip > 0) {
				if (kept)
					skip--;   /* a row the offset passes over */
				store_case_clear(&v[k]);
				continue;
			}
			k++;
		}
		bool exhausted = !pf.limit || (long long)ids.n < pf.limit;
		if (!rc && !exhausted && (!want || (long long)k < want) && ids.n) {
			/* recused rows came out of the page: the next ones after its last */
			const idrow *l = &ids.v[ids.n - 1];
			key = (store_case){ .id = l->id, .next_due = (time_t)l->due, .created_at = (time_t)l->created };
			pf.after = &key;
			pf.offset = 0;
			free(ids.v);
			continue;
		}
		free(ids.v);
		break;
	}
	if (row)
		sqlite3_finalize(row);
	q_free(&rq);
	if (own)
		sqlite3_exec(s->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	if (rc) {
		store_cases_free(v, k);
		return rc;
	}
	*out = v ? v : ks_calloc(1, sizeof *v);
	*n = k;
	return KS_OK;
}
