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
	time_t next_due;         /* store_case_list only: earliest running due time, 0 if none */
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

typedef struct store_filter {
	const char *state;      /* NULL: any */
	const char *dept;       /* NULL: any */
	const char *involving;  /* login: registrant, assignee or actor of an event */
	bool overdue;           /* only cases with a running clock due before now */
	time_t now;
	int limit;              /* <= 0: no limit */
} store_filter;

/* Cases matching f, newest first. *out is an array of *n (store_cases_free). */
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
	time_t at, due_at;
	long long late;          /* seconds after due (negative: before) */
	char *case_no;           /* store_reminders only */
} store_reminder;

/* Record r unless the same case, clock, kind and level has one already;
 * *inserted says which. In a transaction. */
ks_status store_reminder_add(store *s, const store_reminder *r, bool *inserted, ks_err *err);
/* Reminders of a case (case_id > 0) or all (case_id 0), oldest first. */
ks_status store_reminders(store *s, long long case_id, store_reminder **out, size_t *n, ks_err *err);
void store_reminders_free(store_reminder *v, size_t n);

/* A number that changes whenever another connection commits a change to the
 * database (PRAGMA data_version): cheap enough to poll every second. */
ks_status store_data_version(store *s, long long *out, ks_err *err);

/* A value in the meta table (caller frees), or NULL. */
char *store_meta_get(store *s, const char *key);
ks_status store_meta_set(store *s, const char *key, const char *value, ks_err *err);

#endif
