-- 008: queues ordered by due time, with visibility in SQL (issue 10;
-- src/store/queue.c, docs/performance.md "Queues").
--
-- cases.next_due is derived data: the earliest due time of the case's
-- running clocks (NULL: none running), kept by the triggers below whenever a
-- clock is written, and filled here for the cases already stored. With it a
-- queue is read from an index in due order and stops after the page:
--   cases with a running clock:    cases_clock_queue (state, dept, next_due)
--                                  cases_clock_due (next_due, state, dept)
--   the others, newest first:      cases_idle_queue (state, dept, created_at)
--                                  cases_idle_state (state, created_at)
--                                  cases_idle_created (created_at, state, dept)
-- The clock indexes are partial: only the open cases with a running clock
-- are in them, so they stay small however many cases are closed.
-- "Involved" (我的, sees: involved) is registrant OR assignee OR actor of an
-- event: one index each, so SQLite answers it as a union of index look-ups.
ALTER TABLE cases ADD COLUMN next_due INTEGER;

UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = cases.id AND d.status = 'running')
WHERE id IN (SELECT case_id FROM deadlines WHERE status = 'running');

CREATE TRIGGER deadlines_next_due_insert AFTER INSERT ON deadlines
BEGIN
	UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = NEW.case_id AND d.status = 'running')
	WHERE id = NEW.case_id
	  AND next_due IS NOT (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = NEW.case_id AND d.status = 'running');
END;

CREATE TRIGGER deadlines_next_due_update AFTER UPDATE OF case_id, due_at, status ON deadlines
BEGIN
	UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = cases.id AND d.status = 'running')
	WHERE id IN (NEW.case_id, OLD.case_id)
	  AND next_due IS NOT (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = cases.id AND d.status = 'running');
END;

CREATE TRIGGER deadlines_next_due_delete AFTER DELETE ON deadlines
BEGIN
	UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = OLD.case_id AND d.status = 'running')
	WHERE id = OLD.case_id
	  AND next_due IS NOT (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = OLD.case_id AND d.status = 'running');
END;

CREATE INDEX cases_clock_queue ON cases(state, dept, next_due) WHERE next_due IS NOT NULL;
CREATE INDEX cases_clock_due ON cases(next_due, state, dept) WHERE next_due IS NOT NULL;
CREATE INDEX cases_idle_queue ON cases(state, dept, created_at) WHERE next_due IS NULL;
CREATE INDEX cases_idle_state ON cases(state, created_at) WHERE next_due IS NULL;
CREATE INDEX cases_idle_created ON cases(created_at, state, dept) WHERE next_due IS NULL;
CREATE INDEX cases_registrant ON cases(registrant);
CREATE INDEX cases_assignee ON cases(assignee);
CREATE INDEX events_actor ON events(actor, case_id);
