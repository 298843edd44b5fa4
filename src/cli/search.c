/* search.c — `kesu search TEXT... [--limit N] [--rank]`: full-text search of
 * the cases the current person may see, newest first, or with --rank by
 * relevance (bm25). Several TEXT
 * arguments are one query (all terms must match). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/casesearch.h"
#include "kesu/text.h"

#define SEARCH_DEFAULT_LIMIT 20
#define SNIPPET_COLS 64

static const char usage[] = "用法：kesu search TEXT [--limit N] [--rank]";

/* text_visible(s) cut to width columns (padded unless last). Caller frees. */
static char *column(const char *s, int width, bool last)
{
	char *v = text_visible(s ? s : "", false);
	if (last && text_width(v) <= width)
		return v;
	char *f = text_fit(v, width);
	free(v);
	return f;
}

/* The snippet with the text before its first match shortened to at most a
 * quarter of width columns ("…" where cut), so the match shows in the
 * column. Caller frees. */
static char *lead_in(const char *snip, int width)
{
	const char *m = strstr(snip, SEARCH_MARK_OPEN);
	int lead = width / 4;
	if (!m)
		return ks_strdup(snip);
	size_t pre = (size_t)(m - snip), off = 0;
	char *head = ks_strndup(snip, pre);
	if (text_width(head) <= lead) {
		free(head);
		return ks_strdup(snip);
	}
	while (off < pre && text_width(head + off) > lead - 1) {
		uint32_t cp;
		if (!text_utf8_next(head, pre, &off, &cp))
			off++;
	}
	free(head);
	return ks_asprintf("%s%s", SEARCH_ELLIPSIS, snip + off);
}

int cmd_search(cli *c)
{
	int limit = SEARCH_DEFAULT_LIMIT;
	char *query = ks_strdup("");
	bool opts = true, by_rank = false;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (opts && !strcmp(a, "--")) {
			opts = false;
		} else if (opts && !strcmp(a, "--limit") && i + 1 < c->argc) {
			char *end;
			errno = 0;
			long v = strtol(c->argv[++i], &end, 10);
			if (errno || *end || v < 1 || v > 1000) {
				free(query);
				return cli_fail(KS_INVALID, "--limit 需要 1 到 1000 之间的整数");
			}
			limit = (int)v;
		} else if (opts && !strcmp(a, "--rank")) {
			by_rank = true;
		} else if (opts && a[0] == '-' && a[1] == '-') {
			free(query);
			return cli_fail(KS_INVALID, usage);
		} else {
			char *q = ks_asprintf("%s%s%s", query, *query ? " " : "", a);
			free(query);
			query = q;
		}
	}
	if (c->argc == 0) {
		free(query);
		return cli_fail(KS_INVALID, usage);
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc) {
		free(query);
		return rc;
	}
	ks_err err;
	search_hit *v = NULL;
	size_t n = 0;
	/* newest first costs the page; the rank (bm25) costs a walk over every
	 * match, so it is computed only with --rank (JSON "rank" is null without) */
	ks_status st = by_rank ? search_cases_ranked(s, query, limit, &v, &n, &err)
	                       : search_cases(s, query, limit, &v, &n, &err);
	free(query);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const store_case *k = &v[i].c;
		if (arr) {
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:o, s:s}",
			                                     "case", k->no, "state", k->state, "state_label",
			                                     case_state_label(s, k->state), "customer", k->customer,
			                                     "subject", k->subject, "rank",
			                                     by_rank ? json_real(v[i].rank) : json_null(),
			                                     "snippet", v[i].snippet));
			continue;
		}
		char *snip = lead_in(v[i].snippet, SNIPPET_COLS);
		char *cols[4] = { column(case_state_label(s, k->state), 8, false),
		                  column(k->customer, 20, false),
		                  column(k->subject, 24, false),
		                  column(snip, SNIPPET_COLS, true) };
		free(snip);
		char *no = text_visible(k->no, false);
		printf("%-10s %s %s %s %s\n", no, cols[0], cols[1], cols[2], cols[3]);
		free(no);
		for (int j = 0; j < 4; j++)
			free(cols[j]);
	}
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		putchar('\n');
		json_decref(arr);
	} else if (n == 0) {
		printf("（没有找到匹配的案件）\n");
	}
	search_hits_free(v, n);
	session_close(s);
	return 0;
}
