/*
 * listmatch: wildcard matching by dynamic programming, so patterns with
 * many "*" cannot take exponential time.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "imapd/listmatch.h"

static bool	 inbox_prefix(const char *);

static bool
inbox_prefix(const char *s)
{
	return strncasecmp(s, "INBOX", 5) == 0 &&
	    (s[5] == '\0' || s[5] == '/');
}

/*
 * ok[j]: pattern[0..i) matches name[0..j), for growing i.
 */
bool
listmatch(const char *pattern, const char *name, char delim)
{
	size_t plen = strlen(pattern), nlen = strlen(name), i, j;
	bool *ok, *nx, res;
	bool ci_in = inbox_prefix(name);

	if ((ok = calloc(nlen + 1, sizeof(bool))) == NULL ||
	    (nx = calloc(nlen + 1, sizeof(bool))) == NULL)
		fatal("listmatch: out of memory");
	ok[0] = true;
	for (i = 0; i < plen; i++) {
		char pc = pattern[i];

		memset(nx, 0, nlen + 1);
		if (pc == '*' || pc == '%') {
			/* nx[j] = ok[k] for some k <= j with name[k..j) free
			 * of delim (for %) */
			bool run = false;

			for (j = 0; j <= nlen; j++) {
				if (pc == '%' && j > 0 && name[j - 1] == delim)
					run = false;
				run = run || ok[j];
				nx[j] = run;
			}
		} else {
			for (j = 1; j <= nlen; j++) {
				char nc = name[j - 1];
				bool eq = nc == pc;

				/* INBOX is case-insensitive (RFC 9051 5.1) */
				if (!eq && ci_in && j <= 5 && i == j - 1)
					eq = (nc | 0x20) == (pc | 0x20);
				nx[j] = ok[j - 1] && eq;
			}
		}
		memcpy(ok, nx, nlen + 1);
	}
	res = ok[nlen];
	free(ok);
	free(nx);
	return res;
}

