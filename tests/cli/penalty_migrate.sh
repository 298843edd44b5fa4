#!/bin/sh
# penalty_migrate.sh — schema 008 turns the 奖罚通知单 rows of penalty_notices
# (schema 006) into copies (联): a data set written before the change
# migrates, and the copies it gets are the ones the engine writes today.
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality subject=齿轮硬度不足 detail=硬度低"
RPT="cause=热处理温度偏低 process=抽检 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"

newdata m
run k --as qiantai --now '2026-11-02 09:00' new $REG
C=$(cat "$TMP/out")
k --as guanli --now '2026-11-02 10:00' do $C accept >/dev/null
k --as guanli --now '2026-11-02 11:00' do $C assign dept=quality >/dev/null
k --as zhijian --now '2026-11-03 09:00' do $C report $RPT loss=10000.01 responsibility=shengchan:333,zhijian:333,quality:334 >/dev/null
k --as zongjingli --now '2026-11-03 15:00' do $C approve decision=同意 >/dev/null
k --as qiantai --now '2026-11-03 16:00' do $C reply method=phone accepted=yes >/dev/null
k --as zongjingli --now '2026-11-06 10:00' do $C close >/dev/null
k --as zongjingli --now '2026-11-07 10:00' penalty sanction $C shengchan major offence=other reason=x >/dev/null
NEW=$TMP/new.db
cp "$D/kesu.db" "$NEW"
# what the engine wrote (rows, not ids of the copies themselves)
Q="select entry_id, case_id, form, round, copy_no, holder_kind, holder, holder_name, purpose, event_id, issued_at, issued_by from copies where entry_id is not null order by entry_id, copy_no"
sqlite3 "$NEW" "$Q" >"$TMP/engine.txt"
[ -s "$TMP/engine.txt" ] && ok "the engine wrote notice copies ($(wc -l <"$TMP/engine.txt") rows)" || fail "no notices"

# the same data at schema 7, as the old engine kept it: the notices in
# penalty_notices (schema 006's table), no bonus tables, copies as in 005
OLD=$TMP/old.db
cp "$NEW" "$OLD"
# first undo what the migrations after 008 added (newest first), read from
# their files: triggers, indexes and views dropped, tables dropped, added
# columns dropped
for f in $(ls "$SRC"/schema/[0-9][0-9][0-9]_*.sql | sort -r); do
	n=$(basename "$f" | cut -c1-3)
	[ "$n" -gt 8 ] 2>/dev/null || continue
	grep -oiE '^CREATE (UNIQUE )?(TRIGGER|INDEX|VIEW)( IF NOT EXISTS)? [a-z_0-9]+' "$f" |
		awk '{ print "DROP " toupper($(NF-1) == "EXISTS" ? $(NF-3) : $(NF-1)) " IF EXISTS " $NF ";" }'
	grep -oiE '^CREATE TABLE( IF NOT EXISTS)? [a-z_0-9]+' "$f" | awk '{ print "DROP TABLE IF EXISTS " $NF ";" }'
	grep -oiE '^ALTER TABLE [a-z_0-9]+ ADD COLUMN [a-z_0-9]+' "$f" | awk '{ print "ALTER TABLE " $3 " DROP COLUMN " $6 ";" }'
done >"$TMP/undo.sql"
sqlite3 "$OLD" <"$TMP/undo.sql" || fail "undoing the migrations after 008"
sed -n '/^CREATE TABLE penalty_notices/,/^);/p' "$SRC/schema/006_penalty.sql" >"$TMP/pn.sql"
sqlite3 "$OLD" "$(cat "$TMP/pn.sql")
	insert into penalty_notices(entry_id, copy_no, holder_kind, holder, purpose, issued_at)
	  select entry_id, copy_no, holder_kind, holder, purpose, issued_at from copies where entry_id is not null;
	drop trigger copies_frozen_delete;
	delete from copies where entry_id is not null;
	drop index copies_entry;
	alter table copies drop column entry_id;
	alter table copies drop column holder_kind;
	drop table penalty_bonus; drop table penalty_bonus_imports;
	PRAGMA user_version = 7;"
sed -n '/^CREATE TRIGGER copies_frozen_delete/,/^END;/p' "$SRC/schema/005_copies.sql" | sqlite3 "$OLD"
sed -n '/^CREATE TRIGGER penalty_notices_frozen/,/^END;/p' "$SRC/schema/006_penalty.sql" | sqlite3 "$OLD"
eq "the old database has its notices in penalty_notices" "$(sqlite3 "$OLD" 'select count(*) from penalty_notices')" \
	"$(wc -l <"$TMP/engine.txt" | tr -d ' ')"
cp "$OLD" "$D/kesu.db"
rm -f "$D/kesu.db-wal" "$D/kesu.db-shm"
expect 0 "an older database migrates" k --as zongjingli penalty entries
eq "penalty_notices is gone" "$(sqlite3 "$D/kesu.db" "select count(*) from sqlite_master where name = 'penalty_notices'")" 0
sqlite3 "$D/kesu.db" "$Q" >"$TMP/migrated.txt"
cmp -s "$TMP/engine.txt" "$TMP/migrated.txt" && ok "migrated notice copies = what the engine writes" ||
	{ fail "migrated copies differ"; diff "$TMP/engine.txt" "$TMP/migrated.txt" | head -5; }
eq "the migrated snapshot keeps the entry's facts" \
	"$(sqlite3 "$D/kesu.db" "select snapshot from copies where entry_id = 1 and copy_no = 1" | jq -c '.fields | [.login, .name, .amount_fen, .kind, .month]')" \
	"$(sqlite3 "$NEW" "select snapshot from copies where entry_id = 1 and copy_no = 1" | jq -c '.fields | [.login, .name, .amount_fen, .kind, .month]')"
k --as zongjingli print $C --form penalty_notice --copy 2 --round 1 >"$TMP/mig.txt"
sqlite3 "$NEW" "select round from copies where entry_id = 1 limit 1" >/dev/null
cp "$NEW" "$TMP/n2.db"
D2=$TMP/m2; cp -r "$D" "$D2"; cp "$NEW" "$D2/kesu.db"; rm -f "$D2/kesu.db-wal" "$D2/kesu.db-shm"
"$KESU" --data "$D2" --as zongjingli print $C --form penalty_notice --copy 2 --round 1 >"$TMP/eng.txt"
cmp -s "$TMP/mig.txt" "$TMP/eng.txt" && ok "a migrated notice prints as the engine's does" ||
	{ fail "prints differ"; diff "$TMP/eng.txt" "$TMP/mig.txt" | head -8; }
expect 0 "the audit chain still verifies" k audit verify
expect 0 "a new notice after the migration" k --as zongjingli --now '2026-11-08 10:00' penalty sanction $C zhijian warning offence=other
eq "… continues the rounds" "$(sqlite3 "$D/kesu.db" "select max(round) from copies where form = 'penalty_notice'")" \
	"$(($(sqlite3 "$NEW" "select max(round) from copies where form = 'penalty_notice'") + 1))"
finish
