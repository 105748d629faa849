/*
 * conn: a blocking, buffered byte stream over a pair of file descriptors
 * (socket, or stdin/stdout for inetd and PREAUTH), optionally TLS.
 *
 * Reading: buffered; conn_getline() returns one CRLF-terminated line with a
 * length limit; conn_read_exact() reads a literal. Writing: buffered until
 * conn_flush() or the buffer fills. All calls block, with a timeout in
 * milliseconds (-1 = none) that bounds the whole call, however slowly the
 * peer sends. Writes to a closed pipe or (with TLS) socket raise SIGPIPE:
 * the program is expected to ignore it.
 */
#ifndef LIB_CONN_H
#define LIB_CONN_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "lib/buf.h"

struct conn;

enum conn_status {
	CONN_OK = 0,
	CONN_EOF = -1,		/* peer closed */
	CONN_ERROR = -2,	/* I/O or TLS error (see conn_error()) */
	CONN_TIMEOUT = -3,
	CONN_TOOLONG = -4,	/* line longer than the limit */
	CONN_BADLINE = -5	/* NUL or bare CR in a line */
};

/* Wrap rfd (read) and wfd (write); they may be equal. The fds are closed
 * by conn_free(), which does not flush pending output (call conn_flush()
 * first). Never returns NULL. */
struct conn	*conn_new(int rfd, int wfd);
void		 conn_free(struct conn **);

/* Server side TLS handshake on this connection (implicit TLS, or after
 * STARTTLS). Discards any buffered plaintext input first (RFC 9051 11.1:
 * STARTTLS command injection) and flushes pending output. The fds are
 * switched to non-blocking mode (OpenSSL does its own reads and writes and
 * must never block past a timeout). Returns 0 or -1 (conn_error() says
 * why); after a failure the connection can only be freed. */
int		 conn_start_tls(struct conn *, SSL_CTX *, int timeout_ms);
int		 conn_is_tls(const struct conn *);
/* Protocol/cipher description for logging ("TLSv1.3 TLS_AES_..."),
 * or NULL without TLS. Borrowed. */
const char	*conn_tls_info(const struct conn *);
const char	*conn_error(const struct conn *);

/*
 * Read one line ending in CRLF (a bare LF is accepted as end of line too,
 * for hand-typed sessions). The line, without its line ending, replaces the
 * contents of *line. Lines longer than max bytes: CONN_TOOLONG, and the rest
 * of that line is discarded. A NUL byte or a CR not followed by LF in the
 * line: CONN_BADLINE (the line is consumed). On CONN_TOOLONG and
 * CONN_BADLINE *line holds the first (up to max) bytes of the line, so
 * that the caller can find the tag. Also fails with CONN_TOOLONG if
 * line's own max is smaller than max and the line does not fit. On
 * CONN_TIMEOUT the start of an incomplete line is kept in *line: calling
 * again with the same, unchanged buffer continues that line.
 */
int		 conn_getline(struct conn *, struct buf *line, size_t max,
		    int timeout_ms);
/* Append exactly n bytes to *out (out's own max must allow it, else
 * CONN_ERROR without reading anything). */
int		 conn_read_exact(struct conn *, struct buf *out, size_t n,
		    int timeout_ms);
/* Read and drop n bytes. */
int		 conn_skip(struct conn *, size_t n, int timeout_ms);
/* Bytes already read from the peer and buffered, not yet returned
 * (with TLS: including data decrypted inside OpenSSL). */
size_t		 conn_input_pending(const struct conn *);
void		 conn_discard_input(struct conn *);
/* Move up to max bytes of buffered plaintext input (at most
 * CONN_INPUT_BUFFER; not what OpenSSL holds) into dst; returns the
 * count. For handing a plaintext connection to another process. */
#define CONN_INPUT_BUFFER	(16 * 1024)
size_t		 conn_take_input(struct conn *, void *dst, size_t max);
/* Make n bytes the first input of the connection, as if the peer had
 * sent them (the other side of conn_take_input). Only when nothing is
 * buffered and n <= CONN_INPUT_BUFFER; 0 or -1. */
int		 conn_push_input(struct conn *, const void *, size_t n);
/* Override what conn_peer() and conn_peer_is_local() say (a connection
 * relayed through a socketpair keeps the client's address). */
void		 conn_set_peer(struct conn *, const char *peer, int local);
/* Plaintext bytes read from and written to the peer so far. */
void		 conn_counts(const struct conn *, uint64_t *in_r,
		    uint64_t *out_r);

/*
 * (conn_relay.c) Become a relay between this connection (normally TLS)
 * and the plaintext stream socket fd, in both directions at once, until
 * either side ends: first what is already buffered from the peer is
 * passed on, then bytes flow both ways with bounded buffers and no
 * direction can block the other. When fd reaches EOF, pending output
 * is written to the peer and the TLS session is shut down; when the peer
 * closes, fd is shut down for writing and the relay drains fd until
 * EOF. idle_timeout_ms (-1: none) ends the relay when neither side moves.
 * Returns 0 on a clean end, -1 on error or timeout (conn_error()).
 * Does not close fd.
 */
int		 conn_relay(struct conn *, int fd, int idle_timeout_ms);

/* Wait until input is available on the connection (1), or extra_fd (if
 * >= 0) is readable (2), or the timeout passes (0). -1 on error. EOF or
 * an error on the connection count as input (the next read reports it);
 * with TLS, 1 means application data has arrived, not just any record.
 * If both are ready, 1 wins. */
int		 conn_wait(struct conn *, int extra_fd, int timeout_ms);

/* Queue bytes for writing; flushes automatically when the buffer is
 * large. Return 0 or -1 (error is sticky: later writes fail too). */
int		 conn_write(struct conn *, const void *, size_t);
int		 conn_puts(struct conn *, const char *);
int		 conn_printf(struct conn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 conn_flush(struct conn *);
/* Write timeout in ms for flushing (default 10 minutes). */
void		 conn_set_write_timeout(struct conn *, int timeout_ms);

/* Peer address as text ("127.0.0.1", "::1", "local" for pipes) and
 * whether it is loopback (or not a socket at all). */
const char	*conn_peer(const struct conn *);
int		 conn_peer_is_local(const struct conn *);

/* (conn_peer.c) Describe the peer of socket fd as conn_peer() does: the
 * address as text into buf (IPv4-mapped IPv6 addresses as IPv4), or
 * "local" for AF_UNIX and non-sockets; *local_r = 1 for those and for
 * loopback addresses (127.0.0.0/8, ::1). */
void		 conn_peer_describe(int fd, char *buf, size_t len,
		    int *local_r);
/* The same for an address from accept() or getpeername(). */
void		 conn_peer_sockaddr(const struct sockaddr *, socklen_t,
		    char *buf, size_t len, int *local_r);

#endif
