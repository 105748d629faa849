#!/usr/bin/env python3
"""A mail client's everyday workflow through python's imaplib.

LOGIN, CAPABILITY, LIST/LSUB, CREATE/RENAME/DELETE, SELECT/EXAMINE,
APPEND with flags and date, SEARCH, FETCH (BODY[], BODY.PEEK[HEADER],
FLAGS, ENVELOPE, BODYSTRUCTURE), STORE, COPY, MOVE, EXPUNGE, STATUS,
UID commands, a 5 MB APPEND returned byte-identical, IDLE woken by
another session's APPEND and by a delivery into new/, LOGOUT.
"""

import imaplib
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imaptest  # noqa: E402
from imaptest import check, log  # noqa: E402

DATE = '"06-Jan-2025 10:00:00 +0100"'
DATE_EPOCH = 1736154000  # 2025-01-06 09:00:00 UTC


def ok(res, what):
    """Unpack an imaplib (typ, data) pair, failing unless typ is OK."""
    typ, data = res
    check(typ == "OK", "%s: %s %r" % (what, typ, data))
    return data


def no(fn, what, code=None):
    """fn() must answer NO (imaplib raises IMAP4.error); check the code."""
    try:
        typ, data = fn()
    except imaplib.IMAP4.error as e:
        text = str(e)
    else:
        check(typ == "NO", "%s: expected NO, got %s %r" % (what, typ, data))
        text = repr(data)
    if code:
        check(("[%s" % code) in text.upper(),
              "%s: expected [%s] in %r" % (what, code, text))


def fetch_items(c, res, what):
    """Parse imaplib FETCH data into {seq: {ATTR: value}}."""
    data = ok(res, what)
    out = {}
    for item in imaptest.imaplib_flatten(data):
        n, d = imaptest.parse_fetch(item)
        out.setdefault(n, {}).update(d)
    return out


def mailbox_names(c, pattern="*"):
    data = ok(c.list('""', pattern), "LIST " + pattern)
    names = []
    for line in imaptest.imaplib_flatten(data):
        m = re.match(rb'\((.*?)\) (NIL|"[^"]*") (.*)$', line)
        check(m, "LIST line unparsable: %r" % line)
        name = m.group(3)
        if name.startswith(b'"'):
            name = name[1:-1].replace(b'\\"', b'"').replace(b"\\\\", b"\\")
        elif name.startswith(b"{"):
            name = name.split(b"\r\n", 1)[1]
        check(m.group(2) in (b'"/"', b"NIL"),
              "hierarchy delimiter must be /: %r" % line)
        names.append(name.decode())
    return names


def test_folders(c):
    names = mailbox_names(c)
    check("INBOX" in [n.upper() for n in names], "LIST lacks INBOX: %r" %
          names)
    for f in ("Work", "Work/Sub", "Archive"):
        ok(c.create(f), "CREATE " + f)
    no(lambda: c.create("Work"), "CREATE existing")
    names = mailbox_names(c)
    for f in ("Work", "Work/Sub", "Archive"):
        check(f in names, "LIST after CREATE lacks %s: %r" % (f, names))
    top = mailbox_names(c, "%")
    check("Work/Sub" not in top and "Work" in top,
          "LIST %% must not descend: %r" % top)
    ok(c.rename("Work/Sub", "Work/Renamed"), "RENAME child")
    ok(c.rename("Work", "Projects"), "RENAME parent")
    names = mailbox_names(c)
    check("Projects/Renamed" in names and "Work" not in names
          and "Work/Sub" not in names,
          "RENAME must move children along: %r" % names)
    ok(c.subscribe("Projects"), "SUBSCRIBE")
    lsub = ok(c.lsub('""', "*"), "LSUB")
    check(any(b"Projects" in (x or b"") for x in
              imaptest.imaplib_flatten(lsub)),
          "LSUB lacks Projects: %r" % lsub)
    ok(c.unsubscribe("Projects"), "UNSUBSCRIBE")
    ok(c.delete("Projects/Renamed"), "DELETE child")
    ok(c.delete("Projects"), "DELETE parent")
    names = mailbox_names(c)
    check(not [n for n in names if n.startswith("Projects")],
          "DELETE left %r" % names)
    no(lambda: c.select("NoSuchFolder"), "SELECT nonexistent")
    no(lambda: c.append("NoSuchFolder", None, None, b"x\r\n"),
       "APPEND nonexistent", code="TRYCREATE")
    no(lambda: c.delete("INBOX"), "DELETE INBOX")


def untagged_code(c, name):
    """Value of the [NAME value] response code of the last SELECT."""
    v = c.untagged_responses.get(name.upper())
    return v[-1] if v else None


def test_append_fetch(c, caps):
    plain = imaptest.make_message("first plain", 4,
                                  msgid="<first@interop.test>")
    multi = (b"From: Carol <carol@example.org>\r\n"
             b"To: alice@example.org\r\n"
             b"Subject: with attachment\r\n"
             b"Message-ID: <multi@interop.test>\r\n"
             b"MIME-Version: 1.0\r\n"
             b'Content-Type: multipart/mixed; boundary="XyZ"\r\n\r\n'
             b"preamble\r\n--XyZ\r\n"
             b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
             b"hello part one\r\n--XyZ\r\n"
             b"Content-Type: application/octet-stream; name=a.bin\r\n"
             b"Content-Transfer-Encoding: base64\r\n\r\n"
             b"AAECAwQFBgcICQ==\r\n--XyZ--\r\n")
    res = ok(c.append("INBOX", r"(\Flagged $Label1)", DATE, plain),
             "APPEND with flags and date")
    if "UIDPLUS" in caps or "IMAP4REV2" in caps:
        check(re.search(rb"\[APPENDUID \d+ \d+\]", res[0] or b""),
              "APPEND lacks [APPENDUID]: %r" % res)
    ok(c.append("INBOX", None, None, multi), "APPEND multipart")
    for i in range(3):
        ok(c.append("INBOX", r"(\Seen)" if i == 0 else None, None,
                    imaptest.make_message("filler %d" % i, 2)),
           "APPEND filler")
    n = int(ok(c.select("INBOX"), "SELECT INBOX")[0])
    check(n == 5, "SELECT INBOX: EXISTS %d, expected 5" % n)
    uv = untagged_code(c, "UIDVALIDITY")
    nx = untagged_code(c, "UIDNEXT")
    check(uv and int(uv) > 0, "SELECT lacks [UIDVALIDITY]")
    check(nx and int(nx) > 5 - 1, "SELECT lacks a sane [UIDNEXT]: %r" % nx)
    check(ok(c.select("INBOX", readonly=True), "EXAMINE")
          and "READ-ONLY" in c.untagged_responses,
          "EXAMINE lacks [READ-ONLY]")
    # RFC 9051 6.3.3: nothing may change under EXAMINE.  Dovecot
    # answers OK and ignores the STORE, a NO is fine too.
    try:
        c.store("1", "+FLAGS", r"\Deleted")
    except imaplib.IMAP4.error:
        pass
    f = fetch_items(c, c.fetch("1", "(FLAGS)"), "FETCH under EXAMINE")[1]
    check(b"\\Deleted" not in f[b"FLAGS"], "STORE under EXAMINE changed "
          "flags: %r" % f[b"FLAGS"])
    ok(c.select("INBOX"), "SELECT INBOX")

    f = fetch_items(c, c.fetch("1", "(FLAGS INTERNALDATE RFC822.SIZE)"),
                    "FETCH 1 FLAGS")[1]
    flags = [x.decode().lower() for x in f[b"FLAGS"]]
    check("\\flagged" in flags and "$label1" in flags,
          "APPEND flags not stored: %r" % flags)
    check("\\seen" not in flags, "new message already \\Seen: %r" % flags)
    t = imaplib.Internaldate2tuple(b'INTERNALDATE "%s"' %
                                   f[b"INTERNALDATE"])
    check(t and int(time.mktime(t)) == DATE_EPOCH,
          "INTERNALDATE %r != %s" % (f[b"INTERNALDATE"], DATE))
    check(int(f[b"RFC822.SIZE"]) == len(plain),
          "RFC822.SIZE %s != %d" % (f[b"RFC822.SIZE"], len(plain)))

    f = fetch_items(c, c.fetch("1", "(BODY.PEEK[HEADER] FLAGS)"),
                    "FETCH HEADER")[1]
    hdr = plain.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    check(f[b"BODY[HEADER]"] == hdr, "BODY[HEADER] differs: %r" %
          f[b"BODY[HEADER]"])
    f = fetch_items(c, c.fetch("1", "(BODY[])"), "FETCH BODY[]")[1]
    check(f[b"BODY[]"] == plain, "BODY[] differs from the appended bytes")
    f = fetch_items(c, c.fetch("1", "(FLAGS)"), "FETCH FLAGS")[1]
    check(b"\\Seen" in f[b"FLAGS"], "BODY[] did not set \\Seen")

    f = fetch_items(c, c.fetch("1", "(ENVELOPE BODYSTRUCTURE)"),
                    "FETCH ENVELOPE")[1]
    env = f[b"ENVELOPE"]
    check(len(env) == 10, "ENVELOPE must have 10 fields: %r" % env)
    check(env[1] == b"first plain", "ENVELOPE subject %r" % env[1])
    check(env[2][0][2] == b"alice" and env[2][0][3] == b"example.org",
          "ENVELOPE from %r" % env[2])
    check(env[9] == b"<first@interop.test>", "ENVELOPE message-id %r" %
          env[9])
    bs = f[b"BODYSTRUCTURE"]
    body = plain.split(b"\r\n\r\n", 1)[1]
    check(bs[0].upper() == b"TEXT" and bs[1].upper() == b"PLAIN",
          "BODYSTRUCTURE type %r" % bs[:2])
    check(int(bs[6]) == len(body) and int(bs[7]) == body.count(b"\n"),
          "BODYSTRUCTURE size/lines %r, want %d/%d" % (
              bs[6:8], len(body), body.count(b"\n")))

    f = fetch_items(c, c.fetch("2", "(BODYSTRUCTURE BODY.PEEK[1] "
                                    "BODY.PEEK[2] BODY.PEEK[2.MIME])"),
                    "FETCH multipart")[2]
    bs = f[b"BODYSTRUCTURE"]
    check(isinstance(bs[0], list) and isinstance(bs[1], list),
          "multipart BODYSTRUCTURE must start with 2 parts: %r" % bs)
    check(bs[2].upper() == b"MIXED", "multipart subtype %r" % bs[2])
    check(bs[1][0].upper() == b"APPLICATION" and
          bs[1][5].upper() == b"BASE64", "part 2 structure %r" % bs[1])
    check(f[b"BODY[1]"] == b"hello part one", "BODY[1] %r" % f[b"BODY[1]"])
    check(f[b"BODY[2]"] == b"AAECAwQFBgcICQ==", "BODY[2] %r" %
          f[b"BODY[2]"])
    check(b"base64" in f[b"BODY[2.MIME]"].lower(), "BODY[2.MIME] %r" %
          f[b"BODY[2.MIME]"])


def search(c, *crit, uid=False):
    res = c.uid("SEARCH", *crit) if uid else c.search(None, *crit)
    data = ok(res, "SEARCH %s" % " ".join(crit))
    return [int(x) for x in b" ".join(d for d in data if d).split()]


def test_search_store(c, c2):
    check(search(c, "ALL") == [1, 2, 3, 4, 5], "SEARCH ALL")
    check(search(c, "SUBJECT", '"filler"') == [3, 4, 5], "SEARCH SUBJECT")
    check(search(c, "FLAGGED") == [1], "SEARCH FLAGGED")
    check(search(c, "KEYWORD", "$Label1") == [1], "SEARCH KEYWORD")
    check(search(c, "UNSEEN") == [2, 4, 5], "SEARCH UNSEEN: %r" %
          search(c, "UNSEEN"))
    check(search(c, "HEADER", "Message-ID", '"<multi@interop.test>"')
          == [2], "SEARCH HEADER")
    check(search(c, "BODY", '"hello part one"') == [2], "SEARCH BODY")
    check(search(c, "OR", "FLAGGED", "SEEN", "NOT", "DELETED")
          == [1, 3], "SEARCH OR/NOT")
    uids = search(c, "ALL", uid=True)
    check(len(uids) == 5 and uids == sorted(set(uids)),
          "UID SEARCH ALL: %r" % uids)
    check(search(c, "UID", "%d:%d" % (uids[1], uids[2])) == [2, 3],
          "SEARCH UID range")

    ok(c2.select("INBOX"), "SELECT INBOX (second session)")
    res = fetch_items(c, c.store("2", "+FLAGS", r"(\Answered $Forwarded)"),
                      "STORE +FLAGS")
    fl = [x.lower() for x in res[2][b"FLAGS"]]
    check(b"\\answered" in fl and b"$forwarded" in fl,
          "STORE +FLAGS result %r" % fl)
    res = fetch_items(c, c.store("1", "-FLAGS", r"(\Flagged)"),
                      "STORE -FLAGS")
    check(b"\\Flagged" not in res[1][b"FLAGS"], "STORE -FLAGS result %r" %
          res[1][b"FLAGS"])
    res = fetch_items(c, c.uid("STORE", str(uids[3]), "FLAGS",
                               r"(\Draft)"), "UID STORE FLAGS")
    item = list(res.values())[0]
    check(int(item[b"UID"]) == uids[3] and item[b"FLAGS"] == [b"\\Draft"],
          "UID STORE FLAGS result %r" % item)
    check(search(c, "FLAGGED") == [], "SEARCH FLAGGED after -FLAGS")
    # The other session sees the changes (as untagged FETCH on NOOP, or
    # at the latest when it asks).
    ok(c2.noop(), "NOOP (second session)")
    f = fetch_items(c2, c2.fetch("1:4", "(FLAGS)"), "FETCH in session 2")
    check(b"$Forwarded" in f[2][b"FLAGS"] and
          b"\\Flagged" not in f[1][b"FLAGS"] and
          f[4][b"FLAGS"] == [b"\\Draft"],
          "second session sees stale flags: %r" % f)
    ok(c2.store("3", "+FLAGS", r"(\Flagged)"), "STORE in session 2")
    c.untagged_responses.clear()
    ok(c.noop(), "NOOP")
    fetched = c.untagged_responses.get("FETCH", [])
    check(any(re.match(rb"3 \(.*\\Flagged", x or b"") for x in fetched),
          "NOOP did not report session 2's STORE: %r" % fetched)
    # UID FETCH always returns UID.
    f = fetch_items(c, c.uid("FETCH", "%d" % uids[0], "(FLAGS)"),
                    "UID FETCH")
    check(int(f[1][b"UID"]) == uids[0], "UID FETCH lacks UID: %r" % f)
    return uids


def test_copy_move_expunge(c, caps, uids):
    res = ok(c.copy("1:2", "Archive"), "COPY")
    if "UIDPLUS" in caps or "IMAP4REV2" in caps:
        check(re.search(rb"\[COPYUID \d+ [\d:,]+ [\d:,]+\]",
                        res[0] or b""), "COPY lacks [COPYUID]: %r" % res)
    no(lambda: c.copy("1", "NoSuchFolder"), "COPY nonexistent",
       code="TRYCREATE")
    st = ok(c.status("Archive", "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN)"),
            "STATUS")
    m = re.search(rb"MESSAGES (\d+)", st[0])
    check(m and int(m.group(1)) == 2, "STATUS Archive after COPY: %r" % st)
    check(re.search(rb"UIDVALIDITY \d+", st[0]) and
          re.search(rb"UIDNEXT \d+", st[0]), "STATUS items %r" % st)

    # MOVE message 3 (uid uids[2]) by UID; INBOX must report EXPUNGE.
    typ, data = c.uid("MOVE", str(uids[2]), "Archive")
    check(typ == "OK", "UID MOVE: %s %r" % (typ, data))
    exp = c.untagged_responses.get("EXPUNGE", [])
    check(exp and int(exp[-1]) == 3, "UID MOVE: no '* 3 EXPUNGE': %r" % exp)
    c.untagged_responses.pop("EXPUNGE", None)
    # MOVE by sequence number (the command imaplib lacks).
    typ, data = c._simple_command("MOVE", "1", "Archive")
    check(typ == "OK", "MOVE: %s %r" % (typ, data))
    check(search(c, "ALL") == [1, 2, 3], "INBOX after two MOVEs: %r" %
          search(c, "ALL"))
    st = ok(c.status("Archive", "(MESSAGES)"), "STATUS")
    check(b"MESSAGES 4" in st[0], "Archive after MOVE: %r" % st)

    ok(c.store("2", "+FLAGS.SILENT", r"(\Deleted)"), "STORE \\Deleted")
    c.untagged_responses.pop("EXPUNGE", None)
    # imaplib hands the "* n EXPUNGE" numbers back as the data.
    exp = ok(c.expunge(), "EXPUNGE")
    check(exp == [b"2"], "EXPUNGE responses %r" % exp)
    check(search(c, "ALL") == [1, 2], "INBOX after EXPUNGE")
    remaining = search(c, "ALL", uid=True)
    check(remaining == [uids[1], uids[4]],
          "UIDs after MOVE/EXPUNGE %r, want %r" % (remaining,
                                                   [uids[1], uids[4]]))
    typ, data = c.uid("COPY", str(uids[4]), "Archive")
    check(typ == "OK", "UID COPY: %r" % data)

    ok(c.select("Archive"), "SELECT Archive")
    ids = []
    f = fetch_items(c, c.fetch("1:*", "(UID BODY.PEEK[HEADER.FIELDS "
                                      "(MESSAGE-ID)])"), "FETCH Archive")
    for n in sorted(f):
        ids.append(f[n][b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip())
    check(len(ids) == 5, "Archive holds %d messages, want 5" % len(ids))
    aus = [int(f[n][b"UID"]) for n in sorted(f)]
    check(aus == sorted(set(aus)), "Archive UIDs not ascending: %r" % aus)
    check(ids.count(b"Message-ID: <first@interop.test>") == 2,
          "Archive should hold message 1 twice (COPY + MOVE): %r" % ids)
    ok(c.close(), "CLOSE")


def test_big(c):
    big = imaptest.big_message(5 * 1024 * 1024, seed=7)
    ok(c.append("INBOX", None, None, big), "APPEND 5 MB")
    n = int(ok(c.select("INBOX"), "SELECT")[0])
    f = fetch_items(c, c.fetch(str(n), "(RFC822.SIZE BODY.PEEK[])"),
                    "FETCH 5 MB")[n]
    check(int(f[b"RFC822.SIZE"]) == len(big),
          "5 MB RFC822.SIZE %s != %d" % (f[b"RFC822.SIZE"], len(big)))
    check(f[b"BODY[]"] == big, "5 MB BODY[] is not byte-identical (%d vs "
          "%d bytes)" % (len(f[b"BODY[]"]), len(big)))
    f = fetch_items(c, c.fetch(str(n), "(BODY.PEEK[]<1000000.100>)"),
                    "FETCH partial")[n]
    check(f[b"BODY[]<1000000>"] == big[1000000:1000100],
          "partial FETCH differs")


def test_idle(srv):
    a = srv.raw("alice")
    a.ok("SELECT INBOX")
    b = srv.imaplib()
    try:
        for how in ("append", "deliver"):
            a.send("idle1 IDLE\r\n")
            r, seen = a.wait_for(rb"^\+", 5)
            check(r is not None, "IDLE: no continuation: %r" % seen)
            t0 = time.time()
            if how == "append":
                ok(b.append("INBOX", None, None,
                            imaptest.make_message("while idling", 1)),
                   "APPEND during IDLE")
            else:
                owner = (srv.uid, srv.gid) if srv.root else None
                imaptest.deliver(srv.maildir(), imaptest.make_message(
                    "delivered to new", 1), owner)
            r, seen = a.wait_for(rb"^\* \d+ EXISTS", 2.0)
            check(r is not None, "IDLE (%s): no EXISTS within 2 s: %r" %
                  (how, seen))
            log("IDLE (%s): %s after %.2fs" % (how, r.decode(),
                                               time.time() - t0))
            a.send("DONE\r\n")
            r = a.finish("idle1")
            check(r.status == "OK", "IDLE DONE: %r" % r.tagged)
        a.ok("LOGOUT")
    finally:
        a.close()
        b.logout()


def main(d):
    srv = imaptest.remember_server(imaptest.Server(d))
    srv.start()
    c = imaplib.IMAP4("127.0.0.1", srv.port, timeout=60)
    pre = [x.upper() for x in c.capabilities]
    check("IMAP4REV1" in pre or "IMAP4REV2" in pre,
          "CAPABILITY lacks IMAP4rev1/IMAP4rev2: %r" % pre)
    no(lambda: c.login("alice", "wrong-password"), "LOGIN bad password")
    c.login("alice", srv.users["alice"])
    caps = ok(c.capability(), "CAPABILITY")[0].decode().upper().split()
    log("capabilities: %s" % " ".join(caps))
    check("IMAP4REV1" in caps or "IMAP4REV2" in caps, "CAPABILITY %r" % caps)
    check("IDLE" in caps or "IMAP4REV2" in caps, "no IDLE capability")
    check("MOVE" in caps or "IMAP4REV2" in caps, "no MOVE capability")
    c2 = srv.imaplib()
    test_folders(c)
    test_append_fetch(c, caps)
    uids = test_search_store(c, c2)
    test_copy_move_expunge(c, caps, uids)
    c2.logout()
    test_big(c)
    test_idle(srv)
    typ, data = c.logout()
    check(typ == "BYE", "LOGOUT: %s %r" % (typ, data))


if __name__ == "__main__":
    imaptest.run(main)
