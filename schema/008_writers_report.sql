-- 008: indexes for the monthly report (docs/performance.md, "Writers, search
-- and report: what changed"). Indexes only: an existing database gets them
-- when it is migrated; no row changes.
--
-- Closures in a month (and their handling times): events that entered a
-- final state, by time. Without it both statements scanned every event.
CREATE INDEX events_to_state ON events(to_state, at);
-- Reopenings in a month: events of a reopening action, by time.
CREATE INDEX events_action ON events(action, at);
-- Open at the month's end: cases changed after the cut-off, by time (the
-- others are found by their state).
CREATE INDEX cases_updated ON cases(updated_at, created_at);
-- Clocks stopped in a month; clocks still running at the cut-off but stopped since.
CREATE INDEX deadlines_stopped ON deadlines(stopped_at);
