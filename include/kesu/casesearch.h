/* casesearch.h — full-text search of cases, core side: what text a case is
 * found by, and searching as the current person.
 *
 * A case is found by its number, customer, subject, and every string value
 * of its current fields, of every revision of its forms and of every event
 * (so text later replaced is still found). Choice, department and staff
 * values are indexed by their labels and names (电话, 质量部, 张三), not
 * their codes. Chinese terms of any length match (tokenize.h): 漏, 退货,
 * 热处理, 客户不接受; a term of two or more characters matches only where
 * its characters are adjacent. Case, phone and order numbers match exactly
 * (2611-001, 0512-66881234, PO-2026-118), in full-width too. */
#ifndef KESU_CASESEARCH_H
#define KESU_CASESEARCH_H

#include "kesu/session.h"
#include "kesu/search.h"

#define SEARCH_QUERY_MAX 200     /* characters in a query */

/* Rebuild the indexed text of case case_id from the database and store it
 * (store_search_put). Must be called inside the open transaction of the
 * change (it neither begins nor commits), after the case, its event and its
 * form revision are written. KS_NOTFOUND if there is no such case. */
ks_status search_index_case(session *s, long long case_id, ks_err *err);

/* Before the transaction of an action on case no: read and parse its events
 * and form revisions into the session's cache, so that search_index_case,
 * inside the writers' lock, finds them parsed. Only a saving: errors are
 * ignored (search_index_case reads everything again in the transaction). */
void search_prepare(session *s, const char *no);
/* An event's or a form revision's fields (JSON text) parsed, through that
 * cache: borrowed, read-only, valid until the cache takes 64 other texts
 * (json_incref to keep it longer). NULL if text is not a JSON object. */
const struct json_t *search_json_of(session *s, const char *text);
/* Free the session's cache (session_close). */
void search_cache_free(session *s);

/* One case found: the case row, its bm25 rank (negative, smaller is
 * better; 0 from search_cases, which does not compute it) and a one-line snippet with matches between 【 and 】 and … where
 * the text was cut. The snippet is stored text: pass it through text_visible
 * before display. */
typedef store_search_hit search_hit;

/* The cases matching query that the current person may see, newest first, at
 * most limit of them (limit <= 0: all). query is what a person typed: terms
 * separated by spaces or Chinese punctuation, all of which must match (see
 * tokenize_query). Refused with KS_INVALID and a Chinese message: a query
 * that is empty or only spaces, has control characters or invalid UTF-8
 * (text_check), is longer than SEARCH_QUERY_MAX characters, or has no
 * letter, digit or CJK character. Not logged in: KS_DENIED.
 * In a database from before the index (meta search_backfill = 'pending'),
 * the cases without a row are indexed first, in one transaction. *out is an allocated array of *n (search_hits_free). */
ks_status search_cases(session *s, const char *query, int limit, search_hit **out, size_t *n, ks_err *err);
/* search_cases ordered by relevance (bm25, best first) instead of newest
 * first: every match is ranked, so a common term costs more. */
ks_status search_cases_ranked(session *s, const char *query, int limit, search_hit **out, size_t *n,
                              ks_err *err);
void search_hits_free(search_hit *v, size_t n);

#endif
