#!/bin/sh
# guide.sh — the screens in docs/guide.md are what kesu shows today: take
# them again from the program (tools/guide.sh --check) and compare.
set -eu
. "$(dirname "$0")/lib.inc"
cd "$SRC"
B=${BUILD:-build}
[ -x "$B/tools/guide-screens" ] || { fail "no $B/tools/guide-screens (make builds it)"; finish; exit 1; }
run env BUILD="$B" KESU="$KESU" sh tools/guide.sh --check
if [ "$rc" = 0 ]; then ok "docs/guide.md: every screen is current"; else fail "docs/guide.md is out of date (make guide)"; cat "$TMP/out" | head -40; fi
eq "the guide has screens of every desk" \
	"$(grep -o 'kesu-screen as=[a-z]*' docs/guide.md | sort -u | sed 's/.*=//' | tr '\n' ' ')" "guanli qiantai zhiguan zhijian zongjingli "
finish
