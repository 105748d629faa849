/*
 * mime_grammar: a strict checker of the RFC 9051 section 9 grammar for
 * "body" (BODY / BODYSTRUCTURE) and "envelope", for the mime unit tests
 * and the fuzz target. Header-only; include it from one test file.
 *
 * Beyond the grammar it checks that address groups are balanced (a group
 * start (NIL NIL "name" NIL) is closed by (NIL NIL NIL NIL) before the
 * list ends, and groups do not nest) and that strings hold no NUL.
 */
#ifndef TEST_UNIT_MIME_GRAMMAR_H
#define TEST_UNIT_MIME_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

struct mg {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	int		 depth;
	int		 want_ext;	/* 1: BODYSTRUCTURE, 0: BODY */
};

/* a string's value: points into the input (quoted escapes left in) */
struct mg_str {
	const char	*p;
	size_t		 len;
	bool		 nil;
};

static bool	 mg_body(struct mg *);

static inline bool
mg_lit(struct mg *g, const char *t)
{
	size_t	 n = strlen(t);

	if (g->len - g->pos < n || memcmp(g->s + g->pos, t, n) != 0)
		return false;
	g->pos += n;
	return true;
}

static inline bool
mg_sp(struct mg *g)
{
	return mg_lit(g, " ");
}

static inline bool
mg_peek(struct mg *g, char c)
{
	return g->pos < g->len && g->s[g->pos] == c;
}

/* nstring; sets *v (nil for NIL). */
static inline bool
mg_nstring(struct mg *g, struct mg_str *v)
{
	size_t	 n = 0, start;

	v->nil = false;
	if (mg_lit(g, "NIL")) {
		v->nil = true;
		v->p = NULL;
		v->len = 0;
		return true;
	}
	if (mg_peek(g, '"')) {
		start = ++g->pos;
		while (g->pos < g->len && g->s[g->pos] != '"') {
			char c = g->s[g->pos];

			if (c == '\r' || c == '\n' || c == '\0')
				return false;
			if (c == '\\') {
				if (g->pos + 1 >= g->len ||
				    (g->s[g->pos + 1] != '"' &&
				    g->s[g->pos + 1] != '\\'))
					return false;
				g->pos++;
			}
			g->pos++;
		}
		if (g->pos >= g->len)
			return false;
		v->p = g->s + start;
		v->len = g->pos - start;
		g->pos++;
		return true;
	}
	if (!mg_peek(g, '{'))
		return false;
	g->pos++;
	if (g->pos >= g->len || g->s[g->pos] < '0' || g->s[g->pos] > '9')
		return false;
	while (g->pos < g->len && g->s[g->pos] >= '0' && g->s[g->pos] <= '9') {
		n = n * 10 + (size_t)(g->s[g->pos] - '0');
		if (n > g->len)
			return false;
		g->pos++;
	}
	if (!mg_lit(g, "}\r\n") || g->len - g->pos < n)
		return false;
	if (memchr(g->s + g->pos, '\0', n) != NULL)
		return false;
	v->p = g->s + g->pos;
	v->len = n;
	g->pos += n;
	return true;
}

static inline bool
mg_string(struct mg *g, struct mg_str *v)
{
	return mg_nstring(g, v) && !v->nil;
}

static inline bool
mg_number(struct mg *g)
{
	size_t	 start = g->pos;

	while (g->pos < g->len && g->s[g->pos] >= '0' && g->s[g->pos] <= '9')
		g->pos++;
	return g->pos > start && g->pos - start <= 20;
}

static inline bool
mg_is(const struct mg_str *v, const char *t)
{
	return !v->nil && v->len == strlen(t) &&
	    strncasecmp(v->p, t, v->len) == 0;
}

/* body-fld-param = "(" string SP string *(SP string SP string) ")" / nil */
static inline bool
mg_params(struct mg *g)
{
	struct mg_str	 v;

	if (mg_lit(g, "NIL"))
		return true;
	if (!mg_lit(g, "("))
		return false;
	do {
		if (!mg_string(g, &v) || !mg_sp(g) || !mg_string(g, &v))
			return false;
	} while (mg_sp(g));
	return mg_lit(g, ")");
}

/* address list with balanced groups, or NIL */
static inline bool
mg_addresses(struct mg *g)
{
	struct mg_str	 name, adl, mbox, host;
	bool		 in_group = false;

	if (mg_lit(g, "NIL"))
		return true;
	if (!mg_lit(g, "("))
		return false;
	do {
		if (!mg_lit(g, "(") || !mg_nstring(g, &name) || !mg_sp(g) ||
		    !mg_nstring(g, &adl) || !mg_sp(g) ||
		    !mg_nstring(g, &mbox) || !mg_sp(g) ||
		    !mg_nstring(g, &host) || !mg_lit(g, ")"))
			return false;
		if (host.nil && !mbox.nil) {
			/* group start: no name or route, no nesting */
			if (in_group || !name.nil || !adl.nil)
				return false;
			in_group = true;
		} else if (host.nil) {
			if (!in_group || !name.nil || !adl.nil)
				return false;
			in_group = false;
		} else if (mbox.nil)
			return false;
	} while (!mg_peek(g, ')'));
	return !in_group && mg_lit(g, ")");
}

static inline bool
mg_envelope(struct mg *g)
{
	struct mg_str	 v;
	int		 i;

	if (!mg_lit(g, "(") || !mg_nstring(g, &v) || !mg_sp(g) ||
	    !mg_nstring(g, &v))
		return false;
	for (i = 0; i < 6; i++)
		if (!mg_sp(g) || !mg_addresses(g))
			return false;
	return mg_sp(g) && mg_nstring(g, &v) && mg_sp(g) &&
	    mg_nstring(g, &v) && mg_lit(g, ")");
}

/* body-fld-dsp SP body-fld-lang SP body-fld-loc (all present here) */
static inline bool
mg_ext_tail(struct mg *g)
{
	struct mg_str	 v;

	if (!mg_lit(g, "NIL")) {
		if (!mg_lit(g, "(") || !mg_string(g, &v) || !mg_sp(g) ||
		    !mg_params(g) || !mg_lit(g, ")"))
			return false;
	}
	if (!mg_sp(g))
		return false;
	if (mg_lit(g, "(")) {
		do {
			if (!mg_string(g, &v))
				return false;
		} while (mg_sp(g));
		if (!mg_lit(g, ")"))
			return false;
	} else if (!mg_nstring(g, &v))
		return false;
	return mg_sp(g) && mg_nstring(g, &v);
}

static inline bool
mg_body_1part(struct mg *g, bool *ext)
{
	struct mg_str	 type, sub, v;

	if (!mg_string(g, &type) || !mg_sp(g) || !mg_string(g, &sub) ||
	    !mg_sp(g) || !mg_params(g) || !mg_sp(g) ||
	    !mg_nstring(g, &v) || !mg_sp(g) || !mg_nstring(g, &v) ||
	    !mg_sp(g) || !mg_string(g, &v) || !mg_sp(g) || !mg_number(g))
		return false;
	if (mg_is(&type, "message") &&
	    (mg_is(&sub, "rfc822") || mg_is(&sub, "global"))) {
		if (!mg_sp(g) || !mg_envelope(g) || !mg_sp(g) ||
		    !mg_body(g) || !mg_sp(g) || !mg_number(g))
			return false;
	} else if (mg_is(&type, "text")) {
		if (!mg_sp(g) || !mg_number(g))
			return false;
	}
	if (!mg_sp(g)) {
		*ext = false;
		return true;
	}
	*ext = true;
	/* body-fld-md5 SP dsp SP lang SP loc */
	return mg_nstring(g, &v) && mg_sp(g) && mg_ext_tail(g);
}

static inline bool
mg_body_mpart(struct mg *g, bool *ext)
{
	struct mg_str	 sub;

	while (mg_peek(g, '('))
		if (!mg_body(g))
			return false;
	if (!mg_sp(g) || !mg_string(g, &sub))
		return false;
	if (!mg_sp(g)) {
		*ext = false;
		return true;
	}
	*ext = true;
	return mg_params(g) && mg_sp(g) && mg_ext_tail(g);
}

static bool
mg_body(struct mg *g)
{
	bool	 ext = false, ok;

	if (++g->depth > 200 || !mg_lit(g, "("))
		return false;
	if (mg_peek(g, '('))
		ok = mg_body_mpart(g, &ext);
	else
		ok = mg_body_1part(g, &ext);
	g->depth--;
	return ok && ext == (g->want_ext != 0) && mg_lit(g, ")");
}

/* Is s[0..len) exactly one "body", with extension data on every part
 * (BODYSTRUCTURE) or on none (BODY)? */
static inline bool
mime_grammar_body(const char *s, size_t len, bool extensible)
{
	struct mg	 g = { s, len, 0, 0, extensible };

	return mg_body(&g) && g.pos == len;
}

static inline bool
mime_grammar_envelope(const char *s, size_t len)
{
	struct mg	 g = { s, len, 0, 0, 0 };

	return mg_envelope(&g) && g.pos == len;
}

#endif
