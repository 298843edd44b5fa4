#!/bin/sh
# membership.sh — the membership preset (P9): 投诉 vs 需求 (求助/咨询/发泄), a consultation
# answered within 24 hours (an hours clock chosen by `when`), complaints within 3 working
# days or 5 for special cases (two clocks chosen by the yes/no `special` field, and switched
# when a supervisor declares a case special), 总经办 for hardware, 行政部 archiving.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/m
"$KESU" --data "$D" init --preset membership --demo >/dev/null || { echo "FAIL  init --preset membership --demo"; exit 1; }
expect 0 "check-config is clean (with the demo cases)" k check-config
D=$TMP/n
"$KESU" --data "$D" init --preset membership >/dev/null || { echo "FAIL  init --preset membership"; exit 1; }
sh_at() { k --as yuanzong --now "$2" --json show "$1" | jq -c "$3"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }
rem() { k --now "$1" --json remind | jq -c "[.[] | select(.case == \"$2\") | [.kind, .level, .dept, .role]]"; }

# --- 需求: consultation within 24 hours --------------------------------------------------
Q=$(k --as tianyu --now '2026-11-06 15:00' new customer=张女士 contact=137 kind=需求 need_type=咨询型 area=card special=否 subject=年卡转让 detail=能否转给家人)
eq "a need stays with the receiving desk; 24-hour clock" \
	"$(sh_at $Q '2026-11-06 15:00' '[.dept, (.deadlines | map([.clock, .due]))]')" '["kefu",[["consult24","2026-11-07T15:00:00+08:00"]]]'
eq "answer on the spot or pass on" "$(acts tianyu $Q)" '["answer_now","dispatch"]'
expect 0 "passed to 销售部" k --as tianyu --now '2026-11-06 15:10' do $Q dispatch handler_dept=xiaoshou
eq "the hours clock runs over the weekend: supervisor urged Sat 15:01" "$(rem '2026-11-07 15:01' $Q)" '[["urge",1,"xiaoshou","supervisor"]]'
expect 0 "answered" k --as caiming --now '2026-11-07 16:00' do $Q reply cause=核实 result=可转让
eq "breached" "$(sh_at $Q '2026-11-07 16:00' '.deadlines | map(.status)')" '["breached"]'
H=$(k --as luoxi --now '2026-11-06 16:00' new customer=李先生 contact=139 kind=need need_type=求助型 area=member special=no subject=钥匙柜打不开 detail=求助)
eq "a help request has no consultation clock" "$(sh_at $H '2026-11-06 16:00' '.deadlines | length')" 0
expect 0 "answered on the spot" k --as luoxi --now '2026-11-06 16:05' do $H answer_now result=已开柜
refuse 2 "a complaint can't be answered on the spot as a need" \
	k --as luoxi --now '2026-11-06 16:10' do "$(k --as luoxi --now '2026-11-06 16:10' new customer=x contact=1 kind=complaint area=service special=no subject=s detail=d)" answer_now result=x

# --- 投诉: 3 working days, special 5 ----------------------------------------------------
C=$(k --as tianyu --now '2026-11-02 15:00' new customer=王先生 contact=139 kind=投诉 area=卡项售卖、价格及折扣 special=否 subject=折扣不符 detail=承诺八折实收九折)
eq "to 销售部; three working days (close of business Thu)" \
	"$(sh_at $C '2026-11-02 15:00' '[.dept, (.deadlines | map([.clock, .due]))]')" '["xiaoshou",[["complaint3","2026-11-05T17:30:00+08:00"]]]'
S=$(k --as tianyu --now '2026-11-02 15:00' new customer=赵女士 contact=135 kind=投诉 area=产品质量 special=是 subject=产品过敏 detail=需送检)
eq "special: five working days" \
	"$(sh_at $S '2026-11-02 15:00' '[.dept, (.deadlines | map([.clock, .due]))]')" '["fuwu",[["complaint5","2026-11-09T17:30:00+08:00"]]]'
expect 0 "dispatched" k --as tianyu --now '2026-11-02 15:10' do $C dispatch handler_dept=xiaoshou
eq "a 催办单 once the 3 days are over" "$(rem '2026-11-06 09:00' $C)" '[["urge",1,"xiaoshou",null]]'
expect 0 "replied late" k --as caiming --now '2026-11-06 10:00' do $C reply cause=前台误报折扣 result=退差价 customer_opinion=满意
eq "breached" "$(sh_at $C '2026-11-06 10:00' '[.state, (.deadlines | map(.status))]')" '["replied",["breached"]]'
expect 0 "dispatched" k --as tianyu --now '2026-11-02 15:20' do $S dispatch handler_dept=fuwu
expect 0 "replied within five days" k --as dongwei --now '2026-11-06 10:00' do $S reply cause=送检无异常 result=退款
eq "special case met" "$(sh_at $S '2026-11-06 10:00' '.deadlines | map(.status)')" '["met"]'

# --- declared special during handling: the 3-day clock gives way to the 5-day one --------
X=$(k --as tianyu --now '2026-11-09 09:00' new customer=孙先生 contact=136 kind=complaint area=service special=no subject=教练缺席 detail=私教课两次缺席)
expect 0 "dispatched" k --as tianyu --now '2026-11-09 09:10' do $X dispatch handler_dept=fuwu
eq "only the supervisor may declare it special" "$(acts dongwei $X) $(acts jiangli $X)" '["reply"] ["mark_special","reply"]'
expect 0 "declared special" k --as jiangli --now '2026-11-10 10:00' do $X mark_special special=是 special_reason=教练外派需核实
eq "the 3-day clock is superseded; the 5-day one continues it, from registration (Mon 09:00 + 5 working days)" \
	"$(sh_at $X '2026-11-10 10:00' '[.fields.special, (.deadlines | map([.clock, .status, .started, .due]))]')" \
	'["yes",[["complaint3","superseded","2026-11-09T09:00:00+08:00","2026-11-12T17:30:00+08:00"],["complaint5","running","2026-11-09T09:00:00+08:00","2026-11-16T17:30:00+08:00"]]]'
Y=$(k --as tianyu --now '2026-11-09 09:30' new customer=钱先生 contact=137 kind=complaint area=service special=no subject=储物柜 detail=损坏)
expect 0 "dispatched" k --as tianyu --now '2026-11-09 09:40' do $Y dispatch handler_dept=fuwu
expect 0 "declared special only after the 3 days" k --as jiangli --now '2026-11-13 10:00' do $Y mark_special special=是 special_reason=需厂家鉴定
eq "… the 3-day clock stays breached" "$(sh_at $Y '2026-11-13 10:00' '.deadlines | map([.clock, .status])')" '[["complaint3","breached"],["complaint5","running"]]'
eq "the monthly figures count the two breaches (the first case, this one), not the superseded clock" \
	"$(k --as jiangli --json report monthly 2026-11 | jq -c '[.clocks[] | select(.clock == "complaint3") | .met, .breached]' 2>/dev/null)" '[0,2]'
eq "no longer offered" "$(acts jiangli $X)" '["reply"]'

# --- hardware → 总经办; archiving ------------------------------------------------------------
W=$(k --as luoxi --now '2026-11-09 10:00' new customer=周先生 contact=133 kind=complaint area=设备故障（硬件） special=no subject=跑步机停用 detail=三台停用一周)
eq "hardware goes to 工程部" "$(sh_at $W '2026-11-09 10:00' '.dept')" '"gongcheng"'
expect 0 "dispatched" k --as luoxi --now '2026-11-09 10:05' do $W dispatch handler_dept=gongcheng
expect 0 "工程部 asks 总经办" k --as panhao --now '2026-11-09 14:00' do $W ask_gm ask_note=需更换整机
expect 0 "总经办 instructs" k --as yuanzong --now '2026-11-10 09:00' do $W gm_instruct gm_note=同意采购
expect 0 "replied" k --as panhao --now '2026-11-11 09:00' do $W reply cause=电机老化 result=临时调配两台
refuse 3 "only 行政部 archives" k --as luoxi --now '2026-11-12 09:00' do $W archive archive_no=A1 important=no
expect 0 "行政部 archives, marked important" k --as shenyan --now '2026-11-12 09:00' do $W archive archive_no=DA-2611-01 important=是
eq "closed" "$(sh_at $W '2026-11-12 09:00' '[.state, .fields.important]')" '["closed","yes"]'
# --- 资料保存一年，重要资料延期保存 (retention.yaml) ------------------------------------------
V=$(k --as luoxi --now '2026-11-09 11:00' new customer=吴女士 contact=13800001111 kind=complaint area=service special=no subject=教练迟到 detail=私教课迟到二十分钟)
expect 0 "dispatched" k --as luoxi --now '2026-11-09 11:05' do $V dispatch handler_dept=fuwu
expect 0 "replied" k --as dongwei --now '2026-11-10 09:00' do $V reply cause=排班 result=已致歉并补课
expect 0 "archived, not important" k --as shenyan --now '2026-11-12 10:00' do $V archive archive_no=DA-2611-02 important=no
arch() { k --as yuanzong --now "$1" --json archive list | jq -c "$2"; }
eq "kept one year from closing: to the end of 2027-11-12" \
	"$(arch '2026-12-01 09:00' "map(select(.case == \"$V\")) | .[0] | [.archive, .retention_end, .extended]")" '["kept","2027-11-13T00:00:00+08:00",false]'
eq "the important one is kept on (延期保存)" "$(arch '2026-12-01 09:00' "map(select(.case == \"$W\")) | .[0] | [.archive, .extended]")" '["forever",true]'
eq "not due at 11 months" "$(arch '2027-10-12 09:00' "map(select(.case == \"$V\")) | .[0].archive")" '"kept"'
eq "due at 13 months; the important one still not" \
	"$(k --as yuanzong --now '2027-12-12 09:00' --json archive list --due | jq -c "map(.case) | [index(\"$V\") != null, index(\"$W\") != null]")" '[true,false]'
refuse 3 "only 总经办 disposes" k --as shenyan --now '2027-12-12 09:00' archive dispose $V --yes
expect 2 "the important case can't be disposed" k --as yuanzong --now '2027-12-12 09:00' archive dispose $W --yes
expect 2 "without --yes nothing happens" k --as yuanzong --now '2027-12-12 09:00' archive dispose --before 2027-12-12
expect 0 "总经办 disposes what is due before 12 Dec 2027" k --as yuanzong --now '2027-12-12 09:00' --json archive dispose --before 2027-12-12 --yes
eq "that was the one due case" "$(jq -c 'map(.case)' "$TMP/out")" "[\"$V\"]"
eq "its personal data is gone; the classification stays" \
	"$(k --as yuanzong --now '2027-12-12 09:10' --json show $V | jq -c '[.fields.customer, .fields.contact, .fields.detail, .fields.area, .fields.archive_no]')" '[null,null,null,"service","DA-2611-02"]'
eq "nowhere in the database" "$(sqlite3 "$D/kesu.db" "SELECT count(*) FROM events e, forms f, copies c WHERE e.fields LIKE '%13800001111%' OR f.fields LIKE '%13800001111%' OR c.snapshot LIKE '%13800001111%' OR e.fields LIKE '%教练迟到%'")" 0
eq "nor found by search" "$(k --as yuanzong --now '2027-12-12 09:10' --json search 教练迟到 | jq -c 'map(.case) | index("'$V'")')" null
expect 0 "audit verify still passes" k audit verify
eq "the important case is untouched" "$(sh_at $W '2027-12-12 09:10' '.fields.customer')" '"周先生"'
eq "listed as disposed" "$(arch '2027-12-12 09:20' "map(select(.case == \"$V\")) | .[0].archive")" '"disposed"'
sqlite3 "$D/kesu.db" "UPDATE events SET fields = '{\"_disposed\":true}' WHERE id = (SELECT min(e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.no = '$W')"
expect 1 "clearing an event by hand (no disposal event pins it) breaks the chain" k audit verify
finish
