/*
 * auth: backend selection ("pam", "pwfile:FILE"), the checks every backend
 * shares (user name syntax, password length), result logging, and the
 * account of the running user for PREAUTH.
 */
#include <sys/types.h>

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/auth_int.h"
#include "lib/log.h"

struct auth {
	const struct auth_backend	*be;
	void				*ctx;
};

static const struct auth_backend *const backends[] = {
	&auth_backend_pam,
	&auth_backend_pwfile,
};

static int	 fill_from_passwd(const struct passwd *, struct account *);
static int	 lookup_passwd(const char *, uid_t, struct account *);
static const char *result_name(enum auth_result);

struct auth *
auth_new(const char *spec, char **err_r)
{
	const struct auth_backend *be = NULL;
	const char *arg = NULL;
	struct auth *a;
	size_t i, n;

	if (err_r != NULL)
		*err_r = NULL;
	if (spec == NULL || *spec == '\0') {
		auth_set_err(err_r, "auth: empty backend specification");
		return NULL;
	}
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		n = strlen(backends[i]->name);
		if (strncmp(spec, backends[i]->name, n) != 0)
			continue;
		if (spec[n] == '\0' || spec[n] == ':') {
			be = backends[i];
			arg = spec[n] == ':' ? spec + n + 1 : NULL;
			break;
		}
	}
	if (be == NULL) {
		auth_set_err(err_r, "auth: unknown backend \"%s\" "
		    "(expected pam or pwfile:FILE)", spec);
		return NULL;
	}
	if (be->needs_arg && (arg == NULL || *arg == '\0')) {
		auth_set_err(err_r, "auth: %s needs an argument (%s:FILE)",
		    be->name, be->name);
		return NULL;
	}
	if (!be->needs_arg && !be->optional_arg && arg != NULL) {
		auth_set_err(err_r, "auth: %s takes no argument", be->name);
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		auth_set_err(err_r, "auth: out of memory");
		return NULL;
	}
	a->be = be;
	if ((a->ctx = be->init(arg, err_r)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
auth_free(struct auth **ap)
{
	struct auth *a;

	if (ap == NULL || (a = *ap) == NULL)
		return;
	a->be->free(a->ctx);
	free(a);
	*ap = NULL;
}

void
auth_forget(struct auth **ap)
{
	struct auth *a;

	if (ap == NULL || (a = *ap) == NULL)
		return;
	a->be->forget(a->ctx);
	free(a);
	*ap = NULL;
}

enum auth_result
auth_verify(struct auth *a, const char *user, const char *pass,
    const char *rhost, struct account *acct_r)
{
	enum auth_result r;
	const char *reason = NULL;
	/* log_escape: up to 4 bytes per input byte, plus "..." */
	char euser[64 * 4 + 8], ehost[64 * 4 + 8], eacct[64 * 4 + 8];
	size_t plen;

	memset(acct_r, 0, sizeof(*acct_r));
	if (user == NULL)
		user = "";
	if (rhost == NULL || *rhost == '\0')
		rhost = "-";
	log_escape(user, strlen(user), 64, euser, sizeof(euser));
	log_escape(rhost, strlen(rhost), 64, ehost, sizeof(ehost));
	plen = pass == NULL ? 0 : strnlen(pass, AUTH_PASS_MAX + 1);

	if (!auth_valid_username(user)) {
		log_auth(LOG_NOTICE, "event=auth_failed user=%s rhost=%s "
		    "reason=\"invalid user name\"", euser, ehost);
		return AUTH_FAIL;
	}
	if (plen == 0 || plen > AUTH_PASS_MAX) {
		log_auth(LOG_NOTICE, "event=auth_failed user=%s rhost=%s "
		    "reason=\"%s password\"", euser, ehost,
		    plen == 0 ? "empty" : "overlong");
		return AUTH_FAIL;
	}
	r = a->be->verify(a->ctx, user, pass, rhost, acct_r, &reason);
	if (r != AUTH_OK) {
		memset(acct_r, 0, sizeof(*acct_r));
		log_auth(LOG_NOTICE, "event=auth_failed result=%s backend=%s "
		    "user=%s rhost=%s reason=\"%s\"", result_name(r),
		    a->be->name, euser, ehost, reason != NULL ? reason :
		    "refused");
		return r;
	}
	log_escape(acct_r->name, strlen(acct_r->name), 64, eacct,
	    sizeof(eacct));
	log_auth(LOG_INFO, "event=auth_ok backend=%s user=%s rhost=%s "
	    "account=%s uid=%lu", a->be->name, euser, ehost, eacct,
	    (unsigned long)acct_r->uid);
	return r;
}

int
auth_session_open(struct auth *a)
{
	if (a->be->session_open == NULL)
		return 0;
	return a->be->session_open(a->ctx);
}

void
auth_session_close(struct auth *a)
{
	if (a != NULL && a->be->session_close != NULL)
		a->be->session_close(a->ctx);
}

int
auth_self(struct account *acct_r)
{
	const char *home, *user;
	uid_t uid = getuid();
	int n;

	memset(acct_r, 0, sizeof(*acct_r));
	if (auth_getpwuid(uid, acct_r) == 0)
		return 0;
	/*
	 * No passwd entry for our uid (containers, CI runners): fall back to
	 * the environment, which the user controls anyway in PREAUTH mode.
	 */
	home = getenv("HOME");
	if (home == NULL || home[0] != '/' ||
	    strlcpy(acct_r->home, home, sizeof(acct_r->home)) >=
	    sizeof(acct_r->home)) {
		log_err("auth: no passwd entry for uid %lu and no usable $HOME",
		    (unsigned long)uid);
		return -1;
	}
	user = getenv("USER");
	if (user != NULL && auth_valid_username(user))
		strlcpy(acct_r->name, user, sizeof(acct_r->name));
	else {
		n = snprintf(acct_r->name, sizeof(acct_r->name), "uid%lu",
		    (unsigned long)uid);
		if (n < 0 || (size_t)n >= sizeof(acct_r->name))
			return -1;
	}
	acct_r->uid = uid;
	acct_r->gid = getgid();
	return 0;
}

bool
auth_valid_username(const char *user)
{
	const unsigned char *p;
	size_t len;

	if (user == NULL)
		return false;
	len = strnlen(user, AUTH_USER_MAX + 1);
	if (len == 0 || len > AUTH_USER_MAX)
		return false;
	/* "." and ".." would walk out of a "%u" Maildir template. */
	if (strcmp(user, ".") == 0 || strcmp(user, "..") == 0)
		return false;
	for (p = (const unsigned char *)user; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || *p == ':' || *p == '/')
			return false;
	return true;
}

void
auth_set_err(char **err_r, const char *fmt, ...)
{
	va_list ap;

	if (err_r == NULL)
		return;
	free(*err_r);
	va_start(ap, fmt);
	if (vasprintf(err_r, fmt, ap) == -1)
		*err_r = NULL;
	va_end(ap);
}

int
auth_getpwnam(const char *name, struct account *acct_r)
{
	return lookup_passwd(name, 0, acct_r);
}

int
auth_getpwuid(uid_t uid, struct account *acct_r)
{
	return lookup_passwd(NULL, uid, acct_r);
}

/* By name when name is not NULL, else by uid. */
static int
lookup_passwd(const char *name, uid_t uid, struct account *acct_r)
{
	struct passwd pw, *res = NULL;
	char *buf;
	long sz;
	int rc, ret = -1;

	if ((sz = sysconf(_SC_GETPW_R_SIZE_MAX)) < 1024)
		sz = 16384;
	for (;;) {
		if ((buf = malloc(sz)) == NULL)
			return -1;
		if (name != NULL)
			rc = getpwnam_r(name, &pw, buf, sz, &res);
		else
			rc = getpwuid_r(uid, &pw, buf, sz, &res);
		/* Some entries (long gecos) need more room: grow, bounded. */
		if (rc != ERANGE || sz >= 1024 * 1024)
			break;
		free(buf);
		sz *= 4;
	}
	if (rc != 0)
		errno = rc;
	else if (res == NULL)
		errno = 0;
	else
		ret = fill_from_passwd(res, acct_r);
	free(buf);
	return ret;
}

static int
fill_from_passwd(const struct passwd *pw, struct account *acct_r)
{
	if (strlcpy(acct_r->name, pw->pw_name, sizeof(acct_r->name)) >=
	    sizeof(acct_r->name) ||
	    strlcpy(acct_r->home, pw->pw_dir, sizeof(acct_r->home)) >=
	    sizeof(acct_r->home)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	acct_r->uid = pw->pw_uid;
	acct_r->gid = pw->pw_gid;
	return 0;
}

static const char *
result_name(enum auth_result r)
{
	switch (r) {
	case AUTH_OK:
		return "ok";
	case AUTH_FAIL:
		return "fail";
	case AUTH_TEMPFAIL:
		return "tempfail";
	}
	return "unknown";
}
