/* test_penalty.c — responsibility and penalties (docs/penalty.md).
 *
 * Table-driven, with numbers checked by hand (the working is in the
 * comments): splitting by shares and by 基点 with the largest remainder, the
 * responsibility field, the 50% cap with its carry-forward, 大过 twice in a
 * month, the P10 count thresholds. A property test splits random amounts by
 * random shares. Then the engine on the manufacturing preset: entries at
 * closure, a re-closure booking only the difference, a breached clock, the
 * 奖罚通知单 copies, reversals, and the monthly ledger. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include "kesu/penalty.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "testlib.h"

/* ---- a configuration with a workshop and its groups ------------------------ */

/* manufacturing (制造部) gets a group line1 (一号线) with three people on
 * 基点 120, 100, 80, one inactive and one without 基点; nobody_grp has only
 * people without 基点. */
static const char extra_depts[] =
	"  - {code: line1, name: 一号线, parent: manufacturing}\n"
	"  - {code: nobody_grp, name: 空班组, parent: manufacturing}\n";
static const char extra_staff[] =
	"  - {login: ban1, name: 钱一, dept: line1, roles: [investigator], base_points: 120, monthly_bonus: 3000}\n"
	"  - {login: ban2, name: 孙二, dept: line1, roles: [investigator], base_points: 100, monthly_bonus: 3000}\n"
	"  - {login: ban3, name: 李三, dept: line1, roles: [investigator], base_points: 80, monthly_bonus: 3000}\n"
	"  - {login: ban4, name: 周四, dept: line1, roles: [investigator], base_points: 50, active: false}\n"
	"  - {login: ban5, name: 吴五, dept: line1, roles: [investigator]}\n"
	"  - {login: ban6, name: 郑六, dept: nobody_grp, roles: [investigator], base_points: 0}\n";

/* penalty.yaml for the engine tests: the preset's loss rule and cap, a
 * delay rule on the report clock, 大过 twice, and a P10 count rule on the
 * complaint's 被投诉人. */
static const char test_penalty_yaml[] =
	"penalty:\n"
	"  on: [close]\n"
	"  loss_field: loss\n"
	"  responsibility_field: responsibility\n"
	"  cap: {bonus_per_mille: 500}\n"
	"  see: [gm, coordinator]\n"
	"  decide: [gm]\n"
	"  rules:\n"
	"    - {code: loss, label: 客诉损失分摊, kind: loss}\n"
	"    - {code: late, label: 处理逾期, kind: delay, amount: 50, clocks: [report], to: actor}\n"
	"  sanctions:\n"
	"    levels:\n"
	"      - {code: warning, label: 警告}\n"
	"      - {code: minor, label: 小过, amount: 100}\n"
	"      - {code: major, label: 大过}\n"
	"    monthly:\n"
	"      - {code: major_twice, label: 大过两次, level: major, min: 2, bonus_per_mille: 1000}\n"
	"  counts:\n"
	"    - code: complaints\n"
	"      label: 当月被投诉\n"
	"      field: accused\n"
	"      steps:\n"
	"        - {min: 3, amount: 200, label: 公开批评并负激励200元}\n"
	"        - {min: 4, amount: 300, label: 公开批评并负激励300元}\n"
	"        - {min: 5, flag: dismissal, label: 辞退, when: {category: quality}}\n"
	"  rewards:\n"
	"    - {code: clean_year, label: 全年无投诉奖励, count: complaints, amount: 500, roles: [investigator]}\n"
	"  notice:\n"
	"    title: 奖罚通知单\n"
	"    copies:\n"
	"      - {no: 1, holder: gm_office, purpose: 自存}\n"
	"      - {no: 2, holder: accounting, purpose: 会计单位查核}\n"
	"      - {no: 3, holder: person_dept, purpose: 送处罚部门处罚奖金}\n";

static void append(const char *dir, const char *name, const char *text)
{
	char *p = ks_asprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "a");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	free(p);
}

typedef struct fixture {
	char *dir;
	conf *cf;      /* pure tests */
	session *s;    /* engine tests */
} fixture;

static char *make_dir(bool own_penalty)
{
	char *dir = t_tmpdir();
	t_config(dir, "manufacturing");
	char *cfg = ks_asprintf("%s/config", dir);
	append(cfg, "departments.yaml", extra_depts);
	append(cfg, "staff.yaml", extra_staff);
	if (own_penalty)
		t_write(cfg, "penalty.yaml", test_penalty_yaml);
	free(cfg);
	return dir;
}

static int setup_conf(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = make_dir(false);
	char *cfg = ks_asprintf("%s/config", f->dir);
	conf_diags d = {0};
	if (conf_load(cfg, &f->cf, &d) != KS_OK)
		fail_msg("%s", d.n ? d.msgs[0] : "conf_load");
	conf_diags_free(&d);
	free(cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->s)
		session_close(f->s);
	conf_free(f->cf);
	t_rmdir(f->dir);
	free(f);
	clock_set_now((time_t)-1);
	return 0;
}

static int setup_session(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = make_dir(true);
	f->s = t_session(f->dir);
	*state = f;
	return 0;
}

/* ---- penalty_split: hand-checked tables ------------------------------------- */

typedef struct split_case {
	const char *what;
	long long total;
	long long w[6];
	size_t n;
	long long want[6];
} split_case;

static const split_case splits[] = {
	/* 10001 × 333/1000 = 3330.333, × 334/1000 = 3340.334: 10000 given out, the
	 * last fen to the largest remainder (334) */
	{ "10,001 fen by 333/333/334", 10001, { 333, 333, 334 }, 3, { 3330, 3330, 3341 } },
	/* remainders 333, 333, 334 (of 1000) again, but the 334 comes first */
	{ "10,001 fen by 334/333/333", 10001, { 334, 333, 333 }, 3, { 3341, 3330, 3330 } },
	/* 100 / 3 = 33 r 1: a tie between equal remainders goes to the earlier part */
	{ "100 fen three equal ways", 100, { 1, 1, 1 }, 3, { 34, 33, 33 } },
	{ "2 fen three equal ways", 2, { 1, 1, 1 }, 3, { 1, 1, 0 } },
	/* 10001 × 120/300 = 4000 r 120, × 100/300 = 3333 r 200, × 80/300 = 2666 r 280:
	 * two fen left, to 280 then 200 */
	{ "10,001 fen by 基点 120/100/80", 10001, { 120, 100, 80 }, 3, { 4000, 3334, 2667 } },
	{ "exact split", 100000, { 600, 400 }, 2, { 60000, 40000 } },
	{ "a zero weight gets nothing", 7, { 0, 1, 1 }, 3, { 0, 4, 3 } },
	{ "nothing to split", 0, { 5, 5 }, 2, { 0, 0 } },
	{ "one part takes all", 12345, { 1000 }, 1, { 12345 } },
	/* 1 × 1/7 … : remainders 1 each, seven fen… only one to give, to the first */
	{ "one fen, seven ways", 1, { 1, 1, 1, 1, 1, 1 }, 6, { 1, 0, 0, 0, 0, 0 } },
};

static void test_split_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof splits / sizeof *splits; i++) {
		const split_case *c = &splits[i];
		long long got[6] = {0};
		ks_err err;
		if (penalty_split(c->total, c->w, c->n, got, &err))
			fail_msg("%s: %s", c->what, err.msg);
		for (size_t k = 0; k < c->n; k++)
			if (got[k] != c->want[k])
				fail_msg("%s: part %zu is %lld, want %lld", c->what, k, got[k], c->want[k]);
	}
}

static void test_split_refuses(void **state)
{
	(void)state;
	long long parts[3];
	ks_err err;
	assert_int_equal(penalty_split(-1, (long long[]){ 1 }, 1, parts, &err), KS_INVALID);
	assert_int_equal(penalty_split(PENALTY_MAX_FEN + 1, (long long[]){ 1 }, 1, parts, &err), KS_INVALID);
	assert_int_equal(penalty_split(10, (long long[]){ 0, 0 }, 2, parts, &err), KS_INVALID);
	assert_int_equal(penalty_split(10, (long long[]){ 1, -1 }, 2, parts, &err), KS_INVALID);
	assert_int_equal(penalty_split(10, NULL, 0, parts, &err), KS_INVALID);
	/* the largest amounts and weights don't overflow */
	long long big[2];
	assert_int_equal(penalty_split(PENALTY_MAX_FEN, (long long[]){ PENALTY_MAX_WEIGHT - 1, 1 }, 2, big, &err), KS_OK);
	assert_true(big[0] + big[1] == PENALTY_MAX_FEN);
	/* a fraction is rounded half up to the fen */
	assert_int_equal(penalty_fraction(10001, 500), 5001);   /* 5000.5 */
	assert_int_equal(penalty_fraction(10001, 1000), 10001);
	assert_int_equal(penalty_fraction(3, 333), 1);          /* 0.999 */
	assert_int_equal(penalty_fraction(1, 499), 0);          /* 0.499 */
}

/* Property: for random totals and weights, the parts add up to the total,
 * none is negative, and each is within one fen of its exact share. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_split_property(void **state)
{
	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n = 1 + next_rand() % 12;
		long long w[12], parts[12], sum_w = 0;
		for (size_t i = 0; i < n; i++) {
			w[i] = (long long)(next_rand() % (round % 3 == 0 ? 3 : 1001)); /* many ties and zeros too */
			sum_w += w[i];
		}
		if (sum_w == 0)
			w[n - 1] = sum_w = 1;
		long long total = round % 5 == 0 ? (long long)(next_rand() % 100)
		                                 : (long long)(next_rand() % (uint64_t)PENALTY_MAX_FEN);
		ks_err err;
		if (penalty_split(total, w, n, parts, &err))
			fail_msg("round %d: %s", round, err.msg);
		long long sum = 0;
		for (size_t i = 0; i < n; i++) {
			assert_true(parts[i] >= 0);
			/* |part × W − total × w| < W */
			__int128 diff = (__int128)parts[i] * sum_w - (__int128)total * w[i];
			if (diff < 0)
				diff = -diff;
			assert_true(diff < sum_w);
			sum += parts[i];
		}
		assert_true(sum == total);
	}
}

/* ---- the responsibility field ---------------------------------------------- */

typedef struct resp_case {
	const char *text;
	const char *canon;   /* NULL: refused, and the message holds `msg` */
	const char *msg;
} resp_case;

static const resp_case resps[] = {
	{ "shengchan:600,zhijian:400", "shengchan:600,zhijian:400", NULL },
	{ " shengchan : 600 ， quality：400 ", "shengchan:600,quality:400", NULL },
	{ "制造部:1000", "manufacturing:1000", NULL },                 /* a department by name */
	{ "line1:333,ban1:333,manufacturing:334", "line1:333,ban1:333,manufacturing:334", NULL },
	{ "shengchan:600,zhijian:300", NULL, "900‰" },
	{ "shengchan:600,zhijian:500", NULL, "1100‰" },
	{ "shengchan:1000,zhijian:0", NULL, "1 到 1000" },
	{ "shengchan:60%,zhijian:40%", NULL, "1 到 1000" },
	{ "shengchan:+600,zhijian:400", NULL, "1 到 1000" },
	{ "nobody:1000", NULL, "nobody" },
	{ "shengchan:500,shengchan:500", NULL, "不止一次" },
	{ "shengchan", NULL, "单位:千分比" },
	{ "shengchan:500,,zhijian:500", NULL, "第 2 项" },
	{ "nobody_grp:1000", NULL, "基点" },                          /* nobody there has 基点 */
	{ "", NULL, "为空" },
};

static void test_resp_table(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < sizeof resps / sizeof *resps; i++) {
		const resp_case *c = &resps[i];
		penalty_share *v = NULL;
		size_t n = 0;
		ks_err err = {{0}};
		ks_status rc = penalty_resp_parse(f->cf, c->text, "「责任归属」", &v, &n, &err);
		if (c->canon) {
			if (rc)
				fail_msg("\"%s\": refused: %s", c->text, err.msg);
			char *t = penalty_resp_text(v, n);
			if (strcmp(t, c->canon))
				fail_msg("\"%s\" -> \"%s\", want \"%s\"", c->text, t, c->canon);
			free(t);
		} else {
			if (rc != KS_INVALID)
				fail_msg("\"%s\" accepted", c->text);
			if (!strstr(err.msg, c->msg) || !strstr(err.msg, "「责任归属」"))
				fail_msg("\"%s\": message \"%s\" lacks \"%s\"", c->text, err.msg, c->msg);
		}
		penalty_shares_free(v, n);
	}
}

/* ---- allocation to people ------------------------------------------------------ */

typedef struct alloc_case {
	const char *what, *resp;
	long long amount;
	struct { const char *login, *unit; long long fen; } want[8];
	size_t n;
} alloc_case;

static const alloc_case allocs[] = {
	/* individual fault: the whole loss on the person */
	{ "individual", "shengchan:1000", 123456, { { "shengchan", "shengchan", 123456 } }, 1 },
	/* joint fault by share: see the first split table row */
	{ "joint 333/333/334", "shengchan:333,zhijian:333,zhiguan:334", 10001,
	  { { "shengchan", "shengchan", 3330 }, { "zhijian", "zhijian", 3330 }, { "zhiguan", "zhiguan", 3341 } }, 3 },
	/* a group by 基点 120/100/80; ban4 (inactive) and ban5 (no 基点) share nothing */
	{ "group by 基点", "line1:1000", 10001,
	  { { "ban1", "line1", 4000 }, { "ban2", "line1", 3334 }, { "ban3", "line1", 2667 } }, 3 },
	/* 10001 × 600 = 6000.6, × 400 = 4000.4: ban1 6001, line1 4000; line1's 4000 by
	 * 120/100/80 = 1600, 1333.33, 1066.67: the fen left goes to ban3 (r 200 > 100) */
	{ "a person and their group", "ban1:600,line1:400", 10001,
	  { { "ban1", "ban1", 6001 }, { "ban1", "line1", 1600 }, { "ban2", "line1", 1333 }, { "ban3", "line1", 1067 } }, 4 },
	/* the whole workshop (全车间): shengchan 100 and the group 120/100/80, of 400 */
	{ "whole workshop", "manufacturing:1000", 40000,
	  { { "shengchan", "manufacturing", 10000 }, { "ban1", "manufacturing", 12000 },
	    { "ban2", "manufacturing", 10000 }, { "ban3", "manufacturing", 8000 } }, 4 },
	/* 1 fen between two people: the tie goes to the first */
	{ "one fen", "zhijian:500,shengchan:500", 1, { { "zhijian", "zhijian", 1 } }, 1 },
};

static void test_allocate_table(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < sizeof allocs / sizeof *allocs; i++) {
		const alloc_case *c = &allocs[i];
		penalty_share *v;
		size_t nv, np;
		penalty_part *p;
		ks_err err;
		if (penalty_resp_parse(f->cf, c->resp, NULL, &v, &nv, &err) ||
		    penalty_allocate(f->cf, c->amount, v, nv, &p, &np, &err))
			fail_msg("%s: %s", c->what, err.msg);
		if (np != c->n)
			fail_msg("%s: %zu parts, want %zu", c->what, np, c->n);
		long long sum = 0;
		for (size_t k = 0; k < np; k++) {
			if (strcmp(p[k].login, c->want[k].login) || strcmp(p[k].unit, c->want[k].unit) || p[k].fen != c->want[k].fen)
				fail_msg("%s: part %zu is %s/%s %lld, want %s/%s %lld", c->what, k, p[k].login, p[k].unit, p[k].fen,
				         c->want[k].login, c->want[k].unit, c->want[k].fen);
			sum += p[k].fen;
		}
		assert_true(sum == c->amount);
		free(p);
		penalty_shares_free(v, nv);
	}
}

/* Property: random responsibilities over the staff and departments with 基点. */
static void test_allocate_property(void **state)
{
	fixture *f = *state;
	static const char *const units[] = { "shengchan", "zhijian", "zhiguan", "ban1", "ban2", "line1",
	                                     "manufacturing", "quality", "sales", "gm_office" };
	const size_t nunits = sizeof units / sizeof *units;
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + next_rand() % nunits, start = next_rand() % nunits;
		/* n distinct units with shares adding up to 1000 (each ≥ 1) */
		long long cut[11];
		char *text = ks_strdup("");
		int left = 1000;
		for (size_t i = 0; i < n; i++) {
			int share = i + 1 == n ? left : 1 + (int)(next_rand() % (uint64_t)(left - (int)(n - i - 1)));
			if (share > left - (int)(n - i - 1))
				share = left - (int)(n - i - 1);
			left -= share;
			cut[i] = share;
			char *t = ks_asprintf("%s%s%s:%d", text, i ? "," : "", units[(start + i) % nunits], share);
			free(text);
			text = t;
		}
		long long amount = (long long)(next_rand() % 100000000000ULL);
		penalty_share *v;
		size_t nv, np;
		penalty_part *p;
		ks_err err;
		if (penalty_resp_parse(f->cf, text, NULL, &v, &nv, &err) ||
		    penalty_allocate(f->cf, amount, v, nv, &p, &np, &err))
			fail_msg("%s: %s", text, err.msg);
		long long sum = 0;
		for (size_t k = 0; k < np; k++) {
			assert_true(p[k].fen > 0);
			sum += p[k].fen;
		}
		if (sum != amount)
			fail_msg("%s of %lld: parts add up to %lld", text, amount, sum);
		(void)cut;
		free(p);
		penalty_shares_free(v, nv);
		free(text);
	}
}

/* ---- the monthly cap and carry-forward ------------------------------------------ */

typedef struct sched_case {
	const char *what;
	int cap_pm;
	size_t n;
	penalty_month_in in[6];
	penalty_month_out want[6];   /* cap, carried_in, deducted, carried_forward */
} sched_case;

#define B3000 300000LL
static const sched_case scheds[] = {
	/* a 3,000 元 bonus, cap 50% = 1,500 元; 2,000 + 1,800 + 1,600 元 in three
	 * months running, then nothing:
	 *   month 1: due 2,000          → take 1,500, carry   500
	 *   month 2: due   500 + 1,800  → take 1,500, carry   800
	 *   month 3: due   800 + 1,600  → take 1,500, carry   900
	 *   month 4: due   900          → take   900, carry     0 */
	{ "three months over the cap", 500, 4,
	  { { 200000, 0, B3000 }, { 180000, 0, B3000 }, { 160000, 0, B3000 }, { 0, 0, B3000 } },
	  { { 150000, 0, 150000, 50000 }, { 150000, 50000, 150000, 80000 }, { 150000, 80000, 150000, 90000 },
	    { 150000, 90000, 90000, 0 } } },
	/* under the cap: everything is taken */
	{ "under the cap", 500, 2, { { 100000, 0, B3000 }, { 150000, 0, B3000 } },
	  { { 150000, 0, 100000, 0 }, { 150000, 0, 150000, 0 } } },
	/* 大过 twice: the whole 3,000 元 outside the cap leaves no room this month;
	 * the 1,000 元 within the cap waits for next month */
	{ "whole bonus taken", 500, 2, { { 100000, 300000, B3000 }, { 0, 0, B3000 } },
	  { { 150000, 0, 300000, 100000 }, { 150000, 100000, 100000, 0 } } },
	/* 2,800 元 outside the cap leaves 200 元 of the bonus: only that is taken */
	{ "little room left", 500, 1, { { 100000, 280000, B3000 } }, { { 150000, 0, 300000, 80000 } } },
	/* a reversal after the money was taken: refunded in its month */
	{ "refund", 500, 2, { { 200000, 0, B3000 }, { -200000, 0, B3000 } },
	  { { 150000, 0, 150000, 50000 }, { 150000, 50000, -150000, 0 } } },
	/* no bonus known, or no cap configured: everything due is taken */
	{ "no bonus", 500, 1, { { 200000, 1000, PENALTY_NO_BONUS } }, { { -1, 0, 201000, 0 } } },
	{ "no cap", -1, 1, { { 200000, 0, B3000 } }, { { -1, 0, 200000, 0 } } },
	/* an odd bonus: the cap rounds down to the fen (3,000.01 × 50% = 1,500.005) */
	{ "cap rounds down", 500, 1, { { 200000, 0, 300001 } }, { { 150000, 0, 150000, 50000 } } },
};

static void test_schedule_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof scheds / sizeof *scheds; i++) {
		const sched_case *c = &scheds[i];
		penalty_month_out got[6];
		penalty_schedule(c->cap_pm, c->in, c->n, got);
		for (size_t k = 0; k < c->n; k++) {
			const penalty_month_out *g = &got[k], *w = &c->want[k];
			if (g->cap != w->cap || g->carried_in != w->carried_in || g->deducted != w->deducted ||
			    g->carried_forward != w->carried_forward)
				fail_msg("%s, month %zu: cap %lld in %lld took %lld fwd %lld; want %lld %lld %lld %lld", c->what,
				         k + 1, g->cap, g->carried_in, g->deducted, g->carried_forward, w->cap, w->carried_in,
				         w->deducted, w->carried_forward);
		}
	}
}

/* ---- P10 count thresholds ---------------------------------------------------------- */

static void test_count_thresholds(void **state)
{
	fixture *f = *state;
	char *path = ks_asprintf("%s/p10.yaml", f->dir);
	t_write(f->dir, "p10.yaml",
	        "penalty:\n"
	        "  on: [close]\n"
	        "  counts:\n"
	        "    - code: complaints\n"
	        "      label: 当月被投诉\n"
	        "      field: respondent\n"
	        "      steps:\n"
	        "        - {min: 3, amount: 200, label: 公开批评并负激励200元}\n"
	        "        - {min: 4, amount: 300, label: 公开批评并负激励300元}\n"
	        "        - {min: 5, flag: dismissal, label: 辞退, when: {severity: serious}}\n");
	penconf *p = NULL;
	conf_diags d = {0};
	if (penconf_load(path, "p10.yaml", NULL, &p, &d))
		fail_msg("%s", d.n ? d.msgs[0] : "penconf_load");
	static const struct { size_t count; bool serious; long long amount; bool dismissal; } rows[] = {
		{ 0, false, 0, false },   { 2, false, 0, false },     { 2, true, 0, false },
		{ 3, false, 20000, false }, { 4, false, 30000, false }, { 5, false, 30000, false },
		{ 5, true, 30000, true },  { 9, true, 30000, true },
	};
	const penconf_count *r = &p->counts[0];
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		bool cond[3] = { true, true, rows[i].serious }, flags[3];
		int as;
		penalty_count_steps(r, rows[i].count, cond, &as, flags);
		long long amount = as >= 0 ? r->steps[as].amount_fen : 0;
		if (amount != rows[i].amount || flags[2] != rows[i].dismissal || flags[0] || flags[1])
			fail_msg("%zu complaints%s: %lld fen, dismissal %d", rows[i].count, rows[i].serious ? " (serious)" : "",
			         amount, flags[2]);
	}
	penconf_free(p);
	conf_diags_free(&d);
	free(path);
}

static void test_penconf_diagnostics(void **state)
{
	fixture *f = *state;
	t_write(f->dir, "bad.yaml",
	        "penalty:\n"
	        "  on: [close, vanish]\n"
	        "  loss_field: customer\n"
	        "  cap: {bonus_per_mille: 1500}\n"
	        "  rules:\n"
	        "    - {code: loss, label: x, kind: fine, when: [{region: domestic}, {}]}\n"
	        "  sanctions:\n"
	        "    monthly: [{code: m, level: major, min: 2, label: y, bonus_per_mille: 1000}]\n"
	        "  notice: {title: t, copies: [{no: 1, holder: nowhere, purpose: p}]}\n");
	char *path = ks_asprintf("%s/bad.yaml", f->dir);
	penconf *p = NULL;
	conf_diags d = {0};
	assert_int_equal(penconf_load(path, "penalty.yaml", f->cf, &p, &d), KS_INVALID);
	assert_null(p);
	static const char *const want[] = {
		"penalty.yaml:2:7: on 引用了未定义的动作 vanish",
		"penalty.yaml:3:15: loss_field 的字段 customer 应为 money 类型",
		"penalty.yaml:4:26: bonus_per_mille 应为 0 到 1000 之间的整数",
		"penalty.yaml:6:36: kind 应为 loss",
		"penalty.yaml:6:69: when 列表的第 2 项没有条件",
		"penalty.yaml:8:32: level 引用了未定义的处分级别 major",
		"penalty.yaml:9:47: holder 应为部门代码",
	};
	assert_int_equal(d.n, sizeof want / sizeof *want);
	for (size_t i = 0; i < d.n; i++)
		if (strncmp(d.msgs[i], want[i], strlen(want[i])))
			fail_msg("diagnostic %zu is \"%s\", want \"%s…\"", i, d.msgs[i], want[i]);
	conf_diags_free(&d);
	free(path);
	/* the preset's own file is valid */
	path = ks_asprintf("%s/config/presets/manufacturing/penalty.yaml", t_src());
	assert_int_equal(penconf_load(path, NULL, f->cf, &p, &d), KS_OK);
	assert_int_equal(p->cap_per_mille, 500);
	assert_string_equal(p->notice_form, "penalty_notice");
	assert_int_equal(penconf_notice_form(f->cf, p)->ncopies, 3);
	assert_int_equal(p->noffences, 15);
	penconf_free(p);
	conf_diags_free(&d);
	free(path);
}

/* ---- the engine ------------------------------------------------------------------------ */

static void at(const char *when)
{
	time_t t;
	assert_true(clock_parse(when, &t));
	clock_set_now(t);
}

static char *reg(session *s, const char *when, const char *accused)
{
	form_kv kv[] = {
		{ "customer", "某电子厂", 12 }, { "contact", "0512-1234567", 12 }, { "channel", "phone", 5 },
		{ "region", "domestic", 8 }, { "category", "quality", 7 }, { "subject", "外壳开裂", 12 },
		{ "detail", "第二批外壳有裂纹", 24 }, { "accused", accused, accused ? strlen(accused) : 0 },
	};
	at(when);
	return t_register(s, "qiantai", kv, accused ? 8 : 7);
}

static void act(session *s, const char *when, const char *who, const char *no, const char *action, const form_kv *kv,
                size_t n)
{
	at(when);
	t_as(s, who);
	ks_err err;
	if (case_do(s, no, action, kv, n, -1, &err))
		fail_msg("%s %s: %s", who, action, err.msg);
}

/* Registration to closure; the report is submitted at report_at with the
 * given loss and responsibility. */
static void through(session *s, const char *no, const char *day, const char *report_at, const char *loss,
                    const char *resp)
{
	char t[32];
	form_kv rep[] = { { "cause", "模具磨损", 12 }, { "process", "抽检", 6 }, { "responsible", "二号机", 9 },
	                  { "conclusion", "属实", 6 }, { "countermeasure", "换模", 6 }, { "prevention", "点检", 6 },
	                  { "loss", loss, strlen(loss) }, { "responsibility", resp, strlen(resp) } };
	form_kv dept[] = { { "dept", "quality", 7 } }, dec[] = { { "decision", "同意", 6 } },
	        rep2[] = { { "method", "phone", 5 }, { "accepted", "yes", 3 } };
	snprintf(t, sizeof t, "%s 10:00", day);
	act(s, t, "guanli", no, "accept", NULL, 0);
	snprintf(t, sizeof t, "%s 11:00", day);
	act(s, t, "guanli", no, "assign", dept, 1);
	act(s, report_at, "zhijian", no, "report", rep, 8);
	act(s, report_at, "zongjingli", no, "approve", dec, 1);
	act(s, report_at, "qiantai", no, "reply", rep2, 2);
	act(s, report_at, "zongjingli", no, "close", NULL, 0);
}

static long long sql_int(session *s, const char *sql)
{
	/* read through the store's own connection is not possible from here: use a
	 * second connection, as a reader would */
	char *db = ks_asprintf("%s/kesu.db", s->dir);
	char *cmd = ks_asprintf("sqlite3 '%s' \"%s\"", db, sql);
	FILE *p = popen(cmd, "r");
	long long v = -1;
	if (!p || fscanf(p, "%lld", &v) != 1)
		v = -1;
	if (p)
		pclose(p);
	free(cmd);
	free(db);
	return v;
}

static const penalty_row *row_of(const penalty_row *v, size_t n, const char *login)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].login, login))
			return &v[i];
	return NULL;
}

static const penalty_item *item_of(const penalty_row *r, const char *kind, const char *rule)
{
	for (size_t i = 0; r && i < r->nitems; i++)
		if (!strcmp(r->items[i].kind, kind) && !strcmp(r->items[i].rule, rule))
			return &r->items[i];
	return NULL;
}

/* The notice's holders and printed lines, from the configuration alone. */
static void test_notice_holders(void **state)
{
	fixture *f = *state;
	const conf *c = f->cf;
	conf_copy self = { .no = 1, .holder = "self", .kind = COPY_HOLDER_SELF },
	          pd = { .no = 3, .holder = "person_dept", .kind = COPY_HOLDER_PERSON_DEPT },
	          acc = { .no = 2, .holder = "quality", .kind = COPY_HOLDER_DEPT };
	const char *kind, *holder, *name;
	penalty_notice_holder(c, &self, "ban1", &kind, &holder, &name);
	assert_string_equal(kind, "person");
	assert_string_equal(holder, "ban1");
	assert_string_equal(name, "钱一");
	penalty_notice_holder(c, &pd, "ban1", &kind, &holder, &name);
	assert_string_equal(kind, "dept");
	assert_string_equal(holder, "line1");
	penalty_notice_holder(c, &pd, "gone", &kind, &holder, &name); /* nobody knows their department: the person */
	assert_string_equal(kind, "person");
	penalty_notice_holder(c, &acc, "ban1", &kind, &holder, &name);
	assert_string_equal(holder, "quality");
	json_t *fields = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:i}", "entry", 7, "case",
	                           "2611-001", "login", "ban1", "name", "钱一", "dept_name", "一号线", "month", "2026-11",
	                           "kind", "reversal", "rule", "loss", "ref", "line1", "amount_fen", -100001, "capped", 1,
	                           "reverses", 3);
	json_t *items = penalty_notice_items(c, fields);
	char *all = json_dumps(items, JSON_COMPACT);
	assert_non_null(strstr(all, "\"-1,000.01 元\""));
	assert_non_null(strstr(all, "\"#3\""));
	assert_non_null(strstr(all, "钱一（ban1）"));
	free(all);
	json_decref(items);
	json_decref(fields);
}

static void test_close_books_loss(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "2026-11-02 09:00", NULL);
	/* report within three days: no delay */
	through(s, no, "2026-11-02", "2026-11-04 15:00", "10000.01", "shengchan:333,zhijian:333,line1:334");
	/* 1,000,001 fen: 333,000 / 333,000 / 334,001 (the fen to the 334);
	 * line1's 334,001 by 120/100/80: 133,600.4 / 111,333.67 / 89,066.93
	 * → 133,600 / 111,333 / 89,066 and two fen to ban3 then ban2 */
	assert_int_equal(sql_int(s, "select count(*) from penalty_entries"), 5);
	assert_int_equal(sql_int(s, "select sum(amount_fen) from penalty_entries"), 1000001);
	assert_int_equal(sql_int(s, "select amount_fen from penalty_entries where login='ban2'"), 111334);
	assert_int_equal(sql_int(s, "select amount_fen from penalty_entries where login='ban3'"), 89067);
	/* five entries, each a round of the notice form's three copies */
	assert_int_equal(sql_int(s, "select count(*) from copies where form = 'penalty_notice' and entry_id is not null"), 15);
	assert_int_equal(sql_int(s, "select count(distinct round) from copies where form = 'penalty_notice'"), 5);
	assert_int_equal(sql_int(s, "select count(*) from copies n join penalty_entries e on e.id = n.entry_id "
	                            "where e.login='ban1' and n.copy_no=3 and n.holder='line1' and n.holder_kind='dept'"), 1);
	ks_err err;

	/* the monthly bonus table: a bad row imports nothing; a good file sets
	 * November's bonus for shengchan (cap 50% of 4,000.02 = 2,000.01) */
	t_as(s, "zongjingli");
	penalty_bonus_result res;
	static const char bad[] = "login,month,bonus,base_points\nshengchan,2026-11,4000.02,100\nban1,2026-11,-5,100\n";
	assert_int_equal(penalty_bonus_import(s, "bad.csv", bad, strlen(bad), NULL, NULL, false, &res, &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "第 3 行第 3 列（bonus）"));
	assert_int_equal(sql_int(s, "select count(*) from penalty_bonus"), 0);
	static const char good[] = "\xEF\xBB\xBF" "base_points,login,bonus\r\n100,shengchan,4000.02\r\n";
	if (penalty_bonus_import(s, "good.csv", good, strlen(good), "utf-8", "2026-11", false, &res, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(res.rows, 1);
	assert_int_equal(penalty_bonus_import(s, "good.csv", good, strlen(good), NULL, "2026-11", false, &res, &err),
	                 KS_CONFLICT);
	{
		penalty_row *v;
		size_t n;
		if (penalty_month(s, 2026, 11, "shengchan", &v, &n, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(n, 1);
		assert_int_equal(v[0].bonus_fen, 400002);
		assert_string_equal(v[0].bonus_source, "import");
		assert_int_equal(v[0].cap_fen, 200001);
		assert_int_equal(v[0].deducted_fen, 200001);
		assert_int_equal(v[0].carried_forward_fen, 333000 - 200001);
		penalty_rows_free(v, n);
		/* December: no import, staff.yaml's 3,000 元 */
		if (penalty_month(s, 2026, 12, "shengchan", &v, &n, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(v[0].cap_fen, 150000);
		assert_string_equal(v[0].bonus_source, "staff");
		assert_int_equal(v[0].carried_in_fen, 333000 - 200001);
		penalty_rows_free(v, n);
	}
	/* back to staff.yaml's figures for the rest of the test */
	static const char again[] = "login,bonus,base_points\nshengchan,3000,100\n";
	if (penalty_bonus_import(s, "again.csv", again, strlen(again), NULL, "2026-11", true, &res, &err))
		fail_msg("%s", err.msg);
	assert_true(res.replaced);

	/* the November ledger: shengchan's 3,330 元 over the 1,500 元 cap */
	t_as(s, "zongjingli");
	penalty_row *v;
	size_t n;
	if (penalty_month(s, 2026, 11, NULL, &v, &n, &err))
		fail_msg("%s", err.msg);
	const penalty_row *r = row_of(v, n, "shengchan");
	assert_non_null(r);
	assert_int_equal(r->cap_fen, 150000);
	assert_int_equal(r->deducted_fen, 150000);
	assert_int_equal(r->carried_forward_fen, 183000);
	assert_non_null(item_of(r, "loss", "loss"));
	assert_string_equal(item_of(r, "loss", "loss")->case_no, no);
	penalty_rows_free(v, n);
	/* a 签呈 granted: 1,000 元 of shengchan's part reversed by 总经理 */
	at("2026-11-20 09:00");
	long long rev;
	if (penalty_reverse(s, sql_int(s, "select id from penalty_entries where login='shengchan'"), 100000, 0, "签呈核准",
	                    &rev, &err))
		fail_msg("%s", err.msg);

	/* reopen, a new report puts it all on zhijian; re-close books only the
	 * difference: +667,001 for zhijian, −333,000 for each of line1's people,
	 * and for shengchan only the 2,330 元 still charged (not below zero) */
	form_kv why[] = { { "reason", "客户不接受", 15 } };
	act(s, "2026-12-01 09:00", "guanli", no, "reopen", why, 1);
	form_kv rep[] = { { "cause", "模具磨损", 12 }, { "process", "抽检", 6 }, { "responsible", "二号机", 9 },
	                  { "conclusion", "属实", 6 }, { "countermeasure", "换模", 6 }, { "prevention", "点检", 6 },
	                  { "loss", "10000.01", 8 }, { "responsibility", "zhijian:1000", 12 } };
	act(s, "2026-12-02 09:00", "zhijian", no, "report", rep, 8);
	form_kv dec[] = { { "decision", "同意", 6 } }, rep2[] = { { "method", "phone", 5 }, { "accepted", "yes", 3 } };
	act(s, "2026-12-02 10:00", "zongjingli", no, "approve", dec, 1);
	act(s, "2026-12-02 11:00", "qiantai", no, "reply", rep2, 2);
	act(s, "2026-12-02 12:00", "zongjingli", no, "close", NULL, 0);
	assert_int_equal(sql_int(s, "select count(*) from penalty_entries"), 11);
	assert_int_equal(sql_int(s, "select sum(amount_fen) from penalty_entries"), 1000001);
	assert_int_equal(sql_int(s, "select amount_fen from penalty_entries where login='shengchan' and automatic=1 "
	                            "and amount_fen < 0"), -233000);
	assert_int_equal(sql_int(s, "select sum(amount_fen) from penalty_entries where login='zhijian'"), 1000001);
	assert_int_equal(sql_int(s, "select sum(amount_fen) from penalty_entries where login='shengchan'"), 0);
	assert_int_equal(sql_int(s, "select count(*) from penalty_entries where month='2026-12' and amount_fen < 0 "
	                            "and reverses is not null"), 4);
	/* closing again with the same fields books nothing */
	act(s, "2026-12-03 09:00", "guanli", no, "reopen", why, 1);
	act(s, "2026-12-03 09:10", "zhijian", no, "report", rep, 8);
	act(s, "2026-12-03 09:20", "zongjingli", no, "approve", dec, 1);
	act(s, "2026-12-03 09:30", "qiantai", no, "reply", rep2, 2);
	act(s, "2026-12-03 09:40", "zongjingli", no, "close", NULL, 0);
	assert_int_equal(sql_int(s, "select count(*) from penalty_entries"), 11);

	/* November: 3,330 − 1,000 = 2,330 due, 1,500 taken, 830 carried;
	 * December: 830 − 2,330 = −1,500: refunded, nothing carried */
	at("2026-12-20 09:00");
	t_as(s, "zongjingli");
	if (penalty_month(s, 2026, 12, NULL, &v, &n, &err))
		fail_msg("%s", err.msg);
	r = row_of(v, n, "shengchan");
	assert_non_null(r);
	assert_int_equal(r->carried_in_fen, 83000);
	assert_int_equal(r->deducted_fen, -150000);
	assert_int_equal(r->carried_forward_fen, 0);
	penalty_rows_free(v, n);
	free(no);
}

static void test_refused_responsibility(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "2026-11-02 09:00", NULL);
	form_kv dept[] = { { "dept", "quality", 7 } };
	act(s, "2026-11-02 10:00", "guanli", no, "accept", NULL, 0);
	act(s, "2026-11-02 11:00", "guanli", no, "assign", dept, 1);
	form_kv rep[] = { { "cause", "模具磨损", 12 }, { "process", "抽检", 6 }, { "responsible", "二号机", 9 },
	                  { "conclusion", "属实", 6 }, { "countermeasure", "换模", 6 }, { "prevention", "点检", 6 },
	                  { "responsibility", "shengchan:600,zhijian:300", 25 } };
	t_as(s, "zhijian");
	ks_err err;
	assert_int_equal(case_do(s, no, "report", rep, 7, -1, &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "「责任归属」"));
	assert_non_null(strstr(err.msg, "900‰"));
	free(no);
}

static void test_delay(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "2026-11-02 09:00", NULL);
	/* assigned 11-02: the report is due at the end of 11-05; it comes 11-09 */
	through(s, no, "2026-11-02", "2026-11-09 15:00", "0", "");
	assert_int_equal(sql_int(s, "select count(*) from penalty_entries"), 1);
	assert_int_equal(sql_int(s, "select amount_fen from penalty_entries where login='zhijian' and kind='delay' "
	                            "and rule='late' and ref like 'report@%'"), 5000);
	free(no);
}

static void test_major_twice(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	char *no = reg(s, "2026-11-02 09:00", NULL);
	t_as(s, "zongjingli");
	ks_err err;
	long long id[6];
	/* shengchan: 大过 on 11-10 and 11-20 → the whole 3,000 元 of November;
	 * ban1: one in November, one in December → nothing;
	 * ban2: two in November, one reversed the same month → nothing */
	static const struct { const char *when, *who; } d[] = {
		{ "2026-11-10 10:00", "shengchan" }, { "2026-11-20 10:00", "shengchan" },
		{ "2026-11-25 10:00", "ban1" },      { "2026-12-01 10:00", "ban1" },
		{ "2026-11-11 10:00", "ban2" },      { "2026-11-12 10:00", "ban2" },
	};
	for (size_t i = 0; i < 6; i++) {
		at(d[i].when);
		if (penalty_sanction(s, no, d[i].who, "major", NULL, "装运错误", &id[i], &err))
			fail_msg("%s", err.msg);
	}
	at("2026-11-28 10:00");
	long long rev;
	assert_int_equal(penalty_reverse(s, id[5], -1, 0, NULL, &rev, &err), KS_INVALID); /* a reason is required */
	if (penalty_reverse(s, id[5], -1, 0, "签呈核准", &rev, &err))                 /* ban2's second */
		fail_msg("%s", err.msg);
	assert_int_equal(penalty_reverse(s, id[5], -1, 0, "again", &rev, &err), KS_INVALID);
	/* not a decider */
	t_as(s, "guanli");
	assert_int_equal(penalty_sanction(s, no, "ban3", "major", NULL, NULL, &rev, &err), KS_DENIED);

	t_as(s, "zongjingli");
	penalty_row *v;
	size_t n;
	if (penalty_month(s, 2026, 11, NULL, &v, &n, &err))
		fail_msg("%s", err.msg);
	const penalty_row *r = row_of(v, n, "shengchan");
	assert_non_null(r);
	const penalty_item *it = item_of(r, "monthly", "major_twice");
	assert_non_null(it);
	assert_int_equal(it->amount_fen, 300000);
	assert_false(it->capped);
	assert_int_equal(r->deducted_fen, 300000);
	assert_null(item_of(row_of(v, n, "ban1"), "monthly", "major_twice"));
	assert_null(item_of(row_of(v, n, "ban2"), "monthly", "major_twice"));
	assert_non_null(item_of(row_of(v, n, "ban2"), "reversal", "major"));
	penalty_rows_free(v, n);
	if (penalty_month(s, 2026, 12, "ban1", &v, &n, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(n, 1);
	assert_null(item_of(&v[0], "monthly", "major_twice"));
	penalty_rows_free(v, n);
	/* only the decider and the coordinator see others; staff see themselves */
	t_as(s, "shengchan");
	assert_int_equal(penalty_month(s, 2026, 11, "ban1", &v, &n, &err), KS_DENIED);
	if (penalty_month(s, 2026, 11, NULL, &v, &n, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].login, "shengchan");
	penalty_rows_free(v, n);
	free(no);
}

static void test_counts(void **state)
{
	fixture *f = *state;
	session *s = f->s;
	/* ban1 is complained about 3 times in November (200 元), ban2 5 times (300 元,
	 * and all are quality complaints: dismissal flagged), ban3 twice (nothing) */
	static const struct { const char *who; int n; } w[] = { { "ban1", 3 }, { "ban2", 5 }, { "ban3", 2 } };
	int day = 2;
	for (size_t i = 0; i < 3; i++)
		for (int k = 0; k < w[i].n; k++) {
			char t[32];
			snprintf(t, sizeof t, "2026-11-%02d 09:00", day++);
			free(reg(s, t, w[i].who));
		}
	free(reg(s, "2026-12-01 09:00", "ban1")); /* December: not counted for November */
	t_as(s, "zongjingli");
	ks_err err;
	penalty_row *v;
	size_t n;
	if (penalty_month(s, 2026, 11, NULL, &v, &n, &err))
		fail_msg("%s", err.msg);
	const penalty_item *it = item_of(row_of(v, n, "ban1"), "count", "complaints");
	assert_non_null(it);
	assert_int_equal(it->amount_fen, 20000);
	it = item_of(row_of(v, n, "ban2"), "count", "complaints");
	assert_non_null(it);
	assert_int_equal(it->amount_fen, 30000);
	assert_non_null(item_of(row_of(v, n, "ban2"), "flag", "dismissal"));
	assert_null(row_of(v, n, "ban3"));
	assert_null(item_of(row_of(v, n, "ban1"), "flag", "dismissal"));
	penalty_rows_free(v, n);
	/* December: the year's reward to investigators without a complaint in 2026 */
	if (penalty_month(s, 2026, 12, NULL, &v, &n, &err))
		fail_msg("%s", err.msg);
	assert_non_null(item_of(row_of(v, n, "zhijian"), "reward", "clean_year"));
	assert_int_equal(row_of(v, n, "zhijian")->reward_fen, 50000);
	assert_null(item_of(row_of(v, n, "ban1"), "reward", "clean_year"));
	assert_null(row_of(v, n, "qiantai"));   /* not an investigator */
	assert_null(row_of(v, n, "ban4"));      /* inactive */
	penalty_rows_free(v, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_table),
		cmocka_unit_test(test_split_refuses),
		cmocka_unit_test(test_split_property),
		cmocka_unit_test(test_schedule_table),
		cmocka_unit_test_setup_teardown(test_resp_table, setup_conf, teardown),
		cmocka_unit_test_setup_teardown(test_allocate_table, setup_conf, teardown),
		cmocka_unit_test_setup_teardown(test_allocate_property, setup_conf, teardown),
		cmocka_unit_test_setup_teardown(test_count_thresholds, setup_conf, teardown),
		cmocka_unit_test_setup_teardown(test_penconf_diagnostics, setup_conf, teardown),
		cmocka_unit_test_setup_teardown(test_notice_holders, setup_conf, teardown),
		cmocka_unit_test_setup_teardown(test_close_books_loss, setup_session, teardown),
		cmocka_unit_test_setup_teardown(test_refused_responsibility, setup_session, teardown),
		cmocka_unit_test_setup_teardown(test_delay, setup_session, teardown),
		cmocka_unit_test_setup_teardown(test_major_twice, setup_session, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup_session, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
