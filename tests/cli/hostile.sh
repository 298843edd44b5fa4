#!/bin/sh
# hostile.sh — the hostile-text corpus (issue 7) through every input path, and
# the same bytes already stored (imported or older data) through every output.
# Input: each payload is refused with exit 2, a message naming the field, and
# nothing written — as a `new` argument, an action's field, @FILE and stdin.
# Output: payloads written straight into the database are shown visibly (^[, …)
# and no control byte reaches the terminal or a file: show, show --json, list,
# print (text), print --reply, export csv and json.
set -eu
. "$(dirname "$0")/lib.inc"

NOW='2026-11-02 09:00'
REG="customer=苏州恒达电子 contact=13800000000 channel=visit region=domestic category=quality subject=焊点虚焊 detail=整批返修"

# name | bytes (printf format)
CORPUS='ESC [2J (clear screen)|ab\033[2Jcd
OSC 52 (set the clipboard)|ab\033]52;c;ZWNobyBwd25lZA==\007cd
CSI 21 t (report the window title)|ab\033[21tcd
DCS|ab\033P1$qm\033\\cd
BEL|ab\007cd
C1 CSI (U+009B)|ab\302\2332Jcd
C1 NEL (U+0085)|ab\302\205cd
invalid UTF-8 (0xFF)|ab\377cd
overlong UTF-8 (0xC0 0xAF)|ab\300\257cd
right-to-left override (U+202E)|ab\342\200\256cd
backspace|ab\010cd
DEL|ab\177cd'

newdata hostile
expect 0 "a valid case" k --as qiantai --now "$NOW" new $REG
C=$(cat "$TMP/out")
expect 0 "accept" k --as guanli --now "$NOW" do $C accept
expect 0 "assign" k --as guanli --now "$NOW" do $C assign dept=quality

echo "$CORPUS" | while IFS='|' read -r name fmt; do
	v=$(printf "$fmt")
	refuse 2 "new: customer with $name" k --as qiantai --now "$NOW" new $(echo "$REG" | sed 's/customer=[^ ]*//') "customer=$v"
	err_has "… names 客户名称" 客户名称
	printf "$fmt" >"$TMP/payload"
	refuse 2 "new: detail=@FILE with $name" k --as qiantai --now "$NOW" new $REG "detail=@$TMP/payload"
	err_has "… names 投诉内容" 投诉内容
	STDIN=$TMP/payload
	refuse 2 "new: subject=- (stdin) with $name" k --as qiantai --now "$NOW" new $(echo "$REG" | sed 's/subject=[^ ]*//') subject=-
	STDIN=/dev/null
	refuse 2 "do report: cause with $name" k --as zhijian --now "$NOW" do $C report "cause=$v" process=x responsible=x conclusion=x countermeasure=x prevention=x
	err_has "… names 发生原因" 发生原因
	echo "$npass $nfail" >"$TMP/counts"
done
read npass nfail <"$TMP/counts"
printf 'ab\000cd\n' >"$TMP/nul"
refuse 2 "new: detail=@FILE with a NUL byte" k --as qiantai --now "$NOW" new $REG "detail=@$TMP/nul"
STDIN=$TMP/nul
refuse 2 "new: detail=- (stdin) with a NUL byte" k --as qiantai --now "$NOW" new $REG detail=-
STDIN=/dev/null

# --- already stored: written past kesu, straight into the database ---------------------------
ESC=$(printf '\033')
sqlite3 "$D/kesu.db" "UPDATE cases SET customer = 'x' || char(27) || ']52;c;ZWNobw==' || char(7) || 'y',
	subject = 'a' || char(27) || '[2J' || char(155) || 'b' || char(8238) || 'c',
	fields = json_set(fields, '$.customer', 'x' || char(27) || ']52;c;ZWNobw==' || char(7) || 'y',
	                          '$.detail', 'd' || char(27) || '[21t' || char(133) || 'e')
	WHERE no = '$C'"
clean() { # DESC FILE: no ESC, BEL, C1 (U+0080–U+009F as UTF-8) and no U+202E in FILE; ^[ is there
	if LC_ALL=C grep -q "$(printf '[\033\007\010]')" "$2" || LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$2" ||
		LC_ALL=C grep -q "$(printf '\342\200\256')" "$2"; then
		fail "$1: a control byte reached the output"
		LC_ALL=C grep -n "$(printf '[\033\007]')" "$2" | cat -v | head -3
	elif grep -qF '^[' "$2"; then
		ok "$1: shown as ^["
	else
		fail "$1: the stored escape is not shown visibly"; cat -v "$2" | head -5
	fi
}
k --as guanli show $C >"$TMP/o" 2>&1; clean "show" "$TMP/o"
k --as guanli --json show $C >"$TMP/o" 2>&1; clean "show --json" "$TMP/o"
k --as guanli list >"$TMP/o" 2>&1; clean "list" "$TMP/o"
k --as guanli --json list >"$TMP/o" 2>&1; clean "list --json" "$TMP/o"
k --as guanli print $C >"$TMP/o" 2>&1; clean "print" "$TMP/o"
k --as guanli export --format csv >"$TMP/o" 2>&1; clean "export csv" "$TMP/o"
k --as guanli export --format json >"$TMP/o" 2>&1; clean "export json" "$TMP/o"
finish
