/*
 * seqarg: a command's sequence-set argument resolved against the view,
 * including "$" (the saved search result, RFC 9051 6.4.4.1).
 */
#ifndef IMAPD_SEQARG_H
#define IMAPD_SEQARG_H

#include <stddef.h>

#include "lib/imap_parse.h"

struct session;
struct cmd_ctx;

/* Resolve a into ascending view indexes (*idx_r malloc'd, may be NULL
 * when empty). uid: the set holds UIDs. Returns 0, or -1 after answering
 * the command with BAD. */
int	 seqarg_resolve(struct session *, const struct cmd_ctx *,
	    const struct imap_arg *a, size_t **idx_r, size_t *n_r);

#endif
