#!/bin/sh
# property.sh — the property preset (P8): general complaints passed to the functional
# department; major events routed to the centre's leadership at once with a 5-minute
# report clock escalating to the leaders (also at night); a written complaint gets a
# written reply only (check: reply_method equals_field channel); the agreed reply time
# (reply_time, a datetime) is a clock's due time; 回访 with the customer confirming the record.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/p
"$KESU" --data "$D" init --preset property --demo >/dev/null || { echo "FAIL  init --preset property --demo"; exit 1; }
expect 0 "check-config is clean (with the demo cases)" k check-config
# demo.yaml's relative datetimes: the written complaint (registered -1 15:20) agreed a reply
# for {relative: "+1 17:00"}, the day after the demo was made
W0=$(k --as songzong --json list | jq -r '[.[] | select(.subject == "卫生间漏水")][0].case')
reg=$(k --as songzong --json show "$W0" | jq -r '.created[0:10]')
eq "demo: the agreed reply time is tomorrow 17:00, and drives the clock" \
	"$(k --as songzong --json show "$W0" | jq -c '[.fields.reply_time, (.deadlines | map([.clock, .status]))]')" \
	"[\"$(date -d "$reg +2 days" +%F) 17:00\",[[\"reply_due\",\"running\"]]]"
# a relative value that is not one is refused with its position, and nothing is created
mkdir -p "$TMP/share/presets"
cp -R "$KESU_SRC/config/presets/property" "$TMP/share/presets/"
ln -s "$KESU_SRC/forms" "$TMP/share/forms"
ln -s "$KESU_SRC/config/calendars" "$TMP/share/calendars"
sed -i 's/reply_time: {relative: "+1 17:00"}/reply_time: {relative: "明天"}/' "$TMP/share/presets/property/demo.yaml"
run env KESU_SHARE="$TMP/share" "$KESU" --data "$TMP/baddemo" init --preset property --demo
eq "a bad relative value: exit 2" "$rc" 2
err_has "… naming demo.yaml's line and the field" 'demo.yaml:18:' 'reply_time' 'relative'
[ ! -e "$TMP/baddemo" ] && ok "… and no data directory" || fail "… a data directory was left behind"
D=$TMP/q
"$KESU" --data "$D" init --preset property >/dev/null || { echo "FAIL  init --preset property"; exit 1; }
sh_at() { k --as songzong --now "$2" --json show "$1" | jq -c "$3"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }
rem() { k --now "$1" --json remind | jq -c "[.[] | select(.case == \"$2\") | [.kind, .level, .dept, .role]]"; }

# --- general complaint ------------------------------------------------------------
G=$(k --as chenjing --now '2026-11-02 10:00' new customer=博远科技 unit=A1205 channel=电话 event=装修噪音滋扰 subject=噪音 detail=电钻声)
eq "a general complaint stays with 客服中心, no clock" "$(sh_at $G '2026-11-02 10:00' '[.dept, (.deadlines | length)]')" '["kefu",0]'
eq "客服 passes it on; no leader's acknowledgement needed" "$(acts chenjing $G)" '["dispatch"]'
eq "nor offered to the leader" "$(acts songzong $G)" '["dispatch"]'
refuse 2 "the agreed reply time is a date and time, not free text" \
	k --as chenjing --now '2026-11-02 10:05' do $G dispatch handler_dept=baoan reply_time=今日下班前
err_names_field 约定回复时间 reply_time
expect 0 "passed to 保安部, reply agreed for 17:00" \
	k --as chenjing --now '2026-11-02 10:05' do $G dispatch handler_dept=baoan reply_time='2026-11-02 17:00'
eq "now in 保安部; the reply clock is due at the agreed time" \
	"$(sh_at $G '2026-11-02 10:05' '[.state, .dept, (.deadlines | map([.clock, .due]))]')" \
	'["handling","baoan",[["reply_due","2026-11-02T17:00:00+08:00"]]]'
eq "an oral complaint: the reply" "$(acts zhaogang $G)" '["reply"]'
expect 0 "replied by phone before the agreed time" k --as zhaogang --now '2026-11-02 11:00' do $G reply result=已协调 reply_method=电话
eq "the reply clock is met" "$(sh_at $G '2026-11-02 11:00' '.deadlines | map([.clock, .status])')" '[["reply_due","met"]]'
G2=$(k --as chenjing --now '2026-11-02 10:10' new customer=王先生 unit=A1206 channel=来访 event=鼠虫害 subject=蟑螂 detail=茶水间有蟑螂)
expect 0 "a general complaint passed on without an agreed time" k --as chenjing --now '2026-11-02 10:15' do $G2 dispatch handler_dept=baojie
eq "no agreed time: no reply clock" "$(sh_at $G2 '2026-11-02 10:15' '.deadlines | length')" '0'
expect 0 "a complaint made in person may be answered in writing" \
	k --as hemei --now '2026-11-02 15:00' do $G2 reply result=已消杀 reply_method=书面 reply_doc=WY-2611-00
expect 0 "回访, customer confirms" k --as chenjing --now '2026-11-03 10:00' do $G revisit revisit_note=噪音已停 record_confirmed=是
eq "closed" "$(sh_at $G '2026-11-03 10:00' '.state')" '"closed"'

# --- major event: to the leaders at once ------------------------------------------------
M=$(k --as yangfan --now '2026-11-04 08:40' new customer=李女士 unit=B座 channel=phone event=电梯困人 subject=困梯 detail=2号梯困两人)
eq "a major event goes straight to 物业管理中心" "$(sh_at $M '2026-11-04 08:40' '.dept')" '"zhongxin"'
eq "report due in five minutes" "$(sh_at $M '2026-11-04 08:40' '.deadlines | map([.clock, .due])')" '[["major_report","2026-11-04T08:45:00+08:00"]]'
eq "客服 can't dispatch it as a general complaint" "$(acts yangfan $M)" '[]'
refuse 2 "dispatch refused for a major event" k --as yangfan --now '2026-11-04 08:41' do $M dispatch handler_dept=gongcheng
eq "the leaders are urged at +6 minutes" "$(rem '2026-11-04 08:46' $M)" '[["urge",0,"zhongxin","lead"]]'
refuse 2 "the acknowledgement needs the agreed reply time" k --as songzong --now '2026-11-04 08:47' do $M acknowledge handler_dept=gongcheng instruction=救援
expect 0 "the leader acknowledges and assigns 工程部" \
	k --as songzong --now '2026-11-04 08:47' do $M acknowledge handler_dept=gongcheng instruction=立即救援 reply_time='2026-11-04 12:00'
eq "in 工程部, report clock breached, reply clock running" \
	"$(sh_at $M '2026-11-04 08:47' '[.dept, (.deadlines | map([.clock, .status]))]')" '["gongcheng",[["major_report","breached"],["reply_due","running"]]]'
overdue() { k --as songzong --now "$1" --json list --overdue | jq -c 'map(.case)'; }
eq "not overdue before the agreed time" "$(overdue '2026-11-04 11:59')" '[]'
eq "no reply by the agreed 12:00: overdue" "$(overdue '2026-11-04 12:01')" "[\"$M\"]"
eq "at the agreed time 工程部 is urged, addressed to the registrant" \
	"$(k --now '2026-11-04 12:00' --json remind | jq -c "[.[] | select(.case == \"$M\") | [.kind, .clock, .dept, .login]]")" \
	'[["urge","reply_due","gongcheng","yangfan"]]'
N=$(k --as yangfan --now '2026-11-07 02:10' new customer=保安巡查 unit=地下室 channel=phone event=水浸 subject=水浸 detail=地下车库进水)
eq "at night too: urged at 02:16" "$(rem '2026-11-07 02:16' $N)" '[["urge",0,"zhongxin","lead"]]'
expect 0 "acknowledged at 02:18" k --as xujun --now '2026-11-07 02:18' do $N acknowledge handler_dept=gongcheng instruction=抽水 reply_time='2026-11-07 07:00'
eq "late: breached" "$(sh_at $N '2026-11-07 02:18' '.deadlines | map(.status)')" '["breached","running"]'

# --- written complaint → written reply -----------------------------------------------------
W=$(k --as chenjing --now '2026-11-05 09:00' new customer=华远律所 unit=C座801 channel=书面 event=公共设施故障 subject=卫生间漏水 detail=来函称卫生间漏水一周)
expect 0 "passed to 工程部" k --as chenjing --now '2026-11-05 09:10' do $W dispatch handler_dept=gongcheng
eq "one reply action" "$(acts liuqiang $W)" '["reply"]'
refuse 2 "a written complaint can't be answered by phone" k --as liuqiang --now '2026-11-05 15:00' do $W reply result=已修 reply_method=电话
err_has "the refusal names both fields" 回复方式 投诉方式
refuse 2 "nor in person" k --as liuqiang --now '2026-11-05 15:00' do $W reply result=已修 reply_method=当面 reply_doc=WY-1
expect 0 "written reply" k --as liuqiang --now '2026-11-05 15:00' do $W reply result=已更换阀门 reply_method=书面 reply_doc=WY-2611-01
eq "reply recorded as 书面" "$(sh_at $W '2026-11-05 15:00' '[.state, .fields.reply_method]')" '["replied","written"]'
refuse 2 "回访 needs the customer's confirmation" k --as chenjing --now '2026-11-06 10:00' do $W revisit revisit_note=好
expect 0 "回访, closed" k --as chenjing --now '2026-11-06 10:00' do $W revisit revisit_note=未再漏水 record_confirmed=yes

# --- equals_field in a `when`, in the queue's SQL ----------------------------------------------
# (a variant of the preset: 回访 only when the reply went the way the complaint came, and
# 客服 seeing only what they are involved in or may act on, so the list's SQL decides)
D=$TMP/v
"$KESU" --data "$D" init --preset property >/dev/null || { echo "FAIL  init --preset property"; exit 1; }
sed -i 's/{code: service, name: 客服接待, sees: all}/{code: service, name: 客服接待, sees: involved}/' "$D/config/staff.yaml"
sed -i '/  - code: revisit/,$ s/^    roles: \[service, lead\]$/    roles: [service, lead]\n    when: {reply_method: {equals_field: channel}}/' "$D/config/workflow.yaml"
expect 0 "the variant loads" k check-config
grep -q 'equals_field: channel}}$' "$D/config/workflow.yaml" && ok "… with the when" || fail "… the when was not added"
P1=$(k --as chenjing --now '2026-11-02 09:00' new customer=甲 unit=A1 channel=电话 event=鼠虫害 subject=a detail=d)
P2=$(k --as chenjing --now '2026-11-02 09:01' new customer=乙 unit=A2 channel=来访 event=鼠虫害 subject=b detail=d)
for c in $P1 $P2; do
	expect 0 "dispatched" k --as chenjing --now '2026-11-02 09:10' do $c dispatch handler_dept=baojie
done
expect 0 "replied the way it came" k --as hemei --now '2026-11-02 10:00' do $P1 reply result=r reply_method=电话
expect 0 "replied another way" k --as hemei --now '2026-11-02 10:00' do $P2 reply result=r reply_method=书面 reply_doc=X
eq "杨帆 (not involved) sees only the case he may now revisit" \
	"$(k --as yangfan --json list | jq -c 'map(.case)')" "[\"$P1\"]"
eq "… and may act on it" "$(acts yangfan $P1)" '["revisit"]'
refuse 5 "the other is not there for him" k --as yangfan --json show $P2
finish
