/*
 * mime_params: Content-Type (RFC 2045 5.1) and Content-Disposition
 * (RFC 2183) values with their parameters, including RFC 2231
 * continuations (name*0, name*1*) and charset'language'%XX values, which
 * are joined and converted to UTF-8.
 *
 * Parsing is lenient: junk between parameters is skipped up to the next
 * ";", unquoted values may hold "=", "/" and the like (common boundary
 * spellings), and a parameter without a value is dropped.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/charset.h"
#include "lib/log.h"
#include "lib/mime_int.h"

/* RFC 2231 3: section numbers; more pieces than this are not joined. */
#define MIME_MAX_SECTION	999

struct mime_rawp {
	const char	*name;		/* into the header value */
	size_t		 name_len;
	char		*value;		/* quoted string decoded */
	size_t		 value_len;
	size_t		 base_len;	/* name without RFC 2231 suffix */
	int		 section;	/* -1: none */
	bool		 ext;		/* charset'lang'%XX encoded */
	bool		 is2231;
	bool		 done;
};

struct mime_rawps {
	struct mime_rawp	*v;
	size_t			 n;
};

static char	*mime_strndup(const char *, size_t);
static void	 mime_skip_junk(struct mime_lex *);
static bool	 mime_param_one(struct mime_lex *, struct mime_rawps *);
static void	 mime_rawp_analyse(struct mime_rawp *);
static bool	 mime_base_eq(const struct mime_rawp *,
		    const struct mime_rawp *);
static bool	 mime_group_valid(const struct mime_rawps *, size_t);
static void	 mime_group_join(struct mime_rawps *, size_t,
		    struct mime_params *);
static int	 mime_hexval(char);
static void	 mime_pct_decode(struct buf *, const char *, size_t);
static void	 mime_params_add(struct mime_params *, const char *, size_t,
		    char *, size_t);

static char *
mime_strndup(const char *s, size_t n)
{
	char	*p;

	if ((p = malloc(n + 1)) == NULL)
		fatal("mime: out of memory");
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Skip to the next ";" outside quoted strings and comments. */
static void
mime_skip_junk(struct mime_lex *l)
{
	struct buf	 sink;

	buf_init(&sink, 0);
	while (!mime_lex_eof(l) && mime_lex_peek(l) != ';') {
		if (mime_lex_peek(l) == '"')
			(void)mime_lex_quoted(l, &sink);
		else if (!mime_lex_cfws(l))
			l->pos++;
	}
	buf_release(&sink);
}

/* One "; name = value" at the lexer position (after the ";"). */
static bool
mime_param_one(struct mime_lex *l, struct mime_rawps *ps)
{
	struct mime_rawp	*p;
	struct buf		 val;
	const char		*name, *v;
	size_t			 nlen, start;

	(void)mime_lex_cfws(l);
	if ((nlen = mime_lex_token(l, &name)) == 0)
		return false;
	(void)mime_lex_cfws(l);
	if (mime_lex_peek(l) != '=')
		return false;
	l->pos++;
	(void)mime_lex_cfws(l);
	buf_init(&val, l->len);
	if (mime_lex_peek(l) == '"')
		(void)mime_lex_quoted(l, &val);
	else {
		/* lenient token: anything up to ";", blank, "(" or "\"" */
		start = l->pos;
		while (!mime_lex_eof(l) && strchr("; \t\r\n(\"",
		    mime_lex_peek(l)) == NULL)
			l->pos++;
		if (l->pos == start) {
			buf_release(&val);
			return false;
		}
		v = l->s + start;
		(void)buf_append(&val, v, l->pos - start);
	}
	if (ps->n >= MIME_MAX_PARAMS) {
		buf_release(&val);
		return false;
	}
	p = &ps->v[ps->n++];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->name_len = nlen;
	p->value_len = buf_len(&val);
	p->value = val.data == NULL ? mime_strndup("", 0) :
	    buf_steal(&val, NULL);
	buf_release(&val);
	mime_rawp_analyse(p);
	return true;
}

/* RFC 2231 3 and 4: name*, name*N, name*N* */
static void
mime_rawp_analyse(struct mime_rawp *p)
{
	const char	*star;
	size_t		 i;
	int		 sec = 0;

	p->base_len = p->name_len;
	p->section = -1;
	star = memchr(p->name, '*', p->name_len);
	if (star == NULL || star == p->name)
		return;
	i = (size_t)(star - p->name) + 1;
	if (i == p->name_len) {
		p->base_len = i - 1;
		p->ext = p->is2231 = true;
		return;
	}
	if (p->name[i] < '0' || p->name[i] > '9')
		return;
	for (; i < p->name_len && p->name[i] >= '0' && p->name[i] <= '9';
	    i++) {
		sec = sec * 10 + (p->name[i] - '0');
		if (sec > MIME_MAX_SECTION)
			return;
	}
	if (i + 1 == p->name_len && p->name[i] == '*')
		p->ext = true;
	else if (i != p->name_len)
		return;
	p->base_len = (size_t)(star - p->name);
	p->section = sec;
	p->is2231 = true;
}

static bool
mime_base_eq(const struct mime_rawp *a, const struct mime_rawp *b)
{
	return a->base_len == b->base_len &&
	    strncasecmp(a->name, b->name, a->base_len) == 0;
}

/* Is there a usable RFC 2231 form (name* or name*0) of ps->v[i]'s name? */
static bool
mime_group_valid(const struct mime_rawps *ps, size_t i)
{
	size_t	 j;

	for (j = 0; j < ps->n; j++) {
		if (!ps->v[j].is2231 || !mime_base_eq(&ps->v[i], &ps->v[j]))
			continue;
		if (ps->v[j].section <= 0)
			return true;
	}
	return false;
}

static int
mime_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 2231 7: %XX octets; a "%" without two hex digits stays. */
static void
mime_pct_decode(struct buf *out, const char *s, size_t len)
{
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = mime_hexval(s[i + 1])) >= 0 &&
		    (lo = mime_hexval(s[i + 2])) >= 0) {
			(void)buf_putc(out, hi << 4 | lo);
			i += 2;
		} else
			(void)buf_putc(out, (unsigned char)s[i]);
	}
}

/* Join the RFC 2231 group of ps->v[i] into one decoded parameter. */
static void
mime_group_join(struct mime_rawps *ps, size_t i, struct mime_params *r)
{
	struct buf		 raw, utf8;
	struct mime_rawp	*p, *first = NULL;
	const char		*cs = NULL, *q1, *q2, *v;
	size_t			 j, cslen = 0, vlen, limit = 0;
	int			 sec;

	for (j = i; j < ps->n; j++) {
		p = &ps->v[j];
		if (p->is2231 && mime_base_eq(&ps->v[i], p)) {
			p->done = true;
			limit += p->value_len;
			if (p->section == -1 && first == NULL)
				first = p;
		}
	}
	buf_init(&raw, limit + 1);
	for (sec = first != NULL ? -1 : 0; sec <= MIME_MAX_SECTION; sec++) {
		for (j = i, p = NULL; j < ps->n && p == NULL; j++)
			if (ps->v[j].is2231 && ps->v[j].section == sec &&
			    mime_base_eq(&ps->v[i], &ps->v[j]))
				p = &ps->v[j];
		if (p == NULL)
			break;	/* RFC 2231 3: pieces run 0, 1, 2... */
		v = p->value;
		vlen = p->value_len;
		if (sec <= 0 && p->ext &&
		    (q1 = memchr(v, '\'', vlen)) != NULL &&
		    (q2 = memchr(q1 + 1, '\'', vlen - (size_t)(q1 + 1 - v)))
		    != NULL) {
			/* RFC 2231 4: charset'language'value */
			cs = v;
			cslen = (size_t)(q1 - v);
			vlen -= (size_t)(q2 + 1 - v);
			v = q2 + 1;
		}
		if (p->ext)
			mime_pct_decode(&raw, v, vlen);
		else
			(void)buf_append(&raw, v, vlen);
		if (sec == -1)
			break;
	}
	buf_init(&utf8, 4 * limit + 16);
	if (cs != NULL && cslen > 0)
		(void)charset_to_utf8(&utf8, cs, cslen,
		    (const char *)buf_data(&raw), buf_len(&raw));
	else if (buf_len(&raw) > 0)
		(void)buf_append(&utf8, buf_data(&raw), buf_len(&raw));
	vlen = buf_len(&utf8);
	mime_params_add(r, ps->v[i].name, ps->v[i].base_len,
	    utf8.data == NULL ? mime_strndup("", 0) : buf_steal(&utf8, NULL),
	    vlen);
	buf_release(&raw);
	buf_release(&utf8);
}

/* Append a parameter; value (malloc'd) is taken over. */
static void
mime_params_add(struct mime_params *r, const char *name, size_t nlen,
    char *value, size_t vlen)
{
	struct mime_param	*nv;

	nv = reallocarray(r->v, r->n + 1, sizeof(*r->v));
	if (nv == NULL)
		fatal("mime: out of memory");
	r->v = nv;
	r->v[r->n].name = mime_strndup(name, nlen);
	r->v[r->n].value = value;
	r->v[r->n].value_len = vlen;
	r->n++;
}

void
mime_params_parse(struct mime_lex *l, struct mime_params *r)
{
	struct mime_rawps	 ps;
	struct mime_rawp	*p;
	size_t			 i;

	memset(r, 0, sizeof(*r));
	ps.n = 0;
	if ((ps.v = calloc(MIME_MAX_PARAMS, sizeof(*ps.v))) == NULL)
		fatal("mime: out of memory");
	for (;;) {
		(void)mime_lex_cfws(l);
		if (mime_lex_eof(l))
			break;
		if (mime_lex_peek(l) != ';') {
			mime_skip_junk(l);
			continue;
		}
		l->pos++;
		if (!mime_param_one(l, &ps))
			mime_skip_junk(l);
	}
	for (i = 0; i < ps.n; i++) {
		p = &ps.v[i];
		if (p->done)
			continue;
		if (p->is2231 && mime_group_valid(&ps, i)) {
			mime_group_join(&ps, i, r);
			continue;
		}
		p->done = true;
		/* prefer the RFC 2231 form when a sender gives both */
		if (!p->is2231 && mime_group_valid(&ps, i)) {
			free(p->value);
			p->value = NULL;
			continue;
		}
		mime_params_add(r, p->name, p->name_len, p->value,
		    p->value_len);
		p->value = NULL;
	}
	for (i = 0; i < ps.n; i++)
		free(ps.v[i].value);
	free(ps.v);
}

const struct mime_param *
mime_params_get(const struct mime_params *ps, const char *name)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		if (strcasecmp(ps->v[i].name, name) == 0)
			return &ps->v[i];
	return NULL;
}

void
mime_params_clear(struct mime_params *ps)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].value);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

bool
mime_content_type_parse(const char *v, size_t len, char **type_r,
    char **sub_r, struct mime_params *params_r)
{
	struct mime_lex	 l;
	const char	*t, *s;
	size_t		 tlen, slen;

	mime_lex_init(&l, v, len);
	(void)mime_lex_cfws(&l);
	if ((tlen = mime_lex_token(&l, &t)) == 0)
		return false;
	(void)mime_lex_cfws(&l);
	if (mime_lex_peek(&l) != '/')
		return false;
	l.pos++;
	(void)mime_lex_cfws(&l);
	if ((slen = mime_lex_token(&l, &s)) == 0)
		return false;
	mime_params_parse(&l, params_r);
	*type_r = mime_strndup(t, tlen);
	*sub_r = mime_strndup(s, slen);
	return true;
}

bool
mime_disposition_parse(const char *v, size_t len, char **type_r,
    struct mime_params *params_r)
{
	struct mime_lex	 l;
	const char	*t;
	size_t		 tlen;

	mime_lex_init(&l, v, len);
	(void)mime_lex_cfws(&l);
	if ((tlen = mime_lex_token(&l, &t)) == 0)
		return false;
	mime_params_parse(&l, params_r);
	*type_r = mime_strndup(t, tlen);
	return true;
}
