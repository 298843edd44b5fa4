-- 016: the monthly report's breakdowns counted from an index instead of
-- parsing every case's fields JSON (issue 10; src/store/report.c,
-- docs/performance.md "Report monthly: case_values").
--
-- report_keys holds the keys the report breaks down by (the intake form's
-- choice fields). It is configuration, written by the engine from the
-- configuration it loads (store_report_keys_sync, at every session open,
-- which also fills case_values for a key added and empties it for a key
-- removed). This migration leaves both empty: the session open that runs
-- it fills them from the existing cases, in one transaction, right after
-- (the keys are in the YAML configuration, which SQL cannot read).
--
-- case_values is derived data: one row per case and report key, with the
-- value the report used to read as CAST(json_extract(fields, '$."key"') AS
-- TEXT) (NULL when missing or JSON null), and the case's created_at and dept
-- so that a month's values of one key are a range of the primary key. The
-- triggers below keep it right on every write to cases (register, do,
-- import, reopen, transfer, edit), whichever code path makes it.
CREATE TABLE report_keys (
	key TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE case_values (
	key        TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	case_id    INTEGER NOT NULL,
	dept       TEXT,
	value      TEXT,
	PRIMARY KEY (key, created_at, case_id)
) WITHOUT ROWID;

CREATE TRIGGER cases_values_insert AFTER INSERT ON cases
BEGIN
	INSERT INTO case_values(key, created_at, case_id, dept, value)
	SELECT k.key, NEW.created_at, NEW.id, NEW.dept,
	       CAST(json_extract(NEW.fields, '$."' || k.key || '"') AS TEXT)
	FROM report_keys k;
END;

-- a changed department or registration time moves the rows
CREATE TRIGGER cases_values_move AFTER UPDATE OF created_at, dept ON cases
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.dept IS NOT NEW.dept
BEGIN
	DELETE FROM case_values WHERE key IN (SELECT key FROM report_keys)
		AND created_at = OLD.created_at AND case_id = OLD.id;
	INSERT INTO case_values(key, created_at, case_id, dept, value)
	SELECT k.key, NEW.created_at, NEW.id, NEW.dept,
	       CAST(json_extract(NEW.fields, '$."' || k.key || '"') AS TEXT)
	FROM report_keys k;
END;

-- changed fields: only the values that differ are written
CREATE TRIGGER cases_values_fields AFTER UPDATE OF fields ON cases
WHEN OLD.fields IS NOT NEW.fields
BEGIN
	UPDATE case_values SET value = CAST(json_extract(NEW.fields, '$."' || key || '"') AS TEXT)
	WHERE key IN (SELECT key FROM report_keys) AND created_at = NEW.created_at AND case_id = NEW.id
	  AND value IS NOT CAST(json_extract(NEW.fields, '$."' || key || '"') AS TEXT);
END;

CREATE TRIGGER cases_values_delete AFTER DELETE ON cases
BEGIN
	DELETE FROM case_values WHERE key IN (SELECT key FROM report_keys)
		AND created_at = OLD.created_at AND case_id = OLD.id;
END;

-- The month's stopped clocks (store_report_clocks) from the index alone:
-- was (stopped_at) and a read of each clock's row for its status and code.
DROP INDEX deadlines_stopped;
CREATE INDEX deadlines_stopped ON deadlines(stopped_at, status, clock, case_id);
