/* report.c — `kesu report monthly YYYY-MM | weekly YYYY-Www [--format
 * text|csv|json|html] [--encoding UTF-8|GB18030]`: the monthly or weekly
 * statistics (definitions in include/kesu/report.h).
 *
 * html: one self-contained XHTML-compatible page (inline CSS with an A4
 * @page rule, inline SVG bar charts, no scripts, no external resources);
 * every stored text is made visible (text_visible) and then HTML-escaped.
 *
 * text: aligned tables with bar charts in eighth blocks; csv: one row per
 * figure (分类,项目,代码,数值), UTF-8 with a BOM (so spreadsheet programs read
 * it as UTF-8), or converted to another encoding without a BOM; json: one
 * document (`--json` is the same as `--format json`). The whole output is
 * built first, so nothing is written when anything fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/report.h"
#include "kesu/rptconf.h"
#include "kesu/text.h"

#define BAR_COLS 30
#define LABEL_COLS 20

static int usage(void)
{
	return cli_fail(KS_INVALID, "用法：kesu report monthly YYYY-MM | weekly YYYY-Www [--format text|csv|json|html] [--encoding UTF-8|GB18030]");
}

/* A bar of n/max of BAR_COLS columns in eighth blocks. */
static void bar(FILE *f, double frac)
{
	static const char *const part[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	long eighths = (long)(frac * BAR_COLS * 8 + 0.5);
	for (long i = 0; i < eighths / 8; i++)
		fputs("█", f);
	fputs(part[eighths % 8], f);
}

static void label_cell(FILE *f, const char *s, int width)
{
	char *v = text_visible(s ? s : "", false);
	char *fit = text_fit(v, width);
	fputs(fit, f);
	free(fit);
	free(v);
}

static void line(FILE *f, const char *label, long long n, long long max)
{
	fputs("  ", f);
	label_cell(f, label, LABEL_COLS);
	fprintf(f, " %8lld  ", n);
	bar(f, max > 0 ? (double)n / (double)max : 0);
	fputc('\n', f);
}

/* The summary figures' labels, for a month or a week. */
static const char *const *sum_labels(const report *r)
{
	static const char *const month[] = { "本月登记", "其中已受理", "其中不予受理", "本月结案",
		                             "月末未结", "本月重新处理", "月末逾期时限" };
	static const char *const week[] = { "本周登记", "其中已受理", "其中不予受理", "本周结案",
		                            "周末未结", "本周重新处理", "周末逾期时限" };
	return r->weekly ? week : month;
}

/* ---- layout: forms/monthly_report.yaml (rptconf.h), or the built-in one ---- */

static const char *const count_keys[] = { "received", "accepted", "rejected", "closed", "open_at_end",
	                                  "reopened", "overdue_at_end" };
#define NCOUNT 7

typedef enum { SEC_COUNT, SEC_BD, SEC_CLOCKS, SEC_HANDLING } sec_kind;

typedef struct sec {
	sec_kind kind;
	size_t idx;          /* SEC_COUNT: index in count_keys; SEC_BD: index in r->bd */
	const char *label;
} sec;

static long long count_value(const report *r, size_t i)
{
	const long long v[NCOUNT] = { r->k.received, r->k.accepted, r->k.rejected, r->k.closed,
		                      r->k.open_end, r->k.reopened, r->k.overdue_end };
	return v[i];
}

static bool layout_names(const rptconf_section *ls, size_t n, const char *figure)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ls[i].figure, figure))
			return true;
	return false;
}

/* The sections to print, in order: the monthly report follows the 月报表
 * form when the configuration has one; the weekly report and a data
 * directory without the form use the built-in order. Caller frees. */
static sec *layout(const report *r, const session *s, size_t *n)
{
	static const rptconf_section dflt[] = {
		{ "received", NULL }, { "accepted", NULL }, { "rejected", NULL }, { "closed", NULL },
		{ "open_at_end", NULL }, { "reopened", NULL }, { "overdue_at_end", NULL }, { "by_dept", NULL },
		{ "by_fields", NULL }, { "on_time", NULL }, { "handling", NULL },
	};
	const rptconf *rc = !r->weekly && s->cf->report ? s->cf->report : NULL;
	const rptconf_section *ls = rc ? rc->sections : dflt;
	size_t nls = rc ? rc->nsections : sizeof dflt / sizeof *dflt;
	sec *out = ks_calloc(nls + r->nbd + 1, sizeof *out);
	*n = 0;
	const char *const *lab = sum_labels(r);
	for (size_t i = 0; i < nls; i++) {
		const char *f = ls[i].figure, *l = ls[i].label;
		for (size_t k = 0; k < NCOUNT; k++)
			if (!strcmp(f, count_keys[k]))
				out[(*n)++] = (sec){ SEC_COUNT, k, l ? l : lab[k] };
		if (!strcmp(f, "on_time"))
			out[(*n)++] = (sec){ SEC_CLOCKS, 0, l ? l : "按时率" };
		else if (!strcmp(f, "handling"))
			out[(*n)++] = (sec){ SEC_HANDLING, 0, l ? l : "处理天数" };
		else if (!strcmp(f, "by_fields")) {
			for (size_t b = 0; b < r->nbd; b++) {
				if (!strcmp(r->bd[b].key, "dept"))
					continue;
				char *fig = ks_asprintf("by_%s", r->bd[b].key);
				bool named = layout_names(ls, nls, fig);
				free(fig);
				if (!named)
					out[(*n)++] = (sec){ SEC_BD, b, r->bd[b].label };
			}
		} else if (!strncmp(f, "by_", 3)) {
			for (size_t b = 0; b < r->nbd; b++)
				if (!strcmp(r->bd[b].key, f + 3))
					out[(*n)++] = (sec){ SEC_BD, b, l ? l : r->bd[b].label };
		}
	}
	return out;
}

static const char *report_title(const report *r, const session *s)
{
	if (r->weekly)
		return "客诉周统计报表";
	return s->cf->report && s->cf->report->title ? s->cf->report->title : "客诉月度统计报表";
}

static void render_text(FILE *f, const report *r, session *s)
{
	char from[24], cut[24];
	clock_short(r->from, from, sizeof from);
	clock_short(r->cutoff, cut, sizeof cut);
	cli_put(f, report_title(r, s));
	fprintf(f, " %s（%s 至 %s）范围：", r->period, from, cut);
	if (r->dept) {
		cli_put(f, case_dept_name(s, r->dept));
		fputs(" 的案件\n", f);
	} else
		fputs("全部案件\n", f);

	size_t nsec;
	sec *secs = layout(r, s, &nsec);
	for (size_t i = 0; i < nsec; i++) {
		const sec *x = &secs[i];
		if (x->kind == SEC_COUNT) {
			/* a run of counts is one 概况 block, bars scaled to its largest */
			size_t end = i;
			long long max = 0;
			while (end < nsec && secs[end].kind == SEC_COUNT) {
				if (count_value(r, secs[end].idx) > max)
					max = count_value(r, secs[end].idx);
				end++;
			}
			fputs("\n概况\n", f);
			for (; i < end; i++)
				line(f, secs[i].label, count_value(r, secs[i].idx), max);
			i--;
		} else if (x->kind == SEC_BD) {
			const report_breakdown *b = &r->bd[x->idx];
			fputs("\n按", f);
			cli_put(f, x->label);
			fputs(r->weekly ? "（本周登记）\n" : "（本月登记）\n", f);
			long long max = 0;
			for (size_t j = 0; j < b->nitems; j++)
				if (b->items[j].n > max)
					max = b->items[j].n;
			if (!b->nitems)
				fputs("  （无）\n", f);
			for (size_t j = 0; j < b->nitems; j++)
				line(f, b->items[j].label, b->items[j].n, max);
		} else if (x->kind == SEC_CLOCKS) {
			fputc('\n', f);
			cli_put(f, x->label);
			fputs(r->weekly ? "（本周停止的时限）\n" : "（本月停止的时限）\n", f);
			if (!r->nclocks)
				fputs("  （无）\n", f);
			else {
				fputs("  ", f);
				label_cell(f, "时限", LABEL_COLS);
				fputs("     按时     逾期   按时率\n", f);
			}
			for (size_t j = 0; j < r->nclocks; j++) {
				const report_clock *k = &r->clocks[j];
				fputs("  ", f);
				label_cell(f, k->label, LABEL_COLS);
				fprintf(f, " %8lld %8lld %7.1f%%  ", k->met, k->breached, k->rate * 100);
				bar(f, k->rate);
				fputc('\n', f);
			}
		} else {
			fputc('\n', f);
			cli_put(f, x->label);
			fputs(r->weekly ? "（本周结案，日历天）\n" : "（本月结案，日历天）\n", f);
			fprintf(f, "  %s %8lld\n", "结案件数            ", r->nhandled);
			fprintf(f, "  %s %8.1f\n", "平均                ", r->avg_days);
			fprintf(f, "  %s %8.1f\n", "90 百分位           ", r->p90_days);
		}
	}
	free(secs);
}

static void csv_row(FILE *f, const char *a, const char *b, const char *c, const char *d)
{
	const char *v[4] = { a, b, c, d };
	for (int i = 0; i < 4; i++) {
		char *q = report_csv_field(v[i]);
		fputs(q, f);
		free(q);
		fputs(i < 3 ? "," : "\r\n", f);
	}
}

static void csv_num(FILE *f, const char *a, const char *b, const char *c, long long n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", n);
	csv_row(f, a, b, c, buf);
}

static void render_csv(FILE *f, const report *r, const session *s)
{
	csv_row(f, "分类", "项目", "代码", "数值");
	if (r->weekly)
		csv_row(f, "报表", "周", "week", r->period);
	else
		csv_row(f, "报表", "月份", "month", r->month);
	csv_row(f, "报表", "范围", "scope", r->dept ? r->dept : "all");
	size_t nsec;
	sec *secs = layout(r, s, &nsec);
	for (size_t i = 0; i < nsec; i++) {
		const sec *x = &secs[i];
		if (x->kind == SEC_COUNT)
			csv_num(f, "概况", x->label, count_keys[x->idx], count_value(r, x->idx));
		else if (x->kind == SEC_BD) {
			const report_breakdown *b = &r->bd[x->idx];
			for (size_t j = 0; j < b->nitems; j++)
				csv_num(f, x->label, b->items[j].label, b->items[j].value, b->items[j].n);
		} else if (x->kind == SEC_CLOCKS) {
			for (size_t j = 0; j < r->nclocks; j++) {
				const report_clock *k = &r->clocks[j];
				char rate[32];
				snprintf(rate, sizeof rate, "%.4f", k->rate);
				csv_num(f, "时限按时", k->label, k->clock, k->met);
				csv_num(f, "时限逾期", k->label, k->clock, k->breached);
				csv_row(f, "时限按时率", k->label, k->clock, rate);
			}
		} else {
			char avg[32], p90[32];
			snprintf(avg, sizeof avg, "%.1f", r->avg_days);
			snprintf(p90, sizeof p90, "%.1f", r->p90_days);
			csv_num(f, x->label, "结案件数", "cases", r->nhandled);
			csv_row(f, x->label, "平均", "average", avg);
			csv_row(f, x->label, "90 百分位", "p90", p90);
		}
	}
	free(secs);
}

static double round1(double v) { return (double)(long long)(v * 10 + (v < 0 ? -0.5 : 0.5)) / 10; }

static void render_json(FILE *f, const report *r)
{
	char from[40], to[40], cut[40];
	clock_iso(r->from, from, sizeof from);
	clock_iso(r->to, to, sizeof to);
	clock_iso(r->cutoff, cut, sizeof cut);
	json_t *by = json_object();
	for (size_t i = 0; i < r->nbd; i++) {
		json_t *items = json_array();
		for (size_t j = 0; j < r->bd[i].nitems; j++)
			json_array_append_new(items, json_pack("{s:s?, s:s, s:I}", "value", r->bd[i].items[j].value, "label",
			                                       r->bd[i].items[j].label, "count",
			                                       (json_int_t)r->bd[i].items[j].n));
		json_object_set_new(by, r->bd[i].key, json_pack("{s:s, s:o}", "label", r->bd[i].label, "counts", items));
	}
	json_t *clocks = json_array();
	for (size_t i = 0; i < r->nclocks; i++) {
		const report_clock *k = &r->clocks[i];
		json_array_append_new(clocks, json_pack("{s:s, s:s, s:I, s:I, s:f}", "clock", k->clock, "label", k->label,
		                                        "met", (json_int_t)k->met, "breached", (json_int_t)k->breached,
		                                        "on_time_rate", (double)(long long)(k->rate * 10000 + 0.5) / 10000));
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:{s:I, s:f, s:f}}",
	                      r->weekly ? "week" : "month", r->period, "from", from, "to", to, "as_of", cut, "dept", r->dept,
	                      "received", (json_int_t)r->k.received, "accepted", (json_int_t)r->k.accepted,
	                      "rejected", (json_int_t)r->k.rejected, "closed", (json_int_t)r->k.closed,
	                      "open_at_end", (json_int_t)r->k.open_end, "reopened", (json_int_t)r->k.reopened,
	                      "overdue_at_end", (json_int_t)r->k.overdue_end, "by", by, "clocks", clocks,
	                      "handling_days", "cases", (json_int_t)r->nhandled, "average", round1(r->avg_days),
	                      "p90", round1(r->p90_days));
	cli_json(o, f, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	fputc('\n', f);
	json_decref(o);
}

/* ---- html ---- */

/* Stored text made visible, then escaped for HTML (also inside SVG). */
static void html_put(FILE *f, const char *s)
{
	char *v = text_visible(s ? s : "", false);
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(v);
}

#define SVG_LABEL 170
#define SVG_BAR 360
#define SVG_ROW 22

typedef struct hbar {
	const char *label;
	double value;        /* what the bar shows, 0..max */
	const char *text;    /* printed after the bar */
} hbar;

/* A horizontal bar chart: one row per item, bars scaled to max. */
static void svg_bars(FILE *f, const char *title, const hbar *v, size_t n, double max)
{
	int h = (int)n * SVG_ROW + 8, w = SVG_LABEL + SVG_BAR + 90;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" "
	           "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w, h, w, h);
	html_put(f, title);
	fputs("\">\n", f);
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * SVG_ROW + 4;
		double frac = max > 0 ? v[i].value / max : 0;
		if (frac < 0)
			frac = 0;
		if (frac > 1)
			frac = 1;
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_LABEL - 8, y + 15);
		html_put(f, v[i].label);
		fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"bar\"/>", SVG_LABEL, y + 2,
		        frac * SVG_BAR, SVG_ROW - 6);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">", SVG_LABEL + frac * SVG_BAR + 6, y + 15);
		html_put(f, v[i].text);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

static void html_count_table(FILE *f, const char *head, const hbar *v, size_t n, long long total)
{
	fputs("<table><thead><tr><th>", f);
	html_put(f, head);
	fputs("</th><th class=\"n\">件数</th><th class=\"n\">占比</th></tr></thead><tbody>\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<tr><td>", f);
		html_put(f, v[i].label);
		fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td></tr>\n", (long long)v[i].value,
		        total > 0 ? v[i].value * 100.0 / (double)total : 0.0);
	}
	fputs("</tbody></table>\n", f);
}

static void render_html(FILE *f, const report *r, session *s)
{
	char from[24], cut[24];
	clock_short(r->from, from, sizeof from);
	clock_short(r->cutoff, cut, sizeof cut);
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>", f);
	html_put(f, report_title(r, s));
	fputc(' ', f);
	html_put(f, r->period);
	fputs("</title>\n<style>\n"
	      "@page { size: A4; margin: 15mm; }\n"
	      "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", sans-serif;"
	      " font-size: 11pt; color: #111; margin: 0 auto; max-width: 180mm; }\n"
	      "h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 14pt 0 4pt;"
	      " border-bottom: 1px solid #999; }\n"
	      "p.scope { color: #444; margin: 0 0 8pt; }\n"
	      "table { border-collapse: collapse; margin: 4pt 0; }\n"
	      "th, td { border: 1px solid #bbb; padding: 2pt 6pt; text-align: left; }\n"
	      "td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
	      "svg.chart { display: block; margin: 4pt 0 8pt; font-size: 10pt; }\n"
	      "svg.chart .bar { fill: #3b6ea5; } svg.chart text { fill: #111; }\n"
	      "section { break-inside: avoid; page-break-inside: avoid; }\n"
	      "@media print { body { max-width: none; } }\n"
	      "</style>\n</head>\n<body>\n", f);
	fputs("<h1>", f);
	html_put(f, report_title(r, s));
	fputc(' ', f);
	html_put(f, r->period);
	fputs("</h1>\n<p class=\"scope\">", f);
	html_put(f, from);
	fputs(" 至 ", f);
	html_put(f, cut);
	fputs("，范围：", f);
	if (r->dept) {
		html_put(f, case_dept_name(s, r->dept));
		fputs(" 的案件", f);
	} else
		fputs("全部案件", f);
	fputs("</p>\n", f);

	size_t nsec, nsum = 0;
	sec *secs = layout(r, s, &nsec);
	for (size_t i = 0; i < nsec; i++) {
		const sec *x = &secs[i];
		if (x->kind == SEC_COUNT) {
			size_t end = i;
			double max = 0;
			while (end < nsec && secs[end].kind == SEC_COUNT)
				end++;
			hbar *bars = ks_calloc(end - i, sizeof *bars);
			char (*txt)[24] = ks_calloc(end - i, sizeof *txt);
			if (nsum++)
				fprintf(f, "<section id=\"summary-%zu\">\n<h2>概况</h2>\n<table><tbody>\n", nsum);
			else
				fputs("<section id=\"summary\">\n<h2>概况</h2>\n<table><tbody>\n", f);
			for (size_t j = i; j < end; j++) {
				long long v = count_value(r, secs[j].idx);
				snprintf(txt[j - i], sizeof txt[j - i], "%lld", v);
				bars[j - i] = (hbar){ secs[j].label, (double)v, txt[j - i] };
				if (v > max)
					max = (double)v;
				fprintf(f, "<tr id=\"%s\"><th>", count_keys[secs[j].idx]);
				html_put(f, secs[j].label);
				fprintf(f, "</th><td class=\"n\">%lld</td></tr>\n", v);
			}
			fputs("</tbody></table>\n", f);
			svg_bars(f, "概况", bars, end - i, max);
			fputs("</section>\n", f);
			free(bars);
			free(txt);
			i = end - 1;
		} else if (x->kind == SEC_BD) {
			const report_breakdown *b = &r->bd[x->idx];
			fputs("<section class=\"breakdown\" id=\"by-", f);
			html_put(f, b->key);
			fputs("\">\n<h2>按", f);
			html_put(f, x->label);
			fputs(r->weekly ? "（本周登记）" : "（本月登记）", f);
			fputs("</h2>\n", f);
			if (!b->nitems) {
				fputs("<p>（无）</p>\n</section>\n", f);
				continue;
			}
			hbar *v = ks_calloc(b->nitems, sizeof *v);
			char (*t)[24] = ks_calloc(b->nitems, sizeof *t);
			double max = 0;
			for (size_t j = 0; j < b->nitems; j++) {
				snprintf(t[j], sizeof t[j], "%lld", b->items[j].n);
				v[j] = (hbar){ b->items[j].label, (double)b->items[j].n, t[j] };
				if (b->items[j].n > max)
					max = (double)b->items[j].n;
			}
			html_count_table(f, x->label, v, b->nitems, r->k.received);
			svg_bars(f, x->label, v, b->nitems, max);
			free(v);
			free(t);
			fputs("</section>\n", f);
		} else if (x->kind == SEC_CLOCKS) {
			fputs("<section id=\"clocks\">\n<h2>", f);
			html_put(f, x->label);
			fputs(r->weekly ? "（本周停止的时限）" : "（本月停止的时限）", f);
			fputs("</h2>\n", f);
			if (!r->nclocks)
				fputs("<p>（无）</p>\n", f);
			else {
				fputs("<table><thead><tr><th>时限</th><th class=\"n\">按时</th><th class=\"n\">逾期</th>"
				      "<th class=\"n\">按时率</th></tr></thead><tbody>\n", f);
				hbar *v = ks_calloc(r->nclocks, sizeof *v);
				char (*t)[24] = ks_calloc(r->nclocks, sizeof *t);
				for (size_t j = 0; j < r->nclocks; j++) {
					const report_clock *k = &r->clocks[j];
					fputs("<tr><td>", f);
					html_put(f, k->label);
					fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td></tr>\n",
					        k->met, k->breached, k->rate * 100);
					snprintf(t[j], sizeof t[j], "%.1f%%", k->rate * 100);
					v[j] = (hbar){ k->label, k->rate, t[j] };
				}
				fputs("</tbody></table>\n", f);
				svg_bars(f, x->label, v, r->nclocks, 1.0);
				free(v);
				free(t);
			}
			fputs("</section>\n", f);
		} else {
			fputs("<section id=\"handling\">\n<h2>", f);
			html_put(f, x->label);
			fputs(r->weekly ? "（本周结案，日历天）" : "（本月结案，日历天）", f);
			fprintf(f, "</h2>\n<table><tbody>\n<tr><th>结案件数</th><td class=\"n\">%lld</td></tr>\n"
			           "<tr><th>平均</th><td class=\"n\">%.1f</td></tr>\n<tr><th>90 百分位</th><td class=\"n\">%.1f</td></tr>\n"
			           "</tbody></table>\n</section>\n",
			        r->nhandled, r->avg_days, r->p90_days);
		}
	}
	free(secs);
	fputs("</body>\n</html>\n", f);
}

static bool is_utf8_name(const char *e)
{
	return !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

int cmd_report(cli *c)
{
	const char *format = c->json ? "json" : "text", *enc = "UTF-8", *month = NULL;
	if (c->argc < 2 || (strcmp(c->argv[0], "monthly") && strcmp(c->argv[0], "weekly")))
		return usage();
	bool weekly = !strcmp(c->argv[0], "weekly");
	for (int i = 1; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--format") && has)
			format = c->argv[++i];
		else if (!strcmp(a, "--encoding") && has)
			enc = c->argv[++i];
		else if (a[0] != '-' && !month)
			month = a;
		else
			return usage();
	}
	if (!month)
		return usage();
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "html"))
		return cli_fail(KS_INVALID, "--format 只能是 text、csv、json 或 html");
	if (!strcmp(format, "html") && !is_utf8_name(enc))
		return cli_fail(KS_INVALID, "HTML 报表只用 UTF-8（页面中已声明 charset=utf-8）");
	ks_err err;
	if (!is_utf8_name(enc)) {
		char *o;
		size_t ol;
		ks_status st = text_from_utf8("", 0, enc, &o, &ol, &err);
		if (st)
			return cli_fail(KS_INVALID, err.msg);
		free(o);
	}
	bool as_owner = !c->as && cli_trusted(c->data);
	session *s;
	int rc = cli_open(c, &s, !as_owner);
	if (rc)
		return rc;
	report r;
	ks_status st = weekly ? report_weekly(s, month, &r, &err) : report_monthly(s, month, &r, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		report_free(&r);
		session_close(s);
		return cli_fail(KS_FAIL, "内存不足");
	}
	bool utf8 = is_utf8_name(enc);
	if (!strcmp(format, "csv")) {
		if (utf8)
			fputs("\xEF\xBB\xBF", f);
		render_csv(f, &r, s);
	} else if (!strcmp(format, "json"))
		render_json(f, &r);
	else if (!strcmp(format, "html"))
		render_html(f, &r, s);
	else
		render_text(f, &r, s);
	fclose(f);
	report_free(&r);
	session_close(s);
	char *outp = buf;
	size_t outlen = len;
	if (!utf8) {
		st = text_from_utf8(buf, len, enc, &outp, &outlen, &err);
		free(buf);
		if (st)
			return cli_fail(st, err.msg);
	}
	int wr = fwrite(outp, 1, outlen, stdout) == outlen && fflush(stdout) == 0;
	free(outp);
	return wr ? 0 : cli_fail(KS_FAIL, "无法写出报表");
}
