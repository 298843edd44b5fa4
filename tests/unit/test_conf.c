/* test_conf.c — configuration loading: the shipped preset loads; each kind of
 * mistake is reported as FILE:LINE:COL with the right position; several
 * mistakes are all reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/conf.h"
#include "kesu/clock.h"
#include "testlib.h"

static const char *STAFF_OK =
	"roles:\n"
	"  - code: clerk\n"
	"    name: 文员\n"
	"staff:\n"
	"  - login: a\n"
	"    name: 甲\n"
	"    dept: d1\n"
	"    roles: [clerk]\n";

static const char *WORKFLOW_OK =
	"initial: s1\n"
	"intake:\n"
	"  form: f1\n"
	"  roles: [clerk]\n"
	"states:\n"
	"  - {code: s1, label: 一}\n"
	"  - {code: s2, label: 二}\n"
	"actions:\n"
	"  - code: go\n"
	"    label: 前进\n"
	"    from: [s1]\n"
	"    to: s2\n"
	"    roles: [clerk]\n";

static const char *FORM_OK =
	"form:\n"
	"  code: f1\n"
	"  title: 表一\n"
	"  fields:\n"
	"    - {key: name, label: 名称, type: text, required: true}\n"
	"    - key: kind\n"
	"      label: 类别\n"
	"      type: choice\n"
	"      choices:\n"
	"        - {value: a, label: 甲类}\n";

/* A small valid configuration in a new temporary directory. */
static char *small_config(void)
{
	char *dir = t_tmpdir();
	t_small_config(dir, "departments:\n  - {code: d1, name: 一部}\n", STAFF_OK, WORKFLOW_OK, "routes:\n  - dept: d1\n", FORM_OK);
	return dir;
}

static void test_preset_loads(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	t_config(dir, "manufacturing");
	char *cdir = ks_asprintf("%s/config", dir);
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(cdir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	assert_non_null(conf_find_staff(c, "zongjingli"));
	assert_int_equal(conf_find_staff(c, "zongjingli")->approval_limit_fen, CONF_NO_LIMIT);
	assert_int_equal(conf_find_staff(c, "yewujingli")->approval_limit_fen, 500000);
	assert_int_equal(conf_find_staff(c, "fuzong")->approval_limit_fen, 5000000);
	assert_string_equal(c->timezone, "Asia/Shanghai");
	assert_non_null(conf_find_action(c, "reopen"));
	conf_free(c);
	conf_diags_free(&d);
	free(cdir);
	t_rmdir(dir);
}

static void test_small_loads(void **state)
{
	(void)state;
	char *dir = small_config();
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);
}

/* reports_to chains are read (a → b → c, c at the top), and a level's
 * `to: {superior_of: X}` keeps X and marks the level. */
static void test_reports_to(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n"
	        "  - {login: a, name: 甲, dept: d1, roles: [clerk], reports_to: b}\n"
	        "  - {login: b, name: 乙, dept: d1, roles: [clerk], reports_to: c}\n"
	        "  - {login: c, name: 丙, dept: d1, roles: [clerk]}\n");
	t_write(dir, "limits.yaml", "clocks:\n  - code: k\n    label: 甲\n    start: [new]\n    stop: [go]\n"
	        "    limit: {days: 1}\n    reminders:\n      - {after: 0, to: {superior_of: registrant}, role: clerk}\n"
	        "      - {after: {days: 1}, to: assignee}\n");
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	assert_string_equal(conf_superior_of(c, "a"), "b");
	assert_string_equal(conf_superior_of(c, "b"), "c");
	assert_null(conf_superior_of(c, "c"));
	assert_null(conf_superior_of(c, "nobody"));
	const conf_clock *k = conf_find_clock(c, "k");
	assert_non_null(k);
	assert_int_equal(k->nlevels, 2);
	assert_true(k->levels[0].superior);
	assert_string_equal(k->levels[0].to, "registrant");
	assert_string_equal(k->levels[0].role, "clerk");
	assert_false(k->levels[1].superior);
	assert_string_equal(k->levels[1].to, "assignee");
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);
}

/* fixed: true on an intake field: an action whose form writes the key, or
 * whose clears removes it, is refused, naming the action at FILE:LINE:COL. */
static void test_fixed(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "forms/f1.yaml", "form:\n  code: f1\n  title: 表一\n  fields:\n"
	        "    - {key: name, label: 名称, type: text, fixed: true}\n");
	conf *c = NULL;
	conf_diags d = {0};
	assert_int_equal(conf_load(dir, &c, &d), KS_OK);   /* no action writes it */
	assert_true(conf_form_field(conf_find_form(c, "f1"), "name")->fixed);
	conf_free(c);
	t_write(dir, "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n"
	        "  - {code: s2, label: 二}\nactions:\n  - code: go\n    label: 前进\n    from: [s1]\n    to: s2\n"
	        "    roles: [clerk]\n    fields:\n      - {key: name, label: 改名, type: text}\n"
	        "  - {code: back, label: 退回, from: [s2], to: s1, roles: [clerk], clears: [name]}\n");
	c = NULL;
	assert_int_equal(conf_load(dir, &c, &d), KS_INVALID);
	assert_null(c);
	bool w = false, cl = false;
	for (size_t i = 0; i < d.n; i++) {
		w |= !strcmp(d.msgs[i], "workflow.yaml:13:9: 动作 go 的表单写入字段 name（名称），但它是 fixed（登记后不可更改）");
		cl |= !strcmp(d.msgs[i], "workflow.yaml:14:5: 动作 back 的 clears 清除字段 name（名称），但它是 fixed（登记后不可更改）");
	}
	if (!w || !cl)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i]);
	assert_true(w && cl);
	conf_diags_free(&d);
	t_rmdir(dir);
}

#define F_DFLT "form:\n  code: f1\n  title: 表一\n  fields:\n    - {key: name, label: 名称, type: text}\n    - key: kind\n      label: 类别\n      type: choice\n      choices:\n        - {value: a, label: 甲类}\n"
#define W_SIGN "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk]}\n  - code: sign\n    label: 会签\n    from: [s1]\n    to: s2\n    roles: [clerk]\n"


static const t_bad bad[] = {
	/* unknown key, at the key */
	{ "departments.yaml", "departments:\n  - code: d1\n    name: 一部\n    colour: red\n",
	  "departments.yaml:4:5: 未知的键 colour（此处可用的键：code, name, parent）" },
	/* wrong type */
	{ "departments.yaml", "departments:\n  code: d1\n",
	  "departments.yaml:2:3: departments 应为列表，实际是映射" },
	/* missing required key */
	{ "departments.yaml", "departments:\n  - code: d1\n",
	  "departments.yaml:2:5: 缺少必需的键 name" },
	/* duplicate code */
	{ "departments.yaml", "departments:\n  - {code: d1, name: 一部}\n  - {code: d1, name: 二部}\n",
	  "departments.yaml:3:12: 部门代码 d1 重复" },
	/* reference to an undefined department (position of the staff entry) */
	{ "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - login: a\n    name: 甲\n    dept: nowhere\n    roles: [clerk]\n",
	  "staff.yaml:6:11: 员工 a 的部门 nowhere 未定义" },
	/* reference to an undefined role */
	{ "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - {login: a, name: 甲, dept: d1, roles: [boss]}\n",
	  "staff.yaml:4:42: 引用了未定义的角色 boss" },
	/* bad approval limit */
	{ "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk], approval_limit: 1.234}\n",
	  "staff.yaml:4:67: approval_limit 应为金额（元，最多两位小数）或 unlimited" },
	/* undefined state in an action */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s9, roles: [clerk]}\n",
	  "workflow.yaml:6:5: 动作 go 的 to 引用了未定义的状态 s9" },
	/* undefined form in an action */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], roles: [clerk], form: f9}\n",
	  "workflow.yaml:6:5: 动作 go 引用了未定义的表单 f9" },
	/* unreachable state */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\n  - {code: s3, label: 三}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk]}\n",
	  "workflow.yaml:6:5: 状态 s3 从初始状态 s1 无法到达" },
	/* condition on an unknown choice value */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], when: {kind: z}}\n",
	  "workflow.yaml:7:5: 条件中字段 kind 的值 z 不是它的选项" },
	/* unknown field type */
	{ "forms/f1.yaml", "form:\n  code: f1\n  title: 表一\n  fields:\n    - {key: name, label: 名称, type: txt}\n",
	  "forms/f1.yaml:5:36: 未知的字段类型 txt（可用：text, longtext, choice, number, money, date, datetime, staff, department, yesno）" },
	/* duplicate field */
	{ "forms/f1.yaml", "form:\n  code: f1\n  title: 表一\n  fields:\n    - {key: name, label: 名称, type: text}\n    - {key: name, label: 名称, type: text}\n",
	  "forms/f1.yaml:6:13: 字段 name 在表单中重复" },
	/* route to an undefined department */
	{ "routing.yaml", "routes:\n  - dept: d9\n",
	  "routing.yaml:2:5: 路由引用了未定义的部门 d9" },
	/* YAML syntax error */
	{ "routing.yaml", "routes:\n  - dept: [d1\n",
	  "routing.yaml:3:1: YAML 语法错误：did not find expected ',' or ']'" },
	/* "A or B": a list of maps; each item must be a non-empty map */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], when: []}\n",
	  "workflow.yaml:7:69: when 的列表不能为空（列表中每一项是一组条件，满足其一即可）" },
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], when: [{kind: a}, kind]}\n",
	  "workflow.yaml:7:81: when 列表的每一项 应为映射，实际是文本" },
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], when: [{kind: a}, {}]}\n",
	  "workflow.yaml:7:81: when 列表的第 2 项没有条件" },
	/* each alternative is checked like a single map */
	{ "routing.yaml", "routes:\n  - when: [{kind: a}, {kind: z}]\n    dept: d1\n",
	  "routing.yaml:2:5: 条件中字段 kind 的值 z 不是它的选项" },
	/* a reminder to one person: registrant, assignee or a staff field */
	{ "limits.yaml", "clocks:\n  - code: a\n    label: 甲\n    start: [go]\n    stop: [go]\n    limit: {days: 1}\n    reminders:\n      - {after: 0, to: name}\n",
	  "limits.yaml:8:24: 时限 a 的提醒 to 字段 name 应为 staff 类型" },
	{ "limits.yaml", "clocks:\n  - code: a\n    label: 甲\n    start: [go]\n    stop: [go]\n    limit: {days: 1}\n    reminders:\n      - {after: 0, to: boss}\n",
	  "limits.yaml:8:24: 时限 a 的提醒 to 应为 registrant（登记人）、assignee（承办人）或员工字段，boss 都不是" },
	/* reports_to (直接上级): an existing login, not oneself, no cycle */
	{ "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk], reports_to: zz}\n",
	  "staff.yaml:4:63: 员工 a 的 reports_to（直接上级）引用了未定义的员工 zz" },
	{ "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk], reports_to: a}\n",
	  "staff.yaml:4:63: 员工 a 的 reports_to（直接上级）不能是本人" },
	{ "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk], reports_to: b}\n"
	  "  - {login: b, name: 乙, dept: d1, roles: [clerk], reports_to: c}\n  - {login: c, name: 丙, dept: d1, roles: [clerk], reports_to: a}\n",
	  "staff.yaml:5:63: 员工 b 的 reports_to（直接上级）构成循环：经 c 又回到 b" },
	/* a reminder to the direct superior of a person of the case */
	{ "limits.yaml", "clocks:\n  - code: a\n    label: 甲\n    start: [go]\n    stop: [go]\n    limit: {days: 1}\n    reminders:\n      - {after: 0, to: {superior_of: boss}}\n",
	  "limits.yaml:8:38: 时限 a 的提醒 to 应为 registrant（登记人）、assignee（承办人）或员工字段，boss 都不是" },
	{ "limits.yaml", "clocks:\n  - code: a\n    label: 甲\n    start: [go]\n    stop: [go]\n    limit: {days: 1}\n    reminders:\n      - {after: 0, to: {boss_of: assignee}}\n",
	  "limits.yaml:8:25: 未知的键 boss_of（此处可用的键：superior_of）" },
	/* 到期即催 only makes sense for after: 0 */
	{ "limits.yaml", "clocks:\n  - code: a\n    label: 甲\n    start: [go]\n    stop: [go]\n    limit: {days: 1}\n    reminders:\n      - {after: {hours: 1}, at_due: true}\n",
	  "limits.yaml:8:37: at_due 只用于 after: 0（到期时刻即催办）" },
	/* quorum (会签): 2 or more signers, a move to another state, enough staff */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk]}\n  - code: sign\n    label: 会签\n    from: [s1]\n    to: s2\n    roles: [clerk]\n    quorum: {count: 2}\n",
	  "workflow.yaml:13:13: 动作 sign 须 2 人会签，但只有 1 名在职员工可以会签" },
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk]}\n  - code: sign\n    label: 会签\n    from: [s1]\n    to: s2\n    roles: [clerk]\n    quorum: {count: 1}\n",
	  "workflow.yaml:13:21: quorum 的 count 应为 2 到 100 之间的整数（会签人数）" },
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk]}\n  - code: sign\n    label: 会签\n    from: [s1]\n    roles: [clerk]\n    quorum: {count: 2}\n",
	  "workflow.yaml:12:13: 动作 sign 有 quorum（会签），须以 to 转到另一状态" },
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk]}\n  - code: sign\n    label: 会签\n    from: [s1]\n    to: s2\n    roles: [clerk]\n    quorum: {count: 2, roles: [boss]}\n",
	  "workflow.yaml:13:13: 引用了未定义的角色 boss" },
	/* quorum by role: entries with a defined role listed in the action's roles, held by someone */
	{ "workflow.yaml", W_SIGN "    quorum:\n      by_role:\n        - {role: clerk}\n        - {role: boss, scope: case_dept}\n",
	  "workflow.yaml:16:11: 引用了未定义的角色 boss" },
	{ "workflow.yaml", W_SIGN "    quorum:\n      by_role:\n        - {role: clerk}\n        - {role: clerk, scope: own}\n",
	  "workflow.yaml:16:32: 会签角色的 scope 只能是 any 或 case_dept（给了 own）" },
	{ "workflow.yaml", W_SIGN "    quorum:\n      by_role:\n        - {role: clerk}\n",
	  "workflow.yaml:15:9: quorum 的 by_role 应列出 2 到 20 个会签角色" },
	{ "workflow.yaml", W_SIGN "    quorum:\n      count: 2\n      by_role:\n        - {role: clerk}\n        - {role: clerk}\n",
	  "workflow.yaml:16:9: quorum 的 by_role 不能与 count、roles 同时使用" },
	{ "workflow.yaml", W_SIGN "    quorum:\n      by_role:\n        - {role: clerk}\n        - {rol: clerk}\n",
	  "workflow.yaml:16:12: 未知的键 rol（此处可用的键：role, scope）" },
	/* intake register rules: a condition, roles among the intake roles */
	{ "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk]\n  register:\n    - {roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], roles: [clerk]}\n",
	  "workflow.yaml:6:7: 缺少必需的键 when" },
	{ "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk]\n  register:\n    - {when: {kind: z}, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], roles: [clerk]}\n",
	  "workflow.yaml:6:7: 条件中字段 kind 的值 z 不是它的选项" },
	{ "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk]\n  register:\n    - {when: {kind: a}, roles: [boss]}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], roles: [clerk]}\n",
	  "workflow.yaml:6:7: 引用了未定义的角色 boss" },
	{ "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk]\n  register:\n    - {when: {kind: a}, roles: [clerk], who: x}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], roles: [clerk]}\n",
	  "workflow.yaml:6:41: 未知的键 who（此处可用的键：when, roles）" },
	{ "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk]\n  register: {when: {kind: a}, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\nactions:\n  - {code: go, label: 前进, from: [s1], roles: [clerk]}\n",
	  "workflow.yaml:5:13: intake 的 register 应为列表，实际是映射" },
	/* a staff field's default: by role or by a mapping from a choice field */
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: text, default: {role: clerk}}\n",
	  "forms/f1.yaml:11:49: 只有 staff 类型的字段可以设 default（按角色或对应关系自动填写）" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {role: clerk, from: kind, map: {a: a}}}\n",
	  "forms/f1.yaml:11:50: default 须有 role（按角色找人）或 from 与 map（按字段值对应），二者选一" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {role: clerk, dept: here}}\n",
	  "forms/f1.yaml:11:70: default 的 dept 只能是 case_dept、mine 或 any（给了 here）" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {role: boss, dept: mine}}\n",
	  "forms/f1.yaml:11:50: 引用了未定义的角色 boss" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {role: clerk}}\n",
	  "forms/f1.yaml:11:50: 登记表单的字段 who 不能用 dept: case_dept（登记时案件还没有部门），可用 mine 或 any" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {from: name, map: {a: a}}}\n",
	  "forms/f1.yaml:11:50: default 的 from 应为选项字段，name 不是选项字段" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {from: kind, map: {b: a}}}\n",
	  "forms/f1.yaml:11:50: default 的 map 中 b 不是字段 kind 的选项" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {from: kind, map: {a: nobody}}}\n",
	  "forms/f1.yaml:11:50: default 的 map 引用了未定义的员工 nobody" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {from: kind}}\n",
	  "forms/f1.yaml:11:50: 缺少必需的键 map" },
	/* default: {self: true} and {superior_of: registrant|assignee|me}, each alone */
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {self: true, role: clerk}}\n",
	  "forms/f1.yaml:11:50: default 的 self 与 superior_of 须单独使用（不能与 role、from、dept、map 或彼此同用）" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {superior_of: boss}}\n",
	  "forms/f1.yaml:11:64: default 的 superior_of 只能是 registrant、assignee 或 me（给了 boss）" },
	{ "forms/f1.yaml", F_DFLT "    - {key: who, label: 谁, type: staff, default: {self: false}}\n",
	  "forms/f1.yaml:11:57: default 的 self 只能是 true（填表的本人）" },
	/* fixed: only on the intake form */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\n"
	  "actions:\n  - code: go\n    label: 前进\n    from: [s1]\n    to: s2\n    roles: [clerk]\n    fields:\n      - {key: note, label: 备注, type: text, fixed: true}\n",
	  "workflow.yaml:13:9: 字段 note 的 fixed（登记后不可更改）只用于登记表单的字段" },
	/* check (after the action's values) and unless (a negated when) are checked like when */
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], check: {nope: x}}\n",
	  "workflow.yaml:7:5: 条件引用了未定义的字段 nope" },
	{ "workflow.yaml", "initial: s1\nintake: {form: f1, roles: [clerk]}\nstates:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], unless: {kind: {older_than: {days: 1}}}}\n",
	  "workflow.yaml:7:78: 条件 kind 的 older_than 只能用于日期或日期时间字段，kind 是 choice 类型" },
	/* supersede: actions, not also in stop, not new; continues: another clock */
	{ "limits.yaml", "clocks:\n  - {code: a, label: 甲, start: [new], stop: [go], supersede: [nope], limit: {days: 1}}\n",
	  "limits.yaml:2:5: 时限 a 的 supersede 引用了未定义的动作 nope" },
	{ "limits.yaml", "clocks:\n  - {code: a, label: 甲, start: [new], stop: [go], supersede: [go], limit: {days: 1}}\n",
	  "limits.yaml:2:5: 时限 a 的动作 go 不能既在 stop 又在 supersede 中" },
	{ "limits.yaml", "clocks:\n  - {code: a, label: 甲, start: [new], stop: [go], supersede: [new], limit: {days: 1}}\n",
	  "limits.yaml:2:5: 时限 a 的 supersede 不能是 new（登记）" },
	{ "limits.yaml", "clocks:\n  - {code: a, label: 甲, start: [new], stop: [go], continues: b, limit: {days: 1}}\n",
	  "limits.yaml:2:5: 时限 a 的 continues 应为另一个时限的代码，b 不是" },
	{ "limits.yaml", "clocks:\n  - {code: a, label: 甲, start: [new], stop: [go], continues: a, limit: {days: 1}}\n",
	  "limits.yaml:2:5: 时限 a 的 continues 应为另一个时限的代码，a 不是" },
	/* duplicate key in a map */
	{ "departments.yaml", "departments:\n  - {code: d1, name: 一部, name: 二部}\n",
	  "departments.yaml:2:26: 重复的键 name（第 2 行已有）" },
};

static void test_bad(void **state)
{
	(void)state;
	t_bad_configs(small_config, bad, sizeof bad / sizeof *bad);
}

static void test_all_reported(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "departments.yaml", "departments:\n  - {code: d1, name: 一部, x: 1}\n");
	t_write(dir, "routing.yaml", "routes:\n  - dept: d9\n");
	t_write(dir, "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\nstaff:\n  - {login: a, name: 甲, dept: d1, roles: [boss]}\n");
	conf *c = NULL;
	conf_diags d = {0};
	assert_int_equal(conf_load(dir, &c, &d), KS_INVALID);
	assert_int_equal(d.n, 3);
	assert_true(t_has_diag(&d, "departments.yaml:2:26: 未知的键 x（此处可用的键：code, name, parent）"));
	assert_true(t_has_diag(&d, "routing.yaml:2:5: 路由引用了未定义的部门 d9"));
	assert_true(t_has_diag(&d, "staff.yaml:4:42: 引用了未定义的角色 boss"));
	conf_diags_free(&d);
	t_rmdir(dir);
}

/* "N working days" ends at close of business unless the clock says otherwise;
 * calendar days end at 24:00. */
static void test_clock_end_defaults(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "limits.yaml",
	        "clocks:\n"
	        "  - {code: a, label: 甲, start: [go], stop: [go], limit: {workdays: 3}}\n"
	        "  - {code: b, label: 乙, start: [go], stop: [go], limit: {workdays: 3}, end: eod}\n"
	        "  - {code: c, label: 丙, start: [go], stop: [go], limit: {days: 3}}\n"
	        "  - {code: d, label: 丁, start: [go], stop: [go], limit: {days: 3}, end: close}\n");
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	assert_int_equal(conf_find_clock(c, "a")->limit.end, CALENDAR_END_CLOSE);
	assert_int_equal(conf_find_clock(c, "b")->limit.end, CALENDAR_END_EOD);
	assert_int_equal(conf_find_clock(c, "c")->limit.end, CALENDAR_END_EOD);
	assert_int_equal(conf_find_clock(c, "d")->limit.end, CALENDAR_END_CLOSE);
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);
}

/* `when` as a list of maps: each map's conditions share an alternative
 * index; a single map is alternative 0. Levels keep `to` and `at_due`. */
static void test_when_alternatives(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "routing.yaml", "routes:\n  - when: [{kind: a, name: x}, {name: [y, z]}]\n    dept: d1\n"
	                             "  - when: {kind: a}\n    dept: d1\n");
	t_write(dir, "limits.yaml", "clocks:\n  - code: k\n    label: 甲\n    start: [go]\n    stop: [go]\n"
	                            "    limit: {days: 1}\n    reminders:\n      - {after: 0, at_due: true, to: registrant}\n"
	                            "      - {after: 0, to: assignee, role: clerk}\n");
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	assert_int_equal(c->nroutes, 2);
	assert_int_equal(c->routes[0].nwhen, 3);
	assert_string_equal(c->routes[0].when[0].field, "kind");
	assert_int_equal(c->routes[0].when[0].alt, 0);
	assert_int_equal(c->routes[0].when[1].alt, 0);
	assert_string_equal(c->routes[0].when[2].field, "name");
	assert_int_equal(c->routes[0].when[2].alt, 1);
	assert_int_equal(c->routes[0].when[2].nvalues, 2);
	assert_int_equal(c->routes[1].nwhen, 1);
	assert_int_equal(c->routes[1].when[0].alt, 0);
	const conf_clock *k = conf_find_clock(c, "k");
	assert_int_equal(k->nlevels, 2);
	assert_true(k->levels[0].at_due);
	assert_string_equal(k->levels[0].to, "registrant");
	assert_false(k->levels[1].at_due);
	assert_string_equal(k->levels[1].to, "assignee");
	assert_string_equal(k->levels[1].role, "clerk");
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);
}

/* A clock may run on a named calendar from calendars/NAME.yaml; an unknown
 * name and a second time zone are errors. */
/* `when` operators: {F: {equals_field: G}}, {F: {older_than: D}},
 * {F: {within: D}}: read into conf_cond; mistakes reported at the
 * operator's map (or at the offending key or value). */
static const char *FORM_OPS =
	"form:\n"
	"  code: f1\n"
	"  title: 表一\n"
	"  fields:\n"
	"    - {key: name, label: 名称, type: text, required: true}\n"
	"    - {key: other, label: 别名, type: longtext}\n"
	"    - {key: kind, label: 类别, type: choice, choices: [{value: a, label: 甲类}, {value: b, label: 乙类}]}\n"
	"    - {key: kind2, label: 回复类别, type: choice, choices: [{value: b, label: 乙类}]}\n"
	"    - {key: kind3, label: 丙, type: choice, choices: [{value: c, label: 丙类}]}\n"
	"    - {key: day, label: 事发日期, type: date}\n"
	"    - {key: at, label: 时刻, type: datetime}\n"
	"    - {key: qty, label: 数量, type: number}\n";

static const struct { const char *routing, *want; } when_ops_bad[] = {
	{ "routes:\n  - when: {kind: {equals_field: nope}}\n    dept: d1\n",
	  "routing.yaml:2:18: 条件 kind 的 equals_field 引用了未定义的字段 nope" },
	{ "routes:\n  - when: {kind: {equals_field: kind}}\n    dept: d1\n",
	  "routing.yaml:2:18: 条件 kind 的 equals_field 不能是它自己" },
	{ "routes:\n  - when: {kind: {equals_field: qty}}\n    dept: d1\n",
	  "routing.yaml:2:18: 条件 kind（choice 类型）不能与字段 qty（number 类型）比较" },
	{ "routes:\n  - when: {day: {equals_field: at}}\n    dept: d1\n",
	  "routing.yaml:2:17: 条件 day（date 类型）不能与字段 at（datetime 类型）比较" },
	{ "routes:\n  - when: {kind: {equals_field: kind3}}\n    dept: d1\n",
	  "routing.yaml:2:18: 条件 kind 与字段 kind3 没有相同的选项，永远不会相等" },
	{ "routes:\n  - when: {name: {older_than: {months: 1}}}\n    dept: d1\n",
	  "routing.yaml:2:18: 条件 name 的 older_than 只能用于日期或日期时间字段，name 是 text 类型" },
	{ "routes:\n  - when: {day: {within: {weeks: 1}}}\n    dept: d1\n",
	  "routing.yaml:2:27: 未知的时间单位 weeks（可用：minutes, hours, days, workdays, workhours, months）" },
	{ "routes:\n  - when: {day: {before: {days: 1}}}\n    dept: d1\n",
	  "routing.yaml:2:18: 条件 day 的未知运算 before（可用：equals_field、older_than、within）" },
	{ "routes:\n  - when: {day: {within: {days: 1}, older_than: {days: 2}}}\n    dept: d1\n",
	  "routing.yaml:2:17: 条件 day 的映射应只有一个键：equals_field、older_than 或 within" },
	{ "routes:\n  - when: {kind: {equals_field: [kind2]}}\n    dept: d1\n",
	  "routing.yaml:2:33: 条件 kind 的 equals_field 应为字段名" },
	{ "routes:\n  - dept: d1\n",   /* with the clock below: months only for limits */
	  "limits.yaml:7:25: 提醒的 after 不能以 months 计（用 days 或 workdays）" },
};

static void test_when_ops(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof when_ops_bad / sizeof *when_ops_bad; i++) {
		char *dir = small_config();
		t_write(dir, "forms/f1.yaml", FORM_OPS);
		t_write(dir, "routing.yaml", when_ops_bad[i].routing);
		if (i == sizeof when_ops_bad / sizeof *when_ops_bad - 1)
			t_write(dir, "limits.yaml", "clocks:\n  - code: k\n    label: 甲\n    start: [go]\n    stop: [go]\n"
			                            "    limit: {months: 1}\n    reminders: [{after: {months: 1}}]\n");
		t_refuses(dir, when_ops_bad[i].want, i);
		t_rmdir(dir);
	}
	/* and the good forms load */
	char *dir = small_config();
	t_write(dir, "forms/f1.yaml", FORM_OPS);
	t_write(dir, "routing.yaml", "routes:\n  - when: [{kind: {equals_field: kind2}, other: {equals_field: name}},"
	                             " {day: {older_than: {months: 1}}}, {at: {within: {workdays: 3}}}]\n    dept: d1\n");
	t_write(dir, "limits.yaml", "clocks:\n  - {code: k, label: 甲, start: [go], stop: [go], limit: {months: 2}}\n");
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	const conf_cond *w = c->routes[0].when;
	assert_int_equal(c->routes[0].nwhen, 4);
	assert_int_equal(w[0].op, COND_SAME_FIELD);
	assert_string_equal(w[0].other, "kind2");
	assert_int_equal(w[1].op, COND_SAME_FIELD);
	assert_int_equal(w[1].alt, 0);
	assert_int_equal(w[2].op, COND_OLDER_THAN);
	assert_int_equal(w[2].age.unit, CALENDAR_MONTHS);
	assert_int_equal(w[2].age.n, 1);
	assert_int_equal(w[2].age.roll, CALENDAR_ROLL_NEXT);
	assert_int_equal(w[2].alt, 1);
	assert_ptr_equal(w[2].cal, c->cal);
	assert_int_equal(w[3].op, COND_WITHIN);
	assert_int_equal(w[3].age.unit, CALENDAR_WORKDAYS);
	assert_int_equal(w[3].age.end, CALENDAR_END_EOD);
	assert_int_equal(conf_find_clock(c, "k")->limit.unit, CALENDAR_MONTHS);
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);
}

static void test_named_calendars(void **state)
{
	(void)state;
	char *dir = small_config();
	char *cmd = ks_asprintf("mkdir '%s/calendars' && sed -e 's/^  name: cn$/  name: six/' "
	                        "-e 's/^  workweek: .*/  workweek: [mon, tue, wed, thu, fri, sat]/' "
	                        "'%s/calendar.yaml' > '%s/calendars/six.yaml'", dir, dir, dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	t_write(dir, "limits.yaml",
	        "clocks:\n"
	        "  - {code: a, label: 甲, start: [go], stop: [go], limit: {workdays: 1}}\n"
	        "  - {code: b, label: 乙, start: [go], stop: [go], limit: {workdays: 1}, calendar: six}\n");
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	assert_string_equal(calendar_name(conf_find_clock(c, "a")->cal), "cn");
	assert_string_equal(calendar_name(conf_find_clock(c, "b")->cal), "six");
	/* one working day from Friday 2026-11-27: Monday on the five-day week,
	 * Saturday on the six-day one (close of business 17:30) */
	assert_int_equal(clock_set_zone("Asia/Shanghai", NULL), KS_OK);
	time_t due;
	assert_int_equal(calendar_due(conf_find_clock(c, "a")->cal, clock_make(2026, 11, 27, 10, 0),
	                              &conf_find_clock(c, "a")->limit, &due, NULL), KS_OK);
	assert_int_equal(due, clock_make(2026, 11, 30, 17, 30));
	assert_int_equal(calendar_due(conf_find_clock(c, "b")->cal, clock_make(2026, 11, 27, 10, 0),
	                              &conf_find_clock(c, "b")->limit, &due, NULL), KS_OK);
	assert_int_equal(due, clock_make(2026, 11, 28, 17, 30));
	conf_free(c);
	conf_diags_free(&d);

	t_write(dir, "limits.yaml",
	        "clocks:\n"
	        "  - {code: b, label: 乙, start: [go], stop: [go], limit: {workdays: 1}, calendar: seven}\n");
	cmd = ks_asprintf("sed -i 's|^  timezone: .*|  timezone: Asia/Tokyo|' '%s/calendars/six.yaml'", dir);
	if (system(cmd) != 0)
		abort();
	free(cmd);
	assert_int_equal(conf_load(dir, &c, &d), KS_INVALID);
	assert_true(t_has_diag(&d, "limits.yaml:2:5: 时限 b 引用了未定义的日历 seven"));
	assert_true(t_has_diag(&d, "calendars/six.yaml:1:1: 日历 six 的时区 Asia/Tokyo 与 calendar.yaml 的 Asia/Shanghai 不同：一个数据目录只能用一个时区"));
	conf_diags_free(&d);
	t_rmdir(dir);
}

static void test_money(void **state)
{
	(void)state;
	static const struct { const char *in; bool ok; long long fen; } t[] = {
		{ "0", true, 0 }, { "5000", true, 500000 }, { "12.5", true, 1250 }, { "1,234.56", true, 123456 },
		{ "0.01", true, 1 }, { "1.234", false, 0 }, { "-1", false, 0 }, { "", false, 0 },
		{ "1.", false, 0 }, { ".5", false, 0 }, { "abc", false, 0 }, { "1e3", false, 0 },
		{ "99999999999999999999", false, 0 }, { "1,5", false, 0 }, { "12,34.5", false, 0 },
		{ ",123", false, 0 }, { "1234,567", false, 0 }, { "1,234,567.8", true, 123456780 },
		{ "1,23", false, 0 }, { "1,2345", false, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		long long fen = -1;
		bool ok = conf_parse_money(t[i].in, &fen);
		if (ok != t[i].ok || (ok && fen != t[i].fen))
			fail_msg("money %s: got %d %lld", t[i].in, ok, fen);
	}
}


/* quorum by role: the good form loads with its scopes; a role outside the
 * action's roles and a role nobody holds are refused at its entry. */
static void test_quorum_by_role(void **state)
{
	(void)state;
	static const char *staff =
		"roles:\n  - {code: clerk, name: 文员}\n  - {code: boss, name: 老板}\n"
		"staff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk]}\n  - {login: b, name: 乙, dept: d1, roles: [boss]}\n";
	char *dir = small_config();
	t_write(dir, "staff.yaml", staff);
	t_write(dir, "workflow.yaml", W_SIGN "    quorum:\n      by_role:\n        - {role: clerk, scope: case_dept}\n"
	                              "        - {role: boss}\n");
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(dir, &c, &d);
	assert_int_equal(rc, KS_INVALID);
	assert_true(t_has_diag(&d, "workflow.yaml:16:11: 会签角色 boss 须列在动作 sign 的 roles 中"));
	conf_diags_free(&d);
	/* listed in the action's roles: fine */
	t_write(dir, "workflow.yaml", W_SIGN "    quorum:\n      by_role:\n        - {role: clerk, scope: case_dept}\n"
	                              "        - {role: boss}\n");
	char *wf = ks_asprintf("%s/workflow.yaml", dir);
	char *cmd = ks_asprintf("sed -i '12s/roles: \\[clerk\\]/roles: [clerk, boss]/' '%s'", wf);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	rc = conf_load(dir, &c, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	assert_int_equal(rc, KS_OK);
	const conf_action *a = conf_find_action(c, "sign");
	assert_non_null(a);
	assert_int_equal(a->quorum, 2);
	assert_int_equal(a->nquorum_by_role, 2);
	assert_string_equal(a->quorum_by_role[0].role, "clerk");
	assert_int_equal(a->quorum_by_role[0].scope, SCOPE_CASE_DEPT);
	assert_int_equal(a->quorum_by_role[1].scope, SCOPE_ANY);
	conf_free(c);
	conf_diags_free(&d);
	/* nobody holds boss any more */
	t_write(dir, "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\n  - {code: boss, name: 老板}\n"
	                           "staff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk]}\n");
	rc = conf_load(dir, &c, &d);
	assert_int_equal(rc, KS_INVALID);
	assert_true(t_has_diag(&d, "workflow.yaml:16:11: 动作 sign 须由老板会签，但没有在职员工有此角色"));
	conf_diags_free(&d);
	free(wf);
	t_rmdir(dir);
}

/* a register rule's roles must be intake roles; its conditions must use the
 * intake form's fields (not another form's) */
static void test_register_rules(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\n  - {code: boss, name: 老板}\n"
	                           "staff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk, boss]}\n");
	t_write(dir, "forms/f2.yaml", "form:\n  code: f2\n  title: 表二\n  fields:\n    - {key: note, label: 备注, type: text}\n");
	t_write(dir, "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk]\n  register:\n"
	                              "    - {when: {kind: a}, roles: [boss]}\n    - {when: {note: x}, roles: [clerk]}\n"
	                              "states:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n"
	                              "  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], form: f2}\n");
	conf *c = NULL;
	conf_diags d = {0};
	assert_int_equal(conf_load(dir, &c, &d), KS_INVALID);
	assert_true(t_has_diag(&d, "workflow.yaml:6:7: 登记规则的角色 boss 须列在 intake 的 roles 中"));
	assert_true(t_has_diag(&d, "workflow.yaml:7:7: 登记规则的条件须用登记表单的字段，note 不是"));
	conf_diags_free(&d);
	t_write(dir, "workflow.yaml", "initial: s1\nintake:\n  form: f1\n  roles: [clerk, boss]\n  register:\n"
	                              "    - {when: {kind: a}, roles: [boss]}\n"
	                              "states:\n  - {code: s1, label: 一}\n  - {code: s2, label: 二}\nactions:\n"
	                              "  - {code: go, label: 前进, from: [s1], to: s2, roles: [clerk], form: f2}\n");
	assert_int_equal(conf_load(dir, &c, &d), KS_OK);
	assert_int_equal(c->nregisters, 1);
	assert_int_equal(c->registers[0].nwhen, 1);
	assert_string_equal(c->registers[0].roles[0], "boss");
	conf_free(c);
	conf_diags_free(&d);
	t_rmdir(dir);
}

/* a staff default must suit its field: the role among the field's roles, the
 * mapped people holding one of them; role and map/dept are not mixed */
static void test_staff_default_suits(void **state)
{
	(void)state;
	char *dir = small_config();
	t_write(dir, "staff.yaml", "roles:\n  - {code: clerk, name: 文员}\n  - {code: boss, name: 老板}\n"
	                           "staff:\n  - {login: a, name: 甲, dept: d1, roles: [clerk]}\n"
	                           "  - {login: b, name: 乙, dept: d1, roles: [boss]}\n");
	t_write(dir, "forms/f2.yaml", "form:\n  code: f2\n  title: 表二\n  fields:\n"
	                              "    - {key: w1, label: 一, type: staff, roles: [boss], default: {role: clerk}}\n"
	                              "    - {key: w2, label: 二, type: staff, roles: [boss], default: {from: kind, map: {a: a}}}\n"
	                              "    - {key: w3, label: 三, type: staff, default: {role: boss, map: {a: b}}}\n"
	                              "    - {key: w4, label: 四, type: staff, default: {from: kind, map: {a: b}, dept: mine}}\n");
	t_write(dir, "workflow.yaml", WORKFLOW_OK);
	char *cmd = ks_asprintf("printf '    form: f2\\n' >> '%s/workflow.yaml'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	conf *c = NULL;
	conf_diags d = {0};
	assert_int_equal(conf_load(dir, &c, &d), KS_INVALID);
	assert_true(t_has_diag(&d, "forms/f2.yaml:5:64: default 的角色 clerk 不在字段 w1 的 roles 中"));
	assert_true(t_has_diag(&d, "forms/f2.yaml:6:64: default 的 map 中 a（甲）没有字段 w2 要求的角色"));
	assert_true(t_has_diag(&d, "forms/f2.yaml:7:67: default 按角色找人时不用 map"));
	assert_true(t_has_diag(&d, "forms/f2.yaml:8:81: default 按字段值对应时不用 dept"));
	conf_diags_free(&d);
	t_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preset_loads),
		cmocka_unit_test(test_small_loads),
		cmocka_unit_test(test_reports_to),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_quorum_by_role),
		cmocka_unit_test(test_register_rules),
		cmocka_unit_test(test_staff_default_suits),
		cmocka_unit_test(test_all_reported),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_clock_end_defaults),
		cmocka_unit_test(test_named_calendars),
		cmocka_unit_test(test_when_alternatives),
		cmocka_unit_test(test_when_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
