/*
 * privdrop: become the authenticated user for good.
 */
#ifndef IMAPD_PRIVDROP_H
#define IMAPD_PRIVDROP_H

#include "auth/auth.h"

/*
 * When running as root: refuse uid 0 / gid 0 accounts, initgroups, setgid,
 * setuid, then verify that setuid(0) fails. When not root: nothing to drop
 * (test/demo mode). Then chdir to the home directory (or "/" if it does not
 * exist). Returns 0, or -1 with *err_r set to a static reason; on -1 the
 * caller must end the session.
 */
int	 privdrop_to(const struct account *, const char **err_r);

#endif
