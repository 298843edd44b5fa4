/* deadline.h — clocks on cases (limits.yaml) on the working calendar, and the
 * reminders they cause: warnings before due, 催办单 when a running clock is
 * late, 治办单 when a case finished a clock late.
 *
 * A clock's due time is always computed from its start, its limit and the
 * case's history: time the case spent in a paused state is added back. So a
 * recomputation (after a calendar change) gives the same answer as the
 * original computation, and a pause is never counted twice. */
#ifndef KESU_DEADLINE_H
#define KESU_DEADLINE_H

#include <jansson.h>
#include "kesu/session.h"

/* Start, stop and re-time the clocks of case c after action (the code, or
 * "new" for registration) was recorded at now; fields are the case's fields
 * after the action. Call inside the action's transaction, after its event
 * is written. A limit that reaches a year without holiday data fails. */
ks_status deadline_on_action(session *s, const store_case *c, const char *action, const json_t *fields,
                             time_t now, ks_err *err);

/* The status of d at now: "running", "paused", "met" or "breached" (a running
 * clock past its due time is breached). */
const char *deadline_status(const store_deadline *d, time_t now);

/* Recompute the due times of every running or paused clock from the current
 * calendar and limits, leaving met and breached clocks as they were. Its own
 * transaction. *changed counts clocks whose due time moved. */
ks_status deadline_recompute(session *s, int *changed, ks_err *err);

/* Issue the reminders due at now (its own transaction). Running it again
 * issues nothing new. *out lists what was issued now (free with
 * store_reminders_free). */
ks_status deadline_remind(session *s, time_t now, store_reminder **out, size_t *n, ks_err *err);

/* The reminders addressed to the person logged in to s, newest first, at
 * most limit (<= 0: all): 催办单 escalated to a role they hold, and the
 * warnings, 催办单 and 治办单 without a role addressed to their department.
 * Not logged in: KS_DENIED. Free with store_reminders_free. */
ks_status deadline_reminders_mine(session *s, int limit, store_reminder **out, size_t *n, ks_err *err);

/* "2 天 3 小时", "45 分钟" for a span in seconds (absolute value). buf >= 48. */
void deadline_span(long long seconds, char *buf, size_t n);

#endif
