/*
 * maildir_store: the Maildir backend's store operations: opening the
 * root, listing, creating, deleting and renaming folders, STATUS.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir.h"
#include "storage/maildir/maildir_flags.h"
#include "storage/maildir/maildir_names.h"

static void	 ms_close(struct store *);
static int	 ms_list(struct store *, struct store_mailbox **, size_t *);
static int	 ms_create(struct store *, const char *);
static int	 ms_delete(struct store *, const char *);
static int	 ms_rename(struct store *, const char *, const char *);
static int	 ms_status(struct store *, const char *, struct store_status *);
static int	 mkdir_p(const char *);
static int	 list_cmp(const void *, const void *);
static int	 list_dirs(struct maildir_store *, const char *, char ***,
		    size_t *);
static bool	 is_folder(int, const char *);

static const struct store_ops maildir_store_ops = {
	ms_close, ms_list, ms_create, ms_delete, ms_rename, md_subscribe,
	md_subscriptions, ms_status, md_append, md_mbox_open
};

/* mkdir -p (mode 0700 for what we create). */
static int
mkdir_p(const char *path)
{
	char	buf[PATH_MAX], *p;

	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

struct store *
store_maildir_open(const char *path, char **err_r)
{
	struct maildir_store	*ms;
	char			 host[256], msg[PATH_MAX + 64];
	static const char *const subs[] = { "cur", "new", "tmp" };
	int			 i;

	if (err_r != NULL)
		*err_r = NULL;
	if ((ms = calloc(1, sizeof(*ms))) == NULL) {
		(void)snprintf(msg, sizeof(msg), "Out of memory");
		goto fail;
	}
	ms->rootfd = -1;
	if (path == NULL || path[0] == '\0' || mkdir_p(path) < 0 ||
	    (ms->rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		(void)snprintf(msg, sizeof(msg), "Can't open Maildir %s: %s",
		    path ? path : "", strerror(errno));
		goto fail;
	}
	for (i = 0; i < 3; i++)
		if (mkdirat(ms->rootfd, subs[i], 0700) < 0 && errno != EEXIST) {
			(void)snprintf(msg, sizeof(msg), "mkdir(%s/%s): %s",
			    path, subs[i], strerror(errno));
			goto fail;
		}
	/* Absolute, as inotify watches are added by path later. */
	if ((ms->root = realpath(path, NULL)) == NULL) {
		(void)snprintf(msg, sizeof(msg), "realpath(%s): %s", path,
		    strerror(errno));
		goto fail;
	}
	if (gethostname(host, sizeof(host)) < 0)
		(void)strlcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	md_host_escape(host, ms->host, sizeof(ms->host));
	ms->lock_timeout_ms = MD_LOCK_TIMEOUT_MS;
	ms->base.ops = &maildir_store_ops;
	return &ms->base;
fail:
	if (ms != NULL) {
		if (ms->rootfd >= 0)
			close(ms->rootfd);
		free(ms);
	}
	if (err_r != NULL)
		*err_r = strdup(msg);
	return NULL;
}

static void
ms_close(struct store *s)
{
	struct maildir_store	*ms = (struct maildir_store *)s;

	close(ms->rootfd);
	free(ms->root);
	free(ms);
}

/* Is root/<dir> a folder (has a cur/ directory)? */
static bool
is_folder(int rootfd, const char *dir)
{
	char		path[NAME_MAX + 8];
	struct stat	st;

	if (snprintf(path, sizeof(path), "%s/cur", dir) >= (int)sizeof(path))
		return false;
	return fstatat(rootfd, path, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/* Entries of the root that are prefix itself or start with prefix + ".";
 * prefix NULL: every "." entry. *v_r is malloc'd. */
static int
list_dirs(struct maildir_store *ms, const char *prefix, char ***v_r,
    size_t *n_r)
{
	struct dirent	 *de;
	DIR		 *d;
	char		**v = NULL, **nv;
	size_t		  n = 0, plen = prefix ? strlen(prefix) : 0;
	int		  fd;

	*v_r = NULL;
	*n_r = 0;
	fd = openat(ms->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return store_error_errno(&ms->base, STORE_ERR_IO,
		    "opendir(%s)", ms->root);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (prefix != NULL && (strncmp(de->d_name, prefix, plen) != 0 ||
		    (de->d_name[plen] != '\0' && de->d_name[plen] != '.')))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN &&
		    de->d_type != DT_LNK)
			continue;
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL ||
		    (nv[n] = strdup(de->d_name)) == NULL) {
			v = nv ? nv : v;
			store_names_free(&v, n);
			closedir(d);
			return store_error(&ms->base, STORE_ERR_IO,
			    "Out of memory");
		}
		v = nv;
		n++;
	}
	closedir(d);
	*v_r = v;
	*n_r = n;
	return 0;
}

static int
list_cmp(const void *a, const void *b)
{
	const struct store_mailbox *x = a, *y = b;

	if (strcmp(x->name, "INBOX") == 0)
		return -1;
	if (strcmp(y->name, "INBOX") == 0)
		return 1;
	return strcmp(x->name, y->name);
}

static int
ms_list(struct store *s, struct store_mailbox **v_r, size_t *n_r)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	struct store_mailbox	*v;
	char			**dirs, *name;
	size_t			  ndirs, i, n = 0;
	int			  ret;

	if ((ret = list_dirs(ms, NULL, &dirs, &ndirs)) < 0)
		return ret;
	if ((v = calloc(ndirs + 1, sizeof(*v))) == NULL ||
	    (v[0].name = strdup("INBOX")) == NULL) {
		free(v);
		store_names_free(&dirs, ndirs);
		return store_error(s, STORE_ERR_IO, "Out of memory");
	}
	n = 1;
	for (i = 0; i < ndirs; i++) {
		/* Names that don't decode are not ours to show. */
		if (!is_folder(ms->rootfd, dirs[i]) ||
		    (name = md_dir_to_name(dirs[i])) == NULL)
			continue;
		v[n++].name = name;
	}
	store_names_free(&dirs, ndirs);
	qsort(v, n, sizeof(*v), list_cmp);
	*v_r = v;
	*n_r = n;
	return 0;
}

static int
ms_create(struct store *s, const char *name)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	char			*dir;
	int			 ret;

	if ((dir = md_name_to_dir(name)) == NULL)
		return store_error(s, STORE_ERR_BADNAME,
		    "Mailbox name can't be stored (too long?)");
	ret = md_folder_create(ms, dir);
	free(dir);
	if (ret == STORE_ERR_EXISTS)
		return store_error(s, ret, "Mailbox already exists");
	if (ret < 0)
		return store_error_errno(s, ret, "Can't create mailbox");
	return 0;
}

static int
ms_delete(struct store *s, const char *name)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	struct timespec		 ts;
	char			*dir, **kids, tmp[128];
	size_t			 nkids;
	int			 ret;

	if ((dir = md_name_to_dir(name)) == NULL)
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	if (!is_folder(ms->rootfd, dir)) {
		ret = list_dirs(ms, dir, &kids, &nkids);
		free(dir);
		if (ret < 0)
			return ret;
		store_names_free(&kids, nkids);
		/* RFC 9051 6.3.5: a \Noselect name with children stays. */
		if (nkids > 0)
			return store_error(s, STORE_ERR_HASCHILDREN,
			    "Mailbox has children and no messages");
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	}
	/* Move it out of sight first, so a crash while removing files
	 * can't leave a half-deleted mailbox. */
	clock_gettime(CLOCK_REALTIME, &ts);
	(void)snprintf(tmp, sizeof(tmp), "tmp/%lld.M%ldP%ldQ%u.deleted",
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, (long)getpid(),
	    ++ms->counter);
	if (renameat(ms->rootfd, dir, ms->rootfd, tmp) < 0) {
		ret = store_error_errno(s, errno == ENOENT ?
		    STORE_ERR_NONEXISTENT : store_errno_code(errno),
		    "rename(%s)", dir);
		free(dir);
		return ret;
	}
	free(dir);
	(void)fsync(ms->rootfd);
	if (md_rmtree(ms->rootfd, tmp) < 0)
		return store_error_errno(s, STORE_ERR_IO,
		    "Can't remove %s", tmp);
	return 0;
}

static int
ms_rename(struct store *s, const char *from, const char *to)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	char			*fdir = NULL, *tdir = NULL, **dirs = NULL;
	char			 dst[NAME_MAX + 2];
	size_t			 ndirs = 0, i, flen;
	struct stat		 st;
	int			 ret;

	if ((fdir = md_name_to_dir(from)) == NULL ||
	    (tdir = md_name_to_dir(to)) == NULL) {
		ret = store_error(s, STORE_ERR_BADNAME,
		    "Mailbox name can't be stored (too long?)");
		goto out;
	}
	if (fdir[0] == '\0') {
		/* RFC 9051 6.3.6: INBOX's messages move, INBOX stays. */
		if ((ret = ms_create(s, to)) == 0)
			ret = md_move_inbox(ms, to);
		goto out;
	}
	if (!is_folder(ms->rootfd, fdir)) {
		ret = store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
		goto out;
	}
	if ((ret = list_dirs(ms, fdir, &dirs, &ndirs)) < 0)
		goto out;
	flen = strlen(fdir);
	/* Check every target first: renaming is not atomic as a whole. */
	for (i = 0; i < ndirs; i++) {
		if (snprintf(dst, sizeof(dst), "%s%s", tdir, dirs[i] + flen) >
		    NAME_MAX) {
			ret = store_error(s, STORE_ERR_BADNAME,
			    "New name too long for %s", dirs[i]);
			goto out;
		}
		if (fstatat(ms->rootfd, dst, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			ret = store_error(s, STORE_ERR_EXISTS,
			    "Mailbox already exists");
			goto out;
		}
	}
	for (i = 0; i < ndirs; i++) {
		(void)snprintf(dst, sizeof(dst), "%s%s", tdir, dirs[i] + flen);
		if (md_rename_noreplace(ms->rootfd, dirs[i], ms->rootfd,
		    dst) < 0) {
			ret = store_error_errno(s, errno == EEXIST ||
			    errno == ENOTEMPTY ? STORE_ERR_EXISTS :
			    store_errno_code(errno), "rename(%s)", dirs[i]);
			goto out;
		}
	}
	(void)fsync(ms->rootfd);
	ret = 0;
out:
	store_names_free(&dirs, ndirs);
	free(fdir);
	free(tdir);
	return ret;
}

static int
ms_status(struct store *s, const char *name, struct store_status *st)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	struct md_folder	*f;
	struct md_mbox		*mm;
	const struct msg	*msg;
	size_t			 i;
	int			 ret;

	if ((ret = md_folder_open(ms, name, &f)) < 0)
		return ret;
	if ((mm = md_mbox_new(f, true)) == NULL) {
		md_folder_close(&f);
		return store_error(s, STORE_ERR_IO, "Out of memory");
	}
	/* Read-only: \Recent is not claimed, it counts files in new/. */
	mm->status_only = true;
	if ((ret = md_sync(mm)) == 0) {
		st->messages = (uint32_t)mm->base.count;
		st->uidnext = mm->base.uidnext;
		st->uidvalidity = mm->base.uidvalidity;
		for (i = 0; i < mm->base.count; i++) {
			msg = &mm->base.msgs[i];
			st->recent += msg->recent;
			st->unseen += (msg->flags & MSG_SEEN) == 0;
			st->deleted += (msg->flags & MSG_DELETED) != 0;
			st->size += msg->size;
		}
	}
	md_mbox_free(mm);
	return ret;
}
