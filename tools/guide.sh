#!/bin/sh
# tools/guide.sh [--check] — take the screens of docs/guide.md from the real
# program (build/tools/guide-screens; `make guide` builds it and runs this).
# The data: a fresh manufacturing data directory with a few earlier cases
# registered here through the command line at fixed times, then every
# kesu-screen block of the guide in order (see tools/guide-screens.c).
# --check: do not write; exit 1 and show the difference if docs/guide.md
# is not what the program shows today (tests/cli/guide.sh).
set -eu
BUILD=${BUILD:-build}
KESU=${KESU:-$PWD/$BUILD/kesu}
GEN=$PWD/$BUILD/tools/guide-screens
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kesu-guide.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
D=$tmp/data
k() { "$KESU" --data "$D" "$@" >/dev/null; }
"$KESU" --data "$D" init --preset manufacturing >/dev/null

RPT="cause=包装箱内衬不足 process=复查出货记录 responsible=包装组 conclusion=属实 countermeasure=加厚内衬 prevention=出货抽检"
# an older case, closed
k --as qiantai --now '2026-11-09 10:00' new customer=无锡联创机电 contact='0510-8123 4567 周经理' channel=phone \
	region=domestic category=nonquality subject=交货延迟两天 detail='订单 SO-2611-0031 晚到两天，影响客户排产。'
k --as guanli --now '2026-11-09 10:30' do 2611-001 accept
k --as guanli --now '2026-11-09 10:40' do 2611-001 assign dept=manufacturing
k --as shengchan --now '2026-11-11 16:00' do 2611-001 report $RPT loss=0
k --as yewujingli --now '2026-11-12 09:00' do 2611-001 approve decision=同意，向客户致歉
k --as qiantai --now '2026-11-12 10:00' do 2611-001 reply method=phone accepted=yes answer=已致歉并说明改进
k --as zongjingli --now '2026-11-12 11:00' do 2611-001 close
# one with 质量管理部 since last week, its report now overdue
k --as qiantai --now '2026-11-16 14:00' new customer=常州精工电器 contact='0519-8666 2222 孙工' channel=letter \
	region=domestic category=quality subject=电源板批量虚焊 detail='11 月 12 日到货 800 片，装机测试 41 片不亮。' \
	order_no=SO-2611-0102 part_no=PB-330-C qty=800 defect_qty=41
k --as guanli --now '2026-11-16 14:30' do 2611-002 accept
k --as guanli --now '2026-11-16 14:40' do 2611-002 assign dept=quality
# one waiting for the general manager's approval
k --as qiantai --now '2026-11-18 09:20' new customer=南京科瑞仪表 contact='025-8777 3333 钱工' channel=visit \
	region=domestic category=nonquality subject=外箱破损 detail='两箱外箱压塌，内件无损。'
k --as guanli --now '2026-11-18 09:40' do 2611-003 accept
k --as guanli --now '2026-11-18 09:50' do 2611-003 assign dept=quality
k --as zhijian --now '2026-11-19 15:00' do 2611-003 report $RPT loss=800

LANG=C.UTF-8 "$GEN" "$D" <docs/guide.md >"$tmp/guide.md"
if [ "${1:-}" = --check ]; then
	if diff -u docs/guide.md "$tmp/guide.md" >"$tmp/diff"; then
		echo "docs/guide.md: every screen is what kesu shows today"
	else
		head -n 60 "$tmp/diff"
		echo "docs/guide.md is out of date: run make guide"
		exit 1
	fi
else
	cp "$tmp/guide.md" docs/guide.md
	echo "docs/guide.md: screens taken again"
fi
