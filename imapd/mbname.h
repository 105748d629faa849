/*
 * mbname: mailbox names between the wire and the store. IMAP4rev2 clients
 * use UTF-8; IMAP4rev1 clients modified UTF-7 (RFC 9051 5.1, Appendix E).
 * The store sees UTF-8, "/" as delimiter, and "INBOX" for any case of it.
 */
#ifndef IMAPD_MBNAME_H
#define IMAPD_MBNAME_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

#define MBNAME_DELIM	'/'

/*
 * Decode a client's mailbox argument into a malloc'd store name.
 * Returns NULL with *err_r (static text, for NO [CANNOT]) if the name is
 * not valid for the client's mode or could escape the store.
 */
char	*mbname_from_client(const char *wire, size_t len, bool rev2,
	    const char **err_r);
/* As above for LIST patterns: wildcards allowed, no validity check of
 * levels. */
char	*mbname_pattern_from_client(const char *wire, size_t len, bool rev2);
/* Write a store name as the client expects it (astring / string). */
int	 mbname_write(struct buf *, const char *name, bool rev2);
/* Is name "INBOX" (any case)? */
bool	 mbname_is_inbox(const char *name);

#endif
