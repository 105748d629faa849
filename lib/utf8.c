/*
 * utf8: UTF-8 validation (RFC 3629) and a case-insensitive substring
 * search with simple case folding (Unicode CaseFolding.txt, status C and S)
 * for the scripts mail users search in most: Latin, Greek, Cyrillic.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/log.h"
#include "lib/utf8.h"

/* Invalid bytes decode to this base plus the byte: they match only
 * themselves and never collide with a real code point. */
#define UTF8_INVALID_BASE	0x110000u
#define UTF8_NEEDLE_STACK	64

static size_t	 utf8_decode(const unsigned char *, size_t, uint32_t *);
static uint32_t	 utf8_fold(uint32_t);
static uint32_t	 utf8_fold_latin(uint32_t);
static uint32_t	 utf8_fold_greek(uint32_t);
static uint32_t	 utf8_fold_cyrillic(uint32_t);
static bool	 utf8_match_at(const unsigned char *, size_t,
		    const uint32_t *, size_t);

size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	uint32_t	 cp, min;
	size_t		 n, i;

	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* RFC 3629 3: no overlongs, no surrogates, nothing past U+10FFFF */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*cp_r = cp;
	return n;
}

/*
 * Decode one code point from s (len > 0). Returns the number of bytes
 * used (>= 1). A malformed sequence yields its first byte as an invalid
 * marker so that the caller always makes progress.
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	size_t n;

	if ((n = utf8_next(s, len, cp_r)) > 0)
		return n;
	*cp_r = UTF8_INVALID_BASE + s[0];
	return 1;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 i = 0;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		i += utf8_decode(p + i, len - i, &cp);
		if (cp >= UTF8_INVALID_BASE)
			return false;
	}
	return true;
}

/* Latin-1 Supplement, Latin Extended-A and a few letter-like symbols. */
static uint32_t
utf8_fold_latin(uint32_t c)
{
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	if (c == 0xb5)
		return 0x3bc;		/* MICRO SIGN -> GREEK SMALL MU */
	if (c < 0x100 || c > 0x17f) {
		switch (c) {
		case 0x1e9e:
			return 0xdf;	/* CAPITAL SHARP S */
		case 0x212a:
			return 'k';	/* KELVIN SIGN */
		case 0x212b:
			return 0xe5;	/* ANGSTROM SIGN */
		case 0x2126:
			return 0x3c9;	/* OHM SIGN */
		default:
			break;
		}
		/* Latin Extended Additional (Vietnamese and others) */
		if ((c >= 0x1e00 && c <= 0x1e95) ||
		    (c >= 0x1ea0 && c <= 0x1eff))
			return (c & 1) ? c : c + 1;
		return c;
	}
	/* Latin Extended-A: mostly upper/lower pairs, with three runs where
	 * the capital sits on the odd code point */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xff;
	if (c == 0x17f)
		return 's';		/* LONG S */
	/* U+0130, U+0131, U+0138 and U+0149 have no simple folding */
	if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149)
		return c;
	return (c & 1) ? c : c + 1;
}

static uint32_t
utf8_fold_greek(uint32_t c)
{
	if ((c >= 0x391 && c <= 0x3a1) || (c >= 0x3a3 && c <= 0x3ab))
		return c + 0x20;
	if (c >= 0x388 && c <= 0x38a)
		return c + 0x25;
	if (c >= 0x3d8 && c <= 0x3ef)
		return (c & 1) ? c : c + 1;
	switch (c) {
	case 0x370:
	case 0x372:
	case 0x376:
		return c + 1;
	case 0x345:
		return 0x3b9;
	case 0x37f:
		return 0x3f3;
	case 0x386:
		return 0x3ac;
	case 0x38c:
		return 0x3cc;
	case 0x38e:
		return 0x3cd;
	case 0x38f:
		return 0x3ce;
	case 0x3c2:
		return 0x3c3;		/* final sigma */
	case 0x3cf:
		return 0x3d7;
	case 0x3d0:
		return 0x3b2;
	case 0x3d1:
		return 0x3b8;
	case 0x3d5:
		return 0x3c6;
	case 0x3d6:
		return 0x3c0;
	case 0x3f0:
		return 0x3ba;
	case 0x3f1:
		return 0x3c1;
	case 0x3f4:
		return 0x3b8;
	case 0x3f5:
		return 0x3b5;
	case 0x3f7:
		return 0x3f8;
	case 0x3f9:
		return 0x3f2;
	case 0x3fa:
		return 0x3fb;
	default:
		return c;
	}
}

static uint32_t
utf8_fold_cyrillic(uint32_t c)
{
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
	    (c >= 0x4d0 && c <= 0x52f))
		return (c & 1) ? c : c + 1;
	if (c == 0x4c0)
		return 0x4cf;
	if (c >= 0x4c1 && c <= 0x4ce)
		return (c & 1) ? c + 1 : c;
	return c;
}

/* Simple case folding of one code point. */
static uint32_t
utf8_fold(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
	if (c < 0x345 || (c >= 0x1e00 && c < 0x2200))
		return utf8_fold_latin(c);
	if (c < 0x400)
		return utf8_fold_greek(c);
	if (c < 0x530)
		return utf8_fold_cyrillic(c);
	return c;
}

/* Does hay (from its start) begin with the folded code points fn[0..n)? */
static bool
utf8_match_at(const unsigned char *hay, size_t len, const uint32_t *fn,
    size_t n)
{
	size_t		 i, pos = 0;
	uint32_t	 cp;

	for (i = 0; i < n; i++) {
		if (pos >= len)
			return false;
		pos += utf8_decode(hay + pos, len - pos, &cp);
		if (utf8_fold(cp) != fn[i])
			return false;
	}
	return true;
}

bool
utf8_contains_ci(const char *hay, size_t haylen, const char *needle,
    size_t nlen)
{
	const unsigned char	*h = (const unsigned char *)hay;
	const unsigned char	*nd = (const unsigned char *)needle;
	uint32_t		 stackbuf[UTF8_NEEDLE_STACK], *fn, cp;
	size_t			 n = 0, pos, step;
	bool			 found = false;

	if (nlen == 0)
		return true;
	/* the needle has at most nlen code points */
	fn = stackbuf;
	if (nlen > UTF8_NEEDLE_STACK &&
	    (fn = reallocarray(NULL, nlen, sizeof(*fn))) == NULL)
		fatal("utf8_contains_ci: out of memory");
	for (pos = 0; pos < nlen; n++) {
		pos += utf8_decode(nd + pos, nlen - pos, &cp);
		fn[n] = utf8_fold(cp);
	}
	/* try each code point boundary of the haystack */
	for (pos = 0; pos < haylen; pos += step) {
		step = utf8_decode(h + pos, haylen - pos, &cp);
		if (utf8_fold(cp) != fn[0])
			continue;
		if (utf8_match_at(h + pos, haylen - pos, fn, n)) {
			found = true;
			break;
		}
	}
	if (fn != stackbuf)
		free(fn);
	return found;
}
