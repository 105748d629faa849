/*
 * store: the storage interface. Validates arguments, then dispatches to
 * the backend (Maildir or memory) through its ops table. Also holds the
 * helpers every backend shares: error text, name rules, keyword lists and
 * CRLF conversion.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/utf8.h"
#include "storage/store.h"
#include "storage/store_private.h"

#define NAME_MAX_BYTES	1000	/* whole mailbox name, UTF-8 */
#define LEVEL_MAX_BYTES	255	/* one level, mUTF-7 encoded */

#define ALL_FLAGS (MSG_SEEN | MSG_ANSWERED | MSG_FLAGGED | MSG_DELETED | \
	MSG_DRAFT)

static const char *canon_name(const char *);
static bool	 level_valid(const unsigned char *, size_t);
static int	 uids_to_idx(struct mbox *, const uint32_t *, size_t,
		    size_t **);
static int	 copy_or_move(struct mbox *, const uint32_t *, size_t,
		    const char *, uint32_t *, uint32_t *, bool);

/* --- errors ------------------------------------------------------------ */

int
store_error(struct store *s, int err, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(s->errstr, sizeof(s->errstr), fmt, ap);
	va_end(ap);
	return err;
}

int
store_error_errno(struct store *s, int err, const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;
	size_t	len;

	va_start(ap, fmt);
	(void)vsnprintf(s->errstr, sizeof(s->errstr), fmt, ap);
	va_end(ap);
	len = strlen(s->errstr);
	(void)snprintf(s->errstr + len, sizeof(s->errstr) - len, ": %s",
	    strerror(saved));
	errno = saved;
	return err;
}

int
store_errno_code(int errnum)
{
	switch (errnum) {
	case ENOSPC:
	case EDQUOT:
		return STORE_ERR_OVERQUOTA;
	case EACCES:
	case EPERM:
	case EROFS:
		return STORE_ERR_NOPERM;
	default:
		return STORE_ERR_IO;
	}
}

const char *
store_errstr(const struct store *s)
{
	if (s == NULL || s->errstr[0] == '\0')
		return "no error";
	return s->errstr;
}

/* --- names --------------------------------------------------------------- */

bool
store_name_is_inbox(const char *name)
{
	return strcasecmp(name, "INBOX") == 0;
}

static const char *
canon_name(const char *name)
{
	return store_name_is_inbox(name) ? "INBOX" : name;
}

/*
 * One hierarchy level: not empty, no "." at all (Maildir++ uses it as the
 * separator on disk, so "." and ".." are refused with it), no control
 * characters or "\", and at most LEVEL_MAX_BYTES once encoded in modified
 * UTF-7 (RFC 3501 5.1.3), which is how it is stored on disk.
 */
static bool
level_valid(const unsigned char *s, size_t len)
{
	size_t		i, n, enc = 0, units = 0;
	uint32_t	cp;

	if (len == 0)
		return false;
	for (i = 0; i < len; i += n) {
		/* the name passed utf8_valid, so every step decodes */
		if ((n = utf8_next(s + i, len - i, &cp)) == 0)
			return false;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '.' ||
		    cp == '\\')
			return false;
		if (cp < 0x7f) {
			if (units > 0) {
				/* "&" base64(UTF-16BE) "-" */
				enc += 2 + (units * 16 + 5) / 6;
				units = 0;
			}
			enc += cp == '&' ? 2 : 1;
		} else
			units += cp >= 0x10000 ? 2 : 1;
	}
	if (units > 0)
		enc += 2 + (units * 16 + 5) / 6;
	return enc <= LEVEL_MAX_BYTES;
}

bool
store_name_valid(const char *name)
{
	const unsigned char	*s = (const unsigned char *)name;
	size_t			 len, start, i;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (len == 0 || len > NAME_MAX_BYTES || !utf8_valid(name, len))
		return false;
	if (name[0] == '/' || name[len - 1] == '/')
		return false;
	for (start = 0, i = 0; i <= len; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (!level_valid(s + start, i - start))
			return false;
		start = i + 1;
	}
	return true;
}

/* --- keywords ------------------------------------------------------------ */

bool
store_kw_valid(const char *name)
{
	size_t	i, len = strlen(name);

	/* RFC 9051 9: flag-keyword = atom; "\" starts a system flag. */
	if (len == 0 || len > STORE_KEYWORD_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c <= 0x20 || c >= 0x7f || strchr("(){%*\"\\]", c) != NULL)
			return false;
	}
	return true;
}

int
store_kw_find(const struct mbox *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nkeywords; i++)
		if (strcasecmp(m->keywords[i], name) == 0)
			return (int)i;
	return -1;
}

int
store_kw_add(struct mbox *m, const char *name)
{
	char	*copy;

	if (m->nkeywords >= STORE_MAX_KEYWORDS)
		return store_error(m->store, STORE_ERR_LIMIT,
		    "Too many keywords in this mailbox (max %d)",
		    STORE_MAX_KEYWORDS);
	if ((copy = strdup(name)) == NULL)
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	m->keywords[m->nkeywords] = copy;
	return (int)m->nkeywords++;
}

void
store_kw_free(struct mbox *m)
{
	size_t	i;

	for (i = 0; i < m->nkeywords; i++) {
		free(m->keywords[i]);
		m->keywords[i] = NULL;
	}
	m->nkeywords = 0;
}

/* --- CRLF --------------------------------------------------------------- */

bool
store_crlf_clean(const char *data, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (data[i] == '\0')
			return false;
		if (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'))
			return false;
		if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
			return false;
	}
	return true;
}

uint64_t
store_crlf_size(const char *data, size_t len)
{
	const char	*p = data, *end = data + len;
	uint64_t	 size = len;

	while ((p = memchr(p, '\n', end - p)) != NULL) {
		if (p == data || p[-1] != '\r')
			size++;
		p++;
	}
	return size;
}

size_t
store_crlf_convert(const char *data, size_t len, char *out)
{
	const char	*p = data, *end = data + len, *nl;
	size_t		 o = 0;

	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		memcpy(out + o, p, nl - p);
		o += nl - p;
		if (nl == data || nl[-1] != '\r')
			out[o++] = '\r';
		out[o++] = '\n';
		p = nl + 1;
	}
	memcpy(out + o, p, end - p);
	return o + (end - p);
}

/* --- store ------------------------------------------------------------- */

void
store_close(struct store **sp)
{
	if (sp == NULL || *sp == NULL)
		return;
	(*sp)->ops->close(*sp);
	*sp = NULL;
}

int
store_list(struct store *s, struct store_mailbox **v_r, size_t *n_r)
{
	*v_r = NULL;
	*n_r = 0;
	s->errstr[0] = '\0';
	return s->ops->list(s, v_r, n_r);
}

void
store_list_free(struct store_mailbox **v, size_t n)
{
	size_t	i;

	if (v == NULL || *v == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*v)[i].name);
	free(*v);
	*v = NULL;
}

#define CHECK_NAME(s, name) do {					\
	if (!store_name_valid(name))					\
		return store_error(s, STORE_ERR_BADNAME,		\
		    "Invalid mailbox name");				\
	name = canon_name(name);					\
} while (0)

int
store_create(struct store *s, const char *name)
{
	CHECK_NAME(s, name);
	if (strcmp(name, "INBOX") == 0)
		return store_error(s, STORE_ERR_EXISTS, "INBOX exists");
	return s->ops->create(s, name);
}

int
store_delete(struct store *s, const char *name)
{
	CHECK_NAME(s, name);
	if (strcmp(name, "INBOX") == 0)
		return store_error(s, STORE_ERR_NOPERM,
		    "INBOX can't be deleted");
	return s->ops->delete(s, name);
}

int
store_rename(struct store *s, const char *from, const char *to)
{
	size_t	flen;

	CHECK_NAME(s, from);
	CHECK_NAME(s, to);
	if (strcmp(to, "INBOX") == 0)
		return store_error(s, STORE_ERR_EXISTS, "INBOX exists");
	if (strcmp(from, to) == 0)
		return store_error(s, STORE_ERR_EXISTS,
		    "Source and destination are the same");
	flen = strlen(from);
	/* A mailbox can't become its own child (INBOX can: only its
	 * messages move, RFC 9051 6.3.6). */
	if (strcmp(from, "INBOX") != 0 && strncmp(to, from, flen) == 0 &&
	    to[flen] == '/')
		return store_error(s, STORE_ERR_BADNAME,
		    "Can't rename a mailbox under itself");
	return s->ops->rename(s, from, to);
}

int
store_subscribe(struct store *s, const char *name, bool subscribe)
{
	CHECK_NAME(s, name);
	return s->ops->subscribe(s, name, subscribe);
}

int
store_subscriptions(struct store *s, char ***names_r, size_t *n_r)
{
	*names_r = NULL;
	*n_r = 0;
	return s->ops->subscriptions(s, names_r, n_r);
}

void
store_names_free(char ***names, size_t n)
{
	size_t	i;

	if (names == NULL || *names == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*names)[i]);
	free(*names);
	*names = NULL;
}

int
store_status(struct store *s, const char *name, struct store_status *st)
{
	CHECK_NAME(s, name);
	memset(st, 0, sizeof(*st));
	return s->ops->status(s, name, st);
}

int
store_append(struct store *s, const char *name,
    const struct store_append *a, uint32_t *uidvalidity_r, uint32_t *uid_r)
{
	size_t	i;

	CHECK_NAME(s, name);
	if ((a->flags & ~ALL_FLAGS) != 0)
		return store_error(s, STORE_ERR_BADNAME, "Invalid flags");
	for (i = 0; i < a->nkeywords; i++)
		if (!store_kw_valid(a->keywords[i]))
			return store_error(s, STORE_ERR_BADNAME,
			    "Invalid keyword");
	return s->ops->append(s, name, a, uidvalidity_r, uid_r);
}

/* --- mbox -------------------------------------------------------------- */

int
mbox_open(struct store *s, const char *name, bool readonly,
    struct mbox **mbox_r)
{
	*mbox_r = NULL;
	CHECK_NAME(s, name);
	return s->ops->mbox_open(s, name, readonly, mbox_r);
}

void
mbox_close(struct mbox **mp)
{
	if (mp == NULL || *mp == NULL)
		return;
	(*mp)->ops->close(*mp);
	*mp = NULL;
}

bool
mbox_readonly(const struct mbox *m)
{
	return m->readonly;
}

uint32_t
mbox_uidvalidity(const struct mbox *m)
{
	return m->uidvalidity;
}

uint32_t
mbox_uidnext(const struct mbox *m)
{
	return m->uidnext;
}

int
mbox_sync(struct mbox *m)
{
	return m->ops->sync(m);
}

size_t
mbox_count(const struct mbox *m)
{
	return m->count;
}

const struct msg *
mbox_msgs(const struct mbox *m)
{
	return m->msgs;
}

const struct msg *
mbox_find(const struct mbox *m, uint32_t uid)
{
	size_t	lo = 0, hi = m->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->msgs[mid].uid == uid)
			return &m->msgs[mid];
		if (m->msgs[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t
mbox_keyword_count(const struct mbox *m)
{
	return m->nkeywords;
}

const char *
mbox_keyword(const struct mbox *m, size_t i)
{
	return i < m->nkeywords ? m->keywords[i] : NULL;
}

int
mbox_keyword_index(struct mbox *m, const char *name, bool create)
{
	int	i;

	if ((i = store_kw_find(m, name)) >= 0 || !create)
		return i;
	if (!store_kw_valid(name))
		return store_error(m->store, STORE_ERR_BADNAME,
		    "Invalid keyword");
	if (m->nkeywords >= STORE_MAX_KEYWORDS)
		return store_error(m->store, STORE_ERR_LIMIT,
		    "Too many keywords in this mailbox (max %d)",
		    STORE_MAX_KEYWORDS);
	return m->ops->keyword_add(m, name);
}

int
mbox_set_flags(struct mbox *m, uint32_t uid, uint32_t flags,
    uint32_t keywords)
{
	const struct msg	*msg;

	if (m->readonly)
		return store_error(m->store, STORE_ERR_NOPERM,
		    "Mailbox is read-only");
	if ((msg = mbox_find(m, uid)) == NULL)
		return store_error(m->store, STORE_ERR_EXPUNGED,
		    "Message %u has been expunged", uid);
	if ((flags & ~ALL_FLAGS) != 0 ||
	    (m->nkeywords < 32 && (keywords >> m->nkeywords) != 0))
		return store_error(m->store, STORE_ERR_BADNAME,
		    "Invalid flags or keywords");
	if (msg->flags == flags && msg->keywords == keywords)
		return 0;
	return m->ops->set_flags(m, msg - m->msgs, flags, keywords);
}

int
mbox_msg_open(struct mbox *m, uint32_t uid, struct msg_body *body)
{
	const struct msg	*msg;

	memset(body, 0, sizeof(*body));
	if ((msg = mbox_find(m, uid)) == NULL)
		return store_error(m->store, STORE_ERR_EXPUNGED,
		    "Message %u has been expunged", uid);
	return m->ops->msg_open(m, msg - m->msgs, body);
}

void
msg_body_release(struct msg_body *body)
{
	if (body == NULL)
		return;
	/* Both backends hand out one malloc'd buffer as priv. */
	free(body->priv);
	body->priv = NULL;
	body->data = NULL;
	body->len = 0;
}

/* Map UIDs to state indexes; missing ones are left out. */
static int
uids_to_idx(struct mbox *m, const uint32_t *uids, size_t n, size_t **idx_r)
{
	const struct msg	*msg;
	size_t			*idx, i, k = 0;

	*idx_r = NULL;
	if ((idx = reallocarray(NULL, n ? n : 1, sizeof(*idx))) == NULL)
		return store_error(m->store, STORE_ERR_IO, "Out of memory");
	for (i = 0; i < n; i++)
		if ((msg = mbox_find(m, uids[i])) != NULL)
			idx[k++] = msg - m->msgs;
	*idx_r = idx;
	return (int)k;
}

int
mbox_expunge(struct mbox *m, const uint32_t *uids, size_t n)
{
	size_t	*idx;
	int	 k, ret;

	if (m->readonly)
		return store_error(m->store, STORE_ERR_NOPERM,
		    "Mailbox is read-only");
	if ((k = uids_to_idx(m, uids, n, &idx)) < 0)
		return k;
	ret = k == 0 ? 0 : m->ops->expunge(m, idx, k);
	free(idx);
	return ret;
}

static int
copy_or_move(struct mbox *m, const uint32_t *uids, size_t n,
    const char *dest, uint32_t *uidvalidity_r, uint32_t *dest_uids_r,
    bool move)
{
	size_t	*idx;
	int	 k, ret;

	if (!store_name_valid(dest))
		return store_error(m->store, STORE_ERR_BADNAME,
		    "Invalid mailbox name");
	dest = canon_name(dest);
	if (move && m->readonly)
		return store_error(m->store, STORE_ERR_NOPERM,
		    "Mailbox is read-only");
	if ((k = uids_to_idx(m, uids, n, &idx)) < 0)
		return k;
	if ((size_t)k != n) {
		free(idx);
		return store_error(m->store, STORE_ERR_EXPUNGED,
		    "Some of the messages have been expunged");
	}
	ret = m->ops->copy(m, idx, n, dest, move, uidvalidity_r,
	    dest_uids_r);
	free(idx);
	return ret;
}

int
mbox_copy(struct mbox *m, const uint32_t *uids, size_t n, const char *dest,
    uint32_t *uidvalidity_r, uint32_t *dest_uids_r)
{
	return copy_or_move(m, uids, n, dest, uidvalidity_r, dest_uids_r,
	    false);
}

int
mbox_move(struct mbox *m, const uint32_t *uids, size_t n, const char *dest,
    uint32_t *uidvalidity_r, uint32_t *dest_uids_r)
{
	return copy_or_move(m, uids, n, dest, uidvalidity_r, dest_uids_r,
	    true);
}

int
mbox_notify_fd(struct mbox *m)
{
	return m->ops->notify_fd(m);
}

void
mbox_notify_clear(struct mbox *m)
{
	m->ops->notify_clear(m);
}
