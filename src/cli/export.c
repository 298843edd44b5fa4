/* export.c — `kesu export [--format csv|json] [--encoding E]`: the cases the
 * current person may see (case_list applies case_visible), oldest first, with
 * number, state, department, assignee, registrant, dates, version and every
 * field of the intake form by key.
 *
 * csv: RFC 4180 (report_csv_field quotes a field with a comma, quote, CR or
 * LF and doubles its quotes; lines end in CR LF), a header row of column
 * names (the field keys), UTF-8 with a BOM, or converted to encoding E with
 * text_from_utf8 (no BOM). Values are written as stored (a longtext keeps its
 * line breaks inside quotes); money as yuan with two decimals; yes/no as
 * yes/no. json: an array of objects with the stored field values (as
 * `show --json`). The whole output is built first: nothing is written when
 * anything fails. */
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

static int usage(void)
{
	return cli_fail(KS_INVALID, "用法：kesu export [--format csv|json] [--encoding E]");
}

/* Stored text is made visible (text_visible) before it is quoted: no raw
 * control byte reaches a file someone will open or cat. */
static void csv_put(FILE *f, const char *s, bool last)
{
	char *v = text_visible(s ? s : "", true);
	char *q = report_csv_field(v);
	free(v);
	fputs(q, f);
	free(q);
	fputs(last ? "\r\n" : ",", f);
}

/* A stored value as CSV text (caller frees). */
static char *value_text(const conf_field *fd, const json_t *v)
{
	if (!v || json_is_null(v))
		return ks_strdup("");
	if (json_is_string(v))
		return ks_strdup(json_string_value(v));
	if (json_is_integer(v)) {
		long long n = json_integer_value(v);
		if (fd->type == FT_MONEY)
			return ks_asprintf("%s%lld.%02lld", n < 0 ? "-" : "", llabs(n) / 100, llabs(n) % 100);
		return ks_asprintf("%lld", n);
	}
	if (json_is_true(v))
		return ks_strdup("yes");
	if (json_is_false(v))
		return ks_strdup("no");
	char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return d ? d : ks_strdup("");
}

static const char *const fixed[] = { "case", "state", "state_label", "dept", "assignee", "registrant",
	                             "created", "updated", "version" };
#define NFIXED (sizeof fixed / sizeof *fixed)

int cmd_export(cli *c)
{
	const char *format = c->json ? "json" : "csv", *enc = "UTF-8";
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--format") && has)
			format = c->argv[++i];
		else if (!strcmp(a, "--encoding") && has)
			enc = c->argv[++i];
		else
			return usage();
	}
	if (strcmp(format, "csv") && strcmp(format, "json"))
		return cli_fail(KS_INVALID, "--format 只能是 csv 或 json");
	bool utf8 = !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "UTF8");
	ks_err err;
	if (!utf8) {
		char *o;
		size_t ol;
		if (text_from_utf8("", 0, enc, &o, &ol, &err))
			return cli_fail(KS_INVALID, err.msg);
		free(o);
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	const conf_form *intake = s->cf->intake_form ? conf_find_form(s->cf, s->cf->intake_form) : NULL;
	size_t nf = intake ? intake->nfields : 0;
	store_filter flt = { .now = clock_now() };
	store_case *v = NULL;
	size_t n = 0;
	ks_status st = case_list(s, &flt, &v, &n, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		store_cases_free(v, n);
		session_close(s);
		return cli_fail(KS_FAIL, "内存不足");
	}
	bool csv = !strcmp(format, "csv");
	json_t *arr = csv ? NULL : json_array();
	if (csv) {
		if (utf8)
			fputs("\xEF\xBB\xBF", f);
		for (size_t j = 0; j < NFIXED; j++)
			csv_put(f, fixed[j], j + 1 == NFIXED && nf == 0);
		for (size_t j = 0; j < nf; j++)
			csv_put(f, intake->fields[j].key, j + 1 == nf);
	}
	/* case_list is newest first; export oldest first */
	for (size_t i = n; i-- > 0;) {
		const store_case *k = &v[i];
		json_t *fields = k->fields ? json_loads(k->fields, 0, NULL) : NULL;
		char created[40], updated[40], ver[24];
		clock_iso(k->created_at, created, sizeof created);
		clock_iso(k->updated_at, updated, sizeof updated);
		snprintf(ver, sizeof ver, "%d", k->version);
		if (csv) {
			const char *vals[NFIXED] = { k->no, k->state, case_state_label(s, k->state), k->dept, k->assignee,
				                     k->registrant, created, updated, ver };
			for (size_t j = 0; j < NFIXED; j++)
				csv_put(f, vals[j], j + 1 == NFIXED && nf == 0);
			for (size_t j = 0; j < nf; j++) {
				const conf_field *fd = &intake->fields[j];
				char *t = value_text(fd, fields ? json_object_get(fields, fd->key) : NULL);
				csv_put(f, t, j + 1 == nf);
				free(t);
			}
		} else {
			json_t *fo = json_object();
			for (size_t j = 0; j < nf; j++) {
				json_t *fv = fields ? json_object_get(fields, intake->fields[j].key) : NULL;
				json_object_set(fo, intake->fields[j].key, fv ? fv : json_null());
			}
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:i, s:o}", "case",
			                                     k->no, "state", k->state, "state_label",
			                                     case_state_label(s, k->state), "dept", k->dept, "assignee",
			                                     k->assignee, "registrant", k->registrant, "created", created,
			                                     "updated", updated, "version", k->version, "fields", fo));
		}
		json_decref(fields);
	}
	if (arr) {
		cli_json(arr, f, JSON_INDENT(2));
		fputc('\n', f);
		json_decref(arr);
	}
	fclose(f);
	store_cases_free(v, n);
	session_close(s);
	char *outp = buf;
	size_t outlen = len;
	if (!utf8) {
		st = text_from_utf8(buf, len, enc, &outp, &outlen, &err);
		free(buf);
		if (st)
			return cli_fail(st, err.msg);
	}
	bool ok = fwrite(outp, 1, outlen, stdout) == outlen && fflush(stdout) == 0;
	free(outp);
	return ok ? 0 : cli_fail(KS_FAIL, "无法写出导出文件");
}
