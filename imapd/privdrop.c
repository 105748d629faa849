/*
 * privdrop: the user process becomes the authenticated user, for good:
 * supplementary groups, real/effective/saved gid and uid, then a check
 * that root cannot be regained, then the home directory. And the
 * sandbox of the pre-auth process: an unprivileged system user in an
 * empty chroot.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "imapd/privdrop.h"
#include "lib/log.h"

static int	 drop_root(const struct account *, const char **);
static int	 verify_dropped(const struct account *, const char **);
static void	 enter_home(const struct account *);

int
privdrop_to(const struct account *acct, const char **err_r)
{
	*err_r = NULL;
	if (geteuid() == 0) {
		if (drop_root(acct, err_r) == -1 ||
		    verify_dropped(acct, err_r) == -1)
			return -1;
	} else if (acct->uid != getuid() && acct->uid != geteuid()) {
		/*
		 * Test/demo mode cannot switch users; serving someone else's
		 * account as ourselves would be wrong in every way.
		 */
		*err_r = "not root: cannot switch to the account's uid";
		log_err("privdrop: running as uid %lu, account %s has uid "
		    "%lu", (unsigned long)geteuid(), acct->name,
		    (unsigned long)acct->uid);
		return -1;
	}
	enter_home(acct);
	return 0;
}

static int
drop_root(const struct account *acct, const char **err_r)
{
	if (acct->uid == 0 || acct->gid == 0) {
		*err_r = acct->uid == 0 ? "refusing to serve uid 0" :
		    "refusing to serve gid 0";
		log_err("privdrop: account %s has uid %lu gid %lu: refused",
		    acct->name, (unsigned long)acct->uid,
		    (unsigned long)acct->gid);
		return -1;
	}
	/* Groups first: once the uid is gone, so is the right to change
	 * them. */
	if (initgroups(acct->name, acct->gid) == -1) {
		*err_r = "initgroups failed";
		log_err("privdrop: initgroups(%s, %lu): %s", acct->name,
		    (unsigned long)acct->gid, strerror(errno));
		return -1;
	}
	if (setresgid(acct->gid, acct->gid, acct->gid) == -1) {
		*err_r = "setresgid failed";
		log_err("privdrop: setresgid(%lu): %s",
		    (unsigned long)acct->gid, strerror(errno));
		return -1;
	}
	/* Real, effective and saved uid: nothing left to switch back to. */
	if (setresuid(acct->uid, acct->uid, acct->uid) == -1) {
		*err_r = "setresuid failed";
		log_err("privdrop: setresuid(%lu): %s",
		    (unsigned long)acct->uid, strerror(errno));
		return -1;
	}
	return 0;
}

static int
verify_dropped(const struct account *acct, const char **err_r)
{
	uid_t ruid = (uid_t)-1, euid = (uid_t)-1, suid = (uid_t)-1;
	gid_t rgid = (gid_t)-1, egid = (gid_t)-1, sgid = (gid_t)-1;

	/* If this succeeds, the drop did not happen: never serve then. */
	if (setuid(0) != -1 || setgid(0) != -1) {
		*err_r = "root privileges could be regained";
		log_err("privdrop: setuid(0) succeeded after dropping to "
		    "uid %lu", (unsigned long)acct->uid);
		return -1;
	}
	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1 ||
	    ruid != acct->uid || euid != acct->uid || suid != acct->uid ||
	    rgid != acct->gid || egid != acct->gid || sgid != acct->gid ||
	    getuid() != acct->uid || geteuid() != acct->uid) {
		*err_r = "credentials differ from the account after the drop";
		log_err("privdrop: uids %lu/%lu/%lu gids %lu/%lu/%lu, "
		    "expected %lu/%lu", (unsigned long)ruid,
		    (unsigned long)euid, (unsigned long)suid,
		    (unsigned long)rgid, (unsigned long)egid,
		    (unsigned long)sgid, (unsigned long)acct->uid,
		    (unsigned long)acct->gid);
		return -1;
	}
	return 0;
}

/* A missing home is not fatal: an absolute Maildir setting may not need
 * it. The process must not stay in the master's working directory. */
static void
enter_home(const struct account *acct)
{
	if (acct->home[0] != '\0' && chdir(acct->home) == 0)
		return;
	log_warn("privdrop: cannot enter home \"%s\" of %s: %s; using /",
	    acct->home, acct->name,
	    acct->home[0] == '\0' ? "not set" : strerror(errno));
	if (chdir("/") == -1)
		log_err("privdrop: chdir /: %s", strerror(errno));
}

int
privdrop_sandbox_prepare(const char *user, const char *dir,
    struct sandbox *sb, char *err, size_t errlen)
{
	struct passwd *pw;
	struct stat st;

	memset(sb, 0, sizeof(*sb));
	if (geteuid() != 0)
		return 0;
	sb->root = true;
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "preauth_user %s: %s", user, errno != 0 ?
		    strerror(errno) : "no such user (create it with useradd "
		    "--system, see imapd(8))");
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(err, errlen, "preauth_user %s: must not have uid or "
		    "gid 0", user);
		return -1;
	}
	sb->uid = pw->pw_uid;
	sb->gid = pw->pw_gid;
	if (dir[0] != '/' || strlcpy(sb->dir, dir, sizeof(sb->dir)) >=
	    sizeof(sb->dir)) {
		snprintf(err, errlen, "preauth_chroot %s: must be an absolute "
		    "path", dir);
		return -1;
	}
	if (stat(dir, &st) == -1 && errno == ENOENT) {
		/* parents too, as mkdir -p; all root's */
		char path[PATH_MAX], *p;

		strlcpy(path, dir, sizeof(path));
		for (p = path + 1; *p != '\0'; p++)
			if (*p == '/') {
				*p = '\0';
				(void)mkdir(path, 0755);
				*p = '/';
			}
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "preauth_chroot %s: %s", dir,
			    strerror(errno));
			return -1;
		}
	}
	if (stat(dir, &st) == -1) {
		snprintf(err, errlen, "preauth_chroot %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen, "preauth_chroot %s: must be a directory "
		    "owned by root and writable by no one else", dir);
		return -1;
	}
	return 0;
}

static int
sandbox_switch(const struct sandbox *sb, const char **err_r)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	if (chroot(sb->dir) == -1 || chdir("/") == -1) {
		*err_r = "chroot failed";
		return -1;
	}
	if (setgroups(0, NULL) == -1 ||
	    setresgid(sb->gid, sb->gid, sb->gid) == -1 ||
	    setresuid(sb->uid, sb->uid, sb->uid) == -1) {
		*err_r = "cannot switch to preauth_user";
		return -1;
	}
	if (setuid(0) != -1 || setgid(0) != -1 ||
	    getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1 ||
	    ruid != sb->uid || euid != sb->uid || suid != sb->uid ||
	    rgid != sb->gid || egid != sb->gid || sgid != sb->gid ||
	    getgroups(0, NULL) != 0) {
		*err_r = "root privileges could be regained";
		return -1;
	}
	return 0;
}

int
privdrop_sandbox_enter(const struct sandbox *sb, const char **err_r)
{
	struct rlimit zero = { 0, 0 };

	*err_r = NULL;
	/* what needs files outside the chroot, done before entering it */
	tzset();
	if (sb->root && sandbox_switch(sb, err_r) == -1)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    setrlimit(RLIMIT_CORE, &zero) == -1 ||
	    setrlimit(RLIMIT_NPROC, &zero) == -1) {
		*err_r = "cannot restrict the process";
		return -1;
	}
	return 0;
}
