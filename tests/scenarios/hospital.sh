#!/bin/sh
# hospital.sh — the hospital preset (P1): routing by type to 医教科 / 财务科 / 综合办,
# the first receiver recorded, each of the five 不予受理 reasons closing the case with
# the reason recorded, and an internal complaint by staff through the whole flow.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/h
"$KESU" --data "$D" init --preset hospital >/dev/null || { echo "FAIL  init --preset hospital"; exit 1; }
expect 0 "check-config is clean" k check-config

# reg LOGIN TIME CATEGORY [ARGS...]: register, print the case number
reg() {
	_u=$1 _t=$2 _c=$3; shift 3
	k --as "$_u" --now "$_t" new complainant=患者甲 complainant_kind=patient contact=13800000000 \
		channel=visit category="$_c" subject=测试投诉 detail=投诉内容 "$@"
}
field() { js zhaoqiang "$1" "$2"; }

# --- routing by type ---------------------------------------------------------
M=$(reg zhangli '2026-11-02 09:00' medical visit_type=inpatient reception=neike first_receiver=zhangli)
B=$(reg wangfang '2026-11-02 09:10' billing visit_type=outpatient reception=fuwutai first_receiver=wangfang)
X=$(reg liuyang '2026-11-02 09:20' conduct reception=zongzhiban first_receiver=liuyang)
F=$(reg liuyang '2026-11-02 09:30' facility)
eq "医疗投诉 → 医教科" "$(field "$M" '[.dept, .state]')" '["yijiao","intake"]'
eq "收费投诉 → 财务科" "$(field "$B" '[.dept, .state]')" '["caiwu","intake"]'
eq "行风投诉 → 综合办" "$(field "$X" '[.dept, .state]')" '["zonghe","intake"]'
eq "other category → 综合办" "$(field "$F" '.dept')" '"zonghe"'

# --- first receiver (首问负责) recorded --------------------------------------
eq "registrant is the first receiver" "$(field "$M" '[.registrant, .fields.first_receiver]')" '["zhangli","zhangli"]'
eq "registered without first_receiver: it is the registrant (default: {self: true})" "$(field "$F" '[.registrant, .fields.first_receiver]')" '["liuyang","liuyang"]'
eq "given explicitly at registration, it is kept" "$(field "$B" '.fields.first_receiver')" '"wangfang"'
# a configuration that lets an action write it is refused
cp -R "$D" "$TMP/badfixed"
sed -i 's/^      - {key: reply_by, label: 约定反馈日期, type: date.*$/&\n      - {key: first_receiver, label: 改第一接待人, type: staff}/' "$TMP/badfixed/config/workflow.yaml"
grep -q '改第一接待人' "$TMP/badfixed/config/workflow.yaml" || fail "the bad configuration was not written"
run "$KESU" --data "$TMP/badfixed" check-config
eq "an action writing first_receiver is refused by check-config" "$rc" 2
grep -q 'workflow.yaml:[0-9]*:[0-9]*: 动作 accept 的表单写入字段 first_receiver' "$TMP/out" "$TMP/err" &&
	ok "… at workflow.yaml:LINE:COL, naming the action" || { fail "… at workflow.yaml:LINE:COL, naming the action"; show_io; }
eq "the receiver still sees the case they received" "$(js zhangli "$M" '.case')" "\"$M\""
expect 5 "another nurse does not see it" k --as sunwei show "$M"
eq "医教科 may accept the medical case" "$(k --as liming --json actions "$M" | jq -c 'map(.action)')" '["accept","answer_now","reject"]'
expect 5 "财务科 neither sees nor may act on it" k --as chenjing actions "$M"

# --- the five 不予受理 reasons ------------------------------------------------
for r in court petition no_target police out_of_scope; do
	C=$(reg wangfang '2026-11-03 10:00' facility)
	expect 0 "reject $C for $r" k --as zhaoqiang --now '2026-11-03 11:00' do "$C" reject reject_reason=$r reject_explain=已告知投诉人相关规定
	eq "$r: case rejected (final) with the reason recorded" "$(field "$C" '[.state, .fields.reject_reason]')" "[\"rejected\",\"$r\"]"
	eq "$r: nothing more can be done" "$(k --as zhaoqiang --json actions "$C" | jq -c 'length')" 0
done
C=$(reg wangfang '2026-11-03 10:00' facility)
expect 2 "reject without a reason is refused" k --as zhaoqiang --now '2026-11-03 11:00' do "$C" reject reject_explain=说明
expect 2 "an unknown reason is refused" k --as zhaoqiang --now '2026-11-03 11:00' do "$C" reject reject_reason=whatever reject_explain=说明
eq "by label as well" "$(k --as zhaoqiang --now '2026-11-03 11:00' do "$C" reject reject_reason=已向人民法院起诉 reject_explain=说明 >/dev/null && field "$C" '.fields.reject_reason')" '"court"'

# --- internal complaint by staff, whole flow, with the reply clock ----------
I=$(k --as sunwei --now '2026-11-04 08:40' new complainant=孙伟 complainant_kind=staff contact=内线8123 channel=internal \
	category=facility subject=病区供氧压力不稳 detail=内科病区夜间供氧压力多次偏低 accused=liuyang)
eq "internal complaint goes to 综合办, registered by the staff member" "$(field "$I" '[.dept, .registrant, .fields.complainant_kind]')" '["zonghe","sunwei","staff"]'
expect 5 "the person complained about cannot see it" k --as liuyang show "$I"
expect 0 "综合办 accepts" k --as zhaoqiang --now '2026-11-04 09:00' do "$I" accept
eq "feedback clock: due at close of business of the 5th working day" \
	"$(k --as zhaoqiang --now '2026-11-04 09:00' --json show "$I" | jq -c '.deadlines | map([.clock, .status, .due])')" '[["feedback","running","2026-11-11T17:30:00+08:00"]]'
expect 0 "report" k --as zhaoqiang --now '2026-11-05 15:00' do "$I" report finding=减压阀老化 handling=更换减压阀 responsible_dept=zonghe
eq "state feedback" "$(field "$I" '.state')" '"feedback"'
expect 2 "close before the complainant is satisfied is refused" k --as zhaoqiang --now '2026-11-05 15:10' do "$I" close rectification=x
expect 0 "reply" k --as zhaoqiang --now '2026-11-06 10:00' do "$I" reply reply_method=visit result=已更换 satisfied=yes
eq "feedback clock met" "$(k --as zhaoqiang --now '2026-11-06 10:00' --json show "$I" | jq -c '.deadlines | map([.clock, .status])')" '[["feedback","met"]]'
expect 0 "close with 整改" k --as zhaoqiang --now '2026-11-06 11:00' do "$I" close rectify_dept=zonghe rectification=每月巡检供氧 evaluation=已验证
eq "closed" "$(field "$I" '[.state, .fields.rectification]')" '["closed","每月巡检供氧"]'

# --- late reply: a 催办单 to the handling department --------------------------
expect 0 "医教科 accepts the medical case" k --as liming --now '2026-11-02 10:00' do "$M" accept
eq "reminders after the due date : a 催办单 to 医教科 and the escalation to 投诉管理部门" \
	"$(k --now '2026-11-12 09:00' --json remind | jq -c "[.[] | select(.case == \"$M\" and .kind == \"urge\") | [.dept, .level, .role]]")" '[["yijiao",1,null],["yijiao",2,"manager"]]'
finish
