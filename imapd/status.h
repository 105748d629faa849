/*
 * status: STATUS data items (RFC 9051 6.3.11), shared by STATUS and
 * LIST ... RETURN (STATUS (...)) (RFC 5819).
 */
#ifndef IMAPD_STATUS_H
#define IMAPD_STATUS_H

#include "lib/imap_parse.h"

struct session;

#define STATUS_MESSAGES		0x01
#define STATUS_UIDNEXT		0x02
#define STATUS_UIDVALIDITY	0x04
#define STATUS_UNSEEN		0x08
#define STATUS_DELETED		0x10
#define STATUS_SIZE		0x20
#define STATUS_RECENT		0x40

/* Parse "(MESSAGES UNSEEN ...)". Returns the mask, or 0 (invalid; *err_r
 * set). RECENT is accepted from IMAP4rev1 clients only. */
unsigned status_items_parse(const struct imap_arg *, bool rev2,
	    const char **err_r);
/* Send "* STATUS name (...)". Returns a store error (nothing sent). */
int	 status_send(struct session *, const char *name, unsigned items);

#endif
