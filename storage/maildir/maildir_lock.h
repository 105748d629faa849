/*
 * maildir_lock: dotlocks as Dovecot uses them. The lock for file F is
 * "F.lock", created with O_EXCL next to it. A lock whose holder is gone
 * is broken: one naming a dead process on this host ("pid:host", the
 * content Dovecot writes), or one untouched for stale_secs. A "pid:host"
 * lock is written in tmp/ first and link()ed into place, so it never
 * exists without its pid (a process killed in between leaves only a file
 * in tmp/, where stale files are normal).
 *
 * A lock can also carry F's new contents: write them to md_lock_fd() and
 * md_lock_replace() renames the lock over F (which also releases it).
 */
#ifndef STORAGE_MAILDIR_MAILDIR_LOCK_H
#define STORAGE_MAILDIR_MAILDIR_LOCK_H

#include <sys/types.h>

#include <stdbool.h>

#define MD_LOCK_NAME_MAX	64

struct md_lock {
	int		 dfd;		/* borrowed */
	int		 fd;		/* the lock file, open while held */
	bool		 held;
	dev_t		 dev;
	ino_t		 ino;
	char		 target[MD_LOCK_NAME_MAX];
	char		 name[MD_LOCK_NAME_MAX + 5];
};

struct md_lock_opts {
	int		 timeout_ms;	/* give up after this long */
	int		 stale_secs;	/* lock untouched this long: stale */
	bool		 write_pid;	/* lock content "pid:host" */
};

/* Take the lock for target (a name relative to dfd; with write_pid, dfd
 * must have a tmp/ subdirectory). Returns 0,
 * STORE_ERR_INUSE on timeout, or STORE_ERR_IO/NOPERM/OVERQUOTA with errno
 * set. */
int	 md_lock_take(int dfd, const char *target, const struct md_lock_opts *,
	    struct md_lock *);
/* The lock file's descriptor (for replace-style writes; write_pid
 * locks must not be written to). */
int	 md_lock_fd(const struct md_lock *);
/* fsync the lock file, rename it over the target and fsync the directory.
 * The lock is released whatever the result; returns 0 or a store_error
 * with errno set. */
int	 md_lock_replace(struct md_lock *);
/* Remove the lock (if it is still ours). */
void	 md_lock_release(struct md_lock *);

#endif
