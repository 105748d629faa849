/*
 * search: SEARCH command arguments (RFC 9051 6.4.4, ESEARCH RFC 4731
 * RETURN options) as a key tree. Evaluation is the caller's (imapd), since
 * it needs the mailbox.
 */
#ifndef LIB_SEARCH_H
#define LIB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/imap_parse.h"
#include "lib/seqset.h"

enum search_key_type {
	SK_AND,			/* children: all must match (also "(...)") */
	SK_OR,			/* two children */
	SK_NOT,			/* one child */
	SK_ALL,
	SK_SEQSET,		/* message sequence numbers (set) */
	SK_UID,			/* UID set (set) */
	/* flags: the flag is set (or, for the UN* forms, not set) */
	SK_ANSWERED, SK_DELETED, SK_DRAFT, SK_FLAGGED, SK_SEEN, SK_RECENT,
	SK_UNANSWERED, SK_UNDELETED, SK_UNDRAFT, SK_UNFLAGGED, SK_UNSEEN,
	SK_NEW,			/* RECENT UNSEEN */
	SK_OLD,			/* NOT RECENT */
	SK_KEYWORD, SK_UNKEYWORD,	/* str = keyword */
	/* internal date, by calendar day (day) */
	SK_BEFORE, SK_ON, SK_SINCE,
	/* Date: header, by calendar day (day) */
	SK_SENTBEFORE, SK_SENTON, SK_SENTSINCE,
	SK_LARGER, SK_SMALLER,	/* size */
	/* header fields: str = value (may be empty: field present) */
	SK_BCC, SK_CC, SK_FROM, SK_SUBJECT, SK_TO,
	SK_HEADER,		/* field = name, str = value */
	SK_BODY, SK_TEXT	/* str */
};

struct search_key {
	enum search_key_type	 type;
	char			*str;		/* UTF-8 */
	size_t			 len;
	char			*field;
	long			 day;		/* days since 1970-01-01 */
	uint64_t		 size;
	struct seqset		*set;
	struct search_key	*child;		/* AND/OR/NOT: array */
	size_t			 nchild;
};

/* ESEARCH RETURN options */
#define SEARCH_RET_MIN		0x01
#define SEARCH_RET_MAX		0x02
#define SEARCH_RET_ALL		0x04
#define SEARCH_RET_COUNT	0x08
#define SEARCH_RET_SAVE		0x10

struct search_program {
	struct search_key	 root;		/* SK_AND of the keys */
	bool			 esearch;	/* RETURN (...) was given */
	unsigned		 ret;		/* SEARCH_RET_*; RETURN () = ALL */
	bool			 uses_saved;	/* some set is "$" */
};

enum search_parse_status {
	SEARCH_PARSE_OK = 0,
	SEARCH_PARSE_BAD = -1,		/* syntax: answer BAD *err_r */
	SEARCH_PARSE_BADCHARSET = -2	/* answer NO [BADCHARSET (UTF-8 US-ASCII)] */
};

/*
 * Parse args[0..n) (everything after SEARCH): [RETURN (opts)]
 * [CHARSET astring] search-key+. Strings must be valid UTF-8 (US-ASCII
 * and UTF-8 charsets are accepted). Returns a search_parse_status.
 */
int	 search_parse(const struct imap_arg *args, size_t n,
	    struct search_program **prog_r, const char **err_r);
/*
 * The same, but a BAD reason names what was wrong ("Unknown search key:
 * FOO", "Invalid date for SINCE"): it is written into errbuf (errlen bytes,
 * truncated; 128 is plenty) and *err_r points there. With errbuf NULL this
 * is search_parse(), whose reasons are static texts without the name.
 * Nesting of NOT / OR / "(...)" is limited to 32 levels.
 */
int	 search_parse_errbuf(const struct imap_arg *args, size_t n,
	    struct search_program **prog_r, const char **err_r, char *errbuf,
	    size_t errlen);
void	 search_free(struct search_program **);

#endif
