/*
 * maildir_folder: one folder directory (opening, creating, locking) and
 * the helpers around it: UIDVALIDITY allocation, unique file names,
 * finding a message whose file was renamed, removing a directory tree.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

#define UIDV_NAME	"dovecot-uidvalidity"
#define UIDV_TRIES	10

static int	 ensure_subdirs(int, bool);
static bool	 read_hex32(const char *, uint32_t *);
static uint32_t	 uidv_scan(int);
static void	 uidv_write(int, uint32_t);
static int	 fill_folder(struct maildir_store *, int);

/* cur/new/tmp of a folder; create: also cur (else it must exist). */
static int
ensure_subdirs(int dfd, bool create)
{
	static const char *const subs[] = { "cur", "new", "tmp" };
	struct stat	st;
	size_t		i;

	if (!create && (fstatat(dfd, "cur", &st, 0) < 0 ||
	    !S_ISDIR(st.st_mode)))
		return STORE_ERR_NONEXISTENT;
	for (i = 0; i < 3; i++)
		if (mkdirat(dfd, subs[i], 0700) < 0 && errno != EEXIST)
			return store_errno_code(errno);
	return 0;
}

int
md_folder_open(struct maildir_store *ms, const char *name,
    struct md_folder **f_r)
{
	struct md_folder	*f;
	char			*dirname;
	int			 dfd, ret;

	*f_r = NULL;
	if ((dirname = md_name_to_dir(name)) == NULL)
		return store_error(&ms->base, STORE_ERR_BADNAME,
		    "Mailbox name can't be stored (too long?)");
	dfd = openat(ms->rootfd, dirname[0] ? dirname : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		free(dirname);
		if (errno == ENOENT || errno == ENOTDIR)
			return store_error(&ms->base, STORE_ERR_NONEXISTENT,
			    "Mailbox doesn't exist: %s", name);
		return store_error_errno(&ms->base, store_errno_code(errno),
		    "open(%s)", name);
	}
	/* An incomplete folder (cur/ but no new/ or tmp/) opens fine;
	 * INBOX is the root and is completed whatever is missing. */
	if ((ret = ensure_subdirs(dfd, dirname[0] == '\0')) < 0) {
		close(dfd);
		free(dirname);
		if (ret == STORE_ERR_NONEXISTENT)
			return store_error(&ms->base, ret,
			    "Mailbox doesn't exist: %s", name);
		return store_error_errno(&ms->base, ret, "mkdir(%s)", name);
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->ul = uidlist_new(dfd)) == NULL) {
		free(f);
		close(dfd);
		free(dirname);
		return store_error(&ms->base, STORE_ERR_IO, "Out of memory");
	}
	f->ms = ms;
	f->dirname = dirname;
	f->dfd = dfd;
	md_keywords_init(&f->kw);
	*f_r = f;
	return 0;
}

void
md_folder_close(struct md_folder **fp)
{
	struct md_folder	*f = *fp;

	if (f == NULL)
		return;
	*fp = NULL;
	uidlist_free(&f->ul);
	md_keywords_free(&f->kw);
	close(f->dfd);
	free(f->dirname);
	free(f);
}

int
md_folder_lock(struct md_folder *f)
{
	struct store	*s = &f->ms->base;
	struct stat	 st;
	int		 ret;

	if (f->locked)
		return 0;
	ret = uidlist_lock(f->ul, f->ms->lock_timeout_ms);
	if (ret == STORE_ERR_INUSE)
		return store_error(s, ret,
		    "Timed out waiting for the mailbox lock");
	if (ret < 0 && fstat(f->dfd, &st) == 0 && st.st_nlink == 0)
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox has been deleted");
	if (ret < 0)
		return store_error_errno(s, ret, "Can't lock dovecot-uidlist");
	f->locked = true;
	/* Others may have changed it before we got the lock. */
	if ((ret = uidlist_refresh(f->ul, NULL)) < 0) {
		store_error_errno(s, ret, "Can't read dovecot-uidlist");
		goto fail;
	}
	if (!f->ul->exists) {
		/* Keep Courier's UIDs if there are any; otherwise the UIDs
		 * are lost and a new UIDVALIDITY tells clients so. */
		if (f->ul->imported)
			ret = uidlist_rewrite(f->ul, NULL, NULL);
		else
			ret = uidlist_create(f->ul, md_uidvalidity_next(f->ms));
		if (ret < 0) {
			store_error_errno(s, ret,
			    "Can't write dovecot-uidlist");
			goto fail;
		}
	}
	return 0;
fail:
	md_folder_unlock(f);
	return ret;
}

void
md_folder_unlock(struct md_folder *f)
{
	if (!f->locked)
		return;
	uidlist_unlock(f->ul);
	f->locked = false;
}

/* --- UIDVALIDITY ---------------------------------------------------- */

static bool
read_hex32(const char *s, uint32_t *v_r)
{
	uint32_t	v = 0;
	size_t		i;

	for (i = 0; i < 8; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			v = v * 16 + (uint32_t)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = v * 16 + (uint32_t)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			v = v * 16 + (uint32_t)(s[i] - 'A' + 10);
		else
			return false;
	}
	*v_r = v;
	return true;
}

/* Highest value among "dovecot-uidvalidity.<8 hex>" files, or 0. */
static uint32_t
uidv_scan(int rootfd)
{
	struct dirent	*de;
	DIR		*d;
	uint32_t	 v, max = 0;
	int		 fd;

	if ((fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, UIDV_NAME ".",
		    sizeof(UIDV_NAME)) == 0 &&
		    strlen(de->d_name) == sizeof(UIDV_NAME) + 8 &&
		    read_hex32(de->d_name + sizeof(UIDV_NAME), &v) && v > max)
			max = v;
	closedir(d);
	return max;
}

static void
uidv_write(int rootfd, uint32_t v)
{
	char	buf[9];
	int	fd;

	fd = openat(rootfd, UIDV_NAME, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	(void)snprintf(buf, sizeof(buf), "%08x", v);
	/* Only a cache (the file names hold the real value): if it can't
	 * be written, remove it so nobody trusts it. */
	if (pwrite(fd, buf, 8, 0) != 8)
		(void)unlinkat(rootfd, UIDV_NAME, 0);
	close(fd);
}

/*
 * Dovecot's scheme, so both servers draw from one sequence: the current
 * value is in the name of "dovecot-uidvalidity.<hex>" and moves forward
 * by rename(), which only one process can win for a given old name;
 * "dovecot-uidvalidity" caches it. We also keep values at least the
 * current time, so a new mailbox gets a value unlike any older one.
 */
uint32_t
md_uidvalidity_next(struct maildir_store *ms)
{
	char		 buf[9], from[64], to[64];
	uint32_t	 cur = 0, next, now = (uint32_t)time(NULL);
	int		 fd, i;
	ssize_t		 n;

	if ((fd = openat(ms->rootfd, UIDV_NAME, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, 8);
		close(fd);
		buf[8] = '\0';
		if (n != 8 || !read_hex32(buf, &cur))
			cur = 0;
	}
	for (i = 0; i < UIDV_TRIES; i++) {
		if (cur == 0 && (cur = uidv_scan(ms->rootfd)) == 0) {
			(void)snprintf(to, sizeof(to), UIDV_NAME ".%08x", now);
			fd = openat(ms->rootfd, to,
			    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
			if (fd < 0 && errno == EEXIST)
				continue;
			if (fd >= 0)
				close(fd);
			uidv_write(ms->rootfd, now);
			return now;
		}
		next = cur >= now ? cur + 1 : now;
		if (next == 0)
			next = 1;
		(void)snprintf(from, sizeof(from), UIDV_NAME ".%08x", cur);
		(void)snprintf(to, sizeof(to), UIDV_NAME ".%08x", next);
		if (renameat(ms->rootfd, from, ms->rootfd, to) == 0) {
			uidv_write(ms->rootfd, next);
			return next;
		}
		/* Someone else moved it on (or the cache was stale). */
		cur = 0;
	}
	return now;
}

/* --- creating ------------------------------------------------------- */

/* Fill a new folder directory: cur/new/tmp, maildirfolder, uidlist. */
static int
fill_folder(struct maildir_store *ms, int dfd)
{
	struct uidlist	*ul;
	int		 fd, ret;

	if ((ret = ensure_subdirs(dfd, true)) < 0)
		return ret;
	fd = openat(dfd, "maildirfolder", O_WRONLY | O_CREAT | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return store_errno_code(errno);
	close(fd);
	if ((ul = uidlist_new(dfd)) == NULL)
		return STORE_ERR_IO;
	if ((ret = uidlist_refresh(ul, NULL)) == 0 && !ul->exists)
		ret = uidlist_create(ul, md_uidvalidity_next(ms));
	uidlist_free(&ul);
	if (ret == 0 && fsync(dfd) < 0)
		ret = store_errno_code(errno);
	return ret;
}

int
md_folder_create(struct maildir_store *ms, const char *dirname)
{
	struct timespec	 ts;
	struct stat	 st;
	char		 tmp[128];
	int		 dfd, ret;

	/* A directory of that name without cur/ is an unfinished folder
	 * (or someone else's debris): complete it in place. */
	if (fstatat(ms->rootfd, dirname, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISDIR(st.st_mode))
			return STORE_ERR_EXISTS;
		dfd = openat(ms->rootfd, dirname,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return store_errno_code(errno);
		if (fstatat(dfd, "cur", &st, 0) == 0)
			ret = STORE_ERR_EXISTS;
		else
			ret = fill_folder(ms, dfd);
		close(dfd);
		return ret;
	}
	/* Build it in tmp/ and rename it into place: a crash leaves either
	 * nothing or a complete folder. */
	clock_gettime(CLOCK_REALTIME, &ts);
	(void)snprintf(tmp, sizeof(tmp), "tmp/%lld.M%ldP%ldQ%u.folder",
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, (long)getpid(),
	    ++ms->counter);
	if (mkdirat(ms->rootfd, tmp, 0700) < 0)
		return store_errno_code(errno);
	if ((dfd = openat(ms->rootfd, tmp,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = store_errno_code(errno);
		(void)md_rmtree(ms->rootfd, tmp);
		return ret;
	}
	ret = fill_folder(ms, dfd);
	close(dfd);
	if (ret == 0 && renameat(ms->rootfd, tmp, ms->rootfd, dirname) < 0)
		ret = errno == EEXIST || errno == ENOTEMPTY ?
		    STORE_ERR_EXISTS : store_errno_code(errno);
	if (ret < 0) {
		(void)md_rmtree(ms->rootfd, tmp);
		return ret;
	}
	(void)fsync(ms->rootfd);
	return 0;
}

/* Remove dir (relative to dfd) and everything in it. */
int
md_rmtree(int dfd, const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	int		 fd, ret = 0;

	fd = openat(dfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(fd, de->d_name, 0) == 0 || errno == ENOENT)
			continue;
		if ((errno == EISDIR || errno == EPERM) &&
		    md_rmtree(fd, de->d_name) == 0)
			continue;
		ret = -1;
	}
	closedir(d);
	if (unlinkat(dfd, dir, AT_REMOVEDIR) < 0 && errno != ENOENT)
		ret = -1;
	return ret;
}

/* --- files -------------------------------------------------------- */

void
md_tmp_clean(int dfd)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	time_t		 limit = time(NULL) - MD_TMP_MAX_AGE;
	int		 fd;

	fd = openat(dfd, "tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_mtime >= limit)
			continue;
		if (S_ISDIR(st.st_mode))
			(void)md_rmtree(fd, de->d_name);
		else
			(void)unlinkat(fd, de->d_name, 0);
	}
	closedir(d);
}

int
md_rename_noreplace(int fromfd, const char *from, int tofd, const char *to)
{
	if (renameat2(fromfd, from, tofd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* The file system can't do it: link() also refuses to replace. */
	if (linkat(fromfd, from, tofd, to, 0) == 0) {
		(void)unlinkat(fromfd, from, 0);
		return 0;
	}
	if (errno == EEXIST || errno == ENOENT)
		return -1;
	return renameat(fromfd, from, tofd, to);
}

int
md_fsync_dir(int dfd, const char *sub)
{
	int	fd, ret = 0;

	if ((fd = openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (fsync(fd) < 0)
		ret = -1;
	close(fd);
	return ret;
}

int
md_find_file(struct md_folder *f, const char *base, size_t baselen,
    char **name_r, bool *in_new_r)
{
	static const char *const subs[] = { "cur", "new" };
	struct dirent	*de;
	DIR		*d;
	int		 fd, i;

	*name_r = NULL;
	for (i = 0; i < 2; i++) {
		fd = openat(f->dfd, subs[i],
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || (d = fdopendir(fd)) == NULL) {
			if (fd >= 0)
				close(fd);
			return store_error_errno(&f->ms->base, STORE_ERR_IO,
			    "opendir(%s)", subs[i]);
		}
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, base, baselen) != 0 ||
			    (de->d_name[baselen] != ':' &&
			    de->d_name[baselen] != '\0'))
				continue;
			*name_r = strdup(de->d_name);
			*in_new_r = i == 1;
			closedir(d);
			if (*name_r == NULL)
				return store_error(&f->ms->base, STORE_ERR_IO,
				    "Out of memory");
			return 1;
		}
		closedir(d);
	}
	return 0;
}

int
md_new_base(struct maildir_store *ms, uint64_t size, uint64_t vsize,
    char *buf, size_t len)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return md_fname_base(buf, len, &ts, getpid(), ++ms->counter,
	    ms->host, size, vsize);
}
