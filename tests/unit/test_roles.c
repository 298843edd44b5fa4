/* test_roles.c — the engine's rules about people (issue 9): 会签 by role
 * (quorum by_role, one holder of each role, of the case's department where
 * scoped), with the signatures matched to the roles whatever their order;
 * who may register by the intake's fields (intake `register:`); staff
 * fields filled by role or by a mapping (`default:`). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "kesu/case.h"
#include "kesu/clock.h"
#include "testlib.h"

static const char *STAFF =
	"roles:\n"
	"  - {code: clerk, name: 文员, sees: all}\n"
	"  - {code: mgr, name: 部门经理, sees: all}\n"
	"  - {code: gm, name: 总经理, sees: all}\n"
	"staff:\n"
	"  - {login: c, name: 丙, dept: d1, roles: [clerk], reports_to: m1}\n"
	"  - {login: m1, name: 一经理, dept: d1, roles: [mgr], reports_to: g}\n"
	"  - {login: m2, name: 二经理, dept: d2, roles: [mgr]}\n"
	"  - {login: g, name: 总经理甲, dept: d2, roles: [gm, mgr]}\n"
	"  - {login: g2, name: 总经理乙, dept: d1, roles: [gm]}\n";

static const char *WORKFLOW =
	"initial: s1\n"
	"intake:\n"
	"  form: f1\n"
	"  roles: [clerk, mgr]\n"
	"  register:\n"
	"    - {when: {channel: letter}, roles: [mgr]}\n"
	"states:\n"
	"  - {code: s1, label: 一}\n"
	"  - {code: s2, label: 二, final: true}\n"
	"actions:\n"
	"  - code: sign\n"
	"    label: 会签\n"
	"    from: [s1]\n"
	"    to: s2\n"
	"    roles: [mgr, gm]\n"
	"    quorum:\n"
	"      by_role:\n"
	"        - {role: mgr, scope: case_dept}\n"
	"        - {role: gm}\n"
	"  - code: take\n"
	"    label: 接手\n"
	"    from: [s1]\n"
	"    roles: [clerk]\n"
	"    set_assignee: who\n"
	"    fields:\n"
	"      - {key: who, label: 经理, type: staff, roles: [mgr], required: true, default: {role: mgr}}\n"
	"      - {key: pick, label: 分管, type: staff, default: {from: dept, map: {one: m1}}}\n"
	"      - {key: boss, label: 总经理, type: staff, roles: [gm], default: {role: gm, dept: any}}\n"
	"      - {key: reg_up, label: 登记人上级, type: staff, default: {superior_of: registrant}}\n"
	"      - {key: as_up, label: 承办人上级, type: staff, default: {superior_of: assignee}}\n"
	"  - code: move\n"
	"    label: 转部门\n"
	"    from: [s1]\n"
	"    roles: [clerk]\n"
	"    set_dept: to\n"
	"    fields:\n"
	"      - {key: to, label: 转到, type: department, required: true}\n"
	"      - {key: mgr2, label: 新经理, type: staff, roles: [mgr], required: true, default: {role: mgr}}\n";

static const char *FORM =
	"form:\n"
	"  code: f1\n"
	"  title: 表一\n"
	"  fields:\n"
	"    - {key: name, label: 名称, type: text, required: true}\n"
	"    - key: dept\n"
	"      label: 部门\n"
	"      type: choice\n"
	"      required: true\n"
	"      choices:\n"
	"        - {value: one, label: 一部}\n"
	"        - {value: two, label: 二部}\n"
	"    - key: channel\n"
	"      label: 来源\n"
	"      type: choice\n"
	"      choices:\n"
	"        - {value: phone, label: 电话}\n"
	"        - {value: letter, label: 来信}\n"
	"    - {key: accused, label: 被投诉人, type: staff, recuse: true}\n"
	"    - {key: receiver, label: 第一接待人, type: staff, default: {self: true}, fixed: true}\n"
	"    - {key: my_up, label: 登记人上级, type: staff, default: {superior_of: me}}\n";

typedef t_fixture fixture;

static int setup(void **state)
{
	fixture *f = ks_calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	char *cd = ks_asprintf("%s/config", f->dir);
	t_small_config(cd, "departments:\n  - {code: d1, name: 一部}\n  - {code: d2, name: 二部}\n", STAFF, WORKFLOW,
	               "routes:\n  - {when: {dept: one}, dept: d1}\n  - dept: d2\n", FORM);
	free(cd);
	f->s = t_session(f->dir);
	*state = f;
	return 0;
}

static char *reg(session *s, const char *dept)
{
	form_kv kv[] = { { "name", "甲", strlen("甲") }, { "dept", dept, strlen(dept) } };
	return t_register(s, "c", kv, 2);
}

static ks_status sign(session *s, const char *no, const char *who, ks_err *err)
{
	t_as(s, who);
	return case_do(s, no, "sign", NULL, 0, -1, err);
}

static const char *state_of(session *s, const char *no)
{
	static char buf[16];
	case_view v;
	ks_err err;
	t_as(s, "g");
	if (case_load(s, no, &v, &err))
		fail_msg("%s", err.msg);
	snprintf(buf, sizeof buf, "%s", v.c.state);
	case_view_free(&v);
	return buf;
}

/* The quorum of sign on case no: "have/need awaiting-roles". */
static char *quorum_text(session *s, const char *no)
{
	case_view v;
	ks_err err;
	t_as(s, "g");
	if (case_load(s, no, &v, &err))
		fail_msg("%s", err.msg);
	const conf_action *a = conf_find_action(s->cf, "sign");
	case_quorum q;
	if (case_quorum_status(s, &v.c, a, &q, &err))
		fail_msg("%s", err.msg);
	char *out = ks_asprintf("%zu/%zu", q.have, q.need);
	for (size_t r = 0; r < q.nslots; r++)
		if (q.awaiting[r]) {
			char *t = case_quorum_role_text(s, &v.c, &a->quorum_by_role[r]);
			char *u = ks_asprintf("%s %s", out, t);
			free(t);
			free(out);
			out = u;
		}
	case_quorum_free(&q);
	case_view_free(&v);
	return out;
}

/* One holder of each role: the gm alone is not enough; the case's own
 * manager completes it; a manager of another department may not sign. */
static void test_by_role(void **state)
{
	fixture *f = *state;
	char *no = reg(f->s, "one");   /* department d1 */
	ks_err err;
	char *q = quorum_text(f->s, no);
	assert_string_equal(q, "0/2 部门经理（一部） 总经理");
	free(q);
	assert_int_equal(sign(f->s, no, "g", &err), KS_OK);
	assert_string_equal(state_of(f->s, no), "s1");
	q = quorum_text(f->s, no);
	assert_string_equal(q, "1/2 部门经理（一部）");
	free(q);
	/* the gm again: already signed */
	assert_int_equal(sign(f->s, no, "g", &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "已会签「会签」（1/2）"));
	/* another gm: the gm entry is filled */
	assert_int_equal(sign(f->s, no, "g2", &err), KS_INVALID);
	assert_string_equal(err.msg, "「会签」中 总经理乙 能会签的角色已有人会签；尚待：部门经理（一部）");
	/* the manager of d2 is not the case's department's */
	assert_int_equal(sign(f->s, no, "m2", &err), KS_DENIED);
	assert_string_equal(err.msg, "二经理 不能会签「会签」（须由以下各一人会签：部门经理（一部）、总经理）");
	assert_string_equal(state_of(f->s, no), "s1");
	assert_int_equal(sign(f->s, no, "m1", &err), KS_OK);
	assert_string_equal(state_of(f->s, no), "s2");
	free(no);
}

/* The gm who is also d2's manager signs first and could fill either entry;
 * d2's other manager then still completes the quorum (the gm is moved to the
 * gm entry), and a second manager of the same kind is refused. */
static void test_by_role_matching(void **state)
{
	fixture *f = *state;
	char *no = reg(f->s, "two");   /* department d2 */
	ks_err err;
	assert_int_equal(sign(f->s, no, "g", &err), KS_OK);
	char *q = quorum_text(f->s, no);
	assert_string_equal(q, "1/2 总经理");   /* g fills 部门经理 first, in signing order */
	free(q);
	assert_int_equal(sign(f->s, no, "m2", &err), KS_OK);
	assert_string_equal(state_of(f->s, no), "s2");
	free(no);

	/* d1's case: m1 signs; m2 (d2) fits nothing; g completes it */
	no = reg(f->s, "one");
	assert_int_equal(sign(f->s, no, "m1", &err), KS_OK);
	assert_int_equal(sign(f->s, no, "m2", &err), KS_DENIED);
	assert_int_equal(sign(f->s, no, "g", &err), KS_OK);
	assert_string_equal(state_of(f->s, no), "s2");
	free(no);
}

/* intake `register:`: the rule whose `when` holds names who may register;
 * a case no rule covers needs only the intake roles. */
static void test_register_by_channel(void **state)
{
	fixture *f = *state;
	ks_err err;
	char *no = NULL;
	form_kv letter[] = { { "name", "甲", strlen("甲") }, { "dept", "one", 3 }, { "channel", "letter", 6 } };
	t_as(f->s, "c");
	assert_int_equal(case_register(f->s, letter, 3, &no, &err), KS_DENIED);
	assert_null(no);
	assert_string_equal(err.msg, "丙 不能登记「来源」为 来信的投诉：须由 部门经理 登记");
	/* a bad field is reported before the right */
	form_kv bad[] = { { "dept", "one", 3 }, { "channel", "letter", 6 } };
	assert_int_equal(case_register(f->s, bad, 2, &no, &err), KS_INVALID);
	t_as(f->s, "m1");
	assert_int_equal(case_register(f->s, letter, 3, &no, &err), KS_OK);
	assert_non_null(no);
	free(no);
	no = NULL;
	/* phone: no rule, the intake roles decide (clerk and mgr alike) */
	form_kv phone[] = { { "name", "甲", strlen("甲") }, { "dept", "one", 3 }, { "channel", "phone", 5 } };
	assert_int_equal(case_register(f->s, phone, 3, &no, &err), KS_OK);
	free(no);
	no = NULL;
	t_as(f->s, "c");
	assert_int_equal(case_register(f->s, phone, 3, &no, &err), KS_OK);
	free(no);
	/* no role among the intake roles at all: the old refusal */
	t_as(f->s, "g2");
	assert_int_equal(case_register(f->s, phone, 3, &no, &err), KS_DENIED);
	assert_non_null(strstr(err.msg, "没有登记客诉的权限"));
}

/* Staff field defaults: the one holder of a role in the case's department,
 * several (refused when required, naming them), a recused holder skipped,
 * a mapping from a choice value, a value the mapping lacks (left empty). */
static void test_staff_default(void **state)
{
	fixture *f = *state;
	ks_err err;
	char *no = reg(f->s, "one");   /* d1: one manager, m1 */
	t_as(f->s, "c");
	assert_int_equal(case_do(f->s, no, "take", NULL, 0, -1, &err), KS_OK);
	case_view v;
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	json_t *fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "who")), "m1");
	assert_string_equal(json_string_value(json_object_get(fl, "pick")), "m1");   /* 一部 → m1 */
	json_decref(fl);
	assert_string_equal(v.c.assignee, "m1");
	case_view_free(&v);
	free(no);

	/* d2: two managers (m2, and g who is also gm): the person must choose */
	no = reg(f->s, "two");
	t_as(f->s, "c");
	assert_int_equal(case_do(f->s, no, "take", NULL, 0, -1, &err), KS_INVALID);
	assert_string_equal(err.msg, "「经理」(who) 未填，也无法自动确定：二部有 2 名部门经理（二经理、总经理甲），请指定");
	/* the gm is not unique either (g, g2): optional, so left empty, no error */
	form_kv who[] = { { "who", "m2", 2 }, { "pick", "", 0 } };
	if (case_do(f->s, no, "take", who, 2, -1, &err))
		fail_msg("%s", err.msg);
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "who")), "m2");
	assert_null(json_object_get(fl, "pick"));   /* 二部 has no mapping */
	assert_null(json_object_get(fl, "boss"));
	json_decref(fl);
	case_view_free(&v);
	free(no);

	/* moving a d2 case to d1: the default looks in d1 (m1), not in d2 (two) */
	no = reg(f->s, "two");
	t_as(f->s, "c");
	form_kv mv[] = { { "to", "一部", strlen("一部") } };
	if (case_do(f->s, no, "move", mv, 1, -1, &err))
		fail_msg("%s", err.msg);
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "mgr2")), "m1");
	assert_string_equal(v.c.dept, "d1");
	json_decref(fl);
	case_view_free(&v);
	free(no);

	/* d2 with g complained about: g is recused, m2 is the one manager left */
	form_kv kv[] = { { "name", "甲", strlen("甲") }, { "dept", "two", 3 }, { "accused", "g", 1 } };
	t_as(f->s, "c");
	assert_int_equal(case_register(f->s, kv, 3, &no, &err), KS_OK);
	assert_int_equal(case_do(f->s, no, "take", NULL, 0, -1, &err), KS_OK);
	t_as(f->s, "m2");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(v.c.assignee, "m2");
	case_view_free(&v);
	free(no);
}

/* `default: {self: true}`: the person registering; `{superior_of: …}`: the
 * direct superior (reports_to) of me / the registrant / the assignee, left
 * empty (optional) when there is none. */
static void test_self_and_superior(void **state)
{
	fixture *f = *state;
	ks_err err;
	char *no = reg(f->s, "one");   /* registered by c, who reports to m1 */
	case_view v;
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	json_t *fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "receiver")), "c");
	assert_string_equal(json_string_value(json_object_get(fl, "my_up")), "m1");
	json_decref(fl);
	case_view_free(&v);
	/* take: the assignee becomes m1 (by role) — but defaults are computed on
	 * the case before the action: registrant c → m1; no assignee yet → empty */
	t_as(f->s, "c");
	assert_int_equal(case_do(f->s, no, "take", NULL, 0, -1, &err), KS_OK);
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "reg_up")), "m1");
	assert_null(json_object_get(fl, "as_up"));
	json_decref(fl);
	case_view_free(&v);
	/* taken again now that m1 is the assignee: m1 reports to g */
	t_as(f->s, "c");
	assert_int_equal(case_do(f->s, no, "take", NULL, 0, -1, &err), KS_OK);
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "as_up")), "g");
	json_decref(fl);
	case_view_free(&v);
	free(no);

	/* registered by m2 (no reports_to): receiver m2, no superior; given
	 * explicitly, the receiver is kept */
	form_kv kv[] = { { "name", "甲", strlen("甲") }, { "dept", "two", 3 }, { "receiver", "c", 1 } };
	t_as(f->s, "m2");
	assert_int_equal(case_register(f->s, kv, 2, &no, &err), KS_OK);
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "receiver")), "m2");
	assert_null(json_object_get(fl, "my_up"));
	json_decref(fl);
	case_view_free(&v);
	free(no);
	t_as(f->s, "m2");
	assert_int_equal(case_register(f->s, kv, 3, &no, &err), KS_OK);
	t_as(f->s, "g");
	if (case_load(f->s, no, &v, &err))
		fail_msg("%s", err.msg);
	fl = json_loads(v.c.fields, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(fl, "receiver")), "c");
	json_decref(fl);
	case_view_free(&v);
	free(no);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_by_role, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_by_role_matching, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_register_by_channel, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_staff_default, setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_self_and_superior, setup, t_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
