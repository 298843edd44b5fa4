#!/bin/sh
# installation.sh — the installation preset (P4): 投诉 vs 咨询 routed differently,
# 升级/重大投诉 blocked from approval until 综合部's internal review, 回访 before closing,
# the 3-day report clock, sanctions (大过 twice → whole bonus) and the 50% cap with
# carry-forward via `kesu penalty`.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/i
"$KESU" --data "$D" init --preset installation --demo >/dev/null || { echo "FAIL  init --preset installation --demo"; exit 1; }
expect 0 "check-config is clean (with the demo cases)" k check-config
D=$TMP/j
"$KESU" --data "$D" init --preset installation >/dev/null || { echo "FAIL  init --preset installation"; exit 1; }
sh_at() { k --as zongjingli --now "$2" --json show "$1" | jq -c "$3"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }

# --- 咨询 vs 投诉 ---------------------------------------------------------------
Q=$(k --as linxiao --now '2026-11-02 09:00' new customer=周先生 contact=138 kind=咨询 category=品质 level=一般 subject=保修期 detail=询问五金保修年限)
eq "a consultation goes to 业务科" "$(sh_at $Q '2026-11-02 09:00' '[.dept, .state]')" '["yewu","intake"]'
eq "业务科 may only answer it" "$(acts huangbin $Q)" '["answer_consult"]'
expect 0 "answered and closed" k --as huangbin --now '2026-11-02 09:30' do $Q answer_consult need_type=consult answer=两年
eq "closed, no clock" "$(sh_at $Q '2026-11-02 09:30' '[.state, (.deadlines | length)]')" '["closed",0]'

C=$(k --as linxiao --now '2026-11-02 10:00' new customer=华新置业 contact=0571 kind=投诉 category=施工 level=一般 subject=打胶开裂 detail=东立面开裂)
eq "a construction complaint goes to 工程科" "$(sh_at $C '2026-11-02 10:00' '.dept')" '"gongcheng"'
eq "业务科 may only accept it" "$(acts huangbin $C)" '["accept"]'
expect 0 "accepted" k --as huangbin --now '2026-11-02 10:10' do $C accept
eq "report due in three days" "$(sh_at $C '2026-11-02 10:10' '.deadlines | map([.clock, .due])')" '[["report3","2026-11-06T00:00:00+08:00"]]'
expect 5 "品质科 does not even see 工程科's case" k --as xuwen --now '2026-11-03 10:00' do $C report cause=x measures=y
expect 0 "工程科 reports" k --as zhengkai --now '2026-11-03 10:00' do $C report cause=基层未干 measures=重打 loss=600 responsibility=zhengkai:1000
eq "a general complaint: the 总经理 may approve at once" "$(acts zongjingli $C)" '["approve","send_back"]'
eq "综合部 has no review to do" "$(acts tangmin $C)" '["send_back"]'
expect 0 "approved" k --as zongjingli --now '2026-11-03 15:00' do $C approve decision=同意
expect 0 "业务科 replies" k --as huangbin --now '2026-11-04 09:00' do $C reply result=已返工 rectify_dept=gongcheng
eq "回访 before closing" "$(sh_at $C '2026-11-04 09:00' '.state')" '"followup"'
eq "回访 may close it or send it back" "$(acts huangbin $C)" '["revisit","not_accepted"]'
expect 0 "回访：客户接受" k --as huangbin --now '2026-11-10 09:00' do $C revisit revisit_note=满意 fix_verified=yes
eq "closed" "$(sh_at $C '2026-11-10 09:00' '[.state, (.deadlines | map(.status))]')" '["closed",["met"]]'
eq "closure issues the 客户投诉处理表 in five copies (5.1.9)" \
	"$(sh_at $C '2026-11-10 09:00' '[.copies[] | select(.form != "penalty_notice") | [.form, .copy, .holder, .purpose]]')" \
	'[["handling_table",1,"pinzhi","存"],["handling_table",2,"shengchan","存"],["handling_table",3,"yewu","依批示办理"],["handling_table",4,"caiwu","存"],["handling_table",5,"gm_office","存"]]'

# --- 升级/重大: internal review before approval ------------------------------------
M=$(k --as linxiao --now '2026-11-05 09:00' new customer=东城物业 contact=0571 kind=complaint category=quality level=重大 subject=幕墙玻璃自爆 detail=三块玻璃自爆)
eq "routed to 品质科" "$(sh_at $M '2026-11-05 09:00' '.dept')" '"pinzhi"'
expect 0 "accepted" k --as huangbin --now '2026-11-05 09:10' do $M accept
expect 0 "品质科 reports, 8000 元 loss on 许文 alone" \
	k --as xuwen --now '2026-11-06 09:00' do $M report cause=原片杂质 measures=更换并抽检 loss=8000 responsibility=xuwen:1000
eq "the 总经理 can't approve before the review" "$(acts zongjingli $M)" '["send_back"]'
refuse 3 "approve refused before the internal review" k --as zongjingli --now '2026-11-06 10:00' do $M approve decision=同意
err_has "the refusal names the missing form and why" "客户投诉解决方案内部评审表" "「投诉等级」为 重大"
expect 0 "综合部 files the internal review" \
	k --as tangmin --now '2026-11-07 10:00' do $M review review_depts=品质科、工程科、生产部 review_cause=原片杂质 review_measures=换供应商
eq "now the 总经理 may approve" "$(acts zongjingli $M)" '["approve","send_back"]'
expect 0 "approved after review" k --as zongjingli --now '2026-11-07 15:00' do $M approve decision=同意更换
expect 0 "业务科 replies" k --as huangbin --now '2026-11-09 09:00' do $M reply result=已更换
expect 0 "回访：客户不接受" k --as huangbin --now '2026-11-12 09:00' do $M not_accepted revisit_note=仍有一块渗水
eq "back to the handling department, clock restarted" \
	"$(sh_at $M '2026-11-12 09:00' '[.state, (.deadlines | map(.status))]')" '["handling",["running"]]'
expect 0 "re-reported" k --as xuwen --now '2026-11-13 09:00' do $M report cause=打胶 measures=补胶 loss=8000 responsibility=xuwen:1000
eq "reviewed again before approval" "$(acts zongjingli $M)" '["send_back"]'
refuse 3 "the first review does not count after the new report" k --as zongjingli --now '2026-11-13 09:30' do $M approve decision=同意
err_has "the refusal says since when" "客户投诉解决方案内部评审表" "最近一次「提交调查处理报告（客户投诉处理表）」"
expect 0 "second review" k --as tangmin --now '2026-11-13 10:00' do $M review review_depts=品质科 review_cause=打胶 review_measures=补胶
expect 0 "approved" k --as zongjingli --now '2026-11-13 15:00' do $M approve decision=同意
expect 0 "replied" k --as huangbin --now '2026-11-16 09:00' do $M reply result=已补胶
eq "nothing booked for it before the 回访 closes it (only the first case's entry)" "$(count penalty_entries)" 1
expect 0 "回访结案" k --as huangbin --now '2026-11-20 09:00' do $M revisit revisit_note=满意 fix_verified=yes
eq "a major complaint's closure issues the 客户升级/重大投诉处理表 instead" \
	"$(sh_at $M '2026-11-20 09:00' '[.copies[] | .form | select(. != "penalty_notice")] | unique')" '["escalation_table"]'
run k --as huangbin print $M --copy 3
grep -q '客户升级/重大投诉处理表' "$TMP/out" && grep -q '原片杂质\|打胶' "$TMP/out" && ok "its third copy prints with the handling" ||
	{ fail "print --copy 3 of the major complaint"; show_io; }

# --- sanctions and the 50% cap --------------------------------------------------
pj() { k --as zongjingli --json penalty --month "$1" | jq -c "$2"; }
eq "8000 元 on 许文: 50% of 3000 taken, 6500 carried" \
	"$(pj 2026-11 '.[] | select(.login == "xuwen") | [.cap_fen, .deducted_fen, .carried_forward_fen]')" '[150000,150000,650000]'
eq "carried into December" \
	"$(pj 2026-12 '.[] | select(.login == "xuwen") | [.carried_in_fen, .deducted_fen, .carried_forward_fen]')" '[650000,150000,500000]'
eq "工程科's 600 元 within the cap" \
	"$(pj 2026-11 '.[] | select(.login == "zhengkai") | [.deducted_fen, .carried_forward_fen]')" '[60000,0]'
refuse 2 "a sanction names one of the fifteen offences" k --as zongjingli --now '2026-11-20 10:00' penalty sanction $M xiejun major
expect 3 "only the 总经理 decides sanctions" k --as tangmin --now '2026-11-20 10:00' penalty sanction $M xiejun warning offence=other
expect 0 "警告" k --as zongjingli --now '2026-11-20 10:00' penalty sanction $M xiejun warning offence=late_delivery
expect 0 "大过" k --as zongjingli --now '2026-11-21 10:00' penalty sanction $M xiejun major offence=wrong_shipment
eq "one 大过: no bonus deduction" "$(pj 2026-11 '.[] | select(.login == "xiejun") | .deducted_fen')" 0
expect 0 "second 大过" k --as zongjingli --now '2026-11-22 10:00' penalty sanction $M xiejun major offence=marking
eq "大过 twice: the whole month's bonus, beyond the cap" \
	"$(pj 2026-11 '.[] | select(.login == "xiejun") | [(.items | map(.kind)), .deducted_fen]')" '[["sanction","sanction","sanction","monthly"],200000]'
eq "staff see only their own row" "$(k --as xuwen --json penalty --month 2026-11 | jq -c 'map(.login)')" '["xuwen"]'
finish
