/*
 * imap_parse: the RFC 9051 section 9 grammar for client commands, as a
 * generic argument tree; command handlers then read typed values from it.
 *
 * Input is one command as imap_read_command() produces it (literals inline
 * as "{N}\r\n<bytes>", no final CRLF). Tokens:
 *   atom    any run of ATOM-CHARs plus "\" "*" "%" "]"; an atom that
 *           contains "[" extends to the matching "]" (spaces and parens
 *           allowed inside) and continues after it, so that fetch items like
 *           BODY.PEEK[HEADER.FIELDS (From To)]<0.100> are one atom.
 *   quoted  "..." with \" and \\ escapes (value unescaped); 8-bit allowed
 *           (UTF-8), CR/LF/NUL refused.
 *   literal {N} / {N+} / ~{N} / ~{N+} followed by CRLF and N bytes.
 *   list    ( ... ) nested up to a depth limit.
 * NIL is returned as an atom; use imap_arg_is_nil().
 */
#ifndef LIB_IMAP_PARSE_H
#define LIB_IMAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum imap_arg_type {
	IMAP_ARG_ATOM,
	IMAP_ARG_QUOTED,
	IMAP_ARG_LITERAL,
	IMAP_ARG_LIST
};

struct imap_arg {
	enum imap_arg_type	 type;
	/* ATOM, QUOTED, LITERAL: the value, NUL-terminated (a literal may also
	 * contain NULs: use len). */
	char			*str;
	size_t			 len;
	bool			 literal8;	/* ~{N} */
	/* LIST: its elements */
	struct imap_arg		*list;
	size_t			 count;
};

struct imap_cmd {
	char			*tag;
	char			*name;		/* command name, upper-cased */
	struct imap_arg		*args;		/* arguments after the name */
	size_t			 nargs;
	/* all memory of the command is owned by the command */
	void			*priv;
};

struct imap_parse_limits {
	size_t	 max_depth;	/* list nesting */
	size_t	 max_args;	/* total number of tokens */
};

/*
 * Parse one command. Returns 0 and sets *cmd_r, or -1 with *err_r set to a
 * static text suitable after "BAD" and *cmd_r set to NULL. If the tag could
 * be read, *tag_r (may be NULL) gets a malloc'd copy of it even on error
 * (so the caller can answer "tag BAD ..."), else NULL.
 * "UID" is not special here: "UID FETCH" parses as name "UID" with the
 * first argument the atom "FETCH".
 */
int	 imap_parse_command(const char *data, size_t len,
	    const struct imap_parse_limits *, struct imap_cmd **cmd_r,
	    char **tag_r, const char **err_r);
void	 imap_cmd_free(struct imap_cmd **);

/* Typed access. Each returns true and sets the value if the argument has
 * the right form. Strings are borrowed from the command. */
bool	 imap_arg_is_nil(const struct imap_arg *);
/* atom only */
bool	 imap_arg_atom(const struct imap_arg *, const char **s_r);
/* atom equal (ASCII case-insensitive) to word */
bool	 imap_arg_atom_is(const struct imap_arg *, const char *word);
/* astring: atom (ASTRING-CHARs only), quoted or literal */
bool	 imap_arg_astring(const struct imap_arg *, const char **s_r,
	    size_t *len_r);
/* string: quoted or literal */
bool	 imap_arg_string(const struct imap_arg *, const char **s_r,
	    size_t *len_r);
/* nstring: string or NIL (*s_r = NULL) */
bool	 imap_arg_nstring(const struct imap_arg *, const char **s_r,
	    size_t *len_r);
bool	 imap_arg_list(const struct imap_arg *, const struct imap_arg **l_r,
	    size_t *n_r);
/* number (uint32) / number64 */
bool	 imap_arg_number(const struct imap_arg *, uint32_t *n_r);
bool	 imap_arg_number64(const struct imap_arg *, uint64_t *n_r);

/* Character classes of RFC 9051 section 9. */
bool	 imap_is_atom_char(unsigned char);
bool	 imap_is_astring_char(unsigned char);	/* ATOM-CHAR / "]" */
/* A valid tag: 1*<ASTRING-CHAR except "+">. */
bool	 imap_tag_valid(const char *s, size_t len);

#endif
