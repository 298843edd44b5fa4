#!/bin/sh
# report.sh — `kesu report monthly` on a seeded October 2026: hand-counted
# figures in json; text has the bar charts; csv is UTF-8 with a BOM and
# --encoding GB18030 gives the same table in GB18030 (no BOM).
set -eu
. "$(dirname "$0")/lib.inc"

RPT="cause=热处理温度偏低 process=复查 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=记录"

newdata r
# reg TIME CHANNEL REGION: register a case; prints nothing, sets C
reg() {
	C=$(k --as qiantai --now "$1" new customer=某客户 contact=123 channel=$2 region=$3 category=quality \
		subject=月报测试 detail=内容) || { fail "register at $1"; C=none; }
}
# st LOGIN TIME CASE ACTION ARGS...
st() {
	_u=$1 _t=$2; shift 2
	k --as "$_u" --now "$_t" do "$@" >/dev/null 2>"$TMP/err" || fail "$_u $_t do $*: $(errline)"
}
# path to closed: CASE accept assign report approve reply close (6 times)
through() {
	_c=$1
	st guanli "$2" $_c accept
	st guanli "$3" $_c assign dept=quality
	st zhijian "$4" $_c report $RPT
	st yewujingli "$5" $_c approve decision=同意
	st qiantai "$6" $_c reply method=phone accepted=yes
	st zongjingli "$7" $_c close
}

# 9: registered in September, closed in October, late (close_domestic breached)
reg '2026-09-21 09:00' phone domestic; C9=$C
through $C9 '2026-09-21 10:00' '2026-09-21 11:00' '2026-09-22 09:00' '2026-09-22 10:00' '2026-09-23 09:00' '2026-10-20 10:00'
# 1: closed on time; every clock met
reg '2026-10-01 09:00' phone domestic; C1=$C
through $C1 '2026-10-01 10:00' '2026-10-01 11:00' '2026-10-02 09:00' '2026-10-02 16:00' '2026-10-03 09:00' '2026-10-05 10:00'
# 2: rejected
reg '2026-10-03 09:00' email domestic; C2=$C
st guanli '2026-10-03 10:00' $C2 reject reason=不属于客诉
# 3: accepted, foreign, waits for dispatch: close_foreign overdue at month end
reg '2026-10-05 09:00' letter foreign; C3=$C
st guanli '2026-10-05 10:00' $C3 accept
# 4: report late (report breached), closed late (close_domestic breached)
reg '2026-10-08 09:00' phone domestic; C4=$C
through $C4 '2026-10-08 09:30' '2026-10-08 10:00' '2026-10-20 09:00' '2026-10-21 09:00' '2026-10-22 09:00' '2026-10-28 10:00'
# 5: never accepted
reg '2026-10-10 09:00' visit domestic
# 6: closed on time, then reopened (its report clock runs again: overdue at month end)
reg '2026-10-12 09:00' phone domestic; C6=$C
through $C6 '2026-10-12 09:30' '2026-10-12 10:00' '2026-10-13 09:00' '2026-10-13 10:00' '2026-10-14 09:00' '2026-10-15 10:00'
st qiantai '2026-10-20 09:00' $C6 reopen reason=客户再次投诉
# 7: assigned, never reported: report clock overdue at month end
reg '2026-10-20 09:00' email domestic; C7=$C
st guanli '2026-10-20 10:00' $C7 accept
st guanli '2026-10-20 11:00' $C7 assign dept=quality
# 8: the last minute of October
reg '2026-10-31 23:59' phone domestic
# 10: November: not in October's figures
reg '2026-11-01 00:30' phone domestic
st guanli '2026-11-01 09:00' $C accept

R() { k --as guanli --now '2026-11-05 09:00' report monthly 2026-10 "$@"; }
run R --format json
eq "report --format json exits 0" "$rc" 0
J=$TMP/r.json
cp "$TMP/out" "$J"
eq "received accepted rejected closed open reopened overdue" \
	"$(jq -c '[.received, .accepted, .rejected, .closed, .open_at_end, .reopened, .overdue_at_end]' "$J")" \
	'[8,5,1,4,5,1,3]'
eq "month bounds in the time zone" "$(jq -c '[.from, .to, .as_of]' "$J")" \
	'["2026-10-01T00:00:00+08:00","2026-11-01T00:00:00+08:00","2026-11-01T00:00:00+08:00"]'
eq "by channel, with labels" "$(jq -c '.by.channel.counts | map([.value, .label, .count])' "$J")" \
	'[["phone","电话",4],["email","电子邮件",2],["letter","信函",1],["visit","来访",1]]'
eq "by department" "$(jq -c '.by.dept.counts | map([.value, .count]) | sort' "$J")" '[["gm_prod",4],["quality",4]]'
eq "by region" "$(jq -c '.by.region.counts | map([.value, .count])' "$J")" '[["domestic",7],["foreign",1]]'
eq "every choice field of the intake form has a breakdown" "$(jq -c '.by | keys' "$J")" \
	'["category","channel","dept","region","request"]'
eq "request not given: one group without a value" "$(jq -c '.by.request.counts' "$J")" \
	'[{"value":null,"label":"（未填）","count":8}]'
eq "clocks stopped in October: met, breached, rate" \
	"$(jq -c '.clocks | map([.clock, .met, .breached, .on_time_rate])' "$J")" \
	'[["close_domestic",2,2,0.5],["opinion",3,0,1],["report",1,1,0.5]]'
# closed in October: 1 (4 d 1 h), 4 (20 d 1 h), 6 (3 d 1 h), 9 (29 d 1 h)
eq "handling days: cases, average, p90" "$(jq -c '.handling_days | [.cases, .average, .p90]' "$J")" '[4,14,29]'
eq "--json is --format json" "$(k --as guanli --now '2026-11-05 09:00' --json report monthly 2026-10 | jq -c .received)" 8

# the running month counts up to now
eq "November so far" "$(R >/dev/null; k --as guanli --now '2026-11-05 09:00' --json report monthly 2026-11 | jq -c '[.received, .accepted, .as_of]')" \
	'[1,1,"2026-11-05T09:00:00+08:00"]'

# text
run R
eq "text exits 0" "$rc" 0
grep -q "本月登记 *8  █" "$TMP/out" && ok "text: received with a bar" || { fail "text: no received line"; show_io; }
grep -q "电话 *4  ██████████████████████████████$" "$TMP/out" && ok "text: the largest group has the full bar" ||
	fail "text: bar of 电话"
grep -q "电子邮件 *2  ███████████████$" "$TMP/out" && ok "text: half the largest, half the bar" || fail "text: bar of 电子邮件"
grep -q "50.0%" "$TMP/out" && ok "text: on-time rate" || fail "text: no on-time rate"

# csv
run R --format csv
eq "csv exits 0" "$rc" 0
cp "$TMP/out" "$TMP/r.csv"
eq "csv starts with the UTF-8 BOM" "$(head -c 3 "$TMP/r.csv" | od -An -tx1 | tr -d ' ')" efbbbf
grep -q '^概况,本月登记,received,8' "$TMP/r.csv" && ok "csv: received row" || fail "csv: no received row"
grep -q '^渠道,电话,phone,4' "$TMP/r.csv" && ok "csv: channel row" || fail "csv: no channel row"
run R --format csv --encoding GB18030
eq "csv GB18030 exits 0" "$rc" 0
cp "$TMP/out" "$TMP/r.gb"
[ "$(head -c 3 "$TMP/r.gb" | od -An -tx1 | tr -d ' ')" != efbbbf ] && ok "GB18030 csv has no BOM" || fail "GB18030 csv has a BOM"
if command -v iconv >/dev/null 2>&1; then
	iconv -f GB18030 -t UTF-8 "$TMP/r.gb" >"$TMP/r.back" && tail -c +4 "$TMP/r.csv" | cmp -s - "$TMP/r.back" &&
		ok "GB18030 csv converts back to the UTF-8 csv" || fail "GB18030 csv does not convert back"
else
	ok "iconv not installed: conversion check skipped"
fi
eq "GB18030 csv has as many lines as the UTF-8 one" "$(grep -c . "$TMP/r.back" 2>/dev/null || echo 0)" "$(grep -c . "$TMP/r.csv")"

# errors
refuse 2 "bad month" k --as guanli report monthly 2026-13
refuse 2 "no month" k --as guanli report monthly
refuse 2 "bad format" R --format xml
refuse 2 "bad encoding" R --encoding NO-SUCH-ENCODING
refuse 2 "not monthly" k --as guanli report yearly 2026

finish
