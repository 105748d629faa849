#!/bin/bash
# isync's mbsync against the server: sync down, sync local changes up
# (new messages, flags, a new folder), deletions both ways, and a final
# sync that changes nothing.

. "$(dirname "$0")/lib.sh"

command -v mbsync >/dev/null || skip "mbsync (isync) not installed"
interop_init

start_server
LOCAL=$TMP/local
mkdir -p "$LOCAL"

cat >"$TMP/mbsyncrc" <<EOF
IMAPAccount remote
Host 127.0.0.1
Port $PORT
User $USER1
Pass $PASS1
SSLType None
AuthMechs LOGIN PLAIN
Timeout 30

IMAPStore remote
Account remote

MaildirStore local
Path $LOCAL/
Inbox $LOCAL/INBOX
SubFolders Verbatim

Channel sync
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
EOF

sync()
{
	timeout 90 mbsync -c "$TMP/mbsyncrc" -a >"$TMP/mbsync.out" 2>&1 ||
	    fail "mbsync $1 failed: $(cat "$TMP/mbsync.out")"
}

# snapshot_server FILE: folders, UIDs, flags and body digests via IMAP.
snapshot_server()
{
	pyimap "$1" <<'EOF' || fail "server snapshot failed"
import hashlib, imaplib, json, os, re, sys, imaptest
c = imaplib.IMAP4("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.login("alice", imaptest.USERS["alice"])
typ, data = c.list('""', "*")
snap = {}
for line in imaptest.imaplib_flatten(data):
    name = re.match(rb'\(.*?\) (?:NIL|"[^"]*") "?(.*?)"?$', line).group(1)
    name = name.decode()
    typ, d = c.select('"%s"' % name, readonly=True)
    assert typ == "OK", (name, d)
    msgs = []
    if int(d[0]):
        typ, d = c.fetch("1:*", "(UID FLAGS BODY.PEEK[])")
        for item in imaptest.imaplib_flatten(d):
            n, a = imaptest.parse_fetch(item)
            # mbsync marks uploads with an X-TUID header: not content.
            body = a[b"BODY[]"].replace(b"\r\n", b"\n")
            body = re.sub(rb"(?m)^X-TUID: .*\n", b"", body, count=1)
            msgs.append([int(a[b"UID"]),
                         sorted(f.decode() for f in a[b"FLAGS"]
                                if f.lower() != b"\\recent"),
                         hashlib.sha1(body).hexdigest()])
    snap[name] = sorted(msgs)
c.logout()
json.dump(snap, open(sys.argv[1], "w"), indent=1, sort_keys=True)
EOF
}

# local_digests DIR: "sha1 flags" of each message file in a local
# Maildir folder (mbsync may add an X-TUID header: not part of it).
local_digests()
{
	local f fl
	for f in "$1"/cur/* "$1"/new/*; do
		[ -f "$f" ] || continue
		fl=
		case $f in *:2,*) fl=${f##*:2,} ;; esac
		printf '%s %s\n' "$(grep -v '^X-TUID: ' "$f" |
		    sha1sum | cut -d' ' -f1)" "$fl"
	done | sort
}

# server_digests SNAP FOLDER: "sha1 maildir-flag-letters" per message.
server_digests()
{
	python3 - "$1" "$2" <<'EOF'
import json, sys
m = {"\\Draft": "D", "\\Flagged": "F", "\\Answered": "R", "\\Seen": "S",
     "\\Deleted": "T"}
for uid, flags, digest in json.load(open(sys.argv[1])).get(sys.argv[2], []):
    print(digest, "".join(sorted(m[f] for f in flags if f in m)))
EOF
}

compare_folder()	# SNAP FOLDER LOCALDIR WHAT
{
	server_digests "$1" "$2" | sort >"$TMP/want"
	local_digests "$3" >"$TMP/got"
	diff -u "$TMP/want" "$TMP/got" >"$TMP/diff" ||
	    fail "$4: folder $2 differs (- server, + local): $(cat "$TMP/diff")"
}

# 1. Seed the server and sync down.
pyimap <<'EOF' || fail "seeding the server failed"
import imaplib, os, imaptest
c = imaplib.IMAP4("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.login("alice", imaptest.USERS["alice"])
for f in ("Lists", "Lists/Sub"):
    assert c.create(f)[0] == "OK", f
for i, flags in enumerate((None, r"(\Flagged)", r"(\Seen \Answered)")):
    m = imaptest.make_message("inbox %d" % i, 3 + i,
                              msgid="<in%d@interop.test>" % i)
    assert c.append("INBOX", flags, None, m)[0] == "OK"
for i in range(2):
    assert c.append("Lists", r"(\Seen)", None, imaptest.make_message(
        "list %d" % i, 2, msgid="<li%d@interop.test>" % i))[0] == "OK"
assert c.append("Lists/Sub", None, None, imaptest.make_message(
    "sub 0", 1, msgid="<sub0@interop.test>"))[0] == "OK"
c.logout()
EOF
sync "down"
snapshot_server "$TMP/s1.json"
compare_folder "$TMP/s1.json" INBOX "$LOCAL/INBOX" "after sync down"
compare_folder "$TMP/s1.json" Lists "$LOCAL/Lists" "after sync down"
compare_folder "$TMP/s1.json" Lists/Sub "$LOCAL/Lists/Sub" "after sync down"
[ "$(local_digests "$LOCAL/INBOX" | wc -l)" = 3 ] ||
    fail "local INBOX should hold 3 messages"

# 2. Local changes: new messages, flag changes, a new folder; sync up.
newmsg()	# DIR NAME SUBJECT
{
	printf 'From: Local <local@example.org>\nTo: alice@example.org\n'\
'Subject: %s\nMessage-ID: <%s@local.test>\n\nWritten locally.\n' \
	    "$3" "$2" >"$1/tmp/$2"
	mv "$1/tmp/$2" "$1/new/$2"
}
newmsg "$LOCAL/INBOX" "l1.$$" "local one"
newmsg "$LOCAL/Lists" "l2.$$" "local two"
mkdir -p "$LOCAL/Fresh/cur" "$LOCAL/Fresh/new" "$LOCAL/Fresh/tmp"
newmsg "$LOCAL/Fresh" "l3.$$" "local three"
# Flag the unflagged, unseen INBOX message (first in server order).
f=$(grep -l '^Message-ID: <in0@interop.test>' "$LOCAL"/INBOX/cur/* \
    "$LOCAL"/INBOX/new/* 2>/dev/null | head -n 1)
[ -n "$f" ] || fail "local copy of <in0@interop.test> not found"
case $f in
*/new/*)	nf=${f/\/new\//\/cur\/}; nf=${nf%%:2,*}:2,FS ;;
*)	nf=${f%%:2,*}:2,FS ;;
esac
mv "$f" "$nf"
sync "up"
snapshot_server "$TMP/s2.json"
python3 - "$TMP/s2.json" <<'EOF' || fail "sync up not visible on the server"
import json, sys
s = json.load(open(sys.argv[1]))
assert "Fresh" in s, "folder Fresh not created on the server: %r" % list(s)
assert len(s["Fresh"]) == 1, s["Fresh"]
assert len(s["INBOX"]) == 4, "INBOX holds %d, want 4" % len(s["INBOX"])
assert len(s["Lists"]) == 3, "Lists holds %d, want 3" % len(s["Lists"])
first = min(s["INBOX"])
assert "\\Flagged" in first[1] and "\\Seen" in first[1], \
    "local flag change not on the server: %r" % first
EOF
compare_folder "$TMP/s2.json" INBOX "$LOCAL/INBOX" "after sync up"
compare_folder "$TMP/s2.json" Lists "$LOCAL/Lists" "after sync up"
compare_folder "$TMP/s2.json" Fresh "$LOCAL/Fresh" "after sync up"

# 3. Deletions: expunge on the server, trash locally; flag on the server.
pyimap <<'EOF' || fail "server-side changes failed"
import imaplib, os, imaptest
c = imaplib.IMAP4("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.login("alice", imaptest.USERS["alice"])
c.select("INBOX")
typ, d = c.search(None, "HEADER", "Message-ID", '"<in2@interop.test>"')
assert typ == "OK" and d[0].split(), d
c.store(d[0].split()[0], "+FLAGS", r"(\Deleted)")
assert c.expunge()[0] == "OK"
typ, d = c.search(None, "HEADER", "Message-ID", '"<in1@interop.test>"')
c.store(d[0].split()[0], "+FLAGS", r"(\Answered)")
c.logout()
EOF
f=$(grep -l '^Message-ID: <li0@interop.test>' "$LOCAL"/Lists/cur/* | head -n 1)
[ -n "$f" ] || fail "local copy of <li0@interop.test> not found"
mv "$f" "${f%%:2,*}:2,ST"
sync "deletions"
snapshot_server "$TMP/s3.json"
python3 - "$TMP/s3.json" <<'EOF' || fail "deletions not synced"
import json, sys
s = json.load(open(sys.argv[1]))
assert len(s["INBOX"]) == 3, "INBOX holds %d, want 3" % len(s["INBOX"])
assert len(s["Lists"]) == 2, "Lists holds %d, want 2 (local trash " \
    "expunged)" % len(s["Lists"])
EOF
grep -qs '^Message-ID: <in2@interop.test>' "$LOCAL"/INBOX/cur/* \
    "$LOCAL"/INBOX/new/* && fail "server-expunged message still local"
grep -qs '^Message-ID: <li0@interop.test>' "$LOCAL"/Lists/cur/* &&
    fail "locally trashed message still local after Expunge Both"
for fo in INBOX Lists Lists/Sub Fresh; do
	compare_folder "$TMP/s3.json" "$fo" "$LOCAL/$fo" "after deletions"
done

# 4. Nothing changed: a new sync must leave both sides as they are.
(cd "$LOCAL" && find . -type f ! -name '.mbsyncstate*' ! -name '.uidvalidity' |
    sort) >"$TMP/l3.list"
sync "idempotent"
snapshot_server "$TMP/s4.json"
(cd "$LOCAL" && find . -type f ! -name '.mbsyncstate*' ! -name '.uidvalidity' |
    sort) >"$TMP/l4.list"
diff -u "$TMP/s3.json" "$TMP/s4.json" >"$TMP/diff" ||
    fail "server changed on a no-op sync: $(cat "$TMP/diff")"
diff -u "$TMP/l3.list" "$TMP/l4.list" >"$TMP/diff" ||
    fail "local Maildir changed on a no-op sync: $(cat "$TMP/diff")"

exit 0
