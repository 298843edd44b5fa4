#!/bin/sh
# numbering.sh — case numbers YYMM-NNN: per month in the configured time zone
# (Asia/Shanghai, whatever TZ the process has), a refused registration uses no
# number, and the sequence grows to four digits after 999.
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=宁波东方轴承 contact=0574-1234567 channel=email region=foreign category=nonquality subject=交期延误 detail=延误两周"

# number TIME WANT [ENV...]: `new` at TIME prints WANT
number() {
	_t=$1 _want=$2; shift 2
	run env "$@" "$KESU" --data "$D" --as qiantai --now "$_t" new $REG
	eq "new at $_t${1:+ ($*)}" "$rc $(cat "$TMP/out")" "0 $_want"
}

newdata num
number '2026-11-01 00:00' 2611-001
number '2026-11-15 09:00' 2611-002
number '2026-12-01 00:05' 2612-001
number '2026-11-30 23:55' 2611-003
number '2026-11-30 23:59' 2611-004 TZ=UTC
number '2026-12-01 00:00' 2612-002 TZ=America/New_York
number '2025-12-31 23:59' 2512-001 TZ=Pacific/Kiritimati
number '2026-01-01 00:00' 2601-001 TZ=UTC
eq "2612-001 was registered at 2026-12-01 00:05 +08:00" "$(js guanli 2612-001 .created)" '"2026-12-01T00:05:00+08:00"'
eq "2611-004 was registered at 2026-11-30 23:59 +08:00" "$(js guanli 2611-004 '.history[0].at')" '"2026-11-30T23:59:00+08:00"'

refuse 2 "a refused registration (missing subject)" \
	k --as qiantai --now '2026-11-20 09:00' new customer=x contact=1 channel=phone region=domestic category=quality detail=d
refuse 3 "a registration by a non-registrar" k --as guanli --now '2026-11-20 09:00' new $REG
number '2026-11-20 09:00' 2611-005

# --- four digits ----------------------------------------------------------------------
# 2026-03: 999 registrations, one by one, then the 1000th and 1001st
# (dates stay in years that config/calendar.yaml lists, so deadlines can be computed)
t=$(date +%s)
i=1
last=""
bad=0
while [ $i -le 999 ]; do
	last=$("$KESU" --data "$D" --as qiantai --now '2026-03-10 10:00' new $REG) || bad=$((bad + 1))
	i=$((i + 1))
done
echo "      (999 registrations in $(($(date +%s) - t)) s)"
eq "999 registrations all exit 0" "$bad" 0
eq "the 999th is 2603-999" "$last" 2603-999
number '2026-03-10 10:01' 2603-1000
number '2026-03-10 10:02' 2603-1001
eq "2603-1000 can be shown" "$(js guanli 2603-1000 .case)" '"2603-1000"'
eq "1001 distinct numbers in 2026-03" \
	"$(sqlite3 "$D/kesu.db" "select count(distinct no) from cases where no like '2603-%'")" 1001
number '2026-04-01 08:00' 2604-001

finish
