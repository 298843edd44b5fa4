-- 001: the first schema — organisation mirror, cases, events, forms, deadlines.

-- Departments and staff as the configuration last said (mirrored on start).
-- Rows are never deleted, so history keeps its names; staff no longer in the
-- configuration are marked inactive.
CREATE TABLE dept (
	code   TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	parent TEXT
);

CREATE TABLE staff (
	login              TEXT PRIMARY KEY,
	name               TEXT NOT NULL,
	dept               TEXT NOT NULL,
	roles              TEXT NOT NULL,            -- space-separated role codes
	approval_limit_fen INTEGER,                  -- NULL: unlimited
	active             INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Case number sequences: one row per period (e.g. '2611'), allocated inside
-- the registering transaction.
CREATE TABLE number_seq (
	period TEXT PRIMARY KEY,
	last   INTEGER NOT NULL
);

CREATE TABLE cases (
	id          INTEGER PRIMARY KEY,
	no          TEXT NOT NULL UNIQUE,
	state       TEXT NOT NULL,
	dept        TEXT,
	assignee    TEXT,
	registrant  TEXT NOT NULL,
	customer    TEXT,
	subject     TEXT,
	fields      TEXT NOT NULL DEFAULT '{}',      -- JSON object: the case's current field values
	created_at  INTEGER NOT NULL,                -- UTC seconds
	updated_at  INTEGER NOT NULL,
	updated_by  TEXT NOT NULL,
	version     INTEGER NOT NULL                 -- = number of events
);
CREATE INDEX cases_state_dept ON cases(state, dept);
CREATE INDEX cases_created ON cases(created_at);

-- History: one row per change, in order. hash chains every event in the
-- database (SHA-256 over the previous hash and the canonical event).
CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases(id),
	seq        INTEGER NOT NULL,                 -- 1, 2, … within the case; = case version after it
	at         INTEGER NOT NULL,
	actor      TEXT NOT NULL,
	action     TEXT NOT NULL,
	from_state TEXT,
	to_state   TEXT NOT NULL,
	fields     TEXT NOT NULL DEFAULT '{}',       -- JSON: what the action recorded
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL,
	UNIQUE (case_id, seq)
);

-- Filled forms. Each filling of a form on a case is a new revision; earlier
-- revisions stay.
CREATE TABLE forms (
	id        INTEGER PRIMARY KEY,
	case_id   INTEGER NOT NULL REFERENCES cases(id),
	form      TEXT NOT NULL,
	revision  INTEGER NOT NULL,
	event_id  INTEGER NOT NULL REFERENCES events(id),
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	fields    TEXT NOT NULL,
	UNIQUE (case_id, form, revision)
);

-- Clocks on a case (filled in by the deadline engine).
CREATE TABLE deadlines (
	id               INTEGER PRIMARY KEY,
	case_id          INTEGER NOT NULL REFERENCES cases(id),
	clock            TEXT NOT NULL,
	started_at       INTEGER NOT NULL,
	due_at           INTEGER NOT NULL,
	stopped_at       INTEGER,
	status           TEXT NOT NULL,              -- running | met | breached | paused
	calendar_version TEXT,
	UNIQUE (case_id, clock)
);
CREATE INDEX deadlines_due ON deadlines(status, due_at);
