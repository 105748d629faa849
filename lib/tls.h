/*
 * tls: the server's OpenSSL context. TLS 1.2 and newer only, server cipher
 * preference, forward-secret AEAD suites.
 */
#ifndef LIB_TLS_H
#define LIB_TLS_H

#include <openssl/ssl.h>

/* Load certificate chain and private key (PEM files). On failure returns
 * NULL and sets *err_r to a malloc'd message naming the file and reason. */
SSL_CTX		*tls_server_ctx(const char *cert_file, const char *key_file,
		    char **err_r);

#endif
