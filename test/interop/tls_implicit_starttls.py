#!/usr/bin/env python3
"""TLS: STARTTLS (python ssl and openssl s_client), LOGINDISABLED before
TLS when plaintext login is not allowed, implicit TLS (--tls), TLS 1.1
refused, and the STARTTLS command-injection defence (RFC 9051 6.2.1:
the client must not pipeline after STARTTLS, the server must discard
what arrived before the handshake).

imapd: the "no plaintext login even on loopback" setting is taken from
$IMAPD_NOPLAIN_SET (default "allow_plaintext_auth=never"), passed as
--set.  Dovecot: disable_plaintext_auth=yes and a client bound to
127.0.0.2, which Dovecot does not count as the same host.
"""

import os
import re
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imaptest  # noqa: E402
from imaptest import check, log, quote  # noqa: E402


def caps_of(resp):
    """Capability atoms (upper case) of a CAPABILITY response/greeting."""
    for u in resp.untagged + [resp.tagged]:
        m = re.search(rb"CAPABILITY ([^\]\r\n]*)", u, re.I)
        if m:
            return set(m.group(1).decode().upper().split())
    raise imaptest.Fail("no CAPABILITY in %r" % resp.untagged)


def read_plain_line(sock, timeout=10):
    """One CRLF line read byte by byte, so no TLS bytes are swallowed."""
    sock.settimeout(timeout)
    line = b""
    while not line.endswith(b"\n"):
        ch = sock.recv(1)
        if not ch:
            raise imaptest.Fail("EOF after %r" % line)
        line += ch
    return line


def starttls_raw(srv, source=None):
    """A RawClient on the plain port, upgraded with STARTTLS."""
    c = imaptest.RawClient("127.0.0.1", srv.port, source=source)
    r = c.ok("STARTTLS")
    check(not c.buf, "plaintext data after the STARTTLS OK: %r" % c.buf)
    c.sock = imaptest.client_ssl_context().wrap_socket(c.sock)
    return c, r


def s_client(args, stdin_text, timeout=20):
    """Run openssl s_client; returns (rc, output)."""
    try:
        r = subprocess.run(["openssl", "s_client", "-quiet", "-crlf",
                            "-ign_eof"] + args,
                           input=stdin_text.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return -1, (e.output or b"").decode(errors="replace")
    return r.returncode, r.stdout.decode(errors="replace")


def test_starttls(srv):
    c = srv.raw()
    caps = caps_of(c.ok("CAPABILITY"))
    check("STARTTLS" in caps, "CAPABILITY before TLS lacks STARTTLS: %r" %
          caps)
    # Loopback: plaintext LOGIN is allowed by default.
    check("LOGINDISABLED" not in caps,
          "LOGINDISABLED on loopback with default settings: %r" % caps)
    c.ok("LOGIN alice %s" % quote(srv.users["alice"]))
    c.ok("LOGOUT")
    c.close()

    c, r = starttls_raw(srv)
    caps = caps_of(c.ok("CAPABILITY"))
    check("STARTTLS" not in caps and "LOGINDISABLED" not in caps,
          "CAPABILITY after STARTTLS: %r" % caps)
    check(c.sock.version() in ("TLSv1.2", "TLSv1.3"),
          "negotiated %s" % c.sock.version())
    c.ok("LOGIN alice %s" % quote(srv.users["alice"]))
    c.ok("SELECT INBOX")
    r = c.command("STARTTLS")
    check(r.status in ("BAD", "NO"), "second STARTTLS accepted: %r" %
          r.tagged)
    c.ok("LOGOUT")
    c.close()

    rc, out = s_client(["-starttls", "imap", "-connect",
                        "127.0.0.1:%d" % srv.port],
                       "a LOGIN alice %s\nb CAPABILITY\nc LOGOUT\n" %
                       quote(srv.users["alice"]))
    check(re.search(r"^a OK", out, re.M), "s_client -starttls imap: LOGIN "
          "failed (rc %d):\n%s" % (rc, out))
    check(re.search(r"^c OK", out, re.M), "s_client: no LOGOUT OK:\n" + out)


def test_injection(srv):
    """Pipelined plaintext after STARTTLS must be discarded."""
    s = socket.create_connection(("127.0.0.1", srv.port), 10)
    try:
        greet = read_plain_line(s)
        check(greet.startswith(b"* OK"), "greeting %r" % greet)
        s.sendall(b"a STARTTLS\r\nb CAPABILITY\r\n")
        line = read_plain_line(s)
        while line.startswith(b"* "):
            line = read_plain_line(s)
        check(line.startswith(b"a OK"),
              "STARTTLS answer before TLS must be a tagged OK: %r" % line)
        # Nothing else may come in plaintext (the server must not run
        # "b" before the handshake).
        s.settimeout(0.5)
        try:
            extra = s.recv(4096, socket.MSG_PEEK)
        except socket.timeout:
            extra = b""
        check(not extra, "server sent plaintext after the STARTTLS OK: %r" %
              extra)
        # RFC 9051 6.2.1: the server either treats the extra bytes as
        # the start of the handshake (which then fails) or throws them
        # away (the handshake works and "b" is never answered).
        s.settimeout(10)
        try:
            t = imaptest.client_ssl_context().wrap_socket(s)
        except (ssl.SSLError, OSError) as e:
            log("STARTTLS injection: handshake failed (%s): extra data "
                "was taken as handshake bytes (RFC 9051 6.2.1 option 1)"
                % type(e).__name__)
            return
        log("STARTTLS injection: handshake succeeded, extra data must "
            "have been discarded (RFC 9051 6.2.1 option 2)")
        s = t
        t.settimeout(1.0)
        got = b""
        deadline = time.time() + 1.0
        while time.time() < deadline:
            try:
                chunk = t.recv(4096)
            except (socket.timeout, ssl.SSLWantReadError):
                break
            if not chunk:
                break
            got += chunk
        check(not re.search(rb"(^|\n)b ", got),
              "injected command 'b' was answered after TLS: %r" % got)
        check(b"CAPABILITY" not in got,
              "injected CAPABILITY was executed after TLS: %r" % got)
        # The session still works: a real command after the handshake.
        t.settimeout(10)
        t.sendall(b"c NOOP\r\n")
        data = b""
        while not re.search(rb"(^|\n)c (OK|NO|BAD)", data):
            chunk = t.recv(4096)
            if not chunk:
                break
            data += chunk
        check(re.search(rb"(^|\n)c OK", data),
              "NOOP after STARTTLS injection test: %r" % data)
        check(not re.search(rb"(^|\n)b ", data),
              "injected 'b' answered late: %r" % data)
    finally:
        s.close()


def test_logindisabled(d):
    kind = imaptest.server_kind()
    if kind == "dovecot":
        srv = imaptest.Server(os.path.join(d, "noplain"), tls="starttls",
                              dovecot_conf="disable_plaintext_auth = yes\n")
        source = "127.0.0.2"
    else:
        setting = os.environ.get("IMAPD_NOPLAIN_SET",
                                 "allow_plaintext_auth=never")
        srv = imaptest.Server(os.path.join(d, "noplain"), tls="starttls",
                              extra=[setting])
        source = None
    imaptest.remember_server(srv)
    srv.start()
    try:
        c = imaptest.RawClient("127.0.0.1", srv.port, source=source)
        caps = caps_of(c.ok("CAPABILITY"))
        check("LOGINDISABLED" in caps and "STARTTLS" in caps,
              "plaintext login off: CAPABILITY needs LOGINDISABLED and "
              "STARTTLS: %r" % caps)
        r = c.command("LOGIN alice %s" % quote(srv.users["alice"]))
        check(r.status in ("NO", "BAD"),
              "LOGIN before TLS accepted with LOGINDISABLED: %r" % r.tagged)
        c.close()

        c, _ = starttls_raw(srv, source=source)
        caps = caps_of(c.ok("CAPABILITY"))
        check("LOGINDISABLED" not in caps and "STARTTLS" not in caps,
              "CAPABILITY after STARTTLS: %r" % caps)
        c.ok("LOGIN alice %s" % quote(srv.users["alice"]))
        c.ok("LOGOUT")
        c.close()
    finally:
        srv.stop()


def tls_handshake(proto, port):
    """Try one handshake with openssl s_client proto (e.g. -tls1_1),
    ciphers down to security level 0.  Returns (succeeded, output)."""
    try:
        r = subprocess.run(["openssl", "s_client", proto, "-cipher",
                            "DEFAULT@SECLEVEL=0", "-connect",
                            "127.0.0.1:%d" % port],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=15)
        out = r.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        out = (e.output or b"").decode(errors="replace")
    ok = re.search(r"^New, [\w.]+, Cipher is (?!\(NONE\))", out, re.M)
    return bool(ok), out


def local_tls11_works(d, cert, key):
    """Can this OpenSSL do a TLS 1.1 handshake with itself at all?"""
    port = imaptest.free_port()
    srv = subprocess.Popen(["openssl", "s_server", "-quiet", "-tls1_1",
                            "-cipher", "DEFAULT@SECLEVEL=0", "-cert", cert,
                            "-key", key, "-accept", "127.0.0.1:%d" % port],
                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        return tls_handshake("-tls1_1", port)[0]
    finally:
        srv.kill()
        srv.wait()


def test_implicit(d):
    srv = imaptest.remember_server(
        imaptest.Server(os.path.join(d, "implicit"), tls="implicit"))
    srv.start()
    try:
        c = srv.raw()
        check(c.greeting.startswith(b"* OK"), "greeting %r" % c.greeting)
        check(c.sock.version() in ("TLSv1.2", "TLSv1.3"),
              "implicit TLS negotiated %s" % c.sock.version())
        caps = caps_of(c.ok("CAPABILITY"))
        check("STARTTLS" not in caps and "LOGINDISABLED" not in caps,
              "CAPABILITY under implicit TLS: %r" % caps)
        # RFC 9051 6.2.1: STARTTLS on an implicit TLS port is BAD.
        r = c.command("STARTTLS")
        check(r.status == "BAD", "STARTTLS under implicit TLS: %r" %
              r.tagged)
        c.ok("LOGIN alice %s" % quote(srv.users["alice"]))
        c.ok("SELECT INBOX")
        c.ok("LOGOUT")
        c.close()

        rc, out = s_client(["-connect", "127.0.0.1:%d" % srv.port],
                           "a LOGIN alice %s\nb LOGOUT\n" %
                           quote(srv.users["alice"]))
        check(re.search(r"^\* OK", out, re.M) and
              re.search(r"^a OK", out, re.M),
              "s_client implicit TLS: rc %d:\n%s" % (rc, out))

        # A plaintext client gets no plaintext IMAP greeting.
        s = socket.create_connection(("127.0.0.1", srv.port), 5)
        s.settimeout(1.5)
        try:
            s.sendall(b"a CAPABILITY\r\n")
            got = s.recv(4096)
        except socket.timeout:
            got = b""
        except OSError:
            got = b""
        finally:
            s.close()
        check(not got.startswith(b"* ") and b"CAPABILITY" not in got,
              "plaintext IMAP on the implicit TLS port: %r" % got)

        cert, key = srv.cert, srv.key
        if not local_tls11_works(d, cert, key):
            log("note: local OpenSSL cannot do TLS 1.1 at all; "
                "TLS 1.1 refusal not checked")
            return
        ok, out = tls_handshake("-tls1_2", srv.port)
        check(ok, "TLS 1.2 handshake failed:\n" + out)
        for proto in ("-tls1_1", "-tls1"):
            ok, out = tls_handshake(proto, srv.port)
            check(not ok, "%s handshake accepted:\n%s" % (proto, out))
        log("TLS 1.2 accepted, TLS 1.1 and 1.0 refused")
    finally:
        srv.stop()


def main(d):
    srv = imaptest.remember_server(
        imaptest.Server(os.path.join(d, "starttls"), tls="starttls"))
    srv.start()
    try:
        test_starttls(srv)
        test_injection(srv)
    finally:
        srv.stop()
    test_logindisabled(d)
    test_implicit(d)


if __name__ == "__main__":
    imaptest.run(main)
