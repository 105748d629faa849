/*
 * cmd_copy: COPY, MOVE and their UID forms (RFC 9051 6.4.7, 6.4.8;
 * UIDPLUS COPYUID RFC 4315; MOVE RFC 6851).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/seqset.h"
#include "imapd/mbname.h"
#include "imapd/seqarg.h"
#include "imapd/session.h"

static void	 copy_or_move(struct session *, const struct cmd_ctx *, bool);

static void
copy_or_move(struct session *s, const struct cmd_ctx *ctx, bool move)
{
	const char *wire, *err;
	size_t *idx = NULL, n = 0, i, len;
	uint32_t *src = NULL, *dst = NULL, uidvalidity = 0;
	char *name = NULL, *srcset = NULL, *dstset = NULL;
	int rc;

	if (ctx->nargs != 2 || !imap_arg_astring(&ctx->args[1], &wire, &len)) {
		session_bad(s, ctx, "Expected sequence set and mailbox");
		return;
	}
	if (seqarg_resolve(s, ctx, &ctx->args[0], &idx, &n) == -1)
		return;
	if ((name = mbname_from_client(wire, len, s->rev2, &err)) == NULL) {
		session_no(s, ctx, "[TRYCREATE] %s", err);
		goto out;
	}
	if (move && mbox_readonly(s->mbox)) {
		session_no(s, ctx, "[READ-ONLY] Mailbox is read-only");
		goto out;
	}
	if (n == 0) {
		session_ok(s, ctx, "No messages to %s.", move ? "move" :
		    "copy");
		goto out;
	}
	src = reallocarray(NULL, n, sizeof(*src));
	dst = reallocarray(NULL, n, sizeof(*dst));
	if (src == NULL || dst == NULL)
		fatal("copy: out of memory");
	for (i = 0; i < n; i++)
		src[i] = s->view.v[idx[i]].uid;
	rc = move ? mbox_move(s->mbox, src, n, name, &uidvalidity, dst) :
	    mbox_copy(s->mbox, src, n, name, &uidvalidity, dst);
	if (rc != STORE_OK) {
		session_store_error(s, ctx->tag, rc, true);
		goto out;
	}
	srcset = seqset_format_array(src, n);
	dstset = seqset_format_array(dst, n);
	if (srcset == NULL || dstset == NULL)
		fatal("copy: out of memory");
	if (move) {
		/* RFC 6851 4.3: COPYUID comes untagged, before the
		 * EXPUNGEs, since the tagged OK follows them */
		client_untagged(s->client, "OK [COPYUID %u %s %s] Moved UIDs.",
		    uidvalidity, srcset, dstset);
		session_ok(s, ctx, "Move completed.");
	} else
		session_ok(s, ctx, "[COPYUID %u %s %s] Copy completed.",
		    uidvalidity, srcset, dstset);
out:
	free(idx);
	free(src);
	free(dst);
	free(name);
	free(srcset);
	free(dstset);
}

void
cmd_copy(struct session *s, const struct cmd_ctx *ctx)
{
	copy_or_move(s, ctx, false);
}

void
cmd_move(struct session *s, const struct cmd_ctx *ctx)
{
	copy_or_move(s, ctx, true);
}
