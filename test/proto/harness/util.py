"""Shared constants and helpers of the protocol test runner."""

import base64
import grp
import os
import pwd
import re
import socket

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")
PWFILE = os.path.join(HERE, "users.pw")
PASSWORDS = {"alice": "alice-pw", "bob": "bob-pw"}
UNPRIV_USER = "nobody"
UNPRIV_GROUP = "nogroup"
SETPRIV = ["setpriv", "--reuid=" + UNPRIV_USER, "--regid=" + UNPRIV_GROUP,
    "--clear-groups"]
SERVER_NAMES = ("imapd", "dovecot", "dovecot-preauth")


class ScriptError(Exception):
    """A malformed script (the test itself is wrong)."""


class Failure(Exception):
    """The server did not behave as the script expects."""

    def __init__(self, msg, expected=None, actual=None):
        super().__init__(msg)
        self.expected = expected
        self.actual = actual
        self.step = None


class Eof(Exception):
    """The server closed the connection."""


def unescape(text):
    """Decode \\r \\n \\t \\\\ \\xNN (C~:, C+: and ~ patterns); any
    other backslash stays as it is."""
    out = bytearray()
    raw = text.encode("utf-8")
    i = 0
    simple = {ord("r"): b"\r", ord("n"): b"\n", ord("t"): b"\t",
        ord("\\"): b"\\"}
    while i < len(raw):
        c = raw[i]
        if c == 0x5C and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in simple:
                out += simple[nxt]
                i += 2
                continue
            if nxt == ord("x") and re.fullmatch(rb"[0-9A-Fa-f]{2}",
                raw[i + 2:i + 4]):
                out.append(int(raw[i + 2:i + 4], 16))
                i += 4
                continue
        out.append(c)
        i += 1
    return bytes(out)


def crlf(data):
    """Convert bare LF line ends of a data file to CRLF (wire format)."""
    return re.sub(rb"(?<!\r)\n", b"\r\n", data)


def data_path(name):
    path = os.path.normpath(os.path.join(DATA, name))
    if not path.startswith(DATA + os.sep) or not os.path.isfile(path):
        raise ScriptError("no data file %r" % name)
    return path


def data_file(name):
    with open(data_path(name), "rb") as f:
        return f.read()


def mutf7(name):
    """Encode a mailbox name as modified UTF-7 (RFC 3501 5.1.3)."""
    out, pending = [], []

    def flush():
        if pending:
            utf16 = "".join(pending).encode("utf-16-be")
            b64 = base64.b64encode(utf16).decode().rstrip("=")
            out.append("&" + b64.replace("/", ",") + "-")
            pending.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def show(data, limit=400):
    """Printable form of protocol bytes for transcripts."""
    text = data.decode("utf-8", "backslashreplace")
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) > limit:
        text = text[:limit] + "...(%d bytes)" % len(data)
    return text


def is_root():
    return os.geteuid() == 0


def unpriv_ids():
    return pwd.getpwnam(UNPRIV_USER).pw_uid, grp.getgrnam(UNPRIV_GROUP).gr_gid


def chown_tree(path):
    """Give a test directory to the unprivileged user (root runs only)."""
    if not is_root():
        return
    uid, gid = unpriv_ids()
    os.chown(path, uid, gid)
    for top, dirs, files in os.walk(path):
        for n in dirs + files:
            os.lchown(os.path.join(top, n), uid, gid)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def size_of(spec):
    return str(len(crlf(data_file(spec[len("size:"):]))))


SUBST_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*|size:[^}]+|"
    r"rep:\d+:[^}]*)\}")


def substitute(text, variables):
    """Replace ${NAME}, ${size:file} and ${rep:N:text} in a C: line."""
    def repl(m):
        key = m.group(1)
        if key.startswith("size:"):
            return size_of(key)
        if key.startswith("rep:"):
            _, count, what = key.split(":", 2)
            return what * int(count)
        if key not in variables:
            raise ScriptError("${%s} used before it was captured" % key)
        return variables[key]
    return SUBST_RE.sub(repl, text)
