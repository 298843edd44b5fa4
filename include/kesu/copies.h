/* copies.h — copies (联) of paper forms.
 *
 * A form may list its copies (forms/NAME.yaml: `copies`, each with a number,
 * a holder department and a purpose) and a workflow action may issue them
 * (workflow.yaml: `issues: [FORM]`). When that action happens, every copy is
 * recorded in the same transaction with a frozen snapshot of the form, so a
 * copy printed later is always the same paper. A reopen leaves the copies
 * alone; the next issuing action records a new round.
 *
 * The snapshot (JSON, identical for every copy of a round):
 *   form, title          the form's code and title
 *   case, version        the case number and its version when issued
 *   state, state_label   the case's state then
 *   dept, dept_name      the handling department then
 *   registered           registration time, "YYYY-MM-DD HH:MM" local
 *   fields               the case's whole fields object then
 *   items                [{key, label, group, text}]: the form's own fields in
 *                        its order (empty ones too: a paper form has every box),
 *                        then every other field the handling recorded, in the
 *                        order it was recorded; text is the value as printed
 *                        (choice labels, names, money with 元)
 *   signatures           the signature boxes (form.signatures)
 *   issued               {at: "YYYY-MM-DD HH:MM", by: login, by_name}: only in
 *                        the copies' snapshot, not in a draft's */
#ifndef KESU_COPIES_H
#define KESU_COPIES_H

#include <time.h>
#include <jansson.h>
#include "kesu/session.h"

/* Issue the copies of every form in a->issues for case c (the case as the
 * action left it). Call inside the action's transaction, after its event is
 * written (the copies point at it). Nothing to do for an action without
 * `issues`. */
ks_status copies_on_action(session *s, const store_case *c, const conf_action *a, time_t now, ks_err *err);

/* The snapshot of form f for case c with history ev[0..nev) (see above).
 * Pure: reads only its arguments and the configuration. A new object. */
json_t *copies_snapshot(const conf *cf, const conf_form *f, const store_case *c,
                        const store_event *ev, size_t nev);

/* The form `kesu print` lays out for a case with copies v[0..n): the first
 * form of the latest issuing action's copies (not a 奖罚通知单); else the first form an action issues; else the intake
 * form. NULL only if none exists. */
const conf_form *copies_print_form(const conf *cf, const store_copy *v, size_t n);

#endif
