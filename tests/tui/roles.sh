#!/bin/sh
# tests/tui/roles.sh — the real binary on a terminal (tmux, 80x24). Bank
# preset: the 投诉管理人 field of 转交投诉管理人 is required but has a
# `default:` (the branch's one manager). Left empty, Ctrl-S saves and the
# engine fills in 城西's only manager; at 城东, which has two, the engine's
# refusal (naming both) is shown and nothing is saved. Dealer preset: the
# case screen shows the 会签 by role — who signed, which role is awaited.
. "$(dirname "$0")/../cli/lib.inc"
SOCK=kesu-tui-$$
. "$(dirname "$0")/tmux.inc"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

D=$TMP/bank
"$KESU" --data "$D" init --preset bank >/dev/null || { echo "FAIL  init --preset bank"; exit 1; }
B=$(k --as fangyi new customer=吴女士 contact=137 branch=wd_b channel=onsite subject=存单挂失慢 detail=挂失等待一小时)
E=$(k --as zhaolei new customer=郑先生 contact=131 channel=onsite subject=手续费 detail=未告知手续费)
open_as() { # WINDOW LOGIN
	t new-session -d -s "$1" -x 80 -y 24 \
		"env LANG=C.UTF-8 TERM=xterm-256color '$KESU' --data '$D' --as $2; sleep 60"
}

open_as a fangyi
see a "$B" "方毅's queue shows the 城西 case"
t send-keys -t a Enter
see a "2 转交投诉管理人" "its actions"
t send-keys -t a 2
see a "> 投诉管理人*" "the hand-over form, the manager field empty"
t send-keys -t a C-s
see a "已执行「转交投诉管理人」" "Ctrl-S with the field empty saves"
eq "the engine filled in 罗青, now the assignee" "$(k --as luoqing show $B --json | jq -c '[.assignee, .fields.complaint_manager]')" '["luoqing","luoqing"]'
t send-keys -t a q q

open_as b zhaolei
see b "$E" "赵磊's queue shows the 城东 case"
t send-keys -t b Enter
see b "2 转交投诉管理人" "its actions"
t send-keys -t b 2
see b "> 投诉管理人*" "the hand-over form"
t send-keys -t b C-s
see b "无法自动确定：城东支行营业部有 2 名投" "城东 has two: the engine's refusal says so"
eq "nothing saved" "$(k --as zhaolei show $E --json | jq -c '[.state, .assignee]')" '["intake",null]'
t send-keys -t b Escape y q q

D=$TMP/dealer
"$KESU" --data "$D" init --preset dealer >/dev/null || { echo "FAIL  init --preset dealer"; exit 1; }
C=$(k --as xiaoyu new customer=钱女士 plate=沪B67890 kind=contract subject=交车延期 detail=逾期两月)
k --as luojia do $C classify severity=major valid=yes reasonable=yes >/dev/null
k --as luojia do $C convene attendees=宋涛、杜鑫 >/dev/null
k --as duxin do $C joint_solution minutes=配车延误 solution=赔付违约金 >/dev/null
k --as duxin do $C meeting_sign >/dev/null
open_as c songtao
see c "$C" "宋涛's queue shows the meeting case"
t send-keys -t c Enter
see c "会签会议决定  1/2  已会签 杜鑫  尚待 销售经理/服务经理（销售部）" "the case screen: 杜鑫 signed, the 销售部 manager awaited"
see c "可执行的动作：1 会签会议决定" "his signature is offered"
t send-keys -t c q q
finish
