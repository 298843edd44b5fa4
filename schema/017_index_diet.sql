-- 017: an index diet (issue 10; docs/performance.md "Index diet (session 4)").
--
-- Every index a write changes costs that write a page in the WAL (and the
-- checkpoint copies it again): a transition touched ~30 B-trees, ~33 pages.
-- These indexes served no statement kesu runs (tests/unit/test_plans.c asks
-- SQLite for the plan of every statement of the queue, show, search, report,
-- remind and the writes, and keeps them indexed), or only a statement that
-- another index serves as well. (cases_created stays although it is the
-- prefix of cases_created_dept: its entries end in the rowid, so it gives
-- ORDER BY created_at DESC, id DESC without a sort; it costs a page only
-- at registration.) Indexes only: an existing database loses or
-- rebuilds them when it is migrated; no row changes. (IF EXISTS: a
-- database put together by hand from older migrations, as
-- tests/cli/penalty_migrate.sh does, may lack one.)

-- "Involved" in a queue is checked on each case of the queue's own index
-- (+c.registrant, +c.assignee, a probe into events); these two served only
-- store_case_count, which nothing calls any more (removed). cases_assignee
-- was a page on every change of a case: UPDATE cases sets assignee.
DROP INDEX IF EXISTS cases_registrant;
DROP INDEX IF EXISTS cases_assignee;

-- cases_state_dept (state, dept): a page on nearly every action (the state
-- changes). kesu's statements used it only for the monthly report's "open
-- at the cut-off" (and newest-first lists filtered by state, which nothing
-- asks for: queues are in due order, export takes no state). That count
-- now reads the queue's partial indexes that lead with the state and
-- between them hold every case (cases_idle_state, cases_clock_queue).
DROP INDEX IF EXISTS cases_state_dept;

-- "Involved" also means the actor of an event: one probe per case of a
-- queue (e.case_id = c.id AND e.actor = :login). events_case_states
-- answers it as well once it holds the actor after the case, so events_actor
-- (actor, case_id) goes: one B-tree fewer for every event written. The
-- monthly report reads events_case_states over a range of case ids and
-- needs its columns, not their order after case_id.
DROP INDEX IF EXISTS events_actor;
DROP INDEX IF EXISTS events_case_states;
CREATE INDEX events_case_states ON events(case_id, actor, to_state, from_state, at);

-- Since schema/013 the queue reads cases.next_due, and deadlines_running
-- (case_id, due_at) WHERE status = 'running' served only the triggers that
-- keep it. They now find the case's clocks by deadlines(case_id, clock) (a
-- case has a few): the same triggers with "+d.status", without which
-- SQLite would answer MIN(due_at) from deadlines_due (status, due_at) by
-- walking every running clock in due order until one is the case's (the
-- problem schema/007 described).
DROP INDEX IF EXISTS deadlines_running;
DROP TRIGGER IF EXISTS deadlines_next_due_insert;
DROP TRIGGER IF EXISTS deadlines_next_due_update;
DROP TRIGGER IF EXISTS deadlines_next_due_delete;

CREATE TRIGGER deadlines_next_due_insert AFTER INSERT ON deadlines
BEGIN
	UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = NEW.case_id AND +d.status = 'running')
	WHERE id = NEW.case_id
	  AND next_due IS NOT (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = NEW.case_id AND +d.status = 'running');
END;

CREATE TRIGGER deadlines_next_due_update AFTER UPDATE OF case_id, due_at, status ON deadlines
BEGIN
	UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = cases.id AND +d.status = 'running')
	WHERE id IN (NEW.case_id, OLD.case_id)
	  AND next_due IS NOT (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = cases.id AND +d.status = 'running');
END;

CREATE TRIGGER deadlines_next_due_delete AFTER DELETE ON deadlines
BEGIN
	UPDATE cases SET next_due = (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = OLD.case_id AND +d.status = 'running')
	WHERE id = OLD.case_id
	  AND next_due IS NOT (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = OLD.case_id AND +d.status = 'running');
END;

-- `kesu copies --holder` filters with (:holder IS NULL OR holder = :holder),
-- which no index serves: it never used this one. Five pages per closure.
DROP INDEX IF EXISTS copies_holder;

-- The month's stopped clocks: only stopped clocks (every statement that
-- reads it says stopped_at >= …). A running clock is no longer in it, so
-- saving a clock that is still running leaves it alone.
DROP INDEX IF EXISTS deadlines_stopped;
CREATE INDEX deadlines_stopped ON deadlines(stopped_at, status, clock, case_id) WHERE stopped_at IS NOT NULL;
