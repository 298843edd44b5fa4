/* test_tui.c — the terminal screens, driven in-process tig-style: keys come
 * from a script, curses draws on /dev/null at 80x24, and each ":dump" writes
 * the screen as text, which is compared with the expected lines.
 *
 * Each test gets a fresh data directory built the way `kesu init` will:
 * config/ from config/presets/manufacturing and forms/ of the source tree
 * ($KESU_SRC, else the current directory), a new database, and a session
 * logged in as qiantai (李静, 业务部, who may register complaints). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kesu/tui.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/text.h"

#define LINES_ 24
#define COLS_ 80

typedef struct fixture {
	char dir[64];
	session *s;
} fixture;

/* ---- building a data directory ----------------------------------------- */

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	if (!in)
		fail_msg("cannot read %s", from);
	FILE *out = fopen(to, "wb");
	if (!out)
		fail_msg("cannot write %s", to);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Copy every *.yaml of directory from into directory to. */
static void copy_yaml(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d)
		fail_msg("cannot open %s (set KESU_SRC to the source tree)", from);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		char *a = ks_asprintf("%s/%s", from, e->d_name), *b = ks_asprintf("%s/%s", to, e->d_name);
		copy_file(a, b);
		free(a);
		free(b);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kesu-tui-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	const char *src = getenv("KESU_SRC") ? getenv("KESU_SRC") : ".";
	char *cdir = ks_asprintf("%s/config", f->dir), *fdir = ks_asprintf("%s/config/forms", f->dir);
	assert_int_equal(mkdir(cdir, 0700), 0);
	assert_int_equal(mkdir(fdir, 0700), 0);
	char *p = ks_asprintf("%s/config/presets/manufacturing", src);
	copy_yaml(p, cdir);
	free(p);
	p = ks_asprintf("%s/forms", src);
	copy_yaml(p, fdir);
	free(p);
	char *cal = ks_asprintf("%s/config/calendars/cn.yaml", src);
	char *dst = ks_asprintf("%s/calendar.yaml", cdir);
	if (access(cal, R_OK) == 0) {
		copy_file(cal, dst);
	} else {
		FILE *o = fopen(dst, "w");
		assert_non_null(o);
		fputs("calendar:\n  name: cn\n  timezone: Asia/Shanghai\n", o);
		fclose(o);
	}
	free(cal);
	free(dst);
	ks_err err = { "" };
	store *st = NULL;
	char *db = ks_asprintf("%s/kesu.db", f->dir);
	if (store_open(db, true, &st, &err))
		fail_msg("store_open: %s", err.msg);
	store_close(st);
	free(db);
	if (session_open(f->dir, &f->s, &err))
		fail_msg("session_open: %s", err.msg);
	if (session_login(f->s, "qiantai", &err))
		fail_msg("session_login: %s", err.msg);
	free(cdir);
	free(fdir);
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	fixture *f = *state;
	session_close(f->s);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
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
	char *no = NULL;
	ks_err err = { "" };
	if (case_register(s, kv, sizeof kv / sizeof kv[0], &no, &err))
		fail_msg("case_register: %s", err.msg);
	return no;
}

/* ---- running a script --------------------------------------------------- */

typedef struct dump {
	char **line;
	size_t n;      /* lines in all */
	int lines;     /* lines per screen */
	int code;      /* tui_run_script's result */
} dump;

static void maybe_show(const dump *d);

/* Run script on s at lines x cols and collect the dumped screens. */
static dump run(session *s, const char *script, int lines, int cols)
{
	FILE *keys = fmemopen((void *)script, strlen(script), "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(keys);
	assert_non_null(out);
	dump d = { .lines = lines };
	d.code = tui_run_script(s, keys, out, lines, cols);
	fclose(keys);
	fclose(out);
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		d.line = realloc(d.line, (d.n + 1) * sizeof *d.line);
		d.line[d.n++] = ks_strndup(p, (size_t)(nl - p));
	}
	free(buf);
	maybe_show(&d);
	return d;
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

	/* the queue, newest first, columns aligned by display width */
	expect_title(&d, 0, "案件列表 1/2", COLS_);
	expect_row(&d, 0, 1, "编号      状态  部门          客户          主题                登记时间");
	expect_row(&d, 0, 2, "2611-002  受理  总经理室生…   ACME Ltd.     包装破损            2026-11-27 10:05");
	expect_row(&d, 0, 3, "2611-001  受理  总经理室生…   上海华东精…   外壳表面划伤严重…   2026-11-27 09:30");
	expect_row(&d, 0, 4, "");
	expect_row(&d, 0, 23, "Enter 打开  q 退出  ? 帮助  r 刷新  j 下移  k 上移");
	for (int y = 1; y <= 3; y++) {
		assert_int_equal(column_of(row(&d, 0, y), y == 1 ? "客户" : y == 2 ? "ACME" : "上海"), 30);
		assert_int_equal(column_of(row(&d, 0, y), y == 1 ? "主题" : y == 2 ? "包装" : "外壳"), 44);
		assert_int_equal(column_of(row(&d, 0, y), y == 1 ? "登记时间" : "2026-11-27"), 64);
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
	expect_row(&d, 2, 3, row(&d, 0, 3));
	expect_row(&d, 2, 23, row(&d, 0, 23));
	dump_free(&d);
	free(a);
	free(b);
}

static void test_empty_queue(void **state)
{
	fixture *f = *state;
	dump d = run(f->s, ":dump\nj<Enter>\n:dump\n", LINES_, COLS_);
	assert_int_equal(d.code, 0);
	assert_int_equal(screens(&d), 2);
	expect_title(&d, 0, "案件列表", COLS_);
	expect_row(&d, 0, 1, "编号  状态  部门  客户  主题                                            登记时间");
	expect_row(&d, 0, 2, "（没有案件）");
	expect_row(&d, 1, 2, "（没有案件）");
	expect_row(&d, 1, 23, "没有可打开的案件");
	dump_free(&d);
}

/* The help screen is generated from the keymap table. */
static void test_help(void **state)
{
	fixture *f = *state;
	dump d = run(f->s, "?\n:dump\nq\n:dump\n", LINES_, COLS_);
	assert_int_equal(screens(&d), 2);
	expect_title(&d, 0, "按键帮助", COLS_);
	expect_row(&d, 0, 1, "按键         动作");
	expect_row(&d, 0, 2, "j  Down      下移一行");
	expect_row(&d, 0, 3, "k  Up        上移一行");
	expect_row(&d, 0, 4, "Space  PgDn  下翻一页");
	expect_row(&d, 0, 8, "Enter        打开所选案件");
	expect_row(&d, 0, 10, "Ctrl-L       重绘整个屏幕");
	expect_row(&d, 0, 12, "q            返回上一屏；在案件列表中退出");
	expect_row(&d, 0, 13, "Q            退出 kesu");
	expect_row(&d, 0, 23, "q 返回  j 下移  k 上移");
	expect_row(&d, 1, 2, "（没有案件）");
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
	expect_row(&d, 0, 2, "2611-009  受理  总经理室生…   ^[[2J恶意客户  abc<U+202E>def^G   2026-11-27 11:00");
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
	expect_row(&d, 0, 2, "2611-001  受理  总经理室生…   上海华东精密机械股…   外壳表面划伤严重，客户要求整…   2026-11-27 09:30");
	/* 50 columns: no room for the time and the department */
	assert_string_equal(d.line[30 + 1], "编号      状态  客户          主题");
	assert_string_equal(d.line[30 + 2], "2611-001  受理  上海华东精…   外壳表面划伤严重，…");
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
	expect_row(&d, 0, 22, "可执行的动作：受理  不予受理");
	dump_free(&d);

	act(f->s, a, 10, 0, "accept", NULL, 0);
	form_kv dept = { "dept", "quality", 7 };
	act(f->s, a, 10, 15, "assign", &dept, 1);
	d = run(f->s, "<Enter>\n:dump\n", LINES_, COLS_);
	expect_row(&d, 0, 1, "编号 2611-001  状态 调查  部门 质量管理部");
	expect_row(&d, 0, 2, "登记人 李静  登记时间 2026-11-27 09:30  版本 3");
	expect_has(&d, 0, "【其他】");
	expect_has(&d, 0, "调查部门  质量管理部");
	expect_has(&d, 0, "2026-11-27 09:30  李静  登记  → 受理");
	expect_has(&d, 0, "2026-11-27 10:00  张明  受理  受理 → 分派");
	expect_has(&d, 0, "2026-11-27 10:15  张明  分派  分派 → 调查");
	expect_has(&d, 0, "                  调查部门：质量管理部");
	expect_row(&d, 0, 22, "可执行的动作：（无）");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_case_back_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_and_script_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_scroll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_and_actions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
