/*
 * client: one connection's protocol I/O, shared by the pre-auth and the
 * user process: reading commands within the limits, writing responses,
 * counting bad commands.
 */
#ifndef IMAPD_CLIENT_H
#define IMAPD_CLIENT_H

#include <stdbool.h>

#include "lib/buf.h"
#include "lib/conn.h"
#include "lib/imap_parse.h"
#include "imapd/settings.h"

struct client {
	struct conn		*conn;
	const struct settings	*set;
	struct buf		*cmdbuf;	/* raw command being parsed */
	struct buf		*out;		/* one response being built */
	unsigned		 bad_count;
	bool			 disconnect;	/* BYE sent or connection lost */
	const char		*why;		/* why it ended, for the log */
};

enum client_read {
	CLIENT_READ_CMD = 1,	/* *cmd_r is a parsed command */
	CLIENT_READ_AGAIN = 0,	/* a bad command was answered; read again */
	CLIENT_READ_CLOSE = -1	/* connection is over (BYE sent if useful) */
};

struct client	*client_new(struct conn *, const struct settings *);
void		 client_free(struct client **);

/* Read and parse the next command; timeout in seconds. Errors in the
 * command line are answered here (BAD, NO [TOOBIG], BYE). */
enum client_read client_read_command(struct client *, unsigned timeout,
	    struct imap_cmd **cmd_r);

/* Responses. Text is printf-formatted, written with CRLF and queued. */
void	 client_tagged(struct client *, const char *tag, const char *status,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 client_untagged(struct client *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "tag BAD text"; after max_bad_commands of them, BYE and disconnect. */
void	 client_bad(struct client *, const char *tag, const char *text);
/* "* BYE text", flush, and mark the client disconnected. */
void	 client_bye(struct client *, const char *text);
/* Queue the contents of out (a complete response without CRLF) + CRLF,
 * then reset out. */
void	 client_send_out(struct client *);
/* Read one line of a SASL exchange or IDLE ("DONE"). Returns 0 and the
 * line in *line (borrowed from the client), or -1 (disconnect). */
int	 client_read_line(struct client *, unsigned timeout, struct buf *line);

#endif
