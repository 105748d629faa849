/*
 * mime_search: the message side of SEARCH HEADER, BODY and TEXT (RFC
 * 9051 6.4.4): case-insensitive substring matching on UTF-8.
 *
 * What is searched:
 *   - header fields: unfolded, RFC 2047 encoded words decoded to UTF-8;
 *     8-bit text outside encoded words as it is;
 *   - BODY: every text part (text/ *, parts without a Content-Type, and
 *     message/ * parts that do not encapsulate a message, such as
 *     message/delivery-status), transfer encoding removed and converted
 *     from its charset to UTF-8, including the parts of encapsulated
 *     messages. Attachments of other types (images, application/ *) are
 *     not searched: their decoded bytes would only give false matches.
 *     Preambles, epilogues and header fields are not body text;
 *   - TEXT: the body as above, the message header, and the MIME headers
 *     of all parts and encapsulated messages ("including MIME header
 *     fields", RFC 9051 6.4.4).
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/charset.h"
#include "lib/mime.h"
#include "lib/mime_int.h"
#include "lib/utf8.h"

struct mime_needle {
	const char	*s;
	size_t		 len;
};

static bool	 mime_header_text_match(const char *, size_t,
		    const struct mime_needle *);
static bool	 mime_leaf_searchable(const struct mime_part *);
static bool	 mime_leaf_match(const struct mime_msg *,
		    const struct mime_part *, const struct mime_needle *);
static bool	 mime_part_match(const struct mime_msg *,
		    const struct mime_part *, const struct mime_needle *,
		    bool);

bool
mime_header_contains(const struct mime_msg *msg, const char *field,
    const char *needle, size_t nlen)
{
	const struct mime_part	*r = msg->root;
	struct mime_field	 f;
	struct buf		 v;
	size_t			 pos = 0;
	bool			 found = false;

	while (!found && mime_field_next(mime_part_hdr(msg, r), r->hdr_len,
	    &pos, &f)) {
		if (!mime_field_is(&f, field))
			continue;
		/* RFC 9051 6.4.4: an empty string matches the field */
		if (nlen == 0)
			return true;
		buf_init(&v, 4 * f.value_len + 64);
		(void)mime_decode_2047(&v, f.value, f.value_len);
		found = utf8_contains_ci((const char *)buf_data(&v),
		    buf_len(&v), needle, nlen);
		buf_release(&v);
	}
	return found;
}

/* Every field of a header block as "Name: decoded value" lines. */
static bool
mime_header_text_match(const char *hdr, size_t len,
    const struct mime_needle *n)
{
	struct mime_field	 f;
	struct buf		 text;
	size_t			 pos = 0;
	bool			 found;

	if (len == 0)
		return false;
	buf_init(&text, 4 * len + 64);
	while (mime_field_next(hdr, len, &pos, &f)) {
		if (buf_append(&text, f.name, f.name_len) == -1 ||
		    buf_puts(&text, ": ") == -1 ||
		    mime_decode_2047(&text, f.value, f.value_len) == -1 ||
		    buf_puts(&text, "\r\n") == -1)
			break;
	}
	found = utf8_contains_ci((const char *)buf_data(&text), buf_len(&text),
	    n->s, n->len);
	buf_release(&text);
	return found;
}

static bool
mime_leaf_searchable(const struct mime_part *p)
{
	if (mime_part_is_text(p))
		return true;
	return !(p->flags & MP_DEFAULT_TYPE) &&
	    strcasecmp(p->type, "message") == 0;
}

static bool
mime_leaf_match(const struct mime_msg *msg, const struct mime_part *p,
    const struct mime_needle *n)
{
	const struct mime_param	*cs;
	struct buf		 dec, utf8;
	const char		*text;
	size_t			 len;
	bool			 found;

	if (!mime_leaf_searchable(p) || p->body_len == 0)
		return false;
	/* quoted-printable may double bare LFs into CRLFs, no more */
	buf_init(&dec, 2 * p->body_len + 64);
	buf_init(&utf8, 4 * p->body_len + 64);
	(void)mime_decode_body(&dec, msg, p);
	text = (const char *)buf_data(&dec);
	len = buf_len(&dec);
	cs = (p->flags & (MP_DEFAULT_TYPE | MP_FORCED_LEAF)) ? NULL :
	    mime_part_charset(p);
	if (cs != NULL && len > 0 &&
	    charset_needs_conversion(cs->value, cs->value_len)) {
		(void)charset_to_utf8(&utf8, cs->value, cs->value_len, text,
		    len);
		text = (const char *)buf_data(&utf8);
		len = buf_len(&utf8);
	}
	found = len > 0 && utf8_contains_ci(text, len, n->s, n->len);
	buf_release(&dec);
	buf_release(&utf8);
	return found;
}

/* Body text of p (and its MIME headers when headers is set). */
static bool
mime_part_match(const struct mime_msg *msg, const struct mime_part *p,
    const struct mime_needle *n, bool headers)
{
	const struct mime_part	*c;

	if (p->flags & MP_MULTIPART) {
		for (c = p->child; c != NULL; c = c->next) {
			if (headers && mime_header_text_match(
			    mime_part_hdr(msg, c), c->hdr_len, n))
				return true;
			if (mime_part_match(msg, c, n, headers))
				return true;
		}
		return false;
	}
	if ((p->flags & MP_MESSAGE) && p->child != NULL) {
		c = p->child;
		if (headers && mime_header_text_match(mime_part_hdr(msg, c),
		    c->hdr_len, n))
			return true;
		return mime_part_match(msg, c, n, headers);
	}
	return mime_leaf_match(msg, p, n);
}

bool
mime_body_contains(const struct mime_msg *msg, const char *needle,
    size_t nlen)
{
	struct mime_needle	 n = { needle, nlen };

	if (nlen == 0)
		return true;
	return mime_part_match(msg, msg->root, &n, false);
}

bool
mime_text_contains(const struct mime_msg *msg, const char *needle,
    size_t nlen)
{
	struct mime_needle	 n = { needle, nlen };
	const struct mime_part	*r = msg->root;

	if (nlen == 0)
		return true;
	if (mime_header_text_match(mime_part_hdr(msg, r), r->hdr_len, &n))
		return true;
	return mime_part_match(msg, r, &n, true);
}
