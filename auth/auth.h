/*
 * auth: verifying a user's password, and the account it maps to.
 * Backends: "pam" (Linux-PAM, service "imap") and "pwfile:FILE" (passwd(5)
 * layout with crypt(3) hashes, as Dovecot's passwd-file).
 */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* What pre-auth hands to the user process: the only shared struct. */
struct account {
	char	 name[256];
	uid_t	 uid;
	gid_t	 gid;
	char	 home[PATH_MAX];
	/* Maildir to serve; empty: "<home>/Maildir" */
	char	 maildir[PATH_MAX];
};

enum auth_result {
	AUTH_OK = 0,
	AUTH_FAIL = 1,		/* wrong user or password, account refused */
	AUTH_TEMPFAIL = 2	/* backend trouble: try again later */
};

struct auth;

/*
 * spec: "pam" (PAM service "imap"), "pam:SERVICE" or
 * "pwfile:/path/to/file". Returns NULL and a malloc'd
 * *err_r if the spec is bad or the file unreadable.
 * pwfile lines: user:hash:uid:gid:gecos:home:shell (extra fields ignored;
 * empty uid/gid allowed). When the process is not root, every account is
 * served as the running user (uid/gid of the process; home from the file,
 * or $HOME if empty); as root the file's uid/gid are used and must not
 * be 0.
 */
struct auth	*auth_new(const char *spec, char **err_r);
void		 auth_free(struct auth **);
/* In a child forked after auth_new (the user process): drop the auth
 * state without ending anything the parent still owns (the PAM session),
 * wiping what can be wiped (password hashes). */
void		 auth_forget(struct auth **);
/*
 * Check user/password (rhost: the client address, for PAM_RHOST and
 * logging). On AUTH_OK fills *acct_r (via getpwnam for PAM). Passwords are
 * never logged. For PAM this runs pam_authenticate and pam_acct_mgmt.
 */
enum auth_result auth_verify(struct auth *, const char *user,
	    const char *pass, const char *rhost, struct account *acct_r);
/* PAM: pam_setcred + pam_open_session for the verified user (no-op for
 * pwfile). 0 or -1. Call before dropping privileges. */
int		 auth_session_open(struct auth *);
void		 auth_session_close(struct auth *);
/* Account of the user running this process (PREAUTH mode). 0 or -1. */
int		 auth_self(struct account *acct_r);

#endif
