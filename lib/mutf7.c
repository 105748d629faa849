/*
 * mutf7: modified UTF-7 (RFC 3501 5.1.3, kept by RFC 9051 for
 * IMAP4rev1 clients and for Maildir++ folder names on disk).
 *
 * Printable US-ASCII except "&" stands for itself, "&" is "&-", and any
 * other character is UTF-16 (surrogate pairs above U+FFFF) in base64 with
 * "," instead of "/", between "&" and "-". Decoding accepts only the one
 * canonical form, so names cannot have two spellings.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mutf7.h"
#include "lib/utf8.h"

struct out {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static bool	 out_grow(struct out *, size_t);
static bool	 out_putc(struct out *, char);
static bool	 out_utf8(struct out *, uint32_t);
static int	 b64_value(unsigned char);
static bool	 is_direct(uint32_t);
static bool	 encode_run(struct out *, const unsigned char *, size_t,
		    size_t *);
static size_t	 decode_run(struct out *, const char *, size_t, size_t);

static bool
out_grow(struct out *o, size_t need)
{
	char	*n;
	size_t	 cap;

	if (need <= o->cap)
		return true;
	cap = o->cap < 32 ? 64 : o->cap;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return false;
		cap *= 2;
	}
	if ((n = realloc(o->s, cap)) == NULL)
		return false;
	o->s = n;
	o->cap = cap;
	return true;
}

static bool
out_putc(struct out *o, char c)
{
	if (!out_grow(o, o->len + 2))
		return false;
	o->s[o->len++] = c;
	o->s[o->len] = '\0';
	return true;
}

static bool
out_utf8(struct out *o, uint32_t cp)
{
	if (cp < 0x80)
		return out_putc(o, (char)cp);
	if (cp < 0x800)
		return out_putc(o, (char)(0xc0 | cp >> 6)) &&
		    out_putc(o, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return out_putc(o, (char)(0xe0 | cp >> 12)) &&
		    out_putc(o, (char)(0x80 | (cp >> 6 & 0x3f))) &&
		    out_putc(o, (char)(0x80 | (cp & 0x3f)));
	return out_putc(o, (char)(0xf0 | cp >> 18)) &&
	    out_putc(o, (char)(0x80 | (cp >> 12 & 0x3f))) &&
	    out_putc(o, (char)(0x80 | (cp >> 6 & 0x3f))) &&
	    out_putc(o, (char)(0x80 | (cp & 0x3f)));
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

/* RFC 3501 5.1.3: 0x20-0x7e represent themselves ("&" as "&-") */
static bool
is_direct(uint32_t cp)
{
	return cp >= 0x20 && cp <= 0x7e;
}

/*
 * Encode the run of non-direct characters at s[*ip] as one shift sequence
 * "&...-". Returns false on invalid UTF-8 (or U+0000) or no memory.
 */
static bool
encode_run(struct out *o, const unsigned char *s, size_t len, size_t *ip)
{
	uint32_t	 cp, bits = 0, units[2];
	size_t		 i = *ip, n, u, nunits;
	int		 nbits = 0;

	if (!out_putc(o, '&'))
		return false;
	while (i < len) {
		if ((n = utf8_next(s + i, len - i, &cp)) == 0 || cp == 0)
			return false;
		if (is_direct(cp))
			break;
		i += n;
		if (cp >= 0x10000) {
			units[0] = 0xd800 | ((cp - 0x10000) >> 10);
			units[1] = 0xdc00 | ((cp - 0x10000) & 0x3ff);
			nunits = 2;
		} else {
			units[0] = cp;
			nunits = 1;
		}
		for (u = 0; u < nunits; u++) {
			bits = bits << 16 | units[u];
			nbits += 16;
			while (nbits >= 6) {
				nbits -= 6;
				if (!out_putc(o, b64[(bits >> nbits) & 0x3f]))
					return false;
			}
			bits &= (1U << nbits) - 1;
		}
	}
	/* pad the last sextet with zero bits */
	if (nbits > 0 && !out_putc(o, b64[(bits << (6 - nbits)) & 0x3f]))
		return false;
	*ip = i;
	return out_putc(o, '-');
}

char *
mutf7_encode(const char *utf8, size_t len)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct out	 o = { NULL, 0, 0 };
	size_t		 i = 0;
	bool		 ok = out_grow(&o, len + 1);

	if (ok)
		o.s[0] = '\0';
	while (ok && i < len) {
		if (s[i] == '&') {
			ok = out_putc(&o, '&') && out_putc(&o, '-');
			i++;
		} else if (is_direct(s[i]))
			ok = out_putc(&o, (char)s[i++]);
		else
			ok = encode_run(&o, s, len, &i);
	}
	if (!ok) {
		free(o.s);
		return NULL;
	}
	return o.s;
}

/*
 * Decode the base64 of a shift sequence starting at s[i] (after "&") up to
 * the "-". Returns the index after the "-", or 0 if it is not canonical.
 */
static size_t
decode_run(struct out *o, const char *s, size_t len, size_t i)
{
	uint32_t	 bits = 0, unit, high = 0, cp;
	int		 nbits = 0, v;
	size_t		 nchars = 0;

	for (; i < len && s[i] != '-'; i++, nchars++) {
		if ((v = b64_value((unsigned char)s[i])) < 0)
			return 0;
		bits = (bits << 6 | (uint32_t)v) & 0x3fffff;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		unit = (bits >> nbits) & 0xffff;
		if (high != 0) {
			/* a high surrogate must be followed by a low one */
			if (unit < 0xdc00 || unit > 0xdfff)
				return 0;
			cp = 0x10000 + ((high - 0xd800) << 10) +
			    (unit - 0xdc00);
			high = 0;
		} else if (unit >= 0xd800 && unit <= 0xdbff) {
			high = unit;
			continue;
		} else if (unit >= 0xdc00 && unit <= 0xdfff)
			return 0;
		else
			cp = unit;
		/* printable ASCII must not be encoded; no NUL in names */
		if (is_direct(cp) || cp == 0 || !out_utf8(o, cp))
			return 0;
	}
	/* unterminated, empty ("&-" is handled by the caller), a dangling
	 * high surrogate, a partial unit or non-zero padding bits */
	if (i == len || nchars == 0 || high != 0 || nbits >= 6 ||
	    (bits & ((1U << nbits) - 1)) != 0)
		return 0;
	return i + 1;
}

char *
mutf7_decode(const char *mutf7, size_t len)
{
	struct out	 o = { NULL, 0, 0 };
	size_t		 i = 0, next;
	bool		 after_shift = false;
	unsigned char	 c;

	if (!out_grow(&o, len + 1))
		return NULL;
	o.s[0] = '\0';
	while (i < len) {
		c = (unsigned char)mutf7[i];
		if (c != '&') {
			if (!is_direct(c))
				goto fail;
			if (!out_putc(&o, (char)c))
				goto fail;
			after_shift = false;
			i++;
			continue;
		}
		if (i + 1 < len && mutf7[i + 1] == '-') {
			if (!out_putc(&o, '&'))
				goto fail;
			after_shift = false;
			i += 2;
			continue;
		}
		/* two adjacent shift sequences should have been one */
		if (after_shift)
			goto fail;
		if ((next = decode_run(&o, mutf7, len, i + 1)) == 0)
			goto fail;
		after_shift = true;
		i = next;
	}
	return o.s;
fail:
	free(o.s);
	return NULL;
}

int
mutf7_valid(const char *s, size_t len)
{
	char	*d;

	if ((d = mutf7_decode(s, len)) == NULL)
		return 0;
	free(d);
	return 1;
}
