/* calconf.h — load a working-calendar file (config/calendars/NAME.yaml).
 *
 * The format is described in the header comment of config/calendars/cn.yaml:
 *
 *   calendar:
 *     name: cn                          required, [a-z0-9_-]+
 *     label: 中国大陆法定工作日历       optional text
 *     timezone: Asia/Shanghai           required, non-empty text
 *     workweek: [mon, tue, wed, thu, fri]          required list of mon … sun
 *     hours: ["08:30-12:00", "13:30-17:30"]        required, non-empty, in order
 *     years:                            required, non-empty map
 *       2026:                           four-digit year; data COMPLETE for it
 *         source: …                     optional text
 *         holidays: [{name, from, to}]  required (write [] for none)
 *         workdays: [{name, date}]      required (write [] for none)
 *
 * A date in a year's section must lie in that year, or in December of the year
 * before (a notice may reach back across New Year, e.g. 元旦 from 12-31).
 *
 * Every problem becomes one diagnostic "DISPLAY_NAME:LINE:COL: 中文说明";
 * loading goes on after a problem so one run reports all of them, in file
 * order. */
#ifndef KESU_CALCONF_H
#define KESU_CALCONF_H

#include "kesu/calendar.h"
#include "kesu/conf.h"
#include "kesu/err.h"

/* What the file says besides the calendar itself. */
typedef struct calconf_info {
	char *timezone;   /* calendar.timezone, non-empty; NOT checked against the
	                     zone database: the caller passes it to clock_set_zone() */
	char *label;      /* calendar.label, or NULL if the file has none */
} calconf_info;

/* Load the calendar file at path. display_name (NULL: path) is the file name
 * used in diagnostics.
 *
 * On success returns KS_OK, sets *out to a new calendar (free with
 * calendar_free()) whose name is calendar.name and whose version is the
 * lowercase hex SHA-256 of the file's bytes (64 characters), and fills *info
 * (if info is not NULL; free its strings with calconf_info_free()).
 *
 * Otherwise *out is NULL, *info is all NULL, and every problem has been
 * appended to diags (which may already hold messages; the caller frees them
 * with conf_diags_free()). Returns KS_FAIL if the file cannot be read,
 * KS_INVALID for anything wrong in it.
 *
 * Does NOT call clock_set_zone(): the business time zone is process-wide, so
 * the caller sets it from info->timezone (and reports an unknown zone). */
ks_status calconf_load(const char *path, const char *display_name, calendar **out,
                       calconf_info *info, conf_diags *diags);

/* Free the strings of info and set them to NULL. NULL is a no-op. */
void calconf_info_free(calconf_info *info);

#endif
