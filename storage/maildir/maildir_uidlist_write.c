/*
 * maildir_uidlist_write: locking and writing dovecot-uidlist. Records
 * carry base names (the file name up to ":"), as Dovecot 2.3 writes
 * them; the flags part changes too often to be worth writing. New records
 * are appended with one write() (a crash leaves whole lines or none of
 * them); anything else is a new file written to dovecot-uidlist.tmp,
 * fsync'd and renamed over the old one.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir_uidlist.h"
#include "storage/maildir/maildir_uidlist_int.h"

#define UIDLIST_TMP_NAME	"dovecot-uidlist.tmp"

static void	 new_guid(char *);
static int	 write_new(struct uidlist *, const struct buf *, struct stat *);
static int	 append_lines(struct uidlist *, const struct buf *,
		    struct stat *);

int
uidlist_lock(struct uidlist *ul, int timeout_ms)
{
	struct md_lock_opts	o = { timeout_ms, UIDLIST_LOCK_STALE_SECS,
				    true };
	int			ret;

	if (ul->locked)
		return 0;
	if ((ret = md_lock_take(ul->dfd, UIDLIST_NAME, &o, &ul->lock)) == 0)
		ul->locked = true;
	return ret;
}

void
uidlist_unlock(struct uidlist *ul)
{
	if (!ul->locked)
		return;
	md_lock_release(&ul->lock);
	ul->locked = false;
}

static void
new_guid(char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	  raw[16];
	size_t		  i;

	arc4random_buf(raw, sizeof(raw));
	for (i = 0; i < sizeof(raw); i++) {
		out[i * 2] = hex[raw[i] >> 4];
		out[i * 2 + 1] = hex[raw[i] & 15];
	}
	out[32] = '\0';
}

/* Write b as the new dovecot-uidlist (tmp file + fsync + rename). */
static int
write_new(struct uidlist *ul, const struct buf *b, struct stat *st)
{
	int	fd, saved;

	fd = openat(ul->dfd, UIDLIST_TMP_NAME,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return store_errno_code(errno);
	if (write(fd, b->data, b->len) != (ssize_t)b->len || fsync(fd) < 0 ||
	    fstat(fd, st) < 0 ||
	    renameat(ul->dfd, UIDLIST_TMP_NAME, ul->dfd, UIDLIST_NAME) < 0) {
		saved = errno == 0 ? EIO : errno;
		close(fd);
		(void)unlinkat(ul->dfd, UIDLIST_TMP_NAME, 0);
		errno = saved;
		return store_errno_code(saved);
	}
	close(fd);
	(void)fsync(ul->dfd);
	return 0;
}

int
uidlist_rewrite(struct uidlist *ul, uidlist_keep_cb keep, void *ctx)
{
	struct buf	 b;
	struct stat	 st;
	bool		*kept;
	size_t		 i, k;
	int		 ret = 0;

	if (ul->guid[0] == '\0')
		new_guid(ul->guid);
	if ((kept = calloc(ul->n + 1, sizeof(*kept))) == NULL)
		return STORE_ERR_IO;
	buf_init(&b, UIDLIST_MAX_SIZE);
	if (buf_printf(&b, "3 V%u N%u G%s%s%s\n", ul->uidvalidity,
	    ul->nextuid, ul->guid, ul->hdr_extra ? " " : "",
	    ul->hdr_extra ? ul->hdr_extra : "") < 0)
		ret = STORE_ERR_IO;
	/* Base names, as Dovecot 2.3 writes them. */
	for (i = 0; i < ul->n && ret == 0; i++) {
		const struct uidlist_rec *r = &ul->recs[i];

		kept[i] = keep == NULL || keep(r, ctx);
		if (kept[i] && buf_printf(&b, "%u%s%s :%.*s\n", r->uid,
		    r->ext ? " " : "", r->ext ? r->ext : "", (int)r->baselen,
		    r->name) < 0)
			ret = STORE_ERR_IO;
	}
	if (ret < 0)
		errno = EFBIG;
	else
		ret = write_new(ul, &b, &st);
	if (ret == 0)
		uidlist_tail_update(ul, (const char *)b.data, b.len, true);
	buf_release(&b);
	if (ret < 0) {
		free(kept);
		/* Make the next refresh read the file from scratch. */
		ul->parsed = 0;
		ul->size = -1;
		return ret;
	}
	for (i = k = 0; i < ul->n; i++) {
		if (!kept[i])
			free(ul->recs[i].name);
		else
			ul->recs[k++] = ul->recs[i];
	}
	ul->n = k;
	free(kept);
	uidlist_set_identity(ul, &st);
	ul->parsed = st.st_size;
	ul->exists = true;
	ul->imported = false;
	ul->dirty = false;
	ul->version = 3;
	return uidlist_hash_rebuild(ul) < 0 ? STORE_ERR_IO : 0;
}

int
uidlist_create(struct uidlist *ul, uint32_t uidvalidity)
{
	uidlist_recs_clear(ul);
	free(ul->hdr_extra);
	ul->hdr_extra = NULL;
	ul->uidvalidity = uidvalidity;
	ul->nextuid = 1;
	ul->guid[0] = '\0';
	return uidlist_rewrite(ul, NULL, NULL);
}

/* Append the lines in b with one write() (so a crash leaves whole lines
 * or nothing of them) and fsync. */
static int
append_lines(struct uidlist *ul, const struct buf *b, struct stat *st)
{
	ssize_t	n;
	int	fd, saved;

	fd = openat(ul->dfd, UIDLIST_NAME,
	    O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return store_errno_code(errno);
	n = write(fd, b->data, b->len);
	if (n != (ssize_t)b->len || fsync(fd) < 0 || fstat(fd, st) < 0) {
		saved = n >= 0 && n != (ssize_t)b->len ? ENOSPC : errno;
		/* Take back a partial line. */
		if (n > 0 && n != (ssize_t)b->len &&
		    ftruncate(fd, ul->size) < 0)
			ul->dirty = true;
		close(fd);
		errno = saved;
		return store_errno_code(saved);
	}
	close(fd);
	return 0;
}

int
uidlist_append(struct uidlist *ul, const char *const *names,
    const uint64_t *vsizes, size_t n, uint32_t *uids_r)
{
	struct buf	 b;
	struct stat	 st;
	char		 ext[32];
	size_t		 i;
	uint32_t	 first = ul->nextuid;
	bool		 rewrite;
	int		 ret = 0;

	if (n == 0)
		return 0;
	if (ul->nextuid > UINT32_MAX - n) {
		errno = EOVERFLOW;
		return STORE_ERR_LIMIT;
	}
	/* Appending after a partial line would glue two records. */
	rewrite = !ul->exists || ul->dirty || ul->version != 3 ||
	    ul->parsed != ul->size;
	buf_init(&b, UIDLIST_MAX_SIZE);
	for (i = 0; i < n && !rewrite && ret == 0; i++) {
		int baselen = (int)strcspn(names[i], ":");

		if (vsizes != NULL && vsizes[i] != UINT64_MAX)
			ret = buf_printf(&b, "%u W%llu :%.*s\n",
			    first + (uint32_t)i,
			    (unsigned long long)vsizes[i], baselen, names[i]);
		else
			ret = buf_printf(&b, "%u :%.*s\n",
			    first + (uint32_t)i, baselen, names[i]);
	}
	if (ret < 0) {
		buf_release(&b);
		errno = EFBIG;
		return STORE_ERR_IO;
	}
	if (!rewrite && (ret = append_lines(ul, &b, &st)) < 0) {
		buf_release(&b);
		return ret;
	}
	if (!rewrite)
		uidlist_tail_update(ul, (const char *)b.data, b.len, false);
	buf_release(&b);
	for (i = 0; i < n; i++) {
		ext[0] = '\0';
		if (vsizes != NULL && vsizes[i] != UINT64_MAX)
			(void)snprintf(ext, sizeof(ext), "W%llu",
			    (unsigned long long)vsizes[i]);
		if (uidlist_add_rec(ul, first + (uint32_t)i, names[i],
		    strlen(names[i]), ext, strlen(ext),
		    vsizes ? vsizes[i] : UINT64_MAX) < 0)
			ret = STORE_ERR_IO;
		if (uids_r != NULL)
			uids_r[i] = first + (uint32_t)i;
	}
	/* A name already listed was skipped; UIDs still advance past
	 * everything we handed out. */
	if (ul->nextuid < first + (uint32_t)n)
		ul->nextuid = first + (uint32_t)n;
	if (rewrite)
		return uidlist_rewrite(ul, NULL, NULL);
	uidlist_set_identity(ul, &st);
	ul->parsed = st.st_size;
	return ret;
}
