/*
 * privdrop: become the authenticated user for good.
 */
#ifndef IMAPD_PRIVDROP_H
#define IMAPD_PRIVDROP_H

#include <sys/types.h>

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"

/*
 * When running as root: refuse uid 0 / gid 0 accounts, initgroups, setgid,
 * setuid, then verify that setuid(0) fails. When not root: nothing to drop
 * (test/demo mode). Then chdir to the home directory (or "/" if it does not
 * exist). Returns 0, or -1 with *err_r set to a static reason; on -1 the
 * caller must end the session.
 */
int	 privdrop_to(const struct account *, const char **err_r);

/* Where and as whom the pre-auth process runs (DESIGN.md 1). */
struct sandbox {
	bool	 root;		/* started as root: chroot and switch uid */
	uid_t	 uid;
	gid_t	 gid;
	char	 dir[PATH_MAX];
};

/*
 * Prepare a sandbox from the settings preauth_user and preauth_chroot,
 * while still root and able to read /etc: look the user up (it must
 * exist and not be uid/gid 0), create the directory if missing (mode
 * 0755, owned by root) and check it is a root-owned directory writable by
 * no one else. When not root, there is nothing to prepare (sb->root is
 * false). Returns 0, or -1 with a message in err.
 */
int	 privdrop_sandbox_prepare(const char *user, const char *dir,
	    struct sandbox *sb, char *err, size_t errlen);
/*
 * Enter the sandbox for good (in the pre-auth process): as root, chroot
 * to the directory, drop all supplementary groups, set real/effective/
 * saved gid and uid, and verify that root cannot be regained. Always:
 * no new privileges, no core dumps, no child processes.
 * Returns 0, or -1 with *err_r set (static); the caller must exit then.
 */
int	 privdrop_sandbox_enter(const struct sandbox *, const char **err_r);

#endif
