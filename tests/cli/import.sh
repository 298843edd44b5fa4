#!/bin/sh
# import.sh — `kesu import`: an old register in GBK whose line 37 has a bad
# date is refused whole (exit 2, the message names line 37 and the column,
# nothing written); fixed, every row comes in with its original number and
# date; headers by key, by label and by an import.yaml alias; a quoted field
# over three lines moves the line numbers of the rows after it; duplicate
# numbers in the file and against the database; who may import; the
# numbering sequence continues after imported numbers.
set -eu
. "$(dirname "$0")/lib.inc"

command -v iconv >/dev/null 2>&1 || { echo "FAIL  iconv is required"; exit 1; }
newdata imp
NOW='2026-03-10 09:00'
I() { _u=$1; shift; k --as "$_u" --now "$NOW" import "$@"; }

# reg.csv: header (line 1), rows on lines 2..41; the row on line 5 has a
# detail over three lines (5-7), so rows after it start two lines later than
# their index suggests. BAD=1 puts an impossible date on line 37.
mkreg() {
	_bad=${1:-0}
	{
		echo '案件编号,登记时间,客户名称,联系方式,渠道,地区,客诉类别,主题,投诉内容,状态,登记人'
		line=2
		n=1
		while [ "$line" -le 41 ]; do
			no=$(printf '2602-%03d' "$n")
			day=$(( (n % 27) + 1 ))
			date=$(printf '2026-02-%02d 09:%02d' "$day" "$((n % 60))")
			[ "$_bad" = 1 ] && [ "$line" = 37 ] && date='2026-02-30 09:00'
			state=受理
			[ $((n % 3)) = 0 ] && state=结案
			if [ "$line" = 5 ]; then
				printf '%s,%s,客户%d,0512-%d,电话,国内,质量异常,主题%d,"第一行, 带逗号\r\n第二行 ""引号""\r\n第三行",%s,李静\r\n' \
					"$no" "$date" "$n" "$n" "$n" "$state"
				line=$((line + 3))
			else
				printf '%s,%s,客户%d,0512-%d,电话,国内,质量异常,主题%d,内容%d,%s,qiantai\r\n' \
					"$no" "$date" "$n" "$n" "$n" "$n" "$state"
				line=$((line + 1))
			fi
			n=$((n + 1))
		done
	} | iconv -f UTF-8 -t GBK >"$TMP/$2"
}
mkreg 1 bad.csv
mkreg 0 good.csv
eq "the register has 41 physical lines" "$(awk 'END { print NR }' "$TMP/good.csv")" 41
ROWS=$(($(grep -c '^2602-' "$TMP/good.csv")))

before=$(db_dump | md5sum)
run I qiantai "$TMP/bad.csv" --encoding GBK
eq "a bad date: exit 2" "$rc" 2
head -n 1 "$TMP/err" | grep -q '^kesu: .*1 行有错误.*没有导入' && ok "summary line" || { fail "summary line"; show_io; }
err_has "the problem names line 37 and the column" "bad.csv:37: 列「登记时间」" "2026-02-30"
eq "only the bad row is listed" "$(grep -c '^bad.csv:' "$TMP/err")" 1
eq "nothing imported" "$(db_dump | md5sum)" "$before"
eq "no cases" "$(count cases)" 0
# the same register with lone CRs for line ends (old Mac exports): the rows
# keep their own line numbers (found by fuzz_import: every row was "line 1")
LC_ALL=C sed 's/\r$//' "$TMP/bad.csv" | LC_ALL=C tr '\n' '\r' >"$TMP/badcr.csv"
run I qiantai "$TMP/badcr.csv" --encoding GBK
eq "CR line ends, a bad date: exit 2" "$rc" 2
err_has "the problem still names line 37" "badcr.csv:37: 列「登记时间」"

run I qiantai "$TMP/good.csv"
eq "GBK without --encoding: exit 2" "$rc" 2
err_has "says how to fix it" "--encoding GBK"

run I qiantai "$TMP/good.csv" --encoding GBK
eq "the fixed register imports: exit 0" "$rc" 0
eq "every row imported" "$(count cases)" "$ROWS"
eq "summary on stdout" "$(cat "$TMP/out")" "导入 $ROWS 件（good.csv）"
eq "original number and date kept" "$(js guanli 2602-004 '[.case, .created]')" '["2602-004","2026-02-05T09:04:00+08:00"]'
eq "multi-line field kept with its line breaks" "$(js guanli 2602-004 '.fields.detail')" '"第一行, 带逗号\n第二行 \"引号\"\n第三行"'
eq "state from the register" "$(js guanli 2602-003 .state)$(js guanli 2602-001 .state)" '"closed""intake"'
eq "registrant recorded, actor is the importer" \
	"$(js guanli 2602-004 '[.registrant, .history[0].actor, .history[0].action, .history[0].fields._import.registrant]')" \
	'["qiantai","qiantai","import","qiantai"]'
eq "the event records the file and line" "$(js guanli 2602-005 '.history[0].fields._import | [.file, .line]')" '["good.csv",8]'
eq "no clocks: in this preset none starts at registration" "$(count deadlines)" 0
run k audit verify
eq "audit chain intact after the import" "$rc" 0
# the numbering continues after the imported numbers
C=$(k --as qiantai --now '2026-02-27 10:00' new customer=甲 contact=1 channel=phone region=domestic category=quality subject=s detail=d)
eq "next number after the imported ones" "$C" "2602-$(printf %03d $((ROWS + 1)))"

# the same file again: every number is already in the database
before=$(db_dump | md5sum)
run I qiantai "$TMP/good.csv" --encoding GBK
eq "again: exit 2" "$rc" 2
err_has "numbers already there" "good.csv:2: 列「案件编号」：案件编号 2602-001 已在数据库中"
eq "again: nothing written" "$(db_dump | md5sum)" "$before"

# headers by key, by an import.yaml alias, duplicate numbers, GB18030
printf 'case,created,customer,contact,channel,region,category,subject,detail\n' >"$TMP/keys.csv"
printf '2601-005,2026-01-05,乙,1,phone,domestic,quality,s,d\n2601-009,2026/1/9 14:30,丙,2,email,foreign,nonquality,s,d\n' >>"$TMP/keys.csv"
run I guanli "$TMP/keys.csv"
eq "header by key, UTF-8: exit 0" "$rc" 0
eq "date with slashes" "$(js guanli 2601-009 .created)" '"2026-01-09T14:30:00+08:00"'
eq "registrant defaults to the importer" "$(js guanli 2601-005 .registrant)" '"guanli"'

printf '序号,编号,受理日期,客户,联系电话,投诉渠道,地区,客诉类别,主题,内容,处理状态,受理人\n' >"$TMP/alias.csv"
printf '1,2512-001,2025-12-01,丁,3,来访,国内,质量异常,s,d,已结案,张明\n2,2512-002,2025-12-02,戊,4,电话,国内,质量异常,s,d,未处理,\n3,2512-001,2025-12-03,己,5,电话,国内,质量异常,s,d,,\n' >>"$TMP/alias.csv"
iconv -f UTF-8 -t GB18030 "$TMP/alias.csv" >"$TMP/alias.gb"
run I qiantai "$TMP/alias.gb" --encoding GB18030
eq "duplicate number in the file: exit 2" "$rc" 2
err_has "duplicate named with both lines" "alias.gb:4: 列「案件编号」：案件编号 2512-001 与第 2 行重复"
sed -i '$d' "$TMP/alias.csv"
iconv -f UTF-8 -t GB18030 "$TMP/alias.csv" >"$TMP/alias.gb"
run I qiantai "$TMP/alias.gb" --encoding GB18030
eq "header by import.yaml alias, GB18030: exit 0" "$rc" 0
eq "alias columns mapped, state word and registrant name" \
	"$(js guanli 2512-001 '[.state, .registrant, .fields.channel, .fields.contact]')" '["closed","guanli","visit","3"]'

# problems listed per row and column, in line order, with the column as written
printf '编号,受理日期,客户,联系电话,投诉渠道,地区,客诉类别,主题,内容,处理状态,被投诉人\n' >"$TMP/many.csv"
printf '2511-001,2025-11-01,a,1,电话,国内,质量异常,s,"两\n行",调查,\n' >>"$TMP/many.csv"
printf '2511-002,2025-11-02,b,1,传真,国内,质量异常,s,d,,nobody\n' >>"$TMP/many.csv"
printf '2511-003,2099-01-01,,1,电话,国内,质量异常,s,d,,\n' >>"$TMP/many.csv"
printf '2511-004,2025-11-04,d\033[31m,1,电话,国内,质量异常,s,d,,\n' >>"$TMP/many.csv"
run I qiantai "$TMP/many.csv"
eq "several bad rows: exit 2" "$rc" 2
err_has "an intermediate state is refused (row on line 2)" "many.csv:2: 列「处理状态」"
err_has "an unknown choice (row on line 4, after a two-line field)" "many.csv:4: 列「投诉渠道」"
err_has "unknown staff" "many.csv:4: 列「被投诉人」" "nobody"
err_has "a date in the future" "many.csv:5: 列「受理日期」"
err_has "a required field empty" "many.csv:5: 列「客户」"
err_has "control characters refused" "many.csv:6: 列「客户」" "控制字符"
grep -q $(printf '\033') "$TMP/err" && fail "escape printed raw" || ok "no raw escape on stderr"
eq "four bad rows" "$(head -n 1 "$TMP/err" | grep -c '4 行有错误')" 1

printf 'case,created,customer,colour\n' >"$TMP/unk.csv"
run I qiantai "$TMP/unk.csv"
eq "unknown and missing columns: exit 2" "$rc" 2
err_has "unknown column named" "unk.csv:1: 列「colour」：不认识的列"
err_has "missing required field column" "缺少必填字段「联系方式」(contact) 的列"

printf 'case,created,customer,contact,channel,region,category,subject,detail\n2601-020,2026-01-20,"未结束,1,phone\n' >"$TMP/q.csv"
run I qiantai "$TMP/q.csv"
eq "unterminated quote: exit 2" "$rc" 2
err_has "unterminated quote: line named" "第 2 行"

# a preset whose clock starts at registration (bank: reply within three
# days): an open imported case runs it from its original date, a finished one
# has none; numbers of the form {YYYY}{MM}{DD}-{SEQ:3}
DM=$D
D=$TMP/bank
"$KESU" --data "$D" init --preset bank >/dev/null
printf 'case,created,customer,contact,channel,subject,detail,state\n' >"$TMP/bank.csv"
printf '20260302-004,2026-03-02 09:00,甲,1,phone,s,d,\n20260302-007,2026-03-02 10:00,乙,2,phone,s,d,closed\n' >>"$TMP/bank.csv"
run k --as liuna --now "$NOW" import "$TMP/bank.csv"
eq "bank import: exit 0" "$rc" 0
eq "the open case's clock starts at its original date; the closed one has none" \
	"$(sqlite3 "$D/kesu.db" "select c.no, d.clock, datetime(d.started_at, 'unixepoch') from deadlines d join cases c on c.id = d.case_id")" \
	"20260302-004|reply3|2026-03-02 01:00:00"
eq "bank: next number on that day" \
	"$(k --as liuna --now '2026-03-02 15:00' new customer=丙 contact=3 channel=phone subject=s detail=d)" 20260302-008
D=$DM

# who may import
refuse 3 "an investigator may not import" I zhijian "$TMP/keys.csv"
err_has "names the roles needed" "没有导入登记表的权限"
refuse 5 "a missing file" I qiantai "$TMP/none.csv"
refuse 2 "no file" I qiantai
refuse 2 "bad encoding" I qiantai "$TMP/keys.csv" --encoding NO-SUCH

# import.yaml is checked like the rest of the configuration
cp "$D/config/import.yaml" "$TMP/import.yaml.bak"
printf 'import:\n  columns:\n    客户: nosuchfield\n  states:\n    做完: review\n  colour: x\n' >"$D/config/import.yaml"
run k check-config
eq "bad import.yaml: check-config fails" "$rc" 2
grep -q 'import.yaml:3:' "$TMP/out" "$TMP/err" && ok "FILE:LINE:COL for a bad column target" || { fail "no import.yaml:3"; show_io; }
grep -q 'import.yaml:5:.*review' "$TMP/out" "$TMP/err" && ok "an intermediate state refused" || fail "no import.yaml:5"
grep -q 'import.yaml:6:.*colour' "$TMP/out" "$TMP/err" && ok "an unknown key refused" || fail "no import.yaml:6"
cp "$TMP/import.yaml.bak" "$D/config/import.yaml"

finish
