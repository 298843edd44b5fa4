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

# weekly: ISO week 2026-W41 = Monday 5 October to Monday 12 October.
# Registered: 3 (letter, foreign), 4 (phone), 5 (visit) -> 3; accepted before
# the week's end: 3 and 4 -> 2; rejected 0; closed in the week: 1 (5 Oct) ->
# 1; open at the end: 9, 3, 4, 5 -> 4; reopened 0; overdue at the end: 9's
# close_domestic (from 21 Sep, fifteen days, past the holidays) -> 1; clocks
# stopped: 1's close_domestic, met; handling: 1 (4 d 1 h).
W() { k --as guanli --now '2026-11-05 09:00' report weekly "$@"; }
run W 2026-W41 --format json
eq "weekly json exits 0" "$rc" 0
cp "$TMP/out" "$TMP/w.json"
eq "week and bounds" "$(jq -c '[.week, .from, .to]' "$TMP/w.json")" \
	'["2026-W41","2026-10-05T00:00:00+08:00","2026-10-12T00:00:00+08:00"]'
eq "weekly received accepted rejected closed open reopened overdue" \
	"$(jq -c '[.received, .accepted, .rejected, .closed, .open_at_end, .reopened, .overdue_at_end]' "$TMP/w.json")" \
	'[3,2,0,1,4,0,1]'
eq "weekly by channel" "$(jq -c '.by.channel.counts | map([.value, .count]) | sort' "$TMP/w.json")" \
	'[["letter",1],["phone",1],["visit",1]]'
eq "weekly by region" "$(jq -c '.by.region.counts | map([.value, .count]) | sort' "$TMP/w.json")" '[["domestic",2],["foreign",1]]'
eq "weekly clocks" "$(jq -c '.clocks | map([.clock, .met, .breached])' "$TMP/w.json")" '[["close_domestic",1,0]]'
eq "weekly handling days" "$(jq -c '.handling_days | [.cases, .average, .p90]' "$TMP/w.json")" '[1,4,4]'
run W 2026-W41
grep -q "客诉周统计报表 2026-W41" "$TMP/out" && grep -q "本周登记 *3  █" "$TMP/out" && ok "weekly text: title and week labels" ||
	{ fail "weekly text"; show_io; }
run W 2026-W41 --format csv
grep -q '^报表,周,week,2026-W41' "$TMP/out" && grep -q '^概况,周末未结,open_at_end,4' "$TMP/out" && ok "weekly csv" ||
	{ fail "weekly csv"; show_io; }
eq "week 1 of 2026 starts on 29 December 2025" \
	"$(W 2026-W01 --format json | jq -r .from)" "2025-12-29T00:00:00+08:00"
eq "2026 has a week 53" "$(W 2026-W53 --format json | jq -r .to)" "2027-01-04T00:00:00+08:00"
refuse 2 "2025 has no week 53" W 2025-W53
refuse 2 "week 0" W 2026-W00
refuse 2 "not an ISO week" W 2026-41

# html: one self-contained page with the same figures, checked for
# well-formedness (it is XHTML-compatible) and opened in headless Chromium
run R --format html
eq "html exits 0" "$rc" 0
H=$TMP/r.html
cp "$TMP/out" "$H"
if python3 - "$H" <<'PY'
import sys, xml.dom.minidom
xml.dom.minidom.parse(sys.argv[1])
PY
then ok "html is well-formed"; else fail "html is not well-formed"; fi
grep -q '@page { size: A4' "$H" && ok "A4 print css" || fail "no @page A4"
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$H" && ok "inline svg charts" || fail "no svg"
grep -Eiq '<script|<link|src=|href=|url\(|@import' "$H" && fail "html refers to something outside or has a script" ||
	ok "no scripts and no external resources"
for f in received:8 accepted:5 rejected:1 closed:4 open_at_end:5 reopened:1 overdue_at_end:3; do
	grep -q "<tr id=\"${f%%:*}\"><th>[^<]*</th><td class=\"n\">${f#*:}</td></tr>" "$H" || fail "html figure $f"
done
ok "html summary figures as in json"
grep -q '<td>电话</td><td class="n">4</td><td class="n">50.0%</td>' "$H" && ok "html breakdown with ratio" ||
	fail "html breakdown row"
grep -q '<td>调查报告（三天内）</td><td class="n">1</td><td class="n">1</td><td class="n">50.0%</td>' "$H" &&
	ok "html on-time rate" || fail "html clock row"
refuse 2 "html only in UTF-8" R --format html --encoding GB18030
run W 2026-W41 --format html
grep -q '<tr id="open_at_end"><th>周末未结</th><td class="n">4</td></tr>' "$TMP/out" && ok "weekly html" || fail "weekly html"

if command -v chromium >/dev/null 2>&1; then
	CH="chromium --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir=$TMP/chromium"
	rm -f "$TMP/shot.png"
	$CH --enable-logging=stderr --v=0 --window-size=1240,1754 --screenshot="$TMP/shot.png" "file://$H" \
		>"$TMP/chr.out" 2>"$TMP/chr.err" || true
	[ -s "$TMP/shot.png" ] && [ "$(head -c 8 "$TMP/shot.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] &&
		ok "chromium screenshot is a PNG" || { fail "no screenshot"; tail -n 5 "$TMP/chr.err"; }
	if grep -E 'CONSOLE|Uncaught|Failed to load|ERR_FILE_NOT_FOUND|net::ERR' "$TMP/chr.err" >"$TMP/chr.bad"; then
		fail "chromium console shows errors: $(head -n 3 "$TMP/chr.bad")"
	else
		ok "no console errors in chromium"
	fi
	$CH --dump-dom "file://$H" >"$TMP/dom.html" 2>/dev/null || true
	grep -q '<tr id="received"><th>本月登记</th><td class="n">8</td></tr>' "$TMP/dom.html" &&
		ok "chromium's DOM has the figures" || fail "chromium DOM lacks the figures"
	rm -f "$TMP/r.pdf"
	$CH --print-to-pdf="$TMP/r.pdf" "file://$H" >/dev/null 2>&1 || true
	[ "$(head -c 5 "$TMP/r.pdf" 2>/dev/null)" = "%PDF-" ] && ok "prints to PDF" || fail "no PDF from chromium"
	if command -v pdfinfo >/dev/null 2>&1; then
		pdfinfo "$TMP/r.pdf" | grep -q 'Page size:.*(A4)' && ok "printed on A4" || fail "PDF not A4: $(pdfinfo "$TMP/r.pdf" | grep 'Page size')"
	fi
else
	fail "chromium is not installed (make deps installs it)"
fi

# the 月报表 form (forms/monthly_report.yaml) decides the sections' order and
# labels of text, csv and html; json stays complete; weekly keeps the default
F=$D/config/forms/monthly_report.yaml
grep -q 'code: monthly_report' "$F" && ok "init ships the 月报表 form" || fail "no forms/monthly_report.yaml after init"
cp "$F" "$TMP/mr.orig"
cat >"$F" <<'YAML'
form:
  code: monthly_report
  title: 投诉/咨询信息月报表
  sections:
    - {figure: closed, label: 结案件数}
    - {figure: received, label: 受理件数}
    - {figure: by_channel, label: 来诉渠道}
    - {figure: on_time, label: 各时限按时率}
YAML
run R
eq "reordered form: text exits 0" "$rc" 0
grep -q '^投诉/咨询信息月报表 2026-10' "$TMP/out" && ok "text title from the form" || { fail "text title"; show_io; }
eq "text: closed before received, renamed" "$(grep -E '^  (结案件数|受理件数) ' "$TMP/out" | awk '{print $1 $2}' | tr '\n' ' ')" \
	"结案件数4 受理件数8 "
grep -q '^按来诉渠道（本月登记）' "$TMP/out" && ok "text: breakdown label from the form" || fail "text: breakdown label"
grep -q '^各时限按时率（本月停止的时限）' "$TMP/out" && ok "text: on-time heading from the form" || fail "text: on-time heading"
grep -qE '^  本月登记|^按地区|^按部门|^处理天数|其中已受理' "$TMP/out" && fail "text prints a figure the form leaves out" ||
	ok "text: figures left out are not printed"
run R --format csv
eq "csv follows the form" "$(tail -n +4 "$TMP/out" | cut -d, -f1-3 | head -n 4 | tr -d '\r' | tr '\n' ' ')" \
	"概况,结案件数,closed 概况,受理件数,received 来诉渠道,电话,phone 来诉渠道,电子邮件,email "
grep -q '^渠道,\|^处理天数,\|^地区,' "$TMP/out" && fail "csv has sections the form leaves out" || ok "csv: only the form's sections"
run R --format html
grep -q '<tr id="closed"><th>结案件数</th><td class="n">4</td></tr>' "$TMP/out" && ok "html: renamed figure" || fail "html label"
eq "html section order" "$(grep -o '<section[^>]*id="[^"]*"' "$TMP/out" | sed 's/.*id="//; s/"$//' | tr '\n' ' ')" \
	"summary by-channel clocks "
eq "json stays complete" "$(R --format json | jq -c '[.received, .reopened, (.by | keys | length), .handling_days.cases]')" '[8,1,5,4]'
run W 2026-W41
grep -q "本周登记 *3  █" "$TMP/out" && grep -q '^按地区' "$TMP/out" && ok "weekly keeps the built-in layout" || fail "weekly layout"

# an unknown figure key and a missing label: check-config errors with file:line:col
cat >"$F" <<'YAML'
form:
  code: monthly_report
  title: 投诉/咨询信息月报表
  sections:
    - {figure: received, label: 受理件数}
    - {figure: complaints_per_moon, label: 月亮}
    - {figure: by_region}
YAML
run k check-config
[ "$rc" -ne 0 ] && ok "unknown figure: check-config fails ($rc)" || fail "check-config accepted an unknown figure"
grep -q 'forms/monthly_report.yaml:6:16: 未知的统计项 complaints_per_moon' "$TMP/out" && ok "unknown figure at file:line:col" ||
	{ fail "no file:line:col for the unknown figure"; show_io; }
grep -q 'forms/monthly_report.yaml:7:7: 缺少必需的键 label' "$TMP/out" && ok "missing label at file:line:col" ||
	{ fail "no file:line:col for the missing label"; show_io; }
# without the file: the built-in order, as before
rm -f "$F"
run R
grep -q '^客诉月度统计报表 2026-10' "$TMP/out" && grep -q "本月登记 *8  █" "$TMP/out" && grep -q '^处理天数' "$TMP/out" &&
	ok "no 月报表 form: built-in layout" || { fail "built-in layout"; show_io; }
cp "$TMP/mr.orig" "$F"

finish
