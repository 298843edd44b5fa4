/* demo.h — sample cases for a demo data directory, from a preset's demo.yaml.
 *
 * demo.yaml:
 *   demo:
 *     - at: "-6 09:15"          # days before today, and the local time
 *       as: qiantai             # who registers
 *       fields: {customer: …}   # the intake form's fields
 *       then:                   # actions, in order
 *         - {at: "-6 10:00", as: guanli, do: accept}
 *         - {at: "-5 09:00", as: guanli, do: assign, fields: {dept: quality}}
 * A date or datetime field may be given relative to the demo's day or step:
 *   fields: {reply_time: {relative: "+1 10:00"}}  tomorrow 10:00
 *           {incident_date: {relative: "-35"}}    the date 35 days ago
 *           {due_by: {relative: "+2h"}}           two hours after the step's `at`
 * Every case goes through the same core functions as real work. */
#ifndef KESU_DEMO_H
#define KESU_DEMO_H

#include "kesu/err.h"

/* Load the demo cases of file into the data directory dir. */
ks_status demo_load(const char *dir, const char *file, ks_err *err);

#endif
