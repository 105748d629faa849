/*
 * maildir_uidlist: reading dovecot-uidlist (see the header for the
 * format), incrementally when lines were only appended. Lookups by base
 * name go through an open-addressing hash. Writing: maildir_uidlist_write.c.
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

static uint32_t	 hash_base(const char *, size_t);
static int	 hash_alloc(struct uidlist *, size_t);
static void	 hash_insert(struct uidlist *, size_t);
static bool	 parse_u32(const char *, size_t, uint32_t *);
static int	 parse_header(struct uidlist *, const char *, size_t);
static void	 parse_record(struct uidlist *, const char *, size_t);
static int	 rec_cmp(const void *, const void *, void *);
static void	 sort_recs(struct uidlist *);
static void	 reserve(struct uidlist *, const char *, size_t);
static int	 read_file(int, off_t, off_t, char **, size_t *);
static int	 load(struct uidlist *, int, const struct stat *, bool);
static bool	 tail_matches(struct uidlist *, int);

struct uidlist *
uidlist_new(int dfd)
{
	struct uidlist	*ul;

	if ((ul = calloc(1, sizeof(*ul))) == NULL)
		return NULL;
	ul->dfd = dfd;
	ul->nextuid = 1;
	ul->lock.fd = -1;
	return ul;
}

void
uidlist_recs_clear(struct uidlist *ul)
{
	size_t	i;

	for (i = 0; i < ul->n; i++)
		free(ul->recs[i].name);
	ul->n = 0;
	ul->unsorted = false;
	if (ul->hash != NULL)
		memset(ul->hash, 0, ul->hcap * sizeof(*ul->hash));
}

void
uidlist_free(struct uidlist **ulp)
{
	struct uidlist	*ul = *ulp;

	if (ul == NULL)
		return;
	*ulp = NULL;
	uidlist_unlock(ul);
	uidlist_recs_clear(ul);
	free(ul->recs);
	free(ul->hash);
	free(ul->hdr_extra);
	free(ul);
}

/* --- hash -------------------------------------------------------------- */

static uint32_t
hash_base(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
hash_insert(struct uidlist *ul, size_t idx)
{
	const struct uidlist_rec *r = &ul->recs[idx];
	size_t	mask = ul->hcap - 1, h;

	h = hash_base(r->name, r->baselen) & mask;
	while (ul->hash[h] != 0)
		h = (h + 1) & mask;
	ul->hash[h] = (uint32_t)idx + 1;
}

/* An empty table with room for want records. */
static int
hash_alloc(struct uidlist *ul, size_t want)
{
	size_t	 cap = 64;
	uint32_t *h;

	while (cap < want * 2 + 16)
		cap *= 2;
	if (cap != ul->hcap) {
		if ((h = calloc(cap, sizeof(*h))) == NULL)
			return -1;
		free(ul->hash);
		ul->hash = h;
		ul->hcap = cap;
	} else
		memset(ul->hash, 0, cap * sizeof(*ul->hash));
	return 0;
}

int
uidlist_hash_rebuild(struct uidlist *ul)
{
	size_t	i;

	if (hash_alloc(ul, ul->n) < 0)
		return -1;
	for (i = 0; i < ul->n; i++)
		hash_insert(ul, i);
	return 0;
}

const struct uidlist_rec *
uidlist_lookup(const struct uidlist *ul, const char *base, size_t baselen)
{
	const struct uidlist_rec *r;
	size_t	mask, h;

	if (ul->hcap == 0)
		return NULL;
	mask = ul->hcap - 1;
	for (h = hash_base(base, baselen) & mask; ul->hash[h] != 0;
	    h = (h + 1) & mask) {
		r = &ul->recs[ul->hash[h] - 1];
		if (r->baselen == baselen &&
		    memcmp(r->name, base, baselen) == 0)
			return r;
	}
	return NULL;
}

/* --- parsing ---------------------------------------------------------- */

static bool
parse_u32(const char *s, size_t len, uint32_t *v_r)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*v_r = (uint32_t)v;
	return true;
}

/* Add a record at the end. Records should come in ascending UID order;
 * if not, the file is marked for a rewrite and sort_recs() puts them in
 * order once the whole input is read. */
int
uidlist_add_rec(struct uidlist *ul, uint32_t uid, const char *name,
    size_t namelen, const char *ext, size_t extlen, uint64_t vsize)
{
	struct uidlist_rec	*r, *v;
	const char		*colon;
	size_t			 cap;
	char			*mem;

	colon = memchr(name, ':', namelen);
	if (uid == 0 || namelen == 0 || colon == name) {
		ul->dirty = true;
		return 0;
	}
	if (uidlist_lookup(ul, name, colon ? (size_t)(colon - name) :
	    namelen) != NULL) {
		ul->dirty = true;	/* same file twice: keep the first */
		return 0;
	}
	if (ul->n > 0 && ul->recs[ul->n - 1].uid >= uid) {
		if (ul->recs[ul->n - 1].uid == uid)
			return 0;
		ul->dirty = true;
		ul->unsorted = true;
	}
	if (ul->n == ul->cap) {
		cap = ul->cap ? ul->cap * 2 : 256;
		if ((v = reallocarray(ul->recs, cap, sizeof(*v))) == NULL)
			return -1;
		ul->recs = v;
		ul->cap = cap;
	}
	/* name and ext share one allocation. */
	if ((mem = malloc(namelen + 1 + extlen + 1)) == NULL)
		return -1;
	memcpy(mem, name, namelen);
	mem[namelen] = '\0';
	memcpy(mem + namelen + 1, ext, extlen);
	mem[namelen + 1 + extlen] = '\0';
	r = &ul->recs[ul->n];
	r->uid = uid;
	r->name = mem;
	r->baselen = colon ? (uint32_t)(colon - name) : (uint32_t)namelen;
	r->ext = extlen ? mem + namelen + 1 : NULL;
	r->vsize = vsize;
	ul->n++;
	if (uid >= ul->nextuid)
		ul->nextuid = uid == UINT32_MAX ? UINT32_MAX : uid + 1;
	if (ul->n * 2 + 16 > ul->hcap)
		return uidlist_hash_rebuild(ul);
	hash_insert(ul, ul->n - 1);
	return 0;
}

/* Order of record indexes: by UID, then by position in the file. */
static int
rec_cmp(const void *a, const void *b, void *ctx)
{
	const struct uidlist_rec *recs = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (recs[x].uid != recs[y].uid)
		return recs[x].uid < recs[y].uid ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Records out of order: sort them; of repeated UIDs the first in the
 * file is kept. */
static void
sort_recs(struct uidlist *ul)
{
	struct uidlist_rec	*v;
	uint32_t		*idx;
	size_t			 i, k;

	if (!ul->unsorted)
		return;
	idx = reallocarray(NULL, ul->n, sizeof(*idx));
	v = reallocarray(NULL, ul->cap, sizeof(*v));
	if (idx == NULL || v == NULL) {
		free(idx);
		free(v);
		return;		/* stays unsorted; tried again next parse */
	}
	ul->unsorted = false;
	for (i = 0; i < ul->n; i++)
		idx[i] = (uint32_t)i;
	qsort_r(idx, ul->n, sizeof(*idx), rec_cmp, ul->recs);
	for (i = k = 0; i < ul->n; i++) {
		if (k > 0 && v[k - 1].uid == ul->recs[idx[i]].uid) {
			free(ul->recs[idx[i]].name);
			continue;
		}
		v[k++] = ul->recs[idx[i]];
	}
	free(idx);
	free(ul->recs);
	ul->recs = v;
	ul->n = k;
	(void)uidlist_hash_rebuild(ul);
}

static int
parse_header(struct uidlist *ul, const char *line, size_t len)
{
	const char	*p = line + 2, *end = line + len, *tok, *sp;
	size_t		 tlen;
	struct buf	 extra;
	uint32_t	 v;

	if (len < 2 || line[1] != ' ')
		return -1;
	free(ul->hdr_extra);
	ul->hdr_extra = NULL;
	ul->guid[0] = '\0';
	ul->uidvalidity = 0;
	ul->nextuid = 1;
	if (line[0] == '1') {
		/* "1 <uidvalidity> <nextuid>" (also courierimapuiddb) */
		ul->version = 1;
		tok = memchr(p, ' ', end - p);
		if (tok == NULL || !parse_u32(p, tok - p, &ul->uidvalidity) ||
		    !parse_u32(tok + 1, end - tok - 1, &v))
			return -1;
		ul->nextuid = v ? v : 1;
		return ul->uidvalidity ? 0 : -1;
	}
	if (line[0] != '3')
		return -1;
	ul->version = 3;
	buf_init(&extra, 4096);
	for (; p < end; p = tok + tlen + 1) {
		tok = p;
		sp = memchr(p, ' ', end - p);
		tlen = sp != NULL ? (size_t)(sp - p) : (size_t)(end - p);
		if (tlen == 0)
			continue;
		if (tok[0] == 'V' && parse_u32(tok + 1, tlen - 1, &v))
			ul->uidvalidity = v;
		else if (tok[0] == 'N' && parse_u32(tok + 1, tlen - 1, &v))
			ul->nextuid = v ? v : 1;
		else if (tok[0] == 'G' && tlen == 33) {
			memcpy(ul->guid, tok + 1, 32);
			ul->guid[32] = '\0';
		} else if ((extra.len > 0 && buf_putc(&extra, ' ') < 0) ||
		    buf_append(&extra, tok, tlen) < 0)
			ul->dirty = true;
	}
	if (extra.len > 0)
		ul->hdr_extra = buf_steal(&extra, NULL);
	buf_release(&extra);
	return ul->uidvalidity ? 0 : -1;
}

/* "<uid>[ <ext>...] :<name>" (v3) or "<uid> <name>" (v1). Bad lines are
 * skipped (and the file marked for a rewrite). */
static void
parse_record(struct uidlist *ul, const char *line, size_t len)
{
	const char	*sp, *end = line + len, *ext, *name, *p;
	uint64_t	 vsize = UINT64_MAX, v;
	uint32_t	 uid;
	size_t		 extlen = 0, i;

	sp = memchr(line, ' ', len);
	if (sp == NULL || !parse_u32(line, sp - line, &uid)) {
		ul->dirty = true;
		return;
	}
	ext = sp + 1;
	if (ul->version == 1) {
		name = ext;
	} else {
		/* Ext fields are single tokens; the name follows " :". */
		for (p = ext; p < end && *p != ':';) {
			p = memchr(p, ' ', end - p);
			if (p == NULL) {
				ul->dirty = true;
				return;
			}
			p++;
		}
		if (p >= end) {
			ul->dirty = true;
			return;
		}
		name = p + 1;
		extlen = p > ext ? (size_t)(p - 1 - ext) : 0;
		for (p = ext; p < ext + extlen; p++) {
			if (*p != 'W' || (p != ext && p[-1] != ' '))
				continue;
			v = 0;
			for (i = 1; p + i < ext + extlen && p[i] >= '0' &&
			    p[i] <= '9' && v < UINT64_MAX / 10; i++)
				v = v * 10 + (uint64_t)(p[i] - '0');
			if (i > 1 && (p + i == ext + extlen || p[i] == ' '))
				vsize = v;
		}
	}
	if (uidlist_add_rec(ul, uid, name, end - name, ext, extlen, vsize) < 0)
		ul->dirty = true;
}

/* Size the record array and hash for the lines in data at once, rather
 * than growing them while parsing. */
static void
reserve(struct uidlist *ul, const char *data, size_t len)
{
	const char		*p = data, *end = data + len;
	struct uidlist_rec	*v;
	size_t			 lines = 0;

	while ((p = memchr(p, '\n', end - p)) != NULL) {
		lines++;
		p++;
	}
	if (lines > ul->cap &&
	    (v = reallocarray(ul->recs, lines, sizeof(*v))) != NULL) {
		ul->recs = v;
		ul->cap = lines;
	}
	/* No records are left: the table can simply be resized. */
	if (lines * 2 + 16 > ul->hcap)
		(void)hash_alloc(ul, lines);
}

ssize_t
uidlist_parse(struct uidlist *ul, const char *data, size_t len,
    bool from_start)
{
	const char	*p = data, *nl, *end = data + len;

	if (from_start) {
		uidlist_recs_clear(ul);
		ul->dirty = false;
		reserve(ul, data, len);
		if ((nl = memchr(p, '\n', len)) == NULL ||
		    parse_header(ul, p, nl - p) < 0)
			return -1;
		p = nl + 1;
	}
	while (p < end && (nl = memchr(p, '\n', end - p)) != NULL) {
		if (nl > p)
			parse_record(ul, p, nl - p);
		p = nl + 1;
	}
	sort_recs(ul);
	return p - data;
}

/* --- reading ---------------------------------------------------------- */

static int
read_file(int fd, off_t from, off_t size, char **data_r, size_t *len_r)
{
	size_t	 want = (size_t)(size - from), got = 0;
	ssize_t	 n;
	char	*data;

	if ((data = malloc(want + 1)) == NULL)
		return -1;
	while (got < want) {
		n = pread(fd, data + got, want - got, from + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*data_r = data;
	*len_r = got;
	return 0;
}

void
uidlist_set_identity(struct uidlist *ul, const struct stat *st)
{
	ul->dev = st->st_dev;
	ul->ino = st->st_ino;
	ul->size = st->st_size;
	ul->mtime = st->st_mtim;
}

/* Remember the last bytes of what has been parsed; data[0..len) is what
 * was parsed last (appended to the old tail unless reset). */
void
uidlist_tail_update(struct uidlist *ul, const char *data, size_t len,
    bool reset)
{
	size_t	keep, max = sizeof(ul->tail);

	if (reset)
		ul->taillen = 0;
	if (len >= max) {
		memcpy(ul->tail, data + len - max, max);
		ul->taillen = max;
		return;
	}
	keep = ul->taillen + len > max ? max - len : ul->taillen;
	memmove(ul->tail, ul->tail + ul->taillen - keep, keep);
	memcpy(ul->tail + keep, data, len);
	ul->taillen = keep + len;
}

static bool
tail_matches(struct uidlist *ul, int fd)
{
	char	buf[sizeof(ul->tail)];

	if (ul->taillen == 0 || ul->parsed < (off_t)ul->taillen)
		return false;
	return pread(fd, buf, ul->taillen, ul->parsed - (off_t)ul->taillen) ==
	    (ssize_t)ul->taillen && memcmp(buf, ul->tail, ul->taillen) == 0;
}

/* Read fd (whose stat is st), incrementally when only lines were added. */
static int
load(struct uidlist *ul, int fd, const struct stat *st, bool courier)
{
	bool	 incr;
	char	*data;
	size_t	 len;
	ssize_t	 used;

	if (st->st_size > (off_t)UIDLIST_MAX_SIZE) {
		errno = EFBIG;
		return STORE_ERR_CORRUPT;
	}
	incr = !courier && ul->exists && st->st_ino == ul->ino &&
	    st->st_dev == ul->dev && st->st_size >= ul->size &&
	    ul->parsed > 0 && tail_matches(ul, fd);
	if (read_file(fd, incr ? ul->parsed : 0, st->st_size, &data,
	    &len) < 0)
		return STORE_ERR_IO;
	used = uidlist_parse(ul, data, len, !incr);
	if (used >= 0)
		uidlist_tail_update(ul, data, (size_t)used, !incr);
	free(data);
	if (used < 0) {
		/* Unusable header: as good as missing, it gets recreated. */
		uidlist_recs_clear(ul);
		ul->exists = false;
		ul->imported = false;
		ul->parsed = 0;
		return 0;
	}
	ul->parsed = (incr ? ul->parsed : 0) + used;
	ul->exists = !courier;
	ul->imported = courier;
	if (courier)
		ul->dirty = true;
	uidlist_set_identity(ul, st);
	return 0;
}

bool
uidlist_changed(struct uidlist *ul)
{
	struct stat	st;

	if (fstatat(ul->dfd, UIDLIST_NAME, &st, 0) < 0)
		return ul->exists || errno != ENOENT;
	return !ul->exists || st.st_ino != ul->ino || st.st_dev != ul->dev ||
	    st.st_size != ul->size ||
	    st.st_mtim.tv_sec != ul->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != ul->mtime.tv_nsec;
}

int
uidlist_refresh(struct uidlist *ul, bool *changed_r)
{
	struct stat	st;
	int		fd, ret;

	if (changed_r != NULL)
		*changed_r = false;
	fd = openat(ul->dfd, UIDLIST_NAME, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (ul->exists || ul->n > 0) {
			uidlist_recs_clear(ul);
			ul->exists = false;
			ul->parsed = 0;
			if (changed_r != NULL)
				*changed_r = true;
		}
		ul->imported = false;
		fd = openat(ul->dfd, UIDLIST_COURIER_NAME,
		    O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT ? 0 : STORE_ERR_IO;
		if (fstat(fd, &st) < 0)
			ret = STORE_ERR_IO;
		else
			ret = load(ul, fd, &st, true);
		close(fd);
		if (changed_r != NULL)
			*changed_r = true;
		return ret;
	}
	if (fd < 0)
		return STORE_ERR_IO;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return STORE_ERR_IO;
	}
	if (ul->exists && st.st_ino == ul->ino && st.st_dev == ul->dev &&
	    st.st_size == ul->size && st.st_mtim.tv_sec == ul->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == ul->mtime.tv_nsec) {
		close(fd);
		return 0;
	}
	ret = load(ul, fd, &st, false);
	close(fd);
	if (changed_r != NULL)
		*changed_r = true;
	return ret;
}
