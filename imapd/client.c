/*
 * client: command reading and response writing for one connection.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/imap_read.h"
#include "lib/log.h"
#include "imapd/client.h"

static void	 vwrite_line(struct client *, const char *, const char *,
		    const char *, va_list);

struct client *
client_new(struct conn *conn, const struct settings *set)
{
	struct client *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc: out of memory");
	c->conn = conn;
	c->set = set;
	c->cmdbuf = buf_new(set->max_command_size);
	/* one response: a FETCH may carry a whole message plus framing */
	c->out = buf_new(set->max_literal_size * 2 + 1024 * 1024);
	return c;
}

void
client_free(struct client **cp)
{
	struct client *c = *cp;

	if (c == NULL)
		return;
	buf_free(&c->cmdbuf);
	buf_free(&c->out);
	conn_free(&c->conn);
	free(c);
	*cp = NULL;
}

static void
vwrite_line(struct client *c, const char *tag, const char *status,
    const char *fmt, va_list ap)
{
	struct buf *b = c->out;

	buf_reset(b);
	if (status == NULL)
		buf_puts(b, "* ");
	else
		buf_printf(b, "%s %s ", tag, status);
	buf_vprintf(b, fmt, ap);
	client_send_out(c);
}

void
client_send_out(struct client *c)
{
	buf_append(c->out, "\r\n", 2);
	if (conn_write(c->conn, buf_data(c->out), buf_len(c->out)) == -1)
		c->disconnect = true;
	buf_reset(c->out);
}

void
client_tagged(struct client *c, const char *tag, const char *status,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwrite_line(c, tag, status, fmt, ap);
	va_end(ap);
}

void
client_untagged(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwrite_line(c, NULL, NULL, fmt, ap);
	va_end(ap);
}

void
client_bye(struct client *c, const char *text)
{
	if (!c->disconnect) {
		conn_printf(c->conn, "* BYE %s\r\n", text);
		conn_flush(c->conn);
	}
	c->disconnect = true;
}

void
client_bad(struct client *c, const char *tag, const char *text)
{
	client_tagged(c, tag != NULL ? tag : "*", "BAD", "%s", text);
	if (++c->bad_count >= c->set->max_bad_commands) {
		c->why = "too_many_bad_commands";
		client_bye(c, "Too many invalid commands.");
	}
}

enum client_read
client_read_command(struct client *c, unsigned timeout,
    struct imap_cmd **cmd_r)
{
	struct imap_read_limits rl;
	struct imap_parse_limits pl;
	const char *err;
	char *tag = NULL;
	int rc;

	*cmd_r = NULL;
	if (c->disconnect)
		return CLIENT_READ_CLOSE;
	if (conn_flush(c->conn) == -1)
		return CLIENT_READ_CLOSE;
	rl.max_line = c->set->max_line_length;
	rl.max_literal = c->set->max_literal_size;
	rl.max_command = c->set->max_command_size;
	rl.timeout_ms = (int)(timeout > 2000000 ? 2000000000 :
	    timeout * 1000);
	rc = imap_read_command(c->conn, c->cmdbuf, &rl, &tag);
	switch (rc) {
	case IMAP_READ_OK:
		break;
	case IMAP_READ_EOF:
	case IMAP_READ_ERROR:
		c->disconnect = true;
		c->why = rc == IMAP_READ_EOF ? "eof" : "read_error";
		return CLIENT_READ_CLOSE;
	case IMAP_READ_TIMEOUT:
		c->why = "timeout";
		client_bye(c, "Autologout; idle for too long.");
		return CLIENT_READ_CLOSE;
	case IMAP_READ_LINE_TOOLONG:
		/* the discarded rest may have announced a literal, so the
		 * stream cannot be trusted any more: answer and close */
		client_tagged(c, tag != NULL ? tag : "*", "BAD",
		    "Line longer than %zu bytes.", c->set->max_line_length);
		c->why = "line_too_long";
		client_bye(c, "Line too long, closing.");
		free(tag);
		return CLIENT_READ_CLOSE;
	case IMAP_READ_BADLINE:
		client_bad(c, tag, "NUL or bare CR in command line.");
		free(tag);
		return c->disconnect ? CLIENT_READ_CLOSE : CLIENT_READ_AGAIN;
	case IMAP_READ_LITERAL_TOOBIG:
		/* RFC 7889 / RFC 9051 7.1: TOOBIG, the client did not send
		 * the literal since we sent no continuation */
		client_tagged(c, tag != NULL ? tag : "*", "NO",
		    "[TOOBIG] Literal larger than %zu bytes.",
		    c->set->max_literal_size);
		free(tag);
		return CLIENT_READ_AGAIN;
	default:
		c->why = "command_too_large";
		client_bye(c, "[TOOBIG] Command too large, closing.");
		free(tag);
		return CLIENT_READ_CLOSE;
	}
	pl.max_depth = c->set->max_nesting_depth;
	pl.max_args = 100000;
	if (imap_parse_command((const char *)buf_data(c->cmdbuf),
	    buf_len(c->cmdbuf), &pl, cmd_r, &tag, &err) == -1) {
		client_bad(c, tag, err);
		free(tag);
		return c->disconnect ? CLIENT_READ_CLOSE : CLIENT_READ_AGAIN;
	}
	free(tag);
	return CLIENT_READ_CMD;
}

int
client_read_line(struct client *c, unsigned timeout, struct buf *line)
{
	int rc;

	if (c->disconnect || conn_flush(c->conn) == -1)
		return -1;
	rc = conn_getline(c->conn, line, c->set->max_line_length,
	    (int)(timeout * 1000));
	if (rc == CONN_OK)
		return 0;
	if (rc == CONN_TIMEOUT)
		client_bye(c, "Timed out waiting for the client.");
	else if (rc == CONN_TOOLONG || rc == CONN_BADLINE)
		client_bye(c, "Invalid line.");
	c->disconnect = true;
	return -1;
}
