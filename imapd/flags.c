/*
 * flags: parsing and writing flag lists.
 */
#include <string.h>
#include <strings.h>

#include "imapd/flags.h"

static const struct {
	const char	*name;
	uint32_t	 bit;
} sysflags[] = {
	{ "\\Answered", MSG_ANSWERED },
	{ "\\Flagged", MSG_FLAGGED },
	{ "\\Deleted", MSG_DELETED },
	{ "\\Seen", MSG_SEEN },
	{ "\\Draft", MSG_DRAFT },
};
#define NSYSFLAGS	(sizeof(sysflags) / sizeof(sysflags[0]))

static int	 parse_one(const char *, struct flag_list *, const char **);

static int
parse_one(const char *s, struct flag_list *fl, const char **err_r)
{
	size_t i;

	if (s[0] == '\\') {
		for (i = 0; i < NSYSFLAGS; i++)
			if (strcasecmp(s, sysflags[i].name) == 0) {
				fl->flags |= sysflags[i].bit;
				return 0;
			}
		/* RFC 9051 2.3.2: \Recent cannot be set by the client */
		if (strcasecmp(s, "\\Recent") == 0)
			return 0;
		*err_r = "Invalid system flag";
		return -1;
	}
	for (i = 0; s[i] != '\0'; i++)
		if (!imap_is_atom_char((unsigned char)s[i]) || s[i] == ']') {
			*err_r = "Invalid characters in keyword";
			return -1;
		}
	for (i = 0; i < fl->nkw; i++)
		if (strcasecmp(fl->kw[i], s) == 0)
			return 0;
	if (fl->nkw >= STORE_MAX_KEYWORDS) {
		*err_r = "Too many keywords";
		return -1;
	}
	fl->kw[fl->nkw++] = s;
	return 0;
}

int
flags_parse(const struct imap_arg *arg, bool single_ok,
    struct flag_list *fl, const char **err_r)
{
	const struct imap_arg *l;
	const char *s;
	size_t n, i;

	memset(fl, 0, sizeof(*fl));
	if (single_ok && imap_arg_atom(arg, &s))
		return parse_one(s, fl, err_r);
	if (!imap_arg_list(arg, &l, &n)) {
		*err_r = "Expected a flag list";
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!imap_arg_atom(&l[i], &s)) {
			*err_r = "Flags must be atoms";
			return -1;
		}
		if (parse_one(s, fl, err_r) == -1)
			return -1;
	}
	return 0;
}

void
flags_write(struct buf *b, uint32_t flags, uint32_t keywords, bool recent,
    const struct mbox *mbox)
{
	const char *sep = "";
	size_t i, nkw;

	buf_putc(b, '(');
	for (i = 0; i < NSYSFLAGS; i++)
		if (flags & sysflags[i].bit) {
			buf_printf(b, "%s%s", sep, sysflags[i].name);
			sep = " ";
		}
	if (recent) {
		buf_printf(b, "%s\\Recent", sep);
		sep = " ";
	}
	nkw = mbox_keyword_count(mbox);
	for (i = 0; i < nkw && i < 32; i++)
		if (keywords & (1u << i)) {
			buf_printf(b, "%s%s", sep, mbox_keyword(mbox, i));
			sep = " ";
		}
	buf_putc(b, ')');
}

void
flags_write_all(struct buf *b, const struct mbox *mbox)
{
	size_t i, nkw;

	buf_puts(b, "\\Answered \\Flagged \\Deleted \\Seen \\Draft");
	nkw = mbox_keyword_count(mbox);
	for (i = 0; i < nkw; i++)
		buf_printf(b, " %s", mbox_keyword(mbox, i));
}
