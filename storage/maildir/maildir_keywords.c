/*
 * maildir_keywords: reading and writing dovecot-keywords.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/buf.h"
#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir_keywords.h"
#include "storage/maildir/maildir_lock.h"

/* dovecot-keywords.lock: we write the new file as the lock (as Dovecot
 * does) while also holding the uidlist lock, so a leftover one is stale
 * quickly. */
#define KW_LOCK_TIMEOUT_MS	5000
#define KW_LOCK_STALE_SECS	10

static void	 clear(struct md_keywords *);
static void	 set_identity(struct md_keywords *, const struct stat *);

void
md_keywords_init(struct md_keywords *kw)
{
	memset(kw, 0, sizeof(*kw));
}

static void
clear(struct md_keywords *kw)
{
	size_t	i;

	for (i = 0; i < MD_KEYWORDS_MAX; i++) {
		free(kw->names[i]);
		kw->names[i] = NULL;
	}
}

void
md_keywords_free(struct md_keywords *kw)
{
	clear(kw);
	kw->exists = false;
}

static void
set_identity(struct md_keywords *kw, const struct stat *st)
{
	kw->exists = true;
	kw->dev = st->st_dev;
	kw->ino = st->st_ino;
	kw->size = st->st_size;
	kw->mtime = st->st_mtim;
}

void
md_keywords_parse(struct md_keywords *kw, const char *data, size_t len)
{
	const char	*p = data, *end = data + len, *nl, *sp;
	size_t		 idx, i, namelen;

	clear(kw);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		sp = memchr(p, ' ', nl - p);
		if (sp == NULL || sp == p || sp - p > 2)
			continue;
		for (idx = 0, i = 0; p + i < sp; i++) {
			if (p[i] < '0' || p[i] > '9')
				break;
			idx = idx * 10 + (size_t)(p[i] - '0');
		}
		namelen = (size_t)(nl - sp - 1);
		if (p + i != sp || idx >= MD_KEYWORDS_MAX || namelen == 0 ||
		    kw->names[idx] != NULL || memchr(sp + 1, '\0', namelen))
			continue;
		if ((kw->names[idx] = malloc(namelen + 1)) == NULL)
			continue;
		memcpy(kw->names[idx], sp + 1, namelen);
		kw->names[idx][namelen] = '\0';
	}
}

int
md_keywords_refresh(struct md_keywords *kw, int dfd, bool *changed_r)
{
	struct stat	 st;
	char		*data;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if (changed_r != NULL)
		*changed_r = false;
	if ((fd = openat(dfd, MD_KEYWORDS_NAME, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			return STORE_ERR_IO;
		if (kw->exists) {
			/* Removed: keep the letters we know, so messages
			 * don't silently lose their keywords. */
			kw->exists = false;
		}
		return 0;
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return STORE_ERR_IO;
	}
	if (kw->exists && st.st_ino == kw->ino && st.st_dev == kw->dev &&
	    st.st_size == kw->size && st.st_mtim.tv_sec == kw->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == kw->mtime.tv_nsec) {
		close(fd);
		return 0;
	}
	if (st.st_size > MD_KEYWORDS_FILE_MAX ||
	    (data = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		errno = EFBIG;
		return STORE_ERR_IO;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	md_keywords_parse(kw, data, got);
	free(data);
	set_identity(kw, &st);
	if (changed_r != NULL)
		*changed_r = true;
	return 0;
}

int
md_keywords_find(const struct md_keywords *kw, const char *name)
{
	size_t	i;

	for (i = 0; i < MD_KEYWORDS_MAX; i++)
		if (kw->names[i] != NULL && strcasecmp(kw->names[i], name) == 0)
			return (int)i;
	return -1;
}

int
md_keywords_write(struct md_keywords *kw, int dfd)
{
	struct md_lock_opts	 o = { KW_LOCK_TIMEOUT_MS, KW_LOCK_STALE_SECS,
				    false };
	struct md_lock		 lk;
	struct stat		 st;
	struct buf		 b;
	size_t			 i;
	int			 ret;

	buf_init(&b, MD_KEYWORDS_FILE_MAX);
	for (i = 0; i < MD_KEYWORDS_MAX; i++)
		if (kw->names[i] != NULL &&
		    buf_printf(&b, "%zu %s\n", i, kw->names[i]) < 0) {
			buf_release(&b);
			errno = EFBIG;
			return STORE_ERR_IO;
		}
	if ((ret = md_lock_take(dfd, MD_KEYWORDS_NAME, &o, &lk)) < 0) {
		buf_release(&b);
		return ret;
	}
	if (write(md_lock_fd(&lk), b.data, b.len) != (ssize_t)b.len ||
	    fstat(md_lock_fd(&lk), &st) < 0) {
		ret = store_errno_code(errno ? errno : ENOSPC);
		md_lock_release(&lk);
		buf_release(&b);
		return ret;
	}
	buf_release(&b);
	if ((ret = md_lock_replace(&lk)) < 0)
		return ret;
	set_identity(kw, &st);
	return 0;
}

int
md_keywords_add(struct md_keywords *kw, int dfd, const char *name)
{
	size_t	i;
	int	ret;

	if ((ret = md_keywords_refresh(kw, dfd, NULL)) < 0)
		return ret;
	if ((ret = md_keywords_find(kw, name)) >= 0)
		return ret;
	for (i = 0; i < MD_KEYWORDS_MAX && kw->names[i] != NULL; i++)
		;
	if (i == MD_KEYWORDS_MAX)
		return STORE_ERR_LIMIT;
	if ((kw->names[i] = strdup(name)) == NULL)
		return STORE_ERR_IO;
	if ((ret = md_keywords_write(kw, dfd)) < 0) {
		free(kw->names[i]);
		kw->names[i] = NULL;
		return ret;
	}
	return (int)i;
}
