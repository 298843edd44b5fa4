#!/bin/sh
# tests/tui/two_people.sh — the real binary on two terminals (tmux, 80x24):
# 李静 (qiantai) registers a complaint typed in Chinese and saves with
# Ctrl-S; 张明 (guanli), already on his queue, sees it arrive through the
# once-a-second poll, accepts it, opens 分派, and meanwhile `kesu do` from a
# third process assigns the case: his save is refused with who changed it,
# his choice stays on the form.
. "$(dirname "$0")/../cli/lib.inc"
SOCK=kesu-tui-$$
. "$(dirname "$0")/tmux.inc"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

newdata two
open_as() { # WINDOW LOGIN
	t new-session -d -s "$1" -x 80 -y 24 \
		"env LANG=C.UTF-8 TERM=xterm-256color '$KESU' --data '$D' --as $2; sleep 60"
}
open_as a qiantai
open_as b guanli
see a "kesu 客诉 — 李静（业务部）" "李静's queue"
see b "kesu 客诉 — 张明（总经理室生产管理组）" "张明's queue"
see b "[全部 0]" "… empty, on 全部"

# 李静 registers: Chinese through get_wch, a choice, long text over two lines
t send-keys -t a n
see a "登记新客诉" "n opens the intake form"
t send-keys -t a -l "上海华东精密"
t send-keys -t a Left BSpace
t send-keys -t a -l "X"
t send-keys -t a Tab
t send-keys -t a -l "021-5555 1234"
t send-keys -t a Tab Space Tab 1 Tab 1 Tab
t send-keys -t a -l "外壳划伤"
t send-keys -t a Tab
t send-keys -t a -l "第一行"
t send-keys -t a Enter
t send-keys -t a -l "第二行"
see a "  客户名称*  上海华东X密" "typed with the cursor moved back over a CJK character"
see a "             第二行" "Enter makes a new line in long text"
t send-keys -t a C-s
see a "已登记，编号 2611-001" "Ctrl-S saves and shows the number"
run k --as guanli show 2611-001 --json
eq "stored customer" "$(jq -r .fields.customer "$TMP/out")" "上海华东X密"
eq "stored detail" "$(jq -r .fields.detail "$TMP/out")" "第一行
第二行"

# 张明's screen picks it up without a key
see b " 待办 1  [全部 1]" "the poll shows the new case to 张明"
t send-keys -t b Enter
see b "可执行的动作：1 受理  2 不予受理" "his actions, numbered"
t send-keys -t b 1
see b "确认执行「受理」？(y/n)" "1 asks first"
t send-keys -t b y
see b "已执行「受理」：案件 2611-001 现为「分派」" "y accepts"
eq "state after 受理" "$(k --as guanli show 2611-001 --json | jq -r .state)" "dispatch"
see a "2611-001  分派" "李静's queue follows"

# a conflict across processes
t send-keys -t b 1
see b "> 调查部门*" "1 opens the 分派 form"
t send-keys -t b 4
see b "> 调查部门*  质量管理部" "4 picks 质量管理部"
run k --as guanli do 2611-001 assign dept=manufacturing
eq "kesu do assign from another process" "$rc" "0"
t send-keys -t b C-s
see b "已被 张明" "the save is refused, saying who changed the case"
see b "重新读取案件并保留已填内容？(y/n)" "… and offers to re-read"
see b "> 调查部门*  质量管理部" "… the form keeps its value"
t send-keys -t b y
see b "已重新读取，已填内容保留" "y re-reads"
t send-keys -t b F10
see b "当前状态为「调查」，不能执行「分派」" "F10 saves again: the core says why not"
eq "the other process's department stands" "$(k --as guanli show 2611-001 --json | jq -r .dept)" "manufacturing"
t send-keys -t b Escape
see b "放弃已输入的内容？(y/n)" "Esc asks before discarding"
t send-keys -t b y q q
sleep 0.3
t send-keys -t a q
finish
