/* tuiconf.c — load tui.yaml: the advisory edit lock's lifetime and key
 * bindings that replace the defaults of TUI_REQ_LIST (tuiconf.h). Request
 * and key names are checked against the same tables the interface uses
 * (keymap.h), expanding only their name columns. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/tuiconf.h"
#include "kesu/keymap.h"
#include "kesu/yaml.h"
#include "loader.h"

#define TUICONF_LOCK_MAX (24 * 60)   /* minutes: a lock lasting longer is a mistake */

static const char *const req_names[] = {
#define TUICONF_REQ_NAME(req, name, ...) name,
	TUI_REQ_LIST(TUICONF_REQ_NAME)
#undef TUICONF_REQ_NAME
};

static const char *const key_names[] = {
#define TUICONF_KEY_NAME(name, code) name,
	TUI_KEYNAME_LIST(TUICONF_KEY_NAME)
#undef TUICONF_KEY_NAME
};

#define NREQ (sizeof req_names / sizeof req_names[0])
#define NKEYNAME (sizeof key_names / sizeof key_names[0])

tuikey_kind tuiconf_key_parse(const char *name, int *value)
{
	size_t len = strlen(name);
	if (len == 1 && name[0] > 0x20 && name[0] < 0x7f) {
		*value = name[0];
		return TUIKEY_CHAR;
	}
	if (len == 6 && !strncmp(name, "Ctrl-", 5) && name[5] >= 'A' && name[5] <= 'Z') {
		*value = name[5] - '@';
		return TUIKEY_CHAR;
	}
	if ((len == 2 || len == 3) && name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int f = atoi(name + 1);
		if (f >= 1 && f <= 12 && (len == 2 || (name[2] >= '0' && name[2] <= '9'))) {
			*value = f;
			return TUIKEY_FN;
		}
	}
	for (size_t i = 0; i < NKEYNAME; i++)
		if (!strcmp(key_names[i], name)) {
			*value = (int)i;
			return TUIKEY_NAMED;
		}
	return TUIKEY_BAD;
}

/* How many codes a (valid) key name stands for. */
static int key_codes(const char *name)
{
	int n = 0;
	for (size_t i = 0; i < NKEYNAME; i++)
		n += !strcmp(key_names[i], name);
	return n ? n : 1;
}

/* Where the key name (already checked) was first bound in binds[0..nb), or NULL. */
static const tuiconf_bind *bound_where(const tuiconf_bind *b, size_t nb, const char *key)
{
	for (size_t i = 0; i < nb; i++)
		for (size_t k = 0; k < b[i].nkeys; k++)
			if (!strcmp(b[i].keys[k], key))
				return &b[i];
	return NULL;
}

static void read_keys(yl *L, tuiconf *t, const ynode *keys)
{
	if (keys->kind != YNODE_MAP) {
		yl_diag(L, keys, "keys 应为映射（请求名: [按键, …]），实际是%s", ynode_kind_name(keys));
		return;
	}
	t->binds = ks_calloc(keys->n ? keys->n : 1, sizeof *t->binds);
	for (size_t i = 0; i < keys->n; i++) {
		const ynode *kn = keys->keys[i], *v = keys->items[i];
		bool known = false;
		for (size_t r = 0; r < NREQ; r++)
			known |= !strcmp(req_names[r], kn->str);
		if (!known) {
			char list[1024] = "";
			for (size_t r = 0; r < NREQ; r++) {
				if (*list)
					strncat(list, ", ", sizeof list - strlen(list) - 1);
				strncat(list, req_names[r], sizeof list - strlen(list) - 1);
			}
			yl_diag(L, kn, "未知的请求 %s（可用：%s）", kn->str, list);
			continue;
		}
		for (size_t j = 0; j < t->nbinds; j++)
			if (!strcmp(t->binds[j].req, kn->str))
				yl_diag(L, kn, "请求 %s 重复定义（第 %d 行已有）", kn->str, t->binds[j].pos.line);
		if (v->kind == YNODE_SCALAR && !*v->str)
			v = NULL;   /* "move-down:" with nothing: unbound */
		if (v && v->kind != YNODE_SEQ) {
			yl_diag(L, v, "%s 的按键应为列表，如 [j, Down]，实际是%s", kn->str, ynode_kind_name(v));
			continue;
		}
		tuiconf_bind *b = &t->binds[t->nbinds];
		b->req = ks_strdup(kn->str);
		b->pos = (conf_pos){ L->file, kn->line, kn->col };
		b->keys = ks_calloc(v && v->n ? v->n : 1, sizeof *b->keys);
		int codes = 0;
		for (size_t k = 0; v && k < v->n; k++) {
			const ynode *key = v->items[k];
			int val;
			if (key->kind != YNODE_SCALAR || tuiconf_key_parse(key->str, &val) == TUIKEY_BAD) {
				yl_diag(L, key, "未知的按键 %s（可用：一个可打印的 ASCII 字符、Ctrl-A 到 Ctrl-Z、F1 到 F12，"
				      "或 Space Enter Tab Shift-Tab Esc Backspace Delete Insert Up Down Left Right PgUp PgDn Home End）",
				      key->kind == YNODE_SCALAR ? key->str : ynode_kind_name(key));
				continue;
			}
			const tuiconf_bind *prev = bound_where(t->binds, t->nbinds + 1, key->str);
			if (prev) {
				yl_diag(L, key, "按键 %s 重复：已绑定给 %s（第 %d 行）", key->str, prev->req, prev->pos.line);
				continue;
			}
			codes += key_codes(key->str);
			if (codes > TUI_KEYS_MAX - 1) {
				yl_diag(L, key, "%s 的按键太多（最多 %d 个）", kn->str, TUI_KEYS_MAX - 1);
				break;
			}
			b->keys[b->nkeys++] = ks_strdup(key->str);
		}
		t->nbinds++;
	}
}

static void read_root(yl *L, tuiconf *t, const ynode *root)
{
	static const char *const top[] = { "edit_lock_minutes", "keys", NULL };
	if (root->kind != YNODE_MAP) {
		yl_diag(L, root, "文件内容应为映射，实际是%s", ynode_kind_name(root));
		return;
	}
	for (size_t i = 0; i < root->n; i++) {
		const ynode *k = root->keys[i], *v = root->items[i];
		if (!strcmp(k->str, "keys")) {
			read_keys(L, t, v);
		} else if (!strcmp(k->str, "edit_lock_minutes")) {
			char *end = NULL;
			errno = 0;
			long m = v->kind == YNODE_SCALAR ? strtol(v->str, &end, 10) : -1;
			if (v->kind != YNODE_SCALAR || !*v->str || *end || errno || m < 0 || m > TUICONF_LOCK_MAX)
				yl_diag(L, v, "edit_lock_minutes 应为 0 到 %d 之间的整数（分钟）", TUICONF_LOCK_MAX);
			else
				t->edit_lock_minutes = m;
		} else {
			yl_unknown_key(L, k, top);
		}
	}
}

void conf_load_tui(conf *c, conf_diags *d)
{
	yl L = { .d = d, .file = "tui.yaml" };
	ynode *root = yl_load_optional(&L, c->dir);
	if (root) {
		/* the binds' positions point at the name, which lives as long as c */
		L.file = yl_keep_name(c, L.file);
		tuiconf *t = ks_calloc(1, sizeof *t);
		read_root(&L, t, root);
		if (L.bad)
			tuiconf_free(t);
		else
			c->tui = t;
	}
	ynode_free(root);
}

void tuiconf_free(tuiconf *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nbinds; i++) {
		free(t->binds[i].req);
		for (size_t k = 0; k < t->binds[i].nkeys; k++)
			free(t->binds[i].keys[k]);
		free(t->binds[i].keys);
	}
	free(t->binds);
	free(t);
}

long conf_edit_lock_seconds(const conf *c)
{
	return c && c->tui ? c->tui->edit_lock_minutes * 60 : 0;
}
