/*
 * charset: MIME charset names to UTF-8 through iconv (glibc).
 *
 * Charset names come from untrusted mail, so only plain names reach
 * iconv_open(): letters, digits and "-_.:+()". That keeps iconv's own
 * suffixes ("//TRANSLIT", "//IGNORE") and anything path-like out.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/charset.h"

#define CHARSET_CHUNK	4096

enum charset_kind {
	CHARSET_RAW,		/* copy bytes as they are */
	CHARSET_ICONV		/* convert with iconv */
};

struct charset_alias {
	const char	*name;		/* lower case */
	const char	*iconv;		/* NULL: raw */
};

/*
 * Names that need help: raw copies for UTF-8 and ASCII (8-bit bytes in
 * "us-ascii" text are nearly always UTF-8 or Latin-1 anyway), and common
 * mail labels that glibc spells differently or that are subsets of what
 * senders really use (WHATWG encoding standard practice).
 */
static const struct charset_alias charset_aliases[] = {
	{ "utf-8", NULL },
	{ "utf8", NULL },
	{ "us-ascii", NULL },
	{ "ascii", NULL },
	{ "ansi_x3.4-1968", NULL },
	{ "iso646-us", NULL },
	{ "unknown-8bit", NULL },
	{ "x-unknown", NULL },
	{ "unknown", NULL },
	{ "8bit", NULL },
	{ "default", NULL },
	{ "x-user-defined", NULL },
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601", "CP949" },
	{ "euc-kr", "CP949" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "shift_jis", "CP932" },
	{ "x-sjis", "CP932" },
	{ "windows-31j", "CP932" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "tis-620", "CP874" },
};

static enum charset_kind charset_lookup(const char *, size_t, char *,
			    size_t);
static int		 charset_raw(struct buf *, const char *, size_t);
static int		 charset_iconv(struct buf *, iconv_t, const char *,
			    size_t);
static int		 charset_flush(struct buf *, char *, char **);

/*
 * Resolve cs to what to do with it; for CHARSET_ICONV the iconv name is
 * written to name_r (size namelen).
 */
static enum charset_kind
charset_lookup(const char *cs, size_t cslen, char *name_r, size_t namelen)
{
	char	 low[CHARSET_NAME_MAX + 1];
	size_t	 i, n;
	char	 c;

	/* RFC 2231 5: charset may carry "*language" */
	for (n = 0; n < cslen && cs[n] != '*'; n++)
		;
	while (n > 0 && (cs[n - 1] == ' ' || cs[n - 1] == '\t'))
		n--;
	i = 0;
	while (i < n && (cs[i] == ' ' || cs[i] == '\t'))
		i++;
	cs += i;
	n -= i;
	if (n == 0 || n > CHARSET_NAME_MAX || n + 1 > namelen)
		return CHARSET_RAW;
	for (i = 0; i < n; i++) {
		c = cs[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.:+()", c) != NULL))
			return CHARSET_RAW;
		low[i] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
	}
	low[n] = '\0';
	for (i = 0; i < sizeof(charset_aliases) / sizeof(charset_aliases[0]);
	    i++) {
		if (strcmp(low, charset_aliases[i].name) != 0)
			continue;
		if (charset_aliases[i].iconv == NULL)
			return CHARSET_RAW;
		if (strlcpy(name_r, charset_aliases[i].iconv, namelen) >=
		    namelen)
			return CHARSET_RAW;
		return CHARSET_ICONV;
	}
	memcpy(name_r, low, n + 1);
	return CHARSET_ICONV;
}

bool
charset_needs_conversion(const char *cs, size_t cslen)
{
	char	 name[CHARSET_NAME_MAX + 1];
	iconv_t	 cd;

	if (charset_lookup(cs, cslen, name, sizeof(name)) == CHARSET_RAW)
		return false;
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

int
charset_to_utf8(struct buf *out, const char *cs, size_t cslen,
    const char *in, size_t len)
{
	char	 name[CHARSET_NAME_MAX + 1];
	iconv_t	 cd;
	int	 rc;

	if (len == 0)
		return 0;
	if (charset_lookup(cs, cslen, name, sizeof(name)) == CHARSET_RAW)
		return charset_raw(out, in, len);
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return charset_raw(out, in, len);
	rc = charset_iconv(out, cd, in, len);
	iconv_close(cd);
	return rc;
}

static int
charset_raw(struct buf *out, const char *in, size_t len)
{
	size_t	 room = out->max - buf_len(out);

	if (len > room) {
		(void)buf_append(out, in, room);
		return -1;
	}
	return buf_append(out, in, len);
}

/* Append chunk[0..*pos - chunk) to out and rewind *pos. */
static int
charset_flush(struct buf *out, char *chunk, char **pos)
{
	size_t	 n = (size_t)(*pos - chunk);

	*pos = chunk;
	return charset_raw(out, chunk, n);
}

static int
charset_iconv(struct buf *out, iconv_t cd, const char *in, size_t len)
{
	static const char	 repl[] = "\xef\xbf\xbd";	/* U+FFFD */
	char			 chunk[CHARSET_CHUNK];
	char			*ip = (char *)in, *op = chunk;
	size_t			 ileft = len, oleft, r;

	while (ileft > 0) {
		oleft = sizeof(chunk) - (size_t)(op - chunk);
		r = iconv(cd, &ip, &ileft, &op, &oleft);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			if (charset_flush(out, chunk, &op) == -1)
				return -1;
			continue;
		}
		/* EILSEQ or EINVAL (truncated sequence at the end): mark
		 * the damage and go on with the next byte */
		if (sizeof(chunk) - (size_t)(op - chunk) < sizeof(repl) - 1 &&
		    charset_flush(out, chunk, &op) == -1)
			return -1;
		memcpy(op, repl, sizeof(repl) - 1);
		op += sizeof(repl) - 1;
		ip++;
		ileft--;
	}
	/* return to the initial shift state (ISO-2022-JP and friends) */
	oleft = sizeof(chunk) - (size_t)(op - chunk);
	if (iconv(cd, NULL, NULL, &op, &oleft) == (size_t)-1 &&
	    errno == E2BIG) {
		if (charset_flush(out, chunk, &op) == -1)
			return -1;
		oleft = sizeof(chunk);
		(void)iconv(cd, NULL, NULL, &op, &oleft);
	}
	return charset_flush(out, chunk, &op);
}
