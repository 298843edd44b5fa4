/* import.c — old registers (登记表) from spreadsheets into cases (import.h).
 *
 * Bytes are decoded whole (iconv through text/), then fed to libcsv one
 * physical line at a time so that every row knows the line it starts on,
 * however many lines its quoted fields span. Rows are checked against the
 * intake form with the same functions `kesu new` uses; the writing is one
 * transaction, done only when no row has a problem. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include "kesu/import.h"
#include "kesu/audit.h"
#include "kesu/case.h"
#include "kesu/casesearch.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/form.h"
#include "kesu/text.h"

/* ---- parsing ---------------------------------------------------------- */

void import_table_free(import_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t k = 0; k < t->rows[i].ncells; k++)
			free(t->rows[i].cells[k]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	memset(t, 0, sizeof *t);
}

typedef struct pstate {
	import_table *t;
	size_t cap;
	char **cells;
	size_t ncells, cellcap;
	long line;        /* the line being fed */
	long start;       /* where the current row started */
	bool in_row;
} pstate;

static void on_field(void *f, size_t len, void *ctx)
{
	pstate *p = ctx;
	if (!p->in_row) { /* a row that began in the middle of a line (lone CR) */
		p->in_row = true;
		p->start = p->line;
	}
	if (p->ncells == p->cellcap)
		p->cells = ks_realloc(p->cells, (p->cellcap = p->cellcap ? p->cellcap * 2 : 8) * sizeof *p->cells);
	char *s = ks_malloc(len + 1);
	if (len)
		memcpy(s, f, len);
	s[len] = '\0';
	len = text_crlf_to_lf(s, len);
	p->cells[p->ncells++] = s;
}

static void on_row(int c, void *ctx)
{
	(void)c;
	pstate *p = ctx;
	if (p->t->nrows == p->cap)
		p->t->rows = ks_realloc(p->t->rows, (p->cap = p->cap ? p->cap * 2 : 64) * sizeof *p->t->rows);
	import_row *r = &p->t->rows[p->t->nrows++];
	r->line = p->start;
	r->cells = p->cells;
	r->ncells = p->ncells;
	p->cells = NULL;
	p->ncells = p->cellcap = 0;
	p->in_row = false;
}

/* Where the physical line starting at `at` ends (just past its end): at LF,
 * CRLF or a lone CR (old Mac exports), or at len. Every line number kesu
 * reports for an import counts lines this way. */
static size_t line_end(const char *s, size_t len, size_t at)
{
	size_t end = at;
	while (end < len && s[end] != '\n' && s[end] != '\r')
		end++;
	if (end < len)
		end += s[end] == '\r' && end + 1 < len && s[end + 1] == '\n' ? 2 : 1;
	return end;
}

static long line_of(const char *s, size_t len, size_t pos)
{
	long line = 1;
	for (size_t at = line_end(s, len, 0); at <= pos && at < len; at = line_end(s, len, at))
		line++;
	return line;
}

static bool is_utf8_name(const char *e)
{
	return !e || !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

/* data in enc -> UTF-8 (*out allocated), with the line of the first bad byte. */
static ks_status decode(const char *data, size_t len, const char *enc, char **out, size_t *outlen, ks_err *err)
{
	if (is_utf8_name(enc)) {
		size_t pos = 0;
		uint32_t cp;
		while (pos < len) {
			if (!text_utf8_next(data, len, &pos, &cp))
				return ks_errf(err, KS_INVALID,
				               "第 %ld 行不是有效的 UTF-8 编码；旧表格软件导出的文件请加 --encoding GBK 或 GB18030",
				               line_of(data, len, pos));
		}
		*out = ks_malloc(len + 1);
		if (len)
			memcpy(*out, data, len);
		(*out)[len] = '\0';
		*outlen = len;
		return KS_OK;
	}
	ks_err e;
	ks_status rc = text_to_utf8(data, len, enc, out, outlen, &e);
	if (rc != KS_INVALID)
		return rc ? ks_errf(err, rc, "%s", e.msg) : KS_OK;
	/* find the line: convert line by line */
	size_t at = 0;
	long line = 1;
	while (at < len) {
		size_t end = line_end(data, len, at);
		char *o;
		size_t ol;
		if (text_to_utf8(data + at, end - at, enc, &o, &ol, NULL) != KS_OK)
			return ks_errf(err, KS_INVALID, "第 %ld 行：%s", line, e.msg);
		free(o);
		at = end;
		line++;
	}
	return ks_errf(err, KS_INVALID, "%s", e.msg);
}

ks_status import_parse_csv(const char *data, size_t len, const char *enc, import_table *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	char *u;
	size_t ulen;
	ks_status rc = decode(data, len, enc, &u, &ulen, err);
	if (rc)
		return rc;
	size_t at = 0;
	if (ulen >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3))
		at = 3; /* the BOM (UTF-8, or GB18030's converted) */
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(u);
		return ks_errf(err, KS_FAIL, "内存不足");
	}
	pstate p = { .t = out, .line = 0 };
	while (at < ulen && !rc) {
		/* rows after a lone CR must not all be counted as line 1 */
		size_t end = line_end(u, ulen, at);
		p.line++;
		if (!p.in_row) {
			bool blank = true;
			for (size_t i = at; i < end && blank; i++)
				blank = u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n';
			if (!blank) {
				p.in_row = true;
				p.start = p.line;
			}
		}
		if (csv_parse(&cp, u + at, end - at, on_field, on_row, &p) != end - at)
			rc = ks_errf(err, KS_INVALID, "第 %ld 行不是有效的 CSV（%s）：引号须成对，字段中的引号须写成两个",
			             p.line, csv_strerror(csv_error(&cp)));
		at = end;
	}
	if (!rc && csv_fini(&cp, on_field, on_row, &p) != 0)
		rc = ks_errf(err, KS_INVALID, "第 %ld 行开始的引号到文件末尾都没有结束", p.start);
	csv_free(&cp);
	for (size_t i = 0; i < p.ncells; i++)
		free(p.cells[i]);
	free(p.cells);
	free(u);
	if (!rc && out->nrows == 0)
		rc = ks_errf(err, KS_INVALID, "文件是空的：第一行应为表头");
	if (rc)
		import_table_free(out);
	return rc;
}

/* ---- checking --------------------------------------------------------- */

void import_plan_free(import_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ncases; i++) {
		free(p->cases[i].no);
		json_decref(p->cases[i].fields);
	}
	free(p->cases);
	for (size_t i = 0; i < p->nprobs; i++) {
		free(p->probs[i].column);
		free(p->probs[i].msg);
	}
	free(p->probs);
	memset(p, 0, sizeof *p);
}

__attribute__((format(printf, 4, 5)))
static void problem(import_plan *p, long line, const char *column, const char *fmt, ...)
{
	if (p->nprobs >= IMPORT_PROBLEMS_MAX) {
		p->nmore++;
		return;
	}
	ks_err e;
	va_list ap;
	va_start(ap, fmt);
	ks_verrf(&e, KS_INVALID, fmt, ap);
	va_end(ap);
	p->probs = ks_realloc(p->probs, (p->nprobs + 1) * sizeof *p->probs);
	import_problem *q = &p->probs[p->nprobs++];
	q->line = line;
	q->column = column ? text_visible(column, false) : NULL;
	q->msg = ks_strdup(e.msg);
}

enum { COL_IGNORE = -1, COL_UNKNOWN = -2 };
enum {
#define R_X(e, key, label) e,
	IMPORT_RESERVED_LIST(R_X)
#undef R_X
	IMP__COUNT
};
static const char *const res_key[] = {
#define R_X(e, key, label) key,
	IMPORT_RESERVED_LIST(R_X)
#undef R_X
};
static const char *const res_label[] = {
#define R_X(e, key, label) label,
	IMPORT_RESERVED_LIST(R_X)
#undef R_X
};

/* A column: a reserved one (0..IMP__COUNT) or a field (IMP__COUNT + index). */
static int map_name(const conf_form *f, const char *h)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].key, h) || !strcmp(f->fields[i].label, h))
			return IMP__COUNT + (int)i;
	for (int i = 0; i < IMP__COUNT; i++)
		if (!strcmp(res_key[i], h) || !strcmp(res_label[i], h))
			return i;
	return COL_UNKNOWN;
}

static int map_header(const conf *c, const conf_form *f, const char *h)
{
	int m = map_name(f, h);
	if (m != COL_UNKNOWN)
		return m;
	const impconf *ic = c->import;
	for (size_t i = 0; ic && i < ic->ncolumns; i++)
		if (!strcmp(ic->columns[i].from, h))
			return map_name(f, ic->columns[i].to);
	for (size_t i = 0; ic && i < ic->nignore; i++)
		if (!strcmp(ic->ignore[i], h))
			return COL_IGNORE;
	return COL_UNKNOWN;
}

static char *trim(const char *s)
{
	size_t a = 0, b = strlen(s);
	if (!strncmp(s, "\xEF\xBB\xBF", 3))
		a = 3;
	while (a < b && isspace((unsigned char)s[a]))
		a++;
	while (b > a && isspace((unsigned char)s[b - 1]))
		b--;
	return ks_strndup(s + a, b - a);
}

/* "2026-10-01", "2026/10/1 9:05", "2026-10-01T09:05:00", "2026年10月1日"
 * -> "YYYY-MM-DD" (date_only) or "YYYY-MM-DD HH:MM" in buf; false if none. */
static bool norm_date(const char *s, bool *date_only, char *buf, size_t n)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, k = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &k) != 3 && (k = 0, sscanf(s, "%4d/%2d/%2d%n", &y, &mo, &d, &k) != 3) &&
	    (k = 0, sscanf(s, "%4d年%2d月%2d日%n", &y, &mo, &d, &k) != 3))
		return false;
	if (k == 0)
		return false;
	const char *r = s + k;
	*date_only = !*r;
	if (*r) {
		if (*r != ' ' && *r != 'T')
			return false;
		int m = 0;
		if (sscanf(r + 1, "%2d:%2d%n", &h, &mi, &m) != 2)
			return false;
		r += 1 + m;
		if (*r == ':') {
			m = 0;
			if (sscanf(r + 1, "%2d%n", &sec, &m) != 1 || m != 2 || sec < 0 || sec > 59)
				return false;
			r += 1 + m;
		}
		if (*r)
			return false;
	}
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return false;
	if (*date_only)
		snprintf(buf, n, "%04d-%02d-%02d", y, mo, d);
	else
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
	return true;
}

typedef struct numline {
	const char *no;
	long line;
} numline;

static int numline_cmp(const void *a, const void *b)
{
	const numline *x = a, *y = b;
	int c = strcmp(x->no, y->no);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int prob_cmp(const void *a, const void *b)
{
	const import_problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x < y ? -1 : x > y;
}

static const conf_state *find_state(const conf *c, const char *v)
{
	const conf_state *st = conf_find_state(c, v);
	for (size_t i = 0; !st && i < c->nstates; i++)
		if (!strcmp(c->states[i].label, v))
			st = &c->states[i];
	for (size_t i = 0; !st && c->import && i < c->import->nstates; i++)
		if (!strcmp(c->import->states[i].from, v))
			st = conf_find_state(c, c->import->states[i].to);
	return st;
}

static const conf_staff *find_staff(const conf *c, const char *v)
{
	const conf_staff *p = conf_find_staff(c, v);
	const conf_staff *byname = NULL;
	size_t nname = 0;
	for (size_t i = 0; !p && i < c->nstaff; i++)
		if (!strcmp(c->staff[i].name, v)) {
			byname = &c->staff[i];
			nname++;
		}
	return p ? p : nname == 1 ? byname : NULL;
}

#define NUMBER_MAX_CHARS 40

static void check_row(const conf *c, const conf_form *f, const import_table *t, const int *map,
                      char *const *hnames, size_t ncols, size_t r, time_t now, import_plan *out)
{
	const import_row *row = &t->rows[r];
	size_t before = out->nprobs + out->nmore;
	if (row->ncells > ncols) {
		problem(out, row->line, NULL, "本行有 %zu 个值，表头只有 %zu 列（多出的值可能是没加引号的逗号）",
		        row->ncells, ncols);
		out->nbad++;
		return;
	}
	form_kv *kv = ks_calloc(ncols + 1, sizeof *kv);
	size_t nkv = 0;
	const char *res[IMP__COUNT] = { 0 };
	const char *rescol[IMP__COUNT] = { 0 };
	for (size_t k = 0; k < ncols; k++) {
		const char *v = k < row->ncells ? row->cells[k] : "";
		if (map[k] < 0)
			continue;
		if (map[k] < IMP__COUNT) {
			res[map[k]] = v;
			rescol[map[k]] = hnames[k];
			continue;
		}
		const conf_field *fd = &f->fields[map[k] - IMP__COUNT];
		char date[32];
		bool date_only;
		if ((fd->type == FT_DATE || fd->type == FT_DATETIME) && *v && norm_date(v, &date_only, date, sizeof date) &&
		    date_only == (fd->type == FT_DATE))
			v = date;
		ks_err e;
		json_t *jv = NULL;
		if (form_parse_value(c, fd, v, strlen(v), &jv, &e) != KS_OK) {
			problem(out, row->line, hnames[k], "%s", e.msg);
			continue;
		}
		json_decref(jv);
		if (*v) {
			kv[nkv].key = fd->key;
			kv[nkv].value = ks_strdup(v);
			kv[nkv].len = strlen(v);
			nkv++;
		}
	}
	/* required fields whose column is there are checked above; form_fill
	 * checks the rest (and everything else `kesu new` checks) */
	json_t *fields = NULL;
	ks_err e;
	if (out->nprobs + out->nmore == before && form_fill(c, f, kv, nkv, &fields, &e) != KS_OK)
		problem(out, row->line, NULL, "%s", e.msg);

	const char *no = res[IMP_CASE] ? res[IMP_CASE] : "";
	if (!*no)
		problem(out, row->line, rescol[IMP_CASE], "缺少案件编号");
	else if (text_check(no, strlen(no), false, res_label[IMP_CASE], &e) != KS_OK)
		problem(out, row->line, rescol[IMP_CASE], "%s", e.msg);
	else if (text_chars(no) > NUMBER_MAX_CHARS || strchr(no, ' '))
		problem(out, row->line, rescol[IMP_CASE], "案件编号 %s 无效：不能有空格，最多 %d 个字", no, NUMBER_MAX_CHARS);

	time_t created = 0;
	const char *cv = res[IMP_CREATED] ? res[IMP_CREATED] : "";
	char date[32];
	bool date_only;
	if (!*cv)
		problem(out, row->line, rescol[IMP_CREATED], "缺少登记时间");
	else if (!norm_date(cv, &date_only, date, sizeof date) || !clock_parse(date, &created)) {
		char *vis = text_visible(cv, false);
		problem(out, row->line, rescol[IMP_CREATED],
		        "「%s」不是有效的日期（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，也可用 / 分隔）", vis);
		free(vis);
	} else if (created > now)
		problem(out, row->line, rescol[IMP_CREATED], "登记时间 %s 晚于现在", date);

	const conf_state *st = c->initial_state ? conf_find_state(c, c->initial_state) : NULL;
	if (res[IMP_STATE] && *res[IMP_STATE]) {
		const conf_state *s2 = find_state(c, res[IMP_STATE]);
		char *vis = text_visible(res[IMP_STATE], false);
		if (!s2)
			problem(out, row->line, rescol[IMP_STATE], "未知的状态「%s」", vis);
		else if (!s2->final && s2 != st)
			problem(out, row->line, rescol[IMP_STATE],
			        "状态「%s」：导入的案件只能处于初始状态（%s）或终止状态；中间各步没有记录", vis,
			        st ? st->label : "?");
		else
			st = s2;
		free(vis);
	}
	const conf_staff *who = NULL;
	if (res[IMP_REGISTRANT] && *res[IMP_REGISTRANT]) {
		who = find_staff(c, res[IMP_REGISTRANT]);
		if (!who) {
			char *vis = text_visible(res[IMP_REGISTRANT], false);
			problem(out, row->line, rescol[IMP_REGISTRANT], "没有登录名或姓名为「%s」的员工（姓名重复时请写登录名）",
			        vis);
			free(vis);
		}
	}
	if (out->nprobs + out->nmore > before) {
		out->nbad++;
		json_decref(fields);
	} else {
		import_case *ic = &out->cases[out->ncases++];
		ic->line = row->line;
		ic->no = ks_strdup(no);
		ic->created = created;
		ic->state = st ? st->code : NULL;
		ic->registrant = who ? who->login : NULL;
		ic->fields = fields;
	}
	for (size_t i = 0; i < nkv; i++)
		free((char *)kv[i].value);
	free(kv);
}

ks_status import_check(const conf *c, const import_table *t, time_t now, import_plan *out, ks_err *err)
{
	(void)err;
	memset(out, 0, sizeof *out);
	const conf_form *f = c->intake_form ? conf_find_form(c, c->intake_form) : NULL;
	if (!f || !t->nrows) {
		problem(out, 1, NULL, "没有登记表可导入");
		out->nbad++;
		return KS_OK;
	}
	const import_row *hdr = &t->rows[0];
	size_t ncols = hdr->ncells;
	int *map = ks_calloc(ncols + 1, sizeof *map);
	char **hnames = ks_calloc(ncols + 1, sizeof *hnames);
	bool seen_res[IMP__COUNT] = { 0 };
	bool *seen_field = ks_calloc(f->nfields + 1, sizeof *seen_field);
	size_t hbad = 0;
	for (size_t k = 0; k < ncols; k++) {
		char *h = hnames[k] = trim(hdr->cells[k]);
		map[k] = *h ? map_header(c, f, h) : COL_UNKNOWN;
		if (!*h) {
			problem(out, hdr->line, NULL, "第 %zu 列的表头是空的（不用的列请删去，或在 import.yaml 的 ignore 中列出）",
			        k + 1);
			hbad++;
		} else if (map[k] == COL_UNKNOWN) {
			char list[1024] = "";
			for (size_t i = 0; i < f->nfields; i++) {
				char one[160];
				snprintf(one, sizeof one, "%s%s（%s）", i ? "、" : "", f->fields[i].label, f->fields[i].key);
				strncat(list, one, sizeof list - strlen(list) - 1);
			}
			problem(out, hdr->line, h,
			        "不认识的列：应为登记表的字段（%s）或 案件编号、登记时间、状态、登记人，其他写法在 import.yaml 的 columns 中对应",
			        list);
			hbad++;
		} else if (map[k] >= 0) {
			bool *seen = map[k] < IMP__COUNT ? &seen_res[map[k]] : &seen_field[map[k] - IMP__COUNT];
			if (*seen) {
				problem(out, hdr->line, h, "与前面的列对应同一个字段");
				hbad++;
			}
			*seen = true;
		}
	}
	if (!seen_res[IMP_CASE]) {
		problem(out, hdr->line, NULL, "缺少「案件编号」(case) 列：导入的案件保留原编号");
		hbad++;
	}
	if (!seen_res[IMP_CREATED]) {
		problem(out, hdr->line, NULL, "缺少「登记时间」(created) 列：导入的案件保留原日期");
		hbad++;
	}
	for (size_t i = 0; i < f->nfields; i++)
		if (f->fields[i].required && !seen_field[i]) {
			problem(out, hdr->line, NULL, "缺少必填字段「%s」(%s) 的列", f->fields[i].label, f->fields[i].key);
			hbad++;
		}
	if (hbad) {
		out->nbad++;
	} else {
		out->cases = ks_calloc(t->nrows, sizeof *out->cases);
		for (size_t r = 1; r < t->nrows; r++)
			check_row(c, f, t, map, hnames, ncols, r, now, out);
		/* the same number twice in the file */
		numline *nl = ks_calloc(out->ncases + 1, sizeof *nl);
		for (size_t i = 0; i < out->ncases; i++) {
			nl[i].no = out->cases[i].no;
			nl[i].line = out->cases[i].line;
		}
		qsort(nl, out->ncases, sizeof *nl, numline_cmp);
		for (size_t i = 1; i < out->ncases; i++)
			if (!strcmp(nl[i].no, nl[i - 1].no)) {
				long first = nl[i - 1].line;
				for (size_t j = i; j > 0 && !strcmp(nl[j - 1].no, nl[i].no); j--)
					first = nl[j - 1].line;
				problem(out, nl[i].line, res_label[IMP_CASE], "案件编号 %s 与第 %ld 行重复", nl[i].no, first);
				out->nbad++;
			}
		free(nl);
		if (out->ncases == 0 && out->nprobs == 0 && out->nmore == 0) {
			problem(out, hdr->line, NULL, "表头之后没有数据行");
			out->nbad++;
		}
	}
	if (out->nprobs)
		qsort(out->probs, out->nprobs, sizeof *out->probs, prob_cmp);
	for (size_t k = 0; k < ncols; k++)
		free(hnames[k]);
	free(hnames);
	free(map);
	free(seen_field);
	return KS_OK;
}

ks_status import_parse(const conf *c, const char *data, size_t len, const char *enc, time_t now,
                       import_plan *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	import_table t;
	ks_status rc = import_parse_csv(data, len, enc, &t, err);
	if (rc)
		return rc;
	if (c)
		rc = import_check(c, &t, now, out, err);
	import_table_free(&t);
	return rc;
}

/* ---- numbers ---------------------------------------------------------- */

bool import_number_period(const char *fmt, const char *no, char **period, long long *seq)
{
	*period = NULL;
	*seq = 0;
	size_t cap = strlen(no) + 2, n = 0;
	char *out = ks_malloc(cap);
	const char *q = no;
	bool have_seq = false;
	for (const char *p = fmt; *p;) {
		int digits = 0;
		bool is_seq = false;
		int width = 1;
		if (!strncmp(p, "{YYYY}", 6)) {
			digits = 4;
			p += 6;
		} else if (!strncmp(p, "{YY}", 4) || !strncmp(p, "{MM}", 4) || !strncmp(p, "{DD}", 4)) {
			digits = 2;
			p += 4;
		} else if (!strncmp(p, "{SEQ", 4) && strchr(p, '}')) {
			is_seq = true;
			if (p[4] == ':')
				width = atoi(p + 5);
			if (width < 1 || width > 12)
				width = 1;
			p = strchr(p, '}') + 1;
		} else {
			if (*q != *p)
				goto no;
			out[n++] = *q++;
			p++;
			continue;
		}
		if (is_seq) {
			const char *d = q;
			while (*q >= '0' && *q <= '9')
				q++;
			size_t len = (size_t)(q - d);
			if (len < (size_t)width || len > 15 || (len > (size_t)width && *d == '0') || have_seq)
				goto no;
			*seq = strtoll(d, NULL, 10);
			have_seq = true;
			out[n++] = '#';
		} else {
			for (int i = 0; i < digits; i++, q++) {
				if (*q < '0' || *q > '9')
					goto no;
				out[n++] = *q;
			}
		}
	}
	if (*q || !have_seq || *seq < 1)
		goto no;
	out[n] = '\0';
	*period = out;
	return true;
no:
	free(out);
	*seq = 0;
	return false;
}

/* ---- writing ---------------------------------------------------------- */

static bool may_import(const conf *c, const conf_staff *me)
{
	char **roles = c->import && c->import->nroles ? c->import->roles : c->intake_roles;
	size_t n = c->import && c->import->nroles ? c->import->nroles : c->nintake_roles;
	for (size_t i = 0; i < n; i++)
		if (conf_staff_has_role(me, roles[i]))
			return true;
	return false;
}

static char *role_list(const conf *c)
{
	char **roles = c->import && c->import->nroles ? c->import->roles : c->intake_roles;
	size_t n = c->import && c->import->nroles ? c->import->nroles : c->nintake_roles;
	char *out = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		const conf_role *r = conf_find_role(c, roles[i]);
		char *t = ks_asprintf("%s%s%s", out, i ? "、" : "", r ? r->name : roles[i]);
		free(out);
		out = t;
	}
	return out;
}

static ks_status write_case(session *s, const import_case *ic, const char *source, time_t now, ks_err *err)
{
	const conf *c = s->cf;
	const char *dept = NULL;
	for (size_t i = 0; i < c->nroutes && !dept; i++)
		if (case_conds_hold(ic->fields, c->routes[i].when, c->routes[i].nwhen, ic->created))
			dept = c->routes[i].dept;
	char *text = json_dumps(ic->fields, JSON_COMPACT | JSON_SORT_KEYS);
	char at[40];
	clock_iso(now, at, sizeof at);
	json_t *ev = json_deep_copy(ic->fields);
	json_object_set_new(ev, "_import", json_pack("{s:s, s:s, s:I, s:s}", "registrant",
	                                             ic->registrant ? ic->registrant : s->me->login, "file", source,
	                                             "line", (json_int_t)ic->line, "at", at));
	char *evtext = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(ev);
	if (!text || !evtext)
		abort();
	store_case k = { 0 };
	k.no = ic->no;
	k.state = (char *)ic->state;
	k.dept = (char *)dept;
	k.registrant = (char *)(ic->registrant ? ic->registrant : s->me->login);
	k.customer = c->customer_field ? (char *)json_string_value(json_object_get(ic->fields, c->customer_field)) : NULL;
	k.subject = c->subject_field ? (char *)json_string_value(json_object_get(ic->fields, c->subject_field)) : NULL;
	k.fields = text;
	k.created_at = ic->created;
	k.updated_at = now;
	k.updated_by = s->me->login;
	k.version = 1;
	store_event e = { 0 };
	ks_status rc = store_case_insert(s->st, &k, err);
	if (!rc)
		rc = store_last_hash(s->st, e.prev_hash, err);
	if (!rc) {
		e.case_id = k.id;
		e.seq = 1;
		e.at = ic->created;
		e.actor = s->me->login;
		e.action = "import";
		e.to_state = (char *)ic->state;
		e.fields = evtext;
		audit_hash_event(k.no, &e);
		rc = store_event_insert(s->st, &e, err);
	}
	if (!rc) {
		store_form fm = { .case_id = k.id, .event_id = e.id, .form = c->intake_form, .at = e.at,
		                  .actor = e.actor, .fields = text };
		rc = store_form_insert(s->st, &fm, err);
	}
	/* a case still open starts the clocks registration starts, from its
	 * original date; a finished one has none */
	const conf_state *st = conf_find_state(c, ic->state);
	if (!rc && st && !st->final)
		rc = deadline_on_action(s, &k, "new", ic->fields, ic->created, err);
	if (!rc)
		rc = search_index_case(s, k.id, err);
	char *period;
	long long seq;
	if (!rc && import_number_period(c->number_format, ic->no, &period, &seq)) {
		rc = store_seq_raise(s->st, period, seq, err);
		free(period);
	}
	free(text);
	free(evtext);
	return rc;
}

ks_status import_run(session *s, const char *data, size_t len, const char *enc, const char *source,
                     import_progress_fn progress, void *ctx, import_plan *out, ks_err *err)
{
	memset(out, 0, sizeof *out);
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在操作");
	if (!may_import(s->cf, s->me)) {
		char *r = role_list(s->cf);
		ks_status rc = ks_errf(err, KS_DENIED, "%s 没有导入登记表的权限（需要角色：%s）", s->me->name, r);
		free(r);
		return rc;
	}
	time_t now = clock_now();
	import_table t;
	ks_status rc = import_parse_csv(data, len, enc, &t, err);
	if (rc)
		return rc;
	if (progress)
		progress(ctx, IMPORT_CHECKING, 0, t.nrows);
	rc = import_check(s->cf, &t, now, out, err);
	size_t nrows = t.nrows;
	import_table_free(&t);
	if (rc)
		return rc;
	/* numbers already in the database */
	for (size_t i = 0; i < out->ncases; i++) {
		bool taken = false;
		if ((rc = store_case_exists(s->st, out->cases[i].no, &taken, err)))
			return rc;
		if (taken) {
			problem(out, out->cases[i].line, res_label[IMP_CASE], "案件编号 %s 已在数据库中", out->cases[i].no);
			out->nbad++;
		}
		if (progress && (i % 256 == 0 || i + 1 == out->ncases))
			progress(ctx, IMPORT_CHECKING, i + 1, out->ncases);
	}
	if (out->nprobs)
		qsort(out->probs, out->nprobs, sizeof *out->probs, prob_cmp);
	if (out->nprobs || out->nmore)
		return ks_errf(err, KS_INVALID, "%s：%zu 行有错误（共 %zu 行数据），没有导入任何案件", source, out->nbad,
		               nrows ? nrows - 1 : 0);
	if ((rc = store_begin(s->st, err)))
		return rc;
	for (size_t i = 0; i < out->ncases; i++) {
		if ((rc = write_case(s, &out->cases[i], source, now, err))) {
			ks_err e2 = *err;
			store_rollback(s->st);
			problem(out, out->cases[i].line, NULL, "%s", e2.msg);
			out->nbad = 1;
			return ks_errf(err, rc == KS_FAIL ? KS_FAIL : KS_INVALID,
			               "%s 第 %ld 行无法导入，没有导入任何案件：%s", source, out->cases[i].line, e2.msg);
		}
		if (progress && (i % 256 == 0 || i + 1 == out->ncases))
			progress(ctx, IMPORT_WRITING, i + 1, out->ncases);
	}
	return store_commit(s->st, err);
}
