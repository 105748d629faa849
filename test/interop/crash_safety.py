#!/usr/bin/env python3
"""Crash safety: SIGKILL the process serving a connection at random
moments while it runs APPEND / STORE / COPY / MOVE / EXPUNGE, many times,
then check that nothing acknowledged was lost and the Maildir is sound.

Checks after all kills (fresh sessions, then the files themselves):
- every APPEND that got a tagged OK exists (by Message-ID) in at least
  one folder, unless the test itself flagged it \\Deleted; a message
  whose MOVE was interrupted may be in one folder or both, never none;
- every message present is one the test appended, byte-identical;
- per folder: EXISTS = FETCH count, UIDs strictly ascending, UIDNEXT >
  every UID, two sessions in a row agree on UIDs and UIDVALIDITY;
- dovecot-uidlist: header "3 V<n> N<n> ..." and records
  "<uid> [fields] :<name>", UIDs unique and ascending in file order,
  UIDNEXT >= max(N, every UID + 1); every message file in cur/ and
  new/ has exactly one record, and those UIDs are exactly the ones IMAP shows.

Knobs: CRASH_ITERATIONS (default 120), CRASH_SEED.
"""

import os
import random
import re
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imaptest  # noqa: E402
from imaptest import Fail, check, log  # noqa: E402

FOLDERS = ("INBOX", "Other")
KEYWORDS = (r"\Flagged", r"\Seen", r"\Answered", "$K1", "$K2", "$K3")


class State:
    def __init__(self, rnd):
        self.rnd = rnd
        self.sent = {}       # msgid -> bytes (every APPEND attempted)
        self.acked = set()   # msgids whose APPEND got a tagged OK
        self.doomed = set()  # msgids the test flagged \Deleted
        self.n = 0
        self.kills = 0

    def new_message(self):
        self.n += 1
        msgid = "<crash-%d@interop.test>" % self.n
        r = self.rnd.random()
        if r < 0.1:
            data = imaptest.big_message(self.rnd.randint(100000, 400000),
                                        seed=self.n)
            data = data.replace(b"<big-%d@interop.test>" % self.n,
                                msgid.encode())
        else:
            data = imaptest.make_message("crash %d" % self.n,
                                         self.rnd.randint(1, 40),
                                         msgid=msgid)
        self.sent[msgid] = data
        return msgid, data


class Killer:
    """SIGKILLs the server's connection processes after a delay."""

    def __init__(self, srv):
        self.srv = srv
        self.timer = None
        self.fired = threading.Event()
        self.killed = 0

    def arm(self, delay):
        self.fired.clear()
        self.timer = threading.Timer(delay, self._fire)
        self.timer.start()

    def _fire(self):
        for pid in self.srv.serving_pids():
            try:
                os.kill(pid, signal.SIGKILL)
                self.killed += 1
            except ProcessLookupError:
                pass
        self.fired.set()

    def wait(self):
        if self.timer:
            self.timer.join()
            self.timer = None


def folder_msgids(c):
    """{uid: msgid} of the selected folder."""
    r = c.ok("UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    out = {}
    for u in r.untagged:
        if not re.match(rb"\* \d+ FETCH", u):
            continue
        _, a = imaptest.parse_fetch(u)
        mid = a.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]", b"")
        mid = re.sub(rb"(?i)^message-id:\s*", b"", mid.strip()).decode()
        if b"UID" in a:
            out[int(a[b"UID"])] = mid
    return out


def one_op(c, st, folder, msgs):
    """Issue one random operation on the selected folder; wait for it."""
    rnd = st.rnd
    other = FOLDERS[1] if folder == FOLDERS[0] else FOLDERS[0]
    kinds = ["append"] * 3 + ["store"] * 2 + ["copy", "move", "move",
                                              "expunge"]
    if len(msgs) > 30:
        kinds += ["expunge"] * 3
    kind = rnd.choice(kinds) if msgs else "append"
    uids = sorted(msgs)
    pick = rnd.sample(uids, min(len(uids), rnd.randint(1, 4))) if uids \
        else []
    if kind == "expunge":
        pick = pick[:rnd.randint(1, 2)]
    uset = ",".join(str(u) for u in pick)
    if kind == "append":
        msgid, data = st.new_message()
        flags = rnd.choice(["", r"(\Seen) ", "($K1 $K2) "])
        r = c.command('APPEND %s %s{}' % (rnd.choice(FOLDERS), flags),
                      [data])
        if r.status == "OK":
            st.acked.add(msgid)
    elif kind == "store":
        sign = rnd.choice("+-")
        fl = " ".join(rnd.sample(KEYWORDS, rnd.randint(1, 3)))
        c.command("UID STORE %s %sFLAGS (%s)" % (uset, sign, fl))
    elif kind == "copy":
        c.command("UID COPY %s %s" % (uset, other))
    elif kind == "move":
        c.command("UID MOVE %s %s" % (uset, other))
    else:
        # Only messages the test marks \Deleted may ever disappear.
        for u in pick:
            st.doomed.add(msgs[u])
        c.command("UID STORE %s +FLAGS.SILENT (\\Deleted)" % uset)
        c.command("EXPUNGE")


def iteration(srv, st, killer):
    try:
        c = srv.raw("alice", timeout=20)
    except socket.timeout:
        raise Fail("no answer to LOGIN within 20 s after %d kills (a lock "
                   "left by a killed process?)" % killer.killed)
    armed = False
    try:
        folder = st.rnd.choice(FOLDERS)
        c.ok("SELECT %s" % folder)
        msgs = folder_msgids(c)
        nops = st.rnd.randint(2, 6)
        arm_at = st.rnd.randrange(nops)
        for i in range(nops):
            if i == arm_at:
                killer.arm(st.rnd.uniform(0, 0.05))
                armed = True
            one_op(c, st, folder, msgs)
    except socket.timeout:
        raise Fail("server silent for 20 s in a live session after %d "
                   "kills (a lock left by a killed process?)" %
                   killer.killed)
    except (EOFError, OSError):
        # The kill landed: the connection is gone.
        pass
    finally:
        if not armed:
            killer.arm(0)
        killer.wait()
        c.close()


def session_state(srv):
    """{folder: {"uidvalidity", "uidnext", "exists", "msgs": {uid: msgid},
    "bodies": {uid: bytes}}} from one fresh session."""
    c = srv.raw("alice")
    out = {}
    try:
        for f in FOLDERS:
            r = c.ok("SELECT %s" % f)
            text = b"\n".join(r.untagged + [r.tagged])
            check(b"[SERVERBUG]" not in text and not r.find(rb"^\* NO"),
                  "SELECT %s after the crashes: %r" % (f, text))
            ex = re.search(rb"^\* (\d+) EXISTS", text, re.M)
            uv = re.search(rb"\[UIDVALIDITY (\d+)\]", text)
            un = re.search(rb"\[UIDNEXT (\d+)\]", text)
            check(ex and uv and un, "SELECT %s lacks EXISTS/UIDVALIDITY/"
                  "UIDNEXT: %r" % (f, text))
            box = {"exists": int(ex.group(1)), "uidvalidity":
                   int(uv.group(1)), "uidnext": int(un.group(1)),
                   "msgs": {}, "bodies": {}, "order": []}
            if box["exists"]:
                r = c.ok("FETCH 1:* (UID BODY.PEEK[])")
                seqs = []
                for u in r.untagged:
                    if not re.match(rb"\* \d+ FETCH", u):
                        continue
                    n, a = imaptest.parse_fetch(u)
                    uid = int(a[b"UID"])
                    body = a[b"BODY[]"]
                    m = re.search(rb"(?im)^message-id:\s*(\S+)", body)
                    box["msgs"][uid] = m.group(1).decode() if m else ""
                    box["bodies"][uid] = body
                    seqs.append((n, uid))
                seqs.sort()
                check([n for n, _ in seqs] ==
                      list(range(1, box["exists"] + 1)),
                      "%s: FETCH 1:* returned sequence numbers %r for "
                      "EXISTS %d" % (f, [n for n, _ in seqs][:20],
                                     box["exists"]))
                box["order"] = [u for _, u in seqs]
            out[f] = box
        c.ok("LOGOUT")
    finally:
        c.close()
    return out


def check_session(st, s):
    where = {}
    for f, box in s.items():
        order = box["order"]
        check(order == sorted(set(order)),
              "%s: UIDs not strictly ascending: %r" % (f, order))
        if order:
            check(box["uidnext"] > order[-1],
                  "%s: UIDNEXT %d <= max UID %d" % (f, box["uidnext"],
                                                    order[-1]))
        for uid, mid in box["msgs"].items():
            check(mid in st.sent, "%s UID %d: unknown message %r" % (
                f, uid, mid))
            check(box["bodies"][uid] == st.sent[mid],
                  "%s UID %d (%s): content differs from what was "
                  "appended (%d vs %d bytes)" % (
                      f, uid, mid, len(box["bodies"][uid]),
                      len(st.sent[mid])))
            where.setdefault(mid, []).append(f)
    lost = sorted(m for m in st.acked - st.doomed if m not in where)
    check(not lost, "acknowledged APPENDs lost: %r" % lost)
    return where


UIDLIST_HDR = re.compile(r"^3( [A-Za-z][^ ]*)+$")
UIDLIST_REC = re.compile(r"^(\d+)((?: [^ :][^ ]*)*) :(.+)$")


def parse_uidlist(path):
    """(header fields {letter: value}, [(uid, name)])."""
    with open(path, "rb") as f:
        lines = f.read().decode(errors="replace").split("\n")
    check(lines and lines[-1] == "", "%s does not end in a newline" % path)
    lines = lines[:-1]
    check(lines and UIDLIST_HDR.match(lines[0]),
          "%s: bad header %r" % (path, lines[:1]))
    hdr = {x[0]: x[1:] for x in lines[0].split()[1:]}
    check(re.fullmatch(r"\d+", hdr.get("V", "")) and
          re.fullmatch(r"\d+", hdr.get("N", "")),
          "%s: header lacks V<uidvalidity> N<nextuid>: %r" % (path,
                                                              lines[0]))
    if "G" in hdr:
        check(re.fullmatch(r"[0-9a-f]+", hdr["G"]),
              "%s: bad G field %r" % (path, lines[0]))
    recs = []
    for ln in lines[1:]:
        m = UIDLIST_REC.match(ln)
        check(m, "%s: bad record %r" % (path, ln))
        recs.append((int(m.group(1)), m.group(3)))
    return hdr, recs


def check_maildir(srv, s):
    for f in FOLDERS:
        d = srv.maildir() if f == "INBOX" else os.path.join(srv.maildir(),
                                                            "." + f)
        hdr, recs = parse_uidlist(os.path.join(d, "dovecot-uidlist"))
        uids = [u for u, _ in recs]
        check(uids == sorted(set(uids)),
              "%s/dovecot-uidlist: UIDs not unique and ascending: %r" %
              (f, uids))
        # Dovecot rewrites the header lazily: N may lag behind records
        # appended later (next UID = max(N, last record + 1)).  What must
        # hold: no UID the server announces as next is already used.
        nxt = max([int(hdr["N"])] + [u + 1 for u in uids])
        check(s[f]["uidnext"] >= nxt,
              "%s: UIDNEXT %d, but dovecot-uidlist has N%s and UIDs up "
              "to %s" % (f, s[f]["uidnext"], hdr["N"],
                         uids[-1] if uids else "-"))
        check(int(hdr["V"]) == s[f]["uidvalidity"],
              "%s: uidlist V%s != UIDVALIDITY %d" % (f, hdr["V"],
                                                     s[f]["uidvalidity"]))
        byname = {}
        for u, name in recs:
            byname.setdefault(name.split(":", 1)[0], []).append(u)
        files = []
        for sub in ("cur", "new"):
            files += os.listdir(os.path.join(d, sub))
        bases = [n.split(":", 1)[0] for n in files]
        dups = sorted(n for n in files if bases.count(n.split(":", 1)[0])
                      > 1)
        check(not dups, "%s: one message file under several names: %r" %
              (f, dups))
        file_uids = []
        for b in bases:
            got = byname.get(b, [])
            check(len(got) == 1, "%s: file %s has %d uidlist records %r" %
                  (f, b, len(got), got))
            file_uids.append(got[0])
        check(sorted(file_uids) == s[f]["order"],
              "%s: UIDs of the files %r != UIDs over IMAP %r" % (
                  f, sorted(file_uids)[:30], s[f]["order"][:30]))
        check(len(files) == s[f]["exists"],
              "%s: %d files, EXISTS %d" % (f, len(files), s[f]["exists"]))


def main(d):
    seed = int(os.environ.get("CRASH_SEED") or random.randrange(1 << 30))
    n = int(os.environ.get("CRASH_ITERATIONS") or 120)
    log("seed %d (CRASH_SEED=%d reproduces), %d iterations" % (seed, seed,
                                                               n))
    st = State(random.Random(seed))
    # Dovecot's default O_EXCL dotlocks are created empty and filled in
    # afterwards: a SIGKILL in between leaves a lock without a pid that
    # blocks the folder until it is 2 minutes old.  Linked dotlocks
    # always carry the pid, so a dead owner is noticed at once.
    srv = imaptest.remember_server(imaptest.Server(
        d, dovecot_conf="dotlock_use_excl = no\n"))
    srv.start()
    c = srv.imaplib()
    typ, data = c.create("Other")
    check(typ == "OK", "CREATE Other: %r" % data)
    c.logout()
    killer = Killer(srv)
    t0 = time.time()
    for i in range(n):
        t1 = time.time()
        iteration(srv, st, killer)
        if time.time() - t1 > 2:
            log("note: iteration %d took %.1fs" % (i, time.time() - t1))
        if time.time() - t0 > 85:
            break
    log("%d iterations, %d processes killed, %d APPENDs sent, %d acked, "
        "%d doomed, %.1fs" % (i + 1, killer.killed, len(st.sent),
                              len(st.acked), len(st.doomed),
                              time.time() - t0))
    need = min(n, 100)
    check(i + 1 >= need, "only %d iterations in 85 s (want %d): the server "
          "is too slow after kills" % (i + 1, need))
    check(killer.killed >= need, "only %d processes killed" % killer.killed)
    check(srv.proc.poll() is None, "the server master died")
    s1 = session_state(srv)
    where = check_session(st, s1)
    s2 = session_state(srv)
    for f in FOLDERS:
        check(s1[f]["uidvalidity"] == s2[f]["uidvalidity"] and
              s1[f]["msgs"] == s2[f]["msgs"] and
              s1[f]["uidnext"] == s2[f]["uidnext"],
              "%s: two fresh sessions disagree on UIDs/UIDVALIDITY/UIDNEXT"
              % f)
    check_maildir(srv, s1)
    both = sum(1 for v in where.values() if len(v) > 1)
    log("final: INBOX %d, Other %d messages; %d Message-IDs in several "
        "copies" % (s1["INBOX"]["exists"], s1["Other"]["exists"], both))


if __name__ == "__main__":
    imaptest.run(main, timeout=115)
