/* rptconf.h — forms/monthly_report.yaml: the layout of the 月报表 (the
 * monthly statistics of `kesu report monthly`), issues 4 and 8.
 *
 *   form:
 *     code: monthly_report
 *     title: 投诉/咨询信息月报表
 *     sections:                     in the order printed
 *       - {figure: received, label: 本月登记}
 *       - {figure: by_channel, label: 渠道}
 *       - {figure: on_time, label: 按时率}
 *       …
 *
 * Figures (include/kesu/report.h defines them): received, accepted,
 * rejected, closed, open_at_end, reopened, overdue_at_end (one line each;
 * consecutive ones form the 概况 block); by_dept; by_FIELD for a choice
 * field of the intake form; by_fields (every choice-field breakdown not
 * named by its own by_FIELD, each under its field's label; label optional);
 * on_time (on-time rate per clock); handling (handling days). Every other
 * section needs a non-empty label. A figure left out is not printed (text,
 * CSV, HTML); JSON always has every figure. Without the file the built-in
 * default (the order of the shipped file) applies. */
#ifndef KESU_RPTCONF_H
#define KESU_RPTCONF_H

#include <stddef.h>

typedef struct rptconf_section {
	char *figure;   /* a figure key as above */
	char *label;    /* NULL only for by_fields */
} rptconf_section;

typedef struct rptconf {
	char *title;
	rptconf_section *sections;
	size_t nsections;
} rptconf;

struct conf;
struct conf_diags;
/* Load DIR/forms/monthly_report.yaml into c->report if it exists; each
 * problem is one "forms/monthly_report.yaml:LINE:COL: 说明" in d. */
void conf_load_report(struct conf *c, struct conf_diags *d);
void rptconf_free(rptconf *r);

/* true if figure is one of the fixed count figures (received … overdue_at_end). */
int rptconf_is_count(const char *figure);

#endif
