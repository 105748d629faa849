/*
 * qp: quoted-printable decoding (RFC 2045 6.7) and the "Q" encoding of
 * RFC 2047 encoded words (RFC 2047 4.2).
 */
#ifndef LIB_QP_H
#define LIB_QP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/*
 * Decode in[0..len) and append the result to out. Lenient, as real mail
 * needs: "=" not followed by two hex digits (either case) stays as it
 * is, a final "=" at the end of the data is dropped, trailing blanks
 * before a line break are removed (RFC 2045 6.7 rule 3), "=" at the end
 * of a line is a soft line break, and every hard line break (CRLF or a
 * bare LF) comes out as CRLF.
 * header: RFC 2047 "Q" instead: "_" is a space and there are no lines.
 * Returns 0, or -1 if out is full (out then holds what fitted).
 */
int	 qp_decode(struct buf *out, const char *in, size_t len, bool header);

#endif
