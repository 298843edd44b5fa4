#!/bin/sh
# export.sh — `kesu export`: RFC 4180 csv (a value with a comma, a quote and a
# line break round-trips through sqlite3's csv import), json, GB18030, and only
# the cases the caller may see (the person complained about does not get the
# case).
set -eu
. "$(dirname "$0")/lib.inc"

newdata e
printf '第一行, 含逗号\n第二行 "引号" 结束' >"$TMP/detail.txt"
C1=$(k --as qiantai --now '2026-11-02 09:00' new customer='甲,乙"公司"' contact=123 channel=phone region=domestic \
	category=quality subject=导出 detail=@"$TMP/detail.txt" qty=500)
C2=$(k --as qiantai --now '2026-11-03 09:00' new customer=丙公司 contact=456 channel=email region=foreign \
	category=nonquality subject=回避 detail=投诉质检员 accused=zhijian)
k --as guanli --now '2026-11-03 10:00' do "$C1" accept >/dev/null

run k --as guanli export
eq "export exits 0" "$rc" 0
cp "$TMP/out" "$TMP/e.csv"
eq "csv starts with the UTF-8 BOM" "$(head -c 3 "$TMP/e.csv" | od -An -tx1 | tr -d ' ')" efbbbf
eq "csv header: fixed columns then intake field keys" \
	"$(head -n 1 "$TMP/e.csv" | tail -c +4 | cut -d, -f1-11)" "case,state,state_label,dept,assignee,registrant,created,updated,version,customer,contact"
sqlite3 "$TMP/imp.db" ".import --csv $TMP/e.csv t" 2>"$TMP/err" || fail "sqlite3 .import: $(errline)"
eq "two cases imported" "$(sqlite3 "$TMP/imp.db" 'select count(*) from t')" 2
eq "comma and quotes round-trip" "$(sqlite3 "$TMP/imp.db" "select customer from t where \"case\" = '$C1'")" '甲,乙"公司"'
sqlite3 "$TMP/imp.db" "select detail from t where \"case\" = '$C1'" >"$TMP/detail.back"
printf '\n' >>"$TMP/detail.txt"
cmp -s "$TMP/detail.txt" "$TMP/detail.back" && ok "a line break inside a value round-trips" ||
	fail "detail differs: $(od -c "$TMP/detail.back" | head -3)"
eq "state, dept and dates" \
	"$(sqlite3 "$TMP/imp.db" "select state, dept, created, qty from t where \"case\" = '$C1'")" \
	"dispatch|gm_prod|2026-11-02T09:00:00+08:00|500"
eq "oldest first" "$(sqlite3 "$TMP/imp.db" 'select group_concat("case") from t')" "$C1,$C2"
eq "lines end in CR LF" "$(head -n 1 "$TMP/e.csv" | od -An -c | tr -d ' \n' | tail -c 4)" '\r\n'

# json
run k --as guanli export --format json
eq "json: cases and fields by key" "$(jq -c "map([.case, .state, .fields.customer, .fields.qty, .fields.accused])" "$TMP/out")" \
	"[[\"$C1\",\"dispatch\",\"甲,乙\\\"公司\\\"\",500,null],[\"$C2\",\"intake\",\"丙公司\",null,\"zhijian\"]]"
eq "--json is --format json" "$(k --as guanli --json export | jq length)" 2

# GB18030
run k --as guanli export --encoding GB18030
eq "GB18030 export exits 0" "$rc" 0
if command -v iconv >/dev/null 2>&1; then
	iconv -f GB18030 -t UTF-8 "$TMP/out" >"$TMP/e.back" && tail -c +4 "$TMP/e.csv" | cmp -s - "$TMP/e.back" &&
		ok "GB18030 export converts back to the UTF-8 csv (no BOM)" || fail "GB18030 export does not convert back"
else
	ok "iconv not installed: conversion check skipped"
fi

# visibility: the person complained about does not get the case
run k --as zhijian --json export
eq "the accused person's export lacks the case" "$(jq -c 'map(.case)' "$TMP/out")" "[\"$C1\"]"

# formula injection: a cell starting with = + - @ TAB or CR gets a leading
# apostrophe (report_csv_field, shared with report --format csv)
CF=$(echo '@SUM(A1)' | k --as qiantai new customer='=HYPERLINK("http://x","y")' contact='+86 512' channel=phone \
	region=domestic category=quality subject=- detail='-1+2')
run k --as guanli export
grep -F "$CF," "$TMP/out" >"$TMP/f.row"
grep -qF '"'"'"'=HYPERLINK(""http://x"",""y"")"' "$TMP/f.row" && ok "= guarded (and still quoted)" || { fail "= not guarded"; cat "$TMP/f.row"; }
grep -qF ",'+86 512," "$TMP/f.row" && ok "+ guarded" || fail "+ not guarded"
grep -qF ",'@SUM(A1)," "$TMP/f.row" && ok "@ guarded" || fail "@ not guarded"
grep -qF ",'-1+2," "$TMP/f.row" && ok "- guarded" || fail "- not guarded"
eq "json keeps the value as stored" "$(js guanli "$CF" .fields.customer)" '"=HYPERLINK(\"http://x\",\"y\")"'

refuse 2 "bad format" k --as guanli export --format xml
refuse 2 "bad encoding" k --as guanli export --encoding NO-SUCH
refuse 2 "stray argument" k --as guanli export extra

finish
