/* test_loader.c — src/conf/loader.c, what the configuration readers share:
 * the FILE:LINE:COL diagnostic, at once or held and sorted into file order;
 * unknown keys named with the keys allowed; the typed reads; a `when`;
 * "read the file if it is there". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kesu/text.h"
#include "../../src/conf/loader.h"
#include "testlib.h"

static bool utf8_valid(const char *s)
{
	size_t pos = 0, len = strlen(s);
	uint32_t cp;
	while (pos < len)
		if (!text_utf8_next(s, len, &pos, &cp))
			return false;
	return true;
}

static ynode *parse(const char *text)
{
	ynode *root = NULL;
	ks_err e;
	if (ynode_parse(text, strlen(text), &root, &e))
		fail_msg("%s", e.msg);
	assert_non_null(root);
	return root;
}

/* d holds exactly msgs[0..n), in this order. */
static void want(const conf_diags *d, const char *const *msgs, size_t n)
{
	bool same = d->n == n;
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(d->msgs[i], msgs[i]);
	if (same)
		return;
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "  %s\n", d->msgs[i]);
	assert_int_equal(d->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(d->msgs[i], msgs[i]);
}

/* Unknown keys, with and without the list; at once, in the order made. */
static void test_keys(void **state)
{
	(void)state;
	static const char *const allowed[] = { "code", "name", NULL };
	ynode *root = parse("code: a\nzz: 1\nname: b\nqq: 2\n");
	conf_diags d = {0};
	yl L = { .d = &d, .file = "x.yaml" };
	yl_check_keys(&L, root, allowed);
	yl_check_keys_short(&L, root, allowed);
	yl_check_keys(&L, ynode_get(root, "code"), allowed);   /* not a map: nothing */
	static const char *const msgs[] = {
		"x.yaml:2:1: 未知的键 zz（此处可用的键：code, name）",
		"x.yaml:4:1: 未知的键 qq（此处可用的键：code, name）",
		"x.yaml:2:1: 未知的键 zz",
		"x.yaml:4:1: 未知的键 qq",
	};
	want(&d, msgs, 4);
	assert_true(L.bad);
	conf_diags_free(&d);
	ynode_free(root);
}

/* Held diagnostics come out by line, column, then the order they were made;
 * nothing reaches d before yl_flush. A NULL node is 1:1. */
static void test_sorted(void **state)
{
	(void)state;
	ynode *root = parse("a: 1\nb: [x, y]\n");
	conf_diags d = {0};
	yl L = { .d = &d, .file = "p.yaml", .sorted = true };
	const ynode *b = ynode_get(root, "b");
	yl_diag(&L, b->items[1], "second item");
	yl_diag(&L, b->items[0], "first item");
	yl_diag(&L, ynode_get(root, "a"), "a, one");
	yl_diag(&L, ynode_get(root, "a"), "a, two");
	yl_diag(&L, NULL, "the file");
	assert_int_equal(d.n, 0);
	yl_flush(&L);
	static const char *const msgs[] = {
		"p.yaml:1:1: the file", "p.yaml:1:4: a, one", "p.yaml:1:4: a, two", "p.yaml:2:5: first item",
		"p.yaml:2:8: second item",
	};
	want(&d, msgs, 5);
	conf_diags_free(&d);
	ynode_free(root);
}

/* A message longer than the 1,024 bytes of a ks_err is cut at a character,
 * never inside one. */
static void test_long_message(void **state)
{
	(void)state;
	char key[1500];
	memset(key, 0, sizeof key);
	for (size_t i = 0; i + 3 < sizeof key - 1; i += 3)
		memcpy(key + i, "键", 3);
	char *text = ks_asprintf("%s: 1\n", key);
	ynode *root = parse(text);
	conf_diags d = {0};
	yl L = { .d = &d, .file = "t.yaml" };
	static const char *const allowed[] = { "a", NULL };
	yl_check_keys(&L, root, allowed);
	assert_int_equal(d.n, 1);
	const char *m = d.msgs[0] + strlen("t.yaml:1:1: ");
	assert_true(strlen(m) < 1024);
	assert_true(strlen(m) > 1000);
	assert_true(utf8_valid(m));
	conf_diags_free(&d);
	ynode_free(root);
	free(text);
}

static void test_reads(void **state)
{
	(void)state;
	ynode *root = parse("n: 12\nbig: 99\nneg: x\nt: \"\"\ns: ok\nb: yes\nbb: maybe\n");
	conf_diags d = {0};
	yl L = { .d = &d, .file = "r.yaml" };
	int x = -1;
	assert_true(yl_int(&L, ynode_get(root, "n"), "n", 0, 20, &x));
	assert_int_equal(x, 12);
	assert_false(yl_int(&L, ynode_get(root, "big"), "big", 0, 20, &x));
	assert_false(yl_int(&L, ynode_get(root, "neg"), "neg", 0, 20, &x));
	assert_int_equal(x, 12);
	assert_null(yl_text(&L, root, "t", true));
	assert_null(yl_text(&L, root, "missing", true));
	assert_null(yl_text(&L, root, "optional", false));
	assert_string_equal(yl_text(&L, root, "s", true), "ok");
	assert_true(yl_bool(&L, root, "b", false));
	assert_false(yl_bool(&L, root, "bb", false));
	assert_true(yl_bool(&L, root, "absent", true));
	assert_false(yl_want_kind(&L, ynode_get(root, "s"), YNODE_SEQ, "s"));
	assert_true(yl_ident_ok("a-1_b"));
	assert_false(yl_ident_ok("A"));
	assert_false(yl_ident_ok(""));
	static const char *const msgs[] = {
		"r.yaml:2:6: big 应为 0 到 20 之间的整数", "r.yaml:3:6: neg 应为 0 到 20 之间的整数",
		"r.yaml:4:4: t 应为非空文本",           "r.yaml:1:1: 缺少必需的键 missing",
		"r.yaml:7:5: bb 应为 true 或 false",      "r.yaml:5:4: s 应为列表，实际是文本",
	};
	want(&d, msgs, 6);
	conf_diags_free(&d);
	ynode_free(root);
}

/* A when: one map, or a list of maps, each an alternative. */
static void read_map(void *ctx, const ynode *m, conf_cond *r, size_t *n, int alt)
{
	yl *L = ctx;
	for (size_t i = 0; i < m->n; i++) {
		conf_cond *c = &r[(*n)++];
		c->field = ks_strdup(m->keys[i]->str);
		c->alt = alt;
		if (!yl_cond_values(L, m->items[i], c))
			yl_diag(L, m->items[i], "条件 %s 的值应为文本或列表", c->field);
	}
}

static void free_conds(conf_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].field);
		yl_free_strs(c[i].values, c[i].nvalues);
	}
	free(c);
}

static void test_when(void **state)
{
	(void)state;
	ynode *root = parse("one: {a: x, b: [y, z]}\n"
	                    "alt: [{a: x}, {b: y, c: [w, [1]]}]\n"
	                    "bad: [1, {}, {d: {e: 1}}]\n"
	                    "empty: []\n"
	                    "text: x\n");
	conf_diags d = {0};
	yl L = { .d = &d, .file = "w.yaml" };
	size_t n;
	conf_cond *c = yl_conds(&L, ynode_get(root, "one"), &n, read_map, &L);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].field, "a");
	assert_int_equal(c[0].nvalues, 1);
	assert_string_equal(c[1].values[1], "z");
	assert_int_equal(c[1].alt, 0);
	free_conds(c, n);
	c = yl_conds(&L, ynode_get(root, "alt"), &n, read_map, &L);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].alt, 0);
	assert_int_equal(c[1].alt, 1);
	assert_int_equal(c[2].alt, 1);
	assert_int_equal(c[2].nvalues, 1);   /* [1] is not a text */
	free_conds(c, n);
	assert_int_equal(d.n, 1);
	c = yl_conds(&L, ynode_get(root, "bad"), &n, read_map, &L);
	assert_int_equal(n, 1);
	free_conds(c, n);
	c = yl_conds(&L, ynode_get(root, "empty"), &n, read_map, &L);
	assert_int_equal(n, 0);
	free_conds(c, n);
	assert_null(yl_conds(&L, ynode_get(root, "text"), &n, read_map, &L));
	assert_null(yl_conds(&L, NULL, &n, read_map, &L));
	static const char *const msgs[] = {
		"w.yaml:2:29: 条件的值应为文本",
		"w.yaml:3:7: when 列表的每一项 应为映射，实际是文本",
		"w.yaml:3:10: when 列表的第 2 项没有条件",
		"w.yaml:3:18: 条件 d 的值应为文本或列表",
		"w.yaml:4:8: when 的列表不能为空（列表中每一项是一组条件，满足其一即可）",
		"w.yaml:5:7: when 应为映射，实际是文本",
	};
	want(&d, msgs, 6);
	conf_diags_free(&d);
	ynode_free(root);
}

/* Absent: NULL, nothing said. Empty: NULL, nothing said. Broken: NULL,
 * "FILE:LINE:COL: …", bad. Good: the tree. */
static void test_load_optional(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	conf_diags d = {0};
	yl L = { .d = &d, .file = "o.yaml" };
	assert_null(yl_load_optional(&L, dir));
	t_write(dir, "o.yaml", "");
	assert_null(yl_load_optional(&L, dir));
	assert_int_equal(d.n, 0);
	assert_false(L.bad);
	t_write(dir, "o.yaml", "a: [\n");
	assert_null(yl_load_optional(&L, dir));
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], "o.yaml:2:1: YAML 语法错误：did not find expected node content");
	assert_true(L.bad);
	t_write(dir, "o.yaml", "a: 1\n");
	ynode *root = yl_load_optional(&L, dir);
	assert_non_null(root);
	assert_string_equal(ynode_get(root, "a")->str, "1");
	ynode_free(root);
	conf_diags_free(&d);
	t_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_when),
		cmocka_unit_test(test_load_optional),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
