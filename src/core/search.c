/* search.c — full-text search of cases: the text a case is found by, and
 * searching as the current person. See kesu/casesearch.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "kesu/casesearch.h"
#include "kesu/case.h"
#include "kesu/form.h"
#include "kesu/text.h"
#include "kesu/tokenize.h"

/* The distinct non-empty values of a case, in the order first met. */
typedef struct values {
	char **v;
	size_t n, cap;
	size_t bytes;
} values;

/* Add s (taking it) unless it is empty or already there. */
static void values_take(values *t, char *s)
{
	if (!s || !*s) {
		free(s);
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], s)) {
			free(s);
			return;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = ks_realloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = s;
	t->bytes += strlen(s) + 1;
}

static void values_add(values *t, const char *s)
{
	if (s && *s)
		values_take(t, ks_strdup(s));
}

static void values_free(values *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* The definition of field key in any form, for labels; NULL if none. */
static const conf_field *field_def(const conf *c, const char *key)
{
	for (size_t i = 0; i < c->nforms; i++) {
		const conf_field *f = conf_form_field(&c->forms[i], key);
		if (f)
			return f;
	}
	return NULL;
}

static void add_object(const conf *c, values *t, const json_t *obj, int depth);

/* The searchable text of one stored value: strings as they are, choices,
 * departments and staff by label or name; numbers, money and yes/no are not
 * searched. */
static void add_value(const conf *c, values *t, const conf_field *fd, const json_t *v, int depth)
{
	if (depth > 8)
		return;
	if (json_is_string(v)) {
		if (!fd)
			values_add(t, json_string_value(v));
		else if (fd->type != FT_YESNO)
			values_take(t, form_value_text(c, fd, v));
	} else if (json_is_array(v)) {
		size_t i;
		const json_t *e;
		json_array_foreach(v, i, e)
			add_value(c, t, fd, e, depth + 1);
	} else if (json_is_object(v)) {
		add_object(c, t, v, depth + 1);
	}
}

static void add_object(const conf *c, values *t, const json_t *obj, int depth)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)obj, key, v)
		add_value(c, t, field_def(c, key), v, depth);
}

/* ---- the parsed events and forms of recent cases ----
 * A case's text is rebuilt from every event and form revision it has, at
 * each action, inside the writers' lock; parsing their JSON was the largest
 * part of that. Events and form revisions never change once written, so
 * their parsed JSON is kept in the session, keyed by the text itself (a hit
 * is the same text, compared in full: the result cannot differ from parsing
 * it again). search_prepare fills it before the lock is taken. */
#define JCACHE_SIZE 64   /* a case has about a dozen texts */

struct search_cache {
	struct {
		uint64_t h;
		size_t len;
		char *text;
		json_t *j;     /* NULL: not an object */
	} e[JCACHE_SIZE];
	size_t next;       /* the slot to reuse next (round robin) */
};

static uint64_t text_hash(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

/* The parsed object for text (borrowed from the cache), NULL if text is
 * not a JSON object. */
static const json_t *parsed(session *s, const char *text)
{
	if (!s->search_cache)
		s->search_cache = ks_calloc(1, sizeof *s->search_cache);
	struct search_cache *c = s->search_cache;
	size_t len = strlen(text);
	uint64_t h = text_hash(text, len);
	for (size_t i = 0; i < JCACHE_SIZE; i++)
		if (c->e[i].text && c->e[i].h == h && c->e[i].len == len && !memcmp(c->e[i].text, text, len))
			return c->e[i].j;
	json_t *j = json_loads(text, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	size_t k = c->next;
	c->next = (c->next + 1) % JCACHE_SIZE;
	free(c->e[k].text);
	json_decref(c->e[k].j);
	c->e[k].h = h;
	c->e[k].len = len;
	c->e[k].text = ks_strdup(text);
	c->e[k].j = j;
	return j;
}

const json_t *search_json_of(session *s, const char *text)
{
	return text ? parsed(s, text) : NULL;
}

void search_cache_free(session *s)
{
	struct search_cache *c = s->search_cache;
	if (!c)
		return;
	for (size_t i = 0; i < JCACHE_SIZE; i++) {
		free(c->e[i].text);
		json_decref(c->e[i].j);
	}
	free(c);
	s->search_cache = NULL;
}

/* Add the values of a JSON object given as text (ignored if not an object),
 * parsed through the cache. */
static void add_kept_json_text(session *s, values *t, const char *text)
{
	const json_t *j = text ? parsed(s, text) : NULL;
	if (j)
		add_object(s->cf, t, j, 0);
}

void search_prepare(session *s, const char *no)
{
	store_case k = {0};
	store_event *ev = NULL;
	store_form *fm = NULL;
	size_t nev = 0, nfm = 0;
	if (store_case_get(s->st, no, &k, NULL) == KS_OK &&
	    store_events(s->st, k.id, &ev, &nev, NULL) == KS_OK &&
	    store_forms(s->st, k.id, &fm, &nfm, NULL) == KS_OK) {
		for (size_t i = 0; i < nfm; i++)
			if (fm[i].fields)
				parsed(s, fm[i].fields);
		for (size_t i = 0; i < nev; i++)
			if (ev[i].fields)
				parsed(s, ev[i].fields);
	}
	store_case_clear(&k);
	store_events_free(ev, nev);
	store_forms_free(fm, nfm);
}

ks_status search_index_case(session *s, long long case_id, ks_err *err)
{
	store_case k = {0};
	store_event *ev = NULL;
	store_form *fm = NULL;
	size_t nev = 0, nfm = 0;
	values t = {0};
	ks_status rc;
	if ((rc = store_search_case(s->st, case_id, &k, err)) ||
	    (rc = store_events(s->st, case_id, &ev, &nev, err)) ||
	    (rc = store_forms(s->st, case_id, &fm, &nfm, err)))
		goto out;
	values_add(&t, k.no);
	values_add(&t, k.customer);
	values_add(&t, k.subject);
	add_kept_json_text(s, &t, k.fields);
	for (size_t i = 0; i < nfm; i++)
		add_kept_json_text(s, &t, fm[i].fields);
	for (size_t i = 0; i < nev; i++)
		add_kept_json_text(s, &t, ev[i].fields);
	/* one value a line */
	char *text = ks_malloc(t.bytes + 1), *p = text;
	for (size_t i = 0; i < t.n; i++) {
		size_t len = strlen(t.v[i]);
		memcpy(p, t.v[i], len);
		p += len;
		*p++ = '\n';
	}
	*p = '\0';
	rc = store_search_put(s->st, case_id, text, err);
	free(text);
out:
	store_case_clear(&k);
	store_events_free(ev, nev);
	store_forms_free(fm, nfm);
	values_free(&t);
	return rc;
}

/* VISIBILITY FILTER — the one place where search decides which matching
 * cases the searcher may see. store_search calls it for each match, newest
 * first, before the limit is counted, so a search returns up to limit cases
 * the person may see. To be wired to case_visible(s, c) (core, in progress);
 * until then every match is returned. */
/* Search shows only what the searcher may see (the same rule as show and list). */
static bool search_may_see(void *ctx, const store_case *c)
{
	return case_visible((session *)ctx, c);
}

/* Whether the meta flag search_backfill is 'pending'. */
static bool backfill_pending(session *s)
{
	char *v = store_meta_get(s->st, "search_backfill");
	bool pending = v && !strcmp(v, "pending");
	free(v);
	return pending;
}

/* Index the cases of a database from before the index (migration 003 set
 * search_backfill to 'pending'): every case without a row, in one
 * transaction that also marks the backfill done. Costs one meta lookup when
 * there is nothing to do. */
static ks_status backfill(session *s, ks_err *err)
{
	if (!backfill_pending(s))
		return KS_OK;
	long long *ids = NULL;
	size_t n = 0;
	ks_status rc = store_begin(s->st, err);
	if (rc)
		return rc;
	if (!backfill_pending(s))       /* another process did it meanwhile */
		goto done;
	if ((rc = store_search_missing(s->st, &ids, &n, err)))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if ((rc = search_index_case(s, ids[i], err)))
			goto fail;
	if ((rc = store_meta_set(s->st, "search_backfill", "done", err)))
		goto fail;
done:
	free(ids);
	return store_commit(s->st, err);
fail:
	free(ids);
	store_rollback(s->st);
	return rc;
}

/* Whether q has nothing but spaces (ASCII, ideographic, no-break). */
static bool blank(const char *q)
{
	size_t len = strlen(q), pos = 0;
	uint32_t cp;
	while (pos < len) {
		if (!text_utf8_next(q, len, &pos, &cp))
			return false;
		if (cp != ' ' && cp != 0x3000 && cp != 0xA0)
			return false;
	}
	return true;
}

/* Make a snippet one line: every run of spaces, tabs and newlines becomes
 * one space (the indexed text has a value a line). In place. */
static void one_line(char *s)
{
	char *w = s;
	bool space = false;
	for (char *r = s; *r; r++) {
		if (*r == '\n' || *r == '\t' || *r == ' ') {
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

static ks_status search_run(session *s, const char *query, int limit, store_search_order order, search_hit **out,
                            size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	if (!s->me)
		return ks_errf(err, KS_DENIED, "未登录：不知道是谁在检索");
	if (!query)
		query = "";
	ks_status rc = text_check(query, strlen(query), false, "检索词", err);
	if (rc)
		return rc;
	if (blank(query))
		return ks_errf(err, KS_INVALID, "检索词为空：请输入要查找的文字、案件编号、电话或订单号");
	size_t chars = text_chars(query);
	if (chars > SEARCH_QUERY_MAX)
		return ks_errf(err, KS_INVALID, "检索词太长（%zu 个字符，最多 %d 个）", chars, SEARCH_QUERY_MAX);
	char *expr = tokenize_query(query);
	if (!*expr) {
		free(expr);
		return ks_errf(err, KS_INVALID, "检索词「%s」中没有可查找的文字、字母或数字", query);
	}
	if (!(rc = backfill(s, err)))
		rc = store_search(s->st, expr, limit, order, search_may_see, s, out, n, err);
	free(expr);
	for (size_t i = 0; !rc && i < *n; i++)
		one_line((*out)[i].snippet);
	return rc;
}

ks_status search_cases(session *s, const char *query, int limit, search_hit **out, size_t *n, ks_err *err)
{
	return search_run(s, query, limit, STORE_SEARCH_NEWEST, out, n, err);
}

ks_status search_cases_ranked(session *s, const char *query, int limit, search_hit **out, size_t *n,
                              ks_err *err)
{
	return search_run(s, query, limit, STORE_SEARCH_BY_RANK, out, n, err);
}

void search_hits_free(search_hit *v, size_t n)
{
	store_search_hits_free(v, n);
}
