/*
 * maildir: internals shared by the Maildir backend's files.
 *
 * On disk (Maildir++, as Dovecot and Courier lay it out):
 *   root/{cur,new,tmp}          INBOX
 *   root/.A.B/{cur,new,tmp}     mailbox "A/B" (each level mUTF-7)
 *   root/.A.B/maildirfolder     marks a folder
 *   <folder>/dovecot-uidlist    UIDs (maildir_uidlist.h)
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
/* A uidlist lock untouched this long is stale (as Dovecot: 2 min). */
#define MD_LOCK_STALE_SECS	120
/* Directory mtimes younger than this can't prove "no change" (a change
 * in the same timestamp tick would leave the mtime equal). */
#define MD_MTIME_TRUST_SECS	2

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
	size_t		 cap;
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

/* maildir_folder.c */
int	 md_folder_open(struct maildir_store *, const char *name,
	    struct md_folder **);
void	 md_folder_close(struct md_folder **);
/* Take dovecot-uidlist.lock, re-read the uidlist and create it if it is
 * missing (importing courierimapuiddb). */
int	 md_folder_lock(struct md_folder *);
void	 md_folder_unlock(struct md_folder *);
/* Create a folder's directory atomically (built in tmp/, then renamed). */
int	 md_folder_create(struct maildir_store *, const char *dirname);
/* Next UIDVALIDITY for a new mailbox (never repeats in this Maildir). */
uint32_t md_uidvalidity_next(struct maildir_store *);
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
int	 md_sync(struct md_mbox *);
/* RFC822.SIZE of a file by reading it (names without W=). */
int	 md_file_vsize(int dfd, const char *path, uint64_t *vsize_r);

/* maildir_mbox.c */
int	 md_mbox_open(struct store *, const char *, bool, struct mbox **);
struct md_mbox *md_mbox_new(struct md_folder *, bool readonly);
void	 md_mbox_free(struct md_mbox *);
/* Rebuild letter <-> keyword index maps from the folder's keywords. */
int	 md_mbox_kw_update(struct md_mbox *);
/* Letters for keyword bits, adding missing names to dovecot-keywords
 * (caller holds the folder lock). */
int	 md_mbox_kw_letters(struct md_mbox *, uint32_t kw, uint32_t *letters_r);

/* maildir_save.c */
int	 md_append(struct store *, const char *, const struct store_append *,
	    uint32_t *, uint32_t *);
int	 md_copy(struct mbox *, const size_t *, size_t, const char *, bool,
	    uint32_t *, uint32_t *);
/* Move INBOX's messages into the new folder dest (RENAME INBOX). */
int	 md_move_inbox(struct maildir_store *, const char *dest);

/* maildir_subs.c */
int	 md_subscribe(struct store *, const char *, bool);
int	 md_subscriptions(struct store *, char ***, size_t *);

#endif
