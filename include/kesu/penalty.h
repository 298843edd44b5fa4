/* penalty.h — responsibility (责任归属) and economic penalties (罚扣):
 * P3 (六), P4 5.6–5.9, P10 4.5, P20. docs/penalty.md explains the design.
 *
 * Two halves:
 *   - pure arithmetic on integers (fen, per mille, 基点), no database and no
 *     configuration files: splitting by shares with the largest remainder,
 *     the monthly cap and its carry-forward schedule, count-rule steps;
 *   - the engine on a session: the ledger entries a case books when the
 *     configured action happens (penalty.yaml `on`), decisions (sanctions,
 *     appeals, reversing entries), and the monthly ledger, computed from the
 *     entries when it is read.
 * Nothing here prints. Money never touches floating point. */
#ifndef KESU_PENALTY_H
#define KESU_PENALTY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "kesu/conf.h"
#include "kesu/penconf.h"
#include <jansson.h>
#include "kesu/session.h"

/* Amounts larger than this (in fen, 10^14 = 一万亿元) are refused. */
#define PENALTY_MAX_FEN 100000000000000LL
/* A sum of weights larger than this is refused. */
#define PENALTY_MAX_WEIGHT 1000000000LL
/* No monthly bonus known (staff.yaml has no monthly_bonus): no cap. */
#define PENALTY_NO_BONUS (-1LL)

/* ---- pure arithmetic ---------------------------------------------------- */

/* Split total (0 ≤ total ≤ PENALTY_MAX_FEN) into n parts in proportion to
 * weights w[0..n) (each ≥ 0, sum > 0 and ≤ PENALTY_MAX_WEIGHT): each part
 * is first rounded down, then the fen left over go one each to the parts
 * with the largest remainders, ties to the earlier part. The parts add up to
 * total exactly and none is negative. KS_INVALID (err) for bad input. */
ks_status penalty_split(long long total, const long long *w, size_t n, long long *parts, ks_err *err);

/* fraction per mille of amount, rounded half up to the fen. */
long long penalty_fraction(long long amount, int per_mille);

/* One unit of a responsibility: a staff login or a department code, with its
 * share in per mille. */
typedef struct penalty_share {
	char *unit;
	bool dept;
	int per_mille;
} penalty_share;

/* Parse the responsibility field, a text field named by penalty.yaml
 * `responsibility_field`: "UNIT:SHARE,UNIT:SHARE" (also the full-width ，and ：, spaces around
 * items allowed) against the configuration: each UNIT a staff login or a
 * department code (not both), each SHARE 1..1000, no unit twice, shares adding
 * up to exactly 1000, and a department unit must have at least one active
 * member with 基点 (base_points). label names the field in messages. */
ks_status penalty_resp_parse(const conf *c, const char *text, const char *label, penalty_share **out,
                             size_t *n, ks_err *err);
/* The canonical text "a:600,b:400" (caller frees). */
char *penalty_resp_text(const penalty_share *v, size_t n);
void penalty_shares_free(penalty_share *v, size_t n);

/* The active members of department code and of its sub-departments (全车间)
 * with 基点 > 0, in staff.yaml order. *out is allocated (free it); NULL if
 * none. */
void penalty_dept_members(const conf *c, const char *code, const conf_staff ***out, size_t *n);

/* One person's part of an amount. login and unit point into the
 * configuration and the shares. */
typedef struct penalty_part {
	const char *login;
	const char *unit;
	long long fen;
} penalty_part;

/* Allocate amount to the units of v (by share, largest remainder), then each
 * department unit's part to its members by 基点 (largest remainder). Parts
 * of 0 fen are left out; the parts add up to amount exactly. */
/* A person's 基点 for a department split: e.g. the month's imported figure,
 * else staff.yaml's (see penalty_allocate_with). */
typedef long long (*penalty_points_fn)(void *ctx, const conf_staff *p);
/* penalty_allocate with each member's 基点 from pts(ctx, member) instead of
 * staff.yaml; a member whose 基点 is 0 takes no part. */
ks_status penalty_allocate_with(const conf *c, long long amount, const penalty_share *v, size_t n,
                                penalty_points_fn pts, void *ctx, penalty_part **out, size_t *nout, ks_err *err);
ks_status penalty_allocate(const conf *c, long long amount, const penalty_share *v, size_t n,
                           penalty_part **out, size_t *nout, ks_err *err);

/* Monthly cap and carry-forward (P4 5.9.4), one person, consecutive months. */
typedef struct penalty_month_in {
	long long capped;     /* deductions within the cap booked this month (reversals make it smaller, even negative) */
	long long uncapped;   /* deductions outside the cap, taken in full this month */
	long long bonus;      /* the month's bonus in fen, or PENALTY_NO_BONUS */
} penalty_month_in;

typedef struct penalty_month_out {
	long long cap;              /* the most capped deductions may take; -1: no cap */
	long long carried_in;       /* owed from earlier months */
	long long deducted;         /* uncapped + what the capped part took (negative: a refund) */
	long long carried_forward;  /* still owed, to the following months */
} penalty_month_out;

/* cap_per_mille < 0 or an unknown bonus: no cap, everything due is taken.
 * Otherwise cap = bonus × cap_per_mille / 1000 (rounded down); the capped
 * part due (carried in + this month's) is taken up to the cap and up to
 * what is left of the bonus after the uncapped deductions; the rest is
 * carried forward. A negative capped part due (a reversal of something
 * already taken) is refunded in that month. */
void penalty_schedule(int cap_per_mille, const penalty_month_in *in, size_t n, penalty_month_out *out);

/* Which steps of count rule r a month with `count` counted cases reaches.
 * cond[i] says whether step i's `when` holds for at least one of those cases
 * (NULL: treat every `when` as holding). *amount_step is the index of the
 * highest reached step with an amount (-1: none); flags[i] is set for every
 * reached step with a flag (flags has r->nsteps entries, may be NULL). */
void penalty_count_steps(const penconf_count *r, size_t count, const bool *cond, int *amount_step, bool *flags);

/* "2026-11" for t in business time. buf >= 16. */
void penalty_month_of(time_t t, char *buf, size_t n);
/* Parse "YYYY-MM" (months 01..12, years 1970..9999). */
bool penalty_month_parse(const char *s, int *year, int *month);

/* ---- the engine --------------------------------------------------------- */

/* The hook in case_do, for every action (c: the case after the action; its
 * event is written). If a's form has the responsibility field, its value
 * must parse (penalty_resp_parse) or the action is refused with KS_INVALID.
 * If a is one of penalty.yaml's `on`, book case c's entries. Loss
 * rules book what the case's loss and responsibility say now, as the
 * difference from what earlier closures booked (a re-closure after a reopen
 * books only changes); delay rules book each breached clock once. Each entry
 * issues its 奖罚通知单 copies. No penalty.yaml, or another action: nothing. */
ks_status penalty_on_action(session *s, const store_case *c, const conf_action *a, time_t now, ks_err *err);

/* Record a 行政处分 of level on login in case case_no (roles: penalty.yaml
 * `decide`). offence is required when penalty.yaml lists offences. Its own
 * transaction. *id is the entry. */
ks_status penalty_sanction(session *s, const char *case_no, const char *login, const char *level,
                           const char *offence, const char *reason, long long *id, ks_err *err);

/* Record a 签呈 (objection) against entry id: by the person penalised, a
 * member of their department, or a `decide` role. Its own transaction. */
ks_status penalty_appeal(session *s, long long entry, const char *reason, long long *id, ks_err *err);

/* Book a reversing entry against entry (roles: `decide`): amount_fen (> 0)
 * of what is left of it, or all of it when amount_fen < 0; appeal (0: none)
 * is the 签呈 it answers. Booked in the current month; the entry itself is
 * never changed. Its own transaction. *id is the new entry. */
ks_status penalty_reverse(session *s, long long entry, long long amount_fen, long long appeal,
                          const char *reason, long long *id, ks_err *err);

/* One line of a person's month. */
typedef struct penalty_item {
	long long entry;      /* the ledger entry, or 0 for a derived item */
	char *case_no;        /* or NULL */
	char *rule, *label;
	const char *kind;     /* loss, delay, sanction, reversal, monthly, count, reward, flag */
	long long amount_fen; /* negative for a reversal */
	bool capped;
} penalty_item;

typedef struct penalty_row {
	char *login, *name;
	penalty_item *items;
	size_t nitems;
	long long bonus_fen;            /* PENALTY_NO_BONUS if unknown */
	const char *bonus_source;       /* "import" (the month's imported table), "staff" (staff.yaml), NULL */
	long long cap_fen;              /* -1: no cap */
	long long carried_in_fen, deducted_fen, carried_forward_fen;
	long long reward_fen;
} penalty_row;

/* The ledger of month (year, month): every person with an item, an amount
 * carried in or carried forward, in staff.yaml order (then logins no longer
 * configured). login (NULL: all) keeps one person. Roles in `see` see
 * everybody; others only themselves (asking for someone else: KS_DENIED). */
ks_status penalty_month(session *s, int year, int month, const char *login, penalty_row **out, size_t *n,
                        ks_err *err);
void penalty_rows_free(penalty_row *v, size_t n);

/* The ledger entries of a case (case_no) or of a person (login), or all (both
 * NULL), with the same visibility as penalty_month. */
ks_status penalty_entries(session *s, const char *case_no, const char *login, store_penalty **out,
                          size_t *n, ks_err *err);

/* The label of a rule, level, monthly conversion, count rule or reward code. */
const char *penalty_rule_label(const penconf *p, const char *code);
/* An entry's line as the ledger shows it: the rule's label, with the unit
 * (loss), the offence (sanction) or 冲销： (reversal). Caller frees. */
char *penalty_item_label(const conf *c, const char *kind, const char *rule, const char *ref);

/* ---- the monthly bonus table (src/core/penalty_bonus.c) ---------------------- */

typedef struct penalty_bonus_result {
	long long import_id;
	size_t rows;
	bool replaced;          /* a month imported before was replaced */
	char months[128];       /* "YYYY-MM[,…]" (cut short past 128 bytes) */
} penalty_bonus_result;

/* Import raw[0..rawlen), a CSV file named file in encoding (UTF-8 — a BOM
 * is skipped —, GBK or GB18030; NULL: UTF-8), into the monthly bonus table
 * (roles: penalty.yaml `decide`). The first row names the columns (login /
 * 登录名, month / 月份, bonus / 奖金 in 元 with up to two decimals, and
 * base_points / 基点, in any order); month (a column, or given for all rows:
 * rows may then leave it empty but not name another) is YYYY-MM. The whole
 * file is checked first: KS_INVALID names every problem (up to 8) by line
 * and column and nothing is imported. A month imported before is replaced
 * only when replace is set (KS_CONFLICT otherwise); the earlier import
 * stays recorded. Its own transaction. */
ks_status penalty_bonus_import(session *s, const char *file, const char *raw, size_t rawlen, const char *encoding,
                               const char *month, bool replace, penalty_bonus_result *res, ks_err *err);
/* login's bonus for month: the imported figure (*source "import"), else
 * staff.yaml's monthly_bonus ("staff"), else PENALTY_NO_BONUS (NULL). */
ks_status penalty_bonus_of(session *s, const char *login, const char *month, long long *bonus_fen,
                           const char **source, ks_err *err);

/* ---- 奖罚通知单: the copies (联) of penalty.yaml's notice form ---------------
 * Every entry issues one round of the notice form's copies on its case, in
 * the entry's transaction (src/core/penalty_notice.c). The snapshot:
 *   form, title, case, entry
 *   fields     the entry's facts then: entry, case, login, name, dept,
 *              dept_name, month, kind, rule, ref, amount_fen, capped,
 *              reverses, appeal, note, at, by
 *   items      [{key, label, group, text}] as printed (penalty_notice_items)
 *   signatures, issued {at, by, by_name}
 * Notices migrated from schema 006's penalty_notices have no items,
 * signatures and issued: printing derives them from fields and the form
 * (penalty_notice_complete). */

/* Whether the session's person sees everybody's ledger (penalty.yaml see or
 * decide roles). */
bool penalty_sees_all(session *s);

/* Who holds copy k of the notice for login: *kind "dept" or "person",
 * *holder a department code or the login, *name its name. Pure. */
void penalty_notice_holder(const conf *c, const conf_copy *k, const char *login, const char **kind,
                           const char **holder, const char **name);
/* The snapshot of the notice of entry e (its case's number case_no) on form
 * f, issued by issuer (a login, may be NULL) at now. Pure. A new object. */
json_t *penalty_notice_snapshot(const conf *c, const conf_form *f, const store_penalty *e, const char *case_no,
                                const char *issuer, time_t now);
/* The printed lines of a notice from its facts. A new array. */
json_t *penalty_notice_items(const conf *c, const json_t *fields);
/* Give snap the items, signatures and issued (at: issued_at) it lacks. */
void penalty_notice_complete(const conf *c, json_t *snap, time_t issued_at);
/* Issue the copies of entry e's notice (e->id set; event_id: the case action
 * it belongs to). Nothing when penalty.yaml has no notice. In a transaction. */
ks_status penalty_notice_issue(session *s, const store_penalty *e, const char *case_no, long long event_id,
                               time_t now, ks_err *err);

#endif
