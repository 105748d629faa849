/*
 * session: the authenticated and selected states of one client, served
 * by the user process (never root). Holds the store, the selected mailbox
 * and the client's view of it.
 */
#ifndef IMAPD_SESSION_H
#define IMAPD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/imap_parse.h"
#include "storage/store.h"
#include "imapd/client.h"
#include "imapd/view.h"

struct session {
	struct client		*client;
	struct account		 acct;
	struct store		*store;
	bool			 rev2;		/* ENABLE IMAP4rev2 was done */
	bool			 logout;
	/* selected state */
	struct mbox		*mbox;
	char			*mbox_name;	/* store name of the selection */
	struct view		 view;
	/* SEARCHRES (RFC 5182, RFC 9051 6.4.4.1): UIDs saved by SAVE */
	uint32_t		*saved;
	size_t			 nsaved;
	/* the command in progress may be followed by EXPUNGE responses */
	bool			 allow_expunge;
};

/* Serve the authenticated state until LOGOUT or disconnect. login_tag:
 * the tag of the LOGIN/AUTHENTICATE that succeeded in the pre-auth
 * process (this process answers it), or NULL for PREAUTH mode (this
 * process sends the "* PREAUTH" greeting). Takes ownership of store. */
void	 session_run(struct client *, const struct account *,
	    struct store *, const char *login_tag);

/* Send pending untagged updates for the selected mailbox.
 * allow_expunge: EXPUNGE responses may be sent now (RFC 9051 7.5.1: not
 * during FETCH, STORE, SEARCH by sequence number). */
void	 session_sync(struct session *, bool allow_expunge);
/* Leave the selected state (no expunge). */
void	 session_deselect(struct session *);

/* Answer a store error: "tag NO [CODE] text" (one place for the mapping).
 * tryc: a missing mailbox is [TRYCREATE] (APPEND/COPY/MOVE target). */
void	 session_store_error(struct session *, const char *tag, int err,
	    bool trycreate);

#include "imapd/commands.h"

/* Finish a command: send pending updates (EXPUNGE only where the command
 * allows it), then "tag OK text" / "tag NO text". */
void	 session_ok(struct session *, const struct cmd_ctx *,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	 session_no(struct session *, const struct cmd_ctx *,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "tag BAD text" (syntax); counts towards max_bad_commands. */
void	 session_bad(struct session *, const struct cmd_ctx *,
	    const char *text);

#endif
