#!/bin/sh
# permissions.sh — at each state, the state's action by every wrong person exits 3
# with "kesu: …" and changes nothing; approval limits; wrong state, unknown action,
# unknown case, stale --version, unknown login; and trust (--as/--now only for the
# owner of the data directory).
set -eu
. "$(dirname "$0")/lib.inc"

STAFF="qiantai guanli zhijian zhiguan shengchan yewujingli fuzong zongjingli"
REG="customer=苏州恒达电子 contact=13800000000 channel=visit region=domestic category=quality subject=焊点虚焊 detail=整批返修"
RPT="cause=回流焊温度曲线错误 process=复查炉温记录 responsible=SMT线 conclusion=属实 countermeasure=重新设定 prevention=首件确认"

# wrong_people CASE "RIGHT LOGINS" TIME ACTION ARGS...: everyone else gets 3, nothing changes
wrong_people() {
	_c=$1 _right=" $2 " _t=$3; shift 3
	for _u in $STAFF; do
		case $_right in *" $_u "*) continue ;; esac
		refuse 3 "$_u: do $_c $1" k --as "$_u" --now "$_t" do "$_c" "$@"
	done
}
# state_is CASE STATE VERSION
state_is() { eq "$1 is $2, version $3" "$(js guanli "$1" '[.state, .version]')" "[\"$2\",$3]"; }
# offered LOGIN CASE CODES: `actions --json` as LOGIN lists exactly CODES (a JSON array)
offered() {
	_got=$(k --as "$1" --json actions "$2" 2>"$TMP/err" | jq -c 'map(.action)' 2>/dev/null) || true
	eq "actions $2 for $1" "${_got:-(no output) $(errline)}" "$3"
}

newdata perm

# --- intake ---------------------------------------------------------------------
for u in guanli zhijian zhiguan shengchan yewujingli fuzong zongjingli; do
	refuse 3 "$u (not a registrar): new" k --as $u --now '2026-11-02 09:00' new $REG
done
run k --as guanli --now '2026-11-02 09:00' new $REG
err_has "the message names 张明 and the role needed" 张明 业务受理
expect 0 "qiantai: new" k --as qiantai --now '2026-11-02 09:00' new $REG
C=$(cat "$TMP/out")
eq "case number" "$C" 2611-001
wrong_people $C "guanli" '2026-11-02 09:30' accept
state_is $C intake 1
refuse 2 "zongjingli: approve in intake (not allowed in this state)" \
	k --as zongjingli --now '2026-11-02 09:30' do $C approve decision=x
refuse 2 "guanli: close in intake (not allowed in this state)" k --as guanli --now '2026-11-02 09:30' do $C close
refuse 2 "guanli: unknown action" k --as guanli --now '2026-11-02 09:30' do $C frobnicate
err_has "the message names the unknown action" frobnicate
refuse 5 "guanli: do on an unknown case" k --as guanli --now '2026-11-02 09:30' do 2611-999 accept
refuse 5 "guanli: show an unknown case" k --as guanli show 2611-999
refuse 5 "guanli: actions of an unknown case" k --as guanli actions 2611-999
refuse 3 "--as a login that is not staff: show" k --as nosuchuser show $C
refuse 3 "--as a login that is not staff: do" k --as nosuchuser --now '2026-11-02 09:30' do $C accept
expect 0 "guanli: accept --version 1" k --as guanli --now '2026-11-02 09:30' do $C accept --version 1

# --- dispatch -------------------------------------------------------------------
state_is $C dispatch 2
wrong_people $C "guanli" '2026-11-02 10:00' assign dept=quality
refuse 4 "guanli: assign --version 1 when the case is at version 2" \
	k --as guanli --now '2026-11-02 10:00' do $C assign dept=quality --version 1
err_has "the conflict names who changed the case" 张明
expect 0 "guanli: assign dept=quality" k --as guanli --now '2026-11-02 10:00' do $C assign dept=quality

# --- investigation (quality) --------------------------------------------------------
state_is $C investigation 3
wrong_people $C "zhijian zhiguan" '2026-11-03 10:00' report $RPT loss=80000
run k --as shengchan --now '2026-11-03 10:00' do $C report $RPT loss=80000
err_has "shengchan (investigator of 制造部) is refused because of the department" 质量管理部
expect 0 "zhijian: report loss=80000" k --as zhijian --now '2026-11-03 10:00' do $C report $RPT loss=80000

# --- review, loss 80000 -------------------------------------------------------------
state_is $C review 4
refuse 4 "zongjingli: approve --version 3 after 陈立's report" \
	k --as zongjingli --now '2026-11-04 09:00' do $C approve decision=同意 --version 3
err_has "the conflict names who changed the case" 陈立
wrong_people $C "zongjingli" '2026-11-04 09:00' approve decision=同意
run k --as fuzong --now '2026-11-04 09:00' do $C approve decision=同意
err_has "fuzong over his limit: the message names 吴天成 and 总经理" 吴天成 总经理
offered guanli $C '["return"]'
offered fuzong $C '["return"]'
offered yewujingli $C '["return"]'
offered zongjingli $C '["approve","return"]'
expect 0 "zongjingli: approve" k --as zongjingli --now '2026-11-04 09:00' do $C approve decision=同意

# --- reply ----------------------------------------------------------------------
state_is $C reply 5
wrong_people $C "qiantai" '2026-11-05 09:00' reply method=phone accepted=no
refuse 2 "zongjingli: close before any reply" k --as zongjingli --now '2026-11-05 09:00' do $C close
expect 0 "qiantai: reply accepted=no" k --as qiantai --now '2026-11-05 09:00' do $C reply method=phone accepted=no
refuse 2 "zongjingli: close when the customer did not accept" k --as zongjingli --now '2026-11-05 10:00' do $C close
err_has "the message says the customer must accept" 客户是否接受
expect 0 "qiantai: reply accepted=yes" k --as qiantai --now '2026-11-06 09:00' do $C reply method=phone accepted=yes
wrong_people $C "zongjingli" '2026-11-06 10:00' close
expect 0 "zongjingli: close" k --as zongjingli --now '2026-11-06 10:00' do $C close

# --- closed -------------------------------------------------------------------------
state_is $C closed 8
wrong_people $C "qiantai guanli" '2026-11-07 10:00' reopen reason=复查
refuse 2 "zongjingli: close a closed case" k --as zongjingli --now '2026-11-07 10:00' do $C close

# --- approval limits: loss 6000 -------------------------------------------------------
expect 0 "qiantai: new (second case)" k --as qiantai --now '2026-11-09 09:00' new $REG
C2=$(cat "$TMP/out")
expect 0 "guanli: accept" k --as guanli --now '2026-11-09 09:10' do $C2 accept
expect 0 "guanli: assign" k --as guanli --now '2026-11-09 09:20' do $C2 assign dept=quality
expect 0 "zhiguan: report loss=6000" k --as zhiguan --now '2026-11-09 15:00' do $C2 report $RPT loss=6000
refuse 3 "yewujingli (limit 5000): approve loss 6000" k --as yewujingli --now '2026-11-10 09:00' do $C2 approve decision=同意
err_has "the message names who may approve" 周建国 吴天成
offered yewujingli $C2 '["return"]'
offered fuzong $C2 '["approve","return"]'
expect 0 "fuzong (limit 50000): approve loss 6000" k --as fuzong --now '2026-11-10 09:00' do $C2 approve decision=同意
state_is $C2 reply 5

# --- trust ------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	# a copy whose staff includes the Unix login root, owned by nobody: root is then a
	# member of staff but not the owner, so only --as and --now are refused
	cp -R "$D" "$TMP/trust"
	D=$TMP/trust
	printf '  - login: root\n    name: 测试员\n    dept: sales\n    roles: [registrar]\n' >>"$D/config/staff.yaml"
	expect 0 "check-config with root added to staff" k check-config
	chown nobody "$D"
	expect 0 "not the owner, no --as/--now: show" k show $C
	refuse 3 "not the owner: --as guanli show" k --as guanli show $C
	refuse 3 "not the owner: --now show" k --now '2026-11-20 09:00' show $C
	refuse 3 "not the owner: --as guanli --now do return" k --as guanli --now '2026-11-20 09:00' do $C2 return reason=x
	refuse 3 "not the owner: --now new" k --now '2026-11-20 09:00' new $REG
	err_has "the message names --as/--now" --now
	chown root "$D"
	expect 0 "owner again: --as guanli show" k --as guanli show $C
else
	echo "skip  trust: needs root to chown the data directory"
fi

finish
