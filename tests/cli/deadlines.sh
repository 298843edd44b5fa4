#!/bin/sh
# shellcheck disable=SC2086 # $REG and $RPT are split into KEY=VALUE arguments on purpose
# deadlines.sh — the clocks and reminders of the manufacturing preset on the cn
# calendar (民法典 201–203: the start day is not counted, a limit ends at 24:00 of its
# last day, a last day that is a rest day moves to the next working day, a make-up
# working day is a working day).  close_domestic (15 days) and close_foreign
# (20 days) with their warn / 催办单 / escalation-to-gm levels, issued only in
# working hours and only once; `list --overdue`; a 治办单 for a case closed late;
# the report clock rolling over a weekend; a limit reaching 2027 (no calendar data).
set -eu
. "$(dirname "$0")/lib.inc"

REG="contact=0512-66881234 channel=phone category=quality subject=齿轮硬度不足 detail=硬度低于图纸要求"
RPT="cause=热处理温度偏低 process=复检 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"

# reg TIME REGION CUSTOMER: register a complaint as qiantai; prints the case number
reg() {
	k --as qiantai --now "$1" new customer="$3" region="$2" $REG
}
# step LOGIN TIME CASE ACTION ARGS...: the action succeeds
step() {
	_u=$1 _t=$2; shift 2
	expect 0 "$_u at $_t: do $*" k --as "$_u" --now "$_t" do "$@"
}
# clocks CASE TIME FILTER: jq -c FILTER over .deadlines of `show --json CASE` at TIME
clocks() {
	k --as guanli --now "$2" --json show "$1" | jq -c ".deadlines | $3"
}
# rem TIME: `remind --json` at TIME, as one line
#   [[kind, form, case, clock, level, dept, role, late_minutes], …]
rem() {
	run k --now "$1" --json remind
	if [ "$rc" != 0 ]; then
		echo "(exit $rc) $(errline)"
	else
		jq -c '[.[] | [.kind, .form, .case, .clock, .level, .dept, .role, .late_minutes]]' "$TMP/out" 2>/dev/null ||
			echo "(not JSON) $(head -c 200 "$TMP/out")"
	fi
}
# remind_is DESC TIME WANT
remind_is() { eq "remind --now '$2': $1" "$(rem "$2")" "$3"; }
# overdue_at TIME: the case numbers `list --overdue --json` shows at TIME
overdue_at() { k --as guanli --now "$1" --json list --overdue | jq -c 'map(.case)'; }

# refuse_nz DESC CMD...: CMD exits non-zero, prints nothing on stdout, one line
# "kesu: …" on stderr, and the database is byte-for-byte unchanged
refuse_nz() {
	_desc=$1; shift
	db_dump >"$TMP/before.sql"
	run "$@"
	db_dump >"$TMP/after.sql"
	_bad=""
	[ "$rc" != 0 ] || _bad="exit 0"
	case $(head -n 1 "$TMP/err") in "kesu: "?*) ;; *) _bad="${_bad:+$_bad; }stderr does not start with 'kesu: '" ;; esac
	[ "$(awk 'END { print NR }' "$TMP/err")" -le 1 ] || _bad="${_bad:+$_bad; }stderr has more than one line"
	[ ! -s "$TMP/out" ] || _bad="${_bad:+$_bad; }stdout not empty"
	cmp -s "$TMP/before.sql" "$TMP/after.sql" || _bad="${_bad:+$_bad; }database changed"
	if [ -z "$_bad" ]; then ok "$_desc -> $rc: $(errline)"; else fail "$_desc: $_bad"; show_io; fi
}

Q=2026-10-14T00:00:00+08:00 # the due time of close_domestic for a case accepted 2026-09-28

# === 1. domestic: accepted Monday 2026-09-28 10:00, 15 days → last day Tue 10-13 ============
newdata dom
D1=$(reg '2026-09-28 09:00' domestic 华东精密机械)
eq "first case" "$D1" 2609-001
step guanli '2026-09-28 10:00' "$D1" accept
eq "accept starts close_domestic (not close_foreign): due $Q (24:00 of 10-13), running" \
	"$(clocks "$D1" '2026-09-28 10:00' 'map([.clock, .started, .due, .status])')" \
	"[[\"close_domestic\",\"2026-09-28T10:00:00+08:00\",\"$Q\",\"running\"]]"
eq "remaining_minutes at acceptance: 15 days 14 hours" \
	"$(clocks "$D1" '2026-09-28 10:00' '.[0] | [.remaining_minutes, has("late_minutes")]')" "[22440,false]"
eq "the clock records the calendar version" \
	"$(clocks "$D1" '2026-09-28 10:00' '.[0].calendar_version | test("^[0-9a-f]{8,}$")')" true

# the investigation, done in time: the report clock rolls over 国庆 (10-01 … 10-07)
step guanli '2026-09-28 11:00' "$D1" assign dept=quality
eq "assign starts report: 3rd day 10-01 is 国庆 → 10-08 → due 10-09 00:00" \
	"$(clocks "$D1" '2026-09-28 11:00' 'map(select(.clock == "report") | [.started, .due, .status])')" \
	'[["2026-09-28T11:00:00+08:00","2026-10-09T00:00:00+08:00","running"]]'
step zhijian '2026-09-29 15:00' "$D1" report $RPT loss=3000
step yewujingli '2026-09-30 09:00' "$D1" approve decision=同意返工
step qiantai '2026-09-30 10:00' "$D1" reply method=phone accepted=yes
eq "report met (stopped 09-29 15:00), opinion met (due 10-01 00:00), close_domestic running" \
	"$(clocks "$D1" '2026-09-30 10:00' 'map([.clock, .status, .due, .stopped])')" \
	"[[\"close_domestic\",\"running\",\"$Q\",null],[\"report\",\"met\",\"2026-10-09T00:00:00+08:00\",\"2026-09-29T15:00:00+08:00\"],[\"opinion\",\"met\",\"2026-10-01T00:00:00+08:00\",\"2026-09-30T09:00:00+08:00\"]]"

remind_is "nothing before the warn window (Fri 10-09 09:00)" '2026-10-09 09:00' '[]'
remind_is "nothing on the make-up Saturday 10-10 either (still outside the window)" '2026-10-10 09:00' '[]'
remind_is "the warning, 2 days before due (Mon 10-12 09:00), to the case's department" '2026-10-12 09:00' \
	"[[\"warn\",\"到期提醒\",\"$D1\",\"close_domestic\",0,\"quality\",null,-2340]]"
remind_is "a second run issues nothing new" '2026-10-12 09:00' '[]'

# two more cases: one accepted later (not overdue), one never accepted (no clock)
N1=$(reg '2026-10-12 09:30' domestic 苏州新材料)
step guanli '2026-10-12 10:00' "$N1" accept
eq "the second case: due 10-28 00:00 (15 days from Mon 10-12 → Tue 10-27)" \
	"$(clocks "$N1" '2026-10-12 10:00' 'map([.clock, .due])')" '[["close_domestic","2026-10-28T00:00:00+08:00"]]'
U1=$(reg '2026-10-13 09:00' foreign 大阪精工)
remind_is "nothing the day before due (10-13 16:00; warning already issued)" '2026-10-13 16:00' '[]'
remind_is "due exactly now (10-14 00:00) is not late, and not working hours" '2026-10-14 00:00' '[]'
eq "show at 10-14 00:00: still running, 0 minutes remaining" \
	"$(clocks "$D1" '2026-10-14 00:00' 'map(select(.clock == "close_domestic") | [.status, .remaining_minutes])')" '[["running",0]]'
remind_is "late but before working hours (10-14 07:00): nothing" '2026-10-14 07:00' '[]'
eq "list --overdue at 10-14 07:00 lists exactly the late case" "$(overdue_at '2026-10-14 07:00')" "[\"$D1\"]"
eq "list --json: due and overdue of each case, the earliest due first, no running clock last" \
	"$(k --as guanli --now '2026-10-14 07:00' --json list | jq -c 'map([.case, .due, .overdue])')" \
	"[[\"$D1\",\"$Q\",true],[\"$N1\",\"2026-10-28T00:00:00+08:00\",false],[\"$U1\",null,false]]"
eq "list --limit 1 --offset 1: the second of them" \
	"$(k --as guanli --now '2026-10-14 07:00' --json list --limit 1 --offset 1 | jq -c 'map(.case)')" "[\"$N1\"]"
eq "list --offset 2: the last" \
	"$(k --as guanli --now '2026-10-14 07:00' --json list --offset 2 | jq -c 'map(.case)')" "[\"$U1\"]"
eq "list --offset past the end: nothing" \
	"$(k --as guanli --now '2026-10-14 07:00' --json list --offset 3 | jq -c 'length')" 0
eq "show at 10-14 07:00: close_domestic breached, 420 minutes late" \
	"$(clocks "$D1" '2026-10-14 07:00' 'map(select(.clock == "close_domestic") | [.status, .late_minutes, has("remaining_minutes")])')" \
	'[["breached",420,false]]'

# the 催办单, in text form: names the case, the late department, the clock and how late
run k --now '2026-10-14 08:30' remind
eq "remind at 10-14 08:30 (opening time): one line" "$rc $(awk 'END { print NR }' "$TMP/out")" "0 1"
for want in 催办单 "$D1" 结案期限（国内十五天） 质量管理部 "已逾期 8 小时 30 分钟"; do
	if grep -qF -- "$want" "$TMP/out"; then ok "the 催办单 line has \"$want\""; else fail "the 催办单 line lacks \"$want\""; show_io; fi
done
eq "the 催办单 is recorded: urge level 1 to quality, no role" \
	"$(k --as guanli --now '2026-10-14 08:30' --json show "$D1" | jq -c '.reminders | map([.kind, .clock, .level, .dept, .role, .at])')" \
	"[[\"warn\",\"close_domestic\",0,\"quality\",null,\"2026-10-12T09:00:00+08:00\"],[\"urge\",\"close_domestic\",1,\"quality\",null,\"2026-10-14T08:30:00+08:00\"]]"
remind_is "a second run issues nothing new" '2026-10-14 10:00' '[]'
remind_is "nothing on Fri 10-16 (escalation is 3 days after due: Sat 10-17 00:00)" '2026-10-16 16:00' '[]'
remind_is "Saturday 10-17: escalation due, but not a working day" '2026-10-17 10:00' '[]'
remind_is "Sunday 10-18: not a working day" '2026-10-18 10:00' '[]'
remind_is "Monday 10-19 08:30: the escalation, level 2 to gm" '2026-10-19 08:30' \
	"[[\"urge\",\"催办单\",\"$D1\",\"close_domestic\",2,\"quality\",\"gm\",7710]]"
remind_is "a second run issues nothing new" '2026-10-19 09:00' '[]'
eq "list --overdue at 10-19 still lists exactly the late case" "$(overdue_at '2026-10-19 09:00')" "[\"$D1\"]"

# finished late: a 治办单, once
step zongjingli '2026-10-20 10:00' "$D1" close
eq "close stops close_domestic: breached, 6 days 10 hours late" \
	"$(clocks "$D1" '2026-10-20 10:00' 'map(select(.clock == "close_domestic") | [.status, .stopped, .late_minutes])')" \
	'[["breached","2026-10-20T10:00:00+08:00",9240]]'
eq "the breached clock stays breached a day later" \
	"$(clocks "$D1" '2026-10-21 10:00' 'map(select(.clock == "close_domestic") | [.status, .late_minutes])')" '[["breached",9240]]'
remind_is "after the late close: one 治办单 for close_domestic" '2026-10-20 11:00' \
	"[[\"inquiry\",\"治办单\",\"$D1\",\"close_domestic\",0,\"quality\",null,9240]]"
remind_is "never again (same day)" '2026-10-20 11:00' '[]'
remind_is "never again (next day)" '2026-10-21 09:00' '[]'
eq "list --overdue after the close: nothing" "$(overdue_at '2026-10-21 09:00')" '[]'
remind_is "the second case, late, its warn window passed without a run: a 催办单, no late warning" \
	'2026-10-28 09:00' "[[\"urge\",\"催办单\",\"$N1\",\"close_domestic\",1,\"gm_prod\",null,540]]"
eq "the reminders in the database: 4 for the first case, 1 for the second" \
	"$(sqlite3 "$D/kesu.db" "select group_concat(x, ' ') from (select c.no || ':' || r.kind || ':' || r.level x from reminders r join cases c on c.id = r.case_id order by r.id)")" \
	"$D1:warn:0 $D1:urge:1 $D1:urge:2 $D1:inquiry:0 $N1:urge:1"

# === 2. foreign: accepted Thu 2026-02-12 10:00 (before 春节), 20 days → Wed 03-04 ==========
newdata for
F1=$(reg '2026-02-12 09:00' foreign 大阪精工)
step guanli '2026-02-12 10:00' "$F1" accept
eq "accept starts close_foreign only: due 2026-03-05 00:00" \
	"$(clocks "$F1" '2026-02-12 10:00' 'map([.clock, .due, .status])')" \
	'[["close_foreign","2026-03-05T00:00:00+08:00","running"]]'
remind_is "nothing outside the warn window (Mon 03-02)" '2026-03-02 09:00' '[]'
remind_is "the warning (Tue 03-03 09:00) to the registration department" '2026-03-03 09:00' \
	"[[\"warn\",\"到期提醒\",\"$F1\",\"close_foreign\",0,\"gm_prod\",null,-2340]]"
remind_is "the day after due, 09:00: a 催办单" '2026-03-05 09:00' \
	"[[\"urge\",\"催办单\",\"$F1\",\"close_foreign\",1,\"gm_prod\",null,540]]"
remind_is "a second run issues nothing new" '2026-03-05 09:30' '[]'
remind_is "Saturday 03-07: nothing" '2026-03-07 10:00' '[]'
remind_is "Sunday 03-08 (escalation due at 00:00): nothing" '2026-03-08 10:00' '[]'
remind_is "Monday 03-09 09:00: escalation to gm" '2026-03-09 09:00' \
	"[[\"urge\",\"催办单\",\"$F1\",\"close_foreign\",2,\"gm_prod\",\"gm\",6300]]"
remind_is "a second run issues nothing new" '2026-03-09 09:00' '[]'
eq "list --overdue lists the foreign case" "$(overdue_at '2026-03-09 09:00')" "[\"$F1\"]"

# === 3. holidays and make-up working days ==================================================
newdata hol
H1=$(reg '2026-09-15 09:00' domestic 杭州电机) # last day Wed 09-30, the day before 国庆
H2=$(reg '2026-09-16 09:00' domestic 无锡阀门) # last day 10-01 (国庆) → 10-08
H3=$(reg '2026-09-25 09:00' domestic 常州齿轮) # accepted on 中秋; last day 10-10, a make-up Saturday
step guanli '2026-09-15 10:00' "$H1" accept
step guanli '2026-09-16 10:00' "$H2" accept
step guanli '2026-09-25 10:00' "$H3" accept
eq "due: 10-01 00:00 / rolled over 国庆 to 10-09 00:00 / make-up Saturday not rolled: 10-11 00:00" \
	"$(for c in "$H1" "$H2" "$H3"; do clocks "$c" '2026-09-25 10:00' '.[0].due'; done | tr '\n' ' ')" \
	'"2026-10-01T00:00:00+08:00" "2026-10-09T00:00:00+08:00" "2026-10-11T00:00:00+08:00" '
remind_is "09-30 09:00: the warning for the first case" '2026-09-30 09:00' \
	"[[\"warn\",\"到期提醒\",\"$H1\",\"close_domestic\",0,\"gm_prod\",null,-900]]"
remind_is "10-01 (国庆) 10:00: late, but a holiday: nothing" '2026-10-01 10:00' '[]'
remind_is "10-05 (国庆) 10:00: nothing" '2026-10-05 10:00' '[]'
remind_is "Thu 10-08 09:00, first working morning: 催办单 and escalation (both due), and the second case's warning" \
	'2026-10-08 09:00' \
	"[[\"urge\",\"催办单\",\"$H1\",\"close_domestic\",1,\"gm_prod\",null,10620],[\"urge\",\"催办单\",\"$H1\",\"close_domestic\",2,\"gm_prod\",\"gm\",10620],[\"warn\",\"到期提醒\",\"$H2\",\"close_domestic\",0,\"gm_prod\",null,-900]]"
remind_is "Sat 10-10 (make-up working day) 09:00: reminders are issued" '2026-10-10 09:00' \
	"[[\"urge\",\"催办单\",\"$H2\",\"close_domestic\",1,\"gm_prod\",null,1980],[\"warn\",\"到期提醒\",\"$H3\",\"close_domestic\",0,\"gm_prod\",null,-900]]"
remind_is "Sun 10-11: nothing" '2026-10-11 10:00' '[]'
remind_is "Mon 10-12 08:30: the third case's 催办单 (and the second's escalation, due Mon 00:00)" '2026-10-12 08:30' \
	"[[\"urge\",\"催办单\",\"$H2\",\"close_domestic\",2,\"gm_prod\",\"gm\",4830],[\"urge\",\"催办单\",\"$H3\",\"close_domestic\",1,\"gm_prod\",null,1950]]"
remind_is "lunch break (12:30): nothing due anyway" '2026-10-12 12:30' '[]'

# === 4. the report clock over a weekend ===================================================
newdata rep
R1=$(reg '2026-11-24 09:00' domestic 上海精冲)
R2=$(reg '2026-11-24 09:05' domestic 昆山模具)
for c in "$R1" "$R2"; do
	step guanli '2026-11-24 10:00' "$c" accept
	step guanli '2026-11-25 10:00' "$c" assign dept=quality
done
eq "assign on Wed 11-25: 3rd day Sat 11-28 → Mon 11-30 → due 12-01 00:00" \
	"$(clocks "$R1" '2026-11-25 10:00' 'map(select(.clock == "report") | [.started, .due, .status])')" \
	'[["2026-11-25T10:00:00+08:00","2026-12-01T00:00:00+08:00","running"]]'
eq "on Fri 11-27 12:00: running, 3 days 12 hours remaining" \
	"$(clocks "$R1" '2026-11-27 12:00' 'map(select(.clock == "report") | [.status, .remaining_minutes])')" '[["running",5040]]'
eq "on Sat 11-28: still running (the last day moved)" \
	"$(clocks "$R1" '2026-11-28 23:59' 'map(select(.clock == "report") | .status)')" '["running"]'
step zhijian '2026-11-30 16:00' "$R1" report $RPT loss=100
step zhijian '2026-12-01 09:00' "$R2" report $RPT loss=100
eq "reported Mon 11-30 16:00: met" \
	"$(clocks "$R1" '2026-12-02 09:00' 'map(select(.clock == "report") | [.status, .stopped, .remaining_minutes])')" \
	'[["met","2026-11-30T16:00:00+08:00",480]]'
eq "reported Tue 12-01 09:00: breached, 9 hours late" \
	"$(clocks "$R2" '2026-12-02 09:00' 'map(select(.clock == "report") | [.status, .late_minutes])')" '[["breached",540]]'
eq "report starts opinion: 1 day → due 12-02 00:00" \
	"$(clocks "$R1" '2026-11-30 16:00' 'map(select(.clock == "opinion") | [.status, .due])')" \
	'[["running","2026-12-02T00:00:00+08:00"]]'
remind_is "Wed 12-02 09:00: a 催办单 for the late opinion (no levels: level 0); no 治办单 for the late report while the case is open" \
	'2026-12-02 09:00' "[[\"urge\",\"催办单\",\"$R1\",\"opinion\",0,\"quality\",null,540]]"

# === 5. a limit reaching 2027, for which the calendar has no data ==========================
# (a) calendar.yaml says unknown_years: refuse — nothing is computed as if 2027 had no holidays
newdata y27
sed -i 's/^  unknown_years: workweek.*/  unknown_years: refuse/' "$D/config/calendar.yaml"
grep -q '^  unknown_years: refuse' "$D/config/calendar.yaml" && ok "(refuse) calendar set to refuse" || fail "(refuse) calendar set to refuse"
Y1=$(reg '2026-12-15 09:00' domestic 北京仪表)
Y2=$(reg '2026-12-15 09:05' domestic 天津机床)
step guanli '2026-12-16 10:00' "$Y1" accept
eq "(refuse) accepted 12-16: last day 12-31 (2026) → due 2027-01-01 00:00, no 2027 data needed" \
	"$(clocks "$Y1" '2026-12-16 10:00' 'map([.clock, .due])')" '[["close_domestic","2027-01-01T00:00:00+08:00"]]'
refuse_nz "(refuse) accept on 2026-12-20 (15th day 2027-01-04) fails and writes nothing" \
	k --as guanli --now '2026-12-20 10:00' do "$Y2" accept
err_has "(refuse) the message names the year 2027" 2027
eq "(refuse) the case is still in intake, version 1, no clock" \
	"$(k --as guanli --now '2026-12-20 10:00' --json show "$Y2" | jq -c '[.state, .version, (.deadlines | length)]')" '["intake",1,0]'
# once the first case is late in 2027 the working hours cannot be known: that is an error,
# not a silent "no reminder"
run k --now '2027-01-04 09:00' --json remind
if [ "$rc" != 0 ] && grep -qF 2027 "$TMP/err"; then
	ok "(refuse) remind in 2027 (no calendar data) fails naming 2027 (exit $rc)"
else
	fail "(refuse) remind in 2027 with a late case: exit $rc, want non-zero and a message naming 2027 (a late case is silently not reminded)"
	show_io
fi
eq "(refuse) the late case is still listed as overdue in 2027" "$(overdue_at '2027-01-04 09:00')" "[\"$Y1\"]"

# (b) the shipped calendar: unknown_years: workweek — the desk keeps working in December;
# the due time is provisional (Monday to Friday) and is re-timed once 2027 is entered
newdata y27w
grep -q '^  unknown_years: workweek' "$D/config/calendar.yaml" && ok "(workweek) the shipped calendar keeps working" ||
	fail "(workweek) the shipped calendar says unknown_years: workweek"
W1=$(reg '2026-12-15 09:05' domestic 天津机床)
step guanli '2026-12-20 10:00' "$W1" accept
eq "(workweek) accepted 12-20: 15th day Mon 2027-01-04, a working day by the workweek → due 01-05 00:00" \
	"$(clocks "$W1" '2026-12-20 10:00' 'map([.clock, .due])')" '[["close_domestic","2027-01-05T00:00:00+08:00"]]'
run k --as guanli doctor
[ "$rc" != 0 ] && grep -q 2027 "$TMP/out" && ok "(workweek) doctor still reports the missing year 2027" ||
	{ fail "(workweek) doctor reports the missing year 2027 (exit $rc)"; show_io; }
# the notice is published: 2027 entered (a test calendar: 01-01 … 01-05 a holiday)
cat >>"$D/config/calendar.yaml" <<'YAML'
    2027:
      source: 测试用数据（不是国务院的通知）
      holidays:
        - {name: 元旦, from: 2027-01-01, to: 2027-01-05}
      workdays: []
YAML
expect 0 "(workweek) check-config with 2027 added" k check-config
eq "(workweek) re-timed at the next command: 01-04 is now a rest day → Wed 01-06 → due 01-07 00:00" \
	"$(clocks "$W1" '2026-12-21 09:00' 'map([.clock, .due])')" '[["close_domestic","2027-01-07T00:00:00+08:00"]]'

finish
