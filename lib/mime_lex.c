/*
 * mime_lex: the lexical layer of RFC 5322 (3.2: CFWS, atoms, quoted
 * strings) and RFC 2045 (5.1: tokens) over header field values.
 *
 * Values may still be folded: CR and LF count as white space outside
 * quoted strings and are dropped inside them. Every function makes
 * progress or reports that there is nothing of its kind at the position,
 * so callers can always terminate.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/mime_int.h"

static bool	 mime_lex_wsp(int);
static void	 mime_lex_comment(struct mime_lex *);

void
mime_lex_init(struct mime_lex *l, const char *s, size_t len)
{
	memset(l, 0, sizeof(*l));
	l->s = s;
	l->len = len;
}

static bool
mime_lex_wsp(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* At "(": skip the comment, nested ones and quoted pairs included. An
 * unterminated comment runs to the end of the value. */
static void
mime_lex_comment(struct mime_lex *l)
{
	size_t	 start = l->pos, depth = 0;
	char	 c;

	while (l->pos < l->len) {
		c = l->s[l->pos++];
		if (c == '\\' && l->pos < l->len)
			l->pos++;
		else if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			break;
	}
	l->comment_at = start;
	l->comment = l->s + start + 1;
	l->comment_len = l->pos - start - 1;
	if (depth == 0 && l->comment_len > 0)
		l->comment_len--;	/* the closing ")" */
}

bool
mime_lex_cfws(struct mime_lex *l)
{
	size_t	 start = l->pos;

	while (l->pos < l->len) {
		if (mime_lex_wsp((unsigned char)l->s[l->pos]))
			l->pos++;
		else if (l->s[l->pos] == '(')
			mime_lex_comment(l);
		else
			break;
	}
	return l->pos != start;
}

/* RFC 2045 5.1: token := 1*<any CHAR except SPACE, CTLs, tspecials> */
size_t
mime_lex_token(struct mime_lex *l, const char **tok_r)
{
	size_t		 start = l->pos;
	unsigned char	 c;

	while (l->pos < l->len) {
		c = (unsigned char)l->s[l->pos];
		if (c <= ' ' || c == 0x7f || strchr("()<>@,;:\\\"/[]?=", c))
			break;
		l->pos++;
	}
	*tok_r = l->s + start;
	return l->pos - start;
}

/* RFC 5322 3.2.3: atext is everything printable but specials. */
size_t
mime_lex_atom(struct mime_lex *l, bool dots, const char **tok_r)
{
	size_t		 start = l->pos;
	unsigned char	 c;

	while (l->pos < l->len) {
		c = (unsigned char)l->s[l->pos];
		if (c == '.' && dots) {
			l->pos++;
			continue;
		}
		if (c <= ' ' || c == 0x7f || strchr("()<>[]:;@\\,.\"", c))
			break;
		l->pos++;
	}
	*tok_r = l->s + start;
	return l->pos - start;
}

int
mime_lex_quoted(struct mime_lex *l, struct buf *out)
{
	size_t	 start, end;

	if (l->pos < l->len && l->s[l->pos] == '"')
		l->pos++;
	start = l->pos;
	while (l->pos < l->len && l->s[l->pos] != '"') {
		if (l->s[l->pos] == '\\' && l->pos + 1 < l->len)
			l->pos++;
		l->pos++;
	}
	end = l->pos;
	if (l->pos < l->len)
		l->pos++;	/* the closing quote */
	return mime_unquote(out, l->s + start, end - start);
}

int
mime_unquote(struct buf *out, const char *s, size_t len)
{
	size_t	 i, run;

	for (i = 0; i < len; i += run) {
		if (s[i] == '\r' || s[i] == '\n') {
			run = 1;
			continue;
		}
		if (s[i] == '\\' && i + 1 < len) {
			if (buf_putc(out, (unsigned char)s[i + 1]) == -1)
				return -1;
			run = 2;
			continue;
		}
		for (run = 0; i + run < len && s[i + run] != '\\' &&
		    s[i + run] != '\r' && s[i + run] != '\n'; run++)
			;
		if (run == 0)
			run = 1;	/* a lone "\" at the end */
		else if (buf_append(out, s + i, run) == -1)
			return -1;
	}
	return 0;
}
