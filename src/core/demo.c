/* demo.c — register the sample cases of a preset's demo.yaml. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/demo.h"
#include "kesu/case.h"
#include "kesu/clock.h"
#include "kesu/yaml.h"

/* "-6 09:15": days before today and local time. */
static bool demo_time(const char *s, time_t today, time_t *out)
{
	int days, h, m, n = 0;
	if (sscanf(s, "%d %d:%d%n", &days, &h, &m, &n) != 3 || s[n] || days > 0 || h < 0 || h > 23 ||
	    m < 0 || m > 59)
		return false;
	struct tm tm;
	clock_local(today, &tm);
	*out = clock_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + days, h, m);
	return true;
}

/* fields map -> kv array (values point into the tree). */
static form_kv *demo_kvs(const ynode *m, size_t *n)
{
	*n = 0;
	if (!m || m->kind != YNODE_MAP)
		return NULL;
	form_kv *kv = ks_calloc(m->n + 1, sizeof *kv);
	for (size_t i = 0; i < m->n; i++) {
		if (m->items[i]->kind != YNODE_SCALAR)
			continue;
		kv[*n].key = m->keys[i]->str;
		kv[*n].value = m->items[i]->str;
		kv[*n].len = strlen(m->items[i]->str);
		(*n)++;
	}
	return kv;
}

static const char *str_of(const ynode *m, const char *key)
{
	const ynode *v = ynode_get(m, key);
	return v && v->kind == YNODE_SCALAR ? v->str : NULL;
}

static ks_status demo_step(session *s, const ynode *m, time_t today, const char *no, char **made,
                           ks_err *err)
{
	const char *at = str_of(m, "at"), *as = str_of(m, "as"), *act = str_of(m, "do");
	time_t t;
	if (!at || !as || !demo_time(at, today, &t))
		return ks_errf(err, KS_INVALID, "demo.yaml:%d:%d: 需要 at（如 \"-6 09:15\"）和 as", m->line, m->col);
	clock_set_now(t);
	ks_status rc = session_login(s, as, err);
	if (rc)
		return rc;
	size_t n;
	form_kv *kv = demo_kvs(ynode_get(m, "fields"), &n);
	if (no && act)
		rc = case_do(s, no, act, kv, n, -1, err);
	else if (!no)
		rc = case_register(s, kv, n, made, err);
	else
		rc = ks_errf(err, KS_INVALID, "demo.yaml:%d:%d: 需要 do", m->line, m->col);
	free(kv);
	if (rc) {
		char msg[KS_ERR_MAX];
		snprintf(msg, sizeof msg, "%s", err->msg);
		ks_errf(err, rc, "demo.yaml:%d:%d: %s", m->line, m->col, msg);
	}
	return rc;
}

ks_status demo_load(const char *dir, const char *file, ks_err *err)
{
	ynode *root = NULL;
	ks_err e;
	if (ynode_load(file, &root, &e) != KS_OK)
		return ks_errf(err, KS_INVALID, "demo.yaml:%s", e.msg);
	session *s = NULL;
	ks_status rc = session_open(dir, &s, err);
	if (rc)
		goto out;
	const ynode *list = ynode_get(root, "demo");
	if (!list || list->kind != YNODE_SEQ) {
		rc = ks_errf(err, KS_INVALID, "demo.yaml 需要一个 demo 列表");
		goto out;
	}
	time_t today = clock_now();
	for (size_t i = 0; i < list->n && !rc; i++) {
		const ynode *m = list->items[i];
		char *no = NULL;
		if ((rc = demo_step(s, m, today, NULL, &no, err)))
			break;
		const ynode *then = ynode_get(m, "then");
		for (size_t k = 0; then && then->kind == YNODE_SEQ && k < then->n && !rc; k++)
			rc = demo_step(s, then->items[k], today, no, NULL, err);
		free(no);
	}
	clock_set_now((time_t)-1);
out:
	session_close(s);
	ynode_free(root);
	return rc;
}
