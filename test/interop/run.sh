#!/bin/bash
# Run every interop test (or the ones named) and summarize.
#
#	test/interop/run.sh [TEST...]
#
# Environment: B (build dir), SERVER (imapd|dovecot), as for each test.
# Exit status: 0 if nothing failed (skips are fine), 1 otherwise.

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1

if [ $# -eq 0 ]; then
	set -- "$here"/*_*.py "$here"/*_*.sh
fi

pass=0 fail=0 skip=0 failed=
for t in "$@"; do
	case $t in
	*/imaptest.py|*/lib.sh|*/run.sh) continue ;;
	esac
	[ -x "$t" ] || continue
	name=$(basename "$t")
	log=$(mktemp)
	start=$(date +%s)
	"$t" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0)	pass=$((pass + 1)); echo "PASS $name (${secs}s)" ;;
	77)	skip=$((skip + 1))
		echo "SKIP $name: $(sed -n 's/^SKIP: //p' "$log" | head -n 1)" ;;
	*)	fail=$((fail + 1)); failed="$failed $name"
		echo "FAIL $name (rc $rc, ${secs}s)"
		sed 's/^/    /' "$log" | tail -n 60 ;;
	esac
	rm -f "$log"
done
echo "interop (${SERVER:-imapd}): $pass passed, $skip skipped, $fail failed"
[ "$fail" = 0 ]
