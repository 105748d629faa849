/*
 * preauth: the not-authenticated state (RFC 9051 6.1, 6.2): greeting,
 * CAPABILITY NOOP LOGOUT ID STARTTLS LOGIN AUTHENTICATE. Shares nothing
 * with the user process but struct account.
 */
#ifndef IMAPD_PREAUTH_H
#define IMAPD_PREAUTH_H

#include <time.h>

#include <openssl/ssl.h>

#include "imapd/client.h"

/*
 * Greet and serve until a login succeeds (returns 1: the monitor has the
 * account and starts the user process, which answers the login command's
 * tag), or the client leaves or times out (returns 0). ipc: the socket to
 * the monitor (imapd/privmsg.h). tls: STARTTLS is offered when not NULL
 * and the connection is not yet encrypted. deadline: the login timeout,
 * counted from the connection's start (time(NULL) + login_timeout).
 */
int	 preauth_run(struct client *, SSL_CTX *tls, int ipc, time_t deadline);

#endif
