/*
 * maildir_lock: Dovecot-compatible dotlocks (O_EXCL lock files).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir_lock.h"

#define WAIT_MIN_US	500
#define WAIT_MAX_US	50000

static int64_t	 now_ms(void);
static pid_t	 read_pid(int, const char *);
static bool	 break_stale(int, const char *, const struct md_lock_opts *);
static int	 pid_line(char *, size_t);
static int	 pid_file(int, const char *, const char *, int, char *,
		    size_t);
static int	 try_create(struct md_lock *, const char *, int, const char *,
		    int);

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "pid:host" into line. Returns its length, or -1. */
static int
pid_line(char *line, size_t len)
{
	char	host[256];
	int	n;

	if (gethostname(host, sizeof(host)) < 0)
		return -1;
	host[sizeof(host) - 1] = '\0';
	n = snprintf(line, len, "%ld:%s", (long)getpid(), host);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return n;
}

/* A tmp/ file holding the pid line, to be linked to the lock name.
 * Returns its descriptor (kept open while the lock is held, so its inode
 * can't be reused by someone else's lock), or -1. */
static int
pid_file(int dfd, const char *target, const char *line, int linelen,
    char *path, size_t len)
{
	int	fd, n, saved;

	n = snprintf(path, len, "tmp/.%s.lock.%ld", target, (long)getpid());
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, line, linelen) != linelen) {
		saved = errno ? errno : EIO;
		close(fd);
		(void)unlinkat(dfd, path, 0);
		errno = saved;
		return -1;
	}
	return fd;
}

/* One attempt to create the lock: 1 taken (lk->fd set), 0 exists, -1
 * error. With a pid file, the lock appears with its contents at once. */
static int
try_create(struct md_lock *lk, const char *pidpath, int pidfd,
    const char *line, int linelen)
{
	int	fd;

	if (pidpath != NULL) {
		if (linkat(lk->dfd, pidpath, lk->dfd, lk->name, 0) == 0) {
			lk->fd = pidfd;
			return 1;
		}
		if (errno == EEXIST)
			return 0;
		if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP &&
		    errno != EMLINK)
			return -1;
		/* No hard links here: plain O_EXCL, pid written after. */
	}
	fd = openat(lk->dfd, lk->name,
	    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	/* Without its pid, the lock is only stale by age. */
	if (pidpath != NULL && write(fd, line, linelen) != linelen)
		errno = EIO;
	if (pidpath != NULL)
		close(pidfd);
	lk->fd = fd;
	return 1;
}

/* The pid in a "pid:host" lock written on this host, or -1. */
static pid_t
read_pid(int dfd, const char *name)
{
	char	 buf[300], host[256], *colon, *end;
	ssize_t	 n;
	long	 pid;
	int	 fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	if ((colon = strchr(buf, ':')) == NULL)
		return -1;
	*colon = '\0';
	if (gethostname(host, sizeof(host)) < 0)
		return -1;
	host[sizeof(host) - 1] = '\0';
	if (strcmp(colon + 1, host) != 0)
		return -1;
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || *end != '\0' || pid <= 0 ||
	    pid > INT32_MAX)
		return -1;
	return (pid_t)pid;
}

/*
 * Remove the lock if its holder is gone: a dead process on this host, or
 * no change for stale_secs. Returns true if the caller should retry at
 * once (lock removed or already gone).
 */
static bool
break_stale(int dfd, const char *name, const struct md_lock_opts *o)
{
	struct stat	st1, st2;
	pid_t		pid;
	bool		stale = false;

	if (fstatat(dfd, name, &st1, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT;
	pid = read_pid(dfd, name);
	/* Our own pid is never stale: we don't nest locks, so it is a
	 * live lock of ours (or, after pid reuse, stale by time below). */
	if (pid > 0 && pid != getpid() && kill(pid, 0) < 0 && errno == ESRCH)
		stale = true;
	else if (time(NULL) - st1.st_mtime > o->stale_secs)
		stale = true;
	if (!stale)
		return false;
	/* Make sure it is still the same lock file before removing it. */
	if (fstatat(dfd, name, &st2, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT;
	if (st2.st_ino != st1.st_ino || st2.st_dev != st1.st_dev ||
	    st2.st_mtim.tv_sec != st1.st_mtim.tv_sec ||
	    st2.st_mtim.tv_nsec != st1.st_mtim.tv_nsec)
		return true;
	return unlinkat(dfd, name, 0) == 0 || errno == ENOENT;
}

int
md_lock_take(int dfd, const char *target, const struct md_lock_opts *o,
    struct md_lock *lk)
{
	struct stat	 st;
	char		 pidpath[MD_LOCK_NAME_MAX + 32], line[300];
	int64_t		 deadline = now_ms() + o->timeout_ms, left;
	uint32_t	 rnd = (uint32_t)getpid() * 2654435761u;
	uint32_t	 wait = WAIT_MIN_US;
	int		 n, ret, saved, pidfd = -1, linelen = 0;

	memset(lk, 0, sizeof(*lk));
	lk->dfd = dfd;
	lk->fd = -1;
	n = snprintf(lk->name, sizeof(lk->name), "%s.lock", target);
	if (strlcpy(lk->target, target, sizeof(lk->target)) >=
	    sizeof(lk->target) || n < 0 || (size_t)n >= sizeof(lk->name)) {
		errno = ENAMETOOLONG;
		return STORE_ERR_IO;
	}
	if (o->write_pid && ((linelen = pid_line(line, sizeof(line))) < 0 ||
	    (pidfd = pid_file(dfd, target, line, linelen, pidpath,
	    sizeof(pidpath))) < 0))
		return store_errno_code(errno);
	while ((ret = try_create(lk, o->write_pid ? pidpath : NULL, pidfd,
	    line, linelen)) == 0) {
		if (break_stale(dfd, lk->name, o))
			continue;
		if ((left = deadline - now_ms()) <= 0) {
			errno = EAGAIN;
			ret = STORE_ERR_INUSE;
			break;
		}
		/* Back off with jitter so waiters don't move in step. */
		rnd ^= rnd << 13;
		rnd ^= rnd >> 17;
		rnd ^= rnd << 5;
		if ((int64_t)wait / 1000 > left)
			wait = (uint32_t)left * 1000;
		usleep(wait / 2 + rnd % (wait / 2 + 1));
		if (wait < WAIT_MAX_US)
			wait *= 2;
	}
	saved = errno;
	if (o->write_pid)
		(void)unlinkat(dfd, pidpath, 0);
	if (ret < 0) {
		if (pidfd >= 0)
			close(pidfd);
		errno = saved;
		return ret == -1 ? store_errno_code(saved) : ret;
	}
	/* Identity by the open descriptor: nobody can reuse the inode. */
	if (fstat(lk->fd, &st) < 0) {
		saved = errno;
		close(lk->fd);
		(void)unlinkat(dfd, lk->name, 0);
		lk->fd = -1;
		errno = saved;
		return STORE_ERR_IO;
	}
	lk->dev = st.st_dev;
	lk->ino = st.st_ino;
	lk->held = true;
	return 0;
}

int
md_lock_fd(const struct md_lock *lk)
{
	return lk->fd;
}

int
md_lock_replace(struct md_lock *lk)
{
	int	ret = 0, saved;

	if (fsync(lk->fd) < 0 ||
	    renameat(lk->dfd, lk->name, lk->dfd, lk->target) < 0) {
		saved = errno;
		ret = store_errno_code(errno);
		(void)unlinkat(lk->dfd, lk->name, 0);
		errno = saved;
	} else if (fsync(lk->dfd) < 0)
		ret = store_errno_code(errno);
	saved = errno;
	close(lk->fd);
	lk->fd = -1;
	lk->held = false;
	errno = saved;
	return ret;
}

void
md_lock_release(struct md_lock *lk)
{
	struct stat	st;

	if (!lk->held)
		return;
	/* Only remove the lock file if nobody broke and replaced it. */
	if (fstatat(lk->dfd, lk->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_ino == lk->ino && st.st_dev == lk->dev)
		(void)unlinkat(lk->dfd, lk->name, 0);
	if (lk->fd >= 0)
		close(lk->fd);
	lk->fd = -1;
	lk->held = false;
}
