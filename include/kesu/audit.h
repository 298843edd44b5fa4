/* audit.h — the hash chain over every event.
 *
 * hash = SHA-256( "kesu-event-v1" 0x00 prev_hash 0x00 canonical(event) ),
 * hex-encoded (64 lower-case characters), where prev_hash is the hash of the
 * event before it in the whole database (events in id order; 64 '0's for the
 * first) and canonical(event) is the compact JSON array
 *     ["CASE-NO",seq,at,"actor","action","from" or null,"to","FIELDS"]
 * with at in UTC epoch seconds and FIELDS the event's fields JSON text as
 * stored, as one string. Written as jansson's JSON_COMPACT|JSON_ENSURE_ASCII
 * writes it: no spaces; in strings \" \\ \b \f \n \r \t, other characters
 * below U+0020 and every character above U+007F as \uXXXX with upper-case
 * hex digits (beyond U+FFFF as a surrogate pair), everything else (including
 * '/' and DEL) as itself. tests/cli/audit.sh recomputes one hash with jq and
 * sha256sum from this description. The domain prefix keeps an event hash
 * from ever equalling another kind of hash.
 *
 * Disposal (archive.h) replaces old payloads with ARCHIVE_MARKER; such an
 * event verifies when a later ARCHIVE_ACTION event of its case lists its seq
 * and stored hash (docs/architecture.md, "Disposal and the audit chain"). */
#ifndef KESU_AUDIT_H
#define KESU_AUDIT_H

#include <stdbool.h>
#include "kesu/store.h"

/* Compute e->hash from e->prev_hash and the event's content. case_no is the
 * number of the case the event belongs to. */
void audit_hash_event(const char *case_no, store_event *e);

/* The hash of e with prev as its previous hash into out. False (out "")
 * if the event can't be encoded (a NULL or invalid UTF-8 field: only a
 * damaged database has those). */
bool audit_compute(const char *case_no, const store_event *e, const char *prev, char out[65]);

/* The hash of a periodic task's completion (tasks.h) with prev as the
 * previous completion's hash: SHA-256("kesu-task-v1" 0x00 prev 0x00
 * canonical), canonical the compact JSON array
 *     ["task","period",due_at,at,"by","note" or null,"report" or null]
 * written as for events. False (out "") if it can't be encoded. */
bool audit_task_hash(const store_task_done *d, const char *prev, char out[65]);

/* What `audit verify` found first, in chain order. */
typedef enum {
	AUDIT_INTACT = 0,
	AUDIT_MODIFIED,      /* an event no longer matches its hash */
	AUDIT_DELETED,       /* an event is missing */
	AUDIT_REORDERED,     /* an event is not where the chain put it */
	AUDIT_NO_CASE,       /* an event whose case row is gone */
	AUDIT_HEAD_MISSING,  /* the chain is consistent, but the given head is not in it */
} audit_fault;

/* The head to record off the host covers both chains: the newest event's
 * hash and, once a periodic task has been completed, ':' and the newest
 * completion's hash ("E" or "E:T", lower-case hex). With no completion the
 * text is the events' head alone, exactly what kesu printed before the
 * completions were covered; such a head (and one recorded by an older kesu)
 * says nothing about the completions. */
#define AUDIT_HEAD_TEXT 130
typedef struct audit_head {
	char events[65], tasks[65];  /* 64 '0's: that chain is empty */
	char text[AUDIT_HEAD_TEXT];
} audit_head;

/* Both newest hashes, read in one snapshot, into h. */
ks_status audit_head_get(store *st, audit_head *h, ks_err *err);

typedef struct audit_result {
	long long nevents;
	char head[65];           /* the newest event's hash (64 '0's if none) */
	long long ntasks;        /* task completions */
	char tasks_head[65];     /* the newest completion's hash (64 '0's if none) */
	char head_text[AUDIT_HEAD_TEXT]; /* the two as `audit head` prints them */
	audit_fault fault;
	/* the event the fault concerns (for AUDIT_DELETED: the missing one, if
	 * known; else the event after the gap); "" / 0 when unknown */
	char case_no[64];
	long long seq, event_id;
	/* with a head: where it is in the chain (0 if not found or none given) */
	long long head_index;    /* 1-based position in chain order */
	char head_case[64];
	long long head_seq;
	/* with a head "E:T": where T is among the completions (0: not found,
	 * not given, or T is 64 '0's) */
	long long head_task_index; /* 1-based position in the completions' chain */
	char head_task[64], head_period[32];
} audit_result;

/* Recompute the whole chain and check that each case's events are 1..version,
 * then the task completions' chain.
 * head (NULL: none) is a head copied earlier from `kesu audit head` ("E" or
 * "E:T", audit_head): E must be the hash of an event in the chain and T the
 * hash of a completion (either may be 64 '0's, the empty chain's); removing
 * the newest completion (or event) after the head was recorded leaves no
 * break in the chain, but its hash is then missing (AUDIT_HEAD_MISSING).
 * KS_OK if all is intact; KS_FAIL with a one-line message naming the first
 * broken event (case number, sequence and what happened to it, as far as
 * can be told); KS_INVALID if head is not of that form. r is always filled. */
ks_status audit_verify(store *st, const char *head, audit_result *r, ks_err *err);

#endif
