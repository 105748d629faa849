/*
 * sasl: decoding SASL exchanges for AUTHENTICATE PLAIN (RFC 4616) and
 * LOGIN (draft-murchison-sasl-login). Base64 handling is the caller's.
 */
#ifndef AUTH_SASL_H
#define AUTH_SASL_H

#include <stddef.h>

/*
 * PLAIN message: [authzid] NUL authcid NUL passwd (decoded bytes).
 * On success returns 0 and malloc'd NUL-terminated strings (authzid may be
 * empty; the caller refuses an authzid different from authcid). -1 if
 * malformed (missing NULs, empty authcid or password, NUL-free fields
 * exceeding 255 bytes for names / 1024 for the password).
 */
int	 sasl_plain_parse(const char *msg, size_t len, char **authzid_r,
	    char **authcid_r, char **passwd_r);

/* Field limits applied by this module (RFC 4616 requires at least 255). */
#define SASL_NAME_MAX	255
#define SASL_PASS_MAX	1024

/* LOGIN: the server's two challenges, already base64 ("Username:" and
 * "Password:"), sent as "+ <prompt>". */
#define SASL_LOGIN_USER_PROMPT	"VXNlcm5hbWU6"
#define SASL_LOGIN_PASS_PROMPT	"UGFzc3dvcmQ6"

/*
 * LOGIN: one decoded client response (the user name, then the password).
 * Returns 0 and a malloc'd NUL-terminated copy in *value_r, or -1 if it is
 * empty, holds a NUL, or is longer than max bytes (SASL_NAME_MAX for the
 * user name, SASL_PASS_MAX for the password).
 */
int	 sasl_login_value(const char *msg, size_t len, size_t max,
	    char **value_r);
/* Wipe (explicit_bzero) and free a string this module returned; sets
 * *sp to NULL. NULL is fine. */
void	 sasl_secret_free(char **sp);

#endif
