#!/bin/sh
# copies.sh — the paper side: the five copies (联) of the 客户抱怨处理表 issued at
# closure with the right holders and one frozen snapshot; a reopen leaves them alone
# and the second closure issues a second set; `kesu print` lays the form out with every
# line the same display width, long Chinese values wrapped inside their boxes, the
# copy's holder in the footer; `--reply` is the letter to the customer; `kesu copies`
# lists what a department holds.
set -eu
. "$(dirname "$0")/lib.inc"

# Display widths are counted by `wc -L` in a UTF-8 locale (GNU wc uses wcwidth:
# a CJK character is 2 columns, a box-drawing character 1). Check it does.
export LC_ALL=C.UTF-8
if [ "$(printf '客诉ab\n' | wc -L)" != 6 ] || [ "$(printf '┌─┐\n' | wc -L)" != 3 ]; then
	fail "wc -L does not count display width in C.UTF-8 here"
	finish
	exit 1
fi

# widths FILE: the distinct display widths of FILE's lines, one per line
widths() {
	while IFS= read -r _l; do printf '%s\n' "$_l" | wc -L; done <"$1" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality"
LONG="第 3 批齿轮硬度低于图纸要求，客户在来料检验时发现百分之三十的齿轮硬度不足，要求整批换货并赔偿停线损失；\
客户另称此前两批也有类似问题，请质量管理部一并追查热处理记录、炉温曲线和抽检报告，并在十五日内给出书面答复。"
RPT="cause=热处理温度偏低导致表面硬度不足 process=客户来料检验发现硬度不足 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"

newdata c
run k --as qiantai --now '2026-11-02 09:00' new $REG subject=齿轮硬度不足 "detail=$LONG" request=exchange qty=500 defect_qty=pending
eq "registered" "$rc $(cat "$TMP/out")" "0 2611-001"
C=2611-001
k --as guanli --now '2026-11-02 10:00' do $C accept >/dev/null
k --as guanli --now '2026-11-02 11:00' do $C assign dept=quality >/dev/null
k --as zhijian --now '2026-11-04 15:00' do $C report $RPT loss=1234.56 >/dev/null
k --as yewujingli --now '2026-11-05 09:10' do $C approve decision=同意整批换货，运费由我方承担 >/dev/null
k --as qiantai --now '2026-11-05 14:00' do $C reply method=letter accepted=yes answer=已寄出书面答复 >/dev/null

# --- before closure: a draft, no copies -------------------------------------------
expect 0 "print before closure" k --as qiantai print $C
cp "$TMP/out" "$TMP/draft.txt"
eq "the draft is marked 草稿 · 未结案" "$(grep -c '草稿 · 未结案' "$TMP/draft.txt")" 2
eq "every line of the draft is 78 columns" "$(widths "$TMP/draft.txt")" 78
eq "no copies yet" "$(js guanli $C '.copies | length')" 0
refuse 5 "print --copy 1 before closure" k --as qiantai print $C --copy 1

# --- closure issues five copies -----------------------------------------------------
expect 0 "close" k --as zongjingli --now '2026-11-06 10:00' do $C close
eq "five copies: number, holder, round" "$(js guanli $C '[.copies[] | [.copy, .holder, .round]]')" \
	'[[1,"quality",1],[2,"manufacturing",1],[3,"sales",1],[4,"accounting",1],[5,"gm_office",1]]'
eq "holder names and purposes" "$(js guanli $C '[.copies[] | .holder_name + ":" + .purpose]')" \
	'["质量管理部:存","制造部:存","业务部:依批示办理","会计科:存","总经理室:存"]'
eq "issued at the closure, by the closer" "$(js guanli $C '[.copies[] | [.issued, .issued_by]] | unique')" \
	'[["2026-11-06T10:00:00+08:00","zongjingli"]]'
eq "one identical snapshot for all five" \
	"$(sqlite3 "$D/kesu.db" 'select count(*), count(distinct snapshot) from copies')" "5|1"
eq "the snapshot holds the form and the handling" \
	"$(sqlite3 "$D/kesu.db" 'select snapshot from copies limit 1' | jq -c '[.title, .fields.decision, .fields.cause, (.items | length > 20)]')" \
	'["客户抱怨处理表","同意整批换货，运费由我方承担","热处理温度偏低导致表面硬度不足",true]'
sqlite3 "$D/kesu.db" 'select round, copy_no, snapshot from copies order by id' >"$TMP/snap1"
run sqlite3 "$D/kesu.db" "update copies set purpose = 'x'"
eq "the database refuses to change a copy" "$([ "$rc" != 0 ] && echo refused)" refused
run sqlite3 "$D/kesu.db" "delete from copies"
eq "the database refuses to delete a copy" "$([ "$rc" != 0 ] && echo refused) $(count copies)" "refused 5"
run k --as guanli show $C
eq "show lists the copies" "$(grep -c '客户抱怨处理表 第 1 次 第 . 联' "$TMP/out")" 5

# --- printing a copy -----------------------------------------------------------------
expect 0 "print --copy 3" k --as qiantai print $C --copy 3
cp "$TMP/out" "$TMP/copy3.txt"
eq "every line of copy 3 is 78 columns (long Chinese values wrapped)" "$(widths "$TMP/copy3.txt")" 78
eq "the long value took several lines" "$([ "$(grep -c '│              │ ' "$TMP/copy3.txt")" -ge 3 ] && echo yes)" yes
eq "box drawing: top and bottom" "$(head -n 1 "$TMP/copy3.txt" | cut -c1-3)$(tail -n 1 "$TMP/copy3.txt" | cut -c1-3)" "┌└"
eq "title names the copy" "$(grep -c '客户抱怨处理表（第 3 联）' "$TMP/copy3.txt")" 1
eq "case number" "$(grep -c '案件编号：2611-001' "$TMP/copy3.txt")" 1
# the footer: everything after the last field row
sed -n '/答复内容/,$p' "$TMP/copy3.txt" >"$TMP/foot"
eq "footer: copy 3 of 5, holder 业务部, purpose" \
	"$(grep -c '第 3 联（共 5 联）    持有部门：业务部    用途：依批示办理' "$TMP/foot")" 1
eq "footer: issued when and by whom" "$(grep -c '第 1 次发出：2026-11-06 10:00    发出人：吴天成' "$TMP/foot")" 1
eq "footer: signature lines" "$(grep -c '经办：.*审核：.*核准：' "$TMP/foot")" 1
eq "a copy is not a draft" "$(grep -c 草稿 "$TMP/copy3.txt" || true)" 0
eq "copy 1's footer names 质量管理部" \
	"$(k --as zhijian print $C --copy 1 | grep -c '持有部门：质量管理部    用途：存')" 1
expect 0 "print --copy 3 -o FILE" k --as qiantai print $C --copy 3 -o "$TMP/file.txt"
eq "-o writes the same text, nothing on stdout" "$(cmp -s "$TMP/file.txt" "$TMP/copy3.txt" && echo same)$(wc -c <"$TMP/out")" "same0"
eq "print --json wraps the text" "$(k --as qiantai --json print $C --copy 3 | jq -j .text | cmp -s - "$TMP/copy3.txt" && echo same)" same
expect 0 "print without --copy after closure" k --as qiantai print $C
eq "the current data is what was issued: no draft mark" "$(grep -c 草稿 "$TMP/out" || true)" 0

# --- what each department holds ------------------------------------------------------
eq "copies: qiantai's department (业务部) holds copy 3" \
	"$(k --as qiantai --json copies | jq -c '[.[] | [.case, .copy, .holder, .purpose]]')" '[["2611-001",3,"sales","依批示办理"]]'
eq "copies --dept quality" "$(k --as qiantai --json copies --dept quality | jq -c '[.[] | .copy]')" '[1]'
run k --as zongjingli copies
eq "copies in text" "$rc $(grep -c '2611-001 .*第  5 联  第 1 次  存' "$TMP/out")" "0 1"
refuse 2 "copies --dept nowhere" k --as qiantai copies --dept nowhere

# --- the letter to the customer --------------------------------------------------------
expect 0 "print --reply" k --as qiantai --now '2026-11-06 11:00' print $C --reply
cp "$TMP/out" "$TMP/letter.txt"
for _t in '^华东精密机械有限公司：$' '案件编号 2611-001' '同意整批换货，运费由我方承担' '已寄出书面答复' '「齿轮硬度不足」'; do
	eq "letter has $_t" "$(grep -c -- "$_t" "$TMP/letter.txt" | sed 's/^[1-9][0-9]*$/yes/')" yes
done
eq "letter: no internal fields, not the form" \
	"$(grep -c -e '热处理' -e '1,234.56' -e '客户抱怨处理表' -e '│' -e '书信' "$TMP/letter.txt" || true)" 0
eq "letter: signed by the printer's department on the day" "$(tail -n 2 "$TMP/letter.txt" | tr -s ' ' | tr '\n' '|')" " 业务部| 2026年11月06日|"
eq "letter: no line wider than 78" "$([ "$(wc -L <"$TMP/letter.txt")" -le 78 ] && echo ok)" ok

# --- refusals ------------------------------------------------------------------------
refuse 2 "print --format pdf without -o (PDF: tests/cli/pdf.sh)" k --as qiantai print $C --format pdf
err_has "pdf message" "-o FILE"
refuse 2 "print --format html" k --as qiantai print $C --format html
refuse 2 "print --reply --copy 1" k --as qiantai print $C --reply --copy 1
refuse 2 "print --copy x" k --as qiantai print $C --copy x
refuse 5 "print --copy 9" k --as qiantai print $C --copy 9
err_has "names the copies there are" "1 质量管理部" "5 总经理室"
refuse 5 "print an unknown case" k --as qiantai print 2611-999
refuse 2 "print without a case" k --as qiantai print

# --- reopen leaves the copies alone; the second closure issues a second set -------------
expect 0 "reopen" k --as guanli --now '2026-11-09 09:00' do $C reopen reason=客户又发现新批次不良
eq "copies untouched by the reopen" \
	"$(sqlite3 "$D/kesu.db" 'select round, copy_no, snapshot from copies order by id' | cmp -s - "$TMP/snap1" && echo same)" same
eq "show still lists five" "$(js guanli $C '.copies | length')" 5
expect 0 "copy 3 still prints" k --as qiantai print $C --copy 3
eq "copy 3 prints the same paper after the reopen" "$(cmp -s "$TMP/out" "$TMP/copy3.txt" && echo same)" same
run k --as qiantai print $C
eq "the current data is a draft again" "$rc $(grep -c '草稿 · 未结案' "$TMP/out")" "0 2"
refuse 2 "no letter while the case is back in investigation" k --as qiantai print $C --reply

k --as zhiguan --now '2026-11-10 10:00' do $C report cause=新批次模具磨损 process=复查 responsible=二号机 conclusion=属实 \
	countermeasure=换模 prevention=点检 loss=2000 >/dev/null
k --as yewujingli --now '2026-11-10 16:00' do $C approve decision=同意退货 >/dev/null
k --as qiantai --now '2026-11-11 09:00' do $C reply method=phone accepted=yes >/dev/null
expect 0 "second closure" k --as zongjingli --now '2026-11-12 10:00' do $C close
eq "ten copies: round 1 and round 2" "$(js guanli $C '[.copies[] | [.round, .copy]] | group_by(.[0]) | map(length)')" '[5,5]'
eq "round 1 rows unchanged" \
	"$(sqlite3 "$D/kesu.db" 'select round, copy_no, snapshot from copies where round = 1 order by id' | cmp -s - "$TMP/snap1" && echo same)" same
eq "round 2: one snapshot, the new decision" \
	"$(sqlite3 "$D/kesu.db" 'select count(distinct snapshot) from copies where round = 2')$(sqlite3 "$D/kesu.db" 'select snapshot from copies where round = 2 limit 1' | jq -r .fields.decision)" \
	"1同意退货"
expect 0 "print --copy 3: the latest round" k --as qiantai print $C --copy 3
eq "latest copy 3: round 2, new decision, aligned" \
	"$(grep -c -e '第 2 次发出：2026-11-12 10:00' -e '同意退货' "$TMP/out") $(widths "$TMP/out")" "2 78"
expect 0 "print --copy 3 --round 1" k --as qiantai print $C --copy 3 --round 1
eq "round 1 copy 3 is the first paper" "$(cmp -s "$TMP/out" "$TMP/copy3.txt" && echo same)" same
refuse 5 "print --copy 3 --round 3" k --as qiantai print $C --copy 3 --round 3
eq "copies: 业务部 now holds two" "$(k --as qiantai --json copies | jq -c '[.[] | [.copy, .round]]')" '[[3,2],[3,1]]'

# --- configuration: a holder must be a department ---------------------------------------
sed -i 's/holder: accounting/holder: nowhere/' "$D/config/forms/complaint.yaml"
run k check-config
eq "undefined holder: FILE:LINE:COL" "$rc $(grep -c '^forms/complaint.yaml:[0-9]*:[0-9]*: 表单 complaint 第 4 联的持有部门 nowhere 未定义$' "$TMP/out" "$TMP/err" | awk -F: '{ s += $2 } END { print s }')" "2 1"

finish
