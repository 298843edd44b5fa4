/* import.h — `kesu import FILE.csv`: old registers (登记表) exported from
 * spreadsheets, turned into cases that keep their original numbers and dates.
 *
 * Three steps, each usable on its own:
 *   import_parse_csv  bytes (UTF-8, GBK or GB18030) -> rows of cells, each row
 *                     with the physical line it starts on (the header is line
 *                     1; a quoted field over several lines moves the following
 *                     rows down). libcsv does the CSV, iconv the encoding.
 *   import_check      rows -> validated cases or a list of problems, each with
 *                     its line, its column (the header as written) and the
 *                     reason; needs only the configuration (no database).
 *   import_run        the whole command: who may import, parse, check, numbers
 *                     already in the database, then one transaction writing
 *                     every case with its event, form revision, clocks and
 *                     search entry. Any problem: nothing is written.
 * import_parse is the fuzzing entry point (parse + check on hostile bytes).
 *
 * Columns (headers): an intake-form field by key or label; the reserved
 * columns case (案件编号, required), created (登记时间, required), state
 * (状态) and registrant (登记人); or any other spelling mapped in the
 * preset's import.yaml (`columns:`), or skipped there (`ignore:`).
 * A state may be the initial state or a final one (a register cannot say
 * more: the steps in between have no record). docs/config.md, docs/cli.md. */
#ifndef KESU_IMPORT_H
#define KESU_IMPORT_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>
#include "kesu/conf.h"
#include "kesu/session.h"

/* ---- import.yaml (src/conf/impconf.c), read by conf_load ---- */
typedef struct impconf_alias {
	char *from;     /* the header as written in old registers */
	char *to;       /* an intake field key or a reserved column */
} impconf_alias;

typedef struct impconf {
	char **roles;   size_t nroles;      /* who may import; none: the intake roles */
	impconf_alias *columns; size_t ncolumns;
	char **ignore;  size_t nignore;     /* headers whose columns are skipped */
	impconf_alias *states; size_t nstates;  /* words in the state column -> state codes */
} impconf;

/* conf_load_import and impconf_free are declared in conf.h. */

/* The reserved columns: key and label. */
#define IMPORT_RESERVED_LIST(X) \
	X(IMP_CASE,       "case",       "案件编号") \
	X(IMP_CREATED,    "created",    "登记时间") \
	X(IMP_STATE,      "state",      "状态")     \
	X(IMP_REGISTRANT, "registrant", "登记人")

/* ---- parsing ---- */
typedef struct import_row {
	long line;          /* physical line (1-based) where the row starts */
	char **cells;       /* UTF-8, CR LF turned into LF */
	size_t ncells;
} import_row;

typedef struct import_table {
	import_row *rows;   /* rows[0] is the header */
	size_t nrows;
} import_table;

/* Decode data (enc: "UTF-8", "GBK", "GB18030"; NULL means UTF-8; a UTF-8 BOM
 * is skipped) and split it into rows. KS_INVALID with the line for bytes that
 * are not in the encoding or malformed CSV (an unterminated quote, a quote
 * inside an unquoted field). Free with import_table_free. */
ks_status import_parse_csv(const char *data, size_t len, const char *enc, import_table *out, ks_err *err);
void import_table_free(import_table *t);

/* ---- checking ---- */
typedef struct import_problem {
	long line;          /* 1 = the header */
	char *column;       /* the header as written, or NULL (the whole row) */
	char *msg;
} import_problem;

typedef struct import_case {
	long line;
	char *no;
	time_t created;
	const char *state;       /* into the configuration */
	const char *registrant;  /* login, into the configuration; NULL: the importer */
	json_t *fields;          /* the intake form's values, as form_fill makes them */
} import_case;

#define IMPORT_PROBLEMS_MAX 10000  /* kept; more are only counted */

typedef struct import_plan {
	import_case *cases;      size_t ncases;
	import_problem *probs;   size_t nprobs;
	size_t nmore;            /* problems beyond IMPORT_PROBLEMS_MAX */
	size_t nbad;             /* rows with at least one problem */
} import_plan;

/* Map t's header to columns and validate every row against c's intake form
 * (values through form_parse_value/form_fill), reserved columns, dates not
 * after now, known staff and departments, and case numbers unique within
 * the file. Problems are sorted by line. Always KS_OK unless out of memory;
 * the caller looks at out->nprobs. Free with import_plan_free. */
ks_status import_check(const conf *c, const import_table *t, time_t now, import_plan *out, ks_err *err);
void import_plan_free(import_plan *p);

/* Fuzzing entry point: import_parse_csv then, when c is not NULL,
 * import_check. Never writes anything. */
ks_status import_parse(const conf *c, const char *data, size_t len, const char *enc, time_t now,
                       import_plan *out, ks_err *err);

/* ---- the command ---- */
typedef enum { IMPORT_CHECKING, IMPORT_WRITING } import_phase;
typedef void (*import_progress_fn)(void *ctx, import_phase phase, size_t done, size_t total);

/* Import data as the person logged in to s. KS_DENIED if their roles may not
 * import (import.yaml roles, else the intake roles); KS_INVALID when any row
 * is bad — out->probs lists them (also numbers already in the database) and
 * nothing is written; otherwise one transaction, out->ncases imported.
 * source names the file in the events. progress may be NULL. */
ks_status import_run(session *s, const char *data, size_t len, const char *enc, const char *source,
                     import_progress_fn progress, void *ctx, import_plan *out, ks_err *err);

/* Parse case number no against the numbering format fmt (workflow.yaml
 * case_number). If no is a number the format could produce, *period is the
 * sequence's period key (no with its {SEQ} part as "#", as case_register
 * uses) and *seq its sequence number; returns false otherwise. */
bool import_number_period(const char *fmt, const char *no, char **period, long long *seq);

#endif
