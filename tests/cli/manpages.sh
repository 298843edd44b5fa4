#!/bin/sh
# manpages.sh — docs/kesu.1 and docs/kesu-config.5 render without a single
# warning (groff -ww, or mandoc -T lint), and they are complete: every command of
# CLI_COMMAND_LIST (include/kesu/cli.h) has an entry in kesu.1 with every option
# of its synopsis, `kesu --help` and `kesu COMMAND --help` show every command, and
# every configuration key (docs/config.md and the loader's key lists) is named
# in kesu-config.5.
set -eu
. "$(dirname "$0")/lib.inc"

MAN1=$SRC/docs/kesu.1
MAN5=$SRC/docs/kesu-config.5

# --- rendering ---------------------------------------------------------------------
lint() { # FILE: print every warning
	if command -v groff >/dev/null 2>&1; then
		# -k: the pages are UTF-8 (preconv), as man(1) renders them
		groff -k -Tutf8 -ww -z -man "$1" 2>&1 || echo "groff failed on $1"
		groff -k -Tutf8 -ww -z -man -rLL=60n "$1" 2>&1 || echo "groff failed on $1 at 60 columns"
	elif command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W warning "$1" 2>&1 || echo "mandoc failed on $1"
	else
		echo "neither groff nor mandoc: apt-get install groff-base"
	fi
}
for f in "$MAN1" "$MAN5"; do
	lint "$f" >"$TMP/lint"
	if [ -s "$TMP/lint" ]; then fail "$(basename "$f") has warnings:"; sed 's/^/        /' "$TMP/lint" | head -20
	else ok "$(basename "$f") renders without warnings"; fi
	if command -v man >/dev/null 2>&1; then
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" >"$TMP/page" 2>"$TMP/lint" || echo "man failed" >>"$TMP/lint"
		if [ -s "$TMP/lint" ]; then fail "man -l $(basename "$f") warns:"; sed 's/^/        /' "$TMP/lint" | head -20
		else ok "man -l $(basename "$f"): $(wc -l <"$TMP/page") lines, no warnings"; fi
	fi
done

# --- kesu.1: every command and option ----------------------------------------------------
# CLI_COMMAND_LIST rows: X(name, fn, "synopsis", "help")
sed -n 's/^[[:space:]]*X(\([a-z][a-z0-9-]*\),[^"]*"\([^"]*\)".*/\1	\2/p' "$SRC/include/kesu/cli.h" >"$TMP/commands"
n=$(awk 'END { print NR }' "$TMP/commands")
[ "$n" -ge 10 ] && ok "CLI_COMMAND_LIST has $n commands" || fail "could not read CLI_COMMAND_LIST ($n commands)"
# the page's COMMANDS section
awk '/^\.SH COMMANDS/ { on = 1; next } /^\.SH / { on = 0 } on' "$MAN1" >"$TMP/cmds.man"
"$KESU" --help >"$TMP/help" 2>&1 || fail "kesu --help exits non-zero"
missing=""
while IFS='	' read -r name syn; do
	esc=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
	grep -Eq "^\.BI? $esc( |\$)" "$TMP/cmds.man" || missing="$missing $name"
	# every option of the synopsis is in the entry's lines
	for o in $(printf '%s\n' "$syn" | grep -o -- '-\{1,2\}[a-z][a-z-]*' | sort -u); do
		oesc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$oesc" "$TMP/cmds.man" || missing="$missing $name:$o"
	done
	grep -qF "  $syn" "$TMP/help" || fail "kesu --help does not show \"$syn\""
	run "$KESU" "$name" --help
	eq "kesu $name --help" "$rc $(head -n 1 "$TMP/out")" "0 用法：kesu $syn"
done <"$TMP/commands"
eq "every command and its options have an entry under COMMANDS in kesu.1" "${missing:-none}" none
# the commands kesu --help lists are those of CLI_COMMAND_LIST
eq "kesu --help lists exactly the commands" \
	"$(sed -n '/^命令/,/^$/ s/^  \([a-z][a-z0-9-]*\).*/\1/p' "$TMP/help" | sort | tr '\n' ' ')" \
	"$(cut -f1 "$TMP/commands" | sort | tr '\n' ' ')"

# global options, environment, exit codes
missing=""
for o in -d --data --as --now --json -h --help --version; do
	grep -q -- "$o" "$TMP/help" || fail "kesu --help lacks $o"
	grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$MAN1" || missing="$missing $o"
done
for s in SYNOPSIS DESCRIPTION "GLOBAL OPTIONS" COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	grep -q "^\.SH \"\{0,1\}$s" "$MAN1" || missing="$missing section:$s"
done
for e in KESU_DATA KESU_SHARE; do
	awk '/^\.SH ENVIRONMENT/ { on = 1; next } /^\.SH / { on = 0 } on' "$MAN1" | grep -q "^\.B $e" || missing="$missing env:$e"
done
for code in 0 1 2 3 4 5; do
	awk '/^\.SH EXIT STATUS/ { on = 1; next } /^\.SH / { on = 0 } on' "$MAN1" | grep -q "^\.B $code\$" || missing="$missing exit:$code"
done
eq "kesu.1 has the global options, sections, environment and exit codes" "${missing:-none}" none

# --- kesu-config.5: every file and key -------------------------------------------------------
missing=""
for f in preset.yaml departments.yaml staff.yaml workflow.yaml routing.yaml limits.yaml calendar.yaml \
	penalty.yaml demo.yaml; do
	up=$(printf '%s' "$f" | tr a-z A-Z)
	grep -q "^\.SH $up" "$MAN5" || missing="$missing $f"
done
grep -q '^\.SH FORMS' "$MAN5" || missing="$missing forms/"
eq "kesu-config.5 has a section for every file" "${missing:-none}" none

# the keys: those in docs/config.md's YAML examples, and the loader's key lists
awk '/^```yaml/ { on = 1; next } /^```/ { on = 0 } on' "$SRC/docs/config.md" |
	sed 's/#.*//' | grep -o '[a-z_][a-z_]*:\( \|$\)' | tr -d ': ' >"$TMP/keys"
for c in "$SRC"/src/conf/*.c; do
	awk '/static const char \*const [a-z_]*(keys|top)\[\] *=/ { on = 1 }
	     on { print } on && /NULL/ { on = 0 }' "$c" | grep -o '"[a-z_]*"' | tr -d '"' >>"$TMP/keys"
done
sort -u "$TMP/keys" -o "$TMP/keys"
nkeys=$(awk 'END { print NR }' "$TMP/keys")
[ "$nkeys" -ge 40 ] && ok "$nkeys configuration keys to look for" || fail "found only $nkeys configuration keys"
missing=""
while read -r key; do
	# named in bold (.B key, .BR key ,, \fBkey) or in an example (key: …)
	grep -Eq -e "^\.B[RI]? \"?$key([ ,\"]|\$)" -e "\\\\fB$key([^a-z_]|\$)" -e "(^|[ {(,])$key:( |\$)" "$MAN5" ||
		missing="$missing $key"
done <"$TMP/keys"
eq "kesu-config.5 names every key" "${missing:-none}" none

finish
