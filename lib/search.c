/*
 * search: SEARCH arguments (RFC 9051 6.4.4, RFC 4731 RETURN, RFC 5182 "$")
 * into a key tree.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/imap_date.h"
#include "lib/imap_parse.h"
#include "lib/search.h"
#include "lib/seqset.h"
#include "lib/utf8.h"

/* NOT / OR / "(...)" nesting: keys inside this many operators at most */
#define SEARCH_MAX_DEPTH	32

enum key_arg {
	ARG_NONE,
	ARG_ASTRING,		/* str */
	ARG_DATE,		/* day */
	ARG_NUMBER64,		/* size */
	ARG_KEYWORD,		/* str: flag-keyword atom */
	ARG_HEADER,		/* field, str */
	ARG_SEQSET,		/* set */
	ARG_NOT,		/* one key */
	ARG_OR			/* two keys */
};

struct key_def {
	const char		*name;
	enum search_key_type	 type;
	enum key_arg		 arg;
};

/* RFC 9051 6.4.4 plus the IMAP4rev1 RECENT, NEW and OLD */
static const struct key_def key_defs[] = {
	{ "ALL", SK_ALL, ARG_NONE },
	{ "ANSWERED", SK_ANSWERED, ARG_NONE },
	{ "BCC", SK_BCC, ARG_ASTRING },
	{ "BEFORE", SK_BEFORE, ARG_DATE },
	{ "BODY", SK_BODY, ARG_ASTRING },
	{ "CC", SK_CC, ARG_ASTRING },
	{ "DELETED", SK_DELETED, ARG_NONE },
	{ "DRAFT", SK_DRAFT, ARG_NONE },
	{ "FLAGGED", SK_FLAGGED, ARG_NONE },
	{ "FROM", SK_FROM, ARG_ASTRING },
	{ "HEADER", SK_HEADER, ARG_HEADER },
	{ "KEYWORD", SK_KEYWORD, ARG_KEYWORD },
	{ "LARGER", SK_LARGER, ARG_NUMBER64 },
	{ "NEW", SK_NEW, ARG_NONE },
	{ "NOT", SK_NOT, ARG_NOT },
	{ "OLD", SK_OLD, ARG_NONE },
	{ "ON", SK_ON, ARG_DATE },
	{ "OR", SK_OR, ARG_OR },
	{ "RECENT", SK_RECENT, ARG_NONE },
	{ "SEEN", SK_SEEN, ARG_NONE },
	{ "SENTBEFORE", SK_SENTBEFORE, ARG_DATE },
	{ "SENTON", SK_SENTON, ARG_DATE },
	{ "SENTSINCE", SK_SENTSINCE, ARG_DATE },
	{ "SINCE", SK_SINCE, ARG_DATE },
	{ "SMALLER", SK_SMALLER, ARG_NUMBER64 },
	{ "SUBJECT", SK_SUBJECT, ARG_ASTRING },
	{ "TEXT", SK_TEXT, ARG_ASTRING },
	{ "TO", SK_TO, ARG_ASTRING },
	{ "UID", SK_UID, ARG_SEQSET },
	{ "UNANSWERED", SK_UNANSWERED, ARG_NONE },
	{ "UNDELETED", SK_UNDELETED, ARG_NONE },
	{ "UNDRAFT", SK_UNDRAFT, ARG_NONE },
	{ "UNFLAGGED", SK_UNFLAGGED, ARG_NONE },
	{ "UNKEYWORD", SK_UNKEYWORD, ARG_KEYWORD },
	{ "UNSEEN", SK_UNSEEN, ARG_NONE }
};

static const struct {
	const char	*name;
	unsigned	 flag;
} ret_defs[] = {
	{ "MIN", SEARCH_RET_MIN },
	{ "MAX", SEARCH_RET_MAX },
	{ "ALL", SEARCH_RET_ALL },
	{ "COUNT", SEARCH_RET_COUNT },
	{ "SAVE", SEARCH_RET_SAVE }
};

struct sparse {
	const char		*err;
	char			*errbuf;
	size_t			 errlen;
	struct search_program	*prog;
};

static int	 fail(struct sparse *, const char *, const char *);
static bool	 charset_ok(const char *, size_t);
static void	 key_clear(struct search_key *);
static struct search_key *add_child(struct sparse *, struct search_key *);
static int	 parse_string(struct sparse *, const struct imap_arg *,
		    const char *, char **, size_t *);
static int	 parse_set(struct sparse *, const char *, const char *,
		    struct search_key *);
static int	 parse_key_arg(struct sparse *, const struct key_def *,
		    const struct imap_arg *, size_t, size_t *, size_t,
		    struct search_key *);
static int	 parse_list(struct sparse *, const struct imap_arg *, size_t,
		    size_t, struct search_key *);
static int	 parse_key(struct sparse *, const struct imap_arg *, size_t,
		    size_t *, size_t, struct search_key *);
static int	 parse_return(struct sparse *, const struct imap_arg *);

/*
 * Record a BAD reason: the static text, or with an errbuf the text followed
 * by ": " and what (an atom or key name, so printable; cut at 40).
 */
static int
fail(struct sparse *sp, const char *text, const char *what)
{
	if (sp->errbuf != NULL && sp->errlen > 0 && what != NULL) {
		snprintf(sp->errbuf, sp->errlen, "%s: %.40s", text, what);
		sp->err = sp->errbuf;
	} else
		sp->err = text;
	return SEARCH_PARSE_BAD;
}

/* UTF-8 or US-ASCII, ASCII case-insensitive (no locale involved) */
static bool
charset_ok(const char *s, size_t len)
{
	static const char *const names[] = { "UTF-8", "US-ASCII" };
	size_t	 i, j;
	char	 c;

	for (i = 0; i < 2; i++) {
		if (strlen(names[i]) != len)
			continue;
		for (j = 0; j < len; j++) {
			c = s[j];
			if (c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (c != names[i][j])
				break;
		}
		if (j == len)
			return true;
	}
	return false;
}

static void
key_clear(struct search_key *k)
{
	size_t	 i;

	free(k->str);
	free(k->field);
	seqset_free(&k->set);
	for (i = 0; i < k->nchild; i++)
		key_clear(&k->child[i]);
	free(k->child);
	memset(k, 0, sizeof(*k));
}

/* Append a zeroed child to an AND/OR/NOT key. */
static struct search_key *
add_child(struct sparse *sp, struct search_key *parent)
{
	struct search_key	*c;

	c = reallocarray(parent->child, parent->nchild + 1, sizeof(*c));
	if (c == NULL) {
		fail(sp, "Out of memory", NULL);
		return NULL;
	}
	parent->child = c;
	c = &c[parent->nchild++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* astring, valid UTF-8, copied NUL-terminated */
static int
parse_string(struct sparse *sp, const struct imap_arg *a, const char *key,
    char **s_r, size_t *len_r)
{
	const char	*s;
	size_t		 len;

	if (!imap_arg_astring(a, &s, &len))
		return fail(sp, "Missing or invalid string for", key);
	/* CHARSET is UTF-8 or its subset US-ASCII (RFC 9051 6.4.4) */
	if (!utf8_valid(s, len))
		return fail(sp, "Invalid UTF-8 in search string for", key);
	if ((*s_r = malloc(len + 1)) == NULL)
		return fail(sp, "Out of memory", NULL);
	memcpy(*s_r, s, len);
	(*s_r)[len] = '\0';
	*len_r = len;
	return 0;
}

static int
parse_set(struct sparse *sp, const char *s, const char *key,
    struct search_key *k)
{
	if (seqset_parse(s, strlen(s), &k->set) < 0)
		return key != NULL ? fail(sp, "Invalid sequence set for", key) :
		    fail(sp, "Invalid sequence set", s);
	/* RFC 5182: "$" refers to the saved search result */
	if (k->set->saved)
		sp->prog->uses_saved = true;
	return 0;
}

static int
parse_key_arg(struct sparse *sp, const struct key_def *d,
    const struct imap_arg *args, size_t n, size_t *ip, size_t depth,
    struct search_key *k)
{
	const struct imap_arg	*a = *ip < n ? &args[*ip] : NULL;
	struct search_key	*c;
	const char		*s;
	size_t			 len, i;
	int			 r;

	if (d->arg == ARG_NONE)
		return 0;
	if (d->arg == ARG_NOT || d->arg == ARG_OR) {
		for (i = d->arg == ARG_OR ? 2 : 1; i > 0; i--) {
			if (*ip >= n)
				return fail(sp, "Missing search key after",
				    d->name);
			if ((c = add_child(sp, k)) == NULL)
				return SEARCH_PARSE_BAD;
			if ((r = parse_key(sp, args, n, ip, depth + 1, c)) < 0)
				return r;
		}
		return 0;
	}
	if (a == NULL)
		return fail(sp, "Missing argument for", d->name);
	(*ip)++;
	switch (d->arg) {
	case ARG_ASTRING:
		return parse_string(sp, a, d->name, &k->str, &k->len);
	case ARG_HEADER:
		if ((r = parse_string(sp, a, d->name, &k->field, &len)) < 0)
			return r;
		if (*ip >= n)
			return fail(sp, "Missing argument for", d->name);
		return parse_string(sp, &args[(*ip)++], d->name, &k->str,
		    &k->len);
	case ARG_DATE:
		/* RFC 9051 9: date = date-text / DQUOTE date-text DQUOTE */
		if ((a->type != IMAP_ARG_ATOM && a->type != IMAP_ARG_QUOTED) ||
		    !imap_date_parse(a->str, a->len, &k->day))
			return fail(sp, "Invalid date for", d->name);
		return 0;
	case ARG_NUMBER64:
		if (!imap_arg_number64(a, &k->size))
			return fail(sp, "Invalid number for", d->name);
		return 0;
	case ARG_KEYWORD:
		/* flag-keyword = atom: ATOM-CHARs only, so no "\" */
		if (!imap_arg_atom(a, &s))
			return fail(sp, "Invalid keyword for", d->name);
		for (i = 0; i < a->len; i++)
			if (!imap_is_atom_char((unsigned char)s[i]))
				return fail(sp, "Invalid keyword for",
				    d->name);
		return parse_string(sp, a, d->name, &k->str, &k->len);
	case ARG_SEQSET:
		if (!imap_arg_atom(a, &s))
			return fail(sp, "Invalid sequence set for", d->name);
		return parse_set(sp, s, d->name, k);
	default:
		return fail(sp, "Unknown search key", d->name);
	}
}

/* "(" search-key *(SP search-key) ")" */
static int
parse_list(struct sparse *sp, const struct imap_arg *l, size_t n,
    size_t depth, struct search_key *k)
{
	struct search_key	*c;
	size_t			 i = 0;
	int			 r;

	k->type = SK_AND;
	if (n == 0)
		return fail(sp, "Empty search key list", NULL);
	while (i < n) {
		if ((c = add_child(sp, k)) == NULL)
			return SEARCH_PARSE_BAD;
		if ((r = parse_key(sp, l, n, &i, depth + 1, c)) < 0)
			return r;
	}
	return 0;
}

/* One search-key at args[*ip]; advances *ip past it and its arguments. */
static int
parse_key(struct sparse *sp, const struct imap_arg *args, size_t n,
    size_t *ip, size_t depth, struct search_key *k)
{
	const struct imap_arg	*a = &args[*ip], *l;
	const char		*s;
	size_t			 i, ln;

	if (depth > SEARCH_MAX_DEPTH)
		return fail(sp, "Too deeply nested search keys", NULL);
	(*ip)++;
	if (imap_arg_list(a, &l, &ln))
		return parse_list(sp, l, ln, depth, k);
	if (!imap_arg_atom(a, &s))
		return fail(sp, "Invalid search key", NULL);
	/* sequence-set: digits, "*" or "$" */
	if ((s[0] >= '0' && s[0] <= '9') || s[0] == '*' || s[0] == '$') {
		k->type = SK_SEQSET;
		return parse_set(sp, s, NULL, k);
	}
	for (i = 0; i < sizeof(key_defs) / sizeof(key_defs[0]); i++) {
		if (imap_arg_atom_is(a, key_defs[i].name)) {
			k->type = key_defs[i].type;
			return parse_key_arg(sp, &key_defs[i], args, n, ip,
			    depth, k);
		}
	}
	return fail(sp, "Unknown search key", s);
}

/* RETURN (opts): RFC 4731 3.1, "RETURN ()" is the same as RETURN (ALL) */
static int
parse_return(struct sparse *sp, const struct imap_arg *a)
{
	const struct imap_arg	*l;
	const char		*s;
	size_t			 n, i, j;

	if (!imap_arg_list(a, &l, &n))
		return fail(sp, "RETURN needs a list of options", NULL);
	sp->prog->esearch = true;
	for (i = 0; i < n; i++) {
		if (!imap_arg_atom(&l[i], &s))
			return fail(sp, "Invalid RETURN option", NULL);
		for (j = 0; j < sizeof(ret_defs) / sizeof(ret_defs[0]); j++)
			if (imap_arg_atom_is(&l[i], ret_defs[j].name))
				break;
		if (j == sizeof(ret_defs) / sizeof(ret_defs[0]))
			return fail(sp, "Unknown RETURN option", s);
		sp->prog->ret |= ret_defs[j].flag;
	}
	if (n == 0)
		sp->prog->ret = SEARCH_RET_ALL;
	return 0;
}

int
search_parse_errbuf(const struct imap_arg *args, size_t n,
    struct search_program **prog_r, const char **err_r, char *errbuf,
    size_t errlen)
{
	struct sparse		 sp;
	struct search_key	*c;
	const char		*cs;
	size_t			 i = 0, cslen;
	int			 r = SEARCH_PARSE_BAD;

	*prog_r = NULL;
	memset(&sp, 0, sizeof(sp));
	sp.errbuf = errbuf;
	sp.errlen = errlen;
	if ((sp.prog = calloc(1, sizeof(*sp.prog))) == NULL) {
		*err_r = "Out of memory";
		return SEARCH_PARSE_BAD;
	}
	sp.prog->root.type = SK_AND;
	/* RFC 4731: search-return-opts come before the CHARSET */
	if (i < n && imap_arg_atom_is(&args[i], "RETURN")) {
		if (i + 1 >= n) {
			fail(&sp, "RETURN needs a list of options", NULL);
			goto done;
		}
		if ((r = parse_return(&sp, &args[i + 1])) < 0)
			goto done;
		i += 2;
	}
	if (i < n && imap_arg_atom_is(&args[i], "CHARSET")) {
		if (i + 1 >= n || !imap_arg_astring(&args[i + 1], &cs,
		    &cslen)) {
			r = fail(&sp, "Missing charset", NULL);
			goto done;
		}
		if (!charset_ok(cs, cslen)) {
			sp.err = "Unsupported charset";
			r = SEARCH_PARSE_BADCHARSET;
			goto done;
		}
		i += 2;
	}
	if (i == n) {
		r = fail(&sp, "Missing search key", NULL);
		goto done;
	}
	while (i < n) {
		if ((c = add_child(&sp, &sp.prog->root)) == NULL) {
			r = SEARCH_PARSE_BAD;
			goto done;
		}
		if ((r = parse_key(&sp, args, n, &i, 0, c)) < 0)
			goto done;
	}
	r = SEARCH_PARSE_OK;
	*prog_r = sp.prog;
	sp.prog = NULL;
done:
	if (r != SEARCH_PARSE_OK)
		*err_r = sp.err;
	search_free(&sp.prog);
	return r;
}

int
search_parse(const struct imap_arg *args, size_t n,
    struct search_program **prog_r, const char **err_r)
{
	return search_parse_errbuf(args, n, prog_r, err_r, NULL, 0);
}

void
search_free(struct search_program **progp)
{
	if (progp == NULL || *progp == NULL)
		return;
	key_clear(&(*progp)->root);
	free(*progp);
	*progp = NULL;
}
