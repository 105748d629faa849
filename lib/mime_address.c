/*
 * mime_address: RFC 5322 3.4 address lists (with the obsolete forms of
 * RFC 5322 4.4: routes, empty list elements, CFWS between tokens) for the
 * address fields of ENVELOPE (RFC 9051 7.5.2).
 *
 * Whatever the input, the output is a well-formed list: groups are always
 * closed, and an address without a mailbox or domain gets Dovecot's
 * placeholders MISSING_MAILBOX / MISSING_DOMAIN, because a NIL host would
 * read as the start of a group. Choices for what RFC 5322 leaves open:
 *   - a comment is the name only when there is no display name, and only
 *     a comment after the address starts ("u@h (Name)"; the last one wins)
 *     - what Dovecot does;
 *   - display names and quoted local parts are unquoted;
 *   - empty list elements ("a@b, , c@d") are skipped;
 *   - a single word without "@" is a mailbox without a domain, several
 *     words a name without an address;
 *   - text after an address up to the next "," is ignored.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/imap_write.h"
#include "lib/log.h"
#include "lib/mime_int.h"

enum mime_addr_kind {
	ADDR_MAILBOX,
	ADDR_GROUP_START,	/* (NIL NIL "name" NIL) */
	ADDR_GROUP_END		/* (NIL NIL NIL NIL) */
};

struct mime_actx {
	struct mime_lex		 l;
	struct mime_addrs	*out;
};

static char	*mime_buf_str(struct buf *);
static void	 mime_addr_add(struct mime_addrs *, enum mime_addr_kind,
		    char *, char *, char *, char *);
static char	*mime_strdup(const char *);
static size_t	 mime_phrase(struct mime_actx *, struct buf *, size_t *);
static void	 mime_domain(struct mime_actx *, struct buf *);
static void	 mime_junk(struct mime_actx *, bool);
static char	*mime_comment_name(struct mime_actx *, size_t);
static void	 mime_angle(struct mime_actx *, struct buf *, size_t,
		    bool);
static void	 mime_group(struct mime_actx *, struct buf *);
static void	 mime_address(struct mime_actx *, bool);
static int	 mime_addr_write(struct buf *, const struct mime_addr *);

/* The buffer's contents as a malloc'd string; NULL if empty. A NUL
 * byte (damaged mail) becomes 0x80 so that the string stays whole. */
static char *
mime_buf_str(struct buf *b)
{
	char	*s;
	size_t	 i;

	if (buf_len(b) == 0)
		return NULL;
	for (i = 0; i < b->len; i++)
		if (b->data[i] == '\0')
			b->data[i] = 0x80;
	s = buf_steal(b, NULL);
	if (s == NULL)
		fatal("mime: out of memory");
	return s;
}

/*
 * Append an address, taking over the strings. A mailbox always gets a
 * mailbox and a host (placeholders if missing) so that it cannot read as
 * a group marker; a group end is accepted even past the limit so that an
 * open group is always closed.
 */
static void
mime_addr_add(struct mime_addrs *as, enum mime_addr_kind kind, char *name,
    char *adl, char *mailbox, char *host)
{
	struct mime_addr	*nv;

	if (as->n >= MIME_MAX_ADDRS && kind != ADDR_GROUP_END) {
		free(name);
		free(adl);
		free(mailbox);
		free(host);
		return;
	}
	if (as->n == as->cap) {
		nv = reallocarray(as->v, as->cap + 16, sizeof(*as->v));
		if (nv == NULL)
			fatal("mime: out of memory");
		as->v = nv;
		as->cap += 16;
	}
	if (kind == ADDR_MAILBOX) {
		if (mailbox == NULL)
			mailbox = mime_strdup(MIME_MISSING_MAILBOX);
		if (host == NULL)
			host = mime_strdup(MIME_MISSING_DOMAIN);
	} else if (kind == ADDR_GROUP_START) {
		if (mailbox == NULL)
			mailbox = mime_strdup("");
	}
	as->v[as->n].name = name;
	as->v[as->n].adl = adl;
	as->v[as->n].mailbox = mailbox;
	as->v[as->n].host = host;
	as->n++;
}

static char *
mime_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("mime: out of memory");
	return p;
}

/*
 * Words (atoms, dots, quoted strings) up to the next special, joined
 * with one space where the text had blanks or comments. Returns the
 * number of words; *first_r gets the offset of the first one.
 */
static size_t
mime_phrase(struct mime_actx *a, struct buf *out, size_t *first_r)
{
	const char	*tok;
	size_t		 n, at, words = 0;
	bool		 space;

	*first_r = a->l.pos;
	for (;;) {
		space = mime_lex_cfws(&a->l);
		at = a->l.pos;
		if (mime_lex_peek(&a->l) == '"') {
			if (space && words > 0)
				(void)buf_putc(out, ' ');
			(void)mime_lex_quoted(&a->l, out);
		} else {
			if ((n = mime_lex_atom(&a->l, true, &tok)) == 0)
				break;
			if (space && words > 0)
				(void)buf_putc(out, ' ');
			(void)buf_append(out, tok, n);
		}
		if (words++ == 0)
			*first_r = at;
	}
	return words;
}

/* RFC 5322 3.4.1 domain (dot-atom, domain literal, obs-domain). */
static void
mime_domain(struct mime_actx *a, struct buf *out)
{
	const char	*tok;
	size_t		 n, start;

	for (;;) {
		(void)mime_lex_cfws(&a->l);
		if (mime_lex_peek(&a->l) == '[') {
			start = a->l.pos;
			while (!mime_lex_eof(&a->l) &&
			    mime_lex_peek(&a->l) != ']') {
				if (mime_lex_peek(&a->l) == '\\')
					a->l.pos++;
				a->l.pos++;
			}
			if (!mime_lex_eof(&a->l))
				a->l.pos++;
			if (a->l.pos > a->l.len)
				a->l.pos = a->l.len;
			(void)mime_unquote(out, a->l.s + start,
			    a->l.pos - start);
			continue;
		}
		if ((n = mime_lex_atom(&a->l, true, &tok)) == 0)
			break;
		(void)buf_append(out, tok, n);
	}
}

/* Skip to the next "," (or ";" in a group), past quotes and comments. */
static void
mime_junk(struct mime_actx *a, bool in_group)
{
	struct buf	 sink;
	int		 c;

	buf_init(&sink, 0);
	for (;;) {
		(void)mime_lex_cfws(&a->l);
		c = mime_lex_peek(&a->l);
		if (c == -1 || c == ',' || (c == ';' && in_group))
			break;
		if (c == '"')
			(void)mime_lex_quoted(&a->l, &sink);
		else
			a->l.pos++;
	}
	buf_release(&sink);
}

/* The last comment seen since offset from, as a name. */
static char *
mime_comment_name(struct mime_actx *a, size_t from)
{
	struct buf	 b;

	if (a->l.comment == NULL || a->l.comment_at < from)
		return NULL;
	buf_init(&b, a->l.comment_len + 1);
	(void)mime_unquote(&b, a->l.comment, a->l.comment_len);
	return mime_buf_str(&b);
}

/*
 * At "<": [obs-route] addr-spec ">" (RFC 5322 3.4, 4.4), then the rest
 * of the element. Without a display name, a comment anywhere in the
 * element since offset from is the name.
 */
static void
mime_angle(struct mime_actx *a, struct buf *name, size_t from,
    bool in_group)
{
	struct buf	 route, local, dom;
	size_t		 first;
	int		 c;
	char		*nm;

	buf_init(&route, a->l.len + 64);
	buf_init(&local, a->l.len + 64);
	buf_init(&dom, a->l.len + 64);
	a->l.pos++;
	(void)mime_lex_cfws(&a->l);
	if (mime_lex_peek(&a->l) == '@') {
		/* "@r1,@r2:" kept without blanks and comments */
		while ((c = mime_lex_peek(&a->l)) != -1 && c != ':' &&
		    c != '>') {
			if (!mime_lex_cfws(&a->l))
				(void)buf_putc(&route, a->l.s[a->l.pos++]);
		}
		if (c == ':')
			a->l.pos++;
	}
	(void)mime_phrase(a, &local, &first);
	if (mime_lex_peek(&a->l) == '@') {
		a->l.pos++;
		mime_domain(a, &dom);
	}
	(void)mime_lex_cfws(&a->l);
	if (mime_lex_peek(&a->l) == '>')
		a->l.pos++;
	mime_junk(a, in_group);
	nm = buf_len(name) > 0 ? mime_buf_str(name) :
	    mime_comment_name(a, from);
	mime_addr_add(a->out, ADDR_MAILBOX, nm, mime_buf_str(&route),
	    mime_buf_str(&local), mime_buf_str(&dom));
	buf_release(&route);
	buf_release(&local);
	buf_release(&dom);
}

/* After "name:" - RFC 5322 3.4 group, RFC 9051 7.5.2 markers. */
static void
mime_group(struct mime_actx *a, struct buf *name)
{
	char	*gname;
	int	 c;

	a->l.pos++;
	gname = mime_buf_str(name);
	mime_addr_add(a->out, ADDR_GROUP_START, NULL, NULL, gname, NULL);
	for (;;) {
		(void)mime_lex_cfws(&a->l);
		c = mime_lex_peek(&a->l);
		if (c == -1)
			break;
		if (c == ';') {
			a->l.pos++;
			break;
		}
		if (c == ',') {
			a->l.pos++;
			continue;
		}
		mime_address(a, true);
	}
	mime_addr_add(a->out, ADDR_GROUP_END, NULL, NULL, NULL, NULL);
}

/* One mailbox or group at the lexer position (not "," ";" or the end). */
static void
mime_address(struct mime_actx *a, bool in_group)
{
	struct buf	 phrase, dom;
	size_t		 start = a->l.pos, first, words;
	int		 c;

	buf_init(&phrase, a->l.len + 64);
	buf_init(&dom, a->l.len + 64);
	a->l.comment = NULL;
	words = mime_phrase(a, &phrase, &first);
	c = mime_lex_peek(&a->l);
	if (c == ':' && !in_group) {
		mime_group(a, &phrase);
	} else if (c == '<') {
		mime_angle(a, &phrase, start, in_group);
	} else if (c == '@') {
		/* addr-spec: the words were the local part */
		a->l.pos++;
		mime_domain(a, &dom);
		mime_junk(a, in_group);
		mime_addr_add(a->out, ADDR_MAILBOX,
		    mime_comment_name(a, first), NULL,
		    mime_buf_str(&phrase), mime_buf_str(&dom));
	} else {
		mime_junk(a, in_group);
		if (words == 1 && (buf_len(&phrase) == 0 ||
		    memchr(buf_data(&phrase), ' ', buf_len(&phrase)) == NULL)) {
			mime_addr_add(a->out, ADDR_MAILBOX,
			    mime_comment_name(a, first), NULL,
			    mime_buf_str(&phrase), NULL);
		} else if (words > 0) {
			mime_addr_add(a->out, ADDR_MAILBOX,
			    mime_buf_str(&phrase), NULL, NULL, NULL);
		}
	}
	if (a->l.pos == start)
		a->l.pos++;	/* a stray special: always make progress */
	buf_release(&phrase);
	buf_release(&dom);
}

void
mime_addrs_parse(struct mime_addrs *as, const char *v, size_t len)
{
	struct mime_actx	 a;
	int			 c;

	mime_lex_init(&a.l, v, len);
	a.out = as;
	for (;;) {
		(void)mime_lex_cfws(&a.l);
		c = mime_lex_peek(&a.l);
		if (c == -1)
			break;
		if (c == ',' || c == ';') {
			a.l.pos++;
			continue;
		}
		mime_address(&a, false);
	}
}

static int
mime_addr_write(struct buf *out, const struct mime_addr *ad)
{
	if (buf_putc(out, '(') == -1 ||
	    mime_write_nstring(out, ad->name, ad->name ? strlen(ad->name) :
	    0) == -1 || buf_putc(out, ' ') == -1 ||
	    mime_write_nstring(out, ad->adl, ad->adl ? strlen(ad->adl) :
	    0) == -1 || buf_putc(out, ' ') == -1 ||
	    mime_write_nstring(out, ad->mailbox, ad->mailbox ?
	    strlen(ad->mailbox) : 0) == -1 || buf_putc(out, ' ') == -1 ||
	    mime_write_nstring(out, ad->host, ad->host ? strlen(ad->host) :
	    0) == -1 || buf_putc(out, ')') == -1)
		return -1;
	return 0;
}

int
mime_addrs_write(struct buf *out, const struct mime_addrs *as)
{
	size_t	 i;

	if (as->n == 0)
		return buf_puts(out, "NIL");
	if (buf_putc(out, '(') == -1)
		return -1;
	for (i = 0; i < as->n; i++)
		if (mime_addr_write(out, &as->v[i]) == -1)
			return -1;
	return buf_putc(out, ')');
}

void
mime_addrs_clear(struct mime_addrs *as)
{
	size_t	 i;

	for (i = 0; i < as->n; i++) {
		free(as->v[i].name);
		free(as->v[i].adl);
		free(as->v[i].mailbox);
		free(as->v[i].host);
	}
	free(as->v);
	memset(as, 0, sizeof(*as));
}
