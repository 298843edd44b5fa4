#!/bin/sh
# lawfirm.sh — the lawfirm preset (P13): referral channels; the person complained
# about can neither see (exit 5) nor act on their case; confidentiality: an
# uninvolved lawyer gets exit 5 and finds nothing in list/search; major matters go
# to the partners' meeting, which only partners can take.
set -eu
. "$(dirname "$0")/../cli/lib.inc"

D=$TMP/l
"$KESU" --data "$D" init --preset lawfirm >/dev/null || { echo "FAIL  init --preset lawfirm"; exit 1; }
expect 0 "check-config is clean" k check-config
sh_at() { k --as huangmin --now "$2" --json show "$1" | jq -c "$3"; }
acts() { k --as "$1" --json actions "$2" | jq -c 'map(.action)'; }

# --- channels: front desk (phone/visit/written) and referrals ------------------
A=$(k --as linxiao --now '2026-11-02 09:00' new complainant=王先生 contact=136 channel=visit kind=complaint subject=律师未按时出庭 detail=开庭迟到半小时 accused=chenhao)
J=$(k --as huangmin --now '2026-11-02 10:00' new complainant=王女士 contact=司法局 channel=司法行政机关转办 referral_no=司转12号 kind=complaint subject=收费争议 detail=律师费超出约定 accused=songtao)
L=$(k --as huangmin --now '2026-11-02 11:00' new complainant=李先生 contact=律协 channel=bar_association referral_no=律协转3号 kind=feedback subject=服务意见 detail=沟通不及时)
eq "channels and referral numbers recorded" \
	"$(for c in $A $J $L; do sh_at $c '2026-11-02 12:00' '[.fields.channel, .fields.referral_no, .dept]'; done | jq -sc .)" \
	'[["visit",null,"zongtai"],["justice_bureau","司转12号","zongtai"],["bar_association","律协转3号","zongtai"]]'
expect 3 "an ordinary lawyer may not register" k --as yangfan --now '2026-11-02 12:00' new complainant=x contact=1 channel=phone kind=complaint subject=s detail=d
# the channel decides who registers (受理（一）–（三）): phone/visit 总台接待, written 行政总台,
# referrals 专门负责人; a wrong desk is refused (exit 3) naming the channel and who may take it
refuse 3 "the officer may not take a visit" k --as huangmin --now '2026-11-02 12:00' new complainant=x contact=1 channel=visit kind=complaint subject=s detail=d
err_has "… naming the channel and the desk" "黄敏 不能登记「来源」为 电话或上门的投诉：须由 总台接待 登记"
refuse 3 "the front desk may not take a written complaint" k --as linxiao --now '2026-11-02 12:00' new complainant=x contact=1 channel=书面 kind=complaint subject=s detail=d
err_has "… it belongs to 行政总台" "「来源」为 书面的投诉：须由 行政总台 登记"
refuse 3 "the front desk may not take a referral" k --as linxiao --now '2026-11-02 12:00' new complainant=x contact=1 channel=bar_association kind=complaint subject=s detail=d
err_has "… it belongs to the officer" "须由 投诉专门负责人 登记"
refuse 3 "行政总台 may not take a phone call" k --as zhouli --now '2026-11-02 12:00' new complainant=x contact=1 channel=phone kind=complaint subject=s detail=d
refuse 2 "a bad channel is a bad field first, not a right" k --as zhouli --now '2026-11-02 12:00' new complainant=x contact=1 channel=fax kind=complaint subject=s detail=d
W=$(k --as zhouli --now '2026-11-02 12:30' new complainant=赵女士 contact=来信 channel=written kind=feedback subject=来信意见 detail=希望缩短回复时间)
eq "行政总台 registers the written complaint" "$(sh_at $W '2026-11-02 12:30' '[.registrant, .fields.channel, .state]')" '["zhouli","written","intake"]'
expect 0 "the officer accepts it" k --as huangmin --now '2026-11-02 14:00' do $W accept

# --- recusal: the person complained about ---------------------------------------
expect 5 "chenhao cannot see the complaint about him" k --as chenhao show $A
expect 5 "nor its actions" k --as chenhao actions $A
eq "nor find it in list" "$(k --as chenhao --json list | jq -c 'map(.case)')" '[]'
eq "nor in search" "$(k --as chenhao --json search 出庭 | jq -c 'map(.case)')" '[]'
expect 0 "officer accepts" k --as huangmin --now '2026-11-02 14:00' do $A accept
expect 0 "officer's opinion (not major), 诉讼" k --as huangmin --now '2026-11-03 10:00' do $A opinion finding=属实 officer_opinion=批评教育 major=no practice=litigation
eq "分管合伙人 filled from the practice area (诉讼 → 宋涛) and made the assignee" \
	"$(sh_at $A '2026-11-03 10:00' '[.fields.practice, .fields.supervisor, .assignee, (.history[-1].fields.supervisor)]')" '["litigation","songtao","songtao","songtao"]'
eq "any partner may decide" "$(acts songtao $A) $(acts hanxue $A)" '["decide","refer_meeting"] ["decide","refer_meeting"]'
expect 5 "chenhao cannot act on it" k --as chenhao --now '2026-11-03 11:00' do $A decide decision=自己说了算
# a partner complained about: recused although a partner
expect 0 "accept the complaint about partner songtao" k --as huangmin --now '2026-11-02 14:00' do $J accept
refuse 2 "诉讼's 分管合伙人 宋涛 is the one complained about: the officer must name another" \
	k --as huangmin --now '2026-11-03 10:00' do $J opinion finding=有争议 officer_opinion=退还部分费用 major=no practice=litigation
err_has "… saying why" "「业务分管合伙人」(supervisor) 未填" "「业务领域」为 诉讼 对应的 宋涛 须回避"
refuse 2 "nor may the officer type him in: the person complained about never handles the case" \
	k --as huangmin --now '2026-11-03 10:00' do $J opinion finding=有争议 officer_opinion=退还部分费用 major=no practice=litigation supervisor=songtao
err_has "… naming the field and the reason" "「业务分管合伙人」不能是被投诉人 宋涛"
expect 0 "opinion, with the 主任 named" k --as huangmin --now '2026-11-03 10:00' do $J opinion finding=有争议 officer_opinion=退还部分费用 major=no practice=litigation supervisor=xugang
eq "the 主任 handles it" "$(sh_at $J '2026-11-03 10:00' '[.fields.supervisor, .assignee]')" '["xugang","xugang"]'
expect 5 "partner songtao cannot see his own case" k --as songtao show $J
expect 5 "nor decide it" k --as songtao --now '2026-11-03 11:00' do $J decide decision=驳回
eq "he is not offered it among all cases" "$(k --as songtao --json list | jq -c "map(.case) | index(\"$J\")")" null
expect 0 "another partner decides" k --as hanxue --now '2026-11-03 11:00' do $J decide decision=退还差额

# --- confidentiality: an uninvolved lawyer --------------------------------------
expect 5 "uninvolved lawyer yangfan: show" k --as yangfan show $A
expect 5 "uninvolved lawyer yangfan: actions" k --as yangfan actions $J
expect 5 "uninvolved lawyer yangfan: do" k --as yangfan --now '2026-11-03 12:00' do $J reply reply_method=written reply_text=x
eq "uninvolved lawyer: list is empty" "$(k --as yangfan --json list | jq -c 'length')" 0
eq "uninvolved lawyer: search finds nothing" "$(k --as yangfan --json search 收费 | jq -c 'length') $(k --as yangfan --json search 王 | jq -c 'length')" '0 0'
eq "the officer finds it" "$(k --as huangmin --json search 收费 | jq -c 'map(.case)')" "[\"$J\"]"
eq "the front desk sees what it registered only" "$(k --as linxiao --json list | jq -c 'map(.case)')" "[\"$A\"]"

# --- partners' meeting for major matters --------------------------------------
expect 0 "accept" k --as huangmin --now '2026-11-04 09:00' do $L accept
expect 0 "opinion: major, 非诉" k --as huangmin --now '2026-11-04 15:00' do $L opinion finding=涉及多名律师 officer_opinion=建议上会 major=yes practice=非诉
eq "非诉 → 韩雪" "$(sh_at $L '2026-11-04 15:00' '[.fields.supervisor, .assignee]')" '["hanxue","hanxue"]'
eq "a major matter cannot be decided alone: partners may only refer it" "$(acts xugang $L)" '["refer_meeting"]'
expect 3 "the officer may not refer to the meeting" k --as huangmin --now '2026-11-05 09:00' do $L refer_meeting
expect 0 "a partner refers it to the meeting" k --as xugang --now '2026-11-05 09:00' do $L refer_meeting
eq "state meeting" "$(sh_at $L '2026-11-05 09:00' '.state')" '"meeting"'
eq "the officer can do nothing in the meeting" "$(acts huangmin $L)" '[]'
expect 3 "the officer may not record the resolution" k --as huangmin --now '2026-11-06 09:00' do $L minute attendees=x decision=y notify_authority=no
expect 2 "nothing to sign before the resolution is recorded" k --as xugang --now '2026-11-06 15:00' do $L resolve
expect 0 "the meeting's resolution, with whether to notify the authorities" \
	k --as xugang --now '2026-11-06 16:00' do $L minute attendees=徐刚、宋涛、韩雪 decision=约谈相关律师 notify_authority=yes
# 会签: two different partners must each sign; the first signature leaves the case in the meeting
expect 0 "徐刚 signs" k --as xugang --now '2026-11-06 16:10' do $L resolve
eq "one signature: still in the meeting" "$(sh_at $L '2026-11-06 16:10' '.state')" '"meeting"'
expect 2 "the same partner cannot sign twice" k --as xugang --now '2026-11-06 16:11' do $L resolve
grep -q '已会签「合伙人会签决议」（1/2）' "$TMP/err" && ok "… the refusal says so (1/2)" || { fail "… the refusal says so (1/2)"; show_io; }
eq "… nor is it offered to him" "$(acts xugang $L)" '["minute"]'
expect 3 "the officer cannot sign" k --as huangmin --now '2026-11-06 16:12' do $L resolve
expect 0 "the resolution is amended" k --as hanxue --now '2026-11-06 16:20' do $L minute attendees=徐刚、宋涛、韩雪 decision=约谈相关律师并书面道歉 notify_authority=yes
expect 0 "韩雪 signs the amended resolution" k --as hanxue --now '2026-11-06 16:30' do $L resolve
eq "an amendment starts the signing again: still in the meeting" "$(sh_at $L '2026-11-06 16:30' '.state')" '"meeting"'
expect 0 "徐刚 signs it again, the second signature" k --as xugang --now '2026-11-06 16:40' do $L resolve
eq "two signatures: to 组织实施, with the resolution" "$(sh_at $L '2026-11-06 16:40' '[.state, .fields.notify_authority, .fields.decision]')" '["implement","yes","约谈相关律师并书面道歉"]'
eq "each signature is an event of its own" \
	"$(sh_at $L '2026-11-06 16:40' '[.history[] | select(.action == "resolve") | [.actor, .from, .to]]')" \
	'[["xugang","meeting","meeting"],["hanxue","meeting","meeting"],["xugang","meeting","implement"]]'
expect 0 "written reply" k --as huangmin --now '2026-11-07 10:00' do $L reply reply_method=written reply_text=已书面答复
expect 0 "satisfaction survey of both sides and archive" \
	k --as huangmin --now '2026-11-10 10:00' do $L close complainant_satisfaction=satisfied accused_satisfaction=neutral archive_year=2026
eq "closed" "$(sh_at $L '2026-11-10 10:00' '.state')" '"closed"'
# --- 按年度建立案宗 (retention.yaml: keep forever, archive_year: closed) ------------------------
eq "archive list: the closing year, kept forever" \
	"$(k --as huangmin --now '2027-01-05 10:00' --json archive list | jq -c "map(select(.case == \"$L\")) | .[0] | [.archive_year, .archive, .retention_end]")" '[2026,"forever",null]'
eq "never due" "$(k --as huangmin --now '2040-01-05 10:00' --json archive list --due | jq -c 'length')" 0
refuse 3 "no one may dispose (no dispose roles)" k --as huangmin --now '2040-01-05 10:00' archive dispose $L --yes
# a firm that chose a limited retention: a disposed case can't be reopened
printf 'retention:\n  keep: {months: 1}\n  archive_year: closed\n  dispose: [director]\n' >"$D/config/retention.yaml"
expect 0 "with keep: {months: 1} the director disposes the case" k --as xugang --now '2027-01-05 10:00' archive dispose $L --yes
refuse 2 "a disposed case is not reopened" k --as huangmin --now '2027-01-05 11:00' do $L reopen reopen_reason=仍不满意
eq "… saying why" "$(errline | grep -c '已按保存期限销毁')" 1
expect 0 "audit verify passes" k audit verify
finish
