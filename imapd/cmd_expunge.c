/*
 * cmd_expunge: EXPUNGE and UID EXPUNGE (RFC 9051 6.4.3, 6.4.9).
 */
#include <stdlib.h>

#include "imapd/seqarg.h"
#include "imapd/session.h"

void
cmd_expunge(struct session *s, const struct cmd_ctx *ctx)
{
	size_t *idx = NULL, nidx = 0, i, k = 0;
	uint32_t *uids = NULL;
	const struct msg *m;
	int rc;

	if (ctx->nargs != (ctx->uid ? 1 : 0)) {
		session_bad(s, ctx, ctx->uid ? "Expected a UID set" :
		    "EXPUNGE takes no arguments");
		return;
	}
	if (ctx->uid && seqarg_resolve(s, ctx, &ctx->args[0], &idx, &nidx) ==
	    -1)
		return;
	if (mbox_readonly(s->mbox)) {
		session_no(s, ctx, "[READ-ONLY] Mailbox is read-only");
		goto out;
	}
	mbox_sync(s->mbox);
	if ((uids = reallocarray(NULL, s->view.n + 1, sizeof(*uids))) == NULL) {
		session_no(s, ctx, "[SERVERBUG] Out of memory");
		goto out;
	}
	/* only messages marked \Deleted (as the store knows them now) */
	for (i = 0; i < (ctx->uid ? nidx : s->view.n); i++) {
		size_t vi = ctx->uid ? idx[i] : i;

		m = mbox_find(s->mbox, s->view.v[vi].uid);
		if (m != NULL && (m->flags & MSG_DELETED))
			uids[k++] = m->uid;
	}
	if (k > 0 && (rc = mbox_expunge(s->mbox, uids, k)) != STORE_OK) {
		session_store_error(s, ctx->tag, rc, false);
		goto out;
	}
	session_ok(s, ctx, "Expunge completed.");
out:
	free(idx);
	free(uids);
}
