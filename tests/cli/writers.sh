#!/bin/sh
# writers.sh — 8 processes writing the same 4 cases at once (issue 10): every
# action is acknowledged (no "数据库繁忙" or any other error reaches a person),
# every acknowledged action is in the history exactly once, each case's
# version equals its number of events with seq 1 … version, and the database
# and the audit chain are intact. Then racing `--version` writes: a stale
# version is refused as a conflict (4) — after waiting for the write lock the
# version check still applies.
set -eu
. "$(dirname "$0")/lib.inc"

P=8          # processes
N=20         # actions each
CASES=4
REG="contact=021-5555 channel=phone region=domestic category=quality subject=并发写入 detail=多人同时处理"
RPT="cause=来料不良 process=复查 responsible=供应商 conclusion=属实 countermeasure=更换 prevention=来料检验"

newdata wr

# CASES cases waiting in `reply`, where 答复客户 (reply) may be repeated
i=1
while [ $i -le $CASES ]; do
	C=$(k --as qiantai --now '2026-11-02 09:00' new customer=客户$i $REG)
	k --as guanli --now '2026-11-02 09:10' do "$C" accept >/dev/null
	k --as guanli --now '2026-11-02 09:20' do "$C" assign dept=quality >/dev/null
	k --as zhijian --now '2026-11-02 10:00' do "$C" report $RPT >/dev/null
	k --as yewujingli --now '2026-11-02 11:00' do "$C" approve decision=同意 >/dev/null
	echo "$C" >>"$TMP/cases"
	i=$((i + 1))
done
eq "$CASES cases in reply, version 5" "$(for c in $(cat "$TMP/cases"); do js guanli "$c" '[.state,.version]'; done | sort -u)" '["reply",5]'

# --- P processes x N replies on the shared cases ----------------------------------------
t=$(date +%s)
p=1
while [ $p -le $P ]; do
	(
		i=1
		while [ $i -le $N ]; do
			# process p's i-th action goes to case (p + i) mod CASES: all processes on all cases
			c=$(sed -n "$(((p + i) % CASES + 1))p" "$TMP/cases")
			if "$KESU" --data "$D" --as qiantai --now '2026-11-03 09:00' do "$c" reply method=phone \
				accepted=no answer=p$p-a$i >/dev/null 2>>"$TMP/err.$p"; then
				echo "$c p$p-a$i" >>"$TMP/ack.$p"
			else
				echo "$c p$p-a$i exit $?" >>"$TMP/bad.$p"
			fi
			i=$((i + 1))
		done
	) &
	p=$((p + 1))
done
wait
echo "      ($P x $N actions on $CASES shared cases in $(($(date +%s) - t)) s)"

cat "$TMP"/bad.* >"$TMP/bad" 2>/dev/null || :
eq "no action failed" "$(wc -l <"$TMP/bad" | tr -d ' ')" 0
busy=$(cat "$TMP"/err.* | grep -c 繁忙 || :)
eq "no busy error reached a person" "$busy" 0
[ ! -s "$TMP/bad" ] || sed 's/^/        /' "$TMP/bad" | head -5
cat "$TMP"/err.* | sort | uniq -c | head -3 | sed 's/^/        stderr: /'
cat "$TMP"/ack.* | sort >"$TMP/ack"
eq "$((P * N)) actions acknowledged" "$(wc -l <"$TMP/ack" | tr -d ' ')" $((P * N))

# every acknowledged action is in its case's history once, and nothing else is
sqlite3 -separator ' ' "$D/kesu.db" \
	"select c.no, json_extract(e.fields, '\$.answer') from events e join cases c on c.id = e.case_id
	 where e.action = 'reply' order by 1, 2" | sort >"$TMP/stored"
if cmp -s "$TMP/ack" "$TMP/stored"; then
	ok "every acknowledged action is stored once, and only those"
else
	fail "acknowledged vs stored differ: $(diff "$TMP/ack" "$TMP/stored" | head -5 | tr '\n' ' ')"
fi
eq "each case: version = number of events = max seq, seq distinct" \
	"$(sqlite3 "$D/kesu.db" "select count(*) from cases c where c.version != (select count(*) from events e where e.case_id = c.id)
	   or c.version != (select max(seq) from events e where e.case_id = c.id)
	   or (select count(distinct seq) from events e where e.case_id = c.id) != c.version")" 0
eq "events in all" "$(count events)" $((CASES * 5 + P * N))
eq "pragma integrity_check" "$(sqlite3 "$D/kesu.db" 'pragma integrity_check')" ok
run k audit verify
eq "audit verify" "$rc" 0

# --- a stale version is still refused after waiting for the lock -----------------------
C=$(head -n 1 "$TMP/cases")
V=$(js guanli "$C" .version)
p=1
while [ $p -le 4 ]; do
	(
		rc=0
		"$KESU" --data "$D" --as qiantai --now '2026-11-03 10:00' do "$C" reply method=phone accepted=no \
			answer=race$p --version "$V" >/dev/null 2>"$TMP/race.$p" || rc=$?
		echo $rc >"$TMP/rc.$p"
	) &
	p=$((p + 1))
done
wait
eq "4 racing writes at version $V: one succeeds, three conflict (4)" "$(cat "$TMP"/rc.* | sort | tr '\n' ' ')" "0 4 4 4 "
eq "the three were told the case changed, not that the database was busy" \
	"$(cat "$TMP"/race.* | grep -c 已被 || :) $(cat "$TMP"/race.* | grep -c 繁忙 || :)" "3 0"
eq "$C: version $((V + 1)) = its events" \
	"$(sqlite3 "$D/kesu.db" "select version, (select count(*) from events e where e.case_id = c.id) from cases c where no = '$C'")" \
	"$((V + 1))|$((V + 1))"

finish
