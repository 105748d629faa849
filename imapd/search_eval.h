/*
 * search_eval: evaluating a SEARCH key tree against the selected mailbox.
 */
#ifndef IMAPD_SEARCH_EVAL_H
#define IMAPD_SEARCH_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/search.h"

struct session;

/*
 * Evaluate prog against every message of the view. *idx_r (malloc'd, may
 * be NULL) gets the ascending view indexes of the matches; *gone_r the
 * number of messages that vanished during the search. 0 or -1 (store
 * error, answered by the caller).
 */
int	 search_eval(struct session *, const struct search_program *,
	    size_t **idx_r, size_t *n_r, size_t *gone_r);

#endif
