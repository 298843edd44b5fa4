#!/bin/sh
# bank.sh — the bank preset (P7): 首问负责 (the first receiver recorded), the 3-day
# reply clock with its 催办单, escalation to head office beyond the branch's authority
# (only the branch head), and the branch head's sign-off before closing.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/b
"$KESU" --data "$D" init --preset bank >/dev/null || { echo "FAIL  init --preset bank"; exit 1; }
expect 0 "check-config is clean" k check-config
sh_at() { k --as jiangyun --now "$2" --json show "$1" | jq -c "$3"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }

# --- 首问负责 -------------------------------------------------------------------
A=$(k --as zhaolei --now '2026-11-02 09:00' new customer=周女士 contact=139 branch=wd_a channel=电话 subject=年费争议 detail=称办卡时承诺免年费)
eq "the first receiver is recorded as registrant and in the history" \
	"$(sh_at $A '2026-11-02 09:00' '[.registrant, .dept, .state]')" '["zhaolei","wd_a","intake"]'
eq "the first receiver may solve it or hand it over" "$(acts zhaolei $A)" '["resolve_now","hand_over"]'
expect 5 "another branch's staff do not see it" k --as luoqing show $A
expect 3 "another teller of the branch may not answer in the first receiver's place" \
	k --as liuna --now '2026-11-02 09:10' do $A resolve_now answer=已解释
grep -q 赵磊 "$TMP/err" && ok "… the message names the first receiver 赵磊" || fail "… the message names 赵磊: $(errline)"
expect 2 "hand over to a teller who is not a 投诉管理人" k --as zhaolei --now '2026-11-02 09:15' do $A hand_over complaint_manager=liuna
grep -q '投诉管理人' "$TMP/err" && ok "… the message names the role 投诉管理人" || fail "… names 投诉管理人: $(errline)"
expect 0 "hand over to the 投诉管理人" k --as zhaolei --now '2026-11-02 09:20' do $A hand_over complaint_manager=gaofeng
eq "assigned to the manager, first receiver unchanged" \
	"$(sh_at $A '2026-11-02 09:20' '[.state, .assignee, .registrant]')" '["handling","gaofeng","zhaolei"]'
eq "the first receiver still sees the case" "$(js zhaolei $A '.case')" "\"$A\""

# --- 3-day reply clock ----------------------------------------------------------
eq "reply due at the end of the 3rd day after receipt" \
	"$(sh_at $A '2026-11-02 09:20' '.deadlines | map([.clock, .status, .due])')" '[["reply3","running","2026-11-06T00:00:00+08:00"]]'
# --- escalation to head office ----------------------------------------------------
eq "the manager may reply, not escalate" "$(acts gaofeng $A)" '["reply"]'
eq "the branch's other 投诉管理人 may not reply: the case is 高峰's" "$(acts sunli $A)" '[]'
expect 3 "sunli replies in 高峰's place" k --as sunli --now '2026-11-03 09:00' do $A reply finding=x bank_at_fault=no answer=x reply_method=phone
expect 3 "the manager may not escalate" k --as gaofeng --now '2026-11-03 10:00' do $A escalate escalate_reason=超权限
eq "the branch head may escalate" "$(acts wangzhen $A)" '["escalate"]'
expect 5 "another branch's head does not see it" k --as fangyi --now '2026-11-03 10:00' do $A escalate escalate_reason=超权限
expect 0 "the branch head escalates" k --as wangzhen --now '2026-11-03 10:00' do $A escalate escalate_reason=年费减免超出网点权限
eq "escalated" "$(sh_at $A '2026-11-03 10:00' '.state')" '"escalated"'
eq "nobody at the branch can act while head office handles it" "$(acts gaofeng $A) $(acts wangzhen $A)" '[] []'
expect 0 "head office replies" k --as jiangyun --now '2026-11-04 15:00' do $A hq_reply hq_result=同意减免首年年费 answer=已电话告知客户
eq "waiting for the branch head's signature; clock met" \
	"$(sh_at $A '2026-11-04 15:00' '[.state, (.deadlines | map(.status))]')" '["signoff",["met"]]'

# --- sign-off before closing --------------------------------------------------------
eq "the manager cannot close" "$(acts gaofeng $A)" '[]'
expect 3 "head office cannot sign for the branch" k --as jiangyun --now '2026-11-04 16:00' do $A sign_off
expect 0 "the branch head signs off" k --as wangzhen --now '2026-11-04 17:00' do $A sign_off head_note=已核实
eq "closed" "$(sh_at $A '2026-11-04 17:00' '.state')" '"closed"'

# --- answered on the spot: still signed off by the branch head ---------------------
S=$(k --as liuna --now '2026-11-05 10:00' new customer=陈先生 contact=135 channel=onsite subject=排队过长 detail=只开两个窗口)
expect 0 "solved on the spot by the first receiver" k --as liuna --now '2026-11-05 10:10' do $S resolve_now answer=已解释并致歉
eq "not closed before the sign-off" "$(sh_at $S '2026-11-05 10:10' '[.state, (.deadlines | map(.status))]')" '["signoff",["met"]]'
expect 0 "the head sends it back" k --as wangzhen --now '2026-11-05 17:00' do $S send_back back_reason=请补充窗口排班整改 complaint_manager=gaofeng
expect 0 "the manager replies" k --as gaofeng --now '2026-11-06 09:00' do $S reply finding=午间仅两窗口 bank_at_fault=yes answer=增开弹性窗口 reply_method=phone
expect 0 "signed off" k --as wangzhen --now '2026-11-06 11:00' do $S sign_off
eq "closed" "$(sh_at $S '2026-11-06 11:00' '.state')" '"closed"'
# --- the 3-day clock overrun: 催办单, then escalation ------------------------------
R=$(k --as liuna --now '2026-11-09 09:00' new customer=孙先生 contact=138 channel=letter subject=转账延迟 detail=跨行转账三日未到账)
expect 0 "handed over" k --as liuna --now '2026-11-09 09:30' do $R hand_over complaint_manager=gaofeng
eq "due Fri 11-13 00:00" "$(sh_at $R '2026-11-09 09:30' '.deadlines | map(.due)')" '["2026-11-13T00:00:00+08:00"]'
eq "a 催办单 to the branch once late" \
	"$(k --now '2026-11-13 09:00' --json remind | jq -c "[.[] | select(.case == \"$R\") | [.kind, .form, .clock, .level, .dept, .role]]")" \
	'[["urge","催办单","reply3",1,"wd_a",null]]'
eq "nothing on Saturday" "$(k --now '2026-11-14 10:00' --json remind | jq -c 'length')" 0
eq "escalated to the branch head on the next working day" \
	"$(k --now '2026-11-16 09:00' --json remind | jq -c "[.[] | select(.case == \"$R\") | [.kind, .level, .role]]")" '[["urge",2,"head"]]'
expect 0 "late reply" k --as gaofeng --now '2026-11-16 10:00' do $R reply finding=清算延迟 bank_at_fault=no answer=已到账 reply_method=phone
eq "clock breached" "$(sh_at $R '2026-11-16 10:00' '.deadlines | map(.status)')" '["breached"]'
# --- the branch's 投诉管理人 found automatically (default: {role: manager, dept: case_dept}) ---
B=$(k --as fangyi --now '2026-11-17 09:00' new customer=吴女士 contact=137 branch=wd_b channel=onsite subject=存单挂失慢 detail=挂失等待一小时)
eq "城西 case" "$(k --as luoqing --json show $B | jq -c '.dept')" '"wd_b"'
eq "actions --json marks the field the engine can fill" \
	"$(k --as fangyi --json actions $B | jq -c '.[] | select(.action == "hand_over") | .fields | map([.key, .required, .default])')" \
	'[["complaint_manager",true,true]]'
expect 0 "hand over without naming the manager" k --as fangyi --now '2026-11-17 09:10' do $B hand_over
eq "城西's only 投诉管理人 罗青 is filled in and becomes the assignee" \
	"$(k --as luoqing --now '2026-11-17 09:10' --json show $B | jq -c '[.state, .assignee, .fields.complaint_manager, (.history[-1] | [.action, .fields.complaint_manager])]')" \
	'["handling","luoqing","luoqing",["hand_over","luoqing"]]'
eq "罗青 may reply" "$(k --as luoqing --json actions $B | jq -c 'map(.action)')" '["reply"]'
E=$(k --as zhaolei --now '2026-11-17 10:00' new customer=郑先生 contact=131 channel=onsite subject=手续费 detail=未告知手续费)
refuse 2 "城东 has two 投诉管理人: the first receiver must choose" k --as zhaolei --now '2026-11-17 10:10' do $E hand_over
err_has "… naming the field, the branch and both managers" "「投诉管理人」(complaint_manager) 未填" "城东支行营业部有 2 名投诉管理人（高峰、孙丽）"
expect 0 "… and a named one is taken" k --as zhaolei --now '2026-11-17 10:15' do $E hand_over complaint_manager=sunli
eq "sunli assigned" "$(k --as sunli --json show $E | jq -c '.assignee')" '"sunli"'
finish
