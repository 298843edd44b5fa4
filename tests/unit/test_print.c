/* test_print.c — the paper side: copies (联) and signatures in the
 * configuration (with FILE:LINE:COL errors), issuing copies at closure
 * (five holders, identical frozen snapshots, untouched by a reopen, a second
 * round at the second closure), the form laid out for paper (every line the
 * same display width with long, mixed and hostile Chinese text, the copy's
 * footer, drafts) and the letter to the customer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/copies.h"
#include "kesu/print.h"
#include "kesu/text.h"
#include "testlib.h"

/* ---- helpers ---- */

/* Every line of s (each ending in '\n') is exactly w columns and valid,
 * control-free UTF-8; returns the number of lines. */
static size_t check_lines(const char *s, int w)
{
	size_t n = 0;
	const char *p = s;
	while (*p) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		char *line = ks_strndup(p, (size_t)(nl - p));
		if (w >= 0 && text_width(line) != w)
			fail_msg("line %zu is %d columns, want %d: [%s]", n + 1, text_width(line), w, line);
		ks_err err;
		if (text_check(line, strlen(line), false, "行", &err))
			fail_msg("line %zu: %s", n + 1, err.msg);
		free(line);
		n++;
		p = nl + 1;
	}
	return n;
}

static bool contains(const char *s, const char *t)
{
	return strstr(s, t) != NULL;
}

/* The lines after the last line containing marker. */
static const char *after_last(const char *s, const char *marker)
{
	const char *p = s, *q, *last = NULL;
	while ((q = strstr(p, marker))) {
		last = q;
		p = q + 1;
	}
	return last;
}

/* The value cells of the field rows ("│ label │ value │") of a printed form,
 * trailing spaces removed, joined: a wrapped value reads whole again. */
static char *value_cells(const char *t)
{
	static const char bar[] = "│";
	char *out = ks_strdup("");
	const char *p = t;
	while (*p) {
		const char *nl = strchr(p, '\n');
		char *line = ks_strndup(p, (size_t)(nl - p));
		char *a = strstr(line, bar);
		char *b = a ? strstr(a + strlen(bar), bar) : NULL;
		char *c = b ? strstr(b + strlen(bar), bar) : NULL;
		if (a == line && b && c) {
			char *v = b + strlen(bar) + 1;
			char *end = c;
			while (end > v && end[-1] == ' ')
				end--;
			*end = '\0';
			char *o = ks_asprintf("%s%s", out, v);
			free(out);
			out = o;
		}
		free(line);
		p = nl + 1;
	}
	return out;
}

static json_t *item(const char *key, const char *label, const char *group, const char *text)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "key", key, "label", label, "group", group, "text", text);
}

#define LONG_TAIL "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长" \
                  "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长结束"

/* A snapshot with long, mixed and hostile values. */
static json_t *hostile_snapshot(void)
{
	json_t *items = json_array();
	json_array_append_new(items, item("customer", "客户名称", "客户", "华东精密机械有限公司"));
	json_array_append_new(items, item("detail", "投诉内容", "客诉",
	                                  "第 3 批齿轮硬度低于图纸要求，客户在来料检验时发现百分之三十的齿轮"
	                                  "硬度不足，要求整批换货并赔偿停线损失。\n第二段：ＡＢＣ全角字母，"
	                                  "e\xcc\x81 组合字符，\t制表符，\x1b[31m 转义序列，\xe2\x80\xae 反向控制。"
	                                  LONG_TAIL));
	json_array_append_new(items, item("x", "一个特别特别特别特别长的字段标签名称", "客诉", "短"));
	json_array_append_new(items, item("ascii", "ASCII", "客诉",
	                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1中2"));
	json_array_append_new(items, item("empty", "订单编号", "产品", ""));
	json_array_append_new(items, item("loss", "客诉损失金额", "对策", "1,234.56 元"));
	json_t *snap = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:[sss]}", "form", "complaint", "title",
	                         "客户抱怨处理表", "case", "2611-001", "version", 7, "state_label", "结案",
	                         "dept_name", "质量管理部", "registered", "2026-11-02 09:00", "items", items,
	                         "signatures", "经办", "审核", "核准");
	assert_non_null(snap);
	return snap;
}

/* ---- layout ---- */

static void test_layout_aligned(void **state)
{
	(void)state;
	json_t *snap = hostile_snapshot();
	print_copy pc = { .no = 3, .total = 5, .round = 1, .holder = "业务部", .purpose = "依批示办理",
	                  .issued_at = "2026-11-06 10:00", .issued_by = "吴天成" };
	static const int widths[] = { 40, 41, 57, 78, 80, 123 };
	for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
		print_opts o = { .width = widths[i], .copy = &pc };
		char *t = print_form(snap, &o);
		size_t n = check_lines(t, widths[i]);
		assert_true(n > 20);
		/* the hostile bytes were made visible */
		assert_null(strchr(t, '\x1b'));
		assert_null(strchr(t, '\t'));
		assert_false(contains(t, "\xe2\x80\xae"));
		if (widths[i] >= 123) {
			/* shown, not obeyed */
			assert_true(contains(t, "^["));
			assert_true(contains(t, "<U+202E>"));
		}
		/* the long values are all there, wrapped: the end of each survives */
		char *vals = value_cells(t);
		assert_true(contains(vals, LONG_TAIL));
		assert_true(contains(vals, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1中2"));
		free(vals);
		free(t);
		o.copy = NULL;
		o.mark = "草稿 · 未结案";
		o.note = "此前已发出 1 次联单";
		t = print_form(snap, &o);
		check_lines(t, widths[i]);
		free(t);
	}
	/* the default width */
	print_opts o = { .copy = &pc };
	char *t = print_form(snap, &o);
	check_lines(t, PRINT_WIDTH);
	free(t);
	json_decref(snap);
}

static void test_layout_parts(void **state)
{
	(void)state;
	json_t *snap = hostile_snapshot();
	print_copy pc = { .no = 3, .total = 5, .round = 2, .holder = "业务部", .purpose = "依批示办理",
	                  .issued_at = "2026-11-06 10:00", .issued_by = "吴天成" };
	print_opts o = { .copy = &pc };
	char *t = print_form(snap, &o);
	/* title, case number, copy number */
	assert_true(contains(t, "客户抱怨处理表（第 3 联）"));
	assert_true(contains(t, "案件编号：2611-001"));
	/* box drawing */
	assert_true(!strncmp(t, "┌", strlen("┌")));
	assert_true(contains(t, "┼"));
	assert_true(contains(t, "┘\n"));
	/* the footer (after the last field) holds the copy's number, holder and purpose */
	const char *foot = after_last(t, "客诉损失金额");
	assert_non_null(foot);
	assert_true(contains(foot, "第 3 联（共 5 联）"));
	assert_true(contains(foot, "持有部门：业务部"));
	assert_true(contains(foot, "用途：依批示办理"));
	assert_true(contains(foot, "第 2 次发出：2026-11-06 10:00"));
	assert_true(contains(foot, "经办："));
	assert_true(contains(foot, "审核："));
	assert_true(contains(foot, "核准："));
	assert_false(contains(t, "草稿"));
	free(t);
	/* a draft is marked in the title and the footer */
	print_opts d = { .mark = "草稿 · 未结案" };
	t = print_form(snap, &d);
	assert_true(contains(t, "客户抱怨处理表（草稿 · 未结案）"));
	assert_true(contains(after_last(t, "客诉损失金额"), "【草稿 · 未结案】"));
	assert_false(contains(t, "持有部门"));
	free(t);
	/* the form's own signatures; none at all */
	json_object_set_new(snap, "signatures", json_pack("[ssss]", "填表", "主管", "厂长", "总经理"));
	t = print_form(snap, &o);
	check_lines(t, PRINT_WIDTH);
	assert_true(contains(t, "总经理："));
	assert_false(contains(t, "核准："));
	free(t);
	json_object_set_new(snap, "signatures", json_array());
	t = print_form(snap, &o);
	check_lines(t, PRINT_WIDTH);
	assert_false(contains(t, "日期："));
	free(t);
	json_decref(snap);
}

/* A value as wide as the box fills one line; one more character wraps. */
static void test_wrap_exact(void **state)
{
	(void)state;
	/* width 78, label column 8 (the minimum) → value column 78 - 7 - 8 = 63 */
	char v[256] = "";
	for (int i = 0; i < 31; i++)
		strcat(v, "中");
	strcat(v, "a");   /* 63 columns */
	json_t *items = json_array();
	json_array_append_new(items, item("k", "标签", "组", v));
	json_t *snap = json_pack("{s:s, s:s, s:o, s:[]}", "title", "表", "case", "1", "items", items, "signatures");
	char *t = print_form(snap, NULL);
	check_lines(t, PRINT_WIDTH);
	char *want = ks_asprintf("│ 标签     │ %s │\n", v);
	assert_true(contains(t, want));
	free(want);
	free(t);
	/* one more wide character: it goes to the next line whole */
	strcat(v, "末");
	json_array_set_new(items, 0, item("k", "标签", "组", v));
	t = print_form(snap, NULL);
	check_lines(t, PRINT_WIDTH);
	assert_true(contains(t, "│          │ 末"));
	free(t);
	json_decref(snap);
}

/* ---- configuration ---- */

static const char *STAFF =
	"roles:\n  - {code: clerk, name: 文员}\n"
	"staff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk]}\n";
static const char *WORKFLOW =
	"initial: s1\n"
	"intake: {form: f1, roles: [clerk]}\n"
	"states:\n"
	"  - {code: s1, label: 一}\n"
	"  - {code: s2, label: 二, final: true}\n"
	"actions:\n"
	"  - code: go\n"
	"    label: 前进\n"
	"    from: [s1]\n"
	"    to: s2\n"
	"    roles: [clerk]\n"
	"    issues: [f1]\n";
static const char *FORM =
	"form:\n"
	"  code: f1\n"
	"  title: 表一\n"
	"  copies:\n"
	"    - {no: 1, holder: d1, purpose: 存}\n"
	"    - {no: 2, holder: d2, purpose: 依批示办理}\n"
	"  fields:\n"
	"    - {key: name, label: 名称, type: text, required: true}\n";

static char *small_config(void)
{
	char *dir = t_tmpdir();
	t_small_config(dir, "departments:\n  - {code: d1, name: 一部}\n  - {code: d2, name: 二部}\n", STAFF, WORKFLOW, "routes:\n  - dept: d1\n", FORM);
	return dir;
}

static void test_conf_copies(void **state)
{
	(void)state;
	char *dir = small_config();
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	const conf_form *f = conf_find_form(c, "f1");
	assert_int_equal(f->ncopies, 2);
	assert_int_equal(f->copies[1].no, 2);
	assert_string_equal(f->copies[1].holder, "d2");
	assert_string_equal(f->copies[1].purpose, "依批示办理");
	/* no signatures given: 经办, 审核, 核准 */
	assert_int_equal(f->nsignatures, 3);
	assert_string_equal(f->signatures[2], "核准");
	assert_int_equal(conf_find_action(c, "go")->nissues, 1);
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);

	/* the shipped preset: five copies per P3, issued at closure */
	dir = t_tmpdir();
	t_config(dir, "manufacturing");
	char *cdir = ks_asprintf("%s/config", dir);
	rc = conf_load(cdir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	f = conf_find_form(c, "complaint");
	static const char *const holders[] = { "quality", "manufacturing", "sales", "accounting", "gm_office" };
	assert_int_equal(f->ncopies, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(f->copies[i].no, i + 1);
		assert_string_equal(f->copies[i].holder, holders[i]);
	}
	assert_string_equal(f->copies[2].purpose, "依批示办理");
	const conf_action *a = conf_find_action(c, "close");
	assert_int_equal(a->nissues, 3);   /* and the vouchers, by the approved outcome (P3 第十三条) */
	assert_string_equal(a->issues[0], "complaint");
	assert_null(a->issues_when[0]);
	assert_string_equal(a->issues[1], "return_voucher");
	assert_string_equal(a->issues_when[1][0].field, "outcome");
	assert_int_equal(conf_find_form(c, "return_voucher")->ncopies, 4);
	assert_int_equal(conf_find_form(c, "allowance_voucher")->ncopies, 2);
	conf_free(c);
	conf_diags_free(&d);
	free(cdir);
	t_rmdir(dir);
}


static const t_bad bad[] = {
	/* an undefined holder department, at the holder */
	{ "forms/f1.yaml",
	  "form:\n  code: f1\n  title: 表一\n  copies:\n    - {no: 1, holder: d1, purpose: 存}\n"
	  "    - {no: 2, holder: nowhere, purpose: 存}\n  fields:\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:6:23: 表单 f1 第 2 联的持有部门 nowhere 未定义" },
	/* a repeated copy number */
	{ "forms/f1.yaml",
	  "form:\n  code: f1\n  title: 表一\n  copies:\n    - {no: 1, holder: d1, purpose: 存}\n"
	  "    - {no: 1, holder: d2, purpose: 存}\n  fields:\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:6:12: 联号 1 重复" },
	/* a copy number that is not a positive integer */
	{ "forms/f1.yaml",
	  "form:\n  code: f1\n  title: 表一\n  copies:\n    - {no: 0, holder: d1, purpose: 存}\n"
	  "  fields:\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:5:12: 联号 no 应为 1 到 99 之间的整数" },
	/* a missing purpose */
	{ "forms/f1.yaml",
	  "form:\n  code: f1\n  title: 表一\n  copies:\n    - {no: 1, holder: d1}\n"
	  "  fields:\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:5:7: 缺少必需的键 purpose" },
	/* an unknown key in a copy */
	{ "forms/f1.yaml",
	  "form:\n  code: f1\n  title: 表一\n  copies:\n    - {no: 1, holder: d1, purpose: 存, colour: red}\n"
	  "  fields:\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:5:39: 未知的键 colour（此处可用的键：no, holder, purpose）" },
	/* signatures must be a list */
	{ "forms/f1.yaml",
	  "form:\n  code: f1\n  title: 表一\n  signatures: {a: b}\n  copies:\n    - {no: 1, holder: d1, purpose: 存}\n"
	  "  fields:\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:4:15: signatures 应为列表" },
	/* issues: an undefined form, at the issues key's value */
	{ "workflow.yaml",
	  "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n"
	  "  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], issues: [f9]}\n",
	  "workflow.yaml:7:71: 动作 go 的 issues 引用了未定义的表单 f9" },
	/* issues: a form without copies (the action's inline fields) */
	{ "workflow.yaml",
	  "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n"
	  "  - {code: s2, label: 二}\nactions:\n  - code: go\n    label: 前进\n    from: [s1]\n    to: s2\n"
	  "    roles: [clerk]\n    fields: [{key: r, label: 理由, type: text}]\n    issues: action:go\n",
	  "workflow.yaml:13:13: 动作 go 的 issues 引用的表单 action:go 没有定义 copies（联）" },
};

static void test_conf_bad(void **state)
{
	(void)state;
	t_bad_configs(small_config, bad, sizeof bad / sizeof *bad);
}

/* ---- issuing copies on the manufacturing preset ---- */

typedef t_fixture fixture;

static void at(const char *when)
{
	time_t t;
	assert_true(clock_parse(when, &t));
	clock_set_now(t);
}

static void act(session *s, const char *who, const char *when, const char *no, const char *action,
                const form_kv *kv, size_t n)
{
	ks_err err;
	if (session_login(s, who, &err))
		fail_msg("%s", err.msg);
	at(when);
	if (case_do(s, no, action, kv, n, -1, &err))
		fail_msg("%s %s: %s", who, action, err.msg);
}

#define KV(k, v) { k, v, sizeof v - 1 }

static char *reg(session *s)
{
	static const form_kv kv[] = {
		KV("customer", "某电子厂"), KV("contact", "0512-1234567"), KV("channel", "phone"),
		KV("region", "domestic"), KV("category", "quality"), KV("subject", "外壳开裂"),
		KV("detail", "第二批外壳有裂纹"),
	};
	t_as(s, "qiantai");
	at("2026-11-02 09:00");
	return t_register(s, NULL, kv, sizeof kv / sizeof *kv);
}

static void handle(session *s, const char *no, const char *day, const char *decision)
{
	static const form_kv rpt[] = {
		KV("cause", "模具磨损"), KV("process", "抽检"), KV("responsible", "二号机"), KV("conclusion", "属实"),
		KV("countermeasure", "换模"), KV("prevention", "点检"), KV("loss", "3000"),
	};
	form_kv dec[] = { { "decision", decision, strlen(decision) } };
	static const form_kv rep[] = { KV("method", "letter"), KV("accepted", "yes"), KV("answer", "已寄出答复函") };
	char t[32];
	snprintf(t, sizeof t, "%s 10:00", day);
	act(s, "zhijian", t, no, "report", rpt, 7);
	snprintf(t, sizeof t, "%s 11:00", day);
	act(s, "yewujingli", t, no, "approve", dec, 1);
	snprintf(t, sizeof t, "%s 14:00", day);
	act(s, "qiantai", t, no, "reply", rep, 3);
}

static store_case get_case(session *s, const char *no)
{
	store_case c = {0};
	ks_err err;
	if (store_case_get(s->st, no, &c, &err))
		fail_msg("%s", err.msg);
	return c;
}

static void copies_of(session *s, const char *no, store_copy **v, size_t *n)
{
	store_case c = get_case(s, no);
	ks_err err;
	if (store_copies(s->st, c.id, v, n, &err))
		fail_msg("%s", err.msg);
	store_case_clear(&c);
}

/* Whether another connection is refused both an update and a delete of copies. */
static bool copies_frozen(const char *dir)
{
	char *path = ks_asprintf("%s/kesu.db", dir);
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		fail_msg("open %s", path);
	sqlite3_busy_timeout(db, 5000);
	int u = sqlite3_exec(db, "UPDATE copies SET purpose = 'x'", NULL, NULL, NULL);
	int d = sqlite3_exec(db, "DELETE FROM copies", NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM copies WHERE purpose != 'x'", -1, &st, NULL);
	int left = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return u != SQLITE_OK && d != SQLITE_OK && left == 5;
}

static void test_issue(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s);
	static const form_kv dept[] = { KV("dept", "quality") };
	act(s, "guanli", "2026-11-02 10:00", no, "accept", NULL, 0);
	act(s, "guanli", "2026-11-02 10:30", no, "assign", dept, 1);
	handle(s, no, "2026-11-04", "同意换货");
	store_copy *v = NULL;
	size_t n = 0;
	copies_of(s, no, &v, &n);
	assert_int_equal(n, 0);     /* nothing before closure */
	store_copies_free(v, n);
	act(s, "zongjingli", "2026-11-06 10:00", no, "close", NULL, 0);

	/* five copies, the right holders, one identical snapshot */
	copies_of(s, no, &v, &n);
	assert_int_equal(n, 5);
	static const char *const holders[] = { "quality", "manufacturing", "sales", "accounting", "gm_office" };
	static const char *const names[] = { "质量管理部", "制造部", "业务部", "会计科", "总经理室" };
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].form, "complaint");
		assert_int_equal(v[i].round, 1);
		assert_int_equal(v[i].copy_no, (int)i + 1);
		assert_string_equal(v[i].holder, holders[i]);
		assert_string_equal(v[i].holder_name, names[i]);
		assert_string_equal(v[i].purpose, i == 2 ? "依批示办理" : "存");
		assert_string_equal(v[i].issued_by, "zongjingli");
		assert_string_equal(v[i].snapshot, v[0].snapshot);
		assert_int_equal(v[i].event_id, v[0].event_id);
	}
	json_t *snap = json_loads(v[0].snapshot, 0, NULL);
	assert_non_null(snap);
	assert_string_equal(json_string_value(json_object_get(snap, "title")), "客户抱怨处理表");
	assert_string_equal(json_string_value(json_object_get(snap, "state")), "closed");
	assert_string_equal(json_string_value(json_object_get(json_object_get(snap, "fields"), "decision")), "同意换货");
	assert_string_equal(json_string_value(json_object_get(json_object_get(snap, "issued"), "by_name")), "吴天成");
	/* the items: the form's own fields first, then what the handling recorded */
	const json_t *items = json_object_get(snap, "items");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "key")), "customer");
	bool saw_decision = false, saw_loss = false;
	size_t i;
	const json_t *it;
	json_array_foreach(items, i, it) {
		const char *k = json_string_value(json_object_get(it, "key"));
		const char *txt = json_string_value(json_object_get(it, "text"));
		if (!strcmp(k, "decision")) {
			saw_decision = true;
			assert_string_equal(json_string_value(json_object_get(it, "label")), "核决意见");
			assert_string_equal(txt, "同意换货");
		}
		if (!strcmp(k, "loss")) {
			saw_loss = true;
			assert_string_equal(txt, "3,000.00 元");
		}
		if (!strcmp(k, "channel"))
			assert_string_equal(txt, "电话");
	}
	assert_true(saw_decision && saw_loss);
	json_decref(snap);
	char *first = ks_strdup(v[0].snapshot);
	long long first_event = v[0].event_id;
	store_copies_free(v, n);

	/* the database refuses to change or delete a copy */
	assert_true(copies_frozen(f->dir));

	/* a reopen leaves them untouched */
	static const form_kv why[] = { KV("reason", "客户不接受") };
	act(s, "guanli", "2026-11-07 09:00", no, "reopen", why, 1);
	copies_of(s, no, &v, &n);
	assert_int_equal(n, 5);
	for (size_t k = 0; k < n; k++) {
		assert_string_equal(v[k].snapshot, first);
		assert_int_equal(v[k].round, 1);
	}
	store_copies_free(v, n);

	/* the second closure issues a second set */
	handle(s, no, "2026-11-09", "同意退货");
	act(s, "zongjingli", "2026-11-10 10:00", no, "close", NULL, 0);
	copies_of(s, no, &v, &n);
	assert_int_equal(n, 10);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(v[k].round, k < 5 ? 1 : 2);
		assert_int_equal(v[k].copy_no, (int)(k % 5) + 1);
		assert_string_equal(v[k].snapshot, k < 5 ? first : v[5].snapshot);
	}
	assert_int_not_equal(v[5].event_id, first_event);
	assert_string_not_equal(v[5].snapshot, first);
	snap = json_loads(v[5].snapshot, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(snap, "fields"), "decision")), "同意退货");
	/* a copy laid out: aligned, with its footer */
	print_copy pc = { .no = 3, .total = 5, .round = 2, .holder = v[7].holder_name, .purpose = v[7].purpose,
	                  .issued_at = "2026-11-10 10:00", .issued_by = "吴天成" };
	print_opts o = { .copy = &pc };
	char *t = print_form(snap, &o);
	check_lines(t, PRINT_WIDTH);
	assert_true(contains(t, "同意退货"));
	assert_true(contains(t, "持有部门：业务部"));
	free(t);
	json_decref(snap);
	store_copies_free(v, n);
	free(first);
	free(no);
}

/* ---- the letter to the customer ---- */

static void events_of(session *s, const char *no, store_case *c, store_event **ev, size_t *nev)
{
	*c = get_case(s, no);
	ks_err err;
	if (store_events(s->st, c->id, ev, nev, &err))
		fail_msg("%s", err.msg);
}

static void test_reply(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s);
	static const form_kv dept[] = { KV("dept", "quality") };
	act(s, "guanli", "2026-11-02 10:00", no, "accept", NULL, 0);
	act(s, "guanli", "2026-11-02 10:30", no, "assign", dept, 1);
	store_case c;
	store_event *ev;
	size_t nev;
	json_t *letter = NULL;
	ks_err err;
	/* not approved yet */
	events_of(s, no, &c, &ev, &nev);
	assert_int_equal(print_reply_data(s->cf, &c, ev, nev, &letter, &err), KS_INVALID);
	assert_true(contains(err.msg, "尚未核决"));
	store_case_clear(&c);
	store_events_free(ev, nev);

	handle(s, no, "2026-11-04", "同意换货，运费由我方承担");
	events_of(s, no, &c, &ev, &nev);
	assert_int_equal(print_reply_data(s->cf, &c, ev, nev, &letter, &err), KS_OK);
	char *t = print_reply(letter, "业务部", "2026年11月05日", 0);
	assert_true(contains(t, "某电子厂："));
	assert_true(contains(t, "2611-001"));
	assert_true(contains(t, "外壳开裂"));
	assert_true(contains(t, "同意换货，运费由我方承担"));
	assert_true(contains(t, "已寄出答复函"));
	assert_true(contains(t, "2026年11月02日"));
	/* no internal fields: the investigation, the loss, the reply method, the acceptance */
	assert_false(contains(t, "模具磨损"));
	assert_false(contains(t, "二号机"));
	assert_false(contains(t, "3,000"));
	assert_false(contains(t, "书信"));
	assert_false(contains(t, "客户是否接受"));
	assert_false(contains(t, "客户抱怨处理表"));
	assert_false(contains(t, "┌"));
	check_lines(t, -1);
	const char *p = t;
	while (*p) {
		const char *nl = strchr(p, '\n');
		char *line = ks_strndup(p, (size_t)(nl - p));
		assert_true(text_width(line) <= PRINT_WIDTH);
		free(line);
		p = nl + 1;
	}
	free(t);
	json_decref(letter);
	store_case_clear(&c);
	store_events_free(ev, nev);

	/* sent back after the approval: no letter until approved again */
	static const form_kv why[] = { KV("reason", "客户不接受") };
	act(s, "qiantai", "2026-11-05 09:00", no, "reopen", why, 1);
	events_of(s, no, &c, &ev, &nev);
	assert_int_equal(print_reply_data(s->cf, &c, ev, nev, &letter, &err), KS_INVALID);
	assert_true(contains(err.msg, "重新处理"));
	store_case_clear(&c);
	store_events_free(ev, nev);
	free(no);
}

/* The document both renderers lay out (the PDF's input): every string
 * sanitised, groups in the form's order, the copy's footer and folio, and the
 * text print is exactly the document laid out as text. */
static bool any_raw(const json_t *j)
{
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		return strchr(s, '\x1b') || strchr(s, '\t') || strstr(s, "\xe2\x80\xae");
	}
	size_t i;
	const char *k;
	json_t *v;
	if (json_is_array(j))
		json_array_foreach(j, i, v)
			if (any_raw(v))
				return true;
	if (json_is_object(j))
		json_object_foreach((json_t *)j, k, v)
			if (any_raw(v))
				return true;
	return false;
}

static void test_document(void **state)
{
	(void)state;
	json_t *snap = hostile_snapshot();
	print_copy pc = { .no = 3, .total = 5, .round = 1, .holder = "业务\x1b部", .purpose = "依批示办理",
	                  .issued_at = "2026-11-06 10:00", .issued_by = "吴天成" };
	print_opts o = { .copy = &pc };
	json_t *doc = print_form_doc(snap, &o);
	assert_string_equal(json_string_value(json_object_get(doc, "kind")), "form");
	assert_string_equal(json_string_value(json_object_get(doc, "title")), "客户抱怨处理表（第 3 联）");
	assert_string_equal(json_string_value(json_object_get(doc, "case")), "2611-001");
	assert_false(any_raw(doc));
	/* groups in order of first appearance, items within them in order */
	const json_t *g = json_object_get(doc, "groups");
	assert_int_equal(json_array_size(g), 4);
	static const char *const titles[] = { "客户", "客诉", "产品", "对策" };
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(g, i), "title")), titles[i]);
	const json_t *kesu = json_object_get(json_array_get(g, 1), "items");
	assert_int_equal(json_array_size(kesu), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(kesu, 0), "label")), "投诉内容");
	assert_true(contains(json_string_value(json_object_get(json_array_get(kesu, 0), "text")), "^[[31m"));
	/* the footer and the folio name the copy and its holder, made visible */
	assert_true(contains(json_string_value(json_array_get(json_object_get(doc, "footer"), 0)),
	                     "第 3 联（共 5 联）    持有部门：业务^[部"));
	assert_string_equal(json_string_value(json_object_get(doc, "folio")),
	                    "客户抱怨处理表 2611-001 · 第 3 联（共 5 联） 业务^[部 · 第 1 次发出");
	assert_int_equal(json_array_size(json_object_get(doc, "signatures")), 3);
	/* the text print is this document as text, at any width */
	for (int w = 0; w <= 100; w += 50) {
		o.width = w;
		char *a = print_form(snap, &o), *b = print_doc_text(doc, w);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	json_decref(doc);
	/* a draft: the mark in the title, the footer and the folio */
	print_opts d = { .mark = "草稿 · 未结案" };
	doc = print_form_doc(snap, &d);
	assert_true(contains(json_string_value(json_object_get(doc, "folio")), "草稿 · 未结案"));
	assert_true(contains(json_string_value(json_array_get(json_object_get(doc, "footer"), 0)), "【草稿 · 未结案】"));
	json_decref(doc);

	/* the letter */
	json_t *letter = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}", "case", "2611-001", "customer",
	                           "某\x1b厂", "subject", "外壳开裂", "registered", "2026年11月02日", "items", "label",
	                           "核决意见", "text", "同意\xe2\x80\xae换货");
	doc = print_reply_doc(letter, "业务部", "2026年11月05日");
	assert_string_equal(json_string_value(json_object_get(doc, "kind")), "letter");
	assert_string_equal(json_string_value(json_object_get(doc, "title")), "关于「外壳开裂」的答复");
	assert_string_equal(json_string_value(json_object_get(doc, "salutation")), "某^[厂：");
	assert_false(any_raw(doc));
	char *a = print_reply(letter, "业务部", "2026年11月05日", 0), *b = print_doc_text(doc, 0);
	assert_string_equal(a, b);
	assert_true(contains(a, "同意<U+202E>换货"));
	free(a);
	free(b);
	json_decref(doc);
	json_decref(letter);
	json_decref(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_aligned),
		cmocka_unit_test(test_layout_parts),
		cmocka_unit_test(test_wrap_exact),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_conf_copies),
		cmocka_unit_test(test_conf_bad),
		cmocka_unit_test_setup_teardown(test_issue, t_setup_manufacturing, t_teardown),
		cmocka_unit_test_setup_teardown(test_reply, t_setup_manufacturing, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
