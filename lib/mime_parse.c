/*
 * mime_parse: split a message into its MIME part tree (RFC 2045, RFC
 * 2046 5.1 multiparts, RFC 2046 5.2.1 message/rfc822) in one pass over
 * its lines.
 *
 * Open multiparts keep their boundaries on a stack, so a delimiter line
 * can end any number of nested parts at once (an inner multipart that is
 * never closed ends at its parent's next delimiter, as in Dovecot). A
 * delimiter is "--boundary" followed by optional "--" and blanks; when no
 * boundary matches that exactly, a line that merely starts with
 * "--boundary" counts too (RFC 2046 5.1.1: "it is sufficient that the
 * boundary appear in its entirety following the CRLF"; Dovecot agrees),
 * the longest boundary winning. Per RFC 2046 5.1.1 the line break before
 * a delimiter belongs to the delimiter, not to the part.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "lib/mime.h"
#include "lib/mime_int.h"

struct mime_parser {
	struct mime_msg		*msg;
	const char		*d;
	size_t			 len;
	struct mime_part	*cur;		/* innermost open part */
	bool			 in_header;	/* cur's header not done */
	struct mime_part	*stack[MIME_MAX_DEPTH + 1];
	size_t			 nstack;	/* open multipart boundaries */
};

static struct mime_part	*mime_part_new(struct mime_parser *,
			    struct mime_part *, size_t);
static void		 mime_part_free(struct mime_part *);
static void		 mime_header_done(struct mime_parser *, size_t);
static void		 mime_set_type(struct mime_parser *,
			    struct mime_part *);
static void		 mime_finish(struct mime_parser *,
			    struct mime_part *, size_t);
static void		 mime_close_upto(struct mime_parser *,
			    struct mime_part *, size_t);
static bool		 mime_boundary_match(const struct mime_parser *,
			    size_t, size_t, size_t *, bool *);
static void		 mime_delimiter(struct mime_parser *, size_t, size_t,
			    size_t, bool);
static size_t		 mime_next_line(const char *, size_t, size_t);

static struct mime_part *
mime_part_new(struct mime_parser *p, struct mime_part *parent, size_t off)
{
	struct mime_part	*part;

	if ((part = calloc(1, sizeof(*part))) == NULL)
		fatal("mime: out of memory");
	part->parent = parent;
	part->hdr_off = part->body_off = off;
	if (parent != NULL) {
		part->depth = parent->depth + 1;
		if (parent->last != NULL)
			parent->last->next = part;
		else
			parent->child = part;
		parent->last = part;
		parent->nchildren++;
		/* RFC 2046 5.1.5: digest parts default to message/rfc822 */
		if ((parent->flags & MP_MULTIPART) &&
		    strcasecmp(parent->subtype, "digest") == 0)
			part->flags |= MP_IN_DIGEST;
	}
	p->msg->nparts++;
	return part;
}

static void
mime_part_free(struct mime_part *part)
{
	struct mime_part	*c, *next;

	for (c = part->child; c != NULL; c = next) {
		next = c->next;
		mime_part_free(c);
	}
	free(part->type);
	free(part->subtype);
	mime_params_clear(&part->params);
	free(part);
}

bool
mime_part_is_text(const struct mime_part *part)
{
	if (part->flags & MP_FORCED_LEAF)
		return true;
	if (part->flags & MP_DEFAULT_TYPE)
		return !(part->flags & MP_IN_DIGEST);
	return strcasecmp(part->type, "text") == 0;
}

bool
mime_part_is_message_type(const struct mime_part *part)
{
	if (part->flags & MP_DEFAULT_TYPE)
		return (part->flags & MP_IN_DIGEST) != 0;
	/* RFC 9051 7.5.2 treats message/global like message/rfc822 */
	return strcasecmp(part->type, "message") == 0 &&
	    (strcasecmp(part->subtype, "rfc822") == 0 ||
	    strcasecmp(part->subtype, "global") == 0);
}

const struct mime_param *
mime_part_charset(const struct mime_part *part)
{
	return mime_params_get(&part->params, "charset");
}

/* Content-Type of part, from its (finished) header. */
static void
mime_set_type(struct mime_parser *p, struct mime_part *part)
{
	struct mime_field	 f;
	const struct mime_param	*b;

	/* RFC 2045 5.2: missing or invalid: the default applies */
	if (!mime_field_first(p->d + part->hdr_off, part->hdr_len,
	    "Content-Type", &f) ||
	    !mime_content_type_parse(f.value, f.value_len, &part->type,
	    &part->subtype, &part->params)) {
		part->flags |= MP_DEFAULT_TYPE;
		return;
	}
	if (strcasecmp(part->type, "multipart") != 0)
		return;
	if (part->depth >= MIME_MAX_DEPTH) {
		part->flags |= MP_FORCED_LEAF;
		return;
	}
	part->flags |= MP_MULTIPART;
	b = mime_params_get(&part->params, "boundary");
	if (b != NULL && b->value_len > 0 &&
	    b->value_len <= MIME_MAX_BOUNDARY &&
	    memchr(b->value, '\0', b->value_len) == NULL) {
		part->boundary = b->value;
		part->boundary_len = b->value_len;
	}
}

/* The current part's header ends at off (just past its empty line). */
static void
mime_header_done(struct mime_parser *p, size_t off)
{
	struct mime_part	*part = p->cur;

	part->hdr_len = off - part->hdr_off;
	part->body_off = off;
	p->in_header = false;
	mime_set_type(p, part);
	if ((part->flags & MP_MULTIPART) && part->boundary != NULL &&
	    p->msg->nparts < MIME_MAX_PARTS && p->nstack <= MIME_MAX_DEPTH)
		p->stack[p->nstack++] = part;
	if ((part->flags & (MP_MULTIPART | MP_FORCED_LEAF)) ||
	    !mime_part_is_message_type(part))
		return;
	if (part->depth >= MIME_MAX_DEPTH ||
	    p->msg->nparts >= MIME_MAX_PARTS) {
		part->flags |= MP_FORCED_LEAF;
		return;
	}
	/* RFC 2046 5.2.1: the body is a whole message */
	part->flags |= MP_MESSAGE;
	p->cur = mime_part_new(p, part, off);
	p->in_header = true;
}

/* part ends at end (the start of the line break before a delimiter, or
 * the end of the text). */
static void
mime_finish(struct mime_parser *p, struct mime_part *part, size_t end)
{
	struct mime_part	*filler;

	if (end < part->hdr_off)
		end = part->hdr_off;
	if (part->body_off > end) {
		/* the empty line's CRLF was the delimiter's */
		part->hdr_len = end - part->hdr_off;
		part->body_off = end;
	}
	part->body_len = end - part->body_off;
	if (p->nstack > 0 && p->stack[p->nstack - 1] == part)
		p->nstack--;
	if ((part->flags & MP_MULTIPART) && part->nchildren == 0) {
		/* RFC 9051 9 body-type-mpart needs a part: the body stands
		 * for itself as text/plain */
		filler = mime_part_new(p, part, part->body_off);
		filler->flags = MP_DEFAULT_TYPE | MP_FILLER;
		filler->body_len = part->body_len;
	}
}

/* Finish the current part and its open ancestors below stop. */
static void
mime_close_upto(struct mime_parser *p, struct mime_part *stop, size_t end)
{
	while (p->cur != stop && p->cur != NULL) {
		if (p->in_header) {
			/* a header cut short by the delimiter */
			mime_header_done(p, end < p->cur->hdr_off ?
			    p->cur->hdr_off : end);
			if (p->in_header)
				continue;	/* an encapsulated message */
		}
		mime_finish(p, p->cur, end);
		p->cur = p->cur->parent;
	}
}

static size_t
mime_next_line(const char *d, size_t len, size_t pos)
{
	const char	*nl = memchr(d + pos, '\n', len - pos);

	return nl == NULL ? len : (size_t)(nl - d) + 1;
}

/*
 * Does the line [line, next) delimit a part of an open multipart? Sets
 * the stack index and whether it is the close delimiter.
 */
static bool
mime_boundary_match(const struct mime_parser *p, size_t line, size_t next,
    size_t *idx_r, bool *close_r)
{
	const struct mime_part	*m;
	const char		*s = p->d + line + 2, *rest;
	size_t			 n = next - line - 2, i, rn, best_len = 0;
	bool			 found = false;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	for (i = p->nstack; i-- > 0;) {
		m = p->stack[i];
		if (n < m->boundary_len ||
		    memcmp(s, m->boundary, m->boundary_len) != 0)
			continue;
		rest = s + m->boundary_len;
		rn = n - m->boundary_len;
		if (rn >= 2 && rest[0] == '-' && rest[1] == '-') {
			rest += 2;
			rn -= 2;
		}
		while (rn > 0 && (rest[rn - 1] == ' ' || rest[rn - 1] == '\t'))
			rn--;
		if (rn == 0) {
			/* RFC 2046 5.1.1: exact, innermost first */
			*idx_r = i;
			best_len = m->boundary_len;
			found = true;
			break;
		}
		if (m->boundary_len > best_len) {
			*idx_r = i;
			best_len = m->boundary_len;
			found = true;
		}
	}
	if (found) {
		rest = s + best_len;
		*close_r = n - best_len >= 2 && rest[0] == '-' &&
		    rest[1] == '-';
	}
	return found;
}

/* A delimiter of stack[idx] on the line [line, next). */
static void
mime_delimiter(struct mime_parser *p, size_t line, size_t next, size_t idx,
    bool close)
{
	struct mime_part	*m = p->stack[idx];
	size_t			 end = line;

	if (end > 0 && p->d[end - 1] == '\n') {
		end--;
		if (end > 0 && p->d[end - 1] == '\r')
			end--;
	}
	mime_close_upto(p, m, end);
	p->nstack = idx + 1;
	if (close) {
		/* the rest up to the parent's delimiter is epilogue */
		p->nstack = idx;
		p->cur = m;
		p->in_header = false;
		return;
	}
	p->cur = mime_part_new(p, m, next);
	p->in_header = true;
}

struct mime_msg *
mime_parse(const char *data, size_t len)
{
	struct mime_parser	 p;
	struct mime_msg		*msg;
	size_t			 pos = 0, next, idx;
	bool			 close;

	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		fatal("mime: out of memory");
	msg->data = data;
	msg->len = len;
	memset(&p, 0, sizeof(p));
	p.msg = msg;
	p.d = data;
	p.len = len;
	msg->root = p.cur = mime_part_new(&p, NULL, 0);
	p.in_header = true;
	while (pos < len) {
		next = mime_next_line(data, len, pos);
		if (p.nstack > 0 && next - pos >= 2 && data[pos] == '-' &&
		    data[pos + 1] == '-' &&
		    mime_boundary_match(&p, pos, next, &idx, &close)) {
			/* a close delimiter makes no part: always fine */
			if (close || msg->nparts < MIME_MAX_PARTS) {
				mime_delimiter(&p, pos, next, idx, close);
				pos = next;
				continue;
			}
			/* no room for more parts: the rest stays where it
			 * is */
			p.nstack = 0;
		}
		if (p.in_header && (data[pos] == '\n' || (data[pos] == '\r' &&
		    (pos + 1 == len || data[pos + 1] == '\n'))))
			mime_header_done(&p, next);
		pos = next;
	}
	mime_close_upto(&p, NULL, len);
	return msg;
}

void
mime_free(struct mime_msg **mp)
{
	if (mp == NULL || *mp == NULL)
		return;
	if ((*mp)->root != NULL)
		mime_part_free((*mp)->root);
	free(*mp);
	*mp = NULL;
}
