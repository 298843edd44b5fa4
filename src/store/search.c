/* search.c — the FTS5 index of cases: the "kesu" tokenizer, writing a case's
 * row, and searching with bm25 ranking and snippets. See kesu/search.h. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "kesu/search.h"
#include "kesu/tokenize.h"
#include "private.h"

/* ---- the tokenizer -------------------------------------------------------- */

/* The tokenizer keeps no state: every instance is this one object. */
static int tokenizer_instance;

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	*out = NULL;
	if (argc > 0)
		return SQLITE_ERROR;    /* "kesu" takes no options */
	*out = (Fts5Tokenizer *)&tokenizer_instance;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

typedef struct fts_sink {
	void *ctx;
	int (*token)(void *, int, const char *, int, int, int);
} fts_sink;

static int tok_emit(void *ctx, int flags, const char *tok, size_t len, size_t start, size_t end)
{
	fts_sink *k = ctx;
	return k->token(k->ctx, (flags & TOKENIZE_COLOCATED) ? FTS5_TOKEN_COLOCATED : 0, tok, (int)len,
	                (int)start, (int)end);
}

/* FTS5 asks for the tokens of a document (to index it, or for snippet and
 * highlight) or of a phrase of a MATCH expression (FTS5_TOKENIZE_QUERY). */
static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        int (*token)(void *, int, const char *, int, int, int))
{
	(void)t;
	if (!text || n <= 0)
		return SQLITE_OK;
	fts_sink k = { ctx, token };
	return tokenize_each(text, (size_t)n, (flags & FTS5_TOKENIZE_QUERY) ? TOKENIZE_QUERY : TOKENIZE_INDEX,
	                     tok_emit, &k);
}

ks_status store_search_register(store *s, ks_err *err)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return ks_errf(err, KS_FAIL, "本机的 SQLite 不支持全文检索（FTS5）：%s", sqlite3_errmsg(s->db));
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2)
		return ks_errf(err, KS_FAIL, "本机的 SQLite 不支持全文检索（FTS5）");
	static fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	if (api->xCreateTokenizer(api, "kesu", NULL, &tok, NULL) != SQLITE_OK)
		return store_db_err(s, err, "注册分词器");
	return KS_OK;
}

/* ---- writing -------------------------------------------------------------- */

ks_status store_search_put(store *s, long long case_id, const char *text, ks_err *err)
{
	static const char q_old[] = "SELECT text FROM case_search WHERE rowid = :id";
	static const char q_del[] = "DELETE FROM case_search WHERE rowid = :id";
	static const char q_ins[] = "INSERT INTO case_search(rowid, text) VALUES (:id, :text)";
	if (!text)
		text = "";
	/* Most actions add no searchable text (accept, close, …): then the row
	 * stays as it is. Rewriting it would tokenize the old and the new text
	 * and write a new index segment at COMMIT, inside the writers' lock. */
	sqlite3_stmt *st = store_stmt(s, q_old, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	ks_status rc = store_step(s, st, err, "更新检索索引");
	bool same = rc == KS_OK && sqlite3_column_type(st, 0) == SQLITE_TEXT &&
	            (size_t)sqlite3_column_bytes(st, 0) == strlen(text) &&
	            !memcmp(sqlite3_column_text(st, 0), text, strlen(text));
	sqlite3_reset(st);
	if (rc || same)
		return rc;
	if (!(st = store_stmt(s, q_del, err)))
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	rc = store_step(s, st, err, "更新检索索引");
	sqlite3_reset(st);
	if (rc)
		return rc;
	if (!(st = store_stmt(s, q_ins, err)))
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	store_bind_text(st, ":text", text);
	rc = store_step(s, st, err, "更新检索索引");
	sqlite3_reset(st);
	return rc;
}

ks_status store_search_missing(store *s, long long **ids, size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT id FROM cases WHERE id NOT IN (SELECT rowid FROM case_search) ORDER BY id";
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = ks_realloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (r != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return store_db_err(s, err, "检查检索索引");
	}
	return KS_OK;
}

/* ---- searching ------------------------------------------------------------ */

void store_search_hits_free(store_search_hit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		store_case_clear(&v[i].c);
		free(v[i].snippet);
	}
	free(v);
}

ks_status store_search_case(store *s, long long id, store_case *c, ks_err *err)
{
	static const char q[] =
		"SELECT id, no, state, dept, assignee, registrant, customer, subject, fields, "
		"created_at, updated_at, updated_by, version FROM cases WHERE id = :id";
	store_case_clear(c);
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", id);
	int r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return ks_errf(err, KS_NOTFOUND, "案件 %lld 不存在", id);
	if (r != SQLITE_ROW)
		return store_db_err(s, err, "读取案件");
	c->id = sqlite3_column_int64(st, 0);
	c->no = store_col_text(st, 1);
	c->state = store_col_text(st, 2);
	c->dept = store_col_text(st, 3);
	c->assignee = store_col_text(st, 4);
	c->registrant = store_col_text(st, 5);
	c->customer = store_col_text(st, 6);
	c->subject = store_col_text(st, 7);
	c->fields = store_col_text(st, 8);
	c->created_at = (time_t)sqlite3_column_int64(st, 9);
	c->updated_at = (time_t)sqlite3_column_int64(st, 10);
	c->updated_by = store_col_text(st, 11);
	c->version = sqlite3_column_int(st, 12);
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_search(store *s, const char *match_expr, int limit, store_search_order order, store_search_keep keep,
                       void *ctx, store_search_hit **out, size_t *n, ks_err *err)
{
	/* Newest first: FTS5 walks its doclists in descending rowid (= case id =
	 * registration order) itself, so nothing is sorted and the walk stops
	 * as soon as `limit` cases the searcher may see are found — the cost is
	 * the page, not the number of matches (ordering by bm25 `rank` ranked
	 * and sorted every match first: 456 ms for a common term at 1,000,000
	 * cases). Without the rank column: bm25's first call counts, for each
	 * phrase, every row that matches it (FTS5's xQueryPhrase, for the IDF),
	 * which is the whole doclist again — 56 ms for 开裂 and 116 ms for 模具冷却
	 * at 1,000,000 cases against 2.5 and 3.3 ms for the page without it. */
	static const char q[] =
		"SELECT rowid, 0.0, snippet(case_search, 0, '" SEARCH_MARK_OPEN "', '" SEARCH_MARK_CLOSE "', '"
		SEARCH_ELLIPSIS "', :ntok) FROM case_search WHERE case_search MATCH :q ORDER BY rowid DESC";
	/* by relevance (bm25, best first; ties newest first): every match is
	 * ranked and sorted before the first row, so the cost grows with the
	 * number of matches */
	static const char q_rank[] =
		"SELECT rowid, rank, snippet(case_search, 0, '" SEARCH_MARK_OPEN "', '" SEARCH_MARK_CLOSE "', '"
		SEARCH_ELLIPSIS "', :ntok) FROM case_search WHERE case_search MATCH :q ORDER BY rank, rowid DESC";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, order == STORE_SEARCH_BY_RANK ? q_rank : q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":q", match_expr);
	store_bind_int(st, ":ntok", SEARCH_SNIPPET_TOKENS);
	ks_status rc = KS_OK;
	size_t cap = 0;
	store_case c = {0};
	int r = SQLITE_DONE;
	while ((limit <= 0 || *n < (size_t)limit) && (r = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		double rank = sqlite3_column_double(st, 1);
		if ((rc = store_search_case(s, id, &c, err)))
			goto fail;
		if (keep && !keep(ctx, &c))
			continue;
		/* the snippet of the row in hand (a second MATCH … AND rowid = ?
		 * per hit would run the whole expression again) */
		const unsigned char *sn = sqlite3_column_text(st, 2);
		char *snip = ks_strdup(sn ? (const char *)sn : "");
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_search_hit *h = &(*out)[(*n)++];
		h->c = c;
		memset(&c, 0, sizeof c);
		h->rank = rank;
		h->snippet = snip;
	}
	if ((limit <= 0 || *n < (size_t)limit) && r != SQLITE_DONE) {
		/* SQLITE_ERROR while stepping: FTS5 could not parse the expression
		 * ("fts5: syntax error near …", "unterminated string") */
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_ERROR)
			rc = ks_errf(err, KS_INVALID, "检索式无效：%s", sqlite3_errmsg(s->db));
		else
			rc = store_db_err(s, err, "全文检索");
		goto fail;
	}
	sqlite3_reset(st);
	store_case_clear(&c);   /* the last case looked at, if not kept */
	return KS_OK;
fail:
	sqlite3_reset(st);
	store_case_clear(&c);
	store_search_hits_free(*out, *n);
	*out = NULL;
	*n = 0;
	return rc;
}
