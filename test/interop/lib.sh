# shellcheck shell=bash
# Shared helpers for the shell interop tests.  Source it:
#
#	. "$(dirname "$0")/lib.sh"
#	interop_init			# temp dir $TMP, cleanup trap
#	start_server [--tls starttls|implicit] [--set KEY=VALUE] [--kind K]
#	...  $PORT, $SRV (server dir), $MAILDIR (alice's Maildir)
#	stop_server
#
# Environment: B (build dir, default "build"), SERVER (imapd|dovecot),
# KEEP_TMP=1 keeps the temp dir.  Exit codes: 0 pass, 77 skip, else fail.
# The server itself is run by "imaptest.py serve" (see imaptest.py), so
# the python and shell tests share one way of starting each server.

INTEROP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PYTHONPATH="$INTEROP${PYTHONPATH:+:$PYTHONPATH}"
: "${SERVER:=imapd}"
: "${B:=build}"
export SERVER B

# Test accounts (keep in sync with imaptest.USERS).
USER1=alice
PASS1=alice-secret

SERVE_PID=
TMP=

skip()
{
	echo "SKIP: $*"
	exit 77
}

fail()
{
	echo "FAIL: $*"
	if [ -n "$SRV" ] && [ -f "$SRV/server.log" ]; then
		echo "---- server log ($SRV) ----"
		tail -n 40 "$SRV/server.log"
	fi
	if [ -n "$TMP" ] && [ -f "$TMP/serve.log" ]; then
		tail -n 20 "$TMP/serve.log"
	fi
	exit 1
}

_interop_cleanup()
{
	local rc=$?
	trap - EXIT INT TERM HUP
	stop_server
	if [ -n "$WATCHDOG" ]; then
		kill -TERM "$WATCHDOG" 2>/dev/null
		wait "$WATCHDOG" 2>/dev/null
	fi
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ -n "$KEEP_TMP" ]; then
			echo "kept $TMP"
		else
			rm -rf "$TMP"
		fi
	fi
	[ "$rc" = 0 ] && echo PASS
	exit "$rc"
}

# interop_init [SECONDS]: temp dir, cleanup trap, watchdog (default 110 s).
interop_init()
{
	command -v python3 >/dev/null || skip "python3 not installed"
	TMP=$(mktemp -d /tmp/imap-interop-XXXXXX) || exit 1
	chmod 755 "$TMP"
	SRV=$TMP/srv
	MAILDIR=$SRV/home/$USER1/Maildir
	trap _interop_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	local limit=${1:-110} me=$$
	# The watchdog ends the test (and through the trap, the server).
	# The trap runs once the current foreground command returns, so
	# every client command runs under timeout(1) as well.
	(
		trap 'kill "$sp" 2>/dev/null; exit 0' TERM
		sleep "$limit" &
		sp=$!
		wait "$sp"
		echo "FAIL: timeout after ${limit}s"
		kill -TERM "$me"
		# Stop the server too, so a client stuck on it returns.
		[ -f "$TMP/serve.pid" ] && kill -TERM "$(cat "$TMP/serve.pid")"
	) 2>/dev/null &
	WATCHDOG=$!
}

# start_server [imaptest.py serve options]: start and wait until ready.
start_server()
{
	rm -f "$SRV/ready"
	python3 "$INTEROP/imaptest.py" serve --dir "$SRV" "$@" \
	    >>"$TMP/serve.log" 2>&1 &
	SERVE_PID=$!
	echo "$SERVE_PID" >"$TMP/serve.pid"
	local i=0
	while [ ! -f "$SRV/ready" ]; do
		if ! kill -0 "$SERVE_PID" 2>/dev/null; then
			wait "$SERVE_PID"
			local rc=$?
			SERVE_PID=
			grep -q '^SKIP:' "$TMP/serve.log" &&
			    skip "$(sed -n 's/^SKIP: //p' "$TMP/serve.log" |
			    tail -n 1)"
			fail "server did not start (rc $rc): $(tail -n 5 \
			    "$TMP/serve.log")"
		fi
		i=$((i + 1))
		[ "$i" -gt 300 ] && fail "server not ready after 30 s"
		sleep 0.1
	done
	PORT=$(cat "$SRV/port")
	SERVER_KIND=$(cat "$SRV/ready")
}

stop_server()
{
	if [ -n "$SERVE_PID" ]; then
		kill -TERM "$SERVE_PID" 2>/dev/null
		wait "$SERVE_PID" 2>/dev/null
		rm -f "$TMP/serve.pid"
		SERVE_PID=
	fi
}

# pyimap SCRIPT [ARGS]: run python with imaptest importable and
# PORT / SRV / MAILDIR exported.
pyimap()
{
	PORT=$PORT SRV=$SRV MAILDIR=$MAILDIR python3 - "$@"
}

# cmp_files A B WHAT
cmp_files()
{
	cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"
}
