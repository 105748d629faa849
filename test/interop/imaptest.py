#!/usr/bin/env python3
"""Shared helpers for the imapd interop tests (python3 stdlib only).

A test starts its own server on 127.0.0.1 (our imapd or Debian's Dovecot,
chosen by $SERVER), in its own temporary directory, and always stops it.

Environment:
  B       build directory holding the imapd binary (default "build",
          relative to the current directory or to the repository root)
  SERVER  "imapd" (default) or "dovecot"

Exit codes of every test: 0 pass, 77 skip ("SKIP: reason"), other fail.

Used directly by the python tests (import imaptest) and, through the
"serve" sub-command, by the shell tests (see lib.sh):

  imaptest.py serve --dir DIR [--tls starttls|implicit] [--kind K]
                    [--set KEY=VALUE ...]
      sets up DIR (users.pw, homes, Maildirs), starts the server, writes
      DIR/port and then DIR/ready, and runs until SIGTERM/SIGINT/SIGHUP
      or until its parent exits; then stops the server.
"""

import argparse
import atexit
import base64
import imaplib
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Test accounts: user -> password.  Maildir is DIR/home/<user>/Maildir.
USERS = {"alice": "alice-secret", "bob": "bob-secret"}

EXIT_SKIP = 77


class Skip(Exception):
    """Raised to end a test with exit code 77."""


class Fail(Exception):
    """Raised to end a test with a failure message."""


def log(msg):
    print(msg, flush=True)


def check(cond, msg):
    """Fail the test with msg unless cond holds."""
    if not cond:
        raise Fail(msg)


def server_kind():
    kind = os.environ.get("SERVER", "imapd") or "imapd"
    if kind not in ("imapd", "dovecot"):
        raise Fail("SERVER must be imapd or dovecot, not %r" % kind)
    return kind


def imapd_binary():
    """Path of the imapd binary ($B/imapd); Skip if it was not built."""
    b = os.environ.get("B", "build") or "build"
    cands = [b] if os.path.isabs(b) else [os.path.abspath(b),
                                          os.path.join(REPO, b)]
    for d in cands:
        p = os.path.join(d, "imapd")
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    raise Skip("imapd binary not found in %s (build it first)" % b)


def dovecot_binary():
    for p in ("/usr/sbin/dovecot", shutil.which("dovecot") or ""):
        if p and os.access(p, os.X_OK):
            return p
    raise Skip("dovecot is not installed")


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_cert(d):
    """Self-signed cert + key (PEM) for CN=localhost in directory d."""
    cert = os.path.join(d, "cert.pem")
    key = os.path.join(d, "key.pem")
    if not os.path.exists(cert):
        r = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", key, "-out", cert, "-days", "2",
             "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise Fail("openssl req failed: %s" % r.stdout.decode(
                errors="replace"))
        os.chmod(key, 0o644)
    return cert, key


def crypt_hash(pw):
    r = subprocess.run(["openssl", "passwd", "-6", pw],
                       stdout=subprocess.PIPE, check=True)
    return r.stdout.decode().strip()


def client_ssl_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def children_of(pid):
    """Direct children of pid (from /proc)."""
    out = []
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for t in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                out.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return out


def descendants_of(pid):
    out = []
    todo = children_of(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children_of(p))
    return out


def proc_comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


class Server:
    """One IMAP server (imapd or dovecot) on 127.0.0.1 with its own dir.

    kind:     "imapd" or "dovecot" (default: $SERVER)
    tls:      None, "starttls" (cert loaded, plain port) or "implicit"
    extra:    extra imapd "KEY=VALUE" settings (passed as --set)
    dovecot_conf: extra lines appended to the generated dovecot.conf
    """

    def __init__(self, d, kind=None, tls=None, extra=(), dovecot_conf="",
                 users=None):
        self.dir = os.path.abspath(d)
        self.kind = kind or server_kind()
        self.tls = tls
        self.extra = list(extra)
        self.dovecot_conf = dovecot_conf
        self.users = dict(users or USERS)
        self.port = None
        self.proc = None
        self.logfile = None
        self.root = os.geteuid() == 0
        # As root the servers run the mail processes as nobody.
        if self.root:
            self.uid, self.gid = 65534, 65534
        else:
            self.uid, self.gid = os.getuid(), os.getgid()
        self.cert = self.key = None
        if self.kind == "imapd":
            self.binary = imapd_binary()
        else:
            self.binary = dovecot_binary()
        self._setup()

    # -- layout ---------------------------------------------------------

    def home(self, user="alice"):
        return os.path.join(self.dir, "home", user)

    def maildir(self, user="alice"):
        return os.path.join(self.home(user), "Maildir")

    def _setup(self):
        os.makedirs(self.dir, exist_ok=True)
        # Mail processes run as nobody when we are root: they must be
        # able to reach DIR/home/<user>.
        os.chmod(self.dir, 0o755)
        pwfile = os.path.join(self.dir, "users.pw")
        if not os.path.exists(pwfile):
            with open(pwfile, "w") as f:
                for u, pw in self.users.items():
                    ids = ("%d:%d" % (self.uid, self.gid)) if self.root \
                        else ":"
                    f.write("%s:%s:%s::%s:\n" % (u, crypt_hash(pw), ids,
                                                 self.home(u)))
        for u in self.users:
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(self.maildir(u), sub),
                            exist_ok=True)
        os.chmod(os.path.join(self.dir, "home"), 0o755)
        self.fix_owner()
        if self.tls:
            self.cert, self.key = make_cert(self.dir)

    def fix_owner(self):
        """chown the homes to the mail uid (after writing files as root)."""
        if not self.root:
            return
        top = os.path.join(self.dir, "home")
        for dp, dns, fns in os.walk(top):
            for n in [dp] + [os.path.join(dp, x) for x in fns]:
                try:
                    os.lchown(n, self.uid, self.gid)
                except OSError:
                    pass
        os.lchown(top, 0, 0)

    # -- start / stop ---------------------------------------------------

    def _imapd_argv(self):
        argv = [self.binary, "--fork", "--debug",
                "--listen", "127.0.0.1:%d" % self.port,
                "--auth", "pwfile:" + os.path.join(self.dir, "users.pw"),
                "--maildir", os.path.join(self.dir, "home", "%u",
                                          "Maildir")]
        if self.tls:
            argv += ["--cert", self.cert, "--key", self.key]
        if self.tls == "implicit":
            argv += ["--tls"]
        for kv in self.extra:
            argv += ["--set", kv]
        return argv

    def _dovecot_conf(self):
        me = __import__("pwd").getpwuid(os.getuid()).pw_name
        if self.root:
            internal, login = "dovecot", "dovenull"
        else:
            internal = login = me
        ssl_mode = "yes" if self.tls else "no"
        plain = "0" if self.tls == "implicit" else str(self.port)
        imaps = str(self.port) if self.tls == "implicit" else "0"
        conf = """\
base_dir = {d}/dovecot-run
state_dir = {d}/dovecot-state
instance_name = imaptest-{port}
log_path = {d}/server.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {uid}
first_valid_gid = {gid}
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=CRYPT {d}/users.pw
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
mail_location = maildir:{d}/home/%u/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
ssl = {ssl}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {plain}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""".format(d=self.dir, port=self.port, internal=internal, login=login,
           uid=self.uid, gid=self.gid,
           ssl=ssl_mode, plain=plain, imaps=imaps)
        if self.tls:
            conf += "ssl_cert = <%s\nssl_key = <%s\n" % (self.cert, self.key)
            conf += "ssl_min_protocol = TLSv1.2\n"
        if not self.root:
            # Everything runs as the current user, nothing is chrooted.
            grp = __import__("grp").getgrgid(os.getgid()).gr_name
            conf += "default_internal_group = %s\n" % grp
            for svc in ("imap-login", "anvil", "auth", "stats", "log",
                        "config", "imap"):
                conf += "service %s {\n  chroot =\n}\n" % svc
        conf += self.dovecot_conf + "\n"
        path = os.path.join(self.dir, "dovecot.conf")
        with open(path, "w") as f:
            f.write(conf)
        return [self.binary, "-F", "-c", path]

    def start(self, timeout=20):
        """Start the server and wait until it greets; Fail if it can't."""
        if self.proc:
            return
        self.port = free_port()
        if self.kind == "imapd":
            argv = self._imapd_argv()
        else:
            argv = self._dovecot_conf()
        self.logpath = os.path.join(self.dir, "server.log")
        self.logfile = open(self.logpath, "ab")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self.logfile,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        _LIVE.add(self)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Fail("%s exited with %s at start:\n%s" % (
                    self.kind, self.proc.returncode, self.log_tail()))
            if self._probe():
                return
            time.sleep(0.1)
        raise Fail("%s did not greet on port %d within %ds:\n%s" % (
            self.kind, self.port, timeout, self.log_tail()))

    def _probe(self):
        try:
            s = socket.create_connection(("127.0.0.1", self.port), 1)
        except OSError:
            return False
        try:
            s.settimeout(3)
            if self.tls == "implicit":
                s = client_ssl_context().wrap_socket(s)
            data = b""
            while b"\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    return False
                data += chunk
            return data.startswith(b"* OK") or data.startswith(b"* PREAUTH")
        except (OSError, ssl.SSLError):
            return False
        finally:
            try:
                s.close()
            except OSError:
                pass

    def stop(self):
        """Stop the server and everything it forked (its process group)."""
        if not self.proc:
            return
        # The master first (Dovecot stops its own children), then
        # whatever is left in its process group (imapd sessions outlive
        # the master by design).
        pgid = self.proc.pid
        try:
            self.proc.terminate()
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.time() + 2
        while _group_alive(pgid) and time.time() < deadline:
            time.sleep(0.05)
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.proc = None
        if self.logfile:
            self.logfile.close()
            self.logfile = None
        _LIVE.discard(self)

    def log_tail(self, n=40):
        try:
            with open(os.path.join(self.dir, "server.log"), "rb") as f:
                lines = f.read().decode(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-n:])

    def serving_pids(self):
        """Processes that serve client connections right now.

        imapd: every descendant of the master (per-connection children).
        dovecot: the "imap" mail processes.
        """
        if not self.proc:
            return []
        pids = descendants_of(self.proc.pid)
        if self.kind == "dovecot":
            pids = [p for p in pids if proc_comm(p) == "imap"]
        return pids

    # -- clients --------------------------------------------------------

    def imaplib(self, user="alice", login=True):
        """An imaplib client, logged in as user unless login is False."""
        if self.tls == "implicit":
            c = imaplib.IMAP4_SSL("127.0.0.1", self.port,
                                  ssl_context=client_ssl_context(),
                                  timeout=30)
        else:
            c = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        if login:
            c.login(user, self.users[user])
        return c

    def raw(self, user=None, **kw):
        """A RawClient; logged in (LOGIN) as user if given."""
        c = RawClient("127.0.0.1", self.port,
                      ssl_context=client_ssl_context()
                      if self.tls == "implicit" else None, **kw)
        if user:
            c.ok("LOGIN %s %s" % (quote(user), quote(self.users[user])))
        return c


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


_LIVE = set()


def _stop_all():
    for s in list(_LIVE):
        try:
            s.stop()
        except Exception:
            pass


atexit.register(_stop_all)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------
# A small raw IMAP client: full control over what goes on the wire.

class Response:
    """A tagged command's result: untagged lines and the tagged line.

    Each untagged item is the full response as bytes with literals
    inlined ({n}\\r\\n followed by the n bytes)."""

    def __init__(self, tag, untagged, tagged):
        self.tag = tag
        self.untagged = untagged
        self.tagged = tagged

    @property
    def status(self):
        parts = self.tagged.split(b" ", 2)
        return parts[1].decode().upper() if len(parts) > 1 else ""

    def find(self, pattern):
        """Untagged responses matching regex pattern (bytes)."""
        rx = re.compile(pattern, re.I | re.S)
        return [u for u in self.untagged if rx.search(u)]


class RawClient:
    def __init__(self, host, port, ssl_context=None, timeout=30,
                 source=None):
        self.sock = socket.create_connection(
            (host, port), timeout,
            source_address=(source, 0) if source else None)
        if ssl_context:
            self.sock = ssl_context.wrap_socket(self.sock)
        self.buf = b""
        self.n = 0
        self.greeting = self.readline()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def settimeout(self, t):
        self.sock.settimeout(t)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("server closed the connection")
        self.buf += chunk

    def readline(self):
        """One line including CRLF (raises EOFError at end of stream)."""
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return line
            self._fill()

    def readn(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_response(self):
        """One complete response with literals inlined, CRLF stripped.

        On a socket timeout nothing is lost: the partial response goes
        back into the buffer before the exception propagates."""
        out = b""
        try:
            while True:
                line = self.readline()
                out += line
                m = re.search(rb"\{(\d+)\+?\}\r\n$", line)
                if m and not line.startswith(b"+ "):
                    out += self.readn(int(m.group(1)))
                    continue
                return out.rstrip(b"\r\n")
        except socket.timeout:
            self.buf = out + self.buf
            raise

    def wait_for(self, pattern, timeout):
        """Read responses for up to timeout seconds until one matches the
        regex pattern (bytes).  Returns (match or None, all read)."""
        rx = re.compile(pattern, re.I | re.S)
        seen = []
        deadline = time.time() + timeout
        old = self.sock.gettimeout()
        try:
            while True:
                left = deadline - time.time()
                if left <= 0:
                    return None, seen
                self.sock.settimeout(left)
                try:
                    r = self.read_response()
                except socket.timeout:
                    return None, seen
                seen.append(r)
                if rx.search(r):
                    return r, seen
        finally:
            self.sock.settimeout(old)

    def tag(self):
        self.n += 1
        return "t%d" % self.n

    def command(self, text, literals=()):
        """Send "TAG text" and return the Response.

        text may contain "{}" placeholders, one per entry of literals;
        each becomes a synchronizing literal {n} and its bytes are sent
        after the server's continuation request."""
        tag = self.tag()
        self.start(tag, text, literals)
        return self.finish(tag)

    def start(self, tag, text, literals=()):
        pieces = text.split("{}")
        if len(pieces) - 1 != len(literals):
            raise ValueError("literal count mismatch")
        self.send("%s %s" % (tag, pieces[0]))
        untagged = []
        for lit, rest in zip(literals, pieces[1:]):
            if isinstance(lit, str):
                lit = lit.encode()
            self.send("{%d}\r\n" % len(lit))
            while True:
                r = self.read_response()
                if r.startswith(b"+"):
                    break
                if r.startswith(tag.encode() + b" "):
                    raise Fail("literal refused: %r" % r)
                untagged.append(r)
            self.send(lit + rest.encode())
        self.send("\r\n")
        self._pending = untagged

    def finish(self, tag):
        untagged = getattr(self, "_pending", [])
        self._pending = []
        t = tag.encode() + b" "
        while True:
            r = self.read_response()
            if r.startswith(t):
                return Response(tag, untagged, r)
            untagged.append(r)

    def ok(self, text, literals=()):
        r = self.command(text, literals)
        if r.status != "OK":
            raise Fail("%s -> %r" % (text.split(" ")[0] if not
                                     text.upper().startswith("UID")
                                     else " ".join(text.split(" ")[:2]),
                                     r.tagged))
        return r


# ---------------------------------------------------------------------
# Parsing IMAP data items (ENVELOPE, BODYSTRUCTURE, FETCH attributes).

_TOKEN = re.compile(rb'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|\{(\d+)\+?\}\r\n'
                    rb'|([^\s()"\[\]{}]+(?:\[[^\]]*\](?:<[0-9.]+>)?)?))',
                    re.S)


def parse_list(data, pos=0):
    """Parse a parenthesized IMAP list starting at data[pos] == '('.

    Returns (value, end): value is a python list of bytes (strings and
    atoms), None (NIL) and nested lists."""
    vals, pos = _parse_items(data, pos)
    if len(vals) != 1 or not isinstance(vals[0], list):
        raise ValueError("not a single list at %d" % pos)
    return vals[0], pos


def _parse_items(data, pos, depth=0):
    out = []
    stack = []
    while pos < len(data):
        m = _TOKEN.match(data, pos)
        if not m or m.end() == pos:
            if data[pos:].strip() == b"":
                break
            raise ValueError("cannot parse at %d: %r" % (pos,
                                                         data[pos:pos + 40]))
        pos = m.end()
        if m.group(1):
            stack.append(out)
            out = []
        elif m.group(2):
            if not stack:
                raise ValueError("unbalanced ) at %d" % pos)
            inner, out = out, stack.pop()
            out.append(inner)
            if not stack and depth == 0:
                return out, pos
        elif m.group(3) is not None:
            out.append(re.sub(rb"\\(.)", rb"\1", m.group(3)))
        elif m.group(4):
            n = int(m.group(4))
            out.append(data[pos:pos + n])
            pos += n
        else:
            a = m.group(5)
            out.append(None if a.upper() == b"NIL" else a)
    if stack:
        raise ValueError("unbalanced (")
    return out, pos


def parse_fetch(resp):
    """Parse an untagged '* n FETCH (...)' response into (n, {NAME: val}).

    Keys are upper-cased attribute names as sent (e.g. b'BODY[]',
    b'UID')."""
    m = re.match(rb"\* (\d+) FETCH ", resp, re.I)
    if not m:
        raise ValueError("not a FETCH response: %r" % resp[:60])
    lst, _ = parse_list(resp, m.end())
    if len(lst) % 2:
        raise ValueError("odd FETCH attribute list: %r" % resp[:200])
    d = {}
    for i in range(0, len(lst), 2):
        d[lst[i].upper()] = lst[i + 1]
    return int(m.group(1)), d


def imaplib_flatten(data):
    """Rejoin imaplib's response data (bytes and (prefix, literal) tuples)
    into wire form, one item per untagged response."""
    out = []
    cur = b""
    for item in data:
        if isinstance(item, tuple):
            cur += item[0] + b"\r\n" + item[1] if not item[0].endswith(
                b"\r\n") else item[0] + item[1]
            continue
        if item is None:
            continue
        cur += item
        out.append(cur)
        cur = b""
    if cur:
        out.append(cur)
    # imaplib drops "* " and the word FETCH: "1 (FLAGS ...)".
    return [re.sub(rb"^(\d+) \(", rb"* \1 FETCH (", x, count=1)
            for x in out]


# ---------------------------------------------------------------------
# Messages.

def make_message(subject, body_lines=3, msgid=None, extra_headers=(),
                 sender="Alice <alice@example.org>"):
    """An RFC 5322 message (bytes, CRLF line ends)."""
    msgid = msgid or "<%s@interop.test>" % base64.b32encode(
        os.urandom(10)).decode().lower()
    hdr = ["From: %s" % sender,
           "To: Bob <bob@example.org>",
           "Subject: %s" % subject,
           "Date: Mon, 6 Jan 2025 10:00:00 +0000",
           "Message-ID: %s" % msgid]
    hdr += list(extra_headers)
    body = ["Line %d of %s" % (i, subject) for i in range(body_lines)]
    return ("\r\n".join(hdr) + "\r\n\r\n" + "\r\n".join(body)
            + "\r\n").encode()


def big_message(size, seed=1):
    """A text message of about size bytes: random-ish CRLF lines."""
    rnd = random.Random(seed)
    head = make_message("big one", 0, msgid="<big-%d@interop.test>" % seed)
    alphabet = (b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                b"0123456789 .,-x")
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    raw = rnd.randbytes(size).translate(table)
    parts = [head]
    n = len(head)
    pos = 0
    while n < size:
        ln = rnd.randint(1, 76)
        line = raw[pos:pos + ln]
        pos += ln
        if line.startswith(b"."):
            line = b"x" + line
        parts.append(line + b"\r\n")
        n += len(line) + 2
    return b"".join(parts)


def deliver(maildir_path, data, owner=None):
    """Deliver data into maildir_path/new like an MDA: tmp + rename."""
    name = "%d.M%dP%d.interop" % (time.time(), random.randint(0, 999999),
                                  os.getpid())
    tmp = os.path.join(maildir_path, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if owner:
        os.chown(tmp, *owner)
    os.rename(tmp, os.path.join(maildir_path, "new", name))
    return name


# ---------------------------------------------------------------------
# Mailbox state as a client sees it.

def list_mailboxes(c):
    """Mailbox names (str) from LIST "" "*" on an imaplib client."""
    typ, data = c.list('""', "*")
    if typ != "OK":
        raise Fail("LIST: %s %r" % (typ, data))
    names = []
    for line in imaplib_flatten(data):
        m = re.match(rb'\((.*?)\) (?:NIL|"[^"]*") (.*)$', line, re.S)
        if not m:
            raise Fail("LIST line unparsable: %r" % line)
        if b"\\noselect" in m.group(1).lower():
            continue
        name = m.group(2)
        if name.startswith(b'"'):
            name = re.sub(rb"\\(.)", rb"\1", name[1:-1])
        elif name.startswith(b"{"):
            name = name.split(b"\r\n", 1)[1]
        names.append(name.decode())
    return sorted(names)


def snapshot(port, user="alice", password=None, bodies=False):
    """{mailbox: {"uidvalidity", "uidnext", "messages": [[uid, flags,
    message-id(, sha1 of body)]]}} through EXAMINE, changing nothing.

    Flags are sorted, \\Recent left out (it is per session)."""
    import hashlib
    c = imaplib.IMAP4("127.0.0.1", port, timeout=30)
    try:
        c.login(user, password or USERS[user])
        snap = {}
        for name in list_mailboxes(c):
            typ, d = c.select(quote(name), readonly=True)
            if typ != "OK":
                raise Fail("EXAMINE %s: %r" % (name, d))
            exists = int(d[0])
            box = {"uidvalidity": int(c.untagged_responses["UIDVALIDITY"]
                                      [-1]),
                   "uidnext": int(c.untagged_responses["UIDNEXT"][-1]),
                   "exists": exists, "messages": []}
            if exists:
                items = "UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"
                if bodies:
                    items += " BODY.PEEK[]"
                typ, d = c.fetch("1:*", "(%s)" % items)
                if typ != "OK":
                    raise Fail("FETCH in %s: %r" % (name, d))
                for item in imaplib_flatten(d):
                    n, a = parse_fetch(item)
                    mid = a[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"]
                    mid = re.sub(rb"(?i)^message-id:\s*", b"",
                                 mid.strip()).decode(errors="replace")
                    m = [int(a[b"UID"]),
                         sorted(f.decode() for f in a[b"FLAGS"]
                                if f.lower() != b"\\recent"), mid]
                    if bodies:
                        m.append(hashlib.sha1(a[b"BODY[]"]).hexdigest())
                    box["messages"].append(m)
            snap[name] = box
        return snap
    finally:
        try:
            c.logout()
        except Exception:
            pass


# ---------------------------------------------------------------------
# Test runner.

def run(main, timeout=110):
    """Run main(tmpdir) with a watchdog; translate the outcome to exit codes.

    main raises Skip / Fail (or anything else = failure)."""
    d = tempfile.mkdtemp(prefix="imap-interop-")
    # Mail processes run as nobody when we are root: let them in.
    os.chmod(d, 0o755)
    keep = os.environ.get("KEEP_TMP")

    def on_alarm(signum, frame):
        raise Fail("timeout: test ran longer than %d s" % timeout)

    def on_term(signum, frame):
        raise Fail("killed by signal %d" % signum)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    signal.alarm(timeout)
    rc = 1
    try:
        main(d)
        rc = 0
    except Skip as e:
        log("SKIP: %s" % e)
        rc = EXIT_SKIP
    except Fail as e:
        log("FAIL: %s" % e)
        _print_logs()
    except Exception as e:
        import traceback
        traceback.print_exc()
        log("FAIL: %s: %s" % (type(e).__name__, e))
        _print_logs()
    finally:
        signal.alarm(0)
        _stop_all()
        if keep:
            log("kept %s" % d)
        else:
            shutil.rmtree(d, ignore_errors=True)
    if rc == 0:
        log("PASS")
    sys.exit(rc)


_LOGGED = []


def remember_server(srv):
    """Print this server's log tail if the test fails."""
    _LOGGED.append(srv)
    return srv


def _print_logs():
    for s in _LOGGED:
        log("---- %s log (%s) ----\n%s" % (s.kind, s.dir, s.log_tail()))


# ---------------------------------------------------------------------
# "serve" sub-command for shell tests.

def _serve(args):
    srv = Server(args.dir, kind=args.kind, tls=args.tls, extra=args.set)
    stop = []

    def on_sig(signum, frame):
        stop.append(signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_sig)
    parent = os.getppid()
    try:
        srv.start()
    except Fail as e:
        sys.stderr.write("%s\n" % e)
        srv.stop()
        return 1
    with open(os.path.join(args.dir, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.port)
    os.rename(os.path.join(args.dir, "port.tmp"),
              os.path.join(args.dir, "port"))
    with open(os.path.join(args.dir, "server.pid"), "w") as f:
        f.write("%d\n" % srv.proc.pid)
    with open(os.path.join(args.dir, "ready"), "w") as f:
        f.write("%s\n" % srv.kind)
    try:
        while not stop and os.getppid() == parent:
            if srv.proc.poll() is not None:
                sys.stderr.write("server exited with %s\n" %
                                 srv.proc.returncode)
                return 1
            time.sleep(0.2)
    finally:
        srv.stop()
        for n in ("ready", "port", "server.pid"):
            try:
                os.unlink(os.path.join(args.dir, n))
            except OSError:
                pass
    return 0


def _main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve")
    sp.add_argument("--dir", required=True)
    sp.add_argument("--kind", default=None)
    sp.add_argument("--tls", default=None,
                    choices=("starttls", "implicit"))
    sp.add_argument("--set", action="append", default=[])
    sp = sub.add_parser("snapshot")
    sp.add_argument("--port", type=int, required=True)
    sp.add_argument("--user", default="alice")
    sp.add_argument("--bodies", action="store_true")
    args = ap.parse_args()
    if args.cmd == "snapshot":
        import json
        try:
            snap = snapshot(args.port, args.user, bodies=args.bodies)
        except (Fail, imaplib.IMAP4.error, OSError) as e:
            print("FAIL: snapshot: %s" % e)
            return 1
        json.dump(snap, sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    if args.cmd == "serve":
        try:
            return _serve(args)
        except Skip as e:
            print("SKIP: %s" % e)
            return EXIT_SKIP
        except Fail as e:
            print("FAIL: %s" % e)
            return 1
    return 2


if __name__ == "__main__":
    sys.exit(_main())
