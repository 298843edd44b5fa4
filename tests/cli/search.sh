#!/bin/sh
# search.sh — `kesu search`: Chinese terms of 1, 2, 3 and 5 characters (and texts
# holding every character of a term but not together, which must not match), case,
# phone and order numbers, full-width input, several terms, highlighted snippets in
# text and JSON output, --limit, the index following `do`, and refused queries.
set -eu
. "$(dirname "$0")/lib.inc"

REG="channel=phone region=domestic category=quality"

newdata s

# reg TIME CUSTOMER CONTACT SUBJECT DETAIL [KEY=VALUE...]: register, expect the number NO
reg() {
	_t=$1 _cu=$2 _co=$3 _su=$4 _de=$5; shift 5
	run k --as qiantai --now "$_t" new $REG "customer=$_cu" "contact=$_co" "subject=$_su" "detail=$_de" "$@"
	[ "$rc" = 0 ] || { fail "register $_su: exit $rc $(errline)"; show_io; }
}
reg '2026-11-02 09:00' 华东精密机械有限公司 0512-66881234 外壳开裂 客户投诉外壳开裂，要求退货 order_no=PO-2026-118
reg '2026-11-03 09:00' 苏州电子厂 13800138000 质量问题 投入生产后发现问题，准备提起诉讼
reg '2026-11-04 09:00' 杭州水务 0571-5550001 接口漏水 水管接口漏水，服务态度很差 request=return
reg '2026-11-05 09:00' 无锡齿轮厂 0510-5550003 硬度不足 热处理温度偏低导致硬度不足
reg '2026-11-06 09:00' 常州电器 0519-5550004 热水器 处理热水器的漏电问题
reg '2026-11-07 09:00' 南通纺织 0513-5550005 答复 客户不接受答复
reg '2026-11-08 09:00' 扬州机电 0514-5550006 说法 不接受客户的说法
eq "seven cases, each with an index row" "$(count cases)" 7

# finds QUERY... : the case numbers found (JSON, sorted), space-separated
finds() { k --as guanli --json search "$@" | jq -r '[.[].case] | sort | join(" ")'; }

eq "1 character 漏"             "$(finds 漏)"          "2611-003 2611-005"
eq "1 character 诉"             "$(finds 诉)"          "2611-001 2611-002"
eq "2 characters 投诉 (not 投入…诉讼)" "$(finds 投诉)" "2611-001"
eq "2 characters 态度"          "$(finds 态度)"        "2611-003"
eq "2 characters 退货 (text, and the 客户要求 label)" "$(finds 退货)" "2611-001 2611-003"
eq "3 characters 热处理 (not 处理热)" "$(finds 热处理)" "2611-004"
eq "5 characters 客户不接受 (not 不接受客户)" "$(finds 客户不接受)" "2611-006"
eq "case number"                "$(finds 2611-002)"    "2611-002"
eq "case number, full-width"    "$(finds ２６１１－００２)" "2611-002"
eq "case number is exact"       "$(finds 2611-02)"     ""
eq "phone number"               "$(finds 0512-66881234)" "2611-001"
eq "mobile number"              "$(finds 13800138000)" "2611-002"
eq "no prefix matching"         "$(finds 1380013)"     ""
eq "order number, any case"     "$(finds po-2026-118)" "2611-001"
eq "order number, full-width"   "$(finds ＰＯ－２０２６－１１８)" "2611-001"
eq "two terms: both must match" "$(finds 退货 漏水)"   "2611-003"
eq "two terms in one argument"  "$(finds '电话，漏')"  "2611-003 2611-005"
eq "FTS5 syntax is text"        "$(finds '投诉 OR 漏')" ""
eq "FTS5 syntax is text (2)"    "$(finds '(投诉' '*' '"')" "2611-001"

# --- text output ------------------------------------------------------------------
run k --as guanli search 投诉
eq "text: exit 0, one line" "$rc $(awk 'END { print NR }' "$TMP/out")" "0 1"
line=$(cat "$TMP/out")
case $line in
"2611-001   受理"*"华东精密机械有限公司"*"外壳开裂"*"客户【投诉】外壳"*) ok "text: number, state, customer, subject, highlighted snippet" ;;
*) fail "text line: [$line]" ;;
esac
run k --as guanli search 没有这样的内容
eq "text: nothing found" "$rc $(cat "$TMP/out")" "0 （没有找到匹配的案件）"
run k --as guanli --json search 没有这样的内容
eq "json: nothing found is []" "$rc $(jq -c . "$TMP/out")" "0 []"

# --- JSON ---------------------------------------------------------------------------
eq "json keys" "$(k --as guanli --json search 漏 | jq -c '.[0] | keys')" \
	'["case","customer","rank","snippet","state","state_label","subject"]'
eq "json: snippet marks exactly the term" "$(k --as guanli --json search 客户投诉 | jq -r '.[0].snippet' | grep -o '【[^】]*】')" "【客户投诉】"
# the rank is computed only with --rank (it walks every match): null without
eq "json: rank is null newest first" "$(k --as guanli --json search 漏 | jq -c '[.[].rank | type] | unique')" '["null"]'
eq "json --rank: rank is a number" "$(k --as guanli --json search 漏 --rank | jq -c '[.[].rank | type] | unique')" '["number"]'
eq "--limit" "$(k --as guanli --json search 2611 --limit 2 | jq length)" 2
# newest first (issue 10): not by rank — 2611-003 has 漏 twice, 2611-005 once
eq "order: newest first" "$(k --as guanli --json search 漏 | jq -r '[.[].case] | join(" ")')" "2611-005 2611-003"
eq "--rank: by relevance (bm25), the case with 漏 twice first" \
	"$(k --as guanli --json search 漏 --rank | jq -r '[.[].case] | join(" ")')" "2611-003 2611-005"
eq "--rank: ranks ascending (bm25: lower is better)" \
	"$(k --as guanli --json search 漏 --rank | jq -r '.[0].rank <= .[1].rank')" true
expect 2 "--rank=x is not an option" k --as guanli search 漏 --rank=x
eq "order: --limit keeps the newest" "$(k --as guanli --json search 2611 --limit 2 | jq -r '[.[].case] | join(" ")')" \
	"2611-007 2611-006"
eq "without --limit: up to 20" "$(k --as guanli --json search 2611 | jq length)" 7

# --- the index follows actions --------------------------------------------------------
eq "法院: nothing yet" "$(finds 法院)" ""
expect 0 "reject with a reason" k --as guanli --now '2026-11-09 10:00' do 2611-002 reject reason=已由法院受理
eq "法院: found after the action" "$(finds 法院)" "2611-002"
eq "state in JSON follows" "$(k --as guanli --json search 法院 | jq -r '.[0].state')" rejected

# --- refused ----------------------------------------------------------------------------
refuse 2 "no text" k --as guanli search
refuse 2 "empty text" k --as guanli search ''
refuse 2 "only spaces" k --as guanli search '   ' '　'
refuse 2 "only punctuation" k --as guanli search '！？。'
refuse 2 "escape sequence" k --as guanli search "$(printf '\033[31m投诉')"
err_has "names the control character" "控制字符"
refuse 2 "bad --limit" k --as guanli search 投诉 --limit 0
refuse 2 "unknown option" k --as guanli search 投诉 --fast
expect 0 "-- ends the options" k --as guanli search -- --limit

# --- a database from before the index (schema version 2, one case) ------------------
newdata old
rm -f "$D/kesu.db" "$D/kesu.db-wal" "$D/kesu.db-shm"
cat "$SRC/schema/001_init.sql" "$SRC/schema/002_clocks.sql" | sqlite3 "$D/kesu.db"
sqlite3 "$D/kesu.db" "PRAGMA user_version = 2; INSERT INTO cases(no, state, registrant, customer, subject, fields,
	created_at, updated_at, updated_by, version) VALUES ('2610-007', 'intake', 'qiantai', '旧客户', '旧案件',
	'{\"detail\":\"发动机漏油\",\"channel\":\"letter\"}', 1790000000, 1790000000, 'qiantai', 1)"
eq "old database: backfill pending after the upgrade" \
	"$(k --as guanli list >/dev/null && sqlite3 "$D/kesu.db" "SELECT value FROM meta WHERE key = 'search_backfill'")" pending
eq "old database: its case is found" "$(finds 漏油)" "2610-007"
eq "old database: by a choice label" "$(finds 信函)" "2610-007"
eq "old database: backfill done" "$(sqlite3 "$D/kesu.db" "SELECT value FROM meta WHERE key = 'search_backfill'")" done

finish
