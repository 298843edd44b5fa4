/* report.c — `kesu report monthly YYYY-MM [--format text|csv|json]
 * [--encoding UTF-8|GB18030]`: the monthly statistics (definitions in
 * include/kesu/report.h).
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
#include "kesu/text.h"

#define BAR_COLS 30
#define LABEL_COLS 20

static int usage(void)
{
	return cli_fail(KS_INVALID, "用法：kesu report monthly YYYY-MM [--format text|csv|json] [--encoding UTF-8|GB18030]");
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

static void render_text(FILE *f, const report *r, session *s)
{
	char from[24], cut[24];
	clock_short(r->from, from, sizeof from);
	clock_short(r->cutoff, cut, sizeof cut);
	fprintf(f, "客诉月度统计报表 %s（%s 至 %s）范围：", r->month, from, cut);
	if (r->dept) {
		cli_put(f, case_dept_name(s, r->dept));
		fputs(" 的案件\n", f);
	} else
		fputs("全部案件\n", f);

	const struct { const char *label; long long n; } sum[] = {
		{ "本月登记", r->k.received },     { "其中已受理", r->k.accepted },
		{ "其中不予受理", r->k.rejected }, { "本月结案", r->k.closed },
		{ "月末未结", r->k.open_end },      { "本月重新处理", r->k.reopened },
		{ "月末逾期时限", r->k.overdue_end },
	};
	long long max = 0;
	for (size_t i = 0; i < sizeof sum / sizeof *sum; i++)
		if (sum[i].n > max)
			max = sum[i].n;
	fputs("\n概况\n", f);
	for (size_t i = 0; i < sizeof sum / sizeof *sum; i++)
		line(f, sum[i].label, sum[i].n, max);

	for (size_t i = 0; i < r->nbd; i++) {
		const report_breakdown *b = &r->bd[i];
		fputs("\n按", f);
		cli_put(f, b->label);
		fputs("（本月登记）\n", f);
		max = 0;
		for (size_t j = 0; j < b->nitems; j++)
			if (b->items[j].n > max)
				max = b->items[j].n;
		if (!b->nitems)
			fputs("  （无）\n", f);
		for (size_t j = 0; j < b->nitems; j++)
			line(f, b->items[j].label, b->items[j].n, max);
	}

	fputs("\n按时率（本月停止的时限）\n", f);
	if (!r->nclocks)
		fputs("  （无）\n", f);
	else {
		fputs("  ", f);
		label_cell(f, "时限", LABEL_COLS);
		fputs("     按时     逾期   按时率\n", f);
	}
	for (size_t i = 0; i < r->nclocks; i++) {
		const report_clock *k = &r->clocks[i];
		fputs("  ", f);
		label_cell(f, k->label, LABEL_COLS);
		fprintf(f, " %8lld %8lld %7.1f%%  ", k->met, k->breached, k->rate * 100);
		bar(f, k->rate);
		fputc('\n', f);
	}
	fputs("\n处理天数（本月结案，日历天）\n", f);
	fprintf(f, "  %s %8lld\n", "结案件数            ", r->nhandled);
	fprintf(f, "  %s %8.1f\n", "平均                ", r->avg_days);
	fprintf(f, "  %s %8.1f\n", "90 百分位           ", r->p90_days);
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

static void render_csv(FILE *f, const report *r)
{
	csv_row(f, "分类", "项目", "代码", "数值");
	csv_row(f, "报表", "月份", "month", r->month);
	csv_row(f, "报表", "范围", "scope", r->dept ? r->dept : "all");
	csv_num(f, "概况", "本月登记", "received", r->k.received);
	csv_num(f, "概况", "其中已受理", "accepted", r->k.accepted);
	csv_num(f, "概况", "其中不予受理", "rejected", r->k.rejected);
	csv_num(f, "概况", "本月结案", "closed", r->k.closed);
	csv_num(f, "概况", "月末未结", "open_at_end", r->k.open_end);
	csv_num(f, "概况", "本月重新处理", "reopened", r->k.reopened);
	csv_num(f, "概况", "月末逾期时限", "overdue_at_end", r->k.overdue_end);
	for (size_t i = 0; i < r->nbd; i++)
		for (size_t j = 0; j < r->bd[i].nitems; j++)
			csv_num(f, r->bd[i].label, r->bd[i].items[j].label, r->bd[i].items[j].value, r->bd[i].items[j].n);
	for (size_t i = 0; i < r->nclocks; i++) {
		const report_clock *k = &r->clocks[i];
		char rate[32];
		snprintf(rate, sizeof rate, "%.4f", k->rate);
		csv_num(f, "时限按时", k->label, k->clock, k->met);
		csv_num(f, "时限逾期", k->label, k->clock, k->breached);
		csv_row(f, "时限按时率", k->label, k->clock, rate);
	}
	char avg[32], p90[32];
	snprintf(avg, sizeof avg, "%.1f", r->avg_days);
	snprintf(p90, sizeof p90, "%.1f", r->p90_days);
	csv_num(f, "处理天数", "结案件数", "cases", r->nhandled);
	csv_row(f, "处理天数", "平均", "average", avg);
	csv_row(f, "处理天数", "90 百分位", "p90", p90);
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
	                      "month", r->month, "from", from, "to", to, "as_of", cut, "dept", r->dept,
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

static bool is_utf8_name(const char *e)
{
	return !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

int cmd_report(cli *c)
{
	const char *format = c->json ? "json" : "text", *enc = "UTF-8", *month = NULL;
	if (c->argc < 2 || strcmp(c->argv[0], "monthly"))
		return usage();
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
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json"))
		return cli_fail(KS_INVALID, "--format 只能是 text、csv 或 json");
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
	ks_status st = report_monthly(s, month, &r, &err);
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
		render_csv(f, &r);
	} else if (!strcmp(format, "json"))
		render_json(f, &r);
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
