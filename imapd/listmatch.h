/*
 * listmatch: LIST wildcard matching (RFC 9051 6.3.9): "*" matches any
 * characters, "%" any except the hierarchy delimiter.
 */
#ifndef IMAPD_LISTMATCH_H
#define IMAPD_LISTMATCH_H

#include <stdbool.h>

/* Does name match pattern? A leading "INBOX" of either compares without
 * case. Runs in O(len(name) * len(pattern)). */
bool	 listmatch(const char *pattern, const char *name, char delim);

#endif
