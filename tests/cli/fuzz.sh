#!/bin/sh
# fuzz.sh — every libFuzzer harness (tests/fuzz/fuzz_NAME.c, built by
# `make fuzz-build` into build-fuzz/fuzz/) over its saved corpus
# tests/fuzz/corpus/NAME/ and then FUZZ_SHORT (default 3) seconds of new inputs.
# A crash, an assertion, a leak or a sanitizer report fails the test; the input
# is kept in $FUZZ_OUT (default build-fuzz/found/) to be added to the corpus
# with its fix.  Long runs: `make fuzz FUZZ_SECONDS=…`.
set -eu
. "$(dirname "$0")/lib.inc"

FB=${FUZZ_BUILD:-$SRC/build-fuzz}
SHORT=${FUZZ_SHORT:-3}
OUT=${FUZZ_OUT:-$FB/found}
command -v clang >/dev/null 2>&1 || { fail "clang is missing: the fuzz harnesses cannot be built (make deps installs it)"; finish; }
n=0
for h in "$SRC"/tests/fuzz/fuzz_*.c; do
	[ -f "$h" ] || continue
	name=$(basename "$h" .c)
	name=${name#fuzz_}
	bin=$FB/fuzz/fuzz_$name
	n=$((n + 1))
	if [ ! -x "$bin" ] || [ "$bin" -ot "$h" ]; then
		fail "fuzz_$name: $bin missing or older than its source (make fuzz-build)"
		continue
	fi
	corpus=$SRC/tests/fuzz/corpus/$name
	[ -d "$corpus" ] || { fail "fuzz_$name: no corpus directory tests/fuzz/corpus/$name"; continue; }
	mkdir -p "$TMP/new-$name" "$OUT"
	rc=0
	(cd "$TMP" && "$bin" "$TMP/new-$name" "$corpus" -max_total_time="$SHORT" -print_final_stats=1 \
		-artifact_prefix="$OUT/$name-" -timeout=10 -rss_limit_mb=2048) >"$TMP/log-$name" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMP/log-$name")
	seeds=$(find "$corpus" -type f | wc -l | tr -d ' ')
	if [ "$rc" = 0 ]; then
		ok "fuzz_$name: $seeds saved inputs and ${runs:-?} executions in ${SHORT} s, nothing found"
	else
		fail "fuzz_$name: exit $rc; input kept in $OUT:"
		grep -E 'ERROR|SUMMARY|Assertion|written to|#[0-9]+ 0x.* in [a-z_]+ /' "$TMP/log-$name" | head -12 | sed 's/^/        /'
	fi
done
[ "$n" -ge 4 ] && ok "$n harnesses" || fail "only $n harnesses in tests/fuzz"
# the harnesses' preset (tests/fuzz/preset.h) is the whole manufacturing preset
missing=""
for f in "$SRC"/config/presets/manufacturing/*.yaml "$SRC"/config/presets/manufacturing/forms/*.yaml "$SRC"/forms/*.yaml; do
	rel=${f#"$SRC"/}
	case $rel in *demo.yaml) continue ;; esac
	grep -qF "\"$rel\"" "$SRC/tests/fuzz/preset.h" || missing="$missing $rel"
done
[ -z "$missing" ] && ok "tests/fuzz/preset.h lists every file of the manufacturing preset" ||
	fail "tests/fuzz/preset.h does not list:$missing"
finish
