#!/bin/sh
# reopen.sh — a reopened case cannot be closed on the previous round's answer.
# Manufacturing: reopen clears the customer's acceptance (workflow `clears:`),
# so `close` (when accepted = yes) waits for a new accepted reply. Hospital:
# reinvestigate clears the complainant's satisfaction likewise. Before `clears`
# existed, both closed at once on the old answer.
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=苏州恒达电子 contact=13800000000 channel=visit region=domestic category=quality subject=焊点虚焊 detail=整批返修"
RPT="cause=回流焊温度曲线错误 process=复查炉温记录 responsible=SMT线 conclusion=属实 countermeasure=重新设定 prevention=首件确认"

newdata reopen
expect 0 "new" k --as qiantai --now '2026-11-02 09:00' new $REG
C=$(cat "$TMP/out")
expect 0 "accept" k --as guanli --now '2026-11-02 09:10' do $C accept
expect 0 "assign" k --as guanli --now '2026-11-02 09:20' do $C assign dept=quality
expect 0 "report" k --as zhijian --now '2026-11-02 10:00' do $C report $RPT loss=100
expect 0 "approve" k --as zongjingli --now '2026-11-02 11:00' do $C approve decision=同意
expect 0 "reply accepted=yes" k --as qiantai --now '2026-11-02 12:00' do $C reply method=phone accepted=yes answer=已更换
expect 0 "close" k --as zongjingli --now '2026-11-02 13:00' do $C close
expect 0 "reopen: the customer came back" k --as guanli --now '2026-11-03 09:00' do $C reopen reason=客户不满意
eq "reopen cleared the acceptance, the method and the answer" \
	"$(k --as guanli --json show $C | jq -c '[.fields.accepted, .fields.method, .fields.answer]')" '[null,null,null]'
eq "the history keeps the old answer" \
	"$(k --as guanli --json show $C | jq -r '[.history[] | select(.action == "reply") | .fields.answer] | join(",")')" 已更换
expect 0 "report again" k --as zhijian --now '2026-11-03 10:00' do $C report $RPT loss=100
expect 0 "approve again" k --as zongjingli --now '2026-11-03 11:00' do $C approve decision=同意
eq "close is not offered before a new reply" "$(k --as zongjingli --json actions $C | jq -c 'map(.action)')" '[]'
refuse 2 "close on the previous round's acceptance" k --as zongjingli --now '2026-11-03 12:00' do $C close
err_has "the message names the field" 客户是否接受
expect 0 "reply accepted=no" k --as qiantai --now '2026-11-03 13:00' do $C reply method=letter accepted=no
refuse 2 "close when the new answer is not accepted" k --as zongjingli --now '2026-11-03 14:00' do $C close
expect 0 "reply accepted=yes" k --as qiantai --now '2026-11-04 09:00' do $C reply method=letter accepted=yes
expect 0 "close on the new acceptance" k --as zongjingli --now '2026-11-04 10:00' do $C close

# a clears: naming an unknown field is a configuration error with its position
cp -R "$D" "$TMP/badconf"
sed -i 's/clears: \[method, accepted, answer\]/clears: [method, accepted, nosuchfield]/' "$TMP/badconf/config/workflow.yaml"
run "$KESU" --data "$TMP/badconf" check-config
eq "check-config refuses clears: [nosuchfield]" "$rc" 2
cat "$TMP/out" "$TMP/err" | grep -q "workflow.yaml:[0-9]*:[0-9]*:.*clears.*nosuchfield" && ok "the error names workflow.yaml:LINE:COL and the field" ||
	{ fail "the error names workflow.yaml:LINE:COL and the field"; show_io; }

# hospital: reinvestigate clears satisfaction
D=$TMP/hospital
"$KESU" --data "$D" init --preset hospital >/dev/null
run k --as sunwei --now '2026-11-04 08:40' new complainant=孙伟 complainant_kind=staff contact=内线8123 channel=internal \
	category=facility subject=病区供氧压力不稳 detail=内科病区夜间供氧压力多次偏低
H=$(cat "$TMP/out")
eq "hospital: registered" "$rc" 0
expect 0 "hospital: accept" k --as zhaoqiang --now '2026-11-04 09:00' do "$H" accept
expect 0 "hospital: report" k --as zhaoqiang --now '2026-11-05 15:00' do "$H" report finding=减压阀老化 handling=更换减压阀
expect 0 "hospital: reply satisfied=yes" k --as zhaoqiang --now '2026-11-06 10:00' do "$H" reply reply_method=visit result=已更换 satisfied=yes
expect 0 "hospital: reinvestigate from feedback" k --as zhaoqiang --now '2026-11-06 10:30' do "$H" reinvestigate reason=复测仍偏低
expect 0 "hospital: report again" k --as zhaoqiang --now '2026-11-07 15:00' do "$H" report finding=管路泄漏 handling=更换管路
refuse 2 "hospital: close on the previous round's satisfaction" \
	k --as zhaoqiang --now '2026-11-07 15:10' do "$H" close rectification=每月巡检
expect 0 "hospital: reply satisfied=yes again" k --as zhaoqiang --now '2026-11-08 10:00' do "$H" reply reply_method=phone result=已更换管路 satisfied=yes
expect 0 "hospital: close" k --as zhaoqiang --now '2026-11-08 11:00' do "$H" close rectification=每月巡检
finish
