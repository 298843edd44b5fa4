#!/bin/sh
# paper.sh — the paper workflow's engine features on the manufacturing preset:
# 签呈 (filed by an involved department, routed to the next approver above the
# one who decided, upheld or overturned by that approver, in show/list/audit),
# returns and allowances (成品退货单 four copies / 销货折让证明单 two by the
# approved outcome; the voucher quantity from approved, actual and the
# customer's 超量允收比率), supplier joint handling (a `requires` on approve),
# and the configuration checks of the new keys.
set -eu
. "$(dirname "$0")/lib.inc"

newdata p
REG="contact=0512-1 channel=phone region=domestic category=quality detail=外壳裂纹 order_no=SO-9 part_no=HK-1 qty=1000"
RPT="cause=模具 process=抽检 responsible=二课 conclusion=属实 countermeasure=换模 prevention=点检"
# to_review CUSTOMER TIME: a new case reported, in review; prints its number
to_review() {
	_c=$(k --as qiantai --now "$2" new customer="$1" subject=开裂 $REG)
	k --as guanli --now "$2" do "$_c" accept >/dev/null
	k --as guanli --now "$2" do "$_c" assign dept=quality >/dev/null
	k --as zhijian --now "$2" do "$_c" report $RPT loss=3000 >/dev/null
	echo "$_c"
}
# closed_with CUSTOMER TIME APPROVE-ARGS...: approved as given, replied, closed
closed_with() {
	_n=$1 _t=$2; shift 2
	_c=$(to_review "$_n" "$_t")
	k --as yewujingli --now "$_t" do "$_c" approve decision=同意 "$@" >/dev/null
	k --as qiantai --now "$_t" do "$_c" reply method=phone accepted=yes >/dev/null
	k --as zongjingli --now "$_t" do "$_c" close >/dev/null
	echo "$_c"
}

# --- 签呈 on an approval ---------------------------------------------------------
A=$(to_review 某电子厂 '2026-11-02 09:00')
expect 0 "孙伟 approves (limit 5,000)" k --as yewujingli --now '2026-11-02 10:00' do $A approve decision=同意换货
eq "质量管理部's head may file a 签呈, and 孙伟 (on the 调查报告 only)" \
	"$(k --as zhiguan --json actions $A | jq -c 'map(.action)') $(k --as yewujingli --json actions $A | jq -c 'map(.action)')" \
	'["dissent"] ["dissent"]'
refuse 2 "a 签呈 on one's own decision" k --as yewujingli --now '2026-11-02 11:00' do $A dissent against=approve dissent_reason=x
err_has "and says why" "自己作出的决议"
refuse 2 "a 签呈 needs its reason" k --as zhiguan --now '2026-11-02 11:00' do $A dissent
err_names_field 异议理由 dissent_reason
run k --as zhiguan --now '2026-11-02 11:00' do $A dissent dissent_reason=损失应由供应商承担
eq "filed; routed to the next approver above 孙伟: 周建国 (50,000)" "$rc $(sed -n 2p "$TMP/out")" \
	"0   签呈已送 周建国（核决人）批示：针对「核决」（第 5 版，孙伟）"
eq "recorded on the case" "$(js zongjingli $A '.dissents | map([.seq, .filed_by, .filed_dept, .against, .against_seq, .decided_by, .routed_to, .status])')" \
	'[[6,"zhiguan","quality","approve",5,"yewujingli","fuzong","open"]]'
eq "its event in the history carries the routing" "$(js zongjingli $A '.history[5] | [.action, .fields.dissent_reason, .fields.dissent_routing.routed_to]')" \
	'["dissent","损失应由供应商承担","fuzong"]'
eq "the 签呈 form is stored as a revision" "$(js zongjingli $A '[.forms[] | select(.form == "dissent") | .revision]')" '[1]'
k --as zongjingli show $A >"$TMP/show"
grep -q "刘芳（质量管理部）对「核决」（第 5 版，孙伟）提出签呈，送 周建国 批示：待批示" "$TMP/show" &&
	ok "show lists the 签呈" || fail "show lists the 签呈: $(grep -A2 '签呈 ──' "$TMP/show")"
refuse 2 "a second 签呈 on the same decision" k --as zhiguan --now '2026-11-02 11:30' do $A dissent against=approve dissent_reason=再议
err_has "names who waits on the first" "正待 周建国 批示"
eq "in 周建国's list view" "$(k --as fuzong --json list | jq -c "map(select(.case == \"$A\") | .dissent_pending)") $(k --as fuzong list --dissents | awk '{print $1}')" \
	"[true] $A"
eq "not in 吴天成's" "$(k --as zongjingli --json list | jq -c "map(select(.case == \"$A\") | .dissent_pending)") $(k --as zongjingli list --dissents)" \
	"[false] （没有待你批示的签呈）"
eq "周建国 may uphold or overturn" "$(k --as fuzong --json actions $A | jq -c 'map(.action)')" '["uphold","overturn"]'
refuse 3 "吴天成 may not rule on 周建国's 签呈" k --as zongjingli --now '2026-11-02 12:00' do $A uphold ruling=维持
err_has "and is told whose it is" "送 周建国 批示"
run k --as fuzong --now '2026-11-02 14:00' --json do $A overturn ruling=请重新核决
eq "overturned: the approval is reopened, back to review" "$rc $(jq -c '[.state, .note]' "$TMP/out")" \
	'0 ["review","签呈成立：撤销「核决」（第 5 版）的决议，案件回到「审核」"]'
eq "ruled once" "$(js zongjingli $A '.dissents | map([.status, .ruled_by, .ruled_seq])')" '[["overturned","fuzong",7]]'
refuse 2 "nothing left to rule on" k --as fuzong --now '2026-11-02 15:00' do $A uphold ruling=x
expect 0 "吴天成 approves again" k --as zongjingli --now '2026-11-03 09:00' do $A approve decision=同意
refuse 3 "no one above the 总经理" k --as zhiguan --now '2026-11-03 10:00' do $A dissent against=approve dissent_reason=x
err_has "says so" "其核决权限不限" "没有更高一级"

# --- 签呈 on a responsibility assignment, upheld ------------------------------------
run k --as zhiguan --now '2026-11-03 10:00' do $A dissent against=report dissent_reason=责任不在质量部
eq "against the 调查报告 by 陈立 (no limit): the lowest approver, 孙伟" "$rc $(sed -n 2p "$TMP/out")" \
	"0   签呈已送 孙伟（核决人）批示：针对「提交调查报告」（第 4 版，陈立）"
run k --as yewujingli --now '2026-11-03 11:00' do $A uphold ruling=责任判定无误
eq "upheld: the state stays" "$rc $(js zongjingli $A '[.state, (.dissents | map(.status))]')" '0 ["reply",["overturned","upheld"]]'

# --- 签呈 on a rejection: only involved departments ---------------------------------
R=$(k --as qiantai --now '2026-11-04 09:00' new customer=某五金 subject=询价 $REG)
expect 0 "张明 rejects" k --as guanli --now '2026-11-04 09:30' do $R reject reason=非客诉
refuse 3 "质量管理部 is not involved in this case" k --as zhiguan --now '2026-11-04 10:00' do $R dissent dissent_reason=x
err_has "the message names the involved departments" "只有参与本案的部门（总经理室生产管理组、业务部）"
run k --as yewujingli --now '2026-11-04 10:00' do $R dissent dissent_reason=客户确有质量问题
eq "业务部 files; the filer is skipped on the chain: 周建国" "$rc $(sed -n 2p "$TMP/out")" \
	"0   签呈已送 周建国（核决人）批示：针对「不予受理」（第 2 版，张明）"
expect 0 "overturned" k --as fuzong --now '2026-11-04 11:00' do $R overturn ruling=应受理
eq "the rejection is reopened: back to intake" "$(js zongjingli $R '.state')" '"intake"'
expect 0 "the chain still verifies" k audit verify

# --- returns and allowances ----------------------------------------------------------
RT=$(closed_with 苏州恒达电子有限公司 '2026-11-05 09:00' outcome=return approved_qty=1000)
eq "退货: 处理表 five copies and 成品退货单 four" \
	"$(js zongjingli $RT '[.copies[] | select(.form == "return_voucher") | [.copy, .holder]]') $(js zongjingli $RT '[.copies[] | select(.form == "complaint")] | length')" \
	'[[1,"sales"],[2,"warehouse"],[3,"accounting"],[4,"sales"]] 5'
eq "the voucher's snapshot carries the approved quantity" \
	"$(sqlite3 "$D/kesu.db" "select snapshot from copies where form = 'return_voucher' limit 1" | jq -c '[.title, (.items[] | select(.key == "approved_qty") | .text)]')" \
	'["成品退货单","1000"]'
eq "print still lays out the 处理表 by default" "$(k --as zongjingli print $RT --copy 1 | sed -n 2p | sed 's/│//g; s/^ *//; s/ *$//')" "客户抱怨处理表（第 1 联）"
AL=$(closed_with 某电子厂 '2026-11-05 10:00' outcome=allowance allowance_amount=1200)
eq "折让: 销货折让证明单 two copies" "$(js zongjingli $AL '[.copies[] | select(.form != "complaint") | [.form, .copy, .holder]]')" \
	'[["allowance_voucher",1,"sales"],["allowance_voucher",2,"accounting"]]'
NO=$(closed_with 某电子厂 '2026-11-05 11:00')
eq "no outcome: only the 处理表" "$(js zongjingli $NO '[.copies[].form] | unique')" '["complaint"]'
refuse 2 "实退量 only for 退货/重处理" k --as qiantai --now '2026-11-06 09:00' do $AL record_return returned_qty=5
refuse 2 "the voucher quantity is computed, never typed" k --as qiantai --now '2026-11-06 09:00' do $RT record_return returned_qty=990 voucher_qty=1000
err_has "names it" "「传票数量」由系统"
refuse 2 "实退量 is required" k --as qiantai --now '2026-11-06 09:00' do $RT record_return
err_names_field 实退量 returned_qty
NA=$(closed_with 某电子厂 '2026-11-05 12:00' outcome=rework)
refuse 3 "no approved quantity: nothing to check against" k --as qiantai --now '2026-11-06 09:00' do $NA record_return returned_qty=10
err_has "names the missing field" "还没有「核定退货量」"
# vq CASE QTY: the voucher quantity and the stored basis after recording QTY
vq() { k --as qiantai --now '2026-11-06 10:00' --json do "$1" record_return returned_qty="$2" | jq -r .note; }
eq "less than approved: the actual" "$(vq $RT 990)" "传票数量应为 990：实退量 990 不超过核定退货量 1000，依实退量 990"
eq "within the customer's own ratio (5%): the actual" "$(vq $RT 1050)" \
	"传票数量应为 1050：实退量 1050 超出核定退货量 1000，但在超量允收比率 5%（客户订制时注明，上限 1050）以内，依实退量 1050"
eq "beyond it: the approved quantity" "$(vq $RT 1051)" \
	"传票数量应为 1000：实退量 1051 超出核定退货量 1000 的超量允收比率 5%（客户订制时注明，上限 1050），依核定退货量 1000，超出部分须请示后处理"
eq "stored on the form and the case" \
	"$(js zongjingli $RT '[(.forms | map(select(.form == "action:record_return")) | length), .fields.voucher_qty, (.fields.voucher_basis | test("超出部分"))]')" \
	'[0,1000,true]'
eq "and in the event (audit chain)" "$(js zongjingli $RT '.history[-1].fields | [.returned_qty, .voucher_qty]')" '[1051,1000]'
RD=$(closed_with 某电子厂 '2026-11-05 13:00' outcome=return approved_qty=1000)
eq "another customer: the company's 2%" "$(vq $RD 1021)" \
	"传票数量应为 1000：实退量 1021 超出核定退货量 1000 的超量允收比率 2%（本公司规定，上限 1020），依核定退货量 1000，超出部分须请示后处理"

# --- supplier joint handling ------------------------------------------------------------
S=$(to_review 某电子厂 '2026-11-07 09:00')
expect 0 "re-reported as supplier-caused" k --as guanli --now '2026-11-07 09:10' do $S return reason=补充供应商
k --as zhijian --now '2026-11-07 10:00' do $S report $RPT loss=3000 supplier_caused=yes supplier=某原料厂 >/dev/null
refuse 3 "approval needs the joint handling first" k --as yewujingli --now '2026-11-07 11:00' do $S approve decision=同意
err_has "names the missing record and why" "供应商共同处理记录" "「涉及供应商责任」为 是"
eq "总经理室 may do the joint handling; the approvers only return" \
	"$(k --as guanli --json actions $S | jq -c 'map(.action)') $(k --as yewujingli --json actions $S | jq -c 'map(.action)')" \
	'["joint","return"] ["return"]'
expect 0 "joint handling recorded" k --as guanli --now '2026-11-07 12:00' do $S joint joint_supplier=某原料厂 \
	joint_units=质量管理部、制造部 joint_date=2026-11-07 joint_conclusion=原料批次不良 supplier_share=1500
expect 0 "now approved" k --as yewujingli --now '2026-11-07 13:00' do $S approve decision=同意
eq "the supplier and its share are on the case" "$(js zongjingli $S '.fields | [.supplier, .joint_supplier, .supplier_share]')" \
	'["某原料厂","某原料厂",150000]'

# --- configuration checks -----------------------------------------------------------------
cp -r "$D" "$TMP/bad"
W="$TMP/bad/config/workflow.yaml"
sed -i 's/reopen: {approve: review, reject: intake, report: investigation}/reopen: {approve: nowhere, close: intake}/' "$W"
sed -i 's/      form: supplier_joint$/      form: no_such_form/' "$W"
sed -i 's/    chain: \[approver\]/    chain: [no_role]/' "$W"
sed -i 's/      over_per_mille: 20/      over_per_mille: lots/' "$W"
run "$KESU" --data "$TMP/bad" check-config
eq "check-config refuses it" "$rc" 2
for want in "引用了未定义的状态 nowhere" "reopen 中 close 不是任何签呈可针对的决议" "requires 引用了未定义的表单 no_such_form" \
	"引用了未定义的角色 no_role" "over_per_mille 应为整数"; do
	grep -qF "$want" "$TMP/out" "$TMP/err" && ok "check-config: $want" || fail "check-config lacks \"$want\": $(head -c 600 "$TMP/out" "$TMP/err")"
done
finish
