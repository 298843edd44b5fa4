/* conf.h — a preset directory's YAML, loaded once and validated.
 *
 * Files in DIR (a data directory's config/, or a preset under config/presets/):
 *   preset.yaml       name and one-line description
 *   departments.yaml  departments
 *   staff.yaml        roles and staff (login, name, department, roles, approval limit)
 *   workflow.yaml     case numbering, states, intake, actions
 *   routing.yaml      which department a new case goes to
 *   limits.yaml       clocks (time limits), paused states, reminder levels
 *   calendar.yaml     the working calendar: time zone, working week and hours,
 *                     holidays and make-up working days per year
 *   forms/NAME.yaml   form definitions (fields, labels, types, limits)
 *   import.yaml       optional: header spellings and roles for kesu import (import.h)
 * Every error is reported as "FILE:LINE:COL: message"; loading keeps going so
 * that one run reports all of them. */
#ifndef KESU_CONF_H
#define KESU_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include "kesu/err.h"
#include "kesu/calendar.h"

typedef struct ynode ynode;

/* Where a definition came from, for cross-reference errors. */
typedef struct conf_pos {
	const char *file;   /* owned by the conf */
	int line, col;
} conf_pos;

typedef struct conf_dept {
	char *code, *name, *parent;
	conf_pos pos;
} conf_dept;

/* How far a role sees beyond the cases its holder is involved in. */
typedef enum {
	SIGHT_INVOLVED = 0,  /* cases they registered, handle, acted on or may act on now */
	SIGHT_DEPT,          /* and every case of their own department */
	SIGHT_ALL,           /* every case */
} conf_sight;

typedef struct conf_role {
	char *code, *name;
	conf_sight sees;
	conf_pos pos;
} conf_role;

#define CONF_NO_LIMIT (-1LL)  /* approval_limit: unlimited */
#define CONF_NO_BONUS (-1LL)  /* monthly_bonus: not given */

typedef struct conf_staff {
	char *login, *name, *dept;
	char **roles;
	size_t nroles;
	long long approval_limit_fen;  /* 0: may approve nothing with an amount; CONF_NO_LIMIT: any */
	long long base_points;         /* 基点 for splitting a department's penalty (0: none) */
	long long monthly_bonus_fen;   /* 月效益奖金 (penalty cap), or CONF_NO_BONUS (-1): not given */
	bool active;
	char *reports_to;              /* `reports_to`: login of the direct superior (直接上级), or NULL */
	conf_pos pos, dept_pos, roles_pos, reports_to_pos;
} conf_staff;

#define FIELD_TYPE_LIST(X)                 \
	X(FT_TEXT,     "text",     "文本")     \
	X(FT_LONGTEXT, "longtext", "长文本")   \
	X(FT_CHOICE,   "choice",   "选项")     \
	X(FT_NUMBER,   "number",   "数字")     \
	X(FT_MONEY,    "money",    "金额")     \
	X(FT_DATE,     "date",     "日期")     \
	X(FT_DATETIME, "datetime", "日期时间") \
	X(FT_STAFF,    "staff",    "员工")     \
	X(FT_DEPT,     "department", "部门")   \
	X(FT_YESNO,    "yesno",    "是/否")

typedef enum {
#define FT_X(e, name, label) e,
	FIELD_TYPE_LIST(FT_X)
#undef FT_X
	FT__COUNT
} field_type;

const char *field_type_name(field_type t);

typedef struct conf_choice {
	char *value, *label;
} conf_choice;

/* A staff field's `default:` — who the engine fills in when the field is
 * left empty: the one active holder of role in a department
 * (`{role: R, dept: case_dept|mine|any}`), or the person a choice field's
 * value maps to (`{from: FIELD, map: {VALUE: LOGIN, ...}}`, e.g. 分管关系). */
typedef enum {
	DEFAULT_DEPT_CASE = 0,   /* the case's department (the default) */
	DEFAULT_DEPT_MINE,       /* the department of the person filling the form */
	DEFAULT_DEPT_ANY,        /* the whole company */
} conf_default_dept;

typedef struct conf_staff_default {
	bool self;                /* `{self: true}`: the person filling the form (registering / acting) */
	char *superior_of;        /* `{superior_of: registrant|assignee|me}`: that person's
	                             direct superior (staff.yaml reports_to), or NULL */
	char *role;               /* by role, or NULL */
	conf_default_dept dept;
	char *from;               /* by mapping: a choice field, or NULL */
	char **map_keys, **map_vals;
	size_t nmap;
	conf_pos pos;
} conf_staff_default;

typedef struct conf_field {
	char *key, *label, *help, *group;
	field_type type;
	bool required;
	bool recuse;                /* staff field: the person named may not see or act on the case */
	char **roles;               /* staff field: the person named must hold one of these roles */
	size_t nroles;
	long max_len;               /* characters, for text types */
	bool has_min, has_max;
	long long min, max;         /* number: value; money: fen */
	conf_choice *choices;       /* choice: the allowed values */
	size_t nchoices;
	conf_choice *special;       /* number: words allowed instead of a number */
	size_t nspecial;
	conf_staff_default *dflt;   /* staff field: filled by the engine when empty, or NULL */
	bool fixed;                 /* `fixed: true`: set at registration (or import) only; no
	                               action may write or clear this key (checked at load) */
	conf_pos pos;
} conf_field;

/* Who holds a copy: a department named by code, or — for a form about a
 * person, such as the 奖罚通知单 — that person (`holder: self`) or that
 * person's department (`holder: person_dept`). A workflow action's `issues`
 * may only name forms whose copies are all held by departments. */
typedef enum {
	COPY_HOLDER_DEPT = 0,
	COPY_HOLDER_SELF,
	COPY_HOLDER_PERSON_DEPT,
} conf_copy_holder;

/* A copy (联) of a paper form: who holds it and what for. */
typedef struct conf_copy {
	int no;                /* 1, 2, … as printed on the copy */
	char *holder;          /* department code (or "self", "person_dept": see kind) */
	conf_copy_holder kind;
	char *purpose;         /* e.g. 存, 依批示办理 */
	conf_pos pos;          /* of the holder, for cross-reference errors */
} conf_copy;

typedef struct conf_form {
	char *code, *title;
	conf_field *fields;
	size_t nfields;
	conf_copy *copies;     /* the copies issued by an action's `issues` */
	size_t ncopies;
	char **signatures;     /* signature boxes on paper (default 经办, 审核, 核准) */
	size_t nsignatures;
	conf_pos pos;
	/* A reminder form (催办单 / 治办单, forms/urge_notice.yaml and
	 * forms/escalation_notice.yaml): `reminder: urge|inquiry` says which
	 * reminders `kesu print CASE --reminder N` lays out with it. Its `items`
	 * are the boxes, in order, each a key of the fixed vocabulary
	 * CONF_REMINDER_KEYS (type FT_TEXT; the engine fills them from the
	 * reminder and its case); it has no `fields` (nfields is 0). */
	char *reminder;        /* "urge", "inquiry", or NULL: an ordinary form */
	char *issuer;          /* `issuer`: the issued_by text (kesu remind runs from cron) */
	conf_field *items;
	size_t nitems;
} conf_form;

/* The vocabulary of a reminder form's items (see conf_form.reminder and
 * docs/config.md), NULL-terminated. */
#define CONF_REMINDER_KEYS \
	"case", "subject", "customer", "state", "handling_dept", "assignee", "clock", "started", "due", \
	"late", "dept", "person", "role", "level", "issued_at", "issued_by", "awaited", "reason", "measures", NULL


typedef struct conf_state {
	char *code, *label;
	bool final;
	conf_pos pos;
} conf_state;

/* A condition on the case's fields: field == one of values.
 * A `when:` is a list of these. Written as one map, every condition must
 * hold (alt is 0 for all). Written as a list of maps ("A or B"), alt is the
 * index of the map a condition came from: the conditions of one map must all
 * hold, and the `when` holds if any one map does (case_conds_hold). */
typedef enum {
	COND_IN = 0,       /* {field: value} / {field: [v1, v2]}: the value is one of values */
	COND_SAME_FIELD,   /* {field: {equals_field: other}}: both set and equal */
	COND_OLDER_THAN,   /* {field: {older_than: {months: 1}}}: date/datetime field; the period
	                      counted from it (calendar_due, 民法典) had ended when the case was
	                      registered */
	COND_WITHIN,       /* {field: {within: {months: 1}}}: … had not yet ended */
} conf_cond_op;

typedef struct conf_cond {
	char *field;
	char **values;
	size_t nvalues;
	int alt;               /* which alternative (map) of the `when` */
	conf_cond_op op;
	char *other;           /* COND_SAME_FIELD: the other field */
	calendar_duration age; /* COND_OLDER_THAN, COND_WITHIN: the period (end eod, roll next) */
	const calendar *cal;   /* … counted on this calendar (the default one; set at load) */
	conf_pos pos;          /* of the operator's map (COND_IN: unset), for errors */
} conf_cond;

typedef enum {
	SCOPE_ANY = 0,      /* anyone with the role */
	SCOPE_CASE_DEPT,    /* only staff of the case's current department */
	SCOPE_REGISTRANT,   /* only the person who registered the case (首问负责) */
	SCOPE_ASSIGNEE,     /* only the case's assignee */
	SCOPE_INVOLVED,     /* staff of a department involved in the case (core/paper.c) */
} conf_scope;

/* ---- the paper workflow (issue 4; core/paper.c) ---- */

/* What an action does with 签呈 (formal dissents). */
typedef enum {
	DISSENT_NONE = 0,
	DISSENT_FILE,       /* file a dissent on a decision (against), routed up the chain */
	DISSENT_UPHOLD,     /* the approver it was routed to keeps the decision */
	DISSENT_OVERTURN,   /* … or overturns it: the case goes to reopen[decision] */
} conf_dissent;

/* overturn: the state a case returns to when a decision by action `decision`
 * is overturned. */
typedef struct conf_reopen {
	char *decision, *state;
} conf_reopen;

/* requires: the action needs form filled (since the latest of the actions in
 * since, if any) whenever the case's fields satisfy when. */
typedef struct conf_require {
	char *form;
	conf_cond *when;  size_t nwhen;
	char **since;     size_t nsince;
	conf_pos pos;
} conf_require;

typedef struct conf_qty_customer {
	char *customer;             /* the case's customer (customer_field) */
	long long over_per_mille;   /* 超量允收比率 noted when the customer ordered */
} conf_qty_customer;

/* quantity_check: an actual quantity checked against an approved one with an
 * over-acceptance ratio (P3 第十三条). */
typedef struct conf_qty_check {
	char *approved;             /* number field of the case: 核定量 */
	char *actual;               /* number field of the action's form: 实退量 */
	char *result;               /* number field of the action's form, computed: the voucher's quantity */
	char *basis;                /* text field of the action's form, computed: why (or NULL) */
	long long over_per_mille;   /* the company's default ratio */
	conf_qty_customer *customers;
	size_t ncustomers;
	bool beyond_limit;          /* beyond the ratio: the allowed maximum (true) or the approved quantity */
} conf_qty_check;

/* quorum by role (会签 by role): one signature from a holder of role, of the
 * case's current department when scope is SCOPE_CASE_DEPT (else SCOPE_ANY). */
typedef struct conf_quorum_role {
	char *role;
	conf_scope scope;
	conf_pos pos;
} conf_quorum_role;

typedef struct conf_action {
	char *code, *label;
	char **from;           /* states; empty = the action applies to none */
	size_t nfrom;
	char *to;              /* new state; NULL or equal to a from: stays */
	char **roles;
	size_t nroles;
	conf_scope scope;
	char *form;            /* form code whose fields the action fills, or NULL */
	conf_cond *when;       /* all must hold on the case's fields */
	size_t nwhen;
	conf_cond *check;      /* must hold on the case's fields with the action's values
	                          applied, or the action is refused (nothing written) */
	size_t ncheck;
	conf_cond *unless;     /* the action is not allowed when these hold on the case's
	                          fields (a `when` negated; none: no effect) */
	size_t nunless;
	char *set_dept;        /* field (department) that becomes the case's department */
	char *set_assignee;    /* field (staff) that becomes the case's assignee */
	char *approval_amount; /* money field of the case checked against approval limits */
	char **issues;         /* forms whose copies (联) this action issues */
	size_t nissues;
	char **clears;         /* case fields this action removes (e.g. an earlier
	                          customer acceptance when the case is reopened) */
	size_t nclears;
	conf_pos issues_pos;
	/* quorum (会签): `quorum: {count: K, roles: [...]}` — K different people,
	 * each holding one of quorum_roles (default: the action's roles), must
	 * each do the action; the first K-1 are recorded as events and leave the
	 * state alone, the K-th moves the case. quorum 0: an ordinary action. */
	int quorum;
	char **quorum_roles;
	size_t nquorum_roles;
	conf_pos quorum_pos;
	/* quorum by role: `quorum: {by_role: [{role: R, scope: case_dept}, ...]}`
	 * — one signature per entry (each person fills at most one); quorum is
	 * then the number of entries. */
	conf_quorum_role *quorum_by_role;
	size_t nquorum_by_role;
	conf_pos pos;
	/* the paper workflow (core/paper.c) */
	conf_cond **issues_when;   /* per issued form: issued only when these hold (NULL: always) */
	size_t *nissues_when;
	conf_require *requires;    size_t nrequires;
	conf_dissent dissent;
	char **against;            size_t nagainst;   /* file: decisions that may be contested */
	char *against_field;       /* file: choice field naming the contested decision, or NULL */
	char **chain;              size_t nchain;     /* file: roles of the approval chain (核决权限) */
	conf_reopen *reopen;       size_t nreopen;    /* overturn */
	conf_qty_check *qty;       /* quantity_check, or NULL */
} conf_action;

/* intake `register:` — who may register which cases: the first rule whose
 * `when` holds on the intake fields decides; the person must hold one of its
 * roles (e.g. a 书面 complaint only by 行政总台). No rule holds: intake roles. */
typedef struct conf_register {
	conf_cond *when;
	size_t nwhen;
	char **roles;
	size_t nroles;
	conf_pos pos;
} conf_register;

typedef struct conf_route {
	conf_cond *when;
	size_t nwhen;
	char *dept;
	conf_pos pos;
} conf_route;

/* A reminder level of a clock: a warning `before` the due time, or a 催办单
 * `after` it (escalating to role, if set). */
typedef struct conf_level {
	bool before;             /* warn before due; else urge after due */
	calendar_duration offset;
	char *role;              /* escalate to this role, or NULL: the late department */
	char *to;                /* addressed to one person of the case: "registrant",
	                            "assignee" or a staff field's key; NULL: none */
	bool superior;           /* `to: {superior_of: X}`: addressed to the direct superior
	                            (staff.yaml reports_to) of the person X names; nobody
	                            when that person has no reports_to (then the department
	                            and role alone) */
	bool at_due;             /* after 0 only: due at the due instant itself
	                            (到期即催), not strictly after it */
	conf_pos to_pos;         /* of `to`, for cross-reference errors */
} conf_level;

/* A clock (limits.yaml): started and stopped by workflow actions ("new" is
 * registration), chosen by case fields, with a limit on the working calendar. */
typedef struct conf_clock {
	char *code, *label;
	char **start;   size_t nstart;
	char **stop;    size_t nstop;
	char **supersede; size_t nsupersede;  /* actions that end it without meeting it: status
	                                         superseded (breached if it was already late) */
	char *continues;         /* a clock code: when this one starts and the case has that
	                            clock, this one counts from that one's start */
	conf_cond *when; size_t nwhen;
	calendar_duration limit;
	char *calendar_name;     /* `calendar:`, or NULL for the default */
	char *start_field;       /* date/datetime field: when set, the clock counts from it */
	char *due_field;         /* date/datetime field: when set, it is the due time */
	bool has_limit;          /* false: only due_field gives a due time */
	const calendar *cal;     /* the calendar it runs on (owned by the conf) */
	conf_level *levels; size_t nlevels;
	conf_pos pos;
} conf_clock;

/* penalty.yaml (penconf.h): read by conf_load after the other files and
 * checked against them (problems go to d), freed by conf_free. */
struct penconf;
struct conf;
struct conf_diags;
void conf_load_penalty(struct conf *c, struct conf_diags *d);
void penconf_free(struct penconf *p);
/* import.yaml (import.h, src/conf/impconf.c): the same, for kesu import. */
struct impconf;
void conf_load_import(struct conf *c, struct conf_diags *d);
void impconf_free(struct impconf *p);

typedef struct conf {
	char *dir;
	struct penconf *penalty;   /* penalty.yaml, or NULL when the preset has none */
	struct impconf *import;    /* import.yaml (import.h), or NULL when the preset has none */
	struct tuiconf *tui;       /* tui.yaml (tuiconf.h), or NULL when there is none */
	struct rptconf *report;    /* forms/monthly_report.yaml (rptconf.h), or NULL: built-in layout */
	struct taskconf *tasks;    /* tasks.yaml (tasks.h), or NULL when the preset has none */
	struct retconf *retention; /* retention.yaml (archive.h), or NULL when the preset has none */
	char *name, *description;
	conf_dept *depts;      size_t ndepts;
	conf_role *roles;      size_t nroles;
	conf_staff *staff;     size_t nstaff;
	conf_form *forms;      size_t nforms;
	conf_state *states;    size_t nstates;
	conf_action *actions;  size_t nactions;
	conf_route *routes;    size_t nroutes;
	conf_clock *clocks;    size_t nclocks;
	char **pause_states;   size_t npause_states;
	char *number_format;   /* e.g. "{YY}{MM}-{SEQ:3}" */
	char *customer_field;  /* intake field shown as the case's customer, or NULL */
	char *subject_field;   /* intake field shown as the case's subject, or NULL */
	char *initial_state;
	char *intake_form;
	char **intake_roles;   size_t nintake_roles;
	conf_register *registers; size_t nregisters;   /* intake `register:` rules, in order */
	char *timezone;        /* from calendar.yaml */
	calendar *cal;         /* the default working calendar (calendar.yaml) */
	calendar **cals;       /* further named calendars (calendars/NAME.yaml) */
	size_t ncals;
	char *calendar_label;
	char hash[65];         /* SHA-256 of all files read, hex */
	/* private: the parsed trees and file names, kept for positions */
	ynode **trees;         size_t ntrees;
	char **files;          size_t nfiles;
} conf;

/* Diagnostics collected while loading: each "FILE:LINE:COL: message". */
typedef struct conf_diags {
	char **msgs;
	size_t n;
} conf_diags;

void conf_diags_free(conf_diags *d);

/* Load and validate the configuration in dir. On success returns KS_OK and
 * *out (free with conf_free). If anything is wrong returns KS_INVALID, *out is
 * NULL, and every problem is in diags (the caller frees diags). */
ks_status conf_load(const char *dir, conf **out, conf_diags *diags);
void conf_free(conf *c);

/* The one-line description in DIR/preset.yaml (caller frees). */
ks_status conf_preset_describe(const char *dir, char **desc, ks_err *err);

/* Look-ups; NULL if absent. */
const conf_dept   *conf_find_dept(const conf *c, const char *code);
const conf_role   *conf_find_role(const conf *c, const char *code);
const conf_staff  *conf_find_staff(const conf *c, const char *login);
/* The login of login's direct superior (staff.yaml reports_to), or NULL. */
const char *conf_superior_of(const conf *c, const char *login);
const conf_form   *conf_find_form(const conf *c, const char *code);
/* The reminder form (conf_form.reminder) for kind "urge" or "inquiry", or NULL. */
const conf_form   *conf_reminder_form(const conf *c, const char *kind);
const conf_state  *conf_find_state(const conf *c, const char *code);
const conf_action *conf_find_action(const conf *c, const char *code);
const conf_clock  *conf_find_clock(const conf *c, const char *code);
bool conf_is_pause_state(const conf *c, const char *state);
/* The calendar named name (the default one included), or NULL. */
const calendar *conf_find_calendar(const conf *c, const char *name);
const conf_field  *conf_form_field(const conf_form *f, const char *key);
bool conf_staff_has_role(const conf_staff *s, const char *role);
/* The widest sight of any of the person's roles. */
conf_sight conf_staff_sight(const conf *c, const conf_staff *s);
/* The label of a choice value, or NULL. */
const char *conf_choice_label(const conf_field *f, const char *value);

/* Parse a money amount in yuan ("5000", "12.5", "1,234.56") into fen.
 * Returns false if it is not a non-negative amount with at most two decimals. */
bool conf_parse_money(const char *s, long long *fen);

#endif
