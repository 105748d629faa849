/*
 * maildir_uidlist: the dovecot-uidlist file (UID <-> file name).
 *
 * Version 3, as Dovecot writes it:
 *   3 V<uidvalidity> N<nextuid> G<mailbox guid, 32 hex>[ <other fields>]
 *   <uid>[ <ext fields, e.g. W<vsize> S<size>>] :<file name>
 * (Dovecot 2.3 writes the base name; older versions the whole name.)
 * Version 1 (old Dovecot, and Courier's courierimapuiddb):
 *   1 <uidvalidity> <nextuid>
 *   <uid> <file name>
 * Records are matched by base name (the file name up to ':'), since the
 * flags part changes. Readers need no lock; writers hold
 * dovecot-uidlist.lock and either append whole lines with one write(), or
 * write a new file and rename() it into place. UIDs never go down:
 * nextuid is max(N, highest UID + 1) and is kept across rewrites.
 */
#ifndef STORAGE_MAILDIR_MAILDIR_UIDLIST_H
#define STORAGE_MAILDIR_MAILDIR_UIDLIST_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "storage/maildir/maildir_lock.h"

#define UIDLIST_NAME		"dovecot-uidlist"
#define UIDLIST_COURIER_NAME	"courierimapuiddb"
/* A lock untouched this long is stale (as Dovecot: 2 minutes). */
#define UIDLIST_LOCK_STALE_SECS	120
/* A uidlist bigger than this is refused as corrupt. */
#define UIDLIST_MAX_SIZE	(256u * 1024 * 1024)

struct uidlist_rec {
	uint32_t	 uid;
	uint32_t	 baselen;
	uint64_t	 vsize;		/* from a W field, or UINT64_MAX */
	char		*name;		/* last known file name */
	char		*ext;		/* ext fields ("W12 S10"), or NULL */
};

struct uidlist {
	int			 dfd;		/* folder directory, borrowed */
	bool			 exists;	/* dovecot-uidlist was read */
	bool			 imported;	/* contents came from Courier */
	unsigned int		 version;
	uint32_t		 uidvalidity;
	uint32_t		 nextuid;
	char			 guid[33];
	char			*hdr_extra;	/* unknown header fields */
	struct uidlist_rec	*recs;		/* ascending UIDs */
	size_t			 n, cap;
	uint32_t		*hash;		/* rec index + 1, 0 = empty */
	size_t			 hcap;
	/* What we have read, to notice changes by others. */
	dev_t			 dev;
	ino_t			 ino;
	off_t			 size;
	struct timespec		 mtime;
	off_t			 parsed;	/* end of the last whole line */
	/* The bytes just before parsed: a file replaced by one that got
	 * the same inode number is caught by comparing them. */
	char			 tail[64];
	size_t			 taillen;
	/* Set by parsing: the file needs a rewrite before appending
	 * (partial last line, bad or out-of-order lines, old version). */
	bool			 dirty;
	bool			 unsorted;	/* while parsing */
	bool			 locked;
	struct md_lock		 lock;
};

/* A uidlist for the folder directory dfd (nothing read yet). */
struct uidlist	*uidlist_new(int dfd);
void		 uidlist_free(struct uidlist **);
/* Re-read the file if it changed since the last read (appended lines are
 * read incrementally). If dovecot-uidlist doesn't exist, courierimapuiddb
 * is read instead (imported = true, exists = false). *changed_r (may be
 * NULL) tells whether anything was re-read. Returns 0 or a store_error
 * (errno set for STORE_ERR_IO). */
int		 uidlist_refresh(struct uidlist *, bool *changed_r);
/* Has the file changed since it was read (one stat())? */
bool		 uidlist_changed(struct uidlist *);
/* Parse file contents. from_start: replace everything; else data is what
 * was appended after the lines already parsed. Returns bytes consumed
 * (whole lines), or -1 if the header is unusable. */
ssize_t		 uidlist_parse(struct uidlist *, const char *data, size_t len,
		    bool from_start);
/* The record for a base name, or NULL. */
const struct uidlist_rec *uidlist_lookup(const struct uidlist *,
		    const char *base, size_t baselen);

/* Take / drop dovecot-uidlist.lock. */
int		 uidlist_lock(struct uidlist *, int timeout_ms);
void		 uidlist_unlock(struct uidlist *);
/*
 * Locked: give the n files names[] (full file names) the next UIDs, in
 * order, and write them (an append, or a rewrite when the file needs
 * one). vsizes[] (may be NULL; UINT64_MAX = unknown) are stored as W
 * fields. uids_r (may be NULL) gets the UIDs. Returns 0 or a store_error.
 */
int		 uidlist_append(struct uidlist *, const char *const *names,
		    const uint64_t *vsizes, size_t n, uint32_t *uids_r);
/*
 * Locked: write the whole file anew (dovecot-uidlist.tmp + rename).
 * keep (may be NULL: keep all) says which records stay.
 */
typedef bool	(*uidlist_keep_cb)(const struct uidlist_rec *, void *);
int		 uidlist_rewrite(struct uidlist *, uidlist_keep_cb, void *);
/* Locked: start a new, empty uidlist (when none exists or it must be
 * recreated) and write it. */
int		 uidlist_create(struct uidlist *, uint32_t uidvalidity);

#endif
