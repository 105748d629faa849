/*
 * memory: an in-process store for tests and demos. Same semantics as the
 * Maildir backend (UIDVALIDITY, UIDNEXT, keywords, \Recent claimed by the
 * first read-write mbox that sees a message, subscriptions), nothing is
 * written to disk. Messages are kept as malloc'd CRLF text.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/store.h"
#include "storage/store_private.h"

struct mem_msg {
	struct msg	 m;		/* keywords: bits of the box's list */
	char		*data;		/* CRLF */
	size_t		 len;
};

struct mem_box {
	char		*name;
	int		 refs;		/* the store's list + open mboxes */
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;
	uint32_t	 recent_from;	/* UIDs >= this are unclaimed */
	struct mem_msg	*msgs;
	size_t		 n, cap;
	char		*kw[STORE_MAX_KEYWORDS];
	size_t		 nkw;
};

struct mem_store {
	struct store	 base;
	struct mem_box	**boxes;
	size_t		 nboxes;
	char		**subs;
	size_t		 nsubs;
	uint32_t	 last_uidvalidity;
};

struct mem_mbox {
	struct mbox	 base;
	struct mem_store *ms;
	struct mem_box	*box;
};

static void	 mem_close(struct store *);
static int	 mem_list(struct store *, struct store_mailbox **, size_t *);
static int	 mem_create(struct store *, const char *);
static int	 mem_delete(struct store *, const char *);
static int	 mem_rename(struct store *, const char *, const char *);
static int	 mem_subscribe(struct store *, const char *, bool);
static int	 mem_subscriptions(struct store *, char ***, size_t *);
static int	 mem_status(struct store *, const char *,
		    struct store_status *);
static int	 mem_append(struct store *, const char *,
		    const struct store_append *, uint32_t *, uint32_t *);
static int	 mem_mbox_open(struct store *, const char *, bool,
		    struct mbox **);
static void	 mm_close(struct mbox *);
static int	 mm_sync(struct mbox *);
static int	 mm_keyword_add(struct mbox *, const char *);
static int	 mm_set_flags(struct mbox *, size_t, uint32_t, uint32_t);
static int	 mm_msg_open(struct mbox *, size_t, struct msg_body *);
static int	 mm_expunge(struct mbox *, const size_t *, size_t);
static int	 mm_copy(struct mbox *, const size_t *, size_t, const char *,
		    bool, uint32_t *, uint32_t *);
static int	 mm_notify_fd(struct mbox *);
static void	 mm_notify_clear(struct mbox *);
static struct mem_box *box_find(struct mem_store *, const char *, size_t *);
static struct mem_box *box_new(struct mem_store *, const char *);
static void	 box_unref(struct mem_box **);
static bool	 has_children(struct mem_store *, const char *);
static int	 box_add(struct mem_store *, struct mem_box *,
		    const char *, size_t, bool, uint32_t, uint32_t,
		    time_t, uint32_t *);
static void	 box_remove_msg(struct mem_box *, size_t);
static int	 box_kw_index(struct mem_box *, const char *);
static int	 name_cmp(const void *, const void *);
static int	 rename_inbox(struct mem_store *, const char *);
static struct mem_msg *box_msg(struct mem_box *, uint32_t, size_t *);

static const struct store_ops mem_store_ops = {
	mem_close, mem_list, mem_create, mem_delete, mem_rename,
	mem_subscribe, mem_subscriptions, mem_status, mem_append,
	mem_mbox_open
};

static const struct mbox_ops mem_mbox_ops = {
	mm_close, mm_sync, mm_keyword_add, mm_set_flags, mm_msg_open,
	mm_expunge, mm_copy, mm_notify_fd, mm_notify_clear
};

struct store *
store_memory_open(void)
{
	struct mem_store	*ms;

	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		return NULL;
	ms->base.ops = &mem_store_ops;
	if (box_new(ms, "INBOX") == NULL) {
		free(ms);
		return NULL;
	}
	return &ms->base;
}

static void
mem_close(struct store *s)
{
	struct mem_store	*ms = (struct mem_store *)s;
	size_t			 i;

	for (i = 0; i < ms->nboxes; i++)
		box_unref(&ms->boxes[i]);
	free(ms->boxes);
	for (i = 0; i < ms->nsubs; i++)
		free(ms->subs[i]);
	free(ms->subs);
	free(ms);
}

/* --- boxes ------------------------------------------------------------ */

static struct mem_box *
box_find(struct mem_store *ms, const char *name, size_t *pos_r)
{
	size_t	i;

	for (i = 0; i < ms->nboxes; i++)
		if (strcmp(ms->boxes[i]->name, name) == 0) {
			if (pos_r != NULL)
				*pos_r = i;
			return ms->boxes[i];
		}
	return NULL;
}

static struct mem_box *
box_new(struct mem_store *ms, const char *name)
{
	struct mem_box	*b, **v;
	uint32_t	 now = (uint32_t)time(NULL);

	v = reallocarray(ms->boxes, ms->nboxes + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	ms->boxes = v;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if ((b->name = strdup(name)) == NULL) {
		free(b);
		return NULL;
	}
	/* Never reuse a UIDVALIDITY within this store. */
	ms->last_uidvalidity = now > ms->last_uidvalidity ? now :
	    ms->last_uidvalidity + 1;
	b->uidvalidity = ms->last_uidvalidity;
	b->uidnext = 1;
	b->recent_from = 1;
	b->refs = 1;
	ms->boxes[ms->nboxes++] = b;
	return b;
}

static void
box_unref(struct mem_box **bp)
{
	struct mem_box	*b = *bp;
	size_t		 i;

	*bp = NULL;
	if (b == NULL || --b->refs > 0)
		return;
	for (i = 0; i < b->n; i++)
		free(b->msgs[i].data);
	free(b->msgs);
	for (i = 0; i < b->nkw; i++)
		free(b->kw[i]);
	free(b->name);
	free(b);
}

static bool
has_children(struct mem_store *ms, const char *name)
{
	size_t	i, len = strlen(name);

	for (i = 0; i < ms->nboxes; i++)
		if (strncmp(ms->boxes[i]->name, name, len) == 0 &&
		    ms->boxes[i]->name[len] == '/')
			return true;
	return false;
}

static int
box_kw_index(struct mem_box *b, const char *name)
{
	size_t	i;

	for (i = 0; i < b->nkw; i++)
		if (strcasecmp(b->kw[i], name) == 0)
			return (int)i;
	if (b->nkw >= STORE_MAX_KEYWORDS)
		return STORE_ERR_LIMIT;
	if ((b->kw[b->nkw] = strdup(name)) == NULL)
		return STORE_ERR_IO;
	return (int)b->nkw++;
}

/* Add a message; data is converted to CRLF unless already canonical. */
static int
box_add(struct mem_store *ms, struct mem_box *b, const char *data,
    size_t len, bool crlf_done, uint32_t flags, uint32_t kw, time_t date,
    uint32_t *uid_r)
{
	struct mem_msg	*v, *mm;
	uint64_t	 size;

	if (b->uidnext == UINT32_MAX)
		return store_error(&ms->base, STORE_ERR_LIMIT,
		    "Mailbox has run out of UIDs");
	if (b->n == b->cap) {
		v = reallocarray(b->msgs, b->cap ? b->cap * 2 : 16,
		    sizeof(*v));
		if (v == NULL)
			return store_error(&ms->base, STORE_ERR_IO,
			    "Out of memory");
		b->msgs = v;
		b->cap = b->cap ? b->cap * 2 : 16;
	}
	mm = &b->msgs[b->n];
	memset(mm, 0, sizeof(*mm));
	size = crlf_done ? len : store_crlf_size(data, len);
	if ((mm->data = malloc(size ? size : 1)) == NULL)
		return store_error(&ms->base, STORE_ERR_IO, "Out of memory");
	if (crlf_done)
		memcpy(mm->data, data, len);
	else
		(void)store_crlf_convert(data, len, mm->data);
	mm->len = size;
	mm->m.uid = b->uidnext++;
	mm->m.flags = flags;
	mm->m.keywords = kw;
	mm->m.internaldate = date ? date : time(NULL);
	mm->m.size = size;
	b->n++;
	if (uid_r != NULL)
		*uid_r = mm->m.uid;
	return 0;
}

static void
box_remove_msg(struct mem_box *b, size_t i)
{
	free(b->msgs[i].data);
	memmove(&b->msgs[i], &b->msgs[i + 1],
	    (b->n - i - 1) * sizeof(b->msgs[0]));
	b->n--;
}

/* --- store ops ------------------------------------------------------- */

static int
name_cmp(const void *a, const void *b)
{
	const struct store_mailbox *x = a, *y = b;

	if (strcmp(x->name, "INBOX") == 0)
		return -1;
	if (strcmp(y->name, "INBOX") == 0)
		return 1;
	return strcmp(x->name, y->name);
}

static int
mem_list(struct store *s, struct store_mailbox **v_r, size_t *n_r)
{
	struct mem_store	*ms = (struct mem_store *)s;
	struct store_mailbox	*v;
	size_t			 i;

	if ((v = calloc(ms->nboxes, sizeof(*v))) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	for (i = 0; i < ms->nboxes; i++)
		if ((v[i].name = strdup(ms->boxes[i]->name)) == NULL) {
			store_list_free(&v, i);
			return store_error(s, STORE_ERR_IO, "Out of memory");
		}
	qsort(v, ms->nboxes, sizeof(*v), name_cmp);
	*v_r = v;
	*n_r = ms->nboxes;
	return 0;
}

static int
mem_create(struct store *s, const char *name)
{
	struct mem_store	*ms = (struct mem_store *)s;

	if (box_find(ms, name, NULL) != NULL)
		return store_error(s, STORE_ERR_EXISTS,
		    "Mailbox already exists");
	if (box_new(ms, name) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	return 0;
}

static int
mem_delete(struct store *s, const char *name)
{
	struct mem_store	*ms = (struct mem_store *)s;
	struct mem_box		*b;
	size_t			 pos;

	if ((b = box_find(ms, name, &pos)) == NULL) {
		if (has_children(ms, name))
			return store_error(s, STORE_ERR_HASCHILDREN,
			    "Mailbox has children and no messages");
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	}
	box_unref(&ms->boxes[pos]);
	memmove(&ms->boxes[pos], &ms->boxes[pos + 1],
	    (ms->nboxes - pos - 1) * sizeof(ms->boxes[0]));
	ms->nboxes--;
	return 0;
}

/* RFC 9051 6.3.6: renaming INBOX moves its messages to a new mailbox. */
static int
rename_inbox(struct mem_store *ms, const char *to)
{
	struct mem_box	*in, *nb;
	size_t		 i, k;
	int		 ret, kw;
	uint32_t	 kwbits;

	in = box_find(ms, "INBOX", NULL);
	if ((nb = box_new(ms, to)) == NULL)
		return store_error(&ms->base, STORE_ERR_IO, "Out of memory");
	for (i = 0; i < in->n; i++) {
		kwbits = 0;
		for (k = 0; k < in->nkw; k++) {
			if ((in->msgs[i].m.keywords & (1u << k)) == 0)
				continue;
			if ((kw = box_kw_index(nb, in->kw[k])) >= 0)
				kwbits |= 1u << kw;
		}
		ret = box_add(ms, nb, in->msgs[i].data, in->msgs[i].len, true,
		    in->msgs[i].m.flags, kwbits, in->msgs[i].m.internaldate,
		    NULL);
		if (ret < 0)
			return ret;
	}
	while (in->n > 0)
		box_remove_msg(in, in->n - 1);
	return 0;
}

static int
mem_rename(struct store *s, const char *from, const char *to)
{
	struct mem_store	*ms = (struct mem_store *)s;
	size_t			 i, flen = strlen(from), tlen = strlen(to);
	char			*nn;
	const char		*old;

	if (box_find(ms, to, NULL) != NULL || has_children(ms, to))
		return store_error(s, STORE_ERR_EXISTS,
		    "Destination mailbox already exists");
	if (box_find(ms, from, NULL) == NULL)
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	if (strcmp(from, "INBOX") == 0)
		return rename_inbox(ms, to);
	for (i = 0; i < ms->nboxes; i++) {
		old = ms->boxes[i]->name;
		if (strncmp(old, from, flen) != 0 ||
		    (old[flen] != '\0' && old[flen] != '/'))
			continue;
		if ((nn = malloc(tlen + strlen(old + flen) + 1)) == NULL)
			return store_error(s, STORE_ERR_IO, "Out of memory");
		memcpy(nn, to, tlen);
		memcpy(nn + tlen, old + flen, strlen(old + flen) + 1);
		free(ms->boxes[i]->name);
		ms->boxes[i]->name = nn;
	}
	return 0;
}

static int
mem_subscribe(struct store *s, const char *name, bool subscribe)
{
	struct mem_store	*ms = (struct mem_store *)s;
	char			**v;
	size_t			 i;

	for (i = 0; i < ms->nsubs; i++)
		if (strcmp(ms->subs[i], name) == 0)
			break;
	if (!subscribe) {
		if (i < ms->nsubs) {
			free(ms->subs[i]);
			ms->subs[i] = ms->subs[--ms->nsubs];
		}
		return 0;
	}
	if (i < ms->nsubs)
		return 0;
	if ((v = reallocarray(ms->subs, ms->nsubs + 1, sizeof(*v))) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	ms->subs = v;
	if ((v[ms->nsubs] = strdup(name)) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	ms->nsubs++;
	return 0;
}

static int
mem_subscriptions(struct store *s, char ***names_r, size_t *n_r)
{
	struct mem_store	*ms = (struct mem_store *)s;
	char			**v;
	size_t			 i;

	if ((v = calloc(ms->nsubs + 1, sizeof(*v))) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	for (i = 0; i < ms->nsubs; i++)
		if ((v[i] = strdup(ms->subs[i])) == NULL) {
			store_names_free(&v, i);
			return store_error(s, STORE_ERR_IO, "Out of memory");
		}
	*names_r = v;
	*n_r = ms->nsubs;
	return 0;
}

static int
mem_status(struct store *s, const char *name, struct store_status *st)
{
	struct mem_box	*b;
	size_t		 i;

	if ((b = box_find((struct mem_store *)s, name, NULL)) == NULL)
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	st->messages = b->n;
	st->uidnext = b->uidnext;
	st->uidvalidity = b->uidvalidity;
	for (i = 0; i < b->n; i++) {
		if (b->msgs[i].m.uid >= b->recent_from)
			st->recent++;
		if ((b->msgs[i].m.flags & MSG_SEEN) == 0)
			st->unseen++;
		if ((b->msgs[i].m.flags & MSG_DELETED) != 0)
			st->deleted++;
		st->size += b->msgs[i].m.size;
	}
	return 0;
}

static int
mem_append(struct store *s, const char *name, const struct store_append *a,
    uint32_t *uidvalidity_r, uint32_t *uid_r)
{
	struct mem_store	*ms = (struct mem_store *)s;
	struct mem_box		*b;
	uint32_t		 kw = 0;
	size_t			 i;
	int			 k;

	if ((b = box_find(ms, name, NULL)) == NULL)
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	for (i = 0; i < a->nkeywords; i++) {
		if ((k = box_kw_index(b, a->keywords[i])) < 0)
			return store_error(s, k, "Too many keywords");
		kw |= 1u << k;
	}
	if (uidvalidity_r != NULL)
		*uidvalidity_r = b->uidvalidity;
	return box_add(ms, b, a->data, a->len, false, a->flags, kw,
	    a->internaldate, uid_r);
}

static int
mem_mbox_open(struct store *s, const char *name, bool readonly,
    struct mbox **mbox_r)
{
	struct mem_store	*ms = (struct mem_store *)s;
	struct mem_mbox		*mm;
	struct mem_box		*b;
	int			 ret;

	if ((b = box_find(ms, name, NULL)) == NULL)
		return store_error(s, STORE_ERR_NONEXISTENT,
		    "Mailbox doesn't exist");
	if ((mm = calloc(1, sizeof(*mm))) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	mm->base.ops = &mem_mbox_ops;
	mm->base.store = s;
	mm->base.readonly = readonly;
	mm->ms = ms;
	mm->box = b;
	b->refs++;
	if ((ret = mm_sync(&mm->base)) < 0) {
		mm_close(&mm->base);
		return ret;
	}
	*mbox_r = &mm->base;
	return 0;
}

/* --- mbox ops ---------------------------------------------------------- */

static void
mm_close(struct mbox *m)
{
	struct mem_mbox	*mm = (struct mem_mbox *)m;

	box_unref(&mm->box);
	free(m->msgs);
	store_kw_free(m);
	free(mm);
}

static int
mm_sync(struct mbox *m)
{
	struct mem_mbox		*mm = (struct mem_mbox *)m;
	struct mem_box		*b = mm->box;
	const struct msg	*old;
	struct msg		*v;
	size_t			 i;

	if (box_find(mm->ms, b->name, NULL) != b)
		return store_error(m->store, STORE_ERR_NONEXISTENT,
		    "Mailbox has been deleted");
	while (m->nkeywords < b->nkw)
		if (store_kw_add(m, b->kw[m->nkeywords]) < 0)
			return STORE_ERR_IO;
	if ((v = calloc(b->n ? b->n : 1, sizeof(*v))) == NULL)
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	for (i = 0; i < b->n; i++) {
		v[i] = b->msgs[i].m;
		v[i].recent = false;
		if ((old = mbox_find(m, v[i].uid)) != NULL)
			v[i].recent = old->recent;
		else if (v[i].uid >= b->recent_from)
			v[i].recent = true;
	}
	/* The first read-write session to see a message claims \Recent. */
	if (!m->readonly)
		b->recent_from = b->uidnext;
	free(m->msgs);
	m->msgs = v;
	m->count = b->n;
	m->uidvalidity = b->uidvalidity;
	m->uidnext = b->uidnext;
	return 0;
}

static int
mm_keyword_add(struct mbox *m, const char *name)
{
	struct mem_mbox	*mm = (struct mem_mbox *)m;
	int		 k;

	if ((k = box_kw_index(mm->box, name)) < 0)
		return store_error(m->store, k, "Too many keywords");
	while (m->nkeywords < mm->box->nkw)
		if (store_kw_add(m, mm->box->kw[m->nkeywords]) < 0)
			return STORE_ERR_IO;
	return k;
}

static struct mem_msg *
box_msg(struct mem_box *b, uint32_t uid, size_t *pos_r)
{
	size_t	lo = 0, hi = b->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->msgs[mid].m.uid == uid) {
			if (pos_r != NULL)
				*pos_r = mid;
			return &b->msgs[mid];
		}
		if (b->msgs[mid].m.uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
mm_set_flags(struct mbox *m, size_t idx, uint32_t flags, uint32_t kw)
{
	struct mem_mbox	*mm = (struct mem_mbox *)m;
	struct mem_msg	*bm;

	if ((bm = box_msg(mm->box, m->msgs[idx].uid, NULL)) == NULL)
		return store_error(m->store, STORE_ERR_EXPUNGED,
		    "Message has been expunged");
	bm->m.flags = m->msgs[idx].flags = flags;
	bm->m.keywords = m->msgs[idx].keywords = kw;
	return 0;
}

static int
mm_msg_open(struct mbox *m, size_t idx, struct msg_body *body)
{
	struct mem_mbox	*mm = (struct mem_mbox *)m;
	struct mem_msg	*bm;
	char		*copy;

	if ((bm = box_msg(mm->box, m->msgs[idx].uid, NULL)) == NULL)
		return store_error(m->store, STORE_ERR_EXPUNGED,
		    "Message has been expunged");
	/* A copy, so the body outlives an expunge by another session. */
	if ((copy = malloc(bm->len ? bm->len : 1)) == NULL)
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	memcpy(copy, bm->data, bm->len);
	body->data = copy;
	body->len = bm->len;
	body->priv = copy;
	return 0;
}

static int
mm_expunge(struct mbox *m, const size_t *idx, size_t n)
{
	struct mem_mbox	*mm = (struct mem_mbox *)m;
	size_t		 i, pos, k;
	uint32_t	 uid;

	for (i = 0; i < n; i++) {
		uid = m->msgs[idx[i]].uid;
		if (box_msg(mm->box, uid, &pos) != NULL)
			box_remove_msg(mm->box, pos);
		m->msgs[idx[i]].uid = 0;
	}
	for (i = k = 0; i < m->count; i++)
		if (m->msgs[i].uid != 0)
			m->msgs[k++] = m->msgs[i];
	m->count = k;
	return 0;
}

static int
mm_copy(struct mbox *m, const size_t *idx, size_t n, const char *dest,
    bool move, uint32_t *uidvalidity_r, uint32_t *dest_uids_r)
{
	struct mem_mbox	*mm = (struct mem_mbox *)m;
	struct mem_box	*src = mm->box, *dst;
	struct mem_msg	*bm;
	uint32_t	 kw;
	size_t		 i, k;
	int		 ret, ki;

	if ((dst = box_find(mm->ms, dest, NULL)) == NULL)
		return store_error(m->store, STORE_ERR_NONEXISTENT,
		    "Destination mailbox doesn't exist");
	for (i = 0; i < n; i++)
		if (box_msg(src, m->msgs[idx[i]].uid, NULL) == NULL)
			return store_error(m->store, STORE_ERR_EXPUNGED,
			    "Some of the messages have been expunged");
	if (dst->uidnext > UINT32_MAX - n)
		return store_error(m->store, STORE_ERR_LIMIT,
		    "Mailbox has run out of UIDs");
	for (i = 0; i < n; i++) {
		/* Re-find each time: adding to dst may move src's array
		 * when they are the same box. */
		bm = box_msg(src, m->msgs[idx[i]].uid, NULL);
		kw = 0;
		for (k = 0; k < src->nkw; k++) {
			if ((bm->m.keywords & (1u << k)) == 0)
				continue;
			/* Keywords that don't fit in dest are dropped. */
			if ((ki = box_kw_index(dst, src->kw[k])) >= 0)
				kw |= 1u << ki;
		}
		ret = box_add(mm->ms, dst, bm->data, bm->len, true,
		    bm->m.flags, kw, bm->m.internaldate,
		    dest_uids_r != NULL ? &dest_uids_r[i] : NULL);
		if (ret < 0)
			return ret;
	}
	if (uidvalidity_r != NULL)
		*uidvalidity_r = dst->uidvalidity;
	if (move)
		return mm_expunge(m, idx, n);
	return 0;
}

static int
mm_notify_fd(struct mbox *m)
{
	return -1;
}

static void
mm_notify_clear(struct mbox *m)
{
}
