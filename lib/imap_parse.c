/*
 * imap_parse: RFC 9051 section 9 command grammar into an argument tree.
 *
 * The command is scanned twice by the same tokenizer: the first pass
 * validates it and counts tokens, string bytes and the size of every list;
 * the second pass fills one allocation that holds the command, all nodes
 * (each list's elements contiguous) and all strings. Scanning is linear in
 * the input and uses no recursion, whatever the nesting.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/imap_parse.h"

#define DEFAULT_MAX_DEPTH	32
#define NUMBER64_MAX		((uint64_t)INT64_MAX)	/* RFC 9051: 63-bit */

enum tok_type {
	TOK_ATOM,
	TOK_QUOTED,
	TOK_LITERAL
};

struct tok {
	enum tok_type		 type;
	const unsigned char	*p;		/* raw bytes of the value */
	size_t			 rawlen;
	size_t			 vlen;		/* value length (unescaped) */
	bool			 literal8;
};

enum walk_state {
	ST_NEED_TOKEN,		/* after SP: a token must follow */
	ST_AFTER_OPEN,		/* after "(": a token or ")" */
	ST_AFTER_TOKEN		/* SP, ")" or the end */
};

struct parser {
	const unsigned char	*s;
	size_t			 len;
	size_t			 pos;
	size_t			 args_start;
	size_t			 max_depth;
	size_t			 max_args;
	const char		*err;
	/* a failed "[" scan stopped here: no new bracket scan before it */
	size_t			 nobracket_until;

	/* counts from the first pass */
	size_t			 ntok;
	size_t			 strbytes;
	size_t			 maxdepth_seen;
	size_t			*lsize;		/* [0] top level, then lists */
	size_t			 nlists;
	size_t			 lcap;
	size_t			*ostack;	/* first pass: list ordinals */
	size_t			 ocap;

	/* second pass */
	bool			 build;
	struct imap_arg		*nodes;
	struct imap_arg		**bstack;	/* next free slot per depth */
	size_t			 cursor;	/* next unreserved node */
	size_t			 lnext;		/* next list ordinal */
	char			*strp;		/* next free string byte */
};

static bool	 tok_atom_char(unsigned char);
static int	 perr(struct parser *, const char *);
static size_t	 skip_quoted(const struct parser *, size_t, size_t *,
		    const char **);
static size_t	 skip_literal(const struct parser *, size_t, bool, size_t *,
		    const char **);
static size_t	 bracket_end(struct parser *, size_t);
static int	 scan_atom(struct parser *, struct tok *);
static int	 scan_quoted(struct parser *, struct tok *);
static int	 scan_literal(struct parser *, struct tok *);
static int	 push_ordinal(struct parser *, size_t);
static int	 add_list_size(struct parser *);
static char	*store_str(struct parser *, const unsigned char *, size_t);
static void	 store_token(struct parser *, struct imap_arg *,
		    const struct tok *);
static int	 open_list(struct parser *, size_t);
static int	 add_token(struct parser *, size_t, const struct tok *);
static int	 walk(struct parser *);
static int	 read_tag(struct parser *, char **);
static int	 read_name(struct parser *, size_t *, size_t *);
static int	 build(struct parser *, size_t, size_t, size_t, size_t,
		    struct imap_cmd **);

bool
imap_is_atom_char(unsigned char c)
{
	/* RFC 9051 9: CHAR except atom-specials */
	if (c <= 0x1f || c >= 0x7f)
		return false;
	switch (c) {
	case '(': case ')': case '{': case ' ': case '%': case '*':
	case '"': case '\\': case ']':
		return false;
	}
	return true;
}

bool
imap_is_astring_char(unsigned char c)
{
	return c == ']' || imap_is_atom_char(c);
}

bool
imap_tag_valid(const char *s, size_t len)
{
	size_t	 i;

	if (s == NULL || len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] == '+' || !imap_is_astring_char((unsigned char)s[i]))
			return false;
	return true;
}

/* Characters of an atom token: ATOM-CHAR plus "\" (flags), "*" "%" (LIST
 * patterns, "*" of sequence sets) and "]" (ASTRING-CHAR). */
static bool
tok_atom_char(unsigned char c)
{
	return imap_is_atom_char(c) || c == '\\' || c == '*' || c == '%' ||
	    c == ']';
}

static int
perr(struct parser *p, const char *err)
{
	p->err = err;
	return -1;
}

/*
 * Skip a quoted string starting at i (the DQUOTE). Returns the index after
 * the closing DQUOTE and sets *vlen_r, or 0 with *err_r set.
 */
static size_t
skip_quoted(const struct parser *p, size_t i, size_t *vlen_r,
    const char **err_r)
{
	size_t		 vlen = 0;
	unsigned char	 c;

	for (i++; i < p->len; i++) {
		c = p->s[i];
		if (c == '"') {
			*vlen_r = vlen;
			return i + 1;
		}
		if (c == '\\') {
			/* RFC 9051 9: only quoted-specials may be escaped */
			if (i + 1 == p->len)
				break;
			c = p->s[++i];
			if (c != '"' && c != '\\') {
				*err_r = "Invalid escape in quoted string";
				return 0;
			}
		} else if (c == '\0' || c == '\r' || c == '\n') {
			/* TEXT-CHAR excludes CR and LF, CHAR excludes NUL */
			*err_r = "Invalid characters in quoted string";
			return 0;
		}
		vlen++;
	}
	*err_r = "Unterminated quoted string";
	return 0;
}

/*
 * Skip a literal whose "{" is at i: "{" number64 ["+"] "}" CRLF data.
 * Returns the index after the data and sets *dstart_r to the data start,
 * or 0 with *err_r set.
 */
static size_t
skip_literal(const struct parser *p, size_t i, bool literal8,
    size_t *dstart_r, const char **err_r)
{
	uint64_t	 n = 0;
	size_t		 ndigits = 0;

	for (i++; i < p->len && p->s[i] >= '0' && p->s[i] <= '9'; i++) {
		if (n > (NUMBER64_MAX - (unsigned)(p->s[i] - '0')) / 10) {
			*err_r = "Invalid literal size";
			return 0;
		}
		n = n * 10 + (p->s[i] - '0');
		ndigits++;
	}
	/* RFC 7888: "+" marks a non-synchronizing literal (also ~{N+}) */
	if (i < p->len && p->s[i] == '+')
		i++;
	if (ndigits == 0 || i == p->len || p->s[i] != '}') {
		*err_r = "Invalid literal size";
		return 0;
	}
	i++;
	if (p->len - i < 2 || p->s[i] != '\r' || p->s[i + 1] != '\n') {
		*err_r = "Missing CRLF after literal size";
		return 0;
	}
	i += 2;
	if (n > p->len - i) {
		*err_r = "Literal size mismatch";
		return 0;
	}
	/* RFC 9051 9: literal is *CHAR8 (no NUL); literal8 is *OCTET */
	if (!literal8 && memchr(p->s + i, '\0', n) != NULL) {
		*err_r = "NUL in literal";
		return 0;
	}
	*dstart_r = i;
	return i + n;
}

/*
 * An atom's "[" at i extends the atom to the matching "]", with spaces,
 * parentheses, quoted strings and literals allowed inside (fetch items like
 * BODY[HEADER.FIELDS (From To)]). Returns the index after the "]", or 0 if
 * there is none: then the "[" is an ordinary atom character, and so is
 * every later "[" of the command (keeps scanning linear).
 */
static size_t
bracket_end(struct parser *p, size_t i)
{
	size_t		 depth = 0, dummy;
	const char	*err;
	unsigned char	 c;

	while (i < p->len) {
		c = p->s[i];
		if (c == '[') {
			depth++;
			i++;
		} else if (c == ']') {
			i++;
			if (--depth == 0)
				return i;
		} else if (c == '"') {
			if ((i = skip_quoted(p, i, &dummy, &err)) == 0)
				break;
		} else if (c == '{' || (c == '~' && i + 1 < p->len &&
		    p->s[i + 1] == '{')) {
			i = skip_literal(p, c == '~' ? i + 1 : i, c == '~',
			    &dummy, &err);
			if (i == 0)
				break;
		} else if (c == ' ' || c == '(' || c == ')' ||
		    tok_atom_char(c))
			i++;
		else
			break;
	}
	/* Any later "[" would scan into the same dead end (or the
	 * tokenizer fails there anyway): treat them all as plain. */
	p->nobracket_until = p->len;
	return 0;
}

static int
scan_atom(struct parser *p, struct tok *t)
{
	size_t		 start = p->pos, end;
	unsigned char	 c;

	while (p->pos < p->len) {
		c = p->s[p->pos];
		if (c == '[' && p->pos >= p->nobracket_until &&
		    (end = bracket_end(p, p->pos)) != 0) {
			p->pos = end;
			continue;
		}
		if (!tok_atom_char(c))
			break;
		p->pos++;
	}
	if (p->pos == start || (p->pos < p->len && p->s[p->pos] != ' ' &&
	    p->s[p->pos] != ')'))
		return perr(p, "Invalid characters in atom");
	t->type = TOK_ATOM;
	t->p = p->s + start;
	t->rawlen = t->vlen = p->pos - start;
	t->literal8 = false;
	return 0;
}

static int
scan_quoted(struct parser *p, struct tok *t)
{
	size_t		 end, vlen = 0;
	const char	*err = NULL;

	if ((end = skip_quoted(p, p->pos, &vlen, &err)) == 0)
		return perr(p, err);
	t->type = TOK_QUOTED;
	t->p = p->s + p->pos + 1;
	t->rawlen = end - p->pos - 2;
	t->vlen = vlen;
	t->literal8 = false;
	p->pos = end;
	if (p->pos < p->len && p->s[p->pos] != ' ' && p->s[p->pos] != ')')
		return perr(p, "Missing space after quoted string");
	return 0;
}

static int
scan_literal(struct parser *p, struct tok *t)
{
	size_t		 end, dstart = 0;
	const char	*err = NULL;
	bool		 l8 = p->s[p->pos] == '~';

	end = skip_literal(p, l8 ? p->pos + 1 : p->pos, l8, &dstart, &err);
	if (end == 0)
		return perr(p, err);
	t->type = TOK_LITERAL;
	t->p = p->s + dstart;
	t->rawlen = t->vlen = end - dstart;
	t->literal8 = l8;
	p->pos = end;
	if (p->pos < p->len && p->s[p->pos] != ' ' && p->s[p->pos] != ')')
		return perr(p, "Missing space after literal");
	return 0;
}

static int
push_ordinal(struct parser *p, size_t depth)
{
	size_t	*n;

	if (depth >= p->ocap) {
		n = reallocarray(p->ostack, p->ocap * 2 + 8, sizeof(*n));
		if (n == NULL)
			return perr(p, "Out of memory");
		p->ostack = n;
		p->ocap = p->ocap * 2 + 8;
	}
	p->ostack[depth] = p->nlists;
	return 0;
}

/* First pass: a new list gets the next ordinal and a zero size. */
static int
add_list_size(struct parser *p)
{
	size_t	*n;

	if (p->nlists + 1 >= p->lcap) {
		n = reallocarray(p->lsize, p->lcap * 2 + 8, sizeof(*n));
		if (n == NULL)
			return perr(p, "Out of memory");
		p->lsize = n;
		p->lcap = p->lcap * 2 + 8;
	}
	p->lsize[++p->nlists] = 0;
	return 0;
}

static char *
store_str(struct parser *p, const unsigned char *s, size_t len)
{
	char	*r = p->strp;

	if (len > 0)
		memcpy(r, s, len);
	r[len] = '\0';
	p->strp += len + 1;
	return r;
}

static void
store_token(struct parser *p, struct imap_arg *a, const struct tok *t)
{
	size_t	 i;
	char	*d;

	a->type = t->type == TOK_ATOM ? IMAP_ARG_ATOM :
	    t->type == TOK_QUOTED ? IMAP_ARG_QUOTED : IMAP_ARG_LITERAL;
	a->literal8 = t->literal8;
	a->len = t->vlen;
	if (t->type != TOK_QUOTED) {
		a->str = store_str(p, t->p, t->rawlen);
		return;
	}
	/* unescape \" and \\ (already validated) */
	a->str = d = p->strp;
	for (i = 0; i < t->rawlen; i++) {
		if (t->p[i] == '\\')
			i++;
		*d++ = t->p[i];
	}
	*d = '\0';
	p->strp += t->vlen + 1;
}

/* "(" at nesting depth (before opening). */
static int
open_list(struct parser *p, size_t depth)
{
	struct imap_arg	*a;
	size_t		 n;

	if (depth + 1 > p->max_depth)
		return perr(p, "Too deeply nested");
	if (++p->ntok > p->max_args)
		return perr(p, "Too many arguments");
	if (!p->build) {
		p->lsize[p->ostack[depth]]++;
		if (add_list_size(p) < 0 || push_ordinal(p, depth + 1) < 0)
			return -1;
		if (depth + 1 > p->maxdepth_seen)
			p->maxdepth_seen = depth + 1;
		return 0;
	}
	a = p->bstack[depth]++;
	n = p->lsize[++p->lnext];
	a->type = IMAP_ARG_LIST;
	a->count = n;
	a->list = n > 0 ? p->nodes + p->cursor : NULL;
	p->cursor += n;
	p->bstack[depth + 1] = a->list;
	return 0;
}

static int
add_token(struct parser *p, size_t depth, const struct tok *t)
{
	if (++p->ntok > p->max_args)
		return perr(p, "Too many arguments");
	if (!p->build) {
		p->lsize[p->ostack[depth]]++;
		p->strbytes += t->vlen + 1;
		return 0;
	}
	store_token(p, p->bstack[depth]++, t);
	return 0;
}

/* Scan the arguments (from p->args_start) in either pass. */
static int
walk(struct parser *p)
{
	enum walk_state	 st = ST_AFTER_TOKEN;	/* the command name */
	size_t		 depth = 0;
	struct tok	 t;
	unsigned char	 c;
	int		 r;

	p->pos = p->args_start;
	p->nobracket_until = 0;
	p->ntok = 0;
	while (p->pos < p->len) {
		c = p->s[p->pos];
		if (c == ' ') {
			if (st != ST_AFTER_TOKEN)
				return perr(p, st == ST_AFTER_OPEN ?
				    "Space after '('" : "Double spaces");
			st = ST_NEED_TOKEN;
			p->pos++;
			continue;
		}
		if (c == ')') {
			if (depth == 0)
				return perr(p, "Unbalanced parentheses");
			if (st == ST_NEED_TOKEN)
				return perr(p, "Space before ')'");
			depth--;
			st = ST_AFTER_TOKEN;
			p->pos++;
			continue;
		}
		if (st == ST_AFTER_TOKEN)
			return perr(p, "Missing space between arguments");
		if (c == '(') {
			if (open_list(p, depth) < 0)
				return -1;
			depth++;
			st = ST_AFTER_OPEN;
			p->pos++;
			continue;
		}
		if (c == '"')
			r = scan_quoted(p, &t);
		else if (c == '{' || (c == '~' && p->pos + 1 < p->len &&
		    p->s[p->pos + 1] == '{'))
			r = scan_literal(p, &t);
		else
			r = scan_atom(p, &t);
		if (r < 0 || add_token(p, depth, &t) < 0)
			return -1;
		st = ST_AFTER_TOKEN;
	}
	if (depth > 0)
		return perr(p, "Unbalanced parentheses");
	if (st == ST_NEED_TOKEN)
		return perr(p, "Trailing space");
	return 0;
}

/* tag SP: RFC 9051 9, tag = 1*<any ASTRING-CHAR except "+"> */
static int
read_tag(struct parser *p, char **tag_r)
{
	const char	*s = (const char *)p->s;
	const char	*sp;
	size_t		 n;

	if (p->len == 0)
		return perr(p, "Empty command");
	sp = memchr(s, ' ', p->len);
	n = sp != NULL ? (size_t)(sp - s) : p->len;
	if (!imap_tag_valid(s, n))
		return perr(p, "Invalid tag");
	if (tag_r != NULL && (*tag_r = strndup(s, n)) == NULL)
		return perr(p, "Out of memory");
	p->pos = n;
	if (sp == NULL)
		return perr(p, "Missing command name");
	p->pos++;
	return 0;
}

static int
read_name(struct parser *p, size_t *start_r, size_t *len_r)
{
	size_t	 start = p->pos;

	while (p->pos < p->len && imap_is_atom_char(p->s[p->pos]))
		p->pos++;
	if (p->pos == start)
		return perr(p, p->pos < p->len && p->s[p->pos] != ' ' ?
		    "Invalid command name" : "Missing command name");
	if (p->pos < p->len && p->s[p->pos] != ' ')
		return perr(p, "Invalid command name");
	*start_r = start;
	*len_r = p->pos - start;
	return 0;
}

/* Second pass: one allocation for the command, nodes and strings. */
static int
build(struct parser *p, size_t tagstart, size_t taglen, size_t namestart,
    size_t namelen, struct imap_cmd **cmd_r)
{
	struct imap_cmd	*cmd;
	size_t		 hdr, nodes, total, i;
	char		*base;

	hdr = (sizeof(*cmd) + _Alignof(struct imap_arg) - 1) /
	    _Alignof(struct imap_arg) * _Alignof(struct imap_arg);
	if (p->ntok > (SIZE_MAX - hdr) / sizeof(struct imap_arg))
		return perr(p, "Out of memory");
	nodes = p->ntok * sizeof(struct imap_arg);
	total = hdr + nodes;
	if (p->strbytes > SIZE_MAX - total - taglen - namelen - 2)
		return perr(p, "Out of memory");
	total += p->strbytes + taglen + namelen + 2;
	if ((base = calloc(1, total)) == NULL)
		return perr(p, "Out of memory");
	p->bstack = reallocarray(NULL, p->maxdepth_seen + 1,
	    sizeof(*p->bstack));
	if (p->bstack == NULL) {
		free(base);
		return perr(p, "Out of memory");
	}
	cmd = (struct imap_cmd *)base;
	cmd->priv = base;
	p->nodes = (struct imap_arg *)(base + hdr);
	p->strp = base + hdr + nodes;
	cmd->tag = store_str(p, p->s + tagstart, taglen);
	cmd->name = store_str(p, p->s + namestart, namelen);
	for (i = 0; i < namelen; i++)
		if (cmd->name[i] >= 'a' && cmd->name[i] <= 'z')
			cmd->name[i] -= 'a' - 'A';
	cmd->nargs = p->lsize[0];
	cmd->args = cmd->nargs > 0 ? p->nodes : NULL;
	p->cursor = cmd->nargs;
	p->bstack[0] = cmd->args;
	p->lnext = 0;
	p->build = true;
	if (walk(p) < 0) {
		/* cannot happen: the first pass accepted the same input */
		free(base);
		return -1;
	}
	*cmd_r = cmd;
	return 0;
}

int
imap_parse_command(const char *data, size_t len,
    const struct imap_parse_limits *lim, struct imap_cmd **cmd_r,
    char **tag_r, const char **err_r)
{
	struct parser	 p;
	size_t		 namestart = 0, namelen = 0;
	int		 ret = -1;

	*cmd_r = NULL;
	if (tag_r != NULL)
		*tag_r = NULL;
	memset(&p, 0, sizeof(p));
	p.s = (const unsigned char *)data;
	p.len = len;
	p.max_depth = lim != NULL ? lim->max_depth : DEFAULT_MAX_DEPTH;
	p.max_args = lim != NULL ? lim->max_args : SIZE_MAX;
	if (read_tag(&p, tag_r) < 0 || read_name(&p, &namestart,
	    &namelen) < 0)
		goto done;
	/* the arguments start at the SP after the name */
	p.args_start = p.pos;
	/* lsize[0] and ordinal 0 are the top level */
	p.lcap = 8;
	if ((p.lsize = calloc(p.lcap, sizeof(*p.lsize))) == NULL) {
		perr(&p, "Out of memory");
		goto done;
	}
	if (push_ordinal(&p, 0) < 0 || walk(&p) < 0)
		goto done;
	if (build(&p, 0, namestart - 1, namestart, namelen, cmd_r) < 0)
		goto done;
	ret = 0;
done:
	free(p.lsize);
	free(p.ostack);
	free(p.bstack);
	if (ret < 0)
		*err_r = p.err;
	return ret;
}

void
imap_cmd_free(struct imap_cmd **cmdp)
{
	if (cmdp == NULL || *cmdp == NULL)
		return;
	free((*cmdp)->priv);
	*cmdp = NULL;
}

bool
imap_arg_is_nil(const struct imap_arg *a)
{
	return imap_arg_atom_is(a, "NIL");
}

bool
imap_arg_atom(const struct imap_arg *a, const char **s_r)
{
	if (a == NULL || a->type != IMAP_ARG_ATOM)
		return false;
	*s_r = a->str;
	return true;
}

bool
imap_arg_atom_is(const struct imap_arg *a, const char *word)
{
	size_t	 i;
	char	 x, y;

	if (a == NULL || a->type != IMAP_ARG_ATOM || a->len != strlen(word))
		return false;
	for (i = 0; i < a->len; i++) {
		x = a->str[i];
		y = word[i];
		if (x >= 'a' && x <= 'z')
			x -= 'a' - 'A';
		if (y >= 'a' && y <= 'z')
			y -= 'a' - 'A';
		if (x != y)
			return false;
	}
	return true;
}

bool
imap_arg_astring(const struct imap_arg *a, const char **s_r, size_t *len_r)
{
	size_t	 i;

	if (a == NULL)
		return false;
	if (a->type == IMAP_ARG_ATOM) {
		for (i = 0; i < a->len; i++)
			if (!imap_is_astring_char((unsigned char)a->str[i]))
				return false;
		*s_r = a->str;
		*len_r = a->len;
		return true;
	}
	return imap_arg_string(a, s_r, len_r);
}

bool
imap_arg_string(const struct imap_arg *a, const char **s_r, size_t *len_r)
{
	if (a == NULL || (a->type != IMAP_ARG_QUOTED &&
	    a->type != IMAP_ARG_LITERAL))
		return false;
	*s_r = a->str;
	*len_r = a->len;
	return true;
}

bool
imap_arg_nstring(const struct imap_arg *a, const char **s_r, size_t *len_r)
{
	if (imap_arg_is_nil(a)) {
		*s_r = NULL;
		*len_r = 0;
		return true;
	}
	return imap_arg_string(a, s_r, len_r);
}

bool
imap_arg_list(const struct imap_arg *a, const struct imap_arg **l_r,
    size_t *n_r)
{
	if (a == NULL || a->type != IMAP_ARG_LIST)
		return false;
	*l_r = a->list;
	*n_r = a->count;
	return true;
}

bool
imap_arg_number64(const struct imap_arg *a, uint64_t *n_r)
{
	uint64_t	 n = 0;
	size_t		 i;
	unsigned	 d;

	if (a == NULL || a->type != IMAP_ARG_ATOM || a->len == 0)
		return false;
	for (i = 0; i < a->len; i++) {
		if (a->str[i] < '0' || a->str[i] > '9')
			return false;
		d = a->str[i] - '0';
		if (n > (NUMBER64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*n_r = n;
	return true;
}

bool
imap_arg_number(const struct imap_arg *a, uint32_t *n_r)
{
	uint64_t	 n;

	if (!imap_arg_number64(a, &n) || n > UINT32_MAX)
		return false;
	*n_r = (uint32_t)n;
	return true;
}
