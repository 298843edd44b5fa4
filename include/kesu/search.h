/* search.h — the full-text index of cases, store side (SQLite FTS5).
 *
 * One row per case in the FTS5 table case_search (schema/003_search.sql),
 * rowid = case id, one column holding the case's searchable text as core
 * builds it (core/search.c). The table uses the tokenizer "kesu"
 * (text/tokenize.c: CJK unigrams and bigrams, words, digit runs), which every
 * connection registers when it opens (store_open calls
 * store_search_register before the migrations). Writes belong to the
 * transaction of the change they index. */
#ifndef KESU_SEARCH_H
#define KESU_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include "kesu/store.h"

/* Register the FTS5 tokenizer "kesu" on s's connection. KS_FAIL if this
 * SQLite has no FTS5. Allocates nothing that outlives the connection. */
ks_status store_search_register(store *s, ks_err *err);

/* Make text the indexed text of case case_id, replacing what it had.
 * In a transaction (the one that changes the case). */
ks_status store_search_put(store *s, long long case_id, const char *text, ks_err *err);

/* The ids of cases that have no row in the index (a database from before the
 * index, or cases written by a path that did not index), ascending. Reads
 * every case id: ~30 ms for 20,000 cases, so core runs it only for the
 * one-time backfill (and a consistency check may run it). *ids is
 * allocated (caller frees; NULL when *n is 0). */
ks_status store_search_missing(store *s, long long **ids, size_t *n, ks_err *err);

/* The row of case case_id into out (cleared first; store_case_clear frees),
 * for building its indexed text. KS_NOTFOUND if there is none. */
ks_status store_search_case(store *s, long long case_id, store_case *out, ks_err *err);

/* One match. */
typedef struct store_search_hit {
	store_case c;       /* the case row (next_due is 0) */
	double rank;        /* FTS5 bm25(): negative, smaller is a better match */
	char *snippet;      /* the best fragment of the indexed text with every
	                       match between SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE,
	                       SEARCH_ELLIPSIS where the text was cut */
} store_search_hit;

#define SEARCH_MARK_OPEN  "【"
#define SEARCH_MARK_CLOSE "】"
#define SEARCH_ELLIPSIS   "…"
#define SEARCH_SNIPPET_TOKENS 16   /* positions (CJK characters or words) in a snippet */

/* Whether a matching case is to be returned (e.g. whether the searcher may
 * see it). Called newest first, with the statement still open: it may run
 * other store queries. */
typedef bool (*store_search_keep)(void *ctx, const store_case *c);

/* The order of store_search's hits, and whether they carry their rank. */
typedef enum store_search_order {
	/* newest first (descending case id, i.e. registration order); rank 0 */
	STORE_SEARCH_NEWEST,
	/* by rank (bm25, best first; ties newest first): every match is ranked
	 * and sorted before the first hit. Any bm25 rank costs, once per search,
	 * FTS5 counting the cases that match each phrase of the expression (its
	 * IDF): a walk over every match, 50-500 ms at 1,000,000 cases, against
	 * 3 ms for a newest-first page, so only this order computes it */
	STORE_SEARCH_BY_RANK,
} store_search_order;

/* The cases matching the FTS5 expression match_expr (tokenize_query's
 * output), in the given order, keeping only those keep accepts
 * (keep NULL: all) and stopping after limit kept ones (limit <= 0: no limit):
 * no more matches are read than it takes to fill the page.
 * The snippet is made only for kept cases. *out is an allocated array of *n
 * (store_search_hits_free). An expression FTS5 cannot parse: KS_INVALID. */
ks_status store_search(store *s, const char *match_expr, int limit, store_search_order order, store_search_keep keep,
                       void *ctx, store_search_hit **out, size_t *n, ks_err *err);
void store_search_hits_free(store_search_hit *v, size_t n);

#endif
