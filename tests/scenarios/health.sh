#!/bin/sh
# health.sh — the health-products preset (P10): the three kinds routed to their
# departments, the 药品不良反应 reply within 1 working day (a workdays clock chosen by
# kind, due at close of business), valid vs invalid complaints, and the monthly
# count penalties at 3 / 4 / 5 valid complaints (5 and serious: dismissal flag).
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/h
"$KESU" --data "$D" init --preset health >/dev/null || { echo "FAIL  init --preset health"; exit 1; }
expect 0 "check-config is clean" k check-config
field() { js chenyu "$1" "$2"; }
# reg LOGIN TIME KIND [ARGS...]: register, print the case number
reg() {
	_u=$1 _t=$2 _k=$3; shift 3
	k --as "$_u" --now "$_t" new customer=客户甲 contact=13800000000 kind="$_k" subject=测试投诉 detail=投诉内容 "$@"
}

# --- kinds and routing ---------------------------------------------------------
S=$(reg wanghong '2026-11-02 09:00' service)
P=$(reg wanghong '2026-11-02 09:05' 产品质量)
A=$(reg liuhui '2026-11-02 10:00' 药品不良反应 product=某某胶囊)
eq "服务质量 → 客服部" "$(field "$S" '[.dept, .fields.kind]')" '["kefu","service"]'
eq "产品质量 → 质量部 (by label)" "$(field "$P" '[.dept, .fields.kind]')" '["quality","product"]'
eq "药品不良反应 → 技术部" "$(field "$A" '[.dept, .fields.kind]')" '["tech","adr"]'
expect 2 "an unknown kind is refused" reg wanghong '2026-11-02 09:10' other

# --- 不良反应: 1 working day, chosen by kind --------------------------------------
eq "only the adverse-reaction case has a clock" \
	"$(for c in $S $P; do field "$c" '.deadlines | length'; done | tr '\n' ' ')" '0 0 '
eq "adr_reply due at close of business of the next working day" \
	"$(k --as chenyu --now '2026-11-02 10:00' --json show "$A" | jq -c '.deadlines | map([.clock, .status, .due])')" \
	'[["adr_reply","running","2026-11-03T17:30:00+08:00"]]'
F=$(reg liuhui '2026-11-06 16:00' adr)
eq "registered on Friday: due Monday close of business" \
	"$(k --as chenyu --now '2026-11-06 16:00' --json show "$F" | jq -c '.deadlines | map(.due)')" '["2026-11-09T17:30:00+08:00"]'
eq "技术部 judges validity first" "$(k --as zhaomin --json actions "$A" | jq -c 'map(.action)')" '["judge"]'
expect 0 "技术部 judges it invalid (a misunderstanding)" k --as zhaomin --now '2026-11-02 11:00' do "$A" judge valid=no severity=general
expect 0 "技术部 replies the same day" k --as zhaomin --now '2026-11-03 16:00' do "$A" reply answer=属正常反应，说明预防方法 reply_method=phone
eq "clock met" "$(field "$A" '[.state, (.deadlines | map(.status))]')" '["replied",["met"]]'
expect 0 "客服主管 closes with a summary" k --as chenyu --now '2026-11-04 09:00' do "$A" close summary=加强服用说明
eq "closed" "$(field "$A" '.state')" '"closed"'
eq "late 不良反应 reply: a 催办单 to 技术部 the next morning" \
	"$(k --now '2026-11-10 09:00' --json remind | jq -c "[.[] | select(.case == \"$F\" and .kind == \"urge\") | [.dept, .level, .role]]")" \
	'[["tech",1,null]]'
eq "two working hours late: escalation to the manager" \
	"$(k --now '2026-11-10 11:00' --json remind | jq -c "[.[] | select(.case == \"$F\" and .kind == \"urge\") | [.dept, .level, .role]]")" \
	'[["tech",2,"manager"]]'

# --- valid vs invalid, and the monthly count penalties ----------------------------
# zhoulin 3 valid (+2 invalid), wuqiang 4 valid, zhengli 5 valid of which one serious,
# heping 5 valid none serious.
n=0
complain() { # LOGIN VALID SEVERITY
	n=$((n + 1))
	_c=$(reg wanghong "2026-11-1$((n % 9)) 10:00" service accused="$1")
	k --as wanghong --now "2026-11-19 15:00" do "$_c" judge valid="$2" severity="$3" >/dev/null
	echo "$_c"
}
for i in 1 2 3; do complain zhoulin yes general >/dev/null; done
complain zhoulin no general >/dev/null
I=$(complain zhoulin no serious)
eq "an invalid complaint is recorded as such" "$(field "$I" '[.fields.valid, .fields.accused]')" '["no","zhoulin"]'
for i in 1 2 3 4; do complain wuqiang yes general >/dev/null; done
for i in 1 2 3 4; do complain zhengli yes general >/dev/null; done
complain zhengli yes serious >/dev/null
for i in 1 2 3 4 5; do complain heping 是 general >/dev/null; done
# one in December does not count for November
k --as wanghong --now '2026-12-01 10:00' new customer=甲 contact=1 kind=service subject=x detail=y accused=wuqiang >/dev/null
expect 5 "the person complained about cannot see the case" k --as zhoulin show "$I"

pen() { k --as chenyu --json penalty --month 2026-11 | jq -c "$1"; }
eq "3 valid → 200 元 (invalid ones not counted)" \
	"$(pen '[.[] | select(.login == "zhoulin") | .items[] | [.kind, .amount_fen]]')" '[["count",20000]]'
eq "4 valid → 300 元" \
	"$(pen '[.[] | select(.login == "wuqiang") | .items[] | [.kind, .amount_fen]]')" '[["count",30000]]'
eq "5 valid, one serious → 300 元 and the dismissal flag" \
	"$(pen '[.[] | select(.login == "zhengli") | .items[] | [.kind, .amount_fen]] | sort')" '[["count",30000],["flag",0]]'
eq "5 valid, none serious → 300 元, no dismissal" \
	"$(pen '[.[] | select(.login == "heping") | .items[] | [.kind, .amount_fen]]')" '[["count",30000]]'
eq "deducted in full" "$(pen '[.[] | select(.login == "zhengli") | .deducted_fen]')" '[30000]'
eq "nobody else listed" "$(pen 'map(.login)')" '["zhoulin","wuqiang","zhengli","heping"]'
expect 0 "a salesperson sees their own row only" k --as zhoulin --json penalty --month 2026-11
eq "… which is theirs" "$(k --as zhoulin --json penalty --month 2026-11 | jq -c 'map(.login)')" '["zhoulin"]'
expect 3 "… not another person's" k --as zhoulin --json penalty --month 2026-11 --login wuqiang

# --- 3.4 投诉总结: a monthly summary by the 客服主管 (tasks.yaml) ------------------------
tk() { k --now "$1" --json tasks --task monthly_summary --recent 1 | jq -c "$2"; }
eq "November's summary open on the 10th of December" "$(tk '2026-12-10 18:00' '.[1] | [.period, .status]')" '["2026-11","open"]'
eq "late on the 11th" "$(tk '2026-12-11 08:00' '.[1] | [.period, .status]')" '["2026-11","late"]'
expect 3 "a handler may not record it" k --as wanghong --now '2026-12-11 09:00' tasks done monthly_summary --period 2026-11
expect 0 "the 客服主管 records it" k --as chenyu --now '2026-12-11 09:00' tasks done monthly_summary --period 2026-11 --note 已总结改进
eq "done (late)" "$(tk '2026-12-11 09:30' '.[1] | [.status, .late]')" '["done",true]'
# --- demo data ----------------------------------------------------------------------
D=$TMP/demo
expect 0 "init --demo" "$KESU" --data "$D" init --preset health --demo
expect 0 "check-config after the demo" k check-config
finish
