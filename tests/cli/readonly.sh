#!/bin/sh
# readonly.sh — a read-only database file, a read-only data directory, a missing
# or unreadable configuration file: a clear message, the right exit status, and
# the database untouched (checksum and dump).  (A database from a newer kesu is
# in upgrade.sh, a broken staff.yaml in badinput.sh.)
# Permissions do not bind root, so as root the commands run as nobody
# (setpriv) on a data directory nobody owns.
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=甲 contact=021-5555 channel=chat region=domestic category=quality subject=只读 detail=测试"
if [ "$(id -u)" = 0 ]; then
	id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1 ||
		{ echo "ok    (root without nobody or setpriv: skipped)"; exit 0; }
	chmod 0755 "$TMP"
	asuser() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
	own() { chown -R nobody "$1"; }
else
	asuser() { "$@"; }
	own() { :; }
fi

# fresh D with one case, owned by whoever runs kesu
fresh() {
	newdata "$1"
	k --as qiantai --now '2026-11-02 09:00' new $REG >/dev/null
	own "$D"
}
sums() { cksum "$D/kesu.db" | cut -d' ' -f1-2; }
snapshot() { sums >"$TMP/sum.before"; db_dump >"$TMP/dump.before"; }
untouched() { # DESC
	if [ "$(sums)" = "$(cat "$TMP/sum.before")" ] && db_dump | cmp -s - "$TMP/dump.before"; then
		ok "$1: the database is untouched"
	else
		fail "$1: the database changed"
	fi
}
# clean RC DESC CMD...: exit RC, nothing on stdout, first stderr line "kesu: …"
clean() {
	_want=$1 _desc=$2; shift 2
	run asuser "$@"
	_bad=""
	[ "$rc" = "$_want" ] || _bad="exit $rc, want $_want"
	[ ! -s "$TMP/out" ] || _bad="${_bad:+$_bad; }stdout not empty"
	case $(head -n 1 "$TMP/err") in "kesu: "?*) ;; *) _bad="${_bad:+$_bad; }stderr does not start with 'kesu: '" ;; esac
	if [ -z "$_bad" ]; then ok "$_desc -> $rc: $(errline)"; else fail "$_desc: $_bad"; show_io; fi
}

# --- a read-only database file --------------------------------------------------------
fresh rofile
chmod 0400 "$D/kesu.db"
snapshot
clean 1 "read-only kesu.db: register" "$KESU" --data "$D" --as qiantai new $REG
err_has "the message says the database is read-only" 只读
clean 1 "read-only kesu.db: accept" "$KESU" --data "$D" --as guanli do 2611-001 accept
untouched "read-only kesu.db"
run asuser "$KESU" --data "$D" --as guanli list
eq "read-only kesu.db: list still works" "$rc" 0

# --- a read-only data directory ------------------------------------------------------------
fresh rodir
rm -f "$D/kesu.db-wal" "$D/kesu.db-shm"
chmod 0500 "$D"
snapshot
clean 1 "read-only data directory: register" "$KESU" --data "$D" --as qiantai new $REG
untouched "read-only data directory"
chmod 0700 "$D"

# --- a missing configuration file ----------------------------------------------------------
fresh noconf
mv "$D/config/workflow.yaml" "$TMP/workflow.yaml"
snapshot
clean 2 "workflow.yaml missing: register" "$KESU" --data "$D" --as qiantai new $REG
err_has "the message names the file" workflow.yaml
clean 2 "workflow.yaml missing: list" "$KESU" --data "$D" --as guanli list
untouched "workflow.yaml missing"

# --- an unreadable configuration file ------------------------------------------------------
if [ "$(id -u)" != 0 ] || [ "$(asuser id -u)" != 0 ]; then
	fresh unreadable
	chmod 0000 "$D/config/staff.yaml"
	snapshot
	clean 2 "staff.yaml unreadable: register" "$KESU" --data "$D" --as qiantai new $REG
	err_has "the message names the file and the reason" staff.yaml Permission
	untouched "staff.yaml unreadable"
fi

# --- no config directory at all ------------------------------------------------------------
fresh noconfdir
mv "$D/config" "$TMP/config.gone"
snapshot
clean 2 "config/ missing: list" "$KESU" --data "$D" --as guanli list
err_has "the message names the directory, once" "配置目录 $D/config 不存在"
eq "and says nothing of configuration errors" "$(grep -c "处错误" "$TMP/err")" 0
untouched "config/ missing"

finish
