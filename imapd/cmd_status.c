/*
 * cmd_status: STATUS (RFC 9051 6.3.11, STATUS=SIZE RFC 8438).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imapd/mbname.h"
#include "imapd/session.h"
#include "imapd/status.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} items[] = {
	{ "MESSAGES", STATUS_MESSAGES },
	{ "UIDNEXT", STATUS_UIDNEXT },
	{ "UIDVALIDITY", STATUS_UIDVALIDITY },
	{ "UNSEEN", STATUS_UNSEEN },
	{ "DELETED", STATUS_DELETED },
	{ "SIZE", STATUS_SIZE },
	{ "RECENT", STATUS_RECENT },
};
#define NITEMS	(sizeof(items) / sizeof(items[0]))

unsigned
status_items_parse(const struct imap_arg *arg, bool rev2,
    const char **err_r)
{
	const struct imap_arg *l;
	const char *w;
	unsigned mask = 0;
	size_t n, i, k;

	if (!imap_arg_list(arg, &l, &n) || n == 0) {
		*err_r = "Expected a list of status items";
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!imap_arg_atom(&l[i], &w))
			goto bad;
		for (k = 0; k < NITEMS; k++)
			if (strcasecmp(w, items[k].name) == 0)
				break;
		/* RFC 9051 removed RECENT */
		if (k == NITEMS || (rev2 && items[k].bit == STATUS_RECENT))
			goto bad;
		mask |= items[k].bit;
	}
	return mask;
bad:
	*err_r = "Unknown status item";
	return 0;
}

int
status_send(struct session *s, const char *name, unsigned mask)
{
	struct client *c = s->client;
	struct store_status st;
	const char *sep = "";
	int rc;

	if ((rc = store_status(s->store, name, &st)) != STORE_OK)
		return rc;
	buf_reset(c->out);
	buf_puts(c->out, "* STATUS ");
	mbname_write(c->out, name, s->rev2);
	buf_puts(c->out, " (");
#define ITEM(bit, fmt, val) \
	if (mask & (bit)) { \
		buf_printf(c->out, "%s" fmt, sep, val); \
		sep = " "; \
	}
	ITEM(STATUS_MESSAGES, "MESSAGES %u", st.messages);
	ITEM(STATUS_RECENT, "RECENT %u", st.recent);
	ITEM(STATUS_UIDNEXT, "UIDNEXT %u", st.uidnext);
	ITEM(STATUS_UIDVALIDITY, "UIDVALIDITY %u", st.uidvalidity);
	ITEM(STATUS_UNSEEN, "UNSEEN %u", st.unseen);
	ITEM(STATUS_DELETED, "DELETED %u", st.deleted);
	ITEM(STATUS_SIZE, "SIZE %llu", (unsigned long long)st.size);
#undef ITEM
	buf_putc(c->out, ')');
	client_send_out(c);
	return STORE_OK;
}

void
cmd_status(struct session *s, const struct cmd_ctx *ctx)
{
	const char *wire, *err;
	unsigned mask;
	size_t len;
	char *name;
	int rc;

	if (ctx->nargs != 2 ||
	    !imap_arg_astring(&ctx->args[0], &wire, &len)) {
		session_bad(s, ctx, "Expected mailbox and status items");
		return;
	}
	if ((mask = status_items_parse(&ctx->args[1], s->rev2, &err)) == 0) {
		session_bad(s, ctx, err);
		return;
	}
	if ((name = mbname_from_client(wire, len, s->rev2, &err)) == NULL) {
		session_no(s, ctx, "[NONEXISTENT] %s", err);
		return;
	}
	/* the selected mailbox: bring our own view up to date first, so
	 * the counts agree with what the client is told (RFC 9051 6.3.11) */
	if (s->mbox_name != NULL && strcmp(s->mbox_name, name) == 0)
		session_sync(s, s->allow_expunge);
	if ((rc = status_send(s, name, mask)) != STORE_OK)
		session_store_error(s, ctx->tag, rc, false);
	else
		session_ok(s, ctx, "Status completed.");
	free(name);
}
