/*
 * store: the only interface imapd uses for mail. One store is one user's
 * mail (a Maildir root, or an in-memory store for tests and demos).
 *
 * Mailbox names at this interface are UTF-8 with "/" as the hierarchy
 * delimiter; "INBOX" (any case) is the inbox and is always passed here as
 * "INBOX". The caller (imapd) validates names with store_name_valid()
 * first; the store refuses invalid names anyway (STORE_ERR_BADNAME).
 *
 * All functions return 0 on success or a negative enum store_error; the
 * store keeps a human-readable text for the last error (store_errstr()).
 * Messages are addressed by UID. A selected mailbox (struct mbox) has a
 * current state: the messages as of the last mbox_sync() or change made
 * through this mbox; imapd compares it with what the client has been told.
 */
#ifndef STORAGE_STORE_H
#define STORAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum store_error {
	STORE_OK = 0,
	STORE_ERR_NONEXISTENT = -1,	/* [NONEXISTENT] / [TRYCREATE] */
	STORE_ERR_EXISTS = -2,		/* [ALREADYEXISTS] */
	STORE_ERR_BADNAME = -3,		/* [CANNOT] */
	STORE_ERR_NOPERM = -4,		/* [NOPERM] */
	STORE_ERR_INUSE = -5,		/* [INUSE]: lock timeout */
	STORE_ERR_LIMIT = -6,		/* [LIMIT]: e.g. too many keywords */
	STORE_ERR_EXPUNGED = -7,	/* [EXPUNGEISSUED] */
	STORE_ERR_OVERQUOTA = -8,	/* [OVERQUOTA]: disk full / EDQUOT */
	STORE_ERR_HASCHILDREN = -9,	/* [HASCHILDREN] */
	STORE_ERR_IO = -10,		/* [SERVERBUG] / [UNAVAILABLE] */
	STORE_ERR_CORRUPT = -11		/* [CORRUPTION] */
};

/* System flags (bits of msg.flags). */
#define MSG_SEEN	0x01
#define MSG_ANSWERED	0x02
#define MSG_FLAGGED	0x04
#define MSG_DELETED	0x08
#define MSG_DRAFT	0x10

/* Keywords per mailbox: Maildir maps them to the letters a-z. */
#define STORE_MAX_KEYWORDS	26

struct store;
struct mbox;

/* One message of a selected mailbox's current state. */
struct msg {
	uint32_t	 uid;
	uint32_t	 flags;		/* MSG_* */
	uint32_t	 keywords;	/* bit i = keyword i of the mailbox */
	bool		 recent;	/* \Recent for this mbox (IMAP4rev1) */
	time_t		 internaldate;
	uint64_t	 size;		/* RFC822.SIZE: size with CRLF endings */
};

/* Message contents, CRLF line endings, as served to clients. */
struct msg_body {
	const char	*data;
	size_t		 len;
	void		*priv;		/* for msg_body_release() */
};

struct store_mailbox {
	char		*name;		/* UTF-8, "/"-separated; "INBOX" */
};

struct store_status {
	uint32_t	 messages;
	uint32_t	 recent;
	uint32_t	 uidnext;
	uint32_t	 uidvalidity;
	uint32_t	 unseen;
	uint32_t	 deleted;
	uint64_t	 size;		/* sum of RFC822.SIZE */
};

struct store_append {
	const char	*data;		/* as the client sent it (CRLF) */
	size_t		 len;
	uint32_t	 flags;		/* MSG_* */
	const char	**keywords;	/* names */
	size_t		 nkeywords;
	time_t		 internaldate;	/* 0: now */
};

/* --- opening ---------------------------------------------------------- */

/* Open (creating it and its cur/new/tmp if missing) the Maildir at path. */
struct store	*store_maildir_open(const char *path, char **err_r);
/* A new, empty in-memory store with an INBOX. */
struct store	*store_memory_open(void);
void		 store_close(struct store **);
/* Text describing the last error on this store (never NULL). */
const char	*store_errstr(const struct store *);

/* Is name a valid mailbox name for this store (UTF-8, no "..", no empty
 * levels, no leading "." in a level, no "/" at either end, no control
 * characters, not too long)? */
bool		 store_name_valid(const char *name);

/* --- mailboxes ---------------------------------------------------------- */

/* All existing (selectable) mailboxes, INBOX first, then sorted. Parents
 * that exist only as a prefix of a child are not listed. */
int	 store_list(struct store *, struct store_mailbox **v_r, size_t *n_r);
void	 store_list_free(struct store_mailbox **v, size_t n);
int	 store_create(struct store *, const char *name);
/* Delete a mailbox and its messages (not its children). INBOX: NOPERM. */
int	 store_delete(struct store *, const char *name);
/* Rename a mailbox and its children. Renaming INBOX moves its messages
 * into a new mailbox and leaves INBOX empty (RFC 9051 6.3.6). */
int	 store_rename(struct store *, const char *from, const char *to);
int	 store_subscribe(struct store *, const char *name, bool subscribe);
/* The subscribed names (whether or not they exist). */
int	 store_subscriptions(struct store *, char ***names_r, size_t *n_r);
void	 store_names_free(char ***names, size_t n);
int	 store_status(struct store *, const char *name, struct store_status *);
/* Save one message; *uidvalidity_r and *uid_r (either may be NULL) get the
 * new message's UIDVALIDITY and UID. The message is durable on return. */
int	 store_append(struct store *, const char *name,
	    const struct store_append *, uint32_t *uidvalidity_r,
	    uint32_t *uid_r);

/* --- a selected mailbox ---------------------------------------------- */

/* readonly: EXAMINE (no flag changes, \Recent not claimed). */
int	 mbox_open(struct store *, const char *name, bool readonly,
	    struct mbox **mbox_r);
void	 mbox_close(struct mbox **);
bool	 mbox_readonly(const struct mbox *);
uint32_t mbox_uidvalidity(const struct mbox *);
uint32_t mbox_uidnext(const struct mbox *);

/* Pick up changes made by others (new mail gets UIDs). */
int	 mbox_sync(struct mbox *);
/* Current state: messages sorted by UID. Valid until the next call that
 * changes the mbox (sync, set_flags, expunge, copy, move). */
size_t	 mbox_count(const struct mbox *);
const struct msg *mbox_msgs(const struct mbox *);
/* Binary search by UID; NULL if not in the current state. */
const struct msg *mbox_find(const struct mbox *, uint32_t uid);

/* The mailbox's keyword names (index i = bit i of msg.keywords). */
size_t	 mbox_keyword_count(const struct mbox *);
const char *mbox_keyword(const struct mbox *, size_t i);
/* Index of keyword name (case-insensitive); create: add it if missing.
 * -1 if missing (create false) or STORE_ERR_LIMIT if no slot is left. */
int	 mbox_keyword_index(struct mbox *, const char *name, bool create);

/* Set a message's flags and keywords (absolute values). */
int	 mbox_set_flags(struct mbox *, uint32_t uid, uint32_t flags,
	    uint32_t keywords);
/* Read a message's contents. STORE_ERR_EXPUNGED if it is gone. */
int	 mbox_msg_open(struct mbox *, uint32_t uid, struct msg_body *);
void	 msg_body_release(struct msg_body *);
/* Permanently remove messages (missing ones are ignored). */
int	 mbox_expunge(struct mbox *, const uint32_t *uids, size_t n);
/* Copy messages to mailbox dest with their flags and keywords;
 * dest_uids_r (n entries, may be NULL) gets the new UIDs in the order of
 * uids; *uidvalidity_r the destination's UIDVALIDITY. Messages that
 * vanished meanwhile: STORE_ERR_EXPUNGED (nothing copied). */
int	 mbox_copy(struct mbox *, const uint32_t *uids, size_t n,
	    const char *dest, uint32_t *uidvalidity_r, uint32_t *dest_uids_r);
/* As mbox_copy, then expunge the originals (atomically per message where
 * the backend can). */
int	 mbox_move(struct mbox *, const uint32_t *uids, size_t n,
	    const char *dest, uint32_t *uidvalidity_r, uint32_t *dest_uids_r);

/* A descriptor that becomes readable when the mailbox may have changed
 * (inotify on Maildir), or -1 if the backend cannot tell (poll instead).
 * mbox_notify_clear() drains it. */
int	 mbox_notify_fd(struct mbox *);
void	 mbox_notify_clear(struct mbox *);

#endif
