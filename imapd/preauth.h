/*
 * preauth: the not-authenticated state (RFC 9051 6.1, 6.2): greeting,
 * CAPABILITY NOOP LOGOUT ID STARTTLS LOGIN AUTHENTICATE. Shares nothing
 * with the user process but struct account.
 */
#ifndef IMAPD_PREAUTH_H
#define IMAPD_PREAUTH_H

#include <openssl/ssl.h>

#include "auth/auth.h"
#include "imapd/client.h"

/*
 * Greet and serve until a login succeeds (returns 1, *acct_r filled and
 * *tag_r the malloc'd tag to answer with OK once the user process is
 * ready), or the client leaves (returns 0). tls: STARTTLS is offered when
 * not NULL and the connection is not yet encrypted.
 */
int	 preauth_run(struct client *, struct auth *, SSL_CTX *tls,
	    struct account *acct_r, char **tag_r);

#endif
