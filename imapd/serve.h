/*
 * serve: one connection from start to end, in its own process: implicit
 * TLS, pre-auth, login, privilege drop, the user session.
 */
#ifndef IMAPD_SERVE_H
#define IMAPD_SERVE_H

#include <stdbool.h>
#include <openssl/ssl.h>

#include "lib/conn.h"
#include "imapd/settings.h"

/* Serve a client that must log in. tls: for STARTTLS (may be NULL);
 * implicit_tls: handshake first. Takes ownership of conn. Returns the
 * process exit status. */
int	 serve_login(struct conn *, const struct settings *, SSL_CTX *tls,
	    bool implicit_tls);
/* PREAUTH mode: serve the running (non-root) user on stdin/stdout. */
int	 serve_preauth(const struct settings *);

#endif
