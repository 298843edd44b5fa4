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

/* A relative value {relative: "…"} of a date or datetime field, written out
 * as the form expects it (buf):
 *   "+1 10:00", "-2 09:30"  today plus/minus days, at a local time: YYYY-MM-DD HH:MM
 *   "-35", "+0"             today plus/minus days: the date YYYY-MM-DD
 *   "+2h", "+30m", "+3d"    the step's own time plus hours/minutes/days: YYYY-MM-DD HH:MM */
static bool demo_relative(const char *s, time_t today, time_t step, char *buf, size_t len)
{
	int days, h, m, n = 0;
	char unit;
	struct tm tm;
	if (*s != '+' && *s != '-')
		return false;
	if (sscanf(s, "%d %d:%d%n", &days, &h, &m, &n) == 3 && !s[n] && h >= 0 && h <= 23 && m >= 0 && m <= 59 &&
	    days >= -3660 && days <= 3660) {
		clock_local(today, &tm);
		time_t t = clock_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + days, h, m);
		clock_local(t, &tm);
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		         tm.tm_hour, tm.tm_min);
		return true;
	}
	n = 0;
	if (sscanf(s, "%d%n", &days, &n) == 1 && !s[n] && days >= -3660 && days <= 3660) {
		clock_local(today, &tm);
		time_t t = clock_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + days, 12, 0);
		clock_local(t, &tm);
		snprintf(buf, len, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		return true;
	}
	n = 0;
	if (sscanf(s, "%d%c%n", &days, &unit, &n) == 2 && !s[n] && days >= -100000 && days <= 100000 &&
	    (unit == 'h' || unit == 'm' || unit == 'd')) {
		time_t t = step + (time_t)days * (unit == 'h' ? 3600 : unit == 'm' ? 60 : 86400);
		clock_local(t, &tm);
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		         tm.tm_hour, tm.tm_min);
		return true;
	}
	return false;
}

/* fields map -> kv array (values point into the tree, or, for relative
 * values, into *bufs: free it). */
static ks_status demo_kvs(const ynode *m, time_t today, time_t step, form_kv **out, size_t *n, char **bufs,
                          ks_err *err)
{
	*n = 0;
	*out = NULL;
	*bufs = NULL;
	if (!m || m->kind != YNODE_MAP)
		return KS_OK;
	form_kv *kv = ks_calloc(m->n + 1, sizeof *kv);
	char *b = *bufs = ks_calloc(m->n + 1, 64);
	for (size_t i = 0; i < m->n; i++) {
		const ynode *v = m->items[i];
		const char *val = v->kind == YNODE_SCALAR ? v->str : NULL;
		if (v->kind == YNODE_MAP) {
			const ynode *r = ynode_get(v, "relative");
			char *slot = b + 64 * i;
			if (v->n != 1 || !r || r->kind != YNODE_SCALAR || !demo_relative(r->str, today, step, slot, 64)) {
				free(kv);
				free(*bufs);
				*bufs = NULL;
				return ks_errf(err, KS_INVALID,
				               "demo.yaml:%d:%d: 字段 %s 的相对时间应写为 {relative: \"+1 10:00\"}、"
				               "{relative: \"-35\"} 或 {relative: \"+2h\"}", v->line, v->col, m->keys[i]->str);
			}
			val = slot;
		}
		if (!val)
			continue;
		kv[*n].key = m->keys[i]->str;
		kv[*n].value = val;
		kv[*n].len = strlen(val);
		(*n)++;
	}
	*out = kv;
	return KS_OK;
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
	form_kv *kv;
	char *bufs;
	if ((rc = demo_kvs(ynode_get(m, "fields"), today, t, &kv, &n, &bufs, err)))
		return rc;
	if (no && act)
		rc = case_do(s, no, act, kv, n, -1, err);
	else if (!no)
		rc = case_register(s, kv, n, made, err);
	else
		rc = ks_errf(err, KS_INVALID, "demo.yaml:%d:%d: 需要 do", m->line, m->col);
	free(kv);
	free(bufs);
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
