/*
 * mime_bodystructure: BODY and BODYSTRUCTURE (RFC 9051 7.5.2, grammar in
 * RFC 9051 9 "body").
 *
 * Output follows Dovecot so that clients see the same structure after a
 * migration:
 *   - type, subtype, parameter names and the transfer encoding are sent
 *     as the message spells them; without a valid Content-Type the part
 *     is "text" "plain" ("charset" "us-ascii") (RFC 2045 5.2), or
 *     "message" "rfc822" NIL inside a multipart/digest (RFC 2046 5.1.5);
 *   - a text part without a charset gets ("charset" "us-ascii") appended
 *     (RFC 2045 5.2 default);
 *   - the encoding defaults to "7bit" (RFC 2045 6.1);
 *   - RFC 2231 parameters are joined and decoded to UTF-8 (Dovecot sends
 *     them still encoded, as "name*" "utf-8''%E2...");
 *   - Content-Language is always a list; a disposition without
 *     parameters is ("inline" NIL);
 *   - a multipart with no parts (no boundary, or no delimiter found) gets
 *     one text/plain part holding its whole body, and parts nested too
 *     deep are text/plain leaves, so that the output always follows the
 *     grammar.
 * size is the body's length in octets; lines counts its LF characters.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/imap_write.h"
#include "lib/mime.h"
#include "lib/mime_int.h"

struct mime_bs {
	struct buf		*out;
	const struct mime_msg	*msg;
	bool			 ext;
};

static int	 mime_bs_part(struct mime_bs *, const struct mime_part *);
static int	 mime_bs_multi(struct mime_bs *, const struct mime_part *);
static int	 mime_bs_leaf(struct mime_bs *, const struct mime_part *);
static int	 mime_bs_type(struct mime_bs *, const struct mime_part *);
static int	 mime_bs_params(struct buf *, const struct mime_params *,
		    bool);
static int	 mime_bs_str(struct buf *, const char *);
static int	 mime_bs_encoding(struct mime_bs *, const struct mime_part *);
static int	 mime_bs_ext(struct mime_bs *, const struct mime_part *);
static int	 mime_bs_disposition(struct buf *, const char *, size_t);
static int	 mime_bs_language(struct buf *, const char *, size_t);
static size_t	 mime_count_lines(const char *, size_t);

static int
mime_bs_str(struct buf *out, const char *s)
{
	return mime_write_nstring(out, s, strlen(s));
}

static size_t
mime_count_lines(const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *nl;
	size_t		 n = 0;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	return n;
}

/* body-fld-param: NIL or ("name" "value" ...) */
static int
mime_bs_params(struct buf *out, const struct mime_params *ps,
    bool add_charset)
{
	size_t	 i;

	if (ps->n == 0 && !add_charset)
		return buf_puts(out, "NIL");
	if (buf_putc(out, '(') == -1)
		return -1;
	for (i = 0; i < ps->n; i++) {
		if ((i > 0 && buf_putc(out, ' ') == -1) ||
		    mime_bs_str(out, ps->v[i].name) == -1 ||
		    buf_putc(out, ' ') == -1 ||
		    mime_write_nstring(out, ps->v[i].value,
		    ps->v[i].value_len) == -1)
			return -1;
	}
	if (add_charset && buf_puts(out, ps->n > 0 ?
	    " \"charset\" \"us-ascii\"" : "\"charset\" \"us-ascii\"") == -1)
		return -1;
	return buf_putc(out, ')');
}

/* media type, subtype and body-fld-param of a non-multipart part */
static int
mime_bs_type(struct mime_bs *bs, const struct mime_part *p)
{
	struct buf	*out = bs->out;
	bool		 charset;

	if (p->flags & MP_FORCED_LEAF)
		return buf_puts(out, "\"text\" \"plain\" (\"charset\" "
		    "\"us-ascii\")");
	if (p->flags & MP_DEFAULT_TYPE) {
		if (p->flags & MP_IN_DIGEST)
			return buf_puts(out, "\"message\" \"rfc822\" NIL");
		return buf_puts(out, "\"text\" \"plain\" (\"charset\" "
		    "\"us-ascii\")");
	}
	/* Dovecot spells the encapsulating types in lower case */
	if (p->flags & MP_MESSAGE) {
		if (buf_puts(out, strcasecmp(p->subtype, "global") == 0 ?
		    "\"message\" \"global\" " :
		    "\"message\" \"rfc822\" ") == -1)
			return -1;
		return mime_bs_params(out, &p->params, false);
	}
	charset = mime_part_is_text(p) && mime_part_charset(p) == NULL;
	if (mime_bs_str(out, p->type) == -1 || buf_putc(out, ' ') == -1 ||
	    mime_bs_str(out, p->subtype) == -1 || buf_putc(out, ' ') == -1)
		return -1;
	return mime_bs_params(out, &p->params, charset);
}

/* body-fld-enc: the Content-Transfer-Encoding token, or "7bit" */
static int
mime_bs_encoding(struct mime_bs *bs, const struct mime_part *p)
{
	struct mime_field	 f;
	struct mime_lex		 l;
	const char		*tok;
	size_t			 n = 0;

	if (mime_field_first(mime_part_hdr(bs->msg, p), p->hdr_len,
	    "Content-Transfer-Encoding", &f)) {
		mime_lex_init(&l, f.value, f.value_len);
		(void)mime_lex_cfws(&l);
		n = mime_lex_token(&l, &tok);
	}
	if (n == 0)
		return buf_puts(bs->out, "\"7bit\"");
	return mime_write_nstring(bs->out, tok, n);
}

/* body-fld-dsp: ("type" params) or NIL (RFC 2183) */
static int
mime_bs_disposition(struct buf *out, const char *hdr, size_t len)
{
	struct mime_field	 f;
	struct mime_params	 ps;
	char			*type;
	int			 rc;

	memset(&ps, 0, sizeof(ps));
	if (!mime_field_first(hdr, len, "Content-Disposition", &f) ||
	    !mime_disposition_parse(f.value, f.value_len, &type, &ps))
		return buf_puts(out, "NIL");
	rc = buf_putc(out, '(') == -1 || mime_bs_str(out, type) == -1 ||
	    buf_putc(out, ' ') == -1 || mime_bs_params(out, &ps, false) == -1 ||
	    buf_putc(out, ')') == -1 ? -1 : 0;
	free(type);
	mime_params_clear(&ps);
	return rc;
}

/* body-fld-lang: Content-Language (RFC 3282) as a list, or NIL */
static int
mime_bs_language(struct buf *out, const char *hdr, size_t len)
{
	struct mime_field	 f;
	struct mime_lex		 l;
	const char		*tok;
	size_t			 n, count = 0, start = buf_len(out);

	if (!mime_field_first(hdr, len, "Content-Language", &f))
		return buf_puts(out, "NIL");
	mime_lex_init(&l, f.value, f.value_len);
	while (!mime_lex_eof(&l)) {
		(void)mime_lex_cfws(&l);
		if ((n = mime_lex_token(&l, &tok)) == 0) {
			if (!mime_lex_eof(&l))
				l.pos++;	/* "," or junk */
			continue;
		}
		if (buf_puts(out, count++ == 0 ? "(" : " ") == -1 ||
		    mime_write_nstring(out, tok, n) == -1)
			return -1;
	}
	if (count == 0) {
		buf_truncate(out, start);
		return buf_puts(out, "NIL");
	}
	return buf_putc(out, ')');
}

/* The extension data after body-fld-md5 / body-fld-param. */
static int
mime_bs_ext(struct mime_bs *bs, const struct mime_part *p)
{
	const char	*hdr = mime_part_hdr(bs->msg, p);

	if (buf_putc(bs->out, ' ') == -1 ||
	    mime_bs_disposition(bs->out, hdr, p->hdr_len) == -1 ||
	    buf_putc(bs->out, ' ') == -1 ||
	    mime_bs_language(bs->out, hdr, p->hdr_len) == -1 ||
	    buf_putc(bs->out, ' ') == -1)
		return -1;
	return mime_write_field(bs->out, hdr, p->hdr_len, "Content-Location",
	    MIME_FIELD_MIME);
}

/* body-type-mpart: 1*body SP media-subtype [SP body-ext-mpart] */
static int
mime_bs_multi(struct mime_bs *bs, const struct mime_part *p)
{
	const struct mime_part	*c;

	if (buf_putc(bs->out, '(') == -1)
		return -1;
	for (c = p->child; c != NULL; c = c->next)
		if (mime_bs_part(bs, c) == -1)
			return -1;
	if (buf_putc(bs->out, ' ') == -1 || mime_bs_str(bs->out,
	    p->subtype) == -1)
		return -1;
	if (bs->ext && (buf_putc(bs->out, ' ') == -1 ||
	    mime_bs_params(bs->out, &p->params, false) == -1 ||
	    mime_bs_ext(bs, p) == -1))
		return -1;
	return buf_putc(bs->out, ')');
}

/* body-type-basic / body-type-msg / body-type-text */
static int
mime_bs_leaf(struct mime_bs *bs, const struct mime_part *p)
{
	struct buf	*out = bs->out;
	const char	*hdr = mime_part_hdr(bs->msg, p), *body;
	const struct mime_part *enc = p->child;
	size_t		 hlen = p->hdr_len;

	body = mime_part_body(bs->msg, p);
	if (buf_putc(out, '(') == -1 || mime_bs_type(bs, p) == -1 ||
	    buf_putc(out, ' ') == -1 ||
	    mime_write_field(out, hdr, hlen, "Content-ID",
	    MIME_FIELD_MIME) == -1 ||
	    buf_putc(out, ' ') == -1 ||
	    mime_write_field(out, hdr, hlen, "Content-Description",
	    MIME_FIELD_MIME) == -1 || buf_putc(out, ' ') == -1 ||
	    mime_bs_encoding(bs, p) == -1 ||
	    buf_printf(out, " %zu", p->body_len) == -1)
		return -1;
	if ((p->flags & MP_MESSAGE) && enc != NULL) {
		if (buf_putc(out, ' ') == -1 ||
		    mime_write_envelope_hdr(out, mime_part_hdr(bs->msg, enc),
		    enc->hdr_len) == -1 || buf_putc(out, ' ') == -1 ||
		    mime_bs_part(bs, enc) == -1 ||
		    buf_printf(out, " %zu", mime_count_lines(body,
		    p->body_len)) == -1)
			return -1;
	} else if (mime_part_is_text(p) &&
	    buf_printf(out, " %zu", mime_count_lines(body, p->body_len)) == -1)
		return -1;
	if (bs->ext && (buf_putc(out, ' ') == -1 ||
	    mime_write_field(out, hdr, hlen, "Content-MD5",
	    MIME_FIELD_MIME) == -1 ||
	    mime_bs_ext(bs, p) == -1))
		return -1;
	return buf_putc(out, ')');
}

static int
mime_bs_part(struct mime_bs *bs, const struct mime_part *p)
{
	if (p->flags & MP_MULTIPART)
		return mime_bs_multi(bs, p);
	return mime_bs_leaf(bs, p);
}

int
mime_write_bodystructure(struct buf *out, const struct mime_msg *msg,
    bool extensible)
{
	struct mime_bs	 bs;
	size_t		 start = buf_len(out);

	bs.out = out;
	bs.msg = msg;
	bs.ext = extensible;
	if (mime_bs_part(&bs, msg->root) == -1) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}
