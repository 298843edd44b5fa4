#!/bin/sh
# doctor.sh — `kesu doctor` finds what is wrong with a deployment and says how to
# fix it: modes and owner of the data directory and database files, WAL mode,
# integrity, configuration, form files the installation has but config/forms
# lacks, calendar data for the coming 60 days, the time zone,
# SSH keys of unknown or disabled staff, and the audit chain. Exit 0 only when
# all is well; it never writes.
set -eu
. "$(dirname "$0")/lib.inc"

GOOD='2026-06-01 10:00'   # 60 days ahead stay inside 2026, which the calendar has
export HOME="$TMP/home"   # the service account's ~ (no .ssh yet)
mkdir -p "$HOME"

# doc [ARGS...]: kesu doctor on $D, with --now $GOOD (or $NOW; NOW='': the real clock)
now() { _n=${NOW-$GOOD}; [ -n "$_n" ] && set -- --now "$_n" "$@"; k "$@"; }
doc() { run now doctor "$@"; }
# status CHECK: "ok" or "bad" from the JSON output of the last clean run
status() { jq -r --arg c "$1" '.[] | select(.check == $c) | if .ok then "ok" else "bad" end' "$TMP/json"; }
field() { jq -r --arg c "$1" --arg f "$2" '.[] | select(.check == $c) | .[$f] // ""' "$TMP/json"; }
json() { run now --json doctor; cp "$TMP/out" "$TMP/json"; }
# has CHECK FIELD TEXT...: the check's message (or fix) contains every TEXT
has() {
	_c=$1 _f=$2; shift 2
	_v=$(field "$_c" "$_f")
	for _t; do
		case $_v in *"$_t"*) ;; *) fail "$_c.$_f lacks \"$_t\": $_v"; return 0 ;; esac
	done
	ok "$_c.$_f names $*"
}

ALL="data_dir db_files config forms timezone calendar wal schema integrity keys staff_access audit"

# --- a sound deployment --------------------------------------------------------
newdata good
run "$KESU" --data "$TMP/demo" init --demo
D=$TMP/demo
db_dump >"$TMP/before.sql"
doc
eq "all well: exit 0" "$rc" 0
eq "one line per check, every one ✓" "$(grep -c '^✓ ' "$TMP/out")" 12
eq "nothing on stderr" "$(cat "$TMP/err")" ""
json
eq "--json: exit 0" "$rc" 0
eq "--json: the checks in order" "$(jq -r 'map(.check) | join(" ")' "$TMP/json")" "$ALL"
eq "--json: each is {check, ok, message, fix}" "$(jq -c '[.[] | keys] | unique' "$TMP/json")" \
	'[["check","fix","message","ok"]]'
eq "--json: all ok, fix null" "$(jq -c '[.[] | select(.ok != true or .fix != null)] | length' "$TMP/json")" 0
has calendar message 2026 60
has audit message 完好
has forms message "$(ls "$SRC/forms" | grep -c '\.yaml$')"
db_dump >"$TMP/after.sql"
if cmp -s "$TMP/before.sql" "$TMP/after.sql"; then ok "doctor wrote nothing"; else fail "doctor changed the database"; fi
expect 0 "doctor --help" k doctor --help
expect 2 "doctor takes no arguments" k doctor extra

# --- calendar data missing for the coming 60 days --------------------------------
NOW='2026-11-27 10:00' json
eq "2027 not in the calendar: exit 1" "$rc" 1
eq "calendar is the only problem" "$(jq -r '[.[] | select(.ok | not) | .check] | join(" ")' "$TMP/json")" calendar
has calendar message 2027 2027-01-26
has calendar fix 2027 calendar.yaml recompute
NOW='2026-11-27 10:00' doc
eq "text: exit 1" "$rc" 1
if grep -q '^✗ .*2027.* — 怎么办：.*calendar.yaml' "$TMP/out"; then ok "text: ✗ line with 怎么办"; else fail "text: no ✗ … — 怎么办 line"; show_io; fi
eq "text: every line ✓ or ✗" "$(grep -cv '^[✓✗] ' "$TMP/out" || true)" 0

# --- modes and owner ---------------------------------------------------------------
chmod 0755 "$D"
chmod 0644 "$D/kesu.db"
json
eq "loose modes: exit 1" "$rc" 1
eq "data_dir and db_files fail" "$(status data_dir) $(status db_files)" "bad bad"
has data_dir message 0755 0700
has data_dir fix "chmod 0700 $D"
has db_files message kesu.db 0644 0600
has db_files fix "chmod 0600 $D/kesu.db"
chmod 0700 "$D"
# (SQLite gives -wal and -shm the database's mode when it creates them)
chmod 0600 "$D"/kesu.db*
json
eq "modes fixed: exit 0" "$rc" 0

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown nobody "$D"
	NOW='' json
	eq "not the owner: data_dir fails" "$(status data_dir)" bad
	has data_dir message nobody
	has data_dir fix "sudo -u nobody"
	eq "not the owner: the database is not opened" "$(status wal) $(status integrity) $(status audit)" "bad bad bad"
	has wal message 未检查 所有者
	chown "$(id -u)" "$D"
else
	ok "(not root: owner check skipped)"
fi

# --- WAL ------------------------------------------------------------------------------
sqlite3 "$D/kesu.db" 'PRAGMA journal_mode=DELETE' >/dev/null
json
eq "rollback journal: wal fails" "$rc $(status wal)" "1 bad"
has wal message delete
has wal fix journal_mode=WAL
sqlite3 "$D/kesu.db" 'PRAGMA journal_mode=WAL' >/dev/null

# --- configuration and time zone ---------------------------------------------------------
cp "$D/config/staff.yaml" "$TMP/staff.yaml"
printf 'bogus_key: 1\n' >>"$D/config/staff.yaml"
json
eq "broken configuration: config fails" "$rc $(status config)" "1 bad"
has config message staff.yaml
has config fix check-config
eq "what needs the configuration is not checked" "$(status timezone) $(status calendar) $(status keys)" "bad bad bad"
has calendar message 未检查
cp "$TMP/staff.yaml" "$D/config/staff.yaml"

mkdir -p "$TMP/zoneinfo"
TZDIR="$TMP/zoneinfo" json
eq "no zone data: timezone fails" "$rc $(status timezone)" "1 bad"
has timezone message Asia/Shanghai
has timezone fix tzdata

# --- form files missing (a data directory made before the 催办单/治办单 forms) ------------------
rm "$D/config/forms/urge_notice.yaml" "$D/config/forms/escalation_notice.yaml"
json
eq "two stock forms missing: forms fails, alone" "$rc $(jq -r '[.[] | select(.ok | not) | .check] | join(" ")' "$TMP/json")" \
	"1 forms"
has forms message urge_notice.yaml 催办单 escalation_notice.yaml 治办单 "$D/config/forms"
has forms fix "$SRC/forms/urge_notice.yaml" "$SRC/forms/escalation_notice.yaml" "$D/config/forms/" check-config
case $(field forms message) in *complaint.yaml*) fail "a form that is there is named" ;; *) ok "forms that are there are not named" ;; esac
# the preset's own forms (init lays them over the shared ones) are looked for in the preset
mv "$D/config/forms/penalty_notice.yaml" "$TMP/penalty_notice.yaml"
json
has forms message penalty_notice.yaml
has forms fix "$SRC/config/presets/manufacturing/forms/penalty_notice.yaml"
case $(field forms fix) in *"$SRC/forms/penalty_notice"*) fail "the shared copy is offered for a preset's form" ;; *) ok "the preset's copy is offered" ;; esac
doc
if grep -q '^✗ .*urge_notice.yaml.* — 怎么办：cp ' "$TMP/out"; then ok "text: ✗ line with the cp to run"; else fail "text: no ✗ forms line"; show_io; fi
# the fix, as printed, puts it right
cmd=$(field forms fix | sed -n 's/^\(cp [^，]*\)，.*/\1/p')
case $cmd in cp\ *) sh -c "$cmd" && ok "ran the fix: $(echo "$cmd" | cut -c1-60)…" || fail "the fix failed: $cmd" ;; *) fail "no cp in the fix: $(field forms fix)" ;; esac
json
eq "after the fix: exit 0, forms ok" "$rc $(status forms)" "0 ok"
# no config/forms at all: the fix makes it first
mv "$D/config/forms" "$TMP/forms.bak"
json
has forms fix "mkdir -m 0700 $D/config/forms && cp " "$SRC/forms/complaint.yaml"
cmd=$(field forms fix | sed -n 's/^\(mkdir [^，]*\)，.*/\1/p')
sh -c "$cmd" && eq "ran it: every file is back" "$(ls "$D/config/forms" | wc -l)" "$(ls "$TMP/forms.bak" | wc -l)" || fail "the fix failed: $cmd"
rm -rf "$D/config/forms"; mv "$TMP/forms.bak" "$D/config/forms"
# the list is what the installation holds, not a fixed pair: a new stock form is looked for too
mkdir -p "$TMP/share"
cp -R "$SRC/config/presets" "$TMP/share/presets"
cp -R "$SRC/config/calendars" "$TMP/share/calendars"
cp -R "$SRC/forms" "$TMP/share/forms"
sed 's/code: urge_notice/code: second_notice/; s/reminder: urge/reminder: none/' "$SRC/forms/urge_notice.yaml" >"$TMP/share/forms/second_notice.yaml"
KESU_SHARE=$TMP/share json
eq "KESU_SHARE with one more form: forms fails" "$(status forms)" bad
has forms message second_notice.yaml
has forms fix "$TMP/share/forms/second_notice.yaml"
case $(field forms message) in *urge_notice*) fail "a form that is there is named" ;; *) ok "only the new one is named" ;; esac

# --- SSH keys ----------------------------------------------------------------------------
mkdir -p "$HOME/.ssh"
# a well-formed ed25519 public key: string "ssh-ed25519", string of 32 bytes
KEY="ssh-ed25519 $(printf '\000\000\000\013ssh-ed25519\000\000\000\040%s' 0123456789abcdef0123456789abcdef |
	base64 -w0)"
echo "$KEY user@laptop" >"$TMP/key.pub"
# line LOGIN: an authorized_keys line forcing kesu --as LOGIN, as `kesu keys` writes it
line() { printf 'command="%s --data %s --as %s",restrict,pty %s %s@office\n' "$KESU" "$D" "$1" "$KEY" "$1"; }
{
	echo "# kesu staff"
	line qiantai
	for u in guanli zhijian zhiguan shengchan yewujingli fuzong zongjingli; do
		k keys $u "$TMP/key.pub" || line $u
	done
} >"$HOME/.ssh/authorized_keys" 2>"$TMP/err"
eq "kesu keys wrote the lines" "$(grep -c -- "--as" "$HOME/.ssh/authorized_keys") $(cat "$TMP/err")" "8 "
json
eq "a key for every active staff member: exit 0" "$rc $(status keys) $(status staff_access)" "0 ok ok"
has keys message 8

sed -i '/login: shengchan/a\    active: false' "$D/config/staff.yaml"
{
	line nobody9
	echo "$KEY admin@laptop"
	printf 'command="%s --data %s",no-pty %s x\n' "$KESU" "$D" "$KEY"
	printf 'command="/usr/bin/rrsync -ro /srv/backup" %s backup@host\n' "$KEY"
} >>"$HOME/.ssh/authorized_keys"
json
eq "bad keys: exit 1" "$rc $(status keys)" "1 bad"
has keys message "第 6 行" "赵强" "shengchan" "已停用"
has keys message "第 10 行" nobody9 staff.yaml
has keys message "第 11 行" "command="
has keys message "第 12 行" "--as"
case $(field keys message) in *"第 13 行"*) fail "a forced command that is not kesu is flagged" ;; *) ok "a forced command that is not kesu is left alone" ;; esac
has keys fix 删除 "kesu keys"
eq "staff_access still fine" "$(status staff_access)" ok

grep -v -e 'as guanli' -e 'as zhijian' "$HOME/.ssh/authorized_keys" >"$TMP/ak"
cp "$TMP/ak" "$HOME/.ssh/authorized_keys"
json
eq "staff without a key or account: staff_access fails" "$(status staff_access)" bad
has staff_access message 2 guanli 张明 zhijian 陈立
has staff_access fix "kesu --data $D keys" "active: false"
case $(field staff_access message) in *shengchan*) fail "a disabled member is not asked for a key" ;; *) ok "disabled staff need no key" ;; esac
rm -rf "$HOME/.ssh"
cp "$TMP/staff.yaml" "$D/config/staff.yaml"

# --- the audit chain ----------------------------------------------------------------------
json
eq "restored: exit 0" "$rc" 0
sqlite3 "$D/kesu.db" "UPDATE events SET fields = replace(fields, '}', ',\"x\":1}') WHERE id = 3"
json
eq "an edited event: audit fails" "$rc $(status audit)" "1 bad"
has audit message 审计链
has audit fix "audit verify --head"
eq "integrity still ok (the file is sound)" "$(status integrity)" ok

# --- a damaged file -------------------------------------------------------------------------
D=$TMP/good
sqlite3 "$D/kesu.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
pages=$(sqlite3 "$D/kesu.db" 'PRAGMA page_count')
psize=$(sqlite3 "$D/kesu.db" 'PRAGMA page_size')
# overwrite the second half of the file (not the header) with junk
dd if=/dev/urandom of="$D/kesu.db" bs="$psize" seek=$((pages / 2)) count=$((pages - pages / 2)) conv=notrunc 2>/dev/null
json
eq "damaged: exit 1" "$rc" 1
eq "damaged: integrity fails" "$(status integrity)" bad
has integrity fix 备份

finish
