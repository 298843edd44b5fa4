-- 003: full-text search over cases.
--
-- One row per case: rowid = cases.id, text = the case's searchable text
-- (number, customer, subject, and every string value of its fields, form
-- revisions and events, as core/search.c builds it). Written in the same
-- transaction as every change of the case.
--
-- The tokenizer "kesu" is registered in C on every connection before the
-- migrations run (store/search.c): CJK text as unigrams plus colocated
-- bigrams, letters and digits as words. A connection without it (the sqlite3
-- shell) can read the other tables but not this one.
--
-- Cases of a database older than this migration have no row yet: the flag
-- search_backfill = 'pending' makes core index them (store_search_missing) the
-- first time someone searches, and set it to 'done' in that transaction. A new
-- database has no cases, so no flag and nothing to check.
CREATE VIRTUAL TABLE case_search USING fts5(text, tokenize = 'kesu');
INSERT INTO meta(key, value) SELECT 'search_backfill', 'pending' WHERE EXISTS (SELECT 1 FROM cases);
