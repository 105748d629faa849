#!/usr/bin/env python3
"""Protocol benchmark: imapd against Dovecot's imap on the same Maildir.

Both servers run in PREAUTH mode over stdio (no network, no login), each
on its own copy of a generated Maildir of N messages. For each step the
wall time is printed; at the end each server's CPU time and peak RSS.
This prints figures; it passes or fails nothing.

usage: proto_bench.py [-n MESSAGES] [--imapd PATH] [--no-dovecot]
"""
import argparse
import os
import random
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import time

WORDS = ("alpha beta gamma delta epsilon mail server maildir imap fetch "
         "search flag message body header quick brown fox jumps over the "
         "lazy dog report meeting invoice holiday").split()


def make_message(i, rnd):
    subj = " ".join(rnd.choice(WORDS) for _ in range(5))
    lines = [" ".join(rnd.choice(WORDS) for _ in range(12))
             for _ in range(rnd.randint(5, 120))]
    hdr = (f"From: Sender {i % 97} <sender{i % 97}@example.org>\n"
           f"To: User <user@example.org>\n"
           f"Subject: {subj} {i}\n"
           f"Date: Mon, {1 + i % 28} Feb 2026 10:{i % 60:02d}:00 +0100\n"
           f"Message-ID: <bench{i}@example.org>\n"
           "MIME-Version: 1.0\n")
    if i % 5 == 0:
        body = ("--b\nContent-Type: text/plain; charset=utf-8\n\n" +
                "\n".join(lines) + "\n--b\nContent-Type: "
                "application/octet-stream; name=a.bin\n"
                "Content-Transfer-Encoding: base64\n\n" +
                "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n" * 20 + "--b--\n")
        return (hdr + 'Content-Type: multipart/mixed; boundary="b"\n\n' +
                body)
    return hdr + "Content-Type: text/plain\n\n" + "\n".join(lines) + "\n"


def make_maildir(path, n):
    rnd = random.Random(42)
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, d), exist_ok=True)
    t = 1700000000
    for i in range(n):
        name = f"{t + i}.M{i}P1.bench:2,{'S' if i % 3 else ''}"
        with open(os.path.join(path, "cur", name), "w") as f:
            f.write(make_message(i, rnd))


class Server:
    def __init__(self, argv, env=None):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, env=env)
        self.buf = b""
        self.tag = 0
        self.read_until(lambda line: line.startswith(b"* PREAUTH"))

    def read_until(self, done):
        while True:
            while b"\r\n" in self.buf:
                line, self.buf = self.buf.split(b"\r\n", 1)
                if done(line):
                    return line
            r, _, _ = select.select([self.p.stdout], [], [], 120)
            if not r:
                raise RuntimeError("server timed out")
            data = os.read(self.p.stdout.fileno(), 1 << 20)
            if not data:
                raise RuntimeError("server closed the connection")
            self.buf += data

    def cmd(self, text):
        self.tag += 1
        tag = b"b%d" % self.tag
        self.p.stdin.write(tag + b" " + text.encode() + b"\r\n")
        self.p.stdin.flush()
        t0 = time.perf_counter()
        line = self.read_until(lambda l: l.startswith(tag + b" "))
        dt = time.perf_counter() - t0
        if not line.startswith(tag + b" OK"):
            raise RuntimeError(f"{text}: {line!r}")
        return dt

    def close(self):
        try:
            self.cmd("LOGOUT")
        except RuntimeError:
            pass
        self.p.wait()


STEPS = [
    ("SELECT INBOX (first open)", "SELECT INBOX"),
    ("SELECT INBOX (again)", "SELECT INBOX"),
    ("FETCH 1:* (UID FLAGS RFC822.SIZE)", "FETCH 1:* (UID FLAGS RFC822.SIZE)"),
    ("FETCH 1:* ENVELOPE", "FETCH 1:* ENVELOPE"),
    ("FETCH 1:* BODYSTRUCTURE", "FETCH 1:* BODYSTRUCTURE"),
    ("FETCH 1:500 BODY.PEEK[]", "FETCH 1:500 BODY.PEEK[]"),
    ("SEARCH FROM sender7", "SEARCH FROM sender7"),
    ("SEARCH TEXT holiday", "SEARCH TEXT holiday"),
    ("STORE 1:* +FLAGS.SILENT (\\Flagged)",
     "STORE 1:* +FLAGS.SILENT (\\Flagged)"),
    ("NOOP (no changes)", "NOOP"),
]


def as_user():
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=nobody", "--regid=nogroup",
            "--clear-groups"]


def run(name, argv, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    s = Server(argv, env)
    times = [s.cmd(c) for _, c in STEPS]
    s.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime +
           after.ru_stime - before.ru_stime)
    return times, cpu, after.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--imapd", default=os.path.join(
        os.environ.get("B", "build"), "imapd"))
    ap.add_argument("--no-dovecot", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="imapd-bench.")
    os.chmod(tmp, 0o755)
    try:
        src = os.path.join(tmp, "src")
        t0 = time.time()
        make_maildir(src, a.n)
        print(f"# {a.n} messages generated in {time.time() - t0:.1f} s")
        results = {}
        md = os.path.join(tmp, "imapd", "Maildir")
        shutil.copytree(src, md)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "nobody:nogroup",
                            os.path.join(tmp, "imapd")], check=True)
        results["imapd"] = run("imapd", as_user() + [
            a.imapd, "--preauth", "--maildir", md])
        dove = "/usr/lib/dovecot/imap"
        if not a.no_dovecot and os.path.exists(dove):
            d = os.path.join(tmp, "dovecot")
            shutil.copytree(src, os.path.join(d, "Maildir"))
            conf = os.path.join(d, "dovecot.conf")
            with open(conf, "w") as f:
                f.write(f"mail_location = maildir:{d}/Maildir\n"
                        f"base_dir = {d}/run\nssl = no\n"
                        "log_path = /dev/stderr\n")
            if os.geteuid() == 0:
                subprocess.run(["chown", "-R", "nobody:nogroup", d],
                               check=True)
            env = dict(os.environ, USER="nobody", HOME=d)
            results["dovecot"] = run("dovecot", as_user() + [
                dove, "-c", conf], env)
        names = list(results)
        print(f"{'step':40}" + "".join(f"{n:>12}" for n in names))
        for i, (label, _) in enumerate(STEPS):
            print(f"{label:40}" + "".join(
                f"{results[n][0][i] * 1000:>10.1f}ms" for n in names))
        print(f"{'server CPU time':40}" + "".join(
            f"{results[n][1]:>11.2f}s" for n in names))
        print("(peak RSS of the largest child so far: "
              f"{max(r[2] for r in results.values()) / 1024:.1f} MiB)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
