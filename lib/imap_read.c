/*
 * imap_read: read one complete client command, literals included.
 *
 * RFC 9051 2.2.1 / 4.3: a line that ends in a literal marker "{N}" is
 * continued by N bytes and then another line; the client sends the bytes
 * of a synchronizing literal only after the server's continuation request
 * "+", and those of a non-synchronizing one ("{N+}", RFC 7888) at once.
 * "~{N}" (RFC 3516) marks a literal8 that may hold any byte.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/conn.h"
#include "lib/imap_read.h"
#include "lib/log.h"

/* RFC 9051 9: number64 is at most 2^63 - 1 */
#define IMAP_READ_NUMBER64_MAX	((uint64_t)INT64_MAX)

static int	 imap_read_marker(const unsigned char *, size_t, uint64_t *,
		    int *);
static int	 imap_read_status(int);
static bool	 imap_read_tag_char(unsigned char);
static char	*imap_read_tag(const struct buf *);

/*
 * Does the line end in a literal marker? Returns 1 and sets the size
 * (UINT64_MAX if it is not a valid number64) and whether it is a
 * synchronizing literal, or 0.
 */
static int
imap_read_marker(const unsigned char *p, size_t len, uint64_t *n_r,
    int *sync_r)
{
	size_t		 end, i;
	uint64_t	 n = 0, d;
	int		 plus = 0;

	if (len < 3 || p[len - 1] != '}')
		return 0;
	end = len - 1;
	if (p[end - 1] == '+') {
		plus = 1;
		end--;
	}
	for (i = end; i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9'; i--)
		;
	if (i == end || i == 0 || p[i - 1] != '{')
		return 0;
	for (; i < end; i++) {
		d = p[i] - '0';
		if (n > (IMAP_READ_NUMBER64_MAX - d) / 10) {
			n = UINT64_MAX;
			break;
		}
		n = n * 10 + d;
	}
	*n_r = n;
	*sync_r = !plus;
	return 1;
}

static int
imap_read_status(int conn_status)
{
	switch (conn_status) {
	case CONN_OK:
		return IMAP_READ_OK;
	case CONN_EOF:
		return IMAP_READ_EOF;
	case CONN_TIMEOUT:
		return IMAP_READ_TIMEOUT;
	case CONN_TOOLONG:
		return IMAP_READ_LINE_TOOLONG;
	case CONN_BADLINE:
		return IMAP_READ_BADLINE;
	default:
		return IMAP_READ_ERROR;
	}
}

/* RFC 9051 9: tag = 1*<any ASTRING-CHAR except "+"> */
static bool
imap_read_tag_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("(){%*\"\\+", c) == NULL;
}

/*
 * A malloc'd copy of the tag at the start of b, or NULL if there is no
 * well-formed one (it will be echoed to the client, so it must be clean).
 */
static char *
imap_read_tag(const struct buf *b)
{
	const unsigned char	*p = buf_data(b);
	size_t			 len = buf_len(b), i;
	char			*tag;

	for (i = 0; i < len && p[i] != ' '; i++)
		if (!imap_read_tag_char(p[i]))
			return NULL;
	if (i == 0)
		return NULL;
	if ((tag = malloc(i + 1)) == NULL)
		fatal("imap_read_tag: out of memory");
	memcpy(tag, p, i);
	tag[i] = '\0';
	return tag;
}

int
imap_read_command(struct conn *c, struct buf *cmd,
    const struct imap_read_limits *lim, char **tag_r)
{
	struct buf	 line;
	size_t		 limit;
	uint64_t	 n;
	int		 r, status, sync;

	if (tag_r != NULL)
		*tag_r = NULL;
	buf_reset(cmd);
	/* the command's own buffer may be the tighter limit */
	limit = lim->max_command < cmd->max ? lim->max_command : cmd->max;
	buf_init(&line, lim->max_line);
	/* lines carry LOGIN passwords */
	buf_set_sensitive(&line);
	for (;;) {
		r = conn_getline(c, &line, lim->max_line, lim->timeout_ms);
		if (r != CONN_OK) {
			status = imap_read_status(r);
			/* the tag is in the first line (maybe this one) */
			if (tag_r != NULL && (r == CONN_TOOLONG ||
			    r == CONN_BADLINE))
				*tag_r = imap_read_tag(buf_len(cmd) > 0 ?
				    cmd : &line);
			goto done;
		}
		if (buf_len(&line) > limit - buf_len(cmd) ||
		    buf_append(cmd, buf_data(&line), buf_len(&line)) == -1) {
			status = IMAP_READ_FATAL_TOOBIG;
			goto done;
		}
		if (!imap_read_marker(buf_data(&line), buf_len(&line), &n,
		    &sync)) {
			status = IMAP_READ_OK;
			goto done;
		}
		if (n > lim->max_literal || n > limit - buf_len(cmd) ||
		    limit - buf_len(cmd) - n < 2) {
			/*
			 * RFC 9051 7.1 / RFC 7889: refuse a synchronizing
			 * literal instead of sending "+"; the client then
			 * does not send it. A non-synchronizing one is
			 * already on its way: RFC 7888 4 leaves only BYE.
			 */
			if (sync) {
				status = IMAP_READ_LITERAL_TOOBIG;
				if (tag_r != NULL)
					*tag_r = imap_read_tag(cmd);
			} else
				status = IMAP_READ_FATAL_TOOBIG;
			goto done;
		}
		if (buf_append(cmd, "\r\n", 2) == -1) {
			status = IMAP_READ_FATAL_TOOBIG;
			goto done;
		}
		if (sync && (conn_puts(c, "+ OK\r\n") == -1 ||
		    conn_flush(c) == -1)) {
			status = IMAP_READ_ERROR;
			goto done;
		}
		r = conn_read_exact(c, cmd, (size_t)n, lim->timeout_ms);
		if (r != CONN_OK) {
			status = imap_read_status(r);
			goto done;
		}
	}
done:
	buf_release(&line);
	return status;
}
