/* doctor.h — `kesu doctor`: is this deployment sound, and if not, what to do.
 *
 * Every check gives one finding: ok, a sentence saying what was found, and
 * (when not ok) a sentence saying how to fix it, both in Chinese. The checks
 * are listed once here; every run reports all of them, in this order. A
 * check that can't run because an earlier one failed (no data directory, an
 * invalid configuration, not the directory's owner) is reported as not ok
 * with the reason. Nothing is written: the database is opened read-only. */
#ifndef KESU_DOCTOR_H
#define KESU_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include "kesu/err.h"

/* id, JSON name, Chinese label */
#define DOCTOR_CHECK_LIST(X)                                   \
	X(DOCTOR_DATA_DIR,     "data_dir",     "数据目录")     \
	X(DOCTOR_DB_FILES,     "db_files",     "数据库文件")   \
	X(DOCTOR_CONFIG,       "config",       "配置")         \
	X(DOCTOR_FORMS,        "forms",        "表单文件")     \
	X(DOCTOR_TIMEZONE,     "timezone",     "时区")         \
	X(DOCTOR_CALENDAR,     "calendar",     "工作日历")     \
	X(DOCTOR_WAL,          "wal",          "WAL 模式")     \
	X(DOCTOR_SCHEMA,       "schema",       "数据库版本")   \
	X(DOCTOR_INTEGRITY,    "integrity",    "数据库完整性") \
	X(DOCTOR_KEYS,         "keys",         "SSH 密钥")     \
	X(DOCTOR_STAFF_ACCESS, "staff_access", "员工登录")     \
	X(DOCTOR_AUDIT,        "audit",        "审计链")

typedef enum {
#define DOCTOR_X(id, name, label) id,
	DOCTOR_CHECK_LIST(DOCTOR_X)
#undef DOCTOR_X
	DOCTOR__COUNT
} doctor_kind;

/* The JSON name ("data_dir") and label ("数据目录") of a check; "?" if unknown. */
const char *doctor_check_name(doctor_kind k);
const char *doctor_check_label(doctor_kind k);

typedef struct doctor_finding {
	doctor_kind kind;
	bool ok;
	char *message;     /* what was found */
	char *fix;         /* how to fix it; NULL when ok */
} doctor_finding;

typedef struct doctor_report {
	doctor_finding items[DOCTOR__COUNT];   /* one per check, in list order */
} doctor_report;

typedef struct doctor_opts {
	/* 'YYYY-MM-DD HH:MM' in the configuration's time zone, or NULL for the
	 * real clock: "today" for the calendar check. */
	const char *now;
	/* How many days ahead the calendar must have holiday data (default 60). */
	int horizon_days;
	/* The service account's home, whose .ssh/authorized_keys is checked; NULL:
	 * the home of the data directory's owner from the password database. */
	const char *home;
	/* Where the installation keeps the stock forms that kesu init copies
	 * into config/forms: the shared forms directory (share/kesu/forms) and
	 * the presets' directory (share/kesu/presets, whose NAME/forms lie over
	 * the shared ones for the preset NAME of config/preset.yaml). NULL: not
	 * known; the forms check then compares nothing. */
	const char *share_forms, *share_presets;
} doctor_opts;

/* Check the deployment of data directory dir into *r (free its strings with
 * doctor_report_free). KS_OK once every check has run, whatever it found;
 * KS_INVALID only if opts->now is not a valid time. */
ks_status doctor_run(const char *dir, const doctor_opts *opts, doctor_report *r, ks_err *err);
void doctor_report_free(doctor_report *r);
/* Whether every check of r is ok. */
bool doctor_report_ok(const doctor_report *r);

/* Read one line of authorized_keys. Returns 1 when its command="…" option
 * names a login with "--as LOGIN" or "--as=LOGIN" (the login into out, of
 * size n); 0 when it has a command= without --as (the command into out);
 * -1 when it has no command= at all; -2 for a blank line or a comment. */
int doctor_key_login(const char *line, char *out, size_t n);

#endif
