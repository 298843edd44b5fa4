/* test_tui.c — the terminal screens, driven in-process tig-style: keys come
 * from a script, curses draws on /dev/null at 80x24, and each ":dump" writes
 * the screen as text, which is compared with the expected lines.
 *
 * Each test gets a fresh data directory built the way `kesu init` will:
 * config/ from config/presets/manufacturing and forms/ of the source tree
 * ($KESU_SRC, else the current directory), a new database, and a session
 * logged in as qiantai (李静, 业务部, who may register complaints).
 *
 * Covered: the queue and its view tabs (待办 全部 逾期 我的, counts, Tab,
 * Shift-Tab, 1-4, the 期限 column with and without colours), the case
 * screen (clocks, fields, history, numbered actions), the help screen, the
 * form screen (a new complaint typed in Chinese, cursor and editing keys,
 * choices, long text, a bad date reported next to its field, required
 * fields, Esc with its question), actions taken from the case screen (受理
 * with a yes/no question, 分派 with its department field), and conflicts
 * (another connection changes the case between keys with ":call"): the form
 * keeps what was typed, re-reads on y, and saves or reports on the next try. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kesu/tui.h"
#include "kesu/tasks.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/text.h"
#include "kesu/deadline.h"
#include "kesu/editlock.h"
#include "testlib.h"

#define LINES_ 24
#define COLS_ 80

typedef t_fixture fixture;

/* The manufacturing preset, logged in as qiantai. */
static int setup(void **state)
{
	fixture *f = t_fixture_new("manufacturing");
	t_as(f->s, "qiantai");
	*state = f;
	return 0;
}

/* Register a complaint at local time 2026-11-27 hh:mm; returns its number. */
static char *reg(session *s, int hh, int mm, const char *customer, const char *subject,
                 const char *detail)
{
	clock_set_now(clock_make(2026, 11, 27, hh, mm));
	form_kv kv[] = {
		{ "customer", customer, strlen(customer) },
		{ "contact", "021-5555 1234", 13 },
		{ "channel", "phone", 5 },
		{ "region", "domestic", 8 },
		{ "category", "quality", 7 },
		{ "subject", subject, strlen(subject) },
		{ "detail", detail, strlen(detail) },
	};
	return t_register(s, NULL, kv, sizeof kv / sizeof kv[0]);
}

/* ---- running a script --------------------------------------------------- */

typedef struct dump {
	char **line;
	size_t n;      /* lines in all */
	char **cursor; /* each ":cursor" line ("@cursor 2 13"), in order */
	size_t ncursor;
	int lines;     /* lines per screen */
	int code;      /* tui_run_script's result */
} dump;

static void maybe_show(const dump *d);

/* Run script on s at lines x cols with the functions calls (for ":call")
 * and collect the dumped screens. */
static dump run_calls(session *s, const char *script, int lines, int cols, const tui_script_call *calls)
{
	FILE *keys = fmemopen((void *)script, strlen(script), "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(keys);
	assert_non_null(out);
	dump d = { .lines = lines };
	d.code = tui_run_script(s, keys, out, lines, cols, calls);
	fclose(keys);
	fclose(out);
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		if (!strncmp(p, "@cursor ", 8)) {
			d.cursor = realloc(d.cursor, (d.ncursor + 1) * sizeof *d.cursor);
			d.cursor[d.ncursor++] = ks_strndup(p, (size_t)(nl - p));
			continue;
		}
		d.line = realloc(d.line, (d.n + 1) * sizeof *d.line);
		d.line[d.n++] = ks_strndup(p, (size_t)(nl - p));
	}
	free(buf);
	maybe_show(&d);
	return d;
}

static dump run(session *s, const char *script, int lines, int cols)
{
	return run_calls(s, script, lines, cols, NULL);
}

static void print_screen(const dump *d, size_t i);

/* KESU_TUI_SHOW=1 prints every dumped screen (to write expectations). */
static void maybe_show(const dump *d)
{
	if (!getenv("KESU_TUI_SHOW"))
		return;
	for (size_t i = 0; i < d->n / (size_t)d->lines; i++)
		print_screen(d, i);
}

static void dump_free(dump *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->line[i]);
	free(d->line);
	for (size_t i = 0; i < d->ncursor; i++)
		free(d->cursor[i]);
	free(d->cursor);
}

static size_t screens(const dump *d)
{
	return d->n / (size_t)d->lines;
}

/* Row y of screen i. */
static const char *row(const dump *d, size_t i, int y)
{
	size_t k = i * (size_t)d->lines + (size_t)y;
	assert_true(k < d->n);
	return d->line[k];
}

static void print_screen(const dump *d, size_t i)
{
	fprintf(stderr, "---- screen %zu ----\n", i);
	for (int y = 0; y < d->lines; y++)
		fprintf(stderr, "%2d|%s\n", y, row(d, i, y));
}

/* Assert row y of screen i is exactly want (shows the screen if not). */
static void expect_row(const dump *d, size_t i, int y, const char *want)
{
	if (strcmp(row(d, i, y), want)) {
		print_screen(d, i);
		fail_msg("screen %zu row %d:\n  got  «%s»\n  want «%s»", i, y, row(d, i, y), want);
	}
}

/* Whether some row of screen i contains needle. */
static bool screen_has(const dump *d, size_t i, const char *needle)
{
	for (int y = 0; y < d->lines; y++)
		if (strstr(row(d, i, y), needle))
			return true;
	return false;
}

static void expect_has(const dump *d, size_t i, const char *needle)
{
	if (!screen_has(d, i, needle)) {
		print_screen(d, i);
		fail_msg("screen %zu lacks «%s»", i, needle);
	}
}

/* The display column at which needle starts in line (-1 if absent). */
static int column_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);
	if (!p)
		return -1;
	char *prefix = ks_strndup(line, (size_t)(p - line));
	int w = text_width(prefix);
	free(prefix);
	return w;
}

/* The title bar at cols columns: left, spaces, right against the edge. */
static char *title(const char *left, const char *right, int cols)
{
	int pad = cols - text_width(left) - text_width(right);
	assert_true(pad > 0);
	return ks_asprintf("%s%*s%s", left, pad, "", right);
}

static void expect_title_of(const dump *d, size_t i, const char *left, const char *right, int cols)
{
	char *want = title(left, right, cols);
	expect_row(d, i, 0, want);
	free(want);
}

/* The title bar of qiantai (李静, 业务部). */
static void expect_title(const dump *d, size_t i, const char *right, int cols)
{
	expect_title_of(d, i, "kesu 客诉 — 李静（业务部）", right, cols);
}

/* ---- tests -------------------------------------------------------------- */

static const char *long_customer = "上海华东精密机械股份有限公司";
static const char *long_subject = "外壳表面划伤严重，客户要求整批退货并赔偿运输损失";
static const char *long_detail = "收到的 200 件外壳中有 37 件表面划伤，划痕长度 3 至 15 毫米，位于正面显眼处。\n"
                                 "客户要求整批退货。";

/* The walking skeleton: queue, open the second case, back, quit. */
static void test_queue_case_back_quit(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, long_detail);
	char *b = reg(f->s, 10, 5, "ACME Ltd.", "包装破损", "纸箱破损");
	assert_string_equal(a, "2611-001");
	assert_string_equal(b, "2611-002");
	dump d = run(f->s,
	             ":dump\n"
	             "j<Enter>\n"
	             ":dump\n"
	             "q\n"
	             ":dump\n"
	             "q\n"
	             ":dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 3);   /* the last :dump comes after quitting */

	/* the queue, newest first, columns aligned by display width; nothing
	 * for 李静 to do, so it opens on 全部 */
	expect_title(&d, 0, "案件列表 1/2", COLS_);
	expect_row(&d, 0, 1, " 待办 0  [全部 2]  逾期 0   我的 2");
	expect_row(&d, 0, 2, "编号      状态  期限  部门          客户       主题             登记时间");
	expect_row(&d, 0, 3, "2611-002  受理        总经理室生…   ACME Ltd.  包装破损         2026-11-27 10:05");
	expect_row(&d, 0, 4, "2611-001  受理        总经理室生…   上海华东…  外壳表面划伤严…  2026-11-27 09:30");
	expect_row(&d, 0, 5, "");
	expect_row(&d, 0, 23, "Enter 打开  n 登记  Tab 视图  q 退出  ? 帮助  r 刷新  j 下移  k 上移");
	for (int y = 2; y <= 4; y++) {
		assert_int_equal(column_of(row(&d, 0, y), y == 2 ? "客户" : y == 3 ? "ACME" : "上海"), 36);
		assert_int_equal(column_of(row(&d, 0, y), y == 2 ? "主题" : y == 3 ? "包装" : "外壳"), 47);
		assert_int_equal(column_of(row(&d, 0, y), y == 2 ? "登记时间" : "2026-11-27"), 64);
	}

	/* the second row's case: fields labelled by the intake form, history */
	expect_title(&d, 1, "案件 2611-001", COLS_);
	expect_row(&d, 1, 1, "编号 2611-001  状态 受理  部门 总经理室生产管理组");
	expect_row(&d, 1, 2, "登记人 李静  登记时间 2026-11-27 09:30  版本 1");
	expect_row(&d, 1, 3, "");
	expect_row(&d, 1, 4, "【客户抱怨处理表】");
	expect_row(&d, 1, 5, "客户名称  上海华东精密机械股份有限公司");
	expect_row(&d, 1, 6, "联系方式  021-5555 1234");
	expect_row(&d, 1, 7, "渠道      电话");
	expect_row(&d, 1, 8, "地区      国内");
	expect_row(&d, 1, 9, "客诉类别  质量异常");
	expect_row(&d, 1, 10, "主题      外壳表面划伤严重，客户要求整批退货并赔偿运输损失");
	expect_row(&d, 1, 11, "投诉内容  收到的 200 件外壳中有 37 件表面划伤，划痕长度 3 至 15 毫米，位于正面显");
	expect_row(&d, 1, 12, "          眼处。");
	expect_row(&d, 1, 13, "          客户要求整批退货。");
	expect_row(&d, 1, 14, "");
	expect_row(&d, 1, 15, "【处理记录】");
	expect_row(&d, 1, 16, "2026-11-27 09:30  李静  登记  → 受理");
	expect_row(&d, 1, 22, "可执行的动作：（无）");
	expect_row(&d, 1, 23, "q 返回  ? 帮助  r 刷新  j 下移  k 上移  Space 翻页");

	/* q: back on the queue with the same row selected */
	expect_title(&d, 2, "案件列表 2/2", COLS_);
	expect_row(&d, 2, 4, row(&d, 0, 4));
	expect_row(&d, 2, 23, row(&d, 0, 23));
	dump_free(&d);
	free(a);
	free(b);
}

/* A view longer than a screen is loaded a page at a time (a screen and a
 * margin: 20 + 20 rows here); moving down near the end of what is loaded
 * fetches the next page, so End reaches the oldest case. The title counts
 * the whole view meanwhile. */
static void test_queue_pages(void **state)
{
	fixture *f = *state;
	for (int i = 0; i < 45; i++) {
		char subject[32];
		snprintf(subject, sizeof subject, "第%d件", i + 1);
		free(reg(f->s, 8 + i / 60, i % 60, "客户", subject, "内容"));
	}
	dump d = run(f->s, ":dump\n<PgDn>\n:dump\n<End>\n:dump\n<Home>\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 4);
	/* 40 loaded of 45, newest first */
	expect_title(&d, 0, "案件列表 1/45", COLS_);
	expect_row(&d, 0, 1, " 待办 0  [全部 45]  逾期 0   我的 45");
	assert_int_equal(column_of(row(&d, 0, 3), "2611-045"), 0);
	/* PgDn: the next page comes in */
	expect_title(&d, 1, "案件列表 21/45", COLS_);
	/* End: the last case, the first registered */
	expect_title(&d, 2, "案件列表 45/45", COLS_);
	assert_int_equal(column_of(row(&d, 2, 22), "2611-001"), 0);
	expect_title(&d, 3, "案件列表 1/45", COLS_);
	dump_free(&d);
}

static void test_empty_queue(void **state)
{
	fixture *f = *state;
	dump d = run(f->s, ":dump\nj<Enter>\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 2);
	expect_title(&d, 0, "案件列表", COLS_);
	expect_row(&d, 0, 1, " 待办 0  [全部 0]  逾期 0   我的 0");
	expect_row(&d, 0, 2, "编号  状态  期限  部门  客户  主题                                      登记时间");
	expect_row(&d, 0, 3, "（没有案件）");
	expect_row(&d, 1, 3, "（没有案件）");
	expect_row(&d, 1, 23, "没有可打开的案件");
	dump_free(&d);
}

/* The help screen is generated from the keymap table. */
static void test_help(void **state)
{
	fixture *f = *state;
	dump d = run(f->s, "?\n:dump\nG\n:dump\nq\n:dump\n", LINES_, COLS_);
	assert_int_equal(screens(&d), 3);
	expect_title(&d, 0, "按键帮助", COLS_);
	expect_row(&d, 0, 1, "按键               动作");
	expect_row(&d, 0, 2, "j  Down            下移一行；表单中到下一栏");
	expect_row(&d, 0, 3, "k  Up              上移一行；表单中到上一栏");
	expect_row(&d, 0, 6, "Space  PgDn        下翻一页；表单中到下一组");
	expect_row(&d, 0, 10, "Tab                下一个视图；表单中到下一栏");
	expect_row(&d, 0, 11, "Shift-Tab          上一个视图；表单中到上一栏");
	expect_row(&d, 0, 12, "1-9                案件列表：第 N 个视图；案件：第 N 个动作");
	expect_row(&d, 0, 13, "Enter              打开所选案件；表单中到下一栏，长文本中换行");
	expect_row(&d, 0, 14, "n                  登记新客诉（案件列表）");
	expect_row(&d, 0, 15, "Ctrl-S  F10        保存表单");
	expect_row(&d, 0, 16, "Esc                放弃表单（先确认）；返回上一屏");
	expect_row(&d, 0, 17, "Backspace  Ctrl-H  删除光标前的一个字");
	expect_row(&d, 0, 20, "Ctrl-L             重绘整个屏幕");
	expect_row(&d, 0, 22, "/                  全文检索案件（中文任意长度）");
	expect_row(&d, 0, 23, "q 返回  j 下移  k 上移");
	/* more lines than rows: G scrolls to the last */
	expect_row(&d, 1, 18, "R                  月度统计报表（报表中 Left/Right 换月）");
	expect_row(&d, 1, 19, "m                  发给我（我的角色或部门）的催办单、治办单和到期提醒");
	expect_row(&d, 1, 20, "t                  周期任务（统计表、周分析…）：本期与前两期，Enter 记录完成");
	expect_row(&d, 1, 21, "q                  返回上一屏；在案件列表中退出");
	expect_row(&d, 1, 22, "Q                  退出 kesu");
	expect_row(&d, 2, 3, "（没有案件）");
	for (int r = REQ_NONE + 1; r < REQ__COUNT; r++)
		assert_true(*tui_request_name((tui_request)r));
	dump_free(&d);
}

/* Stored text is hostile: escape sequences and bidi controls are drawn
 * visibly, never sent to the terminal. */
static void test_hostile_text(void **state)
{
	fixture *f = *state;
	ks_err err = { "" };
	store_case c = {
		.no = "2611-009", .state = "intake", .dept = "gm_prod", .registrant = "qiantai",
		.customer = "\x1b[2J恶意客户", .subject = "abc\xe2\x80\xae" "def\x07",
		.fields = "{\"customer\":\"\\u001b[2J恶意客户\",\"detail\":\"\\u001b]0;pwned\\u0007\\n第二行\"}",
		.updated_by = "qiantai", .created_at = clock_make(2026, 11, 27, 11, 0),
		.updated_at = clock_make(2026, 11, 27, 11, 0), .version = 1,
	};
	assert_int_equal(store_begin(f->s->st, &err), KS_OK);
	if (store_case_insert(f->s->st, &c, &err))
		fail_msg("insert: %s", err.msg);
	assert_int_equal(store_commit(f->s->st, &err), KS_OK);
	dump d = run(f->s, ":dump\n<Enter>\n:dump\n", LINES_, COLS_);
	assert_int_equal(screens(&d), 2);
	expect_row(&d, 0, 3, "2611-009  受理        总经理室生…   ^[[2J恶…   abc<U+202E>def…  2026-11-27 11:00");
	expect_row(&d, 1, 5, "客户名称  ^[[2J恶意客户");
	expect_row(&d, 1, 6, "投诉内容  ^[]0;pwned^G");
	expect_row(&d, 1, 7, "          第二行");
	expect_row(&d, 1, 10, "（没有记录）");
	for (size_t i = 0; i < d.n; i++)
		assert_null(strchr(d.line[i], '\x1b'));
	dump_free(&d);
}

/* Resizing redraws for the new size; a narrow terminal drops columns. */
static void test_resize(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, long_detail);
	dump d = run(f->s, ":resize 30 100\n:dump\n:resize 24 50\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.n, 30 + 24);
	d.lines = 30;
	expect_title(&d, 0, "案件列表 1/1", 100);
	expect_row(&d, 0, 3, "2611-001  受理        总经理室生…   上海华东精密机械…  外壳表面划伤严重，客户要求…  2026-11-27 09:30");
	/* 50 columns: no room for the time and the department */
	assert_string_equal(d.line[30 + 2], "编号      状态  期限  客户        主题");
	assert_string_equal(d.line[30 + 3], "2611-001  受理        上海华东…   外壳表面划伤严…");
	dump_free(&d);

	/* the case screen re-wraps its text for the new width */
	d = run(f->s, "<Enter>\n:resize 24 50\n:dump\n", LINES_, COLS_);
	assert_int_equal(screens(&d), 1);
	expect_row(&d, 0, 10, "主题      外壳表面划伤严重，客户要求整批退货并赔偿");
	expect_row(&d, 0, 11, "          运输损失");
	expect_row(&d, 0, 12, "投诉内容  收到的 200 件外壳中有 37 件表面划伤，划");
	expect_row(&d, 0, 23, "q 返回  ? 帮助  r 刷新  j 下移  k 上移");  /* whole hints only */
	dump_free(&d);
	free(a);
}

static void test_keys_and_script_errors(void **state)
{
	fixture *f = *state;
	dump d = run(f->s, "x\n:dump\nr\n:dump\nQ\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 2);
	expect_row(&d, 0, 23, "按键 x 没有定义（按 ? 查看帮助）");
	expect_row(&d, 1, 23, "已刷新");
	dump_free(&d);

	/* U+0102 is KEY_DOWN's number: it must stay a character */
	d = run(f->s, "Ă\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 23, "按键 Ă 没有定义（按 ? 查看帮助）");
	dump_free(&d);

	d = run(f->s, "<Nope>\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, KS_INVALID);
	assert_int_equal(d.n, 0);
	dump_free(&d);

	/* Enter on the first row without moving; the poll tick changes nothing */
	char *a = reg(f->s, 9, 30, "甲公司", "主题", "内容");
	d = run(f->s, "<Tick><Enter><Tick>\n:dump\n<F5>\n:dump\n", LINES_, COLS_);
	assert_int_equal(screens(&d), 2);
	expect_has(&d, 0, "编号 2611-001");
	expect_row(&d, 0, 23, "q 返回  ? 帮助  r 刷新  j 下移  k 上移  Space 翻页");
	expect_has(&d, 1, "编号 2611-001");
	expect_row(&d, 1, 23, "已刷新");
	dump_free(&d);
	free(a);
}

static void act(session *s, const char *no, int hh, int mm, const char *action, const form_kv *kv, size_t n)
{
	clock_set_now(clock_make(2026, 11, 27, hh, mm));
	ks_err err = { "" };
	if (case_do(s, no, action, kv, n, -1, &err))
		fail_msg("case_do %s: %s", action, err.msg);
}

/* The history shows each action with its state change and its own fields;
 * the actions line lists what the person may do now. */
static void test_history_and_actions(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	dump d = run(f->s, "<Enter>\n:dump\n", LINES_, COLS_);
	expect_title_of(&d, 0, "kesu 客诉 — 张明（总经理室生产管理组）", "案件 2611-001", COLS_);
	expect_row(&d, 0, 22, "可执行的动作：1 受理  2 不予受理");
	dump_free(&d);

	act(f->s, a, 10, 0, "accept", NULL, 0);
	form_kv dept = { "dept", "quality", 7 };
	act(f->s, a, 10, 15, "assign", &dept, 1);
	d = run(f->s, "<Enter>\n:dump\nG\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 1, "编号 2611-001  状态 调查  部门 质量管理部");
	expect_row(&d, 0, 2, "登记人 李静  登记时间 2026-11-27 09:30  版本 3");
	/* the clocks the actions started, with the time left */
	expect_row(&d, 0, 4, "【时限】");
	expect_row(&d, 0, 5, "结案期限（国内十五天）  2026-12-15 00:00  进行中  尚余 17 天 13 小时");
	expect_row(&d, 0, 6, "调查报告（三天内）      2026-12-01 00:00  进行中  尚余 3 天 13 小时");
	expect_has(&d, 0, "【分派】");   /* an action's own fields under its label */
	expect_has(&d, 0, "调查部门  质量管理部");
	expect_has(&d, 1, "2026-11-27 09:30  李静  登记  → 受理");
	expect_has(&d, 1, "2026-11-27 10:00  张明  受理  受理 → 分派");
	expect_has(&d, 1, "2026-11-27 10:15  张明  分派  分派 → 调查");
	expect_has(&d, 1, "                  调查部门：质量管理部");
	expect_row(&d, 0, 22, "可执行的动作：（无）");
	dump_free(&d);
	free(a);
}

/* A closed case: the copies (联) its closure issued and its penalty entries
 * are on the case screen, above the history. */
static void test_case_copies_penalties(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	act(f->s, a, 10, 0, "accept", NULL, 0);
	form_kv dept = { "dept", "quality", 7 };
	act(f->s, a, 10, 15, "assign", &dept, 1);
	assert_int_equal(session_login(f->s, "zhijian", &err), KS_OK);
	form_kv rpt[] = { { "cause", "包装不足", 12 }, { "process", "复查", 6 }, { "responsible", "包装组", 9 },
	                  { "conclusion", "属实", 6 }, { "countermeasure", "加强包装", 12 },
	                  { "prevention", "泡沫箱", 9 }, { "loss", "100", 3 },
	                  { "responsibility", "shengchan:1000", 14 } };
	act(f->s, a, 11, 0, "report", rpt, sizeof rpt / sizeof *rpt);
	assert_int_equal(session_login(f->s, "zongjingli", &err), KS_OK);
	form_kv dec = { "decision", "同意", 6 };
	act(f->s, a, 12, 0, "approve", &dec, 1);
	assert_int_equal(session_login(f->s, "qiantai", &err), KS_OK);
	form_kv rep[] = { { "method", "phone", 5 }, { "accepted", "yes", 3 } };
	act(f->s, a, 13, 0, "reply", rep, 2);
	assert_int_equal(session_login(f->s, "zongjingli", &err), KS_OK);
	act(f->s, a, 14, 0, "close", NULL, 0);
	dump d = run(f->s, "/2611-001<Enter><Enter>\n:dump\n", 60, COLS_);
	expect_has(&d, 0, "【已发出的联单】");
	expect_has(&d, 0, "客户抱怨处理表（第 1 次）  2026-11-27 14:00  吴天成 发出");
	expect_has(&d, 0, "  第 1 联  质量管理部");
	expect_has(&d, 0, "  第 5 联  总经理室");
	expect_has(&d, 0, "【罚扣】");
	expect_has(&d, 0, "赵强");
	dump_free(&d);
	free(a);
}

/* On a short terminal the case screen scrolls; the title says where. */
static void test_case_scroll(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, long_detail);
	dump d = run(f->s, "<Enter>\n:dump\nj\n:dump\nG\n:dump\n<Space>k\n:dump\n", 12, COLS_);
	assert_int_equal(screens(&d), 4);
	expect_title(&d, 0, "案件 2611-001 [1-9/16]", COLS_);
	expect_row(&d, 0, 1, "编号 2611-001  状态 受理  部门 总经理室生产管理组");
	expect_row(&d, 0, 10, "可执行的动作：（无）");
	expect_title(&d, 1, "案件 2611-001 [2-10/16]", COLS_);
	expect_row(&d, 1, 1, "登记人 李静  登记时间 2026-11-27 09:30  版本 1");
	expect_title(&d, 2, "案件 2611-001 [8-16/16]", COLS_);
	expect_row(&d, 2, 1, "地区      国内");
	expect_row(&d, 2, 9, "2026-11-27 09:30  李静  登记  → 受理");
	expect_title(&d, 3, "案件 2611-001 [7-15/16]", COLS_);
	expect_row(&d, 3, 1, "渠道      电话");
	dump_free(&d);
	free(a);
}

/* ---- forms and actions -------------------------------------------------- */

/* Expect rows y, y+1, ... of screen i to be want[0..n). */
static void expect_rows(const dump *d, size_t i, int y, const char *const *want, size_t n)
{
	for (size_t k = 0; k < n; k++)
		expect_row(d, i, y + (int)k, want[k]);
}

static const char *const form_hints = "Ctrl-S 保存  Esc 放弃  Tab 下一栏  Shift-Tab 上一栏  F1 帮助";

/* A new complaint through the intake form: Chinese typed as wide
 * characters, the cursor moved by character, backspace over CJK, Home/End,
 * choices stepped and picked, a line break in long text; after saving, the
 * number to read to the customer, and the new case selected in the queue. */
static void test_register_form(void **state)
{
	fixture *f = *state;
	clock_set_now(clock_make(2026, 11, 27, 9, 30));
	dump d = run(f->s,
	             "n\n"
	             ":dump\n"
	             ":cursor\n"
	             "上海华东精密机械\n"
	             ":cursor\n"
	             "<Left><Left><Backspace>X<End>公司<Home><Del>\n"
	             ":cursor\n"
	             "<Tab>021-5555 1234<Tab><Space><Space><Tab>1<Tab><Right>\n"
	             "<Tab>外壳划伤\n"
	             "<Tab>收到的外壳有划伤。<Enter>客户要求退货。\n"
	             ":dump\n"
	             ":cursor\n"
	             "<C-S>\n"
	             ":dump\n"
	             ":cursor\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 3);

	/* the empty form, drawn from forms/complaint.yaml */
	expect_title(&d, 0, "登记新客诉", COLS_);
	static const char *const empty[] = {
		"【客户】", "> 客户名称*", "  联系方式*", "  渠道*", "  地区*", "",
		"【客诉】", "  客诉类别*", "  主题*", "  投诉内容*", "  被投诉人", "  客户要求", "",
		"【产品】", "  订单编号", "  料号", "  交运日期", "  数量", "  不良数量", "",
	};
	expect_rows(&d, 0, 1, empty, sizeof empty / sizeof empty[0]);
	expect_row(&d, 0, 22, "最多 100 字");
	expect_row(&d, 0, 23, form_hints);
	/* the cursor: at the value column, then after 8 wide characters, then
	 * at the start after Home and Delete */
	assert_int_equal(d.ncursor, 5);
	assert_string_equal(d.cursor[0], "@cursor 2 13");
	assert_string_equal(d.cursor[1], "@cursor 2 29");
	assert_string_equal(d.cursor[2], "@cursor 2 13");

	/* filled in: 上 deleted by Delete at Home, 密 by Backspace, X typed
	 * between 精 and 机; 渠道 stepped twice to 信函; the long text on two lines */
	static const char *const filled[] = {
		"【客户】", "  客户名称*  海华东精X机械公司", "  联系方式*  021-5555 1234",
		"  渠道*      信函", "  地区*      国内", "",
		"【客诉】", "  客诉类别*  质量异常", "  主题*      外壳划伤",
		"> 投诉内容*  收到的外壳有划伤。", "             客户要求退货。", "  被投诉人",
	};
	expect_rows(&d, 1, 1, filled, sizeof filled / sizeof filled[0]);
	expect_row(&d, 1, 22, "Enter 换行，Tab 到下一栏");
	assert_string_equal(d.cursor[3], "@cursor 11 27");   /* after 客户要求退货。 */

	/* saved: the number on the status line, the case selected in 全部 */
	expect_title(&d, 2, "案件列表 1/1", COLS_);
	expect_row(&d, 2, 1, " 待办 0  [全部 1]  逾期 0   我的 1");
	expect_row(&d, 2, 3, "2611-001  受理        总经理室生…   海华东精X机械公…  外壳划伤  2026-11-27 09:30");
	expect_row(&d, 2, 23, "已登记，编号 2611-001");
	assert_string_equal(d.cursor[4], "@cursor none");
	dump_free(&d);

	/* what the core stored */
	case_view v;
	ks_err err = { "" };
	assert_int_equal(case_load(f->s, "2611-001", &v, &err), KS_OK);
	json_t *fields = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fields, "customer")), "海华东精X机械公司");
	assert_string_equal(json_string_value(json_object_get(fields, "channel")), "letter");
	assert_string_equal(json_string_value(json_object_get(fields, "region")), "domestic");
	assert_string_equal(json_string_value(json_object_get(fields, "category")), "quality");
	assert_string_equal(json_string_value(json_object_get(fields, "detail")), "收到的外壳有划伤。\n客户要求退货。");
	assert_null(json_object_get(fields, "ship_date"));
	assert_string_equal(v.c.registrant, "qiantai");
	json_decref(fields);
	case_view_free(&v);
}

/* A bad date is reported next to its field when the cursor leaves it; a
 * save with missing fields marks each and saves nothing; Esc asks first. */
static void test_form_errors(void **state)
{
	fixture *f = *state;
	clock_set_now(clock_make(2026, 11, 27, 9, 30));
	dump d = run(f->s,
	             "n\n"
	             "<PgDn><PgDn><Down><Down>2026-13-45<Tab>\n"
	             ":dump\n"
	             "<Up><Backspace><Backspace><Backspace><Backspace><Backspace>11-30<Tab>\n"
	             ":dump\n"
	             "<C-S>\n"
	             ":dump\n"
	             "<Esc>\n"
	             ":dump\n"
	             "n\n"
	             ":dump\n"
	             "<Esc>y\n"
	             ":dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 6);
	/* PgDn twice: the 产品 group; the date refused on leaving it */
	expect_row(&d, 0, 17, "  交运日期   2026-13-45");
	expect_row(&d, 0, 18, "             「交运日期」(ship_date) 应为日期 YYYY-MM-DD");
	expect_row(&d, 0, 19, "> 数量");
	expect_row(&d, 0, 22, "整数");
	/* corrected: the message goes */
	expect_row(&d, 1, 17, "  交运日期   2026-11-30");
	expect_row(&d, 1, 18, "> 数量");
	/* Ctrl-S: every missing required field marked, the first focused */
	expect_row(&d, 2, 2, "> 客户名称*");
	expect_row(&d, 2, 3, "             「客户名称」(customer) 是必填项，不能为空");
	expect_row(&d, 2, 7, "             「渠道」(channel) 是必填项，不能为空");
	expect_row(&d, 2, 23, "有 7 栏需要更正（见各栏下的说明），没有保存");
	/* Esc asks; n keeps the form as it was */
	expect_row(&d, 3, 23, "放弃已输入的内容？(y/n)");
	expect_row(&d, 3, 3, row(&d, 2, 3));
	expect_title(&d, 4, "登记新客诉", COLS_);
	expect_row(&d, 4, 23, form_hints);
	/* y: back on the queue, nothing registered */
	expect_row(&d, 5, 1, " 待办 0  [全部 0]  逾期 0   我的 0");
	expect_row(&d, 5, 3, "（没有案件）");
	expect_row(&d, 5, 23, "已放弃，没有保存");
	dump_free(&d);
	store_case *v = NULL;
	size_t n = 9;
	ks_err err = { "" };
	store_filter all = { 0 };
	assert_int_equal(case_list(f->s, &all, &v, &n, &err), KS_OK);
	assert_int_equal(n, 0);
	store_cases_free(v, n);

	/* a bidi override cannot be typed; the rest of the text is kept */
	d = run(f->s, "n甲\u202e乙\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 2, "> 客户名称*  甲乙");
	dump_free(&d);
	d = run(f->s, "n甲\u202e\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 23, "「客户名称」含有控制字符或转义序列（第 1 个字符，U+202E）");
	dump_free(&d);

	/* nothing typed: Esc closes at once; a person who may not register is
	 * told before typing anything */
	d = run(f->s, "n<Esc>\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 3, "（没有案件）");
	expect_row(&d, 0, 23, "Enter 打开  n 登记  Tab 视图  q 退出  ? 帮助  r 刷新  j 下移  k 上移");
	dump_free(&d);
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	d = run(f->s, "n\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 23, "张明 没有登记客诉的权限（需要角色：业务受理）");
	dump_free(&d);
}

/* Actions from the case screen: 受理 by guanli after a yes/no question,
 * then 分派 with its department field; the clocks they start. */
static void test_actions(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	clock_set_now(clock_make(2026, 11, 27, 10, 0));
	dump d = run(f->s,
	             ":dump\n"
	             "<Enter>1\n"
	             ":dump\n"
	             "n\n"
	             ":dump\n"
	             "1y\n"
	             ":dump\n"
	             "1\n"
	             ":dump\n"
	             "4\n"
	             ":dump\n"
	             "<C-S>\n"
	             ":dump\n"
	             "1\n"
	             ":dump\n"
	             "q\n"
	             ":dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 9);
	/* guanli may accept it: the queue opens on 待办 */
	expect_row(&d, 0, 1, "[待办 1]  全部 1   逾期 0   我的 0");
	/* the actions, numbered; 1 asks first */
	expect_row(&d, 1, 22, "可执行的动作：1 受理  2 不予受理");
	expect_row(&d, 1, 23, "确认执行「受理」？(y/n)");
	expect_row(&d, 2, 1, "编号 2611-001  状态 受理  部门 总经理室生产管理组");
	expect_row(&d, 2, 23, "没有执行「受理」");
	/* y: done, re-read, the clock it started */
	expect_row(&d, 3, 1, "编号 2611-001  状态 分派  部门 总经理室生产管理组");
	expect_row(&d, 3, 2, "登记人 李静  登记时间 2026-11-27 09:30  版本 2");
	expect_row(&d, 3, 4, "【时限】");
	expect_row(&d, 3, 5, "结案期限（国内十五天）  2026-12-15 00:00  进行中  尚余 17 天 14 小时");
	expect_has(&d, 3, "2026-11-27 10:00  张明  受理  受理 → 分派");
	expect_row(&d, 3, 22, "可执行的动作：1 分派");
	expect_row(&d, 3, 23, "已执行「受理」：案件 2611-001 现为「分派」");
	/* 1: the 分派 form; 4 picks the fourth department */
	expect_title_of(&d, 4, "kesu 客诉 — 张明（总经理室生产管理组）", "2611-001 分派", COLS_);
	expect_row(&d, 4, 1, "> 调查部门*");
	expect_row(&d, 4, 2, "");
	expect_row(&d, 4, 21, "空格切换：1 总经理室  2 总经理室生产管理组  3 业务部  4 质量管理部  5 制造部  6");
	expect_row(&d, 4, 22, "研发部  7 会计科  8 成品仓储");
	expect_row(&d, 4, 23, form_hints);
	expect_row(&d, 5, 1, "> 调查部门*  质量管理部");
	expect_row(&d, 5, 21, "空格切换：1 总经理室  2 总经理室生产管理组  3 业务部  [4 质量管理部]  5 制造部");
	/* saved through case_do: the case moved to the department */
	expect_row(&d, 6, 1, "编号 2611-001  状态 调查  部门 质量管理部");
	expect_row(&d, 6, 6, "调查报告（三天内）      2026-12-01 00:00  进行中  尚余 3 天 14 小时");
	expect_has(&d, 6, "调查部门  质量管理部");
	expect_row(&d, 6, 22, "可执行的动作：（无）");
	expect_row(&d, 6, 23, "已执行「分派」：案件 2611-001 现为「调查」");
	expect_row(&d, 7, 23, "张明 现在不能对案件 2611-001 执行任何动作");
	/* back on the queue: nothing left to do */
	expect_row(&d, 8, 1, "[待办 0]  全部 1   逾期 0   我的 1");
	expect_row(&d, 8, 3, "（没有案件）");
	dump_free(&d);
	free(a);
}

typedef struct other {
	const char *dir, *login, *no, *action;
	const form_kv *kv;
	size_t n;
	int hh, mm;
} other;

/* Someone else, on another connection, takes an action (":call other"). */
static void other_acts(session *s, void *ctx)
{
	(void)s;
	other *o = ctx;
	session *s2 = NULL;
	ks_err err = { "" };
	if (session_open(o->dir, &s2, &err) || session_login(s2, o->login, &err))
		fail_msg("other session: %s", err.msg);
	clock_set_now(clock_make(2026, 11, 27, o->hh, o->mm));
	if (case_do(s2, o->no, o->action, o->kv, o->n, -1, &err))
		fail_msg("other case_do: %s", err.msg);
	session_close(s2);
}

/* The case changes under an open form: the save is refused with who changed
 * it, the form keeps its values, y re-reads, and the next save meets the
 * case as it is now (here: no longer in a state that allows 分派). */
static void test_conflict(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	act(f->s, a, 10, 0, "accept", NULL, 0);
	form_kv mfg = { "dept", "manufacturing", 13 };
	other o = { f->dir, "guanli", a, "assign", &mfg, 1, 10, 30 };
	tui_script_call calls[] = { { "other", other_acts, &o }, { NULL, NULL, NULL } };
	clock_set_now(clock_make(2026, 11, 27, 10, 20));
	dump d = run_calls(f->s,
	             "<Enter>1\n"
	             "4\n"
	             ":call other\n"
	             "<C-S>\n"
	             ":dump\n"
	             "y\n"
	             ":dump\n"
	             "<F10>\n"
	             ":dump\n"
	             "<Esc>y\n"
	             ":dump\n", LINES_, COLS_, calls);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 4);
	expect_row(&d, 0, 1, "> 调查部门*  质量管理部");
	expect_row(&d, 0, 21, "案件 2611-001 已被 张明 于 2026-11-27 10:30 修改（「分派」，现为第 3 版，你看到");
	expect_row(&d, 0, 22, "的是第 2 版）");
	expect_row(&d, 0, 23, "重新读取案件并保留已填内容？(y/n)");
	expect_row(&d, 1, 1, "> 调查部门*  质量管理部");
	expect_row(&d, 1, 23, "已重新读取，已填内容保留；按 Ctrl-S 再次保存");
	expect_row(&d, 2, 1, "> 调查部门*  质量管理部");
	expect_row(&d, 2, 23, "案件 2611-001 当前状态为「调查」，不能执行「分派」");
	/* given up: the case as the other person left it */
	expect_row(&d, 3, 1, "编号 2611-001  状态 调查  部门 制造部");
	expect_row(&d, 3, 23, "已放弃，没有保存");
	dump_free(&d);

	/* an action without a form: the conflict is shown and the case re-read */
	assert_int_equal(session_login(f->s, "qiantai", &err), KS_OK);
	char *b = reg(f->s, 11, 0, "乙公司", "破损", "内容");
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	other o2 = { f->dir, "guanli", b, "accept", NULL, 0, 11, 10 };
	tui_script_call calls2[] = { { "other", other_acts, &o2 }, { NULL, NULL, NULL } };
	d = run_calls(f->s, "<Enter>1\n:call other\ny\n:dump\n", LINES_, COLS_, calls2);
	expect_row(&d, 0, 1, "编号 2611-002  状态 分派  部门 总经理室生产管理组");
	expect_row(&d, 0, 22, "案件 2611-002 已被 张明 于 2026-11-27 11:10 修改（「受理」，现为第 2 版，你看到");
	expect_row(&d, 0, 23, "的是第 1 版）；已重新读取");
	dump_free(&d);
	free(a);
	free(b);
}

static const form_kv report_kv[] = {
	{ "cause", "包装不足", 12 }, { "process", "运输中碰撞", 15 }, { "responsible", "包装组", 9 },
	{ "conclusion", "属实", 6 }, { "countermeasure", "加强包装", 12 }, { "prevention", "改用泡沫箱", 15 },
};

/* Bring case no to 答复: accepted, assigned to quality, reported, approved;
 * then log in as qiantai again. */
static void to_reply(session *s, const char *no)
{
	ks_err err = { "" };
	assert_int_equal(session_login(s, "guanli", &err), KS_OK);
	act(s, no, 10, 0, "accept", NULL, 0);
	form_kv dept = { "dept", "quality", 7 };
	act(s, no, 10, 15, "assign", &dept, 1);
	assert_int_equal(session_login(s, "zhijian", &err), KS_OK);
	act(s, no, 14, 0, "report", report_kv, sizeof report_kv / sizeof report_kv[0]);
	assert_int_equal(session_login(s, "yewujingli", &err), KS_OK);
	form_kv dec = { "decision", "同意换货", 12 };
	act(s, no, 15, 0, "approve", &dec, 1);
	assert_int_equal(session_login(s, "qiantai", &err), KS_OK);
}

/* A conflict after which the action still applies: the text typed before it
 * is what the second save records. */
static void test_conflict_reply(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, long_customer, long_subject, "内容");
	to_reply(f->s, a);
	form_kv other_kv[] = { { "method", "phone", 5 }, { "accepted", "no", 2 } };
	other o = { f->dir, "qiantai", a, "reply", other_kv, 2, 16, 0 };
	tui_script_call calls[] = { { "other", other_acts, &o }, { NULL, NULL, NULL } };
	clock_set_now(clock_make(2026, 11, 27, 15, 30));
	dump d = run_calls(f->s,
	             "<Enter>\n"
	             ":dump\n"
	             "1\n"
	             ":dump\n"
	             "1<Tab>y<Tab>已电话说明原因。<Enter>同意换货。\n"
	             ":call other\n"
	             "<C-S>\n"
	             ":dump\n"
	             "y\n"
	             ":dump\n"
	             "<C-S>\n"
	             ":dump\n"
	             "G\n"
	             ":dump\n", LINES_, COLS_, calls);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 6);
	expect_row(&d, 0, 2, "登记人 李静  登记时间 2026-11-27 09:30  版本 5");
	expect_row(&d, 0, 6, "调查报告（三天内）      2026-12-01 00:00  按时完成");
	expect_row(&d, 0, 22, "可执行的动作：1 答复客户  2 重新处理");
	static const char *const empty[] = { "> 答复方式*", "  客户是否接受*", "  答复内容", "" };
	expect_rows(&d, 1, 1, empty, 4);
	expect_row(&d, 1, 22, "空格切换：1 书信  2 电话");
	static const char *const typed[] = {
		"  答复方式*      书信", "  客户是否接受*  是", "> 答复内容       已电话说明原因。",
		"                 同意换货。",
	};
	expect_rows(&d, 2, 1, typed, 4);
	expect_row(&d, 2, 21, "案件 2611-001 已被 李静 于 2026-11-27 16:00 修改（「答复客户」，现为第 6 版，你");
	expect_row(&d, 2, 23, "重新读取案件并保留已填内容？(y/n)");
	expect_rows(&d, 3, 1, typed, 4);
	expect_row(&d, 4, 2, "登记人 李静  登记时间 2026-11-27 09:30  版本 7");
	expect_row(&d, 4, 23, "已执行「答复客户」：案件 2611-001 现为「答复」");
	expect_row(&d, 5, 14, "2026-11-27 16:00  李静  答复客户      答复 → 答复");
	/* the fields of each event in the order of the action's form */
	expect_row(&d, 5, 15, "                  答复方式：电话");
	expect_row(&d, 5, 16, "                  客户是否接受：否");
	expect_row(&d, 5, 17, "2026-11-27 16:00  李静  答复客户      答复 → 答复");
	expect_row(&d, 5, 18, "                  答复方式：书信");
	expect_row(&d, 5, 19, "                  客户是否接受：是");
	expect_row(&d, 5, 20, "                  答复内容：已电话说明原因。");
	expect_row(&d, 5, 21, "                            同意换货。");
	dump_free(&d);
	free(a);
}

/* The view tabs with their counts, the keys that switch them, and the
 * 期限 column: due time, time left within a day, how late ("!" without
 * colours). At 2026-12-01 10:00, for guanli:
 * (each view in due order: 002, 004, 003, then 001 without a running clock)
 *   001 受理, nobody acted             待办
 *   002 调查, report due 12-01 00:00   逾期 我的
 *   003 分派, closing due 12-15        待办 我的
 *   004 审核, opinion due 12-02 00:00  待办 我的 (may return it) */
static void test_tabs(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 30, "甲公司", "划伤", "内容");
	char *b = reg(f->s, 9, 40, "乙公司", "破损", "内容");
	char *c = reg(f->s, 9, 50, "丙公司", "错货", "内容");
	char *e = reg(f->s, 9, 55, "丁公司", "少货", "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	form_kv dept = { "dept", "quality", 7 };
	act(f->s, b, 10, 0, "accept", NULL, 0);
	act(f->s, b, 10, 15, "assign", &dept, 1);
	act(f->s, c, 10, 5, "accept", NULL, 0);
	act(f->s, e, 10, 10, "accept", NULL, 0);
	act(f->s, e, 10, 20, "assign", &dept, 1);
	assert_int_equal(session_login(f->s, "zhijian", &err), KS_OK);
	clock_set_now(clock_make(2026, 11, 30, 10, 0));
	if (case_do(f->s, e, "report", report_kv, sizeof report_kv / sizeof report_kv[0], -1, &err))
		fail_msg("report: %s", err.msg);
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	clock_set_now(clock_make(2026, 12, 1, 10, 0));
	dump d = run(f->s,
	             ":dump\n"
	             "<Tab>\n"
	             ":dump\n"
	             "3\n"
	             ":dump\n"
	             "<BTab>\n"
	             ":dump\n"
	             "4\n"
	             ":dump\n"
	             "9\n"
	             ":dump\n"
	             ":mono\n"
	             "2\n"
	             ":dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 7);
	/* something to do: the queue opens on 待办, in due order; the columns
	 * fit the cases of the view */
	expect_title_of(&d, 0, "kesu 客诉 — 张明（总经理室生产管理组）", "案件列表 1/3", COLS_);
	expect_row(&d, 0, 1, "[待办 3]  全部 4   逾期 1   我的 3");
	expect_row(&d, 0, 2, "编号      状态  期限         部门          客户    主题");
	expect_row(&d, 0, 3, "2611-004  审核  剩 14 小时   质量管理部    丁公司  少货");
	expect_row(&d, 0, 4, "2611-003  分派  12-15 00:00  总经理室生…   丙公司  错货");
	expect_row(&d, 0, 5, "2611-001  受理               总经理室生…   甲公司  划伤");
	expect_row(&d, 0, 6, "");
	/* Tab: 全部, every case, the earliest due first (the overdue one says
	 * how late), those without a running clock last; 004 still selected */
	expect_title_of(&d, 1, "kesu 客诉 — 张明（总经理室生产管理组）", "案件列表 2/4", COLS_);
	expect_row(&d, 1, 1, " 待办 3  [全部 4]  逾期 1   我的 3");
	expect_row(&d, 1, 3, "2611-002  调查  逾期 10 小时  质量管理部    乙公司  破损");
	expect_row(&d, 1, 4, "2611-004  审核  剩 14 小时    质量管理部    丁公司  少货");
	expect_row(&d, 1, 5, "2611-003  分派  12-15 00:00   总经理室生…   丙公司  错货");
	expect_row(&d, 1, 6, "2611-001  受理                总经理室生…   甲公司  划伤");
	/* 3: 逾期 */
	expect_row(&d, 2, 1, " 待办 3   全部 4  [逾期 1]  我的 3");
	expect_row(&d, 2, 3, "2611-002  调查  逾期 10 小时  质量管理部  乙公司  破损");
	expect_row(&d, 2, 4, "");
	/* Shift-Tab: back to 全部, the same case (002) still selected */
	expect_title_of(&d, 3, "kesu 客诉 — 张明（总经理室生产管理组）", "案件列表 1/4", COLS_);
	expect_row(&d, 3, 1, row(&d, 1, 1));
	expect_row(&d, 3, 3, row(&d, 1, 3));
	/* 4: 我的, the cases guanli acted on */
	expect_title_of(&d, 4, "kesu 客诉 — 张明（总经理室生产管理组）", "案件列表 1/3", COLS_);
	expect_row(&d, 4, 1, " 待办 3   全部 4   逾期 1  [我的 3]");
	expect_row(&d, 4, 3, "2611-002  调查  逾期 10 小时  质量管理部    乙公司  破损");
	expect_row(&d, 4, 5, "2611-003  分派  12-15 00:00   总经理室生…   丙公司  错货");
	expect_row(&d, 4, 6, "");
	expect_row(&d, 5, 23, "视图只有 4 个：1 待办  2 全部  3 逾期  4 我的");
	/* without colours the breached one is marked with "!" */
	expect_row(&d, 6, 1, row(&d, 1, 1));
	expect_row(&d, 6, 3, "2611-002  调查  !逾期 10 小时  质量管理部    乙公司  破损");
	expect_row(&d, 6, 4, "2611-004  审核  剩 14 小时     质量管理部    丁公司  少货");
	dump_free(&d);
	free(a); free(b); free(c); free(e);
}

/* The case screen's lines grow while a field is added: the line a label goes
 * on must be found after the array moved (a history field whose value
 * crossed a growth of the array wrote past its end). Every length of detail
 * from 0 to 70 lines puts the 调查部门 line of the history at another place. */
static void test_case_lines_grow(void **state)
{
	fixture *f = *state;
	ks_err err = { "" };
	form_kv dept = { "dept", "quality", 7 };
	for (int n = 0; n <= 70; n++) {
		char *detail = ks_strdup("起");
		for (int i = 0; i < n; i++) {
			char *x = ks_asprintf("%s\n第%d行", detail, i);
			free(detail);
			detail = x;
		}
		assert_int_equal(session_login(f->s, "qiantai", &err), KS_OK);
		char *no = reg(f->s, 9, 0, "甲公司", "划伤", detail);
		assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
		act(f->s, no, 10, 0, "accept", NULL, 0);
		act(f->s, no, 10, 10, "assign", &dept, 1);
		dump d = run(f->s, "<Enter>G\n:dump\n", LINES_, COLS_);
		assert_int_equal(d.code, 0);
		expect_has(&d, 0, "调查部门：质量管理部");
		dump_free(&d);
		free(no);
		free(detail);
	}
}

/* ---- search, reports, reminders, key bindings, edit locks -------------- */

/* Search: / opens the query line, Chinese typed into it, Enter searches;
 * the results are a queue with the matching fragment under each case (the
 * markers are drawn as highlighting, not as text); Enter opens a case. */
static void test_search(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 0, "甲公司", "外壳划伤", "外壳表面划伤三处");
	char *b = reg(f->s, 9, 10, "乙公司", "少货", "少了两箱螺丝");
	char *c = reg(f->s, 9, 20, "丙公司", "齿轮裂纹", "经热处理后齿轮出现裂纹");
	dump d = run(f->s,
	             "/\n:dump\n:cursor\n"
	             "热处理 裂纹<Enter>\n:dump\n"
	             "<Enter>\n:dump\n"
	             "q/<Backspace><Backspace><Backspace><Backspace><Backspace><Backspace>划伤<Enter>\n:dump\n"
	             "/<Backspace><Backspace>没有的词<Enter>\n:dump\n"
	             "/<Backspace><Backspace><Backspace><Backspace><Enter>\n:dump\n"
	             "<Esc>q\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 7);
	expect_title(&d, 0, "检索", COLS_);
	expect_row(&d, 0, 1, "检索：");
	assert_string_equal(d.cursor[0], "@cursor 1 6");
	expect_title(&d, 1, "检索 1/1", COLS_);
	expect_row(&d, 1, 1, "检索：热处理 裂纹");
	expect_row(&d, 1, 2, "编号      状态  部门                客户    主题");
	expect_row(&d, 1, 3, "2611-003  受理  总经理室生产管理组  丙公司  齿轮裂纹");
	/* the snippet, under the case, with the matches highlighted (not bracketed) */
	assert_int_equal(column_of(row(&d, 1, 4), "…裂纹"), 2);
	expect_has(&d, 1, "经热处理后…");
	assert_false(screen_has(&d, 1, "【"));
	/* Enter: the case */
	expect_title(&d, 2, "案件 2611-003", COLS_);
	/* back, / again: the query is edited, then searched again */
	expect_title(&d, 3, "检索 1/1", COLS_);
	expect_row(&d, 3, 1, "检索：划伤");
	expect_row(&d, 3, 3, "2611-001  受理  总经理室生产管理组  甲公司  外壳划伤");
	expect_row(&d, 4, 3, "（没有找到）");
	expect_row(&d, 4, 23, "没有找到与「没有的词」相符的案件");
	/* an empty query: the core's refusal on the status line, nothing changed */
	expect_row(&d, 5, 1, "检索：");
	expect_has(&d, 5, "检索");
	assert_true(strlen(row(&d, 5, 23)) > 0);
	expect_title(&d, 6, "案件列表 1/3", COLS_);
	dump_free(&d);
	free(a);
	free(b);
	free(c);
}

/* Reports: the monthly table of the current month with bars in block
 * characters; Left goes to the previous month. */
static void test_report(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 0, "甲公司", "划伤", "内容");
	char *b = reg(f->s, 9, 10, "乙公司", "少货", "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	clock_set_now(clock_make(2026, 11, 27, 12, 0));
	dump d = run(f->s, "R\n:dump\n<Left>\n:dump\n<Right><Right>\n:dump\nq\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 4);
	expect_title_of(&d, 0, "kesu 客诉 — 张明（总经理室生产管理组）", "月度报表 2026-11", COLS_);
	expect_row(&d, 1, 1, "2026-10-01 00:00 至 2026-11-01 00:00  范围：全部案件");
	expect_row(&d, 0, 3, "【概况】");
	/* the bar of the largest figure fills the line; the others are shares of it */
	char *full = ks_strdup("");
	for (int i = 0; i < COLS_ - 33 - 1; i++) {
		char *x = ks_asprintf("%s█", full);
		free(full);
		full = x;
	}
	char *want = ks_asprintf("  本月登记                    2  %s", full);
	expect_row(&d, 0, 4, want);
	free(want);
	expect_row(&d, 0, 5, "  其中已受理                  0");
	want = ks_asprintf("  月末未结                    2  %s", full);
	expect_row(&d, 0, 8, want);
	free(want);
	free(full);
	expect_title_of(&d, 1, "kesu 客诉 — 张明（总经理室生产管理组）", "月度报表 2026-10", COLS_);
	expect_row(&d, 1, 4, "  本月登记                    0");
	expect_title_of(&d, 2, "kesu 客诉 — 张明（总经理室生产管理组）", "月度报表 2026-12", COLS_);
	expect_title_of(&d, 3, "kesu 客诉 — 张明（总经理室生产管理组）", "案件列表 1/2", COLS_);
	dump_free(&d);
	free(a);
	free(b);
}

/* Reminders: a 催办单 for a late clock, addressed to the case's department,
 * reaches its people and not others; Enter opens the case. */
static void test_remind(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 0, "甲公司", "划伤", "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	act(f->s, a, 10, 0, "accept", NULL, 0);   /* starts 结案期限 */
	assert_int_equal(session_login(f->s, "qiantai", &err), KS_OK);
	store_reminder *v = NULL;
	size_t n = 0;
	/* long after every clock's due time */
	clock_set_now(clock_make(2026, 12, 28, 10, 0));
	assert_int_equal(deadline_remind(f->s, clock_now(), &v, &n, &err), KS_OK);
	assert_true(n > 0);
	store_reminders_free(v, n);
	/* 李静 (业务部) is not addressed */
	dump d = run(f->s, "m\n:dump\n", LINES_, COLS_);
	expect_title(&d, 0, "催办", COLS_);
	expect_row(&d, 0, 3, "（没有催办）");
	dump_free(&d);
	/* 张明 (总经理室生产管理组, where the case is) is */
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	d = run(f->s, "m\n:dump\n<Enter>\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 1, "发给我、总经理室生产管理组或我的角色的催办单、治办单、到期提醒");
	expect_row(&d, 0, 2, "种类    编号      时限         致              期限         情况");
	expect_row(&d, 0, 3, "催办单  2611-001  结案期限（…  总经理室生产…   12-15 00:00  已逾期 13 天 10 小时");
	expect_row(&d, 0, 4, "");
	expect_title_of(&d, 1, "kesu 客诉 — 张明（总经理室生产管理组）", "案件 2611-001", COLS_);
	dump_free(&d);
	/* the 催办单 escalated to the role gm (3 days after due) reaches its holder */
	assert_int_equal(session_login(f->s, "zongjingli", &err), KS_OK);
	d = run(f->s, "m\n:dump\n", LINES_, COLS_);
	expect_has(&d, 0, "催办单  2611-001");
	expect_has(&d, 0, "总经理");
	expect_row(&d, 0, 4, "");
	dump_free(&d);
	free(a);
}

/* Re-open f's session (the configuration is read again) as login. */
static void reopen(fixture *f, const char *login)
{
	ks_err err = { "" };
	session_close(f->s);
	f->s = NULL;
	if (session_open(f->dir, &f->s, &err))
		fail_msg("session_open: %s", err.msg);
	if (session_login(f->s, login, &err))
		fail_msg("session_login: %s", err.msg);
}

/* A level with `to: registrant` names one person: the reminders screen says
 * who (with the department), and it reaches that person, not only the
 * department it is about. */
static void test_remind_person(void **state)
{
	fixture *f = *state;
	char *p = ks_asprintf("%s/config/limits.yaml", f->dir);
	FILE *in = fopen(p, "r");
	assert_non_null(in);
	char buf[16384];
	size_t len = fread(buf, 1, sizeof buf - 1, in);
	fclose(in);
	buf[len] = '\0';
	char *at = strstr(buf, "      - after: 0\n");
	assert_non_null(at);
	at += strlen("      - after: 0\n");
	char *text = ks_asprintf("%.*s        to: registrant\n%s", (int)(at - buf), buf, at);
	char *cdir = ks_asprintf("%s/config", f->dir);
	t_write(cdir, "limits.yaml", text);
	free(cdir);
	free(text);
	free(p);
	reopen(f, "qiantai");
	char *a = reg(f->s, 9, 0, "甲公司", "划伤", "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	act(f->s, a, 10, 0, "accept", NULL, 0);
	store_reminder *v = NULL;
	size_t n = 0;
	clock_set_now(clock_make(2026, 12, 16, 10, 0));   /* the day after 结案期限 */
	assert_int_equal(deadline_remind(f->s, clock_now(), &v, &n, &err), KS_OK);
	assert_true(n > 0);
	store_reminders_free(v, n);
	/* 李静 registered it (业务部; the case is 总经理室生产管理组's) */
	assert_int_equal(session_login(f->s, "qiantai", &err), KS_OK);
	dump d = run(f->s, "m\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 1, "发给我、业务部或我的角色的催办单、治办单、到期提醒");
	expect_row(&d, 0, 3, "催办单  2611-001  结案期限（…   李静（总经理…   12-15 00:00  已逾期 1 天 10 小时");
	dump_free(&d);
	free(a);
}

/* The periodic tasks screen (t): the current period and the two before,
 * due times and status; Enter and y record the selected period done for
 * the responsible department; anyone else is refused by the engine and
 * nothing is recorded. */
static void test_tasks_screen(void **state)
{
	fixture *f = *state;
	char *cdir = ks_asprintf("%s/config", f->dir);
	t_write(cdir, "tasks.yaml",
	           "tasks:\n"
	           "  - key: monthly_table\n"
	           "    label: 填报投诉统计表\n"
	           "    period: monthly\n"
	           "    due: {day: 10}\n"
	           "    responsible: {dept: gm_prod}\n");
	free(cdir);
	clock_set_now(clock_make(2026, 12, 3, 10, 0));
	reopen(f, "qiantai");
	dump d = run(f->s, "t\n:dump\nj<Enter>\n:dump\ny\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	expect_title(&d, 0, "任务 1/3", COLS_);
	expect_row(&d, 0, 2, "任务            期       期限         情况  完成");
	expect_row(&d, 0, 3, "填报投诉统计表  2026-12  01-12 00:00  待办");
	expect_row(&d, 0, 4, "填报投诉统计表  2026-11  12-11 00:00  待办");
	expect_row(&d, 0, 5, "填报投诉统计表  2026-10  11-11 00:00  逾期");
	expect_row(&d, 1, 23, "记录「填报投诉统计表」2026-11 期已完成？(y/n)");
	expect_has(&d, 2, "不能记录完成");   /* 李静 (业务部) is not responsible: refused */
	expect_row(&d, 2, 4, "填报投诉统计表  2026-11  12-11 00:00  待办");
	dump_free(&d);

	reopen(f, "guanli");
	d = run(f->s, "t\nj<Enter>\ny\n:dump\n<Enter>\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	expect_row(&d, 0, 4, "填报投诉统计表  2026-11  12-11 00:00  已完成  12-03 10:00 张明");
	expect_row(&d, 0, 23, "已记录：填报投诉统计表 2026-11 期已完成");
	expect_row(&d, 1, 23, "「填报投诉统计表」2026-11 期已由 张明 完成");
	dump_free(&d);
	task_row *v = NULL;
	size_t n = 0;
	ks_err err;
	assert_int_equal(tasks_list(f->s, NULL, 2, clock_now(), &v, &n, &err), KS_OK);
	assert_int_equal(n, 3);
	assert_int_equal(v[1].status, TASKST_DONE);
	assert_string_equal(v[1].done_by, "guanli");
	task_rows_free(v, n);
}

/* tui.yaml replaces a request's keys, takes the keys it names from other
 * requests, and the help screen shows the keymap in effect. */
static void test_keymap_override(void **state)
{
	fixture *f = *state;
	char *cdir = ks_asprintf("%s/config", f->dir);
	t_write(cdir, "tui.yaml",
	           "edit_lock_minutes: 10\n"
	           "keys:\n"
	           "  search: [F3, s]\n"
	           "  move-down: [j, Down, Ctrl-N]\n"
	           "  report: [\"/\"]\n"
	           "  remind: []\n");
	reopen(f, "qiantai");
	char *a = reg(f->s, 9, 0, "甲公司", "划伤", "内容");
	char *b = reg(f->s, 9, 10, "乙公司", "少货", "内容");
	dump d = run(f->s, "?\n:dump\nq<C-N>\n:dump\nm\n:dump\n/\n:dump\nq<F3>\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	expect_row(&d, 0, 2, "j  Down  Ctrl-N    下移一行；表单中到下一栏");
	expect_row(&d, 0, 22, "F3  s              全文检索案件（中文任意长度）");
	/* Ctrl-N moves down */
	expect_title(&d, 1, "案件列表 2/2", COLS_);
	/* m is bound to nothing now */
	expect_row(&d, 2, 23, "按键 m 没有定义（按 ? 查看帮助）");
	/* / opens the report, F3 the search */
	expect_title(&d, 3, "月度报表 2026-11", COLS_);
	expect_title(&d, 4, "检索", COLS_);
	dump_free(&d);

	/* mistakes are reported FILE:LINE:COL, all of them, and nothing loads */
	t_write(cdir, "tui.yaml",
	           "edit_lock_minutes: ten\n"
	           "keys:\n"
	           "  serch: [F3]\n"
	           "  search: [F13, \"/\"]\n"
	           "  report: [\"/\"]\n"
	           "  move-down: [j, j]\n"
	           "colours: no\n");
	conf *cf = NULL;
	conf_diags diags = { 0 };
	assert_int_equal(conf_load(cdir, &cf, &diags), KS_INVALID);
	assert_null(cf);
	const char *want[] = {
		"tui.yaml:1:20: edit_lock_minutes 应为 0 到 1440 之间的整数（分钟）",
		"tui.yaml:3:3: 未知的请求 serch（可用：",
		"tui.yaml:4:12: 未知的按键 F13（",
		"tui.yaml:5:12: 按键 / 重复：已绑定给 search（第 4 行）",
		"tui.yaml:6:18: 按键 j 重复：已绑定给 move-down（第 6 行）",
		"tui.yaml:7:1: 未知的键 colours（此处可用的键：edit_lock_minutes, keys）",
	};
	assert_int_equal(diags.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < diags.n; i++)
		if (strncmp(diags.msgs[i], want[i], strlen(want[i])))
			fail_msg("diagnostic %zu:\n  got  «%s»\n  want «%s…»", i, diags.msgs[i], want[i]);
	conf_diags_free(&diags);
	free(cdir);
	free(a);
	free(b);
}

/* Someone else (another connection) takes the edit lock on a case */
typedef struct locker {
	const char *dir, *login, *no, *action;
	int hh, mm;
} locker;

static void other_locks(session *s, void *ctx)
{
	(void)s;
	locker *o = ctx;
	session *s2 = NULL;
	ks_err err = { "" };
	if (session_open(o->dir, &s2, &err) || session_login(s2, o->login, &err))
		fail_msg("other session: %s", err.msg);
	clock_set_now(clock_make(2026, 11, 27, o->hh, o->mm));
	editlock_holder *v = NULL;
	size_t n = 0;
	if (editlock_take(s2, o->no, o->action, &v, &n, &err))
		fail_msg("editlock_take: %s", err.msg);
	editlock_holders_free(v, n);
	session_close(s2);
}

/* The logins holding unexpired locks on case no at the current clock, "a,b". */
static char *lockers(session *s, const char *no)
{
	editlock_holder *v = NULL;
	size_t n = 0;
	ks_err err = { "" };
	if (editlock_list(s, no, &v, &n, &err))
		fail_msg("editlock_list: %s", err.msg);
	char *out = ks_strdup("");
	for (size_t i = 0; i < n; i++) {
		char *x = ks_asprintf("%s%s%s", out, i ? "," : "", v[i].login);
		free(out);
		out = x;
	}
	editlock_holders_free(v, n);
	return out;
}

/* The advisory lock: a form open on a case is recorded; another person is
 * named on the case screen and asked before opening a form there, may go on,
 * and the lock goes on save or Esc, or expires (tui.yaml: 10 minutes). */
static void test_edit_lock(void **state)
{
	fixture *f = *state;
	char *a = reg(f->s, 9, 0, long_customer, long_subject, "内容");
	ks_err err = { "" };
	assert_int_equal(session_login(f->s, "guanli", &err), KS_OK);
	act(f->s, a, 10, 0, "accept", NULL, 0);
	locker o = { f->dir, "zhijian", a, "assign", 10, 20 };
	tui_script_call calls[] = { { "lock", other_locks, &o }, { NULL, NULL, NULL } };
	clock_set_now(clock_make(2026, 11, 27, 10, 20));
	dump d = run_calls(f->s,
	                   "<Enter>\n"
	                   ":call lock\n"
	                   "<Tick>\n:dump\n"
	                   "1\n:dump\n"
	                   "n\n:dump\n"
	                   "1\n"
	                   "y4\n:dump\n"
	                   ":call lock\n"
	                   "<Esc>y\n:dump\n", LINES_, COLS_, calls);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 5);
	/* the case screen names who is editing */
	expect_row(&d, 0, 3, "正在由 陈立 编辑（「分派」，10:20 起，10:30 前有效）");
	/* 1 (分派): asked first */
	expect_row(&d, 1, 23, "正在由 陈立 编辑（「分派」，10:20 起，10:30 前有效）。仍要填写「分派」？(y/n)");
	expect_row(&d, 2, 23, "没有填写「分派」");
	/* y: the form opens */
	expect_title_of(&d, 3, "kesu 客诉 — 张明（总经理室生产管理组）", "2611-001 分派", COLS_);
	expect_row(&d, 3, 1, "> 调查部门*  质量管理部");
	/* Esc (and y: something was chosen): closed, lock released */
	expect_row(&d, 4, 1, "编号 2611-001  状态 分派  部门 总经理室生产管理组");
	dump_free(&d);
	char *l = lockers(f->s, a);
	assert_string_equal(l, "zhijian");
	free(l);
	/* while the form is open, the lock is there; after save it is gone */
	d = run(f->s, "<Enter>1y4\n:dump\n<C-S>\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 1, "> 调查部门*  质量管理部");
	expect_row(&d, 1, 1, "编号 2611-001  状态 调查  部门 质量管理部");
	dump_free(&d);
	l = lockers(f->s, a);
	assert_string_equal(l, "zhijian");
	free(l);
	/* ten minutes on, the other lock has expired */
	clock_set_now(clock_make(2026, 11, 27, 10, 30));
	l = lockers(f->s, a);
	assert_string_equal(l, "");
	free(l);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_case_back_quit, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_empty_queue, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_queue_pages, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_help, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_hostile_text, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_resize, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_keys_and_script_errors, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_case_scroll, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_history_and_actions, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_register_form, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_form_errors, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_actions, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_conflict_reply, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_tabs, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_case_lines_grow, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_remind, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_tasks_screen, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_remind_person, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_keymap_override, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_edit_lock, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_case_copies_penalties, setup, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
