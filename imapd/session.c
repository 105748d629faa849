/*
 * session: the authenticated/selected command loop and the untagged
 * updates of the selected mailbox.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "imapd/capability.h"
#include "imapd/flags.h"
#include "imapd/session.h"

static void	 dispatch(struct session *, struct imap_cmd *);
static void	 finish(struct session *, const struct cmd_ctx *,
		    const char *, const char *, va_list);
static void	 send_flag_update(struct session *, size_t);
static void	 send_keywords(struct session *);

void
session_run(struct client *c, const struct account *acct,
    struct store *store, const char *login_tag)
{
	struct session s;
	struct capability_ctx cc = { .authenticated = true };
	struct imap_cmd *cmd;
	enum client_read rc;

	memset(&s, 0, sizeof(s));
	s.client = c;
	s.acct = *acct;
	s.store = store;
	buf_reset(c->out);
	if (login_tag != NULL)
		buf_printf(c->out, "%s OK [CAPABILITY ", login_tag);
	else
		buf_puts(c->out, "* PREAUTH [CAPABILITY ");
	capability_write(c->out, &cc);
	if (login_tag != NULL)
		buf_puts(c->out, "] Logged in");
	else
		buf_printf(c->out, "] imapd ready, logged in as %s",
		    acct->name);
	client_send_out(c);

	while (!s.logout && !c->disconnect) {
		rc = client_read_command(c, c->set->autologout_timeout, &cmd);
		if (rc == CLIENT_READ_CLOSE)
			break;
		if (rc == CLIENT_READ_AGAIN)
			continue;
		dispatch(&s, cmd);
		imap_cmd_free(&cmd);
	}
	conn_flush(c->conn);
	session_deselect(&s);
	free(s.saved);
	store_close(&s.store);
}

static void
dispatch(struct session *s, struct imap_cmd *cmd)
{
	const struct command *c;
	struct cmd_ctx ctx;
	char name[32];
	const char *sub;
	size_t i;

	memset(&ctx, 0, sizeof(ctx));
	ctx.tag = cmd->tag;
	ctx.name = cmd->name;
	ctx.args = cmd->args;
	ctx.nargs = cmd->nargs;
	if (strcmp(cmd->name, "UID") == 0) {
		if (cmd->nargs == 0 || !imap_arg_atom(&cmd->args[0], &sub) ||
		    strlen(sub) >= sizeof(name)) {
			session_bad(s, &ctx, "Missing or invalid UID command");
			return;
		}
		for (i = 0; sub[i] != '\0'; i++)
			name[i] = (char)toupper((unsigned char)sub[i]);
		name[i] = '\0';
		ctx.name = name;
		ctx.args++;
		ctx.nargs--;
		ctx.uid = true;
	}
	if ((c = command_find(ctx.name)) == NULL) {
		session_bad(s, &ctx, ctx.uid ? "Unknown UID command" :
		    "Unknown command");
		return;
	}
	if (ctx.uid && !(c->flags & CMD_UID)) {
		session_bad(s, &ctx, "This command has no UID form");
		return;
	}
	if ((c->flags & CMD_SELECTED) && s->mbox == NULL) {
		session_bad(s, &ctx, "No mailbox selected");
		return;
	}
	/* RFC 9051 7.5.1: no EXPUNGE while answering FETCH, STORE, SEARCH
	 * (their UID forms may have them) */
	s->allow_expunge = !(c->flags & CMD_NOEXPUNGE) || ctx.uid;
	c->fn(s, &ctx);
}

static void
finish(struct session *s, const struct cmd_ctx *ctx, const char *status,
    const char *fmt, va_list ap)
{
	struct client *c = s->client;

	session_sync(s, s->allow_expunge);
	buf_reset(c->out);
	buf_printf(c->out, "%s %s ", ctx->tag, status);
	buf_vprintf(c->out, fmt, ap);
	client_send_out(c);
}

void
session_ok(struct session *s, const struct cmd_ctx *ctx, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	finish(s, ctx, "OK", fmt, ap);
	va_end(ap);
}

void
session_no(struct session *s, const struct cmd_ctx *ctx, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	finish(s, ctx, "NO", fmt, ap);
	va_end(ap);
}

void
session_bad(struct session *s, const struct cmd_ctx *ctx, const char *text)
{
	client_bad(s->client, ctx->tag, text);
}

void
session_store_error(struct session *s, const char *tag, int err,
    bool trycreate)
{
	const char *code;

	switch (err) {
	case STORE_ERR_NONEXISTENT:
		code = trycreate ? "TRYCREATE" : "NONEXISTENT";
		break;
	case STORE_ERR_EXISTS:		code = "ALREADYEXISTS"; break;
	case STORE_ERR_BADNAME:		code = "CANNOT"; break;
	case STORE_ERR_NOPERM:		code = "NOPERM"; break;
	case STORE_ERR_INUSE:		code = "INUSE"; break;
	case STORE_ERR_LIMIT:		code = "LIMIT"; break;
	case STORE_ERR_EXPUNGED:	code = "EXPUNGEISSUED"; break;
	case STORE_ERR_OVERQUOTA:	code = "OVERQUOTA"; break;
	case STORE_ERR_HASCHILDREN:	code = "HASCHILDREN"; break;
	case STORE_ERR_CORRUPT:		code = "CORRUPTION"; break;
	default:			code = "SERVERBUG"; break;
	}
	if (err == STORE_ERR_IO || err == STORE_ERR_CORRUPT)
		log_err("event=store_error error=\"%s\"",
		    store_errstr(s->store));
	session_sync(s, s->allow_expunge);
	client_tagged(s->client, tag, "NO", "[%s] %s", code,
	    store_errstr(s->store));
}

void
session_deselect(struct session *s)
{
	mbox_close(&s->mbox);
	free(s->mbox_name);
	s->mbox_name = NULL;
	view_clear(&s->view);
	free(s->saved);
	s->saved = NULL;
	s->nsaved = 0;
}

static void
send_flag_update(struct session *s, size_t i)
{
	struct client *c = s->client;
	const struct view_msg *vm = &s->view.v[i];

	/* RFC 9051 7.5.2: unsolicited FETCH responses include UID */
	buf_reset(c->out);
	buf_printf(c->out, "* %zu FETCH (UID %u FLAGS ", i + 1, vm->uid);
	flags_write(c->out, vm->flags, vm->keywords, vm->recent && !s->rev2,
	    s->mbox);
	buf_putc(c->out, ')');
	client_send_out(c);
}

static void
send_keywords(struct session *s)
{
	struct client *c = s->client;

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
	s->view.nkeywords = mbox_keyword_count(s->mbox);
}

void
session_sync(struct session *s, bool allow_expunge)
{
	struct view *v = &s->view;
	const struct msg *m;
	size_t n, i, j, old_n, nrecent;
	bool grew = false;

	if (s->mbox == NULL)
		return;
	if (mbox_sync(s->mbox) != STORE_OK)
		log_warn("event=sync_failed mailbox=\"%s\" error=\"%s\"",
		    s->mbox_name, store_errstr(s->store));
	if (mbox_keyword_count(s->mbox) != v->nkeywords)
		send_keywords(s);
	m = mbox_msgs(s->mbox);
	n = mbox_count(s->mbox);
	/* both lists are in ascending UID order */
	for (i = 0, j = 0; i < v->n; i++) {
		while (j < n && m[j].uid < v->v[i].uid)
			j++;
		if (j == n || m[j].uid != v->v[i].uid) {
			v->v[i].gone = true;
			continue;
		}
		if (m[j].flags != v->v[i].flags ||
		    m[j].keywords != v->v[i].keywords) {
			v->v[i].flags = m[j].flags;
			v->v[i].keywords = m[j].keywords;
			if (!v->v[i].gone)
				send_flag_update(s, i);
		}
	}
	if (allow_expunge) {
		for (i = 0; i < v->n; ) {
			if (!v->v[i].gone) {
				i++;
				continue;
			}
			client_untagged(s->client, "%zu EXPUNGE", i + 1);
			view_remove(v, i);
		}
	}
	old_n = v->n;
	for (j = 0; j < n; j++)
		if (m[j].uid > view_max_uid(v)) {
			view_append(v, &m[j]);
			grew = true;
		}
	if (grew || v->n != old_n) {
		client_untagged(s->client, "%zu EXISTS", v->n);
		if (!s->rev2) {
			for (i = 0, nrecent = 0; i < v->n; i++)
				nrecent += v->v[i].recent;
			client_untagged(s->client, "%zu RECENT", nrecent);
		}
	}
}
