/* test_form.c — form validation (issue 4: "units for every field type's
 * validation and every form's required fields").
 *
 * 1. Every field type (text, longtext, choice, number, money, date, datetime,
 *    staff, department, yesno): values accepted (and their canonical form)
 *    and values refused, each refusal KS_INVALID with a message naming the
 *    field's label and the reason (length, range, choices, bad date, unknown,
 *    inactive or role-limited staff, bad money such as 1.234 or -5, overflow).
 * 2. Every preset under config/presets/ (the directory is read, not listed
 *    here), every form, every required field: a fill with every other
 *    required field valid and that one missing is refused naming its label,
 *    and the complete fill is accepted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include "kesu/form.h"
#include "kesu/clock.h"
#include "testlib.h"

static conf *load_preset(const char *dir, const char *preset)
{
	t_config(dir, preset);
	char *cdir = ks_asprintf("%s/config", dir);
	conf *c = NULL;
	conf_diags d = {0};
	if (conf_load(cdir, &c, &d) != KS_OK) {
		for (size_t i = 0; i < d.n; i++)
			print_error("%s: %s\n", preset, d.msgs[i]);
		fail_msg("preset %s does not load", preset);
	}
	conf_diags_free(&d);
	free(cdir);
	return c;
}

/* ---- 1. field types ---- */

static conf *C;      /* the manufacturing preset, for staff, departments and roles */
static char *CDIR;

static int setup_types(void **state)
{
	(void)state;
	CDIR = t_tmpdir();
	C = load_preset(CDIR, "manufacturing");
	return 0;
}

static int teardown_types(void **state)
{
	(void)state;
	conf_free(C);
	t_rmdir(CDIR);
	return 0;
}

/* s is accepted by fd; its canonical JSON (compact) is want (NULL: not checked) */
static void accepts(const conf_field *fd, const char *s, const char *want)
{
	json_t *v = NULL;
	ks_err err = {0};
	ks_status st = form_parse_value(C, fd, s, strlen(s), &v, &err);
	if (st != KS_OK)
		fail_msg("「%s」 refused %s: %s", fd->label, s, err.msg);
	if (want) {
		char *got = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		if (strcmp(got, want))
			fail_msg("「%s」 %s → %s, want %s", fd->label, s, got, want);
		free(got);
	}
	json_decref(v);
}

/* s is refused by fd with KS_INVALID, the message naming 「label」 and
 * containing reason */
static void refuses(const conf_field *fd, const char *s, const char *reason)
{
	json_t *v = NULL;
	ks_err err = {0};
	ks_status st = form_parse_value(C, fd, s, strlen(s), &v, &err);
	if (st == KS_OK) {
		char *got = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		fail_msg("「%s」 accepted %s as %s, want refused (%s)", fd->label, s, got, reason);
	}
	assert_int_equal(st, KS_INVALID);
	char *lab = ks_asprintf("「%s」", fd->label);
	if (!strstr(err.msg, lab) || !strstr(err.msg, reason))
		fail_msg("「%s」 refusing %s: message [%s] should name %s and say %s", fd->label, s, err.msg, lab, reason);
	free(lab);
}

static conf_field field(field_type t, const char *key, const char *label)
{
	conf_field f = { .key = (char *)key, .label = (char *)label, .type = t,
	                 .max_len = t == FT_LONGTEXT ? 5000 : 200 };
	return f;
}

static void test_text(void **state)
{
	(void)state;
	conf_field f = field(FT_TEXT, "part_no", "料号");
	f.max_len = 5;
	accepts(&f, "HK-01", "\"HK-01\"");
	accepts(&f, "齿轮外壳件", "\"齿轮外壳件\"");     /* five characters, not bytes */
	accepts(&f, "", "\"\"");                         /* optional: empty means not given */
	refuses(&f, "齿轮外壳件A", "过长：6 个字，最多 5 个字");
	refuses(&f, "a\nb", "料号");                     /* one line only */
	refuses(&f, "a\x1b[2Jb", "料号");                /* control characters */
	refuses(&f, "\xe4\xb8", "料号");                 /* not UTF-8 */
	f.required = true;
	refuses(&f, "", "必填");
}

static void test_longtext(void **state)
{
	(void)state;
	conf_field f = field(FT_LONGTEXT, "detail", "投诉内容");
	f.max_len = 10;
	accepts(&f, "第一行\n第二行", "\"第一行\\n第二行\"");
	refuses(&f, "一二三四五六七八九十十一", "过长：12 个字，最多 10 个字");
	refuses(&f, "ab\x07", "投诉内容");
	f.required = true;
	refuses(&f, "", "必填");
}

static void test_choice(void **state)
{
	(void)state;
	conf_choice ch[] = { { "phone", "电话" }, { "letter", "信函" } };
	conf_field f = field(FT_CHOICE, "channel", "受理渠道");
	f.choices = ch;
	f.nchoices = 2;
	accepts(&f, "phone", "\"phone\"");
	accepts(&f, "信函", "\"letter\"");               /* by label */
	refuses(&f, "email", "可选：phone（电话）、letter（信函）");
	refuses(&f, "Phone", "值无效");
	f.required = true;
	refuses(&f, "", "必填");
}

static void test_number(void **state)
{
	(void)state;
	conf_choice sp[] = { { "pending", "客户加工中未确定" } };
	conf_field f = field(FT_NUMBER, "defect_qty", "不良数量");
	f.has_min = f.has_max = true;
	f.min = 0;
	f.max = 1000;
	accepts(&f, "0", "0");
	accepts(&f, "1000", "1000");
	refuses(&f, "-1", "不能小于 0");
	refuses(&f, "1001", "不能大于 1000");
	refuses(&f, "12a", "应为整数");
	refuses(&f, "1.5", "应为整数");
	refuses(&f, "99999999999999999999", "应为整数");  /* overflow */
	f.special = sp;
	f.nspecial = 1;
	accepts(&f, "客户加工中未确定", "\"pending\"");
	accepts(&f, "pending", "\"pending\"");
	refuses(&f, "unknown", "pending（客户加工中未确定）");
}

static void test_money(void **state)
{
	(void)state;
	conf_field f = field(FT_MONEY, "loss", "客诉损失金额");
	accepts(&f, "1234.5", "123450");
	accepts(&f, "1,234.56", "123456");
	accepts(&f, "0.01", "1");
	accepts(&f, "80000", "8000000");
	refuses(&f, "1.234", "应为金额");               /* three decimals */
	refuses(&f, "-5", "应为金额");                  /* negative */
	refuses(&f, "12,34", "应为金额");               /* misplaced separator */
	refuses(&f, "五百", "应为金额");
	refuses(&f, "1e3", "应为金额");
	refuses(&f, "99999999999999999999", "应为金额"); /* overflow */
	char big[32];
	snprintf(big, sizeof big, "%lld", LLONG_MAX / 100 + 1);
	refuses(&f, big, "应为金额");
	f.has_min = f.has_max = true;
	f.min = 100;          /* 1.00 元 */
	f.max = 500000;       /* 5,000.00 元 */
	accepts(&f, "1", "100");
	refuses(&f, "0.99", "不能小于 1.00 元");
	refuses(&f, "5000.01", "不能大于 5,000.00 元");
}

static void test_dates(void **state)
{
	(void)state;
	conf_field d = field(FT_DATE, "ship_date", "交运日期");
	accepts(&d, "2026-11-02", "\"2026-11-02\"");
	accepts(&d, "2024-02-29", NULL);
	refuses(&d, "2026-02-30", "应为日期 YYYY-MM-DD");
	refuses(&d, "2025-02-29", "应为日期");
	refuses(&d, "2026-13-01", "应为日期");
	refuses(&d, "2026/11/02", "应为日期");
	refuses(&d, "2026-11-02 09:00", "应为日期");     /* a time is not a date */
	conf_field t = field(FT_DATETIME, "visit_at", "回访时间");
	accepts(&t, "2026-11-02 09:30", "\"2026-11-02 09:30\"");
	refuses(&t, "2026-11-02", "应为日期时间 YYYY-MM-DD HH:MM");
	refuses(&t, "2026-11-02 24:30", "应为日期时间");
	refuses(&t, "2026-11-02 09:61", "应为日期时间");
	refuses(&t, "yesterday", "应为日期时间");
}

static void test_staff(void **state)
{
	(void)state;
	conf_field f = field(FT_STAFF, "accused", "被投诉人");
	accepts(&f, "zhijian", "\"zhijian\"");
	refuses(&f, "nobody", "没有登录名为 nobody 的员工");
	/* role-limited: only a 总经理 may be named */
	const conf_staff *gm = NULL, *other = NULL;
	for (size_t i = 0; i < C->nstaff; i++)
		for (size_t k = 0; k < C->staff[i].nroles; k++) {
			if (!strcmp(C->staff[i].roles[k], "gm"))
				gm = &C->staff[i];
		}
	for (size_t i = 0; i < C->nstaff && !other; i++) {
		bool has = false;
		for (size_t k = 0; k < C->staff[i].nroles; k++)
			has |= !strcmp(C->staff[i].roles[k], "gm");
		if (!has)
			other = &C->staff[i];
	}
	assert_non_null(gm);
	assert_non_null(other);
	char *roles[] = { "gm" };
	f.roles = roles;
	f.nroles = 1;
	accepts(&f, gm->login, NULL);
	char *why = ks_asprintf("%s 不是%s", other->name, conf_find_role(C, "gm")->name);
	refuses(&f, other->login, why);
	free(why);
	/* inactive staff (no longer configured) */
	f.roles = NULL;
	f.nroles = 0;
	conf_staff *p = (conf_staff *)conf_find_staff(C, "zhijian");
	p->active = false;
	refuses(&f, "zhijian", "已停用");
	p->active = true;
}

static void test_dept_yesno(void **state)
{
	(void)state;
	conf_field d = field(FT_DEPT, "prod_unit", "生产单位");
	accepts(&d, "quality", "\"quality\"");
	accepts(&d, conf_find_dept(C, "quality")->name, "\"quality\"");   /* by name */
	refuses(&d, "nowhere", "没有代码或名称为 nowhere 的部门");
	conf_field y = field(FT_YESNO, "accepted", "客户接受");
	accepts(&y, "yes", "\"yes\"");
	accepts(&y, "是", "\"yes\"");
	accepts(&y, "否", "\"no\"");
	accepts(&y, "n", "\"no\"");
	refuses(&y, "maybe", "应为 yes（是）或 no（否）");
	y.required = true;
	refuses(&y, "", "必填");
}

/* form_fill: unknown, repeated and over-long keys are refused too */
static void test_fill_keys(void **state)
{
	(void)state;
	const conf_form *f = conf_find_form(C, C->intake_form);
	assert_non_null(f);
	json_t *out = NULL;
	ks_err err;
	form_kv unknown[] = { { "no_such_field", "x", 1 } };
	assert_int_equal(form_fill(C, f, unknown, 1, &out, &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "未知字段 no_such_field"));
	const conf_field *fd = &f->fields[0];
	form_kv twice[] = { { fd->key, "a", 1 }, { fd->key, "b", 1 } };
	assert_int_equal(form_fill(C, f, twice, 2, &out, &err), KS_INVALID);
	assert_non_null(strstr(err.msg, "给了不止一次"));
	assert_non_null(strstr(err.msg, fd->label));
	assert_null(out);
}

/* ---- 2. every preset, every form, every required field ---- */

/* A valid value for fd in c (static buffer or a string of c). */
static const char *valid(const conf *c, const conf_field *fd)
{
	static char buf[64];
	switch (fd->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		return "x";
	case FT_CHOICE:
		return fd->choices[0].value;
	case FT_NUMBER: {
		long long v = fd->has_min ? fd->min : fd->has_max && fd->max < 1 ? fd->max : 1;
		snprintf(buf, sizeof buf, "%lld", v);
		return buf;
	}
	case FT_MONEY: {
		long long v = fd->has_min ? fd->min : fd->has_max && fd->max < 100 ? fd->max : 100;
		if (v < 0)
			v = fd->has_max && fd->max >= 0 ? 0 : v;
		snprintf(buf, sizeof buf, "%lld.%02lld", v / 100, v % 100);
		return buf;
	}
	case FT_DATE:
		return "2026-11-02";
	case FT_DATETIME:
		return "2026-11-02 09:30";
	case FT_STAFF:
		for (size_t i = 0; i < c->nstaff; i++) {
			const conf_staff *p = &c->staff[i];
			bool ok = p->active && fd->nroles == 0;
			for (size_t r = 0; r < fd->nroles && !ok; r++)
				for (size_t k = 0; k < p->nroles && !ok; k++)
					ok = p->active && !strcmp(fd->roles[r], p->roles[k]);
			if (ok)
				return p->login;
		}
		fail_msg("no staff for 「%s」", fd->label);
		return NULL;
	case FT_DEPT:
		return c->depts[0].code;
	case FT_YESNO:
		return "yes";
	case FT__COUNT:
		break;
	}
	return "";
}

static void test_required_every_preset(void **state)
{
	(void)state;
	char *pdir = ks_asprintf("%s/config/presets", t_src());
	DIR *d = opendir(pdir);
	assert_non_null(d);
	struct dirent *e;
	int presets = 0, forms = 0, checked = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *yaml = ks_asprintf("%s/%s/preset.yaml", pdir, e->d_name);
		bool is_preset = access(yaml, R_OK) == 0;
		free(yaml);
		if (!is_preset)
			continue;
		presets++;
		char *dir = t_tmpdir();
		conf *c = load_preset(dir, e->d_name);
		for (size_t i = 0; i < c->nforms; i++) {
			const conf_form *f = &c->forms[i];
			form_kv *kv = ks_calloc(f->nfields + 1, sizeof *kv);
			size_t n = 0;
			for (size_t k = 0; k < f->nfields; k++)
				if (f->fields[k].required) {
					const char *v = valid(c, &f->fields[k]);
					kv[n++] = (form_kv){ f->fields[k].key, ks_strdup(v), strlen(v) };
				}
			json_t *out = NULL;
			ks_err err;
			if (form_fill(c, f, kv, n, &out, &err) != KS_OK)
				fail_msg("%s: the complete fill of %s is refused: %s", e->d_name, f->code, err.msg);
			json_decref(out);
			forms += n > 0;
			/* each required field left out in turn */
			for (size_t m = 0; m < n; m++) {
				form_kv *less = ks_calloc(n, sizeof *less);
				size_t j = 0;
				for (size_t k = 0; k < n; k++)
					if (k != m)
						less[j++] = kv[k];
				const conf_field *fd = conf_form_field(f, kv[m].key);
				out = NULL;
				ks_status st = form_fill(c, f, less, j, &out, &err);
				if (st != KS_INVALID)
					fail_msg("%s: %s without 「%s」 (%s) gives %d, want refused", e->d_name, f->code,
					         fd->label, fd->key, st);
				char *lab = ks_asprintf("「%s」", fd->label);
				if (!strstr(err.msg, lab) || !strstr(err.msg, "必填"))
					fail_msg("%s: %s without %s: message [%s] should name %s as required", e->d_name, f->code,
					         fd->key, err.msg, lab);
				free(lab);
				assert_null(out);
				/* an empty value is not a value either */
				less[j] = (form_kv){ kv[m].key, "", 0 };
				st = form_fill(c, f, less, j + 1, &out, &err);
				if (st != KS_INVALID || !strstr(err.msg, fd->label))
					fail_msg("%s: %s with %s empty gives %d [%s], want refused naming it", e->d_name, f->code,
					         fd->key, st, st ? err.msg : "");
				free(less);
				checked++;
			}
			for (size_t k = 0; k < n; k++)
				free((char *)kv[k].value);
			free(kv);
		}
		conf_free(c);
		t_rmdir(dir);
	}
	closedir(d);
	free(pdir);
	print_message("%d presets, %d forms with required fields, %d required fields checked\n", presets, forms,
	              checked);
	assert_true(presets >= 12);
	assert_true(checked > presets);
}

int main(void)
{
	const struct CMUnitTest types[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_longtext),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_staff),
		cmocka_unit_test(test_dept_yesno),
		cmocka_unit_test(test_fill_keys),
	};
	const struct CMUnitTest presets[] = {
		cmocka_unit_test(test_required_every_preset),
	};
	int rc = cmocka_run_group_tests_name("field types", types, setup_types, teardown_types);
	rc |= cmocka_run_group_tests_name("required fields of every preset", presets, NULL, NULL);
	return rc;
}
