/*
 * qp: quoted-printable decoding for MIME bodies (RFC 2045 6.7) and for
 * the Q encoding of encoded words (RFC 2047 4.2).
 */
#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "lib/qp.h"

#define QP_CHUNK	4096

struct qp_out {
	struct buf	*buf;
	char		 chunk[QP_CHUNK];
	size_t		 n;
	int		 full;
};

static int	 qp_hex(unsigned char);
static void	 qp_put(struct qp_out *, char);
static void	 qp_flush(struct qp_out *);
static int	 qp_line(struct qp_out *, const char *, size_t, bool);

static int
qp_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
qp_flush(struct qp_out *o)
{
	size_t	 room;

	if (o->full || o->n == 0) {
		o->n = 0;
		return;
	}
	room = o->buf->max - buf_len(o->buf);
	if (o->n > room) {
		(void)buf_append(o->buf, o->chunk, room);
		o->full = 1;
	} else if (buf_append(o->buf, o->chunk, o->n) == -1)
		o->full = 1;
	o->n = 0;
}

static void
qp_put(struct qp_out *o, char c)
{
	if (o->n == sizeof(o->chunk))
		qp_flush(o);
	o->chunk[o->n++] = c;
}

/*
 * Decode the text of one line, in[0..len) without its line break; the
 * caller has already removed trailing blanks. Returns 1 if the line ends
 * in a soft line break.
 */
static int
qp_line(struct qp_out *o, const char *in, size_t len, bool header)
{
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < len && !o->full; i++) {
		if (in[i] == '_' && header) {
			qp_put(o, ' ');
			continue;
		}
		if (in[i] != '=') {
			qp_put(o, in[i]);
			continue;
		}
		if (i + 1 == len && !header)
			return 1;
		if (i + 2 < len &&
		    (hi = qp_hex((unsigned char)in[i + 1])) >= 0 &&
		    (lo = qp_hex((unsigned char)in[i + 2])) >= 0) {
			qp_put(o, (char)(hi << 4 | lo));
			i += 2;
			continue;
		}
		/* RFC 2045 6.7 note: a robust decoder keeps a bad "=" */
		qp_put(o, '=');
	}
	return 0;
}

int
qp_decode(struct buf *out, const char *in, size_t len, bool header)
{
	struct qp_out	 o;
	size_t		 pos = 0, eol, end, next;
	int		 soft;

	o.buf = out;
	o.n = 0;
	o.full = 0;
	if (header) {
		(void)qp_line(&o, in, len, true);
		qp_flush(&o);
		return o.full ? -1 : 0;
	}
	while (pos < len && !o.full) {
		for (eol = pos; eol < len && in[eol] != '\n'; eol++)
			;
		next = eol < len ? eol + 1 : len;
		end = eol;
		if (end > pos && end < len && in[end - 1] == '\r')
			end--;
		/* RFC 2045 6.7 rule 3: blanks before a line break are
		 * transport padding */
		while (end > pos && (in[end - 1] == ' ' || in[end - 1] == '\t'))
			end--;
		soft = qp_line(&o, in + pos, end - pos, false);
		if (!soft && eol < len) {
			qp_put(&o, '\r');
			qp_put(&o, '\n');
		}
		pos = next;
	}
	qp_flush(&o);
	return o.full ? -1 : 0;
}
