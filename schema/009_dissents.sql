-- 011: 签呈 — formal dissents on a case's decisions (P3 第九条(十一)).
--
-- A dissent is filed by a workflow action with `dissent: file` against the
-- event of a decision (an approval, a rejection, a responsibility
-- assignment…) and routed to the next approver above the one who decided
-- (核决权限: the staff of the action's `chain` roles, by approval limit). That
-- approver upholds or overturns it with an action of their own. Filing and
-- ruling are events in the audit chain; this table is the index that says
-- which dissents are open and whose queue they are in.
CREATE TABLE dissents (
	id                INTEGER PRIMARY KEY,
	case_id           INTEGER NOT NULL REFERENCES cases(id),
	event_id          INTEGER NOT NULL REFERENCES events(id),   -- the filing
	decision_event_id INTEGER NOT NULL REFERENCES events(id),   -- the decision contested
	decision_action   TEXT NOT NULL,                            -- its action code
	decided_by        TEXT NOT NULL,                            -- staff login
	filed_by          TEXT NOT NULL,                            -- staff login
	filed_dept        TEXT NOT NULL,                            -- their department then
	filed_at          INTEGER NOT NULL,                         -- UTC seconds
	routed_to         TEXT NOT NULL,                            -- the approver who rules on it
	status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'overturned')),
	ruled_event_id    INTEGER REFERENCES events(id),
	ruled_by          TEXT,
	ruled_at          INTEGER
);
CREATE INDEX dissents_case ON dissents(case_id);
CREATE INDEX dissents_routed ON dissents(routed_to, status);

-- A dissent is ruled on once; nothing else about it ever changes.
CREATE TRIGGER dissents_ruled_once BEFORE UPDATE ON dissents
WHEN OLD.status <> 'open' OR NEW.status = 'open' OR NEW.id <> OLD.id OR NEW.case_id <> OLD.case_id
     OR NEW.event_id <> OLD.event_id OR NEW.decision_event_id <> OLD.decision_event_id
     OR NEW.routed_to <> OLD.routed_to OR NEW.filed_by <> OLD.filed_by
BEGIN
	SELECT RAISE(ABORT, 'a dissent is ruled on once and never changed otherwise');
END;
CREATE TRIGGER dissents_no_delete BEFORE DELETE ON dissents
BEGIN
	SELECT RAISE(ABORT, 'dissents are never deleted');
END;
