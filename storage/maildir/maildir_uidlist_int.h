/*
 * maildir_uidlist_int: what maildir_uidlist.c (reading) shares with
 * maildir_uidlist_write.c (writing). Not for other files.
 */
#ifndef STORAGE_MAILDIR_MAILDIR_UIDLIST_INT_H
#define STORAGE_MAILDIR_MAILDIR_UIDLIST_INT_H

#include <sys/stat.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/maildir/maildir_uidlist.h"

/* Free all records (the arrays stay allocated). */
void	 uidlist_recs_clear(struct uidlist *);
/* Add a record (see the format in maildir_uidlist.h); 0 or -1 (out of
 * memory). Invalid or repeated records are skipped, marking the list
 * dirty. */
int	 uidlist_add_rec(struct uidlist *, uint32_t uid, const char *name,
	    size_t namelen, const char *ext, size_t extlen, uint64_t vsize);
/* Rebuild the base name hash after records moved; 0 or -1. */
int	 uidlist_hash_rebuild(struct uidlist *);
/* Remember which file (and how much of it) we have read. */
void	 uidlist_set_identity(struct uidlist *, const struct stat *);
/* Remember the last bytes parsed: data[0..len) was parsed last, after
 * what came before unless reset. */
void	 uidlist_tail_update(struct uidlist *, const char *data, size_t len,
	    bool reset);

#endif
