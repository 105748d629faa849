#!/bin/sh
# shellcheck disable=SC2317  # cleanup() and descendants() run from trap
# pam_login: a real system user logs in through PAM (service "imap") to
# `imapd --fork` on loopback, appends a message and fetches it back.
# Checks that the message file belongs to the user, that a process of the
# session ran with the user's uid (real, effective and saved), and that a
# wrong password or an unknown user gets NO.
#
# Root only: it creates (and removes) a user. Exit 0 pass, 1 fail, 77 skip.
# B: build directory (default "build"), relative to the repository or
# absolute. IMAPD: the binary (default $B/imapd).
set -u

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: pam_login needs root (creates a system user)"
	exit 77
fi
for tool in useradd userdel chpasswd python3 ps; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: pam_login needs $tool"
		exit 77
	fi
done

top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in
/*) ;;
*) B=$top/$B ;;
esac
IMAPD=${IMAPD:-$B/imapd}
if [ ! -x "$IMAPD" ]; then
	echo "FAIL: pam_login: no imapd binary at $IMAPD"
	exit 1
fi

user=imapdtest$$
pass=$(python3 -c 'import secrets; print("Pw-" + secrets.token_hex(12))')
work=$(mktemp -d /tmp/pam_login.XXXXXX)
master=
kids=
user_made=0
pam_installed=0
failures=0

fail() {
	echo "FAIL: pam_login: $*"
	failures=$((failures + 1))
}

# Every process below pid $1, deepest last.
descendants() {
	for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$p"
		descendants "$p"
	done
}

cleanup() {
	if [ -n "$master" ] && kill -0 "$master" 2>/dev/null; then
		kids="$kids $(descendants "$master")"
		kill -TERM "$master" 2>/dev/null
		i=0
		while kill -0 "$master" 2>/dev/null && [ "$i" -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$master" 2>/dev/null
	fi
	# Sessions that outlived the master would hold the user.
	for p in $kids; do
		kill -KILL "$p" 2>/dev/null
	done
	if [ "$user_made" = 1 ]; then
		i=0
		until userdel -r "$user" >/dev/null 2>&1; do
			i=$((i + 1))
			if [ "$i" -ge 20 ]; then
				echo "pam_login: could not remove user $user" >&2
				break
			fi
			sleep 0.2
		done
	fi
	if [ "$pam_installed" = 1 ]; then
		rm -f /etc/pam.d/imap
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The user, with a random password.
if ! useradd -m "$user" >"$work/useradd.log" 2>&1; then
	cat "$work/useradd.log"
	echo "FAIL: pam_login: useradd $user"
	exit 1
fi
user_made=1
if ! printf '%s:%s\n' "$user" "$pass" | chpasswd; then
	echo "FAIL: pam_login: chpasswd"
	exit 1
fi
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)

# PAM service "imap": ours, unless the system already has one.
if [ ! -e /etc/pam.d/imap ]; then
	cp "$top/dist/pam.d/imap" /etc/pam.d/imap || exit 1
	pam_installed=1
fi

port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

# An empty config file: no /etc/imapd.conf of this machine applies.
: >"$work/imapd.conf"
"$IMAPD" --fork --listen "127.0.0.1:$port" --auth pam \
    -c "$work/imapd.conf" --debug >"$work/imapd.log" 2>&1 &
master=$!

# Wait up to 10 s for the listener.
if ! python3 - "$port" <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
then
	fail "imapd --fork did not listen on 127.0.0.1:$port"
	sed 's/^/  imapd: /' "$work/imapd.log"
	exit 1
fi

# The IMAP session; prints one "FAIL: ..." line per failed check.
PAM_LOGIN_PASS=$pass python3 - "$port" "$user" "$uid" "$master" \
    >"$work/client.out" 2>&1 <<'EOF'
import imaplib, os, sys

port, user, uid, master = int(sys.argv[1]), sys.argv[2], \
    int(sys.argv[3]), int(sys.argv[4])
password = os.environ["PAM_LOGIN_PASS"]
failed = False

def fail(msg):
    global failed
    failed = True
    print("FAIL: " + msg)

def descendants(root):
    """pid -> (real, effective, saved uid) of every process under root."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
            with open("/proc/%s/status" % d) as f:
                status = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        uids = [l for l in status.splitlines() if l.startswith("Uid:")]
        ids = tuple(int(x) for x in uids[0].split()[1:4])
        children.setdefault(ppid, []).append((int(d), ids))
    out, todo = {}, [root]
    while todo:
        for pid, ids in children.get(todo.pop(), []):
            out[pid] = ids
            todo.append(pid)
    return out

body = (b"From: pam_login <test@example.org>\r\n"
        b"To: " + user.encode() + b"@localhost\r\n"
        b"Subject: pam_login system test\r\n"
        b"Message-ID: <pam-login-%d@example.org>\r\n"
        b"\r\n"
        b"Hello from the PAM system test.\r\n" % os.getpid())

try:
    c = imaplib.IMAP4("127.0.0.1", port, timeout=30)
    typ, _ = c.login(user, password)
    if typ != "OK":
        fail("LOGIN: " + typ)
    typ, data = c.select("INBOX")
    if typ != "OK":
        fail("SELECT INBOX: %s %r" % (typ, data))
    typ, data = c.append("INBOX", None, None, body)
    if typ != "OK":
        fail("APPEND: %s %r" % (typ, data))
    typ, data = c.noop()
    typ, data = c.search(None, "ALL")
    seqs = data[0].split() if typ == "OK" and data[0] else []
    if len(seqs) != 1:
        fail("SEARCH ALL after APPEND: %s %r" % (typ, data))
    else:
        typ, data = c.fetch(seqs[0], "(BODY.PEEK[])")
        got = data[0][1] if typ == "OK" and data and \
            isinstance(data[0], tuple) else None
        if got != body:
            fail("FETCH BODY[] differs: %s %r" % (typ, data))
    # While the session is open: a process serving it has the user's uid.
    procs = descendants(master)
    if not any(ids == (uid, uid, uid) for ids in procs.values()):
        fail("no process under master %d runs as uid %d: %r"
             % (master, uid, procs))
    typ, _ = c.logout()
    if typ != "BYE":
        fail("LOGOUT: " + typ)
except Exception as e:
    fail("session: %r" % (e,))

# Refusals: wrong password, unknown user. Each on its own connection.
for who, pw in ((user, password + "x"), ("nosuchuser%d" % os.getpid(),
                                         password)):
    try:
        c = imaplib.IMAP4("127.0.0.1", port, timeout=30)
        # login() hides the status (NO and BAD both raise): ask directly.
        try:
            typ, data = c._simple_command("LOGIN", who, c._quote(pw))
            if typ != "NO":
                fail("LOGIN %s with a wrong password: %s %r"
                     % (who, typ, data))
        except imaplib.IMAP4.error as e:
            fail("LOGIN %s: expected NO, got %s" % (who, e))
        try:
            c.logout()
        except Exception:
            pass
    except Exception as e:
        fail("refusal session for %s: %r" % (who, e))

sys.exit(1 if failed else 0)
EOF
client_rc=$?
if [ $client_rc != 0 ]; then
	sed 's/^/  /' "$work/client.out"
	fail "IMAP session checks"
fi

# The delivered file: in cur/ or new/, owned by the user, not root.
files=$(find "$home/Maildir/cur" "$home/Maildir/new" -type f 2>/dev/null)
if [ -z "$files" ]; then
	fail "no message file in $home/Maildir/cur or new"
else
	for f in $files; do
		owner=$(stat -c %u "$f")
		if [ "$owner" != "$uid" ]; then
			fail "$f is owned by uid $owner, not $uid"
		fi
	done
fi
for d in "$home/Maildir" "$home/Maildir/cur" "$home/Maildir/new" \
    "$home/Maildir/tmp"; do
	if [ -d "$d" ] && [ "$(stat -c %u "$d")" != "$uid" ]; then
		fail "$d is not owned by uid $uid"
	fi
done

# SIGTERM stops the master.
kids=$(descendants "$master")
kill -TERM "$master" 2>/dev/null
i=0
while kill -0 "$master" 2>/dev/null && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$master" 2>/dev/null; then
	fail "master $master still running 10 s after SIGTERM"
else
	wait "$master" 2>/dev/null
	master=
fi

if [ $failures -ne 0 ]; then
	echo "pam_login: imapd log:"
	sed 's/^/  imapd: /' "$work/imapd.log"
	exit 1
fi
echo "PASS: pam_login"
exit 0
