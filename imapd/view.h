/*
 * view: what the client has been told about the selected mailbox:
 * message sequence numbers, flags last reported, EXISTS count. Compared
 * with the store's current state to produce untagged EXISTS / EXPUNGE /
 * FETCH / FLAGS responses at the moments RFC 9051 7 allows.
 */
#ifndef IMAPD_VIEW_H
#define IMAPD_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/seqset.h"
#include "storage/store.h"

struct view_msg {
	uint32_t	 uid;
	uint32_t	 flags;		/* as last reported to the client */
	uint32_t	 keywords;
	bool		 recent;
	bool		 gone;		/* expunged, EXPUNGE not yet sent */
};

struct view {
	struct view_msg	*v;		/* index = message sequence number - 1 */
	size_t		 n;
	size_t		 cap;
	size_t		 nkeywords;	/* keywords announced in FLAGS */
};

void	 view_clear(struct view *);
/* Append a message at the end (new UID larger than all others). */
void	 view_append(struct view *, const struct msg *);
/* Remove entry i (sequence number i + 1). */
void	 view_remove(struct view *, size_t i);
/* Index of uid, or -1. */
long	 view_find_uid(const struct view *, uint32_t uid);
uint32_t view_max_uid(const struct view *);

/*
 * Resolve a sequence set against the view into the ascending list of
 * indexes it names. uid: the set holds UIDs ("*" = the largest UID; UIDs
 * that don't exist are ignored), else sequence numbers ("*" = the number
 * of messages). Returns 0, or -1 if a sequence number is out of range
 * (RFC 9051: BAD). *idx_r is malloc'd (NULL when empty).
 */
int	 view_resolve(const struct view *, const struct seqset *, bool uid,
	    size_t **idx_r, size_t *n_r);

#endif
