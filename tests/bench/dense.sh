#!/bin/sh
# dense.sh SRC DEST — the "dense month" of docs/performance.md (Report
# monthly): a copy of the bench data set SRC (a data directory) in DEST with
# every time (cases, events, clocks) mapped linearly, order kept, into
# September 2026 (t' = F + (t - T0) × span / (T1 - T0)), so that one month
# holds every case. Run the kesu that will read it on DEST once before this
# if it should migrate first; the schema's triggers then keep derived data
# (case_values, schema 016) right through the UPDATEs.
set -eu
[ $# = 2 ] || { echo "usage: dense.sh SRC DEST" >&2; exit 2; }
[ -e "$2" ] && { echo "dense.sh: $2 exists" >&2; exit 2; }
cp -a "$1" "$2"
rm -f "$2/kesu.db-wal" "$2/kesu.db-shm"
sqlite3 "$2/kesu.db" <<'SQL'
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE p AS SELECT (SELECT min(created_at) FROM cases) AS t0,
  (SELECT max(at) FROM events) AS t1,
  CAST(strftime('%s', '2026-09-01 00:00:00') AS INTEGER) - 8*3600 + 60 AS f, 30*86400 - 120 AS span;
UPDATE cases SET created_at = (SELECT f + (created_at - t0) * span / (t1 - t0) FROM p),
                 updated_at = (SELECT f + (updated_at - t0) * span / (t1 - t0) FROM p);
UPDATE events SET at = (SELECT f + (at - t0) * span / (t1 - t0) FROM p);
UPDATE deadlines SET started_at = (SELECT f + (started_at - t0) * span / (t1 - t0) FROM p),
  due_at = (SELECT f + (due_at - t0) * span / (t1 - t0) FROM p),
  stopped_at = CASE WHEN stopped_at IS NULL THEN NULL
                    ELSE (SELECT f + (stopped_at - t0) * span / (t1 - t0) FROM p) END;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
