/*
 * seqarg: sequence sets in commands.
 */
#include <stdlib.h>

#include "lib/log.h"
#include "imapd/seqarg.h"
#include "imapd/session.h"

int
seqarg_resolve(struct session *s, const struct cmd_ctx *ctx,
    const struct imap_arg *a, size_t **idx_r, size_t *n_r)
{
	struct seqset *set = NULL;
	const char *str;
	size_t *idx, n = 0, i;
	long vi;

	*idx_r = NULL;
	*n_r = 0;
	if (!imap_arg_atom(a, &str) || seqset_parse(str, a->len, &set) == -1) {
		session_bad(s, ctx, "Invalid sequence set");
		return -1;
	}
	if (set->saved) {
		seqset_free(&set);
		if (s->nsaved == 0)
			return 0;
		if ((idx = reallocarray(NULL, s->nsaved, sizeof(*idx))) ==
		    NULL)
			fatal("seqarg: out of memory");
		/* saved UIDs that are still in the view (ascending) */
		for (i = 0; i < s->nsaved; i++)
			if ((vi = view_find_uid(&s->view, s->saved[i])) >= 0)
				idx[n++] = (size_t)vi;
		*idx_r = idx;
		*n_r = n;
		return 0;
	}
	if (view_resolve(&s->view, set, ctx->uid, idx_r, n_r) == -1) {
		seqset_free(&set);
		session_bad(s, ctx, "Invalid message sequence number");
		return -1;
	}
	seqset_free(&set);
	return 0;
}
