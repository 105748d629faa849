/*
 * tls: the server's OpenSSL context.
 *
 * TLS 1.2 and 1.3 only (RFC 8996 retires the older versions), server
 * cipher preference, and for TLS 1.2 only forward-secret AEAD suites
 * (RFC 9325 4.2). TLS 1.3 suites are all AEAD with forward secrecy, so
 * OpenSSL's default list is kept for them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lib/tls.h"

#define TLS12_CIPHERS \
	"ECDHE-ECDSA-AES256-GCM-SHA384:" \
	"ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:" \
	"ECDHE-RSA-CHACHA20-POLY1305:" \
	"ECDHE-ECDSA-AES128-GCM-SHA256:" \
	"ECDHE-RSA-AES128-GCM-SHA256:" \
	"DHE-RSA-AES256-GCM-SHA384:" \
	"DHE-RSA-CHACHA20-POLY1305:" \
	"DHE-RSA-AES128-GCM-SHA256"

static char	*tls_errmsg(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/*
 * A malloc'd message: the formatted context, then ": " and the reason from
 * the OpenSSL error queue (its first entry is the root cause, e.g. the
 * system error behind a missing file). Clears the queue.
 */
static char *
tls_errmsg(const char *fmt, ...)
{
	va_list		 ap;
	unsigned long	 e;
	const char	*reason = NULL;
	char		 ebuf[256], what[1024], *msg;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (n < 0)
		what[0] = '\0';
	if ((e = ERR_peek_error()) != 0) {
		/* e.g. a missing file: OpenSSL 3 keeps the errno */
		if (ERR_SYSTEM_ERROR(e))
			reason = strerror(ERR_GET_REASON(e));
		else
			reason = ERR_reason_error_string(e);
		if (reason == NULL) {
			ERR_error_string_n(e, ebuf, sizeof(ebuf));
			reason = ebuf;
		}
	}
	if (reason == NULL)
		reason = "unknown error";
	n = asprintf(&msg, "%s: %s", what, reason);
	ERR_clear_error();
	if (n == -1)
		return NULL;
	return msg;
}

SSL_CTX *
tls_server_ctx(const char *cert_file, const char *key_file, char **err_r)
{
	SSL_CTX	*ctx;

	*err_r = NULL;
	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		*err_r = tls_errmsg("cannot create TLS context");
		return NULL;
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1) {
		*err_r = tls_errmsg("cannot configure TLS");
		goto fail;
	}
	/*
	 * No compression (CRIME), no renegotiation (a client-driven CPU
	 * sink with a history of bugs).
	 */
	SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
#ifdef SSL_OP_NO_CLIENT_RENEGOTIATION
	SSL_CTX_set_options(ctx, SSL_OP_NO_CLIENT_RENEGOTIATION);
#endif
	/* DHE suites need parameters: let OpenSSL pick by key size */
	SSL_CTX_set_dh_auto(ctx, 1);
	/*
	 * Each connection is served by its own forked process, so a
	 * server-side session cache could never be hit. Stateless tickets
	 * still work, as all children share the master's ticket keys.
	 */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
		*err_r = tls_errmsg("cannot load certificate chain %s",
		    cert_file);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM)
	    != 1) {
		/* OpenSSL also checks here that the key fits the cert */
		*err_r = tls_errmsg("cannot load private key %s for "
		    "certificate %s", key_file, cert_file);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		*err_r = tls_errmsg("private key %s does not match "
		    "certificate %s", key_file, cert_file);
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}
