#!/bin/sh
# retail.sh — the retail preset (P2): complainant kinds and requests, the store
# supervisor deciding acceptance, the 7-day overall limit with its due date and the
# 催办单 from `kesu remind` after it, and one case through the whole flow.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/r
"$KESU" --data "$D" init --preset retail >/dev/null || { echo "FAIL  init --preset retail"; exit 1; }
expect 0 "check-config is clean" k check-config
sh_at() { k --as wuhong --now "$2" --json show "$1" | jq -c "$3"; }

# --- complainant kinds and requests (by value and by label) -------------------
A=$(k --as zhaomin --now '2026-11-02 09:00' new customer=李女士 customer_kind=终端消费者 contact=137 store=md_a request=退货 subject=跑绒 detail=跑绒)
B=$(k --as hewei --now '2026-11-02 09:10' new customer=城南加盟店 customer_kind=franchisee contact=0571 store=md_b request=compensation subject=货损 detail=破损)
C=$(k --as sunli --now '2026-11-02 09:20' new customer=华东代理 customer_kind=代理商 contact=021 request=批评建议 subject=建议 detail=建议)
eq "kinds/requests stored as codes, routed to the receiving store / 客服" \
	"$(for c in $A $B $C; do sh_at $c '2026-11-02 09:30' '[.fields.customer_kind, .fields.request, .dept]'; done | jq -sc .)" \
	'[["consumer","return","md_a"],["franchisee","compensation","md_b"],["agent","suggestion","kefu"]]'
for r in discount exchange; do
	expect 0 "request $r accepted" k --as sunli --now '2026-11-02 09:40' new customer=x customer_kind=consumer contact=1 request=$r subject=s detail=d
done
expect 2 "an unknown complainant kind is refused" k --as sunli --now '2026-11-02 09:40' new customer=x customer_kind=vip contact=1 request=return subject=s detail=d
expect 2 "a request is required" k --as sunli --now '2026-11-02 09:40' new customer=x customer_kind=consumer contact=1 subject=s detail=d

# --- the supervisor decides acceptance ----------------------------------------
eq "the clerk who registered may not accept" "$(k --as zhaomin --json actions $A | jq -c 'map(.action)')" '[]'
expect 5 "another store's supervisor does not see it" k --as hewei actions $A
eq "the store supervisor may accept or decline" "$(k --as qianlei --json actions $A | jq -c 'map(.action)')" '["accept","decline"]'
expect 0 "customer-caused: the supervisor of md_b answers and closes" k --as hewei --now '2026-11-02 11:00' do $B decline explanation=属运输签收后损坏，已婉转说明
eq "declined case closed, clock met" "$(sh_at $B '2026-11-02 11:00' '[.state, (.deadlines | map([.clock, .status]))]')" '["explained",[["close7","met"]]]'

# --- the 7-day limit ------------------------------------------------------------
eq "due at the end of the 7th day after receipt" \
	"$(sh_at $A '2026-11-02 09:30' '.deadlines | map([.clock, .status, .due])')" '[["close7","running","2026-11-10T00:00:00+08:00"]]'
eq "warning the day before" "$(k --now '2026-11-09 09:00' --json remind | jq -c "[.[] | select(.case == \"$A\") | [.kind, .dept]]")" '[["warn","md_a"]]'
eq "a 催办单 to the store once late" "$(k --now '2026-11-10 09:00' --json remind | jq -c "[.[] | select(.case == \"$A\") | [.kind, .form, .clock, .level, .dept]]")" \
	'[["urge","催办单","close7",1,"md_a"]]'
eq "then escalation to 总经理" "$(k --now '2026-11-11 09:00' --json remind | jq -c "[.[] | select(.case == \"$A\") | [.kind, .level, .role]]")" '[["urge",2,"gm"]]'
eq "list --overdue shows it" "$(k --as wuhong --now '2026-11-11 09:00' --json list --overdue | jq -c "map(.case) | index(\"$A\") != null")" true

# --- whole flow on time ---------------------------------------------------------
E=$(k --as zhaomin --now '2026-11-16 09:00' new customer=张先生 customer_kind=consumer contact=139 store=md_a request=exchange subject=鞋底开胶 detail=穿一周开胶)
step() { expect 0 "$1: $3" k --as "$1" --now "$2" do $E "$3" ${4:+"$4"} ${5:+"$5"} ${6:+"$6"}; }
step qianlei '2026-11-16 10:00' accept
step wuhong '2026-11-16 11:00' assign handling_dept=caigou
eq "now in 采购部" "$(sh_at $E '2026-11-16 11:00' '[.state, .dept]')" '["investigation","caigou"]'
expect 0 "zhengkai: report" k --as zhengkai --now '2026-11-17 15:00' do $E report cause=胶水批次 process=复现 responsible=供应商 conclusion=属实 countermeasure=换货 prevention=抽检
step wangjun '2026-11-17 16:00' dept_approve
step wuhong '2026-11-18 09:00' admin_opinion admin_note=同意换货
step fengyu '2026-11-18 11:00' gm_approve gm_note=同意
step zhengkai '2026-11-18 14:00' propose dept_opinion=予以换货并赠送护理包
step wangjun '2026-11-18 15:00' final_approve
expect 0 "sunli: reply" k --as sunli --now '2026-11-19 10:00' do $E reply reply_method=oral answer=已换货 accepted=yes
step wuhong '2026-11-19 11:00' close
eq "closed on time" "$(sh_at $E '2026-11-19 11:00' '[.state, (.deadlines | map(.status))]')" '["closed",["met"]]'
# --- 第27条: the monthly 投诉统计表 by the 10th (tasks.yaml) ---------------------------
tk() { k --now "$1" --json tasks --task monthly_table --recent 1 | jq -c "$2"; }
eq "October's table open on the 10th" "$(tk '2026-11-10 18:00' '.[1] | [.period, .status]')" '["2026-10","open"]'
eq "late on the 11th" "$(tk '2026-11-11 08:00' '.[1] | [.period, .status]')" '["2026-10","late"]'
eq "the remind runs above issued 任务提醒 then 任务逾期 for it (once each)" \
	"$(sqlite3 "$D/kesu.db" "SELECT group_concat(kind || '@' || date(at, 'unixepoch', '+8 hours')) FROM (SELECT * FROM task_reminders WHERE period = '2026-10' ORDER BY at)")" 'due@2026-11-09,late@2026-11-11'
expect 3 "the store supervisor may not record it" k --as qianlei --now '2026-11-11 09:00' tasks done monthly_table
expect 0 "行政人事部 records the table" k --as wuhong --now '2026-11-11 09:00' tasks done monthly_table --note 已呈总经理审核
eq "done clears it (marked as done late)" "$(tk '2026-11-11 09:30' '.[1] | [.status, .late]')" '["done",true]'
eq "no more reminders for it" "$(k --now '2026-11-12 08:00' --json remind | jq -c 'map(select(.task == "monthly_table"))')" '[]'
eq "the table's figures: October's registrations" \
	"$(sqlite3 "$D/kesu.db" "SELECT json_extract(report, '\$.received') FROM task_done WHERE period = '2026-10'")" 0
finish
