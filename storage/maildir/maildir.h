/*
 * maildir: internals shared by the Maildir backend's files.
 *
 * On disk (Maildir++, as Dovecot and Courier lay it out):
 *   root/{cur,new,tmp}          INBOX
 *   root/.A.B/{cur,new,tmp}     mailbox "A/B" (each level mUTF-7)
 *   root/.A.B/maildirfolder     marks a folder
 *   <folder>/dovecot-uidlist    UIDs (maildir_uidlist.h), written under
 *                               dovecot-uidlist.lock (maildir_lock.h)
 *   <folder>/dovecot-keywords   keyword letters (maildir_keywords.h)
 *   root/subscriptions          subscribed names (maildir_subs.c)
 *   root/dovecot-uidvalidity*   UIDVALIDITY allocator shared with Dovecot
 */
#ifndef STORAGE_MAILDIR_MAILDIR_H
#define STORAGE_MAILDIR_MAILDIR_H

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "storage/store_private.h"
#include "storage/maildir/maildir_keywords.h"
#include "storage/maildir/maildir_uidlist.h"

#define MD_HOST_MAX		128
/* How long to wait for dovecot-uidlist.lock before STORE_ERR_INUSE. */
#define MD_LOCK_TIMEOUT_MS	30000
/* Directory mtimes younger than this can't prove "no change": a change
 * in the same timestamp tick leaves the mtime as it was. Whole-second
 * timestamps (file systems without finer ones) need longer than
 * nanosecond ones, which move with the kernel's clock tick. */
#define MD_MTIME_TRUST_MS	100
#define MD_MTIME_TRUST_MS_COARSE 2000
/* Files left in tmp/ longer than this are debris (as Dovecot: 36 h). */
#define MD_TMP_MAX_AGE		(36 * 60 * 60)

struct maildir_store {
	struct store	 base;
	char		*root;		/* absolute path */
	int		 rootfd;
	char		 host[MD_HOST_MAX];	/* escaped, for filenames */
	uint32_t	 counter;	/* makes new file names unique */
	int		 lock_timeout_ms;
};

/* One folder's directory and its metadata files. */
struct md_folder {
	struct maildir_store	*ms;
	char			*dirname;	/* "" (INBOX) or ".A.B" */
	int			 dfd;
	struct uidlist		*ul;
	struct md_keywords	 kw;
	bool			 locked;
};

/* Per message of a selected mailbox, parallel to mbox.msgs. */
struct md_file {
	char		*name;		/* current file name in cur/ or new/ */
	uint32_t	 baselen;	/* name up to ':' */
	bool		 in_new;
};

struct md_mbox {
	struct mbox	 base;
	struct md_folder *f;
	struct md_file	*files;
	/* letter (0..25) -> keyword index, 0xff none; and back, -1 none. */
	uint8_t		 letter_kw[MD_KEYWORDS_MAX];
	int8_t		 kw_letter[STORE_MAX_KEYWORDS];
	/* Directory state as of the last full scan (fast path). */
	struct timespec	 cur_mtime;
	struct timespec	 new_mtime;
	bool		 scanned;
	bool		 dirty;		/* next sync must rescan */
	bool		 status_only;	/* store_status: skip stat() */
	int		 notify_fd;
};

/*
 * All functions returning int give 0 or a negative store_error, with the
 * store's error text set, unless said otherwise.
 */

/* maildir_folder.c */
/* Open the folder of a (valid) mailbox name; NONEXISTENT if it has no
 * cur/. *f_r is freed with md_folder_close(). */
int	 md_folder_open(struct maildir_store *, const char *name,
	    struct md_folder **f_r);
void	 md_folder_close(struct md_folder **);
/* Take dovecot-uidlist.lock, re-read the uidlist and create it if it is
 * missing (importing courierimapuiddb). Locks don't nest. */
int	 md_folder_lock(struct md_folder *);
void	 md_folder_unlock(struct md_folder *);
/* Create a folder's directory atomically (built in tmp/, then renamed).
 * Returns a store_error without setting the error text. */
int	 md_folder_create(struct maildir_store *, const char *dirname);
/* Next UIDVALIDITY for a new mailbox (never repeats in this Maildir). */
uint32_t md_uidvalidity_next(struct maildir_store *);
/* Remove debris older than MD_TMP_MAX_AGE from the folder's tmp/. */
void	 md_tmp_clean(int dfd);
/* Remove dir (relative to dfd) and everything in it; 0 or -1. */
int	 md_rmtree(int dfd, const char *dir);
/* rename() that never replaces an existing file (EEXIST instead). */
int	 md_rename_noreplace(int fromfd, const char *from, int tofd,
	    const char *to);
/* fsync a subdirectory ("cur", "new", ...) of dfd. */
int	 md_fsync_dir(int dfd, const char *sub);
/* Find the current name of the message with this base in cur/ or new/.
 * Returns 1 (found; *name_r malloc'd), 0 (gone) or a store_error. */
int	 md_find_file(struct md_folder *, const char *base, size_t baselen,
	    char **name_r, bool *in_new_r);
/* A unique name for the next file we create. */
int	 md_new_base(struct maildir_store *, uint64_t size, uint64_t vsize,
	    char *buf, size_t len);

/* maildir_sync.c */
/* Bring mm's state up to date (see maildir_sync.c). */
int	 md_sync(struct md_mbox *mm);
/* RFC822.SIZE of a file by reading it (names without W=); 0 or -1. */
int	 md_file_vsize(int dfd, const char *path, uint64_t *vsize_r);

/* maildir_mbox.c */
/* The store's mbox_open op: open the folder and sync it. */
int	 md_mbox_open(struct store *, const char *, bool, struct mbox **);
/* An mbox on folder f (which it takes over), not synced yet; NULL when
 * out of memory. md_mbox_free() frees both. */
struct md_mbox *md_mbox_new(struct md_folder *f, bool readonly);
void	 md_mbox_free(struct md_mbox *);
/* Rebuild letter <-> keyword index maps from the folder's keywords. */
int	 md_mbox_kw_update(struct md_mbox *);
/* Letters for keyword bits, adding missing names to dovecot-keywords
 * (caller holds the folder lock). */
int	 md_mbox_kw_letters(struct md_mbox *, uint32_t kw, uint32_t *letters_r);

/* maildir_save.c */
/* The store's append op (store_append()). */
int	 md_append(struct store *, const char *, const struct store_append *,
	    uint32_t *, uint32_t *);
/* The mbox copy op: mbox_copy(), and mbox_move() when move is set. */
int	 md_copy(struct mbox *, const size_t *idx, size_t n,
	    const char *dest, bool move, uint32_t *uidvalidity_r,
	    uint32_t *dest_uids_r);
/* Move INBOX's messages into the new folder dest (RENAME INBOX). */
int	 md_move_inbox(struct maildir_store *, const char *dest);

/* maildir_subs.c: the store's subscription ops. */
int	 md_subscribe(struct store *, const char *, bool);
int	 md_subscriptions(struct store *, char ***, size_t *);

#endif
