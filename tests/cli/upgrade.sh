#!/bin/sh
# upgrade.sh — an older database is migrated in place on first start, after a
# copy of it is kept next to it; a newer database is refused and untouched.
set -eu
. "$(dirname "$0")/lib.inc"

n=$(ls "$SRC"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
newdata up
# replace the database by one at schema version 2 (the first two migrations)
rm -f "$D/kesu.db" "$D/kesu.db-wal" "$D/kesu.db-shm"
cat "$SRC/schema/001_init.sql" "$SRC/schema/002_clocks.sql" | sqlite3 "$D/kesu.db"
sqlite3 "$D/kesu.db" "PRAGMA user_version = 2; PRAGMA journal_mode = WAL;" >/dev/null

expect 0 "first start on a version-2 database" k --as guanli list
eq "the database is now at the binary's version" "$(sqlite3 "$D/kesu.db" 'PRAGMA user_version')" "$n"
eq "a copy of the old database was kept next to it" "$(ls "$D" | grep -c '^kesu.db.v2.bak$')" 1
eq "the copy is the old version" "$(sqlite3 "$D/kesu.db.v2.bak" 'PRAGMA user_version')" 2
eq "the copy is intact" "$(sqlite3 "$D/kesu.db.v2.bak" 'PRAGMA integrity_check')" ok
expect 0 "the upgraded database works" k --as qiantai --now '2026-11-02 09:00' new \
	customer=c contact=1 channel=phone region=domestic category=quality subject=s detail=d
eq "a second start makes no second copy" "$(ls "$D" | grep -c '\.bak$')" 1

# a database from a newer kesu: refused, nothing changed
sqlite3 "$D/kesu.db" "PRAGMA user_version = $((n + 5))"
sum=$(cksum <"$D/kesu.db")
run k --as guanli list
eq "a newer database is refused with exit 1" "$rc" 1
err_has "the message says it is newer" "比本程序支持的版本" "新"
eq "and the database is untouched" "$(cksum <"$D/kesu.db")" "$sum"
finish
