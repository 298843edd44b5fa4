#!/bin/sh
# path.sh — a complaint through the whole manufacturing workflow, each step by the
# right person: state, version, history, forms and fields after every step, and what
# `kesu actions` offers to each member of staff at each point.  Then a reopen after
# the customer refused the reply, and a second investigation report (revision 2).
set -eu
. "$(dirname "$0")/lib.inc"

STAFF="qiantai guanli zhijian zhiguan shengchan yewujingli fuzong zongjingli"
REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality"
RPT="cause=热处理温度偏低 process=客户来料检验发现硬度不足 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"

# state_is CASE STATE VERSION DEPT
state_is() {
	eq "$1 is $2, version $3, dept $4" "$(js guanli "$1" '[.case, .state, .version, .dept]')" "[\"$1\",\"$2\",$3,\"$4\"]"
}

# actions_are CASE "login=a,b login2= …": the action codes each login is offered, in
# workflow order (a login not listed is offered nothing)
actions_are() {
	_c=$1 _spec=" $2 "
	for _u in $STAFF; do
		_want=$(echo "$_spec" | sed -n "s/.* $_u=\([a-z,]*\) .*/\1/p")
		_want=$(jq -nc --arg s "$_want" '$s | split(",") | map(select(. != ""))')
		_got=$(k --as "$_u" --json actions "$_c" 2>"$TMP/err" | jq -c 'map(.action)' 2>/dev/null) || _got="(exit/JSON error) $(errline)"
		eq "actions $_c for $_u" "${_got:-(no output) $(errline)}" "$_want"
	done
}

# do_step LOGIN TIME CASE ACTION ARGS...
do_step() {
	_u=$1 _t=$2; shift 2
	expect 0 "$_u: do $*" k --as "$_u" --now "$_t" do "$@"
}

newdata p

# --- 1. registration ----------------------------------------------------------
run k --as qiantai --now '2026-11-02 09:00' new $REG subject=齿轮硬度不足 'detail=第 3 批齿轮硬度低于图纸要求' \
	request=exchange order_no=PO-2026-118 part_no=G-40-17 ship_date=2026-10-20 qty=500 defect_qty=pending
eq "new prints the case number" "$rc $(cat "$TMP/out")" "0 2611-001"
C=2611-001
state_is $C intake 1 gm_prod
eq "registration fields" "$(js guanli $C '.fields | [.customer, .channel, .ship_date, .qty, .defect_qty]')" \
	'["华东精密机械有限公司","phone","2026-10-20",500,"pending"]'
actions_are $C "guanli=accept,reject"

# --- 2..7 ---------------------------------------------------------------------
do_step guanli '2026-11-02 10:00' $C accept
state_is $C dispatch 2 gm_prod
actions_are $C "guanli=assign"
eq "actions --json elements are {action,label,fields}" \
	"$(k --as guanli --json actions $C | jq -c 'map(keys)')" '[["action","fields","label"]]'
eq "assign asks for dept, required" \
	"$(k --as guanli --json actions $C | jq -c '.[0] | [.label, (.fields | map([.key, .required]))]')" '["分派",[["dept",true]]]'

do_step guanli '2026-11-02 11:30' $C assign dept=quality
state_is $C investigation 3 quality
actions_are $C "zhijian=report zhiguan=report"
eq "report asks for the investigation_report fields" \
	"$(k --as zhijian --json actions $C | jq -c '.[0].fields | map(select(.required) | .key)')" \
	'["cause","process","responsible","conclusion","countermeasure","prevention"]'

do_step zhijian '2026-11-04 15:00' $C report $RPT loss=1234.56
state_is $C review 4 quality
eq "loss stored as integer fen" "$(js guanli $C '.fields.loss')" 123456
actions_are $C "guanli=return yewujingli=approve,return fuzong=approve,return zongjingli=approve,return"

do_step yewujingli '2026-11-05 09:10' $C approve decision=同意换货
state_is $C reply 5 quality
actions_are $C "qiantai=reply,reopen guanli=reopen zhiguan=dissent yewujingli=dissent"

do_step qiantai '2026-11-05 14:00' $C reply method=phone accepted=yes answer=已电话告知客户
state_is $C reply 6 quality
actions_are $C "qiantai=reply,reopen guanli=reopen zongjingli=close zhiguan=dissent yewujingli=dissent"

do_step zongjingli '2026-11-06 10:00' $C close
state_is $C closed 7 quality
actions_are $C "qiantai=reopen guanli=reopen zhiguan=dissent yewujingli=dissent"

# --- the record -----------------------------------------------------------------
eq "history: 7 entries, actions and from/to in order" \
	"$(js guanli $C '[.history[] | [.action, .from, .to]]')" \
	'[["new",null,"intake"],["accept","intake","dispatch"],["assign","dispatch","investigation"],["report","investigation","review"],["approve","review","reply"],["reply","reply","reply"],["close","reply","closed"]]'
eq "history: actors" "$(js guanli $C '[.history[].actor]')" \
	'["qiantai","guanli","guanli","zhijian","yewujingli","qiantai","zongjingli"]'
eq "history: times are the --now times, ISO 8601 +08:00" "$(js guanli $C '[.history[].at]')" \
	'["2026-11-02T09:00:00+08:00","2026-11-02T10:00:00+08:00","2026-11-02T11:30:00+08:00","2026-11-04T15:00:00+08:00","2026-11-05T09:10:00+08:00","2026-11-05T14:00:00+08:00","2026-11-06T10:00:00+08:00"]'
eq "forms: complaint r1 and investigation_report r1" "$(js guanli $C '[.forms[] | [.form, .revision]]')" \
	'[["complaint",1],["investigation_report",1]]'
eq "investigation_report r1 holds the report, loss in fen" \
	"$(js guanli $C '.forms[] | select(.form == "investigation_report") | .fields | [.cause, .responsible, .loss]')" \
	'["热处理温度偏低","热处理班",123456]'
eq "case fields after the path" \
	"$(js guanli $C '.fields | [.dept, .decision, .method, .accepted, .loss, .subject]')" \
	'["quality","同意换货","phone","yes",123456,"齿轮硬度不足"]'
eq "show --json has the documented keys" \
	"$(js guanli $C '[has("case","state","state_label","version","dept","assignee","fields","deadlines","forms","copies","history")] | all')" true
eq "state_label" "$(js guanli $C '.state_label')" '"结案"'

# --- reopen after the customer refused the reply --------------------------------
run k --as qiantai --now '2026-11-09 09:00' new $REG subject=包装破损 detail=外箱破损
eq "second case" "$rc $(cat "$TMP/out")" "0 2611-002"
C=2611-002
do_step guanli '2026-11-09 09:30' $C accept
do_step guanli '2026-11-09 09:40' $C assign dept=quality
do_step zhijian '2026-11-10 10:00' $C report $RPT loss=800
do_step yewujingli '2026-11-10 16:00' $C approve decision=补发
do_step qiantai '2026-11-11 09:00' $C reply method=letter accepted=no
state_is $C reply 6 quality
actions_are $C "qiantai=reply,reopen guanli=reopen zhiguan=dissent yewujingli=dissent"
do_step qiantai '2026-11-11 09:05' $C reopen reason=客户不接受答复
state_is $C investigation 7 quality
actions_are $C "zhijian=report zhiguan=report"
do_step zhiguan '2026-11-12 11:00' $C report cause=运输途中跌落 process=复查 responsible=物流商 conclusion=属实 \
	countermeasure=重新包装 prevention=加固外箱 loss=2500.5
state_is $C review 8 quality
eq "forms: complaint r1, investigation_report r1 and r2" "$(js guanli $C '[.forms[] | [.form, .revision]]')" \
	'[["complaint",1],["investigation_report",1],["investigation_report",2]]'
eq "investigation_report r1 kept unchanged" \
	"$(js guanli $C '.forms[] | select(.form == "investigation_report" and .revision == 1) | .fields | [.cause, .loss]')" \
	'["热处理温度偏低",80000]'
eq "investigation_report r2 holds the new report" \
	"$(js guanli $C '.forms[] | select(.form == "investigation_report" and .revision == 2) | .fields | [.cause, .responsible, .loss]')" \
	'["运输途中跌落","物流商",250050]'
eq "case fields follow the latest report" "$(js guanli $C '.fields | [.cause, .loss]')" '["运输途中跌落",250050]'
eq "history after reopen" "$(js guanli $C '[.history[] | [.action, .from, .to]] | .[5:]')" \
	'[["reply","reply","reply"],["reopen","reply","investigation"],["report","investigation","review"]]'
eq "database: 2 cases, 15 events" "$(count cases) $(count events)" "2 15"

finish
