/* gen.c — the bench data set: N complaint cases of the manufacturing preset
 * spread over 2017-01-01 … now, each with its whole history.
 *
 *   gen --data DIR --n N [--seed S]
 *       DIR was made by `kesu init --preset manufacturing`. Plays N cases in
 *       the order their actions happened. A producer thread computes every
 *       row as the engine does — form_fill for the values, audit_hash_event
 *       for the chain, the clocks as deadline_on_action does (calendar_due),
 *       copies_snapshot for the copies (联) a closure issues, the search text
 *       as search_index_case builds it, the penalty entries as
 *       penalty_on_action books them — and the main thread writes them
 *       through the store (store_case_insert, store_event_insert, …) in big
 *       transactions, checking every id it predicted.
 *
 *   gen --verify ENGINE_DIR FAST_DIR --n M [--seed S]
 *       The proof of that: plays the same M recent cases once through the
 *       real engine (case_register / case_do, one transaction per action,
 *       clock set to each action's time) into ENGINE_DIR and once through the
 *       fast path into FAST_DIR, then compares every row of every table
 *       (the FTS index by its content and docsize tables). Exit 0 only if
 *       they are identical.
 *
 * Deadlines. The working calendar has holiday data for 2025 and 2026 only,
 * and the engine refuses to count days in a year it knows nothing about.
 * The fast path mirrors deadline_on_action (src/core/deadline.c) and asks
 * calendar_due for every due time; only when calendar_due fails (a case of
 * 2017–2024) does it compute the due time itself, with weekends as the only
 * rest days, and records calendar_version "bench:no-holiday-data" so those
 * rows can be told apart. Every case of those years is finished (its clocks
 * stopped), so `kesu recompute` never meets them.
 *
 * Not generated: reminders (催办单, 治办单 — they come from cron running
 * `kesu remind`) and refused attempts. */
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/audit.h"
#include "kesu/case.h"
#include "kesu/casesearch.h"
#include "kesu/clock.h"
#include "kesu/copies.h"
#include "kesu/form.h"
#include "kesu/penalty.h"
#include "kesu/search.h"
#include "kesu/session.h"
#include "../../src/store/private.h"   /* the generator's own connection: cache size only */
#include "corpus.h"

#define MAXKV 16
#define MAXSTEPS 40
#define SYNTH_VERSION "bench:no-holiday-data"
#define BATCH 100000                 /* actions per transaction */
#define TZ_OFFSET (8 * 3600)         /* Asia/Shanghai, no DST since 1991 */

typedef struct step {
	time_t at;
	const char *actor;
	const char *action;              /* "new": registration */
	int nkv;
	const char *key[MAXKV];
	char *val[MAXKV];
} step;

/* One clock of the case being written (the fast path's copy of its row). */
typedef struct dl {
	bool exists;
	time_t started, due, stopped;
	const char *status, *label, *unit, *cv;
} dl;

typedef struct gcase {
	long idx;
	int nsteps, cur;
	step steps[MAXSTEPS];
	/* the case as written so far */
	char *no;
	long long id;
	const char *state, *dept, *registrant, *updated_by;
	char *customer, *subject;
	json_t *fields;
	time_t created_at;
	int version;
	store_event *ev;                 /* its events, fields owned */
	size_t nev, capev;
	json_t **formj;                  /* the fields of its form revisions, in order */
	size_t nforms;
	json_t **evj;                    /* the fields of its events, as objects */
	dl *dls;                         /* one per configured clock */
	int *rounds;                     /* per form: copies issued so far */
	struct booked { long long id; const char *login, *rule, *ref, *kind; long long fen; bool automatic, capped; } *booked;
	size_t nbooked;                  /* its penalty entries so far */
} gcase;

typedef struct opts {
	double p_reject, p_return, p_notaccept, p_reopen_closed, p_stuck, p_accused, p_foreign;
} opts;

static const opts normal_opts = { 0.04, 0.08, 0.08, 0.02, 0.02, 0.03, 0.15 };
static const opts verify_opts = { 0.10, 0.30, 0.25, 0.20, 0.10, 0.10, 0.30 };

static void die(const char *what, const ks_err *e)
{
	fprintf(stderr, "gen: %s: %s\n", what, e ? e->msg : "");
	exit(1);
}

/* ---- time helpers (local = UTC+8) ---- */

static time_t day_start_local(time_t t)
{
	return (t + TZ_OFFSET) / 86400 * 86400 - TZ_OFFSET;
}

static int weekday_local(time_t t) /* 0 = Monday */
{
	long days = (long)((t + TZ_OFFSET) / 86400); /* 1970-01-01 was a Thursday */
	return (int)((days + 3) % 7);
}

/* Move t into office hours (08:30–18:00), on a working day most of the time. */
static time_t office(rng *r, time_t t)
{
	time_t d = day_start_local(t);
	long sec = (long)(t - d);
	if (sec < 8 * 3600 + 1800 || sec > 18 * 3600) {
		if (sec > 18 * 3600)
			d += 86400;
		t = d + 8 * 3600 + 1800 + rng_below(r, 4 * 3600);
	}
	int wd = weekday_local(t);
	if (wd >= 5 && !rng_chance(r, 0.15))
		t += (7 - wd) * 86400;
	return t;
}

/* ---- planning a case ---- */

static void kv_add(step *s, const char *key, char *val)
{
	if (s->nkv >= MAXKV)
		abort();
	s->key[s->nkv] = key;
	s->val[s->nkv] = val;
	s->nkv++;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *p = NULL;
	if (vasprintf(&p, f, ap) < 0)
		abort();
	va_end(ap);
	return p;
}

static step *add_step(gcase *g, time_t at, const char *actor, const char *action)
{
	if (g->nsteps >= MAXSTEPS)
		return NULL;
	step *s = &g->steps[g->nsteps++];
	memset(s, 0, sizeof *s);
	s->at = at;
	s->actor = actor;
	s->action = action;
	return s;
}

static time_t later(rng *r, time_t t, long lo_min, long hi_min)
{
	return office(r, t + 60 * rng_range(r, lo_min, hi_min));
}

/* The approver whose limit covers loss_fen (-1: no amount recorded). */
static const char *approver_for(rng *r, long long loss_fen)
{
	if (loss_fen <= 500000) {
		double u = rng_unit(r);
		return u < 0.7 ? "yewujingli" : u < 0.9 ? "fuzong" : "zongjingli";
	}
	if (loss_fen <= 5000000)
		return rng_chance(r, 0.8) ? "fuzong" : "zongjingli";
	return "zongjingli";
}

typedef struct plan_state {
	rng *r;
	gcase *g;
	time_t t;
	const char *dept;
	const char *defect;
	long long loss;                  /* the case's current loss field, fen; -1 none */
} plan_state;

/* investigation → report → (return → report)* → approve; false if cut short. */
static bool plan_investigate(plan_state *p, const opts *o)
{
	rng *r = p->r;
	for (int round = 0;; round++) {
		p->t = later(r, p->t, 60, 5 * 24 * 60);
		const char *who = !strcmp(p->dept, "quality") ? (rng_chance(r, 0.7) ? "zhijian" : "zhiguan") : "shengchan";
		step *s = add_step(p->g, p->t, who, "report");
		if (!s)
			return false;
		kv_add(s, "cause", GEN_PICKS(r, c_cause, 2));
		kv_add(s, "process", gen_process(r, p->defect, p->t));
		kv_add(s, "responsible", gen_responsible(r));
		kv_add(s, "conclusion", strdup(PICK(r, c_conclusion)));
		kv_add(s, "countermeasure", GEN_PICKS(r, c_counter, 3));
		kv_add(s, "prevention", GEN_PICKS(r, c_prevent, 3));
		if (rng_chance(r, 0.7)) {
			double u = rng_unit(r);
			long yuan = u < 0.6 ? rng_range(r, 0, 5000) : u < 0.9 ? rng_range(r, 5001, 50000) : rng_range(r, 50001, 300000);
			long cents = rng_chance(r, 0.2) ? rng_range(r, 1, 99) : 0;
			if (cents)
				kv_add(s, "loss", fmt("%ld.%02ld", yuan, cents));
			else
				kv_add(s, "loss", fmt("%ld", yuan));
			p->loss = (long long)yuan * 100 + cents;
		}
		if (p->loss >= 0 && rng_chance(r, 0.5)) {
			/* 责任归属: who bears the loss (penalty.yaml books it at closure) */
			static const char *const q[] = { "zhijian:1000", "quality:1000", "zhijian:600,zhiguan:400",
			                                 "shengchan:700,quality:300" };
			static const char *const m[] = { "shengchan:1000", "manufacturing:1000", "shengchan:600,zhijian:400",
			                                 "manufacturing:800,quality:200" };
			kv_add(s, "responsibility", strdup(!strcmp(p->dept, "quality") ? PICK(r, q) : PICK(r, m)));
		}
		if (rng_chance(r, 0.6))
			kv_add(s, "prod_unit", strdup(rng_chance(r, 0.8) ? "manufacturing" : "quality"));
		if (rng_chance(r, 0.5))
			kv_add(s, "shift", strdup(PICK(r, c_shift)));
		if (rng_chance(r, 0.3)) {
			sbuf b = {0};
			gen_person(r, &b);
			sb_add(&b, "、");
			gen_person(r, &b);
			kv_add(s, "prod_staff", sb_take(&b));
		}
		if (rng_chance(r, 0.4)) {
			struct tm tm;
			time_t pd = p->t - 86400 * rng_range(r, 3, 120) + TZ_OFFSET;
			gmtime_r(&pd, &tm);
			kv_add(s, "prod_date", fmt("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
		}
		p->t = later(r, p->t, 30, 2 * 24 * 60);
		if (round < 2 && rng_chance(r, o->p_return)) {
			s = add_step(p->g, p->t, rng_chance(r, 0.5) ? "guanli" : approver_for(r, p->loss), "return");
			if (!s)
				return false;
			kv_add(s, "reason", strdup(PICK(r, c_return)));
			continue;
		}
		s = add_step(p->g, p->t, approver_for(r, p->loss), "approve");
		if (!s)
			return false;
		kv_add(s, "decision", strdup(PICK(r, c_decision)));
		return true;
	}
}

/* reply → (not accepted → reopen → investigate → reply)* → close. */
static bool plan_finish(plan_state *p, const opts *o)
{
	rng *r = p->r;
	for (int round = 0;; round++) {
		p->t = later(r, p->t, 60, 3 * 24 * 60);
		step *s = add_step(p->g, p->t, "qiantai", "reply");
		if (!s)
			return false;
		bool ok = round >= 1 || !rng_chance(r, o->p_notaccept);
		kv_add(s, "method", strdup(rng_chance(r, 0.6) ? "phone" : "letter"));
		kv_add(s, "accepted", strdup(ok ? "yes" : "no"));
		if (rng_chance(r, 0.8))
			kv_add(s, "answer", strdup(PICK(r, c_answer)));
		if (!ok) {
			p->t = later(r, p->t, 60, 2 * 24 * 60);
			s = add_step(p->g, p->t, rng_chance(r, 0.5) ? "guanli" : "qiantai", "reopen");
			if (!s)
				return false;
			kv_add(s, "reason", strdup(PICK(r, c_reopen)));
			if (!plan_investigate(p, o))
				return false;
			continue;
		}
		p->t = later(r, p->t, 30, 2 * 24 * 60);
		return add_step(p->g, p->t, "zongjingli", "close") != NULL;
	}
}

/* Plan case g registered at t0; steps after end are dropped (the case is
 * still open "now"). */
static void plan_case(gcase *g, uint64_t seed, time_t t0, time_t end, const opts *o)
{
	rng rr = rng_for(seed, (uint64_t)g->idx), *r = &rr;
	bool foreign = rng_chance(r, o->p_foreign);
	bool quality = rng_chance(r, 0.85);
	const char *product = PICK(r, c_product), *defect = PICK(r, c_defect), *issue = PICK(r, c_nonquality);
	const char *dept = rng_chance(r, 0.65) ? "quality" : "manufacturing";
	step *s = add_step(g, t0, "qiantai", "new");
	kv_add(s, "customer", gen_customer(r, foreign));
	kv_add(s, "contact", gen_contact(r, foreign));
	static const char *const ch_dom[] = { "phone", "phone", "phone", "letter", "visit", "email", "chat", "chat" };
	kv_add(s, "channel", strdup(foreign ? (rng_chance(r, 0.8) ? "email" : "phone") : PICK(r, ch_dom)));
	kv_add(s, "region", strdup(foreign ? "foreign" : "domestic"));
	kv_add(s, "category", strdup(quality ? "quality" : "nonquality"));
	kv_add(s, "subject", quality ? fmt("%s%s", product, defect) : strdup(issue));
	long qty = rng_chance(r, 0.6) ? rng_range(r, 10, 20000) : 0;
	kv_add(s, "detail", gen_detail(r, quality, product, defect, issue, qty));
	if (rng_chance(r, o->p_accused))
		kv_add(s, "accused", strdup(!strcmp(dept, "quality") ? "shengchan" : "zhijian"));
	if (rng_chance(r, 0.8)) {
		static const char *const req[] = { "discount", "return", "exchange", "compensation", "suggestion" };
		kv_add(s, "request", strdup(quality ? PICK(r, req) : "suggestion"));
	}
	if (rng_chance(r, 0.7)) {
		struct tm tm;
		time_t od = t0 - 86400 * rng_range(r, 5, 90) + TZ_OFFSET;
		gmtime_r(&od, &tm);
		kv_add(s, "order_no", fmt("%s-%02d%02d-%04ld", foreign ? "EX" : "SO", tm.tm_year % 100, tm.tm_mon + 1,
		                          rng_range(r, 1, 9999)));
	}
	if (rng_chance(r, 0.6))
		kv_add(s, "part_no", fmt("%c%c-%ld-%c", (char)('A' + rng_below(r, 26)), (char)('A' + rng_below(r, 26)),
		                         rng_range(r, 100, 999), (char)('A' + rng_below(r, 6))));
	if (rng_chance(r, 0.6)) {
		struct tm tm;
		time_t sd = t0 - 86400 * rng_range(r, 2, 60) + TZ_OFFSET;
		gmtime_r(&sd, &tm);
		kv_add(s, "ship_date", fmt("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
	}
	if (qty)
		kv_add(s, "qty", fmt("%ld", qty));
	if (quality && rng_chance(r, 0.5))
		kv_add(s, "defect_qty", rng_chance(r, 0.15) ? strdup("pending") : fmt("%ld", rng_range(r, 1, qty ? qty : 500)));

	plan_state p = { r, g, t0, dept, defect, -1 };
	/* a few cases stall for months at some stage (2025 on: the calendar can time them) */
	int stuck_at = t0 >= 1735660800 && rng_chance(r, o->p_stuck) ? (int)rng_range(r, 1, 5) : 0;
	p.t = later(r, p.t, 10, 6 * 60);
	if (rng_chance(r, o->p_reject)) {
		s = add_step(g, p.t, "guanli", "reject");
		kv_add(s, "reason", strdup(PICK(r, c_reject)));
		goto cut;
	}
	add_step(g, p.t, "guanli", "accept");
	p.t = later(r, p.t, 10, 30 * 60);
	s = add_step(g, p.t, "guanli", "assign");
	kv_add(s, "dept", strdup(dept));
	if (plan_investigate(&p, o) && plan_finish(&p, o) && rng_chance(r, o->p_reopen_closed)) {
		p.t = later(r, p.t, 3 * 24 * 60, 60 * 24 * 60);
		s = add_step(g, p.t, rng_chance(r, 0.5) ? "guanli" : "qiantai", "reopen");
		if (s) {
			kv_add(s, "reason", strdup(PICK(r, c_reopen)));
			if (plan_investigate(&p, o))
				plan_finish(&p, o);
		}
	}
cut:
	if (stuck_at && stuck_at < g->nsteps) {
		time_t shift = 86400 * rng_range(r, 60, 500);
		for (int i = stuck_at; i < g->nsteps; i++)
			g->steps[i].at += shift;
	}
	/* drop what has not happened yet */
	for (int i = 1; i < g->nsteps; i++)
		if (g->steps[i].at > end || g->steps[i].at < g->steps[i - 1].at) {
			for (int k = i; k < g->nsteps; k++)
				for (int j = 0; j < g->steps[k].nkv; j++)
					free(g->steps[k].val[j]);
			g->nsteps = i;
			break;
		}
}

/* ---- what the engine would write ----
 *
 * The fast path is two threads. The producer plays the cases in time order
 * and computes every row exactly as the engine does — form_fill for the
 * values, the fields merged and dumped as case.c does, audit_hash_event for
 * the chain, the clocks as deadline_on_action does, copies_snapshot for the
 * copies a closure issues, the search text as search_index_case builds it —
 * with the ids the rows will get (the tables start empty, so ids are
 * sequential). The main thread writes them through the store
 * (store_case_insert, store_event_insert, …) in transactions of BATCH
 * actions and checks every id against the prediction. */

typedef struct gen {
	session *s;
	bool engine;                     /* play through case_register/case_do instead */
	char last_hash[65];
	long long nactions, ncases, nsynthetic;
	long long next_case_id, next_event_id, next_penalty_id;
	double cpu_producer, cpu_writer;      /* CPU seconds of the two threads */
	struct { char *period; long long last; } *seqs;
	size_t nseqs;
} gen;

typedef struct bundle {
	struct bundle *next;
	bool reg, finishes;
	const conf_action *a;            /* the action (NULL: registration) */
	char *period;                    /* reg: the number_seq period and the number expected */
	long long seq;
	store_case c;                    /* reg: inserted; else updated from old_version */
	int old_version;
	store_event e;
	long long event_id;
	const char *form;
	char *owned[40];                 /* strings the rows point to */
	int nowned;
	store_deadline dl[8];
	int ndl;
	store_copy cp[16];
	int ncp;
	struct {
		store_penalty e;
		long long id;                    /* predicted */
		store_copy notices[8];           /* its 奖罚通知单 copies */
		int nnotices;
	} pen[16];
	int npen;
	long long search_id;
	char *search_text;
} bundle;

static char *own(bundle *b, char *s)
{
	if (b->nowned >= (int)(sizeof b->owned / sizeof *b->owned))
		abort();
	b->owned[b->nowned++] = s;
	return s;
}

static void bundle_free(bundle *b)
{
	for (int i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b->period);
	free(b->search_text);
	free(b);
}

static char *dump(const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		abort();
	return s;
}

/* src/core/case.c number_format(), which is static there. */
static char *number_format(const char *f, time_t t, long long seq)
{
	struct tm tm;
	clock_local(t, &tm);
	sbuf b = {0};
	for (const char *p = f; *p;) {
		if (!strncmp(p, "{YYYY}", 6)) {
			sb_addf(&b, "%04d", tm.tm_year + 1900);
			p += 6;
		} else if (!strncmp(p, "{YY}", 4)) {
			sb_addf(&b, "%02d", tm.tm_year % 100);
			p += 4;
		} else if (!strncmp(p, "{MM}", 4)) {
			sb_addf(&b, "%02d", tm.tm_mon + 1);
			p += 4;
		} else if (!strncmp(p, "{DD}", 4)) {
			sb_addf(&b, "%02d", tm.tm_mday);
			p += 4;
		} else if (!strncmp(p, "{SEQ", 4) && strchr(p, '}')) {
			int width = 1;
			if (p[4] == ':')
				width = atoi(p + 5);
			if (width < 1 || width > 12)
				width = 1;
			if (seq >= 0)
				sb_addf(&b, "%0*lld", width, seq);
			else
				sb_add(&b, "#");
			p = strchr(p, '}') + 1;
		} else {
			char one[2] = { *p++, 0 };
			sb_add(&b, one);
		}
	}
	return sb_take(&b);
}

static long long next_seq(gen *g, const char *period)
{
	for (size_t i = 0; i < g->nseqs; i++)
		if (!strcmp(g->seqs[i].period, period))
			return ++g->seqs[i].last;
	g->seqs = realloc(g->seqs, (g->nseqs + 1) * sizeof *g->seqs);
	g->seqs[g->nseqs].period = strdup(period);
	g->seqs[g->nseqs].last = 1;
	g->nseqs++;
	return 1;
}

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* paused_seconds (src/core/deadline.c): time in paused states since start,
 * elapsed, or working seconds for a clock counted in working time. -1 if the
 * calendar cannot count it (a year without data). */
static long long paused_seconds(const conf *cf, const conf_clock *k, time_t start, const store_event *ev,
                                size_t nev, time_t now)
{
	bool work = k->limit.unit == CALENDAR_WORKDAYS || k->limit.unit == CALENDAR_WORKHOURS;
	long long total = 0;
	for (size_t i = 0; i < nev; i++) {
		if (!conf_is_pause_state(cf, ev[i].to_state))
			continue;
		time_t from = ev[i].at, to = i + 1 < nev ? ev[i + 1].at : now;
		if (from < start)
			from = start;
		if (to <= from)
			continue;
		if (!work) {
			total += to - from;
			continue;
		}
		long minutes;
		if (calendar_work_minutes(k->cal, from, to, &minutes, NULL) != KS_OK)
			return -1;
		total += minutes * 60LL;
	}
	return total;
}

/* The due time without holiday data: weekends are the only rest days. */
static time_t synthetic_due(time_t start, const calendar_duration *d)
{
	const time_t close = 17 * 3600 + 1800; /* end of the last working period, 17:30 */
	time_t day = day_start_local(start);
	switch (d->unit) {
	case CALENDAR_MINUTES: return start + d->n * 60;
	case CALENDAR_HOURS: return start + d->n * 3600;
	case CALENDAR_WORKHOURS: return start + d->n * 3600 * 24 / 8; /* roughly a working day per 8 h */
	case CALENDAR_MONTHS:   /* roughly: no preset's clock counts in months */
	case CALENDAR_DAYS:
		day += 86400 * d->n * (d->unit == CALENDAR_MONTHS ? 30 : 1);
		if (d->roll == CALENDAR_ROLL_NEXT)
			while (weekday_local(day) >= 5)
				day += 86400;
		break;
	case CALENDAR_WORKDAYS:
		for (long k = 0; k < d->n || weekday_local(day) >= 5;) {
			day += 86400;
			if (weekday_local(day) < 5)
				k++;
			if (k >= d->n && weekday_local(day) < 5)
				break;
		}
		break;
	}
	return d->end == CALENDAR_END_CLOSE ? day + close : day + 86400;
}

/* compute_due (src/core/deadline.c) on the clock's own calendar; without
 * holiday data, the weekends-only due time (see the top of this file). */
static time_t compute_due(gen *g, gcase *c, const conf_clock *k, time_t start, time_t now, const char **cv)
{
	time_t due;
	const conf *cf = g->s->cf;
	long long paused = paused_seconds(cf, k, start, c->ev, c->nev, now);
	bool work = k->limit.unit == CALENDAR_WORKDAYS || k->limit.unit == CALENDAR_WORKHOURS;
	if (paused >= 0 && calendar_due(k->cal, start, &k->limit, &due, NULL) == KS_OK &&
	    (!work || calendar_add_work(k->cal, due, paused, &due, NULL) == KS_OK)) {
		if (!work)
			due += (time_t)paused;
		*cv = calendar_version(k->cal);
		return due;
	}
	g->nsynthetic++;
	*cv = SYNTH_VERSION;
	return synthetic_due(start, &k->limit) + (time_t)(paused > 0 ? paused : 0);
}

static void put_deadline(bundle *b, gcase *c, const conf_clock *k, const dl *d)
{
	if (b->ndl >= 8)
		abort();
	b->dl[b->ndl++] = (store_deadline){ .case_id = c->id, .clock = k->code, .label = (char *)d->label,
	                                    .unit = (char *)d->unit, .started_at = d->started, .due_at = d->due,
	                                    .stopped_at = d->stopped, .status = (char *)d->status,
	                                    .calendar_version = (char *)d->cv };
}

/* deadline_on_action (src/core/deadline.c), on the case's clocks in memory. */
static void clocks_on_action(gen *g, bundle *b, gcase *c, const char *action, const json_t *fields, time_t now)
{
	const conf *cf = g->s->cf;
	bool paused = conf_is_pause_state(cf, c->state);
	for (size_t i = 0; i < cf->nclocks; i++) {
		const conf_clock *k = &cf->clocks[i];
		dl *d = &c->dls[i];
		bool open = d->exists && !d->stopped;
		bool starts = in_list(k->start, k->nstart, action) && case_conds_hold(fields, k->when, k->nwhen, c->created_at);
		bool stops = in_list(k->stop, k->nstop, action);
		bool supersedes = in_list(k->supersede, k->nsupersede, action);
		if (open && (stops || supersedes)) {
			d->stopped = now;
			d->status = now > d->due ? "breached" : stops ? "met" : "superseded";
			put_deadline(b, c, k, d);
			open = false;
		}
		if (starts) {
			dl nd = { .exists = true, .started = now, .status = paused ? "paused" : "running", .label = k->label,
			          .unit = calendar_unit_name(k->limit.unit) };
			nd.due = compute_due(g, c, k, now, now, &nd.cv);
			*d = nd;
			put_deadline(b, c, k, d);
		} else if (open) {
			const char *cv;
			time_t due = compute_due(g, c, k, d->started, now, &cv);
			const char *st = paused ? "paused" : "running";
			if (due != d->due || strcmp(st, d->status)) {
				d->due = due;
				d->status = st;
				put_deadline(b, c, k, d);
			}
		}
	}
}

/* Record event e of case c (its id, the chain) and keep it for the
 * snapshots and the search text. fields (the text) is taken; obj is its
 * object (a reference is taken). */
static void add_event(gen *g, bundle *b, gcase *c, store_event e, char *fields, json_t *obj)
{
	e.id = ++g->next_event_id;
	e.case_id = c->id;
	e.fields = fields;
	memcpy(e.prev_hash, g->last_hash, sizeof e.prev_hash);
	audit_hash_event(c->no, &e);
	memcpy(g->last_hash, e.hash, sizeof g->last_hash);
	if (c->nev == c->capev) {
		c->capev = c->capev ? c->capev * 2 : 16;
		c->ev = realloc(c->ev, c->capev * sizeof *c->ev);
		c->evj = realloc(c->evj, c->capev * sizeof *c->evj);
	}
	c->evj[c->nev] = json_incref(obj);
	c->ev[c->nev++] = e;
	b->e = e;
	b->e.fields = own(b, strdup(fields));
	b->event_id = e.id;
}

static void add_form(bundle *b, gcase *c, const char *form, const char *fields, json_t *obj)
{
	if (!form || !strncmp(form, "action:", 7))
		return;
	b->form = form;
	(void)fields;
	c->formj = realloc(c->formj, (c->nforms + 1) * sizeof *c->formj);
	c->formj[c->nforms++] = json_incref(obj);
}

static void fill_kv(const step *st, form_kv *kv)
{
	for (int i = 0; i < st->nkv; i++)
		kv[i] = (form_kv){ st->key[i], st->val[i], strlen(st->val[i]) };
}

static void produce_register(gen *g, bundle *b, gcase *c, const step *st)
{
	const conf *cf = g->s->cf;
	ks_err err;
	form_kv kv[MAXKV];
	fill_kv(st, kv);
	json_t *fields = NULL;
	if (form_fill(cf, conf_find_form(cf, cf->intake_form), kv, (size_t)st->nkv, &fields, &err))
		die("intake form", &err);
	const char *dept = NULL;
	for (size_t i = 0; i < cf->nroutes && !dept; i++)
		if (case_conds_hold(fields, cf->routes[i].when, cf->routes[i].nwhen, st->at))
			dept = cf->routes[i].dept;
	time_t now = st->at;
	b->reg = true;
	b->period = number_format(cf->number_format, now, -1);
	b->seq = next_seq(g, b->period);
	c->no = number_format(cf->number_format, now, b->seq);
	c->id = ++g->next_case_id;
	c->state = cf->initial_state;
	c->dept = dept;
	c->registrant = c->updated_by = conf_find_staff(cf, st->actor)->login;
	const char *cu = cf->customer_field ? json_string_value(json_object_get(fields, cf->customer_field)) : NULL;
	const char *su = cf->subject_field ? json_string_value(json_object_get(fields, cf->subject_field)) : NULL;
	c->customer = cu ? strdup(cu) : NULL;
	c->subject = su ? strdup(su) : NULL;
	c->fields = fields;
	c->created_at = now;
	c->version = 1;
	c->dls = calloc(cf->nclocks ? cf->nclocks : 1, sizeof *c->dls);
	c->rounds = calloc(cf->nforms ? cf->nforms : 1, sizeof *c->rounds);
	char *text = dump(fields);
	b->c = (store_case){ .id = c->id, .no = own(b, strdup(c->no)), .state = (char *)c->state, .dept = (char *)c->dept,
	                     .registrant = (char *)c->registrant, .customer = c->customer ? own(b, strdup(c->customer)) : NULL,
	                     .subject = c->subject ? own(b, strdup(c->subject)) : NULL, .fields = own(b, strdup(text)),
	                     .created_at = now, .updated_at = now, .updated_by = (char *)c->updated_by, .version = 1 };
	store_event e = { .seq = 1, .at = now, .actor = (char *)c->registrant, .action = "new",
	                  .to_state = (char *)c->state };
	json_t *snapshot = json_copy(fields); /* the case's fields change later; the event's do not */
	add_event(g, b, c, e, text, snapshot);
	add_form(b, c, cf->intake_form, text, snapshot);
	json_decref(snapshot);
	clocks_on_action(g, b, c, "new", fields, now);
}

/* copies_on_action (src/core/copies.c), from the events in memory. */
static void issue_copies(gen *g, bundle *b, gcase *c, const store_case *nc, const conf_action *a, const char *me,
                         time_t now)
{
	const conf *cf = g->s->cf;
	for (size_t i = 0; i < a->nissues; i++) {
		const conf_form *f = conf_find_form(cf, a->issues[i]);
		if (!f || !f->ncopies)
			continue;
		if (a->issues_when && !case_conds_hold(c->fields, a->issues_when[i], a->nissues_when[i], c->created_at))
			continue;   /* as copies_on_action: issued only for some outcomes */
		json_t *snap = copies_snapshot(cf, f, nc, c->ev, c->nev);
		char at[24];
		clock_short(now, at, sizeof at);
		const conf_staff *who = conf_find_staff(cf, me);
		json_object_set_new(snap, "issued", json_pack("{s:s, s:s, s:s}", "at", at, "by", me, "by_name",
		                                              who ? who->name : me));
		char *text = json_dumps(snap, JSON_COMPACT);
		json_decref(snap);
		if (!text)
			abort();
		own(b, text);
		int round = ++c->rounds[f - cf->forms];
		for (size_t k = 0; k < f->ncopies; k++) {
			const conf_copy *p = &f->copies[k];
			const conf_dept *d = conf_find_dept(cf, p->holder);
			if (b->ncp >= 16)
				abort();
			b->cp[b->ncp++] = (store_copy){
				.case_id = c->id, .event_id = c->ev[c->nev - 1].id, .form = f->code, .round = round,
				.copy_no = p->no, .holder = p->holder, .holder_name = d ? d->name : p->holder,
				.purpose = p->purpose, .issued_at = now, .issued_by = (char *)me, .snapshot = text,
			};
		}
	}
}

/* ---- penalties: penalty_on_action (src/core/penalty.c), from memory ----
 * The engine reads the case's earlier entries with store_penalties, whose
 * "(:case_id = 0 OR case_id = :case_id)" scans the whole ledger: at closure
 * after closure that is quadratic in the number of cases, so the generator
 * keeps each case's entries itself. */

static long long loss_delta(const gcase *c, const char *login, const char *rule, const char *ref, long long want,
                            long long *last)
{
	long long sum = 0, manual = 0;
	*last = 0;
	for (size_t i = 0; i < c->nbooked; i++) {
		const struct booked *h = &c->booked[i];
		if (strcmp(h->login, login) || strcmp(h->rule, rule) || strcmp(h->ref, ref))
			continue;
		if (h->automatic && !strcmp(h->kind, "loss")) {
			sum += h->fen;
			if (h->fen > 0)
				*last = h->id;
		} else if (!h->automatic && !strcmp(h->kind, "reversal")) {
			manual += h->fen;
		}
	}
	long long delta = want - sum, still = sum + manual;
	if (delta < 0 && -delta > still)
		delta = still > 0 ? -still : 0;
	return delta;
}

/* book() in src/core/penalty.c, with penalty_notice_issue (src/core/penalty_notice.c). */
static void book(gen *g, bundle *b, gcase *c, store_penalty e, const char *case_no)
{
	const conf *cf = g->s->cf;
	const penconf *p = cf->penalty;
	if (b->npen >= 16)
		abort();
	long long id = ++g->next_penalty_id;
	b->pen[b->npen].e = e;
	b->pen[b->npen].id = id;
	b->pen[b->npen].nnotices = 0;
	const conf_form *f = penconf_notice_form(cf, p);
	if (f && f->ncopies) {
		if (f < cf->forms || f >= cf->forms + cf->nforms)
			die("penalty.yaml's notice is in the older spelling (title, copies); the generator wants notice.form", NULL);
		e.id = id;
		json_t *snap = penalty_notice_snapshot(cf, f, &e, case_no, e.by, e.at);
		char *text = json_dumps(snap, JSON_COMPACT);
		json_decref(snap);
		if (!text)
			abort();
		own(b, text);
		int round = ++c->rounds[f - cf->forms];
		for (size_t i = 0; i < f->ncopies; i++) {
			const char *kind, *holder, *name;
			penalty_notice_holder(cf, &f->copies[i], e.login, &kind, &holder, &name);
			if (b->pen[b->npen].nnotices >= 8)
				abort();
			b->pen[b->npen].notices[b->pen[b->npen].nnotices++] = (store_copy){
				.case_id = c->id, .event_id = e.event_id, .form = f->code, .round = round,
				.copy_no = f->copies[i].no, .holder = (char *)holder, .holder_name = (char *)name,
				.purpose = f->copies[i].purpose, .issued_at = e.at, .issued_by = e.by, .snapshot = text,
				.holder_kind = (char *)kind,
			};
		}
	}
	b->npen++;
	c->booked = realloc(c->booked, (c->nbooked + 1) * sizeof *c->booked);
	c->booked[c->nbooked++] = (struct booked){ id, e.login, e.rule, e.ref, e.kind, e.amount_fen, e.automatic, e.capped };
}

static void penalties_on_action(gen *g, bundle *b, gcase *c, const conf_action *a, const char *me, time_t now)
{
	const conf *cf = g->s->cf;
	const penconf *p = cf->penalty;
	if (!p || !in_list(p->on, p->non, a->code))
		return;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].kind != PENRULE_LOSS)
			die("penalty.yaml has a rule the generator does not book (only kind: loss)", NULL);
	static char months[64][16];       /* interned "YYYY-MM" (the rows point at them) */
	static int nmonths;
	char month[16];
	penalty_month_of(now, month, sizeof month);
	const char *m = NULL;
	for (int i = 0; i < nmonths && !m; i++)
		if (!strcmp(months[i], month))
			m = months[i];
	if (!m) {
		if (nmonths == 64)
			nmonths = 0; /* only recent months are still referenced by pending bundles */
		snprintf(months[nmonths], sizeof months[nmonths], "%s", month);
		m = months[nmonths++];
	}
	/* loss_wants */
	struct { const char *login, *rule, *ref; long long fen; bool capped; } w[32];
	size_t nw = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const penconf_rule *r = &p->rules[i];
		if (!case_conds_hold(c->fields, r->when, r->nwhen, 0))
			continue;
		const json_t *lv = json_object_get(c->fields, p->loss_field);
		long long amount = penalty_fraction(json_is_integer(lv) ? json_integer_value(lv) : 0, r->fraction);
		const json_t *rv = json_object_get(c->fields, p->resp_field);
		const char *resp = json_is_string(rv) ? json_string_value(rv) : "";
		if (amount <= 0 || !*resp)
			continue;
		penalty_share *v = NULL;
		size_t nv = 0;
		penalty_part *parts = NULL;
		size_t np = 0;
		ks_err err;
		if (penalty_resp_parse(cf, resp, "responsibility", &v, &nv, &err) ||
		    penalty_allocate(cf, amount, v, nv, &parts, &np, &err))
			die("responsibility", &err);
		for (size_t k = 0; k < np && nw < 32; k++) {
			const conf_staff *us = conf_find_staff(cf, parts[k].unit);
			const conf_dept *ud = us ? NULL : conf_find_dept(cf, parts[k].unit);
			w[nw].login = parts[k].login;
			w[nw].rule = r->code;
			w[nw].ref = us ? us->login : ud->code;
			w[nw].fen = parts[k].fen;
			w[nw].capped = r->capped;
			nw++;
		}
		free(parts);
		penalty_shares_free(v, nv);
	}
	store_penalty e = { .case_id = c->id, .event_id = c->ev[c->nev - 1].id, .month = (char *)m, .automatic = true,
	                    .at = now, .by = (char *)me };
	size_t nhave = c->nbooked; /* what the case had booked before this closure */
	for (size_t i = 0; i < nw; i++) {
		long long prev;
		size_t keep = c->nbooked;
		c->nbooked = nhave;
		long long delta = loss_delta(c, w[i].login, w[i].rule, w[i].ref, w[i].fen, &prev);
		c->nbooked = keep;
		if (!delta)
			continue;
		e.login = (char *)w[i].login;
		e.kind = "loss";
		e.rule = (char *)w[i].rule;
		e.ref = (char *)w[i].ref;
		e.amount_fen = delta;
		e.capped = w[i].capped;
		e.reverses = delta < 0 ? prev : 0;
		book(g, b, c, e, b->c.no);
	}
	for (size_t i = 0; i < nhave; i++) {
		const struct booked h = c->booked[i];
		if (!h.automatic || strcmp(h.kind, "loss"))
			continue;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = c->booked[k].automatic && !strcmp(c->booked[k].kind, "loss") && !strcmp(c->booked[k].login, h.login) &&
			       !strcmp(c->booked[k].rule, h.rule) && !strcmp(c->booked[k].ref, h.ref);
		for (size_t k = 0; k < nw && !seen; k++)
			seen = !strcmp(w[k].login, h.login) && !strcmp(w[k].rule, h.rule) && !strcmp(w[k].ref, h.ref);
		long long prev = 0, delta = 0;
		if (!seen) {
			size_t keep = c->nbooked;
			c->nbooked = nhave;
			delta = loss_delta(c, h.login, h.rule, h.ref, 0, &prev);
			c->nbooked = keep;
		}
		if (!delta)
			continue;
		e.login = (char *)h.login;
		e.kind = "loss";
		e.rule = (char *)h.rule;
		e.ref = (char *)h.ref;
		e.amount_fen = delta;
		e.capped = h.capped;
		e.reverses = delta < 0 ? prev : 0;
		book(g, b, c, e, b->c.no);
	}
}

static void produce_do(gen *g, bundle *b, gcase *c, const step *st)
{
	const conf *cf = g->s->cf;
	ks_err err;
	const conf_action *a = conf_find_action(cf, st->action);
	if (!a)
		die(st->action, NULL);
	const conf_form *f = a->form ? conf_find_form(cf, a->form) : NULL;
	form_kv kv[MAXKV];
	fill_kv(st, kv);
	json_t *input = NULL;
	if (f && form_fill(cf, f, kv, (size_t)st->nkv, &input, &err))
		die(st->action, &err);
	if (!input)
		input = json_object();
	for (size_t i = 0; i < a->nclears; i++)   /* as case_do: `clears` first */
		json_object_del(c->fields, a->clears[i]);
	json_object_update(c->fields, input);
	time_t now = st->at;
	const char *from = c->state, *to = a->to ? a->to : c->state;
	const char *dept = c->dept;
	if (a->set_dept && json_is_string(json_object_get(input, a->set_dept)))
		dept = conf_find_dept(cf, json_string_value(json_object_get(input, a->set_dept)))->code;
	if (a->set_assignee)
		die("set_assignee is not generated", NULL);
	const char *me = conf_find_staff(cf, st->actor)->login;
	char *text = dump(c->fields), *input_text = dump(input);
	b->c = (store_case){ .id = c->id, .no = own(b, strdup(c->no)), .state = (char *)to, .dept = (char *)dept,
	                     .registrant = (char *)c->registrant, .customer = c->customer ? own(b, strdup(c->customer)) : NULL,
	                     .subject = c->subject ? own(b, strdup(c->subject)) : NULL, .fields = own(b, text),
	                     .created_at = c->created_at, .updated_at = now, .updated_by = (char *)me,
	                     .version = c->version + 1 };
	b->old_version = c->version;
	b->a = a;
	store_event e = { .seq = b->c.version, .at = now, .actor = (char *)me, .action = a->code,
	                  .from_state = (char *)from, .to_state = (char *)to };
	c->state = to;
	c->dept = dept;
	c->updated_by = me;
	c->version = b->c.version;
	add_event(g, b, c, e, input_text, input);
	add_form(b, c, a->form, input_text, input);
	clocks_on_action(g, b, c, a->code, c->fields, now);
	if (a->nissues)
		issue_copies(g, b, c, &b->c, a, me, now);
	penalties_on_action(g, b, c, a, me, now);
	json_decref(input);
}

/* ---- the search text: search_index_case (src/core/search.c), from memory ---- */

typedef struct values {
	char **v;
	size_t n, cap, bytes;
} values;

static void values_take(values *t, char *s)
{
	if (!s || !*s) {
		free(s);
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], s)) {
			free(s);
			return;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = s;
	t->bytes += strlen(s) + 1;
}

static void values_add(values *t, const char *s)
{
	if (s && *s)
		values_take(t, strdup(s));
}

static const conf_field *field_def(const conf *c, const char *key)
{
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_field *f = conf_form_field(&c->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

/* Objects are visited in the order of their keys as case.c dumps them
 * (JSON_SORT_KEYS), which is the order search_index_case meets them when it
 * parses the stored text. */
static void add_object(const conf *c, values *t, const json_t *obj, int depth);

static void add_value(const conf *c, values *t, const conf_field *fd, const json_t *v, int depth)
{
	if (depth > 8)
		return;
	if (json_is_string(v)) {
		if (!fd)
			values_add(t, json_string_value(v));
		else if (fd->type != FT_YESNO)
			values_take(t, form_value_text(c, fd, v));
	} else if (json_is_array(v)) {
		size_t i;
		const json_t *e;
		json_array_foreach(v, i, e)
			add_value(c, t, fd, e, depth + 1);
	} else if (json_is_object(v)) {
		add_object(c, t, v, depth + 1);
	}
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_object(const conf *c, values *t, const json_t *obj, int depth)
{
	size_t n = json_object_size(obj), k = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys), *key;
	const json_t *v;
	json_object_foreach((json_t *)obj, key, v)
		keys[k++] = key;
	qsort(keys, n, sizeof *keys, key_cmp);
	for (k = 0; k < n; k++)
		add_value(c, t, field_def(c, keys[k]), json_object_get(obj, keys[k]), depth);
	free(keys);
}

static char *search_text(const conf *cf, const gcase *c)
{
	values t = {0};
	values_add(&t, c->no);
	values_add(&t, c->customer);
	values_add(&t, c->subject);
	add_object(cf, &t, c->fields, 0);
	for (size_t i = 0; i < c->nforms; i++)
		add_object(cf, &t, c->formj[i], 0);
	for (size_t i = 0; i < c->nev; i++)
		add_object(cf, &t, c->evj[i], 0);
	char *text = malloc(t.bytes + 1), *p = text;
	for (size_t i = 0; i < t.n; i++) {
		size_t len = strlen(t.v[i]);
		memcpy(p, t.v[i], len);
		p += len;
		*p++ = '\n';
		free(t.v[i]);
	}
	*p = '\0';
	free(t.v);
	return text;
}

static void free_case(gcase *c)
{
	for (int i = 0; i < c->nsteps; i++)
		for (int j = 0; j < c->steps[i].nkv; j++)
			free(c->steps[i].val[j]);
	for (size_t i = 0; i < c->nev; i++) {
		free(c->ev[i].fields);
		json_decref(c->evj[i]);
	}
	for (size_t i = 0; i < c->nforms; i++)
		json_decref(c->formj[i]);
	free(c->formj);
	free(c->evj);
	free(c->no);
	free(c->customer);
	free(c->subject);
	json_decref(c->fields);
	free(c->ev);
	free(c->dls);
	free(c->rounds);
	free(c->booked);
	free(c);
}

/* ---- the main thread: writing ---- */

typedef struct chan {
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_get;
	bundle *head, *tail;
	long n;
	bool done;
	bundle *spent;                   /* written; freed by the producer (its malloc arena) */
} chan;

#define CHAN_MAX 20000

static void chan_put(chan *ch, bundle *first, bundle *last, long n)
{
	pthread_mutex_lock(&ch->mu);
	while (ch->n >= CHAN_MAX)
		pthread_cond_wait(&ch->can_put, &ch->mu);
	if (first) {
		if (ch->tail)
			ch->tail->next = first;
		else
			ch->head = first;
		ch->tail = last;
		ch->n += n;
	} else {
		ch->done = true;
	}
	pthread_cond_signal(&ch->can_get);
	pthread_mutex_unlock(&ch->mu);
}

/* Hand written bundles back to the producer, which allocated them. */
static void chan_spent(chan *ch, bundle *first, bundle *last)
{
	pthread_mutex_lock(&ch->mu);
	last->next = ch->spent;
	ch->spent = first;
	pthread_mutex_unlock(&ch->mu);
}

static void free_spent(chan *ch)
{
	pthread_mutex_lock(&ch->mu);
	bundle *b = ch->spent;
	ch->spent = NULL;
	pthread_mutex_unlock(&ch->mu);
	while (b) {
		bundle *nx = b->next;
		bundle_free(b);
		b = nx;
	}
}

/* All queued bundles (NULL when the producer is done and nothing is left). */
static bundle *chan_take(chan *ch)
{
	pthread_mutex_lock(&ch->mu);
	while (!ch->head && !ch->done)
		pthread_cond_wait(&ch->can_get, &ch->mu);
	bundle *b = ch->head;
	ch->head = ch->tail = NULL;
	ch->n = 0;
	pthread_cond_signal(&ch->can_put);
	pthread_mutex_unlock(&ch->mu);
	return b;
}

typedef struct writer {
	session *s;
	long long in_batch, applied_cases;
	struct { long long id; char *text; } *search;
	size_t nsearch, capsearch;
} writer;

static void check_id(const char *what, long long got, long long want)
{
	if (got != want) {
		fprintf(stderr, "gen: %s got id %lld, expected %lld (was the database empty?)\n", what, got, want);
		exit(1);
	}
}

static void w_begin(writer *w)
{
	ks_err err;
	if (store_begin(w->s->st, &err))
		die("begin", &err);
}

/* COMMIT, then the search rows of the cases finished meanwhile in a
 * transaction of their own (FTS5 is several times slower in a transaction
 * that has already written many other pages). */
static void w_commit(writer *w)
{
	ks_err err;
	if (store_commit(w->s->st, &err))
		die("commit", &err);
	if (!w->nsearch)
		return;
	w_begin(w);
	for (size_t i = 0; i < w->nsearch; i++) {
		if (store_search_put(w->s->st, w->search[i].id, w->search[i].text, &err))
			die("search", &err);
		free(w->search[i].text);
	}
	w->nsearch = 0;
	if (store_commit(w->s->st, &err))
		die("commit", &err);
}

static void apply(writer *w, bundle *b)
{
	store *st = w->s->st;
	ks_err err;
	if (b->reg) {
		long long seq;
		if (store_next_seq(st, b->period, &seq, &err))
			die("number", &err);
		check_id("number", seq, b->seq);
		if (store_case_insert(st, &b->c, &err))
			die("case", &err);
		check_id("case", b->c.id, b->e.case_id);
	} else if (store_case_update(st, &b->c, b->old_version, &err)) {
		die("update", &err);
	}
	if (store_event_insert(st, &b->e, &err))
		die("event", &err);
	check_id("event", b->e.id, b->event_id);
	if (b->form) {
		store_form f = { .case_id = b->c.id, .event_id = b->e.id, .form = (char *)b->form, .at = b->e.at,
		                 .actor = b->e.actor, .fields = b->e.fields };
		if (store_form_insert(st, &f, &err))
			die("form", &err);
	}
	for (int i = 0; i < b->ndl; i++)
		if (store_deadline_put(st, &b->dl[i], &err))
			die("deadline", &err);
	for (int i = 0; i < b->ncp; i++)
		if (store_copy_insert(st, &b->cp[i], &err))
			die("copies", &err);
	for (int i = 0; i < b->npen; i++) {
		store_penalty *pe = &b->pen[i].e;
		if (store_penalty_insert(st, pe, &err))
			die("penalty", &err);
		check_id("penalty entry", pe->id, b->pen[i].id);
		for (int k = 0; k < b->pen[i].nnotices; k++) {
			b->pen[i].notices[k].entry_id = pe->id;
			if (store_copy_insert(st, &b->pen[i].notices[k], &err))
				die("penalty notice", &err);
		}
	}
	if (b->search_text) {
		if (w->nsearch == w->capsearch) {
			w->capsearch = w->capsearch ? w->capsearch * 2 : 4096;
			w->search = realloc(w->search, w->capsearch * sizeof *w->search);
		}
		w->search[w->nsearch].id = b->search_id;
		w->search[w->nsearch].text = b->search_text;
		w->nsearch++;
		b->search_text = NULL;
	}
	if (b->finishes)
		w->applied_cases++;
	if (++w->in_batch >= BATCH) {
		w_commit(w);
		w_begin(w);
		w->in_batch = 0;
	}
}

/* ---- the event loop (producer side): registrations in order, and a heap
 * of the next step of every case in progress ---- */

static void engine_step(gen *g, gcase *c, const step *st)
{
	ks_err err;
	form_kv kv[MAXKV];
	fill_kv(st, kv);
	clock_set_now(st->at);
	if (session_login(g->s, st->actor, &err))
		die("login", &err);
	ks_status rc;
	if (!strcmp(st->action, "new"))
		rc = case_register(g->s, kv, (size_t)st->nkv, &c->no, &err);
	else
		rc = case_do(g->s, c->no, st->action, kv, (size_t)st->nkv, -1, &err);
	if (rc) {
		fprintf(stderr, "gen: engine refused %s %s by %s: %s\n", c->no ? c->no : "(new)", st->action, st->actor,
		        err.msg);
		exit(1);
	}
}

typedef struct heap {
	gcase **v;
	size_t n, cap;
} heap;

static bool before(const gcase *a, const gcase *b)
{
	time_t x = a->steps[a->cur].at, y = b->steps[b->cur].at;
	return x != y ? x < y : a->idx < b->idx;
}

static void heap_push(heap *h, gcase *c)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 1024;
		h->v = realloc(h->v, h->cap * sizeof *h->v);
	}
	size_t i = h->n++;
	h->v[i] = c;
	while (i && before(h->v[i], h->v[(i - 1) / 2])) {
		gcase *t = h->v[i];
		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static gcase *heap_pop(heap *h)
{
	gcase *top = h->v[0];
	h->v[0] = h->v[--h->n];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && before(h->v[l], h->v[m]))
			m = l;
		if (r < h->n && before(h->v[r], h->v[m]))
			m = r;
		if (m == i)
			break;
		gcase *t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
	return top;
}

/* Registration times: n cases from `from` to `to`, more each year, fewer at
 * weekends, in office hours; ascending. */
typedef struct regs {
	time_t from, to;
	long n, made;
	double per_weight, carry;
	time_t day;
	time_t *today;
	long ntoday, itoday;
	uint64_t seed;
} regs;

static double day_weight(time_t day)
{
	struct tm tm;
	time_t l = day + TZ_OFFSET;
	gmtime_r(&l, &tm);
	double w = 0.6 + 0.08 * (tm.tm_year + 1900 - 2017); /* the business grows */
	int wd = weekday_local(day);
	return wd == 6 ? w * 0.1 : wd == 5 ? w * 0.25 : w;
}

static void regs_init(regs *R, time_t from, time_t to, long n, uint64_t seed)
{
	memset(R, 0, sizeof *R);
	R->from = day_start_local(from);
	R->to = to;
	R->n = n;
	R->seed = seed;
	double total = 0;
	for (time_t d = R->from; d <= to; d += 86400)
		total += day_weight(d);
	R->per_weight = (double)n / total;
	R->day = R->from - 86400;
}

static int tcmp(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;
	return x < y ? -1 : x > y;
}

/* The next registration time, or 0 when all n are made. */
static time_t regs_next(regs *R)
{
	while (R->itoday >= R->ntoday) {
		if (R->made >= R->n)
			return 0;
		R->day += 86400;
		double want = day_weight(R->day) * R->per_weight + R->carry;
		long k = (long)want;
		R->carry = want - (double)k;
		if (R->day + 86400 > R->to || R->made + k > R->n)
			k = R->n - R->made; /* the last day takes the rest */
		rng r = rng_for(R->seed ^ 0x5eed, (uint64_t)R->day);
		free(R->today);
		R->today = malloc((size_t)(k ? k : 1) * sizeof *R->today);
		time_t lim = R->to - R->day;
		for (long i = 0; i < k; i++) {
			long sec = rng_chance(&r, 0.9) ? 8 * 3600 + 1800 + rng_below(&r, 9 * 3600) : rng_below(&r, 86400);
			if (sec >= lim)
				sec = rng_below(&r, lim > 0 ? lim : 1);
			R->today[i] = R->day + sec;
		}
		qsort(R->today, (size_t)k, sizeof *R->today, tcmp);
		R->ntoday = k;
		R->itoday = 0;
		R->made += k;
	}
	return R->today[R->itoday++];
}

static void progress(long done, long total, double t0, bool last)
{
	static double shown;
	double t = now_s();
	if (!last && t - shown < 0.5)
		return;
	shown = t;
	int width = 40, fill = total ? (int)((double)done * width / (double)total) : width;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	double el = t - t0, eta = done ? el * (double)(total - done) / (double)done : 0;
	fprintf(stderr, "\r  [%s] %3d%% %ld/%ld cases  %.0f s  ETA %.0f s  ", bar,
	        total ? (int)(100.0 * (double)done / (double)total) : 100, done, total, el, eta);
	if (last)
		fputc('\n', stderr);
}

typedef struct prod {
	gen *g;
	chan *ch;                        /* NULL: engine mode, no thread */
	long n;
	time_t from, to;
	uint64_t seed;
	const opts *o;
} prod;

/* Play the n cases: through the engine, or into bundles for the writer. */
static void *producer(void *arg)
{
	prod *P = arg;
	gen *g = P->g;
	regs R;
	regs_init(&R, P->from, P->to, P->n, P->seed);
	heap h = {0};
	long idx = 0;
	time_t next = regs_next(&R);
	bundle *first = NULL, *last = NULL;
	long nb = 0;
	while (next || h.n) {
		gcase *c;
		if (next && (!h.n || next <= h.v[0]->steps[h.v[0]->cur].at)) {
			c = calloc(1, sizeof *c);
			c->idx = idx++;
			plan_case(c, P->seed, next, P->to, P->o);
			g->ncases++;
			next = regs_next(&R);
		} else {
			c = heap_pop(&h);
		}
		const step *st = &c->steps[c->cur++];
		g->nactions++;
		if (!P->ch) {
			engine_step(g, c, st);
		} else {
			bundle *b = calloc(1, sizeof *b);
			if (!strcmp(st->action, "new"))
				produce_register(g, b, c, st);
			else
				produce_do(g, b, c, st);
			if (c->cur >= c->nsteps) {
				b->finishes = true;
				b->search_id = c->id;
				b->search_text = search_text(g->s->cf, c);
			}
			if (last)
				last->next = b;
			else
				first = b;
			last = b;
			if (++nb >= 256) {
				chan_put(P->ch, first, last, nb);
				first = last = NULL;
				nb = 0;
				free_spent(P->ch);
			}
		}
		if (c->cur < c->nsteps)
			heap_push(&h, c);
		else
			free_case(c);
	}
	if (P->ch) {
		if (first)
			chan_put(P->ch, first, last, nb);
		chan_put(P->ch, NULL, NULL, 0);
	}
	struct rusage ru;
	getrusage(RUSAGE_THREAD, &ru);
	g->cpu_producer = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	                  ru.ru_stime.tv_usec / 1e6;
	free(h.v);
	free(R.today);
	return NULL;
}

/* Play n cases registered between from and to through g. */
static void generate(gen *g, long n, time_t from, time_t to, uint64_t seed, const opts *o, bool show)
{
	prod P = { g, NULL, n, from, to, seed, o };
	if (g->engine) {
		producer(&P);
		return;
	}
	chan ch = { .mu = PTHREAD_MUTEX_INITIALIZER, .can_put = PTHREAD_COND_INITIALIZER,
	            .can_get = PTHREAD_COND_INITIALIZER };
	P.ch = &ch;
	g->next_case_id = bench_int(g->s->st->db, "SELECT COALESCE(MAX(id), 0) FROM cases");
	g->next_event_id = bench_int(g->s->st->db, "SELECT COALESCE(MAX(id), 0) FROM events");
	g->next_penalty_id = bench_int(g->s->st->db, "SELECT COALESCE(MAX(id), 0) FROM penalty_entries");
	/* bulk loading: no rollback journal and no fsync until the end (the rows
	 * are the same in any journal mode); WAL and synchronous=FULL after */
	bench_exec(g->s->st->db, "PRAGMA journal_mode = DELETE");
	bench_exec(g->s->st->db, "PRAGMA journal_mode = OFF");
	bench_exec(g->s->st->db, "PRAGMA synchronous = OFF");
	bench_exec(g->s->st->db, "PRAGMA cache_size = -2000000");
	/* FTS5 keeps 1 MB of new terms in memory by default and writes a segment
	 * (and merges) each time that fills: 256 MB makes a few big segments
	 * instead of thousands. The setting is removed again at the end, so
	 * case_search_config is what kesu writes (the index's content is the
	 * same; only how it is cut into segments differs). */
	bench_exec(g->s->st->db, "INSERT INTO case_search(case_search, rank) VALUES ('hashsize', 268435456)");
	pthread_t th;
	if (pthread_create(&th, NULL, producer, &P))
		die("thread", NULL);
	writer w = { .s = g->s };
	double t0 = now_s();
	w_begin(&w);
	bundle *b;
	while ((b = chan_take(&ch))) {
		bundle *first = b, *last = b;
		for (; b; b = b->next) {
			apply(&w, b);
			last = b;
		}
		chan_spent(&ch, first, last);
		if (show)
			progress(w.applied_cases, n, t0, false);
	}
	w_commit(&w);
	struct rusage ru;
	getrusage(RUSAGE_THREAD, &ru);
	g->cpu_writer = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	                ru.ru_stime.tv_usec / 1e6;
	pthread_join(th, NULL);
	free_spent(&ch);
	if (show)
		progress(w.applied_cases, n, t0, true);
	free(w.search);
	bench_exec(g->s->st->db, "DELETE FROM case_search_config WHERE k = 'hashsize'");
	bench_exec(g->s->st->db, "PRAGMA journal_mode = WAL");
	bench_exec(g->s->st->db, "PRAGMA synchronous = FULL");
	for (size_t i = 0; i < g->nseqs; i++)
		free(g->seqs[i].period);
	free(g->seqs);
}

static session *open_dir(const char *dir)
{
	session *s;
	ks_err err;
	if (session_open(dir, &s, &err))
		die(dir, &err);
	return s;
}

/* ---- verify: compare every row of two databases ---- */

static bool same_value(sqlite3_stmt *a, sqlite3_stmt *b, int i)
{
	int ta = sqlite3_column_type(a, i), tb = sqlite3_column_type(b, i);
	if (ta != tb)
		return false;
	switch (ta) {
	case SQLITE_NULL: return true;
	case SQLITE_INTEGER: return sqlite3_column_int64(a, i) == sqlite3_column_int64(b, i);
	case SQLITE_FLOAT: return sqlite3_column_double(a, i) == sqlite3_column_double(b, i);
	default: {
		int na = sqlite3_column_bytes(a, i), nb = sqlite3_column_bytes(b, i);
		return na == nb && !memcmp(sqlite3_column_blob(a, i), sqlite3_column_blob(b, i), (size_t)na);
	}
	}
}

static int compare_dbs(const char *pa, const char *pb)
{
	sqlite3 *a = bench_open_raw(pa, SQLITE_OPEN_READONLY), *b = bench_open_raw(pb, SQLITE_OPEN_READONLY);
	const char *list = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
	                   "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%_data' AND name NOT LIKE '%_idx' "
	                   "ORDER BY name";
	sqlite3_stmt *la = bench_prepare(a, list), *lb = bench_prepare(b, list);
	int bad = 0;
	long long total = 0;
	printf("  %-22s %10s\n", "table", "rows");
	for (;;) {
		int ra = sqlite3_step(la), rb = sqlite3_step(lb);
		if (ra != rb) {
			printf("  DIFFERENT: the databases have different tables\n");
			bad = 1;
			break;
		}
		if (ra != SQLITE_ROW)
			break;
		const char *ta = (const char *)sqlite3_column_text(la, 0), *tb = (const char *)sqlite3_column_text(lb, 0);
		if (strcmp(ta, tb)) {
			printf("  DIFFERENT: table %s against %s\n", ta, tb);
			bad = 1;
			break;
		}
		char *q = fmt("SELECT * FROM \"%s\" ORDER BY 1", ta);
		sqlite3_stmt *qa = bench_prepare(a, q), *qb = bench_prepare(b, q);
		free(q);
		long long rows = 0;
		int diff = 0;
		for (;;) {
			int xa = sqlite3_step(qa), xb = sqlite3_step(qb);
			if (xa != xb) {
				printf("  DIFFERENT: %s has %s rows in the fast path\n", ta, xa == SQLITE_ROW ? "fewer" : "more");
				diff = 1;
				break;
			}
			if (xa != SQLITE_ROW)
				break;
			rows++;
			int nc = sqlite3_column_count(qa);
			for (int i = 0; i < nc && !diff; i++)
				if (!same_value(qa, qb, i)) {
					printf("  DIFFERENT: %s row %lld column %s:\n    engine: %.300s\n    fast:   %.300s\n", ta, rows,
					       sqlite3_column_name(qa, i), (const char *)sqlite3_column_text(qa, i),
					       (const char *)sqlite3_column_text(qb, i));
					diff = 1;
				}
			if (diff)
				break;
		}
		sqlite3_finalize(qa);
		sqlite3_finalize(qb);
		printf("  %-22s %10lld%s\n", ta, rows, diff ? "  DIFFERENT" : "");
		total += rows;
		bad |= diff;
	}
	sqlite3_finalize(la);
	sqlite3_finalize(lb);
	sqlite3_close(a);
	sqlite3_close(b);
	printf("  %s: %lld rows compared\n", bad ? "MISMATCH" : "identical", total);
	return bad;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen --data DIR --n N [--seed S]\n"
	                "       gen --verify ENGINE_DIR FAST_DIR --n M [--seed S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *data = NULL, *vdir_engine = NULL, *vdir_fast = NULL;
	long n = 1000000;
	uint64_t seed = 20261127;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(argv[i], "--n") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--verify") && i + 2 < argc) {
			vdir_engine = argv[++i];
			vdir_fast = argv[++i];
		} else
			usage();
	}
	if ((!data && !vdir_engine) || n < 1)
		usage();
	time_t end = time(NULL);
	if (vdir_engine) {
		/* recent cases only: the engine can time them on the real calendar */
		time_t from = end - 50 * 86400;
		gen ge = { .engine = true }, gf = { 0 };
		ge.s = open_dir(vdir_engine);
		gf.s = open_dir(vdir_fast);
		memset(gf.last_hash, '0', 64);
		double t0 = now_s();
		generate(&ge, n, from, end, seed, &verify_opts, false);
		double t1 = now_s();
		generate(&gf, n, from, end, seed, &verify_opts, false);
		double t2 = now_s();
		clock_set_now((time_t)-1);
		printf("  %ld cases, %lld actions: engine %.2f s (one transaction each), fast path %.2f s\n", n,
		       ge.nactions, t1 - t0, t2 - t1);
		session_close(ge.s);
		session_close(gf.s);
		char *pa = fmt("%s/kesu.db", vdir_engine), *pb = fmt("%s/kesu.db", vdir_fast);
		int bad = compare_dbs(pa, pb);
		free(pa);
		free(pb);
		return bad;
	}
	gen g = { 0 };
	g.s = open_dir(data);
	{
		ks_err err;
		char h[65];
		if (store_last_hash(g.s->st, h, &err))
			die("last hash", &err);
		memcpy(g.last_hash, h, sizeof h);
		if (bench_int(g.s->st->db, "SELECT COUNT(*) FROM cases"))
			die("the data directory already has cases; start from an empty `kesu init`", NULL);
	}
	time_t from = 1483200000; /* 2017-01-01 00:00 +08:00 */
	double t0 = now_s();
	generate(&g, n, from, end, seed, &normal_opts, true);
	double el = now_s() - t0;
	session_close(g.s);
	printf("  generated %lld cases, %lld actions in %.1f s (%.0f cases/s; CPU: producer %.1f s, writer %.1f s); "
	       "%lld due times without holiday data (calendar_version %s)\n",
	       g.ncases, g.nactions, el, (double)g.ncases / el, g.cpu_producer, g.cpu_writer, g.nsynthetic,
	       SYNTH_VERSION);
	return 0;
}
