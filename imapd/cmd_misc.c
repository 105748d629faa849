/*
 * cmd_misc: CAPABILITY, NOOP/CHECK, LOGOUT, ID, ENABLE, NAMESPACE, and the
 * not-authenticated commands refused after login.
 */
#include <string.h>
#include <strings.h>

#include "lib/imap_write.h"
#include "lib/log.h"
#include "imapd/capability.h"
#include "imapd/id.h"
#include "imapd/session.h"

void
cmd_capability(struct session *s, const struct cmd_ctx *ctx)
{
	struct capability_ctx cc = { .authenticated = true };
	struct client *c = s->client;

	if (ctx->nargs != 0) {
		session_bad(s, ctx, "CAPABILITY takes no arguments");
		return;
	}
	buf_reset(c->out);
	buf_puts(c->out, "* CAPABILITY ");
	capability_write(c->out, &cc);
	client_send_out(c);
	session_ok(s, ctx, "Capability completed.");
}

void
cmd_noop(struct session *s, const struct cmd_ctx *ctx)
{
	if (ctx->nargs != 0) {
		session_bad(s, ctx, "No arguments expected");
		return;
	}
	session_ok(s, ctx, "%s completed.",
	    strcmp(ctx->name, "CHECK") == 0 ? "Check" : "NOOP");
}

void
cmd_logout(struct session *s, const struct cmd_ctx *ctx)
{
	if (ctx->nargs != 0) {
		session_bad(s, ctx, "LOGOUT takes no arguments");
		return;
	}
	client_untagged(s->client, "BYE Logging out");
	client_tagged(s->client, ctx->tag, "OK", "Logout completed.");
	s->logout = true;
}

void
cmd_id(struct session *s, const struct cmd_ctx *ctx)
{
	if (id_command(s->client, ctx->tag, ctx->args, ctx->nargs) == 0)
		session_ok(s, ctx, "ID completed.");
}

void
cmd_enable(struct session *s, const struct cmd_ctx *ctx)
{
	struct client *c = s->client;
	const char *cap;
	bool enabled = false;
	size_t i;

	if (ctx->nargs == 0) {
		session_bad(s, ctx, "ENABLE needs capability names");
		return;
	}
	/* RFC 9051 6.3.1: only in the authenticated state */
	if (s->mbox != NULL) {
		session_bad(s, ctx, "ENABLE is not allowed while a mailbox "
		    "is selected");
		return;
	}
	for (i = 0; i < ctx->nargs; i++)
		if (!imap_arg_atom(&ctx->args[i], &cap)) {
			session_bad(s, ctx, "Capability names are atoms");
			return;
		}
	buf_reset(c->out);
	buf_puts(c->out, "* ENABLED");
	for (i = 0; i < ctx->nargs; i++) {
		imap_arg_atom(&ctx->args[i], &cap);
		/* unknown extensions are ignored (RFC 5161 3.1) */
		if (strcasecmp(cap, "IMAP4rev2") == 0 && !enabled) {
			s->rev2 = true;
			enabled = true;
			buf_puts(c->out, " IMAP4rev2");
		}
	}
	client_send_out(c);
	session_ok(s, ctx, "Enabled.");
}

void
cmd_namespace(struct session *s, const struct cmd_ctx *ctx)
{
	if (ctx->nargs != 0) {
		session_bad(s, ctx, "NAMESPACE takes no arguments");
		return;
	}
	/* one personal namespace, "/" delimited; no shared or others */
	client_untagged(s->client, "NAMESPACE ((\"\" \"/\")) NIL NIL");
	session_ok(s, ctx, "Namespace completed.");
}

void
cmd_already_auth(struct session *s, const struct cmd_ctx *ctx)
{
	session_bad(s, ctx, "Already authenticated");
}
