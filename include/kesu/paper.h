/* paper.h — the paper workflow's engine features (issue 4), all configured
 * on workflow actions in YAML and called by the workflow engine (case.c):
 *
 *   scope: involved   only staff of a department involved in the case: its
 *                     department, the departments of its registrant, assignee
 *                     and everyone in its history, and every department named
 *                     in a department field of the case.
 *   requires          the action needs a form filled (since the latest of some
 *                     actions) when the case's fields satisfy a condition;
 *                     refused with KS_DENIED naming the missing form.
 *   dissent           签呈: `file` contests the latest decision (an event of
 *                     one of `against`, or the one named in `against_field`)
 *                     and routes it to the next approver above the person who
 *                     decided: the staff of the `chain` roles whose approval
 *                     limit is the smallest one above the decider's (核决权限);
 *                     `uphold` / `overturn` are that approver's rulings, and
 *                     overturn sends the case to `reopen[decision]`.
 *   quantity_check    an actual quantity against an approved one and the
 *                     customer's over-acceptance ratio (超量允收比率): the
 *                     quantity a voucher must use, stored on the action's form
 *                     and told to the person.
 * (Conditional `issues` are applied by core/copies.c.) */
#ifndef KESU_PAPER_H
#define KESU_PAPER_H

#include <jansson.h>
#include "kesu/session.h"

/* The paper workflow's part of case_may (after the engine's own checks):
 * KS_OK, or KS_DENIED / KS_INVALID with the reason in err (err may be NULL). */
ks_status paper_may(session *s, const store_case *c, const conf_action *a, ks_err *err);

/* What an action computed before it is written. */
typedef struct paper_do {
	const char *to;          /* overturn: the state the case reopens to, else NULL */
	json_t *extra;           /* engine keys added to the event and the form revision only */
	char *note;              /* a message for the person, or NULL */
	const conf_action *file; /* DISSENT_FILE: the filing action */
	long long decision_event_id;
	char *decision_action, *decided_by, *routed_to;
	long long rule_id;       /* uphold / overturn: the dissent ruled on */
} paper_do;

/* Inside the action's transaction, after its form was filled into input and
 * merged into the case's fields (before anything is written): refuse what
 * the paper workflow does not allow, compute quantity_check (into input and
 * fields) and prepare the dissent bookkeeping. */
ks_status paper_before(session *s, const store_case *c, const conf_action *a, json_t *input, json_t *fields,
                       paper_do *p, ks_err *err);
/* After the action's event e is written: record or rule on the dissent. */
ks_status paper_after(session *s, const store_case *c, const conf_action *a, const store_event *e,
                      paper_do *p, ks_err *err);
void paper_do_free(paper_do *p);

/* The label of a dissent status (open → 待批示, upheld → 维持原决议,
 * overturned → 撤销原决议). */
const char *paper_dissent_status_label(const char *status);

/* The quantity a voucher must use: actual when it is at most approved, or
 * above it by no more than over_per_mille ‰ of approved; beyond that the
 * approved quantity (or, with beyond_limit, the allowed maximum). *limit is
 * the allowed maximum (approved + floor(approved × ‰ / 1000)). Returns
 * 0 under/equal, 1 within the ratio, 2 beyond it. */
int paper_voucher_qty(long long approved, long long actual, long long over_per_mille, bool beyond_limit,
                      long long *qty, long long *limit);

#endif
