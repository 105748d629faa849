/*
 * Unit tests for lib/tls.c and the TLS side of lib/conn.c: the server
 * context, the handshake over a socketpair with an OpenSSL client in a
 * child process, STARTTLS injection, waiting with TLS, large transfers.
 * A self-signed certificate is made at start-up in a temporary directory.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "lib/buf.h"
#include "lib/conn.h"
#include "lib/tls.h"
#include "test/unit/test_feed.h"

/* Test fixture paths, set once by main(). */
static char	 tmpdir[64];
static char	 cert_path[128], key_path[128], key2_path[128], junk_path[128];

/* Fixture set-up runs outside any test, where ck_assert cannot report. */
static void
need(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "check_tls: set-up failed: %s\n", what);
		ERR_print_errors_fp(stderr);
		exit(EXIT_FAILURE);
	}
}

static EVP_PKEY *
make_key(void)
{
	EVP_PKEY	*k = EVP_EC_gen("P-256");

	need(k != NULL, "EVP_EC_gen");
	return k;
}

static void
write_key(EVP_PKEY *k, const char *path)
{
	FILE	*f = fopen(path, "w");

	need(f != NULL, path);
	need(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1,
	    "PEM_write_PrivateKey");
	fclose(f);
}

/* A self-signed certificate for CN=localhost, valid for a day. */
static void
make_cert_files(void)
{
	EVP_PKEY	*k = make_key(), *k2 = make_key();
	X509		*x = X509_new();
	X509_NAME	*name;
	FILE		*f;

	need(x != NULL, "X509_new");
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"localhost", -1, -1, 0);
	X509_set_issuer_name(x, name);
	need(X509_sign(x, k, EVP_sha256()) > 0, "X509_sign");
	need((f = fopen(cert_path, "w")) != NULL, cert_path);
	need(PEM_write_X509(f, x) == 1, "PEM_write_X509");
	fclose(f);
	write_key(k, key_path);
	write_key(k2, key2_path);
	need((f = fopen(junk_path, "w")) != NULL, junk_path);
	fputs("-----BEGIN CERTIFICATE-----\nnot base64 !!\n"
	    "-----END CERTIFICATE-----\n", f);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
}

static SSL_CTX *
server_ctx(void)
{
	SSL_CTX	*ctx;
	char	*err = NULL;

	ctx = tls_server_ctx(cert_path, key_path, &err);
	ck_assert_msg(ctx != NULL, "tls_server_ctx: %s", err ? err : "?");
	ck_assert_ptr_null(err);
	return ctx;
}

/* Client side, in the child: handshake over fd or _exit(10). */
static SSL *
client_connect(int fd, int max_version)
{
	SSL_CTX	*cctx = SSL_CTX_new(TLS_client_method());
	SSL	*s;

	if (cctx == NULL)
		_exit(11);
	if (max_version != 0)
		SSL_CTX_set_max_proto_version(cctx, max_version);
	SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
	s = SSL_new(cctx);
	SSL_set_fd(s, fd);
	if (SSL_connect(s) != 1)
		_exit(10);
	return s;
}

/* Read one line (up to LF) over TLS in the child; 0 or -1. */
static int
client_readline(SSL *s, char *buf, size_t len)
{
	size_t	 i = 0;
	char	 ch;

	while (i + 1 < len) {
		if (SSL_read(s, &ch, 1) != 1)
			return -1;
		buf[i++] = ch;
		if (ch == '\n')
			break;
	}
	buf[i] = '\0';
	return 0;
}

static int
client_write(SSL *s, const void *p, size_t n)
{
	return SSL_write(s, p, (int)n) == (int)n ? 0 : -1;
}

static pid_t
fork_child(int keep, int drop)
{
	pid_t	 pid;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0)
		close(drop);
	else
		close(keep);
	return pid;
}

START_TEST(test_ctx_ok)
{
	SSL_CTX	*ctx = server_ctx();

	ck_assert_int_eq(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
	ck_assert(SSL_CTX_get_options(ctx) & SSL_OP_CIPHER_SERVER_PREFERENCE);
	ck_assert(SSL_CTX_get_options(ctx) & SSL_OP_NO_COMPRESSION);
	ck_assert(SSL_CTX_get_options(ctx) & SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_free(ctx);
}
END_TEST

/* Each failure names the file and gives OpenSSL's reason. */
START_TEST(test_ctx_errors)
{
	const struct {
		const char	*cert, *key, *want1, *want2;
	} cases[] = {
		{ "/nonexistent/cert.pem", key_path, "/nonexistent/cert.pem",
		    "certificate" },
		{ cert_path, "/nonexistent/key.pem", "/nonexistent/key.pem",
		    "key" },
		{ cert_path, key2_path, "mismatch", key2_path },
		{ junk_path, key_path, junk_path, "certificate" },
		{ cert_path, junk_path, junk_path, "key" },
	};
	size_t	 i;
	SSL_CTX	*ctx;
	char	*err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		ctx = tls_server_ctx(cases[i].cert, cases[i].key, &err);
		ck_assert_ptr_null(ctx);
		ck_assert_ptr_nonnull(err);
		ck_assert_msg(strstr(err, cases[i].want1) != NULL &&
		    strstr(err, cases[i].want2) != NULL, "case %zu: %s", i,
		    err);
		/* "file: reason": the reason is not empty */
		ck_assert_ptr_nonnull(strstr(err, ": "));
		ck_assert_int_gt(strlen(strrchr(err, ':')), 2);
		free(err);
	}
}
END_TEST

/* Handshake, then a line each way; TLS 1.3 and TLS 1.2. */
START_TEST(test_echo)
{
	static const int versions[] = { 0, TLS1_2_VERSION };
	SSL_CTX		*ctx = server_ctx();
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 sv[2];
	pid_t		 pid;

	tf_pair(sv);
	if ((pid = fork_child(sv[1], sv[0])) == 0) {
		SSL	*s = client_connect(sv[1], versions[_i]);
		char	 b[100];

		if (client_write(s, "a1 NOOP\r\n", 9) == -1 ||
		    client_readline(s, b, sizeof(b)) == -1)
			_exit(1);
		_exit(strcmp(b, "* OK hello\r\n") == 0 ? 0 : 2);
	}
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 5000), 0);
	ck_assert_int_eq(conn_is_tls(c), 1);
	ck_assert_ptr_nonnull(conn_tls_info(c));
	ck_assert_ptr_nonnull(strstr(conn_tls_info(c),
	    _i == 0 ? "TLSv1.3 " : "TLSv1.2 "));
	if (_i == 1)	/* a forward-secret AEAD suite */
		ck_assert_ptr_nonnull(strstr(conn_tls_info(c), "ECDHE-"));
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "a1 NOOP");
	ck_assert_int_eq(conn_puts(c, "* OK hello\r\n"), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_int_eq(tf_reap(pid), 0);
	/* the client went away without close_notify: EOF */
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_EOF);
	ck_assert_int_eq(conn_start_tls(c, ctx, 100), -1);
	conn_free(&c);
	SSL_CTX_free(ctx);
	buf_free(&line);
}
END_TEST

/*
 * RFC 9051 11.1: a command pipelined after STARTTLS in the same packet
 * must not be executed as if it came over TLS.
 */
START_TEST(test_starttls_injection)
{
	static const char inject[] = "a STARTTLS\r\nb LOGIN evil pw\r\n";
	SSL_CTX		*ctx = server_ctx();
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 sv[2];
	pid_t		 pid;

	tf_pair(sv);
	if ((pid = fork_child(sv[1], sv[0])) == 0) {
		char	 b[100];
		size_t	 i = 0;
		SSL	*s;

		if (tf_write_all(sv[1], inject, sizeof(inject) - 1) == -1)
			_exit(1);
		/* the plaintext answer, byte by byte up to LF */
		while (i + 1 < sizeof(b) && read(sv[1], b + i, 1) == 1 &&
		    b[i++] != '\n')
			;
		b[i] = '\0';
		if (strcmp(b, "a OK begin TLS\r\n") != 0)
			_exit(2);
		s = client_connect(sv[1], 0);
		if (client_write(s, "c CAPABILITY\r\n", 14) == -1 ||
		    client_readline(s, b, sizeof(b)) == -1)
			_exit(3);
		_exit(strcmp(b, "c OK\r\n") == 0 ? 0 : 4);
	}
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "a STARTTLS");
	/* the injected command was read in the same packet */
	ck_assert_uint_eq(conn_input_pending(c), 17);
	ck_assert_int_eq(conn_puts(c, "a OK begin TLS\r\n"), 0);
	/* conn_start_tls flushes the OK itself */
	ck_assert_int_eq(conn_start_tls(c, ctx, 5000), 0);
	ck_assert_uint_eq(conn_input_pending(c), 0);
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "c CAPABILITY");
	ck_assert_int_eq(conn_puts(c, "c OK\r\n"), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_int_eq(tf_reap(pid), 0);
	conn_free(&c);
	SSL_CTX_free(ctx);
	buf_free(&line);
}
END_TEST

/*
 * conn_wait() with TLS: lines already decrypted count as input, silence
 * times out, a close_notify is EOF.
 */
START_TEST(test_wait_tls)
{
	SSL_CTX		*ctx = server_ctx();
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 sv[2], go[2];
	pid_t		 pid;
	char		 ch = 0;

	tf_pair(sv);
	ck_assert_int_eq(pipe(go), 0);
	if ((pid = fork_child(sv[1], sv[0])) == 0) {
		SSL	*s = client_connect(sv[1], 0);

		/* wait for the parent's go before each step */
		if (read(go[0], &ch, 1) != 1 ||
		    client_write(s, "x1\r\nx2\r\nx3\r\n", 12) == -1 ||
		    read(go[0], &ch, 1) != 1)
			_exit(1);
		SSL_shutdown(s);
		_exit(0);
	}
	close(go[0]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 5000), 0);
	ck_assert_int_eq(conn_wait(c, -1, 50), 0);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(conn_wait(c, -1, 5000), 1);
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "x1");
	/* the rest arrived in the same record: no poll() wait */
	ck_assert_uint_eq(conn_input_pending(c), 8);
	ck_assert_int_eq(conn_wait(c, -1, 0), 1);
	ck_assert_int_eq(conn_getline(c, line, 100, 0), CONN_OK);
	ck_assert_int_eq(conn_getline(c, line, 100, 0), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "x3");
	ck_assert_int_eq(conn_wait(c, -1, 50), 0);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(conn_wait(c, -1, 5000), 1);
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_EOF);
	ck_assert_int_eq(tf_reap(pid), 0);
	conn_free(&c);
	close(go[1]);
	SSL_CTX_free(ctx);
	buf_free(&line);
}
END_TEST

/* Large transfers both ways: many records, WANT_WRITE on a full socket. */
START_TEST(test_large_tls)
{
	const size_t	 n = 300000;
	SSL_CTX		*ctx = server_ctx();
	struct buf	*in = buf_new(n);
	unsigned char	*data = malloc(n);
	struct conn	*c;
	size_t		 i;
	int		 sv[2];
	pid_t		 pid;

	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i % 251);
	tf_pair(sv);
	if ((pid = fork_child(sv[1], sv[0])) == 0) {
		SSL		*s = client_connect(sv[1], 0);
		unsigned char	*got = malloc(n);
		size_t		 off = 0;
		int		 r;

		if (client_write(s, data, n) == -1)
			_exit(1);
		while (off < n && (r = SSL_read(s, got + off,
		    (int)(n - off))) > 0)
			off += (size_t)r;
		if (off != n || memcmp(got, data, n) != 0)
			_exit(2);
		_exit(0);
	}
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 5000), 0);
	ck_assert_int_eq(conn_read_exact(c, in, n, 5000), CONN_OK);
	ck_assert_int_eq(memcmp(buf_data(in), data, n), 0);
	for (i = 0; i < n; i += 1000)
		ck_assert_int_eq(conn_write(c, data + i, 1000), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_int_eq(tf_reap(pid), 0);
	conn_free(&c);
	SSL_CTX_free(ctx);
	buf_free(&in);
	free(data);
}
END_TEST

/* A client that speaks plaintext instead of TLS, or nothing at all. */
START_TEST(test_handshake_failures)
{
	SSL_CTX		*ctx = server_ctx();
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	tf_write_all(sv[1], "a1 LOGIN user pass\r\n", 20);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 5000), -1);
	ck_assert_ptr_nonnull(strstr(conn_error(c), "TLS handshake"));
	ck_assert_int_eq(conn_is_tls(c), 0);
	/* the connection is unusable afterwards */
	ck_assert_int_eq(conn_getline(c, line, 100, 100), CONN_ERROR);
	ck_assert_int_eq(conn_puts(c, "x"), -1);
	conn_free(&c);
	close(sv[1]);

	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 100), -1);
	ck_assert_ptr_nonnull(strstr(conn_error(c), "timeout"));
	conn_free(&c);
	close(sv[1]);

	/* the peer hangs up during the handshake */
	tf_pair(sv);
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 1000), -1);
	conn_free(&c);
	SSL_CTX_free(ctx);
	buf_free(&line);
}
END_TEST

/* inetd mode: separate read and write fds (here two socketpairs). */
START_TEST(test_split_fds)
{
	SSL_CTX		*ctx = server_ctx();
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 a[2], b[2];
	pid_t		 pid;

	tf_pair(a);	/* client -> server */
	tf_pair(b);	/* server -> client */
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		SSL_CTX	*cctx = SSL_CTX_new(TLS_client_method());
		SSL	*s = SSL_new(cctx);
		char	 buf[100];

		close(a[0]);
		close(b[0]);
		SSL_set_wfd(s, a[1]);
		SSL_set_rfd(s, b[1]);
		if (SSL_connect(s) != 1)
			_exit(10);
		if (client_write(s, "hi\r\n", 4) == -1 ||
		    client_readline(s, buf, sizeof(buf)) == -1)
			_exit(1);
		_exit(strcmp(buf, "ho\r\n") == 0 ? 0 : 2);
	}
	close(a[1]);
	close(b[1]);
	c = conn_new(a[0], b[0]);
	ck_assert_int_eq(conn_start_tls(c, ctx, 5000), 0);
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "hi");
	ck_assert_int_eq(conn_puts(c, "ho\r\n"), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_int_eq(tf_reap(pid), 0);
	conn_free(&c);
	SSL_CTX_free(ctx);
	buf_free(&line);
}
END_TEST

static Suite *
tls_suite(void)
{
	Suite	*s = suite_create("tls");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_ctx_ok);
	tcase_add_test(tc, test_ctx_errors);
	tcase_add_loop_test(tc, test_echo, 0, 2);
	tcase_add_test(tc, test_starttls_injection);
	tcase_add_test(tc, test_wait_tls);
	tcase_add_test(tc, test_large_tls);
	tcase_add_test(tc, test_handshake_failures);
	tcase_add_test(tc, test_split_fds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* as the daemon does: TLS writes use write(), not send() */
	signal(SIGPIPE, SIG_IGN);
	(void)strlcpy(tmpdir, "/tmp/check_tls.XXXXXX", sizeof(tmpdir));
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	snprintf(cert_path, sizeof(cert_path), "%s/cert.pem", tmpdir);
	snprintf(key_path, sizeof(key_path), "%s/key.pem", tmpdir);
	snprintf(key2_path, sizeof(key2_path), "%s/key2.pem", tmpdir);
	snprintf(junk_path, sizeof(junk_path), "%s/junk.pem", tmpdir);
	make_cert_files();
	sr = srunner_create(tls_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(cert_path);
	unlink(key_path);
	unlink(key2_path);
	unlink(junk_path);
	rmdir(tmpdir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
