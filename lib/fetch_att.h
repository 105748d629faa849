/*
 * fetch_att: the fetch items of a FETCH command (RFC 9051 6.4.5), with
 * the macros ALL, FAST, FULL and the IMAP4rev1 RFC822 forms.
 */
#ifndef LIB_FETCH_ATT_H
#define LIB_FETCH_ATT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/imap_parse.h"
#include "lib/section.h"

enum fetch_att_type {
	FA_FLAGS,
	FA_UID,
	FA_INTERNALDATE,
	FA_RFC822_SIZE,
	FA_ENVELOPE,
	FA_BODY,		/* BODY without [] : non-extensible structure */
	FA_BODYSTRUCTURE,
	FA_BODY_SECTION,	/* BODY[...] / BODY.PEEK[...] */
	FA_BINARY,		/* BINARY[...] / BINARY.PEEK[...] */
	FA_BINARY_SIZE,		/* BINARY.SIZE[...] */
	FA_RFC822,		/* = BODY[], sets \Seen, label "RFC822" */
	FA_RFC822_HEADER,	/* = BODY.PEEK[HEADER], label "RFC822.HEADER" */
	FA_RFC822_TEXT		/* = BODY[TEXT], sets \Seen, label "RFC822.TEXT" */
};

struct fetch_att {
	enum fetch_att_type	 type;
	bool			 peek;		/* .PEEK: do not set \Seen */
	struct section		 section;	/* BODY[], BINARY[], BINARY.SIZE[] */
	bool			 partial;	/* <offset.count> given */
	uint64_t		 offset;
	uint64_t		 count;
};

struct fetch_atts {
	struct fetch_att	*v;
	size_t			 n;
	bool			 need_body;	/* needs message contents */
	bool			 need_mime;	/* needs MIME parsing */
	bool			 sets_seen;	/* a non-peek body item */
	/* holds a BAD reason that names the item (see fetch_atts_parse) */
	char			 errbuf[96];
};

/*
 * Parse the fetch items argument: a single atom (item or macro) or a
 * parenthesised list of items. UID is added by the caller for UID FETCH.
 * *r is initialised here (its old contents are not freed); release it with
 * fetch_atts_clear(). Returns 0, or -1 with *r already cleared and *err_r
 * set to a reason for BAD: a static text, or r->errbuf naming the item
 * ("Unknown fetch item: FOO"), valid until r is parsed into again.
 *
 * need_body: every item but FLAGS, UID, INTERNALDATE and RFC822.SIZE;
 * need_mime: ENVELOPE, BODY, BODYSTRUCTURE, BINARY*, and BODY[] sections
 * below the top level or of kind MIME; sets_seen: BODY[] / BINARY[]
 * without .PEEK, RFC822 and RFC822.TEXT. Simple items given twice are
 * kept once. Partial offsets and counts are number64 / nz-number64
 * (RFC 9051 9); a partial count of 0 is refused.
 */
int	 fetch_atts_parse(const struct imap_arg *, struct fetch_atts *r,
	    const char **err_r);
/* Append an item (e.g. FA_UID for UID FETCH) unless already present, with
 * a whole-message section and no partial; the need_* / sets_seen flags
 * follow. Returns 0, or -1 (no memory). */
int	 fetch_atts_add(struct fetch_atts *, enum fetch_att_type);
/* Free the items and reset counts and flags (errbuf is kept). */
void	 fetch_atts_clear(struct fetch_atts *);

#endif
