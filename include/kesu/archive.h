/* archive.h — retention of closed cases and disposal of their personal data
 * (issue 9): membership 资料保存一年、重要资料延期保存, installation 一户一档
 * 永久保存, lawfirm 按年度建立案宗. Configured in a preset's retention.yaml
 * (src/conf/retconf.c, docs/config.md "retention.yaml"):
 *
 *   retention:
 *     keep: {years: 1}                  or {months: N}, or forever
 *     from: closed                      closed (default) | registered
 *     extend_when: {field: important, equals: yes}
 *     extend: {years: 2}                or forever: added to keep when extend_when holds
 *     archive_year: closed              optional: show the case's archive year (closed | registered)
 *     dispose: [admin]                  roles that may dispose (required unless keep is forever)
 *     keep_fields: [category]           case fields kept after disposal (not personal data)
 *
 * A closed case (in a final state) is kept until the end of the local day
 * that is `keep` after `from` (closed: when it last entered a final state);
 * then it is due for disposal. Disposal (archive_dispose) replaces, in one
 * transaction, the case's fields (but keep_fields), customer and subject,
 * every form revision, every copy's snapshot and every earlier event's
 * payload with a marker, and appends a `kesu:dispose` event that lists each
 * cleared event's seq, stored hash and the SHA-256 of its old payload. The
 * event is hashed into the chain like any other, and `audit verify` accepts a
 * cleared event only when a later disposal event of its case pins its hash
 * (docs/architecture.md, "Disposal and the audit chain"). */
#ifndef KESU_ARCHIVE_H
#define KESU_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "kesu/conf.h"
#include "kesu/err.h"

/* The payload a cleared event, form revision or copy carries. */
#define ARCHIVE_MARKER "{\"_disposed\":true}"
/* The action of a disposal event (not a valid workflow action code). */
#define ARCHIVE_ACTION "kesu:dispose"

typedef enum { RETFROM_CLOSED = 0, RETFROM_REGISTERED } retconf_from;

typedef struct retconf {
	bool forever;            /* keep: forever */
	int keep_months;         /* years * 12 + months */
	retconf_from from;
	char *extend_field;      /* NULL: no extension */
	char **extend_values;    size_t nextend_values;
	bool extend_forever;
	int extend_months;
	int archive_year;        /* 0: not shown; else RETFROM_CLOSED + 1 or RETFROM_REGISTERED + 1 */
	char **dispose_roles;    size_t ndispose_roles;
	char **keep_fields;      size_t nkeep_fields;
} retconf;

/* Load DIR/retention.yaml into c->retention if it exists. */
void conf_load_retention(conf *c, conf_diags *d);
void retconf_free(retconf *r);

/* Retention arithmetic: the instant a case kept `months` from `from` may be
 * disposed of — 00:00 after the local day `months` months after from's day
 * (the 29th–31st of a shorter month: its last day). */
time_t archive_end(time_t from, int months);

typedef enum {
	ARCH_KEPT = 0,           /* 保存中 */
	ARCH_DUE,                /* 到期（可销毁） */
	ARCH_FOREVER,            /* 永久保存 */
	ARCH_DISPOSED,           /* 已销毁 */
} archive_state;
const char *archive_state_code(archive_state s);   /* kept due forever disposed */
const char *archive_state_label(archive_state s);

typedef struct archive_row {
	long long id;
	char *no, *state;
	time_t created_at, closed_at;
	time_t end;              /* retention end; 0 for forever */
	bool extended;           /* extend_when held */
	archive_state st;
	int archive_year;        /* 0 if not configured */
	time_t disposed_at;      /* 0 if not disposed */
} archive_row;
void archive_rows_free(archive_row *v, size_t n);

struct session;
/* The closed cases with their retention (only for the roles of `dispose` or
 * a role that sees every case), oldest first; due_only: only ARCH_DUE. */
ks_status archive_list(struct session *s, time_t now, bool due_only, archive_row **out, size_t *n, ks_err *err);
/* Dispose of the cases due at now: those whose retention ended by `before`
 * (> 0), or exactly the cases named (each must be due; otherwise nothing is
 * done and the first that is not is named). Roles of `dispose` only. One
 * transaction. The disposed rows into *out. */
ks_status archive_dispose(struct session *s, time_t now, time_t before, char *const *cases, size_t ncases,
                          archive_row **out, size_t *n, ks_err *err);

#endif
