/*
 * mime_section: BODY[section] (RFC 9051 6.4.5) and BINARY[section]
 * (RFC 9051 6.4.5, RFC 3516) contents.
 *
 * Part numbers: every multipart numbers its parts from 1; a message that
 * is not multipart has one part, 1, which is its body (and whose MIME
 * header is the message header). A message/rfc822 part continues with
 * the numbering of the message it encapsulates. HEADER, TEXT and
 * HEADER.FIELDS after a part number need a message/rfc822 part.
 *
 * BINARY choices: a multipart or message/rfc822 part (RFC 9051 allows
 * BINARY only on leaves) is returned as it is, like BODY[]; BINARY[] of a
 * single-part message is its header, with the Content-Transfer-Encoding
 * field changed to "binary", followed by the decoded body (as Dovecot
 * does); of a multipart message, the message as it is.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "lib/base64.h"
#include "lib/buf.h"
#include "lib/mime.h"
#include "lib/mime_int.h"
#include "lib/qp.h"
#include "lib/section.h"

static const struct mime_part *mime_child(const struct mime_part *,
			    uint32_t, bool *);
static const struct mime_part *mime_resolve(const struct mime_msg *,
			    const struct section *);
static bool		 mime_field_listed(const struct mime_field *,
			    const struct section *);
static int		 mime_header_fields(struct buf *, const char *, size_t,
			    const struct section *);
static int		 mime_message_text(const struct mime_msg *,
			    const struct mime_part *, const struct section *,
			    struct buf *, const char **, size_t *);
static size_t		 mime_base64_size(const char *, size_t);
static int		 mime_binary_message(const struct mime_msg *,
			    struct buf *);

/*
 * Part k (from 1) inside part p: a multipart's part k; for a
 * message/rfc822 part, part k of the encapsulated message, which is
 * itself when it is not multipart. A leaf inside a multipart is its own
 * part 1 too, once (Dovecot does this; "2.1" then names part 2). *self
 * tells whether p was reached that way.
 */
static const struct mime_part *
mime_child(const struct mime_part *p, uint32_t k, bool *self)
{
	const struct mime_part	*c;

	if ((p->flags & MP_MESSAGE) && p->child != NULL) {
		p = p->child;
		if (!(p->flags & MP_MULTIPART)) {
			*self = true;
			return k == 1 ? p : NULL;
		}
	}
	if (!(p->flags & MP_MULTIPART)) {
		if (*self || k != 1)
			return NULL;
		*self = true;
		return p;
	}
	*self = false;
	for (c = p->child; c != NULL && k > 1; c = c->next)
		k--;
	return k == 1 ? c : NULL;
}

static const struct mime_part *
mime_resolve(const struct mime_msg *msg, const struct section *sec)
{
	const struct mime_part	*p = msg->root;
	size_t			 i;
	bool			 self = false;

	if (sec->nparts == 0)
		return NULL;
	/* RFC 9051 6.4.5: a message that is not multipart has part 1 */
	if (!(p->flags & MP_MULTIPART)) {
		if (sec->part[0] != 1)
			return NULL;
		self = true;
	} else
		p = mime_child(p, sec->part[0], &self);
	for (i = 1; i < sec->nparts && p != NULL; i++)
		p = mime_child(p, sec->part[i], &self);
	return p;
}

static bool
mime_field_listed(const struct mime_field *f, const struct section *sec)
{
	size_t	 i;

	for (i = 0; i < sec->nfields; i++)
		if (mime_field_is(f, sec->fields[i]))
			return true;
	return false;
}

/*
 * HEADER.FIELDS (.NOT): the chosen fields as they are, in their order,
 * then the empty line (RFC 9051 6.4.5).
 */
static int
mime_header_fields(struct buf *tmp, const char *hdr, size_t len,
    const struct section *sec)
{
	struct mime_field	 f;
	size_t			 pos = 0;
	bool			 not = sec->kind == SECTION_HEADER_FIELDS_NOT;

	while (mime_field_next(hdr, len, &pos, &f)) {
		if (mime_field_listed(&f, sec) == not)
			continue;
		if (buf_append(tmp, f.raw, f.raw_len) == -1)
			return -1;
		/* a last field cut off without its line break */
		if (f.raw[f.raw_len - 1] != '\n' && buf_puts(tmp, "\r\n") == -1)
			return -1;
	}
	return buf_puts(tmp, "\r\n");
}

/* HEADER, HEADER.FIELDS (.NOT), TEXT or all of message m. */
static int
mime_message_text(const struct mime_msg *msg, const struct mime_part *m,
    const struct section *sec, struct buf *tmp, const char **p_r,
    size_t *len_r)
{
	switch (sec->kind) {
	case SECTION_HEADER:
		*p_r = mime_part_hdr(msg, m);
		*len_r = m->hdr_len;
		return MIME_SECTION_OK;
	case SECTION_TEXT:
		*p_r = mime_part_body(msg, m);
		*len_r = m->body_len;
		return MIME_SECTION_OK;
	case SECTION_HEADER_FIELDS:
	case SECTION_HEADER_FIELDS_NOT:
		if (mime_header_fields(tmp, mime_part_hdr(msg, m), m->hdr_len,
		    sec) == -1)
			return MIME_SECTION_FULL;
		*p_r = (const char *)buf_data(tmp);
		*len_r = buf_len(tmp);
		return MIME_SECTION_OK;
	case SECTION_ALL:
		*p_r = mime_part_hdr(msg, m);
		*len_r = m->hdr_len + m->body_len;
		return MIME_SECTION_OK;
	default:
		return MIME_SECTION_NONE;
	}
}

int
mime_get_section(const struct mime_msg *msg, const struct section *sec,
    struct buf *tmp, const char **p_r, size_t *len_r)
{
	const struct mime_part	*p;

	buf_reset(tmp);
	*p_r = "";
	*len_r = 0;
	if (sec->nparts == 0) {
		if (sec->kind == SECTION_ALL) {
			*p_r = msg->data;
			*len_r = msg->len;
			return MIME_SECTION_OK;
		}
		return mime_message_text(msg, msg->root, sec, tmp, p_r, len_r);
	}
	if ((p = mime_resolve(msg, sec)) == NULL)
		return MIME_SECTION_NONE;
	switch (sec->kind) {
	case SECTION_ALL:
		*p_r = mime_part_body(msg, p);
		*len_r = p->body_len;
		return MIME_SECTION_OK;
	case SECTION_MIME:
		*p_r = mime_part_hdr(msg, p);
		*len_r = p->hdr_len;
		return MIME_SECTION_OK;
	default:
		/* RFC 9051 6.4.5: only after a message/rfc822 part */
		if (!(p->flags & MP_MESSAGE) || p->child == NULL)
			return MIME_SECTION_NONE;
		return mime_message_text(msg, p->child, sec, tmp, p_r, len_r);
	}
}

enum mime_cte
mime_part_cte(const struct mime_msg *msg, const struct mime_part *p)
{
	struct mime_field	 f;
	struct mime_lex		 l;
	const char		*tok;
	size_t			 n;

	if (!mime_field_first(mime_part_hdr(msg, p), p->hdr_len,
	    "Content-Transfer-Encoding", &f))
		return MIME_CTE_IDENTITY;
	mime_lex_init(&l, f.value, f.value_len);
	(void)mime_lex_cfws(&l);
	n = mime_lex_token(&l, &tok);
	/* RFC 2045 6.1: values are case-insensitive; 7bit by default */
	if (n == 0 || (n == 4 && strncasecmp(tok, "7bit", 4) == 0) ||
	    (n == 4 && strncasecmp(tok, "8bit", 4) == 0) ||
	    (n == 6 && strncasecmp(tok, "binary", 6) == 0))
		return MIME_CTE_IDENTITY;
	if (n == 6 && strncasecmp(tok, "base64", 6) == 0)
		return MIME_CTE_BASE64;
	if (n == 16 && strncasecmp(tok, "quoted-printable", 16) == 0)
		return MIME_CTE_QP;
	return MIME_CTE_UNKNOWN;
}

/* Exactly what base64_decode_mime() makes of s: alphabet characters up
 * to the first "=", whole bytes only. */
static size_t
mime_base64_size(const char *s, size_t len)
{
	size_t		 i, n = 0;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '=')
			break;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '/')
			n++;
	}
	return n / 4 * 3 + (n % 4 >= 2 ? n % 4 - 1 : 0);
}

int
mime_decode_body(struct buf *out, const struct mime_msg *msg,
    const struct mime_part *p)
{
	const char	*body = mime_part_body(msg, p);

	switch (mime_part_cte(msg, p)) {
	case MIME_CTE_BASE64:
		if (mime_base64_size(body, p->body_len) >
		    out->max - buf_len(out))
			return -1;
		base64_decode_mime(out, body, p->body_len);
		return 0;
	case MIME_CTE_QP:
		return qp_decode(out, body, p->body_len, false);
	case MIME_CTE_IDENTITY:
		return buf_append(out, body, p->body_len);
	default:
		return -2;
	}
}

/* BINARY[] of a single-part message: header with the encoding changed,
 * then the decoded body. */
static int
mime_binary_message(const struct mime_msg *msg, struct buf *tmp)
{
	const struct mime_part	*r = msg->root;
	const char		*hdr = mime_part_hdr(msg, r);
	struct mime_field	 f;
	size_t			 pos = 0, from = 0;
	bool			 done = false;

	while (mime_field_next(hdr, r->hdr_len, &pos, &f)) {
		if (!mime_field_is(&f, "Content-Transfer-Encoding"))
			continue;
		if (buf_append(tmp, hdr + from, (size_t)(f.raw - hdr) -
		    from) == -1 || (!done && buf_puts(tmp,
		    "Content-Transfer-Encoding: binary\r\n") == -1))
			return -1;
		done = true;
		from = (size_t)(f.raw - hdr) + f.raw_len;
	}
	if (buf_append(tmp, hdr + from, r->hdr_len - from) == -1)
		return -1;
	return mime_decode_body(tmp, msg, r);
}

int
mime_get_binary(const struct mime_msg *msg, const struct section *sec,
    struct buf *tmp, const char **p_r, size_t *len_r)
{
	const struct mime_part	*p;
	enum mime_cte		 cte;
	int			 rc;

	buf_reset(tmp);
	*p_r = "";
	*len_r = 0;
	if (sec->kind != SECTION_ALL)
		return MIME_SECTION_NONE;
	if (sec->nparts == 0)
		p = msg->root;
	else if ((p = mime_resolve(msg, sec)) == NULL)
		return MIME_SECTION_NONE;
	cte = mime_part_cte(msg, p);
	if ((p->flags & (MP_MULTIPART | MP_MESSAGE)) ||
	    cte == MIME_CTE_IDENTITY) {
		if (sec->nparts == 0) {
			*p_r = msg->data;
			*len_r = msg->len;
		} else {
			*p_r = mime_part_body(msg, p);
			*len_r = p->body_len;
		}
		return MIME_SECTION_OK;
	}
	if (cte == MIME_CTE_UNKNOWN)
		return MIME_SECTION_UNKNOWN_CTE;
	rc = sec->nparts == 0 ? mime_binary_message(msg, tmp) :
	    mime_decode_body(tmp, msg, p);
	if (rc == -1) {
		buf_reset(tmp);
		return MIME_SECTION_FULL;
	}
	*p_r = (const char *)buf_data(tmp);
	*len_r = buf_len(tmp);
	if (*p_r == NULL)
		*p_r = "";
	return MIME_SECTION_OK;
}
