/*
 * store_private: what storage backends share with the dispatch layer
 * (store.c). Not for imapd: imapd only sees storage/store.h.
 *
 * A backend allocates its own struct with struct store (or struct mbox)
 * as the first member and fills in the ops table. store.c validates
 * arguments (names, UIDs, read-only state) before calling an op, so ops
 * may assume valid names and UIDs that are in the mbox's current state.
 */
#ifndef STORAGE_STORE_PRIVATE_H
#define STORAGE_STORE_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/store.h"

#define STORE_ERRSTR_MAX	256
/* Longest keyword name accepted (RFC 9051 has no limit; Dovecot uses a
 * line-based file, so this only keeps memory bounded). */
#define STORE_KEYWORD_MAX	128

struct store_ops {
	void	(*close)(struct store *);
	int	(*list)(struct store *, struct store_mailbox **, size_t *);
	int	(*create)(struct store *, const char *);
	int	(*delete)(struct store *, const char *);
	int	(*rename)(struct store *, const char *, const char *);
	int	(*subscribe)(struct store *, const char *, bool);
	int	(*subscriptions)(struct store *, char ***, size_t *);
	int	(*status)(struct store *, const char *, struct store_status *);
	int	(*append)(struct store *, const char *,
		    const struct store_append *, uint32_t *, uint32_t *);
	int	(*mbox_open)(struct store *, const char *, bool,
		    struct mbox **);
};

struct mbox_ops {
	void	(*close)(struct mbox *);
	int	(*sync)(struct mbox *);
	/* Add a keyword that is not in the mbox's list yet; returns its
	 * index (after store_kw_add()) or a negative store_error. */
	int	(*keyword_add)(struct mbox *, const char *);
	/* idx: index of the message in the current state. */
	int	(*set_flags)(struct mbox *, size_t idx, uint32_t flags,
		    uint32_t keywords);
	int	(*msg_open)(struct mbox *, size_t idx, struct msg_body *);
	/* idx: indexes into the current state, n > 0. */
	int	(*expunge)(struct mbox *, const size_t *idx, size_t n);
	int	(*copy)(struct mbox *, const size_t *idx, size_t n,
		    const char *dest, bool move, uint32_t *uidvalidity_r,
		    uint32_t *dest_uids_r);
	int	(*notify_fd)(struct mbox *);
	void	(*notify_clear)(struct mbox *);
};

struct store {
	const struct store_ops	*ops;
	char			 errstr[STORE_ERRSTR_MAX];
};

struct mbox {
	const struct mbox_ops	*ops;
	struct store		*store;
	bool			 readonly;
	uint32_t		 uidvalidity;
	uint32_t		 uidnext;
	/* Current state, sorted by UID; owned by the backend. */
	struct msg		*msgs;
	size_t			 count;
	/* Keyword names; index i is bit i of msg.keywords. Only ever
	 * appended to while the mbox is open. */
	char			*keywords[STORE_MAX_KEYWORDS];
	size_t			 nkeywords;
};

/* Record an error text on the store; returns err so callers can write
 * "return store_error(s, STORE_ERR_IO, ...)". */
int	 store_error(struct store *, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* As store_error, appending ": strerror(errno)". */
int	 store_error_errno(struct store *, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Map an errno from a failed write/create to a store_error
 * (ENOSPC/EDQUOT -> OVERQUOTA, EACCES/EPERM/EROFS -> NOPERM, else IO). */
int	 store_errno_code(int errnum);

/* Is name "INBOX" (any case)? */
bool	 store_name_is_inbox(const char *name);

/* Keyword list helpers for backends. store_kw_find: index of name
 * (ASCII case-insensitive) or -1. store_kw_add: append a copy of name;
 * returns its index or STORE_ERR_LIMIT. store_kw_valid: is name usable as
 * a keyword (an IMAP atom, not a system flag, bounded length)? */
int	 store_kw_find(const struct mbox *, const char *name);
int	 store_kw_add(struct mbox *, const char *name);
bool	 store_kw_valid(const char *name);
void	 store_kw_free(struct mbox *);

/* CRLF handling shared by backends. store_crlf_clean: every LF is preceded
 * by CR, no other CR, no NUL. store_crlf_size: size once every bare LF
 * becomes CRLF. store_crlf_convert: write that form into out (which has
 * room for store_crlf_size() bytes); returns the length written. */
bool	 store_crlf_clean(const char *data, size_t len);
uint64_t store_crlf_size(const char *data, size_t len);
size_t	 store_crlf_convert(const char *data, size_t len, char *out);

#endif
