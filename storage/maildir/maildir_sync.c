/*
 * maildir_sync: bring a selected mailbox's state up to date with the
 * folder on disk.
 *
 * Fast path: if cur/'s and new/'s mtimes and the uidlist are as they were
 * at the last full scan (and that scan could trust them), nothing changed.
 * Otherwise, holding the uidlist lock (as Dovecot does, so nobody renames
 * files while we read the directories): read new/ and cur/, move new/
 * files to cur/ (claiming \Recent), look up each base name's UID, give
 * files without one the next UIDs, and build the new state. Messages
 * whose file is gone were expunged by someone else; since readdir() can
 * miss a file renamed while it runs, that is confirmed by a second scan.
 */
#include <sys/stat.h>

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
#include "storage/maildir/maildir_scan.h"

/* Rewrite the uidlist when this many of its records are stale. */
#define STALE_REWRITE_MIN	500

struct sync_ctx {
	struct md_mbox	*mm;
	struct scan	 sc;
	bool		 confirmed;
};

static bool	 fast_path(struct md_mbox *);
static bool	 same_mtime(const struct timespec *, const struct timespec *);
static bool	 mtime_trusted(const struct timespec *, const struct timespec *);
static bool	 old_missing(struct sync_ctx *);
static int	 confirm_scan(struct sync_ctx *);
static int	 fname_cmp(const void *, const void *, void *);
static void	 assign_uids(struct sync_ctx *);
static bool	 rewrite_keep(const struct uidlist_rec *, void *);
static void	 maybe_rewrite(struct sync_ctx *);
static void	 fill_msg(struct md_mbox *, const struct scan *,
		    const struct scan_ent *, struct msg *);
static uint64_t	 new_size(struct md_mbox *, const char *, bool,
		    const struct md_fname *);
static int	 build_state(struct sync_ctx *);

static bool
same_mtime(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Was mtime old enough at time now that any later change must show? */
static bool
mtime_trusted(const struct timespec *mtime, const struct timespec *now)
{
	int64_t	age_ms;

	age_ms = (int64_t)(now->tv_sec - mtime->tv_sec) * 1000 +
	    (now->tv_nsec - mtime->tv_nsec) / 1000000;
	return age_ms >= (mtime->tv_nsec == 0 ? MD_MTIME_TRUST_MS_COARSE :
	    MD_MTIME_TRUST_MS);
}

static bool
fast_path(struct md_mbox *mm)
{
	struct stat	st;

	if (!mm->scanned || mm->dirty)
		return false;
	if (fstatat(mm->f->dfd, "cur", &st, 0) < 0 ||
	    !same_mtime(&st.st_mtim, &mm->cur_mtime))
		return false;
	if (fstatat(mm->f->dfd, "new", &st, 0) < 0 ||
	    !same_mtime(&st.st_mtim, &mm->new_mtime))
		return false;
	return !uidlist_changed(mm->f->ul);
}

int
md_file_vsize(int dfd, const char *path, uint64_t *vsize_r)
{
	char		 buf[65536];
	ssize_t		 n, i;
	uint64_t	 size = 0;
	char		 prev = '\0';
	int		 fd;

	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		/* RFC822.SIZE counts a bare LF as CRLF. */
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' && prev != '\r')
				size++;
			prev = buf[i];
		}
		size += (uint64_t)n;
	}
	close(fd);
	*vsize_r = size;
	return 0;
}

/* Are messages of the current state missing from the scan? */
static bool
old_missing(struct sync_ctx *c)
{
	struct mbox	*m = &c->mm->base;
	size_t		 i;

	for (i = 0; i < m->count; i++)
		if (scan_find_uid(&c->sc, m->msgs[i].uid) == NULL)
			return true;
	return false;
}

/* Scan again; a UID is only gone if it is missing both times. */
static int
confirm_scan(struct sync_ctx *c)
{
	struct md_folder	*f = c->mm->f;
	struct scan		 sc2;
	size_t			 i;
	int			 ret;

	if (c->confirmed)
		return 0;
	c->confirmed = true;
	memset(&sc2, 0, sizeof(sc2));
	if ((ret = scan_folder(f, &sc2)) < 0) {
		scan_free(&sc2);
		return ret;
	}
	if (f->locked && !c->mm->base.readonly)
		scan_move_new(f, &sc2);
	scan_resolve(f, &sc2);
	scan_sort_uid(&sc2);
	for (i = 0; i < c->sc.n; i++) {
		const struct scan_ent *e = &c->sc.v[i];

		if (e->dead || e->uid == 0 || scan_find_uid(&sc2, e->uid))
			continue;
		if (scan_add_from(&sc2, &c->sc, e) < 0) {
			scan_free(&sc2);
			return store_error(&f->ms->base, STORE_ERR_IO,
			    "Out of memory");
		}
	}
	scan_free(&c->sc);
	c->sc = sc2;
	scan_sort_uid(&c->sc);
	return 0;
}

static int
fname_cmp(const void *a, const void *b, void *ctx)
{
	const struct scan	*sc = ctx;

	return md_fname_time_cmp(scan_name(sc, *(struct scan_ent *const *)a),
	    scan_name(sc, *(struct scan_ent *const *)b));
}

/* Locked: give files without a UID the next ones, oldest first. */
static void
assign_uids(struct sync_ctx *c)
{
	struct md_folder	 *f = c->mm->f;
	struct scan		 *sc = &c->sc;
	struct scan_ent		**v;
	const char		**names;
	struct md_fname		  fn;
	uint64_t		 *vsizes;
	uint32_t		 *uids;
	char			  path[NAME_MAX + 8];
	size_t			  i, n = 0;

	for (i = 0; i < sc->n; i++)
		if (!sc->v[i].dead && sc->v[i].uid == 0)
			n++;
	if (n == 0)
		return;
	v = reallocarray(NULL, n, sizeof(*v));
	names = reallocarray(NULL, n, sizeof(*names));
	vsizes = reallocarray(NULL, n, sizeof(*vsizes));
	uids = reallocarray(NULL, n, sizeof(*uids));
	if (v == NULL || names == NULL || vsizes == NULL || uids == NULL)
		goto out;
	for (i = n = 0; i < sc->n; i++)
		if (!sc->v[i].dead && sc->v[i].uid == 0)
			v[n++] = &sc->v[i];
	qsort_r(v, n, sizeof(*v), fname_cmp, sc);
	for (i = 0; i < n; i++) {
		names[i] = scan_name(sc, v[i]);
		md_fname_parse(names[i], &fn);
		vsizes[i] = fn.vsize;
		/* Without W= in the name, keep the size in the uidlist so
		 * the file needn't be read again. */
		(void)snprintf(path, sizeof(path), "%s/%s",
		    v[i]->in_new ? "new" : "cur", names[i]);
		if (fn.vsize == MD_SIZE_UNKNOWN &&
		    md_file_vsize(f->dfd, path, &vsizes[i]) < 0)
			vsizes[i] = UINT64_MAX;
		else if (fn.vsize != MD_SIZE_UNKNOWN)
			vsizes[i] = UINT64_MAX;
	}
	if (uidlist_append(f->ul, names, vsizes, n, uids) == 0)
		for (i = 0; i < n; i++)
			v[i]->uid = uids[i];
	scan_sort_uid(sc);
out:
	free(v);
	free(names);
	free(vsizes);
	free(uids);
}

static bool
rewrite_keep(const struct uidlist_rec *r, void *ctx)
{
	return scan_find_uid(ctx, r->uid) != NULL;
}

/* Locked: drop records of files that are gone once there are many. */
static void
maybe_rewrite(struct sync_ctx *c)
{
	struct uidlist	*ul = c->mm->f->ul;
	size_t		 i, stale = 0;

	for (i = 0; i < ul->n; i++)
		if (scan_find_uid(&c->sc, ul->recs[i].uid) == NULL)
			stale++;
	if (!ul->dirty && (stale == 0 ||
	    (stale * 2 <= ul->n && stale < STALE_REWRITE_MIN)))
		return;
	if (stale > 0 && confirm_scan(c) < 0)
		return;
	(void)uidlist_rewrite(ul, rewrite_keep, &c->sc);
}

/* Flags and keywords from the file name. */
static void
fill_msg(struct md_mbox *mm, const struct scan *sc, const struct scan_ent *e,
    struct msg *msg)
{
	struct md_fname	 fn;
	const char	*name = scan_name(sc, e);
	uint32_t	 letters, k;

	md_fname_parse(name, &fn);
	msg->uid = e->uid;
	msg->flags = 0;
	msg->keywords = 0;
	if (!fn.info2)
		return;
	md_flags_decode(name + fn.flagsoff, fn.flagslen, &msg->flags,
	    &letters);
	for (k = 0; k < MD_KEYWORDS_MAX; k++)
		if ((letters & (1u << k)) && mm->letter_kw[k] != 0xff)
			msg->keywords |= 1u << mm->letter_kw[k];
}

/* RFC822.SIZE of a message new to this state. */
static uint64_t
new_size(struct md_mbox *mm, const char *name, bool in_new,
    const struct md_fname *fn)
{
	const struct uidlist_rec *r;
	char			  path[NAME_MAX + 8];
	uint64_t		  v;

	if (fn->vsize != MD_SIZE_UNKNOWN)
		return fn->vsize;
	r = uidlist_lookup(mm->f->ul, name, fn->baselen);
	if (r != NULL && r->vsize != UINT64_MAX)
		return r->vsize;
	(void)snprintf(path, sizeof(path), "%s/%s", in_new ? "new" : "cur",
	    name);
	return md_file_vsize(mm->f->dfd, path, &v) == 0 ? v : 0;
}

static int
build_state(struct sync_ctx *c)
{
	struct md_mbox	*mm = c->mm;
	struct mbox	*m = &mm->base;
	struct scan	*sc = &c->sc;
	struct msg	*msgs, *o;
	struct md_file	*files;
	struct md_fname	 fn;
	struct stat	 st;
	char		 path[NAME_MAX + 8];
	const char	*name;
	size_t		 i, j = 0, n = 0;
	uint32_t	 prev = 0;

	msgs = calloc(sc->n ? sc->n : 1, sizeof(*msgs));
	files = calloc(sc->n ? sc->n : 1, sizeof(*files));
	if (msgs == NULL || files == NULL) {
		free(msgs);
		free(files);
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	}
	for (i = 0; i < sc->n; i++) {
		const struct scan_ent *e = &sc->v[i];

		if (e->dead || e->uid == 0 || e->uid == prev)
			continue;
		prev = e->uid;
		name = scan_name(sc, e);
		fill_msg(mm, sc, e, &msgs[n]);
		while (j < m->count && m->msgs[j].uid < e->uid)
			j++;
		o = j < m->count && m->msgs[j].uid == e->uid &&
		    mm->files[j].baselen == e->baselen &&
		    memcmp(mm->files[j].name, name, e->baselen) == 0 ?
		    &m->msgs[j] : NULL;
		if (o != NULL) {
			msgs[n].internaldate = o->internaldate;
			msgs[n].size = o->size;
			msgs[n].recent = o->recent || e->recent;
			if (strcmp(mm->files[j].name, name) == 0) {
				files[n].name = mm->files[j].name;
				mm->files[j].name = NULL;
			}
		} else {
			md_fname_parse(name, &fn);
			msgs[n].size = new_size(mm, name, e->in_new, &fn);
			msgs[n].recent = e->recent ||
			    (m->readonly && e->in_new);
			(void)snprintf(path, sizeof(path), "%s/%s",
			    e->in_new ? "new" : "cur", name);
			if (!mm->status_only &&
			    fstatat(mm->f->dfd, path, &st, 0) == 0)
				msgs[n].internaldate = st.st_mtime;
			else
				msgs[n].internaldate = (time_t)strtoll(name,
				    NULL, 10);
		}
		if (files[n].name == NULL && (files[n].name = strdup(name)) ==
		    NULL)
			break;
		files[n].baselen = e->baselen;
		files[n].in_new = e->in_new;
		n++;
	}
	for (j = 0; j < m->count; j++)
		free(mm->files[j].name);
	free(m->msgs);
	free(mm->files);
	m->msgs = msgs;
	mm->files = files;
	m->count = n;
	if (i < sc->n)
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	return 0;
}

int
md_sync(struct md_mbox *mm)
{
	struct md_folder	*f = mm->f;
	struct sync_ctx		 c;
	size_t			 i;
	int			 ret, lockret;

	if (fast_path(mm))
		return 0;
	memset(&c, 0, sizeof(c));
	c.mm = mm;
	/* Without the lock (timeout, read-only directory) we can still
	 * show the messages that have UIDs. */
	if ((lockret = md_folder_lock(f)) < 0 &&
	    (uidlist_refresh(f->ul, NULL) < 0 ||
	    (!f->ul->exists && !f->ul->imported)))
		return lockret;
	(void)md_keywords_refresh(&f->kw, f->dfd, NULL);
	if ((ret = md_mbox_kw_update(mm)) < 0 ||
	    (ret = scan_folder(f, &c.sc)) < 0)
		goto out;
	if (f->locked && !mm->base.readonly)
		scan_move_new(f, &c.sc);
	scan_resolve(f, &c.sc);
	scan_sort_uid(&c.sc);
	if (old_missing(&c) && (ret = confirm_scan(&c)) < 0)
		goto out;
	if (f->locked) {
		assign_uids(&c);
		maybe_rewrite(&c);
	}
	md_folder_unlock(f);
	if ((ret = build_state(&c)) < 0)
		goto out;
	mm->base.uidvalidity = f->ul->uidvalidity;
	mm->base.uidnext = f->ul->nextuid;
	if (mm->base.count > 0 &&
	    mm->base.msgs[mm->base.count - 1].uid >= mm->base.uidnext)
		mm->base.uidnext = mm->base.msgs[mm->base.count - 1].uid + 1;
	/* Next time, scan again unless these mtimes prove "unchanged". */
	mm->cur_mtime = c.sc.cur_mtime;
	mm->new_mtime = c.sc.new_mtime;
	mm->scanned = true;
	mm->dirty = lockret < 0 ||
	    !mtime_trusted(&c.sc.cur_mtime, &c.sc.when) ||
	    !mtime_trusted(&c.sc.new_mtime, &c.sc.when);
	for (i = 0; i < c.sc.n && !mm->dirty; i++)
		if (c.sc.v[i].dead || c.sc.v[i].uid == 0)
			mm->dirty = true;
out:
	md_folder_unlock(f);
	scan_free(&c.sc);
	return ret;
}
