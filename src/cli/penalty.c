/* penalty.c — `kesu penalty`: the monthly penalty ledger (罚扣台账) and the
 * decisions on it.
 *
 *   kesu penalty --month YYYY-MM [--login L]
 *   kesu penalty entries [--case CASE] [--login L]
 *   kesu penalty sanction CASE LOGIN LEVEL [offence=CODE] [reason=TEXT]
 *   kesu penalty appeal ENTRY reason=TEXT
 *   kesu penalty reverse ENTRY reason=TEXT [amount=元] [appeal=ID]
 *   kesu penalty bonus import FILE.csv [--month M] [--encoding E] [--replace]
 *   kesu penalty bonus list --month M
 *
 * docs/penalty.md describes the ledger; this file only presents it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/form.h"
#include "kesu/penalty.h"
#include "kesu/text.h"

#define USAGE "用法：kesu penalty --month YYYY-MM [--login L] | entries [--case CASE] [--login L] | " \
              "sanction CASE LOGIN LEVEL [offence=CODE] [reason=TEXT] | appeal ENTRY reason=TEXT | " \
              "reverse ENTRY reason=TEXT [amount=元] [appeal=ID] | bonus import FILE.csv [--month M] " \
              "[--encoding E] [--replace] | bonus list --month M"

static json_t *money_or_null(long long fen)
{
	return fen < 0 ? json_null() : json_integer(fen);
}

static char *yuan(long long fen)
{
	char buf[48];
	form_money(fen, buf, sizeof buf);
	return ks_strdup(buf);
}

/* Print s fitted to width columns (made visible first). */
static void put_col(const char *s, int width, bool right)
{
	char *v = text_visible(s ? s : "", false);
	char *f = right ? text_pad_left(v, width) : text_fit(v, width);
	fputs(f, stdout);
	free(f);
	free(v);
}

static int month_cmd(cli *c, const char *month, const char *login)
{
	int year, mon;
	if (!penalty_month_parse(month, &year, &mon))
		return cli_fail(KS_INVALID, "--month 应为 YYYY-MM，如 2026-11");
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	penalty_row *v = NULL;
	size_t n = 0;
	ks_status st = penalty_month(s, year, mon, login, &v, &n, &err);
	if (st) {
		session_close(s);
		return cli_fail(st, err.msg);
	}
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *items = json_array();
			for (size_t k = 0; k < v[i].nitems; k++) {
				const penalty_item *it = &v[i].items[k];
				json_array_append_new(items, json_pack("{s:s?, s:s, s:I, s:s, s:s, s:b, s:o}", "case", it->case_no,
				                                       "rule", it->rule, "amount_fen", (json_int_t)it->amount_fen,
				                                       "kind", it->kind, "label", it->label, "capped", it->capped,
				                                       "entry", it->entry ? json_integer(it->entry) : json_null()));
			}
			json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:o, s:s?, s:I}", "login", v[i].login,
			                                     "name", v[i].name, "items", items, "cap_fen", money_or_null(v[i].cap_fen),
			                                     "carried_in_fen", (json_int_t)v[i].carried_in_fen, "deducted_fen",
			                                     (json_int_t)v[i].deducted_fen, "carried_forward_fen",
			                                     (json_int_t)v[i].carried_forward_fen, "bonus_fen",
			                                     money_or_null(v[i].bonus_fen), "bonus_source", v[i].bonus_source,
			                                     "reward_fen",
			                                     (json_int_t)v[i].reward_fen));
		}
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else {
		const penconf *p = s->cf->penalty;
		printf("%s 罚扣台账", month);
		if (p->cap_per_mille >= 0 && p->cap_per_mille % 10)
			printf("（每月上限：当月效益奖金的 %d.%d%%，超出部分逐月结转）", p->cap_per_mille / 10,
			       p->cap_per_mille % 10);
		else if (p->cap_per_mille >= 0)
			printf("（每月上限：当月效益奖金的 %d%%，超出部分逐月结转）", p->cap_per_mille / 10);
		putchar('\n');
		if (n == 0)
			puts("本月没有罚扣、结转或奖励。");
		for (size_t i = 0; i < n; i++) {
			const penalty_row *r = &v[i];
			char *b = yuan(r->bonus_fen), *cap = yuan(r->cap_fen), *in = yuan(r->carried_in_fen),
			     *d = yuan(r->deducted_fen), *fw = yuan(r->carried_forward_fen);
			putchar('\n');
			cli_put(stdout, r->name);
			printf("（");
			cli_put(stdout, r->login);
			printf("）  月奖金 %s%s  上限 %s  上月结转 %s  本月扣 %s  结转下月 %s\n",
			       r->bonus_fen < 0 ? "未设" : b,
			       !r->bonus_source ? "" : !strcmp(r->bonus_source, "import") ? "（本月导入的奖金表）" : "（staff.yaml）",
			       r->cap_fen < 0 ? "不封顶" : cap, in, d, fw);
			free(b); free(cap); free(in); free(d); free(fw);
			for (size_t k = 0; k < r->nitems; k++) {
				const penalty_item *it = &r->items[k];
				char *a = yuan(it->amount_fen);
				printf("  ");
				put_col(it->case_no ? it->case_no : "—", 10, false);
				printf("  ");
				put_col(it->label, 44, false);
				printf("  ");
				put_col(!strcmp(it->kind, "flag") ? "（报人力资源部）" : a, 14, true);
				if (!strcmp(it->kind, "reward"))
					printf("  奖励");
				else if (!it->capped && strcmp(it->kind, "flag"))
					printf("  不受上限");
				if (it->entry)
					printf("  #%lld", it->entry);
				putchar('\n');
				free(a);
			}
			if (r->reward_fen) {
				char *w = yuan(r->reward_fen);
				printf("  奖励合计 %s\n", w);
				free(w);
			}
		}
	}
	penalty_rows_free(v, n);
	session_close(s);
	return 0;
}


static int entries_cmd(cli *c, const char *case_no, const char *login)
{
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc)
		return rc;
	ks_err err;
	store_penalty *v = NULL;
	size_t n = 0;
	ks_status st = penalty_entries(s, case_no, login, &v, &n, &err);
	store_copy *nt = NULL;
	store_penalty_appeal *ap = NULL;
	size_t nnt = 0, nap = 0;
	if (!st)
		st = store_copies_of_entry(s->st, 0, &nt, &nnt, &err);
	if (!st)
		st = store_penalty_appeals(s->st, 0, &ap, &nap, &err);
	if (st) {
		store_penalties_free(v, n);
		store_copies_free(nt, nnt);
		session_close(s);
		return cli_fail(st, err.msg);
	}
	const penconf *p = s->cf->penalty;
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const store_penalty *e = &v[i];
		char at[40];
		if (arr) {
			clock_iso(e->at, at, sizeof at);
			json_t *notices = json_array(), *appeals = json_array();
			for (size_t k = 0; k < nnt; k++)
				if (nt[k].entry_id == e->id)
					json_array_append_new(notices, json_pack("{s:i, s:i, s:s, s:s, s:s, s:s}", "copy", nt[k].copy_no,
					                                         "round", nt[k].round, "holder_kind", nt[k].holder_kind,
					                                         "holder", nt[k].holder, "holder_name", nt[k].holder_name,
					                                         "purpose", nt[k].purpose));
			for (size_t k = 0; k < nap; k++)
				if (ap[k].entry_id == e->id) {
					char when[40];
					clock_iso(ap[k].at, when, sizeof when);
					json_array_append_new(appeals, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)ap[k].id,
					                                         "at", when, "by", ap[k].by, "reason", ap[k].reason));
				}
			json_array_append_new(arr, json_pack(
				"{s:I, s:s?, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:b, s:o, s:o, s:s, s:s, s:s?, s:o, s:o}",
				"id", (json_int_t)e->id, "case", e->case_no, "login", e->login, "name", case_staff_name(s, e->login),
				"month", e->month, "kind", e->kind, "rule", e->rule, "label", penalty_rule_label(p, e->rule), "ref",
				e->ref, "amount_fen", (json_int_t)e->amount_fen, "capped", e->capped, "automatic", e->automatic,
				"reverses", e->reverses ? json_integer(e->reverses) : json_null(), "appeal",
				e->appeal ? json_integer(e->appeal) : json_null(), "at", at, "by", e->by, "note", e->note,
				"notices", notices, "appeals", appeals));
			continue;
		}
		clock_short(e->at, at, sizeof at);
		char *a = yuan(e->amount_fen);
		printf("#%-5lld %s  %s  ", e->id, e->month, at);
		put_col(e->case_no ? e->case_no : "—", 10, false);
		printf("  ");
		put_col(case_staff_name(s, e->login), 8, false);
		printf("  ");
		put_col(penalty_rule_label(p, e->rule), 24, false);
		printf("  ");
		put_col(a, 14, true);
		if (e->reverses)
			printf("  冲销 #%lld", e->reverses);
		if (e->note && *e->note) {
			printf("  理由：");
			cli_put(stdout, e->note);
		}
		putchar('\n');
		free(a);
		size_t nn = 0;
		for (size_t k = 0; k < nnt; k++)
			if (nt[k].entry_id == e->id) {
				if (!nn++) {
					const conf_form *nf = conf_find_form(s->cf, nt[k].form);
					const conf_form *lf = penconf_notice_form(s->cf, p);
					printf("        ");
					cli_put(stdout, nf ? nf->title : lf ? lf->title : "奖罚通知单");
					printf("（第 %d 次）：", nt[k].round);
				} else
					printf("、");
				printf("第%d联 ", nt[k].copy_no);
				cli_put(stdout, nt[k].holder_name);
				printf("（");
				cli_put(stdout, nt[k].purpose);
				printf("）");
			}
		if (nn)
			putchar('\n');
		for (size_t k = 0; k < nap; k++)
			if (ap[k].entry_id == e->id) {
				char when[24];
				clock_short(ap[k].at, when, sizeof when);
				printf("        签呈 #%lld  %s  ", ap[k].id, when);
				cli_put(stdout, case_staff_name(s, ap[k].by));
				printf("：");
				cli_put(stdout, ap[k].reason);
				putchar('\n');
			}
	}
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else if (n == 0) {
		puts("没有罚扣记录。");
	}
	store_penalties_free(v, n);
	store_copies_free(nt, nnt);
	store_penalty_appeals_free(ap, nap);
	session_close(s);
	return 0;
}

static bool parse_id(const char *s, long long *id)
{
	char *end;
	errno = 0;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v < 1)
		return false;
	*id = v;
	return true;
}

/* The KEY=VALUE arguments argv[from..argc): only the keys in allowed. */
static int take_kvs(cli *c, int from, const char *const *allowed, form_kv **kv, size_t *nkv)
{
	ks_err err;
	if (form_kvs_parse(c->argv + from, c->argc - from, kv, nkv, &err))
		return cli_fail(KS_INVALID, err.msg);
	for (size_t i = 0; i < *nkv; i++) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, (*kv)[i].key);
		for (size_t k = 0; ok && k < i; k++)
			ok = strcmp((*kv)[k].key, (*kv)[i].key) != 0;
		if (!ok || strlen((*kv)[i].value) != (*kv)[i].len) {
			char *m = ks_asprintf("参数 %s 无效或重复。%s", (*kv)[i].key, USAGE);
			int rc = cli_fail(KS_INVALID, m);
			free(m);
			form_kvs_free(*kv, *nkv);
			return rc;
		}
	}
	return 0;
}

static const char *kv_get(const form_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

static int print_id(cli *c, const char *key, long long id)
{
	if (c->json)
		printf("{\"%s\": %lld}\n", key, id);
	else
		printf("%lld\n", id);
	return 0;
}

static int decision_cmd(cli *c)
{
	const char *sub = c->argv[0];
	static const char *const sanction_keys[] = { "offence", "reason", NULL };
	static const char *const appeal_keys[] = { "reason", NULL };
	static const char *const reverse_keys[] = { "reason", "amount", "appeal", NULL };
	int nfixed = !strcmp(sub, "sanction") ? 4 : 2;
	if (c->argc < nfixed)
		return cli_fail(KS_INVALID, USAGE);
	long long entry = 0;
	if (strcmp(sub, "sanction") && !parse_id(c->argv[1], &entry))
		return cli_fail(KS_INVALID, "ENTRY 应为罚扣记录编号（kesu penalty entries 中的 #N）");
	form_kv *kv = NULL;
	size_t nkv = 0;
	int rc = take_kvs(c, nfixed, !strcmp(sub, "sanction") ? sanction_keys
	                             : !strcmp(sub, "appeal") ? appeal_keys : reverse_keys, &kv, &nkv);
	if (rc)
		return rc;
	long long amount = -1, appeal = 0;
	const char *am = kv_get(kv, nkv, "amount"), *apl = kv_get(kv, nkv, "appeal");
	if (am && (!conf_parse_money(am, &amount) || amount == 0)) {
		form_kvs_free(kv, nkv);
		return cli_fail(KS_INVALID, "amount 应为大于 0 的金额（元，最多两位小数）");
	}
	if (apl && !parse_id(apl, &appeal)) {
		form_kvs_free(kv, nkv);
		return cli_fail(KS_INVALID, "appeal 应为签呈编号");
	}
	session *s;
	if ((rc = cli_open(c, &s, true))) {
		form_kvs_free(kv, nkv);
		return rc;
	}
	ks_err err;
	long long id = 0;
	ks_status st;
	const char *reason = kv_get(kv, nkv, "reason");
	if (!strcmp(sub, "sanction"))
		st = penalty_sanction(s, c->argv[1], c->argv[2], c->argv[3], kv_get(kv, nkv, "offence"), reason, &id, &err);
	else if (!strcmp(sub, "appeal"))
		st = penalty_appeal(s, entry, reason, &id, &err);
	else
		st = penalty_reverse(s, entry, amount, appeal, reason, &id, &err);
	rc = st ? cli_fail(st, err.msg) : print_id(c, !strcmp(sub, "appeal") ? "appeal" : "entry", id);
	form_kvs_free(kv, nkv);
	session_close(s);
	return rc;
}

#define BONUS_USAGE "用法：kesu penalty bonus import FILE.csv [--month YYYY-MM] [--encoding UTF-8|GBK|GB18030] " \
                    "[--replace] | bonus list --month YYYY-MM"

/* kesu penalty bonus import|list */
static int bonus_cmd(cli *c)
{
	const char *file = NULL, *month = NULL, *enc = NULL;
	bool replace = false, import = c->argc > 1 && !strcmp(c->argv[1], "import");
	if (c->argc < 2 || (!import && strcmp(c->argv[1], "list")))
		return cli_fail(KS_INVALID, BONUS_USAGE);
	for (int i = 2; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!strcmp(a, "--month") && has)
			month = c->argv[++i];
		else if (import && !strcmp(a, "--encoding") && has)
			enc = c->argv[++i];
		else if (import && !strcmp(a, "--replace"))
			replace = true;
		else if (import && a[0] != '-' && !file)
			file = a;
		else
			return cli_fail(KS_INVALID, BONUS_USAGE);
	}
	int y, m;
	if ((import && !file) || (!import && !month))
		return cli_fail(KS_INVALID, BONUS_USAGE);
	if (month && !penalty_month_parse(month, &y, &m))
		return cli_fail(KS_INVALID, "--month 应为 YYYY-MM，如 2026-11");
	char *raw = NULL;
	size_t len = 0;
	if (import) {
		FILE *f = fopen(file, "rb");
		if (!f) {
			char *msg = ks_asprintf("无法读取 %s：%s", file, strerror(errno));
			int rc = cli_fail(KS_INVALID, msg);
			free(msg);
			return rc;
		}
		size_t cap = 0, got;
		char buf[65536];
		while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
			if (len + got > 64u << 20) {
				fclose(f);
				free(raw);
				return cli_fail(KS_INVALID, "奖金表文件超过 64 MiB");
			}
			if (len + got > cap)
				raw = ks_realloc(raw, cap = (len + got) * 2);
			memcpy(raw + len, buf, got);
			len += got;
		}
		bool bad = ferror(f);
		fclose(f);
		if (bad) {
			free(raw);
			return cli_fail(KS_FAIL, "读取奖金表文件失败");
		}
	}
	session *s;
	int rc = cli_open(c, &s, true);
	if (rc) {
		free(raw);
		return rc;
	}
	ks_err err;
	ks_status st;
	if (import) {
		penalty_bonus_result res;
		st = penalty_bonus_import(s, file, raw ? raw : "", len, enc, month, replace, &res, &err);
		free(raw);
		if (!st) {
			if (c->json)
				printf("{\"import\": %lld, \"rows\": %zu, \"months\": \"%s\", \"replaced\": %s}\n", res.import_id,
				       res.rows, res.months, res.replaced ? "true" : "false");
			else
				printf("已导入 %zu 行（%s）%s，第 %lld 次导入\n", res.rows, res.months,
				       res.replaced ? "，替换了此前导入的奖金表" : "", res.import_id);
		}
	} else {
		store_bonus *v = NULL;
		store_bonus_import imp;
		size_t n = 0;
		st = penalty_sees_all(s) ? store_bonus_month(s->st, month, &v, &n, &imp, &err)
		                         : ks_errf(&err, KS_DENIED, "只有 penalty.yaml 的 see 或 decide 角色可以查看奖金表");
		if (!st && c->json) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "login", v[i].login,
				                                     "name", case_staff_name(s, v[i].login), "month", v[i].month,
				                                     "bonus_fen", (json_int_t)v[i].bonus_fen, "base_points",
				                                     (json_int_t)v[i].base_points, "import", (json_int_t)v[i].import_id,
				                                     "line", (json_int_t)v[i].line));
			json_dumpf(arr, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(arr);
		} else if (!st) {
			if (!imp.id)
				printf("%s 没有导入奖金表（罚扣上限按 staff.yaml 的 monthly_bonus 计算）\n", month);
			else {
				char at[24];
				clock_short(imp.at, at, sizeof at);
				printf("%s 奖金表：第 %lld 次导入，%s ", month, imp.id, at);
				cli_put(stdout, case_staff_name(s, imp.by));
				printf("，文件 ");
				cli_put(stdout, imp.file);
				printf("（%s，SHA-256 %.16s…）%s\n", imp.encoding, imp.sha256, imp.replaced ? "，替换了此前的导入" : "");
			}
			for (size_t i = 0; i < n; i++) {
				char *b = yuan(v[i].bonus_fen);
				printf("  ");
				put_col(v[i].login, 12, false);
				printf("  ");
				put_col(case_staff_name(s, v[i].login), 8, false);
				printf("  ");
				put_col(b, 14, true);
				printf("  基点 %lld\n", v[i].base_points);
				free(b);
			}
		}
		store_bonus_free(v, n);
		store_bonus_import_clear(&imp);
	}
	session_close(s);
	return st ? cli_fail(st, err.msg) : 0;
}

int cmd_penalty(cli *c)
{
	if (c->argc > 0 && !strcmp(c->argv[0], "bonus"))
		return bonus_cmd(c);
	if (c->argc > 0 && (!strcmp(c->argv[0], "sanction") || !strcmp(c->argv[0], "appeal") ||
	                    !strcmp(c->argv[0], "reverse")))
		return decision_cmd(c);
	bool entries = c->argc > 0 && !strcmp(c->argv[0], "entries");
	const char *month = NULL, *login = NULL, *case_no = NULL;
	for (int i = entries; i < c->argc; i++) {
		const char *a = c->argv[i];
		bool has = i + 1 < c->argc;
		if (!entries && !strcmp(a, "--month") && has)
			month = c->argv[++i];
		else if (!strcmp(a, "--login") && has)
			login = c->argv[++i];
		else if (entries && !strcmp(a, "--case") && has)
			case_no = c->argv[++i];
		else
			return cli_fail(KS_INVALID, USAGE);
	}
	if (entries)
		return entries_cmd(c, case_no, login);
	if (!month)
		return cli_fail(KS_INVALID, USAGE);
	return month_cmd(c, month, login);
}
