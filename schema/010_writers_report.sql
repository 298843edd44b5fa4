-- 008: indexes for the monthly report (docs/performance.md, "Writers, search
-- and report: what changed"). Indexes only: an existing database gets them
-- when it is migrated; no row changes. They hold the few columns the
-- report's statements read, so a month is counted from the indexes without
-- reading the (large) event and case rows.
--
-- Closures in a month (and their handling times): events that entered a
-- final state, by time. Without it both statements scanned every event.
CREATE INDEX events_to_state ON events(to_state, at, from_state, case_id);
-- Reopenings in a month: events of a reopening action, by time.
CREATE INDEX events_action ON events(action, at, case_id);
-- Accepted / rejected among the month's registrations: each case's states.
CREATE INDEX events_case_states ON events(case_id, to_state, from_state, at);
-- Registered in the month, by department.
CREATE INDEX cases_created_dept ON cases(created_at, dept);
-- Open at the month's end: cases changed after the cut-off, by time (the
-- others are found by their state).
CREATE INDEX cases_updated ON cases(updated_at, created_at);
-- Clocks stopped in a month; clocks still running at the cut-off but stopped since.
CREATE INDEX deadlines_stopped ON deadlines(stopped_at);
