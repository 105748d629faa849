/*
 * imap_read: read one complete client command from a conn, literals
 * included, within limits.
 *
 * The result is the exact bytes of the command as sent, with each literal
 * kept inline as "{N}\r\n<N bytes>" (also "{N+}", "~{N}", "~{N+}"), and
 * without the final CRLF. imap_parse_command() parses that form.
 *
 * For a synchronizing literal the reader sends the continuation request
 * "+ OK\r\n" (flushing output) before reading the literal.
 */
#ifndef LIB_IMAP_READ_H
#define LIB_IMAP_READ_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/conn.h"

struct imap_read_limits {
	size_t	 max_line;	/* one line, literals excluded */
	size_t	 max_literal;	/* one literal */
	size_t	 max_command;	/* whole command, literals included */
	int	 timeout_ms;	/* waiting for the next line or literal */
};

enum imap_read_status {
	IMAP_READ_OK = 0,
	IMAP_READ_EOF = -1,
	IMAP_READ_ERROR = -2,		/* I/O error */
	IMAP_READ_TIMEOUT = -3,
	IMAP_READ_LINE_TOOLONG = -4,	/* line discarded; answer BAD */
	IMAP_READ_BADLINE = -5,		/* NUL / bare CR; answer BAD */
	/* A synchronizing literal over the limit: nothing of it was read,
	 * the rest of the command is discarded; answer the tag with
	 * NO [TOOBIG] (RFC 7889/9051) and carry on. */
	IMAP_READ_LITERAL_TOOBIG = -6,
	/* A non-synchronizing literal over the limit, or a whole command
	 * over max_command: the stream cannot be resynchronised; answer
	 * BYE and close (RFC 7888 4). */
	IMAP_READ_FATAL_TOOBIG = -7
};

/*
 * Read one command into *cmd (its contents are replaced). On
 * IMAP_READ_LITERAL_TOOBIG / LINE_TOOLONG / BADLINE, *tag_r (if not NULL)
 * gets a malloc'd copy of the command's tag when one could be read, else
 * NULL; the caller frees it. On IMAP_READ_LITERAL_TOOBIG *cmd holds the
 * command up to and including the refused literal's marker (so the caller
 * can tell e.g. an APPEND). The whole command is bounded by the smaller of
 * max_command and cmd's own maximum.
 */
int	 imap_read_command(struct conn *, struct buf *cmd,
	    const struct imap_read_limits *, char **tag_r);

#endif
