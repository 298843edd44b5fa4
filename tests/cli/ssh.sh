#!/bin/sh
# ssh.sh — kesu behind an SSH service account, end to end (docs/admin.md).
#
# A private sshd on a free loopback port (its own sshd_config, host key and
# PID file in a temporary directory; nothing of the system's configuration is
# read or touched), a service account `kesusvc` (created here, removed at the
# end) whose home holds the data directory and ~/.ssh/authorized_keys written
# with `kesu keys` for two members of staff, each with an ed25519 key made here.
#   1. `ssh -tt` in tmux as guanli: the terminal interface opens as 张明 and
#      shows the queue with a case the service account registered locally;
#      q ends the session. As qiantai, asking for another command
#      (SSH_ORIGINAL_COMMAND) still opens the interface as 李静.
#   2. No shell, no files, no tunnels: `ssh host ls`, `ssh host touch …`,
#      scp both ways (SFTP and legacy protocol), sftp, ssh -W, -L and -R all
#      fail, and nothing was run or copied.
# Needs root (useradd, sshd). Not root: prints "skip" and exits 0.
set -eu
. "$(dirname "$0")/lib.inc"
PATH=$PATH:/usr/sbin:/sbin

SVC=kesusvc
MARK="kesu ssh test account"
SOCK=kesu-ssh-$$
SSHD_PID="" FWD_PID="" SVC_MADE="" SVCHOME=""

skip() { echo "skip  $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "not root: the SSH test needs to create a Unix account and run sshd"
for tool in sshd ssh ssh-keygen scp sftp tmux useradd userdel runuser flock; do
	command -v $tool >/dev/null 2>&1 || { echo "FAIL  $tool is missing (apt-get install openssh-server openssh-client tmux)"; exit 1; }
done

cleanup() {
	[ -z "$FWD_PID" ] || kill "$FWD_PID" 2>/dev/null || true
	[ -z "$SSHD_PID" ] || kill "$SSHD_PID" 2>/dev/null || true
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	if [ -n "$SVC_MADE" ]; then
		userdel "$SVC" 2>/dev/null || true
	fi
	case $SVCHOME in /tmp/kesusvc-home.*) rm -rf "$SVCHOME" ;; esac
	rm -rf "$TMP"
}
trap cleanup EXIT

# one run at a time on this machine: the account name is fixed
exec 9>/tmp/kesu-ssh-test.lock
flock -w 120 9 || { echo "FAIL  another ssh.sh run holds /tmp/kesu-ssh-test.lock"; exit 1; }

# --- the service account --------------------------------------------------------
if getent passwd $SVC >/dev/null; then
	# a leftover of an interrupted run is ours to replace; a real account is not
	[ "$(getent passwd $SVC | cut -d: -f5)" = "$MARK" ] || skip "a Unix account $SVC exists that this test did not create"
	userdel $SVC
fi
SVCHOME=$(mktemp -d /tmp/kesusvc-home.XXXXXX)
# password '*': no password login, and not "locked" ('!'), which sshd refuses without PAM
useradd -M -d "$SVCHOME" -s /bin/sh -c "$MARK" -p '*' $SVC
SVC_MADE=1
chmod 0700 "$SVCHOME"
mkdir -p "$SVCHOME/bin" "$SVCHOME/.ssh"
cp "$KESU" "$SVCHOME/bin/kesu"
chmod 0755 "$SVCHOME/bin/kesu"
"$KESU" --data "$SVCHOME/data" init >/dev/null
chown -R $SVC: "$SVCHOME"
SK="$SVCHOME/bin/kesu --data $SVCHOME/data"
as_svc() { runuser -u $SVC -- "$@"; }

eq "data directory is 0700" "$(stat -c %a "$SVCHOME/data")" 700
eq "database is 0600" "$(stat -c %a "$SVCHOME/data/kesu.db")" 600
run as_svc $SK --as qiantai --now '2026-11-02 09:00' new customer=华东精密机械 contact=0512-66881234 \
	channel=phone region=domestic category=quality subject=齿轮硬度不足 detail=硬度低于图纸要求
eq "the service account registers a case locally" "$rc $(cat "$TMP/out")" "0 2611-001"

# --- keys: two members of staff ---------------------------------------------------
for who in guanli qiantai; do
	ssh-keygen -q -t ed25519 -N '' -C "$who@desk" -f "$TMP/$who"
	STDIN=$TMP/$who.pub run as_svc $SK keys $who -
	eq "kesu keys $who" "$rc" 0
	cat "$TMP/out" >>"$SVCHOME/.ssh/authorized_keys"
done
STDIN=/dev/null
eq "authorized_keys: forced command per key" "$(cut -d' ' -f1-6 "$SVCHOME/.ssh/authorized_keys")" \
"restrict,pty,command=\"$SVCHOME/bin/kesu --data $SVCHOME/data --as guanli\" ssh-ed25519
restrict,pty,command=\"$SVCHOME/bin/kesu --data $SVCHOME/data --as qiantai\" ssh-ed25519"
chown -R $SVC: "$SVCHOME/.ssh"
chmod 0700 "$SVCHOME/.ssh"
chmod 0600 "$SVCHOME/.ssh/authorized_keys"

# --- sshd ------------------------------------------------------------------------------
S=$TMP/sshd
mkdir -p "$S"
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd # privilege separation directory
start_sshd() { # PORT: start sshd -D in the background; 0 once it listens
	cat >"$S/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $SVC
StrictModes yes
AcceptEnv LANG LC_*
PrintMotd no
PrintLastLog no
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
	: >"$S/log"
	"$(command -v sshd)" -D -f "$S/sshd_config" -E "$S/log" &
	SSHD_PID=$!
	_n=0
	while [ $_n -lt 50 ]; do
		grep -q "Server listening on 127.0.0.1 port $1" "$S/log" && return 0
		kill -0 "$SSHD_PID" 2>/dev/null || break
		sleep 0.1
		_n=$((_n + 1))
	done
	kill "$SSHD_PID" 2>/dev/null || true
	SSHD_PID=""
	return 1
}
PORT=""
for p in 2222 $(awk 'BEGIN { srand(); for (i = 0; i < 8; i++) print 20000 + int(rand() * 20000) }'); do
	if start_sshd $p; then PORT=$p; break; fi
done
[ -n "$PORT" ] || { fail "sshd did not start"; sed 's/^/        sshd: /' "$S/log" | tail -5; finish; exit 1; }
ok "sshd listening on 127.0.0.1:$PORT"
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1-2 "$S/host_key.pub")" >"$TMP/known_hosts"

# ssh options: this test's keys and known_hosts only, never ~/.ssh or /etc/ssh
opts() { # KEY
	echo "-F /dev/null -i $TMP/$1 -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \
-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$TMP/known_hosts -o GlobalKnownHostsFile=/dev/null \
-o ConnectTimeout=5"
}
HOST=$SVC@127.0.0.1

# --- 1. the terminal interface over ssh -tt ---------------------------------------------
tmux -L "$SOCK" -f /dev/null new-session -d -s w -x 120 -y 30 "sleep 600"
# tui LOGIN REMOTE-COMMAND: ssh -tt in a tmux window; waits for the queue to show the case
tui() {
	rm -f "$TMP/ssh.rc"
	tmux -L "$SOCK" new-window -d -t w -n "$1" \
		"LANG=C.UTF-8 ssh -tt $(opts "$1") -o SendEnv=LANG -p $PORT $HOST $2; echo \$? >$TMP/ssh.rc"
	_n=0
	while [ $_n -lt 200 ]; do
		tmux -L "$SOCK" capture-pane -p -t "w:$1" >"$TMP/screen" 2>/dev/null || true
		grep -q 2611-001 "$TMP/screen" && return 0
		[ ! -e "$TMP/ssh.rc" ] || break
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}
# quit LOGIN: press q; 0 when ssh has ended with status 0
quit() {
	tmux -L "$SOCK" send-keys -t "w:$1" q
	_n=0
	while [ $_n -lt 100 ] && [ ! -s "$TMP/ssh.rc" ]; do sleep 0.1; _n=$((_n + 1)); done
	[ "$(cat "$TMP/ssh.rc" 2>/dev/null)" = 0 ]
}

if tui guanli ""; then ok "ssh -tt as guanli: the queue shows 2611-001"; else
	fail "ssh -tt as guanli: no 2611-001 on the screen"; sed 's/^/        screen: /' "$TMP/screen" | head -12; fi
grep -q "张明" "$TMP/screen" && ok "… as 张明 (guanli)" || fail "… the screen does not name 张明"
grep -q "齿轮硬度不足" "$TMP/screen" && ok "… Chinese drawn through the pty" || fail "… subject not on the screen"
quit guanli && ok "q ends the session, ssh exits 0" || fail "q did not end the session (ssh: $(cat "$TMP/ssh.rc" 2>/dev/null))"
grep -q "Accepted publickey for $SVC from 127.0.0.1 .* ED25519 SHA256:" "$S/log" &&
	ok "sshd logs the key's fingerprint" || fail "sshd log has no accepted key"

if tui qiantai "'kesu --as zongjingli audit head; ls /'"; then
	ok "ssh -tt as qiantai asking for another command: the terminal interface all the same"
else
	fail "ssh -tt as qiantai with a command: no queue"; sed 's/^/        screen: /' "$TMP/screen" | head -12
fi
grep -q "李静" "$TMP/screen" && ok "… as 李静 (qiantai), not zongjingli" || fail "… the screen does not name 李静"
! grep -q "吴天成" "$TMP/screen" && ok "… 吴天成 (zongjingli) nowhere" || fail "… zongjingli's name on the screen"
quit qiantai && ok "… q ends it" || fail "… q did not end it"

# --- 2. no shell, no files, no tunnels --------------------------------------------------------
G="$(opts guanli) -p $PORT"
run ssh $G $HOST ls
[ "$rc" != 0 ] && ok "ssh host ls fails (exit $rc)" || fail "ssh host ls exit 0"
grep -q -e data -e bin "$TMP/out" && fail "ssh host ls listed the home directory" || ok "… and lists nothing"
err_has "… kesu ran instead (terminal interface, no terminal)" "kesu: 终端界面需要在终端中运行"
run ssh $G $HOST "touch $SVCHOME/pwned"
[ ! -e "$SVCHOME/pwned" ] && ok "ssh host touch FILE: no file ($rc)" || fail "ssh host touch created a file"
run ssh $G $HOST "$SVCHOME/bin/kesu --data $SVCHOME/data --as zongjingli audit head"
[ "$rc" != 0 ] && ! grep -q '^[0-9a-f]\{64\}$' "$TMP/out" && ok "SSH_ORIGINAL_COMMAND ignored: no audit head ($rc)" ||
	fail "a remote command ran: $(cat "$TMP/out")"
SCP="$(opts guanli) -P $PORT"
run scp $SCP "$HOST:data/kesu.db" "$TMP/got.db"
[ "$rc" != 0 ] && [ ! -s "$TMP/got.db" ] && ok "scp (SFTP) download fails ($rc)" || fail "scp downloaded the database"
run scp -O $SCP "$HOST:data/kesu.db" "$TMP/got.db"
[ "$rc" != 0 ] && [ ! -s "$TMP/got.db" ] && ok "scp -O (legacy) download fails ($rc)" || fail "scp -O downloaded the database"
echo x >"$TMP/up"
run scp $SCP "$TMP/up" "$HOST:up1"
[ "$rc" != 0 ] && [ ! -e "$SVCHOME/up1" ] && ok "scp upload fails ($rc)" || fail "scp uploaded a file"
run scp -O $SCP "$TMP/up" "$HOST:up2"
[ "$rc" != 0 ] && [ ! -e "$SVCHOME/up2" ] && ok "scp -O upload fails ($rc)" || fail "scp -O uploaded a file"
printf 'ls\nget data/kesu.db %s\n' "$TMP/got.db" >"$TMP/batch"
run sftp -b "$TMP/batch" $SCP "$HOST"
[ "$rc" != 0 ] && [ ! -s "$TMP/got.db" ] && ok "sftp fails ($rc)" || fail "sftp worked"
run ssh $G -W "127.0.0.1:$PORT" $HOST
[ "$rc" != 0 ] && ok "ssh -W (stdio forwarding) fails ($rc)" || fail "ssh -W worked"
grep -q "administratively prohibited" "$TMP/err" && ok "… administratively prohibited" || fail "… $(errline)"
run ssh $G -N -o ExitOnForwardFailure=yes -R "127.0.0.1:0:127.0.0.1:$PORT" $HOST
[ "$rc" != 0 ] && ok "ssh -R (remote forwarding) fails ($rc)" || fail "ssh -R worked"
# -L: the local listener opens, but every connection through it is refused by sshd
LPORT=$((PORT + 1))
_logins=$(grep -c "Accepted publickey" "$S/log")
ssh $G -N -L "127.0.0.1:$LPORT:127.0.0.1:$PORT" $HOST 2>"$TMP/fwd.err" </dev/null &
FWD_PID=$!
_n=0
while [ $_n -lt 100 ] && [ "$(grep -c "Accepted publickey" "$S/log")" = "$_logins" ]; do sleep 0.1; _n=$((_n + 1)); done
# the client opens its listener right after logging in: retry while it is not there yet
_n=0
while :; do
	run ssh $(opts guanli) -p $LPORT $HOST true
	grep -q "Connection refused" "$TMP/err" && [ $_n -lt 50 ] || break
	sleep 0.2
	_n=$((_n + 1))
done
kill "$FWD_PID" 2>/dev/null || true
wait "$FWD_PID" 2>/dev/null || true
FWD_PID=""
[ "$rc" != 0 ] && ok "ssh -L: a connection through the tunnel fails ($rc)" || fail "ssh -L forwarded a connection"
grep -q "administratively prohibited" "$TMP/fwd.err" && ok "… administratively prohibited" || fail "… -L said: $(head -c 200 "$TMP/fwd.err")"
[ "$(grep -c "refused local port forward" "$S/log")" -ge 2 ] && ok "sshd logged the refused forwards" ||
	fail "sshd did not log the refused forwards"

# nothing happened to the data meanwhile
run as_svc $SK audit verify
eq "audit verify after all that" "$rc" 0
eq "still one case, one event" "$(sqlite3 "$SVCHOME/data/kesu.db" 'select count(*) from cases') $(sqlite3 "$SVCHOME/data/kesu.db" 'select count(*) from events')" "1 1"

finish
