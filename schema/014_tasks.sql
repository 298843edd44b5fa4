-- 014 (assigned 015; renumbered at merge): periodic tasks (tasks.yaml, issue 9): the record that a task was done
-- for a period, and the reminders issued about task periods.
--
-- task_done is the audit record of a completion: who, when, the note and (for
-- a task with `report:`) the headline figures of the report it produced. It
-- is append-only: the database refuses updates and deletes, and a period is
-- done at most once. The rows are hash-chained in id order (domain
-- "kesu-task-v1"), checked by `kesu audit verify` after the events.
CREATE TABLE task_done (
	id      INTEGER PRIMARY KEY,
	task    TEXT    NOT NULL,
	period  TEXT    NOT NULL,              -- "2026-11", "2026-W48", "2026-11-27"
	due_at  INTEGER NOT NULL,              -- the period's due time when it was done
	at      INTEGER NOT NULL,
	by      TEXT    NOT NULL,              -- staff login
	note    TEXT,
	report  TEXT,                          -- JSON: the report's headline figures, or NULL
	prev_hash TEXT NOT NULL,               -- the chain of completions (core/audit.c audit_task_hash)
	hash      TEXT NOT NULL,
	UNIQUE (task, period)
);
CREATE TRIGGER task_done_no_update BEFORE UPDATE ON task_done
BEGIN SELECT RAISE(ABORT, 'task_done is append-only'); END;
CREATE TRIGGER task_done_no_delete BEFORE DELETE ON task_done
BEGIN SELECT RAISE(ABORT, 'task_done is append-only'); END;

-- One reminder per task, period and kind (due | late): `kesu remind` is idempotent.
CREATE TABLE task_reminders (
	task    TEXT    NOT NULL,
	period  TEXT    NOT NULL,
	kind    TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	due_at  INTEGER NOT NULL,
	PRIMARY KEY (task, period, kind)
) WITHOUT ROWID;
