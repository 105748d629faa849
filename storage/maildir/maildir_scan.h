/*
 * maildir_scan: one look at a folder's new/ and cur/ directories, for
 * maildir_sync.c. Names live in one arena; entries refer to them by
 * offset so the arena can grow.
 */
#ifndef STORAGE_MAILDIR_MAILDIR_SCAN_H
#define STORAGE_MAILDIR_MAILDIR_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "storage/maildir/maildir.h"

struct scan_ent {
	size_t		 off;		/* name in the arena */
	uint32_t	 baselen;
	uint32_t	 uid;		/* 0: none (yet) */
	bool		 in_new;
	bool		 recent;	/* moved from new/ by this sync */
	bool		 dead;		/* gone while we looked */
};

struct scan {
	char		*arena;
	size_t		 alen, acap;
	struct scan_ent	*v;
	size_t		 n, cap;
	/* Directory mtimes seen before reading them, and the time then. */
	struct timespec	 cur_mtime;
	struct timespec	 new_mtime;
	struct timespec	 when;
};

static inline const char *
scan_name(const struct scan *sc, const struct scan_ent *e)
{
	return sc->arena + e->off;
}

void	 scan_free(struct scan *);
/* Read new/ and cur/ of the folder (again, if a directory changed while
 * it was read). Returns 0 or a store_error. */
int	 scan_folder(struct md_folder *, struct scan *);
/* Add a copy of e (from another scan) to sc. */
int	 scan_add_from(struct scan *sc, const struct scan *from,
	    const struct scan_ent *e);
/* Locked, read-write: move new/ files to cur/ (claiming \Recent). */
void	 scan_move_new(struct md_folder *, struct scan *);
/* Give each entry the UID the uidlist has for its base name. When
 * locked, a base name seen twice gets a fresh name for the second file
 * (or the extra hard link is removed). */
void	 scan_resolve(struct md_folder *, struct scan *);
/* Sort entries by UID (0 last). */
void	 scan_sort_uid(struct scan *);
/* The entry with this UID (after scan_sort_uid), or NULL. */
struct scan_ent *scan_find_uid(struct scan *, uint32_t uid);

#endif
