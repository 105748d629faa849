/*
 * mbname: mailbox name encoding and validation at the protocol edge.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/imap_write.h"
#include "lib/log.h"
#include "lib/mutf7.h"
#include "lib/utf8.h"
#include "storage/store.h"
#include "imapd/mbname.h"

static char	*canon_inbox(char *);

bool
mbname_is_inbox(const char *name)
{
	return strcasecmp(name, "INBOX") == 0;
}

/* "inbox" -> "INBOX", "Inbox/x" -> "INBOX/x" (RFC 9051 5.1: INBOX is
 * case-insensitive; its children are matched the same way). */
static char *
canon_inbox(char *name)
{
	if (strncasecmp(name, "INBOX", 5) == 0 &&
	    (name[5] == '\0' || name[5] == MBNAME_DELIM))
		memcpy(name, "INBOX", 5);
	return name;
}

static char *
decode(const char *wire, size_t len, bool rev2, const char **err_r)
{
	char *name;

	if (memchr(wire, '\0', len) != NULL) {
		*err_r = "NUL in mailbox name";
		return NULL;
	}
	if (!utf8_valid(wire, len)) {
		*err_r = "Mailbox name is not valid UTF-8";
		return NULL;
	}
	/* IMAP4rev1 names are modified UTF-7; some clients send raw
	 * UTF-8 anyway, which is unambiguous, so take it as it is. */
	if (!rev2 && memchr(wire, '&', len) != NULL) {
		if ((name = mutf7_decode(wire, len)) == NULL) {
			*err_r = "Invalid modified UTF-7 in mailbox name";
			return NULL;
		}
		return name;
	}
	if ((name = strndup(wire, len)) == NULL)
		fatal("strndup: out of memory");
	return name;
}

char *
mbname_from_client(const char *wire, size_t len, bool rev2,
    const char **err_r)
{
	char *name;

	if ((name = decode(wire, len, rev2, err_r)) == NULL)
		return NULL;
	canon_inbox(name);
	if (!store_name_valid(name)) {
		*err_r = "Invalid mailbox name";
		free(name);
		return NULL;
	}
	return name;
}

char *
mbname_pattern_from_client(const char *wire, size_t len, bool rev2)
{
	const char *err;

	return decode(wire, len, rev2, &err);
}

int
mbname_write(struct buf *b, const char *name, bool rev2)
{
	char *enc;
	int rc;

	if (rev2)
		return imw_astring(b, name, strlen(name));
	if ((enc = mutf7_encode(name, strlen(name))) == NULL)
		return imw_astring(b, name, strlen(name));
	rc = imw_astring(b, enc, strlen(enc));
	free(enc);
	return rc;
}
