#!/bin/bash
# Migration both ways on one Maildir: Dovecot writes it (messages, flags,
# keywords, a folder, an expunge gap), imapd serves it with the same
# UIDVALIDITY / UIDs / flags / keywords, imapd appends and changes flags,
# Dovecot serves it again and sees exactly that: the new message under
# the next UID, nothing renumbered.  With SERVER=dovecot every phase runs
# Dovecot (a self-check of the test).

. "$(dirname "$0")/lib.sh"

[ -x /usr/sbin/dovecot ] || command -v dovecot >/dev/null ||
    skip "dovecot is not installed"
interop_init

snap()	# FILE
{
	python3 "$INTEROP/imaptest.py" snapshot --port "$PORT" >"$1" ||
	    fail "snapshot via $SERVER_KIND failed: $(cat "$1")"
}

same()	# A B WHAT
{
	diff -u "$1" "$2" >"$TMP/diff" ||
	    fail "$3 (- before, + after):
$(cat "$TMP/diff")"
}

# 1. Dovecot writes the Maildir.
start_server --kind dovecot
pyimap <<'EOF' || fail "populating via Dovecot failed"
import imaplib, os, imaptest
c = imaplib.IMAP4("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.login("alice", imaptest.USERS["alice"])
assert c.create("Work")[0] == "OK"
assert c.create("Work/Deep")[0] == "OK"
flags = [r"(\Seen)", r"(\Flagged $Forwarded)", r"($Label1 urgent)",
         None, r"(\Answered \Seen $Forwarded project-x)"]
for i, f in enumerate(flags):
    m = imaptest.make_message("dovecot %d" % i, 2,
                              msgid="<dc%d@interop.test>" % i)
    assert c.append("INBOX", f, None, m)[0] == "OK"
for i in range(2):
    m = imaptest.make_message("work %d" % i, 1,
                              msgid="<wk%d@interop.test>" % i)
    assert c.append("Work", r"(\Draft later)", None, m)[0] == "OK"
assert c.append("Work/Deep", None, None, imaptest.make_message(
    "deep", 1, msgid="<deep@interop.test>"))[0] == "OK"
# A gap in the UIDs: expunge the 4th message.
c.select("INBOX")
c.store("4", "+FLAGS", r"(\Deleted)")
assert c.expunge()[0] == "OK"
# A flag change after delivery, so the filename flags change.
c.store("1", "+FLAGS", r"(\Flagged)")
c.logout()
EOF
snap "$TMP/s1.json"
stop_server
grep -q '"project-x"' "$TMP/s1.json" || fail "setup: keywords missing"

# 2. Our server (or Dovecot again) on the same Maildir: same state.
start_server
snap "$TMP/s2.json"
same "$TMP/s1.json" "$TMP/s2.json" \
    "$SERVER_KIND does not show Dovecot's UIDVALIDITY/UIDs/flags/keywords"

# Append one message and change flags/keywords.
pyimap "$TMP/s1.json" <<'EOF' || fail "changes via $SERVER_KIND failed"
import imaplib, json, os, re, sys, imaptest
s1 = json.load(open(sys.argv[1]))
c = imaplib.IMAP4("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.login("alice", imaptest.USERS["alice"])
m = imaptest.make_message("from imapd", 2, msgid="<new@interop.test>")
typ, d = c.append("INBOX", r"($Forwarded newkw)", None, m)
assert typ == "OK", d
au = re.search(rb"\[APPENDUID (\d+) (\d+)\]", d[0] or b"")
if au:
    assert int(au.group(1)) == s1["INBOX"]["uidvalidity"], d
    assert int(au.group(2)) == s1["INBOX"]["uidnext"], \
        "APPENDUID %s, want the next UID %d" % (au.group(2),
                                                s1["INBOX"]["uidnext"])
typ, d = c.select("INBOX")
assert typ == "OK", d
typ, d = c.store("2", "-FLAGS", r"(\Flagged)")
assert typ == "OK", d
typ, d = c.store("3", "+FLAGS", r"(\Seen $Forwarded)")
assert typ == "OK", d
typ, d = c.select("Work")
typ, d = c.store("1", "-FLAGS", r"(later)")
assert typ == "OK", d
c.logout()
EOF
snap "$TMP/s3.json"
python3 - "$TMP/s1.json" "$TMP/s3.json" <<'EOF' ||
import json, sys
s1, s3 = (json.load(open(f)) for f in sys.argv[1:3])
i1, i3 = s1["INBOX"], s3["INBOX"]
assert i3["uidvalidity"] == i1["uidvalidity"], "UIDVALIDITY changed"
new = [m for m in i3["messages"] if m[2] == "<new@interop.test>"]
assert len(new) == 1, i3["messages"]
assert new[0][0] == i1["uidnext"], \
    "new message got UID %d, want %d" % (new[0][0], i1["uidnext"])
assert set(new[0][1]) >= {"$Forwarded", "newkw"}, new
assert [m[0] for m in i3["messages"][:-1]] == [m[0] for m in i1["messages"]], \
    "old UIDs changed"
EOF
    fail "state after changes via $SERVER_KIND is wrong"
stop_server

# 3. Dovecot again: it must see exactly what our server left.
start_server --kind dovecot
snap "$TMP/s4.json"
same "$TMP/s3.json" "$TMP/s4.json" \
    "Dovecot does not see $SERVER_KIND's changes as $SERVER_KIND showed them"
# And Dovecot continues the UID sequence.
pyimap "$TMP/s4.json" <<'EOF' || fail "Dovecot append after migration back"
import imaplib, json, os, re, sys, imaptest
s4 = json.load(open(sys.argv[1]))
c = imaplib.IMAP4("127.0.0.1", int(os.environ["PORT"]), timeout=30)
c.login("alice", imaptest.USERS["alice"])
typ, d = c.append("INBOX", None, None, imaptest.make_message("last", 1))
au = re.search(rb"\[APPENDUID (\d+) (\d+)\]", d[0] or b"")
assert au and int(au.group(1)) == s4["INBOX"]["uidvalidity"], d
assert int(au.group(2)) == s4["INBOX"]["uidnext"], (d, s4["INBOX"]["uidnext"])
c.logout()
EOF
stop_server

exit 0
