#!/bin/sh
# tests/bench/run.sh — `make bench [N=1000000]`: build the data set (or reuse
# the one built last time for the same N by the same generator), prove that
# the generator writes the rows the engine writes, then measure. Figures go
# to stdout and to $BUILD/bench/results.txt; progress goes to stderr.
# See docs/performance.md for what each figure means.
#
# Environment: BUILD (build), N (1000000), RUNS (7, runs per in-process
# figure), SHOW_RUNS (40), WRITE_SECONDS (20), WRITERS (16),
# BENCH_REGEN=1 (rebuild the data set even if it is current),
# BENCH_DATA_ONLY=1 (verify and build the data set, measure nothing),
# BENCH_SUMMARY_ONLY=1 (print the summary of the last results again).
set -u
BUILD=${BUILD:-build}
N=${N:-1000000}
RUNS=${RUNS:-7}
SHOW_RUNS=${SHOW_RUNS:-40}
WRITE_SECONDS=${WRITE_SECONDS:-20}
WRITERS=${WRITERS:-16}
ROOT=$PWD
KESU=$ROOT/$BUILD/kesu
BIN=$ROOT/$BUILD/bench/bin
OUT=$ROOT/$BUILD/bench
DATA=$OUT/data-$N
LOGS=$OUT/logs
RES=$OUT/results.txt
AS=guanli
mkdir -p "$OUT"

fail() { echo "bench: $*" >&2; exit 1; }

header() {
	echo "# kesu make bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "commit     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include schema 2>/dev/null || echo ' + uncommitted changes')"
	echo "N          $N cases"
	echo "cpu        $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') × $(nproc)"
	echo "memory     $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel     $(uname -sr)"
	echo "disk       $(df -h "$OUT" | awk 'NR==2 {print $1", "$2" total, "$4" free"}'), $(findmnt -no FSTYPE -T "$OUT" 2>/dev/null || echo '?')"
	echo "sqlite     $(pkg-config --modversion sqlite3 2>/dev/null)"
	echo "build      CFLAGS as in the Makefile (-O2)"
	echo "load       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start: other jobs share this machine"
}

# The data set for N, reused while the generator's source and N are the
# same (`verify` proves on every run that the generator still writes what the
# engine writes; after a change of the preset's configuration, run with
# BENCH_REGEN=1 to rebuild it).
dataset() {
	stamp="$(cat tests/bench/gen.c tests/bench/corpus.h tests/bench/bench.h | sha256sum | cut -c1-16) n=$N"
	if [ "${BENCH_REGEN:-0}" != 1 ] && [ -f "$DATA/kesu.db" ] && [ "$(cat "$DATA/bench-stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "reusing $DATA (built for N=$N by this generator; BENCH_REGEN=1 rebuilds it):"
		[ -f "$DATA/bench-gen.txt" ] && cat "$DATA/bench-gen.txt"
		return 0
	fi
	rm -rf "$DATA"
	"$KESU" --data "$DATA" init --preset manufacturing >/dev/null || fail "kesu init failed"
	echo "generating $N cases into $DATA"
	"$BIN/gen" --data "$DATA" --n "$N" >"$OUT/gen.out" || { cat "$OUT/gen.out"; fail "generator failed"; }
	tee "$DATA/bench-gen.txt" <"$OUT/gen.out"
	echo "$stamp" >"$DATA/bench-stamp"
}

verify() {
	V=$OUT/verify
	rm -rf "$V"
	mkdir -p "$V"
	"$KESU" --data "$V/engine" init --preset manufacturing >/dev/null || fail "kesu init failed"
	"$KESU" --data "$V/fast" init --preset manufacturing >/dev/null || fail "kesu init failed"
	"$BIN/gen" --verify "$V/engine" "$V/fast" --n "${VERIFY_N:-200}"
}

main() {
	header
	echo
	echo "== does the generator write the engine's rows? =="
	echo "  the same 200 recent cases, through case_register/case_do and through the fast path:"
	if verify; then
		echo "RESULT generator_matches_engine yes"
	else
		echo "RESULT generator_matches_engine NO"
		echo "  WARNING: the generator no longer writes exactly what the engine writes (see above);"
		echo "  the figures below are measured anyway, on a data set that may differ from the engine's."
		echo "  Fix tests/bench/gen.c (then the data set is rebuilt: its stamp changes)."
	fi
	echo
	echo "== data set =="
	dataset || return 1
	[ "${BENCH_DATA_ONLY:-0}" = 1 ] && return 0
	# settle: the first open after generation (migrations, mirroring) happens here, not in a figure
	"$KESU" --data "$DATA" --as "$AS" users >/dev/null || fail "kesu users failed on the data set"

	rm -rf "$LOGS"
	mkdir -p "$LOGS"
	"$BIN/measure" --data "$DATA" --as "$AS" --out "$LOGS" --runs "$RUNS" || return 1

	echo
	echo "== whole processes (fork to exit; median of $SHOW_RUNS over the sample cases) =="
	"$BIN/proc" --label kesu_version --runs 20 -- "$KESU" --version
	"$BIN/proc" --label show --runs "$SHOW_RUNS" --list "$LOGS/show-cases.txt" -- \
		"$KESU" --data "$DATA" --as "$AS" show @
	"$BIN/proc" --label show_floor --runs "$SHOW_RUNS" --list "$LOGS/show-cases.txt" -- \
		"$BIN/floor_sql" "$DATA/kesu.db" "$LOGS/show-@.log"
	if [ -f "$LOGS/report-month.txt" ]; then
		"$BIN/proc" --label report --runs 5 --budget 30 --no-warmup --list "$LOGS/report-month.txt" -- \
			"$KESU" --data "$DATA" --as "$AS" report monthly @
		"$BIN/proc" --label report_floor --runs 5 --budget 30 --no-warmup --list "$LOGS/report-month.txt" -- \
			"$BIN/floor_sql" "$DATA/kesu.db" "$LOGS/report-@.log"
	fi
	if "$KESU" --help 2>/dev/null | grep -q ' search '; then
		"$BIN/proc" --label search --runs 12 --list "$LOGS/search-queries.txt" -- \
			"$KESU" --data "$DATA" --as "$AS" search @
	else
		echo "  kesu search: not in this kesu; not measured"
	fi

	echo
	echo "== $WRITERS writers at once, synchronous=FULL (load average now $(cut -d' ' -f1 /proc/loadavg)) =="
	"$BIN/writers" --data "$DATA" --floor --procs 1 --seconds 5 --out "$LOGS"
	"$BIN/writers" --data "$DATA" --floor --procs "$WRITERS" --seconds 5 --out "$LOGS"
	"$BIN/writers" --data "$DATA" --procs "$WRITERS" --seconds "$WRITE_SECONDS" --out "$LOGS"
	echo "  candidate changes (docs/performance.md): writes queued on an flock; a short-sleep busy handler:"
	"$BIN/writers" --data "$DATA" --floor --busy flock --procs "$WRITERS" --seconds 5 --out "$LOGS"
	"$BIN/writers" --data "$DATA" --busy flock --procs "$WRITERS" --seconds "$WRITE_SECONDS" --out "$LOGS"
	"$BIN/writers" --data "$DATA" --floor --busy short --procs "$WRITERS" --seconds 5 --out "$LOGS"

	echo
	echo "== terminal interface: exec to first screen (pty 40x120), max RSS =="
	"$BIN/pty" --runs 5 --timeout 90 -- "$KESU" --data "$DATA" --as "$AS"
	echo "  for scale, the same on the 200-case verify data set:"
	"$BIN/pty" --runs 5 -- "$KESU" --data "$OUT/verify/fast" --as "$AS" | sed 's/^RESULT tui_first_screen_ms/RESULT tui_first_screen_200_cases_ms/'

}

# The figures against the targets of the issue.
summary() {
	awk '
	function ms(x) { return sprintf("%.2f ms", x) }
	/^RESULT queue_app_ms/          { qa = $3 }
	/^RESULT queue_app_floor_ms/    { qf = $3 }
	/^RESULT queue_due_candidate_noindex_ms/ { qc = $3 }
	/^RESULT queue_store_sql_noindex_ms/ { qn = $3 }
	/^RESULT session_open_ms/       { so = $3; sc = $5 }
	/^RESULT show_inprocess_ms/     { sh = $3; shf = $5 }
	/^RESULT kesu_version_ms/       { kv = $3 }
	/^RESULT floor_commits_per_s_16p/ { f16 = $3; f16p = $5 }
	/^RESULT floor_short_busy/      { fsb = $3; fsbp = $5 }
	/^RESULT writers_short_busy/    { wsb = $3; wsbp = $7; wsbe = $11 }
	/^RESULT writers_flock/         { wfl = $3; wflp = $7; wfle = $11 }
	/^RESULT floor_flock/           { ffl = $3; fflp = $5 }
	/^RESULT queue_due_best_ms/     { qb = $3 }
	/^RESULT show_ms/               { sm = $3; sp = $5 }
	/^RESULT show_floor_ms/         { sf = $3 }
	/^RESULT search_ms/             { se = $3 }
	/^RESULT report_ms/             { rp = $3 }
	/^RESULT report_floor_ms/       { rpf = $3 }
	/^RESULT report_inprocess_ms/   { ri = $3; rif = $5 }
	/^RESULT report_floor_events_at/ { rfe = $3 }
	/^RESULT search_inprocess_ms/   { si = $3; sif = $5 }
	/^RESULT writers_transitions/   { wt = $3; w99 = $7; we = $11 }
	/^RESULT floor_commits_per_s_1p/ { f1 = $3 }
	/^RESULT tui_first_screen_ms/   { tm = $3; tr = $9 }
	/^RESULT list500_ms/            { tq = $3 }
	/^RESULT bytes_per_case/        { bp = $3 }
	/^RESULT tui_first_screen_200/  { t200 = $3 }
	/^RESULT generator_matches/     { gm = $3 }
	END {
		printf "  %-44s %14s %12s %8s  %s\n", "figure", "measured", "floor", "ratio", "target"
		printf "  %-44s %14s %12s %8.1f  %s\n", "queue first page, kesu today (case_list)", ms(qa), ms(qf), (qf ? qa/qf : 0), "<= 5 ms " (qa <= 5 ? "MET" : "NOT MET")
		printf "  %-44s %14s %12s %8s  %s\n", "  its SQL without schema/007", ms(qn), "-", "-", ""
		printf "  %-44s %14s %12s %8s  %s\n", "queue by due time, candidate SQL, no 007", ms(qc), "-", "-", (qc <= 5 ? "would meet" : "would not meet")
		printf "  %-44s %14s %12s %8s  %s\n", "queue by due time, candidate SQL with 007", ms(qb), "-", "-", (qb <= 5 ? "would meet" : "would not meet")
		printf "  %-44s %14s %12s %8.1f  %s\n", "kesu show CASE, whole process (median)", ms(sm), ms(sf), (sf ? sm/sf : 0), "<= 15 ms " (sm <= 15 ? "MET" : "NOT MET")
		printf "  %-44s %14s %12s %8s  %s\n", "  of which: exec of kesu --version", ms(kv), "-", "-", ""
		printf "  %-44s %14s %12s %8s  %s\n", "  session_open (conf_load " sprintf("%.1f", sc) " ms)", ms(so), "-", "-", "in process"
		printf "  %-44s %14s %12s %8.1f  %s\n", "  cmd_show in process", ms(sh), ms(shf), (shf ? sh/shf : 0), ""
		if (se != "") printf "  %-44s %14s %12s %8s  %s\n", "kesu search, whole process (median)", ms(se), "-", "-", "(no target yet)"
		if (si != "") printf "  %-44s %14s %12s %8.1f  %s\n", "search in process (slowest query)", ms(si), ms(sif), (sif ? si/sif : 0), ""
		printf "  %-44s %12s/s %10s/s %8.2f  %s\n", "16 writers: transitions", wt, f1, (f1 ? wt/f1 : 0), "p99 " w99 " ms, user-visible errors " we
		printf "  %-44s %12s/s %12s %8s  %s\n", "  raw commits, 16 processes", f16, "-", "-", "p99 " f16p " ms"
		if (wfl != "") printf "  %-44s %12s/s %12s %8s  %s\n", "  16 writers, writes queued on an flock", wfl, "-", "-", "p99 " wflp " ms, errors " wfle
		if (ffl != "") printf "  %-44s %12s/s %12s %8s  %s\n", "  raw commits, 16 procs, flock", ffl, "-", "-", "p99 " fflp " ms"
		if (wsb != "") printf "  %-44s %12s/s %12s %8s  %s\n", "  16 writers, short-sleep busy handler", wsb, "-", "-", "p99 " wsbp " ms, errors " wsbe
		if (fsb != "") printf "  %-44s %12s/s %12s %8s  %s\n", "  raw commits, 16 procs, short-sleep busy", fsb, "-", "-", "p99 " fsbp " ms"
		printf "  %-44s %14s %12s %8s  %s\n", "TUI exec to first screen (pty)", (tm ~ /^>/ ? tm " ms" : ms(tm)), "-", "-", "max RSS " sprintf("%.0f MiB", tr/1024)
		printf "  %-44s %14s %12s %8s  %s\n", "  the same with 200 cases", ms(t200), "-", "-", ""
		printf "  %-44s %14s %12s %8s  %s\n", "kesu list --limit 500 in process", ms(tq), "-", "-", ""
		printf "  %-44s %14s %12s %8s  %s\n", "database bytes per case", bp, "-", "-", ""
		if (rp != "") printf "  %-44s %14s %12s %8.1f  %s\n", "kesu report monthly (last month), process", ms(rp), ms(rpf), (rpf ? rp/rpf : 0), "(no target yet)"
		if (ri != "") printf "  %-44s %14s %12s %8.1f  %s\n", "  cmd_report in process", ms(ri), ms(rif), (rif ? ri/rif : 0), ""
		if (rfe != "") printf "  %-44s %14s %12s %8s  %s\n", "  its SQL with a candidate index events(at)", ms(rfe), "-", "-", ""
		if (rp == "") printf "  %-44s %14s\n", "report monthly", "not in this kesu: not measured"
		printf "  %-44s %14s\n", "generator = engine (rows identical)", gm
	}' "$1"
}

if [ "${BENCH_SUMMARY_ONLY:-0}" = 1 ]; then # the summary of the last results again
	summary "$RES"
	exit 0
fi
status=$OUT/.status
rm -f "$status"
{ main; echo $? >"$status"; } | tee "$RES"
rc=$(cat "$status" 2>/dev/null || echo 1)
if [ "$rc" = 0 ]; then
	{ echo; echo "== summary =="; summary "$RES"; } | tee -a "$RES"
fi
echo "(results in $RES)"
exit "$rc"
