#!/bin/sh
# penalty.sh — responsibility and penalties on the manufacturing preset
# (docs/penalty.md): the responsibility field refused unless its shares add up
# to 1000, the loss booked at closure and split to the fen, the 奖罚通知单
# copies, the monthly ledger with the 50% cap and the carry into the next
# month, who sees what, 大过 twice, 签呈 and reversing entries, an
# append-only ledger, and penalty.yaml diagnostics.
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality subject=齿轮硬度不足 detail=硬度低"
RPT="cause=热处理温度偏低 process=抽检 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"

# close_case TIME-PREFIX LOSS RESPONSIBILITY: a new case through to closure on that day
close_case() {
	run k --as qiantai --now "$1 09:00" new $REG
	_c=$(cat "$TMP/out")
	k --as guanli --now "$1 10:00" do "$_c" accept >/dev/null
	k --as guanli --now "$1 11:00" do "$_c" assign dept=quality >/dev/null
	k --as zhijian --now "$1 14:00" do "$_c" report $RPT "loss=$2" "responsibility=$3" >/dev/null
	k --as zongjingli --now "$1 15:00" do "$_c" approve decision=同意 >/dev/null
	k --as qiantai --now "$1 16:00" do "$_c" reply method=phone accepted=yes >/dev/null
	k --as zongjingli --now "$1 17:00" do "$_c" close >/dev/null
	C=$_c
}

# pj LOGIN MONTH FILTER: jq -c FILTER over `penalty --json --month MONTH` as LOGIN
pj() { k --as "$1" --json penalty --month "$2" | jq -c "$3"; }

newdata p

# --- the responsibility field -------------------------------------------------
run k --as qiantai --now '2026-11-02 09:00' new $REG
C=$(cat "$TMP/out")
k --as guanli --now '2026-11-02 10:00' do $C accept >/dev/null
k --as guanli --now '2026-11-02 11:00' do $C assign dept=quality >/dev/null
refuse 2 "shares adding up to 900 are refused" k --as zhijian --now '2026-11-03 09:00' do $C report $RPT \
	loss=100 responsibility=shengchan:600,zhijian:300
err_has "the message names the field and the sum" "「责任归属」" "900‰"
refuse 2 "an unknown unit is refused" k --as zhijian --now '2026-11-03 09:00' do $C report $RPT \
	loss=100 responsibility=shengchan:500,nobody:500
err_has "the message names the unit" nobody
refuse 2 "a unit given twice is refused" k --as zhijian --now '2026-11-03 09:00' do $C report $RPT \
	loss=100 responsibility=shengchan:500,shengchan:500

# --- closure books the loss ---------------------------------------------------------
# 1,000,001 fen by 333/333/334: 333,000 / 333,000 / 334,001 (the last fen to the
# largest remainder); quality's 334,001 by 基点 zhijian 100, zhiguan 150:
# 133,600.4 / 200,400.6 → 133,600 / 200,401
k --as zhijian --now '2026-11-03 09:00' do $C report $RPT loss=10000.01 \
	'responsibility=shengchan:333，zhijian:333, quality：334' >/dev/null
k --as zongjingli --now '2026-11-03 15:00' do $C approve decision=同意 >/dev/null
eq "nothing is booked before closure" "$(count penalty_entries)" 0
k --as qiantai --now '2026-11-03 16:00' do $C reply method=phone accepted=yes >/dev/null
expect 0 "close" k --as zongjingli --now '2026-11-06 10:00' do $C close
eq "closure books four entries that add up to the loss" \
	"$(sqlite3 "$D/kesu.db" 'select count(*), sum(amount_fen) from penalty_entries')" "4|1000001"
eq "entries by person and unit" \
	"$(sqlite3 "$D/kesu.db" "select group_concat(login || '/' || ref || '=' || amount_fen, ' ') from penalty_entries")" \
	"shengchan/shengchan=333000 zhijian/zhijian=333000 zhijian/quality=133600 zhiguan/quality=200401"
eq "每笔罚扣三联奖罚通知单, as copies (联)" \
	"$(sqlite3 "$D/kesu.db" "select count(*), count(distinct entry_id), count(distinct round) from copies where form = 'penalty_notice'")" "12|4|4"
eq "notice copies: 自存, 会计, the person's department" \
	"$(k --as zongjingli --json penalty entries --login shengchan | jq -c '.[0].notices | map([.copy, .holder, .purpose])')" \
	'[[1,"gm_office","自存"],[2,"accounting","会计单位查核"],[3,"manufacturing","送处罚部门处罚奖金"]]'

# --- the monthly ledger ---------------------------------------------------------------
eq "--json: one object per person, with the documented keys" \
	"$(pj zongjingli 2026-11 'map(keys) | unique')" \
	'[["bonus_fen","bonus_source","cap_fen","carried_forward_fen","carried_in_fen","deducted_fen","items","login","name","reward_fen"]]'
eq "items: case, rule, amount_fen" "$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | .items | map([.case, .rule, .amount_fen])')" \
	"[[\"$C\",\"loss\",333000]]"
eq "the items add up to the loss" "$(pj zongjingli 2026-11 '[.[].items[].amount_fen] | add')" 1000001
# 赵强: bonus 3,000 元, cap 1,500; 3,330 due → 1,500 taken, 1,830 carried
eq "赵强: cap 50% of 3,000 元, the rest carried" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | [.name, .cap_fen, .carried_in_fen, .deducted_fen, .carried_forward_fen]')" \
	'["赵强",150000,0,150000,183000]'
# 刘芳: bonus 4,000, cap 2,000; 2,004.01 due → 4.01 carried
eq "刘芳: 4.01 元 carried" "$(pj zongjingli 2026-11 '.[] | select(.login == "zhiguan") | [.deducted_fen, .carried_forward_fen]')" \
	'[200000,401]'
eq "December: the carry comes in and is taken" \
	"$(pj zongjingli 2026-12 'map([.login, .carried_in_fen, .deducted_fen, .carried_forward_fen])')" \
	'[["zhijian",316600,150000,166600],["zhiguan",401,401,0],["shengchan",183000,150000,33000]]'
eq "January: the rest" "$(pj zongjingli 2027-01 'map([.login, .carried_in_fen, .deducted_fen, .carried_forward_fen])')" \
	'[["zhijian",166600,150000,16600],["shengchan",33000,33000,0]]'
run k --as zongjingli penalty --month 2026-11
eq "text: exit 0" "$rc" 0
grep -q "赵强（shengchan）.*上限 1,500.00.*本月扣 1,500.00.*结转下月 1,830.00" "$TMP/out" && ok "text: 赵强's line" ||
	{ fail "text: 赵强's line"; show_io; }
grep -q "客诉损失分摊（质量管理部）" "$TMP/out" && ok "text: the unit a part came from" || fail "text: unit"

# --- who sees what ------------------------------------------------------------------------
eq "staff see only themselves" "$(pj shengchan 2026-11 'map(.login)')" '["shengchan"]'
expect 3 "staff can't ask for someone else" k --as shengchan penalty --month 2026-11 --login zhijian
eq "the coordinator sees everybody" "$(pj guanli 2026-11 'length')" 3
eq "a person with nothing gets their own empty row" "$(pj qiantai 2026-11 'map([.login, .deducted_fen, (.items | length)])')" \
	'[["qiantai",0,0]]'
refuse 2 "a bad month" k --as zongjingli penalty --month 2026-13
refuse 2 "a bad option" k --as zongjingli penalty --week 3

# --- sanctions: 大过 twice in a month → the whole month's bonus ------------------------------
close_case 2026-11-10 0 shengchan:1000
run k --as zongjingli --now '2026-11-12 09:00' penalty sanction $C shengchan major offence=material reason=未依规范备料
eq "a sanction prints its entry number" "$rc" 0
E1=$(cat "$TMP/out")
expect 3 "only 总经理 decides sanctions" k --as guanli --now '2026-11-12 09:00' penalty sanction $C shengchan major offence=other
refuse 2 "an unknown level" k --as zongjingli --now '2026-11-12 09:00' penalty sanction $C shengchan huge offence=other
refuse 2 "the offence is required (penalty.yaml lists them)" k --as zongjingli --now '2026-11-12 09:00' penalty sanction $C shengchan major
eq "one 大过: no conversion" "$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | [.items[].kind] | index("monthly")')" null
expect 0 "a second 大过" k --as zongjingli --now '2026-11-20 09:00' penalty sanction $C shengchan major offence=wrong_shipment
eq "two 大过: the whole 3,000 元, outside the cap" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | .items[] | select(.kind == "monthly") | [.rule, .amount_fen, .capped]')" \
	'["major_twice",300000,false]'
eq "… and the loss waits: 3,000 taken, 3,330 carried" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | [.deducted_fen, .carried_forward_fen]')" '[300000,333000]'

# --- 签呈 and reversing entries -------------------------------------------------------------------
E=$(k --as zongjingli --json penalty entries --login zhijian | jq '.[0].id')
run k --as zhijian --now '2026-11-25 09:00' penalty appeal $E reason=责任应归制造部
eq "the person penalised files a 签呈" "$rc" 0
A=$(cat "$TMP/out")
expect 5 "someone else can't (and doesn't see the entry)" k --as qiantai --now '2026-11-25 09:00' penalty appeal $E reason=x
expect 3 "a non-decider can't reverse" k --as guanli --now '2026-11-26 09:00' penalty reverse $E reason=x
refuse 2 "a reason is required" k --as zongjingli --now '2026-11-26 09:00' penalty reverse $E amount=100
expect 0 "总经理 reverses 1,000 元 of it, answering the 签呈" \
	k --as zongjingli --now '2026-11-26 09:00' penalty reverse $E amount=1000 appeal=$A reason=签呈核准
refuse 2 "more than is left can't be reversed" k --as zongjingli --now '2026-11-26 09:00' penalty reverse $E amount=2330.01 reason=x
eq "the reversal is a new entry naming the original and the 签呈" \
	"$(k --as zongjingli --json penalty entries --login zhijian | jq -c ".[] | select(.reverses == $E) | [.kind, .amount_fen, .appeal, .note]")" \
	"[\"reversal\",-100000,$A,\"签呈核准\"]"
eq "the original is unchanged" "$(sqlite3 "$D/kesu.db" "select amount_fen from penalty_entries where id = $E")" 333000
eq "the reversal has its notices too" "$(sqlite3 "$D/kesu.db" "select count(*) from copies n join penalty_entries e on e.id = n.entry_id where e.reverses = $E")" 3
eq "November for 陈立: −1,000 within the cap" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "zhijian") | [(.items | map(.amount_fen) | add), .deducted_fen, .carried_forward_fen]')" \
	'[366600,150000,216600]'
expect 0 "a sanction is reversed whole" k --as zongjingli --now '2026-11-27 09:00' penalty reverse $E1 reason=撤销
eq "… and no longer counts: no conversion" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | [.items[].kind] | index("monthly")')" null
refuse 2 "… only once" k --as zongjingli --now '2026-11-27 09:00' penalty reverse $E1 reason=again

# --- append-only --------------------------------------------------------------------------------------
rc=0; sqlite3 "$D/kesu.db" "update penalty_entries set amount_fen = 0 where id = $E" 2>"$TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q "never changed" "$TMP/err" && ok "the database refuses to change an entry" || fail "update allowed"
rc=0; sqlite3 "$D/kesu.db" "delete from copies where entry_id is not null" 2>"$TMP/err" || rc=$?
[ "$rc" != 0 ] && ok "… or to delete a notice" || fail "delete allowed"

# --- 奖罚通知单 are copies (联) of the notice form ------------------------------------------------------
N1=$(k --as zongjingli --json penalty entries --login shengchan | jq '.[0].id')
eq "three holders: 总经理室, 会计科, the person's department" \
	"$(sqlite3 "$D/kesu.db" "select group_concat(copy_no || ':' || holder_kind || ':' || holder || ':' || holder_name, ' ') from copies where entry_id = $N1")" \
	"1:dept:gm_office:总经理室 2:dept:accounting:会计科 3:dept:manufacturing:制造部"
eq "the snapshot holds the entry's facts" \
	"$(sqlite3 "$D/kesu.db" "select distinct snapshot from copies where entry_id = $N1" | jq -c '[.title, .fields.login, .fields.name, .fields.amount_fen, .fields.kind]')" \
	'["奖罚通知单","shengchan","赵强",333000,"loss"]'
rc=0; sqlite3 "$D/kesu.db" "update copies set snapshot = '{}' where entry_id = $N1" 2>"$TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q "never changed" "$TMP/err" && ok "a notice's snapshot is frozen" || fail "snapshot changed"
NC=$(sqlite3 "$D/kesu.db" "select count(*) from copies where entry_id is not null and holder = 'accounting'")
eq "会计科 lists the notices it holds (copies --holder)" \
	"$(k --as zongjingli --json copies --holder accounting | jq '[.[] | select(.form == "penalty_notice")] | length')" "$NC"
eq "… each naming its entry" "$(k --as zongjingli --json copies --holder accounting | jq "[.[] | select(.entry == $N1)] | length")" 1
CN=$(sqlite3 "$D/kesu.db" "select c.no from copies p join cases c on c.id = p.case_id where p.entry_id = $N1 limit 1")
eq "show lists the notice copies with the case's copies" \
	"$(k --as zongjingli --json show $CN | jq -c '[.copies[] | select(.form == "penalty_notice") | .copy] | length')" \
	"$(sqlite3 "$D/kesu.db" "select count(*) from copies p join cases c on c.id = p.case_id where c.no = '$CN' and p.form = 'penalty_notice'")"
R1=$(sqlite3 "$D/kesu.db" "select round from copies where entry_id = $N1 limit 1")
run k --as zongjingli print $CN --form penalty_notice --copy 2 --round $R1
eq "print a notice copy: exit 0" "$rc" 0
grep -q "奖罚通知单（第 2 联）" "$TMP/out" && grep -q "3,330.00 元" "$TMP/out" && grep -q "会计单位查核" "$TMP/out" &&
	grep -q "赵强（shengchan）" "$TMP/out" && ok "… title, amount, holder's purpose, person" || { fail "notice print"; show_io; }
refuse 2 "a notice is printed by copy only" k --as zongjingli print $CN --form penalty_notice
# holder: self — the penalised person holds a copy
sed -i 's/holder: gm_office,   purpose: 自存/holder: self,        purpose: 本人收执/' "$D/config/forms/penalty_notice.yaml"
expect 0 "holder: self is accepted" k check-config
run k --as zongjingli --now '2026-11-28 09:00' penalty sanction $CN shengchan warning offence=other reason=提醒
N2=$(cat "$TMP/out")
eq "copy 1 is held by the person" \
	"$(sqlite3 "$D/kesu.db" "select holder_kind || ':' || holder || ':' || holder_name from copies where entry_id = $N2 and copy_no = 1")" \
	"person:shengchan:赵强"
eq "the person lists it (copies, default: own department and self)" \
	"$(k --as shengchan --json copies | jq -c "[.[] | select(.entry == $N2) | [.copy, .holder_kind]] | sort")" '[[1,"person"],[3,"dept"]]'
expect 3 "others can't list a person's copies" k --as qiantai copies --holder shengchan
sed -i 's/holder: self, /holder: nobody,/' "$D/config/forms/penalty_notice.yaml"
run k check-config
eq "an undefined holder is named with FILE:LINE:COL" "$rc $(grep -c '^forms/penalty_notice.yaml:[0-9]*:[0-9]*: .*nobody 未定义' "$TMP/out")" "2 1"
sed -i 's/holder: nobody,/holder: gm_office,/' "$D/config/forms/penalty_notice.yaml"
k --as zongjingli penalty --month 2026-11 >/dev/null # the first run after a configuration change re-times clocks

# --- the monthly bonus table (payroll import) ---------------------------------------------------------
printf 'login,month,bonus,基点\nshengchan,2026-11,10000,100\nzhijian,2026-11,3000.5x,100\nnobody,2026-11,1,1\n' >"$TMP/bad.csv"
refuse 2 "a bad row: nothing imported" k --as zongjingli penalty bonus import "$TMP/bad.csv"
err_has "the message names line and column" "第 3 行第 3 列（bonus）" "第 4 行第 1 列（login）"
eq "… and nothing was written" "$(sqlite3 "$D/kesu.db" 'select count(*) from penalty_bonus_imports')" 0
printf 'login,month,bonus,基点\nshengchan,2026-11,"10,000.00",100\nzhijian,2026-11,3000,100\n' >"$TMP/nov.csv"
expect 3 "only a decider imports" k --as guanli penalty bonus import "$TMP/nov.csv"
expect 0 "import November" k --as zongjingli penalty bonus import "$TMP/nov.csv" --month 2026-11
eq "the imported bonus sets the cap: 50% of 10,000 元" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "shengchan") | [.bonus_fen, .bonus_source, .cap_fen]')" '[1000000,"import",500000]'
eq "a person not in the table keeps staff.yaml's" \
	"$(pj zongjingli 2026-11 '.[] | select(.login == "zhiguan") | [.bonus_fen, .bonus_source]')" '[400000,"staff"]'
run k --as zongjingli penalty --month 2026-11
grep -q "赵强（shengchan）  月奖金 10,000.00（本月导入的奖金表）  上限 5,000.00" "$TMP/out" && ok "text: the source is shown" ||
	{ fail "text: source"; show_io; }
eq "December is not affected" "$(pj shengchan 2026-12 '.[] | [.bonus_fen, .bonus_source]')" '[300000,"staff"]'
printf 'login,month,bonus,基点\nshengchan,2026-11,6000,100\n' >"$TMP/nov2.csv"
refuse 4 "the same month again needs --replace" k --as zongjingli penalty bonus import "$TMP/nov2.csv"
expect 0 "--replace" k --as zongjingli penalty bonus import "$TMP/nov2.csv" --replace
eq "the replacement counts; zhijian (not in it) falls back to staff.yaml" \
	"$(pj zongjingli 2026-11 'map(select(.login == "shengchan" or .login == "zhijian")) | map([.login, .cap_fen, .bonus_source])')" \
	'[["zhijian",150000,"staff"],["shengchan",300000,"import"]]'
eq "both imports stay recorded" "$(sqlite3 "$D/kesu.db" 'select group_concat(rows || ":" || replaced, " ") from penalty_bonus_imports')" "2:0 1:1"
eq "bonus list shows the month's table" "$(k --as zongjingli --json penalty bonus list --month 2026-11 | jq -c 'map([.login, .bonus_fen, .base_points])')" \
	'[["shengchan",600000,100]]'
printf '登录名,奖金,基点\nshengchan,2500.05,90\n' | iconv -f UTF-8 -t GBK >"$TMP/dec.csv"
expect 0 "GBK with Chinese headers and --month" k --as zongjingli penalty bonus import "$TMP/dec.csv" --month 2026-12 --encoding GBK
eq "December's imported bonus" "$(pj zongjingli 2026-12 '.[] | select(.login == "shengchan") | [.bonus_fen, .cap_fen]')" '[250005,125002]'
refuse 2 "GBK read as UTF-8 is refused" k --as zongjingli penalty bonus import "$TMP/dec.csv" --month 2027-01
rc=0; sqlite3 "$D/kesu.db" "delete from penalty_bonus" 2>"$TMP/err" || rc=$?
[ "$rc" != 0 ] && ok "imported rows are never deleted" || fail "bonus rows deleted"

# --- the month's imported 基点 split a department's share -------------------------------------
# staff.yaml: zhijian 100, zhiguan 150 (quality). February's table: zhijian 300, zhiguan 100, so
# quality's 400.00 goes 300.00 / 100.00 (staff.yaml would give 160.00 / 240.00); a member
# imported with 0 takes no part.
printf 'login,基点,奖金\nzhijian,300,3000\nzhiguan,100,4000\n' >"$TMP/feb.csv"
expect 0 "import February with 基点" k --as zongjingli penalty bonus import "$TMP/feb.csv" --month 2027-02
close_case 2027-02-03 400 quality:1000
eq "a department's share split by the month's imported 基点" \
	"$(sqlite3 "$D/kesu.db" "select group_concat(login || '=' || amount_fen, ' ') from (select login, amount_fen from penalty_entries where month = '2027-02' order by login)")" \
	"zhiguan=10000 zhijian=30000"
printf 'login,基点,奖金\nzhijian,0,3000\nzhiguan,100,4000\n' >"$TMP/mar.csv"
expect 0 "import March: zhijian with 基点 0" k --as zongjingli penalty bonus import "$TMP/mar.csv" --month 2027-03
close_case 2027-03-03 400 quality:1000
eq "a member imported with 基点 0 takes no part" \
	"$(sqlite3 "$D/kesu.db" "select group_concat(login || '=' || amount_fen, ' ') from penalty_entries where month = '2027-03'")" \
	"zhiguan=40000"

# --- penalty.yaml is checked ------------------------------------------------------------------------------
cat >"$D/config/penalty.yaml" <<'EOF'
penalty:
  on: [close, finish]
  loss_field: loss
  responsibility_field: responsibility
  cap: {bonus_per_mille: 500}
  rules:
    - {code: loss, label: 损失, kind: loss, fraction: 0}
  notice: {title: 奖罚通知单, copies: [{no: 1, holder: finance, purpose: 存}]}
EOF
run k check-config
eq "check-config exit 2" "$rc" 2
eq "FILE:LINE:COL for each problem" "$(cut -d: -f1-3 "$TMP/out" | tr '\n' ' ')" \
	"penalty.yaml:2:7 penalty.yaml:7:53 penalty.yaml:8:51 "

finish
