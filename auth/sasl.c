/*
 * sasl: splitting the decoded client messages of the PLAIN (RFC 4616) and
 * LOGIN mechanisms into NUL-terminated strings. Everything here may hold
 * a password: copies are wiped before they are freed.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/sasl.h"

static char	*dup_field(const char *, size_t);

int
sasl_plain_parse(const char *msg, size_t len, char **authzid_r,
    char **authcid_r, char **passwd_r)
{
	const char *nul1, *nul2, *authcid, *passwd;
	size_t zlen, clen, plen;

	*authzid_r = *authcid_r = *passwd_r = NULL;
	if (msg == NULL)
		return -1;
	/*
	 * RFC 4616 2: message = [authzid] UTF8NUL authcid UTF8NUL passwd,
	 * and NUL "MUST NOT appear in authzid, authcid, or passwd": exactly
	 * two NULs, so a third one (inside passwd) is malformed.
	 */
	if ((nul1 = memchr(msg, '\0', len)) == NULL)
		return -1;
	authcid = nul1 + 1;
	if ((nul2 = memchr(authcid, '\0', len - (authcid - msg))) == NULL)
		return -1;
	passwd = nul2 + 1;
	zlen = nul1 - msg;
	clen = nul2 - authcid;
	plen = len - (passwd - msg);
	if (memchr(passwd, '\0', plen) != NULL)
		return -1;
	/* authcid and passwd are 1*SAFE; authzid is optional. */
	if (clen == 0 || plen == 0)
		return -1;
	if (zlen > SASL_NAME_MAX || clen > SASL_NAME_MAX ||
	    plen > SASL_PASS_MAX)
		return -1;
	if ((*authzid_r = dup_field(msg, zlen)) == NULL ||
	    (*authcid_r = dup_field(authcid, clen)) == NULL ||
	    (*passwd_r = dup_field(passwd, plen)) == NULL) {
		sasl_secret_free(authzid_r);
		sasl_secret_free(authcid_r);
		sasl_secret_free(passwd_r);
		return -1;
	}
	return 0;
}

int
sasl_login_value(const char *msg, size_t len, size_t max, char **value_r)
{
	*value_r = NULL;
	if (msg == NULL || len == 0 || len > max ||
	    memchr(msg, '\0', len) != NULL)
		return -1;
	if ((*value_r = dup_field(msg, len)) == NULL)
		return -1;
	return 0;
}

void
sasl_secret_free(char **sp)
{
	if (sp == NULL || *sp == NULL)
		return;
	explicit_bzero(*sp, strlen(*sp));
	free(*sp);
	*sp = NULL;
}

static char *
dup_field(const char *p, size_t len)
{
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}
