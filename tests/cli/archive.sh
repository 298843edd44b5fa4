#!/bin/sh
# archive.sh — retention (retention.yaml, issue 9) through the command line:
# `kesu archive list [--due] [--json]` and `kesu archive dispose`, on the
# membership preset (one year from closing, important cases kept on): rights,
# bad input, all-or-nothing disposal, what disposal clears and what it keeps,
# and `audit verify` afterwards.
set -eu
. "$(dirname "$0")/lib.inc"

D=$TMP/m
"$KESU" --data "$D" init --preset membership >/dev/null || { echo "FAIL  init --preset membership"; exit 1; }
# needs answered on the spot, then archived (closed)
need() { k --as luoxi --now "$1" new customer="$2" contact=139 kind=need need_type=求助型 area=member special=no subject="$3" detail="$3"; }
A=$(need '2026-01-31 10:00' 甲 借伞)
B=$(need '2026-02-27 10:00' 乙 开柜)
C=$(need '2026-03-02 10:00' 丙 停车)
O=$(need '2026-03-02 11:00' 丁 未结)
for x in $A $B $C; do
	day=$(k --as luoxi --json show $x | jq -r '.created[0:10]')
	expect 0 "answered on the spot: $x" k --as luoxi --now "$day 11:00" do $x answer_now result=已处理
	expect 0 "archived by 行政部: $x" k --as shenyan --now "$day 12:00" do $x archive archive_no=DA-$x important=no
done
al() { k --as yuanzong --now "$1" --json archive list ${2:+"$2"}; }

eq "closed cases only, oldest first, each with its retention end (a year after closing, end of day)" \
	"$(al '2026-06-01 09:00' | jq -c 'map([.case, .archive, .retention_end, .closed])')" \
	"[[\"$A\",\"kept\",\"2027-02-01T00:00:00+08:00\",\"2026-01-31T12:00:00+08:00\"],[\"$B\",\"kept\",\"2027-02-28T00:00:00+08:00\",\"2026-02-27T12:00:00+08:00\"],[\"$C\",\"kept\",\"2027-03-03T00:00:00+08:00\",\"2026-03-02T12:00:00+08:00\"]]"
eq "the last minute of the year kept: not due" "$(al '2027-01-31 23:59' --due | jq -c 'map(.case)')" '[]'
eq "the next day due" "$(al '2027-02-01 00:00' --due | jq -c 'map(.case)')" "[\"$A\"]"
run k --as yuanzong --now '2027-02-01 09:00' archive list
eq "text listing" "$(grep -c "^$A  结案 2026-01-31 12:00  保存至 2027-02-01 00:00  到期" "$TMP/out")" 1

# --- rights and bad input ---------------------------------------------------------------------
expect 3 "a handler (sees department) may not list the archive" k --as caiming --now '2027-02-01 09:00' archive list
expect 0 "reception (sees all) may list it" k --as luoxi --now '2027-02-01 09:00' archive list
expect 3 "reception may not dispose" k --as luoxi --now '2027-02-01 09:00' archive dispose $A --yes
expect 2 "dispose needs --yes" k --as yuanzong --now '2027-02-01 09:00' archive dispose $A
expect 2 "dispose needs cases or --before" k --as yuanzong --now '2027-02-01 09:00' archive dispose --yes
expect 2 "not both" k --as yuanzong --now '2027-02-01 09:00' archive dispose $A --before 2027-02-01 --yes
expect 2 "a bad date" k --as yuanzong --now '2027-02-01 09:00' archive dispose --before 2027-02-30 --yes
expect 2 "an unknown subcommand" k --as yuanzong archive purge
expect 5 "an open case is no archive" k --as yuanzong --now '2027-02-01 09:00' archive dispose $O --yes
expect 2 "all or nothing: one case not due refuses the lot" k --as yuanzong --now '2027-02-01 09:00' archive dispose $A $B --yes
eq "the refusal names the case and why" "$(errline | grep -c "$B.*保存期限未到")" 1
eq "nothing was disposed" "$(sqlite3 "$D/kesu.db" "SELECT count(*) FROM events WHERE action = 'kesu:dispose'")" 0
D2=$TMP/r
"$KESU" --data "$D2" init --preset retail >/dev/null
expect 2 "a preset without retention.yaml says so" "$KESU" --data "$D2" --as wuhong archive list
eq "… naming the file" "$(errline | grep -c retention.yaml)" 1

# --- disposal ---------------------------------------------------------------------------------
H0=$(k audit head)
expect 0 "dispose the due case by number" k --as yuanzong --now '2027-02-01 09:00' --json archive dispose $A --yes
eq "JSON of the disposed" "$(jq -c 'map([.case, .archive, .disposed_at])' "$TMP/out")" "[[\"$A\",\"disposed\",\"2027-02-01T09:00:00+08:00\"]]"
eq "its fields: only the classification is kept" "$(k --as yuanzong --json show $A | jq -c '.fields')" "{\"archive_no\":\"DA-$A\",\"area\":\"member\",\"important\":\"no\",\"kind\":\"need\",\"need_type\":\"help\",\"special\":\"no\"}"
eq "its history keeps every event, the payloads cleared, plus the disposal" \
	"$(k --as yuanzong --json show $A | jq -c '[.history[] | .action]')" '["new","answer_now","archive","kesu:dispose"]'
eq "the disposal event pins each cleared event's hash" \
	"$(sqlite3 "$D/kesu.db" "SELECT json_array_length(fields, '\$.events') FROM events WHERE action = 'kesu:dispose'")" 3
run k --as yuanzong --now '2027-02-01 09:05' show $A
eq "show names the disposal in the history" "$(grep -c '袁建华.*销毁资料' "$TMP/out")" 1
expect 0 "audit verify passes" k audit verify
expect 0 "and the head copied before is still in the chain" k audit verify --head "$H0"
expect 2 "disposed twice: refused" k --as yuanzong --now '2027-02-01 09:10' archive dispose $A --yes
eq "… already disposed" "$(errline | grep -c 已经销毁)" 1
eq "--before picks only cases due by then" \
	"$(k --as yuanzong --now '2027-03-10 09:00' --json archive dispose --before 2027-02-28 --yes | jq -c 'map(.case)')" "[\"$B\"]"
eq "the rest is listed as it is" "$(al '2027-03-10 09:05' | jq -c 'map(.archive)')" '["disposed","disposed","due"]'
expect 0 "audit verify passes after both" k audit verify
# tampering with a kept case's payload is still found
sqlite3 "$D/kesu.db" "UPDATE events SET fields = '{\"_disposed\":true}' WHERE id = (SELECT min(e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.no = '$C')"
expect 1 "a payload cleared by hand is a modified event" k audit verify
eq "… named" "$(errline | grep -c "$C 第 1 条事件")" 1
finish
