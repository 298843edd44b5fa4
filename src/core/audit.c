/* audit.c — hashing events into the chain, and checking the chain. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/archive.h"
#include "kesu/audit.h"
#include "kesu/sha256.h"

static const char zeros[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* A link of a hash chain: SHA-256 over the domain and prev (each with its
 * NUL as separator) and the canonical JSON of a (consumed); false when a
 * could not be built or dumped (invalid UTF-8). */
static bool chain_hash(json_t *a, const char *domain, const char *prev, char out[65])
{
	char *canon = a ? json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(a);
	if (!canon)
		return false;
	unsigned char md[32];
	ks_sha256 ctx;
	ks_sha256_init(&ctx);
	ks_sha256_update(&ctx, domain, strlen(domain) + 1);
	ks_sha256_update(&ctx, prev, strlen(prev) + 1);
	ks_sha256_update(&ctx, canon, strlen(canon));
	ks_sha256_final(&ctx, md);
	free(canon);
	ks_sha256_tohex(md, out);
	return true;
}

bool audit_compute(const char *case_no, const store_event *e, const char *prev, char out[65])
{
	out[0] = '\0';
	if (!case_no || !e->actor || !e->action || !e->to_state || !prev)
		return false;
	/* "s" refuses invalid UTF-8: json_pack then returns NULL */
	json_t *a = json_pack("[s, i, I, s, s, s?, s, s]", case_no, e->seq, (json_int_t)e->at,
	                      e->actor, e->action, e->from_state, e->to_state,
	                      e->fields ? e->fields : "{}");
	return chain_hash(a, "kesu-event-v1", prev, out);
}

bool audit_task_hash(const store_task_done *d, const char *prev, char out[65])
{
	out[0] = '\0';
	if (!d->task || !d->period || !d->by || !prev)
		return false;
	json_t *a = json_pack("[s, s, I, I, s, s?, s?]", d->task, d->period, (json_int_t)d->due_at, (json_int_t)d->at,
	                      d->by, d->note, d->report);
	return chain_hash(a, "kesu-task-v1", prev, out);
}

/* The completions of periodic tasks: their own chain, checked in id order;
 * want (a head's task part, "" if none) is looked for among the hashes. */
typedef struct tctx {
	char expect[65];
	char msg[512];
	long long bad_id;
	long long n;
	char last[65];           /* the newest completion's stored hash */
	const char *want;
	long long want_index;
	char want_task[64], want_period[32];
} tctx;

static bool on_task(void *p, const store_task_done *d)
{
	tctx *t = p;
	char h[65];
	t->n++;
	memcpy(t->last, d->hash, sizeof t->last);
	if (t->want[0] && !t->want_index && !strcmp(d->hash, t->want)) {
		t->want_index = t->n;
		snprintf(t->want_task, sizeof t->want_task, "%s", d->task ? d->task : "");
		snprintf(t->want_period, sizeof t->want_period, "%s", d->period ? d->period : "");
	}
	if (t->bad_id)
		return true; /* go on counting and looking for want */
	if (!audit_task_hash(d, d->prev_hash, h) || !d->hash[0] || strcmp(h, d->hash)) {
		snprintf(t->msg, sizeof t->msg, "周期任务 %s 第 %s 期的完成记录（id %lld）与它的哈希不符——该记录被修改过",
		         d->task ? d->task : "?", d->period ? d->period : "?", d->id);
		t->bad_id = d->id;
		return true;
	}
	if (strcmp(d->prev_hash, t->expect)) {
		snprintf(t->msg, sizeof t->msg, "周期任务 %s 第 %s 期的完成记录（id %lld）之前有完成记录被删除或调换了",
		         d->task ? d->task : "?", d->period ? d->period : "?", d->id);
		t->bad_id = d->id;
		return true;
	}
	memcpy(t->expect, d->hash, sizeof t->expect);
	return true;
}

static void head_text(const char *events, const char *tasks, char out[AUDIT_HEAD_TEXT])
{
	if (!strcmp(tasks, zeros))
		snprintf(out, AUDIT_HEAD_TEXT, "%s", events);
	else
		snprintf(out, AUDIT_HEAD_TEXT, "%s:%s", events, tasks);
}

ks_status audit_head_get(store *st, audit_head *h, ks_err *err)
{
	memset(h, 0, sizeof *h);
	ks_status rc = store_audit_heads(st, h->events, h->tasks, err);
	if (rc)
		return rc;
	head_text(h->events, h->tasks, h->text);
	return KS_OK;
}

/* 64 hex digits at s, lower-cased into out. */
static bool hex64(const char *s, size_t n, char out[65])
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return true;
}

void audit_hash_event(const char *case_no, store_event *e)
{
	char h[65];
	if (!audit_compute(case_no, e, e->prev_hash, h))
		abort(); /* core only hashes events it has just validated */
	memcpy(e->hash, h, sizeof h);
}

/* ---- verify -------------------------------------------------------------- */

typedef struct vrow {
	long long id, seq;
	char *case_no;           /* NULL: the case row is gone */
	char prev[65], hash[65]; /* as stored */
	bool content_ok;         /* recomputed hash == stored hash */
	bool cleared;            /* its payload was replaced by disposal (ARCHIVE_MARKER) */
} vrow;

/* A cleared event's stored hash as a later disposal event recorded it. */
typedef struct vpin {
	char *case_no;
	long long seq, by_id;    /* by_id: the disposal event */
	char hash[65];
} vpin;

typedef struct vcase {
	char *no;
	long long version, nevents, max_seq;
} vcase;

typedef struct vctx {
	vrow *rows;
	size_t n, cap;
	vcase *cases;
	size_t nc, capc;
	vpin *pins;
	size_t np;
} vctx;

static bool on_event(void *p, const char *case_no, const store_event *e)
{
	vctx *v = p;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->rows = ks_realloc(v->rows, v->cap * sizeof *v->rows);
	}
	vrow *w = &v->rows[v->n++];
	w->id = e->id;
	w->seq = e->seq;
	w->case_no = case_no ? ks_strdup(case_no) : NULL;
	memcpy(w->prev, e->prev_hash, sizeof w->prev);
	memcpy(w->hash, e->hash, sizeof w->hash);
	char h[65];
	w->content_ok = audit_compute(case_no, e, e->prev_hash, h) && e->hash[0] && !strcmp(h, e->hash);
	w->cleared = !w->content_ok && e->fields && !strcmp(e->fields, ARCHIVE_MARKER);
	/* a disposal event (itself checked like any other) pins the hashes of
	 * the events it cleared */
	if (w->content_ok && case_no && e->action && !strcmp(e->action, ARCHIVE_ACTION)) {
		json_t *o = json_loads(e->fields ? e->fields : "{}", 0, NULL);
		json_t *list = o ? json_object_get(o, "events") : NULL;
		size_t i;
		json_t *it;
		json_array_foreach(list, i, it) {
			json_t *sq = json_object_get(it, "seq"), *hs = json_object_get(it, "hash");
			if (!json_is_integer(sq) || !json_is_string(hs) || strlen(json_string_value(hs)) != 64)
				continue;
			v->pins = ks_realloc(v->pins, (v->np + 1) * sizeof *v->pins);
			vpin *p = &v->pins[v->np++];
			p->case_no = ks_strdup(case_no);
			p->seq = json_integer_value(sq);
			p->by_id = e->id;
			memcpy(p->hash, json_string_value(hs), 65);
		}
		json_decref(o);
	}
	return true;
}

/* A cleared event is intact when a later disposal event of its case recorded
 * its seq and stored hash: the hash is then covered by the chain through
 * that event, and the link to the next event is checked as for any other. */
static void accept_cleared(vctx *v)
{
	for (size_t i = 0; i < v->n; i++) {
		vrow *w = &v->rows[i];
		if (!w->cleared || !w->case_no)
			continue;
		for (size_t k = 0; k < v->np && !w->content_ok; k++) {
			const vpin *p = &v->pins[k];
			w->content_ok = p->by_id > w->id && p->seq == w->seq && !strcmp(p->case_no, w->case_no) &&
			                !strcmp(p->hash, w->hash);
		}
	}
}

static bool on_case(void *p, const char *no, long long version, long long nevents, long long max_seq)
{
	vctx *v = p;
	if (v->nc == v->capc) {
		v->capc = v->capc ? v->capc * 2 : 64;
		v->cases = ks_realloc(v->cases, v->capc * sizeof *v->cases);
	}
	v->cases[v->nc++] = (vcase){ ks_strdup(no ? no : ""), version, nevents, max_seq };
	return true;
}

static void vctx_free(vctx *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->rows[i].case_no);
	for (size_t i = 0; i < v->nc; i++)
		free(v->cases[i].no);
	for (size_t i = 0; i < v->np; i++)
		free(v->pins[i].case_no);
	free(v->pins);
	free(v->rows);
	free(v->cases);
}

/* Events ordered by case number, then seq, then id. */
static int by_case_seq(const void *a, const void *b)
{
	const vrow *x = *(const vrow *const *)a, *y = *(const vrow *const *)b;
	int c = strcmp(x->case_no, y->case_no);
	if (c)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static const vcase *find_case(const vctx *v, const char *no)
{
	for (size_t i = 0; i < v->nc; i++)
		if (!strcmp(v->cases[i].no, no))
			return &v->cases[i];
	return NULL;
}

/* A missing event (case, seq): a gap in a case's seqs 1..version. With
 * after_id/before_id (the ids around a break in the chain; 0 and
 * LLONG_MAX for "anywhere"), prefer the gap that lies between them. */
static bool find_missing(const vctx *v, long long after_id, long long before_id, char *no, size_t nno,
                         long long *seq)
{
	size_t m = 0;
	const vrow **ix = ks_malloc((v->n ? v->n : 1) * sizeof *ix);
	for (size_t i = 0; i < v->n; i++)
		if (v->rows[i].case_no)
			ix[m++] = &v->rows[i];
	qsort(ix, m, sizeof *ix, by_case_seq);
	bool found = false, exact = false;
	for (size_t i = 0; i < m && !exact;) {
		size_t j = i;
		while (j < m && !strcmp(ix[j]->case_no, ix[i]->case_no))
			j++;
		/* ix[i..j) is one case; look for the first seq that is not there */
		const vcase *c = find_case(v, ix[i]->case_no);
		long long want = 1, lo = 0;
		for (size_t k = i; k <= j && !exact; k++) {
			long long have = k < j ? ix[k]->seq : (c ? c->version + 1 : want);
			long long hi = k < j ? ix[k]->id : (long long)(~0ULL >> 1);
			if (have > want) {
				bool between = lo <= after_id && hi >= before_id;
				if (!found || between) {
					snprintf(no, nno, "%s", ix[i]->case_no);
					*seq = want;
					found = true;
					exact = between;
				}
			}
			if (k < j) {
				want = ix[k]->seq + 1;
				lo = ix[k]->id;
			}
		}
		i = j;
	}
	/* cases left with no events at all */
	for (size_t i = 0; i < v->nc && !exact; i++)
		if (v->cases[i].nevents == 0 && v->cases[i].version > 0) {
			snprintf(no, nno, "%s", v->cases[i].no);
			*seq = 1;
			found = exact = true;
		}
	free(ix);
	return found;
}

static void set_event(audit_result *r, audit_fault f, const vrow *w)
{
	r->fault = f;
	snprintf(r->case_no, sizeof r->case_no, "%s", w && w->case_no ? w->case_no : "");
	r->seq = w ? w->seq : 0;
	r->event_id = w ? w->id : 0;
}

/* Walk the chain in id order; fill r and msg with the first fault. */
static void check_chain(const vctx *v, audit_result *r, char *msg, size_t nmsg)
{
	const char *expect = zeros;
	for (size_t i = 0; i < v->n; i++) {
		const vrow *w = &v->rows[i];
		if (!w->case_no) {
			set_event(r, AUDIT_NO_CASE, w);
			snprintf(msg, nmsg, "事件 id %lld（所属案件的第 %lld 条）找不到它的案件记录——案件被删除或改动过",
			         w->id, w->seq);
			return;
		}
		if (!w->content_ok) {
			set_event(r, AUDIT_MODIFIED, w);
			snprintf(msg, nmsg, "案件 %s 第 %lld 条事件（id %lld）与它的哈希不符——该事件被修改过",
			         w->case_no, w->seq, w->id);
			return;
		}
		if (strcmp(w->prev, expect)) {
			const vrow *o = NULL;
			for (size_t j = 0; j < v->n && !o; j++)
				if (j != i && w->prev[0] && !strcmp(v->rows[j].hash, w->prev))
					o = &v->rows[j];
			if (o) {
				set_event(r, AUDIT_REORDERED, w);
				snprintf(msg, nmsg,
				         "案件 %s 第 %lld 条事件（id %lld）不在原来的位置：它本应紧跟在案件 %s 第 %lld 条事件"
				         "（现 id %lld）之后——事件的顺序被调换过",
				         w->case_no, w->seq, w->id, o->case_no ? o->case_no : "?", o->seq, o->id);
				return;
			}
			const vrow *before = i ? &v->rows[i - 1] : NULL;
			char no[64];
			long long seq;
			set_event(r, AUDIT_DELETED, w);
			if (find_missing(v, before ? before->id : 0, w->id, no, sizeof no, &seq)) {
				snprintf(r->case_no, sizeof r->case_no, "%s", no);
				r->seq = seq;
				r->event_id = 0;
				if (before)
					snprintf(msg, nmsg, "案件 %s 第 %lld 条事件被删除了（审计链在事件 id %lld 与 id %lld 之间断开）",
					         no, seq, before->id, w->id);
				else
					snprintf(msg, nmsg, "案件 %s 第 %lld 条事件被删除了（审计链在第一条事件 id %lld 之前断开）",
					         no, seq, w->id);
			} else {
				snprintf(msg, nmsg, "案件 %s 第 %lld 条事件（id %lld）之前有事件被删除了",
				         w->case_no, w->seq, w->id);
			}
			return;
		}
		expect = w->hash;
	}
	/* the chain holds together; the newest events of a case may still be
	 * gone (a deleted tail leaves no break): each case has events 1..version */
	for (size_t i = 0; i < v->nc; i++) {
		const vcase *c = &v->cases[i];
		if (c->nevents == c->version && c->max_seq == c->version)
			continue;
		if (c->nevents < c->version && c->nevents == c->max_seq) {
			r->fault = AUDIT_DELETED;
			snprintf(r->case_no, sizeof r->case_no, "%s", c->no);
			r->seq = c->max_seq + 1;
			snprintf(msg, nmsg, "案件 %s 第 %lld 条事件被删除了（案件的版本为 %lld，只剩 %lld 条事件）",
			         c->no, r->seq, c->version, c->nevents);
		} else {
			r->fault = AUDIT_MODIFIED;
			snprintf(r->case_no, sizeof r->case_no, "%s", c->no);
			r->seq = c->version;
			snprintf(msg, nmsg, "案件 %s 的版本为 %lld，却有 %lld 条事件（最大序号 %lld）——案件记录被修改过",
			         c->no, c->version, c->nevents, c->max_seq);
		}
		return;
	}
}

ks_status audit_verify(store *st, const char *head, audit_result *r, ks_err *err)
{
	memset(r, 0, sizeof *r);
	memcpy(r->head, zeros, sizeof zeros);
	memcpy(r->tasks_head, zeros, sizeof zeros);
	/* want: the events' part of head; want_t: its completions' part ("" if
	 * the head has none: recorded before any completion, or by an older kesu) */
	char want[65] = "", want_t[65] = "";
	if (head) {
		const char *colon = strchr(head, ':');
		size_t n = colon ? (size_t)(colon - head) : strlen(head);
		if (!hex64(head, n, want) || (colon && !hex64(colon + 1, strlen(colon + 1), want_t)))
			return ks_errf(err, KS_INVALID,
			               "--head 应为 kesu audit head 的输出：64 位十六进制的哈希，"
			               "或两段这样的哈希以 : 相连（事件链:周期任务完成记录链）");
	}
	vctx v = {0};
	ks_status rc = store_events_each(st, on_event, on_case, &v, err);
	if (rc) {
		vctx_free(&v);
		return rc;
	}
	accept_cleared(&v);
	r->nevents = (long long)v.n;
	if (v.n)
		memcpy(r->head, v.rows[v.n - 1].hash, sizeof r->head);
	char msg[768] = "";
	check_chain(&v, r, msg, sizeof msg);
	bool head_ok = true;
	if (head) {
		head_ok = !strcmp(want, zeros);
		for (size_t i = 0; i < v.n && !head_ok; i++)
			if (!strcmp(v.rows[i].hash, want)) {
				head_ok = true;
				r->head_index = (long long)i + 1;
				snprintf(r->head_case, sizeof r->head_case, "%s", v.rows[i].case_no ? v.rows[i].case_no : "");
				r->head_seq = v.rows[i].seq;
			}
	}
	vctx_free(&v);
	tctx t = { .want = want_t };
	memcpy(t.expect, zeros, sizeof zeros);
	memcpy(t.last, zeros, sizeof zeros);
	if ((rc = store_task_done_each(st, on_task, &t, err)))
		return rc;
	r->ntasks = t.n;
	memcpy(r->tasks_head, t.last, sizeof r->tasks_head);
	bool task_ok = !want_t[0] || !strcmp(want_t, zeros) || t.want_index;
	if (t.want_index) {
		r->head_task_index = t.want_index;
		snprintf(r->head_task, sizeof r->head_task, "%s", t.want_task);
		snprintf(r->head_period, sizeof r->head_period, "%s", t.want_period);
	}
	if (!r->fault && t.bad_id) {
		r->fault = AUDIT_MODIFIED;
		r->event_id = 0;
		snprintf(msg, sizeof msg, "%s", t.msg);
	}
	head_text(r->head, r->tasks_head, r->head_text);
	if (r->fault)
		return ks_errf(err, KS_FAIL, "审计链断裂：%s%s%s%s%s", msg,
		               head_ok ? "" : "；给出的头哈希也不在链中：", head_ok ? "" : want,
		               task_ok ? "" : "；给出的头哈希的周期任务部分也不在完成记录链中：", task_ok ? "" : want_t);
	if (!head_ok || !task_ok) {
		r->fault = AUDIT_HEAD_MISSING;
		char a[256] = "", b[256] = "";
		if (!head_ok)
			snprintf(a, sizeof a, "审计链中没有头哈希 %s：记下它之后，它和它之前的事件被改写或删除过（链现有 %lld 条事件）",
			         want, r->nevents);
		if (!task_ok)
			snprintf(b, sizeof b,
			         "周期任务完成记录链中没有头哈希 %s：记下它之后，它和它之前的完成记录被改写或删除过"
			         "（链现有 %lld 条完成记录）",
			         want_t, r->ntasks);
		return ks_errf(err, KS_FAIL, "%s%s%s", a, a[0] && b[0] ? "；" : "", b);
	}
	return KS_OK;
}
