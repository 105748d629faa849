/*
 * maildir_subs: the "subscriptions" file in the Maildir root.
 *
 * Read: Dovecot's version 2 format ("V\t2\n\n", then one name per line
 * with its hierarchy levels separated by TAB and TAB-escaped with \001),
 * and the older one-name-per-line format (levels separated by ".", the
 * Maildir++ separator). Levels are decoded from modified UTF-7 where they
 * are valid mUTF-7. Written: version 2 with mUTF-7 levels, the way Dovecot
 * stores Maildir++ names, through subscriptions.lock (Dovecot's dotlock)
 * renamed over the file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/mutf7.h"
#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir.h"
#include "storage/maildir/maildir_lock.h"

#define SUBS_NAME		"subscriptions"
#define SUBS_V2_HEADER		"V\t2\n\n"
#define SUBS_FILE_MAX		(4u * 1024 * 1024)
#define SUBS_LOCK_STALE_SECS	30	/* as Dovecot */

struct names {
	char	**v;
	size_t	  n;
};

static int	 read_file(int, char **, size_t *);
static int	 add_level(struct buf *, const char *, size_t, bool);
static char	*parse_line(const char *, size_t, bool);
static int	 names_add(struct names *, char *);
static int	 load(struct maildir_store *, struct names *);
static int	 put_name(struct buf *, const char *);

static int
read_file(int fd, char **data_r, size_t *len_r)
{
	struct stat	 st;
	size_t		 got = 0;
	ssize_t		 n;
	char		*data;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size > SUBS_FILE_MAX) {
		errno = EFBIG;
		return -1;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL)
		return -1;
	while (got < (size_t)st.st_size) {
		n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	*data_r = data;
	*len_r = got;
	return 0;
}

/* Append one level: TAB-unescaped (v2), then mUTF-7 decoded if it is
 * valid mUTF-7, else taken as it is. */
static int
add_level(struct buf *b, const char *s, size_t len, bool v2)
{
	struct buf	 raw;
	char		*dec;
	size_t		 i;
	int		 ret;

	buf_init(&raw, 1024);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (v2 && c == '\001' && i + 1 < len) {
			switch (s[++i]) {
			case '1': c = '\001'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case '0': c = '\0'; break;
			default: c = s[i]; break;
			}
		}
		if (buf_putc(&raw, c) < 0) {
			buf_release(&raw);
			return -1;
		}
	}
	dec = mutf7_decode(buf_cstr(&raw), raw.len);
	ret = buf_puts(b, dec != NULL ? dec : buf_cstr(&raw));
	free(dec);
	buf_release(&raw);
	return ret;
}

/* A line of the file as a mailbox name (malloc'd), or NULL. */
static char *
parse_line(const char *line, size_t len, bool v2)
{
	struct buf	 b;
	const char	*p = line, *end = line + len, *sep;
	char		 sepc = v2 ? '\t' : '.';
	char		*name;

	buf_init(&b, 4096);
	for (;;) {
		sep = memchr(p, sepc, end - p);
		if ((p != line && buf_putc(&b, '/') < 0) ||
		    add_level(&b, p, sep ? (size_t)(sep - p) :
		    (size_t)(end - p), v2) < 0) {
			buf_release(&b);
			return NULL;
		}
		if (sep == NULL)
			break;
		p = sep + 1;
	}
	name = buf_steal(&b, NULL);
	if (store_name_is_inbox(name)) {
		free(name);
		return strdup("INBOX");
	}
	if (!store_name_valid(name)) {
		free(name);
		return NULL;
	}
	return name;
}

static int
names_add(struct names *ns, char *name)
{
	char	**v;
	size_t	  i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0) {
			free(name);
			return 0;
		}
	if ((v = reallocarray(ns->v, ns->n + 2, sizeof(*v))) == NULL) {
		free(name);
		return -1;
	}
	ns->v = v;
	ns->v[ns->n++] = name;
	ns->v[ns->n] = NULL;
	return 0;
}

static int
load(struct maildir_store *ms, struct names *ns)
{
	const char	*p, *end, *nl;
	char		*data, *name;
	size_t		 len, hlen = strlen(SUBS_V2_HEADER);
	bool		 v2;
	int		 fd, ret = 0;

	memset(ns, 0, sizeof(*ns));
	if ((fd = openat(ms->rootfd, SUBS_NAME, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		return store_error_errno(&ms->base, STORE_ERR_IO,
		    "open(%s)", SUBS_NAME);
	}
	ret = read_file(fd, &data, &len);
	close(fd);
	if (ret < 0)
		return store_error_errno(&ms->base, STORE_ERR_IO,
		    "read(%s)", SUBS_NAME);
	v2 = len >= hlen && memcmp(data, SUBS_V2_HEADER, hlen) == 0;
	p = data + (v2 ? hlen : 0);
	end = data + len;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		if (nl == p)
			continue;
		if ((name = parse_line(p, nl - p, v2)) != NULL &&
		    names_add(ns, name) < 0) {
			ret = store_error(&ms->base, STORE_ERR_IO,
			    "Out of memory");
			break;
		}
	}
	free(data);
	return ret;
}

/* One name in version 2 form: mUTF-7 levels, TAB-separated. */
static int
put_name(struct buf *b, const char *name)
{
	const char	*p = name, *slash;
	char		*enc, *q;
	size_t		 len;
	int		 ret = 0;

	for (;;) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (strcmp(name, "INBOX") == 0)
			enc = strdup("INBOX");
		else
			enc = mutf7_encode(p, len);
		if (enc == NULL)
			return -1;
		if (p != name)
			ret |= buf_putc(b, '\t');
		for (q = enc; *q != '\0' && ret == 0; q++) {
			switch (*q) {
			case '\001': ret = buf_puts(b, "\0011"); break;
			case '\t': ret = buf_puts(b, "\001t"); break;
			case '\r': ret = buf_puts(b, "\001r"); break;
			case '\n': ret = buf_puts(b, "\001n"); break;
			default: ret = buf_putc(b, *q); break;
			}
		}
		free(enc);
		if (ret < 0 || slash == NULL)
			break;
		p = slash + 1;
	}
	return ret < 0 ? -1 : buf_putc(b, '\n');
}

int
md_subscribe(struct store *s, const char *name, bool subscribe)
{
	struct maildir_store	*ms = (struct maildir_store *)s;
	struct md_lock_opts	 o = { ms->lock_timeout_ms,
				    SUBS_LOCK_STALE_SECS, false };
	struct md_lock		 lk;
	struct names		 ns;
	struct buf		 b;
	size_t			 i, k;
	bool			 found = false;
	int			 ret;

	/* Read-modify-write under the lock, so no change gets lost. */
	if ((ret = md_lock_take(ms->rootfd, SUBS_NAME, &o, &lk)) < 0)
		return store_error_errno(s, ret, "Can't lock %s", SUBS_NAME);
	if ((ret = load(ms, &ns)) < 0) {
		md_lock_release(&lk);
		return ret;
	}
	for (i = k = 0; i < ns.n; i++) {
		if (strcmp(ns.v[i], name) == 0) {
			found = true;
			if (!subscribe) {
				free(ns.v[i]);
				continue;
			}
		}
		ns.v[k++] = ns.v[i];
	}
	ns.n = k;
	if (found == subscribe) {
		md_lock_release(&lk);
		store_names_free(&ns.v, ns.n);
		return 0;
	}
	buf_init(&b, SUBS_FILE_MAX);
	ret = buf_puts(&b, SUBS_V2_HEADER);
	for (i = 0; i < ns.n && ret == 0; i++)
		ret = put_name(&b, ns.v[i]);
	if (ret == 0 && subscribe)
		ret = put_name(&b, name);
	store_names_free(&ns.v, ns.n);
	if (ret < 0 || write(md_lock_fd(&lk), b.data, b.len) !=
	    (ssize_t)b.len) {
		buf_release(&b);
		md_lock_release(&lk);
		return store_error(s, STORE_ERR_IO, "Can't write %s",
		    SUBS_NAME);
	}
	buf_release(&b);
	if ((ret = md_lock_replace(&lk)) < 0)
		return store_error_errno(s, ret, "Can't replace %s",
		    SUBS_NAME);
	return 0;
}

int
md_subscriptions(struct store *s, char ***names_r, size_t *n_r)
{
	struct names	ns;
	int		ret;

	if ((ret = load((struct maildir_store *)s, &ns)) < 0)
		return ret;
	if (ns.v == NULL && (ns.v = calloc(1, sizeof(*ns.v))) == NULL)
		return store_error(s, STORE_ERR_IO, "Out of memory");
	*names_r = ns.v;
	*n_r = ns.n;
	return 0;
}
