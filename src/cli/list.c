/* list.c — `kesu list [--state S] [--dept D] [--overdue] [--mine] [--dissents]
 * [--limit N] [--offset N]`: the cases the person may see, earliest running
 * due time first, cases without a running clock last (newest first); --offset
 * skips that many for paging; --dissents only those with a 签呈 waiting for
 * the person's ruling. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/text.h"

int cmd_list(cli *c)
{
	store_filter f = { .order = STORE_ORDER_DUE };
	bool mine = false, dissents = false;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--state") && has)
			f.state = c->argv[++i];
		else if (!strcmp(a, "--dept") && has)
			f.dept = c->argv[++i];
		else if (!strcmp(a, "--mine"))
			mine = true;
		else if (!strcmp(a, "--dissents"))
			dissents = true;
		else if (!strcmp(a, "--overdue"))
			f.overdue = true;
		else if (!strcmp(a, "--limit") && has) {
			char *end;
			errno = 0;
			long v = strtol(c->argv[++i], &end, 10);
			if (errno || *end || v < 1 || v > 1000000)
				return cli_fail(KS_INVALID, "--limit 需要 1 到 1000000 之间的整数");
			f.limit = (int)v;
		} else if (!strcmp(a, "--offset") && has) {
			char *end;
			errno = 0;
			long v = strtol(c->argv[++i], &end, 10);
			if (errno || *end || v < 0 || v > 100000000)
				return cli_fail(KS_INVALID, "--offset 需要 0 到 100000000 之间的整数");
			f.offset = (int)v;
		} else
			return cli_fail(KS_INVALID, "用法：kesu list [--state S] [--dept D] [--overdue] [--mine] [--dissents] [--limit N] [--offset N]");
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	if (f.state && !conf_find_state(s->cf, f.state)) {
		session_close(s);
		return cli_fail(KS_INVALID, "--state：没有这个状态代码");
	}
	if (f.dept && !conf_find_dept(s->cf, f.dept)) {
		session_close(s);
		return cli_fail(KS_INVALID, "--dept：没有这个部门代码");
	}
	if (mine)
		f.involving = s->me->login;
	f.now = clock_now();
	ks_err err;
	store_case *v = NULL;
	size_t n = 0;
	ks_status st = case_list(s, &f, &v, &n, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	/* 签呈 waiting for this person's ruling (--dissents: only those cases) */
	store_dissent *dv = NULL;
	size_t ndv = 0;
	if ((st = store_dissents(s->st, 0, s->me->login, true, &dv, &ndv, &err))) {
		store_cases_free(v, n);
		session_close(s);
		return cli_fail(st, err.msg);
	}
	json_t *arr = c->json ? json_array() : NULL;
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const store_case *k = &v[i];
		bool pending = false;
		for (size_t j = 0; j < ndv && !pending; j++)
			pending = dv[j].case_id == k->id;
		if (dissents && !pending)
			continue;
		shown++;
		if (arr) {
			char due[40];
			if (k->next_due)
				clock_iso(k->next_due, due, sizeof due);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:b}",
			                                     "case", k->no, "state", k->state, "state_label",
			                                     case_state_label(s, k->state), "dept", k->dept,
			                                     "assignee", k->assignee, "customer", k->customer,
			                                     "subject", k->subject, "due", k->next_due ? due : NULL,
			                                     "overdue", k->next_due && k->next_due < f.now));
			json_object_set_new(json_array_get(arr, json_array_size(arr) - 1), "dissent_pending",
			                    json_boolean(pending));
			continue;
		}
		char when[24];
		clock_short(k->created_at, when, sizeof when);
		char *cols[4] = { text_visible(case_state_label(s, k->state), false),
		                  text_visible(case_dept_name(s, k->dept), false),
		                  text_visible(k->customer ? k->customer : "", false),
		                  text_visible(k->subject ? k->subject : "", false) };
		static const int widths[4] = { 8, 18, 20, 30 };
		printf("%-10s ", k->no);
		for (int j = 0; j < 4; j++) {
			char *fit = text_fit(cols[j], widths[j]);
			printf("%s ", fit);
			free(fit);
			free(cols[j]);
		}
		if (k->next_due) {
			char due[24];
			clock_short(k->next_due, due, sizeof due);
			printf("%s  期限 %s%s%s\n", when, due, k->next_due < f.now ? " 逾期" : "", pending ? "  签呈待批示" : "");
		} else {
			printf("%s%s\n", when, pending ? "  签呈待批示" : "");
		}
	}
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else if (shown == 0) {
		printf("%s\n", dissents ? "（没有待你批示的签呈）" : "（没有案件）");
	}
	store_dissents_free(dv, ndv);
	store_cases_free(v, n);
	session_close(s);
	return 0;
}
