/* penalty_bonus.c — the monthly bonus (月效益奖金) and 基点 table imported
 * from payroll: `kesu penalty bonus import FILE.csv`. CSV is parsed by
 * libcsv, other encodings converted by iconv (src/text/conv.c); the file is
 * checked whole and imported all or nothing. See include/kesu/penalty.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include "kesu/sha256.h"
#include "kesu/penalty.h"
#include "kesu/clock.h"
#include "kesu/text.h"

#define MAX_PROBLEMS 8

enum { COL_LOGIN, COL_MONTH, COL_BONUS, COL_BP, NCOLS };
static const char *const col_key[NCOLS] = { "login", "month", "bonus", "base_points" };
static const char *const col_names[NCOLS][4] = {
	{ "login", "登录名", "工号", NULL },
	{ "month", "月份", NULL, NULL },
	{ "bonus", "奖金", "月效益奖金", NULL },
	{ "base_points", "基点", NULL, NULL },
};

typedef struct record {
	long line;
	char **f;
	size_t n;
} record;

typedef struct parse {
	long line;          /* the physical line being fed */
	long start;         /* the line the current record started on (0: none yet) */
	char **f;
	size_t n, cap;
	record *r;
	size_t nr, capr;
} parse;

static void on_field(void *s, size_t len, void *data)
{
	parse *p = data;
	if (!p->start)
		p->start = p->line;
	if (p->n == p->cap)
		p->f = ks_realloc(p->f, (p->cap = p->cap ? p->cap * 2 : 8) * sizeof *p->f);
	char *v = ks_malloc(len + 1);
	if (len)
		memcpy(v, s, len);
	v[len] = 0;
	p->f[p->n++] = v;
}

static void on_row(int c, void *data)
{
	(void)c;
	parse *p = data;
	if (p->nr == p->capr)
		p->r = ks_realloc(p->r, (p->capr = p->capr ? p->capr * 2 : 64) * sizeof *p->r);
	p->r[p->nr++] = (record){ p->start ? p->start : p->line, p->f, p->n };
	p->f = NULL;
	p->n = p->cap = 0;
	p->start = 0;
}

static void parse_free(parse *p)
{
	for (size_t i = 0; i < p->nr; i++) {
		for (size_t k = 0; k < p->r[i].n; k++)
			free(p->r[i].f[k]);
		free(p->r[i].f);
	}
	free(p->r);
	for (size_t k = 0; k < p->n; k++)
		free(p->f[k]);
	free(p->f);
}

/* Problems, collected so one run names them all (up to MAX_PROBLEMS). */
typedef struct problems {
	char *text;
	int n;
} problems;

static void problem(problems *pr, long line, int col, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void problem(problems *pr, long line, int col, const char *key, const char *fmt, ...)
{
	pr->n++;
	if (pr->n > MAX_PROBLEMS)
		return;
	va_list ap;
	va_start(ap, fmt);
	char what[512];
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	char *one = col ? ks_asprintf("第 %ld 行第 %d 列（%s）：%s", line, col, key, what)
	                : ks_asprintf("第 %ld 行：%s", line, what);
	char *t = ks_asprintf("%s%s%s", pr->text ? pr->text : "", pr->text ? "；" : "", one);
	free(one);
	free(pr->text);
	pr->text = t;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static const char *canon_encoding(const char *e)
{
	if (!e || !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8"))
		return "UTF-8";
	if (!strcasecmp(e, "GBK"))
		return "GBK";
	if (!strcasecmp(e, "GB18030"))
		return "GB18030";
	return NULL;
}

static void sha256_hex(const char *s, size_t n, char out[65])
{
	ks_sha256_hex(s, n, out);
}

/* An integer 0..1000000 written in digits. */
static bool parse_points(const char *s, long long *out)
{
	if (!*s || strlen(s) > 7)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	*out = atoll(s);
	return *out <= 1000000;
}

ks_status penalty_bonus_import(session *s, const char *file, const char *raw, size_t rawlen, const char *encoding,
                               const char *month, bool replace, penalty_bonus_result *res, ks_err *err)
{
	memset(res, 0, sizeof *res);
	const penconf *pc = s->cf->penalty;
	if (!pc)
		return ks_errf(err, KS_INVALID, "本预设没有 penalty.yaml，不使用奖金表");
	bool may = false;
	for (size_t i = 0; s->me && i < s->me->nroles && !may; i++)
		for (size_t k = 0; k < pc->ndecide && !may; k++)
			may = !strcmp(s->me->roles[i], pc->decide[k]);
	if (!may)
		return ks_errf(err, KS_DENIED, "只有 penalty.yaml 的 decide 角色可以导入奖金表");
	int y, m;
	if (month && !penalty_month_parse(month, &y, &m))
		return ks_errf(err, KS_INVALID, "--month 应为 YYYY-MM，如 2026-11");
	const char *enc = canon_encoding(encoding);
	if (!enc)
		return ks_errf(err, KS_INVALID, "--encoding 只能是 UTF-8、GBK 或 GB18030");
	char sha[65];
	sha256_hex(raw, rawlen, sha);
	char *text = NULL;
	size_t len = 0;
	ks_status rc = text_to_utf8(raw, rawlen, enc, &text, &len, err);
	if (rc) {
		char why[KS_ERR_MAX];
		snprintf(why, sizeof why, "%s", err->msg);
		return ks_errf(err, rc, "%s：%s（用 --encoding 指明文件的编码）", file, why);
	}
	/* line ends CRLF (as spreadsheets write them) become LF */
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			text[w++] = text[i];
	len = w;
	text[len] = 0;
	const char *t = text;
	if (len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) {
		t += 3;
		len -= 3;
	}
	if ((rc = text_check(t, len, true, file, err))) {
		free(text);
		return rc;
	}

	/* CSV, fed a line at a time so every record knows its line */
	parse p = { 0 };
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(text);
		return ks_errf(err, KS_FAIL, "无法初始化 CSV 解析");
	}
	problems pr = { 0 };
	size_t at = 0;
	bool bad = false;
	while (at < len && !bad) {
		const char *nl = memchr(t + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (t + at)) + 1 : len - at;
		p.line++;
		if (csv_parse(&cp, t + at, n, on_field, on_row, &p) != n) {
			problem(&pr, p.line, 0, "", "CSV 格式错误（%s）", csv_strerror(csv_error(&cp)));
			bad = true;
		}
		at += n;
	}
	if (!bad && csv_fini(&cp, on_field, on_row, &p) != 0)
		problem(&pr, p.line, 0, "", "CSV 格式错误（%s）", csv_strerror(csv_error(&cp)));
	csv_free(&cp);

	/* the header names the columns */
	int col[NCOLS] = { -1, -1, -1, -1 };
	size_t ncol = 0;
	if (!pr.n && p.nr == 0)
		problem(&pr, 1, 0, "", "文件是空的（第一行应是表头：login,month,bonus,base_points）");
	if (!pr.n) {
		const record *h = &p.r[0];
		ncol = h->n;
		for (size_t k = 0; k < h->n; k++) {
			char *name = trim(h->f[k]);
			int which = -1;
			for (int c = 0; c < NCOLS && which < 0; c++)
				for (int j = 0; col_names[c][j] && which < 0; j++)
					if (!strcasecmp(name, col_names[c][j]))
						which = c;
			if (which < 0)
				problem(&pr, h->line, (int)k + 1, name, "不认识的列名（可用：login/登录名、month/月份、bonus/奖金、base_points/基点）");
			else if (col[which] >= 0)
				problem(&pr, h->line, (int)k + 1, name, "列重复");
			else
				col[which] = (int)k;
		}
		for (int c = 0; c < NCOLS; c++)
			if (col[c] < 0 && !(c == COL_MONTH && month))
				problem(&pr, h->line, 0, "", "表头缺少列 %s%s", col_key[c],
				        c == COL_MONTH ? "（或用 --month 指明月份）" : "");
		if (!pr.n && p.nr == 1)
			problem(&pr, h->line, 0, "", "只有表头，没有数据行");
	}

	/* the rows */
	store_bonus *rows = ks_calloc(p.nr ? p.nr : 1, sizeof *rows);
	size_t nrows = 0;
	char **months = NULL;
	size_t nmonths = 0;
	for (size_t i = 1; i < p.nr && col[COL_LOGIN] >= 0 && col[COL_BONUS] >= 0 && col[COL_BP] >= 0; i++) {
		const record *r = &p.r[i];
		if (r->n != ncol) {
			problem(&pr, r->line, 0, "", "有 %zu 列，表头有 %zu 列", r->n, ncol);
			continue;
		}
		store_bonus b = { .line = r->line };
		bool ok = true;
		char *login = trim(r->f[col[COL_LOGIN]]);
		if (!conf_find_staff(s->cf, login)) {
			problem(&pr, r->line, col[COL_LOGIN] + 1, "login", *login ? "没有登录名为 %s 的员工" : "不能为空%s",
			        login);
			ok = false;
		}
		char *mo = col[COL_MONTH] >= 0 ? trim(r->f[col[COL_MONTH]]) : (char *)"";
		if (!*mo && month)
			mo = (char *)month;
		if (!penalty_month_parse(mo, &y, &m)) {
			problem(&pr, r->line, col[COL_MONTH] + 1, "month", "「%s」不是 YYYY-MM 格式的月份", mo);
			ok = false;
		} else if (month && strcmp(mo, month)) {
			problem(&pr, r->line, col[COL_MONTH] + 1, "month", "月份 %s 与 --month %s 不符", mo, month);
			ok = false;
		}
		char *bonus = trim(r->f[col[COL_BONUS]]);
		if (!conf_parse_money(bonus, &b.bonus_fen) || b.bonus_fen > PENALTY_MAX_FEN) {
			problem(&pr, r->line, col[COL_BONUS] + 1, "bonus", "「%s」不是金额（元，最多两位小数，不能为负）", bonus);
			ok = false;
		}
		char *bp = trim(r->f[col[COL_BP]]);
		if (!parse_points(bp, &b.base_points)) {
			problem(&pr, r->line, col[COL_BP] + 1, "base_points", "「%s」不是 0 到 1000000 的整数基点", bp);
			ok = false;
		}
		if (!ok)
			continue;
		for (size_t k = 0; k < nrows; k++)
			if (!strcmp(rows[k].login, login) && !strcmp(rows[k].month, mo)) {
				problem(&pr, r->line, col[COL_LOGIN] + 1, "login", "%s 在 %s 已出现在第 %lld 行", login, mo,
				        rows[k].line);
				ok = false;
				break;
			}
		if (!ok)
			continue;
		b.login = ks_strdup(login);
		b.month = ks_strdup(mo);
		rows[nrows++] = b;
		bool seen = false;
		for (size_t k = 0; k < nmonths && !seen; k++)
			seen = !strcmp(months[k], mo);
		if (!seen) {
			months = ks_realloc(months, (nmonths + 1) * sizeof *months);
			months[nmonths++] = b.month;
		}
	}
	parse_free(&p);
	free(text);
	if (pr.n) {
		rc = ks_errf(err, KS_INVALID, "%s 有 %d 处错误，未导入任何数据：%s%s", file, pr.n, pr.text,
		             pr.n > MAX_PROBLEMS ? "；……" : "");
		goto out;
	}

	/* months imported before are replaced only when asked */
	if ((rc = store_begin(s->st, err)))
		goto out;
	char *mlist = ks_strdup("");
	bool replaced = false;
	for (size_t k = 0; !rc && k < nmonths; k++) {
		long long prev = 0;
		rc = store_bonus_month_import(s->st, months[k], &prev, err);
		if (!rc && prev && !replace)
			rc = ks_errf(err, KS_CONFLICT, "%s 的奖金表已在第 %lld 次导入中导入；要替换它请加 --replace", months[k],
			             prev);
		replaced |= prev != 0;
		char *l = ks_asprintf("%s%s%s", mlist, *mlist ? "," : "", months[k]);
		free(mlist);
		mlist = l;
	}
	store_bonus_import imp = { .at = clock_now(), .by = s->me->login, .file = (char *)file, .sha256 = sha,
	                           .encoding = (char *)enc, .months = mlist, .rows = (long long)nrows,
	                           .replaced = replaced };
	if (!rc)
		rc = store_bonus_import_insert(s->st, &imp, err);
	for (size_t k = 0; !rc && k < nrows; k++) {
		rows[k].import_id = imp.id;
		rc = store_bonus_insert(s->st, &rows[k], err);
	}
	if (!rc)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	if (!rc) {
		res->import_id = imp.id;
		res->rows = nrows;
		res->replaced = replaced;
		snprintf(res->months, sizeof res->months, "%s", mlist);
	}
	free(mlist);
out:
	free(pr.text);
	free(months);
	store_bonus_free(rows, nrows);
	return rc;
}

ks_status penalty_bonus_of(session *s, const char *login, const char *month, long long *bonus_fen,
                           const char **source, ks_err *err)
{
	store_bonus b;
	bool found = false;
	ks_status rc = store_bonus_get(s->st, login, month, &b, &found, err);
	if (rc)
		return rc;
	if (found) {
		*bonus_fen = b.bonus_fen;
		*source = "import";
		free(b.login);
		free(b.month);
		return KS_OK;
	}
	const conf_staff *who = conf_find_staff(s->cf, login);
	if (who && who->monthly_bonus_fen >= 0) {
		*bonus_fen = who->monthly_bonus_fen;
		*source = "staff";
	} else {
		*bonus_fen = PENALTY_NO_BONUS;
		*source = NULL;
	}
	return KS_OK;
}
