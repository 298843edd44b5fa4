#!/bin/sh
# shellcheck disable=SC2086,SC2016 # $REG is split into KEY=VALUE arguments; $was is a jq variable
# pause.sh — paused states, re-timing and the minute-level reminder chain, on the
# small preset tests/fixtures/presets/pausing (a waiting state wait_customer 等待客户
# listed in `pause:`, clocks in minutes, hours, days and workdays).  The data
# directory is made by `kesu init` (manufacturing) and its workflow.yaml and
# limits.yaml are then overwritten; the next command re-times open clocks itself.
#   - a pause of 2 hours moves a minutes/hours clock by exactly 2 hours; two pauses
#     add up and are never counted twice; a clock started while paused is paused;
#     a clock stopped while paused is judged with the pause added back
#   - workdays end at close of business of the N-th working day after the start day
#   - `recompute` and the automatic re-time after a limits or calendar change move
#     running clocks only, and say how many moved
#   - the P18 chain: 催办 3, 5 and 10 minutes after due to three roles, at night too
set -eu
. "$(dirname "$0")/lib.inc"

FIX=$SRC/tests/fixtures/presets/pausing
REG="contact=0512-66881234 channel=phone category=quality subject=外壳开裂 detail=第二批外壳有裂纹"

# pausing NAME: a data directory $TMP/NAME with the pausing workflow and limits.
# Keeps the organisation (calendar, departments, staff, routing, preset.yaml) that
# init installed; drops every other file of the manufacturing preset (they may
# refer to its workflow: demo.yaml, penalty.yaml, …).
pausing() {
	newdata "$1"
	for _f in "$D"/config/*.yaml; do
		case ${_f##*/} in
		calendar.yaml | departments.yaml | staff.yaml | routing.yaml | preset.yaml) ;;
		*) rm -f "$_f" ;;
		esac
	done
	cp "$FIX/workflow.yaml" "$FIX/limits.yaml" "$D/config/"
	run k check-config
	[ "$rc" = 0 ] || { fail "check-config on the pausing fixture: exit $rc"; show_io; finish; exit 1; }
}
# reg TIME REGION: register a complaint as qiantai; prints the case number
reg() { k --as qiantai --now "$1" new customer=某电子厂 region="$2" $REG; }
# step TIME CASE ACTION: guanli (coordinator) takes ACTION; must succeed
step() { expect 0 "at $1: do $2 $3" k --as guanli --now "$1" do "$2" "$3"; }
# clocks CASE TIME FILTER: jq -c FILTER over .deadlines of `show --json CASE` at TIME
clocks() { k --as guanli --now "$2" --json show "$1" | jq -c ".deadlines | $3"; }
# due CASE TIME CLOCK...: "status due" of each CLOCK, space-separated
due() {
	_c=$1 _t=$2; shift 2
	for _k; do clocks "$_c" "$_t" "map(select(.clock == \"$_k\")) | .[0] | \"\\(.status) \\(.due)\"" | tr -d '"'; done | paste -sd' ' -
}
# rem TIME: `remind --json` at TIME as [[kind, case, clock, level, dept, role, late_minutes], …]
rem() {
	run k --now "$1" --json remind
	if [ "$rc" != 0 ]; then echo "(exit $rc) $(errline)"; else
		jq -c '[.[] | [.kind, .case, .clock, .level, .dept, .role, .late_minutes]]' "$TMP/out" 2>/dev/null || echo "(not JSON)"
	fi
}
# set_limit OLD NEW: edit limits.yaml of $D ("{minutes: 600}" → "{minutes: 660}")
set_limit() {
	sed -i "s/limit: $1/limit: $2/" "$D/config/limits.yaml"
	grep -qF "limit: $2" "$D/config/limits.yaml" || fail "could not set limit $2 in limits.yaml"
}
# snapshot CASE: every clock of CASE, all fields but the label (for "untouched")
snapshot() { clocks "$1" '2026-11-03 12:00' 'map(del(.label, .late_minutes, .remaining_minutes))'; }

# === 1. pauses ===========================================================================
pausing pz
A=$(reg '2026-11-02 08:00' domestic)
step '2026-11-02 09:00' "$A" start
eq "start (Mon 09:00): minutes 600 → 19:00, hours 8 → 17:00, days 2 → 11-05 00:00, workdays 2 → Wed 17:30" \
	"$(due "$A" '2026-11-02 09:00' mins hrs days wdays)" \
	"running 2026-11-02T19:00:00+08:00 running 2026-11-02T17:00:00+08:00 running 2026-11-05T00:00:00+08:00 running 2026-11-04T17:30:00+08:00"
step '2026-11-02 10:00' "$A" ask
eq "in wait_customer every clock is paused" \
	"$(clocks "$A" '2026-11-02 11:00' 'map(.status) | unique')" '["paused"]'
run k --as guanli --now '2026-11-02 11:00' show "$A"
eq "show (text) says 暂停 for the four clocks" "$(grep -c '暂停' "$TMP/out")" 4
eq "a paused clock is not overdue, even past its original due time" \
	"$(k --as guanli --now '2026-11-02 20:00' --json list --overdue | jq -c 'map(.case)')" '[]'
eq "remind issues nothing for paused clocks" "$(rem '2026-11-02 20:00')" '[]'
step '2026-11-02 12:00' "$A" resume
eq "a pause of exactly 2 hours: minutes clock due 21:00, hours clock due 19:00, running" \
	"$(due "$A" '2026-11-02 12:00' mins hrs)" "running 2026-11-02T21:00:00+08:00 running 2026-11-02T19:00:00+08:00"
eq "the days and workdays clocks moved later too" \
	"$(clocks "$A" '2026-11-02 12:00' '{days: "2026-11-05T00:00:00+08:00", wdays: "2026-11-04T17:30:00+08:00"} as $was |
		map(select($was[.clock]) | [.clock, .status, .due > $was[.clock]])')" \
	'[["days","running",true],["wdays","running",true]]'
eq "… by the same 2 hours: elapsed for days (11-05 02:00), working time for workdays (Wed 17:30 + 2 working hours = Thu 10:30)" \
	"$(due "$A" '2026-11-02 12:00' days wdays)" "running 2026-11-05T02:00:00+08:00 running 2026-11-05T10:30:00+08:00"
step '2026-11-02 14:00' "$A" ask
step '2026-11-02 15:00' "$A" note
step '2026-11-02 15:30' "$A" resume
step '2026-11-02 15:40' "$A" note
eq "two pauses (2 h + 1.5 h, with an event inside the second) add up: 22:30 and 20:30" \
	"$(due "$A" '2026-11-02 16:00' mins hrs)" "running 2026-11-02T22:30:00+08:00 running 2026-11-02T20:30:00+08:00"
run k --json --now '2026-11-02 16:00' recompute
eq "recompute with nothing changed: {\"changed\": 0}" "$rc $(jq -c . "$TMP/out")" '0 {"changed":0}'
eq "… and the pauses are not counted twice" \
	"$(due "$A" '2026-11-02 16:00' mins hrs)" "running 2026-11-02T22:30:00+08:00 running 2026-11-02T20:30:00+08:00"
eq "at 20:31 the hours clock is breached, 1 minute late; the minutes clock runs" \
	"$(clocks "$A" '2026-11-02 20:31' 'map(select(.clock == "mins" or .clock == "hrs") | [.clock, .status, .late_minutes // .remaining_minutes])')" \
	'[["mins","running",119],["hrs","breached",1]]'
eq "… and the case is overdue" \
	"$(k --as guanli --now '2026-11-02 20:31' --json list --overdue | jq -c 'map(.case)')" "[\"$A\"]"
eq "remind at 20:30, the hours clock due exactly now: nothing" "$(rem '2026-11-02 20:30')" '[]'
eq "remind at 20:31: one 催办单 (no levels configured: late → level 0 to the case's department)" \
	"$(rem '2026-11-02 20:31')" "[[\"urge\",\"$A\",\"hrs\",0,\"gm_prod\",null,1]]"

# a clock started while the case is paused
B=$(reg '2026-11-03 08:00' domestic)
step '2026-11-03 09:00' "$B" start
step '2026-11-03 10:00' "$B" ask
step '2026-11-03 11:00' "$B" chase
eq "chase (taken in wait_customer) starts its clock paused" \
	"$(clocks "$B" '2026-11-03 11:00' 'map(select(.clock == "chase") | [.status, .started])')" \
	'[["paused","2026-11-03T11:00:00+08:00"]]'
step '2026-11-03 13:00' "$B" resume
eq "after resume (13:00): chase 4 h + 2 h paused → 17:00; mins 10 h + 3 h paused → 22:00" \
	"$(due "$B" '2026-11-03 13:00' chase mins)" "running 2026-11-03T17:00:00+08:00 running 2026-11-03T22:00:00+08:00"

# a clock stopped while the case is paused: the pause up to the stop is added back
C=$(reg '2026-11-04 08:00' domestic)
step '2026-11-04 09:00' "$C" start
step '2026-11-04 10:00' "$C" ask
step '2026-11-04 18:00' "$C" finish
eq "finish from wait_customer at 18:00 after 1 h of work: the 8-hour clock is met (due 17:00 + 8 h paused)" \
	"$(clocks "$C" '2026-11-04 18:00' 'map(select(.clock == "hrs" or .clock == "mins") | [.clock, .status, .due])')" \
	'[["mins","met","2026-11-05T03:00:00+08:00"],["hrs","met","2026-11-05T01:00:00+08:00"]]'

# === 2. counting: workdays, days, hours and minutes ======================================
pausing wd
W1=$(reg '2026-09-18 09:00' domestic) # Fri; Sun 09-20 is a make-up working day
W2=$(reg '2026-09-30 09:00' domestic) # Wed, before 国庆 10-01 … 10-07
W3=$(reg '2026-10-03 09:00' domestic) # inside 国庆
W4=$(reg '2026-11-02 08:00' domestic) # Mon, started late at night
step '2026-09-18 10:00' "$W1" start
step '2026-09-30 10:00' "$W2" start
step '2026-10-03 10:00' "$W3" start
step '2026-11-02 23:00' "$W4" start
eq "Fri 09-18: workdays 2 = Sun 09-20 (调休) and Mon 09-21, close 17:30; days 2 = Sun 09-20, a working day" \
	"$(due "$W1" '2026-09-18 10:00' wdays days)" "running 2026-09-21T17:30:00+08:00 running 2026-09-21T00:00:00+08:00"
eq "Wed 09-30: workdays → 10-08, 10-09 17:30; days 2 = 10-02 (国庆) → 10-08 → 10-09 00:00" \
	"$(due "$W2" '2026-09-30 10:00' wdays days)" "running 2026-10-09T17:30:00+08:00 running 2026-10-09T00:00:00+08:00"
eq "Sat 10-03 (国庆): workdays → 10-09 17:30; days 2 = 10-05 → 10-09 00:00" \
	"$(due "$W3" '2026-10-03 10:00' wdays days)" "running 2026-10-09T17:30:00+08:00 running 2026-10-09T00:00:00+08:00"
eq "Mon 23:00: workdays → Wed 17:30; days → Thu 00:00; hours 8 → Tue 07:00; minutes 600 → Tue 09:00" \
	"$(due "$W4" '2026-11-02 23:00' wdays days hrs mins)" \
	"running 2026-11-04T17:30:00+08:00 running 2026-11-05T00:00:00+08:00 running 2026-11-03T07:00:00+08:00 running 2026-11-03T09:00:00+08:00"
eq "the Friday workdays clock at Mon 09-21 17:30 exactly: still running, 0 minutes left" \
	"$(clocks "$W1" '2026-09-21 17:30' 'map(select(.clock == "wdays") | [.status, .remaining_minutes])')" '[["running",0]]'
eq "… one minute later: breached" \
	"$(clocks "$W1" '2026-09-21 17:31' 'map(select(.clock == "wdays") | [.status, .late_minutes])')" '[["breached",1]]'
# all sixteen clocks are late by Thu 11-05 23:00: at night only minute and hour clocks remind
eq "remind at 23:00: 催办单 for the 8 minute/hour clocks only" \
	"$(rem '2026-11-05 23:00' | jq -c 'map(.[2]) | [length, unique]')" '[8,["hrs","mins"]]'
eq "remind next working morning (Fri 08:30): the 8 days/workdays clocks" \
	"$(rem '2026-11-06 08:30' | jq -c 'map(.[2]) | [length, unique]')" '[8,["days","wdays"]]'
eq "every 催办单 is level 0 (no levels configured: late → one 催办单), to the case's department" \
	"$(sqlite3 "$D/kesu.db" "select count(*), group_concat(distinct kind), group_concat(distinct level), group_concat(distinct dept) from reminders")" \
	"16|urge|0|gm_prod"

# === 3. recompute after a limits change ==================================================
# M: all clocks met; X: minutes/hours clocks breached and stopped; R: running
pausing rc
M=$(reg '2026-11-02 08:00' domestic)
X=$(reg '2026-11-02 08:01' domestic)
R=$(reg '2026-11-03 08:00' domestic)
step '2026-11-02 09:00' "$M" start
step '2026-11-02 10:00' "$M" finish
step '2026-11-02 09:00' "$X" start
step '2026-11-03 10:00' "$X" finish
step '2026-11-03 09:00' "$R" start
eq "M: all met" "$(clocks "$M" '2026-11-03 12:00' 'map(.status) | unique')" '["met"]'
eq "X: minutes/hours breached (stopped), days/workdays met" \
	"$(clocks "$X" '2026-11-03 12:00' 'map([.clock, .status])')" '[["mins","breached"],["hrs","breached"],["days","met"],["wdays","met"]]'
snapshot "$M" >"$TMP/m.before"
snapshot "$X" >"$TMP/x.before"
clocks "$R" '2026-11-03 12:00' 'map(select(.clock == "days" or .clock == "wdays"))' >"$TMP/r.before"
set_limit '{minutes: 600}' '{minutes: 660}'
set_limit '{hours: 8}' '{hours: 10}'
run k --json --now '2026-11-03 12:00' recompute
eq "recompute after minutes 600 → 660 and hours 8 → 10: the 2 running clocks changed" \
	"$rc $(jq -c . "$TMP/out" 2>/dev/null)" '0 {"changed":2}'
eq "R: minutes clock 09:00 + 11 h = 20:00, hours clock 09:00 + 10 h = 19:00" \
	"$(due "$R" '2026-11-03 12:00' mins hrs)" "running 2026-11-03T20:00:00+08:00 running 2026-11-03T19:00:00+08:00"
eq "R: days and workdays clocks unchanged" \
	"$(clocks "$R" '2026-11-03 12:00' 'map(select(.clock == "days" or .clock == "wdays"))')" "$(cat "$TMP/r.before")"
eq "M (met) untouched" "$(snapshot "$M")" "$(cat "$TMP/m.before")"
eq "X (breached and stopped) untouched, still breached" "$(snapshot "$X")" "$(cat "$TMP/x.before")"
run k --json --now '2026-11-03 12:00' recompute
eq "a second recompute changes nothing" "$rc $(jq -c . "$TMP/out" 2>/dev/null)" '0 {"changed":0}'
run k --now '2026-11-03 12:00' recompute
eq "recompute (text) says how many changed" "$rc $(cat "$TMP/out")" "0 已按当前日历和时限重新计算，0 个未结时限的期限有变化"

# === 4. the automatic re-time on load ====================================================
pausing auto
M=$(reg '2026-11-02 08:00' domestic)
X=$(reg '2026-11-02 08:01' domestic)
R=$(reg '2026-11-03 08:00' domestic)
P=$(reg '2026-11-03 08:01' domestic)
step '2026-11-02 09:00' "$M" start
step '2026-11-02 10:00' "$M" finish
step '2026-11-02 09:00' "$X" start
step '2026-11-03 10:00' "$X" finish
step '2026-11-03 09:00' "$R" start
step '2026-11-03 09:00' "$P" start
step '2026-11-03 10:00' "$P" ask
snapshot "$M" >"$TMP/m.before"
snapshot "$X" >"$TMP/x.before"
cv=$(clocks "$R" '2026-11-03 12:00' 'map(.calendar_version) | unique | .[0]')
set_limit '{minutes: 600}' '{minutes: 660}'
set_limit '{hours: 8}' '{hours: 10}'
# no recompute: the next command notices the changed configuration
eq "after editing limits.yaml, show alone: R's minutes clock 20:00, hours clock 19:00" \
	"$(due "$R" '2026-11-03 12:00' mins hrs)" "running 2026-11-03T20:00:00+08:00 running 2026-11-03T19:00:00+08:00"
eq "M (met) untouched" "$(snapshot "$M")" "$(cat "$TMP/m.before")"
eq "X (breached and stopped) untouched" "$(snapshot "$X")" "$(cat "$TMP/x.before")"
# the paused case P was re-timed by that same show, at --now 2026-11-03 12:00
# (a paused clock's due counts the pause up to now, so this shows which "now" was used)
p_auto=$(due "$P" '2026-11-03 12:00' mins hrs)
run k --json --now '2026-11-03 12:00' recompute
p_changed=$(jq -c .changed "$TMP/out" 2>/dev/null || echo "exit $rc")
eq "the automatic re-time of the paused case used --now: same due times as recompute at that --now (which then changes nothing)" \
	"$p_auto (changed $p_changed)" "$(due "$P" '2026-11-03 12:00' mins hrs) (changed 0)"
step '2026-11-03 12:00' "$P" resume
eq "P after resume at 12:00 (2 h paused): 09:00 + 11 h + 2 h, 09:00 + 10 h + 2 h" \
	"$(due "$P" '2026-11-03 12:00' mins hrs)" "running 2026-11-03T22:00:00+08:00 running 2026-11-03T21:00:00+08:00"

# a calendar change: Wed 11-04 becomes a rest day
sed -i '/{name: 国庆节, from: 2026-10-01, to: 2026-10-07}/a\
        - {name: 测试假日, from: 2026-11-04, to: 2026-11-04}' "$D/config/calendar.yaml"
grep -qF 测试假日 "$D/config/calendar.yaml" || fail "could not edit calendar.yaml"
eq "after the calendar change, show alone: R's workdays clock moves to Fri 17:30, its days clock stays 11-06 00:00 (the last day, Thu 11-05, is a working day)" \
	"$(due "$R" '2026-11-03 12:30' wdays days)" "running 2026-11-06T17:30:00+08:00 running 2026-11-06T00:00:00+08:00"
eq "R's running clocks carry the new calendar version" \
	"$(clocks "$R" '2026-11-03 12:30' "map(.calendar_version != $cv) | unique")" '[true]'
eq "M (met) still untouched, with the old calendar version" "$(snapshot "$M")" "$(cat "$TMP/m.before")"
eq "X (breached and stopped) still untouched" "$(snapshot "$X")" "$(cat "$TMP/x.before")"

# === 5. the P18 chain: 3 / 5 / 10 minutes after due, three roles, at night ==============
pausing p18
F=$(reg '2026-11-02 22:40' foreign)
step '2026-11-02 22:50' "$F" start
eq "the 5-minute clock is due 22:55" "$(due "$F" '2026-11-02 22:50' p18)" "running 2026-11-02T22:55:00+08:00"
eq "remind at 22:55 (due exactly now): nothing" "$(rem '2026-11-02 22:55')" '[]'
eq "remind at +2 min: nothing" "$(rem '2026-11-02 22:57')" '[]'
eq "remind at +3 min: level 0 to dept_head" "$(rem '2026-11-02 22:58')" \
	"[[\"urge\",\"$F\",\"p18\",0,\"gm_prod\",\"dept_head\",3]]"
eq "remind at +4 min: nothing new" "$(rem '2026-11-02 22:59')" '[]'
eq "remind at +10 min (23:05): levels 1 (approver) and 2 (gm) together" "$(rem '2026-11-02 23:05')" \
	"[[\"urge\",\"$F\",\"p18\",1,\"gm_prod\",\"approver\",10],[\"urge\",\"$F\",\"p18\",2,\"gm_prod\",\"gm\",10]]"
eq "remind at 23:30: nothing new" "$(rem '2026-11-02 23:30')" '[]'
run k --now '2026-11-03 09:00' remind
eq "remind (text) the next morning: nothing" "$rc [$(cat "$TMP/out")]" "0 []"
run k --as guanli --now '2026-11-03 09:00' --json show "$F"
eq "the case shows its three 催办单" "$(jq -c '.reminders | map([.kind, .level, .role, .at])' "$TMP/out")" \
	'[["urge",0,"dept_head","2026-11-02T22:58:00+08:00"],["urge",1,"approver","2026-11-02T23:05:00+08:00"],["urge",2,"gm","2026-11-02T23:05:00+08:00"]]'

finish
