#!/bin/sh
# matrix.sh — the rights matrix (issue 7): every role × every action of the
# manufacturing workflow × the person's relation to the case, written out as
# a literal table below and checked against the program. Exit 0: the action
# was done; 3: refused (the person sees the case but may not do this); 5: "not
# found" (the person may not even see the case: confidentiality and recusal
# answer exactly as for a case that does not exist). Every refusal prints one
# "kesu: …" line and changes nothing in the database.
#
# The configuration is the manufacturing preset with every role narrowed to
# `sees: department`, an extra action `reassign` (改派, coordinator, during
# investigation) and, for each role, four people:
#   *_g  生产管理组 (gm_prod): the case's department while in intake and dispatch
#   *_q  质量管理部 (quality): the case's department from investigation on
#   *_s  业务部 (sales): another department, never involved
#   *_m  制造部 (manufacturing): involved — each acted on the case in a first
#        round (registered, accepted, assigned, reported, approved, replied,
#        closed, reopened, reassigned); dept_head has no action and never acts
# and huibi (质量管理部, every role, no approval limit), the person complained
# about on every case: recused. A control shows huibi may do each action on a
# case that does not name him.
set -eu
. "$(dirname "$0")/lib.inc"

RPT="cause=回流焊温度曲线错误 process=复查炉温记录 responsible=SMT线 conclusion=属实 countermeasure=重新设定 prevention=首件确认"

# ---- the table -------------------------------------------------------------------
# state    action    role prefix: own other involved recused, for each of
#                    reg (registrar) coo (coordinator) inv (investigator)
#                    hed (dept_head) app (approver) gm (gm)
MATRIX='
intake        accept    reg 3 5 3 5  coo 0 0 0 5  inv 3 5 5 5  hed 3 5 5 5  app 3 5 5 5  gm 3 5 5 5
intake        reject    reg 3 5 3 5  coo 0 0 0 5  inv 3 5 5 5  hed 3 5 5 5  app 3 5 5 5  gm 3 5 5 5
dispatch      assign    reg 3 5 3 5  coo 0 0 0 5  inv 3 5 5 5  hed 3 5 5 5  app 3 5 5 5  gm 3 5 5 5
investigation report    reg 3 5 3 5  coo 3 3 3 5  inv 0 5 3 5  hed 3 5 5 5  app 3 5 3 5  gm 3 5 3 5
investigation reassign  reg 3 5 3 5  coo 0 0 0 5  inv 3 5 3 5  hed 3 5 5 5  app 3 5 3 5  gm 3 5 3 5
review        approve   reg 3 5 3 5  coo 3 3 3 5  inv 3 5 3 5  hed 3 5 5 5  app 0 0 0 5  gm 3 5 3 5
review        return    reg 3 5 3 5  coo 0 0 0 5  inv 3 5 3 5  hed 3 5 5 5  app 0 0 0 5  gm 3 5 3 5
reply         reply     reg 0 0 0 5  coo 3 3 3 5  inv 3 5 3 5  hed 3 5 5 5  app 3 5 3 5  gm 3 5 3 5
accepted      close     reg 3 3 3 5  coo 3 3 3 5  inv 3 5 3 5  hed 3 5 5 5  app 3 5 3 5  gm 0 0 0 5
closed        reopen    reg 0 0 0 5  coo 0 0 0 5  inv 3 5 3 5  hed 3 5 5 5  app 3 5 3 5  gm 3 5 3 5
'
# Why, in words: a person sees a case of their department (sees: department),
# one they acted on, or one they may act on now; so "other" is 5 unless the
# role may do something in that state (coordinators may return or reopen,
# registrars may answer again, …) — then it is 3. report is scope case_dept:
# an investigator of another department is refused even when involved. The
# customer's acceptance is cleared on reopen, so after the first round a gm of
# another department may not close (and so does not see the case) until a new
# accepted reply: state "accepted" is reply after that reply.

args_of() {
	case $1 in
	accept | close) ;;
	reject | return | reopen) echo "reason=矩阵测试" ;;
	assign) echo "dept=quality" ;;
	reassign) echo "dept=quality" ;;
	report) echo "$RPT loss=100" ;;
	approve) echo "decision=同意" ;;
	reply) echo "method=phone accepted=yes" ;;
	esac
}

# ---- the configuration --------------------------------------------------------------
newdata matrix
sed -i 's/sees: all/sees: department/' "$D/config/staff.yaml"
role_of() {
	case $1 in reg) echo registrar ;; coo) echo coordinator ;; inv) echo investigator ;;
	hed) echo dept_head ;; app) echo approver ;; gm) echo gm ;; esac
}
for p in reg coo inv hed app gm; do
	for d in g:gm_prod q:quality s:sales m:manufacturing; do
		printf '  - login: %s_%s\n    name: %s%s\n    dept: %s\n    roles: [%s]\n    approval_limit: unlimited\n' \
			"$p" "${d%%:*}" "$p" "${d%%:*}" "${d#*:}" "$(role_of $p)" >>"$D/config/staff.yaml"
	done
done
printf '  - login: huibi\n    name: 回避者\n    dept: quality\n    roles: [registrar, coordinator, investigator, dept_head, approver, gm]\n    approval_limit: unlimited\n' \
	>>"$D/config/staff.yaml"
cat >>"$D/config/workflow.yaml" <<'YAML'

  - code: reassign
    label: 改派
    from: [investigation]
    roles: [coordinator]
    set_dept: dept
    fields:
      - {key: dept, label: 调查部门, type: department, required: true}
YAML
expect 0 "check-config with the matrix staff and reassign" k check-config
sqlite3 "$D/kesu.db" .dump >/dev/null

# ---- fixtures: one data directory per state, the case 2611-001 in it --------------------
# step STATE: the actions that bring a case from the previous state to STATE
T=100
at() { T=$((T + 1)); printf '2026-11-%02d %02d:%02d' $((2 + T / 600)) $((8 + T / 60 % 10)) $((T % 60)); }
act() { # LOGIN ACTION ARGS...
	_u=$1 _a=$2; shift 2
	k --as "$_u" --now "$(at)" do 2611-001 "$_a" "$@" >/dev/null 2>"$TMP/err" ||
		{ fail "fixture: $_u $_a: $(errline)"; finish; exit 1; }
}
FIX=$TMP/fix
# ACCUSED: huibi for the matrix, nobody for the control
build_fixtures() { # DIR ACCUSED
	_dir=$1 _acc=$2
	rm -rf "$_dir"; mkdir -p "$_dir"
	cp -R "$D" "$_dir/base"
	_save=$D; D=$_dir/work; cp -R "$_dir/base" "$D"
	k --as reg_m --now "$(at)" new customer=苏州恒达电子 contact=13800000000 channel=visit region=domestic \
		category=quality subject=焊点虚焊 detail=整批返修 ${_acc:+accused=$_acc} >/dev/null 2>"$TMP/err" ||
		{ fail "fixture: new: $(errline)"; finish; exit 1; }
	cp -R "$D" "$_dir/intake"
	act coo_m accept; cp -R "$D" "$_dir/dispatch"
	act coo_m assign dept=manufacturing
	act inv_m report $RPT loss=100
	act app_m approve decision=同意
	act reg_m reply method=phone accepted=yes
	act gm_m close
	act coo_m reopen reason=客户不满意
	act coo_m reassign dept=quality; cp -R "$D" "$_dir/investigation"
	act inv_q report $RPT loss=100; cp -R "$D" "$_dir/review"
	act app_q approve decision=同意; cp -R "$D" "$_dir/reply"
	act reg_q reply method=phone accepted=yes; cp -R "$D" "$_dir/accepted"
	act gm_q close; cp -R "$D" "$_dir/closed"
	D=$_save
}
build_fixtures "$FIX" huibi
build_fixtures "$TMP/control" ""
eq "fixture: the case is closed after two rounds" \
	"$("$KESU" --data "$FIX/closed" --as reg_m --json show 2611-001 | jq -c '[.state, .version]')" '["closed",13]'

# ---- the matrix ---------------------------------------------------------------------------
n=0
echo "$MATRIX" | while read -r state action rest; do
	[ -n "$state" ] || continue
	set -- $rest
	while [ $# -ge 5 ]; do
		p=$1 own=$2 other=$3 inv=$4 rec=$5; shift 5
		case $state in intake | dispatch) ownp=${p}_g ;; *) ownp=${p}_q ;; esac
		for cell in "$ownp:$own:own" "${p}_s:$other:other" "${p}_m:$inv:involved" "huibi:$rec:recused"; do
			who=${cell%%:*} want=${cell#*:}; want=${want%%:*} rel=${cell##*:}
			[ "$rel" = recused ] && [ "$p" != reg ] && continue # one huibi holds every role: once per action
			D=$TMP/cell; rm -rf "$D"; cp -R "$FIX/$state" "$D"
			desc="$state $action by $who ($(role_of $p), $rel)"
			if [ "$want" = 0 ]; then
				expect 0 "$desc" k --as "$who" --now '2026-11-20 10:00' do 2611-001 "$action" $(args_of "$action")
			else
				refuse "$want" "$desc" k --as "$who" --now '2026-11-20 10:00' do 2611-001 "$action" $(args_of "$action")
			fi
		done
	done
	# the control: huibi, not named on this case, may do it
	D=$TMP/cell; rm -rf "$D"; cp -R "$TMP/control/$state" "$D"
	expect 0 "$state $action by huibi on a case that does not name him (control)" \
		k --as huibi --now '2026-11-20 10:00' do 2611-001 "$action" $(args_of "$action")
	echo "$npass $nfail" >"$TMP/counts"
done
read npass nfail <"$TMP/counts"
# each row: 6 roles × 3 relations, huibi once, the control; plus check-config and the fixture check
cells=$(echo "$MATRIX" | awk 'NF { n += 6 * 3 + 1 + 1 } END { print n }')
eq "every cell of the table was checked" "$((npass + nfail))" "$((cells + 2))"
finish
