#!/bin/sh
# tests/tui/four_people.sh — the manufacturing path done entirely through
# the screens of the real binary, by four people in four tmux sessions at
# once (80x24, one tmux server on its own socket):
#   李静 (qiantai, 业务受理)      registers the complaint, later answers the customer
#   张明 (guanli, 生产管理组)     accepts it and assigns it to 质量管理部
#   陈立 (zhijian, 调查人员)      fills in the investigation report
#   吴天成 (zongjingli, 核决/总经理) approves, and closes the case
# Each step shows up on the others' screens through the once-a-second poll.
# On the way: 吴天成 sees "正在由 张明 编辑" while 张明 has the 分派 form open
# (the advisory edit lock); a resize redraws at the new size and back; 陈立's
# pane is killed in the middle of the report form: the case is unchanged,
# the audit chain verifies and the lock is gone. Then a shorter run under
# LANG=zh_CN.GB18030 (generated with localedef if missing, through
# tests/tui/gbrelay.py, since tmux itself speaks UTF-8): Chinese is drawn correctly and what is
# typed in GB18030 is stored as UTF-8.
. "$(dirname "$0")/../cli/lib.inc"
SOCK=kesu-tui4-$$
. "$(dirname "$0")/tmux.inc"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; for f in "$TMP"/stderr.*; do [ -s "$f" ] && { echo "stderr of ${f##*.}:"; sed "s/^/        ! /" "$f"; }; done; rm -rf "$TMP"' EXIT

state() { k --as guanli show 2611-001 --json | jq -r .state; }
version() { k --as guanli show 2611-001 --json | jq -r .version; }
locks() { sqlite3 "$D/kesu.db" "SELECT count(*) FROM edit_locks"; }

newdata four
# open_as SESSION LOGIN [ENV...]: kesu for LOGIN in its own tmux session
open_as() {
	_s=$1 _l=$2; shift 2
	t new-session -d -s "$_s" -x 80 -y 24 \
		"env LANG=C.UTF-8 TERM=xterm-256color $* '$KESU' --data '$D' --as $_l 2>>'$TMP/stderr.$_s'; sleep 120"
}
open_as a qiantai
open_as b guanli
open_as c zhijian
open_as d zongjingli
see a "kesu 客诉 — 李静（业务部）" "李静's queue"
see b "kesu 客诉 — 张明（总经理室生产管理组）" "张明's queue"
see c "kesu 客诉 — 陈立（质量管理部）" "陈立's queue"
see d "kesu 客诉 — 吴天成（总经理室）" "吴天成's queue"

# ---- 李静 registers ---------------------------------------------------------
keys a n
see a "登记新客诉" "n opens the intake form"
keys a -l "华东精密机械"
keys a Tab
keys a -l "021-5555 1234"
keys a Tab Space Tab 1 Tab 1 Tab
keys a -l "外壳划伤"
keys a Tab
keys a -l "收到的外壳有划伤"
see a "  客户名称*  华东精密机械" "typed in Chinese"
keys a C-s
see a "已登记，编号 2611-001" "李静 saves; the number to read to the customer"
see b " 待办 1 " "张明's queue shows the new case to act on"
see c "2611-001  受理" "陈立 sees it arrive"
see d "2611-001  受理" "吴天成 sees it arrive"

# ---- 张明 accepts and assigns; 吴天成 sees him editing ------------------------
keys d Enter
see d "案件 2611-001" "吴天成 opens the case"
keys b Enter
see b "可执行的动作：1 受理  2 不予受理" "张明's actions"
keys b 1
see b "确认执行「受理」？(y/n)" "1 asks"
keys b y
see b "现为「分派」" "张明 accepts"
see d "编号 2611-001  状态 分派" "吴天成's open case follows"
see a "2611-001  分派" "李静's queue follows"
keys b 1
see b "> 调查部门*" "张明 opens 分派"
see d "正在由 张明 编辑（「分派」" "吴天成 sees who is editing the case"
eq "one edit lock while the form is open" "$(locks)" "1"
keys b 4
see b "> 调查部门*  质量管理部" "4 picks 质量管理部"
keys b C-s
see b "现为「调查」" "张明 assigns"
wait_gone d "正在由 张明 编辑" && ok "the lock goes with the save" || fail "the lock stays on 吴天成's screen"
eq "no edit lock after the save" "$(locks)" "0"
see d "编号 2611-001  状态 调查  部门 质量管理部" "吴天成's case follows"
keys d q
see c " 待办 1 " "陈立 now has it to do"

# ---- a resize redraws -------------------------------------------------------
t resize-window -t "=c:" -x 100 -y 30
# row_is WIN N PATTERN DESC: poll until row N of the window matches the shell pattern
row_is() {
	_end=$(($(date +%s) + WAIT))
	while :; do
		_row=$(screen "$1" | sed -n "$2p")
		case "$_row" in $3) ok "$4"; return;; esac
		if [ "$(date +%s)" -ge "$_end" ]; then fail "$4: row $2 is [$_row]"; return; fi
		sleep 0.1
	done
}
row_is c 30 "Enter 打开*" "after resize-window 100x30 the status line is on row 30"
row_is c 1 "*案件列表 1/1" "the title is redrawn against the new right edge (column 100)"
eq "the capture has 30 rows" "$(screen c | wc -l)" "30"
eq "the title is 100 columns wide" "$(screen c | sed -n 1p | wc -L)" "100"
t resize-window -t "=c:" -x 80 -y 24
row_is c 24 "Enter 打开*" "back to 80x24: the status line on row 24"
eq "the capture has 24 rows" "$(screen c | wc -l)" "24"

# ---- 陈立's session dies in the middle of the report form ---------------------
V=$(version)
keys c Enter
see c "可执行的动作：1 提交调查报告" "陈立's action"
keys c 1
see c "> 发生原因*" "the report form"
keys c -l "包装不足"
keys c Tab
keys c -l "运输中碰撞"
see c "运输中碰撞" "half the form typed"
eq "陈立 holds the edit lock" "$(locks)" "1"
t kill-pane -t "=c:"
_i=0
while [ "$(locks)" != 0 ] && [ $_i -lt $((WAIT * 10)) ]; do sleep 0.1; _i=$((_i + 1)); done
eq "the killed session released its lock (SIGHUP)" "$(locks)" "0"
eq "the case is unchanged" "$(state) $(version)" "investigation $V"
expect 0 "the audit chain verifies" k audit verify
eq "no report was stored" "$(k --as guanli show 2611-001 --json | jq -r '.fields.cause // "none"')" "none"

# ---- 陈立 again, the whole report --------------------------------------------
open_as c zhijian
see c "kesu 客诉 — 陈立（质量管理部）" "陈立 back"
keys c Enter
see c "可执行的动作：1 提交调查报告" "陈立's action again"
keys c 1
see c "> 发生原因*" "the report form again"
for v in 包装不足 运输中碰撞 包装组 属实 加强包装; do
	keys c -l "$v"
	keys c Tab
done
keys c -l "改用泡沫箱"
see c "改用泡沫箱" "the report typed"
keys c C-s
see c "现为「审核」" "陈立 submits the report"
see d " 待办 1 " "吴天成 now has it to approve"
see a "2611-001  审核" "李静's queue follows"

# ---- 吴天成 approves -----------------------------------------------------------
keys d Enter
see d "1 核决" "吴天成's actions"
keys d 1
see d "> 核决意见*" "the approval form"
keys d -l "同意换货"
keys d C-s
see d "现为「答复」" "吴天成 approves"
see a " 待办 1 " "李静 now has the reply to give"

# ---- 李静 answers the customer -------------------------------------------------
keys a Enter
see a "1 答复客户" "李静's actions"
keys a 1
see a "> 答复方式*" "the reply form"
keys a Space Tab y Tab
keys a -l "已换货"
see a "已换货" "the reply typed"
keys a C-s
see a "已执行「答复客户」" "李静 records the reply"
see d "1 结案" "吴天成 may close now"

# ---- 吴天成 closes -------------------------------------------------------------
keys d 1
see d "确认执行「结案」？(y/n)" "close asks"
keys d y
see d "现为「结案」" "吴天成 closes the case"
see b "编号 2611-001  状态 结案" "张明's open case follows"
see c "编号 2611-001  状态 结案" "陈立's open case follows"
eq "closed" "$(state)" "closed"
expect 0 "the audit chain verifies at the end" k audit verify
eq "every action was taken by the right person" \
	"$(k --as guanli show 2611-001 --json | jq -c '[.history[] | [.action, .actor]]')" \
	'[["new","qiantai"],["accept","guanli"],["assign","guanli"],["report","zhijian"],["approve","zongjingli"],["reply","qiantai"],["close","zongjingli"]]'
for s in a b c d; do keys $s Q; done

# ---- the same in a GB18030 locale ----------------------------------------------
GB=zh_CN.GB18030
have_gb() { LC_ALL=$GB locale charmap 2>/dev/null | grep -qx GB18030; }
if ! have_gb; then
	if [ "$(id -u)" = 0 ]; then
		localedef -i zh_CN -f GB18030 $GB >/dev/null 2>&1
	fi
fi
if ! have_gb; then
	fail "locale $GB is missing and could not be generated (as root: localedef -i zh_CN -f GB18030 $GB; needs the locales package)"
elif ! command -v python3 >/dev/null 2>&1; then
	fail "python3 is required to relay a GB18030 program to tmux, which speaks UTF-8 (tests/tui/gbrelay.py)"
else
	newdata gb
	# gbrelay turns kesu's GB18030 into UTF-8 for tmux, and the keys typed back
	t new-session -d -s g -x 80 -y 24 \
		"env LANG=$GB LC_ALL=$GB TERM=xterm-256color python3 '$SRC/tests/tui/gbrelay.py' GB18030 -- '$KESU' --data '$D' --as qiantai; sleep 120"
	t new-session -d -s h -x 80 -y 24 \
		"env LANG=C.UTF-8 TERM=xterm-256color '$KESU' --data '$D' --as guanli; sleep 120"
	see g "李静（业务部）" "GB18030: the title in Chinese (— is ambiguous-width there: drawn as ?)"
	see g "[全部 0]" "GB18030: the tabs line up"
	keys g n
	see g "【客户】" "GB18030: the intake form"
	keys g -l "深圳精密"
	keys g Left BSpace
	keys g Tab
	keys g -l "0755-1234"
	keys g Tab Space Tab 1 Tab 1 Tab
	keys g -l "齿轮裂纹"
	keys g Tab
	keys g -l "经热处理后出现裂纹"
	see g "  客户名称*  深圳密" "GB18030: typed, the cursor moved back over a CJK character"
	keys g C-s
	see g "已登记，编号 2611-001" "GB18030: saved"
	see g "2611-001  受理  " "GB18030: the queue row"
	run k --as guanli show 2611-001 --json
	eq "GB18030 input stored as UTF-8 (customer)" "$(jq -r .fields.customer "$TMP/out")" "深圳密"
	eq "GB18030 input stored as UTF-8 (detail)" "$(jq -r .fields.detail "$TMP/out")" "经热处理后出现裂纹"
	eq "the stored bytes are UTF-8" "$(sqlite3 "$D/kesu.db" "SELECT hex(json_extract(fields, '\$.customer')) FROM cases")" \
		"$(printf '深圳密' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
	see h "2611-001  受理" "a UTF-8 colleague sees the same case"
	keys h -l "/"
	keys h -l "裂纹"
	keys h Enter
	see h "2611-001  受理  总经理室生产管理组  深圳密  齿轮裂纹" "search finds it from the UTF-8 side"
	keys g -l "/"
	keys g -l "热处理"
	keys g Enter
	see g "检索 1/1" "GB18030: search typed in GB18030 finds it"
	see g "深圳密  齿轮裂纹" "GB18030: the result row"
	keys g Q
	keys h Q
fi
finish
