/*
 * cmd_store: STORE and UID STORE (RFC 9051 6.4.6).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imapd/flags.h"
#include "imapd/seqarg.h"
#include "imapd/session.h"

enum store_op { OP_SET, OP_ADD, OP_REMOVE };

struct store_req {
	enum store_op	 op;
	bool		 silent;
	struct flag_list fl;
	uint32_t	 kwmask;
};

static const char *
parse_op(const char *w, struct store_req *r)
{
	if (*w == '+' || *w == '-') {
		r->op = *w == '+' ? OP_ADD : OP_REMOVE;
		w++;
	} else
		r->op = OP_SET;
	if (strncasecmp(w, "FLAGS", 5) != 0)
		return "Expected FLAGS, +FLAGS or -FLAGS";
	w += 5;
	if (*w == '\0')
		return NULL;
	if (strcasecmp(w, ".SILENT") == 0) {
		r->silent = true;
		return NULL;
	}
	return "Expected FLAGS, +FLAGS or -FLAGS";
}

/* Flags: one list, or one or more flag atoms (RFC 9051 9 store-att-flags) */
static const char *
parse_flags(const struct cmd_ctx *ctx, struct store_req *r)
{
	struct flag_list one;
	const char *err;
	size_t i, k;

	if (ctx->nargs == 3 && ctx->args[2].type == IMAP_ARG_LIST)
		return flags_parse(&ctx->args[2], false, &r->fl, &err) == -1 ?
		    err : NULL;
	memset(&r->fl, 0, sizeof(r->fl));
	for (i = 2; i < ctx->nargs; i++) {
		if (flags_parse(&ctx->args[i], true, &one, &err) == -1)
			return err;
		r->fl.flags |= one.flags;
		for (k = 0; k < one.nkw; k++) {
			if (r->fl.nkw >= STORE_MAX_KEYWORDS)
				return "Too many keywords";
			r->fl.kw[r->fl.nkw++] = one.kw[k];
		}
	}
	return NULL;
}

/* Map keyword names to this mailbox's bits; adding may create them. */
static int
map_keywords(struct session *s, struct store_req *r)
{
	size_t i;
	int k;

	r->kwmask = 0;
	for (i = 0; i < r->fl.nkw; i++) {
		k = mbox_keyword_index(s->mbox, r->fl.kw[i],
		    r->op != OP_REMOVE);
		if (k == STORE_ERR_LIMIT)
			return STORE_ERR_LIMIT;
		if (k >= 0)
			r->kwmask |= 1u << k;
	}
	return STORE_OK;
}

static void
send_fetch(struct session *s, const struct cmd_ctx *ctx, size_t idx,
    const struct msg *m)
{
	struct buf *b = s->client->out;

	buf_reset(b);
	buf_printf(b, "* %zu FETCH (", idx + 1);
	if (ctx->uid)
		buf_printf(b, "UID %u ", m->uid);
	buf_puts(b, "FLAGS ");
	flags_write(b, m->flags, m->keywords, m->recent && !s->rev2,
	    s->mbox);
	buf_putc(b, ')');
	client_send_out(s->client);
}

void
cmd_store(struct session *s, const struct cmd_ctx *ctx)
{
	struct store_req r;
	const struct msg *m;
	const char *w, *err;
	size_t *idx = NULL, n = 0, i, gone = 0;
	uint32_t uid, nf, nk;
	int rc = STORE_OK;

	memset(&r, 0, sizeof(r));
	if (ctx->nargs < 3 || !imap_arg_atom(&ctx->args[1], &w)) {
		session_bad(s, ctx, ctx->nargs >= 2 &&
		    ctx->args[1].type == IMAP_ARG_LIST ?
		    "STORE modifiers are not supported" :
		    "Expected sequence set, FLAGS item and flags");
		return;
	}
	if ((err = parse_op(w, &r)) != NULL ||
	    (err = parse_flags(ctx, &r)) != NULL) {
		session_bad(s, ctx, err);
		return;
	}
	if (seqarg_resolve(s, ctx, &ctx->args[0], &idx, &n) == -1)
		return;
	if (mbox_readonly(s->mbox)) {
		session_no(s, ctx, "[READ-ONLY] Mailbox is read-only");
		goto out;
	}
	if ((rc = map_keywords(s, &r)) != STORE_OK) {
		session_no(s, ctx, "[LIMIT] Too many keywords in this "
		    "mailbox");
		goto out;
	}
	for (i = 0; i < n; i++) {
		uid = s->view.v[idx[i]].uid;
		if ((m = mbox_find(s->mbox, uid)) == NULL) {
			gone++;
			continue;
		}
		nf = r.op == OP_SET ? r.fl.flags : r.op == OP_ADD ?
		    m->flags | r.fl.flags : m->flags & ~r.fl.flags;
		nk = r.op == OP_SET ? r.kwmask : r.op == OP_ADD ?
		    m->keywords | r.kwmask : m->keywords & ~r.kwmask;
		if ((nf != m->flags || nk != m->keywords) &&
		    (rc = mbox_set_flags(s->mbox, uid, nf, nk)) != STORE_OK) {
			if (rc == STORE_ERR_EXPUNGED) {
				gone++;
				continue;
			}
			break;
		}
		if ((m = mbox_find(s->mbox, uid)) == NULL)
			continue;
		s->view.v[idx[i]].flags = m->flags;
		s->view.v[idx[i]].keywords = m->keywords;
		if (!r.silent)
			send_fetch(s, ctx, idx[i], m);
	}
	if (rc != STORE_OK && rc != STORE_ERR_EXPUNGED)
		session_store_error(s, ctx->tag, rc, false);
	else if (gone > 0)
		session_ok(s, ctx, "[EXPUNGEISSUED] Some messages were "
		    "expunged meanwhile.");
	else
		session_ok(s, ctx, "Store completed.");
out:
	free(idx);
}
