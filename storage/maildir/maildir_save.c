/*
 * maildir_save: new files in a folder (APPEND, COPY, MOVE, RENAME INBOX).
 *
 * A message is written to tmp/ and fsync'd, then, holding the folder's
 * uidlist lock, renamed into cur/ with its flags, the directory fsync'd,
 * and its UID appended to dovecot-uidlist. A crash at any point leaves
 * either no message (a file in tmp/) or a message that gets its UID from
 * the next sync; a UID is never handed out twice.
 *
 * Storage format: a CRLF-clean message (every LF after a CR, no other CR,
 * no NUL) is stored with LF endings like other Maildir software does;
 * anything else is stored as sent. S= is the size on disk, W= the size
 * with CRLF endings (RFC822.SIZE). Reading converts bare LF back to CRLF,
 * so a CRLF message comes back byte for byte.
 */
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

#define ALL_LETTERS	0x3ffffffu
#define CREATE_TRIES	10
#define COPY_BUF	65536

struct copy_item {
	char		 base[NAME_MAX];
	char		*final;		/* name in dest cur/ */
	bool		 placed;
};

static int	 write_all(int, const char *, size_t);
static int	 write_message(int, const struct store_append *, bool);
static int	 save_tmp(struct maildir_store *, struct md_folder *,
		    const struct store_append *, char *, size_t);
static int	 copy_file(int, const char *, int, const char *);
static int	 link_tmp(struct md_mbox *, size_t, struct md_folder *,
		    struct copy_item *);
static int	 place_copies(struct md_mbox *, const size_t *, size_t,
		    struct md_folder *, struct copy_item *, uint32_t *);
static void	 unlink_sources(struct md_mbox *, const size_t *, size_t);

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write the message; a CRLF-clean one without its CRs. */
static int
write_message(int fd, const struct store_append *a, bool clean)
{
	char	buf[COPY_BUF];
	size_t	i, k = 0;

	if (!clean)
		return write_all(fd, a->data, a->len);
	for (i = 0; i < a->len; i++) {
		if (a->data[i] == '\r')
			continue;
		buf[k++] = a->data[i];
		if (k == sizeof(buf)) {
			if (write_all(fd, buf, k) < 0)
				return -1;
			k = 0;
		}
	}
	return write_all(fd, buf, k);
}

/* Write tmp/<base> (fsync'd, mtime = INTERNALDATE); base into buf. */
static int
save_tmp(struct maildir_store *ms, struct md_folder *f,
    const struct store_append *a, char *base, size_t baselen)
{
	struct timespec	 times[2];
	char		 path[NAME_MAX + 8];
	bool		 clean = store_crlf_clean(a->data, a->len);
	uint64_t	 size, vsize;
	size_t		 i;
	int		 fd = -1, try, saved;

	vsize = clean ? a->len : store_crlf_size(a->data, a->len);
	size = a->len;
	if (clean)
		for (i = 0; i < a->len; i++)
			if (a->data[i] == '\r')
				size--;
	for (try = 0; try < CREATE_TRIES && fd < 0; try++) {
		if (md_new_base(ms, size, vsize, base, baselen) < 0)
			return store_error(&ms->base, STORE_ERR_IO,
			    "File name too long");
		(void)snprintf(path, sizeof(path), "tmp/%s", base);
		fd = openat(f->dfd, path, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return store_error_errno(&ms->base,
			    store_errno_code(errno), "open(%s)", path);
	}
	if (fd < 0)
		return store_error(&ms->base, STORE_ERR_IO,
		    "Can't create a unique file in tmp/");
	times[0].tv_sec = 0;
	times[0].tv_nsec = UTIME_NOW;
	times[1].tv_sec = a->internaldate;
	times[1].tv_nsec = a->internaldate ? 0 : UTIME_NOW;
	if (write_message(fd, a, clean) < 0 || fsync(fd) < 0 ||
	    futimens(fd, times) < 0) {
		saved = errno;
		close(fd);
		(void)unlinkat(f->dfd, path, 0);
		errno = saved;
		return store_error_errno(&ms->base, store_errno_code(saved),
		    "write(%s)", path);
	}
	if (close(fd) < 0) {
		saved = errno;
		(void)unlinkat(f->dfd, path, 0);
		errno = saved;
		return store_error_errno(&ms->base, store_errno_code(saved),
		    "close(%s)", path);
	}
	return 0;
}

int
md_append(struct store *s, const char *name, const struct store_append *a,
    uint32_t *uidvalidity_r, uint32_t *uid_r)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	struct md_folder	*f;
	char			 base[NAME_MAX], tmp[NAME_MAX + 8];
	char			 cur[NAME_MAX + 8], *final = NULL;
	const char		*names[1];
	uint32_t		 letters = 0, uid;
	size_t			 i;
	int			 ret, l;

	if ((ret = md_folder_open(ms, name, &f)) < 0)
		return ret;
	if ((ret = save_tmp(ms, f, a, base, sizeof(base))) < 0)
		goto out;
	(void)snprintf(tmp, sizeof(tmp), "tmp/%s", base);
	if ((ret = md_folder_lock(f)) < 0)
		goto out_tmp;
	for (i = 0; i < a->nkeywords; i++) {
		if ((l = md_keywords_add(&f->kw, f->dfd, a->keywords[i])) < 0) {
			ret = store_error(s, l, "Can't store keyword %s",
			    a->keywords[i]);
			goto out_tmp;
		}
		letters |= 1u << l;
	}
	if ((final = md_fname_set_flags(base, a->flags, letters,
	    ALL_LETTERS)) == NULL) {
		ret = store_error(s, STORE_ERR_IO, "Out of memory");
		goto out_tmp;
	}
	(void)snprintf(cur, sizeof(cur), "cur/%s", final);
	if (md_rename_noreplace(f->dfd, tmp, f->dfd, cur) < 0) {
		ret = store_error_errno(s, store_errno_code(errno),
		    "rename(%s)", tmp);
		goto out_tmp;
	}
	names[0] = final;
	if (md_fsync_dir(f->dfd, "cur") < 0 ||
	    (ret = uidlist_append(f->ul, names, NULL, 1, &uid)) < 0) {
		/* Never reported: take it back rather than let it get a
		 * UID the client doesn't know about. */
		ret = store_error_errno(s, ret < 0 ? ret : STORE_ERR_IO,
		    "Can't save the message's UID");
		(void)unlinkat(f->dfd, cur, 0);
		goto out;
	}
	if (uidvalidity_r != NULL)
		*uidvalidity_r = f->ul->uidvalidity;
	if (uid_r != NULL)
		*uid_r = uid;
	ret = 0;
	goto out;
out_tmp:
	(void)unlinkat(f->dfd, tmp, 0);
out:
	free(final);
	md_folder_close(&f);
	return ret;
}

/* --- COPY / MOVE ----------------------------------------------------- */

/* Copy a file's bytes and mtime (when a hard link is impossible). */
static int
copy_file(int sfd, const char *spath, int dfd, const char *dpath)
{
	struct timespec	 times[2];
	struct stat	 st;
	char		 buf[COPY_BUF];
	ssize_t		 n;
	int		 in, out, ret = -1, saved;

	if ((in = openat(sfd, spath, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	out = openat(dfd, dpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
	if (out < 0 || fstat(in, &st) < 0)
		goto done;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, buf, (size_t)n) < 0)
			goto done;
	}
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (fsync(out) == 0 && futimens(out, times) == 0)
		ret = 0;
done:
	saved = errno;
	if (out >= 0) {
		close(out);
		if (ret < 0)
			(void)unlinkat(dfd, dpath, 0);
	}
	close(in);
	errno = saved;
	return ret;
}

/* Put a link to message idx's file into dest tmp/ (it.base). Returns 0,
 * STORE_ERR_EXPUNGED if the file is gone, or another store_error. */
static int
link_tmp(struct md_mbox *mm, size_t idx, struct md_folder *d,
    struct copy_item *it)
{
	struct store	*s = mm->base.store;
	struct md_fname	 fn;
	struct stat	 st;
	char		 src[NAME_MAX + 8], dst[NAME_MAX + 8];
	char		*name;
	bool		 in_new;
	int		 try, ret;

	for (try = 0; try < CREATE_TRIES; try++) {
		(void)snprintf(src, sizeof(src), "%s/%s",
		    mm->files[idx].in_new ? "new" : "cur", mm->files[idx].name);
		md_fname_parse(mm->files[idx].name, &fn);
		if (fstatat(mm->f->dfd, src, &st, 0) == 0) {
			if (md_new_base(mm->f->ms, (uint64_t)st.st_size,
			    mm->base.msgs[idx].size, it->base,
			    sizeof(it->base)) < 0)
				return store_error(s, STORE_ERR_IO,
				    "File name too long");
			(void)snprintf(dst, sizeof(dst), "tmp/%s", it->base);
			if (linkat(mm->f->dfd, src, d->dfd, dst, 0) == 0)
				return 0;
			if (errno != ENOENT && errno != EEXIST &&
			    copy_file(mm->f->dfd, src, d->dfd, dst) == 0)
				return 0;
		}
		if (errno == EEXIST)
			continue;
		if (errno != ENOENT)
			return store_error_errno(s, store_errno_code(errno),
			    "link(%s)", src);
		/* Renamed or expunged by someone else meanwhile. */
		ret = md_find_file(mm->f, mm->files[idx].name,
		    mm->files[idx].baselen, &name, &in_new);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return store_error(s, STORE_ERR_EXPUNGED,
			    "Message %u has been expunged",
			    mm->base.msgs[idx].uid);
		free(mm->files[idx].name);
		mm->files[idx].name = name;
		mm->files[idx].in_new = in_new;
	}
	return store_error(s, STORE_ERR_IO, "Message file keeps changing");
}

/* Locked dest: rename the tmp/ links into cur/ with flags, assign UIDs. */
static int
place_copies(struct md_mbox *mm, const size_t *idx, size_t n,
    struct md_folder *d, struct copy_item *items, uint32_t *uids_r)
{
	struct mbox	*m = &mm->base;
	const char	**names;
	char		 tmp[NAME_MAX + 8], cur[NAME_MAX + 8];
	int		 kwmap[STORE_MAX_KEYWORDS];
	uint32_t	 letters;
	size_t		 i, k;
	int		 ret = 0;

	for (k = 0; k < STORE_MAX_KEYWORDS; k++)
		kwmap[k] = -2;		/* not looked up yet */
	if ((names = reallocarray(NULL, n ? n : 1, sizeof(*names))) == NULL)
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	for (i = 0; i < n && ret == 0; i++) {
		const struct msg *msg = &m->msgs[idx[i]];

		letters = 0;
		for (k = 0; k < m->nkeywords; k++) {
			if ((msg->keywords & (1u << k)) == 0)
				continue;
			/* Keywords that don't fit in dest are dropped. */
			if (kwmap[k] == -2)
				kwmap[k] = md_keywords_add(&d->kw, d->dfd,
				    m->keywords[k]);
			if (kwmap[k] >= 0)
				letters |= 1u << kwmap[k];
		}
		items[i].final = md_fname_set_flags(items[i].base, msg->flags,
		    letters, ALL_LETTERS);
		if (items[i].final == NULL) {
			ret = store_error(m->store, STORE_ERR_IO,
			    "Out of memory");
			break;
		}
		(void)snprintf(tmp, sizeof(tmp), "tmp/%s", items[i].base);
		(void)snprintf(cur, sizeof(cur), "cur/%s", items[i].final);
		if (md_rename_noreplace(d->dfd, tmp, d->dfd, cur) < 0)
			ret = store_error_errno(m->store,
			    store_errno_code(errno), "rename(%s)", tmp);
		else
			items[i].placed = true;
		names[i] = items[i].final;
	}
	if (ret == 0 && md_fsync_dir(d->dfd, "cur") < 0)
		ret = store_error_errno(m->store, STORE_ERR_IO, "fsync(cur)");
	if (ret == 0 && (ret = uidlist_append(d->ul, names, NULL, n,
	    uids_r)) < 0)
		store_error_errno(m->store, ret, "Can't save UIDs");
	free(names);
	return ret;
}

/* MOVE: remove the originals (under the source's lock). */
static void
unlink_sources(struct md_mbox *mm, const size_t *idx, size_t n)
{
	if (n > 0)
		(void)mm->base.ops->expunge(&mm->base, idx, n);
}

int
md_copy(struct mbox *m, const size_t *idx, size_t n, const char *dest,
    bool move, uint32_t *uidvalidity_r, uint32_t *dest_uids_r)
{
	struct md_mbox		*mm = (struct md_mbox *)m;
	struct md_folder	*d;
	struct copy_item	*items;
	char			 path[NAME_MAX + 8];
	size_t			 i;
	int			 ret = 0;

	if ((ret = md_folder_open(mm->f->ms, dest, &d)) < 0)
		return ret;
	if ((items = calloc(n ? n : 1, sizeof(*items))) == NULL) {
		md_folder_close(&d);
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	}
	/* All or nothing: link everything first; if a message is gone,
	 * nothing is copied. */
	for (i = 0; i < n && ret == 0; i++)
		ret = link_tmp(mm, idx[i], d, &items[i]);
	if (ret < 0)
		n = i - 1;
	if (ret == 0 && (ret = md_folder_lock(d)) == 0) {
		(void)md_keywords_refresh(&d->kw, d->dfd, NULL);
		ret = place_copies(mm, idx, n, d, items, dest_uids_r);
		if (uidvalidity_r != NULL)
			*uidvalidity_r = d->ul->uidvalidity;
		md_folder_unlock(d);
	}
	for (i = 0; i < n; i++) {
		if (ret < 0 && items[i].placed) {
			(void)snprintf(path, sizeof(path), "cur/%s",
			    items[i].final);
			(void)unlinkat(d->dfd, path, 0);
		} else if (!items[i].placed && items[i].base[0] != '\0') {
			(void)snprintf(path, sizeof(path), "tmp/%s",
			    items[i].base);
			(void)unlinkat(d->dfd, path, 0);
		}
		free(items[i].final);
	}
	free(items);
	md_folder_close(&d);
	if (ret == 0 && move)
		unlink_sources(mm, idx, n);
	return ret;
}

/* --- RENAME INBOX ----------------------------------------------------- */

int
md_move_inbox(struct maildir_store *ms, const char *dest)
{
	struct md_folder	*src, *d;
	struct md_mbox		*mm;
	const char		**names;
	char			 from[NAME_MAX + 8], to[NAME_MAX + 8];
	size_t			 i, k = 0;
	int			 ret;

	if ((ret = md_folder_open(ms, "INBOX", &src)) < 0)
		return ret;
	if ((mm = md_mbox_new(src, true)) == NULL) {
		md_folder_close(&src);
		return store_error(&ms->base, STORE_ERR_IO, "Out of memory");
	}
	if ((ret = md_sync(mm)) < 0 ||
	    (ret = md_folder_open(ms, dest, &d)) < 0) {
		md_mbox_free(mm);
		return ret;
	}
	names = reallocarray(NULL, mm->base.count + 1, sizeof(*names));
	if (names == NULL) {
		ret = store_error(&ms->base, STORE_ERR_IO, "Out of memory");
		goto out;
	}
	if ((ret = md_folder_lock(src)) < 0 || (ret = md_folder_lock(d)) < 0)
		goto out;
	/* Same letters in the new folder: copy the keyword mapping. */
	for (i = 0; i < MD_KEYWORDS_MAX; i++)
		if (src->kw.names[i] != NULL && d->kw.names[i] == NULL)
			d->kw.names[i] = strdup(src->kw.names[i]);
	(void)md_keywords_write(&d->kw, d->dfd);
	for (i = 0; i < mm->base.count; i++) {
		const struct md_file *file = &mm->files[i];

		(void)snprintf(from, sizeof(from), "%s/%s",
		    file->in_new ? "new" : "cur", file->name);
		(void)snprintf(to, sizeof(to), "%s/%s",
		    file->in_new ? "new" : "cur", file->name);
		/* Locked, so nobody renames it meanwhile; a file that is
		 * missing was expunged. */
		if (md_rename_noreplace(src->dfd, from, d->dfd, to) == 0)
			names[k++] = file->name;
	}
	(void)md_fsync_dir(d->dfd, "cur");
	(void)md_fsync_dir(d->dfd, "new");
	if ((ret = uidlist_append(d->ul, names, NULL, k, NULL)) < 0)
		store_error_errno(&ms->base, ret, "Can't save UIDs");
out:
	free(names);
	md_folder_unlock(d);
	md_folder_unlock(src);
	md_folder_close(&d);
	md_mbox_free(mm);
	return ret;
}
