/*
 * cmd_mailbox: CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE
 * (RFC 9051 6.3.4 - 6.3.8).
 */
#include <stdlib.h>
#include <string.h>

#include "imapd/mbname.h"
#include "imapd/session.h"

static char	*name_arg(struct session *, const struct cmd_ctx *, size_t,
		    bool);
static int	 create_parents(struct session *, const char *);

/* Decode argument i as a mailbox name; answers the command on error.
 * strip: drop one trailing "/" (CREATE, RFC 9051 6.3.4). */
static char *
name_arg(struct session *s, const struct cmd_ctx *ctx, size_t i,
    bool strip)
{
	const char *wire, *err;
	size_t len;
	char *name;

	if (!imap_arg_astring(&ctx->args[i], &wire, &len)) {
		session_bad(s, ctx, "Expected a mailbox name");
		return NULL;
	}
	if (strip && len > 1 && wire[len - 1] == MBNAME_DELIM)
		len--;
	if ((name = mbname_from_client(wire, len, s->rev2, &err)) == NULL) {
		session_no(s, ctx, "[CANNOT] %s", err);
		return NULL;
	}
	return name;
}

/* RFC 9051 6.3.4: create superior names the new one needs. */
static int
create_parents(struct session *s, const char *name)
{
	struct store_status st;
	char *p, *copy;
	int rc = STORE_OK;

	if ((copy = strdup(name)) == NULL)
		return STORE_ERR_IO;
	for (p = strchr(copy, MBNAME_DELIM); p != NULL;
	    p = strchr(p + 1, MBNAME_DELIM)) {
		*p = '\0';
		if (!mbname_is_inbox(copy) &&
		    store_status(s->store, copy, &st) == STORE_ERR_NONEXISTENT)
			rc = store_create(s->store, copy);
		*p = MBNAME_DELIM;
		if (rc != STORE_OK && rc != STORE_ERR_EXISTS)
			break;
		rc = STORE_OK;
	}
	free(copy);
	return rc;
}

void
cmd_create(struct session *s, const struct cmd_ctx *ctx)
{
	char *name;
	int rc;

	if (ctx->nargs != 1) {
		session_bad(s, ctx, ctx->nargs > 1 ?
		    "CREATE parameters are not supported" :
		    "Expected a mailbox name");
		return;
	}
	if ((name = name_arg(s, ctx, 0, true)) == NULL)
		return;
	if (strpbrk(name, "*%") != NULL) {
		session_no(s, ctx, "[CANNOT] Wildcards are not allowed in "
		    "mailbox names");
	} else if (mbname_is_inbox(name)) {
		session_no(s, ctx, "[ALREADYEXISTS] INBOX always exists");
	} else if ((rc = create_parents(s, name)) != STORE_OK ||
	    (rc = store_create(s->store, name)) != STORE_OK) {
		session_store_error(s, ctx->tag, rc, false);
	} else
		session_ok(s, ctx, "Create completed.");
	free(name);
}

void
cmd_delete(struct session *s, const struct cmd_ctx *ctx)
{
	char *name;
	int rc;

	if (ctx->nargs != 1) {
		session_bad(s, ctx, "Expected a mailbox name");
		return;
	}
	if ((name = name_arg(s, ctx, 0, false)) == NULL)
		return;
	if (mbname_is_inbox(name)) {
		session_no(s, ctx, "[CANNOT] INBOX cannot be deleted");
		free(name);
		return;
	}
	if (s->mbox_name != NULL && strcmp(s->mbox_name, name) == 0) {
		session_deselect(s);
		client_untagged(s->client, "OK [CLOSED] Mailbox closed.");
	}
	if ((rc = store_delete(s->store, name)) != STORE_OK)
		session_store_error(s, ctx->tag, rc, false);
	else
		session_ok(s, ctx, "Delete completed.");
	free(name);
}

void
cmd_rename(struct session *s, const struct cmd_ctx *ctx)
{
	char *from = NULL, *to = NULL;
	size_t flen;
	int rc;

	if (ctx->nargs != 2) {
		session_bad(s, ctx, "Expected two mailbox names");
		return;
	}
	if ((from = name_arg(s, ctx, 0, false)) == NULL ||
	    (to = name_arg(s, ctx, 1, true)) == NULL)
		goto out;
	flen = strlen(from);
	if (mbname_is_inbox(to)) {
		session_no(s, ctx, "[ALREADYEXISTS] INBOX always exists");
	} else if (strpbrk(to, "*%") != NULL) {
		session_no(s, ctx, "[CANNOT] Wildcards are not allowed in "
		    "mailbox names");
	} else if (strncmp(from, to, flen) == 0 &&
	    to[flen] == MBNAME_DELIM) {
		session_no(s, ctx, "[CANNOT] Cannot rename a mailbox into "
		    "itself");
	} else if ((rc = create_parents(s, to)) != STORE_OK ||
	    (rc = store_rename(s->store, from, to)) != STORE_OK) {
		session_store_error(s, ctx->tag, rc, false);
	} else
		session_ok(s, ctx, "Rename completed.");
out:
	free(from);
	free(to);
}

static void
subscribe(struct session *s, const struct cmd_ctx *ctx, bool on)
{
	char *name;
	int rc;

	if (ctx->nargs != 1) {
		session_bad(s, ctx, "Expected a mailbox name");
		return;
	}
	if ((name = name_arg(s, ctx, 0, false)) == NULL)
		return;
	if ((rc = store_subscribe(s->store, name, on)) != STORE_OK)
		session_store_error(s, ctx->tag, rc, false);
	else
		session_ok(s, ctx, "%s completed.",
		    on ? "Subscribe" : "Unsubscribe");
	free(name);
}

void
cmd_subscribe(struct session *s, const struct cmd_ctx *ctx)
{
	subscribe(s, ctx, true);
}

void
cmd_unsubscribe(struct session *s, const struct cmd_ctx *ctx)
{
	subscribe(s, ctx, false);
}
