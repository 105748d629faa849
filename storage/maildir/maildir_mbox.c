/*
 * maildir_mbox: a selected Maildir folder. Flag changes rename the
 * message's file, expunges unlink it, both under the uidlist lock so a
 * concurrent scan (ours or Dovecot's) never misses a file mid-rename.
 * A file renamed by someone else meanwhile is looked up again by its base
 * name; if it is gone, the message was expunged.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir.h"
#include "storage/maildir/maildir_flags.h"

/* Messages bigger than this are not read into memory. */
#define MSG_READ_MAX	((size_t)1 << 30)
#define RENAME_TRIES	3

static void	 mbox_op_close(struct mbox *);
static int	 mbox_op_sync(struct mbox *);
static int	 mbox_op_keyword_add(struct mbox *, const char *);
static int	 mbox_op_set_flags(struct mbox *, size_t, uint32_t, uint32_t);
static int	 mbox_op_msg_open(struct mbox *, size_t, struct msg_body *);
static int	 mbox_op_expunge(struct mbox *, const size_t *, size_t);
static int	 mbox_op_notify_fd(struct mbox *);
static void	 mbox_op_notify_clear(struct mbox *);
static int	 refind(struct md_mbox *, size_t);
static void	 file_path(char *, size_t, const struct md_file *);
static int	 read_all(int, char **, size_t *);

static const struct mbox_ops md_mbox_ops = {
	mbox_op_close, mbox_op_sync, mbox_op_keyword_add, mbox_op_set_flags,
	mbox_op_msg_open, mbox_op_expunge, md_copy, mbox_op_notify_fd,
	mbox_op_notify_clear
};

struct md_mbox *
md_mbox_new(struct md_folder *f, bool readonly)
{
	struct md_mbox	*mm;

	if ((mm = calloc(1, sizeof(*mm))) == NULL)
		return NULL;
	mm->base.ops = &md_mbox_ops;
	mm->base.store = &f->ms->base;
	mm->base.readonly = readonly;
	mm->f = f;
	mm->notify_fd = -1;
	memset(mm->letter_kw, 0xff, sizeof(mm->letter_kw));
	memset(mm->kw_letter, -1, sizeof(mm->kw_letter));
	return mm;
}

void
md_mbox_free(struct md_mbox *mm)
{
	size_t	i;

	if (mm == NULL)
		return;
	for (i = 0; i < mm->base.count; i++)
		free(mm->files[i].name);
	free(mm->files);
	free(mm->base.msgs);
	store_kw_free(&mm->base);
	if (mm->notify_fd >= 0)
		close(mm->notify_fd);
	md_folder_close(&mm->f);
	free(mm);
}

int
md_mbox_open(struct store *s, const char *name, bool readonly,
    struct mbox **mbox_r)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	struct md_folder	*f;
	struct md_mbox		*mm;
	int			 ret;

	if ((ret = md_folder_open(ms, name, &f)) < 0)
		return ret;
	if ((mm = md_mbox_new(f, readonly)) == NULL) {
		md_folder_close(&f);
		return store_error(s, STORE_ERR_IO, "Out of memory");
	}
	if (!readonly)
		md_tmp_clean(f->dfd);
	if ((ret = md_sync(mm)) < 0) {
		md_mbox_free(mm);
		return ret;
	}
	*mbox_r = &mm->base;
	return 0;
}

static void
mbox_op_close(struct mbox *m)
{
	md_mbox_free((struct md_mbox *)m);
}

static int
mbox_op_sync(struct mbox *m)
{
	return md_sync((struct md_mbox *)m);
}

/* --- keywords ------------------------------------------------------ */

int
md_mbox_kw_update(struct md_mbox *mm)
{
	const char	*name;
	size_t		 l;
	int		 k;

	memset(mm->letter_kw, 0xff, sizeof(mm->letter_kw));
	memset(mm->kw_letter, -1, sizeof(mm->kw_letter));
	for (l = 0; l < MD_KEYWORDS_MAX; l++) {
		name = mm->f->kw.names[l];
		if (name == NULL || !store_kw_valid(name))
			continue;
		if ((k = store_kw_find(&mm->base, name)) < 0 &&
		    (k = store_kw_add(&mm->base, name)) < 0)
			continue;
		/* A name listed twice: the first letter is the one. */
		if (mm->kw_letter[k] >= 0)
			continue;
		mm->letter_kw[l] = (uint8_t)k;
		mm->kw_letter[k] = (int8_t)l;
	}
	return 0;
}

int
md_mbox_kw_letters(struct md_mbox *mm, uint32_t kw, uint32_t *letters_r)
{
	size_t	k;
	int	l;

	*letters_r = 0;
	for (k = 0; k < mm->base.nkeywords; k++) {
		if ((kw & (1u << k)) == 0)
			continue;
		if (mm->kw_letter[k] < 0) {
			/* dovecot-keywords lost the name (or never had
			 * it): give it a letter again. */
			l = md_keywords_add(&mm->f->kw, mm->f->dfd,
			    mm->base.keywords[k]);
			if (l < 0)
				return store_error(mm->base.store, l,
				    "Can't store keyword %s",
				    mm->base.keywords[k]);
			md_mbox_kw_update(mm);
			if (mm->kw_letter[k] < 0)
				return store_error(mm->base.store,
				    STORE_ERR_LIMIT, "Too many keywords");
		}
		*letters_r |= 1u << mm->kw_letter[k];
	}
	return 0;
}

static int
mbox_op_keyword_add(struct mbox *m, const char *name)
{
	struct md_mbox	*mm = (struct md_mbox *)m;
	int		 l, k;

	if ((l = md_folder_lock(mm->f)) < 0)
		return l;
	l = md_keywords_add(&mm->f->kw, mm->f->dfd, name);
	md_folder_unlock(mm->f);
	if (l < 0)
		return store_error(m->store, l, l == STORE_ERR_LIMIT ?
		    "Too many keywords in this mailbox (max %d)" :
		    "Can't write dovecot-keywords (%d)",
		    l == STORE_ERR_LIMIT ? MD_KEYWORDS_MAX : l);
	md_mbox_kw_update(mm);
	if ((k = store_kw_find(m, name)) < 0)
		return store_error(m->store, STORE_ERR_LIMIT,
		    "Too many keywords in this mailbox");
	return k;
}

/* --- messages ------------------------------------------------------- */

static void
file_path(char *buf, size_t len, const struct md_file *file)
{
	(void)snprintf(buf, len, "%s/%s", file->in_new ? "new" : "cur",
	    file->name);
}

/* The file of message idx was not where we thought: look it up by its
 * base name. Returns 1 (found, name updated), 0 (gone) or an error. */
static int
refind(struct md_mbox *mm, size_t idx)
{
	struct md_file	*file = &mm->files[idx];
	char		*name;
	bool		 in_new;
	int		 ret;

	ret = md_find_file(mm->f, file->name, file->baselen, &name, &in_new);
	if (ret <= 0)
		return ret;
	free(file->name);
	file->name = name;
	file->in_new = in_new;
	return 1;
}

static int
mbox_op_set_flags(struct mbox *m, size_t idx, uint32_t flags, uint32_t kw)
{
	struct md_mbox	*mm = (struct md_mbox *)m;
	struct md_file	*file = &mm->files[idx];
	char		 from[NAME_MAX + 8], to[NAME_MAX + 8], *nn = NULL;
	uint32_t	 letters, owned = 0;
	int		 ret, try, l;

	if ((ret = md_folder_lock(mm->f)) < 0)
		return ret;
	if ((ret = md_mbox_kw_letters(mm, kw, &letters)) < 0)
		goto out;
	for (l = 0; l < MD_KEYWORDS_MAX; l++)
		if (mm->letter_kw[l] != 0xff)
			owned |= 1u << l;
	for (try = 0; try < RENAME_TRIES; try++) {
		free(nn);
		if ((nn = md_fname_set_flags(file->name, flags, letters,
		    owned)) == NULL) {
			ret = store_error(m->store, STORE_ERR_IO,
			    "Out of memory");
			goto out;
		}
		file_path(from, sizeof(from), file);
		if (snprintf(to, sizeof(to), "cur/%s", nn) >= (int)sizeof(to) ||
		    strlen(nn) > NAME_MAX) {
			ret = store_error(m->store, STORE_ERR_LIMIT,
			    "File name too long");
			goto out;
		}
		if (strcmp(from, to) == 0 ||
		    renameat(mm->f->dfd, from, mm->f->dfd, to) == 0)
			break;
		if (errno != ENOENT) {
			ret = store_error_errno(m->store,
			    store_errno_code(errno), "rename(%s)", from);
			goto out;
		}
		/* Renamed by someone else since we looked: find it. */
		if ((ret = refind(mm, idx)) <= 0) {
			if (ret == 0)
				ret = store_error(m->store, STORE_ERR_EXPUNGED,
				    "Message %u has been expunged",
				    m->msgs[idx].uid);
			goto out;
		}
	}
	if (try == RENAME_TRIES) {
		ret = store_error(m->store, STORE_ERR_IO,
		    "Message file keeps changing");
		goto out;
	}
	free(file->name);
	file->name = nn;
	file->in_new = false;
	nn = NULL;
	m->msgs[idx].flags = flags;
	m->msgs[idx].keywords = kw;
	ret = 0;
out:
	free(nn);
	md_folder_unlock(mm->f);
	return ret;
}

/* Read a whole file; *data_r is malloc'd. */
static int
read_all(int fd, char **data_r, size_t *len_r)
{
	struct stat	 st;
	size_t		 cap, len = 0;
	ssize_t		 n;
	char		*data, *p;

	if (fstat(fd, &st) < 0)
		return -1;
	cap = (size_t)st.st_size + 1;
	if (cap > MSG_READ_MAX || (data = malloc(cap)) == NULL) {
		errno = EFBIG;
		return -1;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MSG_READ_MAX ||
			    (p = realloc(data, cap * 2)) == NULL) {
				free(data);
				errno = EFBIG;
				return -1;
			}
			data = p;
			cap *= 2;
		}
		n = read(fd, data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*data_r = data;
	*len_r = len;
	return 0;
}

static int
mbox_op_msg_open(struct mbox *m, size_t idx, struct msg_body *body)
{
	struct md_mbox	*mm = (struct md_mbox *)m;
	char		 path[NAME_MAX + 8], *data, *out;
	size_t		 len;
	uint64_t	 size;
	int		 fd, try, ret;

	for (try = 0; try < RENAME_TRIES; try++) {
		file_path(path, sizeof(path), &mm->files[idx]);
		if ((fd = openat(mm->f->dfd, path, O_RDONLY | O_CLOEXEC)) >= 0)
			break;
		if (errno != ENOENT)
			return store_error_errno(m->store, STORE_ERR_IO,
			    "open(%s)", path);
		if ((ret = refind(mm, idx)) <= 0)
			return ret < 0 ? ret : store_error(m->store,
			    STORE_ERR_EXPUNGED, "Message %u has been expunged",
			    m->msgs[idx].uid);
	}
	if (fd < 0)
		return store_error(m->store, STORE_ERR_IO,
		    "Message file keeps changing");
	ret = read_all(fd, &data, &len);
	close(fd);
	if (ret < 0)
		return store_error_errno(m->store, STORE_ERR_IO, "read(%s)",
		    path);
	/* Stored with LF endings: serve CRLF (bare LF -> CRLF). */
	if ((size = store_crlf_size(data, len)) != len) {
		if ((out = malloc(size)) == NULL) {
			free(data);
			return store_error(m->store, STORE_ERR_IO,
			    "Out of memory");
		}
		len = store_crlf_convert(data, len, out);
		free(data);
		data = out;
	}
	body->data = data;
	body->len = len;
	body->priv = data;
	return 0;
}

static int
mbox_op_expunge(struct mbox *m, const size_t *idx, size_t n)
{
	struct md_mbox	*mm = (struct md_mbox *)m;
	char		 path[NAME_MAX + 8];
	size_t		 i, k;
	int		 ret, try;

	if ((ret = md_folder_lock(mm->f)) < 0)
		return ret;
	for (i = 0; i < n; i++) {
		struct md_file *file = &mm->files[idx[i]];

		if (file->name == NULL)
			continue;
		/* ENOENT: renamed meanwhile (find it) or already gone. */
		for (try = 0; try < RENAME_TRIES; try++) {
			file_path(path, sizeof(path), file);
			if (unlinkat(mm->f->dfd, path, 0) == 0)
				break;
			if (errno != ENOENT) {
				ret = store_error_errno(m->store,
				    store_errno_code(errno), "unlink(%s)",
				    path);
				break;
			}
			if (refind(mm, idx[i]) <= 0)
				break;
		}
		if (ret < 0)
			break;
		free(file->name);
		file->name = NULL;
	}
	(void)md_fsync_dir(mm->f->dfd, "cur");
	md_folder_unlock(mm->f);
	for (i = k = 0; i < m->count; i++) {
		if (mm->files[i].name == NULL)
			continue;
		m->msgs[k] = m->msgs[i];
		mm->files[k++] = mm->files[i];
	}
	m->count = k;
	return ret;
}

/* --- notification --------------------------------------------------- */

static int
mbox_op_notify_fd(struct mbox *m)
{
	struct md_mbox	*mm = (struct md_mbox *)m;
	char		 path[PATH_MAX];
	const char	*sub[] = { "cur", "new" };
	int		 i, n;

	if (mm->notify_fd >= 0)
		return mm->notify_fd;
	if ((mm->notify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		n = snprintf(path, sizeof(path), "%s/%s%s%s", mm->f->ms->root,
		    mm->f->dirname, mm->f->dirname[0] ? "/" : "", sub[i]);
		/* Renames, deliveries and expunges; not reads. */
		if (n < 0 || (size_t)n >= sizeof(path) ||
		    inotify_add_watch(mm->notify_fd, path, IN_CREATE |
		    IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO) < 0) {
			close(mm->notify_fd);
			mm->notify_fd = -1;
			return -1;
		}
	}
	return mm->notify_fd;
}

static void
mbox_op_notify_clear(struct mbox *m)
{
	struct md_mbox	*mm = (struct md_mbox *)m;
	char		 buf[4096];

	if (mm->notify_fd < 0)
		return;
	while (read(mm->notify_fd, buf, sizeof(buf)) > 0)
		;
}
