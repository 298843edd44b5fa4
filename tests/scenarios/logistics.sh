#!/bin/sh
# logistics.sh — the logistics preset (P6): 服务/业务投诉 routed, validity with the six
# invalid reasons (the sixth, a service complaint over a month late, from the dates), 恶性 vs 一般 (恶性 closed only by the direct leader), the 30-minute plan
# clock escalating to the direct leader at +31 minutes, by day and at night.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/l
"$KESU" --data "$D" init --preset logistics --demo >/dev/null || { echo "FAIL  init --preset logistics --demo"; exit 1; }
expect 0 "check-config is clean (with the demo cases)" k check-config
D=$TMP/m
"$KESU" --data "$D" init --preset logistics >/dev/null || { echo "FAIL  init --preset logistics"; exit 1; }
sh_at() { k --as zhengyu --now "$2" --json show "$1" | jq -c "$3"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }
rem() { k --now "$1" --json remind | jq -c "[.[] | select(.case == \"$2\") | [.kind, .level, .dept, .role, .login]]"; }

# --- validity: the six invalid reasons ------------------------------------------------
I=$(k --as wangfang --now '2026-11-02 10:00' new customer=匿名 channel=聊天工具 kind=服务投诉 item=服务态度 subject=态度差 detail=无具体内容)
eq "a service complaint stays in 客服部" "$(sh_at $I '2026-11-02 10:00' '.dept')" '"kefu"'
eq "the agent judges validity first" "$(acts wangfang $I)" '["validate","invalid"]'
refuse 2 "an invalid verdict needs one of the six reasons" k --as wangfang --now '2026-11-02 10:05' do $I invalid invalid_reason=不想处理 invalid_level=general explanation=x
refuse 2 "… and 一般无效 or 恶意" k --as wangfang --now '2026-11-02 10:05' do $I invalid invalid_reason=anonymous explanation=x
expect 0 "invalid: anonymous without facts, 一般无效" \
	k --as wangfang --now '2026-11-02 10:05' do $I invalid invalid_reason=匿名且无具体事实 invalid_level=一般无效 explanation=无法核实
eq "closed; no plan needed: the plan clock is superseded, not met" \
	"$(sh_at $I '2026-11-02 10:05' '[.state, .fields.invalid_reason, .fields.invalid_level, (.deadlines | map(.status))]')" \
	'["closed","anonymous","general",["superseded"]]'
for r in customer_fault forbidden threat unverifiable; do
	X=$(k --as lihua --now '2026-11-02 11:00' new customer=某 channel=phone kind=service item=promise subject=s detail=d)
	expect 0 "invalid reason $r accepted" k --as lihua --now '2026-11-02 11:01' do $X invalid invalid_reason=$r invalid_level=恶意 explanation=已解释
done

# --- the sixth reason: a service complaint raised over a month later (第九条(6)) ----------
# one month from 09-27 ends on 10-27 (a Tuesday): registered 11-01, 35 days on, it is too late
O=$(k --as lihua --now '2026-11-01 10:00' new customer=周先生 channel=phone kind=service item=attitude incident_date=2026-09-27 subject=司机态度差 detail=d)
eq "35 days on: only the invalid verdict is offered" "$(acts lihua $O)" '["invalid"]'
refuse 2 "a service complaint 35 days old can't be judged valid" k --as lihua --now '2026-11-01 10:05' do $O validate severity=一般
err_has "the refusal says why" 「投诉类型」为 服务投诉 「事发日期」为登记前超过 1 个月的日期
expect 0 "invalid: over a month" \
	k --as lihua --now '2026-11-01 10:05' do $O invalid invalid_reason=服务投诉事隔一个月以上 invalid_level=一般无效 explanation=已超过一个月
eq "closed as invalid" "$(sh_at $O '2026-11-01 10:05' '[.state, .fields.invalid_reason]')" '["closed","over_month"]'
Y=$(k --as lihua --now '2026-11-01 10:00' new customer=钱女士 channel=phone kind=service item=attitude incident_date=2026-10-07 subject=态度差 detail=d)
eq "25 days on: still valid" "$(acts lihua $Y)" '["validate","invalid"]'
refuse 2 "… so the sixth reason is refused" \
	k --as lihua --now '2026-11-01 10:05' do $Y invalid invalid_reason=over_month invalid_level=一般无效 explanation=x
err_has "naming the reason and the date" 「无效情形」 「事发日期」
expect 0 "judged valid" k --as lihua --now '2026-11-01 10:05' do $Y validate severity=一般
B=$(k --as wangfang --now '2026-11-01 10:00' new customer=孙先生 channel=phone kind=business item=shortage incident_date=2026-09-27 subject=少件 detail=d)
expect 0 "a business complaint 35 days old is still valid" k --as sunli --now '2026-11-01 10:05' do $B validate severity=一般
Z=$(k --as lihua --now '2026-11-01 10:00' new customer=某 channel=phone kind=service item=attitude subject=s detail=没记日期)
eq "no incident date: the agent judges" "$(acts lihua $Z)" '["validate","invalid"]'
# 民法典: a month from 08-31 ends 09-30; from 09-01 it ends on 10-01, a holiday, so on 10-08
E=$(k --as lihua --now '2026-10-08 16:00' new customer=某 channel=phone kind=service item=attitude incident_date=2026-09-01 subject=s detail=d)
eq "a month from 09-01 runs to the end of 10-08 (国庆 moves the last day)" "$(acts lihua $E)" '["validate","invalid"]'
F=$(k --as lihua --now '2026-10-09 09:00' new customer=某 channel=phone kind=service item=attitude incident_date=2026-09-01 subject=s detail=d)
eq "on 10-09 it is over a month" "$(acts lihua $F)" '["invalid"]'
refuse 2 "a date that is not a date is refused at registration" \
	k --as lihua --now '2026-11-01 10:00' new customer=某 channel=phone kind=service item=attitude incident_date=上个月 subject=s detail=d

# --- 一般: plan within 30 minutes --------------------------------------------------------
G=$(k --as wangfang --now '2026-11-03 09:00' new customer=刘先生 channel=phone waybill=SF1 kind=业务投诉 item=时效 subject=晚到 detail=晚两天)
eq "a business complaint goes to 运营部" "$(sh_at $G '2026-11-03 09:00' '.dept')" '"yunying"'
eq "plan due in 30 minutes" "$(sh_at $G '2026-11-03 09:00' '.deadlines | map([.clock, .due])')" '[["plan30","2026-11-03T09:30:00+08:00"]]'
expect 0 "valid, 一般" k --as sunli --now '2026-11-03 09:05' do $G validate severity=一般
expect 0 "plan in 20 minutes" k --as sunli --now '2026-11-03 09:20' do $G plan plan_text=退加急费
eq "no escalation at +31 minutes" "$(rem '2026-11-03 09:31' $G)" '[]'
expect 0 "the handler closes a 一般 case" k --as sunli --now '2026-11-03 11:00' do $G close result=已退款
eq "closed, met" "$(sh_at $G '2026-11-03 11:00' '[.state, (.deadlines | map(.status))]')" '["closed",["met"]]'

# --- 恶性, no plan in 30 minutes: escalated to the direct leader ------------------------
S=$(k --as wangfang --now '2026-11-04 14:00' new customer=陈女士 channel=phone waybill=SF2 kind=business item=货差 subject=少件 detail=少三箱且已找媒体)
eq "routed to 运营部" "$(sh_at $S '2026-11-04 14:00' '.dept')" '"yunying"'
expect 0 "valid, 恶性" k --as sunli --now '2026-11-04 14:10' do $S validate severity=恶性 severe_note=媒体曝光
eq "a warning 10 minutes before due" "$(rem '2026-11-04 14:20' $S)" '[["warn",0,"yunying",null,null]]'
eq "at +31 minutes: escalated to the direct leader of wangfang, who took it (zhoujie)" "$(rem '2026-11-04 14:31' $S)" '[["urge",1,"yunying",null,"zhoujie"]]'
eq "issued once" "$(rem '2026-11-04 14:40' $S)" '[]'
expect 0 "the handler escalates" k --as sunli --now '2026-11-04 14:45' do $S escalate escalate_reason=需赔付超权限
expect 0 "the leader makes the plan" k --as wujun --now '2026-11-04 15:00' do $S plan plan_text=补发并赔付
eq "plan clock breached" "$(sh_at $S '2026-11-04 15:00' '[.state, (.deadlines | map(.status))]')" '["executing",["breached"]]'
eq "the handler can't close a 恶性 case" "$(acts sunli $S)" '["escalate"]'
refuse 2 "close (一般) refused for 恶性" k --as wujun --now '2026-11-05 10:00' do $S close result=x
expect 0 "the leader closes it" k --as wujun --now '2026-11-05 10:00' do $S close_severe result=已补发赔付
eq "closed" "$(sh_at $S '2026-11-05 10:00' '.state')" '"closed"'

# --- at night: the minute clock runs around the clock -----------------------------------
N=$(k --as lihua --now '2026-11-07 23:10' new customer=赵先生 channel=chat kind=service item=attitude subject=夜间客服挂断 detail=d)
eq "due 23:40 on a Saturday night" "$(sh_at $N '2026-11-07 23:10' '.deadlines | map(.due)')" '["2026-11-07T23:40:00+08:00"]'
eq "at 23:41 (+31 min) escalated to lihua's own leader (zhengyu), not wangfang's" "$(rem '2026-11-07 23:41' $N)" '[["urge",1,"kefu",null,"zhengyu"]]'
# two agents with different leaders, late at the same time: each goes to their own leader
W1=$(k --as wangfang --now '2026-11-09 10:00' new customer=甲 channel=phone kind=service item=attitude subject=s detail=d)
W2=$(k --as lihua --now '2026-11-09 10:00' new customer=乙 channel=phone kind=service item=attitude subject=s detail=d)
k --now '2026-11-09 10:31' remind >$TMP/rem.txt
eq "wangfang's case: 周杰, named as 登记人的直接上级" "$(grep -c "$W1.*周杰，登记人的直接上级" $TMP/rem.txt)" 1
eq "lihua's case: 郑宇" "$(grep -c "$W2.*郑宇，登记人的直接上级" $TMP/rem.txt)" 1
# no reports_to (the manager registers): the department and the leader role alone
M=$(k --as zhengyu --now '2026-11-10 10:00' new customer=丙 channel=phone kind=service item=attitude subject=s detail=d)
eq "no direct superior: falls back to the level's role and department" "$(rem '2026-11-10 10:31' $M)" '[["urge",1,"kefu","leader",null]]'
finish
