/*
 * utf8: validation and simple case folding for search.
 */
#ifndef LIB_UTF8_H
#define LIB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
bool	 utf8_valid(const char *s, size_t len);
/* Case-insensitive substring search on UTF-8 text (ASCII and Latin/Greek/
 * Cyrillic simple case folding); invalid bytes compare as themselves. */
bool	 utf8_contains_ci(const char *hay, size_t haylen, const char *needle,
	    size_t nlen);

#endif
