#!/bin/sh
# crash.sh — writers killed with SIGKILL at random moments.
#
# ROUNDS rounds; in each, W workers (reliability.inc) do A random legal actions
# each on a few shared cases, and each kesu is SIGKILLed with probability
# KILLPCT % after a random delay of 0 … KILLMS ms (by default 1.2 times the
# measured length of one `do`, so kills land in start-up, in the transaction,
# in the commit's fsync and after it).  After every round: every case's
# version = its number of events, no case number twice, integrity_check, audit
# verify, and every action kesu acknowledged (exit 0) is in the history.
# CI size by default (some 300 kills); `make soak` runs ROUNDS=300 W=6 A=4.
set -eu
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/reliability.inc"

ROUNDS=${ROUNDS:-30} W=${W:-4} A=${A:-3} KILLPCT=${KILLPCT:-90} NCASES=${NCASES:-6}

rel_setup "$NCASES"

# calibrate: how long one `do` takes here (ms), median of 5 (a refused accept
# goes through start-up, the transaction and the refusal)
ms() { echo $(($(date +%s%N) / 1000000)); }
i=0
: >"$TMP/cal"
while [ $i -lt 5 ]; do
	t0=$(ms)
	k --as qiantai --json new customer=校准$i $REL_REG >/dev/null
	echo $(($(ms) - t0)) >>"$TMP/cal"
	i=$((i + 1))
done
med=$(sort -n "$TMP/cal" | sed -n 3p)
KILLMS=${KILLMS:-$((med * 6 / 5))}
[ "$KILLMS" -ge 10 ] || KILLMS=10
[ "$KILLMS" -le 999 ] || KILLMS=999
echo "      (one registration takes ${med} ms here; kills after 0…${KILLMS} ms; SEED=$SEED)"
rel_check "before any kill"

t=$(date +%s)
round=1
nfail0=$nfail
while [ $round -le "$ROUNDS" ]; do
	w=1
	while [ $w -le "$W" ]; do
		# worker ids are unique over the run so their ack files accumulate
		rel_worker $(((round - 1) * W + w)) "$A" "$KILLPCT" "$KILLMS" 2>/dev/null &  # (no "Killed" notes)
		w=$((w + 1))
	done
	wait
	rel_check "round $round, $(cat "$TMP"/rc.[0-9]* | awk '$2 == 1' | wc -l | tr -d ' ') kills so far" >"$TMP/check"
	# every check counts; print the failures and every tenth round
	if grep -q '^FAIL' "$TMP/check" || [ $((round % 10)) = 0 ] || [ $round = "$ROUNDS" ]; then
		cat "$TMP/check"
	fi
	[ "$nfail" = "$nfail0" ] || break # the first broken invariant is the one to read
	round=$((round + 1))
done
cat "$TMP"/rc.[0-9]* >"$TMP/rcs"
kills=$(awk '$2 == 1' "$TMP/rcs" | wc -l | tr -d ' ')
done_=$(awk '$1 == 0' "$TMP/rcs" | wc -l | tr -d ' ')
echo "      ($((round - 1)) rounds in $(($(date +%s) - t)) s: $(awk 'END { print NR }' "$TMP/rcs") actions started," \
	"$kills killed by SIGKILL, $done_ acknowledged, the rest refused or conflicts)"
[ "$kills" -ge $((ROUNDS * W * A * KILLPCT / 100 / 3)) ] && ok "$kills processes killed" ||
	fail "only $kills processes were killed while running"
eq "no process ended by a signal it was not sent, or with status 1" \
	"$(awk '($1 >= 128 && $2 == 0) || $1 == 1' "$TMP/rcs" | sort | uniq -c | tr '\n' ' ')" ""
if [ -n "$(cat "$TMP"/showerr.* 2>/dev/null)" ]; then
	fail "show failed: $(cat "$TMP"/showerr.* | head -3 | tr '\n' ' ')"
else
	ok "every show between the kills worked"
fi
# the checks can fail: drop one acknowledged event from a copy — the check
# must name the missing action
cp -R "$D" "$TMP/tampered"
last=$(cat "$TMP"/ack.[0-9]* | awk '$3 != "new"' | tail -n 1)
if [ -n "$last" ]; then
	set -- $last
	sqlite3 "$TMP/tampered/kesu.db" "PRAGMA foreign_keys = OFF;
		DELETE FROM events WHERE seq = $2 AND case_id = (SELECT id FROM cases WHERE no = '$1');" 2>/dev/null
	(D=$TMP/tampered; rel_check "tampered copy") >"$TMP/tamper.out" 2>&1 || true
	if grep -q "acknowledged but missing:.*$1 #$2 $3" "$TMP/tamper.out"; then
		ok "a copy with $1 #$2 ($3) removed is caught (and the audit chain breaks)"
	else
		fail "the check missed the removed event $1 #$2: $(cat "$TMP/tamper.out")"
	fi
fi
finish
