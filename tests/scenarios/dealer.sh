#!/bin/sh
# dealer.sh — the car-dealer preset (P20): licence plate required on intake, the
# 1-working-day solution clock, 总经理 approval, the major flow through an immediate
# meeting (a state only major cases reach), and penalties for delay and loss.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/d
"$KESU" --data "$D" init --preset dealer >/dev/null || { echo "FAIL  init --preset dealer"; exit 1; }
expect 0 "check-config is clean" k check-config
st() { k --as luojia --json show "$1" | jq -c "$2"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }

# --- intake: licence plate required ----------------------------------------------
expect 2 "no licence plate: refused" k --as xiaoyu --now '2026-11-02 09:00' new customer=赵先生 kind=repair subject=异响 detail=保养后异响
A=$(k --as xiaoyu --now '2026-11-02 09:00' new customer=赵先生 plate=京A12345 kind=维修质量 subject=保养后异响 detail=更换机油后发动机异响)
eq "plate recorded, routed to 售后服务部" "$(st $A '[.fields.plate, .fields.kind, .dept, .state]')" '["京A12345","repair","service","intake"]'
C=$(k --as xiaoyu --now '2026-11-02 09:05' new customer=钱女士 plate=沪B67890 kind=contract subject=交车延期 detail=逾期两月)
eq "合同投诉 → 销售部" "$(st $C '.dept')" '"sales"'

# --- general flow, on time -----------------------------------------------------------
eq "only 客户关系经理 classifies" "$(acts xiaoyu $A) $(acts luojia $A)" '[] ["classify","transfer"]'
expect 0 "classify: general, valid" k --as luojia --now '2026-11-02 10:00' do $A classify severity=general valid=yes reasonable=yes handler=hanlei
eq "assigned; solution due at close of business of the next working day" \
	"$(k --as luojia --now '2026-11-02 10:00' --json show $A | jq -c '[.assignee, (.deadlines | map([.clock, .status, .due]))]')" \
	'["hanlei",[["solution","running","2026-11-03T17:30:00+08:00"]]]'
eq "a general case cannot go to the meeting" "$(acts luojia $A)" '["transfer"]'
expect 2 "convene refused for a general case" k --as luojia --now '2026-11-02 10:10' do $A convene attendees=x
expect 5 "销售经理 does not even see the 售后 case" k --as songtao --now '2026-11-02 15:00' do $A propose cause=x solution=y
expect 0 "服务经理 proposes within the day" k --as hanlei --now '2026-11-03 16:00' do $A propose cause=滤清器未拧紧 culprit=hanlei solution=免费复检 loss=1000 responsibility=hanlei:1000
eq "clock met; waiting for 总经理" "$(st $A '[.state, (.deadlines | map(.status))]')" '["approval",["met"]]'
expect 3 "the manager cannot approve" k --as hanlei --now '2026-11-03 16:10' do $A approve
expect 0 "总经理 approves" k --as duxin --now '2026-11-03 17:00' do $A approve gm_opinion=同意
expect 0 "customer told" k --as xiaoyu --now '2026-11-04 09:00' do $A notify customer_reaction=接受
expect 0 "satisfaction" k --as xiaoyu --now '2026-11-06 09:00' do $A survey satisfaction=satisfied
expect 0 "总经理 closes with countermeasures" k --as duxin --now '2026-11-06 10:00' do $A close summary=交接核对不足 measures=保养后复查清单 supervisor=luojia
eq "closed" "$(st $A '.state')" '"closed"'

# --- general flow, late: the delay penalty ----------------------------------------------
L=$(k --as xiaoyu --now '2026-11-05 09:00' new customer=孙先生 plate=粤C11111 kind=service subject=接待冷淡 detail=前台无人接待)
expect 0 "classify (Thursday)" k --as luojia --now '2026-11-05 09:30' do $L classify severity=general valid=yes reasonable=yes handler=hanlei
eq "due Friday close of business" "$(st $L '.deadlines | map(.due)')" '["2026-11-06T17:30:00+08:00"]'
eq "late: 催办单 to 售后服务部 on Monday morning" \
	"$(k --now '2026-11-09 09:00' --json remind | jq -c "[.[] | select(.case == \"$L\") | [.kind, .clock, .level, .dept, .role]]")" '[["urge","solution",0,"service",null]]'
eq "4 working hours late: escalated to 总经理" \
	"$(k --now '2026-11-09 14:00' --json remind | jq -c "[.[] | select(.case == \"$L\") | [.kind, .level, .role]]")" '[["urge",1,"gm"]]'
expect 0 "proposed late, on Monday" k --as hanlei --now '2026-11-09 15:00' do $L propose cause=排班不足 solution=致歉并赠送洗车
eq "clock breached" "$(st $L '.deadlines | map(.status)')" '["breached"]'
expect 0 "approve" k --as duxin --now '2026-11-09 16:00' do $L approve
expect 0 "notify" k --as luojia --now '2026-11-10 09:00' do $L notify customer_reaction=接受
expect 0 "survey" k --as luojia --now '2026-11-10 09:10' do $L survey satisfaction=neutral
expect 0 "close" k --as duxin --now '2026-11-10 10:00' do $L close summary=接待排班 measures=增加前台人员
pen() { k --as duxin --json penalty --month 2026-11 | jq -c "$1"; }
eq "delay penalty to whoever was late (服务经理), 100 元; loss share 10% of 1,000 元 on case A" \
	"$(pen '[.[] | {l: .login, i: [.items[] | [.case, .kind, .amount_fen]]}]')" \
	"[{\"l\":\"hanlei\",\"i\":[[\"$A\",\"loss\",10000],[\"$L\",\"delay\",10000]]}]"
eq "one entry for the late case" "$(k --as duxin --json penalty entries --case $L | jq -c 'length')" 1
eq "nobody is charged for a case closed on time" "$(k --as duxin --json penalty entries --case $C | jq -c 'length')" 0

# --- major flow: immediate meeting ------------------------------------------------------
expect 0 "classify major" k --as luojia --now '2026-11-02 09:30' do $C classify severity=major valid=yes reasonable=yes
eq "no 1-working-day clock for a major case" "$(st $C '.deadlines | length')" 0
eq "a major case cannot take the general route" "$(acts songtao $C)" '[]'
expect 2 "propose refused for a major case" k --as songtao --now '2026-11-02 09:40' do $C propose cause=x solution=y
expect 0 "客户关系经理 convenes the meeting" k --as luojia --now '2026-11-02 09:45' do $C convene attendees=宋涛、杜鑫、罗佳
eq "in the meeting" "$(st $C '.state')" '"meeting"'
eq "nobody has signed; both roles awaited" "$(st $C '.quorum | map([.action, .have, .need, (.awaiting | map(.label))])')" \
	'[["meeting_sign",0,2,["销售经理/服务经理（销售部）","总经理"]]]'
expect 3 "no signature before the solution is recorded" k --as duxin --now '2026-11-02 10:30' do $C meeting_sign
expect 0 "the meeting's solution recorded" k --as duxin --now '2026-11-02 11:00' do $C joint_solution minutes=厂家配车延误 solution=赔付延期违约金 negotiator=songtao
eq "still in the meeting: the decision needs signatures" "$(st $C '[.state, .fields.negotiator]')" '["meeting","songtao"]'
expect 0 "总经理 signs" k --as duxin --now '2026-11-02 11:10' do $C meeting_sign
eq "总经理 alone is not enough: waiting for the 销售部 manager" \
	"$(k --as duxin --now '2026-11-02 11:15' --json show $C | jq -c '[.state, (.quorum[0] | [.have, (.signed | map([.login, .role])), (.awaiting | map([.role, .dept]))])]')" \
	'["meeting",[1,[["duxin","gm"]],[["dept_manager","sales"]]]]'
refuse 2 "总经理 cannot sign twice" k --as duxin --now '2026-11-02 11:20' do $C meeting_sign
err_has "… says so, with the count" "已会签「会签会议决定」（1/2）"
refuse 3 "客户关系经理 holds no signing role" k --as luojia --now '2026-11-02 11:20' do $C meeting_sign
refuse 5 "the 售后 manager does not even see the 销售部 case" k --as hanlei --now '2026-11-02 11:20' do $C meeting_sign
eq "the 销售部 manager is offered the signature" "$(acts songtao $C)" '["meeting_sign"]'
expect 0 "销售部经理 signs → the decision stands" k --as songtao --now '2026-11-02 11:30' do $C meeting_sign
eq "straight to informing the customer" "$(st $C '[.state, .fields.negotiator, .quorum]')" '["inform","songtao",[]]'
eq "two signature events, the second moves the case" \
	"$(st $C '[.history[] | select(.action == "meeting_sign") | [.actor, .from, .to]]')" '[["duxin","meeting","meeting"],["songtao","meeting","inform"]]'
expect 0 "notify" k --as luojia --now '2026-11-02 15:00' do $C notify customer_reaction=同意
expect 0 "survey" k --as luojia --now '2026-11-03 10:00' do $C survey satisfaction=satisfied
expect 0 "close" k --as duxin --now '2026-11-03 11:00' do $C close summary=配车计划 measures=合同交车期与厂家确认
eq "closed" "$(st $C '.state')" '"closed"'

# --- invalid complaint: explained, still reviewed ------------------------------------------
V=$(k --as xiaoyu --now '2026-11-11 09:00' new customer=周先生 plate=京C22222 kind=suggestion subject=希望延长营业 detail=建议周日营业)
expect 0 "classify: not valid" k --as luojia --now '2026-11-11 09:30' do $V classify severity=general valid=no reasonable=no
expect 0 "declined with an explanation" k --as luojia --now '2026-11-11 10:00' do $V decline explanation=已说明营业时间安排
eq "to review" "$(st $V '.state')" '"review"'

# --- demo ------------------------------------------------------------------------------------
D=$TMP/demo
expect 0 "init --demo" "$KESU" --data "$D" init --preset dealer --demo
expect 0 "check-config after the demo" k check-config
finish
