#!/bin/sh
# concurrency.sh — 8 processes registering 200 complaints each at the same time:
# 1,600 distinct numbers, no failure, an intact database.  Then two processes racing
# `do CASE accept --version 1`: exactly one wins, the other gets the conflict (4).
# Then RW processes doing RI random legal actions each on RC shared cases
# (reliability.inc): every case's version = its events, no number twice,
# integrity_check and audit verify pass, every acknowledged action is in the history,
# and every refusal is the one the race explains (4 with --version, 2 without).
set -eu
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/reliability.inc"

P=8
N=200
RACES=20
REG="contact=021-5555 channel=chat region=domestic category=quality subject=批量登记 detail=并发测试"

newdata conc

# --- 8 x 200 registrations --------------------------------------------------------------
t=$(date +%s)
p=1
while [ $p -le $P ]; do
	(
		i=1 bad=0
		while [ $i -le $N ]; do
			"$KESU" --data "$D" --as qiantai --now '2026-11-02 09:00' new customer=客户$p-$i $REG \
				>>"$TMP/num.$p" 2>>"$TMP/err.$p" || bad=$((bad + 1))
			i=$((i + 1))
		done
		echo $bad >"$TMP/bad.$p"
	) &
	p=$((p + 1))
done
wait
echo "      ($P x $N registrations in $(($(date +%s) - t)) s)"

p=1
while [ $p -le $P ]; do
	eq "process $p: $N registrations, all exit 0" "$(cat "$TMP/bad.$p") $(awk 'END { print NR }' "$TMP/num.$p")" "0 $N"
	[ ! -s "$TMP/err.$p" ] || { fail "process $p wrote on stderr:"; sed 's/^/        /' "$TMP/err.$p" | sort | uniq -c | head -5; }
	p=$((p + 1))
done
cat "$TMP"/num.* >"$TMP/all"
eq "$((P * N)) distinct numbers" "$(sort -u "$TMP/all" | wc -l | tr -d ' ')" $((P * N))
seq -f '2611-%03g' 1 $((P * N)) | sort >"$TMP/want"
if sort "$TMP/all" | cmp -s - "$TMP/want"; then
	ok "the numbers are exactly 2611-001 … 2611-$((P * N))"
else
	fail "the numbers are not 2611-001 … 2611-$((P * N)): $(sort "$TMP/all" | comm -3 - "$TMP/want" | head -5 | tr '\n' ' ')"
fi
eq "select count(*) from cases" "$(count cases)" $((P * N))
eq "select count(*) from events" "$(count events)" $((P * N))
eq "each customer registered once" \
	"$(sqlite3 "$D/kesu.db" 'select count(distinct customer) from cases')" $((P * N))
eq "pragma integrity_check" "$(sqlite3 "$D/kesu.db" 'pragma integrity_check')" ok

# --- races on accept --version 1 ---------------------------------------------------------------
t=$(date +%s)
r=1
wins=0
while [ $r -le $RACES ]; do
	C=$(k --as qiantai --now '2026-11-03 09:00' new customer=竞争$r $REG)
	for j in 1 2; do
		(
			rc=0
			"$KESU" --data "$D" --as guanli --now '2026-11-03 09:30' do "$C" accept --version 1 \
				>/dev/null 2>"$TMP/race.$j" || rc=$?
			echo $rc >"$TMP/rc.$j"
		) &
	done
	wait
	got="$(cat "$TMP/rc.1") $(cat "$TMP/rc.2")"
	case $got in
	"0 4" | "4 0") wins=$((wins + 1)) ;;
	*) fail "race $r on $C: exit statuses $got, want one 0 and one 4: $(cat "$TMP/race.1" "$TMP/race.2" | tr '\n' ' ')" ;;
	esac
	v=$(js guanli "$C" '[.state, .version, (.history | length)]')
	[ "$v" = '["dispatch",2,2]' ] || fail "race $r on $C: state/version/history $v, want [\"dispatch\",2,2]"
	r=$((r + 1))
done
eq "$RACES races: exactly one accept succeeded, the other exited 4" "$wins" $RACES
echo "      ($RACES races in $(($(date +%s) - t)) s)"
eq "pragma integrity_check after the races" "$(sqlite3 "$D/kesu.db" 'pragma integrity_check')" ok

# --- random legal actions on shared cases -------------------------------------------------
RW=${RW:-4} RI=${RI:-40} RC=${RC:-6}
echo "      (random actions: $RW processes x $RI actions on $RC cases, SEED=$SEED)"
t=$(date +%s)
rel_setup "$RC"
w=1
while [ $w -le "$RW" ]; do
	rel_worker $w "$RI" 0 1 &
	w=$((w + 1))
done
wait
cat "$TMP"/rc.[0-9]* >"$TMP/rcs"
echo "      ($(awk 'END { print NR }' "$TMP/rcs") actions in $(($(date +%s) - t)) s:" \
	"$(awk '$1 == 0' "$TMP/rcs" | wc -l | tr -d ' ') done," \
	"$(awk '$1 == 4' "$TMP/rcs" | wc -l | tr -d ' ') conflicts," \
	"$(awk '$1 == 2' "$TMP/rcs" | wc -l | tr -d ' ') refused as no longer allowed)"
eq "every versioned action done or a conflict (4)" \
	"$(awk '$4 == "v" && $1 != 0 && $1 != 4' "$TMP/rcs" | sort | uniq -c | tr '\n' ' ')" ""
eq "every unversioned action done or refused as not allowed now (2)" \
	"$(awk '$4 != "v" && $1 != 0 && !($1 == 2 && $3 != "new")' "$TMP/rcs" | sort | uniq -c | tr '\n' ' ')" ""
if [ -n "$(cat "$TMP"/msg.* 2>/dev/null | awk '$1 == 2' | grep -v -e 当前状态为 -e 现在不能)" ]; then
	fail "a refusal (2) other than the state having moved on: $(cat "$TMP"/msg.* | awk '$1 == 2' | grep -v -e 当前状态为 -e 现在不能 | head -3)"
else
	ok "every refusal (2) says the state or a field has moved on"
fi
[ "$(awk '$1 == 0' "$TMP/rcs" | wc -l)" -gt "$RW" ] && ok "more than $RW actions done" || fail "hardly any action done"
rel_check "after $RW x $RI random actions"

finish
