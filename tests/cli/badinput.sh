#!/bin/sh
# shellcheck disable=SC2046 # $(base …) is split into KEY=VALUE arguments on purpose
# badinput.sh — invalid values are refused with exit 2, a "kesu: …" message that names
# the field, and nothing written; global usage errors; init over an existing
# directory; check-config on a broken staff.yaml.
set -eu
. "$(dirname "$0")/lib.inc"

NOW='2026-11-02 09:00'
# the valid registration, minus the fields under test
base() { # KEY-TO-LEAVE-OUT...
	for kv in customer=温州华美鞋业 contact=0577-888888 channel=letter region=domestic category=quality \
		subject=鞋底开胶 detail=穿着一周后开胶; do
		for key; do case $kv in "$key="*) continue 2 ;; esac; done
		printf '%s\n' "$kv"
	done
}
# bad LABEL KEY DESC [KEY=VALUE]: `new` with KEY=VALUE instead of the valid value is refused
bad() {
	_label=$1 _key=$2 _desc=$3
	shift 3 # what is left: the bad KEY=VALUE, or nothing
	refuse 2 "new with $_desc" k --as qiantai --now "$NOW" new $(base "$_key") "$@"
	err_names_field "$_label" "$_key"
}

newdata bad

# --- the valid registration is accepted (so each refusal below is for its one bad value)
expect 0 "new with valid values" k --as qiantai --now "$NOW" new $(base none)
eq "it is 2611-001" "$(cat "$TMP/out")" 2611-001

# --- values -------------------------------------------------------------------------------
bad 客户名称 customer "an escape sequence (ESC [2J)" "customer=$(printf 'ab\033[2Jcd')"
bad 客户名称 customer "invalid UTF-8 (0xFF)" "customer=$(printf 'ab\377cd')"
bad 客户名称 customer "a right-to-left override (U+202E)" "customer=$(printf 'ab\342\200\256cd')"
bad 主题 subject "a bell (BEL) in the subject" "subject=$(printf 'ab\007cd')"
head -c 1048577 /dev/zero | tr '\0' 'x' >"$TMP/big.txt"
eq "the 1 MB + 1 file has 1048577 bytes" "$(wc -c <"$TMP/big.txt" | tr -d ' ')" 1048577
bad 主题 subject "subject=@FILE of 1,048,577 bytes" "subject=@$TMP/big.txt"
head -c 1048576 /dev/zero | tr '\0' 'y' >"$TMP/mega.txt"
bad 投诉内容 detail "detail=@FILE of 1,048,576 bytes" "detail=@$TMP/mega.txt"
bad 客户名称 customer "@FILE that does not exist" "customer=@$TMP/no-such-file"
bad color color "an unknown key" "color=red"
bad 客户名称 customer "customer missing (required)"
bad 客户名称 customer "customer empty (required)" "customer="
bad 渠道 channel "a bad choice (channel=fax)" "channel=fax"
bad 交运日期 ship_date "a bad date (ship_date=2026-02-30)" "ship_date=2026-02-30"
bad 交运日期 ship_date "a bad date (ship_date=2026/10/20)" "ship_date=2026/10/20"
bad 数量 qty "a bad number (qty=abc)" "qty=abc"
bad 数量 qty "a number that is not an integer (qty=1.5)" "qty=1.5"
bad 不良数量 defect_qty "a negative number (defect_qty=-3)" "defect_qty=-3"

# --- a value from standard input ------------------------------------------------------------
printf 'ab\033[2Jcd\n' >"$TMP/esc.txt"
printf '\377\376\n' >"$TMP/bin.txt"
printf '上海\n' >"$TMP/ok.txt"
STDIN=$TMP/esc.txt
bad 客户名称 customer "customer=- with an escape sequence on stdin" customer=-
STDIN=$TMP/bin.txt
bad 投诉内容 detail "detail=- with invalid UTF-8 on stdin" detail=-
STDIN=$TMP/ok.txt
refuse 2 "two values from stdin (customer=- contact=-)" \
	k --as qiantai --now "$NOW" new $(base customer contact) customer=- contact=-
run k --as qiantai --now "$NOW" new $(base detail) detail=-
STDIN=/dev/null
eq "detail=- with a valid value on stdin is accepted" "$rc $(cat "$TMP/out")" "0 2611-002"
eq "the value read from stdin, without its newline" "$(js guanli 2611-002 .fields.detail)" '"上海"'

# --- money, on the report of a case under investigation ---------------------------------------
expect 0 "guanli: accept 2611-001" k --as guanli --now '2026-11-02 10:00' do 2611-001 accept
refuse 2 "assign to an undefined department" k --as guanli --now '2026-11-02 10:30' do 2611-001 assign dept=nowhere
err_names_field 调查部门 dept
expect 0 "guanli: assign 2611-001" k --as guanli --now '2026-11-02 10:30' do 2611-001 assign dept=quality
RPT="cause=胶水过期 process=抽检 responsible=成型车间 conclusion=属实 countermeasure=换胶 prevention=来料检验"
CI=2611-001
# a wrongly accepted report moves the case on: continue with a new case under investigation
ensure_investigation() {
	[ "$(js guanli $CI .state)" = '"investigation"' ] && return 0
	CI=$(k --as qiantai --now "$NOW" new $(base none))
	k --as guanli --now "$NOW" do "$CI" accept >/dev/null
	k --as guanli --now "$NOW" do "$CI" assign dept=quality >/dev/null
	echo "      (continuing with $CI)"
}
# "1,5" is 1.50 written with a decimal comma: it must not become 15 元
for loss in 1.234 0.001 -1 1e3 abc 1,5 12,34.5; do
	ensure_investigation
	refuse 2 "report with loss=$loss" k --as zhijian --now '2026-11-03 09:00' do $CI report $RPT loss=$loss
	err_names_field 客诉损失金额 loss
done
ensure_investigation
refuse 2 "report with prod_date=2026-13-01" \
	k --as zhijian --now '2026-11-03 09:00' do $CI report $RPT prod_date=2026-13-01
err_names_field 生产日期 prod_date
refuse 2 "report with an argument that is not KEY=VALUE" \
	k --as zhijian --now '2026-11-03 09:00' do $CI report $RPT loss
expect 0 "report with loss=1234.5" k --as zhijian --now '2026-11-03 09:00' do $CI report $RPT loss=1234.5
eq "loss=1234.5 is 123450 fen" "$(js guanli $CI .fields.loss)" 123450

# --- global usage errors ------------------------------------------------------------------------
refuse 2 "an unknown command" k --as guanli frobnicate
refuse 2 "an unknown global option" "$KESU" --data "$D" --frobnicate list
refuse 2 "--now in a wrong format" k --as qiantai --now '2026-11-02T09:00' new $(base none)
refuse 2 "--now with a date that does not exist" k --as qiantai --now '2026-02-30 09:00' new $(base none)

# init over an existing directory: exit 2, directory untouched
snap_dir() { (cd "$1" && find . -exec ls -ld --time-style=+%s.%N {} + | sort && find . -type f -exec cksum {} + | sort); }
snap_dir "$D" >"$TMP/dir.before"
run "$KESU" --data "$D" init
eq "init over an existing data directory exits 2, one 'kesu: …' line" "$rc $(awk 'END { print NR }' "$TMP/err") $(cut -c1-6 "$TMP/err")" "2 1 kesu: "
snap_dir "$D" >"$TMP/dir.after"
if cmp -s "$TMP/dir.before" "$TMP/dir.after"; then ok "the data directory is untouched"; else
	fail "init changed the data directory:"; diff "$TMP/dir.before" "$TMP/dir.after" | head -10
fi
mkdir "$TMP/empty"
run "$KESU" --data "$TMP/empty" init
eq "init over an existing empty directory exits 2" "$rc" 2
eq "the empty directory stays empty" "$(ls -A "$TMP/empty")" ""

# check-config on a broken staff.yaml -------------------------------------------------------------
cp -R "$D" "$TMP/broken"
S=$TMP/broken/config/staff.yaml
expect 0 "check-config on the intact copy" "$KESU" --data "$TMP/broken" check-config
# under guanli: an unknown key after "name:", and dept changed to an undefined department
awk '{ print }
     /login: guanli/ { g = 1 }
     g && /^ *name:/ { print "    nickname: 小张"; g = 0 }' "$S" >"$S.new"
sed 's/^\(    dept: \)gm_prod$/\1nowhere/' "$S.new" >"$S"
rm "$S.new"
key_line=$(grep -n '^    nickname: 小张$' "$S" | cut -d: -f1)
dept_line=$(grep -n '^    dept: nowhere$' "$S" | cut -d: -f1)
eq "staff.yaml is broken in two places" "$(grep -c -e nickname -e nowhere "$S")" 2
rc=0
"$KESU" --data "$TMP/broken" check-config >"$TMP/cc" 2>&1 || rc=$?
sed 's/^/        /' "$TMP/cc"
eq "check-config on the broken config exits 2" "$rc" 2
if grep -qE "^staff\.yaml:$key_line:[0-9]+: .*nickname" "$TMP/cc"; then
	ok "the unknown key is reported as staff.yaml:$key_line:COL: … nickname"
else fail "no line 'staff.yaml:$key_line:COL: … nickname'"; fi
if grep -qE "^staff\.yaml:$dept_line:[0-9]+: .*nowhere" "$TMP/cc"; then
	ok "the undefined department is reported as staff.yaml:$dept_line:COL: … nowhere"
else fail "no line 'staff.yaml:$dept_line:COL: … nowhere' (the line of 'dept: nowhere')"; fi
D=$TMP/broken
refuse 2 "another command with the broken config" k --as qiantai list

finish
