#!/bin/sh
# tests/run.sh — run every unit test binary and every CLI/TUI script test.
# Prints one line per test file and the closing line "N passed, N failed".
BUILD=${BUILD:-build}
export KESU="$PWD/$BUILD/kesu"
export KESU_SRC="$PWD"
pass=0; fail=0; failed=""
log=$BUILD/test-logs; rm -rf "$log"; mkdir -p "$log"
run_one() { # name, command...
	name=$1; shift
	if "$@" >"$log/$name.log" 2>&1; then
		pass=$((pass+1)); echo "ok   $name"
	else
		fail=$((fail+1)); failed="$failed $name"; echo "FAIL $name"; sed 's/^/    /' "$log/$name.log" | tail -40
	fi
}
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in tests/cli/*.sh tests/tui/*.sh tests/scenarios/*.sh; do
	[ -f "$t" ] || continue
	run_one "$(basename "$t" .sh)" sh "$t"
done
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
