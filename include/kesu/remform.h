/* remform.h — the 催办单 and 治办单 as paper (issue 4): a reminder that
 * `kesu remind` recorded (store_reminder, kind urge or inquiry) laid out by
 * the preset's reminder form (conf_form.reminder, forms/urge_notice.yaml and
 * forms/escalation_notice.yaml). The form decides the title, the labels, the
 * order and grouping of its items, the signature boxes and any copies; the
 * engine fills each item of the fixed vocabulary (CONF_REMINDER_KEYS, see
 * docs/config.md) from the reminder and its case:
 *
 *   case subject customer state handling_dept assignee   the case (now)
 *   clock started due late                                the clock's run it is about
 *   dept person role level                                whom it is addressed to
 *   issued_at issued_by                                   when; the form's `issuer` text
 *   awaited                                               the actions that stop the clock
 *   reason measures                                       always empty: boxes to write in
 *
 * A reminder is numbered by its id (the `#N` of `kesu remind` and `show`). */
#ifndef KESU_REMFORM_H
#define KESU_REMFORM_H

#include <jansson.h>
#include "kesu/session.h"

/* Reminder number id of case c and the form that lays it out: KS_NOTFOUND
 * for an unknown number or one of another case, KS_INVALID for a warning
 * (not a 催办单/治办单), KS_NOTFOUND when the configuration has no form for
 * its kind. *r: free with store_reminders_free(*r, 1). */
ks_status remform_find(session *s, const store_case *c, long long id, store_reminder **r, const conf_form **f,
                       ks_err *err);

/* The snapshot of reminder r of case c laid out by form f, in the shape
 * print_form_doc() takes (copies.h: form, title, case, items, signatures,
 * issued; no version, so the header is the case number only). Pure but for
 * formatting times in the business zone. A new object. */
json_t *remform_snapshot(const conf *cf, const conf_form *f, const store_case *c, const store_reminder *r);

#endif
