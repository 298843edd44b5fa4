/* store.h — the SQLite database: the only module with SQL in it.
 *
 * One file shared by every kesu process. WAL mode, synchronous=FULL,
 * foreign keys on, a busy timeout. Every write happens between store_begin()
 * (BEGIN IMMEDIATE) and store_commit(); on any failure the caller calls
 * store_rollback() and nothing is written. */
#ifndef KESU_STORE_H
#define KESU_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "kesu/err.h"

typedef struct store store;
typedef struct conf conf;

/* Open (or, with create, create) the database at path and bring its schema
 * up to date. A database newer than this binary is refused (KS_FAIL) with a
 * message saying so. A missing file without create: KS_NOTFOUND.
 * The caller closes with store_close(). */
ks_status store_open(const char *path, bool create, store **out, ks_err *err);
void store_close(store *s);

/* BEGIN IMMEDIATE. A database still busy after the timeout: KS_CONFLICT. */
ks_status store_begin(store *s, ks_err *err);
ks_status store_commit(store *s, ks_err *err);
/* Roll back the open transaction, if any. Can't fail. */
void store_rollback(store *s);

/* Mirror departments and staff from the configuration into the database if
 * the configuration changed since the last mirror (its own transaction). */
ks_status store_sync_org(store *s, const conf *c, ks_err *err);

/* Allocate the next sequence number of period (e.g. "2611"), starting at 1.
 * Must be called inside a transaction. */
ks_status store_next_seq(store *s, const char *period, long long *seq, ks_err *err);

/* A case row. Strings are owned by the struct; store_case_clear() frees them. */
typedef struct store_case {
	long long id;
	char *no, *state, *dept, *assignee, *registrant, *customer, *subject;
	char *fields;            /* JSON object text */
	char *updated_by;
	time_t created_at, updated_at;
	int version;
	time_t next_due;         /* store_case_list only: earliest running due time, 0 if none
	                          * (cases.next_due, kept by triggers on deadlines: schema/013) */
} store_case;

void store_case_clear(store_case *c);
void store_cases_free(store_case *v, size_t n);

/* Insert c (id is set on success). In a transaction. */
ks_status store_case_insert(store *s, store_case *c, ks_err *err);
/* Load the case numbered no into out (cleared first). KS_NOTFOUND if none. */
ks_status store_case_get(store *s, const char *no, store_case *out, ks_err *err);
/* Write c's state, dept, assignee, customer, subject, fields, updated_at,
 * updated_by and version, provided the stored version is still old_version;
 * otherwise KS_CONFLICT. In a transaction. */
ks_status store_case_update(store *s, const store_case *c, int old_version, ks_err *err);

/* ---- who sees what, as the core describes it to the store (src/store/queue.c)
 * The core decides the policy (core/case.c case_sight); the store turns it
 * into WHERE clauses with bound parameters. */

/* A condition on a case's current fields: field key's value (a string, or an
 * integer written in decimal) is one of values. */
typedef struct store_cond {
	const char *key;
	char *const *values;
	size_t nvalues;
	const char *other_key;    /* set: key's value equals other_key's (both set); values unused */
} store_cond;

/* One action the person's roles allow: the case may be acted on now when its
 * state is one of states, (own_dept) its department is the person's, the
 * integer money field amount_key (absent: 0) is at most max_amount (when
 * amount_key is set), and every condition holds. */
typedef struct store_rule {
	char *const *states;
	size_t nstates;
	bool own_dept;
	bool registrant_only;     /* scope registrant: the case's registrant is the person */
	bool assignee_only;       /* scope assignee: the case's assignee is the person */
	const char *amount_key;   /* NULL: no amount check */
	long long max_amount;
	const store_cond *when;
	size_t nwhen;
} store_rule;

typedef enum { STORE_SEES_INVOLVED = 0, STORE_SEES_DEPT, STORE_SEES_ALL } store_sees;

/* A person's sight: never a case naming them in one of the recuse fields;
 * then every case (STORE_SEES_ALL), or their department's and the ones they
 * are involved in: registrant, assignee, actor of an event, or a rule
 * allows them to act now. */
typedef struct store_sight {
	const char *login, *dept;
	store_sees sees;
	char *const *recuse_keys;
	size_t nrecuse;
	const store_rule *rules;
	size_t nrules;
} store_sight;

typedef enum {
	STORE_ORDER_NEWEST = 0,  /* registration time, newest first */
	STORE_ORDER_DUE,         /* earliest running due time first (ties: lowest id); cases without a running
	                          * clock last, newest first */
} store_order;

typedef struct store_filter {
	const char *state;      /* NULL: any */
	const char *dept;       /* NULL: any */
	const char *involving;  /* login: registrant, assignee or actor of an event */
	bool overdue;           /* only cases with a running clock due before now */
	time_t now;
	int limit;              /* <= 0: no limit */
	/* perfq additions */
	const store_sight *sight; /* NULL: no visibility filter */
	bool todo;              /* only cases a rule of sight allows acting on now */
	store_order order;
	int offset;             /* skip this many matching cases */
	const store_case *after;  /* keyset paging: the cases after this one (a row of the
	                           * previous page, same filter and order); NULL: from the start */
	/* the last word on each row of a list (not a count), e.g. the engine's
	 * case_visible when the sight's SQL is wider than the engine: rows it
	 * refuses are left out and the page is filled from the next ones */
	bool (*keep)(void *ctx, const store_case *c);
	void *keep_ctx;
} store_filter;

/* Whether login acted on the case (an event of theirs). */
ks_status store_case_involves(store *s, long long case_id, const char *login, bool *out, ks_err *err);

/* Cases matching f in f->order, from one snapshot. Each row's next_due is
 * its earliest running due time (0: none). *out is an array of *n
 * (store_cases_free). */
ks_status store_case_list(store *s, const store_filter *f, store_case **out, size_t *n, ks_err *err);

typedef struct store_event {
	long long id, case_id;
	int seq;
	time_t at;
	char *actor, *action, *from_state, *to_state;
	char *fields;            /* JSON object text */
	char prev_hash[65], hash[65];
} store_event;

void store_events_free(store_event *v, size_t n);
/* The hash of the newest event in the database ("" + 64 zeros if none). */
ks_status store_last_hash(store *s, char out[65], ks_err *err);
/* Append e (e->id set on success). In a transaction. */
ks_status store_event_insert(store *s, store_event *e, ks_err *err);
/* Events of a case in order. */
ks_status store_events(store *s, long long case_id, store_event **out, size_t *n, ks_err *err);
/* The newest event of a case (for "who changed it"). KS_NOTFOUND if none. */
ks_status store_last_event(store *s, long long case_id, store_event *out, ks_err *err);

typedef struct store_form {
	long long id, case_id, event_id;
	char *form;
	int revision;
	time_t at;
	char *actor, *fields;
} store_form;

void store_forms_free(store_form *v, size_t n);
/* Record a filling of form on a case as its next revision (*revision set). */
ks_status store_form_insert(store *s, store_form *f, ks_err *err);
/* All form revisions of a case, by form then revision. */
ks_status store_forms(store *s, long long case_id, store_form **out, size_t *n, ks_err *err);

/* One clock of one case. Strings owned; store_deadlines_free() frees. */
typedef struct store_deadline {
	long long id, case_id;
	char *clock, *label, *unit, *status, *calendar_version;
	time_t started_at, due_at;
	time_t stopped_at;       /* 0 while running or paused */
	/* store_deadlines_open only: */
	char *case_no, *case_state, *case_dept;
} store_deadline;

void store_deadlines_free(store_deadline *v, size_t n);
/* The clocks of a case, by start time. */
ks_status store_deadlines(store *s, long long case_id, store_deadline **out, size_t *n, ks_err *err);
/* Insert or replace the clock d->clock of case d->case_id. In a transaction. */
ks_status store_deadline_put(store *s, const store_deadline *d, ks_err *err);
/* Clocks still running or paused, and clocks that finished after their due
 * time (late_finished), with their case's number, state and department. */
ks_status store_deadlines_open(store *s, bool late_finished, store_deadline **out, size_t *n, ks_err *err);

typedef struct store_reminder {
	long long id, case_id;
	char *clock, *kind, *dept, *role;
	int level;
	time_t started_at;       /* the run of the clock it is about */
	time_t at, due_at;
	long long late;          /* seconds after due (negative: before) */
	char *case_no;           /* store_reminders only */
	char *login;             /* the one person it is addressed to, or NULL */
} store_reminder;

/* Record r unless the same case, clock, kind and level has one already;
 * *inserted says which (and then r->id is its number). In a transaction. */
ks_status store_reminder_add(store *s, store_reminder *r, bool *inserted, ks_err *err);
/* Reminders of a case (case_id > 0) or all (case_id 0), oldest first. */
ks_status store_reminders(store *s, long long case_id, store_reminder **out, size_t *n, ks_err *err);
void store_reminders_free(store_reminder *v, size_t n);
/* The reminder with number (id) id, as one element in *out (free with
 * store_reminders_free(*out, 1)); KS_NOTFOUND if there is none. */
ks_status store_reminder_get(store *s, long long id, store_reminder **out, ks_err *err);
/* Reminders addressed to login (a person), to dept (those without a role) or to one of the roles
 * of roles_json (a JSON array of role codes), newest first, at most limit
 * (<= 0: all). */
ks_status store_reminders_to(store *s, const char *login, const char *dept, const char *roles_json, int limit,
                             store_reminder **out, size_t *n, ks_err *err);

/* A number that changes whenever another connection commits a change to the
 * database (PRAGMA data_version): cheap enough to poll every second. */
ks_status store_data_version(store *s, long long *out, ks_err *err);

/* A value in the meta table (caller frees), or NULL. */
char *store_meta_get(store *s, const char *key);
ks_status store_meta_set(store *s, const char *key, const char *value, ks_err *err);

/* ---- copies (联) of paper forms (src/store/copies.c) ----
 * Issued by a workflow action with `issues`; a row never changes afterwards
 * (the database refuses updates and deletes). Keyed by case, form, issue
 * round and copy number. */
typedef struct store_copy {
	long long id, case_id, event_id;   /* event_id: the issuing action's event */
	char *form;
	int round, copy_no;
	char *holder, *holder_name, *purpose;
	time_t issued_at;
	char *issued_by;                   /* staff login */
	char *snapshot;                    /* JSON, the same for every copy of a round */
	char *case_no;                     /* filled by the readers below */
	long long entry_id;                /* a 奖罚通知单: its penalty entry; else 0 */
	char *holder_kind;                 /* "dept" (NULL on insert: dept) or "person" (holder a login) */
} store_copy;

void store_copies_free(store_copy *v, size_t n);
/* The next issue round of form on a case: 1 if it was never issued. */
ks_status store_copy_next_round(store *s, long long case_id, const char *form, int *round, ks_err *err);
/* Record one copy (c->id set). In a transaction. */
ks_status store_copy_insert(store *s, store_copy *c, ks_err *err);
/* The copies of a case, by form, round and copy number. */
ks_status store_copies(store *s, long long case_id, store_copy **out, size_t *n, ks_err *err);
/* The copies held by department holder (NULL: all), newest first. */
ks_status store_copies_held(store *s, const char *holder, store_copy **out, size_t *n, ks_err *err);
/* The copies held by holder of kind ("dept" or "person"), newest first. */
ks_status store_copies_held_by(store *s, const char *kind, const char *holder, store_copy **out, size_t *n,
                               ks_err *err);
/* The 奖罚通知单 copies of penalty entry (> 0), or of every entry (0), by
 * entry and copy number. */
ks_status store_copies_of_entry(store *s, long long entry, store_copy **out, size_t *n, ks_err *err);

/* ---- the audit trail (src/store/audit.c) ---- */

/* One event for store_events_each: case_no is its case's number (NULL if
 * the case row is gone). e's strings live only during the call; a stored
 * prev_hash or hash that is not 64 characters arrives as "". Return false
 * to stop. */
typedef bool (*store_event_fn)(void *ctx, const char *case_no, const store_event *e);
/* One case: its number, version, how many events it has and their highest seq. */
typedef bool (*store_case_fn)(void *ctx, const char *case_no, long long version, long long nevents,
                              long long max_seq);
/* Every event in id order (chain order), then, if cs is not NULL, every
 * case; all read from one snapshot. */
ks_status store_events_each(store *s, store_event_fn ev, store_case_fn cs, void *ctx, ks_err *err);
/* The newest event's hash and the newest task completion's hash (64 '0's
 * for an empty chain), read from one snapshot. */
ks_status store_audit_heads(store *s, char events[65], char tasks[65], ks_err *err);

/* A refused command (not permitted, conflict), logged outside the chain in
 * the attempts table. Strings may be NULL. */
typedef struct store_attempt {
	time_t at;
	const char *login, *unix_user, *command, *case_no, *message;
	int status;
} store_attempt;
/* Record a in its own transaction (not inside another); gives up after about
 * a second if the database stays busy. */
ks_status store_attempt_add(store *s, const store_attempt *a, ks_err *err);

/* ---- kesu doctor (src/store/doctor.c) ---- */

/* Open the database at path read-only, without migrating it or setting its
 * journal mode (store_close() closes it). KS_NOTFOUND if it can't be opened. */
ks_status store_open_readonly(const char *path, store **out, ks_err *err);
/* The journal mode as SQLite reports it ("wal", "delete", …); caller frees. */
ks_status store_journal_mode(store *s, char **mode, ks_err *err);
/* The database's schema version (PRAGMA user_version) and this binary's. */
ks_status store_schema_version(store *s, int *have, int *want, ks_err *err);
/* PRAGMA integrity_check: *problems is NULL when the database is sound, else
 * its first findings joined by "；" (caller frees). Fails only when the check
 * itself can't run (busy, I/O). */
ks_status store_integrity(store *s, char **problems, ks_err *err);

/* ---- responsibility and penalties (src/store/penalty.c, schema 006) ----
 * The ledger is append-only: the database refuses updates and deletes of
 * entries and appeals (and of the notices, which are copies: schema 008). A correction is a new entry whose amount
 * is negative and which names the entry it reverses. */
typedef struct store_penalty {
	long long id;
	long long case_id;       /* 0: none */
	long long event_id;      /* the case action that booked it; 0 for a decision */
	char *login;             /* the person it is charged to */
	char *month;             /* "YYYY-MM" (business time) it is booked in */
	char *kind;              /* loss | delay | sanction | reversal */
	char *rule;              /* penalty.yaml code (rule or sanction level) */
	char *ref;               /* loss: the unit; delay: "clock@due"; sanction: offence; "" */
	long long amount_fen;    /* negative for a reversal */
	bool capped;             /* counts against the monthly cap */
	bool automatic;          /* booked by a case action (not a person's decision) */
	long long reverses;      /* the entry it reverses, 0 if none */
	long long appeal;        /* the 签呈 it answers, 0 if none */
	time_t at;
	char *by;                /* who booked it (staff login) */
	char *note;              /* reason, or NULL */
	char *case_no;           /* filled by the readers */
} store_penalty;

void store_penalty_clear(store_penalty *p);
void store_penalties_free(store_penalty *v, size_t n);
/* Append p (p->id set). In a transaction. */
ks_status store_penalty_insert(store *s, store_penalty *p, ks_err *err);
/* Entry id into out. KS_NOTFOUND if none. */
ks_status store_penalty_get(store *s, long long id, store_penalty *out, ks_err *err);
/* Entries by id: of case_id (> 0), of login (not NULL), booked in month_upto or
 * earlier (not NULL); each filter optional. */
ks_status store_penalties(store *s, long long case_id, const char *login, const char *month_upto,
                          store_penalty **out, size_t *n, ks_err *err);
/* The sum of the amounts of the entries reversing id (0 or negative). */
ks_status store_penalty_reversed(store *s, long long id, long long *sum, ks_err *err);

/* A 签呈 against an entry. */
typedef struct store_penalty_appeal {
	long long id, entry_id;
	time_t at;
	char *by, *reason;
} store_penalty_appeal;

void store_penalty_appeals_free(store_penalty_appeal *v, size_t n);
ks_status store_penalty_appeal_insert(store *s, store_penalty_appeal *a, ks_err *err);
/* The appeals against entry (> 0), or all (0), oldest first. */
ks_status store_penalty_appeals(store *s, long long entry, store_penalty_appeal **out, size_t *n, ks_err *err);

/* ---- the monthly bonus table (src/store/penalty.c, schema 008) ----
 * Imported from payroll; every import is kept, a month's figures are those
 * of the newest import covering it. */
typedef struct store_bonus_import {
	long long id;
	time_t at;
	char *by, *file, *sha256, *encoding, *months;
	long long rows;
	bool replaced;
} store_bonus_import;

typedef struct store_bonus {
	long long import_id;
	long long line;
	char *login, *month;
	long long bonus_fen, base_points;
} store_bonus;

/* Record an import (imp->id set), then its rows with store_bonus_insert. In a transaction. */
ks_status store_bonus_import_insert(store *s, store_bonus_import *imp, ks_err *err);
ks_status store_bonus_insert(store *s, const store_bonus *b, ks_err *err);
/* The newest import covering month, or 0 (*id). */
ks_status store_bonus_month_import(store *s, const char *month, long long *id, ks_err *err);
/* The month's figures (those of its newest import), by line; *imp its import
 * (id 0 when the month was never imported; store_bonus_import_clear). */
ks_status store_bonus_month(store *s, const char *month, store_bonus **out, size_t *n, store_bonus_import *imp,
                            ks_err *err);
/* login's figure for month: *found false when the month's newest import has none. */
ks_status store_bonus_get(store *s, const char *login, const char *month, store_bonus *out, bool *found,
                          ks_err *err);
void store_bonus_free(store_bonus *v, size_t n);
void store_bonus_import_clear(store_bonus_import *imp);

/* Cases registered in [from, to), oldest first (for count rules). */
ks_status store_cases_registered(store *s, time_t from, time_t to, store_case **out, size_t *n, ks_err *err);

/* ---- backup (src/store/backup.c) ---- */

/* Copy the database into dest, which must not exist (KS_INVALID if it does),
 * from one snapshot, in steps, without blocking writers for long. The copy
 * is one file (journal mode DELETE), fsynced. On failure dest is removed. */
ks_status store_backup(store *s, const char *dest, ks_err *err);

/* ---- the monthly report (src/store/report.c) ----
 * Aggregations in SQL, so a month of a million-case database is counted
 * without loading cases. State and action sets are JSON arrays of codes. */
typedef struct store_report_month store_report_month;
typedef struct store_report_q {
	time_t from, to;          /* the month [from, to) */
	time_t cutoff;            /* "month end": min(to, now) */
	const char *dept;         /* only this department's cases; NULL: all */
	const char *initial;      /* the initial state */
	const char *finals;       /* JSON array: final states */
	const char *active;       /* JSON array: states neither initial nor final */
	const char *reopeners;    /* JSON array: actions that can leave a final state */
	store_report_month *month; /* NULL, or the month's cases read once for all the
	                              calls below (store_report_month_load) */
} store_report_q;

/* The cases registered in [q->from, q->to), all departments, read once from
 * the index cases(created_at, dept) for the report's calls that need them. */
ks_status store_report_month_load(store *s, const store_report_q *q, store_report_month **out, ks_err *err);
void store_report_month_free(store_report_month *m);

typedef struct store_report_counts {
	long long received, accepted, rejected, closed, open_end, reopened, overdue_end;
} store_report_counts;

/* All but closed, which is left 0: it is the number of handling times
 * store_report_durations gives. */
ks_status store_report_counts_get(store *s, const store_report_q *q, store_report_counts *out, ks_err *err);

/* A value and how many cases registered in the month have it. */
typedef struct store_report_row {
	char *value;              /* NULL: no value */
	long long n;
	long long met, breached;  /* store_report_clocks only */
	char *label;              /* unused by store; for the caller */
} store_report_row;

void store_report_rows_free(store_report_row *v, size_t n);
/* Cases registered in the month by department (path NULL) or by the intake
 * field at JSON path (e.g. "$.channel"), most frequent first. */
ks_status store_report_breakdown(store *s, const store_report_q *q, const char *path, store_report_row **out,
                                 size_t *n, ks_err *err);
/* The same for the departments and every intake field at once: (*out)[0]
 * by department, (*out)[1 + i] by the field keys[i] (the value at JSON path
 * $."keys[i]"), each (*nout)[i] rows long, ordered as store_report_breakdown
 * orders them. Counted from case_values (schema 014) when every key is in
 * report_keys, else in one pass over the month's cases' JSON.
 * Free with store_report_breakdowns_free(*out, *nout, nkeys). */
ks_status store_report_breakdowns(store *s, const store_report_q *q, const char *const *keys, size_t nkeys,
                                  store_report_row ***out, size_t **nout, ks_err *err);
void store_report_breakdowns_free(store_report_row **v, size_t *n, size_t npaths);
/* Clocks stopped in the month, by clock code: met and breached. */
ks_status store_report_clocks(store *s, const store_report_q *q, store_report_row **out, size_t *n, ks_err *err);
/* Make report_keys the given keys (the intake form's choice fields) and
 * case_values hold every case's value of each: rows of a key no longer
 * wanted are deleted, a new key's rows filled from every case, in one
 * transaction; nothing is written when they are already the same (one small
 * read). Called at every session open. */
ks_status store_report_keys_sync(store *s, const char *const *keys, size_t nkeys, ks_err *err);
/* Handling times (seconds from registration to the final state entered from
 * a non-initial state) of the cases closed in the month, ascending. */
ks_status store_report_durations(store *s, const store_report_q *q, long long **out, size_t *n, ks_err *err);

/* ---- 签呈: formal dissents on decisions (src/store/dissent.c, schema 009) ----
 * Filed and ruled by workflow actions (core/paper.c); each is ruled on once. */
typedef struct store_dissent {
	long long id, case_id, event_id;   /* event_id: the filing */
	long long decision_event_id;
	char *decision_action, *decided_by;
	char *filed_by, *filed_dept;
	time_t filed_at;
	char *routed_to;
	char *status;                      /* open | upheld | overturned */
	long long ruled_event_id;          /* 0 while open */
	char *ruled_by;
	time_t ruled_at;
	int decision_seq, event_seq, ruled_seq;   /* filled by the readers: the events' seq in the case */
	char *case_no;                     /* filled by the readers */
} store_dissent;

void store_dissents_free(store_dissent *v, size_t n);
/* Record d as open (d->id set). In a transaction. */
ks_status store_dissent_insert(store *s, store_dissent *d, ks_err *err);
/* Rule on open dissent id: status upheld or overturned. KS_CONFLICT if it is
 * no longer open. In a transaction. */
ks_status store_dissent_rule(store *s, long long id, const char *status, long long event_id, const char *by,
                             time_t at, ks_err *err);
/* Dissents by id: of case_id (> 0), routed to login (not NULL), only open
 * ones (open_only); each filter optional. */
ks_status store_dissents(store *s, long long case_id, const char *login, bool open_only, store_dissent **out,
                         size_t *n, ks_err *err);

/* ---- import of old registers (src/store/import.c) ---- */
/* Whether a case numbered no exists. */
ks_status store_case_exists(store *s, const char *no, bool *out, ks_err *err);
/* Make the sequence of period at least seq (never lowers it), so that
 * store_next_seq continues after an imported number. In a transaction. */
ks_status store_seq_raise(store *s, const char *period, long long seq, ks_err *err);

/* ---- advisory edit locks (src/store/editlock.c) ----
 * One row per case and person with a form open on it (schema 012_edit_locks).
 * Writes in a transaction. */
typedef struct store_edit_lock {
	long long case_id;
	char *login, *action;
	time_t taken_at, expires_at;
} store_edit_lock;

/* Record l, replacing the same person's lock on the same case. */
ks_status store_edit_lock_put(store *s, const store_edit_lock *l, ks_err *err);
/* Remove login's lock on case_id (none: nothing happens). */
ks_status store_edit_lock_drop(store *s, long long case_id, const char *login, ks_err *err);
/* Remove every lock expired at now. */
ks_status store_edit_locks_purge(store *s, time_t now, ks_err *err);
/* The unexpired locks on case_id at now, oldest first (store_edit_locks_free). */
ks_status store_edit_locks(store *s, long long case_id, time_t now, store_edit_lock **out, size_t *n,
                           ks_err *err);
void store_edit_locks_free(store_edit_lock *v, size_t n);

/* ---- periodic tasks (src/store/tasks.c, schema 014) ----
 * A completion is recorded once per task and period; rows never change. */
typedef struct store_task_done {
	char *task, *period;
	time_t due_at, at;
	char *by, *note;
	char *report;            /* JSON text or NULL */
	long long id;
	char prev_hash[65], hash[65];
} store_task_done;
void store_task_done_clear(store_task_done *d);
/* Record d. A period already done: KS_CONFLICT. In a transaction. */
ks_status store_task_done_add(store *s, const store_task_done *d, ks_err *err);
/* The completion of task for period into out; *found false if none. */
ks_status store_task_done_get(store *s, const char *task, const char *period, store_task_done *out, bool *found,
                              ks_err *err);
/* The hash of the newest completion (64 '0's if none). */
ks_status store_task_last_hash(store *s, char out[65], ks_err *err);
/* Every completion in id order (strings live during the call only). */
typedef bool (*store_task_fn)(void *ctx, const store_task_done *d);
ks_status store_task_done_each(store *s, store_task_fn fn, void *ctx, ks_err *err);
/* Record a reminder about a task period unless one of the same kind was
 * issued already (*inserted says which). In a transaction. */
ks_status store_task_reminder_add(store *s, const char *task, const char *period, const char *kind, time_t at,
                                  time_t due_at, bool *inserted, ks_err *err);

/* ---- retention and disposal (src/store/archive.c, schema 015) ---- */
typedef struct store_archive_case {
	long long id;
	char *no, *state, *fields;
	time_t created_at;
	time_t closed_at;        /* when it last entered a final state */
	time_t disposed_at;      /* its disposal event, 0 if none */
	int version;
} store_archive_case;
void store_archive_cases_free(store_archive_case *v, size_t n);
/* The cases in one of the final states (JSON array of codes), by id; the
 * disposal events are those with action `dispose_action`. */
ks_status store_archive_cases(store *s, const char *finals, const char *dispose_action, store_archive_case **out,
                              size_t *n, ks_err *err);
/* Replace the payload of every event of the case (but those with action
 * keep_action), of every form revision and copy with marker. In a transaction. */
ks_status store_archive_clear(store *s, long long case_id, const char *marker, const char *keep_action, ks_err *err);
/* Whether the case has an event with action (its disposal). */
ks_status store_case_has_action(store *s, long long case_id, const char *action, bool *out, ks_err *err);

#endif
