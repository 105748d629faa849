/*
 * base64: RFC 4648 encoding/decoding (SASL, MIME).
 */
#ifndef LIB_BASE64_H
#define LIB_BASE64_H

#include <stddef.h>

#include "lib/buf.h"

int	 base64_encode(struct buf *out, const void *in, size_t len);
/* Strict decoding (SASL): padding required, no whitespace. 0 or -1. */
int	 base64_decode(struct buf *out, const char *in, size_t len);
/* Lenient decoding (MIME bodies): skips whitespace and junk, stops at
 * padding. Always succeeds. */
void	 base64_decode_mime(struct buf *out, const char *in, size_t len);

#endif
