/*
 * imap_write: server-side encoding of IMAP values into a buf.
 * Each function returns 0, or -1 if the buf is full.
 */
#ifndef LIB_IMAP_WRITE_H
#define LIB_IMAP_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

/* string: quoted when possible (no CR, LF, NUL, 8-bit only if utf8_ok,
 * and short), otherwise a literal {N}\r\n... */
int	 imw_string(struct buf *, const char *s, size_t len);
/* as imw_string but NIL for s == NULL */
int	 imw_nstring(struct buf *, const char *s, size_t len);
/* astring: bare atom when every char is an ASTRING-CHAR and the value is
 * not NIL, else string */
int	 imw_astring(struct buf *, const char *s, size_t len);
/* always a literal; literal8 ~{N} if binary */
int	 imw_literal(struct buf *, const char *s, size_t len, int binary);
/* always quoted; -1 if s cannot be quoted (caller falls back) */
int	 imw_quoted(struct buf *, const char *s, size_t len);
int	 imw_u64(struct buf *, uint64_t);

#endif
