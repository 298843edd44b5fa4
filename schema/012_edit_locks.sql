-- 008 (assigned 013; renumbered at merge): advisory edit locks.
--
-- When someone opens an action's form on a case in the terminal interface,
-- a row says who is editing it, for what action, since when and until when
-- (tui.yaml edit_lock_minutes). Others opening a form on the case are warned
-- and may go on: nothing is refused because of a lock. The row goes when the
-- form is saved or given up, and counts for nothing once expired (a session
-- that was killed). Not case data: not in the audit trail.
CREATE TABLE edit_locks (
	case_id    INTEGER NOT NULL REFERENCES cases(id),
	login      TEXT    NOT NULL,
	action     TEXT    NOT NULL,
	taken_at   INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (case_id, login)
) WITHOUT ROWID;
