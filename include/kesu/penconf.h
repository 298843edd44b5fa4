/* penconf.h — load a preset's penalty.yaml: responsibility and economic
 * penalties (P3 罚扣, P4 5.6–5.9, P10 4.5, P20). docs/penalty.md has the
 * format; in short:
 *
 *   penalty:
 *     on: [close]                      actions that book the case's entries
 *     loss_field: loss                 money field: 客诉损失金额
 *     responsibility_field: responsibility   text field: UNIT:SHARE,… (penalty.h)
 *     cap: {bonus_per_mille: 500}      capped deductions per month ≤ 50% of bonus
 *     see: [gm]                        roles that see every person's ledger
 *     decide: [gm]                     roles that record sanctions and reversals
 *     rules:                           what a case books at `on`
 *       - {code, label, kind: loss, fraction: 1000, when: {…}, capped: true}
 *       - {code, label, kind: delay, amount: 50, clocks: [...], to: actor}
 *     sanctions:
 *       levels:   [{code, label, amount, capped}]          警告/小过/大过
 *       monthly:  [{code, level, min, bonus_per_mille | amount, label, capped}]
 *       offences: [{code, label}]                           5.6.4 的处分项目
 *     counts:                          per person per month (P10)
 *       - {code, label, field, when, steps: [{min, amount, flag, label, when}]}
 *     rewards:
 *       - {code, label, count, amount, roles}               a year without any
 *     notice:
 *       form: penalty_notice           the 奖罚通知单 form (forms/NAME.yaml), whose
 *                                      copies say who holds each: a department
 *                                      code, self (the person) or person_dept
 *       (older spelling, still read: title + copies [{no, holder, purpose}],
 *        holder a department code, person/self or person_dept)
 *
 * Money is in 元 with at most two decimals (stored as fen); shares and
 * fractions are per mille. Every problem is one diagnostic
 * "DISPLAY_NAME:LINE:COL: 中文说明", in file order; loading goes on after a
 * problem so one run reports all of them. */
#ifndef KESU_PENCONF_H
#define KESU_PENCONF_H

#include <stdbool.h>
#include <stddef.h>
#include "kesu/conf.h"
#include "kesu/err.h"

typedef enum {
	PENRULE_LOSS,    /* the case's loss (or a fraction of it) split by responsibility */
	PENRULE_DELAY,   /* a fixed amount for each clock of the case that breached */
} penconf_kind;

typedef enum {
	PENTO_ACTOR,     /* delay: who did the action that stopped the clock late */
	PENTO_ASSIGNEE,  /* delay: the case's assignee when the entries are booked */
	PENTO_CASE_DEPT, /* delay: the case's department then, split by 基点 */
} penconf_to;

typedef struct penconf_rule {
	char *code, *label;
	penconf_kind kind;
	int fraction;            /* loss: per mille of the loss allocated (1..1000, default 1000) */
	long long amount_fen;    /* delay: per breached clock */
	char **clocks;           /* delay: the clocks it applies to; none listed: every clock */
	size_t nclocks;
	penconf_to to;           /* delay */
	conf_cond *when;         /* on the case's fields; all must hold */
	size_t nwhen;
	bool capped;             /* within the monthly cap (default true) */
} penconf_rule;

/* 行政处分: 警告, 小过, 大过 … and what each deducts by itself. */
typedef struct penconf_level {
	char *code, *label;
	long long amount_fen;    /* default 0 */
	bool capped;             /* default true */
} penconf_level;

/* A monthly conversion: `min` or more sanctions of `level` booked in one
 * month deduct bonus_per_mille of that month's bonus (or amount_fen). */
typedef struct penconf_monthly {
	char *code, *level, *label;
	int min;
	int bonus_per_mille;     /* -1: use amount_fen */
	long long amount_fen;
	bool capped;             /* default false: 全额罚扣 is not limited by the cap */
} penconf_monthly;

typedef struct penconf_offence {
	char *code, *label;
} penconf_offence;

/* One step of a count rule: reached when the month's count is >= min and,
 * if `when` is given, at least one of the counted cases satisfies it. */
typedef struct penconf_step {
	int min;
	long long amount_fen;    /* 0: no money */
	char *flag;              /* e.g. dismissal: flagged for HR, or NULL */
	char *label;
	conf_cond *when;
	size_t nwhen;
	bool has_amount;
} penconf_step;

/* Complaints per person per month (P10): cases registered in the month whose
 * staff field `field` names the person and whose fields satisfy `when`. The
 * highest step with an amount that is reached applies (not their sum);
 * every step with a flag that is reached raises its flag. */
typedef struct penconf_count {
	char *code, *label, *field;
	conf_cond *when;
	size_t nwhen;
	penconf_step *steps;     /* in increasing min */
	size_t nsteps;
	bool capped;             /* default false */
} penconf_count;

/* A reward for a calendar year without any counted complaint (P10 4.5.5),
 * listed in December. */
typedef struct penconf_reward {
	char *code, *label, *count;
	long long amount_fen;
	char **roles;            /* only staff with one of these roles; none: everybody active */
	size_t nroles;
} penconf_reward;

/* A copy of the 奖罚通知单. */
typedef enum {
	PENHOLD_DEPT,            /* a department named by code */
	PENHOLD_PERSON,          /* the person penalised */
	PENHOLD_PERSON_DEPT,     /* the penalised person's department */
} penconf_holder;

typedef struct penconf_copy {
	int no;
	penconf_holder holder;
	char *dept;              /* PENHOLD_DEPT */
	char *purpose;
} penconf_copy;

typedef struct penconf {
	char **on;               size_t non;
	char *loss_field, *resp_field;
	int cap_per_mille;       /* -1: no cap */
	char **see;              size_t nsee;
	char **decide;           size_t ndecide;
	penconf_rule *rules;     size_t nrules;
	penconf_level *levels;   size_t nlevels;
	penconf_monthly *monthly; size_t nmonthly;
	penconf_offence *offences; size_t noffences;
	penconf_count *counts;   size_t ncounts;
	penconf_reward *rewards; size_t nrewards;
	char *notice_form;       /* notice.form: the 奖罚通知单 form's code */
	char *notice_title;      /* the older spelling (notice.title, notice.copies) … */
	penconf_copy *copies;    size_t ncopies;
	conf_form *notice_legacy; /* … turned into a form of its own */
} penconf;

/* The form the 奖罚通知单 copies are issued from (notice.form, or the older
 * notice.title + notice.copies as a form), or NULL: no notices. */
const conf_form *penconf_notice_form(const conf *c, const penconf *p);

/* Load the penalty file at path; display_name (NULL: path) names it in
 * diagnostics. If c is not NULL, names are checked against it: actions,
 * fields (loss_field must be a money field, responsibility_field a text
 * field, count fields staff fields), roles, departments,
 * clocks. On success KS_OK and *out (penconf_free). Otherwise *out is NULL,
 * every problem is appended to diags, and the status is KS_FAIL (unreadable)
 * or KS_INVALID. */
ks_status penconf_load(const char *path, const char *display_name, const conf *c, penconf **out,
                       conf_diags *diags);
void penconf_free(penconf *p);

const penconf_level *penconf_find_level(const penconf *p, const char *code);
const penconf_rule *penconf_find_rule(const penconf *p, const char *code);
const penconf_offence *penconf_find_offence(const penconf *p, const char *code);

#endif
