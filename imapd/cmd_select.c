/*
 * cmd_select: SELECT, EXAMINE, CLOSE, UNSELECT (RFC 9051 6.3.2, 6.3.3,
 * 6.4.1, 6.4.2).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/imap_write.h"
#include "imapd/flags.h"
#include "imapd/mbname.h"
#include "imapd/session.h"

static void	 do_select(struct session *, const struct cmd_ctx *, bool);
static void	 send_select_untagged(struct session *);
static void	 expunge_deleted(struct session *);

static void
send_select_untagged(struct session *s)
{
	struct client *c = s->client;
	struct view *v = &s->view;
	size_t i, nrecent = 0;
	long first_unseen = -1;

	client_untagged(c, "%zu EXISTS", v->n);
	for (i = 0; i < v->n; i++) {
		nrecent += v->v[i].recent;
		if (first_unseen == -1 && !(v->v[i].flags & MSG_SEEN))
			first_unseen = (long)i + 1;
	}
	if (!s->rev2)
		client_untagged(c, "%zu RECENT", nrecent);
	buf_reset(c->out);
	buf_puts(c->out, "* FLAGS (");
	flags_write_all(c->out, s->mbox);
	buf_putc(c->out, ')');
	client_send_out(c);
	buf_puts(c->out, "* OK [PERMANENTFLAGS (");
	if (!mbox_readonly(s->mbox)) {
		flags_write_all(c->out, s->mbox);
		if (mbox_keyword_count(s->mbox) < STORE_MAX_KEYWORDS)
			buf_puts(c->out, " \\*");
	}
	buf_puts(c->out, ")] Flags permitted.");
	client_send_out(c);
	v->nkeywords = mbox_keyword_count(s->mbox);
	/* IMAP4rev1 clients still expect [UNSEEN n] (RFC 3501 6.3.1) */
	if (!s->rev2 && first_unseen != -1)
		client_untagged(c, "OK [UNSEEN %ld] First unseen.",
		    first_unseen);
	client_untagged(c, "OK [UIDVALIDITY %u] UIDs valid.",
	    mbox_uidvalidity(s->mbox));
	client_untagged(c, "OK [UIDNEXT %u] Predicted next UID.",
	    mbox_uidnext(s->mbox));
	if (s->rev2) {
		/* RFC 9051 6.3.2: the mailbox's LIST response */
		buf_puts(c->out, "* LIST () \"/\" ");
		mbname_write(c->out, s->mbox_name, true);
		client_send_out(c);
	}
}

static void
do_select(struct session *s, const struct cmd_ctx *ctx, bool readonly)
{
	const char *wire, *err;
	size_t len, i, n;
	const struct msg *m;
	char *name;
	int rc;

	if (ctx->nargs == 2 && ctx->args[1].type == IMAP_ARG_LIST) {
		/* select parameters (CONDSTORE, QRESYNC) are not supported */
		session_bad(s, ctx, "Unsupported SELECT parameters");
		return;
	}
	if (ctx->nargs != 1 ||
	    !imap_arg_astring(&ctx->args[0], &wire, &len)) {
		session_bad(s, ctx, "Expected a mailbox name");
		return;
	}
	if (s->mbox != NULL) {
		/* RFC 9051 6.3.2: deselect first, without expunging */
		session_deselect(s);
		client_untagged(s->client, "OK [CLOSED] Previous mailbox "
		    "is now closed.");
	}
	if ((name = mbname_from_client(wire, len, s->rev2, &err)) == NULL) {
		client_tagged(s->client, ctx->tag, "NO", "[NONEXISTENT] %s",
		    err);
		return;
	}
	if ((rc = mbox_open(s->store, name, readonly, &s->mbox)) !=
	    STORE_OK) {
		free(name);
		session_store_error(s, ctx->tag, rc, false);
		return;
	}
	s->mbox_name = name;
	m = mbox_msgs(s->mbox);
	n = mbox_count(s->mbox);
	for (i = 0; i < n; i++)
		view_append(&s->view, &m[i]);
	send_select_untagged(s);
	client_tagged(s->client, ctx->tag, "OK", "[%s] %s completed.",
	    mbox_readonly(s->mbox) ? "READ-ONLY" : "READ-WRITE",
	    readonly ? "Examine" : "Select");
}

void
cmd_select(struct session *s, const struct cmd_ctx *ctx)
{
	do_select(s, ctx, false);
}

void
cmd_examine(struct session *s, const struct cmd_ctx *ctx)
{
	do_select(s, ctx, true);
}

/* CLOSE: silently remove \Deleted messages (RFC 9051 6.4.1). */
static void
expunge_deleted(struct session *s)
{
	const struct msg *m;
	uint32_t *uids;
	size_t n, i, k = 0;

	if (mbox_readonly(s->mbox))
		return;
	mbox_sync(s->mbox);
	m = mbox_msgs(s->mbox);
	n = mbox_count(s->mbox);
	if (n == 0 || (uids = reallocarray(NULL, n, sizeof(*uids))) == NULL)
		return;
	for (i = 0; i < n; i++)
		if (m[i].flags & MSG_DELETED)
			uids[k++] = m[i].uid;
	if (k > 0)
		mbox_expunge(s->mbox, uids, k);
	free(uids);
}

void
cmd_close(struct session *s, const struct cmd_ctx *ctx)
{
	if (ctx->nargs != 0) {
		session_bad(s, ctx, "CLOSE takes no arguments");
		return;
	}
	expunge_deleted(s);
	session_deselect(s);
	client_tagged(s->client, ctx->tag, "OK", "Close completed.");
}

void
cmd_unselect(struct session *s, const struct cmd_ctx *ctx)
{
	if (ctx->nargs != 0) {
		session_bad(s, ctx, "UNSELECT takes no arguments");
		return;
	}
	session_deselect(s);
	client_tagged(s->client, ctx->tag, "OK", "Unselect completed.");
}
