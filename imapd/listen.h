/*
 * listen: listening sockets from "ADDR:PORT[/tls]" specs or from systemd
 * socket activation (LISTEN_FDS).
 */
#ifndef IMAPD_LISTEN_H
#define IMAPD_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "imapd/settings.h"

#define LISTEN_MAX	32

struct listener {
	int	 fd;
	bool	 tls;		/* implicit TLS on this socket */
	char	 name[64];
};

/* Open the configured listeners (or inherit systemd's). Returns the
 * count, or -1 with a message on stderr. */
int	 listen_open(const struct settings *, struct listener *, size_t max);

#endif
