-- 006: responsibility and penalties (penalty.yaml, docs/penalty.md).
--
-- The ledger: one row per amount charged to one person. Rows are booked by
-- the case action named in penalty.yaml `on` (automatic = 1: the case's loss
-- split by responsibility, breached clocks) or by a person's decision with
-- `kesu penalty` (sanctions, reversing entries). A row is never changed or
-- deleted: a correction is a new row with a negative amount that names the
-- row it reverses. The monthly cap and carry-forward are not stored; they
-- are computed from these rows whenever a month is read.
CREATE TABLE penalty_entries (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER REFERENCES cases(id),     -- NULL: not tied to a case
	event_id    INTEGER REFERENCES events(id),    -- the booking case action; NULL for a decision
	login       TEXT NOT NULL,                    -- the person charged
	month       TEXT NOT NULL,                    -- 'YYYY-MM' in business time
	kind        TEXT NOT NULL,                    -- loss | delay | sanction | reversal
	rule        TEXT NOT NULL,                    -- rule or sanction level code (penalty.yaml)
	ref         TEXT NOT NULL DEFAULT '',         -- loss: unit; delay: 'clock@due'; sanction: offence
	amount_fen  INTEGER NOT NULL,                 -- negative for a reversal
	capped      INTEGER NOT NULL,                 -- 1: within the monthly cap
	automatic   INTEGER NOT NULL,                 -- 1: booked by a case action
	reverses    INTEGER REFERENCES penalty_entries(id),
	appeal      INTEGER REFERENCES penalty_appeals(id),
	at          INTEGER NOT NULL,                 -- UTC seconds
	by          TEXT NOT NULL,                    -- staff login
	note        TEXT,
	CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
	CHECK ((kind = 'reversal') = (reverses IS NOT NULL) OR automatic = 1)
);
CREATE INDEX penalty_entries_login ON penalty_entries(login, month);
CREATE INDEX penalty_entries_case ON penalty_entries(case_id);
CREATE INDEX penalty_entries_reverses ON penalty_entries(reverses);

-- 签呈: an objection to an entry (P3, P4 5.1.13). Answered by a reversing
-- entry that names it, or by none.
CREATE TABLE penalty_appeals (
	id        INTEGER PRIMARY KEY,
	entry_id  INTEGER NOT NULL REFERENCES penalty_entries(id),
	at        INTEGER NOT NULL,
	by        TEXT NOT NULL,
	reason    TEXT NOT NULL
);
CREATE INDEX penalty_appeals_entry ON penalty_appeals(entry_id);

-- 奖罚通知单: the copies issued for each entry (penalty.yaml notice.copies,
-- e.g. 自存, 会计单位查核, 送罚扣部门). Recorded here, not in the copies (联)
-- table of 005, which holds the copies of case forms.
CREATE TABLE penalty_notices (
	id          INTEGER PRIMARY KEY,
	entry_id    INTEGER NOT NULL REFERENCES penalty_entries(id),
	copy_no     INTEGER NOT NULL,
	holder_kind TEXT NOT NULL,                    -- dept | person
	holder      TEXT NOT NULL,                    -- department code or staff login
	purpose     TEXT NOT NULL,
	issued_at   INTEGER NOT NULL,
	UNIQUE (entry_id, copy_no)
);

CREATE TRIGGER penalty_entries_frozen_update BEFORE UPDATE ON penalty_entries
BEGIN
	SELECT RAISE(ABORT, 'penalty entries are never changed: book a reversing entry');
END;
CREATE TRIGGER penalty_entries_frozen_delete BEFORE DELETE ON penalty_entries
BEGIN
	SELECT RAISE(ABORT, 'penalty entries are never deleted: book a reversing entry');
END;
CREATE TRIGGER penalty_appeals_frozen_update BEFORE UPDATE ON penalty_appeals
BEGIN
	SELECT RAISE(ABORT, 'appeals are never changed');
END;
CREATE TRIGGER penalty_appeals_frozen_delete BEFORE DELETE ON penalty_appeals
BEGIN
	SELECT RAISE(ABORT, 'appeals are never deleted');
END;
CREATE TRIGGER penalty_notices_frozen_update BEFORE UPDATE ON penalty_notices
BEGIN
	SELECT RAISE(ABORT, 'notices are never changed once issued');
END;
CREATE TRIGGER penalty_notices_frozen_delete BEFORE DELETE ON penalty_notices
BEGIN
	SELECT RAISE(ABORT, 'notices are never deleted');
END;
