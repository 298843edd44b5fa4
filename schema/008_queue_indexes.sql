-- 008: indexes for queues with visibility in SQL (issue 10; src/store/queue.c,
-- docs/performance.md "Queues").
--
-- A queue is ordered by due time: the cases with a running clock first (found
-- through deadlines_running, schema/007), then the others newest first. For
-- the second part each filter needs an index that ends in created_at, so the
-- page is read by walking it backwards and stopping after the page:
--   state and department (the queue)   cases_state_dept_created
--   state alone (list --state S)       cases_state_created
--   department alone (sees: department, list --dept D)   cases_dept_created
-- cases_state_dept_created also serves (state, dept) look-ups, so it replaces
-- cases_state_dept.
-- "Involved" (我的, sees: involved) is registrant OR assignee OR actor of an
-- event: one index each, so SQLite answers it as a union of index look-ups.
DROP INDEX IF EXISTS cases_state_dept;
CREATE INDEX cases_state_dept_created ON cases(state, dept, created_at);
CREATE INDEX cases_state_created ON cases(state, created_at);
CREATE INDEX cases_dept_created ON cases(dept, created_at);
CREATE INDEX cases_registrant ON cases(registrant);
CREATE INDEX cases_assignee ON cases(assignee);
CREATE INDEX events_actor ON events(actor, case_id);
