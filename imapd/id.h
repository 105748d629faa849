/*
 * id: the ID command (RFC 2971), valid in every state.
 */
#ifndef IMAPD_ID_H
#define IMAPD_ID_H

#include <stddef.h>

#include "lib/imap_parse.h"
#include "imapd/client.h"

/* Check the arguments, log the client's fields (escaped), send
 * "* ID (...)". Returns 0, or -1 after answering BAD. */
int	 id_command(struct client *, const char *tag,
	    const struct imap_arg *args, size_t nargs);

#endif
