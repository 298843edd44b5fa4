#!/bin/sh
# pdf.sh — `kesu print --format pdf -o FILE`: a closed manufacturing case's copy (联)
# as an A4 PDF with the Chinese text in it (pdftotext finds the case number, the
# title, the field labels, a long Chinese value and the copy's footer) that renders
# (pdftoppm makes a PNG with ink on it); a form longer than a page breaks over pages
# with the header repeated and "第 N 页 共 M 页"; the reply letter; stored hostile
# text is sanitised as for the text print; an existing FILE is never replaced; a
# failure leaves no file; the recused person cannot print the case; and the kesu
# binary itself does not link cairo or pango.
set -eu
. "$(dirname "$0")/lib.inc"
export LC_ALL=C.UTF-8

for tool in pdftotext pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 || { fail "$tool is required (apt-get install poppler-utils)"; finish; exit 1; }
done
# flat FILE: the text of a PDF with all white space removed (pdftotext breaks lines)
flat() { pdftotext -enc UTF-8 "$@" - 2>/dev/null | tr -d ' \n\f\t'; }
has() { # DESC FILE TEXT...: every TEXT (white space removed) is in FILE's text
	_d=$1 _f=$2; shift 2
	_txt=$(flat "$_f")
	for _t; do
		_n=$(printf '%s' "$_t" | tr -d ' \n\t')
		case $_txt in *"$_n"*) ;; *) fail "$_d: no \"$_t\" in the PDF's text"; return 0 ;; esac
	done
	ok "$_d"
}
# ink FILE.pgm: how many dark pixels a grey-scale rendering has
ink() { od -An -v -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i < 160) n++ } END { print n + 0 }'; }

REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality"
LONG="第 3 批齿轮硬度低于图纸要求，客户在来料检验时发现百分之三十的齿轮硬度不足，要求整批换货并赔偿停线损失；\
客户另称此前两批也有类似问题，请质量管理部一并追查热处理记录、炉温曲线和抽检报告，并在十五日内给出书面答复。"
RPT="cause=热处理温度偏低导致表面硬度不足 process=客户来料检验发现硬度不足 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"

# --- the kesu binary stays small ----------------------------------------------------------
if command -v ldd >/dev/null 2>&1; then
	eq "kesu does not link cairo, pango, glib or fontconfig" \
		"$(ldd "$KESU" | grep -c -e cairo -e pango -e glib -e fontconfig -e harfbuzz || true)" 0
	eq "kesu-pdf does" "$(ldd "$(dirname "$KESU")/kesu-pdf" | grep -q libcairo && ldd "$(dirname "$KESU")/kesu-pdf" | grep -q libpango && echo yes)" yes
fi

# --- a closed case -------------------------------------------------------------------------
newdata p
run k --as qiantai --now '2026-11-02 09:00' new $REG subject=齿轮硬度不足 "detail=$LONG" request=exchange qty=500 defect_qty=pending
C=$(cat "$TMP/out")
eq "registered" "$rc $C" "0 2611-001"
k --as guanli --now '2026-11-02 10:00' do $C accept >/dev/null
k --as guanli --now '2026-11-02 11:00' do $C assign dept=quality >/dev/null
k --as zhijian --now '2026-11-04 15:00' do $C report $RPT loss=1234.56 >/dev/null
k --as yewujingli --now '2026-11-05 09:10' do $C approve decision=同意整批换货，运费由我方承担 >/dev/null
k --as qiantai --now '2026-11-05 14:00' do $C reply method=letter accepted=yes answer=已寄出书面答复 >/dev/null
expect 0 "close" k --as zongjingli --now '2026-11-06 10:00' do $C close

# --- copy 3 as a PDF ---------------------------------------------------------------------------
P3=$TMP/copy3.pdf
expect 0 "print --copy 3 --format pdf -o FILE" k --as qiantai print $C --copy 3 --format pdf -o "$P3"
eq "nothing on stdout or stderr" "$(wc -c <"$TMP/out")$(wc -c <"$TMP/err")" "00"
eq "a PDF" "$(head -c 5 "$P3")" "%PDF-"
eq "A4 portrait" "$(pdfinfo "$P3" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 x \2/p')" "595.276 x 841.89"
eq "readable by its owner only, like all kesu writes" "$(stat -c %a "$P3")" 600
eq "no temporary file left beside it" "$(ls -A "$TMP" | grep -c '^\.copy3' || true)" 0
has "the case number and the form's title" "$P3" "2611-001" "客户抱怨处理表（第 3 联）"
# every label of the text print is in the PDF
k --as qiantai print $C --copy 3 >"$TMP/copy3.txt"
sed -n 's/^│ \([^ │][^│]*[^ ]\) *│ .*/\1/p' "$TMP/copy3.txt" | sort -u >"$TMP/labels"
nl=$(awk 'END { print NR }' "$TMP/labels")
eq "the text print has field labels ($nl)" "$([ "$nl" -ge 15 ] && echo yes)" yes
missing=""
txt=$(flat "$P3")
while IFS= read -r l; do
	n=$(printf '%s' "$l" | tr -d ' ')
	case $txt in *"$n"*) ;; *) missing="$missing $l" ;; esac
done <"$TMP/labels"
eq "every field label is in the PDF" "${missing:-none}" none
has "the long Chinese value, whole" "$P3" "$LONG"
has "the handling" "$P3" "同意整批换货，运费由我方承担" "热处理温度偏低导致表面硬度不足" "1,234.56 元"
has "footer: copy 3 of 5, holder and purpose" "$P3" "第 3 联（共 5 联） 持有部门：业务部 用途：依批示办理"
has "footer: issued when and by whom" "$P3" "第 1 次发出：2026-11-06 10:00 发出人：吴天成"
has "signature lines" "$P3" "经办：" "审核：" "核准：" "日期："
n3=$(pdfinfo "$P3" | sed -n 's/^Pages: *//p')
has "page foot: folio and page number" "$P3" "客户抱怨处理表 2611-001 · 第 3 联（共 5 联） 业务部" "第 1 页 共 $n3 页" "第 $n3 页 共 $n3 页"
eq "not a draft" "$(pdftotext "$P3" - | grep -c 草稿 || true)" 0
expect 0 "pdftoppm renders it" pdftoppm -r 40 -png -f 1 -l 1 -singlefile "$P3" "$TMP/copy3"
eq "a PNG" "$(head -c 4 "$TMP/copy3.png" | tail -c 3)" "PNG"
eq "a PNG of some size" "$([ "$(wc -c <"$TMP/copy3.png")" -gt 8000 ] && echo yes)" yes
pdftoppm -r 40 -gray -f 1 -l 1 -singlefile "$P3" "$TMP/copy3g"
eq "ink on the page (text and boxes)" "$([ "$(ink "$TMP/copy3g.pgm")" -gt 3000 ] && echo yes)" yes
expect 0 "copy 1" k --as zhijian print $C --copy 1 --format pdf -o "$TMP/copy1.pdf"
has "copy 1's footer names 质量管理部" "$TMP/copy1.pdf" "客户抱怨处理表（第 1 联）" "持有部门：质量管理部 用途：存"

# --- where it goes --------------------------------------------------------------------------
cp "$P3" "$TMP/keep.pdf"
refuse 2 "an existing FILE is not replaced" k --as qiantai print $C --copy 1 --format pdf -o "$P3"
err_has "says so" "已存在"
eq "the file is untouched" "$(cmp -s "$P3" "$TMP/keep.pdf" && echo same)" same
echo old >"$TMP/old.txt"
refuse 2 "text -o: an existing FILE is not replaced either" k --as qiantai print $C -o "$TMP/old.txt"
eq "text file untouched" "$(cat "$TMP/old.txt")" old
refuse 2 "--format pdf without -o" k --as qiantai print $C --format pdf
refuse 1 "-o into a missing directory" k --as qiantai print $C --format pdf -o "$TMP/nodir/x.pdf"
eq "nothing created" "$([ -e "$TMP/nodir" ] && echo yes || echo no)" no
run sh -c "\"\$0\" --data \"$D\" --as qiantai print $C --copy 2 --format pdf -o - | cat >\"$TMP/stdout.pdf\"" "$KESU"
eq "-o - writes the PDF to a pipe" "$rc $(head -c 5 "$TMP/stdout.pdf")" "0 %PDF-"
has "the pipe's PDF is copy 2" "$TMP/stdout.pdf" "客户抱怨处理表（第 2 联）" "持有部门：制造部"
refuse 2 "--json with -o -" k --as qiantai --json print $C --format pdf -o -
run k --as qiantai --json print $C --copy 4 --format pdf -o "$TMP/copy4.pdf"
eq "--json names the file" "$rc $(jq -c '[.case, .kind, .format, .copy, .round, .file == "'"$TMP/copy4.pdf"'"]' "$TMP/out")" \
	'0 ["2611-001","copy","pdf",4,1,true]'

# without kesu-pdf beside it: a clear failure, nothing written
mkdir -p "$TMP/bin"
cp "$KESU" "$TMP/bin/kesu"
run "$TMP/bin/kesu" --data "$D" --as qiantai print $C --format pdf -o "$TMP/none.pdf"
eq "no kesu-pdf: exit 1, says what is missing" "$rc $(grep -c 'kesu: 找不到 PDF 排版程序 kesu-pdf' "$TMP/err")" "1 1"
eq "no file, no temporary" "$(ls -A "$TMP" | grep -c 'none.pdf' || true)" 0

# --- the letter to the customer -------------------------------------------------------------
expect 0 "print --reply as PDF" k --as qiantai --now '2026-11-06 11:00' print $C --reply --format pdf -o "$TMP/reply.pdf"
has "the letter" "$TMP/reply.pdf" "关于「齿轮硬度不足」的答复" "华东精密机械有限公司：" "案件编号 2611-001" \
	"同意整批换货，运费由我方承担" "已寄出书面答复" "业务部" "2026年11月06日" "第 1 页 共 1 页"
eq "letter: no internal fields, not the form" \
	"$(pdftotext "$TMP/reply.pdf" - | grep -c -e '热处理' -e '1,234.56' -e '客户抱怨处理表' -e '持有部门' || true)" 0
pdftoppm -r 40 -gray -singlefile "$TMP/reply.pdf" "$TMP/replyg"
eq "the letter renders with ink" "$([ "$(ink "$TMP/replyg.pgm")" -gt 500 ] && echo yes)" yes

# --- a form longer than a page -------------------------------------------------------------------
para="客户反映本批次产品在装配过程中多处出现尺寸偏差，影响整机装配效率和产品外观质量，要求逐件复检并提交书面改善报告。"
BIG=""
for i in $(seq 1 60); do BIG="$BIG第${i}段：$para"; done
run k --as qiantai --now '2026-11-09 09:00' new $REG subject=尺寸偏差 "detail=$BIG" request=exchange qty=20 defect_qty=5
C2=$(cat "$TMP/out")
expect 0 "print a long draft as PDF" k --as qiantai print $C2 --format pdf -o "$TMP/long.pdf"
pages=$(pdfinfo "$TMP/long.pdf" | sed -n 's/^Pages: *//p')
eq "several pages" "$([ "$pages" -ge 3 ] && echo yes)" yes
# pdftotext reads a value split over pages with the next page's header between
# its parts: every paragraph must be there whole but the one cut at the break
missing=0
t=$(flat "$TMP/long.pdf")
for i in $(seq 1 60); do case $t in *"第${i}段：$para"*) ;; *) missing=$((missing + 1)) ;; esac; done
eq "the long value is all there, over the page breaks" "$([ "$missing" -le $((pages - 1)) ] && echo yes)" yes
has "its end too" "$TMP/long.pdf" "第60段：$para"
for pg in $(seq 1 "$pages"); do
	t=$(flat -f "$pg" -l "$pg" "$TMP/long.pdf")
	case $t in *"客户抱怨处理表"*"案件编号：$C2"*"第${pg}页共${pages}页"*) ok "page $pg: header repeated, 第 $pg 页 共 $pages 页" ;;
	*) fail "page $pg lacks the header or its number: $(printf '%s' "$t" | cut -c1-120)" ;; esac
done
has "later pages say the form and the field go on" "$TMP/long.pdf" "（续）"
has "a draft says so" "$TMP/long.pdf" "草稿 · 未结案"
pdftoppm -r 30 -png -f "$pages" -l "$pages" -singlefile "$TMP/long.pdf" "$TMP/longlast"
eq "the last page renders" "$([ -s "$TMP/longlast.png" ] && echo yes)" yes

# --- stored text is sanitised, as for the text print -----------------------------------------------
sqlite3 "$D/kesu.db" "update cases set fields = json_set(fields, '\$.subject', '尺寸' || char(27) || '[31m偏差' || char(8238) || 'x') where no = '$C2'"
expect 0 "print hostile stored text" k --as qiantai print $C2 --format pdf -o "$TMP/hostile.pdf"
has "escape and bidi override shown, not obeyed" "$TMP/hostile.pdf" "尺寸^[[31m偏差<U+202E>x"
eq "no raw ESC in the text" "$(pdftotext "$TMP/hostile.pdf" - | tr -d -c '\033' | wc -c)" 0

# --- who may print -------------------------------------------------------------------------------
run k --as qiantai --now '2026-11-10 09:00' new $REG subject=态度问题 detail=接线员态度差 accused=shengchan request=suggestion qty=1 defect_qty=0
C3=$(cat "$TMP/out")
eq "registered with 被投诉人 shengchan" "$rc" 0
refuse 5 "the recused person: not found, as for text" k --as shengchan print $C3 --format pdf -o "$TMP/recused.pdf"
eq "no file" "$([ -e "$TMP/recused.pdf" ] && echo yes || echo no)" no
refuse 5 "an unknown case" k --as qiantai print 2611-999 --format pdf -o "$TMP/unknown.pdf"

finish
