/* case.h — the workflow engine: registering a complaint, the actions a
 * person may take, taking one, and reading a case with its history.
 *
 * The engine is generic: states, actions, roles, scopes, conditions and forms
 * all come from the configuration. Each change is one transaction that writes
 * the case, its event (chained into the audit hash) and its form revision. */
#ifndef KESU_CASE_H
#define KESU_CASE_H

#include <jansson.h>
#include "kesu/session.h"
#include "kesu/form.h"

/* Register a complaint from the intake form's fields. Checks that the current
 * person may register, validates the fields, allocates the case number, routes
 * the case to a department, and writes everything in one transaction.
 * *no is the new number (caller frees). */
ks_status case_register(session *s, const form_kv *in, size_t n, char **no, ks_err *err);

/* Whether the current person may take action a on case c now: KS_OK, or
 * KS_INVALID (not in this state / a condition does not hold) or KS_DENIED
 * (role, department, approval limit), with the reason in err. */
ks_status case_may(session *s, const store_case *c, const conf_action *a, ks_err *err);

/* The actions the current person may take on case no now, in workflow order.
 * *out is an allocated array of pointers into the configuration (free it). */
ks_status case_actions(session *s, const char *no, const conf_action ***out, size_t *n, ks_err *err);

/* Take action on case no with fields in[0..n). expect_version < 0 means "the
 * current version"; otherwise a case whose version moved is refused with
 * KS_CONFLICT naming who changed it and when. Nothing is written on failure. */
ks_status case_do(session *s, const char *no, const char *action, const form_kv *in, size_t n,
                  int expect_version, ks_err *err);

/* case_do, and *note (if note is not NULL) receives what the engine has to
 * tell the person about the action done (where a 签呈 went, which quantity a
 * voucher must use), or NULL. Caller frees. */
ks_status case_do_note(session *s, const char *no, const char *action, const form_kv *in, size_t n,
                       int expect_version, char **note, ks_err *err);

/* The 会签 (quorum) of action a on case c in the current round: who has
 * signed, in order, and for a by-role quorum which entry each signature
 * filled and which entries still await one. */
typedef struct case_quorum {
	size_t need;          /* signatures needed (a->quorum) */
	size_t have;          /* signatures that count so far */
	char **signers;       /* logins, oldest first */
	int *slot;            /* per signer: by_role entry filled, or -1 */
	size_t nsigners;
	bool *awaiting;       /* per by_role entry: no signature yet (NULL for count) */
	size_t nslots;
} case_quorum;

ks_status case_quorum_status(session *s, const store_case *c, const conf_action *a, case_quorum *out,
                             ks_err *err);
void case_quorum_free(case_quorum *q);

/* "部门经理（销售部）" for by-role quorum entry r of a->quorum_by_role on c. Caller frees. */
char *case_quorum_role_text(const session *s, const store_case *c, const conf_quorum_role *r);

/* A case with everything about it, for show and the case screen. */
typedef struct case_view {
	store_case c;
	store_event *events;
	size_t nevents;
	store_form *forms;
	size_t nforms;
	store_deadline *deadlines;
	size_t ndeadlines;
	store_reminder *reminders;
	size_t nreminders;
} case_view;

ks_status case_load(session *s, const char *no, case_view *out, ks_err *err);
void case_view_free(case_view *v);

/* Whether the current person may see case c: not the person complained about
 * (a `recuse` staff field), and either a role that sees all, or their
 * department's case with a role that sees the department, or involved:
 * registrant, assignee, an actor in its history, or able to act on it now.
 * Everyone else is told the case does not exist. */
bool case_visible(session *s, const store_case *c);

/* A case's fields (JSON text) parsed, read-only, borrowed from the session,
 * which keeps the last one parsed: valid until the next call. An empty
 * object for NULL or text that is not an object. */
const struct json_t *case_fields_of(session *s, const char *text);

/* Cases matching f that the current person may see (case_visible, decided
 * in SQL: the core passes the person's sight to the store), in f->order,
 * paged by f->limit and f->offset or f->after. With f->todo, only the cases
 * the person may act on now (待办; each row of the page is checked with
 * case_may as well). f->sight is ignored (the core sets it). Free with
 * store_cases_free. */
ks_status case_list(session *s, const store_filter *f, store_case **out, size_t *n, ks_err *err);

/* How many cases case_list would list for f (all pages), counting at most
 * cap (> 0): *n == cap means "cap or more". */
ks_status case_count(session *s, const store_filter *f, long long cap, long long *n, ks_err *err);

/* Whether the fields object satisfies the conditions w[0..n) (a `when`:
 * any alternative whose conditions all hold; none: true). registered is the
 * case's registration time, the reference of older_than / within (at
 * registration itself: now). */
bool case_conds_hold(const json_t *fields, const conf_cond *w, size_t n, time_t registered);

/* The label of a state code (the code itself if unknown). */
const char *case_state_label(const session *s, const char *state);
/* The name of a staff login or department code (the code itself if unknown). */
const char *case_staff_name(const session *s, const char *login);
const char *case_dept_name(const session *s, const char *code);
/* The label of an action code, "登记" for registration. */
const char *case_action_label(const session *s, const char *action);

#endif
