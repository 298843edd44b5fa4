#!/bin/sh
# backup.sh — `kesu backup FILE` while another process keeps registering cases:
# the copy is a sound database (integrity ok) with an intact audit chain, usable
# as a data directory; an existing FILE is never overwritten (exit 2); a role
# that does not see every case may not back up (exit 3).
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality subject=备份测试 detail=备份期间登记"

newdata live
for i in 1 2 3 4 5; do
	k --as qiantai new $REG >/dev/null || fail "seed case $i"
done

# a writer registering cases in a loop until told to stop
STOP=$TMP/stop
: >"$TMP/writer.log"
(
	n=0
	while [ ! -e "$STOP" ] && [ $n -lt 400 ]; do
		k --as qiantai new $REG >>"$TMP/writer.log" 2>&1 || echo "writer failed" >>"$TMP/writer.log"
		n=$((n + 1))
	done
) &
WRITER=$!
sleep 1

mkdir -p "$TMP/copy"
B=$TMP/copy/kesu.db
run k backup "$B"
eq "backup while a writer works exits 0" "$rc" 0
[ "$rc" = 0 ] || show_io
run k backup "$TMP/copy2.db"
eq "a second backup while the writer works exits 0" "$rc" 0
: >"$STOP"
wait "$WRITER"
if grep -q "failed\|kesu:" "$TMP/writer.log"; then
	fail "the writer was disturbed: $(grep -m1 'failed\|kesu:' "$TMP/writer.log")"
else
	ok "the writer was not disturbed ($(grep -c . "$TMP/writer.log") cases registered meanwhile)"
fi

eq "no temporary file left" "$(ls "$TMP/copy")" "kesu.db"
eq "copy: PRAGMA integrity_check" "$(sqlite3 "$B" 'PRAGMA integrity_check')" ok
eq "copy is one file (journal mode delete)" "$(sqlite3 "$B" 'PRAGMA journal_mode')" delete
eq "second copy: PRAGMA integrity_check" "$(sqlite3 "$TMP/copy2.db" 'PRAGMA integrity_check')" ok
n=$(sqlite3 "$B" 'select count(*) from cases')
[ "$n" -ge 5 ] && ok "copy has the cases ($n)" || fail "copy has $n cases"
eq "copy: every case has its events (version = events)" \
	"$(sqlite3 "$B" 'select count(*) from cases c where version != (select count(*) from events e where e.case_id = c.id)')" 0

# the copy as a data directory
cp -R "$D/config" "$TMP/copy/config"
run "$KESU" --data "$TMP/copy" audit verify
eq "kesu --data COPYDIR audit verify" "$rc" 0
[ "$rc" = 0 ] || show_io
run "$KESU" --data "$TMP/copy" --as guanli --json list
eq "the copy lists its cases" "$(jq length "$TMP/out")" "$n"

# the writer's database is still sound and complete
eq "live: audit verify after the backups" "$(k audit verify >/dev/null 2>&1 && echo ok)" ok

# never overwrite
echo keep >"$TMP/exists.db"
refuse 2 "backup onto an existing file" k backup "$TMP/exists.db"
eq "the existing file is unchanged" "$(cat "$TMP/exists.db")" keep
refuse 2 "backup onto the copy just made" k backup "$B"
refuse 2 "backup without FILE" k backup
eq "no FILE.tmp left after refusals" "$(ls "$TMP" | grep -c '\.tmp$' || true)" 0

# who may
run k --as qiantai backup "$TMP/staff.db"
eq "staff whose role sees all may back up" "$rc" 0
run k --as nobody-at-all backup "$TMP/nobody.db"
[ "$rc" != 0 ] && [ ! -e "$TMP/nobody.db" ] && ok "unknown login may not back up (exit $rc)" ||
	fail "unknown login: exit $rc"

finish
