/*
 * master: the standalone listener (imapd --fork). Binds, accepts, enforces
 * connection limits and forks one child per connection. Never reads a
 * client's bytes.
 */
#ifndef IMAPD_MASTER_H
#define IMAPD_MASTER_H

#include <stdbool.h>

#include "imapd/settings.h"

struct master_opts {
	const char	*config_path;	/* re-read on SIGHUP, may be NULL */
	char *const	*flags;		/* KEY=VALUE from the command line, */
	size_t		 nflags;	/* applied again over it on SIGHUP */
	bool		 daemonize;
	const char	*pidfile;
};

/* Run until SIGTERM/SIGINT. Returns the exit status. */
int	 master_run(struct settings *, const struct master_opts *);

#endif
