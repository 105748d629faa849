/*
 * flags: message flag lists on the wire (RFC 9051 2.3.2, 9 "flag-list").
 */
#ifndef IMAPD_FLAGS_H
#define IMAPD_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/imap_parse.h"
#include "storage/store.h"

struct flag_list {
	uint32_t	 flags;		/* MSG_* */
	const char	*kw[STORE_MAX_KEYWORDS + 1];	/* borrowed names */
	size_t		 nkw;
};

/* Parse a parenthesised flag list, or (list_ok false... ) a single flag
 * atom when single_ok. \Recent is accepted and ignored. Returns 0, or -1
 * with *err_r (for BAD). */
int	 flags_parse(const struct imap_arg *, bool single_ok,
	    struct flag_list *, const char **err_r);
/* "(\Seen \Answered kw1 ...)" with \Recent when recent. */
void	 flags_write(struct buf *, uint32_t flags, uint32_t keywords,
	    bool recent, const struct mbox *);
/* "\Answered \Flagged \Deleted \Seen \Draft" + the mailbox's keywords. */
void	 flags_write_all(struct buf *, const struct mbox *);

#endif
