#!/bin/sh
# tasks.sh — periodic tasks (tasks.yaml, issue 9) through the command line:
# `kesu tasks [--json]`, `kesu tasks done`, and the task reminders of
# `kesu remind` (idempotent), on the retail preset (monthly table by the 10th)
# and the bank preset (a daily task per branch).
set -eu
. "$(dirname "$0")/lib.inc"

D=$TMP/r
"$KESU" --data "$D" init --preset retail >/dev/null || { echo "FAIL  init --preset retail"; exit 1; }
st() { k --now "$1" --json tasks ${2:+--recent "$2"} | jq -c "$3"; }

eq "two periods open on 5 Nov, the older due at the end of the 10th" \
	"$(st '2026-11-05 09:00' 1 'map([.period, .status, .due])')" \
	'[["2026-11","open","2026-12-11T00:00:00+08:00"],["2026-10","open","2026-11-11T00:00:00+08:00"]]'
eq "the task names who is responsible and the report it produces" \
	"$(st '2026-11-05 09:00' 0 'map([.task, .dept, .role, .report, .status_label])')" '[["monthly_table","xingzheng","admin","monthly","待办"]]'
eq "remind on 5 Nov: October's table is due (November's is not over)" \
	"$(k --now '2026-11-05 09:00' --json remind | jq -c 'map(select(.task) | [.kind, .period, .dept, .role])')" \
	'[["task_due","2026-10","xingzheng","admin"]]'
eq "remind again: nothing new" "$(k --now '2026-11-06 09:00' --json remind | jq -c 'map(select(.task))')" '[]'
eq "on the 10th still open" "$(st '2026-11-10 23:59' 1 '.[1].status')" '"open"'
eq "on the 11th late" "$(st '2026-11-11 00:00' 1 '.[1].status')" '"late"'
eq "remind on the 11th: 任务逾期 once" \
	"$(k --now '2026-11-11 09:00' --json remind | jq -c 'map(select(.task) | [.kind, .form, .period])')" '[["task_late","任务逾期","2026-10"]]'
eq "and not again" "$(k --now '2026-11-12 09:00' --json remind | jq -c 'map(select(.task))')" '[]'
run k --now '2026-11-12 09:00' remind
eq "text remind says nothing more either" "$(grep -c 任务 "$TMP/out" || true)" 0

# --- recording ----------------------------------------------------------------
expect 3 "a store clerk may not record the table" k --as zhaomin --now '2026-11-12 09:00' tasks done monthly_table
err_has "the refusal names who is responsible, and the person by name" "由行政人事部的" "赵敏（zhaomin）不能记录完成"
eq "the refusal names the task and who is responsible" "$(errline | grep -c '填报投诉统计表呈总经理.*行政人事部')" 1
expect 3 "nor the general manager (no admins: in retail)" k --as fengyu --now '2026-11-12 09:00' tasks done monthly_table
expect 5 "an unknown task" k --as wuhong --now '2026-11-12 09:00' tasks done weekly_table
expect 2 "a bad period" k --as wuhong --now '2026-11-12 09:00' tasks done monthly_table --period 2026-13
expect 2 "a week is not a month" k --as wuhong --now '2026-11-12 09:00' tasks done monthly_table --period 2026-W45
expect 2 "a period not begun" k --as wuhong --now '2026-11-12 09:00' tasks done monthly_table --period 2026-12
expect 2 "a note with an escape sequence" k --as wuhong --now '2026-11-12 09:00' tasks done monthly_table --note "$(printf 'a\033[2Jb')"
eq "the refusal names the field" "$(errline | grep -c '「说明」')" 1
eq "nothing recorded by refusals" "$(sqlite3 "$D/kesu.db" 'SELECT count(*) FROM task_done')" 0
expect 0 "行政人事部 records it (the older open period: October)" k --as wuhong --now '2026-11-12 09:00' tasks done monthly_table --note 已呈总经理
eq "done, late, with who and the note" \
	"$(st '2026-11-12 09:30' 1 '.[1] | [.period, .status, .done_by, .late, .note, .done_at]')" \
	'["2026-10","done","wuhong",true,"已呈总经理","2026-11-12T09:00:00+08:00"]'
eq "the report's figures are kept with it" \
	"$(sqlite3 "$D/kesu.db" "SELECT json_extract(report, '\$.report') || ' ' || json_extract(report, '\$.period') FROM task_done")" 'monthly 2026-10'
expect 4 "the same period twice is a conflict" k --as wuhong --now '2026-11-12 10:00' tasks done monthly_table --period 2026-10
expect 2 "no open period now (November is not over): says to give --period" k --as wuhong --now '2026-11-12 10:00' tasks done monthly_table
eq "the message names the period to use" "$(errline | grep -c -- '--period 2026-11')" 1
expect 0 "November recorded early with --period" k --as wuhong --now '2026-11-30 10:00' --json tasks done monthly_table --period 2026-11
eq "JSON of done" "$(jq -c '[.task, .period, .by]' "$TMP/out")" '["monthly_table","2026-11","wuhong"]'
eq "and it is not late" "$(st '2026-11-30 11:00' 0 '.[0] | [.status, .late]')" '["done",false]'
eq "no reminders for done periods" "$(k --now '2026-12-11 09:00' --json remind | jq -c 'map(select(.task))')" '[]'
run sqlite3 "$D/kesu.db" "UPDATE task_done SET by = 'x'"
eq "completions are append-only: the database refuses an update" "$rc $(grep -c 'append-only' "$TMP/err")" "$([ $rc -ne 0 ] && echo $rc) 1"
run sqlite3 "$D/kesu.db" "DELETE FROM task_done"
eq "and a delete" "$rc $(grep -c 'append-only' "$TMP/err")" "$([ $rc -ne 0 ] && echo $rc) 1"
run k --as wuhong --now '2026-11-30 11:00' tasks
eq "text listing" "$(grep -c '2026-10 .*已完成.*吴红（逾期完成）  已呈总经理' "$TMP/out")" 1

expect 0 "completions are hash-chained: audit verify passes" k audit verify
sqlite3 "$D/kesu.db" ".backup '$TMP/copy.db'"
sqlite3 "$D/kesu.db" "DROP TRIGGER task_done_no_update; UPDATE task_done SET note = '改过' WHERE period = '2026-10'"
expect 1 "a completion changed behind kesu's back breaks the chain" k audit verify
eq "… naming the task and period" "$(errline | grep -c 'monthly_table 第 2026-10 期的完成记录')" 1
cp "$TMP/copy.db" "$D/kesu.db"; rm -f "$D/kesu.db-wal" "$D/kesu.db-shm"
sqlite3 "$D/kesu.db" "DROP TRIGGER task_done_no_delete; DELETE FROM task_done WHERE period = '2026-10'"
expect 1 "so does a deleted one" k audit verify
eq "… named by the next" "$(errline | grep -c '2026-11 期的完成记录.*之前有完成记录被删除')" 1

# the head covers the completions too: removing the NEWEST one leaves no break
# in either chain, so only a head recorded before shows it
cp "$TMP/copy.db" "$D/kesu.db"; rm -f "$D/kesu.db-wal" "$D/kesu.db-shm"
k --as zhaomin --now '2026-11-30 12:00' new customer=李女士 customer_kind=consumer contact=137 store=md_a request=return subject=跑绒 detail=跑绒 >/dev/null
NEV=$(sqlite3 "$D/kesu.db" 'SELECT count(*) FROM events')
EH=$(sqlite3 "$D/kesu.db" 'SELECT hash FROM events ORDER BY id DESC LIMIT 1')
TH=$(sqlite3 "$D/kesu.db" 'SELECT hash FROM task_done ORDER BY id DESC LIMIT 1')
H=$(k audit head)
eq "audit head: the events' head, ':' and the newest completion's hash" "$H" "$EH:$TH"
eq "audit head --json" "$(k --json audit head | jq -c "[.head == \"$H\", .events_head == \"$EH\", .tasks_head == \"$TH\"]")" \
	'[true,true,true]'
expect 0 "verify --head with that head" k audit verify --head "$H"
eq "verify names where the head's completion stands" "$(grep -c '第 2 条周期任务完成记录（monthly_table 第 2026-11 期）' "$TMP/out")" 1
eq "verify --json" \
	"$(k --json audit verify --head "$H" | jq -c "[.intact, .events, .tasks, .head == \"$H\", .head_task.index, .head_task.period]")" \
	"[true,$NEV,2,true,2,\"2026-11\"]"
eq "doctor's audit line counts the completions" \
	"$(k --now '2026-11-30 12:00' --json doctor | jq -r '.[] | select(.check == "audit") | .message' | grep -c '2 条周期任务完成记录')" 1
expect 0 "an events-only head (recorded before) still verifies" k audit verify --head "$EH"
eq "… saying it proves nothing about the completions" "$(grep -c '不含周期任务部分' "$TMP/out")" 1
sqlite3 "$D/kesu.db" "DROP TRIGGER task_done_no_delete; DELETE FROM task_done WHERE period = '2026-11'"
expect 0 "the newest completion deleted: the chain alone still holds" k audit verify
[ "$(k audit head)" != "$H" ] && ok "… but audit head differs from the one recorded" || fail "audit head unchanged after the newest completion was deleted"
expect 1 "… and verify --head with the recorded head fails" k audit verify --head "$H"
eq "… naming the completions' head" "$(errline | grep -c "周期任务完成记录链中没有头哈希 $TH")" 1
expect 0 "the events part alone is still in the chain" k audit verify --head "$EH"

# --- a daily task per branch (bank) ------------------------------------------------
D=$TMP/b
"$KESU" --data "$D" init --preset bank >/dev/null || { echo "FAIL  init --preset bank"; exit 1; }
eq "Saturday: the working day is Friday's, due at close of business" \
	"$(st '2026-11-28 10:00' 0 'map([.task, .period, .due, .status])')" \
	'[["book_wd_a","2026-11-27","2026-11-27T17:30:00+08:00","late"],["book_wd_b","2026-11-27","2026-11-27T17:30:00+08:00","late"]]'
eq "no task reminders on Saturday (working time only)" "$(k --now '2026-11-28 10:00' --json remind | jq -c 'map(select(.task))')" '[]'
eq "Monday morning: Friday's book is late, today's due today" \
	"$(k --now '2026-11-30 09:00' --json remind | jq -c 'map(select(.task) | [.kind, .task, .period])')" \
	'[["task_late","book_wd_a","2026-11-27"],["task_due","book_wd_a","2026-11-30"],["task_late","book_wd_b","2026-11-27"],["task_due","book_wd_b","2026-11-30"]]'
expect 3 "城西's manager may not record 城东's book" k --as luoqing --now '2026-11-30 10:00' tasks done book_wd_a
expect 0 "城东's manager records today's (Friday's first: the older open one)" k --as gaofeng --now '2026-11-30 10:00' --json tasks done book_wd_a
eq "Friday's" "$(jq -r .period "$TMP/out")" 2026-11-27
expect 0 "then today's" k --as gaofeng --now '2026-11-30 10:05' --json tasks done book_wd_a
eq "Monday's" "$(jq -r .period "$TMP/out")" 2026-11-30
expect 0 "总行 (admins) may record any branch's" k --as jiangyun --now '2026-11-30 10:10' tasks done book_wd_b --period 2026-11-30
expect 2 "a Saturday is no period of a working-day task" k --as gaofeng --now '2026-11-30 10:10' tasks done book_wd_a --period 2026-11-28
# --- a task whose due day falls in a year without holiday data ----------------------------
D=$TMP/y
"$KESU" --data "$D" init --preset retail >/dev/null || { echo "FAIL  init --preset retail"; exit 1; }
sed -i 's/unknown_years: workweek/unknown_years: refuse/' "$D/config/calendar.yaml"
A=$(k --as zhaomin --now '2026-11-02 09:00' new customer=李女士 customer_kind=consumer contact=137 store=md_a request=return subject=跑绒 detail=跑绒)
run k --now '2026-12-15 09:00' --json remind
eq "remind fails for the task (December's table is due in 2027, not declared)" "$rc $(errline | grep -c 2027)" "2 1"
eq "but the case reminders it issued are still printed" "$(jq -c "map(select(.case == \"$A\") | .kind) | unique" "$TMP/out")" '["urge"]'
finish
