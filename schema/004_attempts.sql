-- 004: refused attempts, outside the audit chain.
--
-- A command that ends "not permitted" (status 3) or "conflict" (status 4) is
-- recorded here by src/main.c in its own transaction, so that an
-- administrator can see who tried what. Nothing here is hashed: the chain
-- holds what happened, this table what was refused. login is the staff
-- login asked for (--as) or, without --as, the Unix login; unix_user is
-- always the Unix account that ran kesu.
CREATE TABLE attempts (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,           -- UTC seconds (the real clock, never --now)
	login     TEXT,
	unix_user TEXT,
	command   TEXT NOT NULL,              -- the command and its arguments, controls made visible
	case_no   TEXT,                       -- the CASE argument, for commands that take one
	status    INTEGER NOT NULL,           -- 3 or 4
	message   TEXT
);
CREATE INDEX attempts_at ON attempts(at);
