/*
 * capability: the CAPABILITY list for each state. Only what is fully
 * implemented is advertised.
 */
#ifndef IMAPD_CAPABILITY_H
#define IMAPD_CAPABILITY_H

#include <stdbool.h>

#include "lib/buf.h"

struct capability_ctx {
	bool	 authenticated;
	bool	 tls_active;
	bool	 starttls_possible;	/* a certificate is configured */
	bool	 plaintext_ok;		/* LOGIN / AUTH=PLAIN allowed now */
};

/* Append the space-separated capability names (no "CAPABILITY"). */
void	 capability_write(struct buf *, const struct capability_ctx *);

#endif
