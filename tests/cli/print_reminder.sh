#!/bin/sh
# print_reminder.sh — the 催办单 and 治办单 as paper (issue 4): a manufacturing case
# driven late with --now; `kesu remind` issues a 催办单 (and, after escalation,
# another), and once the case is closed late a 治办单; `kesu print CASE --reminder N`
# lays each out from its reminder form (forms/urge_notice.yaml,
# forms/escalation_notice.yaml: title, labels, order, groups from YAML), every line
# the same display width with long Chinese values, and as a PDF (pdftotext finds the
# case number and the title); the reminder numbers are those of `remind` and `show`;
# errors (another case's reminder, an unknown number, a warning, bad options) are
# clear and write nothing; whoever may not `show` the case may not print it; a
# preset's override with copies prints copy K; unknown vocabulary is a config error
# with FILE:LINE:COL.
set -eu
. "$(dirname "$0")/lib.inc"
export LC_ALL=C.UTF-8

if [ "$(printf '客诉ab\n' | wc -L)" != 6 ] || [ "$(printf '┌─┐\n' | wc -L)" != 3 ]; then
	fail "wc -L does not count display width in C.UTF-8 here"
	finish
	exit 1
fi
for tool in pdftotext; do
	command -v "$tool" >/dev/null 2>&1 || { fail "$tool is required (apt-get install poppler-utils)"; finish; exit 1; }
done
# widths FILE: the distinct display widths of FILE's lines
widths() {
	while IFS= read -r _l; do printf '%s\n' "$_l" | wc -L; done <"$1" | sort -u | tr '\n' ' ' | sed 's/ $//'
}
flat() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | tr -d ' \n\f\t'; }
# has DESC TEXT...: every TEXT is in $TMP/out
has() {
	_d=$1; shift
	for _t; do grep -qF -- "$_t" "$TMP/out" || { fail "$_d: lacks \"$_t\""; show_io; return 0; }; done
	ok "$_d"
}

CUST=华东精密机械有限公司苏州第二分厂采购部质量科驻厂代表办公室
SUBJ=齿轮硬度不足导致客户整条生产线停线三天并要求整批换货和赔偿全部停线损失
REG="contact=0512-66881234 channel=phone region=domestic category=quality detail=硬度不足 order_no=SO-1 part_no=P-1 qty=10"
RPT="cause=炉温偏低 process=来料检验 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=点检"

newdata r
C=$(k --as qiantai --now '2026-10-09 09:00' new customer=$CUST subject=$SUBJ $REG)
k --as guanli --now '2026-10-09 10:00' do $C accept >/dev/null
k --as guanli --now '2026-10-09 10:10' do $C assign dept=quality >/dev/null
O=$(k --as qiantai --now '2026-10-09 09:30' new customer=别家 subject=另一件 accused=shengchan $REG)
k --as guanli --now '2026-10-09 10:00' do $O accept >/dev/null

# --- the reminders: a warning, a 催办单, its escalation --------------------------------
# id CASE KIND LEVEL: the number of that reminder (show --json)
id() { js guanli "$1" "[.reminders[] | select(.clock == \"close_domestic\" and .kind == \"$2\" and .level == $3) | .id] | first"; }
run k --now '2026-10-26 09:00' --json remind
W=$(id $C warn 0)
run k --now '2026-10-27 09:00' remind
U1=$(id $C urge 1)
has "remind's text numbers the 催办单 as show does" "#$U1 催办单  案件 $C  结案期限（国内十五天）"
eq "a second run issues nothing new" "$(k --now '2026-10-27 09:00' --json remind | jq -c 'length')" 0
k --now '2026-10-30 09:00' --json remind >"$TMP/rem.json"
U2=$(id $C urge 2)
eq "remind --json carries the escalation's number, as show does" "$(jq -c "[.[] | select(.id == $U2) | [.case, .kind, .role]]" "$TMP/rem.json")" \
	"[[\"$C\",\"urge\",\"gm\"]]"
OU=$(id $O urge 1)
run k --as guanli show $C
has "show lists the reminders numbered" "── 催办 ──" "#$W " "#$U1 催办单" "#$U2 催办单"

# --- the 催办单 as text ----------------------------------------------------------------
expect 0 "print --reminder (催办单)" k --as guanli print $C --reminder $U1
cp "$TMP/out" "$TMP/u1.txt"
eq "every line of the 催办单 is 78 columns (long Chinese values wrapped)" "$(widths "$TMP/u1.txt")" 78
has "its title, case, clock, due, how late, addressee and the YAML's labels" "催办单" "案件编号：$C" \
	"│ 逾期时限" "结案期限（国内十五天）" "2026-10-27 00:00" "9 小时 0 分钟" "│ 受文部门" "质量管理部" \
	"开单" "客诉系统（定时催办）" "待办事项" "结案" "受文部门签收：" "催办记录 #$U1"
eq "the long customer name is wrapped inside its box" "$(grep -c '华东精密机械有限公司' "$TMP/u1.txt") $(grep -c '代表办公室' "$TMP/u1.txt")" "1 1"
eq "the YAML's order: 案件 group, then 时限, 催办, 回复" \
	"$(grep -o '【[^】]*】' "$TMP/u1.txt" | tr -d '\n')" "【案件】【时限】【催办】【回复】"
expect 0 "print the escalation" k --as guanli print $C --reminder $U2
has "it names the role it goes up to" "总经理"
eq "and its level" "$(grep '催办次数' "$TMP/out" | sed 's/[│ ]//g')" "催办次数2"
run k --as guanli --json print $C --reminder $U1
eq "--json says what was printed" "$(jq -c '[.case, .kind, .reminder]' "$TMP/out")" "[\"$C\",\"reminder\",$U1]"

# --- closed late: the 治办单 ---------------------------------------------------------------
k --as zhijian --now '2026-11-02 09:00' do $C report $RPT loss=100 >/dev/null
k --as yewujingli --now '2026-11-02 10:00' do $C approve decision=同意换货 >/dev/null
k --as qiantai --now '2026-11-02 11:00' do $C reply method=phone accepted=yes >/dev/null
k --as zongjingli --now '2026-11-02 12:00' do $C close >/dev/null
k --now '2026-11-02 14:00' remind >/dev/null
I=$(id $C inquiry 0)
eq "remind issued a 治办单" "$(js guanli $C "[.reminders[] | select(.id == $I) | .kind]")" '["inquiry"]'
expect 0 "print --reminder (治办单)" k --as zongjingli print $C --reminder $I
cp "$TMP/out" "$TMP/i.txt"
eq "every line of the 治办单 is 78 columns" "$(widths "$TMP/i.txt")" 78
has "the 治办单: its title, how late it finished, the blank boxes to answer in" "治办单" "逾期结束" \
	"6 天 12 小时" "逾期原因检讨" "改善对策" "责任部门主管：" "$(js guanli $C .state_label | tr -d '"')"

# --- PDF ------------------------------------------------------------------------------------
expect 0 "the 催办单 as PDF" k --as guanli print $C --reminder $U1 --format pdf -o "$TMP/u1.pdf"
T=$(flat "$TMP/u1.pdf")
case $T in *"$C"*催办单*|*催办单*"$C"*) ok "pdftotext finds the case number and 催办单" ;; *) fail "PDF text: $(printf '%s' "$T" | cut -c1-200)" ;; esac
expect 0 "the 治办单 as PDF" k --as guanli print $C --reminder $I --format pdf -o "$TMP/i.pdf"
T=$(flat "$TMP/i.pdf")
case $T in *治办单*) case $T in *"$C"*) ok "pdftotext finds the case number and 治办单" ;; *) fail "no case in PDF" ;; esac ;;
*) fail "no 治办单 in the PDF: $(printf '%s' "$T" | cut -c1-200)" ;; esac

# --- errors ----------------------------------------------------------------------------------
refuse 5 "another case's reminder" k --as guanli print $C --reminder $OU
err_has "says this case has no such reminder" "案件 $C 没有第 $OU 号催办记录"
refuse 5 "an unknown number" k --as guanli print $C --reminder 99999
refuse 2 "a warning is not a 催办单/治办单" k --as guanli print $C --reminder $W
err_has "and says so" "不是催办单或治办单"
refuse 2 "--reminder 0" k --as guanli print $C --reminder 0
refuse 2 "--reminder abc" k --as guanli print $C --reminder abc
err_has "names the option" "--reminder"
refuse 2 "--reminder with --reply" k --as guanli print $C --reminder $U1 --reply
refuse 2 "--reminder with --form" k --as guanli print $C --reminder $U1 --form complaint
# a data directory made before the reminder forms existed: the error says where the fix is
mv "$D/config/forms/urge_notice.yaml" "$TMP/urge_notice.yaml"
# (expect, not refuse: opening with a changed configuration records its new hash)
expect 5 "the 催办单 form missing from config/forms" k --as guanli print $C --reminder $U1
err_has "names the file and points to kesu doctor" "forms/urge_notice.yaml），无法打印第 $U1 号；kesu doctor 说明如何补上"
mv "$TMP/urge_notice.yaml" "$D/config/forms/urge_notice.yaml"
expect 0 "back in place, it prints" k --as guanli print $C --reminder $U1
refuse 2 "--copy of a form without copies" k --as guanli print $C --reminder $U1 --copy 1
err_has "says the form has no copies" "不分联"
refuse 5 "an unknown case" k --as guanli print 2610-999 --reminder $U1

# --- rights: exactly the visibility of show ----------------------------------------------------
bad=""
for who in $(k --json users | jq -r '.[].login'); do
	run k --as "$who" show $O; a=$rc
	run k --as "$who" print $O --reminder $OU; b=$rc
	[ "$a" = "$b" ] || bad="$bad $who:show=$a,print=$b"
	[ "$a" != 5 ] || hidden=$who
done
eq "print --reminder is refused exactly when show is" "$bad" ""
if [ -n "${hidden:-}" ]; then
	refuse 5 "someone who may not see the case ($hidden)" k --as "$hidden" print $O --reminder $OU
	err_has "is told it does not exist" "$O"
else
	fail "no staff member is refused show of $O: the rights check is untested"
fi

# --- a preset's override: copies, and the vocabulary checked ----------------------------------
cat >"$D/config/forms/urge_notice.yaml" <<'YAML'
form:
  code: urge_notice
  title: 逾期催办通知
  reminder: urge
  copies:
    - {no: 1, holder: gm_prod, purpose: 存查}
    - {no: 2, holder: quality, purpose: 限期回复}
  signatures: [签收]
  items:
    - {key: late, label: 逾期, group: 甲}
    - {key: case, label: 编号, group: 甲}
YAML
expect 0 "an override with copies: copy 2" k --as guanli print $C --reminder $U1 --copy 2
has "its title, the copy's holder and purpose; only its items, in its order" "逾期催办通知（第 2 联）" \
	"第 2 联（共 2 联）    持有部门：质量管理部    用途：限期回复"
eq "items in the override's order" "$(grep -o '│ 逾期 \|│ 编号 ' "$TMP/out" | sed 's/[│ ]//g' | tr -d '\n')" "逾期编号"
eq "no item left from the shipped form" "$(grep -c '受文部门' "$TMP/out")" 0
refuse 5 "a copy it does not have" k --as guanli print $C --reminder $U1 --copy 3
cat >"$D/config/forms/urge_notice.yaml" <<'YAML'
form:
  code: urge_notice
  title: 催办单
  reminder: urgent
  copies:
    - {no: 1, holder: self, purpose: 存}
  items:
    - {key: case, label: 编号}
    - {key: customer_phone, label: 电话}
    - {key: case, label: 再一次}
    - {key: late}
YAML
run k check-config
eq "check-config fails" "$rc" 2
for want in "forms/urge_notice.yaml:4:13: reminder 只能是 urge" "forms/urge_notice.yaml:9:13: 催办/治办表单没有栏目 customer_phone" \
	"forms/urge_notice.yaml:10:13: 栏目 case 在表单中重复" "forms/urge_notice.yaml:11:7: 缺少必需的键 label" \
	"forms/urge_notice.yaml:6:23: 催办/治办表单 urge_notice 第 1 联只能由部门持有"; do
	if grep -qF -- "$want" "$TMP/out" "$TMP/err"; then ok "diagnostic: $want"; else fail "no diagnostic \"$want\""; cat "$TMP/out" "$TMP/err" | head -12; fi
done
cat >"$D/config/forms/urge_notice.yaml" <<'YAML'
form:
  code: urge_notice
  title: 催办单
  reminder: urge
  fields: []
YAML
run k check-config
eq "a reminder form has items, not fields" "$rc $(grep -c 'urge_notice.yaml:5:11: 催办/治办表单（reminder）没有 fields' "$TMP/out" "$TMP/err" | awk -F: '{s += $NF} END {print s}')" "2 1"
cp "$D/config/workflow.yaml" "$TMP/workflow.yaml"
sed -i 's/^      - complaint$/      - escalation_notice/' "$D/config/workflow.yaml"
run k check-config
eq "an action may not issue a reminder form" \
	"$rc $(grep -c 'issues 引用的表单 escalation_notice 是催办/治办表单' "$TMP/out" "$TMP/err" | awk -F: '{s += $NF} END {print s}')" "2 1"
cp "$TMP/workflow.yaml" "$D/config/workflow.yaml"
rm "$D/config/forms/urge_notice.yaml"
run k check-config
k --as guanli show $C >/dev/null # the first open after a configuration change re-times the clocks
eq "without the 催办单 form the configuration is still valid" "$rc" 0
refuse 5 "and printing one says the form is missing" k --as guanli print $C --reminder $U1
err_has "names the file" "forms/urge_notice.yaml"

finish
