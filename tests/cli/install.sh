#!/bin/sh
# install.sh — `make install PREFIX=/usr/local DESTDIR=…` installs the binary, the
# presets, forms and calendars, the dist/ files, the man pages and the bash
# completion, and the PDF renderer as lib/kesu/kesu-pdf; the installed tree works where it lies and after being moved
# elsewhere (kesu finds ../share/kesu and ../lib/kesu/kesu-pdf beside its bin/,
# without KESU_SHARE and without the source tree; it prints a PDF); the completion completes; `make uninstall` leaves
# exactly what was there before.
set -eu
. "$(dirname "$0")/lib.inc"

BUILD=${BUILD:-build}
case $BUILD in *san*) SANV=1 ;; *) SANV=0 ;; esac
unset KESU_SHARE KESU_DATA
DEST=$TMP/dest
P=/usr/local
listing() { (cd "$DEST" && find . | sort); }

# someone else's files in the standard directories must survive uninstall
mkdir -p "$DEST$P/bin" "$DEST$P/share/man/man1"
echo other >"$DEST$P/bin/other"
echo other >"$DEST$P/share/man/man1/other.1"
listing >"$TMP/before"

# (-o: install the binary under test as it is, never rebuild it here)
mk() {
	make -C "$SRC" --no-print-directory -o "$BUILD/kesu" -o "$BUILD/kesu-pdf" -o "$BUILD/.deps-ok" "$@" \
		PREFIX=$P DESTDIR="$DEST" BUILD="$BUILD" SAN=$SANV >"$TMP/make.log" 2>&1
}
if mk install; then ok "make install"; else fail "make install failed"; tail -n 20 "$TMP/make.log"; finish; fi

# --- what is installed ----------------------------------------------------------------
missing=""
for f in bin/kesu lib/kesu/kesu-pdf share/kesu/presets/manufacturing/workflow.yaml share/kesu/presets/manufacturing/demo.yaml \
	share/kesu/forms/complaint.yaml share/kesu/calendars/cn.yaml \
	share/kesu/dist/kesu-remind.service share/kesu/dist/kesu-remind.timer \
	share/kesu/dist/kesu-backup.service share/kesu/dist/kesu-backup.timer \
	share/kesu/dist/kesu-audit-head.service share/kesu/dist/kesu-audit-head.timer \
	share/kesu/dist/crontab.example share/kesu/dist/README.md \
	share/man/man1/kesu.1 share/man/man5/kesu-config.5 share/bash-completion/completions/kesu; do
	[ -f "$DEST$P/$f" ] || missing="$missing $f"
done
eq "installed files" "${missing:-all there}" "all there"
eq "kesu is executable by all" "$(stat -c %a "$DEST$P/bin/kesu")" 755
eq "kesu-pdf is executable by all" "$(stat -c %a "$DEST$P/lib/kesu/kesu-pdf")" 755
eq "shared files readable by all, writable by none but root" \
	"$(find "$DEST$P/share/kesu" -type f ! -perm 0644 | wc -l)" 0
for p in "$SRC"/config/presets/*/; do
	n=$(basename "$p")
	[ -d "$DEST$P/share/kesu/presets/$n" ] || fail "preset $n not installed"
done
eq "@BINDIR@ filled in" "$(grep -l '@BINDIR@' "$DEST$P/share/kesu/dist/"* | wc -l)" 0
eq "units call $P/bin/kesu" "$(grep -c "$P/bin/kesu" "$DEST$P/share/kesu/dist/kesu-remind.service")" 1
eq "nothing under /etc" "$(find "$DEST" -path '*/etc*' | wc -l)" 0

# the units are valid systemd units (with the binary where they can find it)
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$TMP/units"
	for u in "$DEST$P"/share/kesu/dist/*.service "$DEST$P"/share/kesu/dist/*.timer; do
		sed "s|$P/bin/kesu|$DEST$P/bin/kesu|g" "$u" >"$TMP/units/$(basename "$u")"
	done
	if (cd "$TMP/units" && systemd-analyze verify --man=no ./*.service ./*.timer) >"$TMP/sa" 2>&1; then
		ok "systemd-analyze verify: units valid"
	else
		fail "systemd-analyze verify:"; sed 's/^/        /' "$TMP/sa" | head
	fi
	for t in kesu-remind kesu-backup kesu-audit-head; do
		cal=$(sed -n 's/^OnCalendar=//p' "$TMP/units/$t.timer")
		systemd-analyze calendar "$cal" >/dev/null 2>&1 && ok "$t.timer: OnCalendar=$cal" || fail "$t.timer: bad OnCalendar"
	done
else
	ok "(no systemd-analyze: units not verified)"
fi

# --- moved elsewhere, with no source tree and no KESU_SHARE ------------------------------
MOVED=$TMP/elsewhere/opt/kesu
mkdir -p "$TMP/elsewhere/opt"
mv "$DEST$P" "$MOVED"
K=$MOVED/bin/kesu
cd "$TMP"
run "$K" presets
eq "moved: kesu presets finds the installed presets" "$rc $(awk '{ print $1 }' "$TMP/out" | tr '\n' ' ')" \
	"0 $(cd "$SRC/config/presets" && ls | tr '\n' ' ')"
run "$K" --data "$TMP/x" init --demo
eq "moved: kesu --data X init --demo" "$rc" 0
run "$K" --data "$TMP/x" --as guanli --json list
eq "moved: kesu --data X --as guanli list shows the demo cases" \
	"$rc $(jq 'length > 0' "$TMP/out" 2>/dev/null)" "0 true"
cp "$TMP/out" "$TMP/out.list"
eq "the new data directory's forms and calendar came from the installed tree" \
	"$(cmp -s "$TMP/x/config/calendar.yaml" "$MOVED/share/kesu/calendars/cn.yaml" && echo same)" same
run "$K" --data "$TMP/x" --now '2026-06-01 10:00' doctor
eq "moved: kesu doctor on the new directory" "$rc" 0
run "$K" --data "$TMP/x" --as guanli print "$(jq -r '.[0].case' "$TMP/out.list")" --format pdf -o "$TMP/moved.pdf"
eq "moved: print --format pdf finds lib/kesu/kesu-pdf" "$rc $(head -c 5 "$TMP/moved.pdf" 2>/dev/null)" "0 %PDF-"
if command -v pdftotext >/dev/null 2>&1; then
	eq "moved: the PDF has the form's title" "$(pdftotext "$TMP/moved.pdf" - | grep -c '^客户' | sed 's/^[1-9][0-9]*$/yes/')" yes
fi
KESU_SHARE=$TMP/nowhere run "$K" presets
eq "a KESU_SHARE without presets falls back to ../share/kesu" "$rc" 0

# --- bash completion ------------------------------------------------------------------------
if command -v bash >/dev/null 2>&1; then
	D=$TMP/x
	# complete WORDS...: the completions for the last word of "kesu WORDS..."
	complete_words() {
		PATH="$MOVED/bin:$PATH" bash -c '
			. "$1"; shift
			COMP_WORDS=(kesu "$@"); COMP_CWORD=$(($# ))
			COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
			_kesu
			[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh \
			"$MOVED/share/bash-completion/completions/kesu" "$@"
	}
	eq "completes commands" "$(complete_words "")" \
		"$(sed -n 's/^[[:space:]]*X(\([a-z][a-z0-9-]*\),.*/\1/p' "$SRC/include/kesu/cli.h" | sort | tr '\n' ' ')"
	eq "completes a command's prefix" "$(complete_words ch)" "check-config "
	eq "completes global options" "$(complete_words --ve)" "--version "
	eq "completes a command's options" "$(complete_words list --ov)" "--overdue "
	eq "completes presets after --preset" "$(complete_words --data "$TMP/new" init --preset "")" \
		"$(cd "$SRC/config/presets" && ls | tr '\n' ' ')"
	eq "completes logins after --as" "$(complete_words --data "$D" --as zh)" "zhiguan zhijian "
	cases=$("$K" --data "$D" --as guanli --json list | jq -r '.[].case' | sort | tr '\n' ' ')
	eq "completes case numbers" "$(complete_words --data "$D" --as guanli show "")" "$cases"
	c1=$(echo "$cases" | cut -d' ' -f1)
	acts=$("$K" --data "$D" --as guanli --json actions "$c1" | jq -r '.[].action' | sort | tr '\n' ' ')
	eq "completes a case's actions after do CASE" "$(complete_words --data "$D" --as guanli do "$c1" "")" "$acts"
	eq "completes audit's subcommands" "$(complete_words --data "$D" audit "")" "head verify "
	eq "completes --format choices" "$(complete_words print "$c1" --format "")" "pdf text "
	eq "no case numbers when list fails (no --as): quietly nothing" "$(complete_words --data "$D" show "" 2>&1)" ""
else
	ok "(no bash: completion not tried)"
fi

# --- uninstall -------------------------------------------------------------------------------
cd "$SRC"
mv "$MOVED" "$DEST$P"
if mk uninstall; then ok "make uninstall"; else fail "make uninstall failed"; tail -n 20 "$TMP/make.log"; fi
listing >"$TMP/after"
if diff "$TMP/before" "$TMP/after" >"$TMP/diff"; then
	ok "make uninstall leaves exactly what was there before"
else
	# directories install created and uninstall left empty are not files left behind
	if grep '^>' "$TMP/diff" | sed 's/^> //' | while read -r p; do [ -d "$DEST/$p" ] || echo "$p"; done | grep -q .; then
		fail "make uninstall left files behind:"; sed 's/^/        /' "$TMP/diff" | head -20
	elif grep -q '^<' "$TMP/diff"; then
		fail "make uninstall removed what it had not installed:"; sed 's/^/        /' "$TMP/diff" | head -20
	else
		ok "make uninstall leaves no file behind (only the empty directories $(grep -c '^>' "$TMP/diff") it created)"
	fi
fi

finish
