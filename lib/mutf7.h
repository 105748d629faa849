/*
 * mutf7: modified UTF-7 mailbox names (RFC 3501 5.1.3) <-> UTF-8.
 */
#ifndef LIB_MUTF7_H
#define LIB_MUTF7_H

#include <stddef.h>

/* Encode UTF-8 into modified UTF-7. Returns a malloc'd string, or NULL if
 * the input is not valid UTF-8 (or contains U+0000, which no mailbox name
 * may hold). */
char	*mutf7_encode(const char *utf8, size_t len);
/* Decode modified UTF-7 into UTF-8. Returns a malloc'd string, or NULL if
 * the input is not valid modified UTF-7 (bad base64, unterminated shift,
 * non-minimal encoding of printable ASCII, "&-" misuse...). Only the
 * canonical form mutf7_encode() produces is accepted, so a name has one
 * spelling: also refused are raw 8-bit or control octets, non-zero
 * padding bits, lone surrogates, adjacent shift sequences and U+0000. */
char	*mutf7_decode(const char *mutf7, size_t len);
/* True if s is valid modified UTF-7 (so it decodes). */
int	 mutf7_valid(const char *s, size_t len);

#endif
