#!/bin/sh
# tests/valgrind.sh — the CLI tests (tests/cli/*.sh) with every kesu run under
#   valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
# (`make valgrind`).  A memory error or a definite leak makes that kesu exit 99,
# which fails the script's checks, and leaves a report in
# $BUILD/valgrind/logs/; the closing lines count the reports.  The load tests
# (VALGRIND_SKIP, default: concurrency crash fuzz numbering) are left out: they run
# thousands of processes and test timing, not memory.  VALGRIND_ONLY="a b"
# runs just those scripts.
BUILD=${BUILD:-build}
SKIP=${VALGRIND_SKIP-concurrency crash fuzz numbering}
command -v valgrind >/dev/null 2>&1 || { echo "FAIL valgrind is missing (make deps installs it)"; exit 1; }
VG=$PWD/$BUILD/valgrind
rm -rf "$VG"
mkdir -p "$VG/logs"
chmod 1777 "$VG/logs" # readonly.sh runs kesu as nobody
cat >"$VG/kesu" <<EOW
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--error-exitcode=99 --log-file="$VG/logs/vg.%p" "$PWD/$BUILD/kesu" "\$@"
EOW
chmod +x "$VG/kesu"
export KESU="$VG/kesu" KESU_REAL="$PWD/$BUILD/kesu" KESU_SRC="$PWD" KESU_FAULT_BIN="$PWD/$BUILD/tests/kesu-fault"
pass=0 fail=0 failed=""
t0=$(date +%s)
for t in tests/cli/*.sh; do
	name=$(basename "$t" .sh)
	case " $SKIP " in *" $name "*) echo "skip $name"; continue ;; esac
	[ -z "${VALGRIND_ONLY:-}" ] || case " $VALGRIND_ONLY " in *" $name "*) ;; *) continue ;; esac
	if sh "$t" >"$VG/$name.log" 2>&1; then
		pass=$((pass + 1)); echo "ok   $name"
	else
		fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name"; grep '^FAIL' "$VG/$name.log" | head -5 | sed 's/^/    /'
	fi
done
runs=$(find "$VG/logs" -type f | wc -l | tr -d ' ')
# a report is a log file that is not empty (-q: valgrind writes only on an error)
bad=$(find "$VG/logs" -type f -size +0 | wc -l | tr -d ' ')
echo
echo "$runs kesu runs under valgrind in $(($(date +%s) - t0)) s; $bad with a report"
find "$VG/logs" -type f -size +0 | head -3 | while read -r f; do echo "== $f"; head -30 "$f"; done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
