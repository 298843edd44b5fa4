/* editlock.h — the advisory "正在由 X 编辑" lock on a case.
 *
 * When someone opens an action's form on a case (the terminal interface),
 * editlock_take records it until now + tui.yaml's edit_lock_minutes and
 * returns the others who have a form open on the same case, so they can be
 * named before this person starts typing. Nothing is ever refused because
 * of a lock: the version check of case_do settles real conflicts. The lock
 * goes with editlock_release (form saved or given up) or expires on its own
 * (a session killed). With edit_lock_minutes 0 or no tui.yaml nothing is
 * recorded and nobody is named. */
#ifndef KESU_EDITLOCK_H
#define KESU_EDITLOCK_H

#include "kesu/session.h"

typedef struct editlock_holder {
	char *login, *name;     /* name: the staff member's name (the login if unknown) */
	char *action;           /* the action's label (the code if unknown) */
	time_t since, until;
} editlock_holder;

/* Record that the person logged in to s is filling in action (a code) on
 * case no, at clock_now(); *others (allocated, editlock_holders_free) are
 * the unexpired locks of other people on that case, oldest first. One
 * BEGIN IMMEDIATE transaction, which also clears expired locks. A case the
 * person cannot see: KS_NOTFOUND. */
ks_status editlock_take(session *s, const char *no, const char *action, editlock_holder **others,
                        size_t *n, ks_err *err);
/* Drop the person's lock on case no (if any). */
ks_status editlock_release(session *s, const char *no, ks_err *err);
/* The unexpired locks on case no at clock_now(), the person's own included. */
ks_status editlock_list(session *s, const char *no, editlock_holder **out, size_t *n, ks_err *err);
void editlock_holders_free(editlock_holder *v, size_t n);

#endif
