/*
 * charset: conversion of text in a MIME charset (RFC 2045 / 2047 / 2231
 * charset names) to UTF-8 with the C library's iconv.
 */
#ifndef LIB_CHARSET_H
#define LIB_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Longest charset name accepted (longer names count as unknown). */
#define CHARSET_NAME_MAX	64

/*
 * Append the UTF-8 form of in[0..len), written in charset cs (cs, cslen:
 * not NUL-terminated; an RFC 2231 "*language" suffix is ignored), to out.
 * UTF-8, US-ASCII and charsets iconv does not know copy the bytes as they
 * are (mail mislabels charsets often enough that raw bytes are the best
 * guess). Sequences invalid in a known charset become U+FFFD.
 * Returns 0, or -1 if out is full (out then holds what fitted).
 */
int	 charset_to_utf8(struct buf *out, const char *cs, size_t cslen,
	    const char *in, size_t len);

/* True if cs converts through iconv (false for UTF-8, US-ASCII and
 * unknown names, which are copied as raw bytes). */
bool	 charset_needs_conversion(const char *cs, size_t cslen);

#endif
