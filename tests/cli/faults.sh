#!/bin/sh
# faults.sh — I/O faults under kesu: the K-th read, write or sync of SQLite
# fails (K = 1, 2, … until a run meets no fault), and a disk that is full from
# the K-th write on (tests/reliability/faultvfs.c, built as
# $(BUILD)/tests/kesu-fault).  For a registration, a transition and a report
# (form revision, clocks, search index; FAULTS_ALL=1): each run either fails cleanly — exit 1
# (or 4), one line "kesu: …" on stderr, nothing on stdout, the database dump
# unchanged — or, when the fault came after the commit (a checkpoint), exits 0
# with the change complete.  After every run integrity_check and audit verify
# pass and the same command, run again without faults, succeeds.
set -eu
. "$(dirname "$0")/lib.inc"

KFAULT=${KESU_FAULT_BIN:-$(dirname "$KESU")/tests/kesu-fault}
[ -x "$KFAULT" ] || { echo "FAIL  no $KFAULT (make $(basename "$(dirname "$KESU")")/tests/kesu-fault)"; exit 1; }

REG="contact=021-5555 channel=chat region=domestic category=quality subject=故障注入 detail=磁盘故障"
RPT="cause=热处理温度偏低 process=复查 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录 loss=88.5"

# the base: 2611-001 in intake, 2611-002 in investigation
newdata base
BASE=$D
k --as qiantai --now '2026-11-02 09:00' new customer=甲 $REG >/dev/null
k --as qiantai --now '2026-11-02 09:05' new customer=乙 $REG >/dev/null
k --as guanli --now '2026-11-02 10:00' do 2611-002 accept >/dev/null
k --as guanli --now '2026-11-02 11:00' do 2611-002 assign dept=quality >/dev/null
db_dump >"$TMP/base.sql"

WORK=$TMP/work
dump_work() { sqlite3 "$WORK/kesu.db" .dump | grep -v '^INSERT INTO "\{0,1\}attempts"\{0,1\} '; }
events_work() { sqlite3 "$WORK/kesu.db" 'select count(*) from events'; }

hits=0 clean=0 aftercommit=0 runs=0
# scenario NAME EVENTS-ADDED ARGS...: every fault kind, K = 1, 2, …
scenario() {
	_name=$1 _add=$2; shift 2
	_want=$(($(sqlite3 "$BASE/kesu.db" 'select count(*) from events') + _add))
	for _op in read write sync full; do
		_k=1 _bad=0 _c=0 _a=0
		while :; do
			rm -rf "$WORK"
			cp -R "$BASE" "$WORK"
			rc=0
			KESU_FAULT=$_op:$_k KESU_FAULT_LOG=$TMP/flog "$KFAULT" --data "$WORK" --now '2026-11-03 09:00' "$@" \
				>"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
			runs=$((runs + 1))
			read -r _hit _rest <"$TMP/flog"
			_why=""
			if [ "$_hit" = nohit ]; then
				[ "$rc" = 0 ] || _why="no fault met, yet exit $rc: $(errline)"
				[ "$(events_work)" = "$_want" ] || _why="$_why; no fault met, yet $(events_work) events, want $_want"
			elif [ "$rc" = 0 ]; then
				# the fault came after the commit (e.g. in the checkpoint at close)
				_a=$((_a + 1))
				[ "$(events_work)" = "$_want" ] || _why="exit 0 after a fault but $(events_work) events, want $_want"
			else
				_c=$((_c + 1))
				case $rc in 1 | 4) ;; *) _why="exit $rc, want 1 or 4" ;; esac
				case $(head -n 1 "$TMP/err") in "kesu: "?*) ;; *) _why="$_why; stderr does not start with 'kesu: '" ;; esac
				[ "$(awk 'END { print NR }' "$TMP/err")" -le 1 ] || _why="$_why; stderr has more than one line"
				[ ! -s "$TMP/out" ] || _why="$_why; stdout not empty"
				dump_work >"$TMP/after.sql"
				cmp -s "$TMP/base.sql" "$TMP/after.sql" || _why="$_why; the database changed"
				cp "$TMP/err" "$TMP/lasterr"
			fi
			_ic=$(sqlite3 "$WORK/kesu.db" 'pragma integrity_check')
			[ "$_ic" = ok ] || _why="$_why; integrity_check: $_ic"
			# (a dump equal to the base's holds the base's intact chain)
			if [ "$rc" = 0 ] || [ -n "$_why" ]; then
				"$KESU" --data "$WORK" audit verify >/dev/null 2>"$TMP/verr" || _why="$_why; audit verify: $(head -c 200 "$TMP/verr")"
			fi
			if [ "$_hit" = hit ] && [ "$rc" != 0 ]; then
				# the data directory still works: the same command, no fault
				"$KESU" --data "$WORK" --now '2026-11-03 09:00' "$@" >/dev/null 2>"$TMP/err2" ||
					_why="$_why; afterwards, without a fault, it fails: $(head -n 1 "$TMP/err2")"
			fi
			if [ -n "$_why" ]; then
				_bad=$((_bad + 1))
				fail "$_name, $_op:$_k: ${_why#; }"
				[ "$_bad" -lt 3 ] || break
			fi
			[ "$_hit" = hit ] || break
			_k=$((_k + 1))
			[ "$_k" -le 2000 ] || { fail "$_name, $_op: still meeting faults at K=2000"; break; }
		done
		hits=$((hits + _k - 1)) clean=$((clean + _c)) aftercommit=$((aftercommit + _a))
		[ "$_bad" -gt 0 ] || ok "$_name, $_op:1…$((_k - 1)): $_c failed cleanly, $_a after the commit; $_op:$_k met no fault and succeeded"
		if [ "$_c" -gt 0 ]; then
			echo "        e.g. $(head -n 1 "$TMP/lasterr" | cut -c1-160)"
		fi
	done
}

scenario "registration (new)" 1 --as qiantai new customer=丙 $REG
scenario "transition (do accept)" 1 --as guanli do 2611-001 accept
# a report (form revision, clocks, search index) too in `make soak`
[ "${FAULTS_ALL:-0}" = 0 ] || scenario "report (do report)" 1 --as zhijian do 2611-002 report $RPT
echo "      ($runs runs, $hits with a fault: $clean failed cleanly, $aftercommit met it after the commit)"
[ "$clean" -gt 0 ] && ok "faults were met and refused" || fail "no run failed: the shim is not in the path"

# the messages name the cause in Chinese
rm -rf "$WORK"; cp -R "$BASE" "$WORK"
rc=0
KESU_FAULT=full:1 "$KFAULT" --data "$WORK" --as guanli do 2611-001 accept >/dev/null 2>"$TMP/err" || rc=$?
eq "disk full: exit 1" "$rc" 1
err_has "disk full: the message says the disk is full" 磁盘
rc=0
KESU_FAULT=write:1 "$KFAULT" --data "$WORK" --as guanli do 2611-001 accept >/dev/null 2>"$TMP/err" || rc=$?
eq "write error: exit 1" "$rc" 1
err_has "write error: the message says what failed, and where" 磁盘读写出错 提交事务
grep -q '（disk I/O error）' "$TMP/err" && fail "SQLite's message in place of what was being done: $(errline)" ||
	ok "the message does not repeat SQLite's text as the step"

finish
