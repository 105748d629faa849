/*
 * serve: the user process and PREAUTH mode: privilege drop to the user,
 * the mail store, the session.
 */
#ifndef IMAPD_SERVE_H
#define IMAPD_SERVE_H

#include <stdbool.h>
#include <openssl/ssl.h>

#include "lib/conn.h"
#include "auth/auth.h"
#include "imapd/client.h"
#include "imapd/settings.h"

/* The user process after a login: drop to acct (as root), open its
 * store, answer tag OK and serve until logout. Returns the exit status. */
int	 serve_user(struct client *, const struct account *,
	    const char *tag);
/* PREAUTH mode: serve the running (non-root) user on stdin/stdout. */
int	 serve_preauth(const struct settings *);

#endif
