/*
 * base64: RFC 4648 section 4 encoding and decoding.
 *
 * Strict decoding follows the IMAP/SASL grammar (RFC 9051 section 9,
 * "base64"): groups of four alphabet characters, '=' padding only at the
 * end, nothing else. MIME decoding (RFC 2045 6.8) ignores characters
 * outside the alphabet, as a robust reader of real-world mail must.
 */
#include <stddef.h>
#include <stdint.h>

#include "lib/base64.h"
#include "lib/buf.h"

#define B64_BAD		0xff	/* not in the alphabet */
#define B64_PAD		0xfe	/* '=' */

static const char	 b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static unsigned char	 b64_value(unsigned char);
static int		 b64_flush(struct buf *, const unsigned char *,
			    size_t);

/* Value of one character: 0-63, B64_PAD or B64_BAD. */
static unsigned char
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == '=')
		return B64_PAD;
	return B64_BAD;
}

int
base64_encode(struct buf *out, const void *in, size_t len)
{
	const unsigned char	*p = in;
	size_t			 start = buf_len(out), i;
	char			 q[4];
	uint32_t		 v;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		q[0] = b64_alphabet[(v >> 18) & 0x3f];
		q[1] = b64_alphabet[(v >> 12) & 0x3f];
		q[2] = i + 1 < len ? b64_alphabet[(v >> 6) & 0x3f] : '=';
		q[3] = i + 2 < len ? b64_alphabet[v & 0x3f] : '=';
		if (buf_append(out, q, sizeof(q)) == -1) {
			buf_truncate(out, start);
			return -1;
		}
	}
	return 0;
}

/* Append the bytes encoded by n (2..4) sextets in q. */
static int
b64_flush(struct buf *out, const unsigned char *q, size_t n)
{
	unsigned char	 b[3];
	uint32_t	 v = 0;
	size_t		 i;

	for (i = 0; i < 4; i++)
		v = (v << 6) | (i < n ? q[i] : 0);
	b[0] = (v >> 16) & 0xff;
	b[1] = (v >> 8) & 0xff;
	b[2] = v & 0xff;
	return buf_append(out, b, n - 1);
}

int
base64_decode(struct buf *out, const char *in, size_t len)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 start = buf_len(out), i, j, n;
	unsigned char		 q[4];

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		for (j = 0, n = 0; j < 4; j++) {
			q[j] = b64_value(p[i + j]);
			if (q[j] == B64_BAD)
				goto fail;
			if (q[j] != B64_PAD) {
				/* no data after padding */
				if (n != j)
					goto fail;
				n++;
			}
		}
		/* padding only in the last group, and at most two '=' */
		if (n < 2 || (n < 4 && i + 4 != len))
			goto fail;
		if (b64_flush(out, q, n) == -1)
			goto fail;
	}
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

void
base64_decode_mime(struct buf *out, const char *in, size_t len)
{
	const unsigned char	*p = (const unsigned char *)in;
	unsigned char		 q[4], v;
	size_t			 i, n = 0;

	for (i = 0; i < len; i++) {
		v = b64_value(p[i]);
		if (v == B64_PAD)
			break;
		if (v == B64_BAD)
			continue;
		q[n++] = v;
		if (n == 4) {
			if (b64_flush(out, q, 4) == -1)
				return;
			n = 0;
		}
	}
	/* a final partial group still carries whole bytes */
	if (n >= 2)
		(void)b64_flush(out, q, n);
}
