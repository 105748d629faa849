/*
 * mime_int: structures and helpers shared by the lib/mime_*.c files.
 * Not an interface for other modules: use lib/mime.h.
 *
 * Ownership: a struct mime_msg owns its parts and everything they point
 * to except the message text, which the caller of mime_parse() owns.
 */
#ifndef LIB_MIME_INT_H
#define LIB_MIME_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Nesting deeper than this (multiparts and encapsulated messages) is not
 * parsed: such a part is a text/plain leaf. */
#define MIME_MAX_DEPTH		30
/* Parts per message; past it the rest of the text stays in the current
 * part. */
#define MIME_MAX_PARTS		10000
/* RFC 2046 5.1.1 allows 70; be generous, but bounded. */
#define MIME_MAX_BOUNDARY	200
/* Parameters kept per header field. */
#define MIME_MAX_PARAMS		256
/* Addresses kept per address list (all fields of one name together). */
#define MIME_MAX_ADDRS		10000

/* RFC 9051 7.5.2 / Dovecot: placeholders that keep invalid addresses
 * well-formed (a NIL host would read as the start of a group). */
#define MIME_MISSING_MAILBOX	"MISSING_MAILBOX"
#define MIME_MISSING_DOMAIN	"MISSING_DOMAIN"

/* ---- lexical analysis (mime_lex.c) ---- */

struct mime_lex {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	/* the last comment skipped by mime_lex_cfws: inner text, raw */
	const char	*comment;
	size_t		 comment_len;
	size_t		 comment_at;	/* offset of its "(" */
};

void	 mime_lex_init(struct mime_lex *, const char *, size_t);
/* Skip white space, line breaks and (nested) comments: RFC 5322 3.2.2
 * CFWS. Returns true if anything was skipped. */
bool	 mime_lex_cfws(struct mime_lex *);
static inline bool
mime_lex_eof(const struct mime_lex *l) { return l->pos >= l->len; }
static inline int
mime_lex_peek(const struct mime_lex *l)
{
	return l->pos < l->len ? (unsigned char)l->s[l->pos] : -1;
}
/* RFC 2045 5.1 token (8-bit bytes accepted). Returns its length (0 if
 * none) and the start in *tok_r. */
size_t	 mime_lex_token(struct mime_lex *, const char **tok_r);
/* RFC 5322 3.2.3 atom (atext, 8-bit accepted); with dots: dot-atom text
 * or obs-phrase words. */
size_t	 mime_lex_atom(struct mime_lex *, bool dots, const char **tok_r);
/* Quoted string at the current "\"": append its contents (quoted pairs
 * undone, line breaks removed) to out. An unterminated string runs to
 * the end. 0, or -1 if out is full. */
int	 mime_lex_quoted(struct mime_lex *, struct buf *out);
/* Append text with RFC 5322 quoted pairs undone and line breaks
 * removed (comment contents). 0 or -1. */
int	 mime_unquote(struct buf *out, const char *s, size_t len);

/* ---- header fields (mime_header.c) ---- */

struct mime_field {
	const char	*name;		/* field name, trailing blanks cut */
	size_t		 name_len;
	const char	*value;		/* after the colon, folding included */
	size_t		 value_len;
	const char	*raw;		/* the whole field with line breaks */
	size_t		 raw_len;
};

/* Iterate the fields of a header block hdr[0..len); *pos starts at 0.
 * Lines without a colon are skipped; the first empty line ends the
 * header. Returns false when there are no more fields. */
bool	 mime_field_next(const char *hdr, size_t len, size_t *pos,
	    struct mime_field *f_r);
/* Case-insensitive name comparison with a NUL-terminated name. */
bool	 mime_field_is(const struct mime_field *, const char *name);
/* The first field called name: what counts for MIME fields (Content-*),
 * as in Dovecot. */
bool	 mime_field_first(const char *hdr, size_t len, const char *name,
	    struct mime_field *f_r);
/* The last field called name: what counts for ENVELOPE fields, as in
 * Dovecot. */
bool	 mime_field_last(const char *hdr, size_t len, const char *name,
	    struct mime_field *f_r);
/* Append value with line breaks removed (RFC 5322 2.2.3 unfolding; a
 * stray CR or LF is dropped too) and leading blanks skipped. 0 or -1. */
int	 mime_unfold(struct buf *out, const char *v, size_t len);

/* ---- Content-Type / Content-Disposition parameters (mime_params.c) */

struct mime_param {
	char	*name;		/* as given (RFC 2231 suffixes removed) */
	char	*value;		/* decoded; RFC 2231 values in UTF-8 */
	size_t	 value_len;
};

struct mime_params {
	struct mime_param	*v;
	size_t			 n;
};

/* "type/subtype *(; parameter)" (RFC 2045 5.1). false if the type is
 * invalid (then nothing is allocated). type_r and sub_r are malloc'd. */
bool	 mime_content_type_parse(const char *v, size_t len, char **type_r,
	    char **sub_r, struct mime_params *params_r);
/* "type *(; parameter)" (RFC 2183). false if there is no type. */
bool	 mime_disposition_parse(const char *v, size_t len, char **type_r,
	    struct mime_params *params_r);
/* Parameters from the lexer's position on; RFC 2231 continuations are
 * joined and charset'language' values converted to UTF-8. */
void	 mime_params_parse(struct mime_lex *, struct mime_params *r);
const struct mime_param *mime_params_get(const struct mime_params *,
	    const char *name);
void	 mime_params_clear(struct mime_params *);

/* ---- RFC 2047 encoded words (mime_2047.c) ---- */

/* Append the header value v (folded or not) with line breaks removed,
 * leading blanks skipped and encoded words decoded to UTF-8 (white space
 * between adjacent encoded words dropped, RFC 2047 6.2). 0 or -1. */
int	 mime_decode_2047(struct buf *out, const char *v, size_t len);

/* ---- the part tree (mime_parse.c) ---- */

enum mime_part_flags {
	MP_MULTIPART = 0x01,	/* children are body parts */
	MP_MESSAGE = 0x02,	/* message/rfc822 or message/global: the one
				 * child is the encapsulated message */
	MP_DEFAULT_TYPE = 0x04,	/* no valid Content-Type: type from context */
	MP_FORCED_LEAF = 0x08,	/* too deep or no room: text/plain leaf */
	MP_IN_DIGEST = 0x10,	/* default type is message/rfc822 */
	MP_FILLER = 0x20	/* stands for a multipart body with no parts */
};

struct mime_part {
	struct mime_part	*parent;
	struct mime_part	*child;		/* first child */
	struct mime_part	*last;		/* last child */
	struct mime_part	*next;		/* next sibling */
	size_t			 nchildren;
	size_t			 hdr_off;	/* header with its empty line */
	size_t			 hdr_len;
	size_t			 body_off;
	size_t			 body_len;
	unsigned int		 depth;
	unsigned int		 flags;
	char			*type;		/* NULL with MP_DEFAULT_TYPE */
	char			*subtype;
	struct mime_params	 params;
	const char		*boundary;	/* into params, or NULL */
	size_t			 boundary_len;
};

struct mime_msg {
	const char		*data;
	size_t			 len;
	struct mime_part	*root;
	size_t			 nparts;
};

static inline const char *
mime_part_hdr(const struct mime_msg *m, const struct mime_part *p)
{
	return m->data + p->hdr_off;
}
static inline const char *
mime_part_body(const struct mime_msg *m, const struct mime_part *p)
{
	return m->data + p->body_off;
}
/* text/ * type (defaults and forced leaves count as text/plain) */
bool	 mime_part_is_text(const struct mime_part *);
/* message/rfc822 or message/global by type (parsed or default) */
bool	 mime_part_is_message_type(const struct mime_part *);
/* charset parameter, or NULL */
const struct mime_param *mime_part_charset(const struct mime_part *);

/* ---- values shared by the writers ---- */

/* nstring from message text: NUL bytes become 0x80 (an IMAP string may
 * not hold NUL), so a damaged header still gives a valid response. */
int	 mime_write_nstring(struct buf *out, const char *s, size_t len);
enum mime_field_use {
	MIME_FIELD_ENVELOPE,	/* last occurrence, value as it is */
	MIME_FIELD_MIME		/* first occurrence, trailing blanks cut */
};
/* The unfolded value of field name as an nstring (NIL if absent). */
int	 mime_write_field(struct buf *out, const char *hdr, size_t len,
	    const char *name, enum mime_field_use use);
/* ENVELOPE of the header block hdr[0..len). */
int	 mime_write_envelope_hdr(struct buf *out, const char *hdr,
	    size_t len);

/* ---- addresses (mime_address.c) ---- */

struct mime_addr {
	char	*name;		/* NULL = NIL */
	char	*adl;
	char	*mailbox;
	char	*host;
};

struct mime_addrs {
	struct mime_addr	*v;
	size_t			 n;
	size_t			 cap;
};

/* Parse an RFC 5322 address-list (also the obsolete forms) and append
 * its addresses, with group markers as RFC 9051 7.5.2 describes. */
void	 mime_addrs_parse(struct mime_addrs *, const char *v, size_t len);
/* "(" 1*address ")" or NIL when empty. 0 or -1. */
int	 mime_addrs_write(struct buf *out, const struct mime_addrs *);
void	 mime_addrs_clear(struct mime_addrs *);

/* ---- transfer encodings (mime_section.c) ---- */

enum mime_cte {
	MIME_CTE_IDENTITY,	/* 7bit, 8bit, binary or absent */
	MIME_CTE_BASE64,
	MIME_CTE_QP,
	MIME_CTE_UNKNOWN
};

enum mime_cte mime_part_cte(const struct mime_msg *,
	    const struct mime_part *);
/* Append the part body with its transfer encoding removed. 0, -1 (out
 * full) or -2 (unknown encoding). */
int	 mime_decode_body(struct buf *out, const struct mime_msg *,
	    const struct mime_part *);

#endif
