/*
 * imap_write: encode values for server responses (RFC 9051 section 9:
 * atom, quoted, literal, nstring, astring, number64).
 *
 * Every function either appends the whole value or leaves the buffer as it
 * was, so a caller can stop cleanly at a full buffer.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/imap_write.h"
#include "lib/utf8.h"

/* Longer strings go out as literals: easier on clients than huge quoted
 * strings, and matches what other servers do. */
#define IMW_QUOTED_MAX	1024

static bool	 imw_quotable(const char *, size_t);
static bool	 imw_astring_char(unsigned char);

/*
 * RFC 9051 9: quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR excludes
 * CR and LF (and NUL, which no string may hold); 8-bit only as UTF-8.
 */
static bool
imw_quotable(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;
	bool			 high = false;

	for (i = 0; i < len; i++) {
		if (p[i] == '\0' || p[i] == '\r' || p[i] == '\n')
			return false;
		if (p[i] >= 0x80)
			high = true;
	}
	return !high || utf8_valid(s, len);
}

/*
 * RFC 9051 9: ASTRING-CHAR = ATOM-CHAR / resp-specials, i.e. any CHAR
 * except "(" ")" "{" SP CTL "%" "*" DQUOTE "\".
 */
static bool
imw_astring_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	switch (c) {
	case '(':
	case ')':
	case '{':
	case '%':
	case '*':
	case '"':
	case '\\':
		return false;
	default:
		return true;
	}
}

int
imw_quoted(struct buf *b, const char *s, size_t len)
{
	size_t	 start = buf_len(b), i, run;

	if (!imw_quotable(s, len))
		return -1;
	if (buf_putc(b, '"') == -1)
		goto full;
	for (i = 0; i < len; i += run) {
		/* copy runs of plain characters at once */
		for (run = 0; i + run < len && s[i + run] != '"' &&
		    s[i + run] != '\\'; run++)
			;
		if (run == 0) {
			if (buf_putc(b, '\\') == -1 || buf_putc(b, s[i]) == -1)
				goto full;
			run = 1;
		} else if (buf_append(b, s + i, run) == -1)
			goto full;
	}
	if (buf_putc(b, '"') == -1)
		goto full;
	return 0;
full:
	buf_truncate(b, start);
	return -1;
}

int
imw_literal(struct buf *b, const char *s, size_t len, int binary)
{
	size_t	 start = buf_len(b);

	/* RFC 9051 9: literal8 = "~{" number64 "}" CRLF *OCTET */
	if (buf_printf(b, "%s{%zu}\r\n", binary ? "~" : "", len) == -1 ||
	    buf_append(b, s, len) == -1) {
		buf_truncate(b, start);
		return -1;
	}
	return 0;
}

int
imw_string(struct buf *b, const char *s, size_t len)
{
	if (len <= IMW_QUOTED_MAX && imw_quotable(s, len))
		return imw_quoted(b, s, len);
	return imw_literal(b, s, len, 0);
}

int
imw_nstring(struct buf *b, const char *s, size_t len)
{
	if (s == NULL)
		return buf_append(b, "NIL", 3);
	return imw_string(b, s, len);
}

int
imw_astring(struct buf *b, const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || (len == 3 && strncasecmp(s, "NIL", 3) == 0))
		return imw_string(b, s, len);
	for (i = 0; i < len; i++)
		if (!imw_astring_char((unsigned char)s[i]))
			return imw_string(b, s, len);
	return buf_append(b, s, len);
}

int
imw_u64(struct buf *b, uint64_t v)
{
	return buf_printf(b, "%" PRIu64, v);
}
