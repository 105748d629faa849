"""Matching server lines against S:/U:/G: patterns.

A pattern is split into units: literal bytes, the wildcard STAR, and
captures of variables not yet known.  Known untagged responses (FETCH,
FLAGS, PERMANENTFLAGS, LIST/LSUB, STATUS, ESEARCH) are compared by
structure, so that item order, flag order and string quoting do not
matter; everything else is one regular expression.
"""

import re

from harness.util import size_of, unescape

CAPTURE_RE = rb"[^ \r\n()\[\]]+"
# Pattern tokens: \* \$ * ${NAME} ${size:file}, and the escapes of ~ lines.
TOKEN_RE = re.compile(r"\\\*|\\\$|\*|"
    r"\$\{([A-Za-z_][A-Za-z0-9_]*|size:[^}]+)\}|"
    r"\\x[0-9A-Fa-f]{2}|\\[rnt\\]")


class Special:
    """A pattern unit that is not a literal byte: a wildcard or a capture."""

    def __init__(self, name=None):
        self.name = name


STAR = Special()
SP, LP, RP, DQ, LB, RB = b" ()\"[]"
BS, LBRACE, RBRACE, TILDE, CR, LF = b"\\{}~\r\n"


class TokError(Exception):
    """Text that does not parse as IMAP tokens."""


def to_units(text, escapes, variables):
    """Split a pattern into units: ints (literal bytes), STAR, or a
    Special naming a variable still to be captured."""
    units = []
    pos = 0
    if text.startswith("* "):
        # A leading "* " is the untagged marker, not a wildcard: "* *"
        # must not swallow the tagged completion.
        units += b"* "
        pos = 2
    for m in TOKEN_RE.finditer(text, pos):
        units += text[pos:m.start()].encode("utf-8")
        pos = m.end()
        tok = m.group(0)
        if tok == "\\*":
            # IMAP's "\*" flag (PERMANENTFLAGS) reads naturally this way;
            # a lone "*" in a response is matched by a wildcard.
            units += b"\\*"
        elif tok == "\\$":
            units.append(ord("$"))
        elif tok == "*":
            units.append(STAR)
        elif m.group(1):
            key = m.group(1)
            if key.startswith("size:"):
                units += size_of(key).encode()
            elif key in variables:
                units += variables[key].encode("utf-8")
            else:
                units.append(Special(key))
        elif escapes:
            units += unescape(tok)
        else:
            units += tok.encode("utf-8")
    units += text[pos:].encode("utf-8")
    return units


def literal_bytes(units):
    """The bytes of a unit run, or None if it holds a wildcard/capture."""
    if any(isinstance(u, Special) for u in units):
        return None
    return bytes(units)


def regex_match(units, data, variables):
    """Full match of a unit run against bytes; records new captures."""
    parts, seen, run = [], set(), bytearray()
    for u in units:
        if not isinstance(u, Special):
            run.append(u)
            continue
        parts.append(re.escape(bytes(run)))
        run = bytearray()
        if u is STAR:
            parts.append(b".*")
        elif u.name in variables:
            parts.append(re.escape(variables[u.name].encode("utf-8")))
        elif u.name in seen:
            parts.append(b"(?P=" + u.name.encode() + b")")
        else:
            seen.add(u.name)
            parts.append(b"(?P<" + u.name.encode() + b">" + CAPTURE_RE
                + b")")
    parts.append(re.escape(bytes(run)))
    m = re.fullmatch(b"".join(parts), data, re.DOTALL)
    if not m:
        return False
    for key in seen:
        variables[key] = m.group(key).decode("utf-8", "replace")
    return True


def token_end(seq, i, n):
    """End (exclusive) of the IMAP token starting at seq[i]: a list, a
    quoted string, a literal or an atom (with [...] sections inside)."""
    if i >= n:
        raise TokError()
    c = seq[i]
    if c == LP:
        j = i + 1
        while j < n:
            if seq[j] == RP:
                return j + 1
            if seq[j] == SP:
                j += 1
                continue
            j = token_end(seq, j, n)
        raise TokError()
    if c == DQ:
        j = i + 1
        while j < n:
            if seq[j] == BS:
                j += 2
                continue
            if seq[j] == DQ:
                return j + 1
            j += 1
        raise TokError()
    j = i + 1 if c == TILDE else i
    if j < n and seq[j] == LBRACE:
        return literal_end(seq, j, n)
    j = i
    while j < n and seq[j] not in (SP, RP):
        if seq[j] == LB:
            j = bracket_end(seq, j, n)
        else:
            j += 1
    if j == i:
        raise TokError()
    return j


def literal_end(seq, j, n):
    k = j + 1
    digits = bytearray()
    while k < n and isinstance(seq[k], int) and 0x30 <= seq[k] <= 0x39:
        digits.append(seq[k])
        k += 1
    if k < n and seq[k] == ord("+"):
        k += 1
    if not digits or list(seq[k:k + 3]) != [RBRACE, CR, LF]:
        raise TokError()
    end = k + 3 + int(digits)
    if end > n:
        raise TokError()
    return end


def bracket_end(seq, j, n):
    depth = 0
    while j < n:
        c = seq[j]
        if c == LB:
            depth += 1
        elif c == RB:
            depth -= 1
            if depth == 0:
                return j + 1
        elif c == DQ:
            j = token_end(seq, j, n)
            continue
        j += 1
    raise TokError()


def split_tokens(seq, i, n, limit=None):
    """Space-separated token spans in seq[i:n]; with limit, stop after
    that many and return the start of the rest as the last element."""
    spans = []
    while i < n:
        if limit is not None and len(spans) == limit:
            return spans, i
        e = token_end(seq, i, n)
        spans.append((i, e))
        if e == n:
            break
        if seq[e] == SP:
            i = e + 1
        elif seq[e] == LP or seq[e - 1] == RP:
            # body-type-mpart and address lists: ")(" without a space
            i = e
        else:
            raise TokError()
    return spans, n


def upper_atom(seq, span):
    b = literal_bytes(seq[span[0]:span[1]])
    return b.upper() if b is not None else None


class Pattern:
    """An S:/U:/G: pattern.

    '*' matches any run of bytes (CRLF included), '\\*' the two bytes
    '\\*' (IMAP's flag), '\\$' a dollar; ${NAME} matches a known
    variable's value or captures a token.
    With escapes (the '~' forms) \\r \\n \\t \\\\ \\xNN are decoded too.
    Untagged FETCH, FLAGS, PERMANENTFLAGS, LIST/LSUB, STATUS and ESEARCH
    patterns are compared structurally (see README), everything else as
    one regular expression.
    """

    def __init__(self, text, escapes, variables, nocase=False):
        self.text = text
        self.units = to_units(text, escapes, variables)
        self.nocase = nocase
        if nocase:
            self.units = [u - 32 if isinstance(u, int) and 0x61 <= u <= 0x7A
                else u for u in self.units]

    def match(self, line, variables):
        if self.nocase:
            line = line.upper()
        trial = dict(variables)
        try:
            ok = self._structural(line, trial)
        except TokError:
            ok = None
        if ok is None:
            trial = dict(variables)
            ok = regex_match(self.units, line, trial)
        if ok:
            variables.update(trial)
        return ok

    # Structural matching: returns None when the pattern has no known
    # shape (or does not parse), so the caller falls back to a regex.
    def _structural(self, line, v):
        p = self.units
        if len(p) < 3 or p[0] != ord("*") or p[1] != SP:
            return None
        ptoks, _ = split_tokens(p, 2, len(p), 2)
        if len(ptoks) < 2:
            return None
        head = [upper_atom(p, t) for t in ptoks]
        if head[0] == b"FLAGS":
            return self._shape(line, v, b"FLAGS", self._flags_shape)
        if head[0] in (b"LIST", b"LSUB"):
            return self._shape(line, v, head[0], self._list_shape)
        if head[0] == b"STATUS":
            return self._shape(line, v, b"STATUS", self._status_shape)
        if head[0] == b"ESEARCH":
            return self._shape(line, v, b"ESEARCH", self._esearch_shape)
        if head[0] == b"OK" and bytes(x for x in p[5:22] if isinstance(
            x, int)) == b"[PERMANENTFLAGS (":
            return self._permflags(line, v)
        if head[1] == b"FETCH":
            return self._fetch(line, v)
        return None

    def _shape(self, line, v, word, fn):
        p = self.units
        start = 2 + len(word) + 1
        if p[start - 1] != SP:
            return None
        if not line.startswith(b"* ") or line[2:start - 1].upper() != word \
            or line[start - 1:start] != b" ":
            return False
        return fn(p, start, list(line), start, v)

    def _flags_shape(self, p, ps, l, ls, v):
        pt, _ = split_tokens(p, ps, len(p))
        if len(pt) != 1 or p[ps] != LP:
            return None
        lt, _ = split_tokens(l, ls, len(l))
        return len(lt) == 1 and l[ls] == LP and \
            match_set(p, pt[0], l, lt[0], v)

    def _list_shape(self, p, ps, l, ls, v):
        pt, prest = split_tokens(p, ps, len(p), 1)
        if not pt or p[ps] != LP:
            return None
        lt, lrest = split_tokens(l, ls, len(l), 1)
        # \Marked and \Unmarked are hints a server may add (RFC 9051
        # 7.3.1), and so are \HasChildren / \HasNoChildren (6.3.9.5)
        # unless the pattern names one of them.
        optional = [b"\\MARKED", b"\\UNMARKED"]
        words = bytes(u for u in p[pt[0][0]:pt[0][1]] if isinstance(u, int))
        if b"CHILDREN" not in words.upper():
            optional += [b"\\HASCHILDREN", b"\\HASNOCHILDREN"]
        if l[ls] != LP or not match_set(p, pt[0], l, lt[0], v, optional):
            return False
        # Delimiter and name: the name compared as an astring, so "INBOX"
        # and INBOX are the same; extended data (CHILDINFO...) as regex.
        pt, prest = split_tokens(p, prest, len(p), 2)
        lt, lrest = split_tokens(l, lrest, len(l), 2)
        if len(pt) != 2:
            return None
        return len(lt) == 2 and span_match(p, pt[0], l, lt[0], v) and \
            astring_match(p, pt[1], l, lt[1], v) and \
            regex_match(p[prest:], bytes(l[lrest:]), v)

    def _status_shape(self, p, ps, l, ls, v):
        pt, _ = split_tokens(p, ps, len(p))
        if len(pt) != 2 or p[pt[1][0]] != LP:
            return None
        lt, _ = split_tokens(l, ls, len(l))
        if len(lt) != 2 or l[lt[1][0]] != LP:
            return False
        return astring_match(p, pt[0], l, lt[0], v) and match_pairs(p,
            inner(pt[1]), l, inner(lt[1]), v)

    def _esearch_shape(self, p, ps, l, ls, v):
        pt, _ = split_tokens(p, ps, len(p))
        lt, _ = split_tokens(l, ls, len(l))
        # Optional (TAG "x") correlator and UID indicator come first.
        while pt and (p[pt[0][0]] == LP or upper_atom(p, pt[0]) == b"UID"):
            if not lt or not span_match(p, pt[0], l, lt[0], v):
                return False
            pt, lt = pt[1:], lt[1:]
        if lt and (l[lt[0][0]] == LP or upper_atom(l, lt[0]) == b"UID"):
            return False
        return match_pair_list(p, pt, l, lt, v)

    def _permflags(self, line, v):
        p = self.units
        pt, prest = split_tokens(p, 2, len(p), 2)
        pb = pt[1]
        # "[PERMANENTFLAGS (" ... ")]"
        if p[pb[1] - 1] != RB or p[pb[1] - 2] != RP:
            return None
        plist = (pb[0] + 16, pb[1] - 1)
        l = list(line)
        if not line.startswith(b"* OK [PERMANENTFLAGS ("):
            return False
        lt, lrest = split_tokens(l, 2, len(l), 2)
        if len(lt) < 2 or l[lt[1][1] - 1] != RB:
            return False
        lb = lt[1]
        llist = (lb[0] + 16, lb[1] - 1)
        return match_set(p, plist, l, llist, v) and \
            regex_match(p[prest:], bytes(l[lrest:]), v)

    def _fetch(self, line, v):
        p = self.units
        pt, _ = split_tokens(p, 2, len(p))
        if len(pt) != 3 or p[pt[2][0]] != LP:
            return None
        l = list(line)
        if not line.startswith(b"* "):
            return False
        lt, _ = split_tokens(l, 2, len(l))
        if len(lt) != 3 or upper_atom(l, lt[1]) != b"FETCH" or \
            l[lt[2][0]] != LP:
            return False
        # A server may add UID to any FETCH response (RFC 9051 7.5.2
        # requires it in unsolicited ones).
        return span_match(p, pt[0], l, lt[0], v) and match_pairs(p,
            inner(pt[2]), l, inner(lt[2]), v, (b"UID",))


def inner(span):
    return (span[0] + 1, span[1] - 1)


def astring_value(seq, span):
    """Contents of an atom, quoted string or literal token (bytes), or
    None if the span holds pattern wildcards/captures."""
    raw = literal_bytes(seq[span[0]:span[1]])
    if raw is None:
        return None
    if raw.startswith(b'"'):
        return re.sub(rb"\\(.)", rb"\1", raw[1:-1])
    m = re.match(rb"~?\{\d+\+?\}\r\n", raw)
    if m:
        return raw[m.end():]
    return raw


def astring_match(p, ps, l, ls, v):
    """Mailbox names: atom, quoted and literal forms are equivalent."""
    want = astring_value(p, ps)
    if want is None:
        return span_match(p, ps, l, ls, v)
    return want == astring_value(l, ls)


def span_match(p, ps, l, ls, v):
    return regex_match(p[ps[0]:ps[1]], bytes(l[ls[0]:ls[1]]), v)


def is_string(seq, span):
    c = seq[span[0]]
    return c == DQ or c == LBRACE or (c == TILDE and span[1] - span[0] > 1
        and seq[span[0] + 1] == LBRACE)


def value_match(p, ps, l, ls, v):
    """A FETCH value: lists element by element, strings by content (a
    quoted string equals a literal with the same octets), atoms ignoring
    case; a pattern part holding wildcards or captures is matched as a
    regex against the corresponding part of the response."""
    if literal_bytes(p[ps[0]:ps[1]]) is None:
        if p[ps[0]] != LP or not l[ls[0]:ls[1]] or l[ls[0]] != LP:
            return span_match(p, ps, l, ls, v)
        pt, _ = split_tokens(p, ps[0] + 1, ps[1] - 1)
        if any(p[a:b] == [STAR] for a, b in pt):
            return span_match(p, ps, l, ls, v)
    elif is_string(p, ps):
        return is_string(l, ls) and astring_value(p, ps) == \
            astring_value(l, ls)
    elif p[ps[0]] != LP:
        return upper_atom(p, ps) == upper_atom(l, ls)
    else:
        pt, _ = split_tokens(p, ps[0] + 1, ps[1] - 1)
    if l[ls[0]] != LP:
        return False
    lt, _ = split_tokens(l, ls[0] + 1, ls[1] - 1)
    return len(pt) == len(lt) and all(value_match(p, a, l, b, v)
        for a, b in zip(pt, lt))


def match_set(p, ps, l, ls, v, optional=()):
    """Parenthesized atom lists compared as multisets (any order, any
    case); a lone '*' element allows more elements, and the response may
    always hold the optional ones; other wildcards or captures make it a
    regex match."""
    pin, lin = inner(ps), inner(ls)
    pt, _ = split_tokens(p, pin[0], pin[1])
    extra = any(p[a:b] == [STAR] for a, b in pt)
    words = [upper_atom(p, t) for t in pt if p[t[0]:t[1]] != [STAR]]
    if any(w is None for w in words):
        return span_match(p, ps, l, ls, v)
    lt, _ = split_tokens(l, lin[0], lin[1])
    have = [upper_atom(l, t) for t in lt]
    for w in words:
        if w not in have:
            return False
        have.remove(w)
    return extra or all(w in optional for w in have)


def match_pairs(p, pin, l, lin, v, optional=()):
    pt, _ = split_tokens(p, pin[0], pin[1])
    lt, _ = split_tokens(l, lin[0], lin[1])
    return match_pair_list(p, pt, l, lt, v, optional)


def match_pair_list(p, pt, l, lt, v, optional=()):
    """Name/value pairs in any order; a lone '*' in the pattern allows
    other pairs, and the response may always hold the optional ones.
    FLAGS values are compared as sets."""
    extra = False
    pairs = []
    i = 0
    while i < len(pt):
        if p[pt[i][0]:pt[i][1]] == [STAR]:
            extra = True
            i += 1
            continue
        if i + 1 >= len(pt):
            raise TokError()
        pairs.append((pt[i], pt[i + 1]))
        i += 2
    if len(lt) % 2:
        return False
    lpairs = [(lt[k], lt[k + 1]) for k in range(0, len(lt), 2)]
    used = set()
    for name, value in pairs:
        key = upper_atom(p, name)
        if key is None:
            raise TokError()
        for k, (lname, lvalue) in enumerate(lpairs):
            if k in used or upper_atom(l, lname) != key:
                continue
            if key == b"FLAGS" and p[value[0]] == LP and l[lvalue[0]] == LP:
                ok = match_set(p, value, l, lvalue, v)
            else:
                ok = value_match(p, value, l, lvalue, v)
            if not ok:
                return False
            used.add(k)
            break
        else:
            return False
    return extra or all(upper_atom(l, lpairs[k][0]) in optional
        for k in range(len(lpairs)) if k not in used)
