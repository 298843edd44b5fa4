#!/bin/sh
# audit.sh — the audit chain and the attempts log: `audit verify` on an intact
# chain, one hash recomputed by hand (jq + sha256sum) from the documented
# canonical encoding, `audit head` and `verify --head`; tamper tests (one field
# of one event changed, an event deleted, two events swapped, the newest event
# deleted, a case renumbered) each fail and name the event; refused commands
# (3, 4) land in `attempts`, successes and usage errors don't, and a broken
# attempts table never changes the exit status.  Then `kesu keys`: the
# authorized_keys line, and every way a key file or login is refused.
set -eu
. "$(dirname "$0")/lib.inc"

REG="customer=华东精密机械有限公司 contact=0512-66881234 channel=phone region=domestic category=quality"
RPT="cause=热处理温度偏低 process=复查 responsible=热处理班 conclusion=属实 countermeasure=返工 prevention=增加炉温记录"
ZERO=0000000000000000000000000000000000000000000000000000000000000000
db() { sqlite3 "$D/kesu.db" "$@"; }

newdata a
# two cases whose events interleave in the chain
k --as qiantai --now '2026-11-02 09:00' new $REG subject=齿轮硬度不足 'detail=第 3 批 "齿轮" 硬度\低' >/dev/null
k --as qiantai --now '2026-11-02 09:30' new $REG subject=外箱破损 detail=运输途中 >/dev/null
k --as guanli --now '2026-11-02 10:00' do 2611-001 accept >/dev/null
k --as guanli --now '2026-11-02 10:10' do 2611-002 accept >/dev/null
k --as guanli --now '2026-11-02 11:00' do 2611-001 assign dept=quality >/dev/null
k --as guanli --now '2026-11-02 11:10' do 2611-002 assign dept=quality >/dev/null
k --as zhijian --now '2026-11-03 15:00' do 2611-001 report $RPT loss=12.5 >/dev/null
eq "7 events" "$(count events)" 7

# --- intact -----------------------------------------------------------------------
expect 0 "audit verify on an intact chain" k audit verify
eq "it says so, with the count and the head" "$(cat "$TMP/out")" \
	"审计链完整：7 条事件，头哈希 $(db 'select hash from events order by id desc limit 1')"
expect 0 "audit head" k audit head
H=$(cat "$TMP/out")
eq "audit head prints the newest event's hash" "$H" "$(db 'select hash from events order by id desc limit 1')"
case $H in *[!0-9a-f]*) fail "head is not lower-case hex: $H" ;; *) eq "head is 64 hex digits" "${#H}" 64 ;; esac
eq "audit head --json" "$(k --json audit head | jq -r .head)" "$H"
eq "verify --json" "$(k --json audit verify | jq -c '[.intact, .events, .head == "'"$H"'"]')" '[true,7,true]'
eq "the first event's prev_hash is 64 zeros" "$(db 'select prev_hash from events order by id limit 1')" $ZERO
eq "each event's prev_hash is the hash before it" \
	"$(db 'select count(*) from events e join events p on p.id = (select max(id) from events where id < e.id) where e.prev_hash = p.hash')" 6

# the canonical encoding, by hand: SHA-256("kesu-event-v1" NUL prev NUL canonical)
# with \uXXXX in upper case; event 1 has Chinese, quotes and a backslash in fields
canon() {
	sqlite3 -json "$D/kesu.db" "select c.no, e.seq, e.at, e.actor, e.action, e.from_state, e.to_state, e.fields
		from events e join cases c on c.id = e.case_id where e.id = $1" |
		jq -ac '.[0] | [.no, .seq, .at, .actor, .action, .from_state, .to_state, .fields]' |
		sed 's/\\u\([0-9a-f]\{4\}\)/\\u\U\1/g' | tr -d '\n'
}
for id in 1 7; do
	prev=$(db "select prev_hash from events where id = $id")
	got=$({ printf 'kesu-event-v1\000%s\000' "$prev"; canon $id; } | sha256sum | cut -d' ' -f1)
	eq "event $id's hash recomputed by hand" "$got" "$(db "select hash from events where id = $id")"
done
canon 1 >"$TMP/canon"
grep -qF '\u9F7F\u8F6E' "$TMP/canon" && grep -qF '\\\"' "$TMP/canon" && grep -qF '\\\\' "$TMP/canon" &&
	ok "event 1's canonical form has \\uXXXX, escaped quotes and backslashes" ||
	fail "canonical form unexpected: $(cat "$TMP/canon")"

# --- the head copied off the host ---------------------------------------------------
k --as zhiguan --now '2026-11-04 09:00' do 2611-002 report $RPT >/dev/null
expect 0 "verify --head with an older head, after new events" k audit verify --head "$H"
grep -qF "第 7 条事件（案件 2611-001 第 4 条）" "$TMP/out" && ok "it names the head's event" || fail "head event not named: $(cat "$TMP/out")"
expect 0 "verify --head in upper case" k audit verify --head "$(echo "$H" | tr a-f A-F)"
expect 0 "verify --head 64 zeros (the empty chain's head)" k audit verify --head $ZERO
run k audit verify --head "$(echo "$H" | tr 0-9a-f 1-9a-f0)"
eq "verify --head with a hash not in the chain: exit 1" "$rc" 1
err_has "the message names the missing head" "$(echo "$H" | tr 0-9a-f 1-9a-f0)" 审计链中没有头哈希
for bad in abc "$H$H" "$(echo "$H" | cut -c2-)g" ""; do
	expect 2 "verify --head '$(echo "$bad" | cut -c1-10)…' (not 64 hex digits)" k audit verify --head "$bad"
done
expect 2 "audit with no subcommand" k audit
expect 2 "audit frobnicate" k audit frobnicate
expect 2 "audit verify --bogus" k audit verify --bogus
expect 2 "audit head extra" k audit head extra
H=$(k audit head)
cp -R "$D" "$TMP/base"

# --- tampering -----------------------------------------------------------------------
# tamper DESC SQL WORD TEXT...: on a fresh copy of the data, SQL makes verify fail
# with exit 1 and a message holding WORD (what happened) and every TEXT
tamper() {
	_td=$1 _sql=$2; shift 2
	rm -rf "$TMP/t"
	cp -R "$TMP/base" "$TMP/t"
	sqlite3 "$TMP/t/kesu.db" "$_sql" || { fail "$_td: sqlite3 failed"; return 0; }
	D=$TMP/t
	run k audit verify
	if [ "$rc" = 1 ]; then ok "$_td: verify exits 1"; else fail "$_td: verify exit $rc, want 1"; show_io; fi
	err_has "$_td: $(errline)" "$@"
	run k audit verify --head "$H"
	[ "$rc" = 1 ] && ok "$_td: verify --head exits 1" || fail "$_td: verify --head exit $rc"
	D=$TMP/a
}
# one byte of every hashed column of event 3 (2611-001's 2nd), in turn
tamper "actor changed"      "update events set actor = 'guanlj' where id = 3"              被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "action changed"     "update events set action = 'acceqt' where id = 3"             被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "from_state changed" "update events set from_state = 'intakf' where id = 3"         被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "from_state nulled"  "update events set from_state = null where id = 3"             被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "to_state changed"   "update events set to_state = 'dispatcI' where id = 3"         被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "time moved 1 s"     "update events set at = at + 1 where id = 3"                    被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "seq changed"        "update events set seq = 9 where id = 3"                       被修改 "2611-001 第 9 条事件（id 3）"
tamper "fields changed"     "update events set fields = replace(fields, '12', '13') where id = 7" 被修改 "案件 2611-001 第 4 条事件（id 7）"
tamper "fields of the first event" "update events set fields = replace(fields, '齿轮', '齿论') where id = 1" 被修改 "案件 2611-001 第 1 条事件（id 1）"
tamper "cases of two events swapped" "update events set case_id = -5 where id = 3; update events set case_id = 1 where id = 4; update events set case_id = 2 where id = 3"                被修改 "案件 2611-002 第 2 条事件（id 3）"
tamper "hash changed"       "update events set hash = substr(hash, 1, 63) || 'x' where id = 3" 被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "hash lengthened"    "update events set hash = hash || '0' where id = 3"            被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "prev_hash changed"  "update events set prev_hash = substr(prev_hash, 2) || '0' where id = 3" 被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "invalid UTF-8 put in" "update events set actor = cast(x'ff' as text) where id = 3" 被修改 "案件 2611-001 第 2 条事件（id 3）"
tamper "case renumbered"    "update cases set no = '2611-009' where id = 2"                被修改 "案件 2611-009 第 1 条事件（id 2）"
tamper "event deleted"      "delete from events where id = 4"                              被删除 "案件 2611-002 第 2 条事件" "id 3 与 id 5 之间"
tamper "first event deleted" "delete from events where id = 1"                             被删除 "案件 2611-001 第 1 条事件" "第一条事件 id 2 之前"
tamper "two events swapped" \
	"update events set id = -1 where id = 3; update events set id = 3 where id = 5; update events set id = 5 where id = -1" \
	调换 "案件 2611-001 第 3 条事件（id 3）" "案件 2611-002 第 2 条事件（现 id 4）之后"
tamper "neighbours swapped" \
	"update events set id = -1 where id = 6; update events set id = 6 where id = 7; update events set id = 7 where id = -1" \
	调换 "案件 2611-001 第 4 条事件（id 6）"
tamper "the newest event deleted" "delete from events where id = 8"                       被删除 "案件 2611-002 第 4 条事件" "只剩 3 条事件"
tamper "all of a case's events deleted" "delete from events where id in (2, 4, 6, 8)" \
	被删除 "案件 2611-002 第 1 条事件"
tamper "version raised"     "update cases set version = 9 where id = 2"                    "案件 2611-002 第 5 条事件被删除"
tamper "event of no case"   "update events set case_id = 99 where id = 3"                  "事件 id 3" 找不到它的案件记录
# the whole chain rewritten from some event on: only the head copied off the host tells
rm -rf "$TMP/t" && cp -R "$TMP/base" "$TMP/t" && D=$TMP/t
sqlite3 "$D/kesu.db" "delete from events where id = 8; update cases set version = 3 where id = 2"
expect 0 "the newest event dropped and the version put back: the chain alone can't tell" k audit verify
run k audit verify --head "$H"
eq "… but verify --head with the head copied before: exit 1" "$rc" 1
err_has "… naming the head" "$H"
D=$TMP/a

# --- attempts (outside the chain) ------------------------------------------------------
attempts() { db "select login || '|' || unix_user || '|' || command || '|' || ifnull(case_no, '-') || '|' || status from attempts order by id"; }
ME=$(id -un)
eq "no attempts yet" "$(count attempts)" 0
expect 3 "zhijian may not approve" k --as zhijian do 2611-002 approve decision=同意
expect 4 "stale --version" k --as guanli do 2611-001 return --version 1
expect 3 "unknown login opening the terminal interface" k --as nobody
expect 2 "usage error" k --as guanli do
expect 5 "unknown case" k --as guanli show 2699-001
expect 0 "a success" k --as guanli show 2611-001
eq "attempts: the refused (3) and the conflict (4), nothing else" "$(attempts)" \
"zhijian|$ME|do 2611-002 approve decision=同意|2611-002|3
guanli|$ME|do 2611-001 return --version 1|2611-001|4
nobody|$ME|(终端界面)|-|3"
eq "attempts have a time and a message" "$(db "select count(*) from attempts where at > 1700000000 and message <> ''")" 3
eq "attempts are not events: the chain is untouched" "$(k audit head)" "$(db 'select hash from events order by id desc limit 1')"
expect 0 "audit verify still intact" k audit verify
expect 3 "control characters in a refused command" k --as "$(printf 'zh\033[2J')" show "$(printf '2611-001\033]0;x\007')"
eq "… are stored visible" "$(db "select login || ' ' || case_no from attempts order by id desc limit 1")" 'zh^[[2J 2611-001^[]0;x^G'
expect 3 "no data directory: refused, nothing logged, nothing created" "$KESU" --data "$TMP/none" --as x show 1
[ ! -e "$TMP/none" ] && ok "… no directory created" || fail "a data directory was created"
db "drop table attempts"
expect 3 "the attempts table gone: still exit 3" k --as zhijian do 2611-002 approve decision=同意
err_has "… with the usual message" 没有执行
if [ "$(id -u)" = 0 ]; then
	# trust: a data directory owned by someone else; root can still write the log
	cp -R "$TMP/base" "$TMP/other" && chown -R 65534 "$TMP/other"
	expect 3 "--as on a directory the caller doesn't own" "$KESU" --data "$TMP/other" --as guanli show 2611-001
	eq "… logged with the login asked for and the Unix user" \
		"$(sqlite3 "$TMP/other/kesu.db" "select login || '|' || unix_user || '|' || command || '|' || case_no from attempts")" \
		"guanli|root|show 2611-001|2611-001"
fi

# --- keys --------------------------------------------------------------------------------
ED='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6Dz li@desk'
EC='ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAbSPKkBE1h40FAmIp/HfhyKw4f/Uqpuvu4pDPF/mTznnwHp3lispZQcuTeF8j6Tz6PI07lfudm5zol+1jEwqME= '
RSA='ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDYCMYIoMp/lbEYBoTzA0uZ8VcCrxPJdLyDxakuFl9JUlJnIn9isexYtbqfRzyu8YCCEjCDsun7LjlpRCEmtXRDUIHTV0ISAtlGOcMcTWQi64iAbubnKcu+tiYqNzF+xS7nd2cxnpFHa88SlW4yKi/1IBBeHhcgNLR6/ENuX+I5/Q== r'
EXE=$(readlink -f "${KESU_REAL:-$KESU}") # KESU_REAL: the binary behind a wrapper (tests/valgrind.sh)
DIR=$(cd "$D" && pwd -P)
key() { printf '%s' "$1" >"$TMP/key.pub"; }

key "$ED
"
expect 0 "keys guanli ed25519.pub" k keys guanli "$TMP/key.pub"
eq "the authorized_keys line" "$(cat "$TMP/out")" \
	"restrict,pty,command=\"$EXE --data $DIR --as guanli\" $ED"
key "$EC"
expect 0 "ecdsa key without a comment or newline" k keys zhijian "$TMP/key.pub"
eq "… gets the comment kesu:LOGIN" "$(cat "$TMP/out")" \
	"restrict,pty,command=\"$EXE --data $DIR --as zhijian\" $(echo "$EC" | sed 's/ $//') kesu:zhijian"
key "$RSA
"
expect 0 "rsa key" k keys qiantai "$TMP/key.pub"
key "$ED
"
STDIN=$TMP/key.pub expect 0 "key from standard input (-)" k keys guanli -
STDIN=/dev/null
printf '%s\r\n' "$ED" >"$TMP/key.pub"
expect 0 "CR LF line ending" k keys guanli "$TMP/key.pub"
if command -v ssh-keygen >/dev/null 2>&1; then
	rm -f "$TMP/gen" "$TMP/gen.pub"
	ssh-keygen -q -t ed25519 -N '' -C 'fresh key' -f "$TMP/gen"
	expect 0 "a freshly generated key" k keys guanli "$TMP/gen.pub"
	# the line is one that sshd accepts: ssh-keygen reads authorized_keys lines
	cp "$TMP/out" "$TMP/ak"
	ssh-keygen -l -f "$TMP/ak" >/dev/null 2>&1 && ok "ssh-keygen -l reads the line" || fail "ssh-keygen -l rejects the line"
fi

# a data directory with a space in its path is quoted for the forced command's shell
newdata 'with space'
key "$ED"
expect 0 "keys, data directory with a space" k keys guanli "$TMP/key.pub"
eq "… quoted" "$(cut -d'"' -f2 "$TMP/out")" "$EXE --data '$(cd "$D" && pwd -P)' --as guanli"
D=$TMP/a

badkey() { # DESC CONTENT: refused with 2
	printf '%s' "$2" >"$TMP/key.pub"
	expect 2 "$1" k keys guanli "$TMP/key.pub"
	[ ! -s "$TMP/out" ] || fail "$1: printed something"
}
badkey "empty file" ""
badkey "options smuggled in front" "command=\"/bin/sh\" $ED"
badkey "restrict removed by a leading option" "no-pty $ED"
badkey "two keys" "$ED
$ED
"
badkey "newline inside" "ssh-ed25519
AAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6Dz"
badkey "two trailing newlines" "$ED

"
badkey "lone CR inside" "$(printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6Dz a\rb')"
badkey "escape in the comment" "$(printf '%s \033[2J' "$ED")"
badkey "tab separator" "$(printf 'ssh-ed25519\tAAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6Dz')"
badkey "leading space" " $ED"
badkey "unknown type ssh-dss" "ssh-dss AAAAB3NzaC1kc3MAAACBAP"
badkey "type only" "ssh-ed25519"
badkey "type and a space" "ssh-ed25519 "
badkey "base64 with a bad character" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6D*"
badkey "base64 with its padding cut" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6D"
badkey "padding in the middle" "ssh-rsa AAAAB3Nz=C1yc2EAAAADAQABAAAAgQDY"
badkey "type says rsa, blob is ed25519" "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPPxYeF1mc3O3aEsCm8CXDvt3PfUBMdAVqIqEPbVb6Dz x"
badkey "blob is only the type" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"
badkey "blob shorter than its length field" "ssh-ed25519 AAAAIHNzaC1lZDI1NTE5"
badkey "private key instead" "-----BEGIN OPENSSH PRIVATE KEY-----"
err_has "the message says what a key looks like" ssh-ed25519
key "$ED"
expect 5 "unknown login" k keys nobody "$TMP/key.pub"
err_has "… named" nobody
expect 5 "missing key file" k keys guanli "$TMP/no-such.pub"
expect 2 "keys with one argument" k keys guanli
expect 2 "keys with three arguments" k keys guanli "$TMP/key.pub" x
# a disabled member of staff: active: false in the data directory's staff.yaml
awk '{ print } /login: zhiguan/ { print "    active: false" }' "$D/config/staff.yaml" >"$TMP/staff.yaml"
cp "$TMP/staff.yaml" "$D/config/staff.yaml"
expect 0 "config still valid" k check-config
expect 3 "disabled login" k keys zhiguan "$TMP/key.pub"
err_has "… named" zhiguan 停用

finish
