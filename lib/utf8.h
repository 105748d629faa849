/*
 * utf8: validation and simple case folding for search.
 */
#ifndef LIB_UTF8_H
#define LIB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one well-formed UTF-8 character at s (len > 0): its length, or
 * 0 if the bytes there are not well-formed UTF-8. */
size_t	 utf8_next(const unsigned char *s, size_t len, uint32_t *cp_r);
/* Well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
bool	 utf8_valid(const char *s, size_t len);
/* Case-insensitive substring search on UTF-8 text (ASCII and Latin/Greek/
 * Cyrillic simple case folding); invalid bytes compare as themselves. */
bool	 utf8_contains_ci(const char *hay, size_t haylen, const char *needle,
	    size_t nlen);

#endif
