/*
 * maildir_names: mailbox name <-> Maildir++ directory name.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/mutf7.h"
#include "storage/store.h"
#include "storage/store_private.h"
#include "storage/maildir/maildir_names.h"

#define DIRNAME_MAX	NAME_MAX

static int	 add_level(struct buf *, const char *, size_t, bool);

/* Append "." and the encoded level; the first level "inbox" (any case)
 * is always written "INBOX". */
static int
add_level(struct buf *b, const char *lvl, size_t len, bool first)
{
	char	*enc;
	int	 ret;

	if (buf_putc(b, '.') < 0)
		return -1;
	if (first && len == 5 && strncasecmp(lvl, "INBOX", 5) == 0)
		return buf_puts(b, "INBOX");
	if ((enc = mutf7_encode(lvl, len)) == NULL)
		return -1;
	ret = buf_puts(b, enc);
	free(enc);
	return ret;
}

char *
md_name_to_dir(const char *name)
{
	struct buf	 b;
	const char	*p, *slash;
	bool		 first = true;

	if (strcmp(name, "INBOX") == 0)
		return strdup("");
	if (!store_name_valid(name))
		return NULL;
	buf_init(&b, DIRNAME_MAX);
	for (p = name;; p = slash + 1) {
		slash = strchr(p, '/');
		if (add_level(&b, p, slash ? (size_t)(slash - p) : strlen(p),
		    first) < 0) {
			buf_release(&b);
			return NULL;
		}
		first = false;
		if (slash == NULL)
			break;
	}
	return buf_steal(&b, NULL);
}

char *
md_dir_to_name(const char *d)
{
	struct buf	 b;
	const char	*p, *dot;
	char		*dec, *name;
	size_t		 len;

	if (d[0] != '.' || d[1] == '\0')
		return NULL;
	buf_init(&b, 4 * DIRNAME_MAX);
	for (p = d + 1;; p = dot + 1) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		if (len == 0 || (dec = mutf7_decode(p, len)) == NULL)
			goto bad;
		/* "inbox" spelled otherwise than "INBOX" on disk is a name
		 * we would never create and could not reach. */
		if (p == d + 1 && strcasecmp(dec, "INBOX") == 0 &&
		    strncmp(p, "INBOX", len) != 0) {
			free(dec);
			goto bad;
		}
		if ((p != d + 1 && buf_putc(&b, '/') < 0) ||
		    buf_puts(&b, dec) < 0) {
			free(dec);
			goto bad;
		}
		free(dec);
		if (dot == NULL)
			break;
	}
	name = buf_steal(&b, NULL);
	/* ".INBOX" alone would shadow the real INBOX. */
	if (name == NULL || !store_name_valid(name) ||
	    strcmp(name, "INBOX") == 0) {
		free(name);
		return NULL;
	}
	return name;
bad:
	buf_release(&b);
	return NULL;
}
