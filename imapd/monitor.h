/*
 * monitor: the first process of every connection (DESIGN.md 1). It runs
 * as root when imapd does, parses no IMAP and holds the PAM handle.
 *
 *   monitor (root)
 *    ├─ imapd-login   sandboxed (preauth_user, chroot preauth_chroot):
 *    │                TLS and the not-authenticated state; asks the
 *    │                monitor to check passwords (imapd/privmsg.h); after
 *    │                a login over TLS it relays TLS <-> plaintext
 *    └─ imapd-user    after a login: drops to the user and serves
 *
 * Without root (tests, demo) the same processes run without the chroot
 * and uid changes.
 */
#ifndef IMAPD_MONITOR_H
#define IMAPD_MONITOR_H

#include <stdbool.h>

#include <openssl/ssl.h>

#include "imapd/settings.h"

struct monitor_params {
	int		 rfd;		/* the client (may equal wfd) */
	int		 wfd;
	bool		 implicit_tls;	/* TLS handshake before the greeting */
	SSL_CTX		*tls;		/* NULL: no TLS; freed by the monitor
					 * before a user process exists */
	int		 master_fd;	/* channel to the master, or -1 */
};

/* Serve one connection to its end. Returns the process exit status. */
int	 monitor_run(const struct settings *, struct monitor_params *);

#endif
