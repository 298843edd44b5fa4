#!/bin/sh
# property-service.sh — the property service-centre preset (P18): the chain of clocks
# 24 h (log and pass to the customer centre) → 12 h (dispatch) → 2 h (answer or report)
# → 2 working days (回访), and the emergency chain: a minutes clock whose 催办 go to
# 管理处负责人 (+3), 物业公司主管领导 (+5) and 董事领导 (+10), each once, day or night.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/p
"$KESU" --data "$D" init --preset property-service >/dev/null || { echo "FAIL  init --preset property-service"; exit 1; }
expect 0 "check-config is clean" k check-config
dl() { k --as linxia --now "$2" --json show "$1" | jq -c '.deadlines | map([.clock, .status, .due])'; }
st() { k --as linxia --json show "$1" | jq -c "$2"; }
# urges CASE TIME CLOCK: the reminders issued by this run for CASE and CLOCK
urges() { k --now "$2" --json remind | jq -c "[.[] | select(.case == \"$1\" and .clock == \"$3\") | [.kind, .level, .role, .late_minutes]]"; }

# --- the everyday chain: 24 h → 12 h → 2 h → 2 working days --------------------------
A=$(k --as huangbo --now '2026-11-02 09:00' new received_at='2026-11-02 08:50' customer=陈先生 address=3栋1201 phone=13800001111 subject=楼道灯不亮 urgency=normal category=repair)
eq "logged by any staff member, at the customer centre" "$(st $A '[.state, .dept, .registrant, .fields.received_at]')" '["intake","centre","huangbo","2026-11-02 08:50"]'
eq "24 h to pass it to the centre, from when it was received (08:50), not logged" "$(dl $A '2026-11-02 09:00')" '[["relay","running","2026-11-03T08:50:00+08:00"]]'
expect 2 "an everyday complaint has no emergency notification" k --as huangbo --now '2026-11-02 09:05' do $A notify emergency_dept=engineering
expect 5 "another member of staff neither sees nor passes on 黄波's complaint" k --as maojun --now '2026-11-03 08:00' do $A pass_to_centre
expect 0 "passed to the centre the next morning" k --as huangbo --now '2026-11-03 08:30' do $A pass_to_centre
eq "relay met; 12 h to dispatch" "$(dl $A '2026-11-03 08:30')" \
	'[["relay","met","2026-11-03T08:50:00+08:00"],["dispatch","running","2026-11-03T20:30:00+08:00"]]'
expect 3 "only the centre dispatches" k --as huangbo --now '2026-11-03 09:00' do $A dispatch to_dept=engineering instruction=x
expect 0 "the centre dispatches to 工程部 with a deadline" k --as linxia --now '2026-11-03 10:00' do $A dispatch to_dept=engineering due_by='2026-11-03 17:00' instruction=更换灯具
eq "dispatch met; 2 h to answer or report; the centre's deadline (due_by) is a clock" "$(dl $A '2026-11-03 10:00' | jq -c '.[1:]')" \
	'[["dispatch","met","2026-11-03T20:30:00+08:00"],["respond","running","2026-11-03T12:00:00+08:00"],["deadline","running","2026-11-03T17:00:00+08:00"]]'
eq "now with 工程部" "$(st $A '[.state, .dept]')" '["dispatched","engineering"]'
expect 0 "工程部 answers that it cannot finish on time" k --as maojun --now '2026-11-03 11:30' do $A respond delay_reason=灯具缺货 expected_by='2026-11-04 12:00'
eq "respond met, still with 工程部" "$(st $A '[.state, (.deadlines | map(select(.clock == "respond")) | .[0].status)]')" '["dispatched","met"]'
expect 0 "work done and reported" k --as maojun --now '2026-11-04 11:00' do $A report_done result=已更换灯具
eq "回访 within 2 working days (close of business), 首问人 informed within 2 h" \
	"$(dl $A '2026-11-04 11:00' | jq -c '[.[] | select(.[1] == "running")]')" \
	'[["revisit","running","2026-11-06T17:30:00+08:00"],["first_feedback","running","2026-11-04T13:00:00+08:00"]]'
expect 0 "the centre informs the 首问人" k --as linxia --now '2026-11-04 12:00' do $A inform_first first_note=已电话告知黄波
expect 0 "回访" k --as linxia --now '2026-11-05 10:00' do $A revisit revisit_result=灯已亮 satisfied=yes
expect 0 "close" k --as linxia --now '2026-11-05 10:05' do $A close
eq "closed; the centre's deadline was missed (工程部 said so in time), every other clock met" \
	"$(st $A '[.state, (.deadlines | map(select(.clock == "deadline")) | .[0].status), (.deadlines | map(select(.clock != "deadline")) | map(.status) | unique)]')" '["closed","breached",["met"]]'
eq "the 首问人 still sees the case" "$(js huangbo $A '.case')" "\"$A\""

# received_at left out: the relay counts from logging; the centre must set a deadline
N=$(k --as maojun --now '2026-11-10 09:00' new customer=王先生 address=5栋 phone=137 subject=门禁失灵 urgency=normal category=repair)
eq "relay from logging when received_at is empty" "$(dl $N '2026-11-10 09:00')" '[["relay","running","2026-11-11T09:00:00+08:00"]]'
expect 0 "passed on" k --as maojun --now '2026-11-10 09:10' do $N pass_to_centre
refuse 2 "dispatch needs the deadline (第2条 要求限期处理)" k --as linxia --now '2026-11-10 09:30' do $N dispatch to_dept=engineering instruction=检修门禁
err_names_field 限期完成时间 due_by
expect 0 "dispatched with a deadline" k --as linxia --now '2026-11-10 09:30' do $N dispatch to_dept=engineering due_by='2026-11-11 12:00' instruction=检修门禁
eq "the deadline clock runs" "$(dl $N '2026-11-10 09:30' | jq -c 'map(.[0])')" '["relay","dispatch","respond","deadline"]'
# a due_field must name a date or datetime field
cp -R "$D" "$TMP/badclock"
sed -i 's/due_field: due_by/due_field: instruction/' "$TMP/badclock/config/limits.yaml"
run "$KESU" --data "$TMP/badclock" check-config
eq "due_field naming a text field is refused by check-config" "$rc" 2
cat "$TMP/out" "$TMP/err" | grep -q 'limits.yaml:[0-9]*:[0-9]*:.*due_field.*instruction' && ok "… with limits.yaml:LINE:COL and the field" ||
	{ fail "… with limits.yaml:LINE:COL and the field"; show_io; }

# late dispatch: a 催办单 to the centre once 12 h passed, then to 管理处负责人
B=$(k --as guoli --now '2026-11-09 08:00' new customer=李女士 address=2栋 phone=139 subject=垃圾未清 urgency=normal category=cleaning)
expect 0 "passed on" k --as guoli --now '2026-11-09 08:10' do $B pass_to_centre
eq "no reminder at the due minute (after: 0 without at_due: strictly after)" "$(urges $B '2026-11-09 20:10' dispatch)" '[]'
eq "催办单 to the centre when late (hour clocks remind at night)" "$(urges $B '2026-11-09 20:11' dispatch)" '[["urge",0,null,1]]'
eq "2 h later: escalated to 管理处负责人" "$(urges $B '2026-11-09 22:10' dispatch)" '[["urge",1,"office_head",120]]'
expect 0 "the centre explains an unreasonable complaint and closes" k --as linxia --now '2026-11-10 09:00' do $B explain explanation=垃圾清运时间已公示
eq "closed by explanation" "$(st $B '.state')" '"closed"'

# --- the emergency chain, at 02:00 at night ---------------------------------------------
E=$(k --as huangbo --now '2026-11-03 02:00' new customer=5栋业主 address=5栋 phone=137 subject=水管爆裂 urgency=emergency category=repair)
eq "emergency clock: 3 minutes" "$(dl $E '2026-11-03 02:00' | jq -c 'map(select(.[0] == "emergency"))')" '[["emergency","running","2026-11-03T02:03:00+08:00"]]'
eq "+2: nothing" "$(urges $E '2026-11-03 02:02' emergency)" '[]'
eq "+3 exactly: 管理处负责人, at the due minute (at_due: 到期即催)" "$(urges $E '2026-11-03 02:03' emergency)" '[["urge",0,"office_head",0]]'
eq "… not again at +4" "$(urges $E '2026-11-03 02:04' emergency)" '[]'
eq "+5: 物业公司主管领导" "$(urges $E '2026-11-03 02:05' emergency)" '[["urge",1,"leader",2]]'
eq "+9: nothing" "$(urges $E '2026-11-03 02:09' emergency)" '[]'
eq "+10: 董事领导" "$(urges $E '2026-11-03 02:10' emergency)" '[["urge",2,"board",7]]'
eq "+11 and later: nothing more" "$(urges $E '2026-11-03 02:11' emergency)$(urges $E '2026-11-03 05:00' emergency)" '[][]'
eq "every level issued exactly once in all" \
	"$(sqlite3 "$D/kesu.db" "select group_concat(role || '@' || ((at - started_at) / 60), ' ') from (select * from reminders where clock = 'emergency' order by level)")" \
	'office_head@3 leader@5 board@10'
expect 0 "the first receiver notifies 工程部" k --as huangbo --now '2026-11-03 02:02' do $E notify emergency_dept=engineering measure=关闭总阀
eq "the 24 h relay to the centre is superseded by the emergency notice, not met" \
	"$(dl $E '2026-11-03 02:02' | jq -c 'map(select(.[0] == "relay") | .[0:2])')" '[["relay","superseded"]]'
eq "show names it 已取代" "$(k --as linxia --now '2026-11-03 02:02' show $E | grep -c '报客户中心前台.*已取代')" 1
expect 0 "管理处负责人 escalates" k --as tangwei --now '2026-11-03 02:05' do $E escalate escalate_reason=主管道破裂需停水
expect 3 "only the company leader calls the board" k --as tangwei --now '2026-11-03 02:06' do $E escalate_board board_reason=x
expect 0 "物业公司主管领导 calls the board" k --as xuming --now '2026-11-03 02:09' do $E escalate_board board_reason=需开发商维修
eq "written reports due in 24 h and 48 h" "$(dl $E '2026-11-03 02:09' | jq -c 'map(select(.[0] | test("report")))')" \
	'[["report_leader","running","2026-11-04T02:05:00+08:00"],["report_board","running","2026-11-05T02:09:00+08:00"]]'
expect 0 "resolved" k --as maojun --now '2026-11-03 04:00' do $E resolve result=已更换管段
eq "emergency clock stopped (late); verification within 8 h" \
	"$(dl $E '2026-11-03 04:00' | jq -c 'map(select(.[0] == "emergency" or .[0] == "verify") | .[0:2])')" '[["emergency","breached"],["verify","running"]]'
eq "verification late: 催办 to 发展商客户服务部" "$(urges $E '2026-11-03 12:01' verify)" '[["urge",0,"developer",1]]'

# resolved within 3 minutes: no escalation at all
Q=$(k --as linxia --now '2026-11-03 03:00' new customer=甲 address=1栋 phone=1 subject=电梯困人 urgency=emergency)
expect 0 "notified" k --as linxia --now '2026-11-03 03:01' do $Q notify emergency_dept=engineering
expect 0 "resolved in 2 minutes" k --as maojun --now '2026-11-03 03:02' do $Q resolve result=已解救
eq "met, no reminders" "$(st $Q '[.deadlines[] | select(.clock == "emergency") | .status]')$(urges $Q '2026-11-03 03:20' emergency)" '["met"][]'

# --- "A or B": 需要开发商解决 is handled like an emergency (第6条) ----------------------------
V=$(k --as huangbo --now '2026-11-12 10:00' new customer=乙 address=7栋 phone=2 subject=外墙渗水 urgency=normal category=developer)
eq "a matter for the developer gets the 3-minute clock though not urgent" \
	"$(dl $V '2026-11-12 10:00' | jq -c 'map(select(.[0] == "emergency"))')" '[["emergency","running","2026-11-12T10:03:00+08:00"]]'
expect 0 "… and may be notified at once" k --as huangbo --now '2026-11-12 10:01' do $V notify emergency_dept=engineering
R=$(k --as huangbo --now '2026-11-12 11:00' new customer=丙 address=8栋 phone=3 subject=路灯坏 urgency=normal category=repair)
expect 2 "an everyday repair may not be notified" k --as huangbo --now '2026-11-12 11:01' do $R notify emergency_dept=engineering
grep -q '须满足以下之一：「紧急程度」为 紧急抢险抢修/重要重大事项；「投诉类别」为 需开发商解决' "$TMP/err" &&
	ok "… the refusal names both alternatives" || { fail "… the refusal names both alternatives"; show_io; }
eq "no emergency clock for it" "$(dl $R '2026-11-12 11:00' | jq -c 'map(.[0])')" '["relay"]'

# --- 第8条: the 首问人's own reminder ----------------------------------------------------------
F=$(k --as guoli --now '2026-11-16 09:00' new customer=丁 address=9栋 phone=4 subject=水压低 urgency=normal category=repair)
expect 0 "passed on" k --as guoli --now '2026-11-16 09:05' do $F pass_to_centre
expect 0 "dispatched" k --as linxia --now '2026-11-16 09:30' do $F dispatch to_dept=engineering due_by='2026-11-17 12:00' instruction=检查水泵
expect 0 "done" k --as maojun --now '2026-11-16 14:00' do $F report_done result=已调整水泵
eq "not yet late: nothing" "$(k --now '2026-11-16 16:00' --json remind | jq -c "[.[] | select(.case == \"$F\" and .clock == \"first_feedback\")]")" '[]'
eq "the centre did not tell the 首问人 within 2 h: the 催办单 goes to 郭丽 herself" \
	"$(k --now '2026-11-16 16:01' --json remind | jq -c "[.[] | select(.case == \"$F\" and .clock == \"first_feedback\") | [.kind, .login, .role, .late_minutes]]")" \
	'[["urge","guoli",null,1]]'
eq "show lists the reminder with its person" "$(st $F '[.reminders[] | select(.clock == "first_feedback") | .login]')" '["guoli"]'
eq "reminders to a department or role name no person" "$(st $E '[.reminders[] | select(.clock != "first_feedback") | .login] | unique')" '[null]'

# --- demo ----------------------------------------------------------------------------------
D=$TMP/demo
expect 0 "init --demo" "$KESU" --data "$D" init --preset property-service --demo
expect 0 "check-config after the demo" k check-config
finish
