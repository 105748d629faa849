/*
 * cmd_fetch: FETCH and UID FETCH (RFC 9051 6.4.5, 7.5.2; BINARY RFC 3516).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/fetch_att.h"
#include "lib/imap_date.h"
#include "lib/imap_write.h"
#include "lib/log.h"
#include "lib/mime.h"
#include "imapd/flags.h"
#include "imapd/seqarg.h"
#include "imapd/session.h"

struct fetch_msg {
	const struct msg	*m;
	size_t			 idx;
	struct msg_body		 body;
	bool			 have_body;
	struct mime_msg		*mime;
	struct buf		*tmp;
};

static int	 write_item(struct session *, struct fetch_msg *,
		    const struct fetch_att *);
static int	 write_section(struct session *, struct fetch_msg *,
		    const struct fetch_att *);
static void	 write_label(struct buf *, const struct fetch_att *);
static void	 fetch_msg_release(struct fetch_msg *);
static int	 fetch_one(struct session *, const struct fetch_atts *, size_t,
		    struct fetch_msg *);
static int	 emit_literal(struct session *, const char *, size_t, bool);

/*
 * Queue what is built so far plus a literal's data straight to the
 * connection, so a large body is never copied into the response buffer.
 */
static int
emit_literal(struct session *s, const char *p, size_t len, bool binary)
{
	struct client *c = s->client;

	buf_printf(c->out, "%s{%zu}\r\n", binary ? "~" : "", len);
	if (conn_write(c->conn, buf_data(c->out), buf_len(c->out)) == -1 ||
	    conn_write(c->conn, p, len) == -1)
		c->disconnect = true;
	buf_reset(c->out);
	return 0;
}

static void
write_internaldate(struct buf *b, time_t t)
{
	struct tm tm;
	char out[40];

	/* the server's zone at that moment */
	localtime_r(&t, &tm);
	imap_datetime_format(t, (int)tm.tm_gmtoff, out, sizeof(out));
	buf_printf(b, "INTERNALDATE \"%s\"", out);
}

static void
write_label(struct buf *b, const struct fetch_att *fa)
{
	switch (fa->type) {
	case FA_RFC822:
		buf_puts(b, "RFC822");
		return;
	case FA_RFC822_HEADER:
		buf_puts(b, "RFC822.HEADER");
		return;
	case FA_RFC822_TEXT:
		buf_puts(b, "RFC822.TEXT");
		return;
	case FA_BINARY:
		buf_puts(b, "BINARY[");
		break;
	case FA_BINARY_SIZE:
		buf_puts(b, "BINARY.SIZE[");
		break;
	default:
		buf_puts(b, "BODY[");
		break;
	}
	section_format(b, &fa->section);
	buf_putc(b, ']');
	/* RFC 9051 7.5.2: only the origin octet is echoed */
	if (fa->partial && fa->type != FA_BINARY_SIZE)
		buf_printf(b, "<%llu>", (unsigned long long)fa->offset);
}

static int
write_section(struct session *s, struct fetch_msg *fm,
    const struct fetch_att *fa)
{
	struct buf *b = s->client->out;
	struct section sec;
	const char *p;
	size_t len;
	int rc;

	memset(&sec, 0, sizeof(sec));
	if (fa->type == FA_RFC822_HEADER)
		sec.kind = SECTION_HEADER;
	else if (fa->type == FA_RFC822_TEXT)
		sec.kind = SECTION_TEXT;
	else
		sec = fa->section;
	if (fa->type == FA_BINARY || fa->type == FA_BINARY_SIZE)
		rc = mime_get_binary(fm->mime, &sec, fm->tmp, &p, &len);
	else
		rc = mime_get_section(fm->mime, &sec, fm->tmp, &p, &len);
	if (rc == MIME_SECTION_UNKNOWN_CTE || rc == MIME_SECTION_FULL)
		return rc;
	write_label(b, fa);
	buf_putc(b, ' ');
	if (fa->type == FA_BINARY_SIZE) {
		buf_printf(b, "%zu", rc == MIME_SECTION_OK ? len : 0);
		return 0;
	}
	if (rc == MIME_SECTION_NONE)
		/* a part that does not exist reads as empty (as Dovecot) */
		return buf_puts(b, "\"\"");
	if (fa->partial) {
		if (fa->offset >= len)
			len = 0;
		else {
			p += fa->offset;
			len -= fa->offset;
			if (len > fa->count)
				len = fa->count;
		}
	}
	if (len == 0)
		return buf_puts(b, "\"\"");
	/* RFC 3516: data with NUL goes in a literal8 */
	return emit_literal(s, p, len, fa->type == FA_BINARY &&
	    memchr(p, '\0', len) != NULL);
}

static int
write_item(struct session *s, struct fetch_msg *fm,
    const struct fetch_att *fa)
{
	struct buf *b = s->client->out;
	const struct msg *m = fm->m;

	switch (fa->type) {
	case FA_UID:
		return buf_printf(b, "UID %u", m->uid);
	case FA_FLAGS:
		buf_puts(b, "FLAGS ");
		flags_write(b, m->flags, m->keywords,
		    m->recent && !s->rev2, s->mbox);
		s->view.v[fm->idx].flags = m->flags;
		s->view.v[fm->idx].keywords = m->keywords;
		return 0;
	case FA_INTERNALDATE:
		write_internaldate(b, m->internaldate);
		return 0;
	case FA_RFC822_SIZE:
		return buf_printf(b, "RFC822.SIZE %llu",
		    (unsigned long long)m->size);
	case FA_ENVELOPE:
		buf_puts(b, "ENVELOPE ");
		return mime_write_envelope(b, fm->mime);
	case FA_BODY:
		buf_puts(b, "BODY ");
		return mime_write_bodystructure(b, fm->mime, false);
	case FA_BODYSTRUCTURE:
		buf_puts(b, "BODYSTRUCTURE ");
		return mime_write_bodystructure(b, fm->mime, true);
	case FA_RFC822:
		buf_puts(b, "RFC822 ");
		return emit_literal(s, fm->body.data, fm->body.len, false);
	default:
		return write_section(s, fm, fa);
	}
}

static void
fetch_msg_release(struct fetch_msg *fm)
{
	mime_free(&fm->mime);
	if (fm->have_body)
		msg_body_release(&fm->body);
	fm->have_body = false;
}

/* Fetch one message. Returns 0, 1 if it has been expunged meanwhile, or
 * a mime_section_status error. */
static int
fetch_one(struct session *s, const struct fetch_atts *fa, size_t idx,
    struct fetch_msg *fm)
{
	struct buf *b = s->client->out;
	uint32_t uid = s->view.v[idx].uid;
	bool add_flags = false;
	size_t i;
	int rc = 0;

	if ((fm->m = mbox_find(s->mbox, uid)) == NULL)
		return 1;
	fm->idx = idx;
	/* RFC 9051 6.4.5: BODY[...] without .PEEK sets \Seen, and the
	 * changed flags are returned with the data */
	if (fa->sets_seen && !mbox_readonly(s->mbox) &&
	    !(fm->m->flags & MSG_SEEN)) {
		if (mbox_set_flags(s->mbox, uid, fm->m->flags | MSG_SEEN,
		    fm->m->keywords) == STORE_OK) {
			for (i = 0; i < fa->n; i++)
				if (fa->v[i].type == FA_FLAGS)
					break;
			add_flags = i == fa->n;
		}
		if ((fm->m = mbox_find(s->mbox, uid)) == NULL)
			return 1;
	}
	if (fa->need_body || fa->need_mime) {
		if (mbox_msg_open(s->mbox, uid, &fm->body) != STORE_OK)
			return 1;
		fm->have_body = true;
		fm->mime = mime_parse(fm->body.data, fm->body.len);
	}
	buf_reset(b);
	buf_printf(b, "* %zu FETCH (", idx + 1);
	for (i = 0; i < fa->n && rc == 0; i++) {
		if (i > 0)
			buf_putc(b, ' ');
		rc = write_item(s, fm, &fa->v[i]);
	}
	if (rc == 0 && add_flags) {
		buf_puts(b, " FLAGS ");
		flags_write(b, fm->m->flags, fm->m->keywords,
		    fm->m->recent && !s->rev2, s->mbox);
		s->view.v[idx].flags = fm->m->flags;
	}
	if (rc == 0) {
		buf_putc(b, ')');
		client_send_out(s->client);
	} else {
		/* nothing of a half-built response reaches the client
		 * unless a literal was already streamed */
		buf_reset(b);
	}
	fetch_msg_release(fm);
	return rc;
}

void
cmd_fetch(struct session *s, const struct cmd_ctx *ctx)
{
	struct fetch_atts fa;
	struct fetch_msg fm;
	const char *err;
	size_t *idx = NULL, n = 0, i, gone = 0;
	int rc = 0;

	memset(&fa, 0, sizeof(fa));
	memset(&fm, 0, sizeof(fm));
	if (ctx->nargs != 2) {
		session_bad(s, ctx, ctx->nargs > 2 ?
		    "FETCH modifiers are not supported" :
		    "Expected sequence set and fetch items");
		return;
	}
	if (fetch_atts_parse(&ctx->args[1], &fa, &err) == -1) {
		session_bad(s, ctx, err);
		return;
	}
	if (ctx->uid)
		fetch_atts_add(&fa, FA_UID);
	if (seqarg_resolve(s, ctx, &ctx->args[0], &idx, &n) == -1)
		goto out;
	fm.tmp = buf_new(s->client->set->max_literal_size * 2);
	for (i = 0; i < n && !s->client->disconnect; i++) {
		rc = fetch_one(s, &fa, idx[i], &fm);
		if (rc == 1) {
			gone++;
			rc = 0;
		} else if (rc != 0)
			break;
	}
	buf_free(&fm.tmp);
	if (rc == MIME_SECTION_UNKNOWN_CTE)
		session_no(s, ctx, "[UNKNOWN-CTE] Cannot decode the "
		    "content transfer encoding");
	else if (rc != 0)
		session_no(s, ctx, "[LIMIT] Message part too large");
	else if (gone > 0)
		session_ok(s, ctx, "[EXPUNGEISSUED] Some messages were "
		    "expunged meanwhile.");
	else
		session_ok(s, ctx, "Fetch completed.");
out:
	free(idx);
	fetch_atts_clear(&fa);
}
