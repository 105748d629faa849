/*
 * maildir_scan: reading a folder's new/ and cur/, moving new mail to
 * cur/, and matching file names with the uidlist.
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
#include "storage/maildir/maildir_scan.h"

#define SCAN_TRIES	3

static int	 arena_add(struct scan *, const char *, size_t);
static int	 ent_add(struct scan *, const char *, bool);
static int	 scan_dir(struct md_folder *, struct scan *, const char *,
		    bool, struct timespec *);
static int	 base_cmp(const void *, const void *, void *);
static int	 uid_cmp(const void *, const void *);
static void	 handle_dup(struct md_folder *, struct scan *,
		    struct scan_ent *, struct scan_ent *);
static void	 path_of(char *, size_t, const struct scan *,
		    const struct scan_ent *);
static void	 dedup(struct md_folder *, struct scan *, struct scan_ent **,
		    size_t);

void
scan_free(struct scan *sc)
{
	free(sc->arena);
	free(sc->v);
	memset(sc, 0, sizeof(*sc));
}

/* Copy len bytes + NUL into the arena; returns the offset or -1. */
static int
arena_add(struct scan *sc, const char *s, size_t len)
{
	size_t	 cap;
	char	*a;

	if (sc->alen + len + 1 > sc->acap) {
		cap = sc->acap ? sc->acap : 16384;
		while (cap < sc->alen + len + 1)
			cap *= 2;
		if ((a = realloc(sc->arena, cap)) == NULL)
			return -1;
		sc->arena = a;
		sc->acap = cap;
	}
	memcpy(sc->arena + sc->alen, s, len);
	sc->arena[sc->alen + len] = '\0';
	sc->alen += len + 1;
	return 0;
}

static int
ent_add(struct scan *sc, const char *name, bool in_new)
{
	struct scan_ent	*v, *e;
	size_t		 cap, off = sc->alen;

	if (sc->n == sc->cap) {
		cap = sc->cap ? sc->cap * 2 : 1024;
		if ((v = reallocarray(sc->v, cap, sizeof(*v))) == NULL)
			return -1;
		sc->v = v;
		sc->cap = cap;
	}
	if (arena_add(sc, name, strlen(name)) < 0)
		return -1;
	e = &sc->v[sc->n++];
	memset(e, 0, sizeof(*e));
	e->off = off;
	e->baselen = (uint32_t)strcspn(name, ":");
	e->in_new = in_new;
	return 0;
}

int
scan_add_from(struct scan *sc, const struct scan *from,
    const struct scan_ent *e)
{
	struct scan_ent	copy = *e;

	if (ent_add(sc, scan_name(from, e), e->in_new) < 0)
		return -1;
	copy.off = sc->v[sc->n - 1].off;
	sc->v[sc->n - 1] = copy;
	return 0;
}

/* Read one directory; if its mtime changed while we read it, again. */
static int
scan_dir(struct md_folder *f, struct scan *sc, const char *sub, bool in_new,
    struct timespec *mtime_r)
{
	struct stat	 st1, st2;
	struct dirent	*de;
	DIR		*d;
	size_t		 n0 = sc->n, a0 = sc->alen;
	int		 fd, try;

	for (try = 0; try < SCAN_TRIES; try++) {
		sc->n = n0;
		sc->alen = a0;
		fd = openat(f->dfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st1) < 0 ||
		    (d = fdopendir(fd)) == NULL) {
			if (fd >= 0)
				close(fd);
			return store_error_errno(&f->ms->base,
			    errno == ENOENT ? STORE_ERR_NONEXISTENT :
			    STORE_ERR_IO, "opendir(%s)", sub);
		}
		while ((de = readdir(d)) != NULL) {
			/* Dot files, directories and names that could not
			 * go into the uidlist are not messages. */
			if (de->d_name[0] == '.' || de->d_name[0] == ':' ||
			    de->d_type == DT_DIR ||
			    strpbrk(de->d_name, "\r\n") != NULL)
				continue;
			if (ent_add(sc, de->d_name, in_new) < 0) {
				closedir(d);
				return store_error(&f->ms->base, STORE_ERR_IO,
				    "Out of memory");
			}
		}
		if (fstat(dirfd(d), &st2) < 0)
			st2 = st1;
		closedir(d);
		*mtime_r = st1.st_mtim;
		if (st1.st_mtim.tv_sec == st2.st_mtim.tv_sec &&
		    st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec)
			break;
	}
	return 0;
}

int
scan_folder(struct md_folder *f, struct scan *sc)
{
	int	ret;

	sc->n = 0;
	sc->alen = 0;
	clock_gettime(CLOCK_REALTIME, &sc->when);
	/* new/ first: a file moved to cur/ meanwhile is then seen in
	 * cur/ rather than missed in both. */
	if ((ret = scan_dir(f, sc, "new", true, &sc->new_mtime)) < 0)
		return ret;
	return scan_dir(f, sc, "cur", false, &sc->cur_mtime);
}

static void
path_of(char *buf, size_t len, const struct scan *sc,
    const struct scan_ent *e)
{
	(void)snprintf(buf, len, "%s/%s", e->in_new ? "new" : "cur",
	    scan_name(sc, e));
}

void
scan_move_new(struct md_folder *f, struct scan *sc)
{
	char		 from[NAME_MAX + 8], to[NAME_MAX + 8];
	const char	*name;
	size_t		 i, off;
	int		 n;

	for (i = 0; i < sc->n; i++) {
		struct scan_ent *e = &sc->v[i];

		if (!e->in_new || e->dead)
			continue;
		name = scan_name(sc, e);
		(void)snprintf(from, sizeof(from), "new/%s", name);
		/* Maildir: mail in new/ has no info; in cur/ it has ":2,". */
		n = snprintf(to, sizeof(to), "cur/%s%s", name,
		    strchr(name, ':') ? "" : ":2,");
		if (n < 0 || (size_t)n >= sizeof(to) || n - 4 > NAME_MAX)
			continue;
		if (md_rename_noreplace(f->dfd, from, f->dfd, to) < 0) {
			/* ENOENT: another session moved it first, so it is
			 * not \Recent here; it shows up in cur/ next time. */
			if (errno == ENOENT)
				e->dead = true;
			continue;
		}
		off = sc->alen;
		if (arena_add(sc, to + 4, strlen(to + 4)) < 0) {
			e->dead = true;
			continue;
		}
		e->off = off;
		e->in_new = false;
		e->recent = true;
	}
}

static int
base_cmp(const void *a, const void *b, void *ctx)
{
	const struct scan	*sc = ctx;
	const struct scan_ent	*x = *(struct scan_ent *const *)a;
	const struct scan_ent	*y = *(struct scan_ent *const *)b;
	size_t			 len = x->baselen < y->baselen ? x->baselen :
				    y->baselen;
	int			 c;

	if ((c = memcmp(scan_name(sc, x), scan_name(sc, y), len)) != 0)
		return c;
	if (x->baselen != y->baselen)
		return x->baselen < y->baselen ? -1 : 1;
	/* Same base: the one in cur/ first, so new/ loses. */
	if (x->in_new != y->in_new)
		return x->in_new ? 1 : -1;
	return x < y ? -1 : x > y;
}

/*
 * A base name seen twice (keep: the first, e: the other). Check both are
 * real (a rename while we read can show one file under two names); a
 * second link to the same file is removed, a different file gets a new
 * base name and so a new UID.
 */
static void
handle_dup(struct md_folder *f, struct scan *sc, struct scan_ent *keep,
    struct scan_ent *e)
{
	struct md_fname	 fn;
	struct stat	 st, kst;
	char		 from[NAME_MAX + 8], to[NAME_MAX + 8], base[NAME_MAX];
	const char	*name = scan_name(sc, e);
	size_t		 off;
	int		 n;

	path_of(from, sizeof(from), sc, e);
	if (fstatat(f->dfd, from, &st, 0) < 0) {
		e->dead = true;
		return;
	}
	path_of(to, sizeof(to), sc, keep);
	if (fstatat(f->dfd, to, &kst, 0) < 0) {
		keep->dead = true;
		return;
	}
	if (st.st_ino == kst.st_ino && st.st_dev == kst.st_dev) {
		(void)unlinkat(f->dfd, from, 0);
		e->dead = true;
		return;
	}
	md_fname_parse(name, &fn);
	if (md_new_base(f->ms, fn.size != MD_SIZE_UNKNOWN ? fn.size :
	    (uint64_t)st.st_size, fn.vsize, base, sizeof(base)) < 0) {
		e->dead = true;
		return;
	}
	n = snprintf(to, sizeof(to), "%s/%s%s", e->in_new ? "new" : "cur",
	    base, name + e->baselen);
	off = sc->alen;
	if (n < 0 || (size_t)n >= sizeof(to) ||
	    md_rename_noreplace(f->dfd, from, f->dfd, to) < 0 ||
	    arena_add(sc, to + 4, strlen(to + 4)) < 0) {
		e->dead = true;
		return;
	}
	e->off = off;
	e->baselen = (uint32_t)strlen(base);
	e->uid = 0;
}

/* Handle pairs of entries with one base name (v sorted so that they
 * are adjacent). */
static void
dedup(struct md_folder *f, struct scan *sc, struct scan_ent **v, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++) {
		if (v[i]->dead || v[i - 1]->dead ||
		    v[i]->baselen != v[i - 1]->baselen ||
		    memcmp(scan_name(sc, v[i]), scan_name(sc, v[i - 1]),
		    v[i]->baselen) != 0)
			continue;
		if (f->locked)
			handle_dup(f, sc, v[i - 1], v[i]);
		else
			v[i]->dead = true;
	}
}

void
scan_resolve(struct md_folder *f, struct scan *sc)
{
	const struct uidlist_rec *r;
	struct scan_ent		**v;
	size_t			  i, k = 0;

	for (i = 0; i < sc->n; i++) {
		struct scan_ent *e = &sc->v[i];

		r = e->dead ? NULL :
		    uidlist_lookup(f->ul, scan_name(sc, e), e->baselen);
		e->uid = r != NULL ? r->uid : 0;
	}
	if (sc->n < 2 ||
	    (v = reallocarray(NULL, sc->n, sizeof(*v))) == NULL)
		return;
	/* A base name seen twice: with a UID, both entries got the same
	 * one (found by sorting on UIDs); without, they are among the few
	 * new files (sorted by name). */
	scan_sort_uid(sc);
	for (i = 0; i < sc->n; i++)
		if (!sc->v[i].dead && sc->v[i].uid != 0)
			v[k++] = &sc->v[i];
	for (i = 1; i < k; i++)
		if (v[i]->uid == v[i - 1]->uid)
			break;
	if (i < k) {
		qsort_r(v, k, sizeof(*v), base_cmp, sc);
		dedup(f, sc, v, k);
	}
	for (i = k = 0; i < sc->n; i++)
		if (!sc->v[i].dead && sc->v[i].uid == 0)
			v[k++] = &sc->v[i];
	if (k > 1) {
		qsort_r(v, k, sizeof(*v), base_cmp, sc);
		dedup(f, sc, v, k);
	}
	free(v);
}

static int
uid_cmp(const void *a, const void *b)
{
	const struct scan_ent *x = a, *y = b;
	uint32_t ux = x->dead || x->uid == 0 ? UINT32_MAX : x->uid;
	uint32_t uy = y->dead || y->uid == 0 ? UINT32_MAX : y->uid;

	return ux < uy ? -1 : ux > uy;
}

void
scan_sort_uid(struct scan *sc)
{
	if (sc->n > 1)
		qsort(sc->v, sc->n, sizeof(*sc->v), uid_cmp);
}

struct scan_ent *
scan_find_uid(struct scan *sc, uint32_t uid)
{
	size_t	lo = 0, hi = sc->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (!sc->v[mid].dead && sc->v[mid].uid == uid)
			return &sc->v[mid];
		if (sc->v[mid].dead || sc->v[mid].uid == 0 ||
		    sc->v[mid].uid > uid)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
