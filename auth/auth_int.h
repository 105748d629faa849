/*
 * auth_int: what auth.c (backend selection) shares with the backends
 * pam.c and pwfile.c. Not for use outside auth/.
 */
#ifndef AUTH_AUTH_INT_H
#define AUTH_AUTH_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"

/* Longest user name and password auth_verify() passes to a backend. */
#define AUTH_USER_MAX	255
#define AUTH_PASS_MAX	1024

/*
 * One password backend. init() parses arg (the text after "name:", or
 * NULL when the spec had none) and returns the backend's state, or NULL
 * with a malloc'd *err_r. verify() is only called with a user name that
 * passed auth_valid_username() and a non-empty password of at most
 * AUTH_PASS_MAX bytes; it fills *acct_r (zeroed by the caller) on AUTH_OK,
 * and otherwise sets *reason_r to a short static text saying why (for the
 * log line auth_verify writes; never anything about the password).
 * session_open/session_close may be NULL (nothing to do).
 */
struct auth_backend {
	const char	 *name;
	bool		  needs_arg;
	bool		  optional_arg;	/* "name" and "name:arg" both valid */
	void		*(*init)(const char *arg, char **err_r);
	void		 (*free)(void *);
	enum auth_result (*verify)(void *, const char *user, const char *pass,
			    const char *rhost, struct account *acct_r,
			    const char **reason_r);
	int		 (*session_open)(void *);
	void		 (*session_close)(void *);
	/* free in a forked child: wipe secrets, touch no shared state */
	void		 (*forget)(void *);
};

extern const struct auth_backend auth_backend_pam;
extern const struct auth_backend auth_backend_pwfile;

/* 1..255 bytes, no ':', '/', control characters (< 0x20, 0x7f), and
 * neither "." nor "..". */
bool	 auth_valid_username(const char *user);
/* Set *err_r (if err_r is not NULL) to a malloc'd formatted message. */
void	 auth_set_err(char **err_r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * getpwnam_r/getpwuid_r wrappers: copy the passwd entry's name, uid, gid
 * and home into *acct_r (other fields untouched). Return 0, or -1 if there
 * is no such user (errno 0), the lookup failed (errno set) or a field does
 * not fit (ENAMETOOLONG).
 */
int	 auth_getpwnam(const char *name, struct account *acct_r);
int	 auth_getpwuid(uid_t uid, struct account *acct_r);

#endif
