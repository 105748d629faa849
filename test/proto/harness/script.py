"""Parsing .imap scripts into setup directives and steps."""

import os
import re
import shlex

from harness.match import Pattern
from harness.util import SERVER_NAMES, ScriptError, data_path


class Step:
    """One script line.  For S:/U:/G: lines, kind is the letter and mods
    the modifiers: ~ escapes, * any number, ? optional, i ignore case."""

    def __init__(self, kind, arg, lineno, mods=""):
        self.kind = kind
        self.arg = arg
        self.lineno = lineno
        self.mods = mods

    def pattern(self, variables):
        return Pattern(self.arg, "~" in self.mods, variables,
            "i" in self.mods)

    def __repr__(self):
        return "line %d: %s %s" % (self.lineno, self.kind, self.arg)


LINE_RE = re.compile(r"^(C|C~|C\+|C<|[SUG][~*?i]*): ?(.*)$")
MODIFIERS = {"S": "~*?i", "U": "~*?i", "G": "~i"}
DIRECTIVES = {"args", "maildir", "deliver", "sleep", "session", "eof",
    "only", "login", "timeout", "close", "set", "skip", "has", "lacks",
    "file", "nofile"}
SETUP_ONLY = {"args", "maildir", "only", "timeout", "skip"}


class Script:
    """A parsed .imap file: setup directives and conversation steps."""

    def __init__(self, path, server):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.args = []
        self.setup = []     # (folder, file, opts) from !maildir
        self.only = None
        self.skip = []
        self.timeout = 10.0
        self.steps = []
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for n, line in enumerate(lines, 1):
            self._parse_line(line.rstrip("\r"), n, server)

    def _parse_line(self, line, n, server):
        if not line.strip() or line.lstrip().startswith("#"):
            return
        m = re.match(r"^@(\w[\w-]*) (.*)$", line)
        if m:
            # Per-server line: "@imapd S: ..." / "@dovecot C: ...".
            want = m.group(1)
            if want not in ("imapd", "dovecot"):
                raise ScriptError("line %d: unknown server @%s" % (n, want))
            if not server.startswith(want):
                return
            line = m.group(2)
        if line.startswith("!"):
            self._directive(line[1:], n)
            return
        m = LINE_RE.match(line)
        if not m:
            raise ScriptError("line %d: cannot parse %r" % (n, line))
        kind = m.group(1)
        if kind[0] in MODIFIERS:
            mods = kind[1:]
            if any(c not in MODIFIERS[kind[0]] for c in mods) or \
                len(set(mods)) != len(mods) or "*" in mods and "?" in mods:
                raise ScriptError("line %d: bad kind %r" % (n, kind))
            self.steps.append(Step(kind[0], m.group(2), n, mods))
        else:
            self.steps.append(Step(kind, m.group(2), n))

    def _directive(self, text, n):
        words = text.split(None, 1)
        name = words[0]
        rest = words[1] if len(words) > 1 else ""
        if name not in DIRECTIVES:
            raise ScriptError("line %d: unknown directive !%s" % (n, name))
        if name in SETUP_ONLY and self.steps:
            raise ScriptError("line %d: !%s must precede the conversation"
                % (n, name))
        if name == "args":
            self.args += shlex.split(rest)
        elif name == "maildir":
            self.setup.append(parse_message_directive(rest, n))
        elif name == "only":
            self.only = rest.split()
            for s in self.only:
                if s not in SERVER_NAMES:
                    raise ScriptError("line %d: unknown server %r" % (n, s))
        elif name == "skip":
            self.skip += rest.split()
        elif name == "timeout":
            self.timeout = float(rest)
        else:
            self.steps.append(Step("!" + name, rest, n))

    def uses_nonauth(self):
        """Whether a session talks before its !login (or has none): such
        scripts cannot run where sessions start authenticated."""
        session, logged = 1, set()
        for st in self.steps:
            if st.kind == "!session":
                session = int(st.arg)
            elif st.kind == "!login":
                logged.add(session)
            elif st.kind[0] in "CG" and session not in logged:
                return True
        return False


def parse_message_directive(rest, n):
    """'<folder> <file> [flags=XY] [mtime=N]' for !maildir and !deliver."""
    words = rest.split()
    if len(words) < 2:
        raise ScriptError("line %d: need <folder> <file>" % n)
    opts = {}
    for w in words[2:]:
        k, sep, v = w.partition("=")
        if not sep or k not in ("flags", "mtime"):
            raise ScriptError("line %d: bad option %r" % (n, w))
        opts[k] = v
    data_path(words[1])
    return words[0], words[1], opts
