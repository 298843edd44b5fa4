-- 002: clocks and reminders.
--
-- A deadline row is one clock of one case (limits.yaml). Its due time is
-- computed from started_at, the clock's limit and the case's history (time in
-- paused states is added back), so recomputing never counts a pause twice.

ALTER TABLE deadlines ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN unit TEXT NOT NULL DEFAULT 'days';

-- 催办单 (urge: a running clock is late), 治办单 (inquiry: a closed case
-- finished a clock late), and warnings before a clock is due. One row per
-- run of a clock (its start), kind and level: running `kesu remind` twice
-- creates nothing new, but a clock restarted (return, reopen) and late again
-- gets new ones.
CREATE TABLE reminders (
	id        INTEGER PRIMARY KEY,
	case_id   INTEGER NOT NULL REFERENCES cases(id),
	clock     TEXT NOT NULL,
	started_at INTEGER NOT NULL,      -- the start of the clock's run it is about
	kind      TEXT NOT NULL,          -- warn | urge | inquiry
	level     INTEGER NOT NULL,
	at        INTEGER NOT NULL,       -- when it was issued
	dept      TEXT,                   -- the department it is addressed to
	role      TEXT,                   -- the role it escalates to, if any
	due_at    INTEGER NOT NULL,
	late      INTEGER NOT NULL,       -- seconds late when issued (negative: before due)
	UNIQUE (case_id, clock, started_at, kind, level)
);
