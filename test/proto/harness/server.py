"""Sessions and the servers the scripts run against: imapd over stdio,
Dovecot's imap binary in PREAUTH mode, or a private Dovecot master on a
loopback port."""

import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from harness.util import (PWFILE, ROOT, SETPRIV, UNPRIV_GROUP, UNPRIV_USER,
    Eof, Failure, free_port, is_root)

DOVECOT = "/usr/sbin/dovecot"
DOVECOT_IMAP = "/usr/lib/dovecot/imap"


class Session:
    """One connection: a socket plus, for stdio servers, the process."""

    def __init__(self, number, sock, proc=None, errlog=None):
        self.number = number
        self.sock = sock
        self.proc = proc
        self.errlog = errlog
        self.buf = b""
        self.eof = False
        self.pending = None     # a line read but not yet consumed
        self.greeted = False

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise Failure("write to server failed: %s" % e)

    def _fill(self, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("timed out waiting for the server")
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.eof = True
                raise Eof()
            self.buf += chunk
            return

    def _line(self, deadline):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                return line
            if self.eof:
                raise Eof()
            self._fill(deadline)

    def _bytes(self, n, deadline):
        while len(self.buf) < n:
            if self.eof:
                raise Eof()
            self._fill(deadline)
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read(self, timeout):
        """Next logical response line: a line, and for each line segment
        ending in {N}, CRLF + the N literal bytes + the following segment.
        The final CRLF is not included."""
        if self.pending is not None:
            line, self.pending = self.pending, None
            return line
        deadline = time.monotonic() + timeout
        seg = self._line(deadline)
        out = seg
        while True:
            m = re.search(rb"\{(\d+)\+?\}$", seg)
            if not m:
                return out
            data = self._bytes(int(m.group(1)), deadline)
            seg = self._line(deadline)
            out += b"\r\n" + data + seg

    def unread(self, line):
        self.pending = line

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Server:
    """Base class: how to prepare a temp dir and open a session."""

    name = "?"
    login_needed = True

    def __init__(self, opts):
        self.opts = opts

    def prepare(self, tmp, script):
        pass

    def open(self, tmp, script, number):
        raise NotImplementedError

    def finish(self, tmp):
        return []

    def remove(self, tmp):
        """Delete a script's temporary directory."""
        shutil.rmtree(tmp, ignore_errors=True)

    def spawn(self, argv, tmp, number, env):
        parent, child = socket.socketpair()
        errlog = open(os.path.join(tmp, "stderr.%d" % number), "wb")
        if is_root():
            argv = SETPRIV + argv
        proc = subprocess.Popen(argv, stdin=child, stdout=child,
            stderr=errlog, env=env, cwd=tmp, close_fds=True)
        child.close()
        return Session(number, parent, proc, errlog)


def base_env(tmp):
    """A small fixed environment; TZ=UTC because the scripts expect
    INTERNALDATE in UTC."""
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": tmp,
        "LANG": "C", "TZ": "UTC"}
    for k, v in os.environ.items():
        if k.endswith("SAN_OPTIONS"):
            env[k] = v
    return env


class Imapd(Server):
    name = "imapd"

    def __init__(self, opts):
        super().__init__(opts)
        b = os.environ.get("B", "build")
        self.binary = os.environ.get("IMAPD") or os.path.join(ROOT, b,
            "imapd")
        if not os.path.isabs(self.binary):
            self.binary = os.path.join(ROOT, self.binary)
        self.wrapper = shlex.split(os.environ.get("IMAPD_WRAPPER", ""))
        self.extra = shlex.split(os.environ.get("IMAPD_ARGS", ""))
        self.bindir = None

    def check(self):
        if not os.access(self.binary, os.X_OK):
            return "no server binary %s (build it first)" % self.binary
        if is_root() and subprocess.call(SETPRIV + ["test", "-x",
            self.binary], stderr=subprocess.DEVNULL) != 0:
            # The build tree is not reachable by the unprivileged user
            # (e.g. under /root): run a copy.
            self.bindir = tempfile.mkdtemp(prefix="imapd-bin.")
            os.chmod(self.bindir, 0o755)
            copy = os.path.join(self.bindir, "imapd")
            shutil.copy2(self.binary, copy)
            os.chmod(copy, 0o755)
            self.binary = copy
        return None

    def cleanup(self):
        if self.bindir:
            shutil.rmtree(self.bindir, ignore_errors=True)

    def prepare(self, tmp, script):
        shutil.copy(PWFILE, os.path.join(tmp, "users.pw"))

    def open(self, tmp, script, number):
        argv = self.wrapper + [self.binary, "--inetd", "--auth",
            "pwfile:" + os.path.join(tmp, "users.pw"), "--maildir",
            os.path.join(tmp, "Maildir")] + self.extra + script.args
        return self.spawn(argv, tmp, number, base_env(tmp))


DOVECOT_NAMESPACE = """
namespace inbox {
  inbox = yes
  separator = /
  prefix =
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Sent {
    special_use = \\Sent
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Junk {
    special_use = \\Junk
  }
  mailbox Archive {
    special_use = \\Archive
  }
}
"""


class DovecotPreauth(Server):
    """Dovecot's imap binary on stdio: PREAUTH, no login possible."""

    name = "dovecot-preauth"
    login_needed = False

    def check(self):
        if not os.access(DOVECOT_IMAP, os.X_OK):
            return "%s not installed" % DOVECOT_IMAP
        return None

    def cleanup(self):
        pass

    def prepare(self, tmp, script):
        with open(os.path.join(tmp, "dovecot.conf"), "w") as f:
            f.write("log_path = %s/dovecot.log\n" % tmp)
            f.write("mail_location = maildir:%s/Maildir\n" % tmp)
            f.write(DOVECOT_NAMESPACE)

    def open(self, tmp, script, number):
        env = base_env(tmp)
        env["USER"] = "alice"
        return self.spawn([DOVECOT_IMAP, "-c",
            os.path.join(tmp, "dovecot.conf")], tmp, number, env)


class DovecotMaster(Server):
    """A private Dovecot master on a loopback port with a passwd-file."""

    name = "dovecot"

    def __init__(self, opts):
        super().__init__(opts)
        self.ports = {}     # temp dir -> port, one master per script
        self.stopping = []  # (master pid, temp dir) to clean up at the end

    def check(self):
        if not is_root():
            return "--dovecot needs root (try --dovecot-preauth)"
        if not os.access(DOVECOT, os.X_OK):
            return "%s not installed" % DOVECOT
        return None

    def cleanup(self):
        """Wait for the stopped masters, then delete their directories
        (their processes may still write there while they stop)."""
        deadline = time.monotonic() + 15
        for pid, tmp in self.stopping:
            while pid and os.path.exists("/proc/%d" % pid) and \
                time.monotonic() < deadline:
                time.sleep(0.05)
            shutil.rmtree(tmp, ignore_errors=True)
        self.stopping = []

    def remove(self, tmp):
        pass    # done in cleanup()

    def prepare(self, tmp, script):
        port = self.ports[tmp] = free_port()
        run = os.path.join(tmp, "run")
        os.mkdir(run)
        shutil.copy(PWFILE, os.path.join(tmp, "users.pw"))
        conf = os.path.join(tmp, "dovecot.conf")
        with open(conf, "w") as f:
            f.write(DOVECOT_MASTER_CONF.format(tmp=tmp, port=port,
                user=UNPRIV_USER, group=UNPRIV_GROUP))
            f.write(DOVECOT_NAMESPACE)
        subprocess.check_call([DOVECOT, "-c", conf],
            env=dict(os.environ, TZ="UTC"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._ready(port):
                return
            time.sleep(0.05)
        raise Failure("dovecot did not start on port %d" % port)

    def _ready(self, port):
        """True once a connection gets the real greeting (not "Waiting
        for authentication process")."""
        try:
            with socket.create_connection(("127.0.0.1", port), 2) as s:
                s.settimeout(5)
                first = s.recv(4096)
                s.sendall(b"x LOGOUT\r\n")
                return first.startswith(b"* OK [CAPABILITY")
        except OSError:
            return False

    def open(self, tmp, script, number):
        s = socket.create_connection(("127.0.0.1", self.ports[tmp]), 5)
        s.settimeout(None)
        return Session(number, s)

    def finish(self, tmp):
        self.ports.pop(tmp, None)
        pid = 0
        try:
            with open(os.path.join(tmp, "run", "master.pid")) as f:
                pid = int(f.read().strip())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        # Not waiting here: the master takes ~2 s to stop its services,
        # and each script has its own directory and port.
        self.stopping.append((pid, tmp))
        return []


DOVECOT_MASTER_CONF = """
base_dir = {tmp}/run
state_dir = {tmp}/run/state
log_path = {tmp}/dovecot.log
instance_name = imapd-proto-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{tmp}/Maildir
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=CRYPT {tmp}/users.pw
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={tmp}
}}
"""
