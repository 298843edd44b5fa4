-- 005: copies (联) of paper forms.
--
-- When a workflow action with `issues` happens (closure for the 客户抱怨处理表),
-- every copy the form defines is recorded once: its holder department, its
-- purpose, who issued it and when, and a frozen snapshot of the form (title,
-- field list with the values as printed, and the case's whole fields JSON), so
-- printing a copy later always gives the same paper. A reopen leaves the rows
-- alone; the next issuing action adds a new round.
CREATE TABLE copies (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	form        TEXT NOT NULL,                   -- form code
	round       INTEGER NOT NULL,                -- 1 at the first issuing, 2 after a reopen and a second closure, …
	copy_no     INTEGER NOT NULL,                -- 第 N 联
	holder      TEXT NOT NULL,                   -- department code
	holder_name TEXT NOT NULL,                   -- its name when issued
	purpose     TEXT NOT NULL,                   -- 存, 依批示办理, …
	event_id    INTEGER NOT NULL REFERENCES events(id),
	issued_at   INTEGER NOT NULL,                -- UTC seconds
	issued_by   TEXT NOT NULL,                   -- staff login
	snapshot    TEXT NOT NULL,                   -- JSON, identical for every copy of a round
	UNIQUE (case_id, form, round, copy_no)
);
CREATE INDEX copies_holder ON copies(holder, issued_at);

-- A copy never changes once issued.
CREATE TRIGGER copies_frozen_update BEFORE UPDATE ON copies
BEGIN
	SELECT RAISE(ABORT, 'copies are never changed once issued');
END;
CREATE TRIGGER copies_frozen_delete BEFORE DELETE ON copies
BEGIN
	SELECT RAISE(ABORT, 'copies are never deleted');
END;
