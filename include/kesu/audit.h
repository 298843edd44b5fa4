/* audit.h — the hash chain over every event.
 *
 * hash = SHA-256( "kesu-event-v1" 0x00 prev_hash 0x00 canonical(event) ),
 * hex-encoded, where canonical(event) is a compact JSON array of the event's
 * case number, sequence, time, actor, action, from, to and fields text. The
 * domain prefix keeps an event hash from ever equalling another kind of hash. */
#ifndef KESU_AUDIT_H
#define KESU_AUDIT_H

#include "kesu/store.h"

/* Compute e->hash from e->prev_hash and the event's content. case_no is the
 * number of the case the event belongs to. */
void audit_hash_event(const char *case_no, store_event *e);

#endif
